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
use std::collections::BTreeMap;

use crate::engine::{Assessment, Overall};
use crate::i18n::Lang;
use crate::normalise::DateChoice;
use crate::profile::fields::FieldType;
use crate::profile::form::FormRow;
use crate::report::template::{self, FormField, FormItems, FORM_SECTIONS};
use crate::rules::Rulebook;

/// The page's own look: no external stylesheet, font or script.
const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;color:#222}\
fieldset{margin:1rem 0;border:1px solid #ccd;border-radius:4px}legend{font-weight:bold}\
.field{display:grid;grid-template-columns:16rem 1fr;gap:.5rem;margin:.4rem 0;align-items:start}\
.note{grid-column:2;font-size:.85em;color:#555;white-space:pre-line}\
input[type=text],select,input[type=date]{width:100%;max-width:28rem;padding:.2rem}\
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ccd;padding:.3rem;vertical-align:top;white-space:pre-line}\
th{background:#e8edf7}.pass{background:#e6f4ea}.fail{background:#fde7e9}.missing{background:#fff4ce}.review{background:#e3efff}.info{background:#ededed}\
.verdict{font-size:1.2em;font-weight:bold;padding:.5rem;border-radius:4px}.warning{background:#fff4ce;padding:.3rem}\
nav a{margin-right:1rem}.items table input,.items table select{width:100%;box-sizing:border-box}\
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}details.law p{margin:.2rem 0}";

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
                    a href=(lang_href("/evaluate", lang)) { (lang.pick("评估机构绩效评估", "Performance evaluation")) }
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

/// `GET /`: the empty form, its year fields those of an application today.
pub async fn form(State(app): State<Arc<App>>, Query(query): Query<LangQuery>) -> Response {
    let lang = lang_of(query.lang.as_deref());
    let today = chrono::Local::now().date_naive();
    let dates = DateChoice { as_of: None, today };
    let typed = Typed::new(Vec::new(), dates);
    html_response(applicant_page(&app, lang, &typed, None))
}

/// What the applicant typed, and what it decides about the form: the application year Y the
/// year fields are for, and how many rows each itemised table shows.
struct Typed {
    pairs: Vec<(String, String)>,
    year: i32,
}

impl Typed {
    fn new(pairs: Vec<(String, String)>, dates: DateChoice) -> Typed {
        // The year the check takes (normalise's evaluation date): the check date (--as-of),
        // else the application date, else today. A date that cannot be read falls to the next;
        // the check says what is wrong with it.
        let application = pairs
            .iter()
            .find(|(key, _)| key == APPLICATION_DATE)
            .and_then(|(_, value)| crate::profile::value::parse_date(value.trim()).ok());
        let date = dates.as_of.or(application).unwrap_or(dates.today);
        Typed {
            year: chrono::Datelike::year(&date),
            pairs,
        }
    }

    fn value(&self, key: &str) -> &str {
        self.pairs
            .iter()
            .find(|(name, _)| name == key)
            .map_or("", |(_, value)| value.as_str())
    }

    /// The rows an itemised table shows: those typed, each at the row number it was typed in
    /// (so that a message names the row the applicant filled), and empty ones to fill — at
    /// least [`ITEM_ROWS`], as many as shown before, [`ITEM_ROWS`] more when asked for.
    /// Returns the rows typed, each with the row it shows in, and how many rows show.
    fn rows(&self, table: &str) -> (Vec<FormRow>, usize) {
        let mut typed = crate::profile::form::item_rows(&self.pairs, table);
        // Row numbers no form offers (a hand-made request's `project.100000.name`): the rows
        // typed are shown one after another instead.
        if typed
            .iter()
            .any(|(number, _)| *number == 0 || *number > MAX_ITEM_ROWS)
        {
            for (index, (number, _)) in typed.iter_mut().enumerate() {
                *number = index + 1;
            }
        }
        let last = typed.last().map_or(0, |(number, _)| *number);
        let shown = self
            .value(&format!("rows.{table}"))
            .parse::<usize>()
            .unwrap_or(ITEM_ROWS)
            .min(MAX_ITEM_ROWS);
        let more = self.value("more") == table;
        let rows = shown.max(last) + if more { ITEM_ROWS } else { 0 };
        let rows = rows.min(MAX_ITEM_ROWS.max(last));
        (typed, rows)
    }
}

/// The field of the application date, which fixes the year fields.
const APPLICATION_DATE: &str = "applicant.application_date";
/// The form's check date (`ticheck check --as-of`): not a fact of the profile.
const AS_OF: &str = "as_of";
/// The check date's label, by language.
const AS_OF_LABEL_TEXT: (&str, &str) = ("评价基准日", "Check date");
/// Empty rows an itemised table offers, and more at a time.
const ITEM_ROWS: usize = 3;
/// The most rows an itemised table offers (rows typed are all shown).
const MAX_ITEM_ROWS: usize = 200;

/// `POST /`: the form checked (or, with the download button, its TOML profile); the form shown
/// again with every value typed.
pub async fn submit(
    State(app): State<Arc<App>>,
    Query(query): Query<LangQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let lang = lang_of(field("lang").as_deref().or(query.lang.as_deref()));
    let download = field("download");
    let toml = crate::profile::form::toml_from_form(&pairs);
    if download.as_deref() == Some("toml") {
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
    let (dates, date_problem) = match super::api::dates(field(AS_OF).as_deref(), lang) {
        Ok(dates) => (dates, None),
        Err(message) => (
            DateChoice {
                as_of: None,
                today: chrono::Local::now().date_naive(),
            },
            Some(message),
        ),
    };
    if download.as_deref() == Some("xlsx") && date_problem.is_none() {
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
    // "Update the years" and "more rows" show the form again, unchecked.
    let check = field("submit").is_none_or(|action| action == "check")
        && field("more").is_none()
        && date_problem.is_none();
    let typed = Typed::new(pairs, dates);
    let rendered = tokio::task::spawn_blocking(move || {
        let result = match (date_problem, check) {
            (Some(message), _) => Some(html! {
                section #result { p.warning { "⚠ " (message) } }
            }),
            (None, true) => {
                let labels = labels(&app.rulebook, &typed, lang);
                let assessment = match crate::profile::toml::load(FORM_SOURCE, &toml) {
                    Ok(mut profile) => {
                        profile.headers = Some(Arc::new(labels.clone()));
                        crate::assess_profile(&profile, &app.rulebook, dates)
                    }
                    Err(error) => Assessment::invalid(error),
                };
                Some(result(&app, &assessment, &labels, lang))
            }
            (None, false) => None,
        };
        applicant_page(&app, lang, &typed, result)
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

/// Each field by the label the form shows it under (`finance.debt_ratio` → 资产负债率,
/// `[[project]]` → 项目, `project[2].year` → 项目第 2 行：年份): the reports name a field to
/// fill "as the user wrote it" ([`crate::profile::user_name`]), and on this page the user saw
/// these labels, not the TOML keys.
fn labels(rulebook: &Rulebook, typed: &Typed, lang: Lang) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = fields(rulebook, typed, lang)
        .into_iter()
        // The engine reads a named but empty date as a sheet's empty column: the key says more.
        .filter(|field| field.path != APPLICATION_DATE)
        .map(|field| (field.path, field.label))
        .collect();
    // The check date, which the command line calls `--as-of`.
    labels.insert(
        crate::normalise::AS_OF_LABEL.to_string(),
        lang.pick(AS_OF_LABEL_TEXT.0, AS_OF_LABEL_TEXT.1)
            .to_string(),
    );
    for items in template::applicant_form_items(rulebook, typed.year, lang) {
        labels.insert(format!("[[{}]]", items.table), items.label.clone());
        for (key, label, _) in &items.columns {
            labels.insert(
                format!("[[{}]].{key}", items.table),
                format!("{}{}{label}", items.label, lang.pick("：", ": ")),
            );
        }
        // The profile's `project[N]` is the N-th row that holds something; it is named by the
        // row of the form it was typed in.
        let (rows, _) = typed.rows(items.table);
        for (index, (row, _)) in rows.iter().enumerate() {
            for (key, label, _) in &items.columns {
                labels.insert(
                    format!("{}[{}].{key}", items.table, index + 1),
                    match lang {
                        Lang::Zh => format!("{}第 {row} 行：{label}", items.item),
                        Lang::En => format!("{} row {row}: {label}", items.item),
                    },
                );
            }
        }
    }
    labels
}

/// The form's inputs for the application year: the registry's fields, and the years of a
/// series the applicant typed that the year's window does not count (shown again, flagged).
fn fields(rulebook: &Rulebook, typed: &Typed, lang: Lang) -> Vec<FormField> {
    let mut fields = template::applicant_form(rulebook, typed.year, lang);
    let extra: Vec<FormField> = typed
        .pairs
        .iter()
        .filter(|(path, value)| {
            !value.trim().is_empty() && !fields.iter().any(|field| field.path == *path)
        })
        .filter_map(|(path, _)| template::series_form_field(rulebook, path, typed.year, lang))
        .collect();
    for field in extra {
        if fields.iter().any(|known| known.path == field.path) {
            continue;
        }
        let after = fields
            .iter()
            .rposition(|known| known.section == field.section)
            .map_or(fields.len(), |at| at + 1);
        fields.insert(after, field);
    }
    fields
}

fn applicant_page(app: &App, lang: Lang, typed: &Typed, result: Option<Markup>) -> Markup {
    let rulebook = &app.rulebook;
    let fields = fields(rulebook, typed, lang);
    let window = template::applicant_form(rulebook, typed.year, lang);
    let in_window = |path: &str| window.iter().any(|field| field.path == path);
    let items = template::applicant_form_items(rulebook, typed.year, lang);
    let title = lang.pick(
        "云南省技术创新中心申报条件自查",
        "Yunnan Technology Innovation Center: eligibility self-check",
    );
    page(
        title,
        lang,
        html! {
            h1 { (title) }
            p { (crate::report::rulebook_heading(rulebook, lang)) }
            @if let Some(result) = result { (result) }
            form method="post" action=(lang_href("/", lang)) {
                input type="hidden" name="lang" value=(lang.pick("zh", "en"));
                p { (lang.pick(
                    "金额默认单位为万元（也可写“2350万元”“23500000元”）；面积为平方米；比例写百分数如 58.2%。不知道的项留空：留空为“缺数据”，不要填 0。",
                    "Money is in 万元 (10,000 yuan) unless written with a unit (\"2350万元\", \"23500000元\"); area in m²; ratios as percentages such as 58.2%. Leave unknown fields empty (missing data); do not write 0."
                )) }
                @for (section, zh, en) in FORM_SECTIONS {
                    @let in_section: Vec<&FormField> = fields.iter().filter(|f| f.section == *section).collect();
                    @let tables: Vec<&FormItems> = items.iter().filter(|i| i.section == *section).collect();
                    @if !in_section.is_empty() || !tables.is_empty() {
                        fieldset {
                            legend { (lang.pick(zh, en)) }
                            @if crate::profile::fields::APPLICATION.series(section).is_some() {
                                p.note { (years_note(typed.year, lang)) }
                            }
                            @for field in in_section {
                                (input(rulebook, field, typed.value(&field.path), in_window(&field.path), lang))
                            }
                            @for table in tables {
                                (item_table(rulebook, table, typed, lang))
                            }
                        }
                    }
                }
                fieldset {
                    legend { (lang.pick("检查选项", "Check options")) }
                    div.field {
                        label for="f-as_of" { (lang.pick(AS_OF_LABEL_TEXT.0, AS_OF_LABEL_TEXT.1)) (lang.pick("（可选）", " (optional)")) }
                        input type="date" id="f-as_of" name=(AS_OF) value=(typed.value(AS_OF)) aria-describedby="f-as_of-note";
                        div.note id="f-as_of-note" { (lang.pick(
                            "同命令行的 --as-of：按此日期而非申报日期计算年度窗口和规则有效期；不写入下载的档案。",
                            "As the command line's --as-of: the year windows and the rulebook's validity follow this date instead of the application date; not written into the downloaded profile."
                        )) }
                    }
                }
                p {
                    button type="submit" name="submit" value="check" { (lang.pick("检查", "Check")) }
                    " "
                    button type="submit" name="submit" value="years" { (lang.pick("按日期更新年度", "Update the years to the date")) }
                    " "
                    button type="submit" name="download" value="toml" { (lang.pick("下载档案（TOML）", "Download the profile (TOML)")) }
                    " "
                    button type="submit" name="download" value="xlsx" { (lang.pick("下载结果工作簿（.xlsx）", "Download the results workbook (.xlsx)")) }
                }
            }
        },
    )
}

/// What the year fields are for, and how to change them without script.
fn years_note(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "以下年度按申报日期（填写了评价基准日时按基准日）计算，现为 {year} 年申报的年度。更改日期后，请先点“按日期更新年度”，再按新显示的年度填写。"
        ),
        Lang::En => format!(
            "These years follow the application date (or the check date, when given): they are those of an application in {year}. After changing a date, press \"Update the years to the date\" and fill in the years shown."
        ),
    }
}

/// One labelled input, with its note (unit and the law's requirements) and the law's text of
/// the clauses that read it. A year outside the application's window is flagged.
fn input(
    rulebook: &Rulebook,
    field: &FormField,
    value: &str,
    in_window: bool,
    lang: Lang,
) -> Markup {
    let id = format!("f-{}", field.path.replace('.', "-"));
    let note_id = format!("{id}-note");
    html! {
        div.field {
            label for=(id) title=(field.path) { (field.label) }
            (control(&id, &field.path, field.ty, value, Some(&note_id), lang))
            div.note id=(note_id) {
                @if !in_window {
                    p.warning { "⚠ " (lang.pick(
                        "此年度不在本次申报的年度窗口内，检查时不计入；若申报日期有误请改正，否则请清空此项。",
                        "This year lies outside the application's window and is not counted; correct the application date if it is wrong, else clear this field."
                    )) }
                }
                (field.note)
                (law_texts(rulebook, &field.clauses, lang))
            }
        }
    }
}

/// An input of a field's type: a dropdown for a closed list or a yes/no, a date picker, a text.
fn control(
    id: &str,
    name: &str,
    ty: FieldType,
    value: &str,
    note_id: Option<&str>,
    lang: Lang,
) -> Markup {
    let not_given = lang.pick("（未填）", "(not given)");
    html! {
        @match ty {
            FieldType::Choice(choices) => {
                select id=(id) name=(name) aria-describedby=[note_id] {
                    option value="" selected[value.is_empty()] { (not_given) }
                    @for choice in choices {
                        option value=(choice.id) selected[value == choice.id] {
                            @match lang {
                                Lang::Zh => { (template::choice_word(choice)) " " (choice.id) },
                                Lang::En => (choice.id),
                            }
                        }
                    }
                    // A value no choice is (typed elsewhere) stays, for the check to name.
                    @if !value.is_empty() && !choices.iter().any(|c| c.id == value) {
                        option value=(value) selected { (value) }
                    }
                }
            }
            FieldType::Bool => {
                select id=(id) name=(name) aria-describedby=[note_id] {
                    option value="" selected[value.is_empty()] { (not_given) }
                    option value="true" selected[value == "true"] { (lang.pick("是", "yes")) }
                    option value="false" selected[value == "false"] { (lang.pick("否", "no")) }
                    @if !["", "true", "false"].contains(&value) {
                        option value=(value) selected { (value) }
                    }
                }
            }
            FieldType::Date => {
                input type="date" id=(id) name=(name) value=(value) aria-describedby=[note_id];
            }
            _ => {
                input type="text" id=(id) name=(name) value=(value) aria-describedby=[note_id];
            }
        }
    }
}

/// The law's text of the clauses `ids`, folded, each with a link to its full explanation
/// (`ticheck explain ID`, `GET /api/explain/{id}`).
fn law_texts(rulebook: &Rulebook, ids: &[String], lang: Lang) -> Markup {
    html! {
        @if !ids.is_empty() {
            details.law {
                summary { (lang.pick("条文原文：", "The law's text: ")) (ids.join(lang.pick("、", ", "))) }
                @for clause in ids.iter().filter_map(|id| rulebook.clause(id)) {
                    p {
                        b { (clause.citation) } " " (clause.law) " "
                        a href=(format!("/api/explain/{}?lang={}", clause.id, lang.pick("zh", "en"))) {
                            (lang.pick("详细解释", "explained"))
                        }
                    }
                }
            }
        }
    }
}

/// An itemised table: the rows typed, then empty ones; "more rows" shows the form again
/// with more (no script needed).
fn item_table(rulebook: &Rulebook, items: &FormItems, typed: &Typed, lang: Lang) -> Markup {
    let (rows, shown) = typed.rows(items.table);
    let note_id = format!("f-{}-note", items.table);
    html! {
        div.items {
            h4 title=(format!("[[{}]]", items.table)) { (items.label) }
            input type="hidden" name=(format!("rows.{}", items.table)) value=(shown);
            table aria-describedby=(note_id) {
                tr {
                    th { "#" }
                    @for (key, label, _) in &items.columns { th title=(key) { (label) } }
                }
                @for row in 1..=shown {
                    tr {
                        td { (row) }
                        @for (key, label, ty) in &items.columns {
                            @let name = format!("{}.{row}.{key}", items.table);
                            @let value = rows.iter().find(|(number, _)| *number == row).and_then(|(_, r)| r.get(key)).map_or("", String::as_str);
                            td {
                                label.visually-hidden for=(name) { (items.item) " " (row) " " (label) }
                                (control(&name, &name, *ty, value, None, lang))
                            }
                        }
                    }
                }
            }
            p {
                button type="submit" name="more" value=(items.table) {
                    @match lang {
                        Lang::Zh => { "增加 " (ITEM_ROWS) " 行" },
                        Lang::En => { (ITEM_ROWS) " more rows" },
                    }
                }
            }
            div.note id=(note_id) { (items.note) (law_texts(rulebook, &items.clauses, lang)) }
        }
    }
}

/// A clause row's class, its verdict's, except that an informational clause's answer (Art. 8's
/// "否，不影响申报") is no failed condition: grey, as the results workbook shows it.
fn finding_class(finding: &crate::engine::Finding<'_>) -> String {
    if finding.severity() == crate::rules::Severity::Info {
        "info".to_string()
    } else {
        finding.verdict.word().replace('/', "")
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
fn result(
    app: &App,
    assessment: &Assessment<'_>,
    labels: &BTreeMap<String, String>,
    lang: Lang,
) -> Markup {
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
                ul { @for problem in &error.problems { li { (form_problem(problem, labels, lang)) } } }
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
                        tr class=(finding_class(finding)) {
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

/// A problem of the form's profile, named by the field's label: its place in the TOML text
/// the form stands for is no place the applicant has seen.
fn form_problem(
    problem: &crate::profile::Problem,
    labels: &BTreeMap<String, String>,
    lang: Lang,
) -> Markup {
    html! {
        @if let Some(field) = &problem.field {
            b title=(field) { (labels.get(field).unwrap_or(field)) } (lang.pick("：", ": "))
        }
        (problem.message.get(lang))
    }
}
