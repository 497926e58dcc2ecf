//! The terminal table. One applicant: a row per clause, then the verdict, the things to do and
//! the warnings. Many applicants: a row per applicant, then how many each clause knocked out.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::{
    missing_text, overall_label, rulebook_heading, verdict_label, warning_prefix, Emitter,
    Settings, Summary,
};
use crate::engine::{Assessment, Finding, Overall, Verdict};
use crate::i18n::Lang;
use crate::rules::Severity;

pub struct TableEmitter<'r> {
    settings: Settings<'r>,
    /// For the many-applicant view: one line per applicant.
    rows: Vec<[String; 4]>,
    /// Clause id → (failed, missing), in rulebook order.
    knockouts: super::Knockouts,
    /// The first applicant's clause table, kept in case it is the only one: a sheet of one
    /// row is one applicant, and one applicant gets the per-clause view (SPEC §5).
    first_detail: Option<Vec<u8>>,
}

impl<'r> TableEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        TableEmitter {
            settings,
            rows: Vec::new(),
            knockouts: super::Knockouts::default(),
            first_detail: None,
        }
    }

    fn lang(&self) -> Lang {
        self.settings.lang
    }

    fn new_table(&self) -> Table {
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        if let Some((width, _)) = terminal_width() {
            table.set_width(width);
        } else {
            table.set_width(160);
        }
        table
    }

    fn verdict_cell(&self, finding: &Finding<'_>) -> String {
        let lang = self.lang();
        // An informational clause is a yes or a no, not a verdict on the dossier: not hosting
        // a national centre is no failing (Art. 8 only gives priority).
        if finding.severity() == Severity::Info {
            return match finding.verdict {
                Verdict::Pass => lang.pick("是（提示）", "yes (info)").to_string(),
                Verdict::Fail => lang.pick("否（提示）", "no (info)").to_string(),
                other => format!(
                    "{}{}",
                    verdict_label(other, lang),
                    lang.pick("（提示）", " (info)")
                ),
            };
        }
        let mut cell = verdict_label(finding.verdict, lang);
        match finding.severity() {
            Severity::Condition => {}
            Severity::Advisory => cell.push_str(lang.pick("（建议性）", " (advisory)")),
            Severity::Info => {}
        }
        cell
    }

    fn detail(&self, out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        let lang = self.lang();
        let name = assessment.applicant.as_deref().unwrap_or("—");
        writeln!(out, "{}", rulebook_heading(self.settings.rulebook, lang))?;
        writeln!(
            out,
            "{}{name}  ({})",
            lang.pick("申报单位：", "Applicant: "),
            assessment.source
        )?;
        let mut table = self.new_table();
        table.set_header(match lang {
            Lang::Zh => vec!["条款", "条文", "要求", "实际值", "结论"],
            Lang::En => vec!["Clause", "Article", "Requirement", "Actual", "Verdict"],
        });
        for finding in &assessment.findings {
            table.add_row(vec![
                format!("{}\n{}", finding.clause.id, finding.clause.title.get(lang)),
                finding.clause.citation.clone(),
                finding.required().human.get(lang).to_string(),
                super::actual_text(finding, self.lang()),
                self.verdict_cell(finding),
            ]);
        }
        writeln!(out, "{table}")?;
        writeln!(
            out,
            "{}{}",
            lang.pick("结论：", "Verdict: "),
            overall_label(assessment.verdict, lang)
        )?;
        writeln!(out, "{}", super::tally(assessment, lang))?;
        let to_do = super::to_look_at(assessment);
        if !to_do.is_empty() {
            writeln!(out, "{}", lang.pick("\n需要关注：", "\nTo look at:"))?;
            for finding in to_do {
                let lead = match finding.note_texts().first() {
                    Some(note) if finding.verdict == Verdict::Review => note.get(lang).to_string(),
                    _ if finding.verdict == Verdict::Missing => {
                        missing_text(&finding.missing, lang)
                    }
                    _ => format!(
                        "{} {}{}",
                        lang.pick("要求", "requires"),
                        finding.required().human.get(lang),
                        finding
                            .actual()
                            .map(|a| format!(
                                "{}{}",
                                lang.pick("，实际 ", ", has "),
                                a.human.get(lang)
                            ))
                            .unwrap_or_default()
                    ),
                };
                writeln!(
                    out,
                    "- {} [{}] {}",
                    finding.clause.id,
                    finding.verdict.word(),
                    lead
                )?;
            }
        }
        write_warnings(
            out,
            &assessment
                .warnings
                .iter()
                .map(|w| w.get(lang).to_string())
                .collect::<Vec<_>>(),
            lang,
        )
    }

    fn remember(&mut self, assessment: &Assessment<'_>) {
        let lang = self.lang();
        let mut knocked: Vec<String> = self
            .knockouts
            .count(assessment)
            .into_iter()
            .map(|(id, missing)| format!("{id}{}", if missing { "?" } else { "" }))
            .collect();
        if assessment.error.is_some() {
            knocked.push(
                lang.pick("档案无效（见错误信息）", "invalid profile (see the error)")
                    .to_string(),
            );
        }
        self.rows.push([
            assessment.source.clone(),
            assessment.applicant.clone().unwrap_or_else(|| "—".into()),
            overall_label(assessment.verdict, lang),
            knocked.join(" "),
        ]);
    }
}

impl Emitter for TableEmitter<'_> {
    fn emit(&mut self, out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        // Unreadable profiles are reported on standard error by the caller; a table has
        // nothing to show for them but their line in the many-applicant view.
        if assessment.verdict == Overall::Error && !self.settings.many {
            return Ok(());
        }
        if !self.settings.many || self.settings.detail {
            self.detail(out, assessment)?;
            writeln!(out)?;
        } else if self.rows.is_empty() && assessment.verdict != Overall::Error {
            let mut detail = Vec::new();
            self.detail(&mut detail, assessment)?;
            self.first_detail = Some(detail);
        }
        if self.settings.many {
            self.remember(assessment);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let lang = self.lang();
        if self.settings.many && self.rows.len() == 1 && !self.settings.detail {
            // One applicant after all (a sheet of one row): its clause table, as for a TOML.
            if let Some(detail) = self.first_detail.take() {
                out.write_all(&detail)?;
            }
            return Ok(());
        }
        if self.settings.many {
            let mut table = self.new_table();
            table.set_header(match lang {
                Lang::Zh => vec!["来源", "单位名称", "结论", "未通过条款（? = 缺数据）"],
                Lang::En => vec![
                    "Source",
                    "Applicant",
                    "Verdict",
                    "Knocked out by (? = missing data)",
                ],
            });
            for row in &self.rows {
                table.add_row(row.to_vec());
            }
            writeln!(out, "{table}")?;
            let rulebook = self.settings.rulebook;
            if !self.knockouts.is_empty() {
                let mut table = self.new_table();
                table.set_header(match lang {
                    Lang::Zh => vec!["条款", "条文", "不符合", "缺数据"],
                    Lang::En => vec!["Clause", "Article", "Failed", "Missing data"],
                });
                for (index, fail, missing) in self.knockouts.iter() {
                    let clause = &rulebook.clauses[index];
                    table.add_row(vec![
                        format!("{} {}", clause.id, clause.title.get(lang)),
                        clause.citation.clone(),
                        fail.to_string(),
                        missing.to_string(),
                    ]);
                }
                writeln!(
                    out,
                    "{}",
                    lang.pick("\n各条款淘汰情况：", "\nWhich clauses knock out how many:")
                )?;
                writeln!(out, "{table}")?;
            }
            writeln!(out, "\n{}", summary.sentence(lang))?;
        }
        Ok(())
    }
}

fn write_warnings(out: &mut dyn Write, warnings: &[String], lang: Lang) -> io::Result<()> {
    if !warnings.is_empty() {
        writeln!(out)?;
    }
    for warning in warnings {
        writeln!(out, "{}: {warning}", warning_prefix(lang))?;
    }
    Ok(())
}

/// The terminal's width when stdout is a terminal, from `COLUMNS`.
fn terminal_width() -> Option<(u16, u16)> {
    let columns = std::env::var("COLUMNS").ok()?.parse::<u16>().ok()?;
    Some((columns.max(80), 0))
}
