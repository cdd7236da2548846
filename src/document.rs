//! The data that flows between stages: documents in, mentions and topic scores out.
//!
//! A [`Mention`]'s offsets always point into [`Document::text`] exactly as it was read (for HTML,
//! the extracted visible text): `text[byte_start..byte_end] == mention.text`, and `start`/`end`
//! count Unicode scalar values, as Python's `str` does.

use crate::dictionary::Entity;
pub use crate::dictionary::Form;
use std::fmt;
use std::ops::Range;
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
///
/// Mentions may nest: "Abdullah II of Jordan" is a leader mention with the country mention
/// "Jordan" inside it. Two mentions never cross (one starting inside the other and ending after
/// it).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The dictionary entry found (its type, id, name, attributes and dated roles).
    pub entity: Arc<Entity>,
    /// The matched text, exactly as in the document.
    pub text: String,
    /// Start, in characters (Unicode scalar values) from the start of the text.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// Start, in UTF-8 bytes: `text[byte_start..byte_end]` is the mention.
    pub byte_start: usize,
    /// End (exclusive), in UTF-8 bytes.
    pub byte_end: usize,
    /// How the entity was named.
    pub form: Form,
    /// For leaders with dated roles and a known document date: the role held on that date, or
    /// `Some(None)` when the person held none of their listed roles then.
    pub role_on_date: Option<Option<String>>,
}

impl Mention {
    /// Where it is in the text, in UTF-8 bytes (for slicing a Rust `str`).
    pub fn bytes(&self) -> Range<usize> {
        self.byte_start..self.byte_end
    }

    /// Where it is in the text, in characters (for indexing a Python `str`).
    pub fn chars(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A dictionary match that the rules did not keep, and why (`--all-candidates`).
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// The match, as it would have been reported.
    pub mention: Mention,
    /// The rule that dropped it.
    pub reason: Reason,
}

/// Why a dictionary match is not reported as a mention (`--all-candidates` shows them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A longer or earlier match covers it.
    Overlapped,
    /// Inside a phrase from `rules/not-entities.txt`.
    Blocked,
    /// A surname with no earlier full mention or title.
    NoFullMention,
    /// Part of a longer name ("Jordan Ellis", "Lake Chad").
    PartOfName,
    /// A town elsewhere ("Paris, Texas").
    PlaceElsewhere,
    /// A month, not the leader ("in May").
    Month,
    /// An ambiguous name with nothing in its sentence to support it.
    NoSupport,
    /// An ambiguous name in a sentence that argues against it.
    AgainstContext,
    /// A class word describing the named system before it ("Musudan missile").
    DescribesSystem,
    /// A leader's name followed by another bearer's regnal number or patronymic ("King Frederik
    /// IX", "Khalifa bin Hamad").
    OtherPerson,
    /// A leader's name used as a ship's ("HMS Queen Elizabeth").
    ShipName,
    /// A surname marked to stand alone that is also a common word, not-name or place ("Price").
    CommonWord,
    /// A surname standing alone that several leaders share, none singled out by the date.
    SharedSurname,
}

impl Reason {
    /// What the rule that dropped the match found, in words (`dict lookup`).
    pub fn explanation(self) -> &'static str {
        match self {
            Reason::Overlapped => "a longer or earlier match covers it",
            Reason::Blocked => "inside a phrase of rules/not-entities.txt",
            Reason::NoFullMention => {
                "a surname or short form, and the text names the person in full nowhere before it \
                 (nor with a title); only a prominent surname marked ! in the dictionary may stand \
                 alone"
            }
            Reason::PartOfName => "part of a longer name (a capitalized word is glued to it)",
            Reason::PlaceElsewhere => {
                "a town elsewhere (a place of rules/other-places.txt follows)"
            }
            Reason::Month => "a month here, not the leader",
            Reason::NoSupport => {
                "an ambiguous name (marked ? in the dictionary) with no supporting word or mention \
                 (rules/context.txt), and no unambiguous mention of it in the text"
            }
            Reason::AgainstContext => {
                "an ambiguous name in a sentence with a word against it (rules/context.txt)"
            }
            Reason::DescribesSystem => "a class word describing the named system before it",
            Reason::OtherPerson => {
                "another bearer of the name: a regnal number or a patronymic (bin, ibn) follows \
                 that is not this leader's"
            }
            Reason::ShipName => "a ship's name: a naval prefix (HMS, USS, INS...) comes before it",
            Reason::CommonWord => {
                "a surname alone that is also an ordinary word, a not-name or a place \
                 (rules/common-words.txt, rules/not-names.txt, or another entry's name): it needs \
                 a full mention or a title"
            }
            Reason::SharedSurname => {
                "a surname alone that several leaders share, and the document date does not single \
                 out one of them in office"
            }
        }
    }

    /// The name written in outputs (`no-support`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Overlapped => "overlapped",
            Reason::Blocked => "blocked",
            Reason::NoFullMention => "no-full-mention",
            Reason::PartOfName => "part-of-name",
            Reason::PlaceElsewhere => "place-elsewhere",
            Reason::Month => "month",
            Reason::NoSupport => "no-support",
            Reason::AgainstContext => "against-context",
            Reason::DescribesSystem => "describes-system",
            Reason::OtherPerson => "other-person",
            Reason::ShipName => "ship-name",
            Reason::CommonWord => "common-word",
            Reason::SharedSurname => "shared-surname",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A topic tag and why it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicScore {
    /// The tag (`nuclear`, `sanctions`).
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
    /// How many times it was found.
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
