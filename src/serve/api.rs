//! The JSON API: `POST /api/check`, `GET /api/rules`, `/api/explain/{id}`, `/api/schema`,
//! `/healthz` (docs/api.md).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::App;
use crate::check::{self, InputFormat, Output, Request, SheetOptions};
use crate::i18n::Lang;
use crate::normalise::DateChoice;
use crate::report::Format;

/// The query of `POST /api/check`: the options of `ticheck check` that make sense here.
#[derive(Debug, Default, Deserialize)]
pub struct CheckQuery {
    /// `zh` (default) or `en`.
    pub lang: Option<String>,
    /// `--as-of DATE`.
    pub as_of: Option<String>,
    /// The input's name in the report (a sheet's rows are `NAME:ROW`).
    pub name: Option<String>,
    /// `--sheet NAME`: the worksheet of a workbook.
    pub sheet: Option<String>,
    /// `--near-miss N`.
    pub near_miss: Option<usize>,
}

/// What the body is, by its `Content-Type`.
pub enum BodyKind {
    Input(InputFormat),
    /// A profile written as JSON with the TOML's shape.
    JsonProfile,
}

/// The body's kind from its `Content-Type` (its parameters, such as `charset`, aside).
pub fn body_kind(headers: &HeaderMap) -> Option<BodyKind> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    Some(match essence.as_str() {
        "application/toml" | "text/toml" | "text/x-toml" | "application/x-toml" => {
            BodyKind::Input(InputFormat::Toml)
        }
        "text/csv" | "application/csv" | "text/tab-separated-values" => {
            BodyKind::Input(InputFormat::Csv)
        }
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.ms-excel" => BodyKind::Input(InputFormat::Xlsx),
        "application/json" => BodyKind::JsonProfile,
        _ => return None,
    })
}

pub fn lang_of(lang: Option<&str>) -> Lang {
    match lang {
        Some(lang) if lang.eq_ignore_ascii_case("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// An error answer: `{"error": "…"}` with a status.
pub fn error(status: StatusCode, message: String) -> Response {
    json_response(status, json!({ "error": message }))
}

fn json_response(status: StatusCode, value: Value) -> Response {
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    json_bytes(status, text.into_bytes())
}

fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        bytes,
    )
        .into_response()
}

pub async fn healthz() -> Response {
    json_response(StatusCode::OK, json!({"status": "ok"}))
}

pub async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such page; the API is under /api (docs/api.md)".to_string(),
    )
}

/// The dates a check is judged on: `as_of` when given, today otherwise.
pub fn dates(as_of: Option<&str>, lang: Lang) -> Result<DateChoice, String> {
    let as_of = match as_of.filter(|text| !text.trim().is_empty()) {
        Some(text) => {
            Some(crate::profile::value::parse_date(text).map_err(|error| error.message(lang))?)
        }
        None => None,
    };
    Ok(DateChoice {
        as_of,
        today: chrono::Local::now().date_naive(),
    })
}

/// `POST /api/check`: the body checked as `ticheck check --format json` checks a file, and its
/// JSON report (SPEC §5). 200 when every profile could be read; 422 when one is invalid (the
/// command line's exit code 2), 400 when the input could not be read at all; the report says
/// where and why, in the command line's words.
pub async fn check(
    State(app): State<Arc<App>>,
    Query(query): Query<CheckQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = lang_of(query.lang.as_deref());
    let Some(kind) = body_kind(&headers) else {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            lang.pick(
                "不支持的 Content-Type：请用 application/toml、text/csv、application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 或 application/json",
                "unsupported Content-Type: send application/toml, text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or application/json",
            )
            .to_string(),
        );
    };
    let dates = match dates(query.as_of.as_deref(), lang) {
        Ok(dates) => dates,
        Err(message) => return error(StatusCode::BAD_REQUEST, format!("as_of: {message}")),
    };
    let sheet = super::limits::is_sheet_kind(&kind);
    let checked = super::limits::blocking(sheet, move || {
        let name = query.name.as_deref().unwrap_or(DEFAULT_NAME);
        let request = Request {
            format: match kind {
                BodyKind::Input(format) => format,
                BodyKind::JsonProfile => InputFormat::Toml,
            },
            name,
            lang,
            dates,
            output: Output::Report(Format::Json),
            near_miss: query.near_miss.unwrap_or(2),
            sheet: SheetOptions {
                sheet: query.sheet.as_deref(),
                encoding: None,
            },
        };
        match kind {
            BodyKind::Input(_) => check::check_bytes(&app.rulebook, body.to_vec().into(), &request),
            BodyKind::JsonProfile => check::check_json_profile(&app.rulebook, &body, &request),
        }
    })
    .await;
    match checked {
        Ok(checked) => json_bytes(status_of(&checked), checked.body),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the check failed unexpectedly".to_string(),
        ),
    }
}

/// `POST /api/evaluate`: a built center's evaluation profile (TOML, or JSON with its shape)
/// evaluated as `ticheck evaluate --format json` evaluates a file, and its JSON report
/// (SPEC §6). Statuses as for `/api/check`. Sheets are not taken yet: `evaluate` reads TOML.
pub async fn evaluate(
    State(app): State<Arc<App>>,
    Query(query): Query<CheckQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = lang_of(query.lang.as_deref());
    let json = match body_kind(&headers) {
        Some(BodyKind::Input(InputFormat::Toml)) => false,
        Some(BodyKind::JsonProfile) => true,
        _ => {
            return error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                lang.pick(
                    "不支持的 Content-Type：绩效评估读取 TOML 评估档案（application/toml）或同结构的 JSON（application/json）",
                    "unsupported Content-Type: the evaluation reads a TOML evaluation profile (application/toml) or JSON of its shape (application/json)",
                )
                .to_string(),
            )
        }
    };
    let evaluated = tokio::task::spawn_blocking(move || {
        let name = query.name.as_deref().unwrap_or(DEFAULT_NAME);
        let text = match json {
            true => check::json_to_toml(name, &body),
            false => check::decode_text(name, body.to_vec()),
        };
        let center = text.and_then(|text| {
            crate::profile::evaluation::load_for_cycle(name, &text, app.rubric.meta.cycle_years)
        });
        let evaluation = match center {
            Ok(center) => crate::evaluation::evaluate(&app.rubric, &center),
            Err(error) => crate::evaluation::Evaluation::invalid(&app.rubric, error),
        };
        let mut out = Vec::new();
        let _ = crate::report::evaluation::json::write(
            &mut out,
            &app.rubric,
            std::slice::from_ref(&evaluation),
            lang,
            // A single profile has no sheet to say anything of.
            &[],
        );
        let status = match &evaluation.error {
            None => StatusCode::OK,
            Some(error) if error.problems.iter().any(|p| p.field.is_some()) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Some(_) => StatusCode::BAD_REQUEST,
        };
        (status, out)
    })
    .await;
    match evaluated {
        Ok((status, body)) => json_bytes(status, body),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the evaluation failed unexpectedly".to_string(),
        ),
    }
}

/// The name an input goes by in the report when the request does not give one (`?name=`).
pub const DEFAULT_NAME: &str = "<body>";

/// 200 when every profile was read; 400 when nothing could be read as a profile at all (the
/// input is not TOML, not a sheet…); 422 when a profile was read but is invalid.
pub fn status_of(checked: &check::Checked) -> StatusCode {
    let summary = &checked.summary;
    if summary.error == 0 {
        StatusCode::OK
    } else if !checked.invalid_fields && summary.error == summary.total() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// `GET /api/rules`: the clauses of the rulebook, as `ticheck rules` lists them.
pub async fn rules(State(app): State<Arc<App>>, Query(query): Query<LangQuery>) -> Response {
    let lang = lang_of(query.lang.as_deref());
    let rulebook = &app.rulebook;
    let clauses: Vec<Value> = rulebook
        .clauses
        .iter()
        .map(|clause| {
            json!({
                "id": clause.id,
                "citation": clause.citation,
                "title": clause.title.get(lang),
                "severity": clause.severity.word(),
                "applies_to": clause.applies_to,
                "requirement": crate::engine::clause_requirement(rulebook, clause, lang),
            })
        })
        .collect();
    json_response(
        StatusCode::OK,
        json!({"rulebook": rulebook_value(rulebook), "clauses": clauses}),
    )
}

fn rulebook_value(rulebook: &crate::rules::Rulebook) -> Value {
    let meta = &rulebook.meta;
    json!({
        "id": meta.id,
        "effective_from": meta.effective_from.to_string(),
        "effective_until": meta.effective_until.map(|d| d.to_string()),
        "document": meta.document,
    })
}

/// `GET /api/explain/{id}`: what `ticheck explain ID` says, as JSON; 404 with a suggestion for
/// an unknown id.
pub async fn explain(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let lang = lang_of(query.lang.as_deref());
    let rulebook = &app.rulebook;
    let Some(clause) = rulebook.clause(&id) else {
        let message = crate::report::explain::unknown_clause(
            rulebook,
            &id,
            lang,
            ("GET /api/rules 列出全部条款", "GET /api/rules lists them"),
        );
        return error(StatusCode::NOT_FOUND, message);
    };
    let explained = crate::report::explain::explanation(rulebook, clause, lang);
    json_response(
        StatusCode::OK,
        json!({
            "id": clause.id,
            "citation": clause.citation,
            "title": clause.title.get(lang),
            "law": clause.law,
            "requirement": explained.requirement,
            "bounds": explained.bounds,
            "severity": clause.severity.word(),
            "applies_to": crate::report::explain::applies_label(clause, lang),
            "fields": explained.fields,
            "windows": explained.windows,
            "interpretation": clause.interpretation.as_ref().map(|text| text.get(lang)),
            "source": format!("{}（{}）", rulebook.meta.title.get(lang), rulebook.meta.document),
        }),
    )
}

/// `GET /api/schema`: the JSON Schema of the profile, the bytes `ticheck schema` prints.
pub async fn schema() -> Response {
    json_bytes(StatusCode::OK, crate::profile::schema::text().into_bytes())
}
