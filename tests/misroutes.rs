//! Helpful misroutes (issue 12): a profile given to the wrong command is pointed to the right
//! one, a directory says it is one, and a TOML profile saved in GB18030 is read.

mod common;
use common::{root, run, ticheck};

#[test]
fn an_evaluation_profile_given_to_check_is_pointed_to_evaluate() {
    let result = run(ticheck().current_dir(root()).args([
        "check",
        "fixtures/evaluation/good-center.toml",
        "--lang",
        "zh",
    ]));
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("请用 ticheck evaluate 评估"),
        "{}",
        result.stderr
    );
    let english = run(ticheck().current_dir(root()).args([
        "check",
        "fixtures/evaluation/good-center.toml",
        "--lang",
        "en",
    ]));
    assert!(
        english.stderr.contains("evaluate it with ticheck evaluate"),
        "{}",
        english.stderr
    );
}

#[test]
fn an_applicant_profile_given_to_evaluate_is_pointed_to_check() {
    let result = run(ticheck().current_dir(root()).args([
        "evaluate",
        "fixtures/eligible-enterprise.toml",
        "--lang",
        "zh",
    ]));
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("请用 ticheck check 检查申报条件"),
        "{}",
        result.stderr
    );
}

#[test]
fn a_directory_says_it_is_one() {
    let result = run(ticheck()
        .current_dir(root())
        .args(["check", "fixtures", "--lang", "en"]));
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("fixtures: is a directory, not a profile"),
        "{}",
        result.stderr
    );
}

#[test]
fn a_toml_profile_saved_in_gb18030_is_read_as_its_utf8_twin() {
    let dir = tempfile::TempDir::new().unwrap();
    let text = std::fs::read_to_string(root().join("fixtures/eligible-enterprise.toml")).unwrap();
    let (encoded, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&encoded).is_err(),
        "the Chinese text is not UTF-8 any more"
    );
    let path = dir.path().join("gbk.toml");
    std::fs::write(&path, &encoded).unwrap();
    let result = run(ticheck()
        .current_dir(root())
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(&path));
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("云南滇铜新材料科技有限公司"),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("\"verdict\": \"eligible\""),
        "{}",
        result.stdout
    );
}
