//! What a failed clause lacks, and by how much (SPEC §5 "Gaps").
//!
//! A gap is a pure function of the rule's kind, its bound and the facts: no article has code of
//! its own, so a clause added to a rulebook gets its gap for free. A threshold gives one need
//! (the distance to its bound); an any-of clause one route per condition, nearest first; an
//! all-of or every-year clause every need at once. A ratio whose metric names the parts an
//! applicant can change (`adjust` in the rulebook) is met by changing one part at the other as
//! stated. Counts move by whole numbers; a strict bound on an amount says "more than".
//!
//! The judging keeps numbers only ([`Gap`]); the words are made when a report asks
//! ([`GapView`]), so the failed clauses of a long sheet cost no text unless it is written.

use rust_decimal::{Decimal, RoundingStrategy};

use super::{condition_shown, resolve_bound};
use crate::i18n::{Lang, Text};
use crate::normalise::{Fact, FactValue, Facts};
use crate::profile::value::{percent, plain, push_plain, Quantity};
use crate::rules::{Bound, Clause, Condition, MetricRef, Op, Rule, Rulebook};

/// How the needs of a gap combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// Every need must be met (an all-of clause, every year of a window).
    All,
    /// Any one route suffices (an any-of clause; the parts of a ratio).
    Any,
}

/// What one route to the bound asks of one quantity. Numbers only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub target: Target,
    pub change: Change,
    /// What the applicant has now, when known.
    pub actual: Option<Decimal>,
    /// The unit of `actual` and of the change.
    pub quantity: Quantity,
    /// The bound the change is measured against, for the relative shortfall.
    pub against: Decimal,
}

impl Need {
    /// Distance to the bound relative to the bound, for ordering routes and near misses; a
    /// yes/no counts as 1 (100%).
    pub fn relative(&self) -> Decimal {
        match self.change.amount() {
            Some((by, _)) if !self.against.is_zero() => by
                .checked_div(self.against.abs())
                .map_or(Decimal::MAX, |relative| relative.round_dp(6)),
            _ => Decimal::ONE,
        }
    }
}

/// Which quantity a need moves, by its place in the clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The metric of the clause's n-th condition (0 for a threshold).
    Metric { condition: usize },
    /// A part of the n-th condition's ratio, the other part held as it is.
    Part { condition: usize, numerator: bool },
    /// One year of the n-th condition's year series.
    Year { condition: usize, year: i32 },
}

impl Target {
    fn condition(self) -> usize {
        match self {
            Target::Metric { condition }
            | Target::Part { condition, .. }
            | Target::Year { condition, .. } => condition,
        }
    }
}

/// How a quantity must change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Up by this much; `strict`: by more than it; `rounded`: the exact amount does not end,
    /// and this one, rounded away from the bound, is the least that suffices as shown.
    More {
        by: Decimal,
        strict: bool,
        rounded: bool,
    },
    /// Down by this much, as `More`.
    Less {
        by: Decimal,
        strict: bool,
        rounded: bool,
    },
    /// A yes/no that must read this way.
    Flag(bool),
}

impl Change {
    /// The amount and whether it is a strict ("more than") one.
    pub fn amount(&self) -> Option<(Decimal, bool)> {
        match *self {
            Change::More { by, strict, .. } | Change::Less { by, strict, .. } => Some((by, strict)),
            Change::Flag(_) => None,
        }
    }

    /// Whether the amount is the exact one rounded away from the bound ("at least").
    pub fn rounded(&self) -> bool {
        matches!(
            self,
            Change::More { rounded: true, .. } | Change::Less { rounded: true, .. }
        )
    }

    pub fn direction(&self) -> &'static str {
        match self {
            Change::More { .. } => "more",
            Change::Less { .. } => "less",
            Change::Flag(_) => "flag",
        }
    }
}

/// What a failed clause lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub combine: Combine,
    /// Nearest first for any-of routes; in the clause's order otherwise.
    pub needs: Vec<Need>,
}

impl Gap {
    /// How far the clause is from passing, relative to its bounds: the nearest route of an
    /// any-of gap, the farthest need of an all-of one. A yes/no counts as 1 (100%).
    pub fn relative(&self) -> Decimal {
        let values = self.needs.iter().map(Need::relative);
        match self.combine {
            Combine::Any => values.min(),
            Combine::All => values.max(),
        }
        .unwrap_or(Decimal::ONE)
    }
}

/// A gap with what it needs to speak: the rulebook, the clause, the applicant kind (which some
/// bounds depend on).
#[derive(Debug, Clone, Copy)]
pub struct GapView<'a> {
    pub gap: &'a Gap,
    pub rulebook: &'a Rulebook,
    pub clause: &'a Clause,
    pub kind: Option<&'a str>,
}

/// One need in words and names, for a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedWords {
    /// The metric, field or year (`facilities.rnd_floor_area`, `rnd_spend.2023`).
    pub metric: String,
    pub label: Text,
    /// What the bound asks (`≥ 1500 m²`).
    pub required: Text,
    /// The part held as it is while this one changes (a ratio's other part).
    pub holding: Option<Text>,
}

impl<'a> GapView<'a> {
    /// The condition a need belongs to.
    fn condition(&self, target: Target) -> Option<&'a Condition> {
        match &self.clause.rule {
            Rule::Threshold(condition) | Rule::EveryYear(condition) => Some(condition),
            Rule::AnyOf { conditions } | Rule::AllOf { conditions } => {
                conditions.get(target.condition())
            }
            _ => None,
        }
    }

    /// The names and words of a need.
    pub fn words(&self, need: &Need) -> NeedWords {
        let rulebook = self.rulebook;
        let Some(condition) = self.condition(need.target) else {
            return NeedWords {
                metric: String::new(),
                label: Text::default(),
                required: Text::default(),
                holding: None,
            };
        };
        let metric = condition.metric.as_str();
        let required = || match (&condition.bound, resolve_bound(condition, self.kind)) {
            (Bound::Flag(flag), _) => Text::new(
                if *flag { "是" } else { "否" },
                if *flag { "yes" } else { "no" },
            ),
            (_, Ok(Some(bound))) => {
                let shown = format!(
                    "{} {}",
                    condition.op.math(),
                    condition.quantity.display_with_unit(bound)
                );
                Text::new(shown.clone(), shown)
            }
            _ => condition_shown(rulebook, condition, self.kind, false).human,
        };
        match need.target {
            Target::Metric { .. } => NeedWords {
                metric: metric.to_string(),
                label: rulebook.metric_label(metric),
                required: required(),
                holding: None,
            },
            Target::Year { year, .. } => {
                let label = rulebook.metric_label(metric);
                NeedWords {
                    metric: format!("{}.{year}", series_table(rulebook, metric)),
                    label: Text::new(
                        format!("{year} 年{}", label.zh),
                        format!("{} of {year}", label.en),
                    ),
                    required: required(),
                    holding: None,
                }
            }
            Target::Part { numerator, .. } => {
                let ratio = rulebook
                    .metrics
                    .get(metric)
                    .and_then(|definition| definition.ratio.as_ref());
                let (part, other) = match (ratio, numerator) {
                    (Some(ratio), true) => (ratio.numerator.as_str(), ratio.denominator.as_str()),
                    (Some(ratio), false) => (ratio.denominator.as_str(), ratio.numerator.as_str()),
                    (None, _) => (metric, metric),
                };
                NeedWords {
                    metric: part.to_string(),
                    label: rulebook.metric_label(part),
                    required: required(),
                    holding: Some(rulebook.metric_label(other)),
                }
            }
        }
    }

    /// The gap in a sentence: `研发场地面积 1200 m²，距 ≥ 1500 m² 还差 300 m²`.
    pub fn text(&self, lang: Lang) -> String {
        let parts: Vec<String> = self
            .gap
            .needs
            .iter()
            .map(|need| need_text(need, &self.words(need), lang))
            .collect();
        let joint = match (self.gap.combine, lang) {
            (Combine::Any, Lang::Zh) => "；或",
            (Combine::Any, Lang::En) => "; or ",
            (Combine::All, Lang::Zh) => "；且",
            (Combine::All, Lang::En) => "; and ",
        };
        parts.join(joint)
    }

    /// The gap for a table cell, beside the actual value: `还差 300 m²`, naming the quantity
    /// only where there are several or it is not the clause's own (a year, a ratio's part).
    pub fn short(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.write_short(&mut out, lang);
        out
    }

    /// [`GapView::short`] appended to `out`, without the formatting machinery: a sheet's CSV
    /// writes it for every failed clause of every row.
    pub fn write_short(&self, out: &mut String, lang: Lang) {
        let named = self.gap.needs.len() > 1 || self.gap.combine == Combine::All;
        for (index, need) in self.gap.needs.iter().enumerate() {
            if index > 0 {
                out.push_str(match (self.gap.combine, lang) {
                    (Combine::Any, Lang::Zh) => "；或",
                    (Combine::Any, Lang::En) => "; or ",
                    (Combine::All, Lang::Zh) => "；",
                    (Combine::All, Lang::En) => "; ",
                });
            }
            let part = matches!(need.target, Target::Part { .. });
            if named || part {
                self.write_label(out, need, lang);
                if lang == Lang::En {
                    out.push(' ');
                }
            }
            self.write_change(out, need, lang);
        }
    }

    /// The label of what a need moves, borrowed where it can be.
    fn write_label(&self, out: &mut String, need: &Need, lang: Lang) {
        let Some(condition) = self.condition(need.target) else {
            return;
        };
        let metric = condition.metric.as_str();
        match need.target {
            Target::Metric { .. } => out.push_str(self.rulebook.metric_label_in(metric, lang)),
            Target::Year { year, .. } => {
                let label = self.rulebook.metric_label_in(metric, lang);
                let year = year.to_string();
                match lang {
                    Lang::Zh => {
                        out.push_str(&year);
                        out.push_str(" 年");
                        out.push_str(label);
                    }
                    Lang::En => {
                        out.push_str(label);
                        out.push_str(" of ");
                        out.push_str(&year);
                    }
                }
            }
            Target::Part { numerator, .. } => {
                if let Some(parts) = condition.parts.as_deref() {
                    let part = if numerator {
                        &parts.numerator
                    } else {
                        &parts.denominator
                    };
                    out.push_str(self.rulebook.metric_label_in(part, lang));
                }
            }
        }
    }

    /// `还差 300 m²`, `须减少超过 40 万元`, `须 < 70%`, `须为“是”`.
    fn write_change(&self, out: &mut String, need: &Need, lang: Lang) {
        let (by, strict) = match need.change {
            Change::Flag(flag) => {
                out.push_str(match (lang, flag) {
                    (Lang::Zh, true) => "须为“是”",
                    (Lang::Zh, false) => "须为“否”",
                    (Lang::En, true) => "must be yes",
                    (Lang::En, false) => "must be no",
                });
                return;
            }
            change => change.amount().unwrap_or_default(),
        };
        if strict && by.is_zero() {
            out.push_str(lang.pick("须 ", "must be "));
            out.push_str(self.words(need).required.get(lang));
            return;
        }
        let up = matches!(need.change, Change::More { .. });
        let how = match (lang, strict, need.change.rounded()) {
            (Lang::Zh, true, _) => "超过 ",
            (Lang::Zh, false, true) => "至少 ",
            (Lang::En, true, _) => "more than ",
            (Lang::En, false, true) => "at least ",
            _ => "",
        };
        match (lang, up, how.is_empty()) {
            (Lang::Zh, true, true) => out.push_str("还差 "),
            (Lang::Zh, true, false) => {
                out.push_str("须增加");
                out.push_str(how);
            }
            (Lang::Zh, false, true) => out.push_str("须减少 "),
            (Lang::Zh, false, false) => {
                out.push_str("须减少");
                out.push_str(how);
            }
            (Lang::En, true, true) => {}
            (Lang::En, true, false) => {
                out.push_str("up by ");
                out.push_str(how);
            }
            (Lang::En, false, _) => {
                out.push_str("down by ");
                out.push_str(how);
            }
        }
        write_amount(out, need.quantity, by, lang);
        if lang == Lang::En && up && how.is_empty() {
            out.push_str(" short");
        }
    }
}

/// An amount with its unit appended to `out`; a ratio's amount in percentage points.
fn write_amount(out: &mut String, quantity: Quantity, amount: Decimal, lang: Lang) {
    match (quantity, percent(amount)) {
        (Quantity::Ratio, Some(points)) => {
            push_plain(out, points);
            out.push(' ');
            out.push_str(lang.pick("个百分点", "percentage points"));
        }
        (Quantity::Ratio, None) => out.push_str(&quantity.display(amount)),
        _ => {
            push_plain(out, amount);
            let unit = quantity.unit();
            if !unit.is_empty() {
                out.push(' ');
                out.push_str(unit);
            }
        }
    }
}

fn need_text(need: &Need, words: &NeedWords, lang: Lang) -> String {
    let label = words.label.get(lang);
    let amount = |by: Decimal| shown_amount(need.quantity, by, lang);
    let actual = need
        .actual
        .map(|actual| need.quantity.display_with_unit(actual));
    let holding = words
        .holding
        .as_ref()
        .map(|held| match lang {
            Lang::Zh => format!("（{}不变）", held.zh),
            Lang::En => format!(" (at today's {})", held.en),
        })
        .unwrap_or_default();
    let required = words.required.get(lang);
    let at_bound = need
        .change
        .amount()
        .is_some_and(|(by, strict)| strict && by.is_zero());
    match (need.change, lang, &actual, &words.holding) {
        (Change::Flag(flag), Lang::Zh, ..) => {
            format!("{label}须为“{}”", if flag { "是" } else { "否" })
        }
        (Change::Flag(flag), Lang::En, ..) => {
            format!("{label} must be {}", if flag { "yes" } else { "no" })
        }
        // A part of a ratio moves while the other holds.
        (change, Lang::Zh, _, Some(_)) => {
            let (by, strict) = change.amount().unwrap_or_default();
            let verb = if matches!(change, Change::More { .. }) {
                "增加"
            } else {
                "减少"
            };
            let more = if strict {
                "超过 "
            } else if change.rounded() {
                "至少 "
            } else {
                " "
            };
            format!(
                "{label}{verb}{more}{}{holding}，达到 {required}",
                amount(by)
            )
        }
        (change, Lang::En, _, Some(_)) => {
            let (by, strict) = change.amount().unwrap_or_default();
            let verb = if matches!(change, Change::More { .. }) {
                "up"
            } else {
                "down"
            };
            let more = if strict {
                "more than "
            } else if change.rounded() {
                "at least "
            } else {
                ""
            };
            format!(
                "{label} {verb} by {more}{}{holding}, for {required}",
                amount(by)
            )
        }
        // At a strict bound itself: no distance to name, only the side.
        (_, Lang::Zh, Some(actual), None) if at_bound => {
            format!("{label} {actual}，须 {required}")
        }
        (_, Lang::En, Some(actual), None) if at_bound => {
            format!("{label} {actual}, must be {required}")
        }
        (change, Lang::Zh, Some(actual), None) => {
            let (by, strict) = change.amount().unwrap_or_default();
            let verb = match (change, strict, change.rounded()) {
                (Change::More { .. }, false, false) => "还差",
                (Change::More { .. }, false, true) => "还须增加至少",
                (Change::More { .. }, true, _) => "还须增加超过",
                (_, false, false) => "须减少",
                (_, false, true) => "须减少至少",
                (_, true, _) => "须减少超过",
            };
            format!("{label} {actual}，距 {required} {verb} {}", amount(by))
        }
        (change, Lang::En, Some(actual), None) => {
            let (by, strict) = change.amount().unwrap_or_default();
            let more = if strict {
                "more than "
            } else if change.rounded() {
                "at least "
            } else {
                ""
            };
            match change {
                Change::More { .. } => {
                    format!("{label} {actual}, {more}{} short of {required}", amount(by))
                }
                _ => format!("{label} {actual}, {more}{} over {required}", amount(by)),
            }
        }
        (change, Lang::Zh, None, None) => {
            let (by, strict) = change.amount().unwrap_or_default();
            let more = if strict { "超过 " } else { "" };
            format!("{label}还差{more}{}，达到 {required}", amount(by))
        }
        (change, Lang::En, None, None) => {
            let (by, strict) = change.amount().unwrap_or_default();
            let more = if strict { "more than " } else { "" };
            format!("{label} {more}{} short of {required}", amount(by))
        }
    }
}

/// An amount with its unit; a ratio's amount in percentage points.
fn shown_amount(quantity: Quantity, amount: Decimal, lang: Lang) -> String {
    match quantity {
        Quantity::Ratio => match percent(amount) {
            Some(points) => format!(
                "{} {}",
                plain(points),
                lang.pick("个百分点", "percentage points")
            ),
            None => quantity.display(amount),
        },
        _ => quantity.display_with_unit(amount),
    }
}

/// The gap of a failed threshold over `fact` (SPEC §5).
pub fn threshold(condition: &Condition, fact: &Fact, facts: &Facts<'_>) -> Option<Gap> {
    Some(Gap {
        combine: Combine::Any,
        needs: condition_needs(condition, 0, fact, facts)?,
    })
}

/// The gap of a failed every-year clause: each year short of the bound, all needed.
pub fn every_year(condition: &Condition, fact: &Fact, kind: Option<&str>) -> Option<Gap> {
    let FactValue::Series(years) = &fact.value else {
        return None;
    };
    let bound = resolve_bound(condition, kind).ok()??;
    let needs: Vec<Need> = years
        .iter()
        .filter_map(|(year, value)| {
            let value = (*value)?;
            Some(Need {
                target: Target::Year {
                    condition: 0,
                    year: *year,
                },
                change: distance(condition.op, value, bound, condition.quantity)?,
                actual: Some(value),
                quantity: condition.quantity,
                against: bound,
            })
        })
        .collect();
    (!needs.is_empty()).then_some(Gap {
        combine: Combine::All,
        needs,
    })
}

/// The gap of a failed any-of or all-of clause from its failed conditions' needs: every route
/// nearest first (any-of), or the nearest way to meet each failed condition (all-of).
pub fn combined(routes: Vec<Vec<Need>>, any: bool) -> Option<Gap> {
    let needs: Vec<Need> = if any {
        let mut needs: Vec<Need> = routes.into_iter().flatten().collect();
        needs.sort_by_key(Need::relative);
        needs
    } else {
        routes
            .into_iter()
            .filter_map(|needs| needs.into_iter().min_by_key(Need::relative))
            .collect()
    };
    (!needs.is_empty()).then_some(Gap {
        combine: if any { Combine::Any } else { Combine::All },
        needs,
    })
}

/// A declaration that must read `expected` (an attestation answered 否).
pub fn flag(expected: bool) -> Gap {
    Gap {
        combine: Combine::All,
        needs: vec![flag_need(0, expected)],
    }
}

/// What one failing condition over `fact` needs: one need, or one per adjustable part of a
/// ratio.
pub fn condition_needs(
    condition: &Condition,
    index: usize,
    fact: &Fact,
    facts: &Facts<'_>,
) -> Option<Vec<Need>> {
    if let (Bound::Flag(expected), FactValue::Bool(actual)) = (&condition.bound, &fact.value) {
        return (actual != expected).then(|| vec![flag_need(index, *expected)]);
    }
    let bound = resolve_bound(condition, facts.kind).ok()??;
    let FactValue::Number(value) = fact.value else {
        return None;
    };
    let quantity = condition.quantity;
    let change = distance(condition.op, value, bound, quantity)?;
    if let Some(parts) = ratio_parts(condition, index, facts, bound) {
        return Some(parts);
    }
    Some(vec![Need {
        target: Target::Metric { condition: index },
        change,
        actual: Some(value),
        quantity,
        against: bound,
    }])
}

/// A ratio met by moving one of its parts at the other as stated (`adjust` in the rulebook):
/// for `N / D op b`, N must cross `b·D`, or D must cross `N / b`.
fn ratio_parts(
    condition: &Condition,
    index: usize,
    facts: &Facts<'_>,
    bound: Decimal,
) -> Option<Vec<Need>> {
    let parts = condition.parts.as_deref()?;
    if bound.is_zero() {
        return None;
    }
    let number = |part: &MetricRef| match facts.fact(part).value {
        FactValue::Number(value) => Some(value),
        _ => None,
    };
    // The ratio must rest on the parts (not on a declared ratio alone).
    let (top, bottom) = (number(&parts.numerator)?, number(&parts.denominator)?);
    if bottom.is_zero() {
        return None;
    }
    let op = condition.op;
    let mut needs = Vec::with_capacity(2);
    for numerator in [true, false] {
        let (adjust, current, target, part_op, quantity) = if numerator {
            // N op b·D.
            let target = bound.checked_mul(bottom)?;
            (
                parts.adjust_numerator,
                top,
                target,
                op,
                parts.numerator_quantity,
            )
        } else {
            // N / D op b ⇔ D op' N / b, the comparison turned around.
            let target = top.checked_div(bound)?;
            (
                parts.adjust_denominator,
                bottom,
                target,
                flipped(op),
                parts.denominator_quantity,
            )
        };
        if !adjust {
            continue;
        }
        let Some(change) = distance(part_op, current, target, quantity) else {
            continue;
        };
        needs.push(Need {
            target: Target::Part {
                condition: index,
                numerator,
            },
            change,
            actual: Some(current),
            quantity,
            against: target,
        });
    }
    (!needs.is_empty()).then_some(needs)
}

/// `a op b` written the other way round: `N/D < b` ⇔ `D > N/b` for positive amounts.
fn flipped(op: Op) -> Op {
    match op {
        Op::AtLeast => Op::AtMost,
        Op::Above => Op::Below,
        Op::AtMost => Op::AtLeast,
        Op::Below => Op::Above,
        Op::Equals => Op::Equals,
    }
}

/// How `value` must change to satisfy `value op bound`; `None` when it already does. Counts
/// move by whole numbers (the smallest that suffices); other amounts by the exact difference,
/// "more than" it when the bound is strict. An amount that does not end within the places
/// shown is rounded away from the bound, and the need is then "at least" that amount.
fn distance(op: Op, value: Decimal, bound: Decimal, quantity: Quantity) -> Option<Change> {
    if op.holds_decimal(&value, &bound) || op == Op::Equals {
        return None;
    }
    let up = op.is_lower_bound();
    // Amounts past the largest decimal are held there (with a warning): no gap is computed
    // that would overflow.
    let difference = if up {
        bound.checked_sub(value)?
    } else {
        value.checked_sub(bound)?
    };
    let strict = !op.includes_bound();
    let (by, strict, rounded) = if matches!(quantity, Quantity::Count | Quantity::Year) {
        // The smallest whole number that reaches (or, strictly, passes) the bound.
        let whole = if strict {
            difference.floor().checked_add(Decimal::ONE)?
        } else {
            difference.ceil()
        };
        (whole.max(Decimal::ONE), false, false)
    } else {
        let places = match quantity {
            Quantity::Ratio => 6,
            _ => 4,
        };
        // Shown through `plain`, which drops trailing zeros: no normalising here.
        if difference.scale() <= places {
            (difference, strict, false)
        } else {
            let rounded = difference.round_dp_with_strategy(places, RoundingStrategy::AwayFromZero);
            if rounded == difference {
                (difference, strict, false)
            } else {
                (rounded, false, true)
            }
        }
    };
    Some(if up {
        Change::More {
            by,
            strict,
            rounded,
        }
    } else {
        Change::Less {
            by,
            strict,
            rounded,
        }
    })
}

fn flag_need(condition: usize, expected: bool) -> Need {
    Need {
        target: Target::Metric { condition },
        change: Change::Flag(expected),
        actual: None,
        quantity: Quantity::Count,
        against: Decimal::ZERO,
    }
}

/// The year table behind a series metric (`rnd_spend`), for `rnd_spend.2023`.
fn series_table<'a>(rulebook: &'a Rulebook, metric: &'a str) -> &'a str {
    rulebook
        .metrics
        .get(metric)
        .and_then(|m| m.series.as_ref())
        .map_or(metric, |series| series.table.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn more(by: Decimal, strict: bool) -> Option<Change> {
        Some(Change::More {
            by,
            strict,
            rounded: false,
        })
    }

    fn less(by: Decimal, strict: bool) -> Option<Change> {
        Some(Change::Less {
            by,
            strict,
            rounded: false,
        })
    }

    #[test]
    fn an_inclusive_lower_bound_on_an_amount_is_short_by_the_difference() {
        // 第十条第（四）项 "1500m² 以上": 1500 passes.
        let area = Quantity::Area;
        assert_eq!(
            distance(Op::AtLeast, dec!(1200), dec!(1500), area),
            more(dec!(300), false)
        );
        assert_eq!(
            distance(Op::AtLeast, dec!(1499.5), dec!(1500), area),
            more(dec!(0.5), false)
        );
        assert_eq!(distance(Op::AtLeast, dec!(1500), dec!(1500), area), None);
        assert_eq!(distance(Op::AtLeast, dec!(1500.01), dec!(1500), area), None);
    }

    #[test]
    fn a_strict_bound_on_an_amount_asks_for_more_than_the_difference() {
        // 第十条第（六）项 "前期投入" > 0: at 0, more than 0 万元 is needed.
        let money = Quantity::Money;
        assert_eq!(
            distance(Op::Above, dec!(0), dec!(0), money),
            more(dec!(0), true)
        );
        assert_eq!(distance(Op::Above, dec!(0.01), dec!(0), money), None);
        // "低于 70%": at 70% exactly, down by more than 0.
        assert_eq!(
            distance(Op::Below, dec!(0.7), dec!(0.7), Quantity::Ratio),
            less(dec!(0), true)
        );
        assert_eq!(
            distance(Op::Below, dec!(0.704), dec!(0.7), Quantity::Ratio),
            less(dec!(0.004), true)
        );
        assert_eq!(
            distance(Op::Below, dec!(0.6999), dec!(0.7), Quantity::Ratio),
            None
        );
    }

    #[test]
    fn counts_move_by_the_smallest_whole_number() {
        let count = Quantity::Count;
        assert_eq!(
            distance(Op::AtLeast, dec!(96), dec!(100), count),
            more(dec!(4), false)
        );
        assert_eq!(
            distance(Op::AtLeast, dec!(99), dec!(100), count),
            more(dec!(1), false)
        );
        assert_eq!(distance(Op::AtLeast, dec!(100), dec!(100), count), None);
        // A fractional target (50% of 97 staff is 48.5) rounds up to the next person.
        assert_eq!(
            distance(Op::AtLeast, dec!(45), dec!(48.5), count),
            more(dec!(4), false)
        );
        // Strict: more than 3 means 4.
        assert_eq!(
            distance(Op::Above, dec!(3), dec!(3), count),
            more(dec!(1), false)
        );
        assert_eq!(
            distance(Op::Below, dec!(10), dec!(7), count),
            less(dec!(4), false)
        );
    }

    #[test]
    fn an_amount_that_does_not_end_is_rounded_away_from_the_bound_and_asked_at_least() {
        // 10 / 7 = 1.428571…: up by at least 1.4286, which passes "more than 1.428571…".
        assert_eq!(
            distance(Op::Above, dec!(0), dec!(10) / dec!(7), Quantity::Money),
            Some(Change::More {
                by: dec!(1.4286),
                strict: false,
                rounded: true
            })
        );
    }
}
