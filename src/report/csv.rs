//! `--format csv`: one row per applicant, one column per clause verdict, for a bureau to sort
//! and file. Each row stands alone, so the pipeline's workers render rows (see
//! [`super::RowRenderer`]) and the emitter only writes them out in order.

use std::io::{self, Write};

use super::{Emitter, OutputEncoding, Settings, Summary};
use crate::engine::{Assessment, Verdict};
use crate::i18n::Lang;
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
            // SPEC §7: Excel reads UTF-8 without mojibake only after a byte-order mark.
            if self.settings.output_encoding == OutputEncoding::Utf8Bom {
                header.extend_from_slice(b"\xEF\xBB\xBF");
            }
            let clauses = self.settings.rulebook.clauses.iter().map(|c| c.id.as_str());
            let names = header_names(self.settings.lang)
                .0
                .into_iter()
                .chain(clauses)
                .chain(header_names(self.settings.lang).1);
            for (index, name) in names.enumerate() {
                field(&mut header, index > 0, name);
            }
            header.push(b'\n');
            self.write(out, &header)?;
        }
        Ok(())
    }

    /// Writes bytes rendered as UTF-8 in the report's encoding.
    fn write(&self, out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
        match self.settings.output_encoding {
            OutputEncoding::Utf8Bom | OutputEncoding::Utf8 => out.write_all(bytes),
            OutputEncoding::Gb18030 => {
                // Rendered by this program, so valid UTF-8; GB18030 encodes every character.
                let text = String::from_utf8_lossy(bytes);
                let (encoded, _, _) = encoding_rs::GB18030.encode(&text);
                out.write_all(&encoded)
            }
        }
    }
}

/// The columns before and after the clauses: in Chinese under `--lang zh` (SPEC §7), the
/// machine names otherwise. Clause ids stay ids in both.
fn header_names(lang: Lang) -> ([&'static str; 3], [&'static str; 6]) {
    match lang {
        Lang::Zh => (
            ["来源", "单位名称", "结论"],
            [
                "不符合的条款",
                "缺少的数据",
                "差距",
                "尚未确定的事项",
                "警告",
                "错误",
            ],
        ),
        Lang::En => (
            ["source", "applicant", "verdict"],
            ["failed", "missing", "gaps", "open", "warnings", "error"],
        ),
    }
}

/// A clause's verdict in a cell: the contract's word (an informational clause's yes/no) in
/// English; the Chinese word under `--lang zh`.
fn verdict_cell(finding: &crate::engine::Finding<'_>, lang: Lang) -> &'static str {
    match lang {
        Lang::En => finding.word(),
        Lang::Zh => match (finding.word(), finding.open) {
            ("yes", _) => "是",
            ("no", _) => "否",
            (_, Some(crate::engine::Open::ManualCheck)) => "需人工核实",
            _ => finding.verdict.label_zh(),
        },
    }
}

/// Writes one field as the `csv` crate does by default: quoted only when it holds a comma, a
/// quote or a line break, with quotes doubled.
pub(crate) fn field(out: &mut Vec<u8>, after_another: bool, text: &str) {
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
    // Most quoted fields are quoted for a comma and hold no quote to double.
    let mut rest = bytes;
    while let Some(at) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=at]);
        out.push(b'"');
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
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
    field(
        out,
        true,
        match lang {
            Lang::En => assessment.verdict.word(),
            Lang::Zh => assessment.verdict.label_zh(),
        },
    );
    if assessment.findings.is_empty() {
        for _ in &settings.rulebook.clauses {
            out.push(b',');
        }
    }
    for finding in &assessment.findings {
        // The verdict words are the program's own, none needing quotes (tested below): the
        // cell most written is written without looking at it.
        out.push(b',');
        out.extend_from_slice(verdict_cell(finding, lang).as_bytes());
    }
    // The composite cells are built in one buffer per thread, reused row after row.
    thread_local! {
        static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    SCRATCH.with_borrow_mut(|cell| {
        let mut built = |out: &mut Vec<u8>, build: &dyn Fn(&mut String)| {
            cell.clear();
            build(cell);
            field(out, true, cell);
        };
        built(out, &|failed| {
            for finding in &assessment.findings {
                if finding.verdict == Verdict::Fail && finding.severity() == Severity::Condition {
                    if !failed.is_empty() {
                        failed.push(' ');
                    }
                    failed.push_str(&finding.clause.id);
                }
            }
        });
        built(out, &|missing| {
            for finding in &assessment.findings {
                if finding.verdict == Verdict::Missing {
                    if !missing.is_empty() {
                        missing.push_str("; ");
                    }
                    missing.push_str(&finding.clause.id);
                    missing.push_str(": ");
                    missing.push_str(&assessment.fields_to_fill(finding).join(", "));
                }
            }
        });
        // SPEC §5: each failed clause's gap, `A10.4.floor-area: 还差 50 m²`; the full
        // sentences are in the workbook and the other formats.
        built(out, &|gaps| {
            for finding in &assessment.findings {
                if let (Verdict::Fail, Some(gap)) = (finding.verdict, finding.gap_view()) {
                    if !gaps.is_empty() {
                        gaps.push_str(" | ");
                    }
                    gaps.push_str(&finding.clause.id);
                    gaps.push_str(": ");
                    gap.write_short(gaps, lang);
                }
            }
        });
        built(out, &|open| {
            assessment.open().write_joined(open, "; ", lang)
        });
        built(out, &|warnings| {
            for (index, warning) in assessment.warnings.iter().enumerate() {
                if index > 0 {
                    warnings.push_str(" | ");
                }
                warnings.push_str(warning.get(lang));
            }
        });
    });
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
        let written = self.write(out, &line);
        self.row = line;
        written
    }

    fn emit_rendered(&mut self, out: &mut dyn Write, row: &[u8]) -> io::Result<()> {
        self.start(out)?;
        self.write(out, row)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        self.start(out)
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    /// Verdict cells are written without the quoting check: no word may need quotes.
    #[test]
    fn verdict_words_need_no_quotes() {
        use crate::engine::Verdict;
        let verdicts = [
            Verdict::Pass,
            Verdict::Fail,
            Verdict::Missing,
            Verdict::Review,
            Verdict::NotApplicable,
        ];
        let words = verdicts
            .iter()
            .flat_map(|verdict| [verdict.word(), verdict.label_zh()])
            .chain(["yes", "no", "是", "否", "需人工核实"]);
        for word in words {
            let mut written = Vec::new();
            field(&mut written, false, word);
            assert_eq!(written, word.as_bytes(), "{word}");
        }
    }

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
