//! Writing results: one writer per format, data to stdout or to files in `--out`.
//!
//! Files are written to a temporary file in the output folder and renamed into place when the run
//! finishes, so an interrupted run never leaves a half-written file that looks complete.
//! The wire formats are documented in `docs/output.md` and pinned by the golden tests.

mod csv;
mod json;

pub use self::csv::{context, spreadsheet_safe, write_errors, MENTION_COLUMNS};
pub use json::write_record;

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
    /// `mentions.csv` (a row per mention) and `documents.csv` (a row per document).
    Csv,
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

    /// Bytes written so far: where the next write starts.
    pub fn position(&self) -> u64 {
        self.written
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
        // Readable like any file the user creates (temporary files are private by default).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
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
    pub fn from_parts(format: Format, mut parts: Vec<Vec<u8>>) -> Option<Rendered> {
        match format {
            Format::Jsonl | Format::Json if parts.len() == 1 => parts.pop().map(Rendered::Json),
            Format::Csv if parts.len() == 2 => {
                let document = parts.pop()?;
                Some(Rendered::Csv(parts.pop()?, document))
            }
            Format::Csv if parts.len() == 1 => Some(Rendered::Csv(parts.pop()?, Vec::new())),
            _ => None,
        }
    }
}

/// One document's output in one format, rendered by a worker thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    /// A JSON record, without separators.
    Json(Vec<u8>),
    /// `mentions.csv` rows and the `documents.csv` row.
    Csv(Vec<u8>, Vec<u8>),
}

/// Renders one document's results (pure; runs in parallel, in any order).
pub fn render(format: Format, types: &[String], doc: &Document, analysis: &Analysis) -> Rendered {
    match format {
        Format::Jsonl | Format::Json => {
            let mut out = Vec::with_capacity(512 + 256 * analysis.mentions.len());
            write_record(&mut out, doc, analysis);
            Rendered::Json(out)
        }
        Format::Csv => {
            let (mentions, document) = self::csv::render(doc, analysis, types);
            Rendered::Csv(mentions, document)
        }
    }
}

/// Writes rendered results of one format, in order.
pub enum Exporter {
    Jsonl(Sink),
    Json { sink: Sink, first: bool },
    Csv(Box<csv::CsvWriter>),
}

impl Exporter {
    /// Opens the outputs of `format`: files in `dir`, or stdout.
    pub fn create(format: Format, dir: Option<&Path>, types: &[String]) -> io::Result<Exporter> {
        Ok(match format {
            Format::Jsonl => Exporter::Jsonl(Sink::open(dir, "documents.jsonl")?),
            Format::Json => {
                let mut sink = Sink::open(dir, "documents.json")?;
                sink.write_all(b"[")?;
                Exporter::Json { sink, first: true }
            }
            Format::Csv => Exporter::Csv(Box::new(csv::CsvWriter::create(dir, types)?)),
        })
    }

    /// The names of the files this exporter writes, in `--out`.
    pub fn files(format: Format, to_folder: bool) -> &'static [&'static str] {
        match (format, to_folder) {
            (Format::Jsonl, _) => &["documents.jsonl"],
            (Format::Json, _) => &["documents.json"],
            (Format::Csv, true) => &["mentions.csv", "documents.csv"],
            (Format::Csv, false) => &["mentions.csv"],
        }
    }

    /// Writes one document's rendered results; returns where each part went, as (offset,
    /// length) in each of [`Exporter::files`], for `--resume`.
    pub fn write(&mut self, rendered: &Rendered, segments: &mut Vec<(u64, u64)>) -> io::Result<()> {
        let mut part = |sink: &mut Sink, bytes: &[u8]| {
            let at = sink.position();
            sink.write_all(bytes)?;
            segments.push((at, bytes.len() as u64));
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
            (Exporter::Csv(w), Rendered::Csv(mentions, document)) => {
                part(&mut w.mentions, mentions)?;
                if let Some(sink) = &mut w.documents {
                    part(sink, document)?;
                }
                Ok(())
            }
            _ => unreachable!("rendered for another format"),
        }
    }

    /// Pushes buffered output through, so a consumer reading a pipe sees finished records.
    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            Exporter::Jsonl(sink) | Exporter::Json { sink, .. } => sink.flush(),
            Exporter::Csv(w) => w.flush(),
        }
    }

    /// Completes the output; returns the files written.
    pub fn finish(self, ending: Ending) -> io::Result<Vec<PathBuf>> {
        match self {
            Exporter::Jsonl(sink) => Ok(sink.finish(ending)?.into_iter().collect()),
            Exporter::Json { mut sink, first } => {
                sink.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                Ok(sink.finish(ending)?.into_iter().collect())
            }
            Exporter::Csv(w) => w.finish(ending),
        }
    }
}
