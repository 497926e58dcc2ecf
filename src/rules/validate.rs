//! Load-time checks of a rulebook: every name it uses exists, every bound parses in its metric's
//! unit, every legal bound word is one of its `[bound_words]` and agrees with its comparator.

use std::collections::HashSet;
use std::fmt;

use rust_decimal::Decimal;

use super::{
    Bound, BoundDef, Condition, ItemSelection, MetricKind, Op, Rule, Rulebook, Severity, SourceKind,
};
use crate::profile::fields::{self, APPLICANT_KINDS};

/// A rulebook that cannot be used: where it came from and every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulebookError {
    pub origin: String,
    pub problems: Vec<String>,
}

impl RulebookError {
    pub fn new(origin: &str, problem: impl Into<String>) -> RulebookError {
        RulebookError {
            origin: origin.to_string(),
            problems: vec![problem.into()],
        }
    }
}

impl fmt::Display for RulebookError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "invalid rulebook {}:", self.origin)?;
        for problem in &self.problems {
            write!(formatter, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RulebookError {}

pub fn validate(rulebook: &mut Rulebook) -> Result<(), RulebookError> {
    let mut problems = Vec::new();
    check_meta(rulebook, &mut problems);
    check_bound_words(rulebook, &mut problems);
    check_metrics(rulebook, &mut problems);
    let mut ids = HashSet::new();
    let mut clauses = std::mem::take(&mut rulebook.clauses);
    for clause in &mut clauses {
        let context = format!("clause {}", clause.id);
        if !ids.insert(clause.id.clone()) {
            problems.push(format!("{context}: the id is used twice"));
        }
        if let Some(kinds) = &clause.applies_to {
            for kind in kinds {
                if !APPLICANT_KINDS.iter().any(|choice| choice.id == kind) {
                    problems.push(format!(
                        "{context}: applies_to names an unknown applicant kind '{kind}'"
                    ));
                }
            }
        }
        if clause.answers.is_some() && clause.severity != Severity::Info {
            problems.push(format!(
                "{context}: answers are the words of an informational clause (severity = \"info\")"
            ));
        }
        if clause.open_review.is_some() && clause.severity == Severity::Info {
            problems.push(format!(
                "{context}: open_review leaves a decisive clause open; an informational one decides nothing"
            ));
        }
        check_rule(rulebook, &context, &mut clause.rule, &mut problems);
    }
    rulebook.clauses = clauses;
    for notice in &rulebook.notices {
        if fields::field(&notice.field).is_none() {
            problems.push(format!(
                "notice ({}): unknown field '{}'",
                notice.citation, notice.field
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(RulebookError {
            origin: rulebook.origin.clone(),
            problems,
        })
    }
}

fn check_meta(rulebook: &Rulebook, problems: &mut Vec<String>) {
    if let Some(until) = rulebook.meta.effective_until {
        if until < rulebook.meta.effective_from {
            problems.push("rulebook: effective_until is before effective_from".to_string());
        }
    }
    for (name, window) in &rulebook.windows {
        if window.from > window.to {
            problems.push(format!(
                "window {name}: from ({}) is after to ({})",
                window.from, window.to
            ));
        }
        // Years relative to the application: a measure looks back decades at most.
        if window.from < -50 || window.to > 10 {
            problems.push(format!(
                "window {name}: from = {}, to = {} reach beyond 50 years back or 10 ahead",
                window.from, window.to
            ));
        }
    }
}

/// Each word once, with at least one comparator, every one of which agrees with whether the
/// word includes the number.
fn check_bound_words(rulebook: &Rulebook, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for entry in &rulebook.bound_words {
        let context = format!("bound_words.{}, '{}'", entry.source.name, entry.word);
        if !seen.insert(entry.word.as_str()) {
            problems.push(format!("{context}: the word is listed twice"));
        }
        if entry.ops.is_empty() {
            problems.push(format!("{context}: give at least one op"));
        }
        let list = if entry.includes_bound {
            "inclusive"
        } else {
            "exclusive"
        };
        for op in &entry.ops {
            if op.includes_bound() != entry.includes_bound {
                problems.push(format!(
                    "{context}: op '{}' does not fit an {list} word",
                    op.symbol()
                ));
            }
        }
    }
}

fn check_window(
    rulebook: &Rulebook,
    context: &str,
    window: Option<&String>,
    problems: &mut Vec<String>,
) {
    if let Some(window) = window {
        if !rulebook.windows.contains_key(window) {
            problems.push(format!("{context}: unknown window '{window}'"));
        }
    }
}

fn check_number_field(context: &str, path: &str, problems: &mut Vec<String>) {
    match fields::field(path) {
        Some(field) if field.quantity().is_some() => {}
        Some(_) => problems.push(format!("{context}: field '{path}' is not a number")),
        None => problems.push(format!("{context}: unknown profile field '{path}'")),
    }
}

fn check_selection(
    rulebook: &Rulebook,
    context: &str,
    selection: &ItemSelection,
    problems: &mut Vec<String>,
) {
    let Some(item) = fields::item(&selection.items) else {
        problems.push(format!(
            "{context}: unknown item table '{}'",
            selection.items
        ));
        return;
    };
    check_window(rulebook, context, selection.window.as_ref(), problems);
    if selection.window.is_some() && item.field("year").is_none() {
        problems.push(format!(
            "{context}: items '{}' have no year to window",
            item.table
        ));
    }
    for key in selection.filter.keys() {
        if item.field(key).is_none() {
            problems.push(format!(
                "{context}: items '{}' have no field '{key}'",
                item.table
            ));
        }
    }
}

fn check_metrics(rulebook: &Rulebook, problems: &mut Vec<String>) {
    for (name, metric) in &rulebook.metrics {
        let context = format!("metric {name}");
        if fields::field(name).is_some() {
            problems.push(format!("{context}: the name is already a profile field"));
        }
        let definitions = [
            metric.ratio.is_some(),
            metric.count.is_some(),
            metric.sum.is_some(),
            metric.series.is_some(),
        ];
        if definitions.iter().filter(|defined| **defined).count() != 1 {
            problems.push(format!(
                "{context}: give exactly one of ratio, count, sum, series"
            ));
        }
        if let Some(ratio) = &metric.ratio {
            check_number_field(&context, &ratio.numerator, problems);
            check_number_field(&context, &ratio.denominator, problems);
        }
        for path in metric.declared.iter().chain(metric.summary.iter()) {
            check_number_field(&context, path, problems);
        }
        if let Some(count) = &metric.count {
            check_selection(rulebook, &context, count, problems);
        }
        if let Some(sum) = &metric.sum {
            check_selection(rulebook, &context, &sum.selection, problems);
            let numeric = fields::item(&sum.selection.items)
                .and_then(|item| item.field(&sum.field))
                .is_some_and(|field| field.quantity().is_some());
            if !numeric {
                problems.push(format!(
                    "{context}: '{}.{}' is not a numeric item field",
                    sum.selection.items, sum.field
                ));
            }
        }
        if let Some(review) = &metric.review_unless {
            match metric
                .count
                .as_ref()
                .or(metric.sum.as_ref().map(|s| &s.selection))
            {
                Some(selection) => {
                    let narrower = ItemSelection {
                        filter: review.filter.clone(),
                        ..selection.clone()
                    };
                    check_selection(rulebook, &context, &narrower, problems);
                }
                None => problems.push(format!("{context}: review_unless goes with count or sum")),
            }
        }
        for part in &metric.adjust {
            let is_part = metric
                .ratio
                .as_ref()
                .is_some_and(|ratio| *part == ratio.numerator || *part == ratio.denominator);
            if !is_part {
                problems.push(format!(
                    "{context}: adjust names '{part}', which is not this ratio's numerator or denominator"
                ));
            }
        }
        if let Some(year) = &metric.year {
            if metric.ratio.is_none() {
                problems.push(format!("{context}: year goes with ratio"));
            }
            check_number_field(&context, &year.field, problems);
            check_window(rulebook, &context, Some(&year.window), problems);
        }
        if let Some(series) = &metric.series {
            if fields::series(&series.table).is_none() {
                problems.push(format!("{context}: unknown year table '{}'", series.table));
            }
            check_window(rulebook, &context, Some(&series.window), problems);
        }
    }
}

fn check_rule(rulebook: &Rulebook, context: &str, rule: &mut Rule, problems: &mut Vec<String>) {
    match rule {
        Rule::Threshold(condition) => {
            check_condition(rulebook, context, condition, false, problems)
        }
        Rule::EveryYear(condition) => check_condition(rulebook, context, condition, true, problems),
        Rule::AnyOf { conditions } | Rule::AllOf { conditions } => {
            if conditions.is_empty() {
                problems.push(format!("{context}: needs at least one condition"));
            }
            for condition in conditions {
                check_condition(rulebook, context, condition, false, problems);
            }
        }
        Rule::Attestation { metric } => {
            if rulebook.metric_kind(metric) != Some(MetricKind::Bool) {
                problems.push(format!(
                    "{context}: attestation '{metric}' is not a yes/no field"
                ));
            }
        }
        Rule::OneOf { metric, values } => {
            if rulebook.metric_kind(metric) != Some(MetricKind::Text) {
                problems.push(format!("{context}: '{metric}' is not a text field"));
            }
            if values.is_empty() {
                problems.push(format!("{context}: values is empty"));
            }
        }
        Rule::Registration(registration) => {
            if fields::field(&registration.uscc)
                .is_none_or(|f| !matches!(f.ty, fields::FieldType::Uscc))
            {
                problems.push(format!(
                    "{context}: '{}' is not a USCC field",
                    registration.uscc
                ));
            }
            if rulebook.metric_kind(&registration.attestation) != Some(MetricKind::Bool) {
                problems.push(format!(
                    "{context}: '{}' is not a yes/no field",
                    registration.attestation
                ));
            }
        }
        Rule::Review { .. } => {}
    }
}

fn check_condition(
    rulebook: &Rulebook,
    context: &str,
    condition: &mut Condition,
    series: bool,
    problems: &mut Vec<String>,
) {
    let context = format!("{context}, metric {}", condition.metric);
    let Some(kind) = rulebook.metric_kind(&condition.metric) else {
        problems.push(format!(
            "{context}: unknown metric (neither a [metric.*] entry nor a profile field)"
        ));
        return;
    };
    let quantity = match (kind, series) {
        (MetricKind::Series(quantity), true) | (MetricKind::Number(quantity), false) => {
            Some(quantity)
        }
        (MetricKind::Bool, false) => None,
        (_, true) => {
            problems.push(format!("{context}: every_year needs a series metric"));
            return;
        }
        (_, false) => {
            problems.push(format!(
                "{context}: a threshold needs a number or yes/no metric"
            ));
            return;
        }
    };
    let parse = |text: &str| -> Result<Decimal, String> {
        let quantity =
            quantity.ok_or_else(|| "a yes/no metric needs bound = true or false".to_string())?;
        quantity
            .parse(text)
            .map_err(|error| format!("bound '{text}': {}", error.message(crate::i18n::Lang::En)))
    };
    let resolved = match &condition.bound_def {
        BoundDef::Flag(flag) if quantity.is_none() && condition.op == Op::Equals => {
            Ok(Bound::Flag(*flag))
        }
        BoundDef::Flag(_) => {
            Err("a true/false bound needs a yes/no metric and op \"==\"".to_string())
        }
        BoundDef::Text(text) => parse(text).map(Bound::Number),
        BoundDef::Integer(number) => parse(&number.to_string()).map(Bound::Number),
        BoundDef::ByKind(by_kind) => {
            let mut resolved = std::collections::BTreeMap::new();
            let mut error = None;
            for choice in APPLICANT_KINDS {
                match by_kind.get(choice.id) {
                    Some(text) => match parse(text) {
                        Ok(value) => {
                            resolved.insert(choice.id.to_string(), value);
                        }
                        Err(message) => error = Some(message),
                    },
                    None => {
                        error = Some(format!(
                            "a bound by kind must give every kind; '{}' is missing",
                            choice.id
                        ))
                    }
                }
            }
            for key in by_kind.keys() {
                if !APPLICANT_KINDS.iter().any(|choice| choice.id == key) {
                    error = Some(format!("unknown applicant kind '{key}' in bound"));
                }
            }
            error.map_or(Ok(Bound::ByKind(resolved)), Err)
        }
    };
    match resolved {
        Ok(bound) => condition.bound = bound,
        Err(message) => problems.push(format!("{context}: {message}")),
    }
    if let Some(word) = &condition.word {
        check_word(rulebook, &context, word, condition.op, problems);
    }
}

/// A clause's bound word is one of `[bound_words]` and its comparator one of the word's.
fn check_word(rulebook: &Rulebook, context: &str, word: &str, op: Op, problems: &mut Vec<String>) {
    let Some(entry) = rulebook.bound_word(word) else {
        let listed = |includes: bool| {
            rulebook
                .bound_words
                .iter()
                .filter(|entry| entry.includes_bound == includes)
                .map(|entry| entry.word.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        problems.push(format!(
            "{context}: unknown bound word '{word}'; known: {} (inclusive), {} (exclusive)",
            listed(true),
            listed(false)
        ));
        return;
    };
    if entry.ops.contains(&op) {
        return;
    }
    let source = match entry.source.kind {
        SourceKind::Statute => entry.source.text.en.as_str(),
        SourceKind::Rulebook => "the rulebook's reading",
    };
    let ops: Vec<&str> = entry.ops.iter().map(|op| op.symbol()).collect();
    if entry.includes_bound != op.includes_bound() {
        let (word_does, op_does) = if entry.includes_bound {
            ("includes", "excludes")
        } else {
            ("excludes", "includes")
        };
        problems.push(format!(
            "{context}: '{word}' {word_does} the bound ({source}) but op '{}' {op_does} it",
            op.symbol()
        ));
    } else {
        problems.push(format!(
            "{context}: '{word}' reads as {} ({source}), not '{}'",
            ops.join(" or "),
            op.symbol()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Op, Rulebook, SourceKind};

    const BUILTIN: &str = include_str!("yunnan-2022.toml");

    /// The built-in rulebook's text without its `[bound_words]` groups: a rulebook written for
    /// the format before the table existed.
    fn without_bound_words(text: &str) -> String {
        let start = text.find("[bound_words.").expect("the table is there");
        let end = start + text[start..].find("# ----").expect("metrics follow it");
        let cut = format!("{}{}", &text[..start], &text[end..]);
        assert!(!cut.contains("bound_words."), "every group is cut");
        cut
    }

    /// Every word of the built-in table: its comparators, whether the number itself passes,
    /// and whether 《民法典》第一千二百五十九条 or the rulebook's own reading says so.
    #[test]
    fn builtin_bound_words_read_as_the_statute_or_the_rulebook_says() {
        use Op::{Above, AtLeast, AtMost, Below};
        use SourceKind::{Rulebook as Reading, Statute};
        let expected: &[(&str, &[Op], bool, SourceKind)] = &[
            // Art. 1259: 以上、以下、以内、届满 include the number; 不满、超过、以外 exclude it.
            ("以上", &[AtLeast], true, Statute),
            ("以下", &[AtMost], true, Statute),
            ("以内", &[AtMost], true, Statute),
            ("届满", &[AtLeast], true, Statute),
            ("不满", &[Below], false, Statute),
            ("超过", &[Above], false, Statute),
            ("以外", &[Above, Below], false, Statute),
            // Not defined by Art. 1259: the rulebook's reading.
            ("不少于", &[AtLeast], true, Reading),
            ("不低于", &[AtLeast], true, Reading),
            ("及以上", &[AtLeast], true, Reading),
            ("达到", &[AtLeast], true, Reading),
            ("不超过", &[AtMost], true, Reading),
            ("低于", &[Below], false, Reading),
            ("高于", &[Above], false, Reading),
            ("多于", &[Above], false, Reading),
            ("少于", &[Below], false, Reading),
        ];
        let rulebook = Rulebook::parse("builtin", BUILTIN).unwrap();
        assert_eq!(rulebook.bound_words.len(), expected.len());
        for (word, ops, includes_bound, kind) in expected {
            let entry = rulebook
                .bound_word(word)
                .unwrap_or_else(|| panic!("{word} is listed"));
            assert_eq!(entry.ops, *ops, "{word}");
            assert_eq!(entry.includes_bound, *includes_bound, "{word}");
            assert_eq!(entry.source.kind, *kind, "{word}");
            match kind {
                SourceKind::Statute => {
                    assert_eq!(
                        entry.source.text.zh, "《民法典》第一千二百五十九条",
                        "{word}"
                    );
                    assert_eq!(entry.source.text.en, "Civil Code, Art. 1259", "{word}");
                }
                SourceKind::Rulebook => {
                    assert!(entry.source.text.zh.contains("未定义"), "{word}");
                    assert!(entry.source.text.en.contains("does not define"), "{word}");
                }
            }
        }
    }

    #[test]
    fn a_rulebook_without_bound_words_reads_them_by_the_builtin_table() {
        let old_format = without_bound_words(BUILTIN);
        let rulebook = Rulebook::parse("old-format.toml", &old_format).unwrap();
        let builtin = Rulebook::parse("builtin", BUILTIN).unwrap();
        assert_eq!(rulebook.bound_words, builtin.bound_words);
        // The check still applies.
        let contradicting = old_format.replace(
            "op = \"<\"\nbound = \"70%\"",
            "op = \"<=\"\nbound = \"70%\"",
        );
        let error = Rulebook::parse("old-format.toml", &contradicting).unwrap_err();
        assert!(
            error.to_string().contains("'低于' excludes the bound"),
            "{error}"
        );
    }

    #[test]
    fn a_variant_changes_the_words_without_code() {
        // A successor measure that writes "不足 70%" and adds the word to the table.
        let text = BUILTIN
            .replace(
                "exclusive = { \"低于\" = [\"<\"]",
                "exclusive = { \"不足\" = [\"<\"], \"低于\" = [\"<\"]",
            )
            .replace("word = \"低于\"", "word = \"不足\"");
        let rulebook = Rulebook::parse("variant.toml", &text).unwrap();
        let entry = rulebook.bound_word("不足").unwrap();
        assert_eq!(entry.ops, [Op::Below]);
        assert!(!entry.includes_bound);
        assert_eq!(entry.source.kind, SourceKind::Rulebook);
        // Without the table entry the same word is refused, naming the known words.
        let unlisted = BUILTIN.replace("word = \"低于\"", "word = \"不足\"");
        let error = Rulebook::parse("variant.toml", &unlisted).unwrap_err();
        assert!(
            error.to_string().contains("unknown bound word '不足'"),
            "{error}"
        );
        assert!(error.to_string().contains("低于"), "{error}");
    }

    #[test]
    fn a_word_with_the_wrong_direction_is_rejected() {
        // "以上" includes the number, as "<=" does, but it is a lower bound.
        let text = BUILTIN.replace(
            "op = \">=\"\nbound = \"1500\"",
            "op = \"<=\"\nbound = \"1500\"",
        );
        assert_ne!(text, BUILTIN);
        let error = Rulebook::parse("variant.toml", &text).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("'以上' reads as >= (Civil Code, Art. 1259), not '<='"),
            "{error}"
        );
    }

    #[test]
    fn a_bound_words_table_that_contradicts_itself_is_rejected() {
        let text = BUILTIN.replace("\"以内\" = [\"<=\"]", "\"以内\" = [\"<\"]");
        assert_ne!(text, BUILTIN);
        let error = Rulebook::parse("variant.toml", &text).unwrap_err();
        assert!(
            error.to_string().contains(
                "bound_words.civil_code_1259, '以内': op '<' does not fit an inclusive word"
            ),
            "{error}"
        );
        let twice = BUILTIN.replace("\"达到\" = [\">=\"]", "\"以上\" = [\">=\"]");
        let error = Rulebook::parse("variant.toml", &twice).unwrap_err();
        assert!(error.to_string().contains("listed twice"), "{error}");
        let unknown_op = BUILTIN.replace("\"以内\" = [\"<=\"]", "\"以内\" = [\"=<\"]");
        let error = Rulebook::parse("variant.toml", &unknown_op).unwrap_err();
        assert!(error.to_string().contains("=<"), "{error}");
    }

    #[test]
    fn builtin_rulebook_is_valid() {
        let rulebook = Rulebook::parse("builtin", BUILTIN).unwrap();
        assert_eq!(rulebook.meta.id, "yunnan-2022");
        assert!(rulebook.clause("A10.2.debt-ratio").is_some());
    }

    #[test]
    fn word_contradicting_op_is_rejected() {
        let text = BUILTIN.replace(
            "op = \"<\"\nbound = \"70%\"",
            "op = \"<=\"\nbound = \"70%\"",
        );
        let error = Rulebook::parse("variant.toml", &text).unwrap_err();
        assert!(
            error.to_string().contains(
                "'低于' excludes the bound (the rulebook's reading) but op '<=' includes it"
            ),
            "{error}"
        );
    }

    #[test]
    fn unknown_metric_is_rejected() {
        let text = BUILTIN.replace(
            "metric = \"facilities.rnd_floor_area\"",
            "metric = \"facilities.floor\"",
        );
        let error = Rulebook::parse("variant.toml", &text).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("facilities.floor: unknown metric"),
            "{error}"
        );
    }

    #[test]
    fn bound_in_wrong_unit_is_rejected() {
        let text = BUILTIN.replace("bound = \"70%\"", "bound = \"70平方米\"");
        let error = Rulebook::parse("variant.toml", &text).unwrap_err();
        assert!(error.to_string().contains("bound '70平方米'"), "{error}");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_line() {
        let text = BUILTIN.replace("id = \"A4.field\"\n", "id = \"A4.field\"\nseverty = 1\n");
        let error = Rulebook::parse("variant.toml", &text).unwrap_err();
        assert!(error.to_string().contains("severty"), "{error}");
        assert!(error.to_string().contains("line"), "{error}");
        // Inside a rule too: a typo in a comparator's key must not drop the bound.
        let text = BUILTIN.replace("bound = \"1500\"", "bund = \"1500\"");
        let error = Rulebook::parse("variant.toml", &text).unwrap_err();
        assert!(error.to_string().contains("bund"), "{error}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let text = BUILTIN.replace("id = \"A10.4.equipment\"", "id = \"A10.4.floor-area\"");
        let error = Rulebook::parse("variant.toml", &text).unwrap_err();
        assert!(error.to_string().contains("used twice"), "{error}");
    }
}
