//! Container inputs — JSON Lines and CSV/TSV files, and stdin — streamed one record at a time.
//!
//! A record larger than `--max-doc-size` is reported and skipped without being held in memory; a
//! malformed line or row is reported with its line number and the rest of the file is read.

use super::rows::{Row, Rows};
use super::{decode, too_large, Format, InputError, InputOptions, Unit};
use crate::document::Document;
use serde_json::{Map, Value};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

/// The raw content of one record, parsed by a worker thread.
#[derive(Debug)]
pub enum RecordData {
    Json(Vec<u8>),
    Row {
        headers: Arc<Vec<String>>,
        fields: Vec<String>,
    },
    Text(Vec<u8>),
}

impl RecordData {
    /// Bytes of input the record holds.
    pub fn size(&self) -> usize {
        match self {
            RecordData::Json(b) | RecordData::Text(b) => b.len(),
            RecordData::Row { fields, .. } => fields.iter().map(String::len).sum(),
        }
    }
}

/// An open container being read record by record.
pub enum Container {
    Lines {
        reader: Box<dyn BufRead + Send>,
        source: String,
        line: u64,
        max: u64,
        done: bool,
    },
    Rows {
        rows: Box<Rows>,
        headers: Arc<Vec<String>>,
        source: String,
    },
    Whole {
        reader: Option<Box<dyn Read + Send>>,
        source: String,
        max: u64,
    },
}

/// The source name of records read from stdin.
pub const STDIN: &str = "<stdin>";

impl Container {
    pub fn open_file(
        path: &Path,
        format: Format,
        options: &InputOptions,
    ) -> Result<Container, InputError> {
        let file = std::fs::File::open(path)
            .map_err(|e| InputError::failed(path, "ingest", e.to_string()))?;
        Container::open(Box::new(file), path.display().to_string(), format, options)
    }

    pub fn stdin(options: &InputOptions) -> Result<Container, InputError> {
        let mut input = BufReader::with_capacity(1 << 16, std::io::stdin());
        let format = match options.stdin_format {
            Some(format) => format,
            None => sniff(&mut input),
        };
        Container::open(Box::new(input), STDIN.into(), format, options)
    }

    fn open(
        input: Box<dyn Read + Send>,
        source: String,
        format: Format,
        options: &InputOptions,
    ) -> Result<Container, InputError> {
        let max = options.max_doc_size;
        match format {
            Format::Jsonl => Ok(Container::Lines {
                reader: Box::new(BufReader::with_capacity(1 << 16, input)),
                source,
                line: 0,
                max,
                done: false,
            }),
            Format::Csv | Format::Tsv => {
                let (delimiter, quoting) = match format {
                    Format::Tsv => (b'\t', false),
                    _ => (b',', true),
                };
                let mut rows = Box::new(Rows::new(input, delimiter, quoting, max));
                let fail = |reason: String| InputError {
                    path: source.clone(),
                    line: Some(1),
                    stage: "parse",
                    reason,
                    skipped: false,
                };
                let headers: Vec<String> = match rows.next_row() {
                    Some((_, Row::Fields(headers))) => headers
                        .iter()
                        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
                        .collect(),
                    Some((_, Row::Failed(e))) => {
                        return Err(fail(format!("cannot read the header row: {e}")))
                    }
                    Some(_) => return Err(fail("cannot read the header row".into())),
                    None => Vec::new(),
                };
                if !headers.contains(&options.text_field) {
                    return Err(fail(format!(
                        "no {:?} column (columns: {}); choose one with --text-column",
                        options.text_field,
                        headers.join(", ")
                    )));
                }
                Ok(Container::Rows {
                    rows,
                    headers: Arc::new(headers),
                    source,
                })
            }
            Format::Text | Format::Markdown | Format::Html => Ok(Container::Whole {
                reader: Some(input),
                source,
                max,
            }),
        }
    }

    /// The next record, a problem with one, or `None` at the end.
    pub fn next_unit(&mut self) -> Option<Unit> {
        match self {
            Container::Lines {
                reader,
                source,
                line,
                max,
                done,
            } => next_line(reader, source, line, *max, done),
            Container::Rows {
                rows,
                headers,
                source,
            } => next_row(rows, headers, source),
            Container::Whole {
                reader,
                source,
                max,
            } => whole(reader.take()?, source, *max),
        }
    }
}

/// The next non-blank line of a JSON Lines stream, as a record.
fn next_line(
    reader: &mut Box<dyn BufRead + Send>,
    source: &str,
    line: &mut u64,
    max: u64,
    done: &mut bool,
) -> Option<Unit> {
    loop {
        if *done {
            return None;
        }
        let mut buf = Vec::new();
        let read = reader.by_ref().take(max + 1).read_until(b'\n', &mut buf);
        *line += 1;
        let problem = |reason: String| {
            Unit::Problem(InputError {
                path: source.to_string(),
                line: Some(*line),
                stage: "ingest",
                reason,
                skipped: false,
            })
        };
        match read {
            Err(e) => {
                *done = true;
                return Some(problem(e.to_string()));
            }
            Ok(0) => return None,
            Ok(_) => {}
        }
        if buf.len() as u64 > max && buf.last() != Some(&b'\n') {
            let size = buf.len() as u64 + skip_line(reader.as_mut());
            return Some(problem(too_large(size, max)));
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        return Some(Unit::Record {
            source: source.to_string(),
            line: *line,
            data: RecordData::Json(buf),
        });
    }
}

/// The next row of a CSV/TSV file, as a record.
fn next_row(rows: &mut Rows, headers: &Arc<Vec<String>>, source: &str) -> Option<Unit> {
    let (mut line, row) = rows.next_row()?;
    if let Row::BrokenQuote { opened, .. } = row {
        line = opened;
    }
    let problem = |stage, reason: String| {
        Some(Unit::Problem(InputError {
            path: source.to_string(),
            line: Some(line),
            stage,
            reason,
            skipped: false,
        }))
    };
    match row {
        Row::Fields(fields) if fields.len() != headers.len() => problem(
            "parse",
            format!(
                "row has {} fields, the header has {}",
                fields.len(),
                headers.len()
            ),
        ),
        Row::Fields(fields) => Some(Unit::Record {
            source: source.to_string(),
            line,
            data: RecordData::Row {
                headers: Arc::clone(headers),
                fields,
            },
        }),
        Row::TooLarge(size) => problem("ingest", too_large(size, rows.max())),
        Row::NotText(field) => problem(
            "parse",
            format!("field {field} is not UTF-8 text (save the file as UTF-8)"),
        ),
        Row::Failed(e) => problem("ingest", e),
        Row::BrokenQuote { reason, .. } => problem("parse", reason),
    }
}

/// A whole file (or stdin) as one record.
fn whole(mut input: Box<dyn Read + Send>, source: &str, max: u64) -> Option<Unit> {
    let mut buf = Vec::new();
    let problem = |reason: String| {
        Unit::Problem(InputError {
            path: source.to_string(),
            line: None,
            stage: "ingest",
            reason,
            skipped: false,
        })
    };
    if let Err(e) = input.by_ref().take(max + 1).read_to_end(&mut buf) {
        return Some(problem(e.to_string()));
    }
    if buf.len() as u64 > max {
        let size = buf.len() as u64 + std::io::copy(&mut input, &mut std::io::sink()).unwrap_or(0);
        return Some(problem(too_large(size, max)));
    }
    Some(Unit::Record {
        source: source.to_string(),
        line: 1,
        data: RecordData::Text(buf),
    })
}

/// The format of stdin without `--input-format`: JSON Lines when its first non-blank byte is `{`,
/// else text (one document). Looks at the first buffer only, consuming nothing.
fn sniff(input: &mut impl BufRead) -> Format {
    let head = input.fill_buf().unwrap_or_default();
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::Jsonl,
        _ => Format::Text,
    }
}

/// Discards the rest of an over-long line; returns how many bytes it had.
fn skip_line(reader: &mut dyn BufRead) -> u64 {
    let mut skipped = 0u64;
    loop {
        let (consumed, found) = match reader.fill_buf() {
            Ok([]) | Err(_) => return skipped,
            Ok(buf) => match buf.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (buf.len(), false),
            },
        };
        reader.consume(consumed);
        skipped += consumed as u64;
        if found {
            return skipped;
        }
    }
}

/// Turns one record into a document.
pub fn parse(
    source: &str,
    line: u64,
    data: RecordData,
    options: &InputOptions,
) -> Result<Document, InputError> {
    let fail = |stage, reason: String| InputError {
        path: source.to_string(),
        line: Some(line),
        stage,
        reason,
        skipped: false,
    };
    let path = (source != STDIN).then(|| source.to_string());
    let fallback_id = format!("{source}:{line}");
    match data {
        RecordData::Text(bytes) => {
            if bytes.is_empty() {
                return Err(InputError {
                    line: None,
                    ..fail("ingest", "empty input".into())
                });
            }
            let (text, encoding) = decode(&bytes).map_err(|r| InputError {
                line: None,
                ..fail("decode", r)
            })?;
            Ok(Document {
                id: source.to_string(),
                path,
                encoding: encoding.into(),
                text,
                ..Document::default()
            })
        }
        RecordData::Json(bytes) => {
            if let Err(e) = std::str::from_utf8(&bytes) {
                let reason = format!(
                    "invalid JSON: the line is not UTF-8 text (invalid byte at column {})",
                    e.valid_up_to() + 1
                );
                return Err(fail("parse", reason));
            }
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|e| fail("parse", format!("invalid JSON: {e}")))?;
            let Value::Object(mut fields) = value else {
                return Err(fail("parse", "not a JSON object".into()));
            };
            keep_id_digits(&mut fields, &bytes, &options.id_field);
            let doc =
                from_fields(fields, fallback_id, path, options).map_err(|r| fail("parse", r))?;
            check_date(source, line, &doc);
            Ok(doc)
        }
        RecordData::Row { headers, fields } => {
            let map: Map<String, Value> = headers
                .iter()
                .cloned()
                .zip(fields.into_iter().map(Value::String))
                .collect();
            let doc = from_fields(map, fallback_id, path, options).map_err(|r| fail("parse", r))?;
            check_date(source, line, &doc);
            Ok(doc)
        }
    }
}

/// Warns on stderr, once per file, about a `date` field that is no date entopic reads; the record
/// keeps it as written, and leaders' roles are not checked against it.
fn check_date(source: &str, line: u64, doc: &Document) {
    use std::collections::HashSet;
    use std::sync::{LazyLock, Mutex};
    // Files already warned about, for the whole process (workers parse records in any order).
    static WARNED: LazyLock<Mutex<HashSet<String>>> = LazyLock::new(Default::default);
    let Some(date) = &doc.date else { return };
    if super::document_day(date).is_some() {
        return;
    }
    let first = WARNED
        .lock()
        .is_ok_and(|mut warned| warned.insert(source.to_string()));
    if first {
        eprintln!(
            "entopic: warning: {source}:{line}: date {date:?} is not a date entopic reads \
             (2024-07-30, 30 July 2024, July 30, 2024, 20240730); it is kept as written and \
             leaders' roles are not checked against it (other such dates in this file are not \
             listed)"
        );
    }
}

/// A numeric id that is not a 64-bit integer (`123456789012345678901234567890`) would come out of
/// `f64` as `1.2345678901234568e+29`: it is replaced by its digits exactly as the line wrote them.
fn keep_id_digits(fields: &mut Map<String, Value>, line: &[u8], id_field: &str) {
    use serde_json::value::RawValue;
    if !fields
        .get(id_field)
        .is_some_and(|v| v.as_f64().is_some() && v.is_f64())
    {
        return;
    }
    let raw: Result<std::collections::HashMap<String, Box<RawValue>>, _> =
        serde_json::from_slice(line);
    if let Some(raw) = raw.ok().and_then(|mut raw| raw.remove(id_field)) {
        fields.insert(
            id_field.to_string(),
            Value::String(raw.get().trim().to_string()),
        );
    }
}

/// Builds a document from named fields: id and text by the configured names, `title` and `date`
/// by convention, everything else carried through as metadata.
fn from_fields(
    mut fields: Map<String, Value>,
    fallback_id: String,
    path: Option<String>,
    options: &InputOptions,
) -> Result<Document, String> {
    let text = match fields.remove(&options.text_field) {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!(
                "field {:?} is not a string but {}",
                options.text_field,
                kind(&other)
            ))
        }
        None => {
            return Err(format!(
                "no {:?} field (set --text-field)",
                options.text_field
            ))
        }
    };
    let id = match fields.remove(&options.id_field) {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => fallback_id,
    };
    if let Some(Value::Number(n)) = fields.get("date") {
        // `20240730` in a JSON feed is a date, not metadata.
        let written = Value::String(n.to_string());
        fields.insert("date".into(), written);
    }
    let mut take = |name: &str| match fields.remove(name) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        Some(Value::Null) | None => None,
        Some(other) => {
            fields.insert(name.to_string(), other);
            None
        }
    };
    let title = take("title");
    let date = take("date");
    let text = match &title {
        Some(title) if options.title_in_text => format!("{title}\n\n{text}"),
        _ => text,
    };
    Ok(Document {
        id,
        path,
        title,
        date,
        encoding: "utf-8".into(),
        text,
        meta: fields,
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(format: Format, input: &'static str, max: u64) -> Vec<Result<Document, InputError>> {
        let options = InputOptions {
            max_doc_size: max,
            ..InputOptions::default()
        };
        let mut c =
            Container::open(Box::new(input.as_bytes()), "f".into(), format, &options).unwrap();
        let mut out = Vec::new();
        while let Some(unit) = c.next_unit() {
            out.push(super::super::load(unit, &options));
        }
        out
    }

    fn show(results: Vec<Result<Document, InputError>>) -> Vec<String> {
        results
            .into_iter()
            .map(|r| match r {
                Ok(d) => format!(
                    "{} {:?} title={:?} date={:?} meta={}",
                    d.id,
                    d.text,
                    d.title,
                    d.date,
                    Value::Object(d.meta)
                ),
                Err(e) => format!("error {e}"),
            })
            .collect()
    }

    #[test]
    fn json_lines_good_and_bad() {
        let input =
            "{\"id\":\"a\",\"text\":\"Seoul\",\"date\":\"2020-01-02\",\"source\":\"wire\"}\n\
                     \n\
                     {\"text\": 5}\n\
                     not json\n\
                     {\"id\": 7, \"text\": \"Iran\", \"title\": \"T\"}\r\n\
                     [1]\n\
                     {\"body\": \"x\"}\n\
                     {\"text\": \"a very long line indeed, much longer than the limit of seventy bytes set here\"}\n\
                     {\"text\": \"last\"}";
        assert_eq!(
            show(units(Format::Jsonl, input, 70)),
            [
                "a \"Seoul\" title=None date=Some(\"2020-01-02\") meta={\"source\":\"wire\"}",
                "error f:3: field \"text\" is not a string but a number",
                "error f:4: invalid JSON: expected ident at line 1 column 2",
                "7 \"Iran\" title=Some(\"T\") date=None meta={}",
                "error f:6: not a JSON object",
                "error f:7: no \"text\" field (set --text-field)",
                "error f:8: 90 bytes is over --max-doc-size (70 bytes)",
                "f:9 \"last\" title=None date=None meta={}",
            ]
        );
    }

    #[test]
    fn csv_rows_and_missing_column() {
        let input = "id,headline,text\nr1,\"Big, news\",\"Line one\nline two\"\nr2,x\n,y,Tehran\n";
        assert_eq!(
            show(units(Format::Csv, input, 1000)),
            [
                "r1 \"Line one\\nline two\" title=None date=None meta={\"headline\":\"Big, news\"}",
                "error f:4: row has 2 fields, the header has 3",
                "f:5 \"Tehran\" title=None date=None meta={\"headline\":\"y\"}",
            ]
        );
        let options = InputOptions::default();
        let err = Container::open(
            Box::new(&b"id,body\n1,x\n"[..]),
            "f.csv".into(),
            Format::Csv,
            &options,
        )
        .err()
        .unwrap();
        assert_eq!(
            err.to_string(),
            "f.csv:1: no \"text\" column (columns: id, body); choose one with --text-column"
        );
    }
}
