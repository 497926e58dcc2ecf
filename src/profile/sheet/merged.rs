//! Merged cells in the data rows of a workbook (SPEC §7, issue 11).
//!
//! A bureau merges a column's cells over the rows that share a value: 所在州市 = 昆明市 over
//! the four applicants of Kunming, 单位类型 = 企业 over a block of enterprises. Excel keeps the
//! value in the top-left cell only and the sheet's XML lists the merged ranges after the cells
//! (`<mergeCells>`), so a reader sees the other rows as empty. A person reading the sheet sees
//! the value in every row, and so should the checker: [`Fill`] puts it into the covered cells
//! as the rows stream by, holding only the ranges (a short list) and their values.
//!
//! Only ranges below the header that span more than one row are filled. A merged title above
//! the header is the title; a range merged across one row only is a section label (一、昆明市)
//! or a 合计 spread over a few columns, whose value belongs to no single field of the row.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::{column_letter, Cell, RawRow, RowCells};

/// A merged range: rows as the sheet numbers them (from 1), columns from 0 (A).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub top: usize,
    pub bottom: usize,
    pub left: usize,
    pub right: usize,
}

impl Region {
    /// `E5:E8`, as Excel names the range.
    pub fn name(&self) -> String {
        format!(
            "{}{}:{}{}",
            column_letter(self.left),
            self.top,
            column_letter(self.right),
            self.bottom
        )
    }

    fn covers(&self, row: usize) -> bool {
        self.top <= row && row <= self.bottom
    }
}

/// Fills merged ranges into the data rows they cover, as the rows stream by in order.
#[derive(Debug, Default)]
pub(super) struct Fill {
    /// Ranges whose top row has not been reached, the lowest top row last.
    pending: Vec<Region>,
    /// Ranges reached: the top-left value, and whether a cell has been filled from it yet.
    active: Vec<(Region, Cell, bool)>,
}

impl Fill {
    /// The ranges to fill among a worksheet's merged ones: those wholly below the header that
    /// span more than one row.
    pub(super) fn new(regions: impl IntoIterator<Item = Region>, header_row: usize) -> Fill {
        let mut pending: Vec<Region> = regions
            .into_iter()
            .filter(|region| region.top > header_row && region.bottom > region.top)
            .filter(|region| region.right >= region.left)
            .collect();
        pending.sort_by(|a, b| b.top.cmp(&a.top).then(b.left.cmp(&a.left)));
        Fill {
            pending,
            active: Vec::new(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.active.is_empty()
    }

    /// Takes note of a row, whatever it is: the ranges that begin in it keep their top-left
    /// value, those that ended above it are dropped. A range whose top row the sheet does not
    /// hold at all has an empty top-left cell, and fills nothing.
    pub(super) fn see(&mut self, row: &RawRow) {
        self.active
            .retain(|(region, _, _)| region.bottom >= row.number);
        while let Some(region) = self.pending.last().copied() {
            if region.top > row.number {
                break;
            }
            self.pending.pop();
            if region.bottom < row.number {
                continue;
            }
            let value = match (&row.cells, region.top == row.number) {
                (RowCells::Cells(cells), true) => {
                    cells.get(region.left).cloned().unwrap_or(Cell::Empty)
                }
                _ => Cell::Empty,
            };
            if value != Cell::Empty {
                self.active.push((region, value, false));
            }
        }
    }

    /// Fills a data row's covered cells with their range's value (what Excel shows there); a
    /// value a program left under the merge is hidden in Excel, and is replaced. Returns the
    /// ranges that filled a cell of the row, each with whether it is the range's first (for
    /// the sheet's note).
    pub(super) fn fill(&mut self, row: &mut RawRow) -> Vec<(Region, bool)> {
        let RowCells::Cells(cells) = &mut row.cells else {
            return Vec::new();
        };
        let mut first = Vec::new();
        for (region, value, used) in &mut self.active {
            if !region.covers(row.number) {
                continue;
            }
            let mut filled = false;
            for column in region.left..=region.right {
                if row.number == region.top && column == region.left {
                    continue;
                }
                if cells.len() <= column {
                    cells.resize(column + 1, Cell::Empty);
                }
                cells[column] = value.clone();
                filled = true;
            }
            if filled {
                first.push((*region, !*used));
                *used = true;
            }
        }
        first
    }
}

/// What a worksheet's XML says beside its cells' values: its merged ranges, and the formula
/// cells saved without a computed value.
#[derive(Debug, Default)]
pub struct Extras {
    pub regions: Vec<Region>,
    pub uncomputed: Vec<Uncomputed>,
}

/// A formula cell saved with no value (a program wrote `=1000+800` and computed nothing; Excel
/// computes it on opening, a reader sees an empty cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncomputed {
    /// The row as the sheet numbers it (from 1), the column from 0 (A).
    pub row: usize,
    pub column: usize,
    /// The formula as written, without `=`; empty for a copy of a shared formula.
    pub formula: String,
}

/// Uncomputed formula cells kept: past them the sheet was written by a program that computes
/// none, and the first ones say so.
const UNCOMPUTED_KEPT: usize = 10_000;

/// The merged ranges of an `.xlsx` worksheet, by its name, and its formula cells without a
/// value. The ranges follow the cells in the worksheet's XML part (`<mergeCells>` after
/// `<sheetData>`); the part is inflated and scanned for them and for formulas (`<f>`) rather
/// than parsed (parsing every cell again took as long as reading the cells), in chunks: memory
/// holds a chunk, the ranges and the formulas found, whatever the row count.
pub fn read_xlsx(bytes: &[u8], sheet: &str) -> Result<Extras, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| error.to_string())?;
    let Some(part) = sheet_part(&mut zip, sheet)? else {
        return Ok(Extras::default());
    };
    let mut reader = match zip.by_name(&part) {
        Ok(reader) => reader,
        Err(zip::result::ZipError::FileNotFound) => return Ok(Extras::default()),
        Err(error) => return Err(error.to_string()),
    };
    // Chunks of a medium size: a few of them, on a thread of its own, should not make the
    // allocator set aside a large segment for the thread.
    const CHUNK: usize = 32 * 1024;
    let finder = memchr::memmem::Finder::new(b"mergeCells");
    let cell_start = memchr::memmem::FinderRev::new(b"<c");
    let mut extras = Extras::default();
    let mut window: Vec<u8> = Vec::with_capacity(CHUNK + 64);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let read = reader.read(&mut chunk).map_err(|error| error.to_string())?;
        if read == 0 {
            formulas(&window, &mut extras.uncomputed);
            return Ok(extras);
        }
        window.extend_from_slice(&chunk[..read]);
        let merged = finder
            .find_iter(&window)
            .find_map(|at| start_tag(&window, at));
        // The cells before the last one begun are whole: their formulas are looked at now.
        let whole = merged.unwrap_or_else(|| cell_start.rfind(&window).unwrap_or(0));
        formulas(&window[..whole], &mut extras.uncomputed);
        if let Some(start) = merged {
            // The ranges are parsed as the rest of the part streams by.
            let rest = Cursor::new(window.split_off(start)).chain(reader);
            extras.regions = ranges(std::io::BufReader::with_capacity(CHUNK, rest))?;
            return Ok(extras);
        }
        // Keep the cell begun (and so any tag cut by the chunk's end, which follows its
        // start); a cell longer than a chunk is let go, its formula not looked at.
        let keep = window.len() - whole;
        let keep = if keep > CHUNK {
            window.len().min(64)
        } else {
            keep
        };
        window.drain(..window.len() - keep);
    }
}

/// The formula cells without a value among whole cells of a worksheet's XML: `<f>…</f>` or
/// `<f …/>` followed by the cell's end or an empty `<v/>`. (`<v></v>` is a computed empty text.)
fn formulas(xml: &[u8], found: &mut Vec<Uncomputed>) {
    for at in memchr::memmem::find_iter(xml, b"<f") {
        if found.len() >= UNCOMPUTED_KEPT {
            return;
        }
        if !matches!(xml.get(at + 2), Some(b'>' | b' ' | b'/')) {
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', &xml[at..]).map(|gt| at + gt) else {
            continue;
        };
        let (formula, end) = if xml[gt - 1] == b'/' {
            (&xml[gt..gt], gt + 1)
        } else {
            match memchr::memmem::find(&xml[gt..], b"</f>") {
                Some(close) => (&xml[gt + 1..gt + close], gt + close + 4),
                None => continue,
            }
        };
        let rest = &xml[end..];
        let start = rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let rest = &rest[start..];
        let empty = [&b"</c>"[..], b"<v/>", b"<v />"]
            .iter()
            .any(|tail| rest.starts_with(tail));
        if !empty {
            continue;
        }
        // The cell's reference, from its start tag (`<c r="O4" …>`).
        let Some(cell) = memchr::memmem::rfind(&xml[..at], b"<c ") else {
            continue;
        };
        let tag = &xml[cell..at];
        let Some(reference) = memchr::memmem::find(tag, b" r=\"").and_then(|r| {
            let value = &tag[r + 4..];
            let close = memchr::memchr(b'"', value)?;
            std::str::from_utf8(&value[..close]).ok()
        }) else {
            continue;
        };
        let Some((row, column)) = parse_cell(reference) else {
            continue;
        };
        let formula = String::from_utf8_lossy(formula)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        found.push(Uncomputed {
            row,
            column,
            formula,
        });
    }
}

/// The `<mergeCell ref="E5:E8"/>` elements of a `<mergeCells>` element.
fn ranges(part: impl std::io::BufRead) -> Result<Vec<Region>, String> {
    let mut xml = quick_xml::Reader::from_reader(part);
    let mut buffer = Vec::new();
    let mut regions = Vec::new();
    loop {
        buffer.clear();
        match xml.read_event_into(&mut buffer) {
            Ok(Event::Start(tag) | Event::Empty(tag))
                if tag.local_name().as_ref() == "mergeCell" =>
            {
                let reference = tag
                    .attributes()
                    .flatten()
                    .find(|attribute| attribute.key.local_name().as_ref() == "ref")
                    .and_then(|attribute| {
                        attribute
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    });
                if let Some(region) = reference.as_deref().and_then(parse_range) {
                    regions.push(region);
                }
            }
            Ok(Event::End(tag)) if tag.local_name().as_ref() == "mergeCells" => break,
            Ok(Event::Eof) => break,
            Err(error) => return Err(error.to_string()),
            Ok(_) => {}
        }
    }
    Ok(regions)
}

/// Where the start tag holding `mergeCells` at `at` begins (`<mergeCells`, `<x:mergeCells`):
/// `None` for the end tag, or the word anywhere else (text has its `<` escaped).
fn start_tag(window: &[u8], at: usize) -> Option<usize> {
    let after = window.get(at + b"mergeCells".len())?;
    if !matches!(after, b'>' | b' ' | b'\t' | b'\r' | b'\n' | b'/') {
        return None;
    }
    let mut start = at;
    if start > 0 && window[start - 1] == b':' {
        start -= 1;
        while start > 0 && is_name_byte(window[start - 1]) {
            start -= 1;
        }
    }
    (start > 0 && window[start - 1] == b'<').then(|| start - 1)
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.')
}

/// The worksheet part of a sheet's name: `xl/workbook.xml` names the sheet's relationship, and
/// `xl/_rels/workbook.xml.rels` its part.
fn sheet_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    sheet: &str,
) -> Result<Option<String>, String> {
    let small = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| {
        let mut text = Vec::new();
        match zip.by_name(name) {
            Ok(part) => part
                .take(16 << 20)
                .read_to_end(&mut text)
                .map(|_| Some(text))
                .map_err(|error| error.to_string()),
            Err(zip::result::ZipError::FileNotFound) => Ok(None),
            Err(error) => Err(error.to_string()),
        }
    };
    let Some(workbook) = small(zip, "xl/workbook.xml")? else {
        return Ok(None);
    };
    let Some(id) = elements(&workbook, "sheet")?
        .into_iter()
        .find(|attributes| {
            attributes
                .iter()
                .any(|(key, value)| key == "name" && value == sheet)
        })
        .and_then(|attributes| {
            // `r:id`: the relationship's id, in the relationships namespace.
            attributes
                .into_iter()
                .find(|(key, _)| key.ends_with(":id"))
                .map(|(_, value)| value)
        })
    else {
        return Ok(None);
    };
    let Some(relationships) = small(zip, "xl/_rels/workbook.xml.rels")? else {
        return Ok(None);
    };
    let target = elements(&relationships, "Relationship")?
        .into_iter()
        .find(|attributes| {
            attributes
                .iter()
                .any(|(key, value)| key == "Id" && *value == id)
        })
        .and_then(|attributes| {
            attributes
                .into_iter()
                .find(|(key, _)| key == "Target")
                .map(|(_, value)| value)
        });
    Ok(target.map(|target| match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{}", target.trim_start_matches("./")),
    }))
}

/// The attributes (qualified name, unescaped value) of every element with this local name.
fn elements(xml: &[u8], name: &str) -> Result<Vec<Vec<(String, String)>>, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut found = Vec::new();
    loop {
        buffer.clear();
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(tag) | Event::Empty(tag)) if tag.local_name().as_ref() == name => {
                found.push(
                    tag.attributes()
                        .flatten()
                        .map(|attribute| {
                            (
                                attribute.key.as_ref().to_string(),
                                attribute
                                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .map(|value| value.into_owned())
                                    .unwrap_or_default(),
                            )
                        })
                        .collect(),
                );
            }
            Ok(Event::Eof) => return Ok(found),
            Err(error) => return Err(error.to_string()),
            Ok(_) => {}
        }
    }
}

/// `E5:E8` as a region; a single cell (`E5`) merges nothing.
fn parse_range(reference: &str) -> Option<Region> {
    let (first, last) = reference.split_once(':')?;
    let (top, left) = parse_cell(first)?;
    let (bottom, right) = parse_cell(last)?;
    Some(Region {
        top: top.min(bottom),
        bottom: top.max(bottom),
        left: left.min(right),
        right: left.max(right),
    })
}

/// `AD12` as (row 12, column 29).
fn parse_cell(cell: &str) -> Option<(usize, usize)> {
    let cell = cell.trim().trim_start_matches('$');
    let split = cell.find(|c: char| !c.is_ascii_alphabetic())?;
    let (letters, digits) = cell.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let column = letters.bytes().try_fold(0usize, |column, letter| {
        Some(column * 26 + usize::from(letter.to_ascii_uppercase() - b'A') + 1)
    })? - 1;
    let row: usize = digits.trim_start_matches('$').parse().ok()?;
    (row > 0).then_some((row, column))
}

#[cfg(test)]
mod tests {
    use super::{parse_range, start_tag, Fill, Region};
    use crate::profile::sheet::{Cell, RawRow, RowCells};

    fn row(number: usize, cells: &[&str]) -> RawRow {
        RawRow {
            number,
            cells: RowCells::Cells(
                cells
                    .iter()
                    .map(|text| match *text {
                        "" => Cell::Empty,
                        text => Cell::Text(text.to_string()),
                    })
                    .collect(),
            ),
        }
    }

    fn texts(row: &RawRow) -> Vec<String> {
        match &row.cells {
            RowCells::Cells(cells) => cells
                .iter()
                .map(|cell| match cell {
                    Cell::Text(text) => text.clone(),
                    Cell::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect(),
            RowCells::Csv(..) => Vec::new(),
        }
    }

    /// Rows through a fill as a gate passes them: every row seen, every row filled (as if all
    /// were data rows).
    fn through(fill: &mut Fill, rows: Vec<RawRow>) -> (Vec<Vec<String>>, Vec<String>) {
        let mut filled = Vec::new();
        let rows = rows
            .into_iter()
            .map(|mut row| {
                fill.see(&row);
                filled.extend(
                    fill.fill(&mut row)
                        .iter()
                        .filter(|(_, first)| *first)
                        .map(|(region, _)| region.name()),
                );
                texts(&row)
            })
            .collect();
        (rows, filled)
    }

    fn region(top: usize, bottom: usize, left: usize, right: usize) -> Region {
        Region {
            top,
            bottom,
            left,
            right,
        }
    }

    #[test]
    fn a_column_merged_down_is_filled_into_each_row_it_covers() {
        // C3:C5 holds 昆明市, merged over three applicants; row 6 is below it.
        let mut fill = Fill::new([region(3, 5, 2, 2)], 2);
        let (rows, filled) = through(
            &mut fill,
            vec![
                row(3, &["1", "甲", "昆明市"]),
                row(4, &["2", "乙"]),
                row(5, &["3", "丙", ""]),
                row(6, &["4", "丁"]),
            ],
        );
        assert_eq!(rows[0], ["1", "甲", "昆明市"]);
        assert_eq!(rows[1], ["2", "乙", "昆明市"]);
        assert_eq!(rows[2], ["3", "丙", "昆明市"]);
        assert_eq!(rows[3], ["4", "丁"]);
        assert_eq!(filled, ["C3:C5"], "named once");
    }

    #[test]
    fn a_block_is_filled_down_and_across_and_skipped_rows_are_left_alone() {
        // B4:C5 merged (both rows, both columns); row 5 is not seen as data here: only the
        // rows the gate admits are filled.
        let mut fill = Fill::new([region(4, 5, 1, 2)], 1);
        let mut top = row(4, &["x", "企业"]);
        fill.see(&top);
        assert_eq!(fill.fill(&mut top).len(), 1);
        assert_eq!(texts(&top), ["x", "企业", "企业"]);
        let below = row(5, &["y"]);
        fill.see(&below);
        assert_eq!(texts(&below), ["y"]);
        assert!(fill.active.len() == 1);
        fill.see(&row(6, &["z"]));
        assert!(fill.is_empty(), "a range is dropped once passed");
    }

    #[test]
    fn titles_header_ranges_single_rows_and_empty_tops_fill_nothing() {
        let fill = Fill::new(
            [
                // The merged title above the header, and a header merged over two rows.
                region(1, 1, 0, 9),
                region(2, 3, 4, 4),
                // A section label across one row.
                region(5, 5, 0, 9),
            ],
            3,
        );
        assert!(fill.is_empty());
        // A range whose top row is absent from the sheet: no value, nothing filled.
        let mut fill = Fill::new([region(4, 6, 0, 0)], 1);
        let (rows, filled) = through(&mut fill, vec![row(5, &["", "乙"]), row(6, &["", "丙"])]);
        assert_eq!(rows[0], ["", "乙"]);
        assert!(filled.is_empty());
    }

    #[test]
    fn ranges_in_any_order_are_filled_in_row_order() {
        let mut fill = Fill::new([region(5, 6, 0, 0), region(2, 3, 0, 0)], 1);
        let (rows, filled) = through(
            &mut fill,
            vec![
                row(2, &["A"]),
                row(3, &[""]),
                row(4, &["B"]),
                row(5, &["C"]),
                row(6, &[]),
            ],
        );
        let firsts: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(firsts, ["A", "A", "B", "C", "C"]);
        assert_eq!(filled, ["A2:A3", "A5:A6"]);
    }

    #[test]
    fn ranges_are_read_as_excel_writes_them() {
        assert_eq!(parse_range("E5:E8"), Some(region(5, 8, 4, 4)));
        assert_eq!(parse_range("A1:AD1"), Some(region(1, 1, 0, 29)));
        assert_eq!(parse_range("$B$2:$C$3"), Some(region(2, 3, 1, 2)));
        assert_eq!(parse_range("E5"), None);
        assert_eq!(parse_range("5:E8"), None);
        assert_eq!(parse_range("E0:E8"), None);
    }

    #[test]
    fn only_a_start_tag_is_taken_for_the_merged_ranges() {
        let at = |xml: &str| {
            let bytes = xml.as_bytes();
            memchr::memmem::find_iter(bytes, b"mergeCells").find_map(|at| start_tag(bytes, at))
        };
        assert_eq!(
            at(r#"<c><v>1</v></c></sheetData><mergeCells count="1">"#),
            Some(27)
        );
        assert_eq!(at(r#"</x:sheetData><x:mergeCells>"#), Some(14));
        assert_eq!(at("<t>mergeCells</t>"), None);
        assert_eq!(at("<t>a&lt;mergeCells b</t>"), None);
        assert_eq!(at("</mergeCells>"), None);
    }

    #[test]
    fn a_workbooks_merged_ranges_are_found_by_sheet_name() {
        use rust_xlsxwriter::{Format, Workbook};
        let mut workbook = Workbook::new();
        let plain = Format::new();
        let first = workbook.add_worksheet();
        first.set_name("说明").unwrap();
        first.merge_range(0, 0, 0, 3, "填表说明", &plain).unwrap();
        let second = workbook.add_worksheet();
        second.set_name("R&D <汇总>").unwrap();
        second.merge_range(0, 0, 0, 5, "标题", &plain).unwrap();
        second.write_string(1, 0, "单位名称").unwrap();
        for row in 2..2000 {
            second.write_string(row, 0, format!("单位{row}")).unwrap();
        }
        second.merge_range(4, 4, 7, 4, "昆明市", &plain).unwrap();
        let third = workbook.add_worksheet();
        third.set_name("空").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let names = |sheet: &str| -> Vec<String> {
            super::read_xlsx(&bytes, sheet)
                .unwrap()
                .regions
                .iter()
                .map(Region::name)
                .collect()
        };
        assert_eq!(names("R&D <汇总>"), ["A1:F1", "E5:E8"]);
        assert_eq!(names("说明"), ["A1:D1"]);
        assert!(names("空").is_empty());
        assert!(names("没有").is_empty(), "an unknown sheet has none");
        assert!(super::read_xlsx(b"not a zip", "x").is_err());
    }

    #[test]
    fn formula_cells_without_a_value_are_found_by_their_reference() {
        let xml = br#"<sheetData><row r="4"><c r="N4" t="n"><v>1</v></c><c r="O4"><f>1000+800</f><v /></c><c r="P4"><f>SUM(A1:A2)</f><v>3</v></c><c r="Q4" s="2"><f t="shared" si="0"/></c><c r="R4" t="str"><f>IF(A1&lt;0,"","x")</f><v></v></c><c r="S4"><f>A1&amp;B1</f></c></row></sheetData>"#;
        let mut found = Vec::new();
        super::formulas(xml, &mut found);
        let cells: Vec<(usize, usize, &str)> = found
            .iter()
            .map(|f| (f.row, f.column, f.formula.as_str()))
            .collect();
        assert_eq!(cells, [(4, 14, "1000+800"), (4, 16, ""), (4, 18, "A1&B1")]);
    }
}
