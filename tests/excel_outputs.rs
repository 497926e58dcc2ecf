//! SPEC §7 "Outputs go back to Excel": CSV with a byte-order mark (or GB18030), Chinese headers
//! and verdict words under `--lang zh`; the results workbook with each applicant's USCC,
//! prefecture, open items and gaps; error rows with their reason in every format.

mod common;
use common::{csv_rows, root, ticheck};

const SHEET: &str = "fixtures/batch/candidates.csv";

fn check_bytes(args: &[&str]) -> Vec<u8> {
    ticheck()
        .current_dir(root())
        .args(["check", SHEET])
        .args(args)
        .output()
        .unwrap()
        .stdout
}

#[test]
fn csv_output_starts_with_a_byte_order_mark_by_default() {
    let bytes = check_bytes(&["--format", "csv", "--lang", "en"]);
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBFsource,applicant,verdict,"),
        "{:?}",
        &bytes[..20]
    );
    // Read back by the csv crate as Excel would read it.
    let text = String::from_utf8(bytes).unwrap();
    let (header, rows) = csv_rows(&text);
    assert_eq!(header[0], "source");
    assert_eq!(rows.len(), 7);
    let plain = check_bytes(&["--format", "csv", "--output-encoding", "utf-8"]);
    assert!(
        plain.starts_with(b"source,"),
        "no mark when asked for plain UTF-8"
    );
}

#[test]
fn csv_output_in_gb18030_reads_back_with_the_same_cells() {
    let utf8 = String::from_utf8(check_bytes(&["--format", "csv", "--lang", "zh"])).unwrap();
    let gb = check_bytes(&[
        "--format",
        "csv",
        "--lang",
        "zh",
        "--output-encoding",
        "gb18030",
    ]);
    assert!(
        !gb.starts_with(b"\xEF\xBB\xBF"),
        "GB18030 has no byte-order mark"
    );
    assert!(
        std::str::from_utf8(&gb).is_err(),
        "the Chinese text is not UTF-8"
    );
    let (decoded, _, malformed) = encoding_rs::GB18030.decode(&gb);
    assert!(!malformed);
    assert_eq!(csv_rows(&decoded), csv_rows(&utf8));
}

#[test]
fn csv_output_in_chinese_has_chinese_headers_and_verdict_words() {
    let text = String::from_utf8(check_bytes(&["--format", "csv", "--lang", "zh"])).unwrap();
    let (header, rows) = csv_rows(&text);
    assert_eq!(header[..3], ["来源", "单位名称", "结论"]);
    assert!(
        header.contains(&"A10.4.floor-area".to_string()),
        "clause ids stay ids"
    );
    for name in [
        "不符合的条款",
        "缺少的数据",
        "差距",
        "尚未确定的事项",
        "警告",
        "错误",
    ] {
        assert!(header.contains(&name.to_string()), "{name}: {header:?}");
    }
    let verdicts: Vec<&str> = rows.iter().map(|row| row[2].as_str()).collect();
    assert_eq!(
        verdicts,
        [
            "未发现不符合项",
            "不符合申报条件",
            "未发现不符合项",
            "材料不全，无法判定",
            "未发现不符合项",
            "档案无法读取",
            "不符合申报条件"
        ]
    );
    let floor = header.iter().position(|h| h == "A10.4.floor-area").unwrap();
    assert_eq!(rows[0][floor], "符合");
    assert_eq!(rows[1][floor], "不符合");
    // English words stay for English output (the machine form).
    let en = String::from_utf8(check_bytes(&["--format", "csv", "--lang", "en"])).unwrap();
    let (_, rows) = csv_rows(&en);
    assert_eq!(rows[1][2], "ineligible");
}

#[test]
fn an_error_row_says_why_in_the_batch_table_and_a_table_written_to_a_file_says_why_too() {
    let output = ticheck()
        .current_dir(root())
        .env("COLUMNS", "200")
        .args(["check", SHEET, "--lang", "en"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let row: String = stdout
        .lines()
        .skip_while(|line| !line.contains("candidates.csv:7"))
        .take_while(|line| !line.contains("candidates.csv:8"))
        .collect();
    assert!(row.contains("invalid profile:"), "{row}");
    assert!(
        row.contains("1,5"),
        "the reason, not only a pointer to standard error: {row}"
    );

    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("结果.txt");
    let status = ticheck()
        .current_dir(root())
        .args([
            "check",
            "fixtures/invalid/bad-values.toml",
            "--lang",
            "zh",
            "-o",
        ])
        .arg(&file)
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(2));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.starts_with("档案无法读取：fixtures/invalid/bad-values.toml"),
        "{written}"
    );
    assert!(written.contains("applicant.kind"), "{written}");
}
