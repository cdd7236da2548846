//! The data that flows between stages: documents in, mentions and topic scores out.
//!
//! A [`Mention`]'s offsets always point into [`Document::text`] exactly as it was read (for HTML,
//! the extracted visible text): `text[byte_start..byte_end] == mention.text`, and `start`/`end`
//! count Unicode scalar values, as Python's `str` does.

use crate::dictionary::Entity;
use std::sync::Arc;

/// One document to analyze.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Stable id: the path for a file, the id field or `path:line` for a JSONL record.
    pub id: String,
    /// The file it came from, if any.
    pub path: Option<String>,
    /// Title (HTML `<title>`, a `title` field), if any.
    pub title: Option<String>,
    /// Publication date as given (`2019-06-30`), used to check leaders' roles.
    pub date: Option<String>,
    /// How the bytes were decoded: `utf-8`, `utf-8-bom`, `utf-16le`, `windows-1252`, …
    pub encoding: String,
    /// The text, as read and decoded.
    pub text: String,
    /// Other input fields (JSONL/CSV columns), carried through to the output unchanged.
    pub meta: serde_json::Map<String, serde_json::Value>,
}

impl Document {
    /// A document with just an id and a text (UTF-8).
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id: id.into(),
            text: text.into(),
            encoding: "utf-8".into(),
            ..Document::default()
        }
    }
}

/// One entity found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub entity: Arc<Entity>,
    /// The matched text, exactly as in the document.
    pub text: String,
    /// Character offsets (Unicode scalar values).
    pub start: usize,
    pub end: usize,
    /// UTF-8 byte offsets.
    pub byte_start: usize,
    pub byte_end: usize,
    /// How the entity was named: `name`, `demonym`, `capital`, `acronym`, `former_name`, `short`,
    /// or `surname` (a prominent surname standing alone, see [`crate::tag`] rule 5).
    pub form: &'static str,
    /// For leaders with dated roles and a known document date: the role held on that date, or
    /// `Some(None)` when the person held none of their listed roles then.
    pub role_on_date: Option<Option<String>>,
}

/// A dictionary match that the rules did not keep, and why (`--all-candidates`).
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub mention: Mention,
    pub reason: crate::context::Reason,
}

/// A topic tag and why it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicScore {
    pub tag: String,
    /// Whose vocabulary the tag belongs to (`usip`, `entopic`), from the taxonomy's `!scheme`
    /// rows; `None` for a tag of a learned model or a taxonomy that does not say.
    pub scheme: Option<Arc<str>>,
    /// In [0, 1], comparable across documents of different lengths.
    pub score: f64,
    /// The value squashed into `score`: for a taxonomy tag the length-normalized evidence sum,
    /// for a learned model the decision value (bias + Σ weight × feature).
    pub raw: f64,
    /// Where the score comes from: `taxonomy`, or the file name of a learned model.
    pub source: Arc<str>,
    /// The terms and entity signals that produced the score, strongest first.
    pub evidence: Vec<Evidence>,
}

/// One term or entity signal behind a topic score.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The taxonomy term (`sanction`, `nuclear test`, `@weapon:icbm`).
    pub term: String,
    pub count: usize,
    /// What it added to the tag's raw score: `weight × (1 + ln count)` for a taxonomy term,
    /// `weight × tf-idf` for a term of a learned model.
    pub contribution: f64,
}

/// Everything found in one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    /// In document order.
    pub mentions: Vec<Mention>,
    /// Tags over the threshold, highest score first.
    pub topics: Vec<TopicScore>,
    /// Matches the rules dropped, with reasons; filled only when asked for (`--all-candidates`).
    pub rejected: Vec<Rejected>,
}
