//! `--format jsonl` and `--format json`: the JSON record of each document (src/record.rs), one per
//! line or as the elements of one array.

use super::{Context, Output, Rendered, Stream, Writer};
use crate::document::{Analysis, Document};
use crate::record::write_record_to;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// `--format jsonl`: one record per line, `documents.jsonl`.
pub struct Jsonl;

/// `--format json`: one JSON array of records, `documents.json`.
pub struct Json;

/// Bytes of a record gathered before they go to its part: serde_json writes a record in many
/// pieces of a few bytes (a quote, a key, a colon), each of which would otherwise be a call
/// into the part.
const RECORD_BUFFER: usize = 64 * 1024;

/// The record of one document, as its one part.
fn render_record(ctx: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
    let mut out = ctx.options.part();
    let mut buffered = BufWriter::with_capacity(RECORD_BUFFER, &mut out);
    // Writing to a part never fails (an error spilling it is kept in the part).
    let _ = write_record_to(&mut buffered, doc, analysis);
    let _ = buffered.flush();
    drop(buffered);
    Rendered::parts(vec![out.finish()])
}

impl Output for Jsonl {
    fn name(&self) -> &'static str {
        "jsonl"
    }
    fn help(&self) -> &'static str {
        "One JSON record per document per line (documents.jsonl)"
    }
    fn outputs(&self) -> &'static [&'static str] {
        &["documents.jsonl"]
    }
    fn files(&self) -> &'static [&'static str] {
        self.outputs()
    }
    fn render(&self, ctx: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
        render_record(ctx, doc, analysis)
    }
    fn create(&self, dir: Option<&Path>, _: &Context) -> io::Result<Box<dyn Writer>> {
        Stream::open(dir, "documents.jsonl", b"", (b"", b""), b"\n", (b"", b""))
    }
}

impl Output for Json {
    fn name(&self) -> &'static str {
        "json"
    }
    fn help(&self) -> &'static str {
        "One JSON array of records (documents.json)"
    }
    fn outputs(&self) -> &'static [&'static str] {
        &["documents.json"]
    }
    fn files(&self) -> &'static [&'static str] {
        self.outputs()
    }
    fn render(&self, ctx: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
        render_record(ctx, doc, analysis)
    }
    fn create(&self, dir: Option<&Path>, _: &Context) -> io::Result<Box<dyn Writer>> {
        let (before, end) = ((&b"\n"[..], &b",\n"[..]), (&b"]\n"[..], &b"\n]\n"[..]));
        Stream::open(dir, "documents.json", b"[", before, b"", end)
    }
}
