//! Reading inputs: paths and stdin → [`Document`]s, or a clear reason per input.
//!
//! Split in two so the expensive part runs in parallel:
//! - [`Units`] (one thread, in input order) walks the paths and streams container files — JSON
//!   Lines and CSV/TSV — record by record, so a 10 GB feed is never held in memory;
//! - [`load`] (any thread) reads and decodes one unit: a whole `.txt`/`.md`/`.html` file, or one
//!   record.
//!
//! Every input ends as a `Document` or an [`InputError`] naming the file (and line or row), the
//! stage and the reason.

mod decode;
mod html;
mod ids;
mod records;
mod rows;
mod shard;
mod walk;

pub use crate::dates::document_day;
pub use crate::dates::from_text_head as date_from_text;
pub use decode::{decode, decode_owned};
pub use html::{extract as extract_html, Page};
pub use ids::SeenIds;
pub use shard::Shard;
pub use walk::{glob_match, walk, Entry, WalkOptions};

use crate::document::Document;
use records::Container;
pub use records::{RecordData, STDIN};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text, one document.
    Text,
    /// Markdown, read as text, one document.
    Markdown,
    /// HTML: the visible text, one document.
    Html,
    /// JSON Lines: one document per line.
    Jsonl,
    /// CSV with a header: one document per row.
    Csv,
    /// Tab-separated with a header: one document per row.
    Tsv,
}

impl Format {
    /// The extensions read without `--input-format`, for messages.
    pub const EXTENSIONS: &'static str = ".txt .md .html .htm .jsonl .ndjson .csv .tsv";

    /// The format for a file name, from its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            _ => return None,
        })
    }
}

/// Why an input produced no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    /// Line (JSONL) or row line (CSV) inside the file, 1-based.
    pub line: Option<u64>,
    /// Pipeline stage that gave up: `ingest`, `decode`, `parse`.
    pub stage: &'static str,
    pub reason: String,
    /// Left out on purpose (unsupported type found while walking), not a failure.
    pub skipped: bool,
}

impl InputError {
    pub fn failed(path: &Path, stage: &'static str, reason: impl Into<String>) -> InputError {
        InputError {
            path: path.display().to_string(),
            line: None,
            stage,
            reason: reason.into(),
            skipped: false,
        }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// How records and files are read.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Format of stdin (`-`); `None`: JSON Lines if its first non-blank byte is `{`, else text.
    pub stdin_format: Option<Format>,
    /// JSONL field / CSV column holding the document id.
    pub id_field: String,
    /// JSONL field / CSV column holding the text.
    pub text_field: String,
    /// Larger files and records are reported, not loaded.
    pub max_doc_size: u64,
    /// A JSONL/CSV record's `title` becomes the first paragraph of its text (title, blank line,
    /// text), so mentions in it are tagged; offsets then count from the title's first character.
    pub title_in_text: bool,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            stdin_format: None,
            id_field: "id".into(),
            text_field: "text".into(),
            max_doc_size: 64 * 1024 * 1024,
            title_in_text: false,
        }
    }
}

/// One JSON Lines record — a JSON object, as `extract --input-format jsonl` reads a line — as a
/// document: the same fields, ids and errors as the JSONL reader (the Python package uses it so
/// that its records equal the CLI's). `source` and `line` name the record in fallback ids and
/// errors, as a file's path and line do.
pub fn document_from_json(
    source: &str,
    line: u64,
    json: Vec<u8>,
    options: &InputOptions,
) -> Result<Document, InputError> {
    records::parse(source, line, RecordData::Json(json), options)
}

/// One piece of work for [`load`].
#[derive(Debug)]
pub enum Unit {
    /// A whole file that is one document.
    File { path: PathBuf, format: Format },
    /// One record of a container file or of stdin.
    Record {
        source: String,
        line: u64,
        data: RecordData,
    },
    /// Nothing to load: the reason is already known.
    Problem(InputError),
}

impl Unit {
    /// What identifies the unit across runs (`--resume`): the file path, or `source:line` for a
    /// record.
    pub fn key(&self) -> String {
        match self {
            Unit::File { path, .. } => path.display().to_string(),
            Unit::Record { source, line, .. } => format!("{source}:{line}"),
            Unit::Problem(e) => e.to_string(),
        }
    }
}

/// Streams [`Unit`]s from walked entries, in order.
pub struct Units {
    entries: VecDeque<Entry>,
    current: Option<Open>,
    options: InputOptions,
    started: usize,
}

impl Units {
    pub fn new(entries: Vec<Entry>, options: InputOptions) -> Units {
        Units {
            entries: entries.into(),
            current: None,
            options,
            started: 0,
        }
    }

    /// How many entries have been started: the unit last returned came from entry
    /// `entries_started() - 1` (for progress by file).
    pub fn entries_started(&self) -> usize {
        self.started
    }
}

/// A JSONL/CSV source being read: the file (none for stdin) and how many units it gave.
struct Open {
    container: Container,
    file: Option<PathBuf>,
    units: usize,
}

impl Iterator for Units {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            if let Some(open) = &mut self.current {
                if let Some(unit) = open.container.next_unit() {
                    open.units += 1;
                    return Some(unit);
                }
                let open = self.current.take().expect("a source being read");
                // A file with no records is accounted for, like every input.
                if let (Some(path), 0) = (open.file, open.units) {
                    return Some(Unit::Problem(InputError {
                        skipped: true,
                        ..InputError::failed(&path, "parse", "no records")
                    }));
                }
            }
            let entry = self.entries.pop_front()?;
            self.started += 1;
            match entry {
                Entry::Problem(e) => return Some(Unit::Problem(e)),
                Entry::File { path, format } => match format {
                    Format::Text | Format::Markdown | Format::Html => {
                        return Some(Unit::File { path, format })
                    }
                    Format::Jsonl | Format::Csv | Format::Tsv => {
                        match Container::open_file(&path, format, &self.options) {
                            Ok(container) => {
                                self.current = Some(Open {
                                    container,
                                    file: Some(path),
                                    units: 0,
                                })
                            }
                            Err(e) => return Some(Unit::Problem(e)),
                        }
                    }
                },
                Entry::Stdin => match Container::stdin(&self.options) {
                    Ok(container) => {
                        self.current = Some(Open {
                            container,
                            file: None,
                            units: 0,
                        })
                    }
                    Err(e) => return Some(Unit::Problem(e)),
                },
            }
        }
    }
}

/// Size of a unit's raw input in bytes, for throughput figures.
pub fn unit_size(unit: &Unit) -> u64 {
    match unit {
        Unit::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
        Unit::Record { data, .. } => data.size() as u64,
        Unit::Problem(_) => 0,
    }
}

/// A unit's input, read but not yet decoded: what `--resume` compares across runs.
#[derive(Debug)]
pub enum Raw {
    File {
        path: PathBuf,
        format: Format,
        bytes: Vec<u8>,
    },
    Record {
        source: String,
        line: u64,
        data: RecordData,
    },
}

impl Raw {
    /// A 128-bit hash of the content (XXH3), which decides whether a document changed.
    pub fn content_hash(&self) -> u128 {
        use xxhash_rust::xxh3::{xxh3_128, Xxh3};
        match self {
            Raw::File { bytes, .. } => xxh3_128(bytes),
            Raw::Record { data, .. } => match data {
                RecordData::Json(b) | RecordData::Text(b) => xxh3_128(b),
                RecordData::Row { headers, fields } => {
                    let mut h = Xxh3::new();
                    for cell in headers.iter().chain([&"\x1e".to_string()]).chain(fields) {
                        h.update(cell.as_bytes());
                        h.update(b"\x1f");
                    }
                    h.digest128()
                }
            },
        }
    }
}

/// Reads one unit's input (a whole file, or a record already read by [`Units`]).
pub fn read(unit: Unit, options: &InputOptions) -> Result<Raw, InputError> {
    match unit {
        Unit::Problem(e) => Err(e),
        Unit::Record { source, line, data } => Ok(Raw::Record { source, line, data }),
        Unit::File { path, format } => {
            let bytes = read_file(&path, options.max_doc_size)?;
            Ok(Raw::File {
                path,
                format,
                bytes,
            })
        }
    }
}

/// Decodes and parses what [`read`] returned into a document.
pub fn parse(raw: Raw, options: &InputOptions) -> Result<Document, InputError> {
    match raw {
        Raw::Record { source, line, data } => records::parse(&source, line, data, options),
        Raw::File {
            path,
            format,
            bytes,
        } => parse_file(&path, format, bytes),
    }
}

/// Reads and decodes one unit into a document.
pub fn load(unit: Unit, options: &InputOptions) -> Result<Document, InputError> {
    parse(read(unit, options)?, options)
}

/// A file's bytes, never more than `max` of them: the size is checked on the open file, and the
/// read stops past the limit in case the file grows meanwhile.
fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let fail = |reason: String| InputError::failed(path, "ingest", reason);
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let size = file.metadata().map_err(|e| fail(e.to_string()))?.len();
    if size > max {
        return Err(fail(too_large(size, max)));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > max {
        return Err(fail(too_large(bytes.len() as u64, max)));
    }
    if bytes.is_empty() {
        return Err(fail("empty file".into()));
    }
    Ok(bytes)
}

fn parse_file(path: &Path, format: Format, bytes: Vec<u8>) -> Result<Document, InputError> {
    let (text, encoding) =
        decode_owned(bytes).map_err(|reason| InputError::failed(path, "decode", reason))?;
    let id = path.display().to_string();
    let page = match format {
        Format::Html => extract_html(&text),
        _ => Page {
            date: date_from_text(&text).map(|d| d.to_string()),
            text,
            title: None,
        },
    };
    let Page { text, title, date } = page;
    Ok(Document {
        id: id.clone(),
        path: Some(id),
        title,
        date,
        encoding: encoding.to_string(),
        text,
        ..Document::default()
    })
}

/// The message for an input over `--max-doc-size`.
pub fn too_large(size: u64, limit: u64) -> String {
    format!(
        "{} is over --max-doc-size ({})",
        human_size(size),
        human_size(limit)
    )
}

fn human_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{bytes} bytes")
    }
}
