//! `ticheck serve` (SPEC §8), over loopback with a real HTTP client: the API answers what the
//! command line prints, byte for byte, and the status codes of bad requests.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use common::http::{answer, Answer};
use common::{root, run, ticheck};
use serde_json::Value;
use ticheck::serve::{Config, Server};

fn config(max_body: usize) -> Config {
    Config {
        rulebook: ticheck::rules::Rulebook::builtin(),
        rubric: ticheck::rules::evaluation::Rubric::builtin(),
        max_body,
        timeout: Duration::from_secs(60),
        log: false,
    }
}

/// One server for the tests, on a free port.
fn server() -> SocketAddr {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            Server::start(
                "127.0.0.1:0".parse().unwrap(),
                config(ticheck::serve::DEFAULT_MAX_BODY),
            )
            .expect("the server starts")
        })
        .addr
}

fn post_to(addr: SocketAddr, path: &str, content_type: &str, body: &[u8]) -> Answer {
    answer(
        ureq::post(&format!("http://{addr}{path}"))
            .set("Content-Type", content_type)
            .send_bytes(body),
    )
}

fn post(path: &str, content_type: &str, body: &[u8]) -> Answer {
    post_to(server(), path, content_type, body)
}

fn get(path: &str) -> Answer {
    answer(ureq::get(&format!("http://{}{path}", server())).call())
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => "application/toml",
        Some("csv") => "text/csv",
        Some("xlsx") => XLSX,
        other => panic!("no content type for {other:?}"),
    }
}

/// Every applicant fixture (profiles, sheets, invalid profiles).
fn fixtures() -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for dir in ["fixtures", "fixtures/batch", "fixtures/invalid"] {
        for entry in std::fs::read_dir(root().join(dir)).expect("fixtures are there") {
            let path = entry.expect("a directory entry").path();
            if path.is_file() {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_api_answers_the_cli_json_byte_for_byte_for_every_fixture() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 10, "fixtures found: {fixtures:?}");
    for path in &fixtures {
        let name = path.file_name().unwrap().to_str().unwrap();
        let dir = path.parent().unwrap();
        for lang in ["zh", "en"] {
            let cli = run(ticheck()
                .current_dir(dir)
                .args(["check", "--format", "json", "--lang", lang, name]));
            let body = std::fs::read(path).unwrap();
            let api = post(
                &format!("/api/check?lang={lang}&name={name}"),
                content_type(path),
                &body,
            );
            assert_eq!(
                api.text(),
                cli.stdout,
                "{name} ({lang}): the API's JSON differs from the CLI's"
            );
            assert!(api.content_type.starts_with("application/json"));
            let expected = match cli.code {
                0 | 1 => vec![200],
                _ => vec![400, 422],
            };
            assert!(
                expected.contains(&api.status),
                "{name}: status {} for exit code {}",
                api.status,
                cli.code
            );
        }
    }
}

#[test]
fn an_invalid_profile_is_422_and_an_unparsable_one_400_with_the_located_messages() {
    let typo = std::fs::read(root().join("fixtures/invalid/typo-key.toml")).unwrap();
    let answer = post("/api/check?name=typo-key.toml", "application/toml", &typo);
    assert_eq!(answer.status, 422, "{}", answer.text());
    let result = &answer.json()["results"][0];
    assert_eq!(result["verdict"], "error");
    let message = result["error"]["message"].as_str().unwrap_or_else(|| {
        result["error"]
            .as_str()
            .expect("the error is a message or holds one")
    });
    assert!(message.contains("typo-key.toml:"), "{message}");

    let syntax = std::fs::read(root().join("fixtures/invalid/syntax-error.toml")).unwrap();
    let answer = post(
        "/api/check?name=syntax-error.toml",
        "application/toml",
        &syntax,
    );
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert_eq!(answer.json()["summary"]["error"], 1);
}

/// A TOML value as the JSON a web client would send: dates as strings.
fn to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .iter()
                .map(|(key, value)| (key.clone(), to_json(value)))
                .collect(),
        ),
    }
}

#[test]
fn a_json_profile_is_judged_as_the_toml_it_stands_for() {
    for name in [
        "eligible-enterprise.toml",
        "ineligible-enterprise.toml",
        "incomplete-institute.toml",
        "university-partners.toml",
    ] {
        let text = std::fs::read_to_string(root().join("fixtures").join(name)).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap();
        let json = serde_json::to_vec(&to_json(&value)).unwrap();
        let api = post(
            &format!("/api/check?name={name}"),
            "application/json",
            &json,
        );
        let cli = run(ticheck()
            .current_dir(root().join("fixtures"))
            .args(["check", "--format", "json", "--lang", "zh", name]));
        let (api, cli) = (api.json(), cli.json());
        let verdicts = |report: &Value| -> Vec<(Value, Value, Value)> {
            report["results"][0]["clauses"]
                .as_array()
                .expect("clauses")
                .iter()
                .map(|c| (c["id"].clone(), c["verdict"].clone(), c["actual"].clone()))
                .collect()
        };
        assert_eq!(
            api["results"][0]["verdict"], cli["results"][0]["verdict"],
            "{name}"
        );
        assert_eq!(verdicts(&api), verdicts(&cli), "{name}");
    }
    let broken = post("/api/check", "application/json", b"{\"applicant\": ");
    assert_eq!(broken.status, 400, "{}", broken.text());
    assert!(broken.text().contains("JSON"), "{}", broken.text());
    let not_object = post("/api/check", "application/json", b"[1, 2]");
    assert_eq!(not_object.status, 400, "{}", not_object.text());
}

/// A JSON number is the decimal written, not the nearest f64: an area a hair under the bound
/// fails and a ratio a hair under 70% passes, as in TOML (SPEC §4), and a null is named.
#[test]
fn a_json_profiles_numbers_keep_every_digit_written() {
    let text = std::fs::read_to_string(root().join("fixtures/eligible-enterprise.toml")).unwrap();
    let mut value = to_json(&toml::from_str::<toml::Value>(&text).unwrap());
    let finance = value["finance"].as_object_mut().unwrap();
    finance.remove("total_liabilities");
    // The digits written into the text by hand: serde_json would print the f64 it holds.
    let json = serde_json::to_string(&value)
        .unwrap()
        .replacen(
            r#""finance":{"#,
            r#""finance":{"debt_ratio":0.6999999999999999999,"#,
            1,
        )
        .replace(
            r#""rnd_floor_area":"1800平方米""#,
            r#""rnd_floor_area":1499.99999999999999999"#,
        );
    assert!(json.contains("1499.99999999999999999"), "{json}");
    let api = post("/api/check", "application/json", json.as_bytes());
    let report = api.json();
    let clause = |id: &str| {
        report["results"][0]["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|clause| clause["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {report}"))
            .clone()
    };
    assert_eq!(clause("A10.4.floor-area")["verdict"], "fail", "{report}");
    assert_eq!(clause("A10.2.debt-ratio")["verdict"], "pass", "{report}");
    assert_eq!(
        clause("A10.2.debt-ratio")["actual"],
        "69.99999999999999999%"
    );

    let null = post(
        "/api/check",
        "application/json",
        br#"{"applicant": {"name": null}}"#,
    );
    assert_eq!(null.status, 400, "{}", null.text());
    assert!(null.text().contains("applicant.name"), "{}", null.text());
}

#[test]
fn an_unknown_content_type_is_415_and_the_server_keeps_serving() {
    let answer = post("/api/check", "text/plain", b"hello");
    assert_eq!(answer.status, 415);
    assert!(answer.json()["error"]
        .as_str()
        .unwrap()
        .contains("Content-Type"));
    let garbage = post("/api/check", XLSX, b"PK\x03\x04 not a workbook at all");
    assert_eq!(garbage.status, 400, "{}", garbage.text());
    let empty = post("/api/check", "text/csv", b"");
    assert_eq!(empty.status, 400, "{}", empty.text());
    let health = get("/healthz");
    assert_eq!(
        (health.status, health.json()["status"].clone()),
        (200, "ok".into())
    );
}

#[test]
fn a_body_above_the_limit_is_413() {
    let small = Server::start("127.0.0.1:0".parse().unwrap(), config(1024)).unwrap();
    let profile = std::fs::read(root().join("fixtures/eligible-enterprise.toml")).unwrap();
    assert!(profile.len() > 1024);
    let answer = post_to(small.addr, "/api/check", "application/toml", &profile);
    assert_eq!(answer.status, 413);
    let within = post_to(
        small.addr,
        "/api/check",
        "application/toml",
        b"[applicant]\n",
    );
    assert_ne!(within.status, 413);
}

#[test]
fn rules_explain_and_schema_answer_json() {
    let rules = get("/api/rules");
    assert_eq!(rules.status, 200);
    let rules = rules.json();
    assert_eq!(rules["rulebook"]["id"], "yunnan-2022");
    let clauses = rules["clauses"].as_array().unwrap();
    assert!(clauses
        .iter()
        .any(|c| c["id"] == "A10.4.floor-area" && c["severity"] == "condition"));

    let explained = get("/api/explain/A10.4.floor-area");
    assert_eq!(explained.status, 200);
    let explained = explained.json();
    assert!(explained["law"].as_str().unwrap().contains("研发场地"));
    assert!(!explained["fields"].as_array().unwrap().is_empty());
    let english = get("/api/explain/A10.4.floor-area?lang=en").json();
    assert_ne!(english["requirement"], explained["requirement"]);

    let unknown = get("/api/explain/A10.4.floor-aera");
    assert_eq!(unknown.status, 404);
    assert!(
        unknown.text().contains("A10.4.floor-area"),
        "{}",
        unknown.text()
    );

    let schema = get("/api/schema");
    let cli = run(ticheck().arg("schema"));
    assert_eq!(schema.text(), cli.stdout);
}

fn post_form(path: &str, fields: &[(&str, &str)]) -> Answer {
    answer(ureq::post(&format!("http://{}{path}", server())).send_form(fields))
}

#[test]
fn the_applicant_page_is_a_form_grouped_as_the_law_with_units_and_requirements() {
    let page = get("/");
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    let html = page.text();
    for group in [
        "基本情况",
        "财务",
        "研发团队",
        "场地设备",
        "研发经费",
        "项目与成果",
        "地方支持",
    ] {
        assert!(
            html.contains(&format!("<legend>{group}</legend>")),
            "{group}"
        );
    }
    // Every field of the profile is an input, named by its TOML path.
    for path in [
        "applicant.name",
        "finance.debt_ratio",
        "team.qualified_staff",
        "facilities.rnd_floor_area",
        "record.class_i_ip",
        "support.pre_investment",
    ] {
        assert!(html.contains(&format!("name=\"{path}\"")), "{path}");
    }
    // A closed list is a dropdown; the note gives the unit and the law's requirement.
    assert!(html.contains("<select id=\"f-applicant-kind\" name=\"applicant.kind\""));
    assert!(html.contains("<option value=\"university\">"));
    assert!(html.contains("单位：平方米"), "the unit of the floor area");
    assert!(html.contains("1500"), "the floor area's bound");
    // The notes speak of a form, not of a sheet's rows and columns.
    assert!(
        !html.contains("每行一个申报单位") && !html.contains("本列"),
        "sheet wording on the form"
    );
    assert!(!html.contains("<script"), "no script on the page");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing loaded from elsewhere"
    );
    let english = get("/?lang=en").text();
    assert!(
        english.contains("<legend>R&amp;D team</legend>"),
        "{}",
        common::excerpt(&english)
    );
}

#[test]
fn a_submitted_form_shows_the_verdicts_keeps_the_values_and_escapes_them() {
    let fields = [
        ("lang", "zh"),
        ("applicant.name", "<script>alert('x')</script>有限公司"),
        ("applicant.kind", "enterprise"),
        ("applicant.application_date", "2024-03-15"),
        ("facilities.rnd_floor_area", "1200"),
        ("submit", "check"),
    ];
    let answer = post_form("/", &fields);
    assert_eq!(answer.status, 200);
    let html = answer.text();
    assert!(!html.contains("<script>alert"), "the name is escaped");
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt;有限公司"));
    // The verdict, the gap of the failed floor area, what is missing, the law's text.
    assert!(
        html.contains("不符合"),
        "ineligible: {}",
        common::excerpt(&html)
    );
    assert!(html.contains("还差 300 m²"), "{}", common::excerpt(&html));
    assert!(html.contains("还差什么"));
    assert!(
        html.contains("研发场地面积在 1500m² 以上"),
        "the law's text"
    );
    // The values stay in the form, and the year columns follow the application date.
    assert!(html.contains("value=\"1200\""));
    assert!(html.contains("<option value=\"enterprise\" selected>"));
    assert!(html.contains("name=\"rnd_spend.2023\"") && html.contains("name=\"rnd_spend.2022\""));
    let later = post_form("/", &[("applicant.application_date", "2026-03-01")]).text();
    assert!(
        later.contains("name=\"rnd_spend.2025\"") && !later.contains("name=\"rnd_spend.2022\"")
    );
}

#[test]
fn the_form_downloads_as_the_toml_profile_the_cli_checks_alike() {
    let fields = [
        ("applicant.name", "云南某某公司"),
        ("applicant.kind", "enterprise"),
        ("applicant.application_date", "2024-03-15"),
        ("facilities.rnd_floor_area", "1800"),
        ("facilities.equipment_value", "2350万元"),
        ("download", "toml"),
    ];
    let answer = post_form("/", &fields);
    assert_eq!(answer.status, 200);
    assert!(answer.content_type.starts_with("application/toml"));
    let toml = answer.text();
    assert!(toml.contains("rnd_floor_area = 1800"), "{toml}");
    let dir = tempfile::tempdir().unwrap();
    let path = common::write(&dir, "profile.toml", &toml);
    let cli = run(ticheck().args(["check", "--format", "json", common::path_str(&path)]));
    let report = cli.json();
    let floor = report["results"][0]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A10.4.floor-area")
        .cloned()
        .unwrap();
    assert_eq!(floor["verdict"], "pass");
    assert_eq!(report["results"][0]["applicant"], "云南某某公司");
}

/// A multipart upload, as a browser sends the bureau form.
fn upload(file_name: &str, bytes: &[u8], action: &str) -> Answer {
    let boundary = "----ticheck-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nzh\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n{action}\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    post(
        "/bureau",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    )
}

/// Every sheet of a workbook: its name and its cells as text.
fn workbook_cells(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .expect("an .xlsx workbook");
    let names = workbook.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).expect("a worksheet");
            let rows = range
                .rows()
                .map(|row| row.iter().map(common::cell_text).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

#[test]
fn the_bureau_page_uploads_a_sheet_and_shows_the_batch_summary() {
    let form = get("/bureau").text();
    assert!(form.contains("enctype=\"multipart/form-data\""));
    assert!(form.contains("type=\"file\""));
    for name in ["candidates.csv", "messy.xlsx"] {
        let path = root().join("fixtures/batch").join(name);
        let answer = upload(name, &std::fs::read(&path).unwrap(), "summary");
        assert_eq!(answer.status, 200, "{name}");
        let html = answer.text();
        let cli = run(ticheck()
            .current_dir(root().join("fixtures/batch"))
            .args(["check", "--format", "json", "--lang", "zh", name]));
        let report = cli.json();
        let summary = &report["summary"];
        let sentence = format!(
            "共 {} 个申报单位：未发现不符合项 {}，不符合 {}，材料不全 {}，无法读取 {}",
            report["results"].as_array().unwrap().len(),
            summary["eligible"],
            summary["ineligible"],
            summary["incomplete"],
            summary["error"]
        );
        assert!(
            html.contains(&sentence),
            "{name}: {sentence}\n{}",
            common::excerpt(&html)
        );
        for result in report["results"].as_array().unwrap() {
            let source = result["source"].as_str().unwrap();
            assert!(
                html.contains(&format!("<td>{source}</td>")),
                "{name}: {source}"
            );
            // SPEC §2: what is still open, by id, on the page as in every other output.
            for id in result["open"]["review"].as_array().into_iter().flatten() {
                let id = id.as_str().unwrap();
                assert!(html.contains(id), "{name}: {source}: {id} open on the page");
            }
        }
    }
    let unknown = upload("notes.bin", b"\x00\x01 nothing", "summary");
    assert_eq!(unknown.status, 415);
}

#[test]
fn the_results_workbook_is_the_one_the_cli_writes() {
    let name = "candidates.csv";
    let dir = root().join("fixtures/batch");
    let answer = upload(name, &std::fs::read(dir.join(name)).unwrap(), "workbook");
    assert_eq!(answer.status, 200);
    assert!(answer.content_type.contains("spreadsheetml"));
    let out = tempfile::tempdir().unwrap();
    let written = out.path().join("results.xlsx");
    let cli = run(ticheck().current_dir(&dir).args([
        "check",
        "--lang",
        "zh",
        name,
        "--output",
        common::path_str(&written),
    ]));
    // A row of the sheet is invalid (exit code 2); the workbook is written all the same.
    assert!(written.exists(), "{}", cli.stderr);
    let expected = workbook_cells(&std::fs::read(&written).unwrap());
    let served = workbook_cells(&answer.body);
    assert!(expected.len() >= 3);
    assert_eq!(served, expected);

    // The applicant page's workbook: the form's applicant, judged.
    let from_form = post_form(
        "/",
        &[
            ("applicant.name", "云南某某公司"),
            ("facilities.rnd_floor_area", "1200"),
            ("download", "xlsx"),
        ],
    );
    assert_eq!(from_form.status, 200);
    let sheets = workbook_cells(&from_form.body);
    assert!(
        sheets[0].1[1].iter().any(|cell| cell == "云南某某公司"),
        "{:?}",
        sheets[0]
    );
}

#[test]
fn the_evaluate_api_answers_the_cli_json_byte_for_byte() {
    let dir = root().join("fixtures/evaluation");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in &names {
        for lang in ["zh", "en"] {
            let cli = run(ticheck()
                .current_dir(&dir)
                .args(["evaluate", "--format", "json", "--lang", lang, name]));
            let api = post(
                &format!("/api/evaluate?lang={lang}&name={name}"),
                "application/toml",
                &std::fs::read(dir.join(name)).unwrap(),
            );
            assert_eq!(api.text(), cli.stdout, "{name} ({lang})");
            let expected = match cli.code {
                0 | 1 => vec![200],
                _ => vec![400, 422],
            };
            assert!(
                expected.contains(&api.status),
                "{name}: {} for exit {}",
                api.status,
                cli.code
            );
        }
    }
    let unknown = post("/api/evaluate", "text/plain", b"a,b\n1,2\n");
    assert_eq!(unknown.status, 415);
}

#[test]
fn ticheck_serve_prints_its_url_binds_loopback_and_serves() {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ticheck"))
        .args(["serve", "--addr", "127.0.0.1:0", "--lang", "en"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("ticheck serve starts");
    let mut line = String::new();
    let read = std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
    let health = read.ok().and_then(|_| {
        let url = line.trim().to_string();
        let addr: SocketAddr = url
            .strip_prefix("http://")?
            .trim_end_matches('/')
            .parse()
            .ok()?;
        Some((addr, answer(ureq::get(&format!("{url}healthz")).call())))
    });
    let _ = child.kill();
    let _ = child.wait();
    let (addr, health) = health.unwrap_or_else(|| panic!("no URL printed: {line:?}"));
    assert!(addr.ip().is_loopback(), "{addr}");
    assert_ne!(addr.port(), 0);
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
}

/// Every answer of the API is JSON, in the request's language: a wrong query, an unknown
/// path, a method a path does not take (axum's own answers are English plain text or empty).
#[test]
fn the_apis_own_mistakes_are_json_in_the_requests_language() {
    let profile = std::fs::read(root().join("fixtures/eligible-enterprise.toml")).unwrap();
    let wrong_query = post("/api/check?near_miss=abc", "application/toml", &profile);
    assert_eq!(wrong_query.status, 400);
    let message = wrong_query.json()["error"].as_str().unwrap().to_string();
    assert!(message.starts_with("查询参数有误"), "{message}");
    let english = post(
        "/api/check?lang=en&near_miss=-1",
        "application/toml",
        &profile,
    );
    assert_eq!(english.status, 400);
    assert!(english.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("a query parameter is wrong"));

    let nowhere = get("/nowhere");
    assert_eq!(nowhere.status, 404);
    assert!(nowhere.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("没有这个页面"));
    let nowhere_en = get("/nowhere?lang=en");
    assert!(nowhere_en.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("no such page"));

    let get_check = get("/api/check");
    assert_eq!(get_check.status, 405);
    assert_eq!(
        get_check.json()["error"],
        "/api/check 不接受 GET 请求（见 docs/api.md）"
    );
}

/// A JSON profile's findings carry no line: the lines would be those of a TOML the caller
/// never sent.
#[test]
fn a_json_profiles_findings_name_no_line_of_a_hidden_toml() {
    let text = std::fs::read_to_string(root().join("fixtures/ineligible-enterprise.toml")).unwrap();
    let json = serde_json::to_vec(&to_json(&toml::from_str(&text).unwrap())).unwrap();
    let report = post("/api/check", "application/json", &json).json();
    let clauses = report["results"][0]["clauses"].as_array().unwrap();
    assert!(clauses.iter().any(|clause| clause["verdict"] == "fail"));
    for clause in clauses {
        assert!(clause["location"].is_null(), "{clause}");
    }
}

/// A client that sends its request's head a byte at a time is cut off at the timeout, not
/// served for ever (a slowloris): the 408 of `--timeout` starts only once a head is read.
#[test]
fn a_head_sent_too_slowly_is_cut_off_at_the_timeout() {
    use std::io::{Read, Write};
    let mut quick = config(1024);
    quick.timeout = Duration::from_millis(500);
    let server = Server::start("127.0.0.1:0".parse().unwrap(), quick).unwrap();
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut cut_off = false;
    for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "
        .iter()
        .cycle()
        .take(200)
    {
        if stream.write_all(&[*byte]).is_err() {
            cut_off = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        let mut probe = [0u8; 1];
        stream.set_nonblocking(true).unwrap();
        let read = stream.read(&mut probe);
        stream.set_nonblocking(false).unwrap();
        // Closed (0 bytes, an error) or answered: either way no longer waiting for the head.
        let waiting = matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
        if !waiting {
            cut_off = true;
            break;
        }
    }
    assert!(cut_off, "still connected after {:?}", started.elapsed());
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    // The server still serves.
    let healthz = answer(ureq::get(&format!("http://{}/healthz", server.addr)).call());
    assert_eq!(healthz.status, 200);
}
