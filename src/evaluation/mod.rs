//! Evaluate a built center: score its cycle against the rubric's indicators, grade the total
//! (第二十六条), apply the vetoes, check governance beside the score, and decide the
//! construction-period acceptance (第二十三条) when the contract's targets are listed.
//!
//! A fact that is not stated is never scored as zero: a missing indicator leaves the total
//! between what is known and what it could reach, and the grade is given only when both ends
//! earn the same one.

mod governance;
pub mod run;

use rust_decimal::Decimal;

use crate::engine::Verdict;
use crate::i18n::{Lang, Text};
use crate::profile::evaluation::{CenterProfile, Target};
use crate::profile::{InvalidProfile, Location, Profile};
use crate::rules::evaluation::{Acceptance, Grade, Indicator, Rubric, Veto};

pub use governance::GovernanceFinding;

/// Everything said about one center.
#[derive(Debug, Clone)]
pub struct Evaluation<'r> {
    pub rubric: &'r Rubric,
    /// `center.toml`.
    pub source: String,
    pub center: Option<String>,
    pub cycle: Option<(i32, i32)>,
    pub scores: Vec<Score<'r>>,
    /// The total if every missing indicator earned nothing, and if each earned its full weight.
    pub total: Range,
    pub standing: Standing<'r>,
    pub vetoes: Vec<VetoFinding<'r>>,
    pub governance: Vec<GovernanceFinding<'r>>,
    pub acceptance: Option<AcceptanceResult>,
    /// For a center graded below the best grade on its score alone: how many points it lacks
    /// for the next grade and the cheapest ways to earn them.
    pub next_grade: Option<NextGrade<'r>>,
    pub warnings: Vec<Text>,
    pub error: Option<InvalidProfile>,
}

/// The points a center lacks for the next grade up and the indicators that would give them
/// most cheaply: the evaluation's counterpart of `check`'s gaps, computed from the rubric's
/// bands alone.
#[derive(Debug, Clone)]
pub struct NextGrade<'r> {
    pub grade: &'r Grade,
    /// The grade's lower bound minus the exact total.
    pub short_by: Decimal,
    /// Each a way to earn the points: a single indicator that closes the gap alone, cheapest
    /// first; or, when no single one can, the cheapest combination (`combined`).
    pub routes: Vec<Route<'r>>,
    pub combined: bool,
}

/// One indicator raised: from its value to the value that earns `points` more.
#[derive(Debug, Clone)]
pub struct Route<'r> {
    pub indicator: &'r Indicator,
    pub from: Decimal,
    pub to: Decimal,
    pub points: Decimal,
}

impl Route<'_> {
    pub fn increase(&self) -> Decimal {
        (self.to - self.from).normalize()
    }
}

/// One indicator's points.
#[derive(Debug, Clone)]
pub struct Score<'r> {
    pub indicator: &'r Indicator,
    pub value: Option<Decimal>,
    /// `None` when the value is not stated.
    pub points: Option<Decimal>,
    pub at: Option<Location>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub low: Decimal,
    pub high: Decimal,
}

impl Range {
    pub fn is_exact(&self) -> bool {
        self.low == self.high
    }
}

/// Where the center stands.
#[derive(Debug, Clone)]
pub enum Standing<'r> {
    /// Graded; `vetoed_by` names the vetoes that made it 差 whatever the score.
    Graded {
        grade: &'r Grade,
        vetoed_by: Vec<&'r Veto>,
    },
    /// The stated facts leave several grades possible, best first; `missing` names the fields
    /// that would settle it.
    Incomplete {
        possible: Vec<&'r Grade>,
        missing: Vec<String>,
    },
    /// The profile could not be read.
    Error,
}

impl<'r> Standing<'r> {
    /// What the law attaches to the result, with its article: a veto's own consequence when it
    /// has one (第二十六条第（三）项: giving up the title), else the grade's.
    pub fn consequence(&self) -> Option<(&'r str, &'r Text)> {
        let Standing::Graded { grade, vetoed_by } = self else {
            return None;
        };
        Some(
            vetoed_by
                .iter()
                .find_map(|veto| Some((veto.citation.as_str(), veto.consequence.as_ref()?)))
                .unwrap_or((&grade.citation, &grade.consequence)),
        )
    }

    /// The veto by which the center is deemed to have given up its title (第二十六条第（三）项),
    /// if one is stated: then nothing but its consequence is said of the center's future.
    pub fn title_given_up(&self) -> Option<&'r Veto> {
        match self {
            Standing::Graded { vetoed_by, .. } => {
                vetoed_by.iter().copied().find(|veto| veto.gives_up_title)
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct VetoFinding<'r> {
    pub veto: &'r Veto,
    /// `Some(true)`: the fact that vetoes is stated; `None`: not stated.
    pub stated: Option<bool>,
    pub at: Option<Location>,
}

/// The construction-period acceptance (第二十三条), as estimated from the contract's targets:
/// the result itself is the expert panel's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceResult {
    pub outcome: AcceptanceOutcome,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptanceOutcome {
    /// Every target met: the panel would be expected to pass it.
    Passed,
    /// A target missed.
    NotPassed,
    /// A target's achieved value is not stated.
    Incomplete,
    /// The center is deemed to have given up its title (第二十六条第（三）项): there is no
    /// acceptance to estimate.
    NotAssessed,
}

impl AcceptanceOutcome {
    /// The word of the JSON `result`: SPEC §6's `passed`/`not_passed` for an estimate, and
    /// `incomplete`; nothing when no acceptance is estimated.
    pub fn result_word(self) -> Option<&'static str> {
        match self {
            AcceptanceOutcome::Passed => Some("passed"),
            AcceptanceOutcome::NotPassed => Some("not_passed"),
            AcceptanceOutcome::Incomplete => Some("incomplete"),
            AcceptanceOutcome::NotAssessed => None,
        }
    }

    /// The word of the JSON `status`: what kind of result this is.
    pub fn status_word(self) -> &'static str {
        match self {
            AcceptanceOutcome::Passed | AcceptanceOutcome::NotPassed => "estimated",
            AcceptanceOutcome::Incomplete => "incomplete",
            AcceptanceOutcome::NotAssessed => "not_assessed",
        }
    }

    /// What 第二十三条 attaches to the panel's result, said as conditional on it; nothing while
    /// the estimate is undecided or not made.
    pub fn consequence(self, acceptance: &Acceptance) -> Option<&Text> {
        match self {
            AcceptanceOutcome::Passed => Some(&acceptance.passed),
            AcceptanceOutcome::NotPassed => Some(&acceptance.not_passed),
            AcceptanceOutcome::Incomplete | AcceptanceOutcome::NotAssessed => None,
        }
    }

    /// `通过（passed）` / `passed`, or what stands instead of a result.
    pub fn label(self, lang: Lang) -> String {
        let zh = match self {
            AcceptanceOutcome::Passed => "通过",
            AcceptanceOutcome::NotPassed => "未通过",
            AcceptanceOutcome::Incomplete => "缺数据，无法判定",
            AcceptanceOutcome::NotAssessed => "不作估计",
        };
        let word = self.result_word().unwrap_or("not_assessed");
        match lang {
            Lang::Zh => format!("{zh}（{word}）"),
            Lang::En => word.to_string(),
        }
    }
}

/// Whether a target is met: the achieved value reaches the contracted one in the target's
/// direction (at least, or at most).
pub fn target_met(target: &Target) -> Option<bool> {
    target.met()
}

impl<'r> Evaluation<'r> {
    pub fn invalid(rubric: &'r Rubric, error: InvalidProfile) -> Evaluation<'r> {
        Evaluation {
            rubric,
            source: error.source.clone(),
            center: error.applicant.clone(),
            cycle: None,
            scores: Vec::new(),
            total: Range {
                low: Decimal::ZERO,
                high: Decimal::ZERO,
            },
            standing: Standing::Error,
            vetoes: Vec::new(),
            governance: Vec::new(),
            acceptance: None,
            next_grade: None,
            warnings: Vec::new(),
            error: Some(error),
        }
    }

    /// Whether the result asks for action: a grade below 良, a grade that cannot be given, an
    /// acceptance not passed or not decided, or an unreadable profile.
    pub fn needs_attention(&self) -> bool {
        let graded_well = matches!(
            &self.standing,
            Standing::Graded { grade, .. } if matches!(grade.id.as_str(), "excellent" | "good")
        );
        let accepted = self
            .acceptance
            .as_ref()
            .is_none_or(|acceptance| acceptance.outcome == AcceptanceOutcome::Passed);
        !(graded_well && accepted)
    }
}

/// The points an indicator earns for a value: none at or below `zero_at`, the full weight at
/// or above `full_at`, proportionally in between.
pub fn points(indicator: &Indicator, value: Decimal) -> Decimal {
    if value <= indicator.zero_at {
        Decimal::ZERO
    } else if value >= indicator.full_at {
        indicator.weight
    } else {
        // Inside the band every term is bounded by the rubric's validated limits, so nothing
        // overflows; multiplying first keeps bands of whole numbers exact wherever it can.
        indicator.weight * (value - indicator.zero_at) / (indicator.full_at - indicator.zero_at)
    }
}

/// Decimal places the total is graded at. A proportional score (8 × 1/3) is a division held
/// to 28 significant digits; several of them can add up to 89.99999…9 where the true total is
/// 90. Rounding the sum at 20 places cancels that error (at most 1e-27 a term) and nothing a
/// real profile can state.
const GRADED_PLACES: u32 = 20;

/// The total the grade is decided on.
pub fn graded_total(sum: Decimal) -> Decimal {
    sum.round_dp(GRADED_PLACES).normalize()
}

pub fn evaluate<'r>(rubric: &'r Rubric, center: &CenterProfile) -> Evaluation<'r> {
    let profile = &center.profile;
    let scores: Vec<Score<'r>> = rubric
        .indicators
        .iter()
        .map(|indicator| {
            let field = profile.get(&indicator.metric);
            let value = field.and_then(|field| field.value.as_number());
            Score {
                indicator,
                value,
                points: value.map(|value| points(indicator, value)),
                at: field.and_then(|field| field.at.clone()),
            }
        })
        .collect();
    let known: Decimal = scores.iter().filter_map(|score| score.points).sum();
    let unknown: Decimal = scores
        .iter()
        .filter(|score| score.points.is_none())
        .map(|score| score.indicator.weight)
        .sum();
    let total = Range {
        low: graded_total(known),
        high: graded_total(known + unknown),
    };
    let vetoes: Vec<VetoFinding<'r>> = rubric
        .vetoes
        .iter()
        .map(|veto| {
            let field = profile.get(&veto.metric);
            VetoFinding {
                veto,
                stated: field.and_then(|field| field.value.as_bool()),
                at: field.and_then(|field| field.at.clone()),
            }
        })
        .collect();
    let mut standing = standing(rubric, &scores, total, &vetoes);
    // The fields to fill, named as the user wrote them: a sheet's own header, a TOML key.
    if let Standing::Incomplete { missing, .. } = &mut standing {
        for path in missing.iter_mut() {
            if let Some(name) = profile.user_name(path) {
                *path = name;
            }
        }
    }
    let next_grade = next_grade(rubric, &scores, total, &standing);
    Evaluation {
        next_grade,
        rubric,
        source: profile.source.clone(),
        center: profile.name().map(str::to_string),
        cycle: center.cycle(),
        governance: governance::check(rubric, center),
        acceptance: acceptance(&center.targets, standing.title_given_up().is_some()),
        warnings: warnings(rubric, center),
        scores,
        total,
        standing,
        vetoes,
        error: None,
    }
}

fn standing<'r>(
    rubric: &'r Rubric,
    scores: &[Score<'r>],
    total: Range,
    vetoes: &[VetoFinding<'r>],
) -> Standing<'r> {
    let vetoed_by: Vec<&'r Veto> = vetoes
        .iter()
        .filter(|finding| finding.stated == Some(true))
        .map(|finding| finding.veto)
        .collect();
    let lowest = rubric.lowest_grade();
    if !vetoed_by.is_empty() {
        return Standing::Graded {
            grade: lowest,
            vetoed_by,
        };
    }
    let (best, worst) = (rubric.grade_for(total.high), rubric.grade_for(total.low));
    let unknown_vetoes: Vec<String> = vetoes
        .iter()
        .filter(|finding| finding.stated.is_none())
        .map(|finding| finding.veto.metric.clone())
        .collect();
    let from = rubric.grades.iter().position(|g| std::ptr::eq(g, best));
    let to = rubric.grades.iter().position(|g| std::ptr::eq(g, worst));
    let mut possible: Vec<&'r Grade> = match (from, to) {
        (Some(from), Some(to)) => rubric.grades[from..=to].iter().collect(),
        _ => vec![best, worst],
    };
    // An unstated veto could bring any grade down to 差, and to nothing in between.
    if !unknown_vetoes.is_empty() && !possible.iter().any(|g| std::ptr::eq(*g, lowest)) {
        possible.push(lowest);
    }
    if let [grade] = possible[..] {
        return Standing::Graded { grade, vetoed_by };
    }
    let mut missing: Vec<String> = scores
        .iter()
        .filter(|score| score.points.is_none())
        .map(|score| score.indicator.metric.clone())
        .collect();
    missing.extend(unknown_vetoes);
    Standing::Incomplete { possible, missing }
}

/// How far a graded, unvetoed center is from the next grade, and the cheapest ways there.
///
/// An indicator's cost is the share of its band (`full_at − zero_at`) the center would have to
/// climb: every band is the rubric's measure of a cycle's full achievement, so a share of it is
/// comparable across indicators of different units. Counts rise in whole numbers, so the points
/// of one more item may overshoot the gap; the route says what the whole number earns.
fn next_grade<'r>(
    rubric: &'r Rubric,
    scores: &[Score<'r>],
    total: Range,
    standing: &Standing<'r>,
) -> Option<NextGrade<'r>> {
    let Standing::Graded { grade, vetoed_by } = standing else {
        return None;
    };
    if !vetoed_by.is_empty() || !total.is_exact() {
        return None;
    }
    let index = rubric.grades.iter().position(|g| std::ptr::eq(g, *grade))?;
    let next = rubric.grades.get(index.checked_sub(1)?)?;
    let short_by = next.at_least? - total.low;
    if short_by <= Decimal::ZERO {
        return None;
    }
    // (route, share of the band climbed), per indicator with room left.
    let mut candidates: Vec<(Route<'r>, Decimal)> = Vec::new();
    for score in scores {
        let (Some(value), Some(points_now)) = (score.value, score.points) else {
            continue;
        };
        let indicator = score.indicator;
        let room = indicator.weight - points_now;
        if room <= Decimal::ZERO {
            continue;
        }
        let band = indicator.full_at - indicator.zero_at;
        let want = short_by.min(room);
        let to = value_for(indicator, value, want);
        let gained = points(indicator, to) - points_now;
        if gained <= Decimal::ZERO {
            continue;
        }
        let share = (to - value) / band;
        candidates.push((
            Route {
                indicator,
                from: value,
                to: to.normalize(),
                points: graded_total(gained),
            },
            share,
        ));
    }
    let closes = |route: &Route<'_>| route.points >= short_by;
    let mut alone: Vec<(Route<'r>, Decimal)> = candidates
        .iter()
        .filter(|(route, _)| closes(route))
        .cloned()
        .collect();
    alone.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then(b.0.indicator.weight.cmp(&a.0.indicator.weight))
    });
    if !alone.is_empty() {
        return Some(NextGrade {
            grade: next,
            short_by,
            routes: alone.into_iter().take(3).map(|(route, _)| route).collect(),
            combined: false,
        });
    }
    // No indicator closes it alone: climb the cheapest per point (the heaviest weight per
    // band) first, each to its full mark, until the points are there.
    let mut by_cost: Vec<&Score<'r>> = scores
        .iter()
        .filter(|score| score.points.is_some_and(|p| p < score.indicator.weight))
        .collect();
    by_cost.sort_by_key(|score| std::cmp::Reverse(score.indicator.weight));
    let mut routes = Vec::new();
    let mut still = short_by;
    for score in by_cost {
        let (Some(value), Some(points_now)) = (score.value, score.points) else {
            continue;
        };
        let indicator = score.indicator;
        let room = indicator.weight - points_now;
        let want = still.min(room);
        let to = value_for(indicator, value, want);
        let gained = points(indicator, to) - points_now;
        routes.push(Route {
            indicator,
            from: value,
            to: to.normalize(),
            points: graded_total(gained),
        });
        still -= gained;
        if still <= Decimal::ZERO {
            break;
        }
    }
    (still <= Decimal::ZERO).then_some(NextGrade {
        grade: next,
        short_by,
        routes,
        combined: true,
    })
}

/// The value at which an indicator earns `want` more points than at `value`: whole for a
/// count, never past the full mark. The quotient is rounded at the places totals are graded
/// at first, so that 0.26666…67 points of a band of 30 over 8 is one contract, not two.
fn value_for(indicator: &Indicator, value: Decimal, want: Decimal) -> Decimal {
    let band = indicator.full_at - indicator.zero_at;
    let start = value.max(indicator.zero_at);
    let mut to = (start + want * band / indicator.weight).round_dp(GRADED_PLACES - 2);
    to = if whole_numbers(&indicator.metric) {
        to.ceil()
    } else {
        // Money to the 百元 (0.01 万元), rounded up so that the points are reached.
        to.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero)
    };
    to.min(indicator.full_at).max(value)
}

/// Whether an indicator's field is a count, raised in whole numbers.
fn whole_numbers(metric: &str) -> bool {
    crate::profile::evaluation::EVALUATION
        .field(metric)
        .and_then(|field| field.quantity())
        .is_some_and(|quantity| quantity == crate::profile::value::Quantity::Count)
}

/// The acceptance estimated from the contract's targets (第二十三条); not estimated for a
/// center deemed to have given up its title (第二十六条第（三）项), which has none to pass.
fn acceptance(targets: &[Target], title_given_up: bool) -> Option<AcceptanceResult> {
    if targets.is_empty() {
        return None;
    }
    let met: Vec<Option<bool>> = targets.iter().map(target_met).collect();
    let outcome = if title_given_up {
        AcceptanceOutcome::NotAssessed
    } else if met.contains(&Some(false)) {
        AcceptanceOutcome::NotPassed
    } else if met.contains(&None) {
        AcceptanceOutcome::Incomplete
    } else {
        AcceptanceOutcome::Passed
    };
    Some(AcceptanceResult {
        outcome,
        targets: targets.to_vec(),
    })
}

fn warnings(rubric: &Rubric, center: &CenterProfile) -> Vec<Text> {
    let mut warnings = center.warnings.clone();
    if is_unfilled(center) {
        let command = center.profile.schema().template_command;
        warnings.push(Text::new(
            format!(
                "档案仍是 {command} 生成的模板，尚未填写：[indicators]、[conduct]、[governance] 和 [[target]] 中没有任何数据"
            ),
            format!(
                "the profile is still the template {command} writes, not filled in: \
                 [indicators], [conduct], [governance] and [[target]] state nothing"
            ),
        ));
    }
    // 23500000 for 周期研发投入 is 2350 亿元: a unit slip, judged as written, with a warning.
    crate::normalise::plausibility(&center.profile, &mut warnings);
    if let Some((from, to)) = center.cycle() {
        let years = i64::from(to) - i64::from(from) + 1;
        if years != i64::from(rubric.meta.cycle_years) && years > 0 {
            warnings.push(Text::new(
                format!(
                    "评估周期 {from}–{to} 为 {years} 年，{}规定绩效评估以 {} 年为 1 个周期",
                    rubric.meta.cycle_citation, rubric.meta.cycle_years
                ),
                format!(
                    "the cycle {from}–{to} spans {years} years; {} sets a cycle of {} years",
                    rubric.meta.cycle_citation, rubric.meta.cycle_years
                ),
            ));
        }
    }
    warnings
}

/// Whether a profile states no fact of the center's performance at all: nothing but `[center]`,
/// as `ticheck init --evaluation` writes it (SPEC §4: templates never pass).
pub fn is_unfilled(center: &CenterProfile) -> bool {
    let profile = &center.profile;
    center.targets.is_empty()
        && profile.items("target").is_empty()
        && profile
            .fields
            .iter()
            .all(|(path, _)| path.starts_with("center."))
}

/// The verdict words of governance checks are the checker's (SPEC §2).
pub(crate) fn verdict_of(stated: Option<bool>) -> Verdict {
    match stated {
        Some(true) => Verdict::Pass,
        Some(false) => Verdict::Fail,
        None => Verdict::Missing,
    }
}

/// The field a governance check or veto reads, as a number.
pub(crate) fn number(profile: &Profile, path: &str) -> Option<Decimal> {
    profile.get(path).and_then(|field| field.value.as_number())
}

#[cfg(test)]
mod tests;
