//! The reader and the worker pool: inputs → analyzed, rendered documents, in chunks tagged
//! with their place in the input order.
//!
//! One reader thread walks the entries and streams the records of JSONL/CSV files into chunks;
//! `--jobs` workers read, decode, analyze and render one unit at a time. The [`Gate`] bounds what
//! is between reading and writing ([`IN_FLIGHT`] chunks, [`IN_FLIGHT_BYTES`] bytes, or a single
//! larger unit). A panic while processing one unit fails that unit only (it becomes an error
//! row). The reader is not a scoped thread: it may wait on stdin for a line that never comes, and
//! is left to end with the process when the output failed.

use super::{ExtractConfig, Timings, CHUNK_BYTES, CHUNK_UNITS, IN_FLIGHT, IN_FLIGHT_BYTES};
use crate::export::{self, Rendered};
use crate::ingest::{self, InputError, Raw, Units};
use crate::resume::{Carried, DocStats, Previous};
use crate::Pipeline;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{JoinHandle, Scope};
use std::time::{Duration, Instant};

/// A chunk of units on its way from the reader to a worker.
struct Job {
    seq: u64,
    size: u64,
    /// (entry index, size, unit)
    units: Vec<(usize, u64, ingest::Unit)>,
}

/// A worker's answers for one chunk.
pub(super) struct Answers {
    pub seq: u64,
    pub size: u64,
    pub done: Vec<Done>,
}

/// A worker's answer for one unit.
pub(super) struct Done {
    pub entry: usize,
    pub size: u64,
    pub key: String,
    pub times: Timings,
    pub result: Result<Finished, InputError>,
}

/// One document, analyzed (or carried over) and rendered in every output format.
pub(super) struct Finished {
    pub hash: u128,
    pub carried: bool,
    pub rendered: Vec<Rendered>,
    pub stats: DocStats,
    /// `stats` as the `--resume` state stores them ([`DocStats::to_json`]); empty when the run
    /// writes no state (no `--out`).
    pub stats_json: Vec<u8>,
}

impl Finished {
    fn new(
        config: &ExtractConfig,
        hash: u128,
        carried: bool,
        rendered: Vec<Rendered>,
        stats: DocStats,
    ) -> Finished {
        let stats_json = match config.out {
            Some(_) => stats.to_json(),
            None => Vec::new(),
        };
        Finished {
            hash,
            carried,
            rendered,
            stats,
            stats_json,
        }
    }
}

/// Bounds what is between reading and writing.
pub(super) struct Gate {
    state: Mutex<(usize, u64)>,
    room: Condvar,
}

impl Gate {
    fn enter(&self, size: u64) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while s.0 >= IN_FLIGHT || (s.0 > 0 && s.1 + size > IN_FLIGHT_BYTES) {
            s = self.room.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        s.0 += 1;
        s.1 += size;
    }

    /// A chunk of `size` bytes was written.
    pub fn leave(&self, size: u64) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.0 -= 1;
        s.1 -= size;
        self.room.notify_one();
    }
}

/// The running reader and workers, as the writer sees them.
pub(super) struct Feed {
    pub answers: Receiver<Answers>,
    pub gate: Arc<Gate>,
    /// Set when writing failed or stdout closed: the reader and the workers stop.
    pub abort: Arc<AtomicBool>,
    /// Ends with `true` when every input was read (not stopped).
    pub reader: JoinHandle<bool>,
}

/// What the workers share.
#[derive(Clone, Copy)]
pub(super) struct Work<'a> {
    pub pipeline: &'a Pipeline,
    pub config: &'a ExtractConfig,
    pub previous: Option<&'a Previous>,
}

/// Starts the reader over `entries` and the workers (in `scope`).
pub(super) fn start<'scope, 'env: 'scope>(
    scope: &'scope Scope<'scope, 'env>,
    work: Work<'env>,
    entries: Vec<ingest::Entry>,
    stop: &'static AtomicBool,
) -> std::io::Result<Feed> {
    let gate = Arc::new(Gate {
        state: Mutex::new((0, 0)),
        room: Condvar::new(),
    });
    let abort = Arc::new(AtomicBool::new(false));
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(IN_FLIGHT);
    let reader = {
        let (gate, abort) = (Arc::clone(&gate), Arc::clone(&abort));
        let input = work.config.input.clone();
        std::thread::Builder::new()
            .name("entopic-reader".into())
            .spawn(move || read(Units::new(entries, input), &gate, &job_tx, &abort, stop))?
    };
    let (done_tx, answers) = mpsc::channel::<Answers>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    for n in 0..work.config.jobs {
        let (done_tx, job_rx, stopped) = (done_tx.clone(), Arc::clone(&job_rx), Arc::clone(&abort));
        let spawned = std::thread::Builder::new()
            .name(format!("entopic-worker-{n}"))
            .spawn_scoped(scope, move || serve(work, &job_rx, &done_tx, &stopped));
        if let Err(e) = spawned {
            // The workers already started stop at once.
            abort.store(true, Ordering::Relaxed);
            return Err(e);
        }
    }
    Ok(Feed {
        answers,
        gate,
        abort,
        reader,
    })
}

/// The reader: units into chunks, until the inputs end or a stop. `true` if all were read.
fn read(
    mut units: Units,
    gate: &Gate,
    jobs: &mpsc::SyncSender<Job>,
    abort: &AtomicBool,
    stop: &AtomicBool,
) -> bool {
    let mut seq = 0;
    let mut chunk: Vec<(usize, u64, ingest::Unit)> = Vec::new();
    let mut chunk_size = 0;
    let mut send = |chunk: &mut Vec<_>, size: &mut u64| {
        gate.enter(*size);
        let job = Job {
            seq,
            size: *size,
            units: std::mem::take(chunk),
        };
        seq += 1;
        *size = 0;
        jobs.send(job).is_ok()
    };
    loop {
        if stop.load(Ordering::Relaxed) || abort.load(Ordering::Relaxed) {
            return false;
        }
        let Some(unit) = units.next() else {
            return chunk.is_empty() || send(&mut chunk, &mut chunk_size);
        };
        let size = ingest::unit_size(&unit);
        let interactive =
            matches!(&unit, ingest::Unit::Record { source, .. } if source == ingest::STDIN);
        chunk.push((units.entries_started().saturating_sub(1), size, unit));
        chunk_size += size;
        let full = chunk.len() >= CHUNK_UNITS || chunk_size >= CHUNK_BYTES;
        if (full || interactive) && !send(&mut chunk, &mut chunk_size) {
            return false;
        }
    }
}

/// A worker: chunks in, answers out, until the reader ends or the run aborts.
fn serve(
    work: Work,
    jobs: &Mutex<Receiver<Job>>,
    answers: &mpsc::Sender<Answers>,
    abort: &AtomicBool,
) {
    while !abort.load(Ordering::Relaxed) {
        // Waits in short steps, to notice an abort while the reader waits on stdin.
        let job = jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .recv_timeout(Duration::from_millis(50));
        let Job { seq, size, units } = match job {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let done = units
            .into_iter()
            .map(|(entry, size, unit)| one(work, entry, size, unit))
            .collect();
        if answers.send(Answers { seq, size, done }).is_err() {
            break;
        }
    }
}

/// Reads, analyzes and renders one unit. A panic while doing so fails this input only.
fn one(work: Work, entry: usize, size: u64, unit: ingest::Unit) -> Done {
    let key = unit.key();
    let mut times = Timings::default();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process(work, unit, &key, &mut times)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(InputError {
            path: key.clone(),
            line: None,
            stage: "analyze",
            reason: format!("internal error, please report: {what}"),
            skipped: false,
        })
    });
    Done {
        entry,
        size,
        key,
        times,
        result,
    }
}

fn process(
    work: Work,
    unit: ingest::Unit,
    key: &str,
    times: &mut Timings,
) -> Result<Finished, InputError> {
    let config = work.config;
    let clock = Instant::now();
    let raw: Raw = ingest::read(unit, &config.input)?;
    let hash = raw.content_hash();
    if let Some(rendered) = work
        .previous
        .and_then(|p| carry(config, p.carried(key, hash)?))
    {
        times.ingest += clock.elapsed();
        return Ok(Finished::new(config, hash, true, rendered.0, rendered.1));
    }
    let doc = ingest::parse(raw, &config.input)?;
    times.ingest += clock.elapsed();
    let analysis = work.pipeline.analyze_timed(&doc, &mut times.analysis);
    let clock = Instant::now();
    let ctx = config.context(work.pipeline);
    let rendered: Vec<Rendered> = config
        .formats
        .iter()
        .map(|f| f.output().render(&ctx, &doc, &analysis))
        .collect();
    // The pairs of entities sharing a sentence cost a segmentation: only for formats that use them.
    let sentences = config
        .formats
        .iter()
        .any(|f| f.output().counts_pairs())
        .then(|| crate::segment::mention_sentences(&doc.text, &analysis.mentions));
    let table = export::DocStats::new(&doc, &analysis, sentences.as_deref());
    let stats = DocStats {
        table,
        topics: analysis.topics.iter().map(|t| t.tag.clone()).collect(),
    };
    times.export += clock.elapsed();
    Ok(Finished::new(config, hash, false, rendered, stats))
}

/// A carried-over document's output, split back into each format's parts.
fn carry(config: &ExtractConfig, carried: Carried) -> Option<(Vec<Rendered>, DocStats)> {
    let Carried { parts, stats } = carried;
    let mut parts = parts.into_iter();
    let rendered = config
        .formats
        .iter()
        .map(|f| {
            let n = f.output().files().len();
            f.output().carry(parts.by_ref().take(n).collect())
        })
        .collect::<Option<Vec<Rendered>>>()?;
    Some((rendered, stats))
}
