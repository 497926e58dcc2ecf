//! `ticheck evaluate --format csv` (or `-o round.csv`): one row per center, for the evaluating
//! agency to sort and file. As `check`'s CSV (SPEC §7): UTF-8 with a BOM unless told otherwise,
//! Chinese headers under `--lang zh`; then one column per indicator with its points.

use std::io::{self, Write};

use super::{indicator_label, points_json, SummaryCells};
use crate::evaluation::Evaluation;
use crate::i18n::Lang;
use crate::report::csv::field;
use crate::report::OutputEncoding;
use crate::rules::evaluation::Rubric;

/// The columns before the indicators.
fn header_names(lang: Lang) -> [&'static str; 14] {
    match lang {
        Lang::Zh => [
            "来源",
            "中心名称",
            "评估周期",
            "总分",
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
        Lang::En => [
            "source",
            "center",
            "cycle",
            "score",
            "grade",
            "consequence",
            "vetoed_by",
            "acceptance_estimate",
            "targets_not_met",
            "next_grade",
            "governance",
            "missing",
            "warnings",
            "error",
        ],
    }
}

pub fn write(
    out: &mut dyn Write,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    encoding: OutputEncoding,
) -> io::Result<()> {
    let mut text = Vec::new();
    let headers =
        header_names(lang)
            .map(str::to_string)
            .into_iter()
            .chain(rubric.indicators.iter().map(|indicator| match lang {
                Lang::Zh => format!("{}（得分）", indicator_label(&indicator.metric, lang)),
                Lang::En => indicator.metric.clone(),
            }));
    for (index, name) in headers.enumerate() {
        field(&mut text, index > 0, &name);
    }
    text.push(b'\n');
    for evaluation in evaluations {
        let cells = SummaryCells::of(evaluation, lang);
        let row = [
            evaluation.source.as_str(),
            evaluation.center.as_deref().unwrap_or(""),
            &cells.cycle,
            &cells.score,
            &cells.grade,
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
        for (index, cell) in row.iter().enumerate() {
            field(&mut text, index > 0, cell);
        }
        // An invalid profile has no scores: its indicator cells stay empty.
        for indicator in &rubric.indicators {
            let points = evaluation
                .scores
                .iter()
                .find(|score| score.indicator.metric == indicator.metric)
                .and_then(|score| score.points);
            field(
                &mut text,
                true,
                &points.map(points_json).unwrap_or_default(),
            );
        }
        text.push(b'\n');
    }
    match encoding {
        OutputEncoding::Utf8Bom => {
            // SPEC §7: Excel reads UTF-8 without mojibake only after a byte-order mark.
            out.write_all(b"\xEF\xBB\xBF")?;
            out.write_all(&text)
        }
        OutputEncoding::Utf8 => out.write_all(&text),
        OutputEncoding::Gb18030 => {
            let text = String::from_utf8_lossy(&text);
            let (encoded, _, _) = encoding_rs::GB18030.encode(&text);
            out.write_all(&encoded)
        }
    }
}
