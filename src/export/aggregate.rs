//! Corpus-wide tables built while documents stream past: one row per distinct entity
//! (`entities.csv`, the Entities sheet) and one row per pair of entities seen together
//! (`cooccurrence.csv`).
//!
//! Workers reduce each document to a small [`DocStats`] (its distinct entities, and for each pair
//! the number of sentences holding both); the writer thread folds them into [`Aggregates`] in
//! input order, so "first seen" is the first document in input order and the tables are the same
//! whatever `--jobs` is. Memory grows with the number of distinct entities (and pairs of them),
//! which the dictionaries bound, not with the number of documents.

use super::rows::Cell;
use crate::dictionary::Entity;
use crate::document::{Analysis, Document};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A document with at most this many distinct entities counts every pair of them (also pairs
/// that share no sentence). One with more counts only pairs that share a sentence, each sentence
/// contributing pairs among its first [`MAX_ENTITIES_ALL_PAIRS`] distinct entities.
pub const MAX_ENTITIES_ALL_PAIRS: usize = 64;
/// Pairs counted per document, at most (the number of pairs among
/// [`MAX_ENTITIES_ALL_PAIRS`] entities): past it, pairs not seen yet in the document are not
/// added. So a list naming every country of the world makes 2,016 pairs, not 2.47 million.
pub const MAX_PAIRS: usize = MAX_ENTITIES_ALL_PAIRS * (MAX_ENTITIES_ALL_PAIRS - 1) / 2;

/// One distinct entity of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityCount {
    /// The dictionary entry, shared rather than copied (a document has one per distinct entity).
    /// Read back from the `--resume` state, it has a type, an id and a name only.
    pub entity: Arc<Entity>,
    pub mentions: usize,
}

/// An [`EntityCount`] as the `--resume` state keeps it: borrowed from the entry when written,
/// owned when read back.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored<'a> {
    kind: Cow<'a, str>,
    id: Cow<'a, str>,
    name: Cow<'a, str>,
    mentions: usize,
}

impl serde::Serialize for EntityCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = &self.entity;
        let stored = Stored {
            kind: Cow::Borrowed(&e.kind),
            id: Cow::Borrowed(&e.id),
            name: Cow::Borrowed(&e.name),
            mentions: self.mentions,
        };
        serde::Serialize::serialize(&stored, s)
    }
}

impl<'de> serde::Deserialize<'de> for EntityCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(d)?;
        let entity = Entity {
            kind: stored.kind.into_owned(),
            id: stored.id.into_owned(),
            name: stored.name.into_owned(),
            attributes: Vec::new(),
            roles: Vec::new(),
        };
        Ok(EntityCount {
            entity: Arc::new(entity),
            mentions: stored.mentions,
        })
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocStats {
    pub doc_id: String,
    /// Distinct entities, in order of first mention.
    pub entities: Vec<EntityCount>,
    /// Every pair of distinct entities (indices into `entities`) with the number of sentences
    /// that mention both; the first of a pair has the smaller (type, id).
    pub pairs: Vec<(usize, usize, usize)>,
}

impl DocStats {
    /// The stats of one document; `mention_sentences` gives each mention's sentence (from
    /// [`crate::segment::mention_sentences`], for co-occurrence), or `None` when only the entity
    /// counts are needed.
    pub fn new(
        doc: &Document,
        analysis: &Analysis,
        mention_sentences: Option<&[usize]>,
    ) -> DocStats {
        let mut index: FxHashMap<(&str, &str), usize> = FxHashMap::default();
        let mut entities: Vec<EntityCount> = Vec::new();
        let mut sentences: Vec<Vec<usize>> = Vec::new();
        let mut entity_of = Vec::with_capacity(analysis.mentions.len());
        for (i, m) in analysis.mentions.iter().enumerate() {
            let at = *index
                .entry((&m.entity.kind, &m.entity.id))
                .or_insert_with(|| {
                    entities.push(EntityCount {
                        entity: Arc::clone(&m.entity),
                        mentions: 0,
                    });
                    sentences.push(Vec::new());
                    entities.len() - 1
                });
            entities[at].mentions += 1;
            entity_of.push(at);
            if let Some(ms) = &mention_sentences {
                if sentences[at].last() != Some(&ms[i]) {
                    sentences[at].push(ms[i]);
                }
            }
        }
        let pairs = match mention_sentences {
            Some(ms) => pairs(&entities, &entity_of, &sentences, ms),
            None => Vec::new(),
        };
        DocStats {
            doc_id: doc.id.clone(),
            entities,
            pairs,
        }
    }
}

/// The pairs of a document's distinct `entities` (see [`DocStats::pairs`]); `entity_of` and
/// `sentence_of` give each mention's entity and sentence, `sentences` each entity's sentences.
fn pairs(
    entities: &[EntityCount],
    entity_of: &[usize],
    sentences: &[Vec<usize>],
    sentence_of: &[usize],
) -> Vec<(usize, usize, usize)> {
    let rank = ranks(entities.len(), |e| key(&entities[e]));
    let order = |a: usize, b: usize| match rank[a] < rank[b] {
        true => (a, b),
        false => (b, a),
    };
    if entities.len() > MAX_ENTITIES_ALL_PAIRS {
        return sentence_pairs(entity_of, sentence_of, order);
    }
    let mut pairs = Vec::new();
    for a in 0..entities.len() {
        for b in a + 1..entities.len() {
            let (first, second) = order(a, b);
            pairs.push((first, second, shared(&sentences[a], &sentences[b])));
        }
    }
    pairs
}

/// The pairs of entities that share a sentence, with the number of sentences, for a document
/// with many entities (see [`MAX_ENTITIES_ALL_PAIRS`], [`MAX_PAIRS`]); `entity_of` and
/// `sentence_of` give each mention's entity and sentence, in document order.
fn sentence_pairs(
    entity_of: &[usize],
    sentence_of: &[usize],
    order: impl Fn(usize, usize) -> (usize, usize),
) -> Vec<(usize, usize, usize)> {
    let mut counts: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    let mut found = Vec::new();
    let mut members: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < entity_of.len() {
        let sentence = sentence_of[i];
        members.clear();
        while i < entity_of.len() && sentence_of[i] == sentence {
            let e = entity_of[i];
            if members.len() < MAX_ENTITIES_ALL_PAIRS && !members.contains(&e) {
                members.push(e);
            }
            i += 1;
        }
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                let pair = order(a, b);
                match counts.get_mut(&pair) {
                    Some(n) => *n += 1,
                    None if found.len() < MAX_PAIRS => {
                        counts.insert(pair, 1);
                        found.push(pair);
                    }
                    None => {}
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(a, b)| (a, b, counts[&(a, b)]))
        .collect()
}

fn key(e: &EntityCount) -> (&str, &str) {
    (&e.entity.kind, &e.entity.id)
}

/// Each of `0..n`'s place in the order of `key` (distinct keys: an entity's type and id), so
/// pairs of entities are ordered on numbers instead of by comparing text.
fn ranks<K: Ord>(n: usize, key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut by_key: Vec<usize> = (0..n).collect();
    by_key.sort_unstable_by_key(|&e| key(e));
    let mut rank = vec![0; n];
    for (place, e) in by_key.into_iter().enumerate() {
        rank[e] = place;
    }
    rank
}

/// How many values two ascending lists have in common.
fn shared(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[derive(Debug, Clone)]
struct EntityTotals {
    kind: String,
    id: String,
    name: String,
    documents: usize,
    mentions: usize,
    first_doc: String,
}

/// Corpus totals, folded from [`DocStats`] in input order.
#[derive(Debug, Default)]
pub struct Aggregates {
    /// type → id → index into `entities` (looked up without allocating).
    index: FxHashMap<String, FxHashMap<String, usize>>,
    entities: Vec<EntityTotals>,
    /// (entity, entity) → (documents, sentences), the first with the smaller (type, id).
    pairs: FxHashMap<(usize, usize), (usize, usize)>,
}

pub const COOCCURRENCE_COLUMNS: &[&str] = &[
    "type_a",
    "id_a",
    "name_a",
    "type_b",
    "id_b",
    "name_b",
    "documents",
    "sentences",
];

impl Aggregates {
    pub fn add(&mut self, stats: &DocStats) {
        let slots: Vec<usize> = stats
            .entities
            .iter()
            .map(|count| {
                let e = &count.entity;
                let known = self.index.get(&e.kind).and_then(|ids| ids.get(&e.id));
                let slot = match known {
                    Some(&slot) => slot,
                    None => {
                        self.entities.push(EntityTotals {
                            kind: e.kind.clone(),
                            id: e.id.clone(),
                            name: e.name.clone(),
                            documents: 0,
                            mentions: 0,
                            first_doc: stats.doc_id.clone(),
                        });
                        let slot = self.entities.len() - 1;
                        self.index
                            .entry(e.kind.clone())
                            .or_default()
                            .insert(e.id.clone(), slot);
                        slot
                    }
                };
                let totals = &mut self.entities[slot];
                totals.documents += 1;
                totals.mentions += count.mentions;
                slot
            })
            .collect();
        for &(a, b, sentences) in &stats.pairs {
            let counts = self.pairs.entry((slots[a], slots[b])).or_default();
            counts.0 += 1;
            counts.1 += sentences;
        }
    }

    /// Mentions per entity type, over all documents.
    pub fn mentions_by_type(&self) -> BTreeMap<String, usize> {
        let mut totals = BTreeMap::new();
        for e in &self.entities {
            *totals.entry(e.kind.clone()).or_default() += e.mentions;
        }
        totals
    }

    /// The `n` most mentioned entities of type `kind` (ties by id), as (name, mentions,
    /// documents).
    pub fn most_mentioned(
        &self,
        kind: &str,
        n: usize,
    ) -> impl Iterator<Item = (&str, usize, usize)> {
        let mut of_kind: Vec<&EntityTotals> =
            self.entities.iter().filter(|e| e.kind == kind).collect();
        of_kind.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
        of_kind
            .into_iter()
            .take(n)
            .map(|e| (e.name.as_str(), e.mentions, e.documents))
    }

    /// One row per distinct entity (columns `rows::ENTITY_COLUMNS`): by type in `types` order
    /// (other types after, by name), then most mentioned first, then by id.
    pub fn entity_rows(&self, types: &[String]) -> Vec<Vec<Cell<'_>>> {
        let rank = |kind: &str| types.iter().position(|t| t == kind).unwrap_or(types.len());
        let mut sorted: Vec<&EntityTotals> = self.entities.iter().collect();
        sorted.sort_by(|a, b| {
            (rank(&a.kind), &a.kind)
                .cmp(&(rank(&b.kind), &b.kind))
                .then(b.mentions.cmp(&a.mentions))
                .then(a.id.cmp(&b.id))
        });
        sorted
            .into_iter()
            .map(|e| {
                vec![
                    e.kind.as_str().into(),
                    e.id.as_str().into(),
                    e.name.as_str().into(),
                    e.documents.into(),
                    e.mentions.into(),
                    e.first_doc.as_str().into(),
                ]
            })
            .collect()
    }

    /// One row per pair seen in a document together (columns [`COOCCURRENCE_COLUMNS`]): most
    /// documents first, then most sentences, then by the two (type, id) keys.
    pub fn cooccurrence_rows(&self) -> Vec<Vec<Cell<'_>>> {
        let rank = ranks(self.entities.len(), |e| {
            (&self.entities[e].kind, &self.entities[e].id)
        });
        let mut sorted: Vec<(usize, usize, usize, usize)> = self
            .pairs
            .iter()
            .map(|(&(a, b), &(docs, sentences))| (a, b, docs, sentences))
            .collect();
        sorted.sort_unstable_by_key(|&(a, b, docs, sentences)| {
            (Reverse(docs), Reverse(sentences), rank[a], rank[b])
        });
        sorted
            .into_iter()
            .map(|(a, b, docs, sentences)| {
                let (a, b) = (&self.entities[a], &self.entities[b]);
                vec![
                    a.kind.as_str().into(),
                    a.id.as_str().into(),
                    a.name.as_str().into(),
                    b.kind.as_str().into(),
                    b.id.as_str().into(),
                    b.name.as_str().into(),
                    docs.into(),
                    sentences.into(),
                ]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, Pipeline};

    fn stats(pipeline: &Pipeline, id: &str, text: &str) -> DocStats {
        let doc = Document::new(id, text);
        let analysis = pipeline.analyze(&doc);
        let sentences = crate::segment::mention_sentences(text, &analysis.mentions);
        DocStats::new(&doc, &analysis, Some(&sentences))
    }

    fn texts(rows: Vec<Vec<Cell>>) -> Vec<String> {
        rows.iter()
            .map(|r| {
                let cells = r.iter().map(|c| c.text(&mut String::new()).to_string());
                cells.collect::<Vec<_>>().join(",")
            })
            .collect()
    }

    #[test]
    fn stats_keep_type_id_name_and_counts_in_the_resume_state() {
        let pipeline = Pipeline::bundled().unwrap();
        let written = stats(
            &pipeline,
            "d1",
            "Iran and Iraq talked. Iran later met Japan.",
        );
        let json = serde_json::to_string(&written).unwrap();
        assert_eq!(
            json,
            r#"{"doc_id":"d1","entities":[{"kind":"country","id":"IRN","name":"Iran","mentions":2},{"kind":"country","id":"IRQ","name":"Iraq","mentions":1},{"kind":"country","id":"JPN","name":"Japan","mentions":1}],"pairs":[[0,1,1],[0,2,1],[1,2,0]]}"#
        );
        let read: DocStats = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), json);
        let (mut from_run, mut from_state) = (Aggregates::default(), Aggregates::default());
        from_run.add(&written);
        from_state.add(&read);
        let types = pipeline.types().to_vec();
        assert_eq!(
            texts(from_state.entity_rows(&types)),
            texts(from_run.entity_rows(&types))
        );
        assert_eq!(
            texts(from_state.cooccurrence_rows()),
            texts(from_run.cooccurrence_rows())
        );
    }

    #[test]
    fn entities_and_pairs_over_two_documents() {
        let pipeline = Pipeline::bundled().unwrap();
        let mut agg = Aggregates::default();
        agg.add(&stats(
            &pipeline,
            "d1",
            "Iran and Iraq talked. Iran later met Japan.",
        ));
        agg.add(&stats(&pipeline, "d2", "Japan and Iran. Nothing else."));
        let types = pipeline.types().to_vec();
        assert_eq!(
            texts(agg.entity_rows(&types)),
            [
                "country,IRN,Iran,2,3,d1",
                "country,JPN,Japan,2,2,d1",
                "country,IRQ,Iraq,1,1,d1",
            ]
        );
        assert_eq!(
            texts(agg.cooccurrence_rows()),
            [
                "country,IRN,Iran,country,JPN,Japan,2,2",
                "country,IRN,Iran,country,IRQ,Iraq,1,1",
                "country,IRQ,Iraq,country,JPN,Japan,1,0",
            ]
        );
    }
}
