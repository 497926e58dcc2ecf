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
    assert_eq!(result["acceptance"]["status"], "estimated");
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

/// SPEC §6: a center that skipped or quit the evaluation is told that consequence alone (第二十六条
/// 第（三）项), never also that its acceptance passed and it joins the managed series.
#[test]
fn a_center_that_quit_is_told_it_gave_up_its_title_and_no_acceptance() {
    let (_, json) = evaluate_json(&[VETOED]);
    let acceptance = &json["results"][0]["acceptance"];
    assert_eq!(acceptance["status"], "not_assessed");
    assert_eq!(
        acceptance["result"],
        Value::Null,
        "neither passed nor not_passed"
    );
    assert_eq!(acceptance["consequence"], Value::Null);
    let reason = acceptance["reason"].as_str().unwrap();
    assert!(
        reason.contains("give") && reason.contains("第二十六条第（三）项"),
        "{reason}"
    );
    assert_eq!(
        acceptance["targets"].as_array().unwrap().len(),
        2,
        "the facts are still listed"
    );

    let zh = run(ticheck().args(["--lang", "zh", "evaluate", VETOED]));
    assert!(
        zh.stdout.contains("视为自动放弃创新中心资格"),
        "{}",
        zh.stdout
    );
    for claim in ["纳入创新中心系列管理", "通过（passed）", "项目形式给予支持"]
    {
        assert!(!zh.stdout.contains(claim), "{claim}\n{}", zh.stdout);
    }
    let en = run(ticheck().args(["--lang", "en", "evaluate", VETOED]));
    assert!(en.stdout.contains("give up its title"), "{}", en.stdout);
    for claim in ["managed series", "passed", "Project support"] {
        assert!(!en.stdout.contains(claim), "{claim}\n{}", en.stdout);
    }
}

/// 第二十三条: the acceptance is the expert panel's; every output calls ticheck's an estimate from
/// the contract targets and states what the law attaches only as conditional on the panel.
#[test]
fn the_acceptance_is_an_estimate_the_panel_decides() {
    let (_, json) = evaluate_json(&[GOOD, FAIR]);
    for (result, word) in json["results"]
        .as_array()
        .unwrap()
        .iter()
        .zip(["passed", "not_passed"])
    {
        let acceptance = &result["acceptance"];
        assert_eq!(acceptance["result"], word);
        assert_eq!(acceptance["status"], "estimated");
        let basis = acceptance["basis"].as_str().unwrap();
        assert!(
            basis.contains("estimate from the contract targets")
                && basis.contains("expert panel decides")
                && basis.contains("第二十三条"),
            "{basis}"
        );
        let consequence = acceptance["consequence"].as_str().unwrap();
        assert!(consequence.starts_with("If the panel"), "{consequence}");
    }

    let zh = run(ticheck().args(["--lang", "zh", "evaluate", GOOD]));
    assert!(
        zh.stdout.contains(
            "建设期考核评估（第二十三条）：按合同指标估计：通过（passed）；考核评估结论由省科技厅组织的专家作出"
        ),
        "{}",
        zh.stdout
    );
    assert!(zh
        .stdout
        .contains("专家考核评估为“通过”的，纳入创新中心系列管理"));
    let en = run(ticheck().args(["--lang", "en", "evaluate", FAIR]));
    assert!(
        en.stdout.contains(
            "construction-period acceptance (第二十三条): estimate from the contract targets: \
             not_passed; the expert panel decides"
        ),
        "{}",
        en.stdout
    );
    let zh_json =
        run(ticheck().args(["--lang", "zh", "evaluate", GOOD, "--format", "json"])).json();
    let basis = zh_json["results"][0]["acceptance"]["basis"]
        .as_str()
        .unwrap();
    assert!(
        basis.contains("按合同指标估计") && basis.contains("专家"),
        "{basis}"
    );
}

/// SPEC §6: a safety incident rests on 第七条's 安全生产 duty, misconduct on 第二十五条's
/// 作风学风建设 area, skipping the evaluation on 第二十六条第（三）项; the first two are the default
/// rubric's vetoes, not the law's, and every output says so.
#[test]
fn veto_citations_name_what_each_rests_on_and_whose_choice_it_is() {
    let (_, json) = evaluate_json(&[GOOD]);
    let vetoes = json["results"][0]["vetoes"].as_array().unwrap();
    let brief: Vec<(&str, &str, &str)> = vetoes
        .iter()
        .map(|veto| {
            (
                veto["id"].as_str().unwrap(),
                veto["citation"].as_str().unwrap(),
                veto["imposed_by"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            ("misconduct", "第二十五条（作风学风建设）", "rubric"),
            ("safety", "第七条（安全生产主体责任）", "rubric"),
            ("skipped", "第二十六条第（三）项", "law"),
        ]
    );
    for veto in &vetoes[..2] {
        let basis = veto["basis"].as_str().unwrap();
        assert!(
            basis.contains("default rubric's choice, not the law's"),
            "{basis}"
        );
    }

    let zh = run(ticheck().args(["--lang", "zh", "evaluate", GOOD]));
    for expected in [
        "重大安全事故：否 — 第七条（安全生产主体责任）",
        "科研失信行为：否 — 第二十五条（作风学风建设）",
        "未参加或中途退出评估：否 — 第二十六条第（三）项",
        "列为一票否决是默认评分细则的选择",
    ] {
        assert!(zh.stdout.contains(expected), "{expected}\n{}", zh.stdout);
    }
    let en = run(ticheck().args(["--lang", "en", "evaluate", GOOD]));
    assert!(
        en.stdout
            .contains("the default rubric's choice, not the law's"),
        "{}",
        en.stdout
    );
}

#[test]
fn a_safety_incident_is_vetoed_on_article_7_as_the_rubrics_choice() {
    let dir = TempDir::new().unwrap();
    let good = fs::read_to_string(common::root().join(GOOD)).unwrap();
    let path = dir.path().join("safety.toml");
    let text = good.replace(
        "major_safety_incident = false",
        "major_safety_incident = true",
    );
    fs::write(&path, text).unwrap();
    let result = run(ticheck().args(["--lang", "zh", "evaluate"]).arg(&path));
    assert_eq!(result.code, 1);
    for expected in [
        "等级：差（poor）",
        "一票否决：重大安全事故 — 第七条（安全生产主体责任）",
        "重大安全事故：是 — 第七条（安全生产主体责任）",
        "列为一票否决是默认评分细则的选择",
    ] {
        assert!(
            result.stdout.contains(expected),
            "{expected}\n{}",
            result.stdout
        );
    }
    let json = run(ticheck()
        .arg("evaluate")
        .arg(&path)
        .args(["--format", "json"]))
    .json();
    let result = &json["results"][0];
    assert_eq!(result["vetoed_by"], serde_json::json!(["safety"]));
    assert_eq!(
        result["acceptance"]["status"], "estimated",
        "only giving up the title sets the acceptance aside"
    );
}

/// 第二十一条: one annual report a year, so more reports than the cycle has years is a mistyped
/// count: an error at the field's line and column, naming both numbers, in both languages.
#[test]
fn more_annual_reports_than_years_is_an_error_at_the_field() {
    let dir = TempDir::new().unwrap();
    let good = fs::read_to_string(common::root().join(GOOD)).unwrap();
    let line = good
        .lines()
        .position(|line| line.starts_with("annual_reports = 3"))
        .unwrap()
        + 1;
    let path = dir.path().join("reports.toml");
    let text = good
        .replace("cycle_from = 2022", "cycle_from = 2021")
        .replace("cycle_to = 2024", "cycle_to = 2026")
        .replace("annual_reports = 3 ", "annual_reports = 9 ");
    fs::write(&path, text).unwrap();
    let result = run(ticheck()
        .arg("evaluate")
        .arg(&path)
        .arg(GOOD)
        .args(["--format", "json"]));
    assert_eq!(result.code, 2, "{}", result.stderr);
    let expected = format!(
        "reports.toml:{line}:18: governance.annual_reports: 9 years of annual reports, \
         but the cycle 2021–2026 has only 6 years"
    );
    assert!(result.stderr.contains(&expected), "{}", result.stderr);
    let json = result.json();
    assert_eq!(json["results"][0]["status"], "error");
    assert_eq!(
        json["results"][1]["grade"], "good",
        "the other center is still evaluated"
    );

    let zh = run(ticheck().args(["--lang", "zh", "evaluate"]).arg(&path));
    assert_eq!(zh.code, 2);
    assert!(
        zh.stderr
            .contains("填写了 9 年的年度报告，但评估周期 2021–2026 只有 6 年"),
        "{}",
        zh.stderr
    );

    // No cycle stated: a cycle has the rubric's 3 years (第二十四条).
    let no_cycle: String = good
        .lines()
        .filter(|line| !line.starts_with("cycle_"))
        .map(|line| line.replace("annual_reports = 3 ", "annual_reports = 4 ") + "\n")
        .collect();
    fs::write(&path, no_cycle).unwrap();
    let result = run(ticheck().arg("evaluate").arg(&path));
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("4 years of annual reports, but no cycle is stated and a cycle has 3 years"),
        "{}",
        result.stderr
    );
    // As many as the cycle's years is no error.
    fs::write(&path, &good).unwrap();
    assert_eq!(run(ticheck().arg("evaluate").arg(&path)).code, 0);
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
        "建设期考核评估（第二十三条）：按合同指标估计：未通过（not_passed）",
        "专家考核评估为“未通过”的，给予 1 年整改期",
        "✗ 授权发明专利：目标 ≥ 10件 / 完成 8件",
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
    // A sheet is read now (issue 13); an applicants' sheet has no evaluation header.
    assert!(
        sheet.stderr.contains("no header of evaluation fields")
            && sheet.stderr.contains("ticheck check"),
        "{}",
        sheet.stderr
    );
    let json = sheet.json();
    assert_eq!(
        json["results"][0]["grade"], "good",
        "the TOML center is still reported"
    );
    assert_eq!(json["results"][1]["status"], "error");
}

/// SPEC §4/§6: templates never pass. The template states no fact (examples in comments): it
/// loads, evaluates untouched to `incomplete` and says it is still the template; filled in by
/// uncommenting its examples, it is graded.
#[test]
fn init_evaluation_writes_a_template_that_never_passes_untouched() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("center.toml");
    let written = run(ticheck().args(["init", "--evaluation"]).arg(&path));
    assert_eq!(written.code, 0, "{}", written.stderr);
    let text = fs::read_to_string(&path).unwrap();
    for section in [
        "[center]",
        "[indicators]",
        "[conduct]",
        "[governance]",
        "# [[target]]",
    ] {
        assert!(text.contains(section), "{section}");
    }

    let result = run(ticheck()
        .arg("evaluate")
        .arg(&path)
        .args(["--format", "json"]));
    assert_eq!(result.code, 1, "{}", result.stderr);
    let json = result.json();
    let untouched = &json["results"][0];
    assert_eq!(untouched["status"], "incomplete");
    assert_eq!(untouched["grade"], Value::Null, "never a grade");
    assert_eq!(untouched["acceptance"], Value::Null);
    let warning = untouched["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains("still the template") && warning.contains("ticheck init --evaluation"),
        "{warning}"
    );
    let zh = run(ticheck().args(["--lang", "zh", "evaluate"]).arg(&path));
    assert_eq!(zh.code, 1);
    assert!(
        zh.stdout
            .contains("档案仍是 ticheck init --evaluation 生成的模板，尚未填写"),
        "{}",
        zh.stdout
    );
    assert!(!zh.stdout.contains("等级：良"), "{}", zh.stdout);

    // Filled in: every example uncommented.
    let filled: String = text
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") || rest == "[[target]]" => format!("{rest}\n"),
            _ => format!("{line}\n"),
        })
        .collect();
    fs::write(&path, filled).unwrap();
    let result = run(ticheck()
        .arg("evaluate")
        .arg(&path)
        .args(["--format", "json"]));
    assert_eq!(result.code, 0, "{}", result.stderr);
    let json = result.json();
    let filled = &json["results"][0];
    assert_eq!(filled["status"], "graded");
    assert_eq!(filled["grade"], "good");
    assert_eq!(filled["acceptance"]["result"], "passed");
    assert_eq!(filled["warnings"], serde_json::json!([]));
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
