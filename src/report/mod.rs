//! Render: one emitter per output format. Emitters receive assessments one at a time (so a
//! long sheet streams) and the summary at the end.

mod csv;
pub mod diagnostic;
pub mod evaluation;
pub mod explain;
mod github;
pub(crate) mod json;
mod junit;
mod markdown;
pub mod near_miss;
mod sarif;
mod table;
pub mod template;
pub(crate) mod wrap;
mod xlsx;

use std::io::{self, Write};

use crate::engine::{Assessment, Overall, Verdict};
use crate::i18n::{Lang, Text};
use crate::rules::Rulebook;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Sarif,
    Junit,
    Github,
    Markdown,
}

/// The text encoding of a CSV report (SPEC §7: outputs go back to Excel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputEncoding {
    /// UTF-8 with a byte-order mark, which Excel needs to read UTF-8 without mojibake.
    #[default]
    #[value(name = "utf-8-bom", alias = "utf8-bom")]
    Utf8Bom,
    /// UTF-8 without a byte-order mark, for programs.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030 (a superset of GBK), for older Chinese Excel and WPS.
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
}

/// Counts of overall verdicts (they add up to the number of applicants read), and the near
/// misses among the ineligible.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub eligible: usize,
    pub ineligible: usize,
    pub incomplete: usize,
    pub error: usize,
    pub near_misses: near_miss::NearMisses,
    /// What was said once about each sheet read (SPEC §7: the worksheet read, the columns
    /// ignored, the merged cells filled, the rows skipped), in input order.
    pub sheet_notes: Vec<crate::profile::sheet::SheetNote>,
}

impl Summary {
    pub fn add(&mut self, verdict: Overall) {
        match verdict {
            Overall::Eligible => self.eligible += 1,
            Overall::Ineligible => self.ineligible += 1,
            Overall::Incomplete => self.incomplete += 1,
            Overall::Error => self.error += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.eligible + self.ineligible + self.incomplete + self.error
    }

    /// `7 applicants: 3 eligible, 2 ineligible, 1 incomplete, 1 error`.
    pub fn sentence(&self, lang: Lang) -> String {
        let total = self.total();
        match lang {
            Lang::Zh => format!(
                "共 {total} 个申报单位：未发现不符合项 {}，不符合 {}，材料不全 {}，无法读取 {}",
                self.eligible, self.ineligible, self.incomplete, self.error
            ),
            Lang::En => format!(
                "{total} applicant{}: {} eligible, {} ineligible, {} incomplete, {} error",
                if total == 1 { "" } else { "s" },
                self.eligible,
                self.ineligible,
                self.incomplete,
                self.error
            ),
        }
    }
}

/// `21 conditions: 14 pass, 3 fail, 0 missing, 3 review, 1 n/a`, over the conditions only.
pub fn tally(assessment: &Assessment<'_>, lang: Lang) -> String {
    let conditions: Vec<&crate::engine::Finding<'_>> = assessment
        .findings
        .iter()
        .filter(|f| f.severity() == crate::rules::Severity::Condition)
        .collect();
    let count = |verdict| conditions.iter().filter(|f| f.verdict == verdict).count();
    let (pass, fail, missing) = (
        count(Verdict::Pass),
        count(Verdict::Fail),
        count(Verdict::Missing),
    );
    // A code issued by a national authority is checked by hand, not by the panel (SPEC §2).
    let manual = conditions
        .iter()
        .filter(|f| {
            f.verdict == Verdict::Review && f.open == Some(crate::engine::Open::ManualCheck)
        })
        .count();
    let (review, na, total) = (
        count(Verdict::Review) - manual,
        count(Verdict::NotApplicable),
        conditions.len(),
    );
    let manual_part = match (lang, manual) {
        (_, 0) => String::new(),
        (Lang::Zh, n) => format!("，需人工核实 {n}"),
        (Lang::En, n) => format!(", {n} manual check"),
    };
    match lang {
        Lang::Zh => format!(
            "基本条件 {total} 项：符合 {pass}，不符合 {fail}，缺数据 {missing}，专家评审 {review}{manual_part}，不适用 {na}"
        ),
        Lang::En => format!(
            "{total} conditions: {pass} pass, {fail} fail, {missing} missing, {review} review{manual_part}, {na} n/a"
        ),
    }
}

/// Remarks that are not warnings (the rulebook's notices), one line each: `说明：…`.
pub fn note_lines(assessment: &Assessment<'_>, lang: Lang) -> Vec<String> {
    assessment
        .notes
        .iter()
        .map(|note| format!("{}{}", lang.pick("说明：", "Note: "), note.get(lang)))
        .collect()
}

/// The clauses for the expert panel or a check by hand: review clauses, and passes still open
/// for review (the failed and missing ones are in [`what_is_missing`]).
pub fn to_look_at<'a, 'r>(assessment: &'a Assessment<'r>) -> Vec<&'a crate::engine::Finding<'r>> {
    assessment
        .findings
        .iter()
        .filter(|f| f.severity() != crate::rules::Severity::Info)
        .filter(|f| {
            f.verdict == Verdict::Review || f.open == Some(crate::engine::Open::ExpertReview)
        })
        .collect()
}

/// SPEC §5 "还差什么 / What is missing": the failed and missing clauses that decide or advise,
/// conditions first, nearest fixes first (fields to fill, then the smallest relative
/// shortfall), each in a plain sentence.
pub fn what_is_missing(assessment: &Assessment<'_>, lang: Lang) -> Vec<String> {
    let mut lacking: Vec<(&crate::engine::Finding<'_>, (u8, u8, rust_decimal::Decimal))> =
        assessment
            .findings
            .iter()
            .filter(|f| f.severity() != crate::rules::Severity::Info)
            .filter(|f| matches!(f.verdict, Verdict::Fail | Verdict::Missing))
            .map(|f| {
                let advisory = u8::from(f.severity() != crate::rules::Severity::Condition);
                let failed = u8::from(f.verdict == Verdict::Fail);
                let distance = f
                    .gap
                    .as_ref()
                    .map_or(rust_decimal::Decimal::ONE, |gap| gap.relative());
                (f, (advisory, failed, distance))
            })
            .collect();
    lacking.sort_by_key(|entry| entry.1);
    lacking
        .into_iter()
        .map(|(finding, _)| {
            let advisory = finding.severity() == crate::rules::Severity::Advisory;
            let sentence = match finding.verdict {
                Verdict::Missing => format!(
                    "{}{}{}{}",
                    fill_in_text(assessment, finding, lang),
                    lang.pick("；要求 ", "; requires "),
                    finding.required().human.get(lang),
                    ""
                ),
                _ => sarif::finding_sentence(finding, lang),
            };
            let id = &finding.clause.id;
            match (lang, advisory) {
                (Lang::Zh, false) => format!("{sentence}（{id}）"),
                (Lang::Zh, true) => format!("{sentence}（{id}，建议性）"),
                (Lang::En, false) => format!("{sentence} ({id})"),
                (Lang::En, true) => format!("{sentence} ({id}, advisory)"),
            }
        })
        .collect()
}

/// The tag of a finding on the to-look-at list: the contract's verdict word in English; in
/// Chinese what is awaited, in Chinese only (issue 12: no bare English word in a Chinese line).
pub fn look_at_tag(finding: &crate::engine::Finding<'_>, lang: Lang) -> &'static str {
    use crate::engine::Open;
    match (lang, finding.verdict, finding.open) {
        (Lang::En, ..) => finding.word(),
        (Lang::Zh, Verdict::Review, Some(Open::ManualCheck)) => "需人工核实",
        (Lang::Zh, Verdict::Review, _) => "专家评审",
        // A pass still open for the panel (SPEC §2: Art. 10(六)'s "一定规模").
        (Lang::Zh, ..) => "符合，待专家论证",
    }
}

/// What a person should read first about a finding on the to-look-at list: what to prepare
/// for the panel, what to fill in, or what is required against what is there.
pub fn look_at_lead(finding: &crate::engine::Finding<'_>, lang: Lang) -> String {
    match finding.verdict {
        Verdict::Review => finding
            .note_texts()
            .first()
            .map(|note| note.get(lang).to_string())
            .unwrap_or_default(),
        Verdict::Pass => finding
            .open_reason()
            .map(|reason| reason.get(lang).to_string())
            .unwrap_or_default(),
        _ => sarif::finding_sentence(finding, lang),
    }
}

/// Why a profile could not be read, in one line: its first problem, and how many more.
pub fn error_line(error: &crate::profile::InvalidProfile, lang: Lang) -> String {
    let first = error
        .problems
        .first()
        .map(|problem| error.render_problem(problem, lang))
        .unwrap_or_default();
    match (error.problems.len(), lang) {
        (0 | 1, _) => first,
        (n, Lang::Zh) => format!("{first}（另有 {} 个问题）", n - 1),
        (n, Lang::En) => format!("{first} (and {} more problems)", n - 1),
    }
}

/// The width text tables are fitted to: `COLUMNS` when set (a user's or a test's choice), else
/// the real width of the terminal standard output is, else — a file or a pipe — a stable 160.
/// Never below 80.
pub fn output_width() -> u16 {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse::<u16>().ok())
        .or_else(|| terminal_size::terminal_size_of(std::io::stdout()).map(|(width, _)| width.0));
    columns.map_or(160, |columns| columns.max(80))
}

/// The header of the per-clause table, in the table and in Markdown.
pub fn clause_header(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => ["条款", "条文", "要求", "实际值", "结论", "差距"],
        Lang::En => [
            "Clause",
            "Article",
            "Requirement",
            "Actual",
            "Verdict",
            "Gap",
        ],
    }
}

/// `需填写：研发场地面积、2022年研发经费` / `fill in: …`: the fields a clause without data needs,
/// as the user wrote them.
pub fn fill_in_text(
    assessment: &Assessment<'_>,
    finding: &crate::engine::Finding<'_>,
    lang: Lang,
) -> String {
    let fields = assessment.fields_to_fill(finding);
    match lang {
        Lang::Zh => format!("需填写：{}", fields.join("、")),
        Lang::En => format!("fill in: {}", fields.join(", ")),
    }
}

/// The gap for a table cell: what a failed clause lacks (`还差 300 m²`), or the fields a clause
/// without data needs; empty otherwise.
pub fn gap_cell(
    assessment: &Assessment<'_>,
    finding: &crate::engine::Finding<'_>,
    lang: Lang,
) -> String {
    match finding.verdict {
        Verdict::Fail => finding
            .gap_view()
            .map(|gap| gap.short(lang))
            .unwrap_or_default(),
        Verdict::Missing if finding.severity() != crate::rules::Severity::Info => {
            fill_in_text(assessment, finding, lang)
        }
        _ => String::new(),
    }
}

/// Listed items left out of a clause's counts: `project[3]「某项目」：2021 年不在…`.
pub fn left_out_lines(finding: &crate::engine::Finding<'_>, lang: Lang) -> Vec<String> {
    finding
        .left_out
        .iter()
        .map(|item| {
            let name = item
                .name
                .as_deref()
                .map(|name| match lang {
                    Lang::Zh => format!("「{name}」"),
                    Lang::En => format!(" '{name}'"),
                })
                .unwrap_or_default();
            format!(
                "{}{name}{}{}",
                item.item,
                lang.pick("：", ": "),
                item.reason().get(lang)
            )
        })
        .collect()
}

/// `N 条警告：第一条` / `N warnings: the first`, for a row of a batch summary.
pub fn warnings_cell(assessment: &Assessment<'_>, lang: Lang) -> String {
    let Some(first) = assessment.warnings.first() else {
        return String::new();
    };
    let count = assessment.warnings.len();
    match lang {
        Lang::Zh => format!("{count} 条：{}", first.zh),
        Lang::En => format!(
            "{count} warning{}: {}",
            if count == 1 { "" } else { "s" },
            first.en
        ),
    }
}

/// What every emitter needs to know about the run.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'r> {
    pub rulebook: &'r Rulebook,
    pub lang: Lang,
    /// More than one applicant is expected (several files, or a sheet).
    pub many: bool,
    /// Show every applicant's clause table even when there are many.
    pub detail: bool,
    /// `--strict`: warnings fail the run, and the reports say so.
    pub strict: bool,
    /// `--near-miss N`: the most failed conditions a near miss may have (SPEC §7).
    pub near_miss: usize,
    /// `--output-encoding`: how a CSV report is encoded for Excel (SPEC §7).
    pub output_encoding: OutputEncoding,
    /// The report goes to a file (`--output`): what standard error says must be in it too.
    pub to_file: bool,
}

pub trait Emitter {
    fn emit(&mut self, out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()>;

    /// Writes one applicant's part made beforehand by the format's [`RowRenderer`].
    fn emit_rendered(&mut self, _out: &mut dyn Write, _row: &[u8]) -> io::Result<()> {
        Err(io::Error::other("this format renders its rows itself"))
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// Renders one applicant's part of a format whose parts stand alone (CSV rows, JSON results),
/// on any thread: a sheet's rows are then formatted by the workers that judge them, and the
/// emitter only writes the bytes out in input order.
#[derive(Debug, Clone, Copy)]
pub struct RowRenderer<'r> {
    format: RowFormat,
    settings: Settings<'r>,
}

#[derive(Debug, Clone, Copy)]
enum RowFormat {
    Csv,
    Json,
}

impl RowRenderer<'_> {
    /// The near-miss limit of the run, for the workers that see each row; `None` when the
    /// format lists no near misses (CSV rows stand alone), so that nothing is collected.
    pub fn near_miss_limit(&self) -> Option<usize> {
        match self.format {
            RowFormat::Csv => None,
            RowFormat::Json => Some(self.settings.near_miss),
        }
    }

    /// Appends the applicant's part to `out`.
    pub fn render(&self, assessment: &Assessment<'_>, out: &mut Vec<u8>) {
        match self.format {
            RowFormat::Csv => csv::row(assessment, &self.settings, out),
            RowFormat::Json => json::row(assessment, &self.settings, out),
        }
    }

    /// About how many bytes one applicant's part takes.
    pub fn row_bytes(&self) -> usize {
        match self.format {
            RowFormat::Csv => 512,
            RowFormat::Json => 12 * 1024,
        }
    }

    /// Rows to render together: rendered chunks wait in memory until written, so a format with
    /// large parts (a JSON result is about 10 KB) takes fewer rows at a time.
    pub fn rows_per_chunk(&self) -> usize {
        (64 * 1024 / self.row_bytes()).max(1)
    }
}

/// The row renderer of a format, when its parts stand alone; its emitter then accepts
/// [`Emitter::emit_rendered`].
/// Whether a format lists the near misses of a batch (SPEC §7): the table, Markdown, JSON and
/// the workbook do; CSV rows and the annotation formats do not.
pub fn lists_near_misses(format: Format) -> bool {
    matches!(format, Format::Table | Format::Json | Format::Markdown)
}

pub fn row_renderer(format: Format, settings: Settings<'_>) -> Option<RowRenderer<'_>> {
    let format = match format {
        Format::Csv => RowFormat::Csv,
        Format::Json => RowFormat::Json,
        _ => return None,
    };
    Some(RowRenderer { format, settings })
}

/// The emitter for a format.
pub fn emitter<'r>(format: Format, settings: Settings<'r>) -> Box<dyn Emitter + 'r> {
    match format {
        Format::Table => Box::new(table::TableEmitter::new(settings)),
        Format::Json => Box::new(json::JsonEmitter::new(settings)),
        Format::Csv => Box::new(csv::CsvEmitter::new(settings)),
        Format::Sarif => Box::new(sarif::SarifEmitter::new(settings)),
        Format::Junit => Box::new(junit::JunitEmitter::new(settings)),
        Format::Github => Box::new(github::GithubEmitter::new(settings)),
        Format::Markdown => Box::new(markdown::MarkdownEmitter::new(settings)),
    }
}

/// The workbook emitter, for `--output FILE.xlsx`: it writes the file itself when finished.
pub fn workbook<'r>(settings: Settings<'r>, path: std::path::PathBuf) -> Box<dyn Emitter + 'r> {
    Box::new(xlsx::XlsxEmitter::new(settings, Some(path)))
}

/// The workbook emitter that writes the workbook's bytes to the output when finished, and no
/// file (the web server's results workbook).
pub fn workbook_bytes<'r>(settings: Settings<'r>) -> Box<dyn Emitter + 'r> {
    Box::new(xlsx::XlsxEmitter::new(settings, None))
}

/// A bare verdict as a person reads it: `符合 pass` in Chinese, `pass` in English. A clause's
/// finding has its own, fuller [`crate::engine::Finding::label`].
pub fn verdict_label(verdict: Verdict, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} {}", verdict.label_zh(), verdict.word()),
        Lang::En => verdict.word().to_string(),
    }
}

/// The overall verdict as a person reads it, on one line. `eligible` says what was found and
/// what is still open, never that the applicant qualifies (SPEC §2 "What a verdict may claim").
pub fn overall_label(assessment: &Assessment<'_>, lang: Lang) -> String {
    overall_text(assessment, lang, lang.pick("：", " — "))
}

/// [`overall_label`] for a table cell: the verdict on its first line, what is open below.
pub fn overall_cell(assessment: &Assessment<'_>, lang: Lang) -> String {
    overall_text(assessment, lang, "\n")
}

fn overall_text(assessment: &Assessment<'_>, lang: Lang, separator: &str) -> String {
    let verdict = assessment.verdict;
    let word = match lang {
        Lang::Zh => format!("{}（{}）", verdict.label_zh(), verdict.word()),
        Lang::En => verdict.word().to_string(),
    };
    if verdict != Overall::Eligible {
        return word;
    }
    let open = assessment.open();
    let found = match lang {
        Lang::Zh if open.is_empty() => return word,
        Lang::Zh => open.counts(lang),
        Lang::En if open.is_empty() => "no condition failed or lacks data".to_string(),
        Lang::En => format!(
            "no condition failed or lacks data; still open: {}",
            open.counts(lang)
        ),
    };
    format!("{word}{separator}{found}")
}

/// `缺少：a、b` / `missing: a, b`.
pub fn missing_text(fields: &[String], lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("缺少：{}", fields.join("、")),
        Lang::En => format!("missing: {}", fields.join(", ")),
    }
}

pub fn warning_prefix(lang: Lang) -> &'static str {
    lang.pick("警告", "warning")
}

/// The measure's heading line.
pub fn rulebook_heading(rulebook: &Rulebook, lang: Lang) -> String {
    let meta = &rulebook.meta;
    let until = meta
        .effective_until
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".into());
    match lang {
        Lang::Zh => format!(
            "《{}》（{}），有效期 {} 至 {until}",
            meta.title.zh, meta.document, meta.effective_from
        ),
        Lang::En => format!(
            "{} — {} ({}), in force {} to {until}",
            meta.id, meta.title.en, meta.document, meta.effective_from
        ),
    }
}

pub fn localized(texts: &[Text], lang: Lang) -> Vec<String> {
    texts
        .iter()
        .map(|text| text.get(lang).to_string())
        .collect()
}

/// Whether a finding is a problem a pipeline should flag: a failed or missing condition or
/// advisory clause. Informational clauses (Art. 4's priority fields, Art. 8's priority) never
/// are: most applicants do not host a national centre, and that is no defect of the dossier.
pub fn is_flagged(finding: &crate::engine::Finding<'_>) -> bool {
    finding.severity() != crate::rules::Severity::Info
        && matches!(finding.verdict, Verdict::Fail | Verdict::Missing)
}

/// What a finding found, for a table cell: the actual value (or `—`), and on a second line the
/// fields to fill when some are missing.
pub fn actual_text(finding: &crate::engine::Finding<'_>, lang: Lang) -> String {
    let mut text = finding
        .actual()
        .map(|actual| actual.human.get(lang).to_string())
        .unwrap_or_else(|| "—".into());
    // A clause that decides or advises names its fields to fill in the gap column.
    if !finding.missing.is_empty() && finding.severity() == crate::rules::Severity::Info {
        text.push('\n');
        text.push_str(&missing_text(&finding.missing, lang));
    }
    text
}

/// How many applicants each condition knocked out (failed) or left open (missing), by the
/// clause's position in the rulebook: the batch views' second table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Knockouts(std::collections::BTreeMap<usize, (usize, usize)>);

impl Knockouts {
    /// Counts an applicant's failed and missing conditions; returns their clause ids with
    /// whether each is missing (rather than failed), in rulebook order.
    pub fn count<'a>(&mut self, assessment: &'a Assessment<'_>) -> Vec<(&'a str, bool)> {
        let mut knocked = Vec::new();
        for (index, finding) in assessment.findings.iter().enumerate() {
            if finding.severity() != crate::rules::Severity::Condition {
                continue;
            }
            let missing = match finding.verdict {
                Verdict::Fail => false,
                Verdict::Missing => true,
                _ => continue,
            };
            let entry = self.0.entry(index).or_default();
            if missing {
                entry.1 += 1;
            } else {
                entry.0 += 1;
            }
            knocked.push((finding.clause.id.as_str(), missing));
        }
        knocked
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The heading of the knock-out table, in the table and on the bureau page.
    pub fn heading(lang: Lang) -> &'static str {
        lang.pick("各条款淘汰情况", "Which clauses knock out how many")
    }

    /// The knock-out table's header: the clause, its article, how many failed it, how many
    /// lacked its data.
    pub fn header(lang: Lang) -> [&'static str; 4] {
        match lang {
            Lang::Zh => ["条款", "条文", "不符合", "缺数据"],
            Lang::En => ["Clause", "Article", "Failed", "Missing data"],
        }
    }

    /// `(clause, failed, missing)` for every clause that knocked anyone out, in rulebook order.
    pub fn clauses<'a>(
        &'a self,
        rulebook: &'a crate::rules::Rulebook,
    ) -> impl Iterator<Item = (&'a crate::rules::Clause, usize, usize)> + 'a {
        self.iter().filter_map(|(index, failed, missing)| {
            Some((rulebook.clauses.get(index)?, failed, missing))
        })
    }

    /// `(clause position, failed, missing)` for every clause that knocked anyone out.
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.0
            .iter()
            .map(|(index, (failed, missing))| (*index, *failed, *missing))
    }
}
