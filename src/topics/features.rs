//! Features of a learned topic model: stemmed unigrams and bigrams, weighted by tf-idf.
//!
//! In: a document's text. Out: a sparse, L2-normalized vector over a [`Vocabulary`]. Words are
//! the same as the taxonomy's — the folded text (lowercase, no diacritics) split into runs of
//! letters and digits, each stemmed with the Snowball English stemmer — except that one-character
//! words and English function words ([`STOP_WORDS`]: "and", "the", "of", …) are dropped: they
//! occur in every document, so a model learns nothing from them but noise, and an analyst
//! reading "and ×5" as evidence learns nothing either. A bigram is two consecutive kept words. The weight of a feature is
//! `(1 + ln tf) × idf` (sublinear term frequency), and the vector is scaled to length 1, so
//! long and short documents are comparable. Training and scoring use this one code path.

use crate::classify::{stem, words};
use crate::normalize::fold;
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// Words stemmed per thread before the stem cache is emptied (bounds its memory).
const STEM_CACHE_LIMIT: usize = 200_000;

thread_local! {
    /// Folded word → stem. News repeats its words, and stemming is the costly step of scoring.
    static STEMS: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
}

/// Calls `f` with the stem of a folded word, from this thread's cache when it can.
fn with_stem<T>(word: &str, f: impl FnOnce(&str) -> T) -> T {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(word) {
            return f(s);
        }
        if cache.len() >= STEM_CACHE_LIMIT {
            cache.clear();
        }
        let s = stem(word);
        let out = f(&s);
        cache.insert(word.to_string(), s);
        out
    })
}

/// Stem ids of a text's words, in order; `None` for a stem the vocabulary does not know.
pub type StemIds = Vec<Option<u32>>;

/// The features a model knows: stems, unigram and bigram features, and their idf.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Stem → stem id.
    stems: FxHashMap<String, u32>,
    /// Stem id → unigram feature, if the stem is a feature on its own.
    unigrams: FxHashMap<u32, u32>,
    /// (stem id, stem id) → bigram feature.
    bigrams: FxHashMap<(u32, u32), u32>,
    /// Feature → idf.
    pub idf: Vec<f64>,
    /// Feature → readable term (surface words, e.g. `asset freeze`).
    pub terms: Vec<String>,
}

/// English function words (folded, sorted): never a feature.
pub const STOP_WORDS: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether a folded word is worth a feature: two characters or more, not a stop word.
pub fn keep_word(word: &str) -> bool {
    word.chars().nth(1).is_some() && STOP_WORDS.binary_search(&word).is_err()
}

/// The words of a text worth a feature: folded, split, one-character and stop words dropped.
pub fn tokens(text: &str) -> Vec<String> {
    words(&fold(text).text)
        .filter(|w| keep_word(w))
        .map(str::to_string)
        .collect()
}

/// The id a map entry holds, or `next` put in it; and whether it was added.
fn id_of<K>(entry: std::collections::hash_map::Entry<'_, K, u32>, next: u32) -> (u32, bool) {
    match entry {
        std::collections::hash_map::Entry::Occupied(e) => (*e.get(), false),
        std::collections::hash_map::Entry::Vacant(e) => (*e.insert(next), true),
    }
}

impl Vocabulary {
    /// Number of features.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The id of a stem, adding it when new.
    pub fn stem_id(&mut self, stem: &str) -> u32 {
        let next = self.stems.len() as u32;
        *self.stems.entry(stem.to_string()).or_insert(next)
    }

    /// Adds a feature for one or two stem ids (once); returns its index.
    pub fn add_feature(&mut self, stems: &[u32], term: String, idf: f64) -> Option<u32> {
        let next = self.terms.len() as u32;
        let (id, added) = match *stems {
            [a] => id_of(self.unigrams.entry(a), next),
            [a, b] => id_of(self.bigrams.entry((a, b)), next),
            _ => return None,
        };
        if added {
            self.terms.push(term);
            self.idf.push(idf);
        }
        Some(id)
    }

    /// The feature of a term written as words (`asset freeze`): its words are folded and
    /// stemmed, so a readable form and its stems give the same feature.
    pub fn term_stems(&mut self, term: &str) -> Vec<u32> {
        let folded = fold(term).text;
        words(&folded).map(|w| self.stem_id(&stem(w))).collect()
    }

    /// Stem ids of a document's words (unknown stems are `None`).
    pub fn stem_ids<S: AsRef<str>>(&self, tokens: &[S]) -> StemIds {
        tokens
            .iter()
            .map(|w| with_stem(w.as_ref(), |s| self.stems.get(s).copied()))
            .collect()
    }

    /// Feature counts of a document: each known unigram, and each bigram of two known stems.
    pub fn counts(&self, stems: &[Option<u32>]) -> FxHashMap<u32, u32> {
        let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
        for (i, s) in stems.iter().enumerate() {
            let Some(a) = *s else { continue };
            if let Some(&f) = self.unigrams.get(&a) {
                *counts.entry(f).or_default() += 1;
            }
            if let Some(Some(b)) = stems.get(i + 1) {
                if let Some(&f) = self.bigrams.get(&(a, *b)) {
                    *counts.entry(f).or_default() += 1;
                }
            }
        }
        counts
    }

    /// The tf-idf vector of feature counts, L2-normalized, sorted by feature.
    pub fn vector(&self, counts: &FxHashMap<u32, u32>) -> Vec<(u32, f64)> {
        tfidf(counts, &self.idf)
    }
}

/// `(1 + ln tf) × idf`, scaled to length 1; sorted by feature so results do not depend on
/// hash order.
pub fn tfidf(counts: &FxHashMap<u32, u32>, idf: &[f64]) -> Vec<(u32, f64)> {
    let mut v: Vec<(u32, f64)> = counts
        .iter()
        .map(|(&f, &n)| (f, (1.0 + f64::from(n).ln()) * idf[f as usize]))
        .collect();
    v.sort_unstable_by_key(|&(f, _)| f);
    let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, x) in &mut v {
            *x /= norm;
        }
    }
    v
}

/// Smoothed inverse document frequency: `ln((1 + n) / (1 + df)) + 1`.
pub fn idf(documents: usize, df: usize) -> f64 {
    ((1.0 + documents as f64) / (1.0 + df as f64)).ln() + 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unigrams_and_bigrams_of_stems() {
        let mut v = Vocabulary::default();
        let asset = v.term_stems("asset");
        let freeze = v.term_stems("asset freezes");
        assert_eq!(freeze.len(), 2);
        let a = v.add_feature(&asset, "asset".into(), 1.0).unwrap();
        let af = v.add_feature(&freeze, "asset freeze".into(), 2.0).unwrap();
        assert_eq!(v.add_feature(&asset, "assets".into(), 9.0), Some(a));
        let tokens = tokens("Assets frozen; an asset freeze, a big Asset-Freezing.");
        assert_eq!(
            tokens,
            ["assets", "frozen", "asset", "freeze", "big", "asset", "freezing"]
        );
        let counts = v.counts(&v.stem_ids(&tokens));
        assert_eq!(counts[&a], 3);
        assert_eq!(counts[&af], 2);
        let vector = v.vector(&counts);
        // (1 + ln 3)·1 = 2.0986 and (1 + ln 2)·2 = 3.3863, scaled to length 1.
        assert_eq!(vector.len(), 2);
        assert!((vector[0].1 - 0.5268).abs() < 1e-4, "{vector:?}");
        assert!((vector[1].1 - 0.8500).abs() < 1e-4, "{vector:?}");
    }

    #[test]
    fn stop_words_are_sorted_and_never_features() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            tokens("The minister and the army of Mali, and then some."),
            ["minister", "army", "mali"]
        );
    }

    #[test]
    fn smoothed_idf() {
        assert_eq!(idf(9, 9), 1.0);
        assert!((idf(9, 1) - (5f64.ln() + 1.0)).abs() < 1e-12);
    }
}
