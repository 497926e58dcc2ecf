//! Checking inputs and streaming their report: what `ticheck check` and the web server share.
//!
//! A [`Run`] takes each input's applicants (a TOML profile, or a sheet's rows judged on every
//! core), hands them to an emitter and counts them. [`check_bytes`] is the whole of a check of
//! one input held in memory, as the web server receives it; the command line reads files and
//! standard input, but types, judges and renders through the same functions, so both answer
//! the same bytes for the same input.

use std::io::{self, Cursor, Write};
use std::sync::Arc;

use crate::engine::{Assessment, Overall};
use crate::i18n::{Lang, Text};
use crate::normalise::DateChoice;
use crate::pipeline::{self, Judged};
use crate::profile::sheet::{self, Columns, RawRow};
use crate::profile::{InvalidProfile, Problem, Profile};
use crate::report::diagnostic::{self, ColorWhen};
use crate::report::near_miss::NearMiss;
use crate::report::{self, Emitter, Format, RowRenderer, Settings, Summary};
use crate::rules::Rulebook;

/// The formats a profile or a sheet comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Toml,
    Csv,
    Xlsx,
}

impl InputFormat {
    /// A file's format by its name's extension (`.toml`; `.csv`, `.tsv`, `.txt`; `.xlsx`,
    /// `.xlsm`, `.xls`).
    pub fn of_name(name: &str) -> Option<InputFormat> {
        let extension = std::path::Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("toml") => Some(InputFormat::Toml),
            Some("csv" | "tsv" | "txt") => Some(InputFormat::Csv),
            Some("xlsx" | "xlsm" | "xls") => Some(InputFormat::Xlsx),
            _ => None,
        }
    }
}

/// The state of one check: where results go and what has been counted.
pub struct Run<'a, 'r> {
    pub rulebook: &'r Rulebook,
    pub lang: Lang,
    /// Where the located messages of unreadable profiles and the notes on each sheet are
    /// printed: standard error, in these colours (the command line); `None` prints nothing,
    /// the report alone tells (the web server).
    pub diagnostics: Option<ColorWhen>,
    pub dates: DateChoice,
    pub emitter: &'a mut (dyn Emitter + 'r),
    /// Renders sheet rows in the workers, for formats whose rows stand alone.
    pub renderer: Option<RowRenderer<'r>>,
    pub out: &'a mut dyn Write,
    pub summary: Summary,
    /// `--near-miss N`, when the output lists near misses.
    pub near_miss: Option<usize>,
    /// The first applicants with warnings and their first warning, for `--strict`'s account.
    pub warned: Vec<(String, usize, String)>,
    /// How many applicants had warnings.
    pub warned_count: usize,
    /// Whether a profile's problem named a field (it was read, but is invalid), rather than
    /// the input as a whole being unreadable.
    pub invalid_fields: bool,
    pub written: io::Result<()>,
}

/// How many applicants `--strict`'s account names before it only counts.
pub const STRICT_SHOWN: usize = 20;

impl Run<'_, '_> {
    pub fn report(&mut self, assessment: &Assessment<'_>) {
        let near_miss = self
            .near_miss
            .and_then(|limit| NearMiss::of(assessment, limit));
        if let Some(near_miss) = near_miss {
            self.summary.near_misses.add(near_miss);
        }
        self.count(
            assessment.verdict,
            &assessment.source,
            &assessment.warnings,
            assessment.error.as_ref(),
        );
        if self.written.is_ok() {
            self.written = self.emitter.emit(self.out, assessment);
        }
    }

    /// Counts a result, and prints why a profile could not be read.
    fn count(
        &mut self,
        verdict: Overall,
        source: &str,
        warnings: &[Text],
        error: Option<&InvalidProfile>,
    ) {
        if let Some(error) = error {
            if let Some(color) = self.diagnostics {
                diagnostic::print(error, self.lang, color);
            }
            self.invalid_fields |= error.problems.iter().any(|p| p.field.is_some());
        }
        self.summary.add(verdict);
        if let Some(first) = warnings.first() {
            self.warned_count += 1;
            if self.warned.len() < STRICT_SHOWN {
                self.warned.push((
                    source.to_string(),
                    warnings.len(),
                    first.get(self.lang).to_string(),
                ));
            }
        }
    }

    fn report_judged(&mut self, judged: Judged<'_, '_>) {
        match judged {
            Judged::Assessment(assessment) => self.report(&assessment),
            Judged::Rendered {
                verdict,
                source,
                warnings,
                error,
                near_miss,
                bytes,
            } => {
                if let Some(near_miss) = near_miss {
                    self.summary.near_misses.add(near_miss);
                }
                self.count(verdict, &source, &warnings, error.as_ref());
                if self.written.is_ok() {
                    self.written = self.emitter.emit_rendered(self.out, bytes);
                }
            }
        }
    }

    /// Judges a sheet's rows on every core, reporting them in input order.
    pub fn sheet(
        &mut self,
        columns: &Columns,
        rows: impl Iterator<Item = Result<RawRow, InvalidProfile>> + Send,
    ) {
        let (rulebook, dates, renderer) = (self.rulebook, self.dates, self.renderer);
        let rows_read =
            pipeline::judge_in_order(rows, columns, rulebook, dates, renderer, |judged| {
                self.report_judged(judged)
            });
        // Said once per sheet, not per row: the columns ignored, the rows skipped (SPEC §7);
        // and kept for the reports, which a bureau files where the terminal is long gone.
        let notes = columns.sheet_notes();
        if self.diagnostics.is_some() {
            for note in &notes {
                eprintln!("ticheck: {}", note.line().get(self.lang));
            }
        }
        self.summary.sheet_notes.extend(notes);
        if rows_read == 0 {
            self.report(&Assessment::invalid(sheet::file_error(
                &columns.file,
                "只有表头，没有数据行",
                "the sheet has a header but no data rows",
            )));
        }
    }

    /// Checks one input held in memory, named `name` in the report.
    pub fn bytes(
        &mut self,
        bytes: Arc<[u8]>,
        format: InputFormat,
        name: &str,
        options: &SheetOptions<'_>,
    ) {
        match format {
            InputFormat::Toml => {
                let assessment = match decode_text(name, bytes.to_vec())
                    .and_then(|text| load_toml(name, &text))
                {
                    Ok(profile) => crate::assess_profile(&profile, self.rulebook, self.dates),
                    Err(error) => Assessment::invalid(error),
                };
                self.report(&assessment);
            }
            InputFormat::Csv => {
                // The second reader lets the sheet find the same applicant twice (SPEC §7).
                let again: Box<dyn io::Read + Send> = Box::new(Cursor::new(bytes.clone()));
                match sheet::csv::open_checked(
                    Box::new(Cursor::new(bytes)),
                    Some(again),
                    name,
                    options.encoding,
                ) {
                    Ok((columns, rows)) => self.sheet(&columns, rows),
                    Err(error) => self.report(&Assessment::invalid(error)),
                }
            }
            InputFormat::Xlsx => match sheet::xlsx::open(bytes.to_vec(), name, options.sheet) {
                Ok((columns, rows)) => self.sheet(&columns, rows),
                Err(error) => self.report(&Assessment::invalid(error)),
            },
        }
    }
}

/// How a sheet is read: `--sheet` and `--encoding`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SheetOptions<'a> {
    /// The worksheet of a workbook to read (default: the first with a recognisable header).
    pub sheet: Option<&'a str>,
    /// The text encoding of a CSV sheet (default: detected).
    pub encoding: Option<sheet::encoding::EncodingChoice>,
}

/// What a check of one input in memory asks for (the options of `ticheck check`).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub format: InputFormat,
    /// The input's name in the report (`a.csv` → sources `a.csv:3`).
    pub name: &'a str,
    pub lang: Lang,
    pub dates: DateChoice,
    pub output: Output,
    pub near_miss: usize,
    pub sheet: SheetOptions<'a>,
}

/// What a check writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A report in one of `check`'s formats.
    Report(Format),
    /// The results workbook (`--output FILE.xlsx`), as bytes.
    Workbook,
}

/// A check's report and its counts.
pub struct Checked {
    pub body: Vec<u8>,
    pub summary: Summary,
    /// Whether an invalid profile's problem named a field (it was read, but is invalid).
    pub invalid_fields: bool,
}

/// Checks one input held in memory and renders its report in `request.output`: the bytes
/// `ticheck check --format FORMAT NAME` prints for the same input (a TOML profile holds one
/// applicant; a sheet one a row).
pub fn check_bytes(rulebook: &Rulebook, bytes: Arc<[u8]>, request: &Request<'_>) -> Checked {
    check_with(
        rulebook,
        request,
        request.format != InputFormat::Toml,
        |run| run.bytes(bytes, request.format, request.name, &request.sheet),
    )
}

/// Checks a profile written as JSON with the TOML profile's shape ([`json_to_toml`]): the
/// report of the TOML it stands for, or of why it cannot be read.
///
/// The TOML is one the caller never saw, so a problem with the profile is located by its JSON
/// path (`finance.revenue`, `project[2].level`), never by a line of that text.
pub fn check_json_profile(rulebook: &Rulebook, bytes: &[u8], request: &Request<'_>) -> Checked {
    let text = json_to_toml(request.name, bytes);
    // As `Run::bytes` checks a TOML profile, but for where its problems are said to be.
    check_with(rulebook, request, false, |run| {
        let assessment = match text.and_then(|text| {
            load_toml(request.name, &text).map_err(|error| at_json_paths(error, &text))
        }) {
            Ok(profile) => {
                let mut assessment = crate::assess_profile(&profile, run.rulebook, run.dates);
                // A finding's place is a line of the TOML the JSON was written as, which the
                // caller never saw; its fields name it already.
                for finding in &mut assessment.findings {
                    finding.at = None;
                }
                assessment
            }
            Err(error) => Assessment::invalid(error),
        };
        run.report(&assessment);
    })
}

/// The problems of the TOML a JSON profile was written as, named by their path in the JSON
/// rather than by line and column of the TOML: the field the loader names, or else the key
/// written on the problem's line.
pub fn at_json_paths(mut error: InvalidProfile, toml: &str) -> InvalidProfile {
    for problem in &mut error.problems {
        if let Some(crate::profile::Location::Line { line, .. }) = problem.at.take() {
            if problem.field.is_none() {
                problem.field = toml_path_at(toml, line);
            }
        }
    }
    // Diagnostics quote the offending line of the text: not this one.
    error.text = None;
    error
}

/// The dotted path of what line `line` (1-based) of a TOML text written by `toml::to_string`
/// holds: `finance.revenue` for a key under `[finance]`, `project[2]` for the second
/// `[[project]]` header (items numbered from 1, as the loader names them).
fn toml_path_at(toml: &str, line: usize) -> Option<String> {
    let mut table = String::new();
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for (number, text) in toml.lines().enumerate() {
        let text = text.trim();
        let here = number + 1 == line;
        if let Some(name) = text.strip_prefix("[[").and_then(|t| t.strip_suffix("]]")) {
            let count = counts.entry(name.to_string()).or_default();
            *count += 1;
            table = format!("{name}[{count}]");
        } else if let Some(name) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            table = name.to_string();
        } else if here {
            let key = text.split_once('=')?.0.trim().trim_matches('"');
            return Some(match table.is_empty() {
                true => key.to_string(),
                false => format!("{table}.{key}"),
            });
        }
        if here {
            return Some(table);
        }
    }
    None
}

fn check_with(
    rulebook: &Rulebook,
    request: &Request<'_>,
    many: bool,
    read: impl FnOnce(&mut Run<'_, '_>),
) -> Checked {
    let settings = Settings {
        rulebook,
        lang: request.lang,
        many,
        detail: false,
        strict: false,
        near_miss: request.near_miss,
        output_encoding: report::OutputEncoding::default(),
        to_file: false,
    };
    let (mut emitter, renderer, lists_near_misses) = match request.output {
        Output::Report(format) => (
            report::emitter(format, settings),
            report::row_renderer(format, settings),
            report::lists_near_misses(format),
        ),
        Output::Workbook => (report::workbook_bytes(settings), None, true),
    };
    let mut body = Vec::new();
    let (summary, invalid_fields) = check_into(
        rulebook,
        request,
        emitter.as_mut(),
        renderer,
        lists_near_misses,
        &mut body,
        read,
    );
    // Writing into memory does not fail.
    let _ = emitter.finish(&mut body, &summary);
    Checked {
        body,
        summary,
        invalid_fields,
    }
}

/// Reads and judges with any emitter (one that collects the assessments, say); returns the
/// counts, and whether an invalid profile's problem named a field. The emitter is not
/// finished.
pub fn check_into<'r>(
    rulebook: &'r Rulebook,
    request: &Request<'_>,
    emitter: &mut (dyn Emitter + 'r),
    renderer: Option<RowRenderer<'r>>,
    near_misses: bool,
    out: &mut dyn Write,
    read: impl FnOnce(&mut Run<'_, 'r>),
) -> (Summary, bool) {
    let mut run = Run {
        rulebook,
        lang: request.lang,
        diagnostics: None,
        dates: request.dates,
        emitter,
        renderer,
        out,
        summary: Summary::default(),
        near_miss: near_misses.then_some(request.near_miss),
        warned: Vec::new(),
        warned_count: 0,
        invalid_fields: false,
        written: Ok(()),
    };
    read(&mut run);
    (run.summary, run.invalid_fields)
}

/// One applicant's TOML profile, read and judged as `ticheck check` judges a TOML file (with
/// the window drift); an unreadable profile is an `error` assessment saying why.
pub fn assess_toml<'r>(
    rulebook: &'r Rulebook,
    source: &str,
    text: &str,
    dates: DateChoice,
) -> Assessment<'r> {
    match load_toml(source, text) {
        Ok(profile) => crate::assess_profile(&profile, rulebook, dates),
        Err(error) => Assessment::invalid(error),
    }
}

pub fn file_problem(source: &str, zh: String, en: String) -> InvalidProfile {
    InvalidProfile::single(
        source,
        Problem {
            at: None,
            field: None,
            message: Text::new(zh, en),
        },
    )
}

/// A text file's bytes as text: UTF-8 (a BOM is dropped), or GB18030 as saved by Notepad or
/// WPS on Chinese Windows.
pub fn decode_text(source: &str, mut bytes: Vec<u8>) -> Result<String, InvalidProfile> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => {
            let at = error.utf8_error().valid_up_to() + 1;
            let bytes = error.into_bytes();
            let (text, _, malformed) = encoding_rs::GB18030.decode(&bytes);
            if malformed {
                return Err(file_problem(
                    source,
                    format!("文件不是 UTF-8 文本，也不是 GB18030 文本（第 {at} 字节处）；请以 UTF-8 编码保存 TOML 档案"),
                    format!("the file is not UTF-8 text, nor GB18030 (at byte {at}); save TOML profiles as UTF-8"),
                ));
            }
            Ok(text.into_owned())
        }
    }
}

/// Reads an applicant's TOML profile. A built center's evaluation profile given here is
/// pointed to `ticheck evaluate`.
pub fn load_toml(source: &str, text: &str) -> Result<Profile, InvalidProfile> {
    crate::profile::toml::load(source, text).map_err(|mut error| {
        if declares_section(text, &["center", "indicators", "governance"]) {
            error.problems.insert(
                0,
                Problem {
                    at: None,
                    field: None,
                    message: Text::new(
                        "这是已建创新中心的评估档案（有 [center]、[indicators] 等节）：请用 ticheck evaluate 评估，ticheck check 检查的是申报单位档案",
                        "this is a built center's evaluation profile ([center], [indicators] …): evaluate it with ticheck evaluate; ticheck check checks applicants' profiles",
                    ),
                },
            );
        }
        error
    })
}

/// Whether a TOML text opens one of these tables (`[center]`), to tell a profile of the other
/// command.
pub fn declares_section(text: &str, sections: &[&str]) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        line.strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|name| sections.contains(&name.trim()))
    })
}

/// A profile written as JSON with the TOML's shape (`{"applicant": {"name": …}, …}`), as the
/// TOML text it stands for. A JSON that is not such an object is a located problem.
pub fn json_to_toml(source: &str, bytes: &[u8]) -> Result<String, InvalidProfile> {
    let value: serde_json::Value =
        serde_json::from_slice(&quote_inexact_numbers(bytes)).map_err(|error| {
            InvalidProfile::single(
                source,
                Problem {
                    at: Some(crate::profile::Location::Line {
                        line: error.line(),
                        column: error.column(),
                    }),
                    field: None,
                    message: Text::new(
                        format!("不是有效的 JSON：{error}"),
                        format!("not valid JSON: {error}"),
                    ),
                },
            )
        })?;
    let not_a_profile = |zh: &str, en: &str| file_problem(source, zh.to_string(), en.to_string());
    if !value.is_object() {
        return Err(not_a_profile(
            "JSON 档案应是一个对象，形如 {\"applicant\": {\"name\": …}, …}（与 TOML 档案的结构相同）",
            "a JSON profile is an object shaped as the TOML profile: {\"applicant\": {\"name\": …}, …}",
        ));
    }
    let table = json_value_to_toml(value).map_err(|path| {
        file_problem(
            source,
            format!("JSON 档案中有 TOML 无法表示的值（null）：{path}"),
            format!("the JSON profile holds a value TOML cannot (null): {path}"),
        )
    })?;
    toml::to_string(&table).map_err(|error| {
        file_problem(
            source,
            format!("JSON 档案无法转为 TOML：{error}"),
            format!("the JSON profile cannot be written as TOML: {error}"),
        )
    })
}

/// A JSON value as TOML. A number keeps the digits written: an integer stays an integer, a
/// decimal an f64 only when that is exactly the number written, else its text, which the
/// profile's value parser reads as the same exact decimal (SPEC §4: amounts are exact; JSON's
/// usual reading would make 1499.99999999999999999 m² into 1500 and pass a failing area).
/// `Err` names the path of a `null`, which TOML has no word for.
fn json_value_to_toml(value: serde_json::Value) -> Result<toml::Value, String> {
    use serde_json::Value as Json;
    fn convert(value: Json, path: &str) -> Result<toml::Value, String> {
        Ok(match value {
            Json::Null => {
                return Err(if path.is_empty() {
                    "null".into()
                } else {
                    path.into()
                })
            }
            Json::Bool(flag) => toml::Value::Boolean(flag),
            Json::String(text) => toml::Value::String(text),
            Json::Number(number) => exact_number(&number),
            Json::Array(items) => toml::Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| convert(item, &format!("{path}[{}]", index + 1)))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(map) => {
                let mut table = toml::map::Map::new();
                for (key, item) in map {
                    let at = match path.is_empty() {
                        true => key.clone(),
                        false => format!("{path}.{key}"),
                    };
                    table.insert(key, convert(item, &at)?);
                }
                toml::Value::Table(table)
            }
        })
    }
    convert(value, "")
}

fn exact_number(number: &serde_json::Number) -> toml::Value {
    match number.as_i64() {
        Some(integer) => toml::Value::Integer(integer),
        // Exactly the number written: `quote_inexact_numbers` made any other a string.
        None => toml::Value::Float(number.as_f64().unwrap_or(f64::NAN)),
    }
}

/// The JSON text with every number that an f64 cannot hold exactly written as a string of its
/// digits, which the profile's value parser reads as the same exact decimal (SPEC §4: amounts
/// are exact; read as JSON numbers, 1499.99999999999999999 m² would be 1500 and pass a failing
/// area). Numbers an f64 holds exactly are left alone, and the text is borrowed unchanged when
/// there are none, so a syntax error's line and column are the caller's.
fn quote_inexact_numbers(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let (mut index, mut copied) = (0, 0);
    let mut in_string = false;
    while index < bytes.len() {
        let byte = bytes[index];
        if in_string {
            match byte {
                b'\\' => index += 1,
                b'"' => in_string = false,
                _ => {}
            }
            index += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
            index += 1;
            continue;
        }
        if byte == b'-' || byte.is_ascii_digit() {
            let start = index;
            while index < bytes.len()
                && matches!(bytes[index], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            {
                index += 1;
            }
            let token = &bytes[start..index];
            if !held_exactly(token) {
                let out = out.get_or_insert_with(|| Vec::with_capacity(bytes.len() + 16));
                out.extend_from_slice(&bytes[copied..start]);
                out.push(b'"');
                out.extend_from_slice(token);
                out.push(b'"');
                copied = index;
            }
            continue;
        }
        index += 1;
    }
    match out {
        None => std::borrow::Cow::Borrowed(bytes),
        Some(mut out) => {
            out.extend_from_slice(&bytes[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

/// Whether a JSON number token is read as exactly the decimal it writes: an integer within
/// i64, or a decimal whose f64 is the same decimal. A token that is not a number is left for
/// the JSON parser to refuse.
fn held_exactly(token: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(token) else {
        return true;
    };
    if text.parse::<i64>().is_ok() {
        return true;
    }
    let decimal = |text: &str| {
        rust_decimal::Decimal::from_scientific(text)
            .or_else(|_| text.parse::<rust_decimal::Decimal>())
    };
    match (text.parse::<f64>(), decimal(text)) {
        (Ok(float), Ok(exact)) => float.is_finite() && decimal(&float.to_string()) == Ok(exact),
        // Beyond what a decimal holds (1e400): kept as a string, the value parser says why.
        (Ok(_), Err(_)) => false,
        (Err(_), _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numbers_an_f64_cannot_hold_are_quoted_and_strings_are_left_alone() {
        let quoted = |json: &str| {
            String::from_utf8(quote_inexact_numbers(json.as_bytes()).into_owned()).unwrap()
        };
        let plain = r#"{"a": 1, "b": -0.5, "c": 1e3, "d": 0.1, "e": "1499.99999999999999999"}"#;
        assert!(matches!(
            quote_inexact_numbers(plain.as_bytes()),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            quoted(r#"{"x": 1499.99999999999999999, "y": [0.6999999999999999999, 2]}"#),
            r#"{"x": "1499.99999999999999999", "y": ["0.6999999999999999999", 2]}"#
        );
        // Inside a string, an escaped quote does not end it.
        assert_eq!(
            quoted(r#"{"n": "a\" 0.12345678901234567890", "v": 99999999999999999999}"#),
            r#"{"n": "a\" 0.12345678901234567890", "v": "99999999999999999999"}"#
        );
        assert_eq!(quoted("[1e400]"), r#"["1e400"]"#);
    }

    #[test]
    fn a_line_of_the_written_toml_is_named_by_its_json_path() {
        let json = br#"{"applicant": {"name": "x"}, "finance": {"revenue": 5},
            "rnd_spend": {"2023": 1}, "project": [{"name": "a"}, {"name": "b", "level": "n"}]}"#;
        let toml = json_to_toml("j", json).unwrap();
        let line_of = |needle: &str| {
            toml.lines()
                .position(|line| line.trim() == needle)
                .map(|index| index + 1)
                .unwrap_or_else(|| panic!("{needle} in {toml}"))
        };
        let path = |needle: &str| toml_path_at(&toml, line_of(needle));
        assert_eq!(path("revenue = 5").as_deref(), Some("finance.revenue"));
        assert_eq!(path("2023 = 1").as_deref(), Some("rnd_spend.2023"));
        assert_eq!(path("level = \"n\"").as_deref(), Some("project[2].level"));
        assert_eq!(path("[finance]").as_deref(), Some("finance"));
        assert_eq!(toml_path_at(&toml, 10_000), None);
    }

    #[test]
    fn a_json_profiles_problems_lose_the_lines_and_keep_or_gain_a_path() {
        let toml = "[finance]\nrevenue = 5\n";
        let error = InvalidProfile {
            source: "j".to_string(),
            applicant: None,
            problems: vec![
                Problem {
                    at: Some(crate::profile::Location::Line { line: 2, column: 1 }),
                    field: None,
                    message: Text::new("x", "x"),
                },
                Problem {
                    at: Some(crate::profile::Location::Line { line: 1, column: 1 }),
                    field: Some("finance.debt_ratio".to_string()),
                    message: Text::new("y", "y"),
                },
            ],
            text: Some(toml.into()),
        };
        let error = at_json_paths(error, toml);
        assert!(error.text.is_none());
        assert!(error.problems.iter().all(|problem| problem.at.is_none()));
        assert_eq!(error.problems[0].field.as_deref(), Some("finance.revenue"));
        assert_eq!(
            error.problems[1].field.as_deref(),
            Some("finance.debt_ratio")
        );
        assert_eq!(
            error.render(Lang::En),
            "j: finance.revenue: x\nj: finance.debt_ratio: y"
        );
    }
}
