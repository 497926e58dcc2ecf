//! The bureau page of `ticheck serve` (`/bureau`) as a prefectural science bureau uses it (an
//! outside review): the batch summary carries the knock-out and near-miss tables the CLI table
//! prints, from the same data; an unreadable file shows every problem, with the CLI's cap; and
//! a sheet row without an applicant's name is flagged wherever the sheet is read.

mod common;

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use common::{clause_row, root, run, ticheck};
use ticheck::serve::{Config, Server};

/// One server for the tests, on a free port, with the default limits.
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

/// The status and the text of an answer, whatever its status.
fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("the request failed: {error}"),
    };
    let status = response.status();
    let mut body = String::new();
    response
        .into_reader()
        .read_to_string(&mut body)
        .expect("the body is UTF-8");
    (status, body)
}

/// A multipart upload as a browser sends the bureau form in Chinese: the file, then the
/// other fields.
fn upload_bytes(file_name: &str, bytes: &[u8]) -> String {
    let boundary = "----ticheck-bureau-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n");
    for (name, value) in [("lang", "zh"), ("action", "summary")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let (status, html) = answer(
        ureq::post(&format!("http://{}/bureau", server()))
            .set(
                "Content-Type",
                &format!("multipart/form-data; boundary={boundary}"),
            )
            .send_bytes(&body),
    );
    assert_eq!(status, 200, "{}", common::excerpt(&html));
    html
}

fn upload(file: &str) -> String {
    let bytes = std::fs::read(root().join(file)).unwrap();
    let name = Path::new(file).file_name().unwrap().to_str().unwrap();
    upload_bytes(name, &bytes)
}

/// The part of a page from `start` to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {}", common::excerpt(html)));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |to| to + end.len())]
}

/// A cell's text: its tags dropped (a `<br>` is a new line), its entities read.
fn cell_text(cell: &str) -> String {
    let mut text = String::new();
    let mut rest = cell.replace("<br>", "\n");
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..]
            .find('>')
            .map_or(rest.len(), |at| open + at + 1);
        rest = rest[close..].to_string();
    }
    text.push_str(&rest);
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The rows of the page's table `id` (header first), each a list of cell texts.
fn table(html: &str, id: &str) -> Vec<Vec<String>> {
    let table = between(html, &format!("<table id=\"{id}\">"), "</table>");
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            row.replace("<th>", "<td>")
                .split("<td>")
                .skip(1)
                .map(|cell| cell_text(cell.split("</t").next().unwrap_or("")))
                .collect()
        })
        .collect()
}

// 1. The knock-out and near-miss tables

#[test]
fn the_page_has_the_cli_tables_knock_out_and_near_miss_tables() {
    let html = upload("fixtures/batch/candidates.csv");
    let cli = run(ticheck().args(["check", "fixtures/batch/candidates.csv", "--lang", "zh"]));
    assert!(html.contains("<h3>各条款淘汰情况</h3>"), "{html}");
    let knockouts = table(&html, "knockouts");
    assert_eq!(
        knockouts[0],
        ["条款", "条文", "不符合", "缺数据"],
        "the CLI's header"
    );
    // Every row as the CLI table has it: A10.4.rnd-spend knocked out one and left one open.
    assert_eq!(knockouts.len(), 7, "six clauses knocked someone out");
    for row in &knockouts[1..] {
        let id = row[0].split_whitespace().next().unwrap();
        assert_eq!(*row, clause_row(&cli.stdout, id), "{id}");
    }
    let rnd_spend = knockouts
        .iter()
        .find(|row| row[0].starts_with("A10.4.rnd-spend "))
        .expect("A10.4.rnd-spend is in the table");
    assert_eq!(rnd_spend[2..], ["1", "1"]);

    assert!(html.contains("<h3>培育库（不符合条件不超过 2 项"), "{html}");
    let near_misses = table(&html, "near-misses");
    assert_eq!(
        near_misses[0],
        [
            "序号",
            "来源",
            "单位名称",
            "不符合项数",
            "相对差距合计",
            "差距"
        ]
    );
    assert_eq!(
        near_misses[1],
        [
            "1",
            "candidates.csv:8",
            "大理高原特色农业研究所",
            "1",
            "50%",
            "A10.2.partners: 省内共建企业数 1，距 ≥ 2 还差 1"
        ]
    );
    assert_eq!(near_misses.len(), 2, "one near miss");
    assert!(
        cli.stdout.contains("50%") && cli.stdout.contains("省内共建企业数 1，距 ≥ 2 还差 1"),
        "the CLI says the same: {}",
        cli.stdout
    );
}

#[test]
fn a_sheet_with_no_knock_out_has_no_empty_tables() {
    let html = upload("fixtures/eligible-enterprise.toml");
    assert!(!html.contains("id=\"knockouts\""), "{html}");
    assert!(!html.contains("id=\"near-misses\""), "{html}");
}

// 2. Every problem of an unreadable file

#[test]
fn every_problem_of_an_unreadable_profile_is_shown() {
    let html = upload("fixtures/invalid/bad-values.toml");
    assert!(!html.contains("另有"), "no problem is only counted: {html}");
    let result = between(&html, "<section id=\"result\">", "</section>");
    for field in [
        "applicant.kind",
        "applicant.uscc",
        "finance.debt_ratio",
        "team.fixed_staff",
        "facilities.equipment_value",
    ] {
        assert!(
            result.contains(&format!(": {field}: ")),
            "{field}: {result}"
        );
    }
    assert!(result.contains(
        "bad-values.toml:13:19: facilities.equipment_value: “2350美元”中的单位“美元”无法识别"
    ));
}

#[test]
fn very_many_problems_are_capped_as_the_cli_caps_them() {
    // 25 bad items: the loader tells 20, then counts the other 5 in one line.
    let mut text = String::from("[applicant]\nname = \"云南某某科技有限公司\"\n");
    for index in 0..25 {
        text.push_str(&format!(
            "\n[[ip]]\nname = \"专利{index}\"\nkind = \"invention\"\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = common::write(&dir, "many.toml", &text);
    let cli = run(ticheck()
        .args(["check", "--format", "json", "--lang", "zh"])
        .arg(&path));
    let problems = cli.json()["results"][0]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("problems: {}", cli.stdout))
        .len();
    assert_eq!(problems, 21, "20 told and one that counts the rest");

    let html = upload_bytes("many.toml", text.as_bytes());
    let result = between(&html, "<section id=\"result\">", "</section>");
    assert_eq!(
        result.matches("many.toml:").count(),
        problems,
        "as many lines as the CLI: {result}"
    );
    assert!(
        result.contains("另有 5 处问题未逐一列出"),
        "the rest counted: {result}"
    );
}

// 3. A row without an applicant's name

/// The batch fixture with the names of rows 2 (which has a USCC) and 4 (which has none)
/// emptied, the rest of each row complete.
fn nameless_sheet() -> String {
    common::fixture_text("fixtures/batch/candidates.csv")
        .lines()
        .enumerate()
        .map(|(index, line)| match index {
            1 | 3 => format!(",{}", line.split_once(',').unwrap().1),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What each source's warnings say, from a JSON report.
fn warnings_of(report: &serde_json::Value, source_end: &str) -> (String, Vec<String>) {
    let result = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["source"].as_str().unwrap().ends_with(source_end))
        .unwrap_or_else(|| panic!("no {source_end} in {report}"));
    let warnings = result["warnings"]
        .as_array()
        .map(|warnings| {
            warnings
                .iter()
                .map(|warning| warning.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    (result["verdict"].as_str().unwrap().to_string(), warnings)
}

/// The warnings of a nameless row name the row and the column, and the USCC when there is one;
/// the verdict stays what the facts give (no condition rests on the name).
fn assert_nameless_warnings(report: &serde_json::Value, file: &str) {
    let (verdict, warnings) = warnings_of(report, &format!("{file}:4"));
    assert_eq!(verdict, "eligible", "{warnings:?}");
    assert!(
        warnings.iter().any(|warning| warning
            == "第 4 行没有单位名称（“A 单位名称”列为空），也没有统一社会信用代码：无法识别申报单位；请补填单位名称"),
        "{warnings:?}"
    );
    let (verdict, warnings) = warnings_of(report, &format!("{file}:2"));
    assert_eq!(verdict, "eligible", "{warnings:?}");
    assert!(
        warnings.iter().any(|warning| warning
            == "第 2 行没有单位名称（“A 单位名称”列为空）：只能凭统一社会信用代码 91530100MA6K3L7P2D 识别申报单位；请补填单位名称"),
        "{warnings:?}"
    );
    // A named row gets no such warning.
    let (_, warnings) = warnings_of(report, &format!("{file}:3"));
    assert!(
        !warnings
            .iter()
            .any(|warning| warning.contains("没有单位名称")),
        "{warnings:?}"
    );
}

#[test]
fn a_nameless_row_is_a_warning_in_the_cli_the_api_and_the_page() {
    let sheet = nameless_sheet();
    assert!(sheet
        .lines()
        .nth(1)
        .unwrap()
        .starts_with(",91530100MA6K3L7P2D,企业"));
    assert!(sheet.lines().nth(3).unwrap().starts_with(",,高校"));

    let dir = tempfile::tempdir().unwrap();
    let path = common::write(&dir, "nameless.csv", &sheet);
    let cli = run(ticheck()
        .args(["check", "--format", "json", "--lang", "zh"])
        .arg(&path));
    assert_nameless_warnings(&cli.json(), "nameless.csv");

    let (status, api) = answer(
        ureq::post(&format!(
            "http://{}/api/check?lang=zh&name=nameless.csv",
            server()
        ))
        .set("Content-Type", "text/csv")
        .send_bytes(sheet.as_bytes()),
    );
    // 422: the fixture's row 7 cannot be read (a typed-in letter O), as the CLI's exit code 3.
    assert_eq!(status, 422, "{api}");
    assert_nameless_warnings(&serde_json::from_str(&api).unwrap(), "nameless.csv");

    let html = upload_bytes("nameless.csv", sheet.as_bytes());
    let row = between(&html, "<td>nameless.csv:4</td>", "</tr>");
    assert!(
        row.contains("第 4 行没有单位名称（“A 单位名称”列为空），也没有统一社会信用代码"),
        "{row}"
    );
    let row = between(&html, "<td>nameless.csv:2</td>", "</tr>");
    assert!(
        row.contains("只能凭统一社会信用代码 91530100MA6K3L7P2D 识别申报单位"),
        "{row}"
    );
}
