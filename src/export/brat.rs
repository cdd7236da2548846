//! `--format brat`: brat standoff files, to load the tagged documents into an annotation project
//! (brat, or any tool that reads its format) and correct or extend them by hand.
//!
//! Writes the folder `brat/` in `--out`, holding per document `<name>.txt` (the original text,
//! exactly as entopic read it) and `<name>.ann`:
//! ```text
//! T1<TAB>Country 10 15<TAB>China
//! #1<TAB>AnnotatorNotes T1<TAB>CHN
//! N1<TAB>Reference T1 entopic:CHN<TAB>China
//! ```
//! a text-bound annotation per mention (type label, start and end as **character** offsets into
//! the `.txt`, the mention text), the entity id as a note, and the same id as a brat
//! normalization (`entopic:<id>`, followed by the canonical name). A mention across a line break
//! becomes a discontinuous annotation (`0 5;6 11`), its text pieces joined by a space, as brat
//! requires. `<name>` is the file's path relative to the input root it was found under (a record of a
//! JSONL/CSV file: its id), made safe as a file name (see [`file_name`]): stable wherever the
//! inputs lie on disk;
//! `index.csv` maps each name back to its id, and `annotation.conf` declares the entity types.
//! The folder is built under a temporary name and renamed into place at the end of the run.

use super::{Aggregates, Context, Ending, Output, Rendered, Writer};
use crate::document::{Analysis, Document};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

/// `--format brat`.
pub struct Brat;

impl Output for Brat {
    fn name(&self) -> &'static str {
        "brat"
    }
    fn help(&self) -> &'static str {
        "brat standoff: brat/<doc>.txt and brat/<doc>.ann per document (needs --out)"
    }
    fn outputs(&self) -> &'static [&'static str] {
        &["brat"]
    }
    fn needs_folder(&self) -> bool {
        true
    }
    /// The brat folder holds each document's text, which the state does not keep: with it
    /// every document is analyzed again.
    fn carries(&self) -> bool {
        false
    }
    fn render(&self, _: &Context, doc: &Document, analysis: &Analysis) -> Rendered {
        Rendered {
            rows: Some(Box::new(render(doc, analysis))),
            ..Rendered::default()
        }
    }
    fn create(&self, dir: Option<&Path>, ctx: &Context) -> io::Result<Box<dyn Writer>> {
        let dir = dir.ok_or_else(|| super::needs_folder(self))?;
        Ok(Box::new(BratWriter::create(
            dir,
            ctx.types,
            &ctx.options.roots,
        )?))
    }
}

/// One document as brat files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BratDoc {
    id: String,
    /// The file the document was read from, when the document is that whole file.
    whole_file: Option<String>,
    text: String,
    ann: String,
}

impl BratDoc {
    /// The `.txt` file: the document text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The `.ann` file: a text-bound annotation, a note and a reference per mention.
    pub fn ann(&self) -> &str {
        &self.ann
    }
}

/// The brat label of an entity type: `country` → `Country`, `arms deal` → `Arms_deal`.
fn label(kind: &str) -> String {
    let mut chars = kind.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    first
        .into_iter()
        .flat_map(|s| s.chars().collect::<Vec<_>>())
        .chain(chars)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The `.ann` of one document and its text.
pub fn render(doc: &Document, analysis: &Analysis) -> BratDoc {
    let mut ann = String::new();
    for (n, m) in analysis.mentions.iter().enumerate() {
        let n = n + 1;
        // Character fragments of the mention, cut at line breaks.
        let mut fragments: Vec<(usize, usize)> = Vec::new();
        let mut pieces: Vec<&str> = Vec::new();
        let mut run: Option<(usize, usize)> = None; // (char offset, byte offset) of the run
        let ends = m.text.char_indices().chain([(m.text.len(), '\n')]);
        for (chars, (byte, c)) in ends.enumerate() {
            if c == '\n' || c == '\r' {
                if let Some((from, from_byte)) = run.take() {
                    fragments.push((m.start + from, m.start + chars));
                    pieces.push(&m.text[from_byte..byte]);
                }
            } else if run.is_none() {
                run = Some((chars, byte));
            }
        }
        let spans: Vec<String> = fragments.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let text = pieces.join(" ").replace('\t', " ");
        let _ = writeln!(
            ann,
            "T{n}\t{} {}\t{text}",
            label(&m.entity.kind),
            spans.join(";")
        );
        let _ = writeln!(ann, "#{n}\tAnnotatorNotes T{n}\t{}", m.entity.id);
        let _ = writeln!(
            ann,
            "N{n}\tReference T{n} entopic:{}\t{}",
            m.entity.id, m.entity.name
        );
    }
    BratDoc {
        id: doc.id.clone(),
        whole_file: doc.path.clone().filter(|p| *p == doc.id),
        text: doc.text.clone(),
        ann,
    }
}

/// A file name (without extension) for a document id: a known document extension dropped, every
/// character other than ASCII letters, digits, `.`, `-`, `_` replaced by `_` (runs collapsed),
/// no leading dot, at most 100 characters; `doc` when nothing is left.
/// `data/korea/launch.txt` → `data_korea_launch`, `<stdin>` → `stdin`.
pub fn file_name(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    let stem = [
        ".txt",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".xhtml",
        ".text",
    ]
    .iter()
    .find(|ext| lower.ends_with(*ext))
    .map_or(id, |ext| &id[..id.len() - ext.len()]);
    let mut name = String::new();
    for c in stem.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            c
        } else {
            '_'
        };
        if !(c == '_' && name.ends_with('_')) {
            name.push(c);
        }
    }
    let name = name
        .trim_start_matches(['.', '_', '-'])
        .trim_end_matches('_');
    let name: String = name.chars().take(100).collect();
    if name.is_empty() {
        "doc".into()
    } else {
        name
    }
}

/// A file's path relative to the deepest input root it lies under (`/tmp/x/in` + `/tmp/x/in/a/b.txt`
/// → `a/b.txt`), its file name when it is a root itself, the path unchanged outside every root.
/// So the names do not depend on where the inputs were on disk, only on the layout below them.
fn relative_to_root(path: &str, roots: &[PathBuf]) -> String {
    let path = Path::new(path);
    let best = roots
        .iter()
        .filter_map(|root| {
            let rel = path.strip_prefix(root).ok()?;
            Some((root.components().count(), rel))
        })
        .max_by_key(|(depth, _)| *depth);
    match best {
        Some((_, rel)) if rel.as_os_str().is_empty() => path.file_name().map(Path::new),
        Some((_, rel)) => Some(rel),
        None => None,
    }
    .unwrap_or(path)
    .to_string_lossy()
    .into_owned()
}

/// Writes the brat folder, one document at a time.
pub struct BratWriter {
    /// The folder being built, renamed to `dest` when the run ends.
    tmp: tempfile::TempDir,
    dest: PathBuf,
    index: csv::Writer<BufWriter<File>>,
    /// Names given so far, lowercased (names differing only in case clash on some systems).
    used: HashSet<String>,
    types: Vec<String>,
    /// The input paths as given, to name files by their path relative to them.
    roots: Vec<PathBuf>,
}

impl BratWriter {
    pub fn create(dir: &Path, types: &[String], roots: &[PathBuf]) -> io::Result<BratWriter> {
        let tmp = tempfile::Builder::new()
            .prefix(".brat.")
            .suffix(".partial")
            .tempdir_in(dir)?;
        let mut index =
            csv::Writer::from_writer(BufWriter::new(File::create(tmp.path().join("index.csv"))?));
        index
            .write_record(["file", "doc_id"])
            .map_err(io::Error::other)?;
        Ok(BratWriter {
            tmp,
            dest: dir.join("brat"),
            index,
            used: HashSet::new(),
            types: types.to_vec(),
            roots: roots.to_vec(),
        })
    }
}

impl Writer for BratWriter {
    fn write(&mut self, r: &Rendered, _: &mut Vec<(u64, u64)>) -> io::Result<()> {
        let doc: &BratDoc = r.rows_of();
        let base = match &doc.whole_file {
            Some(path) => file_name(&relative_to_root(path, &self.roots)),
            None => file_name(&doc.id),
        };
        let mut name = base.clone();
        let mut n = 1;
        while !self.used.insert(name.to_ascii_lowercase()) {
            n += 1;
            name = format!("{base}-{n}");
        }
        let dir = self.tmp.path();
        std::fs::write(dir.join(format!("{name}.txt")), &doc.text)?;
        std::fs::write(dir.join(format!("{name}.ann")), &doc.ann)?;
        self.index
            .write_record([name.as_str(), &super::spreadsheet_safe(&doc.id)])
            .map_err(io::Error::other)
    }

    /// Completes the folder and puts it in place (as `brat.partial` after an interrupted run).
    fn finish(mut self: Box<Self>, ending: Ending, _: &Aggregates) -> io::Result<Vec<PathBuf>> {
        self.dest = self.dest.with_file_name(ending.file_name("brat"));
        self.index.flush()?;
        let mut conf = String::from(
            "# Entity types of the entopic export (brat annotation.conf)\n[entities]\n",
        );
        for t in &self.types {
            conf.push_str(&label(t));
            conf.push('\n');
        }
        conf.push_str("[relations]\n[events]\n[attributes]\n");
        std::fs::write(self.tmp.path().join("annotation.conf"), conf)?;
        // Replace an earlier export: move it aside, put the new folder in place, remove the old.
        let old = self.dest.exists().then(|| {
            let aside = self.dest.with_file_name(".brat.old.partial");
            let _ = std::fs::remove_dir_all(&aside);
            aside
        });
        if let Some(aside) = &old {
            std::fs::rename(&self.dest, aside)?;
        }
        let built = self.tmp.keep();
        std::fs::rename(&built, &self.dest)?;
        if let Some(aside) = old {
            std::fs::remove_dir_all(aside)?;
        }
        Ok(vec![self.dest])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ann_lines_use_character_offsets() {
        let pipeline = crate::Pipeline::bundled().unwrap();
        // "Türkiye’s" and "Erdoğan" put multi-byte characters before later mentions.
        let text = "Türkiye’s Recep Tayyip Erdoğan met Kim Jong\nUn about Iran.";
        let doc = Document::new("data/x/Türkiye report.txt", text);
        let b = render(&doc, &pipeline.analyze(&doc));
        assert_eq!(
            b.ann,
            "T1\tCountry 0 7\tTürkiye\n#1\tAnnotatorNotes T1\tTUR\nN1\tReference T1 entopic:TUR\tTurkey\n\
             T2\tLeader 10 30\tRecep Tayyip Erdoğan\n#2\tAnnotatorNotes T2\trecep-tayyip-erdogan\nN2\tReference T2 entopic:recep-tayyip-erdogan\tRecep Tayyip Erdoğan\n\
             T3\tLeader 35 43;44 46\tKim Jong Un\n#3\tAnnotatorNotes T3\tkim-jong-un\nN3\tReference T3 entopic:kim-jong-un\tKim Jong Un\n\
             T4\tCountry 53 57\tIran\n#4\tAnnotatorNotes T4\tIRN\nN4\tReference T4 entopic:IRN\tIran\n"
        );
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(
            chars[10..30].iter().collect::<String>(),
            "Recep Tayyip Erdoğan"
        );
        assert_eq!(b.text, text);
    }

    #[test]
    fn names_relative_to_the_input_root() {
        let roots = [
            PathBuf::from("/tmp/x/in"),
            PathBuf::from("./"),
            PathBuf::from("one.txt"),
        ];
        for (path, want) in [
            ("/tmp/x/in/seed.txt", "seed.txt"),
            ("/tmp/x/in/sub/b.txt", "sub/b.txt"),
            ("./sub/b.txt", "sub/b.txt"),
            ("one.txt", "one.txt"),
            ("/elsewhere/c.txt", "/elsewhere/c.txt"),
        ] {
            assert_eq!(relative_to_root(path, &roots), want, "{path}");
        }
    }

    #[test]
    fn file_names() {
        let cases = [
            (
                "data/korea/hwasong-19-launch.txt",
                "data_korea_hwasong-19-launch",
            ),
            ("<stdin>", "stdin"),
            ("feeds/wire.jsonl:3", "feeds_wire.jsonl_3"),
            ("../../etc/passwd", "etc_passwd"),
            ("Türkiye report.HTML", "T_rkiye_report"),
            ("???", "doc"),
            ("", "doc"),
        ];
        for (id, want) in cases {
            assert_eq!(file_name(id), want, "{id:?}");
        }
    }
}
