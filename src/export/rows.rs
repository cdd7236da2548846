//! The table rows of one document — mentions, the document summary, topics — as typed cells,
//! shared by the CSV and XLSX writers so both carry the same columns and values.
//!
//! Pure functions of a document and its analysis; they run in the worker threads.

use crate::document::{Analysis, Document, Mention};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// One cell: text (borrowed from the document where it can be), or a number that a spreadsheet
/// should treat as one.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Int(u64),
    Float(f64),
}

impl Cell<'_> {
    /// The cell as CSV writes it, borrowed when it is text, else formatted into `buf`.
    #[inline]
    pub fn text<'b>(&'b self, buf: &'b mut String) -> &'b str {
        use std::fmt::Write as _;
        buf.clear();
        match self {
            Cell::Text(s) => return s,
            Cell::Int(n) => push_decimal(buf, *n),
            Cell::Float(x) => drop(write!(buf, "{x}")),
        };
        buf
    }

    /// The cell with its text owned, to outlive the document.
    pub fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Text(s) => Cell::Text(Cow::Owned(s.into_owned())),
            Cell::Int(n) => Cell::Int(n),
            Cell::Float(x) => Cell::Float(x),
        }
    }
}

/// `n` in decimal, as `write!(buf, "{n}")` writes it, without the formatting machinery (a row
/// has five numbers).
fn push_decimal(buf: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend(digits[at..].iter().map(|&d| char::from(d)));
}

impl From<String> for Cell<'_> {
    fn from(s: String) -> Self {
        Cell::Text(Cow::Owned(s))
    }
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Self {
        Cell::Text(Cow::Borrowed(s))
    }
}

impl From<usize> for Cell<'_> {
    fn from(n: usize) -> Self {
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
pub fn mention_rows(doc: &Document, analysis: &Analysis) -> Vec<Vec<Cell<'static>>> {
    let mut context = String::new();
    let mut owned = |m: &Mention| {
        context_into(&doc.text, m.byte_start, m.byte_end, &mut context);
        mention_row(doc, m, &context)
            .into_iter()
            .map(Cell::into_owned)
            .collect()
    };
    analysis.mentions.iter().map(&mut owned).collect()
}

/// The row of one mention of `doc` (columns [`MENTION_COLUMNS`]), whose context (from
/// [`context_into`]) is `context`.
pub fn mention_row<'a>(doc: &'a Document, m: &'a Mention, context: &'a str) -> [Cell<'a>; 14] {
    let mut attributes = String::new();
    for (k, v) in &m.entity.attributes {
        if !attributes.is_empty() {
            attributes.push_str("; ");
        }
        attributes.extend([k.as_str(), "=", v.as_str()]);
    }
    let (in_office, role) = match &m.role_on_date {
        None => ("", ""),
        Some(None) => ("false", ""),
        Some(Some(role)) => ("true", role.as_str()),
    };
    [
        doc.id.as_str().into(),
        m.entity.kind.as_str().into(),
        m.entity.id.as_str().into(),
        m.entity.name.as_str().into(),
        m.text.as_str().into(),
        m.start.into(),
        m.end.into(),
        m.byte_start.into(),
        m.byte_end.into(),
        m.form.as_str().into(),
        in_office.into(),
        role.into(),
        attributes.into(),
        context.into(),
    ]
}

/// The document's row (columns [`document_header`]).
pub fn document_row<'a>(
    doc: &'a Document,
    analysis: &Analysis,
    types: &[String],
    meta_columns: &[String],
) -> Vec<Cell<'a>> {
    let mut row: Vec<Cell> = Vec::with_capacity(DOCUMENT_COLUMNS.len() + types.len());
    row.extend([
        doc.id.as_str().into(),
        doc.path.as_deref().unwrap_or("").into(),
        doc.title.as_deref().unwrap_or("").into(),
        doc.date.as_deref().unwrap_or("").into(),
        doc.encoding.as_str().into(),
        doc.text.chars().count().into(),
        analysis.mentions.len().into(),
    ]);
    let counts = entity_counts(analysis);
    for t in types {
        let mut listed = String::new();
        for &(_, id, n) in counts.iter().filter(|(kind, _, _)| kind == t) {
            if !listed.is_empty() {
                listed.push_str("; ");
            }
            listed.push_str(id);
            listed.push(':');
            push_decimal(&mut listed, n as u64);
        }
        row.push(listed.into());
    }
    row.push(topics_cell(&analysis.topics).into());
    row.push(topic_evidence(&analysis.topics).into());
    row.push(if doc.meta.is_empty() {
        Cell::Text(Cow::Borrowed(""))
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

/// Each distinct entity mentioned, as (type, id, mentions): by type, then most mentioned
/// first, then by id.
fn entity_counts(analysis: &Analysis) -> Vec<(&str, &str, usize)> {
    let mut per_entity: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    for m in &analysis.mentions {
        *per_entity
            .entry((&m.entity.kind, &m.entity.id))
            .or_default() += 1;
    }
    let mut counts: Vec<(&str, &str, usize)> = (per_entity.into_iter())
        .map(|((kind, id), n)| (kind, id, n))
        .collect();
    counts.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(b.1)));
    counts
}

/// The `topics` cell: `tag:score; tag:score`, the score with four decimals.
fn topics_cell(topics: &[crate::document::TopicScore]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (i, t) in topics.iter().enumerate() {
        let sep = if i > 0 { "; " } else { "" };
        write!(out, "{sep}{}:{:.4}", t.tag, t.score).expect("writing to a String");
    }
    out
}

/// The evidence of each reported tag, in the order of the `topics` column:
/// `Tag: term (count), term (count); Tag: …`.
fn topic_evidence(topics: &[crate::document::TopicScore]) -> String {
    let mut out = String::new();
    for (i, t) in topics.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(&t.tag);
        out.push_str(": ");
        push_evidence_terms(&mut out, t);
    }
    out
}

/// The evidence of one tag, strongest first: `term (count), term (count)`, the one form of
/// documents.csv and the XLSX Topics sheet.
fn evidence_terms(t: &crate::document::TopicScore) -> String {
    let mut out = String::new();
    push_evidence_terms(&mut out, t);
    out
}

/// [`evidence_terms`], appended to `out`.
fn push_evidence_terms(out: &mut String, t: &crate::document::TopicScore) {
    for (i, e) in t.evidence.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&e.term);
        out.push_str(" (");
        push_decimal(out, e.count as u64);
        out.push(')');
    }
}

/// One row per topic tag given to the document, highest score first (columns
/// [`TOPIC_COLUMNS`]); `scheme` is whose vocabulary the tag is (`usip`, `entopic`; empty for
/// a learned model's tag); `evidence` lists `term (count), …`, strongest first.
pub fn topic_rows(doc: &Document, analysis: &Analysis) -> Vec<Vec<Cell<'static>>> {
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
    let mut out = String::new();
    context_into(text, start, end, &mut out);
    out
}

/// [`context`] written into `out` (cleared first), so that a table of mentions reuses one buffer.
pub fn context_into(text: &str, start: usize, end: usize, out: &mut String) {
    // The window, a byte at a time: a UTF-8 character is its lead byte and continuation bytes,
    // and `\n` is never part of a longer character.
    let bytes = text.as_bytes();
    let is_lead = |b: u8| b & 0xC0 != 0x80;
    let (mut from, mut taken) = (start, 0);
    let lo = start.saturating_sub(CONTEXT_CHARS);
    if bytes[lo..start].is_ascii() {
        // A character a byte: the window is those bytes, cut after a line break.
        let line = memchr::memrchr(b'\n', &bytes[lo..start]);
        (from, taken) = (line.map_or(lo, |i| lo + i + 1), CONTEXT_CHARS);
    }
    while taken < CONTEXT_CHARS && from > 0 {
        let mut at = from - 1;
        while !is_lead(bytes[at]) {
            at -= 1;
        }
        if bytes[at] == b'\n' {
            break;
        }
        (from, taken) = (at, taken + 1);
    }
    let (mut to, mut taken) = (end, 0);
    let hi = (end + CONTEXT_CHARS).min(bytes.len());
    if bytes[end..hi].is_ascii() {
        let line = memchr::memchr(b'\n', &bytes[end..hi]);
        (to, taken) = (line.map_or(hi, |i| end + i), CONTEXT_CHARS);
    }
    while taken < CONTEXT_CHARS && to < bytes.len() && bytes[to] != b'\n' {
        to += 1;
        while to < bytes.len() && !is_lead(bytes[to]) {
            to += 1;
        }
        taken += 1;
    }
    let cut = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    let from = match first_space(&text[from..start]) {
        Some(space) if cut(text[..from].chars().next_back()) => from + space,
        _ => from,
    };
    let to = match last_space(&text[end..to]) {
        Some(space) if cut(text[to..].chars().next()) => end + space,
        _ => to,
    };
    out.clear();
    collapse_whitespace_into(&text[from..to], out);
}

/// Whether `b` is an ASCII character that `char::is_whitespace` accepts (`u8::is_ascii_whitespace`
/// leaves out the vertical tab).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// `s.find(char::is_whitespace)`, a byte at a time while the text is ASCII.
fn first_space(s: &str) -> Option<usize> {
    let at = s.bytes().position(|b| is_ascii_space(b) || !b.is_ascii())?;
    if s.as_bytes()[at].is_ascii() {
        return Some(at);
    }
    s[at..].find(char::is_whitespace).map(|i| at + i)
}

/// `s.rfind(char::is_whitespace)`, a byte at a time while the text is ASCII.
fn last_space(s: &str) -> Option<usize> {
    let at = s
        .bytes()
        .rposition(|b| is_ascii_space(b) || !b.is_ascii())?;
    if s.as_bytes()[at].is_ascii() {
        return Some(at);
    }
    // Every byte after `at` is ASCII: the character holding it ends there.
    s[..=at].rfind(char::is_whitespace)
}

/// The character at byte `at` of `text`: its width in bytes and whether it is whitespace.
#[inline]
fn char_at(text: &str, at: usize) -> (usize, bool) {
    match text.as_bytes()[at] {
        b if b.is_ascii() => (1, is_ascii_space(b)),
        _ => {
            let c = text[at..].chars().next().expect("at a character");
            (c.len_utf8(), c.is_whitespace())
        }
    }
}

/// The words of `text` (split at `char::is_whitespace`) joined by single spaces, into `out`
/// (cleared first). Stretches of words with single spaces between them are copied whole.
fn collapse_whitespace_into(text: &str, out: &mut String) {
    out.clear();
    // Most windows are ASCII words between single spaces already, with a space at an end.
    let trimmed = text.strip_prefix(' ').unwrap_or(text);
    let trimmed = trimmed.strip_suffix(' ').unwrap_or(trimmed);
    if is_single_spaced(trimmed.as_bytes()) {
        out.push_str(trimmed);
        return;
    }
    let (bytes, len) = (text.as_bytes(), text.len());
    // `kept`: where the stretch not yet copied starts (always at a word).
    let (mut at, mut kept) = (0, 0);
    while at < len {
        // Printable ASCII, the bulk of a window, is part of a word.
        if bytes[at] > b' ' && bytes[at] < 0x7F {
            at += 1;
            continue;
        }
        let (width, white) = char_at(text, at);
        if !white {
            at += width;
            continue;
        }
        // A single space between two words stays as it is (`kept < at`: a word is before).
        if bytes[at] == b' ' && kept < at && at + 1 < len && !char_at(text, at + 1).1 {
            at += 1;
            continue;
        }
        push_words(&text[kept..at], out);
        at += width;
        while at < len {
            let (width, white) = char_at(text, at);
            if !white {
                break;
            }
            at += width;
        }
        kept = at;
    }
    push_words(&text[kept..], out);
}

/// Whether `bytes` are printable ASCII words with a single space between two words: no
/// control or non-ASCII byte, no space at either end, no two spaces in a row. Checked a
/// block at a time rather than a byte at a time (most context windows are such).
fn is_single_spaced(bytes: &[u8]) -> bool {
    // No early exits: a fold over the whole slice compiles to vector instructions.
    let odd = (bytes.iter()).fold(false, |seen, &b| seen | !(b' '..0x7F).contains(&b));
    let pairs = bytes.iter().zip(bytes.iter().skip(1));
    let two_spaces = pairs.fold(false, |seen, (&a, &b)| seen | ((a == b' ') & (b == b' ')));
    bytes.first().is_none_or(|&b| b != b' ')
        && bytes.last().is_none_or(|&b| b != b' ')
        && !odd
        && !two_spaces
}

/// Appends words (`stretch`, when not empty) to `out`, after a space if `out` has words already.
fn push_words(stretch: &str, out: &mut String) {
    if !stretch.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(stretch);
    }
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
            text in "([a-zé\u{2019}\u{a0}\u{2003}\r\x0B .\n\t]|Iran|\u{1F600}){0,200}",
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
    fn numbers_are_written_as_rust_writes_them() {
        let mut buf = String::new();
        for n in [0, 7, 10, 99, 100, 4_294_967_296, u64::MAX] {
            assert_eq!(Cell::Int(n).text(&mut buf), n.to_string());
        }
    }

    proptest::proptest! {
        #[test]
        fn whitespace_collapses_as_split_whitespace_joins(
            text in "([ab.\u{a0}\u{2003}\r\x0B\n\t ]|é|  ){0,40}",
        ) {
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut out = String::from("left over");
            collapse_whitespace_into(&text, &mut out);
            proptest::prop_assert_eq!(out, want);
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
