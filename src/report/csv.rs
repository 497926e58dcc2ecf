//! `--format csv`: one row per applicant, one column per clause verdict, for a bureau to sort
//! and file. Each row stands alone, so the pipeline's workers render rows (see
//! [`super::RowRenderer`]) and the emitter only writes them out in order.

use std::io::{self, Write};

use super::{Emitter, Settings, Summary};
use crate::engine::{Assessment, Verdict};
use crate::rules::Severity;

pub struct CsvEmitter<'r> {
    settings: Settings<'r>,
    started: bool,
    row: Vec<u8>,
}

impl<'r> CsvEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        CsvEmitter {
            settings,
            started: false,
            row: Vec::new(),
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let mut header = Vec::new();
            let clauses = self.settings.rulebook.clauses.iter().map(|c| c.id.as_str());
            let names = ["source", "applicant", "verdict"]
                .into_iter()
                .chain(clauses)
                .chain(["failed", "missing", "gaps", "open", "warnings", "error"]);
            for (index, name) in names.enumerate() {
                field(&mut header, index > 0, name);
            }
            header.push(b'\n');
            out.write_all(&header)?;
        }
        Ok(())
    }
}

/// Writes one field as the `csv` crate does by default: quoted only when it holds a comma, a
/// quote or a line break, with quotes doubled.
fn field(out: &mut Vec<u8>, after_another: bool, text: &str) {
    if after_another {
        out.push(b',');
    }
    let bytes = text.as_bytes();
    // Not short-circuiting, so that the compiler checks many bytes at a time.
    let special = bytes.iter().fold(false, |found, b| {
        found | matches!(b, b',' | b'"' | b'\r' | b'\n')
    });
    if !special {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    for part in bytes.split_inclusive(|b| *b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// One applicant's row, with its line break.
pub fn row(assessment: &Assessment<'_>, settings: &Settings<'_>, out: &mut Vec<u8>) {
    let lang = settings.lang;
    field(out, false, &assessment.source);
    field(
        out,
        true,
        assessment.applicant.as_deref().unwrap_or_default(),
    );
    field(out, true, assessment.verdict.word());
    if assessment.findings.is_empty() {
        for _ in &settings.rulebook.clauses {
            out.push(b',');
        }
    }
    for finding in &assessment.findings {
        field(out, true, finding.word());
    }
    let mut failed = String::new();
    let mut missing = String::new();
    for finding in &assessment.findings {
        if finding.verdict == Verdict::Fail && finding.severity() == Severity::Condition {
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
            missing.push_str(&assessment.fields_to_fill(finding).join(", "));
        }
    }
    field(out, true, &failed);
    field(out, true, &missing);
    // SPEC §5: each failed clause's gap, `A10.4.floor-area: 还差 50 m²`; the full sentences
    // are in the workbook and the other formats.
    let mut gaps = String::with_capacity(256);
    for finding in &assessment.findings {
        if let (Verdict::Fail, Some(gap)) = (finding.verdict, finding.gap_view()) {
            if !gaps.is_empty() {
                gaps.push_str(" | ");
            }
            gaps.push_str(&finding.clause.id);
            gaps.push_str(": ");
            gap.write_short(&mut gaps, lang);
        }
    }
    field(out, true, &gaps);
    let mut open = String::with_capacity(256);
    assessment.open().write_joined(&mut open, "; ", lang);
    field(out, true, &open);
    let mut warnings = String::new();
    for (index, warning) in assessment.warnings.iter().enumerate() {
        if index > 0 {
            warnings.push_str(" | ");
        }
        warnings.push_str(warning.get(lang));
    }
    field(out, true, &warnings);
    let error = assessment
        .error
        .as_ref()
        .map(|e| e.render(lang))
        .unwrap_or_default();
    field(out, true, &error);
    out.push(b'\n');
}

impl Emitter for CsvEmitter<'_> {
    fn emit(&mut self, out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        self.start(out)?;
        let mut line = std::mem::take(&mut self.row);
        line.clear();
        row(assessment, &self.settings, &mut line);
        let written = out.write_all(&line);
        self.row = line;
        written
    }

    fn emit_rendered(&mut self, out: &mut dyn Write, row: &[u8]) -> io::Result<()> {
        self.start(out)?;
        out.write_all(row)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        self.start(out)
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    /// The fields must read back as the `csv` crate reads them.
    #[test]
    fn fields_are_quoted_only_when_needed_and_read_back_unchanged() {
        let texts = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            "\"",
            "中文，全角",
        ];
        let mut line = Vec::new();
        for (index, text) in texts.iter().enumerate() {
            field(&mut line, index > 0, text);
        }
        line.push(b'\n');
        assert!(line.starts_with(b"plain,,\"a,b\",\"say \"\"hi\"\"\","));
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.iter().collect::<Vec<_>>(), texts);
    }
}
