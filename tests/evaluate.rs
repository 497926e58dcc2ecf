//! `ticheck evaluate` and `ticheck init --evaluation` (SPEC §5, §6), run as the real binary on
//! the shipped fixtures: grade words, the consequence the law attaches, acceptance, exit codes
//! and the messages for bad input.

use std::fs;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{run, ticheck};

const GOOD: &str = "fixtures/evaluation/good-center.toml";
const INCOMPLETE: &str = "fixtures/evaluation/incomplete-center.toml";
const VETOED: &str = "fixtures/evaluation/vetoed-center.toml";
const FAIR: &str = "fixtures/evaluation/fair-not-accepted.toml";
const INVALID: &str = "fixtures/evaluation/invalid-target.toml";

fn evaluate_json(files: &[&str]) -> (i32, Value) {
    let result = run(ticheck()
        .arg("evaluate")
        .args(files)
        .args(["--format", "json"]));
    (result.code, result.json())
}

#[test]
fn a_good_center_is_graded_good_with_article_26s_consequence_and_exit_0() {
    let (code, json) = evaluate_json(&[GOOD]);
    assert_eq!(code, 0);
    let result = &json["results"][0];
    assert_eq!(result["status"], "graded");
    assert_eq!(result["grade"], "good");
    assert_eq!(result["grade_label"], "良");
    assert_eq!(result["score"], "78.7");
    assert_eq!(result["consequence"]["citation"], "第二十六条第（一）项");
    assert_eq!(result["acceptance"]["result"], "passed");
    assert_eq!(result["indicators"].as_array().unwrap().len(), 11);
    assert!(result["governance"]
        .as_array()
        .unwrap()
        .iter()
        .all(|check| check["verdict"] == "pass"));
    assert_eq!(
        json["rubric"]["default"], true,
        "the default rubric says so"
    );
    assert_eq!(json["summary"]["good"], 1);
}

#[test]
fn grade_and_acceptance_words_are_spec_6s() {
    let (code, json) = evaluate_json(&[GOOD, INCOMPLETE, VETOED, FAIR]);
    assert_eq!(
        code, 1,
        "a center graded below 良 or not gradable needs attention"
    );
    let results = json["results"].as_array().unwrap();
    let words: Vec<(&str, Option<&str>)> = results
        .iter()
        .map(|r| (r["status"].as_str().unwrap(), r["grade"].as_str()))
        .collect();
    assert_eq!(
        words,
        [
            ("graded", Some("good")),
            ("incomplete", None),
            ("graded", Some("poor")),
            ("graded", Some("fair")),
        ]
    );
    assert_eq!(results[3]["acceptance"]["result"], "not_passed");
    let summary = &json["summary"];
    assert_eq!(
        (
            summary["excellent"].as_u64(),
            summary["good"].as_u64(),
            summary["fair"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    assert_eq!(
        (summary["poor"].as_u64(), summary["incomplete"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn a_missing_indicator_is_a_range_never_a_zero() {
    let (_, json) = evaluate_json(&[INCOMPLETE]);
    let result = &json["results"][0];
    assert_eq!(result["score"], Value::Null);
    assert_eq!(result["score_range"]["low"], "68.3");
    assert_eq!(result["score_range"]["high"], "81.3");
    assert_eq!(
        result["possible_grades"],
        serde_json::json!(["good", "fair"])
    );
    assert_eq!(
        result["missing"],
        serde_json::json!(["indicators.key_technologies"])
    );
}

#[test]
fn quitting_the_evaluation_is_poor_and_gives_up_the_title() {
    let (_, json) = evaluate_json(&[VETOED]);
    let result = &json["results"][0];
    assert_eq!(result["grade"], "poor");
    assert_eq!(result["score"], "78.7", "the score is still shown");
    assert_eq!(result["vetoed_by"], serde_json::json!(["skipped"]));
    assert_eq!(result["consequence"]["citation"], "第二十六条第（三）项");
}

#[test]
fn the_chinese_table_names_grade_consequence_and_articles() {
    let result = run(ticheck().args(["--lang", "zh", "evaluate", FAIR]));
    assert_eq!(result.code, 1);
    for expected in [
        "默认评分细则",
        "等级：中（fair）",
        "保留创新中心资格，限期一年整改",
        "第二十六条第（二）项",
        "建设期考核评估（第二十三条）：未通过（not_passed）",
        "✗ 授权发明专利: 目标 10件 / 完成 8件",
        "第二十一条",
    ] {
        assert!(
            result.stdout.contains(expected),
            "{expected}\n{}",
            result.stdout
        );
    }
}

#[test]
fn an_invalid_profile_names_file_line_and_field_and_exits_2() {
    let result = run(ticheck().args(["evaluate", INVALID, GOOD, "--format", "json"]));
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("fixtures/evaluation/invalid-target.toml:8:12: target[1].achieved"),
        "{}",
        result.stderr
    );
    let json = result.json();
    assert_eq!(json["results"][0]["status"], "error");
    assert_eq!(
        json["results"][1]["grade"], "good",
        "the other center is still evaluated"
    );
    assert_eq!(json["summary"]["error"], 1);
}

#[test]
fn an_applicant_profile_is_not_an_evaluation_profile() {
    let result = run(ticheck().args(["evaluate", "fixtures/eligible-enterprise.toml"]));
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("unknown key 'applicant'"),
        "{}",
        result.stderr
    );
    let sheet = run(ticheck().args([
        "evaluate",
        GOOD,
        "fixtures/batch/candidates.csv",
        "--format",
        "json",
    ]));
    assert_eq!(sheet.code, 2);
    assert!(sheet.stderr.contains("TOML"), "{}", sheet.stderr);
    let json = sheet.json();
    assert_eq!(
        json["results"][0]["grade"], "good",
        "the TOML center is still reported"
    );
    assert_eq!(json["results"][1]["status"], "error");
}

#[test]
fn init_evaluation_writes_a_template_that_evaluates() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("center.toml");
    let written = run(ticheck().args(["init", "--evaluation"]).arg(&path));
    assert_eq!(written.code, 0, "{}", written.stderr);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("[indicators]") && text.contains("[[target]]"));
    let result = run(ticheck()
        .arg("evaluate")
        .arg(&path)
        .args(["--format", "json"]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(result.json()["results"][0]["grade"], "good");
}

#[test]
fn a_bureaus_rubric_changes_the_grade_without_code() {
    let dir = TempDir::new().unwrap();
    let builtin = include_str!("../src/rules/yunnan-2022-evaluation.toml");
    let stricter = builtin.replacen("at_least = \"70\"", "at_least = \"80\"", 1);
    let path = dir.path().join("stricter.toml");
    fs::write(&path, stricter).unwrap();
    let result = run(ticheck()
        .args(["evaluate", GOOD, "--format", "json", "--rubric"])
        .arg(&path));
    assert_eq!(result.code, 1);
    assert_eq!(result.json()["results"][0]["grade"], "fair", "78.7 < 80");

    let broken = builtin.replacen("weight = \"12\"", "weight = \"20\"", 1);
    fs::write(&path, broken).unwrap();
    let result = run(ticheck().args(["evaluate", GOOD, "--rubric"]).arg(&path));
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("sum to 108, not 100"),
        "{}",
        result.stderr
    );
}
