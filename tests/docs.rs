//! The reference documentation generated from the rulebook stays in step with it.

use assert_cmd::Command;

#[test]
fn clauses_md_is_the_generated_rulebook_listing() {
    let output = Command::cargo_bin("ticheck")
        .unwrap()
        .args(["rules", "--format", "markdown", "--lang", "zh"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    let committed = std::fs::read_to_string("docs/clauses.md").unwrap();
    assert_eq!(
        committed, generated,
        "docs/clauses.md is stale: run `cargo run -- rules --format markdown --lang zh > docs/clauses.md`"
    );
}

#[test]
fn readme_commands_exist_in_the_makefile() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let makefile = std::fs::read_to_string("Makefile").unwrap();
    for target in ["demo", "test"] {
        assert!(
            readme.contains(&format!("make {target}")),
            "README lacks make {target}"
        );
        assert!(
            makefile.contains(&format!("\n{target}:")),
            "Makefile lacks {target}"
        );
    }
    let ci = std::fs::read_to_string(".ci/run").unwrap();
    assert!(
        ci.contains("make test"),
        ".ci/run must run the README's test command"
    );
}
