//! CSV sheets, read one record at a time so that memory does not grow with the row count.

use std::io::{Cursor, Read};

use super::encoding::{self, EncodingChoice, TextEncoding};
use super::{file_error, Cell, Columns, RawRow, RowCells};
use crate::profile::InvalidProfile;

/// Bytes read ahead to decide the encoding.
const SNIFF: usize = 64 * 1024;

/// The data rows of a CSV file, after its header.
pub struct CsvRows {
    reader: ::csv::Reader<Box<dyn Read>>,
    encoding: TextEncoding,
    file: String,
    /// Records read so far, the header included: the spreadsheet row number of the last one.
    records: usize,
    failed: bool,
}

fn read_sniff(reader: &mut dyn Read) -> std::io::Result<Vec<u8>> {
    let mut sniff = Vec::with_capacity(SNIFF);
    reader.take(SNIFF as u64).read_to_end(&mut sniff)?;
    Ok(sniff)
}

/// Opens a CSV stream: detects the encoding, reads and resolves the header.
pub fn open(
    mut input: Box<dyn Read>,
    file: &str,
    forced: Option<EncodingChoice>,
) -> Result<(Columns, CsvRows), InvalidProfile> {
    let io_error = |error: std::io::Error| {
        file_error(
            file,
            format!("无法读取文件：{error}"),
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
    let mut stream: Box<dyn Read> = Box::new(Cursor::new(sniff).chain(input));
    if let Some(order) = detected.utf16 {
        stream = encoding::transcode_utf16(stream, order);
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(stream);
    let mut header = ::csv::ByteRecord::new();
    let read = reader
        .read_byte_record(&mut header)
        .map_err(|error| csv_error(file, &error))?;
    if !read {
        return Err(file_error(file, "文件为空", "the file is empty"));
    }
    let names: Vec<String> = header
        .iter()
        .map(|bytes| match detected.fields.cell(bytes) {
            Cell::Text(text) => text,
            _ => String::from_utf8_lossy(bytes).into_owned(),
        })
        .collect();
    let columns = Columns::resolve(file, &names, 1)?;
    Ok((
        columns,
        CsvRows {
            reader,
            encoding: detected.fields,
            file: file.to_string(),
            records: 1,
            failed: false,
        },
    ))
}

fn csv_error(file: &str, error: &::csv::Error) -> InvalidProfile {
    let line = error.position().map(|p| p.line()).unwrap_or(0);
    file_error(
        file,
        format!("CSV 读取失败（约第 {line} 行）：{error}"),
        format!("cannot read the CSV (near line {line}): {error}"),
    )
}

impl Iterator for CsvRows {
    type Item = Result<RawRow, InvalidProfile>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let mut record = ::csv::ByteRecord::new();
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {
                    self.records += 1;
                    // A row with nothing in it is not an applicant (Excel leaves such rows).
                    if record
                        .iter()
                        .all(|field| field.iter().all(u8::is_ascii_whitespace))
                    {
                        continue;
                    }
                    return Some(Ok(RawRow {
                        number: self.records,
                        cells: RowCells::Csv(record, self.encoding),
                    }));
                }
                Err(error) => {
                    self.failed = true;
                    return Some(Err(csv_error(&self.file, &error)));
                }
            }
        }
    }
}
