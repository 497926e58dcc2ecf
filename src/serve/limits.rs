//! The answers of the server's limits (SPEC §8): a body above `--max-body` (413) and a
//! request slower than `--timeout` (408). The layers that enforce them answer plain text or
//! nothing; a person on the pages gets a page saying the limit, in Chinese (`?lang=en`:
//! English), and a platform on the API the API's `{"error": …}`.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::api::lang_of_uri;
use super::page::{html_response, lang_href, page};
use crate::i18n::Lang;

/// The limits, for the messages that name them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_body: usize,
    pub timeout: Duration,
}

/// Answers a 413 or a 408 that no handler shaped (it is neither JSON nor HTML) in the shape of
/// the path asked: JSON under `/api/`, an HTML page elsewhere. Every other answer passes.
pub async fn shape(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    // The page posted to (`/`, `/bureau`, `/evaluate`) is the page to go back to.
    let path = request.uri().path().to_string();
    let lang = lang_of_uri(request.uri());
    let response = next.run(request).await;
    let status = response.status();
    if status != StatusCode::PAYLOAD_TOO_LARGE && status != StatusCode::REQUEST_TIMEOUT {
        return response;
    }
    let shaped = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("application/json") || kind.starts_with("text/html"));
    if shaped {
        return response;
    }
    let message = message(status, limits, lang);
    if api {
        return super::api::error(status, message);
    }
    let title = match status {
        StatusCode::PAYLOAD_TOO_LARGE => lang.pick("文件过大", "Too large"),
        _ => lang.pick("请求超时", "Timed out"),
    };
    notice(status, title, &message, &path, lang)
}

/// A page saying why a request to a page was not served, with a link back to it.
pub fn notice(status: StatusCode, title: &str, message: &str, path: &str, lang: Lang) -> Response {
    let body = page(
        title,
        lang,
        html! {
            h1 { (title) }
            p.warning { "⚠ " (message) }
            p { a href=(lang_href(path, lang)) { (lang.pick("返回", "Back")) } }
        },
    );
    (status, html_response(body)).into_response()
}

/// What went over which limit, and what to do.
fn message(status: StatusCode, limits: Limits, lang: Lang) -> String {
    match (status, lang) {
        (StatusCode::PAYLOAD_TOO_LARGE, Lang::Zh) => format!(
            "提交的内容超过本服务的上限 {}（--max-body）：请拆分文件后分批上传，或请管理员调高上限",
            size(limits.max_body, lang)
        ),
        (StatusCode::PAYLOAD_TOO_LARGE, Lang::En) => format!(
            "the request is larger than this server's limit of {} (--max-body): split the file, or ask the administrator to raise the limit",
            size(limits.max_body, lang)
        ),
        (_, Lang::Zh) => format!(
            "请求未能在 {} 秒内完成（--timeout）：网络较慢或文件较大时请重试，或请管理员调高时限",
            limits.timeout.as_secs_f64()
        ),
        (_, Lang::En) => format!(
            "the request did not complete within {} s (--timeout): try again, or ask the administrator to raise the limit",
            limits.timeout.as_secs_f64()
        ),
    }
}

/// `10 MB (10485760 bytes)`: the unit that divides the size, and the bytes it is.
fn size(bytes: usize, lang: Lang) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * 1024;
    let unit = match bytes {
        0 => None,
        _ if bytes % MB == 0 => Some(format!("{} MB", bytes / MB)),
        _ if bytes % KB == 0 => Some(format!("{} KB", bytes / KB)),
        _ => None,
    };
    match (unit, lang) {
        (Some(unit), Lang::Zh) => format!("{unit}（{bytes} 字节）"),
        (Some(unit), Lang::En) => format!("{unit} ({bytes} bytes)"),
        (None, Lang::Zh) => format!("{bytes} 字节"),
        (None, Lang::En) => format!("{bytes} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_said_in_the_unit_that_divides_them() {
        assert_eq!(size(10 * 1024 * 1024, Lang::Zh), "10 MB（10485760 字节）");
        assert_eq!(size(2048, Lang::En), "2 KB (2048 bytes)");
        assert_eq!(size(1000, Lang::En), "1000 bytes");
    }
}
