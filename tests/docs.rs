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

/// The lines of a command's real output that the README and docs/gaps.md quote: every line of
/// the "还差什么" list and of the near-miss table appears in both, so the examples cannot drift
/// from what ticheck prints.
#[test]
fn the_gap_examples_in_the_docs_are_real_output() {
    let run = |args: &[&str]| {
        let output = Command::cargo_bin("ticheck")
            .unwrap()
            .env("COLUMNS", "100")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let applicant = run(&[
        "check",
        "fixtures/ineligible-enterprise.toml",
        "--lang",
        "zh",
    ]);
    let bureau = run(&["check", "fixtures/batch/near-misses.csv", "--lang", "zh"]);
    let quoted: Vec<&str> = applicant
        .lines()
        .skip_while(|line| !line.starts_with("还差什么"))
        .take_while(|line| !line.is_empty())
        .chain(
            bureau
                .lines()
                .skip_while(|line| !line.starts_with("培育库"))
                .take_while(|line| !line.is_empty()),
        )
        .collect();
    assert!(quoted.len() > 10, "{applicant}\n{bureau}");
    for file in ["README.md", "docs/gaps.md"] {
        let text = std::fs::read_to_string(file).unwrap();
        for line in &quoted {
            assert!(
                text.contains(line),
                "{file} does not show the real line:\n{line}"
            );
        }
    }
}

/// docs/evaluation.md shows the agency's round (issue 13) as ticheck prints it at 80 columns in
/// Chinese: every line of the real output stands in the page.
#[test]
fn the_round_in_docs_evaluation_md_is_real_output() {
    let output = Command::cargo_bin("ticheck")
        .unwrap()
        .env("COLUMNS", "80")
        .args([
            "evaluate",
            "fixtures/evaluation/round-2025.xlsx",
            "--lang",
            "zh",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let text = std::fs::read_to_string("docs/evaluation.md").unwrap();
    let lines: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
    assert!(lines.len() > 40, "{stdout}");
    for line in lines {
        assert!(
            text.contains(line),
            "docs/evaluation.md does not show the real line:\n{line}"
        );
    }
}
