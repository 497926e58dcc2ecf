//! A plausibility warning on a sheet's row names the value by the sheet's own column header
//! (SPEC §5: fields are named as the user wrote them), and a column whose header names its
//! unit is told to check that unit, not that bare numbers are 万元.

use std::fs;

use tempfile::TempDir;

mod common;
use common::{run, ticheck};

fn warnings_of(csv: &str, lang: &str) -> Vec<String> {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("s.csv");
    fs::write(&path, csv).unwrap();
    let output = run(ticheck()
        .args(["check", "--format", "json", "--lang", lang])
        .arg(&path));
    output.json()["results"][0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|warning| warning.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_unit_header_column_is_named_as_written_and_its_unit_questioned() {
    let warnings = warnings_of(
        "单位名称,单位类型,申报日期,2022年研发投入（亿元）,研发场地面积\n甲公司,企业,2024-03-15,1320,99999999\n",
        "zh",
    );
    let spend = warnings
        .iter()
        .find(|warning| warning.contains("研发投入"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(
        spend.starts_with("2022年研发投入（亿元） = 13200000 万元，即 1320 亿元"),
        "{spend}"
    );
    assert!(spend.contains("表头所标的单位"), "{spend}");
    assert!(!spend.contains("不带单位的数字按万元计"), "{spend}");
    assert!(!spend.contains("rnd_spend"), "{spend}");
    let area = warnings
        .iter()
        .find(|warning| warning.contains("m²"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(area.starts_with("研发场地面积 = "), "{area}");
}

#[test]
fn a_bare_money_column_keeps_the_advice_on_bare_numbers() {
    let warnings = warnings_of(
        "单位名称,单位类型,申报日期,2022年研发经费\n甲公司,企业,2024-03-15,23500000\n",
        "zh",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("2022年研发经费 = 23500000 万元"),
        "{warnings:?}"
    );
    assert!(
        warnings[0].contains("不带单位的数字按万元计"),
        "{warnings:?}"
    );
}
