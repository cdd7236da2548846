//! One document's bytes for one output file, as a worker renders them: in memory while small,
//! in an unnamed temporary file once they pass [`SPILL`] bytes.
//!
//! Why: a dense document's output is some 30 times its text (a 10 MB page of "China China …"
//! makes 330 MB of JSON and 230 MB of CSV rows). Held whole until the ordered writer takes
//! them, those bytes were most of a run's memory; spilled, a document costs its analysis and
//! a few buffers, whatever it renders to. The file is created unnamed (`O_TMPFILE` on Linux) in
//! the output folder, so it is on the disk the output goes to, and nothing is left behind
//! if the run is killed. The writer copies the part into place and checksums come with it
//! (XXH3-64, computed while rendering), so neither side holds the bytes whole.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

/// Bytes of one part kept in memory; past this, the part goes to a temporary file.
pub const SPILL: usize = 256 * 1024;

/// One document's bytes for one output file (see the module doc).
pub struct Part {
    bytes: Bytes,
    len: u64,
    hash: u64,
}

enum Bytes {
    Memory(Vec<u8>),
    File(File),
    /// Spilling failed (a full disk): writing the part fails with this.
    Failed(io::Error),
}

impl Part {
    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether it holds no byte.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// XXH3-64 of its bytes (what the `--resume` state checks a copy against).
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Writes its bytes to `out`.
    pub fn copy_to(&self, out: &mut impl Write) -> io::Result<()> {
        match &self.bytes {
            Bytes::Memory(bytes) => out.write_all(bytes),
            Bytes::File(file) => {
                let mut file = file;
                file.seek(SeekFrom::Start(0))?;
                let copied = io::copy(&mut file.take(self.len), out)?;
                if copied != self.len {
                    return Err(io::Error::other("a temporary output file was cut short"));
                }
                Ok(())
            }
            Bytes::Failed(e) => Err(io::Error::new(e.kind(), e.to_string())),
        }
    }

    /// Its bytes, in one vector.
    pub fn to_vec(&self) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.len as usize);
        self.copy_to(&mut out)?;
        Ok(out)
    }
}

impl From<Vec<u8>> for Part {
    fn from(bytes: Vec<u8>) -> Part {
        Part {
            len: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_64(&bytes),
            bytes: Bytes::Memory(bytes),
        }
    }
}

/// Renders a [`Part`]: a [`Write`] that keeps the bytes in memory up to [`SPILL`], then moves
/// them to an unnamed file in `dir` (the system's temporary folder when there is none).
pub struct PartWriter {
    /// All the bytes until they spill; after, those not yet in the file.
    memory: Vec<u8>,
    file: Option<File>,
    dir: Option<PathBuf>,
    /// The bytes that went to the file, hashed as they go.
    hasher: Xxh3,
    len: u64,
    error: Option<io::Error>,
}

/// Bytes gathered before each write to a spilled part's file.
const FILE_BUFFER: usize = 64 * 1024;

impl PartWriter {
    /// An empty part, to spill into `dir`.
    pub fn new(dir: Option<&Path>) -> PartWriter {
        PartWriter {
            memory: Vec::new(),
            file: None,
            dir: dir.map(Path::to_path_buf),
            hasher: Xxh3::new(),
            len: 0,
            error: None,
        }
    }

    /// Moves the bytes in memory to the file (created on the first call).
    fn drain(&mut self) -> io::Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(match &self.dir {
                Some(dir) => tempfile::tempfile_in(dir)?,
                None => tempfile::tempfile()?,
            }),
        };
        self.hasher.update(&self.memory);
        file.write_all(&self.memory)?;
        self.memory.clear();
        if self.memory.capacity() > FILE_BUFFER {
            self.memory = Vec::with_capacity(FILE_BUFFER);
        }
        Ok(())
    }

    /// The part written. An error while spilling is kept in it, and comes out when it is
    /// written: output that could not be stored is an output failure.
    pub fn finish(mut self) -> Part {
        if self.file.is_some() && self.error.is_none() {
            self.error = self.drain().err();
        }
        let (bytes, hash) = match (self.error, self.file) {
            (Some(e), _) => (Bytes::Failed(e), 0),
            (None, Some(file)) => (Bytes::File(file), self.hasher.digest()),
            (None, None) => {
                let hash = xxhash_rust::xxh3::xxh3_64(&self.memory);
                (Bytes::Memory(self.memory), hash)
            }
        };
        Part {
            bytes,
            len: self.len,
            hash,
        }
    }
}

impl Write for PartWriter {
    /// Never fails: an error spilling is kept for [`PartWriter::finish`] (renderers write as
    /// to memory).
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_none() {
            self.len += buf.len() as u64;
            self.memory.extend_from_slice(buf);
            let limit = if self.file.is_some() {
                FILE_BUFFER
            } else {
                SPILL
            };
            if self.memory.len() > limit {
                self.error = self.drain().err();
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(n: usize) -> (Vec<u8>, Part) {
        let bytes: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
        let mut w = PartWriter::new(None);
        for piece in bytes.chunks(1000) {
            w.write_all(piece).unwrap();
        }
        (bytes, w.finish())
    }

    #[test]
    fn small_parts_stay_in_memory_and_large_ones_spill_unchanged() {
        for n in [0, 10, SPILL, SPILL + 1, 3 * SPILL + 17] {
            let (bytes, part) = rendered(n);
            assert_eq!(matches!(part.bytes, Bytes::File(_)), n > SPILL, "{n} bytes");
            assert_eq!(part.len(), n as u64);
            assert_eq!(part.to_vec().unwrap(), bytes);
            // Twice: the file is read from its start each time.
            assert_eq!(part.to_vec().unwrap(), bytes);
            assert_eq!(part.hash(), Part::from(bytes).hash());
        }
    }

    #[test]
    fn a_spill_that_fails_fails_the_write() {
        let mut w = PartWriter::new(Some(Path::new("/nonexistent/entopic")));
        w.write_all(&vec![b'x'; SPILL + 1]).unwrap();
        let err = w.finish().to_vec().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
