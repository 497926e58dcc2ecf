//! `--format junit`: JUnit XML, one test case per clause per applicant.

use std::io::{self, Write};

use super::{Emitter, Settings, Summary};
use crate::engine::Assessment;

pub struct JunitEmitter<'r> {
    settings: Settings<'r>,
}

impl<'r> JunitEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        JunitEmitter { settings }
    }
}

impl Emitter for JunitEmitter<'_> {
    fn emit(&mut self, _out: &mut dyn Write, _assessment: &Assessment<'_>) -> io::Result<()> {
        let _ = self.settings;
        Err(io::Error::other("--format junit is not implemented yet"))
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Err(io::Error::other("--format junit is not implemented yet"))
    }
}
