//! Topic tags from stemmed evidence: the default taxonomy, human-editable.
//!
//! In: a taxonomy (`topics/*.tsv`: tag, term, weight), a document's folded text and its mentions.
//! Out: a score in [0, 1] for every tag, with the terms and entity signals behind it; the tags
//! whose score reaches the threshold are the document's topics.
//!
//! Terms and document words go through the same Snowball English stemmer, so "sanction",
//! "sanctions" and "sanctioned" are one term. A phrase (up to four words) matches consecutive
//! words; a shorter term of the same tag inside it is not counted again ("war" inside "civil
//! war"), while terms of other tags are. A word written `=word`
//! matches only that word and its plural (`=accord` matches "accords" but not "according",
//! which has the same stem). Entity signals count mentions:
//!
//! - `@type` (any weapon), `@type:id` (`@country:PRK`), `@type.attr=v1,v2` (a weapon whose
//!   `class` is `icbm` or `slbm`: `@weapon.class=icbm,slbm`);
//! - `@signal + term|term…`: the mentions count only beside one of the terms, and at most as
//!   often as the terms occur (`@leader + summit|state visit`: a leader and a summit word).
//!
//! Two directive rows describe a tag rather than add evidence: `Tag<TAB>!scheme<TAB>usip` says
//! whose vocabulary the tag belongs to (reported with every score, so an analyst can keep one
//! scheme's tags), and `Tag<TAB>!alias<TAB>Older Name` records an older or other name of the
//! tag (`entopic evaluate` reads gold labels under that name as the tag).
//!
//! Scoring: each piece of evidence contributes `weight × (1 + ln count)` (repetition helps, with
//! diminishing returns); the sum is divided by `(words / 100)^0.75` (at least 1), so a long
//! article does not win on length alone and gets about as many tags as a short one, and squashed into [0, 1] by `1 − exp(−sum / SCALE)`. Negative
//! weights pull a tag down; a negative sum scores 0.

use crate::dictionary::{Position, Problem, Source};
use crate::document::{Evidence, Mention, TopicScore};
use crate::tsv::{ErrorKind, Row, Rows, TsvError};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Longest phrase a taxonomy term may have, in words.
pub const MAX_PHRASE_WORDS: usize = 4;

/// The sum of evidence that gives a score of 1 − 1/e ≈ 0.63.
pub const SCALE: f64 = 4.0;

/// Default score a tag needs to be reported.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// Evidence kept per tag in the output, strongest first (`explain` shows all of it).
pub const EVIDENCE_KEPT: usize = 12;

/// The source name of taxonomy scores.
pub const TAXONOMY: &str = "taxonomy";

/// Words stemmed per thread before the stem cache is emptied (bounds its memory).
const STEM_CACHE_LIMIT: usize = 200_000;

type PhraseKey = [u32; MAX_PHRASE_WORDS];

/// Which mentions an entity signal counts.
#[derive(Debug, Clone)]
struct Signal {
    kind: String,
    id: Option<String>,
    /// Attribute name and the values accepted.
    attribute: Option<(String, Vec<String>)>,
}

impl Signal {
    fn accepts(&self, m: &Mention) -> bool {
        m.entity.kind == self.kind
            && self.id.as_ref().is_none_or(|id| &m.entity.id == id)
            && self.attribute.as_ref().is_none_or(|(key, values)| {
                m.entity
                    .attribute(key)
                    .is_some_and(|v| values.iter().any(|x| x == v))
            })
    }
}

/// What a taxonomy term is.
#[derive(Debug, Clone)]
enum TermKind {
    /// Stem ids of consecutive words; `exact[i]` restricts word `i` to one form and its plural.
    Words {
        ids: Vec<u32>,
        exact: Vec<Option<String>>,
    },
    /// Entity mentions, optionally only beside one of the condition terms (indices of terms).
    Entity {
        signal: Signal,
        conditions: Vec<usize>,
    },
}

#[derive(Debug, Clone)]
struct Term {
    /// `None` for a condition of an entity signal, which scores nothing on its own.
    tag: Option<usize>,
    text: String,
    weight: f64,
    kind: TermKind,
}

/// A compiled taxonomy. Build once; scoring takes `&self` and is thread-safe.
#[derive(Debug)]
pub struct Classifier {
    tags: Vec<String>,
    terms: Vec<Term>,
    vocabulary: FxHashMap<String, u32>,
    /// Phrase (word ids, padded with `u32::MAX`) → terms with exactly those words.
    phrases: FxHashMap<PhraseKey, Vec<usize>>,
    /// Per word id, bit `n - 1` set when a phrase of `n` words ends with it: most windows of
    /// recent words end no phrase, and this says so without a lookup in `phrases`.
    phrase_ends: Vec<u8>,
    entity_terms: Vec<usize>,
    longest_phrase: usize,
    threshold: f64,
    source: Arc<str>,
    instance: usize,
    /// Per tag: its `!scheme`, if given.
    schemes: Vec<Option<Arc<str>>>,
    /// `!alias` rows: (other name, tag index).
    aliases: Vec<(String, usize)>,
}

thread_local! {
    static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
    /// Per thread: folded word → vocabulary id, for one classifier at a time. Borrowed once
    /// per document, not once per word.
    static WORD_IDS: RefCell<WordCache> = const {
        RefCell::new(WordCache { instance: 0, front: Vec::new(), words: None })
    };
}

/// Slots of the per-thread front cache: `1 << FRONT_BITS` (8192 of them keep more than 9 in 10
/// words of news out of the large map).
const FRONT_BITS: u32 = 13;
/// Longest word the front cache holds, in bytes (almost every English word).
const FRONT_WORD: usize = 16;

/// A word of up to [`FRONT_WORD`] bytes, zero-padded, as two little-endian integers: compared
/// and hashed in a few instructions, with no loop and no call. (No word has a zero byte, so the
/// padding tells lengths apart, and an empty slot, all zeros, matches no word.)
type Packed = [u64; 2];

/// `text[start..start + len]` packed, if it is short enough.
#[inline(always)]
fn pack(text: &[u8], start: usize, len: usize) -> Option<Packed> {
    if len > FRONT_WORD {
        return None;
    }
    let chunk: [u8; FRONT_WORD] = match text.get(start..start + FRONT_WORD) {
        Some(chunk) => chunk.try_into().expect("16 bytes"),
        None => {
            let mut chunk = [0; FRONT_WORD];
            chunk[..len].copy_from_slice(&text[start..start + len]);
            chunk
        }
    };
    let half = |at: usize| u64::from_le_bytes(chunk[at..at + 8].try_into().expect("8 bytes"));
    // The low `n` bytes (`n` ≤ 8) of a half, without a branch (a shift by 64 is `None`).
    let low = |n: usize| u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0);
    Some([
        half(0) & low(len.min(8)),
        half(8) & low(len.saturating_sub(8)),
    ])
}

/// Word → vocabulary id for the classifier `instance`: a small direct-mapped `front` cache of
/// packed words, where the frequent words of a language fit and stay in the processor's cache,
/// before a larger map of every word seen (bounded by [`STEM_CACHE_LIMIT`]).
struct WordCache {
    instance: usize,
    front: Vec<FrontSlot>,
    words: Option<FxHashMap<String, Option<u32>>>,
}

#[derive(Clone, Copy, Default)]
struct FrontSlot {
    word: Packed,
    /// Vocabulary id + 1, or 0 for none.
    id: u32,
}

impl WordCache {
    /// Empties the cache if it belongs to another classifier.
    fn claim(&mut self, instance: usize) {
        if self.instance != instance || self.front.is_empty() {
            self.instance = instance;
            self.front = vec![FrontSlot::default(); 1 << FRONT_BITS];
            self.words.get_or_insert_with(FxHashMap::default).clear();
        }
    }

    #[inline(always)]
    fn slot(&mut self, word: Packed) -> &mut FrontSlot {
        let hash = (word[0] ^ word[1].rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        &mut self.front[(hash >> (64 - FRONT_BITS)) as usize]
    }
}

/// Gives each classifier its own key in the per-thread word cache.
static INSTANCES: AtomicUsize = AtomicUsize::new(1);

/// Stems one folded word (lowercase, no diacritics).
pub fn stem(word: &str) -> String {
    STEMMER.with(|s| s.stem(word).into_owned())
}

/// Words of a folded text: runs of letters and digits. (Eight bytes at a time for ASCII, which
/// is most of it; the same words as splitting at every character that is not alphanumeric.)
pub fn words(folded: &str) -> Words<'_> {
    Words {
        text: folded,
        at: 0,
    }
}

/// The iterator of [`words`].
pub struct Words<'a> {
    text: &'a str,
    at: usize,
}

/// Bytes where a search for the next word start (`STOPS[1]`) or word end (`STOPS[0]`) must
/// look: ASCII letters and digits, or the other ASCII bytes, respectively; and every non-ASCII
/// byte, whose character is decoded to decide. ([`next_stop`] tests eight bytes at a time, and
/// looks bytes up here near the end of the text.)
static STOPS: [[bool; 256]; 2] = {
    let mut table = [[true; 256]; 2];
    let mut b = 0;
    while b < 128 {
        let word = (b as u8).is_ascii_alphanumeric();
        table[0][b] = !word;
        table[1][b] = word;
        b += 1;
    }
    table
};

/// Every byte of a `u64` set to 1, and the high bit of every byte.
const ONES: u64 = u64::from_le_bytes([1; 8]);
const HIGHS: u64 = ONES * 0x80;

/// The high bit of each byte of `v` (eight bytes of text) that is an ASCII letter or digit.
/// Bytes are compared by adding to each one what lifts a byte at the bound to 0x80: a
/// seven-bit byte plus at most 0x7f never carries into the next.
#[inline(always)]
fn ascii_word_bytes(v: u64) -> u64 {
    let x = v & !HIGHS;
    let at_least = |x: u64, bound: u8| x + ONES * u64::from(0x80 - bound);
    let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
    let lower = x | (ONES * 0x20);
    let letter = at_least(lower, b'a') & !at_least(lower, b'z' + 1);
    (digit | letter) & !v & HIGHS
}

/// The first byte at or after `at` in [`STOPS`]`[word]`, eight bytes at a time.
#[inline(always)]
fn next_stop(bytes: &[u8], mut at: usize, word: bool) -> Option<usize> {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let v = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let letters = ascii_word_bytes(v);
        let stops = if word {
            letters | (v & HIGHS)
        } else {
            !letters & HIGHS
        };
        if stops != 0 {
            return Some(at + stops.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let stops = &STOPS[usize::from(word)];
    let skip = bytes[at..].iter().position(|&b| stops[usize::from(b)])?;
    Some(at + skip)
}

impl<'a> Words<'a> {
    /// The first byte at or after `at` that starts a character which is (`word`) or is not part
    /// of a word, or the end of the text.
    #[inline(always)]
    fn boundary(&self, mut at: usize, word: bool) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            match next_stop(bytes, at, word) {
                None => return bytes.len(),
                Some(stop) => at = stop,
            }
            if bytes[at] < 0x80 {
                return at;
            }
            let c = self.text[at..]
                .chars()
                .next()
                .expect("a character boundary");
            if c.is_alphanumeric() == word {
                return at;
            }
            at += c.len_utf8();
        }
    }

    /// The next word's bytes (`start..end`), packed if it is short: an ASCII word of up to
    /// [`FRONT_WORD`] bytes is packed from the same sixteen bytes that find its end, and a word
    /// one byte after the last needs no search for its start.
    #[inline(always)]
    fn next_packed(&mut self) -> Option<(usize, usize, Option<Packed>)> {
        let bytes = self.text.as_bytes();
        // Most words follow the last one's end after one byte (a space): no search then.
        let starts = |at: usize| {
            bytes
                .get(at)
                .is_some_and(|&b| b < 0x80 && STOPS[1][usize::from(b)])
        };
        let start = match self.at {
            at if starts(at) => at,
            at if starts(at + 1) => at + 1,
            at => self.boundary(at, true),
        };
        let chunk = bytes.get(start..start + FRONT_WORD).filter(|c| c[0] < 0x80);
        let fast = chunk.and_then(|chunk| {
            let half = |at: usize| u64::from_le_bytes(chunk[at..at + 8].try_into().expect("8"));
            let (low, high) = (half(0), half(8));
            let stops = |v: u64| !ascii_word_bytes(v) & HIGHS;
            // The bytes of `v` before its first stop, which is byte `n / 8` if bit `n` is set.
            let before = |v: u64, stops: u64| v & ((1 << (stops.trailing_zeros() - 7)) - 1);
            let (len, packed) = match (stops(low), stops(high)) {
                (0, 0) => return None,
                (0, s) => (8 + s.trailing_zeros() / 8, [low, before(high, s)]),
                (s, _) => (s.trailing_zeros() / 8, [before(low, s), 0]),
            };
            let end = start + len as usize;
            (bytes[end] < 0x80).then_some((end, packed))
        });
        let (end, packed) = match fast {
            Some((end, packed)) => (end, Some(packed)),
            None => {
                let end = self.boundary(start, false);
                (end, pack(bytes, start, end - start))
            }
        };
        self.at = end;
        (end > start).then_some((start, end, packed))
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (start, end, _) = self.next_packed()?;
        Some(&self.text[start..end])
    }
}

/// How strongly evidence is discounted for length: a document of `words` words divides its
/// evidence by `(words / 100)^LENGTH_EXPONENT`. With 0.5 (a square root) articles of 500–1,000
/// words got 4–8 tags; 0.75 gives them 1–3 like an editor's tagging (USIP gives 1–2, rarely 4),
/// while passages up to 100 words, such as the gold sets, are not discounted at all.
pub const LENGTH_EXPONENT: f64 = 0.75;

/// What a score is divided by for a document of `words` words: `(words / 100)^0.75`, at least 1.
pub fn length_factor(words: usize) -> f64 {
    (words as f64 / 100.0).powf(LENGTH_EXPONENT).max(1.0)
}

/// Whether `word` is `form` or its plural (`+s`, `+es`, `y` → `ies`).
fn is_form(word: &str, form: &str) -> bool {
    let plain = word
        .strip_prefix(form)
        .is_some_and(|rest| rest.is_empty() || rest == "s" || rest == "es");
    plain
        || form
            .strip_suffix('y')
            .is_some_and(|base| word.strip_prefix(base).is_some_and(|rest| rest == "ies"))
}

impl Classifier {
    /// Compiles taxonomy sources; every bad line is reported as `path:line: message`.
    pub fn new(sources: &[Source], threshold: f64) -> Result<Classifier, Vec<Problem>> {
        let mut c = Classifier {
            tags: Vec::new(),
            terms: Vec::new(),
            vocabulary: FxHashMap::default(),
            phrases: FxHashMap::default(),
            phrase_ends: Vec::new(),
            entity_terms: Vec::new(),
            longest_phrase: 1,
            threshold,
            source: TAXONOMY.into(),
            instance: INSTANCES.fetch_add(1, Ordering::Relaxed),
            schemes: Vec::new(),
            aliases: Vec::new(),
        };
        let mut problems = Vec::new();
        // (tag, words) → where first defined: a term whose stems repeat another's would count
        // the same words twice.
        let mut seen: HashMap<(usize, String), Position> = HashMap::new();
        for source in sources {
            let mut rows = Rows::new(&source.path, &source.text);
            if let Some(header) = rows.next().filter(|h| !h.is_header(&HEADER)) {
                problems.push(header.error(ErrorKind::Header("tag, term, weight")).into());
                continue;
            }
            for row in rows {
                if let Err(e) = c.add_line(&row, &mut seen) {
                    problems.push(e.into());
                }
            }
        }
        if problems.is_empty() {
            Ok(c)
        } else {
            Err(problems)
        }
    }

    fn add_line(
        &mut self,
        row: &Row,
        seen: &mut HashMap<(usize, String), Position>,
    ) -> Result<(), TsvError> {
        let [tag, term, value] = row.fields_exact::<3>("")?;
        match term.strip_prefix('!') {
            Some(directive) if !tag.is_empty() => {
                return self
                    .directive(tag, directive, value)
                    .map_err(|message| row.invalid(message));
            }
            _ => {}
        }
        let (tag, term, weight) = weighted_row(row)?;
        let kind = match term.strip_prefix('@') {
            Some(signal) => self.entity_signal(signal, term),
            None => self.words_term(term),
        }
        .map_err(|message| row.invalid(message))?;
        let tag_index = self.tag_index(tag);
        if let Some(first) = seen.get(&(tag_index, self.key(&kind, term))) {
            return Err(row.invalid(format!(
                "term {term:?} matches the same words as the term at {first}; merge them"
            )));
        }
        seen.insert((tag_index, self.key(&kind, term)), row.position());
        self.push(Some(tag_index), term, weight, kind);
        Ok(())
    }

    /// The index of a tag, added if new.
    fn tag_index(&mut self, tag: &str) -> usize {
        match self.tags.iter().position(|t| t == tag) {
            Some(i) => i,
            None => {
                self.tags.push(tag.to_string());
                self.schemes.push(None);
                self.tags.len() - 1
            }
        }
    }

    /// `!scheme NAME` or `!alias OTHER NAME` (the value in the weight column).
    fn directive(&mut self, tag: &str, directive: &str, value: &str) -> Result<(), String> {
        if value.is_empty() {
            return Err(format!("!{directive} needs a value in the third column"));
        }
        let index = self.tag_index(tag);
        match directive {
            "scheme" => match &self.schemes[index] {
                Some(old) if &**old != value => {
                    Err(format!("tag {tag:?} already has scheme {old:?}"))
                }
                _ => {
                    self.schemes[index] = Some(value.into());
                    Ok(())
                }
            },
            "alias" => match self.aliases.iter().find(|(name, _)| name == value) {
                Some((_, other)) => Err(format!(
                    "alias {value:?} already names {:?}",
                    self.tags[*other]
                )),
                None => {
                    self.aliases.push((value.to_string(), index));
                    Ok(())
                }
            },
            _ => Err(format!(
                "unknown directive !{directive} (expected !scheme or !alias)"
            )),
        }
    }

    /// What makes two terms of a tag the same: their stems and exact forms, or the signal.
    fn key(&self, kind: &TermKind, term: &str) -> String {
        match kind {
            TermKind::Words { ids, exact } => ids
                .iter()
                .zip(exact)
                .map(|(id, form)| match form {
                    Some(form) => format!("={form}"),
                    None => id.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" "),
            TermKind::Entity { .. } => term.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    fn push(&mut self, tag: Option<usize>, text: &str, weight: f64, kind: TermKind) -> usize {
        let index = self.terms.len();
        match &kind {
            TermKind::Words { ids, .. } => {
                self.phrases.entry(phrase_key(ids)).or_default().push(index);
                let last = *ids.last().expect("a term has words") as usize;
                if self.phrase_ends.len() <= last {
                    self.phrase_ends.resize(last + 1, 0);
                }
                self.phrase_ends[last] |= 1 << (ids.len() - 1);
            }
            TermKind::Entity { .. } => self.entity_terms.push(index),
        }
        self.terms.push(Term {
            tag,
            text: text.to_string(),
            weight,
            kind,
        });
        index
    }

    /// A word or phrase: stem ids, and the exact forms of `=word`s.
    fn words_term(&mut self, term: &str) -> Result<TermKind, String> {
        let mut ids = Vec::new();
        let mut exact = Vec::new();
        for part in term.split_whitespace() {
            let (pinned, part) = match part.strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, part),
            };
            let folded = crate::normalize::fold(part).text;
            for w in words(&folded) {
                let next = self.vocabulary.len() as u32;
                ids.push(*self.vocabulary.entry(stem(w)).or_insert(next));
                exact.push(pinned.then(|| w.to_string()));
            }
        }
        if ids.is_empty() || ids.len() > MAX_PHRASE_WORDS {
            return Err(format!(
                "term {term:?} must have 1 to {MAX_PHRASE_WORDS} words"
            ));
        }
        self.longest_phrase = self.longest_phrase.max(ids.len());
        Ok(TermKind::Words { ids, exact })
    }

    /// `type[:id][.attr=v1,v2][ + term|term…]` (after the `@`).
    fn entity_signal(&mut self, signal: &str, term: &str) -> Result<TermKind, String> {
        let (signal, condition) = match signal.split_once('+') {
            Some((s, c)) => (s.trim(), Some(c.trim())),
            None => (signal.trim(), None),
        };
        let (what, attribute) = match signal.split_once('.') {
            Some((what, attr)) => {
                let Some((key, values)) = attr.split_once('=') else {
                    return Err(format!(
                        "entity signal {term:?}: expected .attribute=value after the type"
                    ));
                };
                let values: Vec<String> = values
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(String::from)
                    .collect();
                if key.trim().is_empty() || values.is_empty() {
                    return Err(format!(
                        "entity signal {term:?}: empty attribute name or value"
                    ));
                }
                (what, Some((key.trim().to_string(), values)))
            }
            None => (signal, None),
        };
        let (kind, id) = match what.split_once(':') {
            Some((k, id)) => (k.trim(), Some(id.trim().to_string())),
            None => (what.trim(), None),
        };
        if kind.is_empty() || id.as_ref().is_some_and(|id| id.is_empty()) {
            return Err(format!("entity signal {term:?} names no type or id"));
        }
        let mut conditions = Vec::new();
        if let Some(condition) = condition {
            for alternative in condition.split('|').map(str::trim) {
                let words = self
                    .words_term(alternative)
                    .map_err(|e| format!("entity signal {term:?}: {e}"))?;
                conditions.push(self.push(None, alternative, 0.0, words));
            }
        }
        Ok(TermKind::Entity {
            signal: Signal {
                kind: kind.to_string(),
                id,
                attribute,
            },
            conditions,
        })
    }

    /// The vocabulary id of the stem of the folded word `text[word]` (`packed` if short). News
    /// repeats its words, so each thread caches word → id (bounded; emptied when full or when
    /// another classifier uses the thread).
    #[inline(always)]
    fn word_id(
        &self,
        cache: &mut WordCache,
        text: &str,
        word: Range<usize>,
        packed: Option<Packed>,
    ) -> Option<u32> {
        if let Some(packed) = packed {
            let slot = cache.slot(packed);
            if slot.word == packed {
                return slot.id.checked_sub(1);
            }
        }
        let id = self.stem_id(cache, &text[word]);
        if let Some(packed) = packed {
            *cache.slot(packed) = FrontSlot {
                word: packed,
                id: id.map_or(0, |id| id + 1),
            };
        }
        id
    }

    /// [`Classifier::word_id`] past the front cache.
    #[inline(never)]
    fn stem_id(&self, cache: &mut WordCache, word: &str) -> Option<u32> {
        let words = cache.words.get_or_insert_with(FxHashMap::default);
        if words.len() >= STEM_CACHE_LIMIT {
            words.clear();
        }
        match words.get(word) {
            Some(&id) => id,
            None => {
                let id = self.vocabulary.get(&stem(word)).copied();
                words.insert(word.to_string(), id);
                id
            }
        }
    }

    /// Tags known to the taxonomy, in file order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// The scheme (`usip`, `entopic`) a tag belongs to, if the taxonomy says.
    pub fn scheme(&self, tag: &str) -> Option<&str> {
        let i = self.tags.iter().position(|t| t == tag)?;
        self.schemes[i].as_deref()
    }

    /// Other names of tags (`!alias` rows): (other name, tag).
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &str)> {
        self.aliases
            .iter()
            .map(|(name, tag)| (name.as_str(), self.tags[*tag].as_str()))
    }

    /// The score a tag needs to be reported.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Pushes the terms whose words are exactly `window` (word ids and where the words stand
    /// in `folded`, the last one at word index `at`) onto `matches` as (term, first word, last
    /// word).
    #[inline(always)]
    fn match_phrase(
        &self,
        folded: &str,
        window: &[(u32, usize, usize)],
        at: usize,
        matches: &mut Vec<(usize, usize, usize)>,
    ) {
        let mut key = [u32::MAX; MAX_PHRASE_WORDS];
        for (slot, (id, _, _)) in key.iter_mut().zip(window) {
            *slot = *id;
        }
        let Some(terms) = self.phrases.get(&key) else {
            return;
        };
        for &t in terms {
            let TermKind::Words { exact, .. } = &self.terms[t].kind else {
                continue;
            };
            let fits = exact.iter().zip(window).all(|(form, &(_, start, end))| {
                form.as_ref()
                    .is_none_or(|f| is_form(&folded[start..end], f))
            });
            if fits {
                matches.push((t, at + 1 - window.len(), at));
            }
        }
    }

    /// How often each term occurs: word terms in the text, entity signals in the mentions.
    fn count_terms(&self, folded: &str, mentions: &[Mention]) -> (FxHashMap<usize, usize>, usize) {
        // (term, first word, last word), in order of the last word, shorter before longer.
        let mut matches: Vec<(usize, usize, usize)> = Vec::new();
        // The last words with an id, oldest first: the `held` newest (at most the longest
        // phrase) are `recent[MAX_PHRASE_WORDS - held..]`.
        let mut recent: [(u32, usize, usize); MAX_PHRASE_WORDS] = [(0, 0, 0); MAX_PHRASE_WORDS];
        let mut held = 0;
        let mut word_count = 0usize;
        WORD_IDS.with_borrow_mut(|cache| {
            cache.claim(self.instance);
            let mut words = words(folded);
            while let Some((start, end, packed)) = words.next_packed() {
                let at = word_count;
                word_count += 1;
                let Some(id) = self.word_id(cache, folded, start..end, packed) else {
                    held = 0;
                    continue;
                };
                recent.copy_within(1.., 0);
                recent[MAX_PHRASE_WORDS - 1] = (id, start, end);
                held = (held + 1).min(self.longest_phrase);
                let ends = self.phrase_ends.get(id as usize).copied().unwrap_or(0);
                // Bit `len - 1` for each phrase length that ends here and fits in `held`.
                let mut lengths = u32::from(ends) & ((1 << held) - 1);
                while lengths != 0 {
                    let len = lengths.trailing_zeros() as usize + 1;
                    lengths &= lengths - 1;
                    let window = &recent[MAX_PHRASE_WORDS - len..];
                    self.match_phrase(folded, window, at, &mut matches);
                }
            }
        });
        let mut counts: FxHashMap<usize, usize> = FxHashMap::default();
        for (k, &(t, start, end)) in matches.iter().enumerate() {
            // A term inside a longer match of the same tag ("war" in "civil war") is not
            // counted again. Longer matches come later, ending at most a phrase length after.
            let tag = self.terms[t].tag;
            let inside = tag.is_some()
                && matches[k + 1..]
                    .iter()
                    .take_while(|&&(_, _, e)| e < end + MAX_PHRASE_WORDS)
                    .any(|&(u, s, e)| {
                        self.terms[u].tag == tag && s <= start && e >= end && e - s > end - start
                    });
            if !inside {
                *counts.entry(t).or_default() += 1;
            }
        }
        for &t in &self.entity_terms {
            let TermKind::Entity { signal, conditions } = &self.terms[t].kind else {
                continue;
            };
            let mut n = mentions.iter().filter(|m| signal.accepts(m)).count();
            if !conditions.is_empty() {
                let beside: usize = conditions
                    .iter()
                    .map(|c| counts.get(c).copied().unwrap_or(0))
                    .sum();
                n = n.min(beside);
            }
            if n > 0 {
                counts.insert(t, n);
            }
        }
        (counts, word_count)
    }

    /// Scores every tag for a document, highest first, threshold not applied, with all of its
    /// evidence (strongest first).
    pub fn score_all(&self, folded: &str, mentions: &[Mention]) -> Vec<TopicScore> {
        self.scores(folded, mentions, |_| true)
    }

    /// The scores that `keep` accepts (given the rounded score), highest first, with all of
    /// their evidence (strongest first). Only those are built: most tags of a taxonomy score
    /// nothing in a given document.
    fn scores(
        &self,
        folded: &str,
        mentions: &[Mention],
        keep: impl Fn(f64) -> bool,
    ) -> Vec<TopicScore> {
        let (counts, word_count) = self.count_terms(folded, mentions);
        let length_factor = length_factor(word_count);
        let contribution =
            |t: usize, count: usize| self.terms[t].weight * (1.0 + (count as f64).ln());
        // Summed in the order the evidence is listed in, from −0 as `Iterator::sum` does, so the
        // figures are the same to the last bit as summing each tag's evidence list.
        let mut sums = vec![-0.0f64; self.tags.len()];
        for (&t, &count) in &counts {
            if let Some(tag) = self.terms[t].tag {
                sums[tag] += contribution(t, count);
            }
        }
        let mut scores: Vec<TopicScore> = Vec::new();
        let mut kept: Vec<Option<usize>> = vec![None; self.tags.len()];
        for (tag, sum) in sums.into_iter().enumerate() {
            // `+ 0.0` turns the empty sum's −0 into 0.
            let raw = sum / length_factor + 0.0;
            let score = if raw > 0.0 {
                1.0 - (-raw / SCALE).exp()
            } else {
                0.0
            };
            if !keep(round4(score)) {
                continue;
            }
            kept[tag] = Some(scores.len());
            scores.push(TopicScore {
                tag: self.tags[tag].clone(),
                scheme: self.schemes[tag].clone(),
                score: round4(score),
                raw,
                source: self.source.clone(),
                evidence: Vec::new(),
            });
        }
        for (&t, &count) in &counts {
            let term = &self.terms[t];
            if let Some(at) = term.tag.and_then(|tag| kept[tag]) {
                scores[at].evidence.push(Evidence {
                    term: term.text.clone(),
                    count,
                    contribution: contribution(t, count),
                });
            }
        }
        for s in &mut scores {
            sort_evidence(&mut s.evidence);
        }
        sort_scores(&mut scores);
        scores
    }

    /// The tags a document gets: score at or over the threshold, highest first, with their
    /// strongest evidence.
    pub fn classify(&self, folded: &str, mentions: &[Mention]) -> Vec<TopicScore> {
        let mut scores = self.scores(folded, mentions, |score| {
            score >= self.threshold && score > 0.0
        });
        for s in &mut scores {
            s.evidence.truncate(EVIDENCE_KEPT);
        }
        scores
    }
}

/// Strongest evidence first (by absolute contribution), then by term.
pub fn sort_evidence(evidence: &mut [Evidence]) {
    evidence.sort_by(|a, b| {
        b.contribution
            .abs()
            .total_cmp(&a.contribution.abs())
            .then(a.term.cmp(&b.term))
    });
}

/// Highest score first, then by tag.
pub fn sort_scores(scores: &mut [TopicScore]) {
    scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.tag.cmp(&b.tag)));
}

fn phrase_key(ids: &[u32]) -> PhraseKey {
    let mut key = [u32::MAX; MAX_PHRASE_WORDS];
    key[..ids.len()].copy_from_slice(ids);
    key
}

/// Scores are reported to four decimals, so output is stable across platforms' float printing.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The problems of taxonomy files, each `path:line: message` (what `dict check` reports).
pub fn check_taxonomy(sources: &[Source]) -> Vec<Problem> {
    Classifier::new(sources, DEFAULT_THRESHOLD)
        .err()
        .unwrap_or_default()
}

/// The header of a taxonomy or a topic model file.
pub const HEADER: [&str; 3] = ["tag", "term", "weight"];

/// A `tag <TAB> term <TAB> weight` row of a taxonomy or a topic model, checked: both named, the
/// weight a finite number.
pub fn weighted_row<'a>(row: &Row<'a>) -> Result<(&'a str, &'a str, f64), TsvError> {
    let [tag, term, weight] = row.fields_exact::<3>("")?;
    if tag.is_empty() || term.is_empty() {
        return Err(row.invalid("empty tag or term"));
    }
    let weight: f64 = weight
        .parse()
        .ok()
        .filter(|w: &f64| w.is_finite())
        .ok_or_else(|| row.invalid(format!("weight {weight:?} is not a number")))?;
    Ok((tag, term, weight))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::Entity;
    use crate::normalize::fold;

    fn classifier(taxonomy: &str) -> Classifier {
        Classifier::new(
            &[taxonomy_file(&format!("tag\tterm\tweight\n{taxonomy}"))],
            0.5,
        )
        .unwrap()
    }

    /// A taxonomy file `t.tsv` holding `text`.
    fn taxonomy_file(text: &str) -> Source {
        Source {
            path: "t.tsv".into(),
            relative: "topics/t.tsv".into(),
            text: text.into(),
        }
    }

    /// The problems `Classifier::new` reports for a taxonomy file holding `text`.
    fn taxonomy_problems(text: &str) -> Vec<String> {
        let problems = Classifier::new(&[taxonomy_file(text)], 0.5).unwrap_err();
        problems.iter().map(|p| p.to_string()).collect()
    }

    fn evidence(score: &TopicScore) -> Vec<(&str, usize)> {
        score
            .evidence
            .iter()
            .map(|e| (e.term.as_str(), e.count))
            .collect()
    }

    fn mention(kind: &str, id: &str, attributes: &[(&str, &str)]) -> Mention {
        Mention {
            entity: Arc::new(Entity {
                kind: kind.into(),
                id: id.into(),
                name: id.into(),
                attributes: attributes
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                roles: Vec::new(),
            }),
            text: id.into(),
            start: 0,
            end: id.len(),
            byte_start: 0,
            byte_end: id.len(),
            form: crate::document::Form::Name,
            role_on_date: None,
        }
    }

    #[test]
    fn stems_on_both_sides_and_matches_phrases() {
        let c = classifier("Sanctions\tsanction\t2\nSanctions\tasset freeze\t3\nSport\tmatch\t1\n");
        let text =
            fold("The EU sanctioned banks; new sanctions and an asset freeze followed.").text;
        let scores = c.score_all(&text, &[]);
        assert_eq!(scores[0].tag, "Sanctions");
        assert_eq!(evidence(&scores[0]), [("sanction", 2), ("asset freeze", 1)]);
        // 2·(1+ln 2) + 3 = 6.386…; 1 − e^(−6.386/4) = 0.7974
        assert_eq!(scores[0].score, 0.7974);
        assert!((scores[0].raw - 6.3863).abs() < 1e-4);
        assert_eq!(&*scores[0].source, "taxonomy");
        assert_eq!(scores[1].score, 0.0);
    }

    #[test]
    fn a_term_inside_a_longer_match_of_its_tag_counts_once() {
        let c = classifier("War\twar\t1\nWar\tcivil war\t2\nHistory\twar\t1\n");
        let text = fold("Since the civil war, no war.").text;
        let scores = c.score_all(&text, &[]);
        let war = scores.iter().find(|s| s.tag == "War").unwrap();
        assert_eq!(evidence(war), [("civil war", 1), ("war", 1)]);
        let history = scores.iter().find(|s| s.tag == "History").unwrap();
        assert_eq!(evidence(history), [("war", 2)]);
    }

    #[test]
    fn exact_forms_do_not_match_other_words_with_the_same_stem() {
        // "governance", "government" and "governed" share the stem "govern".
        let c = classifier(
            "Gov\t=governance\t1\nPeace\t=accord\t1\nPeace\tpeace =accord\t2\nMin\t=minority\t1\n",
        );
        let text = fold("The government governed according to the accords; a peace accord, and good governance.").text;
        let scores = c.score_all(&text, &[]);
        let peace = scores.iter().find(|s| s.tag == "Peace").unwrap();
        // "accord" inside "peace accord" counts once, for the phrase.
        assert_eq!(evidence(peace), [("peace =accord", 1), ("=accord", 1)]);
        let gov = scores.iter().find(|s| s.tag == "Gov").unwrap();
        assert_eq!(evidence(gov), [("=governance", 1)]);
        let minorities = fold("Minorities, a minority, the minor parties.").text;
        let min = c.score_all(&minorities, &[]);
        let min = min.iter().find(|s| s.tag == "Min").unwrap();
        assert_eq!(evidence(min), [("=minority", 2)]);
    }

    #[test]
    fn entity_signals_by_type_id_attribute_and_beside_a_word() {
        let c = classifier(
            "Nuclear\t@weapon.class=icbm,slbm\t2\n\
             Arms\t@weapon\t1\n\
             Korea\t@country:PRK\t1\n\
             Summits\t@leader + summit|state visit\t1.5\n",
        );
        let mentions = [
            mention("weapon", "hwasong-15", &[("class", "icbm")]),
            mention("weapon", "kn-23", &[("class", "srbm")]),
            mention("country", "PRK", &[]),
            mention("leader", "kim-jong-un", &[]),
            mention("leader", "donald-trump", &[]),
        ];
        let text = fold("Two leaders met at a summit.").text;
        let scores = c.score_all(&text, &mentions);
        let find = |tag: &str| scores.iter().find(|s| s.tag == tag).unwrap();
        assert_eq!(evidence(find("Nuclear")), [("@weapon.class=icbm,slbm", 1)]);
        assert_eq!(evidence(find("Arms")), [("@weapon", 2)]);
        assert_eq!(evidence(find("Korea")), [("@country:PRK", 1)]);
        // Two leaders, one summit word: counted once.
        assert_eq!(
            evidence(find("Summits")),
            [("@leader + summit|state visit", 1)]
        );
        let without_summit = c.score_all(&fold("Two leaders spoke.").text, &mentions);
        let summits = without_summit.iter().find(|s| s.tag == "Summits").unwrap();
        assert_eq!((summits.score, summits.evidence.len()), (0.0, 0));
    }

    #[test]
    fn negative_terms_and_threshold() {
        let c = classifier("Conflict\tattack\t2\nConflict\tleague\t-4\n");
        let sports = fold("The team's attack won the league.").text;
        assert!(c.classify(&sports, &[]).is_empty());
        let sports_scores = c.score_all(&sports, &[]);
        assert_eq!(sports_scores[0].score, 0.0);
        assert_eq!(evidence(&sports_scores[0]), [("league", 1), ("attack", 1)]);
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
        // The same density of evidence over four times the words does not win.
        assert!(l > 0.0 && l < s, "short {s}, long {l}");
        assert_eq!(length_factor(50), 1.0);
        assert_eq!(length_factor(100), 1.0);
        assert!((length_factor(400) - 2.828_427).abs() < 1e-6);
    }

    proptest::proptest! {
        #[test]
        fn words_are_the_runs_of_letters_and_digits(s in "(\\PC|[a-z0-9 .'-])*") {
            let slow: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(words(&s).collect::<Vec<_>>(), slow);
        }

        /// The same at the edges of the eight-byte test: every ASCII byte (`/` `:` `@` `[` `` ` ``
        /// `{` stand next to digits and letters), and non-ASCII letters and spaces between.
        #[test]
        fn words_split_at_every_ascii_byte(s in "([\\x00-\\x7f]|é|ß|\u{2003}|\u{660}){0,80}") {
            let slow: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(words(&s).collect::<Vec<_>>(), slow);
        }

        /// The front cache's key: two words, wherever they stand in the text (at its very end
        /// too) and whatever ends them, pack alike exactly when they are the same word; longer
        /// words do not pack. The words are those of the iterator.
        #[test]
        fn words_pack_alike_only_when_equal(
            pool in proptest::collection::vec("[a-zA-Z0-9éß]{1,18}", 1..4),
            picks in proptest::collection::vec((0usize..4, 0usize..6), 1..12),
        ) {
            let gaps = [" ", "; ", ".\n", "—", "-", "'s?"];
            let s: String = picks
                .iter()
                .map(|&(i, gap)| format!("{}{}", pool[i % pool.len()], gaps[gap]))
                .collect();
            let mut words = words(&s);
            let mut found = Vec::new();
            while let Some((start, end, packed)) = words.next_packed() {
                let word = &s[start..end];
                proptest::prop_assert_eq!(packed, pack(s.as_bytes(), start, word.len()));
                found.push((word, packed));
            }
            let plain: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(found.iter().map(|&(w, _)| w).collect::<Vec<_>>(), plain);
            for &(a, packed_a) in &found {
                proptest::prop_assert_eq!(packed_a.is_some(), a.len() <= FRONT_WORD);
                for &(b, packed_b) in &found {
                    if let (Some(x), Some(y)) = (packed_a, packed_b) {
                        proptest::prop_assert_eq!(x == y, a == b, "{:?} {:?}", a, b);
                    }
                }
            }
        }
    }

    #[test]
    fn scheme_and_alias_rows_describe_tags() {
        let c = classifier(
            "Electoral Violence\t!scheme\tusip\n\
             Electoral Violence\t!alias\tGlobal Elections & Conflict\n\
             Electoral Violence\telection violence\t3\n\
             Sanctions\t!scheme\tentopic\n\
             Sanctions\tsanction\t3\n\
             Other\tthing\t1\n",
        );
        assert_eq!(c.tags(), ["Electoral Violence", "Sanctions", "Other"]);
        assert_eq!(c.scheme("Electoral Violence"), Some("usip"));
        assert_eq!(c.scheme("Sanctions"), Some("entopic"));
        assert_eq!(c.scheme("Other"), None);
        assert_eq!(
            c.aliases().collect::<Vec<_>>(),
            [("Global Elections & Conflict", "Electoral Violence")]
        );
        let text = fold("Election violence, then sanctions; a thing.").text;
        let scores = c.score_all(&text, &[]);
        let schemes: Vec<(&str, Option<&str>)> = scores
            .iter()
            .map(|s| (s.tag.as_str(), s.scheme.as_deref()))
            .collect();
        assert_eq!(
            schemes,
            [
                ("Electoral Violence", Some("usip")),
                ("Sanctions", Some("entopic")),
                ("Other", None)
            ]
        );
        // A directive is not evidence: the tag scores only from its terms.
        assert_eq!(evidence(&scores[0]), [("election violence", 1)]);
    }

    #[test]
    fn bad_directives_are_reported() {
        let problems = taxonomy_problems(
            "tag\tterm\tweight\nA\t!scheme\tusip\nA\t!scheme\tentopic\nA\t!alias\tOld\n\
                   B\t!alias\tOld\nC\t!colour\tred\nD\t!scheme\t\n",
        );
        assert_eq!(
            problems,
            [
                "t.tsv:3: error: tag \"A\" already has scheme \"usip\"",
                "t.tsv:5: error: alias \"Old\" already names \"A\"",
                "t.tsv:6: error: unknown directive !colour (expected !scheme or !alias)",
                "t.tsv:7: error: !scheme needs a value in the third column",
            ]
        );
    }

    #[test]
    fn bad_lines_are_reported() {
        let problems = taxonomy_problems(
            "tag\tterm\tweight\nA\tx\theavy\nB\t\t1\nC\tone two three four five\t1\n\
                   D\t@weapon.class\t1\nE\t@:x\t1\nF\t@leader + \t1\n\
                   G\tsanction\t1\nG\tsanctioned\t1\nH\tsanctioned\t1\n",
        );
        assert_eq!(
            problems,
            [
                "t.tsv:2: error: weight \"heavy\" is not a number",
                "t.tsv:3: error: empty tag or term",
                "t.tsv:4: error: term \"one two three four five\" must have 1 to 4 words",
                "t.tsv:5: error: entity signal \"@weapon.class\": expected .attribute=value after the type",
                "t.tsv:6: error: entity signal \"@:x\" names no type or id",
                "t.tsv:7: error: entity signal \"@leader +\": term \"\" must have 1 to 4 words",
                "t.tsv:9: error: term \"sanctioned\" matches the same words as the term at t.tsv:8; merge them",
            ]
        );
    }
}
