//! The evaluation profile of a built center (SPEC §6): what it achieved in one 3-year cycle
//! (第二十四条), its conduct, its governance and, for the construction-period acceptance
//! (第二十三条), the targets of its construction contract. Read by the same TOML loader as an
//! applicant's profile, through [`EVALUATION`].

use rust_decimal::Decimal;

use super::fields::{field_def, FieldDef, FieldType, ItemDef, Schema, APPLICANT_KINDS};
use super::value::{parse_amount, plain, Quantity, ValueError};
use super::{InvalidProfile, Item, Located, Location, Problem, Profile};
use crate::i18n::Text;

use FieldType::{Bool, Choice as OneOf, Number, Text as Words};
use Quantity::{Count, Money, Year};

/// Every field of an evaluation profile, in the order the template shows them.
pub const EVALUATION_FIELDS: &[FieldDef] = &[
    field_def!("center.name", "中心名称", "center name", Words),
    field_def!(
        "center.lead_kind",
        "建设主体类型",
        "kind of the lead builder",
        OneOf(APPLICANT_KINDS)
    ),
    field_def!(
        "center.cycle_from",
        "评估周期起始年",
        "first year of the cycle",
        Number(Year)
    ),
    field_def!(
        "center.cycle_to",
        "评估周期截止年",
        "last year of the cycle",
        Number(Year)
    ),
    // 第二十五条 (一) 承担国家和云南省重大战略科技任务
    field_def!(
        "indicators.national_major_tasks",
        "承担国家重大科技任务",
        "national major S&T tasks undertaken",
        Number(Count)
    ),
    field_def!(
        "indicators.provincial_major_tasks",
        "承担省重大科技任务",
        "provincial major S&T tasks undertaken",
        Number(Count)
    ),
    // (二) 解决核心关键技术
    field_def!(
        "indicators.key_technologies",
        "突破核心关键技术",
        "core and key technologies solved",
        Number(Count)
    ),
    field_def!(
        "indicators.invention_patents",
        "授权发明专利",
        "invention patents granted",
        Number(Count)
    ),
    // (三) 引领行业技术进步
    field_def!(
        "indicators.standards_led",
        "主持制定国家或行业标准",
        "national or industry standards led",
        Number(Count)
    ),
    field_def!(
        "indicators.rnd_spend",
        "周期研发投入",
        "R&D spend over the cycle",
        Number(Money)
    ),
    // (四) 面向社会提供技术创新服务
    field_def!(
        "indicators.service_contracts",
        "技术服务和技术合同",
        "technical service and technology contracts",
        Number(Count)
    ),
    field_def!(
        "indicators.service_income",
        "技术服务与成果转化收入",
        "income from services and transfers",
        Number(Money)
    ),
    // (五) 培育孵化科技型企业
    field_def!(
        "indicators.incubated_enterprises",
        "孵化科技型企业",
        "technology enterprises incubated",
        Number(Count)
    ),
    field_def!(
        "indicators.high_tech_enterprises",
        "培育高新技术企业",
        "high-tech enterprises fostered",
        Number(Count)
    ),
    // (六) 作风学风建设
    field_def!(
        "indicators.integrity_activities",
        "作风学风与科研诚信建设活动",
        "conduct and research-integrity activities",
        Number(Count)
    ),
    field_def!(
        "conduct.research_misconduct",
        "科研失信行为",
        "research misconduct",
        Bool
    ),
    field_def!(
        "conduct.major_safety_incident",
        "重大安全事故",
        "major safety incident",
        Bool
    ),
    field_def!(
        "conduct.skipped_evaluation",
        "未参加或中途退出评估",
        "did not take part in, or quit, the evaluation",
        Bool
    ),
    field_def!(
        "governance.annual_reports",
        "已备案年度报告（年数）",
        "annual reports filed (years)",
        Number(Count)
    ),
    field_def!(
        "governance.full_time_director",
        "中心主任为全职人员",
        "full-time director",
        Bool
    ),
    field_def!(
        "governance.board",
        "设立理事会/董事会",
        "board of directors",
        Bool
    ),
    field_def!(
        "governance.expert_committee",
        "设立专家委员会",
        "expert committee",
        Bool
    ),
    field_def!(
        "governance.provincial_funds",
        "省级财政经费",
        "provincial funds received",
        Number(Money)
    ),
    field_def!(
        "governance.matching_funds",
        "配套资金到位",
        "matching funds delivered",
        Number(Money)
    ),
];

/// The construction contract's targets (第二十三条): an indicator, the contracted value and
/// the value achieved, each a number with the same unit (`10项`, `3000万元`).
pub const TARGET_ITEMS: &[ItemDef] = &[ItemDef {
    table: "target",
    label_zh: "建设任务书指标",
    label_en: "contract target",
    fields: &[
        field_def!("name", "指标", "indicator", Words),
        field_def!("target", "目标值", "target value", Words),
        field_def!("achieved", "完成值", "achieved value", Words),
    ],
}];

/// A built center's evaluation profile (SPEC §6).
pub static EVALUATION: Schema = Schema::new(
    EVALUATION_FIELDS,
    &[],
    TARGET_ITEMS,
    "center.name",
    "ticheck init --evaluation",
);

/// A construction-contract target, its numbers read (第二十三条).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// 1-based, as `target[2]` in messages.
    pub number: usize,
    pub name: String,
    pub target: Decimal,
    /// Not stated: the acceptance cannot be decided.
    pub achieved: Option<Decimal>,
    /// `项`, `万元`, or empty for a bare number.
    pub unit: String,
    pub at: Option<Location>,
}

/// A center's evaluation profile, read and checked.
#[derive(Debug, Clone)]
pub struct CenterProfile {
    pub profile: Profile,
    pub targets: Vec<Target>,
}

impl CenterProfile {
    /// The cycle's first and last year, when both are stated.
    pub fn cycle(&self) -> Option<(i32, i32)> {
        let year = |path| {
            self.profile
                .get(path)
                .and_then(|field| field.value.as_number())
                .and_then(|year| i32::try_from(year.mantissa()).ok())
        };
        Some((year("center.cycle_from")?, year("center.cycle_to")?))
    }
}

/// Reads a center's evaluation profile from TOML text: the fields through [`EVALUATION`], then
/// the checks that span fields (a cycle that ends before it starts, more annual reports than the
/// cycle has years, a target whose units disagree), each naming its line.
pub fn load(source: &str, text: &str) -> Result<CenterProfile, InvalidProfile> {
    read(source, text, None)
}

/// [`load`], knowing how many years a cycle has when the profile states none (the rubric's
/// `cycle_years`, 第二十四条): annual reports beyond it are an error too.
pub fn load_for_cycle(
    source: &str,
    text: &str,
    cycle_years: u32,
) -> Result<CenterProfile, InvalidProfile> {
    read(source, text, Some(cycle_years))
}

fn read(
    source: &str,
    text: &str,
    cycle_years: Option<u32>,
) -> Result<CenterProfile, InvalidProfile> {
    let profile = super::toml::load_with(&EVALUATION, source, text)?;
    let mut problems = Vec::new();
    let center = CenterProfile {
        targets: targets(&profile, &mut problems),
        profile,
    };
    let at = |path: &str| center.profile.get(path).and_then(|f| f.at.clone());
    let cycle = center.cycle();
    if let Some((from, to)) = cycle {
        if from > to {
            problems.push(Problem {
                at: at("center.cycle_to"),
                field: Some("center.cycle_to".to_string()),
                message: Text::new(
                    format!("评估周期截止年 {to} 早于起始年 {from}"),
                    format!("the cycle ends in {to}, before it starts in {from}"),
                ),
            });
        }
    }
    if let Some(message) = too_many_reports(&center, cycle, cycle_years) {
        problems.push(Problem {
            at: at(ANNUAL_REPORTS),
            field: Some(ANNUAL_REPORTS.to_string()),
            message,
        });
    }
    if problems.is_empty() {
        Ok(center)
    } else {
        Err(InvalidProfile {
            source: source.to_string(),
            applicant: center.profile.name().map(str::to_string),
            problems,
            text: Some(std::sync::Arc::from(text)),
        })
    }
}

const ANNUAL_REPORTS: &str = "governance.annual_reports";

/// 第二十一条 has one annual report a year: a cycle of N years has at most N. More is a
/// mistyped count, not a governance pass; the message names both numbers.
fn too_many_reports(
    center: &CenterProfile,
    cycle: Option<(i32, i32)>,
    cycle_years: Option<u32>,
) -> Option<Text> {
    let reports = center
        .profile
        .get(ANNUAL_REPORTS)
        .and_then(|field| field.value.as_number())?;
    let filed = plain(reports);
    match cycle {
        // A backwards cycle is its own error.
        Some((from, to)) if from > to => None,
        Some((from, to)) => {
            let years = i64::from(to) - i64::from(from) + 1;
            (reports > Decimal::from(years)).then(|| {
                Text::new(
                    format!(
                        "填写了 {filed} 年的年度报告，但评估周期 {from}–{to} 只有 {years} 年（第二十一条：每年一份）"
                    ),
                    format!(
                        "{filed} years of annual reports, but the cycle {from}–{to} has only {years} years \
                         (第二十一条: one report a year)"
                    ),
                )
            })
        }
        None => {
            let years = cycle_years?;
            (reports > Decimal::from(years)).then(|| {
                Text::new(
                    format!(
                        "填写了 {filed} 年的年度报告，但未填写评估周期，一个周期为 {years} 年（第二十四条）；\
                         周期不同请填写 center.cycle_from 和 center.cycle_to"
                    ),
                    format!(
                        "{filed} years of annual reports, but no cycle is stated and a cycle has \
                         {years} years (第二十四条); if this one differs, state center.cycle_from \
                         and center.cycle_to"
                    ),
                )
            })
        }
    }
}

/// A number with its unit (`10项` → 10, `项`).
type Amount = (Decimal, String);

/// An item's value read as an amount, where it was written.
fn amount(item: &Item, key: &str) -> Option<Located<Result<Amount, ValueError>>> {
    let field = item.get(key)?;
    let text = field.value.as_text().unwrap_or_default();
    Some(Located {
        value: parse_amount(text),
        at: field.at.clone(),
    })
}

fn targets(profile: &Profile, problems: &mut Vec<Problem>) -> Vec<Target> {
    let mut targets = Vec::new();
    for item in profile.items("target") {
        let path = |key: &str| format!("target[{}].{key}", item.number);
        let mut problem = |at: Option<Location>, key: &str, message: Text| {
            problems.push(Problem {
                at,
                field: Some(path(key)),
                message,
            })
        };
        let Some(name) = item.name() else {
            problem(
                item.at.clone(),
                "name",
                Text::new("缺少指标名称 name", "the target has no name"),
            );
            continue;
        };
        let target = match amount(item, "target") {
            Some(Located {
                value: Ok(target), ..
            }) => target,
            Some(Located {
                value: Err(error),
                at,
            }) => {
                problem(at, "target", error.text());
                continue;
            }
            None => {
                problem(
                    item.at.clone(),
                    "target",
                    Text::new(
                        format!("指标“{name}”缺少目标值 target"),
                        format!("the target '{name}' has no target value"),
                    ),
                );
                continue;
            }
        };
        let achieved = match amount(item, "achieved") {
            Some(Located {
                value: Ok(achieved),
                at,
            }) => {
                if !achieved.1.is_empty() && !target.1.is_empty() && achieved.1 != target.1 {
                    problem(
                        at,
                        "achieved",
                        Text::new(
                            format!(
                                "完成值的单位“{}”与目标值的单位“{}”不同",
                                achieved.1, target.1
                            ),
                            format!(
                                "the achieved value is in '{}' but the target in '{}'",
                                achieved.1, target.1
                            ),
                        ),
                    );
                    continue;
                }
                Some(achieved)
            }
            Some(Located {
                value: Err(error),
                at,
            }) => {
                problem(at, "achieved", error.text());
                continue;
            }
            None => None,
        };
        let unit = if target.1.is_empty() {
            achieved.as_ref().map(|a| a.1.clone()).unwrap_or_default()
        } else {
            target.1
        };
        targets.push(Target {
            number: item.number,
            name: name.to_string(),
            target: target.0,
            achieved: achieved.map(|achieved| achieved.0),
            unit,
            at: item.at.clone(),
        });
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_sectioned() {
        let sections = EVALUATION.sections();
        assert_eq!(
            sections,
            ["center", "indicators", "conduct", "governance", "target"]
        );
        for (index, field) in EVALUATION_FIELDS.iter().enumerate() {
            assert_eq!(
                EVALUATION.index_of(field.path),
                Some(index),
                "{}",
                field.path
            );
        }
    }

    #[test]
    fn an_evaluation_profile_loads_with_locations_and_rejects_applicant_fields() {
        let text = "[center]\nname = \"示例中心\"\n[indicators]\ninvention_patents = 12\n\
                    [[target]]\nname = \"发明专利\"\ntarget = \"10项\"\nachieved = \"12项\"\n";
        let profile = crate::profile::toml::load_with(&EVALUATION, "e.toml", text).unwrap();
        assert_eq!(profile.name(), Some("示例中心"));
        let patents = profile.get("indicators.invention_patents").unwrap();
        assert_eq!(patents.value.as_number(), Some(12.into()));
        assert_eq!(
            patents.at,
            Some(crate::profile::Location::Line {
                line: 4,
                column: 21
            })
        );
        assert_eq!(profile.items("target").len(), 1);

        let error = crate::profile::toml::load_with(
            &EVALUATION,
            "e.toml",
            "[facilities]\nrnd_floor_area = 1500\n",
        )
        .unwrap_err();
        assert_eq!(error.problems[0].field.as_deref(), Some("facilities"));
    }

    /// 第二十一条: one annual report a year. More than the cycle has years is an error at the
    /// field, naming both numbers, in both languages.
    #[test]
    fn more_annual_reports_than_the_cycle_has_years_is_an_error_at_the_field() {
        let text =
            "[center]\ncycle_from = 2021\ncycle_to = 2026\n[governance]\nannual_reports = 9\n";
        let error = load("e.toml", text).unwrap_err();
        let problem = &error.problems[0];
        assert_eq!(problem.field.as_deref(), Some("governance.annual_reports"));
        assert_eq!(
            problem.at,
            Some(Location::Line {
                line: 5,
                column: 18
            })
        );
        assert!(
            problem.message.en.contains("9 years")
                && problem.message.en.contains("2021–2026 has only 6 years")
        );
        assert!(problem.message.zh.contains("9 年") && problem.message.zh.contains("只有 6 年"));

        assert!(
            load("e.toml", &text.replace("= 9", "= 6")).is_ok(),
            "6 of 6"
        );
        assert!(load("e.toml", &text.replace("= 9", "= 0")).is_ok());
        // A backwards cycle is its own error, not also this one.
        let backwards = load("e.toml", &text.replace("2026", "2020")).unwrap_err();
        assert_eq!(backwards.problems.len(), 1);
        assert_eq!(
            backwards.problems[0].field.as_deref(),
            Some("center.cycle_to")
        );
    }

    #[test]
    fn without_a_cycle_the_rubrics_cycle_bounds_the_annual_reports() {
        let text = "[center]\nname = \"x\"\n[governance]\nannual_reports = 4\n";
        assert!(
            load("e.toml", text).is_ok(),
            "no cycle known to the profile alone"
        );
        let error = load_for_cycle("e.toml", text, 3).unwrap_err();
        assert_eq!(
            error.problems[0].at,
            Some(Location::Line {
                line: 4,
                column: 18
            })
        );
        assert!(error.problems[0].message.en.contains("a cycle has 3 years"));
        assert!(load_for_cycle("e.toml", &text.replace("= 4", "= 3"), 3).is_ok());
    }
}
