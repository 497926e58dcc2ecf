//! `--format markdown`: a report to paste into a review ticket.

use std::io::{self, Write};

use super::{Emitter, Settings, Summary};
use crate::engine::Assessment;

pub struct MarkdownEmitter<'r> {
    settings: Settings<'r>,
}

impl<'r> MarkdownEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        MarkdownEmitter { settings }
    }
}

impl Emitter for MarkdownEmitter<'_> {
    fn emit(&mut self, _out: &mut dyn Write, _assessment: &Assessment<'_>) -> io::Result<()> {
        let _ = self.settings;
        Err(io::Error::other("--format markdown is not implemented yet"))
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Err(io::Error::other("--format markdown is not implemented yet"))
    }
}
