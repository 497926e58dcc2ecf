//! "Did you mean" suggestions, so that a typo never silently drops a fact.

/// The candidate closest to `typed`, if it is close enough to be a likely typo.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Keys and headers are short; a long text is no typo of one (and comparing it is slow).
    if typed.len() > 100 {
        return None;
    }
    let typed_lower = typed.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&typed_lower, &candidate.to_lowercase());
            (candidate, score)
        })
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(candidate, _)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["rnd_floor_area", "equipment_value"];
        assert_eq!(closest("rnd_floor_aera", keys), Some("rnd_floor_area"));
        assert_eq!(closest("equipment", keys), Some("equipment_value"));
        assert_eq!(closest("budget", keys), None);
    }
}
