//! Writes a deterministic synthetic sheet of candidates, every column filled, for `make bench`.
//!
//! `cargo run --release --example gen_candidates -- ROWS > big.csv`
//!
//! The values vary with the row number (a fixed linear congruential sequence, no randomness),
//! so that every verdict and both branches of most clauses occur, and two runs give the same
//! bytes.

use std::io::{self, BufWriter, Write};

const HEADER: &[&str] = &[
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

const KINDS: &[&str] = &["企业", "企业", "企业", "高校", "科研院所", "技术机构"];
const PLACES: &[(&str, &str)] = &[
    ("530100", "昆明市"),
    ("530300", "曲靖市"),
    ("530400", "玉溪市"),
    ("532500", "红河州"),
    ("532900", "大理州"),
];
const FIELDS: &[&str] = &[
    "有色金属",
    "生物医药",
    "先进制造",
    "绿色食品",
    "新材料",
    "旅游服务",
];
const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A valid unified social credit code (GB 32100-2015) for a division and a serial number.
fn uscc(division: &str, serial: u64) -> String {
    let mut code = format!("91{division}MA{:07}", serial % 10_000_000).into_bytes();
    code.truncate(17);
    let weights = [
        1u32, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let sum: u32 = code
        .iter()
        .zip(weights)
        .map(|(c, w)| CHARSET.iter().position(|x| x == c).unwrap_or(0) as u32 * w)
        .sum();
    code.push(CHARSET[((31 - sum % 31) % 31) as usize]);
    String::from_utf8(code).unwrap_or_default()
}

fn main() -> io::Result<()> {
    let rows: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    writeln!(out, "{}", HEADER.join(","))?;
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |modulus: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % modulus
    };
    for row in 0..rows {
        let kind = KINDS[next(KINDS.len() as u64) as usize];
        let (division, place) = PLACES[next(PLACES.len() as u64) as usize];
        let fixed = 80 + next(80);
        let qualified = fixed / 2 - 5 + next(15);
        let assets = 20_000 + next(60_000);
        let liabilities = assets * (40 + next(35)) / 100;
        let yes = |n: u64| if n == 0 { "否" } else { "是" };
        writeln!(
            out,
            "云南候选单位{row:07},{},{kind},{place},领域类,{},2024-03-{:02},是,{},{},{},{},{},{},{}.{}%,{assets},{liabilities},{fixed},{qualified},{},{}万元,{},{},{},{},{},{},{},{},{},是,{},{}",
            uscc(division, row),
            FIELDS[next(FIELDS.len() as u64) as usize],
            1 + next(28),
            yes(next(20)),
            yes(next(20)),
            yes(next(20)),
            yes(next(20)),
            yes(next(5)),
            next(5),
            45 + next(30),
            next(10),
            1400 + next(800),
            1900 + next(900),
            900 + next(600),
            900 + next(600),
            next(3),
            next(6),
            next(4),
            next(5),
            next(20),
            3 + next(5),
            4500 + next(2000),
            next(1000),
            400 + next(1500),
        )?;
    }
    out.flush()
}
