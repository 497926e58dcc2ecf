//! `--output results.xlsx`: a workbook for the bureau's files. A summary sheet (one row per
//! applicant: verdict, failed clauses, missing fields, warnings, errors) and a clause sheet
//! (one column per clause; in each cell the verdict, the actual value, the requirement and the
//! gap), headers frozen and filterable, verdicts coloured; for a batch the
//! near misses (培育库) and what was said of each sheet read (读表说明). Rows are written as
//! they arrive in constant-memory mode, so a long sheet does not grow memory.

use std::io::{self, Write};
use std::path::PathBuf;

use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};

use super::{Emitter, Settings, Summary};
use crate::engine::{Assessment, Overall, Verdict};
use crate::i18n::Lang;
use crate::rules::Severity;

const SUMMARY_SHEET: usize = 0;
const CLAUSE_SHEET: usize = 1;
const DETAIL_SHEET: usize = 2;

/// The last row a worksheet can hold (Excel's limit is 1,048,576 rows).
const LAST_ROW: u32 = 1_048_575;

pub struct XlsxEmitter<'r> {
    settings: Settings<'r>,
    /// The file written at the end; `None` writes the workbook's bytes to the output instead
    /// (the web server, which writes no file).
    path: Option<PathBuf>,
    workbook: Workbook,
    row: u32,
    /// The last row written on the detail sheet, and whether rows were left off it.
    detail_row: u32,
    detail_full: bool,
    failure: Option<XlsxError>,
}

fn xlsx_error(error: XlsxError) -> io::Error {
    io::Error::other(error.to_string())
}

fn fill(color: u32) -> Format {
    Format::new().set_background_color(Color::RGB(color))
}

fn verdict_format(verdict: Verdict) -> Format {
    fill(match verdict {
        Verdict::Pass => 0xC6EFCE,
        Verdict::Fail => 0xFFC7CE,
        Verdict::Missing => 0xFFEB9C,
        Verdict::Review => 0xBDD7EE,
        Verdict::NotApplicable => 0xEDEDED,
    })
}

/// A finding's colour: its verdict's, except that an informational clause's answer (Art. 8's
/// "否，不影响申报") is no failure and is not coloured as one.
fn finding_format(finding: &crate::engine::Finding<'_>) -> Format {
    if finding.severity() == Severity::Info {
        fill(0xEDEDED)
    } else {
        verdict_format(finding.verdict)
    }
}

fn overall_format(verdict: Overall) -> Format {
    fill(match verdict {
        Overall::Eligible => 0xC6EFCE,
        Overall::Ineligible | Overall::Error => 0xFFC7CE,
        Overall::Incomplete => 0xFFEB9C,
    })
}

impl<'r> XlsxEmitter<'r> {
    pub fn new(settings: Settings<'r>, path: Option<PathBuf>) -> Self {
        let mut emitter = XlsxEmitter {
            settings,
            path,
            workbook: Workbook::new(),
            row: 0,
            detail_row: 0,
            detail_full: false,
            failure: None,
        };
        if let Err(error) = emitter.headers() {
            emitter.failure = Some(error);
        }
        emitter
    }

    fn headers(&mut self) -> Result<(), XlsxError> {
        let lang = self.settings.lang;
        let bold = header_format();
        let summary_header: Vec<&str> = match lang {
            Lang::Zh => vec![
                "来源",
                "单位名称",
                "统一社会信用代码",
                "所在州市",
                "结论",
                "尚未确定的事项",
                "不符合的条款",
                "差距",
                "缺少的数据",
                "警告",
                "错误",
            ],
            Lang::En => vec![
                "Source",
                "Applicant",
                "USCC",
                "Prefecture",
                "Verdict",
                "Still open",
                "Failed clauses",
                "Gaps",
                "Missing data",
                "Warnings",
                "Error",
            ],
        };
        let summary = add_sheet(&mut self.workbook, self.path.is_some())?;
        summary.set_name(lang.pick("汇总", "Summary"))?;
        for (column, title) in summary_header.iter().enumerate() {
            summary.write_string_with_format(0, column as u16, *title, &bold)?;
        }
        for (column, width) in [
            28.0, 30.0, 22.0, 12.0, 36.0, 48.0, 30.0, 60.0, 48.0, 48.0, 48.0,
        ]
        .into_iter()
        .enumerate()
        {
            summary.set_column_width(column as u16, width)?;
        }
        summary.set_freeze_panes(1, 0)?;
        let clauses = &self.settings.rulebook.clauses;
        let sheet = add_sheet(&mut self.workbook, self.path.is_some())?;
        sheet.set_name(lang.pick("条款", "Clauses"))?;
        let lead = match lang {
            Lang::Zh => ["来源", "单位名称", "结论"],
            Lang::En => ["Source", "Applicant", "Verdict"],
        };
        for (column, title) in lead.iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, *title, &bold)?;
        }
        for (index, clause) in clauses.iter().enumerate() {
            let title = format!("{}\n{}", clause.id, clause.title.get(lang));
            sheet.write_string_with_format(
                0,
                (index + 3) as u16,
                title,
                &bold.clone().set_text_wrap(),
            )?;
            sheet.set_column_width((index + 3) as u16, 26.0)?;
        }
        sheet.set_column_width(0, 28.0)?;
        sheet.set_column_width(1, 30.0)?;
        sheet.set_column_width(2, 22.0)?;
        sheet.set_freeze_panes(1, 3)?;
        // One row per clause that is not met or not settled: what the law requires, what the
        // applicant has, the verdict and the gap (SPEC §7).
        let detail = add_sheet(&mut self.workbook, self.path.is_some())?;
        detail.set_name(lang.pick("明细", "Details"))?;
        let header = match lang {
            Lang::Zh => [
                "来源",
                "单位名称",
                "条款",
                "条文",
                "要求",
                "实际值",
                "结论",
                "差距",
            ],
            Lang::En => [
                "Source",
                "Applicant",
                "Clause",
                "Article",
                "Requirement",
                "Actual",
                "Verdict",
                "Gap",
            ],
        };
        for (column, title) in header.iter().enumerate() {
            detail.write_string_with_format(0, column as u16, *title, &bold)?;
        }
        for (column, width) in [28.0, 30.0, 34.0, 18.0, 36.0, 36.0, 22.0, 48.0]
            .into_iter()
            .enumerate()
        {
            detail.set_column_width(column as u16, width)?;
        }
        detail.set_freeze_panes(1, 0)?;
        Ok(())
    }

    /// The applicant's unsettled clauses on the detail sheet.
    fn write_details(&mut self, assessment: &Assessment<'_>, name: &str) -> Result<(), XlsxError> {
        let lang = self.settings.lang;
        let wrap = Format::new().set_text_wrap();
        for finding in &assessment.findings {
            let unsettled = finding.severity() != Severity::Info
                && (matches!(
                    finding.verdict,
                    Verdict::Fail | Verdict::Missing | Verdict::Review
                ) || finding.open == Some(crate::engine::Open::ExpertReview));
            if !unsettled {
                continue;
            }
            if self.detail_row == LAST_ROW {
                self.detail_full = true;
                return Ok(());
            }
            self.detail_row += 1;
            let row = self.detail_row;
            let detail = self.workbook.worksheet_from_index(DETAIL_SHEET)?;
            detail.write_string(row, 0, &assessment.source)?;
            detail.write_string(row, 1, name)?;
            detail.write_string(
                row,
                2,
                format!("{} {}", finding.clause.id, finding.clause.title.get(lang)),
            )?;
            detail.write_string(row, 3, &finding.clause.citation)?;
            detail.write_string_with_format(row, 4, finding.required().human.get(lang), &wrap)?;
            detail.write_string_with_format(row, 5, super::actual_text(finding, lang), &wrap)?;
            detail.write_string_with_format(
                row,
                6,
                finding.label(lang),
                &finding_format(finding),
            )?;
            let gap = match (finding.verdict, finding.gap_view()) {
                (Verdict::Fail, Some(gap)) => gap.text(lang),
                (Verdict::Missing, _) => super::fill_in_text(assessment, finding, lang),
                _ => super::look_at_lead(finding, lang),
            };
            detail.write_string_with_format(row, 7, gap, &wrap)?;
        }
        Ok(())
    }

    fn write(&mut self, assessment: &Assessment<'_>) -> Result<(), XlsxError> {
        let lang = self.settings.lang;
        self.row += 1;
        let row = self.row;
        let verdict = super::overall_cell(assessment, lang);
        let name = assessment.applicant.clone().unwrap_or_default();
        let failed: Vec<&str> = assessment
            .findings
            .iter()
            .filter(|f| f.verdict == Verdict::Fail && f.severity() == Severity::Condition)
            .map(|f| f.clause.id.as_str())
            .collect();
        let missing: Vec<String> = assessment
            .findings
            .iter()
            .filter(|f| f.verdict == Verdict::Missing)
            .map(|f| {
                format!(
                    "{}: {}",
                    f.clause.id,
                    assessment.fields_to_fill(f).join(", ")
                )
            })
            .collect();
        let warnings: Vec<&str> = assessment.warnings.iter().map(|w| w.get(lang)).collect();
        let error = assessment
            .error
            .as_ref()
            .map(|e| e.render(lang))
            .unwrap_or_default();
        let summary = self.workbook.worksheet_from_index(SUMMARY_SHEET)?;
        summary.write_string(row, 0, &assessment.source)?;
        summary.write_string(row, 1, &name)?;
        summary.write_string(row, 2, assessment.uscc.as_deref().unwrap_or_default())?;
        summary.write_string(row, 3, assessment.prefecture.as_deref().unwrap_or_default())?;
        summary.write_string_with_format(row, 4, &verdict, &overall_format(assessment.verdict))?;
        let gaps: Vec<String> = assessment
            .findings
            .iter()
            .filter(|f| f.verdict == Verdict::Fail)
            .filter_map(|f| Some(format!("{}: {}", f.clause.id, f.gap_view()?.text(lang))))
            .collect();
        summary.write_string(row, 5, assessment.open().lines(lang).join("\n"))?;
        summary.write_string(row, 6, failed.join(" "))?;
        summary.write_string(row, 7, gaps.join("\n"))?;
        summary.write_string(row, 8, missing.join("; "))?;
        summary.write_string(row, 9, warnings.join("\n"))?;
        summary.write_string(row, 10, error)?;
        let sheet = self.workbook.worksheet_from_index(CLAUSE_SHEET)?;
        sheet.write_string(row, 0, &assessment.source)?;
        sheet.write_string(row, 1, &name)?;
        sheet.write_string_with_format(row, 2, &verdict, &overall_format(assessment.verdict))?;
        for (index, finding) in assessment.findings.iter().enumerate() {
            // Issue 11: per applicant and clause, the verdict (first, so that a filter on the
            // column sorts by it), what the applicant has, what the law requires of it (the
            // bound may depend on its kind, Art. 28) and the gap (SPEC §5).
            let mut cell = finding.label(lang);
            let lines = [
                finding.actual().map(|actual| {
                    (
                        lang.pick("实际：", "actual: "),
                        actual.human.get(lang).to_string(),
                    )
                }),
                Some((
                    lang.pick("要求：", "required: "),
                    finding.required().human.get(lang).to_string(),
                ))
                .filter(|(_, required)| !required.is_empty()),
                Some((
                    lang.pick("差距：", "gap: "),
                    super::gap_cell(assessment, finding, lang),
                ))
                .filter(|(_, gap)| !gap.is_empty()),
            ];
            for (lead, text) in lines.into_iter().flatten() {
                cell.push('\n');
                cell.push_str(lead);
                cell.push_str(&text);
            }
            sheet.write_string_with_format(
                row,
                (index + 3) as u16,
                cell,
                &finding_format(finding).set_text_wrap(),
            )?;
        }
        self.write_details(assessment, &name)?;
        Ok(())
    }

    /// SPEC §7: a sheet of the near misses (培育库), closest first, each with its gaps.
    fn near_misses(&mut self, summary: &Summary) -> Result<(), XlsxError> {
        if !self.settings.many {
            return Ok(());
        }
        let lang = self.settings.lang;
        let bold = header_format();
        let wrap = Format::new().set_text_wrap();
        let sheet = named_sheet(&mut self.workbook, lang.pick("培育库", "Near misses"))?;
        sheet.write_string(
            0,
            0,
            super::near_miss::heading(self.settings.near_miss, lang),
        )?;
        for (column, title) in super::near_miss::header(lang).iter().enumerate() {
            sheet.write_string_with_format(1, column as u16, *title, &bold)?;
        }
        for (column, width) in [6.0, 30.0, 30.0, 10.0, 12.0, 80.0].into_iter().enumerate() {
            sheet.set_column_width(column as u16, width)?;
        }
        let rows = super::near_miss::rows(&summary.near_misses, self.settings.rulebook, lang);
        for (index, row) in rows.iter().enumerate() {
            let line = (index + 2) as u32;
            for (column, text) in row.iter().enumerate() {
                match column {
                    0 | 3 => sheet.write_number(
                        line,
                        column as u16,
                        text.parse::<f64>().unwrap_or(0.0),
                    )?,
                    5 => sheet.write_string_with_format(line, column as u16, text, &wrap)?,
                    _ => sheet.write_string(line, column as u16, text)?,
                };
            }
        }
        if let Some(line) = super::near_miss::left_out_line(&summary.near_misses, lang) {
            sheet.write_string((rows.len() + 2) as u32, 0, line)?;
        }
        sheet.set_freeze_panes(2, 0)?;
        Ok(())
    }

    /// SPEC §7: what was said once about each sheet read (the worksheet, the columns ignored,
    /// the merged cells filled, the rows skipped), on a sheet of its own: the summary sheet's
    /// rows are the applicants, filtered and sorted as a table.
    fn sheet_notes(&mut self, summary: &Summary) -> Result<(), XlsxError> {
        if summary.sheet_notes.is_empty() {
            return Ok(());
        }
        let lang = self.settings.lang;
        let bold = header_format();
        let wrap = Format::new().set_text_wrap();
        let sheet = named_sheet(&mut self.workbook, lang.pick("读表说明", "Sheet notes"))?;
        let header = match lang {
            Lang::Zh => ["文件", "说明"],
            Lang::En => ["File", "Note"],
        };
        for (column, title) in header.iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, *title, &bold)?;
        }
        sheet.set_column_width(0, 28.0)?;
        sheet.set_column_width(1, 100.0)?;
        for (index, note) in summary.sheet_notes.iter().enumerate() {
            let row = index as u32 + 1;
            sheet.write_string(row, 0, &note.file)?;
            sheet.write_string_with_format(row, 1, note.text.get(lang), &wrap)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(())
    }

    /// Writes the workbook: to its file, or into the bytes returned.
    fn save(&mut self) -> Result<Option<Vec<u8>>, XlsxError> {
        let last_column = (self.settings.rulebook.clauses.len() + 2) as u16;
        let rows = self.row.max(1);
        self.workbook
            .worksheet_from_index(DETAIL_SHEET)?
            .autofilter(0, 0, self.detail_row.max(1), 7)?;
        if self.detail_full {
            eprintln!(
                "ticheck: {}: {}",
                self.name(),
                self.settings.lang.pick(
                    "明细表已达 Excel 的行数上限，其余申报单位的明细未写入；汇总与条款表完整",
                    "the detail sheet reached Excel's row limit; the other applicants' details are left off (the summary and clause sheets are whole)"
                )
            );
        }
        self.workbook
            .worksheet_from_index(SUMMARY_SHEET)?
            .autofilter(0, 0, rows, 10)?;
        self.workbook
            .worksheet_from_index(CLAUSE_SHEET)?
            .autofilter(0, 0, rows, last_column)?;
        match &self.path {
            Some(path) => self.workbook.save(path).map(|()| None),
            None => self.workbook.save_to_buffer().map(Some),
        }
    }

    /// The workbook's name in messages.
    fn name(&self) -> String {
        self.path.as_ref().map_or_else(
            || {
                self.settings
                    .lang
                    .pick("结果工作簿", "the results workbook")
                    .to_string()
            },
            |path| path.display().to_string(),
        )
    }
}

/// A new worksheet for rows as they come: in constant-memory mode when the workbook goes to a
/// file (rows are flushed as they are written), in memory otherwise (constant-memory mode
/// keeps its rows in temporary files, and the web server writes none).
fn add_sheet(
    workbook: &mut Workbook,
    constant_memory: bool,
) -> Result<&mut rust_xlsxwriter::Worksheet, XlsxError> {
    if constant_memory {
        workbook.add_worksheet_with_constant_memory()
    } else {
        Ok(workbook.add_worksheet())
    }
}

/// A new worksheet with its name.
fn named_sheet<'w>(
    workbook: &'w mut Workbook,
    name: &str,
) -> Result<&'w mut rust_xlsxwriter::Worksheet, XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    Ok(sheet)
}

/// The header rows of every sheet: bold on light blue.
fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
}

impl Emitter for XlsxEmitter<'_> {
    fn emit(&mut self, _out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        if let Some(error) = self.failure.take() {
            return Err(xlsx_error(error));
        }
        self.write(assessment).map_err(xlsx_error)
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if let Some(error) = self.failure.take() {
            return Err(xlsx_error(error));
        }
        self.near_misses(summary).map_err(xlsx_error)?;
        self.sheet_notes(summary).map_err(xlsx_error)?;
        // The kind of an I/O failure is kept, for the message in the user's language.
        let bytes = self.save().map_err(|error| {
            let kind = match &error {
                XlsxError::IoError(io) => io.kind(),
                _ => io::ErrorKind::Other,
            };
            io::Error::new(kind, format!("{}: {error}", self.name()))
        })?;
        match bytes {
            Some(bytes) => out.write_all(&bytes),
            None => Ok(()),
        }
    }
}
