//! `ticheck evaluate` for a person: per center, the indicators and their points, the total and
//! the grade with the consequence the law attaches, the vetoes, governance and the acceptance.

use std::io::{self, Write};

use super::{
    area_number, cited, grade_label, next_grade_text, not_assessed_reason, points_text,
    GradeSummary, SummaryCells,
};
use crate::evaluation::{target_met, AcceptanceOutcome, Evaluation, Standing};
use crate::i18n::Lang;
use crate::profile::evaluation::EVALUATION;
use crate::profile::value::plain;
use crate::report::{missing_text, verdict_label, warning_prefix};
use crate::rules::evaluation::{Rubric, GRADES};

/// How the table is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// The report goes to a file (`--output`), so an invalid profile's problems are written in
    /// it in full; on standard output they stand once, in the diagnostics above.
    pub to_file: bool,
    /// With several centers, each center's indicator table too.
    pub detail: bool,
}

/// One center: its indicator table, grade, vetoes, governance and acceptance. Several (a
/// round): one line per center, the grade distribution and the indicators that cost the round
/// the most points; each center's table too with `detail`.
pub fn write(
    out: &mut dyn Write,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    options: TableOptions,
) -> io::Result<()> {
    match lang {
        Lang::Zh => writeln!(out, "{}（{}）", rubric.meta.title.zh, rubric.meta.id)?,
        Lang::En => writeln!(out, "{} ({})", rubric.meta.title.en, rubric.meta.id)?,
    }
    if rubric.meta.default {
        writeln!(out, "{}", rubric.meta.notice.get(lang))?;
    }
    let round = evaluations.len() > 1;
    if !round || options.detail {
        for evaluation in evaluations {
            writeln!(out)?;
            center(out, evaluation, lang, options.to_file)?;
        }
    }
    if round {
        writeln!(out)?;
        round_table(out, evaluations, lang, options.to_file)?;
    }
    Ok(())
}

/// The round: one line per center, then the grade distribution with what each grade entails,
/// then the indicators that cost the most points.
fn round_table(
    out: &mut dyn Write,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    to_file: bool,
) -> io::Result<()> {
    // One file's rows: the file named once above, each row by its number.
    let prefix = common_source(evaluations);
    let shown = prefix.strip_suffix(':').unwrap_or(&prefix);
    if !shown.is_empty() {
        writeln!(out, "{}{shown}", lang.pick("来源：", "source: "))?;
    }
    let source_header = match (prefix.is_empty(), prefix.ends_with(':')) {
        (true, _) => lang.pick("来源", "source"),
        (false, true) => lang.pick("行", "row"),
        (false, false) => lang.pick("文件", "file"),
    };
    let mut table = new_table(match lang {
        Lang::Zh => vec![
            source_header,
            "中心",
            "总分",
            "等级",
            "建设期考核（估计）",
            "距上一等级",
        ],
        Lang::En => vec![
            source_header,
            "center",
            "score",
            "grade",
            "acceptance (estimate)",
            "next grade",
        ],
    });
    let mut invalid = Vec::new();
    for evaluation in evaluations {
        let cells = SummaryCells::of(evaluation, lang);
        // Narrow columns: the grade's own word in Chinese (优), its id in English.
        let mut grade = match (&evaluation.standing, lang) {
            (Standing::Graded { grade, .. }, Lang::Zh) => grade.label.clone(),
            (Standing::Graded { grade, .. }, Lang::En) => grade.id.clone(),
            (Standing::Error, _) => lang.pick("档案无效", "invalid").to_string(),
            (Standing::Incomplete { possible, .. }, _) => {
                let grades: Vec<&str> = possible
                    .iter()
                    .map(|g| match lang {
                        Lang::Zh => g.label.as_str(),
                        Lang::En => g.id.as_str(),
                    })
                    .collect();
                match lang {
                    Lang::Zh => format!("无法判定（{}）", grades.join("或")),
                    Lang::En => format!("undetermined ({})", grades.join(" or ")),
                }
            }
        };
        if let Standing::Graded { vetoed_by, .. } = &evaluation.standing {
            for veto in vetoed_by {
                grade.push('\n');
                grade.push_str(&format!(
                    "{}{}",
                    lang.pick("一票否决：", "vetoed: "),
                    veto.title.get(lang)
                ));
            }
        }
        if let Standing::Incomplete { missing, .. } = &evaluation.standing {
            grade.push('\n');
            grade.push_str(&missing_text(missing, lang));
        }
        if let Some(error) = &evaluation.error {
            invalid.push((evaluation.source.clone(), error));
        }
        let acceptance = match &evaluation.acceptance {
            None => "—".to_string(),
            Some(acceptance) if acceptance.outcome == AcceptanceOutcome::NotAssessed => lang
                .pick("不作估计（放弃资格）", "not assessed (title given up)")
                .to_string(),
            Some(acceptance) => {
                let mut text = match (acceptance.outcome, lang) {
                    (AcceptanceOutcome::Passed, Lang::Zh) => "通过".to_string(),
                    (AcceptanceOutcome::NotPassed, Lang::Zh) => "未通过".to_string(),
                    (outcome, _) => outcome.label(lang),
                };
                for target in acceptance.targets.iter().filter(|t| t.met() != Some(true)) {
                    text.push('\n');
                    text.push_str(&super::target_line(target, lang));
                }
                text
            }
        };
        let next = evaluation
            .next_grade
            .as_ref()
            .map(|next| {
                let cheapest = next
                    .routes
                    .first()
                    .map(|route| {
                        format!(
                            "{} +{}",
                            super::indicator_label(&route.indicator.metric, lang),
                            super::indicator_value(&route.indicator.metric, route.increase())
                        )
                    })
                    .unwrap_or_default();
                match lang {
                    Lang::Zh => format!(
                        "距“{}”差 {} 分\n最省：{cheapest}{}",
                        next.grade.label,
                        super::lacking_text(next.short_by),
                        if next.combined { " 等" } else { "" }
                    ),
                    Lang::En => format!(
                        "{} short of {}\ncheapest: {cheapest}{}",
                        super::lacking_text(next.short_by),
                        next.grade.id,
                        if next.combined { " and more" } else { "" }
                    ),
                }
            })
            .unwrap_or_default();
        table.add_row(vec![
            evaluation.source[prefix.len()..].to_string(),
            evaluation.center.clone().unwrap_or_else(|| "—".to_string()),
            cells.score,
            grade,
            acceptance,
            next,
        ]);
    }
    writeln!(out, "{table}")?;
    // Warnings stand wherever verdicts do (SPEC §2).
    for evaluation in evaluations {
        for warning in &evaluation.warnings {
            writeln!(
                out,
                "{}{} {}{}{}",
                warning_prefix(lang),
                lang.pick("：", ": "),
                evaluation.source,
                lang.pick("：", ": "),
                warning.get(lang)
            )?;
        }
    }
    let summary = GradeSummary::of(evaluations);
    writeln!(out, "{}", summary_sentence(&summary, lang))?;
    // What each grade present entails (第二十六条), once per consequence, with the grades (or
    // the veto) that carry it: 优 and 良 share one.
    // (labels, consequence, citation, order): grades in 第二十六条's order, a veto's last.
    let mut said: Vec<(Vec<String>, &str, &str, usize)> = Vec::new();
    for evaluation in evaluations {
        let Some((citation, text)) = evaluation.standing.consequence() else {
            continue;
        };
        let (label, order) = match &evaluation.standing {
            Standing::Graded { grade, vetoed_by } => {
                match vetoed_by.iter().find(|v| v.consequence.is_some()) {
                    Some(veto) => (veto.title.get(lang).to_string(), usize::MAX),
                    None => (
                        match lang {
                            Lang::Zh => grade.label.clone(),
                            Lang::En => grade.id.clone(),
                        },
                        GRADES
                            .iter()
                            .position(|(id, _)| *id == grade.id)
                            .unwrap_or(usize::MAX),
                    ),
                }
            }
            _ => continue,
        };
        let line = text.get(lang);
        match said
            .iter_mut()
            .find(|(_, said_line, _, _)| *said_line == line)
        {
            Some((labels, _, _, first)) => {
                if !labels.contains(&label) {
                    labels.push(label);
                    *first = (*first).min(order);
                }
            }
            None => said.push((vec![label], line, citation, order)),
        }
    }
    said.sort_by_key(|entry| entry.3);
    for (mut labels, line, citation, _) in said {
        // 优/良, never 良/优.
        labels.sort_by_key(|label| {
            GRADES
                .iter()
                .position(|(id, zh)| id == label || zh == label)
                .unwrap_or(usize::MAX)
        });
        writeln!(
            out,
            "  {}{}{}",
            labels.join("/"),
            lang.pick("：", ": "),
            cited(line, citation, lang)
        )?;
    }
    let lost = super::costliest(evaluations);
    if !lost.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick(
                "全轮失分最多的指标（按评分区间，已填数据的中心）：",
                "indicators that cost the round the most points (centers that state them):"
            )
        )?;
        for (indicator, points, centers) in lost.iter().take(5) {
            writeln!(
                out,
                "  {}",
                super::costliest_line(indicator, *points, *centers, lang)
            )?;
        }
    }
    if !invalid.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick(
                "档案无效、未评估的中心：",
                "invalid profiles, not evaluated:"
            )
        )?;
        for (source, error) in invalid {
            if to_file {
                writeln!(out, "{}", error.render(lang))?;
            } else {
                let count = error.problems.len();
                writeln!(
                    out,
                    "  {source}{}",
                    match lang {
                        Lang::Zh => format!("：{count} 处错误，见上方诊断信息"),
                        Lang::En => format!(": {count} problem(s), in the diagnostics above"),
                    }
                )?;
            }
        }
    }
    Ok(())
}

/// A table's header and rows, laid out when printed by [`crate::report::wrap::table`] as
/// `check`'s tables are: fitted to the output's width (`check`'s rule), no indicator name or
/// number broken mid-word, no line starting with a closing mark.
struct Fitted {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Fitted {
    fn add_row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

impl std::fmt::Display for Fitted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let table = crate::report::wrap::table(self.header.clone(), self.rows.clone(), &[]);
        write!(f, "{table}")
    }
}

fn new_table(header: Vec<&str>) -> Fitted {
    Fitted {
        header: header.into_iter().map(String::from).collect(),
        rows: Vec::new(),
    }
}

fn label(path: &str, lang: Lang) -> String {
    EVALUATION
        .field(path)
        .map_or_else(|| path.to_string(), |field| field.label(lang).to_string())
}

fn center(
    out: &mut dyn Write,
    evaluation: &Evaluation<'_>,
    lang: Lang,
    to_file: bool,
) -> io::Result<()> {
    let name = evaluation.center.as_deref().unwrap_or("—");
    if let Some(error) = &evaluation.error {
        // Nothing of an invalid profile was read but its name: no cycle is claimed missing.
        match lang {
            Lang::Zh => writeln!(out, "{name}（{}）  档案无效，未评估", evaluation.source)?,
            Lang::En => writeln!(
                out,
                "{name} ({})  invalid profile, not evaluated",
                evaluation.source
            )?,
        }
        if to_file {
            return writeln!(out, "{}", error.render(lang));
        }
        let count = error.problems.len();
        return writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!("  {count} 处错误，见上方诊断信息（标准错误输出）"),
                Lang::En =>
                    format!("  {count} problem(s), shown in the diagnostics above (standard error)"),
            }
        );
    }
    let cycle = evaluation
        .cycle
        .map(|(from, to)| format!("{from}–{to}"))
        .unwrap_or_else(|| lang.pick("未填写", "not given").to_string());
    match lang {
        Lang::Zh => writeln!(out, "{name}（{}）  评估周期：{cycle}", evaluation.source)?,
        Lang::En => writeln!(out, "{name} ({})  cycle: {cycle}", evaluation.source)?,
    }
    // Before any figure or grade: an untouched template, a cycle of other than 3 years.
    for warning in &evaluation.warnings {
        writeln!(out, "{}: {}", warning_prefix(lang), warning.get(lang))?;
    }
    let rubric = evaluation.rubric;
    let mut table = new_table(match lang {
        Lang::Zh => vec![
            "领域（第二十五条）",
            "指标",
            "数值",
            "满分线",
            "得分 / 权重",
        ],
        Lang::En => vec![
            "area (Art. 25)",
            "indicator",
            "value",
            "full at",
            "points / weight",
        ],
    });
    let mut previous_area = None;
    for score in &evaluation.scores {
        let indicator = score.indicator;
        // The area once, on the first of its indicators.
        let area = if previous_area == Some(indicator.area) {
            String::new()
        } else {
            rubric
                .areas
                .get(indicator.area - 1)
                .map(|area| format!("{} {}", area_number(indicator.area), area.title.get(lang)))
                .unwrap_or_default()
        };
        previous_area = Some(indicator.area);
        table.add_row(vec![
            area,
            label(&indicator.metric, lang),
            score
                .value
                .map(plain)
                .unwrap_or_else(|| lang.pick("缺数据", "missing").to_string()),
            plain(indicator.full_at),
            format!(
                "{} / {}",
                score
                    .points
                    .map(points_text)
                    .unwrap_or_else(|| "?".to_string()),
                plain(indicator.weight)
            ),
        ]);
    }
    writeln!(out, "{table}")?;
    let total = evaluation.total;
    if total.is_exact() {
        writeln!(
            out,
            "{}{}",
            lang.pick("总分：", "total: "),
            points_text(total.low)
        )?;
    } else {
        writeln!(
            out,
            "{}{} – {}",
            lang.pick("总分：缺数据，介于 ", "total: data missing, between "),
            points_text(total.low),
            points_text(total.high)
        )?;
    }
    standing(out, evaluation, lang)?;
    vetoes(out, evaluation, lang)?;
    governance(out, evaluation, lang)?;
    acceptance(out, evaluation, lang)
}

fn standing(out: &mut dyn Write, evaluation: &Evaluation<'_>, lang: Lang) -> io::Result<()> {
    match &evaluation.standing {
        Standing::Graded { grade, vetoed_by } => {
            writeln!(
                out,
                "{}{}",
                lang.pick("等级：", "grade: "),
                grade_label(grade, lang)
            )?;
            // What each veto rests on, and whose choice it is, stands in the list of vetoes.
            for veto in vetoed_by {
                writeln!(
                    out,
                    "{}{} — {}",
                    lang.pick("一票否决：", "vetoed: "),
                    veto.title.get(lang),
                    veto.citation
                )?;
            }
            if let Some((citation, consequence)) = evaluation.standing.consequence() {
                writeln!(
                    out,
                    "{}{}",
                    lang.pick("后果：", "consequence: "),
                    cited(consequence.get(lang), citation, lang)
                )?;
            }
            match &evaluation.next_grade {
                Some(next) => writeln!(out, "{}", next_grade_text(next, lang)),
                None => Ok(()),
            }
        }
        Standing::Incomplete { possible, missing } => {
            let grades: Vec<String> = possible.iter().map(|g| grade_label(g, lang)).collect();
            writeln!(
                out,
                "{}{}",
                lang.pick("等级：无法判定，可能为 ", "grade: undetermined, one of "),
                grades.join(lang.pick("、", ", "))
            )?;
            writeln!(out, "{}", missing_text(missing, lang))
        }
        Standing::Error => Ok(()),
    }
}

/// Every veto of the rubric: what the profile states, what the veto rests on and whose choice
/// it is (SPEC §6: two of the default vetoes are the rubric's, not the law's).
fn vetoes(out: &mut dyn Write, evaluation: &Evaluation<'_>, lang: Lang) -> io::Result<()> {
    if evaluation.vetoes.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        lang.pick(
            "一票否决项（任一为“是”，等级为“差”，不论得分）：",
            "vetoes (any one stated makes the grade poor, whatever the score):"
        )
    )?;
    for finding in &evaluation.vetoes {
        let veto = finding.veto;
        let stated = match finding.stated {
            Some(true) => lang.pick("是", "yes").to_string(),
            Some(false) => lang.pick("否", "no").to_string(),
            None => missing_text(std::slice::from_ref(&veto.metric), lang),
        };
        writeln!(
            out,
            "  {}{}{stated} — {}",
            veto.title.get(lang),
            lang.pick("：", ": "),
            veto.citation
        )?;
        writeln!(out, "    {}", veto.basis.get(lang))?;
    }
    Ok(())
}

fn governance(out: &mut dyn Write, evaluation: &Evaluation<'_>, lang: Lang) -> io::Result<()> {
    if evaluation.governance.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        lang.pick(
            "运行管理（不影响等级）：",
            "governance (does not change the grade):"
        )
    )?;
    let mut table = new_table(match lang {
        Lang::Zh => vec!["条款", "要求", "应为", "实际", "结论"],
        Lang::En => vec!["article", "requirement", "required", "actual", "verdict"],
    });
    for finding in &evaluation.governance {
        let mut actual = finding
            .actual
            .as_ref()
            .map(|actual| actual.get(lang).to_string())
            .unwrap_or_else(|| missing_text(&finding.missing, lang));
        for note in &finding.notes {
            actual.push('\n');
            actual.push_str(note.get(lang));
        }
        table.add_row(vec![
            finding.check.citation.clone(),
            finding.check.title.get(lang).to_string(),
            finding.required.get(lang).to_string(),
            actual,
            verdict_label(finding.verdict, lang),
        ]);
    }
    writeln!(out, "{table}")
}

fn acceptance(out: &mut dyn Write, evaluation: &Evaluation<'_>, lang: Lang) -> io::Result<()> {
    let Some(acceptance) = &evaluation.acceptance else {
        return Ok(());
    };
    let terms = &evaluation.rubric.acceptance;
    let outcome = acceptance.outcome;
    let heading = cited(
        lang.pick("建设期考核评估", "construction-period acceptance"),
        &terms.citation,
        lang,
    );
    let colon = lang.pick("：", ": ");
    if outcome == AcceptanceOutcome::NotAssessed {
        // 第二十六条第（三）项: the center is told that consequence alone.
        return writeln!(
            out,
            "{heading}{colon}{}",
            not_assessed_reason(evaluation, lang)
        );
    }
    // 第二十三条: the panel decides; ticheck estimates from the contract's targets.
    match lang {
        Lang::Zh => writeln!(
            out,
            "{heading}：{}：{}；{}",
            terms.estimate.zh,
            outcome.label(lang),
            terms.decided_by.zh
        )?,
        Lang::En => writeln!(
            out,
            "{heading}: {}: {}; {}",
            terms.estimate.en,
            outcome.label(lang),
            terms.decided_by.en
        )?,
    }
    if let Some(consequence) = outcome.consequence(terms) {
        writeln!(out, "  {}", consequence.get(lang))?;
    }
    for target in &acceptance.targets {
        let achieved = target
            .achieved_text()
            .unwrap_or_else(|| lang.pick("未填写", "not given").to_string());
        let mark = match target_met(target) {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "?",
        };
        writeln!(
            out,
            "  {mark} {}{}{} {} / {} {achieved}",
            target.name,
            lang.pick("：", ": "),
            lang.pick("目标", "target"),
            target.required_text(),
            lang.pick("完成", "achieved"),
        )?;
    }
    Ok(())
}

/// The sources' common beginning up to and including a `:` (`round.xlsx:`), or nothing.
fn common_source(evaluations: &[Evaluation<'_>]) -> String {
    let Some(first) = evaluations.first() else {
        return String::new();
    };
    let mut length = first.source.len();
    for evaluation in &evaluations[1..] {
        length = first
            .source
            .char_indices()
            .zip(evaluation.source.chars())
            .take_while(|((index, a), b)| *index < length && a == b)
            .last()
            .map_or(0, |((index, a), _)| index + a.len_utf8());
    }
    let common = &first.source[..length];
    // Rows of one sheet (`round.xlsx:`), or files of one folder (`fixtures/evaluation/`).
    match common.rfind([':', '/']) {
        Some(end) if evaluations.len() > 1 => common[..=end].to_string(),
        _ => String::new(),
    }
}

pub fn summary_sentence(summary: &GradeSummary, lang: Lang) -> String {
    let graded = summary.grade_counts(lang);
    match lang {
        Lang::Zh => format!(
            "合计：{}，无法判定 {}，无法读取 {}",
            graded.join("，"),
            summary.incomplete,
            summary.error
        ),
        Lang::En => format!(
            "total: {}, incomplete {}, error {}",
            graded.join(", "),
            summary.incomplete,
            summary.error
        ),
    }
}
