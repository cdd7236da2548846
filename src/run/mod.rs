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
//! `--resume` uses (see [`crate::resume`]), all into a staging folder committed as one set when
//! the run ends (see [`crate::outdir`]).
//!
//! Parts: `pool` (the reader and the workers), `writer` (the ordered writer), `outputs`
//! (the set of outputs of a run); this module ties them together and keeps the account.

mod outputs;
mod pool;
mod writer;

use crate::export::{self, Aggregates, Context, Ending};
use crate::ingest::{self, InputError, InputOptions, WalkOptions};
use crate::resume::{DocStats, Shape};
use crate::{Pipeline, StageTimes};
use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
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
    /// What rendering and writing the outputs needs.
    pub fn context<'a>(&'a self, pipeline: &'a Pipeline) -> Context<'a> {
        Context {
            types: pipeline.types(),
            options: &self.export,
        }
    }

    /// Everything that shapes a document's output besides its content: when it changes,
    /// `--resume` carries nothing over (and says what changed).
    pub fn shape(&self, pipeline: &Pipeline) -> Shape {
        let settings = pipeline.settings();
        let options = [
            ("--format", format!("{:?}", self.formats)),
            ("--excel", self.export.bom.to_string()),
            ("--csv-dialect", format!("{:?}", self.export.dialect)),
            ("--meta-columns", format!("{:?}", self.export.meta_columns)),
            ("--topic-threshold", settings.topic_threshold.to_string()),
            ("--top", format!("{:?}", settings.top_topics)),
            ("--date", format!("{:?}", settings.default_date)),
            ("--all-candidates", settings.all_candidates.to_string()),
            (
                "--no-default-topics",
                (!settings.default_topics).to_string(),
            ),
            ("--id-field", self.input.id_field.clone()),
            ("--text-field", self.input.text_field.clone()),
            ("--title-in-text", self.input.title_in_text.to_string()),
            (
                "--input-format",
                format!("{:?} {:?}", self.input.stdin_format, self.walk.format),
            ),
        ];
        Shape {
            version: env!("CARGO_PKG_VERSION").to_string(),
            dictionaries: self.dictionaries.clone(),
            options: options
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
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

impl Tick {
    /// The start of a run over `entries`: their number and bytes.
    fn of(entries: &[ingest::Entry]) -> Tick {
        let size = |e: &ingest::Entry| match e {
            ingest::Entry::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
            _ => 0,
        };
        Tick {
            files_total: entries.len() as u64,
            bytes_total: entries.iter().map(size).sum(),
            ..Tick::default()
        }
    }
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
    /// The corpus totals: entities, their mentions and documents, and pairs of them. The one
    /// fold of the run, used by the summary, run.json and every writer's corpus tables.
    pub corpus: Aggregates,
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
    /// Files of the earlier run in `--out` that were changed by hand, kept under another name:
    /// (name, new name).
    pub set_aside: Vec<(String, String)>,
}

impl Report {
    /// Inputs that failed (not counting files skipped on purpose).
    pub fn failed(&self) -> usize {
        self.errors.iter().filter(|e| !e.skipped).count()
    }

    fn add(&mut self, stats: &DocStats) {
        self.documents += 1;
        self.corpus.add(&stats.table);
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
    /// Another run holds the output folder.
    #[error("{0}")]
    Busy(String),
}

/// Runs the pipeline over the configured inputs and writes the results.
pub fn extract(
    pipeline: &Pipeline,
    config: &ExtractConfig,
    hooks: &Hooks,
) -> Result<Report, RunError> {
    let started = Instant::now();
    let mut report = Report::default();
    let mut outputs = outputs::Outputs::create(pipeline, config)?;
    let previous = match config.resume {
        true => outputs
            .previous(config, &config.shape(pipeline))
            .map_err(|why| report.resume_note = Some(why))
            .ok(),
        false => None,
    };
    // The output folder is never input (it is created by now, so it can be recognized).
    let walk = WalkOptions {
        output: config.out.clone(),
        ..config.walk.clone()
    };
    let entries = ingest::walk(&config.paths, &walk);
    let mut tick = Tick::of(&entries);
    report.files_total = tick.files_total;
    (hooks.progress)(&tick);

    let work = pool::Work {
        pipeline,
        config,
        previous: previous.as_ref(),
    };
    let threads = |e: io::Error| RunError::Threads(config.jobs, e.to_string());
    let (write_error, reader) = std::thread::scope(|scope| {
        let feed = pool::start(scope, work, entries, hooks.stop).map_err(threads)?;
        let error = writer::drain(&feed, &mut outputs, &mut report, &mut tick, hooks.progress);
        Ok::<_, RunError>((error, feed.reader))
    })?;
    // The reader is not joined when the output failed: it may be waiting for a line on stdin
    // that never comes (`tail -f feed | entopic extract - | head`), and ends with the process.
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
    let ending = match report.interrupted {
        true => Ending::Interrupted,
        false => Ending::Complete,
    };
    report.elapsed = started.elapsed();
    outputs.finish(config, &mut report, ending)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// What `run.json` records of a run.
fn run_record<'a>(
    config: &'a ExtractConfig,
    report: &'a Report,
    ending: Ending,
) -> crate::runinfo::Record<'a> {
    let t = &report.timings;
    crate::runinfo::Record {
        arguments: &config.arguments,
        dictionaries: &config.dictionaries,
        complete: ending == Ending::Complete,
        interrupted: report.interrupted,
        files: report.files_total,
        files_done: report.files_done,
        paths: &config.paths,
        bytes: report.bytes,
        documents: report.documents,
        carried_over: report.carried,
        resume_note: report.resume_note.as_deref(),
        mentions: report.corpus.mentions_by_type(),
        topics: &report.topics,
        failed: report.failed(),
        skipped: report.errors.len() - report.failed(),
        seconds: vec![
            ("total", report.elapsed),
            ("ingest", t.ingest),
            ("normalize", t.analysis.normalize),
            ("tag", t.analysis.tag),
            ("classify", t.analysis.classify),
            ("export", t.export),
            ("write", t.write),
        ],
        outputs: report
            .written
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect(),
    }
}

/// The one-screen summary printed after a run.
pub fn summary(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let secs = report.elapsed.as_secs_f64().max(1e-9);
    let mb = report.bytes as f64 / 1e6;
    let by_type = report.corpus.mentions_by_type();
    let total: usize = by_type.values().sum();
    let per_type: Vec<String> = by_type.iter().map(|(t, n)| format!("{t} {n}")).collect();
    if per_type.is_empty() {
        let _ = writeln!(s, "mentions: {total}");
    } else {
        let _ = writeln!(s, "mentions: {total} ({})", per_type.join(", "));
    }
    for kind in by_type.keys() {
        let shown: Vec<String> = report
            .corpus
            .most_mentioned(kind, 6)
            .map(|(name, n, docs)| format!("{name} {n}/{docs}d"))
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

pub use crate::runinfo::peak_memory_mb;
