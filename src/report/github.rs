//! `--format github`: GitHub Actions workflow-command annotations.

use std::io::{self, Write};

use super::{Emitter, Settings, Summary};
use crate::engine::Assessment;

pub struct GithubEmitter<'r> {
    settings: Settings<'r>,
}

impl<'r> GithubEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        GithubEmitter { settings }
    }
}

impl Emitter for GithubEmitter<'_> {
    fn emit(&mut self, _out: &mut dyn Write, _assessment: &Assessment<'_>) -> io::Result<()> {
        let _ = self.settings;
        Err(io::Error::other("--format github is not implemented yet"))
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Err(io::Error::other("--format github is not implemented yet"))
    }
}
