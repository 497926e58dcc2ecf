//! The table fits the terminal it is in (issue 12): at 80, 120 and 200 columns no line of a
//! table is wider than the terminal, and no clause id is broken across lines.

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
