//! Judging a sheet on every core: one thread reads rows ahead in chunks, workers type and judge
//! the chunks, and the caller reports the results in input order as they complete.
//!
//! The queues between the stages are bounded, so memory stays flat however long the sheet is:
//! at most `QUEUE` chunks wait on either side of the workers, and the reorder buffer holds only
//! chunks that finished ahead of a slower one.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Mutex;
use std::thread;

use crate::engine::Assessment;
use crate::normalise::DateChoice;
use crate::profile::sheet::{Columns, RawRow};
use crate::profile::InvalidProfile;
use crate::rules::Rulebook;

/// Rows judged together: enough to amortise the hand-offs, small enough to stay in cache.
const CHUNK: usize = 128;
/// Chunks that may wait between two stages.
const QUEUE: usize = 2;

type Chunk = Vec<Result<RawRow, InvalidProfile>>;

/// Judges every row and calls `report` with each result, in input order. A reading error ends
/// the rows and is reported in its place. Returns how many data rows were read.
pub fn judge_in_order<'r>(
    rows: impl Iterator<Item = Result<RawRow, InvalidProfile>> + Send,
    columns: &Columns,
    rulebook: &'r Rulebook,
    dates: DateChoice,
    mut report: impl FnMut(Assessment<'r>),
) -> usize {
    let workers = thread::available_parallelism().map_or(2, |n| n.get());
    let (raw_sender, raw_receiver) = sync_channel::<(usize, Chunk)>(QUEUE);
    let raw_receiver = Mutex::new(raw_receiver);
    thread::scope(|scope| {
        let (done_sender, done_receiver) = sync_channel::<(usize, Vec<Assessment<'r>>)>(QUEUE);
        let reader = scope.spawn(move || read_chunks(rows, &raw_sender));
        for _ in 0..workers {
            let done_sender = done_sender.clone();
            let raw_receiver = &raw_receiver;
            scope.spawn(move || {
                while let Some((sequence, chunk)) = next_chunk(raw_receiver) {
                    let judged = chunk
                        .into_iter()
                        .map(|row| judge(row, columns, rulebook, dates))
                        .collect();
                    if done_sender.send((sequence, judged)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_sender);
        let mut waiting: BTreeMap<usize, Vec<Assessment<'r>>> = BTreeMap::new();
        let mut next = 0;
        for (sequence, judged) in done_receiver {
            waiting.insert(sequence, judged);
            while let Some(judged) = waiting.remove(&next) {
                judged.into_iter().for_each(&mut report);
                next += 1;
            }
        }
        reader.join().unwrap_or(0)
    })
}

/// Reads rows into numbered chunks; stops after a reading error. Returns the data rows read.
fn read_chunks(
    rows: impl Iterator<Item = Result<RawRow, InvalidProfile>>,
    sender: &std::sync::mpsc::SyncSender<(usize, Chunk)>,
) -> usize {
    let mut chunk: Chunk = Vec::with_capacity(CHUNK);
    let (mut sequence, mut read) = (0, 0);
    for row in rows {
        let failed = row.is_err();
        read += usize::from(!failed);
        chunk.push(row);
        if chunk.len() == CHUNK || failed {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
            if sender.send((sequence, full)).is_err() {
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
    match row.and_then(|row| columns.profile(&row)) {
        Ok(profile) => crate::assess(&profile, rulebook, dates),
        Err(error) => Assessment::invalid(error),
    }
}
