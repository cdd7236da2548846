//! `run.json`: the record of a run with `--out` — what was asked, with which dictionaries, what
//! came out, what failed, how long each stage took — so a folder of results says how it was made.
//!
//! ```text
//! {"entopic": "0.1.0", "arguments": [...], "complete": true, "interrupted": false,
//!  "dictionaries": [{"path", "xxh3_128"}], "inputs": {"files", "files_done", "bytes", "paths",
//!  "working_directory"},
//!  "documents", "carried_over", "resume_note"?, "mentions": {type: n}, "topics": {tag: n},
//!  "errors": {"failed", "skipped"}, "seconds": {"total", "ingest", "normalize", "tag",
//!  "classify", "export", "write"}, "mb_per_s", "peak_memory_mb"?, "outputs": [...]}
//! ```
//! Stage seconds are summed over worker threads, so with `--jobs 2` they can add up to more
//! than `total`. `inputs.paths` are the inputs as given (`-` for stdin) and
//! `inputs.working_directory` the folder they are relative to: `entopic report` reads documents
//! again from there, and only from there, wherever it runs.

use crate::export::AtomicFile;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What `run.json` says, gathered by the runner.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub arguments: &'a [String],
    /// (path, XXH3-128) of each dictionary and topic model.
    pub dictionaries: &'a [(String, String)],
    pub complete: bool,
    pub interrupted: bool,
    pub files: u64,
    pub files_done: u64,
    /// The inputs as given (`-` for stdin).
    pub paths: &'a [PathBuf],
    pub bytes: u64,
    pub documents: usize,
    pub carried_over: usize,
    pub resume_note: Option<&'a str>,
    pub mentions: BTreeMap<String, usize>,
    pub topics: &'a BTreeMap<String, usize>,
    pub failed: usize,
    pub skipped: usize,
    /// (stage, time): total, ingest, normalize, tag, classify, export, write.
    pub seconds: Vec<(&'static str, Duration)>,
    /// File names of the outputs written (before `run.json`).
    pub outputs: Vec<String>,
}

/// Writes `run.json` into `dir` (atomically) and returns its path.
pub fn write(dir: &Path, record: &Record) -> io::Result<PathBuf> {
    let secs = |d: Duration| (d.as_secs_f64() * 1000.0).round() / 1000.0;
    let total = record
        .seconds
        .first()
        .map_or(1e-9, |(_, d)| d.as_secs_f64().max(1e-9));
    let seconds: serde_json::Map<String, serde_json::Value> = record
        .seconds
        .iter()
        .map(|(stage, d)| (stage.to_string(), secs(*d).into()))
        .collect();
    let mut info = json!({
        "entopic": env!("CARGO_PKG_VERSION"),
        "arguments": record.arguments,
        "complete": record.complete,
        "interrupted": record.interrupted,
        "dictionaries": record
            .dictionaries
            .iter()
            .map(|(path, hash)| json!({"path": path, "xxh3_128": hash}))
            .collect::<Vec<_>>(),
        "inputs": {
            "files": record.files,
            "files_done": record.files_done,
            "bytes": record.bytes,
            "paths": record.paths,
            "working_directory": std::env::current_dir().ok(),
        },
        "documents": record.documents,
        "carried_over": record.carried_over,
        "mentions": record.mentions,
        "topics": record.topics,
        "errors": {
            "failed": record.failed,
            "skipped": record.skipped,
        },
        "seconds": seconds,
        "mb_per_s": ((record.bytes as f64 / 1e6 / total) * 10.0).round() / 10.0,
        "outputs": record.outputs,
    });
    if let Some(note) = record.resume_note {
        info["resume_note"] = note.into();
    }
    if let Some(peak) = peak_memory_mb() {
        info["peak_memory_mb"] = peak.round().into();
    }
    let mut file = AtomicFile::create(&dir.join("run.json"))?;
    serde_json::to_writer_pretty(file.writer(), &info)?;
    file.writer().write_all(b"\n")?;
    file.commit()
}

/// Peak resident memory of this process in MB (Linux `VmHWM`); `None` where unknown.
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
