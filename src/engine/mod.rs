//! Evaluate: each clause of the rulebook over an applicant's facts, one finding per clause.
//!
//! The engine knows generic rule kinds (threshold, any-of, all-of, every-year, attestation,
//! expert review, registration, one-of); the numbers, windows and wording come from the
//! rulebook. Findings carry both the machine form (`actual`, `required` as in SPEC §5) and the
//! human form in both languages.

mod describe;
mod registration;

use crate::i18n::Text;
use crate::normalise::{Fact, FactValue, Facts};
use crate::profile::{InvalidProfile, Location};
use crate::rules::{Bound, Clause, Condition, Rule, Rulebook, Severity};

pub use describe::{clause_requirement, condition_shown, Shown};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    Pass,
    Fail,
    Missing,
    Review,
    NotApplicable,
}

impl Verdict {
    /// The contract's verdict word (SPEC §2).
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Missing => "missing",
            Verdict::Review => "review",
            Verdict::NotApplicable => "n/a",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Pass => "符合",
            Verdict::Fail => "不符合",
            Verdict::Missing => "缺数据",
            Verdict::Review => "专家评审",
            Verdict::NotApplicable => "不适用",
        }
    }
}

/// The overall verdict of an applicant (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Overall {
    Eligible,
    Ineligible,
    Incomplete,
    Error,
}

impl Overall {
    pub fn word(self) -> &'static str {
        match self {
            Overall::Eligible => "eligible",
            Overall::Ineligible => "ineligible",
            Overall::Incomplete => "incomplete",
            Overall::Error => "error",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Overall::Eligible => "符合申报条件",
            Overall::Ineligible => "不符合申报条件",
            Overall::Incomplete => "材料不全，无法判定",
            Overall::Error => "档案无法读取",
        }
    }
}

/// What a finding judged, kept as values; turned into words only when a report asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed<'r> {
    /// Nothing to show (expert review, not applicable, nothing stated).
    Nothing,
    /// One metric's value.
    One(&'r str, FactValue),
    /// The metrics of an any-of / all-of clause, in the clause's order.
    Several(Vec<(&'r str, FactValue)>),
    /// A unified social credit code (第十条第（一）项).
    Uscc(String),
}

/// A remark attached to a finding, rendered in the report's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The value is the applicant's own declaration (SPEC §2).
    SelfDeclared,
    /// The clause's reading where the law is silent (`interpretation` in the rulebook).
    Interpretation,
    /// What evidence to prepare for the expert panel (`evidence` in the rulebook).
    Evidence,
    /// The code was issued by a national authority: the location needs a manual check.
    NationalRegistration(String),
    /// How a fact was established (counted from items, derived from amounts …).
    Fact(Text),
}

/// The judgement of one clause for one applicant.
#[derive(Debug, Clone)]
pub struct Finding<'r> {
    pub rulebook: &'r Rulebook,
    pub clause: &'r Clause,
    pub verdict: Verdict,
    /// What was judged.
    pub observed: Observed<'r>,
    /// Fields to fill when the verdict is `missing` (or to make a partial count complete).
    pub missing: Vec<String>,
    /// Where the judged fact was written.
    pub at: Option<Location>,
    /// Remarks particular to this applicant; those that follow from the clause alone (its
    /// interpretation, the evidence for review) are added by [`Finding::note_texts`].
    pub notes: Vec<Note>,
    /// The judged value is the applicant's own declaration (SPEC §2).
    pub self_declared: bool,
    /// Whether the clause's own notes go with the finding: not when the clause was not judged
    /// (it does not apply to the applicant's kind, or the kind is not given).
    pub clause_notes: bool,
    /// The applicant kind, which some bounds depend on (Art. 28).
    pub kind: Option<&'static str>,
}

impl Finding<'_> {
    pub fn severity(&self) -> Severity {
        self.clause.severity
    }

    /// What the applicant has, in machine and human form; `None` when nothing is known.
    pub fn actual(&self) -> Option<Shown> {
        let mut shown = describe::observed(self.rulebook, &self.observed)?;
        if self.self_declared {
            shown.human.zh.push_str("（自行声明）");
            shown.human.en.push_str(" (self-declared)");
        }
        Some(shown)
    }

    /// What the law requires of this applicant.
    pub fn required(&self) -> Shown {
        describe::required(self.rulebook, self.clause, self.kind, &self.observed)
    }

    /// The notes in words: this applicant's, then the self-declaration, the evidence to
    /// prepare for review and the clause's interpretation.
    pub fn note_texts(&self) -> Vec<Text> {
        let rule = &self.clause.rule;
        let from_clause = [
            self.self_declared.then_some(&Note::SelfDeclared),
            (self.clause_notes && matches!(rule, Rule::Review { .. })).then_some(&Note::Evidence),
            (self.clause_notes && self.clause.interpretation.is_some())
                .then_some(&Note::Interpretation),
        ];
        self.notes
            .iter()
            .chain(from_clause.into_iter().flatten())
            .map(|note| describe::note(self.clause, note))
            .collect()
    }
}

/// Everything said about one applicant.
#[derive(Debug, Clone)]
pub struct Assessment<'r> {
    /// `a.toml`, `batch.csv:3`.
    pub source: String,
    pub applicant: Option<String>,
    pub verdict: Overall,
    pub findings: Vec<Finding<'r>>,
    pub warnings: Vec<Text>,
    pub error: Option<InvalidProfile>,
}

impl<'r> Assessment<'r> {
    pub fn invalid(error: InvalidProfile) -> Assessment<'r> {
        Assessment {
            source: error.source.clone(),
            applicant: error.applicant.clone(),
            verdict: Overall::Error,
            findings: Vec::new(),
            warnings: Vec::new(),
            error: Some(error),
        }
    }
}

/// The overall verdict from findings: a failed condition makes the applicant ineligible; a
/// missing one leaves it incomplete; advisory and info clauses never decide.
pub fn overall(findings: &[Finding<'_>]) -> Overall {
    let conditions = findings
        .iter()
        .filter(|f| f.severity() == Severity::Condition);
    let mut verdict = Overall::Eligible;
    for finding in conditions {
        match finding.verdict {
            Verdict::Fail => return Overall::Ineligible,
            Verdict::Missing => verdict = Overall::Incomplete,
            _ => {}
        }
    }
    verdict
}

/// Judges every clause of the rulebook.
pub fn evaluate<'r>(
    rulebook: &'r Rulebook,
    facts: Facts,
    source: &str,
    applicant: Option<String>,
) -> Assessment<'r> {
    let findings: Vec<Finding<'r>> = rulebook
        .clauses
        .iter()
        .map(|clause| judge(rulebook, clause, &facts))
        .collect();
    Assessment {
        source: source.to_string(),
        applicant,
        verdict: overall(&findings),
        findings,
        warnings: facts.warnings,
        error: None,
    }
}

/// The outcome of one condition before it becomes a finding.
struct Outcome {
    verdict: Verdict,
    missing: Vec<String>,
}

impl Outcome {
    fn of(verdict: Verdict) -> Outcome {
        Outcome {
            verdict,
            missing: Vec::new(),
        }
    }
}

// Inlined into `evaluate`, so that each finding is built in its place in the vector rather than
// copied there: a sheet builds 24 of them a row.
#[inline(always)]
pub fn judge<'r>(rulebook: &'r Rulebook, clause: &'r Clause, facts: &Facts<'_>) -> Finding<'r> {
    let mut finding = Finding {
        rulebook,
        clause,
        verdict: Verdict::NotApplicable,
        observed: Observed::Nothing,
        missing: Vec::new(),
        at: None,
        notes: Vec::new(),
        self_declared: false,
        clause_notes: false,
        kind: facts.kind,
    };
    // Whether the clause applies depends on the applicant kind (第十条第（二）项 distinguishes
    // enterprises from universities, institutes and technology organisations).
    match facts.kind {
        Some(kind) if !clause.applies_to_kind(kind) => return finding,
        None if clause.applies_to.is_some() => {
            finding.verdict = Verdict::Missing;
            finding.missing = vec!["applicant.kind".to_string()];
            return finding;
        }
        _ => {}
    }
    finding.clause_notes = true;
    match &clause.rule {
        Rule::Threshold(condition) => {
            let fact = facts.fact(&condition.metric);
            let outcome = compare(condition, &fact, facts.kind);
            finding.apply(outcome, &condition.metric, &fact);
        }
        Rule::EveryYear(condition) => {
            let fact = facts.fact(&condition.metric);
            let outcome = every_year(condition, &fact, facts.kind);
            finding.apply(outcome, &condition.metric, &fact);
        }
        Rule::AnyOf { conditions } | Rule::AllOf { conditions } => {
            let any = matches!(clause.rule, Rule::AnyOf { .. });
            let mut verdicts = Vec::with_capacity(conditions.len());
            let mut observed = Vec::with_capacity(conditions.len());
            let mut missing = Vec::new();
            for condition in conditions {
                let fact = facts.fact(&condition.metric);
                let outcome = compare(condition, &fact, facts.kind);
                verdicts.push(outcome.verdict);
                missing.extend(outcome.missing);
                finding.at = finding.at.take().or_else(|| fact.at.clone());
                finding
                    .notes
                    .extend(fact.notes.iter().cloned().map(Note::Fact));
                observed.push((condition.metric.as_str(), fact.value.clone()));
            }
            finding.verdict = combine(&verdicts, any);
            if finding.verdict == Verdict::Missing {
                // Conditions over the same items name the same fields: list each once.
                let mut seen = std::collections::HashSet::new();
                missing.retain(|field| seen.insert(field.clone()));
                finding.missing = missing;
                finding.at = None;
            }
            finding.observed = Observed::Several(observed);
        }
        Rule::Attestation { metric } => {
            let fact = facts.fact(metric);
            let outcome = match fact.value {
                FactValue::Bool(true) => Outcome::of(Verdict::Pass),
                FactValue::Bool(false) => Outcome::of(Verdict::Fail),
                _ => Outcome {
                    verdict: Verdict::Missing,
                    missing: fact.missing.clone(),
                },
            };
            finding.apply(outcome, metric, &fact);
            finding.self_declared = finding.verdict != Verdict::Missing;
        }
        Rule::Review { .. } => {
            finding.verdict = Verdict::Review;
        }
        Rule::Registration(rule) => registration::judge(rule, facts, &mut finding),
        Rule::OneOf { metric, values } => {
            let fact = facts.fact(metric);
            let outcome = match &fact.value {
                FactValue::Text(text)
                    if values.iter().any(|value| text.contains(value.as_str())) =>
                {
                    Outcome::of(Verdict::Pass)
                }
                FactValue::Text(_) => Outcome::of(Verdict::Fail),
                _ => Outcome {
                    verdict: Verdict::Missing,
                    missing: fact.missing.clone(),
                },
            };
            finding.apply(outcome, metric, &fact);
        }
    }
    finding
}

impl<'r> Finding<'r> {
    fn apply(&mut self, outcome: Outcome, metric: &'r str, fact: &Fact) {
        self.verdict = outcome.verdict;
        self.missing = outcome.missing;
        // A missing fact was written nowhere: pointing at a neighbouring value (the year that
        // is given, the first counted item) would send the reader to the wrong place.
        if self.verdict != Verdict::Missing {
            self.at = fact.at.clone();
        }
        self.notes
            .extend(fact.notes.iter().cloned().map(Note::Fact));
        if fact.value != FactValue::Missing {
            self.observed = Observed::One(metric, fact.value.clone());
        }
    }
}

/// any-of: passes if any passes, else missing if any is missing, else fails.
/// all-of: fails if any fails, else missing if any is missing, else passes.
fn combine(verdicts: &[Verdict], any: bool) -> Verdict {
    let has = |verdict| verdicts.contains(&verdict);
    match any {
        true if has(Verdict::Pass) => Verdict::Pass,
        false if has(Verdict::Fail) => Verdict::Fail,
        _ if has(Verdict::Missing) => Verdict::Missing,
        true => Verdict::Fail,
        false => Verdict::Pass,
    }
}

/// The bound of a condition for this applicant (Art. 28's bound depends on the kind).
fn resolve_bound(
    condition: &Condition,
    kind: Option<&str>,
) -> Result<Option<rust_decimal::Decimal>, Outcome> {
    match &condition.bound {
        Bound::Number(number) => Ok(Some(*number)),
        Bound::ByKind(by_kind) => match kind.and_then(|kind| by_kind.get(kind)) {
            Some(number) => Ok(Some(*number)),
            None => Err(Outcome {
                verdict: Verdict::Missing,
                missing: vec!["applicant.kind".to_string()],
            }),
        },
        Bound::Flag(_) | Bound::Unresolved => Ok(None),
    }
}

/// One metric against one bound.
fn compare(condition: &Condition, fact: &Fact, kind: Option<&str>) -> Outcome {
    let op = condition.op;
    let missing = || Outcome {
        verdict: Verdict::Missing,
        missing: fact.missing.clone(),
    };
    if let (Bound::Flag(expected), FactValue::Bool(actual)) = (&condition.bound, &fact.value) {
        return Outcome::of(if op.holds(actual, expected) {
            Verdict::Pass
        } else {
            Verdict::Fail
        });
    }
    let bound = match resolve_bound(condition, kind) {
        Ok(Some(bound)) => bound,
        Ok(None) => return missing(),
        Err(outcome) => return outcome,
    };
    match &fact.value {
        FactValue::Number(actual) => Outcome::of(if op.holds_decimal(actual, &bound) {
            Verdict::Pass
        } else {
            Verdict::Fail
        }),
        // A partial count can only grow: it settles a lower bound once reached, an upper bound
        // once exceeded; otherwise the undetermined items decide.
        FactValue::AtLeast(known) => {
            let holds = op.holds_decimal(known, &bound);
            match (op.is_lower_bound(), holds) {
                (true, true) => Outcome::of(Verdict::Pass),
                (false, false) => Outcome::of(Verdict::Fail),
                _ => missing(),
            }
        }
        FactValue::Undefined(_) => Outcome::of(Verdict::Fail),
        _ => missing(),
    }
}

/// Every year of a series against the bound: one failing year fails the clause.
fn every_year(condition: &Condition, fact: &Fact, kind: Option<&str>) -> Outcome {
    let FactValue::Series(years) = &fact.value else {
        return Outcome {
            verdict: Verdict::Missing,
            missing: fact.missing.clone(),
        };
    };
    let bound = match resolve_bound(condition, kind) {
        Ok(Some(bound)) => bound,
        Ok(None) => return Outcome::of(Verdict::Missing),
        Err(outcome) => return outcome,
    };
    let mut outcome = Outcome::of(Verdict::Pass);
    for (year, value) in years {
        match value {
            Some(value) if !condition.op.holds_decimal(value, &bound) => {
                return Outcome::of(Verdict::Fail)
            }
            Some(_) => {}
            None => {
                outcome.verdict = Verdict::Missing;
                outcome.missing.push(
                    fact.missing
                        .iter()
                        .find(|field| field.ends_with(&format!(".{year}")))
                        .cloned()
                        .unwrap_or_else(|| year.to_string()),
                );
            }
        }
    }
    outcome
}

#[cfg(test)]
mod tests;
