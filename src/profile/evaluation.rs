//! The evaluation profile of a built center (SPEC §6): what it achieved in one 3-year cycle
//! (第二十四条), its conduct, its governance and, for the construction-period acceptance
//! (第二十三条), the targets of its construction contract. Read by the same TOML loader as an
//! applicant's profile, through [`EVALUATION`].

use rust_decimal::Decimal;

use super::fields::{field_def, Choice, FieldDef, FieldType, ItemDef, Schema, APPLICANT_KINDS};
use super::value::{excerpt, parse_amount, plain, Quantity};
use super::{InvalidProfile, Item, Located, Location, Problem, Profile};
use crate::i18n::Text;

use FieldType::{Bool, Choice as OneOf, Number, Text as Words, Uscc};
use Quantity::{Count, Money, Year};

/// Every field of an evaluation profile, in the order the template shows them.
pub const EVALUATION_FIELDS: &[FieldDef] = &[
    field_def!("center.name", "中心名称", "center name", Words),
    // A round's sheets may key the contract targets by it (SPEC §6).
    field_def!(
        "center.uscc",
        "统一社会信用代码",
        "unified social credit code",
        Uscc
    ),
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
/// the value achieved, each a number with the same unit (`10项`, `3000万元`), and the
/// direction: at least (the default) or at most (an energy-intensity or debt-ratio target).
pub const TARGET_ITEMS: &[ItemDef] = &[ItemDef {
    table: "target",
    label_zh: "建设任务书指标",
    label_en: "contract target",
    fields: &[
        field_def!("name", "指标", "indicator", Words),
        field_def!("target", "目标值", "target value", Words),
        field_def!("achieved", "完成值", "achieved value", Words),
        field_def!("direction", "方向", "direction", OneOf(TARGET_DIRECTIONS)),
    ],
}];

/// The two directions a contract target may have (SPEC §6): `at_least` (不低于) is the default;
/// `at_most` (不高于) for a target that must not be exceeded.
pub const TARGET_DIRECTIONS: &[Choice] = &[
    Choice {
        id: "at_least",
        aliases: &["不低于", "不少于", "至少", "以上", ">=", "≥"],
    },
    Choice {
        id: "at_most",
        aliases: &["不高于", "不超过", "至多", "以下", "以内", "<=", "≤"],
    },
];

/// Which way a target is met. 《民法典》第一千二百五十九条 (SPEC §1): 以上、以下、以内、不低于、不高于
/// include the number itself; 超过、低于、不满 exclude it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// ≥ (不低于、不少于、以上): the default.
    AtLeast,
    /// ≤ (不高于、不超过、以下、以内).
    AtMost,
    /// > (超过、高于).
    Above,
    /// < (低于、不满、不足).
    Below,
}

impl Direction {
    /// Whether `achieved` meets `target` in this direction.
    pub fn met(self, achieved: Decimal, target: Decimal) -> bool {
        match self {
            Direction::AtLeast => achieved >= target,
            Direction::AtMost => achieved <= target,
            Direction::Above => achieved > target,
            Direction::Below => achieved < target,
        }
    }

    /// The JSON word.
    pub fn word(self) -> &'static str {
        match self {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
            Direction::Above => "above",
            Direction::Below => "below",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
            Direction::Above => ">",
            Direction::Below => "<",
        }
    }

    /// Upwards (at least, above) or downwards.
    fn upwards(self) -> bool {
        matches!(self, Direction::AtLeast | Direction::Above)
    }
}

/// Direction words written before the number, longest first so that `不低于` is not read as
/// `低于`.
const DIRECTION_PREFIXES: &[(&str, Direction)] = &[
    ("不低于", Direction::AtLeast),
    ("不少于", Direction::AtLeast),
    ("不小于", Direction::AtLeast),
    ("不高于", Direction::AtMost),
    ("不超过", Direction::AtMost),
    ("不大于", Direction::AtMost),
    ("不多于", Direction::AtMost),
    ("至少", Direction::AtLeast),
    ("至多", Direction::AtMost),
    ("最多", Direction::AtMost),
    ("超过", Direction::Above),
    ("高于", Direction::Above),
    ("大于", Direction::Above),
    ("多于", Direction::Above),
    ("低于", Direction::Below),
    ("小于", Direction::Below),
    ("少于", Direction::Below),
    ("不满", Direction::Below),
    ("不足", Direction::Below),
    (">=", Direction::AtLeast),
    ("<=", Direction::AtMost),
    ("≥", Direction::AtLeast),
    ("≤", Direction::AtMost),
    ("⩾", Direction::AtLeast),
    ("⩽", Direction::AtMost),
    (">", Direction::Above),
    ("<", Direction::Below),
];

/// Direction words written after the value (`60%以下`, `10项以上`).
const DIRECTION_SUFFIXES: &[(&str, Direction)] = &[
    ("及以上", Direction::AtLeast),
    ("及以下", Direction::AtMost),
    ("以上", Direction::AtLeast),
    ("以下", Direction::AtMost),
    ("以内", Direction::AtMost),
];

/// A target's text read: its direction if it states one, the number and the unit as written
/// (money converted to 万元 by [`parse_amount`]). A range (`50%–60%`, `10至20项`) is refused:
/// a target is one number and a direction.
pub fn parse_target_value(text: &str) -> TargetValue {
    let folded = crate::profile::value::fold_width(text);
    let mut rest = folded.trim();
    // `＝` folds to `=`; a leading `=` says nothing.
    rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
    let mut direction = None;
    for (word, meaning) in DIRECTION_PREFIXES {
        if let Some(after) = rest.strip_prefix(word) {
            direction = Some(*meaning);
            rest = after.trim_start();
            break;
        }
    }
    for (word, meaning) in DIRECTION_SUFFIXES {
        if let Some(before) = rest.strip_suffix(word) {
            if direction.is_some_and(|d| d.upwards() != meaning.upwards()) {
                return Err(Text::new(
                    format!("“{}”前后写了相反的方向", excerpt(text)),
                    format!(
                        "'{}' states opposite directions before and after the number",
                        excerpt(text)
                    ),
                ));
            }
            direction = direction.or(Some(*meaning));
            rest = before.trim_end();
            break;
        }
    }
    if is_range(rest) {
        return Err(Text::new(
            format!(
                "“{}”是一个区间：指标的目标值应为一个数和方向（如“不高于60%”“不少于10项”）；区间的上下限请分成两项指标填写",
                excerpt(text)
            ),
            format!(
                "'{}' is a range: a target is one number and a direction (e.g. '≤ 60%', '≥ 10项'); list a range's bounds as two targets",
                excerpt(text)
            ),
        ));
    }
    parse_amount(rest)
        .map(|amount| (direction, amount))
        .map_err(|error| error.text())
}

/// `50-60%`, `10～20项`, `3至5件`: a digit, a range mark, a digit.
fn is_range(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(index, c)| {
        matches!(c, '-' | '–' | '—' | '~' | '～' | '至' | '到' | '〜')
            && chars[..index]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .is_some_and(|before| {
                    before.is_ascii_digit() || *before == '%' || !before.is_ascii()
                })
            && index > 0
            && chars[index + 1..]
                .iter()
                .find(|c| !c.is_whitespace())
                .is_some_and(char::is_ascii_digit)
    })
}

/// The unit a target is compared in: the first of its group of units that mean the same
/// (the rubric's `same_units`, e.g. 项/件/个), else the unit itself.
fn unit_key<'u>(unit: &'u str, same_units: &'u [Vec<String>]) -> &'u str {
    same_units
        .iter()
        .find(|group| group.iter().any(|u| u == unit))
        .and_then(|group| group.first())
        .map_or(unit, String::as_str)
}

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
    /// `项`, `万元`, or empty for a bare number: the target's unit as written.
    pub unit: String,
    /// The achieved value's unit as written, when it differs from `unit` but means the same
    /// (`件` against `项`).
    pub achieved_unit: Option<String>,
    pub direction: Direction,
    pub at: Option<Location>,
}

impl Target {
    /// Whether the target is met; `None` while the achieved value is not stated.
    pub fn met(&self) -> Option<bool> {
        self.achieved
            .map(|achieved| self.direction.met(achieved, self.target))
    }

    /// `≥ 10项`, `≤ 60%`.
    pub fn required_text(&self) -> String {
        format!(
            "{} {}{}",
            self.direction.symbol(),
            plain(self.target),
            self.unit
        )
    }

    /// `12件`, or nothing when not stated.
    pub fn achieved_text(&self) -> Option<String> {
        let unit = self.achieved_unit.as_deref().unwrap_or(&self.unit);
        self.achieved
            .map(|achieved| format!("{}{unit}", plain(achieved)))
    }
}

/// What loading an evaluation profile needs from the rubric.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadTerms<'a> {
    /// Years of a cycle when the profile states none (第二十四条).
    pub cycle_years: Option<u32>,
    /// Units that compare as one (项/件/个).
    pub same_units: &'a [Vec<String>],
}

/// A center's evaluation profile, read and checked.
#[derive(Debug, Clone)]
pub struct CenterProfile {
    pub profile: Profile,
    pub targets: Vec<Target>,
    /// Said of the center by the reader of its sheet: the same center on two rows.
    pub warnings: Vec<Text>,
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
    load_with_terms(source, text, LoadTerms::default())
}

/// [`load`], knowing how many years a cycle has when the profile states none (the rubric's
/// `cycle_years`, 第二十四条): annual reports beyond it are an error too.
pub fn load_for_cycle(
    source: &str,
    text: &str,
    cycle_years: u32,
) -> Result<CenterProfile, InvalidProfile> {
    load_with_terms(
        source,
        text,
        LoadTerms {
            cycle_years: Some(cycle_years),
            same_units: &[],
        },
    )
}

/// [`load`] with the rubric's terms: its cycle and the units that compare as one.
pub fn load_with_terms(
    source: &str,
    text: &str,
    terms: LoadTerms<'_>,
) -> Result<CenterProfile, InvalidProfile> {
    let profile = super::toml::load_with(&EVALUATION, source, text)?;
    check_profile(profile, terms).map_err(|mut error| {
        error.text = Some(std::sync::Arc::from(text));
        error
    })
}

/// The checks that span fields, on a profile read from TOML or from a sheet's row.
pub fn check_profile(
    profile: Profile,
    terms: LoadTerms<'_>,
) -> Result<CenterProfile, InvalidProfile> {
    let cycle_years = terms.cycle_years;
    let source = profile.source.clone();
    let mut problems = Vec::new();
    let center = CenterProfile {
        targets: targets(&profile, terms.same_units, &mut problems),
        profile,
        warnings: Vec::new(),
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
            source,
            applicant: center.profile.name().map(str::to_string),
            problems,
            text: None,
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

/// A target's text read: its direction if written, and its amount; or why not.
type TargetValue = Result<(Option<Direction>, Amount), Text>;

/// An item's value read as a target's text, where it was written.
fn target_text(item: &Item, key: &str) -> Option<Located<TargetValue>> {
    let field = item.get(key)?;
    let text = match &field.value {
        super::fields::Value::Number(number) => plain(*number),
        value => value.as_text().unwrap_or_default().to_string(),
    };
    Some(Located {
        value: parse_target_value(&text),
        at: field.at.clone(),
    })
}

fn targets(
    profile: &Profile,
    same_units: &[Vec<String>],
    problems: &mut Vec<Problem>,
) -> Vec<Target> {
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
        let stated_direction = item.get("direction").and_then(|field| {
            match field.value.as_text() {
                Some("at_most") => Some(Direction::AtMost),
                Some(_) => Some(Direction::AtLeast),
                None => None,
            }
            .map(|direction| (direction, field.at.clone()))
        });
        let (written_direction, target) = match target_text(item, "target") {
            Some(Located {
                value: Ok(target), ..
            }) => target,
            Some(Located {
                value: Err(error),
                at,
            }) => {
                problem(at, "target", error);
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
        let direction = match (stated_direction, written_direction) {
            (Some((stated, at)), Some(written)) if stated.upwards() != written.upwards() => {
                problem(
                    at,
                    "direction",
                    Text::new(
                        format!(
                            "方向“{}”与目标值中写的“{}”相反",
                            stated.symbol(),
                            written.symbol()
                        ),
                        format!(
                            "the direction '{}' contradicts the target value's '{}'",
                            stated.symbol(),
                            written.symbol()
                        ),
                    ),
                );
                continue;
            }
            // The value's own words are the more precise (`低于` excludes the number).
            (_, Some(written)) => written,
            (Some((stated, _)), None) => stated,
            (None, None) => Direction::AtLeast,
        };
        let achieved = match target_text(item, "achieved") {
            Some(Located {
                value: Ok((Some(_), _)),
                at,
            }) => {
                problem(
                    at,
                    "achieved",
                    Text::new(
                        format!("指标“{name}”的完成值应为实际完成的数，不带“不低于”“以下”等方向"),
                        format!(
                            "the achieved value of '{name}' is what was achieved: one number, no direction"
                        ),
                    ),
                );
                continue;
            }
            Some(Located {
                value: Ok((None, achieved)),
                at,
            }) => {
                let (target_unit, achieved_unit) = (&target.1, &achieved.1);
                let differ =
                    unit_key(target_unit, same_units) != unit_key(achieved_unit, same_units);
                // A bare number is in the other's unit, except against a percentage: `0.55`
                // against `60%` is ambiguous.
                let one_bare = target_unit.is_empty() || achieved_unit.is_empty();
                let percent_bare = one_bare && (target_unit == "%" || achieved_unit == "%");
                if (differ && !one_bare) || percent_bare {
                    let shown = |unit: &str| {
                        if unit.is_empty() {
                            "（无单位）".to_string()
                        } else {
                            unit.to_string()
                        }
                    };
                    problem(
                        at,
                        "achieved",
                        Text::new(
                            format!(
                                "完成值的单位“{}”与目标值的单位“{}”不同，无法比较；请用同一单位填写（项、件、个视为同一单位）",
                                shown(achieved_unit),
                                shown(target_unit)
                            ),
                            format!(
                                "the achieved value is in '{}' but the target in '{}': they cannot be compared; write both in one unit (项, 件 and 个 count as one)",
                                achieved_unit, target_unit
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
                problem(at, "achieved", error);
                continue;
            }
            None => None,
        };
        let (unit, achieved_unit) = if target.1.is_empty() {
            (
                achieved.as_ref().map(|a| a.1.clone()).unwrap_or_default(),
                None,
            )
        } else {
            let other = achieved
                .as_ref()
                .filter(|a| !a.1.is_empty() && a.1 != target.1)
                .map(|a| a.1.clone());
            (target.1, other)
        };
        targets.push(Target {
            number: item.number,
            name: name.to_string(),
            target: target.0,
            achieved: achieved.map(|achieved| achieved.0),
            unit,
            achieved_unit,
            direction,
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

    fn one_target(target: &str, achieved: &str, direction: Option<&str>) -> Result<Target, String> {
        let direction = direction.map_or(String::new(), |d| format!("direction = \"{d}\"\n"));
        let text = format!(
            "[center]\nname = \"x\"\n[[target]]\nname = \"t\"\ntarget = \"{target}\"\n\
             achieved = \"{achieved}\"\n{direction}"
        );
        let same = vec![vec!["项".to_string(), "件".to_string(), "个".to_string()]];
        let terms = LoadTerms {
            cycle_years: None,
            same_units: &same,
        };
        load_with_terms("e.toml", &text, terms)
            .map(|center| center.targets[0].clone())
            .map_err(|error| error.problems[0].message.zh.clone())
    }

    /// SPEC §6: at least (the default) or at most, below/at/above the target.
    #[test]
    fn targets_have_a_direction() {
        let met = |t: &str, a: &str, d: Option<&str>| one_target(t, a, d).unwrap().met().unwrap();
        assert!(
            met("10项", "10项", None) && met("10项", "11项", None) && !met("10项", "9项", None)
        );
        for at_most in ["不高于60%", "≤60%", "60%以下", "<=60%", "≤ 60%"] {
            assert!(met(at_most, "55%", None), "{at_most}");
            assert!(met(at_most, "60%", None), "{at_most}: inclusive");
            assert!(!met(at_most, "60.1%", None), "{at_most}");
        }
        assert!(met("60%", "59%", Some("at_most")) && !met("60%", "61%", Some("不高于")));
        assert!(met("≤ 0.8吨标煤/吨", "0.8吨标煤/吨", None));
        assert!(!met("≤ 0.8吨标煤/吨", "0.81吨标煤/吨", None));
        // 《民法典》第一千二百五十九条: 低于 and 超过 exclude the number.
        assert!(!met("低于60%", "60%", None) && met("低于60%", "59.9%", None));
        assert!(!met("超过10项", "10项", None) && met("超过10项", "11项", None));
        assert_eq!(
            one_target("不高于60%", "55%", None).unwrap().direction,
            Direction::AtMost
        );
        assert!(one_target("≥60%", "55%", Some("at_most"))
            .unwrap_err()
            .contains("相反"));
        assert!(one_target("60%", "≤55%", None)
            .unwrap_err()
            .contains("不带"));
    }

    /// 项/件/个 compare as one; any other unit only with itself; a range is refused.
    #[test]
    fn target_units_and_ranges() {
        let target = one_target("10项", "10件", None).unwrap();
        assert_eq!(target.met(), Some(true));
        assert_eq!(target.achieved_text().as_deref(), Some("10件"));
        assert!(one_target("10个", "9件", None).unwrap().met() == Some(false));
        let error = one_target("10家", "12项", None).unwrap_err();
        assert!(error.contains("“项”") && error.contains("“家”"), "{error}");
        assert!(one_target("10万元", "10项", None).is_err());
        assert!(one_target("1亿元", "9000万元", None).unwrap().met() == Some(false));
        assert!(
            one_target("60%", "0.55", None).is_err(),
            "a bare number against a percentage"
        );
        for range in ["50%-60%", "50%–60%", "10~20项", "3至5件", "10 - 20"] {
            let error = one_target(range, "4件", None).unwrap_err();
            assert!(error.contains("区间"), "{range}: {error}");
        }
        assert!(
            one_target("-5", "1", None).is_err(),
            "negative, not a range"
        );
    }
}
