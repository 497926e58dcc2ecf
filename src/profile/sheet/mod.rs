//! Spreadsheets: one applicant per row (SPEC §4), as bureaus keep them in Excel.
//!
//! The header row names the fields by their dotted path (`facilities.rnd_floor_area`,
//! `rnd_spend.2023`) or by their Chinese label (`研发场地面积`, `2023年研发经费`). Each data row
//! becomes a [`Profile`] through the same field registry as TOML; an empty cell is an absent
//! fact, never zero. Readers ([`csv`], [`xlsx`]) yield raw rows; turning a row into a profile
//! is left to [`Columns::profile`] so that it can run on any thread.

pub mod csv;
pub mod encoding;
pub mod xlsx;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::fields::{self, FieldDef, Raw, SeriesDef};
use super::suggest::closest;
use super::value::{excerpt, fold_width, parse_year, trim};
use super::{ColumnName, InvalidProfile, Located, Location, Problem, Profile};
use crate::i18n::Text;

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

#[derive(Debug, Clone, Copy)]
enum Column {
    /// A field of the registry, and its position there.
    Field(&'static FieldDef, usize),
    Series(&'static SeriesDef, i32),
    /// A column with an empty header: it must stay empty.
    Unnamed,
}

/// The resolved header of a sheet.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The file, for `source` (`file.csv:3`) and messages.
    pub file: String,
    columns: Vec<Column>,
    /// `Q 研发场地面积` per column, shared by every location that points into the column.
    labels: Vec<ColumnName>,
    /// Each field's header as the sheet writes it, for naming the fields a row lacks.
    headers: std::sync::Arc<BTreeMap<String, String>>,
}

/// The header normalised for matching: full-width folded, trimmed, ASCII lower-cased.
fn normalise_header(text: &str) -> String {
    // Chinese text often writes the class numerals of 知识产权 as Roman numerals (Ⅰ类, Ⅱ类).
    fold_width(text.trim_start_matches('\u{FEFF}'))
        .replace('\u{2161}', "II")
        .replace('\u{2160}', "I")
        .to_ascii_lowercase()
}

fn resolve(header: &str) -> Option<Column> {
    let key = normalise_header(header);
    if key.is_empty() {
        return Some(Column::Unnamed);
    }
    if let Some(index) = fields::FIELDS
        .iter()
        .position(|f| f.path == key || f.label_zh.to_ascii_lowercase() == key)
    {
        return Some(Column::Field(&fields::FIELDS[index], index));
    }
    for series in fields::SERIES {
        let year_text = key
            .strip_prefix(&format!("{}.", series.table))
            // `2023年研发经费`, and `2023研发经费` without the 年 (the year parser takes either).
            .or_else(|| key.strip_suffix(series.label_zh.trim_start_matches('年')));
        if let Some(year) = year_text.and_then(|y| parse_year(y).ok()) {
            return Some(Column::Series(series, year.try_into().unwrap_or(0)));
        }
    }
    None
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
    /// suggestion, so that a misspelt column never silently drops a fact for every row.
    pub fn resolve(
        file: &str,
        header: &[String],
        header_row: usize,
    ) -> Result<Columns, InvalidProfile> {
        let mut columns = Vec::with_capacity(header.len());
        let mut problems = Vec::new();
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (index, name) in header.iter().enumerate() {
            let at = Some(Location::Cell {
                row: header_row,
                column: ColumnName::from(column_letter(index).as_str()),
            });
            match resolve(name) {
                Some(column) => {
                    let key = match column {
                        Column::Field(field, _) => Some(field.path.to_string()),
                        Column::Series(series, year) => Some(format!("{}.{year}", series.table)),
                        Column::Unnamed => None,
                    };
                    if let Some(key) = key {
                        if let Some(first) = seen.insert(key.clone(), name) {
                            problems.push(Problem {
                                at,
                                field: Some(key.clone()),
                                message: Text::new(
                                    format!(
                                        "列“{}”与列“{first}”都是 {key}，请删去其一",
                                        name.trim()
                                    ),
                                    format!(
                                        "the columns '{}' and '{first}' both give {key}; keep one",
                                        name.trim()
                                    ),
                                ),
                            });
                        }
                    }
                    columns.push(column);
                }
                None => {
                    let candidates = fields::FIELDS
                        .iter()
                        .flat_map(|f| [f.path, f.label_zh])
                        .chain(["rnd_spend.2023", "2023年研发经费"]);
                    let suggestion = closest(&normalise_header(name), candidates);
                    let shown = excerpt(name);
                    let (mut zh, mut en) = (
                        format!("未知的列名“{shown}”"),
                        format!("unknown column '{shown}'"),
                    );
                    match suggestion {
                        Some(suggestion) => {
                            zh.push_str(&format!("（是否要写“{suggestion}”？）"));
                            en.push_str(&format!(" (did you mean '{suggestion}'?)"));
                        }
                        None => {
                            zh.push_str("；列名应为字段路径（如 facilities.rnd_floor_area）或中文列名（如 研发场地面积），见 ticheck init");
                            en.push_str("; headers are field paths (facilities.rnd_floor_area) or their Chinese labels (研发场地面积)");
                        }
                    }
                    problems.push(Problem {
                        at,
                        field: None,
                        message: Text::new(zh, en),
                    });
                    columns.push(Column::Unnamed);
                }
            }
        }
        if columns.iter().all(|c| matches!(c, Column::Unnamed)) && problems.is_empty() {
            problems.push(header_problem(
                "表头为空：第一行应为列名".to_string(),
                "the header row is empty: the first row must name the columns".to_string(),
            ));
        }
        if problems.is_empty() {
            let labels = header
                .iter()
                .enumerate()
                .map(|(index, name)| {
                    let name = name.trim().trim_start_matches('\u{FEFF}');
                    if name.is_empty() {
                        ColumnName::from(column_letter(index).as_str())
                    } else {
                        ColumnName::from(
                            format!("{} {}", column_letter(index), excerpt(name)).as_str(),
                        )
                    }
                })
                .collect();
            let headers = header
                .iter()
                .zip(&columns)
                .filter_map(|(name, column)| {
                    let path = match column {
                        Column::Field(field, _) => field.path.to_string(),
                        Column::Series(series, year) => format!("{}.{year}", series.table),
                        Column::Unnamed => return None,
                    };
                    Some((path, name.trim().trim_start_matches('\u{FEFF}').to_string()))
                })
                .collect();
            Ok(Columns {
                file: file.to_string(),
                columns,
                labels,
                headers: std::sync::Arc::new(headers),
            })
        } else {
            Err(InvalidProfile {
                source: file.to_string(),
                applicant: None,
                problems,
                text: None,
            })
        }
    }

    /// `Q 研发场地面积`: the column letter and its header, as messages name a column.
    fn column_label(&self, index: usize) -> ColumnName {
        match self.labels.get(index) {
            Some(label) => *label,
            None => ColumnName::from(column_letter(index).as_str()),
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
        let mut problems = Vec::new();
        let at = |index: usize| {
            Some(Location::Cell {
                row: row.number,
                column: self.column_label(index),
            })
        };
        let cell_count = match &row.cells {
            RowCells::Csv(record, _) => record.len(),
            RowCells::Cells(cells) => cells.len(),
        };
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
                },
            };
            let Some(raw) = raw else { continue };
            non_empty += 1;
            let Some(column) = self.columns.get(index) else {
                continue;
            };
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
            match column {
                Column::Unnamed => problems.push(Problem {
                    at: at(index),
                    field: None,
                    message: Text::new(
                        "此列没有列名，却填了数据",
                        "this column has no header but holds a value",
                    ),
                }),
                Column::Field(field, slot) => match field.ty.parse(raw) {
                    Ok(value) => {
                        profile.fields.insert_at(
                            *slot,
                            Located {
                                value,
                                at: at(index),
                            },
                        );
                    }
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
            Ok(profile)
        } else {
            Err(InvalidProfile {
                source,
                applicant: profile.name().map(str::to_string),
                problems,
                text: None,
            })
        }
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
        Column::Unnamed => None,
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
