//! The web server's handlers, through the router as a client reaches them (`tower`'s
//! `oneshot` on a current-thread runtime, no socket). The input is a request written as text:
//! its first line `METHOD URI` (`POST /api/check?lang=en&as_of=2025-03-01`), its second the
//! `Content-Type` (empty for none), the rest its body. No answer may be a 500 (a handler's
//! panic or failure), and every JSON answer must parse.
#![no_main]

use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use libfuzzer_sys::fuzz_target;
use ticheck::rules::evaluation::Rubric;
use ticheck::rules::Rulebook;
use ticheck::serve::{router, Config};
use tower::ServiceExt;

fn app() -> Router {
    static ROUTER: OnceLock<Router> = OnceLock::new();
    ROUTER
        .get_or_init(|| {
            router(Config {
                rulebook: Rulebook::builtin(),
                rubric: Rubric::builtin(),
                max_body: 1024 * 1024,
                timeout: Duration::from_secs(30),
                log: false,
            })
        })
        .clone()
}

thread_local! {
    static RUNTIME: RefCell<tokio::runtime::Runtime> = RefCell::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime"),
    );
}

/// The request the input writes, when its first line is a method and a URI.
fn request_of(data: &[u8]) -> Option<Request<Body>> {
    let mut parts = data.splitn(3, |b| *b == b'\n');
    let first = std::str::from_utf8(parts.next()?).ok()?;
    let content_type = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default().to_vec();
    let (method, uri) = first.split_once(' ')?;
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).ok()?)
        .uri(uri);
    if !content_type.is_empty() {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder.body(Body::from(body)).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some(request) = request_of(data) else {
        return;
    };
    let path = request.uri().path().to_string();
    RUNTIME.with(|runtime| {
        runtime.borrow().block_on(async {
            let response = app()
                .oneshot(request)
                .await
                .expect("the router is infallible");
            let status = response.status();
            assert_ne!(
                status,
                StatusCode::INTERNAL_SERVER_ERROR,
                "{path} answered 500"
            );
            let is_json = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.starts_with("application/json"));
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("the answer's body is read");
            if is_json {
                if let Err(error) = serde_json::from_slice::<serde_json::Value>(&body) {
                    panic!(
                        "{path} answered {status} with JSON that does not parse ({error}): {}",
                        String::from_utf8_lossy(&body)
                    );
                }
            }
        });
    });
});
