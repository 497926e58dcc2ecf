//! `ticheck init --sheet FILE.xlsx` and `ticheck init --evaluation --sheet FILE.xlsx` (SPEC §5):
//! the workbook a bureau sends out, run for real and read back with calamine (sheets, headers,
//! instructions) and, where calamine sees nothing (dropdowns, notes, formats, frozen panes),
//! through the sheet's XML unzipped with `unzip`. A filled copy is checked by `ticheck check`.

mod common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use tempfile::TempDir;

use common::{path_str, run, ticheck};
use ticheck::profile::evaluation::{EVALUATION_FIELDS, TARGET_ITEMS};
use ticheck::profile::fields::{FieldType, FIELDS};

/// SPEC §4's Chinese column names, as the contract lists them (`rnd_spend.YYYY` apart).
const SPEC_HEADERS: &[&str] = &[
    "单位名称",
    "统一社会信用代码",
    "单位类型",
    "所在州市",
    "中心类别",
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
    "资产总额",
    "负债总额",
    "固定人员",
    "中高级职称或硕士以上人员",
    "研发场地面积",
    "仪器设备原值",
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

/// Writes a template with `args` into `dir`; the path written.
fn template(dir: &TempDir, name: &str, args: &[&str]) -> PathBuf {
    let path = dir.path().join(name);
    let result = run(ticheck().arg("init").args(args).arg("--sheet").arg(&path));
    assert_eq!(result.code, 0, "{}", result.stderr);
    path
}

/// Every worksheet of a workbook, in order: its name and its rows as text.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut workbook = calamine::open_workbook_auto(path).unwrap();
    let names = workbook.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|row| row.iter().map(common::cell_text).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

/// The text of a file inside the workbook's zip, or None when `unzip` cannot be run.
fn unzipped(path: &Path, member: &str) -> Option<String> {
    let output = match std::process::Command::new("unzip")
        .arg("-p")
        .arg(path)
        .arg(member)
        .output()
    {
        Ok(output) => output,
        Err(error) => {
            eprintln!(
                "skipped: `unzip` cannot be run ({error}); the workbook's XML is not checked"
            );
            return None;
        }
    };
    assert!(output.status.success(), "unzip -p {member}: {output:?}");
    Some(String::from_utf8(output.stdout).unwrap())
}

/// The Excel column letters of a 0-based index (`0` → `A`, `27` → `AB`).
fn letters(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap()
}

/// The application year the template's year columns are named for: the one after the latest.
fn application_year(headers: &[String]) -> i32 {
    headers
        .iter()
        .filter_map(|h| h.strip_suffix("年研发经费"))
        .map(|year| year.parse::<i32>().unwrap())
        .max()
        .expect("year columns")
        + 1
}

#[test]
fn the_template_has_its_instructions_first_then_every_spec_header() {
    let dir = TempDir::new().unwrap();
    let path = template(&dir, "申报模板.xlsx", &["--lang", "zh"]);
    let sheets = sheets(&path);
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["填表说明", "申报数据"]);

    // The instructions: what the sheet is for, units, windows, empty cells, how to check.
    let instructions = sheets[0].1.iter().flatten().cloned().collect::<Vec<_>>();
    let text = instructions.join("\n");
    for expected in [
        "每行填写一个申报单位",
        "万元",
        "“2350万元”“23500000元”",
        "平方米",
        "58.2%",
        "近两年",
        "近 3 年",
        "留空，不要填 0",
        "ticheck check 申报汇总.xlsx",
        // English beside the Chinese.
        "one applicant per row",
        "never write 0",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    // Sentences only: no cell of the instructions is a column name, so that a reader looking
    // for the first row that names known fields never takes this sheet for the data.
    for cell in &instructions {
        assert!(
            !FIELDS.iter().any(|field| field.label_zh == cell.trim()),
            "{cell}"
        );
    }

    // One header row, every SPEC §4 name and every field of the registry, once.
    let rows = &sheets[1].1;
    assert_eq!(rows.len(), 1, "a header and no data: {rows:?}");
    let headers = &rows[0];
    for expected in SPEC_HEADERS
        .iter()
        .copied()
        .chain(FIELDS.iter().map(|f| f.label_zh))
    {
        assert_eq!(
            headers.iter().filter(|h| *h == expected).count(),
            1,
            "{expected} in {headers:?}"
        );
    }
    // 近两年 is Y−2 and Y−1 of the application year: this year's round.
    let year = chrono::Local::now().year();
    assert_eq!(application_year(headers), year);
    let spend: Vec<&String> = headers.iter().filter(|h| h.ends_with("研发经费")).collect();
    assert_eq!(
        spend,
        [
            &format!("{}年研发经费", year - 2),
            &format!("{}年研发经费", year - 1)
        ]
    );
    assert_eq!(headers.len(), FIELDS.len() + 2);
    assert_eq!(headers[0], "单位名称");
}

#[test]
fn dropdowns_notes_formats_and_the_frozen_header_are_in_the_workbook() {
    let dir = TempDir::new().unwrap();
    let path = template(&dir, "t.xlsx", &["--lang", "zh"]);
    let headers = sheets(&path)[1].1[0].clone();
    let Some(sheet) = unzipped(&path, "xl/worksheets/sheet2.xml") else {
        return;
    };
    let column = |header: &str| letters(headers.iter().position(|h| h == header).unwrap());

    // A dropdown for every closed list, over the whole column below the header.
    let validation = |column: &str| -> String {
        let sqref = format!("sqref=\"{column}2:{column}1048576\"");
        let at = sheet
            .find(&sqref)
            .unwrap_or_else(|| panic!("a validation at {sqref} in\n{sheet}"));
        let start = sheet[..at].rfind("<dataValidation ").unwrap();
        let end = at + sheet[at..].find("</dataValidation>").unwrap();
        sheet[start..end].to_string()
    };
    let list = |column: &str, words: &str| {
        let element = validation(column);
        assert!(
            element.starts_with("<dataValidation type=\"list\"")
                && element.contains(&format!("<formula1>\"{words}\"</formula1>")),
            "{column}: {element}"
        );
    };
    list(&column("单位类型"), "企业,高校,科研院所,技术机构");
    list(&column("中心类别"), "领域类,综合类");
    let yes_no: Vec<&str> = FIELDS
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Bool))
        .map(|f| f.label_zh)
        .collect();
    assert!(yes_no.len() >= 7, "{yes_no:?}");
    for header in &yes_no {
        list(&column(header), "是,否");
    }
    assert_eq!(
        sheet.matches("<formula1>\"是,否\"</formula1>").count(),
        yes_no.len()
    );
    // The date column checks dates, warning only (a date written as text is read too).
    let date = validation(&column("申报日期"));
    assert!(
        date.starts_with("<dataValidation type=\"date\" errorStyle=\"warning\""),
        "{date}"
    );
    // No other column has a list.
    assert_eq!(sheet.matches("type=\"list\"").count(), yes_no.len() + 2);

    // The header row frozen (with the name column beside it).
    assert!(
        sheet.contains("<pane xSplit=\"1\" ySplit=\"1\" topLeftCell=\"B2\" activePane=\"bottomRight\" state=\"frozen\"/>"),
        "{sheet}"
    );
    // Column widths set for Chinese headers: the longest header's column is wide.
    let widest = column("国家工程技术研究中心依托单位");
    let index = headers
        .iter()
        .position(|h| h == "国家工程技术研究中心依托单位")
        .unwrap()
        + 1;
    assert!(
        sheet.contains(&format!("<col min=\"{index}\" max=\"{index}\" width=\"31")),
        "{widest}: {sheet}"
    );

    // Dates as dates, ratios as percentages, codes as text.
    let styles = unzipped(&path, "xl/styles.xml").unwrap();
    for format in ["yyyy-mm-dd", "0.0#%"] {
        assert!(
            styles.contains(&format!("formatCode=\"{format}\"")),
            "{styles}"
        );
    }

    // A note on every header: the unit and the rulebook's requirement.
    let comments = unzipped(&path, "xl/comments1.xml").unwrap();
    assert_eq!(comments.matches("<comment ref=").count(), headers.len());
    for header in &headers {
        let reference = format!("<comment ref=\"{}1\"", column(header));
        assert!(comments.contains(&reference), "{header}: {reference}");
    }
    let note = |header: &str| {
        let reference = format!("<comment ref=\"{}1\"", column(header));
        let at = comments.find(&reference).unwrap();
        let rest = &comments[at..];
        rest[..rest.find("</comment>").unwrap()].to_string()
    };
    let area = note("研发场地面积");
    for expected in [
        "单位：平方米",
        "第十条第（四）项（研发场地面积）",
        "研发场地面积 ≥ 1500 m²（以上）",
    ] {
        assert!(area.contains(expected), "{expected}: {area}");
    }
    let year = application_year(&headers);
    let spend = note(&format!("{}年研发经费", year - 1));
    assert!(spend.contains("单位：万元"), "{spend}");
    assert!(spend.contains("每年 ≥ 1000 万元（不少于）"), "{spend}");
    assert!(
        spend.contains(&format!("{year} 年申报即 {}–{} 年", year - 2, year - 1)),
        "{spend}"
    );
    let ratio = note("资产负债率");
    assert!(
        ratio.contains("58.2%") && ratio.contains("资产负债率 &lt; 70%（低于）；仅适用于企业"),
        "{ratio}"
    );
    let projects = note("国家级项目");
    assert!(
        projects.contains("仅计与研发方向相关、主持或承担") && projects.contains("近 3 年内"),
        "{projects}"
    );
}

/// The bureau's round trip: the template's headers, a filled row, `ticheck check`.
#[test]
fn a_filled_copy_of_the_template_is_checked_with_no_warning() {
    let dir = TempDir::new().unwrap();
    let path = template(&dir, "申报模板.xlsx", &["--lang", "zh"]);
    let sheets = sheets(&path);
    let headers = sheets[1].1[0].clone();
    let year = application_year(&headers);

    enum Cell {
        Text(&'static str),
        Number(f64),
        Date,
    }
    let value = |header: &str| -> Option<Cell> {
        Some(match header {
            "单位名称" => Cell::Text("云南滇铜新材料科技有限公司"),
            "统一社会信用代码" => Cell::Text("91530100MA6K3L7P2D"),
            "单位类型" => Cell::Text("企业"),
            "所在州市" => Cell::Text("昆明市"),
            "中心类别" => Cell::Text("领域类"),
            "技术领域" => Cell::Text("有色金属新材料"),
            "申报日期" => Cell::Date,
            "行业龙头企业" | "相对独立研发机构" | "经营状况良好" | "配套保障" | "地方支持承诺" => {
                Cell::Text("是")
            }
            "国家工程技术研究中心依托单位" => Cell::Text("否"),
            "财务数据年度" => Cell::Number(f64::from(year - 1)),
            "资产总额" => Cell::Number(52000.0),
            "负债总额" => Cell::Number(30264.0),
            "固定人员" => Cell::Number(128.0),
            "中高级职称或硕士以上人员" => Cell::Number(70.0),
            "研发场地面积" => Cell::Number(1800.0),
            "仪器设备原值" => Cell::Text("2350万元"),
            "国家级项目" => Cell::Number(1.0),
            "省级项目" => Cell::Number(2.0),
            "行业标准" => Cell::Number(2.0),
            "I类知识产权" => Cell::Number(3.0),
            "II类知识产权" => Cell::Number(10.0),
            "成果转化数" => Cell::Number(6.0),
            "直接经济效益" => Cell::Number(5600.0),
            "前期投入" => Cell::Number(800.0),
            "配套资金" => Cell::Number(1500.0),
            spend if spend.ends_with("年研发经费") => Cell::Number(1320.0),
            // Left empty as the instructions say: the declared ratio (the amounts decide), the
            // attestation that the code makes moot, the partners of a non-enterprise.
            _ => return None,
        })
    };

    // A filled copy as a bureau returns it: the instructions first, then the data.
    let mut workbook = Workbook::new();
    let instructions = workbook.add_worksheet();
    instructions.set_name("填表说明").unwrap();
    for (row, cells) in sheets[0].1.iter().enumerate() {
        for (col, text) in cells.iter().enumerate() {
            instructions
                .write_string(row as u32, col as u16, text)
                .unwrap();
        }
    }
    let data = workbook.add_worksheet();
    data.set_name("申报数据").unwrap();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let date = ExcelDateTime::from_ymd(year as u16, 3, 1).unwrap();
    let mut left_empty = Vec::new();
    for (col, header) in headers.iter().enumerate() {
        let col = col as u16;
        data.write_string(0, col, header).unwrap();
        match value(header) {
            Some(Cell::Text(text)) => {
                data.write_string(1, col, text).unwrap();
            }
            Some(Cell::Number(number)) => {
                data.write_number(1, col, number).unwrap();
            }
            Some(Cell::Date) => {
                data.write_datetime_with_format(1, col, &date, &date_format)
                    .unwrap();
            }
            None => left_empty.push(header.as_str()),
        }
    }
    assert_eq!(
        left_empty,
        ["在云南省境内注册", "省内共建企业数", "资产负债率"]
    );
    let filled = dir.path().join("申报汇总.xlsx");
    workbook.save(&filled).unwrap();

    let as_of = format!("{year}-03-01");
    let check = |rulebook: Option<&Path>| {
        let mut command = ticheck();
        command
            .args(["check", "--sheet", "申报数据"])
            .arg(&filled)
            .args(["--format", "json", "--as-of", &as_of]);
        if let Some(rulebook) = rulebook {
            command.arg("--rulebook").arg(rulebook);
        }
        let result = run(&mut command);
        assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
        assert_eq!(result.stderr, "");
        result.json()
    };

    // With a rulebook in force on the date (the built-in one's measures expired on
    // 2025-04-05): no warning at all — every header read, every cell typed, no unit slip.
    let rulebook = dir.path().join("in-force.toml");
    let text = common::fixture_text("src/rules/yunnan-2022.toml").replace(
        "effective_until = 2025-04-05",
        "effective_until = 2099-12-31",
    );
    std::fs::write(&rulebook, text).unwrap();
    let json = check(Some(&rulebook));
    let result = &json["results"][0];
    assert_eq!(json["results"].as_array().unwrap().len(), 1);
    assert_eq!(result["verdict"], "eligible", "{result:#}");
    assert_eq!(result["warnings"], serde_json::json!([]), "{result:#}");
    assert_eq!(result["error"], serde_json::Value::Null);
    assert_eq!(result["applicant"], "云南滇铜新材料科技有限公司");
    assert_eq!(
        result["source"],
        format!("{}:2", path_str(&filled)),
        "rows keep the sheet's numbers"
    );
    let clause = |id: &str| {
        result["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    assert_eq!(clause("A10.4.floor-area")["actual"], "1800");
    assert_eq!(clause("A10.4.rnd-spend")["verdict"], "pass");
    assert_eq!(clause("A10.2.debt-ratio")["verdict"], "pass");
    assert_eq!(clause("A10.1.registered")["verdict"], "pass");

    // With the built-in rulebook the one warning is the measures' validity, not the sheet.
    let json = check(None);
    let result = &json["results"][0];
    assert_eq!(result["verdict"], "eligible", "{result:#}");
    let warnings = result["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("outside the validity of the rulebook yunnan-2022"),
        "{warnings:?}"
    );
}

#[test]
fn the_untouched_template_is_read_but_has_no_applicant() {
    let dir = TempDir::new().unwrap();
    let path = template(&dir, "t.xlsx", &[]);
    let result = run(ticheck()
        .args(["check", "--sheet", "申报数据"])
        .arg(&path)
        .args(["--format", "json"]));
    // Every header is known (no unknown-column error); there is just no row to judge.
    assert_eq!(result.code, 2, "{}", result.stdout);
    assert!(
        result
            .stderr
            .contains("the sheet has a header but no data rows"),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("unknown"), "{}", result.stderr);
    assert!(
        !result.stdout.contains("\"eligible\": 1"),
        "{}",
        result.stdout
    );
}

#[test]
fn a_worksheet_that_is_not_there_is_named_with_the_ones_that_are() {
    let dir = TempDir::new().unwrap();
    let path = template(&dir, "t.xlsx", &[]);
    let result = run(ticheck().args(["check", "--sheet", "Sheet1"]).arg(&path));
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("no worksheet named 'Sheet1'; its worksheets are '填表说明', '申报数据'"),
        "{}",
        result.stderr
    );
    let result = run(ticheck()
        .args(["check", "--lang", "zh", "--sheet", "Sheet1"])
        .arg(&path));
    assert!(
        result
            .stderr
            .contains("工作簿中没有名为“Sheet1”的工作表；现有工作表：“填表说明”、“申报数据”"),
        "{}",
        result.stderr
    );
}

#[test]
fn an_existing_file_is_kept_without_force_in_both_languages() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("t.xlsx");
    std::fs::write(&path, "the bureau's own file").unwrap();
    for (lang, message) in [
        ("en", "exists; add --force to overwrite it"),
        ("zh", "已存在；加 --force 覆盖"),
    ] {
        let result = run(ticheck()
            .args(["init", "--lang", lang, "--sheet"])
            .arg(&path));
        assert_eq!(result.code, 2);
        assert_eq!(
            result.stderr,
            format!("ticheck: {} {message}\n", path.display())
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "the bureau's own file"
        );
    }
    // The same wording as `ticheck init FILE`.
    let toml = dir.path().join("p.toml");
    std::fs::write(&toml, "").unwrap();
    let result = run(ticheck().args(["init", "--lang", "zh"]).arg(&toml));
    assert_eq!(
        result.stderr,
        format!("ticheck: {} 已存在；加 --force 覆盖\n", toml.display())
    );

    for (lang, message) in [("en", "wrote"), ("zh", "已写入")] {
        let result = run(ticheck()
            .args(["init", "--force", "--lang", lang, "--sheet"])
            .arg(&path));
        assert_eq!(result.code, 0, "{}", result.stderr);
        assert_eq!(result.stderr, format!("{message} {}\n", path.display()));
        assert_eq!(result.stdout, "");
        assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
    }
    // Nothing left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");

    // Not a workbook's name: refused before anything is written.
    let toml = dir.path().join("template.toml");
    let result = run(ticheck().args(["init", "--sheet"]).arg(&toml));
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("is not an .xlsx name"),
        "{}",
        result.stderr
    );
    assert!(!toml.exists());
}

#[test]
fn in_english_the_headers_stay_chinese_and_the_notes_are_english() {
    let dir = TempDir::new().unwrap();
    let path = template(&dir, "t.xlsx", &["--lang", "en"]);
    let sheets = sheets(&path);
    assert_eq!(sheets[0].0, "填表说明");
    assert_eq!(sheets[1].0, "申报数据");
    // SPEC §5: the Chinese headers of §4, which the reader matches.
    assert_eq!(sheets[1].1[0][0], "单位名称");
    // The instructions are bilingual whatever the language.
    let text = sheets[0]
        .1
        .iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("每行填写一个申报单位") && text.contains("one applicant per row"));
    let Some(comments) = unzipped(&path, "xl/comments1.xml") else {
        return;
    };
    for expected in [
        "R&amp;D floor area (facilities.rnd_floor_area)",
        "Unit: square metres (m²)",
        "第十条第（四）项 (R&amp;D floor area): R&amp;D floor area ≥ 1500 m²",
        "for enterprise only",
    ] {
        assert!(comments.contains(expected), "{expected}");
    }
    let sheet = unzipped(&path, "xl/worksheets/sheet2.xml").unwrap();
    assert!(sheet.contains("Choose from the list"), "{sheet}");
}

#[test]
fn the_evaluation_template_has_a_center_sheet_and_a_target_sheet() {
    let dir = TempDir::new().unwrap();
    let path = template(&dir, "评估模板.xlsx", &["--evaluation", "--lang", "zh"]);
    let sheets = sheets(&path);
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["填表说明", "评估数据", "建设任务书指标"]);
    let text = sheets[0]
        .1
        .iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    for expected in [
        "每行一个中心",
        "本周期累计数",
        "不要填 0",
        // Issue 13: evaluate reads the workbook itself, and the instructions say how.
        "ticheck evaluate 本工作簿.xlsx",
        "--targets",
        "默认评分细则",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let headers = &sheets[1].1[0];
    let expected: Vec<&str> = EVALUATION_FIELDS.iter().map(|f| f.label_zh).collect();
    assert_eq!(headers, &expected);
    let targets = &sheets[2].1[0];
    let mut expected = vec!["中心名称"];
    expected.extend(TARGET_ITEMS[0].fields.iter().map(|f| f.label_zh));
    assert_eq!(targets, &expected);

    let Some(sheet) = unzipped(&path, "xl/worksheets/sheet2.xml") else {
        return;
    };
    let bools = EVALUATION_FIELDS
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Bool))
        .count();
    assert_eq!(
        sheet.matches("<formula1>\"是,否\"</formula1>").count(),
        bools
    );
    assert!(sheet.contains("<formula1>\"企业,高校,科研院所,技术机构\"</formula1>"));
    let comments = unzipped(&path, "xl/comments1.xml").unwrap();
    assert!(
        comments.contains("第二十五条（二）解决核心关键技术"),
        "{comments}"
    );
    assert!(comments.contains("第二十六条第（三）项"), "{comments}");
    let targets = unzipped(&path, "xl/comments2.xml").unwrap();
    assert!(targets.contains("第二十三条"), "{targets}");
}

#[test]
fn calamine_sees_no_value_in_the_data_rows_of_a_template() {
    // Dropdowns and formats cover whole columns, but no cell below the header holds anything:
    // a template states no fact (SPEC §4 "Templates never pass").
    let dir = TempDir::new().unwrap();
    for args in [&[][..], &["--evaluation"][..]] {
        let path = template(&dir, &format!("t{}.xlsx", args.len()), args);
        let mut workbook = calamine::open_workbook_auto(&path).unwrap();
        for name in workbook.sheet_names().into_iter().skip(1) {
            let range = workbook.worksheet_range(&name).unwrap();
            assert_eq!(range.height(), 1, "{name}");
            assert!(range
                .rows()
                .next()
                .unwrap()
                .iter()
                .all(|c| matches!(c, Data::String(_))));
        }
    }
}

/// The evaluation's round trip: the template's headers, one center filled in, `ticheck
/// evaluate` on the workbook itself, with no warning.
#[test]
fn a_filled_copy_of_the_evaluation_template_is_evaluated_with_no_warning() {
    let dir = TempDir::new().unwrap();
    let path = template(&dir, "评估模板.xlsx", &["--evaluation", "--lang", "zh"]);
    let sheets = sheets(&path);
    let headers = sheets[1].1[0].clone();
    let value = |header: &str| -> Option<Result<&'static str, f64>> {
        Some(match header {
            "中心名称" => Ok("云南测试中心"),
            "统一社会信用代码" => Ok("91530100MA6K3L7P2D"),
            "建设主体类型" => Ok("企业"),
            "评估周期起始年" => Err(2022.0),
            "评估周期截止年" => Err(2024.0),
            "科研失信行为" | "重大安全事故" | "未参加或中途退出评估" => {
                Ok("否")
            }
            "中心主任为全职人员" | "设立理事会/董事会" | "设立专家委员会" => {
                Ok("是")
            }
            "已备案年度报告（年数）" => Err(3.0),
            "周期研发投入" | "技术服务与成果转化收入" => Err(3000.0),
            "省级财政经费" => Err(500.0),
            "配套资金到位" => Err(1500.0),
            _ => return None,
        })
    };
    let mut workbook = Workbook::new();
    let instructions = workbook.add_worksheet();
    instructions.set_name(&sheets[0].0).unwrap();
    for (row, cells) in sheets[0].1.iter().enumerate() {
        for (col, text) in cells.iter().enumerate() {
            instructions
                .write_string(row as u32, col as u16, text)
                .unwrap();
        }
    }
    let data = workbook.add_worksheet();
    data.set_name(&sheets[1].0).unwrap();
    for (col, header) in headers.iter().enumerate() {
        let col = col as u16;
        data.write_string(0, col, header).unwrap();
        match value(header) {
            Some(Ok(text)) => data.write_string(1, col, text).map(|_| ()),
            Some(Err(number)) => data.write_number(1, col, number).map(|_| ()),
            // The other indicators: counts of the cycle.
            None => data.write_number(1, col, 3.0).map(|_| ()),
        }
        .unwrap();
    }
    // The targets' sheet as sent out: its header only.
    let targets = workbook.add_worksheet();
    targets.set_name(&sheets[2].0).unwrap();
    for (col, header) in sheets[2].1[0].iter().enumerate() {
        targets.write_string(0, col as u16, header).unwrap();
    }
    let filled = dir.path().join("评估汇总.xlsx");
    workbook.save(&filled).unwrap();

    let result = run(ticheck()
        .arg("evaluate")
        .arg(&filled)
        .args(["--format", "json", "--lang", "zh"]));
    assert!(result.code <= 1, "{}\n{}", result.stdout, result.stderr);
    let json = result.json();
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{json:#}");
    assert_eq!(results[0]["error"], serde_json::Value::Null, "{json:#}");
    assert_eq!(results[0]["center"], "云南测试中心", "{json:#}");
    assert_eq!(results[0]["warnings"], serde_json::json!([]), "{json:#}");
    assert!(!result.stderr.contains("警告"), "{}", result.stderr);
}
