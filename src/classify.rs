//! Topic tags from stemmed evidence.
//!
//! In: a taxonomy (`topics/*.tsv`: tag, term, weight), a document's folded text and its mentions.
//! Out: every tag whose score reaches the threshold, with the terms and entity signals behind it.
//!
//! Terms and document words go through the same Snowball English stemmer, so "sanction",
//! "sanctions" and "sanctioned" are one term. A phrase (up to four words) matches consecutive
//! words; its words still count on their own when they are terms too. `@type` and `@type:id`
//! terms count entity mentions.
//!
//! Scoring: each piece of evidence contributes `weight × (1 + ln count)` (repetition helps, with
//! diminishing returns); the sum is divided by `sqrt(words / 100)` (at least 1), so a long article
//! does not win on length alone, and squashed into [0, 1] by `1 − exp(−sum / SCALE)`. Negative
//! weights pull a tag down; a negative sum scores 0.

use crate::dictionary::{Location, Problem, Severity, Source};
use crate::document::{Evidence, Mention, TopicScore};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Longest phrase a taxonomy term may have, in words.
pub const MAX_PHRASE_WORDS: usize = 4;

/// The sum of evidence that gives a score of 1 − 1/e ≈ 0.63.
const SCALE: f64 = 4.0;

/// Default score a tag needs to be reported.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// Evidence kept per tag in the output, strongest first.
const EVIDENCE_KEPT: usize = 12;

/// Words stemmed per thread before the stem cache is emptied (bounds its memory).
const STEM_CACHE_LIMIT: usize = 200_000;

type PhraseKey = [u32; MAX_PHRASE_WORDS];

/// What a taxonomy term is.
#[derive(Debug, Clone)]
enum TermKind {
    Words(Vec<u32>),
    Entity { kind: String, id: Option<String> },
}

#[derive(Debug, Clone)]
struct Term {
    tag: usize,
    text: String,
    weight: f64,
    kind: TermKind,
}

/// A compiled taxonomy. Build once; `classify` takes `&self` and is thread-safe.
#[derive(Debug)]
pub struct Classifier {
    tags: Vec<String>,
    terms: Vec<Term>,
    vocabulary: FxHashMap<String, u32>,
    /// Phrase (word ids, padded with `u32::MAX`) → terms with exactly those words.
    phrases: FxHashMap<PhraseKey, Vec<usize>>,
    entity_terms: Vec<usize>,
    longest_phrase: usize,
    threshold: f64,
    instance: usize,
}

thread_local! {
    static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
    /// Per thread: which classifier the cache belongs to, and folded word → vocabulary id.
    static WORD_IDS: RefCell<(usize, FxHashMap<String, Option<u32>>)> = RefCell::new((0, FxHashMap::default()));
}

/// Slots of the per-thread front cache (a power of two).
const FRONT_SLOTS: usize = 8192;
/// Longest word the front cache holds, in bytes (a slot is 32 bytes, half a cache line; 8192 of them keep
/// more than 9 in 10 words of news out of the large map).
const FRONT_WORD: usize = 19;

/// A small direct-mapped cache in front of [`WORD_IDS`]: the frequent words of a language fit in
/// it and stay in the processor's cache, where the large map does not.
struct Front {
    instance: usize,
    slots: Vec<FrontSlot>,
}

#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct FrontSlot {
    hash: u64,
    /// Vocabulary id + 1, or 0 for none.
    id: u32,
    len: u8,
    word: [u8; FRONT_WORD],
}

impl Front {
    fn get(&self, instance: usize, hash: u64, word: &str) -> Option<Option<u32>> {
        let slot = self.slots.get(hash as usize & (FRONT_SLOTS - 1))?;
        let hit = self.instance == instance
            && slot.hash == hash
            && usize::from(slot.len) == word.len()
            && slot.word[..word.len()] == *word.as_bytes();
        hit.then_some(slot.id.checked_sub(1))
    }

    fn put(&mut self, instance: usize, hash: u64, word: &str, id: Option<u32>) {
        if word.len() > FRONT_WORD || word.is_empty() {
            return;
        }
        if self.instance != instance || self.slots.is_empty() {
            self.instance = instance;
            self.slots = vec![FrontSlot::default(); FRONT_SLOTS];
        }
        let slot = &mut self.slots[hash as usize & (FRONT_SLOTS - 1)];
        slot.hash = hash;
        slot.len = word.len() as u8;
        slot.word[..word.len()].copy_from_slice(word.as_bytes());
        slot.id = id.map_or(0, |id| id + 1);
    }
}

thread_local! {
    static FRONT: RefCell<Front> = const { RefCell::new(Front { instance: 0, slots: Vec::new() }) };
}

/// Gives each classifier its own key in the per-thread word cache.
static INSTANCES: AtomicUsize = AtomicUsize::new(1);

/// Stems one folded word (lowercase, no diacritics).
fn stem(word: &str) -> String {
    STEMMER.with(|s| s.stem(word).into_owned())
}

/// Words of a folded text: runs of letters and digits. (Byte by byte for ASCII, which is most
/// of it; the same words as splitting at every character that is not alphanumeric.)
fn words(folded: &str) -> impl Iterator<Item = &str> {
    let bytes = folded.as_bytes();
    let is_word = move |at: usize| -> (bool, usize) {
        let b = bytes[at];
        if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = folded[at..].chars().next().expect("a character boundary");
            (c.is_alphanumeric(), c.len_utf8())
        }
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let (word, len) = is_word(at);
            if word {
                break;
            }
            at += len;
        }
        let start = at;
        while at < bytes.len() {
            let (word, len) = is_word(at);
            if !word {
                break;
            }
            at += len;
        }
        (at > start).then(|| &folded[start..at])
    })
}

impl Classifier {
    /// Compiles taxonomy sources; every bad line is reported as `path:line: message`.
    pub fn new(sources: &[Source], threshold: f64) -> Result<Classifier, Vec<Problem>> {
        let mut c = Classifier {
            tags: Vec::new(),
            terms: Vec::new(),
            vocabulary: FxHashMap::default(),
            phrases: FxHashMap::default(),
            entity_terms: Vec::new(),
            longest_phrase: 1,
            threshold,
            instance: INSTANCES.fetch_add(1, Ordering::Relaxed),
        };
        let mut problems = Vec::new();
        for source in sources {
            let mut lines = crate::dictionary::data_lines(&source.text);
            let header = lines.next();
            if header
                .is_some_and(|(_, h)| h.split('\t').map(str::trim).ne(["tag", "term", "weight"]))
            {
                let (line, _) = header.unwrap();
                problems.push(problem(
                    source,
                    line,
                    "header must be: tag, term, weight".into(),
                ));
                continue;
            }
            for (line, text) in lines {
                if let Err(msg) = c.add_line(text) {
                    problems.push(problem(source, line, msg));
                }
            }
        }
        if problems.is_empty() {
            Ok(c)
        } else {
            Err(problems)
        }
    }

    fn add_line(&mut self, line: &str) -> Result<(), String> {
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let [tag, term, weight] = fields[..] else {
            return Err(format!(
                "expected 3 tab-separated fields, found {}",
                fields.len()
            ));
        };
        if tag.is_empty() || term.is_empty() {
            return Err("empty tag or term".into());
        }
        let weight: f64 = weight
            .parse()
            .ok()
            .filter(|w: &f64| w.is_finite())
            .ok_or_else(|| format!("weight {weight:?} is not a number"))?;
        let tag_index = match self.tags.iter().position(|t| t == tag) {
            Some(i) => i,
            None => {
                self.tags.push(tag.to_string());
                self.tags.len() - 1
            }
        };
        let kind = if let Some(signal) = term.strip_prefix('@') {
            let (kind, id) = match signal.split_once(':') {
                Some((k, id)) => (k, Some(id.to_string())),
                None => (signal, None),
            };
            if kind.is_empty() {
                return Err(format!("entity signal {term:?} names no type"));
            }
            TermKind::Entity {
                kind: kind.to_string(),
                id,
            }
        } else {
            let folded = crate::normalize::fold(term).text;
            let ids: Vec<u32> = words(&folded)
                .map(|w| {
                    let next = self.vocabulary.len() as u32;
                    *self.vocabulary.entry(stem(w)).or_insert(next)
                })
                .collect();
            if ids.is_empty() || ids.len() > MAX_PHRASE_WORDS {
                return Err(format!(
                    "term {term:?} must have 1 to {MAX_PHRASE_WORDS} words"
                ));
            }
            self.longest_phrase = self.longest_phrase.max(ids.len());
            TermKind::Words(ids)
        };
        let index = self.terms.len();
        match &kind {
            TermKind::Words(ids) => self.phrases.entry(phrase_key(ids)).or_default().push(index),
            TermKind::Entity { .. } => self.entity_terms.push(index),
        }
        self.terms.push(Term {
            tag: tag_index,
            text: term.to_string(),
            weight,
            kind,
        });
        Ok(())
    }

    /// The vocabulary id of a folded word's stem. News repeats its words, so each thread caches
    /// word → id (bounded; emptied when full or when another classifier uses the thread).
    fn word_id(&self, word: &str) -> Option<u32> {
        let hash = rustc_hash::FxBuildHasher.hash_one(word);
        if let Some(id) = FRONT.with(|f| f.borrow().get(self.instance, hash, word)) {
            return id;
        }
        let id = self.cached_word_id(word);
        FRONT.with(|f| f.borrow_mut().put(self.instance, hash, word, id));
        id
    }

    fn cached_word_id(&self, word: &str) -> Option<u32> {
        WORD_IDS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.0 != self.instance || cache.1.len() >= STEM_CACHE_LIMIT {
                cache.0 = self.instance;
                cache.1.clear();
            }
            if let Some(&id) = cache.1.get(word) {
                return id;
            }
            let id = self.vocabulary.get(&stem(word)).copied();
            cache.1.insert(word.to_string(), id);
            id
        })
    }

    /// Tags known to the taxonomy, in file order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// Scores every tag for a document: all tags, highest first (threshold not applied).
    pub fn score_all(&self, folded: &str, mentions: &[Mention]) -> Vec<TopicScore> {
        let mut counts: FxHashMap<usize, usize> = FxHashMap::default();
        let mut recent: Vec<u32> = Vec::with_capacity(self.longest_phrase);
        let mut word_count = 0usize;
        for word in words(folded) {
            word_count += 1;
            let Some(id) = self.word_id(word) else {
                recent.clear();
                continue;
            };
            if recent.len() == self.longest_phrase {
                recent.remove(0);
            }
            recent.push(id);
            for len in 1..=recent.len() {
                if let Some(terms) = self.phrases.get(&phrase_key(&recent[recent.len() - len..])) {
                    for &t in terms {
                        *counts.entry(t).or_default() += 1;
                    }
                }
            }
        }
        for &t in &self.entity_terms {
            let TermKind::Entity { kind, id } = &self.terms[t].kind else {
                continue;
            };
            let n = mentions
                .iter()
                .filter(|m| {
                    &m.entity.kind == kind && id.as_ref().is_none_or(|id| &m.entity.id == id)
                })
                .count();
            if n > 0 {
                counts.insert(t, n);
            }
        }

        let length_factor = (word_count as f64 / 100.0).sqrt().max(1.0);
        let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); self.tags.len()];
        for (&t, &count) in &counts {
            let term = &self.terms[t];
            let contribution = term.weight * (1.0 + (count as f64).ln());
            evidence[term.tag].push(Evidence {
                term: term.text.clone(),
                count,
                contribution,
            });
        }
        let mut scores: Vec<TopicScore> = evidence
            .into_iter()
            .enumerate()
            .map(|(tag, mut ev)| {
                let sum: f64 = ev.iter().map(|e| e.contribution).sum::<f64>() / length_factor;
                let score = if sum > 0.0 {
                    1.0 - (-sum / SCALE).exp()
                } else {
                    0.0
                };
                ev.sort_by(|a, b| {
                    b.contribution
                        .abs()
                        .total_cmp(&a.contribution.abs())
                        .then(a.term.cmp(&b.term))
                });
                ev.truncate(EVIDENCE_KEPT);
                TopicScore {
                    tag: self.tags[tag].clone(),
                    score: round4(score),
                    evidence: ev,
                }
            })
            .collect();
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.tag.cmp(&b.tag)));
        scores
    }

    /// The tags a document gets: score at or over the threshold, highest first.
    pub fn classify(&self, folded: &str, mentions: &[Mention]) -> Vec<TopicScore> {
        let mut scores = self.score_all(folded, mentions);
        scores.retain(|s| s.score >= self.threshold && s.score > 0.0);
        scores
    }
}

fn phrase_key(ids: &[u32]) -> PhraseKey {
    let mut key = [u32::MAX; MAX_PHRASE_WORDS];
    key[..ids.len()].copy_from_slice(ids);
    key
}

/// Scores are reported to four decimals, so output is stable across platforms' float printing.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn problem(source: &Source, line: usize, message: String) -> Problem {
    Problem {
        at: Location {
            path: source.path.clone(),
            line,
        },
        severity: Severity::Error,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold;

    fn classifier(taxonomy: &str) -> Classifier {
        let source = Source {
            path: "t.tsv".into(),
            relative: "topics/t.tsv".into(),
            text: format!("tag\tterm\tweight\n{taxonomy}"),
        };
        Classifier::new(&[source], 0.5).unwrap()
    }

    #[test]
    fn stems_on_both_sides_and_matches_phrases() {
        let c = classifier("Sanctions\tsanction\t2\nSanctions\tasset freeze\t3\nSport\tmatch\t1\n");
        let text =
            fold("The EU sanctioned banks; new sanctions and an asset freeze followed.").text;
        let scores = c.score_all(&text, &[]);
        assert_eq!(scores[0].tag, "Sanctions");
        let ev: Vec<(&str, usize)> = scores[0]
            .evidence
            .iter()
            .map(|e| (e.term.as_str(), e.count))
            .collect();
        assert_eq!(ev, [("sanction", 2), ("asset freeze", 1)]);
        // 2·(1+ln 2) + 3 = 6.386…; 1 − e^(−6.386/4) = 0.7974
        assert_eq!(scores[0].score, 0.7974);
        assert_eq!(scores[1].score, 0.0);
    }

    #[test]
    fn negative_terms_and_threshold() {
        let c = classifier("Conflict\tattack\t2\nConflict\tleague\t-4\n");
        let sports = fold("The team's attack won the league.").text;
        assert!(c.classify(&sports, &[]).is_empty());
        let war = fold("An attack, then another attack, and a third attack.").text;
        let tags = c.classify(&war, &[]);
        assert_eq!(tags.len(), 1);
        // 2·(1+ln 3) = 4.197…; 1 − e^(−4.197/4) = 0.6498
        assert_eq!(tags[0].score, 0.6498);
    }

    #[test]
    fn length_is_normalized() {
        let c = classifier("Health\tvaccine\t1\n");
        let short = fold(&format!("vaccine {}", "word ".repeat(99))).text;
        let long = fold(&format!(
            "vaccine vaccine vaccine vaccine {}",
            "word ".repeat(396)
        ))
        .text;
        let s = c.score_all(&short, &[])[0].score;
        let l = c.score_all(&long, &[])[0].score;
        assert!(l > s && l < 2.0 * s, "short {s}, long {l}");
    }

    proptest::proptest! {
        #[test]
        fn words_are_the_runs_of_letters_and_digits(s in "(\\PC|[a-z0-9 .'-])*") {
            let slow: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(words(&s).collect::<Vec<_>>(), slow);
        }
    }

    #[test]
    fn bad_lines_are_reported() {
        let source = Source {
            path: "t.tsv".into(),
            relative: "topics/t.tsv".into(),
            text: "tag\tterm\tweight\nA\tx\theavy\nB\t\t1\nC\tone two three four five\t1\n".into(),
        };
        let problems: Vec<String> = Classifier::new(&[source], 0.5)
            .unwrap_err()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            problems,
            [
                "t.tsv:2: error: weight \"heavy\" is not a number",
                "t.tsv:3: error: empty tag or term",
                "t.tsv:4: error: term \"one two three four five\" must have 1 to 4 words",
            ]
        );
    }
}
