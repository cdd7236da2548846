//! Spreadsheet output: `mentions.csv`, `documents.csv`, `entities.csv`, `cooccurrence.csv` and
//! `errors.csv`.
//!
//! Columns are fixed (documents.csv has one column per entity type, in dictionary order), UTF-8,
//! with a header row, and with `--excel` a byte-order mark so Excel reads UTF-8. In the default
//! dialect (`--csv-dialect excel`) a cell that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, so a hostile document
//! cannot plant one; `--csv-dialect raw` writes every value exactly, for programs. Mention and document rows stream
//! out in input order; the entity and co-occurrence tables are written when the run ends.

use super::aggregate::{Aggregates, COOCCURRENCE_COLUMNS};
use super::rows::{self, Cell, ENTITY_COLUMNS, MENTION_COLUMNS};
use super::{Context, Ending, Options, Output, Rendered, Sink, Writer};
use crate::document::{Analysis, Document};
use crate::ingest::InputError;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `--format csv`.
pub struct Csv;

impl Output for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn help(&self) -> &'static str {
        "mentions.csv (a row per mention), documents.csv (a row per document), entities.csv and \
         cooccurrence.csv"
    }
    fn outputs(&self) -> &'static [&'static str] {
        &[
            "mentions.csv",
            "documents.csv",
            "entities.csv",
            "cooccurrence.csv",
        ]
    }
    fn files(&self) -> &'static [&'static str] {
        &["mentions.csv", "documents.csv"]
    }
    fn counts_pairs(&self) -> bool {
        true
    }
    fn render(&self, ctx: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
        let options = ctx.options;
        // A row at a time: a dense document's rows never sit in memory all at once.
        let mut mentions = Table::new(options.part(), options);
        let mut context = String::new();
        for m in &analysis.mentions {
            rows::context_into(&doc.text, m.byte_start, m.byte_end, &mut context);
            mentions.row(&rows::mention_row(doc, m, &context));
        }
        let mut document = Table::new(options.part(), options);
        document.row(&rows::document_row(
            doc,
            analysis,
            ctx.types,
            &options.meta_columns,
        ));
        Rendered::parts(vec![mentions.finish().finish(), document.finish().finish()])
    }
    fn create(&self, dir: Option<&Path>, ctx: &Context) -> io::Result<Box<dyn Writer>> {
        Ok(Box::new(CsvWriter::create(dir, ctx)?))
    }
}

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
    types: Vec<String>,
    options: Options,
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// CSV rows written to `out`, every cell as the dialect says.
///
/// Written as the `csv` crate writes with its default settings (a comma between fields, `\n`
/// after each record, a field quoted only when it holds `,`, `"`, `\r` or `\n`, a `"` inside
/// quotes doubled, a record of one empty field written `""`), but a row at a time into one
/// reused buffer: the crate's byte-at-a-time field writer was most of the cost of CSV output.
/// `rows_are_written_as_the_csv_crate_writes_them` holds the two to the same bytes.
struct Table<'a, W: Write> {
    out: W,
    options: &'a Options,
    /// The row being written, reused.
    row: Vec<u8>,
    /// A number cell as text, reused.
    buf: String,
}

impl<'a, W: Write> Table<'a, W> {
    fn new(out: W, options: &'a Options) -> Self {
        Table {
            out,
            options,
            row: Vec::new(),
            buf: String::new(),
        }
    }

    fn row(&mut self, row: &[Cell]) {
        self.row.clear();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                self.row.push(b',');
            }
            let text = self.options.cell(cell.text(&mut self.buf));
            push_field(&mut self.row, text.as_bytes());
        }
        if self.row.is_empty() {
            self.row.extend_from_slice(b"\"\"");
        }
        self.row.push(b'\n');
        self.out.write_all(&self.row).expect("writing to memory");
    }

    fn finish(self) -> W {
        self.out
    }
}

/// Appends `field` to `out`, in quotes (with each `"` doubled) when it holds a byte that CSV
/// readers take as structure.
#[inline]
fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    let plain = match field.len() {
        // memchr's setup costs more than a short field's bytes.
        0..16 => !field
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n')),
        _ => memchr::memchr3(b',', b'"', b'\n', field).is_none() && !field.contains(&b'\r'),
    };
    if plain {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    let mut copied = 0;
    for quote in memchr::memchr_iter(b'"', field) {
        out.extend_from_slice(&field[copied..=quote]);
        out.push(b'"');
        copied = quote + 1;
    }
    out.extend_from_slice(&field[copied..]);
    out.push(b'"');
}

/// CSV bytes of rows, every cell written as the dialect says.
fn rows_bytes<'c, R: AsRef<[Cell<'c>]>>(rows: &[R], options: &Options) -> Vec<u8> {
    let mut table = Table::new(Vec::new(), options);
    for row in rows {
        table.row(row.as_ref());
    }
    table.finish()
}

/// A CSV file in `dir` (or stdout), with the BOM if asked for and its header row.
fn open_table<S: AsRef<str>>(
    dir: Option<&Path>,
    name: &str,
    columns: &[S],
    options: &Options,
) -> io::Result<Sink> {
    let mut sink = Sink::open(dir, name)?;
    if options.bom {
        sink.write_all(BOM)?;
    }
    let cells: Vec<Cell> = columns.iter().map(|c| c.as_ref().into()).collect();
    sink.write_all(&rows_bytes(&[cells], options))?;
    Ok(sink)
}

impl CsvWriter {
    fn create(dir: Option<&Path>, ctx: &Context) -> io::Result<CsvWriter> {
        let options = ctx.options;
        let mentions = open_table(dir, "mentions.csv", MENTION_COLUMNS, options)?;
        let folder = match dir {
            Some(dir) => Some(Folder {
                dir: dir.to_path_buf(),
                documents: open_table(
                    Some(dir),
                    "documents.csv",
                    &rows::document_header(ctx.types, &options.meta_columns),
                    options,
                )?,
                types: ctx.types.to_vec(),
                options: options.clone(),
            }),
            None => None,
        };
        Ok(CsvWriter { mentions, folder })
    }
}

impl Writer for CsvWriter {
    /// Writes the mention rows (and to a folder the document row) rendered by [`Csv::render`].
    fn write(&mut self, rendered: &Rendered, segments: &mut Vec<(u64, u64)>) -> io::Result<()> {
        segments.push(self.mentions.write_part(&rendered.parts[0])?);
        if let Some(folder) = &mut self.folder {
            segments.push(folder.documents.write_part(&rendered.parts[1])?);
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.mentions.flush()?;
        if let Some(folder) = &mut self.folder {
            folder.documents.flush()?;
        }
        Ok(())
    }

    /// Completes the files (named for `ending`); the entity and co-occurrence tables are
    /// written now, from the totals.
    fn finish(self: Box<Self>, ending: Ending, corpus: &Aggregates) -> io::Result<Vec<PathBuf>> {
        let mut written: Vec<PathBuf> = self.mentions.finish(ending)?.into_iter().collect();
        if let Some(folder) = self.folder {
            written.extend(folder.documents.finish(ending)?);
            let (dir, options) = (Some(folder.dir.as_path()), &folder.options);
            let mut entities = open_table(dir, "entities.csv", ENTITY_COLUMNS, options)?;
            let rows = corpus.entity_rows(&folder.types);
            entities.write_all(&rows_bytes(&rows, options))?;
            written.extend(entities.finish(ending)?);
            let mut pairs = open_table(dir, "cooccurrence.csv", COOCCURRENCE_COLUMNS, options)?;
            let rows = corpus.cooccurrence_rows();
            pairs.write_all(&rows_bytes(&rows, options))?;
            written.extend(pairs.finish(ending)?);
        }
        Ok(written)
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
        w.write_record(row.iter().map(|c| options.cell(c).into_owned()))
            .map_err(csv_error)?;
    }
    let sink = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok(sink.finish(ending)?.expect("a file sink"))
}

/// Neutralizes a cell a spreadsheet would evaluate as a formula (OWASP CSV injection).
#[inline]
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    // All ASCII: the first byte is the first character.
    if matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Dialect;

    proptest::proptest! {
        #[test]
        fn rows_are_written_as_the_csv_crate_writes_them(
            rows in proptest::collection::vec(
                proptest::collection::vec("([a ,\"\r\n=+@\t-]|é|Iran){0,6}", 1..5),
                1..4,
            ),
            raw: bool,
        ) {
            let dialect = if raw { Dialect::Raw } else { Dialect::Excel };
            let options = Options { dialect, ..Options::default() };
            let cells: Vec<Vec<Cell>> = (rows.iter())
                .map(|row| row.iter().map(|c| c.as_str().into()).collect())
                .collect();
            let mut crate_writer = csv::WriterBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_writer(Vec::new());
            for row in &rows {
                crate_writer
                    .write_record(row.iter().map(|c| options.cell(c).into_owned()))
                    .unwrap();
            }
            proptest::prop_assert_eq!(
                String::from_utf8(rows_bytes(&cells, &options)).unwrap(),
                String::from_utf8(crate_writer.into_inner().unwrap()).unwrap()
            );
        }
    }

    #[test]
    fn numbers_and_a_lone_empty_cell_are_written_as_the_csv_crate_writes_them() {
        let options = Options::default();
        let rows: Vec<Vec<Cell>> = vec![
            vec!["".into()],
            vec![
                Cell::Int(0),
                Cell::Int(u64::MAX),
                Cell::Float(0.25),
                "".into(),
            ],
            vec!["say \"hi\", then go".into(), "-1".into()],
        ];
        assert_eq!(
            String::from_utf8(rows_bytes(&rows, &options)).unwrap(),
            "\"\"\n0,18446744073709551615,0.25,\n\"say \"\"hi\"\", then go\",'-1\n"
        );
    }

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
