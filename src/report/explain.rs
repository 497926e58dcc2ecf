//! What `ticheck explain` and `GET /api/explain/{id}` say about a clause: the requirement, the
//! bound's inclusivity, the fields used, the year windows.

use crate::engine::clause_requirement;
use crate::i18n::Lang;
use crate::profile::fields::{self, describe_path, kind_name};
use crate::rules::{Bound, Clause, Condition, Rule, Rulebook, Severity, SourceKind};

pub fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Condition => lang.pick("基本条件", "condition"),
        Severity::Advisory => lang.pick("建议性", "advisory"),
        Severity::Info => lang.pick("提示", "info"),
    }
}

/// An applicant kind by name: in Chinese the word the profile accepts for it (`企业`, from
/// [`APPLICANT_KINDS`]), in English plain words.
pub fn applies_label(clause: &Clause, lang: Lang) -> String {
    match &clause.applies_to {
        None => lang.pick("全部", "all").to_string(),
        Some(kinds) => kinds
            .iter()
            .map(|kind| kind_name(kind, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", ")),
    }
}

/// A field the clause reads, with its label: `facilities.rnd_floor_area（研发场地面积）`,
/// `[[project]]（项目清单）`, `[[transfer]].benefit（成果转化：直接经济效益）`.
pub fn field_shown(path: &str, lang: Lang) -> String {
    let labelled = |label: String| match lang {
        Lang::Zh => format!("{path}（{label}）"),
        Lang::En => format!("{path} ({label})"),
    };
    if let Some(field) = fields::field(path) {
        return labelled(field.label(lang).to_string());
    }
    let items = path
        .strip_prefix("[[")
        .and_then(|rest| rest.split_once("]]"))
        .and_then(|(table, rest)| Some((fields::item(table)?, rest.strip_prefix('.'))));
    match items {
        Some((item, None)) => labelled(match lang {
            Lang::Zh => format!("{}清单", item.label_zh),
            Lang::En => format!("{} list", item.label_en),
        }),
        Some((item, Some(key))) => match item.field(key) {
            Some(field) => labelled(match lang {
                Lang::Zh => format!("{}：{}", item.label_zh, field.label_zh),
                Lang::En => format!("{}: {}", item.label_en, field.label_en),
            }),
            None => path.to_string(),
        },
        None => describe_path(path, lang),
    }
}

/// Whether the bound itself passes, and who says so: the statute that defines the law's word
/// (cited), or the rulebook's own reading of it (said to be one). From `[bound_words]`.
fn inclusivity(rulebook: &Rulebook, condition: &Condition, lang: Lang) -> String {
    let includes = condition.op.includes_bound();
    let metric = rulebook.metric_label(&condition.metric);
    let metric = metric.get(lang);
    let math = condition.op.math();
    let word = condition
        .word
        .as_deref()
        .and_then(|word| rulebook.bound_word(word));
    let Some(word) = word else {
        return match (lang, includes) {
            (Lang::Zh, true) => format!("{metric}：含本数（{math}）"),
            (Lang::Zh, false) => format!("{metric}：不含本数（{math}）"),
            (Lang::En, true) => format!("{metric}: inclusive ({math})"),
            (Lang::En, false) => format!("{metric}: exclusive ({math})"),
        };
    };
    let text = word.source.text.get(lang);
    let name = &word.word;
    let (zh_side, zh_number) = if includes {
        ("含本数", "包括本数")
    } else {
        ("不含本数", "不包括本数")
    };
    let (en_side, en_number) = if includes {
        ("inclusive", "includes")
    } else {
        ("exclusive", "excludes")
    };
    let note = |separator: &str| {
        if text.is_empty() {
            String::new()
        } else {
            format!("{separator}{text}")
        }
    };
    match (word.source.kind, lang) {
        (SourceKind::Statute, Lang::Zh) => {
            format!("{metric}：{zh_side}，“{name}”{zh_number}（{text}）")
        }
        (SourceKind::Statute, Lang::En) => {
            format!("{metric}: {en_side}, '{name}' {en_number} the number itself ({text})")
        }
        (SourceKind::Rulebook, Lang::Zh) => format!(
            "{metric}：{zh_side}，“{name}”按本规则库的解读{zh_number}（{math}）{}",
            note("，")
        ),
        (SourceKind::Rulebook, Lang::En) => format!(
            "{metric}: {en_side}, '{name}' {en_number} the number itself by this rulebook's reading ({math}){}",
            note("; ")
        ),
    }
}

fn conditions(rule: &Rule) -> Vec<&Condition> {
    match rule {
        Rule::Threshold(condition) | Rule::EveryYear(condition) => vec![condition],
        Rule::AnyOf { conditions } | Rule::AllOf { conditions } => conditions.iter().collect(),
        _ => Vec::new(),
    }
}

/// Everything `explain` says about a clause, in one language.
pub struct Explanation {
    pub requirement: String,
    pub bounds: Vec<String>,
    pub fields: Vec<String>,
    pub windows: Vec<String>,
}

pub fn explanation(rulebook: &Rulebook, clause: &Clause, lang: Lang) -> Explanation {
    let requirement = clause_requirement(rulebook, clause, lang);
    let bounds = conditions(&clause.rule)
        .into_iter()
        .filter(|condition| !matches!(condition.bound, Bound::Flag(_)))
        .map(|condition| inclusivity(rulebook, condition, lang))
        .collect();
    let mut fields = Vec::new();
    let mut windows = Vec::new();
    for metric in clause.metrics() {
        for field in rulebook.metric_fields(metric) {
            let described = field_shown(&field, lang);
            if !fields.contains(&described) {
                fields.push(described);
            }
        }
        if let Some(def) = rulebook.metrics.get(metric) {
            let window = def
                .count
                .as_ref()
                .and_then(|c| c.window.clone())
                .or_else(|| def.sum.as_ref().and_then(|s| s.selection.window.clone()))
                .or_else(|| def.series.as_ref().map(|s| s.window.clone()));
            if let Some(text) = window
                .and_then(|w| rulebook.windows.get(&w))
                .map(|w| w.text.get(lang).to_string())
            {
                if !windows.contains(&text) {
                    windows.push(text);
                }
            }
        }
    }
    Explanation {
        requirement,
        bounds,
        fields,
        windows,
    }
}

/// The message for a clause id the rulebook lacks: the nearest id to look up, or else `list`
/// (how to list them all, in the front end's terms).
pub fn unknown_clause(rulebook: &Rulebook, id: &str, lang: Lang, list: (&str, &str)) -> String {
    let nearest =
        crate::profile::suggest::closest(id, rulebook.clauses.iter().map(|c| c.id.as_str()));
    match (lang, nearest) {
        (Lang::Zh, Some(nearest)) => format!("没有此条款“{id}”（是否要查“{nearest}”？）"),
        (Lang::Zh, None) => format!("没有此条款“{id}”（{}）", list.0),
        (Lang::En, Some(nearest)) => format!("no such clause '{id}' (did you mean '{nearest}'?)"),
        (Lang::En, None) => format!("no such clause '{id}' ({})", list.1),
    }
}
