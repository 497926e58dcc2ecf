//! The JSON API: `POST /api/check`, `POST /api/evaluate`, `GET /api/rules`, `/api/explain/{id}`, `/api/schema`,
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
use crate::evaluation::run::{self, Input, Kind, Options, Reading};
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

/// The language a request asks for in its query (`lang=en`), read without failing: for the
/// answers given before, or instead of, a handler's own query.
pub fn lang_of_uri(uri: &axum::http::Uri) -> Lang {
    let lang = uri.query().and_then(|query| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("lang="))
            .map(str::to_string)
    });
    lang_of(lang.as_deref())
}

pub async fn not_found(uri: axum::http::Uri) -> Response {
    let lang = lang_of_uri(&uri);
    error(
        StatusCode::NOT_FOUND,
        lang.pick(
            "没有这个页面：申报单位自查在 /，批量检查在 /bureau，绩效评估在 /evaluate，接口在 /api 下（见 docs/api.md）",
            "no such page: the applicant page is /, the bureau's /bureau, the evaluation /evaluate, the API is under /api (docs/api.md)",
        )
        .to_string(),
    )
}

pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let lang = lang_of_uri(&uri);
    let path = uri.path();
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        match lang {
            Lang::Zh => format!("{path} 不接受 {method} 请求（见 docs/api.md）"),
            Lang::En => format!("{path} does not take {method} (docs/api.md)"),
        },
    )
}

/// A query of the API's, its mistakes answered `{"error": …}` 400 in the request's language
/// (axum's own answer is English plain text: `?near_miss=abc`).
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(query)) => Ok(ApiQuery(query)),
            Err(rejection) => {
                let detail = rejection.body_text();
                let message = match lang_of_uri(&parts.uri) {
                    Lang::Zh => format!("查询参数有误（如 near_miss 应为非负整数）：{detail}"),
                    Lang::En => format!("a query parameter is wrong (near_miss is a whole number ≥ 0, say): {detail}"),
                };
                Err(error(StatusCode::BAD_REQUEST, message))
            }
        }
    }
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
    ApiQuery(query): ApiQuery<CheckQuery>,
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
    let sheet = super::jobs::is_sheet_kind(&kind);
    let checked = super::jobs::blocking(sheet, move || {
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

/// The query of `POST /api/evaluate`: the options of `ticheck evaluate` that make sense for
/// one body. A targets file (`--targets`) is the command line's: a workbook's worksheet of
/// targets is read, and a TOML or JSON profile lists its own `[[target]]`.
#[derive(Debug, Default, Deserialize)]
pub struct EvaluateQuery {
    /// `zh` (default) or `en`.
    pub lang: Option<String>,
    /// The input's name in the report (a sheet's rows are `NAME:ROW`).
    pub name: Option<String>,
    /// `--sheet NAME`: the worksheet of a workbook.
    pub sheet: Option<String>,
}

/// `POST /api/evaluate`: the body (a TOML evaluation profile, JSON of its shape, or a round's
/// CSV or XLSX sheet) evaluated as `ticheck evaluate --format json` evaluates a file, and its
/// JSON report (SPEC §6). Statuses as for `/api/check`.
pub async fn evaluate(
    State(app): State<Arc<App>>,
    ApiQuery(query): ApiQuery<EvaluateQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = lang_of(query.lang.as_deref());
    let kind = match body_kind(&headers) {
        Some(BodyKind::Input(format)) => Kind::of_format(format),
        Some(BodyKind::JsonProfile) => Kind::Json,
        None => {
            return error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                lang.pick(
                    "不支持的 Content-Type：绩效评估读取 TOML 评估档案（application/toml）、同结构的 JSON（application/json）或汇总表（text/csv、application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）",
                    "unsupported Content-Type: the evaluation reads a TOML evaluation profile (application/toml), JSON of its shape (application/json) or a round's sheet (text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)",
                )
                .to_string(),
            )
        }
    };
    let sheet = matches!(kind, Kind::Sheet { .. });
    let evaluated = super::jobs::blocking(sheet, move || {
        let input = Input {
            name: query.name.unwrap_or_else(|| DEFAULT_NAME.to_string()),
            kind: Some(kind),
            bytes: Ok(body.to_vec()),
        };
        let options = Options {
            sheet: query.sheet.as_deref(),
            ..Options::default()
        };
        // Without a targets file the run has nothing to refuse.
        run::run(&app.rubric, vec![input], &options)
            .map(|evaluated| (reading_status(evaluated.reading()), evaluated.json(lang)))
            .map_err(|message| message.get(lang).to_string())
    })
    .await;
    match evaluated {
        Ok(Ok((status, body))) => json_bytes(status, body),
        Ok(Err(message)) => error(StatusCode::BAD_REQUEST, message),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the evaluation failed unexpectedly".to_string(),
        ),
    }
}

/// An evaluation's status: 200 when every center was read, 400 when nothing could be read as
/// a center, 422 when a center was read but is invalid (as [`status_of`] for a check).
pub fn reading_status(reading: Reading) -> StatusCode {
    match reading {
        Reading::Read => StatusCode::OK,
        Reading::Unreadable => StatusCode::BAD_REQUEST,
        Reading::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
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
pub async fn rules(State(app): State<Arc<App>>, ApiQuery(query): ApiQuery<LangQuery>) -> Response {
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
    ApiQuery(query): ApiQuery<LangQuery>,
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
