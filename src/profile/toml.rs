//! The TOML loader: one applicant per file (SPEC §4).
//!
//! The file is parsed into a span-carrying tree, then walked against the field registry so that
//! every value keeps its line and column and every unknown key is reported with a suggestion.

use std::collections::BTreeMap;

use ::toml::de::{DeTable, DeValue};
use ::toml::Spanned;
use chrono::NaiveDate;

use super::fields::{self, FieldDef, Raw, Schema, Value};
use super::suggest::closest;
use super::value::ValueError;
use super::{InvalidProfile, Item, Located, Location, Problem, Problems, Profile};
use crate::i18n::{Lang, Text};

/// Reads one applicant's profile from TOML text. `source` names the file in messages.
pub fn load(source: &str, text: &str) -> Result<Profile, InvalidProfile> {
    load_with(&fields::APPLICATION, source, text)
}

/// Reads a profile of any schema (an applicant's, a center's evaluation) from TOML text.
pub fn load_with(
    schema: &'static Schema,
    source: &str,
    text: &str,
) -> Result<Profile, InvalidProfile> {
    let lines = LineIndex::new(text);
    let root = DeTable::parse(text).map_err(|error| {
        let with_text = |mut invalid: InvalidProfile| {
            invalid.text = Some(std::sync::Arc::from(text));
            invalid
        };
        let at = error.span().map(|span| lines.locate(span.start));
        let message = error.message().trim().to_string();
        let mut message = Text::new(
            format!(
                "TOML 语法错误：{}",
                crate::i18n::foreign::toml_syntax_zh(&message)
            ),
            format!("TOML syntax error: {message}"),
        );
        // A byte-order mark inside the text (two files joined, a line pasted from another) is
        // invisible, and the parser's word for it ("expected `=`") points at nothing the user
        // can see: it is named, where it is (issue 15).
        if let Some(offset) = text.find('\u{FEFF}') {
            if let Location::Line { line, column } = lines.locate(offset) {
                message.zh.push_str(&format!(
                    "（第 {line} 行第 {column} 列有一个不可见的字节顺序标记 U+FEFF，是否拼接了两个文件？请删去它）"
                ));
                message.en.push_str(&format!(
                    " (line {line}, column {column} holds an invisible byte-order mark, U+FEFF: two files joined? delete it)"
                ));
            }
        }
        with_text(InvalidProfile::single(
            source,
            Problem {
                at,
                field: None,
                message,
            },
        ))
    })?;
    let mut loader = Loader {
        schema,
        lines,
        profile: Profile::new(schema, source),
        problems: Problems::default(),
    };
    if root.get_ref().is_empty() {
        return Err(InvalidProfile {
            text: Some(std::sync::Arc::from(text)),
            ..InvalidProfile::single(
                source,
                Problem {
                    at: None,
                    field: None,
                    message: Text::new(
                        format!(
                            "档案为空：没有任何字段（可用 {} 生成模板）",
                            schema.template_command
                        ),
                        format!(
                            "the profile is empty: it states nothing ({} writes a template)",
                            schema.template_command
                        ),
                    ),
                },
            )
        });
    }
    loader.root(root.get_ref());
    let contradictions = loader.profile.contradictions();
    loader.problems.extend(contradictions);
    if loader.problems.is_empty() {
        Ok(loader.profile)
    } else {
        Err(InvalidProfile {
            source: source.to_string(),
            applicant: loader.profile.name().map(str::to_string),
            problems: loader.problems.into_vec(),
            text: Some(std::sync::Arc::from(text)),
        })
    }
}

/// A key as messages name it: whole when it is of a key's length, else its first characters
/// with … (a 10 MB key was quoted whole in the message and under the caret, 30 MB on standard
/// error: issue 15).
fn shown_key(key: &str) -> String {
    if key.len() > 100 {
        super::value::excerpt(key)
    } else {
        key.to_string()
    }
}

/// Byte offset → 1-based line and column (in characters).
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    fn locate(&self, offset: usize) -> Location {
        let line = self.starts.partition_point(|start| *start <= offset).max(1);
        let start = self.starts[line - 1];
        let end = offset.min(self.text.len());
        let column = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        Location::Line { line, column }
    }
}

struct Loader<'a> {
    schema: &'static Schema,
    lines: LineIndex<'a>,
    profile: Profile,
    problems: Problems,
}

fn describe_type(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) | DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl Loader<'_> {
    fn at<T>(&self, spanned: &Spanned<T>) -> Option<Location> {
        Some(self.lines.locate(spanned.span().start))
    }

    fn problem(&mut self, at: Option<Location>, field: impl Into<String>, message: Text) {
        self.problems.push(Problem {
            at,
            field: Some(shown_key(&field.into())),
            message,
        });
    }

    fn value_problem(
        &mut self,
        at: Option<Location>,
        field: &str,
        error: ValueError,
        hint: Option<Text>,
    ) {
        let mut message = error.text();
        if let Some(hint) = hint {
            message.zh.push_str(&format!("；应为{}", hint.zh));
            message.en.push_str(&format!("; expected {}", hint.en));
        }
        self.problem(at, field, message);
    }

    fn unknown_key(
        &mut self,
        at: Option<Location>,
        path: &str,
        typed: &str,
        candidates: Vec<&str>,
    ) {
        // Made only when told: past the problems told, a key is counted, not compared with
        // every known one (100,000 unknown keys took minutes: issue 15).
        self.problems.push_with(at.clone(), || {
            let suggestion = closest(typed, candidates.iter().copied());
            let path = shown_key(path);
            let (mut zh, mut en) = (
                format!("未知字段“{path}”，此字段不会被读取"),
                format!("unknown key '{path}'; it would be ignored"),
            );
            match suggestion {
                Some(suggestion) => {
                    zh.push_str(&format!("（是否要写“{suggestion}”？）"));
                    en.push_str(&format!(" (did you mean '{suggestion}'?)"));
                }
                None => {
                    let list = candidates.join(", ");
                    zh.push_str(&format!("；可用：{list}"));
                    en.push_str(&format!("; known keys here: {list}"));
                }
            }
            Problem {
                at,
                field: Some(path),
                message: Text::new(zh, en),
            }
        });
    }

    fn root(&mut self, root: &DeTable<'_>) {
        for (key, value) in root {
            let name = key.get_ref().as_ref();
            let at = self.at(key);
            if let Some(series) = self.schema.series(name) {
                self.series(series, value);
            } else if let Some(item) = self.schema.item(name) {
                self.items(item, value);
            } else if self.schema.sections().contains(&name) {
                match value.get_ref() {
                    DeValue::Table(table) => self.section(name, table),
                    other => self.problem(
                        at,
                        name,
                        Text::new(
                            format!("“{name}”应为表 [{name}]，实为{}", describe_type(other)),
                            format!(
                                "'{name}' must be a table [{name}], found {}",
                                describe_type(other)
                            ),
                        ),
                    ),
                }
            } else if let Some(field) = self
                .schema
                .fields
                .iter()
                .find(|f| f.path.ends_with(&format!(".{name}")))
            {
                self.problem(
                    at,
                    name,
                    Text::new(
                        format!(
                            "“{name}”应写在表 [{}] 中（{}）",
                            section_of(field),
                            field.path
                        ),
                        format!(
                            "'{name}' belongs in the table [{}] ({})",
                            section_of(field),
                            field.path
                        ),
                    ),
                );
            } else {
                let plural = name.trim_end_matches('s');
                let typed = if self.schema.item(plural).is_some() {
                    plural
                } else {
                    name
                };
                self.unknown_key(at, name, typed, self.schema.sections());
            }
        }
    }

    fn section(&mut self, section: &str, table: &DeTable<'_>) {
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            let path = format!("{section}.{name}");
            let at = self.at(value);
            match self.schema.field(&path) {
                Some(field) => {
                    if let Some(parsed) = self.scalar(field, &path, value) {
                        self.profile
                            .fields
                            .insert(field.path, Located { value: parsed, at });
                    }
                }
                None => {
                    let keys: Vec<&str> = self
                        .schema
                        .fields
                        .iter()
                        .filter(|f| section_of(f) == section)
                        .map(|f| &f.path[section.len() + 1..])
                        .collect();
                    self.unknown_key(self.at(key), &path, name, keys);
                }
            }
        }
    }

    /// Applies a field's type to a TOML value, recording a problem when it does not fit.
    fn scalar(
        &mut self,
        field: &FieldDef,
        path: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Value> {
        let converted;
        let raw = match value.get_ref() {
            DeValue::String(text) => Raw::Text(text),
            DeValue::Integer(integer) if integer.radix() == 10 => Raw::Number(integer.as_str()),
            DeValue::Integer(integer) => {
                converted = i128::from_str_radix(integer.as_str(), integer.radix())
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                Raw::Number(&converted)
            }
            DeValue::Float(float) => Raw::Number(float.as_str()),
            DeValue::Boolean(flag) => Raw::Bool(*flag),
            DeValue::Datetime(datetime) => match (datetime.date, datetime.time) {
                (Some(date), None) => match NaiveDate::from_ymd_opt(
                    date.year.into(),
                    date.month.into(),
                    date.day.into(),
                ) {
                    Some(date) => Raw::Date(date),
                    None => Raw::Other("an invalid date"),
                },
                _ => Raw::Other("a date-time"),
            },
            other => Raw::Other(describe_type(other)),
        };
        match field.ty.parse(raw) {
            Ok(parsed) => {
                self.profile.notes.extend(field.ty.note(raw, &parsed));
                Some(parsed)
            }
            Err(error) => {
                let hint = hint_for(field);
                self.value_problem(self.at(value), path, error, hint);
                None
            }
        }
    }

    fn series(&mut self, series: &'static fields::SeriesDef, value: &Spanned<DeValue<'_>>) {
        let table_name = series.table;
        let DeValue::Table(table) = value.get_ref() else {
            let found = describe_type(value.get_ref());
            self.problem(
                self.at(value),
                table_name,
                Text::new(
                    format!("“{table_name}”应为按年份列出的表，如 [{table_name}] 2023 = 1320，实为{found}"),
                    format!("'{table_name}' must be a table by year, e.g. [{table_name}] 2023 = 1320; found {found}"),
                ),
            );
            return;
        };
        let field = FieldDef {
            path: table_name,
            label_zh: series.label_zh,
            label_en: series.label_en,
            ty: fields::FieldType::Number(series.quantity),
        };
        let mut years = BTreeMap::new();
        let mut seen: Vec<(String, i32)> = Vec::new();
        for (key, value) in table {
            let year_text = key.get_ref().as_ref();
            let path = format!("{table_name}.{year_text}");
            let year = match super::value::parse_year(year_text) {
                Ok(year) => year.try_into().unwrap_or(0i32),
                Err(error) => {
                    self.value_problem(self.at(key), &path, error, None);
                    continue;
                }
            };
            // `2022` and `"2022年"` are the same year: two values for it must not let one win.
            if let Some((first, _)) = seen.iter().find(|(_, seen_year)| *seen_year == year) {
                self.problem(
                    self.at(key),
                    path.clone(),
                    Text::new(
                        format!("{year} 年已由“{first}”给出，同一年份只能填写一次"),
                        format!(
                            "the year {year} is already given as '{first}'; give each year once"
                        ),
                    ),
                );
                continue;
            }
            seen.push((year_text.to_string(), year));
            if let Some(Value::Number(amount)) = self.scalar(&field, &path, value) {
                years.insert(
                    year,
                    Located {
                        value: amount,
                        at: self.at(value),
                    },
                );
            }
        }
        self.profile.series.insert(table_name, years);
    }

    fn items(&mut self, item_def: &'static fields::ItemDef, value: &Spanned<DeValue<'_>>) {
        let table_name = item_def.table;
        let entries: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
            DeValue::Array(array) => array.iter().collect(),
            DeValue::Table(_) => vec![value],
            other => {
                let found = describe_type(other);
                self.problem(
                    self.at(value),
                    table_name,
                    Text::new(
                        format!("“{table_name}”应写成 [[{table_name}]] 表数组，实为{found}"),
                        format!("'{table_name}' must be an array of tables [[{table_name}]], found {found}"),
                    ),
                );
                return;
            }
        };
        let mut items = Vec::new();
        for (index, entry) in entries.into_iter().enumerate() {
            let number = index + 1;
            let DeValue::Table(table) = entry.get_ref() else {
                self.problem(
                    self.at(entry),
                    format!("{table_name}[{number}]"),
                    Text::new(
                        format!("每一项应为表，实为{}", describe_type(entry.get_ref())),
                        format!(
                            "each entry must be a table, found {}",
                            describe_type(entry.get_ref())
                        ),
                    ),
                );
                continue;
            };
            let mut item = Item {
                number,
                at: self.at(entry),
                values: BTreeMap::new(),
            };
            for (key, value) in table {
                let name = key.get_ref().as_ref();
                let path = format!("{table_name}[{number}].{name}");
                match item_def.field(name) {
                    Some(field) => {
                        if let Some(parsed) = self.scalar(field, &path, value) {
                            item.values.insert(
                                field.path,
                                Located {
                                    value: parsed,
                                    at: self.at(value),
                                },
                            );
                        }
                    }
                    None => {
                        let keys = item_def.fields.iter().map(|f| f.path).collect();
                        self.unknown_key(self.at(key), &path, name, keys);
                    }
                }
            }
            items.push(item);
        }
        self.profile.items.insert(table_name, items);
    }
}

fn section_of(field: &FieldDef) -> &'static str {
    field.path.split('.').next().unwrap_or(field.path)
}

/// What would have been accepted, for messages about quantities.
pub fn hint_for(field: &FieldDef) -> Option<Text> {
    field
        .quantity()
        .map(|quantity| Text::new(quantity.hint(Lang::Zh), quantity.hint(Lang::En)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn problems(text: &str) -> Vec<String> {
        let error = load("t.toml", text).unwrap_err();
        error
            .problems
            .iter()
            .map(|p| error.render_problem(p, Lang::En))
            .collect()
    }

    #[test]
    fn values_keep_their_line() {
        let profile = load("t.toml", "[facilities]\n\nrnd_floor_area = \"1800m²\"\n").unwrap();
        let area = profile.get("facilities.rnd_floor_area").unwrap();
        assert_eq!(area.value, Value::Number(dec!(1800)));
        assert_eq!(
            area.at,
            Some(Location::Line {
                line: 3,
                column: 18
            })
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_a_suggestion() {
        let messages = problems("[facilities]\nrnd_floor_aera = 1800\n");
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0].starts_with("t.toml:2:1: facilities.rnd_floor_aera:"),
            "{messages:?}"
        );
        assert!(
            messages[0].contains("did you mean 'rnd_floor_area'"),
            "{messages:?}"
        );
    }

    #[test]
    fn unknown_section_suggests_the_right_one() {
        let messages = problems("[[projects]]\nname = \"x\"\n");
        assert!(
            messages[0].contains("did you mean 'project'"),
            "{messages:?}"
        );
    }

    #[test]
    fn every_bad_value_is_reported_with_its_field() {
        let messages = problems("[finance]\ndebt_ratio = 65\n[team]\nfixed_staff = -3\n");
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("finance.debt_ratio") && messages[0].contains("\"65%\""));
        assert!(
            messages[1].contains("t.toml:4:15: team.fixed_staff")
                && messages[1].contains("negative")
        );
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let messages = problems("[applicant]\nname = \"x\n");
        assert!(messages[0].starts_with("t.toml:2:"), "{messages:?}");
        assert!(messages[0].contains("TOML syntax error"));
    }

    #[test]
    fn series_and_items_are_read() {
        let text = "[rnd_spend]\n2022 = 1250\n2023 = \"1320万元\"\n\n[[project]]\nname = \"a\"\nlevel = \"国家级\"\nyear = 2022\n";
        let profile = load("t.toml", text).unwrap();
        let spend = &profile.series["rnd_spend"];
        assert_eq!(spend[&2023].value, dec!(1320));
        let project = &profile.items("project")[0];
        assert_eq!(
            project.get("level").unwrap().value,
            Value::Choice("national")
        );
        assert_eq!(project.number, 1);
    }

    #[test]
    fn misplaced_field_is_pointed_to_its_table() {
        let messages = problems("rnd_floor_area = 1800\n");
        assert!(messages[0].contains("[facilities]"), "{messages:?}");
    }

    #[test]
    fn one_year_given_twice_is_an_error() {
        let messages = problems("[rnd_spend]\n2022 = 1250\n\"2022年\" = 500\n");
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("rnd_spend.2022年")
                && messages[0].contains("already given as '2022'")
        );
    }

    #[test]
    fn an_empty_profile_is_an_error() {
        let messages = problems("# nothing yet\n");
        assert!(messages[0].contains("the profile is empty"), "{messages:?}");
    }

    #[test]
    fn qualified_cannot_exceed_fixed() {
        let messages = problems("[team]\nfixed_staff = 100\nqualified_staff = 101\n");
        assert!(messages[0].contains("team.qualified_staff"), "{messages:?}");
    }
}
