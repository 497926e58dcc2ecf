//! Writes an evaluating agency's round (SPEC §6, §7; issue 13): eight built centers, one a row,
//! as an agency keeps them — a title above the header, 序号 and 备注 columns, units in the
//! headers, a placeholder, a 合计 row — and the construction contracts' targets, one a row,
//! keyed by the center's name or USCC.
//!
//! The centers: one of each grade (优, 良, 中, 差), one that quit the evaluation (vetoed), one
//! whose data is incomplete, one with at-most targets (energy intensity, debt ratio), and one
//! row with a value that is not a number (an error naming its row and column).
//!
//! `cargo run --example gen_round` writes `fixtures/evaluation/round-2025.xlsx` (a 填表说明
//! sheet, the centers' sheet and the targets' sheet) and the same rows as GB18030 CSV files, as
//! Excel on Chinese Windows saves them: `round-2025.csv` and `round-2025-targets.csv`.

use std::error::Error;

use rust_xlsxwriter::{Format, Workbook};

const TITLE: &str = "2025年度云南省技术创新中心绩效评估汇总表（2022–2024 周期）";

const HEADER: &[&str] = &[
    "序号",
    "中心名称",
    "统一社会信用代码",
    "建设主体类型",
    "评估周期起始年",
    "评估周期截止年",
    "承担国家重大科技任务（项）",
    "承担省重大科技任务（项）",
    "突破核心关键技术（项）",
    "授权发明专利（件）",
    "主持制定国家或行业标准（项）",
    "周期研发投入（万元）",
    "技术服务和技术合同（项）",
    "技术服务与成果转化收入（万元）",
    "孵化科技型企业（家）",
    "培育高新技术企业（家）",
    "作风学风与科研诚信建设活动（次）",
    "科研失信行为",
    "重大安全事故",
    "未参加或中途退出评估",
    "已备案年度报告（年数）",
    "中心主任为全职人员",
    "设立理事会/董事会",
    "设立专家委员会",
    "省级财政经费（万元）",
    "配套资金到位（万元）",
    "备注",
];

/// The centers, in the header's order (序号 first, 备注 last).
const ROWS: &[&[&str]] = &[
    // 优: every indicator at or near full marks.
    &[
        "1",
        "云南优秀技术创新中心",
        "91530100MA6K3L7P2D",
        "企业",
        "2022",
        "2024",
        "2",
        "3",
        "5",
        "15",
        "3",
        "3200",
        "30",
        "1500",
        "5",
        "3",
        "6",
        "否",
        "否",
        "否",
        "3",
        "是",
        "是",
        "是",
        "500",
        "1600",
        "",
    ],
    // 良: 78.7.
    &[
        "2",
        "云南良好技术创新中心",
        "",
        "企业",
        "2022",
        "2024",
        "1",
        "3",
        "4",
        "12",
        "2",
        "3600",
        "26",
        "1280",
        "3",
        "2",
        "6",
        "否",
        "否",
        "否",
        "3",
        "是",
        "是",
        "是",
        "500",
        "1600",
        "",
    ],
    // 中: 67.5, and a contract target missed.
    &[
        "3",
        "云南整改技术创新中心",
        "",
        "企业",
        "2022",
        "2024",
        "0",
        "3",
        "2",
        "12",
        "2",
        "3600",
        "26",
        "1280",
        "3",
        "2",
        "6",
        "否",
        "否",
        "否",
        "2",
        "是",
        "是",
        "是",
        "500",
        "1600",
        "年度报告缺 2024 年",
    ],
    // 差 on the score.
    &[
        "4",
        "云南较差技术创新中心",
        "",
        "高校",
        "2022",
        "2024",
        "0",
        "1",
        "1",
        "4",
        "0",
        "1200",
        "8",
        "300",
        "1",
        "0",
        "2",
        "否",
        "否",
        "否",
        "3",
        "是",
        "否",
        "是",
        "500",
        "500",
        "",
    ],
    // Quit the evaluation: 差 whatever the score, the title given up (第二十六条第（三）项).
    &[
        "5",
        "云南退出评估技术创新中心",
        "",
        "企业",
        "2022",
        "2024",
        "1",
        "3",
        "4",
        "12",
        "2",
        "3600",
        "26",
        "1280",
        "3",
        "2",
        "6",
        "否",
        "否",
        "是",
        "3",
        "是",
        "是",
        "是",
        "500",
        "1600",
        "中途退出评估",
    ],
    // Incomplete: the key technologies not stated (a placeholder).
    &[
        "6",
        "云南缺数据技术创新中心",
        "",
        "科研院所",
        "2022",
        "2024",
        "1",
        "3",
        "/",
        "12",
        "2",
        "3600",
        "26",
        "1280",
        "3",
        "2",
        "6",
        "否",
        "否",
        "否",
        "3",
        "是",
        "是",
        "是",
        "500",
        "500",
        "核心技术数待核实",
    ],
    // At-most targets: energy intensity and debt ratio.
    &[
        "7",
        "云南节能技术创新中心",
        "91530300MA6N8Q2X1R",
        "企业",
        "2022",
        "2024",
        "2",
        "3",
        "5",
        "14",
        "3",
        "0.32亿元",
        "30",
        "1500",
        "5",
        "3",
        "6",
        "否",
        "否",
        "否",
        "3",
        "是",
        "是",
        "是",
        "500",
        "1500",
        "",
    ],
    // An error row: a count that is not a number.
    &[
        "8",
        "云南填错技术创新中心",
        "",
        "企业",
        "2022",
        "2024",
        "1",
        "3",
        "4",
        "约12",
        "2",
        "3600",
        "26",
        "1280",
        "3",
        "2",
        "6",
        "否",
        "否",
        "否",
        "3",
        "是",
        "是",
        "是",
        "500",
        "1600",
        "",
    ],
];

const TARGET_HEADER: &[&str] = &["中心名称", "指标", "目标值", "完成值", "方向", "备注"];

const TARGETS: &[&[&str]] = &[
    &[
        "云南优秀技术创新中心",
        "授权发明专利",
        "12项",
        "15件",
        "",
        "",
    ],
    &[
        "云南优秀技术创新中心",
        "研发投入",
        "3000万元",
        "3200万元",
        "",
        "",
    ],
    &[
        "云南良好技术创新中心",
        "授权发明专利",
        "10件",
        "12件",
        "",
        "",
    ],
    &[
        "云南整改技术创新中心",
        "授权发明专利",
        "15件",
        "12件",
        "",
        "未完成",
    ],
    &[
        "云南整改技术创新中心",
        "研发投入",
        "3000万元",
        "3600万元",
        "",
        "",
    ],
    &[
        "云南退出评估技术创新中心",
        "授权发明专利",
        "10件",
        "12件",
        "",
        "",
    ],
    &[
        "云南缺数据技术创新中心",
        "授权发明专利",
        "10件",
        "12件",
        "",
        "",
    ],
    // By USCC, with the direction in its own column and in the value.
    &[
        "91530300MA6N8Q2X1R",
        "单位产品综合能耗",
        "≤0.8吨标煤/吨",
        "0.72吨标煤/吨",
        "",
        "",
    ],
    &[
        "91530300MA6N8Q2X1R",
        "资产负债率",
        "60%",
        "55%",
        "不高于",
        "",
    ],
    &["91530300MA6N8Q2X1R", "授权发明专利", "10个", "14件", "", ""],
];

fn main() -> Result<(), Box<dyn Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/evaluation");
    // A title row, the header, the centers, a totals row.
    let mut csv = String::new();
    csv.push_str(TITLE);
    csv.push_str(&",".repeat(HEADER.len() - 1));
    csv.push('\n');
    csv.push_str(&HEADER.join(","));
    csv.push('\n');
    for row in ROWS {
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    csv.push_str("合计");
    csv.push_str(&",".repeat(HEADER.len() - 1));
    csv.push('\n');
    let (encoded, _, _) = encoding_rs::GB18030.encode(&csv);
    std::fs::write(dir.join("round-2025.csv"), &encoded)?;
    let mut targets = TARGET_HEADER.join(",");
    targets.push('\n');
    for row in TARGETS {
        targets.push_str(&row.join(","));
        targets.push('\n');
    }
    let (encoded, _, _) = encoding_rs::GB18030.encode(&targets);
    std::fs::write(dir.join("round-2025-targets.csv"), &encoded)?;

    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let notes = workbook.add_worksheet().set_name("填表说明")?;
    notes.write_string(
        0,
        0,
        "每行一个创新中心，指标为 2022–2024 周期累计数；合同指标见“建设任务书指标”表。",
    )?;
    let sheet = workbook.add_worksheet().set_name("评估数据")?;
    sheet.merge_range(0, 0, 0, (HEADER.len() - 1) as u16, TITLE, &bold)?;
    for (column, header) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(1, column as u16, *header, &bold)?;
    }
    for (index, row) in ROWS.iter().enumerate() {
        for (column, cell) in row.iter().enumerate() {
            let (r, c) = (index as u32 + 2, column as u16);
            // Numbers as Excel keeps them; text as typed.
            match cell.parse::<f64>() {
                Ok(number) if column != 2 => sheet.write_number(r, c, number)?,
                _ if cell.is_empty() => sheet,
                _ => sheet.write_string(r, c, *cell)?,
            };
        }
    }
    let totals = ROWS.len() as u32 + 2;
    sheet.write_string(totals, 0, "合计")?;
    let targets_sheet = workbook.add_worksheet().set_name("建设任务书指标")?;
    for (column, header) in TARGET_HEADER.iter().enumerate() {
        targets_sheet.write_string_with_format(0, column as u16, *header, &bold)?;
    }
    for (index, row) in TARGETS.iter().enumerate() {
        for (column, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                targets_sheet.write_string(index as u32 + 1, column as u16, *cell)?;
            }
        }
    }
    workbook.save(dir.join("round-2025.xlsx"))?;
    println!("wrote fixtures/evaluation/round-2025.xlsx, round-2025.csv, round-2025-targets.csv");
    Ok(())
}
