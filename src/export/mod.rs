//! Writing results: one writer per format, data to stdout or to files in `--out`.
//!
//! Each format is a type implementing [`Output`], listed once in [`FORMATS`]. Workers render
//! each document's output ([`Output::render`], pure, in parallel); one [`Writer`] per format
//! writes the rendered documents in input order, so every writer streams and holds at most its
//! corpus-wide totals. A rendered document's bytes ([`Part`]) wait in memory while small and in
//! an unnamed temporary file once large, so a dense document's output is never whole in memory. Files are written to a temporary file in the output folder and
//! renamed into place when the run finishes, so an interrupted run never leaves a half-written
//! file that looks complete. The wire formats are documented in `docs/output.md` and pinned by
//! the golden tests.

mod aggregate;
mod brat;
mod conll;
mod csv;
mod json;
mod parquet;
mod part;
pub mod rows;
mod xlsx;

pub use self::csv::{spreadsheet_safe, write_errors};
pub use crate::record::{record, round4, write_record};
pub use aggregate::{Aggregates, DocStats};
pub use brat::BratDoc;
pub use parquet::ROW_GROUP_ROWS as PARQUET_ROW_GROUP_ROWS;
pub use part::{Part, PartWriter, SPILL};
pub use rows::{context, MENTION_COLUMNS};
pub use xlsx::{XlsxRows, MAX_ROWS as XLSX_MAX_ROWS};

use crate::document::{Analysis, Document};
use std::any::Any;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Every output format, in the order `--help` lists them. A new format is a module with a type
/// implementing [`Output`] and one line here.
pub static FORMATS: &[Format] = &[
    Format(&json::Jsonl),
    Format(&json::Json),
    Format(&self::csv::Csv),
    Format(&xlsx::Xlsx),
    Format(&conll::Conll),
    Format(&brat::Brat),
    Format(&parquet::Parquet),
];

/// One output format of `entopic extract`: what it is called, which files it writes, how it
/// renders one document (on a worker thread) and how it writes the rendered documents (in input
/// order, on the writing thread).
pub trait Output: Sync {
    /// The name `--format` takes.
    fn name(&self) -> &'static str;
    /// What it writes, in one line (for `--help`).
    fn help(&self) -> &'static str;
    /// Every file (or folder) it writes in `--out`.
    fn outputs(&self) -> &'static [&'static str];
    /// The files that take each document's [`Rendered::parts`] in one piece, in order: what
    /// `--resume` copies from.
    fn files(&self) -> &'static [&'static str] {
        &[]
    }
    /// Whether it writes files of its own and cannot go to stdout.
    fn needs_folder(&self) -> bool {
        false
    }
    /// Whether `--resume` can carry a document's output over from an earlier run, from its
    /// parts of [`Output::files`] (the state keeps no copy of rows).
    fn carries(&self) -> bool {
        true
    }
    /// Whether its writer needs the [`DocStats`] pairs of entities sharing a sentence.
    fn counts_pairs(&self) -> bool {
        false
    }
    /// One document's output (pure; runs in parallel, in any order).
    fn render(&self, ctx: &Context, doc: &Document, analysis: &Analysis) -> Rendered;
    /// A document's output rebuilt from what an earlier run wrote (`--resume`): its parts of
    /// [`Output::files`].
    fn carry(&self, parts: Vec<Vec<u8>>) -> Option<Rendered> {
        let parts = parts.into_iter().map(Part::from).collect::<Vec<_>>();
        (parts.len() == self.files().len()).then(|| Rendered::parts(parts))
    }
    /// Opens its outputs: files in `dir`, or stdout.
    fn create(&self, dir: Option<&Path>, ctx: &Context) -> io::Result<Box<dyn Writer>>;
}

/// Writes one format's rendered documents, in input order.
pub trait Writer {
    /// Writes one document; pushes where each of its parts went, as (offset, length) in each of
    /// [`Output::files`], to `segments` (for `--resume`).
    fn write(&mut self, rendered: &Rendered, segments: &mut Vec<(u64, u64)>) -> io::Result<()>;
    /// Pushes buffered output through, so a consumer reading a pipe sees finished records.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// Completes the output (named for `ending`); returns the files written. `corpus` holds the
    /// run's totals (one fold for every writer and the summary), for the corpus tables.
    fn finish(self: Box<Self>, ending: Ending, corpus: &Aggregates) -> io::Result<Vec<PathBuf>>;
}

/// An output format, as `--format` names it.
#[derive(Clone, Copy)]
pub struct Format(&'static dyn Output);

impl Format {
    pub const JSONL: Format = Format(&json::Jsonl);
    pub const JSON: Format = Format(&json::Json);
    pub const CSV: Format = Format(&self::csv::Csv);
    pub const XLSX: Format = Format(&xlsx::Xlsx);
    pub const CONLL: Format = Format(&conll::Conll);
    pub const BRAT: Format = Format(&brat::Brat);
    pub const PARQUET: Format = Format(&parquet::Parquet);

    /// The format called `name`, if there is one.
    pub fn named(name: &str) -> Option<Format> {
        FORMATS.iter().copied().find(|f| f.name() == name)
    }

    /// The format's writer and description.
    pub fn output(self) -> &'static dyn Output {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Whether the format writes files of its own and cannot go to stdout.
    pub fn needs_folder(self) -> bool {
        self.0.needs_folder()
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Format {}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        FORMATS
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.0.help()))
    }
}

/// How CSV cells are written (`--csv-dialect`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// For spreadsheets: a cell that would run as a formula (starting with `=`, `+`, `-`, `@`,
    /// tab or carriage return) gets a leading `'`.
    #[default]
    Excel,
    /// For programs: every value exactly as it is.
    Raw,
}

/// Choices that change how outputs are written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Start every CSV file with a UTF-8 byte-order mark (`--excel`).
    pub bom: bool,
    /// How CSV cells are written.
    pub dialect: Dialect,
    /// `meta` keys that get a column of their own (`meta.KEY`) in the document tables
    /// (`--meta-columns`).
    pub meta_columns: Vec<String>,
    /// The input paths as given (files and folders): brat names a file's documents after its
    /// path relative to the input it was found under.
    pub roots: Vec<PathBuf>,
    /// Where a document's rendered output goes while it waits for the writer, once it is too
    /// large to hold in memory (the output folder; the system's temporary folder if none).
    pub scratch: Option<PathBuf>,
}

impl Options {
    /// A document's part of an output file, to render into.
    pub fn part(&self) -> PartWriter {
        PartWriter::new(self.scratch.as_deref())
    }

    /// A CSV cell as this dialect writes it.
    #[inline]
    pub fn cell<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        match self.dialect {
            Dialect::Excel => spreadsheet_safe(text),
            Dialect::Raw => text.into(),
        }
    }
}

/// The error of a format that writes files of its own asked to write to stdout.
fn needs_folder(output: &dyn Output) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("--format {} needs --out DIR", output.name()),
    )
}

/// What rendering and writing a document needs besides the document.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The entity types, in dictionary order (a column each in the document tables).
    pub types: &'a [String],
    pub options: &'a Options,
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
    pub fn write_part(&mut self, part: &Part) -> io::Result<(u64, u64)> {
        let at = self.written;
        part.copy_to(self)?;
        Ok((at, part.len()))
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

    /// Where the file goes on [`commit`](AtomicFile::commit).
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// The writer, for output that is not a [`Sink`] (the resume state, `run.json`).
    pub fn writer(&mut self) -> &mut impl Write {
        &mut self.writer
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
#[derive(Default)]
pub struct Rendered {
    /// What the document adds to each of the format's [`Output::files`], in order.
    pub parts: Vec<Part>,
    /// What the writer needs besides those bytes (the workbook's rows, the brat files), of the
    /// format's own type.
    pub rows: Option<Box<dyn Any + Send>>,
}

impl Rendered {
    /// Output that is bytes in the format's files.
    pub fn parts(parts: Vec<Part>) -> Rendered {
        Rendered {
            parts,
            ..Rendered::default()
        }
    }

    /// Output that is rows of type `T` for the writer.
    pub fn rows<T: Any + Send>(rows: T) -> Rendered {
        Rendered {
            parts: Vec::new(),
            rows: Some(Box::new(rows)),
        }
    }

    /// The rows of type `T`, as rendered by the same format.
    pub fn rows_of<T: Any>(&self) -> &T {
        self.rows
            .as_ref()
            .and_then(|r| r.downcast_ref::<T>())
            .expect("rendered by the same format")
    }
}

/// A stream of bytes with one part per document: `documents.jsonl`, `documents.json` and
/// `documents.conll`.
pub(crate) struct Stream {
    sink: Sink,
    first: bool,
    /// What goes before the first part, and before each later one.
    before: (&'static [u8], &'static [u8]),
    /// What follows each part.
    after: &'static [u8],
    /// What ends the stream when it holds no part, and when it holds some.
    end: (&'static [u8], &'static [u8]),
}

impl Stream {
    /// A stream to `dir/name` (or stdout) that starts with `start`.
    pub(crate) fn open(
        dir: Option<&Path>,
        name: &str,
        start: &[u8],
        before: (&'static [u8], &'static [u8]),
        after: &'static [u8],
        end: (&'static [u8], &'static [u8]),
    ) -> io::Result<Box<dyn Writer>> {
        let mut sink = Sink::open(dir, name)?;
        sink.write_all(start)?;
        Ok(Box::new(Stream {
            sink,
            first: true,
            before,
            after,
            end,
        }))
    }
}

impl Writer for Stream {
    fn write(&mut self, r: &Rendered, segments: &mut Vec<(u64, u64)>) -> io::Result<()> {
        let before = if self.first {
            self.before.0
        } else {
            self.before.1
        };
        self.first = false;
        self.sink.write_all(before)?;
        segments.push(self.sink.write_part(&r.parts[0])?);
        self.sink.write_all(self.after)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }

    fn finish(mut self: Box<Self>, ending: Ending, _: &Aggregates) -> io::Result<Vec<PathBuf>> {
        let end = if self.first { self.end.0 } else { self.end.1 };
        self.sink.write_all(end)?;
        Ok(self.sink.finish(ending)?.into_iter().collect())
    }
}
