//! The applicant and bureau pages of `ticheck serve` used as an applicant and a bureau use
//! them (issue 14's review): the window years follow the dates typed and nothing typed is
//! dropped, fields to fill are named as the form labels them, itemised evidence, the check
//! date, the law's text by each field, the bureau's reading options, the limits answered as a
//! page or as JSON, JSON profiles' problems by path, and nothing written to disk.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use common::http::{answer, Answer};
use common::{root, run, ticheck};
use ticheck::serve::{Config, Server};

fn config(max_body: usize, timeout: Duration) -> Config {
    Config {
        rulebook: ticheck::rules::Rulebook::builtin(),
        rubric: ticheck::rules::evaluation::Rubric::builtin(),
        max_body,
        timeout,
        log: false,
    }
}

fn start(max_body: usize, timeout: Duration) -> Server {
    Server::start("127.0.0.1:0".parse().unwrap(), config(max_body, timeout))
        .expect("the server starts")
}

/// One server for the tests, on a free port, with the default limits.
fn server() -> SocketAddr {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER
        .get_or_init(|| start(ticheck::serve::DEFAULT_MAX_BODY, Duration::from_secs(60)))
        .addr
}

fn get_at(addr: SocketAddr, path: &str) -> Answer {
    answer(ureq::get(&format!("http://{addr}{path}")).call())
}

fn post_at(addr: SocketAddr, path: &str, content_type: &str, body: &[u8]) -> Answer {
    answer(
        ureq::post(&format!("http://{addr}{path}"))
            .set("Content-Type", content_type)
            .send_bytes(body),
    )
}

fn form_at(addr: SocketAddr, path: &str, fields: &[(&str, &str)]) -> Answer {
    answer(ureq::post(&format!("http://{addr}{path}")).send_form(fields))
}

fn form(fields: &[(&str, &str)]) -> String {
    let answer = form_at(server(), "/", fields);
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.text()
}

/// A multipart upload as a browser sends the bureau form: the file, then the other fields.
fn upload_at(addr: SocketAddr, file_name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Answer {
    let boundary = "----ticheck-pages-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n");
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    post_at(
        addr,
        "/bureau",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    )
}

fn upload(file: &str, fields: &[(&str, &str)]) -> Answer {
    let bytes = std::fs::read(root().join(file)).unwrap();
    let name = Path::new(file).file_name().unwrap().to_str().unwrap();
    upload_at(server(), name, &bytes, fields)
}

/// The part of a page from `start` to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {}", common::excerpt(html)));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |to| to + end.len())]
}

/// The `value` of the input named `name`, if the page has one.
fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag = &html[at..at + html[at..].find('>')?];
    let value = tag.split("value=\"").nth(1)?;
    Some(value[..value.find('"')?].to_string())
}

/// The `class` of the result table's row of clause `id`.
fn clause_row_class(html: &str, id: &str) -> String {
    let cell = format!("><td>{id} ");
    let at = html
        .find(&cell)
        .unwrap_or_else(|| panic!("no row of {id} in {}", common::excerpt(html)));
    let row = &html[..at];
    let tag = &row[row.rfind("<tr").unwrap()..];
    tag.split("class=\"")
        .nth(1)
        .map(|class| class[..class.find('"').unwrap()].to_string())
        .unwrap_or_default()
}

fn this_year() -> i32 {
    chrono::Datelike::year(&chrono::Local::now().date_naive())
}

// ---------------------------------------------------------------------------------------------
// a. The window years follow the dates typed; nothing typed is dropped
// ---------------------------------------------------------------------------------------------

#[test]
fn the_empty_form_shows_the_years_of_an_application_today() {
    let html = get_at(server(), "/").text();
    let year = this_year();
    for y in [year - 2, year - 1] {
        assert!(html.contains(&format!("name=\"rnd_spend.{y}\"")), "{y}");
    }
    assert!(!html.contains(&format!("name=\"rnd_spend.{}\"", year - 3)));
    assert!(html.contains(&format!("现为 {year} 年申报的年度")));
}

#[test]
fn figures_typed_for_other_years_are_kept_and_flagged_and_the_window_follows_the_date() {
    let html = form(&[
        ("applicant.application_date", "2024-03-15"),
        ("rnd_spend.2024", "1250"),
        ("rnd_spend.2025", "1320"),
        ("submit", "check"),
    ]);
    // The window of an application in 2024 is 2022–2023: those inputs are shown, empty …
    assert_eq!(input_value(&html, "rnd_spend.2022").as_deref(), Some(""));
    assert_eq!(input_value(&html, "rnd_spend.2023").as_deref(), Some(""));
    // … and the figures typed for 2024 and 2025 are still there, each flagged.
    assert_eq!(
        input_value(&html, "rnd_spend.2024").as_deref(),
        Some("1250")
    );
    assert_eq!(
        input_value(&html, "rnd_spend.2025").as_deref(),
        Some("1320")
    );
    let flagged = between(&html, "id=\"f-rnd_spend-2024-note\"", "</div>");
    assert!(flagged.contains("不在本次申报的年度窗口内"), "{flagged}");
    let counted = between(&html, "id=\"f-rnd_spend-2023-note\"", "</div>");
    assert!(!counted.contains("不在本次申报的年度窗口内"), "{counted}");
    // The check says it too, naming the years as the form labels them.
    assert!(html.contains("“2024年研发经费”“2025年研发经费”的年份不在"));

    // Typed for the window's years, the same figures count.
    let html = form(&[
        ("applicant.kind", "enterprise"),
        ("applicant.application_date", "2024-03-15"),
        ("rnd_spend.2022", "1250"),
        ("rnd_spend.2023", "1320"),
        ("submit", "check"),
    ]);
    assert_eq!(clause_row_class(&html, "A10.4.rnd-spend"), "pass");
    assert_eq!(
        input_value(&html, "rnd_spend.2022").as_deref(),
        Some("1250")
    );
}

#[test]
fn updating_the_years_shows_the_form_for_the_date_without_checking() {
    let html = form(&[
        ("applicant.application_date", "2025-06-01"),
        ("applicant.name", "云南某某公司"),
        ("submit", "years"),
    ]);
    assert!(!html.contains("id=\"result\""), "no check was asked for");
    assert!(html.contains("name=\"rnd_spend.2023\"") && html.contains("name=\"rnd_spend.2024\""));
    assert!(!html.contains("name=\"rnd_spend.2022\""));
    assert_eq!(
        input_value(&html, "applicant.name").as_deref(),
        Some("云南某某公司")
    );
    assert!(html.contains("现为 2025 年申报的年度"));
}

// ---------------------------------------------------------------------------------------------
// b. Fields to fill named by the form's labels
// ---------------------------------------------------------------------------------------------

#[test]
fn fields_to_fill_are_named_by_the_labels_the_form_shows() {
    let html = form(&[
        ("applicant.kind", "enterprise"),
        ("applicant.application_date", "2024-03-15"),
        ("submit", "check"),
    ]);
    let missing = between(&html, "还差什么", "</ul>");
    assert!(
        missing.contains("需填写：资产负债率、负债总额、资产总额"),
        "{missing}"
    );
    assert!(
        missing.contains("2022年研发经费、2023年研发经费"),
        "{missing}"
    );
    assert!(missing.contains("研发场地面积"), "{missing}");
    for key in [
        "finance.",
        "facilities.",
        "rnd_spend.",
        "[[project]]",
        "applicant.",
    ] {
        assert!(!missing.contains(key), "{key} in {missing}");
    }
    // Listed evidence is named by its table's heading on the form.
    assert!(missing.contains("项目（逐项列出）"), "{missing}");
    // The gap column of the clause table says the same.
    let table = between(&html, "逐条结果", "</table>");
    assert!(table.contains("需填写：研发场地面积"), "{table}");
    // The key stays at hand, as the label's title.
    assert!(html.contains("<label for=\"f-facilities-rnd_floor_area\" title=\"facilities.rnd_floor_area\">研发场地面积</label>"));
    // English labels under English.
    let english = answer(
        ureq::post(&format!("http://{}/?lang=en", server()))
            .send_form(&[("lang", "en"), ("applicant.application_date", "2024-03-15")]),
    )
    .text();
    let missing = between(&english, "What is missing", "</ul>");
    assert!(missing.contains("R&amp;D floor area"), "{missing}");
    assert!(!missing.contains("facilities.rnd_floor_area"), "{missing}");
}

#[test]
fn an_unreadable_value_is_named_by_its_label_not_a_line_of_hidden_text() {
    let html = form(&[
        ("facilities.rnd_floor_area", "很多"),
        ("project.2.name", "某项目"),
        ("project.2.year", "二零二二"),
        ("submit", "check"),
    ]);
    let result = between(&html, "id=\"result\"", "</section>");
    assert!(
        result.contains("研发场地面积</b>：“很多”不是数字"),
        "{result}"
    );
    // The second row is the first that holds anything, the profile's `project[1]`: named, and
    // shown again, as the row 2 the applicant typed it in.
    assert!(
        result.contains("项目第 2 行：年份</b>：“二零二二”不是有效年份"),
        "{result}"
    );
    assert!(!result.contains("项目第 1 行"), "{result}");
    assert!(
        !result.contains("表单:"),
        "no line of the generated TOML: {result}"
    );
    assert_eq!(
        input_value(&html, "project.2.year").as_deref(),
        Some("二零二二")
    );
    assert_eq!(input_value(&html, "project.1.year").as_deref(), Some(""));
    assert_eq!(
        input_value(&html, "facilities.rnd_floor_area").as_deref(),
        Some("很多")
    );
}

#[test]
fn a_number_typed_with_a_leading_zero_is_read_not_a_toml_syntax_error() {
    let html = form(&[
        ("applicant.name", "某公司"),
        ("team.fixed_staff", "0120"),
        ("finance.total_assets", "0100"),
        ("facilities.rnd_floor_area", "1_000"),
        ("submit", "check"),
    ]);
    let result = between(&html, "id=\"result\"", "</section>");
    assert!(!result.contains("TOML"), "{result}");
    assert!(!result.contains("档案无法读取"), "{result}");
    assert!(
        result.contains("<td>≥ 100（不少于）</td><td>120</td><td>符合 pass"),
        "{result}"
    );
    // `1_000` is read as a number with a separator is.
    assert!(result.contains("<td>1000 m²</td>"), "{result}");
    for raw in ["+5", "1e3", ".5", "5.", "0x10", "inf", "nan", "１２０"] {
        let html = form(&[("team.fixed_staff", raw), ("submit", "check")]);
        let result = between(&html, "id=\"result\"", "</section>");
        assert!(!result.contains("TOML"), "{raw}: {result}");
    }
}

#[test]
fn warnings_name_fields_by_the_forms_labels_not_toml_keys_or_cli_options() {
    let year = this_year() - 1;
    let html = form(&[
        ("finance.debt_ratio", "70%"),
        ("finance.total_assets", "48000"),
        ("finance.total_liabilities", "31000"),
        ("record.transfer_benefit", "5200"),
        ("transfer.2.name", "某技术转让"),
        ("transfer.2.year", &year.to_string()),
        ("submit", "check"),
    ]);
    let warnings: Vec<&str> = html
        .split("<p class=\"warning\">")
        .skip(1)
        .map(|rest| &rest[..rest.find("</p>").unwrap()])
        .collect();
    let all = warnings.join("\n");
    for key in [
        "finance.",
        "record.",
        "applicant.",
        "[[transfer]]",
        "transfer[",
        "--as-of",
    ] {
        assert!(!all.contains(key), "{key} in {all}");
    }
    assert!(
        all.contains("资产负债率 填写为 70%，但由金额计算为 64.58%"),
        "{all}"
    );
    assert!(
        all.contains("直接经济效益 填写为 5200，但已逐项列出成果转化（逐项列出），以条目为准")
            && all.contains("待补充 成果转化第 2 行：直接经济效益"),
        "{all}"
    );
    assert!(
        all.contains("未填写“申报日期”") && all.contains("可在“评价基准日”中指定"),
        "{all}"
    );
}

#[test]
fn an_informational_clauses_answer_is_grey_not_a_failed_condition() {
    let html = form(&[
        ("applicant.national_ertc_host", "false"),
        ("team.fixed_staff", "80"),
        ("submit", "check"),
    ]);
    assert!(
        html.contains("否，不影响申报（提示）"),
        "{}",
        common::excerpt(&html)
    );
    assert_eq!(clause_row_class(&html, "A8.priority"), "info");
    assert_eq!(clause_row_class(&html, "A4.field"), "info");
    // A failed condition stays red.
    assert_eq!(clause_row_class(&html, "A10.2.team-size"), "fail");
    assert!(html.contains(".info{background:#ededed}"));
}

// ---------------------------------------------------------------------------------------------
// c. Itemised evidence
// ---------------------------------------------------------------------------------------------

#[test]
fn itemised_evidence_has_rows_of_the_registrys_fields_and_more_on_request() {
    let html = get_at(server(), "/").text();
    for table in ["project", "standard", "ip", "transfer"] {
        for row in 1..=3 {
            assert!(
                html.contains(&format!("name=\"{table}.{row}.name\"")),
                "{table} row {row}"
            );
        }
        assert!(
            !html.contains(&format!("name=\"{table}.4.name\"")),
            "{table}"
        );
        assert_eq!(
            input_value(&html, &format!("rows.{table}")).as_deref(),
            Some("3")
        );
    }
    // Closed lists of an item are dropdowns of the registry's choices.
    assert!(html.contains("<select id=\"project.1.level\" name=\"project.1.level\">"));
    assert!(html.contains("<option value=\"national\">国家级 national</option>"));
    // The note says which clauses count the items, with the law's text.
    let note = between(&html, "id=\"f-project-note\"", "</details>");
    assert!(note.contains("第十条第（三）项"), "{note}");

    let more = form(&[
        ("project.1.name", "高纯金属制备"),
        ("rows.project", "3"),
        ("more", "project"),
    ]);
    assert!(!more.contains("id=\"result\""), "more rows is not a check");
    assert!(more.contains("name=\"project.6.name\"") && !more.contains("name=\"project.7.name\""));
    assert_eq!(input_value(&more, "rows.project").as_deref(), Some("6"));
    assert_eq!(
        input_value(&more, "project.1.name").as_deref(),
        Some("高纯金属制备")
    );
    // Other tables keep their rows.
    assert!(!more.contains("name=\"standard.4.name\""));
}

#[test]
fn listed_items_are_checked_and_downloaded_as_the_profiles_items() {
    let mut fields = vec![
        ("applicant.kind", "enterprise"),
        ("applicant.application_date", "2024-03-15"),
        ("project.1.name", "高纯金属制备"),
        ("project.1.level", "national"),
        ("project.1.year", "2022"),
        ("project.1.role", "host"),
        ("project.1.related", "true"),
        ("submit", "check"),
    ];
    let html = form(&fields);
    assert_eq!(clause_row_class(&html, "A10.3.projects"), "pass");
    assert_eq!(
        input_value(&html, "project.1.year").as_deref(),
        Some("2022")
    );

    fields.pop();
    fields.push(("download", "toml"));
    let toml = form_at(server(), "/", &fields).text();
    assert!(
        toml.contains("[[project]]\nname = \"高纯金属制备\""),
        "{toml}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = common::write(&dir, "profile.toml", &toml);
    let report = run(ticheck().args(["check", "--format", "json", common::path_str(&path)])).json();
    let projects = report["results"][0]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|clause| clause["id"] == "A10.3.projects")
        .cloned()
        .unwrap();
    assert_eq!(projects["verdict"], "pass", "{projects}");
}

// ---------------------------------------------------------------------------------------------
// d. The check date
// ---------------------------------------------------------------------------------------------

#[test]
fn the_check_date_fixes_the_window_as_as_of_does() {
    let html = form(&[
        ("applicant.application_date", "2024-03-15"),
        ("as_of", "2021-05-01"),
        ("rnd_spend.2019", "1100"),
        ("submit", "check"),
    ]);
    assert!(html.contains("name=\"rnd_spend.2019\"") && html.contains("name=\"rnd_spend.2020\""));
    assert!(!html.contains("name=\"rnd_spend.2022\""));
    assert_eq!(input_value(&html, "as_of").as_deref(), Some("2021-05-01"));
    let missing = between(&html, "还差什么", "</ul>");
    assert!(missing.contains("需填写：2020年研发经费；"), "{missing}");

    let bad = form(&[("as_of", "2021-13-01"), ("submit", "check")]);
    let result = between(&bad, "id=\"result\"", "</section>");
    assert!(result.contains("“2021-13-01”不是有效日期"), "{result}");
    assert!(
        !bad.contains("逐条结果"),
        "no check with an unreadable date"
    );
    assert_eq!(input_value(&bad, "as_of").as_deref(), Some("2021-13-01"));
}

// ---------------------------------------------------------------------------------------------
// e. The law's text by each field
// ---------------------------------------------------------------------------------------------

#[test]
fn each_fields_clauses_show_the_laws_text_and_link_to_their_explanation() {
    let html = get_at(server(), "/").text();
    assert!(
        !html.contains("ticheck explain"),
        "no command line on the page"
    );
    let note = between(
        &html,
        "id=\"f-facilities-rnd_floor_area-note\"",
        "</details>",
    );
    assert!(note.contains("研发场地面积在 1500m² 以上"), "{note}");
    assert!(
        note.contains("href=\"/api/explain/A10.4.floor-area?lang=zh\""),
        "{note}"
    );
    let explained = get_at(server(), "/api/explain/A10.4.floor-area?lang=zh");
    assert_eq!(explained.status, 200);
    assert_eq!(explained.json()["id"], "A10.4.floor-area");
    let english = get_at(server(), "/?lang=en").text();
    assert!(english.contains("href=\"/api/explain/A10.4.floor-area?lang=en\""));
}

// ---------------------------------------------------------------------------------------------
// f. The bureau's reading options
// ---------------------------------------------------------------------------------------------

#[test]
fn the_bureau_page_offers_the_sheet_the_encoding_and_the_near_miss_limit() {
    let html = get_at(server(), "/bureau").text();
    assert!(html.contains("name=\"sheet\""));
    for encoding in ["utf-8", "gb18030", "utf-16"] {
        assert!(
            html.contains(&format!("<option value=\"{encoding}\">")),
            "{encoding}"
        );
    }
    assert_eq!(input_value(&html, "near_miss").as_deref(), Some("2"));

    // --sheet: the CLI's message for a worksheet that is not there.
    let cli = run(ticheck().args([
        "check",
        "--lang",
        "zh",
        "--sheet",
        "不存在",
        "fixtures/batch/messy.xlsx",
    ]));
    let expected = "工作簿中没有名为“不存在”的工作表";
    assert!(
        cli.stderr.contains(expected) || cli.stdout.contains(expected),
        "{}",
        cli.stderr
    );
    let page = upload(
        "fixtures/batch/messy.xlsx",
        &[("sheet", "不存在"), ("action", "summary")],
    )
    .text();
    assert!(page.contains(expected), "{}", common::excerpt(&page));
    assert_eq!(input_value(&page, "sheet").as_deref(), Some("不存在"));

    // --encoding: a UTF-8 sheet read as GB18030 is not read; detected, it is.
    let forced = upload(
        "fixtures/batch/candidates.csv",
        &[("encoding", "gb18030"), ("action", "summary")],
    )
    .text();
    assert!(
        forced.contains("不是有效的 GB18030 文本"),
        "{}",
        common::excerpt(&forced)
    );
    assert!(forced.contains("<option value=\"gb18030\" selected>"));
    let detected = upload(
        "fixtures/batch/candidates.csv",
        &[("encoding", ""), ("action", "summary")],
    )
    .text();
    assert!(
        !detected.contains("不是有效的") && detected.contains("共 7 个申报单位"),
        "{}",
        common::excerpt(&detected)
    );

    // --near-miss N: how many ineligible applicants are listed.
    let near = |n: &str| {
        let page = upload(
            "fixtures/batch/near-misses.csv",
            &[("near_miss", n), ("action", "summary")],
        )
        .text();
        assert_eq!(input_value(&page, "near_miss").as_deref(), Some(n));
        // The near-miss table's rows, less its header.
        page.find("培育库（").map_or(0, |at| {
            page[at..]
                .split("</table>")
                .next()
                .unwrap()
                .matches("<tr>")
                .count()
                - 1
        })
    };
    let (none, one, three) = (near("0"), near("1"), near("3"));
    assert_eq!(none, 0);
    assert!(one > 0 && three > one, "{one} {three}");

    let bad = upload("fixtures/batch/candidates.csv", &[("near_miss", "很多")]);
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("培育库条件数应为非负整数"));
}

// ---------------------------------------------------------------------------------------------
// g, i. The limits: 413 and 408, as a page or as JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn a_body_above_the_limit_is_a_chinese_page_on_the_pages_and_json_on_the_api() {
    let small = start(2048, Duration::from_secs(60));
    let api = oversize(small.addr, "/api/check", "text/csv", 4096);
    assert_eq!(api.status, 413);
    assert!(
        api.content_type.starts_with("application/json"),
        "{}",
        api.content_type
    );
    let error = api.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("2 KB（2048 字节）"), "{error}");

    let bureau = oversize(
        small.addr,
        "/bureau?lang=zh",
        "multipart/form-data; boundary=x",
        4096,
    );
    assert_eq!(bureau.status, 413);
    assert!(
        bureau.content_type.starts_with("text/html"),
        "{}",
        bureau.content_type
    );
    let html = bureau.text();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(
        html.contains("提交的内容超过本服务的上限 2 KB（2048 字节）"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/bureau\">返回</a>"));

    let page = oversize(
        small.addr,
        "/?lang=en",
        "application/x-www-form-urlencoded",
        9000,
    );
    assert_eq!(page.status, 413);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page
        .text()
        .contains("larger than this server's limit of 2 KB (2048 bytes)"));
    // The evaluation page's answer goes back to the evaluation page.
    let evaluate = oversize(
        small.addr,
        "/evaluate",
        "multipart/form-data; boundary=x",
        4096,
    );
    assert_eq!(evaluate.status, 413);
    let html = evaluate.text();
    assert!(html.contains("<a href=\"/evaluate\">返回</a>"), "{html}");
    // The server keeps serving.
    assert_eq!(get_at(small.addr, "/healthz").status, 200);
}

/// Writes `request` as it is on a fresh connection and reads until the server closes it.
fn raw(addr: SocketAddr, request: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    stream.flush().unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    response
}

/// Sends a request's head declaring a body of `declared` bytes, and no body: the limit is
/// judged on the declared length, so the answer comes before any body byte. (A client that
/// writes the whole body races the server's early answer and may see a broken pipe instead.)
fn oversize(addr: SocketAddr, path: &str, content_type: &str, declared: usize) -> Answer {
    let response = raw(
        addr,
        &format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"),
    );
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("an HTTP answer");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let mut body = response[split + 4..].to_vec();
    let header = |name: &str| {
        head.lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_string())
            })
            .unwrap_or_default()
    };
    if header("transfer-encoding").eq_ignore_ascii_case("chunked") {
        body = dechunk(&body);
    }
    Answer {
        status: head.split(' ').nth(1).unwrap().parse().unwrap(),
        content_type: header("content-type"),
        body,
    }
}

/// A chunked body's bytes.
fn dechunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = chunked.windows(2).position(|w| w == b"\r\n").unwrap();
        let size_text = String::from_utf8_lossy(&chunked[..line_end]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&chunked[start..start + size]);
        chunked = &chunked[start + size + 2..];
    }
}

/// Sends a request's head and the start of its body, then nothing: the server's timeout
/// answers. The status line and the body of that answer.
fn slow_client(addr: SocketAddr, path: &str, content_type: &str) -> (String, String) {
    let response = raw(
        addr,
        &format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: 1000\r\n\r\n[applicant]\n"),
    );
    let response = String::from_utf8_lossy(&response).to_string();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or("").to_string(),
        body.to_string(),
    )
}

#[test]
fn a_slow_client_gets_408_as_a_page_or_as_json() {
    let hasty = start(ticheck::serve::DEFAULT_MAX_BODY, Duration::from_millis(300));
    let started = std::time::Instant::now();
    let (status, body) = slow_client(hasty.addr, "/api/check", "application/toml");
    assert!(status.starts_with("HTTP/1.1 408"), "{status}");
    assert!(
        body.contains("\"error\"") && body.contains("0.3 秒"),
        "{body}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    let (status, body) = slow_client(hasty.addr, "/", "application/x-www-form-urlencoded");
    assert!(status.starts_with("HTTP/1.1 408"), "{status}");
    assert!(body.contains("<h1>请求超时</h1>"), "{body}");
    let (status, body) = slow_client(hasty.addr, "/evaluate", "multipart/form-data; boundary=x");
    assert!(status.starts_with("HTTP/1.1 408"), "{status}");
    assert!(body.contains("<a href=\"/evaluate\">返回</a>"), "{body}");
    // The server keeps serving.
    assert_eq!(get_at(hasty.addr, "/healthz").status, 200);
}

// ---------------------------------------------------------------------------------------------
// h. JSON profiles' problems by their path
// ---------------------------------------------------------------------------------------------

#[test]
fn a_json_profiles_problems_name_its_paths_not_lines_of_a_hidden_toml() {
    let body = br#"{"applicant": {"name": "x", "kind": "enterprize"}, "finance": {"revenue": 5},
        "project": [{"name": "a"}, {"name": "b", "level": "nation"}]}"#;
    let answer = post_at(server(), "/api/check", "application/json", body);
    assert_eq!(answer.status, 422);
    let error = answer.json()["results"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(error.contains("<body>: applicant.kind: "), "{error}");
    assert!(error.contains("<body>: finance.revenue: "), "{error}");
    assert!(error.contains("<body>: project[2].level: "), "{error}");
    // No line:column after the name.
    assert!(
        error
            .split("<body>:")
            .skip(1)
            .all(|after| !after.starts_with(|c: char| c.is_ascii_digit())),
        "{error}"
    );
    // A JSON syntax error is located in the body the caller sent.
    let broken = post_at(
        server(),
        "/api/check",
        "application/json",
        b"{\n  \"applicant\": ,\n}",
    );
    assert_eq!(broken.status, 400);
    let error = broken.json()["results"][0]["error"].to_string();
    assert!(error.contains("<body>:2:"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// i. Nothing written to disk
// ---------------------------------------------------------------------------------------------

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path().display().to_string())
        .collect()
}

#[test]
fn the_server_writes_nothing_to_its_directory_or_to_tmpdir() {
    use std::io::BufRead;
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ticheck"))
        .args(["serve", "--addr", "127.0.0.1:0", "--lang", "en"])
        .current_dir(cwd.path())
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("ticheck serve starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|_| panic!("no URL printed: {line:?}"));
    let fixture = |path: &str| std::fs::read(root().join(path)).unwrap();
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let statuses = vec![
        post_at(
            addr,
            "/api/check",
            "application/toml",
            &fixture("fixtures/eligible-enterprise.toml"),
        )
        .status,
        post_at(
            addr,
            "/api/check",
            "text/csv",
            &fixture("fixtures/batch/candidates-gbk.csv"),
        )
        .status,
        post_at(
            addr,
            "/api/check",
            xlsx,
            &fixture("fixtures/batch/messy.xlsx"),
        )
        .status,
        post_at(
            addr,
            "/api/check",
            "application/json",
            br#"{"applicant": {"name": "x"}}"#,
        )
        .status,
        upload_at(
            addr,
            "messy.xlsx",
            &fixture("fixtures/batch/messy.xlsx"),
            &[("action", "summary")],
        )
        .status,
        upload_at(
            addr,
            "candidates.csv",
            &fixture("fixtures/batch/candidates.csv"),
            &[("action", "workbook")],
        )
        .status,
        form_at(
            addr,
            "/",
            &[
                ("applicant.name", "x"),
                ("project.1.name", "p"),
                ("submit", "check"),
            ],
        )
        .status,
        form_at(addr, "/", &[("applicant.name", "x"), ("download", "xlsx")]).status,
        form_at(addr, "/", &[("applicant.name", "x"), ("download", "toml")]).status,
        get_at(addr, "/").status,
        get_at(addr, "/bureau").status,
    ];
    let _ = child.kill();
    let _ = child.wait();
    assert!(statuses.iter().all(|status| *status < 500), "{statuses:?}");
    assert!(statuses.contains(&200));
    assert_eq!(
        entries(cwd.path()),
        Vec::<String>::new(),
        "the current directory"
    );
    assert_eq!(entries(tmp.path()), Vec::<String>::new(), "TMPDIR");
}

/// A ratio whose denominator is 0 is named by the form's label, as its other warnings are.
#[test]
fn a_zero_denominator_is_named_by_its_label() {
    let html = form(&[
        ("applicant.name", "云南示例公司"),
        ("applicant.kind", "enterprise"),
        ("finance.total_assets", "0"),
        ("finance.total_liabilities", "100"),
    ]);
    assert!(html.contains("资产总额 为 0，无法计算"), "{html}");
    assert!(!html.contains("finance.total_assets 为 0"));
}
