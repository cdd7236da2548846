//! A batch run: inputs → parallel analysis → ordered, streamed output, and an account of every
//! input.
//!
//! Units are read in input order by a reader thread, analyzed in parallel in bounded batches, and
//! written in the same order as they were read, so output is byte-identical whatever `--jobs` is,
//! and memory is bounded by the batch, not the corpus. A batch takes what the reader has ready
//! (waiting only for its first unit), and is flushed as soon as it is written: in streaming mode
//! (`extract -` under Hadoop Streaming or Spark's `RDD.pipe`) each input line is answered as soon
//! as it arrives, without waiting for a full batch or for the end of stdin.

use crate::document::Analysis;
use crate::export::{self, Exporter, Rendered};
use crate::ingest::{self, InputError, InputOptions, Unit, Units, WalkOptions};
use crate::Pipeline;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Units analyzed together; output order is restored within and across batches.
const BATCH_UNITS: usize = 256;
/// A batch also ends once its inputs add up to this many bytes.
const BATCH_BYTES: u64 = 32 * 1024 * 1024;

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
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Inputs that produced no document (failed or skipped), in input order.
    pub errors: Vec<InputError>,
    pub mentions_by_type: BTreeMap<String, usize>,
    /// (type, id) → (name, mentions, documents).
    pub entities: HashMap<(String, String), (String, usize, usize)>,
    /// tag → documents.
    pub topics: BTreeMap<String, usize>,
    pub written: Vec<PathBuf>,
    /// The reader of stdout went away (`| head`): the run stopped early, which is not an error.
    pub closed_pipe: bool,
}

impl Report {
    /// Inputs that failed (not counting files skipped on purpose).
    pub fn failed(&self) -> usize {
        self.errors.iter().filter(|e| !e.skipped).count()
    }

    fn add(&mut self, analysis: &Analysis) {
        self.documents += 1;
        let mut seen: HashMap<(&str, &str), ()> = HashMap::new();
        for m in &analysis.mentions {
            *self
                .mentions_by_type
                .entry(m.entity.kind.clone())
                .or_default() += 1;
            let key = (m.entity.kind.clone(), m.entity.id.clone());
            let first = seen.insert((&m.entity.kind, &m.entity.id), ()).is_none();
            let slot = self
                .entities
                .entry(key)
                .or_insert_with(|| (m.entity.name.clone(), 0, 0));
            slot.1 += 1;
            if first {
                slot.2 += 1;
            }
        }
        for t in &analysis.topics {
            *self.topics.entry(t.tag.clone()).or_default() += 1;
        }
    }
}

/// A run that could not go on.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot write output: {0}")]
    Output(#[source] io::Error),
    #[error("cannot start {0} worker threads: {1}")]
    Threads(usize, String),
}

/// Runs the pipeline over the configured inputs and writes the results.
pub fn extract(pipeline: &Pipeline, config: &ExtractConfig) -> Result<Report, RunError> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build()
        .map_err(|e| RunError::Threads(config.jobs, e.to_string()))?;
    if let Some(dir) = &config.out {
        std::fs::create_dir_all(dir).map_err(|e| {
            RunError::Output(io::Error::new(e.kind(), format!("{}: {e}", dir.display())))
        })?;
    }
    let mut exporters = config
        .formats
        .iter()
        .map(|&f| Exporter::create(f, config.out.as_deref(), pipeline.types(), &config.export))
        .collect::<io::Result<Vec<Exporter>>>()
        .map_err(RunError::Output)?;
    let mut report = Report::default();
    let entries = ingest::walk(&config.paths, &config.walk);
    let units = Units::new(entries, config.input.clone());
    // The reader thread keeps at most one batch of units ahead. It is joined only when it has
    // finished: when the run stops early (closed stdout) it may be blocked reading stdin, and
    // ends with the process.
    let (sender, receiver) = mpsc::sync_channel::<(Unit, u64)>(BATCH_UNITS);
    let reader = std::thread::spawn(move || {
        for unit in units {
            let size = ingest::unit_size(&unit);
            if sender.send((unit, size)).is_err() {
                break;
            }
        }
    });

    while let Ok(first) = receiver.recv() {
        let mut bytes = first.1;
        let mut batch = vec![first];
        while batch.len() < BATCH_UNITS && bytes < BATCH_BYTES {
            let Ok(next) = receiver.try_recv() else { break };
            bytes += next.1;
            batch.push(next);
        }
        report.bytes += bytes;
        // Workers load, analyze and render; this thread only writes, in input order.
        let results: Vec<Result<(Analysis, Vec<Rendered>), InputError>> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|(unit, _)| {
                    let doc = ingest::load(unit, &config.input)?;
                    let analysis = pipeline.analyze(&doc);
                    let rendered = config
                        .formats
                        .iter()
                        .map(|&f| export::render(f, pipeline.types(), &doc, &analysis))
                        .collect();
                    Ok((analysis, rendered))
                })
                .collect()
        });
        let written = results.into_iter().try_for_each(|result| match result {
            Ok((analysis, rendered)) => {
                report.add(&analysis);
                exporters
                    .iter_mut()
                    .zip(&rendered)
                    .try_for_each(|(x, r)| x.write(r))
            }
            Err(e) => {
                report.errors.push(e);
                Ok(())
            }
        });
        match written.and_then(|_| exporters.iter_mut().try_for_each(Exporter::flush)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                report.closed_pipe = true;
                report.elapsed = started.elapsed();
                return Ok(report);
            }
            Err(e) => return Err(RunError::Output(e)),
        }
    }
    // The channel is closed: the reader is done. Had it panicked, the input would be cut short.
    if let Err(panic) = reader.join() {
        std::panic::resume_unwind(panic);
    }
    for exporter in exporters {
        match exporter.finish() {
            Ok(files) => report.written.extend(files),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => report.closed_pipe = true,
            Err(e) => return Err(RunError::Output(e)),
        }
    }
    if let Some(dir) = &config.out {
        report.written.push(
            export::write_errors(dir, &report.errors, &config.export).map_err(RunError::Output)?,
        );
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The one-screen summary printed after a run.
pub fn summary(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let secs = report.elapsed.as_secs_f64().max(1e-9);
    let mb = report.bytes as f64 / 1e6;
    let _ = writeln!(
        s,
        "entopic: {} documents, {:.2} MB in {:.2} s ({:.1} MB/s); {} failed, {} skipped",
        report.documents,
        mb,
        secs,
        mb / secs,
        report.failed(),
        report.errors.len() - report.failed()
    );
    if let Some(peak) = peak_memory_mb() {
        let _ = writeln!(s, "peak memory {peak:.0} MB");
    }
    let total: usize = report.mentions_by_type.values().sum();
    let per_type: Vec<String> = report
        .mentions_by_type
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    let _ = writeln!(s, "mentions: {total} ({})", per_type.join(", "));
    for kind in report.mentions_by_type.keys() {
        let mut top: Vec<(&String, &(String, usize, usize))> = report
            .entities
            .iter()
            .filter(|((t, _), _)| t == kind)
            .map(|((_, id), v)| (id, v))
            .collect();
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
    s
}

/// Peak resident memory of this process in MB (Linux `VmHWM`); `None` where unknown.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
