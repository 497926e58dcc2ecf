//! Judging a sheet on every core: one thread reads rows ahead in chunks, workers type and judge
//! the chunks (and render them, for formats whose rows stand alone), and the caller reports the
//! results in input order as they complete.
//!
//! The queues between the stages are bounded, so memory stays flat however long the sheet is:
//! at most `QUEUE` chunks wait on either side of the workers, and no chunk is handed out more
//! than [`WINDOW`] chunks ahead of the last one reported, so the reorder buffer stays small
//! even when a worker is held up (a busy machine can deschedule a thread for a long while,
//! and the others would otherwise run ahead without end).

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Condvar, Mutex};
use std::thread;

use crate::engine::{Assessment, Overall};
use crate::i18n::Text;
use crate::normalise::DateChoice;
use crate::profile::sheet::{Columns, RawRow};
use crate::profile::InvalidProfile;
use crate::report::near_miss::NearMiss;
use crate::report::RowRenderer;
use crate::rules::Rulebook;

/// Rows judged together, unless the renderer asks for fewer: enough to amortise the hand-offs,
/// small enough to stay in cache.
const CHUNK: usize = 128;
/// Chunks that may wait between two stages.
const QUEUE: usize = 2;
/// Chunks that may be read, judged or waiting to be reported at once.
const WINDOW: usize = 16;

/// How far reporting has come: the reader hands out a chunk only within [`WINDOW`] of it.
#[derive(Default)]
struct Reported {
    next: Mutex<usize>,
    moved: Condvar,
}

impl Reported {
    /// Waits until chunk `sequence` lies within the window; `false` once reporting has ended.
    fn wait_for(&self, sequence: usize) -> bool {
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while sequence >= next.saturating_add(WINDOW) {
            next = self
                .moved
                .wait(next)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *next != usize::MAX
    }

    fn advance(&self, to: usize) {
        *self
            .next
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = to;
        self.moved.notify_all();
    }
}

type Chunk = Vec<Result<RawRow, InvalidProfile>>;

/// One row's result, as the caller receives it.
pub enum Judged<'r, 'b> {
    /// The row's assessment, for the emitter to render.
    Assessment(Assessment<'r>),
    /// The row as the renderer wrote it, with what the run counts.
    Rendered {
        verdict: Overall,
        /// Where the row came from and its warnings, for `--strict`'s account.
        source: String,
        warnings: Vec<Text>,
        /// Why the row could not be read, for standard error.
        error: Option<InvalidProfile>,
        /// The row as a near miss (SPEC §7), for the summary.
        near_miss: Option<NearMiss>,
        bytes: &'b [u8],
    },
}

/// A judged chunk: its rows' results and, when rendered, their bytes back to back.
struct Done<'r> {
    parts: Vec<Part<'r>>,
    bytes: Vec<u8>,
}

enum Part<'r> {
    Assessment(Assessment<'r>),
    Rendered {
        verdict: Overall,
        source: String,
        warnings: Vec<Text>,
        error: Option<InvalidProfile>,
        near_miss: Option<NearMiss>,
        /// Where the row's bytes end in `Done::bytes`.
        end: usize,
    },
}

impl<'r> Done<'r> {
    fn judge(
        chunk: Chunk,
        columns: &Columns,
        rulebook: &'r Rulebook,
        dates: DateChoice,
        renderer: Option<&RowRenderer<'_>>,
    ) -> Done<'r> {
        let mut done = Done {
            parts: Vec::with_capacity(chunk.len()),
            // Start near the size the rendered chunk will have.
            bytes: Vec::with_capacity(renderer.map_or(0, |r| chunk.len() * r.row_bytes())),
        };
        for row in chunk {
            let mut assessment = judge(row, columns, rulebook, dates);
            let part = match renderer {
                Some(renderer) => {
                    renderer.render(&assessment, &mut done.bytes);
                    Part::Rendered {
                        verdict: assessment.verdict,
                        near_miss: renderer
                            .near_miss_limit()
                            .and_then(|limit| NearMiss::of(&assessment, limit)),
                        source: std::mem::take(&mut assessment.source),
                        warnings: std::mem::take(&mut assessment.warnings),
                        error: assessment.error.take(),
                        end: done.bytes.len(),
                    }
                }
                None => Part::Assessment(assessment),
            };
            done.parts.push(part);
        }
        done
    }

    fn report(self, report: &mut impl FnMut(Judged<'r, '_>)) {
        let mut start = 0;
        for part in self.parts {
            match part {
                Part::Assessment(assessment) => report(Judged::Assessment(assessment)),
                Part::Rendered {
                    verdict,
                    source,
                    warnings,
                    error,
                    near_miss,
                    end,
                } => {
                    report(Judged::Rendered {
                        verdict,
                        source,
                        warnings,
                        error,
                        near_miss,
                        bytes: &self.bytes[start..end],
                    });
                    start = end;
                }
            }
        }
    }
}

/// Judges every row and calls `report` with each result, in input order; with a renderer, the
/// workers render the rows too. A reading error ends the rows and is reported in its place.
/// Returns how many data rows were read.
pub fn judge_in_order<'r>(
    rows: impl Iterator<Item = Result<RawRow, InvalidProfile>> + Send,
    columns: &Columns,
    rulebook: &'r Rulebook,
    dates: DateChoice,
    renderer: Option<RowRenderer<'_>>,
    mut report: impl FnMut(Judged<'r, '_>),
) -> usize {
    let workers = thread::available_parallelism().map_or(2, |n| n.get());
    let (raw_sender, raw_receiver) = sync_channel::<(usize, Chunk)>(QUEUE);
    let raw_receiver = Mutex::new(raw_receiver);
    let reported = &Reported::default();
    thread::scope(|scope| {
        let (done_sender, done_receiver) = sync_channel::<(usize, Done<'r>)>(QUEUE);
        let chunk_rows = renderer.map_or(CHUNK, |renderer| renderer.rows_per_chunk().min(CHUNK));
        let reader = scope.spawn(move || read_chunks(rows, chunk_rows, &raw_sender, reported));
        for _ in 0..workers {
            let done_sender = done_sender.clone();
            let (raw_receiver, renderer) = (&raw_receiver, renderer.as_ref());
            scope.spawn(move || {
                while let Some((sequence, chunk)) = next_chunk(raw_receiver) {
                    let judged = Done::judge(chunk, columns, rulebook, dates, renderer);
                    if done_sender.send((sequence, judged)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_sender);
        let mut waiting: BTreeMap<usize, Done<'r>> = BTreeMap::new();
        let mut next = 0;
        for (sequence, judged) in done_receiver {
            waiting.insert(sequence, judged);
            let before = next;
            while let Some(judged) = waiting.remove(&next) {
                judged.report(&mut report);
                next += 1;
            }
            if next != before {
                reported.advance(next);
            }
        }
        // Whatever happens, the reader is not left waiting.
        reported.advance(usize::MAX);
        reader.join().unwrap_or(0)
    })
}

/// Reads rows into numbered chunks; stops after a reading error. Returns the data rows read.
fn read_chunks(
    rows: impl Iterator<Item = Result<RawRow, InvalidProfile>>,
    chunk_rows: usize,
    sender: &std::sync::mpsc::SyncSender<(usize, Chunk)>,
    reported: &Reported,
) -> usize {
    let mut chunk: Chunk = Vec::with_capacity(chunk_rows);
    let (mut sequence, mut read) = (0, 0);
    for row in rows {
        let failed = row.is_err();
        read += usize::from(!failed);
        chunk.push(row);
        if chunk.len() == chunk_rows || failed {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(chunk_rows));
            if !reported.wait_for(sequence) || sender.send((sequence, full)).is_err() {
                return read;
            }
            sequence += 1;
        }
        if failed {
            return read;
        }
    }
    if !chunk.is_empty() {
        let _ = sender.send((sequence, chunk));
    }
    read
}

fn next_chunk(receiver: &Mutex<Receiver<(usize, Chunk)>>) -> Option<(usize, Chunk)> {
    receiver
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .recv()
        .ok()
}

fn judge<'r>(
    row: Result<RawRow, InvalidProfile>,
    columns: &Columns,
    rulebook: &'r Rulebook,
    dates: DateChoice,
) -> Assessment<'r> {
    let number = row.as_ref().map_or(0, |row| row.number);
    match row.and_then(|row| columns.profile(&row)) {
        Ok(profile) => {
            let mut assessment = crate::assess(&profile, rulebook, dates);
            // What only the whole sheet shows about the row (the same applicant twice).
            assessment.warnings.extend(columns.row_warnings(number));
            assessment
        }
        Err(error) => Assessment::invalid(error),
    }
}
