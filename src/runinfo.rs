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

use crate::export::{AtomicFile, Ending};
use crate::run::{peak_memory_mb, ExtractConfig, Report};
use serde_json::json;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `run.json` into `dir` (atomically) and returns its path.
pub fn write(
    dir: &Path,
    config: &ExtractConfig,
    report: &Report,
    ending: Ending,
) -> io::Result<PathBuf> {
    let secs = |d: std::time::Duration| (d.as_secs_f64() * 1000.0).round() / 1000.0;
    let t = &report.timings;
    let total = report.elapsed.as_secs_f64().max(1e-9);
    let outputs: Vec<String> = report
        .written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let mut info = json!({
        "entopic": env!("CARGO_PKG_VERSION"),
        "arguments": config.arguments,
        "complete": ending == Ending::Complete,
        "interrupted": report.interrupted,
        "dictionaries": config
            .dictionaries
            .iter()
            .map(|(path, hash)| json!({"path": path, "xxh3_128": hash}))
            .collect::<Vec<_>>(),
        "inputs": {
            "files": report.files_total,
            "files_done": report.files_done,
            "bytes": report.bytes,
            "paths": config.paths,
            "working_directory": std::env::current_dir().ok(),
        },
        "documents": report.documents,
        "carried_over": report.carried,
        "mentions": report.mentions_by_type,
        "topics": report.topics,
        "errors": {
            "failed": report.failed(),
            "skipped": report.errors.len() - report.failed(),
        },
        "seconds": {
            "total": secs(report.elapsed),
            "ingest": secs(t.ingest),
            "normalize": secs(t.analysis.normalize),
            "tag": secs(t.analysis.tag),
            "classify": secs(t.analysis.classify),
            "export": secs(t.export),
            "write": secs(t.write),
        },
        "mb_per_s": ((report.bytes as f64 / 1e6 / total) * 10.0).round() / 10.0,
        "outputs": outputs,
    });
    if let Some(note) = &report.resume_note {
        info["resume_note"] = note.clone().into();
    }
    if let Some(peak) = peak_memory_mb() {
        info["peak_memory_mb"] = peak.round().into();
    }
    let mut file = AtomicFile::create(&dir.join("run.json"))?;
    serde_json::to_writer_pretty(file.writer(), &info)?;
    file.writer().write_all(b"\n")?;
    file.commit()
}
