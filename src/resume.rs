//! `--resume`: what an earlier run into the same `--out` folder finished, so that a rerun copies
//! those documents' output instead of analyzing them again.
//!
//! Every run with `--out` writes `.entopic-state.jsonl` beside its outputs (documented in
//! `docs/output.md`): a header naming what shapes the output besides the documents (entopic's
//! version, each dictionary's and topic model's hash, each option), one line per document written
//! and a trailer with the output files' final names and lengths. A document's line holds its key
//! (`path`, or `path:line` for a record), a hash of its raw content, where its output went in each
//! output file (offset, length and an XXH3-64 of those bytes), what it counted, and a checksum of
//! the line itself. It holds no copy of the output: the state stays small.
//!
//! A resumed run carries a document over only when everything agrees: the header, the manifest
//! of the output set (the state and each output unchanged since the commit), the output files'
//! lengths, the line's checksum, its key and content hash, and the checksum of every byte range
//! read back. Anything else — a damaged line, an edited output, a length past the end of its
//! file, a special file in place of the state — means "process again", never "copy", and nothing
//! is allocated from a length that was not checked against the file. The carried bytes are
//! exactly the earlier output, and documents are written in input order as always, so a resumed
//! run's outputs equal a full run's.

use crate::outdir;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

pub use crate::outdir::STATE_FILE;
const VERSION: u32 = 4;

/// What one document counted, for the run's totals and the corpus tables (kept in the state for
/// carried documents).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocStats {
    /// Entities with their mention counts (and, with CSV output, the pairs that share a
    /// sentence).
    pub table: crate::export::DocStats,
    /// Topic tags given.
    pub topics: Vec<String>,
}

impl DocStats {
    /// The stats as a state line stores them (JSON). Made by the worker that counted them, so
    /// the writer thread, which every worker waits for, only copies the bytes.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("strings, numbers and lists always serialize")
    }
}

/// What shapes a document's output besides its content: when any of it changes, nothing is
/// carried over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    /// entopic's version.
    pub version: String,
    /// (path, XXH3-128) of each dictionary file and topic model, in load order.
    pub dictionaries: Vec<(String, String)>,
    /// Each option that changes output, by its flag, as text.
    pub options: BTreeMap<String, String>,
}

impl Shape {
    /// What differs between an earlier run's shape and this one's, in words.
    fn changes(&self, earlier: &Shape) -> Vec<String> {
        let mut changed = Vec::new();
        if self.version != earlier.version {
            changed.push(format!(
                "entopic's version ({} then, {} now)",
                earlier.version, self.version
            ));
        }
        let mut files: Vec<&str> = Vec::new();
        for (path, hash) in &self.dictionaries {
            if !earlier
                .dictionaries
                .iter()
                .any(|(p, h)| p == path && h == hash)
            {
                files.push(path);
            }
        }
        for (path, _) in &earlier.dictionaries {
            if !self.dictionaries.iter().any(|(p, _)| p == path) {
                files.push(path);
            }
        }
        if !files.is_empty() {
            changed.push(format!(
                "dictionaries or topic models ({})",
                files.join(", ")
            ));
        }
        let keys = self.options.keys().chain(earlier.options.keys());
        let mut options: Vec<&str> = keys
            .filter(|k| self.options.get(*k) != earlier.options.get(*k))
            .map(String::as_str)
            .collect();
        options.dedup();
        if !options.is_empty() {
            changed.push(format!("options ({})", options.join(", ")));
        }
        changed
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    entopic_state: u32,
    shape: Shape,
    files: Vec<String>,
}

/// Where one document's part of one output went: offset, length, XXH3-64 of the bytes.
type Segment = (u64, u64, u64);

#[derive(Serialize, Deserialize)]
struct Line {
    key: String,
    hash: String,
    segments: Vec<Segment>,
    stats: DocStats,
    /// XXH3-64 of the line written with `check` 0.
    check: u64,
}

impl Line {
    fn checksum(&self) -> u64 {
        let mut copy = serde_json::to_vec(&(&self.key, &self.hash, &self.segments, &self.stats))
            .expect("a state line serializes");
        copy.push(b'\n');
        xxhash_rust::xxh3::xxh3_64(&copy)
    }
}

/// A document's [`Line`], as serde writes it, with each value serialized once: `buf` first takes
/// the array [`Line::checksum`] hashes, then the line made of the same value bytes.
fn line_bytes<'a>(
    buf: &'a mut Vec<u8>,
    key: &str,
    hash: &str,
    segments: &[Segment],
    stats: &[u8],
) -> io::Result<&'a [u8]> {
    buf.clear();
    buf.push(b'[');
    let mut values = [0..0, 0..0, 0..0, 0..0];
    for (i, range) in values.iter_mut().enumerate() {
        let start = buf.len();
        match i {
            0 => serde_json::to_writer(&mut *buf, key)?,
            1 => serde_json::to_writer(&mut *buf, hash)?,
            2 => serde_json::to_writer(&mut *buf, segments)?,
            _ => buf.extend_from_slice(stats),
        }
        *range = start..buf.len();
        buf.push(if i < 3 { b',' } else { b']' });
    }
    buf.push(b'\n');
    let check = xxhash_rust::xxh3::xxh3_64(buf);
    let line_start = buf.len();
    let names: [&[u8]; 4] = [
        b"{\"key\":",
        b",\"hash\":",
        b",\"segments\":",
        b",\"stats\":",
    ];
    for (name, range) in names.into_iter().zip(values) {
        buf.extend_from_slice(name);
        buf.extend_from_within(range);
    }
    writeln!(buf, ",\"check\":{check}}}")?;
    Ok(&buf[line_start..])
}

#[derive(Serialize, Deserialize)]
struct Trailer {
    written_as: Vec<String>,
    lengths: Vec<u64>,
}

/// Writes the state of the current run.
pub struct StateWriter {
    file: crate::export::AtomicFile,
    /// The line being written, reused.
    line: Vec<u8>,
}

impl StateWriter {
    /// Starts the state in `dir` (the run's staging folder).
    pub fn create(dir: &Path, shape: &Shape, files: &[String]) -> io::Result<StateWriter> {
        let mut file = crate::export::AtomicFile::create(&dir.join(STATE_FILE))?;
        let header = Header {
            entopic_state: VERSION,
            shape: shape.clone(),
            files: files.to_vec(),
        };
        serde_json::to_writer(file.writer(), &header)?;
        file.writer().write_all(b"\n")?;
        Ok(StateWriter {
            file,
            line: Vec::new(),
        })
    }

    /// Records one written document: where each part went (`segments`, as returned by the
    /// exporters), the parts (their checksums) and its stats as [`DocStats::to_json`] wrote them.
    pub fn document(
        &mut self,
        key: &str,
        hash: u128,
        segments: &[(u64, u64)],
        parts: &[&crate::export::Part],
        stats: &[u8],
    ) -> io::Result<()> {
        let segments: Vec<Segment> = segments
            .iter()
            .zip(parts)
            .map(|(&(at, len), part)| (at, len, part.hash()))
            .collect();
        let hash = format!("{hash:032x}");
        let line = line_bytes(&mut self.line, key, &hash, &segments, stats)?;
        self.file.writer().write_all(line)
    }

    /// Completes the state: the names the output files were given and their lengths.
    pub fn finish(mut self, written_as: Vec<String>, lengths: Vec<u64>) -> io::Result<()> {
        let trailer = Trailer {
            written_as,
            lengths,
        };
        serde_json::to_writer(self.file.writer(), &trailer)?;
        self.file.writer().write_all(b"\n")?;
        self.file.commit().map(drop)
    }
}

/// key → (content hash, offset and length of its line in the state file).
type Index = HashMap<String, (u128, u64, u64)>;

/// An earlier run's finished documents, ready to be carried over.
pub struct Previous {
    index: Index,
    state: Mutex<File>,
    state_len: u64,
    /// Each output file with its length.
    outputs: Vec<(Mutex<File>, u64)>,
}

/// A carried-over document: its output parts (one per output file, in order) and counts.
pub struct Carried {
    pub parts: Vec<Vec<u8>>,
    pub stats: DocStats,
}

impl Previous {
    /// Opens the state in `dir`, if an earlier run with the same shape and output files left
    /// one that matches its outputs. `Err` says why nothing can be carried over.
    pub fn open(dir: &Path, shape: &Shape, files: &[String]) -> Result<Previous, String> {
        let path = dir.join(STATE_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return Err("no earlier run in this folder".into());
        }
        let manifest = outdir::read_manifest(dir)
            .ok_or("the earlier run did not complete its outputs (no manifest)")?;
        outdir::unchanged(dir, &manifest, STATE_FILE)?;
        let (file, state_len) = open_regular(&path).map_err(|e| format!("{STATE_FILE}: {e}"))?;
        let mut reader = BufReader::new(file);
        let mut line = String::new();
        let damaged = || "the earlier run's state is damaged".to_string();
        reader.read_line(&mut line).map_err(|_| damaged())?;
        let header: Header = serde_json::from_str(&line).map_err(|_| damaged())?;
        if header.entopic_state != VERSION {
            return Err("the earlier run was made by another version of entopic".into());
        }
        let changes = shape.changes(&header.shape);
        if !changes.is_empty() {
            return Err(format!(
                "changed since the earlier run: {}",
                changes.join("; ")
            ));
        }
        if header.files != files {
            return Err("the output formats changed since the earlier run".into());
        }
        let (index, trailer) = read_index(&mut reader, line.len() as u64).ok_or_else(damaged)?;
        if trailer.written_as.len() != files.len() || trailer.lengths.len() != files.len() {
            return Err(damaged());
        }
        let mut outputs = Vec::new();
        for (name, &length) in trailer.written_as.iter().zip(&trailer.lengths) {
            outdir::unchanged(dir, &manifest, name)?;
            let (file, len) = open_regular(&dir.join(name))
                .map_err(|e| format!("the earlier output {name} cannot be read ({e})"))?;
            if len != length {
                return Err(format!("the earlier output {name} was changed"));
            }
            outputs.push((Mutex::new(file), len));
        }
        Ok(Previous {
            index,
            state: Mutex::new(reader.into_inner()),
            state_len,
            outputs,
        })
    }

    /// Documents the earlier run finished.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The earlier output of the document `key`, if its content hash is unchanged and every
    /// check holds.
    pub fn carried(&self, key: &str, hash: u128) -> Option<Carried> {
        let &(known, offset, len) = self.index.get(key)?;
        if known != hash {
            return None;
        }
        let line = read_at(&self.state, self.state_len, offset, len).ok()?;
        let line: Line = serde_json::from_slice(&line).ok()?;
        if line.check != line.checksum()
            || line.key != key
            || line.segments.len() != self.outputs.len()
        {
            return None;
        }
        let mut parts = Vec::with_capacity(line.segments.len());
        for (&(at, len, sum), (file, file_len)) in line.segments.iter().zip(&self.outputs) {
            let bytes = read_at(file, *file_len, at, len).ok()?;
            if xxhash_rust::xxh3::xxh3_64(&bytes) != sum {
                return None;
            }
            parts.push(bytes);
        }
        Some(Carried {
            parts,
            stats: line.stats,
        })
    }
}

/// Indexes the document lines of a state (after its header, which is `offset` bytes long) and
/// reads its trailer. `None` when a line is neither, or a key appears twice.
fn read_index(reader: &mut impl BufRead, mut offset: u64) -> Option<(Index, Trailer)> {
    #[derive(Deserialize)]
    struct Key {
        key: String,
        hash: String,
    }
    let mut index = HashMap::new();
    let mut trailer = None;
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).ok()? as u64;
        if n == 0 {
            break;
        }
        if trailer.is_some() {
            return None;
        }
        if let Ok(doc) = serde_json::from_str::<Key>(&line) {
            let hash = u128::from_str_radix(&doc.hash, 16).ok()?;
            if index.insert(doc.key, (hash, offset, n)).is_some() {
                return None;
            }
        } else {
            trailer = Some(serde_json::from_str::<Trailer>(&line).ok()?);
        }
        offset += n;
    }
    Some((index, trailer?))
}

/// Opens a regular file without waiting (a FIFO put in its place would block a plain open) and
/// returns it with its length; anything else is refused.
fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok((file, meta.len()))
}

/// Reads `len` bytes at `offset` of a file `file_len` bytes long; a range past its end is an
/// error before anything is allocated.
fn read_at(file: &Mutex<File>, file_len: u64, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    let end = offset.checked_add(len);
    if end.is_none_or(|end| end > file_len) {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(len as usize);
    Read::by_ref(&mut *file).take(len).read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_what_serde_writes_with_its_checksum() {
        let table = r#"{"doc_id": "d\"1", "pairs": [[0, 1, 3]], "entities": [
            {"kind": "country", "id": "IRN", "name": "“Iran”\n\\", "mentions": 2},
            {"kind": "country", "id": "IRQ", "name": "Iraq", "mentions": 1}]}"#;
        let stats = DocStats {
            table: serde_json::from_str(table).unwrap(),
            topics: vec!["Nuclear".into(), "Élections".into()],
        };
        let segments = vec![(0, 12, 99), (u64::MAX, 0, 7)];
        let (key, hash) = ("dir/ä b.txt:3", format!("{:032x}", 0xabc_u128));
        let mut want = Line {
            key: key.into(),
            hash: hash.clone(),
            segments: segments.clone(),
            stats: stats.clone(),
            check: 0,
        };
        want.check = want.checksum();
        let mut want = serde_json::to_vec(&want).unwrap();
        want.push(b'\n');
        let mut buf = b"left over".to_vec();
        let got = line_bytes(&mut buf, key, &hash, &segments, &stats.to_json()).unwrap();
        assert_eq!(String::from_utf8_lossy(got), String::from_utf8_lossy(&want));
    }

    #[test]
    fn ranges_past_the_end_are_refused_before_allocating() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"0123456789").unwrap();
        let file = Mutex::new(file);
        assert_eq!(read_at(&file, 10, 2, 3).unwrap(), b"234");
        for (at, len) in [(0, 1_000_000_000_000_000_000), (u64::MAX, 2), (8, 3)] {
            let e = read_at(&file, 10, at, len).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof, "{at} {len}");
        }
    }
}
