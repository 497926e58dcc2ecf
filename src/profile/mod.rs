//! Load: an applicant's profile as typed values, each remembering where it was written.
//!
//! A [`Profile`] is what the loaders ([`toml`], later the spreadsheet readers) produce from the
//! user's file through the field registry in [`fields`]. It holds only what the user stated: a
//! field that is absent is absent, never zero.

pub mod evaluation;
pub mod evaluation_sheet;
pub mod fields;
pub mod form;
pub mod schema;
pub mod sheet;
pub mod suggest;
pub mod toml;
pub mod uscc;
pub mod value;

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

pub use fields::{Schema, Value};

use crate::i18n::{Lang, Text};

/// Where a value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line and column (1-based) in a TOML file.
    Line { line: usize, column: usize },
    /// A spreadsheet cell: 1-based row number as the spreadsheet shows it, and the column
    /// (`Q 研发场地面积`).
    Cell { row: usize, column: ColumnName },
}

impl Location {
    /// `12:5` for TOML (appended to the file name), `row 3, column 资产负债率` for cells.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Location::Line { line, column }, _) => format!("{line}:{column}"),
            (Location::Cell { row, column }, Lang::Zh) => format!("第 {row} 行，“{column}”列"),
            (Location::Cell { row, column }, Lang::En) => format!("row {row}, column {column}"),
        }
    }
}

/// A spreadsheet column as messages name it (`Q 研发场地面积`). Interned: a sheet has a few
/// dozen columns and may have a million rows, and every cell's location names its column, so
/// the name is stored once for the whole run and a location is copied, never counted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColumnName(&'static str);

impl ColumnName {
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl From<&str> for ColumnName {
    fn from(name: &str) -> ColumnName {
        use std::collections::HashSet;
        use std::sync::{Mutex, OnceLock};
        static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
        let mut names = NAMES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(known) = names.get(name) {
            return ColumnName(known);
        }
        let stored: &'static str = Box::leak(name.to_string().into_boxed_str());
        names.insert(stored);
        ColumnName(stored)
    }
}

impl std::ops::Deref for ColumnName {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for ColumnName {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl fmt::Display for ColumnName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.0)
    }
}

impl fmt::Debug for ColumnName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, formatter)
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub at: Option<Location>,
}

/// One entry of an itemised table such as `[[project]]`.
#[derive(Debug, Clone, Default)]
pub struct Item {
    /// 1-based position among the items of its table, as `project[2]` in messages.
    pub number: usize,
    pub at: Option<Location>,
    pub values: BTreeMap<&'static str, Located<Value>>,
}

impl Item {
    pub fn get(&self, key: &str) -> Option<&Located<Value>> {
        self.values.get(key)
    }

    pub fn name(&self) -> Option<&str> {
        self.get("name").and_then(|name| name.value.as_text())
    }
}

/// A profile's scalar fields: one slot per field of the registry, so that a sheet of a million
/// rows fills an array per row rather than growing a map.
#[derive(Debug, Clone)]
pub struct FieldValues {
    schema: &'static Schema,
    slots: Vec<Option<Located<Value>>>,
}

impl PartialEq for FieldValues {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.schema, other.schema) && self.slots == other.slots
    }
}

impl Eq for FieldValues {}

impl Default for FieldValues {
    fn default() -> Self {
        FieldValues::new(&fields::APPLICATION)
    }
}

impl FieldValues {
    pub fn new(schema: &'static Schema) -> Self {
        // Filled with `None` rather than cloned from one: a row's empty slots cost a tag each.
        let mut slots = Vec::with_capacity(schema.fields.len());
        slots.resize_with(schema.fields.len(), || None);
        FieldValues { schema, slots }
    }

    pub fn schema(&self) -> &'static Schema {
        self.schema
    }

    /// Sets a field of the registry; returns the value it replaces.
    pub fn insert(&mut self, path: &str, value: Located<Value>) -> Option<Located<Value>> {
        let index = self.schema.index_of(path)?;
        self.slots[index].replace(value)
    }

    pub fn get(&self, path: &str) -> Option<&Located<Value>> {
        self.slots[self.schema.index_of(path)?].as_ref()
    }

    /// The field at a position of the registry ([`fields::index_of`]).
    pub fn at(&self, index: usize) -> Option<&Located<Value>> {
        self.slots.get(index)?.as_ref()
    }

    /// Sets the field at a position of the registry; returns the value it replaces.
    pub fn insert_at(&mut self, index: usize, value: Located<Value>) -> Option<Located<Value>> {
        self.slots.get_mut(index)?.replace(value)
    }

    /// How many fields are stated.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|slot| slot.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The stated fields, in registry order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Located<Value>)> {
        self.schema
            .fields
            .iter()
            .zip(&self.slots)
            .filter_map(|(field, slot)| slot.as_ref().map(|value| (field.path, value)))
    }
}

/// A field's name as the user wrote it: the sheet's header for a sheet's row (a field the sheet
/// has no column for by its Chinese label, the header to add), the TOML key for a profile.
/// `None` for what a sheet cannot hold (`[[project]]` items).
pub fn user_name(
    headers: Option<&BTreeMap<String, String>>,
    schema: &Schema,
    path: &str,
) -> Option<String> {
    let Some(headers) = headers else {
        return Some(path.to_string());
    };
    if let Some(header) = headers.get(path) {
        return Some(header.clone());
    }
    if path.starts_with("[[") || path.contains('[') {
        return None;
    }
    if let Some(field) = schema.field(path) {
        return Some(field.label_zh.to_string());
    }
    let (table, year) = path.split_once('.')?;
    let series = schema.series(table)?;
    Some(format!("{year}{}", series.label_zh))
}

/// What an applicant stated, typed and located.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// The file (and row) it came from: `fixtures/a.toml`, `batch.csv:3`.
    pub source: String,
    /// Scalar fields by dotted path.
    pub fields: FieldValues,
    /// Year-keyed fields (`rnd_spend`), by table then year.
    pub series: BTreeMap<&'static str, BTreeMap<i32, Located<Decimal>>>,
    /// Itemised evidence by table (`project`, `standard`, `ip`, `transfer`).
    pub items: BTreeMap<&'static str, Vec<Item>>,
    /// For a sheet's row, the sheet's own header of each field it has (`rnd_spend.2023` →
    /// `2023年研发经费（万元）`): a field to fill is named as the user wrote it.
    pub headers: Option<std::sync::Arc<BTreeMap<String, String>>>,
    /// Remarks from reading, not warnings: a value accepted after a harmless tidy-up (a USCC
    /// written with spaces or lower-case letters). Reports show them with the rulebook's
    /// notices.
    pub notes: Vec<Text>,
}

impl Profile {
    /// An empty profile of a schema, read from `source`.
    pub fn new(schema: &'static Schema, source: &str) -> Profile {
        Profile {
            source: source.to_string(),
            fields: FieldValues::new(schema),
            ..Profile::default()
        }
    }

    pub fn schema(&self) -> &'static Schema {
        self.fields.schema()
    }

    pub fn get(&self, path: &str) -> Option<&Located<Value>> {
        self.fields.get(path)
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(|field| field.value.as_text())
    }

    pub fn name(&self) -> Option<&str> {
        self.text(self.schema().name_field)
    }

    /// A field's name as the user wrote it (see [`user_name`]).
    pub fn user_name(&self, path: &str) -> Option<String> {
        user_name(self.headers.as_deref(), self.schema(), path)
    }

    pub fn items(&self, table: &str) -> &[Item] {
        self.items.get(table).map(Vec::as_slice).unwrap_or(&[])
    }

    /// No fact stated: nothing but, at most, the kind of applicant (which `ticheck init
    /// --kind` writes). Such a profile is still the template (SPEC §4 "Templates never pass").
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|(path, _)| path == "applicant.kind")
            && self.series.values().all(BTreeMap::is_empty)
            && self.items.values().all(Vec::is_empty)
    }

    /// Contradictions between fields that make the profile itself wrong, not merely failing:
    /// 第十条第（二）项 counts the qualified staff among the fixed staff, so they cannot be more.
    pub fn contradictions(&self) -> Vec<Problem> {
        let number = |path| self.get(path).and_then(|f| f.value.as_number());
        let mut problems = Vec::new();
        if let (Some(fixed), Some(qualified)) =
            (number("team.fixed_staff"), number("team.qualified_staff"))
        {
            if qualified > fixed {
                problems.push(Problem {
                    at: self.get("team.qualified_staff").and_then(|f| f.at.clone()),
                    field: Some("team.qualified_staff".to_string()),
                    message: Text::new(
                        format!("中高级职称或硕士以上人员（{qualified}）多于固定人员（{fixed}）；前者是后者的一部分"),
                        format!(
                            "qualified staff ({qualified}) exceed fixed staff ({fixed}); \
                             the qualified are counted among the fixed staff"
                        ),
                    ),
                });
            }
        }
        problems
    }
}

/// One thing wrong with a profile: where, which field, what, and what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Option<Location>,
    pub field: Option<String>,
    pub message: Text,
}

/// Problems told one by one in a profile's error, at most. A 100,000-column sheet had a line
/// for each unknown header (16 MB on standard error, and the same again in every output), and a
/// row as many for its cells under no header (issue 15): past this, one line counts the rest
/// and says where the first of them is.
pub const PROBLEMS_TOLD: usize = 20;

/// The problems of one profile: told one by one up to [`PROBLEMS_TOLD`], counted past it.
#[derive(Debug, Default)]
pub struct Problems {
    told: Vec<Problem>,
    untold: usize,
    first_untold: Option<Location>,
}

impl Problems {
    /// Adds a problem at `at`, made only when it is to be told (a suggestion costs).
    pub fn push_with(&mut self, at: Option<Location>, make: impl FnOnce() -> Problem) {
        if self.told.len() < PROBLEMS_TOLD {
            self.told.push(make());
        } else {
            self.untold += 1;
            if self.first_untold.is_none() {
                self.first_untold = at;
            }
        }
    }

    pub fn push(&mut self, problem: Problem) {
        let at = problem.at.clone();
        self.push_with(at, || problem);
    }

    pub fn extend(&mut self, problems: impl IntoIterator<Item = Problem>) {
        for problem in problems {
            self.push(problem);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.told.is_empty()
    }

    /// The problems told, and one that counts the others when there are any.
    pub fn into_vec(mut self) -> Vec<Problem> {
        if self.untold > 0 {
            let count = self.untold;
            self.told.push(Problem {
                at: self.first_untold,
                field: None,
                message: Text::new(
                    format!("另有 {count} 处问题未逐一列出（此处为其中第一处）；请先改正以上各处"),
                    format!(
                        "{count} more problems are not listed one by one (this is the first of them); correct those above first"
                    ),
                ),
            });
        }
        self.told
    }
}

/// A profile that could not be read, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidProfile {
    pub source: String,
    /// The applicant's name when it could be read, so a bureau sees whose row failed.
    pub applicant: Option<String>,
    pub problems: Vec<Problem>,
    /// The text of a TOML profile, so that diagnostics can show the offending line.
    pub text: Option<std::sync::Arc<str>>,
}

impl InvalidProfile {
    pub fn single(source: &str, problem: Problem) -> InvalidProfile {
        InvalidProfile {
            source: source.to_string(),
            applicant: None,
            problems: vec![problem],
            text: None,
        }
    }

    /// One line per problem: `a.toml:12:5: facilities.rnd_floor_area: '-5' is negative …`.
    pub fn render(&self, lang: Lang) -> String {
        self.problems
            .iter()
            .map(|problem| self.render_problem(problem, lang))
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn render_problem(&self, problem: &Problem, lang: Lang) -> String {
        let mut line = self.source.clone();
        match &problem.at {
            Some(at @ Location::Line { .. }) => {
                line.push(':');
                line.push_str(&at.describe(lang));
            }
            // A row's source already ends in its row number (`batch.csv:7`): name the column.
            Some(Location::Cell { row, column }) if self.source.ends_with(&format!(":{row}")) => {
                line.push_str(&match lang {
                    Lang::Zh => format!("，“{column}”列"),
                    Lang::En => format!(", column {column}"),
                });
            }
            Some(at @ Location::Cell { .. }) => {
                line.push_str(lang.pick("，", ", "));
                line.push_str(&at.describe(lang));
            }
            None => {}
        }
        line.push_str(": ");
        if let Some(field) = &problem.field {
            line.push_str(&format!("{field}: "));
        }
        line.push_str(problem.message.get(lang));
        line
    }
}

impl fmt::Display for InvalidProfile {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for InvalidProfile {}
