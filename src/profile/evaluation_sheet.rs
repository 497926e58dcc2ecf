//! An evaluation round from sheets (SPEC §6, §7): the evaluating agency's CSV or XLSX, one
//! center per row, and the construction contracts' targets in a second worksheet (or a file
//! of their own), one target per row keyed by the center's name or USCC.
//!
//! A round is tens of centers, not the hundred thousand rows of a bureau's applicant sheet, so
//! it is read whole. The sheet tolerances are `check`'s (SPEC §7), through the sheet
//! machinery's public helpers: title rows above the header, ignored columns (序号, 备注…),
//! units in headers, totals and empty rows skipped and reported, placeholder cells as missing
//! data, a first worksheet of instructions passed over. Every row is one result in order; a row
//! with a bad cell is an error naming its row, column and value, and the others are still read.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::evaluation::{
    check_profile, CenterProfile, LoadTerms, EVALUATION, EVALUATION_FIELDS, TARGET_ITEMS,
};
use super::fields::{FieldDef, FieldType, Raw};
use super::sheet::encoding::{self, EncodingChoice};
use super::sheet::{
    is_placeholder, normalise_header, split_brackets, totals_word, INSTRUCTION_SHEETS,
};
use super::{ColumnName, InvalidProfile, Item, Located, Location, Problem, Profile};
use crate::i18n::Text;

/// A cell as read.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    /// A number cell as its shortest decimal text.
    Number(String),
    Bool(bool),
    /// A formula error (`#DIV/0!`).
    Error(String),
}

impl Cell {
    fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(text) | Cell::Number(text) => Some(text.trim()).filter(|t| !t.is_empty()),
            Cell::Error(text) => Some(text),
            Cell::Bool(true) => Some("true"),
            Cell::Bool(false) => Some("false"),
            Cell::Empty => None,
        }
    }
}

/// A worksheet: its name (none for a CSV file) and its rows, each with its row number as the
/// sheet shows it.
struct Grid {
    name: Option<String>,
    rows: Vec<(usize, Vec<Cell>)>,
}

/// What a header names.
#[derive(Debug, Clone, Copy)]
enum Names {
    /// A field of the evaluation profile, and the money unit its bare numbers are in.
    Field(&'static FieldDef, Option<&'static str>),
    /// A field of a contract target (`name`, `target`, `achieved`, `direction`).
    TargetItem(&'static FieldDef),
    /// The center a target row belongs to: by name or by USCC.
    Key(&'static FieldDef),
    Ignored,
}

/// The round read: one result per data row, in order, and what was said of the sheets (the
/// worksheet read, ignored columns, skipped rows).
pub struct Round {
    pub centers: Vec<Result<CenterProfile, InvalidProfile>>,
    pub notes: Vec<Text>,
}

/// A sheet file's bytes and what it is.
pub struct SheetFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub is_csv: bool,
}

/// Columns common in such sheets that name no field (SPEC §7).
const IGNORED: &[&str] = &[
    "序号",
    "编号",
    "备注",
    "说明",
    "联系人",
    "联系电话",
    "电话",
    "手机",
    "填报人",
    "填表人",
    "填报日期",
    "审核人",
    "所在州市",
    "州市",
    "no",
    "no.",
    "#",
    "remark",
    "remarks",
    "note",
    "notes",
    "contact",
];

/// More names people give the center's name column.
const NAME_WORDS: &[&str] = &["中心名称", "创新中心名称", "名称", "中心", "技术创新中心"];
const USCC_WORDS: &[&str] = &["统一社会信用代码", "信用代码", "uscc"];

/// Reads a round: the centers' sheet of `file` (its worksheet `sheet`, or the first with a
/// header of evaluation fields), and the targets from `targets` or else from the workbook's
/// worksheet of targets.
pub fn read_round(
    file: &SheetFile,
    sheet: Option<&str>,
    forced: Option<EncodingChoice>,
    targets: Option<&SheetFile>,
    terms: LoadTerms<'_>,
) -> Result<Round, InvalidProfile> {
    let grids = grids(file, forced)?;
    let mut notes = Vec::new();
    let center_grid = match sheet {
        Some(wanted) => grids
            .iter()
            .find(|grid| grid.name.as_deref() == Some(wanted))
            .ok_or_else(|| {
                let names: Vec<&str> = grids.iter().filter_map(|g| g.name.as_deref()).collect();
                file_error(
                    &file.name,
                    format!("没有名为“{wanted}”的工作表；有：{}", names.join("、")),
                    format!("no worksheet '{wanted}'; there are: {}", names.join(", ")),
                )
            })?,
        None => grids
            .iter()
            .filter(|grid| !is_instructions(grid))
            .find(|grid| header_row(grid, false).is_some())
            .ok_or_else(|| {
                file_error(
                    &file.name,
                    "找不到评估数据的表头：应有一行列名为评估档案的字段（如“中心名称”“授权发明专利”），可用 ticheck init --evaluation --sheet 生成模板；申报单位的汇总表请用 ticheck check 检查",
                    "no header of evaluation fields found: a row should name the profile's fields (中心名称, 授权发明专利 …); ticheck init --evaluation --sheet writes a template; a sheet of applicants is checked with ticheck check",
                )
            })?,
    };
    let mut centers = read_centers(&file.name, center_grid, &mut notes)?;
    // A header alone (the untouched template) is no round: never a pass (SPEC §4).
    if centers.is_empty() {
        return Err(file_error(
            &file.name,
            "只有表头，没有数据行（是否还是未填写的模板？）",
            "a header but no data rows (still the template?)",
        ));
    }
    // The targets: a file of their own, else another worksheet of the same workbook.
    let target_grids;
    let target_source: Option<(&str, &Grid)> = match targets {
        Some(targets_file) => {
            target_grids = grids_of(targets_file, forced)?;
            let grid = target_grids
                .iter()
                .filter(|grid| !is_instructions(grid))
                .find(|grid| header_row(grid, true).is_some())
                .ok_or_else(|| {
                    file_error(
                        &targets_file.name,
                        "找不到合同指标的表头：应有“中心名称”（或“统一社会信用代码”）、“指标”“目标值”“完成值”等列",
                        "no header of contract targets found: the columns 中心名称 (or 统一社会信用代码), 指标, 目标值, 完成值 are expected",
                    )
                })?;
            Some((targets_file.name.as_str(), grid))
        }
        None => grids
            .iter()
            .filter(|grid| !std::ptr::eq(*grid, center_grid) && !is_instructions(grid))
            .find(|grid| header_row(grid, true).is_some())
            .map(|grid| (file.name.as_str(), grid)),
    };
    let mut orphans = Vec::new();
    if let Some((name, grid)) = target_source {
        attach_targets(name, grid, &mut centers, &mut orphans, &mut notes)?;
    }
    let twice = same_center_twice(&centers);
    let mut results: Vec<Result<CenterProfile, InvalidProfile>> = centers
        .into_iter()
        .zip(twice)
        .map(|(row, warnings)| {
            match row {
                Ok(profile) => check_profile(profile, terms).map(|mut center| {
                    center.warnings.extend(warnings);
                    center
                }),
                Err(error) => Err(error),
            }
            .map_err(relocate_target_problems)
        })
        .collect();
    results.extend(orphans.into_iter().map(Err));
    Ok(Round {
        centers: results,
        notes,
    })
}

/// A contract target's problem is told under its center's row, but its cell is on the targets'
/// sheet (or file), whose column names carry it (`建设任务书指标!D 完成值`): the location is
/// said in the message, so that it is never read as a cell of the center's row.
fn relocate_target_problems(mut error: InvalidProfile) -> InvalidProfile {
    for problem in &mut error.problems {
        let Some(Location::Cell { row, column }) = &problem.at else {
            continue;
        };
        let column = column.as_str();
        if !column.contains('!') {
            continue;
        }
        problem.message = Text::new(
            format!("合同指标在“{column}”列第 {row} 行：{}", problem.message.zh),
            format!(
                "contract target at row {row}, column {column}: {}",
                problem.message.en
            ),
        );
        problem.at = None;
    }
    error
}

/// The same center on two rows (same USCC, or same name without one; SPEC §7): a warning on
/// both, naming the other row. Its contract targets go to the first.
fn same_center_twice(centers: &[Result<Profile, InvalidProfile>]) -> Vec<Vec<Text>> {
    let key = |center: &Result<Profile, InvalidProfile>| -> Option<String> {
        let profile = center.as_ref().ok()?;
        match profile.text("center.uscc") {
            Some(uscc) => Some(format!("uscc:{uscc}")),
            None => profile
                .name()
                .map(|name| format!("name:{}", normalise_header(name))),
        }
    };
    let row = |center: &Result<Profile, InvalidProfile>| {
        center
            .as_ref()
            .ok()
            .and_then(|profile| profile.source.rsplit(':').next().map(str::to_string))
            .unwrap_or_default()
    };
    let keys: Vec<Option<String>> = centers.iter().map(key).collect();
    keys.iter()
        .enumerate()
        .map(|(index, mine)| {
            let Some(mine) = mine else { return Vec::new() };
            keys.iter()
                .enumerate()
                .filter(|(other, theirs)| *other != index && theirs.as_ref() == Some(mine))
                .map(|(other, _)| {
                    let other_row = row(&centers[other]);
                    let by_uscc = mine.starts_with("uscc:");
                    Text::new(
                        format!(
                            "与第 {other_row} 行是同一中心（{}相同）；按名称或代码对应的合同指标只计入其中靠前的一行",
                            if by_uscc { "统一社会信用代码" } else { "名称" }
                        ),
                        format!(
                            "the same center as row {other_row} (same {}); contract targets keyed to it go to the first of the two",
                            if by_uscc { "USCC" } else { "name" }
                        ),
                    )
                })
                .collect()
        })
        .collect()
}

fn file_error(file: &str, zh: impl Into<String>, en: impl Into<String>) -> InvalidProfile {
    InvalidProfile {
        source: file.to_string(),
        applicant: None,
        problems: vec![Problem {
            at: None,
            field: None,
            message: Text::new(zh, en),
        }],
        text: None,
    }
}

fn is_instructions(grid: &Grid) -> bool {
    grid.name
        .as_deref()
        .is_some_and(|name| INSTRUCTION_SHEETS.contains(&normalise_header(name).as_str()))
}

fn grids(file: &SheetFile, forced: Option<EncodingChoice>) -> Result<Vec<Grid>, InvalidProfile> {
    grids_of(file, forced)
}

fn grids_of(file: &SheetFile, forced: Option<EncodingChoice>) -> Result<Vec<Grid>, InvalidProfile> {
    if file.bytes.is_empty() {
        return Err(file_error(&file.name, "文件为空", "the file is empty"));
    }
    if file.is_csv {
        csv_grid(file, forced).map(|grid| vec![grid])
    } else {
        workbook_grids(file)
    }
}

fn csv_grid(file: &SheetFile, forced: Option<EncodingChoice>) -> Result<Grid, InvalidProfile> {
    let sniff = &file.bytes[..file.bytes.len().min(64 * 1024)];
    let detected = encoding::detect(sniff, forced).ok_or_else(|| {
        file_error(
            &file.name,
            "无法识别文字编码：既不是 UTF-8 也不是 GB18030；可用 --encoding 指定",
            "cannot tell the text encoding: neither UTF-8 nor GB18030; give --encoding",
        )
    })?;
    let transcoded;
    let bytes: &[u8] = match detected.utf16 {
        Some(order) => {
            let mut out = Vec::new();
            encoding::transcode_utf16(Box::new(Cursor::new(file.bytes.clone())), order)
                .read_to_end(&mut out)
                .map_err(|error| {
                    file_error(
                        &file.name,
                        format!("无法按 UTF-16 读取：{error}"),
                        format!("cannot read as UTF-16: {error}"),
                    )
                })?;
            transcoded = out;
            &transcoded
        }
        None => &file.bytes,
    };
    let text = detected.fields.decode(bytes).ok_or_else(|| {
        file_error(
            &file.name,
            format!("文件中有不是 {} 编码的字节", detected.fields.name()),
            format!("the file has bytes that are not {}", detected.fields.name()),
        )
    })?;
    let text = text.trim_start_matches('\u{FEFF}');
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |p| p.line());
            file_error(
                &file.name,
                format!("第 {line} 行无法按 CSV 读取：{error}"),
                format!("line {line} cannot be read as CSV: {error}"),
            )
        })?;
        let line = record
            .position()
            .map_or(rows.len() + 1, |p| p.line() as usize);
        let cells = record
            .iter()
            .map(|cell| {
                if cell.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(cell.to_string())
                }
            })
            .collect();
        rows.push((line, cells));
    }
    Ok(Grid { name: None, rows })
}

fn workbook_grids(file: &SheetFile) -> Result<Vec<Grid>, InvalidProfile> {
    // Read whole: a zip bomb is refused first (issue 15).
    super::sheet::xlsx::inflation_guard(&file.bytes, &file.name)?;
    let mut book =
        open_workbook_auto_from_rs(Cursor::new(file.bytes.clone())).map_err(|error| {
            file_error(
                &file.name,
                format!(
                    "无法打开 Excel 工作簿：{}",
                    crate::i18n::foreign::workbook_error_zh(&error.to_string())
                ),
                format!("cannot open the Excel workbook: {error}"),
            )
        })?;
    let mut grids = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|error| {
            file_error(
                &file.name,
                format!("无法读取工作表“{name}”：{error}"),
                format!("cannot read the worksheet '{name}': {error}"),
            )
        })?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(index, cells)| {
                // Cells from column A, as the sheet shows them.
                let mut row = vec![Cell::Empty; first_column as usize];
                row.extend(cells.iter().map(cell_of));
                (first_row as usize + index + 1, row)
            })
            .collect();
        grids.push(Grid {
            name: Some(name),
            rows,
        });
    }
    Ok(grids)
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) if text.trim().is_empty() => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Int(number) => Cell::Number(number.to_string()),
        // As check reads it: the shortest text of at most 15 significant digits, Excel's own.
        Data::Float(number) => Cell::Number(super::sheet::xlsx::float_text(*number)),
        Data::Bool(flag) => Cell::Bool(*flag),
        Data::DateTime(moment) => Cell::Text(moment.to_string()),
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text.clone()),
        Data::Error(error) => Cell::Error(format!("{error:?}")),
    }
}

/// What a header names, for the centers' sheet (`targets` false) or the targets' sheet.
fn resolve(header: &str, targets: bool) -> Option<Names> {
    let normal = normalise_header(header);
    if normal.is_empty() {
        return None;
    }
    let (base, brackets) = split_brackets(&normal);
    let base = base.trim_end_matches([':', '：', '*']);
    let candidates = [normal.as_str(), base];
    // The center's name and USCC before the ignored words: a bureau's sheet ignores
    // 创新中心名称-like columns that this sheet keys on.
    if NAME_WORDS.iter().any(|w| candidates.contains(w)) || base == "center.name" {
        return EVALUATION.field("center.name").map(|f| {
            if targets {
                Names::Key(f)
            } else {
                Names::Field(f, None)
            }
        });
    }
    if USCC_WORDS.iter().any(|w| candidates.contains(w)) || base == "center.uscc" {
        return EVALUATION.field("center.uscc").map(|f| {
            if targets {
                Names::Key(f)
            } else {
                Names::Field(f, None)
            }
        });
    }
    if super::sheet::IGNORED_HEADERS
        .iter()
        .chain(IGNORED)
        .any(|word| candidates.contains(word))
    {
        return Some(Names::Ignored);
    }
    let named = |field: &FieldDef, full_path: &str| {
        let zh = normalise_header(field.label_zh);
        let en = normalise_header(field.label_en);
        let key = full_path.rsplit('.').next().unwrap_or(full_path);
        candidates
            .iter()
            .any(|c| *c == zh || *c == en || *c == full_path || *c == key)
    };
    if targets {
        if let Some(item) = TARGET_ITEMS.first() {
            for field in item.fields {
                let full = format!("target.{}", field.path);
                if named(field, &full) {
                    return Some(Names::TargetItem(field));
                }
            }
            // 指标名称, 合同指标, 目标, 完成情况 …
            let target_words: &[(&str, &str)] = &[
                ("指标名称", "name"),
                ("合同指标", "name"),
                ("建设任务书指标", "name"),
                ("考核指标", "name"),
                ("目标", "target"),
                ("合同目标值", "target"),
                ("完成", "achieved"),
                ("实际完成值", "achieved"),
                ("完成情况", "achieved"),
            ];
            for (word, path) in target_words {
                if candidates.contains(word) {
                    return item
                        .fields
                        .iter()
                        .find(|f| f.path == *path)
                        .map(Names::TargetItem);
                }
            }
        }
        return None;
    }
    let field = EVALUATION_FIELDS
        .iter()
        .find(|field| named(field, field.path))?;
    // A money column's unit from its header: `（万元）` is the default; `（亿元）`, `（元）`.
    let money = brackets.iter().find_map(|unit| match *unit {
        "亿元" => Some("亿元"),
        "元" => Some("元"),
        "千元" => Some("千元"),
        _ => None,
    });
    Some(Names::Field(field, money))
}

/// The header row: the first of the first rows that names two or more known fields.
fn header_row(grid: &Grid, targets: bool) -> Option<usize> {
    grid.rows.iter().take(12).position(|(_, cells)| {
        let named: Vec<Names> = cells
            .iter()
            .filter_map(|cell| cell.text().and_then(|text| resolve(text, targets)))
            .filter(|target| !matches!(target, Names::Ignored))
            .collect();
        if targets {
            named.iter().any(|t| matches!(t, Names::Key(_)))
                && named
                    .iter()
                    .any(|t| matches!(t, Names::TargetItem(f) if f.path == "target"))
        } else {
            named.len() >= 2
                && !named.iter().any(|t| matches!(t, Names::TargetItem(_)))
                && named
                    .iter()
                    .any(|t| matches!(t, Names::Field(f, _) if !f.path.starts_with("center.")))
        }
    })
}

/// The header's columns resolved; an unknown header is an error with a suggestion.
fn columns(
    file: &str,
    grid: &Grid,
    header_index: usize,
    targets: bool,
    notes: &mut Vec<Text>,
) -> Result<Vec<(Option<Names>, ColumnName)>, InvalidProfile> {
    let (header_number, header) = &grid.rows[header_index];
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    let mut ignored = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (index, cell) in header.iter().enumerate() {
        let letter = super::sheet::column_letter(index);
        let Some(text) = cell.text() else {
            columns.push((None, ColumnName::from(letter.as_str())));
            continue;
        };
        // A target's cell is named with its worksheet: its problems are told under the
        // center's row, which is on another sheet.
        let label = match (&grid.name, targets) {
            (Some(sheet), true) => ColumnName::from(format!("{sheet}!{letter} {text}").as_str()),
            (None, true) => ColumnName::from(format!("{file}!{letter} {text}").as_str()),
            _ => ColumnName::from(format!("{letter} {text}").as_str()),
        };
        let at = Some(Location::Cell {
            row: *header_number,
            column: label,
        });
        match resolve(text, targets) {
            Some(Names::Ignored) => {
                ignored.push(text.to_string());
                columns.push((Some(Names::Ignored), label));
            }
            Some(target) => {
                let path = match target {
                    Names::Field(f, _) | Names::Key(f) => f.path.to_string(),
                    Names::TargetItem(f) => format!("target.{}", f.path),
                    Names::Ignored => String::new(),
                };
                if let Some(first) = seen.insert(path.clone(), text.to_string()) {
                    problems.push(Problem {
                        at,
                        field: Some(path),
                        message: Text::new(
                            format!("列“{text}”与列“{first}”是同一字段"),
                            format!("the column '{text}' names the same field as '{first}'"),
                        ),
                    });
                }
                columns.push((Some(target), label));
            }
            None => {
                let labels: Vec<&str> = if targets {
                    TARGET_ITEMS
                        .iter()
                        .flat_map(|item| item.fields.iter().map(|f| f.label_zh))
                        .chain(["中心名称", "统一社会信用代码"])
                        .collect()
                } else {
                    EVALUATION_FIELDS.iter().map(|f| f.label_zh).collect()
                };
                let (base, _) = split_brackets(text);
                let suggestion = super::suggest::closest(base, labels.iter().copied());
                let (zh_hint, en_hint) = match suggestion {
                    Some(label) => (
                        format!("（是否要写“{label}”？）"),
                        format!(" (did you mean '{label}'?)"),
                    ),
                    None => (String::new(), String::new()),
                };
                problems.push(Problem {
                    at,
                    field: None,
                    message: Text::new(
                        format!("无法识别的列名“{text}”{zh_hint}；不认识的列会使该列数据被丢弃，请改为评估档案的字段名，或改为“备注”"),
                        format!("unknown column '{text}'{en_hint}: its data would be dropped; name a field of the evaluation profile, or call it 备注"),
                    ),
                });
                columns.push((None, label));
            }
        }
    }
    if !problems.is_empty() {
        return Err(InvalidProfile {
            source: file.to_string(),
            applicant: None,
            problems,
            text: None,
        });
    }
    if !ignored.is_empty() {
        let label = sheet_label(file, grid);
        notes.push(Text::new(
            format!(
                "{label}：未读取的列（不是评估字段）：{}",
                ignored.join("、")
            ),
            format!(
                "{label}: columns not read (no evaluation field): {}",
                ignored.join(", ")
            ),
        ));
    }
    Ok(columns)
}

/// Whether a row is a totals row: its first text names a total (合计, 小计, 总计 …).
fn totals(cells: &[Cell]) -> Option<&'static str> {
    cells
        .iter()
        .filter_map(Cell::text)
        .take(3)
        .find_map(totals_word)
}

fn sheet_label(file: &str, grid: &Grid) -> String {
    match &grid.name {
        Some(name) => format!("{file}（{name}）"),
        None => file.to_string(),
    }
}

/// The centers' rows, each a profile or an error naming its row, column and value.
fn read_centers(
    file: &str,
    grid: &Grid,
    notes: &mut Vec<Text>,
) -> Result<Vec<Result<Profile, InvalidProfile>>, InvalidProfile> {
    let header_index = header_row(grid, false).ok_or_else(|| {
        file_error(
            file,
            "该工作表中找不到评估数据的表头",
            "no header of evaluation fields in this worksheet",
        )
    })?;
    if let Some(name) = &grid.name {
        notes.push(Text::new(
            format!(
                "{file}：读取工作表“{name}”，表头在第 {} 行",
                grid.rows[header_index].0
            ),
            format!(
                "{file}: read the worksheet '{name}', header on row {}",
                grid.rows[header_index].0
            ),
        ));
    }
    let columns = columns(file, grid, header_index, false, notes)?;
    let headers: BTreeMap<String, String> = columns
        .iter()
        .filter_map(|(target, label)| match target {
            Some(Names::Field(field, _)) => Some((
                field.path.to_string(),
                label
                    .as_str()
                    .split_once(' ')
                    .map_or(label.as_str(), |(_, header)| header)
                    .to_string(),
            )),
            _ => None,
        })
        .collect();
    let headers = std::sync::Arc::new(headers);
    let mut skipped_totals: Vec<(usize, &str)> = Vec::new();
    let mut skipped_empty = 0;
    let mut results = Vec::new();
    for (number, cells) in grid.rows.iter().skip(header_index + 1) {
        if cells.iter().all(|cell| cell.text().is_none()) {
            skipped_empty += 1;
            continue;
        }
        if let Some(word) = totals(cells) {
            skipped_totals.push((*number, word));
            continue;
        }
        let source = format!("{file}:{number}");
        let mut profile = Profile::new(&EVALUATION, &source);
        profile.headers = Some(headers.clone());
        let mut problems = Vec::new();
        for ((target, label), cell) in columns.iter().zip(cells) {
            let Some(Names::Field(field, money)) = target else {
                continue;
            };
            let at = Some(Location::Cell {
                row: *number,
                column: *label,
            });
            let text = match cell {
                Cell::Empty => continue,
                Cell::Error(error) => {
                    problems.push(Problem {
                        at,
                        field: Some(field.path.to_string()),
                        message: Text::new(
                            format!("单元格是公式错误 {error}"),
                            format!("the cell is a formula error {error}"),
                        ),
                    });
                    continue;
                }
                other => other.text().unwrap_or_default().to_string(),
            };
            // `/`, `—`, `无`, `未填`: missing data, not an error (SPEC §7); 无 in a yes/no
            // column is the answer "no".
            if !matches!(field.ty, FieldType::Bool) && is_placeholder(&text) {
                continue;
            }
            let with_unit = match (money, matches!(cell, Cell::Number(_)) || is_bare(&text)) {
                (Some(unit), true) => format!("{text}{unit}"),
                _ => text.clone(),
            };
            let raw = match (cell, field.ty) {
                (Cell::Bool(flag), FieldType::Bool) => Raw::Bool(*flag),
                (Cell::Number(_), _) if money.is_none() => Raw::Number(&with_unit),
                _ => Raw::Text(&with_unit),
            };
            match field.ty.parse(raw) {
                Ok(value) => {
                    profile.fields.insert(field.path, Located { value, at });
                }
                // The message quotes the value as written.
                Err(error) => problems.push(Problem {
                    at,
                    field: Some(field.path.to_string()),
                    message: error.text(),
                }),
            }
        }
        results.push(if problems.is_empty() {
            Ok(profile)
        } else {
            Err(InvalidProfile {
                source,
                applicant: profile.name().map(str::to_string),
                problems,
                text: None,
            })
        });
    }
    let label = sheet_label(file, grid);
    if !skipped_totals.is_empty() {
        notes.push(Text::new(
            format!(
                "{label}：跳过合计行，不作为创新中心评估：{}",
                totals_zh(&skipped_totals)
            ),
            format!(
                "{label}: totals rows skipped, not evaluated as centers: {}",
                totals_en(&skipped_totals)
            ),
        ));
    }
    if skipped_empty > 0 {
        notes.push(Text::new(
            format!("{label}：跳过空行 {skipped_empty} 行"),
            format!("{label}: {skipped_empty} empty row(s) skipped"),
        ));
    }
    Ok(results)
}

/// `第 6 行（合计）、第 9 行（小计）`.
fn totals_zh(rows: &[(usize, &str)]) -> String {
    rows.iter()
        .map(|(row, word)| format!("第 {row} 行（{word}）"))
        .collect::<Vec<_>>()
        .join("、")
}

/// `row 6 (合计), row 9 (小计)`.
fn totals_en(rows: &[(usize, &str)]) -> String {
    rows.iter()
        .map(|(row, word)| format!("row {row} ({word})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number with nothing after it (`12`, `1,200.5`): a header's unit applies to it.
fn is_bare(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))
}

/// Attaches each target row to its center, by name or USCC; a row whose center is not in the
/// round is an error of its own.
fn attach_targets(
    file: &str,
    grid: &Grid,
    centers: &mut [Result<Profile, InvalidProfile>],
    orphans: &mut Vec<InvalidProfile>,
    notes: &mut Vec<Text>,
) -> Result<(), InvalidProfile> {
    let header_index = header_row(grid, true).ok_or_else(|| {
        file_error(
            file,
            "找不到合同指标的表头",
            "no header of contract targets",
        )
    })?;
    let label = sheet_label(file, grid);
    notes.push(Text::new(
        format!(
            "{label}：读取建设任务书（合同）指标，表头在第 {} 行",
            grid.rows[header_index].0
        ),
        format!(
            "{label}: read the contract targets, header on row {}",
            grid.rows[header_index].0
        ),
    ));
    let columns = columns(file, grid, header_index, true, notes)?;
    let mut skipped_totals: Vec<(usize, &str)> = Vec::new();
    for (number, cells) in grid.rows.iter().skip(header_index + 1) {
        if cells.iter().all(|cell| cell.text().is_none()) {
            continue;
        }
        if let Some(word) = totals(cells) {
            skipped_totals.push((*number, word));
            continue;
        }
        let source = match &grid.name {
            Some(name) => format!("{file}:{name}:{number}"),
            None => format!("{file}:{number}"),
        };
        let mut key: Option<(&'static str, String, Location)> = None;
        let mut values = BTreeMap::new();
        let mut problems = Vec::new();
        for ((target, column), cell) in columns.iter().zip(cells) {
            let at = Location::Cell {
                row: *number,
                column: *column,
            };
            let Some(text) = cell.text() else { continue };
            match target {
                Some(Names::Key(field)) => {
                    key = Some((field.path, text.to_string(), at));
                }
                Some(Names::TargetItem(field)) => {
                    if field.path != "name" && is_placeholder(text) {
                        continue;
                    }
                    let raw = match cell {
                        Cell::Number(number) => Raw::Number(number),
                        _ => Raw::Text(text),
                    };
                    match field.ty.parse(raw) {
                        Ok(value) => {
                            values.insert(
                                field.path,
                                Located {
                                    value,
                                    at: Some(at),
                                },
                            );
                        }
                        Err(error) => problems.push(Problem {
                            at: Some(at),
                            field: Some(format!("target.{}", field.path)),
                            message: error.text(),
                        }),
                    }
                }
                _ => {}
            }
        }
        let Some((key_path, key_text, key_at)) = key else {
            orphans.push(InvalidProfile {
                source,
                applicant: None,
                problems: vec![Problem {
                    at: Some(Location::Cell {
                        row: *number,
                        column: columns
                            .iter()
                            .find(|(t, _)| matches!(t, Some(Names::Key(_))))
                            .map_or(ColumnName::from("A"), |(_, c)| *c),
                    }),
                    field: Some("center.name".to_string()),
                    message: Text::new(
                        "该合同指标没有填写所属中心的名称或统一社会信用代码",
                        "the target names no center (name or USCC)",
                    ),
                }],
                text: None,
            });
            continue;
        };
        // A name column may hold a USCC: an 18-character code that checks is one.
        let code = super::uscc::validate(&key_text).ok();
        let key_path = if code.is_some() {
            "center.uscc"
        } else {
            key_path
        };
        let wanted = match &code {
            Some(code) => code.clone(),
            None if key_path == "center.uscc" => key_text.to_ascii_uppercase().replace(' ', ""),
            None => normalise_header(&key_text),
        };
        let owner = centers.iter_mut().find(|center| {
            let (profile_name, profile_uscc) = match center {
                Ok(profile) => (
                    profile.name().map(str::to_string),
                    profile.text("center.uscc").map(str::to_string),
                ),
                Err(error) => (error.applicant.clone(), None),
            };
            if key_path == "center.uscc" {
                profile_uscc.as_deref() == Some(wanted.as_str())
            } else {
                profile_name.is_some_and(|name| normalise_header(&name) == wanted)
            }
        });
        let Some(owner) = owner else {
            orphans.push(InvalidProfile {
                source,
                applicant: Some(key_text.clone()),
                problems: vec![Problem {
                    at: Some(key_at),
                    field: Some(key_path.to_string()),
                    message: Text::new(
                        format!("合同指标所属的中心“{key_text}”不在评估数据表中（名称须与评估数据表一致）"),
                        format!("the target's center '{key_text}' is not in the centers' sheet (the name must be the same)"),
                    ),
                }],
                text: None,
            });
            continue;
        };
        match owner {
            Ok(profile) if problems.is_empty() => {
                let items = profile.items.entry("target").or_default();
                let number_in_center = items.len() + 1;
                items.push(Item {
                    number: number_in_center,
                    at: Some(Location::Cell {
                        row: *number,
                        column: columns
                            .iter()
                            .find(|(t, _)| matches!(t, Some(Names::TargetItem(f)) if f.path == "name"))
                            .map_or(ColumnName::from("A"), |(_, c)| *c),
                    }),
                    values,
                });
            }
            Ok(profile) => {
                // The center's row is read; its target is not: the center is an error, with
                // the target's cells named.
                let error = InvalidProfile {
                    source: profile.source.clone(),
                    applicant: profile.name().map(str::to_string),
                    problems,
                    text: None,
                };
                *owner = Err(error);
            }
            Err(error) => error.problems.extend(problems),
        }
    }
    if !skipped_totals.is_empty() {
        notes.push(Text::new(
            format!("{label}：跳过合计行：{}", totals_zh(&skipped_totals)),
            format!(
                "{label}: totals rows skipped: {}",
                totals_en(&skipped_totals)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(header: &str, targets: bool) -> Option<String> {
        resolve(header, targets).map(|names| match names {
            Names::Field(field, unit) => format!("{}{}", field.path, unit.unwrap_or("")),
            Names::Key(field) => format!("key {}", field.path),
            Names::TargetItem(field) => format!("target.{}", field.path),
            Names::Ignored => "ignored".to_string(),
        })
    }

    /// SPEC §7: a header names its field by the Chinese label, the English label, the path or
    /// the key, with a unit in brackets; common columns are ignored; nothing else is guessed.
    #[test]
    fn headers_name_fields_as_agencies_write_them() {
        let cases = [
            ("授权发明专利", Some("indicators.invention_patents")),
            ("授权发明专利（件）", Some("indicators.invention_patents")),
            (
                "indicators.invention_patents",
                Some("indicators.invention_patents"),
            ),
            ("invention_patents", Some("indicators.invention_patents")),
            (
                "Invention patents granted",
                Some("indicators.invention_patents"),
            ),
            ("周期研发投入（万元）", Some("indicators.rnd_spend")),
            ("周期研发投入（亿元）", Some("indicators.rnd_spend亿元")),
            ("周期研发投入 (元)", Some("indicators.rnd_spend元")),
            ("已备案年度报告（年数）", Some("governance.annual_reports")),
            ("创新中心名称", Some("center.name")),
            ("统一社会信用代码", Some("center.uscc")),
            ("序号", Some("ignored")),
            ("备注", Some("ignored")),
            ("联系电话", Some("ignored")),
            ("授权发明专利数", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(path(header, false).as_deref(), expected, "{header}");
        }
        let targets = [
            ("中心名称", Some("key center.name")),
            ("统一社会信用代码", Some("key center.uscc")),
            ("指标", Some("target.name")),
            ("目标值", Some("target.target")),
            ("完成值", Some("target.achieved")),
            ("方向", Some("target.direction")),
            ("授权发明专利", None),
        ];
        for (header, expected) in targets {
            assert_eq!(path(header, true).as_deref(), expected, "{header}");
        }
    }

    #[test]
    fn bare_numbers_take_a_headers_unit_and_written_units_stay() {
        assert!(is_bare("12") && is_bare("1,200.5") && is_bare(" 3 "));
        assert!(!is_bare("12万元") && !is_bare("") && !is_bare("约12"));
    }
}
