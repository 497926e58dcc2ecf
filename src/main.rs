//! The `ticheck` binary: everything lives in the library; see `ticheck::cli`.

fn main() -> std::process::ExitCode {
    ticheck::cli::main()
}
