//! `--format conll`: a token per line with its BIO entity tag, for NER training and annotation
//! tools (the two-column layout of CoNLL-2003 NER data).
//!
//! ```text
//! -DOCSTART- O
//!
//! North B-COUNTRY
//! Korea I-COUNTRY
//! fired O
//! . O
//!
//! ```
//! Each document starts with a `-DOCSTART- O` line and a blank line; each sentence ends with a
//! blank line; documents come in input order, the same order as `documents.jsonl`. The tag is
//! the entity type in capitals (`B-` on a mention's first token, `I-` on the rest, `O` outside).
//! Tokens and sentences come from [`crate::segment`], so a mention is always whole tokens and
//! never crosses a sentence break. Tokens never contain whitespace.

use super::{Context, Output, Rendered, Stream, Writer};
use crate::document::{Analysis, Document};
use crate::segment::segment;
use std::io::{self, Write};
use std::path::Path;

/// `--format conll`.
pub struct Conll;

impl Output for Conll {
    fn name(&self) -> &'static str {
        "conll"
    }
    fn help(&self) -> &'static str {
        "A token per line with BIO entity tags (documents.conll)"
    }
    fn outputs(&self) -> &'static [&'static str] {
        &["documents.conll"]
    }
    fn files(&self) -> &'static [&'static str] {
        self.outputs()
    }
    fn render(&self, _: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
        Rendered::parts(vec![render(doc, analysis)])
    }
    fn create(&self, dir: Option<&Path>, _: &Context) -> io::Result<Box<dyn Writer>> {
        Stream::open(dir, "documents.conll", b"", (b"", b""), b"", (b"", b""))
    }
}

/// The CoNLL block of one document.
pub fn render(doc: &Document, analysis: &Analysis) -> Vec<u8> {
    let segmented = segment(&doc.text, &analysis.mentions);
    let mut out = b"-DOCSTART- O\n\n".to_vec();
    for sentence in &segmented.sentences {
        let mut previous = None;
        for token in &segmented.tokens[sentence.clone()] {
            let word = &doc.text[token.start..token.end];
            let _ = match token.mention {
                None => writeln!(out, "{word} O"),
                Some(m) => {
                    let prefix = if previous == Some(m) { 'I' } else { 'B' };
                    let label = label(&analysis.mentions[m].entity.kind);
                    writeln!(out, "{word} {prefix}-{label}")
                }
            };
            previous = token.mention;
        }
        out.push(b'\n');
    }
    out
}

/// The tag label of an entity type: `country` → `COUNTRY`, `arms deal` → `ARMS_DEAL`.
fn label(kind: &str) -> String {
    kind.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_document_token_by_token() {
        let pipeline = crate::Pipeline::bundled().unwrap();
        let text = "Kim Jong Un watched a Hwasong-15 launch. Türkiye’s Recep Tayyip Erdoğan objected.\nNew line";
        let doc = Document::new("d", text);
        let out = String::from_utf8(render(&doc, &pipeline.analyze(&doc))).unwrap();
        assert_eq!(
            out,
            "-DOCSTART- O\n\n\
             Kim B-LEADER\nJong I-LEADER\nUn I-LEADER\nwatched O\na O\n\
             Hwasong-15 B-WEAPON\nlaunch O\n. O\n\n\
             Türkiye B-COUNTRY\n’s O\nRecep B-LEADER\nTayyip I-LEADER\nErdoğan I-LEADER\nobjected O\n. O\n\n\
             New O\nline O\n\n"
        );
    }

    #[test]
    fn labels() {
        assert_eq!(label("country"), "COUNTRY");
        assert_eq!(label("arms deal"), "ARMS_DEAL");
    }
}
