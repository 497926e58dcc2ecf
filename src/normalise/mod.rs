//! Normalise: from what the applicant stated to the metrics the law speaks of.
//!
//! Fixes Y (the application year), applies the rulebook's year windows, derives ratios, counts
//! and sums from itemised evidence, and notes every disagreement between a summary figure and
//! the items as a warning. A fact that cannot be established is `Missing` and names the fields
//! that would establish it; a count some of whose items cannot be placed is `AtLeast`.

mod derive;
mod plausible;

/// SPEC §2 "Plausibility" for any profile, an evaluation profile too: a value far beyond any
/// real center is judged as written, with a warning naming the likely intended reading.
pub fn plausibility(profile: &Profile, warnings: &mut Vec<Text>) {
    plausible::check(profile, warnings);
}

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::i18n::Text;
use crate::profile::{uscc, Located, Location, Profile, Value};
use crate::rules::{MetricRef, MetricSlot, Rulebook};

/// What is known about one metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    /// Not stated; `Fact::missing` names the fields to fill.
    Missing,
    Number(Decimal),
    /// A count or sum of which some items could not be placed (no year, no level…): the true
    /// value is at least this. `Fact::missing` names the item fields to fill.
    AtLeast(Decimal),
    Bool(bool),
    Text(String),
    /// One value per year of a window, `None` where the year is not given.
    Series(Vec<(i32, Option<Decimal>)>),
    /// Stated, but the metric cannot be computed from it (a ratio over zero).
    Undefined(Text),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub value: FactValue,
    /// Where the fact was stated (the first field it rests on).
    pub at: Option<Location>,
    /// Fields whose absence makes the fact missing or partial.
    pub missing: Vec<String>,
    /// How the fact was established (counted from items, derived from amounts …).
    pub notes: Vec<Text>,
    /// What a count or sum of listed items took and left: only for facts built from items,
    /// so that a sheet's summary figures carry nothing more.
    pub items: Option<Box<ItemTally>>,
}

/// How a count or sum of listed items came about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemTally {
    /// Listed items left out, each with why.
    pub left_out: Vec<LeftOut>,
    /// The listed items counted (`project[2]`), so that a clause over several counts of the
    /// same items can tell an item left out by one but counted by another.
    pub counted: Vec<String>,
    /// The part of the value that rests on items the rulebook counts with doubt
    /// (`review_unless`), and what they lack.
    pub doubtful: Option<(Decimal, Text)>,
}

impl Fact {
    /// Listed items left out of this count or sum.
    pub fn left_out(&self) -> &[LeftOut] {
        self.items.as_ref().map_or(&[], |items| &items.left_out)
    }

    /// Listed items counted.
    pub fn counted(&self) -> &[String] {
        self.items.as_ref().map_or(&[], |items| &items.counted)
    }

    pub fn doubtful(&self) -> Option<&(Decimal, Text)> {
        self.items.as_ref()?.doubtful.as_ref()
    }
}

/// A listed item that a count or sum did not take, and why (SPEC §2: never dropped silently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// `project[3]`.
    pub item: String,
    pub name: Option<String>,
    pub reasons: Vec<LeftOutReason>,
}

/// Why an item was not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeftOutReason {
    /// Its year lies outside the window.
    Window {
        year: i32,
        from: i32,
        to: i32,
        window: Text,
    },
    /// A field's value is not among the accepted ones (`role = participate`).
    Filter {
        table: String,
        key: String,
        word: String,
        accepted: Vec<String>,
    },
}

impl LeftOut {
    /// Folds in why another count of the same clause left the item out: a project of level
    /// `other` is neither national nor provincial, said once.
    pub fn merge(&mut self, other: &LeftOut) {
        // What the counts agree on is the reason: a 2021 national project is out of both the
        // national and the provincial count for its year, and its level is beside the point.
        // Reasons on the same field merge their accepted words (a project of level `other` is
        // neither national nor provincial).
        let shared: Vec<LeftOutReason> = self
            .reasons
            .iter()
            .filter_map(|mine| {
                let theirs = other.reasons.iter().find(|r| r.same_test(mine))?;
                Some(mine.merged(theirs))
            })
            .collect();
        if !shared.is_empty() {
            self.reasons = shared;
        } else if other.reasons.len() < self.reasons.len() {
            // Nothing shared: the count the item came closest to says why (an unrelated
            // invention patent misses class I on relatedness, not class II on its kind).
            self.reasons = other.reasons.clone();
        }
    }

    /// Why, in words: `2021 年不在近 3 年内（2021–2023 年）；角色为“参与”，只计主持、承担`.
    pub fn reason(&self) -> Text {
        let texts: Vec<Text> = self.reasons.iter().map(LeftOutReason::text).collect();
        let join = |pick: fn(&Text) -> &str, sep: &str| {
            texts.iter().map(pick).collect::<Vec<_>>().join(sep)
        };
        Text::new(join(|t| &t.zh, "；"), join(|t| &t.en, "; "))
    }
}

impl LeftOutReason {
    /// Whether two reasons test the same thing: the window, or the same item field.
    fn same_test(&self, other: &LeftOutReason) -> bool {
        match (self, other) {
            (LeftOutReason::Window { .. }, LeftOutReason::Window { .. }) => true,
            (LeftOutReason::Filter { key, .. }, LeftOutReason::Filter { key: other, .. }) => {
                key == other
            }
            _ => false,
        }
    }

    /// One reason from two that test the same thing: a filter's accepted words together.
    fn merged(&self, other: &LeftOutReason) -> LeftOutReason {
        let mut merged = self.clone();
        if let (
            LeftOutReason::Filter { accepted, .. },
            LeftOutReason::Filter { accepted: more, .. },
        ) = (&mut merged, other)
        {
            for word in more {
                if !accepted.contains(word) {
                    accepted.push(word.clone());
                }
            }
        }
        merged
    }

    pub fn text(&self) -> Text {
        match self {
            LeftOutReason::Window {
                year,
                from,
                to,
                window,
            } => Text::new(
                format!("{year} 年不在 {from}–{to} 年之内，即不属于{}", window.zh),
                format!("{year} is outside {from}–{to}, {}", window.en),
            ),
            LeftOutReason::Filter {
                table,
                key,
                word,
                accepted,
            } => derive::filter_reason(table, key, word, accepted),
        }
    }
}

impl Fact {
    pub fn known(value: FactValue, at: Option<Location>) -> Fact {
        Fact {
            value,
            at,
            missing: Vec::new(),
            notes: Vec::new(),
            items: None,
        }
    }

    pub fn missing(fields: Vec<String>) -> Fact {
        Fact {
            missing: fields,
            ..Fact::known(FactValue::Missing, None)
        }
    }

    fn with_note(mut self, note: Text) -> Fact {
        self.notes.push(note);
        self
    }
}

/// Every metric of one applicant, ready for the engine: the rulebook's derived metrics,
/// computed once, and the profile's own fields, read where they are.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The date that fixes Y: `--as-of`, else the application date, else today.
    pub date: NaiveDate,
    pub year: i32,
    /// `enterprise`, `university`, `institute` or `tech_org`, when stated.
    pub kind: Option<&'static str>,
    pub warnings: Vec<Text>,
    /// The date lies outside the rulebook's validity: `warnings[0]` says so (SPEC §2).
    pub out_of_force: bool,
    /// Remarks the rulebook's `[[notice]]`s attach to stated values (Art. 11 for a
    /// comprehensive center): not warnings, nothing in the data is wrong.
    pub notes: Vec<Text>,
    profile: &'a Profile,
    derived: Vec<(&'a str, Fact)>,
}

impl Facts<'_> {
    /// The fact for a metric the rulebook names, found where loading resolved it.
    #[inline]
    pub fn fact(&self, metric: &MetricRef) -> Cow<'_, Fact> {
        match metric.slot() {
            MetricSlot::Derived(index) => match self.derived.get(index) {
                Some((_, fact)) => Cow::Borrowed(fact),
                None => self.get(metric),
            },
            MetricSlot::Field(index) => self.field_fact(metric, self.profile.fields.at(index)),
            MetricSlot::Unresolved => self.get(metric),
        }
    }

    /// The sheet's headers of a sheet's row, for naming the fields it lacks.
    pub fn headers(&self) -> Option<&std::sync::Arc<std::collections::BTreeMap<String, String>>> {
        self.profile.headers.as_ref()
    }

    /// The fact for a metric or field name; absent names are missing and name themselves.
    pub fn get(&self, name: &str) -> Cow<'_, Fact> {
        if let Some((_, fact)) = self.derived.iter().find(|(metric, _)| *metric == name) {
            return Cow::Borrowed(fact);
        }
        self.field_fact(name, self.profile.get(name))
    }

    #[inline]
    fn field_fact(&self, name: &str, field: Option<&Located<Value>>) -> Cow<'_, Fact> {
        match field {
            Some(field) => {
                let value = match &field.value {
                    Value::Number(number) => FactValue::Number(*number),
                    Value::Bool(flag) => FactValue::Bool(*flag),
                    other => FactValue::Text(other.word()),
                };
                Cow::Owned(Fact::known(value, field.at.clone()))
            }
            None => Cow::Owned(Fact::missing(vec![name.to_string()])),
        }
    }
}

/// How the evaluation date is chosen.
#[derive(Debug, Clone, Copy)]
pub struct DateChoice {
    /// `--as-of`: overrides the application date.
    pub as_of: Option<NaiveDate>,
    /// Used, with a warning, when neither `--as-of` nor an application date is given.
    pub today: NaiveDate,
}

pub fn normalise<'a>(profile: &'a Profile, rulebook: &'a Rulebook, dates: DateChoice) -> Facts<'a> {
    let mut warnings = Vec::new();
    let mut date_warning = Vec::new();
    let date = evaluation_date(profile, dates, &mut date_warning);
    let from_today = !date_warning.is_empty();
    // SPEC §2 "Expired measures": the validity warning comes first, so that every report can
    // show it in its header, before any verdict.
    let out_of_force = !rulebook.in_force_on(date);
    if out_of_force {
        warnings.push(validity_warning(rulebook, date));
    }
    warnings.append(&mut date_warning);
    if profile.is_blank() {
        warnings.push(Text::new(
            "档案尚未填写任何事实（仍是 ticheck init 生成的模板？）：各项条件均缺数据，请填写后再检查",
            "the profile states no facts yet (is it still the template from ticheck init?): every condition lacks data; fill it in and check again",
        ));
    }
    check_prefecture(profile, &mut warnings);
    plausible::check(profile, &mut warnings);
    // Notes, not warnings: nothing is wrong with the data, so `--strict` does not fail on them.
    // Reading's own remarks (a USCC tidied up) come first.
    let notes = profile
        .notes
        .iter()
        .cloned()
        .chain(
            rulebook
                .notices
                .iter()
                .filter(|notice| notice.applies(profile))
                .map(|notice| notice.text.clone()),
        )
        .collect();

    let context = derive::Context {
        profile,
        rulebook,
        year: date.year(),
        from_today,
    };
    let derived = rulebook
        .metrics
        .iter()
        .map(|(name, metric)| (name.as_str(), context.derive(metric, &mut warnings)))
        .collect();
    let kind = match profile.get("applicant.kind").map(|kind| &kind.value) {
        Some(Value::Choice(kind)) => Some(*kind),
        _ => None,
    };
    Facts {
        date,
        year: date.year(),
        kind,
        warnings,
        out_of_force,
        notes,
        profile,
        derived,
    }
}

/// The key, in a profile's labels ([`Profile::headers`]), of the name a front end gives the
/// check date (`--as-of` on the command line), for the warning that suggests it.
pub const AS_OF_LABEL: &str = "--as-of";

fn evaluation_date(profile: &Profile, dates: DateChoice, warnings: &mut Vec<Text>) -> NaiveDate {
    if let Some(as_of) = dates.as_of {
        return as_of;
    }
    if let Some(Value::Date(date)) = profile.get("applicant.application_date").map(|d| &d.value) {
        return *date;
    }
    let today = dates.today;
    // A sheet's row names the column as written: its cell was empty or a placeholder (/, —).
    let header = profile
        .headers
        .as_ref()
        .and_then(|headers| headers.get("applicant.application_date"));
    let (what_zh, what_en) = match (header, &profile.headers) {
        (Some(header), _) => (
            format!("“{header}”列为空或为占位符"),
            format!("the column '{header}' is empty or a placeholder"),
        ),
        // A profile named by labels (a web form's): the field by its label.
        (None, Some(_)) => {
            let name = profile
                .user_name("applicant.application_date")
                .unwrap_or_default();
            (format!("未填写“{name}”"), format!("'{name}' is not given"))
        }
        (None, None) => (
            "未填写 applicant.application_date（申报日期）".to_string(),
            "applicant.application_date is not given".to_string(),
        ),
    };
    // The check date is `--as-of` on the command line; a front end that offers it under
    // another name gives that name in the profile's labels.
    let as_of = profile
        .headers
        .as_ref()
        .and_then(|headers| headers.get(AS_OF_LABEL));
    let (hint_zh, hint_en) = match as_of {
        Some(label) => (
            format!("可在“{label}”中指定"),
            format!("give a date in '{label}' to choose another"),
        ),
        None => (
            "可用 --as-of 指定".to_string(),
            "use --as-of to choose another date".to_string(),
        ),
    };
    warnings.push(Text::new(
        format!(
            "{what_zh}，按今天 {today} 计算年度窗口（Y = {}）；{hint_zh}",
            today.year()
        ),
        format!(
            "{what_en}; the year windows use today, {today} (Y = {}); {hint_en}",
            today.year()
        ),
    ));
    today
}

fn validity_warning(rulebook: &Rulebook, date: NaiveDate) -> Text {
    let from = rulebook.meta.effective_from;
    let until = rulebook
        .meta
        .effective_until
        .map(|until| until.to_string())
        .unwrap_or_else(|| "—".to_string());
    let document = &rulebook.meta.document;
    Text::new(
        format!(
            "申报日期 {date} 不在《{}》（{document}）有效期 {from} 至 {until} 内；结果仅供参考，请以现行办法为准",
            rulebook.meta.title.zh
        ),
        format!(
            "the date {date} is outside the validity of the rulebook {} ({document}), {from} to {until}; \
             treat the result as indicative and check the measures in force",
            rulebook.meta.id
        ),
    )
}

/// SPEC §3: a declared prefecture that disagrees with the USCC's division code is a warning.
fn check_prefecture(profile: &Profile, warnings: &mut Vec<Text>) {
    let (Some(code), Some(declared)) = (
        profile.text("applicant.uscc"),
        profile.text("applicant.prefecture"),
    ) else {
        return;
    };
    let division = uscc::division_code(code);
    if division.starts_with("5300") {
        return;
    }
    if let Some(official) = uscc::prefecture_of(division) {
        if !uscc::same_prefecture(declared, official) {
            warnings.push(Text::new(
                format!("所在州市填写为“{declared}”，但统一社会信用代码的登记机关区划 {division} 属{official}"),
                format!(
                    "applicant.prefecture says '{declared}' but the unified social credit code was issued in \
                     division {division} ({official})"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests;
