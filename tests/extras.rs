//! `ticheck schema`, `ticheck completions`, `ticheck man` through the real binary, and the CI and
//! editor documentation (docs/ci.md, docs/editors.md) that builds on them.
//!
//! The schema is checked with a small JSON Schema validator written here for exactly the
//! keywords the schema uses (an unknown keyword fails the test, so the validator cannot silently
//! skip one), including `pattern`, through a small backtracking regular-expression matcher for
//! the subset of syntax the patterns use. The schema is then held against the loader itself:
//! for sample values of every field, the schema and `ticheck` must accept and reject alike,
//! except for the divergences listed (and explained) in `DIVERGENCES`.
//!
//! The YAML blocks of docs/ci.md are checked by a small structural YAML reader (indentation,
//! mappings, sequences, block scalars, quotes and brackets): no YAML crate is a dependency.

use std::collections::HashSet;

use assert_cmd::Command;
use serde_json::{json, Map, Value};
use ticheck::profile::fields::{FieldDef, FieldType, FIELDS, ITEMS, SERIES};

fn ticheck() -> Command {
    let mut command = Command::cargo_bin("ticheck").unwrap();
    command
        .env("COLUMNS", "160")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE");
    command
}

fn stdout_of(args: &[&str]) -> String {
    let output = ticheck().args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "ticheck {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn schema() -> Value {
    serde_json::from_str(&stdout_of(&["schema"])).expect("ticheck schema prints JSON")
}

// ---------------------------------------------------------------------------------------------
// A regular-expression matcher for the subset the schema's patterns use: literals, `.`, `\s`,
// `\S`, `\d`, escaped punctuation, classes with ranges and negation, groups, alternation, the
// quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`, and the anchors `^` and `$`. Matching is
// unanchored search, as JSON Schema's `pattern` and `patternProperties` are.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Space(bool),
    Digit(bool),
    Start,
    End,
    Alt(Vec<Vec<Node>>),
    Repeat(Box<Node>, usize, Option<usize>),
}

struct Parser<'a> {
    chars: Vec<char>,
    at: usize,
    pattern: &'a str,
}

impl Parser<'_> {
    fn fail(&self, what: &str) -> ! {
        panic!("pattern {:?}: {what} at {}", self.pattern, self.at)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn alternation(&mut self) -> Node {
        let mut branches = vec![self.sequence()];
        while self.peek() == Some('|') {
            self.at += 1;
            branches.push(self.sequence());
        }
        Node::Alt(branches)
    }

    fn sequence(&mut self) -> Vec<Node> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom();
            nodes.push(self.quantified(atom));
        }
        nodes
    }

    fn number(&mut self) -> Option<usize> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let digits: String = self.chars[start..self.at].iter().collect();
        digits.parse().ok()
    }

    fn quantified(&mut self, atom: Node) -> Node {
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.at += 1;
                let min = self
                    .number()
                    .unwrap_or_else(|| self.fail("a count after {"));
                let max = if self.peek() == Some(',') {
                    self.at += 1;
                    self.number()
                } else {
                    Some(min)
                };
                if self.peek() != Some('}') {
                    self.fail("an unclosed {");
                }
                (min, max)
            }
            _ => return atom,
        };
        self.at += 1;
        if matches!(self.peek(), Some('?' | '+')) {
            self.fail("a lazy or possessive quantifier");
        }
        Node::Repeat(Box::new(atom), min, max)
    }

    fn escape(&mut self) -> Node {
        let c = self
            .peek()
            .unwrap_or_else(|| self.fail("a trailing backslash"));
        self.at += 1;
        match c {
            's' => Node::Space(true),
            'S' => Node::Space(false),
            'd' => Node::Digit(true),
            'D' => Node::Digit(false),
            c if c.is_ascii_punctuation() => Node::Char(c),
            c => self.fail(&format!("the unsupported escape \\{c}")),
        }
    }

    fn atom(&mut self) -> Node {
        let c = self.peek().unwrap();
        self.at += 1;
        match c {
            '(' => {
                if self.peek() == Some('?') {
                    self.fail("a group modifier");
                }
                let inner = self.alternation();
                if self.peek() != Some(')') {
                    self.fail("an unclosed group");
                }
                self.at += 1;
                inner
            }
            '[' => self.class(),
            '\\' => self.escape(),
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '*' | '+' | '?' | '{' => self.fail("a quantifier without an atom"),
            c => Node::Char(c),
        }
    }

    fn class(&mut self) -> Node {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self
                .peek()
                .unwrap_or_else(|| self.fail("an unclosed class"));
            self.at += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let low = if c == '\\' {
                let escaped = self.peek().unwrap();
                self.at += 1;
                if !escaped.is_ascii_punctuation() {
                    self.fail("an escape class inside [...]");
                }
                escaped
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|&n| n != ']') {
                let high = self.chars[self.at + 1];
                self.at += 2;
                assert!(low <= high, "pattern {:?}: bad range", self.pattern);
                ranges.push((low, high));
            } else {
                ranges.push((low, low));
            }
        }
        Node::Class(ranges, negated)
    }
}

fn compile(pattern: &str) -> Node {
    let mut parser = Parser {
        chars: pattern.chars().collect(),
        at: 0,
        pattern,
    };
    let node = parser.alternation();
    if parser.at != parser.chars.len() {
        parser.fail("an unmatched )");
    }
    node
}

fn match_seq(nodes: &[Node], text: &[char], at: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let Some((first, rest)) = nodes.split_first() else {
        return k(at);
    };
    let next = text.get(at).copied();
    let single =
        |ok: bool, k: &mut dyn FnMut(usize) -> bool| ok && match_seq(rest, text, at + 1, k);
    match first {
        Node::Char(c) => single(next == Some(*c), k),
        Node::Any => single(next.is_some_and(|c| c != '\n'), k),
        Node::Class(ranges, negated) => single(
            next.is_some_and(|c| ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated),
            k,
        ),
        Node::Space(yes) => single(next.is_some_and(|c| c.is_whitespace() == *yes), k),
        Node::Digit(yes) => single(next.is_some_and(|c| c.is_ascii_digit() == *yes), k),
        Node::Start => at == 0 && match_seq(rest, text, at, k),
        Node::End => at == text.len() && match_seq(rest, text, at, k),
        Node::Alt(branches) => branches
            .iter()
            .any(|branch| match_seq(branch, text, at, &mut |j| match_seq(rest, text, j, k))),
        Node::Repeat(node, min, max) => repeat(node, *min, *max, 0, rest, text, at, k),
    }
}

#[allow(clippy::too_many_arguments)]
fn repeat(
    node: &Node,
    min: usize,
    max: Option<usize>,
    count: usize,
    rest: &[Node],
    text: &[char],
    at: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    // Greedy: one more repetition first (never an empty one, which would loop), then stop.
    if max.is_none_or(|max| count < max)
        && match_seq(std::slice::from_ref(node), text, at, &mut |j| {
            j > at && repeat(node, min, max, count + 1, rest, text, j, k)
        })
    {
        return true;
    }
    count >= min && match_seq(rest, text, at, k)
}

fn regex_search(pattern: &str, text: &str) -> bool {
    let node = compile(pattern);
    let chars: Vec<char> = text.chars().collect();
    (0..=chars.len())
        .any(|start| match_seq(std::slice::from_ref(&node), &chars, start, &mut |_| true))
}

#[test]
fn the_test_regex_matcher_works() {
    assert!(regex_search("^a(b|c)*d$", "abcbd"));
    assert!(!regex_search("^a(b|c)*d$", "abxd"));
    assert!(regex_search("\\S", "  x "));
    assert!(!regex_search("\\S", "   "));
    assert!(regex_search("^[0-9０-９]{4}$", "２０２４"));
    assert!(!regex_search("^[0-9]{4}$", "202"));
    assert!(regex_search("^x{1,2}y?$", "xx"));
    assert!(!regex_search("^x{1,2}$", "xxx"));
    assert!(regex_search("^(万元|万|元)?$", "万元"));
    assert!(regex_search("^[^a-c]+$", "xyz"));
    assert!(regex_search("b", "abc"), "search is unanchored");
}

// ---------------------------------------------------------------------------------------------
// A JSON Schema validator for the keywords the schema uses.
// ---------------------------------------------------------------------------------------------

/// Keywords that only annotate.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$comment", "title", "description"];

fn is_integer(value: &Value) -> bool {
    value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
}

fn has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_number() && is_integer(value),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("unknown type {other}"),
    }
}

/// Validates `value` against `schema`; returns the errors, each with its instance path.
fn validate(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = schema.as_object().expect("a schema is an object");
    let mut fail = |message: String| errors.push(format!("{path}: {message}"));
    let known = [
        "type",
        "properties",
        "additionalProperties",
        "patternProperties",
        "items",
        "enum",
        "anyOf",
        "oneOf",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "pattern",
    ];
    for keyword in schema.keys() {
        assert!(
            known.contains(&keyword.as_str()) || ANNOTATIONS.contains(&keyword.as_str()),
            "the test validator does not know the keyword {keyword}"
        );
    }
    if let Some(ty) = schema.get("type") {
        let types: Vec<&str> = match ty {
            Value::String(ty) => vec![ty.as_str()],
            Value::Array(types) => types.iter().map(|t| t.as_str().unwrap()).collect(),
            other => panic!("bad type {other}"),
        };
        if !types.iter().any(|ty| has_type(value, ty)) {
            fail(format!("{value} is not of type {types:?}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        let equal = |a: &Value| match (a.as_f64(), value.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => a == value,
        };
        if !allowed.iter().any(equal) {
            fail(format!("{value} is not one of {allowed:?}"));
        }
    }
    if let Some(number) = value.as_f64() {
        if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64) {
            if number < minimum {
                fail(format!("{number} < {minimum}"));
            }
        }
        if let Some(maximum) = schema.get("maximum").and_then(Value::as_f64) {
            if number > maximum {
                fail(format!("{number} > {maximum}"));
            }
        }
    }
    if let Some(text) = value.as_str() {
        let length = text.chars().count() as u64;
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
            if length < min {
                fail(format!("shorter than {min}"));
            }
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            if length > max {
                fail(format!("longer than {max}"));
            }
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            if !regex_search(pattern, text) {
                fail(format!("{text:?} does not match {pattern:?}"));
            }
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        let patterns = schema.get("patternProperties").and_then(Value::as_object);
        for (key, item) in object {
            let child = format!("{path}/{key}");
            let mut matched = false;
            if let Some(property) = properties.and_then(|p| p.get(key)) {
                matched = true;
                validate(property, item, &child, errors);
            }
            for (pattern, property) in patterns.into_iter().flatten() {
                if regex_search(pattern, key) {
                    matched = true;
                    validate(property, item, &child, errors);
                }
            }
            if !matched {
                match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{child}: unknown key {key:?}"));
                    }
                    Some(Value::Bool(true)) | None => {}
                    Some(additional) => validate(additional, item, &child, errors),
                }
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (index, item) in array.iter().enumerate() {
            validate(items, item, &format!("{path}/{index}"), errors);
        }
    }
    for (keyword, exactly_one) in [("anyOf", false), ("oneOf", true)] {
        if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
            let passing = branches
                .iter()
                .filter(|branch| {
                    let mut branch_errors = Vec::new();
                    validate(branch, value, path, &mut branch_errors);
                    branch_errors.is_empty()
                })
                .count();
            if passing == 0 || (exactly_one && passing > 1) {
                errors.push(format!(
                    "{path}: {value} matches {passing} of the {keyword} branches"
                ));
            }
        }
    }
}

fn schema_errors(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(schema, value, "", &mut errors);
    errors
}

/// TOML as a JSON Schema validator for TOML sees it (taplo): dates and times become strings.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(integer) => json!(integer),
        toml::Value::Float(float) => json!(float),
        toml::Value::Boolean(flag) => Value::Bool(flag),
        toml::Value::Datetime(datetime) => Value::String(datetime.to_string()),
        toml::Value::Array(array) => Value::Array(array.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, toml_to_json(value)))
                .collect::<Map<_, _>>(),
        ),
    }
}

fn toml_json(text: &str) -> Value {
    toml_to_json(toml::Value::Table(
        toml::from_str::<toml::Table>(text).expect("valid TOML"),
    ))
}

// ---------------------------------------------------------------------------------------------
// `ticheck schema`
// ---------------------------------------------------------------------------------------------

#[test]
fn schema_is_a_draft_2020_12_json_schema_of_the_applicant_profile() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["$id"].as_str().is_some_and(|id| id.contains(':')));
    assert!(schema["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(schema["description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    assert_eq!(schema["type"], "object");
    let sections: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        sections,
        [
            "applicant",
            "finance",
            "team",
            "facilities",
            "record",
            "support",
            "rnd_spend",
            "project",
            "standard",
            "ip",
            "transfer"
        ]
    );
}

#[test]
fn schema_has_every_field_of_the_registry_with_its_labels() {
    let schema = schema();
    let properties = &schema["properties"];
    for field in FIELDS {
        let (section, key) = field.path.split_once('.').unwrap();
        let property = &properties[section]["properties"][key];
        let description = property["description"]
            .as_str()
            .unwrap_or_else(|| panic!("{} is not in the schema", field.path));
        assert!(
            description.contains(field.label_zh) && description.contains(field.label_en),
            "{}: {description}",
            field.path
        );
    }
    for item in ITEMS {
        let array = &properties[item.table];
        assert_eq!(array["type"], "array", "{}", item.table);
        assert_eq!(array["items"]["type"], "object", "{}", item.table);
        let keys: Vec<&str> = array["items"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let expected: Vec<&str> = item.fields.iter().map(|field| field.path).collect();
        assert_eq!(keys, expected, "{}", item.table);
    }
    for series in SERIES {
        let table = &properties[series.table];
        assert_eq!(table["type"], "object");
        assert_eq!(table["additionalProperties"], false);
        let patterns = table["patternProperties"].as_object().unwrap();
        assert_eq!(patterns.len(), 1);
        let pattern = patterns.keys().next().unwrap();
        for year in ["1900", "2023", "2100", "2023年"] {
            assert!(regex_search(pattern, year), "{pattern} rejects {year}");
        }
        for key in ["1899", "2101", "23", "2023x", "total"] {
            assert!(!regex_search(pattern, key), "{pattern} accepts {key}");
        }
    }
}

#[test]
fn every_object_in_the_schema_forbids_unknown_keys() {
    fn walk(schema: &Value, path: &str, objects: &mut usize) {
        match schema {
            Value::Object(map) => {
                if map.get("type") == Some(&json!("object")) {
                    *objects += 1;
                    assert_eq!(
                        map.get("additionalProperties"),
                        Some(&json!(false)),
                        "{path} allows unknown keys"
                    );
                }
                for (key, child) in map {
                    walk(child, &format!("{path}/{key}"), objects);
                }
            }
            Value::Array(array) => {
                for (index, child) in array.iter().enumerate() {
                    walk(child, &format!("{path}/{index}"), objects);
                }
            }
            _ => {}
        }
    }
    let mut objects = 0;
    walk(&schema(), "#", &mut objects);
    // The root, six sections, rnd_spend and the four item tables.
    assert_eq!(objects, 12);
}

#[test]
fn shipped_profiles_and_templates_validate_against_the_schema() {
    let schema = schema();
    let mut profiles: Vec<(String, String)> = std::fs::read_dir("fixtures")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect();
    assert!(profiles.len() >= 4, "the fixtures are missing");
    for kind in ["enterprise", "university", "institute", "tech_org"] {
        profiles.push((
            format!("ticheck init --kind {kind}"),
            stdout_of(&["init", "--kind", kind]),
        ));
    }
    for (name, text) in &profiles {
        assert!(
            ticheck::profile::toml::load(name, text).is_ok(),
            "{name} does not load"
        );
        let errors = schema_errors(&schema, &toml_json(text));
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    // The example the brief names, with its dates as strings (as taplo hands them over).
    let eligible =
        toml_json(&std::fs::read_to_string("fixtures/eligible-enterprise.toml").unwrap());
    assert_eq!(eligible["applicant"]["application_date"], "2024-03-15");
}

#[test]
fn unknown_keys_and_unreadable_values_fail_the_schema() {
    let schema = schema();
    let typo = std::fs::read_to_string("fixtures/invalid/typo-key.toml").unwrap();
    let errors = schema_errors(&schema, &toml_json(&typo));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("rnd_floor_aera"), "{errors:#?}");

    let bad = std::fs::read_to_string("fixtures/invalid/bad-values.toml").unwrap();
    let errors = schema_errors(&schema, &toml_json(&bad));
    for path in [
        "/applicant/kind",
        "/finance/debt_ratio",
        "/team/fixed_staff",
        "/facilities/equipment_value",
    ] {
        assert!(
            errors
                .iter()
                .any(|error| error.starts_with(&format!("{path}:"))),
            "{path} not reported: {errors:#?}"
        );
    }

    for text in [
        "[applicant]\nname = \"x\"\n[finances]\ndebt_ratio = 0.5\n",
        "[[project]]\nname = \"x\"\nlevle = \"national\"\n",
        "[rnd_spend]\ntotal = 1000\n",
        "name = \"a key outside its table\"\n",
    ] {
        assert!(
            !schema_errors(&schema, &toml_json(text)).is_empty(),
            "the schema accepts {text:?}"
        );
        assert!(ticheck::profile::toml::load("t.toml", text).is_err());
    }

    // A lone `[project]` table is read by the loader as one item, but the schema (like the
    // template and SPEC §4) asks for the repeatable `[[project]]`.
    let single = "[project]\nname = \"x\"\n";
    assert!(ticheck::profile::toml::load("t.toml", single).is_ok());
    assert!(!schema_errors(&schema, &toml_json(single)).is_empty());
}

/// Where the schema and the loader disagree on purpose: (field path, TOML value, whether the
/// loader accepts it). The schema accepts the opposite.
const DIVERGENCES: &[(&str, &str, bool)] = &[
    // The check character and the calendar are the loader's to judge.
    ("applicant.uscc", "\"91530100MA6K3L7P2E\"", false),
    ("applicant.application_date", "\"2024-02-30\"", false),
    // The loader folds case and `-` in choice words; the enum offers the canonical spelling.
    ("applicant.kind", "\"Enterprise\"", true),
    ("applicant.kind", "\"tech-org\"", true),
    // A number where text belongs is read as text by the loader; an editor flags it.
    ("applicant.name", "123", true),
];

/// Sample TOML values for a field's type, accepted and rejected alike by loader and schema.
fn samples(field: &FieldDef) -> Vec<String> {
    let mut samples: Vec<String> = match field.ty {
        FieldType::Text => vec![
            "\"云南滇铜新材料科技有限公司\"".into(),
            format!("\"{}\"", "长".repeat(200)),
            format!("\"{}\"", "长".repeat(201)),
            "\"\"".into(),
            "\"   \"".into(),
            "true".into(),
        ],
        FieldType::Uscc => vec![
            "\"91530100MA6K3L7P2D\"".into(),
            "\"91530100ma6k3l7p2d\"".into(),
            "\"915301\"".into(),
            "\"91530100MA6K3L7P2I\"".into(),
            "91530100".into(),
        ],
        FieldType::Date => vec![
            "2024-03-15".into(),
            "\"2024-03-15\"".into(),
            "\"2024/3/15\"".into(),
            "\"2024.3.15\"".into(),
            "\"2024年3月15日\"".into(),
            "\"next week\"".into(),
            "2024-03-15T10:00:00".into(),
            "20240315".into(),
        ],
        FieldType::Bool => vec![
            "true".into(),
            "false".into(),
            "\"是\"".into(),
            "\"否\"".into(),
            "\"yes\"".into(),
            "\"YES\"".into(),
            "\"True\"".into(),
            "\" 是 \"".into(),
            "\"√\"".into(),
            "\"无\"".into(),
            "1".into(),
            "0".into(),
            "2".into(),
            "\"maybe\"".into(),
            "\"\"".into(),
        ],
        FieldType::Choice(choices) => {
            let mut words: Vec<String> = choices
                .iter()
                .flat_map(|c| std::iter::once(c.id).chain(c.aliases.iter().copied()))
                .map(|word| format!("\"{word}\""))
                .collect();
            words.extend(["\"nonsense\"".into(), "1".into(), "true".into()]);
            words
        }
        FieldType::Number(quantity) => {
            use ticheck::profile::value::Quantity;
            match quantity {
                Quantity::Money => vec![
                    "1250",
                    "0",
                    "12.5",
                    "\"2350万元\"",
                    "\"2350万\"",
                    "\"23500000元\"",
                    "\"0.235亿元\"",
                    "\"5.2亿元\"",
                    "\"30,264万元\"",
                    "\"9,000,000元\"",
                    "\"23500千元\"",
                    "\"1.5E+3\"",
                    "\"２３５０万元\"",
                    "\" 2350 万元 \"",
                    "-5",
                    "\"-5万元\"",
                    "\"2350美元\"",
                    "\"abc\"",
                    "\"\"",
                    "true",
                    "2024-01-01",
                    "[1]",
                ],
                Quantity::Area => vec![
                    "1800",
                    "1800.5",
                    "\"1800m²\"",
                    "\"1800 m2\"",
                    "\"1800平方米\"",
                    "\"1800㎡\"",
                    "\"1800平米\"",
                    "\"1800M2\"",
                    "\"1,800\"",
                    "\"1800亩\"",
                    "-1",
                    "\"\"",
                    "false",
                ],
                Quantity::Ratio => vec![
                    "0.582",
                    "0",
                    "1",
                    "1.0",
                    "\"58.2%\"",
                    "\"0.582\"",
                    "\"1\"",
                    "\"70%\"",
                    "\"５８．２％\"",
                    "\"58.2 %\"",
                    "65",
                    "1.5",
                    "\"65\"",
                    "\"1.5\"",
                    "\"58.2‰\"",
                    "-0.1",
                    "\"\"",
                ],
                Quantity::Count => vec![
                    "128",
                    "0",
                    "12.0",
                    "\"128\"",
                    "\"128人\"",
                    "\"1,500\"",
                    "\"12项\"",
                    "\"3 家\"",
                    "12.5",
                    "-5",
                    "\"12.5\"",
                    "\"12米\"",
                    "\"\"",
                ],
                Quantity::Year => vec![
                    "2022",
                    "\"2022\"",
                    "\"2022年\"",
                    "1900",
                    "2100",
                    "1899",
                    "2101",
                    "\"22\"",
                    "2022.5",
                    "\"this year\"",
                ],
            }
            .into_iter()
            .map(String::from)
            .collect()
        }
    };
    samples.extend(
        DIVERGENCES
            .iter()
            .filter(|(path, _, _)| *path == field.path)
            .map(|(_, value, _)| value.to_string()),
    );
    samples
}

/// A profile stating one value: `[section] key = value`, `[[item]] key = value`.
fn one_value_profile(table: &str, item: bool, key: &str, value: &str) -> String {
    if item {
        format!("[[{table}]]\n{key} = {value}\n")
    } else {
        format!("[{table}]\n{key} = {value}\n")
    }
}

#[test]
fn schema_and_loader_accept_the_same_values() {
    let schema = schema();
    let mut fields: Vec<(&str, bool, &FieldDef, String)> = Vec::new();
    for field in FIELDS {
        let (section, _) = field.path.split_once('.').unwrap();
        fields.push((section, false, field, field.path.to_string()));
    }
    for item in ITEMS {
        for field in item.fields {
            fields.push((
                item.table,
                true,
                field,
                format!("{}.{}", item.table, field.path),
            ));
        }
    }
    let mut checked = 0;
    let mut diverged = HashSet::new();
    for (table, item, field, path) in &fields {
        let key = field.path.rsplit('.').next().unwrap();
        for value in samples(field) {
            let text = one_value_profile(table, *item, key, &value);
            let loaded = ticheck::profile::toml::load("t.toml", &text).is_ok();
            let valid = schema_errors(&schema, &toml_json(&text)).is_empty();
            let expected = DIVERGENCES
                .iter()
                .find(|(p, v, _)| p == path && *v == value)
                .map(|&(_, _, loader)| (loader, !loader));
            match expected {
                Some(expected) => {
                    assert_eq!(
                        (loaded, valid),
                        expected,
                        "{path} = {value}: divergence changed"
                    );
                    diverged.insert((path.clone(), value.clone()));
                }
                None => assert_eq!(
                    loaded, valid,
                    "{path} = {value}: loader accepts: {loaded}, schema accepts: {valid}"
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(
        diverged.len(),
        DIVERGENCES.len(),
        "a divergence was not exercised"
    );
    assert!(checked > 300, "only {checked} samples");

    // The R&D spend series: years as keys, amounts as values.
    for (text, accepted) in [
        ("[rnd_spend]\n2022 = 1250\n2023 = \"1320万元\"\n", true),
        ("[rnd_spend]\n\"2023年\" = 1320\n", true),
        ("[rnd_spend]\n2023 = \"1320美元\"\n", false),
        ("[rnd_spend]\n1899 = 10\n", false),
        ("[rnd_spend]\nrecent = 10\n", false),
    ] {
        let loaded = ticheck::profile::toml::load("t.toml", text).is_ok();
        let valid = schema_errors(&schema, &toml_json(text)).is_empty();
        assert_eq!((loaded, valid), (accepted, accepted), "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// `ticheck completions`, `ticheck man`
// ---------------------------------------------------------------------------------------------

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.len() > 500, "{shell}: {script}");
        for word in ["ticheck", "check", "explain", "schema", "format"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
        // Option values are completed where the shell's generator supports it.
        if matches!(shell, "bash" | "zsh" | "fish") {
            assert!(
                script.contains("sarif"),
                "{shell} completion lacks the formats"
            );
        }
    }
    ticheck()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid value"));
}

#[test]
fn man_page_is_one_roff_page_with_every_command_and_its_options() {
    let page = stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie ") || page.starts_with(".TH"),
        "{page}"
    );
    assert!(page.contains(".TH ticheck 1"), "{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SH EXTRA",
    ] {
        assert!(page.contains(section), "the man page lacks {section}");
    }
    for command in [
        "check",
        "rules",
        "explain",
        "init",
        "schema",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!(".SS \"ticheck {command}\"")),
            "the man page lacks ticheck {command}"
        );
    }
    // `check`'s own options are on the page, not in a ticheck-check(1) nobody installed.
    for option in [
        "\\-\\-format",
        "sarif",
        "\\-\\-strict",
        "\\-\\-as\\-of",
        "Exit codes",
    ] {
        assert!(page.contains(option), "the man page lacks {option}");
    }
    assert!(
        !page.contains("ticheck\\-check(1)"),
        "a reference to a page that is not there"
    );
    // Plain ASCII (Chinese as \[uXXXX]), one definition of the Aq string.
    assert!(page.is_ascii());
    assert!(page.contains("\\[u4E91]\\[u5357]"), "云南 is not escaped");
    assert_eq!(page.matches(".ds Aq").count(), 2);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // `ticheck man | head -1`: standard output closes early; no panic, no message.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ticheck"))
        .arg("schema")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// docs/ci.md and docs/editors.md
// ---------------------------------------------------------------------------------------------

/// The fenced blocks of a Markdown file with the given language tag.
fn fenced_blocks(markdown: &str, language: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            None => {
                if line.trim_start().strip_prefix("```") == Some(language) {
                    current = Some(String::new());
                }
            }
            Some(block) => {
                if line.trim_start() == "```" {
                    blocks.push(current.take().unwrap());
                } else {
                    block.push_str(line);
                    block.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "an unclosed ```{language} block");
    blocks
}

/// Splits a YAML line's content at its comment (` #`), respecting quotes.
fn strip_comment(text: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (index, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && (previous == ' ' || index == 0) => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return text[..index].trim_end(),
            None => {}
        }
        previous = c;
    }
    text.trim_end()
}

/// Checks a YAML scalar or flow collection: closed quotes, balanced brackets, and nothing a
/// plain scalar may not hold.
fn check_yaml_value(value: &str) -> Result<(), String> {
    let value = strip_comment(value);
    if value.is_empty() {
        return Ok(());
    }
    let first = value.chars().next().unwrap();
    if first == '"' || first == '\'' {
        let body: Vec<char> = value.chars().skip(1).collect();
        let mut index = 0;
        while index < body.len() {
            let c = body[index];
            if first == '"' && c == '\\' {
                index += 2;
                continue;
            }
            if c == first {
                if first == '\'' && body.get(index + 1) == Some(&'\'') {
                    index += 2;
                    continue;
                }
                let rest: String = body[index + 1..].iter().collect();
                return if rest.trim().is_empty() {
                    Ok(())
                } else {
                    Err(format!("text after a quoted scalar: {value}"))
                };
            }
            index += 1;
        }
        return Err(format!("an unclosed quote: {value}"));
    }
    if first == '[' || first == '{' {
        let mut stack = Vec::new();
        let mut quote = None;
        for (index, c) in value.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => stack.push(c),
                (None, ']' | '}') => {
                    let open = stack.pop().ok_or(format!("an unopened {c}: {value}"))?;
                    if (open, c) != ('[', ']') && (open, c) != ('{', '}') {
                        return Err(format!("{open} closed by {c}: {value}"));
                    }
                    if stack.is_empty() && !value[index + 1..].trim().is_empty() {
                        return Err(format!("text after a flow collection: {value}"));
                    }
                }
                _ => {}
            }
        }
        return if stack.is_empty() && quote.is_none() {
            Ok(())
        } else {
            Err(format!("unbalanced brackets or quotes: {value}"))
        };
    }
    if matches!(first, '@' | '`' | '%' | '|' | '>' | ']' | '}' | ',') {
        return Err(format!("a plain scalar cannot start with {first}: {value}"));
    }
    if value.contains(": ") || value.ends_with(':') {
        return Err(format!("a mapping inside a plain scalar: {value}"));
    }
    Ok(())
}

/// Splits `key: value` (or `key:`) at the mapping colon, respecting a quoted key.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let end_of_key = if content.starts_with('"') || content.starts_with('\'') {
        let quote = content.chars().next().unwrap();
        content[1..].find(quote).map(|i| i + 2)?
    } else {
        0
    };
    let rest = &content[end_of_key..];
    let colon = rest
        .find(": ")
        .or_else(|| rest.strip_suffix(':').map(|r| r.len()))?;
    let key = &content[..end_of_key + colon];
    let value = content[end_of_key + colon + 1..].trim();
    if key.is_empty() || key.starts_with(['[', '{', '-', '#', '&', '*', '!']) {
        return None;
    }
    Some((key, value))
}

#[derive(Debug, PartialEq)]
enum Level {
    Map(HashSet<String>),
    Seq,
}

/// A structural check of block YAML as the documentation writes it: spaces only, indentation
/// that opens a level only after `key:` or `-`, every line a `key: value` of a mapping or a
/// `- ` entry of a sequence (never both at one level), no duplicate keys, block scalars
/// (`|`, `>`) taken verbatim, and well-formed scalars.
fn check_yaml(text: &str) -> Result<(), String> {
    let mut stack: Vec<(usize, Level)> = Vec::new();
    // After `key:` or `-`, a level may open deeper than this indentation; the root opens first.
    let mut open: Option<usize> = Some(0);
    let mut block_scalar: Option<usize> = None;
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        let fail = |message: String| Err(format!("line {number}: {message}: {line:?}"));
        if line.contains('\t') {
            return fail("a tab".into());
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim();
        if let Some(parent) = block_scalar {
            if content.is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if content.is_empty() || content.starts_with('#') || content == "---" {
            continue;
        }
        let is_entry = content == "-" || content.starts_with("- ");
        if let Some(parent) = open.take() {
            let deeper = stack.is_empty() || indent > parent;
            // A sequence may sit at its key's indentation (`steps:` / `- uses: …`).
            let same_level_sequence = is_entry
                && indent == parent
                && matches!(stack.last(), Some((i, Level::Map(_))) if *i == parent);
            if !deeper && !same_level_sequence {
                return fail("an empty value (`key:` opens nothing)".into());
            }
            let level = if is_entry {
                Level::Seq
            } else {
                Level::Map(HashSet::new())
            };
            stack.push((indent, level));
        } else {
            while stack.last().is_some_and(|(i, _)| *i > indent) {
                stack.pop();
            }
            // A key after a sequence that sat at its key's indentation ends that sequence.
            let below = stack.len().checked_sub(2).map(|i| &stack[i]);
            if !is_entry
                && matches!(stack.last(), Some((i, Level::Seq)) if *i == indent)
                && matches!(below, Some((i, Level::Map(_))) if *i == indent)
            {
                stack.pop();
            }
            match stack.last() {
                Some((i, _)) if *i == indent => {}
                _ => return fail("an indentation that matches no enclosing level".into()),
            }
        }
        if indent % 2 != 0 {
            return fail("an odd indentation".into());
        }
        let (mut indent, mut content) = (indent, content);
        if is_entry {
            if stack.last().map(|(_, level)| level) != Some(&Level::Seq) {
                return fail("a sequence entry among mapping keys".into());
            }
            let rest = content[1..].trim_start();
            if rest.is_empty() {
                open = Some(indent);
                continue;
            }
            if split_key(rest).is_none() {
                check_yaml_value(rest).or_else(&fail)?;
                continue;
            }
            // `- key: value` opens a mapping inside the entry, two columns in.
            indent += 2;
            content = rest;
            stack.push((indent, Level::Map(HashSet::new())));
        }
        let Some((key, value)) = split_key(content) else {
            return fail("neither `key: value` nor `- entry`".into());
        };
        match stack.last_mut() {
            Some((_, Level::Map(keys))) => {
                if !keys.insert(key.to_string()) {
                    return fail(format!("a duplicate key {key}"));
                }
            }
            _ => return fail("a mapping key among sequence entries".into()),
        }
        let value = strip_comment(value);
        if value.is_empty() {
            open = Some(indent);
        } else if value.starts_with('|') || value.starts_with('>') {
            if !matches!(value, "|" | ">" | "|-" | ">-" | "|+" | ">+") {
                return fail("a malformed block scalar header".into());
            }
            block_scalar = Some(indent);
        } else {
            check_yaml_value(value).or_else(&fail)?;
        }
    }
    if open.is_some() && stack.is_empty() {
        return Err("an empty document".into());
    }
    Ok(())
}

#[test]
fn the_test_yaml_check_rejects_what_yaml_rejects() {
    let good = "a:\n  b: 1\n  c:\n    - x\n    - y: 1\n      z: [1, \"2\"]\n  d: |\n    any: thing\n     here\ne:\n- q\nf: 'it''s' # note\n";
    assert_eq!(check_yaml(good), Ok(()));
    for bad in [
        "a:\n\tb: 1\n",
        "a:\n   b: 1\n",
        "a:\n  b: 1\n c: 2\n",
        "a: 1\na: 2\n",
        "a:\n  - x\n  b: 1\n",
        "a: \"open\n",
        "a: [1, 2\n",
        "a: b: c\n",
        "just text\n",
        "a: 1\n  b: 2\n",
    ] {
        assert!(check_yaml(bad).is_err(), "accepted {bad:?}");
    }
}

#[test]
fn ci_guide_has_valid_workflow_job_and_hook() {
    let guide = std::fs::read_to_string("docs/ci.md").unwrap();
    let blocks = fenced_blocks(&guide, "yaml");
    assert!(
        blocks.len() >= 3,
        "docs/ci.md has {} yaml blocks",
        blocks.len()
    );
    for block in &blocks {
        if let Err(error) = check_yaml(block) {
            panic!("a yaml block of docs/ci.md: {error}\n{block}");
        }
    }
    let find = |needle: &str| {
        blocks
            .iter()
            .find(|block| block.contains(needle))
            .unwrap_or_else(|| panic!("no yaml block contains {needle}"))
    };
    let workflow = find("runs-on:");
    for needle in [
        "actions/checkout@",
        "--format sarif --output ticheck.sarif",
        "--format junit",
        "--format github",
        "github/codeql-action/upload-sarif@",
        "actions/upload-artifact@",
        "security-events: write",
    ] {
        assert!(workflow.contains(needle), "the workflow lacks {needle}");
    }
    let gitlab = find("reports:");
    for needle in ["--format junit", "junit: ticheck.xml", "when: always"] {
        assert!(gitlab.contains(needle), "the GitLab job lacks {needle}");
    }
    let hook = find("repo: local");
    for needle in ["ticheck check --strict", "\\.toml$", "dossiers/"] {
        assert!(hook.contains(needle), "the pre-commit hook lacks {needle}");
    }
    for needle in ["`0`", "`1`", "`2`", "--strict", "SARIF 2.1.0", "JUnit"] {
        assert!(guide.contains(needle), "docs/ci.md lacks {needle}");
    }
}

/// Every `--option` a guide gives `ticheck check` is one the command has, and every `--format`
/// value one it accepts.
fn check_invocations(guide: &str, name: &str) {
    let help = stdout_of(&["check", "--help"]);
    let mut seen = 0;
    for line in guide.lines() {
        let Some(start) = line.find("ticheck check") else {
            continue;
        };
        seen += 1;
        let words: Vec<&str> = line[start..].split_whitespace().collect();
        for (index, word) in words.iter().enumerate() {
            let word = word.trim_matches(|c| matches!(c, '`' | '"' | '\'' | ',' | ')'));
            if let Some(option) = word.strip_prefix("--") {
                let option = option.split('=').next().unwrap();
                assert!(
                    help.contains(&format!("--{option}")),
                    "{name}: `ticheck check` has no --{option}: {line}"
                );
                if option == "format" {
                    let value = words[index + 1].trim_matches('`');
                    assert!(
                        help.contains(value),
                        "{name}: --format {value} is not a format: {line}"
                    );
                }
            }
        }
    }
    assert!(seen > 0, "{name} never runs ticheck check");
}

#[test]
fn guides_use_options_ticheck_has() {
    check_invocations(
        &std::fs::read_to_string("docs/ci.md").unwrap(),
        "docs/ci.md",
    );
}

#[test]
fn editor_guide_wires_the_schema_into_taplo_and_vs_code() {
    let guide = std::fs::read_to_string("docs/editors.md").unwrap();
    for needle in [
        "ticheck schema > ticheck-profile.schema.json",
        "#:schema ./ticheck-profile.schema.json",
        "[[rule]]",
        "evenBetterToml.schema.associations",
        "ticheck completions",
        "ticheck man",
    ] {
        assert!(guide.contains(needle), "docs/editors.md lacks {needle}");
    }
    // The configuration it shows parses: TOML blocks as TOML, JSON blocks as JSON.
    let tomls = fenced_blocks(&guide, "toml");
    assert!(!tomls.is_empty());
    for block in tomls {
        toml::from_str::<toml::Table>(&block)
            .unwrap_or_else(|error| panic!("a toml block of docs/editors.md: {error}\n{block}"));
    }
    let jsons = fenced_blocks(&guide, "json");
    assert!(!jsons.is_empty());
    for block in jsons {
        serde_json::from_str::<Value>(&block)
            .unwrap_or_else(|error| panic!("a json block of docs/editors.md: {error}\n{block}"));
    }
}

#[test]
fn a_profile_with_the_schema_directive_still_checks() {
    // The `#:schema` header is a TOML comment: ticheck reads the profile as before.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.toml");
    let text = std::fs::read_to_string("fixtures/eligible-enterprise.toml").unwrap();
    std::fs::write(
        &path,
        format!("#:schema ./ticheck-profile.schema.json\n{text}"),
    )
    .unwrap();
    ticheck()
        .args(["check", "--as-of", "2024-03-15"])
        .arg(&path)
        .assert()
        .code(0);
}
