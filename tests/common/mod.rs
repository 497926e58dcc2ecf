//! What every CLI test file needs: the real binary, run in the crate root with a fixed width
//! and no locale, and its output captured.

#![allow(dead_code)] // each test file uses a different part

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, in the crate root, 160 columns wide, with no locale (so English by default).
pub fn ticheck() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ticheck"));
    cmd.current_dir(root())
        .env("COLUMNS", "160")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE");
    cmd
}

/// A finished run: exit code and output.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}):\n{}\nstderr:\n{}",
                excerpt(&self.stdout),
                excerpt(&self.stderr)
            )
        })
    }
}

/// At most 2000 characters of a long output, for assertion messages.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(2000) {
        Some((cut, _)) => format!("{}… ({} bytes in all)", &text[..cut], text.len()),
        None => text.to_string(),
    }
}

pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("ticheck runs");
    Run {
        code: output
            .status
            .code()
            .expect("ticheck exits with a code, not a signal (a panic abort or a timeout)"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The verdict counts of a JSON summary (SPEC §5), without the fields a batch adds beside them
/// (the near misses of SPEC §7).
#[allow(dead_code)]
pub fn counts(summary: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "eligible": summary["eligible"],
        "ineligible": summary["ineligible"],
        "incomplete": summary["incomplete"],
        "error": summary["error"],
    })
}
