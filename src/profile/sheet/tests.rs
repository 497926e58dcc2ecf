//! Unit tests of the sheet layer: header resolution ([`Columns::resolve`]), typing a row into a
//! profile ([`Columns::profile`]), the CSV reader on in-memory bytes ([`super::csv::open`]) and
//! the XLSX reader on workbooks written here ([`super::xlsx::open`]).
//!
//! The contract is SPEC §4 and the "Batch screening" issue: dotted paths or Chinese labels as
//! headers, matched ignoring surrounding spaces and full-/half-width differences; unknown and
//! duplicate headers are errors naming them; an empty cell is missing, never zero; every bad
//! cell is an error for its row naming row, column and value; nothing panics.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::encoding::EncodingChoice;
use super::*;
use crate::i18n::Lang;
use crate::profile::{InvalidProfile, Location, Profile, Value};

// ---------------------------------------------------------------------------------------------
// Helpers

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

fn columns(names: &[&str]) -> Columns {
    Columns::resolve("sheet.csv", &header(names), 1)
        .unwrap_or_else(|error| panic!("{names:?} should resolve:\n{}", error.render(Lang::En)))
}

fn resolve_error(names: &[&str]) -> InvalidProfile {
    match Columns::resolve("sheet.csv", &header(names), 1) {
        Ok(columns) => panic!("{names:?} should not resolve, got {:?}", columns.columns),
        Err(error) => error,
    }
}

/// What one header resolves to, as a comparable string: `facilities.rnd_floor_area`,
/// `series rnd_spend 2023`, `unnamed`, or `unknown`.
fn resolved(header: &str) -> String {
    match resolve(header) {
        Some(Column::Field(field, _)) => field.path.to_string(),
        Some(Column::Series(series, year)) => format!("series {} {year}", series.table),
        Some(Column::Unnamed) => "unnamed".to_string(),
        Some(Column::Ignored) => "ignored".to_string(),
        None => "unknown".to_string(),
    }
}

fn text(value: &str) -> Cell {
    Cell::Text(value.to_string())
}

fn number(value: &str) -> Cell {
    Cell::Number(value.to_string())
}

fn cells_row(number: usize, cells: Vec<Cell>) -> RawRow {
    RawRow {
        number,
        cells: RowCells::Cells(cells),
    }
}

fn csv_row(number: usize, fields: &[&[u8]], encoding: encoding::TextEncoding) -> RawRow {
    let mut record = ::csv::ByteRecord::new();
    for field in fields {
        record.push_field(field);
    }
    RawRow {
        number,
        cells: RowCells::Csv(record, encoding),
    }
}

fn profile_ok(columns: &Columns, row: &RawRow) -> Profile {
    columns
        .profile(row)
        .unwrap_or_else(|error| panic!("row should be valid:\n{}", error.render(Lang::En)))
}

fn profile_err(columns: &Columns, row: &RawRow) -> InvalidProfile {
    match columns.profile(row) {
        Ok(profile) => panic!("row should be invalid, got {:?}", profile.fields),
        Err(error) => error,
    }
}

fn value(profile: &Profile, path: &str) -> Option<Value> {
    profile.get(path).map(|field| field.value.clone())
}

fn cell_at(row: usize, column: &str) -> Option<Location> {
    Some(Location::Cell {
        row,
        column: column.into(),
    })
}

/// Whether a location is on `row`, in the column with this letter (`C` or `C 仪器设备原值`).
fn in_column(at: &Option<Location>, row: usize, letter: &str) -> bool {
    match at {
        Some(Location::Cell { row: r, column }) => {
            let column: &str = column.as_ref();
            *r == row && (column == letter || column.starts_with(&format!("{letter} ")))
        }
        _ => false,
    }
}

/// Opens in-memory CSV bytes, as `ticheck check -` would read them.
fn open_csv(
    bytes: Vec<u8>,
    forced: Option<EncodingChoice>,
) -> Result<(Columns, csv::CsvRows), InvalidProfile> {
    csv::open(Box::new(std::io::Cursor::new(bytes)), "mem.csv", forced)
}

/// Opens CSV bytes that must be readable and returns the header and every row.
fn read_csv(bytes: Vec<u8>, forced: Option<EncodingChoice>) -> (Columns, Vec<RawRow>) {
    let (columns, rows) = open_csv(bytes, forced)
        .unwrap_or_else(|error| panic!("should open:\n{}", error.render(Lang::En)));
    let rows = rows
        .map(|row| row.unwrap_or_else(|error| panic!("row unreadable:\n{error}")))
        .collect();
    (columns, rows)
}

fn row_numbers(rows: &[RawRow]) -> Vec<usize> {
    rows.iter().map(|row| row.number).collect()
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn utf16be_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

const SMALL_SHEET: &str = "单位名称,单位类型,研发场地面积,2023年研发经费\n\
                           云南甲公司,企业,1800,1320万元\n\
                           云南乙大学,高校,１５００,\"1,050\"\n";

/// The two rows of [`SMALL_SHEET`], typed, as the assertions below expect them.
fn assert_small_sheet(columns: &Columns, rows: &[RawRow]) {
    assert_eq!(row_numbers(rows), vec![2, 3]);
    let first = profile_ok(columns, &rows[0]);
    assert_eq!(first.name(), Some("云南甲公司"));
    assert_eq!(
        value(&first, "applicant.kind"),
        Some(Value::Choice("enterprise"))
    );
    assert_eq!(
        value(&first, "facilities.rnd_floor_area"),
        Some(Value::Number(dec!(1800)))
    );
    assert_eq!(first.series["rnd_spend"][&2023].value, dec!(1320));
    let second = profile_ok(columns, &rows[1]);
    assert_eq!(second.name(), Some("云南乙大学"));
    assert_eq!(
        value(&second, "applicant.kind"),
        Some(Value::Choice("university"))
    );
    assert_eq!(
        value(&second, "facilities.rnd_floor_area"),
        Some(Value::Number(dec!(1500)))
    );
    assert_eq!(second.series["rnd_spend"][&2023].value, dec!(1050));
    assert_eq!(second.source, "mem.csv:3");
}

// ---------------------------------------------------------------------------------------------
// Columns::resolve

#[test]
fn every_dotted_path_and_every_chinese_label_resolves_to_its_field() {
    for field in fields::FIELDS {
        assert_eq!(resolved(field.path), field.path, "path {}", field.path);
        assert_eq!(
            resolved(field.label_zh),
            field.path,
            "label {}",
            field.label_zh
        );
    }
}

#[test]
fn the_chinese_labels_of_spec_4_are_accepted() {
    for (label, path) in [
        ("单位名称", "applicant.name"),
        ("统一社会信用代码", "applicant.uscc"),
        ("单位类型", "applicant.kind"),
        ("申报日期", "applicant.application_date"),
        ("资产负债率", "finance.debt_ratio"),
        ("固定人员", "team.fixed_staff"),
        ("中高级职称或硕士以上人员", "team.qualified_staff"),
        ("研发场地面积", "facilities.rnd_floor_area"),
        ("仪器设备原值", "facilities.equipment_value"),
        ("直接经济效益", "record.transfer_benefit"),
        ("前期投入", "support.pre_investment"),
    ] {
        assert_eq!(resolved(label), path, "{label}");
    }
}

#[test]
fn class_i_and_class_ii_ip_labels_are_told_apart_in_every_width() {
    assert_eq!(resolved("I类知识产权"), "record.class_i_ip");
    assert_eq!(resolved("II类知识产权"), "record.class_ii_ip");
    // Full-width Ｉ as a Chinese input method types it.
    assert_eq!(resolved("Ｉ类知识产权"), "record.class_i_ip");
    assert_eq!(resolved("ＩＩ类知识产权"), "record.class_ii_ip");
    // ASCII case does not matter in headers.
    assert_eq!(resolved("i类知识产权"), "record.class_i_ip");
    assert_eq!(resolved("record.CLASS_I_IP"), "record.class_i_ip");
}

#[test]
fn full_width_header_text_is_folded() {
    assert_eq!(
        resolved("ｆａｃｉｌｉｔｉｅｓ．ｒｎｄ＿ｆｌｏｏｒ＿ａｒｅａ"),
        "facilities.rnd_floor_area"
    );
    assert_eq!(resolved("ＡＰＰＬＩＣＡＮＴ．ＮＡＭＥ"), "applicant.name");
    assert_eq!(resolved("２０２３年研发经费"), "series rnd_spend 2023");
    assert_eq!(
        resolved("ｒｎｄ＿ｓｐｅｎｄ．２０２２"),
        "series rnd_spend 2022"
    );
}

#[test]
fn surrounding_spaces_are_ignored() {
    assert_eq!(resolved("  研发场地面积  "), "facilities.rnd_floor_area");
    assert_eq!(resolved("\t单位名称\t"), "applicant.name");
    // Ideographic (full-width) spaces.
    assert_eq!(
        resolved("\u{3000}研发场地面积\u{3000}"),
        "facilities.rnd_floor_area"
    );
    assert_eq!(
        resolved(" facilities.rnd_floor_area "),
        "facilities.rnd_floor_area"
    );
    assert_eq!(resolved(" 2023年研发经费 "), "series rnd_spend 2023");
    assert_eq!(
        resolved(" Facilities.RND_Floor_Area"),
        "facilities.rnd_floor_area"
    );
}

#[test]
fn a_bom_on_the_first_header_is_ignored() {
    assert_eq!(resolved("\u{FEFF}单位名称"), "applicant.name");
    assert_eq!(resolved("\u{FEFF}applicant.name"), "applicant.name");
    assert_eq!(resolved("\u{FEFF} 单位名称 "), "applicant.name");
    let columns = columns(&["\u{FEFF}单位名称", "研发场地面积"]);
    assert!(matches!(columns.columns[0], Column::Field(f, _) if f.path == "applicant.name"));
    // The name used in messages does not carry the BOM's invisible character either.
    let row = cells_row(2, vec![text("A"), text("abc")]);
    let error = profile_err(&columns, &row);
    assert_eq!(error.problems[0].at, cell_at(2, "B 研发场地面积"));
}

#[test]
fn series_headers_resolve_by_path_and_by_chinese_label() {
    assert_eq!(resolved("rnd_spend.2023"), "series rnd_spend 2023");
    assert_eq!(resolved("2023年研发经费"), "series rnd_spend 2023");
    assert_eq!(resolved("rnd_spend.2022"), "series rnd_spend 2022");
    assert_eq!(resolved("2022年研发经费"), "series rnd_spend 2022");
    // Years that are no year are not a series column.
    assert_eq!(resolved("rnd_spend.1800"), "unknown");
    assert_eq!(resolved("rnd_spend.abc"), "unknown");
    assert_eq!(resolved("rnd_spend."), "unknown");
    assert_eq!(resolved("年研发经费"), "unknown");
    // Two different years side by side are two columns, not a duplicate.
    let columns = columns(&["单位名称", "rnd_spend.2022", "2023年研发经费"]);
    assert!(matches!(
        columns.columns[1],
        Column::Series(series, 2022) if series.table == "rnd_spend"
    ));
    assert!(matches!(
        columns.columns[2],
        Column::Series(series, 2023) if series.table == "rnd_spend"
    ));
}

#[test]
fn an_unknown_header_is_an_error_naming_it_with_a_suggestion() {
    let error = resolve_error(&["单位名称", "facilities.rnd_floor_aera", "研发场地面积"]);
    assert_eq!(error.source, "sheet.csv");
    assert_eq!(error.problems.len(), 1, "{}", error.render(Lang::En));
    assert_eq!(error.problems[0].at, cell_at(1, "B"));
    let en = error.render(Lang::En);
    assert!(
        en.contains("unknown column 'facilities.rnd_floor_aera'"),
        "{en}"
    );
    assert!(
        en.contains("did you mean 'facilities.rnd_floor_area'?"),
        "{en}"
    );
    assert!(en.starts_with("sheet.csv"), "names the file: {en}");
    let zh = error.render(Lang::Zh);
    assert!(zh.contains("facilities.rnd_floor_aera"), "{zh}");
    assert!(zh.contains("是否要写“facilities.rnd_floor_area”"), "{zh}");
}

#[test]
fn a_misspelt_chinese_header_is_named() {
    let error = resolve_error(&["单位名称", "研发场所面积"]);
    let en = error.render(Lang::En);
    assert!(en.contains("unknown column '研发场所面积'"), "{en}");
    assert_eq!(error.problems[0].at, cell_at(1, "B"));
}

#[test]
fn an_unknown_header_far_from_any_field_explains_what_headers_are() {
    let error = resolve_error(&["单位名称", "budget"]);
    let en = error.render(Lang::En);
    assert!(en.contains("unknown column 'budget'"), "{en}");
    assert!(!en.contains("did you mean"), "{en}");
    assert!(en.contains("facilities.rnd_floor_area"), "{en}");
    assert!(en.contains("研发场地面积"), "{en}");
}

#[test]
fn every_unknown_header_is_named_at_its_own_column_and_header_row() {
    let error = Columns::resolve(
        "sheet.xlsx",
        &header(&["foo", "单位名称", "bar", "研发场地面积"]),
        3,
    )
    .unwrap_err();
    assert_eq!(error.problems.len(), 2);
    assert_eq!(error.problems[0].at, cell_at(3, "A"));
    assert_eq!(error.problems[1].at, cell_at(3, "C"));
    let en = error.render(Lang::En);
    assert!(en.contains("'foo'") && en.contains("'bar'"), "{en}");
    assert!(en.contains("row 3"), "{en}");
}

#[test]
fn a_huge_unknown_header_is_quoted_short() {
    let huge = "x".repeat(100_000);
    let error = resolve_error(&["单位名称", &huge]);
    let en = error.render(Lang::En);
    assert!(en.len() < 500, "message of {} bytes", en.len());
}

#[test]
fn a_path_and_its_chinese_alias_are_a_duplicate_naming_both() {
    let error = resolve_error(&["facilities.rnd_floor_area", "单位名称", "研发场地面积"]);
    assert_eq!(error.problems.len(), 1, "{}", error.render(Lang::En));
    let problem = &error.problems[0];
    assert_eq!(problem.at, cell_at(1, "C"));
    assert_eq!(problem.field.as_deref(), Some("facilities.rnd_floor_area"));
    let en = error.render(Lang::En);
    assert!(en.contains("'研发场地面积'"), "{en}");
    assert!(en.contains("'facilities.rnd_floor_area'"), "{en}");
    assert!(en.contains("keep one"), "{en}");
}

#[test]
fn the_same_header_twice_is_a_duplicate() {
    let error = resolve_error(&["单位名称", "研发场地面积", " 研发场地面积 "]);
    assert_eq!(error.problems.len(), 1);
    assert_eq!(error.problems[0].at, cell_at(1, "C"));
}

#[test]
fn a_series_year_by_path_and_by_label_is_a_duplicate() {
    let error = resolve_error(&["单位名称", "rnd_spend.2023", "2023年研发经费"]);
    assert_eq!(error.problems.len(), 1);
    assert_eq!(error.problems[0].field.as_deref(), Some("rnd_spend.2023"));
    assert_eq!(error.problems[0].at, cell_at(1, "C"));
}

#[test]
fn an_empty_header_row_is_an_error() {
    for names in [
        &["", "", ""][..],
        &["  ", "\u{3000}", "\t"][..],
        &["\u{FEFF}"][..],
        &[][..],
    ] {
        let error = resolve_error(names);
        let en = error.render(Lang::En);
        assert!(en.contains("the header row is empty"), "{names:?}: {en}");
    }
}

#[test]
fn an_unnamed_column_between_named_ones_is_allowed() {
    let columns = columns(&["单位名称", "", "研发场地面积"]);
    assert!(matches!(columns.columns[1], Column::Unnamed));
    assert_eq!(columns.file, "sheet.csv");
}

#[test]
fn column_letters_go_past_z() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(29), "AD");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

// ---------------------------------------------------------------------------------------------
// Columns::profile

#[test]
fn an_empty_cell_is_absent_never_zero() {
    let columns = columns(&[
        "单位名称",
        "研发场地面积",
        "仪器设备原值",
        "2023年研发经费",
        "行业龙头企业",
        "固定人员",
    ]);
    let row = cells_row(
        2,
        vec![
            text("云南甲公司"),
            Cell::Empty,
            text("   "),
            text(""),
            Cell::Empty,
            text("\t"),
        ],
    );
    let profile = profile_ok(&columns, &row);
    assert_eq!(profile.name(), Some("云南甲公司"));
    for path in [
        "facilities.rnd_floor_area",
        "facilities.equipment_value",
        "applicant.industry_leader",
        "team.fixed_staff",
    ] {
        assert_eq!(value(&profile, path), None, "{path} must be absent");
    }
    assert!(
        profile.series.get("rnd_spend").is_none_or(|s| s.is_empty()),
        "{:?}",
        profile.series
    );
    // The same through CSV bytes: `a,,,`.
    let row = csv_row(
        3,
        &["云南乙公司".as_bytes(), b"", b"", b"", b"", b""],
        encoding::TextEncoding::Utf8,
    );
    let profile = profile_ok(&columns, &row);
    assert_eq!(profile.fields.len(), 1, "{:?}", profile.fields);
    assert!(profile.series.get("rnd_spend").is_none_or(|s| s.is_empty()));
}

#[test]
fn a_row_with_only_a_name_is_a_profile_with_only_a_name() {
    let columns = columns(&["单位名称", "研发场地面积"]);
    let profile = profile_ok(&columns, &cells_row(2, vec![text("A")]));
    assert_eq!(profile.fields.len(), 1);
    assert_eq!(profile.source, "sheet.csv:2");
}

#[test]
fn full_width_digits_are_read() {
    let columns = columns(&[
        "单位名称",
        "研发场地面积",
        "资产负债率",
        "固定人员",
        "仪器设备原值",
    ]);
    let row = cells_row(
        2,
        vec![
            text("A"),
            text("１５００"),
            text("６２％"),
            text("２０５"),
            text("２３５０万元"),
        ],
    );
    let profile = profile_ok(&columns, &row);
    assert_eq!(
        value(&profile, "facilities.rnd_floor_area"),
        Some(Value::Number(dec!(1500)))
    );
    assert_eq!(
        value(&profile, "finance.debt_ratio"),
        Some(Value::Number(dec!(0.62)))
    );
    assert_eq!(
        value(&profile, "team.fixed_staff"),
        Some(Value::Number(dec!(205)))
    );
    assert_eq!(
        value(&profile, "facilities.equipment_value"),
        Some(Value::Number(dec!(2350)))
    );
}

#[test]
fn thousands_separators_are_read() {
    let columns = columns(&[
        "单位名称",
        "研发场地面积",
        "直接经济效益",
        "仪器设备原值",
        "2023年研发经费",
        "资产总额",
    ]);
    let row = cells_row(
        2,
        vec![
            text("A"),
            text("1,500"),
            text("5,000"),
            text("23,500,000元"),
            text("1,320万元"),
            // Full-width comma and digits.
            text("５２，０００"),
        ],
    );
    let profile = profile_ok(&columns, &row);
    assert_eq!(
        value(&profile, "facilities.rnd_floor_area"),
        Some(Value::Number(dec!(1500)))
    );
    assert_eq!(
        value(&profile, "record.transfer_benefit"),
        Some(Value::Number(dec!(5000)))
    );
    assert_eq!(
        value(&profile, "facilities.equipment_value"),
        Some(Value::Number(dec!(2350)))
    );
    assert_eq!(profile.series["rnd_spend"][&2023].value, dec!(1320));
    assert_eq!(
        value(&profile, "finance.total_assets"),
        Some(Value::Number(dec!(52000)))
    );
}

#[test]
fn a_letter_o_for_a_zero_is_an_error_quoting_the_value() {
    // The fixture's 玉溪 row: `1,5OO` with capital O's.
    let columns = columns(&["单位名称", "研发场地面积"]);
    let error = profile_err(&columns, &cells_row(7, vec![text("玉溪"), text("1,5OO")]));
    assert_eq!(error.source, "sheet.csv:7");
    assert_eq!(error.applicant.as_deref(), Some("玉溪"));
    assert_eq!(error.problems.len(), 1);
    assert_eq!(error.problems[0].at, cell_at(7, "B 研发场地面积"));
    assert_eq!(
        error.problems[0].field.as_deref(),
        Some("facilities.rnd_floor_area")
    );
    let en = error.render(Lang::En);
    assert!(en.contains("sheet.csv:7"), "{en}");
    assert!(en.contains("column B 研发场地面积"), "{en}");
    assert!(en.contains("1,5OO"), "{en}");
}

#[test]
fn yes_no_cells_are_booleans() {
    let columns = columns(&[
        "单位名称",
        "行业龙头企业",
        "相对独立研发机构",
        "经营状况良好",
        "配套保障",
        "地方支持承诺",
        "国家工程技术研究中心依托单位",
    ]);
    let row = cells_row(
        2,
        vec![
            text("A"),
            text("是"),
            text("否"),
            text("true"),
            text("FALSE"),
            Cell::Bool(true),
            text(" 否 "),
        ],
    );
    let profile = profile_ok(&columns, &row);
    for (path, expected) in [
        ("applicant.industry_leader", true),
        ("applicant.independent_rnd_unit", false),
        ("applicant.operating_well", true),
        ("applicant.host_support", false),
        ("support.local_commitment", true),
        ("applicant.national_ertc_host", false),
    ] {
        assert_eq!(value(&profile, path), Some(Value::Bool(expected)), "{path}");
    }
}

#[test]
fn a_word_that_is_no_yes_or_no_is_an_error() {
    let columns = columns(&["单位名称", "行业龙头企业"]);
    let error = profile_err(&columns, &cells_row(4, vec![text("A"), text("也许")]));
    let en = error.render(Lang::En);
    assert!(en.contains("'也许'"), "{en}");
    assert!(en.contains("是/否"), "{en}");
    assert_eq!(error.problems[0].at, cell_at(4, "B 行业龙头企业"));
}

#[test]
fn chinese_kind_and_center_type_words_are_read() {
    let columns = columns(&["单位名称", "单位类型", "中心类别"]);
    for (kind, id) in [
        ("企业", "enterprise"),
        ("高校", "university"),
        ("科研院所", "institute"),
        ("技术机构", "tech_org"),
        ("enterprise", "enterprise"),
        ("Tech-Org", "tech_org"),
    ] {
        let profile = profile_ok(
            &columns,
            &cells_row(2, vec![text("A"), text(kind), text("领域类")]),
        );
        assert_eq!(
            value(&profile, "applicant.kind"),
            Some(Value::Choice(id)),
            "{kind}"
        );
        assert_eq!(
            value(&profile, "applicant.center_type"),
            Some(Value::Choice("domain"))
        );
    }
    let error = profile_err(
        &columns,
        &cells_row(2, vec![text("A"), text("公司"), text("")]),
    );
    let en = error.render(Lang::En);
    assert!(en.contains("'公司'") && en.contains("enterprise"), "{en}");
}

#[test]
fn a_row_longer_than_the_header_is_an_error_naming_the_first_extra_column() {
    let columns = columns(&["单位名称", "研发场地面积"]);
    let row = csv_row(5, &[b"A", b"1500", b"9"], encoding::TextEncoding::Utf8);
    let error = profile_err(&columns, &row);
    assert_eq!(error.source, "sheet.csv:5");
    let problem = error
        .problems
        .iter()
        .find(|p| in_column(&p.at, 5, "C"))
        .unwrap_or_else(|| panic!("no problem at C: {}", error.render(Lang::En)));
    assert!(
        problem.message.en.contains("3 cells") && problem.message.en.contains("2 columns"),
        "{}",
        problem.message.en
    );
    // The same for cells from a workbook.
    let row = cells_row(5, vec![text("A"), number("1500"), number("9")]);
    assert!(columns.profile(&row).is_err());
}

#[test]
fn trailing_empty_cells_beyond_the_header_are_harmless() {
    let columns = columns(&["单位名称", "研发场地面积"]);
    let row = csv_row(2, &[b"A", b"1500", b"", b""], encoding::TextEncoding::Utf8);
    let profile = profile_ok(&columns, &row);
    assert_eq!(
        value(&profile, "facilities.rnd_floor_area"),
        Some(Value::Number(dec!(1500)))
    );
    let row = cells_row(2, vec![text("A"), number("1500"), Cell::Empty]);
    profile_ok(&columns, &row);
}

#[test]
fn a_csv_row_shorter_than_the_header_is_an_error() {
    let columns = columns(&["单位名称", "研发场地面积", "仪器设备原值"]);
    let row = csv_row(3, &[b"A", b"1500"], encoding::TextEncoding::Utf8);
    let error = profile_err(&columns, &row);
    let en = error.render(Lang::En);
    assert!(en.contains("sheet.csv:3"), "{en}");
    assert!(
        en.contains("only 2 cells") && en.contains("3 columns"),
        "{en}"
    );
    // The first missing cell: column C (with or without its header named).
    assert!(
        error
            .problems
            .iter()
            .any(|p| in_column(&p.at, 3, "C") && p.message.en.contains("fewer")),
        "{en}"
    );
}

#[test]
fn a_workbook_row_shorter_than_the_header_is_fine() {
    // calamine stops a row at the last used cell: missing cells on the right are empty cells.
    let columns = columns(&["单位名称", "研发场地面积", "仪器设备原值"]);
    let profile = profile_ok(&columns, &cells_row(3, vec![text("A"), number("1500")]));
    assert_eq!(value(&profile, "facilities.equipment_value"), None);
}

#[test]
fn a_value_in_a_column_without_header_is_an_error() {
    let columns = columns(&["单位名称", "", "研发场地面积"]);
    let error = profile_err(
        &columns,
        &cells_row(4, vec![text("A"), text("1500"), number("1800")]),
    );
    assert_eq!(error.problems.len(), 1);
    assert_eq!(error.problems[0].at, cell_at(4, "B"));
    assert!(
        error.problems[0].message.en.contains("no header"),
        "{}",
        error.problems[0].message.en
    );
    // Empty, it is fine.
    profile_ok(
        &columns,
        &cells_row(4, vec![text("A"), Cell::Empty, number("1800")]),
    );
    profile_ok(
        &columns,
        &cells_row(4, vec![text("A"), text("  "), number("1800")]),
    );
}

#[test]
fn a_formula_error_cell_is_an_error_naming_row_column_and_error() {
    let columns = columns(&["单位名称", "资产负债率", "研发场地面积"]);
    let row = cells_row(
        9,
        vec![text("A"), Cell::Error("#DIV/0!".into()), number("1800")],
    );
    let error = profile_err(&columns, &row);
    assert_eq!(error.problems.len(), 1);
    let problem = &error.problems[0];
    assert_eq!(problem.at, cell_at(9, "B 资产负债率"));
    assert_eq!(problem.field.as_deref(), Some("finance.debt_ratio"));
    let en = error.render(Lang::En);
    assert!(en.contains("#DIV/0!"), "{en}");
    assert!(en.contains("sheet.csv:9"), "{en}");
    let zh = error.render(Lang::Zh);
    assert!(zh.contains("#DIV/0!") && zh.contains("资产负债率"), "{zh}");
}

#[test]
fn a_formula_error_in_a_series_column_names_the_year() {
    let columns = columns(&["单位名称", "2023年研发经费"]);
    let error = profile_err(
        &columns,
        &cells_row(2, vec![text("A"), Cell::Error("#REF!".into())]),
    );
    assert_eq!(error.problems[0].field.as_deref(), Some("rnd_spend.2023"));
    assert!(error.render(Lang::En).contains("#REF!"));
}

#[test]
fn an_undecodable_cell_is_an_error_not_a_replacement_character() {
    let columns = columns(&["单位名称", "所在州市", "研发场地面积"]);
    let row = cells_row(
        6,
        vec![text("A"), Cell::Undecodable("UTF-8"), number("1800")],
    );
    let error = profile_err(&columns, &row);
    assert_eq!(error.problems[0].at, cell_at(6, "B 所在州市"));
    assert_eq!(
        error.problems[0].field.as_deref(),
        Some("applicant.prefecture")
    );
    let en = error.render(Lang::En);
    assert!(en.contains("not valid UTF-8"), "{en}");
    assert!(en.contains("--encoding"), "{en}");
    // The same from CSV bytes that are not UTF-8.
    let row = csv_row(
        6,
        &[b"A", b"\xC3\x28", b"1800"],
        encoding::TextEncoding::Utf8,
    );
    let error = profile_err(&columns, &row);
    assert_eq!(error.problems[0].at, cell_at(6, "B 所在州市"));
    assert!(!error.render(Lang::En).contains('\u{FFFD}'));
}

#[test]
fn gb18030_cells_are_decoded() {
    let columns = columns(&["单位名称", "所在州市", "研发场地面积"]);
    let name = gb18030("云南甲公司");
    let city = gb18030("昆明市");
    let area = gb18030("１８００平方米");
    let row = csv_row(2, &[&name, &city, &area], encoding::TextEncoding::Gb18030);
    let profile = profile_ok(&columns, &row);
    assert_eq!(profile.name(), Some("云南甲公司"));
    assert_eq!(profile.text("applicant.prefecture"), Some("昆明市"));
    assert_eq!(
        value(&profile, "facilities.rnd_floor_area"),
        Some(Value::Number(dec!(1800)))
    );
}

#[test]
fn qualified_staff_above_fixed_staff_is_a_contradiction() {
    let columns = columns(&["单位名称", "固定人员", "中高级职称或硕士以上人员"]);
    let error = profile_err(
        &columns,
        &cells_row(3, vec![text("A"), number("100"), number("120")]),
    );
    assert_eq!(error.problems.len(), 1);
    let problem = &error.problems[0];
    assert_eq!(problem.field.as_deref(), Some("team.qualified_staff"));
    assert_eq!(problem.at, cell_at(3, "C 中高级职称或硕士以上人员"));
    assert!(
        problem.message.en.contains("120") && problem.message.en.contains("100"),
        "{}",
        problem.message.en
    );
    // Equal is not a contradiction.
    profile_ok(
        &columns,
        &cells_row(3, vec![text("A"), number("100"), number("100")]),
    );
}

#[test]
fn workbook_numbers_and_numbers_stored_as_text_read_alike() {
    let columns = columns(&["单位名称", "资产负债率", "研发场地面积", "固定人员"]);
    let as_numbers = profile_ok(
        &columns,
        &cells_row(
            2,
            vec![text("A"), number("0.582"), number("1800"), number("128")],
        ),
    );
    let as_text = profile_ok(
        &columns,
        &cells_row(
            3,
            vec![text("A"), text(" 0.582 "), text("1800"), text("128 ")],
        ),
    );
    for path in [
        "finance.debt_ratio",
        "facilities.rnd_floor_area",
        "team.fixed_staff",
    ] {
        assert_eq!(value(&as_numbers, path), value(&as_text, path), "{path}");
        assert!(value(&as_numbers, path).is_some(), "{path}");
    }
    assert_eq!(
        value(&as_numbers, "finance.debt_ratio"),
        Some(Value::Number(dec!(0.582)))
    );
    // A number cell in a text column is text.
    let columns = self::columns(&["单位名称", "技术领域"]);
    let profile = profile_ok(&columns, &cells_row(2, vec![number("12345"), number("7")]));
    assert_eq!(profile.name(), Some("12345"));
}

#[test]
fn a_ratio_above_one_in_a_cell_suggests_a_percentage() {
    let columns = columns(&["单位名称", "资产负债率"]);
    let error = profile_err(&columns, &cells_row(2, vec![text("A"), number("58.2")]));
    assert!(error.render(Lang::En).contains("58.2%"));
}

#[test]
fn a_negative_amount_is_an_error() {
    let columns = columns(&["单位名称", "前期投入"]);
    let error = profile_err(&columns, &cells_row(2, vec![text("A"), text("-5")]));
    assert!(error.render(Lang::En).contains("negative"));
}

#[test]
fn a_date_cell_is_a_date_where_a_date_belongs_and_an_error_elsewhere() {
    let columns = columns(&["单位名称", "申报日期", "研发场地面积"]);
    let date = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
    let profile = profile_ok(
        &columns,
        &cells_row(2, vec![text("A"), Cell::Date(date), number("1800")]),
    );
    assert_eq!(
        value(&profile, "applicant.application_date"),
        Some(Value::Date(date))
    );
    // Dates written as text, as users type them.
    for written in [
        "2024-03-15",
        "2024/3/15",
        "2024年3月15日",
        "２０２４－０３－１５",
    ] {
        let profile = profile_ok(
            &columns,
            &cells_row(2, vec![text("A"), text(written), Cell::Empty]),
        );
        assert_eq!(
            value(&profile, "applicant.application_date"),
            Some(Value::Date(date)),
            "{written}"
        );
    }
    // A date in a numeric column (Excel turned 1-500 into a date).
    let error = profile_err(
        &columns,
        &cells_row(5, vec![text("A"), Cell::Empty, Cell::Date(date)]),
    );
    assert_eq!(error.problems.len(), 1);
    assert_eq!(error.problems[0].at, cell_at(5, "C 研发场地面积"));
    assert!(
        error.render(Lang::En).contains("date"),
        "{}",
        error.render(Lang::En)
    );
    // A date with a time of day is no application date.
    let error = profile_err(
        &columns,
        &cells_row(
            6,
            vec![text("A"), Cell::DateTime("2024-03-15 10:30:00".into())],
        ),
    );
    assert_eq!(error.problems[0].at, cell_at(6, "B 申报日期"));
}

#[test]
fn series_cells_are_read_by_year_with_units() {
    let columns = columns(&["单位名称", "rnd_spend.2022", "2023年研发经费"]);
    let profile = profile_ok(
        &columns,
        &cells_row(2, vec![text("A"), text("12,500,000元"), text("1320万元")]),
    );
    let spend = &profile.series["rnd_spend"];
    assert_eq!(spend[&2022].value, dec!(1250));
    assert_eq!(spend[&2023].value, dec!(1320));
    assert_eq!(spend[&2023].at, cell_at(2, "C 2023年研发经费"));
    let error = profile_err(
        &columns,
        &cells_row(2, vec![text("A"), text("很多"), Cell::Empty]),
    );
    assert_eq!(error.problems[0].field.as_deref(), Some("rnd_spend.2022"));
}

#[test]
fn every_bad_cell_of_a_row_is_reported_and_the_name_kept() {
    let columns = columns(&[
        "单位名称",
        "研发场地面积",
        "资产负债率",
        "行业龙头企业",
        "单位类型",
    ]);
    let row = cells_row(
        12,
        vec![
            text("云南丙公司"),
            text("大约1800"),
            Cell::Error("#N/A".into()),
            text("不清楚"),
            text("公司"),
        ],
    );
    let error = profile_err(&columns, &row);
    assert_eq!(error.problems.len(), 4, "{}", error.render(Lang::En));
    assert_eq!(error.applicant.as_deref(), Some("云南丙公司"));
    let columns_named: Vec<_> = error.problems.iter().map(|p| p.at.clone()).collect();
    assert_eq!(
        columns_named,
        vec![
            cell_at(12, "B 研发场地面积"),
            cell_at(12, "C 资产负债率"),
            cell_at(12, "D 行业龙头企业"),
            cell_at(12, "E 单位类型"),
        ]
    );
    // One line per problem, each naming the row.
    let en = error.render(Lang::En);
    assert_eq!(en.lines().count(), 4, "{en}");
    assert!(en
        .lines()
        .all(|line| line.starts_with("sheet.csv:12, column ")));
}

#[test]
fn a_huge_cell_is_quoted_short() {
    let columns = columns(&["单位名称", "研发场地面积", "仪器设备原值"]);
    let row = cells_row(
        3,
        vec![
            text("A"),
            Cell::Text("9".repeat(10 * 1024 * 1024)),
            Cell::Text("x".repeat(10 * 1024 * 1024)),
        ],
    );
    let error = profile_err(&columns, &row);
    assert_eq!(error.problems.len(), 2);
    for lang in [Lang::En, Lang::Zh] {
        for problem in &error.problems {
            let line = error.render_problem(problem, lang);
            assert!(line.chars().count() < 500, "{} chars", line.chars().count());
        }
    }
}

#[test]
fn cell_locations_name_letter_and_header() {
    let columns = columns(&["单位名称", "研发场地面积"]);
    let profile = profile_ok(&columns, &cells_row(8, vec![text("A"), number("1800")]));
    assert_eq!(
        profile.get("facilities.rnd_floor_area").unwrap().at,
        cell_at(8, "B 研发场地面积")
    );
    assert_eq!(profile.source, "sheet.csv:8");
}

// ---------------------------------------------------------------------------------------------
// csv::open on in-memory bytes

#[test]
fn csv_utf8() {
    let (columns, rows) = read_csv(SMALL_SHEET.as_bytes().to_vec(), None);
    assert_small_sheet(&columns, &rows);
}

#[test]
fn csv_utf8_with_bom() {
    let bytes = [b"\xEF\xBB\xBF".as_slice(), SMALL_SHEET.as_bytes()].concat();
    let (columns, rows) = read_csv(bytes, None);
    assert!(matches!(columns.columns[0], Column::Field(f, _) if f.path == "applicant.name"));
    assert_small_sheet(&columns, &rows);
}

#[test]
fn csv_utf8_with_crlf_line_ends() {
    let bytes = SMALL_SHEET.replace('\n', "\r\n").into_bytes();
    let (columns, rows) = read_csv(bytes, None);
    assert_small_sheet(&columns, &rows);
}

#[test]
fn csv_gb18030() {
    let bytes = gb18030(SMALL_SHEET);
    assert!(std::str::from_utf8(&bytes).is_err());
    let (columns, rows) = read_csv(bytes.clone(), None);
    assert_small_sheet(&columns, &rows);
    // Forced, the same.
    let (columns, rows) = read_csv(bytes, Some(EncodingChoice::Gb18030));
    assert_small_sheet(&columns, &rows);
}

#[test]
fn csv_utf16le_with_bom() {
    let (columns, rows) = read_csv(utf16le_with_bom(SMALL_SHEET), None);
    assert_small_sheet(&columns, &rows);
}

#[test]
fn csv_utf16be_with_bom() {
    let (columns, rows) = read_csv(utf16be_with_bom(SMALL_SHEET), None);
    assert_small_sheet(&columns, &rows);
}

#[test]
fn csv_garbage_is_a_clear_file_error() {
    let mut bytes = b"\x81\x20\xFF\xFF\x80,\xFE\xFE\xFF\n".to_vec();
    bytes.extend_from_slice(&[0xFF, 0x80, 0x00, 0x81, b'\n'].repeat(100));
    let error = match open_csv(bytes, None) {
        Ok(_) => panic!("garbage opened"),
        Err(error) => error,
    };
    assert_eq!(error.source, "mem.csv");
    let en = error.render(Lang::En);
    assert!(en.contains("neither UTF-8 nor GB18030"), "{en}");
    assert!(en.contains("--encoding"), "{en}");
    assert!(en.len() < 500, "{en}");
}

#[test]
fn csv_empty_input_is_a_file_error() {
    for bytes in [
        Vec::new(),
        b"\n".to_vec(),
        b"\r\n\r\n".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
    ] {
        let error = match open_csv(bytes.clone(), None) {
            Ok(_) => panic!("{bytes:?} opened"),
            Err(error) => error,
        };
        let en = error.render(Lang::En);
        assert!(en.starts_with("mem.csv"), "{en}");
        assert!(
            en.contains("empty"),
            "{bytes:?} should be called empty: {en}"
        );
    }
}

#[test]
fn csv_header_only_has_no_rows() {
    let (_, rows) = read_csv("单位名称,研发场地面积\n".as_bytes().to_vec(), None);
    assert!(rows.is_empty());
    let (_, rows) = read_csv("单位名称,研发场地面积".as_bytes().to_vec(), None);
    assert!(rows.is_empty());
}

#[test]
fn csv_unknown_header_fails_at_open_naming_the_file() {
    let error = match open_csv("单位名称,研发场地面籍\nA,1\n".as_bytes().to_vec(), None) {
        Ok(_) => panic!("opened"),
        Err(error) => error,
    };
    assert_eq!(error.source, "mem.csv");
    assert!(error.render(Lang::En).contains("研发场地面籍"));
}

#[test]
fn csv_rows_of_empty_cells_are_skipped_and_row_numbers_stay_true() {
    let bytes = "单位名称,研发场地面积\nA,1500\n,\nB,1600\n  ,  \nC,1700\n,,,\nD,1800\n"
        .as_bytes()
        .to_vec();
    let (columns, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![2, 4, 6, 8]);
    let names: Vec<String> = rows
        .iter()
        .map(|row| profile_ok(&columns, row).name().unwrap().to_string())
        .collect();
    assert_eq!(names, ["A", "B", "C", "D"]);
}

#[test]
fn csv_blank_lines_are_skipped_and_row_numbers_stay_true() {
    let bytes = "单位名称,研发场地面积\nA,1500\n\nB,1600\n\r\n\nC,1700\n"
        .as_bytes()
        .to_vec();
    let (_, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![2, 4, 7]);
}

#[test]
fn csv_a_quoted_cell_spanning_lines_is_one_row() {
    let bytes = "单位名称,研发场地面积\n\"云南\n甲公司\",1500\nB,1600\n"
        .as_bytes()
        .to_vec();
    let (columns, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![2, 3]);
    assert_eq!(profile_ok(&columns, &rows[0]).name(), Some("云南\n甲公司"));
}

#[test]
fn csv_ragged_rows_are_errors_for_their_row_only() {
    let bytes = "单位名称,研发场地面积\nA,1500,9\nB\nC,1700\nD,\n"
        .as_bytes()
        .to_vec();
    let (columns, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![2, 3, 4, 5]);
    let results: Vec<_> = rows.iter().map(|row| columns.profile(row)).collect();
    let longer = results[0].as_ref().unwrap_err();
    assert!(longer.render(Lang::En).contains("mem.csv:2"));
    assert!(longer.render(Lang::En).contains("more than the 2 columns"));
    let shorter = results[1].as_ref().unwrap_err();
    assert!(shorter.render(Lang::En).contains("mem.csv:3"));
    assert!(shorter
        .render(Lang::En)
        .contains("fewer than the 2 columns"));
    assert!(results[2].is_ok());
    assert!(
        results[3].is_ok(),
        "a trailing empty field is an empty cell"
    );
}

#[test]
fn csv_a_10_mb_cell_is_an_error_for_its_row_with_a_short_message() {
    let mut bytes = "单位名称,研发场地面积\nA,1500\nB,".as_bytes().to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    bytes.extend_from_slice(b"\nC,1700\n");
    let (columns, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![2, 3, 4]);
    assert!(columns.profile(&rows[0]).is_ok());
    assert!(columns.profile(&rows[2]).is_ok());
    let error = columns.profile(&rows[1]).unwrap_err();
    for lang in [Lang::En, Lang::Zh] {
        let message = error.render(lang);
        assert!(
            message.chars().count() < 500,
            "{} chars",
            message.chars().count()
        );
    }
    let en = error.render(Lang::En);
    assert!(en.contains("mem.csv:3") && en.contains("column B"), "{en}");
}

/// A UTF-8 sheet of `rows` good rows, then one whose 所在州市 cell holds a byte that is not
/// UTF-8, then one more good row.
fn utf8_sheet_with_a_bad_byte(rows: usize) -> Vec<u8> {
    let mut bytes = "单位名称,所在州市,研发场地面积\n".as_bytes().to_vec();
    for index in 0..rows {
        bytes.extend_from_slice(format!("云南第{index}号公司,昆明市,1500\n").as_bytes());
    }
    bytes.extend_from_slice("云南坏字节公司,昆明".as_bytes());
    bytes.push(0xFF);
    bytes.extend_from_slice(",1500\n".as_bytes());
    bytes.extend_from_slice("云南末行公司,玉溪市,1600\n".as_bytes());
    bytes
}

fn assert_only_the_bad_row_fails(bytes: Vec<u8>, rows_before: usize) {
    let (columns, rows) = read_csv(bytes, None);
    assert_eq!(rows.len(), rows_before + 2, "one row per data line");
    let bad_row = rows_before + 2;
    for row in &rows {
        let result = columns.profile(row);
        if row.number == bad_row {
            let error = result.expect_err("the row with the bad byte is an error");
            assert_eq!(error.problems.len(), 1);
            assert_eq!(error.problems[0].at, cell_at(bad_row, "B 所在州市"));
            let en = error.render(Lang::En);
            assert!(en.contains(&format!("mem.csv:{bad_row}")), "{en}");
            assert!(en.contains("not valid UTF-8"), "{en}");
            assert_eq!(error.applicant.as_deref(), Some("云南坏字节公司"));
        } else {
            let profile = result.unwrap_or_else(|error| panic!("{error}"));
            assert!(profile.name().unwrap().starts_with("云南"));
        }
    }
}

#[test]
fn csv_invalid_utf8_in_a_later_row_is_an_error_for_that_row_only() {
    // Past the bytes read ahead to detect the encoding (64 KiB).
    assert_only_the_bad_row_fails(utf8_sheet_with_a_bad_byte(3000), 3000);
}

#[test]
fn csv_invalid_utf8_in_row_3_of_a_small_utf8_file_is_an_error_for_that_row_only() {
    assert_only_the_bad_row_fails(utf8_sheet_with_a_bad_byte(1), 1);
}

#[test]
fn csv_forced_utf8_on_gb18030_cells_gives_cell_errors_not_a_panic() {
    let text = "applicant.name,applicant.prefecture,facilities.rnd_floor_area\n\
                Yunnan A,Kunming,1500\n\
                云南乙公司,昆明市,1600\n";
    let (columns, rows) = read_csv(gb18030(text), Some(EncodingChoice::Utf8));
    assert_eq!(row_numbers(&rows), vec![2, 3]);
    assert!(columns.profile(&rows[0]).is_ok());
    let error = columns.profile(&rows[1]).unwrap_err();
    assert_eq!(error.problems.len(), 2, "{}", error.render(Lang::En));
    assert_eq!(error.problems[0].at, cell_at(3, "A applicant.name"));
    assert_eq!(error.problems[1].at, cell_at(3, "B applicant.prefecture"));
    assert!(error.render(Lang::En).contains("not valid UTF-8"));
    // Detected, the same bytes are fine.
    let (columns, rows) = read_csv(gb18030(text), None);
    assert_eq!(profile_ok(&columns, &rows[1]).name(), Some("云南乙公司"));
}

#[test]
fn csv_forced_utf16_reads_utf16() {
    let (columns, rows) = read_csv(utf16le_with_bom(SMALL_SHEET), Some(EncodingChoice::Utf16));
    assert_small_sheet(&columns, &rows);
}

#[test]
fn csv_many_rows_keep_their_numbers() {
    let mut text = String::from("单位名称,研发场地面积\n");
    for index in 0..5000 {
        text.push_str(&format!("公司{index},{}\n", 1000 + index));
    }
    let (columns, rows) = read_csv(text.into_bytes(), None);
    assert_eq!(rows.len(), 5000);
    assert_eq!(rows[4999].number, 5001);
    let last = profile_ok(&columns, &rows[4999]);
    assert_eq!(last.name(), Some("公司4999"));
    assert_eq!(
        value(&last, "facilities.rnd_floor_area"),
        Some(Value::Number(Decimal::from(5999)))
    );
}

// ---------------------------------------------------------------------------------------------
// xlsx::open on workbooks written here

fn workbook(write: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    write(workbook.add_worksheet());
    workbook.save_to_buffer().expect("workbook")
}

fn read_xlsx(bytes: Vec<u8>) -> (Columns, Vec<RawRow>) {
    let (columns, rows) = xlsx::open(bytes, "mem.xlsx", None)
        .unwrap_or_else(|error| panic!("should open:\n{}", error.render(Lang::En)));
    let rows = rows
        .map(|row| row.unwrap_or_else(|error| panic!("row unreadable:\n{error}")))
        .collect();
    (columns, rows)
}

#[test]
fn xlsx_formula_error_and_date_cells_are_errors_for_their_row() {
    let bytes = workbook(|sheet| {
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        for (column, title) in ["单位名称", "申报日期", "资产负债率", "研发场地面积"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, column as u16, *title).unwrap();
        }
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 15).unwrap();
        // Row 2: all good; numbers as numbers and a real date.
        sheet.write_string(1, 0, "甲").unwrap();
        sheet.write_datetime_with_format(1, 1, &day, &date).unwrap();
        sheet.write_number(1, 2, 0.582).unwrap();
        sheet.write_number(1, 3, 1800).unwrap();
        // Row 3: a formula whose cached result is #DIV/0!.
        sheet.write_string(2, 0, "乙").unwrap();
        sheet
            .write_formula(
                2,
                2,
                rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
            )
            .unwrap();
        // Row 4: a date where the floor area belongs.
        sheet.write_string(3, 0, "丙").unwrap();
        sheet.write_datetime_with_format(3, 3, &day, &date).unwrap();
        // Row 5: numbers stored as text.
        sheet.write_string(4, 0, "丁").unwrap();
        sheet.write_string(4, 1, "2024-03-15").unwrap();
        sheet.write_string(4, 2, "58.2%").unwrap();
        sheet.write_string(4, 3, "1,800").unwrap();
    });
    let (columns, rows) = read_xlsx(bytes);
    assert_eq!(row_numbers(&rows), vec![2, 3, 4, 5]);
    let first = profile_ok(&columns, &rows[0]);
    assert_eq!(
        value(&first, "applicant.application_date"),
        Some(Value::Date(NaiveDate::from_ymd_opt(2024, 3, 15).unwrap()))
    );
    assert_eq!(
        value(&first, "finance.debt_ratio"),
        Some(Value::Number(dec!(0.582)))
    );
    assert_eq!(
        value(&first, "facilities.rnd_floor_area"),
        Some(Value::Number(dec!(1800)))
    );
    let formula = profile_err(&columns, &rows[1]);
    assert_eq!(formula.problems[0].at, cell_at(3, "C 资产负债率"));
    assert!(formula.render(Lang::En).contains("#DIV/0!"));
    let date = profile_err(&columns, &rows[2]);
    assert_eq!(date.problems[0].at, cell_at(4, "D 研发场地面积"));
    let text = profile_ok(&columns, &rows[3]);
    for path in [
        "applicant.application_date",
        "finance.debt_ratio",
        "facilities.rnd_floor_area",
    ] {
        assert_eq!(value(&text, path), value(&first, path), "{path}");
    }
}

#[test]
fn xlsx_rows_and_columns_keep_their_sheet_numbers() {
    // The table starts at B3: a title row above it and an empty column A.
    let bytes = workbook(|sheet| {
        sheet.write_string(2, 1, "单位名称").unwrap();
        sheet.write_string(2, 2, "研发场地面积").unwrap();
        sheet.write_string(3, 1, "甲").unwrap();
        sheet.write_string(3, 2, "abc").unwrap();
        // Row 5 empty; row 6 good.
        sheet.write_string(5, 1, "乙").unwrap();
        sheet.write_number(5, 2, 1600).unwrap();
    });
    let (columns, rows) = read_xlsx(bytes);
    assert_eq!(row_numbers(&rows), vec![4, 6]);
    let error = profile_err(&columns, &rows[0]);
    assert_eq!(error.source, "mem.xlsx:4");
    assert_eq!(error.problems[0].at, cell_at(4, "C 研发场地面积"));
    assert!(profile_ok(&columns, &rows[1]).name() == Some("乙"));
}

#[test]
fn xlsx_bad_input_is_a_file_error() {
    for (bytes, expected) in [
        (Vec::new(), "empty"),
        (b"not a zip file at all".to_vec(), "cannot open"),
        (workbook(|_| {}), "empty"),
    ] {
        match xlsx::open(bytes, "mem.xlsx", None) {
            Ok(_) => panic!("opened"),
            Err(error) => {
                let en = error.render(Lang::En);
                assert!(en.starts_with("mem.xlsx"), "{en}");
                assert!(en.contains(expected), "{expected}: {en}");
            }
        }
    }
}

#[test]
fn xlsx_header_only_has_no_rows() {
    let bytes = workbook(|sheet| {
        sheet.write_string(0, 0, "单位名称").unwrap();
        sheet.write_string(0, 1, "研发场地面积").unwrap();
    });
    let (_, rows) = read_xlsx(bytes);
    assert!(rows.is_empty());
}

#[test]
fn roman_numeral_class_headers_and_years_without_nian_are_understood() {
    let header: Vec<String> = ["单位名称", "Ⅱ类知识产权", "Ⅰ类知识产权", "2022研发经费"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let columns = Columns::resolve("t.csv", &header, 1).unwrap_or_else(|e| panic!("{e}"));
    let row = RawRow {
        number: 2,
        cells: RowCells::Cells(vec![
            Cell::Text("甲".into()),
            Cell::Text("12".into()),
            Cell::Text("2".into()),
            Cell::Text("1100".into()),
        ]),
    };
    let profile = columns.profile(&row).unwrap();
    assert_eq!(
        value(&profile, "record.class_ii_ip"),
        Some(Value::Number(12.into()))
    );
    assert_eq!(
        value(&profile, "record.class_i_ip"),
        Some(Value::Number(2.into()))
    );
    assert!(profile.series["rnd_spend"].contains_key(&2022));
}

#[test]
fn tab_separated_text_is_read_as_a_sheet() {
    let bytes = "单位名称\t研发场地面积\n甲公司\t1500\n".as_bytes().to_vec();
    let (columns, rows) = read_csv(bytes, None);
    let profile = profile_ok(&columns, &rows[0]);
    assert_eq!(profile.name(), Some("甲公司"));
    assert_eq!(
        value(&profile, "facilities.rnd_floor_area"),
        Some(Value::Number(1500.into()))
    );
}

#[test]
fn a_row_source_is_the_file_and_the_row_number() {
    for row in [0, 1, 9, 10, 99, 100, 1_048_576, usize::MAX] {
        assert_eq!(row_source("批次.csv", row), format!("批次.csv:{row}"));
    }
}

// ---------------------------------------------------------------------------------------------
// Sheets as bureaus keep them (SPEC §7)

/// The notes of a sheet, in English, after its rows were read.
fn notes_en(columns: &Columns) -> Vec<String> {
    columns.notes().into_iter().map(|note| note.en).collect()
}

fn series_year(profile: &Profile, year: i32) -> Option<Decimal> {
    profile
        .series
        .get("rnd_spend")
        .and_then(|years| years.get(&year))
        .map(|amount| amount.value)
}

#[test]
fn the_header_is_the_first_row_that_names_fields_below_title_rows() {
    let bytes = "2025年度云南省技术创新中心申报汇总表,,\n\
                 填报单位：某州科技局,,\n\
                 单位名称,研发场地面积,2023年研发经费\n\
                 甲公司,1500,1100\n"
        .as_bytes()
        .to_vec();
    let (columns, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![4]);
    let profile = profile_ok(&columns, &rows[0]);
    assert_eq!(profile.source, "mem.csv:4");
    assert_eq!(profile.name(), Some("甲公司"));
    assert_eq!(series_year(&profile, 2023), Some(dec!(1100)));
    // A header row that names one field and nothing else is a header too.
    let (columns, rows) = read_csv("单位名称\n甲公司\n".as_bytes().to_vec(), None);
    assert_eq!(profile_ok(&columns, &rows[0]).name(), Some("甲公司"));
}

#[test]
fn a_header_with_a_misspelt_column_below_a_title_is_still_found_and_the_typo_named() {
    let bytes = "申报汇总表,\n单位名称,研发场所面积\n甲公司,1500\n"
        .as_bytes()
        .to_vec();
    let error = match open_csv(bytes, None) {
        Ok(_) => panic!("a misspelt header must not be read"),
        Err(error) => error,
    };
    assert_eq!(error.problems.len(), 1, "{}", error.render(Lang::En));
    assert_eq!(error.problems[0].at, cell_at(2, "B"));
    assert!(error.render(Lang::En).contains("'研发场所面积'"));
}

#[test]
fn common_columns_that_name_no_field_are_ignored_and_listed_once() {
    let bytes = "序号,单位名称,研发场地面积,联系人,联系电话,备注\n\
                 1,甲公司,1500,张三,0871-1234567,已核\n\
                 2,乙公司,1600,李四,13800000000,\n"
        .as_bytes()
        .to_vec();
    let (columns, rows) = read_csv(bytes, None);
    for row in &rows {
        let profile = profile_ok(&columns, row);
        assert_eq!(profile.fields.len(), 2, "{:?}", profile.fields);
    }
    let notes = notes_en(&columns);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(
        notes[0],
        "mem.csv: columns ignored (they give no field of the profile): A 序号, D 联系人, E 联系电话, F 备注"
    );
    let zh = &columns.notes()[0].zh;
    assert!(
        zh.contains("已忽略的列") && zh.contains("A 序号、D 联系人"),
        "{zh}"
    );
    for header in [
        "填报人",
        "填报日期",
        "审核意见",
        "推荐意见",
        " 序 号 ",
        "联系电话（手机）",
    ] {
        assert_eq!(resolved(header), "ignored", "{header}");
    }
    // A column that names nothing known is still an error.
    assert_eq!(resolved("budget"), "unknown");
}

#[test]
fn headers_carrying_their_unit_are_matched_to_their_field() {
    for (header, path) in [
        ("研发场地面积（m²）", "facilities.rnd_floor_area"),
        ("研发场地面积(平方米)", "facilities.rnd_floor_area"),
        ("研发场地面积（㎡）", "facilities.rnd_floor_area"),
        ("资产负债率（%）", "finance.debt_ratio"),
        ("资产负债率(％)", "finance.debt_ratio"),
        ("仪器设备原值【元】", "facilities.equipment_value"),
        ("仪器设备原值（万元）", "facilities.equipment_value"),
        ("仪器设备原值 (单位：万元)", "facilities.equipment_value"),
        ("固定人员（人）", "team.fixed_staff"),
        ("国家级项目（项）", "record.national_projects"),
        ("国家级项目（近三年）", "record.national_projects"),
        ("固定人员数", "team.fixed_staff"),
        ("单位名称（全称）", "applicant.name"),
        ("所在州（市）", "applicant.prefecture"),
        ("研发场地\n面积（m²）", "facilities.rnd_floor_area"),
        ("2023年度研发经费（万元）", "series rnd_spend 2023"),
        ("2023年研发投入", "series rnd_spend 2023"),
        ("2024年研发投入", "series rnd_spend 2024"),
        ("2022年度研发经费投入", "series rnd_spend 2022"),
        ("研发经费（2023年，万元）", "series rnd_spend 2023"),
        ("研发经费2023年", "series rnd_spend 2023"),
    ] {
        assert_eq!(resolved(header), path, "{header}");
    }
}

#[test]
fn a_bare_number_is_read_in_its_columns_unit_and_a_number_with_a_unit_keeps_it() {
    let columns = columns(&[
        "单位名称",
        "仪器设备原值【元】",
        "资产负债率（%）",
        "研发场地面积（m²）",
        "2023年度研发经费（万元）",
        "直接经济效益（亿元）",
    ]);
    let row = cells_row(
        2,
        vec![
            text("甲"),
            number("23500000"),
            text("58.2"),
            number("1800"),
            text("1,320"),
            text("0.56"),
        ],
    );
    let profile = profile_ok(&columns, &row);
    assert_eq!(
        value(&profile, "facilities.equipment_value"),
        Some(Value::Number(dec!(2350))),
        "23500000 in a 元 column is 2350 万元, never 23500000 万元"
    );
    assert_eq!(
        value(&profile, "finance.debt_ratio"),
        Some(Value::Number(dec!(0.582)))
    );
    assert_eq!(
        value(&profile, "facilities.rnd_floor_area"),
        Some(Value::Number(dec!(1800)))
    );
    assert_eq!(series_year(&profile, 2023), Some(dec!(1320)));
    assert_eq!(
        value(&profile, "record.transfer_benefit"),
        Some(Value::Number(dec!(5600)))
    );
    // Written with their own unit, cells keep it.
    let row = cells_row(
        3,
        vec![
            text("乙"),
            text("2350万元"),
            text("58.2%"),
            text("1800平方米"),
            text("13200000元"),
            text("5600万元"),
        ],
    );
    let own = profile_ok(&columns, &row);
    for path in [
        "facilities.equipment_value",
        "finance.debt_ratio",
        "facilities.rnd_floor_area",
        "record.transfer_benefit",
    ] {
        assert_eq!(value(&own, path), value(&profile, path), "{path}");
    }
    assert_eq!(series_year(&own, 2023), Some(dec!(1320)));
}

#[test]
fn a_fraction_in_a_percent_column_is_asked_about_not_guessed() {
    let columns = columns(&["单位名称", "资产负债率（%）"]);
    let error = profile_err(&columns, &cells_row(2, vec![text("甲"), text("0.75")]));
    let en = error.render(Lang::En);
    assert!(en.contains("'0.75' is unclear in a column in %"), "{en}");
    assert!(en.contains("write 75 or \"0.75%\""), "{en}");
    assert_eq!(error.problems[0].at, cell_at(2, "B 资产负债率（%）"));
    assert!(error.render(Lang::Zh).contains("意思不明"));
    // Zero is zero either way; written with % it is as written.
    let zero = profile_ok(&columns, &cells_row(2, vec![text("甲"), number("0")]));
    assert_eq!(
        value(&zero, "finance.debt_ratio"),
        Some(Value::Number(dec!(0)))
    );
    let written = profile_ok(&columns, &cells_row(2, vec![text("甲"), text("0.75%")]));
    assert_eq!(
        value(&written, "finance.debt_ratio"),
        Some(Value::Number(dec!(0.0075)))
    );
}

#[test]
fn a_unit_the_field_cannot_take_is_an_error_naming_the_column() {
    let error = resolve_error(&["单位名称", "仪器设备原值（m²）"]);
    assert_eq!(error.problems.len(), 1);
    assert_eq!(error.problems[0].at, cell_at(1, "B"));
    let en = error.render(Lang::En);
    assert!(en.contains("'仪器设备原值（m²）'"), "{en}");
    assert!(
        en.contains("is in m², a unit '仪器设备原值' cannot take"),
        "{en}"
    );
    assert!(en.contains("万元"), "{en}");
    let zh = error.render(Lang::Zh);
    assert!(zh.contains("不能用于“仪器设备原值”"), "{zh}");
    let error = resolve_error(&["单位名称", "研发场地面积（亩）"]);
    let en = error.render(Lang::En);
    assert!(en.contains("a unit '亩' that is not recognised"), "{en}");
    assert!(en.contains("m²"), "{en}");
    let error = resolve_error(&["单位名称", "资产负债率（万元）"]);
    assert!(error.render(Lang::En).contains("'资产负债率' cannot take"));
}

#[test]
fn a_suggestion_never_moves_data_to_another_year() {
    let error = resolve_error(&["单位名称", "2024年研发经废"]);
    let en = error.render(Lang::En);
    assert!(en.contains("did you mean '2024年研发经费'?"), "{en}");
    assert!(!en.contains("2023"), "{en}");
    // With its unit, the suggestion keeps the unit too.
    let error = resolve_error(&["单位名称", "2021年度研发经废（万元）"]);
    let en = error.render(Lang::En);
    assert!(
        en.contains("did you mean '2021年研发经费（万元）'?"),
        "{en}"
    );
    // No year: the year is asked for, never chosen.
    let error = resolve_error(&["单位名称", "研发经费"]);
    let en = error.render(Lang::En);
    assert!(en.contains("names no year"), "{en}");
    assert!(!en.contains("2023"), "{en}");
    // A year on a field that has no years is named, not dropped silently.
    let error = resolve_error(&["单位名称", "2023年资产负债率（%）"]);
    let en = error.render(Lang::En);
    assert!(en.contains("carries the year 2023"), "{en}");
    assert!(en.contains("name the column '资产负债率'"), "{en}");
}

#[test]
fn totals_and_empty_rows_are_skipped_and_noted_once_with_their_row_numbers() {
    let bytes = "序号,单位名称,研发场地面积\n\
                 1,甲公司,1500\n\
                 ,,\n\
                 2,乙公司,1600\n\
                 \n\
                 \n\
                 3,丙公司,1700\n\
                 合  计,,4800\n\
                 4,,\n\
                 5,,\n\
                 ,,\n"
        .as_bytes()
        .to_vec();
    let (columns, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![2, 4, 7]);
    let notes = notes_en(&columns);
    let skipped = notes
        .iter()
        .find(|note| note.contains("skipped"))
        .unwrap_or_else(|| panic!("{notes:?}"));
    // Rows 9 to 11 are below the table (numbered in 序号 only): no news.
    assert_eq!(
        skipped,
        "mem.csv: 4 rows skipped, not checked as applicants: row 3 (empty), rows 5–6 (empty), row 8 (totals: 合计)"
    );
    let zh = columns
        .notes()
        .into_iter()
        .map(|note| note.zh)
        .find(|note| note.contains("已跳过"))
        .unwrap();
    assert!(
        zh.contains("第 3 行（空行）、第 5–6 行（空行）、第 8 行（合计行）"),
        "{zh}"
    );
}

#[test]
fn totals_words_are_told_from_names() {
    for cell in ["合计", "合  计", "合计：", "小计(3家)", "总计", "Total"] {
        assert!(header::totals_word(cell).is_some(), "{cell}");
    }
    for cell in ["小计算机科技有限公司", "云南计量检测院", "合计划", "1"] {
        assert_eq!(header::totals_word(cell), None, "{cell}");
    }
    // In the name column, whatever its place.
    let bytes = "备注,序号,研发场地面积,单位名称\n,1,1500,甲\n,,4800,总计\n"
        .as_bytes()
        .to_vec();
    let (_, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![2]);
}

#[test]
fn placeholder_cells_are_missing_data_not_errors() {
    let columns = columns(&[
        "单位名称",
        "研发场地面积",
        "资产负债率",
        "2023年研发经费",
        "技术领域",
        "申报日期",
        "单位类型",
        "行业龙头企业",
    ]);
    for placeholder in [
        "/", "-", "—", "－", "无", "N/A", "n/a", "未填", "暂无", " / ",
    ] {
        let row = cells_row(
            2,
            vec![
                text("甲"),
                text(placeholder),
                text(placeholder),
                text(placeholder),
                text(placeholder),
                text(placeholder),
                text(placeholder),
                text(if placeholder == "无" {
                    "是"
                } else {
                    placeholder
                }),
            ],
        );
        let profile = profile_ok(&columns, &row);
        assert_eq!(
            profile.fields.len(),
            1 + usize::from(placeholder == "无"),
            "{placeholder}"
        );
        assert!(profile.series.values().all(|years| years.is_empty()));
    }
    // In a yes/no column 无 is the answer "no" (有/无).
    let row = cells_row(
        2,
        vec![
            text("甲"),
            text(""),
            text(""),
            text(""),
            text(""),
            text(""),
            text(""),
            text("无"),
        ],
    );
    assert_eq!(
        value(&profile_ok(&columns, &row), "applicant.industry_leader"),
        Some(Value::Bool(false))
    );
    // The same through a GB18030 CSV.
    let bytes = gb18030("单位名称,研发场地面积,2023年研发经费\n甲公司,—,未填\n");
    let (columns, rows) = read_csv(bytes, None);
    let profile = profile_ok(&columns, &rows[0]);
    assert_eq!(profile.fields.len(), 1);
}

#[test]
fn a_row_of_placeholders_is_an_empty_row() {
    let bytes = "单位名称,研发场地面积\n甲,1500\n/,—\n乙,1600\n"
        .as_bytes()
        .to_vec();
    let (columns, rows) = read_csv(bytes, None);
    assert_eq!(row_numbers(&rows), vec![2, 4]);
    assert!(notes_en(&columns)
        .iter()
        .any(|note| note.contains("row 3 (empty)")));
}

#[test]
fn the_same_applicant_twice_is_a_warning_on_both_rows() {
    let text = "单位名称,统一社会信用代码,研发场地面积\n\
                甲公司,91530100MA6K3L7P2D,1500\n\
                乙公司,,1600\n\
                丙公司,91532500MA6N8Q1X4G,1700\n\
                甲公司（重报）,91530100MA6K3L7P2D,1500\n\
                乙 公司,,1600\n\
                丙公司,91530100M000100Y43,1700\n";
    let open = || {
        csv::open_checked(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            Some(Box::new(std::io::Cursor::new(text.as_bytes().to_vec()))),
            "dup.csv",
            None,
        )
        .unwrap_or_else(|error| panic!("{error}"))
    };
    let (columns, rows) = open();
    let warnings: Vec<(usize, String)> = rows
        .map(|row| row.unwrap())
        .filter_map(|row| {
            columns
                .row_warnings(row.number)
                .into_iter()
                .next()
                .map(|w| (row.number, w.en))
        })
        .collect();
    let numbers: Vec<usize> = warnings.iter().map(|(row, _)| *row).collect();
    // 甲 by its code (rows 2 and 5), 乙 by its name without a code (3 and 6); 丙 twice with
    // two different codes is two applicants.
    assert_eq!(numbers, vec![2, 3, 5, 6], "{warnings:?}");
    assert!(
        warnings[0]
            .1
            .contains("same unified social credit code as row 5"),
        "{warnings:?}"
    );
    assert!(warnings[2].1.contains("as row 2"), "{warnings:?}");
    assert!(warnings[1].1.contains("same name as row 6"), "{warnings:?}");
    // A row's warning is given once.
    let (columns, rows) = open();
    let _: Vec<_> = rows.collect();
    assert!(!columns.row_warnings(2).is_empty());
    assert!(columns.row_warnings(2).is_empty());
    // Without a second reader there is no first reading, and no warning.
    let (columns, rows) = open_csv(text.as_bytes().to_vec(), None).unwrap();
    let _: Vec<_> = rows.collect();
    assert!(columns.row_warnings(2).is_empty());
}

#[test]
fn cell_messages_name_the_real_problem() {
    let columns = columns(&["单位名称", "研发场地面积", "单位类型", "仪器设备原值"]);
    let error = profile_err(
        &columns,
        &cells_row(
            2,
            vec![text("甲"), text("1,5OO"), text("民营企业"), text("5美元")],
        ),
    );
    let en = error.render(Lang::En);
    assert!(
        en.contains("'1,5OO' has the letter 'O' among its digits"),
        "{en}"
    );
    assert!(!en.contains("comma"), "{en}");
    assert!(
        en.contains("'5美元' has a unit '美元' that is not recognised"),
        "{en}"
    );
    let zh = error.render(Lang::Zh);
    assert!(zh.contains("可选：企业、高校、科研院所、技术机构"), "{zh}");
    assert!(zh.contains("最可能是“企业”"), "{zh}");
    let error = profile_err(
        &columns,
        &cells_row(
            2,
            vec![text("甲"), text("15OO"), text("新型研发机构"), text("")],
        ),
    );
    let zh = error.render(Lang::Zh);
    assert!(zh.contains("夹有字母“O”"), "{zh}");
    assert!(zh.contains("无法判断"), "{zh}");
    for kind in ["国有企业", "股份有限公司"] {
        let error = profile_err(
            &columns,
            &cells_row(2, vec![text("甲"), text(""), text(kind)]),
        );
        assert!(
            error
                .render(Lang::En)
                .contains("most likely 企业 (enterprise)"),
            "{kind}"
        );
    }
}

/// A bureau's workbook: 填表说明 first, then the applicants under a merged title.
fn bureau_workbook(rows: &[(&str, f64)]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes.write_string(0, 0, "填表说明").unwrap();
    notes.write_string(1, 0, "单位名称").unwrap();
    notes.write_string(1, 1, "与营业执照一致").unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("汇总").unwrap();
    let title = rust_xlsxwriter::Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 3, "2025年度云南省技术创新中心申报汇总表", &title)
        .unwrap();
    for (column, name) in ["序号", "单位名称", "资产负债率（%）", "研发场地面积（m²）"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, column as u16, *name).unwrap();
    }
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.0%");
    for (index, (name, ratio)) in rows.iter().enumerate() {
        let row = index as u32 + 2;
        sheet.write_number(row, 0, index as f64 + 1.0).unwrap();
        sheet.write_string(row, 1, *name).unwrap();
        // The first row's ratio as a percentage-formatted fraction, the others as numbers.
        if index == 0 {
            sheet
                .write_number_with_format(row, 2, ratio / 100.0, &percent)
                .unwrap();
        } else {
            sheet.write_number(row, 2, *ratio).unwrap();
        }
        sheet.write_number(row, 3, 1500.0).unwrap();
    }
    sheet
        .write_string(rows.len() as u32 + 2, 0, "合计")
        .unwrap();
    sheet
        .write_number(rows.len() as u32 + 2, 3, 1500.0 * rows.len() as f64)
        .unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn xlsx_instructions_first_and_a_merged_title_are_passed_over() {
    let bytes = bureau_workbook(&[("甲公司", 58.2), ("乙公司", 69.99), ("甲公司", 70.0)]);
    let (columns, rows) = read_xlsx(bytes);
    assert_eq!(row_numbers(&rows), vec![3, 4, 5]);
    let ratios: Vec<Option<Value>> = rows
        .iter()
        .map(|row| value(&profile_ok(&columns, row), "finance.debt_ratio"))
        .collect();
    assert_eq!(
        ratios,
        vec![
            Some(Value::Number(dec!(0.582))),
            Some(Value::Number(dec!(0.6999))),
            Some(Value::Number(dec!(0.7)))
        ]
    );
    let notes = notes_en(&columns);
    assert!(
        notes[0].contains("read the worksheet '汇总' (passing over '填表说明'"),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.ends_with("columns ignored (they give no field of the profile): A 序号")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("row 6 (totals: 合计)")),
        "{notes:?}"
    );
    // Same name, no code, twice: both rows warned.
    assert!(columns
        .row_warnings(3)
        .iter()
        .any(|w| w.en.contains("as row 5")));
    assert!(columns
        .row_warnings(5)
        .iter()
        .any(|w| w.en.contains("as row 3")));
    assert!(columns.row_warnings(4).is_empty());
}

#[test]
fn xlsx_sheet_by_name_and_an_unknown_name_lists_the_sheets() {
    let bytes = bureau_workbook(&[("甲公司", 58.2)]);
    let (columns, rows) = xlsx::open(bytes.clone(), "mem.xlsx", Some("汇总")).unwrap();
    assert_eq!(rows.count(), 1);
    assert!(notes_en(&columns)
        .iter()
        .all(|note| !note.contains("passing over")));
    let error = match xlsx::open(bytes, "mem.xlsx", Some("汇 总表")) {
        Ok(_) => panic!("no such sheet"),
        Err(error) => error,
    };
    let en = error.render(Lang::En);
    assert!(
        en.contains("no worksheet named '汇 总表'; its worksheets are '填表说明', '汇总'"),
        "{en}"
    );
    assert!(error
        .render(Lang::Zh)
        .contains("现有工作表：“填表说明”、“汇总”"));
}

#[test]
fn xlsx_rows_stream_and_stopping_early_ends_the_reading_thread() {
    let names: Vec<(String, f64)> = (0..2_000).map(|n| (format!("公司{n}"), 50.0)).collect();
    let rows: Vec<(&str, f64)> = names.iter().map(|(n, r)| (n.as_str(), *r)).collect();
    let bytes = bureau_workbook(&rows);
    let (_, mut read) = xlsx::open(bytes.clone(), "mem.xlsx", None).unwrap();
    // Read a few rows and drop the rest: the thread must stop, not block.
    assert!(read.next().is_some());
    drop(read);
    let (_, read) = xlsx::open(bytes, "mem.xlsx", None).unwrap();
    assert_eq!(read.count(), 2_000);
}

/// The undecoded look at a cell never rules out a totals word, in any width or case, with
/// spaces or a count after it; and it rules out a USCC, which has no O or S.
#[test]
fn the_quick_totals_look_keeps_every_totals_word_and_passes_over_a_uscc() {
    fn full_width(word: &str) -> String {
        word.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
                c => c,
            })
            .collect()
    }
    for word in TOTALS {
        for written in [
            word.to_string(),
            word.to_uppercase(),
            full_width(word),
            format!("{word}（5家）"),
            format!(" {word}："),
        ] {
            let view = CellView::Bytes(written.as_bytes(), encoding::TextEncoding::Utf8);
            assert!(view.may_be_totals(), "{written:?} ruled out");
            assert_eq!(header::totals_word(&written), Some(*word), "{written:?}");
        }
    }
    let uscc = "91530100MA6K3L7P2D";
    let view = CellView::Bytes(uscc.as_bytes(), encoding::TextEncoding::Utf8);
    assert!(!view.may_be_totals());
}

#[test]
fn a_debt_ratio_above_one_without_unit_is_asked_both_ways_in_either_reader() {
    let columns = columns(&["单位名称", "资产负债率"]);
    for row in [
        csv_row(2, &["甲".as_bytes(), b"1.2"], encoding::TextEncoding::Utf8),
        cells_row(2, vec![text("甲"), number("1.2")]),
    ] {
        let error = columns.profile(&row).unwrap_err().render(Lang::Zh);
        assert!(error.contains("第 2 行") || error.contains(":2"), "{error}");
        assert!(error.contains("\"1.2%\" 或 \"120%\""), "{error}");
    }
}

#[test]
fn signature_lines_units_rows_and_the_header_again_are_told_but_an_applicant_never_is() {
    let names = [
        "序号",
        "单位名称",
        "单位类型",
        "研发场地面积（m²）",
        "仪器设备原值（万元）",
    ];
    let columns = columns(&names);
    let kind = |cells: &[&str]| {
        let csv = csv_row(
            9,
            &cells.iter().map(|c| c.as_bytes()).collect::<Vec<_>>(),
            encoding::TextEncoding::Utf8,
        );
        let typed = cells_row(
            9,
            cells
                .iter()
                .map(|c| if c.is_empty() { Cell::Empty } else { text(c) })
                .collect(),
        );
        let by_csv = columns.classify(&RowView::of(&csv));
        assert_eq!(by_csv, columns.classify(&RowView::of(&typed)), "{cells:?}");
        by_csv
    };
    let skipped = |skip| RowKind::Skipped(skip);
    assert_eq!(
        kind(&[
            "填表人：李四",
            "",
            "审核人（签字）：王五",
            "联系电话：0871-1234567"
        ]),
        skipped(Skip::Footer)
    );
    // A label, its value in the next cell.
    assert_eq!(
        kind(&["填报日期：", "2024-03-15", "单位（盖章）", ""]),
        skipped(Skip::Footer)
    );
    assert_eq!(kind(&names), skipped(Skip::Header));
    assert_eq!(kind(&["", "", "", "m²", "（万元）"]), skipped(Skip::Units));
    assert_eq!(kind(&["3", "", "企业", "", ""]), skipped(Skip::NoApplicant));
    assert_eq!(kind(&["3", "", "", "", ""]), RowKind::Empty);
    // Applicants: a name beginning like a label or a unit, a label's word beside figures,
    // a figure without a name.
    for row in [
        &["1", "单晶硅科技有限公司", "企业", "1800", "2350"][..],
        &["电话：0871-1234567", "甲公司", "企业", "1800", ""],
        &["填表人：李四", "", "", "1800", ""],
        &["", "万元科技有限公司", "", "", ""],
        &["4", "", "企业", "1600", ""],
        &["序号", "单位名称", "企业", "1800", "2350"],
    ] {
        assert_eq!(kind(row), RowKind::Data, "{row:?}");
    }
}

#[test]
fn the_packed_first_characters_are_their_utf8_bytes() {
    for c in SPECIAL_STARTS.iter().copied().chain(['a', 'é', '云', '😀']) {
        let mut buffer = [0u8; 4];
        let bytes = c.encode_utf8(&mut buffer).as_bytes();
        assert_eq!(first_key(bytes), Some(utf8_key(c)), "{c}");
    }
}

#[test]
fn every_footer_label_and_unit_begins_with_a_special_start() {
    // The cheap first-cell test must let every label and unit of the word lists through: a
    // word added to a list is then told without touching the code.
    let firsts = header::FOOTER_LABELS
        .iter()
        .copied()
        .chain(HEADER_UNITS.iter().map(|unit| unit.unit))
        .filter_map(|word| word.chars().next());
    for first in firsts {
        assert!(SPECIAL_STARTS.contains(&first), "{first}");
    }
}
