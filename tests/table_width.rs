//! The table fits the terminal it is in (issue 12): at 80, 120 and 200 columns (and 160, the
//! width of a file or pipe) no line of a table is wider than the terminal, no line of a cell
//! starts with Chinese closing punctuation or ends with opening punctuation, no clause id, field
//! path or file name is broken across lines unless it is longer than its column, and the wrapped
//! cells hold the same text as unwrapped ones.

mod common;
use common::{root, ticheck};

/// Display width: CJK characters take two columns.
fn width(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn table_at(columns: u16, args: &[&str]) -> String {
    let output = ticheck()
        .current_dir(root())
        .env("COLUMNS", columns.to_string())
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

const IDS: &[&str] = &[
    "A10.1.registered",
    "A10.2.industry-leader",
    "A10.2.debt-ratio",
    "A10.2.team-quality",
    "A10.3.projects",
    "A10.4.floor-area",
    "A10.4.rnd-spend",
    "A10.5.achievements",
    "A10.6.local-support",
];

#[test]
fn the_clause_table_fits_80_120_and_200_columns_without_breaking_ids() {
    for columns in [80, 120, 200] {
        for lang in ["zh", "en"] {
            let text = table_at(
                columns,
                &[
                    "check",
                    "fixtures/ineligible-enterprise.toml",
                    "--lang",
                    lang,
                ],
            );
            for line in text
                .lines()
                .filter(|line| line.starts_with(['│', '┌', '╞', '└']))
            {
                assert!(
                    width(line) <= columns as usize,
                    "{columns} {lang}: {} wide: {line}",
                    width(line)
                );
            }
            for id in IDS {
                assert!(text.contains(id), "{columns} {lang}: {id} whole:\n{text}");
            }
        }
    }
}

#[test]
fn the_batch_table_fits_80_columns_without_breaking_ids_or_verdict_words() {
    let text = table_at(
        80,
        &[
            "check",
            "fixtures/batch/candidates.csv",
            "--lang",
            "zh",
            "--as-of",
            "2024-03-01",
        ],
    );
    for line in text
        .lines()
        .filter(|line| line.starts_with(['│', '┌', '╞', '└']))
    {
        assert!(width(line) <= 80, "{} wide: {line}", width(line));
    }
    for word in [
        "A10.2.debt-ratio",
        "A10.4.floor-area",
        "ineligible",
        "incomplete",
        "未发现不符合项",
    ] {
        assert!(text.contains(word), "{word} whole:\n{text}");
    }
}

#[test]
fn a_narrow_terminal_gets_the_compact_layout_and_a_wide_one_the_six_columns() {
    let narrow = table_at(
        80,
        &[
            "check",
            "fixtures/ineligible-enterprise.toml",
            "--lang",
            "zh",
        ],
    );
    assert!(narrow.contains("要求 / 实际值 / 差距"), "{narrow}");
    assert!(narrow.contains("差距：须 < 70%"), "{narrow}");
    let wide = table_at(
        200,
        &[
            "check",
            "fixtures/ineligible-enterprise.toml",
            "--lang",
            "zh",
        ],
    );
    assert!(wide.contains("┆ 条文"), "{wide}");
    assert!(!wide.contains("要求 / 实际值 / 差距"), "{wide}");
}

/// The runs of issue 12: every fixture, one file and several, with and without `--detail`.
const RUNS: &[&[&str]] = &[
    &["fixtures/eligible-enterprise.toml"],
    &["fixtures/ineligible-enterprise.toml"],
    &["fixtures/incomplete-institute.toml"],
    &["fixtures/university-partners.toml"],
    &["fixtures/batch/candidates.csv"],
    &["fixtures/batch/messy.xlsx"],
    &["fixtures/batch/messy.csv", "--detail"],
    &["fixtures/batch/near-misses.csv"],
    &[
        "fixtures/batch/candidates.csv",
        "fixtures/batch/candidates-gbk.csv",
        "fixtures/batch/messy.xlsx",
    ],
    &[
        "fixtures/batch/candidates-gbk.csv",
        "fixtures/batch/messy.xlsx",
        "--detail",
    ],
];

const CLOSING: &[char] = &['，', '。', '、', '；', '：', '）', '」', '』', '”'];
const OPENING: &[char] = &['（', '「', '『', '“'];

fn check_at(columns: u16, run: &[&str], lang: &str) -> String {
    let mut args = vec!["check", "--as-of", "2024-03-01", "--lang", lang];
    args.extend_from_slice(run);
    table_at(columns, &args)
}

/// The tables of an output, each as its columns, each column as its lines (one per table line,
/// header included, trimmed) and its content width.
fn tables(text: &str) -> Vec<Vec<(usize, Vec<String>)>> {
    let mut tables = Vec::new();
    let mut current: Option<Vec<(usize, Vec<String>)>> = None;
    for line in text.lines() {
        if line.starts_with('┌') {
            let columns = line
                .trim_matches(['┌', '┐'])
                .split('┬')
                .map(|border| (width(border) - 2, Vec::new()))
                .collect();
            current = Some(columns);
        } else if line.starts_with('└') {
            tables.extend(current.take());
        } else if let (Some(columns), true) = (current.as_mut(), line.starts_with('│')) {
            let cells = line.trim_matches('│').split(['┆', '│']);
            for ((_, lines), cell) in columns.iter_mut().zip(cells) {
                lines.push(cell.trim().to_string());
            }
        }
    }
    tables
}

/// The ids, field paths and file names (with their row) of an output: runs of the characters
/// of such tokens with a `.` or a `/` in them.
fn tokens(text: &str) -> Vec<String> {
    let mut tokens: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || "._/:-".contains(c)))
        .map(|token| token.trim_end_matches([':', '.']))
        .filter(|token| token.len() >= 8 && token.contains(['.', '/']))
        .filter(|token| token.chars().any(|c| c.is_ascii_alphabetic()))
        .map(str::to_string)
        .collect();
    tokens.sort();
    tokens.dedup();
    tokens
}

#[test]
fn every_table_fits_and_breaks_no_token_nor_chinese_punctuation_rule() {
    for run in RUNS {
        for lang in ["zh", "en"] {
            let whole = tokens(&check_at(1000, run, lang));
            for columns in [80, 120, 160, 200] {
                let text = check_at(columns, run, lang);
                let what = format!("{columns} {lang} {run:?}");
                for line in text.lines().filter(|l| l.starts_with(['│', '┌', '╞', '└'])) {
                    assert!(width(line) <= columns as usize, "{what}: {line}");
                }
                for table in tables(&text) {
                    for (column_width, lines) in &table {
                        for line in lines {
                            assert!(width(line) <= *column_width, "{what}: {line}");
                            assert!(!line.starts_with(CLOSING), "{what}: {line}\n{text}");
                            assert!(!line.ends_with(OPENING), "{what}: {line}\n{text}");
                        }
                        for pair in lines.windows(2) {
                            for token in &whole {
                                let split = (1..token.len()).any(|k| {
                                    pair[0].ends_with(&token[..k])
                                        && pair[1].starts_with(&token[k..])
                                });
                                // A token longer than its column is broken after a separator
                                // (with the punctuation that cannot start a line after it).
                                assert!(
                                    !split || width(token) + 1 > *column_width,
                                    "{what}: {token} split over\n{}\n{}\n{text}",
                                    pair[0],
                                    pair[1]
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A column's text with its spaces taken out, table by table.
fn column_texts(text: &str) -> Vec<Vec<String>> {
    tables(text)
        .into_iter()
        .map(|table| {
            table
                .into_iter()
                .map(|(_, lines)| lines.concat().split_whitespace().collect())
                .collect()
        })
        .collect()
}

#[test]
fn wrapping_loses_nothing() {
    // The six-column and five-column layouts from 120 up, against a width where nothing
    // wraps; the compact ones at 80 against 119, where they wrap elsewhere.
    for run in RUNS {
        for lang in ["zh", "en"] {
            let unwrapped = column_texts(&check_at(1000, run, lang));
            for columns in [120, 160, 200] {
                let wrapped = column_texts(&check_at(columns, run, lang));
                assert_eq!(wrapped, unwrapped, "{columns} {lang} {run:?}");
            }
            let compact = column_texts(&check_at(119, run, lang));
            assert_eq!(
                column_texts(&check_at(80, run, lang)),
                compact,
                "80 {lang} {run:?}"
            );
        }
    }
}

/// `ticheck rules` is laid out as the check tables are: it fits 80, 120 and 200 columns, every
/// clause id whole, no Chinese line starting with a closing mark (below 120 columns the
/// severity and the kinds it applies to stand under the title).
#[test]
fn the_rules_table_fits_and_keeps_every_id_whole() {
    for columns in [80, 120, 200] {
        for lang in ["zh", "en"] {
            let text = table_at(columns, &["rules", "--lang", lang]);
            let what = format!("rules {columns} {lang}");
            for line in text.lines().filter(|l| l.starts_with(['│', '┌', '╞', '└'])) {
                assert!(width(line) <= columns as usize, "{what}: {line}");
            }
            for table in tables(&text) {
                for (_, lines) in &table {
                    for line in lines {
                        assert!(!line.starts_with(CLOSING), "{what}: {line}\n{text}");
                    }
                }
            }
            for id in IDS {
                assert!(
                    text.lines().any(|line| line.contains(&format!("│ {id} "))),
                    "{what}: {id} whole:\n{text}"
                );
            }
        }
    }
}

/// The batch's list of what is still open for the eligible applicants fits the terminal too,
/// every id whole, continuation lines indented.
#[test]
fn the_open_items_list_fits_80_columns_with_ids_whole() {
    for lang in ["zh", "en"] {
        let text = check_at(80, &["fixtures/batch/near-misses.csv"], lang);
        let list: Vec<&str> = text
            .lines()
            .skip_while(|line| !line.starts_with(['未', 'S']) || !line.contains(['：', ':']))
            .take_while(|line| !line.is_empty())
            .collect();
        assert!(list.len() > 3, "{lang}: {text}");
        for line in &list {
            assert!(width(line) <= 80, "{lang}: {line}");
        }
        let joined = list.join(" ");
        for id in [
            "A10.6.local-support",
            "A10.2.industry-leader",
            "A10.4.support",
        ] {
            assert!(joined.contains(id), "{lang}: {id} whole in {joined}");
        }
    }
}
