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
//! Records are serialized straight from the analysis, with no intermediate JSON tree.

use crate::document::{Analysis, Document, Mention, TopicScore};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Appends the record for one document to `out` (one JSON object, no newline).
pub fn write_record(out: &mut Vec<u8>, doc: &Document, analysis: &Analysis) {
    write_record_to(out, doc, analysis).expect("writing JSON to memory");
}

/// Writes the record for one document to `out` as it is serialized (one JSON object, no
/// newline), so a large record is never whole in memory.
pub fn write_record_to(
    out: impl std::io::Write,
    doc: &Document,
    analysis: &Analysis,
) -> std::io::Result<()> {
    Record { doc, analysis }
        .serialize(&mut serde_json::Serializer::new(out))
        .map_err(std::io::Error::from)
}

#[cfg(feature = "cli")]
/// The record for one document as a JSON value (for outputs that embed parts of it).
pub fn record(doc: &Document, analysis: &Analysis) -> serde_json::Value {
    serde_json::to_value(Record { doc, analysis }).expect("a record serializes")
}

struct Record<'a> {
    doc: &'a Document,
    analysis: &'a Analysis,
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (doc, analysis) = (self.doc, self.analysis);
        let mut r = s.serialize_map(None)?;
        r.serialize_entry("id", &doc.id)?;
        if let Some(path) = &doc.path {
            r.serialize_entry("path", path)?;
        }
        if let Some(title) = &doc.title {
            r.serialize_entry("title", title)?;
        }
        if let Some(date) = &doc.date {
            r.serialize_entry("date", date)?;
        }
        r.serialize_entry("encoding", &doc.encoding)?;
        r.serialize_entry("chars", &doc.text.chars().count())?;
        if !doc.meta.is_empty() {
            r.serialize_entry("meta", &doc.meta)?;
        }
        let entities = Seq(analysis.mentions.iter().map(|m| Entity(m, None)));
        r.serialize_entry("entities", &entities)?;
        r.serialize_entry("topics", &Seq(analysis.topics.iter().map(Topic)))?;
        if !analysis.rejected.is_empty() {
            let rejected = analysis
                .rejected
                .iter()
                .map(|r| Entity(&r.mention, Some(r.reason.as_str())));
            r.serialize_entry("rejected", &Seq(rejected))?;
        }
        r.end()
    }
}

/// A sequence serialized from an iterator that can be cloned.
struct Seq<I>(I);

impl<I: Iterator + Clone> Serialize for Seq<I>
where
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let items = self.0.clone();
        let mut seq = s.serialize_seq(Some(items.size_hint().0))?;
        for item in items {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// A value of an entity field.
#[derive(Clone, Copy)]
enum Field<'a> {
    Text(&'a str),
    Number(usize),
    Flag(bool),
}

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Field::Text(t) => s.serialize_str(t),
            Field::Number(n) => s.serialize_u64(n as u64),
            Field::Flag(b) => s.serialize_bool(b),
        }
    }
}

/// A mention (with the reason it was dropped, for `rejected`).
struct Entity<'a>(&'a Mention, Option<&'a str>);

impl<'a> Serialize for Entity<'a> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut fields: Vec<(&'a str, Field<'a>)> = vec![
            ("type", Field::Text(&m.entity.kind)),
            ("id", Field::Text(&m.entity.id)),
            ("name", Field::Text(&m.entity.name)),
            ("text", Field::Text(&m.text)),
            ("start", Field::Number(m.start)),
            ("end", Field::Number(m.end)),
            ("byte_start", Field::Number(m.byte_start)),
            ("byte_end", Field::Number(m.byte_end)),
            ("form", Field::Text(m.form.as_str())),
        ];
        // Later fields with a name already present replace its value in place, as a JSON
        // object built key by key would.
        let mut set =
            |key: &'a str, value: Field<'a>| match fields.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => fields.push((key, value)),
            };
        if let Some(role) = &m.role_on_date {
            set("in_office", Field::Flag(role.is_some()));
            if let Some(title) = role {
                set("role", Field::Text(title));
            }
        }
        for (k, v) in &m.entity.attributes {
            set(k, Field::Text(v));
        }
        if let Some(reason) = self.1 {
            set("reason", Field::Text(reason));
        }
        let mut e = s.serialize_map(Some(fields.len()))?;
        for (k, v) in &fields {
            e.serialize_entry(k, v)?;
        }
        e.end()
    }
}

struct Topic<'a>(&'a TopicScore);

impl Serialize for Topic<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("tag", &t.tag)?;
        if let Some(scheme) = &t.scheme {
            m.serialize_entry("scheme", &**scheme)?;
        }
        m.serialize_entry("score", &t.score)?;
        m.serialize_entry("evidence", &Seq(t.evidence.iter().map(Evidence)))?;
        m.end()
    }
}

struct Evidence<'a>(&'a crate::document::Evidence);

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

impl Serialize for Evidence<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("term", &e.term)?;
        m.serialize_entry("count", &e.count)?;
        m.serialize_entry("contribution", &round4(e.contribution))?;
        m.end()
    }
}
