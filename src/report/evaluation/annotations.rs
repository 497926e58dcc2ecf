//! `ticheck evaluate --format sarif|junit|github`: the round for CI and review platforms, as
//! `check` writes them (SPEC §6: every format `check` writes).
//!
//! What a center is told, as findings: a grade of 差 (vetoed or not) or an invalid profile is an
//! error; a grade of 中, a grade that cannot be given, an acceptance estimated not to pass or
//! undecided, and a warning are warnings; a governance check that fails or lacks data is a note
//! (governance does not change the grade). 优 and 良 with the acceptance estimated to pass are
//! no finding. Each finding names the file and the line (TOML) or the sheet's row.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::{cited, grade_label, SummaryCells};
use crate::engine::Verdict;
use crate::evaluation::{AcceptanceOutcome, Evaluation, Standing};
use crate::i18n::Lang;
use crate::report::github::{escape_data, escape_property};
use crate::report::junit::{escape, escape_text};
use crate::report::sarif::{line_and_column, split_source};
use crate::rules::evaluation::Rubric;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    fn sarif(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }

    fn github(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        }
    }
}

const GRADE: &str = "evaluation/grade";
const INVALID: &str = "ticheck/invalid-profile";
const WARNING: &str = "ticheck/warning";
/// 第二十三条's construction-period acceptance.
const ACCEPTANCE: &str = "A23.acceptance";

/// One thing said of a center.
struct Finding {
    level: Level,
    rule: String,
    message: String,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
}

fn findings(evaluation: &Evaluation<'_>, lang: Lang) -> Vec<Finding> {
    let source = &evaluation.source;
    let (file, row) = split_source(source);
    let name = evaluation.center.as_deref().unwrap_or("—");
    let finding = |level, rule: &str, message: String| Finding {
        level,
        rule: rule.to_string(),
        message: format!("{name}{}{message}", lang.pick("：", ": ")),
        file: file.to_string(),
        line: row,
        column: None,
    };
    let mut found = Vec::new();
    if let Some(error) = &evaluation.error {
        for problem in &error.problems {
            let (line, column) = line_and_column(source, &problem.at);
            found.push(Finding {
                level: Level::Error,
                rule: INVALID.to_string(),
                message: error.render_problem(problem, lang),
                file: file.to_string(),
                line,
                column,
            });
        }
        return found;
    }
    let cells = SummaryCells::of(evaluation, lang);
    match &evaluation.standing {
        Standing::Graded { grade, vetoed_by } => {
            let level = match grade.id.as_str() {
                "excellent" | "good" => None,
                "fair" => Some(Level::Warning),
                _ => Some(Level::Error),
            };
            if let Some(level) = level {
                let mut message = format!(
                    "{}{}",
                    lang.pick("等级 ", "grade "),
                    cited(&grade_label(grade, lang), &cells.score, lang)
                );
                for veto in vetoed_by {
                    message.push_str(&format!(
                        "{}{}",
                        lang.pick("；一票否决：", "; vetoed: "),
                        cited(veto.title.get(lang), &veto.citation, lang)
                    ));
                }
                if !cells.consequence.is_empty() {
                    message.push_str(lang.pick("；", "; "));
                    message.push_str(&cells.consequence);
                }
                found.push(finding(level, GRADE, message));
            }
        }
        Standing::Incomplete { .. } => {
            let message = format!(
                "{}{}{}",
                cited(&cells.grade, &cells.score, lang),
                lang.pick("；", "; "),
                crate::report::missing_text(
                    &cells
                        .missing
                        .split(lang.pick("、", ", "))
                        .map(str::to_string)
                        .collect::<Vec<_>>(),
                    lang
                )
            );
            found.push(finding(Level::Warning, GRADE, message));
        }
        Standing::Error => {}
    }
    if let Some(acceptance) = &evaluation.acceptance {
        if matches!(
            acceptance.outcome,
            AcceptanceOutcome::NotPassed | AcceptanceOutcome::Incomplete
        ) {
            let mut message = cells.acceptance.clone();
            if !cells.shortfalls.is_empty() {
                message.push_str(lang.pick("：", ": "));
                message.push_str(&cells.shortfalls);
            }
            found.push(finding(Level::Warning, ACCEPTANCE, message));
        }
    }
    for check in &evaluation.governance {
        if check.verdict != Verdict::Pass {
            let actual = check
                .actual
                .as_ref()
                .map(|actual| actual.get(lang).to_string())
                .unwrap_or_else(|| crate::report::missing_text(&check.missing, lang));
            found.push(finding(
                Level::Note,
                &check.check.id,
                format!(
                    "{} {}{}{}",
                    check.check.citation,
                    check.check.title.get(lang),
                    lang.pick("：", ": "),
                    cited(&actual, check.required.get(lang), lang)
                ),
            ));
        }
    }
    for warning in &evaluation.warnings {
        found.push(finding(
            Level::Warning,
            WARNING,
            warning.get(lang).to_string(),
        ));
    }
    found
}

pub fn write_github(
    out: &mut dyn Write,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
) -> io::Result<()> {
    for evaluation in evaluations {
        for finding in findings(evaluation, lang) {
            let mut properties = format!("file={}", escape_property(&finding.file));
            if let Some(line) = finding.line {
                let _ = write!(properties, ",line={line}");
            }
            if let Some(column) = finding.column {
                let _ = write!(properties, ",col={column}");
            }
            let _ = write!(properties, ",title={}", escape_property(&finding.rule));
            writeln!(
                out,
                "::{} {properties}::{}",
                finding.level.github(),
                escape_data(&finding.message)
            )?;
        }
    }
    let summary = super::GradeSummary::of(evaluations);
    writeln!(
        out,
        "{} ({}): {}",
        rubric.meta.title.get(lang),
        rubric.meta.id,
        super::table::summary_sentence(&summary, lang)
    )
}

pub fn write_sarif(
    out: &mut dyn Write,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
) -> io::Result<()> {
    let mut rules: Vec<(String, String)> = vec![
        (
            GRADE.to_string(),
            format!(
                "{}{}",
                lang.pick(
                    "绩效评估等级（第二十六条）",
                    "Performance grade (第二十六条)"
                ),
                if rubric.meta.default {
                    lang.pick("；默认评分细则", "; default rubric")
                } else {
                    ""
                }
            ),
        ),
        (
            ACCEPTANCE.to_string(),
            cited(
                lang.pick(
                    "建设期考核评估（按合同指标估计）",
                    "Construction-period acceptance (estimate from the contract targets)",
                ),
                &rubric.acceptance.citation,
                lang,
            ),
        ),
    ];
    for check in &rubric.governance {
        rules.push((
            check.id.clone(),
            cited(check.title.get(lang), &check.citation, lang),
        ));
    }
    rules.push((
        INVALID.to_string(),
        lang.pick("档案无法读取或无效", "Profile cannot be read or is invalid")
            .to_string(),
    ));
    rules.push((
        WARNING.to_string(),
        lang.pick("警告", "Warning").to_string(),
    ));
    let mut results = Vec::new();
    for evaluation in evaluations {
        for finding in findings(evaluation, lang) {
            let index = rules.iter().position(|(id, _)| *id == finding.rule);
            let mut region = serde_json::Map::new();
            if let Some(line) = finding.line {
                region.insert("startLine".to_string(), json!(line));
            }
            if let Some(column) = finding.column {
                region.insert("startColumn".to_string(), json!(column));
            }
            let mut location = json!({"artifactLocation": {"uri": finding.file}});
            if !region.is_empty() {
                location["region"] = Value::Object(region);
            }
            results.push(json!({
                "ruleId": finding.rule,
                "ruleIndex": index,
                "level": finding.level.sarif(),
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": location}],
            }));
        }
    }
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ticheck",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|(id, text)| json!({
                    "id": id,
                    "shortDescription": {"text": text},
                })).collect::<Vec<_>>(),
            }},
            "language": match lang { Lang::Zh => "zh-CN", Lang::En => "en-US" },
            "results": results,
        }],
    });
    writeln!(out, "{}", crate::report::json::indented(&document, 0))
}

pub fn write_junit(
    out: &mut dyn Write,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
) -> io::Result<()> {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for evaluation in evaluations {
        let name = format!(
            "{} ({})",
            evaluation.center.as_deref().unwrap_or("—"),
            evaluation.source
        );
        let found = findings(evaluation, lang);
        let mut cases = String::new();
        let (mut suite_tests, mut suite_failures, mut suite_errors) = (0, 0, 0);
        if evaluation.error.is_some() {
            let message: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
            let _ = writeln!(
                cases,
                "    <testcase classname=\"{INVALID}\" name=\"{}\"><error type=\"invalid-profile\" message=\"{}\">{}</error></testcase>",
                escape(&evaluation.source),
                escape(message.first().copied().unwrap_or_default()),
                escape_text(&message.join("\n"))
            );
            suite_tests += 1;
            suite_errors += 1;
        } else {
            // The grade, the acceptance and each governance check: one test case each.
            let mut case = |id: &str, title: &str, failure: Option<&Finding>| {
                suite_tests += 1;
                let _ = write!(
                    cases,
                    "    <testcase classname=\"{}\" name=\"{}\"",
                    escape(id),
                    escape(title)
                );
                match failure {
                    Some(finding) => {
                        suite_failures += 1;
                        let _ = writeln!(
                            cases,
                            "><failure type=\"{}\" message=\"{}\">{}</failure></testcase>",
                            finding.level.sarif(),
                            escape(&finding.message),
                            escape_text(&finding.message)
                        );
                    }
                    None => cases.push_str("/>\n"),
                }
            };
            let of = |rule: &str| found.iter().find(|f| f.rule == rule);
            case(
                GRADE,
                lang.pick("绩效评估等级", "performance grade"),
                of(GRADE),
            );
            if evaluation.acceptance.is_some() {
                case(
                    ACCEPTANCE,
                    lang.pick(
                        "建设期考核评估（估计）",
                        "construction-period acceptance (estimate)",
                    ),
                    of(ACCEPTANCE),
                );
            }
            for check in &evaluation.governance {
                case(
                    &check.check.id,
                    check.check.title.get(lang),
                    of(&check.check.id),
                );
            }
        }
        let warnings: Vec<&str> = found
            .iter()
            .filter(|f| f.rule == WARNING)
            .map(|f| f.message.as_str())
            .collect();
        if !warnings.is_empty() {
            let _ = writeln!(
                cases,
                "    <system-out>{}</system-out>",
                escape_text(&warnings.join("\n"))
            );
        }
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{suite_tests}\" failures=\"{suite_failures}\" errors=\"{suite_errors}\">\n{cases}  </testsuite>\n",
            escape(&name)
        );
        tests += suite_tests;
        failures += suite_failures;
        errors += suite_errors;
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n",
        escape(&format!("ticheck evaluate ({})", rubric.meta.id))
    )
}
