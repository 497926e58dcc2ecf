//! Issue 13: `ticheck evaluate` for the evaluating agency (SPEC §6, §7). A round of eight
//! centers in a workbook and in GB18030 CSV files (`cargo run --example gen_round` writes them):
//! one of each grade, one that quit the evaluation, one with data missing, one with at-most
//! targets, one error row. Every format `check` writes, chosen as `check` chooses it; the
//! targets' directions and units; points to the next grade; the §6 wording.

mod common;

use std::fs;

use calamine::{open_workbook_auto, Data, Reader};
use serde_json::Value;
use tempfile::TempDir;

use common::{run, ticheck, Run};

const XLSX: &str = "fixtures/evaluation/round-2025.xlsx";
const CSV: &str = "fixtures/evaluation/round-2025.csv";
const TARGETS: &str = "fixtures/evaluation/round-2025-targets.csv";

fn evaluate(args: &[&str]) -> Run {
    run(ticheck().arg("evaluate").args(args))
}

/// `row center status grade score acceptance` per result, for one-line comparisons.
fn lines(json: &Value) -> Vec<String> {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let word = |v: &Value| v.as_str().unwrap_or("-").to_string();
            let row = word(&r["source"])
                .rsplit(':')
                .next()
                .unwrap_or_default()
                .to_string();
            format!(
                "{row} {} {} {} {} {}",
                word(&r["center"]),
                word(&r["status"]),
                word(&r["grade"]),
                word(&r["score"]),
                word(&r["acceptance"]["result"]),
            )
        })
        .collect()
}

const EXPECTED: [&str; 8] = [
    "3 云南优秀技术创新中心 graded excellent 100 passed",
    "4 云南良好技术创新中心 graded good 78.7 passed",
    "5 云南整改技术创新中心 graded fair 67.5 not_passed",
    "6 云南较差技术创新中心 graded poor 19.73 -",
    "7 云南退出评估技术创新中心 graded poor 78.7 -",
    "8 云南缺数据技术创新中心 incomplete - - passed",
    "9 云南节能技术创新中心 graded excellent 99.2 passed",
    "10 云南填错技术创新中心 error - - -",
];

#[test]
fn a_workbook_round_is_one_result_per_row_in_order() {
    let result = evaluate(&[XLSX, "--format", "json"]);
    assert_eq!(result.code, 2, "an error row makes the run exit 2");
    let json = result.json();
    assert_eq!(lines(&json), EXPECTED);
    let summary = serde_json::json!({"excellent": 2, "good": 1, "fair": 1, "poor": 2,
                                      "incomplete": 1, "error": 1});
    assert_eq!(json["summary"], summary);
    // The error row: its row, column and value; the others still evaluated.
    assert!(
        result
            .stderr
            .contains("round-2025.xlsx:10, column J 授权发明专利（件）: indicators.invention_patents: '约12' is not a number"),
        "{}",
        result.stderr
    );
    // The instructions sheet passed over, title row, 序号/备注 ignored, the 合计 row skipped.
    for said in [
        "read the worksheet '评估数据', header on row 2",
        "round-2025.xlsx（评估数据）: columns not read (no evaluation field): 序号, 备注",
        "totals rows skipped, not evaluated as centers: row 11 (合计)",
    ] {
        assert!(result.stderr.contains(said), "{said}\n{}", result.stderr);
    }
    // The same notes stand in the JSON, for the agency's files.
    let notes = json["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n.as_str().unwrap().contains("totals rows skipped")));
    // A placeholder is missing data, named by the sheet's own header.
    assert_eq!(
        json["results"][5]["missing"],
        serde_json::json!(["突破核心关键技术（项）"])
    );
}

#[test]
fn the_gb18030_csv_round_with_a_targets_file_reads_the_same() {
    let bytes = fs::read(common::root().join(CSV)).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is GB18030"
    );
    let result = evaluate(&[CSV, "--targets", TARGETS, "--format", "json"]);
    assert_eq!(result.code, 2);
    assert_eq!(lines(&result.json()), EXPECTED);
    // Without the targets, no acceptance is estimated.
    let bare = evaluate(&[CSV, "--format", "json"]);
    assert!(bare.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["acceptance"].is_null()));
}

#[test]
fn targets_have_directions_and_count_units_compare_as_one() {
    let json = evaluate(&[XLSX, "--format", "json"]).json();
    let targets = &json["results"][6]["acceptance"]["targets"];
    // Keyed by the center's USCC in the name column.
    let brief: Vec<String> = targets
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{} {} {} {}",
                t["name"].as_str().unwrap(),
                t["direction"].as_str().unwrap(),
                t["required"].as_str().unwrap(),
                t["met"]
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            "单位产品综合能耗 at_most ≤ 0.8吨标煤/吨 true",
            "资产负债率 at_most ≤ 60% true",
            "授权发明专利 at_least ≥ 10个 true",
        ]
    );
    assert_eq!(targets[2]["achieved_unit"], "件");
    assert_eq!(
        targets[1]["location"]["column"], "建设任务书指标!B 指标",
        "a target's cell names its worksheet"
    );
}

/// At most: below, at and above the bound; a unit that is not the target's is an error; a
/// range is refused.
#[test]
fn at_most_targets_below_at_and_above_and_units_and_ranges() {
    let dir = TempDir::new().unwrap();
    let center = "[center]\nname = \"x\"\ncycle_from = 2022\ncycle_to = 2024\n";
    let case = |target: &str, achieved: &str| {
        let path = dir.path().join("t.toml");
        fs::write(
            &path,
            format!("{center}[[target]]\nname = \"资产负债率\"\ntarget = \"{target}\"\nachieved = \"{achieved}\"\n"),
        )
        .unwrap();
        run(ticheck().args(["evaluate", "--format", "json"]).arg(&path))
    };
    let met = |target: &str, achieved: &str| {
        case(target, achieved).json()["results"][0]["acceptance"]["targets"][0]["met"].clone()
    };
    assert_eq!(met("不高于60%", "59.9%"), Value::Bool(true));
    assert_eq!(met("不高于60%", "60%"), Value::Bool(true));
    assert_eq!(met("不高于60%", "60.1%"), Value::Bool(false));
    assert_eq!(met("低于60%", "60%"), Value::Bool(false), "低于 excludes");
    assert_eq!(met("≥10项", "10件"), Value::Bool(true));
    assert_eq!(met("10项", "9个"), Value::Bool(false));
    let wrong_unit = case("10家", "12项");
    assert_eq!(wrong_unit.code, 2);
    assert!(
        wrong_unit
            .stderr
            .contains("the achieved value is in '项' but the target in '家'"),
        "{}",
        wrong_unit.stderr
    );
    let range = case("50%–60%", "55%");
    assert_eq!(range.code, 2);
    assert!(range.stderr.contains("is a range"), "{}", range.stderr);
}

#[test]
fn points_to_the_next_grade_name_the_cheapest_indicators() {
    let json = evaluate(&[XLSX, "--format", "json"]).json();
    let fair = &json["results"][2]["next_grade"];
    assert_eq!(fair["grade"], "good");
    assert_eq!(fair["short_by"], "2.5", "67.5 lacks 2.5 for 良 ≥ 70");
    assert_eq!(fair["combined"], false);
    assert_eq!(fair["routes"][0]["metric"], "indicators.key_technologies");
    assert_eq!(fair["routes"][0]["to"], "3");
    assert_eq!(fair["routes"][0]["points"], "2.6");
    assert!(json["results"][0]["next_grade"].is_null(), "优 has none");
    assert!(
        json["results"][4]["next_grade"].is_null(),
        "a vetoed center has none: the veto decides"
    );
    let zh = evaluate(&["--lang", "zh", XLSX]);
    assert!(zh.stdout.contains("距“良”差"), "{}", zh.stdout);
}

/// SPEC §6's wording: the acceptance an estimate for the panel; a center that quit told that
/// consequence alone; the vetoes' citations.
#[test]
fn the_wording_of_section_6() {
    let json = evaluate(&[XLSX, "--format", "json", "--lang", "zh"]).json();
    let quit = &json["results"][4];
    assert_eq!(quit["vetoed_by"], serde_json::json!(["skipped"]));
    assert_eq!(quit["consequence"]["citation"], "第二十六条第（三）项");
    assert_eq!(quit["acceptance"]["status"], "not_assessed");
    assert!(quit["acceptance"]["consequence"].is_null());
    let passed = &json["results"][0]["acceptance"];
    assert_eq!(passed["status"], "estimated");
    assert!(passed["basis"]
        .as_str()
        .unwrap()
        .contains("按合同指标估计；考核评估结论由省科技厅组织的专家作出（第二十三条）"));

    let markdown = evaluate(&[XLSX, "--format", "markdown", "--lang", "zh"]).stdout;
    assert!(markdown.contains("不作估计：该中心视为自动放弃创新中心资格（第二十六条第（三）项）"));
    assert!(!markdown.contains(
        "纳入创新中心系列管理。\n  - ✓ 授权发明专利：目标 ≥ 10件 / 完成 12件\n\n## 云南缺数据"
    ));
    let quit_section = markdown
        .split("## 云南退出评估技术创新中心")
        .nth(1)
        .unwrap()
        .split("## ")
        .next()
        .unwrap();
    assert!(
        !quit_section.contains("纳入创新中心系列管理"),
        "a center that quit is not told it joins the series:\n{quit_section}"
    );
    assert!(quit_section.contains("第二十六条第（三）项"));
}

/// `--format`, or `--output`'s extension, exactly as `check` chooses.
#[test]
fn the_output_format_follows_the_extension_as_check_does() {
    let dir = TempDir::new().unwrap();
    let out = |name: &str| dir.path().join(name);
    for (name, starts) in [
        ("e.json", "{"),
        ("e.csv", "\u{FEFF}来源,中心名称,评估周期,总分,等级"),
        ("e.md", "# 云南省技术创新中心绩效评估默认评分细则"),
        (
            "e.txt",
            "云南省技术创新中心绩效评估默认评分细则（yunnan-2022-default）",
        ),
    ] {
        let result = run(ticheck()
            .args(["evaluate", XLSX, "--lang", "zh", "-o"])
            .arg(out(name)));
        assert_eq!(result.code, 2, "{name}: {}", result.stderr);
        let text = fs::read_to_string(out(name)).unwrap();
        assert!(
            text.starts_with(starts),
            "{name}: {}",
            &text[..80.min(text.len())]
        );
    }
    // --format wins over the extension.
    run(ticheck()
        .args(["evaluate", XLSX, "--format", "json", "-o"])
        .arg(out("e.md")));
    assert!(fs::read_to_string(out("e.md")).unwrap().starts_with('{'));
    // A workbook is a workbook: not with another --format.
    let refused = run(ticheck()
        .args(["evaluate", XLSX, "--format", "json", "-o"])
        .arg(out("x.xlsx")));
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("drop --format"),
        "{}",
        refused.stderr
    );
    assert!(!out("x.xlsx").exists());
    // The CSV in GB18030 when asked.
    run(ticheck()
        .args([
            "evaluate",
            XLSX,
            "--lang",
            "zh",
            "--output-encoding",
            "gb18030",
            "-o",
        ])
        .arg(out("g.csv")));
    let bytes = fs::read(out("g.csv")).unwrap();
    let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad && text.starts_with("来源,中心名称"));
    // The input is never overwritten.
    let same = evaluate(&[XLSX, "-o", XLSX]);
    assert_eq!(same.code, 2);
    assert!(same.stderr.contains("is also an input"));
}

#[test]
fn the_results_workbook_reads_back() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("结果.xlsx");
    let result = run(ticheck()
        .args(["evaluate", XLSX, "--lang", "zh", "-o"])
        .arg(&path));
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(result.stdout.is_empty());
    let mut book = open_workbook_auto(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["汇总", "指标", "运行管理", "合同指标", "说明"]
    );
    let summary = book.worksheet_range("汇总").unwrap();
    let cell =
        |row: usize, column: usize| summary.get((row, column)).cloned().unwrap_or(Data::Empty);
    let text = |row, column| match cell(row, column) {
        Data::String(text) => text,
        other => format!("{other:?}"),
    };
    assert_eq!(text(0, 3), "总分");
    assert_eq!(text(1, 1), "云南优秀技术创新中心");
    assert_eq!(text(1, 6), "优（excellent）");
    assert!(text(1, 7).contains("第二十六条第（一）项"));
    assert_eq!(text(3, 6), "中（fair）");
    assert!(text(3, 10).contains("授权发明专利：目标 ≥ 15件 / 完成 12件"));
    assert!(text(3, 11).contains("距“良”"));
    // The score range of the incomplete center, as numbers.
    assert_eq!(cell(6, 4), Data::Float(68.3));
    assert_eq!(cell(6, 5), Data::Float(81.3));
    assert!(text(6, 6).starts_with("无法判定"));
    // The error row says why.
    assert!(text(8, 15).contains("“约12”不是数字"), "{}", text(8, 15));
    // The indicator sheet: value, band and points per indicator.
    let indicators = book.worksheet_range("指标").unwrap();
    let patents = indicators
        .rows()
        .find(|row| {
            row.get(1) == Some(&Data::String("云南良好技术创新中心".into()))
                && row.get(4) == Some(&Data::String("indicators.invention_patents".into()))
        })
        .unwrap();
    assert_eq!(
        &patents[5..10],
        [
            Data::Float(12.0),
            Data::Float(0.0),
            Data::Float(15.0),
            Data::Float(9.6),
            Data::Float(12.0)
        ]
    );
    let governance = book.worksheet_range("运行管理").unwrap();
    assert!(governance.rows().any(|row| {
        row.get(1) == Some(&Data::String("云南整改技术创新中心".into()))
            && row.get(2) == Some(&Data::String("第二十一条".into()))
            && row.get(6) == Some(&Data::String("不符合 fail".into()))
    }));
    let notes = book.worksheet_range("说明").unwrap();
    let all: Vec<String> = notes.rows().map(|row| format!("{:?}", row[0])).collect();
    assert!(
        all.iter()
            .any(|line| line.contains("优 2，良 1，中 1，差 2，无法判定 1，档案无效 1")),
        "{all:?}"
    );
}

#[test]
fn the_round_table_at_80_columns() {
    let result = run(ticheck()
        .env("COLUMNS", "80")
        .args(["evaluate", XLSX, "--lang", "zh"]));
    assert_eq!(result.code, 2);
    for line in result
        .stdout
        .lines()
        .filter(|l| l.starts_with('│') || l.starts_with('┌'))
    {
        assert!(
            unicode_width(line) <= 80,
            "{line} is {} wide",
            unicode_width(line)
        );
    }
    for expected in [
        "来源：fixtures/evaluation/round-2025.xlsx",
        "合计：优 2，良 1，中 1，差 2，无法判定 1，无法读取 1",
        "优/良：在下一个评估周期内以项目形式给予支持",
        "未参加或中途退出评估：按要求应参加评估而不参加评估或中途退出评估的",
        "全轮失分最多的指标",
        "承担国家重大科技任务：共失 42 分（5 个中心，权重 12）",
    ] {
        assert!(
            result.stdout.contains(expected),
            "{expected}\n{}",
            result.stdout
        );
    }
    // The error is told once, on standard error; the table points there.
    assert_eq!(result.stderr.matches("“约12”不是数字").count(), 1);
    assert!(!result.stdout.contains("“约12”不是数字"));
    assert!(result.stdout.contains("1 处错误，见上方诊断信息"));
}

/// Display width as tests/table_width.rs measures it: CJK characters take two columns.
fn unicode_width(line: &str) -> usize {
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

/// 第二十一条: a sheet's row with more annual reports than its cycle has years is an error at
/// its cell; the invalid profile's report claims no missing cycle.
#[test]
fn annual_reports_above_the_cycles_years_are_an_error_at_the_cell() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("r.csv");
    fs::write(
        &path,
        "中心名称,评估周期起始年,评估周期截止年,授权发明专利,已备案年度报告（年数）\n\
         甲中心,2019,2024,12,9\n乙中心,2022,2024,12,3\n",
    )
    .unwrap();
    let result = run(ticheck()
        .args(["evaluate", "--lang", "zh", "--detail"])
        .arg(&path));
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains(
            "r.csv:2，“E 已备案年度报告（年数）”列: governance.annual_reports: 填写了 9 年的年度报告，但评估周期 2019–2024 只有 6 年"
        ),
        "{}",
        result.stderr
    );
    assert!(
        !result.stdout.contains("评估周期：未填写"),
        "{}",
        result.stdout
    );
    assert!(result.stdout.contains("甲中心（"), "{}", result.stdout);
}

#[test]
fn schema_evaluation_describes_the_evaluation_profile() {
    let result = run(ticheck().args(["schema", "--evaluation"]));
    assert_eq!(result.code, 0);
    let schema = result.json();
    let properties = &schema["properties"];
    for section in ["center", "indicators", "conduct", "governance", "target"] {
        assert!(properties[section].is_object(), "{section}");
    }
    assert_eq!(
        properties["target"]["items"]["properties"]["direction"]["enum"][0],
        "at_least"
    );
    assert!(properties["indicators"]["properties"]["invention_patents"].is_object());
    assert_eq!(properties["indicators"]["additionalProperties"], false);
    assert!(
        run(ticheck().arg("schema")).json()["properties"]["applicant"].is_object(),
        "the applicant's schema is unchanged"
    );
}

/// The sheet template's every column is read back: its header with one filled row evaluates;
/// untouched, it is no round (SPEC §4: templates never pass).
#[test]
fn the_sheet_template_reads_back() {
    let dir = TempDir::new().unwrap();
    let template = dir.path().join("模板.xlsx");
    let written = run(ticheck()
        .args(["init", "--evaluation", "--sheet"])
        .arg(&template));
    assert_eq!(written.code, 0, "{}", written.stderr);
    let untouched = run(ticheck()
        .args(["evaluate", "--format", "json"])
        .arg(&template));
    assert_eq!(untouched.code, 2);
    assert!(
        untouched.stderr.contains("a header but no data rows"),
        "{}",
        untouched.stderr
    );

    let mut book = open_workbook_auto(&template).unwrap();
    let header: Vec<String> = book
        .worksheet_range("评估数据")
        .unwrap()
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|cell| cell.to_string())
        .collect();
    let value = |header: &str| match header {
        "中心名称" => "模板中心",
        "统一社会信用代码" => "91530100MA6K3L7P2D",
        "建设主体类型" => "企业",
        "评估周期起始年" => "2022",
        "评估周期截止年" => "2024",
        "科研失信行为" | "重大安全事故" | "未参加或中途退出评估" => "否",
        "中心主任为全职人员" | "设立理事会/董事会" | "设立专家委员会" => {
            "是"
        }
        "已备案年度报告（年数）" => "3",
        "省级财政经费" => "500",
        "配套资金到位" => "1500",
        _ => "100000",
    };
    let row: Vec<&str> = header.iter().map(|h| value(h)).collect();
    let sheet = dir.path().join("filled.csv");
    fs::write(&sheet, format!("{}\n{}\n", header.join(","), row.join(","))).unwrap();
    let targets_header: Vec<String> = book
        .worksheet_range("建设任务书指标")
        .unwrap()
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|cell| cell.to_string())
        .collect();
    assert_eq!(
        targets_header,
        ["中心名称", "指标", "目标值", "完成值", "方向"]
    );
    let targets = dir.path().join("targets.csv");
    fs::write(
        &targets,
        format!(
            "{}\n91530100MA6K3L7P2D,资产负债率,60%,61%,不高于\n",
            targets_header.join(",")
        ),
    )
    .unwrap();
    let result = run(ticheck()
        .args(["evaluate", "--format", "json"])
        .arg(&sheet)
        .arg("--targets")
        .arg(&targets));
    assert_eq!(result.code, 1, "{}", result.stderr);
    let center = &result.json()["results"][0];
    assert_eq!(center["grade"], "excellent");
    assert_eq!(center["score"], "100");
    assert_eq!(center["acceptance"]["result"], "not_passed", "61% > 60%");
}

/// The same center on two rows is a warning on both (SPEC §7), in every format.
#[test]
fn the_same_center_twice_is_a_warning_on_both_rows() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("r.csv");
    fs::write(
        &path,
        "中心名称,授权发明专利,突破核心关键技术\n甲中心,12,4\n乙中心,3,1\n甲 中心,12,4\n",
    )
    .unwrap();
    let json = run(ticheck().args(["evaluate", "--format", "json"]).arg(&path)).json();
    let warning = |i: usize| {
        json["results"][i]["warnings"][0]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        warning(0).contains("the same center as row 4 (same name)"),
        "{}",
        warning(0)
    );
    assert!(
        warning(2).contains("the same center as row 2"),
        "{}",
        warning(2)
    );
    assert_eq!(json["results"][1]["warnings"], serde_json::json!([]));
    let table = run(ticheck().args(["evaluate", "--lang", "zh"]).arg(&path));
    assert!(
        table.stdout.contains("与第 4 行是同一中心（名称相同）"),
        "{}",
        table.stdout
    );
}

/// SARIF, JUnit and GitHub annotations as `check` writes them (SPEC §6: every format), chosen
/// by `--format` or by `.sarif`/`.xml`.
#[test]
fn sarif_junit_and_github_annotations() {
    let dir = TempDir::new().unwrap();
    let sarif_path = dir.path().join("e.sarif");
    let result = run(ticheck().args(["evaluate", XLSX, "-o"]).arg(&sarif_path));
    assert_eq!(result.code, 2);
    let sarif: Value = serde_json::from_str(&fs::read_to_string(&sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let brief: Vec<String> = results
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["level"].as_str().unwrap(),
                r["ruleId"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            "5 warning evaluation/grade",
            "5 warning A23.acceptance",
            "5 note A21.annual-reports",
            "6 error evaluation/grade",
            "6 note A15.board",
            "7 error evaluation/grade",
            "8 warning evaluation/grade",
            "10 error ticheck/invalid-profile",
        ],
        "优 and 良 with the acceptance passed are no finding"
    );
    let junit_path = dir.path().join("e.xml");
    run(ticheck().args(["evaluate", XLSX, "-o"]).arg(&junit_path));
    let junit = fs::read_to_string(&junit_path).unwrap();
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert!(junit.contains("failures=\"7\" errors=\"1\""), "{junit}");
    let github = evaluate(&[XLSX, "--format", "github", "--lang", "zh"]).stdout;
    assert!(github.contains(
        "::error file=fixtures/evaluation/round-2025.xlsx,line=7,title=evaluation/grade::云南退出评估技术创新中心：等级 差（poor）"
    ), "{github}");
}

/// The CSV read back as Excel reads it: one row per center in order, the grade, the missed
/// target, the points to the next grade and the error row's reason; the indicators' points.
#[test]
fn the_csv_reads_back_one_row_per_center() {
    let result = evaluate(&[XLSX, "--format", "csv", "--lang", "zh"]);
    assert!(result.stdout.starts_with('\u{FEFF}'));
    let (header, rows) = common::csv_rows(&result.stdout);
    assert_eq!(rows.len(), 8);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let grades: Vec<&str> = rows.iter().map(|r| r[column("等级")].as_str()).collect();
    assert_eq!(
        grades,
        [
            "优（excellent）",
            "良（good）",
            "中（fair）",
            "差（poor）",
            "差（poor）",
            "无法判定，可能为 良（good）、中（fair）",
            "优（excellent）",
            "档案无效，未评估",
        ]
    );
    assert_eq!(
        rows[2][column("未达到的合同指标")],
        "授权发明专利：目标 ≥ 15件 / 完成 12件"
    );
    assert!(rows[2][column("距上一等级")].starts_with("距“良”（≥ 70 分）还差 ≈2.5 分"));
    assert!(rows[4][column("一票否决")].contains("第二十六条第（三）项"));
    assert!(rows[7][column("错误")].contains("“约12”不是数字"));
    assert_eq!(rows[1][column("授权发明专利（得分）")], "9.6");
    assert_eq!(
        rows[7][column("授权发明专利（得分）")],
        "",
        "no scores for an error row"
    );
    assert_eq!(rows[7].len(), header.len(), "every row has every column");
}

/// A target's problem names the targets' file, row and column, never a cell of the center's
/// row (the two row numbers may coincide).
#[test]
fn a_targets_problem_names_its_own_file_row_and_column() {
    let dir = TempDir::new().unwrap();
    let sheet = dir.path().join("s.csv");
    let targets = dir.path().join("t.csv");
    fs::write(&sheet, "中心名称,授权发明专利\n甲中心,12\n").unwrap();
    fs::write(
        &targets,
        "中心名称,指标,目标值,完成值\n甲中心,专利,10家,12项\n甲中心,收入,50%-60%,55%\n",
    )
    .unwrap();
    let result =
        run(ticheck()
            .current_dir(dir.path())
            .args(["evaluate", "s.csv", "--targets", "t.csv"]));
    assert_eq!(result.code, 2);
    for expected in [
        "s.csv:2: target[1].achieved: contract target at row 2, column t.csv!D 完成值: the achieved value is in '项' but the target in '家': they cannot be compared",
        "s.csv:2: target[2].target: contract target at row 3, column t.csv!C 目标值: '50%-60%' is a range",
    ] {
        assert!(result.stderr.contains(expected), "{expected}\n{}", result.stderr);
    }
}

/// SPEC §2 "Plausibility" for the evaluation too (the value named by the sheet's own header, SPEC
/// §5): an amount in 元 typed in a 万元 column earns
/// full marks as written, with a warning naming the likely reading; at the bound, none.
#[test]
fn an_implausible_amount_is_judged_as_written_with_a_warning() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("p.csv");
    fs::write(
        &path,
        "中心名称,周期研发投入,授权发明专利\n甲中心,36000000,12\n乙中心,1000000,12\n",
    )
    .unwrap();
    let json = run(ticheck().args(["evaluate", "--format", "json"]).arg(&path)).json();
    let warnings = &json["results"][0]["warnings"];
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("周期研发投入 = 36000000 万元, that is 3600 亿元"),
        "{warnings}"
    );
    assert_eq!(json["results"][0]["indicators"][5]["points"], "7");
    assert_eq!(
        json["results"][1]["warnings"],
        serde_json::json!([]),
        "at the bound"
    );
}
