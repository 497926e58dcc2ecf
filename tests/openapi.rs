//! docs/openapi.json describes the API the server serves: every path it documents answers,
//! every API section of docs/api.md is in it, and the statuses the server gives for common
//! requests are among those it documents.

mod common;

use std::time::Duration;

use common::http::answer;
use common::root;
use serde_json::Value;
use ticheck::serve::{Config, Server};

fn openapi() -> Value {
    let text = std::fs::read_to_string(root().join("docs/openapi.json")).unwrap();
    serde_json::from_str(&text).expect("docs/openapi.json is JSON")
}

fn documented(spec: &Value, path: &str, method: &str, status: u16) -> bool {
    spec["paths"][path][method]["responses"]
        .get(status.to_string())
        .is_some()
}

#[test]
fn every_documented_operation_answers_with_a_documented_status() {
    let spec = openapi();
    assert_eq!(spec["openapi"], "3.1.0");
    let server = Server::start(
        "127.0.0.1:0".parse().unwrap(),
        Config {
            rulebook: ticheck::rules::Rulebook::builtin(),
            rubric: ticheck::rules::evaluation::Rubric::builtin(),
            max_body: ticheck::serve::DEFAULT_MAX_BODY,
            timeout: Duration::from_secs(60),
            log: false,
        },
    )
    .unwrap();
    let base = format!("http://{}", server.addr);
    let profile = std::fs::read(root().join("fixtures/eligible-enterprise.toml")).unwrap();
    let center = std::fs::read(root().join("fixtures/evaluation/good-center.toml")).unwrap();
    let paths = spec["paths"].as_object().unwrap();
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            let url = format!("{base}{}", path.replace("{id}", "A10.4.floor-area"));
            let got = match (method.as_str(), path.as_str()) {
                ("get", _) => answer(ureq::get(&url).call()),
                ("post", "/api/check") => answer(
                    ureq::post(&url)
                        .set("Content-Type", "application/toml")
                        .send_bytes(&profile),
                ),
                ("post", "/api/evaluate") => answer(
                    ureq::post(&url)
                        .set("Content-Type", "application/toml")
                        .send_bytes(&center),
                ),
                other => panic!("no request written for {other:?}"),
            };
            assert_eq!(got.status, 200, "{method} {path}: {}", got.text());
            if method == "post" {
                let unknown = answer(
                    ureq::post(&url)
                        .set("Content-Type", "text/plain")
                        .send_bytes(b"x"),
                );
                assert_eq!(unknown.status, 415);
                assert!(documented(&spec, path, method, 415), "{path}");
                let wrong_query = answer(
                    ureq::post(&format!("{url}?near_miss=x&lang=en"))
                        .set("Content-Type", "application/toml")
                        .send_bytes(&profile),
                );
                if wrong_query.status != 200 {
                    assert!(
                        documented(&spec, path, method, wrong_query.status),
                        "{path}: {}",
                        wrong_query.status
                    );
                }
            }
        }
    }
    let unknown_clause = answer(ureq::get(&format!("{base}/api/explain/A99")).call());
    assert_eq!(unknown_clause.status, 404);
    assert!(documented(&spec, "/api/explain/{id}", "get", 404));
}

/// docs/api.md and the OpenAPI file name the same endpoints.
#[test]
fn the_api_guide_and_the_openapi_file_name_the_same_endpoints() {
    let spec = openapi();
    let guide = std::fs::read_to_string(root().join("docs/api.md")).unwrap();
    let mut in_guide: Vec<String> = guide
        .lines()
        .filter_map(|line| line.strip_prefix("## `"))
        .filter_map(|heading| heading.strip_suffix('`'))
        .map(|heading| heading.split_once(' ').unwrap().1.to_string())
        .collect();
    in_guide.sort();
    let mut in_spec: Vec<String> = spec["paths"].as_object().unwrap().keys().cloned().collect();
    in_spec.sort();
    assert_eq!(in_guide, in_spec);
}
