//! The table rows of one document — mentions, the document summary, topics — as typed cells,
//! shared by the CSV and XLSX writers so both carry the same columns and values.
//!
//! Pure functions of a document and its analysis; they run in the worker threads.

use crate::document::{Analysis, Document, Mention};
use std::collections::BTreeMap;

/// One cell: text, or a number that a spreadsheet should treat as one.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(u64),
    Float(f64),
}

impl Cell {
    /// The cell as CSV writes it, borrowed when it is text, else formatted into `buf`.
    pub fn text<'a>(&'a self, buf: &'a mut String) -> &'a str {
        use std::fmt::Write as _;
        buf.clear();
        let _ = match self {
            Cell::Text(s) => return s,
            Cell::Int(n) => write!(buf, "{n}"),
            Cell::Float(x) => write!(buf, "{x}"),
        };
        buf
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Int(n as u64)
    }
}

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

pub const TOPIC_COLUMNS: &[&str] = &["doc_id", "tag", "scheme", "score", "evidence"];

pub const ENTITY_COLUMNS: &[&str] = &[
    "type",
    "entity_id",
    "name",
    "documents",
    "mentions",
    "first_doc",
];

/// The header of the documents table: fixed columns, one per entity type, topics and their
/// evidence, meta (all of it, as JSON), then `meta.KEY` for each key of `--meta-columns`.
pub fn document_header(types: &[String], meta_columns: &[String]) -> Vec<String> {
    let mut header: Vec<String> = DOCUMENT_COLUMNS[..7]
        .iter()
        .map(|c| c.to_string())
        .collect();
    header.extend(types.iter().cloned());
    header.extend(DOCUMENT_COLUMNS[7..].iter().map(|c| c.to_string()));
    header.extend(meta_columns.iter().map(|k| format!("meta.{k}")));
    header
}

pub use crate::dictionary::DOCUMENT_COLUMNS;

/// The value of the `meta` field `key` as one cell: a string as it is, anything else as JSON,
/// empty when absent or null.
pub fn meta_value(meta: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    match meta.get(key)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// One row per mention, in document order (columns [`MENTION_COLUMNS`]).
pub fn mention_rows(doc: &Document, analysis: &Analysis) -> Vec<Vec<Cell>> {
    analysis
        .mentions
        .iter()
        .map(|m| mention_row(doc, m))
        .collect()
}

/// The row of one mention of `doc` (columns [`MENTION_COLUMNS`]).
pub fn mention_row(doc: &Document, m: &Mention) -> Vec<Cell> {
    let attributes: Vec<String> = m
        .entity
        .attributes
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let (in_office, role) = match &m.role_on_date {
        None => (String::new(), String::new()),
        Some(role) => (role.is_some().to_string(), role.clone().unwrap_or_default()),
    };
    vec![
        doc.id.clone().into(),
        m.entity.kind.clone().into(),
        m.entity.id.clone().into(),
        m.entity.name.clone().into(),
        m.text.clone().into(),
        m.start.into(),
        m.end.into(),
        m.byte_start.into(),
        m.byte_end.into(),
        m.form.as_str().into(),
        in_office.into(),
        role.into(),
        attributes.join("; ").into(),
        context(&doc.text, m.byte_start, m.byte_end).into(),
    ]
}

/// The document's row (columns [`document_header`]).
pub fn document_row(
    doc: &Document,
    analysis: &Analysis,
    types: &[String],
    meta_columns: &[String],
) -> Vec<Cell> {
    let mut per_type: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for m in &analysis.mentions {
        *per_type.entry((&m.entity.kind, &m.entity.id)).or_default() += 1;
    }
    let mut row: Vec<Cell> = vec![
        doc.id.clone().into(),
        doc.path.clone().unwrap_or_default().into(),
        doc.title.clone().unwrap_or_default().into(),
        doc.date.clone().unwrap_or_default().into(),
        doc.encoding.clone().into(),
        doc.text.chars().count().into(),
        analysis.mentions.len().into(),
    ];
    for t in types {
        let mut counts: Vec<(&str, usize)> = per_type
            .iter()
            .filter(|((k, _), _)| k == t)
            .map(|((_, id), n)| (*id, *n))
            .collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let listed: Vec<String> = counts.iter().map(|(id, n)| format!("{id}:{n}")).collect();
        row.push(listed.join("; ").into());
    }
    let topics: Vec<String> = analysis
        .topics
        .iter()
        .map(|t| format!("{}:{:.4}", t.tag, t.score))
        .collect();
    row.push(topics.join("; ").into());
    row.push(topic_evidence(&analysis.topics).into());
    row.push(if doc.meta.is_empty() {
        Cell::Text(String::new())
    } else {
        serde_json::Value::Object(doc.meta.clone())
            .to_string()
            .into()
    });
    for key in meta_columns {
        row.push(meta_value(&doc.meta, key).unwrap_or_default().into());
    }
    row
}

/// The evidence of each reported tag, in the order of the `topics` column:
/// `Tag: term (count), term (count); Tag: …`.
fn topic_evidence(topics: &[crate::document::TopicScore]) -> String {
    topics
        .iter()
        .map(|t| format!("{}: {}", t.tag, evidence_terms(t)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The evidence of one tag, strongest first: `term (count), term (count)`, the one form of
/// documents.csv and the XLSX Topics sheet.
fn evidence_terms(t: &crate::document::TopicScore) -> String {
    let terms: Vec<String> = t
        .evidence
        .iter()
        .map(|e| format!("{} ({})", e.term, e.count))
        .collect();
    terms.join(", ")
}

/// One row per topic tag given to the document, highest score first (columns
/// [`TOPIC_COLUMNS`]); `scheme` is whose vocabulary the tag is (`usip`, `entopic`; empty for
/// a learned model's tag); `evidence` lists `term (count), …`, strongest first.
pub fn topic_rows(doc: &Document, analysis: &Analysis) -> Vec<Vec<Cell>> {
    analysis
        .topics
        .iter()
        .map(|t| {
            vec![
                doc.id.clone().into(),
                t.tag.clone().into(),
                t.scheme.as_deref().unwrap_or("").to_string().into(),
                Cell::Float(t.score),
                evidence_terms(t).into(),
            ]
        })
        .collect()
}

/// Characters of context kept on each side of a mention.
const CONTEXT_CHARS: usize = 60;

/// The mention in its surroundings, on one line: up to `CONTEXT_CHARS` characters each side,
/// not crossing a paragraph break, whole words only (a word the window cuts is left out, unless
/// it is glued to the mention), whitespace collapsed.
pub fn context(text: &str, start: usize, end: usize) -> String {
    let on_line = |&(_, c): &(usize, char)| c != '\n';
    let from = text[..start]
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .take_while(on_line)
        .last()
        .map_or(start, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .take(CONTEXT_CHARS)
        .take_while(on_line)
        .last()
        .map_or(end, |(i, c)| end + i + c.len_utf8());
    let cut = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    let from = match text[from..start].find(char::is_whitespace) {
        Some(space) if cut(text[..from].chars().next_back()) => from + space,
        _ => from,
    };
    let to = match text[end..to].rfind(char::is_whitespace) {
        Some(space) if cut(text[to..].chars().next()) => end + space,
        _ => to,
    };
    let mut out = String::with_capacity(to - from);
    for word in text[from..to].split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`context`] by its definition, a character at a time.
    fn context_by_chars(text: &str, start: usize, end: usize) -> String {
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
        let mut before: Vec<char> = before.into_iter().rev().collect();
        let mut after: Vec<char> = after.collect();
        // Whole words only: drop a word cut by the window, unless it reaches the mention.
        let before_len = text[..start].chars().count();
        if before.len() < before_len {
            let previous = text[..start].chars().nth(before_len - before.len() - 1);
            if previous.is_some_and(|c| !c.is_whitespace()) {
                if let Some(space) = before.iter().position(|c| c.is_whitespace()) {
                    before.drain(..space);
                }
            }
        }
        let next = text[end..].chars().nth(after.len());
        if next.is_some_and(|c| !c.is_whitespace()) {
            if let Some(space) = after.iter().rposition(|c| c.is_whitespace()) {
                after.truncate(space);
            }
        }
        let raw: String = before
            .into_iter()
            .chain(text[start..end].chars())
            .chain(after)
            .collect();
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    proptest::proptest! {
        #[test]
        fn context_agrees_with_its_definition(
            text in "([a-zé\u{2019}\u{a0} .\n\t]|Iran|\u{1F600}){0,200}",
            a in 0usize..400,
            b in 0usize..400,
        ) {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let (x, y) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            let (start, end) = (x.min(y), x.max(y));
            proptest::prop_assert_eq!(context(&text, start, end), context_by_chars(&text, start, end));
        }
    }

    #[test]
    fn context_keeps_whole_words() {
        let text = format!(
            "{}Moscow{}",
            "x".repeat(5) + &" word".repeat(12),
            " tail".repeat(12) + "ed"
        );
        let start = text.find("Moscow").unwrap();
        let got = context(&text, start, start + 6);
        assert_eq!(
            got,
            format!(
                "{}Moscow{}",
                "word ".repeat(11) + "word",
                " tail".repeat(11)
            )
        );
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
