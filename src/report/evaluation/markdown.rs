//! `ticheck evaluate --format markdown` (or `-o round.md`): the round for a report or an
//! issue tracker. The default rubric's notice first; the round's table (one row per center);
//! the grade distribution and the indicators that cost the most points; then each center's
//! indicators, vetoes, governance and acceptance estimate.

use std::io::{self, Write};

use super::{
    area_number, costliest, costliest_line, indicator_label, indicator_value, points_text,
    target_line, GradeSummary, SummaryCells,
};
use crate::evaluation::{Evaluation, Standing};
use crate::i18n::{Lang, Text};
use crate::profile::value::plain;
use crate::report::markdown::{cell, inline};
use crate::rules::evaluation::Rubric;

/// `notes`: what was said of the sheets read, listed after the round's summary.
pub fn write(
    out: &mut dyn Write,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    notes: &[Text],
) -> io::Result<()> {
    writeln!(
        out,
        "# {}（{}）\n",
        inline(rubric.meta.title.get(lang)),
        rubric.meta.id
    )?;
    if rubric.meta.default {
        writeln!(out, "> {}\n", inline(rubric.meta.notice.get(lang)))?;
    }
    let header = match lang {
        Lang::Zh => [
            "来源",
            "中心",
            "总分",
            "等级",
            "后果",
            "建设期考核评估",
            "距上一等级",
        ],
        Lang::En => [
            "source",
            "center",
            "score",
            "grade",
            "consequence",
            "acceptance",
            "next grade",
        ],
    };
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(header.len()))?;
    for evaluation in evaluations {
        let cells = SummaryCells::of(evaluation, lang);
        let mut acceptance = cells.acceptance.clone();
        if !cells.shortfalls.is_empty() {
            acceptance.push('\n');
            acceptance.push_str(&cells.shortfalls);
        }
        let grade = if cells.error.is_empty() {
            cells.grade.clone()
        } else {
            format!("{}\n{}", cells.grade, cells.error)
        };
        let row = [
            format!("`{}`", evaluation.source.replace('`', "'")),
            cell(evaluation.center.as_deref().unwrap_or("—")),
            cell(&cells.score),
            cell(&grade),
            cell(&cells.consequence),
            cell(&acceptance),
            cell(&cells.next_grade),
        ];
        writeln!(out, "| {} |", row.join(" | "))?;
    }
    writeln!(out)?;
    let summary = GradeSummary::of(evaluations);
    let counts = summary.grade_counts(lang);
    match lang {
        Lang::Zh => writeln!(
            out,
            "**等级分布**：{}，无法判定 {}，档案无效 {}\n",
            counts.join("，"),
            summary.incomplete,
            summary.error
        )?,
        Lang::En => writeln!(
            out,
            "**Grades**: {}, incomplete {}, invalid {}\n",
            counts.join(", "),
            summary.incomplete,
            summary.error
        )?,
    }
    let lost = costliest(evaluations);
    if !lost.is_empty() {
        writeln!(
            out,
            "**{}**\n",
            lang.pick(
                "全轮失分最多的指标",
                "Indicators that cost the round the most points"
            )
        )?;
        for (indicator, points, centers) in lost.iter().take(5) {
            writeln!(
                out,
                "- {}",
                inline(&costliest_line(indicator, *points, *centers, lang))
            )?;
        }
        writeln!(out)?;
    }
    if !notes.is_empty() {
        writeln!(out, "**{}**\n", lang.pick("读取说明", "Reading notes"))?;
        for note in notes {
            writeln!(out, "- {}", inline(note.get(lang)))?;
        }
        writeln!(out)?;
    }
    for evaluation in evaluations {
        center(out, evaluation, lang)?;
    }
    Ok(())
}

fn center(out: &mut dyn Write, evaluation: &Evaluation<'_>, lang: Lang) -> io::Result<()> {
    let name = evaluation.center.as_deref().unwrap_or("—");
    writeln!(
        out,
        "## {}（`{}`）\n",
        inline(name),
        evaluation.source.replace('`', "'")
    )?;
    if let Some(error) = &evaluation.error {
        writeln!(
            out,
            "{}\n",
            lang.pick("档案无效，未评估：", "Invalid profile, not evaluated:")
        )?;
        for line in error.render(lang).lines() {
            writeln!(out, "- {}", inline(line))?;
        }
        return writeln!(out);
    }
    for warning in &evaluation.warnings {
        writeln!(
            out,
            "> {}{}",
            lang.pick("警告：", "Warning: "),
            inline(warning.get(lang))
        )?;
    }
    let rubric = evaluation.rubric;
    let header = match lang {
        Lang::Zh => [
            "领域（第二十五条）",
            "指标",
            "数值",
            "评分区间",
            "得分 / 权重",
        ],
        Lang::En => [
            "area (Art. 25)",
            "indicator",
            "value",
            "band",
            "points / weight",
        ],
    };
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(header.len()))?;
    for score in &evaluation.scores {
        let indicator = score.indicator;
        let area = rubric
            .areas
            .get(indicator.area - 1)
            .map(|area| format!("{}{}", area_number(indicator.area), area.title.get(lang)))
            .unwrap_or_default();
        let row = [
            cell(&area),
            cell(&indicator_label(&indicator.metric, lang)),
            score.value.map_or_else(
                || lang.pick("缺数据", "missing").to_string(),
                |value| indicator_value(&indicator.metric, value),
            ),
            format!(
                "{} – {}",
                plain(indicator.zero_at),
                plain(indicator.full_at)
            ),
            format!(
                "{} / {}",
                score.points.map_or_else(|| "?".to_string(), points_text),
                plain(indicator.weight)
            ),
        ];
        writeln!(out, "| {} |", row.join(" | "))?;
    }
    writeln!(out)?;
    let cells = SummaryCells::of(evaluation, lang);
    let colon = lang.pick("：", ": ");
    writeln!(
        out,
        "- **{}**{colon}{}",
        lang.pick("总分", "Score"),
        cells.score
    )?;
    writeln!(
        out,
        "- **{}**{colon}{}",
        lang.pick("等级", "Grade"),
        inline(&cells.grade)
    )?;
    if let Standing::Graded { vetoed_by, .. } = &evaluation.standing {
        for veto in vetoed_by {
            writeln!(
                out,
                "- **{}**{colon}{} — {}（{}）",
                lang.pick("一票否决", "Vetoed"),
                inline(veto.title.get(lang)),
                veto.citation,
                inline(veto.basis.get(lang))
            )?;
        }
    }
    if !cells.consequence.is_empty() {
        writeln!(
            out,
            "- **{}**{colon}{}",
            lang.pick("后果", "Consequence"),
            inline(&cells.consequence)
        )?;
    }
    if !cells.missing.is_empty() {
        writeln!(
            out,
            "- **{}**{colon}{}",
            lang.pick("缺少的数据", "Missing"),
            inline(&cells.missing)
        )?;
    }
    if !cells.next_grade.is_empty() {
        writeln!(
            out,
            "- **{}**{colon}{}",
            lang.pick("距上一等级", "Next grade"),
            inline(&cells.next_grade)
        )?;
    }
    for finding in &evaluation.governance {
        let actual = finding
            .actual
            .as_ref()
            .map(|actual| actual.get(lang).to_string())
            .unwrap_or_else(|| crate::report::missing_text(&finding.missing, lang));
        writeln!(
            out,
            "- {} {}{colon}{}（{} {}）",
            finding.check.citation,
            inline(finding.check.title.get(lang)),
            crate::report::verdict_label(finding.verdict, lang),
            inline(&actual),
            inline(finding.required.get(lang))
        )?;
    }
    if let Some(acceptance) = &evaluation.acceptance {
        let terms = &evaluation.rubric.acceptance;
        let heading = super::cited(
            lang.pick("建设期考核评估", "Construction-period acceptance"),
            &terms.citation,
            lang,
        );
        if acceptance.outcome == crate::evaluation::AcceptanceOutcome::NotAssessed {
            // 第二十六条第（三）项: the center is told that consequence alone.
            writeln!(out, "- **{heading}**{colon}{}", inline(&cells.acceptance))?;
        } else {
            writeln!(
                out,
                "- **{heading}**{colon}{}{}{}",
                inline(&cells.acceptance),
                lang.pick("；", "; "),
                inline(terms.decided_by.get(lang))
            )?;
            if let Some(consequence) = acceptance.outcome.consequence(terms) {
                writeln!(out, "  {}", inline(consequence.get(lang)))?;
            }
            for target in &acceptance.targets {
                let mark = match target.met() {
                    Some(true) => "✓",
                    Some(false) => "✗",
                    None => "?",
                };
                writeln!(out, "  - {mark} {}", inline(&target_line(target, lang)))?;
            }
        }
    }
    writeln!(out)
}
