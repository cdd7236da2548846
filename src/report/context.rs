//! Mentions in context: the words around the mentions the report shows, read again from the
//! documents' sources.
//!
//! `documents.jsonl` holds offsets, not texts. To show a mention with the words around it, the
//! report reads each document again from the path recorded in its record (a file as it is now,
//! relative to the current folder; a record of a JSONL/CSV file is found by its id), with the
//! same readers as `extract` and their default options. A document whose source is gone, or that
//! no longer has the mention's text at the recorded byte offsets (edited since, or read with
//! other options), gets no context rather than a wrong one. How many contexts are gathered is
//! capped, so the report stays small whatever the size of the run.

use super::aggregate::Row;
use crate::ingest::{self, InputOptions, Units, WalkOptions};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Characters of context on each side of a mention.
pub const CONTEXT_CHARS: usize = 60;

/// One mention with the words around it, whitespace runs folded to one space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Index into the summary's entities.
    pub entity: u32,
    /// Text before the mention, starting with `…` when cut.
    pub before: String,
    pub text: String,
    /// Text after the mention, ending with `…` when cut.
    pub after: String,
}

/// Why a row has no contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Left out to keep the report small.
    OverBudget,
    /// No readable source (stdin, or the file is gone).
    NoSource,
    /// The source no longer has the mentions at the recorded offsets.
    Changed,
}

/// The contexts of a row, or why there are none.
pub type RowContexts = Result<Vec<Snippet>, Missing>;

/// Contexts for the first mentions the rows kept (see [`Row::firsts`]), in row order.
pub fn gather(rows: &[Row]) -> Vec<RowContexts> {
    let mut out: Vec<RowContexts> = Vec::with_capacity(rows.len());
    // Source path → (id → row indexes) for the rows that want contexts.
    let mut wanted: BTreeMap<&str, HashMap<&str, Vec<usize>>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        match &row.firsts {
            None => {
                out.push(Err(Missing::OverBudget));
                continue;
            }
            Some(firsts) if firsts.is_empty() => {
                out.push(Ok(Vec::new()));
                continue;
            }
            Some(_) => {}
        }
        match &row.path {
            Some(path) => {
                out.push(Err(Missing::NoSource));
                wanted
                    .entry(path)
                    .or_default()
                    .entry(&row.id)
                    .or_default()
                    .push(i);
            }
            None => out.push(Err(Missing::NoSource)),
        }
    }
    for (path, mut ids) in wanted {
        if !Path::new(path).is_file() {
            continue;
        }
        let entries = ingest::walk(&[PathBuf::from(path)], &WalkOptions::default());
        let options = InputOptions::default();
        for unit in Units::new(entries, options.clone()) {
            let Ok(doc) = ingest::load(unit, &options) else {
                continue;
            };
            if let Some(found) = ids.remove(doc.id.as_str()) {
                for i in found {
                    out[i] = snippets(&doc.text, &rows[i]);
                }
            }
            if ids.is_empty() {
                break;
            }
        }
    }
    out
}

/// The snippets of one row's first mentions, if the text still has them at their offsets.
fn snippets(text: &str, row: &Row) -> RowContexts {
    row.firsts
        .iter()
        .flatten()
        .map(|m| {
            if text.get(m.byte_start..m.byte_end) != Some(m.text.as_str()) {
                return Err(Missing::Changed);
            }
            let (before, after) = around(text, m.byte_start, m.byte_end, CONTEXT_CHARS);
            Ok(Snippet {
                entity: m.entity,
                before,
                text: fold_space(&m.text),
                after,
            })
        })
        .collect()
}

/// Up to `chars` characters before `start` and after `end` (byte offsets on character
/// boundaries), cut back to whole words and marked with `…` where cut.
pub fn around(text: &str, start: usize, end: usize, chars: usize) -> (String, String) {
    let from = if chars == 0 {
        start
    } else {
        text[..start]
            .char_indices()
            .rev()
            .nth(chars - 1)
            .map_or(0, |(i, _)| i)
    };
    let to = text[end..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| end + i);
    let mut before = fold_space(&text[from..start]);
    if from > 0 {
        if let Some(space) = before.find(' ') {
            before.replace_range(..space, "");
        }
        before.insert(0, '…');
    }
    let mut after = fold_space(&text[end..to]);
    if to < text.len() {
        if let Some(space) = after.rfind(' ') {
            after.truncate(space);
        }
        after.push('…');
    }
    (before, after)
}

/// Runs of whitespace as one space; other control characters dropped.
fn fold_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else if !c.is_control() {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::aggregate::FirstMention;
    use super::*;

    #[test]
    fn context_is_cut_to_whole_words() {
        let text =
            "The talks in Geneva ended.\n\nRussia  and\tUkraine agreed to meet again next week.";
        let start = text.find("Russia").unwrap();
        assert_eq!(
            around(text, start, start + 6, 12),
            ("… ended. ".to_string(), " and…".to_string())
        );
        assert_eq!(
            around(text, 0, 3, 200),
            (
                String::new(),
                " talks in Geneva ended. Russia and Ukraine agreed to meet again next week."
                    .to_string()
            )
        );
        let text = "Côte d’Ivoire";
        assert_eq!(
            around(text, 0, text.len(), 5),
            (String::new(), String::new())
        );
    }

    fn row(path: Option<&str>, id: &str, firsts: &[(u32, usize, &str)]) -> Row {
        Row {
            id: id.into(),
            path: path.map(str::to_string),
            title: None,
            date: None,
            tags: Vec::new(),
            entities: firsts.iter().map(|f| (f.0, 1)).collect(),
            firsts: Some(
                firsts
                    .iter()
                    .map(|&(entity, at, text)| FirstMention {
                        entity,
                        byte_start: at,
                        byte_end: at + text.len(),
                        text: text.into(),
                    })
                    .collect(),
            ),
        }
    }

    #[test]
    fn sources_are_read_again_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let txt = dir.path().join("a.txt");
        std::fs::write(&txt, "Leaders of Japan and China met.").unwrap();
        let feed = dir.path().join("feed.jsonl");
        std::fs::write(
            &feed,
            "{\"id\":\"w1\",\"text\":\"Iran said no.\"}\n{\"id\":\"w2\",\"text\":\"Chad too.\"}\n",
        )
        .unwrap();
        let txt = txt.to_str().unwrap();
        let feed = feed.to_str().unwrap();
        let rows = [
            row(Some(txt), txt, &[(0, 11, "Japan"), (1, 21, "China")]),
            row(Some(feed), "w2", &[(2, 0, "Chad")]),
            row(Some(feed), "w1", &[(3, 0, "Iraq")]),
            row(None, "<stdin>", &[(4, 0, "Peru")]),
            row(
                Some("/nowhere/gone.txt"),
                "/nowhere/gone.txt",
                &[(5, 0, "Cuba")],
            ),
            row(Some(txt), "empty", &[]),
            Row {
                firsts: None,
                ..row(Some(txt), txt, &[(0, 11, "Japan")])
            },
        ];
        let got = gather(&rows);
        let snip = |entity, before: &str, text: &str, after: &str| Snippet {
            entity,
            before: before.into(),
            text: text.into(),
            after: after.into(),
        };
        assert_eq!(
            got,
            [
                Ok(vec![
                    snip(0, "Leaders of ", "Japan", " and China met."),
                    snip(1, "Leaders of Japan and ", "China", " met."),
                ]),
                Ok(vec![snip(2, "", "Chad", " too.")]),
                Err(Missing::Changed),
                Err(Missing::NoSource),
                Err(Missing::NoSource),
                Ok(vec![]),
                Err(Missing::OverBudget),
            ]
        );
    }
}
