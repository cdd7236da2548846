//! `--format xlsx`: one workbook, `results.xlsx`, with sheets Documents, Mentions, Entities and
//! Topics — header row in bold and frozen, an autofilter over each table, fixed column widths
//! chosen per column.
//!
//! Rows stream into the sheets in input order (rust_xlsxwriter's constant-memory mode keeps
//! written rows in temporary files in the output folder, not in memory); the Entities sheet is
//! filled when the run ends. Excel holds at most 1,048,576 rows per sheet: a table that grows
//! past that continues on a new sheet named `Mentions (2)`, `Mentions (3)`, … after the four
//! first sheets. Cells are typed (offsets and counts are numbers, everything else text), so no
//! cell is ever read as a formula; text longer than Excel's 32,767 characters per cell is cut
//! to fit, ending in `…`. The workbook's creation date is fixed ([`CREATED`]), not the clock, so
//! identical runs write byte-identical files.
//!
//! rust_xlsxwriter 0.96 panics when it cannot write a constant-memory sheet's temporary file (a
//! full disk): every call into it goes through [`unpanic`], which turns that panic into the I/O
//! error it was, so the run ends with `cannot write output` (exit 2), not a crash.

use super::aggregate::Aggregates;
use super::rows::{self, Cell, ENTITY_COLUMNS, MENTION_COLUMNS, TOPIC_COLUMNS};
use super::{AtomicFile, Context, Ending, Output, Rendered, Writer};
use crate::document::{Analysis, Document};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::io;
use std::path::{Path, PathBuf};

/// `--format xlsx`.
pub struct Xlsx;

impl Output for Xlsx {
    fn name(&self) -> &'static str {
        "xlsx"
    }
    fn help(&self) -> &'static str {
        "One workbook, results.xlsx: sheets Documents, Mentions, Entities, Topics (needs --out)"
    }
    fn outputs(&self) -> &'static [&'static str] {
        &["results.xlsx"]
    }
    fn needs_folder(&self) -> bool {
        true
    }
    /// The workbook is compressed and rebuilt whole, and the state keeps no copy of rows (it
    /// would grow with the output): with it every document is analyzed again.
    fn carries(&self) -> bool {
        false
    }
    fn render(&self, ctx: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
        Rendered::rows(render(doc, analysis, ctx))
    }
    fn create(&self, dir: Option<&Path>, ctx: &Context) -> io::Result<Box<dyn Writer>> {
        let dir = dir.ok_or_else(|| super::needs_folder(self))?;
        Ok(Box::new(XlsxWriter::create(dir, ctx, MAX_ROWS)?))
    }
}

/// Rows per sheet in Excel, the header row included.
pub const MAX_ROWS: u32 = 1_048_576;
/// The creation date written in every workbook's properties (year, month, day).
const CREATED: (u16, u8, u8) = (2000, 1, 1);
/// Characters per cell in Excel.
const MAX_CELL_CHARS: usize = 32_767;

/// One document's rows for the workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct XlsxRows {
    document: Vec<Cell<'static>>,
    mentions: Vec<Vec<Cell<'static>>>,
    topics: Vec<Vec<Cell<'static>>>,
}

impl XlsxRows {
    /// The Mentions sheet's rows, one per mention in document order.
    pub fn mentions(&self) -> &[Vec<Cell<'static>>] {
        &self.mentions
    }
}

/// The workbook rows of one document.
pub fn render(doc: &Document, analysis: &Analysis, ctx: &Context) -> XlsxRows {
    let meta_columns = &ctx.options.meta_columns;
    XlsxRows {
        document: (rows::document_row(doc, analysis, ctx.types, meta_columns).into_iter())
            .map(Cell::into_owned)
            .collect(),
        mentions: rows::mention_rows(doc, analysis),
        topics: rows::topic_rows(doc, analysis),
    }
}

/// One table, spread over as many sheets as it needs.
struct Table {
    name: &'static str,
    header: Vec<String>,
    /// (index of the worksheet in the workbook, rows written on it, header included).
    sheets: Vec<(usize, u32)>,
}

pub struct XlsxWriter {
    workbook: Workbook,
    dest: PathBuf,
    documents: Table,
    mentions: Table,
    entities: Table,
    topics: Table,
    types: Vec<String>,
    max_rows: u32,
}

/// Runs `f`, turning a panic inside rust_xlsxwriter into an I/O error carrying its message.
fn unpanic<T>(f: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = (panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(io::Error::other(format!("results.xlsx: {what}")))
    })
}

fn xlsx_error(e: XlsxError) -> io::Error {
    match e {
        XlsxError::IoError(e) => e,
        other => io::Error::other(format!("results.xlsx: {other}")),
    }
}

/// A sensible width (in characters) for a column, by its name.
fn width(column: &str) -> f64 {
    match column {
        "start" | "end" | "byte_start" | "byte_end" | "chars" | "mentions" | "documents"
        | "score" | "type" | "form" | "in_office" | "type_a" | "type_b" => 11.0,
        "date" | "encoding" | "entity_id" => 14.0,
        "name" | "text" | "role" => 22.0,
        "doc_id" | "path" | "first_doc" | "tag" | "attributes" => 30.0,
        "title" | "topics" | "meta" => 45.0,
        c if c.starts_with("meta.") => 22.0,
        "context" | "evidence" => 80.0,
        _ => 30.0, // one column per entity type in Documents: `id:count; …`
    }
}

fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_CELL_CHARS || text.chars().count() <= MAX_CELL_CHARS {
        return text.into();
    }
    let mut cut: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    cut.push('…');
    cut.into()
}

impl Table {
    fn new(name: &'static str, header: Vec<String>) -> Table {
        Table {
            name,
            header,
            sheets: Vec::new(),
        }
    }

    /// Starts the next sheet of this table: name, widths, frozen bold header.
    fn add_sheet(&mut self, workbook: &mut Workbook, constant_memory: bool) -> io::Result<()> {
        let name = match self.sheets.len() {
            0 => self.name.to_string(),
            n => format!("{} ({})", self.name, n + 1),
        };
        let sheet = if constant_memory {
            workbook.add_worksheet_with_constant_memory()
        } else {
            workbook.add_worksheet()
        };
        sheet.set_name(name).map_err(xlsx_error)?;
        let bold = Format::new().set_bold();
        for (col, title) in self.header.iter().enumerate() {
            let col = col as u16;
            sheet
                .set_column_width(col, width(title))
                .map_err(xlsx_error)?;
            sheet
                .write_string_with_format(0, col, title, &bold)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        let index = workbook.worksheets().len() - 1;
        self.sheets.push((index, 1));
        Ok(())
    }

    fn write(&mut self, workbook: &mut Workbook, row: &[Cell], max_rows: u32) -> io::Result<()> {
        if self.sheets.last().is_none_or(|&(_, rows)| rows >= max_rows) {
            self.add_sheet(workbook, true)?;
        }
        let (index, rows) = self.sheets.last_mut().expect("a sheet");
        let sheet = workbook.worksheet_from_index(*index).map_err(xlsx_error)?;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    sheet.write_string(*rows, col, fit(s)).map_err(xlsx_error)?;
                }
                Cell::Int(n) => {
                    sheet
                        .write_number(*rows, col, *n as f64)
                        .map_err(xlsx_error)?;
                }
                Cell::Float(x) => {
                    sheet.write_number(*rows, col, *x).map_err(xlsx_error)?;
                }
            }
        }
        *rows += 1;
        Ok(())
    }

    fn add_autofilters(&self, workbook: &mut Workbook) -> io::Result<()> {
        let last_col = self.header.len() as u16 - 1;
        for &(index, rows) in &self.sheets {
            let sheet = workbook.worksheet_from_index(index).map_err(xlsx_error)?;
            sheet
                .autofilter(0, 0, rows.max(2) - 1, last_col)
                .map_err(xlsx_error)?;
        }
        Ok(())
    }
}

impl XlsxWriter {
    /// A workbook to be written as `dir/results.xlsx`, at most `max_rows` rows per sheet.
    pub fn create(dir: &Path, ctx: &Context, max_rows: u32) -> io::Result<XlsxWriter> {
        unpanic(|| XlsxWriter::start(dir, ctx, max_rows))
    }

    fn start(dir: &Path, ctx: &Context, max_rows: u32) -> io::Result<XlsxWriter> {
        let types = ctx.types;
        let mut workbook = Workbook::new();
        workbook.set_tempdir(dir).map_err(xlsx_error)?;
        let (y, m, d) = CREATED;
        let created = ExcelDateTime::from_ymd(y, m, d).map_err(xlsx_error)?;
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let mut writer = XlsxWriter {
            workbook,
            dest: dir.join("results.xlsx"),
            documents: Table::new(
                "Documents",
                rows::document_header(types, &ctx.options.meta_columns),
            ),
            mentions: Table::new("Mentions", columns(MENTION_COLUMNS)),
            entities: Table::new("Entities", columns(ENTITY_COLUMNS)),
            topics: Table::new("Topics", columns(TOPIC_COLUMNS)),
            types: types.to_vec(),
            max_rows: max_rows.max(2),
        };
        // The four sheets first, in this order; continuation sheets come after them.
        let w = &mut writer;
        w.documents.add_sheet(&mut w.workbook, true)?;
        w.mentions.add_sheet(&mut w.workbook, true)?;
        w.entities.add_sheet(&mut w.workbook, false)?;
        w.topics.add_sheet(&mut w.workbook, true)?;
        Ok(writer)
    }
}

impl Writer for XlsxWriter {
    fn write(&mut self, r: &Rendered, _: &mut Vec<(u64, u64)>) -> io::Result<()> {
        unpanic(|| self.write_rows(r.rows_of()))
    }

    /// Writes the workbook (as `results.xlsx.partial` after an interrupted run).
    fn finish(self: Box<Self>, ending: Ending, corpus: &Aggregates) -> io::Result<Vec<PathBuf>> {
        unpanic(|| self.save(ending, corpus))
    }
}

impl XlsxWriter {
    fn write_rows(&mut self, rows: &XlsxRows) -> io::Result<()> {
        let (book, max) = (&mut self.workbook, self.max_rows);
        self.documents.write(book, &rows.document, max)?;
        for row in &rows.mentions {
            self.mentions.write(book, row, max)?;
        }
        for row in &rows.topics {
            self.topics.write(book, row, max)?;
        }
        Ok(())
    }

    /// The entity table and the filters, then the file (`.partial` after an interrupted run).
    fn save(mut self: Box<Self>, ending: Ending, corpus: &Aggregates) -> io::Result<Vec<PathBuf>> {
        for row in corpus.entity_rows(&self.types) {
            self.entities
                .write(&mut self.workbook, &row, self.max_rows)?;
        }
        for table in [
            &self.documents,
            &self.mentions,
            &self.entities,
            &self.topics,
        ] {
            table.add_autofilters(&mut self.workbook)?;
        }
        let mut file = AtomicFile::create(&self.dest)?;
        self.workbook
            .save_to_writer(&mut file)
            .map_err(xlsx_error)?;
        let dest = self.dest.with_file_name(ending.file_name("results.xlsx"));
        Ok(vec![file.commit_as(&dest)?])
    }
}

fn columns(names: &[&str]) -> Vec<String> {
    names.iter().map(|c| c.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::DocStats;
    use calamine::{open_workbook, Data, Reader, Xlsx};

    #[test]
    fn a_full_sheet_continues_on_the_next() {
        let pipeline = crate::Pipeline::bundled().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let types = pipeline.types().to_vec();
        let options = crate::export::Options::default();
        let ctx = Context {
            types: &types,
            options: &options,
        };
        // Three rows per sheet: the header and two data rows.
        let mut corpus = Aggregates::default();
        let mut writer: Box<dyn Writer> =
            Box::new(XlsxWriter::create(dir.path(), &ctx, 3).unwrap());
        for (id, text) in [
            ("d1", "Iran and Iraq."),
            ("d2", "Japan."),
            ("d3", "Chile, Peru, Cuba."),
        ] {
            let doc = Document::new(id, text);
            let analysis = pipeline.analyze(&doc);
            corpus.add(&DocStats::new(&doc, &analysis, None));
            writer
                .write(&Xlsx.render(&ctx, &doc, &analysis), &mut Vec::new())
                .unwrap();
        }
        let written = writer.finish(Ending::Complete, &corpus).unwrap();
        assert_eq!(written, [dir.path().join("results.xlsx")]);
        let mut book: Xlsx<_> = open_workbook(&written[0]).unwrap();
        assert_eq!(
            book.sheet_names(),
            [
                "Documents",
                "Mentions",
                "Entities",
                "Topics",
                "Mentions (2)",
                "Documents (2)",
                "Mentions (3)",
                "Entities (2)",
                "Entities (3)",
            ]
        );
        let column = |book: &mut Xlsx<_>, sheet: &str, col: usize| -> Vec<String> {
            let range = book.worksheet_range(sheet).unwrap();
            range.rows().map(|r| r[col].to_string()).collect()
        };
        assert_eq!(column(&mut book, "Mentions", 4), ["text", "Iran", "Iraq"]);
        assert_eq!(
            column(&mut book, "Mentions (2)", 4),
            ["text", "Japan", "Chile"]
        );
        assert_eq!(
            column(&mut book, "Mentions (3)", 4),
            ["text", "Peru", "Cuba"]
        );
        assert_eq!(column(&mut book, "Documents (2)", 0), ["doc_id", "d3"]);
        let range = book.worksheet_range("Mentions (3)").unwrap();
        assert_eq!(
            range.get((1, 5)),
            Some(&Data::Float(7.0)),
            "start is a number"
        );
    }

    #[test]
    fn overlong_text_is_cut_to_fit_a_cell() {
        let long = "é".repeat(MAX_CELL_CHARS + 5);
        let cut = fit(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit("short"), "short");
    }
}
