//! Writes bureau sheets the way people make them in Excel or WPS (SPEC §7): a title above the
//! header, 序号 and 备注 columns, units in the headers, placeholders, an empty row, a 合计 row,
//! the same applicant twice, and in a workbook a 填表说明 sheet first, a merged title cell and
//! data cells merged down a column (单位类型, 所在州市).
//!
//! `cargo run --example gen_messy` writes `fixtures/batch/messy.csv` (GB18030, as Excel on
//! Chinese Windows saves it) and `fixtures/batch/messy.xlsx`, the same rows.
//!
//! `cargo run --release --example gen_messy -- xlsx IN.csv OUT.xlsx` writes the rows of a CSV
//! sheet (`gen_candidates`'s) as such a workbook, streamed (shared strings, as Excel writes
//! them), to measure a big workbook's memory; `xlsx-plain` writes them alone, the header in
//! the first row of the first sheet; `xlsx-merged` as `xlsx`, with 所在州市 merged down over
//! every four rows (a merged range per four rows, to measure reading merged cells).

use std::error::Error;
use std::io::{BufRead, BufReader};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

const TITLE: &str = "2025年度云南省技术创新中心申报汇总表";

const HEADER: &[&str] = &[
    "序号",
    "单位名称",
    "统一社会信用代码",
    "单位类型",
    "所在州市",
    "申报日期",
    "在云南省境内注册",
    "行业龙头企业",
    "相对独立研发机构",
    "经营状况良好",
    "配套保障",
    "省内共建企业数",
    "资产负债率（%）",
    "固定人员（人）",
    "中高级职称或硕士以上人员",
    "研发场地面积（m²）",
    "仪器设备原值【元】",
    "2022年度研发经费（万元）",
    "2023年研发投入",
    "国家级项目",
    "省级项目",
    "行业标准",
    "I类知识产权",
    "II类知识产权",
    "成果转化数",
    "直接经济效益（万元）",
    "地方支持承诺",
    "前期投入（万元）",
    "配套资金(万元)",
    "备注",
];

/// Rows 3 to 9 of the sheet (row 1 is the title, row 2 the header).
const ROWS: &[&[&str]] = &[
    &[
        "1",
        "云南滇铜新材料科技有限公司",
        "91530100MA6K3L7P2D",
        "企业",
        "昆明市",
        "2024-03-15",
        "是",
        "是",
        "是",
        "是",
        "是",
        "/",
        "58.2",
        "128",
        "70",
        "1800",
        "23500000",
        "1250",
        "1320",
        "1",
        "2",
        "2",
        "3",
        "10",
        "6",
        "5600",
        "是",
        "800",
        "1500",
        "",
    ],
    &[
        "2",
        "云南红土机械制造有限公司",
        "91532500MA6N8Q1X4G",
        "企业",
        "红河州",
        "2024-05-20",
        "是",
        "是",
        "是",
        "是",
        "是",
        "—",
        "70",
        "112",
        "61",
        "1450",
        "21000000",
        "980",
        "1150",
        "0",
        "4",
        "3",
        "5",
        "20",
        "7",
        "6200",
        "是",
        "300",
        "1000",
        "场地扩建中",
    ],
    &[],
    &[
        "3",
        "云南农林科技大学",
        "",
        "高校",
        "昆明市",
        "2024-03-01",
        "是",
        "/",
        "/",
        "/",
        "是",
        "3",
        "-",
        "156",
        "131",
        "3200",
        "48600000",
        "1680",
        "1745",
        "2",
        "5",
        "2",
        "18",
        "9",
        "5",
        "5,000",
        "是",
        "1200",
        "800",
        "",
    ],
    &[
        "4",
        "云南省生态环境科学研究院",
        "",
        "科研院所",
        "昆明市",
        "2024-10-08",
        "是",
        "无",
        "未填",
        "N/A",
        "是",
        "2",
        "－",
        "104",
        "88",
        "2100",
        "30000000",
        "暂无",
        "1100",
        "1",
        "",
        "4",
        "",
        "14",
        "",
        "",
        "是",
        "500",
        "",
        "",
    ],
    &[
        "5",
        "云南滇铜新材料科技有限公司",
        "91530100MA6K3L7P2D",
        "企业",
        "昆明市",
        "2024-03-15",
        "是",
        "是",
        "是",
        "是",
        "是",
        "/",
        "58.2",
        "128",
        "70",
        "1800",
        "23500000",
        "1250",
        "1320",
        "1",
        "2",
        "2",
        "3",
        "10",
        "6",
        "5600",
        "是",
        "800",
        "1500",
        "重复报送",
    ],
    &[
        "合计",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "5",
        "",
        "628",
        "420",
        "10350",
        "146600000",
        "6160",
        "6635",
        "5",
        "15",
        "13",
        "29",
        "63",
        "24",
        "22400",
        "",
        "3600",
        "4800",
        "",
    ],
];

/// Ranges merged down in the workbook: first and last row as the sheet numbers them, column.
const MERGED: &[(u32, u32, u16)] = &[(3, 4, 3), (6, 8, 4)];

/// The instructions sheet: a title, notes, and a table of columns and what to write in them.
const INSTRUCTIONS: &[&[&str]] = &[
    &["填表说明"],
    &["1. 每个申报单位填写一行；无数据的单元格可留空或填“/”。"],
    &["2. 金额、面积的单位以列名括号内为准；未注明的金额以万元计。"],
    &[],
    &["列名", "填写要求"],
    &["单位名称", "与营业执照一致的全称"],
    &["统一社会信用代码", "18 位，企业必填"],
    &["单位类型", "企业、高校、科研院所或技术机构"],
    &["资产负债率（%）", "申报前一年度"],
];

/// `/`, `—` and words stay text; the rest of a numeric column is written as a number.
fn number(text: &str) -> Option<f64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    text.parse().ok()
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[&str],
    percent: Option<(u16, &Format)>,
) -> Result<(), Box<dyn Error>> {
    for (column, text) in cells.iter().enumerate() {
        let column = column as u16;
        if text.is_empty() {
            continue;
        }
        // The ID-like and date columns stay text, as a bureau types them.
        let keep_text = matches!(column, 2 | 5);
        match (number(text), percent) {
            (Some(value), Some((at, format))) if at == column => {
                sheet.write_number_with_format(row, column, value / 100.0, format)?;
            }
            (Some(value), _) if !keep_text => {
                sheet.write_number(row, column, value)?;
            }
            _ => {
                sheet.write_string(row, column, *text)?;
            }
        }
    }
    Ok(())
}

fn instructions(workbook: &mut Workbook) -> Result<(), Box<dyn Error>> {
    let sheet = workbook.add_worksheet();
    sheet.set_name("填表说明")?;
    for (row, cells) in INSTRUCTIONS.iter().enumerate() {
        for (column, text) in cells.iter().enumerate() {
            sheet.write_string(row as u32, column as u16, *text)?;
        }
    }
    Ok(())
}

fn fixtures() -> Result<(), Box<dyn Error>> {
    // The CSV, as Excel on Chinese Windows saves it: GB18030, the title in the first cell.
    let mut text = String::new();
    let width = HEADER.len();
    let line = |cells: &[&str]| {
        let mut cells: Vec<String> = cells
            .iter()
            .map(|cell| {
                if cell.contains(',') {
                    format!("\"{cell}\"")
                } else {
                    (*cell).to_string()
                }
            })
            .collect();
        cells.resize(width, String::new());
        cells.join(",") + "\r\n"
    };
    text.push_str(&line(&[TITLE]));
    text.push_str(&line(HEADER));
    for row in ROWS {
        text.push_str(&line(row));
    }
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    std::fs::write("fixtures/batch/messy.csv", bytes)?;

    // The workbook: 填表说明 first, then the sheet with a merged title cell. Row 4's debt
    // ratio is a fraction formatted as a percentage (Excel shows 70%), the others are numbers
    // under the header's %.
    let mut workbook = Workbook::new();
    // A fixed creation date, so that the same rows give the same bytes.
    let created = ExcelDateTime::from_ymd(2025, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    instructions(&mut workbook)?;
    let sheet = workbook.add_worksheet();
    sheet.set_name("申报汇总")?;
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, width as u16 - 1, TITLE, &title)?;
    for (column, name) in HEADER.iter().enumerate() {
        sheet.write_string(1, column as u16, *name)?;
    }
    let percent = Format::new().set_num_format("0%");
    for (index, row) in ROWS.iter().enumerate() {
        let number = index as u32 + 2;
        let percent = (number == 3).then_some((12, &percent));
        write_row(sheet, number, row, percent)?;
    }
    // Cells that share a value merged down, as bureaus do: 单位类型 企业 over rows 3–4 and
    // 所在州市 昆明市 over rows 6–8 (the CSV repeats the value in each row). Excel keeps the
    // value in the top-left cell only.
    let centred = Format::new().set_align(FormatAlign::VerticalCenter);
    for (first, last, column) in MERGED {
        let value = ROWS[*first as usize - 3][*column as usize];
        sheet.merge_range(*first - 1, *column, *last - 1, *column, value, &centred)?;
    }
    workbook.save("fixtures/batch/messy.xlsx")?;
    Ok(())
}

/// A CSV sheet as a bureau's workbook, streamed: 填表说明, then a title row above the header;
/// or `plain`, the rows alone. With `merge_every`, 所在州市 is merged down over each block of
/// that many rows, holding the block's first value (the other rows' values are dropped: a
/// stress case for reading merged cells, not the same data).
fn big(
    input: &str,
    output: &str,
    plain: bool,
    merge_every: Option<u32>,
) -> Result<(), Box<dyn Error>> {
    let mut workbook = Workbook::new();
    if !plain {
        instructions(&mut workbook)?;
    }
    let sheet = workbook.add_worksheet_with_low_memory()?;
    sheet.set_name("申报汇总")?;
    if !plain {
        sheet.write_string(0, 0, TITLE)?;
    }
    let reader = BufReader::new(std::fs::File::open(input)?);
    let mut merged_column = None;
    let plain_format = Format::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line?;
        let mut cells: Vec<&str> = line.trim_start_matches('\u{FEFF}').split(',').collect();
        let row = index as u32 + u32::from(!plain);
        if index == 0 {
            merged_column = cells.iter().position(|cell| *cell == "所在州市");
        }
        match (merge_every, merged_column) {
            (Some(every), Some(column)) if index > 0 => {
                if (index as u32 - 1) % every == 0 {
                    // Written ahead: the rows below fill in the rest of their cells.
                    let value = cells[column];
                    sheet.merge_range(
                        row,
                        column as u16,
                        row + every - 1,
                        column as u16,
                        value,
                        &plain_format,
                    )?;
                }
                cells[column] = "";
            }
            _ => {}
        }
        write_row(sheet, row, &cells, None)?;
    }
    workbook.save(output)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => fixtures(),
        [mode, input, output] if mode == "xlsx" => big(input, output, false, None),
        [mode, input, output] if mode == "xlsx-plain" => big(input, output, true, None),
        [mode, input, output] if mode == "xlsx-merged" => big(input, output, false, Some(4)),
        _ => Err("usage: gen_messy | gen_messy xlsx|xlsx-plain|xlsx-merged IN.csv OUT.xlsx".into()),
    }
}
