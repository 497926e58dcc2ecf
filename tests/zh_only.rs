//! Chinese first (issue 12): under `--lang zh` no English word strays into what a user reads.
//!
//! The real binary runs over every shipped fixture (applicant profiles, bureau sheets, invalid
//! profiles, evaluation profiles) in the human formats — the table, Markdown and the CSV that
//! goes back to Excel — and over the common mistakes (a missing file, a directory, an unknown
//! extension, a file that `init` would overwrite, an output directory that does not exist, a
//! file that is not a workbook). Standard output and standard error are then searched for any
//! run of three or more ASCII letters that is not on the small allow-list of [`allowed`]:
//! identifiers a user types or looks up (clause ids, field paths, file names, commands and
//! flags), the contract's verdict words right after their Chinese label, and format names.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use tempfile::TempDir;

mod common;
use common::{root, run, ticheck};

/// The contract's words (SPEC §2, §5, §6) and the Chinese labels they may follow, as in
/// "符合 pass" (the clause table's verdict cell, README) or "未发现不符合项（eligible）" (SPEC §2's
/// overall label): the English word names the value JSON and CI carry, beside the Chinese.
const CONTRACT_WORDS: &[(&str, &[&str])] = &[
    ("pass", &["符合"]),
    ("fail", &["不符合"]),
    ("missing", &["缺数据"]),
    ("review", &["专家评审", "需人工核实"]),
    ("eligible", &["未发现不符合项"]),
    ("ineligible", &["不符合申报条件"]),
    ("incomplete", &["材料不全，无法判定"]),
    ("error", &["档案无法读取"]),
    // Evaluation grades (SPEC §5: `excellent|good|fair|poor` in JSON) and Art. 23's acceptance.
    ("excellent", &["优"]),
    ("good", &["良"]),
    ("fair", &["中"]),
    ("poor", &["差"]),
    ("passed", &["通过"]),
    ("not_passed", &["未通过"]),
];

/// Names of formats and standards, written in capitals in Chinese texts too.
const FORMAT_NAMES: &[&str] = &[
    "TOML", "CSV", "XLSX", "JSON", "USCC", "UTF-8", "UTF-16", "GBK",
];

/// The programs bureaus keep their sheets in: "Excel 工作簿" is how Chinese users say it.
const PRODUCTS: &[&str] = &["Excel", "WPS"];

/// Identifiers that are neither clause ids nor field paths: the rulebook and the evaluation
/// rubric, whose ids the reports name in their header (and JSON carries).
const IDS: &[&str] = &["yunnan-2022", "yunnan-2022-default"];

/// The year placeholder of year-keyed fields (`rnd_spend.YYYY`, "YYYY年研发经费"), as Chinese
/// forms write it too.
const YEAR: &str = "YYYY";

/// ticheck's commands, allowed after the word `ticheck` ("请用 ticheck evaluate 评估").
const COMMANDS: &[&str] = &["check", "evaluate", "init", "rules", "explain", "schema"];

/// The keys of both profiles, as a user writes them in TOML: the applicant profile's from its
/// JSON Schema (`ticheck schema`), the evaluation profile's from its template (`ticheck init
/// --evaluation`: `[center]`, `# key_technologies = 4`, `[[target]]`).
fn profile_keys() -> &'static BTreeSet<String> {
    static KEYS: OnceLock<BTreeSet<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        fn walk(schema: &serde_json::Value, keys: &mut BTreeSet<String>) {
            match schema {
                serde_json::Value::Object(map) => {
                    if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                        keys.extend(properties.keys().cloned());
                    }
                    map.values().for_each(|value| walk(value, keys));
                }
                serde_json::Value::Array(values) => {
                    values.iter().for_each(|value| walk(value, keys))
                }
                _ => {}
            }
        }
        let mut keys = BTreeSet::new();
        walk(&run(ticheck().arg("schema")).json(), &mut keys);
        let template = run(ticheck().args(["init", "--evaluation"])).stdout;
        for line in template.lines() {
            let line = line.trim_start_matches(['#', ' ']);
            let key = line
                .trim_start_matches('[')
                .split([']', ' ', '='])
                .next()
                .unwrap_or("");
            let is_key = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && (line.starts_with('[') || line[key.len()..].trim_start().starts_with('='));
            if is_key {
                keys.insert(key.to_string());
            }
        }
        assert!(
            keys.contains("rnd_floor_area") && keys.contains("key_technologies"),
            "{keys:?}"
        );
        keys
    })
}

/// Whether an ASCII chunk of a Chinese line is allowed; `before` is the line up to it, `args`
/// the run's command line (its file names are the user's own), `user_text` the text of its
/// input files (a misspelt key, `rnd_floor_aera`, is the user's own word).
fn allowed(chunk: &str, before: &str, args: &[String], user_text: &str) -> bool {
    let lower_ident = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.[]".contains(c);
    let keys = profile_keys();
    // A clause id: `A10.2.debt-ratio`, `A28.matching`.
    let clause_id = {
        let mut chars = chunk.chars();
        chars.next() == Some('A') && chars.next().is_some_and(|c| c.is_ascii_digit())
    };
    // A field path or a table name: `finance.debt_ratio`, `rnd_spend.2022`, `[[transfer]]`,
    // `target[1].achieved` — lower case, with a dot, an underscore or a bracket in it.
    // Every part a key of a profile or a number (a year, an item's index).
    let path = chunk.replace(YEAR, "0000");
    let field_path = path.chars().all(lower_ident)
        && path
            .split(['.', '[', ']'])
            .filter(|part| !part.is_empty())
            .all(|part| {
                part.chars().all(|c| c.is_ascii_digit())
                    || keys.contains(part)
                    || user_text.contains(part)
            });
    // A file: a path, a name with a known extension, an extension itself, standard input.
    let file = chunk.contains('/')
        || [".toml", ".csv", ".xlsx", ".json", ".md", ".txt"]
            .iter()
            .any(|extension| chunk.to_ascii_lowercase().ends_with(extension))
        || chunk == "<stdin>";
    // A name from the command line (a file name, a directory).
    let from_args = args
        .iter()
        .any(|arg| arg == chunk || arg.split('/').any(|part| part == chunk));
    // A flag (`--force`, `--input-format`) or the program's name.
    let command = chunk.starts_with("--") || chunk == "ticheck";
    let subcommand = COMMANDS.contains(&chunk) && before.ends_with("ticheck ");
    // A flag's value, as typed after it: `--input-format toml|csv|xlsx`.
    let flag_value = {
        let tail = before.trim_end_matches(|c: char| c.is_ascii_lowercase() || c == '|');
        tail.ends_with(' ')
            && tail
                .trim_end()
                .rsplit(' ')
                .next()
                .is_some_and(|word| word.starts_with("--"))
    };
    // The contract's word right after its Chinese label.
    let contract = CONTRACT_WORDS.iter().any(|(word, labels)| {
        let head = before.trim_end_matches([' ', '（']);
        *word == chunk && labels.iter().any(|label| head.ends_with(label))
    });
    // A pattern of division codes as SPEC §3 writes it: `53xxxx`.
    let code_pattern = chunk.trim_start_matches(|c: char| c.is_ascii_digit()) != chunk
        && chunk
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .chars()
            .all(|c| c == 'x');
    clause_id
        || field_path
        || file
        || from_args
        || command
        || subcommand
        || flag_value
        || contract
        || code_pattern
        || FORMAT_NAMES.contains(&chunk)
        || PRODUCTS.contains(&chunk)
        || IDS.contains(&chunk)
        || chunk.trim_end_matches(|c: char| !c.is_ascii()) == YEAR
}

/// The text with what the user wrote taken out: quoted values (“enterprize”, "65%", 「T/CNIA
/// 0100-2023」, `"`) and the profile's own lines that a diagnostic shows under its message.
fn without_user_text(line: &str) -> String {
    let trimmed = line.trim_start();
    let digits = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() < trimmed.len() && digits.starts_with(" │") {
        return String::new();
    }
    // Markdown's line break inside a table cell is markup, not a word.
    let line = line.replace("<br>", " ");
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in line.chars() {
        match closing {
            Some(close) if c == close => closing = None,
            Some(_) => {}
            None => match c {
                '“' => closing = Some('”'),
                '「' => closing = Some('」'),
                '"' | '`' => closing = Some(c),
                _ => out.push(c),
            },
        }
    }
    out
}

/// The stray English words of an output: each with its line.
fn strays(output: &str, args: &[String], user_text: &str) -> Vec<String> {
    let is_chunk = |c: char| c.is_ascii_alphanumeric() || "_.-/[]<>*~".contains(c);
    let mut found = Vec::new();
    for line in output.lines() {
        let line = without_user_text(line);
        let mut start = None;
        for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
            match (start, is_chunk(c)) {
                (None, true) => start = Some(i),
                (Some(from), false) => {
                    start = None;
                    let chunk = line[from..i].trim_end_matches(['.', '-']);
                    let letters = chunk
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .any(|run| run.len() >= 3);
                    if letters && !allowed(chunk, &line[..from], args, user_text) {
                        found.push(format!("{chunk:?} in: {}", line.trim()));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// The text of a run's input files, where the user's own words are.
fn inputs_text(args: &[String], dir: &Path) -> String {
    args.iter()
        .filter_map(|arg| std::fs::read(dir.join(arg)).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

/// Runs ticheck under `--lang zh` and returns the stray English of its output.
fn check_run(args: &[&str], stdin: Option<&[u8]>, dir: &Path, failures: &mut Vec<String>) {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let mut cmd = ticheck();
    // Wide, so that a table cell's wrapping never splits a field path or a file name into
    // pieces: at 160 columns `record.transfer_benefit` is broken as `record.transfer_b` and
    // `enefit`, which is no stray English but a wrapping matter of its own.
    cmd.current_dir(dir)
        .env("COLUMNS", "1000")
        .arg("--lang")
        .arg("zh");
    cmd.args(&args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    let result = run(&mut cmd);
    let output = format!("{}\n{}", result.stdout, result.stderr);
    assert!(
        !output.trim().is_empty(),
        "ticheck {} printed nothing",
        args.join(" ")
    );
    let user_text = inputs_text(&args, dir);
    for stray in strays(&output, &args, &user_text) {
        failures.push(format!("ticheck --lang zh {}: {stray}", args.join(" ")));
    }
}

fn files(dir: &str, extensions: &[&str]) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .map(|path| format!("{dir}/{}", path.file_name().unwrap().to_str().unwrap()))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "fixtures in {dir}");
    files
}

#[test]
fn chinese_output_over_every_fixture_has_no_stray_english() {
    let mut applicants = files("fixtures", &["toml"]);
    applicants.extend(files("fixtures/invalid", &["toml"]));
    applicants.extend(files("fixtures/batch", &["csv", "xlsx"]));
    let mut failures = Vec::new();
    for file in &applicants {
        for format in ["table", "markdown", "csv"] {
            check_run(
                &["check", file, "--format", format],
                None,
                root(),
                &mut failures,
            );
        }
    }
    // All at once: the batch summary, its knock-outs and near misses, with every detail.
    let mut batch = vec!["check", "--detail"];
    batch.extend(applicants.iter().map(String::as_str));
    check_run(&batch, None, root(), &mut failures);
    batch.extend(["--format", "markdown"]);
    check_run(&batch, None, root(), &mut failures);
    // Warnings that fail the run, and the expired measures' warning in the header.
    let strict = ["check", "--strict", "fixtures/batch/messy.csv"];
    check_run(&strict, None, root(), &mut failures);
    let late = [
        "check",
        "--as-of",
        "2026-01-01",
        "fixtures/eligible-enterprise.toml",
    ];
    check_run(&late, None, root(), &mut failures);
    for file in files("fixtures/evaluation", &["toml"]) {
        check_run(&["evaluate", &file], None, root(), &mut failures);
    }
    // The results workbook a bureau opens (SPEC §7): every sheet's cells.
    let dir = TempDir::new().unwrap();
    let workbook = dir.path().join("筛选结果.xlsx");
    let mut args = vec![
        "--lang",
        "zh",
        "check",
        "--output",
        workbook.to_str().unwrap(),
    ];
    args.extend(applicants.iter().map(String::as_str));
    run(ticheck().args(&args));
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    for (sheet, rows) in common::read_workbook(&workbook) {
        let cells: Vec<String> = rows.into_iter().flatten().collect();
        let output = format!("{sheet}\n{}", cells.join("\n"));
        for stray in strays(&output, &args, &inputs_text(&args, root())) {
            failures.push(format!("workbook, sheet {sheet}: {stray}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_rulebook_in_chinese_has_no_stray_english() {
    let mut failures = Vec::new();
    check_run(&["rules"], None, root(), &mut failures);
    let rules = run(ticheck().args(["rules", "--lang", "zh"])).stdout;
    let ids: Vec<&str> = rules
        .split(|c: char| c.is_whitespace() || c == '│' || c == '┆')
        .filter(|word| {
            let mut chars = word.chars();
            chars.next() == Some('A') && chars.next().is_some_and(|c| c.is_ascii_digit())
        })
        .collect();
    assert!(ids.len() >= 20, "{rules}");
    for id in ids {
        check_run(&["explain", id], None, root(), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn chinese_messages_for_common_mistakes_have_no_stray_english() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("已有.toml"), "").unwrap();
    std::fs::write(dir.path().join("已有.xlsx"), "").unwrap();
    std::fs::write(dir.path().join("档案.docx"), "name = 1").unwrap();
    std::fs::write(
        dir.path().join("不是工作簿.xlsx"),
        "单位名称,研发场地面积\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("空.csv"), "").unwrap();
    let fixture = root().join("fixtures/eligible-enterprise.toml");
    let fixture = fixture.to_str().unwrap();
    let center = root().join("fixtures/evaluation/good-center.toml");
    let center = center.to_str().unwrap().to_string();
    let mut failures = Vec::new();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "没有此文件.toml"],
        vec!["check", "没有此文件.csv"],
        vec!["check", "没有此文件.xlsx"],
        vec!["evaluate", "没有此文件.toml"],
        vec!["check", "."],
        vec!["check", "档案.docx"],
        vec!["check", "不是工作簿.xlsx"],
        vec!["check", "空.csv"],
        vec!["init", "已有.toml"],
        vec!["init", "--sheet", "已有.xlsx"],
        vec!["check", fixture, "--output", "没有此目录/结果.json"],
        vec!["check", fixture, "--output", "没有此目录/结果.xlsx"],
        vec!["evaluate", &center, "--output", "没有此目录/结果.json"],
        // The wrong command: the message names the sections of the right profile.
        vec!["evaluate", fixture],
        vec!["check", &center],
    ];
    for args in &runs {
        check_run(args, None, dir.path(), &mut failures);
    }
    // Standard input whose content does not tell its format, and none at all.
    let words = "云南某某科技有限公司 1800\n".as_bytes();
    check_run(&["check", "-"], Some(words), dir.path(), &mut failures);
    check_run(&["check", "-"], Some(b""), dir.path(), &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_allow_list_lets_identifiers_pass_and_catches_words() {
    let args = vec!["check".to_string(), "a.toml".to_string()];
    let ok = "A10.4.floor-area ┆ 符合 pass ┆ 需填写：rnd_spend.2022、[[transfer]]（a.toml:3）\n\
              结论：未发现不符合项（eligible）：尚有 4 项待专家论证\n\
              错误: a.toml:3:8: applicant.kind: “enterprize”不是可选值；请用 ticheck evaluate";
    assert_eq!(strays(ok, &args, ""), Vec::<String>::new());
    let bad = "- A10.2.leadership [review] 准备材料\n无法读取文件：No such file or directory";
    let found = strays(bad, &args, "");
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found[0].starts_with("\"[review]\""), "{found:?}");
}
