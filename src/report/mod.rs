//! `entopic report`: one self-contained HTML page from the results of a run, for people who
//! would rather look than read.
//!
//! In: an output folder of `entopic extract --format jsonl` (`documents.jsonl`, and
//! `errors.csv` when present). Out: `report.html` in the same folder, written atomically, with
//! totals, bar charts of the top entities and topics, a country × topic heat map, a
//! co-occurrence network, a searchable table of documents with their mentions in context, and
//! the errors. It opens with no network access: style, charts (inline SVG drawn by
//! [`svg`]), data and script are all in the file. Mentions in context are read again from the
//! documents' sources ([`context`]). Counting runs over every document; the table (about 280
//! bytes a document) and the mentions in context stop at caps, so the file stays small enough
//! to open at once: 11 MB for 40,000 documents.

pub mod aggregate;
pub mod context;
pub mod html;
pub mod inputs;
pub mod svg;

use crate::export::{Ending, Sink};
use aggregate::{Record, Summary};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The report's file name in the output folder.
pub const REPORT_FILE: &str = "report.html";
/// Documents listed in the table (all are counted).
pub const TABLE_ROWS: usize = 50_000;
/// Mentions shown in context, over the whole report.
pub const CONTEXT_BUDGET: usize = 20_000;
/// Mentions shown in context per document (the first mention of each entity).
pub const CONTEXTS_PER_DOCUMENT: usize = 12;
/// Rows of `errors.csv` listed.
pub const ERROR_ROWS: usize = 500;

/// Why no report could be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}: no documents.jsonl (write one with `entopic extract … --out DIR --format jsonl`, or use `extract --report`)")]
    NoResults(PathBuf),
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}:{line}: not a documents.jsonl record: {reason}")]
    Record {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    #[error("{path}: not an entopic errors.csv: {reason}")]
    Errors { path: PathBuf, reason: String },
    #[error(
        "{path}: not replaced: it shows {existing} with mentions in context, a new report \
         would show {new}{why}; run again with --force to replace it"
    )]
    Worse {
        path: PathBuf,
        /// "3 documents"
        existing: String,
        new: usize,
        why: String,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// The inputs that produced no document, from `errors.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorList {
    pub failed: usize,
    pub skipped: usize,
    /// The first [`ERROR_ROWS`]: path, line, status, stage, reason.
    pub rows: Vec<[String; 5]>,
}

/// What [`write`] did.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub documents: usize,
    pub table_rows: usize,
    /// Documents shown with their mentions in context.
    pub with_context: usize,
    /// Documents with mentions but no context because their source could not be read, and why
    /// (empty when every source was found).
    pub unread: String,
    pub elapsed: Duration,
}

/// Reads the results in `dir` and writes `dir/report.html`. An existing report that shows more
/// documents with mentions in context is kept (an error says why) unless `force`: a report made
/// where the sources cannot be found never silently replaces a good one.
pub fn write(dir: &Path, force: bool) -> Result<Written, ReportError> {
    let started = Instant::now();
    let results = dir.join("documents.jsonl");
    if !results.is_file() {
        return Err(ReportError::NoResults(dir.to_path_buf()));
    }
    let summary = summarize(&results)?;
    let errors = read_errors(&dir.join("errors.csv"))?;
    let inputs = inputs::Inputs::read(dir);
    let contexts = context::gather(&summary.rows, inputs.as_ref());
    let with_context = contexts
        .iter()
        .filter(|c| c.as_ref().is_ok_and(|s| !s.is_empty()))
        .count();
    let unread = unread(&summary.rows, &contexts, inputs.as_ref());
    let path = dir.join(REPORT_FILE);
    if let Some(existing) = existing_contexts(&path).filter(|&n| n > with_context && !force) {
        return Err(ReportError::Worse {
            path,
            existing: crate::run::count(existing as u64, "document"),
            new: with_context,
            why: if unread.is_empty() {
                String::new()
            } else {
                format!(" ({unread})")
            },
        });
    }
    let given = inputs.as_ref().map(|i| i.given.join(" "));
    let page = html::render(&html::Page {
        source: &dir.display().to_string(),
        inputs: given.as_deref(),
        summary: &summary,
        contexts: &contexts,
        with_context,
        errors: errors.as_ref(),
    });
    let write_error = |source| ReportError::Write {
        path: path.clone(),
        source,
    };
    let mut file = Sink::open(Some(dir), REPORT_FILE).map_err(write_error)?;
    file.write_all(page.as_bytes()).map_err(write_error)?;
    file.finish(Ending::Complete).map_err(write_error)?;
    Ok(Written {
        path,
        bytes: page.len() as u64,
        documents: summary.documents,
        table_rows: summary.rows.len(),
        with_context,
        unread,
        elapsed: started.elapsed(),
    })
}

/// How many documents with mentions got no context because their source was not read, why,
/// and an example: "3 documents' sources not found (e.g. data/a.txt, looked for under /work)".
fn unread(
    rows: &[aggregate::Row],
    contexts: &[context::RowContexts],
    inputs: Option<&inputs::Inputs>,
) -> String {
    use context::Missing;
    let mut parts = Vec::new();
    for (missing, what) in [
        (Missing::NoSource, "sources not found"),
        (
            Missing::NotAnInput,
            "paths outside the run's inputs, not read",
        ),
        (
            Missing::NoRunInfo,
            "sources not read: no run.json records the run's inputs",
        ),
        (Missing::Changed, "sources changed since the run"),
    ] {
        let unread: Vec<&aggregate::Row> = rows
            .iter()
            .zip(contexts)
            .filter(|(r, c)| **c == Err(missing) && r.path.is_some())
            .map(|(r, _)| r)
            .collect();
        let Some(first) = unread.first().and_then(|r| r.path.as_deref()) else {
            continue;
        };
        let under = match (missing, inputs) {
            (Missing::NoSource, Some(i)) => format!(", looked for under {}", i.base().display()),
            _ => String::new(),
        };
        parts.push(format!(
            "{}: {what} (e.g. {first}{under})",
            crate::run::count(unread.len() as u64, "document")
        ));
    }
    parts.join("; ")
}

/// The number of documents with mentions in context an existing report shows (from its
/// `entopic-contexts` meta tag); `None` when there is no report or it does not say.
fn existing_contexts(path: &Path) -> Option<usize> {
    use std::io::Read;
    let mut head = String::new();
    let file = std::fs::File::open(path).ok()?;
    file.take(4096).read_to_string(&mut head).ok()?;
    let at = head.find(html::CONTEXTS_META)? + html::CONTEXTS_META.len();
    let digits: String = head[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Counts every record of a `documents.jsonl` file.
pub fn summarize(path: &Path) -> Result<Summary, ReportError> {
    let read_error = |source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut summary = Summary::new(TABLE_ROWS, CONTEXT_BUDGET, CONTEXTS_PER_DOCUMENT);
    let mut line = String::new();
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_line(&mut line).map_err(read_error)? == 0 {
            break;
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(&line).map_err(|e| ReportError::Record {
            path: path.to_path_buf(),
            line: number,
            reason: e.to_string(),
        })?;
        summary.add(record);
    }
    Ok(summary)
}

/// The failed and skipped inputs listed in `errors.csv`; `None` when there is no such file.
pub fn read_errors(path: &Path) -> Result<Option<ErrorList>, ReportError> {
    let bad = |reason: String| ReportError::Errors {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = match csv::Reader::from_path(path) {
        Ok(r) => r,
        Err(e) if matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::NotFound) => {
            return Ok(None)
        }
        Err(e) => return Err(bad(e.to_string())),
    };
    let headers = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(format!("no {name:?} column")))
    };
    let columns = [
        column("path")?,
        column("line")?,
        column("status")?,
        column("stage")?,
        column("reason")?,
    ];
    let mut list = ErrorList::default();
    for record in reader.records() {
        let record = record.map_err(|e| bad(e.to_string()))?;
        let cell = |i: usize| record.get(columns[i]).unwrap_or("").to_string();
        if cell(2) == "skipped" {
            list.skipped += 1;
        } else {
            list.failed += 1;
        }
        if list.rows.len() < ERROR_ROWS {
            list.rows
                .push([cell(0), cell(1), cell(2), cell(3), cell(4)]);
        }
    }
    Ok(Some(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_csv_is_counted_and_listed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("errors.csv");
        assert_eq!(read_errors(&path).unwrap(), None);
        std::fs::write(
            &path,
            "path,line,status,stage,reason\na.py,,skipped,ingest,unsupported\nb.jsonl,3,failed,parse,\"invalid JSON: x, y\"\n",
        )
        .unwrap();
        let list = read_errors(&path).unwrap().unwrap();
        assert_eq!((list.failed, list.skipped), (1, 1));
        assert_eq!(
            list.rows[1],
            ["b.jsonl", "3", "failed", "parse", "invalid JSON: x, y"].map(String::from)
        );
        std::fs::write(&path, "what,ever\n1,2\n").unwrap();
        assert_eq!(
            read_errors(&path).unwrap_err().to_string(),
            format!(
                "{}: not an entopic errors.csv: no \"path\" column",
                path.display()
            )
        );
    }

    #[test]
    fn a_bad_record_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("documents.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"entities\":[],\"topics\":[]}\n\n{\"id\":\n",
        )
        .unwrap();
        let err = summarize(&path).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "{}:3: not a documents.jsonl record: ",
                path.display()
            )),
            "{err}"
        );
        assert!(matches!(
            write(dir.path().join("nowhere").as_path(), false),
            Err(ReportError::NoResults(_))
        ));
    }
}
