//! Spreadsheet output: `mentions.csv`, `documents.csv`, `entities.csv`, `cooccurrence.csv` and
//! `errors.csv`.
//!
//! Columns are fixed (documents.csv has one column per entity type, in dictionary order), UTF-8,
//! with a header row, and with `--excel` a byte-order mark so Excel reads UTF-8. A cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return)
//! gets a leading `'`, so a hostile document cannot plant one. Mention and document rows stream
//! out in input order; the entity and co-occurrence tables are written when the run ends.

use super::aggregate::{Aggregates, DocStats, COOCCURRENCE_COLUMNS};
use super::rows::{self, Cell, ENTITY_COLUMNS, MENTION_COLUMNS};
use super::{Ending, Options, Sink};
use crate::document::{Analysis, Document};
use crate::ingest::InputError;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The UTF-8 byte-order mark written first with `--excel`.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes mentions (and, to a folder, documents, entities and co-occurrences) as CSV. Rows are
/// rendered by [`render`] (in parallel, by the workers) and written here in order.
pub struct CsvWriter {
    mentions: Sink,
    /// With a folder: documents.csv, the corpus totals, and where they go.
    folder: Option<Folder>,
}

struct Folder {
    dir: PathBuf,
    documents: Sink,
    aggregates: Aggregates,
    types: Vec<String>,
    bom: bool,
}

/// One document's CSV output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRows {
    pub mentions: Vec<u8>,
    pub document: Vec<u8>,
    pub stats: DocStats,
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// CSV bytes of rows, every cell made spreadsheet-safe.
fn rows_bytes<R: AsRef<[Cell]>>(rows: &[R]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let mut buf = String::new();
    for row in rows {
        for cell in row.as_ref() {
            w.write_field(spreadsheet_safe(cell.text(&mut buf)).as_bytes())
                .expect("writing to memory");
        }
        w.write_record(None::<&[u8]>).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

fn header<S: AsRef<str>>(columns: &[S]) -> Vec<u8> {
    let cells: Vec<Cell> = columns.iter().map(|c| c.as_ref().into()).collect();
    rows_bytes(&[cells])
}

/// A CSV file in `dir` (or stdout), with the BOM if asked for and its header row.
fn open_table<S: AsRef<str>>(
    dir: Option<&Path>,
    name: &str,
    columns: &[S],
    bom: bool,
) -> io::Result<Sink> {
    let mut sink = Sink::open(dir, name)?;
    if bom {
        sink.write_all(BOM)?;
    }
    sink.write_all(&header(columns))?;
    Ok(sink)
}

impl CsvWriter {
    pub fn create(
        dir: Option<&Path>,
        types: &[String],
        options: &Options,
    ) -> io::Result<CsvWriter> {
        let mentions = open_table(dir, "mentions.csv", MENTION_COLUMNS, options.bom)?;
        let folder = match dir {
            Some(dir) => Some(Folder {
                dir: dir.to_path_buf(),
                documents: open_table(
                    Some(dir),
                    "documents.csv",
                    &rows::document_header(types),
                    options.bom,
                )?,
                aggregates: Aggregates::default(),
                types: types.to_vec(),
                bom: options.bom,
            }),
            None => None,
        };
        Ok(CsvWriter { mentions, folder })
    }

    /// Writes rows rendered by [`render`], adding where the mention and document rows went to
    /// `segments` (see [`super::Exporter::write`]).
    pub fn write(&mut self, rows: &CsvRows, segments: &mut Vec<(u64, u64)>) -> io::Result<()> {
        segments.push(self.mentions.write_part(&rows.mentions)?);
        if let Some(folder) = &mut self.folder {
            segments.push(folder.documents.write_part(&rows.document)?);
            folder.aggregates.add(&rows.stats);
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.mentions.flush()?;
        if let Some(folder) = &mut self.folder {
            folder.documents.flush()?;
        }
        Ok(())
    }

    /// Completes the files (named for `ending`); the entity and co-occurrence tables are
    /// written now, from the totals.
    pub fn finish(self, ending: Ending) -> io::Result<Vec<PathBuf>> {
        let mut written: Vec<PathBuf> = self.mentions.finish(ending)?.into_iter().collect();
        if let Some(folder) = self.folder {
            written.extend(folder.documents.finish(ending)?);
            let dir = Some(folder.dir.as_path());
            let mut entities = open_table(dir, "entities.csv", ENTITY_COLUMNS, folder.bom)?;
            entities.write_all(&rows_bytes(&folder.aggregates.entity_rows(&folder.types)))?;
            written.extend(entities.finish(ending)?);
            let mut pairs = open_table(dir, "cooccurrence.csv", COOCCURRENCE_COLUMNS, folder.bom)?;
            pairs.write_all(&rows_bytes(&folder.aggregates.cooccurrence_rows()))?;
            written.extend(pairs.finish(ending)?);
        }
        Ok(written)
    }
}

/// The CSV output of one document.
pub fn render(doc: &Document, analysis: &Analysis, types: &[String]) -> CsvRows {
    let segmented = crate::segment::segment(&doc.text, &analysis.mentions);
    CsvRows {
        mentions: rows_bytes(&rows::mention_rows(doc, analysis)),
        document: rows_bytes(&[rows::document_row(doc, analysis, types)]),
        stats: DocStats::new(doc, analysis, Some(&segmented)),
    }
}

/// Writes `errors.csv` (every input that produced no document, and why) into `dir`.
pub fn write_errors(
    dir: &Path,
    errors: &[InputError],
    options: &Options,
    ending: Ending,
) -> io::Result<PathBuf> {
    let mut sink = Sink::open(Some(dir), "errors.csv")?;
    if options.bom {
        sink.write_all(BOM)?;
    }
    let mut w = csv::Writer::from_writer(sink);
    w.write_record(["path", "line", "status", "stage", "reason"])
        .map_err(csv_error)?;
    for e in errors {
        let status = if e.skipped { "skipped" } else { "failed" };
        let line = e.line.map(|l| l.to_string()).unwrap_or_default();
        let row = [e.path.as_str(), &line, status, e.stage, &e.reason];
        w.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))
            .map_err(csv_error)?;
    }
    let sink = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok(sink.finish(ending)?.expect("a file sink"))
}

/// Neutralizes a cell a spreadsheet would evaluate as a formula (OWASP CSV injection).
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralized() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("North Korea", "North Korea"),
            ("", ""),
        ];
        for (cell, want) in cases {
            assert_eq!(spreadsheet_safe(cell), want);
        }
    }
}
