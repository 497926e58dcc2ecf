//! The first reading of a CSV sheet, for the same applicant twice (SPEC §7): only the cells a
//! row's identity needs, at a fraction of the cost of a full reading.
//!
//! A row's name and USCC stand in its first cells, and a row is told applicant, empty or totals
//! by its first cells too ([`Columns::classify`] looks no further than its first two non-empty
//! cells and the key columns). So each record is parsed field by field with `csv_core` (the
//! parser the `csv` crate uses, configured alike, so the record boundaries are the same) up to
//! there, and the rest of the record is passed over with `memchr` to its line break, unless a
//! quote lies before the break, in which case the parser goes on to the record's end. Row
//! numbers are counted as the full reading counts them: line breaks outside quoted cells.
//!
//! [`Columns::classify`]: super::Columns

use std::io::{self, Read};

use super::csv::newlines;

/// Bytes read at a time.
pub(super) const CHUNK: usize = 64 * 1024;

/// Where the reading stands in the current record.
enum Phase {
    /// Between records: line breaks and blank lines are passed over (and counted).
    Between,
    /// Fields are being parsed into the record.
    Fields,
    /// The record's needed fields are read; the rest is passed over up to its line break.
    Skip,
    /// A quote lies in the rest of the record: parsed to its end, nothing kept.
    Drain,
}

/// Reads `input` (the stream after its encoding is settled, from its first byte) and hands
/// each record, cut short past `key_column` once two of its cells are non-empty, to `each`
/// with its row number; `each` may give the record's buffer back. A reading error ends the
/// scan quietly: the full reading reports it.
pub(super) fn scan(
    mut input: impl Read,
    delimiter: u8,
    key_column: usize,
    chunk_size: usize,
    mut each: impl FnMut(usize, ::csv::ByteRecord) -> Option<::csv::ByteRecord>,
) {
    let mut parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut chunk = vec![0u8; chunk_size.max(1)];
    let mut field = vec![0u8; 256];
    let mut field_len = 0;
    let mut record = ::csv::ByteRecord::new();
    let mut spare = None;
    // Line breaks outside quoted cells so far: the row number of the next record, less one.
    let mut lines = 0usize;
    let mut number = 0usize;
    let mut non_empty = 0usize;
    // In `Skip`, the byte before the one looked at; `None` where a field starts.
    let mut before: Option<u8> = None;
    let mut phase = Phase::Between;
    loop {
        let filled = match read_some(&mut input, &mut chunk) {
            Ok(filled) => filled,
            Err(_) => return,
        };
        let at_end = filled == 0;
        let mut pos = 0;
        loop {
            match phase {
                Phase::Between => {
                    while pos < filled && matches!(chunk[pos], b'\n' | b'\r') {
                        lines += usize::from(chunk[pos] == b'\n');
                        pos += 1;
                    }
                    if pos == filled {
                        break;
                    }
                    number = lines + 1;
                    non_empty = 0;
                    record.clear();
                    parser.reset();
                    phase = Phase::Fields;
                }
                Phase::Fields | Phase::Drain => {
                    // An empty input tells the parser the stream has ended.
                    if pos == filled && !at_end {
                        break;
                    }
                    let keep = matches!(phase, Phase::Fields);
                    let input = &chunk[pos..filled];
                    let (result, read, written) = parser.read_field(input, &mut field[field_len..]);
                    lines += newlines(&input[..read]);
                    // Line breaks inside quoted cells do not start rows.
                    lines = lines.saturating_sub(newlines(&field[field_len..field_len + written]));
                    pos += read;
                    field_len += written;
                    match result {
                        // Past the end the parser always ends its record; this is a guard.
                        csv_core::ReadFieldResult::InputEmpty if at_end => return,
                        csv_core::ReadFieldResult::InputEmpty => {}
                        csv_core::ReadFieldResult::OutputFull if keep => {
                            let larger = field.len() * 2;
                            field.resize(larger, 0);
                        }
                        // What is drained is not kept.
                        csv_core::ReadFieldResult::OutputFull => field_len = 0,
                        csv_core::ReadFieldResult::Field { record_end } => {
                            if keep {
                                let bytes = &field[..field_len];
                                non_empty +=
                                    usize::from(!bytes.iter().all(u8::is_ascii_whitespace));
                                record.push_field(bytes);
                            }
                            field_len = 0;
                            if record_end {
                                if keep {
                                    hand_on(&mut each, &mut record, &mut spare, number);
                                }
                                phase = Phase::Between;
                            } else if keep && non_empty >= 2 && record.len() > key_column {
                                hand_on(&mut each, &mut record, &mut spare, number);
                                before = None;
                                phase = Phase::Skip;
                            }
                        }
                        csv_core::ReadFieldResult::End => return,
                    }
                }
                Phase::Skip => match memchr::memchr3(b'"', b'\n', b'\r', &chunk[pos..filled]) {
                    Some(offset) => {
                        let at = pos + offset;
                        if chunk[at] != b'"' {
                            pos = at;
                            phase = Phase::Between;
                            continue;
                        }
                        let previous = if offset > 0 {
                            Some(chunk[at - 1])
                        } else {
                            before
                        };
                        if previous.is_none() || previous == Some(delimiter) {
                            // A quoted cell: its quotes may hold line breaks, so the parser
                            // reads on from the cell's start.
                            pos = at;
                            phase = Phase::Drain;
                        } else {
                            // A quote inside an unquoted cell is a plain character to the
                            // parser too.
                            pos = at + 1;
                            before = Some(b'"');
                        }
                    }
                    None => {
                        if pos < filled {
                            before = Some(chunk[filled - 1]);
                        }
                        break;
                    }
                },
            }
        }
        if at_end {
            return;
        }
    }
}

/// Gives a record (cut short or whole) on. A record given back becomes the spare that the
/// next one is read into, so that two buffers take turns rather than one being made per row.
fn hand_on(
    each: &mut impl FnMut(usize, ::csv::ByteRecord) -> Option<::csv::ByteRecord>,
    record: &mut ::csv::ByteRecord,
    spare: &mut Option<::csv::ByteRecord>,
    number: usize,
) {
    let full = std::mem::replace(record, spare.take().unwrap_or_default());
    if let Some(mut back) = each(number, full) {
        back.clear();
        *spare = Some(back);
    }
}

/// Fills as much of `chunk` as one read gives, retrying on interruption.
fn read_some(input: &mut impl Read, chunk: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(chunk) {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The first reading's records: row number and fields.
    fn scanned(bytes: &[u8], key_column: usize, chunk: usize) -> Vec<(usize, Vec<Vec<u8>>)> {
        let mut all = Vec::new();
        scan(bytes, b',', key_column, chunk, |number, record| {
            all.push((number, record.iter().map(<[u8]>::to_vec).collect()));
            Some(record)
        });
        all
    }

    /// The first reading gives every record the full reading gives, with the same row number,
    /// and the same first cells: all of them up to the key column and two non-empty ones.
    fn agrees(bytes: &[u8], key_column: usize, chunk: usize) -> Result<(), String> {
        let full = super::super::csv::numbered_records(bytes);
        let first = scanned(bytes, key_column, chunk);
        if full.len() != first.len() {
            return Err(format!(
                "{} records against {}: {:?} / {:?}",
                first.len(),
                full.len(),
                first.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                full.iter().map(|(n, _)| n).collect::<Vec<_>>()
            ));
        }
        for ((number, fields), (full_number, record)) in first.iter().zip(&full) {
            if number != full_number {
                return Err(format!("row {number} read as row {full_number}"));
            }
            let whole: Vec<&[u8]> = record.iter().collect();
            if fields.len() > whole.len() || whole[..fields.len()] != fields[..] {
                return Err(format!(
                    "row {number}: {fields:?} is not a start of {whole:?}"
                ));
            }
            let non_empty = fields
                .iter()
                .filter(|field| !field.iter().all(u8::is_ascii_whitespace))
                .count();
            if fields.len() < whole.len() && (fields.len() <= key_column || non_empty < 2) {
                return Err(format!("row {number}: cut short too early: {fields:?}"));
            }
        }
        Ok(())
    }

    #[test]
    fn records_and_row_numbers_match_the_full_reading() {
        let cases: &[&str] = &[
            "a,b,c\n1,2,3\n",
            "a,b,c\r\n1,2,3\r\n4,5,6",
            "title\n\n\na,b\n1,2\n\n3,4\n",
            // Line breaks in a quoted key cell, and in a quoted cell past the keys.
            "\"x\ny\",b,c\n1,\"2\n3\",4\n5,6,\"7\n8\n9\"\n10,11,12\n",
            // A quote inside an unquoted cell is a plain character; a quote opening a cell
            // past the keys, with a delimiter and a line break inside.
            "a,b,5\"屏,\"x,\ny\"\n1,2,3\n",
            "a,b,c\"d\ne,f,g\n",
            // A doubled quote inside a quoted cell, and a lone CR ending a record.
            "a,b,\"he said \"\"hi\"\"\nok\"\r1,2,3\r\r\n4,5,6\n",
            // Empty first cells: the cut comes after two non-empty cells.
            ",,,x,y,z\n,,\"q\nr\",s,t\n",
            "only\n",
            "",
            "\n\n\n",
            "a,\"unterminated\nb,c\n",
        ];
        for case in cases {
            for key_column in [0, 1, 3] {
                for chunk in [1, 2, 3, 7, 64] {
                    agrees(case.as_bytes(), key_column, chunk).unwrap_or_else(|why| {
                        panic!("{case:?} (key {key_column}, chunk {chunk}): {why}")
                    });
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Any text made of cells, quotes, delimiters and line breaks, read in any chunk size.
        #[test]
        fn any_text_reads_as_the_full_reading_reads_it(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("名"), Just(" "), Just(","), Just("\""), Just("\"\""),
                    Just("\n"), Just("\r"), Just("\r\n"), Just("91530100MA6K3L7P2D"),
                ],
                0..60,
            ),
            key_column in 0usize..4,
            chunk in 1usize..40,
        ) {
            let text: String = pieces.concat();
            prop_assert!(agrees(text.as_bytes(), key_column, chunk).is_ok(), "{:?}: {:?}", text, agrees(text.as_bytes(), key_column, chunk));
        }
    }
}
