//! `--resume`: what an earlier run into the same `--out` folder finished, so that a rerun copies
//! those documents' output instead of analyzing them again.
//!
//! Every run with `--out` writes `.entopic-state.jsonl` beside its outputs: a header with the
//! run's configuration fingerprint (version, dictionaries, options), one line per document written
//! — its key (`path`, or `path:line` for a record), a hash of its raw content, where its output
//! went in each output file (offset and length) and what it counted — and a trailer with the
//! output files' final names (`NAME.partial` after an interrupted run) and lengths.
//!
//! A resumed run carries a document over only when the configuration fingerprint, the output
//! files' lengths, its key and its content hash all agree; everything else is processed again.
//! The carried bytes are exactly the earlier output, and documents are written in input order
//! as always, so a resumed run's outputs equal a full run's.

use crate::export::AtomicFile;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// File name of the state, in the output folder.
pub const STATE_FILE: &str = ".entopic-state.jsonl";
const VERSION: u32 = 3;

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

#[derive(Serialize, Deserialize)]
struct Header {
    entopic_state: u32,
    config: String,
    files: Vec<String>,
}

#[derive(Deserialize)]
struct Line {
    key: String,
    hash: String,
    segments: Vec<(u64, u64)>,
    stats: DocStats,
    /// What formats without files of their own kept, by format name.
    #[serde(default)]
    kept: BTreeMap<String, Box<RawValue>>,
}

/// A [`Line`] as written, borrowing what it says.
#[derive(Serialize)]
struct LineRef<'a> {
    key: &'a str,
    hash: String,
    segments: &'a [(u64, u64)],
    stats: &'a DocStats,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    kept: BTreeMap<&'a str, &'a RawValue>,
}

#[derive(Serialize, Deserialize)]
struct Trailer {
    written_as: Vec<String>,
    lengths: Vec<u64>,
}

/// Writes the state of the current run.
pub struct StateWriter {
    file: AtomicFile,
}

impl StateWriter {
    pub fn create(dir: &Path, config: &str, files: &[String]) -> io::Result<StateWriter> {
        let mut file = AtomicFile::create(&dir.join(STATE_FILE))?;
        let header = Header {
            entopic_state: VERSION,
            config: config.to_string(),
            files: files.to_vec(),
        };
        serde_json::to_writer(file.writer(), &header)?;
        file.writer().write_all(b"\n")?;
        Ok(StateWriter { file })
    }

    /// Records one written document.
    pub fn document(
        &mut self,
        key: &str,
        hash: u128,
        segments: &[(u64, u64)],
        stats: &DocStats,
        kept: BTreeMap<&str, &RawValue>,
    ) -> io::Result<()> {
        let line = LineRef {
            key,
            hash: format!("{hash:032x}"),
            segments,
            stats,
            kept,
        };
        let writer = self.file.writer();
        serde_json::to_writer(&mut *writer, &line)?;
        writer.write_all(b"\n")
    }

    /// Completes the state: the names the output files were given and their lengths.
    pub fn finish(mut self, written_as: Vec<String>, lengths: Vec<u64>) -> io::Result<PathBuf> {
        serde_json::to_writer(
            self.file.writer(),
            &Trailer {
                written_as,
                lengths,
            },
        )?;
        self.file.writer().write_all(b"\n")?;
        self.file.commit()
    }
}

/// An earlier run's finished documents, ready to be carried over.
pub struct Previous {
    /// key → (content hash, offset and length of its line in the state file).
    index: HashMap<String, (u128, u64, usize)>,
    state: Mutex<File>,
    outputs: Vec<Mutex<File>>,
}

/// A carried-over document: its output parts (one per output file, in order) and counts.
pub struct Carried {
    pub parts: Vec<Vec<u8>>,
    pub stats: DocStats,
    /// What formats without files of their own kept (the workbook's rows), by format name.
    pub kept: BTreeMap<String, Box<RawValue>>,
}

impl Previous {
    /// Opens the state in `dir`, if an earlier run with the same configuration and output files
    /// left one that matches its outputs. `Err` says why nothing can be carried over.
    pub fn open(dir: &Path, config: &str, files: &[String]) -> Result<Previous, String> {
        let path = dir.join(STATE_FILE);
        let file = File::open(&path).map_err(|_| "no earlier run in this folder".to_string())?;
        let mut reader = BufReader::new(file);
        let mut line = String::new();
        let damaged = || "the earlier run's state is damaged".to_string();
        reader.read_line(&mut line).map_err(|_| damaged())?;
        let header: Header = serde_json::from_str(&line).map_err(|_| damaged())?;
        if header.entopic_state != VERSION || header.config != config {
            return Err(
                "the version, dictionaries or options changed since the earlier run".into(),
            );
        }
        if header.files != files {
            return Err("the output formats changed since the earlier run".into());
        }
        let mut index = HashMap::new();
        let mut offset = line.len() as u64;
        let mut trailer = None;
        loop {
            line.clear();
            let n = reader.read_line(&mut line).map_err(|_| damaged())?;
            if n == 0 {
                break;
            }
            if let Ok(doc) = serde_json::from_str::<Line>(&line) {
                let hash = u128::from_str_radix(&doc.hash, 16).map_err(|_| damaged())?;
                index.insert(doc.key.to_string(), (hash, offset, n));
            } else {
                trailer = Some(serde_json::from_str::<Trailer>(&line).map_err(|_| damaged())?);
            }
            offset += n as u64;
        }
        let trailer = trailer.ok_or_else(damaged)?;
        let mut outputs = Vec::new();
        for (name, length) in trailer.written_as.iter().zip(&trailer.lengths) {
            let file = File::open(dir.join(name))
                .map_err(|e| format!("the earlier output {name} cannot be read ({e})"))?;
            let len = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
            if len != *length {
                return Err(format!("the earlier output {name} was changed"));
            }
            outputs.push(Mutex::new(file));
        }
        if outputs.len() != files.len() {
            return Err(damaged());
        }
        Ok(Previous {
            index,
            state: Mutex::new(reader.into_inner()),
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

    /// The earlier output of the document `key`, if its content hash is unchanged.
    pub fn carried(&self, key: &str, hash: u128) -> Option<Carried> {
        let &(known, offset, len) = self.index.get(key)?;
        if known != hash {
            return None;
        }
        let line = read_at(&self.state, offset, len as u64).ok()?;
        let line: Line = serde_json::from_slice(&line).ok()?;
        if line.segments.len() != self.outputs.len() {
            return None;
        }
        let parts = line
            .segments
            .iter()
            .zip(&self.outputs)
            .map(|(&(at, len), file)| read_at(file, at, len))
            .collect::<io::Result<Vec<Vec<u8>>>>()
            .ok()?;
        Some(Carried {
            parts,
            stats: line.stats,
            kept: line.kept,
        })
    }
}

fn read_at(file: &Mutex<File>, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(len as usize);
    Read::by_ref(&mut *file).take(len).read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(buf)
}
