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
    /// ranges that filled a cell for the first time, for the sheet's note.
    pub(super) fn fill(&mut self, row: &mut RawRow) -> Vec<Region> {
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
            if filled && !*used {
                *used = true;
                first.push(*region);
            }
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::{Fill, Region};
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
                filled.extend(fill.fill(&mut row).iter().map(Region::name));
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
}
