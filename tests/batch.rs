//! Batch screening through the real binary: CSV and XLSX sheets, one applicant per row
//! (SPEC §2, §4, §5 and the "Batch screening" issue).
//!
//! Every command runs in the crate root with `COLUMNS=160` and without locale variables, like
//! `tests/cli.rs`. Workbooks are written here with `rust_xlsxwriter` and read back with
//! `calamine`; nothing is written outside temporary directories.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{excerpt, read_workbook, root, run, ticheck, Run};

const UTF8: &str = "fixtures/batch/candidates.csv";
const GBK: &str = "fixtures/batch/candidates-gbk.csv";

/// The fixture's applicants, in row order (rows 2 to 8), with their overall verdicts.
const FIXTURE_ROWS: [(&str, &str); 7] = [
    ("云南滇铜新材料科技有限公司", "eligible"),
    ("云南红土机械制造有限公司", "ineligible"),
    ("云南农林科技大学", "eligible"),
    ("云南省生态环境科学研究院", "incomplete"),
    ("曲靖新能源装备有限公司", "eligible"),
    ("玉溪智造科技有限公司", "error"),
    ("大理高原特色农业研究所", "ineligible"),
];

/// Every clause id of SPEC §1, in rulebook order.
const CLAUSE_IDS: [&str; 24] = [
    "A10.1.registered",
    "A10.2.industry-leader",
    "A10.2.rnd-unit",
    "A10.2.operating",
    "A10.2.debt-ratio",
    "A10.2.partners",
    "A10.2.team-size",
    "A10.2.team-quality",
    "A10.2.leadership",
    "A10.3.projects",
    "A10.3.network",
    "A10.4.support",
    "A10.4.floor-area",
    "A10.4.equipment",
    "A10.4.rnd-spend",
    "A10.5.standards",
    "A10.5.ip",
    "A10.5.transfers",
    "A10.5.benefit",
    "A10.5.achievements",
    "A10.6.local-support",
    "A28.matching",
    "A8.priority",
    "A4.field",
];

/// The header of the fixtures (Chinese labels of SPEC §4).
const HEADER: [&str; 30] = [
    "单位名称",
    "统一社会信用代码",
    "单位类型",
    "所在州市",
    "技术领域",
    "申报日期",
    "在云南省境内注册",
    "行业龙头企业",
    "相对独立研发机构",
    "经营状况良好",
    "配套保障",
    "国家工程技术研究中心依托单位",
    "省内共建企业数",
    "资产负债率",
    "固定人员",
    "中高级职称或硕士以上人员",
    "研发场地面积",
    "仪器设备原值",
    "2022年研发经费",
    "2023年研发经费",
    "国家级项目",
    "省级项目",
    "行业标准",
    "I类知识产权",
    "II类知识产权",
    "成果转化数",
    "直接经济效益",
    "地方支持承诺",
    "前期投入",
    "配套资金",
];

// ---------------------------------------------------------------------------------------------
// Helpers

fn ticheck_run(args: &[&str]) -> Run {
    run(ticheck().args(args))
}

/// `ticheck check FILE --format json --lang en EXTRA…`.
fn check_json(file: &str, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["check", file, "--format", "json", "--lang", "en"];
    args.extend_from_slice(extra);
    let output = ticheck_run(&args);
    assert!(
        !output.stderr.contains("panicked"),
        "panic: {}",
        output.stderr
    );
    let json = output.json();
    assert_summary_adds_up(&json);
    (output.code, json, output.stderr)
}

fn results(json: &Value) -> &Vec<Value> {
    json["results"].as_array().expect("results is an array")
}

/// The summary counts add up to the results, and each count matches the verdicts.
fn assert_summary_adds_up(json: &Value) {
    let results = results(json);
    let summary = &json["summary"];
    let mut total = 0;
    for word in ["eligible", "ineligible", "incomplete", "error"] {
        let count = summary[word]
            .as_u64()
            .unwrap_or_else(|| panic!("summary.{word}: {summary}"));
        let counted = results.iter().filter(|r| r["verdict"] == word).count() as u64;
        assert_eq!(count, counted, "summary.{word}");
        total += count;
    }
    assert_eq!(
        total as usize,
        results.len(),
        "summary adds up to the results"
    );
}

fn sources(json: &Value) -> Vec<String> {
    results(json)
        .iter()
        .map(|r| r["source"].as_str().unwrap().to_string())
        .collect()
}

fn verdicts(json: &Value) -> Vec<String> {
    results(json)
        .iter()
        .map(|r| r["verdict"].as_str().unwrap().to_string())
        .collect()
}

fn clause<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id} in {result:#}"))
}

/// A result with its file name and every cell location taken out, to compare rows of two
/// files (or two rows of one file).
fn without_source(result: &Value, file: &str) -> Value {
    let text = serde_json::to_string(result).unwrap().replace(file, "FILE");
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value.as_object_mut().unwrap().remove("source");
    value
}

/// The verdict and machine-readable actual value of every clause.
fn clause_outcomes(result: &Value) -> Vec<(String, String, Value)> {
    result["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["verdict"].as_str().unwrap().to_string(),
                c["actual"].clone(),
            )
        })
        .collect()
}

fn temp_file(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// The fixture's text without its BOM, as lines (header first).
fn fixture_lines() -> Vec<String> {
    let text = fs::read_to_string(root().join(UTF8)).unwrap();
    text.trim_start_matches('\u{FEFF}')
        .lines()
        .map(str::to_string)
        .collect()
}

/// The cells of the table row whose first cell starts with `first`.
fn table_rows(stdout: &str, first: &str) -> Vec<Vec<String>> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix('│')?.strip_suffix('│'))
        .map(|line| line.split('┆').map(|c| c.trim().to_string()).collect())
        .filter(|cells: &Vec<String>| cells[0].starts_with(first))
        .collect()
}

fn table_row(stdout: &str, first: &str) -> Vec<String> {
    let rows = table_rows(stdout, first);
    assert_eq!(
        rows.len(),
        1,
        "exactly one row starting with {first:?}:\n{stdout}"
    );
    rows.into_iter().next().unwrap()
}

// ---------------------------------------------------------------------------------------------
// The fixtures: one result per row, in order; both encodings alike; exit codes

#[test]
fn one_result_per_row_in_input_order_and_the_summary_adds_up() {
    let (code, json, _) = check_json(UTF8, &[]);
    let data_rows = fixture_lines().len() - 1;
    assert_eq!(data_rows, FIXTURE_ROWS.len());
    assert_eq!(results(&json).len(), data_rows, "one result per data row");
    let expected_sources: Vec<String> = (2..=8).map(|row| format!("{UTF8}:{row}")).collect();
    assert_eq!(sources(&json), expected_sources);
    let applicants: Vec<&str> = results(&json)
        .iter()
        .map(|r| r["applicant"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = FIXTURE_ROWS.iter().map(|(name, _)| *name).collect();
    assert_eq!(applicants, expected, "input order");
    let expected: Vec<&str> = FIXTURE_ROWS.iter().map(|(_, verdict)| *verdict).collect();
    assert_eq!(verdicts(&json), expected);
    assert_eq!(
        common::counts(&json["summary"]),
        serde_json::json!({"eligible": 3, "ineligible": 2, "incomplete": 1, "error": 1})
    );
    assert_eq!(code, 2, "an invalid row makes the exit code 2");
}

#[test]
fn the_gbk_fixture_gives_the_same_verdicts_as_the_utf8_fixture() {
    let (utf8_code, utf8, _) = check_json(UTF8, &[]);
    let (gbk_code, gbk, _) = check_json(GBK, &[]);
    assert_eq!(utf8_code, gbk_code);
    assert_eq!(results(&utf8).len(), results(&gbk).len());
    for (a, b) in results(&utf8).iter().zip(results(&gbk)) {
        assert_eq!(
            without_source(a, UTF8),
            without_source(b, GBK),
            "{} and {} differ",
            a["source"],
            b["source"]
        );
    }
    assert_eq!(
        common::counts(&utf8["summary"]),
        common::counts(&gbk["summary"])
    );
    assert_eq!(
        utf8["summary"]["near_misses"][0]["gaps"],
        gbk["summary"]["near_misses"][0]["gaps"]
    );
    let expected: Vec<String> = (2..=8).map(|row| format!("{GBK}:{row}")).collect();
    assert_eq!(sources(&gbk), expected);
}

#[test]
fn forcing_gb18030_reads_the_gbk_fixture() {
    let (_, detected, _) = check_json(GBK, &[]);
    for name in ["gb18030", "gbk"] {
        let (code, forced, _) = check_json(GBK, &["--encoding", name]);
        assert_eq!(code, 2);
        assert_eq!(forced, detected, "--encoding {name}");
    }
    // And forcing UTF-8 on the UTF-8 fixture changes nothing.
    let (_, detected, _) = check_json(UTF8, &[]);
    let (_, forced, _) = check_json(UTF8, &["--encoding", "utf-8"]);
    assert_eq!(forced, detected);
}

#[test]
fn an_invalid_row_exits_2_naming_row_column_and_value_and_the_others_are_reported() {
    let (code, json, stderr) = check_json(UTF8, &[]);
    assert_eq!(code, 2);
    let bad = &results(&json)[5];
    assert_eq!(bad["source"], format!("{UTF8}:7"));
    assert_eq!(bad["verdict"], "error");
    assert_eq!(bad["applicant"], "玉溪智造科技有限公司");
    let error = bad["error"].as_str().unwrap();
    assert!(error.contains(&format!("{UTF8}:7")), "{error}");
    assert!(error.contains("研发场地面积"), "{error}");
    assert!(error.contains("1,5OO"), "{error}");
    assert_eq!(bad["problems"][0]["location"]["row"], 7);
    assert!(
        bad["problems"][0]["location"]["column"]
            .as_str()
            .unwrap()
            .starts_with("Q"),
        "{bad:#}"
    );
    assert_eq!(bad["problems"][0]["field"], "facilities.rnd_floor_area");
    // The message is on standard error too.
    assert!(stderr.contains(&format!("{UTF8}:7")), "{stderr}");
    assert!(stderr.contains("1,5OO"), "{stderr}");
    // Every other row was judged clause by clause.
    for (index, result) in results(&json).iter().enumerate() {
        if index != 5 {
            assert_eq!(
                result["clauses"].as_array().unwrap().len(),
                CLAUSE_IDS.len(),
                "{}",
                result["source"]
            );
            assert!(result["error"].is_null());
        }
    }
}

#[test]
fn full_width_digits_percent_and_thousands_separators_are_read_from_a_row() {
    // Row 6 of the fixture: ６２％, ２０５, １２０, １５００ and "1,000", "1,050".
    let (_, json, _) = check_json(UTF8, &[]);
    let row = &results(&json)[4];
    assert_eq!(row["source"], format!("{UTF8}:6"));
    assert_eq!(row["verdict"], "eligible");
    assert_eq!(clause(row, "A10.2.debt-ratio")["actual"], "62%");
    assert_eq!(clause(row, "A10.2.team-size")["actual"], "205");
    assert_eq!(clause(row, "A10.4.floor-area")["actual"], "1500");
    assert_eq!(clause(row, "A10.4.floor-area")["verdict"], "pass");
    assert_eq!(
        clause(row, "A10.4.rnd-spend")["actual"],
        "2022: 1000, 2023: 1050"
    );
    // Row 4: "5,000" 万元 of benefit.
    let row = &results(&json)[2];
    assert_eq!(clause(row, "A10.5.benefit")["actual"], "5000");
}

#[test]
fn an_empty_cell_is_missing_never_zero() {
    // Row 5 of the fixture leaves 2022年研发经费, 成果转化数 and 直接经济效益 empty.
    let (_, json, _) = check_json(UTF8, &[]);
    let row = &results(&json)[3];
    assert_eq!(row["verdict"], "incomplete");
    for id in ["A10.4.rnd-spend", "A10.5.transfers", "A10.5.benefit"] {
        assert_eq!(clause(row, id)["verdict"], "missing", "{id}: {row:#}");
    }
    let missing = clause(row, "A10.4.rnd-spend")["missing"].to_string();
    assert!(missing.contains("rnd_spend.2022"), "{missing}");
}

#[test]
fn exit_codes_follow_spec_2() {
    let dir = TempDir::new().unwrap();
    let lines = fixture_lines();
    // All rows valid, one ineligible: 1.
    let valid: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != 6)
        .map(|(_, line)| line.as_str())
        .collect();
    let file = temp_file(&dir, "valid.csv", valid.join("\n"));
    let (code, json, _) = check_json(path_str(&file), &[]);
    assert_eq!(code, 1);
    assert_eq!(results(&json).len(), 6);
    // Only eligible rows: 0.
    let eligible = [&lines[0], &lines[1], &lines[3], &lines[5]]
        .map(String::as_str)
        .join("\n");
    let file = temp_file(&dir, "eligible.csv", eligible);
    let (code, json, _) = check_json(path_str(&file), &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(verdicts(&json), ["eligible"; 3]);
    // An invalid row among eligible ones: 2, and the eligible rows are still reported.
    let mixed = [&lines[0], &lines[1], &lines[6], &lines[3]]
        .map(String::as_str)
        .join("\n");
    let file = temp_file(&dir, "mixed.csv", mixed);
    let (code, json, _) = check_json(path_str(&file), &[]);
    assert_eq!(code, 2);
    assert_eq!(verdicts(&json), ["eligible", "error", "eligible"]);
}

// ---------------------------------------------------------------------------------------------
// --format csv

#[test]
fn csv_output_has_one_row_per_applicant_and_one_column_per_clause() {
    let output = ticheck_run(&["check", UTF8, "--format", "csv", "--lang", "en"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    let (_, json, _) = check_json(UTF8, &[]);
    let mut reader = csv::Reader::from_reader(output.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let mut expected: Vec<&str> = vec!["source", "applicant", "verdict"];
    expected.extend(CLAUSE_IDS);
    expected.extend(["failed", "missing", "gaps", "open", "warnings", "error"]);
    assert_eq!(header, expected);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), FIXTURE_ROWS.len(), "one row per applicant");
    for (record, result) in records.iter().zip(results(&json)) {
        assert_eq!(record.len(), header.len(), "every row has every column");
        assert_eq!(&record[0], result["source"].as_str().unwrap());
        assert_eq!(&record[1], result["applicant"].as_str().unwrap());
        assert_eq!(&record[2], result["verdict"].as_str().unwrap());
        if result["verdict"] == "error" {
            for index in 3..3 + CLAUSE_IDS.len() {
                assert_eq!(&record[index], "", "no clause verdicts for an invalid row");
            }
            let error = &record[header.len() - 1];
            assert!(error.contains("1,5OO") && error.contains(":7"), "{error}");
        } else {
            for (offset, id) in CLAUSE_IDS.iter().enumerate() {
                // An informational clause reads yes/no (its JSON `answer`), never fail.
                let clause = clause(result, id);
                let word = clause.get("answer").unwrap_or(&clause["verdict"]);
                assert_eq!(
                    &record[3 + offset],
                    word.as_str().unwrap(),
                    "{id} of {}",
                    &record[0]
                );
                if clause["severity"] == "info" {
                    assert_ne!(&record[3 + offset], "fail", "{id}");
                }
            }
            assert_eq!(&record[header.len() - 1], "");
        }
    }
    let failed = header.iter().position(|h| h == "failed").unwrap();
    let missing = header.iter().position(|h| h == "missing").unwrap();
    assert_eq!(
        &records[1][failed],
        "A10.2.debt-ratio A10.4.floor-area A10.4.rnd-spend"
    );
    assert_eq!(&records[6][failed], "A10.2.partners");
    assert!(
        // Named as the sheet writes the column (SPEC §5), not by its field path.
        records[3][missing].contains("A10.4.rnd-spend: 2022年研发经费"),
        "{}",
        &records[3][missing]
    );
}

#[test]
fn csv_output_of_the_gbk_fixture_is_utf8_with_the_same_verdicts() {
    let utf8 = ticheck_run(&["check", UTF8, "--format", "csv", "--lang", "en"]);
    let gbk = ticheck_run(&["check", GBK, "--format", "csv", "--lang", "en"]);
    let strip = |text: &str, file: &str| text.replace(file, "FILE");
    assert_eq!(strip(&utf8.stdout, UTF8), strip(&gbk.stdout, GBK));
}

// ---------------------------------------------------------------------------------------------
// XLSX input

enum In<'a> {
    S(&'a str),
    N(f64),
    Date(u16, u8, u8),
    /// A formula whose cached result is this error (`#DIV/0!`).
    Err(&'a str),
    Blank,
}

/// The fixture's first applicant as workbook cells: numbers as numbers, a real date.
fn eligible_cells(name: &str) -> Vec<In<'_>> {
    use In::*;
    vec![
        S(name),
        S("91530100MA6K3L7P2D"),
        S("企业"),
        S("昆明市"),
        S("有色金属"),
        Date(2024, 3, 15),
        S("是"),
        S("是"),
        S("是"),
        S("是"),
        S("是"),
        S("是"),
        Blank,
        N(0.582),
        N(128.0),
        N(70.0),
        N(1800.0),
        N(2350.0),
        N(1250.0),
        N(1320.0),
        N(1.0),
        N(2.0),
        N(2.0),
        N(3.0),
        N(10.0),
        N(6.0),
        N(5600.0),
        S("是"),
        N(800.0),
        N(1500.0),
    ]
}

/// The same applicant with every number stored as text, as Excel keeps pasted numbers, and
/// the date typed as text.
fn eligible_cells_as_text(name: &str) -> Vec<In<'_>> {
    use In::*;
    vec![
        S(name),
        S("91530100MA6K3L7P2D"),
        S("企业"),
        S("昆明市"),
        S("有色金属"),
        S("2024-03-15"),
        S("是"),
        S("是"),
        S("是"),
        S("是"),
        S("是"),
        S("是"),
        Blank,
        S("58.2%"),
        S("128"),
        S("70"),
        S("1,800"),
        S("2350万元"),
        S("1,250"),
        S("１３２０"),
        S("1"),
        S("2"),
        S("2"),
        S("3"),
        S("10"),
        S("6"),
        S("5,600"),
        S("是"),
        S("800"),
        S("1500"),
    ]
}

fn write_workbook(path: &Path, rows: &[(u32, Vec<In<'_>>)]) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (column, title) in HEADER.iter().enumerate() {
        sheet.write_string(0, column as u16, *title).unwrap();
    }
    for (row, cells) in rows {
        for (column, cell) in cells.iter().enumerate() {
            let column = column as u16;
            match cell {
                In::S(text) => {
                    sheet.write_string(*row, column, *text).unwrap();
                }
                In::N(number) => {
                    sheet.write_number(*row, column, *number).unwrap();
                }
                In::Date(year, month, day) => {
                    let value = ExcelDateTime::from_ymd(*year, *month, *day).unwrap();
                    sheet
                        .write_datetime_with_format(*row, column, &value, &date)
                        .unwrap();
                }
                In::Err(error) => {
                    sheet
                        .write_formula(*row, column, Formula::new("=1/0").set_result(*error))
                        .unwrap();
                }
                In::Blank => {}
            }
        }
    }
    workbook.save(path).unwrap();
}

fn column_of(title: &str) -> usize {
    HEADER.iter().position(|h| *h == title).unwrap()
}

#[test]
fn an_xlsx_sheet_is_read_row_by_row_with_its_bad_cells_named() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("candidates.xlsx");
    let mut formula = eligible_cells("公式错误公司");
    formula[column_of("资产负债率")] = In::Err("#DIV/0!");
    let mut date_in_number = eligible_cells("日期错位公司");
    date_in_number[column_of("研发场地面积")] = In::Date(2024, 1, 5);
    write_workbook(
        &path,
        &[
            (1, eligible_cells("数字公司")),
            (2, eligible_cells_as_text("文本数字公司")),
            (3, formula),
            (4, date_in_number),
            // Row 6 left empty: skipped, and row 7 keeps its number.
            (6, eligible_cells("第七行公司")),
        ],
    );
    let file = path_str(&path);
    let (code, json, stderr) = check_json(file, &[]);
    assert_eq!(code, 2, "{stderr}");
    let expected: Vec<String> = [2, 3, 4, 5, 7]
        .iter()
        .map(|row| format!("{file}:{row}"))
        .collect();
    assert_eq!(sources(&json), expected);
    assert_eq!(
        verdicts(&json),
        ["eligible", "eligible", "error", "error", "eligible"]
    );
    let rows = results(&json);
    // Numbers as numbers and numbers as text give the same facts.
    assert_eq!(clause_outcomes(&rows[0]), clause_outcomes(&rows[1]));
    assert_eq!(clause(&rows[0], "A10.2.debt-ratio")["actual"], "58.2%");
    assert_eq!(clause(&rows[0], "A10.4.floor-area")["actual"], "1800");
    assert_eq!(
        clause(&rows[1], "A10.4.rnd-spend")["actual"],
        "2022: 1250, 2023: 1320"
    );
    // The application date cell was read as a date: no "date not given" warning.
    for row in [&rows[0], &rows[1], &rows[4]] {
        let warnings = row["warnings"].to_string();
        assert!(!warnings.contains("application_date"), "{warnings}");
    }
    // The formula error: row 4, 资产负债率, #DIV/0!.
    let formula = &rows[2];
    assert_eq!(formula["applicant"], "公式错误公司");
    let error = formula["error"].as_str().unwrap();
    assert!(error.contains(&format!("{file}:4")), "{error}");
    assert!(error.contains("资产负债率"), "{error}");
    assert!(error.contains("#DIV/0!"), "{error}");
    assert_eq!(formula["problems"][0]["field"], "finance.debt_ratio");
    // The date in a numeric column: row 5, 研发场地面积.
    let date = &rows[3];
    let error = date["error"].as_str().unwrap();
    assert!(error.contains(&format!("{file}:5")), "{error}");
    assert!(error.contains("研发场地面积"), "{error}");
    assert_eq!(date["problems"][0]["field"], "facilities.rnd_floor_area");
    assert!(stderr.contains("#DIV/0!"), "{stderr}");
}

#[test]
fn an_xlsx_sheet_with_dotted_path_headers_reads_like_the_chinese_one() {
    let dir = TempDir::new().unwrap();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let headers = [
        ("applicant.name", In::S("路径表头公司")),
        ("  facilities.rnd_floor_area ", In::N(1800.0)),
        ("ｒｎｄ＿ｓｐｅｎｄ．２０２３", In::S("1,320万元")),
        ("2022年研发经费", In::N(1250.0)),
        ("record.class_i_ip", In::N(3.0)),
    ];
    for (column, (title, cell)) in headers.iter().enumerate() {
        sheet.write_string(0, column as u16, *title).unwrap();
        match cell {
            In::S(text) => sheet.write_string(1, column as u16, *text).unwrap(),
            In::N(number) => sheet.write_number(1, column as u16, *number).unwrap(),
            _ => unreachable!(),
        };
    }
    let path = dir.path().join("paths.xlsx");
    workbook.save(&path).unwrap();
    let (code, json, stderr) = check_json(path_str(&path), &["--as-of", "2024-03-15"]);
    assert_eq!(code, 1, "{stderr}");
    let row = &results(&json)[0];
    assert_eq!(row["applicant"], "路径表头公司");
    assert_eq!(clause(row, "A10.4.floor-area")["verdict"], "pass");
    assert_eq!(
        clause(row, "A10.4.rnd-spend")["actual"],
        "2022: 1250, 2023: 1320"
    );
}

#[test]
fn an_empty_or_header_only_workbook_exits_2() {
    let dir = TempDir::new().unwrap();
    let empty = temp_file(&dir, "empty.xlsx", b"");
    let output = ticheck_run(&["check", path_str(&empty), "--lang", "en"]);
    assert_eq!(output.code, 2);
    assert!(output.stderr.contains("empty"), "{}", output.stderr);

    let header_only = dir.path().join("header.xlsx");
    write_workbook(&header_only, &[]);
    let (code, json, stderr) = check_json(path_str(&header_only), &[]);
    assert_eq!(code, 2);
    assert_eq!(verdicts(&json), ["error"]);
    assert!(stderr.contains("no data rows"), "{stderr}");

    let not_a_workbook = temp_file(&dir, "text.xlsx", "单位名称\nA\n");
    let output = ticheck_run(&["check", path_str(&not_a_workbook), "--lang", "en"]);
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains(path_str(&not_a_workbook)),
        "{}",
        output.stderr
    );
    assert!(!output.stderr.contains("panicked"), "{}", output.stderr);
}

// ---------------------------------------------------------------------------------------------
// --output results.xlsx

#[test]
fn an_xlsx_output_has_a_summary_sheet_and_a_clause_sheet() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results.xlsx");
    let output = ticheck_run(&["check", UTF8, "--output", path_str(&out), "--lang", "en"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(output.stdout, "", "the report goes to the workbook");
    let (_, json, _) = check_json(UTF8, &[]);
    let sheets = read_workbook(&out);
    assert_eq!(
        sheets.len(),
        4,
        "{:?}",
        sheets.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    let (summary_name, summary) = &sheets[0];
    let (clause_name, clauses) = &sheets[1];
    // SPEC §7: each unsettled clause's requirement, actual value, verdict and gap.
    let (detail_name, details) = &sheets[2];
    assert_eq!(detail_name, "Details");
    assert_eq!(
        details[0],
        [
            "Source",
            "Applicant",
            "Clause",
            "Article",
            "Requirement",
            "Actual",
            "Verdict",
            "Gap"
        ]
    );
    let floor = details
        .iter()
        .find(|row| row[0].ends_with(":3") && row[2].starts_with("A10.4.floor-area"))
        .expect("the failed floor area of row 3");
    assert_eq!(floor[4], "≥ 1500 m²");
    assert_eq!(floor[5], "1450 m²");
    assert!(floor[7].contains("50 m² short of ≥ 1500 m²"), "{floor:?}");
    // SPEC §7: the near misses (培育库) on a sheet of their own.
    let (near_name, near) = &sheets[3];
    assert_eq!(near_name, "Near misses");
    assert_eq!(near[2][2], "大理高原特色农业研究所", "{near:?}");
    assert!(near[2][5].contains("A10.2.partners"), "{near:?}");
    assert_eq!(summary_name, "Summary");
    assert_eq!(clause_name, "Clauses");

    assert_eq!(
        summary[0],
        [
            "Source",
            "Applicant",
            "USCC",
            "Prefecture",
            "Verdict",
            "Still open",
            "Failed clauses",
            "Gaps",
            "Missing data",
            "Warnings",
            "Error"
        ]
    );
    assert_eq!(
        summary.len(),
        1 + FIXTURE_ROWS.len(),
        "one row per applicant"
    );
    for (row, result) in summary[1..].iter().zip(results(&json)) {
        assert_eq!(row[0], result["source"].as_str().unwrap());
        assert_eq!(row[1], result["applicant"].as_str().unwrap());
        assert_eq!(
            row[4].lines().next().unwrap(),
            result["verdict"].as_str().unwrap()
        );
        // SPEC §2: an eligible applicant's row says what is still open.
        if result["verdict"] == "eligible" {
            assert!(row[4].contains("still open"), "{row:?}");
            assert!(row[5].contains("A10.2.leadership"), "{row:?}");
        }
    }
    // SPEC §7: the USCC and the prefecture as the sheet states them.
    assert_eq!(summary[1][2], "91530100MA6K3L7P2D");
    assert_eq!(summary[1][3], "昆明市");
    assert_eq!(
        summary[2][6],
        "A10.2.debt-ratio A10.4.floor-area A10.4.rnd-spend"
    );
    assert!(
        summary[2][7].contains("A10.4.floor-area: ") && summary[2][7].contains("50 m²"),
        "the gap beside the failed clause: {:?}",
        summary[2]
    );
    assert!(summary[4][8].contains("2022年研发经费"), "{:?}", summary[4]);
    assert!(summary[6][10].contains("1,5OO"), "{:?}", summary[6]);
    assert_eq!(summary[1][10], "", "no error for a valid row");

    assert_eq!(clauses[0][..3], ["Source", "Applicant", "Verdict"]);
    let ids: Vec<&str> = clauses[0][3..]
        .iter()
        .map(|title| title.split('\n').next().unwrap())
        .collect();
    assert_eq!(ids, CLAUSE_IDS, "one column per clause, id first");
    assert_eq!(
        clauses.len(),
        1 + FIXTURE_ROWS.len(),
        "one row per applicant"
    );
    for (row, result) in clauses[1..].iter().zip(results(&json)) {
        assert_eq!(row[0], result["source"].as_str().unwrap());
        assert_eq!(
            row[2].lines().next().unwrap(),
            result["verdict"].as_str().unwrap()
        );
        if result["verdict"] == "error" {
            assert!(
                row[3..].iter().all(String::is_empty),
                "no clause verdicts for an invalid row: {row:?}"
            );
        } else {
            for (offset, id) in CLAUSE_IDS.iter().enumerate() {
                // The same words as every human format: the finding's label, then its gap.
                assert_eq!(
                    row[3 + offset].lines().next().unwrap(),
                    clause(result, id)["label"].as_str().unwrap(),
                    "{id} of {}",
                    row[0]
                );
            }
        }
    }
}

#[test]
fn an_xlsx_output_in_chinese_names_its_sheets_in_chinese() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("结果.xlsx");
    let output = ticheck_run(&["check", GBK, "--output", path_str(&out), "--lang", "zh"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    let sheets = read_workbook(&out);
    assert_eq!(sheets[0].0, "汇总");
    assert_eq!(sheets[1].0, "条款");
    let summary = &sheets[0].1;
    assert_eq!(summary.len(), 8);
    assert_eq!(summary[0][0], "来源");
    // The verdict word stays readable by machines inside the Chinese label.
    assert!(summary[1][4].contains("eligible"), "{:?}", summary[1]);
    assert!(summary[2][4].contains("ineligible"), "{:?}", summary[2]);
    assert!(sheets[1].1[1][3].contains("pass"), "{:?}", sheets[1].1[1]);
}

#[test]
fn an_xlsx_output_with_another_format_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results.xlsx");
    let output = ticheck_run(&[
        "check",
        UTF8,
        "--output",
        path_str(&out),
        "--format",
        "json",
    ]);
    assert_eq!(output.code, 2);
    assert!(!output.stderr.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Bad files

#[test]
fn a_header_only_csv_exits_2_with_a_message() {
    let dir = TempDir::new().unwrap();
    let file = temp_file(&dir, "header.csv", format!("{}\n", HEADER.join(",")));
    let (code, json, stderr) = check_json(path_str(&file), &[]);
    assert_eq!(code, 2);
    assert_eq!(verdicts(&json), ["error"]);
    assert!(stderr.contains("no data rows"), "{stderr}");
    assert!(stderr.contains(path_str(&file)), "{stderr}");
    // Blank lines after the header are no data either.
    let file = temp_file(&dir, "blank.csv", format!("{}\n\n,,\n\n", HEADER.join(",")));
    let (code, _, stderr) = check_json(path_str(&file), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no data rows"), "{stderr}");
}

#[test]
fn an_empty_csv_exits_2_with_a_message() {
    let dir = TempDir::new().unwrap();
    for (name, bytes) in [
        ("empty.csv", &b""[..]),
        ("bom.csv", &b"\xEF\xBB\xBF"[..]),
        ("newlines.csv", &b"\n\n"[..]),
    ] {
        let file = temp_file(&dir, name, bytes);
        let (code, json, stderr) = check_json(path_str(&file), &[]);
        assert_eq!(code, 2, "{name}");
        assert_eq!(verdicts(&json), ["error"], "{name}");
        assert!(stderr.contains("empty"), "{name}: {stderr}");
        assert!(stderr.contains(path_str(&file)), "{name}: {stderr}");
    }
}

#[test]
fn an_unknown_header_exits_2_naming_it_with_did_you_mean() {
    let dir = TempDir::new().unwrap();
    let text = "单位名称,facilities.rnd_floor_aera,研发场地面积X\n云南甲公司,1800,1\n";
    let file = temp_file(&dir, "typo.csv", text);
    let (code, json, stderr) = check_json(path_str(&file), &[]);
    assert_eq!(code, 2);
    assert_eq!(verdicts(&json), ["error"], "the file, not a row");
    assert!(
        stderr.contains("unknown column 'facilities.rnd_floor_aera'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean 'facilities.rnd_floor_area'"),
        "{stderr}"
    );
    assert!(stderr.contains("column B"), "{stderr}");
    assert!(stderr.contains("研发场地面积X"), "{stderr}");
    let error = results(&json)[0]["error"].as_str().unwrap();
    assert!(error.contains("did you mean"), "{error}");
}

#[test]
fn a_duplicate_header_exits_2_naming_both_columns() {
    let dir = TempDir::new().unwrap();
    let text = "单位名称,facilities.rnd_floor_area,研发场地面积\n云南甲公司,1800,1900\n";
    let file = temp_file(&dir, "dup.csv", text);
    let (code, _, stderr) = check_json(path_str(&file), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("研发场地面积") && stderr.contains("facilities.rnd_floor_area"),
        "{stderr}"
    );
    assert!(stderr.contains("column C"), "{stderr}");
}

#[test]
fn ragged_rows_are_errors_for_their_own_row() {
    let dir = TempDir::new().unwrap();
    let text = "单位名称,研发场地面积\n长行公司,1500,9\n短行公司\n正常公司,1700\n";
    let file = temp_file(&dir, "ragged.csv", text);
    let (code, json, stderr) = check_json(path_str(&file), &["--as-of", "2024-03-15"]);
    assert_eq!(code, 2);
    assert_eq!(verdicts(&json), ["error", "error", "incomplete"]);
    let file = path_str(&file);
    assert!(stderr.contains(&format!("{file}:2")), "{stderr}");
    assert!(stderr.contains(&format!("{file}:3")), "{stderr}");
    assert_eq!(results(&json)[1]["applicant"], "短行公司");
}

#[test]
fn garbage_bytes_are_a_clear_file_error() {
    let dir = TempDir::new().unwrap();
    let bytes: Vec<u8> = [0x81u8, 0x20, 0xFF, 0xFF, 0x80, b',', 0xFE, b'\n'].repeat(50);
    let file = temp_file(&dir, "garbage.csv", bytes);
    let (code, json, stderr) = check_json(path_str(&file), &[]);
    assert_eq!(code, 2);
    assert_eq!(verdicts(&json), ["error"]);
    assert!(stderr.contains("neither UTF-8 nor GB18030"), "{stderr}");
    assert!(stderr.contains("--encoding"), "{stderr}");
}

#[test]
fn forcing_utf8_on_gbk_cells_gives_cell_errors_not_a_panic() {
    let dir = TempDir::new().unwrap();
    let text = "applicant.name,applicant.prefecture,facilities.rnd_floor_area\n\
                Yunnan Copper,Kunming,1800\n\
                云南乙公司,昆明市,1600\n\
                Qujing Energy,Qujing,1500\n";
    let file = temp_file(&dir, "ascii-header-gbk.csv", gb18030(text));
    let (code, json, stderr) = check_json(
        path_str(&file),
        &["--encoding", "utf-8", "--as-of", "2024-03-15"],
    );
    assert_eq!(code, 2);
    assert_eq!(verdicts(&json), ["incomplete", "error", "incomplete"]);
    let file = path_str(&file);
    assert!(stderr.contains(&format!("{file}:3")), "{stderr}");
    assert!(stderr.contains("applicant.name"), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    // Detected, the same file reads cleanly.
    let (code, json, _) = check_json(file, &["--as-of", "2024-03-15"]);
    assert_eq!(code, 1);
    assert_eq!(results(&json)[1]["applicant"], "云南乙公司");
}

#[test]
fn forcing_utf8_on_the_gbk_fixture_exits_2_without_a_panic() {
    let output = ticheck_run(&[
        "check",
        GBK,
        "--encoding",
        "utf-8",
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert_eq!(output.code, 2);
    assert!(!output.stderr.contains("panicked"), "{}", output.stderr);
    assert!(output.stderr.contains(GBK), "{}", output.stderr);
    let json = output.json();
    assert_summary_adds_up(&json);
}

#[test]
fn forcing_the_wrong_encoding_on_the_header_says_so() {
    let output = ticheck_run(&["check", GBK, "--encoding", "utf-8", "--lang", "en"]);
    assert_eq!(output.code, 2);
    assert!(!output.stderr.contains('\u{FFFD}'), "{}", output.stderr);
    assert!(
        output.stderr.contains("UTF-8") || output.stderr.contains("--encoding"),
        "{}",
        output.stderr
    );
}

#[test]
fn stdin_csv_with_input_format() {
    let bytes = fs::read(root().join(GBK)).unwrap();
    let output = run(ticheck()
        .args([
            "check",
            "-",
            "--input-format",
            "csv",
            "--format",
            "json",
            "--lang",
            "en",
        ])
        .write_stdin(bytes));
    assert_eq!(output.code, 2, "{}", output.stderr);
    let json = output.json();
    assert_summary_adds_up(&json);
    let expected: Vec<String> = (2..=8).map(|row| format!("<stdin>:{row}")).collect();
    assert_eq!(sources(&json), expected);
    let (_, file, _) = check_json(GBK, &[]);
    for (a, b) in results(&json).iter().zip(results(&file)) {
        assert_eq!(without_source(a, "<stdin>"), without_source(b, GBK));
    }
    // Without --input-format, standard input whose content does not tell its format is a
    // usage error (tests/stdin_sniff.rs: the content tells it).
    let output = run(ticheck().args(["check", "-"]).write_stdin("a b\n"));
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("--input-format"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_10_mb_number_cell_is_an_error_for_its_row_only() {
    let dir = TempDir::new().unwrap();
    let mut text = String::from("单位名称,研发场地面积,仪器设备原值\n甲公司,1500,2000\n乙公司,");
    text.push_str(&"9".repeat(10 * 1024 * 1024));
    text.push_str(",2000\n丙公司,1700,2100\n");
    let file = temp_file(&dir, "big.csv", text);
    let output = run(ticheck()
        .args([
            "check",
            path_str(&file),
            "--format",
            "json",
            "--lang",
            "en",
            "--as-of",
            "2024-03-15",
        ])
        .timeout(Duration::from_secs(120)));
    assert_eq!(output.code, 2, "{}", excerpt(&output.stderr));
    let json = output.json();
    assert_summary_adds_up(&json);
    assert_eq!(verdicts(&json), ["incomplete", "error", "incomplete"]);
    let error = results(&json)[1]["error"].as_str().unwrap();
    assert!(error.len() < 500, "a short message: {} bytes", error.len());
    assert!(
        error.contains(":3") && error.contains("研发场地面积"),
        "{error}"
    );
    assert!(output.stderr.len() < 1000, "{}", excerpt(&output.stderr));
    assert!(output.stdout.len() < 200_000, "the cell is not echoed");
}

#[test]
fn a_10_mb_name_cell_is_an_error_for_its_row_only() {
    let dir = TempDir::new().unwrap();
    let mut text = String::from("单位名称,研发场地面积\n甲公司,1500\n");
    text.push_str(&"名".repeat(10 * 1024 * 1024 / 3));
    text.push_str(",1600\n丙公司,1700\n");
    let file = temp_file(&dir, "bigname.csv", text);
    let output = run(ticheck()
        .args([
            "check",
            path_str(&file),
            "--format",
            "csv",
            "--lang",
            "en",
            "--as-of",
            "2024-03-15",
        ])
        .timeout(Duration::from_secs(120)));
    assert_eq!(output.code, 2, "{}", excerpt(&output.stderr));
    let mut reader = csv::Reader::from_reader(output.stdout.as_bytes());
    let verdicts: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[2].to_string())
        .collect();
    assert_eq!(verdicts, ["incomplete", "error", "incomplete"]);
    assert!(output.stdout.len() < 200_000, "the cell is not echoed");
}

#[test]
fn the_table_of_a_sheet_with_a_huge_name_cell_finishes() {
    let dir = TempDir::new().unwrap();
    let mut text = String::from("单位名称,研发场地面积\n甲公司,1500\n");
    text.push_str(&"x".repeat(100_000));
    text.push_str(",1600\n丙公司,1700\n");
    let file = temp_file(&dir, "longname.csv", text);
    let output = run(ticheck()
        .args([
            "check",
            path_str(&file),
            "--lang",
            "en",
            "--as-of",
            "2024-03-15",
        ])
        .timeout(Duration::from_secs(20)));
    assert!(output.code == 1 || output.code == 2);
    assert!(output.stdout.contains("甲公司") && output.stdout.contains("丙公司"));
}

#[test]
fn invalid_utf8_in_a_later_row_of_a_utf8_file_is_an_error_for_that_row() {
    // Far enough down that the bytes read to detect the encoding are all UTF-8.
    let dir = TempDir::new().unwrap();
    let mut bytes = "单位名称,所在州市,研发场地面积\n".as_bytes().to_vec();
    for index in 0..3000 {
        bytes.extend_from_slice(format!("云南第{index}号公司,昆明市,1500\n").as_bytes());
    }
    bytes.extend_from_slice("云南坏字节公司,昆明".as_bytes());
    bytes.push(0xFF);
    bytes.extend_from_slice(",1500\n云南末行公司,玉溪市,1600\n".as_bytes());
    let file = temp_file(&dir, "late.csv", bytes);
    let (code, json, stderr) = check_json(path_str(&file), &["--as-of", "2024-03-15"]);
    assert_eq!(code, 2);
    assert_eq!(results(&json).len(), 3002, "one result per row");
    assert_eq!(json["summary"]["error"], 1);
    let bad = &results(&json)[3000];
    assert_eq!(bad["source"], format!("{}:3002", path_str(&file)));
    assert_eq!(bad["verdict"], "error");
    assert_eq!(bad["applicant"], "云南坏字节公司");
    assert!(stderr.contains("所在州市"), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert_eq!(results(&json)[3001]["applicant"], "云南末行公司");
}

#[test]
fn invalid_utf8_in_a_small_utf8_file_is_an_error_for_that_row() {
    let dir = TempDir::new().unwrap();
    let mut bytes = "单位名称,所在州市,研发场地面积\n云南甲公司,昆明市,1500\n云南乙公司,昆明"
        .as_bytes()
        .to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(",1500\n云南丙公司,玉溪市,1600\n".as_bytes());
    let file = temp_file(&dir, "small-bad.csv", bytes);
    let (code, json, stderr) = check_json(path_str(&file), &["--as-of", "2024-03-15"]);
    assert_eq!(code, 2);
    assert_eq!(
        verdicts(&json),
        ["incomplete", "error", "incomplete"],
        "{stderr}"
    );
}

#[test]
fn rows_after_a_blank_line_keep_their_spreadsheet_row_number() {
    let dir = TempDir::new().unwrap();
    let text = "单位名称,研发场地面积\n甲公司,1500\n\n乙公司,abc\n";
    let file = temp_file(&dir, "gap.csv", text);
    let (_, json, stderr) = check_json(path_str(&file), &["--as-of", "2024-03-15"]);
    let file = path_str(&file);
    assert_eq!(sources(&json), [format!("{file}:2"), format!("{file}:4")]);
    assert!(stderr.contains(&format!("{file}:4")), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// The table of a batch

#[test]
fn the_table_shows_one_line_per_applicant_then_the_knock_outs() {
    let output = ticheck_run(&["check", UTF8, "--lang", "en"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    let stdout = &output.stdout;
    assert!(stdout.contains("Knocked out by"), "{stdout}");
    // One table row per applicant, in input order.
    let rows = table_rows(stdout, UTF8);
    let expected: Vec<String> = (2..=8).map(|row| format!("{UTF8}:{row}")).collect();
    let found: Vec<String> = rows.iter().map(|row| row[0].clone()).collect();
    assert_eq!(found, expected, "{stdout}");
    for (row, (name, verdict)) in rows.iter().zip(FIXTURE_ROWS) {
        assert_eq!(row[1], name);
        assert_eq!(row[2], verdict);
    }
    assert!(rows[5][3].contains("invalid profile"), "{:?}", rows[5]);
    assert!(rows[3][3].contains("A10.4.rnd-spend?"), "{:?}", rows[3]);
    // No per-clause table for a batch.
    assert!(!stdout.contains("Requirement"), "{stdout}");
    // The knock-out table: failed and missing per clause.
    assert!(
        stdout.contains("Which clauses knock out how many"),
        "{stdout}"
    );
    let knock = |id: &str| -> (String, String) {
        let row = table_row(stdout, &format!("{id} "));
        (row[2].clone(), row[3].clone())
    };
    assert_eq!(knock("A10.2.debt-ratio"), ("1".into(), "0".into()));
    assert_eq!(knock("A10.2.partners"), ("1".into(), "0".into()));
    assert_eq!(knock("A10.4.floor-area"), ("1".into(), "0".into()));
    assert_eq!(knock("A10.4.rnd-spend"), ("1".into(), "1".into()));
    assert_eq!(knock("A10.5.transfers"), ("0".into(), "1".into()));
    assert_eq!(knock("A10.5.benefit"), ("0".into(), "1".into()));
    assert!(
        table_rows(stdout, "A10.1.registered ").is_empty(),
        "a clause that knocks out nobody is not listed:\n{stdout}"
    );
    assert!(
        stdout.contains("7 applicants: 3 eligible, 2 ineligible, 1 incomplete, 1 error"),
        "{stdout}"
    );
    // Fits the terminal width.
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 160 + 40,
            "line too wide for COLUMNS=160: {line}"
        );
    }
    // The invalid row's message is on standard error.
    assert!(
        output.stderr.contains(&format!("{UTF8}:7")),
        "{}",
        output.stderr
    );
}

#[test]
fn the_table_in_chinese_counts_the_same() {
    let output = ticheck_run(&["check", GBK, "--lang", "zh"]);
    assert_eq!(output.code, 2);
    assert!(
        output
            .stdout
            .contains("共 7 个申报单位：未发现不符合项 3，不符合 2，材料不全 1，无法读取 1"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("各条款淘汰情况"),
        "{}",
        output.stdout
    );
}

/// A sheet long enough for many chunks on every worker: the rendered CSV rows and JSON results
/// come out in input order, each the same as for the fixture row it repeats.
#[test]
fn a_long_sheet_is_rendered_in_input_order_in_csv_and_json() {
    const REPEATS: usize = 150;
    let dir = TempDir::new().unwrap();
    let lines = fixture_lines();
    let mut text = format!("{}\n", lines[0]);
    for _ in 0..REPEATS {
        for line in &lines[1..] {
            text.push_str(line);
            text.push('\n');
        }
    }
    let file = temp_file(&dir, "long.csv", text);
    let file = path_str(&file);
    let rows = REPEATS * FIXTURE_ROWS.len();
    let (_, json, _) = check_json(file, &[]);
    let expected_sources: Vec<String> = (2..rows + 2).map(|row| format!("{file}:{row}")).collect();
    assert_eq!(
        sources(&json),
        expected_sources,
        "one result per row, in order"
    );
    let expected_verdicts: Vec<&str> = FIXTURE_ROWS
        .iter()
        .map(|(_, verdict)| *verdict)
        .cycle()
        .take(rows)
        .collect();
    assert_eq!(verdicts(&json), expected_verdicts);
    let (_, fixture_json, _) = check_json(UTF8, &[]);
    for (index, result) in results(&json).iter().enumerate() {
        let original = &results(&fixture_json)[index % FIXTURE_ROWS.len()];
        assert_eq!(
            clause_outcomes(result),
            clause_outcomes(original),
            "row {}",
            index + 2
        );
    }
    let output = ticheck_run(&["check", file, "--format", "csv", "--lang", "en"]);
    let mut reader = csv::Reader::from_reader(output.stdout.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows, "one CSV row per applicant");
    for (record, result) in records.iter().zip(results(&json)) {
        assert_eq!(&record[0], result["source"].as_str().unwrap());
        assert_eq!(&record[2], result["verdict"].as_str().unwrap());
    }
}

/// `--strict`'s account states the exit code the run ends with: 1 for warnings alone, 2 when a
/// profile could not be read as well (SPEC §2: 2 outranks 1).
#[test]
fn strict_account_states_the_exit_code_the_run_really_has() {
    let strict = |files: &[&str], lang: &str| {
        let mut args = vec!["check"];
        args.extend_from_slice(files);
        args.extend_from_slice(&["--strict", "--lang", lang]);
        run(ticheck().current_dir(root()).args(args))
    };
    let warned_only = strict(&["fixtures/batch/messy.csv"], "zh");
    assert_eq!(warned_only.code, 1, "{}", warned_only.stderr);
    assert!(
        warned_only.stderr.contains("退出码为 1"),
        "{}",
        warned_only.stderr
    );
    let with_error = strict(
        &[
            "fixtures/batch/messy.csv",
            "fixtures/invalid/bad-values.toml",
        ],
        "en",
    );
    assert_eq!(with_error.code, 2, "{}", with_error.stderr);
    assert!(
        with_error.stderr.contains("so the exit code is 2"),
        "{}",
        with_error.stderr
    );
    assert!(
        !with_error.stderr.contains("exit code is 1"),
        "{}",
        with_error.stderr
    );
}
