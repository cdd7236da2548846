//! Spreadsheet output: `mentions.csv`, `documents.csv` and `errors.csv`.
//!
//! Columns are fixed (documents.csv has one column per entity type, in dictionary order), UTF-8,
//! with a header row. A cell that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, tab or carriage return) gets a leading `'`, so a hostile document cannot plant one.

use super::{Ending, Sink};
use crate::document::{Analysis, Document};
use crate::ingest::InputError;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const MENTION_COLUMNS: &[&str] = &[
    "doc_id",
    "type",
    "entity_id",
    "name",
    "text",
    "start",
    "end",
    "byte_start",
    "byte_end",
    "form",
    "in_office",
    "role",
    "attributes",
    "context",
];

/// Writes mentions (and, to a folder, documents) as CSV. Rows are rendered by [`render`] (in
/// parallel, by the workers) and written here in order.
pub struct CsvWriter {
    pub(super) mentions: Sink,
    pub(super) documents: Option<Sink>,
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// CSV bytes of rows, every cell made spreadsheet-safe.
fn rows_bytes<R: AsRef<[String]>>(rows: &[R]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows {
        let cells = row
            .as_ref()
            .iter()
            .map(|c| spreadsheet_safe(c).into_owned());
        w.write_record(cells).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// The header of `documents.csv`: fixed columns, one per entity type, topics, meta.
fn document_header(types: &[String]) -> Vec<String> {
    let mut header: Vec<String> = [
        "doc_id", "path", "title", "date", "encoding", "chars", "mentions",
    ]
    .map(String::from)
    .to_vec();
    header.extend(types.iter().cloned());
    header.extend(["topics".to_string(), "meta".to_string()]);
    header
}

impl CsvWriter {
    pub fn create(dir: Option<&Path>, types: &[String]) -> io::Result<CsvWriter> {
        let mut mentions = Sink::open(dir, "mentions.csv")?;
        let header: Vec<String> = MENTION_COLUMNS.iter().map(|c| c.to_string()).collect();
        mentions.write_all(&rows_bytes(&[header]))?;
        let documents = match dir {
            Some(_) => {
                let mut sink = Sink::open(dir, "documents.csv")?;
                sink.write_all(&rows_bytes(&[document_header(types)]))?;
                Some(sink)
            }
            None => None,
        };
        Ok(CsvWriter {
            mentions,
            documents,
        })
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.mentions.flush()?;
        if let Some(sink) = &mut self.documents {
            sink.flush()?;
        }
        Ok(())
    }

    pub fn finish(self, ending: Ending) -> io::Result<Vec<PathBuf>> {
        let mut written: Vec<PathBuf> = self.mentions.finish(ending)?.into_iter().collect();
        if let Some(sink) = self.documents {
            written.extend(sink.finish(ending)?);
        }
        Ok(written)
    }
}

/// The `mentions.csv` rows and the `documents.csv` row of one document.
pub fn render(doc: &Document, analysis: &Analysis, types: &[String]) -> (Vec<u8>, Vec<u8>) {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::with_capacity(256 * analysis.mentions.len()));
    let mut number = String::new();
    let mut attributes = String::new();
    let mut around = String::new();
    let cell = |w: &mut csv::Writer<Vec<u8>>, text: &str| {
        w.write_field(spreadsheet_safe(text).as_bytes())
            .expect("writing to memory");
    };
    for m in &analysis.mentions {
        cell(&mut w, &doc.id);
        cell(&mut w, &m.entity.kind);
        cell(&mut w, &m.entity.id);
        cell(&mut w, &m.entity.name);
        cell(&mut w, &m.text);
        for n in [m.start, m.end, m.byte_start, m.byte_end] {
            number.clear();
            let _ = write!(number, "{n}");
            cell(&mut w, &number);
        }
        cell(&mut w, m.form);
        match &m.role_on_date {
            None => {
                cell(&mut w, "");
                cell(&mut w, "");
            }
            Some(role) => {
                cell(&mut w, if role.is_some() { "true" } else { "false" });
                cell(&mut w, role.as_deref().unwrap_or(""));
            }
        }
        attributes.clear();
        for (i, (k, v)) in m.entity.attributes.iter().enumerate() {
            let sep = if i > 0 { "; " } else { "" };
            let _ = write!(attributes, "{sep}{k}={v}");
        }
        cell(&mut w, &attributes);
        context_into(&mut around, &doc.text, m.byte_start, m.byte_end);
        cell(&mut w, &around);
        w.write_record(None::<&[u8]>).expect("writing to memory");
    }
    let mention_rows = w.into_inner().expect("writing to memory");
    let mut per_type: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for m in &analysis.mentions {
        *per_type.entry((&m.entity.kind, &m.entity.id)).or_default() += 1;
    }
    let mut row = vec![
        doc.id.clone(),
        doc.path.clone().unwrap_or_default(),
        doc.title.clone().unwrap_or_default(),
        doc.date.clone().unwrap_or_default(),
        doc.encoding.clone(),
        doc.text.chars().count().to_string(),
        analysis.mentions.len().to_string(),
    ];
    for t in types {
        let mut counts: Vec<(&str, usize)> = per_type
            .iter()
            .filter(|((k, _), _)| k == t)
            .map(|((_, id), n)| (*id, *n))
            .collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        row.push(
            counts
                .iter()
                .map(|(id, n)| format!("{id}:{n}"))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    row.push(
        analysis
            .topics
            .iter()
            .map(|t| format!("{}:{:.4}", t.tag, t.score))
            .collect::<Vec<_>>()
            .join("; "),
    );
    row.push(if doc.meta.is_empty() {
        String::new()
    } else {
        serde_json::Value::Object(doc.meta.clone()).to_string()
    });
    (mention_rows, rows_bytes(&[row]))
}

/// Writes `errors.csv` (every input that produced no document, and why) into `dir`.
pub fn write_errors(dir: &Path, errors: &[InputError], ending: Ending) -> io::Result<PathBuf> {
    let mut w = csv::Writer::from_writer(Sink::open(Some(dir), "errors.csv")?);
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

/// Characters of context kept on each side of a mention.
const CONTEXT_CHARS: usize = 60;

/// The mention in its surroundings, on one line: up to [`CONTEXT_CHARS`] characters each side,
/// not crossing a paragraph break, whitespace collapsed.
pub fn context(text: &str, start: usize, end: usize) -> String {
    let mut out = String::new();
    context_into(&mut out, text, start, end);
    out
}

/// [`context`] into a reused buffer.
fn context_into(out: &mut String, text: &str, start: usize, end: usize) {
    let mut from = start;
    for (n, (at, c)) in text[..start].char_indices().rev().enumerate() {
        if n == CONTEXT_CHARS || c == '\n' {
            break;
        }
        from = at;
    }
    let mut to = end;
    for (n, (at, c)) in text[end..].char_indices().enumerate() {
        if n == CONTEXT_CHARS || c == '\n' {
            break;
        }
        to = end + at + c.len_utf8();
    }
    out.clear();
    for (i, word) in text[from..to].split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
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
            ("North Korea", "North Korea"),
            ("", ""),
        ];
        for (cell, want) in cases {
            assert_eq!(spreadsheet_safe(cell), want);
        }
    }

    /// The definition of the context, character by character.
    fn context_by_characters(text: &str, start: usize, end: usize) -> String {
        let before: Vec<char> = text[..start]
            .chars()
            .rev()
            .take(CONTEXT_CHARS)
            .take_while(|&c| c != '\n')
            .collect();
        let after = text[end..]
            .chars()
            .take(CONTEXT_CHARS)
            .take_while(|&c| c != '\n');
        let raw: String = before
            .into_iter()
            .rev()
            .chain(text[start..end].chars())
            .chain(after)
            .collect();
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    proptest::proptest! {
        #[test]
        fn context_agrees_with_its_definition(s in "(\\PC|[ \n\t]|\u{a0}|\u{2028}){0,200}", a in 0usize..200, b in 0usize..200) {
            let bounds: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
            let (x, y) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            let (start, end) = (x.min(y), x.max(y));
            proptest::prop_assert_eq!(context(&s, start, end), context_by_characters(&s, start, end));
        }
    }

    #[test]
    fn context_stays_on_the_line() {
        let text = "Headline\nSeoul said the   North Korean launch failed.\nNext line";
        let start = text.find("North").unwrap();
        assert_eq!(
            context(text, start, start + 12),
            "Seoul said the North Korean launch failed."
        );
    }
}
