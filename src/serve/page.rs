//! The applicant page (SPEC §8): a form generated from the field registry, the same columns and
//! notes as the sheet template ([`crate::report::template::applicant_form`]); on submit the
//! verdicts, gaps, open items and warnings in the words of the other reports
//! ([`crate::report`]). Plain HTML forms: it works with JavaScript off, and loads nothing from
//! elsewhere. Every text is escaped by the template (maud).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::api::{lang_of, LangQuery};
use super::App;
use crate::engine::{Assessment, Overall};
use crate::i18n::Lang;
use crate::profile::fields::FieldType;
use crate::report::template::{self, FormField, FORM_SECTIONS};

/// The page's own look: no external stylesheet, font or script.
const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;color:#222}\
fieldset{margin:1rem 0;border:1px solid #ccd;border-radius:4px}legend{font-weight:bold}\
.field{display:grid;grid-template-columns:16rem 1fr;gap:.5rem;margin:.4rem 0;align-items:start}\
.note{grid-column:2;font-size:.85em;color:#555;white-space:pre-line}\
input[type=text],select,input[type=date]{width:100%;max-width:28rem;padding:.2rem}\
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ccd;padding:.3rem;vertical-align:top;white-space:pre-line}\
th{background:#e8edf7}.pass{background:#e6f4ea}.fail{background:#fde7e9}.missing{background:#fff4ce}.review{background:#e3efff}\
.verdict{font-size:1.2em;font-weight:bold;padding:.5rem;border-radius:4px}.warning{background:#fff4ce;padding:.3rem}\
nav a{margin-right:1rem}";

/// A whole page around `body`.
pub fn page(title: &str, lang: Lang, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.pick("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                nav {
                    a href=(lang_href("/", lang)) { (lang.pick("申报单位自查", "Applicant check")) }
                    a href=(lang_href("/bureau", lang)) { (lang.pick("州市科技局批量检查", "Bureau batch check")) }
                    @match lang {
                        Lang::Zh => { a href="?lang=en" { "English" } },
                        Lang::En => { a href="?lang=zh" { "中文" } },
                    }
                }
                (body)
            }
        }
    }
}

pub fn lang_href(path: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => path.to_string(),
        Lang::En => format!("{path}?lang=en"),
    }
}

/// `GET /`: the empty form.
pub async fn form(State(app): State<Arc<App>>, Query(query): Query<LangQuery>) -> Response {
    let lang = lang_of(query.lang.as_deref());
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    html_response(applicant_page(&app, lang, year, &[], None))
}

/// `POST /`: the form checked (or, with the download button, its TOML profile).
pub async fn submit(
    State(app): State<Arc<App>>,
    Query(query): Query<LangQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = lang_of(
        pairs
            .iter()
            .find(|(key, _)| key == "lang")
            .map(|(_, value)| value.as_str())
            .or(query.lang.as_deref()),
    );
    let toml = crate::profile::form::toml_from_form(&pairs);
    if pairs
        .iter()
        .any(|(key, value)| key == "download" && value == "toml")
    {
        return (
            [
                (header::CONTENT_TYPE, "application/toml; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"profile.toml\"",
                ),
            ],
            toml,
        )
            .into_response();
    }
    let today = chrono::Local::now().date_naive();
    let dates = crate::normalise::DateChoice { as_of: None, today };
    if pairs
        .iter()
        .any(|(key, value)| key == "download" && value == "xlsx")
    {
        let workbook = tokio::task::spawn_blocking(move || {
            let request = crate::check::Request {
                format: crate::check::InputFormat::Toml,
                name: FORM_SOURCE,
                lang,
                dates,
                output: crate::check::Output::Workbook,
                near_miss: 2,
                sheet: Default::default(),
            };
            crate::check::check_bytes(&app.rulebook, toml.into_bytes().into(), &request).body
        })
        .await;
        return match workbook {
            Ok(bytes) => (
                [
                    (header::CONTENT_TYPE, super::bureau::XLSX_TYPE),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"ticheck-results.xlsx\"",
                    ),
                ],
                bytes,
            )
                .into_response(),
            Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the check failed").into_response(),
        };
    }
    let application_year = pairs
        .iter()
        .find(|(key, _)| key == "applicant.application_date")
        .and_then(|(_, value)| crate::profile::value::parse_date(value.trim()).ok())
        .map_or(chrono::Datelike::year(&today), |date| {
            chrono::Datelike::year(&date)
        });
    let rendered = tokio::task::spawn_blocking(move || {
        let assessment = crate::check::assess_toml(&app.rulebook, FORM_SOURCE, &toml, dates);
        let result = result(&app, &assessment, lang);
        applicant_page(&app, lang, application_year, &pairs, Some(result))
    })
    .await;
    match rendered {
        Ok(markup) => html_response(markup),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the check failed").into_response(),
    }
}

/// The name the form's profile goes by in messages.
const FORM_SOURCE: &str = "表单";

pub fn html_response(markup: Markup) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

fn applicant_page(
    app: &App,
    lang: Lang,
    year: i32,
    values: &[(String, String)],
    result: Option<Markup>,
) -> Markup {
    let fields = template::applicant_form(&app.rulebook, year, lang);
    let value_of = |path: &str| {
        values
            .iter()
            .find(|(key, _)| key == path)
            .map_or("", |(_, value)| value.as_str())
    };
    let title = lang.pick(
        "云南省技术创新中心申报条件自查",
        "Yunnan Technology Innovation Center: eligibility self-check",
    );
    page(
        title,
        lang,
        html! {
            h1 { (title) }
            p { (crate::report::rulebook_heading(&app.rulebook, lang)) }
            @if let Some(result) = result { (result) }
            form method="post" action=(lang_href("/", lang)) {
                input type="hidden" name="lang" value=(lang.pick("zh", "en"));
                p { (lang.pick(
                    "金额默认单位为万元（也可写“2350万元”“23500000元”）；面积为平方米；比例写百分数如 58.2%。不知道的项留空：留空为“缺数据”，不要填 0。",
                    "Money is in 万元 (10,000 yuan) unless written with a unit (\"2350万元\", \"23500000元\"); area in m²; ratios as percentages such as 58.2%. Leave unknown fields empty (missing data); do not write 0."
                )) }
                @for (section, zh, en) in FORM_SECTIONS {
                    @let in_section: Vec<&FormField> = fields.iter().filter(|f| f.section == *section).collect();
                    @if !in_section.is_empty() {
                        fieldset {
                            legend { (lang.pick(zh, en)) }
                            @for field in in_section {
                                (input(field, value_of(&field.path), lang))
                            }
                        }
                    }
                }
                p {
                    button type="submit" name="submit" value="check" { (lang.pick("检查", "Check")) }
                    " "
                    button type="submit" name="download" value="toml" { (lang.pick("下载档案（TOML）", "Download the profile (TOML)")) }
                    " "
                    button type="submit" name="download" value="xlsx" { (lang.pick("下载结果工作簿（.xlsx）", "Download the results workbook (.xlsx)")) }
                }
            }
        },
    )
}

/// One labelled input, with its note (unit and the law's requirements).
fn input(field: &FormField, value: &str, lang: Lang) -> Markup {
    let id = format!("f-{}", field.path.replace('.', "-"));
    let note_id = format!("{id}-note");
    html! {
        div.field {
            label for=(id) { (field.label) }
            @match field.ty {
                FieldType::Choice(choices) => {
                    select id=(id) name=(field.path) aria-describedby=(note_id) {
                        option value="" selected[value.is_empty()] { (lang.pick("（未填）", "(not given)")) }
                        @for choice in choices {
                            option value=(choice.id) selected[value == choice.id] {
                                @match lang {
                                    Lang::Zh => { (template::choice_word(choice)) " " (choice.id) },
                                    Lang::En => (choice.id),
                                }
                            }
                        }
                    }
                }
                FieldType::Bool => {
                    select id=(id) name=(field.path) aria-describedby=(note_id) {
                        option value="" selected[value.is_empty()] { (lang.pick("（未填）", "(not given)")) }
                        option value="true" selected[value == "true"] { (lang.pick("是", "yes")) }
                        option value="false" selected[value == "false"] { (lang.pick("否", "no")) }
                    }
                }
                FieldType::Date => {
                    input type="date" id=(id) name=(field.path) value=(value) aria-describedby=(note_id);
                }
                _ => {
                    input type="text" id=(id) name=(field.path) value=(value) aria-describedby=(note_id);
                }
            }
            div.note id=(note_id) { (field.note) }
        }
    }
}

pub fn verdict_class(assessment: &Assessment<'_>) -> &'static str {
    match assessment.verdict {
        Overall::Eligible => "pass",
        Overall::Ineligible | Overall::Error => "fail",
        Overall::Incomplete => "missing",
    }
}

/// The result of a check: warnings first (SPEC §2), the overall verdict and what is open,
/// what is missing, the clauses with their gaps and the law's text.
fn result(app: &App, assessment: &Assessment<'_>, lang: Lang) -> Markup {
    use crate::report;
    let warnings = report::localized(&assessment.warnings, lang);
    let open = assessment.open();
    let missing = report::what_is_missing(assessment, lang);
    let to_look_at = report::to_look_at(assessment);
    let _ = app;
    html! {
        section #result {
            h2 { (lang.pick("检查结果", "Result")) }
            @for warning in &warnings {
                p.warning { "⚠ " (report::warning_prefix(lang)) (lang.pick("：", ": ")) (warning) }
            }
            p class={"verdict " (verdict_class(assessment))} {
                (lang.pick("结论：", "Verdict: ")) (report::overall_label(assessment, lang))
            }
            @for note in report::note_lines(assessment, lang) { p { (note) } }
            @if let Some(error) = &assessment.error {
                p { (lang.pick("档案无法读取，未检查申报条件：", "The profile could not be read; no condition was checked:")) }
                ul { @for problem in &error.problems { li { (error.render_problem(problem, lang)) } } }
            }
            @if assessment.verdict == Overall::Eligible && !open.is_empty() {
                h3 { (lang.pick("尚未确定的事项（最终由专家论证决定）", "Still open (the expert panel decides in the end)")) }
                ul { @for line in open.lines(lang) { li { (line) } } }
            }
            @if !missing.is_empty() {
                h3 { (lang.pick("还差什么（最易补足的在前）", "What is missing (nearest fixes first)")) }
                ul { @for line in &missing { li { (line) } } }
            }
            @if !to_look_at.is_empty() {
                h3 { (lang.pick("待专家论证或人工核实", "For the expert panel or a check by hand")) }
                ul { @for finding in &to_look_at {
                    li { (finding.clause.id) " " (report::look_at_tag(finding, lang)) (lang.pick("：", ": ")) (report::look_at_lead(finding, lang)) }
                } }
            }
            @if !assessment.findings.is_empty() {
                h3 { (lang.pick("逐条结果", "Clause by clause")) }
                p { (report::tally(assessment, lang)) }
                table {
                    tr { @for heading in report::clause_header(lang) { th { (heading) } } }
                    @for finding in &assessment.findings {
                        tr class=(finding.verdict.word().replace('/', "")) {
                            td {
                                (finding.clause.id) " " (finding.clause.title.get(lang))
                                details { summary { (lang.pick("原文", "The law")) } (finding.clause.law) }
                            }
                            td { (finding.clause.citation) }
                            td { (finding.required().human.get(lang)) }
                            td { (report::actual_text(finding, lang)) }
                            td { (finding.label(lang)) }
                            td { (report::gap_cell(assessment, finding, lang)) }
                        }
                    }
                }
            }
        }
    }
}
