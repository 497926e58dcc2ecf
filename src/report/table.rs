//! The terminal table. One applicant: a row per clause, then the verdict, the things to do and
//! the warnings. Many applicants: a row per applicant, then how many each clause knocked out.

use std::io::{self, Write};

use comfy_table::Table;

use super::wrap::{self, Fit};
use super::{overall_label, rulebook_heading, warning_prefix, Emitter, Settings, Summary};
use crate::engine::{Assessment, Overall};
use crate::i18n::Lang;

pub struct TableEmitter<'r> {
    settings: Settings<'r>,
    /// For the many-applicant view: one line per applicant.
    rows: Vec<[String; 5]>,
    /// How many applicants' dates lie outside the rulebook's validity, and the first such
    /// warning: the batch view's header.
    out_of_force: usize,
    validity: Option<String>,
    /// What stays open for the eligible applicants, grouped by the same open items: the
    /// batch view lists the clause ids once per group (SPEC §2 "by count and id").
    open_groups: Vec<(Vec<String>, Vec<String>)>,
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
            out_of_force: 0,
            validity: None,
            open_groups: Vec::new(),
            knockouts: super::Knockouts::default(),
            first_detail: None,
        }
    }

    fn lang(&self) -> Lang {
        self.settings.lang
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
        // SPEC §2: warnings stand before any verdict (an expired measure first of all).
        let warnings = super::localized(&assessment.warnings, lang);
        write_warnings(out, &warnings, lang)?;
        let table = self.clause_table(assessment);
        writeln!(out, "{table}")?;
        writeln!(
            out,
            "{}{}",
            lang.pick("结论：", "Verdict: "),
            overall_label(assessment, lang)
        )?;
        writeln!(out, "{}", super::tally(assessment, lang))?;
        for note in super::note_lines(assessment, lang) {
            writeln!(out, "{note}")?;
        }
        let open = assessment.open();
        if assessment.verdict == Overall::Eligible && !open.is_empty() {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "\n尚未确定的事项（是否入选最终由专家论证决定）：",
                    "\nStill open (the expert panel decides in the end):"
                )
            )?;
            for line in open.lines(lang) {
                writeln!(out, "- {line}")?;
            }
        }
        let missing = super::what_is_missing(assessment, lang);
        if !missing.is_empty() {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "\n还差什么（最易补足的在前）：",
                    "\nWhat is missing (nearest fixes first):"
                )
            )?;
            for line in missing {
                writeln!(out, "- {line}")?;
            }
        }
        let to_do = super::to_look_at(assessment);
        if !to_do.is_empty() {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "\n待专家论证或人工核实：",
                    "\nFor the expert panel or a check by hand:"
                )
            )?;
            for finding in to_do {
                writeln!(
                    out,
                    "- {} [{}] {}",
                    finding.clause.id,
                    super::look_at_tag(finding, lang),
                    super::look_at_lead(finding, lang)
                )?;
            }
        }
        if let Some(drift) = assessment.drift.as_ref().filter(|d| !d.changes.is_empty()) {
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::Zh => format!("\n若推迟到 {} 年申报（年度窗口后移一年）：", drift.year),
                    Lang::En => format!(
                        "\nIf the application moves to {} (the windows move a year):",
                        drift.year
                    ),
                }
            )?;
            for line in drift.lines(lang) {
                writeln!(out, "- {line}")?;
            }
        }
        let left_out: Vec<(&str, Vec<String>)> = assessment
            .findings
            .iter()
            .filter(|f| !f.left_out.is_empty())
            .map(|f| (f.clause.id.as_str(), super::left_out_lines(f, lang)))
            .collect();
        if !left_out.is_empty() {
            writeln!(
                out,
                "{}",
                lang.pick("\n列出但未计入的条目：", "\nListed items not counted:")
            )?;
            for (id, lines) in left_out {
                for line in lines {
                    writeln!(out, "- {id} {line}")?;
                }
            }
        }
        if !warnings.is_empty() {
            writeln!(
                out,
                "\n{}",
                match lang {
                    Lang::Zh => format!("共 {} 条警告，见表头。", warnings.len()),
                    Lang::En => format!(
                        "{} warning{}: see above the table.",
                        warnings.len(),
                        if warnings.len() == 1 { "" } else { "s" }
                    ),
                }
            )?;
        }
        Ok(())
    }

    /// The one-line-per-applicant table of a batch: five columns from 120 up; below, three (the
    /// applicant over its source, the verdict, the knocked-out clause ids one per line over the
    /// warnings), ids never broken.
    fn applicant_table(&self) -> Table {
        let lang = self.lang();
        let strings = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        if super::output_width() >= 120 {
            let header = strings(&match lang {
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
            });
            let rows = self.rows.iter().map(|row| row.to_vec()).collect();
            return wrap::table(header, rows, &[]);
        }
        let header = strings(&match lang {
            Lang::Zh => ["单位名称 / 来源", "结论", "未通过条款（? = 缺数据）/ 警告"],
            Lang::En => [
                "Applicant / source",
                "Verdict",
                "Knocked out by (? = missing data) / warnings",
            ],
        });
        let mut rows = Vec::new();
        // The widest knocked-out id: the third column is never narrower.
        let mut ids_width = 18;
        for [source, name, verdict, knocked, warnings] in &self.rows {
            // Clause ids one per line (a reason of an error row stays a sentence).
            let mut right =
                if knocked.contains("A") && !knocked.contains('：') && !knocked.contains(": ") {
                    ids_width = ids_width.max(wrap::width(&knocked.replace(' ', "\n")));
                    knocked.replace(' ', "\n")
                } else {
                    knocked.clone()
                };
            if !warnings.is_empty() {
                if !right.is_empty() {
                    right.push('\n');
                }
                right.push_str(lang.pick("警告 ", "warnings: "));
                right.push_str(warnings);
            }
            // `未发现不符合项（eligible）` on two lines: no word is broken in a narrow cell.
            let verdict = match verdict.split_once('\n') {
                Some((first, rest)) => format!("{}\n{rest}", unbracket(first)),
                None => unbracket(verdict),
            };
            rows.push(vec![format!("{name}\n{source}"), verdict, right]);
        }
        // The verdict as wide as `尚有 4 项待专家论证、`, so that its line ends at the comma; the
        // names and sources as wide as they are, up to 32 (a source longer than that is broken
        // after a `/`, and the column is then only as wide as its parts), narrower if the ids
        // need it (an 80-column table has 70 columns of text).
        const VERDICT: usize = 21;
        let text_width = usize::from(super::output_width()).saturating_sub(10);
        let most = text_width.saturating_sub(VERDICT + ids_width).min(32);
        let source_width = self
            .rows
            .iter()
            .map(|row| wrap::width(&wrap::wrap(&row[0], most)).max(wrap::width(&row[1])))
            .max()
            .unwrap_or(20)
            .clamp(20.min(most), most);
        wrap::table(
            header,
            rows,
            &[Fit::Fixed(source_width), Fit::Fixed(VERDICT), Fit::Free],
        )
    }

    /// The per-clause table, laid out for the width it has: six columns from 120 up; below, three
    /// (the clause, its verdict, and the requirement, actual value and gap one under another),
    /// so that 80 columns show every clause without breaking ids or Chinese words.
    fn clause_table(&self, assessment: &Assessment<'_>) -> Table {
        let lang = self.lang();
        // Clause ids are never broken: the first column is at least as wide as the longest.
        let id_width = assessment
            .findings
            .iter()
            .map(|f| wrap::width(&f.clause.id))
            .max()
            .unwrap_or(10);
        let compact = super::output_width() < 120;
        let header: Vec<String> = if compact {
            match lang {
                Lang::Zh => ["条款", "结论", "要求 / 实际值 / 差距"],
                Lang::En => ["Clause", "Verdict", "Requirement / actual / gap"],
            }
            .iter()
            .map(|c| c.to_string())
            .collect()
        } else {
            super::clause_header(lang)
                .iter()
                .map(|c| c.to_string())
                .collect()
        };
        let mut rows = Vec::new();
        for finding in &assessment.findings {
            let clause = format!("{}\n{}", finding.clause.id, finding.clause.title.get(lang));
            let required = finding.required().human.get(lang).to_string();
            let actual = super::actual_text(finding, lang);
            let gap = super::gap_cell(assessment, finding, lang);
            if compact {
                let mut facts = format!("{}{required}", lang.pick("要求：", "requires: "));
                facts.push_str(&format!("\n{}{actual}", lang.pick("实际：", "actual: ")));
                if !gap.is_empty() {
                    facts.push_str(&format!("\n{}{gap}", lang.pick("差距：", "gap: ")));
                }
                rows.push(vec![clause, finding.label(lang), facts]);
            } else {
                rows.push(vec![
                    clause,
                    finding.clause.citation.clone(),
                    required,
                    actual,
                    finding.label(lang),
                    gap,
                ]);
            }
        }
        if compact {
            // The clause and the verdict take what they need; the facts the rest.
            wrap::table(
                header,
                rows,
                &[Fit::Fixed(id_width + 4), Fit::AtMost(14), Fit::Free],
            )
        } else {
            wrap::table(header, rows, &[Fit::AtLeast(id_width)])
        }
    }

    fn remember(&mut self, assessment: &Assessment<'_>) {
        let lang = self.lang();
        let mut knocked: Vec<String> = self
            .knockouts
            .count(assessment)
            .into_iter()
            .map(|(id, missing)| format!("{id}{}", if missing { "?" } else { "" }))
            .collect();
        if let Some(error) = &assessment.error {
            knocked.push(format!(
                "{}{}",
                lang.pick("档案无效：", "invalid profile: "),
                super::error_line(error, lang)
            ));
        }
        if assessment.verdict == Overall::Eligible {
            let lines = assessment.open().lines(lang);
            match self.open_groups.iter_mut().find(|(open, _)| *open == lines) {
                Some((_, sources)) => sources.push(assessment.source.clone()),
                None => self
                    .open_groups
                    .push((lines, vec![assessment.source.clone()])),
            }
        }
        if let Some(warning) = assessment.validity_warning() {
            self.out_of_force += 1;
            self.validity
                .get_or_insert_with(|| warning.get(lang).to_string());
        }
        self.rows.push([
            assessment.source.clone(),
            assessment.applicant.clone().unwrap_or_else(|| "—".into()),
            super::overall_cell(assessment, lang),
            knocked.join(" "),
            super::warnings_cell(assessment, lang),
        ]);
    }
}

impl Emitter for TableEmitter<'_> {
    fn emit(&mut self, out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        // Unreadable profiles are reported on standard error by the caller; a table written to
        // a file says why too (SPEC §7: error rows with their reason in every format).
        if assessment.verdict == Overall::Error && !self.settings.many {
            if let (true, Some(error)) = (self.settings.to_file, &assessment.error) {
                writeln!(
                    out,
                    "{}{}",
                    self.lang()
                        .pick("档案无法读取：", "The profile cannot be read: "),
                    assessment.source
                )?;
                writeln!(out, "{}", error.render(self.lang()))?;
            }
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
            if let Some(validity) = &self.validity {
                writeln!(out, "{}: {validity}", warning_prefix(lang))?;
                if self.out_of_force > 1 {
                    writeln!(
                        out,
                        "{}",
                        match lang {
                            Lang::Zh =>
                                format!("（共 {} 个申报单位的日期不在有效期内）", self.out_of_force),
                            Lang::En =>
                                format!("({} applicants' dates lie outside it)", self.out_of_force),
                        }
                    )?;
                }
            }
            let table = self.applicant_table();
            writeln!(out, "{table}")?;
            self.write_open_groups(out)?;
            let rulebook = self.settings.rulebook;
            if !self.knockouts.is_empty() {
                let header = super::Knockouts::header(lang);
                let rows = self
                    .knockouts
                    .clauses(rulebook)
                    .map(|(clause, fail, missing)| {
                        vec![
                            format!("{} {}", clause.id, clause.title.get(lang)),
                            clause.citation.clone(),
                            fail.to_string(),
                            missing.to_string(),
                        ]
                    })
                    .collect();
                let header = header.iter().map(|c| c.to_string()).collect();
                let table = wrap::table(header, rows, &[]);
                writeln!(
                    out,
                    "\n{}{}",
                    super::Knockouts::heading(lang),
                    lang.pick("：", ":")
                )?;
                writeln!(out, "{table}")?;
            }
            if !summary.near_misses.is_empty() {
                writeln!(
                    out,
                    "\n{}",
                    super::near_miss::heading(self.settings.near_miss, lang)
                )?;
                let header = super::near_miss::header(lang).map(String::from);
                let rows =
                    super::near_miss::rows(&summary.near_misses, self.settings.rulebook, lang);
                let table = if super::output_width() < 120 {
                    // Compact: the applicant over its source, the counts over the gaps.
                    let [rank, source, name, _, _, gaps] = header;
                    let header = vec![rank, format!("{name} / {source}"), gaps];
                    let rows = rows
                        .into_iter()
                        .map(|[rank, source, name, failed, shortfall, gaps]| {
                            let counts = match lang {
                                Lang::Zh => format!("不符合 {failed} 项，相对差距合计 {shortfall}"),
                                Lang::En => format!("{failed} failed, {shortfall} short in all"),
                            };
                            vec![
                                rank,
                                format!("{name}\n{source}"),
                                format!("{counts}\n{gaps}"),
                            ]
                        })
                        .collect();
                    wrap::table(header, rows, &[Fit::Free, Fit::AtLeast(20)])
                } else {
                    wrap::table(
                        header.to_vec(),
                        rows.into_iter().map(Vec::from).collect(),
                        &[],
                    )
                };
                writeln!(out, "{table}")?;
                if let Some(line) = super::near_miss::left_out_line(&summary.near_misses, lang) {
                    writeln!(out, "{line}")?;
                }
            }
            writeln!(out, "\n{}", summary.sentence(lang))?;
            // On a terminal the sheets' notes are on standard error, beside the table; a table
            // written to a file keeps them (SPEC §7).
            if self.settings.to_file && !summary.sheet_notes.is_empty() {
                writeln!(out, "\n{}", lang.pick("读表说明：", "Notes on the sheets:"))?;
                for note in &summary.sheet_notes {
                    writeln!(out, "- {}", note.line().get(lang))?;
                }
            }
        }
        Ok(())
    }
}

impl TableEmitter<'_> {
    /// The open items of the eligible applicants, once per distinct set.
    fn write_open_groups(&self, out: &mut dyn Write) -> io::Result<()> {
        const SHOWN: usize = 5;
        let lang = self.lang();
        if self.open_groups.iter().all(|(lines, _)| lines.is_empty()) {
            return Ok(());
        }
        writeln!(
            out,
            "{}",
            lang.pick(
                "\n未发现不符合项的申报单位尚未确定的事项（是否入选最终由专家论证决定）：",
                "\nStill open for the eligible applicants (the expert panel decides in the end):"
            )
        )?;
        for (lines, sources) in self
            .open_groups
            .iter()
            .filter(|(lines, _)| !lines.is_empty())
        {
            let mut named = sources[..sources.len().min(SHOWN)].join(lang.pick("、", ", "));
            if sources.len() > SHOWN {
                named.push_str(&match lang {
                    Lang::Zh => format!(" 等 {} 个", sources.len()),
                    Lang::En => format!(" and {} more", sources.len() - SHOWN),
                });
            }
            let width = usize::from(super::output_width());
            hanging(
                out,
                "- ",
                "  ",
                &format!("{named}{}", lang.pick("：", ":")),
                width,
            )?;
            for line in lines {
                hanging(out, "  ", "    ", line, width)?;
            }
        }
        Ok(())
    }
}

/// A list item wrapped to the output's width as the tables are (ids and paths whole), its
/// continuation lines indented under its text.
fn hanging(
    out: &mut dyn Write,
    first: &str,
    rest: &str,
    text: &str,
    width: usize,
) -> io::Result<()> {
    let wrapped = wrap::wrap(text, width.saturating_sub(rest.len()).max(20));
    for (index, line) in wrapped.lines().enumerate() {
        writeln!(out, "{}{line}", if index == 0 { first } else { rest })?;
    }
    Ok(())
}

/// `未发现不符合项（eligible）` → `未发现不符合项` over `eligible`.
fn unbracket(label: &str) -> String {
    match label
        .strip_suffix('）')
        .and_then(|rest| rest.rsplit_once('（'))
    {
        Some((words, word)) => format!("{words}\n{word}"),
        None => label.to_string(),
    }
}

fn write_warnings(out: &mut dyn Write, warnings: &[String], lang: Lang) -> io::Result<()> {
    for warning in warnings {
        writeln!(out, "{}: {warning}", warning_prefix(lang))?;
    }
    Ok(())
}
