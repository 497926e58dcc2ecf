//! Bounds on the work the server takes on at once (issue 14: "a request storm", 20 concurrent
//! 10,000-row uploads; docs/performance.md, "ticheck serve under load").
//!
//! A sheet is the expensive request: checking one starts a reading thread and a worker per
//! core (`crate::pipeline`), and its JSON report is about 16 KB a row (160 MB for 10,000 rows).
//! Run twenty at once on two cores and they take all the CPU from the single checks and about
//! 240 MB of memory each. So:
//!
//! - at most `max_sheet_jobs` sheets are checked at once; up to [`QUEUE_PER_JOB`] times as many
//!   wait for their turn with their bodies still unread (a waiting upload costs a connection,
//!   not its bytes), and any more are answered 503 with `Retry-After`;
//! - each sheet is checked on a thread of its own that ends with the job, and once its answer is
//!   sent the allocator is told to hand its free pages back (`mi_collect`). The allocator
//!   (mimalloc) returns freed pages to the system lazily, when the thread that owns them, or
//!   later some other, next allocates: on tokio's blocking pool a finished job's 160 MB stayed
//!   resident until the idle thread retired 10 s later, and on threads of its own until other
//!   requests came; a server gone quiet after a burst of sheets kept them.
//!
//! Single checks are small (under a millisecond of CPU) and are not queued here.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::api::{body_kind, BodyKind};
use crate::check::InputFormat;

/// Sheets checked at once by default: one per core of the machine the server was sized on
/// (2 cores), each of which keeps both cores busy by itself.
pub const DEFAULT_MAX_SHEET_JOBS: usize = 2;

/// Sheet requests that may wait for a turn, per sheet checked at once.
pub const QUEUE_PER_JOB: usize = 16;

/// What a client told to come back later is told to wait, in seconds.
const RETRY_AFTER_SECONDS: u32 = 5;

/// Threads for the short blocking jobs (single checks, pages) on tokio's blocking pool: two per
/// core, so a slow one does not hold up the rest, but not one per connection of a storm
/// (tokio's default allows 512): on two cores, 16 runnable check threads starved the two
/// threads that answer `/healthz` and read requests, with no gain in throughput.
pub fn blocking_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |cores| cores.get()) * 2
}

/// How long an idle blocking thread is kept (tokio's default: 10 s). Each thread's allocator
/// heap keeps the pages its jobs freed until the thread allocates again or ends, so idle
/// threads that linger hold memory the server no longer uses.
pub const BLOCKING_KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(1);

/// `--max-sheet-jobs`, set once by the command line before the server starts (0: the default).
static MAX_SHEET_JOBS: AtomicUsize = AtomicUsize::new(0);

/// Sets the number of sheets checked at once by servers started from now on.
pub fn set_max_sheet_jobs(jobs: usize) {
    MAX_SHEET_JOBS.store(jobs, Ordering::Relaxed);
}

/// The sheet checks' turns: `running` permits for the checks, `admitted` for those running or
/// waiting.
pub struct SheetTurns {
    running: Arc<Semaphore>,
    admitted: Semaphore,
}

impl SheetTurns {
    /// Turns for `jobs` sheets at once (at least one), and their waiting line.
    pub fn new(jobs: usize) -> Arc<SheetTurns> {
        let jobs = jobs.max(1);
        Arc::new(SheetTurns {
            running: Arc::new(Semaphore::new(jobs)),
            admitted: Semaphore::new(jobs + jobs * QUEUE_PER_JOB),
        })
    }

    /// The turns of a server started now (`--max-sheet-jobs`, or the default).
    pub fn configured() -> Arc<SheetTurns> {
        match MAX_SHEET_JOBS.load(Ordering::Relaxed) {
            0 => SheetTurns::new(DEFAULT_MAX_SHEET_JOBS),
            jobs => SheetTurns::new(jobs),
        }
    }
}

/// Whether a request checks a sheet: an upload to the bureau or the evaluation page, or a CSV
/// or workbook body for `/api/check` or `/api/evaluate`.
fn is_sheet(request: &Request) -> bool {
    if request.method() != Method::POST {
        return false;
    }
    match request.uri().path() {
        "/bureau" | "/evaluate" => true,
        "/api/check" | "/api/evaluate" => {
            body_kind(request.headers()).is_some_and(|kind| is_sheet_kind(&kind))
        }
        _ => false,
    }
}

/// Whether a body of this kind is a sheet (rows of candidates) rather than one profile.
pub fn is_sheet_kind(kind: &BodyKind) -> bool {
    matches!(kind, BodyKind::Input(InputFormat::Csv | InputFormat::Xlsx))
}

/// Middleware: a sheet request waits for its turn before its body is read, or is answered 503
/// when too many are already waiting; other requests pass straight through.
pub async fn sheet_turns(
    State(turns): State<Arc<SheetTurns>>,
    request: Request,
    next: Next,
) -> Response {
    if !is_sheet(&request) {
        return next.run(request).await;
    }
    let Ok(_admitted) = turns.admitted.try_acquire() else {
        return busy(&request);
    };
    // The semaphore is never closed, so acquiring fails only if it were.
    let Ok(running) = turns.running.clone().acquire_owned().await else {
        return busy(&request);
    };
    // The turn is shared with the job's thread ([`sheet_job`]): a request given up on (the
    // client gone, the timeout's 408) drops its future, not the thread, so the turn ends when
    // both have ended.
    let turn = Arc::new(running);
    let response = TURN.scope(turn.clone(), next.run(request)).await;
    held_until_sent(response, turn).await
}

/// The answer, holding the turn until its bytes are sent: a sheet's JSON report is about
/// 160 MB, so a turn that ended with the handler would let the next job start while the last
/// answer is still in memory, and a slow reader would let them pile up.
async fn held_until_sent(response: Response, turn: Arc<OwnedSemaphorePermit>) -> Response {
    let (parts, body) = response.into_parts();
    // The handlers answer whole bodies: this takes their bytes, it does not copy them.
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            let held = Bytes::from_owner(Held { bytes, _turn: turn });
            Response::from_parts(parts, Body::from(held))
        }
        Err(_) => super::api::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the answer could not be read".to_string(),
        ),
    }
}

/// An answer's bytes with the turn they hold; the turn ends when the server lets go of them.
struct Held {
    bytes: Bytes,
    _turn: Arc<OwnedSemaphorePermit>,
}

impl Drop for Held {
    /// The answer is sent: its memory, and what the job's thread left, go back to the system.
    /// mimalloc returns freed pages lazily, from the thread that next allocates; a server that
    /// goes quiet after a burst of sheets otherwise kept them all (four 10,000-row JSON answers:
    /// 615 MiB resident at rest, against 17 MiB before them).
    fn drop(&mut self) {
        drop(std::mem::take(&mut self.bytes));
        // SAFETY: `mi_collect` takes no pointers; it frees and purges mimalloc's own unused
        // pages, which is safe at any time from any thread (and does nothing where another
        // allocator serves the process, as in the tests).
        unsafe { libmimalloc_sys::mi_collect(true) };
    }
}

impl AsRef<[u8]> for Held {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

tokio::task_local! {
    /// The sheet turn of the request being handled.
    static TURN: Arc<OwnedSemaphorePermit>;
}

/// 503 with `Retry-After`, in the words of the request's language (`?lang=en`).
fn busy(request: &Request) -> Response {
    let lang = super::api::lang_of_uri(request.uri());
    let message = lang.pick(
        "服务器正在核查其他表格，请稍后再试",
        "the server is checking other sheets; please try again shortly",
    );
    let path = request.uri().path();
    let status = StatusCode::SERVICE_UNAVAILABLE;
    // As the other limits answer: JSON on the API, a page saying so on the pages.
    let mut response = match path.starts_with("/api/") {
        true => super::api::error(status, message.to_string()),
        false => {
            let title = lang.pick("请稍后再试", "Busy");
            super::limits::notice(status, title, message, path, lang)
        }
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
    response
}

/// Runs a handler's blocking work: a sheet's check on a thread of its own ([`sheet_job`]), a
/// single profile's on tokio's blocking pool.
pub async fn blocking<T, F>(sheet: bool, job: F) -> Result<T, JobFailed>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    match sheet {
        true => sheet_job(job).await,
        false => tokio::task::spawn_blocking(job)
            .await
            .map_err(|_| JobFailed),
    }
}

/// The job is dropped before its answer arrives: the thread could not be started, or the job
/// panicked.
#[derive(Debug)]
pub struct JobFailed;

/// Runs a sheet's check on a thread of its own, which ends with it (the allocator then returns
/// the job's memory to the system, see the module's notes); stands in for
/// `tokio::task::spawn_blocking`.
pub fn sheet_job<T, F>(job: F) -> impl Future<Output = Result<T, JobFailed>>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let turn = TURN.try_with(Arc::clone).ok();
    let started = std::thread::Builder::new()
        .name("ticheck-sheet".to_string())
        .spawn(move || {
            let _ = sender.send(job());
            drop(turn);
        });
    async move {
        started.map_err(|_| JobFailed)?;
        receiver.await.map_err(|_| JobFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, uri: &str, content_type: &str) -> Request {
        axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::empty())
            .unwrap()
    }

    #[test]
    fn sheets_are_uploads_to_the_bureau_page_and_csv_or_workbook_bodies_for_the_api() {
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        assert!(is_sheet(&request(
            Method::POST,
            "/bureau",
            "multipart/form-data; boundary=x"
        )));
        assert!(is_sheet(&request(
            Method::POST,
            "/api/check?lang=en",
            "text/csv; charset=utf-8"
        )));
        assert!(is_sheet(&request(Method::POST, "/api/check", xlsx)));
        assert!(!is_sheet(&request(
            Method::POST,
            "/api/check",
            "application/toml"
        )));
        assert!(!is_sheet(&request(
            Method::POST,
            "/api/check",
            "application/json"
        )));
        assert!(!is_sheet(&request(Method::GET, "/bureau", "")));
        assert!(!is_sheet(&request(
            Method::POST,
            "/",
            "application/x-www-form-urlencoded"
        )));
    }

    #[test]
    fn the_waiting_line_holds_sixteen_requests_per_job_beyond_the_running_ones() {
        let turns = SheetTurns::new(2);
        let admitted: Vec<_> = (0..2 + 2 * QUEUE_PER_JOB)
            .map(|_| turns.admitted.try_acquire().expect("admitted"))
            .collect();
        assert!(
            turns.admitted.try_acquire().is_err(),
            "one more is turned away"
        );
        assert_eq!(turns.running.available_permits(), 2);
        drop(admitted);
        assert_eq!(
            SheetTurns::new(0).running.available_permits(),
            1,
            "at least one runs"
        );
    }

    #[test]
    fn a_busy_answer_is_503_with_retry_after_in_the_request_s_language() {
        let api = busy(&request(Method::POST, "/api/check?lang=en", "text/csv"));
        assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(api.headers()[header::RETRY_AFTER], "5");
        assert!(api.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        assert!(text(api).contains("try again shortly"));
        let page = busy(&request(Method::POST, "/bureau", "multipart/form-data"));
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(page.headers()[header::RETRY_AFTER], "5");
        assert!(page.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let html = text(page);
        assert!(
            html.contains("⚠ 服务器正在核查其他表格，请稍后再试"),
            "{html}"
        );
        assert!(html.contains("<a href=\"/bureau\">返回</a>"), "{html}");
    }

    fn text(response: Response) -> String {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let bytes = runtime
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }
}
