//! `--format conll`: a token per line with its BIO entity tag, for NER training and annotation
//! tools (the two-column layout of CoNLL-2003 NER data).
//!
//! ```text
//! -DOCSTART- seoul-2017.txt O
//!
//! North B-COUNTRY
//! Korea I-COUNTRY
//! fired O
//! . O
//!
//! ```
//! Each document starts with a `-DOCSTART- ID O` line naming the document (see [`docstart`]) and a
//! blank line; each sentence ends with a
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
    fn render(&self, ctx: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
        let mut out = ctx.options.part();
        render(doc, analysis, &mut out);
        Rendered::parts(vec![out.finish()])
    }
    fn create(&self, dir: Option<&Path>, _: &Context) -> io::Result<Box<dyn Writer>> {
        Stream::open(dir, "documents.conll", b"", (b"", b""), b"", (b"", b""))
    }
}

/// Writes the CoNLL block of one document to `out` (a part, which never fails).
fn render(doc: &Document, analysis: &Analysis, out: &mut impl Write) {
    let segmented = segment(&doc.text, &analysis.mentions);
    let _ = out.write_all(docstart(&doc.id).as_bytes());
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
        let _ = out.write_all(b"\n");
    }
}

/// The line (and blank line) that starts a document: `-DOCSTART- ID O`. Readers of CoNLL-2003
/// data skip every line that starts with `-DOCSTART-`, so the id rides there without adding a
/// line they would read as a token; the last column stays the `O` tag. So that the id is one
/// column, whitespace, control characters and `%` in it are percent-encoded (`a b` → `a%20b`).
fn docstart(id: &str) -> String {
    let mut line = String::from("-DOCSTART- ");
    for c in id.chars() {
        if c.is_whitespace() || c.is_control() || c == '%' {
            let mut utf8 = [0; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                line.push_str(&format!("%{b:02X}"));
            }
        } else {
            line.push(c);
        }
    }
    line.push_str(" O\n\n");
    line
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
        let mut out = Vec::new();
        render(&doc, &pipeline.analyze(&doc), &mut out);
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "-DOCSTART- d O\n\n\
             Kim B-LEADER\nJong I-LEADER\nUn I-LEADER\nwatched O\na O\n\
             Hwasong-15 B-WEAPON\nlaunch O\n. O\n\n\
             Türkiye B-COUNTRY\n’s O\nRecep B-LEADER\nTayyip I-LEADER\nErdoğan I-LEADER\nobjected O\n. O\n\n\
             New O\nline O\n\n"
        );
    }

    #[test]
    fn docstart_lines_carry_the_id_as_one_column() {
        assert_eq!(docstart("seoul.txt"), "-DOCSTART- seoul.txt O\n\n");
        assert_eq!(docstart("a b\t100%"), "-DOCSTART- a%20b%09100%25 O\n\n");
        assert_eq!(docstart("\u{a0}é"), "-DOCSTART- %C2%A0é O\n\n");
    }

    #[test]
    fn labels() {
        assert_eq!(label("country"), "COUNTRY");
        assert_eq!(label("arms deal"), "ARMS_DEAL");
    }
}
