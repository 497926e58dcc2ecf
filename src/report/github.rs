//! `--format github`: GitHub Actions workflow-command annotations.
//!
//! `::error` for a failed condition, `::warning` for a condition that lacks data, `::notice` for
//! a failed or missing advisory or info clause; one `::error` per problem of an invalid profile
//! and one `::warning` per warning. Each names the file, and the line and column (TOML) or the
//! row (sheets) where the fact was written. Annotations stream as applicants are judged; the
//! last line is a plain summary, not a command.

use std::io::{self, Write};

use super::sarif::{cell_column, column_note, finding_message, line_and_column, split_source};
use super::{Emitter, Settings, Summary};
use crate::engine::{Assessment, Finding, Verdict};
use crate::rules::Severity;

pub struct GithubEmitter<'r> {
    settings: Settings<'r>,
}

impl<'r> GithubEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        GithubEmitter { settings }
    }
}

/// A command's message: `%`, CR and LF are percent-encoded (GitHub's `escapeData`).
pub(super) fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A command's property value: as data, and `:` and `,` too (GitHub's `escapeProperty`).
pub(super) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=a.toml,line=7,col=14,title=A10.2.debt-ratio::message`.
fn command(
    kind: &str,
    file: &str,
    line: Option<usize>,
    column: Option<usize>,
    title: &str,
    message: &str,
) -> String {
    let mut properties = vec![format!("file={}", escape_property(file))];
    if let Some(line) = line.filter(|line| *line >= 1) {
        properties.push(format!("line={line}"));
        if let Some(column) = column.filter(|column| *column >= 1) {
            properties.push(format!("col={column}"));
        }
    }
    properties.push(format!("title={}", escape_property(title)));
    format!(
        "::{kind} {}::{}",
        properties.join(","),
        escape_data(message)
    )
}

fn finding_command(finding: &Finding<'_>) -> Option<&'static str> {
    if !super::is_flagged(finding) {
        return None;
    }
    match (finding.severity(), finding.verdict) {
        (Severity::Condition, Verdict::Fail) => Some("error"),
        (Severity::Condition, Verdict::Missing) => Some("warning"),
        (_, Verdict::Fail | Verdict::Missing) => Some("notice"),
        _ => None,
    }
}

impl Emitter for GithubEmitter<'_> {
    fn emit(&mut self, out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        let lang = self.settings.lang;
        let (file, _) = split_source(&assessment.source);
        let applicant = assessment
            .applicant
            .as_deref()
            .filter(|_| self.settings.many);
        if let Some(error) = &assessment.error {
            let title = lang.pick("档案无效", "invalid profile");
            for problem in &error.problems {
                let mut message = String::new();
                if let Some(applicant) = applicant {
                    message.push_str(applicant);
                    message.push_str(lang.pick("：", ": "));
                }
                if let Some(field) = &problem.field {
                    message.push_str(field);
                    message.push_str(lang.pick("：", ": "));
                }
                message.push_str(problem.message.get(lang));
                if let Some(column) = cell_column(&problem.at) {
                    message.push_str(&column_note(column, lang));
                }
                let (line, column) = line_and_column(&assessment.source, &problem.at);
                writeln!(
                    out,
                    "{}",
                    command("error", file, line, column, title, &message)
                )?;
            }
        }
        // SPEC §2: warnings come before any verdict.
        for warning in &assessment.warnings {
            let mut message = String::new();
            if let Some(applicant) = applicant {
                message.push_str(applicant);
                message.push_str(lang.pick("：", ": "));
            }
            message.push_str(warning.get(lang));
            let (line, _) = line_and_column(&assessment.source, &None);
            writeln!(
                out,
                "{}",
                command(
                    "warning",
                    file,
                    line,
                    None,
                    lang.pick("警告", "warning"),
                    &message
                )
            )?;
        }
        for finding in &assessment.findings {
            let Some(kind) = finding_command(finding) else {
                continue;
            };
            let (line, column) = line_and_column(&assessment.source, &finding.at);
            let message = finding_message(finding, applicant, lang);
            writeln!(
                out,
                "{}",
                command(kind, file, line, column, &finding.clause.id, &message)
            )?;
        }
        // SPEC §2: an eligible applicant's annotation says what is still open.
        if assessment.verdict == crate::engine::Overall::Eligible {
            let mut message = String::new();
            if let Some(applicant) = applicant {
                message.push_str(applicant);
                message.push_str(lang.pick("：", ": "));
            }
            message.push_str(&super::overall_label(assessment, lang));
            for line in assessment.open().lines(lang) {
                message.push('\n');
                message.push_str(&line);
            }
            let (line, _) = line_and_column(&assessment.source, &None);
            writeln!(
                out,
                "{}",
                command(
                    "notice",
                    file,
                    line,
                    None,
                    lang.pick("尚未确定的事项", "still open"),
                    &message
                )
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let line = format!(
            "ticheck{}{}",
            self.settings.lang.pick("：", ": "),
            summary.sentence(self.settings.lang)
        );
        writeln!(out, "{line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks() {
        assert_eq!(escape_data("100% done"), "100%25 done");
        assert_eq!(escape_data("a\r\nb"), "a%0D%0Ab");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_escape_colons_and_commas_too() {
        assert_eq!(escape_property("C:\\a,b.toml"), "C%3A\\a%2Cb.toml");
        assert_eq!(escape_property("50%\n"), "50%25%0A");
        assert_eq!(escape_property("资产负债率"), "资产负债率");
    }

    #[test]
    fn commands_name_file_line_column_and_title() {
        assert_eq!(
            command(
                "error",
                "a.toml",
                Some(7),
                Some(14),
                "A10.2.debt-ratio",
                "x\ny"
            ),
            "::error file=a.toml,line=7,col=14,title=A10.2.debt-ratio::x%0Ay"
        );
        assert_eq!(
            command("warning", "b.csv", Some(3), None, "t", "m"),
            "::warning file=b.csv,line=3,title=t::m"
        );
        assert_eq!(
            command("notice", "c.toml", None, Some(2), "t", "m"),
            "::notice file=c.toml,title=t::m"
        );
    }
}
