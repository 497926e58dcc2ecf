//! Near misses (培育库, SPEC §7): in a batch, the ineligible candidates that fail at most N
//! conditions, none of them for lack of data, closest first, each with its gaps.
//!
//! "Closest" is: fewer failed conditions first; then the smaller total relative shortfall, the
//! sum over the failed conditions of each one's distance to its bound divided by the bound (the
//! nearest route of an either-or clause; a yes/no that must change counts 1, i.e. 100%); then
//! input order. A bureau screening a sheet of any length gets the closest
//! [`NearMisses::KEPT`], with the number of the others.

use std::collections::BinaryHeap;

use rust_decimal::Decimal;

use crate::engine::gap::{Gap, GapView};
use crate::engine::{Assessment, Overall, Verdict};
use crate::i18n::{Lang, Text};
use crate::rules::{Rulebook, Severity};

/// One candidate close to qualifying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    pub source: String,
    pub applicant: Option<String>,
    /// The failed conditions, in rulebook order: the clause's position and its gap as
    /// numbers; put in words only for the near misses listed.
    pub failed: Vec<Failed>,
    /// The sum of the failed conditions' relative shortfalls.
    pub shortfall: Decimal,
    /// Input order, for ties.
    pub sequence: usize,
}

/// A failed condition of a near miss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// The clause's position in the rulebook.
    pub clause: usize,
    pub gap: Option<Gap>,
    /// The applicant kind, which some bounds depend on.
    pub kind: Option<&'static str>,
    /// What to say when the failure has no distance (a registration outside Yunnan).
    pub otherwise: Option<Text>,
}

impl Failed {
    /// `A10.4.floor-area`, and the gap in words.
    pub fn words(&self, rulebook: &Rulebook, lang: Lang) -> (String, String) {
        let Some(clause) = rulebook.clauses.get(self.clause) else {
            return (String::new(), String::new());
        };
        let text = match (&self.gap, &self.otherwise) {
            (Some(gap), _) => GapView {
                gap,
                rulebook,
                clause,
                kind: self.kind,
            }
            .text(lang),
            (None, Some(otherwise)) => otherwise.get(lang).to_string(),
            (None, None) => String::new(),
        };
        (clause.id.clone(), text)
    }
}

impl NearMiss {
    /// A near miss when the applicant is ineligible, fails at most `limit` conditions and lacks
    /// no data for any.
    pub fn of(assessment: &Assessment<'_>, limit: usize) -> Option<NearMiss> {
        if assessment.verdict != Overall::Ineligible {
            return None;
        }
        // Whether it is one at all, before anything is copied: most rows of a sheet are not.
        let mut failures = 0;
        for finding in &assessment.findings {
            if finding.severity() != Severity::Condition {
                continue;
            }
            match finding.verdict {
                Verdict::Missing => return None,
                Verdict::Fail => failures += 1,
                _ => {}
            }
        }
        if failures > limit {
            return None;
        }
        let mut failed = Vec::with_capacity(failures);
        let mut shortfall = Decimal::ZERO;
        for (index, finding) in assessment.findings.iter().enumerate() {
            if finding.severity() != Severity::Condition {
                continue;
            }
            if finding.verdict == Verdict::Fail {
                let relative = finding
                    .gap
                    .as_ref()
                    .map_or(Decimal::ONE, |gap| gap.relative());
                shortfall = shortfall.saturating_add(relative);
                failed.push(Failed {
                    clause: index,
                    gap: finding.gap.clone(),
                    kind: finding.kind,
                    otherwise: finding.gap.is_none().then(|| {
                        Text::new(
                            super::sarif::finding_sentence(finding, Lang::Zh),
                            super::sarif::finding_sentence(finding, Lang::En),
                        )
                    }),
                });
            }
        }
        Some(NearMiss {
            source: assessment.source.clone(),
            applicant: assessment.applicant.clone(),
            failed,
            shortfall,
            sequence: 0,
        })
    }

    fn key(&self) -> (usize, Decimal, usize) {
        (self.failed.len(), self.shortfall, self.sequence)
    }

    /// Each failed condition's id and gap in words.
    pub fn gaps(&self, rulebook: &Rulebook, lang: Lang) -> Vec<(String, String)> {
        self.failed
            .iter()
            .map(|failed| failed.words(rulebook, lang))
            .collect()
    }

    /// `2.5%` of relative shortfall, for people.
    pub fn shortfall_percent(&self) -> String {
        let percent = (self.shortfall * Decimal::ONE_HUNDRED)
            .round_dp(1)
            .normalize();
        format!("{percent}%")
    }
}

/// The near misses of a run, the closest kept.
#[derive(Debug, Clone, Default)]
pub struct NearMisses {
    /// A max-heap by distance: its top is the farthest kept, the first to give way.
    kept: BinaryHeap<ByDistance>,
    /// Every near miss found, kept or not.
    pub found: usize,
}

impl PartialEq for NearMisses {
    fn eq(&self, other: &NearMisses) -> bool {
        self.found == other.found && self.sorted() == other.sorted()
    }
}

impl Eq for NearMisses {}

/// A near miss ordered by its distance (failed count, shortfall, input order).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ByDistance(NearMiss);

impl Ord for ByDistance {
    fn cmp(&self, other: &ByDistance) -> std::cmp::Ordering {
        self.0.key().cmp(&other.0.key())
    }
}

impl PartialOrd for ByDistance {
    fn partial_cmp(&self, other: &ByDistance) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl NearMisses {
    /// How many are listed at most; a sheet of 100,000 candidates keeps memory flat.
    pub const KEPT: usize = 1000;

    pub fn add(&mut self, mut near_miss: NearMiss) {
        near_miss.sequence = self.found;
        self.found += 1;
        if self.kept.len() == Self::KEPT {
            match self.kept.peek() {
                Some(farthest) if near_miss.key() < farthest.0.key() => {
                    self.kept.pop();
                }
                _ => return,
            }
        }
        self.kept.push(ByDistance(near_miss));
    }

    /// The closest first.
    pub fn sorted(&self) -> Vec<&NearMiss> {
        let mut all: Vec<&NearMiss> = self.kept.iter().map(|kept| &kept.0).collect();
        all.sort_by_key(|near_miss| near_miss.key());
        all
    }

    pub fn is_empty(&self) -> bool {
        self.found == 0
    }

    /// How many were found but not listed.
    pub fn left_out(&self) -> usize {
        self.found.saturating_sub(self.kept.len())
    }
}

/// The heading of the near-miss section, naming the limit.
pub fn heading(limit: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            format!("培育库（不符合条件不超过 {limit} 项、无缺数据的申报单位；先按不符合项数、再按相对差距排序，最接近的在前）：")
        }
        Lang::En => format!(
            "Near misses (failing at most {limit} condition{}, no data missing; by the number failed, then the relative shortfall, closest first):",
            if limit == 1 { "" } else { "s" }
        ),
    }
}

/// The rows of the near-miss list for a table: rank, source, applicant, failed count, total
/// relative shortfall, the gaps one per line.
pub fn rows(near_misses: &NearMisses, rulebook: &Rulebook, lang: Lang) -> Vec<[String; 6]> {
    near_misses
        .sorted()
        .into_iter()
        .enumerate()
        .map(|(rank, near_miss)| {
            let gaps: Vec<String> = near_miss
                .gaps(rulebook, lang)
                .into_iter()
                .map(|(id, text)| format!("{id}: {text}"))
                .collect();
            [
                (rank + 1).to_string(),
                near_miss.source.clone(),
                near_miss.applicant.clone().unwrap_or_else(|| "—".into()),
                near_miss.failed.len().to_string(),
                near_miss.shortfall_percent(),
                gaps.join("\n"),
            ]
        })
        .collect()
}

/// The header of [`rows`].
pub fn header(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => [
            "序号",
            "来源",
            "单位名称",
            "不符合项数",
            "相对差距合计",
            "差距",
        ],
        Lang::En => [
            "#",
            "Source",
            "Applicant",
            "Failed",
            "Relative shortfall",
            "Gaps",
        ],
    }
}

/// `另有 N 个未列出` when more were found than kept.
pub fn left_out_line(near_misses: &NearMisses, lang: Lang) -> Option<String> {
    let left = near_misses.left_out();
    (left > 0).then(|| match lang {
        Lang::Zh => format!("（另有 {left} 个较远的未列出）"),
        Lang::En => format!("({left} farther ones are not listed)"),
    })
}
