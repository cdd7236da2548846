//! Duplicate document ids: two records (or files) with one id make every output keyed by id —
//! documents.csv, the report, a join on `doc_id` — ambiguous, so each repeat is warned about on
//! stderr with both places, in input order (the first [`MAX_WARNINGS`], then one line saying more
//! were found). Ids are kept as 64-bit hashes with the place first seen, so memory stays small.

use std::collections::HashMap;

/// Repeats listed one by one; the rest are counted.
pub const MAX_WARNINGS: usize = 20;

/// The ids seen so far in a run.
#[derive(Debug, Default)]
pub struct SeenIds {
    first: HashMap<u64, Box<str>>,
    repeats: usize,
}

impl SeenIds {
    /// Notes that the document at `place` (a path, or `path:line`) has `id`; returns the warning
    /// to show when the id was seen before, `None` otherwise.
    pub fn check(&mut self, id: &str, place: &str) -> Option<String> {
        let hash = xxhash_rust::xxh3::xxh3_64(id.as_bytes());
        let Some(first) = self.first.get(&hash) else {
            self.first.insert(hash, place.into());
            return None;
        };
        self.repeats += 1;
        match self.repeats {
            n if n <= MAX_WARNINGS => Some(format!(
                "entopic: warning: duplicate id {id:?}: {place} has the id of {first}"
            )),
            n if n == MAX_WARNINGS + 1 => Some(format!(
                "entopic: warning: more duplicate ids found; only the first {MAX_WARNINGS} are listed"
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_warned_with_both_places_then_capped() {
        let mut seen = SeenIds::default();
        assert_eq!(seen.check("a", "x.jsonl:1"), None);
        assert_eq!(seen.check("b", "x.jsonl:2"), None);
        assert_eq!(
            seen.check("a", "y.csv:3").as_deref(),
            Some("entopic: warning: duplicate id \"a\": y.csv:3 has the id of x.jsonl:1")
        );
        for i in 1..MAX_WARNINGS {
            assert!(seen.check("a", &format!("z:{i}")).is_some());
        }
        assert!(seen.check("b", "z").unwrap().contains("only the first 20"));
        assert_eq!(seen.check("b", "z"), None);
    }
}
