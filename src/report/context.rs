//! Mentions in context: the words around the mentions the report shows, read again from the
//! documents' sources.
//!
//! `documents.jsonl` holds offsets, not texts. To show a mention with the words around it, the
//! report reads each document again from the path recorded in its record (a file as it is now,
//! resolved against the folder the run started in and read only under the run's inputs, see
//! [`super::inputs`]; a record of a JSONL/CSV file is found by its id, the n-th record with an id
//! for the n-th document with that id), with the same readers as `extract` and their default
//! options. A document whose source is gone, outside the inputs, or that no longer has the
//! mention's text at the recorded byte offsets (edited since, or read with other options), gets
//! no context rather than a wrong one. How many contexts are gathered is capped, so the report
//! stays small whatever the size of the run.

use super::aggregate::Row;
use super::inputs::Inputs;
use crate::ingest::{self, InputOptions, Units, WalkOptions};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

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
    /// The recorded path is not under the run's inputs: not read.
    NotAnInput,
    /// No `run.json` recording the inputs: no file is read.
    NoRunInfo,
}

/// The contexts of a row, or why there are none.
pub type RowContexts = Result<Vec<Snippet>, Missing>;

/// Contexts for the first mentions the rows kept (see [`Row::firsts`]), in row order, read
/// from under `inputs` (nothing is read without them).
pub fn gather(rows: &[Row], inputs: Option<&Inputs>) -> Vec<RowContexts> {
    let mut out: Vec<RowContexts> = Vec::with_capacity(rows.len());
    // Source file → (id as the reader gives it, its n-th occurrence) → row index.
    let mut wanted: BTreeMap<PathBuf, HashMap<(String, usize), usize>> = BTreeMap::new();
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(path) = &row.path else {
            out.push(Err(Missing::NoSource));
            continue;
        };
        let nth = seen.entry((path, &row.id)).or_default();
        let occurrence = *nth;
        *nth += 1;
        match &row.firsts {
            None => out.push(Err(Missing::OverBudget)),
            Some(firsts) if firsts.is_empty() => out.push(Ok(Vec::new())),
            Some(_) => match inputs.map_or(Err(Missing::NoRunInfo), |i| i.resolve(path)) {
                Err(missing) => out.push(Err(missing)),
                Ok(file) => {
                    out.push(Err(Missing::NoSource));
                    // A whole file is read back under its resolved name; a record keeps its id.
                    let id = if row.id == *path {
                        file.to_string_lossy().into_owned()
                    } else {
                        row.id.clone()
                    };
                    wanted.entry(file).or_default().insert((id, occurrence), i);
                }
            },
        }
    }
    for (path, mut ids) in wanted {
        if !path.is_file() {
            continue;
        }
        let entries = ingest::walk(&[path], &WalkOptions::default());
        let options = InputOptions::default();
        let mut occurrences: HashMap<String, usize> = HashMap::new();
        for unit in Units::new(entries, options.clone()) {
            let Ok(doc) = ingest::load(unit, &options) else {
                continue;
            };
            let nth = occurrences.entry(doc.id.clone()).or_default();
            if let Some(i) = ids.remove(&(doc.id, *nth)) {
                out[i] = snippets(&doc.text, &rows[i]);
            }
            *nth += 1;
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
            "{\"id\":\"w1\",\"text\":\"Iran said no.\"}\n{\"id\":\"w2\",\"text\":\"Chad too.\"}\n\
             {\"id\":\"w2\",\"text\":\"Oman and Chad.\"}\n",
        )
        .unwrap();
        let info = serde_json::json!({"inputs": {"paths": [dir.path()], "working_directory": "/"}});
        std::fs::write(dir.path().join("run.json"), info.to_string()).unwrap();
        let inputs = Inputs::read(dir.path()).unwrap();
        let txt = txt.to_str().unwrap();
        let feed = feed.to_str().unwrap();
        let rows = [
            row(Some(txt), txt, &[(0, 11, "Japan"), (1, 21, "China")]),
            row(Some(feed), "w2", &[(2, 0, "Chad")]),
            row(Some(feed), "w1", &[(3, 0, "Iraq")]),
            // The second record with id w2 is the second document with that id.
            row(Some(feed), "w2", &[(6, 9, "Chad")]),
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
        let got = gather(&rows, Some(&inputs));
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
                Ok(vec![snip(6, "Oman and ", "Chad", ".")]),
                Err(Missing::NoSource),
                Err(Missing::NoSource),
                Ok(vec![]),
                Err(Missing::OverBudget),
            ]
        );
        assert!(gather(&rows[..1], None) == [Err(Missing::NoRunInfo)]);
    }
}
