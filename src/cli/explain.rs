//! `ticheck rules` and `ticheck explain ID`: the rulebook, readable.

use std::process::ExitCode;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::exit;
use crate::engine::condition_shown;
use crate::i18n::Lang;
use crate::profile::fields::describe_path;
use crate::profile::suggest::closest;
use crate::rules::{Clause, Condition, Rule, Rulebook, Severity};

fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Condition => lang.pick("基本条件", "condition"),
        Severity::Advisory => lang.pick("建议性", "advisory"),
        Severity::Info => lang.pick("提示", "info"),
    }
}

fn applies_label(clause: &Clause, lang: Lang) -> String {
    match &clause.applies_to {
        None => lang.pick("全部", "all").to_string(),
        Some(kinds) => kinds.join(", "),
    }
}

pub fn list(rulebook: &Rulebook, lang: Lang) -> ExitCode {
    println!("{}", crate::report::rulebook_heading(rulebook, lang));
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160);
    table.set_header(match lang {
        Lang::Zh => vec!["条款", "条文", "内容", "性质", "适用"],
        Lang::En => vec!["Clause", "Article", "Title", "Severity", "Applies to"],
    });
    for clause in &rulebook.clauses {
        table.add_row(vec![
            clause.id.clone(),
            clause.citation.clone(),
            clause.title.get(lang).to_string(),
            severity_label(clause.severity, lang).to_string(),
            applies_label(clause, lang),
        ]);
    }
    println!("{table}");
    println!(
        "{}",
        lang.pick(
            "用 ticheck explain <条款> 查看原文与判定方法。",
            "Run ticheck explain <clause> for the law's text and how it is judged."
        )
    );
    ExitCode::from(exit::OK)
}

fn inclusivity(condition: &Condition, lang: Lang) -> String {
    let includes = condition.op.includes_bound();
    let word = condition.word.as_deref().unwrap_or(condition.op.math());
    match (lang, includes) {
        (Lang::Zh, true) => format!("含本数：“{word}”包括本数（《民法典》第一千二百五十九条）"),
        (Lang::Zh, false) => {
            format!("不含本数：“{word}”不包括本数（《民法典》第一千二百五十九条）")
        }
        (Lang::En, true) => {
            format!("inclusive: '{word}' includes the number itself (Civil Code, Art. 1259)")
        }
        (Lang::En, false) => {
            format!("exclusive: '{word}' excludes the number itself (Civil Code, Art. 1259)")
        }
    }
}

fn conditions(rule: &Rule) -> Vec<&Condition> {
    match rule {
        Rule::Threshold(condition) | Rule::EveryYear(condition) => vec![condition],
        Rule::AnyOf { conditions } | Rule::AllOf { conditions } => conditions.iter().collect(),
        _ => Vec::new(),
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
    println!(
        "{} — {}（{}）",
        clause.id,
        clause.title.get(lang),
        clause.citation
    );
    println!("{}{}", label("原文：", "Law: "), clause.law);
    let requirement = match &clause.rule {
        Rule::Threshold(c) => condition_shown(rulebook, c, None, false)
            .human
            .get(lang)
            .to_string(),
        Rule::EveryYear(c) => {
            let window = rulebook
                .metrics
                .get(&c.metric)
                .and_then(|m| m.series.as_ref())
                .and_then(|s| rulebook.windows.get(&s.window));
            format!(
                "{} {}",
                window
                    .map(|w| w.text.get(lang).to_string())
                    .unwrap_or_default(),
                condition_shown(rulebook, c, None, false).human.get(lang)
            ) + lang.pick("，每年", ", every year")
        }
        Rule::AnyOf { conditions } => conditions
            .iter()
            .map(|c| {
                condition_shown(rulebook, c, None, true)
                    .human
                    .get(lang)
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(lang.pick(" 或 ", " or ")),
        Rule::AllOf { conditions } => conditions
            .iter()
            .map(|c| {
                condition_shown(rulebook, c, None, true)
                    .human
                    .get(lang)
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(lang.pick(" 且 ", " and ")),
        Rule::Attestation { .. } => label(
            "自行声明为“是”；须在申报材料中提供证明",
            "declared true by the applicant; back it with evidence",
        )
        .to_string(),
        Rule::Review { evidence } => format!(
            "{}{}",
            label(
                "需专家论证，不能自动判定。",
                "needs the expert panel; cannot be automated. "
            ),
            evidence.get(lang)
        ),
        Rule::Registration(rule) => format!(
            "{} {}xxxx{}",
            label(
                "统一社会信用代码登记机关区划为",
                "the USCC's division code is"
            ),
            rule.province_division_prefix,
            label(
                "；无代码时以自行声明为准",
                "; without a code, the self-declaration"
            )
        ),
        Rule::OneOf { values, .. } => format!(
            "{}{}",
            label("技术领域包含：", "the field names one of: "),
            values.join("、")
        ),
    };
    println!("{}{requirement}", label("要求：", "Requirement: "));
    for condition in conditions(&clause.rule) {
        if !matches!(condition.bound, crate::rules::Bound::Flag(_)) {
            println!(
                "{}{}",
                label("界限：", "Bound: "),
                inclusivity(condition, lang)
            );
        }
    }
    println!(
        "{}{}",
        label("性质：", "Severity: "),
        severity_label(clause.severity, lang)
    );
    println!(
        "{}{}",
        label("适用：", "Applies to: "),
        applies_label(clause, lang)
    );
    let mut fields = Vec::new();
    let mut windows = Vec::new();
    for metric in clause.metrics() {
        for field in rulebook.metric_fields(metric) {
            let described = describe_path(&field, lang);
            if !fields.contains(&described) {
                fields.push(described);
            }
        }
        if let Some(def) = rulebook.metrics.get(metric) {
            let window = def
                .count
                .as_ref()
                .and_then(|c| c.window.clone())
                .or_else(|| def.sum.as_ref().and_then(|s| s.window.clone()))
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
    if !fields.is_empty() {
        println!(
            "{}{}",
            label("所用字段：", "Fields used: "),
            fields.join(lang.pick("；", "; "))
        );
    }
    if !windows.is_empty() {
        println!(
            "{}{}",
            label("年度窗口：", "Window: "),
            windows.join(lang.pick("；", "; "))
        );
    }
    if let Some(interpretation) = &clause.interpretation {
        println!(
            "{}{}",
            label("解释：", "Interpretation: "),
            interpretation.get(lang)
        );
    }
    println!(
        "{}{}（{}）",
        label("出处：", "Source: "),
        rulebook.meta.title.get(lang),
        rulebook.meta.document
    );
    ExitCode::from(exit::OK)
}
