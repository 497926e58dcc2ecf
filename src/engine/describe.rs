//! The words of a finding: what the law requires of this applicant and what the applicant has,
//! in the machine form of SPEC §5 (`">= 1500 m²"`, `"1800"`) and in both human languages.

use rust_decimal::Decimal;

use super::{Note, Observed};
use crate::i18n::{Lang, Text};
use crate::normalise::FactValue;
use crate::profile::fields::kind_name;
use crate::profile::uscc;
use crate::profile::value::{percent, Quantity};
use crate::rules::{Bound, Clause, Condition, MetricKind, Rule, Rulebook};

/// A value shown two ways: the stable machine string and the human text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub machine: String,
    pub human: Text,
}

impl Shown {
    fn same(text: impl Into<String>) -> Shown {
        let text = text.into();
        Shown {
            machine: text.clone(),
            human: Text::new(text.clone(), text),
        }
    }
}

fn quantity_of(rulebook: &Rulebook, metric: &str) -> Quantity {
    match rulebook.metric_kind(metric) {
        Some(MetricKind::Number(quantity) | MetricKind::Series(quantity)) => quantity,
        _ => Quantity::Count,
    }
}

/// A number for people: exact, unless a ratio has more digits than anyone reads. A rounded
/// value never crosses, nor lands on, the bound it is compared with: 69.999% is shown as it
/// is beside "< 70%", not as ≈70% (SPEC §2).
fn human_number(quantity: Quantity, value: Decimal, bound: Option<Decimal>) -> String {
    let shown = quantity.display_with_unit(value);
    let long_percentage = percent(value).is_some_and(|percent| percent.normalize().scale() > 2);
    if quantity == Quantity::Ratio && long_percentage {
        // Four places of the fraction (two of the percentage), or as many more as it takes for
        // the rounded value to stay strictly on the side of the bound the exact one is on.
        for places in 4..value.scale() {
            let rounded = value.round_dp(places);
            let keeps_side = bound
                .is_none_or(|bound| rounded.cmp(&bound) == value.cmp(&bound) && rounded != bound);
            if keeps_side {
                return format!("≈{}", quantity.display_with_unit(rounded));
            }
        }
    }
    shown
}

fn bound_shown(quantity: Quantity, bound: &Bound, kind: Option<&str>) -> (String, Text) {
    match bound {
        Bound::Number(number) => {
            let text = quantity.display_with_unit(*number);
            (text.clone(), Text::new(text.clone(), text))
        }
        Bound::ByKind(by_kind) => match kind.and_then(|kind| by_kind.get(kind)) {
            Some(number) => {
                let text = quantity.display_with_unit(*number);
                (text.clone(), Text::new(text.clone(), text))
            }
            None => {
                let list = |lang: Lang| -> Vec<String> {
                    by_kind
                        .iter()
                        .map(|(kind, number)| {
                            format!(
                                "{} ({})",
                                quantity.display_with_unit(*number),
                                kind_name(kind, lang)
                            )
                        })
                        .collect()
                };
                let machine: Vec<String> = by_kind
                    .iter()
                    .map(|(kind, number)| {
                        format!("{} ({kind})", quantity.display_with_unit(*number))
                    })
                    .collect();
                (
                    machine.join(" / "),
                    Text::new(list(Lang::Zh).join(" / "), list(Lang::En).join(" / ")),
                )
            }
        },
        Bound::Flag(flag) => (
            flag.to_string(),
            Text::new(
                if *flag { "是" } else { "否" },
                if *flag { "yes" } else { "no" },
            ),
        ),
        Bound::Unresolved => ("?".to_string(), Text::new("?", "?")),
    }
}

fn word_suffix(condition: &Condition) -> String {
    condition
        .word
        .as_ref()
        .map(|word| format!("（{word}）"))
        .unwrap_or_default()
}

/// `>= 1500 m²` alone, or `national_projects >= 1` when several conditions are joined.
pub fn condition_shown(
    rulebook: &Rulebook,
    condition: &Condition,
    kind: Option<&str>,
    labelled: bool,
) -> Shown {
    let quantity = quantity_of(rulebook, &condition.metric);
    let (bound_machine, bound_human) = bound_shown(quantity, &condition.bound, kind);
    let label = rulebook.metric_label(&condition.metric);
    if let Bound::Flag(_) = condition.bound {
        // A yes/no condition in words, never an expression (`national ERTC host: yes`).
        return Shown {
            machine: format!("{}: {}", label.en, bound_human.en),
            human: Text::new(
                format!("{}：{}", label.zh, bound_human.zh),
                format!("{}: {}", label.en, bound_human.en),
            ),
        };
    }
    let op = condition.op;
    let suffix = word_suffix(condition);
    let machine = if labelled {
        format!("{} {} {bound_machine}", label.en, op.symbol())
    } else {
        format!("{} {bound_machine}", op.symbol())
    };
    let human = if labelled {
        Text::new(
            format!("{} {} {}{suffix}", label.zh, op.math(), bound_human.zh),
            format!("{} {} {}", label.en, op.math(), bound_human.en),
        )
    } else {
        Text::new(
            format!("{} {}{suffix}", op.math(), bound_human.zh),
            format!("{} {}", op.math(), bound_human.en),
        )
    };
    Shown { machine, human }
}

/// What the clause requires of this applicant.
pub fn required(
    rulebook: &Rulebook,
    clause: &Clause,
    kind: Option<&str>,
    observed: &Observed<'_>,
) -> Shown {
    match &clause.rule {
        Rule::Threshold(condition) => condition_shown(rulebook, condition, kind, false),
        Rule::EveryYear(condition) => {
            let plain = condition_shown(rulebook, condition, kind, false);
            let years = match observed {
                Observed::One(_, FactValue::Series(years)) => years
                    .iter()
                    .map(|(year, _)| year.to_string())
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            };
            let (zh_years, en_years) = (years.join("、"), years.join(", "));
            Shown {
                machine: format!("{} in each of {en_years}", plain.machine),
                human: Text::new(
                    format!("{zh_years} 年每年 {}", plain.human.zh),
                    format!("{} in each of {en_years}", plain.human.en),
                ),
            }
        }
        Rule::AnyOf { conditions } | Rule::AllOf { conditions } => {
            let (zh_join, en_join) = match clause.rule {
                Rule::AnyOf { .. } => (" 或 ", " or "),
                _ => (" 且 ", " and "),
            };
            let parts: Vec<Shown> = conditions
                .iter()
                .map(|c| condition_shown(rulebook, c, kind, true))
                .collect();
            Shown {
                machine: parts
                    .iter()
                    .map(|p| p.machine.as_str())
                    .collect::<Vec<_>>()
                    .join(en_join),
                human: Text::new(
                    parts
                        .iter()
                        .map(|p| p.human.zh.as_str())
                        .collect::<Vec<_>>()
                        .join(zh_join),
                    parts
                        .iter()
                        .map(|p| p.human.en.as_str())
                        .collect::<Vec<_>>()
                        .join(en_join),
                ),
            }
        }
        Rule::Attestation { .. } => Shown {
            machine: "true (self-declared)".to_string(),
            human: Text::new("是（自行声明）", "yes (self-declared)"),
        },
        Rule::Review { .. } => Shown {
            machine: "expert review".to_string(),
            human: Text::new("专家论证评审", "expert panel review"),
        },
        Rule::Registration(rule) => Shown {
            machine: format!(
                "registered in Yunnan (USCC division {}xxxx)",
                rule.province_division_prefix
            ),
            human: Text::new(
                format!(
                    "在云南省境内注册登记（信用代码区划 {}xxxx）",
                    rule.province_division_prefix
                ),
                format!(
                    "registered in Yunnan (USCC division {}xxxx)",
                    rule.province_division_prefix
                ),
            ),
        },
        Rule::OneOf { .. } => Shown {
            machine: "a priority field".to_string(),
            human: Text::new(
                format!("{}所列重点领域之一", clause.citation),
                "one of the priority fields",
            ),
        },
    }
}

/// What a finding observed, in words; `None` when nothing is known.
/// `bound_of` gives the bound a metric is compared with, so that no rounding crosses it.
pub fn observed(
    rulebook: &Rulebook,
    observed: &Observed<'_>,
    bound_of: &dyn Fn(&str) -> Option<Decimal>,
) -> Option<Shown> {
    match observed {
        Observed::Nothing => None,
        Observed::One(metric, value) => value_shown(rulebook, metric, value, bound_of(metric)),
        Observed::Several(values) => several(rulebook, values, bound_of),
        Observed::Uscc(code) => {
            let division = uscc::division_code(code);
            let place = uscc::prefecture_of(division);
            Some(Shown {
                machine: format!("{code} (division {division})"),
                human: Text::new(
                    format!(
                        "{code}（区划 {division}{}）",
                        place.map(|p| format!("，{p}")).unwrap_or_default()
                    ),
                    format!(
                        "{code} (division {division}{})",
                        place.map(|p| format!(", {p}")).unwrap_or_default()
                    ),
                ),
            })
        }
    }
}

/// One metric's value; `None` when it is missing.
fn value_shown(
    rulebook: &Rulebook,
    metric: &str,
    value: &FactValue,
    bound: Option<Decimal>,
) -> Option<Shown> {
    let quantity = quantity_of(rulebook, metric);
    Some(match value {
        FactValue::Missing => return None,
        FactValue::Number(value) => Shown {
            machine: quantity.display(*value),
            human: Text::new(
                human_number(quantity, *value, bound),
                human_number(quantity, *value, bound),
            ),
        },
        FactValue::AtLeast(value) => Shown {
            machine: format!(">= {}", quantity.display(*value)),
            human: Text::new(
                format!(
                    "至少 {}（部分条目待定）",
                    human_number(quantity, *value, bound)
                ),
                format!(
                    "at least {} (some items undetermined)",
                    human_number(quantity, *value, bound)
                ),
            ),
        },
        FactValue::Bool(flag) => Shown {
            machine: flag.to_string(),
            human: Text::new(
                if *flag { "是" } else { "否" },
                if *flag { "yes" } else { "no" },
            ),
        },
        FactValue::Text(text) => Shown::same(text.clone()),
        FactValue::Series(years) => {
            let machine = years
                .iter()
                .map(|(year, value)| match value {
                    Some(value) => format!("{year}: {}", quantity.display(*value)),
                    None => format!("{year}: —"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let human = |lang_zh: bool| {
                years
                    .iter()
                    .map(|(year, value)| {
                        let value =
                            value.map_or("—".to_string(), |v| human_number(quantity, v, bound));
                        if lang_zh {
                            format!("{year}年 {value}")
                        } else {
                            format!("{year}: {value}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(if lang_zh { "；" } else { "; " })
            };
            Shown {
                machine,
                human: Text::new(human(true), human(false)),
            }
        }
        FactValue::Undefined(reason) => Shown {
            machine: "undefined".to_string(),
            human: reason.clone(),
        },
    })
}

/// The metrics of an any-of / all-of clause side by side: `national_projects: 1; provincial_projects: 2`.
fn several(
    rulebook: &Rulebook,
    values: &[(&str, FactValue)],
    bound_of: &dyn Fn(&str) -> Option<Decimal>,
) -> Option<Shown> {
    if values.iter().all(|(_, value)| *value == FactValue::Missing) {
        return None;
    }
    let mut machine = Vec::new();
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for (metric, value) in values {
        let label = rulebook.metric_label(metric);
        match value_shown(rulebook, metric, value, bound_of(metric)) {
            Some(shown) => {
                machine.push(format!("{metric}: {}", shown.machine));
                zh.push(format!("{} {}", label.zh, shown.human.zh));
                en.push(format!("{} {}", label.en, shown.human.en));
            }
            None => {
                machine.push(format!("{metric}: —"));
                zh.push(format!("{} —", label.zh));
                en.push(format!("{} —", label.en));
            }
        }
    }
    Some(Shown {
        machine: machine.join("; "),
        human: Text::new(zh.join("；"), en.join("; ")),
    })
}

/// A note in words.
pub fn note(clause: &Clause, note: &Note) -> Text {
    match note {
        Note::SelfDeclared => Text::new(
            "自行声明，需在申报材料中提供证明",
            "self-declared: back it with evidence in the dossier",
        ),
        Note::Interpretation => clause.interpretation.clone().unwrap_or_default(),
        Note::Evidence => match &clause.rule {
            Rule::Review { evidence } => evidence.clone(),
            _ => Text::default(),
        },
        Note::NationalRegistration(division) => Text::new(
            format!("代码区划 {division} 表示在国家级登记机关登记（如中央在滇单位），请提供在云南省境内实际运行的证明，由评审人工核实"),
            format!(
                "division {division} means registration with a national authority (e.g. a central institute \
                 in Yunnan); prove the organisation is located in Yunnan for a manual check"
            ),
        ),
        Note::Fact(text) | Note::Doubt(text) => text.clone(),
        Note::OpenReview => clause.open_review.clone().unwrap_or_default(),
    }
}

/// What a clause requires of any applicant, in words (`ticheck explain`, SARIF rule help):
/// bounds that depend on the applicant kind are listed for every kind.
pub fn clause_requirement(rulebook: &Rulebook, clause: &Clause, lang: Lang) -> String {
    let shown = |condition: &Condition, labelled| {
        condition_shown(rulebook, condition, None, labelled)
            .human
            .get(lang)
            .to_string()
    };
    let joined = |conditions: &[Condition], zh, en| {
        conditions
            .iter()
            .map(|c| shown(c, true))
            .collect::<Vec<_>>()
            .join(lang.pick(zh, en))
    };
    match &clause.rule {
        Rule::Threshold(c) => shown(c, true),
        Rule::EveryYear(c) => {
            let window = rulebook
                .metrics
                .get(c.metric.as_str())
                .and_then(|m| m.series.as_ref())
                .and_then(|s| rulebook.windows.get(&s.window))
                .map(|w| w.text.get(lang).to_string())
                .unwrap_or_default();
            format!(
                "{window}{}{}",
                lang.pick("每年 ", ", every year "),
                shown(c, false)
            )
        }
        Rule::AnyOf { conditions } => joined(conditions, " 或 ", " or "),
        Rule::AllOf { conditions } => joined(conditions, " 且 ", " and "),
        Rule::Attestation { .. } => lang
            .pick(
                "自行声明为“是”；须在申报材料中提供证明",
                "declared true by the applicant; back it with evidence",
            )
            .to_string(),
        Rule::Review { evidence } => format!(
            "{}{}",
            lang.pick(
                "需专家论证，不能自动判定。",
                "needs the expert panel; cannot be automated. "
            ),
            evidence.get(lang)
        ),
        Rule::Registration(rule) => format!(
            "{} {}xxxx{}",
            lang.pick(
                "统一社会信用代码登记机关区划为",
                "the USCC's division code is"
            ),
            rule.province_division_prefix,
            lang.pick(
                "；无代码时以自行声明为准",
                "; without a code, the self-declaration"
            )
        ),
        Rule::OneOf { values, .. } => format!(
            "{}{}",
            lang.pick("技术领域包含：", "the field names one of: "),
            values.join("、")
        ),
    }
}
