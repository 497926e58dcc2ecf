//! What a verdict may claim (SPEC §2, §4): the real binary, run on the shipped fixtures and on
//! small variants of them written to temporary files, says no more than the facts allow.
//!
//! - an untouched `ticheck init` template is `incomplete` and says it is still the template;
//! - an `eligible` applicant is shown with what is still open (expert review, manual checks,
//!   self-declared facts) in the table, Markdown, JSON, the XLSX summary and a batch;
//! - warnings (an implausible value, a prefecture the USCC contradicts, a `[finance]` year
//!   other than Y−1, a comprehensive center, an expired measure) appear in every format, the
//!   expired measure before any verdict, and `--strict` says which warnings failed the run;
//! - informational clauses (Art. 8, Art. 4) are answered yes/no, the same in every format;
//! - no rounding across the debt-ratio bound; items left out of a count are named with why;
//! - a national registration (USCC division 100000) is a manual check, not an expert matter;
//! - Art. 10(六)'s scale and class-II IP resting on unrelated items pass but stay open.
//!
//! Every command runs in the crate root with `COLUMNS=160` and no locale (see `common`);
//! variants of `fixtures/eligible-enterprise.toml` are written into temporary directories.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{
    clause_row, column, csv_rows, excerpt, fixture_text, path_str, read_workbook, run, squash,
    table_records, ticheck, without_items, write, Run,
};

const ELIGIBLE: &str = "fixtures/eligible-enterprise.toml";
const BATCH: &str = "fixtures/batch/candidates.csv";

const CLAUSE_VERDICTS: [&str; 5] = ["pass", "fail", "missing", "review", "n/a"];
const KINDS: [&str; 4] = ["enterprise", "university", "institute", "tech_org"];

/// The clauses of the eligible fixture that only the expert panel can settle.
const FIXTURE_REVIEW: [&str; 4] = [
    "A10.2.leadership",
    "A10.3.network",
    "A10.5.achievements",
    "A10.6.local-support",
];
/// The eligible fixture's attested (self-declared) clauses.
const FIXTURE_ATTESTED: [&str; 4] = [
    "A10.2.industry-leader",
    "A10.2.rnd-unit",
    "A10.2.operating",
    "A10.4.support",
];

// ---------------------------------------------------------------------------------------------
// Running the binary

fn ticheck_run(args: &[&str]) -> Run {
    run(ticheck().args(args))
}

/// `ticheck check FILE --lang LANG EXTRA…`.
fn check(file: &str, lang: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", file, "--lang", lang];
    args.extend_from_slice(extra);
    ticheck_run(&args)
}

/// `ticheck check FILE --format json --lang en EXTRA…`: the exit code and the only result.
fn check_json(file: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let output = check(file, "en", &args);
    let json = output.json();
    let results = json["results"].as_array().expect("results is an array");
    assert_eq!(results.len(), 1, "one result for {file}: {json:#}");
    (output.code, results[0].clone())
}

/// `ticheck check FILE --format json --lang en`: every result of a batch.
fn batch_json(file: &str) -> Vec<Value> {
    let json = check(file, "en", &["--format", "json"]).json();
    json["results"].as_array().unwrap().clone()
}

fn clause<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id} in {result:#}"))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_else(|| panic!("not a string: {v}")))
        .collect()
}

fn warnings(result: &Value) -> Vec<&str> {
    strings(&result["warnings"])
}

fn notes(clause: &Value) -> Vec<&str> {
    strings(&clause["notes"])
}

// ---------------------------------------------------------------------------------------------
// Profiles

/// The text with the one line that assigns `key` (`key = …`, at the start of a line)
/// replaced by `line`.
fn set_line(text: &str, key: &str, line: &str) -> String {
    let prefix = format!("{key} =");
    let hits = text
        .lines()
        .filter(|l| l.trim_start().starts_with(&prefix))
        .count();
    assert_eq!(hits, 1, "exactly one line assigns {key}:\n{text}");
    text.lines()
        .map(|l| {
            if l.trim_start().starts_with(&prefix) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The text with the body of the table `[header]` (up to the next table header) replaced.
fn set_table(text: &str, header: &str, body: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with(header))
        .unwrap_or_else(|| panic!("no {header} in:\n{text}"));
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |i| start + 1 + i);
    let mut out: Vec<String> = lines[..start].iter().map(|l| l.to_string()).collect();
    out.push(header.to_string());
    out.push(body.trim_end().to_string());
    out.push(String::new());
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    out.join("\n") + "\n"
}

/// The eligible fixture with `edit` applied, written to `name` in `dir`.
fn variant(dir: &TempDir, name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    write(dir, name, &edit(fixture_text(ELIGIBLE)))
}

/// GB 32100-2015's check character for the first 17 characters of a USCC (SPEC §3).
fn uscc_check_char(first17: &str) -> char {
    const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    assert_eq!(
        first17.len(),
        17,
        "17 characters before the check character"
    );
    let mut weight = 1u32;
    let mut sum = 0u32;
    for c in first17.chars() {
        let value = CHARSET
            .find(c)
            .unwrap_or_else(|| panic!("{c:?} is not a USCC character")) as u32;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    CHARSET.as_bytes()[((31 - sum % 31) % 31) as usize] as char
}

fn uscc(first17: &str) -> String {
    format!("{first17}{}", uscc_check_char(first17))
}

// ---------------------------------------------------------------------------------------------
// Reading the table, Markdown, CSV, JUnit and XLSX outputs

/// The row of a batch summary table whose source cell is `source`.
fn batch_row(stdout: &str, source: &str) -> Vec<String> {
    let rows: Vec<Vec<String>> = table_records(stdout, |first| !first.is_empty())
        .into_iter()
        .filter(|r| r[0] == source)
        .collect();
    assert_eq!(rows.len(), 1, "one batch row for {source}:\n{stdout}");
    rows.into_iter().next().unwrap()
}

/// The cells of the Markdown table row that mentions `` `id` `` in its first cell.
fn markdown_row(document: &str, id: &str) -> Vec<String> {
    let marker = format!("`{id}`");
    let rows: Vec<Vec<String>> = document
        .lines()
        .filter(|l| l.starts_with("| "))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|cells| cells[0].contains(&marker))
        .collect();
    assert_eq!(rows.len(), 1, "one Markdown row for {id}:\n{document}");
    rows.into_iter().next().unwrap()
}

fn sheet<'a>(workbook: &'a [(String, Vec<Vec<String>>)], name: &str) -> &'a [Vec<String>] {
    &workbook
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| {
            let names: Vec<&String> = workbook.iter().map(|(n, _)| n).collect();
            panic!("no sheet {name:?} among {names:?}")
        })
        .1
}

/// `ticheck check FILE --lang LANG --output DIR/out.xlsx`, read back.
fn workbook_of(file: &str, lang: &str, dir: &TempDir) -> Vec<(String, Vec<Vec<String>>)> {
    let out = dir.path().join(format!("out-{lang}.xlsx"));
    let output = check(file, lang, &["--output", path_str(&out)]);
    assert!(
        out.exists(),
        "--output wrote no workbook (exit {}):\n{}",
        output.code,
        excerpt(&output.stderr)
    );
    read_workbook(&out)
}

fn decode_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of `name="…"` in an XML start tag.
fn xml_attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(decode_xml(&tag[start..end]))
}

/// The end of an XML start tag: the first `>` outside quotes.
fn tag_end(text: &str) -> usize {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return i,
            _ => {}
        }
    }
    panic!("unterminated tag: {text:?}");
}

struct TestCase {
    classname: String,
    /// What lies between `<testcase …>` and `</testcase>` (empty for `<testcase …/>`).
    body: String,
}

struct TestSuite {
    /// The `<testsuite …>` start tag.
    tag: String,
    cases: Vec<TestCase>,
    /// The suite's own `<system-out>` (after its test cases), decoded.
    system_out: String,
}

impl TestSuite {
    fn count(&self, name: &str) -> usize {
        xml_attribute(&self.tag, name)
            .unwrap_or_else(|| panic!("no {name} in {}", self.tag))
            .parse()
            .unwrap()
    }
}

/// The test suites of a JUnit document, with the root's start tag.
fn junit_suites(document: &str) -> (String, Vec<TestSuite>) {
    let root_at = document.find("<testsuites").expect("a <testsuites> root");
    let root_tag = document[root_at..root_at + tag_end(&document[root_at..]) + 1].to_string();
    let mut suites = Vec::new();
    for chunk in document.split("<testsuite ").skip(1) {
        let chunk = &chunk[..chunk.find("</testsuite>").expect("the suite closes")];
        let tag = format!("<testsuite {}", &chunk[..=tag_end(chunk)]);
        let mut cases = Vec::new();
        let mut rest = chunk;
        let mut after_cases = chunk;
        while let Some(at) = rest.find("<testcase ") {
            let from = &rest[at..];
            let end = tag_end(from);
            let start_tag = &from[..=end];
            let classname = xml_attribute(start_tag, "classname").unwrap_or_default();
            if start_tag.ends_with("/>") {
                cases.push(TestCase {
                    classname,
                    body: String::new(),
                });
                rest = &from[end + 1..];
            } else {
                let close = from.find("</testcase>").expect("the test case closes");
                cases.push(TestCase {
                    classname,
                    body: from[end + 1..close].to_string(),
                });
                rest = &from[close + "</testcase>".len()..];
            }
            after_cases = rest;
        }
        let system_out = match after_cases.find("<system-out>") {
            Some(at) => {
                let text = &after_cases[at + "<system-out>".len()..];
                decode_xml(&text[..text.find("</system-out>").expect("system-out closes")])
            }
            None => String::new(),
        };
        suites.push(TestSuite {
            tag,
            cases,
            system_out,
        });
    }
    (root_tag, suites)
}

// ---------------------------------------------------------------------------------------------
// 1. Templates never pass

#[test]
fn an_untouched_template_of_every_kind_is_incomplete_and_says_it_is_the_template() {
    for kind in KINDS {
        for (lang, word, prefix) in [("zh", "模板", "警告"), ("en", "template", "warning")] {
            let template = ticheck_run(&["init", "--kind", kind, "--lang", lang]);
            assert_eq!(template.code, 0, "init --kind {kind}: {}", template.stderr);
            assert!(template.stdout.contains(kind), "a {kind} template");

            let table = run(ticheck()
                .args(["check", "-", "--input-format", "toml", "--lang", lang])
                .write_stdin(template.stdout.clone()));
            assert_eq!(
                table.code,
                1,
                "{kind}/{lang}: an untouched template is incomplete (exit 1):\n{}\n{}",
                excerpt(&table.stdout),
                excerpt(&table.stderr)
            );
            let said = table
                .stdout
                .lines()
                .any(|l| l.trim_start().starts_with(prefix) && l.contains(word));
            assert!(
                said,
                "{kind}/{lang}: a warning says the profile is still the template ({word:?}):\n{}",
                excerpt(&table.stdout)
            );
            let verdict = verdict_line(
                &table.stdout,
                if lang == "zh" { "结论" } else { "Verdict:" },
            );
            assert!(
                verdict.contains("incomplete") && !verdict.contains("eligible)"),
                "{kind}/{lang}: incomplete, never eligible: {verdict}"
            );

            let json = run(ticheck()
                .args(["check", "-", "--input-format", "toml", "--format", "json"])
                .args(["--lang", lang])
                .write_stdin(template.stdout));
            assert_eq!(json.code, 1, "{kind}/{lang}: exit 1 in JSON too");
            let result = &json.json()["results"][0];
            assert_eq!(result["verdict"], "incomplete", "{kind}/{lang}: {result:#}");
            assert!(
                warnings(result).iter().any(|w| w.contains(word)),
                "{kind}/{lang}: a JSON warning says it is the template: {:?}",
                warnings(result)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Plausibility

fn implausible_equipment(dir: &TempDir) -> PathBuf {
    variant(dir, "equipment.toml", |text| {
        set_line(&text, "equipment_value", "equipment_value = 23500000")
    })
}

#[test]
fn a_bare_number_far_beyond_its_plausible_range_is_a_warning_naming_field_value_and_reading() {
    let dir = TempDir::new().unwrap();
    let file = implausible_equipment(&dir);
    let file = path_str(&file);

    let (code, result) = check_json(file, &[]);
    assert_eq!(
        code, 0,
        "a warning never changes the exit code without --strict"
    );
    assert_eq!(result["verdict"], "eligible");
    let equipment = clause(&result, "A10.4.equipment");
    assert_eq!(
        equipment["verdict"], "pass",
        "the clause still gets its verdict"
    );
    let warning = warnings(&result)
        .into_iter()
        .find(|w| w.contains("facilities.equipment_value"))
        .unwrap_or_else(|| panic!("a warning names the field: {:?}", result["warnings"]));
    for part in ["23500000", "2350 万元", "23500000 元"] {
        assert!(
            warning.contains(part),
            "the warning has {part:?}: {warning}"
        );
    }

    for lang in ["zh", "en"] {
        let table = check(file, lang, &[]);
        assert_eq!(table.code, 0);
        let line = table
            .stdout
            .lines()
            .find(|l| l.contains("facilities.equipment_value"))
            .unwrap_or_else(|| panic!("{lang}: the table shows the warning:\n{}", table.stdout));
        for part in ["23500000", "2350 万元", "23500000 元"] {
            assert!(line.contains(part), "{lang}: {part:?} in {line}");
        }
    }
}

#[test]
fn under_strict_the_implausible_value_fails_the_run_and_stderr_says_which_warning() {
    let dir = TempDir::new().unwrap();
    let file = implausible_equipment(&dir);
    for lang in ["zh", "en"] {
        let strict = check(path_str(&file), lang, &["--strict"]);
        assert_eq!(strict.code, 1, "{lang}: --strict makes a warning exit 1");
        assert!(
            strict.stderr.contains("--strict"),
            "{lang}: stderr names --strict:\n{}",
            strict.stderr
        );
        assert!(
            strict.stderr.contains("facilities.equipment_value"),
            "{lang}: stderr names the warning that failed the run:\n{}",
            strict.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Eligible never stands alone: what is still open

fn verdict_line<'a>(stdout: &'a str, prefix: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("a line starting {prefix:?}:\n{stdout}"))
}

#[test]
fn the_table_of_an_eligible_profile_shows_what_is_still_open() {
    let zh = check(ELIGIBLE, "zh", &[]);
    assert_eq!(zh.code, 0);
    let line = verdict_line(&zh.stdout, "结论");
    for part in ["未发现不符合项", "4 项待专家论证", "4 项为自行声明"] {
        assert!(line.contains(part), "{part:?} in the verdict line: {line}");
    }
    for id in FIXTURE_REVIEW.iter().chain(&FIXTURE_ATTESTED) {
        let listed = zh
            .stdout
            .lines()
            .any(|l| l.starts_with("- ") && l.contains("项：") && l.contains(id));
        assert!(listed, "{id} is listed as open:\n{}", zh.stdout);
    }

    let en = check(ELIGIBLE, "en", &[]);
    assert_eq!(en.code, 0);
    let line = verdict_line(&en.stdout, "Verdict:");
    assert!(line.contains("eligible"), "{line}");
    assert!(line.contains("still open"), "{line}");
    assert!(line.contains("4 for the expert panel"), "{line}");
    assert!(line.contains("4 self-declared"), "{line}");
}

#[test]
fn markdown_of_an_eligible_profile_shows_what_is_still_open() {
    for (lang, parts) in [
        ("zh", ["未发现不符合项", "待专家论证", "自行声明"]),
        ("en", ["eligible", "still open", "self-declared"]),
    ] {
        let markdown = check(ELIGIBLE, lang, &["--format", "markdown"]);
        assert_eq!(markdown.code, 0);
        let verdict = markdown
            .stdout
            .lines()
            .find(|l| l.starts_with("**") && l.contains("eligible"))
            .unwrap_or_else(|| panic!("{lang}: a verdict line:\n{}", markdown.stdout));
        for part in parts {
            assert!(verdict.contains(part), "{lang}: {part:?} in {verdict}");
        }
        for id in FIXTURE_REVIEW.iter().chain(&FIXTURE_ATTESTED) {
            let listed = markdown
                .stdout
                .lines()
                .any(|l| l.starts_with("- ") && l.contains(id) && !l.contains('['));
            assert!(listed, "{lang}: {id} listed as open:\n{}", markdown.stdout);
        }
    }
}

#[test]
fn json_of_an_eligible_profile_lists_the_open_items() {
    let (code, result) = check_json(ELIGIBLE, &[]);
    assert_eq!(code, 0);
    assert_eq!(result["verdict"], "eligible");
    let review = strings(&result["open"]["review"]);
    for id in FIXTURE_REVIEW {
        assert!(review.contains(&id), "{id} in open.review: {review:?}");
    }
    let declared = strings(&result["open"]["self_declared"]);
    for id in FIXTURE_ATTESTED {
        assert!(
            declared.contains(&id),
            "{id} in open.self_declared: {declared:?}"
        );
    }
    assert!(
        !review.contains(&"A10.1.registered"),
        "a Yunnan USCC is settled, not open"
    );
}

#[test]
fn the_xlsx_summary_of_an_eligible_profile_shows_what_is_still_open() {
    let dir = TempDir::new().unwrap();
    for (lang, summary, open_header, word) in [
        ("en", "Summary", "Still open", "still open"),
        ("zh", "汇总", "尚未确定的事项", "待专家论证"),
    ] {
        let workbook = workbook_of(ELIGIBLE, lang, &dir);
        let rows = sheet(&workbook, summary);
        let header = &rows[0];
        let open = column(header, open_header);
        let row = rows
            .iter()
            .find(|r| r[0] == ELIGIBLE)
            .unwrap_or_else(|| panic!("{lang}: a row for {ELIGIBLE}: {rows:?}"));
        let verdict = column(header, if lang == "zh" { "结论" } else { "Verdict" });
        assert!(
            row[verdict].contains("eligible"),
            "{lang}: verdict {:?}",
            row[verdict]
        );
        assert!(
            row[verdict].contains(word),
            "{lang}: the verdict cell says what is open: {:?}",
            row[verdict]
        );
        for id in FIXTURE_REVIEW.iter().chain(&FIXTURE_ATTESTED) {
            assert!(row[open].contains(id), "{lang}: {id} in {:?}", row[open]);
        }
    }
}

#[test]
fn batch_summary_rows_of_eligible_applicants_say_what_is_open() {
    let results = batch_json(BATCH);
    let eligible: Vec<&str> = results
        .iter()
        .filter(|r| r["verdict"] == "eligible")
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert!(eligible.len() >= 2, "the batch fixture has eligible rows");

    for (lang, words) in [
        ("en", ["still open", "for the expert panel"]),
        ("zh", ["尚有", "待专家论证"]),
    ] {
        let table = check(BATCH, lang, &[]);
        for source in &eligible {
            let row = batch_row(&table.stdout, source);
            for word in words {
                assert!(
                    squash(&row[2]).contains(&squash(word)),
                    "{lang}: the row of {source} says {word:?}: {row:?}"
                );
            }
        }
    }

    let markdown = check(BATCH, "en", &["--format", "markdown"]);
    for source in &eligible {
        let row = markdown
            .stdout
            .lines()
            .find(|l| l.starts_with("| ") && l.contains(&format!("`{source}`")))
            .unwrap_or_else(|| panic!("a Markdown summary row for {source}"));
        assert!(row.contains("still open"), "{row}");
    }

    let csv = check(BATCH, "en", &["--format", "csv"]);
    let (header, rows) = csv_rows(&csv.stdout);
    let (source, open) = (column(&header, "source"), column(&header, "open"));
    for row in rows
        .iter()
        .filter(|r| eligible.contains(&r[source].as_str()))
    {
        assert!(
            row[open].contains("A10.2.leadership"),
            "the open cell of {}: {:?}",
            row[source],
            row[open]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Warnings in a batch: every format

/// A two-row sheet: row 2 eligible but its prefecture (曲靖市) contradicts its USCC (530100,
/// 昆明市); row 3 as in the fixture (ineligible, no warning).
fn two_rows(dir: &TempDir) -> PathBuf {
    let text = fixture_text(BATCH);
    let lines: Vec<&str> = text.lines().collect();
    let first = lines[1].replacen(",企业,昆明市,", ",企业,曲靖市,", 1);
    assert_ne!(first, lines[1], "the fixture's first row is in 昆明市");
    write(
        dir,
        "two.csv",
        &format!("{}\n{first}\n{}\n", lines[0], lines[2]),
    )
}

fn source_of(file: &Path, row: usize) -> String {
    format!("{}:{row}", path_str(file))
}

#[test]
fn a_prefecture_the_uscc_contradicts_is_in_the_batch_tables_row() {
    let dir = TempDir::new().unwrap();
    let file = two_rows(&dir);
    let json = batch_json(path_str(&file));
    assert_eq!(json[0]["verdict"], "eligible");
    assert!(
        warnings(&json[0]).iter().any(|w| w.contains("曲靖市")),
        "JSON: {:?}",
        json[0]["warnings"]
    );
    assert!(warnings(&json[1]).is_empty(), "row 3 has no warning");

    for (lang, count) in [("en", "1 warning"), ("zh", "1 条")] {
        let table = check(path_str(&file), lang, &[]);
        assert_eq!(table.code, 1, "one ineligible row");
        let warned = batch_row(&table.stdout, &source_of(&file, 2));
        let last = warned.last().unwrap();
        for part in [count, "曲靖市", "530100"] {
            assert!(
                squash(last).contains(&squash(part)),
                "{lang}: the Warnings cell has {part:?}: {warned:?}"
            );
        }
        let clean = batch_row(&table.stdout, &source_of(&file, 3));
        assert!(clean.last().unwrap().is_empty(), "{lang}: {clean:?}");
    }
}

#[test]
fn a_prefecture_the_uscc_contradicts_is_in_the_csv_warnings_column() {
    let dir = TempDir::new().unwrap();
    let file = two_rows(&dir);
    let csv = check(path_str(&file), "en", &["--format", "csv"]);
    let (header, rows) = csv_rows(&csv.stdout);
    let warnings = column(&header, "warnings");
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0][warnings].contains("applicant.prefecture") && rows[0][warnings].contains("曲靖市"),
        "row 2's warnings cell: {:?}",
        rows[0][warnings]
    );
    assert!(
        rows[1][warnings].is_empty(),
        "row 3: {:?}",
        rows[1][warnings]
    );
}

#[test]
fn a_prefecture_the_uscc_contradicts_is_in_junit_system_out() {
    let dir = TempDir::new().unwrap();
    let file = two_rows(&dir);
    let junit = check(path_str(&file), "en", &["--format", "junit"]);
    let (_, suites) = junit_suites(&junit.stdout);
    assert_eq!(suites.len(), 2, "{}", junit.stdout);
    assert!(
        suites[0].system_out.contains("applicant.prefecture")
            && suites[0].system_out.contains("曲靖市"),
        "row 2's suite: system-out {:?}",
        suites[0].system_out
    );
    assert!(suites[1].system_out.is_empty(), "row 3 has no warning");
    assert!(
        suites
            .iter()
            .flat_map(|s| &s.cases)
            .all(|c| c.classname != "ticheck/warning"),
        "without --strict a warning is not a failure"
    );
    assert_eq!(suites[0].count("failures"), 0, "row 2 fails nothing");
}

#[test]
fn under_strict_junit_has_a_failing_warning_testcase() {
    let dir = TempDir::new().unwrap();
    let file = two_rows(&dir);
    let junit = check(path_str(&file), "en", &["--format", "junit", "--strict"]);
    assert_eq!(junit.code, 1);
    let (root_tag, suites) = junit_suites(&junit.stdout);
    let warned = &suites[0];
    let case = warned
        .cases
        .iter()
        .find(|c| c.classname == "ticheck/warning")
        .unwrap_or_else(|| {
            panic!(
                "a ticheck/warning testcase in row 2's suite:\n{}",
                junit.stdout
            )
        });
    assert!(case.body.contains("<failure"), "it fails: {}", case.body);
    assert!(
        decode_xml(&case.body).contains("曲靖市"),
        "it says which warning: {}",
        case.body
    );
    assert!(warned.count("failures") > 0, "{}", warned.tag);
    assert_eq!(warned.count("tests"), warned.cases.len(), "{}", warned.tag);
    let failures: usize = suites.iter().map(|s| s.count("failures")).sum();
    let tests: usize = suites.iter().map(|s| s.count("tests")).sum();
    let root_count =
        |name: &str| -> usize { xml_attribute(&root_tag, name).unwrap().parse().unwrap() };
    assert_eq!(root_count("failures"), failures, "{root_tag}");
    assert_eq!(root_count("tests"), tests, "{root_tag}");
}

#[test]
fn a_prefecture_the_uscc_contradicts_is_a_sarif_warning() {
    let dir = TempDir::new().unwrap();
    let file = two_rows(&dir);
    let sarif = check(path_str(&file), "en", &["--format", "sarif"]).json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let warning: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "ticheck/warning")
        .collect();
    assert_eq!(warning.len(), 1, "one warning result: {results:#?}");
    assert_eq!(warning[0]["level"], "warning");
    let message = warning[0]["message"]["text"].as_str().unwrap();
    assert!(message.contains("曲靖市"), "{message}");
    assert_eq!(
        warning[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 2,
        "at the row that carries it"
    );
}

#[test]
fn a_prefecture_the_uscc_contradicts_is_in_markdown_github_and_xlsx() {
    let dir = TempDir::new().unwrap();
    let file = two_rows(&dir);
    let file_str = path_str(&file);

    let markdown = check(file_str, "en", &["--format", "markdown"]);
    let row = markdown
        .stdout
        .lines()
        .find(|l| l.starts_with("| ") && l.contains(&format!("`{}`", source_of(&file, 2))))
        .unwrap_or_else(|| panic!("a Markdown summary row for row 2:\n{}", markdown.stdout));
    assert!(row.contains("1 warning") && row.contains("曲靖市"), "{row}");

    let github = check(file_str, "en", &["--format", "github"]);
    let annotation = github
        .stdout
        .lines()
        .find(|l| l.starts_with("::warning ") && l.contains("曲靖市"))
        .unwrap_or_else(|| panic!("a ::warning annotation:\n{}", github.stdout));
    assert!(annotation.contains("line=2"), "{annotation}");

    let workbook = workbook_of(file_str, "en", &dir);
    let rows = sheet(&workbook, "Summary");
    let warnings = column(&rows[0], "Warnings");
    let row = rows
        .iter()
        .find(|r| r[0] == source_of(&file, 2))
        .expect("a summary row for row 2");
    assert!(row[warnings].contains("曲靖市"), "{:?}", row[warnings]);
}

// ---------------------------------------------------------------------------------------------
// 5. Art. 8 answered the same in every format

fn not_a_national_ertc_host(dir: &TempDir) -> PathBuf {
    variant(dir, "art8.toml", |text| {
        set_line(&text, "national_ertc_host", "national_ertc_host = false")
    })
}

#[test]
fn art8_no_reads_as_no_in_the_table_markdown_and_csv() {
    let dir = TempDir::new().unwrap();
    let file = not_a_national_ertc_host(&dir);
    let file = path_str(&file);
    for (lang, no) in [("zh", "否"), ("en", "no")] {
        let table = check(file, lang, &[]);
        assert_eq!(table.code, 0, "Art. 8 never decides: still eligible");
        let row = clause_row(&table.stdout, "A8.priority");
        assert_eq!(row[3], no, "{lang}: actual {row:?}");
        assert!(row[4].starts_with(no), "{lang}: verdict {row:?}");
        assert!(
            !row[4].contains("fail") && !row[4].contains("不符合"),
            "{row:?}"
        );

        let markdown = check(file, lang, &["--format", "markdown"]);
        let row = markdown_row(&markdown.stdout, "A8.priority");
        // Columns: clause, article, requirement, actual, verdict, gap.
        assert!(row[4].starts_with(no), "{lang}: {row:?}");
        assert!(!row[4].contains("fail"), "{lang}: {row:?}");
        assert_eq!(row[5], "", "an informational clause has no gap");

        let csv = check(file, lang, &["--format", "csv"]);
        let (header, rows) = csv_rows(&csv.stdout);
        let a8 = header
            .iter()
            .position(|h| h.starts_with("A8.priority"))
            .unwrap_or_else(|| panic!("an A8.priority column: {header:?}"));
        // The same answer, in the report's language (SPEC §7: Chinese words under zh).
        let expected = if lang == "zh" { "否" } else { "no" };
        assert_eq!(rows[0][a8], expected, "{lang}: the CSV cell");
    }
}

#[test]
fn art8_no_reads_as_no_in_the_xlsx_clause_sheet() {
    let dir = TempDir::new().unwrap();
    let file = not_a_national_ertc_host(&dir);
    let workbook = workbook_of(path_str(&file), "en", &dir);
    let rows = sheet(&workbook, "Clauses");
    let a8 = rows[0]
        .iter()
        .position(|h| h.starts_with("A8.priority"))
        .unwrap_or_else(|| panic!("an A8.priority column: {:?}", rows[0]));
    let cell = &rows[1][a8];
    assert!(cell.starts_with("no"), "the clause sheet's cell: {cell:?}");
    assert!(!cell.contains("fail"), "{cell:?}");
}

#[test]
fn art8_no_is_neither_skipped_nor_failed_in_junit() {
    let dir = TempDir::new().unwrap();
    let file = not_a_national_ertc_host(&dir);
    let junit = check(path_str(&file), "en", &["--format", "junit"]);
    let (_, suites) = junit_suites(&junit.stdout);
    let case = suites[0]
        .cases
        .iter()
        .find(|c| c.classname == "A8.priority")
        .expect("an A8.priority testcase");
    assert!(
        !case.body.contains("<skipped"),
        "not skipped: {}",
        case.body
    );
    assert!(!case.body.contains("<failure"), "not failed: {}", case.body);
    assert!(case.body.contains("no"), "answered: {}", case.body);
}

#[test]
fn art8_no_keeps_a_contract_verdict_in_json_and_adds_the_answer() {
    let dir = TempDir::new().unwrap();
    let file = not_a_national_ertc_host(&dir);
    let (code, result) = check_json(path_str(&file), &[]);
    assert_eq!(code, 0);
    assert_eq!(result["verdict"], "eligible");
    let a8 = clause(&result, "A8.priority");
    let verdict = a8["verdict"].as_str().unwrap();
    assert!(
        CLAUSE_VERDICTS.contains(&verdict),
        "a contract word: {a8:#}"
    );
    assert_eq!(a8["severity"], "info");
    assert_eq!(a8["answer"], "no", "{a8:#}");
    let required = a8["required"].as_str().unwrap();
    assert!(
        !required.contains("=="),
        "human text, not an expression: {required}"
    );
    assert!(!required.is_empty());
}

// ---------------------------------------------------------------------------------------------
// 6. No rounding across a bound

fn debt_ratio_profile(dir: &TempDir, ratio: &str) -> PathBuf {
    variant(dir, &format!("debt-{ratio}.toml"), |text| {
        set_table(&text, "[finance]", &format!("debt_ratio = \"{ratio}\""))
    })
}

#[test]
fn a_debt_ratio_just_below_70_percent_shows_as_written_and_passes() {
    let dir = TempDir::new().unwrap();
    let file = debt_ratio_profile(&dir, "69.999%");
    let file = path_str(&file);
    assert!(!fs::read_to_string(file).unwrap().contains("total_assets"));

    let (code, result) = check_json(file, &[]);
    assert_eq!(code, 0);
    let debt = clause(&result, "A10.2.debt-ratio");
    assert_eq!(debt["verdict"], "pass", "{debt:#}");
    assert_eq!(debt["actual"], "69.999%");
    for lang in ["zh", "en"] {
        let table = check(file, lang, &[]);
        let row = clause_row(&table.stdout, "A10.2.debt-ratio");
        assert_eq!(row[3], "69.999%", "{lang}: {row:?}");
        assert!(row[4].contains("pass"), "{lang}: {row:?}");
        assert!(
            !table.stdout.contains("≈70"),
            "{lang}: no ≈70%:\n{}",
            table.stdout
        );
    }
    let markdown = check(file, "en", &["--format", "markdown"]);
    let row = markdown_row(&markdown.stdout, "A10.2.debt-ratio");
    assert!(row.contains(&"69.999%".to_string()), "{row:?}");
    assert!(!markdown.stdout.contains("≈70"));
}

#[test]
fn a_debt_ratio_just_above_70_percent_shows_as_written_and_fails() {
    let dir = TempDir::new().unwrap();
    let file = debt_ratio_profile(&dir, "70.0001%");
    let file = path_str(&file);

    let (code, result) = check_json(file, &[]);
    assert_eq!(code, 1);
    assert_eq!(result["verdict"], "ineligible");
    let debt = clause(&result, "A10.2.debt-ratio");
    assert_eq!(debt["verdict"], "fail", "{debt:#}");
    assert_eq!(debt["actual"], "70.0001%");
    for lang in ["zh", "en"] {
        let table = check(file, lang, &[]);
        let row = clause_row(&table.stdout, "A10.2.debt-ratio");
        assert_eq!(row[3], "70.0001%", "{lang}: {row:?}");
        assert!(row[4].contains("fail"), "{lang}: {row:?}");
        assert!(!table.stdout.contains("≈70%"), "{lang}:\n{}", table.stdout);
    }
}

#[test]
fn a_ratio_computed_just_below_the_bound_never_reads_as_70_percent() {
    let dir = TempDir::new().unwrap();
    let file = variant(&dir, "computed.toml", |text| {
        set_table(
            &text,
            "[finance]",
            "total_assets = 30000\ntotal_liabilities = \"20999.99\"",
        )
    });
    let (_, result) = check_json(path_str(&file), &[]);
    let debt = clause(&result, "A10.2.debt-ratio");
    assert_eq!(debt["verdict"], "pass", "{debt:#}");
    let actual = debt["actual"].as_str().unwrap();
    assert!(actual.starts_with("69.99"), "shown below 70%: {actual}");
    let table = check(path_str(&file), "en", &[]);
    let row = clause_row(&table.stdout, "A10.2.debt-ratio");
    assert!(
        squash(&row[3]).starts_with("69.99") || squash(&row[3]).starts_with("≈69.99"),
        "the table shows a ratio below 70%: {row:?}"
    );
    assert!(!table.stdout.contains("≈70%"));
}

// ---------------------------------------------------------------------------------------------
// 7. Items left out of a count are named, with why

fn projects_left_out(dir: &TempDir) -> PathBuf {
    variant(dir, "projects.toml", |text| {
        let text = set_line(&text, "application_date", "application_date = 2025-03-01");
        let mut text = without_items(&text, "project");
        text.push_str(
            r#"
[[project]]
name = "国家重点研发计划旧课题"
level = "national"
year = 2021
role = "host"
related = true

[[project]]
name = "国家自然科学基金参与项目"
level = "national"
year = 2023
role = "participate"
related = true

[[project]]
name = "国家重点研发计划新课题"
level = "national"
year = 2023
role = "host"
related = true
"#,
        );
        text
    })
}

/// The lines after `heading` up to the next blank line.
fn section<'a>(stdout: &'a str, heading: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(heading))
        .unwrap_or_else(|| panic!("a section {heading:?}:\n{stdout}"));
    lines[at + 1..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .copied()
        .collect()
}

#[test]
fn the_table_lists_projects_left_out_of_the_count_with_the_reason() {
    let dir = TempDir::new().unwrap();
    let file = projects_left_out(&dir);
    let file = path_str(&file);
    for (lang, heading, window, role) in [
        ("zh", "列出但未计入的条目", "2021 年不在", "参与"),
        (
            "en",
            "Listed items not counted",
            "2021 is outside",
            "role is participate",
        ),
    ] {
        let table = check(file, lang, &[]);
        let lines = section(&table.stdout, heading);
        let old = lines
            .iter()
            .find(|l| l.contains("A10.3.projects") && l.contains("project[1]"))
            .unwrap_or_else(|| panic!("{lang}: project[1] listed: {lines:#?}"));
        assert!(old.contains(window), "{lang}: the year is why: {old}");
        assert!(
            old.contains("2022–2024"),
            "{lang}: the window is named: {old}"
        );
        let participated = lines
            .iter()
            .find(|l| l.contains("A10.3.projects") && l.contains("project[2]"))
            .unwrap_or_else(|| panic!("{lang}: project[2] listed: {lines:#?}"));
        assert!(
            participated.contains(role),
            "{lang}: the role is why: {participated}"
        );
        assert!(
            !lines.iter().any(|l| l.contains("project[3]")),
            "{lang}: the counted project is not listed: {lines:#?}"
        );
    }
}

#[test]
fn json_names_the_projects_left_out_of_the_count() {
    let dir = TempDir::new().unwrap();
    let file = projects_left_out(&dir);
    let (_, result) = check_json(path_str(&file), &[]);
    let projects = clause(&result, "A10.3.projects");
    assert_eq!(
        projects["verdict"], "pass",
        "project[3] counts: {projects:#}"
    );
    let left_out = projects["left_out"]
        .as_array()
        .unwrap_or_else(|| panic!("left_out: {projects:#}"));
    let reason = |item: &str| -> String {
        left_out
            .iter()
            .find(|entry| entry["item"] == item)
            .unwrap_or_else(|| panic!("{item} in left_out: {left_out:#?}"))["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let old = reason("project[1]");
    assert!(old.contains("2021") && old.contains("2022–2024"), "{old}");
    assert!(reason("project[2]").contains("participate"));
    assert!(
        left_out.iter().all(|entry| entry["item"] != "project[3]"),
        "{left_out:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 8. Art. 4: a listed field, or merely not among those listed

#[test]
fn a_listed_priority_field_is_answered_yes() {
    let dir = TempDir::new().unwrap();
    let file = variant(&dir, "ai.toml", |text| {
        set_line(&text, "field", "field = \"人工智能\"")
    });
    let file = path_str(&file);
    let (code, result) = check_json(file, &[]);
    assert_eq!(code, 0);
    let field = clause(&result, "A4.field");
    assert_eq!(field["answer"], "yes", "{field:#}");
    assert!(field["label"]
        .as_str()
        .unwrap()
        .contains("a listed priority field"));
    let table = check(file, "zh", &[]);
    let row = clause_row(&table.stdout, "A4.field");
    assert!(row[4].starts_with("属所列重点领域"), "{row:?}");
    let csv = check(file, "en", &["--format", "csv"]);
    let (header, rows) = csv_rows(&csv.stdout);
    assert_eq!(rows[0][column(&header, "A4.field")], "yes");
}

#[test]
fn a_field_not_listed_is_not_among_the_listed_fields_never_a_fail() {
    let dir = TempDir::new().unwrap();
    let file = variant(&dir, "art.toml", |text| {
        set_line(&text, "field", "field = \"数字媒体艺术\"")
    });
    let file = path_str(&file);
    let (code, result) = check_json(file, &[]);
    assert_eq!(code, 0, "Art. 4 never decides");
    assert_eq!(result["verdict"], "eligible");
    let field = clause(&result, "A4.field");
    assert_eq!(field["answer"], "no", "{field:#}");
    let label = field["label"].as_str().unwrap();
    assert!(label.contains("not among the listed fields"), "{label}");
    assert!(!label.contains("fail"), "{label}");

    let csv = check(file, "en", &["--format", "csv"]);
    let (header, rows) = csv_rows(&csv.stdout);
    let cell = &rows[0][column(&header, "A4.field")];
    assert_eq!(cell, "no", "never \"fail\" in CSV");

    let en = check(file, "en", &[]);
    let row = clause_row(&en.stdout, "A4.field");
    assert!(row[4].contains("not among the listed fields"), "{row:?}");
    assert!(!row[4].contains("fail"), "{row:?}");
    let zh = check(file, "zh", &[]);
    let row = clause_row(&zh.stdout, "A4.field");
    assert!(squash(&row[4]).contains("未在所列领域中"), "{row:?}");
    assert!(!row[4].contains("不符合"), "{row:?}");
}

// ---------------------------------------------------------------------------------------------
// 9. A national registration is a manual check

#[test]
fn the_uscc_check_character_helper_agrees_with_the_spec() {
    assert_eq!(uscc("91350100M000100Y4"), "91350100M000100Y43");
    assert_eq!(uscc("91530100MA6K3L7P2"), "91530100MA6K3L7P2D");
}

#[test]
fn a_uscc_of_division_100000_is_a_manual_check_not_an_expert_matter() {
    let dir = TempDir::new().unwrap();
    let code = uscc("12100000MA6K3L7P2");
    assert_eq!(&code[2..8], "100000");
    let file = variant(&dir, "national.toml", |text| {
        set_line(&text, "uscc", &format!("uscc = \"{code}\""))
    });
    let file = path_str(&file);

    let (exit, result) = check_json(file, &[]);
    assert_eq!(exit, 0, "a valid code: {result:#}");
    assert_eq!(result["verdict"], "eligible", "review never blocks");
    assert_eq!(clause(&result, "A10.1.registered")["verdict"], "review");
    let manual = strings(&result["open"]["manual_check"]);
    assert!(
        manual.contains(&"A10.1.registered"),
        "open.manual_check: {manual:?}"
    );
    let review = strings(&result["open"]["review"]);
    assert!(
        !review.contains(&"A10.1.registered"),
        "open.review: {review:?}"
    );

    let zh = check(file, "zh", &[]);
    let row = clause_row(&zh.stdout, "A10.1.registered");
    assert!(row[4].contains("需人工核实"), "{row:?}");
    assert!(!row[4].contains("专家"), "not the expert panel's: {row:?}");
    let line = verdict_line(&zh.stdout, "结论");
    assert!(line.contains("1 项需人工核实"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// 10. Art. 10(六): the bound passes, the scale stays open

fn pre_investment(dir: &TempDir, amount: &str) -> PathBuf {
    variant(dir, &format!("pre-{amount}.toml"), |text| {
        set_line(
            &text,
            "pre_investment",
            &format!("pre_investment = {amount}"),
        )
    })
}

#[test]
fn a_token_pre_investment_passes_but_the_scale_is_open_for_review() {
    let dir = TempDir::new().unwrap();
    let file = pre_investment(&dir, "0.01");
    let file = path_str(&file);
    let (code, result) = check_json(file, &[]);
    assert_eq!(code, 0);
    let support = clause(&result, "A10.6.local-support");
    assert_eq!(support["verdict"], "pass", "{support:#}");
    let review = strings(&result["open"]["review"]);
    assert!(review.contains(&"A10.6.local-support"), "{review:?}");
    assert!(
        notes(support).iter().any(|n| n.contains("a certain scale")),
        "the scale wording: {:?}",
        notes(support)
    );

    let zh = check(file, "zh", &[]);
    let row = clause_row(&zh.stdout, "A10.6.local-support");
    assert!(
        row[4].contains("pass") && row[4].contains("待专家论证"),
        "{row:?}"
    );
    assert!(
        zh.stdout
            .lines()
            .any(|l| l.contains("A10.6.local-support") && l.contains("一定规模")),
        "{}",
        zh.stdout
    );
}

#[test]
fn no_pre_investment_fails_art10_6() {
    let dir = TempDir::new().unwrap();
    let file = pre_investment(&dir, "0");
    let (code, result) = check_json(path_str(&file), &[]);
    assert_eq!(code, 1);
    assert_eq!(result["verdict"], "ineligible");
    assert_eq!(clause(&result, "A10.6.local-support")["verdict"], "fail");
    let review = strings(&result["open"]["review"]);
    assert!(!review.contains(&"A10.6.local-support"), "{review:?}");
}

// ---------------------------------------------------------------------------------------------
// 11. Class-II IP resting on unrelated items

fn class_ii_ip(dir: &TempDir, unrelated: usize) -> PathBuf {
    variant(dir, &format!("ip-{unrelated}.toml"), |text| {
        let mut text = without_items(&text, "ip");
        let kinds = ["utility_model", "design_patent", "software_copyright"];
        for i in 0..12 {
            text.push_str(&format!(
                "\n[[ip]]\nname = \"二类知识产权 {}\"\nkind = \"{}\"\nrelated = {}\n",
                i + 1,
                kinds[i % 3],
                i >= unrelated
            ));
        }
        text
    })
}

#[test]
fn twelve_class_ii_items_of_which_three_unrelated_pass_but_are_open_for_review() {
    let dir = TempDir::new().unwrap();
    let file = class_ii_ip(&dir, 3);
    let file = path_str(&file);
    let (code, result) = check_json(file, &[]);
    assert_eq!(code, 0);
    let ip = clause(&result, "A10.5.ip");
    assert_eq!(ip["verdict"], "pass", "{ip:#}");
    let review = strings(&result["open"]["review"]);
    assert!(review.contains(&"A10.5.ip"), "{review:?}");
    assert!(
        notes(ip).iter().any(|n| n.contains("3 of the 12")),
        "names how many unrelated items it relies on: {:?}",
        notes(ip)
    );

    let zh = check(file, "zh", &[]);
    let row = clause_row(&zh.stdout, "A10.5.ip");
    assert!(row[4].contains("待专家论证"), "{row:?}");
    assert!(
        zh.stdout
            .lines()
            .any(|l| l.contains("A10.5.ip") && l.contains("3 项")),
        "{}",
        zh.stdout
    );
}

#[test]
fn twelve_related_class_ii_items_pass_and_are_not_open() {
    let dir = TempDir::new().unwrap();
    let file = class_ii_ip(&dir, 0);
    let (code, result) = check_json(path_str(&file), &[]);
    assert_eq!(code, 0);
    let ip = clause(&result, "A10.5.ip");
    assert_eq!(ip["verdict"], "pass", "{ip:#}");
    let review = strings(&result["open"]["review"]);
    assert!(!review.contains(&"A10.5.ip"), "{review:?}");
}

// ---------------------------------------------------------------------------------------------
// 12. [finance] year and the comprehensive center

#[test]
fn a_finance_year_other_than_the_year_before_is_a_warning() {
    let dir = TempDir::new().unwrap();
    let stale = variant(&dir, "stale.toml", |text| {
        text.replacen("[finance]", "[finance]\nyear = 2022", 1)
    });
    let (code, result) = check_json(path_str(&stale), &[]);
    assert_eq!(code, 0, "a warning, not a verdict");
    let warning = warnings(&result)
        .into_iter()
        .find(|w| w.contains("finance.year"))
        .unwrap_or_else(|| panic!("a warning names finance.year: {:?}", result["warnings"]));
    assert!(
        warning.contains("2022") && warning.contains("2023"),
        "{warning}"
    );
    let zh = check(path_str(&stale), "zh", &[]);
    assert!(
        zh.stdout
            .lines()
            .any(|l| l.starts_with("警告") && l.contains("finance.year")),
        "{}",
        zh.stdout
    );

    let current = variant(&dir, "current.toml", |text| {
        text.replacen("[finance]", "[finance]\nyear = 2023", 1)
    });
    let (_, result) = check_json(path_str(&current), &[]);
    assert!(
        !warnings(&result).iter().any(|w| w.contains("finance.year")),
        "Y−1 is right: {:?}",
        result["warnings"]
    );
}

#[test]
fn a_comprehensive_center_gets_the_art11_notice_and_is_still_checked() {
    let dir = TempDir::new().unwrap();
    let file = variant(&dir, "comprehensive.toml", |text| {
        set_line(&text, "center_type", "center_type = \"comprehensive\"")
    });
    let file = path_str(&file);
    let (code, result) = check_json(file, &[]);
    assert_eq!(code, 0);
    assert_eq!(result["verdict"], "eligible", "Art. 10 is still checked");
    // A note, not a warning: nothing in the data is wrong, so --strict does not fail on it.
    let notes: Vec<&str> = result["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(notes.iter().any(|n| n.contains("Art. 11")), "{notes:?}");
    assert!(warnings(&result).is_empty(), "{:?}", result["warnings"]);
    let zh = check(file, "zh", &[]);
    assert!(
        zh.stdout
            .lines()
            .any(|l| l.starts_with("说明") && l.contains("第十一条")),
        "{}",
        zh.stdout
    );
    let (strict, _) = check_json(file, &["--strict"]);
    assert_eq!(strict, 0, "a note does not fail --strict");

    let (_, domain) = check_json(ELIGIBLE, &[]);
    assert!(warnings(&domain).is_empty(), "{:?}", domain["warnings"]);
}

// ---------------------------------------------------------------------------------------------
// 13. An expired measure is said before any verdict

#[test]
fn the_expired_measure_warning_comes_before_the_table_and_the_markdown_table() {
    let dir = TempDir::new().unwrap();
    let file = variant(&dir, "late.toml", |text| {
        set_line(&text, "application_date", "application_date = 2026-01-01")
    });
    let file = path_str(&file);
    for (lang, marker) in [
        ("zh", "申报日期 2026-01-01"),
        ("en", "2026-01-01 is outside"),
    ] {
        let table = check(file, lang, &[]);
        let warning = table
            .stdout
            .find(marker)
            .unwrap_or_else(|| panic!("{lang}: the warning:\n{}", table.stdout));
        let first_table = table.stdout.find('┌').expect("a table");
        assert!(
            warning < first_table,
            "{lang}: the warning stands before the table:\n{}",
            table.stdout
        );
        let line = table.stdout[warning..].lines().next().unwrap();
        assert!(
            line.contains("2022-04-06") && line.contains("2025-04-05"),
            "{lang}: names the window: {line}"
        );

        let markdown = check(file, lang, &["--format", "markdown"]);
        let warning = markdown
            .stdout
            .find(marker)
            .unwrap_or_else(|| panic!("{lang}: the warning:\n{}", markdown.stdout));
        let first_row = markdown
            .stdout
            .match_indices("| ")
            .map(|(at, _)| at)
            .find(|&at| at == 0 || markdown.stdout.as_bytes()[at - 1] == b'\n')
            .expect("a Markdown table");
        assert!(
            warning < first_row,
            "{lang}: the warning stands before the first table:\n{}",
            markdown.stdout
        );
    }
}
