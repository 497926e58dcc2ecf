//! `--format csv`: one row per applicant, one column per clause verdict, for a bureau to sort
//! and file. Streams: each applicant's row is written as it is judged.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use super::{Emitter, Settings, Summary};
use crate::engine::{Assessment, Verdict};

pub struct CsvEmitter<'r> {
    settings: Settings<'r>,
    writer: ::csv::Writer<Shared>,
    buffer: Shared,
    started: bool,
}

/// A byte buffer the CSV writer fills and the emitter drains to the real output, so that the
/// writer (and its quoting state) lives as long as the emitter.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'r> CsvEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        let buffer = Shared::default();
        CsvEmitter {
            settings,
            writer: ::csv::Writer::from_writer(buffer.clone()),
            buffer,
            started: false,
        }
    }

    fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.writer.flush()?;
        let mut bytes = self.buffer.0.borrow_mut();
        out.write_all(&bytes)?;
        bytes.clear();
        Ok(())
    }

    fn header(&mut self) -> io::Result<()> {
        let mut header = vec!["source", "applicant", "verdict"];
        header.extend(self.settings.rulebook.clauses.iter().map(|c| c.id.as_str()));
        header.extend(["failed", "missing", "warnings", "error"]);
        self.writer.write_record(&header).map_err(io::Error::other)
    }
}

impl Emitter for CsvEmitter<'_> {
    fn emit(&mut self, out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        if !self.started {
            self.header()?;
            self.started = true;
        }
        let lang = self.settings.lang;
        let writer = &mut self.writer;
        let field = |writer: &mut ::csv::Writer<Shared>, text: &str| {
            writer.write_field(text).map_err(io::Error::other)
        };
        field(writer, &assessment.source)?;
        field(writer, assessment.applicant.as_deref().unwrap_or_default())?;
        field(writer, assessment.verdict.word())?;
        if assessment.findings.is_empty() {
            for _ in &self.settings.rulebook.clauses {
                field(writer, "")?;
            }
        }
        for finding in &assessment.findings {
            field(writer, finding.verdict.word())?;
        }
        let mut failed = String::new();
        let mut missing = String::new();
        for finding in &assessment.findings {
            if finding.verdict == Verdict::Fail
                && finding.severity() == crate::rules::Severity::Condition
            {
                if !failed.is_empty() {
                    failed.push(' ');
                }
                failed.push_str(&finding.clause.id);
            }
            if finding.verdict == Verdict::Missing {
                if !missing.is_empty() {
                    missing.push_str("; ");
                }
                missing.push_str(&finding.clause.id);
                missing.push_str(": ");
                missing.push_str(&finding.missing.join(", "));
            }
        }
        field(writer, &failed)?;
        field(writer, &missing)?;
        let warnings: Vec<&str> = assessment.warnings.iter().map(|w| w.get(lang)).collect();
        field(writer, &warnings.join(" | "))?;
        let error = assessment
            .error
            .as_ref()
            .map(|e| e.render(lang))
            .unwrap_or_default();
        field(writer, &error)?;
        writer
            .write_record(None::<&[u8]>)
            .map_err(io::Error::other)?;
        if self.buffer.0.borrow().len() >= 64 * 1024 {
            self.drain(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        if !self.started {
            self.header()?;
            self.started = true;
        }
        self.drain(out)
    }
}
