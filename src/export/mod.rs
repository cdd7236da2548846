//! Writing results: one writer per format, data to stdout or to files in `--out`.
//!
//! Workers render each document's output ([`render`], pure, in parallel); one [`Exporter`] per
//! format writes the rendered documents in input order, so every writer streams and holds at
//! most its corpus-wide totals. Files are written to a temporary file in the output folder and
//! renamed into place when the run finishes, so an interrupted run never leaves a half-written
//! file that looks complete. The wire formats are documented in `docs/output.md` and pinned by
//! the golden tests.

mod aggregate;
mod brat;
mod conll;
mod csv;
mod json;
pub mod rows;
mod xlsx;

pub use self::csv::{spreadsheet_safe, write_errors};
pub use aggregate::{Aggregates, DocStats};
pub use json::record;
pub use xlsx::MAX_ROWS as XLSX_MAX_ROWS;

use crate::document::{Analysis, Document};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Output formats of `entopic extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON record per document per line (`documents.jsonl`).
    Jsonl,
    /// One JSON array of records (`documents.json`).
    Json,
    /// `mentions.csv` (a row per mention), `documents.csv` (a row per document), `entities.csv`
    /// and `cooccurrence.csv`.
    Csv,
    /// One workbook, `results.xlsx`: sheets Documents, Mentions, Entities, Topics (needs --out).
    Xlsx,
    /// A token per line with BIO entity tags (`documents.conll`).
    Conll,
    /// brat standoff: `brat/<doc>.txt` and `brat/<doc>.ann` per document (needs --out).
    Brat,
}

impl Format {
    /// Whether the format writes files of its own and cannot go to stdout.
    pub fn needs_folder(self) -> bool {
        matches!(self, Format::Xlsx | Format::Brat)
    }
}

/// Choices that change how outputs are written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Start every CSV file with a UTF-8 byte-order mark (`--excel`).
    pub bom: bool,
}

/// Where one stream of output goes.
pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File(AtomicFile),
}

impl Sink {
    /// A file in `dir` named `name`, or stdout when there is no folder.
    pub fn open(dir: Option<&Path>, name: &str) -> io::Result<Sink> {
        match dir {
            Some(dir) => Ok(Sink::File(AtomicFile::create(&dir.join(name))?)),
            None => Ok(Sink::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
        }
    }

    /// Flushes, and puts a file in place. Returns its path (none for stdout).
    pub fn finish(self) -> io::Result<Option<PathBuf>> {
        match self {
            Sink::Stdout(mut w) => w.flush().map(|_| None),
            Sink::File(f) => f.commit().map(Some),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}

/// A file written under a temporary name beside its destination, renamed on [`commit`].
/// Dropped without commit, the temporary file is removed.
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    writer: BufWriter<tempfile::NamedTempFile>,
    dest: PathBuf,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> io::Result<AtomicFile> {
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".partial");
        // Results are meant to be shared: created like any new file (0666 less the umask), not
        // owner-only as temporary files are by default.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(dir).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot write in {}: {e}", dir.display()))
        })?;
        Ok(AtomicFile {
            writer: BufWriter::with_capacity(1 << 16, tmp),
            dest: dest.to_path_buf(),
        })
    }

    pub fn commit(self) -> io::Result<PathBuf> {
        let tmp = self
            .writer
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&self.dest).map_err(|e| e.error)?;
        Ok(self.dest)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// One document's output in one format, rendered by a worker thread.
#[derive(Debug, Clone, PartialEq)]
pub enum Rendered {
    /// A JSON record, without separators.
    Json(Vec<u8>),
    Csv(Box<self::csv::CsvRows>),
    Xlsx(Box<xlsx::XlsxRows>),
    /// The document's CoNLL block.
    Conll(Vec<u8>),
    Brat(Box<brat::BratDoc>),
}

/// Renders one document's results (pure; runs in parallel, in any order).
pub fn render(format: Format, types: &[String], doc: &Document, analysis: &Analysis) -> Rendered {
    match format {
        Format::Jsonl | Format::Json => Rendered::Json(
            serde_json::to_vec(&record(doc, analysis)).expect("a JSON value serializes"),
        ),
        Format::Csv => Rendered::Csv(Box::new(self::csv::render(doc, analysis, types))),
        Format::Xlsx => Rendered::Xlsx(Box::new(xlsx::render(doc, analysis, types))),
        Format::Conll => Rendered::Conll(conll::render(doc, analysis)),
        Format::Brat => Rendered::Brat(Box::new(brat::render(doc, analysis))),
    }
}

/// Writes rendered results of one format, in order.
pub enum Exporter {
    Jsonl(Sink),
    Json { sink: Sink, first: bool },
    Csv(Box<self::csv::CsvWriter>),
    Xlsx(Box<xlsx::XlsxWriter>),
    Conll(Sink),
    Brat(Box<brat::BratWriter>),
}

impl Exporter {
    /// Opens the outputs of `format`: files in `dir`, or stdout.
    pub fn create(
        format: Format,
        dir: Option<&Path>,
        types: &[String],
        options: &Options,
    ) -> io::Result<Exporter> {
        let folder = || {
            dir.ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "--format {} needs --out DIR",
                        format!("{format:?}").to_lowercase()
                    ),
                )
            })
        };
        Ok(match format {
            Format::Jsonl => Exporter::Jsonl(Sink::open(dir, "documents.jsonl")?),
            Format::Json => {
                let mut sink = Sink::open(dir, "documents.json")?;
                sink.write_all(b"[")?;
                Exporter::Json { sink, first: true }
            }
            Format::Csv => {
                Exporter::Csv(Box::new(self::csv::CsvWriter::create(dir, types, options)?))
            }
            Format::Xlsx => Exporter::Xlsx(Box::new(xlsx::XlsxWriter::create(
                folder()?,
                types,
                xlsx::MAX_ROWS,
            )?)),
            Format::Conll => Exporter::Conll(Sink::open(dir, "documents.conll")?),
            Format::Brat => Exporter::Brat(Box::new(brat::BratWriter::create(folder()?, types)?)),
        })
    }

    /// Writes one document's rendered results.
    pub fn write(&mut self, rendered: &Rendered) -> io::Result<()> {
        match (self, rendered) {
            (Exporter::Jsonl(sink), Rendered::Json(record)) => {
                sink.write_all(record)?;
                sink.write_all(b"\n")
            }
            (Exporter::Json { sink, first }, Rendered::Json(record)) => {
                sink.write_all(if *first { b"\n" } else { b",\n" })?;
                *first = false;
                sink.write_all(record)
            }
            (Exporter::Csv(w), Rendered::Csv(rows)) => w.write(rows),
            (Exporter::Xlsx(w), Rendered::Xlsx(rows)) => w.write(rows),
            (Exporter::Conll(sink), Rendered::Conll(block)) => sink.write_all(block),
            (Exporter::Brat(w), Rendered::Brat(doc)) => w.write(doc),
            _ => unreachable!("rendered for another format"),
        }
    }

    /// Pushes buffered output through, so a consumer reading a pipe sees finished records.
    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            Exporter::Jsonl(sink) | Exporter::Json { sink, .. } | Exporter::Conll(sink) => {
                sink.flush()
            }
            Exporter::Csv(w) => w.flush(),
            // The workbook and the brat files are complete only when the run ends.
            Exporter::Xlsx(_) | Exporter::Brat(_) => Ok(()),
        }
    }

    /// Completes the output; returns the files written.
    pub fn finish(self) -> io::Result<Vec<PathBuf>> {
        match self {
            Exporter::Jsonl(sink) | Exporter::Conll(sink) => {
                Ok(sink.finish()?.into_iter().collect())
            }
            Exporter::Json { mut sink, first } => {
                sink.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                Ok(sink.finish()?.into_iter().collect())
            }
            Exporter::Csv(w) => w.finish(),
            Exporter::Xlsx(w) => w.finish(),
            Exporter::Brat(w) => w.finish(),
        }
    }
}
