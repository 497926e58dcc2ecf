//! Sheets as bureaus keep them in Excel and WPS (SPEC §7, issue 11), through the real binary:
//! a title above the header, 序号 and 备注 columns, units in the headers, placeholders, empty
//! and 合计 rows, the same applicant twice, and a workbook whose first sheet is 填表说明.
//!
//! `fixtures/batch/messy.csv` (GB18030) and `fixtures/batch/messy.xlsx` hold the same rows;
//! `cargo run --example gen_messy` writes them.

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{fixture_text, path_str, run, ticheck, write, Run};

const CSV: &str = "fixtures/batch/messy.csv";
const XLSX: &str = "fixtures/batch/messy.xlsx";

/// The fixture's applicants: their rows and verdicts (row 5 is empty, row 9 the 合计 row).
const APPLICANTS: [(usize, &str, &str); 5] = [
    (3, "云南滇铜新材料科技有限公司", "eligible"),
    (4, "云南红土机械制造有限公司", "ineligible"),
    (6, "云南农林科技大学", "eligible"),
    (7, "云南省生态环境科学研究院", "incomplete"),
    (8, "云南滇铜新材料科技有限公司", "eligible"),
];

fn check(args: &[&str]) -> Run {
    let mut command = ticheck();
    command.arg("check").args(args);
    run(&mut command)
}

fn clause<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|clause| clause["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id} in {result:#}"))
}

fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|line| line.contains(needle)).collect()
}

/// The results of a fixture as JSON, in English.
fn results(file: &str) -> (Run, Vec<Value>) {
    let output = check(&[file, "--format", "json", "--lang", "en"]);
    let results = output.json()["results"].as_array().unwrap().clone();
    (output, results)
}

#[test]
fn the_messy_csv_is_read_as_the_bureau_keeps_it() {
    let (output, results) = results(CSV);
    assert_eq!(
        output.code, 1,
        "ineligible and incomplete rows: {}",
        output.stderr
    );
    let found: Vec<(String, String, String)> = results
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_string(),
                r["applicant"].as_str().unwrap_or_default().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = APPLICANTS
        .iter()
        .map(|(row, name, verdict)| {
            (
                format!("{CSV}:{row}"),
                name.to_string(),
                verdict.to_string(),
            )
        })
        .collect();
    assert_eq!(
        found, expected,
        "no title, empty or 合计 row is an applicant"
    );
    // Units in the headers: 23500000 in the 【元】 column is 2350 万元, 58.2 under （%） is 58.2%,
    // and row 4's 70 under （%） is 70%, which is not below 70%.
    assert_eq!(clause(&results[0], "A10.4.equipment")["actual"], "2350");
    assert_eq!(clause(&results[0], "A10.2.debt-ratio")["actual"], "58.2%");
    assert_eq!(clause(&results[1], "A10.2.debt-ratio")["actual"], "70%");
    assert_eq!(clause(&results[1], "A10.2.debt-ratio")["verdict"], "fail");
    assert_eq!(
        clause(&results[0], "A10.4.rnd-spend")["actual"],
        "2022: 1250, 2023: 1320"
    );
    // Placeholders are missing data: 暂无 in 2022's spend, nothing where transfers belong.
    assert_eq!(clause(&results[3], "A10.4.rnd-spend")["verdict"], "missing");
    assert!(results.iter().all(|r| r["error"].is_null()), "{results:#?}");
}

#[test]
fn ignored_columns_and_skipped_rows_are_said_once_on_standard_error() {
    let (output, _) = results(CSV);
    let ignored = lines_with(&output.stderr, "columns ignored");
    assert_eq!(
        ignored,
        vec![format!(
            "ticheck: {CSV}: columns ignored (they give no field of the profile): A 序号, AD 备注"
        )],
        "{}",
        output.stderr
    );
    let skipped = lines_with(&output.stderr, "skipped");
    assert_eq!(
        skipped,
        vec![format!(
            "ticheck: {CSV}: 2 rows skipped, not checked as applicants: row 5 (empty), row 9 (totals: 合计)"
        )],
        "{}",
        output.stderr
    );
    // In the output language.
    let zh = check(&[CSV, "--lang", "zh", "--quiet"]);
    assert_eq!(
        lines_with(&zh.stderr, "已忽略的列").len(),
        1,
        "{}",
        zh.stderr
    );
    assert!(zh
        .stderr
        .contains("已忽略的列（不是申报条件所需的数据）：A 序号、AD 备注"));
    assert!(
        zh.stderr
            .contains("已跳过 2 行，不作为申报单位检查：第 5 行（空行）、第 9 行（合计行）"),
        "{}",
        zh.stderr
    );
}

#[test]
fn the_same_applicant_twice_is_a_warning_on_both_rows() {
    let (_, results) = results(CSV);
    let warned: Vec<(&str, Vec<&str>)> = results
        .iter()
        .filter(|r| !r["warnings"].as_array().unwrap().is_empty())
        .map(|r| {
            (
                r["source"].as_str().unwrap(),
                r["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w.as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert_eq!(warned[0].0, format!("{CSV}:3"));
    assert!(
        warned[0].1[0].contains(
            "the same applicant twice: this row has the same unified social credit code as row 8"
        ),
        "{warned:?}"
    );
    assert_eq!(warned[1].0, format!("{CSV}:8"));
    assert!(warned[1].1[0].contains("as row 3"), "{warned:?}");
    // In the CSV report's warnings column too, in Chinese.
    let csv = check(&[CSV, "--format", "csv", "--lang", "zh"]);
    let rows: Vec<&str> = csv
        .stdout
        .lines()
        .filter(|l| l.contains("重复出现"))
        .collect();
    assert_eq!(rows.len(), 2, "{}", csv.stdout);
    assert!(
        rows[0].contains("与第 8 行统一社会信用代码相同"),
        "{}",
        rows[0]
    );
}

#[test]
fn strict_fails_for_duplicates_but_not_for_the_sheets_notes() {
    let dir = TempDir::new().unwrap();
    let fixture = fixture_text("fixtures/batch/candidates.csv");
    let mut lines = fixture.trim_start_matches('\u{FEFF}').lines();
    let header = lines.next().unwrap();
    let eligible = lines.next().unwrap();
    let sheet = |rows: &[&str]| {
        let mut text = format!("某州科技局推荐汇总表\n序号,{header},备注\n");
        for (index, row) in rows.iter().enumerate() {
            text.push_str(&format!("{},{row},\n", index + 1));
        }
        text.push_str(",,,\n合计,,,\n");
        text
    };
    // One eligible applicant, with ignored columns, an empty row and a 合计 row: no warning.
    let once = write(&dir, "once.csv", &sheet(&[eligible]));
    let output = check(&[path_str(&once), "--strict", "--as-of", "2024-03-15", "-q"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output.stderr.contains("columns ignored"),
        "{}",
        output.stderr
    );
    assert!(!output.stderr.contains("--strict"), "{}", output.stderr);
    // The same applicant twice: each row has a warning, and --strict names both.
    let twice = write(&dir, "twice.csv", &sheet(&[eligible, eligible]));
    let output = check(&[path_str(&twice), "--as-of", "2024-03-15", "-q"]);
    assert_eq!(
        output.code, 0,
        "warnings alone never fail a run: {}",
        output.stderr
    );
    let output = check(&[path_str(&twice), "--strict", "--as-of", "2024-03-15", "-q"]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("--strict: 2 applicants with warnings"),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stderr
            .contains("twice.csv:3: the same applicant twice"),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stderr
            .contains("twice.csv:4: the same applicant twice"),
        "{}",
        output.stderr
    );
}

#[test]
fn standard_input_finds_duplicates_too() {
    let bytes = std::fs::read(common::root().join(CSV)).unwrap();
    let mut command = ticheck();
    command
        .args(["check", "-", "--input-format", "csv", "--format", "json"])
        .write_stdin(bytes);
    let output = run(&mut command);
    let json = output.json();
    let sources: Vec<&str> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["warnings"].as_array().unwrap().is_empty())
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, vec!["<stdin>:3", "<stdin>:8"]);
}

#[test]
fn the_messy_workbook_reads_as_the_csv_does() {
    let (csv_output, csv) = results(CSV);
    let (output, xlsx) = results(XLSX);
    assert_eq!(output.code, csv_output.code, "{}", output.stderr);
    assert_eq!(xlsx.len(), csv.len());
    for (from_xlsx, from_csv) in xlsx.iter().zip(&csv) {
        let row = |r: &Value| {
            r["source"]
                .as_str()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            row(from_xlsx),
            row(from_csv),
            "rows keep the sheet's numbers"
        );
        assert_eq!(from_xlsx["verdict"], from_csv["verdict"]);
        assert_eq!(from_xlsx["warnings"], from_csv["warnings"]);
        for (a, b) in from_xlsx["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .zip(from_csv["clauses"].as_array().unwrap())
        {
            assert_eq!(
                a["actual"], b["actual"],
                "{} of {}",
                a["id"], from_xlsx["source"]
            );
            assert_eq!(
                a["verdict"], b["verdict"],
                "{} of {}",
                a["id"], from_xlsx["source"]
            );
        }
    }
    // Row 4's ratio is a fraction formatted as a percentage: read as Excel shows it, 70%.
    assert_eq!(clause(&xlsx[1], "A10.2.debt-ratio")["actual"], "70%");
    assert!(
        output.stderr.contains(
            "read the worksheet '申报汇总' (passing over '填表说明': no sheet of applicants)"
        ),
        "{}",
        output.stderr
    );
    assert_eq!(lines_with(&output.stderr, "columns ignored").len(), 1);
    assert!(
        output
            .stderr
            .contains("row 5 (empty), row 9 (totals: 合计)"),
        "{}",
        output.stderr
    );
    // The workbook merges 单位类型 over rows 3–4 and 所在州市 over rows 6–8, where the CSV
    // repeats them: the same results, and a note naming the ranges.
    assert_eq!(
        lines_with(&output.stderr, "merged cells"),
        [format!("ticheck: {XLSX}: merged cells filled into every row they cover (Excel keeps the value in the top-left cell only): D3:D4 (单位类型), E6:E8 (所在州市)")],
        "{}",
        output.stderr
    );
}

#[test]
fn the_sheets_notes_are_carried_by_the_json_report() {
    let (output, _) = results(XLSX);
    let json = output.json();
    let notes = json["sheet_notes"].as_array().unwrap();
    let kinds: Vec<&str> = notes.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "worksheet",
            "ignored_columns",
            "merged_cells",
            "skipped_rows"
        ]
    );
    assert!(notes.iter().all(|n| n["file"] == XLSX), "{notes:#?}");
    assert_eq!(notes[0]["worksheet"], "申报汇总");
    assert_eq!(
        notes[1]["columns"],
        serde_json::json!(["A 序号", "AD 备注"])
    );
    assert_eq!(notes[2]["ranges"], serde_json::json!(["D3:D4", "E6:E8"]));
    assert_eq!(notes[2]["count"], 2);
    assert_eq!(notes[3]["rows"], 2);
    assert_eq!(
        notes[3]["runs"],
        serde_json::json!([
            {"first": 5, "last": 5, "reason": "empty"},
            {"first": 9, "last": 9, "reason": "totals", "word": "合计"},
        ])
    );
    assert_eq!(
        notes[3]["text"],
        "2 rows skipped, not checked as applicants: row 5 (empty), row 9 (totals: 合计)",
        "the text as standard error says it, without the file"
    );
    // The stable core is untouched (SPEC §5), and a batch without notes has an empty list.
    assert!(json["summary"]["eligible"].is_number());
    let plain = check(&[
        "fixtures/batch/candidates.csv",
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert_eq!(plain.json()["sheet_notes"], serde_json::json!([]));
    // One profile is no batch: no sheet_notes.
    let single = check(&["fixtures/eligible-enterprise.toml", "--format", "json"]);
    assert!(single.json().get("sheet_notes").is_none());
}

#[test]
fn the_sheets_notes_are_in_the_markdown_report_and_a_table_written_to_a_file() {
    let output = check(&[CSV, "--format", "markdown", "--lang", "zh"]);
    let at = output
        .stdout
        .find("**读表说明**")
        .unwrap_or_else(|| panic!("{}", output.stdout));
    let section: Vec<&str> = output.stdout[at..].lines().skip(2).take(2).collect();
    assert_eq!(
        section,
        [
            format!("- `{CSV}`：已忽略的列（不是申报条件所需的数据）：A 序号、AD 备注"),
            format!(
                "- `{CSV}`：已跳过 2 行，不作为申报单位检查：第 5 行（空行）、第 9 行（合计行）"
            ),
        ]
    );
    assert!(
        at < output.stdout.find("## 云南").unwrap(),
        "in the summary, before the applicants' sections"
    );
    let dir = TempDir::new().unwrap();
    let table = dir.path().join("results.txt");
    let output = check(&[CSV, "--lang", "en", "--output", path_str(&table)]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    let text = std::fs::read_to_string(&table).unwrap();
    assert!(
        text.contains(&format!(
            "Notes on the sheets:\n- {CSV}: columns ignored (they give no field of the profile): A 序号, AD 备注\n- {CSV}: 2 rows skipped"
        )),
        "{text}"
    );
    // On a terminal they are on standard error only.
    let output = check(&[CSV, "--lang", "en"]);
    assert!(!output.stdout.contains("Notes on the sheets"));
}

#[test]
fn sheet_names_the_worksheet_and_an_unknown_name_lists_them() {
    let output = check(&[XLSX, "--sheet", "申报汇总", "--format", "json"]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert_eq!(output.json()["results"].as_array().unwrap().len(), 5);
    assert!(!output.stderr.contains("passing over"), "{}", output.stderr);
    let output = check(&[XLSX, "--sheet", "Sheet1"]);
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains(
            "the workbook has no worksheet named 'Sheet1'; its worksheets are '填表说明', '申报汇总'"
        ),
        "{}",
        output.stderr
    );
    let output = check(&[XLSX, "--sheet", "Sheet1", "--lang", "zh"]);
    assert!(
        output
            .stderr
            .contains("工作簿中没有名为“Sheet1”的工作表；现有工作表：“填表说明”、“申报汇总”"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_header_that_looks_like_a_field_but_cannot_be_read_is_an_error_with_a_suggestion() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "headers.csv",
        "申报汇总表\n序号,单位名称,2024年研发经废,仪器设备原值（m²）,研发场地面积（亩）\n1,甲,1,2,3\n",
    );
    let output = check(&[path_str(&file), "--lang", "en"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    let stderr = &output.stderr;
    assert!(
        stderr.contains(
            "row 2, column C: unknown column '2024年研发经废' (did you mean '2024年研发经费'?)"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("2023"),
        "a suggestion never moves data to another year: {stderr}"
    );
    assert!(stderr.contains("row 2, column D: the column '仪器设备原值（m²）' is in m², a unit '仪器设备原值' cannot take"), "{stderr}");
    assert!(stderr.contains("row 2, column E: the column '研发场地面积（亩）' gives a unit '亩' that is not recognised"), "{stderr}");
    // 研发投入 for 研发经费, 年度 for 年: read, in its own year.
    let file = write(
        &dir,
        "synonyms.csv",
        "单位名称,2024年研发投入,2023年度研发经费（万元）\n甲,1200,11000000元\n",
    );
    let output = check(&[path_str(&file), "--format", "json", "--as-of", "2025-03-01"]);
    let result = &output.json()["results"][0];
    assert_eq!(
        clause(result, "A10.4.rnd-spend")["actual"],
        "2023: 1100, 2024: 1200",
        "{}",
        output.stderr
    );
}

#[test]
fn cell_messages_name_the_real_problem() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "cells.csv",
        "单位名称,单位类型,研发场地面积,仪器设备原值\n\
         甲公司,民营企业,\"1,5OO\",2350\n\
         乙机构,新型研发机构,1500,2350美元\n",
    );
    let output = check(&[path_str(&file), "--lang", "zh"]);
    assert_eq!(output.code, 2);
    let stderr = &output.stderr;
    assert!(stderr.contains("cells.csv:2，“B 单位类型”列: applicant.kind: “民营企业”不是可选值；可选：企业、高校、科研院所、技术机构；“民营企业”最可能是“企业”，请改为“企业”"), "{stderr}");
    assert!(stderr.contains("“1,5OO”的数字中夹有字母“O”"), "{stderr}");
    assert!(
        !stderr.contains("逗号"),
        "the comma is not what is wrong: {stderr}"
    );
    assert!(
        stderr.contains("仅凭“新型研发机构”无法判断：它可能是“企业”或“科研院所”"),
        "{stderr}"
    );
    assert!(
        stderr.contains("“2350美元”中的单位“美元”无法识别"),
        "{stderr}"
    );
    let output = check(&[path_str(&file), "--lang", "en"]);
    assert!(
        output.stderr.contains(
            "'1,5OO' has the letter 'O' among its digits (a zero typed as the letter O?)"
        ),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stderr
            .contains("'民营企业' is most likely 企业 (enterprise)"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains(
            "'新型研发机构' cannot tell which: it may be 企业 (enterprise) or 科研院所 (institute)"
        ),
        "{}",
        output.stderr
    );
}

#[test]
fn a_sheet_of_only_skipped_rows_has_no_applicants() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "none.csv",
        "序号,单位名称,研发场地面积\n1,,\n合计,,0\n",
    );
    let output = check(&[path_str(&file), "--lang", "en"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("the sheet has a header but no data rows"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("row 3 (totals: 合计)"),
        "{}",
        output.stderr
    );
}

/// A bureau's workbook with data cells merged down: 单位类型 企业 over rows 2–4, 所在州市 昆明市
/// over rows 2–5 (row 5 is otherwise empty, past the Kunming applicants).
fn merged_workbook(dir: &TempDir) -> std::path::PathBuf {
    use rust_xlsxwriter::{Format, Workbook};
    let path = dir.path().join("merged.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in ["单位名称", "单位类型", "所在州市", "研发场地面积（m²）"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    let rows: [(&str, Option<&str>, Option<&str>, f64); 3] = [
        ("甲公司", Some("企业"), Some("昆明市"), 1800.0),
        ("乙公司", None, None, 1200.0),
        ("丙公司", None, None, 1600.0),
    ];
    for (index, (name, kind, prefecture, area)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, *name).unwrap();
        if let Some(kind) = kind {
            sheet.write_string(row, 1, *kind).unwrap();
        }
        if let Some(prefecture) = prefecture {
            sheet.write_string(row, 2, *prefecture).unwrap();
        }
        sheet.write_number(row, 3, *area).unwrap();
    }
    sheet.write_string(5, 0, "丁大学").unwrap();
    sheet.write_string(5, 1, "高校").unwrap();
    sheet.write_string(5, 2, "曲靖市").unwrap();
    sheet.write_number(5, 3, 2000.0).unwrap();
    let format = Format::new();
    sheet.merge_range(1, 1, 3, 1, "企业", &format).unwrap();
    sheet.merge_range(1, 2, 4, 2, "昆明市", &format).unwrap();
    workbook.save(&path).unwrap();
    path
}

#[test]
fn cells_merged_down_a_column_are_read_in_every_row_they_cover() {
    let dir = TempDir::new().unwrap();
    let sheet = merged_workbook(&dir);
    let output = check(&[
        path_str(&sheet),
        "--format",
        "json",
        "--lang",
        "en",
        "--as-of",
        "2024-03-01",
    ]);
    let json = output.json();
    let results = json["results"].as_array().unwrap();
    let rows: Vec<&str> = results
        .iter()
        .map(|r| r["source"].as_str().unwrap().rsplit(':').next().unwrap())
        .collect();
    assert_eq!(
        rows,
        ["2", "3", "4", "6"],
        "row 5 holds only the merged 昆明市: an empty row, not an applicant"
    );
    // 乙公司 and 丙公司 are enterprises by the merged 单位类型: no clause asks for it.
    let results_text = serde_json::to_string(results).unwrap();
    assert!(
        !results_text.contains("单位类型"),
        "no row lacks its kind: {results_text}"
    );
    assert!(results.iter().all(|r| r["error"].is_null()), "{results:#?}");
    assert!(
        output.stderr.contains(
            "merged cells filled into every row they cover (Excel keeps the value in the top-left cell only): B2:B4 (单位类型), C2:C5 (所在州市)"
        ),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("row 5 (empty)"), "{}", output.stderr);
}

#[test]
fn the_results_workbook_keeps_the_merged_values_and_the_sheets_notes() {
    let dir = TempDir::new().unwrap();
    let sheet = merged_workbook(&dir);
    let results = dir.path().join("results.xlsx");
    let output = check(&[
        path_str(&sheet),
        "--lang",
        "zh",
        "--as-of",
        "2024-03-01",
        "--output",
        path_str(&results),
    ]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    let workbook = common::read_workbook(&results);
    let (_, summary) = &workbook[0];
    let prefecture = summary[0].iter().position(|h| h == "所在州市").unwrap();
    let prefectures: Vec<&str> = summary[1..]
        .iter()
        .map(|row| row[prefecture].as_str())
        .collect();
    assert_eq!(prefectures, ["昆明市", "昆明市", "昆明市", "曲靖市"]);
    let (name, notes) = workbook.last().unwrap();
    assert_eq!(name, "读表说明");
    assert_eq!(notes[0], ["文件", "说明"]);
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert_eq!(notes[1][0], path_str(&sheet));
    assert_eq!(
        notes[1][1],
        "合并单元格的值已填入其覆盖的每一行（Excel 只在左上角单元格存值）：B2:B4（单位类型）、C2:C5（所在州市）"
    );
    assert_eq!(
        notes[2][1],
        "已跳过 1 行，不作为申报单位检查：第 5 行（空行）"
    );
}

/// A sheet with the lines bureaus put around their rows: a units row under the header, the
/// header again after a page break, a pre-numbered template row (序号 and 单位类型 only), a
/// nameless row with a figure (still an applicant), and signature lines at the foot.
const AROUND_ROWS: &[&[&str]] = &[
    &[
        "序号",
        "单位名称",
        "统一社会信用代码",
        "单位类型",
        "所在州市",
        "研发场地面积（m²）",
        "仪器设备原值（万元）",
        "2023年研发经费",
    ],
    &["", "", "", "", "", "m²", "（万元）", "万元"],
    &["1", "甲公司", "", "企业", "昆明市", "1800", "2350", "1320"],
    &[
        "序号",
        "单位名称",
        "统一社会信用代码",
        "单位类型",
        "所在州市",
        "研发场地面积（m²）",
        "仪器设备原值（万元）",
        "2023年研发经费",
    ],
    &["2", "乙公司", "", "企业", "昆明市", "1450", "2350", "1320"],
    &["3", "", "", "企业", "", "", "", ""],
    &["4", "", "", "企业", "昆明市", "1600", "", ""],
    &[
        "填表人：李四",
        "",
        "",
        "审核人：王五",
        "",
        "联系电话：0871-1234567",
        "",
        "",
    ],
    &[
        "填报日期：",
        "2024-03-15",
        "",
        "单位（盖章）",
        "",
        "",
        "",
        "",
    ],
];

fn around_csv(dir: &TempDir) -> std::path::PathBuf {
    let text: String = AROUND_ROWS
        .iter()
        .map(|row| row.join(",") + "\r\n")
        .collect();
    write(dir, "around.csv", &text)
}

fn around_xlsx(dir: &TempDir) -> std::path::PathBuf {
    let path = dir.path().join("around.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, cells) in AROUND_ROWS.iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let (row, column) = (row as u32, column as u16);
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(row, column, number),
                Err(_) => sheet.write_string(row, column, *cell),
            }
            .unwrap();
        }
    }
    workbook.save(&path).unwrap();
    path
}

#[test]
fn footers_the_header_again_units_rows_and_template_rows_are_skipped_and_said() {
    let dir = TempDir::new().unwrap();
    for sheet in [around_csv(&dir), around_xlsx(&dir)] {
        let output = check(&[path_str(&sheet), "--format", "json", "--lang", "zh"]);
        assert_eq!(output.code, 1, "{}", output.stderr);
        let json = output.json();
        let rows: Vec<String> = json["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| format!("{} {}", result["source"], result["verdict"]))
            .collect();
        let name = sheet.file_name().unwrap().to_str().unwrap();
        // Rows 3 and 5 are applicants, and so is row 7: a figure without a name.
        assert_eq!(rows.len(), 3, "{rows:?}");
        for (row, verdict) in [(3, "incomplete"), (5, "ineligible"), (7, "incomplete")] {
            assert!(
                rows.iter()
                    .any(|r| r.contains(&format!("{name}:{row}\"")) && r.contains(verdict)),
                "{row} {verdict}: {rows:?}"
            );
        }
        for said in [
            "第 2 行（单位行）",
            "第 4 行（重复的表头行）",
            "第 6 行（无单位名称、统一社会信用代码和任何数值）",
            "第 8–9 行（表尾签字行）",
        ] {
            assert!(output.stderr.contains(said), "{said}: {}", output.stderr);
        }
        let reasons: Vec<&str> = json["sheet_notes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|note| note["kind"] == "skipped_rows")
            .flat_map(|note| note["runs"].as_array().unwrap())
            .map(|run| run["reason"].as_str().unwrap())
            .collect();
        assert_eq!(
            reasons,
            ["units", "header", "no_applicant", "footer"],
            "{json:#}"
        );
    }
}

#[test]
fn a_signature_line_after_the_rows_is_no_applicant_and_the_batch_does_not_fail() {
    let dir = TempDir::new().unwrap();
    let text = fixture_text("fixtures/batch/near-misses.csv")
        + "填表人：李四,,,审核人：王五,,联系电话：0871-1234567\r\n";
    let file = write(&dir, "footer.csv", &text);
    let output = check(&[path_str(&file), "--lang", "zh"]);
    assert_eq!(output.code, 1, "{}{}", output.stdout, output.stderr);
    assert!(!output.stdout.contains("填表人"), "{}", output.stdout);
    assert!(
        output.stderr.contains("第 9 行（表尾签字行）"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_year_column_outside_the_window_is_a_warning_naming_it_as_written() {
    let dir = TempDir::new().unwrap();
    let rows: &[&[&str]] = &[
        &[
            "单位名称",
            "申报日期",
            "2023年研发经费",
            "2024年度研发经费（万元）",
            "2019年研发经费",
        ],
        &["甲公司", "2024-03-15", "1320", "1500", ""],
        &["乙公司", "/", "1320", "", "900"],
    ];
    let csv = write(
        &dir,
        "years.csv",
        &rows
            .iter()
            .map(|row| row.join(",") + "\n")
            .collect::<String>(),
    );
    let xlsx = dir.path().join("years.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, cells) in rows.iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                sheet
                    .write_string(row as u32, column as u16, *cell)
                    .unwrap();
            }
        }
    }
    workbook.save(&xlsx).unwrap();
    for file in [csv, xlsx] {
        let output = check(&[path_str(&file), "--format", "json", "--lang", "zh"]);
        let json = output.json();
        let warnings = |index: usize| -> Vec<String> {
            json["results"][index]["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap().to_string())
                .collect()
        };
        let first = warnings(0);
        assert!(
            first
                .iter()
                .any(|w| w.contains("“2024年度研发经费（万元）”")
                    && w.contains("近两年")
                    && w.contains("2022–2023")
                    && w.contains("未被使用")),
            "{first:?}"
        );
        // The placeholder date falls back to today, and both warnings say so.
        let second = warnings(1);
        assert!(
            second
                .iter()
                .any(|w| w.contains("“申报日期”列为空或为占位符，按今天")),
            "{second:?}"
        );
        assert!(
            second
                .iter()
                .any(|w| w.contains("“2019年研发经费”") && w.contains("申报日期未填写")),
            "{second:?}"
        );
    }
}

#[test]
fn a_figure_merged_over_other_applicants_rows_is_a_warning_on_each_row_filled() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("merged-figure.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in ["单位名称", "所在州市", "仪器设备原值（万元）"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "甲公司").unwrap();
    sheet.write_number(1, 2, 2350.0).unwrap();
    sheet.write_string(2, 0, "乙公司").unwrap();
    sheet.write_string(3, 0, "合计").unwrap();
    sheet.write_string(4, 0, "丙公司").unwrap();
    let format = Format::new();
    // 所在州市 merged over every row: a word filled down, no warning. 仪器设备原值 merged over
    // 乙's row, the 合计 row and 丙's row: 丙 would get 乙's figure.
    sheet.merge_range(1, 1, 4, 1, "昆明市", &format).unwrap();
    sheet.merge_range(2, 2, 4, 2, "", &format).unwrap();
    sheet.write_number(2, 2, 2100.0).unwrap();
    workbook.save(&path).unwrap();
    let output = check(&[path_str(&path), "--format", "json", "--lang", "zh"]);
    let json = output.json();
    let warnings: Vec<(String, Vec<String>)> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            (
                result["source"]
                    .as_str()
                    .unwrap()
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .to_string(),
                result["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w.as_str().unwrap().to_string())
                    .filter(|w| w.contains("合并单元格"))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            ("2".to_string(), vec![]),
            ("3".to_string(), vec![]),
            (
                "5".to_string(),
                vec!["“C 仪器设备原值（万元）”列的值来自合并单元格 C3:C5，是第 3 行的值；请核对此行是否确为同一数值".to_string()]
            ),
        ],
        "{}",
        output.stderr
    );
}

/// A header over two rows: 研发经费（万元） over its years, the other headers merged down (in the
/// upper row only) or written in the lower row.
const TWO_ROW_HEADER: &[&[&str]] = &[
    &[
        "单位名称",
        "研发场地面积（m²）",
        "研发经费（万元）",
        "",
        "国家级项目",
    ],
    &["", "", "2022年", "2023年", ""],
    &["甲公司", "1800", "1250", "1320", "1"],
];

#[test]
fn a_header_over_two_rows_combines_the_group_with_its_years() {
    let dir = TempDir::new().unwrap();
    let csv = write(
        &dir,
        "two-rows.csv",
        &TWO_ROW_HEADER
            .iter()
            .map(|row| row.join(",") + "\n")
            .collect::<String>(),
    );
    let xlsx = dir.path().join("two-rows.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let format = rust_xlsxwriter::Format::new();
    for (row, cells) in TWO_ROW_HEADER.iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            let (row, column) = (row as u32, column as u16);
            match cell.parse::<f64>() {
                Ok(number) if row > 1 => {
                    sheet.write_number(row, column, number).unwrap();
                }
                _ if !cell.is_empty() => {
                    sheet.write_string(row, column, *cell).unwrap();
                }
                _ => {}
            }
        }
    }
    // As Excel keeps it: the group merged across its years, the others merged down.
    sheet
        .merge_range(0, 2, 0, 3, "研发经费（万元）", &format)
        .unwrap();
    for column in [0, 1, 4] {
        let header = TWO_ROW_HEADER[0][column as usize];
        sheet
            .merge_range(0, column, 1, column, header, &format)
            .unwrap();
    }
    workbook.save(&xlsx).unwrap();
    for file in [csv, xlsx] {
        let output = check(&[
            path_str(&file),
            "--format",
            "json",
            "--lang",
            "en",
            "--as-of",
            "2024-03-15",
        ]);
        let json = output.json();
        let results = json["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "{}", output.stderr);
        let result = &results[0];
        assert!(
            result["source"].as_str().unwrap().ends_with(":3"),
            "{result:#}"
        );
        assert!(result["error"].is_null(), "{result:#}");
        let spend = clause(result, "A10.4.rnd-spend");
        assert_eq!(spend["verdict"], "pass", "{spend:#}");
    }
}

#[test]
fn a_yearless_group_over_a_data_row_is_never_read_as_its_years() {
    let dir = TempDir::new().unwrap();
    // The row under the header is data: 2022 and 2023 are amounts, not years.
    let file = write(
        &dir,
        "yearless.csv",
        "单位名称,研发场地面积,研发经费（万元）,\n甲公司,1800,2022,2023\n",
    );
    let output = check(&[path_str(&file), "--lang", "en"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(output.stderr.contains("names no year"), "{}", output.stderr);
}

/// A workbook written by a program that computes no formula: `=1000+800` saved with an empty
/// value (`<f>1000+800</f><v/>`), as some libraries do.
fn uncomputed_formula_workbook(dir: &TempDir) -> std::path::PathBuf {
    use std::io::{Read, Write};
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in ["单位名称", "研发场地面积（m²）", "固定人员"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "甲公司").unwrap();
    sheet.write_formula(1, 1, "=1000+800").unwrap();
    sheet.write_number(1, 2, 128.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    // The cached result rust_xlsxwriter writes (0) taken out, as such programs leave it.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let name = file.name().unwrap().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(content).unwrap();
            let replaced = text.replace("<f>1000+800</f><v>0</v>", "<f>1000+800</f><v/>");
            assert_ne!(text, replaced, "{text}");
            content = replaced.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    let path = dir.path().join("formula.xlsx");
    std::fs::write(&path, out.finish().unwrap().into_inner()).unwrap();
    path
}

#[test]
fn a_formula_saved_without_its_value_is_said_and_read_as_missing_never_zero() {
    let dir = TempDir::new().unwrap();
    let path = uncomputed_formula_workbook(&dir);
    let output = check(&[path_str(&path), "--format", "json", "--lang", "zh"]);
    let json = output.json();
    let result = &json["results"][0];
    assert_eq!(result["verdict"], "incomplete", "{result:#}");
    let floor = clause(result, "A10.4.floor-area");
    assert_eq!(floor["verdict"], "missing", "{floor:#}");
    let warnings: Vec<&str> = result["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("第 2 行“B 研发场地面积（m²）”列")
                && w.contains("=1000+800")
                && w.contains("打开并保存")),
        "{warnings:?}"
    );
}

#[test]
fn headers_and_signature_lines_met_twice_are_no_duplicate_applicants() {
    let dir = TempDir::new().unwrap();
    let header = ["单位名称", "统一社会信用代码", "研发场地面积（m²）"];
    let rows: Vec<Vec<&str>> = vec![
        header.to_vec(),
        vec!["甲公司", "", "1800"],
        header.to_vec(),
        vec!["乙公司", "", "1450"],
        header.to_vec(),
        vec!["填表人：李四", "", ""],
        vec!["填表人：李四", "", ""],
    ];
    let csv = write(
        &dir,
        "twice.csv",
        &rows
            .iter()
            .map(|row| row.join(",") + "\n")
            .collect::<String>(),
    );
    let xlsx = dir.path().join("twice.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, cells) in rows.iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            if let Ok(number) = cell.parse::<f64>() {
                sheet
                    .write_number(row as u32, column as u16, number)
                    .unwrap();
            } else if !cell.is_empty() {
                sheet
                    .write_string(row as u32, column as u16, *cell)
                    .unwrap();
            }
        }
    }
    workbook.save(&xlsx).unwrap();
    for file in [csv, xlsx] {
        let output = check(&[
            path_str(&file),
            "--format",
            "json",
            "--lang",
            "zh",
            "--as-of",
            "2024-03-15",
        ]);
        let json = output.json();
        let results = json["results"].as_array().unwrap();
        let names: Vec<&str> = results
            .iter()
            .map(|r| r["applicant"].as_str().unwrap_or("—"))
            .collect();
        assert_eq!(names, ["甲公司", "乙公司"], "{}", output.stderr);
        let text = serde_json::to_string(results).unwrap();
        assert!(!text.contains("相同"), "no duplicate warning: {text}");
        assert!(
            output.stderr.contains(
                "第 3 行（重复的表头行）、第 5 行（重复的表头行）、第 6–7 行（表尾签字行）"
            ),
            "{}",
            output.stderr
        );
    }
}
