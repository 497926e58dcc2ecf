//! What a failed clause lacks, and by how much (SPEC §5 "Gaps").
//!
//! A gap is a pure function of the rule's kind, its bound and the facts: no article has code of
//! its own, so a clause added to a rulebook gets its gap for free. A threshold gives one need
//! (the distance to its bound); an any-of clause one route per condition, nearest first; an
//! all-of or every-year clause every need at once. A ratio whose metric names the parts an
//! applicant can change (`adjust` in the rulebook) is met by changing one part at the other as
//! stated. Counts move by whole numbers; a strict bound on an amount says "more than".

use rust_decimal::{Decimal, RoundingStrategy};

use super::{resolve_bound, Verdict};
use crate::i18n::{Lang, Text};
use crate::normalise::{Fact, FactValue, Facts};
use crate::profile::value::Quantity;
use crate::rules::{Bound, Clause, Condition, MetricKind, MetricRef, Op, Rule, Rulebook, Severity};

/// How the needs of a gap combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// Every need must be met (an all-of clause, every year of a window).
    All,
    /// Any one route suffices (an any-of clause; the parts of a ratio).
    Any,
}

/// What one route to the bound asks of one quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// The metric, field or year (`facilities.rnd_floor_area`, `rnd_spend.2023`).
    pub metric: String,
    pub label: Text,
    pub quantity: Quantity,
    pub change: Change,
    /// What the applicant has now, when known.
    pub actual: Option<Decimal>,
    /// What the bound asks of this metric (`≥ 1500 m²`), in words.
    pub required: Text,
    /// The part held as it is while this one changes (a ratio's other part), in words.
    pub holding: Option<Text>,
    /// Distance to the bound relative to the bound, for ordering routes and near misses.
    pub relative: Decimal,
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

/// What a failed clause lacks, or the fields a clause without data needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub combine: Combine,
    /// Nearest first for any-of routes; in the clause's order otherwise.
    pub needs: Vec<Need>,
    /// For a clause that lacks data: the fields to fill, named as the user wrote them (the
    /// sheet's header for a sheet's row, the TOML key for a profile).
    pub fields: Vec<String>,
}

impl Gap {
    /// How far the clause is from passing, relative to its bounds: the nearest route of an
    /// any-of gap, the farthest need of an all-of one. A yes/no counts as 1 (100%).
    pub fn relative(&self) -> Decimal {
        let values = self.needs.iter().map(|need| need.relative);
        match self.combine {
            Combine::Any => values.min(),
            Combine::All => values.max(),
        }
        .unwrap_or(Decimal::ONE)
    }

    /// The gap in a sentence: `研发场地面积 1200 m²，距 ≥ 1500 m² 还差 300 m²`.
    pub fn text(&self, lang: Lang) -> String {
        if self.needs.is_empty() {
            return match lang {
                Lang::Zh => format!("需填写：{}", self.fields.join("、")),
                Lang::En => format!("fill in: {}", self.fields.join(", ")),
            };
        }
        let parts: Vec<String> = self.needs.iter().map(|need| need.text(lang)).collect();
        let joint = match (self.combine, lang) {
            (Combine::Any, Lang::Zh) => "；或",
            (Combine::Any, Lang::En) => "; or ",
            (Combine::All, Lang::Zh) => "；并且",
            (Combine::All, Lang::En) => "; and ",
        };
        parts.join(joint)
    }
}

impl Gap {
    /// The gap for a table cell, beside the actual value: `还差 300 m²`, naming the quantity
    /// only where there are several or it is not the clause's own (a year, a ratio's part).
    pub fn short(&self, lang: Lang) -> String {
        if self.needs.is_empty() {
            return self.text(lang);
        }
        let named = self.needs.len() > 1 || self.combine == Combine::All;
        let parts: Vec<String> = self
            .needs
            .iter()
            .map(|need| need.short(lang, named || need.holding.is_some()))
            .collect();
        parts.join(match (self.combine, lang) {
            (Combine::Any, Lang::Zh) => "；或",
            (Combine::Any, Lang::En) => "; or ",
            (Combine::All, Lang::Zh) => "；",
            (Combine::All, Lang::En) => "; ",
        })
    }
}

impl Need {
    fn short(&self, lang: Lang, named: bool) -> String {
        let label = if named {
            match lang {
                Lang::Zh => self.label.zh.clone(),
                Lang::En => format!("{} ", self.label.en),
            }
        } else {
            String::new()
        };
        let (by, strict) = match self.change {
            Change::Flag(flag) => {
                return match lang {
                    Lang::Zh => format!("{label}须为“{}”", if flag { "是" } else { "否" }),
                    Lang::En => format!("{label}must be {}", if flag { "yes" } else { "no" }),
                }
            }
            change => change.amount().unwrap_or_default(),
        };
        if strict && by.is_zero() {
            return match lang {
                Lang::Zh => format!("{label}须 {}", self.required.zh),
                Lang::En => format!("{label}must be {}", self.required.en),
            };
        }
        let amount = shown_amount(self.quantity, by, lang);
        let up = matches!(self.change, Change::More { .. });
        let how = match (lang, strict, self.change.rounded()) {
            (Lang::Zh, true, _) => "超过 ",
            (Lang::Zh, false, true) => "至少 ",
            (Lang::En, true, _) => "more than ",
            (Lang::En, false, true) => "at least ",
            _ => "",
        };
        match (lang, up) {
            (Lang::Zh, true) if how.is_empty() => format!("{label}还差 {amount}"),
            (Lang::Zh, true) => format!("{label}须增加{how}{amount}"),
            (Lang::Zh, false) => format!(
                "{label}须减少{}{amount}",
                if how.is_empty() { " " } else { how }
            ),
            (Lang::En, true) if how.is_empty() => format!("{label}{amount} short"),
            (Lang::En, true) => format!("{label}up by {how}{amount}"),
            (Lang::En, false) => format!("{label}down by {how}{amount}"),
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        let label = self.label.get(lang);
        let amount = |by: Decimal| shown_amount(self.quantity, by, lang);
        let actual = self
            .actual
            .map(|actual| self.quantity.display_with_unit(actual));
        let holding = self
            .holding
            .as_ref()
            .map(|held| match lang {
                Lang::Zh => format!("（{}不变）", held.zh),
                Lang::En => format!(" (at today's {})", held.en),
            })
            .unwrap_or_default();
        let required = self.required.get(lang);
        match (self.change, lang, &actual, &self.holding) {
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
            (change, Lang::Zh, Some(actual), None)
                if change
                    .amount()
                    .is_some_and(|(by, strict)| strict && by.is_zero()) =>
            {
                format!("{label} {actual}，须 {required}")
            }
            (change, Lang::En, Some(actual), None)
                if change
                    .amount()
                    .is_some_and(|(by, strict)| strict && by.is_zero()) =>
            {
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
}

/// An amount with its unit; a ratio's amount in percentage points.
fn shown_amount(quantity: Quantity, amount: Decimal, lang: Lang) -> String {
    match quantity {
        Quantity::Ratio => match crate::profile::value::percent(amount) {
            Some(points) => format!(
                "{} {}",
                crate::profile::value::plain(points),
                lang.pick("个百分点", "percentage points")
            ),
            None => quantity.display(amount),
        },
        _ => quantity.display_with_unit(amount),
    }
}

/// The gap of a failed clause; `None` for a clause that did not fail or whose failure has no
/// distance (a registration outside Yunnan).
pub fn of(rulebook: &Rulebook, clause: &Clause, facts: &Facts<'_>) -> Option<Gap> {
    let kind = facts.kind;
    match &clause.rule {
        Rule::Threshold(condition) => {
            let needs = condition_needs(rulebook, condition, facts, kind)?;
            Some(Gap {
                combine: Combine::Any,
                needs,
                fields: Vec::new(),
            })
        }
        Rule::EveryYear(condition) => {
            let fact = facts.fact(&condition.metric);
            let FactValue::Series(years) = &fact.value else {
                return None;
            };
            let bound = resolve_bound(condition, kind).ok()??;
            let quantity = quantity_of(rulebook, &condition.metric);
            let label = rulebook.metric_label(&condition.metric);
            let needs: Vec<Need> = years
                .iter()
                .filter_map(|(year, value)| {
                    let value = (*value)?;
                    let change = distance(condition.op, value, bound, quantity)?;
                    Some(Need {
                        metric: format!("{}.{year}", series_table(rulebook, &condition.metric)),
                        label: Text::new(
                            format!("{year} 年{}", label.zh),
                            format!("{} of {year}", label.en),
                        ),
                        quantity,
                        change,
                        actual: Some(value),
                        required: required_text(quantity, condition.op, bound),
                        holding: None,
                        relative: relative(change, bound),
                    })
                })
                .collect();
            (!needs.is_empty()).then_some(Gap {
                combine: Combine::All,
                needs,
                fields: Vec::new(),
            })
        }
        Rule::AnyOf { conditions } | Rule::AllOf { conditions } => {
            let any = matches!(clause.rule, Rule::AnyOf { .. });
            let mut routes: Vec<Vec<Need>> = Vec::new();
            for condition in conditions {
                if let Some(needs) = condition_needs(rulebook, condition, facts, kind) {
                    routes.push(needs);
                }
            }
            if any {
                // Each condition is a route; a ratio's parts are routes of their own.
                let mut needs: Vec<Need> = routes.into_iter().flatten().collect();
                needs.sort_by_key(|need| need.relative);
                (!needs.is_empty()).then_some(Gap {
                    combine: Combine::Any,
                    needs,
                    fields: Vec::new(),
                })
            } else {
                // Every failing condition must be met; of a ratio's parts, the nearest.
                let needs: Vec<Need> = routes
                    .into_iter()
                    .filter_map(|mut needs| {
                        needs.sort_by_key(|need| need.relative);
                        needs.into_iter().next()
                    })
                    .collect();
                (!needs.is_empty()).then_some(Gap {
                    combine: Combine::All,
                    needs,
                    fields: Vec::new(),
                })
            }
        }
        Rule::Attestation { metric } => match facts.fact(metric).value {
            FactValue::Bool(false) => Some(Gap {
                combine: Combine::All,
                needs: vec![flag_need(rulebook, metric, true)],
                fields: Vec::new(),
            }),
            _ => None,
        },
        Rule::Review { .. } | Rule::Registration(_) | Rule::OneOf { .. } => None,
    }
}

/// What one failing condition needs: one need, or one per adjustable part of a ratio.
fn condition_needs(
    rulebook: &Rulebook,
    condition: &Condition,
    facts: &Facts<'_>,
    kind: Option<&str>,
) -> Option<Vec<Need>> {
    let fact = facts.fact(&condition.metric);
    if let (Bound::Flag(expected), FactValue::Bool(actual)) = (&condition.bound, &fact.value) {
        return (actual != expected)
            .then(|| vec![flag_need(rulebook, &condition.metric, *expected)]);
    }
    let bound = resolve_bound(condition, kind).ok()??;
    let value = match fact.value {
        FactValue::Number(value) => value,
        _ => return None,
    };
    let quantity = quantity_of(rulebook, &condition.metric);
    let change = distance(condition.op, value, bound, quantity)?;
    let relative = relative(change, bound);
    if let Some(parts) = ratio_parts(rulebook, condition, facts, &fact, bound, relative) {
        return Some(parts);
    }
    Some(vec![Need {
        metric: condition.metric.to_string(),
        label: rulebook.metric_label(&condition.metric),
        quantity,
        change,
        actual: Some(value),
        required: required_text(quantity, condition.op, bound),
        holding: None,
        relative,
    }])
}

/// A ratio met by moving one of its parts at the other as stated (`adjust` in the rulebook):
/// for `N / D op b`, N must cross `b·D`, or D must cross `N / b`.
fn ratio_parts(
    rulebook: &Rulebook,
    condition: &Condition,
    facts: &Facts<'_>,
    fact: &Fact,
    bound: Decimal,
    relative: Decimal,
) -> Option<Vec<Need>> {
    let metric = rulebook.metrics.get(condition.metric.as_str())?;
    let ratio = metric.ratio.as_ref()?;
    if metric.adjust.is_empty() || bound.is_zero() {
        return None;
    }
    let number = |part: &MetricRef| match facts.fact(part).value {
        FactValue::Number(value) => Some(value),
        _ => None,
    };
    // The ratio must rest on the parts (not on a declared ratio alone).
    let (top, bottom) = (number(&ratio.numerator)?, number(&ratio.denominator)?);
    if bottom.is_zero() || !matches!(fact.value, FactValue::Number(_)) {
        return None;
    }
    let op = condition.op;
    let mut needs = Vec::new();
    for part in &metric.adjust {
        let numerator = *part == ratio.numerator;
        let quantity = quantity_of(rulebook, part);
        let (current, target, part_op, other) = if numerator {
            // N op b·D.
            (top, bound.checked_mul(bottom)?, op, &ratio.denominator)
        } else {
            // N / D op b ⇔ D op' N / b, the comparison turned around.
            (
                bottom,
                top.checked_div(bound)?,
                flipped(op),
                &ratio.numerator,
            )
        };
        let Some(change) = distance(part_op, current, target, quantity) else {
            continue;
        };
        needs.push(Need {
            metric: part.to_string(),
            label: rulebook.metric_label(part),
            quantity,
            change,
            actual: Some(current),
            required: required_text(Quantity::Ratio, op, bound),
            holding: Some(rulebook.metric_label(other)),
            relative,
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
/// "more than" it when the bound is strict. A target that is not a whole number of the
/// amount's smallest shown unit is rounded away from the bound, and the need is then "at
/// least" that rounded amount.
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
    if matches!(quantity, Quantity::Count | Quantity::Year) {
        // The smallest whole number that reaches (or, strictly, passes) the bound.
        let whole = if strict {
            difference.floor().checked_add(Decimal::ONE)?
        } else {
            difference.ceil()
        };
        let by = whole.max(Decimal::ONE);
        return Some(if up {
            Change::More {
                by,
                strict: false,
                rounded: false,
            }
        } else {
            Change::Less {
                by,
                strict: false,
                rounded: false,
            }
        });
    }
    // Amounts: exact when the difference is short; else rounded up to the places shown, and
    // then "at least" it (the rounded amount already passes a strict bound).
    let places = match quantity {
        Quantity::Ratio => 6,
        _ => 4,
    };
    let rounded = difference.round_dp_with_strategy(places, RoundingStrategy::AwayFromZero);
    let (by, strict, rounded) = if rounded == difference {
        (difference.normalize(), strict, false)
    } else {
        (rounded.normalize(), false, true)
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

fn relative(change: Change, bound: Decimal) -> Decimal {
    match change.amount() {
        Some((by, _)) if !bound.is_zero() => by
            .checked_div(bound.abs())
            .map_or(Decimal::MAX, |relative| relative.round_dp(6)),
        _ => Decimal::ONE,
    }
}

fn flag_need(rulebook: &Rulebook, metric: &str, expected: bool) -> Need {
    Need {
        metric: metric.to_string(),
        label: rulebook.metric_label(metric),
        quantity: Quantity::Count,
        change: Change::Flag(expected),
        actual: None,
        required: Text::new(
            if expected { "是" } else { "否" },
            if expected { "yes" } else { "no" },
        ),
        holding: None,
        relative: Decimal::ONE,
    }
}

fn required_text(quantity: Quantity, op: Op, bound: Decimal) -> Text {
    let shown = format!("{} {}", op.math(), quantity.display_with_unit(bound));
    Text::new(shown.clone(), shown)
}

fn quantity_of(rulebook: &Rulebook, metric: &str) -> Quantity {
    match rulebook.metric_kind(metric) {
        Some(MetricKind::Number(quantity) | MetricKind::Series(quantity)) => quantity,
        _ => Quantity::Count,
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

/// Whether a verdict gets a gap at all: only failed clauses are measured, and clauses that
/// lack data name their fields (nothing else costs anything).
pub fn wanted(verdict: Verdict, severity: Severity) -> bool {
    severity != Severity::Info && matches!(verdict, Verdict::Fail | Verdict::Missing)
}

/// The fields a clause without data needs, as the user would write them.
pub fn missing(fields: &[String], facts: &Facts<'_>) -> Option<Gap> {
    let fields: Vec<String> = fields
        .iter()
        .filter_map(|field| facts.user_name(field))
        .collect();
    (!fields.is_empty()).then_some(Gap {
        combine: Combine::All,
        needs: Vec::new(),
        fields,
    })
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
