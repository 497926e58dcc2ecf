//! `--format junit`: JUnit XML, one test case per clause per applicant.
//!
//! `<testsuites>` holds one `<testsuite>` per applicant and one `<testcase>` per clause
//! (classname = clause id, name = its title). A failed or missing clause is a `<failure>` whose
//! `type` is the clause's severity (`condition`, `advisory`, `info`); review and
//! not-applicable clauses are `<skipped>`; an invalid profile is one test case with an
//! `<error>`. The totals on `<testsuites>` need every applicant, so the document is written
//! when the run finishes.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::sarif::{cell_column, finding_message, line_and_column, INVALID_PROFILE};
use super::{localized, missing_text, Emitter, Settings, Summary};
use crate::engine::{Assessment, Finding, Open, Verdict};
use crate::i18n::Lang;
use crate::rules::Severity;

pub struct JunitEmitter<'r> {
    settings: Settings<'r>,
    /// The `<testsuite>` elements written so far.
    suites: String,
    totals: Counts,
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }

    fn attributes(&self) -> String {
        format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="{}""#,
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

impl<'r> JunitEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        JunitEmitter {
            settings,
            suites: String::new(),
            totals: Counts::default(),
        }
    }

    fn suite(&self, assessment: &Assessment<'_>) -> (String, Counts) {
        let lang = self.settings.lang;
        let mut counts = Counts::default();
        let mut cases = String::new();
        if let Some(error) = &assessment.error {
            counts.tests += 1;
            counts.errors += 1;
            let first = error
                .problems
                .first()
                .map(|problem| error.render_problem(problem, lang))
                .unwrap_or_default();
            let message = match error.problems.len() {
                0 | 1 => first,
                n => match lang {
                    Lang::Zh => format!("{first}（另有 {} 个问题）", n - 1),
                    Lang::En => format!("{first} (and {} more problems)", n - 1),
                },
            };
            let _ = write!(
                cases,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n      <error message=\"{}\" type=\"invalid-profile\">{}</error>\n    </testcase>\n",
                INVALID_PROFILE,
                escape(lang.pick("档案可读取且有效", "the profile can be read and is valid")),
                escape(&message),
                escape_text(&error.render(lang)),
            );
        }
        for finding in &assessment.findings {
            counts.tests += 1;
            let open = format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
                escape(&finding.clause.id),
                escape(finding.clause.title.get(lang)),
            );
            // An informational clause is answered yes or no and never fails (Art. 8 only gives
            // priority); a passed clause still open for the panel says why.
            let answered = finding.severity() == Severity::Info
                && matches!(finding.verdict, Verdict::Pass | Verdict::Fail);
            let remark = if answered {
                Some(finding.label(lang))
            } else {
                finding.open_reason().map(|reason| {
                    format!("{}{}", finding.label(lang), lang.pick("：", ": ")) + reason.get(lang)
                })
            };
            match finding.verdict {
                _ if answered || finding.verdict == Verdict::Pass => match remark {
                    Some(remark) => {
                        let _ = write!(
                            cases,
                            "{open}>\n      <system-out>{}</system-out>\n    </testcase>\n",
                            escape_text(&remark)
                        );
                    }
                    None => {
                        let _ = writeln!(cases, "{open}/>");
                    }
                },
                Verdict::Fail | Verdict::Missing if super::is_flagged(finding) => {
                    counts.failures += 1;
                    let message = finding_message(finding, None, lang);
                    let _ = write!(
                        cases,
                        "{open}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                        escape(&message),
                        finding.severity().word(),
                        escape_text(&self.failure_body(assessment, finding)),
                    );
                }
                // Review, not applicable, and informational clauses that lack data.
                Verdict::Pass
                | Verdict::Review
                | Verdict::NotApplicable
                | Verdict::Fail
                | Verdict::Missing => {
                    counts.skipped += 1;
                    let _ = write!(
                        cases,
                        "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                        escape(&skip_message(finding, lang)),
                    );
                }
            }
        }
        let warnings = localized(&assessment.warnings, lang);
        if self.settings.strict && !warnings.is_empty() {
            // SPEC §2: under --strict a warning fails the run, and says so here too.
            counts.tests += 1;
            counts.failures += 1;
            let _ = write!(
                cases,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n      <failure message=\"{}\" type=\"warning\">{}</failure>\n    </testcase>\n",
                super::sarif::WARNING,
                escape(lang.pick("无警告（--strict）", "no warnings (--strict)")),
                escape(&super::warnings_cell(assessment, lang)),
                escape_text(&warnings.join("\n")),
            );
        }
        let name = match &assessment.applicant {
            Some(applicant) => format!("{} — {applicant}", assessment.source),
            None => assessment.source.clone(),
        };
        let mut suite = format!(
            "  <testsuite name=\"{}\" {} time=\"0\">\n",
            escape(&name),
            counts.attributes()
        );
        suite.push_str("    <properties>\n");
        let mut property = |name: &str, value: &str| {
            let _ = writeln!(
                suite,
                "      <property name=\"{}\" value=\"{}\"/>",
                escape(name),
                escape(value)
            );
        };
        property("source", &assessment.source);
        if let Some(applicant) = &assessment.applicant {
            property("applicant", applicant);
        }
        property("verdict", assessment.verdict.word());
        if assessment.verdict == crate::engine::Overall::Eligible {
            for line in assessment.open().lines(lang) {
                property("open", &line);
            }
        }
        property("rulebook", &self.settings.rulebook.meta.id);
        suite.push_str("    </properties>\n");
        suite.push_str(&cases);
        if !warnings.is_empty() {
            let prefix = super::warning_prefix(lang);
            let text: Vec<String> = warnings
                .iter()
                .map(|warning| format!("{prefix}{}{warning}", lang.pick("：", ": ")))
                .collect();
            let _ = writeln!(
                suite,
                "    <system-out>{}</system-out>",
                escape_text(&text.join("\n"))
            );
        }
        suite.push_str("  </testsuite>\n");
        (suite, counts)
    }

    /// The failure's text: what is required and found, where, what to fill in and the notes.
    fn failure_body(&self, assessment: &Assessment<'_>, finding: &Finding<'_>) -> String {
        let lang = self.settings.lang;
        let mut lines = vec![format!(
            "{} {} [{}, {}]",
            finding.clause.id,
            finding.clause.citation,
            finding.verdict.word(),
            finding.severity().word()
        )];
        lines.push(format!(
            "{}{}",
            lang.pick("要求：", "required: "),
            finding.required().human.get(lang)
        ));
        if let Some(actual) = finding.actual() {
            lines.push(format!(
                "{}{}",
                lang.pick("实际：", "actual: "),
                actual.human.get(lang)
            ));
        }
        if !finding.missing.is_empty() {
            lines.push(missing_text(&finding.missing, lang));
        }
        let (line, column) = line_and_column(&assessment.source, &finding.at);
        let mut place = super::sarif::split_source(&assessment.source).0.to_string();
        if let Some(line) = line {
            let _ = write!(place, ":{line}");
            if let Some(column) = column {
                let _ = write!(place, ":{column}");
            }
        }
        if let Some(cell) = cell_column(&finding.at) {
            place.push_str(&super::sarif::column_note(cell, lang));
        }
        lines.push(format!("{}{place}", lang.pick("位置：", "at: ")));
        for note in localized(&finding.note_texts(), lang) {
            if !note.is_empty() {
                lines.push(format!("- {note}"));
            }
        }
        lines.join("\n")
    }
}

/// Why a clause is skipped: the expert panel's evidence, a manual check, missing data of an
/// informational clause, or that it does not apply to this kind of applicant.
fn skip_message(finding: &Finding<'_>, lang: Lang) -> String {
    let first_note = || {
        finding
            .note_texts()
            .first()
            .map(|note| note.get(lang).to_string())
            .unwrap_or_default()
    };
    match (finding.verdict, finding.open) {
        (Verdict::Review, Some(Open::ManualCheck)) => {
            format!(
                "{}{}",
                lang.pick("需人工核实：", "manual check: "),
                first_note()
            )
        }
        (Verdict::Review, _) => format!(
            "{}{}",
            lang.pick("需专家论证评审：", "expert panel review: "),
            first_note()
        ),
        (Verdict::Missing, _) => format!(
            "{}{}",
            lang.pick(
                "缺数据（提示，不影响判定）：",
                "missing data (info, decides nothing): "
            ),
            finding.missing.join(", ")
        ),
        _ => lang
            .pick(
                "不适用于该类申报单位",
                "does not apply to this kind of applicant",
            )
            .to_string(),
    }
}

/// An attribute value: the five markup characters become entities, tab and line breaks become
/// character references (so that attribute-value normalisation keeps them), and characters
/// XML 1.0 cannot carry at all (other C0 controls, U+FFFE, U+FFFF) become U+FFFD.
pub(super) fn escape(text: &str) -> String {
    escape_as(text, true)
}

/// Element content: as an attribute value, but tabs and line feeds are written as they are.
pub(super) fn escape_text(text: &str) -> String {
    escape_as(text, false)
}

fn escape_as(text: &str, attribute: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\n' if !attribute => escaped.push(c),
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => escaped.push('\u{FFFD}'),
            _ => escaped.push(c),
        }
    }
    escaped
}

impl Emitter for JunitEmitter<'_> {
    fn emit(&mut self, _out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        let (suite, counts) = self.suite(assessment);
        self.suites.push_str(&suite);
        self.totals.add(counts);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"ticheck\" {} time=\"0\">",
            self.totals.attributes()
        )?;
        out.write_all(self.suites.as_bytes())?;
        self.suites.clear();
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape(r#"R&D <a href="x">'y'</a>"#),
            "R&amp;D &lt;a href=&quot;x&quot;&gt;&apos;y&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("资产负债率 < 70%"), "资产负债率 &lt; 70%");
    }

    #[test]
    fn line_breaks_survive_attributes_and_controls_are_replaced() {
        assert_eq!(escape("a\nb\tc\r"), "a&#10;b&#9;c&#13;");
        assert_eq!(
            escape("a\u{0}b\u{1B}c\u{FFFF}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(escape("\u{7F}é"), "\u{7F}é");
        assert_eq!(escape_text("a\nb\tc\r<"), "a\nb\tc&#13;&lt;");
    }
}
