//! A batch run: inputs → parallel analysis → ordered, streamed output, and an account of every
//! input.
//!
//! Threads: one reader walks the inputs and streams the records of JSONL/CSV files; `--jobs`
//! workers read, decode, analyze and render one unit at a time; the calling thread writes the
//! results in input order as soon as the next one is ready. So output is byte-identical whatever
//! `--jobs` is, a reader of a pipe sees results while the run goes on, and nobody waits for a
//! whole batch. Units travel in small chunks ([`CHUNK_UNITS`] or [`CHUNK_BYTES`]; records from
//! stdin one by one, so a pipe gets answers line by line), which keeps the hand-offs between
//! threads cheap. Between reading and writing there are at most [`IN_FLIGHT`] chunks and
//! [`IN_FLIGHT_BYTES`] bytes (or a single larger unit): memory is bounded by the largest
//! document, not by the corpus. When writing fails (a full disk, or a reader of stdout that went
//! away), the workers stop and the run ends at once; the reader is left to end with the process,
//! as it may be waiting for stdin.
//!
//! Stopping (Ctrl-C sets [`Hooks::stop`]): no new input is read; the units already read are
//! finished and written, in order, so the outputs hold a whole prefix of the inputs. They are
//! then kept as `NAME.partial` (complete outputs of an earlier run stay as they were), `run.json`
//! says `"interrupted": true`, and `--resume` finishes the job.
//!
//! With `--out`, the run also writes `run.json` (see [`crate::runinfo`]) and the state that
//! `--resume` uses (see [`crate::resume`]).

use crate::export::{self, Context, Ending, Rendered, Writer};
use crate::ingest::{self, InputError, InputOptions, Raw, Units, WalkOptions};
use crate::resume::{Carried, DocStats, Previous, StateWriter};
use crate::{Pipeline, StageTimes};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Chunks between reading and writing, at most.
pub const IN_FLIGHT: usize = 16;
/// Units in a chunk, at most.
pub const CHUNK_UNITS: usize = 32;
/// A chunk ends once its units add up to this many bytes.
pub const CHUNK_BYTES: u64 = 1 << 20;
/// Bytes of input between reading and writing, at most (one larger unit may go alone).
pub const IN_FLIGHT_BYTES: u64 = 48 * 1024 * 1024;

/// What `entopic extract` was asked to do, checked.
#[derive(Debug, Clone)]
pub struct ExtractConfig {
    pub paths: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    /// One or more formats (several only with `out`).
    pub formats: Vec<export::Format>,
    pub export: export::Options,
    pub jobs: usize,
    pub walk: WalkOptions,
    pub input: InputOptions,
    /// Carry over the documents an earlier run into `out` finished, if unchanged.
    pub resume: bool,
    /// The command line, for `run.json`.
    pub arguments: Vec<String>,
    /// Path and XXH3-128 of each dictionary file, for `run.json` and `--resume`.
    pub dictionaries: Vec<(String, String)>,
}

impl ExtractConfig {
    /// A fingerprint of everything that shapes a document's output besides its content: when
    /// it changes, `--resume` carries nothing over.
    pub fn fingerprint(&self, pipeline: &Pipeline) -> String {
        let described = format!(
            "{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            env!("CARGO_PKG_VERSION"),
            self.formats,
            self.export,
            pipeline.settings(),
            self.input.id_field,
            self.input.text_field,
            self.input.stdin_format,
            self.walk.format,
            self.dictionaries,
        );
        fingerprint(described.as_bytes())
    }
}

impl ExtractConfig {
    /// What rendering and writing the outputs needs.
    pub fn context<'a>(&'a self, pipeline: &'a Pipeline) -> Context<'a> {
        Context {
            types: pipeline.types(),
            options: &self.export,
        }
    }
}

/// XXH3-128 of `bytes` in hex: how `run.json` and `--resume` name a dictionary, a model or a
/// configuration.
pub fn fingerprint(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Where a run is, for a progress display.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tick {
    pub files_total: u64,
    pub files_done: u64,
    pub bytes_total: u64,
    pub bytes_done: u64,
    pub documents: u64,
    pub failed: u64,
}

/// How the caller watches and steers a run.
pub struct Hooks<'a> {
    /// Set (by a Ctrl-C handler) to stop: no new input is read, what was read is finished.
    pub stop: &'static AtomicBool,
    /// Called by the writing thread after each unit, and once at the start.
    pub progress: &'a (dyn Fn(&Tick) + Sync),
}

/// Time spent per stage, summed over worker threads (so it can exceed the elapsed time).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading and decoding inputs (files, records, HTML text).
    pub ingest: Duration,
    pub analysis: StageTimes,
    /// Rendering records and rows.
    pub export: Duration,
    /// Writing output, by the writing thread.
    pub write: Duration,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    /// Bytes of the inputs that became documents (what MB/s is computed from).
    pub bytes: u64,
    /// Documents copied from an earlier run (`--resume`).
    pub carried: usize,
    /// Why nothing could be carried over, when `--resume` was asked for but not possible.
    pub resume_note: Option<String>,
    pub files_total: u64,
    pub files_done: u64,
    pub elapsed: Duration,
    pub timings: Timings,
    /// Inputs that produced no document (failed or skipped), in input order.
    pub errors: Vec<InputError>,
    pub mentions_by_type: BTreeMap<String, usize>,
    /// type → id → (name, mentions, documents).
    pub entities: HashMap<String, HashMap<String, (String, usize, usize)>>,
    /// tag → documents.
    pub topics: BTreeMap<String, usize>,
    pub written: Vec<PathBuf>,
    /// The reader of stdout went away (`| head`): the run stopped early, which is not an error.
    pub closed_pipe: bool,
    /// Stopped by [`Hooks::stop`] before all inputs were read.
    pub interrupted: bool,
    /// Document ids seen, to warn about duplicates.
    pub ids: ingest::SeenIds,
    /// The last input written, for "finished up to …".
    pub last_input: Option<String>,
}

impl Report {
    /// Inputs that failed (not counting files skipped on purpose).
    pub fn failed(&self) -> usize {
        self.errors.iter().filter(|e| !e.skipped).count()
    }

    fn add(&mut self, stats: &DocStats) {
        self.documents += 1;
        // Look up by reference first: allocate only the first time a name is seen.
        for e in &stats.table.entities {
            let (kind, id, name, n) = (&e.kind, &e.id, &e.name, &e.mentions);
            match self.mentions_by_type.get_mut(kind) {
                Some(total) => *total += n,
                None => {
                    self.mentions_by_type.insert(kind.clone(), *n);
                }
            }
            let ids = match self.entities.get_mut(kind) {
                Some(ids) => ids,
                None => self.entities.entry(kind.clone()).or_default(),
            };
            match ids.get_mut(id) {
                Some(slot) => {
                    slot.1 += n;
                    slot.2 += 1;
                }
                None => {
                    ids.insert(id.clone(), (name.clone(), *n, 1));
                }
            }
        }
        for tag in &stats.topics {
            match self.topics.get_mut(tag) {
                Some(n) => *n += 1,
                None => {
                    self.topics.insert(tag.clone(), 1);
                }
            }
        }
    }
}

/// A run that could not go on.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot write output")]
    Output(#[source] io::Error),
    #[error("cannot start {0} worker threads: {1}")]
    Threads(usize, String),
}

/// A chunk of units on its way from the reader to a worker.
struct Job {
    seq: u64,
    size: u64,
    /// (entry index, size, unit)
    units: Vec<(usize, u64, ingest::Unit)>,
}

/// A worker's answers for one chunk.
struct Answers {
    seq: u64,
    size: u64,
    done: Vec<Done>,
}

/// A worker's answer for one unit.
struct Done {
    entry: usize,
    size: u64,
    key: String,
    times: Timings,
    result: Result<Finished, InputError>,
}

struct Finished {
    hash: u128,
    carried: bool,
    rendered: Vec<Rendered>,
    stats: DocStats,
}

/// Bounds what is between reading and writing.
struct Gate {
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

    fn leave(&self, size: u64) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.0 -= 1;
        s.1 -= size;
        self.room.notify_one();
    }
}

/// Runs the pipeline over the configured inputs and writes the results.
pub fn extract(
    pipeline: &Pipeline,
    config: &ExtractConfig,
    hooks: &Hooks,
) -> Result<Report, RunError> {
    let started = Instant::now();
    if let Some(dir) = &config.out {
        std::fs::create_dir_all(dir).map_err(|e| {
            RunError::Output(io::Error::new(e.kind(), format!("{}: {e}", dir.display())))
        })?;
    }
    let ctx = config.context(pipeline);
    let mut writers = config
        .formats
        .iter()
        .map(|f| f.output().create(config.out.as_deref(), &ctx))
        .collect::<io::Result<Vec<Box<dyn Writer>>>>()
        .map_err(RunError::Output)?;
    let files: Vec<String> = config
        .formats
        .iter()
        .flat_map(|f| f.output().files())
        .map(|s| s.to_string())
        .collect();
    let fingerprint = config.fingerprint(pipeline);
    let mut report = Report::default();
    let rebuilt: Vec<&str> = config
        .formats
        .iter()
        .filter(|f| !f.output().carries())
        .map(|f| f.name())
        .collect();
    let previous = match (&config.out, config.resume) {
        (Some(_), true) if !rebuilt.is_empty() => {
            report.resume_note = Some(format!(
                "--format {} is rebuilt from every document",
                rebuilt.join(", ")
            ));
            None
        }
        (Some(dir), true) => match Previous::open(dir, &fingerprint, &files) {
            Ok(p) => Some(p),
            Err(why) => {
                report.resume_note = Some(why);
                None
            }
        },
        _ => None,
    };
    let mut state = match &config.out {
        Some(dir) => {
            Some(StateWriter::create(dir, &fingerprint, &files).map_err(RunError::Output)?)
        }
        None => None,
    };

    let entries = ingest::walk(&config.paths, &config.walk);
    let mut tick = Tick {
        files_total: entries.len() as u64,
        bytes_total: entries
            .iter()
            .map(|e| match e {
                ingest::Entry::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
                _ => 0,
            })
            .sum(),
        ..Tick::default()
    };
    report.files_total = tick.files_total;
    (hooks.progress)(&tick);

    let gate = Arc::new(Gate {
        state: Mutex::new((0, 0)),
        room: Condvar::new(),
    });
    // Set when writing failed or stdout closed: the reader and the workers stop.
    let abort = Arc::new(AtomicBool::new(false));
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(IN_FLIGHT);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Answers>();
    let mut write_error: Option<io::Error> = None;

    // The reader is not joined when the output failed: it may be waiting for a line on stdin
    // that never comes (`tail -f feed | entopic extract - | head`), and ends with the process.
    let reader = {
        let (gate, abort, stop) = (Arc::clone(&gate), Arc::clone(&abort), hooks.stop);
        let input = config.input.clone();
        std::thread::Builder::new()
            .name("entopic-reader".into())
            .spawn(move || {
                let mut units = Units::new(entries, input);
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
                    job_tx.send(job).is_ok()
                };
                loop {
                    if stop.load(Ordering::Relaxed) || abort.load(Ordering::Relaxed) {
                        return false;
                    }
                    let Some(unit) = units.next() else {
                        return chunk.is_empty() || send(&mut chunk, &mut chunk_size);
                    };
                    let size = ingest::unit_size(&unit);
                    let interactive = matches!(&unit, ingest::Unit::Record { source, .. } if source == ingest::STDIN);
                    chunk.push((units.entries_started().saturating_sub(1), size, unit));
                    chunk_size += size;
                    let full = chunk.len() >= CHUNK_UNITS || chunk_size >= CHUNK_BYTES;
                    if (full || interactive) && !send(&mut chunk, &mut chunk_size) {
                        return false;
                    }
                }
            })
            .map_err(|e| RunError::Threads(config.jobs, e.to_string()))?
    };

    std::thread::scope(|scope| {
        for n in 0..config.jobs {
            let done_tx = done_tx.clone();
            let (job_rx, previous, abort) = (&job_rx, previous.as_ref(), &abort);
            std::thread::Builder::new()
                .name(format!("entopic-worker-{n}"))
                .spawn_scoped(scope, move || loop {
                    if abort.load(Ordering::Relaxed) {
                        break;
                    }
                    // Waits in short steps, to notice an abort while the reader waits on stdin.
                    let job = job_rx
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
                        .map(|(entry, size, unit)| {
                            work(pipeline, config, previous, entry, size, unit)
                        })
                        .collect();
                    if done_tx.send(Answers { seq, size, done }).is_err() {
                        break;
                    }
                })
                .map_err(|e| RunError::Threads(config.jobs, e.to_string()))?;
        }
        drop(done_tx);

        // This thread writes, in input order.
        let mut pending: BTreeMap<u64, Answers> = BTreeMap::new();
        let mut next = 0;
        let mut segments = Vec::new();
        loop {
            let done = match done_rx.try_recv() {
                Ok(done) => done,
                Err(TryRecvError::Empty) => {
                    // Nothing else is ready: let a reader of the output see what there is.
                    if write_error.is_none() {
                        if let Err(e) = writers.iter_mut().try_for_each(|w| w.flush()) {
                            write_error = Some(e);
                            abort.store(true, Ordering::Relaxed);
                        }
                    }
                    match done_rx.recv() {
                        Ok(done) => done,
                        Err(_) => break,
                    }
                }
                Err(TryRecvError::Disconnected) => break,
            };
            pending.insert(done.seq, done);
            while let Some(answers) = pending.remove(&next) {
                next += 1;
                gate.leave(answers.size);
                for done in answers.done {
                    if write_error.is_some() {
                        break;
                    }
                    let clock = Instant::now();
                    let written = write_one(
                        done,
                        &mut writers,
                        &config.formats,
                        state.as_mut(),
                        &mut report,
                        &mut segments,
                        &mut tick,
                    );
                    report.timings.write += clock.elapsed();
                    if let Err(e) = written {
                        write_error = Some(e);
                        abort.store(true, Ordering::Relaxed);
                    }
                }
                (hooks.progress)(&tick);
            }
        }
        Ok::<(), RunError>(())
    })?;
    let read_all = match write_error {
        Some(_) => false,
        None => reader
            .join()
            .map_err(|_| RunError::Threads(config.jobs, "the reader stopped".into()))?,
    };

    report.files_done = if read_all {
        tick.files_total
    } else {
        tick.files_done
    };
    match write_error {
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            report.closed_pipe = true;
            report.elapsed = started.elapsed();
            return Ok(report);
        }
        Some(e) => return Err(RunError::Output(e)),
        None => {}
    }
    report.interrupted = !read_all;
    let ending = if report.interrupted {
        Ending::Interrupted
    } else {
        Ending::Complete
    };
    for writer in writers {
        match writer.finish(ending) {
            Ok(written) => report.written.extend(written),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => report.closed_pipe = true,
            Err(e) => return Err(RunError::Output(e)),
        }
    }
    if let Some(dir) = &config.out {
        let errors = export::write_errors(dir, &report.errors, &config.export, ending)
            .map_err(RunError::Output)?;
        report.written.push(errors);
        let written_as: Vec<String> = files.iter().map(|f| ending.file_name(f)).collect();
        let lengths = written_as
            .iter()
            .map(|f| std::fs::metadata(dir.join(f)).map_or(0, |m| m.len()))
            .collect();
        if let Some(state) = state {
            state
                .finish(written_as, lengths)
                .map_err(RunError::Output)?;
        }
        if ending == Ending::Complete {
            remove_stale_partials(dir, &config.formats);
        }
        report.elapsed = started.elapsed();
        let info = crate::runinfo::write(dir, config, &report, ending).map_err(RunError::Output)?;
        report.written.push(info);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Reads, analyzes and renders one unit (on a worker thread). A panic while doing so fails
/// this input only.
fn work(
    pipeline: &Pipeline,
    config: &ExtractConfig,
    previous: Option<&Previous>,
    entry: usize,
    size: u64,
    unit: ingest::Unit,
) -> Done {
    let key = unit.key();
    let mut times = Timings::default();
    let fallback = InputError {
        path: key.clone(),
        line: None,
        stage: "analyze",
        reason: String::new(),
        skipped: false,
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process(pipeline, config, previous, unit, &key, &mut times)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(InputError {
            reason: format!("internal error, please report: {what}"),
            ..fallback
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
    pipeline: &Pipeline,
    config: &ExtractConfig,
    previous: Option<&Previous>,
    unit: ingest::Unit,
    key: &str,
    times: &mut Timings,
) -> Result<Finished, InputError> {
    let clock = Instant::now();
    let raw: Raw = ingest::read(unit, &config.input)?;
    let hash = raw.content_hash();
    if let Some(Carried { parts, stats, kept }) = previous.and_then(|p| p.carried(key, hash)) {
        let mut parts = parts.into_iter();
        let rendered: Option<Vec<Rendered>> = config
            .formats
            .iter()
            .map(|f| {
                let n = f.output().files().len();
                let taken = parts.by_ref().take(n).collect();
                f.output().carry(taken, kept.get(f.name()).map(|k| &**k))
            })
            .collect();
        if let Some(rendered) = rendered {
            times.ingest += clock.elapsed();
            return Ok(Finished {
                hash,
                carried: true,
                rendered,
                stats,
            });
        }
    }
    let doc = ingest::parse(raw, &config.input)?;
    times.ingest += clock.elapsed();
    let analysis = pipeline.analyze_timed(&doc, &mut times.analysis);
    let clock = Instant::now();
    let ctx = config.context(pipeline);
    let rendered: Vec<Rendered> = config
        .formats
        .iter()
        .map(|f| f.output().render(&ctx, &doc, &analysis))
        .collect();
    // The pairs of entities sharing a sentence cost a segmentation: only for formats that use them.
    let segmented = config
        .formats
        .iter()
        .any(|f| f.output().counts_pairs())
        .then(|| crate::segment::segment(&doc.text, &analysis.mentions));
    let table = export::DocStats::new(&doc, &analysis, segmented.as_ref());
    let stats = DocStats {
        table,
        topics: analysis.topics.iter().map(|t| t.tag.clone()).collect(),
    };
    times.export += clock.elapsed();
    Ok(Finished {
        hash,
        carried: false,
        rendered,
        stats,
    })
}

/// Writes one finished unit, in order, and accounts for it.
fn write_one(
    done: Done,
    writers: &mut [Box<dyn Writer>],
    formats: &[export::Format],
    state: Option<&mut StateWriter>,
    report: &mut Report,
    segments: &mut Vec<(u64, u64)>,
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
            segments.clear();
            for (writer, rendered) in writers.iter_mut().zip(&finished.rendered) {
                writer.write(rendered, &finished.stats.table, segments)?;
            }
            if let Some(state) = state {
                let kept = formats
                    .iter()
                    .zip(&finished.rendered)
                    .filter_map(|(f, r)| Some((f.name(), &**r.kept.as_ref()?)))
                    .collect();
                state.document(&done.key, finished.hash, segments, &finished.stats, kept)?;
            }
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

/// Removes the `.partial` outputs an earlier interrupted run left, once a run completed.
fn remove_stale_partials(dir: &Path, formats: &[export::Format]) {
    let outputs = formats.iter().flat_map(|f| f.output().outputs());
    for name in outputs.chain(&["errors.csv"]) {
        let path = dir.join(Ending::Interrupted.file_name(name));
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(path);
        } else if path.is_file() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The one-screen summary printed after a run.
pub fn summary(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let secs = report.elapsed.as_secs_f64().max(1e-9);
    let mb = report.bytes as f64 / 1e6;
    let total: usize = report.mentions_by_type.values().sum();
    let per_type: Vec<String> = report
        .mentions_by_type
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    if per_type.is_empty() {
        let _ = writeln!(s, "mentions: {total}");
    } else {
        let _ = writeln!(s, "mentions: {total} ({})", per_type.join(", "));
    }
    for kind in report.mentions_by_type.keys() {
        let mut top: Vec<(&String, &(String, usize, usize))> = report
            .entities
            .get(kind)
            .map(|ids| ids.iter().collect())
            .unwrap_or_default();
        top.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = top
            .iter()
            .take(6)
            .map(|(_, (name, n, docs))| format!("{name} {n}/{docs}d"))
            .collect();
        let _ = writeln!(s, "  top {kind}: {}", shown.join(", "));
    }
    let mut topics: Vec<(&String, &usize)> = report.topics.iter().collect();
    topics.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = topics
        .iter()
        .take(8)
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    let _ = writeln!(
        s,
        "topics (documents): {}",
        if shown.is_empty() {
            "none".into()
        } else {
            shown.join(", ")
        }
    );
    for path in &report.written {
        let _ = writeln!(s, "wrote {}", path.display());
    }
    if let Some(peak) = peak_memory_mb() {
        let _ = writeln!(s, "peak memory {peak:.0} MB");
    }
    let carried = if report.carried > 0 {
        format!(" ({} carried over from the earlier run)", report.carried)
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "entopic: {}{carried} from {} of {}, {:.2} MB in {:.2} s ({:.1} MB/s); \
         {} failed, {} skipped{}",
        count(report.documents as u64, "document"),
        report.files_done,
        count(report.files_total, "input"),
        mb,
        secs,
        mb / secs,
        report.failed(),
        report.errors.len() - report.failed(),
        if report.interrupted {
            "; INTERRUPTED"
        } else {
            ""
        }
    );
    s
}

/// "1 document", "2 documents".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Peak resident memory of this process in MB (Linux `VmHWM`); `None` where unknown.
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
