//! `ticheck serve`: the same engine behind a web page and a JSON API (SPEC §8).
//!
//! The handlers are thin: they read the request, call the library functions `ticheck check`
//! calls ([`crate::check::check_bytes`]) and answer their bytes. Nothing is stored: bodies are
//! held in memory for the request alone, and the log says only the method, the path, the
//! status, the time taken and the size of the answer.

mod api;
mod bureau;
mod evaluate;
pub mod jobs;
mod limits;
mod page;

use limits::Limits;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::rules::Rulebook;

/// The default limit on a request body (SPEC §8: 10 MB).
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;

/// What the server serves with.
pub struct Config {
    pub rulebook: Rulebook,
    /// The evaluation rubric (`--rubric`).
    pub rubric: crate::rules::evaluation::Rubric,
    /// Bodies above this many bytes are answered 413.
    pub max_body: usize,
    /// A request that takes longer is answered 408.
    pub timeout: Duration,
    /// Whether each request is logged on standard error.
    pub log: bool,
}

/// What every handler shares.
pub struct App {
    pub rulebook: Rulebook,
    pub rubric: crate::rules::evaluation::Rubric,
}

/// The routes and their layers.
pub fn router(config: Config) -> Router {
    let log = config.log;
    let app = Arc::new(App {
        rulebook: config.rulebook,
        rubric: config.rubric,
    });
    let router = Router::new()
        .route("/", get(page::form).post(page::submit))
        .route("/bureau", get(bureau::form).post(bureau::submit))
        .route("/evaluate", get(evaluate::form).post(evaluate::submit))
        .route("/healthz", get(api::healthz))
        .route("/api/check", post(api::check))
        .route("/api/evaluate", post(api::evaluate))
        .route("/api/rules", get(api::rules))
        .route("/api/explain/{id}", get(api::explain))
        .route("/api/schema", get(api::schema))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(app)
        .layer(middleware::from_fn_with_state(
            jobs::SheetTurns::configured(),
            jobs::sheet_turns,
        ))
        // The limit is the layer's, not axum's default of 2 MB.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(config.max_body))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            config.timeout,
        ))
        // Outside the limit and the timeout: their 413 and 408 answered as a page or as JSON.
        .layer(middleware::from_fn_with_state(
            Limits {
                max_body: config.max_body,
                timeout: config.timeout,
            },
            limits::shape,
        ))
        .layer(CompressionLayer::new());
    if log {
        router.layer(middleware::from_fn(log_request))
    } else {
        router
    }
}

/// Logs a request: method, path (never the query or the body), status, latency, size.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let size = axum::body::HttpBody::size_hint(response.body())
        .exact()
        .map_or_else(|| "-".to_string(), |bytes| format!("{bytes}B"));
    eprintln!(
        "{method} {path} {} {:.1}ms {size}",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// A server listening on its address, serving on a thread of its own until dropped.
pub struct Server {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Binds `addr` (port 0: any free port) and serves on a background thread.
    pub fn start(addr: SocketAddr, config: Config) -> std::io::Result<Server> {
        let runtime = runtime()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(addr))?;
        let addr = listener.local_addr()?;
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let router = router(config);
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(async move {
                        let _ = stop.await;
                    })
                    .await;
            });
        });
        Ok(Server {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// Waits until the server stops (it stops only when dropped from another thread, or when
    /// the process ends).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(jobs::blocking_threads())
        .thread_keep_alive(jobs::BLOCKING_KEEP_ALIVE)
        .enable_io()
        .enable_time()
        .build()
}
