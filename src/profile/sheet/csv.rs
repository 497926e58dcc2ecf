//! CSV sheets, read one record at a time so that memory does not grow with the row count.
//!
//! The header is the first row that names known fields (title rows above it are passed over);
//! rows after it go through the sheet's [`Gate`], which skips empty and totals rows.

use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::sync::{Arc, Mutex, MutexGuard};

use super::encoding::{self, EncodingChoice, TextEncoding};
use super::header::{pick_header_rows_scored, HeaderScore, HEADER_SEARCH_ROWS};
use super::{file_error, keyscan, Cell, Columns, Gate, RawRow, RowCells};
use crate::profile::InvalidProfile;

/// Bytes read ahead to decide the encoding.
const SNIFF: usize = 64 * 1024;

/// The data rows of a CSV file, after its header.
pub struct CsvRows {
    records: Records,
    /// Rows read while looking for the header, handed on first.
    ahead: VecDeque<(usize, ::csv::ByteRecord)>,
    gate: Gate,
    header_row: usize,
}

/// The records of a CSV stream, each with the row number a spreadsheet shows for it.
struct Records {
    reader: ::csv::Reader<Box<dyn Read + Send>>,
    encoding: TextEncoding,
    file: String,
    lines: LineCounter,
    /// The largest record so far, in bytes and fields.
    record_bytes: usize,
    record_fields: usize,
    /// Line breaks inside quoted cells so far: a spreadsheet shows such a record on one row,
    /// so they are taken off the line number to give the row number.
    embedded_newlines: usize,
    failed: bool,
}

/// Where the line breaks of the stream are, so a record's byte offset gives its line even
/// across the blank lines the CSV reader skips without counting. Holds only the offsets the
/// reader has read ahead of the current record.
#[derive(Clone, Default)]
struct LineCounter(Arc<Mutex<LineState>>);

#[derive(Default)]
struct LineState {
    /// Bytes that went through so far.
    offset: u64,
    /// Offsets of line-break bytes (`\r`, `\n`) not yet passed by a record, and whether each
    /// ends a line (`\n`).
    pending: VecDeque<(u64, bool)>,
    /// Line breaks before the last record asked about.
    passed: usize,
}

impl LineCounter {
    /// The state; the reader and the row iterator use it in turn, on one thread.
    fn state(&self) -> MutexGuard<'_, LineState> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The 1-based line on which a record starting at `offset` stands (offsets only move
    /// forward). The reader places a record's start before the line breaks it skipped (blank
    /// lines, the `\n` of a `\r\n`), so those are passed over too.
    fn line_at(&self, mut offset: u64) -> usize {
        let mut state = self.state();
        while let Some(&(at, newline)) = state.pending.front() {
            if at > offset {
                break;
            }
            if at == offset {
                offset += 1;
            }
            state.pending.pop_front();
            state.passed += usize::from(newline);
        }
        state.passed + 1
    }
}

/// Passes bytes through, noting where the line breaks are.
struct Counting<R> {
    inner: R,
    lines: LineCounter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        let mut state = self.lines.state();
        let start = state.offset;
        for index in memchr::memchr2_iter(b'\n', b'\r', &buffer[..read]) {
            let newline = buffer[index] == b'\n';
            state.pending.push_back((start + index as u64, newline));
        }
        state.offset += read as u64;
        Ok(read)
    }
}

/// The longest line a CSV may have. The csv crate holds a record whole, so an endless line
/// (`/dev/zero` given as a sheet, a binary file named .csv) grew until memory ran out and the
/// run aborted (issue 15). A row of Excel's 16,384 columns of 200-character texts is 10 MB.
const LINE_MAX_BYTES: u64 = 64 << 20;

/// Passes bytes through, failing once a line runs past [`LINE_MAX_BYTES`].
struct LineBound<R> {
    inner: R,
    since_newline: u64,
}

impl<R: Read> Read for LineBound<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.since_newline = match memchr::memrchr(b'\n', &buffer[..read]) {
            Some(last) => (read - last - 1) as u64,
            None => self.since_newline + read as u64,
        };
        if self.since_newline > LINE_MAX_BYTES {
            let mib = LINE_MAX_BYTES >> 20;
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                crate::i18n::foreign::Worded {
                    zh: format!("有一行超过 {mib} MiB，不是表格的一行（二进制数据，或选错了文件？）"),
                    en: format!(
                        "a line longer than {mib} MiB, which no sheet's row is (binary data, or the wrong file?)"
                    ),
                },
            ));
        }
        Ok(read)
    }
}

fn newlines_inside(record: &::csv::ByteRecord) -> usize {
    newlines(record.as_slice())
}

/// Line breaks in some bytes: most have none, which a search rules out faster than a count.
pub(super) fn newlines(bytes: &[u8]) -> usize {
    match memchr::memchr(b'\n', bytes) {
        None => 0,
        Some(first) => 1 + memchr::memchr_iter(b'\n', &bytes[first + 1..]).count(),
    }
}

fn read_sniff(reader: &mut dyn Read) -> std::io::Result<Vec<u8>> {
    let mut sniff = Vec::with_capacity(SNIFF);
    reader.take(SNIFF as u64).read_to_end(&mut sniff)?;
    Ok(sniff)
}

/// Opens a CSV stream: detects the encoding, finds the header (the first row that names known
/// fields, past any title rows) and resolves it.
pub fn open(
    input: Box<dyn Read + Send>,
    file: &str,
    forced: Option<EncodingChoice>,
) -> Result<(Columns, CsvRows), InvalidProfile> {
    let (columns, records, ahead, header_row) = open_records(input, file, forced)?;
    let gate = Gate::new(&columns, header_row);
    Ok((
        columns,
        CsvRows {
            records,
            ahead,
            gate,
            header_row,
        },
    ))
}

/// [`open`], with the same applicant twice found too (SPEC §7): `again` is a second reader
/// of the same bytes, read through first for the rows' names and USCCs only (see
/// [`super::keyscan`]), so that the first of two duplicate rows is warned as well as the
/// second. Without it there is no such warning.
pub fn open_checked(
    input: Box<dyn Read + Send>,
    again: Option<Box<dyn Read + Send>>,
    file: &str,
    forced: Option<EncodingChoice>,
) -> Result<(Columns, CsvRows), InvalidProfile> {
    let (columns, mut rows) = open(input, file, forced)?;
    // A reading error is the full reading's to report.
    if let Some(Ok(stream)) = again.map(|again| prepare(again, file, forced)) {
        let header_row = rows.header_row;
        let mut finding = Gate::finding(&columns, header_row);
        let key_column = columns.key_columns().into_iter().max().unwrap_or(0);
        let encoding = rows.records.encoding;
        keyscan::scan(
            stream.bytes,
            stream.delimiter,
            key_column,
            keyscan::CHUNK,
            |number, record| {
                if number <= header_row {
                    return Some(record);
                }
                let row = RawRow {
                    number,
                    cells: RowCells::Csv(record, encoding),
                };
                match finding.admit(row)?.cells {
                    RowCells::Csv(record, _) => Some(record),
                    RowCells::Cells(_) => None,
                }
            },
        );
        rows.gate.track(finding.found());
    }
    Ok((columns, rows))
}

type Opened = (
    Columns,
    Records,
    VecDeque<(usize, ::csv::ByteRecord)>,
    usize,
);

/// A CSV stream made ready to parse: its bytes as UTF-8 or an 8-bit encoding (UTF-16
/// transcoded), from the first, with the encoding of its fields and its delimiter.
struct Prepared {
    bytes: Box<dyn Read + Send>,
    fields: TextEncoding,
    delimiter: u8,
}

fn prepare(
    mut input: Box<dyn Read + Send>,
    file: &str,
    forced: Option<EncodingChoice>,
) -> Result<Prepared, InvalidProfile> {
    let io_error = |error: std::io::Error| {
        file_error(
            file,
            format!(
                "无法读取文件：{}",
                crate::i18n::foreign::io_error_zh(&error)
            ),
            format!("cannot read the file: {error}"),
        )
    };
    let sniff = read_sniff(&mut input).map_err(io_error)?;
    if sniff.is_empty() {
        return Err(file_error(file, "文件为空", "the file is empty"));
    }
    let detected = encoding::detect(&sniff, forced).ok_or_else(|| {
        file_error(
            file,
            "文件既不是 UTF-8 也不是 GB18030/GBK 文本；请另存为 UTF-8 CSV，或用 --encoding 指定编码",
            "the file is neither UTF-8 nor GB18030/GBK text; save it as UTF-8 CSV or name its encoding with --encoding",
        )
    })?;
    let delimiter = delimiter_of(&sniff);
    let mut bytes: Box<dyn Read + Send> = Box::new(Cursor::new(sniff).chain(input));
    if let Some(order) = detected.utf16 {
        bytes = encoding::transcode_utf16(bytes, order);
    }
    let bytes = Box::new(LineBound {
        inner: bytes,
        since_newline: 0,
    });
    Ok(Prepared {
        bytes,
        fields: detected.fields,
        delimiter,
    })
}

fn open_records(
    input: Box<dyn Read + Send>,
    file: &str,
    forced: Option<EncodingChoice>,
) -> Result<Opened, InvalidProfile> {
    let Prepared {
        bytes: stream,
        fields,
        delimiter,
    } = prepare(input, file, forced)?;
    let lines = LineCounter::default();
    let stream: Box<dyn Read + Send> = Box::new(Counting {
        inner: stream,
        lines: lines.clone(),
    });
    let reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(stream);
    let mut records = Records {
        reader,
        encoding: fields,
        file: file.to_string(),
        lines,
        record_bytes: 0,
        record_fields: 0,
        embedded_newlines: 0,
        failed: false,
    };
    // The header: the first row that surely names fields, among the first rows.
    let mut scanned: Vec<(usize, ::csv::ByteRecord)> = Vec::new();
    let mut names: Vec<Vec<String>> = Vec::new();
    let mut undecodable: Vec<bool> = Vec::new();
    let mut scores: Vec<HeaderScore> = Vec::new();
    let mut non_empty = 0;
    // The header found: one more non-empty row is read, the lower row of a header over two.
    let mut found = false;
    while non_empty < HEADER_SEARCH_ROWS {
        let Some(read) = records.read() else { break };
        let (number, record) = read?;
        let mut row = Vec::with_capacity(record.len());
        let mut bad = false;
        for bytes in record.iter() {
            match fields.cell(bytes) {
                Cell::Text(text) => row.push(text),
                Cell::Empty => row.push(String::new()),
                _ => {
                    bad = true;
                    row.push(String::new());
                }
            }
        }
        // Past the header, the row is only the possible lower row of a header over two: its
        // cells are not matched against the fields here (the costly part of a score).
        let filled = bad || row.iter().any(|cell| !cell.trim().is_empty());
        non_empty += usize::from(filled);
        scanned.push((number, record));
        undecodable.push(bad);
        if found {
            names.push(row);
            if filled {
                break;
            }
            continue;
        }
        let score = HeaderScore::of(row.iter().map(String::as_str));
        found = score.is_header();
        scores.push(score);
        names.push(row);
    }
    if scanned.is_empty() {
        return Err(file_error(file, "文件为空", "the file is empty"));
    }
    let picked = pick_header_rows_scored(&names, &scores);
    if picked
        .as_ref()
        .map_or(undecodable.iter().any(|bad| *bad), |(at, _)| {
            undecodable[*at]
        })
    {
        let name = fields.name();
        return Err(file_error(
            file,
            format!("表头不是有效的 {name} 文本：文件可能是另一种编码；请去掉 --encoding 让程序自动识别，或指定正确的编码（utf-8、gb18030）"),
            format!("the header row is not valid {name} text: the file seems to be in another encoding; drop --encoding to detect it, or name the right one (utf-8, gb18030)"),
        ));
    }
    let (at, header) = picked.unwrap_or_else(|| (0, names[0].clone()));
    let header_row = scanned[at].0;
    let columns = Columns::resolve(file, &header, header_row)?;
    let ahead = scanned.into_iter().skip(at + 1).collect();
    Ok((columns, records, ahead, header_row))
}

/// Commas, or tabs when the first line with either has tabs and no comma: Excel's "Unicode
/// text" and copies out of a spreadsheet are tab-separated. A title line above the header may
/// have neither.
fn delimiter_of(sniff: &[u8]) -> u8 {
    let line = sniff
        .split(|b| *b == b'\n')
        .find(|line| line.contains(&b'\t') || line.contains(&b','))
        .unwrap_or_default();
    let tabs = line.iter().filter(|b| **b == b'\t').count();
    let commas = line.iter().filter(|b| **b == b',').count();
    if tabs > 0 && commas == 0 {
        b'\t'
    } else {
        b','
    }
}

fn csv_error(file: &str, error: &::csv::Error) -> InvalidProfile {
    // A reading error (an endless line) has no position: no "line 0" is named.
    let (zh, en) = match error.position() {
        Some(position) => (
            format!("（约第 {} 行）", position.line()),
            format!(" (near line {})", position.line()),
        ),
        None => (String::new(), String::new()),
    };
    file_error(
        file,
        format!(
            "CSV 读取失败{zh}：{}",
            crate::i18n::foreign::csv_error_zh(error)
        ),
        format!("cannot read the CSV{en}: {error}"),
    )
}

impl Records {
    /// The next record with its row number, empty ones included.
    fn read(&mut self) -> Option<Result<(usize, ::csv::ByteRecord), InvalidProfile>> {
        if self.failed {
            return None;
        }
        // Sized like the previous record, so that reading it does not grow it step by step.
        let mut record = ::csv::ByteRecord::with_capacity(self.record_bytes, self.record_fields);
        match self.reader.read_byte_record(&mut record) {
            Ok(false) => None,
            Ok(true) => {
                // Capped, so that one huge cell does not size every later record.
                self.record_bytes = self
                    .record_bytes
                    .max(record.as_slice().len())
                    .min(64 * 1024);
                self.record_fields = self.record_fields.max(record.len());
                let line = self
                    .lines
                    .line_at(record.position().map_or(0, |p| p.byte()));
                let number = line - self.embedded_newlines.min(line);
                self.embedded_newlines += newlines_inside(&record);
                Some(Ok((number, record)))
            }
            Err(error) => {
                self.failed = true;
                Some(Err(csv_error(&self.file, &error)))
            }
        }
    }
}

impl Iterator for CsvRows {
    type Item = Result<RawRow, InvalidProfile>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (number, record) = match self.ahead.pop_front() {
                Some(ahead) => ahead,
                None => match self.records.read()? {
                    Ok(read) => read,
                    Err(error) => return Some(Err(error)),
                },
            };
            // Empty rows (Excel leaves them) and totals rows are no applicants.
            let row = RawRow {
                number,
                cells: RowCells::Csv(record, self.records.encoding),
            };
            if let Some(row) = self.gate.admit(row) {
                return Some(Ok(row));
            }
        }
    }
}

/// Every record of a CSV with its row number, as the full reading numbers them: the reference
/// the first reading ([`keyscan`]) is tested against.
#[cfg(test)]
pub(super) fn numbered_records(bytes: &[u8]) -> Vec<(usize, ::csv::ByteRecord)> {
    let stream: Box<dyn Read + Send> = Box::new(Cursor::new(bytes.to_vec()));
    let lines = LineCounter::default();
    let counted: Box<dyn Read + Send> = Box::new(Counting {
        inner: stream,
        lines: lines.clone(),
    });
    let mut records = Records {
        reader: ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(counted),
        encoding: TextEncoding::Utf8,
        file: "mem.csv".to_string(),
        lines,
        record_bytes: 0,
        record_fields: 0,
        embedded_newlines: 0,
        failed: false,
    };
    let mut all = Vec::new();
    while let Some(Ok(read)) = records.read() {
        all.push(read);
    }
    all
}
