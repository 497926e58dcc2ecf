//! Integration tests that run the real `ticheck` binary against the shipped fixtures and the
//! contract of `../shared/SPEC.md`: commands, the JSON core, verdict words and exit codes.
//!
//! Every command runs in the crate root (so that sources read `fixtures/…`), with
//! `COLUMNS=160` and without `LANG`/`LC_ALL`/`LC_MESSAGES`, so the output does not depend on
//! the terminal or the locale of whoever runs the tests. Snapshots live in `tests/snapshots/`;
//! after an intended change of the output, review and accept them with
//! `INSTA_UPDATE=always cargo test --test cli` (or `cargo insta review`).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{root, run, ticheck, Run};

const ELIGIBLE: &str = "fixtures/eligible-enterprise.toml";
const INELIGIBLE: &str = "fixtures/ineligible-enterprise.toml";
const UNIVERSITY: &str = "fixtures/university-partners.toml";
const INCOMPLETE: &str = "fixtures/incomplete-institute.toml";
const TYPO_KEY: &str = "fixtures/invalid/typo-key.toml";
const BAD_VALUES: &str = "fixtures/invalid/bad-values.toml";
const SYNTAX_ERROR: &str = "fixtures/invalid/syntax-error.toml";

/// Every clause id of SPEC §1, with its severity.
const CLAUSES: [(&str, &str); 24] = [
    ("A10.1.registered", "condition"),
    ("A10.2.industry-leader", "condition"),
    ("A10.2.rnd-unit", "condition"),
    ("A10.2.operating", "condition"),
    ("A10.2.debt-ratio", "condition"),
    ("A10.2.partners", "condition"),
    ("A10.2.team-size", "condition"),
    ("A10.2.team-quality", "condition"),
    ("A10.2.leadership", "condition"),
    ("A10.3.projects", "condition"),
    ("A10.3.network", "condition"),
    ("A10.4.support", "condition"),
    ("A10.4.floor-area", "condition"),
    ("A10.4.equipment", "condition"),
    ("A10.4.rnd-spend", "condition"),
    ("A10.5.standards", "condition"),
    ("A10.5.ip", "condition"),
    ("A10.5.transfers", "condition"),
    ("A10.5.benefit", "condition"),
    ("A10.5.achievements", "condition"),
    ("A10.6.local-support", "condition"),
    ("A28.matching", "advisory"),
    ("A8.priority", "info"),
    ("A4.field", "info"),
];

const CLAUSE_VERDICTS: [&str; 5] = ["pass", "fail", "missing", "review", "n/a"];
const OVERALL_VERDICTS: [&str; 4] = ["eligible", "ineligible", "incomplete", "error"];

/// A profile that meets every automatable condition, applied for after the trial measures
/// expired (2025-04-05): eligible, but with the validity-window warning.
const LATE_PROFILE: &str = r#"
[applicant]
name = "云南迟报科技有限公司"
kind = "enterprise"
prefecture = "昆明市"
field = "有色金属"
application_date = 2025-06-01
registered_in_yunnan = true
industry_leader = true
independent_rnd_unit = true
operating_well = true
host_support = true
national_ertc_host = false

[finance]
debt_ratio = "58.2%"

[team]
fixed_staff = 128
qualified_staff = 70

[facilities]
rnd_floor_area = 1800
equipment_value = "2350万元"

[rnd_spend]
2023 = 1250
2024 = "1320万元"

[record]
national_projects = 1
provincial_projects = 2
industry_standards = 2
class_i_ip = 3
class_ii_ip = 10
transfers = 6
transfer_benefit = 5600

[support]
local_commitment = true
pre_investment = 800
matching_funds = 1500
"#;

// ---------------------------------------------------------------------------------------------
// Helpers

/// `ticheck ARGS…` with the given arguments.
fn ticheck_run(args: &[&str]) -> Run {
    run(ticheck().args(args))
}

/// `ticheck check FILES… --format json --lang en EXTRA…`, its exit code and its parsed JSON,
/// with the JSON core of SPEC §5 already asserted.
fn check_json(files: &[&str], extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["check"];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--format", "json", "--lang", "en"]);
    args.extend_from_slice(extra);
    let output = ticheck_run(&args);
    let json = output.json();
    assert_core(&json);
    assert_eq!(
        json["results"].as_array().unwrap().len(),
        files.len(),
        "one result per file"
    );
    (output.code, json, output.stderr)
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn assert_has_keys(value: &Value, wanted: &[&str], what: &str) {
    let present = keys(value);
    for key in wanted {
        assert!(
            present.contains(key),
            "{what} lacks the key {key:?}: {value:#}"
        );
    }
}

fn is_string_or_null(value: &Value) -> bool {
    value.is_string() || value.is_null()
}

/// The stable JSON core of SPEC §5, the verdict words of SPEC §2, every clause id of SPEC §1
/// exactly once with its severity, and the overall verdict derived as SPEC §2 says.
fn assert_core(json: &Value) {
    assert_has_keys(json, &["rulebook", "results", "summary"], "the report");
    let rulebook = &json["rulebook"];
    assert_has_keys(
        rulebook,
        &["id", "effective_from", "effective_until"],
        "rulebook",
    );
    assert_eq!(rulebook["id"], "yunnan-2022");
    assert_eq!(rulebook["effective_from"], "2022-04-06");
    assert_eq!(rulebook["effective_until"], "2025-04-05");

    let results = json["results"].as_array().expect("results is an array");
    let mut counted = [0usize; 4];
    for result in results {
        assert_has_keys(
            result,
            &[
                "source",
                "applicant",
                "verdict",
                "clauses",
                "warnings",
                "error",
            ],
            "a result",
        );
        assert!(result["source"].is_string(), "source: {result:#}");
        assert!(is_string_or_null(&result["applicant"]));
        let verdict = result["verdict"].as_str().expect("verdict is a string");
        let index = OVERALL_VERDICTS
            .iter()
            .position(|v| *v == verdict)
            .unwrap_or_else(|| panic!("unknown overall verdict {verdict:?}"));
        counted[index] += 1;
        for warning in result["warnings"].as_array().expect("warnings is an array") {
            assert!(warning.is_string(), "a warning is a string: {warning}");
        }
        let clauses = result["clauses"].as_array().expect("clauses is an array");
        if verdict == "error" {
            assert!(
                result["error"].as_str().is_some_and(|e| !e.is_empty()),
                "an error result carries its message: {result:#}"
            );
            continue;
        }
        assert!(result["error"].is_null(), "no error message: {result:#}");
        for clause in clauses {
            assert_has_keys(
                clause,
                &["id", "verdict", "severity", "actual", "required"],
                "a clause",
            );
            let word = clause["verdict"].as_str().unwrap();
            assert!(CLAUSE_VERDICTS.contains(&word), "verdict word {word:?}");
            assert!(is_string_or_null(&clause["actual"]), "actual: {clause}");
            assert!(clause["required"].is_string(), "required: {clause}");
        }
        for (id, severity) in CLAUSES {
            let found: Vec<&Value> = clauses.iter().filter(|c| c["id"] == id).collect();
            assert_eq!(
                found.len(),
                1,
                "{id} appears exactly once in {}",
                result["source"]
            );
            assert_eq!(found[0]["severity"], severity, "severity of {id}");
        }
        for clause in clauses {
            let id = clause["id"].as_str().unwrap();
            assert!(
                CLAUSES.iter().any(|(known, _)| *known == id),
                "{id} is not a clause of SPEC §1"
            );
        }
        // SPEC §2: eligible when no condition fails or is missing; ineligible when any
        // condition fails; otherwise incomplete.
        let conditions = || clauses.iter().filter(|c| c["severity"] == "condition");
        let expected = if conditions().any(|c| c["verdict"] == "fail") {
            "ineligible"
        } else if conditions().any(|c| c["verdict"] == "missing") {
            "incomplete"
        } else {
            "eligible"
        };
        assert_eq!(verdict, expected, "overall verdict of {}", result["source"]);
    }

    let summary = &json["summary"];
    assert_has_keys(
        summary,
        &["eligible", "ineligible", "incomplete", "error"],
        "summary",
    );
    for (index, word) in OVERALL_VERDICTS.iter().enumerate() {
        assert_eq!(
            summary[word].as_u64(),
            Some(counted[index] as u64),
            "summary.{word} counts the results"
        );
    }
}

fn only_result(json: &Value) -> &Value {
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    &results[0]
}

fn clause<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id} in {result:#}"))
}

fn assert_clause(result: &Value, id: &str, verdict: &str, actual: Option<&str>, required: &str) {
    let found = clause(result, id);
    assert_eq!(found["verdict"], verdict, "verdict of {id}: {found:#}");
    if let Some(actual) = actual {
        assert_eq!(found["actual"], actual, "actual of {id}: {found:#}");
    }
    assert_eq!(found["required"], required, "required of {id}: {found:#}");
}

fn warnings(result: &Value) -> Vec<&str> {
    result["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect()
}

/// A line of `stderr` of the form `[error: ]FILE:LINE:COLUMN: FIELD: …` (`错误: ` in Chinese).
fn assert_problem(stderr: &str, file: &str, line: u32, field: &str) {
    let prefix = format!("{file}:{line}:");
    let found = stderr.lines().any(|text| {
        let text = text
            .strip_prefix("error: ")
            .or_else(|| text.strip_prefix("错误: "))
            .unwrap_or(text);
        text.strip_prefix(&prefix)
            .and_then(|rest| rest.split_once(": "))
            .is_some_and(|(column, rest)| {
                !column.is_empty()
                    && column.chars().all(|c| c.is_ascii_digit())
                    && rest.starts_with(&format!("{field}: "))
            })
    });
    assert!(
        found,
        "no line '{file}:{line}:<column>: {field}: …' in stderr:\n{stderr}"
    );
}

/// The cells of the table row whose first cell starts with `first`.
fn table_row(stdout: &str, first: &str) -> Vec<String> {
    // A cell that wraps continues on the next lines, whose first cell is empty. The knock-out
    // list (column 3) is joined back with spaces; the other cells keep their first line.
    let mut logical: Vec<Vec<String>> = Vec::new();
    for cells in stdout
        .lines()
        .filter_map(|line| line.strip_prefix('│')?.strip_suffix('│'))
        .map(|line| {
            line.split('┆')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
    {
        match logical.last_mut() {
            Some(previous) if cells[0].is_empty() && previous.len() == cells.len() => {
                if !cells[3].is_empty() {
                    previous[3].push(' ');
                    previous[3].push_str(&cells[3]);
                }
            }
            _ => logical.push(cells),
        }
    }
    let rows: Vec<Vec<String>> = logical
        .into_iter()
        .filter(|cells: &Vec<String>| cells[0].starts_with(first))
        .collect();
    assert_eq!(
        rows.len(),
        1,
        "exactly one row starting with {first:?}:\n{stdout}"
    );
    rows.into_iter().next().unwrap()
}

fn temp_file(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    path
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

fn shipped_rulebook() -> String {
    fs::read_to_string(root().join("src/rules/yunnan-2022.toml")).unwrap()
}

/// The floor-area clause's bound in the shipped rulebook, and the text after it.
const FLOOR_AREA_BOUND: &str =
    "metric = \"facilities.rnd_floor_area\"\nop = \">=\"\nbound = \"1500\"";

// ---------------------------------------------------------------------------------------------
// The fixtures: exit codes and the JSON core

#[test]
fn eligible_enterprise_is_eligible() {
    let (code, json, _) = check_json(&[ELIGIBLE], &[]);
    assert_eq!(code, 0);
    let result = only_result(&json);
    assert_eq!(result["source"], ELIGIBLE);
    assert_eq!(result["applicant"], "云南滇铜新材料科技有限公司");
    assert_eq!(result["verdict"], "eligible");
    assert!(warnings(result).is_empty(), "{result:#}");
    assert_clause(result, "A10.2.debt-ratio", "pass", Some("58.2%"), "< 70%");
    assert_clause(
        result,
        "A10.4.floor-area",
        "pass",
        Some("1800"),
        ">= 1500 m²",
    );
    assert_clause(
        result,
        "A10.4.equipment",
        "pass",
        Some("2350"),
        ">= 2000 万元",
    );
    // The group standard does not count; industry + national do.
    assert_clause(result, "A10.5.standards", "pass", Some("2"), ">= 2");
    // Five transfers in 2021–2023 worth 1800 + 1200 + 900 + 1100 + 1000 万元.
    assert_clause(result, "A10.5.transfers", "pass", Some("5"), ">= 5");
    assert_clause(
        result,
        "A10.5.benefit",
        "pass",
        Some("6000"),
        ">= 5000 万元",
    );
    assert_clause(result, "A10.2.partners", "n/a", None, ">= 2");
    for review in ["A10.2.leadership", "A10.3.network", "A10.5.achievements"] {
        assert_eq!(clause(result, review)["verdict"], "review", "{review}");
    }
    assert_eq!(
        common::counts(&json["summary"]),
        serde_json::json!({"eligible": 1, "ineligible": 0, "incomplete": 0, "error": 0})
    );
}

#[test]
fn ineligible_enterprise_fails_at_the_bounds() {
    let (code, json, _) = check_json(&[INELIGIBLE], &[]);
    assert_eq!(code, 1);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "ineligible");
    // 低于 70% excludes 70%.
    assert_clause(result, "A10.2.debt-ratio", "fail", Some("70%"), "< 70%");
    assert_clause(
        result,
        "A10.4.floor-area",
        "fail",
        Some("1450"),
        ">= 1500 m²",
    );
    let spend = clause(result, "A10.4.rnd-spend");
    assert_eq!(spend["verdict"], "fail", "{spend:#}");
    assert!(
        spend["actual"].as_str().unwrap().contains("980"),
        "{spend:#}"
    );
    // Everything else that is automatable passes.
    for id in [
        "A10.1.registered",
        "A10.2.industry-leader",
        "A10.2.rnd-unit",
        "A10.2.operating",
        "A10.2.team-size",
        "A10.2.team-quality",
        "A10.3.projects",
        "A10.4.support",
        "A10.4.equipment",
        "A10.5.standards",
        "A10.5.ip",
        "A10.5.transfers",
        "A10.5.benefit",
        "A10.6.local-support",
    ] {
        assert_eq!(clause(result, id)["verdict"], "pass", "{id}");
    }
    // Art. 28 is advisory: 1000 < 1500 万元 for an enterprise, reported but not deciding.
    let matching = clause(result, "A28.matching");
    assert_eq!(matching["verdict"], "fail");
    assert_eq!(matching["severity"], "advisory");
    assert_eq!(
        common::counts(&json["summary"]),
        serde_json::json!({"eligible": 0, "ineligible": 1, "incomplete": 0, "error": 0})
    );
}

#[test]
fn university_partners_is_eligible_with_enterprise_clauses_not_applicable() {
    let (code, json, _) = check_json(&[UNIVERSITY], &[]);
    assert_eq!(code, 0);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "eligible");
    for id in [
        "A10.2.industry-leader",
        "A10.2.rnd-unit",
        "A10.2.operating",
        "A10.2.debt-ratio",
    ] {
        assert_eq!(clause(result, id)["verdict"], "n/a", "{id}");
    }
    assert_clause(result, "A10.2.partners", "pass", Some("3"), ">= 2");
    // Exactly 5000 万元: 以上 includes the number itself.
    assert_clause(
        result,
        "A10.5.benefit",
        "pass",
        Some("5000"),
        ">= 5000 万元",
    );
    assert_clause(result, "A10.5.transfers", "pass", Some("5"), ">= 5");
    // Non-enterprise applicants match at least 1 × 500 万元.
    assert_clause(result, "A28.matching", "pass", Some("800"), ">= 500 万元");
    // Division 530000 is the province itself.
    assert_eq!(clause(result, "A10.1.registered")["verdict"], "pass");
}

#[test]
fn incomplete_institute_names_the_missing_fields() {
    let (code, json, _) = check_json(&[INCOMPLETE], &[]);
    assert_eq!(code, 1);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "incomplete");
    let spend = clause(result, "A10.4.rnd-spend");
    assert_eq!(spend["verdict"], "missing", "{spend:#}");
    let missing: Vec<&str> = spend["missing"]
        .as_array()
        .expect("a missing clause lists the fields in \"missing\"")
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(missing.contains(&"rnd_spend.2022"), "{spend:#}");
    assert!(!missing.contains(&"rnd_spend.2023"), "{spend:#}");
    for id in ["A10.5.transfers", "A10.5.benefit"] {
        let found = clause(result, id);
        assert_eq!(found["verdict"], "missing", "{found:#}");
        assert!(
            !found["missing"].as_array().unwrap().is_empty(),
            "{id} names what is missing: {found:#}"
        );
    }
    // Nothing that is filled in fails.
    let conditions = result["clauses"].as_array().unwrap();
    assert!(
        !conditions
            .iter()
            .any(|c| c["severity"] == "condition" && c["verdict"] == "fail"),
        "{result:#}"
    );
    assert_eq!(clause(result, "A10.2.partners")["verdict"], "pass");
}

/// The eligible fixture with some lines replaced, checked from a temporary file.
fn check_variant(replacements: &[(&str, &str)]) -> (i32, Value) {
    let mut text = fs::read_to_string(root().join(ELIGIBLE)).unwrap();
    for (from, to) in replacements {
        assert_eq!(
            text.matches(from).count(),
            1,
            "{from:?} is in the fixture once"
        );
        text = text.replace(from, to);
    }
    let dir = TempDir::new().unwrap();
    let file = temp_file(&dir, "variant.toml", &text);
    let (code, json, _) = check_json(&[path_str(&file)], &[]);
    (code, json)
}

#[test]
fn bounds_are_inclusive_or_exclusive_as_the_law_says() {
    // 低于 70%: liabilities of exactly 70% of the assets fail.
    let (code, json) = check_variant(&[(
        "total_liabilities = \"30,264万元\"",
        "total_liabilities = 36400",
    )]);
    assert_eq!(code, 1);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "ineligible");
    assert_clause(result, "A10.2.debt-ratio", "fail", Some("70%"), "< 70%");

    // 69.99% passes; 以上 and 不少于 include the number itself.
    let (code, json) = check_variant(&[
        (
            "total_liabilities = \"30,264万元\"",
            "total_liabilities = \"36,394.8万元\"",
        ),
        (
            "rnd_floor_area = \"1800平方米\"",
            "rnd_floor_area = \"1500 m2\"",
        ),
        ("2022 = 1250", "2022 = \"10,000,000元\""),
    ]);
    assert_eq!(code, 0);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "eligible");
    assert_clause(result, "A10.2.debt-ratio", "pass", Some("69.99%"), "< 70%");
    assert_clause(
        result,
        "A10.4.floor-area",
        "pass",
        Some("1500"),
        ">= 1500 m²",
    );
    assert_eq!(clause(result, "A10.4.rnd-spend")["verdict"], "pass");
}

#[test]
fn verdict_words_do_not_depend_on_the_language() {
    let en = check_json(&[INELIGIBLE], &[]).1;
    let output = ticheck_run(&["check", INELIGIBLE, "--format", "json", "--lang", "zh"]);
    assert_eq!(output.code, 1);
    let zh = output.json();
    assert_core(&zh);
    let words = |json: &Value| -> Vec<(String, String, String)> {
        only_result(json)["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["verdict"].as_str().unwrap().to_string(),
                    c["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(words(&en), words(&zh));
    assert_eq!(only_result(&zh)["verdict"], "ineligible");
}

#[test]
fn each_invalid_fixture_exits_2_and_is_an_error_result() {
    for file in [TYPO_KEY, BAD_VALUES, SYNTAX_ERROR] {
        let table = ticheck_run(&["check", file, "--lang", "en"]);
        assert_eq!(table.code, 2, "{file}: {}", table.stderr);
        assert!(table.stderr.contains(file), "{file}: {}", table.stderr);

        let (code, json, stderr) = check_json(&[file], &[]);
        assert_eq!(code, 2, "{file}");
        assert!(stderr.contains(file), "{file}: {stderr}");
        let result = only_result(&json);
        assert_eq!(result["verdict"], "error", "{file}");
        assert_eq!(result["source"], file);
        let error = result["error"].as_str().expect("error is a string");
        assert!(error.contains(file), "{file}: {error}");
        assert_eq!(
            common::counts(&json["summary"]),
            serde_json::json!({"eligible": 0, "ineligible": 0, "incomplete": 0, "error": 1})
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Invalid input

#[test]
fn a_typo_in_a_key_names_file_line_column_field_and_suggests() {
    let output = ticheck_run(&["check", TYPO_KEY, "--lang", "en"]);
    assert_eq!(output.code, 2);
    assert!(
        output
            .stderr
            .contains("fixtures/invalid/typo-key.toml:6:1: facilities.rnd_floor_aera"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("did you mean 'rnd_floor_area'"),
        "{}",
        output.stderr
    );

    let zh = ticheck_run(&["check", TYPO_KEY, "--lang", "zh"]);
    assert_eq!(zh.code, 2);
    assert!(
        zh.stderr
            .contains("fixtures/invalid/typo-key.toml:6:1: facilities.rnd_floor_aera"),
        "{}",
        zh.stderr
    );
    assert!(zh.stderr.contains("rnd_floor_area"), "{}", zh.stderr);

    let (_, json, _) = check_json(&[TYPO_KEY], &[]);
    let error = only_result(&json)["error"].as_str().unwrap();
    assert!(error.contains("typo-key.toml:6:1"), "{error}");
    assert!(error.contains("rnd_floor_aera"), "{error}");
}

#[test]
fn bad_values_reports_all_five_problems() {
    let problems = [
        (3, "applicant.kind"),
        (4, "applicant.uscc"),
        (7, "finance.debt_ratio"),
        (10, "team.fixed_staff"),
        (13, "facilities.equipment_value"),
    ];
    for lang in ["en", "zh"] {
        let output = ticheck_run(&["check", BAD_VALUES, "--lang", lang]);
        assert_eq!(output.code, 2, "{lang}");
        for (line, field) in problems {
            assert_problem(&output.stderr, BAD_VALUES, line, field);
        }
    }
    let output = ticheck_run(&["check", BAD_VALUES, "--lang", "en"]);
    // Each problem says what is wrong with the value.
    assert!(output.stderr.contains("enterprize"), "{}", output.stderr);
    assert!(
        output.stderr.contains("\"65%\""),
        "a bare ratio above 1 suggests a percentage string: {}",
        output.stderr
    );
    assert!(output.stderr.contains("美元"), "{}", output.stderr);

    let (code, json, _) = check_json(&[BAD_VALUES], &[]);
    assert_eq!(code, 2);
    let error = only_result(&json)["error"].as_str().unwrap();
    for (line, field) in problems {
        assert!(
            error.contains(&format!("{BAD_VALUES}:{line}:")) && error.contains(field),
            "the JSON error names {field} at line {line}: {error}"
        );
    }
}

#[test]
fn a_syntax_error_names_line_2() {
    for lang in ["en", "zh"] {
        let output = ticheck_run(&["check", SYNTAX_ERROR, "--lang", lang]);
        assert_eq!(output.code, 2);
        assert!(
            output.stderr.contains(&format!("{SYNTAX_ERROR}:2:")),
            "{}",
            output.stderr
        );
    }
    let (_, json, _) = check_json(&[SYNTAX_ERROR], &[]);
    let error = only_result(&json)["error"].as_str().unwrap();
    assert!(error.contains(&format!("{SYNTAX_ERROR}:2:")), "{error}");
}

#[test]
fn a_nonexistent_file_exits_2_naming_the_file() {
    let missing = "fixtures/no-such-profile.toml";
    let output = ticheck_run(&["check", missing, "--lang", "en"]);
    assert_eq!(output.code, 2);
    assert!(output.stderr.contains(missing), "{}", output.stderr);

    let (code, json, stderr) = check_json(&[missing], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains(missing), "{stderr}");
    let result = only_result(&json);
    assert_eq!(result["verdict"], "error");
    assert!(
        result["error"].as_str().unwrap().contains(missing),
        "{result:#}"
    );
}

#[test]
fn an_invalid_file_among_several_does_not_stop_the_others() {
    let files = [
        ELIGIBLE,
        TYPO_KEY,
        INELIGIBLE,
        "fixtures/no-such-profile.toml",
    ];
    let (code, json, stderr) = check_json(&files, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains(TYPO_KEY), "{stderr}");
    assert!(stderr.contains("no-such-profile.toml"), "{stderr}");
    let results = json["results"].as_array().unwrap();
    let sources: Vec<&str> = results
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, files);
    let verdicts: Vec<&str> = results
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["eligible", "error", "ineligible", "error"]);
    assert_eq!(
        common::counts(&json["summary"]),
        serde_json::json!({"eligible": 1, "ineligible": 1, "incomplete": 0, "error": 2})
    );

    // The table still lists every file, the invalid ones as errors.
    let table = ticheck_run(&["check", ELIGIBLE, TYPO_KEY, INELIGIBLE, "--lang", "en"]);
    assert_eq!(table.code, 2);
    assert_eq!(table_row(&table.stdout, ELIGIBLE)[2], "eligible");
    assert_eq!(table_row(&table.stdout, TYPO_KEY)[2], "error");
    assert_eq!(table_row(&table.stdout, INELIGIBLE)[2], "ineligible");
    assert!(
        table
            .stdout
            .contains("3 applicants: 1 eligible, 1 ineligible, 0 incomplete, 1 error"),
        "{}",
        table.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Several profiles

#[test]
fn several_profiles_one_line_each_then_the_knock_outs() {
    let files = [ELIGIBLE, INELIGIBLE, UNIVERSITY, INCOMPLETE];
    let mut args = vec!["check"];
    args.extend_from_slice(&files);
    args.extend_from_slice(&["--lang", "en"]);
    let output = ticheck_run(&args);
    assert_eq!(output.code, 1, "{}", output.stderr);
    for file in files {
        let rows = output.stdout.lines().filter(|line| line.starts_with('│'));
        assert_eq!(
            rows.filter(|line| line.contains(file)).count(),
            1,
            "{file} has one row:\n{}",
            output.stdout
        );
    }
    assert_eq!(table_row(&output.stdout, ELIGIBLE)[2], "eligible");
    assert_eq!(table_row(&output.stdout, UNIVERSITY)[2], "eligible");
    let ineligible = table_row(&output.stdout, INELIGIBLE);
    assert_eq!(ineligible[1], "云南红土机械制造有限公司");
    assert_eq!(ineligible[2], "ineligible");
    for id in ["A10.2.debt-ratio", "A10.4.floor-area", "A10.4.rnd-spend"] {
        assert!(ineligible[3].contains(id), "{ineligible:?}");
    }
    let incomplete = table_row(&output.stdout, INCOMPLETE);
    assert_eq!(incomplete[2], "incomplete");
    assert!(incomplete[3].contains("A10.4.rnd-spend?"), "{incomplete:?}");

    // No per-clause table with many applicants (unless --detail).
    assert!(!output.stdout.contains("Requirement"), "{}", output.stdout);

    // The knock-out table: clause, article, failed, missing.
    assert!(
        output.stdout.contains("Which clauses knock out how many"),
        "{}",
        output.stdout
    );
    let knock = |id: &str| -> (String, String) {
        let row = table_row(&output.stdout, &format!("{id} "));
        (row[2].clone(), row[3].clone())
    };
    assert_eq!(knock("A10.2.debt-ratio"), ("1".into(), "0".into()));
    assert_eq!(knock("A10.4.floor-area"), ("1".into(), "0".into()));
    assert_eq!(knock("A10.4.rnd-spend"), ("1".into(), "1".into()));
    assert_eq!(knock("A10.5.transfers"), ("0".into(), "1".into()));
    assert_eq!(knock("A10.5.benefit"), ("0".into(), "1".into()));
    assert!(
        output
            .stdout
            .contains("4 applicants: 2 eligible, 1 ineligible, 1 incomplete, 0 error"),
        "{}",
        output.stdout
    );

    let (code, json, _) = check_json(&files, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        common::counts(&json["summary"]),
        serde_json::json!({"eligible": 2, "ineligible": 1, "incomplete": 1, "error": 0})
    );

    let zh = ticheck_run(&[
        "check", ELIGIBLE, INELIGIBLE, UNIVERSITY, INCOMPLETE, "--lang", "zh",
    ]);
    assert_eq!(zh.code, 1);
    assert!(
        zh.stdout
            .contains("共 4 个申报单位：未发现不符合项 2，不符合 1，材料不全 1，无法读取 0"),
        "{}",
        zh.stdout
    );
    assert!(zh.stdout.contains("各条款淘汰情况"), "{}", zh.stdout);
}

#[test]
fn several_eligible_profiles_exit_0() {
    let (code, json, _) = check_json(&[ELIGIBLE, UNIVERSITY], &[]);
    assert_eq!(code, 0);
    assert_eq!(
        common::counts(&json["summary"]),
        serde_json::json!({"eligible": 2, "ineligible": 0, "incomplete": 0, "error": 0})
    );
}

#[test]
fn detail_prints_every_applicants_clause_table() {
    let output = ticheck_run(&["check", ELIGIBLE, INELIGIBLE, "--detail", "--lang", "en"]);
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stdout.matches("Applicant: ").count(),
        2,
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("2 applicants:"), "{}", output.stdout);
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the human output and of the JSON

#[test]
fn snapshot_table_eligible_enterprise_zh() {
    let output = ticheck_run(&["check", ELIGIBLE, "--lang", "zh"]);
    assert_eq!(output.code, 0);
    insta::assert_snapshot!("table_zh_eligible_enterprise", output.stdout);
}

#[test]
fn snapshot_table_eligible_enterprise_en() {
    let output = ticheck_run(&["check", ELIGIBLE, "--lang", "en"]);
    assert_eq!(output.code, 0);
    insta::assert_snapshot!("table_en_eligible_enterprise", output.stdout);
}

#[test]
fn snapshot_table_ineligible_enterprise_zh() {
    let output = ticheck_run(&["check", INELIGIBLE, "--lang", "zh"]);
    assert_eq!(output.code, 1);
    insta::assert_snapshot!("table_zh_ineligible_enterprise", output.stdout);
}

#[test]
fn snapshot_table_ineligible_enterprise_en() {
    let output = ticheck_run(&["check", INELIGIBLE, "--lang", "en"]);
    assert_eq!(output.code, 1);
    insta::assert_snapshot!("table_en_ineligible_enterprise", output.stdout);
}

#[test]
fn snapshot_json_ineligible_enterprise() {
    let (code, json, _) = check_json(&[INELIGIBLE], &[]);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!("json_ineligible_enterprise", json);
}

// ---------------------------------------------------------------------------------------------
// --as-of, the validity window and --strict

fn window_warnings(extra: &[&str], file: &str) -> Vec<String> {
    let (_, json, _) = check_json(&[file], extra);
    warnings(only_result(&json))
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_date_after_the_window_is_warned_about_naming_the_window() {
    let warned = window_warnings(&["--as-of", "2025-06-01"], ELIGIBLE);
    assert!(
        warned
            .iter()
            .any(|w| w.contains("2022-04-06") && w.contains("2025-04-05")),
        "{warned:?}"
    );
    let table = ticheck_run(&["check", ELIGIBLE, "--as-of", "2025-06-01", "--lang", "zh"]);
    assert!(
        table.stdout.contains("警告") && table.stdout.contains("2022-04-06 至 2025-04-05"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_date_inside_the_window_is_not_warned_about() {
    let (code, json, _) = check_json(&[ELIGIBLE], &["--as-of", "2024-06-01"]);
    assert_eq!(code, 0);
    assert!(warnings(only_result(&json)).is_empty(), "{json:#}");
}

#[test]
fn the_window_includes_its_first_and_last_day() {
    for (date, warned) in [
        ("2022-04-05", true),
        ("2022-04-06", false),
        ("2025-04-05", false),
        ("2025-04-06", true),
    ] {
        let found = window_warnings(&["--as-of", date], ELIGIBLE);
        let names_window = found
            .iter()
            .any(|w| w.contains("2022-04-06") && w.contains("2025-04-05"));
        assert_eq!(names_window, warned, "--as-of {date}: {found:?}");
    }
}

#[test]
fn as_of_shifts_the_year_windows() {
    // Y = 2025: R&D spend is needed for 2023 and 2024; 2024 is not given.
    let (code, json, _) = check_json(&[ELIGIBLE], &["--as-of", "2025-03-01"]);
    assert_eq!(code, 1);
    let result = only_result(&json);
    let spend = clause(result, "A10.4.rnd-spend");
    assert_eq!(spend["verdict"], "missing", "{spend:#}");
    assert!(
        spend["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "rnd_spend.2024"),
        "{spend:#}"
    );
}

#[test]
fn an_application_date_after_the_window_warns_and_strict_makes_it_exit_1() {
    let dir = TempDir::new().unwrap();
    let late = temp_file(&dir, "late.toml", LATE_PROFILE);
    let late = path_str(&late);

    let (code, json, _) = check_json(&[late], &[]);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "eligible", "{result:#}");
    assert_eq!(
        code, 0,
        "warnings never change the exit code without --strict"
    );
    assert!(
        warnings(result)
            .iter()
            .any(|w| w.contains("2022-04-06") && w.contains("2025-04-05")),
        "{result:#}"
    );

    let table = ticheck_run(&["check", late, "--lang", "en"]);
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("warning:"), "{}", table.stdout);

    let strict = ticheck_run(&["check", late, "--lang", "en", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);

    // --as-of overrides the application date: inside the window, nothing to warn about.
    let (code, json, _) = check_json(&[late], &["--as-of", "2025-04-05", "--strict"]);
    assert!(warnings(only_result(&json)).is_empty(), "{json:#}");
    assert_eq!(only_result(&json)["verdict"], "eligible");
    assert_eq!(code, 0);
}

#[test]
fn strict_without_warnings_keeps_exit_0() {
    let output = ticheck_run(&["check", ELIGIBLE, "--strict", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stdout);
}

#[test]
fn a_prefecture_that_disagrees_with_the_uscc_is_a_warning() {
    let dir = TempDir::new().unwrap();
    let text = fs::read_to_string(root().join(ELIGIBLE))
        .unwrap()
        .replace("prefecture = \"昆明市\"", "prefecture = \"红河州\"");
    let profile = temp_file(&dir, "prefecture.toml", &text);
    let profile = path_str(&profile);
    let (code, json, _) = check_json(&[profile], &[]);
    assert_eq!(code, 0);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "eligible");
    assert!(
        warnings(result).iter().any(|w| w.contains("红河州")),
        "{result:#}"
    );
    let strict = ticheck_run(&["check", profile, "--strict", "--lang", "en"]);
    assert_eq!(strict.code, 1);
}

#[test]
fn an_unreadable_as_of_date_is_a_usage_error() {
    let output = ticheck_run(&["check", ELIGIBLE, "--as-of", "2024-13-01"]);
    assert_eq!(output.code, 2);
    assert!(output.stderr.contains("2024-13-01"), "{}", output.stderr);
}

// ---------------------------------------------------------------------------------------------
// The default language

#[test]
fn lang_defaults_to_chinese_under_a_chinese_locale() {
    let output = run(ticheck()
        .env("LANG", "zh_CN.UTF-8")
        .args(["check", ELIGIBLE]));
    assert_eq!(output.code, 0);
    assert!(output.stdout.contains("申报单位："), "{}", output.stdout);
    assert!(
        output
            .stdout
            .contains("结论：未发现不符合项（eligible）：尚有"),
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains("Verdict:"), "{}", output.stdout);

    // LC_ALL wins over LANG.
    let output = run(ticheck()
        .env("LANG", "C")
        .env("LC_ALL", "zh_CN.UTF-8")
        .args(["check", ELIGIBLE]));
    assert!(output.stdout.contains("结论："), "{}", output.stdout);

    // An explicit --lang wins over the locale.
    let output = run(ticheck()
        .env("LANG", "zh_CN.UTF-8")
        .args(["check", ELIGIBLE, "--lang", "en"]));
    assert!(
        output.stdout.contains("Verdict: eligible"),
        "{}",
        output.stdout
    );
}

#[test]
fn lang_defaults_to_english_otherwise() {
    for locale in ["C", "en_US.UTF-8", ""] {
        let output = run(ticheck().env("LANG", locale).args(["check", ELIGIBLE]));
        assert_eq!(output.code, 0);
        assert!(
            output.stdout.contains("Verdict: eligible"),
            "LANG={locale:?}: {}",
            output.stdout
        );
        assert!(!output.stdout.contains("结论："), "LANG={locale:?}");
    }
    // No locale at all.
    let output = ticheck_run(&["check", ELIGIBLE]);
    assert!(
        output.stdout.contains("Verdict: eligible"),
        "{}",
        output.stdout
    );
}

#[test]
fn rules_follow_the_locale_too() {
    let zh = run(ticheck().env("LANG", "zh_CN.UTF-8").arg("rules"));
    assert_eq!(zh.code, 0);
    assert!(zh.stdout.contains("条款"), "{}", zh.stdout);
    let en = run(ticheck().env("LANG", "C").arg("rules"));
    assert!(en.stdout.contains("Clause"), "{}", en.stdout);
}

// ---------------------------------------------------------------------------------------------
// rules and explain

#[test]
fn rules_lists_every_clause_once() {
    for lang in ["en", "zh"] {
        let output = ticheck_run(&["rules", "--lang", lang]);
        assert_eq!(output.code, 0, "{}", output.stderr);
        for (id, _) in CLAUSES {
            let rows = output
                .stdout
                .lines()
                .filter(|line| {
                    line.strip_prefix('│')
                        .and_then(|rest| rest.split('┆').next())
                        .is_some_and(|cell| cell.trim() == id)
                })
                .count();
            assert_eq!(rows, 1, "{id} is listed once ({lang}):\n{}", output.stdout);
        }
        assert!(output.stdout.contains("2022-04-06"), "{}", output.stdout);
        assert!(output.stdout.contains("2025-04-05"), "{}", output.stdout);
    }
}

#[test]
fn explain_debt_ratio_quotes_the_law_and_says_the_bound_is_exclusive() {
    let en = ticheck_run(&["explain", "A10.2.debt-ratio", "--lang", "en"]);
    assert_eq!(en.code, 0, "{}", en.stderr);
    assert!(en.stdout.contains("低于 70%"), "{}", en.stdout);
    assert!(en.stdout.contains("exclusive"), "{}", en.stdout);
    assert!(!en.stdout.contains("inclusive"), "{}", en.stdout);
    assert!(en.stdout.contains("finance.debt_ratio"), "{}", en.stdout);

    let zh = ticheck_run(&["explain", "A10.2.debt-ratio", "--lang", "zh"]);
    assert_eq!(zh.code, 0);
    assert!(zh.stdout.contains("低于 70%"), "{}", zh.stdout);
    assert!(zh.stdout.contains("不含本数"), "{}", zh.stdout);
}

#[test]
fn explain_floor_area_says_the_bound_is_inclusive() {
    let en = ticheck_run(&["explain", "A10.4.floor-area", "--lang", "en"]);
    assert_eq!(en.code, 0, "{}", en.stderr);
    assert!(en.stdout.contains("1500"), "{}", en.stdout);
    assert!(en.stdout.contains("以上"), "{}", en.stdout);
    assert!(en.stdout.contains("inclusive"), "{}", en.stdout);
    assert!(!en.stdout.contains("exclusive"), "{}", en.stdout);
    assert!(
        en.stdout.contains("facilities.rnd_floor_area"),
        "{}",
        en.stdout
    );

    let zh = ticheck_run(&["explain", "A10.4.floor-area", "--lang", "zh"]);
    assert_eq!(zh.code, 0);
    assert!(
        zh.stdout.contains("界限：研发场地面积：含本数"),
        "{}",
        zh.stdout
    );
    assert!(!zh.stdout.contains("不含本数"), "{}", zh.stdout);
}

#[test]
fn explain_standards_states_the_interpretation() {
    let output = ticheck_run(&["explain", "A10.5.standards", "--lang", "en"]);
    assert_eq!(output.code, 0);
    let text = output.stdout.to_lowercase();
    assert!(text.contains("national"), "{}", output.stdout);
    assert!(text.contains("group"), "{}", output.stdout);
}

#[test]
fn explain_every_clause_of_the_spec() {
    for (id, _) in CLAUSES {
        let output = ticheck_run(&["explain", id, "--lang", "en"]);
        assert_eq!(output.code, 0, "explain {id}: {}", output.stderr);
        assert!(output.stdout.starts_with(id), "{}", output.stdout);
    }
}

#[test]
fn explain_an_unknown_clause_exits_2_with_a_suggestion() {
    let output = ticheck_run(&["explain", "A10.9.nope", "--lang", "en"]);
    assert_eq!(output.code, 2);
    assert!(output.stdout.is_empty(), "{}", output.stdout);
    assert!(output.stderr.contains("A10.9.nope"), "{}", output.stderr);
    let suggested = output
        .stderr
        .split_once("did you mean '")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(id, _)| id);
    match suggested {
        Some(id) => assert!(
            CLAUSES.iter().any(|(known, _)| *known == id),
            "suggests a real clause: {}",
            output.stderr
        ),
        None => assert!(
            output.stderr.contains("ticheck rules"),
            "points somewhere: {}",
            output.stderr
        ),
    }

    let near = ticheck_run(&["explain", "A10.4.flor-area", "--lang", "en"]);
    assert_eq!(near.code, 2);
    assert!(
        near.stderr.contains("did you mean 'A10.4.floor-area'"),
        "{}",
        near.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// init

/// `ticheck init ARGS…` to a temporary file, then `ticheck check` on it: 0 or 1, never 2.
fn init_then_check(init_args: &[&str], kind: &str) {
    let dir = TempDir::new().unwrap();
    let mut args = vec!["init"];
    args.extend_from_slice(init_args);
    let init = ticheck_run(&args);
    assert_eq!(init.code, 0, "init {init_args:?}: {}", init.stderr);
    assert!(
        init.stdout.contains(&format!("kind = \"{kind}\"")),
        "{}",
        init.stdout
    );
    let file = temp_file(&dir, "profile.toml", &init.stdout);
    let file = path_str(&file);

    let check = ticheck_run(&["check", file, "--lang", "en"]);
    assert!(
        check.code == 0 || check.code == 1,
        "init {init_args:?} then check exits {}: {}{}",
        check.code,
        check.stdout,
        check.stderr
    );
    let (code, json, stderr) = check_json(&[file], &[]);
    assert_ne!(code, 2, "{stderr}");
    assert_ne!(only_result(&json)["verdict"], "error", "{json:#}");
}

#[test]
fn init_templates_check_cleanly() {
    init_then_check(&[], "enterprise");
    init_then_check(&["--kind", "enterprise"], "enterprise");
    init_then_check(&["--kind", "university"], "university");
    init_then_check(&["--kind", "institute"], "institute");
}

#[test]
fn init_tech_org_template_checks_cleanly() {
    init_then_check(&["--kind", "tech_org"], "tech_org");
}

#[test]
fn init_file_refuses_to_overwrite_without_force() {
    let dir = TempDir::new().unwrap();
    let target = dir.path().join("档案.toml");
    let target_str = path_str(&target);

    let first = ticheck_run(&["init", target_str, "--lang", "en"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let written = fs::read_to_string(&target).unwrap();
    let printed = ticheck_run(&["init"]).stdout;
    assert_eq!(written, printed, "init FILE writes what init prints");
    let check = ticheck_run(&["check", target_str, "--lang", "en"]);
    assert!(check.code == 0 || check.code == 1, "{}", check.stderr);

    fs::write(&target, "# my own work\n").unwrap();
    let again = ticheck_run(&["init", target_str, "--lang", "en"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(fs::read_to_string(&target).unwrap(), "# my own work\n");

    let forced = ticheck_run(&["init", target_str, "--force", "--kind", "university"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let written = fs::read_to_string(&target).unwrap();
    assert!(written.contains("kind = \"university\""), "{written}");
}

// ---------------------------------------------------------------------------------------------
// --rulebook

#[test]
fn a_rulebook_file_changes_the_bound() {
    let text = shipped_rulebook();
    assert_eq!(
        text.matches(FLOOR_AREA_BOUND).count(),
        1,
        "the shipped rulebook's floor-area bound is where this test expects it"
    );
    let changed = text.replace(
        FLOOR_AREA_BOUND,
        &FLOOR_AREA_BOUND.replace("\"1500\"", "\"2000\""),
    );
    let dir = TempDir::new().unwrap();
    let rulebook = temp_file(&dir, "stricter.toml", &changed);
    let rulebook = path_str(&rulebook);

    let (code, json, _) = check_json(&[ELIGIBLE], &["--rulebook", rulebook]);
    assert_eq!(code, 1);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "ineligible");
    assert_clause(
        result,
        "A10.4.floor-area",
        "fail",
        Some("1800"),
        ">= 2000 m²",
    );

    // The unchanged copy behaves as the built-in rulebook.
    let copy = temp_file(&dir, "copy.toml", &text);
    let (code, json, _) = check_json(&[ELIGIBLE], &["--rulebook", path_str(&copy)]);
    assert_eq!(code, 0);
    assert_eq!(only_result(&json)["verdict"], "eligible");

    // explain reads the same rulebook.
    let explain = ticheck_run(&[
        "explain",
        "A10.4.floor-area",
        "--rulebook",
        rulebook,
        "--lang",
        "en",
    ]);
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    assert!(explain.stdout.contains("2000"), "{}", explain.stdout);
}

#[test]
fn the_builtin_rulebook_by_name() {
    let (code, json, _) = check_json(&[ELIGIBLE], &["--rulebook", "yunnan-2022"]);
    assert_eq!(code, 0);
    assert_eq!(only_result(&json)["verdict"], "eligible");
}

#[test]
fn a_rulebook_with_a_typo_in_a_key_exits_2_naming_the_key() {
    let text = shipped_rulebook();
    let typo = text.replace(
        FLOOR_AREA_BOUND,
        &FLOOR_AREA_BOUND.replace("bound = ", "bownd = "),
    );
    assert_ne!(typo, text);
    let dir = TempDir::new().unwrap();
    let rulebook = temp_file(&dir, "typo.toml", &typo);
    let rulebook = path_str(&rulebook);
    let output = ticheck_run(&["check", ELIGIBLE, "--rulebook", rulebook, "--lang", "en"]);
    assert_eq!(output.code, 2);
    assert!(output.stderr.contains("bownd"), "{}", output.stderr);
    assert!(output.stdout.is_empty(), "{}", output.stdout);

    let rules = ticheck_run(&["rules", "--rulebook", rulebook]);
    assert_eq!(rules.code, 2);
    assert!(rules.stderr.contains("bownd"), "{}", rules.stderr);
}

#[test]
fn a_nonexistent_rulebook_exits_2() {
    for name in ["nonexistent", "/nonexistent/rulebook.toml"] {
        let output = ticheck_run(&["check", ELIGIBLE, "--rulebook", name, "--lang", "en"]);
        assert_eq!(output.code, 2, "--rulebook {name}");
        assert!(output.stderr.contains(name), "{}", output.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// Standard input and --output

#[test]
fn a_profile_from_standard_input() {
    let profile = fs::read_to_string(root().join(ELIGIBLE)).unwrap();
    let output = run(ticheck()
        .args([
            "check",
            "-",
            "--input-format",
            "toml",
            "--format",
            "json",
            "--lang",
            "en",
        ])
        .write_stdin(profile.clone()));
    assert_eq!(output.code, 0, "{}", output.stderr);
    let json = output.json();
    assert_core(&json);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "eligible");
    assert_eq!(result["applicant"], "云南滇铜新材料科技有限公司");

    let table = run(ticheck()
        .args(["check", "-", "--input-format", "toml", "--lang", "en"])
        .write_stdin(profile));
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        table.stdout.contains("Verdict: eligible"),
        "{}",
        table.stdout
    );
}

#[test]
fn an_invalid_profile_from_standard_input_exits_2() {
    let profile = fs::read_to_string(root().join(TYPO_KEY)).unwrap();
    let output = run(ticheck()
        .args(["check", "-", "--input-format", "toml", "--lang", "en"])
        .write_stdin(profile));
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("rnd_floor_aera"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains(":6:1:"), "{}", output.stderr);
}

#[test]
fn standard_input_that_does_not_tell_its_format_exits_2() {
    // A profile's content tells its format (tests/stdin_sniff.rs); a line of words does not.
    let output = run(ticheck()
        .args(["check", "-", "--lang", "en"])
        .write_stdin("云南某某科技有限公司 1800\n"));
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("--input-format"),
        "{}",
        output.stderr
    );
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = TempDir::new().unwrap();
    let target = dir.path().join("report.json");
    let output = ticheck_run(&[
        "check",
        INELIGIBLE,
        "--format",
        "json",
        "--lang",
        "en",
        "--output",
        path_str(&target),
    ]);
    assert_eq!(output.code, 1);
    assert!(output.stdout.is_empty(), "{}", output.stdout);
    let json: Value = serde_json::from_str(&fs::read_to_string(&target).unwrap()).unwrap();
    assert_core(&json);
    assert_eq!(only_result(&json)["verdict"], "ineligible");
}

#[test]
fn invalid_value_is_shown_with_a_caret_under_it() {
    let output = ticheck()
        .args([
            "check",
            "fixtures/invalid/bad-values.toml",
            "--lang",
            "en",
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The offending line is quoted, the value underlined, the field named beside the caret.
    assert!(stderr.contains("7 │ debt_ratio = 65"), "{stderr}");
    assert!(stderr.contains("^^ finance.debt_ratio"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour codes with --color never: {stderr}"
    );
}

#[test]
fn quiet_prints_no_report_but_keeps_the_exit_code() {
    for (file, code) in [
        ("fixtures/eligible-enterprise.toml", 0),
        ("fixtures/ineligible-enterprise.toml", 1),
        ("fixtures/invalid/bad-values.toml", 2),
    ] {
        let output = ticheck()
            .args(["check", file, "--quiet", "--lang", "en"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(code), "{file}");
        assert!(output.stdout.is_empty(), "{file}: {:?}", output.stdout);
    }
}

#[test]
fn colour_is_used_only_when_asked_or_on_a_terminal() {
    let run = |extra: &[&str], no_color: Option<&str>| {
        let mut command = ticheck();
        command.args(["check", "fixtures/invalid/bad-values.toml", "--lang", "en"]);
        command.args(extra);
        match no_color {
            Some(value) => command.env("NO_COLOR", value),
            None => command.env_remove("NO_COLOR"),
        };
        String::from_utf8(command.output().unwrap().stderr).unwrap()
    };
    // Piped (not a terminal): plain by default.
    assert!(!run(&[], None).contains('\u{1b}'));
    assert!(run(&["--color", "always"], None).contains('\u{1b}'));
    assert!(!run(&["--color", "never"], None).contains('\u{1b}'));
    assert!(!run(&["--color", "auto"], Some("1")).contains('\u{1b}'));
}

#[test]
fn an_output_that_is_also_an_input_is_refused_and_the_input_kept() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("a.toml");
    fs::copy(root().join("fixtures/eligible-enterprise.toml"), &file).unwrap();
    let before = fs::read(&file).unwrap();
    let file = file.to_str().unwrap();
    let run = ticheck_run(&["check", file, "--output", file, "--lang", "en"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is also an input"), "{}", run.stderr);
    assert_eq!(fs::read(file).unwrap(), before, "the input is untouched");
}

#[test]
fn the_output_format_follows_the_output_file_extension() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("report.json");
    let run = ticheck_run(&[
        "check",
        "fixtures/ineligible-enterprise.toml",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    let json: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["results"][0]["verdict"], "ineligible");
}

#[test]
fn a_sheet_of_one_row_gets_the_clause_table() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("one.csv");
    fs::write(&file, "单位名称,研发场地面积,单位类型\n甲公司,1500,企业\n").unwrap();
    let run = ticheck_run(&[
        "check",
        file.to_str().unwrap(),
        "--lang",
        "en",
        "--as-of",
        "2024-03-15",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("A10.4.floor-area"), "{}", run.stdout);
    assert!(!run.stdout.contains("Knocked out by"), "{}", run.stdout);
}

#[test]
fn a_decimal_comma_is_an_error_not_a_thousands_separator() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("comma.toml");
    fs::write(&file, "[facilities]\nequipment_value = \"2000,5\"\n").unwrap();
    let run = ticheck_run(&["check", file.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("facilities.equipment_value"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("does not group thousands"),
        "{}",
        run.stderr
    );
}
