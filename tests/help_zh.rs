//! `--help` speaks the output language (issue 12): Chinese under `--lang zh` or a Chinese
//! locale, English otherwise; a usage error under zh leads with a Chinese sentence.

mod common;
use common::{root, ticheck};

fn help(env_lang: &str, args: &[&str]) -> (String, String, Option<i32>) {
    let output = ticheck()
        .current_dir(root())
        .env("LANG", env_lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

#[test]
fn every_command_has_chinese_help_under_a_chinese_locale_and_english_otherwise() {
    for command in [
        "check",
        "evaluate",
        "rules",
        "explain",
        "init",
        "schema",
        "completions",
        "man",
    ] {
        let (zh, _, code) = help("zh_CN.UTF-8", &[command, "--help"]);
        assert_eq!(code, Some(0));
        assert!(zh.contains("用法："), "{command}: {zh}");
        assert!(zh.contains("显示帮助"), "{command}: {zh}");
        assert!(
            !zh.contains("Options:") && !zh.contains("Print help"),
            "{command}: {zh}"
        );
        let (en, _, _) = help("en_US.UTF-8", &[command, "--help"]);
        assert!(en.contains("Usage:"), "{command}: {en}");
        // --lang decides over the locale.
        let (forced, _, _) = help("en_US.UTF-8", &["--lang", "zh", command, "--help"]);
        assert!(forced.contains("用法："), "{command}: {forced}");
    }
}

#[test]
fn a_usage_error_in_chinese_leads_with_a_chinese_sentence() {
    let (_, stderr, code) = help("zh_CN.UTF-8", &["check"]);
    assert_eq!(code, Some(2));
    assert!(stderr.starts_with("ticheck：缺少必需的参数"), "{stderr}");
    let (_, stderr, code) = help("zh_CN.UTF-8", &["check", "a.toml", "--format", "pdf"]);
    assert_eq!(code, Some(2));
    assert!(stderr.starts_with("ticheck：参数的取值无效"), "{stderr}");
}

/// Display width: CJK characters take two columns.
fn width(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// The Chinese help fits an 80-column terminal: clap wraps at spaces only, so the Chinese
/// text is rewrapped, and no line starts with a closing mark.
#[test]
fn the_chinese_help_of_every_command_fits_80_columns() {
    for command in [
        "", "check", "evaluate", "rules", "explain", "init", "schema", "serve",
    ] {
        let mut args = vec!["--lang", "zh"];
        args.extend(Some(command).filter(|c| !c.is_empty()));
        args.push("--help");
        let output = ticheck()
            .current_dir(root())
            .env("COLUMNS", "80")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{command}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("用法："), "{command}: {text}");
        for line in text.lines() {
            assert!(width(line) <= 80, "{command}: {} wide: {line}", width(line));
            assert!(
                !line
                    .trim_start()
                    .starts_with(['，', '。', '、', '；', '）']),
                "{command}: {line}"
            );
        }
    }
}
