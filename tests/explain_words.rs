//! `ticheck explain` and `ticheck rules` through the real binary: a bound cites 《民法典》第一千
//! 二百五十九条 only for the words that article defines and says the other readings are the
//! rulebook's, both read from the rulebook's `[bound_words]`; applicant kinds are named in the
//! output's language; Chinese output carries no raw ids where a name exists.

mod common;

use std::fs;

use common::{root, run, ticheck, Run};
use tempfile::TempDir;

/// The words 《民法典》第一千二百五十九条 defines: 以上、以下、以内、届满 (inclusive) and 不满、
/// 超过、以外 (exclusive). No other word may be cited to it.
const ARTICLE_1259_WORDS: &[&str] = &["以上", "以下", "以内", "届满", "不满", "超过", "以外"];

const CITATION_ZH: &str = "（《民法典》第一千二百五十九条）";
const CITATION_EN: &str = "(Civil Code, Art. 1259)";

fn ticheck_run(args: &[&str]) -> Run {
    let output = run(ticheck().args(args));
    assert_eq!(output.code, 0, "ticheck {args:?}: {}", output.stderr);
    output
}

/// The lines of `text` starting with `prefix`, without it.
fn lines_after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .collect()
}

fn shipped_rulebook() -> String {
    fs::read_to_string(root().join("src/rules/yunnan-2022.toml")).unwrap()
}

fn clause_ids() -> Vec<String> {
    let markdown = ticheck_run(&["rules", "--format", "markdown", "--lang", "en"]).stdout;
    let ids: Vec<String> = markdown
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(id, _)| id.to_string())
        .collect();
    assert!(ids.len() >= 20, "every clause is listed: {ids:?}");
    ids
}

#[test]
fn debt_ratio_says_low_yu_is_the_rulebooks_reading_not_article_1259() {
    let zh = ticheck_run(&["explain", "A10.2.debt-ratio", "--lang", "zh"]).stdout;
    let bounds = lines_after(&zh, "界限：");
    assert_eq!(bounds.len(), 1, "{zh}");
    let bound = bounds[0];
    assert!(bound.contains("“低于”"), "{zh}");
    assert!(bound.contains("不含本数"), "{zh}");
    assert!(bound.contains("按本规则库的解读"), "{zh}");
    assert!(bound.contains("未定义"), "{zh}");
    assert!(
        !zh.contains(CITATION_ZH),
        "低于 is not cited to Art. 1259:\n{zh}"
    );

    let en = ticheck_run(&["explain", "A10.2.debt-ratio", "--lang", "en"]).stdout;
    let bound = lines_after(&en, "Bound: ").join("\n");
    assert!(bound.contains("exclusive"), "{en}");
    assert!(bound.contains("this rulebook's reading"), "{en}");
    assert!(bound.contains("does not define"), "{en}");
    assert!(!en.contains(CITATION_EN), "{en}");
}

#[test]
fn floor_area_still_cites_article_1259_for_yi_shang() {
    let zh = ticheck_run(&["explain", "A10.4.floor-area", "--lang", "zh"]).stdout;
    assert!(
        zh.contains(&format!(
            "界限：研发场地面积：含本数，“以上”包括本数{CITATION_ZH}"
        )),
        "{zh}"
    );
    assert!(!zh.contains("本规则库"), "{zh}");

    let en = ticheck_run(&["explain", "A10.4.floor-area", "--lang", "en"]).stdout;
    assert!(
        en.contains(&format!("'以上' includes the number itself {CITATION_EN}")),
        "{en}"
    );
}

/// Over the whole rulebook: every bound line that cites Art. 1259 is about one of its words,
/// and every bound line with a word that article does not define says it is the rulebook's.
#[test]
fn article_1259_is_cited_only_for_the_words_it_defines() {
    let markdown = ticheck_run(&["rules", "--format", "markdown", "--lang", "zh"]).stdout;
    let bounds = lines_after(&markdown, "- 界限：");
    let (mut cited, mut read) = (0, 0);
    for bound in &bounds {
        let word = bound
            .split_once('“')
            .and_then(|(_, rest)| rest.split_once('”'))
            .map(|(word, _)| word);
        let Some(word) = word else {
            continue; // a bound without a word of the law: `> 0`
        };
        if ARTICLE_1259_WORDS.contains(&word) {
            assert!(bound.ends_with(CITATION_ZH), "{bound}");
            cited += 1;
        } else {
            assert!(
                !bound.contains(CITATION_ZH),
                "{word} is cited to Art. 1259: {bound}"
            );
            assert!(bound.contains("按本规则库的解读"), "{bound}");
            read += 1;
        }
    }
    // The built-in rulebook uses both kinds: 以上 (cited) and 不少于、不低于、及以上、低于 (read).
    assert!(cited >= 5, "{markdown}");
    assert!(read >= 5, "{markdown}");
}

#[test]
fn applicant_kinds_are_named_in_the_outputs_language() {
    let zh = ticheck_run(&["explain", "A10.2.debt-ratio", "--lang", "zh"]).stdout;
    assert_eq!(lines_after(&zh, "适用："), ["企业"], "{zh}");
    assert!(!zh.contains("enterprise"), "{zh}");

    let zh = ticheck_run(&["explain", "A10.2.partners", "--lang", "zh"]).stdout;
    assert_eq!(
        lines_after(&zh, "适用："),
        ["高校、科研院所、技术机构"],
        "{zh}"
    );

    let en = ticheck_run(&["explain", "A10.2.partners", "--lang", "en"]).stdout;
    assert_eq!(
        lines_after(&en, "Applies to: "),
        ["university, research institute, technical organisation"],
        "{en}"
    );
}

#[test]
fn rules_table_and_markdown_name_applicant_kinds() {
    let table = ticheck_run(&["rules", "--lang", "zh"]).stdout;
    let row = |id: &str| {
        table
            .lines()
            .find(|line| line.contains(&format!(" {id} ")))
            .unwrap_or_else(|| panic!("{id} is listed:\n{table}"))
            .to_string()
    };
    assert!(row("A10.2.debt-ratio").contains("企业"), "{table}");
    assert!(
        row("A10.2.partners").contains("高校、科研院所、技术机构"),
        "{table}"
    );
    for raw in ["enterprise", "university", "institute", "tech_org"] {
        assert!(!table.contains(raw), "{raw} in:\n{table}");
    }

    let markdown = ticheck_run(&["rules", "--format", "markdown", "--lang", "zh"]).stdout;
    assert!(
        markdown.contains("| 基本条件 | 高校、科研院所、技术机构 |"),
        "{markdown}"
    );
    assert!(!markdown.contains("| enterprise |"), "{markdown}");

    let english = ticheck_run(&["rules", "--format", "markdown", "--lang", "en"]).stdout;
    assert!(
        english.contains("| condition | university, research institute, technical organisation |"),
        "{english}"
    );
}

/// The lines `explain` itself writes (not the law's text or the rulebook's interpretation) are
/// Chinese in Chinese: no raw kind ids, no `true`, field paths with a Chinese label beside them,
/// Chinese brackets.
#[test]
fn chinese_explain_lines_carry_no_english() {
    for id in clause_ids() {
        let zh = ticheck_run(&["explain", &id, "--lang", "zh"]).stdout;
        let own = ["适用：", "界限：", "性质："];
        for prefix in own {
            for line in lines_after(&zh, prefix) {
                // Roman numerals name the law's classes of IP (I 类、II 类); any other Latin word
                // is English.
                let english: Vec<&str> = line
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter(|word| !word.is_empty())
                    .filter(|word| !word.chars().all(|c| matches!(c, 'I' | 'V' | 'X')))
                    .collect();
                assert!(english.is_empty(), "{id}: {english:?} in {prefix}{line}");
            }
        }
        for fields in lines_after(&zh, "所用字段：") {
            for field in fields.split('；') {
                assert!(
                    field.ends_with('）') && field.contains('（') && !field.contains(" ("),
                    "{id}: field without a Chinese label: {field}"
                );
            }
        }
        let header = zh.lines().next().unwrap();
        assert!(header.ends_with('）'), "{id}: {header}");
    }
}

#[test]
fn english_explain_uses_english_brackets_around_the_citation() {
    let en = ticheck_run(&["explain", "A10.4.floor-area", "--lang", "en"]).stdout;
    assert_eq!(
        en.lines().next(),
        Some("A10.4.floor-area — R&D floor area (第十条第（四）项)"),
        "{en}"
    );
    assert!(
        en.contains("Fields used: facilities.rnd_floor_area (R&D floor area)"),
        "{en}"
    );
}

/// The readings are data: a variant that rewrites the rulebook's note, or that has no
/// `[bound_words]` at all (the format before the table), explains by its own table or by the
/// built-in one.
#[test]
fn the_readings_come_from_the_rulebooks_bound_words() {
    let shipped = shipped_rulebook();
    let note = "text = { zh = \"《民法典》第一千二百五十九条未定义该词\"";
    assert_eq!(
        shipped.matches(note).count(),
        1,
        "the note is where this test expects it"
    );
    let rewritten = shipped.replace(note, "text = { zh = \"按某局二〇二五年口径\"");
    let start = shipped.find("[bound_words.").unwrap();
    let end = start + shipped[start..].find("# ----").unwrap();
    let old_format = format!("{}{}", &shipped[..start], &shipped[end..]);

    let dir = TempDir::new().unwrap();
    let variant = dir.path().join("variant.toml");
    fs::write(&variant, rewritten).unwrap();
    let old = dir.path().join("old-format.toml");
    fs::write(&old, old_format).unwrap();

    let args = |path: &std::path::Path, id: &'static str| {
        vec![
            "explain".to_string(),
            id.to_string(),
            "--rulebook".to_string(),
            path.to_str().unwrap().to_string(),
            "--lang".to_string(),
            "zh".to_string(),
        ]
    };
    let explain = |path: &std::path::Path, id: &'static str| {
        let args = args(path, id);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ticheck_run(&args).stdout
    };

    let debt = explain(&variant, "A10.2.debt-ratio");
    assert!(
        debt.contains("“低于”按本规则库的解读不包括本数（<），按某局二〇二五年口径"),
        "{debt}"
    );
    assert!(!debt.contains("未定义"), "{debt}");

    let builtin = ticheck_run(&["explain", "A10.2.debt-ratio", "--lang", "zh"]).stdout;
    let builtin_floor = ticheck_run(&["explain", "A10.4.floor-area", "--lang", "zh"]).stdout;
    assert_eq!(explain(&old, "A10.2.debt-ratio"), builtin);
    assert_eq!(explain(&old, "A10.4.floor-area"), builtin_floor);
}
