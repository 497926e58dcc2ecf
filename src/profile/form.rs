//! A profile from a web form: each input named by its dotted path (`facilities.rnd_floor_area`,
//! `rnd_spend.2023`), holding what the applicant typed. The form stands for the TOML profile it
//! is written as here, which is checked like any profile and offered for download. Itemised
//! evidence comes as numbered rows, `project.1.name`, `project.1.level`, `project.2.name`, …
//! (SPEC §4 `[[project]]`).

use std::collections::BTreeMap;

use super::fields::{self, FieldType, APPLICATION};
use super::value::parse_date;

/// The TOML text of a form's fields. Empty inputs are left out (missing data, SPEC §4); inputs
/// that name no field of the profile (the form's buttons) are ignored. A value is written bare
/// when it is a plain number, a boolean or a date, and as a string otherwise, so that the
/// loader reads it, and reports it, as it reads a value typed into a TOML file.
pub fn toml_from_form(pairs: &[(String, String)]) -> String {
    let mut text = String::from(
        "# ticheck 申报单位档案（由网页表单生成）/ applicant profile, from the web form\n",
    );
    for section in APPLICATION.sections() {
        if APPLICATION.item(section).is_some() {
            continue;
        }
        let mut lines = Vec::new();
        for (path, raw) in pairs {
            let raw = raw.trim();
            let Some((table, key)) = path.split_once('.') else {
                continue;
            };
            if table != section || raw.is_empty() {
                continue;
            }
            let ty = match (fields::field(path), APPLICATION.series(table)) {
                (Some(field), _) => field.ty,
                (None, Some(series))
                    if key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    FieldType::Number(series.quantity)
                }
                _ => continue,
            };
            lines.push(format!("{key} = {}", value(ty, raw)));
        }
        if !lines.is_empty() {
            text.push_str(&format!("\n[{section}]\n"));
            for line in lines {
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
    for item in APPLICATION.items {
        for (_, row) in item_rows(pairs, item.table) {
            text.push_str(&format!("\n[[{}]]\n", item.table));
            for field in item.fields {
                let Some(raw) = row.get(field.path).map(|raw| raw.trim()) else {
                    continue;
                };
                if !raw.is_empty() {
                    text.push_str(&format!("{} = {}\n", field.path, value(field.ty, raw)));
                }
            }
        }
    }
    text
}

/// A row of an itemised table as the form numbers it (`project.N.KEY`), by its fields' keys.
pub type FormRow = (usize, BTreeMap<&'static str, String>);

/// The rows of an itemised table the form holds (`project.N.KEY`), in the order of their
/// numbers, each with its number and by its fields' keys; rows with nothing typed are left
/// out, so the profile's `project[1]`, `project[2]` are the rows that hold something, in order,
/// and the number says which row of the form each one is (for messages that name it).
pub fn item_rows(pairs: &[(String, String)], table: &str) -> Vec<FormRow> {
    let Some(item) = APPLICATION.item(table) else {
        return Vec::new();
    };
    let mut rows: BTreeMap<usize, BTreeMap<&'static str, String>> = BTreeMap::new();
    for (path, raw) in pairs {
        let Some((number, key)) = path
            .strip_prefix(table)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|rest| rest.split_once('.'))
        else {
            continue;
        };
        let (Ok(number), Some(field)) = (number.parse::<usize>(), item.field(key)) else {
            continue;
        };
        rows.entry(number)
            .or_default()
            .insert(field.path, raw.clone());
    }
    rows.into_iter()
        .filter(|(_, row)| row.values().any(|raw| !raw.trim().is_empty()))
        .collect()
}

fn value(ty: FieldType, raw: &str) -> String {
    let string = || ::toml::Value::String(raw.to_string()).to_string();
    match ty {
        FieldType::Bool => match raw {
            "true" | "是" => "true".to_string(),
            "false" | "否" => "false".to_string(),
            _ => string(),
        },
        FieldType::Number(_) if is_plain_number(raw) => raw.to_string(),
        FieldType::Date if is_toml_date(raw) => raw.to_string(),
        // Anything else is a string, which TOML always reads; the loader's value parser then
        // reads it as it reads a string typed into a profile (`0120` is 120, `１２０` is 120),
        // or reports it under the field's name. Nothing typed can make the TOML unreadable.
        _ => string(),
    }
}

/// `1800`, `0.582`, `-5` (a negative amount is the loader's to report): digits with at most
/// one point, and no leading zero (`0120`, which TOML does not read as a number).
fn is_plain_number(raw: &str) -> bool {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `2024-03-15`, a date TOML reads bare; `2024/03/15` and `2024.03.15` are strings to the
/// value parser.
fn is_toml_date(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    parse_date(raw).is_ok()
        && bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_becomes_the_toml_profile_it_stands_for() {
        let text = toml_from_form(&pairs(&[
            ("applicant.name", "云南\"某\"公司"),
            ("applicant.kind", "enterprise"),
            ("applicant.application_date", "2024-03-15"),
            ("applicant.industry_leader", "true"),
            ("facilities.rnd_floor_area", "1800"),
            ("facilities.equipment_value", "2350万元"),
            ("finance.debt_ratio", "58.2%"),
            ("rnd_spend.2023", "1320"),
            ("team.fixed_staff", ""),
            ("submit", "check"),
            ("nosuch.field", "1"),
        ]));
        let profile = crate::profile::toml::load("form", &text).expect(&text);
        assert_eq!(profile.name(), Some("云南\"某\"公司"));
        assert!(text.contains("rnd_floor_area = 1800\n"), "{text}");
        assert!(text.contains("equipment_value = \"2350万元\""), "{text}");
        assert!(text.contains("application_date = 2024-03-15\n"), "{text}");
        assert!(text.contains("2023 = 1320\n"), "{text}");
        assert!(
            !text.contains("fixed_staff"),
            "an empty input is missing: {text}"
        );
        assert!(
            !text.contains("nosuch") && !text.contains("submit"),
            "{text}"
        );
    }

    #[test]
    fn numbered_rows_become_items_and_empty_rows_are_left_out() {
        let text = toml_from_form(&pairs(&[
            ("project.1.name", "高纯金属"),
            ("project.1.level", "national"),
            ("project.1.year", "2022"),
            ("project.1.related", "true"),
            ("project.2.name", ""),
            ("project.2.level", ""),
            ("project.3.name", "稀贵金属"),
            ("project.3.level", "provincial"),
            ("transfer.1.benefit", "1200万元"),
            ("project.x.name", "not a row"),
            ("project.4.nosuch", "1"),
        ]));
        let profile = crate::profile::toml::load("form", &text).expect(&text);
        let projects = profile.items("project");
        assert_eq!(projects.len(), 2, "{text}");
        assert_eq!(projects[1].name(), Some("稀贵金属"));
        assert!(text.contains("year = 2022\n"), "{text}");
        assert!(text.contains("related = true\n"), "{text}");
        assert_eq!(profile.items("transfer").len(), 1, "{text}");
        assert!(
            !text.contains("not a row") && !text.contains("nosuch"),
            "{text}"
        );
    }

    #[test]
    fn a_bad_value_is_the_loaders_to_report() {
        let text = toml_from_form(&pairs(&[("facilities.rnd_floor_area", "很多")]));
        let error = crate::profile::toml::load("form", &text).unwrap_err();
        assert_eq!(
            error.problems[0].field.as_deref(),
            Some("facilities.rnd_floor_area")
        );
    }

    #[test]
    fn leading_zeros_and_other_spellings_are_read_or_named_never_a_toml_error() {
        let load = |path: &str, raw: &str| {
            let text = toml_from_form(&pairs(&[(path, raw)]));
            crate::profile::toml::load("form", &text).map(|profile| {
                profile
                    .get(path)
                    .and_then(|value| value.value.as_number())
                    .map(crate::profile::value::plain)
            })
        };
        assert_eq!(
            load("team.fixed_staff", "0120").unwrap().as_deref(),
            Some("120")
        );
        assert_eq!(
            load("finance.total_assets", "0100").unwrap().as_deref(),
            Some("100")
        );
        assert_eq!(
            load("team.fixed_staff", "１２０").unwrap().as_deref(),
            Some("120")
        );
        assert_eq!(load("team.fixed_staff", "0").unwrap().as_deref(), Some("0"));
        for raw in [
            "1_000", "+5", "1e3", ".5", "5.", "0x10", "inf", "nan", "-0120", "00.5",
        ] {
            for path in [
                "team.fixed_staff",
                "finance.total_assets",
                "finance.debt_ratio",
            ] {
                if let Err(error) = load(path, raw) {
                    assert!(
                        error
                            .problems
                            .iter()
                            .all(|p| p.field.as_deref() == Some(path)),
                        "{path} = {raw:?}: {:?}",
                        error.problems
                    );
                }
            }
        }
    }

    #[test]
    fn a_date_toml_does_not_read_bare_is_written_as_a_string() {
        for raw in ["2024/03/15", "2024.03.15", "2024-03-15"] {
            let text = toml_from_form(&pairs(&[("applicant.application_date", raw)]));
            let profile = crate::profile::toml::load("form", &text).expect(&text);
            assert!(
                profile.get("applicant.application_date").is_some(),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        /// Whatever is typed in a field, the profile is read or its problems name that field.
        #[test]
        fn any_text_in_any_field_is_read_or_named(
            index in 0..fields::FIELDS.len(),
            raw in "[0-9０-９.+_eExa-f%\\-]{1,8}|\\PC{0,12}",
        ) {
            // A profile with nothing typed is the page's to report as empty.
            proptest::prop_assume!(!raw.trim().is_empty());
            let path = fields::FIELDS[index].path;
            let text = toml_from_form(&pairs(&[(path, &raw)]));
            if let Err(error) = crate::profile::toml::load("form", &text) {
                for problem in &error.problems {
                    proptest::prop_assert_eq!(problem.field.as_deref(), Some(path), "{}", text);
                }
            }
        }
    }
}
