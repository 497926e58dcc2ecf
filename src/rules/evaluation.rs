//! The evaluation rubric: how a built center's 3-year performance is scored and graded
//! (第二十三条至第二十八条), as data. The measures publish no scoring rubric, so the built-in
//! one (`yunnan-2022-evaluation.toml`) is ticheck's default and says so; a bureau replaces it
//! with a file of its own (`ticheck evaluate --rubric PATH`).
//!
//! Loading checks what the law fixes and a variant may not change: the four grades of
//! 第二十六条 in order, weights summing to 100, every indicator, veto and governance check naming
//! a field of the evaluation profile of the right type.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;
use serde::Deserialize;

use super::RulebookError;
use crate::i18n::Text;
use crate::profile::evaluation::EVALUATION;
use crate::profile::fields::{FieldType, APPLICANT_KINDS};

const BUILTIN: &[(&str, &str)] = &[("yunnan-2022", include_str!("yunnan-2022-evaluation.toml"))];

pub const DEFAULT_RUBRIC: &str = "yunnan-2022";

/// The grades of 第二十六条, best first, as JSON names them (SPEC §6).
pub const GRADES: [(&str, &str); 4] = [
    ("excellent", "优"),
    ("good", "良"),
    ("fair", "中"),
    ("poor", "差"),
];

#[derive(Debug, Clone)]
pub struct Rubric {
    pub meta: RubricMeta,
    pub areas: Vec<Area>,
    pub indicators: Vec<Indicator>,
    pub grades: Vec<Grade>,
    pub vetoes: Vec<Veto>,
    pub governance: Vec<GovernanceCheck>,
    pub acceptance: Acceptance,
    pub origin: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricMeta {
    pub id: String,
    pub title: Text,
    pub document: String,
    /// ticheck's own rubric rather than one a bureau published: every output says so.
    pub default: bool,
    pub notice: Text,
    /// 第二十四条: the length of a cycle.
    pub cycle_years: u32,
    pub cycle_citation: String,
    pub law: String,
    pub citation: String,
}

/// One of 第二十五条's areas.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub title: Text,
}

/// A scored indicator: 0 points at or below `zero_at`, `weight` at or above `full_at`,
/// proportional between.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// 1-based, in the order of [`Rubric::areas`].
    pub area: usize,
    pub metric: String,
    pub weight: Decimal,
    pub zero_at: Decimal,
    pub full_at: Decimal,
    pub rationale: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub id: String,
    pub label: String,
    /// Inclusive lower bound on the total; the lowest grade has none.
    pub at_least: Option<Decimal>,
    pub citation: String,
    pub consequence: Text,
}

/// A fact that makes the grade 差 whatever the score.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Veto {
    pub id: String,
    pub metric: String,
    /// What the veto rests on: 第二十六条第（三）项 for skipping the evaluation, 第七条's
    /// 安全生产 duty for a safety incident, 第二十五条's 作风学风建设 area for misconduct.
    pub citation: String,
    /// Whose veto it is: the law's own, or the rubric's choice (SPEC §6).
    pub imposed_by: ImposedBy,
    pub title: Text,
    /// One sentence on what the veto rests on and whose choice it is, shown with it.
    pub basis: Text,
    /// What the law attaches beyond the grade (第二十六条第（三）项: giving up the title).
    pub consequence: Option<Text>,
    /// The center is deemed to give up its title (第二十六条第（三）项): it is told the veto's
    /// consequence alone, and no construction-period acceptance is estimated for it.
    #[serde(default)]
    pub gives_up_title: bool,
}

/// Who makes a fact a veto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImposedBy {
    /// The measures themselves (第二十六条第（三）项).
    Law,
    /// The rubric, on its own authority: the measures set no such veto.
    Rubric,
}

impl ImposedBy {
    /// The JSON word.
    pub fn word(self) -> &'static str {
        match self {
            ImposedBy::Law => "law",
            ImposedBy::Rubric => "rubric",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernanceCheck {
    pub id: String,
    pub citation: String,
    pub title: Text,
    pub law: String,
    pub rule: GovernanceRule,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GovernanceRule {
    /// A yes/no fact that must be true.
    Attestation { metric: String },
    /// A count of years that must cover every year of the cycle (annual reports, 第二十一条).
    EveryYear { metric: String },
    /// Matching funds delivered against the provincial funds, at a ratio by the lead builder's
    /// kind (第二十八条).
    Matching {
        metric: String,
        provincial: String,
        provincial_default: Decimal,
        lead_kind: String,
        ratio: BTreeMap<String, Decimal>,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub citation: String,
    pub law: String,
    /// What ticheck's result is: an estimate from the contract's targets (`按合同指标估计`).
    pub estimate: Text,
    /// Who decides: the expert panel (第二十三条).
    pub decided_by: Text,
    /// What the law attaches if the panel passes the center, said as conditional on it.
    pub passed: Text,
    pub not_passed: Text,
    /// Why nothing is estimated for a center deemed to have given up its title.
    pub not_assessed: Text,
    /// Units that compare as one in a contract target (项/件/个: SPEC §6); any other unit is
    /// compared only with itself.
    #[serde(default)]
    pub same_units: Vec<Vec<String>>,
}

impl Rubric {
    /// A built-in rubric by name, or a rubric file by path.
    pub fn load(name_or_path: &str) -> Result<Rubric, RulebookError> {
        let (origin, text) = super::read_named("evaluation rubric", BUILTIN, name_or_path)?;
        Rubric::parse(&origin, &text)
    }

    pub fn builtin() -> Rubric {
        Rubric::load(DEFAULT_RUBRIC).expect("the built-in rubric is valid (tested)")
    }

    pub fn parse(origin: &str, text: &str) -> Result<Rubric, RulebookError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            rubric: RubricMeta,
            area: Vec<Area>,
            indicator: Vec<Indicator>,
            grade: Vec<Grade>,
            #[serde(default)]
            veto: Vec<Veto>,
            #[serde(default)]
            governance: Vec<GovernanceCheck>,
            acceptance: Acceptance,
        }
        let file: File = ::toml::from_str(text).map_err(|error| {
            RulebookError::new(origin, error.to_string().trim_end().to_string())
        })?;
        let rubric = Rubric {
            meta: file.rubric,
            areas: file.area,
            indicators: file.indicator,
            grades: file.grade,
            vetoes: file.veto,
            governance: file.governance,
            acceptance: file.acceptance,
            origin: origin.to_string(),
        };
        let problems = rubric.problems();
        if problems.is_empty() {
            Ok(rubric)
        } else {
            Err(RulebookError {
                origin: origin.to_string(),
                problems,
            })
        }
    }

    /// The grade a total earns: the first whose lower bound it reaches.
    pub fn grade_for(&self, total: Decimal) -> &Grade {
        self.grades
            .iter()
            .find(|grade| grade.at_least.is_none_or(|bound| total >= bound))
            .unwrap_or_else(|| self.lowest_grade())
    }

    pub fn lowest_grade(&self) -> &Grade {
        self.grades.last().expect("validated: four grades")
    }

    pub fn total_weight(&self) -> Decimal {
        self.indicators
            .iter()
            .map(|indicator| indicator.weight)
            .sum()
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.meta.cycle_years == 0 {
            problems.push("rubric: cycle_years must be at least 1".to_string());
        }
        self.check_indicators(&mut problems);
        self.check_grades(&mut problems);
        let mut ids = HashSet::new();
        for veto in &self.vetoes {
            let context = format!("veto {}", veto.id);
            if !ids.insert(&veto.id) {
                problems.push(format!("{context}: the id is used twice"));
            }
            check_field(&context, &veto.metric, Wanted::Bool, &mut problems);
            if veto.gives_up_title && veto.consequence.is_none() {
                problems.push(format!(
                    "{context}: gives_up_title needs the consequence the law attaches"
                ));
            }
        }
        for check in &self.governance {
            let context = format!("governance {}", check.id);
            if !ids.insert(&check.id) {
                problems.push(format!("{context}: the id is used twice"));
            }
            match &check.rule {
                GovernanceRule::Attestation { metric } => {
                    check_field(&context, metric, Wanted::Bool, &mut problems)
                }
                GovernanceRule::EveryYear { metric } => {
                    check_field(&context, metric, Wanted::Number, &mut problems)
                }
                GovernanceRule::Matching {
                    metric,
                    provincial,
                    provincial_default,
                    lead_kind,
                    ratio,
                } => {
                    check_field(&context, metric, Wanted::Number, &mut problems);
                    check_field(&context, provincial, Wanted::Number, &mut problems);
                    check_field(&context, lead_kind, Wanted::Choice, &mut problems);
                    if provincial_default.is_sign_negative() {
                        problems.push(format!("{context}: provincial_default is negative"));
                    }
                    for choice in APPLICANT_KINDS {
                        match ratio.get(choice.id) {
                            Some(value) if *value > Decimal::ONE_HUNDRED => problems.push(format!(
                                "{context}: the ratio for {} is above 100:1",
                                choice.id
                            )),
                            Some(value) if value.is_sign_negative() => problems.push(format!(
                                "{context}: the ratio for {} is negative",
                                choice.id
                            )),
                            Some(_) => {}
                            None => problems.push(format!(
                                "{context}: ratio gives nothing for the kind {}",
                                choice.id
                            )),
                        }
                    }
                    for kind in ratio.keys() {
                        if !APPLICANT_KINDS.iter().any(|choice| choice.id == kind) {
                            problems
                                .push(format!("{context}: ratio names an unknown kind '{kind}'"));
                        }
                    }
                }
            }
        }
        problems
    }

    fn check_indicators(&self, problems: &mut Vec<String>) {
        if self.indicators.is_empty() {
            problems.push("rubric: no [[indicator]]".to_string());
        }
        let mut metrics = HashSet::new();
        for indicator in &self.indicators {
            let context = format!("indicator {}", indicator.metric);
            if !metrics.insert(&indicator.metric) {
                problems.push(format!("{context}: scored twice"));
            }
            if indicator.area == 0 || indicator.area > self.areas.len() {
                problems.push(format!(
                    "{context}: area {} is not one of the {} [[area]] entries",
                    indicator.area,
                    self.areas.len()
                ));
            }
            check_field(&context, &indicator.metric, Wanted::Number, problems);
            if indicator.weight <= Decimal::ZERO {
                problems.push(format!("{context}: weight must be above 0"));
            }
            // Bands past a thousand billion are no count or amount a center states, and keep the
            // scoring arithmetic far from the decimal's limits.
            let limit = Decimal::from(1_000_000_000_000_000_i64);
            if indicator.zero_at.abs() > limit || indicator.full_at.abs() > limit {
                problems.push(format!(
                    "{context}: zero_at and full_at must lie within ±{limit}"
                ));
            }
            if indicator.full_at <= indicator.zero_at {
                problems.push(format!(
                    "{context}: full_at ({}) must be above zero_at ({})",
                    indicator.full_at, indicator.zero_at
                ));
            }
        }
        for (number, area) in self.areas.iter().enumerate() {
            if !self.indicators.iter().any(|i| i.area == number + 1) {
                problems.push(format!(
                    "area {} ({}): no indicator scores it",
                    number + 1,
                    area.title.zh
                ));
            }
        }
        let total = self.total_weight();
        if total != Decimal::ONE_HUNDRED {
            problems.push(format!("rubric: the weights sum to {total}, not 100"));
        }
    }

    fn check_grades(&self, problems: &mut Vec<String>) {
        let named: Vec<(&str, &str)> = self
            .grades
            .iter()
            .map(|grade| (grade.id.as_str(), grade.label.as_str()))
            .collect();
        if named != GRADES {
            problems.push(format!(
                "rubric: the grades must be 第二十六条's four, best first: {}",
                GRADES
                    .iter()
                    .map(|(id, label)| format!("{id} ({label})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return;
        }
        let (lowest, higher) = self.grades.split_last().expect("four grades");
        if lowest.at_least.is_some() {
            problems.push(format!(
                "grade {}: the lowest grade takes every lower total and has no at_least",
                lowest.id
            ));
        }
        let mut previous: Option<Decimal> = None;
        for grade in higher {
            match grade.at_least {
                None => problems.push(format!("grade {}: at_least is required", grade.id)),
                Some(bound) => {
                    if previous.is_some_and(|previous| bound >= previous) {
                        problems.push(format!(
                            "grade {}: at_least ({bound}) must be below the grade above",
                            grade.id
                        ));
                    }
                    previous = Some(bound);
                }
            }
        }
    }
}

enum Wanted {
    Bool,
    Number,
    Choice,
}

fn check_field(context: &str, metric: &str, wanted: Wanted, problems: &mut Vec<String>) {
    let Some(field) = EVALUATION.field(metric) else {
        problems.push(format!(
            "{context}: '{metric}' is not a field of the evaluation profile"
        ));
        return;
    };
    let fits = matches!(
        (&wanted, field.ty),
        (Wanted::Bool, FieldType::Bool)
            | (Wanted::Number, FieldType::Number(_))
            | (Wanted::Choice, FieldType::Choice(_))
    );
    if !fits {
        let kind = match wanted {
            Wanted::Bool => "a yes/no field",
            Wanted::Number => "a number field",
            Wanted::Choice => "a choice field",
        };
        problems.push(format!("{context}: '{metric}' is not {kind}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const BUILTIN_TEXT: &str = include_str!("yunnan-2022-evaluation.toml");

    fn variant(from: &str, to: &str) -> Result<Rubric, RulebookError> {
        assert!(BUILTIN_TEXT.contains(from), "{from}");
        Rubric::parse("variant.toml", &BUILTIN_TEXT.replacen(from, to, 1))
    }

    #[test]
    fn the_builtin_rubric_loads_and_weighs_100() {
        let rubric = Rubric::builtin();
        assert!(rubric.meta.default);
        assert_eq!(rubric.areas.len(), 6, "第二十五条 names six areas");
        assert_eq!(rubric.total_weight(), dec!(100));
        assert_eq!(rubric.meta.cycle_years, 3, "第二十四条");
    }

    #[test]
    fn grade_cut_offs_are_inclusive_lower_bounds() {
        let rubric = Rubric::builtin();
        let grade = |total| rubric.grade_for(total).id.as_str();
        assert_eq!(grade(dec!(100)), "excellent");
        assert_eq!(grade(dec!(90)), "excellent");
        assert_eq!(grade(dec!(89.99)), "good");
        assert_eq!(grade(dec!(70)), "good");
        assert_eq!(grade(dec!(69.999)), "fair");
        assert_eq!(grade(dec!(60)), "fair");
        assert_eq!(grade(dec!(59.9999)), "poor");
        assert_eq!(grade(dec!(0)), "poor");
    }

    #[test]
    fn weights_not_summing_to_100_are_refused() {
        let error = variant("weight = \"12\"", "weight = \"13\"").unwrap_err();
        assert!(
            error.problems.iter().any(|p| p.contains("sum to 101")),
            "{error}"
        );
    }

    #[test]
    fn a_band_too_wide_to_score_safely_is_refused() {
        let error = variant(
            "full_at = \"2\"",
            "full_at = \"70000000000000000000000000000\"",
        )
        .unwrap_err();
        assert!(
            error.problems.iter().any(|p| p.contains("within ±")),
            "{error}"
        );
    }

    #[test]
    fn a_band_without_width_is_refused() {
        let error = variant("full_at = \"2\"", "full_at = \"0\"").unwrap_err();
        assert!(
            error.problems.iter().any(|p| p.contains("full_at (0)")),
            "{error}"
        );
    }

    #[test]
    fn grades_must_be_the_four_of_article_26_in_order() {
        let error = variant("id = \"good\"", "id = \"very_good\"").unwrap_err();
        assert!(error.problems[0].contains("第二十六条"), "{error}");
        let error = variant("at_least = \"70\"", "at_least = \"95\"").unwrap_err();
        assert!(error.problems[0].contains("grade good"), "{error}");
    }

    #[test]
    fn unknown_and_mistyped_fields_are_refused() {
        let error = variant(
            "metric = \"indicators.invention_patents\"",
            "metric = \"indicators.patents\"",
        )
        .unwrap_err();
        assert!(error
            .problems
            .iter()
            .any(|p| p.contains("indicators.patents")));
        let error = variant(
            "metric = \"conduct.research_misconduct\"",
            "metric = \"indicators.rnd_spend\"",
        )
        .unwrap_err();
        assert!(
            error
                .problems
                .iter()
                .any(|p| p.contains("not a yes/no field")),
            "{error}"
        );
    }

    /// SPEC §6: each veto names what it rests on, and the first two are the rubric's choice.
    #[test]
    fn vetoes_cite_what_they_rest_on_and_whose_choice_they_are() {
        let rubric = Rubric::builtin();
        let vetoes: Vec<(&str, &str, ImposedBy, bool)> = rubric
            .vetoes
            .iter()
            .map(|veto| {
                (
                    veto.id.as_str(),
                    veto.citation.as_str(),
                    veto.imposed_by,
                    veto.gives_up_title,
                )
            })
            .collect();
        assert_eq!(
            vetoes,
            [
                (
                    "misconduct",
                    "第二十五条（作风学风建设）",
                    ImposedBy::Rubric,
                    false
                ),
                (
                    "safety",
                    "第七条（安全生产主体责任）",
                    ImposedBy::Rubric,
                    false
                ),
                ("skipped", "第二十六条第（三）项", ImposedBy::Law, true),
            ]
        );
        for veto in &rubric.vetoes[..2] {
            assert!(veto.basis.zh.contains("默认评分细则的选择"), "{}", veto.id);
            assert!(veto.basis.en.contains("not the law's"), "{}", veto.id);
        }
    }

    #[test]
    fn giving_up_the_title_needs_the_laws_consequence() {
        let start = BUILTIN_TEXT
            .find("consequence = { zh = \"按要求应参加评估")
            .unwrap();
        let end = start + BUILTIN_TEXT[start..].find('\n').unwrap() + 1;
        let text = format!("{}{}", &BUILTIN_TEXT[..start], &BUILTIN_TEXT[end..]);
        let error = Rubric::parse("variant.toml", &text).unwrap_err();
        assert!(
            error
                .problems
                .iter()
                .any(|p| p.contains("veto skipped: gives_up_title")),
            "{error}"
        );
        let error = variant("imposed_by = \"law\"", "imposed_by = \"statute\"").unwrap_err();
        assert!(error.to_string().contains("statute"), "{error}");
    }
}
