//! `ticheck rules` and `ticheck explain ID`: the rulebook, readable.

use std::process::ExitCode;

use super::exit;
use crate::engine::clause_requirement;
use crate::i18n::Lang;
use crate::profile::fields::{self, describe_path, kind_name};
use crate::profile::suggest::closest;
use crate::rules::{Bound, Clause, Condition, Rule, Rulebook, Severity, SourceKind};

fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Condition => lang.pick("基本条件", "condition"),
        Severity::Advisory => lang.pick("建议性", "advisory"),
        Severity::Info => lang.pick("提示", "info"),
    }
}

/// An applicant kind by name: in Chinese the word the profile accepts for it (`企业`, from
/// [`APPLICANT_KINDS`]), in English plain words.
fn applies_label(clause: &Clause, lang: Lang) -> String {
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
fn field_shown(path: &str, lang: Lang) -> String {
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

pub fn list(rulebook: &Rulebook, markdown_output: bool, lang: Lang) -> ExitCode {
    if markdown_output {
        out!("{}", markdown(rulebook, lang));
        return ExitCode::from(exit::OK);
    }
    outln!("{}", crate::report::rulebook_heading(rulebook, lang));
    // Wrapped as the check tables are (ids whole, no line starting with a closing mark); below
    // 120 columns the severity and who it applies to go under the title.
    use crate::report::wrap::{self, Fit};
    let citation_width = rulebook
        .clauses
        .iter()
        .map(|clause| wrap::width(&clause.citation))
        .max()
        .unwrap_or(0);
    let compact = crate::report::output_width() < 120;
    let header: Vec<String> = match (lang, compact) {
        (Lang::Zh, false) => vec!["条款", "条文", "内容", "性质", "适用"],
        (Lang::En, false) => vec!["Clause", "Article", "Title", "Severity", "Applies to"],
        (Lang::Zh, true) => vec!["条款", "条文", "内容（性质；适用）"],
        (Lang::En, true) => vec!["Clause", "Article", "Title (severity; applies to)"],
    }
    .into_iter()
    .map(String::from)
    .collect();
    let rows = rulebook
        .clauses
        .iter()
        .map(|clause| {
            let title = clause.title.get(lang).to_string();
            let severity = severity_label(clause.severity, lang).to_string();
            let applies = applies_label(clause, lang);
            if compact {
                let under = match lang {
                    Lang::Zh => format!("（{severity}；{applies}）"),
                    Lang::En => format!("({severity}; {applies})"),
                };
                vec![
                    clause.id.clone(),
                    clause.citation.clone(),
                    format!("{title}\n{under}"),
                ]
            } else {
                vec![
                    clause.id.clone(),
                    clause.citation.clone(),
                    title,
                    severity,
                    applies,
                ]
            }
        })
        .collect();
    let fits = [Fit::Free, Fit::Fixed(citation_width)];
    let table = wrap::table(header, rows, &fits);
    outln!("{table}");
    outln!(
        "{}",
        lang.pick(
            "用 ticheck explain <条款> 查看原文与判定方法。",
            "Run ticheck explain <clause> for the law's text and how it is judged."
        )
    );
    ExitCode::from(exit::OK)
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

/// `（text）` after Chinese, ` (text)` after English.
fn parenthesised(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{text}）"),
        Lang::En => format!(" ({text})"),
    }
}

pub fn explain(rulebook: &Rulebook, id: &str, lang: Lang) -> ExitCode {
    let Some(clause) = rulebook.clause(id) else {
        let suggestion = closest(id, rulebook.clauses.iter().map(|c| c.id.as_str()));
        let hint = suggestion
            .map(|s| format!("{}'{s}'?", lang.pick("是否要查 ", "did you mean ")))
            .unwrap_or_else(|| {
                lang.pick("用 ticheck rules 列出全部条款", "ticheck rules lists them")
                    .to_string()
            });
        eprintln!(
            "ticheck: {} '{id}' ({hint})",
            lang.pick("没有此条款", "no such clause")
        );
        return ExitCode::from(exit::ERROR);
    };
    let label = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let explained = explanation(rulebook, clause, lang);
    outln!(
        "{} — {}{}",
        clause.id,
        clause.title.get(lang),
        parenthesised(&clause.citation, lang)
    );
    outln!("{}{}", label("原文：", "Law: "), clause.law);
    outln!(
        "{}{}",
        label("要求：", "Requirement: "),
        explained.requirement
    );
    for bound in &explained.bounds {
        outln!("{}{bound}", label("界限：", "Bound: "));
    }
    outln!(
        "{}{}",
        label("性质：", "Severity: "),
        severity_label(clause.severity, lang)
    );
    outln!(
        "{}{}",
        label("适用：", "Applies to: "),
        applies_label(clause, lang)
    );
    if !explained.fields.is_empty() {
        outln!(
            "{}{}",
            label("所用字段：", "Fields used: "),
            explained.fields.join(lang.pick("；", "; "))
        );
    }
    if !explained.windows.is_empty() {
        outln!(
            "{}{}",
            label("年度窗口：", "Window: "),
            explained.windows.join(lang.pick("；", "; "))
        );
    }
    if let Some(interpretation) = &clause.interpretation {
        outln!(
            "{}{}",
            label("解释：", "Interpretation: "),
            interpretation.get(lang)
        );
    }
    outln!(
        "{}{}{}",
        label("出处：", "Source: "),
        rulebook.meta.title.get(lang),
        parenthesised(&rulebook.meta.document, lang)
    );
    ExitCode::from(exit::OK)
}

/// The whole rulebook as Markdown: `docs/clauses.md` is this output (a test keeps it so).
pub fn markdown(rulebook: &Rulebook, lang: Lang) -> String {
    let mut text = format!(
        "# {}\n\n{}\n\n",
        lang.pick("条款一览", "Clauses"),
        crate::report::rulebook_heading(rulebook, lang)
    );
    text.push_str(lang.pick(
        "本文件由 `ticheck rules --format markdown --lang zh` 生成。\n\n",
        "Generated by `ticheck rules --format markdown --lang en`; do not edit by hand.\n\n",
    ));
    text.push_str(&format!(
        "| {} |\n|---|---|---|---|---|---|\n",
        lang.pick(
            "条款 | 条文 | 要求 | 性质 | 适用 | 字段",
            "clause | article | requirement | severity | applies to | fields"
        )
    ));
    for clause in &rulebook.clauses {
        let explained = explanation(rulebook, clause, lang);
        let cell = |text: &str| text.replace('|', "\\|");
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            clause.id,
            clause.citation,
            cell(&explained.requirement),
            severity_label(clause.severity, lang),
            applies_label(clause, lang),
            cell(&explained.fields.join(lang.pick("；", "; ")))
        ));
    }
    text.push('\n');
    for clause in &rulebook.clauses {
        let explained = explanation(rulebook, clause, lang);
        text.push_str(&format!(
            "## `{}` — {}\n\n",
            clause.id,
            clause.title.get(lang)
        ));
        text.push_str(&format!("> {}（{}）\n\n", clause.law, clause.citation));
        for bound in &explained.bounds {
            text.push_str(&format!("- {}{bound}\n", lang.pick("界限：", "Bound: ")));
        }
        for window in &explained.windows {
            text.push_str(&format!(
                "- {}{window}\n",
                lang.pick("年度窗口：", "Window: ")
            ));
        }
        if let Some(interpretation) = &clause.interpretation {
            text.push_str(&format!(
                "- {}{}\n",
                lang.pick("解释：", "Interpretation: "),
                interpretation.get(lang)
            ));
        }
        text.push('\n');
    }
    text
}
