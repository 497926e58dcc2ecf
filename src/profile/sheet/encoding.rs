//! The text encodings bureaus' files arrive in: UTF-8 (with or without BOM), GB18030/GBK (what
//! Excel on Chinese Windows writes by default) and, more rarely, UTF-16 ("Unicode text").

use std::borrow::Cow;
use std::io::Read;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use super::Cell;

/// How the bytes of a CSV field are turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
}

/// `--encoding`: what the user may force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EncodingChoice {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "gb18030", alias = "gbk", alias = "gb2312")]
    Gb18030,
    #[value(name = "utf-16", alias = "utf16")]
    Utf16,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gb18030 => "GB18030",
        }
    }

    /// Decodes one field; `None` for bytes that are not valid in the encoding (reported for
    /// that row and column, never replaced silently). UTF-8 is borrowed, not copied.
    pub fn decode(self, bytes: &[u8]) -> Option<Cow<'_, str>> {
        match self {
            TextEncoding::Utf8 => simdutf8::basic::from_utf8(bytes)
                .ok()
                .map(|text| Cow::Borrowed(strip_bom(text))),
            TextEncoding::Gb18030 => {
                GB18030.decode_without_bom_handling_and_without_replacement(bytes)
            }
        }
    }

    /// A CSV record ready to decode field by field. A UTF-8 record is checked once as a whole
    /// rather than field by field.
    pub fn record(self, record: &csv::ByteRecord) -> DecodedRecord<'_> {
        let whole = match self {
            TextEncoding::Utf8 => simdutf8::basic::from_utf8(record.as_slice()).ok(),
            TextEncoding::Gb18030 => None,
        };
        DecodedRecord {
            encoding: self,
            record,
            whole,
        }
    }

    /// Decodes one field as a cell.
    pub fn cell(self, bytes: &[u8]) -> Cell {
        if bytes.is_empty() {
            return Cell::Empty;
        }
        match self.decode(bytes) {
            Some(text) => Cell::Text(text.into_owned()),
            None => Cell::Undecodable(self.name()),
        }
    }
}

/// The fields of a CSV record, decoded on demand.
pub struct DecodedRecord<'a> {
    encoding: TextEncoding,
    record: &'a csv::ByteRecord,
    /// The record's text when the whole of it is valid UTF-8.
    whole: Option<&'a str>,
}

impl<'a> DecodedRecord<'a> {
    /// The field's text; `None` when its bytes are not valid in the encoding. A field that cuts
    /// a character in two is invalid on its own even when the whole record reads as UTF-8.
    pub fn field(&self, index: usize) -> Option<Cow<'a, str>> {
        match (self.whole, self.record.range(index)) {
            (Some(whole), Some(range)) => {
                whole.get(range).map(|text| Cow::Borrowed(strip_bom(text)))
            }
            _ => self.encoding.decode(self.record.get(index)?),
        }
    }
}

/// A field without the byte-order marks a spreadsheet may leave at its start.
fn strip_bom(text: &str) -> &str {
    if text.starts_with('\u{FEFF}') {
        text.trim_start_matches('\u{FEFF}')
    } else {
        text
    }
}

/// What detection decided: the field encoding, and whether the stream must first be
/// transcoded from UTF-16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub fields: TextEncoding,
    pub utf16: Option<Utf16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf16 {
    Little,
    Big,
}

/// Decides the encoding from the first bytes of a file. `None` when the bytes are neither
/// UTF-8 nor GB18030.
pub fn detect(sniff: &[u8], forced: Option<EncodingChoice>) -> Option<Detected> {
    let plain = |fields| {
        Some(Detected {
            fields,
            utf16: None,
        })
    };
    match forced {
        Some(EncodingChoice::Utf8) => return plain(TextEncoding::Utf8),
        Some(EncodingChoice::Gb18030) => return plain(TextEncoding::Gb18030),
        Some(EncodingChoice::Utf16) => {
            let order = if sniff.starts_with(&[0xFE, 0xFF]) {
                Utf16::Big
            } else {
                Utf16::Little
            };
            return Some(Detected {
                fields: TextEncoding::Utf8,
                utf16: Some(order),
            });
        }
        None => {}
    }
    if sniff.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return plain(TextEncoding::Utf8);
    }
    if sniff.starts_with(&[0xFF, 0xFE]) {
        return Some(Detected {
            fields: TextEncoding::Utf8,
            utf16: Some(Utf16::Little),
        });
    }
    if sniff.starts_with(&[0xFE, 0xFF]) {
        return Some(Detected {
            fields: TextEncoding::Utf8,
            utf16: Some(Utf16::Big),
        });
    }
    match std::str::from_utf8(sniff) {
        Ok(_) => return plain(TextEncoding::Utf8),
        // Cut inside a character at the end of the sniffed block: still UTF-8.
        Err(error) if error.error_len().is_none() => return plain(TextEncoding::Utf8),
        Err(_) => {}
    }
    // GB18030 characters are at most 4 bytes: allow the block to end inside one.
    let whole_gb18030 = (0..4.min(sniff.len() + 1)).any(|cut| {
        GB18030
            .decode_without_bom_handling_and_without_replacement(&sniff[..sniff.len() - cut])
            .is_some()
    });
    if whole_gb18030 {
        return plain(TextEncoding::Gb18030);
    }
    // Neither reads the whole block: a stray byte in one row must not condemn the file.
    // The encoding in which more lines read cleanly wins, provided the header reads; the
    // rows that do not read are reported one by one.
    let lines: Vec<&[u8]> = sniff.split(|b| *b == b'\n').collect();
    let complete = &lines[..lines.len().saturating_sub(1).max(1)];
    let utf8 = complete
        .iter()
        .filter(|line| std::str::from_utf8(line).is_ok())
        .count();
    let gb18030 = complete
        .iter()
        .filter(|line| {
            GB18030
                .decode_without_bom_handling_and_without_replacement(line)
                .is_some()
        })
        .count();
    let header = lines[0];
    let header_utf8 = std::str::from_utf8(header).is_ok();
    let header_gb18030 = GB18030
        .decode_without_bom_handling_and_without_replacement(header)
        .is_some();
    match (header_utf8, header_gb18030) {
        (true, true) if utf8 >= gb18030 => plain(TextEncoding::Utf8),
        (true, true) => plain(TextEncoding::Gb18030),
        (true, false) => plain(TextEncoding::Utf8),
        (false, true) => plain(TextEncoding::Gb18030),
        (false, false) => None,
    }
}

/// Wraps a UTF-16 stream so that it reads as UTF-8.
pub fn transcode_utf16(reader: Box<dyn Read + Send>, order: Utf16) -> Box<dyn Read + Send> {
    let encoding = match order {
        Utf16::Little => UTF_16LE,
        Utf16::Big => UTF_16BE,
    };
    Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .build(reader),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_checked_whole_still_rejects_a_field_that_cuts_a_character() {
        // "中" is E4 B8 AD: split across two fields, the record's bytes read as UTF-8 but
        // neither field does.
        let record = csv::ByteRecord::from(vec![
            &b"\xEF\xBB\xBFok"[..],
            b"\xE4\xB8",
            b"\xAD",
            "云南".as_bytes(),
        ]);
        let decoded = TextEncoding::Utf8.record(&record);
        assert_eq!(decoded.field(0).as_deref(), Some("ok"));
        assert_eq!(decoded.field(1), None);
        assert_eq!(decoded.field(2), None);
        assert_eq!(decoded.field(3).as_deref(), Some("云南"));
        assert_eq!(decoded.field(4), None, "no such field");
        let broken = csv::ByteRecord::from(vec![&b"\xFF"[..], "云南".as_bytes()]);
        let decoded = TextEncoding::Utf8.record(&broken);
        assert_eq!(decoded.field(0), None);
        assert_eq!(
            decoded.field(1).as_deref(),
            Some("云南"),
            "one bad field spoils only itself"
        );
    }

    #[test]
    fn detects_the_encodings_bureaus_use() {
        let utf8 = "单位名称,研发场地面积\n".as_bytes();
        assert_eq!(detect(utf8, None).unwrap().fields, TextEncoding::Utf8);
        let (gbk, _, _) = GB18030.encode("单位名称,研发场地面积\n");
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(detect(&gbk, None).unwrap().fields, TextEncoding::Gb18030);
        let bom = [&[0xEF, 0xBB, 0xBF][..], utf8].concat();
        assert_eq!(detect(&bom, None).unwrap().fields, TextEncoding::Utf8);
        assert_eq!(
            detect(&[0xFF, 0xFE, b'a', 0], None).unwrap().utf16,
            Some(Utf16::Little)
        );
    }

    #[test]
    fn sniff_cut_inside_a_character_is_fine() {
        let text = "云南".as_bytes();
        assert_eq!(detect(&text[..4], None).unwrap().fields, TextEncoding::Utf8);
        let (gbk, _, _) = GB18030.encode("云南省昆明市");
        assert_eq!(
            detect(&gbk[..gbk.len() - 1], None).unwrap().fields,
            TextEncoding::Gb18030
        );
    }

    #[test]
    fn garbage_is_neither() {
        assert_eq!(detect(&[0x81, 0x20, 0xFF, 0xFF, 0x80], None), None);
    }

    #[test]
    fn undecodable_cell_is_reported_not_replaced() {
        assert_eq!(
            TextEncoding::Utf8.cell(&[0xC3, 0x28]),
            Cell::Undecodable("UTF-8")
        );
        let (gbk, _, _) = GB18030.encode("昆明");
        assert_eq!(TextEncoding::Gb18030.cell(&gbk), Cell::Text("昆明".into()));
    }
}
