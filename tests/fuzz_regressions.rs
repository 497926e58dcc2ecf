//! The inputs kept from fuzzing (`make fuzz`, docs/reliability.md), replayed under `cargo test`
//! through the very functions the fuzz targets run: `tests/fuzz_regressions/TARGET/NAME` is
//! given to target TARGET. A crash the fuzzer finds is minimised (`cargo fuzz tmin`), fixed,
//! and its input put here, so that it stays fixed without the fuzzer.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

// The bodies of the fuzz targets; each test uses some of them.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

/// The targets whose inputs can be replayed here (the web server's target needs `tower`,
/// which the main crate does not depend on; its regressions are tests of `tests/serve.rs`).
fn target(name: &str) -> Option<fn(&[u8])> {
    Some(match name {
        "profile_toml" => fuzz::profile_toml,
        "sheet_csv" => fuzz::sheet_csv,
        "sheet_xlsx" => fuzz::sheet_xlsx,
        "values" => fuzz::values,
        "uscc" => fuzz::uscc,
        "rulebook" => fuzz::rulebook_text,
        "rubric" => fuzz::rubric_text,
        "evaluation_round" => fuzz::evaluation_round,
        _ => return None,
    })
}

#[test]
fn every_kept_input_passes_its_fuzz_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut replayed = 0;
    let mut failed = Vec::new();
    let mut directories: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/fuzz_regressions/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    directories.sort();
    for directory in directories {
        let name = directory
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let run = target(&name).unwrap_or_else(|| panic!("no fuzz target named {name}"));
        let mut inputs: Vec<_> = std::fs::read_dir(&directory)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        inputs.sort();
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap();
            if catch_unwind(AssertUnwindSafe(|| run(&bytes))).is_err() {
                failed.push(input.display().to_string());
            }
            replayed += 1;
        }
    }
    assert!(failed.is_empty(), "failed again: {failed:#?}");
    assert!(
        replayed > 0,
        "no input was replayed from {}",
        root.display()
    );
}

/// Found by the `values` target: `0000000016732088235486875548.E9` was read as
/// 16732088235486875548000000000 万元, but that number written out (as the reports write it)
/// was refused as having more than 28 significant digits. A number is refused only when it
/// cannot be held exactly.
#[test]
fn money_that_is_held_exactly_reads_back_as_written() {
    use rust_decimal::Decimal;
    use ticheck::profile::value::parse_money;

    let written = "16732088235486875548000000000";
    let value = Decimal::from_i128_with_scale(16_732_088_235_486_875_548_000_000_000, 0);
    assert_eq!(parse_money("0000000016732088235486875548.E9"), Ok(value));
    assert_eq!(parse_money(written), Ok(value));
    // Beyond the largest decimal, or more places than it holds: refused, never rounded.
    for refused in [
        "79228162514264337593543950336",
        "100000000000000000000000000000",
        "0.00000000000000000000000000001",
        "1.00000000000000000000000000001",
    ] {
        let error = parse_money(refused).expect_err(refused);
        assert!(
            error
                .message(ticheck::i18n::Lang::En)
                .contains("cannot be held exactly"),
            "{refused}: {error:?}"
        );
    }
}
