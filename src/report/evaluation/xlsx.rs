//! `ticheck evaluate -o round.xlsx`: the round as a workbook for the agency's files (SPEC §6,
//! §7). Sheets: 汇总 (one row per center: score and its range, grade, consequence, vetoes,
//! acceptance estimate, points to the next grade, governance, warnings, errors), 指标 (each
//! center's value, band and points per indicator), 运行管理 (governance findings), 合同指标
//! (the construction contract's targets) and 说明 (the rubric's notice, the grade distribution
//! and the indicators that cost the round the most points). Rows keep the order of the input.

use std::path::Path;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use super::{costliest, costliest_line, indicator_label, points_json, GradeSummary, SummaryCells};
use crate::evaluation::{AcceptanceOutcome, Evaluation, Standing};
use crate::i18n::{Lang, Text};
use crate::rules::evaluation::Rubric;

fn fill(color: u32) -> Format {
    Format::new().set_background_color(Color::RGB(color))
}

fn header(sheet: &mut Worksheet, titles: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9E1F2));
    for (column, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *title, &bold)?;
    }
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(column as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.autofilter(0, 0, 0, titles.len().saturating_sub(1) as u16)?;
    Ok(())
}

fn number(value: Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

/// The colour of a grade's cell: green for 优/良, yellow for 中 and undecided, red for 差 and
/// invalid profiles.
fn standing_format(evaluation: &Evaluation<'_>) -> Format {
    fill(match &evaluation.standing {
        Standing::Graded { grade, .. } => match grade.id.as_str() {
            "excellent" | "good" => 0xC6EFCE,
            "fair" => 0xFFEB9C,
            _ => 0xFFC7CE,
        },
        Standing::Incomplete { .. } => 0xFFEB9C,
        Standing::Error => 0xFFC7CE,
    })
}

/// `notes`: what was said of the sheets read, on the 说明 sheet.
pub fn write(
    path: &Path,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    notes: &[Text],
) -> Result<(), XlsxError> {
    workbook(rubric, evaluations, lang, notes)?.save(path)
}

/// The same workbook as [`write`], as bytes (the web server's download).
pub fn bytes(
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    notes: &[Text],
) -> Result<Vec<u8>, XlsxError> {
    workbook(rubric, evaluations, lang, notes)?.save_to_buffer()
}

fn workbook(
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    notes: &[Text],
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    summary_sheet(workbook.add_worksheet(), evaluations, lang)?;
    indicator_sheet(workbook.add_worksheet(), evaluations, lang)?;
    governance_sheet(workbook.add_worksheet(), evaluations, lang)?;
    target_sheet(workbook.add_worksheet(), evaluations, lang)?;
    notes_sheet(workbook.add_worksheet(), rubric, evaluations, lang, notes)?;
    Ok(workbook)
}

fn summary_sheet(
    sheet: &mut Worksheet,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.pick("汇总", "Summary"))?;
    let titles: &[&str] = match lang {
        Lang::Zh => &[
            "来源",
            "中心名称",
            "评估周期",
            "总分",
            "总分下限",
            "总分上限",
            "等级",
            "后果",
            "一票否决",
            "建设期考核评估（按合同指标估计）",
            "未达到的合同指标",
            "距上一等级",
            "运行管理未符合项",
            "缺少的数据",
            "警告",
            "错误",
        ],
        Lang::En => &[
            "Source",
            "Center",
            "Cycle",
            "Score",
            "Score (low)",
            "Score (high)",
            "Grade",
            "Consequence",
            "Vetoed by",
            "Acceptance (estimate from the contract targets)",
            "Targets not met",
            "Next grade",
            "Governance",
            "Missing data",
            "Warnings",
            "Error",
        ],
    };
    header(
        sheet,
        titles,
        &[
            28.0, 30.0, 12.0, 10.0, 10.0, 10.0, 22.0, 48.0, 30.0, 36.0, 40.0, 60.0, 40.0, 36.0,
            40.0, 60.0,
        ],
    )?;
    for (index, evaluation) in evaluations.iter().enumerate() {
        let row = index as u32 + 1;
        let cells = SummaryCells::of(evaluation, lang);
        sheet.write_string(row, 0, &evaluation.source)?;
        sheet.write_string(row, 1, evaluation.center.as_deref().unwrap_or(""))?;
        sheet.write_string(row, 2, &cells.cycle)?;
        sheet.write_string(row, 3, &cells.score)?;
        if evaluation.error.is_none() {
            // Cut to two places as shown, never rounded up to a cut-off.
            let low = points_json(evaluation.total.low);
            let high = points_json(evaluation.total.high);
            sheet.write_number(row, 4, low.parse::<f64>().unwrap_or_default())?;
            sheet.write_number(row, 5, high.parse::<f64>().unwrap_or_default())?;
        }
        sheet.write_string_with_format(row, 6, &cells.grade, &standing_format(evaluation))?;
        let texts = [
            &cells.consequence,
            &cells.vetoed_by,
            &cells.acceptance,
            &cells.shortfalls,
            &cells.next_grade,
            &cells.governance,
            &cells.missing,
            &cells.warnings,
            &cells.error,
        ];
        for (offset, text) in texts.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(row, 7 + offset as u16, *text)?;
            }
        }
    }
    Ok(())
}

fn indicator_sheet(
    sheet: &mut Worksheet,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.pick("指标", "Indicators"))?;
    let titles: &[&str] = match lang {
        Lang::Zh => &[
            "来源",
            "中心名称",
            "领域（第二十五条）",
            "指标",
            "字段",
            "数值",
            "零分线",
            "满分线",
            "得分",
            "权重",
        ],
        Lang::En => &[
            "Source",
            "Center",
            "Area (Art. 25)",
            "Indicator",
            "Field",
            "Value",
            "Zero at",
            "Full at",
            "Points",
            "Weight",
        ],
    };
    header(
        sheet,
        titles,
        &[28.0, 30.0, 30.0, 30.0, 36.0, 10.0, 10.0, 10.0, 10.0, 8.0],
    )?;
    let missing = fill(0xFFEB9C);
    let mut row = 0;
    for evaluation in evaluations {
        for score in &evaluation.scores {
            row += 1;
            let indicator = score.indicator;
            let area = evaluation
                .rubric
                .areas
                .get(indicator.area - 1)
                .map(|area| {
                    format!(
                        "{}{}",
                        super::area_number(indicator.area),
                        area.title.get(lang)
                    )
                })
                .unwrap_or_default();
            sheet.write_string(row, 0, &evaluation.source)?;
            sheet.write_string(row, 1, evaluation.center.as_deref().unwrap_or(""))?;
            sheet.write_string(row, 2, &area)?;
            sheet.write_string(row, 3, indicator_label(&indicator.metric, lang))?;
            sheet.write_string(row, 4, &indicator.metric)?;
            match score.value {
                Some(value) => sheet.write_number(row, 5, number(value))?,
                None => sheet.write_string_with_format(
                    row,
                    5,
                    lang.pick("缺数据", "missing"),
                    &missing,
                )?,
            };
            sheet.write_number(row, 6, number(indicator.zero_at))?;
            sheet.write_number(row, 7, number(indicator.full_at))?;
            if let Some(points) = score.points {
                let shown = points_json(points);
                sheet.write_number(row, 8, shown.parse::<f64>().unwrap_or_default())?;
            }
            sheet.write_number(row, 9, number(indicator.weight))?;
        }
    }
    Ok(())
}

fn governance_sheet(
    sheet: &mut Worksheet,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.pick("运行管理", "Governance"))?;
    let titles: &[&str] = match lang {
        Lang::Zh => &["来源", "中心名称", "条款", "要求", "应为", "实际", "结论"],
        Lang::En => &[
            "Source",
            "Center",
            "Article",
            "Requirement",
            "Required",
            "Actual",
            "Verdict",
        ],
    };
    header(sheet, titles, &[28.0, 30.0, 12.0, 24.0, 30.0, 40.0, 14.0])?;
    let mut row = 0;
    for evaluation in evaluations {
        for finding in &evaluation.governance {
            row += 1;
            let mut actual = finding
                .actual
                .as_ref()
                .map(|actual| actual.get(lang).to_string())
                .unwrap_or_else(|| crate::report::missing_text(&finding.missing, lang));
            for note in &finding.notes {
                actual.push('\n');
                actual.push_str(note.get(lang));
            }
            sheet.write_string(row, 0, &evaluation.source)?;
            sheet.write_string(row, 1, evaluation.center.as_deref().unwrap_or(""))?;
            sheet.write_string(row, 2, &finding.check.citation)?;
            sheet.write_string(row, 3, finding.check.title.get(lang))?;
            sheet.write_string(row, 4, finding.required.get(lang))?;
            sheet.write_string(row, 5, &actual)?;
            let verdict = crate::report::verdict_label(finding.verdict, lang);
            let color = match finding.verdict {
                crate::engine::Verdict::Pass => 0xC6EFCE,
                crate::engine::Verdict::Fail => 0xFFC7CE,
                _ => 0xFFEB9C,
            };
            sheet.write_string_with_format(row, 6, &verdict, &fill(color))?;
        }
    }
    Ok(())
}

fn target_sheet(
    sheet: &mut Worksheet,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.pick("合同指标", "Contract targets"))?;
    let titles: &[&str] = match lang {
        Lang::Zh => &[
            "来源",
            "中心名称",
            "指标",
            "方向",
            "目标值",
            "完成值",
            "单位",
            "是否达到",
        ],
        Lang::En => &[
            "Source",
            "Center",
            "Target",
            "Direction",
            "Target value",
            "Achieved",
            "Unit",
            "Met",
        ],
    };
    header(
        sheet,
        titles,
        &[28.0, 30.0, 30.0, 10.0, 12.0, 12.0, 14.0, 12.0],
    )?;
    let mut row = 0;
    for evaluation in evaluations {
        let Some(acceptance) = &evaluation.acceptance else {
            continue;
        };
        for target in &acceptance.targets {
            row += 1;
            sheet.write_string(row, 0, &evaluation.source)?;
            sheet.write_string(row, 1, evaluation.center.as_deref().unwrap_or(""))?;
            sheet.write_string(row, 2, &target.name)?;
            sheet.write_string(row, 3, target.direction.symbol())?;
            sheet.write_number(row, 4, number(target.target))?;
            if let Some(achieved) = target.achieved {
                sheet.write_number(row, 5, number(achieved))?;
            }
            sheet.write_string(row, 6, &target.unit)?;
            let (word, color) = if acceptance.outcome == AcceptanceOutcome::NotAssessed {
                (lang.pick("不作估计", "not assessed"), 0xEDEDED)
            } else {
                match target.met() {
                    Some(true) => (lang.pick("达到", "met"), 0xC6EFCE),
                    Some(false) => (lang.pick("未达到", "not met"), 0xFFC7CE),
                    None => (lang.pick("未填写完成值", "not given"), 0xFFEB9C),
                }
            };
            sheet.write_string_with_format(row, 7, word, &fill(color))?;
        }
    }
    Ok(())
}

fn notes_sheet(
    sheet: &mut Worksheet,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    notes: &[Text],
) -> Result<(), XlsxError> {
    sheet.set_name(lang.pick("说明", "Notes"))?;
    sheet.set_column_width(0, 120.0)?;
    let bold = Format::new().set_bold();
    let mut lines: Vec<(String, bool)> = vec![(
        format!("{}（{}）", rubric.meta.title.get(lang), rubric.meta.id),
        true,
    )];
    if rubric.meta.default {
        lines.push((rubric.meta.notice.get(lang).to_string(), false));
    }
    lines.push((
        format!(
            "{}{}",
            rubric.acceptance.estimate.get(lang),
            lang.pick(
                "：建设期考核评估栏是按合同指标作出的估计，考核评估结论由省科技厅组织的专家作出（第二十三条）。",
                ": the acceptance column is an estimate from the contract targets; the expert panel decides (第二十三条)."
            )
        ),
        false,
    ));
    let summary = GradeSummary::of(evaluations);
    let counts = summary.grade_counts(lang);
    lines.push((lang.pick("等级分布", "Grades").to_string(), true));
    lines.push((
        match lang {
            Lang::Zh => format!(
                "{}，无法判定 {}，档案无效 {}",
                counts.join("，"),
                summary.incomplete,
                summary.error
            ),
            Lang::En => format!(
                "{}, incomplete {}, invalid {}",
                counts.join(", "),
                summary.incomplete,
                summary.error
            ),
        },
        false,
    ));
    let lost = costliest(evaluations);
    if !lost.is_empty() {
        lines.push((
            lang.pick(
                "全轮失分最多的指标",
                "Indicators that cost the round the most points",
            )
            .to_string(),
            true,
        ));
        for (indicator, points, centers) in lost.iter().take(5) {
            lines.push((costliest_line(indicator, *points, *centers, lang), false));
        }
    }
    if !notes.is_empty() {
        lines.push((lang.pick("读取说明", "Reading notes").to_string(), true));
        lines.extend(notes.iter().map(|note| (note.get(lang).to_string(), false)));
    }
    for (row, (text, is_bold)) in lines.iter().enumerate() {
        if *is_bold {
            sheet.write_string_with_format(row as u32, 0, text, &bold)?;
        } else {
            sheet.write_string(row as u32, 0, text)?;
        }
    }
    Ok(())
}
