//! `--format markdown`: a report to paste into a review ticket.
//!
//! A heading naming the measure and its validity; for several applicants a summary table (one
//! row per applicant, then which clauses knock out how many); then per applicant a section with
//! the overall verdict, the clause table (clause | article | requirement | actual | verdict) and
//! the warnings. The summary comes first, so sections are kept until the run finishes.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{localized, overall_label, rulebook_heading, Emitter, Settings, Summary};
use crate::engine::{Assessment, Finding, Overall, Verdict};
use crate::i18n::Lang;
use crate::rules::Severity;

pub struct MarkdownEmitter<'r> {
    settings: Settings<'r>,
    /// The per-applicant sections, in input order.
    sections: String,
    /// One summary row per applicant: source, applicant, verdict, knocked out by, warnings.
    rows: Vec<[String; 5]>,
    /// The first expired-measure warning, for the document's header.
    validity: Option<String>,
    /// Clause index → (failed, missing), conditions only.
    knockouts: super::Knockouts,
}

impl<'r> MarkdownEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        MarkdownEmitter {
            settings,
            sections: String::new(),
            rows: Vec::new(),
            validity: None,
            knockouts: super::Knockouts::default(),
        }
    }

    fn lang(&self) -> Lang {
        self.settings.lang
    }

    fn section(&mut self, assessment: &Assessment<'_>) {
        let lang = self.lang();
        let out = &mut self.sections;
        let _ = match assessment.applicant.as_deref() {
            Some(name) => writeln!(
                out,
                "## {} (`{}`)\n",
                inline(name),
                code(&assessment.source)
            ),
            None => writeln!(out, "## `{}`\n", code(&assessment.source)),
        };
        let warnings = localized(&assessment.warnings, lang);
        // SPEC §2: warnings stand before any verdict.
        if !warnings.is_empty() {
            let _ = writeln!(out, "**{}**\n", lang.pick("警告", "Warnings"));
            for warning in &warnings {
                let _ = writeln!(out, "- ⚠️ {}", inline(warning));
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "**{}{}** {}\n",
            lang.pick("结论：", "Verdict: "),
            inline(&overall_label(assessment, lang)),
            marker(assessment.verdict)
        );
        for note in super::note_lines(assessment, lang) {
            let _ = writeln!(out, "{}\n", inline(&note));
        }
        let open = assessment.open();
        if assessment.verdict == Overall::Eligible && !open.is_empty() {
            let _ = writeln!(
                out,
                "**{}**\n",
                lang.pick(
                    "尚未确定的事项（最终由专家论证决定）",
                    "Still open (the expert panel decides in the end)"
                )
            );
            for line in open.lines(lang) {
                let _ = writeln!(out, "- {}", inline(&line));
            }
            out.push('\n');
        }
        if let Some(error) = &assessment.error {
            let _ = writeln!(
                out,
                "{}\n",
                lang.pick(
                    "档案无法读取，未检查申报条件：",
                    "The profile could not be read; no condition was checked:"
                )
            );
            for problem in &error.problems {
                let _ = writeln!(out, "- {}", inline(&error.render_problem(problem, lang)));
            }
            out.push('\n');
        }
        if !assessment.findings.is_empty() {
            let header = super::clause_header(lang);
            let _ = writeln!(out, "| {} |", header.join(" | "));
            let _ = writeln!(out, "|---|---|---|---|---|---|");
            for finding in &assessment.findings {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    cell(&format!(
                        "`{}` {}",
                        finding.clause.id,
                        finding.clause.title.get(lang)
                    )),
                    cell(&finding.clause.citation),
                    cell(finding.required().human.get(lang)),
                    cell(&super::actual_text(finding, lang)),
                    cell(&verdict_cell(finding, lang)),
                    cell(&super::gap_cell(assessment, finding, lang)),
                );
            }
            out.push('\n');
            let _ = writeln!(out, "{}\n", super::tally(assessment, lang));
            let missing = super::what_is_missing(assessment, lang);
            if !missing.is_empty() {
                let _ = writeln!(
                    out,
                    "**{}**\n",
                    lang.pick(
                        "还差什么（最易补足的在前）",
                        "What is missing (nearest fixes first)"
                    )
                );
                for line in missing {
                    let _ = writeln!(out, "- {}", inline(&line));
                }
                out.push('\n');
            }
            to_look_at(out, assessment, lang);
            if let Some(drift) = assessment.drift.as_ref().filter(|d| !d.changes.is_empty()) {
                let _ = writeln!(
                    out,
                    "**{}**\n",
                    match lang {
                        Lang::Zh => format!("若推迟到 {} 年申报", drift.year),
                        Lang::En => format!("If the application moves to {}", drift.year),
                    }
                );
                for line in drift.lines(lang) {
                    let _ = writeln!(out, "- {}", inline(&line));
                }
                out.push('\n');
            }
            let left_out: Vec<String> = assessment
                .findings
                .iter()
                .flat_map(|f| {
                    super::left_out_lines(f, lang)
                        .into_iter()
                        .map(move |line| format!("- `{}` {}", f.clause.id, inline(&line)))
                })
                .collect();
            if !left_out.is_empty() {
                let _ = writeln!(
                    out,
                    "**{}**\n\n{}\n",
                    lang.pick("列出但未计入的条目", "Listed items not counted"),
                    left_out.join("\n")
                );
            }
        }
    }

    fn remember(&mut self, assessment: &Assessment<'_>) {
        let lang = self.lang();
        let mut knocked: Vec<String> = self
            .knockouts
            .count(assessment)
            .into_iter()
            .map(|(id, missing)| format!("`{id}{}`", if missing { "?" } else { "" }))
            .collect();
        if assessment.error.is_some() {
            knocked.push(lang.pick("档案无效", "invalid profile").to_string());
        }
        if let Some(warning) = assessment.validity_warning() {
            self.validity
                .get_or_insert_with(|| warning.get(lang).to_string());
        }
        self.rows.push([
            // Even inside a code span, `|` would split a table cell.
            format!("`{}`", code(&assessment.source).replace('|', "\\|")),
            assessment.applicant.clone().unwrap_or_else(|| "—".into()),
            format!(
                "{} {}",
                marker(assessment.verdict),
                super::overall_cell(assessment, lang)
            ),
            knocked.join(" "),
            super::warnings_cell(assessment, lang),
        ]);
    }

    fn summary(&self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let lang = self.lang();
        writeln!(out, "## {}\n", lang.pick("汇总", "Summary"))?;
        let header = match lang {
            Lang::Zh => [
                "来源",
                "单位名称",
                "结论",
                "未通过条款（? = 缺数据）",
                "警告",
            ],
            Lang::En => [
                "Source",
                "Applicant",
                "Verdict",
                "Knocked out by (? = missing data)",
                "Warnings",
            ],
        };
        writeln!(out, "| {} |", header.join(" | "))?;
        writeln!(out, "|---|---|---|---|---|")?;
        for row in &self.rows {
            // The source and the clause ids are already code spans; the rest is text.
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                row[0],
                cell(&row[1]),
                cell(&row[2]),
                row[3],
                cell(&row[4])
            )?;
        }
        writeln!(out)?;
        if !self.knockouts.is_empty() {
            let header = super::Knockouts::header(lang);
            writeln!(out, "| {} |", header.join(" | "))?;
            writeln!(out, "|---|---|--:|--:|")?;
            for (clause, failed, missing) in self.knockouts.clauses(self.settings.rulebook) {
                writeln!(
                    out,
                    "| {} | {} | {failed} | {missing} |",
                    cell(&format!("`{}` {}", clause.id, clause.title.get(lang))),
                    cell(&clause.citation),
                )?;
            }
            writeln!(out)?;
        }
        if !summary.near_misses.is_empty() {
            writeln!(
                out,
                "**{}**\n",
                inline(&super::near_miss::heading(self.settings.near_miss, lang))
            )?;
            writeln!(out, "| {} |", super::near_miss::header(lang).join(" | "))?;
            writeln!(out, "|--:|---|---|--:|--:|---|")?;
            for row in super::near_miss::rows(&summary.near_misses, self.settings.rulebook, lang) {
                let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
            writeln!(out)?;
            if let Some(line) = super::near_miss::left_out_line(&summary.near_misses, lang) {
                writeln!(out, "{line}\n")?;
            }
        }
        writeln!(out, "{}\n", summary.sentence(lang))?;
        // SPEC §7: what was said once about each sheet read, so that the report explains the
        // rows it leaves out.
        if !summary.sheet_notes.is_empty() {
            writeln!(
                out,
                "**{}**\n",
                lang.pick("读表说明", "Notes on the sheets")
            )?;
            for note in &summary.sheet_notes {
                writeln!(
                    out,
                    "- `{}`{}{}",
                    code(&note.file),
                    lang.pick("：", ": "),
                    inline(note.text.get(lang))
                )?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}

/// The failed, missing and review clauses that decide or advise, with what to do about each.
fn to_look_at(out: &mut String, assessment: &Assessment<'_>, lang: Lang) {
    let findings = super::to_look_at(assessment);
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "**{}**\n",
        lang.pick(
            "待专家论证或人工核实",
            "For the expert panel or a check by hand"
        )
    );
    for finding in findings {
        let _ = writeln!(
            out,
            "- `{}` [{}] {}",
            finding.clause.id,
            super::look_at_tag(finding, lang),
            inline(&super::look_at_lead(finding, lang))
        );
    }
    out.push('\n');
}

fn marker(verdict: Overall) -> &'static str {
    match verdict {
        Overall::Eligible => "✅",
        Overall::Ineligible => "❌",
        Overall::Incomplete => "⚠️",
        Overall::Error => "⛔",
    }
}

fn verdict_cell(finding: &Finding<'_>, lang: Lang) -> String {
    let text = finding.label(lang);
    match (finding.severity(), finding.verdict) {
        (Severity::Condition, Verdict::Fail) => format!("❌ {text}"),
        (Severity::Condition, Verdict::Missing) => format!("⚠️ {text}"),
        _ => text,
    }
}

/// Text in a Markdown line: a `<` that could open an HTML tag or autolink becomes `&lt;`, and
/// line breaks become spaces.
pub(crate) fn inline(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars
                .peek()
                .is_some_and(|next| next.is_ascii_alphabetic() || "/!?".contains(*next)) =>
            {
                escaped.push_str("&lt;")
            }
            '\r' => {}
            '\n' => escaped.push(' '),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Text in a table cell: as [`inline`], with `|` escaped and line breaks as `<br>`.
pub(crate) fn cell(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            escaped.push_str("<br>");
        }
        escaped.push_str(&inline(line).replace('|', "\\|"));
    }
    escaped
}

/// Text inside a code span: a backtick would end it, a line break split it.
fn code(text: &str) -> String {
    text.replace('`', "'").replace(['\r', '\n'], " ")
}

impl Emitter for MarkdownEmitter<'_> {
    fn emit(&mut self, _out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        self.section(assessment);
        self.remember(assessment);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let lang = self.lang();
        writeln!(
            out,
            "# {}\n",
            lang.pick(
                "云南省技术创新中心申报条件检查",
                "Yunnan Technology Innovation Center eligibility check"
            )
        )?;
        writeln!(
            out,
            "{}\n",
            inline(&rulebook_heading(self.settings.rulebook, lang))
        )?;
        if let Some(validity) = &self.validity {
            writeln!(out, "> ⚠️ {}\n", inline(validity))?;
        }
        if self.settings.many || self.rows.len() > 1 {
            self.summary(out, summary)?;
        }
        out.write_all(self.sections.trim_end().as_bytes())?;
        self.sections.clear();
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_keep_line_breaks() {
        assert_eq!(cell("a | b"), "a \\| b");
        assert_eq!(cell("line 1\nline 2"), "line 1<br>line 2");
        assert_eq!(cell("a\r\nb"), "a<br>b");
        assert_eq!(cell("≥ 1500 m²"), "≥ 1500 m²");
    }

    #[test]
    fn only_a_tag_like_angle_bracket_is_escaped() {
        assert_eq!(inline("< 70%"), "< 70%");
        assert_eq!(inline("<script>x</script>"), "&lt;script>x&lt;/script>");
        assert_eq!(inline("<!-- x -->"), "&lt;!-- x -->");
        assert_eq!(inline("a\nb"), "a b");
    }

    #[test]
    fn code_spans_cannot_be_closed_early() {
        assert_eq!(code("a`b|c\n.csv"), "a'b|c .csv");
    }
}
