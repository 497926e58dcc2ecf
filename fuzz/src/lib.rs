//! The bodies of the fuzz targets (each `fuzz_targets/NAME.rs` calls `NAME` here), and what
//! they share: the built-in rulebook and rubric (read once per process), a fixed judging date
//! (so that a crash replays the same way on any day), and a check of one input through
//! [`ticheck::check::check_bytes`] whose JSON report must parse.
//!
//! `tests/fuzz_regressions.rs` includes this file as a module and replays the inputs kept in
//! `tests/fuzz_regressions/TARGET/` through the same functions, so a crash found here stays
//! fixed under `cargo test`. It therefore uses only crates the main crate depends on.

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use ticheck::check::{self, Checked, InputFormat, Output, Request};
use ticheck::i18n::Lang;
use ticheck::normalise::DateChoice;
use ticheck::profile::uscc;
use ticheck::profile::value::{self, Quantity};
use ticheck::report::Format;
use ticheck::rules::evaluation::Rubric;
use ticheck::rules::Rulebook;

pub fn rulebook() -> &'static Rulebook {
    static RULEBOOK: OnceLock<Rulebook> = OnceLock::new();
    RULEBOOK.get_or_init(Rulebook::builtin)
}

pub fn rubric() -> &'static Rubric {
    static RUBRIC: OnceLock<Rubric> = OnceLock::new();
    RUBRIC.get_or_init(Rubric::builtin)
}

/// The judging date of every target: a day of the 2025 round, never the clock's.
pub fn dates() -> DateChoice {
    DateChoice {
        as_of: None,
        today: NaiveDate::from_ymd_opt(2025, 6, 30).expect("a calendar date"),
    }
}

/// The outputs besides the JSON report, one of which each input is also rendered in (chosen
/// by the input's length, so that a crash replays with the same output).
const OTHER_OUTPUTS: [Output; 7] = [
    Output::Report(Format::Table),
    Output::Report(Format::Csv),
    Output::Report(Format::Sarif),
    Output::Report(Format::Junit),
    Output::Report(Format::Github),
    Output::Report(Format::Markdown),
    Output::Workbook,
];

fn request(format: InputFormat, output: Output, lang: Lang) -> Request<'static> {
    Request {
        format,
        name: "fuzz-input",
        lang,
        dates: dates(),
        output,
        near_miss: 3,
        sheet: Default::default(),
    }
}

/// Checks `bytes` as `format` and asserts what holds of every check: the JSON report parses as
/// JSON, a TOML profile is one applicant, and the report in a second format (and in the other
/// language) is written too.
pub fn check(format: InputFormat, bytes: &[u8]) -> Checked {
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let json = check::check_bytes(
        rulebook(),
        bytes.clone(),
        &request(format, Output::Report(Format::Json), Lang::Zh),
    );
    if let Err(error) = serde_json::from_slice::<serde_json::Value>(&json.body) {
        panic!(
            "the JSON report does not parse ({error}):\n{}",
            String::from_utf8_lossy(&json.body)
        );
    }
    if format == InputFormat::Toml {
        assert_eq!(json.summary.total(), 1, "a TOML profile is one applicant");
    }
    let other = OTHER_OUTPUTS[bytes.len() % OTHER_OUTPUTS.len()];
    let again = check::check_bytes(rulebook(), bytes.clone(), &request(format, other, Lang::En));
    // The same input counts the same whatever the format and language.
    assert_eq!(
        (json.summary.eligible, json.summary.ineligible),
        (again.summary.eligible, again.summary.ineligible),
        "the {other:?} report counts otherwise than the JSON"
    );
    assert_eq!(
        (json.summary.incomplete, json.summary.error),
        (again.summary.incomplete, again.summary.error),
        "the {other:?} report counts otherwise than the JSON"
    );
    json
}

/// A workbook of one worksheet, `sheet_xml` as its part `xl/worksheets/sheet1.xml`, stored
/// uncompressed: the fuzzer's bytes reach calamine's XML reader and the header detection
/// rather than failing the zip's checksums.
pub fn workbook_around(sheet_xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const PARTS: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="申报单位" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in PARTS {
        zip.start_file(name, options).expect("a zip in memory");
        zip.write_all(text.as_bytes()).expect("a zip in memory");
    }
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("a zip in memory");
    zip.write_all(sheet_xml).expect("a zip in memory");
    zip.finish().expect("a zip in memory").into_inner()
}

/// A worksheet's XML from a grid written as text: rows by line, cells by tab; a cell that
/// reads as a number is a number cell, any other an inline string.
pub fn sheet_xml_of_grid(grid: &str) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (row, line) in grid.lines().enumerate().take(2_000) {
        xml.push_str(&format!(r#"<row r="{}">"#, row + 1));
        for (column, cell) in line.split('\t').enumerate().take(200) {
            if cell.is_empty() {
                continue;
            }
            let reference = format!(
                "{}{}",
                ticheck::profile::sheet::column_letter(column),
                row + 1
            );
            if cell.parse::<f64>().is_ok_and(f64::is_finite) {
                xml.push_str(&format!(r#"<c r="{reference}"><v>{cell}</v></c>"#));
            } else {
                let escaped = cell
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                xml.push_str(&format!(
                    r#"<c r="{reference}" t="inlineStr"><is><t>{escaped}</t></is></c>"#
                ));
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml.into_bytes()
}

/// `profile_toml`: an applicant's TOML profile checked as `ticheck check` checks a file (bytes
/// decoded, TOML read, fields typed, facts judged, report written), and the same text read as
/// a built center's evaluation profile and evaluated.
pub fn profile_toml(data: &[u8]) {
    check(InputFormat::Toml, data);
    let Ok(text) = check::decode_text("fuzz-input", data.to_vec()) else {
        return;
    };
    let rubric = rubric();
    let evaluation = match ticheck::profile::evaluation::load_for_cycle(
        "fuzz-input",
        &text,
        rubric.meta.cycle_years,
    ) {
        Ok(center) => ticheck::evaluation::evaluate(rubric, &center),
        Err(error) => ticheck::evaluation::Evaluation::invalid(rubric, error),
    };
    evaluation_json(rubric, std::slice::from_ref(&evaluation), Lang::Zh);
}

/// The JSON report of evaluations, which must parse.
fn evaluation_json(
    rubric: &Rubric,
    evaluations: &[ticheck::evaluation::Evaluation<'_>],
    lang: Lang,
) {
    let mut out = Vec::new();
    ticheck::report::evaluation::json::write(&mut out, rubric, evaluations, lang, &[])
        .expect("writing into memory does not fail");
    if let Err(error) = serde_json::from_slice::<serde_json::Value>(&out) {
        panic!(
            "the evaluation's JSON does not parse ({error}):\n{}",
            String::from_utf8_lossy(&out)
        );
    }
}

/// `sheet_csv`: encoding detected, delimiter sniffed, header found past any title rows (one
/// row or two), columns resolved, rows typed and judged, duplicates found by the second
/// reading; the report must parse and count the same in every format.
pub fn sheet_csv(data: &[u8]) {
    check(InputFormat::Csv, data);
}

/// `sheet_xlsx`: workbook opened, worksheet chosen by its header, header found (one row or
/// two), merged cells filled, rows typed and judged. The first byte picks how the rest is read,
/// so that the fuzzer reaches the reader's XML and the header detection as well as the zip: 0,
/// the rest is the workbook's bytes; 1, a worksheet's XML put in a workbook; 2, a grid of text
/// (rows by line, cells by tab) written as a worksheet.
pub fn sheet_xlsx(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let workbook = match mode % 3 {
        0 => rest.to_vec(),
        1 => workbook_around(rest),
        _ => workbook_around(&sheet_xml_of_grid(&String::from_utf8_lossy(rest))),
    };
    check(InputFormat::Xlsx, &workbook);
}

/// A value written as the reports write it (`1500 m²`, `70%`, `2000 万元`) and as a bare
/// number; both must read back as the same value.
fn round_trip(quantity: Quantity, parsed: Decimal, input: &str) {
    let shown = quantity.display_with_unit(parsed);
    assert_eq!(
        quantity.parse(&shown),
        Ok(parsed),
        "{quantity:?} {input:?} read as {parsed}, shown as {shown:?}, does not read back"
    );
    if quantity != Quantity::Ratio {
        let bare = value::plain(parsed);
        assert_eq!(
            quantity.parse(&bare),
            Ok(parsed),
            "{quantity:?} {input:?} read as {parsed}, written {bare:?}, does not read back"
        );
    }
}

/// `values`: the value parsers of SPEC §4 (money, area, ratio, count, year, yes/no, date) on any
/// text, and what their results must satisfy: an amount, area, ratio or count read is never
/// negative, a count is whole, a year lies in 1900..=2100, and a value read, written back as
/// the reports write it and read again, is the same value. The same round trip is made from
/// decimals built of the input's bytes.
pub fn values(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        for quantity in [
            Quantity::Money,
            Quantity::Area,
            Quantity::Ratio,
            Quantity::Count,
        ] {
            if let Ok(parsed) = quantity.parse(text) {
                assert!(
                    parsed >= Decimal::ZERO,
                    "{quantity:?} {text:?} read as the negative {parsed}"
                );
                if quantity == Quantity::Count {
                    assert_eq!(
                        parsed.fract(),
                        Decimal::ZERO,
                        "count {text:?} read as {parsed}"
                    );
                }
                round_trip(quantity, parsed, text);
            }
        }
        if let Ok(year) = value::parse_year(text) {
            assert!(
                (Decimal::from(1900)..=Decimal::from(2100)).contains(&year),
                "year {text:?} read as {year}"
            );
        }
        if let Ok(date) = value::parse_date(text) {
            // Years of five digits are written with a sign, which no reader takes back.
            if (1..=9999).contains(&chrono::Datelike::year(&date)) {
                let written = date.format("%Y-%m-%d").to_string();
                assert_eq!(value::parse_date(&written), Ok(date), "date {text:?}");
            }
        }
        if let Ok(yes) = value::parse_bool(text) {
            let written = if yes { "是" } else { "否" };
            assert_eq!(value::parse_bool(written), Ok(yes));
        }
        let _ = value::parse_amount(text);
        let excerpt = value::excerpt(text);
        assert!(
            excerpt.chars().count() <= 41,
            "an excerpt of {text:?} is too long"
        );
        assert_eq!(value::trim(text), text.trim(), "the quick trim of {text:?}");
    }

    // Decimals from the bytes: a mantissa of up to 28 digits at any scale, non-negative.
    if data.len() >= 17 {
        let mantissa = i128::from_le_bytes(data[..16].try_into().expect("16 bytes"));
        let mantissa = (mantissa % 10i128.pow(28)).abs();
        let scale = u32::from(data[16]) % 29;
        if let Ok(decimal) = Decimal::try_from_i128_with_scale(mantissa, scale) {
            round_trip(Quantity::Money, decimal, "<bytes>");
            round_trip(Quantity::Area, decimal, "<bytes>");
            if decimal <= Decimal::ONE {
                round_trip(Quantity::Ratio, decimal, "<bytes>");
            }
            if scale == 0 {
                round_trip(Quantity::Count, decimal, "<bytes>");
            }
        }
    }
}

const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The check character of 17 characters of the USCC alphabet, computed here from the standard
/// rather than by the validator: weights 3^(i−1) mod 31, and the check value 31 − (Σ mod 31),
/// taken mod 31 (GB 32100-2015).
fn check_character(first17: &str) -> char {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for c in first17.chars() {
        let value = USCC_CHARSET.find(c).expect("a character of the alphabet") as u32;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    USCC_CHARSET
        .chars()
        .nth(((31 - sum % 31) % 31) as usize)
        .expect("a value below 31")
}

/// `uscc`: the USCC validator (GB 32100-2015) on any text: a code accepted is 18 characters of
/// the alphabet with a right check character and reads back as itself; a code built of the
/// input's first 17 bytes with the right check character is accepted, in lower case and in
/// groups too.
pub fn uscc(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(code) = uscc::validate(&text) {
        assert_eq!(code.len(), 18, "{text:?} accepted as {code:?}");
        assert!(
            code.chars().all(|c| USCC_CHARSET.contains(c)),
            "{text:?} accepted as {code:?}"
        );
        assert_eq!(
            code.chars().last(),
            Some(check_character(&code[..17])),
            "{text:?} accepted as {code:?} with a wrong check character"
        );
        assert_eq!(uscc::validate(&code).as_deref(), Ok(code.as_str()));
        let _ = uscc::tidied(&text, &code);
        let division = uscc::division_code(&code);
        let _ = uscc::prefecture_of(division);
        let _ = uscc::same_prefecture(&text, division);
    }
    if data.len() >= 17 {
        let first17: String = data[..17]
            .iter()
            .map(|b| USCC_CHARSET.as_bytes()[usize::from(*b) % 31] as char)
            .collect();
        let code = format!("{first17}{}", check_character(&first17));
        assert_eq!(
            uscc::validate(&code),
            Ok(code.clone()),
            "a valid code refused"
        );
        let lower = code.to_lowercase();
        assert_eq!(
            uscc::validate(&lower),
            Ok(code.clone()),
            "{lower:?} refused"
        );
        let spaced = format!("{} {} {}", &code[..4], &code[4..8], &code[8..]);
        assert_eq!(
            uscc::validate(&spaced),
            Ok(code.clone()),
            "{spaced:?} refused"
        );
    }
}

/// The shipped profiles a fuzzed rulebook judges.
const PROFILES: [(&str, InputFormat, &[u8]); 3] = [
    (
        "eligible-enterprise.toml",
        InputFormat::Toml,
        include_bytes!("../../fixtures/eligible-enterprise.toml"),
    ),
    (
        "incomplete-institute.toml",
        InputFormat::Toml,
        include_bytes!("../../fixtures/incomplete-institute.toml"),
    ),
    (
        "candidates.csv",
        InputFormat::Csv,
        include_bytes!("../../fixtures/batch/candidates.csv"),
    ),
];

/// `rulebook`: any text read and validated as a rulebook; a rulebook that passes the validation
/// must then judge the shipped profiles and a sheet without panicking, and its JSON report must
/// parse (the validation is what stands between a user's rulebook and the engine).
pub fn rulebook_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rulebook) = Rulebook::parse("fuzz-rulebook", text) else {
        return;
    };
    for (name, format, bytes) in PROFILES {
        let request = Request {
            name,
            ..request(format, Output::Report(Format::Json), Lang::Zh)
        };
        let checked = check::check_bytes(&rulebook, Arc::from(bytes), &request);
        if let Err(error) = serde_json::from_slice::<serde_json::Value>(&checked.body) {
            panic!(
                "{name}: the JSON report does not parse ({error}):\n{}",
                String::from_utf8_lossy(&checked.body)
            );
        }
        let table = check::check_bytes(
            &rulebook,
            Arc::from(bytes),
            &Request {
                output: Output::Report(Format::Table),
                lang: Lang::En,
                ..request
            },
        );
        assert_eq!(checked.summary.total(), table.summary.total());
    }
}

/// The shipped centers' profiles a fuzzed rubric evaluates.
const CENTERS: [(&str, &str); 3] = [
    (
        "good-center.toml",
        include_str!("../../fixtures/evaluation/good-center.toml"),
    ),
    (
        "vetoed-center.toml",
        include_str!("../../fixtures/evaluation/vetoed-center.toml"),
    ),
    (
        "incomplete-center.toml",
        include_str!("../../fixtures/evaluation/incomplete-center.toml"),
    ),
];

/// `rubric`: any text read and validated as an evaluation rubric; a rubric that passes must
/// then evaluate the shipped centers' profiles without panicking, give each a total range
/// whose low end is not above its high end, and write a JSON report that parses.
pub fn rubric_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rubric) = Rubric::parse("fuzz-rubric", text) else {
        return;
    };
    let mut evaluations = Vec::new();
    for (name, text) in CENTERS {
        let evaluation =
            match ticheck::profile::evaluation::load_for_cycle(name, text, rubric.meta.cycle_years)
            {
                Ok(center) => ticheck::evaluation::evaluate(&rubric, &center),
                Err(error) => ticheck::evaluation::Evaluation::invalid(&rubric, error),
            };
        assert!(
            evaluation.total.low <= evaluation.total.high,
            "{name}: the total's range is {}..{}",
            evaluation.total.low,
            evaluation.total.high
        );
        evaluations.push(evaluation);
    }
    for lang in [Lang::Zh, Lang::En] {
        evaluation_json(&rubric, &evaluations, lang);
    }
}

/// `evaluation_round`: a round of built centers read from a sheet (`ticheck evaluate
/// ROUND.csv|xlsx`): the centers' worksheet and header found, targets attached, each center
/// evaluated. The first byte picks the form of the rest, as for `sheet_xlsx`, with one more: 3,
/// the rest is a CSV file. Every center read is evaluated and the JSON report must parse.
pub fn evaluation_round(data: &[u8]) {
    use ticheck::profile::evaluation::LoadTerms;
    use ticheck::profile::evaluation_sheet::{read_round, SheetFile};

    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (bytes, is_csv) = match mode % 4 {
        0 => (rest.to_vec(), false),
        1 => (workbook_around(rest), false),
        2 => (
            workbook_around(&sheet_xml_of_grid(&String::from_utf8_lossy(rest))),
            false,
        ),
        _ => (rest.to_vec(), true),
    };
    let name = if is_csv { "round.csv" } else { "round.xlsx" };
    let file = SheetFile {
        name: name.to_string(),
        bytes,
        is_csv,
    };
    let rubric = rubric();
    let terms = LoadTerms {
        cycle_years: Some(rubric.meta.cycle_years),
        same_units: &rubric.acceptance.same_units,
    };
    let Ok(round) = read_round(&file, None, None, None, terms) else {
        return;
    };
    let evaluations: Vec<_> = round
        .centers
        .into_iter()
        .map(|center| match center {
            Ok(center) => ticheck::evaluation::evaluate(rubric, &center),
            Err(error) => ticheck::evaluation::Evaluation::invalid(rubric, error),
        })
        .collect();
    evaluation_json(rubric, &evaluations, Lang::En);
}
