//! `--format sarif`: SARIF 2.1.0 for code-scanning platforms.
//!
//! One run; the driver lists one rule per clause of the rulebook, plus `ticheck/invalid-profile`
//! (a profile that cannot be read) and `ticheck/warning` (a warning about an applicant). Each
//! failed or missing clause of each applicant is a result located where the judged fact was
//! written; review and not-applicable clauses are not results. A SARIF log is one JSON document,
//! so results are kept until the run finishes.
//!
//! The helpers marked `pub(super)` word a finding the same way for every annotation format
//! (SARIF, JUnit, GitHub).

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{missing_text, Emitter, Settings, Summary};
use crate::engine::{clause_requirement, Assessment, Finding, Verdict};
use crate::i18n::{Lang, Text};
use crate::profile::{ColumnName, Location};
use crate::rules::{Clause, Rulebook, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub(super) const INVALID_PROFILE: &str = "ticheck/invalid-profile";
pub(super) const WARNING: &str = "ticheck/warning";

pub struct SarifEmitter<'r> {
    settings: Settings<'r>,
    results: Vec<Value>,
    /// Rule id → its index in `tool.driver.rules`.
    index: HashMap<&'r str, usize>,
}

impl<'r> SarifEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        let index = settings
            .rulebook
            .clauses
            .iter()
            .enumerate()
            .map(|(i, clause)| (clause.id.as_str(), i))
            .collect();
        SarifEmitter {
            settings,
            results: Vec::new(),
            index,
        }
    }

    fn lang(&self) -> Lang {
        self.settings.lang
    }

    fn rule_index(&self, id: &str) -> usize {
        let clauses = self.settings.rulebook.clauses.len();
        match id {
            INVALID_PROFILE => clauses,
            WARNING => clauses + 1,
            _ => self.index.get(id).copied().unwrap_or(clauses),
        }
    }

    fn rules(&self) -> Vec<Value> {
        let lang = self.lang();
        let rulebook = self.settings.rulebook;
        let mut rules: Vec<Value> = rulebook
            .clauses
            .iter()
            .map(|clause| {
                let mut help = requirement(rulebook, clause, lang);
                if let Some(interpretation) = &clause.interpretation {
                    help.push_str(lang.pick("\n解释：", "\nInterpretation: "));
                    help.push_str(interpretation.get(lang));
                }
                json!({
                    "id": clause.id,
                    "name": rule_name(&clause.title.en),
                    "shortDescription": {"text": clause.title.get(lang)},
                    "fullDescription": {"text": format!("{}：{}", clause.citation, clause.law)},
                    "help": {"text": help},
                    "defaultConfiguration": {"level": default_level(clause.severity)},
                    "properties": {
                        "citation": clause.citation,
                        "severity": clause.severity.word(),
                    },
                })
            })
            .collect();
        rules.push(json!({
            "id": INVALID_PROFILE,
            "name": "InvalidProfile",
            "shortDescription": {"text": lang.pick("档案无法读取或无效", "The profile cannot be read or is invalid")},
            "fullDescription": {"text": lang.pick(
                "档案中的值无法读取、键名拼写错误或存在语法错误；改正后才能检查申报条件。",
                "A value cannot be read, a key is misspelt or the file has a syntax error; correct it before the conditions can be checked."
            )},
            "help": {"text": lang.pick(
                "按提示改正所指字段的值；未知键名会给出拼写建议。",
                "Correct the value of the field named; an unknown key comes with a spelling suggestion."
            )},
            "defaultConfiguration": {"level": "error"},
            "properties": {"severity": "error"},
        }));
        rules.push(json!({
            "id": WARNING,
            "name": "Warning",
            "shortDescription": {"text": lang.pick("警告", "Warning about the profile")},
            "fullDescription": {"text": lang.pick(
                "不影响判定的提醒，例如申报日期不在办法有效期内，或汇总数与明细条目不一致。",
                "A remark that does not decide eligibility, such as an application date outside the measure's validity or a summary count that disagrees with the items."
            )},
            "help": {"text": lang.pick(
                "核实所述事项；使用 --strict 时警告也使退出码为 1。",
                "Check what it says; with --strict a warning also makes the exit code 1."
            )},
            "defaultConfiguration": {"level": "warning"},
            "properties": {"severity": "warning"},
        }));
        rules
    }

    fn result(
        &self,
        rule_id: &str,
        level: &str,
        text: String,
        location: Value,
        properties: Value,
    ) -> Value {
        json!({
            "ruleId": rule_id,
            "ruleIndex": self.rule_index(rule_id),
            "level": level,
            "message": {"text": text},
            "locations": [location],
            "properties": properties,
        })
    }

    fn finding_result(&self, assessment: &Assessment<'_>, finding: &Finding<'_>) -> Value {
        let lang = self.lang();
        let applicant = assessment
            .applicant
            .as_deref()
            .filter(|_| self.settings.many);
        let text = finding_message(finding, applicant, lang);
        let mut properties = Map::new();
        properties.insert("source".into(), json!(assessment.source));
        properties.insert("applicant".into(), json!(assessment.applicant));
        properties.insert("verdict".into(), json!(finding.word()));
        properties.insert("severity".into(), json!(finding.severity().word()));
        properties.insert("citation".into(), json!(finding.clause.citation));
        properties.insert("required".into(), json!(finding.required().machine));
        properties.insert("actual".into(), json!(finding.actual().map(|a| a.machine)));
        if !finding.missing.is_empty() {
            properties.insert("missing".into(), json!(finding.missing));
        }
        if let Some(column) = cell_column(&finding.at) {
            properties.insert("column".into(), json!(column));
        }
        self.result(
            &finding.clause.id,
            finding_level(finding),
            text,
            physical_location(&assessment.source, &finding.at),
            Value::Object(properties),
        )
    }

    fn collect(&mut self, assessment: &Assessment<'_>) {
        let lang = self.lang();
        let mut results = Vec::new();
        if let Some(error) = &assessment.error {
            for problem in &error.problems {
                let mut text = String::new();
                if let Some(applicant) = assessment
                    .applicant
                    .as_deref()
                    .filter(|_| self.settings.many)
                {
                    text.push_str(applicant);
                    text.push_str(lang.pick("：", ": "));
                }
                if let Some(field) = &problem.field {
                    text.push_str(field);
                    text.push_str(lang.pick("：", ": "));
                }
                text.push_str(problem.message.get(lang));
                if let Some(column) = cell_column(&problem.at) {
                    text.push_str(&column_note(column, lang));
                }
                let mut properties = Map::new();
                properties.insert("source".into(), json!(assessment.source));
                properties.insert("applicant".into(), json!(assessment.applicant));
                properties.insert("field".into(), json!(problem.field));
                if let Some(column) = cell_column(&problem.at) {
                    properties.insert("column".into(), json!(column));
                }
                results.push(self.result(
                    INVALID_PROFILE,
                    "error",
                    text,
                    physical_location(&assessment.source, &problem.at),
                    Value::Object(properties),
                ));
            }
        }
        // SPEC §2: warnings come before any verdict.
        for warning in &assessment.warnings {
            let mut text = String::new();
            if let Some(applicant) = assessment
                .applicant
                .as_deref()
                .filter(|_| self.settings.many)
            {
                text.push_str(applicant);
                text.push_str(lang.pick("：", ": "));
            }
            text.push_str(warning.get(lang));
            results.push(self.result(
                WARNING,
                "warning",
                text,
                physical_location(&assessment.source, &None),
                json!({"source": assessment.source, "applicant": assessment.applicant}),
            ));
        }
        for finding in &assessment.findings {
            if super::is_flagged(finding) {
                results.push(self.finding_result(assessment, finding));
            }
        }
        self.results.extend(results);
    }
}

/// `note` for what never decides, `error` for a failed condition, `warning` for missing data.
fn finding_level(finding: &Finding<'_>) -> &'static str {
    match (finding.severity(), finding.verdict) {
        (Severity::Condition, Verdict::Fail) => "error",
        (Severity::Condition, _) => "warning",
        _ => "note",
    }
}

fn default_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Condition => "error",
        Severity::Advisory | Severity::Info => "note",
    }
}

/// A rule's friendly name from its English title: `R&D floor area` → `RDFloorArea`.
fn rule_name(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

/// What a clause requires, for any applicant, prefixed for a rule's help text.
pub(super) fn requirement(rulebook: &Rulebook, clause: &Clause, lang: Lang) -> String {
    format!(
        "{}{}",
        lang.pick("要求：", "Requirement: "),
        clause_requirement(rulebook, clause, lang)
    )
}

/// The file a source names, and the row when it is a sheet's row: `batch.csv:7` →
/// (`batch.csv`, Some(7)); `a.toml` → (`a.toml`, None).
pub(super) fn split_source(source: &str) -> (&str, Option<usize>) {
    if let Some((file, row)) = source.rsplit_once(':') {
        if !file.is_empty() && !row.is_empty() && row.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(row) = row.parse() {
                return (file, Some(row));
            }
        }
    }
    (source, None)
}

/// The sheet column of a cell location (`N 资产负债率`).
pub(super) fn cell_column(at: &Option<Location>) -> Option<&str> {
    match at {
        Some(Location::Cell { column, .. }) => Some(ColumnName::as_str(column)),
        _ => None,
    }
}

/// The line (or sheet row) and column a finding or problem points at, falling back to the row
/// that the source names.
pub(super) fn line_and_column(
    source: &str,
    at: &Option<Location>,
) -> (Option<usize>, Option<usize>) {
    match at {
        Some(Location::Line { line, column }) => (Some(*line), Some(*column)),
        Some(Location::Cell { row, .. }) => (Some(*row), None),
        None => (split_source(source).1, None),
    }
}

/// `（“N 资产负债率”列）` / ` (column N 资产负债率)`.
pub(super) fn column_note(column: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（“{column}”列）"),
        Lang::En => format!(" (column {column})"),
    }
}

/// `requires < 70%, has 70%` or `missing: a, b; requires ≥ 5`.
pub(super) fn finding_sentence(finding: &Finding<'_>, lang: Lang) -> String {
    let required = finding.required().human;
    let requires =
        |required: &Text| format!("{}{}", lang.pick("要求 ", "requires "), required.get(lang));
    // SPEC §5 "Gaps": a failed clause says what it lacks ("floor space 1200 m², 300 m² short
    // of ≥ 1500 m²"); a clause without data, which fields to fill.
    if let (Verdict::Fail, Some(gap)) = (finding.verdict, finding.gap_view()) {
        return gap.text(lang);
    }
    let actual = finding.actual().map(|shown| shown.human);
    let mut sentence = match finding.verdict {
        Verdict::Missing if !finding.missing.is_empty() => format!(
            "{}{}{}",
            missing_text(&finding.missing, lang),
            lang.pick("；", "; "),
            requires(&required)
        ),
        _ => requires(&required),
    };
    if let Some(actual) = actual {
        sentence.push_str(lang.pick("，实际 ", ", has "));
        sentence.push_str(actual.get(lang));
    }
    sentence
}

/// `申报前1年度资产负债率（第十条第（二）项）：要求 < 70%，实际 70%`, prefixed with the applicant
/// when given and followed by the sheet column when the fact was read from a cell.
pub(super) fn finding_message(
    finding: &Finding<'_>,
    applicant: Option<&str>,
    lang: Lang,
) -> String {
    let mut text = String::new();
    if let Some(applicant) = applicant {
        text.push_str(applicant);
        text.push_str(lang.pick("：", ": "));
    }
    let clause = finding.clause;
    match lang {
        Lang::Zh => text.push_str(&format!("{}（{}）：", clause.title.zh, clause.citation)),
        Lang::En => text.push_str(&format!("{} ({}): ", clause.title.en, clause.citation)),
    }
    text.push_str(&finding_sentence(finding, lang));
    if let Some(column) = cell_column(&finding.at) {
        text.push_str(&column_note(column, lang));
    }
    text
}

/// A file path as a relative or absolute URI reference: `\` becomes `/`, and whatever may not
/// appear in a URI (spaces, non-ASCII, `%`, `#`, `?` …) is percent-encoded as UTF-8.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    // A Windows drive (`C:/x.toml`) is a file URI; a colon elsewhere in a relative path's first
    // segment would read as a scheme.
    let bytes = path.as_bytes();
    if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        return format!("file:///{}:{}", &path[..1], &encoded[4..]);
    }
    encoded
}

fn physical_location(source: &str, at: &Option<Location>) -> Value {
    let (file, _) = split_source(source);
    let mut physical = json!({"artifactLocation": {"uri": uri(file)}});
    let (line, column) = line_and_column(source, at);
    if let Some(line) = line.filter(|line| *line >= 1) {
        let mut region = json!({"startLine": line});
        if let Some(column) = column.filter(|column| *column >= 1) {
            region["startColumn"] = json!(column);
        }
        physical["region"] = region;
    }
    json!({"physicalLocation": physical})
}

impl Emitter for SarifEmitter<'_> {
    fn emit(&mut self, _out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        self.collect(assessment);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let meta = &self.settings.rulebook.meta;
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "ticheck",
                        "version": env!("CARGO_PKG_VERSION"),
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "rules": self.rules(),
                    }
                },
                "language": match self.lang() { Lang::Zh => "zh-CN", Lang::En => "en-US" },
                "results": std::mem::take(&mut self.results),
                "properties": {
                    "rulebook": {
                        "id": meta.id,
                        "document": meta.document,
                        "effective_from": meta.effective_from.to_string(),
                        "effective_until": meta.effective_until.map(|d| d.to_string()),
                    },
                    "summary": {
                        "eligible": summary.eligible,
                        "ineligible": summary.ineligible,
                        "incomplete": summary.incomplete,
                        "error": summary.error,
                    },
                },
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_split_into_file_and_row() {
        assert_eq!(split_source("batch.csv:7"), ("batch.csv", Some(7)));
        assert_eq!(split_source("fixtures/a.toml"), ("fixtures/a.toml", None));
        assert_eq!(split_source("C:/data/a.toml"), ("C:/data/a.toml", None));
        assert_eq!(
            split_source("C:/data/b.csv:12"),
            ("C:/data/b.csv", Some(12))
        );
        assert_eq!(split_source("odd:"), ("odd:", None));
        assert_eq!(split_source(":3"), (":3", None));
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("fixtures/a.toml"), "fixtures/a.toml");
        assert_eq!(
            uri("我的 档案.toml"),
            "%E6%88%91%E7%9A%84%20%E6%A1%A3%E6%A1%88.toml"
        );
        assert_eq!(uri("a%b#c?.csv"), "a%25b%23c%3F.csv");
        assert_eq!(uri(r"dir\sub\a.toml"), "dir/sub/a.toml");
        assert_eq!(uri(r"C:\data\a.toml"), "file:///C:/data/a.toml");
        assert_eq!(uri("/tmp/a.toml"), "/tmp/a.toml");
        assert_eq!(uri("a:b.toml"), "a%3Ab.toml");
    }

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(rule_name("R&D floor area"), "RDFloorArea");
        assert_eq!(
            rule_name("Industry–university–research network"),
            "IndustryUniversityResearchNetwork"
        );
    }

    #[test]
    fn every_clause_has_a_requirement() {
        let rulebook = Rulebook::builtin();
        for clause in &rulebook.clauses {
            for lang in [Lang::Zh, Lang::En] {
                let text = requirement(&rulebook, clause, lang);
                assert!(text.chars().count() > 16, "{}: {text}", clause.id);
                assert!(!text.ends_with(' '), "{}: {text:?}", clause.id);
            }
        }
        let spend = rulebook.clause("A10.4.rnd-spend").unwrap();
        assert_eq!(
            requirement(&rulebook, spend, Lang::En),
            "Requirement: the last two years (Y−2 to Y−1), every year ≥ 1000 万元"
        );
    }
}
