//! The ordered writer: the workers' answers, which come in any order, written in input order as
//! soon as the next one is ready, on the calling thread.

use super::outputs::Outputs;
use super::pool::{Done, Feed};
use super::{Report, Tick};
use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::mpsc::TryRecvError;
use std::time::Instant;

/// Writes every answer in order until the workers end; returns the write error that stopped
/// the run, if one did (the reader and workers are told to stop then).
pub(super) fn drain(
    feed: &Feed,
    outputs: &mut Outputs,
    report: &mut Report,
    tick: &mut Tick,
    progress: &(dyn Fn(&Tick) + Sync),
) -> Option<io::Error> {
    let mut pending = BTreeMap::new();
    let mut next = 0;
    let mut error: Option<io::Error> = None;
    let fail = |e: io::Error, error: &mut Option<io::Error>| {
        *error = Some(e);
        feed.abort.store(true, Ordering::Relaxed);
    };
    loop {
        let answers = match feed.answers.try_recv() {
            Ok(answers) => answers,
            Err(TryRecvError::Empty) => {
                // Nothing else is ready: let a reader of the output see what there is.
                if error.is_none() {
                    if let Err(e) = outputs.flush() {
                        fail(e, &mut error);
                    }
                }
                match feed.answers.recv() {
                    Ok(answers) => answers,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        pending.insert(answers.seq, answers);
        while let Some(answers) = pending.remove(&next) {
            next += 1;
            feed.gate.leave(answers.size);
            for done in answers.done {
                if error.is_some() {
                    break;
                }
                let clock = Instant::now();
                let written = write_one(done, outputs, report, tick);
                report.timings.write += clock.elapsed();
                if let Err(e) = written {
                    fail(e, &mut error);
                }
            }
            progress(tick);
        }
    }
    error
}

/// Writes one finished unit, in order, and accounts for it.
fn write_one(
    done: Done,
    outputs: &mut Outputs,
    report: &mut Report,
    tick: &mut Tick,
) -> io::Result<()> {
    let t = &mut report.timings;
    t.ingest += done.times.ingest;
    t.analysis += done.times.analysis;
    t.export += done.times.export;
    tick.files_done = done.entry as u64;
    tick.bytes_done += done.size;
    match done.result {
        Ok(finished) => {
            outputs.write(&done.key, &finished)?;
            if let Some(warning) = report.ids.check(&finished.stats.table.doc_id, &done.key) {
                eprintln!("{warning}");
            }
            report.add(&finished.stats);
            report.bytes += done.size;
            report.carried += usize::from(finished.carried);
            tick.documents += 1;
        }
        Err(e) => {
            tick.failed += u64::from(!e.skipped);
            report.errors.push(e);
        }
    }
    report.last_input = Some(done.key);
    Ok(())
}
