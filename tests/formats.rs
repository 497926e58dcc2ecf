//! The annotation and report formats of `check`: `--format sarif|junit|github|markdown`.
//!
//! Each runs the real binary on the shipped fixtures (crate root, `COLUMNS=160`, no locale)
//! and checks the output's structure against what the same run says in `--format json`: the
//! same exit codes as the table (SPEC §2), a SARIF 2.1.0 log whose results point at the judged
//! facts, a well-formed JUnit document whose counts add up, one GitHub command per finding,
//! and a Markdown table per applicant. The ineligible fixture's output is pinned per format in
//! `tests/snapshots/`; accept an intended change with `INSTA_UPDATE=always cargo test --test
//! formats` and review the `.snap` files.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{root, run, ticheck, Run};

const ELIGIBLE: &str = "fixtures/eligible-enterprise.toml";
const INELIGIBLE: &str = "fixtures/ineligible-enterprise.toml";
const BAD_VALUES: &str = "fixtures/invalid/bad-values.toml";
const BATCH: &str = "fixtures/batch/candidates.csv";

const FIXTURES: [&str; 4] = [ELIGIBLE, INELIGIBLE, BAD_VALUES, BATCH];
const FORMATS: [&str; 4] = ["sarif", "junit", "github", "markdown"];

// ---------------------------------------------------------------------------------------------
// Running the binary

fn run_args(args: &[&str]) -> Run {
    run(ticheck().args(args))
}

/// `ticheck check FILES… --format FORMAT --lang LANG`.
fn check(files: &[&str], format: &str, lang: &str) -> Run {
    let mut args = vec!["check"];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--format", format, "--lang", lang]);
    run_args(&args)
}

fn check_en(file: &str, format: &str) -> Run {
    check(&[file], format, "en")
}

/// The JSON report of the same input: what every other format must agree with.
fn json_of(files: &[&str]) -> Value {
    let output = check(files, "json", "en");
    serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("JSON report ({e}):\n{}", output.stdout))
}

/// What the JSON report expects of annotations, per applicant in input order.
struct Expected {
    source: String,
    /// (clause id, verdict, severity, location) of every failed or missing clause.
    findings: Vec<(String, String, String, Value)>,
    /// (location, field) of every problem of an invalid profile.
    problems: Vec<(Value, Value)>,
    warnings: usize,
    clauses: usize,
    verdict: String,
}

fn expected(files: &[&str]) -> Vec<Expected> {
    let json = json_of(files);
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            let clauses = result["clauses"].as_array().unwrap();
            Expected {
                source: result["source"].as_str().unwrap().to_string(),
                findings: clauses
                    .iter()
                    // What a pipeline flags: failed or missing clauses that are not merely
                    // informational (Art. 4 and Art. 8 never decide and are not flagged).
                    .filter(|c| c["verdict"] == "fail" || c["verdict"] == "missing")
                    .filter(|c| c["severity"] != "info")
                    .map(|c| {
                        (
                            c["id"].as_str().unwrap().to_string(),
                            c["verdict"].as_str().unwrap().to_string(),
                            c["severity"].as_str().unwrap().to_string(),
                            c["location"].clone(),
                        )
                    })
                    .collect(),
                problems: result["problems"]
                    .as_array()
                    .map(|problems| {
                        problems
                            .iter()
                            .map(|p| (p["location"].clone(), p["field"].clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                warnings: result["warnings"].as_array().unwrap().len(),
                clauses: clauses.len(),
                verdict: result["verdict"].as_str().unwrap().to_string(),
            }
        })
        .collect()
}

/// `batch.csv:7` → (`batch.csv`, Some(7)).
fn split_source(source: &str) -> (&str, Option<u64>) {
    match source.rsplit_once(':') {
        Some((file, row)) if !row.is_empty() && row.bytes().all(|b| b.is_ascii_digit()) => {
            (file, row.parse().ok())
        }
        _ => (source, None),
    }
}

/// The line a location points at: a TOML line, or a sheet row.
fn line_of(location: &Value, source: &str) -> Option<u64> {
    location["line"]
        .as_u64()
        .or_else(|| location["row"].as_u64())
        .or_else(|| split_source(source).1)
}

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn every_format_exits_as_the_table_does() {
    let wanted = [(ELIGIBLE, 0), (INELIGIBLE, 1), (BAD_VALUES, 2), (BATCH, 2)];
    for (file, code) in wanted {
        let table = check_en(file, "table");
        assert_eq!(table.code, code, "table on {file}: {}", table.stderr);
        for format in FORMATS {
            let output = check_en(file, format);
            assert_eq!(
                output.code, table.code,
                "--format {format} on {file} exits {} but the table exits {}\nstderr:\n{}",
                output.code, table.code, output.stderr
            );
            assert!(
                !output.stdout.trim().is_empty(),
                "--format {format} on {file} writes nothing"
            );
        }
    }
}

#[test]
fn several_files_exit_with_the_worst_code() {
    for format in FORMATS {
        let output = check(&[ELIGIBLE, INELIGIBLE], format, "en");
        assert_eq!(output.code, 1, "--format {format}: {}", output.stderr);
        let output = check(&[ELIGIBLE, BAD_VALUES, INELIGIBLE], format, "en");
        assert_eq!(output.code, 2, "--format {format}: {}", output.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// SARIF

fn sarif(files: &[&str]) -> Value {
    let output = check(files, "sarif", "en");
    let log: Value = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("SARIF is not JSON ({e}):\n{}", output.stdout));
    assert_sarif_structure(&log);
    log
}

/// The properties SARIF 2.1.0 requires, and the references between them.
fn assert_sarif_structure(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1, "one run");
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "ticheck");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"]
        .as_array()
        .expect("driver.rules is an array");
    let mut ids = Vec::new();
    for rule in rules {
        let id = rule["id"].as_str().expect("every rule has an id");
        assert!(!ids.contains(&id), "rule {id} listed twice");
        ids.push(id);
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            "rule {id} has a short description"
        );
        for key in ["fullDescription", "help"] {
            if !rule[key].is_null() {
                assert!(rule[key]["text"].is_string(), "rule {id}: {key}.text");
            }
        }
        if let Some(level) = rule["defaultConfiguration"]["level"].as_str() {
            assert!(["none", "note", "warning", "error"].contains(&level));
        }
    }
    assert!(ids.contains(&"ticheck/invalid-profile"));
    let results = runs[0]["results"].as_array().expect("results is an array");
    for result in results {
        let rule_id = result["ruleId"]
            .as_str()
            .expect("every result has a ruleId");
        let position = ids
            .iter()
            .position(|id| *id == rule_id)
            .unwrap_or_else(|| panic!("result's ruleId {rule_id} is not a rule of the driver"));
        if let Some(index) = result["ruleIndex"].as_u64() {
            assert_eq!(index as usize, position, "ruleIndex of {rule_id}");
        }
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.trim().is_empty()),
            "result of {rule_id} has message text: {result}"
        );
        let level = result["level"].as_str().unwrap_or("warning");
        assert!(
            ["none", "note", "warning", "error"].contains(&level),
            "{level}"
        );
        for location in result["locations"].as_array().expect("locations") {
            let physical = &location["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"]
                .as_str()
                .expect("artifactLocation.uri");
            assert!(!uri.is_empty());
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b)),
                "uri is not a URI reference: {uri}"
            );
            if !physical["region"].is_null() {
                let region = &physical["region"];
                assert!(
                    region["startLine"].as_u64().is_some_and(|line| line >= 1),
                    "region.startLine >= 1: {region}"
                );
                if !region["startColumn"].is_null() {
                    assert!(region["startColumn"].as_u64().is_some_and(|c| c >= 1));
                }
            }
        }
    }
}

fn sarif_results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn sarif_lists_every_clause_as_a_rule() {
    let log = sarif(&[ELIGIBLE]);
    let json = json_of(&[ELIGIBLE]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let clauses = json["results"][0]["clauses"].as_array().unwrap();
    for clause in clauses {
        let rule = rules
            .iter()
            .find(|r| r["id"] == clause["id"])
            .unwrap_or_else(|| panic!("no rule for {}", clause["id"]));
        assert_eq!(rule["properties"]["severity"], clause["severity"]);
        assert_eq!(rule["properties"]["citation"], clause["citation"]);
        assert!(rule["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains(clause["citation"].as_str().unwrap()));
    }
    assert_eq!(
        rules.len(),
        clauses.len() + 2,
        "the clauses, invalid-profile and warning"
    );
}

#[test]
fn sarif_results_are_the_failed_and_missing_clauses_where_they_were_written() {
    for file in [ELIGIBLE, INELIGIBLE, BATCH] {
        let log = sarif(&[file]);
        let mut results = sarif_results(&log).iter();
        for applicant in expected(&[file]) {
            for (location, _) in &applicant.problems {
                let result = results.next().expect("a result per problem");
                assert_eq!(result["ruleId"], "ticheck/invalid-profile");
                assert_eq!(result["level"], "error");
                let region = &result["locations"][0]["physicalLocation"]["region"];
                assert_eq!(
                    region["startLine"].as_u64(),
                    line_of(location, &applicant.source)
                );
            }
            for (id, verdict, severity, location) in &applicant.findings {
                let result = results
                    .next()
                    .unwrap_or_else(|| panic!("a result for {id}"));
                assert_eq!(result["ruleId"], id.as_str(), "{}", applicant.source);
                let level = match (severity.as_str(), verdict.as_str()) {
                    ("condition", "fail") => "error",
                    ("condition", _) => "warning",
                    _ => "note",
                };
                assert_eq!(result["level"], level, "{id} of {}", applicant.source);
                let physical = &result["locations"][0]["physicalLocation"];
                assert_eq!(
                    physical["artifactLocation"]["uri"],
                    split_source(&applicant.source).0,
                    "the uri is the file, without the row"
                );
                assert_eq!(
                    physical["region"]["startLine"].as_u64(),
                    line_of(location, &applicant.source),
                    "{id} of {}",
                    applicant.source
                );
                if let Some(column) = location["column"].as_u64() {
                    assert_eq!(physical["region"]["startColumn"].as_u64(), Some(column));
                }
                if let Some(column) = location["column"].as_str() {
                    let text = result["message"]["text"].as_str().unwrap();
                    assert!(
                        text.contains(column),
                        "the message names the column: {text}"
                    );
                    assert_eq!(result["properties"]["column"], column);
                }
            }
            for _ in 0..applicant.warnings {
                assert_eq!(results.next().unwrap()["ruleId"], "ticheck/warning");
            }
        }
        assert!(results.next().is_none(), "no other results for {file}");
    }
}

#[test]
fn sarif_names_what_was_required_and_found() {
    let log = sarif(&[INELIGIBLE]);
    let debt = sarif_results(&log)
        .iter()
        .find(|r| r["ruleId"] == "A10.2.debt-ratio")
        .expect("the debt ratio fails");
    let text = debt["message"]["text"].as_str().unwrap();
    // SPEC §5: the message states the gap, with the value and the bound.
    assert!(text.contains("debt ratio 70%, must be < 70%"), "{text}");
    assert!(
        !sarif_results(&log)
            .iter()
            .any(|r| r["ruleId"] == "A10.2.leadership"),
        "review clauses are not results"
    );
}

#[test]
fn sarif_reports_each_problem_of_an_invalid_profile() {
    let log = sarif(&[BAD_VALUES]);
    let expected = expected(&[BAD_VALUES]);
    let results = sarif_results(&log);
    assert_eq!(results.len(), expected[0].problems.len());
    assert_eq!(results.len(), 5);
    for (result, (location, field)) in results.iter().zip(&expected[0].problems) {
        assert_eq!(result["ruleId"], "ticheck/invalid-profile");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], location["line"]);
        assert_eq!(region["startColumn"], location["column"]);
        let text = result["message"]["text"].as_str().unwrap();
        assert!(text.contains(field.as_str().unwrap()), "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// JUnit: a small XML reader, enough to check well-formedness and count elements

#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attribute(&self, name: &str) -> &str {
        self.attributes
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no attribute {name}", self.name))
    }

    fn count(&self, name: &str) -> usize {
        self.attribute(name)
            .parse()
            .unwrap_or_else(|_| panic!("<{}> {name} is not a number", self.name))
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |child| child.name == name)
    }
}

/// Decodes the five predefined entities and character references; panics on anything else.
fn decode(raw: &str, what: &str) -> String {
    let mut decoded = String::new();
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        let end = rest[at..]
            .find(';')
            .unwrap_or_else(|| panic!("unterminated entity in {what}: {raw:?}"));
        let entity = &rest[at + 1..at + end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if entity.starts_with("#x") => {
                char::from_u32(u32::from_str_radix(&entity[2..], 16).unwrap()).unwrap()
            }
            _ if entity.starts_with('#') => char::from_u32(entity[1..].parse().unwrap()).unwrap(),
            _ => panic!("unknown entity &{entity}; in {what}: {raw:?}"),
        };
        assert!(
            !c.is_control() || matches!(c, '\t' | '\n' | '\r'),
            "a character XML 1.0 forbids in {what}: {raw:?}"
        );
        decoded.push(c);
        rest = &rest[at + end + 1..];
    }
    decoded.push_str(rest);
    decoded
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c))
}

/// Parses one XML document: a declaration, then exactly one element. Panics when the document
/// is not well-formed (unbalanced or mismatched tags, unquoted or unescaped attribute values,
/// raw `<` or stray `&` in text, forbidden control characters).
fn parse_xml(document: &str) -> Element {
    for c in document.chars() {
        assert!(
            !c.is_control() || matches!(c, '\t' | '\n' | '\r'),
            "a control character XML 1.0 forbids: {c:?}"
        );
    }
    let mut rest = document;
    if rest.starts_with("<?xml") {
        let end = rest.find("?>").expect("the declaration ends");
        rest = &rest[end + 2..];
    }
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let at = rest.find('<');
        let text = &rest[..at.unwrap_or(rest.len())];
        assert!(!text.contains('>') || stack.len() > 1, "stray '>'");
        let decoded = decode(text, "text");
        if stack.len() == 1 {
            assert!(decoded.trim().is_empty(), "text outside the root: {text:?}");
        } else {
            stack.last_mut().unwrap().text.push_str(&decoded);
        }
        let Some(at) = at else { break };
        rest = &rest[at + 1..];
        let end = find_tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let element = stack.pop().expect("a closing tag closes an element");
            assert_eq!(element.name, name.trim(), "mismatched closing tag");
            assert!(!stack.is_empty(), "</{name}> closes more than was opened");
            stack.last_mut().unwrap().children.push(element);
            continue;
        }
        let (tag, empty) = match tag.strip_suffix('/') {
            Some(tag) => (tag, true),
            None => (tag, false),
        };
        let element = parse_tag(tag);
        if stack.len() == 1 {
            assert!(stack[0].children.is_empty(), "a second root element");
        }
        if empty {
            stack.last_mut().unwrap().children.push(element);
        } else {
            stack.push(element);
        }
    }
    assert_eq!(
        stack.len(),
        1,
        "unclosed elements: {:?}",
        stack.last().map(|e| &e.name)
    );
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "exactly one root element");
    document.children.pop().unwrap()
}

/// The end of a tag: the first `>` outside quotes.
fn find_tag_end(rest: &str) -> usize {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i,
            (None, '<') => panic!("'<' inside a tag: {:?}", &rest[..i]),
            (Some(_), '<') => panic!("unescaped '<' in an attribute value"),
            _ => {}
        }
    }
    panic!("unterminated tag");
}

fn parse_tag(tag: &str) -> Element {
    let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
    let name = &tag[..name_end];
    assert!(is_name(name), "bad element name {name:?}");
    let mut element = Element {
        name: name.to_string(),
        ..Element::default()
    };
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest.find('=').expect("an attribute has a value");
        let key = rest[..eq].trim();
        assert!(is_name(key), "bad attribute name {key:?} in <{name}>");
        rest = rest[eq + 1..].trim_start();
        let quote = rest.chars().next().expect("a quoted value");
        assert!(quote == '"' || quote == '\'', "unquoted attribute {key}");
        let close = rest[1..].find(quote).expect("the value's quote closes") + 1;
        let value = decode(&rest[1..close], "an attribute value");
        let previous = element.attributes.insert(key.to_string(), value);
        assert!(previous.is_none(), "attribute {key} twice in <{name}>");
        rest = &rest[close + 1..];
        assert!(
            rest.is_empty() || rest.starts_with(char::is_whitespace),
            "attributes must be separated by white space in <{name}>"
        );
        rest = rest.trim_start();
    }
    element
}

fn junit(files: &[&str]) -> Element {
    let output = check(files, "junit", "en");
    let root = parse_xml(&output.stdout);
    assert_eq!(root.name, "testsuites");
    root
}

/// Each suite's counts match its test cases, and the totals match the suites.
fn assert_junit_counts(root: &Element) {
    let mut totals = [0usize; 4];
    for suite in root.children_named("testsuite") {
        let cases: Vec<&Element> = suite.children_named("testcase").collect();
        let with = |child: &str| {
            cases
                .iter()
                .filter(|case| case.children_named(child).next().is_some())
                .count()
        };
        let counts = [cases.len(), with("failure"), with("error"), with("skipped")];
        for (i, name) in ["tests", "failures", "errors", "skipped"]
            .iter()
            .enumerate()
        {
            assert_eq!(
                suite.count(name),
                counts[i],
                "{name} of {}",
                suite.attribute("name")
            );
            totals[i] += counts[i];
        }
        for case in cases {
            assert!(!case.attribute("classname").is_empty());
            assert!(!case.attribute("name").is_empty());
            for failure in case.children_named("failure") {
                assert!(!failure.attribute("message").is_empty());
                assert!(["condition", "advisory", "info"].contains(&failure.attribute("type")));
            }
        }
    }
    for (i, name) in ["tests", "failures", "errors", "skipped"]
        .iter()
        .enumerate()
    {
        if root.attributes.contains_key(*name) {
            assert_eq!(root.count(name), totals[i], "{name} of <testsuites>");
        }
    }
}

#[test]
fn junit_is_well_formed_and_its_counts_add_up() {
    for file in FIXTURES {
        let root = junit(&[file]);
        assert_junit_counts(&root);
        let expected = expected(&[file]);
        let suites: Vec<&Element> = root.children_named("testsuite").collect();
        assert_eq!(
            suites.len(),
            expected.len(),
            "one suite per applicant of {file}"
        );
        for (suite, applicant) in suites.iter().zip(&expected) {
            assert!(suite.attribute("name").starts_with(&applicant.source));
            if applicant.verdict == "error" {
                assert_eq!(suite.count("tests"), 1);
                assert_eq!(suite.count("errors"), 1);
            } else {
                assert_eq!(suite.count("tests"), applicant.clauses);
                assert_eq!(suite.count("failures"), applicant.findings.len());
                assert_eq!(suite.count("errors"), 0);
            }
        }
    }
}

#[test]
fn junit_fails_the_ineligible_fixtures_failing_clauses() {
    let root = junit(&[INELIGIBLE]);
    let expected = expected(&[INELIGIBLE]);
    assert_eq!(root.count("tests"), 24, "one test case per clause");
    let failing: Vec<&str> = expected[0]
        .findings
        .iter()
        .map(|(id, ..)| id.as_str())
        .collect();
    assert_eq!(
        failing,
        [
            "A10.2.debt-ratio",
            "A10.4.floor-area",
            "A10.4.rnd-spend",
            "A28.matching",
        ]
    );
    assert_eq!(root.count("failures"), failing.len());
    let suite = root.children_named("testsuite").next().unwrap();
    let failed: Vec<(&str, &str)> = suite
        .children_named("testcase")
        .filter_map(|case| {
            case.children_named("failure")
                .next()
                .map(|f| (case.attribute("classname"), f.attribute("type")))
        })
        .collect();
    assert_eq!(
        failed,
        [
            ("A10.2.debt-ratio", "condition"),
            ("A10.4.floor-area", "condition"),
            ("A10.4.rnd-spend", "condition"),
            ("A28.matching", "advisory"),
        ]
    );
    let debt = suite
        .children_named("testcase")
        .find(|case| case.attribute("classname") == "A10.2.debt-ratio")
        .unwrap();
    let message = debt.children[0].attribute("message");
    assert!(
        message.contains("< 70%") && message.contains("70%"),
        "{message}"
    );
    let skipped = suite
        .children_named("testcase")
        .filter(|case| case.children_named("skipped").next().is_some())
        .count();
    assert_eq!(
        skipped, 4,
        "three expert reviews and the partners clause (n/a)"
    );
    // An informational clause is answered, never skipped as "does not apply" (it applies to
    // everyone) and never failed.
    let priority = suite
        .children_named("testcase")
        .find(|case| case.attribute("classname") == "A8.priority")
        .unwrap();
    assert!(priority.children_named("skipped").next().is_none());
    assert!(priority.children_named("failure").next().is_none());
    let out = priority
        .children_named("system-out")
        .next()
        .expect("the answer");
    assert!(out.text.starts_with("no"), "{}", out.text);
}

#[test]
fn junit_reports_an_invalid_profile_as_one_error() {
    let root = junit(&[BAD_VALUES]);
    let suite = root.children_named("testsuite").next().unwrap();
    let case = suite.children_named("testcase").next().unwrap();
    let error = case.children_named("error").next().expect("an <error>");
    for field in [
        "applicant.kind",
        "applicant.uscc",
        "finance.debt_ratio",
        "team.fixed_staff",
        "facilities.equipment_value",
    ] {
        assert!(error.text.contains(field), "{field} in {}", error.text);
    }
    assert!(error.attribute("message").contains("bad-values.toml:3:8"));
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands

/// A command line: (kind, properties, message), with GitHub's escapes undone.
fn parse_command(line: &str) -> (String, BTreeMap<String, String>, String) {
    let body = line.strip_prefix("::").expect("a command starts with ::");
    let (head, message) = body.split_once("::").expect("a command has a message");
    let (kind, properties) = head.split_once(' ').unwrap_or((head, ""));
    let unescape = |text: &str| {
        text.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (key, value) = p.split_once('=').expect("key=value");
            assert!(!value.contains(':'), "unescaped ':' in {p}");
            (key.to_string(), unescape(value))
        })
        .collect();
    (kind.to_string(), properties, unescape(message))
}

#[test]
fn github_annotates_each_finding_at_its_line() {
    for file in FIXTURES {
        let output = check_en(file, "github");
        let lines: Vec<&str> = output.stdout.lines().collect();
        let (summary, commands) = lines.split_last().expect("some output");
        assert!(
            summary.starts_with("ticheck: ") && !summary.starts_with("::"),
            "the summary line is not a command: {summary}"
        );
        let mut commands = commands.iter().map(|line| parse_command(line));
        for applicant in expected(&[file]) {
            let (file_part, _) = split_source(&applicant.source);
            for (location, field) in &applicant.problems {
                let (kind, properties, message) = commands.next().expect("a problem");
                assert_eq!(kind, "error");
                assert_eq!(properties["file"], file_part);
                assert_eq!(
                    properties.get("line").map(|l| l.parse::<u64>().unwrap()),
                    line_of(location, &applicant.source)
                );
                assert!(message.contains(field.as_str().unwrap()), "{message}");
            }
            // SPEC §2: warnings come before any verdict.
            for _ in 0..applicant.warnings {
                assert_eq!(commands.next().expect("a warning").0, "warning");
            }
            for (id, verdict, severity, location) in &applicant.findings {
                let (kind, properties, message) = commands.next().expect("a finding");
                let wanted = match (severity.as_str(), verdict.as_str()) {
                    ("condition", "fail") => "error",
                    ("condition", _) => "warning",
                    _ => "notice",
                };
                assert_eq!(kind, wanted, "{id} of {}", applicant.source);
                assert_eq!(properties["title"], *id);
                assert_eq!(properties["file"], file_part);
                assert_eq!(
                    properties.get("line").map(|l| l.parse::<u64>().unwrap()),
                    line_of(location, &applicant.source),
                    "{id} of {}",
                    applicant.source
                );
                assert_eq!(
                    properties.get("col").map(|c| c.parse::<u64>().unwrap()),
                    location["column"].as_u64()
                );
                assert!(!message.trim().is_empty());
            }
            // An eligible applicant's notice says what is still open.
            if applicant.verdict == "eligible" {
                let (kind, _, message) = commands.next().expect("the open items");
                assert_eq!(kind, "notice");
                assert!(message.contains("still open"), "{message}");
            }
        }
        assert!(commands.next().is_none(), "no other commands for {file}");
    }
}

#[test]
fn github_summary_counts_the_applicants() {
    let output = check_en(BATCH, "github");
    assert_eq!(
        output.stdout.lines().last().unwrap(),
        "ticheck: 7 applicants: 3 eligible, 2 ineligible, 1 incomplete, 1 error"
    );
    let output = check_en(INELIGIBLE, "github");
    assert!(
        output.stdout.contains("debt ratio 70%25, must be < 70%25"),
        "{}",
        output.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// The cells of a table row, split at `|` that are not escaped.
fn markdown_cells(row: &str) -> Vec<String> {
    let inner = row
        .trim()
        .strip_prefix('|')
        .and_then(|r| r.strip_suffix('|'))
        .unwrap_or_else(|| panic!("not a table row: {row}"));
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            _ => cells.last_mut().unwrap().push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// The tables of a Markdown document, each as its rows of cells (header first, no rule line).
fn markdown_tables(document: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut current: Vec<Vec<String>> = Vec::new();
    for line in document.lines() {
        if line.starts_with('|') {
            if !line.starts_with("|---") {
                current.push(markdown_cells(line));
            }
        } else if !current.is_empty() {
            tables.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tables.push(current);
    }
    tables
}

#[test]
fn markdown_has_a_clause_table_per_applicant() {
    let output = check_en(INELIGIBLE, "markdown");
    let text = &output.stdout;
    assert!(text.starts_with("# "), "{text}");
    assert!(text.contains("云科联发〔2022〕6号") && text.contains("2025-04-05"));
    assert!(text.contains("## 云南红土机械制造有限公司"));
    assert!(text.contains("**Verdict: ineligible**"));
    let tables = markdown_tables(text);
    assert_eq!(tables.len(), 1, "one applicant, no summary table");
    let table = &tables[0];
    assert_eq!(
        table[0],
        [
            "Clause",
            "Article",
            "Requirement",
            "Actual",
            "Verdict",
            "Gap"
        ]
    );
    assert_eq!(table.len(), 1 + 24);
    for row in table {
        assert_eq!(row.len(), 6, "{row:?}");
    }
    let debt = table
        .iter()
        .find(|row| row[0].contains("A10.2.debt-ratio"))
        .unwrap();
    assert_eq!(debt[2], "< 70%");
    assert_eq!(debt[3], "70%");
    assert!(debt[4].contains("fail"));
    assert_eq!(debt[5], "must be < 70%");
}

#[test]
fn markdown_summarises_several_applicants() {
    let output = check_en(BATCH, "markdown");
    let text = &output.stdout;
    let tables = markdown_tables(text);
    let summary = &tables[0];
    assert_eq!(summary.len(), 1 + 7, "a row per applicant");
    for row in summary {
        assert_eq!(row.len(), 5, "{row:?}");
    }
    assert!(summary[7][0].contains("candidates.csv:8"));
    assert!(summary[6][2].contains("error"));
    assert_eq!(
        text.matches("\n## ").count(),
        1 + 7,
        "the summary and a section each"
    );
    assert!(
        text.contains("'1,5OO'"),
        "the invalid row's problem is shown"
    );
    assert!(text.contains("7 applicants: 3 eligible, 2 ineligible, 1 incomplete, 1 error"));
}

#[test]
fn markdown_speaks_chinese_when_asked() {
    let output = check(&[INELIGIBLE], "markdown", "zh");
    let text = &output.stdout;
    assert!(
        text.contains("结论：不符合申报条件（ineligible）"),
        "{text}"
    );
    let tables = markdown_tables(text);
    assert_eq!(
        tables[0][0],
        ["条款", "条文", "要求", "实际值", "结论", "差距"]
    );
    assert!(text.contains("不符合 fail"));
}

// ---------------------------------------------------------------------------------------------
// Escaping, end to end: a name and a path with every character that means something

fn awkward_profile(dir: &TempDir) -> PathBuf {
    let text = fs::read_to_string(root().join(INELIGIBLE)).unwrap();
    let text = text.replace(
        "name = \"云南红土机械制造有限公司\"",
        r#"name = "云南\"红土|机械\"&<b>制造</b> 'R&D' 有限公司""#,
    );
    let path = dir.path().join("odd, name: 50% & <x>.toml");
    fs::write(&path, text).unwrap();
    path
}

const AWKWARD_NAME: &str = r#"云南"红土|机械"&<b>制造</b> 'R&D' 有限公司"#;

#[test]
fn awkward_names_and_paths_survive_every_format() {
    let dir = TempDir::new().unwrap();
    let path = awkward_profile(&dir);
    let path = path.to_str().unwrap();
    let files = [path, ELIGIBLE];

    let json = json_of(&files);
    assert_eq!(
        json["results"][0]["applicant"], AWKWARD_NAME,
        "the fixture reads"
    );

    let root = junit(&files);
    assert_junit_counts(&root);
    let suite = root.children_named("testsuite").next().unwrap();
    assert_eq!(suite.attribute("name"), format!("{path} — {AWKWARD_NAME}"));

    let log = sarif(&files);
    let uri = sarif_results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        uri.ends_with("/odd,%20name%3A%2050%25%20&%20%3Cx%3E.toml"),
        "{uri}"
    );
    let text = sarif_results(&log)[0]["message"]["text"].as_str().unwrap();
    assert!(text.starts_with(AWKWARD_NAME), "{text}");

    let output = check(&files, "github", "en");
    let first = output.stdout.lines().next().unwrap();
    let (_, properties, message) = parse_command(first);
    assert_eq!(properties["file"], path);
    assert!(message.starts_with(AWKWARD_NAME), "{message}");

    let output = check(&files, "markdown", "en");
    let tables = markdown_tables(&output.stdout);
    for table in &tables {
        let width = table[0].len();
        for row in table {
            assert_eq!(row.len(), width, "{row:?}");
        }
    }
    // A tag-like `<` is kept from becoming HTML.
    assert_eq!(
        tables[0][1][1],
        r#"云南"红土|机械"&&lt;b>制造&lt;/b> 'R&D' 有限公司"#
    );
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the ineligible fixture

fn pinned(format: &str) -> String {
    let output = check_en(INELIGIBLE, format);
    assert_eq!(output.code, 1, "{}", output.stderr);
    output
        .stdout
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn snapshot_sarif_ineligible_enterprise() {
    insta::assert_snapshot!("sarif_ineligible_enterprise", pinned("sarif"));
}

#[test]
fn snapshot_junit_ineligible_enterprise() {
    insta::assert_snapshot!("junit_ineligible_enterprise", pinned("junit"));
}

#[test]
fn snapshot_github_ineligible_enterprise() {
    insta::assert_snapshot!("github_ineligible_enterprise", pinned("github"));
}

#[test]
fn snapshot_markdown_ineligible_enterprise() {
    insta::assert_snapshot!("markdown_ineligible_enterprise", pinned("markdown"));
}
