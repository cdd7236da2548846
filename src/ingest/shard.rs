//! `--shard K/N`: which inputs this machine reads when N machines split a folder between them.
//!
//! Each file is assigned on its own: shard `(h mod N) + 1`, where `h` is the 64-bit FNV-1a hash
//! of the file's path relative to the PATH argument it was found under (`/`-separated; for a
//! file named on the command line, its file name). So N machines given the same folder —
//! mounted anywhere — read every file exactly once between them, with no coordination.
//!
//! Why a hash of the path and not "every N-th file of the sorted listing": an index depends on
//! the whole listing being identical on every machine. A file added or removed while the
//! machines walk at different moments would shift every later index, and documents would be read
//! twice or never. A hash decides each file by its own name: the split is unaffected by other
//! files, by argument order, or by where the folder is mounted, and a new file lands in exactly
//! one shard. The price is balance that is even only on average (shards differ by about √n
//! files), and the unit is the file: a JSONL or CSV container goes whole to one shard.

use std::fmt;

/// Shard `index + 1` of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let usage = || format!("{s:?}: expected K/N with 1 ≤ K ≤ N, such as 2/8");
        let (k, n) = s.split_once('/').ok_or_else(usage)?;
        let k: u64 = k.trim().parse().map_err(|_| usage())?;
        let n: u64 = n.trim().parse().map_err(|_| usage())?;
        if k == 0 || k > n {
            return Err(usage());
        }
        Ok(Shard {
            index: k - 1,
            count: n,
        })
    }

    /// Whether the input with this key (its relative path) belongs to this shard.
    pub fn owns(&self, key: &str) -> bool {
        fnv1a64(key.as_bytes()) % self.count == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index + 1, self.count)
    }
}

/// 64-bit FNV-1a: tiny, fixed forever (unlike std's randomly keyed hasher), well spread.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_show() {
        assert_eq!(Shard::parse("2/8").unwrap().to_string(), "2/8");
        assert_eq!(Shard::parse("1/1").unwrap().to_string(), "1/1");
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn known_hashes_never_change() {
        // Published FNV-1a 64 test vectors: a change here would re-split every corpus.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn every_key_has_exactly_one_shard_and_shards_are_balanced() {
        let n = 4;
        let shards: Vec<Shard> = (1..=n)
            .map(|k| Shard::parse(&format!("{k}/{n}")).unwrap())
            .collect();
        let mut sizes = vec![0; n];
        for i in 0..4000 {
            let key = format!("folder/doc-{i}.txt");
            let owners: Vec<usize> = (0..n).filter(|&s| shards[s].owns(&key)).collect();
            assert_eq!(owners.len(), 1, "{key}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&s| (900..1100).contains(&s)), "{sizes:?}");
    }
}
