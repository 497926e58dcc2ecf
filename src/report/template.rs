//! `ticheck init --sheet FILE.xlsx` (SPEC §5): the workbook a prefectural bureau sends out to
//! candidates, or fills in itself. A first sheet of instructions (填表说明, Chinese with English
//! beside it), then a data sheet of one applicant per row under the Chinese headers of SPEC §4,
//! with a dropdown for every closed list and, on each header, a note giving the unit and what
//! the law requires of the column. `--evaluation` writes the same for the evaluation profile of
//! SPEC §6, with a second data sheet for the construction contract's targets.
//!
//! Nothing here is written per field by hand: the columns are the field registry's
//! ([`crate::profile::fields`], [`crate::profile::evaluation`]), and a note's requirements are
//! the rulebook's (the clauses that read the column, in the words of
//! [`crate::engine::clause_requirement`]) or, for the evaluation, the rubric's.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

use crate::engine::clause_requirement;
use crate::i18n::{Lang, Text};
use crate::profile::evaluation::{EVALUATION, TARGET_ITEMS};
use crate::profile::fields::{kind_name, Choice, FieldType, Schema, SeriesDef, APPLICATION};
use crate::profile::value::{plain, Quantity};
use crate::rules::evaluation::{GovernanceRule, Rubric};
use crate::rules::{Clause, Rulebook, Severity, Window};

/// The first worksheet: how to fill in the workbook. `check` skips it (SPEC §7).
pub const INSTRUCTIONS_SHEET: &str = "填表说明";
/// The applicants' data sheet: one applicant per row.
pub const APPLICANT_SHEET: &str = "申报数据";
/// The centers' data sheet of the evaluation workbook: one center per row.
pub const EVALUATION_SHEET: &str = "评估数据";

/// The field whose value decides which clauses apply (`applies_to` in the rulebook).
const KIND_FIELD: &str = "applicant.kind";

/// The last row a validation covers: Excel's last (0-based), so that no row is left without
/// its dropdown however long the bureau's list.
const LAST_ROW: u32 = 1_048_575;

/// Which workbook to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Applicants for `ticheck check` (SPEC §4).
    Applicant,
    /// Built centers for `ticheck evaluate` (SPEC §6).
    Evaluation,
}

/// What a template is made for.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub lang: Lang,
    /// The day the template is written: its year is the application year Y the year columns
    /// are named for (`2024年研发经费`, `2025年研发经费` for Y = 2026).
    pub today: NaiveDate,
    /// The order of the profile's sections, as the TOML template `ticheck init` writes shows
    /// them (`applicant`, `finance`, …, `rnd_spend`, …); sections it does not name follow.
    pub section_order: &'a [&'a str],
}

/// One column of a data sheet.
struct Column {
    header: String,
    ty: FieldType,
    note: String,
    /// The organisation's name: the widest column, frozen beside the header.
    is_name: bool,
}

/// The workbook's bytes.
pub fn workbook(which: Which, settings: &Settings<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let year = chrono::Datelike::year(&settings.today);
    match which {
        Which::Applicant => {
            let rulebook = Rulebook::builtin();
            let columns = applicant_columns(&rulebook, year, settings);
            instructions(
                workbook.add_worksheet(),
                &applicant_instructions(&rulebook, year, &columns, settings.today),
            )?;
            data_sheet(
                workbook.add_worksheet(),
                APPLICANT_SHEET,
                &columns,
                settings.lang,
            )?;
        }
        Which::Evaluation => {
            let rubric = Rubric::builtin();
            instructions(
                workbook.add_worksheet(),
                &evaluation_instructions(&rubric, settings.today),
            )?;
            data_sheet(
                workbook.add_worksheet(),
                EVALUATION_SHEET,
                &evaluation_columns(&rubric, settings.lang),
                settings.lang,
            )?;
            for item in TARGET_ITEMS {
                data_sheet(
                    workbook.add_worksheet(),
                    item.label_zh,
                    &target_columns(&rubric, settings.lang),
                    settings.lang,
                )?;
            }
        }
    }
    workbook.save_to_buffer()
}

// ---------------------------------------------------------------------------------------------
// Sheets
// ---------------------------------------------------------------------------------------------

/// The instructions sheet: a title, then one instruction a row, Chinese in column A and English
/// in column B. Every cell is a sentence, never a bare column name, so that no reader looking
/// for "the first row that names known fields" (SPEC §7) takes this sheet for the data.
fn instructions(sheet: &mut Worksheet, lines: &[Text]) -> Result<(), XlsxError> {
    sheet.set_name(INSTRUCTIONS_SHEET)?;
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.set_column_width(0, 80)?;
    sheet.set_column_width(1, 80)?;
    for (row, line) in lines.iter().enumerate() {
        let row = row as u32;
        let format = if row == 0 { &title } else { &body };
        sheet.write_string_with_format(row, 0, &line.zh, format)?;
        sheet.write_string_with_format(row, 1, &line.en, format)?;
        // Wrapped text in a fixed-width column: the row grows with the longer language.
        let lines = wrapped_lines(&line.zh, 76).max(wrapped_lines(&line.en, 76));
        let height = if row == 0 { 24.0 } else { 15.0 } * lines as f64 + 3.0;
        sheet.set_row_height(row, height)?;
    }
    sheet.set_active(true);
    Ok(())
}

/// A data sheet: the header row with its notes, frozen; column formats for dates, ratios and
/// text that must stay text; a dropdown under every closed-list header.
fn data_sheet(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[Column],
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    sheet.set_default_note_author("ticheck");
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xD9E1F2));
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let percent = Format::new().set_num_format("0.0#%");
    // Amounts and areas with two decimals (万元 to the hundred yuan); counts whole.
    let amount = Format::new().set_num_format("#,##0.00");
    let whole = Format::new().set_num_format("0");
    let mut header_lines = 1;
    for (index, column) in columns.iter().enumerate() {
        let col = index as u16;
        let width = column_width(column);
        sheet.set_column_width(col, width)?;
        header_lines = header_lines.max(wrapped_lines(&column.header, width as usize - 2));
        match column.ty {
            // Text stays text: an 18-digit code typed into a General cell becomes 9.15E+17.
            FieldType::Text | FieldType::Uscc => {
                sheet.set_column_format(col, &text)?;
            }
            FieldType::Date => {
                sheet.set_column_format(col, &date)?;
            }
            FieldType::Number(Quantity::Ratio) => {
                sheet.set_column_format(col, &percent)?;
            }
            FieldType::Number(Quantity::Money | Quantity::Area) => {
                sheet.set_column_format(col, &amount)?;
            }
            FieldType::Number(Quantity::Count | Quantity::Year) => {
                sheet.set_column_format(col, &whole)?;
            }
            _ => {}
        }
        sheet.write_string_with_format(0, col, &column.header, &header)?;
        if !column.note.is_empty() {
            let lines = column
                .note
                .lines()
                .map(|line| wrapped_lines(line, 58))
                .sum::<usize>();
            let note = Note::new(&column.note)
                .add_author_prefix(false)
                .set_font_size(9)
                .set_width(420)
                .set_height(16 * lines as u32 + 12);
            sheet.insert_note(0, col, &note)?;
        }
        if let Some(validation) = validation(column.ty, &column.header, lang)? {
            sheet.add_data_validation(1, col, LAST_ROW, col, &validation)?;
        }
    }
    sheet.set_row_height(0, 15.0 * header_lines as f64 + 6.0)?;
    let frozen_columns = columns.iter().take_while(|c| c.is_name).count() as u16;
    sheet.set_freeze_panes(1, frozen_columns)?;
    Ok(())
}

/// The dropdown (or the date check) under a header, with a message in the output language.
fn validation(
    ty: FieldType,
    header: &str,
    lang: Lang,
) -> Result<Option<DataValidation>, XlsxError> {
    let words = match ty {
        FieldType::Bool => vec!["是".to_string(), "否".to_string()],
        FieldType::Choice(choices) => choices.iter().map(choice_word).collect(),
        FieldType::Date => {
            let message = match lang {
                Lang::Zh => format!("“{header}”应填日期，如 2026-03-15。"),
                Lang::En => format!("'{header}' takes a date, e.g. 2026-03-15."),
            };
            let validation = DataValidation::new()
                .allow_date(DataValidationRule::Between(
                    ExcelDateTime::from_ymd(1949, 10, 1)?,
                    ExcelDateTime::from_ymd(2100, 12, 31)?,
                ))
                // A date written as text (2026年3月15日) is read too: warn, do not refuse.
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title(lang.pick("日期", "Date"))?
                .set_error_message(message)?;
            return Ok(Some(validation));
        }
        _ => return Ok(None),
    };
    let message = match lang {
        Lang::Zh => format!("请从下拉列表中选择“{header}”：{}。", words.join("、")),
        Lang::En => format!("Choose '{header}' from the list: {}.", words.join(", ")),
    };
    let validation = DataValidation::new()
        .allow_list_strings(&words)?
        .set_error_title(lang.pick("请从列表中选择", "Choose from the list"))?
        .set_error_message(message)?;
    Ok(Some(validation))
}

/// A closed list's word in the sheet: the Chinese word the loader accepts for it (`企业`,
/// `领域类`), else its id.
pub fn choice_word(choice: &Choice) -> String {
    choice
        .aliases
        .iter()
        .find(|alias| !alias.is_ascii())
        .unwrap_or(&choice.id)
        .to_string()
}

/// `R&D floor area` → itself, `debt ratio` → `Debt ratio`: a note's first line.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Display width of a text in Excel's character units: a Chinese character takes two.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// How many lines a text takes wrapped at `width` units.
fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    text.lines()
        .map(|line| display_width(line).div_ceil(width).max(1))
        .sum::<usize>()
        .max(1)
}

/// A column wide enough for its header (wrapped onto two lines past 28 units) and the values
/// its type takes.
fn column_width(column: &Column) -> f64 {
    let header = display_width(&column.header);
    let header = if header > 28 {
        header.div_ceil(2)
    } else {
        header
    };
    let values = if column.is_name {
        32
    } else {
        match column.ty {
            FieldType::Uscc => 22,
            FieldType::Date => 12,
            FieldType::Text => 14,
            FieldType::Choice(choices) => {
                choices
                    .iter()
                    .map(|c| display_width(&choice_word(c)))
                    .max()
                    .unwrap_or(4)
                    + 4
            }
            FieldType::Bool => 6,
            FieldType::Number(_) => 10,
        }
    };
    (header.max(values) + 3) as f64
}

// ---------------------------------------------------------------------------------------------
// The applicant workbook
// ---------------------------------------------------------------------------------------------

/// The sections of a schema in the template's order, then any it does not name.
fn ordered_sections(schema: &Schema, order: &[&str]) -> Vec<&'static str> {
    let known = schema.sections();
    let mut sections: Vec<&'static str> = order
        .iter()
        .filter_map(|name| known.iter().find(|section| *section == name).copied())
        .collect();
    for section in known {
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    sections
}

fn section_of(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

/// The calendar years of a year table's columns for application year `year`: the windows of
/// the rulebook's metrics over the table (for `rnd_spend`, 近两年: Y−2 and Y−1).
fn series_years(rulebook: &Rulebook, table: &str, year: i32) -> Vec<i32> {
    let mut years: Vec<i32> = rulebook
        .metrics
        .values()
        .filter_map(|metric| metric.series.as_ref())
        .filter(|series| series.table == table)
        .filter_map(|series| rulebook.windows.get(&series.window))
        .flat_map(|window| window.years(year))
        .collect();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        years.push(year - 1);
    }
    years
}

/// One entry of the applicant's fields, in section order, for the sheet template and the web
/// form alike: a field, or a year of a series (the years of the application's window).
/// Itemised evidence ([[project]]…) has many rows per applicant: neither takes it (the summary
/// counts of `record` stand in).
struct Entry {
    section: &'static str,
    path: String,
    /// The path the rulebook's clauses read it by (`rnd_spend.YYYY` for a year).
    reads: String,
    label: Text,
    ty: FieldType,
}

fn applicant_entries(rulebook: &Rulebook, year: i32, order: &[&str]) -> Vec<Entry> {
    let mut entries = Vec::new();
    for section in ordered_sections(&APPLICATION, order) {
        if let Some(series) = APPLICATION.series(section) {
            for y in series_years(rulebook, series.table, year) {
                entries.push(series_entry(series, y));
            }
        } else if APPLICATION.item(section).is_none() {
            for field in APPLICATION
                .fields
                .iter()
                .filter(|field| section_of(field.path) == section)
            {
                entries.push(Entry {
                    section,
                    path: field.path.to_string(),
                    reads: field.path.to_string(),
                    label: Text::new(field.label_zh, field.label_en),
                    ty: field.ty,
                });
            }
        }
    }
    entries
}

/// The entry of one year of a series: `rnd_spend.2023`, `2023年研发经费`.
fn series_entry(series: &'static SeriesDef, y: i32) -> Entry {
    Entry {
        section: series.table,
        path: format!("{}.{y}", series.table),
        reads: format!("{}.YYYY", series.table),
        label: Text::new(
            format!("{y}{}", series.label_zh),
            format!("{} {y}", series.label_en),
        ),
        ty: FieldType::Number(series.quantity),
    }
}

fn applicant_columns(rulebook: &Rulebook, year: i32, settings: &Settings<'_>) -> Vec<Column> {
    applicant_entries(rulebook, year, settings.section_order)
        .into_iter()
        .map(|entry| Column {
            header: entry.label.zh.clone(),
            ty: entry.ty,
            note: applicant_note(
                rulebook,
                &entry.path,
                &entry.reads,
                &entry.label,
                entry.ty,
                year,
                settings.lang,
                Medium::Sheet,
            )
            .0,
            is_name: entry.path == APPLICATION.name_field,
        })
        .collect()
}

/// The sections of the applicant profile as the law groups them (SPEC §4), with their names:
/// the web page's form shows its fields under these headings, in this order.
pub const FORM_SECTIONS: &[(&str, &str, &str)] = &[
    ("applicant", "基本情况", "Basic facts"),
    ("finance", "财务", "Finance"),
    ("team", "研发团队", "R&D team"),
    ("facilities", "场地设备", "Premises and equipment"),
    ("rnd_spend", "研发经费", "R&D spend"),
    ("record", "项目与成果", "Projects and results"),
    ("support", "地方支持", "Local support"),
];

/// One input of the web page's applicant form: a column of the sheet template, with the same
/// note (its unit and what the law's clauses require of it).
#[derive(Debug, Clone)]
pub struct FormField {
    pub section: &'static str,
    /// The dotted path, the TOML key (`facilities.rnd_floor_area`, `rnd_spend.2023`).
    pub path: String,
    pub label: String,
    pub ty: FieldType,
    /// Lines: the field, its unit, the clauses that read it.
    pub note: String,
    /// The ids of the clauses that read it, for links to their text.
    pub clauses: Vec<String>,
}

/// The applicant form's fields for an application in `year` (the year columns of R&D spend
/// are that year's window), in the order of [`FORM_SECTIONS`].
pub fn applicant_form(rulebook: &Rulebook, year: i32, lang: Lang) -> Vec<FormField> {
    let order: Vec<&str> = FORM_SECTIONS
        .iter()
        .map(|(section, _, _)| *section)
        .collect();
    applicant_entries(rulebook, year, &order)
        .into_iter()
        .map(|entry| form_field(rulebook, entry, year, lang))
        .collect()
}

/// The form's input for a year of a series (`rnd_spend.2021`) whatever the window: a year the
/// applicant typed that the application's window does not count is shown again, not dropped.
/// `None` for a path that names no year of a series.
pub fn series_form_field(
    rulebook: &Rulebook,
    path: &str,
    year: i32,
    lang: Lang,
) -> Option<FormField> {
    let (table, y) = path.split_once('.')?;
    let series = APPLICATION.series(table)?;
    let y = y
        .parse::<i32>()
        .ok()
        .filter(|_| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))?;
    Some(form_field(rulebook, series_entry(series, y), year, lang))
}

fn form_field(rulebook: &Rulebook, entry: Entry, year: i32, lang: Lang) -> FormField {
    let (note, clauses) = applicant_note(
        rulebook,
        &entry.path,
        &entry.reads,
        &entry.label,
        entry.ty,
        year,
        lang,
        Medium::Form,
    );
    FormField {
        section: entry.section,
        note,
        clauses,
        label: entry.label.get(lang).to_string(),
        path: entry.path,
        ty: entry.ty,
    }
}

/// One itemised table of the applicant form (`[[project]]`, SPEC §4): a row an item, a
/// column a field of the registry's [`ItemDef`](crate::profile::fields::ItemDef).
#[derive(Debug, Clone)]
pub struct FormItems {
    /// The section the table is shown in (`record`, 项目与成果).
    pub section: &'static str,
    /// `project`: its rows' inputs are named `project.1.name`, `project.1.level`, ….
    pub table: &'static str,
    /// The table's heading: `项目（逐项列出）`.
    pub label: String,
    /// One item: `项目`.
    pub item: String,
    /// The fields of an item: its key (`level`), label and type.
    pub columns: Vec<(&'static str, &'static str, FieldType)>,
    /// Lines: what listing the items does, the clauses that count them and their windows.
    pub note: String,
    /// The ids of the clauses that read the items.
    pub clauses: Vec<String>,
}

/// The section of the form that holds itemised evidence: the summary counts it stands in for
/// are there.
const ITEMS_SECTION: &str = "record";

/// The applicant form's itemised tables for an application in `year`, in the registry's order.
pub fn applicant_form_items(rulebook: &Rulebook, year: i32, lang: Lang) -> Vec<FormItems> {
    APPLICATION
        .items
        .iter()
        .map(|item| {
            let whole = format!("[[{}]]", item.table);
            let of_item = format!("{whole}.");
            let mut lines = vec![
                match lang {
                    Lang::Zh => format!("{}（{whole}）", item.label_zh),
                    Lang::En => format!("{} ({whole})", capitalised(item.label_en)),
                },
                lang.pick(
                    "逐项列出时，按所列各项计数（只计年度窗口内的）；上面的汇总数可留空，二者不一致时给出警告。整行留空的不计。",
                    "When items are listed they are counted (within the windows); the summary counts above may be left empty, and a count that disagrees with the items is a warning. Empty rows are left out.",
                )
                .to_string(),
            ];
            let reads = |field: &str| field == whole || field.starts_with(&of_item);
            let clauses = clauses_reading(rulebook, &reads, year, lang, &mut lines);
            FormItems {
                section: ITEMS_SECTION,
                table: item.table,
                label: match lang {
                    Lang::Zh => format!("{}（逐项列出）", item.label_zh),
                    Lang::En => format!("Listed {}s", item.label_en),
                },
                item: lang.pick(item.label_zh, item.label_en).to_string(),
                columns: item
                    .fields
                    .iter()
                    .map(|field| (field.path, field.label(lang), field.ty))
                    .collect(),
                note: lines.join("\n"),
                clauses: clauses.into_iter().map(str::to_string).collect(),
            }
        })
        .collect()
}

/// What a column takes, in words: its unit and how values may be written.
fn value_hint(ty: FieldType, lang: Lang) -> Option<String> {
    let text = match ty {
        FieldType::Number(Quantity::Money) => lang.pick(
            "单位：万元；也可写“2350万元”“23500000元”“0.235亿元”。",
            "Unit: 万元 (10,000 yuan); \"2350万元\", \"23500000元\" or \"0.235亿元\" are read too.",
        ),
        FieldType::Number(Quantity::Area) => lang.pick(
            "单位：平方米（m²）；也可写“1800平方米”“1800m²”。",
            "Unit: square metres (m²); \"1800平方米\" or \"1800m²\" are read too.",
        ),
        FieldType::Number(Quantity::Ratio) => lang.pick(
            "百分数，如 58.2%（本列已设为百分比格式）。",
            "A percentage, e.g. 58.2% (the column is formatted as a percentage).",
        ),
        FieldType::Number(Quantity::Count) => {
            lang.pick("个数，填整数。", "A count: a whole number.")
        }
        FieldType::Number(Quantity::Year) => lang.pick("年份，如 2025。", "A year, e.g. 2025."),
        FieldType::Date => lang.pick("日期，如 2026-03-15。", "A date, e.g. 2026-03-15."),
        FieldType::Bool => lang.pick("从下拉列表选择“是”或“否”。", "Choose 是 (yes) or 否 (no)."),
        FieldType::Uscc => lang.pick(
            "18 位统一社会信用代码（本列为文本格式）。",
            "The 18-character unified social credit code (a text column).",
        ),
        FieldType::Choice(choices) => {
            let words: Vec<String> = choices.iter().map(choice_word).collect();
            return Some(match lang {
                Lang::Zh => format!("从下拉列表选择：{}。", words.join("、")),
                Lang::En => format!(
                    "Choose from the list: {}.",
                    choices
                        .iter()
                        .map(|c| format!("{} ({})", choice_word(c), c.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        FieldType::Text => return None,
    };
    Some(text.to_string())
}

/// A window's years for application year `year`: `2023–2025 年` / `2023–2025`.
fn window_years(window: &Window, year: i32, lang: Lang) -> String {
    let years = window.years(year);
    let (from, to) = (*years.start(), *years.end());
    match (from == to, lang) {
        (true, Lang::Zh) => format!("{from} 年"),
        (true, Lang::En) => from.to_string(),
        (false, Lang::Zh) => format!("{from}–{to} 年"),
        (false, Lang::En) => format!("{from}–{to}"),
    }
}

/// `近 3 年内（Y−3 至 Y−1）：2026 年申报即 2023–2025 年`.
fn window_line(window: &Window, year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "年度窗口：{}，{year} 年申报即 {}。",
            window.text.zh,
            window_years(window, year, lang)
        ),
        Lang::En => format!(
            "Years counted: {}; for an application in {year}, {}.",
            window.text.en,
            window_years(window, year, lang)
        ),
    }
}

/// The windows of the metrics a clause reads through the field `reads`.
fn clause_windows<'r>(
    rulebook: &'r Rulebook,
    clause: &Clause,
    reads: &dyn Fn(&str) -> bool,
) -> Vec<&'r Window> {
    let mut windows: Vec<&Window> = Vec::new();
    for metric in clause.metrics() {
        if !rulebook.metric_fields(metric).iter().any(|f| reads(f)) {
            continue;
        }
        let Some(def) = rulebook.metrics.get(metric) else {
            continue;
        };
        let name = def
            .count
            .as_ref()
            .and_then(|c| c.window.as_ref())
            .or_else(|| def.sum.as_ref().and_then(|s| s.selection.window.as_ref()))
            .or_else(|| def.series.as_ref().map(|s| &s.window));
        if let Some(window) = name.and_then(|name| rulebook.windows.get(name)) {
            if !windows.iter().any(|w| std::ptr::eq(*w, window)) {
                windows.push(window);
            }
        }
    }
    windows
}

/// Where a note is shown: on a sheet template's header, or beside a web form's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Medium {
    Sheet,
    Form,
}

/// [`value_hint`] beside a form's input, which has no column format and shows its dropdown.
fn form_hint(ty: FieldType, lang: Lang) -> Option<String> {
    let text = match ty {
        FieldType::Number(Quantity::Ratio) => lang.pick(
            "百分数，如 58.2%（也可写小数 0.582）。",
            "A percentage, e.g. 58.2% (or the fraction 0.582).",
        ),
        FieldType::Bool => lang.pick("选择“是”或“否”。", "Choose yes or no."),
        FieldType::Uscc => lang.pick(
            "18 位统一社会信用代码。",
            "The 18-character unified social credit code.",
        ),
        FieldType::Choice(_) => return None,
        _ => return value_hint(ty, lang),
    };
    Some(text.to_string())
}

/// The note of an applicant column: what it is, its unit, and every clause of the rulebook
/// that reads it, with the requirement in words, to whom it applies, the years it counts and
/// the rulebook's reading where the law is unclear.
// The column's facts, then where and for when the note is shown: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn applicant_note(
    rulebook: &Rulebook,
    path: &str,
    reads: &str,
    label: &Text,
    ty: FieldType,
    year: i32,
    lang: Lang,
    medium: Medium,
) -> (String, Vec<String>) {
    let mut lines = vec![match lang {
        Lang::Zh => format!("{}（{path}）", label.zh),
        Lang::En => format!("{} ({path})", capitalised(&label.en)),
    }];
    lines.extend(match medium {
        Medium::Sheet => value_hint(ty, lang),
        Medium::Form => form_hint(ty, lang),
    });
    if path == APPLICATION.name_field && medium == Medium::Sheet {
        lines.push(
            lang.pick(
                "每行一个申报单位；检查结果按此名称和行号指明该单位。",
                "One applicant per row; the results name it by this and its row number.",
            )
            .to_string(),
        );
    }
    if matches!(ty, FieldType::Date) {
        lines.push(date_role(rulebook, year, lang));
    }
    if path == KIND_FIELD {
        lines.extend(kind_role(rulebook, lang));
    }
    let ids = clauses_reading(rulebook, &|field| field == reads, year, lang, &mut lines);
    // A field stating which year other figures are for (`finance.year`, 申报前 1 年度).
    for (name, metric) in &rulebook.metrics {
        let Some(check) = metric.year.as_ref().filter(|check| *check.field == *path) else {
            continue;
        };
        let Some(window) = rulebook.windows.get(&check.window) else {
            continue;
        };
        let cited: Vec<&str> = rulebook
            .clauses
            .iter()
            .filter(|clause| clause.metrics().contains(&name.as_str()))
            .map(|clause| clause.citation.as_str())
            .collect();
        lines.push(match lang {
            Lang::Zh => format!(
                "{}：{}应为{}的数据，{year} 年申报即 {}；其他年度会给出警告。",
                cited.join("、"),
                metric.label.zh,
                window.text.zh,
                window_years(window, year, lang)
            ),
            Lang::En => format!(
                "{}: the {} must be that of {}, {} for an application in {year}; another year is a warning.",
                cited.join(", "),
                metric.label.en,
                window.text.en,
                window_years(window, year, lang)
            ),
        });
    }
    for notice in rulebook.notices.iter().filter(|n| n.field == path) {
        lines.push(match lang {
            Lang::Zh => format!("提示（{}）：{}", notice.citation, notice.text.zh),
            Lang::En => format!("Note ({}): {}", notice.citation, notice.text.en),
        });
    }
    // The web form links each clause to its text instead (see [`FormField::clauses`]).
    if !ids.is_empty() && medium == Medium::Sheet {
        lines.push(match lang {
            Lang::Zh => format!("条文原文：ticheck explain {}", ids.join("、")),
            Lang::En => format!("The law's text: ticheck explain {}", ids.join(", ")),
        });
    }
    (
        lines.join("\n"),
        ids.into_iter().map(str::to_string).collect(),
    )
}

/// The clauses of the rulebook that read a field `reads` picks out: for each, a line of what it
/// requires of whom, the years it counts and the rulebook's reading where the law is unclear,
/// pushed onto `lines`. Their ids, in the rulebook's order.
fn clauses_reading<'r>(
    rulebook: &'r Rulebook,
    reads: &dyn Fn(&str) -> bool,
    year: i32,
    lang: Lang,
    lines: &mut Vec<String>,
) -> Vec<&'r str> {
    let mut ids = Vec::new();
    for clause in &rulebook.clauses {
        let read = clause
            .metrics()
            .into_iter()
            .any(|metric| rulebook.metric_fields(metric).iter().any(|f| reads(f)));
        if !read {
            continue;
        }
        ids.push(clause.id.as_str());
        lines.push(clause_line(rulebook, clause, lang));
        for window in clause_windows(rulebook, clause, reads) {
            lines.push(window_line(window, year, lang));
        }
        if let Some(reading) = &clause.interpretation {
            lines.push(format!(
                "{}{}",
                lang.pick("解读：", "Reading: "),
                reading.get(lang)
            ));
        }
    }
    ids
}

/// `第十条第（四）项（研发场地面积）：研发场地面积 ≥ 1500 m²（以上）`, with to whom it applies
/// and whether it decides eligibility.
fn clause_line(rulebook: &Rulebook, clause: &Clause, lang: Lang) -> String {
    let requirement = clause_requirement(rulebook, clause, lang);
    let applies = clause.applies_to.as_ref().map(|kinds| {
        let names: Vec<String> = kinds.iter().map(|kind| kind_name(kind, lang)).collect();
        match lang {
            Lang::Zh => format!("；仅适用于{}", names.join("、")),
            Lang::En => format!("; for {} only", names.join(", ")),
        }
    });
    let severity = match clause.severity {
        Severity::Condition => "",
        Severity::Advisory => lang.pick(
            "（建议性，不影响是否符合）",
            " (advisory: does not decide eligibility)",
        ),
        Severity::Info => lang.pick("（提示，不影响是否符合）", " (for information only)"),
    };
    match lang {
        Lang::Zh => format!(
            "{}（{}）：{requirement}{}{severity}",
            clause.citation,
            clause.title.zh,
            applies.unwrap_or_default()
        ),
        Lang::En => format!(
            "{} ({}): {requirement}{}{severity}",
            clause.citation,
            clause.title.en,
            applies.unwrap_or_default()
        ),
    }
}

/// What the application date decides: Y, the windows, and the rulebook's validity.
fn date_role(rulebook: &Rulebook, year: i32, lang: Lang) -> String {
    let until = rulebook
        .meta
        .effective_until
        .map(|date| date.to_string())
        .unwrap_or_else(|| lang.pick("今", "now").to_string());
    let windows: Vec<String> = rulebook
        .windows
        .values()
        .map(|window| match lang {
            Lang::Zh => format!("{}：{}", window.text.zh, window_years(window, year, lang)),
            Lang::En => format!("{}: {}", window.text.en, window_years(window, year, lang)),
        })
        .collect();
    match lang {
        Lang::Zh => format!(
            "申报日期所在年度为 Y，决定各年度窗口；{year} 年申报：{}。规则库有效期 {} 至 {until}，申报日期在有效期外时检查结果会提示。",
            windows.join("；"),
            rulebook.meta.effective_from
        ),
        Lang::En => format!(
            "The year of the application date is Y and fixes every window; for {year}: {}. The rulebook is in force from {} to {until}; a date outside is a warning.",
            windows.join("; "),
            rulebook.meta.effective_from
        ),
    }
}

/// Which clauses depend on the applicant kind.
fn kind_role(rulebook: &Rulebook, lang: Lang) -> Vec<String> {
    let mut groups: Vec<(&Vec<String>, Vec<String>)> = Vec::new();
    for clause in &rulebook.clauses {
        let Some(kinds) = &clause.applies_to else {
            continue;
        };
        let shown = format!(
            "{}{}",
            clause.citation,
            match lang {
                Lang::Zh => format!("（{}）", clause.title.zh),
                Lang::En => format!(" ({})", clause.title.en),
            }
        );
        match groups.iter_mut().find(|(k, _)| *k == kinds) {
            Some((_, clauses)) => clauses.push(shown),
            None => groups.push((kinds, vec![shown])),
        }
    }
    groups
        .into_iter()
        .map(|(kinds, clauses)| {
            let names: Vec<String> = kinds.iter().map(|kind| kind_name(kind, lang)).collect();
            match lang {
                Lang::Zh => format!("仅适用于{}：{}。", names.join("、"), clauses.join("、")),
                Lang::En => format!("For {} only: {}.", names.join(", "), clauses.join("; ")),
            }
        })
        .collect()
}

fn applicant_instructions(
    rulebook: &Rulebook,
    year: i32,
    columns: &[Column],
    today: NaiveDate,
) -> Vec<Text> {
    let meta = &rulebook.meta;
    let year_columns: Vec<&str> = columns
        .iter()
        .filter(|c| c.header.starts_with(|ch: char| ch.is_ascii_digit()))
        .map(|c| c.header.as_str())
        .collect();
    let until = meta
        .effective_until
        .map(|date| date.to_string())
        .unwrap_or_default();
    let mut lines = vec![
        Text::new(
            "云南省技术创新中心申报数据汇总表 · 填表说明",
            "Applications for Yunnan technology innovation centers · how to fill in this workbook",
        ),
        Text::new(
            format!(
                "用途：本工作簿汇总拟申报云南省技术创新中心的单位数据，由州（市）科技主管部门下发、申报单位填写，\
                 供 ticheck 按《{}》（{}）第十条逐项检查申报条件。",
                meta.title.zh, meta.document
            ),
            format!(
                "Purpose: this workbook collects the data of the organisations applying to build a Yunnan \
                 technology innovation center; a prefectural bureau sends it out, the applicants fill it in, and \
                 ticheck checks it against Article 10 of the {} ({}).",
                meta.title.en, meta.document
            ),
        ),
        Text::new(
            format!(
                "填写位置：在“{APPLICANT_SHEET}”工作表中，每行填写一个申报单位。第一行是列名，请勿修改、删除列名，\
                 也不要在表中插入其他列。"
            ),
            format!(
                "Where: in the sheet \"{APPLICANT_SHEET}\", one applicant per row. The first row holds the column \
                 names: do not change or delete them, and add no other columns."
            ),
        ),
        Text::new(
            "单位：金额以万元计，也可写“2350万元”“23500000元”；面积以平方米计；比例填百分数，如 58.2%；\
             人数、项目数、知识产权数等填整数；日期写成 2026-03-15。",
            "Units: money in 万元 (10,000 yuan), or written with its unit as \"2350万元\" or \"23500000元\"; \
             area in square metres; ratios as percentages such as 58.2%; people, projects and IP as whole \
             numbers; dates as 2026-03-15.",
        ),
    ];
    let mut windows_zh = Vec::new();
    let mut windows_en = Vec::new();
    for window in rulebook.windows.values() {
        windows_zh.push(format!(
            "“{}”即 {}",
            window.text.zh,
            window_years(window, year, Lang::Zh)
        ));
        windows_en.push(format!(
            "{} is {}",
            window.text.en,
            window_years(window, year, Lang::En)
        ));
    }
    lines.push(Text::new(
        format!(
            "年度窗口：以申报日期所在年度为 Y，“近两年”“近 3 年”等都按申报日期前的完整年度计算。{year} 年申报时，{}。\
             本表按 {year} 年申报生成，年度列为 {}；申报日期在其他年份时，请把这些列名中的年份改为相应年份。",
            windows_zh.join("，"),
            year_columns.join("、")
        ),
        format!(
            "Years: Y is the year of the application date, and \"the last two years\", \"the last 3 years\" \
             are the full years before it. For an application in {year}, {}. This sheet is made for {year}: \
             its year columns are {}; for an application in another year, change the years in those column \
             names to match.",
            windows_en.join(", "),
            year_columns.join(", ")
        ),
    ));
    lines.extend([
        Text::new(
            "不知道或没有的数据请留空，不要填 0：0 会被当作真实数值判定（例如“国家级项目”填 0 会被判为不符合），\
             留空的项在检查结果中显示为“缺数据”。",
            "Leave a cell empty when the figure is unknown; never write 0, which is judged as a real value \
             (0 national projects fails the clause). An empty cell is reported as missing data.",
        ),
        Text::new(
            "单位类型、中心类别和各“是/否”列请从下拉列表中选择。统一社会信用代码列为文本格式，请完整填写 18 位。",
            "Choose the applicant kind, the center type and every yes/no (是/否) column from its dropdown. The \
             unified social credit code column is text: write all 18 characters.",
        ),
        Text::new(
            "每个列名都带有批注（鼠标移到列名上即可查看）：该列的单位，以及读取该列的《办法》条款和要求。\
             用 ticheck explain 条款编号 可查看条文原文。",
            "Every column name carries a note (hover over it): the column's unit, and the articles of the \
             measures that read it with what they require. ticheck explain CLAUSE shows the law's text.",
        ),
        Text::new(
            "项目、标准、知识产权和成果转化填汇总数，只计条款认可的（见批注，例如只计与研发方向相关、主持或承担的项目）。",
            "Projects, standards, IP and transfers are summary counts of what the clauses accept (see the \
             notes: only projects related to the R&D direction that the applicant hosted or undertook, for \
             example).",
        ),
        Text::new(
            format!(
                "检查：填好后运行 ticheck check 申报汇总.xlsx（本说明页会被跳过；也可指定工作表：\
                 ticheck check --sheet {APPLICANT_SHEET} 申报汇总.xlsx）。\
                 导出结果工作簿：ticheck check 申报汇总.xlsx --output 检查结果.xlsx。"
            ),
            format!(
                "Checking: when filled in, run ticheck check 申报汇总.xlsx (this sheet is skipped; or name the \
                 sheet: ticheck check --sheet {APPLICANT_SHEET} 申报汇总.xlsx). For a results workbook: \
                 ticheck check 申报汇总.xlsx --output results.xlsx."
            ),
        ),
        Text::new(
            format!(
                "规则：《{}》有效期 {} 至 {until}；申报日期在有效期之外时，检查结果会提示这一点。\
                 检查结果只是对照条文的自查，是否立项以省科技厅组织的评审为准。",
                meta.title.zh, meta.effective_from
            ),
            format!(
                "Rules: the measures are in force from {} to {until}; an application date outside that is \
                 reported. The check is a self-assessment against the text; the provincial department's \
                 review decides.",
                meta.effective_from
            ),
        ),
        generated(today),
    ]);
    lines
}

fn generated(today: NaiveDate) -> Text {
    Text::new(
        format!(
            "本模板由 ticheck {} 于 {today} 生成（ticheck init --sheet）。",
            env!("CARGO_PKG_VERSION")
        ),
        format!(
            "Written by ticheck {} on {today} (ticheck init --sheet).",
            env!("CARGO_PKG_VERSION")
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// The evaluation workbook
// ---------------------------------------------------------------------------------------------

/// `（一）`…`（十）`: 第二十五条's areas by number.
fn area_number(number: usize) -> String {
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match NUMERALS.get(number.wrapping_sub(1)) {
        Some(numeral) => format!("（{numeral}）"),
        None => format!("({number})"),
    }
}

fn evaluation_columns(rubric: &Rubric, lang: Lang) -> Vec<Column> {
    EVALUATION
        .fields
        .iter()
        .map(|field| {
            let mut lines = vec![match lang {
                Lang::Zh => format!("{}（{}）", field.label_zh, field.path),
                Lang::En => format!("{} ({})", capitalised(field.label_en), field.path),
            }];
            lines.extend(value_hint(field.ty, lang));
            if field.path == EVALUATION.name_field {
                lines.push(match lang {
                    Lang::Zh => format!(
                        "每行一个中心；“{}”表按此名称对应。",
                        TARGET_ITEMS.first().map_or("", |item| item.label_zh)
                    ),
                    Lang::En => format!(
                        "One center per row; the sheet \"{}\" refers to it by this name.",
                        TARGET_ITEMS.first().map_or("", |item| item.label_zh)
                    ),
                });
            }
            lines.extend(rubric_lines(rubric, field.path, field.ty, lang));
            Column {
                header: field.label_zh.to_string(),
                ty: field.ty,
                note: lines.join("\n"),
                is_name: field.path == EVALUATION.name_field,
            }
        })
        .collect()
}

/// What the rubric makes of an evaluation field: the indicator it scores, the veto it is, the
/// governance check that reads it, the cycle it bounds.
fn rubric_lines(rubric: &Rubric, path: &str, ty: FieldType, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    let meta = &rubric.meta;
    if matches!(ty, FieldType::Number(Quantity::Year)) {
        lines.push(match lang {
            Lang::Zh => format!(
                "{}：绩效评估以 {} 年为 1 个周期。",
                meta.cycle_citation, meta.cycle_years
            ),
            Lang::En => format!(
                "{}: an evaluation cycle is {} years.",
                meta.cycle_citation, meta.cycle_years
            ),
        });
    }
    for indicator in rubric.indicators.iter().filter(|i| i.metric == path) {
        let area = rubric
            .areas
            .get(indicator.area.wrapping_sub(1))
            .map(|area| area.title.get(lang).to_string())
            .unwrap_or_default();
        let (weight, zero, full) = (
            plain(indicator.weight),
            plain(indicator.zero_at),
            plain(indicator.full_at),
        );
        lines.push(match lang {
            Lang::Zh => format!(
                "{}{}{area}：本周期累计数。默认评分细则：{weight} 分，不超过 {zero} 得 0 分，达到 {full} 得满分，其间按比例。",
                meta.citation,
                area_number(indicator.area)
            ),
            Lang::En => format!(
                "{} ({}) {area}: the total over the cycle. Default rubric: {weight} points, 0 at or below {zero}, full at {full} or more, proportional between.",
                meta.citation, indicator.area
            ),
        });
        lines.push(indicator.rationale.get(lang).to_string());
    }
    for veto in rubric.vetoes.iter().filter(|v| v.metric == path) {
        lines.push(match lang {
            Lang::Zh => format!(
                "{}：填“是”则一票否决，等级为“差”。须如实填写“是”或“否”。",
                veto.citation
            ),
            Lang::En => format!(
                "{}: 是 (yes) is a veto: the grade is 差 (poor) whatever the score. State 是 or 否.",
                veto.citation
            ),
        });
        lines.push(veto.basis.get(lang).to_string());
    }
    for check in &rubric.governance {
        let (reads, what) = match &check.rule {
            GovernanceRule::Attestation { metric } => (
                metric == path,
                lang.pick("须为“是”", "must be 是 (yes)").to_string(),
            ),
            GovernanceRule::EveryYear { metric } => (
                metric == path,
                lang.pick(
                    "须覆盖周期内每一年（每年一份）",
                    "one a year, for every year of the cycle",
                )
                .to_string(),
            ),
            GovernanceRule::Matching {
                metric,
                provincial,
                provincial_default,
                lead_kind,
                ratio,
            } => {
                let ratios: Vec<String> = ratio
                    .iter()
                    .map(|(kind, ratio)| format!("{} {}:1", kind_name(kind, lang), plain(*ratio)))
                    .collect();
                (
                    metric == path || provincial == path || lead_kind == path,
                    match lang {
                        Lang::Zh => format!(
                            "配套资金与省级财政经费之比：{}；未填省级财政经费时按 {} 万元计",
                            ratios.join("，"),
                            plain(*provincial_default)
                        ),
                        Lang::En => format!(
                            "matching funds to provincial funds: {}; without the provincial funds, {} 万元 is assumed",
                            ratios.join(", "),
                            plain(*provincial_default)
                        ),
                    },
                )
            }
        };
        if reads {
            lines.push(match lang {
                Lang::Zh => format!(
                    "{}（{}）：{what}。运行管理单列检查，不影响等级。",
                    check.citation, check.title.zh
                ),
                Lang::En => format!(
                    "{} ({}): {what}. Governance is checked beside the grade, not in it.",
                    check.citation, check.title.en
                ),
            });
        }
    }
    lines
}

/// The contract targets' sheet: the center's name as the key, then the target's fields.
fn target_columns(rubric: &Rubric, lang: Lang) -> Vec<Column> {
    let acceptance = &rubric.acceptance;
    let requirement = match lang {
        Lang::Zh => format!(
            "{}：完成值达到目标值（方向为“不高于”的，不超过目标值）为达到；全部达到则估计为“通过”（{}；{}）。",
            acceptance.citation, acceptance.estimate.zh, acceptance.decided_by.zh
        ),
        Lang::En => format!(
            "{}: a target is met when the achieved value reaches it (stays at or below it, for an at-most target); all met is estimated as passed ({}; {}).",
            acceptance.citation, acceptance.estimate.en, acceptance.decided_by.en
        ),
    };
    let key = EVALUATION
        .field(EVALUATION.name_field)
        .expect("the evaluation schema names its name field");
    let mut columns = vec![Column {
        header: key.label_zh.to_string(),
        ty: key.ty,
        note: match lang {
            Lang::Zh => format!(
                "{}（{}）\n每行一个指标；中心名称须与“{EVALUATION_SHEET}”表中的一致（也可填该中心的统一社会信用代码）。",
                key.label_zh, key.path
            ),
            Lang::En => format!(
                "{} ({})\nOne target per row; the center's name as in the sheet \"{EVALUATION_SHEET}\" (or the center's unified social credit code).",
                capitalised(key.label_en),
                key.path
            ),
        },
        is_name: true,
    }];
    for item in TARGET_ITEMS {
        for field in item.fields {
            let mut lines = vec![match lang {
                Lang::Zh => format!("{}（[[{}]] {}）", field.label_zh, item.table, field.path),
                Lang::En => format!(
                    "{} ([[{}]] {})",
                    capitalised(field.label_en),
                    item.table,
                    field.path
                ),
            }];
            if field.path == "direction" {
                lines.push(
                    lang.pick(
                        "不低于（默认，留空即是）或不高于（如能耗、资产负债率）；也可直接写在目标值中，如“不高于60%”“≤0.8吨标煤/吨”。目标值不能写成区间。",
                        "at least (the default, when empty) or at most (energy intensity, debt ratio); or write it in the target value, e.g. \"不高于60%\", \"≤0.8吨标煤/吨\". A target is never a range.",
                    )
                    .to_string(),
                );
            } else if field.path == "name" {
                lines.push(
                    lang.pick(
                        "建设任务书（合同）中的指标名称。",
                        "The indicator as the construction contract names it.",
                    )
                    .to_string(),
                );
            } else {
                lines.push(
                    lang.pick(
                        "数值带单位书写，如“10件”“3000万元”；完成值与目标值的单位须相同（项、件、个视为同一单位）。",
                        "A number with its unit, e.g. \"10件\" or \"3000万元\"; the achieved value in the target's unit (项, 件 and 个 count as one).",
                    )
                    .to_string(),
                );
                lines.push(requirement.clone());
            }
            columns.push(Column {
                header: field.label_zh.to_string(),
                ty: field.ty,
                note: lines.join("\n"),
                is_name: false,
            });
        }
    }
    columns
}

fn evaluation_instructions(rubric: &Rubric, today: NaiveDate) -> Vec<Text> {
    let meta = &rubric.meta;
    let targets = TARGET_ITEMS
        .first()
        .map(|item| item.label_zh)
        .unwrap_or_default();
    vec![
        Text::new(
            "云南省技术创新中心绩效评估数据汇总表 · 填表说明",
            "Performance evaluation of Yunnan technology innovation centers · how to fill in this workbook",
        ),
        Text::new(
            format!(
                "用途：汇总已建成创新中心一个评估周期的绩效数据（{}：以 {} 年为 1 个周期），\
                 供 ticheck evaluate 按第二十三条至第二十八条评分定级、检查运行管理并估计建设期考核评估结果。",
                meta.cycle_citation, meta.cycle_years
            ),
            format!(
                "Purpose: this workbook collects built centers' performance over one evaluation cycle ({}: {} \
                 years), for ticheck evaluate to score and grade them (Arts. 23–28), check their governance and \
                 estimate the construction-period acceptance.",
                meta.cycle_citation, meta.cycle_years
            ),
        ),
        Text::new(
            format!(
                "填写位置：在“{EVALUATION_SHEET}”工作表中，每行一个中心，各项指标填本周期累计数；\
                 建设任务书（合同）的指标填在“{targets}”工作表，每行一个指标，以中心名称与评估数据对应。\
                 请勿修改列名。"
            ),
            format!(
                "Where: in the sheet \"{EVALUATION_SHEET}\", one center per row, each indicator the total over \
                 the cycle; the construction contract's targets go in the sheet \"{targets}\", one target per \
                 row, keyed by the center's name. Do not change the column names."
            ),
        ),
        Text::new(
            "单位：金额以万元计，也可写“1.2亿元”“3500000元”；数量填整数；建设任务书指标的目标值和完成值带单位书写，\
             如“10件”“3000万元”。",
            "Units: money in 万元, or written with its unit (\"1.2亿元\", \"3500000元\"); counts as whole \
             numbers; contract targets with their unit, e.g. \"10件\" or \"3000万元\".",
        ),
        Text::new(
            "不知道或没有的数据请留空，不要填 0：未填写的指标不按 0 计，缺少的指标使总分成为一个区间，\
             等级在区间两端一致时才给出。一票否决项（科研失信、重大安全事故、未参加评估）须如实选择“是”或“否”。",
            "Leave unknown figures empty, never 0: a missing indicator is not scored as 0, it makes the total \
             a range, and a grade is given only when both ends agree. State every veto (misconduct, a major \
             safety incident, skipping the evaluation) as 是 or 否.",
        ),
        Text::new(
            "每个列名都带有批注（鼠标移到列名上即可查看）：该列的单位、所属评估内容及默认评分细则的计分方法。",
            "Every column name carries a note (hover over it): the unit, the area of Art. 25 it belongs to and \
             how the default rubric scores it.",
        ),
        Text::new(meta.notice.zh.clone(), meta.notice.en.clone()),
        Text::new(
            "检查：填好后运行 ticheck evaluate 本工作簿.xlsx（每行一个中心，各得一个结果；写出结果工作簿：-o 结果.xlsx）。\
             合同指标也可另存一个文件，用 --targets 指定。",
            "Check: once filled in, run ticheck evaluate this-workbook.xlsx (one result per center row; a results \
             workbook with -o results.xlsx). The contract targets may also be a file of their own, given with --targets.",
        ),
        generated(today),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(lang: Lang) -> Settings<'static> {
        Settings {
            lang,
            today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            section_order: &[
                "applicant",
                "finance",
                "team",
                "facilities",
                "rnd_spend",
                "record",
                "support",
            ],
        }
    }

    #[test]
    fn the_year_columns_are_the_two_years_before_the_application_year() {
        let rulebook = Rulebook::builtin();
        assert_eq!(series_years(&rulebook, "rnd_spend", 2026), [2024, 2025]);
        let columns = applicant_columns(&rulebook, 2026, &settings(Lang::Zh));
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        let at = |header: &str| headers.iter().position(|h| *h == header).unwrap();
        assert_eq!(at("2024年研发经费") + 1, at("2025年研发经费"));
        // In the template's order: after the facilities, before the record.
        assert!(at("仪器设备原值") < at("2024年研发经费"));
        assert!(at("2025年研发经费") < at("国家级项目"));
        assert_eq!(headers[0], "单位名称");
    }

    #[test]
    fn every_field_of_the_registry_is_a_column_once() {
        let rulebook = Rulebook::builtin();
        let columns = applicant_columns(&rulebook, 2026, &settings(Lang::En));
        for field in APPLICATION.fields {
            assert_eq!(
                columns
                    .iter()
                    .filter(|c| c.header == field.label_zh)
                    .count(),
                1,
                "{}",
                field.path
            );
        }
        assert_eq!(columns.len(), APPLICATION.fields.len() + 2);
    }

    /// Notes come from the rulebook: the floor area's states Art. 10(四)'s bound, the R&D
    /// spend's the window's years, the summary counts the rulebook's reading.
    #[test]
    fn notes_state_the_unit_and_the_rulebooks_requirement() {
        let rulebook = Rulebook::builtin();
        let columns = applicant_columns(&rulebook, 2026, &settings(Lang::Zh));
        let note = |header: &str| {
            columns
                .iter()
                .find(|c| c.header == header)
                .map(|c| c.note.clone())
                .unwrap()
        };
        let area = note("研发场地面积");
        assert!(area.contains("单位：平方米"), "{area}");
        assert!(area.contains("第十条第（四）项"), "{area}");
        assert!(area.contains("1500 m²"), "{area}");
        let spend = note("2025年研发经费");
        assert!(spend.contains("每年 ≥ 1000 万元"), "{spend}");
        assert!(spend.contains("2024–2025 年"), "{spend}");
        let standards = note("行业标准");
        assert!(
            standards.contains("地方标准、团体标准不计入"),
            "{standards}"
        );
        let ratio = note("资产负债率");
        assert!(
            ratio.contains("< 70%") && ratio.contains("仅适用于企业"),
            "{ratio}"
        );
        let year = note("财务数据年度");
        assert!(year.contains("2025 年"), "{year}");
        let kind = note("单位类型");
        assert!(
            kind.contains("仅适用于企业") && kind.contains("仅适用于高校"),
            "{kind}"
        );
        let matching = note("配套资金");
        assert!(matching.contains("建议性"), "{matching}");
        let english = applicant_columns(&rulebook, 2026, &settings(Lang::En));
        let area = &english
            .iter()
            .find(|c| c.header == "研发场地面积")
            .unwrap()
            .note;
        assert!(
            area.contains("Unit: square metres") && area.contains("≥ 1500 m²"),
            "{area}"
        );
    }

    #[test]
    fn evaluation_notes_come_from_the_rubric() {
        let rubric = Rubric::builtin();
        let columns = evaluation_columns(&rubric, Lang::Zh);
        let note = |header: &str| {
            columns
                .iter()
                .find(|c| c.header == header)
                .map(|c| c.note.clone())
                .unwrap()
        };
        let patents = note("授权发明专利");
        assert!(
            patents.contains("第二十五条（二）解决核心关键技术"),
            "{patents}"
        );
        assert!(
            patents.contains("12 分") && patents.contains("达到 15 得满分"),
            "{patents}"
        );
        let skipped = note("未参加或中途退出评估");
        assert!(skipped.contains("第二十六条第（三）项") && skipped.contains("一票否决"));
        let kind = note("建设主体类型");
        assert!(kind.contains("企业 3:1"), "{kind}");
        let targets = target_columns(&rubric, Lang::Zh);
        assert_eq!(
            targets
                .iter()
                .map(|c| c.header.as_str())
                .collect::<Vec<_>>(),
            ["中心名称", "指标", "目标值", "完成值", "方向"]
        );
    }

    #[test]
    fn lists_fit_excels_limit_and_workbooks_are_written() {
        for which in [Which::Applicant, Which::Evaluation] {
            for lang in [Lang::Zh, Lang::En] {
                let bytes = workbook(which, &settings(lang)).unwrap();
                assert!(bytes.starts_with(b"PK"), "{which:?} {lang:?}");
            }
        }
    }

    #[test]
    fn choice_words_are_the_chinese_the_loader_reads() {
        let words: Vec<String> = crate::profile::fields::APPLICANT_KINDS
            .iter()
            .map(choice_word)
            .collect();
        assert_eq!(words, ["企业", "高校", "科研院所", "技术机构"]);
    }

    #[test]
    fn the_forms_item_tables_are_the_registrys_with_the_clauses_that_count_them() {
        let rulebook = Rulebook::builtin();
        let items = applicant_form_items(&rulebook, 2024, Lang::Zh);
        let tables: Vec<&str> = items.iter().map(|items| items.table).collect();
        assert_eq!(tables, ["project", "standard", "ip", "transfer"]);
        let transfer = &items[3];
        assert_eq!(transfer.label, "成果转化（逐项列出）");
        let keys: Vec<&str> = transfer.columns.iter().map(|column| column.0).collect();
        assert_eq!(keys, ["name", "year", "benefit"]);
        // Counted (A10.5.transfers) and summed (A10.5.benefit, `[[transfer]].benefit`).
        assert!(transfer.clauses.contains(&"A10.5.transfers".to_string()));
        assert!(transfer.clauses.contains(&"A10.5.benefit".to_string()));
        assert!(transfer.note.contains("2024 年申报即"), "{}", transfer.note);
    }

    #[test]
    fn a_year_outside_the_window_is_still_a_field_of_the_form() {
        let rulebook = Rulebook::builtin();
        let field = series_form_field(&rulebook, "rnd_spend.2019", 2024, Lang::Zh).unwrap();
        assert_eq!(field.label, "2019年研发经费");
        assert_eq!(field.section, "rnd_spend");
        assert!(field.clauses.contains(&"A10.4.rnd-spend".to_string()));
        assert!(series_form_field(&rulebook, "rnd_spend.20x9", 2024, Lang::Zh).is_none());
        assert!(series_form_field(&rulebook, "finance.debt_ratio", 2024, Lang::Zh).is_none());
        // The form's note links to the law instead of naming the command.
        let form = applicant_form(&rulebook, 2024, Lang::Zh);
        assert!(form
            .iter()
            .all(|field| !field.note.contains("ticheck explain")));
    }
}
