//! The same applicant twice in a sheet (SPEC §7): same USCC, or same name where one of the two
//! rows gives no USCC. A warning on every such row, naming the others.
//!
//! Rows are reported as they are read, so the first of two duplicate rows must know of the
//! second before the second is read: the sheet is read twice. The first reading
//! ([`Finder`]) keeps a fixed-size Bloom filter of the keys seen and, exactly, the keys and rows
//! the filter has (perhaps) seen before; memory stays flat however long the sheet, and the
//! candidates are few (true duplicates, and a sliver of the filter's false positives). The
//! second reading ([`Tracker`]) meets the rows in order: a key's rows are its candidate rows
//! plus the first row that came before them, which the filter never misses.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::i18n::Text;

/// Words of the Bloom filter: 4 MiB, fixed. A key sets four bits of one 512-bit block, one
/// cache line; at a million rows, two keys each, about one key in 400 is a false candidate.
const FILTER_WORDS: usize = 1 << 19;
/// Words of a block.
const BLOCK_WORDS: usize = 8;
/// Row numbers a warning names before it counts the rest.
const NAMED: usize = 5;

/// A row's identity in the sheet, normalised: the USCC, and the name. Bytes, not text: a
/// UTF-8 cell is compared as it stands, without being checked first (a cell that is no text
/// is the full reading's to report, and it compares equal to itself all the same).
#[derive(Debug, Clone, Default)]
pub struct Keys<'a> {
    pub uscc: Option<Cow<'a, [u8]>>,
    pub name: Option<Cow<'a, [u8]>>,
}

impl Keys<'_> {
    fn each(&self) -> impl Iterator<Item = (Kind, &[u8])> {
        self.uscc
            .as_deref()
            .map(|uscc| (Kind::Uscc, uscc))
            .into_iter()
            .chain(self.name.as_deref().map(|name| (Kind::Name, name)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Uscc = 0,
    Name = 1,
}

/// A row with the key: its number and whether it gives a USCC (a name matches only where one
/// of the two rows does not).
type Member = (usize, bool);

/// The first reading: which keys may come twice, and on which rows after their first.
pub struct Finder {
    bits: Vec<u64>,
    /// By kind of key (USCC, name), then key.
    later: [HashMap<Vec<u8>, Vec<Member>>; 2],
}

impl Default for Finder {
    fn default() -> Self {
        Finder::new()
    }
}

/// The positions of a key's four bits in the filter, all in one block.
fn probe(kind: Kind, key: &[u8]) -> [(usize, u64); 4] {
    let hash = foldhash::fast::FixedState::with_seed(0x7469_6368).hash_one((kind, key));
    let block = ((hash >> 40) as usize) % (FILTER_WORDS / BLOCK_WORDS) * BLOCK_WORDS;
    std::array::from_fn(|i| {
        let bit = (hash >> (9 * i)) & 511;
        (block + (bit / 64) as usize, 1u64 << (bit % 64))
    })
}

impl Finder {
    pub fn new() -> Finder {
        Finder {
            // Zeroed by the allocator: pages that no key touches are never resident.
            bits: vec![0u64; FILTER_WORDS],
            later: Default::default(),
        }
    }

    /// A row, in reading order.
    pub fn add(&mut self, row: usize, keys: &Keys) {
        let has_uscc = keys.uscc.is_some();
        for (kind, key) in keys.each() {
            let mut seen = true;
            for (word, bit) in probe(kind, key) {
                seen &= self.bits[word] & bit != 0;
                self.bits[word] |= bit;
            }
            if seen {
                self.later[kind as usize]
                    .entry(key.to_vec())
                    .or_default()
                    .push((row, has_uscc));
            }
        }
    }

    /// The candidates, for the second reading; `None` when no key can come twice.
    pub fn finish(self) -> Option<Tracker> {
        if self.later.iter().all(HashMap::is_empty) {
            return None;
        }
        let [uscc, name] = self.later.map(|later| {
            later
                .into_iter()
                .map(|(key, later)| (key, Group { later, first: None }))
                .collect()
        });
        Some(Tracker {
            groups: [uscc, name],
        })
    }
}

struct Group {
    /// Rows after the key's first, in order (perhaps the first too, for a false candidate).
    later: Vec<Member>,
    /// The row before them, once the second reading has met it.
    first: Option<Member>,
}

impl Group {
    fn members(&self) -> impl Iterator<Item = &Member> {
        self.first.iter().chain(&self.later)
    }
}

/// The second reading: the warning of each duplicate row, as the rows come.
pub struct Tracker {
    /// By kind of key (USCC, name), then key.
    groups: [HashMap<Vec<u8>, Group>; 2],
}

impl Tracker {
    /// The warning of a row, in reading order, when it repeats another.
    pub fn row(&mut self, row: usize, keys: &Keys) -> Option<Text> {
        let has_uscc = keys.uscc.is_some();
        let mut same_uscc: Vec<usize> = Vec::new();
        let mut same_name: Vec<usize> = Vec::new();
        let mut counts = (0usize, 0usize);
        for (kind, key) in keys.each() {
            let Some(group) = self.groups[kind as usize].get_mut(key) else {
                continue;
            };
            if group.first.is_none()
                && group
                    .later
                    .binary_search_by_key(&row, |(later, _)| *later)
                    .is_err()
            {
                group.first = Some((row, has_uscc));
            }
            let others = group
                .members()
                .filter(|(other, other_uscc)| {
                    *other != row && (kind == Kind::Uscc || !(has_uscc && *other_uscc))
                })
                .map(|(other, _)| *other);
            match kind {
                Kind::Uscc => {
                    for other in others {
                        counts.0 += 1;
                        if same_uscc.len() < NAMED {
                            same_uscc.push(other);
                        }
                    }
                }
                Kind::Name => {
                    for other in others {
                        if same_uscc.contains(&other) {
                            continue;
                        }
                        counts.1 += 1;
                        if same_name.len() < NAMED {
                            same_name.push(other);
                        }
                    }
                }
            }
        }
        if same_uscc.is_empty() && same_name.is_empty() {
            return None;
        }
        let mut zh = Vec::new();
        let mut en = Vec::new();
        if !same_uscc.is_empty() {
            zh.push(format!(
                "与{}统一社会信用代码相同",
                rows_zh(&same_uscc, counts.0)
            ));
            en.push(format!(
                "has the same unified social credit code as {}",
                rows_en(&same_uscc, counts.0)
            ));
        }
        if !same_name.is_empty() {
            zh.push(format!("与{}单位名称相同", rows_zh(&same_name, counts.1)));
            en.push(format!(
                "has the same name as {} (one of them gives no USCC)",
                rows_en(&same_name, counts.1)
            ));
        }
        Some(Text::new(
            format!(
                "同一申报单位重复出现：此行{}；请核对，同一单位只保留一行",
                zh.join("，")
            ),
            format!(
                "the same applicant twice: this row {}; check them and keep one row per applicant",
                en.join(", and ")
            ),
        ))
    }
}

/// `第 5、9 行` (and how many more).
fn rows_zh(rows: &[usize], count: usize) -> String {
    let listed: Vec<String> = rows.iter().map(usize::to_string).collect();
    let more = count.saturating_sub(rows.len());
    if more > 0 {
        format!("第 {} 行等 {count} 行", listed.join("、"))
    } else {
        format!("第 {} 行", listed.join("、"))
    }
}

/// `row 5`, `rows 5 and 9`, `rows 5, 9, 12 and 3 more`.
fn rows_en(rows: &[usize], count: usize) -> String {
    let listed: Vec<String> = rows.iter().map(usize::to_string).collect();
    let more = count.saturating_sub(rows.len());
    match (listed.as_slice(), more) {
        ([one], 0) => format!("row {one}"),
        (all, 0) => {
            let (last, rest) = all.split_last().unwrap_or((&all[0], &[]));
            format!("rows {} and {last}", rest.join(", "))
        }
        (all, more) => format!("rows {} and {more} more", all.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(uscc: Option<&str>, name: Option<&str>) -> Keys<'static> {
        Keys {
            uscc: uscc.map(|uscc| Cow::Owned(uscc.as_bytes().to_vec())),
            name: name.map(|name| Cow::Owned(name.as_bytes().to_vec())),
        }
    }

    /// Both readings over the same rows; the warnings by row.
    fn warnings(rows: &[(usize, Keys<'static>)]) -> Vec<(usize, String)> {
        let mut finder = Finder::new();
        for (row, keys) in rows {
            finder.add(*row, keys);
        }
        let Some(mut tracker) = finder.finish() else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(|(row, keys)| tracker.row(*row, keys).map(|text| (*row, text.en)))
            .collect()
    }

    #[test]
    fn the_same_uscc_twice_warns_on_both_rows_naming_the_other() {
        let found = warnings(&[
            (3, keys(Some("A"), Some("甲"))),
            (4, keys(Some("B"), Some("乙"))),
            (7, keys(Some("A"), Some("甲公司"))),
        ]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert!(
            found[0]
                .1
                .contains("same unified social credit code as row 7"),
            "{found:?}"
        );
        assert_eq!(found[1].0, 7);
        assert!(found[1].1.contains("as row 3"), "{found:?}");
    }

    #[test]
    fn the_same_name_warns_only_where_one_row_has_no_uscc() {
        let found = warnings(&[
            (2, keys(None, Some("甲"))),
            (3, keys(Some("A"), Some("甲"))),
            (4, keys(Some("B"), Some("乙"))),
            (5, keys(Some("C"), Some("乙"))),
        ]);
        // 乙 twice with two different codes: two applicants of one name, not a duplicate.
        let rows: Vec<usize> = found.iter().map(|(row, _)| *row).collect();
        assert_eq!(rows, vec![2, 3], "{found:?}");
        assert!(found[0].1.contains("same name as row 3"), "{found:?}");
    }

    #[test]
    fn the_same_code_and_name_is_named_once() {
        let found = warnings(&[
            (2, keys(Some("A"), Some("甲"))),
            (3, keys(Some("A"), Some("甲"))),
        ]);
        assert_eq!(found.len(), 2);
        assert!(!found[0].1.contains("same name"), "{found:?}");
    }

    #[test]
    fn many_repeats_are_counted_past_the_first_few() {
        let rows: Vec<(usize, Keys<'static>)> =
            (2..30).map(|row| (row, keys(None, Some("甲")))).collect();
        let found = warnings(&rows);
        assert_eq!(found.len(), 28);
        assert!(
            found[0].1.contains("rows 3, 4, 5, 6, 7 and 22 more"),
            "{found:?}"
        );
        let zh_rows = rows_zh(&[3, 4], 2);
        assert_eq!(zh_rows, "第 3、4 行");
    }

    #[test]
    fn distinct_rows_have_no_candidates_at_all() {
        let mut finder = Finder::new();
        for row in 0..20_000 {
            finder.add(
                row,
                &keys(Some(&format!("{row:018}")), Some(&format!("公司{row}"))),
            );
        }
        // A false candidate or two is possible; a second reading finds no duplicate in them.
        if let Some(mut tracker) = finder.finish() {
            for row in 0..20_000 {
                let keys = keys(Some(&format!("{row:018}")), Some(&format!("公司{row}")));
                assert_eq!(tracker.row(row, &keys), None, "row {row}");
            }
        }
    }
}
