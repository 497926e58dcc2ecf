//! Spreadsheets: one applicant per row (SPEC §4), as bureaus keep them in Excel.
//!
//! The header row names the fields by their dotted path (`facilities.rnd_floor_area`,
//! `rnd_spend.2023`) or by their Chinese label (`研发场地面积`, `2023年研发经费`). Each data row
//! becomes a [`Profile`] through the same field registry as TOML; an empty cell is an absent
//! fact, never zero. Readers ([`csv`], [`xlsx`]) yield raw rows; turning a row into a profile
//! is left to [`Columns::profile`] so that it can run on any thread.
//!
//! Sheets come from Excel and WPS, not from programs (SPEC §7), and are read as they are: the
//! header is the first row that names known fields (title rows above it are passed over); a
//! header may carry its unit (`仪器设备原值【元】`: a bare number of the column is in 元) or use
//! a synonym (`2023年度研发投入`); columns common in such sheets that name no field (序号,
//! 备注…) are read past; empty and totals (合计) rows are skipped; placeholder cells (`/`,
//! `—`, `未填`…) are missing data; the same applicant twice is a warning on both rows. What is
//! ignored or skipped is said once per sheet ([`Columns::notes`]). The word lists are tables in
//! `header.rs`.

pub mod csv;
pub mod duplicates;
pub mod encoding;
mod header;
// The sheet tolerances, for the evaluation round's reader (`crate::profile::evaluation_sheet`).
pub use header::{is_placeholder, normalise_header, split_brackets, totals_word};
mod keyscan;
pub mod merged;
pub mod xlsx;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::fields::{self, FieldDef, FieldType, Raw, SeriesDef};
use super::value::{excerpt, fold_width, trim};
use super::{ColumnName, InvalidProfile, Located, Location, Problem, Problems, Profile};
use crate::i18n::Text;
use header::Resolved;
pub use header::{
    HeaderUnit, HEADER_SYNONYMS, HEADER_UNITS, IGNORED_HEADERS, INSTRUCTION_SHEETS, PLACEHOLDERS,
    SERIES_SYNONYMS, TOTALS,
};

/// A cell as a reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell, written as its shortest exact decimal text.
    Number(String),
    Bool(bool),
    Date(NaiveDate),
    /// A date with a time of day, or a duration: never a valid profile value.
    DateTime(String),
    /// A formula error such as `#DIV/0!`.
    Error(String),
    /// Bytes that are not valid text in the file's encoding (named).
    Undecodable(&'static str),
    /// A cell the first reading of a workbook passes over (not a key column): something is
    /// there, not read.
    Unread,
}

impl Cell {
    /// The cell as header text.
    fn header_text(&self) -> String {
        match self {
            Cell::Text(text) | Cell::Number(text) | Cell::DateTime(text) | Cell::Error(text) => {
                text.clone()
            }
            Cell::Bool(flag) => flag.to_string(),
            Cell::Date(date) => date.to_string(),
            Cell::Empty | Cell::Undecodable(_) | Cell::Unread => String::new(),
        }
    }
}

/// A data row before its cells are typed.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// The row number as the spreadsheet shows it (the header is usually row 1).
    pub number: usize,
    pub cells: RowCells,
}

#[derive(Debug, Clone)]
pub enum RowCells {
    /// CSV fields as bytes, decoded with the file's encoding when the row is typed.
    Csv(::csv::ByteRecord, encoding::TextEncoding),
    Cells(Vec<Cell>),
}

impl RowCells {
    fn len(&self) -> usize {
        match self {
            RowCells::Csv(record, _) => record.len(),
            RowCells::Cells(cells) => cells.len(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Column {
    /// A field of the registry, and its position there.
    Field(&'static FieldDef, usize),
    Series(&'static SeriesDef, i32),
    /// A column with an empty header: it must stay empty.
    Unnamed,
    /// A column that names no field but is common in such sheets (序号, 备注…): read past.
    Ignored,
}

/// Why a row was not checked as an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    /// Rows with nothing in them (or only placeholders, or only ignored columns such as 序号).
    Empty,
    /// A totals row, with the word that marks it (合计).
    Totals(&'static str),
    /// A signature line under the table (填表人：李四, 审核人：王五…).
    Footer,
    /// The header again (after a page break, or pasted from another sheet).
    Header,
    /// The headers' units on a row of their own under the header (万元, m², %).
    Units,
    /// Text in a few columns (单位类型 = 企业 on a pre-numbered template row) but no name, no
    /// USCC and no number: no applicant to check.
    NoApplicant,
}

impl Skip {
    /// The reason as a JSON word.
    fn word(self) -> &'static str {
        match self {
            Skip::Empty => "empty",
            Skip::Totals(_) => "totals",
            Skip::Footer => "footer",
            Skip::Header => "header",
            Skip::Units => "units",
            Skip::NoApplicant => "no_applicant",
        }
    }

    fn why(self) -> Text {
        match self {
            Skip::Empty => Text::new("空行", "empty"),
            Skip::Totals(word) => Text::new(format!("{word}行"), format!("totals: {word}")),
            Skip::Footer => Text::new("表尾签字行", "signature line"),
            Skip::Header => Text::new("重复的表头行", "the header repeated"),
            Skip::Units => Text::new("单位行", "units row"),
            Skip::NoApplicant => Text::new(
                "无单位名称、统一社会信用代码和任何数值",
                "no name, no USCC and no number",
            ),
        }
    }
}

/// Rows skipped, as runs of row numbers.
#[derive(Debug, Default)]
struct Skipped {
    runs: Vec<(usize, usize, Skip)>,
    /// Rows past the runs kept, counted only.
    more: usize,
}

/// Runs of skipped rows kept for the note; past them the rows are counted.
const SKIPPED_RUNS: usize = 200;
/// Runs of skipped rows a note lists.
const SKIPPED_SHOWN: usize = 20;

impl Skipped {
    fn add(&mut self, first: usize, last: usize, why: Skip) {
        if let Some((_, end, kind)) = self.runs.last_mut() {
            // Runs of one kind are told once; a 合计 row is told by its own word.
            if *kind == why && *end + 1 == first && !matches!(why, Skip::Totals(_)) {
                *end = last;
                return;
            }
        }
        if self.runs.len() < SKIPPED_RUNS {
            self.runs.push((first, last, why));
        } else {
            self.more += last - first + 1;
        }
    }
}

/// Merged ranges whose value was filled into the cells they cover, for the note.
#[derive(Debug, Default, Clone)]
struct MergedNote {
    ranges: Vec<MergedRange>,
    /// Ranges past those kept, counted only.
    more: usize,
}

#[derive(Debug, Clone)]
struct MergedRange {
    /// `E5:E8`.
    range: String,
    /// The header of the range's first column, when it has one.
    header: Option<String>,
}

/// Merged ranges kept for the note, and listed by it.
const MERGED_KEPT: usize = 200;
const MERGED_SHOWN: usize = 20;

/// Something said once about a sheet as a whole (SPEC §7): printed on standard error and
/// carried by the reports that keep a batch's context (JSON `sheet_notes`, the results
/// workbook, Markdown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetNote {
    /// The file, as messages name it.
    pub file: String,
    pub kind: SheetNoteKind,
    /// What the note says, without the file.
    pub text: Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetNoteKind {
    /// The worksheet read, when it is not the first (the ones before it hold no applicants).
    Worksheet(String),
    /// The columns read past, as `A 序号`.
    IgnoredColumns(Vec<String>),
    /// Merged ranges filled into the cells they cover (`E5:E8`, up to the kept ones), and how
    /// many there were in all.
    MergedCells { ranges: Vec<String>, count: usize },
    /// How many rows were skipped, and the runs of them (up to the kept ones).
    SkippedRows { rows: usize, runs: Vec<SkippedRun> },
}

impl SheetNoteKind {
    /// The kind as a JSON word.
    pub fn word(&self) -> &'static str {
        match self {
            SheetNoteKind::Worksheet(_) => "worksheet",
            SheetNoteKind::IgnoredColumns(_) => "ignored_columns",
            SheetNoteKind::MergedCells { .. } => "merged_cells",
            SheetNoteKind::SkippedRows { .. } => "skipped_rows",
        }
    }
}

/// Rows skipped together: empty ones, or a totals row with the word that marks it (合计).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkippedRun {
    pub first: usize,
    pub last: usize,
    pub totals: Option<&'static str>,
    /// Why the rows were skipped, as a JSON word: `empty`, `totals`, `footer`, `header`,
    /// `units`, `no_applicant`.
    pub reason: &'static str,
}

impl SheetNote {
    /// `file.csv：…` / `file.csv: …`, as standard error says it.
    pub fn line(&self) -> Text {
        Text::new(
            format!("{}：{}", self.file, self.text.zh),
            format!("{}: {}", self.file, self.text.en),
        )
    }
}

/// Warnings of single rows that only the whole sheet shows (the same applicant twice), by row
/// number: put here by the reader before it hands the row on.
#[derive(Debug, Default)]
struct RowWarnings {
    any: AtomicBool,
    rows: Mutex<HashMap<usize, Vec<Text>>>,
}

/// The resolved header of a sheet.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The file, for `source` (`file.csv:3`) and messages.
    pub file: String,
    columns: Vec<Column>,
    /// What a bare number of each column is read with, when its header gives a unit other than
    /// the field's own (`元`: 23500000 is 2350 万元; `%`: 58.2 is 58.2%).
    bare_units: Vec<Option<&'static str>>,
    /// `Q 研发场地面积` per column, shared by every location that points into the column.
    labels: Vec<ColumnName>,
    /// Each field's header as the sheet writes it, for naming the fields a row lacks.
    headers: Arc<BTreeMap<String, String>>,
    /// The columns read past (序号, 备注…), as `A 序号`.
    ignored: Vec<String>,
    /// Where the name and the USCC are: totals rows and duplicates are told by them.
    name_column: Option<usize>,
    /// What a non-empty cell of each column tells of its row: whether it makes the row an
    /// applicant's (a name, a USCC, a number) or not alone (a type, a yes/no, a date).
    strength: Arc<[Strength]>,
    /// The header's cells, trimmed and normalised, for telling the header repeated below.
    header_cells: Arc<[(String, String)]>,
    uscc_column: Option<usize>,
    /// Rows not checked, filled in as the rows are read.
    skipped: Arc<Mutex<Skipped>>,
    row_warnings: Arc<RowWarnings>,
    /// Which worksheet was read, when it was not simply the first, and what to say of it.
    sheet_note: Option<(String, Text)>,
    /// Merged ranges filled in, as the rows are read (workbooks only).
    merged: Arc<Mutex<MergedNote>>,
}

/// What a row is, before it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Data,
    Empty,
    Skipped(Skip),
}

/// What a non-empty cell of a column tells of its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// A column read past (序号, 备注).
    Ignored,
    /// A type, a prefecture, a yes/no or a date: alone they make no applicant (a template row
    /// pre-filled with 单位类型 = 企业).
    Weak,
    /// A name, a USCC, a number, or a column without header (whose value is an error).
    Strong,
}

/// The first characters that may begin a footer label or a unit cell (and the brackets a
/// unit may come in): the cheap test that spares most rows the full one.
const SPECIAL_STARTS: &[char] = &[
    '填', '制', '审', '复', '经', '负', '单', '主', '分', '联', '电', '手', '日', '盖', '签', '万',
    '元', '人', '千', '亿', '平', '百', '名', '项', '个', '家', '件', '㎡', '(', '（', '[', '【',
    '〔', '<', 'm', 'M', 'ｍ', 'Ｍ', '%', '％',
];

/// A character's UTF-8 bytes packed in a `u32`, for comparing a cell's first character with
/// [`SPECIAL_STARTS`] without decoding it or calling `memcmp`: this runs on every row.
const fn utf8_key(c: char) -> u32 {
    let code = c as u32;
    if code < 0x80 {
        code
    } else if code < 0x800 {
        ((0xC0 | (code >> 6)) << 8) | (0x80 | (code & 0x3F))
    } else if code < 0x10000 {
        ((0xE0 | (code >> 12)) << 16)
            | ((0x80 | ((code >> 6) & 0x3F)) << 8)
            | (0x80 | (code & 0x3F))
    } else {
        ((0xF0 | (code >> 18)) << 24)
            | ((0x80 | ((code >> 12) & 0x3F)) << 16)
            | ((0x80 | ((code >> 6) & 0x3F)) << 8)
            | (0x80 | (code & 0x3F))
    }
}

const SPECIAL_KEYS: [u32; SPECIAL_STARTS.len()] = {
    let mut keys = [0u32; SPECIAL_STARTS.len()];
    let mut index = 0;
    while index < SPECIAL_STARTS.len() {
        keys[index] = utf8_key(SPECIAL_STARTS[index]);
        index += 1;
    }
    keys
};

/// The first character of some UTF-8 bytes, packed as [`utf8_key`] packs it.
fn first_key(bytes: &[u8]) -> Option<u32> {
    let first = *bytes.first()?;
    let len = match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let bytes = bytes.get(..len)?;
    Some(bytes.iter().fold(0u32, |key, b| (key << 8) | u32::from(*b)))
}

/// A row's cells as classification reads them: a CSV field is decoded only when its bytes
/// may be what is looked for (a 合计, a placeholder, a name).
enum RowView<'r> {
    Csv(&'r ::csv::ByteRecord, encoding::TextEncoding),
    Cells(&'r [Cell]),
}

impl<'r> RowView<'r> {
    fn of(row: &'r RawRow) -> RowView<'r> {
        match &row.cells {
            RowCells::Csv(record, encoding) => RowView::Csv(record, *encoding),
            RowCells::Cells(cells) => RowView::Cells(cells),
        }
    }

    fn len(&self) -> usize {
        match self {
            RowView::Csv(record, _) => record.len(),
            RowView::Cells(cells) => cells.len(),
        }
    }

    fn cell(&self, index: usize) -> CellView<'r> {
        match self {
            RowView::Csv(record, encoding) => match record.get(index) {
                Some(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => {
                    CellView::Bytes(bytes, *encoding)
                }
                _ => CellView::Empty,
            },
            RowView::Cells(cells) => match cells.get(index) {
                None | Some(Cell::Empty) => CellView::Empty,
                Some(Cell::Text(text)) if trim(text).is_empty() => CellView::Empty,
                Some(Cell::Text(text)) => CellView::Text(text),
                Some(Cell::Unread) => CellView::Unread,
                Some(_) => CellView::Other,
            },
        }
    }
}

/// A non-empty cell as row classification sees it.
enum CellView<'r> {
    Empty,
    /// A CSV field, not yet decoded.
    Bytes(&'r [u8], encoding::TextEncoding),
    Text(&'r str),
    /// Something that is no text: a number of a workbook, a date, an error.
    Other,
    /// A cell the first reading of a workbook does not read.
    Unread,
}

impl<'r> CellView<'r> {
    /// The cell's text; `None` for no text, or bytes that are not text in their encoding.
    fn text(&self) -> Option<Cow<'r, str>> {
        match self {
            CellView::Bytes(bytes, encoding) => encoding.decode(bytes),
            CellView::Text(text) => Some(Cow::Borrowed(text)),
            CellView::Empty | CellView::Other | CellView::Unread => None,
        }
    }

    /// Whether the cell may begin a footer, a units row or the header repeated: it starts
    /// with one of [`SPECIAL_STARTS`] or is the header's own cell (`header`, trimmed). Most
    /// rows begin with a number (序号) or a name, and are ruled out here.
    fn may_be_special(&self, header: Option<&str>) -> bool {
        let starts = |text: &[u8]| {
            // The header's own cell; else a digit (序号, a figure) begins none of them, and
            // most rows end here.
            header.is_some_and(|header| !header.is_empty() && text == header.as_bytes())
                || (!text.first().is_some_and(u8::is_ascii_digit)
                    && first_key(text).is_some_and(|key| SPECIAL_KEYS.contains(&key)))
        };
        match self {
            CellView::Bytes(bytes, encoding::TextEncoding::Utf8) => {
                let start = bytes
                    .iter()
                    .position(|b| !b.is_ascii_whitespace())
                    .unwrap_or(bytes.len());
                let end = bytes
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                    .map_or(start, |end| end + 1);
                let text = &bytes[start..end.max(start)];
                starts(text)
            }
            // Another encoding: a number (序号) is ruled out before the cell is decoded.
            CellView::Bytes(bytes, _)
                if bytes
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(u8::is_ascii_digit) =>
            {
                false
            }
            CellView::Bytes(..) | CellView::Text(_) => self
                .text()
                .is_some_and(|text| starts(trim(&text).as_bytes())),
            CellView::Empty | CellView::Other | CellView::Unread => false,
        }
    }

    /// Whether the cell may say 合计: it holds 计 or 汇, or an `o` or `s` of `total`, `sum`
    /// (ASCII, or a full-width form, which begins with byte EF). A USCC has neither letter
    /// (GB 32100 leaves out I, O, S, V, Z), so the code column is ruled out undecoded.
    fn may_be_totals(&self) -> bool {
        match self {
            CellView::Bytes(bytes, encoding::TextEncoding::Utf8) => {
                const JI: &[u8] = "计".as_bytes();
                const HUI: &[u8] = "汇".as_bytes();
                bytes.len() <= 60
                    && (ByteClass::of(bytes).may_be_totals_word()
                        || memchr::memchr2_iter(JI[0], HUI[0], bytes)
                            .any(|at| bytes[at..].starts_with(JI) || bytes[at..].starts_with(HUI)))
            }
            CellView::Bytes(..) | CellView::Text(_) => true,
            CellView::Empty | CellView::Other | CellView::Unread => false,
        }
    }

    /// Whether the cell may be a placeholder: short, and not a number.
    fn may_be_placeholder(&self) -> bool {
        match self {
            // Not a number, nor the many Chinese characters that begin none (lead bytes E4,
            // E5, E8, E9: see header::is_placeholder).
            CellView::Bytes(bytes, _) => {
                let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
                bytes.len() <= 2 * header::PLACEHOLDER_MAX_BYTES
                    && start.is_some_and(|start| {
                        !matches!(bytes[start], b'0'..=b'9' | 0xE4 | 0xE5 | 0xE8 | 0xE9)
                    })
            }
            CellView::Text(_) => true,
            CellView::Empty | CellView::Other | CellView::Unread => false,
        }
    }

    /// Whether the cell is a placeholder (`/`, `—`, `未填`).
    fn is_placeholder(&self) -> bool {
        self.may_be_placeholder()
            && self
                .text()
                .is_some_and(|text| header::is_placeholder(&text))
    }
}

/// What one header resolves to, for tests: a field or a year of a year table, an unnamed or
/// ignored column, or `None` for a header that is an error.
#[cfg(test)]
fn resolve(header: &str) -> Option<Column> {
    match header::resolve_header(header) {
        Resolved::Column(column, _) => Some(column),
        Resolved::Unnamed => Some(Column::Unnamed),
        Resolved::Ignored => Some(Column::Ignored),
        Resolved::FieldProblem(_) | Resolved::Unknown(_) => None,
    }
}

fn header_problem(zh: String, en: String) -> Problem {
    Problem {
        at: None,
        field: None,
        message: Text::new(zh, en),
    }
}

impl Columns {
    /// Resolves a header row; unknown and duplicate headers are errors naming them, with a
    /// suggestion, so that a misspelt column never silently drops a fact for every row. Columns
    /// common in bureau sheets that name no field (序号, 备注…) are read past.
    pub fn resolve(
        file: &str,
        header: &[String],
        header_row: usize,
    ) -> Result<Columns, InvalidProfile> {
        let mut columns = Vec::with_capacity(header.len());
        let mut bare_units = Vec::with_capacity(header.len());
        let mut ignored = Vec::new();
        let mut problems = Problems::default();
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (index, name) in header.iter().enumerate() {
            let at = Some(Location::Cell {
                row: header_row,
                column: ColumnName::from(column_letter(index).as_str()),
            });
            let (column, bare) = match header::resolve_header(name) {
                Resolved::Column(column, bare) => (column, bare),
                Resolved::Unnamed => (Column::Unnamed, None),
                Resolved::Ignored => {
                    ignored.push(format!("{} {}", column_letter(index), excerpt(name)));
                    (Column::Ignored, None)
                }
                Resolved::FieldProblem(message) => {
                    problems.push(Problem {
                        at: at.clone(),
                        field: None,
                        message,
                    });
                    (Column::Unnamed, None)
                }
                Resolved::Unknown(year) => {
                    problems.push_with(at.clone(), || Problem {
                        at: at.clone(),
                        field: None,
                        message: header::unknown_message(name, year),
                    });
                    (Column::Unnamed, None)
                }
            };
            if let Some(key) = column_path(&column) {
                if let Some(first) = seen.insert(key.clone(), name) {
                    problems.push(Problem {
                        at,
                        field: Some(key.clone()),
                        message: Text::new(
                            format!(
                                "列“{}”与列“{}”都是 {key}，请删去其一",
                                excerpt(name),
                                excerpt(first)
                            ),
                            format!(
                                "the columns '{}' and '{}' both give {key}; keep one",
                                excerpt(name),
                                excerpt(first)
                            ),
                        ),
                    });
                }
            }
            columns.push(column);
            bare_units.push(bare);
        }
        let names_a_field = columns
            .iter()
            .any(|c| matches!(c, Column::Field(..) | Column::Series(..)));
        if !names_a_field && problems.is_empty() {
            problems.push(if ignored.is_empty() {
                header_problem(
                    "表头为空：第一行应为列名".to_string(),
                    "the header row is empty: the first row must name the columns".to_string(),
                )
            } else {
                header_problem(
                    format!(
                        "表头（第 {header_row} 行）没有一列是申报数据：列名应为字段路径（如 facilities.rnd_floor_area）或中文列名（如 研发场地面积），见 ticheck init"
                    ),
                    format!(
                        "the header (row {header_row}) names no field: headers are field paths (facilities.rnd_floor_area) or their Chinese labels (研发场地面积)"
                    ),
                )
            });
        }
        if !problems.is_empty() {
            return Err(InvalidProfile {
                source: file.to_string(),
                applicant: None,
                problems: problems.into_vec(),
                text: None,
            });
        }
        let labels = header
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let name = name.trim().trim_start_matches('\u{FEFF}');
                if name.is_empty() {
                    ColumnName::from(column_letter(index).as_str())
                } else {
                    ColumnName::from(format!("{} {}", column_letter(index), excerpt(name)).as_str())
                }
            })
            .collect();
        let headers = header
            .iter()
            .zip(&columns)
            .filter_map(|(name, column)| {
                let path = column_path(column)?;
                Some((path, name.trim().trim_start_matches('\u{FEFF}').to_string()))
            })
            .collect();
        let strength = columns
            .iter()
            .map(|column| match column {
                Column::Ignored => Strength::Ignored,
                Column::Field(field, _) => match field.ty {
                    FieldType::Text if field.path == "applicant.name" => Strength::Strong,
                    FieldType::Uscc | FieldType::Number(_) => Strength::Strong,
                    _ => Strength::Weak,
                },
                Column::Series(..) | Column::Unnamed => Strength::Strong,
            })
            .collect();
        let header_cells = header
            .iter()
            .map(|name| {
                let trimmed = trim(name.trim_start_matches('\u{FEFF}')).to_string();
                let normalised = header::normalise_header(&trimmed);
                (trimmed, normalised)
            })
            .collect();
        let position = |path: &str| {
            columns
                .iter()
                .position(|c| matches!(c, Column::Field(field, _) if field.path == path))
        };
        Ok(Columns {
            file: file.to_string(),
            name_column: position("applicant.name"),
            uscc_column: position("applicant.uscc"),
            strength,
            header_cells,
            columns,
            bare_units,
            labels,
            headers: Arc::new(headers),
            ignored,
            skipped: Arc::default(),
            row_warnings: Arc::default(),
            sheet_note: None,
            merged: Arc::default(),
        })
    }

    /// `Q 研发场地面积`: the column letter and its header, as messages name a column.
    fn column_label(&self, index: usize) -> ColumnName {
        match self.labels.get(index) {
            Some(label) => *label,
            None => ColumnName::from(column_letter(index).as_str()),
        }
    }

    /// What a reader says once about the sheet, after its rows (SPEC §7): the worksheet read,
    /// the columns ignored, the merged cells filled and the rows skipped, each naming the file,
    /// as standard error prints them.
    pub fn notes(&self) -> Vec<Text> {
        self.sheet_notes().iter().map(SheetNote::line).collect()
    }

    /// The notes of [`Columns::notes`] as data, for the reports that carry them (JSON, the
    /// results workbook, Markdown): a bureau keeps the report, not the terminal's output.
    pub fn sheet_notes(&self) -> Vec<SheetNote> {
        let file = &self.file;
        let note = |kind, text| SheetNote {
            file: file.clone(),
            kind,
            text,
        };
        let mut notes = Vec::new();
        if let Some((name, text)) = &self.sheet_note {
            notes.push(note(SheetNoteKind::Worksheet(name.clone()), text.clone()));
        }
        if !self.ignored.is_empty() {
            notes.push(note(
                SheetNoteKind::IgnoredColumns(self.ignored.clone()),
                Text::new(
                    format!(
                        "已忽略的列（不是申报条件所需的数据）：{}",
                        self.ignored.join("、")
                    ),
                    format!(
                        "columns ignored (they give no field of the profile): {}",
                        self.ignored.join(", ")
                    ),
                ),
            ));
        }
        let merged = self
            .merged
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        if !merged.ranges.is_empty() {
            let shown = &merged.ranges[..merged.ranges.len().min(MERGED_SHOWN)];
            let count = merged.ranges.len() + merged.more;
            let (more_zh, more_en) = match count - shown.len() {
                0 => (String::new(), String::new()),
                more => (format!("，另有 {more} 处"), format!(", and {more} more")),
            };
            let label = |range: &MergedRange, open: &str, close: &str| match &range.header {
                Some(header) => format!("{}{open}{header}{close}", range.range),
                None => range.range.clone(),
            };
            notes.push(note(
                SheetNoteKind::MergedCells {
                    ranges: merged.ranges.iter().map(|r| r.range.clone()).collect(),
                    count,
                },
                Text::new(
                    format!(
                        "合并单元格的值已填入其覆盖的每一行（Excel 只在左上角单元格存值）：{}{more_zh}",
                        shown
                            .iter()
                            .map(|range| label(range, "（", "）"))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                    format!(
                        "merged cells filled into every row they cover (Excel keeps the value in the top-left cell only): {}{more_en}",
                        shown
                            .iter()
                            .map(|range| label(range, " (", ")"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            ));
        }
        let skipped = self
            .skipped
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !skipped.runs.is_empty() {
            let shown = &skipped.runs[..skipped.runs.len().min(SKIPPED_SHOWN)];
            let rows: usize = skipped
                .runs
                .iter()
                .map(|(a, b, _)| b - a + 1)
                .sum::<usize>()
                + skipped.more;
            let listed_rows: usize = shown.iter().map(|(a, b, _)| b - a + 1).sum();
            let zh: Vec<String> = shown
                .iter()
                .map(|(first, last, why)| {
                    let rows = if first == last {
                        format!("第 {first} 行")
                    } else {
                        format!("第 {first}–{last} 行")
                    };
                    format!("{rows}（{}）", why.why().zh)
                })
                .collect();
            let en: Vec<String> = shown
                .iter()
                .map(|(first, last, why)| {
                    let rows = if first == last {
                        format!("row {first}")
                    } else {
                        format!("rows {first}–{last}")
                    };
                    format!("{rows} ({})", why.why().en)
                })
                .collect();
            let (more_zh, more_en) = match rows - listed_rows {
                0 => (String::new(), String::new()),
                more => (format!("，另有 {more} 行"), format!(", and {more} more")),
            };
            notes.push(note(
                SheetNoteKind::SkippedRows {
                    rows,
                    runs: skipped
                        .runs
                        .iter()
                        .map(|&(first, last, why)| SkippedRun {
                            first,
                            last,
                            totals: match why {
                                Skip::Totals(word) => Some(word),
                                _ => None,
                            },
                            reason: why.word(),
                        })
                        .collect(),
                },
                Text::new(
                    format!(
                        "已跳过 {rows} 行，不作为申报单位检查：{}{more_zh}",
                        zh.join("、")
                    ),
                    format!(
                        "{rows} row{} skipped, not checked as applicants: {}{more_en}",
                        if rows == 1 { "" } else { "s" },
                        en.join(", ")
                    ),
                ),
            ));
        }
        notes
    }

    /// The warnings the whole sheet gives a row (the same applicant twice, a figure filled in
    /// from a merged cell above), once.
    pub fn row_warnings(&self, row: usize) -> Vec<Text> {
        if !self.row_warnings.any.load(Ordering::Acquire) {
            return Vec::new();
        }
        self.row_warnings
            .rows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&row)
            .unwrap_or_default()
    }

    fn warn_row(&self, row: usize, warning: Text) {
        self.row_warnings
            .rows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(row)
            .or_default()
            .push(warning);
        self.row_warnings.any.store(true, Ordering::Release);
    }

    /// The warning for a row that a merged range of a figure's column (仪器设备原值 merged over
    /// two applicants' rows) was filled into: the figure is the top row's, and one applicant's
    /// amount is rarely another's. A word filled down (所在州市, 单位类型) is what merging is
    /// for, and needs none.
    fn merged_figure(&self, region: &merged::Region) -> Option<Text> {
        let column = (region.left..=region.right).find(|index| {
            matches!(
                self.columns.get(*index),
                Some(
                    Column::Field(
                        FieldDef {
                            ty: FieldType::Number(_),
                            ..
                        },
                        _
                    ) | Column::Series(..)
                )
            )
        })?;
        let label = self.column_label(column);
        let range = region.name();
        let top = region.top;
        Some(Text::new(
            format!("“{label}”列的值来自合并单元格 {range}，是第 {top} 行的值；请核对此行是否确为同一数值"),
            format!("the value of '{label}' comes from the merged cells {range}: it is row {top}'s value; check that it is this row's too"),
        ))
    }

    /// Notes a merged range filled into the rows it covers.
    fn merged_filled(&self, region: &merged::Region) {
        let mut note = self
            .merged
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if note.ranges.len() >= MERGED_KEPT {
            note.more += 1;
            return;
        }
        let letter = column_letter(region.left);
        let header = self.labels.get(region.left).and_then(|label| {
            let header = label.strip_prefix(letter.as_str())?.trim_start();
            (!header.is_empty()).then(|| header.to_string())
        });
        note.ranges.push(MergedRange {
            range: region.name(),
            header,
        });
    }

    fn skip(&self, first: usize, last: usize, why: Skip) {
        self.skipped
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .add(first, last, why);
    }

    /// Whether a row is an applicant, an empty row, or a row skipped for what it is: a totals
    /// row (合计 in its name column or its first cells), a signature line, the header again, a
    /// units row, or a row with no name, no USCC and no number. Only the columns that give a
    /// field count: a row numbered in 序号 and otherwise blank is empty.
    fn classify(&self, row: &RowView<'_>) -> RowKind {
        let count = row.len();
        let mut strong = false;
        let mut weak = false;
        let mut firsts = 0;
        let name_column = self.name_column.unwrap_or(0);
        for index in 0..count {
            let view = row.cell(index);
            if matches!(view, CellView::Empty) {
                continue;
            }
            // Footers, units rows and the header again are told by their first cell first.
            if firsts == 0 {
                let header = self.header_cells.get(index).map(|(raw, _)| raw.as_str());
                if view.may_be_special(header) {
                    if let Some(skip) = self.special(row) {
                        return RowKind::Skipped(skip);
                    }
                }
            }
            let first_cells = firsts < 2;
            firsts += 1;
            if (first_cells || index == name_column) && view.may_be_totals() {
                if let Some(word) = view.text().and_then(|text| header::totals_word(&text)) {
                    return RowKind::Skipped(Skip::Totals(word));
                }
            }
            match self.strength.get(index) {
                Some(Strength::Ignored) => {}
                Some(Strength::Weak) => weak = weak || !view.is_placeholder(),
                Some(Strength::Strong) | None => strong = strong || !view.is_placeholder(),
            }
            if strong && firsts >= 2 && index >= name_column {
                return RowKind::Data;
            }
        }
        if strong {
            RowKind::Data
        } else if weak {
            RowKind::Skipped(Skip::NoApplicant)
        } else {
            RowKind::Empty
        }
    }

    /// Whether a row whose first cell may begin one is a signature line, the header again or a
    /// units row. Every non-empty cell must fit (a cell the first reading does not read is let
    /// pass), so a row with an applicant's data in it is never one of these.
    fn special(&self, row: &RowView<'_>) -> Option<Skip> {
        let cells = || {
            (0..row.len())
                .map(|index| (index, row.cell(index)))
                .filter(|(_, view)| !matches!(view, CellView::Empty))
        };
        // A signature line: labels, each with its value after a colon or in the next cell.
        let mut footer = true;
        let mut labels = 0;
        let mut awaiting = false;
        for (_, view) in cells() {
            let label = view.text().and_then(|text| header::footer_label(&text));
            match label {
                Some(kind) => {
                    labels += 1;
                    awaiting = kind == header::FooterCell::Label;
                }
                None if awaiting || matches!(view, CellView::Unread) => awaiting = false,
                None => {
                    footer = false;
                    break;
                }
            }
        }
        if footer && labels > 0 {
            return Some(Skip::Footer);
        }
        // The header again: each cell the header's own, one of them a field's.
        let mut header = true;
        let mut fields = 0;
        for (index, view) in cells() {
            if matches!(view, CellView::Unread) {
                continue;
            }
            let same = view.text().is_some_and(|text| {
                self.header_cells
                    .get(index)
                    .is_some_and(|(raw, normalised)| {
                        !raw.is_empty()
                            && (trim(&text) == raw
                                || header::normalise_header(&text) == *normalised)
                    })
            });
            if !same {
                header = false;
                break;
            }
            fields += usize::from(matches!(
                self.columns.get(index),
                Some(Column::Field(..) | Column::Series(..))
            ));
        }
        if header && fields > 0 {
            return Some(Skip::Header);
        }
        // A units row: units, perhaps beside placeholders.
        let mut units = 0;
        for (_, view) in cells() {
            if matches!(view, CellView::Unread) {
                continue;
            }
            match view.text() {
                Some(text) if header::is_unit_cell(&text) => units += 1,
                Some(text) if header::is_placeholder(&text) => {}
                _ => return None,
            }
        }
        (units > 0).then_some(Skip::Units)
    }

    /// The columns whose text a first reading needs: the name, the USCC, and the first two
    /// (where a totals row says 合计).
    pub(super) fn key_columns(&self) -> Vec<usize> {
        let mut columns = vec![0, 1];
        columns.extend(self.name_column);
        columns.extend(self.uscc_column);
        columns
    }

    /// The name and USCC of a row, normalised, for finding the same applicant twice: folded to
    /// half width, without spaces, the code in capitals. Borrowed when nothing changes: a
    /// UTF-8 CSV cell with no space and no full-width form is its own key, undecoded.
    fn keys<'r>(&self, row: &RowView<'r>) -> duplicates::Keys<'r> {
        let key = |column: Option<usize>| -> Option<Cow<'r, [u8]>> {
            let view = row.cell(column?);
            if let CellView::Bytes(bytes, encoding::TextEncoding::Utf8) = view {
                // No placeholder starts with a digit or the lead byte of most Chinese
                // characters (see header::is_placeholder).
                let plain = !ByteClass::of(bytes).needs_folding();
                let no_placeholder = matches!(bytes[0], b'0'..=b'9' | 0xE4 | 0xE5 | 0xE8 | 0xE9);
                if plain && no_placeholder {
                    return Some(Cow::Borrowed(bytes));
                }
            }
            let text = view.text()?;
            if header::is_placeholder(&text) {
                return None;
            }
            let plain = !ByteClass::of(text.as_bytes()).needs_folding();
            Some(match text {
                Cow::Borrowed(text) if plain => Cow::Borrowed(text.as_bytes()),
                Cow::Owned(text) if plain => Cow::Owned(text.into_bytes()),
                text => Cow::Owned(
                    fold_width(&text)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .into_bytes(),
                ),
            })
        };
        duplicates::Keys {
            uscc: key(self.uscc_column).map(|uscc| {
                if uscc.iter().any(u8::is_ascii_lowercase) {
                    Cow::Owned(uscc.to_ascii_uppercase())
                } else {
                    uscc
                }
            }),
            name: key(self.name_column),
        }
    }

    /// The warning for a data row with no applicant's name (its 单位名称 empty, or no such
    /// column). Not an error: no condition of Art. 10 rests on the name, and an empty cell is
    /// missing data (SPEC §4); but the reports list applicants by name, and a bureau cannot
    /// act on a row it cannot name. A USCC (GB 32100-2015) does identify the applicant, so the
    /// warning gives it, to look the name up by; it is still a warning, for the lists.
    fn nameless(&self, row: usize, profile: &Profile) -> Text {
        let (column_zh, column_en) = match self.name_column {
            Some(index) => {
                let label = self.column_label(index);
                (
                    format!("“{label}”列为空"),
                    format!("column '{label}' is empty"),
                )
            }
            None => (
                "表中没有“单位名称”列".to_string(),
                "the sheet has no 单位名称 (applicant.name) column".to_string(),
            ),
        };
        match profile.text("applicant.uscc") {
            Some(uscc) => Text::new(
                format!("第 {row} 行没有单位名称（{column_zh}）：只能凭统一社会信用代码 {uscc} 识别申报单位；请补填单位名称"),
                format!("row {row} has no applicant name ({column_en}): only its USCC {uscc} identifies the applicant; fill in the name"),
            ),
            None => Text::new(
                format!("第 {row} 行没有单位名称（{column_zh}），也没有统一社会信用代码：无法识别申报单位；请补填单位名称"),
                format!("row {row} has no applicant name ({column_en}) and no USCC: the applicant cannot be identified; fill in the name"),
            ),
        }
    }

    /// Types one data row into a profile; every bad cell is reported with its row and column.
    pub fn profile(&self, row: &RawRow) -> Result<Profile, InvalidProfile> {
        let source = row_source(&self.file, row.number);
        let mut profile = Profile {
            source: source.clone(),
            headers: Some(self.headers.clone()),
            ..Profile::default()
        };
        let mut problems = Problems::default();
        let at = |index: usize| {
            Some(Location::Cell {
                row: row.number,
                column: self.column_label(index),
            })
        };
        let cell_count = row.cells.len();
        let mut non_empty = 0usize;
        let cells = match &row.cells {
            RowCells::Csv(record, encoding) => Cells::Csv(encoding.record(record), *encoding),
            RowCells::Cells(cells) => Cells::Typed(cells),
        };
        for index in 0..cell_count {
            let decoded;
            let raw = match &cells {
                Cells::Csv(record, encoding) => {
                    decoded = record.field(index);
                    match decoded.as_deref().map(trim) {
                        Some("") => None,
                        Some(text) => Some(Ok(Raw::Text(text))),
                        None => Some(Err(CellProblem::Undecodable(encoding.name()))),
                    }
                }
                Cells::Typed(cells) => match &cells[index] {
                    Cell::Empty => None,
                    Cell::Text(text) if trim(text).is_empty() => None,
                    Cell::Text(text) => Some(Ok(Raw::Text(trim(text)))),
                    Cell::Number(text) => Some(Ok(Raw::Number(text))),
                    Cell::Bool(flag) => Some(Ok(Raw::Bool(*flag))),
                    Cell::Date(date) => Some(Ok(Raw::Date(*date))),
                    Cell::DateTime(_) => Some(Ok(Raw::Other("a date-time"))),
                    Cell::Error(error) => Some(Err(CellProblem::FormulaError(error))),
                    Cell::Undecodable(encoding) => Some(Err(CellProblem::Undecodable(encoding))),
                    // Only the first reading leaves cells unread, and it types no row.
                    Cell::Unread => None,
                },
            };
            let Some(raw) = raw else { continue };
            non_empty += 1;
            let Some(column) = self.columns.get(index) else {
                continue;
            };
            if matches!(column, Column::Ignored) {
                continue;
            }
            let raw = match raw {
                Ok(raw) => raw,
                Err(problem) => {
                    problems.push(Problem {
                        at: at(index),
                        field: column_path(column),
                        message: problem.message(),
                    });
                    continue;
                }
            };
            // `/`, `—`, `无`, `未填`: nothing to report, as an empty cell (SPEC §7). Asked of
            // a text field's cell before it is read, and of any other cell only when it cannot
            // be read (most cells are read at once): so in a yes/no column 无 is the answer
            // "no" (有/无), as parse_bool reads it.
            let placeholder = || matches!(raw, Raw::Text(text) if header::is_placeholder(text));
            let takes_any_text = match column {
                Column::Field(field, _) => matches!(field.ty, FieldType::Text),
                _ => true,
            };
            if takes_any_text && placeholder() {
                continue;
            }
            let bare_unit = self.bare_units.get(index).copied().flatten();
            let with_unit;
            let raw = match bare_unit.and_then(|unit| Some((unit, bare_number(raw)?))) {
                Some((unit, text)) => match in_header_unit(text, unit) {
                    Ok(text) => {
                        with_unit = text;
                        Raw::Text(&with_unit)
                    }
                    Err(message) => {
                        problems.push(Problem {
                            at: at(index),
                            field: column_path(column),
                            message,
                        });
                        continue;
                    }
                },
                None => raw,
            };
            match column {
                Column::Unnamed => problems.push(Problem {
                    at: at(index),
                    field: None,
                    message: Text::new(
                        "此列没有列名，却填了数据",
                        "this column has no header but holds a value",
                    ),
                }),
                Column::Ignored => {}
                Column::Field(field, slot) => match field.ty.parse(raw) {
                    Ok(value) => {
                        // Only the code column has such notes; asked of no other cell.
                        if self.uscc_column == Some(index) {
                            profile.notes.extend(field.ty.note(raw, &value));
                        }
                        profile.fields.insert_at(
                            *slot,
                            Located {
                                value,
                                at: at(index),
                            },
                        );
                    }
                    Err(_) if placeholder() => {}
                    Err(error) => problems.push(value_problem(
                        at(index),
                        field.path.to_string(),
                        &error,
                        field.quantity(),
                    )),
                },
                Column::Series(series, year) => {
                    let parsed = fields::FieldType::Number(series.quantity).parse(raw);
                    match parsed.map(|value| value.as_number()) {
                        Ok(Some(amount)) => {
                            profile.series.entry(series.table).or_default().insert(
                                *year,
                                Located {
                                    value: amount,
                                    at: at(index),
                                },
                            );
                        }
                        Ok(None) => {}
                        Err(_) if placeholder() => {}
                        Err(error) => problems.push(value_problem(
                            at(index),
                            format!("{}.{year}", series.table),
                            &error,
                            Some(series.quantity),
                        )),
                    }
                }
            }
        }
        let width = self.columns.len();
        let extra = cell_count > width && problems_in_extra_cells(row, width);
        if extra {
            problems.push(Problem {
                at: at(width),
                field: None,
                message: Text::new(
                    format!("此行有 {cell_count} 个单元格，多于表头的 {width} 列"),
                    format!("the row has {cell_count} cells, more than the {width} columns of the header"),
                ),
            });
        } else if cell_count < width && matches!(row.cells, RowCells::Csv(..)) && non_empty > 0 {
            problems.push(Problem {
                at: at(cell_count),
                field: None,
                message: Text::new(
                    format!("此行只有 {cell_count} 个单元格，少于表头的 {width} 列（行被截断？）"),
                    format!("the row has only {cell_count} cells, fewer than the {width} columns of the header (cut short?)"),
                ),
            });
        }
        problems.extend(profile.contradictions());
        if problems.is_empty() {
            if profile.name().is_none() {
                self.warn_row(row.number, self.nameless(row.number, &profile));
            }
            Ok(profile)
        } else {
            Err(InvalidProfile {
                source,
                applicant: profile.name().map(str::to_string),
                problems: problems.into_vec(),
                text: None,
            })
        }
    }
}

/// The text of a cell that is a bare number (`23500000`, `1,500`, `５８．２`): read in the unit
/// its column's header gives. A number written with its own unit (`2350万元`) keeps it.
fn bare_number(raw: Raw<'_>) -> Option<&str> {
    match raw {
        Raw::Number(text) => Some(text),
        Raw::Text(text) => fold_width(text)
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_digit())
            .then_some(text),
        _ => None,
    }
}

/// A bare number with its column's unit put after it. In a column in %, a number between 0
/// and 1 is unclear (`0.582`: 0.582%, or a fraction meaning 58.2%?) and is asked about rather
/// than guessed: read the wrong way a debt ratio would pass or fail for nothing.
fn in_header_unit(text: &str, unit: &'static str) -> Result<String, Text> {
    if unit == "%" {
        if let Ok((value, _)) = super::value::parse_amount(text) {
            if value > rust_decimal::Decimal::ZERO && value <= rust_decimal::Decimal::ONE {
                let as_percent = super::value::percent(value)
                    .map_or_else(|| text.to_string(), super::value::plain);
                let shown = excerpt(text);
                return Err(Text::new(
                    format!(
                        "“{shown}”在以 % 为单位的列中意思不明：按列名是 {shown}%，但也可能是小数形式的 {as_percent}%；请写成 {as_percent} 或 \"{shown}%\""
                    ),
                    format!(
                        "'{shown}' is unclear in a column in %: by the header it is {shown}%, but as a fraction it would be {as_percent}%; write {as_percent} or \"{shown}%\""
                    ),
                ));
            }
        }
    }
    let mut with_unit = String::with_capacity(text.len() + unit.len());
    with_unit.push_str(text);
    with_unit.push_str(unit);
    Ok(with_unit)
}

/// Admits a reader's rows in order: applicants are handed on, empty and totals rows are
/// skipped and noted (empty rows only when an applicant follows them: the blank rows below the
/// table are no news), and each applicant's name and USCC go to finding duplicates.
pub(super) struct Gate {
    columns: Columns,
    /// The last row number met: the rows between it and the next are blank.
    last: usize,
    /// Empty rows not yet known to lie inside the table.
    empty: Vec<(usize, usize)>,
    /// The first reading of a sheet: collecting the keys that may come twice.
    finder: Option<duplicates::Finder>,
    /// The second reading: the rows that do come twice.
    tracker: Option<duplicates::Tracker>,
    /// A workbook's merged ranges, filled into the data rows they cover.
    merged: Option<merged::Fill>,
    /// A workbook's formula cells saved without a value, by row (the lowest last).
    uncomputed: Vec<merged::Uncomputed>,
}

impl Gate {
    pub(super) fn new(columns: &Columns, header_row: usize) -> Gate {
        Gate {
            columns: columns.clone(),
            last: header_row,
            empty: Vec::new(),
            finder: None,
            tracker: None,
            merged: None,
            uncomputed: Vec::new(),
        }
    }

    /// A gate for a first reading, which finds the keys that may come twice. What it skips is
    /// not noted: the second reading notes it.
    pub(super) fn finding(columns: &Columns, header_row: usize) -> Gate {
        let mut detached = columns.clone();
        detached.skipped = Arc::default();
        detached.row_warnings = Arc::default();
        detached.merged = Arc::default();
        Gate {
            finder: Some(duplicates::Finder::new()),
            ..Gate::new(&detached, header_row)
        }
    }

    /// What the first reading found, for the second.
    pub(super) fn found(self) -> Option<duplicates::Tracker> {
        self.finder.and_then(duplicates::Finder::finish)
    }

    pub(super) fn track(&mut self, tracker: Option<duplicates::Tracker>) {
        self.tracker = tracker;
    }

    /// Fills a worksheet's merged ranges into the data rows they cover. Only the second reading
    /// fills (the ranges are found while the first one reads): a name merged over two rows is
    /// then not looked for twice, and its second row is warned about only as a duplicate of
    /// other rows with that name.
    pub(super) fn fill_merged(&mut self, regions: Vec<merged::Region>, header_row: usize) {
        let fill = merged::Fill::new(regions, header_row);
        self.merged = (!fill.is_empty()).then_some(fill);
    }

    /// The formula cells without a value, told on the data rows that hold them.
    pub(super) fn uncomputed(&mut self, mut formulas: Vec<merged::Uncomputed>) {
        formulas.sort_by_key(|formula| std::cmp::Reverse((formula.row, formula.column)));
        self.uncomputed = formulas;
    }

    /// A warning for each formula cell of a data row that holds no value: read as empty, the
    /// fact is missing (never 0), and the user is told why, and how to have it computed.
    fn warn_uncomputed(&mut self, row: &RawRow) {
        while let Some(formula) = self.uncomputed.last() {
            if formula.row > row.number {
                break;
            }
            let formula = self.uncomputed.pop().unwrap_or_else(|| unreachable!());
            let empty = match &row.cells {
                RowCells::Cells(cells) => cells
                    .get(formula.column)
                    .is_none_or(|cell| *cell == Cell::Empty),
                RowCells::Csv(..) => false,
            };
            let read = !matches!(
                self.columns.columns.get(formula.column),
                None | Some(Column::Ignored)
            );
            if formula.row < row.number || !empty || !read {
                continue;
            }
            let label = self.columns.column_label(formula.column);
            let shown = if formula.formula.is_empty() {
                String::new()
            } else {
                format!("（={}）", excerpt(&formula.formula))
            };
            let shown_en = if formula.formula.is_empty() {
                String::new()
            } else {
                format!(" (={})", excerpt(&formula.formula))
            };
            self.columns.warn_row(
                row.number,
                Text::new(
                    format!("第 {} 行“{label}”列的单元格是公式{shown}，但文件中没有计算结果（由程序生成、未经 Excel 计算）：按缺数据处理；请用 Excel 或 WPS 打开并保存后再检查", row.number),
                    format!("row {}, column '{label}': the cell holds a formula{shown_en} with no computed value in the file (written by a program, never calculated by Excel): read as missing; open and save it in Excel or WPS, then check again", row.number),
                ),
            );
        }
    }

    fn blank(&mut self, first: usize, last: usize) {
        match self.empty.last_mut() {
            Some((_, end)) if *end + 1 == first => *end = last,
            _ => self.empty.push((first, last)),
        }
    }

    fn flush(&mut self) {
        for (first, last) in self.empty.drain(..) {
            self.columns.skip(first, last, Skip::Empty);
        }
    }

    /// The row if it is an applicant's.
    pub(super) fn admit(&mut self, mut row: RawRow) -> Option<RawRow> {
        if row.number > self.last + 1 {
            self.blank(self.last + 1, row.number - 1);
        }
        self.last = self.last.max(row.number);
        if let Some(merged) = &mut self.merged {
            merged.see(&row);
        }
        // Classified before merged values are filled in: a row that holds nothing but a
        // merged 昆明市 running past the table's last applicant is an empty row.
        let kind = self.columns.classify(&RowView::of(&row));
        if kind == RowKind::Data {
            if let Some(merged) = &mut self.merged {
                for (region, first) in merged.fill(&mut row) {
                    if first {
                        self.columns.merged_filled(&region);
                    }
                    if row.number != region.top {
                        if let Some(warning) = self.columns.merged_figure(&region) {
                            self.columns.warn_row(row.number, warning);
                        }
                    }
                }
            }
        }
        if kind == RowKind::Data && !self.uncomputed.is_empty() {
            self.warn_uncomputed(&row);
        }
        if kind == RowKind::Data && (self.finder.is_some() || self.tracker.is_some()) {
            let view = RowView::of(&row);
            let keys = self.columns.keys(&view);
            if let Some(finder) = &mut self.finder {
                finder.add(row.number, &keys);
            }
            if let Some(warning) = self
                .tracker
                .as_mut()
                .and_then(|tracker| tracker.row(row.number, &keys))
            {
                self.columns.warn_row(row.number, warning);
            }
        }
        match kind {
            RowKind::Empty => {
                self.blank(row.number, row.number);
                None
            }
            RowKind::Skipped(why) => {
                self.flush();
                self.columns.skip(row.number, row.number, why);
                None
            }
            RowKind::Data => {
                self.flush();
                Some(row)
            }
        }
    }
}

/// What the bytes of a cell may hold, found in one pass before the cell is decoded: most
/// cells are names and numbers, and these looks rule them out.
#[derive(Clone, Copy)]
struct ByteClass(u8);

impl ByteClass {
    /// A space (ASCII, or U+00A0, U+3000… whose UTF-8 begins C2, E1, E2, E3) or a full-width
    /// form (EF): what a key folds away.
    const FOLD: u8 = 1;
    /// A letter of `total`, `subtotal`, `sum` that a USCC never has (`o`, `s`), or a
    /// full-width form.
    const TOTALS: u8 = 2;
    const TABLE: [u8; 256] = {
        let mut table = [0u8; 256];
        let mut byte = 0;
        while byte < 256 {
            let b = byte as u8;
            if b.is_ascii_whitespace() || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF) {
                table[byte] |= Self::FOLD;
            }
            if matches!(b, b'o' | b'O' | b's' | b'S' | 0xEF) {
                table[byte] |= Self::TOTALS;
            }
            byte += 1;
        }
        table
    };

    /// Without stopping early, so that the loop stays short and branch-free.
    fn of(bytes: &[u8]) -> ByteClass {
        ByteClass(
            bytes
                .iter()
                .fold(0, |class, byte| class | Self::TABLE[usize::from(*byte)]),
        )
    }

    fn needs_folding(self) -> bool {
        self.0 & Self::FOLD != 0
    }

    fn may_be_totals_word(self) -> bool {
        self.0 & Self::TOTALS != 0
    }
}

/// `file.csv:7`, the source of a row, built without `format!`: it is made for every row of a
/// sheet, and the formatting machinery costs more than the concatenation.
fn row_source(file: &str, row: usize) -> String {
    let number = row.to_string();
    let mut source = String::with_capacity(file.len() + 1 + number.len());
    source.push_str(file);
    source.push(':');
    source.push_str(&number);
    source
}

/// A row's cells as typing reads them.
enum Cells<'a> {
    Csv(encoding::DecodedRecord<'a>, encoding::TextEncoding),
    Typed(&'a [Cell]),
}

/// Whether a row has anything in the cells beyond the header's last column.
fn problems_in_extra_cells(row: &RawRow, width: usize) -> bool {
    match &row.cells {
        RowCells::Csv(record, _) => record
            .iter()
            .skip(width)
            .any(|bytes| !bytes.iter().all(u8::is_ascii_whitespace)),
        RowCells::Cells(cells) => cells.iter().skip(width).any(|cell| *cell != Cell::Empty),
    }
}

/// A cell that holds no usable text.
enum CellProblem<'a> {
    Undecodable(&'static str),
    FormulaError(&'a str),
}

impl CellProblem<'_> {
    fn message(&self) -> Text {
        match self {
            CellProblem::Undecodable(encoding) => Text::new(
                format!("单元格不是有效的 {encoding} 文本；请将文件另存为 UTF-8，或用 --encoding 指定编码"),
                format!("the cell is not valid {encoding} text; save the file as UTF-8 or name its encoding with --encoding"),
            ),
            CellProblem::FormulaError(error) => Text::new(
                format!("单元格是公式错误 {error}，请先修正公式或填入数值"),
                format!("the cell holds the formula error {error}; fix the formula or type the value"),
            ),
        }
    }
}

fn column_path(column: &Column) -> Option<String> {
    match column {
        Column::Field(field, _) => Some(field.path.to_string()),
        Column::Series(series, year) => Some(format!("{}.{year}", series.table)),
        Column::Unnamed | Column::Ignored => None,
    }
}

fn value_problem(
    at: Option<Location>,
    field: String,
    error: &super::value::ValueError,
    quantity: Option<super::value::Quantity>,
) -> Problem {
    let mut message = Text::new(
        error.message(crate::i18n::Lang::Zh),
        error.message(crate::i18n::Lang::En),
    );
    if let Some(quantity) = quantity {
        message
            .zh
            .push_str(&format!("；应为{}", quantity.hint(crate::i18n::Lang::Zh)));
        message.en.push_str(&format!(
            "; expected {}",
            quantity.hint(crate::i18n::Lang::En)
        ));
    }
    Problem {
        at,
        field: Some(field),
        message,
    }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A file-level problem (empty file, unreadable, no rows).
pub fn file_error(file: &str, zh: impl Into<String>, en: impl Into<String>) -> InvalidProfile {
    InvalidProfile::single(file, header_problem(zh.into(), en.into()))
}

#[cfg(test)]
mod tests;
