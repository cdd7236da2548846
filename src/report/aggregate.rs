//! From the JSON Lines records of a run to the figures the report draws.
//!
//! In: `documents.jsonl` records, one at a time, in file order. Out: a [`Summary`] with totals,
//! per-entity and per-topic document counts, the country × topic table, the distinct entities of
//! every document (for co-occurrence) and the rows of the document table. Everything is counted
//! exactly over all documents; only the document table stops at a cap, so memory stays small per
//! document even for large runs. Orders are fully specified (ties broken by name or id), so the
//! same input always gives the same report.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// The entity type whose entities form the rows of the heat map.
pub const COUNTRY: &str = "country";

/// The part of a `documents.jsonl` record that the report uses.
#[derive(Debug, Deserialize)]
pub struct Record {
    pub id: String,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub meta: Option<Meta>,
    #[serde(default)]
    pub entities: Vec<EntityRef>,
    #[serde(default)]
    pub topics: Vec<TopicRef>,
}

/// Carried-through input fields; a `headline` stands in for a missing title.
#[derive(Debug, Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub headline: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct EntityRef {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub name: String,
    pub text: String,
    pub byte_start: usize,
    pub byte_end: usize,
}

#[derive(Debug, Deserialize)]
pub struct TopicRef {
    pub tag: String,
}

/// One distinct entity over the whole run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityStat {
    pub kind: String,
    pub id: String,
    pub name: String,
    pub mentions: usize,
    pub documents: usize,
}

/// The first mention of one entity in a document, to be shown in context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstMention {
    /// Index into [`Summary::entities`].
    pub entity: u32,
    pub byte_start: usize,
    pub byte_end: usize,
    pub text: String,
}

/// One row of the document table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    /// The source file, as recorded (none for stdin).
    pub path: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    /// Indexes into [`Summary::tags`], highest score first.
    pub tags: Vec<u32>,
    /// (entity index, mentions), in order of first mention.
    pub entities: Vec<(u32, u32)>,
    /// The first mention of each entity, in document order, at most the per-document cap; `None`
    /// once the report's budget of mentions in context is spent.
    pub firsts: Option<Vec<FirstMention>>,
}

/// Everything the report shows, counted over all documents.
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: usize,
    pub mentions_by_type: BTreeMap<String, usize>,
    /// Distinct entities, in order of first appearance.
    pub entities: Vec<EntityStat>,
    entity_index: HashMap<(String, String), u32>,
    /// Topic tags, in order of first appearance.
    pub tags: Vec<String>,
    tag_index: HashMap<String, u32>,
    /// Documents per tag, parallel to `tags`.
    pub tag_documents: Vec<usize>,
    /// Documents without any topic.
    pub untagged: usize,
    /// (country entity, tag) → documents that mention the country and carry the tag.
    country_tag: HashMap<(u32, u32), usize>,
    /// The distinct entities of each document, sorted (for co-occurrence).
    doc_entities: Vec<Box<[u32]>>,
    /// The first `row_cap` documents, for the table.
    pub rows: Vec<Row>,
    row_cap: usize,
    /// First mentions kept for context: at most `per_row` per document, `budget` in all, for
    /// the documents before the first that would go over.
    context_per_row: usize,
    context_budget: usize,
    context_used: usize,
    context_full: bool,
}

/// Documents per (country, tag) for the top countries and tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatMap {
    /// Entity indexes (countries), most documents first.
    pub rows: Vec<u32>,
    /// Tag indexes, most documents first.
    pub cols: Vec<u32>,
    /// `cells[row][col]`.
    pub cells: Vec<Vec<usize>>,
}

impl Summary {
    /// An empty summary whose document table keeps at most `row_cap` rows, and the first
    /// mentions of entities (at most `per_row` per document) of its first documents, up to
    /// `budget` mentions in all.
    pub fn new(row_cap: usize, budget: usize, per_row: usize) -> Summary {
        Summary {
            row_cap,
            context_budget: budget,
            context_per_row: per_row,
            ..Summary::default()
        }
    }

    /// Documents counted but left out of the table.
    pub fn rows_left_out(&self) -> usize {
        self.documents - self.rows.len()
    }

    /// Counts one record.
    pub fn add(&mut self, record: Record) {
        self.documents += 1;
        let mut entities: Vec<(u32, u32)> = Vec::new();
        let mut position: HashMap<u32, usize> = HashMap::new();
        let mut firsts = Vec::new();
        for m in record.entities {
            *self.mentions_by_type.entry(m.kind.clone()).or_default() += 1;
            let next = self.entities.len() as u32;
            let index = *self
                .entity_index
                .entry((m.kind.clone(), m.id.clone()))
                .or_insert(next);
            if index == next {
                self.entities.push(EntityStat {
                    kind: m.kind,
                    id: m.id,
                    name: m.name,
                    mentions: 0,
                    documents: 0,
                });
            }
            let stat = &mut self.entities[index as usize];
            stat.mentions += 1;
            match position.get(&index) {
                Some(&at) => entities[at].1 += 1,
                None => {
                    stat.documents += 1;
                    position.insert(index, entities.len());
                    entities.push((index, 1));
                    firsts.push(FirstMention {
                        entity: index,
                        byte_start: m.byte_start,
                        byte_end: m.byte_end,
                        text: m.text,
                    });
                }
            }
        }
        let mut tags = Vec::with_capacity(record.topics.len());
        for t in record.topics {
            let next = self.tags.len() as u32;
            let index = *self.tag_index.entry(t.tag.clone()).or_insert(next);
            if index == next {
                self.tags.push(t.tag);
                self.tag_documents.push(0);
            }
            if !tags.contains(&index) {
                self.tag_documents[index as usize] += 1;
                tags.push(index);
            }
        }
        if tags.is_empty() {
            self.untagged += 1;
        }
        for &(entity, _) in &entities {
            if self.entities[entity as usize].kind == COUNTRY {
                for &tag in &tags {
                    *self.country_tag.entry((entity, tag)).or_default() += 1;
                }
            }
        }
        let mut distinct: Vec<u32> = entities.iter().map(|&(e, _)| e).collect();
        distinct.sort_unstable();
        self.doc_entities.push(distinct.into_boxed_slice());
        if self.rows.len() < self.row_cap {
            firsts.truncate(self.context_per_row);
            let firsts =
                if !self.context_full && self.context_used + firsts.len() <= self.context_budget {
                    self.context_used += firsts.len();
                    Some(firsts)
                } else {
                    self.context_full = true;
                    None
                };
            let headline = record
                .meta
                .and_then(|m| m.headline)
                .and_then(|h| h.as_str().map(str::to_string));
            self.rows.push(Row {
                id: record.id,
                path: record.path,
                title: record.title.or(headline),
                date: record.date,
                tags,
                entities,
                firsts,
            });
        }
    }

    /// Entity types seen, sorted by name.
    pub fn types(&self) -> Vec<&str> {
        self.mentions_by_type.keys().map(String::as_str).collect()
    }

    /// The `n` most mentioned entities of one type (then most documents, then name).
    pub fn top_of_type(&self, kind: &str, n: usize) -> Vec<u32> {
        let mut found: Vec<u32> = (0..self.entities.len() as u32)
            .filter(|&i| self.entities[i as usize].kind == kind)
            .collect();
        found.sort_by(|&a, &b| {
            let (x, y) = (&self.entities[a as usize], &self.entities[b as usize]);
            y.mentions
                .cmp(&x.mentions)
                .then(y.documents.cmp(&x.documents))
                .then(x.name.cmp(&y.name))
                .then(x.id.cmp(&y.id))
        });
        found.truncate(n);
        found
    }

    /// The `n` entities of any type found in the most documents (then most mentions, type, id).
    pub fn top_by_documents(&self, n: usize, kind: Option<&str>) -> Vec<u32> {
        let mut found: Vec<u32> = (0..self.entities.len() as u32)
            .filter(|&i| kind.is_none_or(|k| self.entities[i as usize].kind == k))
            .collect();
        found.sort_by(|&a, &b| {
            let (x, y) = (&self.entities[a as usize], &self.entities[b as usize]);
            y.documents
                .cmp(&x.documents)
                .then(y.mentions.cmp(&x.mentions))
                .then(x.kind.cmp(&y.kind))
                .then(x.id.cmp(&y.id))
        });
        found.truncate(n);
        found
    }

    /// Tag indexes with their documents, most documents first (then by name).
    pub fn tags_by_documents(&self) -> Vec<(u32, usize)> {
        let mut tags: Vec<(u32, usize)> = self
            .tag_documents
            .iter()
            .enumerate()
            .map(|(i, &n)| (i as u32, n))
            .collect();
        tags.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(self.tags[a.0 as usize].cmp(&self.tags[b.0 as usize]))
        });
        tags
    }

    /// Documents per (country, tag) for the `rows` countries in most documents and the `cols`
    /// tags on most documents.
    pub fn heat_map(&self, rows: usize, cols: usize) -> HeatMap {
        let rows = self.top_by_documents(rows, Some(COUNTRY));
        let cols: Vec<u32> = self
            .tags_by_documents()
            .into_iter()
            .take(cols)
            .map(|(t, _)| t)
            .collect();
        let cells = rows
            .iter()
            .map(|&r| {
                cols.iter()
                    .map(|&c| self.country_tag.get(&(r, c)).copied().unwrap_or(0))
                    .collect()
            })
            .collect();
        HeatMap { rows, cols, cells }
    }

    /// Documents shared by each pair of `nodes` (entity indexes): `(i, j, documents)` with
    /// `i < j` positions in `nodes`, only pairs that share a document, strongest first (then by
    /// position).
    pub fn cooccurrence(&self, nodes: &[u32]) -> Vec<(usize, usize, usize)> {
        let position: HashMap<u32, usize> =
            nodes.iter().enumerate().map(|(i, &e)| (e, i)).collect();
        let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        let mut present = Vec::new();
        for doc in &self.doc_entities {
            present.clear();
            present.extend(doc.iter().filter_map(|e| position.get(e).copied()));
            present.sort_unstable();
            for (k, &i) in present.iter().enumerate() {
                for &j in &present[k + 1..] {
                    *counts.entry((i, j)).or_default() += 1;
                }
            }
        }
        let mut edges: Vec<(usize, usize, usize)> =
            counts.into_iter().map(|((i, j), n)| (i, j, n)).collect();
        edges.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        edges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    fn ent(kind: &str, id: &str, at: usize) -> String {
        format!(
            r#"{{"type":"{kind}","id":"{id}","name":"{id} name","text":"{id}","start":{at},"end":{e},"byte_start":{at},"byte_end":{e},"form":"name"}}"#,
            e = at + id.len()
        )
    }

    /// Three documents: d1 (RUS ×2, UKR, putin; Armed Conflict, Sanctions), d2 (RUS, CHN;
    /// Sanctions), d3 (nothing, no topic, a headline).
    fn three() -> Summary {
        let mut s = Summary::new(10, 4, 3);
        s.add(record(&format!(
            r#"{{"id":"d1","path":"d1","title":"One","entities":[{},{},{},{}],"topics":[{{"tag":"Armed Conflict","score":0.9}},{{"tag":"Sanctions","score":0.6}}]}}"#,
            ent("country", "RUS", 0),
            ent("leader", "putin", 10),
            ent("country", "UKR", 20),
            ent("country", "RUS", 30)
        )));
        s.add(record(&format!(
            r#"{{"id":"feed.jsonl:2","path":"feed.jsonl","entities":[{},{}],"topics":[{{"tag":"Sanctions","score":0.7}}]}}"#,
            ent("country", "CHN", 5),
            ent("country", "RUS", 9)
        )));
        s.add(record(
            r#"{"id":"d3","meta":{"headline":"Garden notes"},"entities":[],"topics":[]}"#,
        ));
        s
    }

    #[test]
    fn counts_entities_mentions_and_documents() {
        let s = three();
        assert_eq!(s.documents, 3);
        assert_eq!(
            s.mentions_by_type,
            BTreeMap::from([("country".to_string(), 5), ("leader".to_string(), 1)])
        );
        let shown: Vec<(&str, usize, usize)> = s
            .entities
            .iter()
            .map(|e| (e.id.as_str(), e.mentions, e.documents))
            .collect();
        assert_eq!(
            shown,
            [("RUS", 3, 2), ("putin", 1, 1), ("UKR", 1, 1), ("CHN", 1, 1)]
        );
        assert_eq!(s.types(), ["country", "leader"]);
        assert_eq!(s.top_of_type("country", 2), [0, 3]); // RUS, then CHN before UKR by name
        assert_eq!(s.top_by_documents(3, None), [0, 3, 2]); // RUS, then country CHN, UKR
        assert_eq!(s.untagged, 1);
        assert_eq!(s.tags, ["Armed Conflict", "Sanctions"]);
        assert_eq!(s.tags_by_documents(), [(1, 2), (0, 1)]);
    }

    #[test]
    fn rows_keep_first_mentions_and_titles() {
        let s = three();
        let r = &s.rows[0];
        assert_eq!((r.id.as_str(), r.path.as_deref()), ("d1", Some("d1")));
        assert_eq!(r.entities, [(0, 2), (1, 1), (2, 1)]);
        assert_eq!(
            r.firsts
                .as_ref()
                .unwrap()
                .iter()
                .map(|f| (f.entity, f.byte_start, f.byte_end, f.text.as_str()))
                .collect::<Vec<_>>(),
            [(0, 0, 3, "RUS"), (1, 10, 15, "putin"), (2, 20, 23, "UKR")]
        );
        assert_eq!(r.tags, [0, 1]);
        // Three first mentions used one of four; the next document's two would go over.
        assert!(s.rows[1].firsts.is_none());
        assert!(
            s.rows[2].firsts.is_none(),
            "nothing after the first over the budget"
        );
        assert_eq!(s.rows[1].path.as_deref(), Some("feed.jsonl"));
        assert_eq!(s.rows[2].title.as_deref(), Some("Garden notes"));
    }

    #[test]
    fn heat_map_counts_documents_per_country_and_tag() {
        let s = three();
        let h = s.heat_map(2, 5);
        assert_eq!(h.rows, [0, 3]); // RUS (2 documents), CHN (1, name before UKR)
        assert_eq!(h.cols, [1, 0]); // Sanctions (2), Armed Conflict (1)
        assert_eq!(h.cells, [vec![2, 1], vec![1, 0]]);
    }

    #[test]
    fn cooccurrence_counts_shared_documents() {
        let s = three();
        // nodes: RUS, UKR, CHN, putin
        assert_eq!(
            s.cooccurrence(&[0, 2, 3, 1]),
            [(0, 1, 1), (0, 2, 1), (0, 3, 1), (1, 3, 1)]
        );
        assert_eq!(s.cooccurrence(&[3, 2]), []);
    }

    #[test]
    fn the_table_stops_at_the_cap_but_counting_goes_on() {
        let mut s = Summary::new(1, 10, 10);
        for i in 0..3 {
            s.add(record(&format!(
                r#"{{"id":"d{i}","entities":[{}],"topics":[]}}"#,
                ent("weapon", "drone", 0)
            )));
        }
        assert_eq!(s.rows.len(), 1);
        assert_eq!(s.rows_left_out(), 2);
        assert_eq!(s.entities[0].documents, 3);
    }
}
