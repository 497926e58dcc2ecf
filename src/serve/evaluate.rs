//! The evaluation page for an evaluating agency (SPEC §6, §8): upload a round's sheet (CSV or
//! XLSX, one center per row) or a center's TOML evaluation profile, and optionally the contract
//! targets in a file of their own; see the round's table (score, grade and consequence, the
//! indicators that lost points, the acceptance estimate, points to the next grade); download
//! the results workbook (the workbook `ticheck evaluate --output FILE.xlsx` writes). The run is
//! the command line's ([`crate::evaluation::run`]); the cells are the reports' own
//! ([`SummaryCells`]). The uploads are held in memory for the request alone.

use std::sync::Arc;

use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::api::{lang_of, LangQuery, DEFAULT_NAME};
use super::bureau::XLSX_TYPE;
use super::page::{html_response, lang_href, page};
use super::App;
use crate::evaluation::run::{self, Evaluated, Input, Kind, Options};
use crate::evaluation::{Evaluation, Standing};
use crate::i18n::Lang;
use crate::profile::evaluation_sheet::SheetFile;
use crate::report::evaluation::table::summary_sentence;
use crate::report::evaluation::{
    costliest, costliest_line, lost_points, GradeSummary, SummaryCells,
};

/// `GET /evaluate`: the upload form.
pub async fn form(State(app): State<Arc<App>>, Query(query): Query<LangQuery>) -> Response {
    let lang = lang_of(query.lang.as_deref());
    html_response(evaluate_page(&app, lang, "", None))
}

/// The page, with the worksheet name typed (kept after a submit) and the result, if any.
fn evaluate_page(app: &App, lang: Lang, sheet: &str, result: Option<Markup>) -> Markup {
    let title = lang.pick(
        "技术创新中心绩效评估（评估机构）",
        "Technology innovation centers: performance evaluation (evaluating agency)",
    );
    let meta = &app.rubric.meta;
    page(
        title,
        lang,
        html! {
            h1 { (title) }
            p { (meta.title.get(lang)) " (" (meta.id) ")" }
            // The rubric is ticheck's own, and says so wherever a score stands (SPEC §6).
            @if meta.default { p.warning { (meta.notice.get(lang)) } }
            form method="post" action=(lang_href("/evaluate", lang)) enctype="multipart/form-data" {
                input type="hidden" name="lang" value=(lang.pick("zh", "en"));
                p {
                    label for="file" { (lang.pick(
                        "评估汇总表（.csv、.xlsx，每行一个中心）或中心的评估档案（.toml）：",
                        "The round's sheet (.csv, .xlsx, one center per row) or a center's evaluation profile (.toml): "
                    )) }
                    input type="file" id="file" name="file" accept=".csv,.tsv,.txt,.xlsx,.xlsm,.toml" required;
                }
                p {
                    label for="targets" { (lang.pick(
                        "合同指标（可选，.csv、.xlsx，每行一项，按中心名称或统一社会信用代码对应；工作簿中已有合同指标工作表时不必另传）：",
                        "Contract targets (optional; .csv, .xlsx, one target per row keyed by the center's name or USCC; not needed when the workbook has a worksheet of targets): "
                    )) }
                    input type="file" id="targets" name="targets" accept=".csv,.tsv,.txt,.xlsx,.xlsm";
                }
                p {
                    label for="sheet" { (lang.pick("工作表名称（可选，默认为第一个有评估表头的工作表）：", "Worksheet (optional; by default the first with a header of evaluation fields): ")) }
                    input type="text" id="sheet" name="sheet" value=(sheet);
                }
                p { (lang.pick(
                    "模板：ticheck init --evaluation --sheet（汇总表）或 ticheck init --evaluation（TOML 档案）。文件只在本次请求中读取，不保存、不写入磁盘。",
                    "Templates: ticheck init --evaluation --sheet (a sheet) or ticheck init --evaluation (a TOML profile). The files are read for this request only: nothing is stored or written to disk."
                )) }
                p {
                    button type="submit" name="action" value="table" { (lang.pick("评估并查看结果", "Evaluate and show the results")) }
                    " "
                    button type="submit" name="action" value="workbook" { (lang.pick("评估并下载结果工作簿（.xlsx）", "Evaluate and download the results workbook (.xlsx)")) }
                }
            }
            @if let Some(result) = result { (result) }
        },
    )
}

/// A file of the upload: its base name (never a path) and its bytes.
struct Upload {
    name: String,
    bytes: Vec<u8>,
}

impl From<super::upload::Part> for Upload {
    fn from(part: super::upload::Part) -> Upload {
        Upload {
            name: part.file_name.unwrap_or_default(),
            bytes: part.bytes,
        }
    }
}

/// What the upload form sent.
#[derive(Default)]
struct Sent {
    file: Option<Upload>,
    targets: Option<Upload>,
    sheet: Option<String>,
    workbook: bool,
    lang: Option<String>,
}

async fn read_form(multipart: Multipart) -> Result<Sent, Response> {
    let mut sent = Sent::default();
    for part in super::upload::parts(multipart).await? {
        match part.name.as_str() {
            "file" => sent.file = Some(Upload::from(part)),
            // A browser sends an empty part for a file input left empty.
            "targets" if !part.bytes.is_empty() => sent.targets = Some(Upload::from(part)),
            "sheet" => sent.sheet = Some(part.text()).filter(|sheet| !sheet.is_empty()),
            "action" => sent.workbook = part.bytes == b"workbook",
            "lang" => sent.lang = Some(part.text()),
            _ => {}
        }
    }
    Ok(sent)
}

/// An upload's kind: by its name's extension, else by its bytes.
fn kind_of(upload: &Upload) -> Option<Kind> {
    Kind::of_name(&upload.name).or_else(|| crate::sniff::sniff(&upload.bytes).map(Kind::of_format))
}

fn name_of(upload: &Upload) -> String {
    match upload.name.is_empty() {
        true => DEFAULT_NAME.to_string(),
        false => upload.name.clone(),
    }
}

/// `POST /evaluate`: the upload evaluated; the results page, or the results workbook.
pub async fn submit(
    State(app): State<Arc<App>>,
    Query(query): Query<LangQuery>,
    multipart: Multipart,
) -> Response {
    let sent = match read_form(multipart).await {
        Ok(sent) => sent,
        Err(response) => return response,
    };
    let lang = lang_of(sent.lang.as_deref().or(query.lang.as_deref()));
    let typed_sheet = sent.sheet.clone().unwrap_or_default();
    // No file chosen (a browser sends an empty part with no name): say so, not "<body>".
    let Some(file) = sent
        .file
        .filter(|file| !(file.name.is_empty() && file.bytes.is_empty()))
    else {
        let result = html! { p.warning { "⚠ " (lang.pick(
            "请选择文件：评估汇总表（.csv、.xlsx）或中心的评估档案（.toml）",
            "Choose a file: the round's sheet (.csv, .xlsx) or a center's evaluation profile (.toml)"
        )) } };
        let page = evaluate_page(&app, lang, &typed_sheet, Some(result));
        return (StatusCode::BAD_REQUEST, html_response(page)).into_response();
    };
    let kind = kind_of(&file);
    let targets = sent.targets.map(|targets| SheetFile {
        name: name_of(&targets),
        // Anything but a workbook is read as CSV text, whose reader says what it lacks.
        is_csv: kind_of(&targets) != Some(Kind::Sheet { csv: false }),
        bytes: targets.bytes,
    });
    let (workbook, sheet) = (sent.workbook, sent.sheet);
    let answered = super::jobs::sheet_job(move || {
        let input = Input {
            name: name_of(&file),
            kind,
            bytes: Ok(file.bytes),
        };
        let options = Options {
            sheet: sheet.as_deref(),
            encoding: None,
            targets: targets.as_ref(),
        };
        let evaluated = match run::run(&app.rubric, vec![input], &options) {
            Ok(evaluated) => evaluated,
            Err(message) => {
                let result = html! { p.warning { (message.get(lang)) } };
                let page = evaluate_page(&app, lang, &typed_sheet, Some(result));
                return (StatusCode::BAD_REQUEST, html_response(page)).into_response();
            }
        };
        if workbook && kind.is_some() {
            return match evaluated.workbook(lang) {
                Ok(bytes) => (
                    [
                        (header::CONTENT_TYPE, XLSX_TYPE),
                        (
                            header::CONTENT_DISPOSITION,
                            "attachment; filename=\"ticheck-evaluation.xlsx\"",
                        ),
                    ],
                    bytes,
                )
                    .into_response(),
                Err(_) => {
                    (StatusCode::INTERNAL_SERVER_ERROR, "the workbook failed").into_response()
                }
            };
        }
        let page = evaluate_page(&app, lang, &typed_sheet, Some(result(&evaluated, lang)));
        // An upload of no kind the evaluation reads: the page says so, as for the API.
        let status = match kind {
            Some(_) => StatusCode::OK,
            None => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        };
        (status, html_response(page)).into_response()
    })
    .await;
    answered.unwrap_or_else(|_| {
        (StatusCode::INTERNAL_SERVER_ERROR, "the evaluation failed").into_response()
    })
}

/// The colour of a grade's cell: as the workbook's, green for 优/良, yellow for 中 and
/// undecided, red for 差 and invalid profiles.
fn standing_class(evaluation: &Evaluation<'_>) -> &'static str {
    match &evaluation.standing {
        Standing::Graded { grade, .. } => match grade.id.as_str() {
            "excellent" | "good" => "pass",
            "fair" => "missing",
            _ => "fail",
        },
        Standing::Incomplete { .. } => "missing",
        Standing::Error => "fail",
    }
}

/// A cell of the round's table: its text, what is said under it in small print, what is
/// folded under a heading (the consequence of a grade: long, and the same on many rows), its
/// colour.
#[derive(Default)]
struct Cell {
    text: String,
    small: Vec<String>,
    folded: Option<(&'static str, String)>,
    class: Option<&'static str>,
}

impl Cell {
    fn of(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty()
            && self.small.iter().all(String::is_empty)
            && self.folded.as_ref().is_none_or(|(_, text)| text.is_empty())
    }
}

/// The columns every center has, shown even when empty: source, center, cycle, score, grade.
const ALWAYS_SHOWN: usize = 5;

/// Each column's least width: Chinese text breaks between any two characters, so without one
/// a table squeezes a center's name into a column one character wide.
const MIN_WIDTHS: [&str; 12] = [
    "7em", "8em", "5em", "4em", "7em", "15em", "10em", "14em", "8em", "6em", "8em", "12em",
];

/// One center's line of the round's table, in the reports' words.
fn cells(evaluation: &Evaluation<'_>, lang: Lang) -> Vec<Cell> {
    let cells = SummaryCells::of(evaluation, lang);
    let vetoed_by = match cells.vetoed_by.is_empty() {
        true => String::new(),
        false => format!("{}{}", lang.pick("一票否决：", "vetoed: "), cells.vetoed_by),
    };
    vec![
        Cell::of(evaluation.source.clone()),
        Cell::of(evaluation.center.as_deref().unwrap_or("—")),
        Cell::of(cells.cycle),
        Cell::of(cells.score),
        Cell {
            text: cells.grade,
            small: vec![vetoed_by],
            folded: Some((lang.pick("后果", "Consequence"), cells.consequence)),
            class: Some(standing_class(evaluation)),
        },
        Cell::of(lost_points(evaluation, lang).join("\n")),
        Cell {
            text: cells.acceptance,
            small: vec![cells.shortfalls],
            ..Cell::default()
        },
        Cell::of(cells.next_grade),
        Cell::of(cells.governance),
        Cell::of(cells.missing),
        Cell::of(cells.warnings),
        Cell::of(cells.error),
    ]
}

/// The round's table (its columns that say something for some center), the grade
/// distribution and the indicators that cost the round the most points.
fn result(evaluated: &Evaluated<'_>, lang: Lang) -> Markup {
    let evaluations = &evaluated.evaluations;
    let summary = GradeSummary::of(evaluations);
    let costliest = costliest(evaluations);
    let headings: &[&str] = match lang {
        Lang::Zh => &[
            "来源",
            "中心",
            "评估周期",
            "总分",
            "等级与后果",
            "失分指标（得分 / 权重）",
            "建设期考核（按合同指标估计）",
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
            "Grade and consequence",
            "Indicators that lost points (points / weight)",
            "Acceptance (estimate from the contract targets)",
            "Next grade",
            "Governance",
            "Missing data",
            "Warnings",
            "Error",
        ],
    };
    let rows: Vec<Vec<Cell>> = evaluations.iter().map(|e| cells(e, lang)).collect();
    let shown: Vec<usize> = (0..headings.len())
        .filter(|&column| column < ALWAYS_SHOWN || rows.iter().any(|row| !row[column].is_empty()))
        .collect();
    html! {
        section #result {
            h2 { (lang.pick("评估结果", "Results")) }
            p.verdict { (summary_sentence(&summary, lang)) }
            @for note in &evaluated.notes { p { (note.get(lang)) } }
            // Wider than the page with many columns: the table scrolls, the page does not.
            div style="overflow-x:auto" {
                table {
                    tr {
                        @for &column in &shown {
                            th style=(format!("min-width:{}", MIN_WIDTHS[column])) { (headings[column]) }
                        }
                    }
                    @for row in &rows {
                        tr {
                            @for &column in &shown {
                                @let cell = &row[column];
                                td class=[cell.class] {
                                    (cell.text)
                                    @for line in cell.small.iter().filter(|line| !line.is_empty()) {
                                        br; small { (line) }
                                    }
                                    @if let Some((heading, text)) = cell.folded.as_ref().filter(|(_, text)| !text.is_empty()) {
                                        details { summary { (heading) } small { (text) } }
                                    }
                                }
                            }
                        }
                    }
                }
                // A round's, as in the command line's table: one center is its own table.
            }
            @if evaluations.len() > 1 && !costliest.is_empty() {
                h3 { (lang.pick("全轮失分最多的指标（按评分区间，已填数据的中心）", "Indicators that cost the round the most points (centers that state them)")) }
                ul {
                    @for (indicator, points, centers) in costliest.iter().take(5) {
                        li { (costliest_line(indicator, *points, *centers, lang)) }
                    }
                }
            }
        }
    }
}
