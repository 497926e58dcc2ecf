//! `ticheck serve` in a real browser (SPEC §8, issue 14): headless Chromium, driven over
//! WebDriver (chromedriver, by fantoccini), fills the applicant page as a person would, reads
//! the verdict and a gap off the rendered page, checks that a name written as a script is shown
//! as text and never run, uploads a bureau's sheet, reads the batch summary and downloads the
//! results workbook.
//!
//! Without `chromium` (or `chromium-browser`, `google-chrome`) and `chromedriver` on the `PATH`
//! the test says it is skipped and passes, unless `TICHECK_REQUIRE_BROWSER=1` (set by
//! `.ci/run`), which makes it fail. `TICHECK_UPDATE_SCREENSHOTS=1` writes the screenshots it
//! takes to `docs/screenshots/` (the README shows them); otherwise they go to a temporary
//! directory, so that a test run never changes tracked files.
//!
//! Every step has a deadline, and the whole run another, so that it can never hang CI. The
//! checks are `ensure!`s, not panics, so that the browser is closed whatever fails.

mod common;

use std::future::Future;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use common::{root, run, ticheck};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use ticheck::serve::{Config, Server};

/// The whole browser run; it takes a few seconds.
const RUN_DEADLINE: Duration = Duration::from_secs(90);
/// One page load, one wait for a download, chromedriver's start.
const STEP_DEADLINE: Duration = Duration::from_secs(20);

/// The screenshots' viewport: wide enough for the form's two columns, a laptop's height.
const WINDOW: (u32, u32) = (1280, 1000);

/// The applicant of `fixtures/eligible-enterprise.toml`, typed in as the form asks (summary
/// counts, money in 万元), with too small a floor area: A10.4.floor-area fails by 300 m².
const TEXT_FIELDS: &[(&str, &str)] = &[
    ("applicant.name", "云南滇铜新材料科技有限公司"),
    ("applicant.uscc", "91530100MA6K3L7P2D"),
    ("applicant.prefecture", "昆明市"),
    ("applicant.field", "有色金属新材料"),
    ("finance.total_assets", "5.2亿元"),
    ("finance.total_liabilities", "30264"),
    ("team.fixed_staff", "128"),
    ("team.qualified_staff", "70"),
    ("facilities.rnd_floor_area", "1200"),
    ("facilities.equipment_value", "2350"),
    ("record.national_projects", "1"),
    ("record.provincial_projects", "1"),
    ("record.industry_standards", "2"),
    ("record.class_i_ip", "3"),
    ("record.transfers", "5"),
    ("record.transfer_benefit", "5800"),
    ("support.pre_investment", "800"),
    ("support.matching_funds", "1500"),
];

/// The dropdowns, by the option's value.
const CHOICES: &[(&str, &str)] = &[
    ("applicant.kind", "enterprise"),
    ("applicant.center_type", "domain"),
    ("applicant.industry_leader", "true"),
    ("applicant.independent_rnd_unit", "true"),
    ("applicant.operating_well", "true"),
    ("applicant.host_support", "true"),
    ("applicant.national_ertc_host", "true"),
    ("support.local_commitment", "true"),
];

/// The gap the page must show for the floor area, in the words of the CLI's "还差什么".
const FLOOR_AREA_GAP: &str = "研发场地面积 1200 m²，距 ≥ 1500 m² 还差 300 m²（A10.4.floor-area）";

/// An applicant's name that is a script: in an element's text.
const SCRIPT_NAME: &str = "<script>alert(1)</script>";
/// The same in an attribute's value: it closes the value and the tag first.
const ATTRIBUTE_SCRIPT: &str = "\"><script>alert(1)</script>";

/// The bureau's sheet (README's example).
const SHEET: &str = "fixtures/batch/candidates.csv";

#[test]
fn the_pages_work_in_headless_chromium() {
    let Some(browser) = Browser::find() else {
        if std::env::var("TICHECK_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "TICHECK_REQUIRE_BROWSER=1 but chromium or chromedriver is not on the PATH \
                 (Debian: apt-get install chromium chromium-driver)"
            );
        }
        // Straight to stderr: the test harness would hide an `eprintln!`.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: chromium not found (tests/browser.rs needs chromium and chromedriver on the PATH)"
        );
        return;
    };
    let started = Instant::now();
    let server = Server::start(
        "127.0.0.1:0".parse().unwrap(),
        Config {
            rulebook: ticheck::rules::Rulebook::builtin(),
            rubric: ticheck::rules::evaluation::Rubric::builtin(),
            max_body: ticheck::serve::DEFAULT_MAX_BODY,
            timeout: Duration::from_secs(30),
            log: false,
        },
    )
    .expect("the server starts");
    let work = tempfile::tempdir().unwrap();
    let driver = browser
        .start_driver(work.path())
        .expect("chromedriver starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(async {
        let client = connect(&driver, &browser, work.path())
            .await
            .expect("a browser session opens");
        let outcome = tokio::time::timeout(
            RUN_DEADLINE,
            walk_through(&client, server.addr, work.path()),
        )
        .await
        .unwrap_or_else(|_| bail!("the browser run took longer than {RUN_DEADLINE:?}"));
        // Closed whatever happened, so that no browser outlives the test.
        let _ = tokio::time::timeout(STEP_DEADLINE, client.close()).await;
        outcome
    });
    drop(driver);
    if let Err(error) = outcome {
        panic!("{error:#}");
    }
    eprintln!("browser test: {:.1} s", started.elapsed().as_secs_f64());
}

/// What a person does with the two pages, checked step by step.
async fn walk_through(client: &Client, addr: SocketAddr, work: &Path) -> Result<()> {
    let base = format!("http://{addr}");
    let shots = screenshot_dir(work)?;

    // The applicant page, in Chinese by default.
    client.goto(&format!("{base}/")).await?;
    let heading = client.find(Locator::Css("h1")).await?.text().await?;
    ensure!(
        heading == "云南省技术创新中心申报条件自查",
        "the heading: {heading}"
    );
    for (name, value) in TEXT_FIELDS {
        field(client, name).await?.send_keys(value).await?;
    }
    // The two years of R&D spend are the two before this year's: whichever they are.
    let spend = client
        .find_all(Locator::Css("input[name^='rnd_spend.']"))
        .await?;
    ensure!(spend.len() == 2, "two years of R&D spend on the form");
    for (input, value) in spend.iter().zip(["1250", "1320"]) {
        input.send_keys(value).await?;
    }
    for (name, value) in CHOICES {
        field(client, name)
            .await?
            .select_by_value(value)
            .await
            .with_context(|| format!("{name}: option {value}"))?;
    }
    // Typing scrolled to the last field: the picture shows the form's top.
    client.execute("window.scrollTo(0, 0)", Vec::new()).await?;
    save_png(&client.screenshot().await?, &shots, "applicant-form.png")?;

    submit(client, "button[name='submit'][value='check']").await?;
    let verdict = client.find(Locator::Css("#result .verdict")).await?;
    let verdict = verdict.text().await?;
    ensure!(
        verdict == "结论：不符合申报条件（ineligible）",
        "the verdict: {verdict}"
    );
    let missing = texts(client, "#result li").await?;
    ensure!(
        missing.iter().any(|line| line == FLOOR_AREA_GAP),
        "the floor area's gap in the list: {missing:#?}"
    );
    // The clause table: the failed row, red, with its gap.
    let row = client
        .find(Locator::XPath(
            "//section[@id='result']//tr[td[starts-with(normalize-space(.), 'A10.4.floor-area')]]",
        ))
        .await
        .context("the floor area's row in the clause table")?;
    ensure!(row.attr("class").await?.as_deref() == Some("fail"));
    let cells = row.find_all(Locator::Css("td")).await?;
    let gap = cells.last().context("a row with cells")?.text().await?;
    ensure!(gap == "还差 300 m²", "the gap cell: {gap}");
    // The form keeps what was typed.
    let kept = field(client, "facilities.rnd_floor_area")
        .await?
        .prop("value")
        .await?;
    ensure!(kept.as_deref() == Some("1200"), "the kept value: {kept:?}");
    save_png(&client.screenshot().await?, &shots, "applicant-result.png")?;

    // A name that would close the input's value and open a script, were it not escaped, is
    // kept as typed and never run.
    let name = field(client, "applicant.name").await?;
    name.clear().await?;
    name.send_keys(ATTRIBUTE_SCRIPT).await?;
    submit(client, "button[name='submit'][value='check']").await?;
    never_ran(client).await?;
    let shown = field(client, "applicant.name").await?.prop("value").await?;
    ensure!(
        shown.as_deref() == Some(ATTRIBUTE_SCRIPT),
        "the name as typed: {shown:?}"
    );
    let verdict = client.find(Locator::Css("#result .verdict")).await?;
    ensure!(verdict.text().await?.contains("不符合申报条件"));

    // The bureau page: a sheet uploaded, its summary as the command line gives it.
    client.goto(&format!("{base}/bureau")).await?;
    let sheet = root().join(SHEET);
    choose_file(client, &sheet).await?;
    submit(client, "button[name='action'][value='summary']").await?;
    let sentence = client
        .find(Locator::Css("#result .verdict"))
        .await?
        .text()
        .await?;
    let expected = cli_summary(&sheet);
    ensure!(sentence == expected, "the batch summary: {sentence}");
    let applicants = texts(client, "#result td:nth-child(2)").await?;
    ensure!(
        applicants
            .iter()
            .any(|name| name == "云南滇铜新材料科技有限公司")
            && applicants
                .iter()
                .any(|name| name == "云南红土机械制造有限公司"),
        "the applicants: {applicants:?}"
    );
    save_png(&client.screenshot().await?, &shots, "bureau.png")?;

    // A sheet whose first applicant is named by a script: the name is a cell's text.
    let text = std::fs::read_to_string(&sheet)?;
    let scripted = work.join("scripted.csv");
    std::fs::write(
        &scripted,
        text.replacen("云南滇铜新材料科技有限公司", SCRIPT_NAME, 1),
    )?;
    client.goto(&format!("{base}/bureau")).await?;
    choose_file(client, &scripted).await?;
    submit(client, "button[name='action'][value='summary']").await?;
    never_ran(client).await?;
    let applicants = texts(client, "#result td:nth-child(2)").await?;
    ensure!(
        applicants.first().map(String::as_str) == Some(SCRIPT_NAME),
        "the name shown as text: {applicants:?}"
    );

    // The results workbook, downloaded by the browser.
    choose_file(client, &sheet).await?;
    client
        .find(Locator::Css("button[name='action'][value='workbook']"))
        .await?
        .click()
        .await?;
    let workbook = downloaded(&work.join("downloads"), "ticheck-results.xlsx").await?;
    let bytes = std::fs::read(&workbook)?;
    ensure!(bytes.starts_with(b"PK"), "the download is not a zip");
    let sheets = common::read_workbook(&workbook);
    ensure!(sheets.len() >= 3, "the workbook's sheets: {}", sheets.len());
    ensure!(
        sheets[0]
            .1
            .iter()
            .flatten()
            .any(|cell| cell == "云南红土机械制造有限公司"),
        "the summary sheet names the applicants"
    );
    Ok(())
}

/// No dialog is open and the page has no script element: what a user typed was not run.
async fn never_ran(client: &Client) -> Result<()> {
    match client.get_alert_text().await {
        Err(error) if error.is_no_such_alert() => {}
        Ok(text) => bail!("a name was run as a script: an alert says {text:?}"),
        Err(error) => return Err(error.into()),
    }
    let scripts = client
        .execute("return document.scripts.length", Vec::new())
        .await?;
    ensure!(
        scripts == json!(0),
        "script elements on the page: {scripts}"
    );
    Ok(())
}

/// The summary sentence `ticheck check --lang zh` prints for a sheet.
fn cli_summary(sheet: &Path) -> String {
    let report = run(ticheck().args([
        "check",
        "--format",
        "json",
        "--lang",
        "zh",
        common::path_str(sheet),
    ]))
    .json();
    let summary = &report["summary"];
    format!(
        "共 {} 个申报单位：未发现不符合项 {}，不符合 {}，材料不全 {}，无法读取 {}",
        report["results"].as_array().map_or(0, Vec::len),
        summary["eligible"],
        summary["ineligible"],
        summary["incomplete"],
        summary["error"]
    )
}

/// A form field by its name (the profile's field path).
async fn field(client: &Client, name: &str) -> Result<Element> {
    client
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .with_context(|| format!("the field {name}"))
}

/// The rendered text of every element matching `css`.
async fn texts(client: &Client, css: &str) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    for element in client.find_all(Locator::Css(css)).await? {
        texts.push(element.text().await?);
    }
    Ok(texts)
}

async fn choose_file(client: &Client, path: &Path) -> Result<()> {
    let path = path.to_str().context("a UTF-8 path")?;
    client
        .find(Locator::Css("input[type='file'][name='file']"))
        .await?
        .send_keys(path)
        .await?;
    Ok(())
}

/// Clicks a submit button and waits until the answer's page has loaded in place of this one.
async fn submit(client: &Client, button: &str) -> Result<()> {
    client
        .execute("window.ticheckOldPage = true", Vec::new())
        .await?;
    client.find(Locator::Css(button)).await?.click().await?;
    until(|| async {
        let state = client
            .execute(
                "return !window.ticheckOldPage && document.readyState === 'complete'",
                Vec::new(),
            )
            .await;
        match state {
            Ok(state) => Ok(state == Value::Bool(true)),
            Err(error) if error.is_unexpected_alert_open() => {
                let text = client.get_alert_text().await.unwrap_or_default();
                bail!("the page ran a script: an alert says {text:?}")
            }
            Err(error) => Err(error.into()),
        }
    })
    .await
    .with_context(|| format!("the page answering {button}"))
}

/// Waits until the browser has saved `name` in `dir` (Chromium writes `NAME.crdownload` first).
async fn downloaded(dir: &Path, name: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    until(|| async { Ok(path.is_file()) })
        .await
        .with_context(|| format!("the download of {name} into {}", dir.display()))?;
    Ok(path)
}

/// Polls `ready` until it says yes, for at most [`STEP_DEADLINE`].
async fn until<F, Fut>(mut ready: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool>>,
{
    let deadline = Instant::now() + STEP_DEADLINE;
    while !ready().await? {
        if Instant::now() > deadline {
            bail!("not done after {STEP_DEADLINE:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Where the screenshots go: the README's, when asked to update them.
fn screenshot_dir(work: &Path) -> Result<PathBuf> {
    let dir = match std::env::var("TICHECK_UPDATE_SCREENSHOTS").as_deref() {
        Ok("1") => root().join("docs/screenshots"),
        _ => work.join("screenshots"),
    };
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn save_png(png: &[u8], dir: &Path, name: &str) -> Result<()> {
    ensure!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{name}: not a PNG of a page ({} bytes)",
        png.len()
    );
    std::fs::write(dir.join(name), png).with_context(|| format!("{name} is written"))
}

/// Chromium and its driver, found on the `PATH`.
struct Browser {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

impl Browser {
    fn find() -> Option<Browser> {
        let chromium = ["chromium", "chromium-browser", "google-chrome"]
            .into_iter()
            .find_map(on_path)?;
        let chromedriver = on_path("chromedriver")?;
        Some(Browser {
            chromium,
            chromedriver,
        })
    }

    /// chromedriver on a free loopback port, answering once it accepts connections.
    fn start_driver(&self, work: &Path) -> Result<Driver> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let log = std::fs::File::create(work.join("chromedriver.log"))?;
        let mut command = Command::new(&self.chromedriver);
        command
            .arg(format!("--port={port}"))
            // Chromium on Linux takes its own words (the file picker's button, a date's
            // placeholder) from the environment's language, not from `--lang`.
            .env("LANGUAGE", "zh_CN")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        // In a process group of its own, so that the browsers it starts end with it.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = Driver {
            child: command.spawn().context("chromedriver runs")?,
            port,
        };
        let deadline = Instant::now() + STEP_DEADLINE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            ensure!(
                Instant::now() < deadline,
                "chromedriver does not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// A running chromedriver, ended (with its browsers) when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        #[cfg(unix)]
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless session with the flags that keep Chromium off the network: only loopback is
/// reached, and nothing is fetched in the background (updates, sync, QUIC probes).
async fn connect(driver: &Driver, browser: &Browser, work: &Path) -> Result<Client> {
    let profile = work.join("profile");
    let downloads = work.join("downloads");
    std::fs::create_dir_all(&profile)?;
    std::fs::create_dir_all(&downloads)?;
    let capabilities = json!({
        "browserName": "chrome",
        // A dialog stays open, so that an alert a page runs is seen, not dismissed.
        "unhandledPromptBehavior": "ignore",
        "timeouts": { "pageLoad": STEP_DEADLINE.as_millis() as u64, "script": 5000, "implicit": 0 },
        "goog:chromeOptions": {
            "binary": browser.chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--lang=zh-CN",
                format!("--window-size={},{}", WINDOW.0, WINDOW.1),
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
            },
        },
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!("an object")
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = tokio::time::timeout(
        STEP_DEADLINE,
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port)),
    )
    .await
    .context("chromedriver does not answer")?
    .map_err(|error| {
        let log = std::fs::read_to_string(work.join("chromedriver.log")).unwrap_or_default();
        anyhow::anyhow!("{error}\nchromedriver's log:\n{}", common::excerpt(&log))
    })?;
    Ok(client)
}
