//! The JSON record of one document: a line of `documents.jsonl`, an element of `documents.json`,
//! and what a program embedding the library writes for an [`Analysis`] (see
//! [`Analysis::write_json`]).
//!
//! ```text
//! {"id", "path"?, "title"?, "date"?, "encoding", "chars", "meta"?,
//!  "entities": [{"type", "id", "name", "text", "start", "end", "byte_start", "byte_end", "form",
//!                "in_office"?, "role"?, …dictionary attributes}],
//!  "topics": [{"tag", "scheme"?, "score", "evidence": [{"term", "count", "contribution"}]}],
//!  "rejected"?: [{…as in entities, "reason"}]}
//! ```
//! Keys appear in this order. `start`/`end` count Unicode scalar values (Python `str` indexes),
//! `byte_start`/`byte_end` UTF-8 bytes, both into the document text as read. `in_office` appears
//! for a leader when the document date is known (`role` names the role held then). `rejected`
//! appears with `--all-candidates`: the matches the rules dropped, with the reason.
//!
//! Records are written straight from the analysis, with no intermediate JSON tree: keys and
//! punctuation as the bytes they are, and every value (texts, numbers, `meta`) by serde_json, so
//! escaping and number formats are serde_json's. A record has some twenty values per mention:
//! writing the keys of a mention (all known, none in need of escaping) as they are is a good
//! part of the time spent on a record.

use crate::document::{Analysis, Document, Mention, TopicScore};
use serde::Serialize;
use smallvec::{smallvec, SmallVec};
use std::io::{self, Write};

/// Appends the record for one document to `out` (one JSON object, no newline).
pub fn write_record(out: &mut Vec<u8>, doc: &Document, analysis: &Analysis) {
    write_record_to(out, doc, analysis).expect("writing JSON to memory");
}

/// Writes the record for one document to `out` as it is made (one JSON object, no newline),
/// so a large record is never whole in memory. `out` takes many writes of a few bytes: give it
/// a buffer.
pub fn write_record_to(mut out: impl Write, doc: &Document, analysis: &Analysis) -> io::Result<()> {
    let out = &mut out;
    out.write_all(b"{\"id\":")?;
    value(out, &doc.id)?;
    let optional = [
        (&b",\"path\":"[..], &doc.path),
        (b",\"title\":", &doc.title),
        (b",\"date\":", &doc.date),
    ];
    for (key, text) in optional {
        if let Some(text) = text {
            out.write_all(key)?;
            value(out, text)?;
        }
    }
    out.write_all(b",\"encoding\":")?;
    value(out, &doc.encoding)?;
    out.write_all(b",\"chars\":")?;
    value(out, &doc.text.chars().count())?;
    if !doc.meta.is_empty() {
        out.write_all(b",\"meta\":")?;
        value(out, &doc.meta)?;
    }
    out.write_all(b",\"entities\":")?;
    list(out, &analysis.mentions, |out, m| entity(out, m, None))?;
    out.write_all(b",\"topics\":")?;
    list(out, &analysis.topics, topic)?;
    if !analysis.rejected.is_empty() {
        out.write_all(b",\"rejected\":")?;
        list(out, &analysis.rejected, |out, r| {
            entity(out, &r.mention, Some(r.reason.as_str()))
        })?;
    }
    out.write_all(b"}")
}

#[cfg(feature = "cli")]
/// The record for one document as a JSON value (for outputs that embed parts of it).
pub fn record(doc: &Document, analysis: &Analysis) -> serde_json::Value {
    let mut bytes = Vec::new();
    write_record(&mut bytes, doc, analysis);
    serde_json::from_slice(&bytes).expect("a record is JSON")
}

/// One value, as serde_json writes it.
fn value<W: Write>(out: &mut W, v: &(impl Serialize + ?Sized)) -> io::Result<()> {
    serde_json::to_writer(out, v).map_err(io::Error::from)
}

/// A JSON array of `items`, each written by `each`.
fn list<W: Write, T>(
    out: &mut W,
    items: &[T],
    mut each: impl FnMut(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        each(out, item)?;
    }
    out.write_all(b"]")
}

/// The name of an entity field.
#[derive(Clone, Copy)]
enum Key<'a> {
    /// One of the record's own, plain ASCII, quoted and with its colon (`"type":`): written as
    /// it is.
    Own(&'static str),
    /// A dictionary attribute's column, escaped as JSON needs.
    Column(&'a str),
}

impl Key<'_> {
    fn name(&self) -> &str {
        match self {
            Key::Own(quoted) => &quoted[1..quoted.len() - 2],
            Key::Column(name) => name,
        }
    }
}

/// A value of an entity field.
#[derive(Clone, Copy)]
enum Field<'a> {
    Text(&'a str),
    Number(usize),
    Flag(bool),
}

/// A mention (with the reason it was dropped, for `rejected`).
fn entity<'a, W: Write>(out: &mut W, m: &'a Mention, reason: Option<&'a str>) -> io::Result<()> {
    let e = &m.entity;
    // On the stack: a record has one of these per mention.
    let mut fields: SmallVec<[(Key<'a>, Field<'a>); 16]> = smallvec![
        (Key::Own("\"type\":"), Field::Text(&e.kind)),
        (Key::Own("\"id\":"), Field::Text(&e.id)),
        (Key::Own("\"name\":"), Field::Text(&e.name)),
        (Key::Own("\"text\":"), Field::Text(&m.text)),
        (Key::Own("\"start\":"), Field::Number(m.start)),
        (Key::Own("\"end\":"), Field::Number(m.end)),
        (Key::Own("\"byte_start\":"), Field::Number(m.byte_start)),
        (Key::Own("\"byte_end\":"), Field::Number(m.byte_end)),
        (Key::Own("\"form\":"), Field::Text(m.form.as_str())),
    ];
    // Later fields with a name already present replace its value in place, as a JSON object
    // built key by key would.
    let mut set = |key: Key<'a>, value: Field<'a>| match fields
        .iter_mut()
        .find(|(k, _)| k.name() == key.name())
    {
        Some(slot) => slot.1 = value,
        None => fields.push((key, value)),
    };
    if let Some(role) = &m.role_on_date {
        set(Key::Own("\"in_office\":"), Field::Flag(role.is_some()));
        if let Some(title) = role {
            set(Key::Own("\"role\":"), Field::Text(title));
        }
    }
    for (k, v) in &e.attributes {
        set(Key::Column(k), Field::Text(v));
    }
    if let Some(reason) = reason {
        set(Key::Own("\"reason\":"), Field::Text(reason));
    }
    for (i, (key, field)) in fields.iter().enumerate() {
        out.write_all(if i == 0 { b"{" } else { b"," })?;
        match key {
            Key::Own(quoted) => out.write_all(quoted.as_bytes())?,
            Key::Column(name) => {
                value(out, name)?;
                out.write_all(b":")?;
            }
        }
        match *field {
            Field::Text(t) => value(out, t)?,
            Field::Number(n) => value(out, &n)?,
            Field::Flag(b) => value(out, &b)?,
        }
    }
    out.write_all(b"}")
}

/// A topic with its evidence.
fn topic<W: Write>(out: &mut W, t: &TopicScore) -> io::Result<()> {
    out.write_all(b"{\"tag\":")?;
    value(out, &t.tag)?;
    if let Some(scheme) = &t.scheme {
        out.write_all(b",\"scheme\":")?;
        value(out, &**scheme)?;
    }
    out.write_all(b",\"score\":")?;
    value(out, &t.score)?;
    out.write_all(b",\"evidence\":")?;
    list(out, &t.evidence, |out, e| {
        out.write_all(b"{\"term\":")?;
        value(out, &e.term)?;
        out.write_all(b",\"count\":")?;
        value(out, &e.count)?;
        out.write_all(b",\"contribution\":")?;
        value(out, &round4(e.contribution))?;
        out.write_all(b"}")
    })?;
    out.write_all(b"}")
}

/// `x` to 4 decimals, and always a finite number (JSON has no infinity: serde would write `null`,
/// which the schema forbids): a huge dictionary weight gives ±`f64::MAX`.
pub fn round4(x: f64) -> f64 {
    let rounded = (x * 1e4).round() / 1e4;
    if rounded.is_finite() {
        rounded
    } else if x.is_nan() {
        0.0
    } else {
        x.clamp(-f64::MAX, f64::MAX)
    }
}
