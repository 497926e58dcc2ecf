//! `--format json`: the stable JSON core of SPEC §5, written as results arrive.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{localized, Emitter, Settings, Summary};
use crate::engine::{Assessment, Finding, Open};
use crate::i18n::Lang;
use crate::profile::sheet::{SheetNote, SheetNoteKind};
use crate::profile::{InvalidProfile, Location};

pub struct JsonEmitter<'r> {
    settings: Settings<'r>,
    written: usize,
}

impl<'r> JsonEmitter<'r> {
    pub fn new(settings: Settings<'r>) -> Self {
        JsonEmitter {
            settings,
            written: 0,
        }
    }

    fn header(&self) -> Value {
        let meta = &self.settings.rulebook.meta;
        json!({
            "id": meta.id,
            "effective_from": meta.effective_from.to_string(),
            "effective_until": meta.effective_until.map(|d| d.to_string()),
            "document": meta.document,
        })
    }
}

pub fn location(at: &Option<Location>) -> Value {
    match at {
        Some(Location::Line { line, column }) => json!({"line": line, "column": column}),
        Some(Location::Cell { row, column }) => json!({"row": row, "column": &**column}),
        None => Value::Null,
    }
}

fn finding(assessment: &Assessment<'_>, finding: &Finding<'_>, settings: &Settings<'_>) -> Value {
    let lang = settings.lang;
    // SPEC §2/§5: `verdict` keeps the contract's five words for every clause; an informational
    // clause's yes/no is `answer`, which the other formats show in its place.
    let mut value = json!({
        "id": finding.clause.id,
        "verdict": finding.verdict.word(),
        "severity": finding.severity().word(),
        "actual": finding.actual().map(|a| a.machine),
        "required": finding.required().machine,
        "citation": finding.clause.citation,
        "title": finding.clause.title.get(lang),
        "label": finding.label(lang),
        "missing": finding.missing,
        "location": location(&finding.at),
        "notes": localized(&finding.note_texts(), lang),
    });
    if let Some(gap) = gap_value(assessment, finding, lang) {
        value["gap"] = gap;
    }
    if finding.severity() == crate::rules::Severity::Info {
        value["answer"] = json!(finding.word());
    }
    if let Some(open) = finding.open {
        value["open"] = json!(match open {
            Open::ExpertReview => "review",
            Open::ManualCheck => "manual_check",
            Open::SelfDeclared => "self_declared",
        });
    }
    if !finding.left_out.is_empty() {
        value["left_out"] = finding
            .left_out
            .iter()
            .map(|item| {
                json!({
                    "item": item.item,
                    "name": item.name,
                    "reason": item.reason().get(lang),
                })
            })
            .collect();
    }
    value
}

pub fn result(assessment: &Assessment<'_>, settings: &Settings<'_>) -> Value {
    let lang = settings.lang;
    let (error, problems) = error_value(assessment.error.as_ref(), lang);
    let mut value = json!({
        "source": assessment.source,
        "applicant": assessment.applicant,
        "verdict": assessment.verdict.word(),
        "clauses": assessment.findings.iter().map(|f| finding(assessment, f, settings)).collect::<Vec<_>>(),
        "open": open_value(assessment),
        "notes": localized(&assessment.notes, lang),
        "warnings": localized(&assessment.warnings, lang),
        "error": error,
    });
    if !problems.is_empty() {
        value["problems"] = Value::Array(problems);
    }
    if let Some(drift) = &assessment.drift {
        value["drift"] = drift_value(drift, lang);
    }
    value
}

/// What moving the application a year later changes: each windowed metric's items and years
/// leaving and entering, its value then, and the verdicts of the clauses that read it.
fn drift_value(drift: &crate::engine::drift::Drift, lang: Lang) -> Value {
    let moved = |moved: &[crate::engine::drift::Moved]| -> Vec<Value> {
        moved
            .iter()
            .map(|m| json!({"year": m.year, "what": m.what.get(lang)}))
            .collect()
    };
    let lines = drift.lines(lang);
    json!({
        "year": drift.year,
        "changes": drift.changes.iter().zip(lines).map(|(change, text)| json!({
            "metric": change.metric,
            "leaving": moved(&change.leaving),
            "entering": moved(&change.entering),
            "now": change.now,
            "then": change.then,
            "clauses": change.clauses.iter().map(|(id, _, now, then)| json!({
                "id": id, "now": now.word(), "then": then.word(),
            })).collect::<Vec<_>>(),
            "text": text,
        })).collect::<Vec<_>>(),
    })
}

/// SPEC §5 "Gaps": the sentence in the output language, and each route as numbers; for a
/// clause without data, the fields to fill as the user wrote them.
fn gap_value(assessment: &Assessment<'_>, finding: &Finding<'_>, lang: Lang) -> Option<Value> {
    use crate::engine::gap::{Change, Combine};
    use crate::engine::Verdict;
    if finding.verdict == Verdict::Missing && finding.severity() != crate::rules::Severity::Info {
        let fields = assessment.fields_to_fill(finding);
        return Some(json!({
            "text": super::fill_in_text(assessment, finding, lang),
            "routes": [],
            "combine": "all",
            "fields": fields,
        }));
    }
    let view = finding.gap_view()?;
    let routes: Vec<Value> = view
        .gap
        .needs
        .iter()
        .map(|need| {
            let words = view.words(need);
            let mut route = json!({
                "metric": words.metric,
                "direction": need.change.direction(),
            });
            match need.change {
                Change::Flag(flag) => route["must_be"] = json!(flag),
                change => {
                    let (by, strict) = change.amount().unwrap_or_default();
                    route["short_by"] = json!(crate::profile::value::plain(by));
                    route["unit"] = json!(match need.quantity {
                        crate::profile::value::Quantity::Ratio => "ratio",
                        quantity => quantity.unit(),
                    });
                    route["strict"] = json!(strict);
                    route["rounded"] = json!(change.rounded());
                }
            }
            route
        })
        .collect();
    Some(json!({
        "text": view.text(lang),
        "routes": routes,
        "combine": match view.gap.combine {
            Combine::All => "all",
            Combine::Any => "any",
        },
    }))
}

/// SPEC §2: the conditions still open, by kind.
fn open_value(assessment: &Assessment<'_>) -> Value {
    let open = assessment.open();
    json!({
        "review": open.review,
        "manual_check": open.manual_check,
        "self_declared": open.self_declared,
    })
}

/// An unreadable profile as JSON: the whole message, and each problem with its location.
pub fn error_value(error: Option<&InvalidProfile>, lang: Lang) -> (Value, Vec<Value>) {
    match error {
        Some(error) => (
            Value::String(error.render(lang)),
            error
                .problems
                .iter()
                .map(|problem| {
                    json!({
                        "location": location(&problem.at),
                        "field": problem.field,
                        "message": problem.message.get(lang),
                    })
                })
                .collect(),
        ),
        None => (Value::Null, Vec::new()),
    }
}

/// Indents every line after the first, to nest a pretty-printed value.
pub fn indented(value: &Value, spaces: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.replace('\n', &format!("\n{}", " ".repeat(spaces)))
}

/// One applicant's result, indented to sit in the `results` array.
pub fn row(assessment: &Assessment<'_>, settings: &Settings<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(indented(&result(assessment, settings), 4).as_bytes());
}

impl JsonEmitter<'_> {
    /// The opening of the document before the first result, or the comma between two.
    fn separate(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.written == 0 {
            write!(
                out,
                "{{\n  \"rulebook\": {},\n  \"results\": [\n    ",
                indented(&self.header(), 2)
            )?;
        } else {
            write!(out, ",\n    ")?;
        }
        self.written += 1;
        Ok(())
    }
}

impl Emitter for JsonEmitter<'_> {
    fn emit(&mut self, out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        let mut rendered = Vec::new();
        row(assessment, &self.settings, &mut rendered);
        self.emit_rendered(out, &rendered)
    }

    fn emit_rendered(&mut self, out: &mut dyn Write, row: &[u8]) -> io::Result<()> {
        self.separate(out)?;
        out.write_all(row)
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if self.written == 0 {
            write!(
                out,
                "{{\n  \"rulebook\": {},\n  \"results\": [",
                indented(&self.header(), 2)
            )?;
        } else {
            write!(out, "\n  ")?;
        }
        let lang = self.settings.lang;
        let near_misses: Vec<Value> = summary
            .near_misses
            .sorted()
            .into_iter()
            .map(|near_miss| {
                json!({
                    "source": near_miss.source,
                    "applicant": near_miss.applicant,
                    "failed": near_miss.failed.len(),
                    "shortfall": crate::profile::value::plain(near_miss.shortfall),
                    "gaps": near_miss
                        .gaps(self.settings.rulebook, lang)
                        .into_iter()
                        .map(|(id, text)| json!({"id": id, "text": text}))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut value = json!({
            "eligible": summary.eligible,
            "ineligible": summary.ineligible,
            "incomplete": summary.incomplete,
            "error": summary.error,
        });
        // SPEC §7: a batch's near misses (培育库).
        if self.settings.many {
            value["near_misses"] = Value::Array(near_misses);
            value["near_misses_found"] = json!(summary.near_misses.found);
        }
        write!(out, "],")?;
        // SPEC §7: what was said once about each sheet of a batch (the rows skipped, the
        // columns ignored…), beside the results it explains.
        if self.settings.many {
            let notes: Vec<Value> = summary
                .sheet_notes
                .iter()
                .map(|note| sheet_note(note, lang))
                .collect();
            write!(
                out,
                "\n  \"sheet_notes\": {},",
                indented(&Value::Array(notes), 2)
            )?;
        }
        writeln!(out, "\n  \"summary\": {}\n}}", indented(&value, 2))
    }
}

/// A sheet's note: its file, its kind, its text in the output language, and what it names as
/// data (the worksheet, the columns, the merged ranges, the runs of rows).
pub fn sheet_note(note: &SheetNote, lang: Lang) -> Value {
    let mut value = json!({
        "file": note.file,
        "kind": note.kind.word(),
        "text": note.text.get(lang),
    });
    match &note.kind {
        SheetNoteKind::Worksheet(name) => value["worksheet"] = json!(name),
        SheetNoteKind::IgnoredColumns(columns) => value["columns"] = json!(columns),
        SheetNoteKind::MergedCells { ranges, count } => {
            value["ranges"] = json!(ranges);
            value["count"] = json!(count);
        }
        SheetNoteKind::SkippedRows { rows, runs } => {
            value["rows"] = json!(rows);
            value["runs"] = runs
                .iter()
                .map(|run| {
                    let mut value = json!({
                        "first": run.first,
                        "last": run.last,
                        "reason": run.reason,
                    });
                    if let Some(word) = run.totals {
                        value["word"] = json!(word);
                    }
                    value
                })
                .collect();
        }
    }
    value
}
