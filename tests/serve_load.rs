//! `ticheck serve` under a concurrent burst (issue 14, "a request storm"): single checks from
//! many clients and sheet uploads at once, while /healthz is polled. What is asserted is that
//! the server keeps answering and fails nothing with a 5xx other than a deliberate 503 "busy";
//! how fast it answers is the benchmark's business (`make bench-serve`), not a timed test's.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use common::root;
use ticheck::serve::{Config, Server};

const CLIENTS: usize = 16;
const CHECKS: usize = 200;
const UPLOADS: usize = 4;
const UPLOAD_ROWS: usize = 400;

fn start() -> Server {
    let config = Config {
        rulebook: ticheck::rules::Rulebook::builtin(),
        rubric: ticheck::rules::evaluation::Rubric::builtin(),
        max_body: ticheck::serve::DEFAULT_MAX_BODY,
        timeout: Duration::from_secs(60),
        log: false,
    };
    Server::start("127.0.0.1:0".parse().unwrap(), config).expect("the server starts")
}

/// The status of a POST (ureq reports 4xx and 5xx as errors; they are answers here).
fn post(agent: &ureq::Agent, url: &str, content_type: &str, body: &[u8]) -> u16 {
    match agent
        .post(url)
        .set("Content-Type", content_type)
        .send_bytes(body)
    {
        Ok(response) => response.status(),
        Err(ureq::Error::Status(status, _)) => status,
        Err(error) => panic!("POST {url} got no answer: {error}"),
    }
}

/// A CSV sheet of `rows` candidates: the fixture's first five rows repeated (its sixth has a
/// mistyped area on purpose, which would make the answer 422).
fn sheet(rows: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(root().join("fixtures/batch/candidates.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let body: Vec<&str> = lines.take(5).collect();
    let mut out = String::from(header);
    out.push('\n');
    for row in body.iter().cycle().take(rows) {
        out.push_str(row);
        out.push('\n');
    }
    out.into_bytes()
}

/// Polls /healthz every 20 ms until told to stop; returns the answers that were not 200.
fn poll_healthz(
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<(usize, Vec<String>)> {
    thread::spawn(move || {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(10))
            .build();
        let (mut polls, mut failures) = (0, Vec::new());
        while !stop.load(Ordering::Relaxed) {
            match agent.get(&format!("http://{addr}/healthz")).call() {
                Ok(response) if response.status() == 200 => {}
                Ok(response) => failures.push(format!("status {}", response.status())),
                Err(error) => failures.push(error.to_string()),
            }
            polls += 1;
            thread::sleep(Duration::from_millis(20));
        }
        (polls, failures)
    })
}

#[test]
fn healthz_answers_and_nothing_fails_under_a_burst_of_checks_and_uploads() {
    let server = start();
    let addr = server.addr;
    let profile = std::fs::read(root().join("fixtures/eligible-enterprise.toml")).unwrap();
    let sheet = Arc::new(sheet(UPLOAD_ROWS));
    let statuses = Arc::new(Mutex::new(Vec::<(&str, u16)>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let poller = poll_healthz(addr, stop.clone());

    let mut clients = Vec::new();
    for _ in 0..UPLOADS {
        let (sheet, statuses) = (sheet.clone(), statuses.clone());
        clients.push(thread::spawn(move || {
            let agent = ureq::agent();
            let url = format!("http://{addr}/api/check?lang=en");
            let status = post(&agent, &url, "text/csv", &sheet);
            statuses.lock().unwrap().push(("sheet", status));
        }));
    }
    for client in 0..CLIENTS {
        let (profile, statuses) = (profile.clone(), statuses.clone());
        clients.push(thread::spawn(move || {
            let agent = ureq::agent();
            let url = format!("http://{addr}/api/check?lang=en");
            for _ in (client..CHECKS).step_by(CLIENTS) {
                let status = post(&agent, &url, "application/toml", &profile);
                statuses.lock().unwrap().push(("profile", status));
            }
        }));
    }
    for client in clients {
        client.join().expect("a client thread panicked");
    }
    stop.store(true, Ordering::Relaxed);
    let (polls, failures) = poller.join().unwrap();

    assert!(polls > 0, "/healthz was never polled");
    assert!(
        failures.is_empty(),
        "/healthz failed {} of {polls} times under load: {failures:?}",
        failures.len()
    );
    let statuses = statuses.lock().unwrap();
    let count = |kind: &str| statuses.iter().filter(|(k, _)| *k == kind).count();
    assert_eq!(count("profile"), CHECKS, "every check was answered");
    assert_eq!(count("sheet"), UPLOADS, "every upload was answered");
    // The profile is eligible and the sheet's rows are valid: 200, or 503 when the server
    // deliberately turns work away; any other status is a failure under load.
    let unexpected: Vec<_> = statuses
        .iter()
        .filter(|(_, status)| !matches!(status, 200 | 503))
        .collect();
    assert!(unexpected.is_empty(), "unexpected answers: {unexpected:?}");
    let single_ok = statuses
        .iter()
        .filter(|(kind, status)| *kind == "profile" && *status == 200)
        .count();
    assert_eq!(single_ok, CHECKS, "single checks are never turned away");
    // After the burst the server still answers.
    let after = ureq::get(&format!("http://{addr}/healthz")).call();
    assert_eq!(after.map(|r| r.status()).ok(), Some(200));
}
