//! Workbooks: the first worksheet with a recognisable header (a first sheet of instructions,
//! 填表说明, is passed over), or the one `--sheet NAME` names; its header is the first row that
//! names known fields.
//!
//! `.xlsx` worksheets are streamed cell by cell (calamine's cell reader), like CSV files, so
//! memory does not grow with the row count: a thread reads the rows through the sheet's
//! [`Gate`] into a bounded channel. The sheet is read twice: first for the names and USCCs of
//! its rows (the same applicant twice, SPEC §7), then for the rows. Merged ranges in the data
//! rows (所在州市 merged over a prefecture's applicants) are filled into the cells they cover
//! ([`super::merged`]). Older formats (`.xls`, `.xlsb`, `.ods`) are read whole, as they are
//! small, and their merged ranges are not filled.

use std::io::Cursor;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::thread::JoinHandle;

use calamine::{
    open_workbook_auto_from_rs, Data, DataRef, Range, Reader, SheetVisible, Sheets, Xlsx,
    XlsxCellReader,
};

use super::header::{
    normalise_header, pick_header_rows, HeaderScore, HEADER_SEARCH_ROWS, INSTRUCTION_SHEETS,
};
use super::merged;
use super::{file_error, Cell, Columns, Gate, RawRow, RowCells};
use crate::i18n::Lang::{En, Zh};
use crate::i18n::Text;
use crate::profile::InvalidProfile;

/// Rows handed from the reading thread at once, and chunks that may wait: the hand-offs are
/// few and the rows waiting bounded.
const CHUNK_ROWS: usize = 64;
const QUEUE_CHUNKS: usize = 4;

/// A workbook's bytes, shared by the reader and the thread that finds the merged ranges.
#[derive(Clone)]
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

type Bytes = Cursor<Shared>;

/// A worksheet's rows: the row number as the sheet shows it, and the cells from column A.
type Rows<'a> = Box<dyn Iterator<Item = Result<(usize, Vec<Cell>), String>> + 'a>;

/// A workbook of any format, read row by row.
trait Book: Send {
    /// The worksheets in order, and whether each is visible.
    fn sheets(&self) -> Vec<(String, bool)>;
    /// The rows of a worksheet. With `only`, the cells of other columns are read as a mere
    /// "something here" (the first reading needs no more of them).
    fn rows(&mut self, sheet: &str, only: Option<Vec<usize>>) -> Result<Rows<'_>, String>;
}

impl Book for Xlsx<Bytes> {
    fn sheets(&self) -> Vec<(String, bool)> {
        self.sheets_metadata()
            .iter()
            .map(|sheet| (sheet.name.clone(), sheet.visible == SheetVisible::Visible))
            .collect()
    }

    fn rows(&mut self, sheet: &str, only: Option<Vec<usize>>) -> Result<Rows<'_>, String> {
        let reader = self
            .worksheet_cells_reader(sheet)
            .map_err(|error| error.to_string())?;
        Ok(Box::new(Streamed::new(reader, only)))
    }
}

impl Book for Sheets<Bytes> {
    fn sheets(&self) -> Vec<(String, bool)> {
        self.sheets_metadata()
            .iter()
            .map(|sheet| (sheet.name.clone(), sheet.visible == SheetVisible::Visible))
            .collect()
    }

    fn rows(&mut self, sheet: &str, _only: Option<Vec<usize>>) -> Result<Rows<'_>, String> {
        let range = self
            .worksheet_range(sheet)
            .map_err(|error| error.to_string())?;
        Ok(Box::new(Ranged::new(range)))
    }
}

/// The rows of an `.xlsx` worksheet, as its cells stream by.
struct Streamed<'a> {
    reader: XlsxCellReader<'a, Bytes>,
    /// Per style id, whether its number format shows a percentage (`0.0%`).
    percent: Vec<bool>,
    /// A cell of the next row, read while finishing this one.
    pending: Option<(u32, u32, Cell)>,
    done: bool,
    /// The columns read in full, when not all are.
    only: Option<Vec<usize>>,
}

impl<'a> Streamed<'a> {
    fn new(reader: XlsxCellReader<'a, Bytes>, only: Option<Vec<usize>>) -> Streamed<'a> {
        let percent = reader
            .styles()
            .iter()
            .map(|style| {
                style
                    .number_format
                    .as_ref()
                    .is_some_and(|format| shows_percent(&format.format_code))
            })
            .collect();
        Streamed {
            reader,
            percent,
            pending: None,
            done: false,
            only,
        }
    }

    fn next_cell(&mut self) -> Result<Option<(u32, u32, Cell)>, String> {
        match self.reader.next_cell_with_style_id() {
            Ok(Some((found, style))) => {
                let (row, column) = found.get_position();
                let value = found.get_value();
                let skipped = self
                    .only
                    .as_ref()
                    .is_some_and(|only| !only.contains(&(column as usize)));
                let cell = match (value, skipped) {
                    (DataRef::Empty, _) => Cell::Empty,
                    (_, true) => Cell::Unread,
                    (value, false) => {
                        cell_ref(value, self.percent.get(style).copied().unwrap_or(false))
                    }
                };
                Ok(Some((row, column, cell)))
            }
            Ok(None) => Ok(None),
            Err(error) => Err(error.to_string()),
        }
    }
}

impl Iterator for Streamed<'_> {
    type Item = Result<(usize, Vec<Cell>), String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done && self.pending.is_none() {
            return None;
        }
        let (row, column, cell) = match self.pending.take() {
            Some(pending) => pending,
            None => match self.next_cell() {
                Ok(Some(found)) => found,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            },
        };
        let mut cells = Vec::new();
        place(&mut cells, column, cell);
        while !self.done {
            match self.next_cell() {
                Ok(Some((next_row, column, cell))) if next_row == row => {
                    place(&mut cells, column, cell)
                }
                Ok(Some(next)) => {
                    self.pending = Some(next);
                    break;
                }
                Ok(None) => self.done = true,
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
        Some(Ok((row as usize + 1, cells)))
    }
}

/// Puts a cell at its column; empty cells (formatted but blank) take no room.
fn place(cells: &mut Vec<Cell>, column: u32, cell: Cell) {
    let column = column as usize;
    if cell == Cell::Empty {
        return;
    }
    if cells.len() <= column {
        cells.resize(column + 1, Cell::Empty);
    }
    cells[column] = cell;
}

/// The rows of a worksheet read whole (`.xls`, `.xlsb`, `.ods`).
struct Ranged {
    range: Range<Data>,
    next: usize,
}

impl Ranged {
    fn new(range: Range<Data>) -> Ranged {
        Ranged { range, next: 0 }
    }
}

impl Iterator for Ranged {
    type Item = Result<(usize, Vec<Cell>), String>;

    fn next(&mut self) -> Option<Self::Item> {
        let (first_row, first_column) = self.range.start()?;
        let (height, width) = self.range.get_size();
        if self.next >= height {
            return None;
        }
        let index = self.next;
        self.next += 1;
        // Cells left of the used range are empty columns: keep letters in messages true.
        let mut cells = vec![Cell::Empty; first_column as usize];
        cells.extend(
            (0..width).map(|column| self.range.get((index, column)).map_or(Cell::Empty, cell)),
        );
        Some(Ok((first_row as usize + index + 1, cells)))
    }
}

/// The data rows of a worksheet, after its header.
pub struct XlsxRows {
    receiver: Option<Receiver<Result<Vec<RawRow>, InvalidProfile>>>,
    /// The rows of the chunk received last.
    chunk: std::vec::IntoIter<RawRow>,
    worker: Option<JoinHandle<()>>,
}

impl Iterator for XlsxRows {
    type Item = Result<RawRow, InvalidProfile>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.chunk.next() {
                return Some(Ok(row));
            }
            match self.receiver.as_ref()?.recv().ok()? {
                Ok(chunk) => self.chunk = chunk.into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

impl Drop for XlsxRows {
    fn drop(&mut self) {
        // The reading thread stops at its next chunk once no one receives.
        self.receiver.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// A zipped workbook's part is refused when it would inflate to more than this...
const PART_MAX_BYTES: u64 = 2 << 30;
/// ...or, past [`RATIO_FROM_BYTES`], to more than this many times its compressed size.
const PART_MAX_RATIO: u64 = 100;
const RATIO_FROM_BYTES: u64 = 64 << 20;

/// Refuses a zip bomb before a byte of it is inflated (issue 15): a workbook of a few MB whose
/// sheet part inflates to gigabytes would hold the run for minutes, and calamine holds some
/// parts (the shared strings, a cell's text) whole in memory. The zip crate stops a part at
/// the size its directory declares, so the declared sizes bound what can be inflated, and are
/// checked here: at most 2 GiB a part (a sheet of Excel's 1,048,576 rows by 30 columns is
/// about 1.3 GB), and at most 100 times the compressed size above 64 MiB (Apache POI's
/// ZipSecureFile ratio; Excel's parts compress about 10 times). A file that is no zip is left
/// to calamine, which says what it is not.
pub fn inflation_guard(bytes: &[u8], file: &str) -> Result<(), InvalidProfile> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for index in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(index) else {
            continue;
        };
        let (inflated, compressed) = (part.size(), part.compressed_size().max(1));
        let ratio = inflated / compressed;
        if inflated > PART_MAX_BYTES || (inflated > RATIO_FROM_BYTES && ratio > PART_MAX_RATIO) {
            let name = part
                .name()
                .map(|name| name.into_owned())
                .unwrap_or_default();
            let mb = |n: u64| n as f64 / 1e6;
            return Err(file_error(
                file,
                format!(
                    "工作簿的部件“{name}”解压后将达 {:.1} MB（压缩时 {:.1} MB，{ratio} 倍），超出工作簿部件的上限（{} MB，且超过 {} MB 时不得超过压缩大小的 {PART_MAX_RATIO} 倍）：疑为“压缩炸弹”，未读取；若文件无误，请在 Excel 中另存一次或存为 CSV",
                    mb(inflated), mb(compressed), PART_MAX_BYTES >> 20, RATIO_FROM_BYTES >> 20
                ),
                format!(
                    "the workbook's part '{name}' would inflate to {:.1} MB from {:.1} MB ({ratio} times), beyond what a workbook's part may (at most {} MiB, and above {} MiB at most {PART_MAX_RATIO} times its compressed size): a zip bomb, not read; if the file is genuine, save it again from Excel or as CSV",
                    mb(inflated), mb(compressed), PART_MAX_BYTES >> 20, RATIO_FROM_BYTES >> 20
                ),
            ));
        }
    }
    Ok(())
}

/// Opens a workbook's bytes: the worksheet to read (`sheet`, from `--sheet NAME`; without it,
/// the first with a recognisable header), its resolved header and its data rows.
pub fn open(
    bytes: Vec<u8>,
    file: &str,
    sheet: Option<&str>,
) -> Result<(Columns, XlsxRows), InvalidProfile> {
    if bytes.is_empty() {
        return Err(file_error(file, "文件为空", "the file is empty"));
    }
    // An .xlsx names its workbook part in the zip's directory; anything else (.xls, .xlsb,
    // .ods) is read whole by calamine's detection of the format.
    let is_xlsx = memchr::memmem::find(&bytes, b"xl/workbook.xml").is_some();
    inflation_guard(&bytes, file)?;
    let bytes = Shared(Arc::new(bytes));
    let opened: Result<Box<dyn Book>, String> = if is_xlsx {
        Xlsx::new(Cursor::new(bytes.clone()))
            .map(|xlsx| Box::new(xlsx) as Box<dyn Book>)
            .map_err(|error| error.to_string())
    } else {
        open_workbook_auto_from_rs(Cursor::new(bytes.clone()))
            .map(|sheets| Box::new(sheets) as Box<dyn Book>)
            .map_err(|error| error.to_string())
    };
    let mut book = opened.map_err(|error| {
        file_error(
            file,
            format!(
                "无法打开 Excel 工作簿：{}",
                crate::i18n::foreign::workbook_error_zh(&error)
            ),
            format!("cannot open the Excel workbook: {error}"),
        )
    })?;
    let unreadable = |name: &str, error: String| {
        file_error(
            file,
            format!(
                "无法读取工作表“{name}”：{}",
                crate::i18n::foreign::workbook_error_zh(&error.to_string())
            ),
            format!("cannot read the worksheet '{name}': {error}"),
        )
    };
    let (name, header_row, names, note) = choose_sheet(book.as_mut(), file, sheet)?;
    let mut columns = Columns::resolve(file, &names, header_row)?;
    columns.sheet_note = note.map(|note| (name.clone(), note));
    // Merged cells in the data rows are filled down (所在州市 merged over a prefecture's rows).
    // Their ranges follow the cells in the sheet's XML: they are looked for on a thread while
    // the first reading goes on, and only the second reading fills them in. (The older formats'
    // merged cells are not filled: bureaus send .xlsx.)
    let merged = is_xlsx.then(|| {
        let (bytes, sheet) = (bytes.clone(), name.clone());
        let find = move || merged::read_xlsx(&bytes.0, &sheet);
        std::thread::Builder::new()
            .name("ticheck-merged".to_string())
            .spawn(find.clone())
            .map_err(|_| find)
    });
    // First reading: the names and USCCs, for the same applicant twice.
    let tracker = {
        let mut gate = Gate::finding(&columns, header_row);
        let rows = book
            .rows(&name, Some(columns.key_columns()))
            .map_err(|error| unreadable(&name, error))?;
        for read in rows {
            let Ok((number, cells)) = read else { break };
            if number > header_row {
                gate.admit(RawRow {
                    number,
                    cells: RowCells::Cells(cells),
                });
            }
        }
        gate.found()
    };
    let merged = match merged {
        Some(Ok(thread)) => thread
            .join()
            .unwrap_or_else(|_| Err("the merged cells could not be read".to_string())),
        // No thread to be had: looked for here.
        Some(Err(find)) => find(),
        None => Ok(merged::Extras::default()),
    }
    .map_err(|error| unreadable(&name, error))?;
    // Second reading, on a thread: the rows, handed on as they come.
    let mut gate = Gate::new(&columns, header_row);
    gate.track(tracker);
    gate.fill_merged(merged.regions, header_row);
    gate.uncomputed(merged.uncomputed);
    let (sender, receiver) = sync_channel(QUEUE_CHUNKS);
    let file_name = file.to_string();
    let worker = std::thread::Builder::new()
        .name("ticheck-xlsx".to_string())
        .spawn(move || {
            let rows = match book.rows(&name, None) {
                Ok(rows) => rows,
                Err(error) => {
                    let _ = sender.send(Err(file_error(
                        &file_name,
                        format!(
                            "无法读取工作表“{name}”：{}",
                            crate::i18n::foreign::workbook_error_zh(&error.to_string())
                        ),
                        format!("cannot read the worksheet '{name}': {error}"),
                    )));
                    return;
                }
            };
            let mut chunk = Vec::with_capacity(CHUNK_ROWS);
            for read in rows {
                match read {
                    Ok((number, _)) if number <= header_row => {}
                    Ok((number, cells)) => {
                        let row = RawRow {
                            number,
                            cells: RowCells::Cells(cells),
                        };
                        if let Some(row) = gate.admit(row) {
                            chunk.push(row);
                        }
                        if chunk.len() == CHUNK_ROWS {
                            let full =
                                std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ROWS));
                            if sender.send(Ok(full)).is_err() {
                                return;
                            }
                        }
                    }
                    Err(error) => {
                        let _ = sender.send(Ok(std::mem::take(&mut chunk)));
                        let _ = sender.send(Err(file_error(
                            &file_name,
                            format!(
                                "工作表“{name}”读取失败：{}",
                                crate::i18n::foreign::workbook_error_zh(&error.to_string())
                            ),
                            format!("cannot read the worksheet '{name}': {error}"),
                        )));
                        return;
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = sender.send(Ok(chunk));
            }
        })
        .map_err(|error| {
            file_error(
                file,
                format!(
                    "无法启动读取线程：{}",
                    crate::i18n::foreign::io_error_zh(&error)
                ),
                format!("cannot start the reading thread: {error}"),
            )
        })?;
    Ok((
        columns,
        XlsxRows {
            receiver: Some(receiver),
            chunk: Vec::new().into_iter(),
            worker: Some(worker),
        },
    ))
}

/// A worksheet's first rows, looking for the header: up to [`HEADER_SEARCH_ROWS`] non-empty
/// rows, and no further once a row is surely the header.
fn first_rows(book: &mut dyn Book, name: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut found = Vec::new();
    // The header found: one more non-empty row is read, the lower row of a header over two.
    let mut header = false;
    for read in book.rows(name, None)? {
        let (number, cells) = read?;
        let texts: Vec<String> = cells.iter().map(Cell::header_text).collect();
        let score = HeaderScore::of(texts.iter().map(String::as_str));
        if score.non_empty == 0 {
            continue;
        }
        found.push((number, texts));
        if header || found.len() >= HEADER_SEARCH_ROWS {
            break;
        }
        header = score.is_header();
    }
    Ok(found)
}

/// The worksheet to read, its header row and header, and a note when it is not the first.
fn choose_sheet(
    book: &mut dyn Book,
    file: &str,
    wanted: Option<&str>,
) -> Result<(String, usize, Vec<String>, Option<Text>), InvalidProfile> {
    let sheets = book.sheets();
    if sheets.is_empty() {
        return Err(file_error(
            file,
            "工作簿中没有工作表",
            "the workbook has no worksheet",
        ));
    }
    let all_names = |lang: crate::i18n::Lang| {
        sheets
            .iter()
            .map(|(name, _)| {
                lang.pick(&format!("“{name}”"), &format!("'{name}'"))
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    let unreadable = |name: &str, error: String| {
        file_error(
            file,
            format!(
                "无法读取工作表“{name}”：{}",
                crate::i18n::foreign::workbook_error_zh(&error.to_string())
            ),
            format!("cannot read the worksheet '{name}': {error}"),
        )
    };
    let header_of = |name: &str, rows: &[(usize, Vec<String>)]| {
        let texts: Vec<Vec<String>> = rows.iter().map(|(_, texts)| texts.clone()).collect();
        pick_header_rows(&texts).map(|(at, header)| (name.to_string(), rows[at].0, header))
    };
    if let Some(wanted) = wanted {
        let name = sheets
            .iter()
            .map(|(name, _)| name)
            .find(|name| *name == wanted)
            .or_else(|| {
                sheets
                    .iter()
                    .map(|(name, _)| name)
                    .find(|name| normalise_header(name) == normalise_header(wanted))
            })
            .cloned()
            .ok_or_else(|| {
                file_error(
                    file,
                    format!(
                        "工作簿中没有名为“{wanted}”的工作表；现有工作表：{}",
                        all_names(Zh).join("、")
                    ),
                    format!(
                        "the workbook has no worksheet named '{wanted}'; its worksheets are {}",
                        all_names(En).join(", ")
                    ),
                )
            })?;
        let rows = first_rows(book, &name).map_err(|error| unreadable(&name, error))?;
        let (name, header_row, header) = header_of(&name, &rows).ok_or_else(|| {
            file_error(
                file,
                format!("工作表“{name}”为空"),
                format!("the worksheet '{name}' is empty"),
            )
        })?;
        return Ok((name, header_row, header, None));
    }
    // The first visible worksheet with a recognisable header; instructions are passed over.
    let candidates: Vec<&String> = sheets
        .iter()
        .filter(|(name, visible)| {
            *visible && !INSTRUCTION_SHEETS.contains(&normalise_header(name).as_str())
        })
        .map(|(name, _)| name)
        .collect();
    let mut fallback: Option<(String, usize, Vec<String>)> = None;
    let mut first_error = None;
    for name in &candidates {
        let rows = match first_rows(book, name) {
            Ok(rows) => rows,
            Err(error) => {
                first_error.get_or_insert_with(|| unreadable(name, error));
                continue;
            }
        };
        let surely = rows
            .iter()
            .position(|(_, texts)| HeaderScore::of(texts.iter().map(String::as_str)).is_header());
        if let Some((_, header_row, header)) = surely.and_then(|_| header_of(name, &rows)) {
            let note = (sheets[0].0 != **name).then(|| {
                let passed = |quote: fn(&str) -> String| {
                    sheets
                        .iter()
                        .take_while(|(sheet, _)| sheet != *name)
                        .map(|(sheet, _)| quote(sheet))
                        .collect::<Vec<_>>()
                };
                Text::new(
                    format!(
                        "读取的是工作表“{name}”（跳过了{}：不是申报数据表）",
                        passed(|sheet| format!("“{sheet}”")).join("、")
                    ),
                    format!(
                        "read the worksheet '{name}' (passing over {}: no sheet of applicants)",
                        passed(|sheet| format!("'{sheet}'")).join(", ")
                    ),
                )
            });
            return Ok(((*name).clone(), header_row, header, note));
        }
        if fallback.is_none() {
            fallback = header_of(name, &rows);
        }
    }
    if let Some((name, header_row, header)) = fallback {
        return Ok((name, header_row, header, None));
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    Err(file_error(
        file,
        format!(
            "工作簿中没有可读的工作表：各工作表均为空或只有说明（{}）",
            all_names(Zh).join("、")
        ),
        format!(
            "the workbook has no worksheet to read: its worksheets are empty or instructions ({})",
            all_names(En).join(", ")
        ),
    ))
}

/// Whether a number format shows a percentage: a `%` outside quoted text and escapes.
fn shows_percent(format: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in format.chars() {
        match (c, quoted, escaped) {
            (_, _, true) => escaped = false,
            ('"', _, _) => quoted = !quoted,
            ('\\', false, _) => escaped = true,
            ('%', false, _) => return true,
            _ => {}
        }
    }
    false
}

/// A streamed cell. A number formatted as a percentage is read as Excel shows it, `58.2%`,
/// whatever its column's header says.
fn cell_ref(data: &DataRef<'_>, percent: bool) -> Cell {
    match (data, percent) {
        (DataRef::Empty, _) => Cell::Empty,
        (DataRef::SharedString(text), _) => Cell::Text((*text).to_string()),
        (DataRef::String(text), _) => Cell::Text(text.clone()),
        (DataRef::Float(number), true) => percent_text(*number),
        (DataRef::Int(number), true) => percent_text(*number as f64),
        (other, _) => cell(&Data::from(other.clone())),
    }
}

/// A fraction as the percentage text Excel shows: 0.582 → `58.2%`.
fn percent_text(number: f64) -> Cell {
    let text = float_text(number);
    match rust_decimal::Decimal::from_str_exact(&text)
        .ok()
        .and_then(crate::profile::value::percent)
    {
        Some(percent) => Cell::Text(format!("{}%", crate::profile::value::plain(percent))),
        None => Cell::Number(text),
    }
}

/// A calamine cell as a profile cell. Numbers keep their shortest exact decimal text.
fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Int(number) => Cell::Number(number.to_string()),
        Data::Float(number) => Cell::Number(float_text(*number)),
        Data::Bool(flag) => Cell::Bool(*flag),
        Data::DateTime(datetime) => match datetime.as_datetime() {
            Some(moment) if moment.time() == chrono::NaiveTime::MIN && datetime.is_datetime() => {
                Cell::Date(moment.date())
            }
            _ => Cell::DateTime(datetime.to_string()),
        },
        Data::DateTimeIso(text) => match crate::profile::value::parse_date(text) {
            Ok(date) => Cell::Date(date),
            Err(_) => Cell::DateTime(text.clone()),
        },
        Data::DurationIso(text) => Cell::DateTime(text.clone()),
        Data::Error(error) => Cell::Error(error.to_string()),
    }
}

/// A number cell as Excel shows it: rounded to 15 significant digits, Excel's own precision.
/// `=SUM(578.9,752.3,168.8)` stores 1499.9999999999998 and displays 1500; the bureau means
/// 1500, and exact bounds (`1500m² 以上`) must see 1500.
pub(crate) fn float_text(number: f64) -> String {
    if !number.is_finite() {
        return number.to_string();
    }
    // Most cells are whole numbers, or decimals whose shortest text has no more than Excel's
    // 15 significant digits: that text is the rounded one, written without the slow exact
    // formatting below.
    if number.fract() == 0.0 && number.abs() < 1e15 {
        return (number as i64).to_string();
    }
    let shortest = number.to_string();
    let significant = shortest
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|digit| *digit == b'0')
        .count();
    if significant <= 15 && shortest.len() <= 24 {
        return shortest;
    }
    let rounded = format!("{number:.14e}");
    match rust_decimal::Decimal::from_scientific(&rounded) {
        Ok(value) => value.normalize().to_string(),
        Err(_) => format!("{number}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{float_text, percent_text, shows_percent, Cell};

    #[test]
    fn floats_keep_their_shortest_text() {
        assert_eq!(float_text(1500.0), "1500");
        assert_eq!(float_text(0.582), "0.582");
        assert_eq!(float_text(0.6999), "0.6999");
        // What Excel stores for sums it displays as round numbers.
        assert_eq!(float_text(578.9 + 752.3 + 168.8), "1500");
        assert_eq!(float_text(0.21 / 0.3), "0.7");
        assert_eq!(float_text(1999.9999999999998), "2000");
    }

    #[test]
    fn percentage_formats_are_told_and_read_as_shown() {
        for format in ["0%", "0.00%", "0.0%;[Red]-0.0%", "#,##0.0%"] {
            assert!(shows_percent(format), "{format}");
        }
        for format in ["0.00", "\"%\"0", "0\\%", "General", "yyyy-mm-dd"] {
            assert!(!shows_percent(format), "{format}");
        }
        assert_eq!(percent_text(0.582), Cell::Text("58.2%".into()));
        assert_eq!(percent_text(0.7), Cell::Text("70%".into()));
        assert_eq!(percent_text(0.6999), Cell::Text("69.99%".into()));
    }
}
