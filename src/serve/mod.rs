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
mod upload;

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
        let header_timeout = config.timeout;
        let router = router(config);
        let thread = std::thread::spawn(move || {
            runtime.block_on(serve(listener, router, header_timeout, stop));
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

/// Accepts connections until `stop`, serving each over HTTP/1.1 on a task of its own.
///
/// Not `axum::serve`: it gives hyper no timer, so a client that sends its request's head a
/// byte at a time holds a connection for ever (the 408 of `--timeout` starts once the head is
/// read). Here the head too must arrive within the timeout, or the connection is closed.
async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    header_timeout: Duration,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut stop = std::pin::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut stop => return,
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
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
