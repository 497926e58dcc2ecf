//! Reports of `ticheck evaluate`: one writer per format, over the same [`Evaluation`]s.

pub mod annotations;
pub mod csv;
pub mod json;
pub mod markdown;
pub mod table;
pub mod xlsx;

use rust_decimal::Decimal;

use crate::evaluation::{AcceptanceOutcome, Evaluation, NextGrade, Route, Standing};
use crate::i18n::Lang;
use crate::profile::evaluation::{Target, EVALUATION};
use crate::profile::value::plain;
use crate::rules::evaluation::{Acceptance, Grade, Indicator, GRADES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvaluationFormat {
    Table,
    Json,
    Csv,
    Markdown,
    Sarif,
    Junit,
    Github,
}

/// The cells every one-row-per-center format shows (CSV, the workbook's summary sheet, the
/// round's table and Markdown), in the output language.
#[derive(Debug, Clone, Default)]
pub struct SummaryCells {
    pub cycle: String,
    /// `≈78.7`, or `60.4 – 72.4` while data is missing; empty for an invalid profile.
    pub score: String,
    pub grade: String,
    pub consequence: String,
    pub vetoed_by: String,
    /// The estimate, said as one (第二十三条), or why there is none.
    pub acceptance: String,
    /// Missed or undecided targets: `授权发明专利：目标 ≥ 10件 / 完成 8件`.
    pub shortfalls: String,
    pub next_grade: String,
    pub governance: String,
    pub missing: String,
    pub warnings: String,
    pub error: String,
}

impl SummaryCells {
    pub fn of(evaluation: &Evaluation<'_>, lang: Lang) -> SummaryCells {
        let sep = lang.pick("；", "; ");
        let mut cells = SummaryCells {
            warnings: evaluation
                .warnings
                .iter()
                .map(|w| w.get(lang))
                .collect::<Vec<_>>()
                .join(sep),
            ..SummaryCells::default()
        };
        if let Some(error) = &evaluation.error {
            cells.grade = lang.pick("档案无效，未评估", "invalid profile").to_string();
            cells.error = error.render(lang);
            return cells;
        }
        cells.cycle = evaluation
            .cycle
            .map(|(from, to)| format!("{from}–{to}"))
            .unwrap_or_default();
        let total = evaluation.total;
        cells.score = if total.is_exact() {
            points_text(total.low)
        } else {
            format!("{} – {}", points_text(total.low), points_text(total.high))
        };
        match &evaluation.standing {
            Standing::Graded { grade, vetoed_by } => {
                cells.grade = grade_label(grade, lang);
                cells.vetoed_by = vetoed_by
                    .iter()
                    .map(|veto| cited(veto.title.get(lang), &veto.citation, lang))
                    .collect::<Vec<_>>()
                    .join(sep);
                if let Some((citation, text)) = evaluation.standing.consequence() {
                    cells.consequence = cited(text.get(lang), citation, lang);
                }
            }
            Standing::Incomplete { possible, missing } => {
                let grades: Vec<String> = possible.iter().map(|g| grade_label(g, lang)).collect();
                cells.grade = format!(
                    "{}{}",
                    lang.pick("无法判定，可能为 ", "undetermined, one of "),
                    grades.join(lang.pick("、", ", "))
                );
                cells.missing = missing.join(lang.pick("、", ", "));
            }
            Standing::Error => {}
        }
        if let Some(next) = &evaluation.next_grade {
            cells.next_grade = next_grade_text(next, lang);
        }
        cells.governance = evaluation
            .governance
            .iter()
            .filter(|finding| finding.verdict != crate::engine::Verdict::Pass)
            .map(|finding| {
                format!(
                    "{} {}：{}",
                    finding.check.citation,
                    finding.check.title.get(lang),
                    crate::report::verdict_label(finding.verdict, lang)
                )
            })
            .collect::<Vec<_>>()
            .join(sep);
        cells.acceptance = match &evaluation.acceptance {
            None => lang
                .pick("未列合同指标，不作估计", "no contract targets listed")
                .to_string(),
            Some(acceptance) if acceptance.outcome == AcceptanceOutcome::NotAssessed => {
                not_assessed_reason(evaluation, lang)
            }
            Some(acceptance) => {
                let terms = &evaluation.rubric.acceptance;
                cells.shortfalls = acceptance
                    .targets
                    .iter()
                    .filter(|target| target.met() != Some(true))
                    .map(|target| target_line(target, lang))
                    .collect::<Vec<_>>()
                    .join(sep);
                format!(
                    "{}{}{}",
                    terms.estimate.get(lang),
                    lang.pick("：", ": "),
                    acceptance.outcome.label(lang)
                )
            }
        };
        cells
    }
}

/// `授权发明专利：目标 ≥ 10件 / 完成 8件`.
pub fn target_line(target: &Target, lang: Lang) -> String {
    let achieved = target
        .achieved_text()
        .unwrap_or_else(|| lang.pick("未填写", "not given").to_string());
    format!(
        "{}{}{} {} / {} {achieved}",
        target.name,
        lang.pick("：", ": "),
        lang.pick("目标", "target"),
        target.required_text(),
        lang.pick("完成", "achieved"),
    )
}

/// The indicators that lost points, for the evaluation page: `授权发明专利 12：9.6 / 12`, the
/// biggest loss first; an indicator not stated lost nothing yet (it is missing data).
pub fn lost_points(evaluation: &Evaluation<'_>, lang: Lang) -> Vec<String> {
    let mut lost: Vec<_> = evaluation
        .scores
        .iter()
        .filter_map(|score| {
            let (value, points) = (score.value?, score.points?);
            let indicator = score.indicator;
            (points < indicator.weight).then(|| {
                let line = format!(
                    "{} {}{}{} / {}",
                    indicator_label(&indicator.metric, lang),
                    indicator_value(&indicator.metric, value),
                    lang.pick("：", ": "),
                    points_text(points),
                    plain(indicator.weight)
                );
                (indicator.weight - points, line)
            })
        })
        .collect();
    lost.sort_by_key(|(short, _)| std::cmp::Reverse(*short));
    lost.into_iter().map(|(_, line)| line).collect()
}

/// The indicators that cost the round the most points: for each, the points lost over the
/// centers whose value is stated (weight − points), and on how many centers. Most lost first.
pub fn costliest<'r>(evaluations: &[Evaluation<'r>]) -> Vec<(&'r Indicator, Decimal, usize)> {
    let mut lost: Vec<(&'r Indicator, Decimal, usize)> = Vec::new();
    for evaluation in evaluations {
        for score in &evaluation.scores {
            let Some(points) = score.points else { continue };
            let short = score.indicator.weight - points;
            if short <= Decimal::ZERO {
                continue;
            }
            match lost
                .iter_mut()
                .find(|(indicator, _, _)| indicator.metric == score.indicator.metric)
            {
                Some(entry) => {
                    entry.1 += short;
                    entry.2 += 1;
                }
                None => lost.push((score.indicator, short, 1)),
            }
        }
    }
    lost.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    lost
}

/// One line of the round's costliest indicators: `授权发明专利：共失 7.2 分（3 个中心）`.
pub fn costliest_line(indicator: &Indicator, lost: Decimal, centers: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}：共失 {} 分（{centers} 个中心，权重 {}）",
            indicator_label(&indicator.metric, lang),
            points_text(lost),
            plain(indicator.weight)
        ),
        Lang::En => format!(
            "{}: {} points lost ({centers} centers, weight {})",
            indicator_label(&indicator.metric, lang),
            points_text(lost),
            plain(indicator.weight)
        ),
    }
}

/// How many centers earned each grade, could not be graded, or could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GradeSummary {
    /// Per grade, in [`GRADES`] order.
    pub graded: [usize; 4],
    pub incomplete: usize,
    pub error: usize,
}

impl GradeSummary {
    /// `优 2`, `良 1`… (`excellent 2`… in English), in [`GRADES`] order.
    pub fn grade_counts(&self, lang: Lang) -> Vec<String> {
        GRADES
            .iter()
            .zip(self.graded)
            .map(|((id, label), count)| match lang {
                Lang::Zh => format!("{label} {count}"),
                Lang::En => format!("{id} {count}"),
            })
            .collect()
    }

    pub fn of(evaluations: &[Evaluation<'_>]) -> GradeSummary {
        let mut summary = GradeSummary::default();
        for evaluation in evaluations {
            match &evaluation.standing {
                Standing::Graded { grade, .. } => {
                    if let Some(index) = GRADES.iter().position(|(id, _)| *id == grade.id) {
                        summary.graded[index] += 1;
                    }
                }
                Standing::Incomplete { .. } => summary.incomplete += 1,
                Standing::Error => summary.error += 1,
            }
        }
        summary
    }
}

/// Points cut (never rounded up) to two places: 89.99998 shows as 89.99, so a shown total
/// never reaches a cut-off the grade did not.
fn two_places(points: Decimal) -> Decimal {
    points
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
        .normalize()
}

/// Points as a person reads them: exact when short (`87.5`), else cut to two places
/// (`≈ 62.66`). Grades are decided on the exact value, never on this.
pub fn points_text(points: Decimal) -> String {
    let normal = points.normalize();
    if normal.scale() <= 2 {
        plain(normal)
    } else {
        format!("≈{}", plain(two_places(normal)))
    }
}

/// Points lacking, as a person reads them: exact when short, else rounded *up* to two places
/// (`≈ 11.30`), so that earning the shown points always reaches the grade.
pub fn lacking_text(points: Decimal) -> String {
    let normal = points.normalize();
    if normal.scale() <= 2 {
        plain(normal)
    } else {
        format!("≈{}", plain(lacking_json(normal)))
    }
}

/// Points lacking for JSON: rounded up to two places.
pub fn lacking_json(points: Decimal) -> Decimal {
    points
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero)
        .normalize()
}

/// Points for JSON, cut to two places, as a string like every number of the JSON core.
pub fn points_json(points: Decimal) -> String {
    plain(two_places(points))
}

/// `优（excellent）` / `excellent (优)`.
pub fn grade_label(grade: &Grade, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}（{}）", grade.label, grade.id),
        Lang::En => format!("{} ({})", grade.id, grade.label),
    }
}

/// `text（第二十三条）` / `text (第二十三条)`.
pub fn cited(text: &str, citation: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{text}（{citation}）"),
        Lang::En => format!("{text} ({citation})"),
    }
}

/// What the acceptance result is (第二十三条): `按合同指标估计；考核评估结论由…专家作出（第二十三条）`.
pub fn acceptance_basis(terms: &Acceptance, lang: Lang) -> String {
    let separator = lang.pick("；", "; ");
    cited(
        &format!(
            "{}{separator}{}",
            terms.estimate.get(lang),
            terms.decided_by.get(lang)
        ),
        &terms.citation,
        lang,
    )
}

/// Why no acceptance is estimated: the veto by which the center gave up its title, cited.
pub fn not_assessed_reason(evaluation: &Evaluation<'_>, lang: Lang) -> String {
    let text = evaluation.rubric.acceptance.not_assessed.get(lang);
    match evaluation.standing.title_given_up() {
        Some(veto) => cited(text, &veto.citation, lang),
        None => text.to_string(),
    }
}

/// An indicator's label (`授权发明专利`), or its path when the profile has no such field.
pub fn indicator_label(metric: &str, lang: Lang) -> String {
    EVALUATION
        .field(metric)
        .map_or_else(|| metric.to_string(), |field| field.label(lang).to_string())
}

/// A value of an indicator with its unit (`3600 万元`, `12`).
pub fn indicator_value(metric: &str, value: Decimal) -> String {
    match EVALUATION.field(metric).and_then(|field| field.quantity()) {
        Some(quantity) => quantity.display_with_unit(value),
        None => plain(value),
    }
}

/// One route to the next grade: `授权发明专利 12 → 14（+2，得 1.6 分）`.
pub fn route_text(route: &Route<'_>, lang: Lang) -> String {
    let metric = &route.indicator.metric;
    let increase = indicator_value(metric, route.increase());
    match lang {
        Lang::Zh => format!(
            "{} {} → {}（+{increase}，得 {} 分）",
            indicator_label(metric, lang),
            plain(route.from),
            indicator_value(metric, route.to),
            points_text(route.points)
        ),
        Lang::En => format!(
            "{} {} → {} (+{increase}, {} points)",
            indicator_label(metric, lang),
            plain(route.from),
            indicator_value(metric, route.to),
            points_text(route.points)
        ),
    }
}

/// Points to the next grade, in one sentence: how many are lacking and the cheapest ways to
/// earn them, from the rubric's bands.
pub fn next_grade_text(next: &NextGrade<'_>, lang: Lang) -> String {
    let routes: Vec<String> = next.routes.iter().map(|r| route_text(r, lang)).collect();
    let bound = next.grade.at_least.map(plain).unwrap_or_default();
    match (lang, next.combined) {
        (Lang::Zh, false) => format!(
            "距“{}”（≥ {bound} 分）还差 {} 分；最省的途径（按评分区间，任选其一）：{}",
            next.grade.label,
            lacking_text(next.short_by),
            routes.join("；或 ")
        ),
        (Lang::Zh, true) => format!(
            "距“{}”（≥ {bound} 分）还差 {} 分；没有一项指标单独补得足，最省的组合（按评分区间）：{}",
            next.grade.label,
            lacking_text(next.short_by),
            routes.join(" ＋ ")
        ),
        (Lang::En, false) => format!(
            "{} points short of {} (≥ {bound}); cheapest ways (from the bands, any one): {}",
            lacking_text(next.short_by),
            grade_label(next.grade, lang),
            routes.join("; or ")
        ),
        (Lang::En, true) => format!(
            "{} points short of {} (≥ {bound}); no single indicator can close it, cheapest \
             combination (from the bands): {}",
            lacking_text(next.short_by),
            grade_label(next.grade, lang),
            routes.join(" + ")
        ),
    }
}

/// `第二十五条第（三）项` style area numbers: (一) … (六).
pub fn area_number(area: usize) -> String {
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match NUMERALS.get(area.wrapping_sub(1)) {
        Some(numeral) => format!("（{numeral}）"),
        None => format!("({area})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn points_are_shown_exactly_when_short_and_rounded_otherwise() {
        assert_eq!(points_text(dec!(87.50)), "87.5");
        assert_eq!(points_text(dec!(100)), "100");
        assert_eq!(points_text(dec!(8) / dec!(3)), "≈2.66");
        assert_eq!(points_json(dec!(8) / dec!(3)), "2.66");
        assert_eq!(
            points_json(dec!(89.99998)),
            "89.99",
            "never rounded up to a cut-off"
        );
        assert_eq!(points_json(dec!(60.40)), "60.4");
    }

    #[test]
    fn areas_are_numbered_as_the_law_numbers_them() {
        assert_eq!(area_number(1), "（一）");
        assert_eq!(area_number(6), "（六）");
        assert_eq!(area_number(11), "(11)");
    }

    #[test]
    fn lost_points_name_the_indicators_below_their_weight_biggest_loss_first() {
        let rubric = crate::rules::evaluation::Rubric::builtin();
        let text = include_str!("../../../fixtures/evaluation/good-center.toml");
        let center = crate::profile::evaluation::load("good-center.toml", text).unwrap();
        let evaluation = crate::evaluation::evaluate(&rubric, &center);
        let lost = lost_points(&evaluation, Lang::Zh);
        // 6 of 12 lost on national tasks, the most; provincial tasks (8 of 8) lost nothing.
        assert_eq!(lost[0], "承担国家重大科技任务 1：6 / 12");
        assert!(
            lost.contains(&"授权发明专利 12：9.6 / 12".to_string()),
            "{lost:?}"
        );
        assert!(!lost
            .iter()
            .any(|line| line.starts_with("承担省重大科技任务")));
        assert_eq!(lost.len(), 8);
    }
}
