//! The adversarial corpus (issue 15): inputs built to break a reader, each run through the real
//! binary with the outcome the law gives it and a message that names the file and the line, row
//! or field. For every one: an exit code (2 for what cannot be read), no panic, output of a
//! bounded size, and a run bounded in memory (`ulimit -v`) and time (a 60 s kill that only
//! catches a hang: speed is `make bench`'s to measure). In a batch, the other applicants are
//! still reported.
//!
//! Small inputs live in `tests/adversarial/`; big ones are made here at run time, never kept.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{excerpt, fixture_text, root, run, Run};

const ELIGIBLE: &str = "fixtures/eligible-enterprise.toml";
const CANDIDATES: &str = "fixtures/batch/candidates.csv";

/// Address space a run may take (KiB, for `ulimit -v`): the debug binary with its threads and
/// mimalloc's reservations runs in a few hundred MiB; a reader that held a 3 GB part or read
/// `/dev/zero` whole would not fit.
const MEMORY_KIB: u64 = 1_500_000;

/// Only a hang is caught: the slowest input here takes a few seconds in a debug build.
const HANG: Duration = Duration::from_secs(60);

/// The binary under `ulimit -v` and a kill after [`HANG`], in the crate root, 160 columns, no
/// locale (as `common::ticheck`).
fn limited(args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_ticheck"))
        .args(args)
        .current_dir(root())
        .env("COLUMNS", "160")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .timeout(HANG);
    cmd
}

/// Runs `ticheck check ARGS` (standard input empty), and checks what holds for every input: no
/// panic, and at most `max_stderr` bytes on standard error (the diagnostics are bounded whatever
/// the input's size).
fn check(args: &[&str], max_stderr: usize) -> Run {
    let started = Instant::now();
    let args: Vec<&str> = std::iter::once("check")
        .chain(args.iter().copied())
        .collect();
    let done = run(limited(&args).write_stdin(""));
    assert!(
        !done.stderr.contains("panicked"),
        "{args:?} panicked:\n{}",
        excerpt(&done.stderr)
    );
    assert!(
        done.stderr.len() <= max_stderr,
        "{args:?}: {} bytes on stderr, more than {max_stderr}:\n{}",
        done.stderr.len(),
        excerpt(&done.stderr)
    );
    eprintln!(
        "{args:?}: exit {}, {} bytes on stderr, {:.2} s",
        done.code,
        done.stderr.len(),
        started.elapsed().as_secs_f64()
    );
    done
}

fn path(dir: &TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// The eligible fixture with one line replaced, written to `dir/name`.
fn profile_with(dir: &TempDir, name: &str, old: &str, new: &str) -> PathBuf {
    let text = fixture_text(ELIGIBLE);
    assert!(text.contains(old), "the fixture has {old:?}");
    let file = path(dir, name);
    fs::write(&file, text.replacen(old, new, 1)).unwrap();
    file
}

/// The line of the eligible fixture that starts with `key`, 1-based.
fn line_of(key: &str) -> usize {
    fixture_text(ELIGIBLE)
        .lines()
        .position(|line| line.starts_with(key))
        .expect("the key is in the fixture")
        + 1
}

fn assert_has(run: &Run, needles: &[&str]) {
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            excerpt(&run.stderr)
        );
    }
}

fn clause<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id}"))
}

// Numbers.

#[test]
fn numbers_beyond_the_decimal_range_are_refused_not_rounded() {
    let dir = TempDir::new().unwrap();
    let old = "total_assets = \"5.2亿元\"";
    let line = line_of("total_assets");
    for (name, value) in [
        // Beyond i64 as a TOML integer, and beyond rust_decimal's 28 digits as a string.
        ("integer.toml", "99999999999999999999999999999999999"),
        ("amount.toml", "\"79228162514264337593543950336亿元\""),
    ] {
        let file = profile_with(&dir, name, old, &format!("total_assets = {value}"));
        let done = check(&[arg(&file)], 2_000);
        assert_eq!(done.code, 2, "{}", done.stderr);
        assert_has(
            &done,
            &[
                &format!("{name}:{line}:16: finance.total_assets:"),
                "more than 28 significant digits",
            ],
        );
    }
}

#[test]
fn exponents_nan_and_infinities_are_not_numbers() {
    let dir = TempDir::new().unwrap();
    let old = "equipment_value = \"2350万元\"";
    let line = line_of("equipment_value");
    for (name, value, shown) in [
        ("e400.toml", "1e400", "'1e400' is not a number"),
        ("e400-text.toml", "\"1e400\"", "'1e400' is not a number"),
        ("nan.toml", "nan", "'nan' is not a number"),
        ("nan-text.toml", "\"NaN\"", "'NaN' is not a number"),
        ("inf.toml", "inf", "'inf' is not a number"),
        ("minus-inf.toml", "-inf", "'-inf' is not a number"),
        ("inf-text.toml", "\"-inf\"", "'-inf' is not a number"),
    ] {
        let file = profile_with(&dir, name, old, &format!("equipment_value = {value}"));
        let done = check(&[arg(&file)], 2_000);
        assert_eq!(done.code, 2, "{name}: {}", done.stderr);
        assert_has(
            &done,
            &[
                &format!("{name}:{line}:19: facilities.equipment_value:"),
                shown,
            ],
        );
    }
}

/// `-0` is zero, not a negative count (SPEC §4 refuses negative amounts and counts, and -0 is
/// not below 0): the staff counts are read as 0 and fail Article 10(二) like any 0.
#[test]
fn minus_zero_is_a_zero_and_gets_the_verdict_of_zero() {
    let dir = TempDir::new().unwrap();
    let text = fixture_text(ELIGIBLE)
        .replacen("fixed_staff = 128", "fixed_staff = -0", 1)
        .replacen("qualified_staff = 70", "qualified_staff = -0.0", 1);
    let file = path(&dir, "minus-zero.toml");
    fs::write(&file, text).unwrap();
    let done = check(&[arg(&file), "--format", "json"], 1_000);
    assert_eq!(done.code, 1, "ineligible, not an error: {}", done.stderr);
    let result = &done.json()["results"][0];
    assert_eq!(result["verdict"], "ineligible");
    assert_eq!(clause(result, "A10.2.team-size")["verdict"], "fail");
    assert_eq!(clause(result, "A10.2.team-size")["actual"], "0");
    // No staff: the share of qualified staff is 0 of 0, which cannot reach half.
    assert_eq!(clause(result, "A10.2.team-quality")["verdict"], "fail");
    for id in ["A10.2.team-size", "A10.2.team-quality"] {
        let shown = clause(result, id).to_string();
        assert!(!shown.contains("-0"), "no minus sign kept: {shown}");
    }
}

/// Full-width digits (`１２８`, typed with a Chinese input method) are the same number.
#[test]
fn full_width_digits_read_as_their_number() {
    let dir = TempDir::new().unwrap();
    let text = fixture_text(ELIGIBLE)
        .replacen("fixed_staff = 128", "fixed_staff = \"１２８\"", 1)
        .replacen(
            "equipment_value = \"2350万元\"",
            "equipment_value = \"２３５０万元\"",
            1,
        );
    let file = path(&dir, "full-width.toml");
    fs::write(&file, text).unwrap();
    let wide = check(&[arg(&file), "--format", "json"], 1_000);
    let plain = check(&[ELIGIBLE, "--format", "json"], 1_000);
    assert_eq!(wide.code, 0, "{}", wide.stderr);
    let (wide, plain) = (&wide.json()["results"][0], &plain.json()["results"][0]);
    assert_eq!(wide["verdict"], plain["verdict"]);
    for id in ["A10.2.team-size", "A10.4.equipment"] {
        assert_eq!(
            clause(wide, id)["actual"],
            clause(plain, id)["actual"],
            "{id}"
        );
    }
}

// Long values: the diagnostic quotes a window of the line, not the line.

#[test]
fn a_ten_megabyte_string_gets_a_short_diagnostic() {
    let dir = TempDir::new().unwrap();
    let old = "name = \"云南滇铜新材料科技有限公司\"";
    let line = line_of("name = ");
    for (name, value, length) in [
        ("ascii.toml", "a".repeat(10_000_000), 10_000_000),
        // The case: 350,000 characters, 2 columns wide each.
        ("wide.toml", "云".repeat(350_000), 350_000),
    ] {
        let file = profile_with(&dir, name, old, &format!("name = \"{value}\""));
        let done = check(&[arg(&file)], 1_000);
        assert_eq!(done.code, 2, "{}", excerpt(&done.stderr));
        assert_has(
            &done,
            &[
                &format!("{name}:{line}:8: applicant.name: is {length} characters long"),
                "more than the 200 accepted",
                "name = \"",
                "…",
            ],
        );
    }
    // A number field: the message quotes 40 characters of it, the diagnostic 60 columns.
    let file = profile_with(
        &dir,
        "digits.toml",
        "equipment_value = \"2350万元\"",
        &format!("equipment_value = \"{}\"", "1".repeat(10_000_000)),
    );
    let done = check(&[arg(&file)], 1_000);
    assert_eq!(done.code, 2);
    assert_has(&done, &["more than 28 significant digits", "…"]);
}

#[test]
fn a_ten_megabyte_cell_is_cut_in_its_message_and_the_other_rows_are_reported() {
    let dir = TempDir::new().unwrap();
    let text = fixture_text(CANDIDATES);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Row 3: a 10 MB name; row 4: a 10 MB area.
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    cells[0] = "云".repeat(3_500_000);
    lines[2] = cells.join(",");
    let mut cells: Vec<String> = lines[3].split(',').map(str::to_string).collect();
    cells[16] = "9".repeat(10_000_000);
    lines[3] = cells.join(",");
    let file = path(&dir, "big-cells.csv");
    fs::write(&file, lines.join("\n") + "\n").unwrap();
    let done = check(&[arg(&file), "--format", "json"], 2_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &[
            "big-cells.csv:3, column A 单位名称: applicant.name: is 3500000 characters long",
            "big-cells.csv:4, column Q 研发场地面积: facilities.rnd_floor_area: '9999999999",
            "…' has more than 28 significant digits",
        ],
    );
    assert!(done.stdout.len() < 200_000, "{} bytes", done.stdout.len());
    let json = done.json();
    let verdicts: Vec<&str> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts.len(), 7, "every row is reported: {verdicts:?}");
    assert_eq!(&verdicts[1..3], ["error", "error"]);
    assert_eq!(verdicts[0], "eligible");
}

/// A key or a header is quoted cut short too: a 10 MB TOML key was quoted whole in the message
/// and again under the caret (30 MB on standard error), a header's unknown unit whole.
#[test]
fn a_ten_megabyte_key_or_header_is_cut_in_its_message() {
    let dir = TempDir::new().unwrap();
    let line = line_of("[team]") + 1;
    let file = profile_with(
        &dir,
        "key.toml",
        "[team]",
        &format!("[team]\n{} = 1", "k".repeat(10_000_000)),
    );
    let done = check(&[arg(&file)], 1_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &[
            &format!("key.toml:{line}:1: team.kkkk"),
            "…: unknown key 'team.kkkk",
        ],
    );

    let text = fixture_text(CANDIDATES);
    let header = text.lines().next().unwrap();
    let unit = format!("研发场地面积（{}）", "亩".repeat(3_000_000));
    let file = path(&dir, "unit.csv");
    fs::write(&file, text.replacen("研发场地面积", &unit, 1)).unwrap();
    assert!(header.contains("研发场地面积"));
    let done = check(&[arg(&file)], 1_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &[
            "unit.csv, row 1, column Q: the column '研发场地面积（亩亩",
            "…' gives a unit '亩亩",
        ],
    );
}

// TOML's structure.

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let dir = TempDir::new().unwrap();
    let deep = 100_000;
    for (name, nested) in [
        (
            "arrays.toml",
            format!("x = {}{}", "[".repeat(deep), "]".repeat(deep)),
        ),
        (
            "tables.toml",
            format!("x = {}1{}", "{a=".repeat(deep), "}".repeat(deep)),
        ),
        ("dotted.toml", format!("[{}]", vec!["a"; deep].join("."))),
    ] {
        let file = profile_with(&dir, name, "[team]", &format!("[team]\n{nested}"));
        let done = check(&[arg(&file)], 2_000);
        assert_eq!(done.code, 2, "{name}: {}", excerpt(&done.stderr));
        assert_has(&done, &[name, "TOML syntax error", "recursion"]);
    }
}

/// 100,000 unknown keys: 20 told with their line and suggestion, the rest counted (each was a
/// diagnostic that looked for its line from the top of the file: minutes, and 40 MB).
#[test]
fn a_hundred_thousand_unknown_keys() {
    let dir = TempDir::new().unwrap();
    let keys: String = (0..100_000).map(|i| format!("k{i} = 1\n")).collect();
    let file = profile_with(&dir, "keys.toml", "[team]\n", &format!("[team]\n{keys}"));
    let done = check(&[arg(&file)], 20_000);
    assert_eq!(done.code, 2);
    let line = line_of("[team]") + 1;
    assert_has(
        &done,
        &[
            &format!("keys.toml:{line}:1: team.k0: unknown key 'team.k0'"),
            &format!(
                "keys.toml:{}:1: 99980 more problems are not listed one by one",
                line + 20
            ),
        ],
    );
}

#[test]
fn a_duplicate_key_names_its_second_line() {
    let dir = TempDir::new().unwrap();
    let file = profile_with(
        &dir,
        "duplicate.toml",
        "fixed_staff = 128",
        "fixed_staff = 128\nfixed_staff = 129",
    );
    let done = check(&[arg(&file)], 1_000);
    assert_eq!(done.code, 2);
    let line = line_of("fixed_staff") + 1;
    assert_has(
        &done,
        &[&format!(
            "duplicate.toml:{line}:1: TOML syntax error: duplicate key"
        )],
    );
}

// Bytes.

#[test]
fn a_nul_byte_is_named_and_shown_not_sent_to_the_terminal() {
    let done = check(&["tests/adversarial/nul.toml"], 1_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &["nul.toml:10:13: TOML syntax error", "有色金\u{2400}属"],
    );
    assert!(!done.stderr.contains('\0'), "{:?}", done.stderr);
}

/// A cell holding a terminal escape (clear the screen) and a NUL: quoted in the message with
/// their symbols, in the table on standard output as on standard error; the other rows stand.
#[test]
fn control_characters_in_a_cell_are_shown_not_sent() {
    let dir = TempDir::new().unwrap();
    let text = fixture_text(CANDIDATES);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    cells[16] = "\u{1b}[2J18\u{0}00".to_string();
    lines[1] = cells.join(",");
    let file = path(&dir, "escape.csv");
    fs::write(&file, lines.join("\n") + "\n").unwrap();
    let done = check(&[arg(&file)], 2_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &["escape.csv:2, column Q 研发场地面积: facilities.rnd_floor_area: '\u{241b}[2J18\u{2400}00'"],
    );
    for output in [&done.stdout, &done.stderr] {
        assert!(!output.contains(['\u{1b}', '\u{0}']), "{output:?}");
    }
    assert!(
        done.stdout.contains("玉溪智造科技有限公司"),
        "the other rows are reported"
    );
}

#[test]
fn invalid_utf8_names_the_byte() {
    let done = check(&["tests/adversarial/invalid-utf8.toml"], 1_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &["invalid-utf8.toml: the file is not UTF-8 text, nor GB18030 (at byte 407)"],
    );
}

#[test]
fn a_byte_order_mark_in_the_middle_is_named() {
    let done = check(&["tests/adversarial/bom-inside.toml"], 1_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &[
            "bom-inside.toml:22:2: TOML syntax error",
            "line 22, column 1 holds an invisible byte-order mark, U+FEFF",
        ],
    );
}

// Sheets.

/// The fixture's header and rows, each widened to `columns` cells: `extra(i)` heads the added
/// columns, and `filler(row)` fills the added cells of the data row `row` (from 0).
fn widened(
    columns: usize,
    extra: impl Fn(usize) -> String,
    filler: impl Fn(usize) -> &'static str,
) -> String {
    let text = fixture_text(CANDIDATES);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let added = columns - header.split(',').count();
    let mut out = String::from(header);
    for index in 0..added {
        out.push(',');
        out.push_str(&extra(index));
    }
    out.push('\n');
    for (row, line) in lines.enumerate() {
        out.push_str(line);
        for _ in 0..added {
            out.push(',');
            out.push_str(filler(row));
        }
        out.push('\n');
    }
    out
}

fn verdicts(run: &Run) -> Vec<String> {
    run.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_hundred_thousand_columns() {
    let dir = TempDir::new().unwrap();
    let fixture = check(&[CANDIDATES, "--format", "json"], 10_000);

    // Unnamed, empty columns: read past, every applicant as in the fixture.
    let file = path(&dir, "wide-empty.csv");
    fs::write(&file, widened(100_000, |_| String::new(), |_| "")).unwrap();
    let done = check(&[arg(&file), "--format", "json"], 10_000);
    assert_eq!(done.code, fixture.code, "{}", excerpt(&done.stderr));
    assert_eq!(verdicts(&done), verdicts(&fixture));

    // Unknown headers: the header is wrong, told for 20 columns and counted for the rest.
    let file = path(&dir, "wide-unknown.csv");
    fs::write(&file, widened(100_000, |i| format!("x{i}"), |_| "")).unwrap();
    let done = check(&[arg(&file)], 10_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &[
            "wide-unknown.csv, row 1, column AE: unknown column 'x0'",
            "wide-unknown.csv, row 1, column AY: 99950 more problems are not listed one by one",
        ],
    );
    assert!(done.stdout.len() < 20_000, "{} bytes", done.stdout.len());

    // Values under no header in one row: that row is an error, told briefly; the others stand.
    let text = widened(
        100_000,
        |_| String::new(),
        |row| if row == 0 { "1" } else { "" },
    );
    let file = path(&dir, "wide-values.csv");
    fs::write(&file, text).unwrap();
    let done = check(&[arg(&file), "--format", "json"], 10_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &[
            "wide-values.csv:2, column AE: this column has no header but holds a value",
            "more problems are not listed one by one",
        ],
    );
    let mut expected = verdicts(&fixture);
    expected[0] = "error".to_string();
    assert_eq!(verdicts(&done), expected);
}

#[test]
fn a_million_empty_rows_are_skipped_and_the_applicants_around_them_reported() {
    let dir = TempDir::new().unwrap();
    let text = fixture_text(CANDIDATES);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = format!("{}\n{}\n", lines[0], lines[1]);
    out.push_str(&"\n".repeat(1_000_000));
    out.push_str(lines[2]);
    out.push('\n');
    let file = path(&dir, "empty-rows.csv");
    fs::write(&file, out).unwrap();
    let done = check(&[arg(&file), "--format", "json"], 1_000);
    assert_eq!(done.code, 1, "{}", done.stderr);
    assert_has(
        &done,
        &["empty-rows.csv: 1000000 rows skipped, not checked as applicants: rows 3–1000002 (empty)"],
    );
    assert_eq!(verdicts(&done), ["eligible", "ineligible"]);
}

// A zip bomb.

/// Bits of a raw deflate stream (RFC 1951), packed from the least significant.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    pending: u64,
    count: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.pending |= value << self.count;
        self.count += count;
        while self.count >= 8 {
            self.out.push(self.pending as u8);
            self.pending >>= 8;
            self.count -= 8;
        }
    }

    /// A Huffman code: sent from its most significant bit.
    fn code(&mut self, code: u64, length: u32) {
        let reversed = (0..length).fold(0, |r, i| r | ((code >> i) & 1) << (length - 1 - i));
        self.put(reversed, length);
    }

    fn align(&mut self) {
        if self.count > 0 {
            self.put(0, 8 - self.count);
        }
    }

    fn stored(&mut self, last: bool, bytes: &[u8]) {
        self.put(u64::from(last), 1);
        self.put(0, 2);
        self.align();
        let length = u16::try_from(bytes.len()).unwrap();
        self.out.extend(length.to_le_bytes());
        self.out.extend((!length).to_le_bytes());
        self.out.extend(bytes);
    }
}

/// A deflate stream of `prefix`, then `1 + 258 × repeats` spaces, then `suffix`. The spaces are
/// one literal and copies of 258 bytes at distance 1, in a block whose Huffman codes make a copy
/// 2 bits (length 258 and distance 1 get 1-bit codes): the 1,000-fold ratio of the zip bombs
/// seen in the wild.
fn bomb_stream(prefix: &[u8], repeats: u64, suffix: &[u8]) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.stored(false, prefix);
    bits.put(0, 1);
    bits.put(2, 2); // dynamic Huffman codes
    bits.put(286 - 257, 5); // literal/length codes up to 285
    bits.put(0, 5); // one distance code
    bits.put(18 - 4, 4); // code-length codes, in their order, up to that of 1
                         // The code-length code: 18 (a run of zeros) 1 bit, the lengths 1 and 2 two bits each.
    for symbol in [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1] {
        bits.put(
            match symbol {
                18 => 1,
                1 | 2 => 2,
                _ => 0,
            },
            3,
        );
    }
    let zeros = |bits: &mut Bits, run: u64| {
        bits.code(0, 1); // 18
        bits.put(run - 11, 7);
    };
    let (one, two) = (0b10, 0b11);
    // Literal/length lengths: ' ' (32) 2 bits, end of block (256) 2 bits, length 258 (285) 1 bit.
    zeros(&mut bits, 32);
    bits.code(two, 2);
    zeros(&mut bits, 138);
    zeros(&mut bits, 223 - 138);
    bits.code(two, 2);
    zeros(&mut bits, 28);
    bits.code(one, 2);
    bits.code(one, 2); // distance code 0 (distance 1): 1 bit
                       // Canonical codes: 285 → 0, 32 → 10, 256 → 11; distance 0 → 0.
    bits.code(0b10, 2);
    for _ in 0..repeats / 16 {
        bits.put(0, 32);
    }
    bits.put(0, 2 * u32::try_from(repeats % 16).unwrap());
    bits.code(0b11, 2);
    bits.stored(true, suffix);
    bits.align();
    bits.out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// A zip archive of `(name, method, crc, inflated size, data)` entries, written by hand: the zip
/// crate would deflate 3 GB to write the bomb.
fn zip_archive(entries: &[(&str, u16, u32, u32, Vec<u8>)]) -> Vec<u8> {
    let (mut out, mut directory) = (Vec::new(), Vec::new());
    for (name, method, crc, size, data) in entries {
        let offset = u32::try_from(out.len()).unwrap();
        let common = |fields: &mut Vec<u8>| {
            fields.extend(20u16.to_le_bytes()); // version needed
            fields.extend(0u16.to_le_bytes()); // flags
            fields.extend(method.to_le_bytes());
            fields.extend([0, 0, 0x21, 0]); // 1980-01-01 00:00
            fields.extend(crc.to_le_bytes());
            fields.extend(u32::try_from(data.len()).unwrap().to_le_bytes());
            fields.extend(size.to_le_bytes());
            fields.extend(u16::try_from(name.len()).unwrap().to_le_bytes());
            fields.extend(0u16.to_le_bytes()); // extra field
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name.as_bytes());
        out.extend(data);
        directory.extend(0x0201_4b50u32.to_le_bytes());
        directory.extend(20u16.to_le_bytes()); // made by
        common(&mut directory);
        directory.extend([0; 8]); // comment, disk, attributes
        directory.extend([0; 2]);
        directory.extend(offset.to_le_bytes());
        directory.extend(name.as_bytes());
    }
    let start = u32::try_from(out.len()).unwrap();
    let count = u16::try_from(entries.len()).unwrap();
    out.extend(&directory);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0; 4]);
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(u32::try_from(directory.len()).unwrap().to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend([0; 2]);
    out
}

/// A workbook of a few MB whose one sheet inflates to 3 GB: the header row, then 3 GB of
/// spaces inside `<sheetData>`. Its CRC is left 0: a reader meets the CRC only after inflating
/// all of it, and the point is that ticheck inflates none of it.
fn zip_bomb() -> Vec<u8> {
    let stored = |name: &'static str, text: &str| {
        let data = text.as_bytes().to_vec();
        (
            name,
            0u16,
            crc32(&data),
            u32::try_from(data.len()).unwrap(),
            data,
        )
    };
    let header: String = fixture_text(CANDIDATES)
        .trim_start_matches('\u{FEFF}')
        .lines()
        .next()
        .unwrap()
        .split(',')
        .enumerate()
        .map(|(i, name)| {
            let column = char::from(b'A' + u8::try_from(i % 26).unwrap());
            let column = if i < 26 {
                column.to_string()
            } else {
                format!("A{column}")
            };
            format!("<c r=\"{column}1\" t=\"inlineStr\"><is><t>{name}</t></is></c>")
        })
        .collect();
    let prefix = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <sheetData><row r=\"1\">{header}</row>"
    );
    let suffix = "</sheetData></worksheet>";
    let repeats = 3_000_000_000 / 258;
    let inflated = prefix.len() as u64 + 1 + 258 * repeats + suffix.len() as u64;
    let sheet = (
        "xl/worksheets/sheet1.xml",
        8u16,
        0,
        u32::try_from(inflated).unwrap(),
        bomb_stream(prefix.as_bytes(), repeats, suffix.as_bytes()),
    );
    const NS: &str = "http://schemas.openxmlformats.org";
    zip_archive(&[
        stored(
            "[Content_Types].xml",
            &format!(
                "<?xml version=\"1.0\"?><Types xmlns=\"{NS}/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
                 <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
                 </Types>"
            ),
        ),
        stored(
            "_rels/.rels",
            &format!(
                "<?xml version=\"1.0\"?><Relationships xmlns=\"{NS}/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{NS}/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
                 </Relationships>"
            ),
        ),
        stored(
            "xl/workbook.xml",
            &format!(
                "<?xml version=\"1.0\"?><workbook xmlns=\"{NS}/spreadsheetml/2006/main\" \
                 xmlns:r=\"{NS}/officeDocument/2006/relationships\">\
                 <sheets><sheet name=\"申报汇总\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        stored(
            "xl/_rels/workbook.xml.rels",
            &format!(
                "<?xml version=\"1.0\"?><Relationships xmlns=\"{NS}/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{NS}/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
                 </Relationships>"
            ),
        ),
        sheet,
    ])
}

#[test]
fn an_xlsx_zip_bomb_is_refused_before_it_is_inflated() {
    let dir = TempDir::new().unwrap();
    let bomb = zip_bomb();
    assert!(bomb.len() < 4_000_000, "a small file: {} bytes", bomb.len());
    // The bomb is real: its sheet inflates to the header row, then spaces (16 MiB read here).
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bomb)).unwrap();
    let part = archive.by_name("xl/worksheets/sheet1.xml").unwrap();
    assert!(part.size() > 3_000_000_000, "{}", part.size());
    let mut head = Vec::new();
    part.take(16 << 20).read_to_end(&mut head).unwrap();
    assert_eq!(head.len(), 16 << 20);
    assert!(head.starts_with(b"<?xml"));
    assert!(head.ends_with(&[b' '; 4096]));
    let file = path(&dir, "bomb.xlsx");
    fs::write(&file, &bomb).unwrap();
    // Beside a sheet that reads: its applicants are still reported.
    let done = check(&[CANDIDATES, arg(&file), "--format", "json"], 2_000);
    assert_eq!(done.code, 2, "{}", done.stderr);
    assert_has(
        &done,
        &[
            "bomb.xlsx: the workbook's part 'xl/worksheets/sheet1.xml' would inflate to 3000.0 MB",
            "a zip bomb, not read",
        ],
    );
    let results = verdicts(&done);
    assert_eq!(
        results.len(),
        8,
        "7 applicants and the workbook: {results:?}"
    );
    assert_eq!(results.last().unwrap(), "error");
    assert_eq!(results.iter().filter(|v| *v == "error").count(), 2);
}

// Files that are not what they seem.

#[test]
fn a_directory_and_a_symlink_loop_are_named() {
    let dir = TempDir::new().unwrap();
    let done = check(&[arg(dir.path())], 1_000);
    assert_eq!(done.code, 2);
    assert_has(&done, &["is a directory, not a profile"]);

    let looped = path(&dir, "loop.toml");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let done = check(&[ELIGIBLE, arg(&looped), "--format", "json"], 1_000);
    assert_eq!(done.code, 2);
    assert_has(&done, &["loop.toml: cannot read the file:"]);
    assert_eq!(verdicts(&done), ["eligible", "error"]);
}

/// A file gone between the listing and the reading, and one cut short while it is read (a FIFO
/// whose writer stops halfway, as a copy still in progress): the first cannot be read, the
/// second is read as far as it goes and its last line named; the other files are reported.
#[test]
fn a_file_that_disappears_or_stops_halfway() {
    let dir = TempDir::new().unwrap();
    let gone = path(&dir, "gone.toml");
    fs::write(&gone, fixture_text(ELIGIBLE)).unwrap();
    fs::remove_file(&gone).unwrap();
    let done = check(&[arg(&gone), ELIGIBLE, "--format", "json"], 1_000);
    assert_eq!(done.code, 2);
    assert_has(&done, &["gone.toml: cannot read the file:"]);
    assert_eq!(verdicts(&done), ["error", "eligible"]);

    let fifo = path(&dir, "halfway.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let text = fixture_text(ELIGIBLE);
    let cut = text.find("云南滇铜").unwrap() + "云南滇".len();
    let writer = {
        let (fifo, half) = (fifo.clone(), text[..cut].to_string());
        std::thread::spawn(move || {
            let mut pipe = fs::OpenOptions::new().write(true).open(fifo).unwrap();
            pipe.write_all(half.as_bytes()).unwrap();
        })
    };
    let done = check(&[arg(&fifo), ELIGIBLE, "--format", "json"], 1_000);
    writer.join().unwrap();
    assert_eq!(done.code, 2, "{}", done.stderr);
    let line = line_of("name = ");
    assert_has(
        &done,
        &[&format!("halfway.toml:{line}:"), "TOML syntax error"],
    );
    assert_eq!(verdicts(&done), ["error", "eligible"]);
}

#[test]
fn standard_input_empty_or_closed() {
    // Empty (`< /dev/null`): the format cannot be told, or the profile is empty.
    let done = check(&["-"], 1_000);
    assert_eq!(done.code, 2);
    assert_has(&done, &["standard input is empty"]);
    let done = check(&["-", "--input-format", "toml"], 1_000);
    assert_eq!(done.code, 2);
    assert_has(&done, &["<stdin>: the profile is empty"]);

    // Closed (`0<&-`): read as empty, not a panic.
    let done = run(assert_cmd::Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" check - 0<&-")
        .arg(env!("CARGO_BIN_EXE_ticheck"))
        .current_dir(root())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .timeout(HANG));
    assert_eq!(done.code, 2);
    assert!(!done.stderr.contains("panicked"), "{}", done.stderr);
    assert!(done.stderr.contains("standard input"), "{}", done.stderr);
}

/// `/dev/zero` given as a profile or a sheet: read up to a bound, then refused. A TOML file is
/// read whole (64 MiB at most); a CSV is streamed, but a record is held whole (a line of 64 MiB
/// at most). Before the bound the CSV reading grew one record until memory ran out.
#[test]
fn an_endless_file_is_refused_at_its_bound() {
    let done = check(&["/dev/zero", "--input-format", "toml"], 1_000);
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &["/dev/zero: the file is larger than 64 MiB and was not read"],
    );
    let done = check(
        &[
            CANDIDATES,
            "/dev/zero",
            "--input-format",
            "csv",
            "--format",
            "json",
        ],
        1_000,
    );
    assert_eq!(done.code, 2);
    assert_has(
        &done,
        &["/dev/zero: cannot read the CSV: a line longer than 64 MiB"],
    );
    assert_eq!(
        verdicts(&done).len(),
        8,
        "the other sheet's 7 applicants and the error"
    );
    // Told in Chinese as itself, not as the operating system's "file too large".
    let done = check(
        &["/dev/zero", "--input-format", "csv", "--lang", "zh"],
        1_000,
    );
    assert_eq!(done.code, 2);
    assert_has(&done, &["CSV 读取失败：有一行超过 64 MiB，不是表格的一行"]);
}
