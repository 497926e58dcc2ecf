//! Gaps, near misses and window drift through the real binary (SPEC §5 "Gaps", §7 "Near
//! misses" and the sheets a bureau keeps).
//!
//! - a failed clause states its shortfall exactly, in its own unit and terms: the table's
//!   差距 / Gap column, the "还差什么 / What is missing" section (nearest fixes first), JSON
//!   `gap` (`text`, `routes`, `combine`), the CSV `gaps` column, the workbook, SARIF and GitHub;
//! - a clause that lacks data names the fields to fill as the user wrote them: the TOML key for
//!   a profile, the sheet's own column header for a row;
//! - passed and informational clauses never carry a gap;
//! - in a batch, the near misses (培育库): closest first, each with its gaps, in the JSON
//!   summary, the table, Markdown and a sheet of the workbook; `--near-miss N` bounds them;
//! - for a single profile, what moving the application a year later changes (the drift), and
//!   `--as-of` a year later gives the verdicts the drift predicted.
//!
//! Every command runs in the crate root with `COLUMNS=160` and no locale (see `common`);
//! variants of `fixtures/eligible-enterprise.toml` and of `fixtures/batch/near-misses.csv`
//! are written into temporary directories.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tempfile::TempDir;

mod common;
use common::{
    clause_row, column, csv_rows, excerpt, fixture_text, path_str, read_workbook, run, squash,
    table_records, ticheck, without_items, write, Run,
};

const ELIGIBLE: &str = "fixtures/eligible-enterprise.toml";
const NEAR_MISSES: &str = "fixtures/batch/near-misses.csv";

// ---------------------------------------------------------------------------------------------
// Running the binary

/// `ticheck check FILE --lang LANG EXTRA…`.
fn check(file: &str, lang: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", file, "--lang", lang];
    args.extend_from_slice(extra);
    run(ticheck().args(&args))
}

/// `ticheck check FILE --format json --lang LANG EXTRA…`, parsed.
fn check_json(file: &str, lang: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    check(file, lang, &args).json()
}

/// The only result of a JSON report.
fn only_result(json: &Value) -> &Value {
    let results = json["results"].as_array().expect("results is an array");
    assert_eq!(results.len(), 1, "one result: {json:#}");
    &results[0]
}

fn clause<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["clauses"]
        .as_array()
        .unwrap_or_else(|| panic!("clauses is an array: {result:#}"))
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id} in {result:#}"))
}

/// A clause's gap, which must be there.
fn gap<'a>(result: &'a Value, id: &str) -> &'a Value {
    let gap = &clause(result, id)["gap"];
    assert!(gap.is_object(), "{id} has a gap: {:#}", clause(result, id));
    gap
}

/// The parts of each route that SPEC §5 and this suite pin (fields may be added beside them).
fn routes(gap: &Value) -> Vec<Value> {
    gap["routes"]
        .as_array()
        .unwrap_or_else(|| panic!("routes is an array: {gap:#}"))
        .iter()
        .map(|route| {
            json!({
                "metric": route["metric"],
                "short_by": route["short_by"],
                "unit": route["unit"],
                "direction": route["direction"],
                "strict": route["strict"],
            })
        })
        .collect()
}

fn route(metric: &str, short_by: &str, unit: &str, direction: &str, strict: bool) -> Value {
    json!({"metric": metric, "short_by": short_by, "unit": unit, "direction": direction,
           "strict": strict})
}

fn text_of(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

// ---------------------------------------------------------------------------------------------
// Profiles and sheets

/// The text with the one line that assigns `key` (`key = …`, at the start of a line)
/// replaced by `line` (or removed when `line` is empty).
fn set_line(text: &str, key: &str, line: &str) -> String {
    let prefix = format!("{key} =");
    let hits = text
        .lines()
        .filter(|l| l.trim_start().starts_with(&prefix))
        .count();
    assert_eq!(hits, 1, "exactly one line assigns {key}:\n{text}");
    text.lines()
        .filter_map(|l| {
            if !l.trim_start().starts_with(&prefix) {
                Some(l.to_string())
            } else if line.is_empty() {
                None
            } else {
                Some(line.to_string())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The eligible fixture failing seven conditions by known amounts:
/// debt ratio 7040 / 10000 (70.4%), 96 fixed staff, 1200 m², 1850 万元 of equipment, 880 万元
/// of R&D spend in 2023, 1 class-I and 9 class-II IP, 4 transfers (their benefit still 5600).
fn short_profile_text() -> String {
    let mut text = fixture_text(ELIGIBLE);
    text = set_line(&text, "total_assets", "total_assets = 10000");
    text = set_line(&text, "total_liabilities", "total_liabilities = 7040");
    text = set_line(&text, "fixed_staff", "fixed_staff = 96");
    text = set_line(&text, "rnd_floor_area", "rnd_floor_area = 1200");
    text = set_line(&text, "equipment_value", "equipment_value = 1850");
    text = set_line(&text, "2023", "2023 = 880");
    text = without_items(&text, "ip");
    text = without_items(&text, "transfer");
    text.replace(
        "[support]",
        "[record]\nclass_i_ip = 1\nclass_ii_ip = 9\ntransfers = 4\ntransfer_benefit = 5600\n\n\
         [support]",
    )
}

fn short_profile(dir: &TempDir) -> PathBuf {
    write(dir, "short.toml", &short_profile_text())
}

/// The eligible fixture with only the team changed.
fn team_profile(dir: &TempDir, fixed: u32, qualified: u32) -> PathBuf {
    let mut text = fixture_text(ELIGIBLE);
    text = set_line(&text, "fixed_staff", &format!("fixed_staff = {fixed}"));
    text = set_line(
        &text,
        "qualified_staff",
        &format!("qualified_staff = {qualified}"),
    );
    write(dir, &format!("team-{fixed}-{qualified}.toml"), &text)
}

/// The eligible fixture (application date 2024-03-15) whose projects are three provincial ones,
/// of 2021, 2021 and 2022, with no national project and no `[record]`.
fn drift_profile(dir: &TempDir) -> PathBuf {
    let mut text = without_items(&fixture_text(ELIGIBLE), "project");
    assert!(!text.contains("[record]") && !text.contains("national_projects"));
    for (name, year) in [
        ("省级项目甲", 2021),
        ("省级项目乙", 2021),
        ("省级项目丙", 2022),
    ] {
        text.push_str(&format!(
            "\n[[project]]\nname = \"{name}\"\nlevel = \"provincial\"\nyear = {year}\n\
             role = \"host\"\nrelated = true\n"
        ));
    }
    write(dir, "drift.toml", &text)
}

/// The near-miss fixture's header and its first (eligible) data row, as cells.
fn near_miss_header_and_first_row() -> (Vec<String>, Vec<String>) {
    let text = fixture_text(NEAR_MISSES);
    let mut lines = text.trim_start_matches('\u{FEFF}').lines();
    let split = |line: &str| line.split(',').map(str::to_string).collect::<Vec<_>>();
    let header = split(lines.next().unwrap());
    let row = split(lines.next().unwrap());
    assert!(
        !header.iter().chain(&row).any(|c| c.contains('"')),
        "no quoted cells"
    );
    (header, row)
}

/// A one-row sheet from the near-miss fixture's eligible row, with the cell under `column` set
/// to `value` and that column's header written `header`.
fn one_row_sheet(dir: &TempDir, name: &str, column: &str, header: &str, value: &str) -> PathBuf {
    let (mut head, mut row) = near_miss_header_and_first_row();
    let at = head
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column} in {head:?}"));
    head[at] = header.to_string();
    row[at] = value.to_string();
    write(
        dir,
        name,
        &format!("{}\n{}\n", head.join(","), row.join(",")),
    )
}

/// A one-row sheet whose 研发场地面积 cell is empty.
fn sheet_without_floor_area(dir: &TempDir) -> PathBuf {
    one_row_sheet(dir, "no-floor.csv", "研发场地面积", "研发场地面积", "")
}

// ---------------------------------------------------------------------------------------------
// Reading the table, Markdown, CSV and XLSX outputs

/// The header line's cells of the first box-drawn table in `text`.
fn table_header(text: &str) -> Vec<String> {
    table_records(text, |_| true)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("a table in:\n{text}"))
}

/// The text from the line that starts with `heading` (excluded) to the next empty line.
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(heading));
    assert!(
        lines.next().is_some(),
        "a section {heading:?} in:\n{}",
        excerpt(text)
    );
    lines.take_while(|l| !l.trim().is_empty()).collect()
}

/// The text after the line that starts with `heading` (the rest of the output).
fn after<'a>(text: &'a str, heading: &str) -> &'a str {
    let at = text
        .lines()
        .find(|l| l.starts_with(heading))
        .map(|l| l.as_ptr() as usize - text.as_ptr() as usize)
        .unwrap_or_else(|| panic!("a line starting {heading:?} in:\n{text}"));
    &text[at..]
}

/// The one line of `lines` that ends with the clause id in brackets (`（id）`/`(id)`), or
/// that names the id (`（A10.5.ip，建议性）`).
fn line_for<'a>(lines: &[&'a str], id: &str) -> &'a str {
    let hits: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| {
            l.contains(&format!("（{id}）"))
                || l.contains(&format!("({id})"))
                || l.contains(&format!("（{id}，"))
        })
        .collect();
    assert_eq!(hits.len(), 1, "one line for {id} in {lines:#?}");
    hits[0]
}

fn position_of(lines: &[&str], id: &str) -> usize {
    let line = line_for(lines, id);
    lines.iter().position(|l| *l == line).unwrap()
}

type Workbook = Vec<(String, Vec<Vec<String>>)>;

fn sheet<'a>(workbook: &'a Workbook, name: &str) -> &'a [Vec<String>] {
    &workbook
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| {
            let names: Vec<&String> = workbook.iter().map(|(n, _)| n).collect();
            panic!("no sheet {name:?} among {names:?}")
        })
        .1
}

/// `ticheck check FILE --lang LANG --output DIR/NAME.xlsx EXTRA…`, read back.
fn workbook_of(file: &str, lang: &str, dir: &TempDir, extra: &[&str]) -> Workbook {
    let name = Path::new(file).file_stem().unwrap().to_string_lossy();
    let out = dir.path().join(format!("{name}-{lang}.xlsx"));
    let mut args = vec!["--output", path_str(&out)];
    args.extend_from_slice(extra);
    let output = check(file, lang, &args);
    assert!(
        out.exists(),
        "--output wrote no workbook (exit {}):\n{}",
        output.code,
        excerpt(&output.stderr)
    );
    read_workbook(&out)
}

/// The column of a sheet's header row (the first row) whose cell starts with `prefix`.
fn header_column(rows: &[Vec<String>], prefix: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h.starts_with(prefix))
        .unwrap_or_else(|| panic!("a column {prefix:?} in {:?}", rows[0]))
}

// ---------------------------------------------------------------------------------------------
// 1. A single profile: the exact shortfall of each failed clause

/// Each failed clause of the short profile, with what its table gap cell must say (squashed).
const SHORT_TABLE_GAPS_ZH: [(&str, &[&str]); 7] = [
    (
        "A10.2.debt-ratio",
        &["负债总额须减少超过40万元", "资产总额须增加至少57.1429万元"],
    ),
    ("A10.2.team-size", &["还差4"]),
    ("A10.4.floor-area", &["还差300m²"]),
    ("A10.4.equipment", &["还差150万元"]),
    ("A10.4.rnd-spend", &["2023年研发经费投入还差120万元"]),
    (
        "A10.5.ip",
        &["II类知识产权还差3；或I类知识产权（相关）还差1"],
    ),
    ("A10.5.transfers", &["还差1"]),
];

#[test]
fn the_table_has_a_gap_column_that_states_each_shortfall() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    let output = check(path_str(&file), "zh", &[]);
    assert_eq!(output.code, 1, "ineligible:\n{}", output.stderr);
    let header = table_header(&output.stdout);
    assert_eq!(
        header.last().map(String::as_str),
        Some("差距"),
        "{header:?}"
    );
    for (id, parts) in SHORT_TABLE_GAPS_ZH {
        let row = clause_row(&output.stdout, id);
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert!(row[4].contains("不符合"), "{id} fails: {row:?}");
        let cell = squash(&row[5]);
        for part in parts {
            assert!(
                cell.contains(part),
                "{id}: {part:?} in the gap cell {cell:?}"
            );
        }
    }
    // The year that is short, and only that one.
    let spend = squash(&clause_row(&output.stdout, "A10.4.rnd-spend")[5]);
    assert!(
        !spend.contains("2022") && !spend.contains("rnd_spend"),
        "{spend}"
    );
    // Passed clauses leave the cell empty.
    for id in [
        "A10.2.team-quality",
        "A10.5.benefit",
        "A8.priority",
        "A4.field",
    ] {
        assert_eq!(clause_row(&output.stdout, id)[5], "", "{id} has no gap");
    }

    let output = check(path_str(&file), "en", &[]);
    let header = table_header(&output.stdout);
    assert_eq!(header.last().map(String::as_str), Some("Gap"), "{header:?}");
    let floor = squash(&clause_row(&output.stdout, "A10.4.floor-area")[5]);
    assert!(floor.contains("300m²"), "{floor}");
}

#[test]
fn what_is_missing_lists_every_failed_clause_with_its_shortfall_nearest_first_zh() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    let output = check(path_str(&file), "zh", &[]);
    let lines = section(&output.stdout, "还差什么");
    assert_eq!(lines.len(), 7, "one line per failed clause: {lines:#?}");
    let expected: [(&str, &[&str]); 7] = [
        ("A10.4.floor-area", &["1200 m²", "≥ 1500 m²", "还差 300 m²"]),
        (
            "A10.4.equipment",
            &["1850 万元", "≥ 2000 万元", "还差 150 万元"],
        ),
        ("A10.4.rnd-spend", &["2023 年", "880 万元", "还差 120 万元"]),
        ("A10.2.team-size", &["96", "≥ 100", "还差 4"]),
        (
            "A10.2.debt-ratio",
            &[
                "负债总额减少超过 40 万元",
                "资产总额增加至少 57.1429 万元",
                "< 70%",
            ],
        ),
        ("A10.5.transfers", &["4", "≥ 5", "还差 1"]),
        (
            "A10.5.ip",
            &[
                "II类知识产权 9",
                "还差 3",
                "I类知识产权（相关） 1",
                "还差 1",
            ],
        ),
    ];
    for (id, parts) in expected {
        let line = line_for(&lines, id);
        for part in parts {
            assert!(line.contains(part), "{id}: {part:?} in {line:?}");
        }
    }
    let spend = line_for(&lines, "A10.4.rnd-spend");
    assert!(
        !spend.contains("rnd_spend") && !spend.contains("2022"),
        "only the short year, written as a year: {spend}"
    );
    // Either-or: the nearer route first (3 of 12 class-II before 1 of 2 class-I).
    let ip = line_for(&lines, "A10.5.ip");
    assert!(
        ip.find("II类").unwrap() < ip.find("或I类").unwrap(),
        "class-II first: {ip}"
    );
    // Nearest fixes first: 0.6% (debt), 4% (staff), 7.5% (equipment), 12% (2023 spend),
    // 20% (floor, transfers), 25% (IP).
    let order = [
        "A10.2.debt-ratio",
        "A10.2.team-size",
        "A10.4.equipment",
        "A10.4.rnd-spend",
        "A10.4.floor-area",
        "A10.5.ip",
    ];
    let at: Vec<usize> = order.iter().map(|id| position_of(&lines, id)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
    let transfers = position_of(&lines, "A10.5.transfers");
    assert!(
        at[3] < transfers && transfers < at[5],
        "transfers (20%) after the spend (12%), before IP (25%): {lines:#?}"
    );
}

#[test]
fn what_is_missing_lists_every_failed_clause_with_its_shortfall_en() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    let output = check(path_str(&file), "en", &[]);
    let lines = section(&output.stdout, "What is missing");
    assert_eq!(lines.len(), 7, "{lines:#?}");
    let expected: [(&str, &[&str]); 7] = [
        (
            "A10.4.floor-area",
            &["1200 m²", "300 m² short of ≥ 1500 m²"],
        ),
        (
            "A10.4.equipment",
            &["1850 万元", "150 万元 short of ≥ 2000 万元"],
        ),
        (
            "A10.4.rnd-spend",
            &["2023", "120 万元 short of ≥ 1000 万元"],
        ),
        ("A10.2.team-size", &["96", "4 short of ≥ 100"]),
        (
            "A10.2.debt-ratio",
            &[
                "total liabilities down by more than 40 万元",
                "total assets up by at least 57.1429 万元",
                "< 70%",
            ],
        ),
        ("A10.5.transfers", &["4", "1 short of ≥ 5"]),
        (
            "A10.5.ip",
            &["class-II IP 9, 3 short of ≥ 12", "class-I IP"],
        ),
    ];
    for (id, parts) in expected {
        let line = line_for(&lines, id);
        for part in parts {
            assert!(line.contains(part), "{id}: {part:?} in {line:?}");
        }
    }
    let spend = line_for(&lines, "A10.4.rnd-spend");
    assert!(
        !spend.contains("rnd_spend") && !spend.contains("2022"),
        "{spend}"
    );
    let ip = line_for(&lines, "A10.5.ip");
    assert!(
        ip.find("class-II").unwrap() < ip.find("class-I IP").unwrap(),
        "{ip}"
    );
}

#[test]
fn json_gaps_carry_text_routes_and_how_the_routes_combine() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    let json = check_json(path_str(&file), "en", &[]);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "ineligible");

    let expected: [(&str, &str, Vec<Value>, &[&str]); 7] = [
        (
            "A10.4.floor-area",
            "any",
            vec![route(
                "facilities.rnd_floor_area",
                "300",
                "m²",
                "more",
                false,
            )],
            &["1200 m²", "300 m² short of ≥ 1500 m²"],
        ),
        (
            "A10.4.equipment",
            "any",
            vec![route(
                "facilities.equipment_value",
                "150",
                "万元",
                "more",
                false,
            )],
            &["1850 万元", "150 万元 short of ≥ 2000 万元"],
        ),
        (
            "A10.4.rnd-spend",
            "all",
            vec![route("rnd_spend.2023", "120", "万元", "more", false)],
            &["2023", "120 万元 short of ≥ 1000 万元"],
        ),
        (
            "A10.2.team-size",
            "any",
            vec![route("team.fixed_staff", "4", "", "more", false)],
            &["96", "4 short of ≥ 100"],
        ),
        (
            "A10.2.debt-ratio",
            "any",
            vec![
                // Below 70% only when the liabilities fall by more than 40 (strict) …
                route("finance.total_liabilities", "40", "万元", "less", true),
                // … or the assets rise by 57.142857…, rounded up to a sufficient 57.1429.
                route("finance.total_assets", "57.1429", "万元", "more", false),
            ],
            &["more than 40 万元", "at least 57.1429 万元", "< 70%"],
        ),
        (
            "A10.5.transfers",
            "any",
            vec![route("transfers", "1", "", "more", false)],
            &["4", "1 short of ≥ 5"],
        ),
        (
            "A10.5.ip",
            "any",
            vec![
                route("class_ii_ip", "3", "", "more", false),
                route("class_i_ip", "1", "", "more", false),
            ],
            &["3 short of ≥ 12", "1 short of ≥ 2"],
        ),
    ];
    for (id, combine, want_routes, parts) in expected {
        assert_eq!(clause(result, id)["verdict"], "fail", "{id}");
        let gap = gap(result, id);
        assert_eq!(routes(gap), want_routes, "{id}: {gap:#}");
        assert_eq!(gap["combine"], combine, "{id}: {gap:#}");
        let text = text_of(&gap["text"]);
        for part in parts {
            assert!(text.contains(part), "{id}: {part:?} in {text:?}");
        }
    }
    let spend = text_of(&gap(result, "A10.4.rnd-spend")["text"]);
    assert!(
        !spend.contains("rnd_spend") && !spend.contains("2022"),
        "{spend}"
    );

    // The text is in the output language.
    let json = check_json(path_str(&file), "zh", &[]);
    let result = only_result(&json);
    let floor = text_of(&gap(result, "A10.4.floor-area")["text"]);
    assert!(floor.contains("还差 300 m²"), "{floor}");
    let debt = text_of(&gap(result, "A10.2.debt-ratio")["text"]);
    assert!(
        debt.contains("负债总额减少超过 40 万元") && debt.contains("资产总额增加至少 57.1429 万元"),
        "{debt}"
    );
    assert_eq!(
        routes(gap(result, "A10.4.floor-area")),
        vec![route(
            "facilities.rnd_floor_area",
            "300",
            "m²",
            "more",
            false
        )],
        "routes do not depend on the language"
    );
}

#[test]
fn a_qualified_share_below_half_asks_for_whole_people() {
    let dir = TempDir::new().unwrap();
    // 47 of 100 → 50 needed: 3 more; 50 of 101 → 50.5 needed: 51, so 1 more.
    for (fixed, qualified, more) in [(100, 47, "3"), (101, 50, "1")] {
        let file = team_profile(&dir, fixed, qualified);
        let json = check_json(path_str(&file), "en", &[]);
        let result = only_result(&json);
        assert_eq!(clause(result, "A10.2.team-size")["verdict"], "pass");
        assert_eq!(clause(result, "A10.2.team-quality")["verdict"], "fail");
        let gap = gap(result, "A10.2.team-quality");
        assert_eq!(
            routes(gap),
            vec![route("team.qualified_staff", more, "", "more", false)],
            "{fixed}/{qualified}: {gap:#}"
        );
        let text = text_of(&gap["text"]);
        assert!(
            text.contains(&format!("up by {more}")) && text.contains("≥ 50%"),
            "{text}"
        );

        let output = check(path_str(&file), "zh", &[]);
        let lines = section(&output.stdout, "还差什么");
        assert_eq!(lines.len(), 1, "{lines:#?}");
        let line = line_for(&lines, "A10.2.team-quality");
        assert!(
            line.contains(&format!("中高级职称或硕士以上人员增加 {more}"))
                && line.contains("≥ 50%"),
            "{line}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Missing data: the fields to fill, named as the user wrote them

#[test]
fn a_profile_missing_a_field_names_its_toml_key() {
    let dir = TempDir::new().unwrap();
    let text = set_line(&fixture_text(ELIGIBLE), "rnd_floor_area", "");
    let file = write(&dir, "no-floor.toml", &text);
    let json = check_json(path_str(&file), "en", &[]);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "incomplete");
    let floor = clause(result, "A10.4.floor-area");
    assert_eq!(floor["verdict"], "missing");
    let gap = gap(result, "A10.4.floor-area");
    assert_eq!(
        gap["fields"],
        json!(["facilities.rnd_floor_area"]),
        "{gap:#}"
    );
    assert!(
        text_of(&gap["text"]).contains("facilities.rnd_floor_area"),
        "{gap:#}"
    );

    let output = check(path_str(&file), "zh", &[]);
    let cell = squash(&clause_row(&output.stdout, "A10.4.floor-area")[5]);
    assert_eq!(cell, "需填写：facilities.rnd_floor_area");
    let lines = section(&output.stdout, "还差什么");
    let line = line_for(&lines, "A10.4.floor-area");
    assert!(line.contains("需填写：facilities.rnd_floor_area"), "{line}");
}

#[test]
fn a_sheet_row_missing_a_cell_names_the_sheet_header_in_json_table_markdown_and_xlsx() {
    let dir = TempDir::new().unwrap();
    let file = sheet_without_floor_area(&dir);
    let json = check_json(path_str(&file), "en", &[]);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "incomplete", "{result:#}");
    assert_eq!(clause(result, "A10.4.floor-area")["verdict"], "missing");
    let gap = gap(result, "A10.4.floor-area");
    assert_eq!(gap["fields"], json!(["研发场地面积"]), "{gap:#}");
    let text = text_of(&gap["text"]);
    assert!(
        text.contains("研发场地面积") && !text.contains("facilities.rnd_floor_area"),
        "{text}"
    );

    let output = check(path_str(&file), "zh", &[]);
    let cell = squash(&clause_row(&output.stdout, "A10.4.floor-area")[5]);
    assert_eq!(cell, "需填写：研发场地面积");
    let lines = section(&output.stdout, "还差什么");
    assert!(
        line_for(&lines, "A10.4.floor-area").contains("需填写：研发场地面积"),
        "{lines:#?}"
    );

    let markdown = check(path_str(&file), "zh", &["--format", "markdown"]).stdout;
    // The applicant's clause table (six cells), not the batch's knock-out table (four).
    let rows: Vec<&str> = markdown
        .lines()
        .filter(|l| l.starts_with("| `A10.4.floor-area`") && l.matches(" | ").count() == 5)
        .collect();
    assert_eq!(rows.len(), 1, "one Markdown clause row:\n{markdown}");
    assert!(
        rows[0].trim_end().ends_with("| 需填写：研发场地面积 |"),
        "{}",
        rows[0]
    );

    let workbook = workbook_of(path_str(&file), "zh", &dir, &[]);
    let clauses = sheet(&workbook, "条款");
    let at = header_column(clauses, "A10.4.floor-area");
    let cell = &clauses[1][at];
    let lines: Vec<&str> = cell.lines().collect();
    // The verdict, the requirement and the gap; no actual value, as none was stated.
    assert_eq!(lines.len(), 3, "verdict, requirement, gap: {cell:?}");
    assert!(lines[0].contains("missing"), "{cell:?}");
    assert!(lines[1].starts_with("要求："), "{cell:?}");
    assert!(!cell.contains("实际："), "{cell:?}");
    assert_eq!(lines[2], "差距：需填写：研发场地面积", "{cell:?}");
}

#[test]
fn the_csv_row_of_a_sheet_names_the_missing_cell_by_the_sheet_header() {
    let dir = TempDir::new().unwrap();
    let file = sheet_without_floor_area(&dir);
    let output = check(path_str(&file), "en", &["--format", "csv"]);
    let (header, rows) = csv_rows(&output.stdout);
    assert_eq!(rows.len(), 1);
    let missing = &rows[0][column(&header, "missing")];
    assert_eq!(
        missing, "A10.4.floor-area: 研发场地面积",
        "the sheet's header"
    );

    // In Chinese too, whatever the column is called; the path is nowhere.
    let output = check(path_str(&file), "zh", &["--format", "csv"]);
    let (_, rows) = csv_rows(&output.stdout);
    assert!(
        rows[0]
            .iter()
            .any(|c| c.contains("A10.4.floor-area: 研发场地面积")),
        "{:?}",
        rows[0]
    );
    assert!(
        !rows[0]
            .iter()
            .any(|c| c.contains("facilities.rnd_floor_area")),
        "not a path the bureau never wrote: {:?}",
        rows[0]
    );
}

#[test]
fn the_workbook_summary_names_the_missing_cell_by_the_sheet_header() {
    let dir = TempDir::new().unwrap();
    let file = sheet_without_floor_area(&dir);
    let workbook = workbook_of(path_str(&file), "zh", &dir, &[]);
    let summary = sheet(&workbook, "汇总");
    let missing = &summary[1][header_column(summary, "缺少的数据")];
    assert!(missing.contains("研发场地面积"), "{missing:?}");
    assert!(
        !missing.contains("facilities.rnd_floor_area"),
        "{missing:?}"
    );
}

#[test]
fn a_header_with_its_unit_names_the_missing_cell_as_written() {
    let dir = TempDir::new().unwrap();
    let file = one_row_sheet(
        &dir,
        "unit-header.csv",
        "研发场地面积",
        "研发场地面积（m²）",
        "",
    );
    let output = check(path_str(&file), "en", &["--format", "json"]);
    let json = output.json();
    let result = only_result(&json);
    assert_eq!(result["verdict"], "incomplete", "{result:#}");
    let gap = gap(result, "A10.4.floor-area");
    assert_eq!(gap["fields"], json!(["研发场地面积（m²）"]), "{gap:#}");
}

#[test]
fn a_placeholder_cell_is_missing_data_named_by_its_header() {
    let dir = TempDir::new().unwrap();
    let file = one_row_sheet(
        &dir,
        "placeholder.csv",
        "2023年研发经费",
        "2023年研发经费",
        "—",
    );
    let output = check(path_str(&file), "en", &["--format", "json"]);
    let json = output.json();
    let result = only_result(&json);
    assert_eq!(result["verdict"], "incomplete", "{result:#}");
    assert_eq!(clause(result, "A10.4.rnd-spend")["verdict"], "missing");
    let gap = gap(result, "A10.4.rnd-spend");
    assert_eq!(gap["fields"], json!(["2023年研发经费"]), "{gap:#}");
}

// ---------------------------------------------------------------------------------------------
// 3–4. CSV, XLSX, SARIF and GitHub carry the gaps

/// A CSV gaps cell (`ID: gap | ID: gap`) as (clause id, gap), in order.
fn gap_segments(cell: &str) -> Vec<(String, String)> {
    cell.split(" | ")
        .filter(|s| !s.is_empty())
        .map(|segment| {
            let (id, gap) = segment
                .split_once(": ")
                .unwrap_or_else(|| panic!("`ID: gap` in {segment:?} of {cell:?}"));
            (id.to_string(), gap.to_string())
        })
        .collect()
}

/// The gap of `id` in a CSV gaps cell; it must state every one of `parts`.
fn assert_segment(cell: &str, id: &str, parts: &[&str]) {
    let segments = gap_segments(cell);
    let hits: Vec<&String> = segments
        .iter()
        .filter(|(i, _)| i == id)
        .map(|(_, gap)| gap)
        .collect();
    assert_eq!(hits.len(), 1, "one gap for {id} in {cell:?}");
    for part in parts {
        assert!(hits[0].contains(part), "{id}: {part:?} in {:?}", hits[0]);
    }
}

#[test]
fn csv_output_has_a_gaps_column_with_the_failed_clauses_gaps() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    let output = check(path_str(&file), "en", &["--format", "csv"]);
    let (header, rows) = csv_rows(&output.stdout);
    assert_eq!(rows.len(), 1);
    let gaps = &rows[0][column(&header, "gaps")];
    let ids: Vec<String> = gap_segments(gaps).into_iter().map(|(id, _)| id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "A10.2.debt-ratio",
            "A10.2.team-size",
            "A10.4.equipment",
            "A10.4.floor-area",
            "A10.4.rnd-spend",
            "A10.5.ip",
            "A10.5.transfers",
        ],
        "the failed clauses, and only those: {gaps:?}"
    );
    assert_segment(gaps, "A10.4.floor-area", &["300 m² short"]);
    assert_segment(gaps, "A10.4.equipment", &["150 万元 short"]);
    assert_segment(gaps, "A10.4.rnd-spend", &["2023", "120 万元 short"]);
    assert_segment(gaps, "A10.2.team-size", &["4 short"]);
    assert_segment(
        gaps,
        "A10.2.debt-ratio",
        &["more than 40 万元", "at least 57.1429 万元"],
    );
    assert_segment(gaps, "A10.5.ip", &["class-II IP", "3 short", "1 short"]);
    assert_segment(gaps, "A10.5.transfers", &["1 short"]);

    // In Chinese, the same cell in Chinese (whatever its header is called).
    let output = check(path_str(&file), "zh", &["--format", "csv"]);
    let (_, rows) = csv_rows(&output.stdout);
    let cell = rows[0]
        .iter()
        .find(|c| c.contains("A10.4.floor-area: "))
        .unwrap_or_else(|| panic!("a cell with the floor-area gap: {:?}", rows[0]));
    assert_segment(cell, "A10.4.floor-area", &["还差 300 m²"]);
    assert_segment(cell, "A10.4.rnd-spend", &["2023 年", "还差 120 万元"]);

    // A batch: each row its own gaps, none for the eligible row.
    let output = check(NEAR_MISSES, "en", &["--format", "csv"]);
    let (header, rows) = csv_rows(&output.stdout);
    let (at, gaps) = (column(&header, "source"), column(&header, "gaps"));
    let row = |n: usize| {
        let source = format!("{NEAR_MISSES}:{n}");
        rows.iter()
            .find(|r| r[at] == source)
            .unwrap_or_else(|| panic!("a row {source}: {rows:?}"))
    };
    assert_eq!(row(2)[gaps], "");
    let two = &row(5)[gaps];
    assert_eq!(gap_segments(two).len(), 2, "{two:?}");
    assert_segment(two, "A10.2.team-size", &["2 short"]);
    assert_segment(two, "A10.4.floor-area", &["20 m² short"]);
}

#[test]
fn the_workbook_has_a_gaps_column_and_the_gap_below_each_failed_verdict() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    for (lang, summary_name, clauses_name, gaps_header, floor_gap, leads) in [
        (
            "zh",
            "汇总",
            "条款",
            "差距",
            "还差 300 m²",
            ["实际：", "要求：", "差距："],
        ),
        (
            "en",
            "Summary",
            "Clauses",
            "Gaps",
            "300 m² short",
            ["actual: ", "required: ", "gap: "],
        ),
    ] {
        let workbook = workbook_of(path_str(&file), lang, &dir, &[]);
        let summary = sheet(&workbook, summary_name);
        let gaps = &summary[1][header_column(summary, gaps_header)];
        for id in [
            "A10.2.debt-ratio",
            "A10.2.team-size",
            "A10.4.floor-area",
            "A10.4.equipment",
            "A10.4.rnd-spend",
            "A10.5.ip",
            "A10.5.transfers",
        ] {
            assert!(
                gaps.contains(&format!("{id}: ")),
                "{lang}: {id} in {gaps:?}"
            );
        }
        assert!(gaps.contains("300 m²"), "{lang}: {gaps:?}");

        let clauses = sheet(&workbook, clauses_name);
        let cell = &clauses[1][header_column(clauses, "A10.4.floor-area")];
        let lines: Vec<&str> = cell.lines().collect();
        // The verdict first (a filter sorts by it), then actual, required and the gap.
        assert_eq!(lines.len(), 4, "{lang}: {cell:?}");
        assert!(lines[0].contains("fail"), "{lang}: {cell:?}");
        for (line, lead) in lines[1..].iter().zip(leads) {
            assert!(line.starts_with(lead), "{lang}: {lead} in {cell:?}");
        }
        assert!(lines[1].contains("m²"), "{lang}: the actual area: {cell:?}");
        assert_eq!(
            lines[3],
            format!("{}{floor_gap}", leads[2]),
            "{lang}: {cell:?}"
        );
        let spend = &clauses[1][header_column(clauses, "A10.4.rnd-spend")];
        assert!(
            spend
                .lines()
                .last()
                .is_some_and(|l| l.contains("2023") && l.contains("120 万元")),
            "{lang}: {spend:?}"
        );
        for id in ["A10.2.team-quality", "A10.5.benefit", "A8.priority"] {
            let cell = &clauses[1][header_column(clauses, id)];
            assert!(
                !cell.lines().any(|line| line.starts_with(leads[2])),
                "{lang}: no gap under {id}: {cell:?}"
            );
        }
    }
}

#[test]
fn the_workbook_summary_has_each_applicants_uscc_and_prefecture() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    let workbook = workbook_of(path_str(&file), "zh", &dir, &[]);
    let summary = sheet(&workbook, "汇总");
    assert!(
        summary[1].iter().any(|c| c == "91530100MA6K3L7P2D"),
        "the USCC: {:?}",
        summary[1]
    );
    assert!(
        summary[1].iter().any(|c| c == "昆明市"),
        "the prefecture: {:?}",
        summary[1]
    );
}

#[test]
fn chinese_csv_output_is_for_excel() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    let output = check(path_str(&file), "zh", &["--format", "csv"]);
    assert!(output.stdout.starts_with('\u{FEFF}'), "a BOM");
    let (header, rows) = csv_rows(&output.stdout);
    for english in ["source", "applicant", "verdict", "gaps", "missing"] {
        assert!(
            !header.iter().any(|h| h == english),
            "{english}: {header:?}"
        );
    }
    assert!(header.iter().any(|h| h.contains("差距")), "{header:?}");
    assert!(
        !rows[0].iter().any(|c| c == "fail" || c == "ineligible"),
        "{:?}",
        rows[0]
    );
}

#[test]
fn sarif_and_github_messages_state_the_gap() {
    let dir = TempDir::new().unwrap();
    let file = short_profile(&dir);
    let sarif = check(path_str(&file), "en", &["--format", "sarif"]).json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let message = |id: &str| {
        let hits: Vec<&str> = results
            .iter()
            .filter(|r| r["ruleId"] == id)
            .map(|r| text_of(&r["message"]["text"]))
            .collect();
        assert_eq!(hits.len(), 1, "one SARIF result for {id}: {sarif:#}");
        hits[0]
    };
    assert!(
        message("A10.4.floor-area").contains("300 m² short of ≥ 1500 m²"),
        "{}",
        message("A10.4.floor-area")
    );
    assert!(message("A10.4.equipment").contains("150 万元 short of ≥ 2000 万元"));
    assert!(message("A10.4.rnd-spend").contains("120 万元 short of ≥ 1000 万元"));
    assert!(message("A10.2.debt-ratio").contains("more than 40 万元"));

    let github = check(path_str(&file), "en", &["--format", "github"]).stdout;
    let line = |text: &str, id: &str| -> String {
        let hits: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(&format!("title={id}::")))
            .collect();
        assert_eq!(hits.len(), 1, "one annotation for {id}:\n{text}");
        hits[0].to_string()
    };
    let floor = line(&github, "A10.4.floor-area");
    assert!(floor.starts_with("::error "), "{floor}");
    assert!(floor.contains("300 m² short of ≥ 1500 m²"), "{floor}");
    assert!(line(&github, "A10.5.transfers").contains("1 short of ≥ 5"));

    let github = check(path_str(&file), "zh", &["--format", "github"]).stdout;
    let floor = line(&github, "A10.4.floor-area");
    assert!(floor.contains("距 ≥ 1500 m² 还差 300 m²"), "{floor}");
}

// ---------------------------------------------------------------------------------------------
// 5. Near misses (培育库)

/// A near miss as expected: its row, its failed conditions, its gaps (clause id, text).
type NearMiss = (usize, u64, Vec<(&'static str, &'static str)>);

/// The near misses of the fixture, closest first.
fn expected_near_misses() -> Vec<NearMiss> {
    vec![
        (
            8,
            1,
            vec![(
                "A10.2.debt-ratio",
                "debt ratio 70.5%, more than 0.5 percentage points over < 70%",
            )],
        ),
        (
            3,
            1,
            vec![(
                "A10.4.floor-area",
                "R&D floor area 1450 m², 50 m² short of ≥ 1500 m²",
            )],
        ),
        (
            4,
            1,
            vec![(
                "A10.4.equipment",
                "R&D equipment original value 1200 万元, 800 万元 short of ≥ 2000 万元",
            )],
        ),
        (
            5,
            2,
            vec![
                ("A10.2.team-size", "fixed R&D staff 98, 2 short of ≥ 100"),
                (
                    "A10.4.floor-area",
                    "R&D floor area 1480 m², 20 m² short of ≥ 1500 m²",
                ),
            ],
        ),
    ]
}

fn near_miss_sources(json: &Value) -> Vec<String> {
    json["summary"]["near_misses"]
        .as_array()
        .unwrap_or_else(|| panic!("summary.near_misses is an array: {:#}", json["summary"]))
        .iter()
        .map(|m| text_of(&m["source"]).to_string())
        .collect()
}

fn sources(rows: &[usize]) -> Vec<String> {
    rows.iter().map(|n| format!("{NEAR_MISSES}:{n}")).collect()
}

#[test]
fn json_near_misses_are_closest_first_with_their_gaps() {
    let json = check_json(NEAR_MISSES, "en", &[]);
    let expected = expected_near_misses();
    let rows: Vec<usize> = expected.iter().map(|(row, _, _)| *row).collect();
    assert_eq!(near_miss_sources(&json), sources(&rows));
    let misses = json["summary"]["near_misses"].as_array().unwrap();
    let results = json["results"].as_array().unwrap();
    for (miss, (row, failed, gaps)) in misses.iter().zip(expected) {
        assert_eq!(miss["failed"], failed, "row {row}: {miss:#}");
        let mut got: Vec<(String, String)> = miss["gaps"]
            .as_array()
            .unwrap_or_else(|| panic!("gaps is an array: {miss:#}"))
            .iter()
            .map(|g| {
                (
                    text_of(&g["id"]).to_string(),
                    text_of(&g["text"]).to_string(),
                )
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, String)> = gaps
            .iter()
            .map(|(id, text)| (id.to_string(), text.to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want, "row {row}");
        // The same gaps as the row's own result says.
        let result = results
            .iter()
            .find(|r| r["source"] == miss["source"])
            .unwrap();
        assert_eq!(miss["applicant"], result["applicant"]);
        for (id, text) in &got {
            assert_eq!(gap(result, id)["text"], json!(text), "row {row} {id}");
        }
    }
    // Row 6 fails three conditions; row 7 fails one but also lacks data.
    let listed = near_miss_sources(&json);
    for row in [6, 7] {
        assert!(
            !listed.contains(&format!("{NEAR_MISSES}:{row}")),
            "{listed:?}"
        );
    }
    assert_eq!(
        results[5]["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["verdict"] == "missing")
            .count(),
        1,
        "row 7 lacks one figure"
    );
}

#[test]
fn near_miss_n_bounds_the_failed_conditions() {
    let json = check_json(NEAR_MISSES, "en", &["--near-miss", "1"]);
    assert_eq!(near_miss_sources(&json), sources(&[8, 3, 4]));
    let json = check_json(NEAR_MISSES, "en", &["--near-miss", "0"]);
    assert_eq!(near_miss_sources(&json), Vec::<String>::new());
    let json = check_json(NEAR_MISSES, "en", &["--near-miss", "3"]);
    assert_eq!(
        near_miss_sources(&json),
        sources(&[8, 3, 4, 5, 6]),
        "three failed conditions are listed when N = 3, after the closer ones"
    );

    let table = check(NEAR_MISSES, "zh", &["--near-miss", "0"]).stdout;
    assert!(!table.contains("培育库"), "no near-miss section:\n{table}");
    let table = check(NEAR_MISSES, "zh", &["--near-miss", "1"]).stdout;
    let rows = near_miss_table_sources(&table, "培育库");
    assert_eq!(rows, sources(&[8, 3, 4]));
}

/// The sources listed in the near-miss table after the line starting with `heading`.
fn near_miss_table_sources(stdout: &str, heading: &str) -> Vec<String> {
    table_records(after(stdout, heading), |first| !first.is_empty())
        .into_iter()
        .skip(1)
        .map(|row| row[1].clone())
        .collect()
}

#[test]
fn the_table_and_markdown_have_the_near_miss_section_in_order() {
    let output = check(NEAR_MISSES, "zh", &[]);
    assert_eq!(output.code, 1);
    let heading = "培育库";
    let section = after(&output.stdout, heading);
    let first = section.lines().next().unwrap();
    assert!(
        first.contains("不超过 2 项") && first.contains("最接近的在前"),
        "{first}"
    );
    let records = table_records(section, |first| !first.is_empty());
    assert_eq!(
        records[0],
        [
            "序号",
            "来源",
            "单位名称",
            "不符合项数",
            "相对差距合计",
            "差距"
        ],
        "{section}"
    );
    let rows = &records[1..];
    let listed: Vec<String> = rows.iter().map(|r| r[1].clone()).collect();
    assert_eq!(listed, sources(&[8, 3, 4, 5]), "{section}");
    let numbers: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4"]);
    let failed: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(failed, ["1", "1", "1", "2"]);
    let gaps: Vec<String> = rows.iter().map(|r| squash(&r[5])).collect();
    assert!(gaps[0].contains("A10.2.debt-ratio:"), "{gaps:?}");
    assert!(gaps[1].contains("还差50m²"), "{gaps:?}");
    assert!(gaps[2].contains("还差800万元"), "{gaps:?}");
    assert!(
        gaps[3].contains("A10.2.team-size:") && gaps[3].contains("还差20m²"),
        "{gaps:?}"
    );

    let output = check(NEAR_MISSES, "en", &[]);
    assert_eq!(
        near_miss_table_sources(&output.stdout, "Near misses"),
        sources(&[8, 3, 4, 5])
    );

    let markdown = check(NEAR_MISSES, "zh", &["--format", "markdown"]).stdout;
    let section = after(&markdown, "**培育库");
    let rows: Vec<Vec<String>> = section
        .lines()
        .skip_while(|l| !l.starts_with("| 序号"))
        .skip(2)
        .take_while(|l| l.starts_with("| "))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().trim_matches('`').to_string())
                .collect()
        })
        .collect();
    let listed: Vec<String> = rows.iter().map(|r| r[1].clone()).collect();
    assert_eq!(listed, sources(&[8, 3, 4, 5]), "{section}");
    assert!(rows[1][5].contains("还差 50 m²"), "{:?}", rows[1]);
    assert!(
        rows[3][5].contains("A10.2.team-size") && rows[3][5].contains("A10.4.floor-area"),
        "{:?}",
        rows[3]
    );
}

#[test]
fn the_workbook_has_a_near_miss_sheet_in_order() {
    let dir = TempDir::new().unwrap();
    for (lang, name, gap) in [
        ("zh", "培育库", "还差 50 m²"),
        ("en", "Near misses", "50 m² short of ≥ 1500 m²"),
    ] {
        let workbook = workbook_of(NEAR_MISSES, lang, &dir, &[]);
        let rows = sheet(&workbook, name);
        let listed: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r.iter().any(|c| c.starts_with(NEAR_MISSES)))
            .collect();
        let at = listed[0]
            .iter()
            .position(|c| c.starts_with(NEAR_MISSES))
            .unwrap();
        let order: Vec<String> = listed.iter().map(|r| r[at].clone()).collect();
        assert_eq!(order, sources(&[8, 3, 4, 5]), "{lang}: {rows:?}");
        assert!(
            listed[1].iter().any(|c| c.contains(gap)),
            "{lang}: the gap of row 3 in {:?}",
            listed[1]
        );
        assert!(
            listed[3]
                .iter()
                .any(|c| c.contains("A10.2.team-size") && c.contains("A10.4.floor-area")),
            "{lang}: both gaps of row 5 in {:?}",
            listed[3]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Window drift: applying a year later

#[test]
fn the_table_says_what_applying_next_year_changes() {
    let dir = TempDir::new().unwrap();
    let file = drift_profile(&dir);
    let output = check(path_str(&file), "zh", &[]);
    assert_eq!(
        clause_row(&output.stdout, "A10.3.projects")[4],
        "符合 pass",
        "three provincial projects in 2021–2023 pass today"
    );
    let lines = section(&output.stdout, "若推迟到 2025 年申报");
    let projects: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("A10.3.projects"))
        .collect();
    assert_eq!(projects.len(), 1, "{lines:#?}");
    let line = projects[0];
    for part in [
        "2021 年的 project[1]「省级项目甲」",
        "2021 年的 project[2]「省级项目乙」",
        "由 3 变为 1",
        "A10.3.projects 将由符合变为不符合",
    ] {
        assert!(line.contains(part), "{part:?} in {line}");
    }
    assert!(
        !line.contains("省级项目丙"),
        "the 2022 project stays: {line}"
    );

    let output = check(path_str(&file), "en", &[]);
    let lines = section(&output.stdout, "If the application moves to 2025");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("A10.3.projects") && l.contains("goes from pass to fail")),
        "{lines:#?}"
    );
}

#[test]
fn json_drift_names_the_items_leaving_and_the_verdicts_then() {
    let dir = TempDir::new().unwrap();
    let file = drift_profile(&dir);
    let json = check_json(path_str(&file), "en", &[]);
    let result = only_result(&json);
    assert_eq!(result["verdict"], "eligible");
    let drift = &result["drift"];
    assert_eq!(drift["year"], 2025, "{drift:#}");
    let change = drift["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("drift.changes is an array: {drift:#}"))
        .iter()
        .find(|c| c["metric"] == "provincial_projects")
        .unwrap_or_else(|| panic!("a provincial_projects change: {drift:#}"));
    let leaving = change["leaving"].as_array().unwrap();
    let years: Vec<&Value> = leaving.iter().map(|l| &l["year"]).collect();
    assert_eq!(years, [&json!(2021), &json!(2021)], "{change:#}");
    let what: Vec<&str> = leaving.iter().map(|l| text_of(&l["what"])).collect();
    assert!(
        what[0].contains("省级项目甲") && what[1].contains("省级项目乙"),
        "{what:?}"
    );
    assert_eq!(change["now"], "3");
    assert_eq!(change["then"], "1");
    assert_eq!(
        change["clauses"],
        json!([{"id": "A10.3.projects", "now": "pass", "then": "fail"}]),
        "{change:#}"
    );
}

#[test]
fn checking_as_of_next_year_gives_the_verdicts_the_drift_predicted() {
    let dir = TempDir::new().unwrap();
    let file = drift_profile(&dir);
    let today = check_json(path_str(&file), "en", &[]);
    let today = only_result(&today);
    let later = check_json(path_str(&file), "en", &["--as-of", "2025-03-15"]);
    let later = only_result(&later);

    let projects = clause(later, "A10.3.projects");
    assert_eq!(projects["verdict"], "fail", "{projects:#}");
    assert_eq!(later["verdict"], "ineligible");
    let gap = gap(later, "A10.3.projects");
    assert_eq!(
        routes(gap),
        vec![
            route("provincial_projects", "2", "", "more", false),
            route("national_projects", "1", "", "more", false),
        ],
        "{gap:#}"
    );

    // Every verdict the drift announced is the verdict a year later.
    let changes = today["drift"]["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    for change in changes {
        for predicted in change["clauses"].as_array().unwrap() {
            let id = text_of(&predicted["id"]);
            assert_eq!(clause(today, id)["verdict"], predicted["now"], "{id} today");
            assert_eq!(
                clause(later, id)["verdict"],
                predicted["then"],
                "{id} as of 2025-03-15, as the drift said: {change:#}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Passed and informational clauses carry no gap

#[test]
fn passed_and_informational_clauses_never_carry_a_gap() {
    let dir = TempDir::new().unwrap();
    let files: [String; 9] = [
        ELIGIBLE.to_string(),
        "fixtures/ineligible-enterprise.toml".to_string(),
        "fixtures/incomplete-institute.toml".to_string(),
        "fixtures/university-partners.toml".to_string(),
        "fixtures/batch/candidates.csv".to_string(),
        NEAR_MISSES.to_string(),
        path_str(&short_profile(&dir)).to_string(),
        path_str(&drift_profile(&dir)).to_string(),
        path_str(&team_profile(&dir, 100, 47)).to_string(),
    ];
    let mut seen = (0, 0, 0);
    for file in &files {
        let json = check_json(file, "en", &[]);
        for result in json["results"].as_array().unwrap() {
            let Some(clauses) = result["clauses"].as_array() else {
                continue;
            };
            for c in clauses {
                let has_gap = !c["gap"].is_null();
                let verdict = text_of(&c["verdict"]);
                if c["severity"] == "info" {
                    seen.0 += 1;
                    assert!(
                        !has_gap,
                        "{file} {}: an info clause: {c:#}",
                        result["source"]
                    );
                } else if matches!(verdict, "pass" | "review" | "n/a") {
                    seen.1 += 1;
                    assert!(!has_gap, "{file} {}: a {verdict}: {c:#}", result["source"]);
                } else {
                    seen.2 += 1;
                    assert!(
                        has_gap,
                        "{file} {}: a {verdict} has a gap: {c:#}",
                        result["source"]
                    );
                }
            }
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 0 && seen.2 > 0,
        "info, passed and failed clauses seen: {seen:?}"
    );
}
