//! Governance, checked beside the score: what the measures require of a running center
//! (annual reports 第二十一条, board 第十五条, full-time director 第十六条, expert committee
//! 第十七条, matching funds 第二十八条). The checks report; they do not change the grade.

use rust_decimal::Decimal;

use super::{number, verdict_of};
use crate::engine::Verdict;
use crate::i18n::Text;
use crate::profile::evaluation::CenterProfile;
use crate::profile::value::plain;
use crate::rules::evaluation::{GovernanceCheck, GovernanceRule, Rubric};

#[derive(Debug, Clone)]
pub struct GovernanceFinding<'r> {
    pub check: &'r GovernanceCheck,
    pub verdict: Verdict,
    /// What the center has, in words; `None` when not stated.
    pub actual: Option<Text>,
    pub required: Text,
    /// Fields to fill when the verdict is `missing`.
    pub missing: Vec<String>,
    /// How the requirement was reached (the law's amount used for funds not stated).
    pub notes: Vec<Text>,
}

pub fn check<'r>(rubric: &'r Rubric, center: &CenterProfile) -> Vec<GovernanceFinding<'r>> {
    rubric
        .governance
        .iter()
        .map(|check| judge(rubric, check, center))
        .collect()
}

fn judge<'r>(
    rubric: &Rubric,
    check: &'r GovernanceCheck,
    center: &CenterProfile,
) -> GovernanceFinding<'r> {
    let profile = &center.profile;
    let mut finding = GovernanceFinding {
        check,
        verdict: Verdict::Missing,
        actual: None,
        required: Text::new("", ""),
        missing: Vec::new(),
        notes: Vec::new(),
    };
    match &check.rule {
        GovernanceRule::Attestation { metric } => {
            let stated = profile.get(metric).and_then(|field| field.value.as_bool());
            finding.verdict = verdict_of(stated);
            finding.required = Text::new("是", "yes");
            finding.actual = stated.map(|flag| {
                Text::new(
                    if flag { "是（自行声明）" } else { "否" },
                    if flag { "yes (self-declared)" } else { "no" },
                )
            });
            if stated.is_none() {
                finding.missing.push(metric.clone());
            }
        }
        GovernanceRule::EveryYear { metric } => {
            // Every year of the stated cycle, else the cycle the measures set (第二十四条).
            let years = match center.cycle() {
                Some((from, to)) if to >= from => {
                    Decimal::from(i64::from(to) - i64::from(from) + 1)
                }
                _ => Decimal::from(rubric.meta.cycle_years),
            };
            finding.required = Text::new(
                format!("≥ {years} 年（周期内每年）"),
                format!(">= {years} years (every year of the cycle)"),
            );
            match number(profile, metric) {
                Some(filed) => {
                    finding.verdict = verdict_of(Some(filed >= years));
                    finding.actual = Some(Text::new(
                        format!("{} 年", plain(filed)),
                        format!("{} years", plain(filed)),
                    ));
                }
                None => finding.missing.push(metric.clone()),
            }
        }
        GovernanceRule::Matching {
            metric,
            provincial,
            provincial_default,
            lead_kind,
            ratio,
        } => {
            let funds = match number(profile, provincial) {
                Some(funds) => funds,
                None => {
                    finding.notes.push(Text::new(
                        format!(
                            "未填写 {provincial}，按{}的 {} 万元计",
                            check.citation,
                            plain(*provincial_default)
                        ),
                        format!(
                            "{provincial} is not given: {}'s {}万元 is used",
                            check.citation,
                            plain(*provincial_default)
                        ),
                    ));
                    *provincial_default
                }
            };
            let kind = profile.text(lead_kind);
            let Some(multiple) = kind.and_then(|kind| ratio.get(kind)) else {
                finding.required = Text::new(
                    "按建设主体类型：企业 3:1，其他 1:1",
                    "by the lead builder's kind: enterprises 3:1, others 1:1",
                );
                finding.missing.push(lead_kind.clone());
                if number(profile, metric).is_none() {
                    finding.missing.push(metric.clone());
                }
                return finding;
            };
            let delivered = number(profile, metric);
            // A requirement past the largest decimal is more than any stated amount can meet.
            let Some(required) = funds.checked_mul(*multiple) else {
                finding.required = Text::new(
                    format!("≥ {}:1 × {} 万元", plain(*multiple), plain(funds)),
                    format!(">= {}:1 × {}万元", plain(*multiple), plain(funds)),
                );
                finding.verdict = Verdict::Fail;
                finding.actual = delivered.map(wan);
                return finding;
            };
            finding.required = Text::new(
                format!(
                    "≥ {} 万元（{}:1 × {} 万元）",
                    plain(required),
                    plain(*multiple),
                    plain(funds)
                ),
                format!(
                    ">= {}万元 ({}:1 × {}万元)",
                    plain(required),
                    plain(*multiple),
                    plain(funds)
                ),
            );
            match delivered {
                Some(delivered) => {
                    finding.verdict = verdict_of(Some(delivered >= required));
                    finding.actual = Some(wan(delivered));
                }
                None => finding.missing.push(metric.clone()),
            }
        }
    }
    finding
}

/// An amount in 万元, in words.
fn wan(amount: Decimal) -> Text {
    Text::new(
        format!("{} 万元", plain(amount)),
        format!("{}万元", plain(amount)),
    )
}
