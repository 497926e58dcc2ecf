//! Evaluate: each clause of the rulebook over an applicant's facts, one finding per clause.
//!
//! The engine knows generic rule kinds (threshold, any-of, all-of, every-year, attestation,
//! expert review, registration, one-of); the numbers, windows and wording come from the
//! rulebook. Findings carry both the machine form (`actual`, `required` as in SPEC §5) and the
//! human form in both languages.

mod describe;
pub mod drift;
pub mod gap;
mod registration;

use rust_decimal::Decimal;

use crate::i18n::{Lang, Text};
use crate::normalise::{Fact, FactValue, Facts, LeftOut};
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
            // SPEC §2: `eligible` is "no condition failed or lacks data", never "qualifies".
            Overall::Eligible => "未发现不符合项",
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
    /// The bound is met, and the clause's wording leaves more for the panel (`open_review`).
    OpenReview,
    /// The bound is met only thanks to items counted with doubt (`review_unless`).
    Doubt(Text),
}

/// Why a condition that did not fail is still open (SPEC §2 "What a verdict may claim").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Awaits the expert panel (Art. 12(三)): a review clause, or a bound met whose wording asks
    /// more than the bound (第十条第（六）项 "一定规模").
    ExpertReview,
    /// A fact to verify by hand: a code issued by a national registration authority.
    ManualCheck,
    /// Rests on the applicant's own declaration.
    SelfDeclared,
}

/// The open conditions of an applicant, by clause id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenItems<'a> {
    pub review: Vec<&'a str>,
    pub manual_check: Vec<&'a str>,
    pub self_declared: Vec<&'a str>,
}

impl OpenItems<'_> {
    pub fn is_empty(&self) -> bool {
        self.review.is_empty() && self.manual_check.is_empty() && self.self_declared.is_empty()
    }

    /// `尚有 4 项待专家论证、1 项需人工核实、4 项为自行声明` / `4 for the expert panel, …`.
    pub fn counts(&self, lang: Lang) -> String {
        let parts: [(usize, &str, &str); 3] = [
            (self.review.len(), "项待专家论证", "for the expert panel"),
            (self.manual_check.len(), "项需人工核实", "to verify by hand"),
            (self.self_declared.len(), "项为自行声明", "self-declared"),
        ];
        let shown: Vec<String> = parts
            .iter()
            .filter(|(count, ..)| *count > 0)
            .map(|(count, zh, en)| match lang {
                Lang::Zh => format!("{count} {zh}"),
                Lang::En => format!("{count} {en}"),
            })
            .collect();
        match lang {
            Lang::Zh => format!("尚有 {}", shown.join("、")),
            Lang::En => shown.join(", "),
        }
    }

    /// Each group with its clause ids, one line each.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        self.groups()
            .map(|(ids, zh, en)| {
                let mut line = String::new();
                write_group(&mut line, ids, lang.pick(zh, en), lang);
                line
            })
            .collect()
    }

    /// [`OpenItems::lines`] joined by `separator` into `out`, without a line per group: a
    /// sheet writes this for every row.
    pub fn write_joined(&self, out: &mut String, separator: &str, lang: Lang) {
        for (index, (ids, zh, en)) in self.groups().enumerate() {
            if index > 0 {
                out.push_str(separator);
            }
            write_group(out, ids, lang.pick(zh, en), lang);
        }
    }

    fn groups(&self) -> impl Iterator<Item = (&Vec<&str>, &'static str, &'static str)> {
        [
            (&self.review, "待专家论证", "for the expert panel"),
            (&self.manual_check, "需人工核实", "to verify by hand"),
            (
                &self.self_declared,
                "自行声明（需提供证明）",
                "self-declared (back with evidence)",
            ),
        ]
        .into_iter()
        .filter(|(ids, ..)| !ids.is_empty())
    }
}

/// `待专家论证 4 项：A、B` / `for the expert panel (4): A, B`.
fn write_group(out: &mut String, ids: &[&str], name: &str, lang: Lang) {
    out.reserve(name.len() + 8 + ids.iter().map(|id| id.len() + 3).sum::<usize>());
    let count = ids.len().to_string();
    out.push_str(name);
    match lang {
        Lang::Zh => {
            out.push(' ');
            out.push_str(&count);
            out.push_str(" 项：");
        }
        Lang::En => {
            out.push_str(" (");
            out.push_str(&count);
            out.push_str("): ");
        }
    }
    for (index, id) in ids.iter().enumerate() {
        if index > 0 {
            out.push_str(lang.pick("、", ", "));
        }
        out.push_str(id);
    }
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
    /// Why the clause, though not failed, is still open.
    pub open: Option<Open>,
    /// Listed items the clause's counts left out, each with why (never dropped silently).
    pub left_out: Vec<LeftOut>,
    /// What a failed clause lacks, and by how much (SPEC §5 "Gaps"), as numbers; see
    /// [`Finding::gap_view`] for its words.
    pub gap: Option<gap::Gap>,
}

impl Finding<'_> {
    pub fn severity(&self) -> Severity {
        self.clause.severity
    }

    /// The gap of a failed clause, ready to be put in words.
    pub fn gap_view(&self) -> Option<gap::GapView<'_>> {
        Some(gap::GapView {
            gap: self.gap.as_ref()?,
            rulebook: self.rulebook,
            clause: self.clause,
            kind: self.kind,
        })
    }

    /// The finding's word in every machine format: the contract's verdict word, or for an
    /// informational clause its answer, `yes` or `no` — an informational clause is never a
    /// `fail` (not hosting a national centre is no defect, Art. 8 only gives priority).
    pub fn word(&self) -> &'static str {
        match (self.severity(), self.verdict) {
            (Severity::Info, Verdict::Pass) => "yes",
            (Severity::Info, Verdict::Fail) => "no",
            (_, verdict) => verdict.word(),
        }
    }

    /// The finding's verdict as a person reads it, the same in every human format.
    pub fn label(&self, lang: Lang) -> String {
        let plain = |verdict: Verdict| match lang {
            Lang::Zh => format!("{} {}", verdict.label_zh(), verdict.word()),
            Lang::En => verdict.word().to_string(),
        };
        let answers = self.clause.answers.as_ref();
        let mut label = match (self.severity(), self.verdict, self.open) {
            (Severity::Info, Verdict::Pass, _) => answers.map_or_else(
                || lang.pick("是", "yes").to_string(),
                |a| a.yes.get(lang).to_string(),
            ),
            (Severity::Info, Verdict::Fail, _) => answers.map_or_else(
                || lang.pick("否", "no").to_string(),
                |a| a.no.get(lang).to_string(),
            ),
            (_, Verdict::Review, Some(Open::ManualCheck)) => lang
                .pick("需人工核实 review", "review (manual check)")
                .to_string(),
            (_, Verdict::Pass, Some(Open::ExpertReview)) => format!(
                "{}{}",
                plain(Verdict::Pass),
                lang.pick("（待专家论证）", " (open for expert review)")
            ),
            (_, verdict, _) => plain(verdict),
        };
        match self.severity() {
            Severity::Condition => {}
            Severity::Advisory => label.push_str(lang.pick("（建议性）", " (advisory)")),
            Severity::Info => label.push_str(lang.pick("（提示）", " (info)")),
        }
        label
    }

    /// What the applicant has, in machine and human form; `None` when nothing is known.
    pub fn actual(&self) -> Option<Shown> {
        let conditions: &[Condition] = match &self.clause.rule {
            Rule::Threshold(condition) | Rule::EveryYear(condition) => {
                std::slice::from_ref(condition)
            }
            Rule::AnyOf { conditions } | Rule::AllOf { conditions } => conditions,
            _ => &[],
        };
        let bound_of = |metric: &str| {
            conditions
                .iter()
                .find(|condition| condition.metric.as_str() == metric)
                .and_then(|condition| resolve_bound(condition, self.kind).ok().flatten())
        };
        let mut shown = describe::observed(self.rulebook, &self.observed, &bound_of)?;
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

    /// Why a passed clause is still open for the panel: the doubtful items it rests on, or the
    /// clause's own `open_review`.
    pub fn open_reason(&self) -> Option<Text> {
        if self.open != Some(Open::ExpertReview) || self.verdict != Verdict::Pass {
            return None;
        }
        let doubts: Vec<&Text> = self
            .notes
            .iter()
            .filter_map(|note| match note {
                Note::Doubt(text) => Some(text),
                _ => None,
            })
            .collect();
        if doubts.is_empty() {
            return self.clause.open_review.clone();
        }
        let join = |pick: fn(&Text) -> &str, sep| {
            doubts.iter().map(|t| pick(t)).collect::<Vec<_>>().join(sep)
        };
        Some(Text::new(join(|t| &t.zh, "；"), join(|t| &t.en, "; ")))
    }

    /// The notes in words: this applicant's, then the self-declaration, the evidence to
    /// prepare for review and the clause's interpretation.
    pub fn note_texts(&self) -> Vec<Text> {
        let rule = &self.clause.rule;
        let from_clause = [
            self.self_declared.then_some(&Note::SelfDeclared),
            (self.clause_notes && matches!(rule, Rule::Review { .. })).then_some(&Note::Evidence),
            (self.verdict == Verdict::Pass && self.clause.open_review.is_some())
                .then_some(&Note::OpenReview),
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
    /// The applicant's unified social credit code and prefecture as stated, for a bureau's
    /// results workbook (SPEC §7).
    pub uscc: Option<String>,
    pub prefecture: Option<String>,
    pub verdict: Overall,
    pub findings: Vec<Finding<'r>>,
    pub warnings: Vec<Text>,
    /// The date lies outside the rulebook's validity, and `warnings[0]` says so: reports show
    /// it in their header, before any verdict (SPEC §2 "Expired measures").
    pub out_of_force: bool,
    /// Remarks on the applicant that are not warnings (the rulebook's `[[notice]]`s).
    pub notes: Vec<Text>,
    /// What moving the application a year later would change (a single profile only).
    pub drift: Option<drift::Drift>,
    /// A sheet's row: the sheet's own headers, to name the fields it lacks as the user wrote
    /// them.
    pub headers: Option<std::sync::Arc<std::collections::BTreeMap<String, String>>>,
    pub error: Option<InvalidProfile>,
}

impl<'r> Assessment<'r> {
    /// The conditions still open, by kind (SPEC §2): shown with every `eligible` verdict.
    pub fn open(&self) -> OpenItems<'_> {
        let mut open = OpenItems::default();
        let conditions = self
            .findings
            .iter()
            .filter(|f| f.severity() == Severity::Condition);
        for finding in conditions {
            let id = finding.clause.id.as_str();
            match finding.open {
                Some(Open::ExpertReview) => open.review.push(id),
                Some(Open::ManualCheck) => open.manual_check.push(id),
                Some(Open::SelfDeclared) => open.self_declared.push(id),
                None => {}
            }
        }
        open
    }

    /// The fields a clause without data needs, named as the user wrote them: the sheet's
    /// header for a sheet's row, the TOML key for a profile (SPEC §5 "Gaps").
    pub fn fields_to_fill(&self, finding: &Finding<'_>) -> Vec<String> {
        finding
            .missing
            .iter()
            .filter_map(|path| {
                crate::profile::user_name(
                    self.headers.as_deref(),
                    &crate::profile::fields::APPLICATION,
                    path,
                )
            })
            .collect()
    }

    /// The expired-measure warning, for a report's header.
    pub fn validity_warning(&self) -> Option<&Text> {
        self.warnings.first().filter(|_| self.out_of_force)
    }

    pub fn invalid(error: InvalidProfile) -> Assessment<'r> {
        Assessment {
            source: error.source.clone(),
            applicant: error.applicant.clone(),
            uscc: None,
            prefecture: None,
            verdict: Overall::Error,
            findings: Vec::new(),
            warnings: Vec::new(),
            out_of_force: false,
            notes: Vec::new(),
            drift: None,
            headers: None,
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
    let headers = facts.headers().cloned();
    Assessment {
        source: source.to_string(),
        applicant,
        uscc: None,
        prefecture: None,
        verdict: overall(&findings),
        findings,
        warnings: facts.warnings,
        out_of_force: facts.out_of_force,
        notes: facts.notes,
        drift: None,
        headers,
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
        open: None,
        left_out: Vec::new(),
        gap: None,
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
    let mut doubts: Vec<Text> = Vec::new();
    let mut in_doubt = false;
    // SPEC §5 "Gaps": only failed clauses that decide or advise are measured.
    let measured = clause.severity != Severity::Info;
    match &clause.rule {
        Rule::Threshold(condition) => {
            let fact = facts.fact(&condition.metric);
            let outcome = compare(condition, &fact, facts.kind);
            finding.apply(outcome, &condition.metric, &fact);
            match finding.verdict {
                Verdict::Pass => {
                    doubts.extend(doubt(rulebook, condition, &fact, facts.kind));
                    in_doubt = !doubts.is_empty();
                }
                Verdict::Fail if measured => finding.gap = gap::threshold(condition, &fact, facts),
                _ => {}
            }
        }
        Rule::EveryYear(condition) => {
            let fact = facts.fact(&condition.metric);
            let outcome = every_year(condition, &fact, facts.kind);
            finding.apply(outcome, &condition.metric, &fact);
            if finding.verdict == Verdict::Fail && measured {
                finding.gap = gap::every_year(condition, &fact, facts.kind);
            }
        }
        Rule::AnyOf { conditions } | Rule::AllOf { conditions } => {
            let any = matches!(clause.rule, Rule::AnyOf { .. });
            let mut verdicts = Vec::with_capacity(conditions.len());
            let mut observed = Vec::with_capacity(conditions.len());
            let mut missing = Vec::new();
            let mut left_out: Vec<LeftOut> = Vec::new();
            let mut counted: Vec<String> = Vec::new();
            // any-of: in doubt when every route that passes rests on doubtful items; all-of:
            // when any does.
            let mut sure_route = false;
            let mut routes: Vec<Vec<gap::Need>> = Vec::new();
            for (index, condition) in conditions.iter().enumerate() {
                let fact = facts.fact(&condition.metric);
                let outcome = compare(condition, &fact, facts.kind);
                match outcome.verdict {
                    Verdict::Pass => match doubt(rulebook, condition, &fact, facts.kind) {
                        Some(note) => doubts.push(note),
                        None => sure_route = true,
                    },
                    Verdict::Fail if measured => {
                        routes.extend(gap::condition_needs(condition, index, &fact, facts))
                    }
                    _ => {}
                }
                left_out.extend(fact.left_out().iter().cloned());
                counted.extend(fact.counted().iter().cloned());
                // An item one count cannot place yet (`project[1].related` unstated) is not
                // left out of the clause: the other count's reason would be the wrong one.
                counted.extend(fact.missing.iter().filter_map(|field| {
                    field.split_once("].").map(|(item, _)| format!("{item}]"))
                }));
                verdicts.push(outcome.verdict);
                missing.extend(outcome.missing);
                finding.at = finding.at.take().or_else(|| fact.at.clone());
                finding
                    .notes
                    .extend(fact.notes.iter().cloned().map(Note::Fact));
                observed.push((condition.metric.as_str(), fact.value.clone()));
            }
            finding.verdict = combine(&verdicts, any);
            if finding.verdict == Verdict::Fail {
                finding.gap = gap::combined(routes, any);
            }
            in_doubt =
                finding.verdict == Verdict::Pass && !doubts.is_empty() && (!any || !sure_route);
            // An item left out by one count but taken (or still undetermined) by another (a
            // provincial project is no national one) is not left out of the clause.
            for item in left_out {
                if counted.contains(&item.item) {
                    continue;
                }
                match finding
                    .left_out
                    .iter_mut()
                    .find(|seen| seen.item == item.item)
                {
                    Some(seen) => seen.merge(&item),
                    None => finding.left_out.push(item),
                }
            }
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
            if finding.verdict == Verdict::Fail && measured {
                finding.gap = Some(gap::flag(true));
            }
        }
        Rule::Review { .. } => {
            finding.verdict = Verdict::Review;
        }
        // 第十条第（一）项: a national registration authority's code is checked by hand.
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
    finding.open = match finding.verdict {
        Verdict::Review if matches!(clause.rule, Rule::Registration(_)) => Some(Open::ManualCheck),
        Verdict::Review => Some(Open::ExpertReview),
        Verdict::Pass if finding.self_declared => Some(Open::SelfDeclared),
        Verdict::Pass if clause.open_review.is_some() || in_doubt => {
            if in_doubt {
                finding.notes.extend(doubts.into_iter().map(Note::Doubt));
            }
            Some(Open::ExpertReview)
        }
        _ => None,
    };
    finding
}

/// When a condition holds only thanks to items the rulebook counts with doubt
/// (`review_unless`), what the panel must weigh; `None` when it holds without them.
fn doubt(
    rulebook: &Rulebook,
    condition: &Condition,
    fact: &Fact,
    kind: Option<&str>,
) -> Option<Text> {
    let (doubtful, lacking) = fact.doubtful()?;
    let FactValue::Number(value) = fact.value else {
        return None;
    };
    let bound = resolve_bound(condition, kind).ok()??;
    let without = value - *doubtful;
    if condition.op.holds_decimal(&without, &bound) {
        return None;
    }
    let label = rulebook.metric_label(&condition.metric);
    let shown = condition_shown(rulebook, condition, kind, false).human;
    let (value, doubtful) = (value.normalize(), doubtful.normalize());
    Some(Text::new(
        format!(
            "{}{value} 项中有 {doubtful} 项{}；不计这些则不满足 {}，是否计入由专家论证判断",
            label.zh, lacking.zh, shown.zh
        ),
        format!(
            "{doubtful} of the {value} counted for {} {} {}; without {} {} is not met, so the expert panel decides whether {} count{}",
            label.en,
            if doubtful == Decimal::ONE { "is" } else { "are" },
            lacking.en,
            if doubtful == Decimal::ONE { "it" } else { "them" },
            shown.en,
            if doubtful == Decimal::ONE { "it" } else { "they" },
            if doubtful == Decimal::ONE { "s" } else { "" },
        ),
    ))
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
        self.left_out.extend(fact.left_out().iter().cloned());
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
