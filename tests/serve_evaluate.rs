//! The evaluation side of `ticheck serve` (SPEC §6, §8), over loopback with a real HTTP client:
//! `POST /api/evaluate` answers what `ticheck evaluate --format json` prints, byte for byte, for
//! TOML profiles, JSON of their shape and rounds' sheets; the status codes of bad requests; the
//! `/evaluate` page's upload, table and results workbook.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use common::http::{answer, Answer};
use common::{read_workbook, root, run, ticheck};
use serde_json::Value;
use ticheck::serve::{Config, Server};

/// One server for the tests, on a free port.
fn server() -> SocketAddr {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let config = Config {
                rulebook: ticheck::rules::Rulebook::builtin(),
                rubric: ticheck::rules::evaluation::Rubric::builtin(),
                max_body: ticheck::serve::DEFAULT_MAX_BODY,
                timeout: Duration::from_secs(60),
                log: false,
            };
            Server::start("127.0.0.1:0".parse().unwrap(), config).expect("the server starts")
        })
        .addr
}

fn post(path: &str, content_type: &str, body: &[u8]) -> Answer {
    answer(
        ureq::post(&format!("http://{}{path}", server()))
            .set("Content-Type", content_type)
            .send_bytes(body),
    )
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

/// The API's answer for a file, beside the CLI's JSON for the same file, run in its directory
/// so that both name it alike.
fn api_and_cli(path: &Path, lang: &str, sheet: Option<&str>) -> (Answer, common::Run) {
    let name = path.file_name().unwrap().to_str().unwrap();
    let mut cmd = ticheck();
    cmd.current_dir(path.parent().unwrap())
        .args(["evaluate", "--format", "json", "--lang", lang, name]);
    let mut query = format!("/api/evaluate?lang={lang}&name={name}");
    if let Some(sheet) = sheet {
        cmd.args(["--sheet", sheet]);
        query.push_str(&format!("&sheet={sheet}"));
    }
    let cli = run(&mut cmd);
    let api = post(
        &query,
        content_type(path),
        &std::fs::read(path).expect("the file is read"),
    );
    (api, cli)
}

/// 200 for the CLI's exit codes 0 and 1 (read, graded), 400 or 422 for 2 (not read).
fn assert_status_matches(api: &Answer, cli: &common::Run, what: &str) {
    let expected: &[u16] = match cli.code {
        0 | 1 => &[200],
        _ => &[400, 422],
    };
    assert!(
        expected.contains(&api.status),
        "{what}: {} for exit {}",
        api.status,
        cli.code
    );
}

#[test]
fn the_api_answers_the_cli_json_byte_for_byte_for_every_evaluation_fixture() {
    let dir = root().join("fixtures/evaluation");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    let kinds: Vec<&str> = paths
        .iter()
        .filter_map(|p| p.extension().and_then(|e| e.to_str()))
        .collect();
    for kind in ["toml", "csv", "xlsx"] {
        assert!(kinds.contains(&kind), "no .{kind} fixture in {paths:?}");
    }
    for path in &paths {
        for lang in ["zh", "en"] {
            let (api, cli) = api_and_cli(path, lang, None);
            let what = format!("{} ({lang})", path.display());
            assert_eq!(api.text(), cli.stdout, "{what}: the API's JSON differs");
            assert!(api.content_type.starts_with("application/json"), "{what}");
            assert_status_matches(&api, &cli, &what);
        }
    }
    // The round: every row a result, the bad row (J10 '约12') a located error: 422, not 400.
    let (round, _) = api_and_cli(&dir.join("round-2025.xlsx"), "zh", None);
    assert_eq!(round.status, 422);
    let report = round.json();
    assert_eq!(report["results"].as_array().unwrap().len(), 8);
    assert_eq!(report["summary"]["excellent"], 2);
    assert_eq!(report["summary"]["error"], 1);
    // The workbook's worksheet of targets was read: a shortfall against a contract target.
    assert!(
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|result| result["acceptance"]["result"] == "not_passed"),
        "{report}"
    );
    let (good, _) = api_and_cli(&dir.join("good-center.toml"), "en", None);
    assert_eq!(good.status, 200);
    assert_eq!(good.json()["results"][0]["grade"], "good");
}

#[test]
fn a_json_profile_answers_as_its_toml() {
    let path = root().join("fixtures/evaluation/good-center.toml");
    let table: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let json = serde_json::to_vec(&table).unwrap();
    let (_, cli) = api_and_cli(&path, "zh", None);
    let api = post(
        "/api/evaluate?lang=zh&name=good-center.toml",
        "application/json; charset=utf-8",
        &json,
    );
    assert_eq!(api.status, 200);
    // The same report but for the locations: the CLI's are lines of the TOML, the API's name
    // paths of the JSON (as for /api/check's JSON profiles).
    let (mut api, mut cli) = (api.json(), cli.json());
    drop_locations(&mut api);
    drop_locations(&mut cli);
    assert_eq!(api, cli);
    assert_eq!(api["results"][0]["grade"], "good");
}

#[test]
fn a_json_profiles_problems_name_its_paths_not_lines_of_a_hidden_toml() {
    let path = root().join("fixtures/evaluation/good-center.toml");
    let mut table: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    table["indicators"]["invention_patents"] = toml::Value::String("很多".into());
    let api = post(
        "/api/evaluate?lang=zh",
        "application/json",
        &serde_json::to_vec(&table).unwrap(),
    );
    assert_eq!(api.status, 422, "{}", api.text());
    let problem = &api.json()["results"][0]["problems"][0];
    assert_eq!(
        problem["field"], "indicators.invention_patents",
        "{problem}"
    );
    // No line of a TOML the caller never sent.
    assert!(
        problem.get("location").is_none_or(Value::is_null),
        "{problem}"
    );
}

fn drop_locations(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("location");
            map.values_mut().for_each(drop_locations);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_locations),
        _ => {}
    }
}

#[test]
fn the_untouched_sheet_template_is_no_round() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("round.xlsx");
    let init = run(ticheck().args([
        "init",
        "--evaluation",
        "--sheet",
        template.to_str().unwrap(),
    ]));
    assert_eq!(init.code, 0, "{}", init.stderr);
    let (api, cli) = api_and_cli(&template, "zh", None);
    assert_eq!(api.text(), cli.stdout);
    assert_eq!(cli.code, 2);
    // Nothing could be read as a center: the input as a whole, 400.
    assert_eq!(api.status, 400);
    assert!(
        api.json()["results"][0]["error"]
            .as_str()
            .unwrap()
            .contains("没有数据行"),
        "{}",
        api.text()
    );
}

#[test]
fn sheet_chooses_the_worksheet_as_the_cli_s_option_does() {
    let path = root().join("fixtures/evaluation/round-2025.xlsx");
    let (missing, cli) = api_and_cli(&path, "en", Some("no-such-sheet"));
    assert_eq!(missing.text(), cli.stdout);
    assert_eq!(missing.status, 400);
    assert!(missing.text().contains("no worksheet 'no-such-sheet'"));
    let (named, cli) = api_and_cli(&path, "en", Some("评估数据"));
    assert_eq!(named.text(), cli.stdout);
    assert_eq!(named.status, 422);
}

#[test]
fn count_units_that_mean_the_same_compare_as_one_in_the_api_too() {
    // 项 against 件 (SPEC §6): one unit, not an error; the command line's load terms.
    let text = std::fs::read_to_string(root().join("fixtures/evaluation/good-center.toml"))
        .unwrap()
        .replace("achieved = \"12件\"", "achieved = \"12项\"");
    assert!(text.contains("12项"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.toml");
    std::fs::write(&path, &text).unwrap();
    let (api, cli) = api_and_cli(&path, "zh", None);
    assert_eq!(api.text(), cli.stdout);
    assert_eq!(api.status, 200, "{}", api.text());
    assert_eq!(api.json()["results"][0]["acceptance"]["result"], "passed");
}

#[test]
fn an_applicant_s_profile_is_pointed_to_check() {
    let path = root().join("fixtures/eligible-enterprise.toml");
    let (api, cli) = api_and_cli(&path, "en", None);
    assert_eq!(api.text(), cli.stdout);
    assert_status_matches(&api, &cli, "eligible-enterprise.toml");
    assert!(
        api.text().contains("check it with ticheck check"),
        "{}",
        api.text()
    );
}

#[test]
fn bad_requests_get_their_status_and_a_located_message() {
    // An unknown or missing type: 415, saying what is read.
    for content_type in ["text/plain", "image/png"] {
        let answer = post("/api/evaluate?lang=en", content_type, b"x");
        assert_eq!(answer.status, 415, "{content_type}");
        assert!(answer.json()["error"]
            .as_str()
            .unwrap()
            .contains("text/csv"));
    }
    let untyped = answer(ureq::post(&format!("http://{}/api/evaluate", server())).send_bytes(b"x"));
    assert_eq!(untyped.status, 415);
    // Not JSON, not a sheet of a round: 400, the line and column said.
    let not_json = post(
        "/api/evaluate?lang=en",
        "application/json",
        b"{\"center\": ",
    );
    assert_eq!(not_json.status, 400);
    let problem = &not_json.json()["results"][0]["problems"][0];
    assert!(problem["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    assert_eq!(problem["location"]["line"], 1, "{problem}");
    let not_a_round = post("/api/evaluate", "text/csv", b"a,b\n1,2\n");
    assert_eq!(not_a_round.status, 400);
    assert!(not_a_round.text().contains("找不到评估数据的表头"));
    let empty = post("/api/evaluate", XLSX, b"");
    assert_eq!(empty.status, 400);
    assert!(empty.text().contains("文件为空"), "{}", empty.text());
    // Read, but invalid: 422 naming the field.
    let invalid = post(
        "/api/evaluate?name=invalid-target.toml",
        "application/toml",
        &std::fs::read(root().join("fixtures/evaluation/invalid-target.toml")).unwrap(),
    );
    assert_eq!(invalid.status, 422);
    assert!(invalid.json()["results"][0]["problems"][0]["field"].is_string());
}

/// A multipart upload, as a browser sends the evaluation form: (field, file name, bytes);
/// a part without a file name is a plain field.
fn upload(path: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Answer {
    let boundary = "----ticheck-evaluate-boundary";
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        let disposition = match file_name {
            Some(file) => format!(
                "form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream"
            ),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    post(
        path,
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    )
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("fixtures/evaluation").join(name)).unwrap()
}

#[test]
fn the_page_is_chinese_by_default_english_on_request() {
    let zh = get("/evaluate");
    assert_eq!(zh.status, 200);
    assert!(zh.content_type.starts_with("text/html"));
    let zh = zh.text();
    assert!(zh.contains("<html lang=\"zh-CN\">"));
    assert!(zh.contains("绩效评估"));
    assert!(zh.contains("enctype=\"multipart/form-data\""));
    assert!(zh.contains("name=\"targets\""));
    // The rubric is ticheck's default, and the page says so (SPEC §6).
    assert!(zh.contains("默认评分细则"));
    // Nothing from elsewhere, no script.
    assert!(!zh.contains("<script"));
    assert!(!zh.contains("http://") && !zh.contains("https://"));
    let en = get("/evaluate?lang=en").text();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("performance evaluation"));
    assert!(en.contains("action=\"/evaluate?lang=en\""));
}

#[test]
fn the_page_shows_the_round_with_its_targets_file() {
    let answer = upload(
        "/evaluate",
        &[
            ("lang", None, b"zh"),
            ("file", Some("round-2025.csv"), &fixture("round-2025.csv")),
            (
                "targets",
                Some("round-2025-targets.csv"),
                &fixture("round-2025-targets.csv"),
            ),
            ("action", None, b"table"),
        ],
    );
    assert_eq!(answer.status, 200);
    let page = answer.text();
    // The grade distribution, as the CLI's table says it.
    assert!(
        page.contains("合计：优 2，良 1，中 1，差 2，无法判定 1，无法读取 1"),
        "{page}"
    );
    // Each center's line: score, grade, the indicators that lost points.
    for cell in [
        "round-2025.csv:4",
        "云南良好技术创新中心",
        "≈78.7",
        "良（good）",
        "授权发明专利 12：9.6 / 12",
    ] {
        assert!(page.contains(cell), "{cell} is not on the page");
    }
    // The targets file was read: row 5's shortfall against its contract.
    assert!(
        page.contains("授权发明专利：目标 ≥ 15件 / 完成 12件"),
        "{page}"
    );
    // The bad row's located message.
    assert!(page.contains("“约12”不是数字"));
    // What was said of the sheets.
    assert!(page.contains("跳过合计行"));
    assert!(page.contains("全轮失分最多的指标"));
}

#[test]
fn the_page_s_workbook_is_the_cli_s() {
    let answer = upload(
        "/evaluate",
        &[
            ("lang", None, b"en"),
            ("file", Some("round-2025.xlsx"), &fixture("round-2025.xlsx")),
            ("action", None, b"workbook"),
        ],
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, XLSX);
    let dir = tempfile::tempdir().unwrap();
    let served = dir.path().join("served.xlsx");
    std::fs::write(&served, &answer.body).unwrap();
    let written = dir.path().join("cli.xlsx");
    let cli = run(ticheck()
        .current_dir(root().join("fixtures/evaluation"))
        .args([
            "evaluate",
            "--lang",
            "en",
            "round-2025.xlsx",
            "-o",
            written.to_str().unwrap(),
        ]));
    assert_eq!(cli.code, 2, "{}", cli.stderr);
    let (served, written) = (read_workbook(&served), read_workbook(&written));
    assert_eq!(served, written);
    assert_eq!(served[0].0, "Summary");
    assert!(served[0]
        .1
        .iter()
        .any(|row| row.contains(&"云南优秀技术创新中心".to_string())));
}

#[test]
fn a_script_in_a_center_s_name_is_text_on_the_page() {
    let script = "<script>alert(1)</script>";
    let toml = String::from_utf8(fixture("good-center.toml"))
        .unwrap()
        .replacen(
            "name = \"云南示例技术创新中心\"",
            &format!("name = \"{script}\""),
            1,
        );
    assert!(toml.contains(script));
    let csv = String::from_utf8(fixture("round-2025.csv"))
        .unwrap_or_else(|_| {
            // The fixture is GB18030, as WPS saves it.
            let bytes = fixture("round-2025.csv");
            encoding_rs::GB18030.decode(&bytes).0.into_owned()
        })
        .replacen("云南优秀技术创新中心", script, 1);
    assert!(csv.contains(script));
    for (name, bytes) in [
        ("center.toml", toml.as_bytes()),
        ("round.csv", csv.as_bytes()),
    ] {
        let page = upload("/evaluate", &[("file", Some(name), bytes)]);
        assert_eq!(page.status, 200, "{name}");
        let page = page.text();
        assert!(!page.contains(script), "{name}: the name is not escaped");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{name}: {page}"
        );
    }
}

#[test]
fn the_page_refuses_what_it_cannot_read_and_says_why() {
    let unknown = upload(
        "/evaluate?lang=en",
        &[("file", Some("notes.pdf"), b"%PDF-1.4 not a round")],
    );
    assert_eq!(unknown.status, 415);
    assert!(unknown
        .text()
        .contains("evaluate reads TOML evaluation profiles"));
    // A targets file goes with a sheet: a TOML profile lists its own [[target]].
    let misplaced = upload(
        "/evaluate?lang=en",
        &[
            (
                "file",
                Some("good-center.toml"),
                &fixture("good-center.toml"),
            ),
            (
                "targets",
                Some("round-2025-targets.csv"),
                &fixture("round-2025-targets.csv"),
            ),
        ],
    );
    assert_eq!(misplaced.status, 400);
    assert!(misplaced.text().contains("[[target]]"));
    // An invalid profile: shown on the page with its field, not an error page.
    let invalid = upload(
        "/evaluate",
        &[(
            "file",
            Some("invalid-target.toml"),
            &fixture("invalid-target.toml"),
        )],
    );
    assert_eq!(invalid.status, 200);
    assert!(invalid.text().contains("档案无效，未评估"));
}

#[test]
fn no_file_chosen_is_said_and_the_worksheet_typed_is_kept() {
    // A browser sends an empty file part when no file is chosen.
    let none = upload(
        "/evaluate",
        &[
            ("file", Some(""), b""),
            ("sheet", None, "第二轮".as_bytes()),
            ("action", None, b"table"),
        ],
    );
    assert_eq!(none.status, 400);
    let html = none.text();
    assert!(html.contains("请选择文件"), "{html}");
    assert!(
        !html.contains("&lt;body&gt;") && !html.contains("档案无效"),
        "{html}"
    );
    assert!(html.contains("name=\"sheet\" value=\"第二轮\""), "{html}");
    // The worksheet named is kept after an evaluation too.
    let round = upload(
        "/evaluate",
        &[
            (
                "file",
                Some("invalid-target.toml"),
                &fixture("invalid-target.toml"),
            ),
            ("sheet", None, "评估表".as_bytes()),
        ],
    );
    assert!(
        round.text().contains("name=\"sheet\" value=\"评估表\""),
        "{}",
        round.text()
    );
}
