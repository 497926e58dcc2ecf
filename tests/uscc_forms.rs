//! A USCC written in groups of four or in lower case (issue 12): read in its standard form
//! (SPEC §3), with a note — not a warning, so `--strict` still passes — in TOML and in sheets.

use std::fs;

use tempfile::TempDir;

mod common;
use common::{fixture_text, path_str, root, run, ticheck, write};

const STANDARD: &str = "91530100MA6K3L7P2D";
const WRITTEN: &str = "9153 0100 ma6k 3l7p 2d";

#[test]
fn a_grouped_lower_case_uscc_in_toml_is_read_with_a_note() {
    let dir = TempDir::new().unwrap();
    let text = fixture_text("fixtures/eligible-enterprise.toml").replace(STANDARD, WRITTEN);
    assert!(text.contains(WRITTEN));
    let path = write(&dir, "分组写法.toml", &text);
    let output = run(ticheck().args([
        "check",
        path_str(&path),
        "--format",
        "json",
        "--strict",
        "--as-of",
        "2024-06-30",
    ]));
    assert_eq!(
        output.code, 0,
        "a note does not fail --strict: {}",
        output.stderr
    );
    let json = output.json();
    let result = &json["results"][0];
    assert_eq!(result["verdict"], "eligible");
    let registered = result["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|clause| clause["id"] == "A10.1.registered")
        .unwrap();
    assert_eq!(registered["verdict"], "pass");
    assert!(
        registered["actual"].as_str().unwrap().starts_with(STANDARD),
        "{registered}"
    );
    let notes = result["notes"].to_string();
    assert!(
        notes.contains(WRITTEN) && notes.contains(STANDARD),
        "{notes}"
    );
    assert!(
        !result["warnings"].to_string().contains(WRITTEN),
        "{result}"
    );

    // The table shows it, in Chinese.
    let table = run(ticheck().args(["check", path_str(&path), "--lang", "zh"]));
    assert!(
        table
            .stdout
            .contains("说明：applicant.uscc：统一社会信用代码“9153 0100 ma6k 3l7p 2d”按“91530100MA6K3L7P2D”读取（去掉了空格、小写字母改为大写）"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_grouped_uscc_in_a_sheet_row_is_read_with_a_note_on_that_row() {
    let dir = TempDir::new().unwrap();
    let sheet = fs::read_to_string(root().join("fixtures/batch/candidates.csv")).unwrap();
    // Full-width spaces, as an IME types them.
    let grouped = "9153\u{3000}0100\u{3000}MA6K\u{3000}3L7P\u{3000}2D";
    let path = write(&dir, "候选.csv", &sheet.replacen(STANDARD, grouped, 1));
    let args = |file: &str| {
        run(ticheck().args(["check", file, "--format", "json", "--as-of", "2024-06-30"]))
    };
    let tidied = args(path_str(&path)).json();
    let original = args("fixtures/batch/candidates.csv").json();
    let rows = tidied["results"].as_array().unwrap();
    assert_eq!(rows.len(), original["results"].as_array().unwrap().len());
    for (row, before) in rows.iter().zip(original["results"].as_array().unwrap()) {
        assert_eq!(row["verdict"], before["verdict"], "{row}");
        assert_eq!(row["clauses"], before["clauses"], "{row}");
        assert_eq!(row["warnings"], before["warnings"], "{row}");
    }
    let notes = rows[0]["notes"].to_string();
    assert!(
        notes.contains(grouped) && notes.contains(STANDARD),
        "{notes}"
    );
    assert!(!rows[1]["notes"].to_string().contains("applicant.uscc"));
}
