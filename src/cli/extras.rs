//! `ticheck schema`, `ticheck completions SHELL`, `ticheck man`: what editors and shells need.

use std::process::ExitCode;

use super::exit;

pub fn schema() -> ExitCode {
    eprintln!("ticheck schema: not implemented yet");
    ExitCode::from(exit::ERROR)
}

pub fn completions(_shell: clap_complete::Shell) -> ExitCode {
    eprintln!("ticheck completions: not implemented yet");
    ExitCode::from(exit::ERROR)
}

pub fn man() -> ExitCode {
    eprintln!("ticheck man: not implemented yet");
    ExitCode::from(exit::ERROR)
}
