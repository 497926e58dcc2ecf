//! The bureau page (SPEC §8): upload a CSV, XLSX or TOML file, see the batch summary, download
//! the results workbook (the workbook `ticheck check --output FILE.xlsx` writes). The upload is
//! held in memory for the request alone.

use std::io;
use std::sync::Arc;

use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::api::{lang_of, LangQuery};
use super::page::{html_response, lang_href, page};
use super::App;
use crate::check::{self, InputFormat, Output, Request, SheetOptions};
use crate::engine::Assessment;
use crate::i18n::Lang;
use crate::profile::sheet::encoding::EncodingChoice;
use crate::report::{self, Emitter, Format, Summary};
use clap::ValueEnum;

/// The media type of an `.xlsx` workbook.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `GET /bureau`: the upload form.
pub async fn form(State(app): State<Arc<App>>, Query(query): Query<LangQuery>) -> Response {
    let lang = lang_of(query.lang.as_deref());
    html_response(bureau_page(&app, lang, &Choices::default(), None))
}

/// The default of `--near-miss`.
const NEAR_MISS: usize = 2;

/// The reading choices of `ticheck check` for a sheet, as the form sent them (kept to show
/// the form again as it was).
#[derive(Debug, Default)]
struct Choices {
    /// `--sheet`: a workbook's worksheet; empty for the first with a recognisable header.
    sheet: String,
    /// `--encoding`: a CSV's text encoding; empty to detect it.
    encoding: String,
    /// `--near-miss N`; empty for the default.
    near_miss: String,
}

impl Choices {
    /// The encoding and the near-miss limit, or what is wrong with them.
    fn read(&self, lang: Lang) -> Result<(Option<EncodingChoice>, usize), String> {
        let encoding = match self.encoding.trim() {
            "" | "auto" => None,
            name => Some(
                EncodingChoice::from_str(name, true).map_err(|_| match lang {
                    Lang::Zh => {
                        format!("不认识的编码“{name}”：可选 {}", encoding_names().join("、"))
                    }
                    Lang::En => format!(
                        "unknown encoding '{name}': choose {}",
                        encoding_names().join(", ")
                    ),
                })?,
            ),
        };
        let near_miss = match self.near_miss.trim() {
            "" => NEAR_MISS,
            number => number.parse::<usize>().map_err(|_| match lang {
                Lang::Zh => format!("培育库条件数应为非负整数，而不是“{number}”"),
                Lang::En => format!("the near-miss limit must be a whole number, not '{number}'"),
            })?,
        };
        Ok((encoding, near_miss))
    }
}

/// The names `--encoding` takes (`utf-8`, `gb18030`, `utf-16`).
fn encoding_names() -> Vec<String> {
    EncodingChoice::value_variants()
        .iter()
        .filter_map(|choice| choice.to_possible_value())
        .map(|value| value.get_name().to_string())
        .collect()
}

fn bureau_page(app: &App, lang: Lang, choices: &Choices, result: Option<Markup>) -> Markup {
    let title = lang.pick("州市科技局批量检查", "Prefectural bureau: batch check");
    page(
        title,
        lang,
        html! {
            h1 { (title) }
            p { (report::rulebook_heading(&app.rulebook, lang)) }
            form method="post" action=(lang_href("/bureau", lang)) enctype="multipart/form-data" {
                input type="hidden" name="lang" value=(lang.pick("zh", "en"));
                p {
                    label for="file" { (lang.pick("申报汇总表（.csv、.xlsx）或申报单位档案（.toml）：", "Applicants' sheet (.csv, .xlsx) or a profile (.toml): ")) }
                    input type="file" id="file" name="file" accept=".csv,.tsv,.txt,.xlsx,.xlsm,.toml" required;
                }
                fieldset {
                    legend { (lang.pick("读取选项（可不填）", "Reading options (optional)")) }
                    p {
                        label for="sheet" { (lang.pick("工作表名称（.xlsx；默认取第一个有可识别表头的工作表）：", "Worksheet (.xlsx; default: the first with a recognisable header): ")) }
                        input type="text" id="sheet" name="sheet" value=(choices.sheet);
                    }
                    p {
                        label for="encoding" { (lang.pick("文本编码（.csv）：", "Text encoding (.csv): ")) }
                        select id="encoding" name="encoding" {
                            option value="" selected[choices.encoding.is_empty()] { (lang.pick("自动识别", "detect")) }
                            @for name in encoding_names() {
                                option value=(name) selected[choices.encoding == name] { (name.to_uppercase()) }
                            }
                        }
                    }
                    p {
                        label for="near_miss" { (lang.pick("培育库：不符合条件不超过几项（且不缺数据）：", "Near misses: failing at most this many conditions (and lacking no data): ")) }
                        input type="number" id="near_miss" name="near_miss" min="0" step="1" value=(if choices.near_miss.is_empty() { NEAR_MISS.to_string() } else { choices.near_miss.clone() });
                    }
                    p.note { (lang.pick(
                        "同命令行 ticheck check 的 --sheet、--encoding、--near-miss。",
                        "As the command line's ticheck check --sheet, --encoding, --near-miss."
                    )) }
                }
                p { (lang.pick(
                    "文件只在本次请求中读取，不保存、不写入磁盘。",
                    "The file is read for this request only: nothing is stored or written to disk."
                )) }
                p {
                    button type="submit" name="action" value="summary" { (lang.pick("检查并查看汇总", "Check and show the summary")) }
                    " "
                    button type="submit" name="action" value="workbook" { (lang.pick("检查并下载结果工作簿（.xlsx）", "Check and download the results workbook (.xlsx)")) }
                }
            }
            @if let Some(result) = result { (result) }
        },
    )
}

/// What the upload form sent.
struct Upload {
    name: String,
    bytes: Vec<u8>,
    workbook: bool,
    lang: Option<String>,
    choices: Choices,
}

async fn read_upload(multipart: Multipart) -> Result<Upload, Response> {
    let mut upload = Upload {
        name: String::new(),
        bytes: Vec::new(),
        workbook: false,
        lang: None,
        choices: Choices::default(),
    };
    for part in super::upload::parts(multipart).await? {
        match part.name.as_str() {
            "file" => {
                upload.name = part.file_name.unwrap_or_default();
                upload.bytes = part.bytes;
            }
            "action" => upload.workbook = part.bytes == b"workbook",
            "lang" => upload.lang = Some(String::from_utf8_lossy(&part.bytes).into_owned()),
            "sheet" => upload.choices.sheet = part.text(),
            "encoding" => {
                upload.choices.encoding = String::from_utf8_lossy(&part.bytes).into_owned()
            }
            "near_miss" => upload.choices.near_miss = part.text(),
            _ => {}
        }
    }
    Ok(upload)
}

/// `POST /bureau`: the uploaded file checked; the summary page, or the results workbook.
pub async fn submit(
    State(app): State<Arc<App>>,
    Query(query): Query<LangQuery>,
    multipart: Multipart,
) -> Response {
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(response) => return response,
    };
    let lang = lang_of(upload.lang.as_deref().or(query.lang.as_deref()));
    let Some(format) =
        InputFormat::of_name(&upload.name).or_else(|| crate::sniff::sniff(&upload.bytes))
    else {
        let message = lang.pick(
            "无法判断文件格式：请上传 .csv、.xlsx 或 .toml 文件",
            "cannot tell the file's format: upload a .csv, .xlsx or .toml file",
        );
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            html_response(bureau_page(
                &app,
                lang,
                &upload.choices,
                Some(html! { p.warning { (message) } }),
            )),
        )
            .into_response();
    };
    let name = match upload.name.is_empty() {
        true => super::api::DEFAULT_NAME.to_string(),
        false => upload.name.clone(),
    };
    let dates = match super::api::dates(None, lang) {
        Ok(dates) => dates,
        Err(message) => return super::api::error(StatusCode::BAD_REQUEST, message),
    };
    let (encoding, near_miss) = match upload.choices.read(lang) {
        Ok(read) => read,
        Err(message) => {
            return (
                StatusCode::BAD_REQUEST,
                html_response(bureau_page(
                    &app,
                    lang,
                    &upload.choices,
                    Some(html! { p.warning { (message) } }),
                )),
            )
                .into_response()
        }
    };
    let workbook = upload.workbook;
    let answered = super::jobs::sheet_job(move || {
        let choices = &upload.choices;
        let mut request = Request {
            format,
            name: &name,
            lang,
            dates,
            output: Output::Workbook,
            near_miss,
            sheet: SheetOptions {
                sheet: Some(choices.sheet.as_str()).filter(|sheet| !sheet.is_empty()),
                encoding,
            },
        };
        let bytes: Arc<[u8]> = upload.bytes.into();
        if workbook {
            let checked = check::check_bytes(&app.rulebook, bytes, &request);
            return (
                [
                    (header::CONTENT_TYPE, XLSX_TYPE),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"ticheck-results.xlsx\"",
                    ),
                ],
                checked.body,
            )
                .into_response();
        }
        request.output = Output::Report(Format::Json);
        let mut rows = Rows {
            rows: Vec::new(),
            knockouts: report::Knockouts::default(),
            lang,
        };
        let (summary, _) = check::check_into(
            &app.rulebook,
            &request,
            &mut rows,
            None,
            true,
            &mut io::sink(),
            |run| run.bytes(bytes, format, &name, &request.sheet),
        );
        html_response(bureau_page(
            &app,
            lang,
            choices,
            Some(summary_markup(&app, &rows, &summary, near_miss, lang)),
        ))
    })
    .await;
    answered
        .unwrap_or_else(|_| (StatusCode::INTERNAL_SERVER_ERROR, "the check failed").into_response())
}

/// One applicant's line of the batch summary, in the reports' words.
struct Row {
    source: String,
    applicant: String,
    verdict: String,
    class: &'static str,
    /// What is still open, by count and id (SPEC §2): for the panel, to verify, self-declared.
    open: Vec<String>,
    missing: Vec<String>,
    warnings: String,
    /// Every problem of an unreadable row, one line each (as many as the CLI lists: the
    /// profile loader tells 20 and counts the rest).
    error: Vec<String>,
}

/// Collects the batch summary's lines as the applicants are judged.
struct Rows {
    rows: Vec<Row>,
    /// How many applicants each clause knocked out, counted as the CLI table counts them.
    knockouts: report::Knockouts,
    lang: Lang,
}

impl Emitter for Rows {
    fn emit(&mut self, _out: &mut dyn io::Write, assessment: &Assessment<'_>) -> io::Result<()> {
        let lang = self.lang;
        self.knockouts.count(assessment);
        self.rows.push(Row {
            source: assessment.source.clone(),
            applicant: assessment.applicant.clone().unwrap_or_default(),
            verdict: report::overall_label(assessment, lang),
            class: super::page::verdict_class(assessment),
            open: assessment.open().lines(lang),
            missing: report::what_is_missing(assessment, lang),
            warnings: report::warnings_cell(assessment, lang),
            error: assessment
                .error
                .as_ref()
                .map(|error| {
                    error
                        .problems
                        .iter()
                        .map(|problem| error.render_problem(problem, lang))
                        .collect()
                })
                .unwrap_or_default(),
        });
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn io::Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The batch summary as the CLI table gives it (SPEC §7): a line per applicant, the knock-out
/// table and the near-miss (培育库) table, in the words of `report`.
fn summary_markup(
    app: &App,
    rows: &Rows,
    summary: &Summary,
    near_miss: usize,
    lang: Lang,
) -> Markup {
    // A column empty for every applicant is left out, as on the evaluation page.
    let any_warnings = rows.rows.iter().any(|row| !row.warnings.is_empty());
    let any_errors = rows.rows.iter().any(|row| !row.error.is_empty());
    html! {
        section #result {
            h2 { (lang.pick("批量检查结果", "Batch result")) }
            p.verdict { (summary.sentence(lang)) }
            @for note in &summary.sheet_notes { p { (note.line().get(lang)) } }
            table {
                tr {
                    th { (lang.pick("来源", "Source")) }
                    // A Chinese name breaks between any two characters: without a floor the
                    // browser squeezes it to two a line beside the long verdicts.
                    th style="min-width:9em" { (lang.pick("单位名称", "Applicant")) }
                    th style="min-width:14em" { (lang.pick("结论", "Verdict")) }
                    th style="min-width:14em" { (lang.pick("还差什么", "What is missing")) }
                    @if any_warnings { th { (lang.pick("警告", "Warnings")) } }
                    @if any_errors { th { (lang.pick("错误", "Error")) } }
                }
                @for row in &rows.rows {
                    tr {
                        td { (row.source) }
                        td { (row.applicant) }
                        td class=(row.class) {
                            (row.verdict)
                            @for line in &row.open { br; small { (line) } }
                        }
                        td { (row.missing.join("\n")) }
                        @if any_warnings { td { (row.warnings) } }
                        @if any_errors {
                            td {
                                @for (index, problem) in row.error.iter().enumerate() {
                                    @if index > 0 { br; }
                                    (problem)
                                }
                            }
                        }
                    }
                }
            }
            @if !rows.knockouts.is_empty() {
                h3 { (report::Knockouts::heading(lang)) }
                table #knockouts {
                    tr { @for cell in report::Knockouts::header(lang) { th { (cell) } } }
                    @for (clause, failed, missing) in rows.knockouts.clauses(&app.rulebook) {
                        tr {
                            td { (clause.id) " " (clause.title.get(lang)) }
                            td { (clause.citation) }
                            td { (failed) }
                            td { (missing) }
                        }
                    }
                }
            }
            @if !summary.near_misses.is_empty() {
                // The CLI's heading ends in a colon before its table; a heading here needs none.
                h3 { (report::near_miss::heading(near_miss, lang).trim_end_matches(['：', ':'])) }
                table #near-misses {
                    tr { @for cell in report::near_miss::header(lang) { th { (cell) } } }
                    @for row in report::near_miss::rows(&summary.near_misses, &app.rulebook, lang) {
                        tr {
                            // The gaps one per line, as in the CLI table.
                            @for cell in &row {
                                td {
                                    @for (line, text) in cell.lines().enumerate() {
                                        @if line > 0 { br; }
                                        (text)
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(line) = report::near_miss::left_out_line(&summary.near_misses, lang) {
                    p { (line) }
                }
            }
        }
    }
}
