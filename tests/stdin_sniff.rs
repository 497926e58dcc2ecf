//! Standard input without `--input-format` (issue 12): its bytes tell the format — a zip is a
//! workbook, `[section]` or `key = value` lines are TOML, a header of cells separated by commas
//! or tabs is CSV — and the report is the one the file gives. Input that tells nothing asks
//! for `--input-format`, in the output language.

mod common;
use common::{counts, root, run, ticheck};

use serde_json::Value;

/// The results of a JSON report with their `source` left out (`<stdin>:3` against
/// `fixtures/batch/candidates.csv:3`), and the row numbers kept.
fn results_without_source(json: &Value, source: &str) -> Vec<Value> {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            let mut result = result.clone();
            let row = result["source"]
                .as_str()
                .unwrap()
                .strip_prefix(source)
                .unwrap_or_else(|| panic!("{source}: {result}"))
                .to_string();
            result["source"] = Value::String(row);
            // Messages name the source too.
            let text = result.to_string().replace(source, "SOURCE");
            serde_json::from_str(&text).unwrap()
        })
        .collect()
}

#[test]
fn each_kind_on_standard_input_is_read_as_its_file_is() {
    for fixture in [
        "fixtures/batch/messy.xlsx",
        "fixtures/batch/candidates.csv",
        "fixtures/batch/candidates-gbk.csv",
        "fixtures/eligible-enterprise.toml",
    ] {
        let bytes = std::fs::read(root().join(fixture)).unwrap();
        let piped = run(ticheck()
            .args(["check", "-", "--format", "json", "--as-of", "2024-06-30"])
            .write_stdin(bytes));
        let file = run(ticheck().args([
            "check",
            fixture,
            "--format",
            "json",
            "--as-of",
            "2024-06-30",
        ]));
        assert_eq!(piped.code, file.code, "{fixture}: {}", piped.stderr);
        let (piped, file) = (piped.json(), file.json());
        assert!(
            !piped["results"].as_array().unwrap().is_empty(),
            "{fixture}"
        );
        assert_eq!(
            results_without_source(&piped, "<stdin>"),
            results_without_source(&file, fixture),
            "{fixture}"
        );
        assert_eq!(
            counts(&piped["summary"]),
            counts(&file["summary"]),
            "{fixture}"
        );
    }
}

#[test]
fn standard_input_that_tells_nothing_asks_for_input_format() {
    for (lang, lead) in [
        ("zh", "无法从内容判断标准输入的格式"),
        ("en", "cannot tell"),
    ] {
        let output = run(ticheck()
            .args(["check", "-", "--lang", lang])
            .write_stdin("云南某某科技有限公司 1800\n"));
        assert_eq!(output.code, 2, "{}", output.stderr);
        assert!(output.stderr.contains(lead), "{}", output.stderr);
        assert!(
            output.stderr.contains("--input-format toml|csv|xlsx"),
            "{}",
            output.stderr
        );
        assert!(output.stdout.is_empty(), "{}", output.stdout);
    }
    let empty = run(ticheck()
        .args(["check", "-", "--lang", "zh"])
        .write_stdin(""));
    assert_eq!(empty.code, 2);
    assert!(empty.stderr.contains("标准输入为空"), "{}", empty.stderr);
}

#[test]
fn input_format_still_decides_over_the_content() {
    // A TOML profile forced as CSV is read as a sheet (and found wanting), not sniffed.
    let bytes = std::fs::read(root().join("fixtures/eligible-enterprise.toml")).unwrap();
    let output = run(ticheck()
        .args(["check", "-", "--input-format", "csv", "--format", "json"])
        .write_stdin(bytes));
    assert_eq!(output.code, 2, "{}", output.stderr);
}
