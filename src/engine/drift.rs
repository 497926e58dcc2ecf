//! Window drift: what changes if the application moves to next year's round (SPEC §5, issue
//! 10). Each windowed metric of the rulebook (a count or sum of items inside a year window, a
//! year series) is computed for Y and for Y+1; the items and years that leave the window, and
//! those that would enter it, are named with their year, with the metric's value then and the
//! verdict of every clause that reads it. Nothing here knows an article: a windowed metric
//! added to a rulebook drifts for free.

use chrono::{Datelike, NaiveDate};

use super::{Assessment, Verdict};
use crate::i18n::{Lang, Text};
use crate::normalise::{self, DateChoice, FactValue};
use crate::profile::value::Quantity;
use crate::profile::Profile;
use crate::rules::{Clause, Condition, MetricDef, Rule, Rulebook};

/// What moving the application a year later changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The later application year.
    pub year: i32,
    pub changes: Vec<Change>,
}

/// One windowed metric that changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub metric: String,
    pub label: Text,
    pub window: Text,
    /// What leaves the window (`2021 年：某项目`), and what enters it.
    pub leaving: Vec<Moved>,
    pub entering: Vec<Moved>,
    /// The metric's value now and then, in words.
    pub now: Option<String>,
    pub then: Option<String>,
    /// Each clause reading the metric: id, requirement, verdict now and then.
    pub clauses: Vec<(String, Text, Verdict, Verdict)>,
}

/// An item or a year's amount moving across the window's edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub year: i32,
    /// `project[3]「某项目」`, or `rnd_spend.2022 = 1250 万元` (or "not given").
    pub what: Text,
    /// Whether `what` already names the year (a year's amount).
    pub dated: bool,
}

/// The drift of a profile whose assessment is `now`: the same profile one year later.
pub fn of(
    profile: &Profile,
    rulebook: &Rulebook,
    dates: DateChoice,
    now: &Assessment<'_>,
) -> Option<Drift> {
    let facts_now = normalise::normalise(profile, rulebook, dates);
    let later = same_day_next_year(facts_now.date);
    let later_dates = DateChoice {
        as_of: Some(later),
        today: dates.today,
    };
    let facts_then = normalise::normalise(profile, rulebook, later_dates);
    let then = crate::assess(profile, rulebook, later_dates);
    let mut changes = Vec::new();
    for (name, metric) in &rulebook.metrics {
        let Some(window) = window_of(rulebook, metric) else {
            continue;
        };
        let fact_now = facts_now.get(name);
        let fact_then = facts_then.get(name);
        let (leaving, entering) = if let Some(series) = &metric.series {
            let now_years = window.years(facts_now.year);
            let then_years = window.years(facts_then.year);
            let moved = |years: Vec<i32>| -> Vec<Moved> {
                years
                    .into_iter()
                    .map(|year| year_amount(profile, &series.table, year, metric))
                    .collect()
            };
            (
                moved(
                    now_years
                        .clone()
                        .filter(|y| !then_years.contains(y))
                        .collect(),
                ),
                moved(then_years.filter(|y| !now_years.contains(y)).collect()),
            )
        } else {
            let (counted_now, counted_then) = (fact_now.counted(), fact_then.counted());
            let moved = |from: &[String], not_in: &[String]| -> Vec<Moved> {
                from.iter()
                    .filter(|item| !not_in.contains(item))
                    .filter_map(|item| item_moved(profile, item))
                    .collect()
            };
            (
                moved(counted_now, counted_then),
                moved(counted_then, counted_now),
            )
        };
        if leaving.is_empty() && entering.is_empty() {
            continue;
        }
        let quantity: Quantity = metric.quantity.into();
        let clauses = clauses_reading(rulebook, name)
            .map(|clause| {
                let verdict = |assessment: &Assessment<'_>| {
                    assessment
                        .findings
                        .iter()
                        .find(|f| f.clause.id == clause.id)
                        .map_or(Verdict::NotApplicable, |f| f.verdict)
                };
                let required = condition_of(clause, name)
                    .map(|condition| {
                        super::condition_shown(rulebook, condition, facts_now.kind, false).human
                    })
                    .unwrap_or_default();
                (clause.id.clone(), required, verdict(now), verdict(&then))
            })
            .collect();
        changes.push(Change {
            metric: name.clone(),
            label: metric.label.clone(),
            window: window.text.clone(),
            leaving,
            entering,
            now: shown(&fact_now.value, quantity),
            then: shown(&fact_then.value, quantity),
            clauses,
        });
    }
    Some(Drift {
        year: later.year(),
        changes,
    })
}

/// The same calendar day a year later (28 February for 29 February).
fn same_day_next_year(date: NaiveDate) -> NaiveDate {
    date.with_year(date.year() + 1)
        .or_else(|| NaiveDate::from_ymd_opt(date.year() + 1, 2, 28))
        .unwrap_or(date)
}

fn window_of<'r>(rulebook: &'r Rulebook, metric: &MetricDef) -> Option<&'r crate::rules::Window> {
    let name = metric
        .count
        .as_ref()
        .or(metric.sum.as_ref().map(|sum| &sum.selection))
        .and_then(|selection| selection.window.as_ref())
        .or(metric.series.as_ref().map(|series| &series.window))?;
    rulebook.windows.get(name)
}

fn clauses_reading<'r>(
    rulebook: &'r Rulebook,
    metric: &'r str,
) -> impl Iterator<Item = &'r Clause> {
    rulebook
        .clauses
        .iter()
        .filter(move |clause| condition_of(clause, metric).is_some())
}

fn condition_of<'c>(clause: &'c Clause, metric: &str) -> Option<&'c Condition> {
    match &clause.rule {
        Rule::Threshold(condition) | Rule::EveryYear(condition) => {
            (condition.metric.as_str() == metric).then_some(condition)
        }
        Rule::AnyOf { conditions } | Rule::AllOf { conditions } => conditions
            .iter()
            .find(|condition| condition.metric.as_str() == metric),
        _ => None,
    }
}

/// `project[3]` as it moves: its year and name.
fn item_moved(profile: &Profile, reference: &str) -> Option<Moved> {
    let (table, rest) = reference.split_once('[')?;
    let number: usize = rest.trim_end_matches(']').parse().ok()?;
    let item = profile
        .items(table)
        .iter()
        .find(|item| item.number == number)?;
    let year = item.get("year")?.value.as_number()?;
    let year = i32::try_from(year.trunc().mantissa()).ok()?;
    let name = item
        .name()
        .map(|name| (format!("「{name}」"), format!(" '{name}'")))
        .unwrap_or_default();
    Some(Moved {
        year,
        what: Text::new(
            format!("{reference}{}", name.0),
            format!("{reference}{}", name.1),
        ),
        dated: false,
    })
}

fn year_amount(profile: &Profile, table: &str, year: i32, metric: &MetricDef) -> Moved {
    let quantity: Quantity = metric.quantity.into();
    let stated = profile
        .series
        .get(table)
        .and_then(|years| years.get(&year))
        .map(|entry| quantity.display_with_unit(entry.value));
    let path = format!("{table}.{year}");
    Moved {
        year,
        what: match stated {
            Some(amount) => Text::new(format!("{path} = {amount}"), format!("{path} = {amount}")),
            None => Text::new(format!("{path}（未填写）"), format!("{path} (not given)")),
        },
        dated: true,
    }
}

fn shown(value: &FactValue, quantity: Quantity) -> Option<String> {
    match value {
        FactValue::Number(number) => Some(quantity.display_with_unit(*number)),
        FactValue::AtLeast(number) => Some(format!("≥ {}", quantity.display_with_unit(*number))),
        _ => None,
    }
}

impl Drift {
    /// One sentence per change: `若于 2025 年申报，2021 年的 project[1]「…」将移出近 3 年内…`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        self.changes
            .iter()
            .map(|change| change.line(self.year, lang))
            .collect()
    }
}

impl Change {
    fn line(&self, year: i32, lang: Lang) -> String {
        let list = |moved: &[Moved]| -> String {
            moved
                .iter()
                .map(|m| match (lang, m.dated) {
                    (Lang::Zh, false) => format!("{} 年的 {}", m.year, m.what.zh),
                    (Lang::En, false) => format!("{} of {}", m.what.en, m.year),
                    (_, true) => m.what.get(lang).to_string(),
                })
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", "))
        };
        let mut parts = Vec::new();
        if !self.leaving.is_empty() {
            parts.push(match lang {
                Lang::Zh => format!("{}将移出{}", list(&self.leaving), self.window.zh),
                Lang::En => format!(
                    "{} {} {}",
                    list(&self.leaving),
                    if self.leaving.len() == 1 {
                        "leaves"
                    } else {
                        "leave"
                    },
                    self.window.en
                ),
            });
        }
        if !self.entering.is_empty() {
            parts.push(match lang {
                Lang::Zh => format!("{}将进入窗口", list(&self.entering)),
                Lang::En => format!(
                    "{} {} it",
                    list(&self.entering),
                    if self.entering.len() == 1 {
                        "enters"
                    } else {
                        "enter"
                    }
                ),
            });
        }
        let value = match (&self.now, &self.then, lang) {
            (Some(now), Some(then), Lang::Zh) if now != then => {
                format!("，{}由 {now} 变为 {then}", self.label.zh)
            }
            (Some(now), Some(then), Lang::En) if now != then => {
                format!("; {} goes from {now} to {then}", self.label.en)
            }
            _ => String::new(),
        };
        let verdicts: Vec<String> = self
            .clauses
            .iter()
            .map(|(id, required, now, then)| match (lang, now == then) {
                (Lang::Zh, true) => format!("{id} 仍为{}，要求 {}", then.label_zh(), required.zh),
                (Lang::Zh, false) => format!(
                    "{id} 将由{}变为{}，要求 {}",
                    now.label_zh(),
                    then.label_zh(),
                    required.zh
                ),
                (Lang::En, true) => {
                    format!("{id} (requires {}) stays {}", required.en, then.word())
                }
                (Lang::En, false) => format!(
                    "{id} (requires {}) goes from {} to {}",
                    required.en,
                    now.word(),
                    then.word()
                ),
            })
            .collect();
        match lang {
            Lang::Zh => format!(
                "若于 {year} 年申报，{}{value}；{}",
                parts.join("，"),
                verdicts.join("；")
            ),
            Lang::En => format!(
                "Applying in {year}: {}{value}; {}",
                parts.join("; "),
                verdicts.join("; ")
            ),
        }
    }
}
