//! What every CLI test file needs: the real binary, run in the crate root with a fixed width
//! and no locale, and its output captured.

#![allow(dead_code)] // each test file uses a different part

pub mod http;

use std::fs;
use std::path::{Path, PathBuf};

use calamine::Data;
use tempfile::TempDir;

use assert_cmd::Command;
use serde_json::Value;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, in the crate root, 160 columns wide, with no locale (so English by default).
pub fn ticheck() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ticheck"));
    cmd.current_dir(root())
        .env("COLUMNS", "160")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE");
    cmd
}

/// A finished run: exit code and output.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}):\n{}\nstderr:\n{}",
                excerpt(&self.stdout),
                excerpt(&self.stderr)
            )
        })
    }
}

/// At most 2000 characters of a long output, for assertion messages.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(2000) {
        Some((cut, _)) => format!("{}… ({} bytes in all)", &text[..cut], text.len()),
        None => text.to_string(),
    }
}

pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("ticheck runs");
    Run {
        code: output
            .status
            .code()
            .expect("ticheck exits with a code, not a signal (a panic abort or a timeout)"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The verdict counts of a JSON summary (SPEC §5), without the fields a batch adds beside them
/// (the near misses of SPEC §7).
#[allow(dead_code)]
pub fn counts(summary: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "eligible": summary["eligible"],
        "ineligible": summary["ineligible"],
        "incomplete": summary["incomplete"],
        "error": summary["error"],
    })
}

// Reading what ticheck writes: box-drawn tables, CSV, workbooks, and writing fixtures.

#[allow(dead_code)]
pub fn fixture_text(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap()
}

#[allow(dead_code)]
pub fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    path
}

#[allow(dead_code)]
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// The text without any `[[name]]` array table.
#[allow(dead_code)]
pub fn without_items(text: &str, name: &str) -> String {
    let header = format!("[[{name}]]");
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            skipping = trimmed.starts_with(&header);
        }
        if !skipping {
            out.push(line);
        }
    }
    out.join("\n") + "\n"
}

/// All white space removed, to compare texts that a table cell may have wrapped.
#[allow(dead_code)]
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[allow(dead_code)]
pub fn is_clause_id(cell: &str) -> bool {
    let mut chars = cell.chars();
    chars.next() == Some('A') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// The row of the per-clause table for `id`: clause, article, requirement, actual, verdict.
#[allow(dead_code)]
pub fn clause_row(stdout: &str, id: &str) -> Vec<String> {
    let rows: Vec<Vec<String>> = table_records(stdout, is_clause_id)
        .into_iter()
        .filter(|r| r[0].split_whitespace().next() == Some(id))
        .collect();
    assert_eq!(rows.len(), 1, "one table row for {id}:\n{stdout}");
    rows.into_iter().next().unwrap()
}

/// CSV output as (header, rows).
#[allow(dead_code)]
pub fn csv_rows(stdout: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(stdout.trim_start_matches('\u{FEFF}').as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[allow(dead_code)]
pub fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}

#[allow(dead_code)]
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => number.to_string(),
        Data::Bool(flag) => flag.to_string(),
        other => format!("{other:?}"),
    }
}

/// The logical rows of the box-drawn tables in `stdout`: the cells of each line, with the
/// continuation lines (those whose first cell does not start a row) joined to their row.
#[allow(dead_code)]
pub fn table_records(stdout: &str, starts_row: impl Fn(&str) -> bool) -> Vec<Vec<String>> {
    let mut records: Vec<Vec<String>> = Vec::new();
    for line in stdout.lines() {
        let Some(inner) = line.strip_prefix('│').and_then(|l| l.strip_suffix('│')) else {
            continue;
        };
        let cells: Vec<String> = inner.split('┆').map(|c| c.trim().to_string()).collect();
        match records.last_mut() {
            Some(record) if !starts_row(&cells[0]) && record.len() == cells.len() => {
                for (kept, more) in record.iter_mut().zip(cells) {
                    if !more.is_empty() {
                        if !kept.is_empty() {
                            kept.push(' ');
                        }
                        kept.push_str(&more);
                    }
                }
            }
            _ => records.push(cells),
        }
    }
    records
}

/// Every sheet of a workbook as rows of cell texts, by sheet name, in sheet order.
#[allow(dead_code)]
pub fn read_workbook(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto(path)
        .unwrap_or_else(|error| panic!("{} opens: {error}", path.display()));
    let names = workbook.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = workbook
                .worksheet_range(&name)
                .unwrap_or_else(|error| panic!("sheet {name}: {error}"));
            let rows = range
                .rows()
                .map(|row| row.iter().map(cell_text).collect())
                .collect();
            (name, rows)
        })
        .collect()
}
