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
pub mod rows;
mod xlsx;

pub use self::csv::{spreadsheet_safe, write_errors};
pub use aggregate::{Aggregates, DocStats};
pub use brat::BratDoc;
pub use crate::record::{record, write_record};
pub use rows::context;
pub use xlsx::{XlsxRows, MAX_ROWS as XLSX_MAX_ROWS};

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
    /// The input paths as given (files and folders): brat names a file's documents after its
    /// path relative to the input it was found under.
    pub roots: Vec<PathBuf>,
}

/// Where one stream of output goes, and how many bytes went there.
pub struct Sink {
    to: To,
    written: u64,
}

enum To {
    Stdout(BufWriter<io::Stdout>),
    File(AtomicFile),
}

/// How a run ends: complete outputs take their names; an interrupted run's outputs are kept as
/// `NAME.partial`, so they never look complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Complete,
    Interrupted,
}

impl Ending {
    /// The name a file `name` gets at this ending.
    pub fn file_name(self, name: &str) -> String {
        match self {
            Ending::Complete => name.to_string(),
            Ending::Interrupted => format!("{name}.partial"),
        }
    }
}

impl Sink {
    /// A file in `dir` named `name`, or stdout when there is no folder.
    pub fn open(dir: Option<&Path>, name: &str) -> io::Result<Sink> {
        let to = match dir {
            Some(dir) => To::File(AtomicFile::create(&dir.join(name))?),
            None => To::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
        };
        Ok(Sink { to, written: 0 })
    }

    /// Writes one document's part of this output; returns where it went (offset, length), for
    /// `--resume` to copy it from later.
    pub fn write_part(&mut self, bytes: &[u8]) -> io::Result<(u64, u64)> {
        let at = self.written;
        self.write_all(bytes)?;
        Ok((at, bytes.len() as u64))
    }

    /// Flushes, and puts a file in place (under its `.partial` name if interrupted). Returns its
    /// path (none for stdout).
    pub fn finish(self, ending: Ending) -> io::Result<Option<PathBuf>> {
        match self.to {
            To::Stdout(mut w) => w.flush().map(|_| None),
            To::File(f) => {
                let name = f.dest.file_name().unwrap_or_default().to_string_lossy();
                let dest = f.dest.with_file_name(ending.file_name(&name));
                f.commit_as(&dest).map(Some)
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match &mut self.to {
            To::Stdout(w) => w.write(buf)?,
            To::File(f) => f.writer.write(buf)?,
        };
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.to {
            To::Stdout(w) => w.flush(),
            To::File(f) => f.writer.flush(),
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
        let dest = self.dest.clone();
        self.commit_as(&dest)
    }

    /// Flushes, syncs and renames the file to `dest`.
    pub fn commit_as(self, dest: &Path) -> io::Result<PathBuf> {
        let tmp = self
            .writer
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        tmp.as_file().sync_all()?;
        tmp.persist(dest).map_err(|e| e.error)?;
        Ok(dest.to_path_buf())
    }

    /// The writer, for output that is not a [`Sink`] (the resume state, `run.json`).
    pub fn writer(&mut self) -> &mut impl Write {
        &mut self.writer
    }
}

impl Rendered {
    /// Rebuilds a document's output from the parts [`Exporter::write`] placed in the files of
    /// `format` (as read back by `--resume`).
    pub fn from_parts(
        format: Format,
        mut parts: Vec<Vec<u8>>,
        stats: &DocStats,
        workbook: Option<&XlsxRows>,
    ) -> Option<Rendered> {
        let csv = |mentions, document| {
            Rendered::Csv(Box::new(self::csv::CsvRows {
                mentions,
                document,
                stats: stats.clone(),
            }))
        };
        match format {
            Format::Jsonl | Format::Json if parts.len() == 1 => parts.pop().map(Rendered::Json),
            Format::Conll if parts.len() == 1 => parts.pop().map(Rendered::Conll),
            Format::Csv if parts.len() == 2 => {
                let document = parts.pop()?;
                Some(csv(parts.pop()?, document))
            }
            Format::Csv if parts.len() == 1 => Some(csv(parts.pop()?, Vec::new())),
            Format::Xlsx if parts.is_empty() => Some(Rendered::Xlsx(Box::new(workbook?.clone()))),
            _ => None,
        }
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
        Format::Jsonl | Format::Json => {
            let mut out = Vec::with_capacity(512 + 256 * analysis.mentions.len());
            write_record(&mut out, doc, analysis);
            Rendered::Json(out)
        }
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
            Format::Brat => Exporter::Brat(Box::new(brat::BratWriter::create(
                folder()?,
                types,
                &options.roots,
            )?)),
        })
    }

    /// The files in `--out` that hold each document's output in one piece, in the order
    /// [`Exporter::write`] records where each part went: what `--resume` copies from.
    pub fn files(format: Format, to_folder: bool) -> &'static [&'static str] {
        match (format, to_folder) {
            (Format::Jsonl, _) => &["documents.jsonl"],
            (Format::Json, _) => &["documents.json"],
            (Format::Csv, true) => &["mentions.csv", "documents.csv"],
            (Format::Csv, false) => &["mentions.csv"],
            (Format::Conll, _) => &["documents.conll"],
            (Format::Xlsx | Format::Brat, _) => &[],
        }
    }

    /// Every file (or folder) the format writes in `--out`.
    pub fn outputs(format: Format) -> &'static [&'static str] {
        match format {
            Format::Csv => &[
                "mentions.csv",
                "documents.csv",
                "entities.csv",
                "cooccurrence.csv",
            ],
            Format::Xlsx => &["results.xlsx"],
            Format::Brat => &["brat"],
            other => Exporter::files(other, true),
        }
    }

    /// Whether `--resume` can carry a document's output in this format over from an earlier
    /// run (from the files, or for the workbook from the rows kept in the state). The brat
    /// folder holds each document's text, which the state does not keep: with it every document
    /// is analyzed again.
    pub fn carries(format: Format) -> bool {
        format != Format::Brat
    }

    /// Writes one document's rendered results; returns where each part went, as (offset,
    /// length) in each of [`Exporter::files`], for `--resume`.
    pub fn write(&mut self, rendered: &Rendered, segments: &mut Vec<(u64, u64)>) -> io::Result<()> {
        let mut part = |sink: &mut Sink, bytes: &[u8]| {
            segments.push(sink.write_part(bytes)?);
            Ok::<(), io::Error>(())
        };
        match (self, rendered) {
            (Exporter::Jsonl(sink), Rendered::Json(record)) => {
                part(sink, record)?;
                sink.write_all(b"\n")
            }
            (Exporter::Json { sink, first }, Rendered::Json(record)) => {
                sink.write_all(if *first { b"\n" } else { b",\n" })?;
                *first = false;
                part(sink, record)
            }
            (Exporter::Csv(w), Rendered::Csv(rows)) => w.write(rows, segments),
            (Exporter::Xlsx(w), Rendered::Xlsx(rows)) => w.write(rows),
            (Exporter::Conll(sink), Rendered::Conll(block)) => part(sink, block),
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
    pub fn finish(self, ending: Ending) -> io::Result<Vec<PathBuf>> {
        match self {
            Exporter::Jsonl(sink) | Exporter::Conll(sink) => {
                Ok(sink.finish(ending)?.into_iter().collect())
            }
            Exporter::Json { mut sink, first } => {
                sink.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                Ok(sink.finish(ending)?.into_iter().collect())
            }
            Exporter::Csv(w) => w.finish(ending),
            Exporter::Xlsx(w) => w.finish(ending),
            Exporter::Brat(w) => w.finish(ending),
        }
    }
}
