//! `ticheck rules` and `ticheck explain ID`: the rulebook, readable.

use std::process::ExitCode;

use super::exit;
use crate::i18n::Lang;
use crate::report::explain::{applies_label, explanation, severity_label};
use crate::rules::Rulebook;

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

/// `（text）` after Chinese, ` (text)` after English.
fn parenthesised(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{text}）"),
        Lang::En => format!(" ({text})"),
    }
}

pub fn explain(rulebook: &Rulebook, id: &str, lang: Lang) -> ExitCode {
    let Some(clause) = rulebook.clause(id) else {
        let message = crate::report::explain::unknown_clause(
            rulebook,
            id,
            lang,
            ("用 ticheck rules 列出全部条款", "ticheck rules lists them"),
        );
        eprintln!("ticheck: {message}");
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
