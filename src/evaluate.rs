//! Quality against gold annotations: precision, recall and F1 per entity type and per topic tag.
//!
//! In: a gold JSONL file — `{"id", "text", "date"?, "entities"?: [{"start", "end", "type", "id"}],
//! "topics"?: [tag, …]}` with character offsets — and a pipeline. Out: counts per type under two
//! matching rules, *exact* (same span, type and id) and *overlap* (same type and id, spans
//! overlap; one-to-one), per-tag topic counts with micro and macro averages, and the errors.
//!
//! Labels from elsewhere (an analyst's own, or USIP's) are read through [`TopicOptions`]: the
//! field that holds them, a tag map (`label<TAB>tag`, `-` to ignore a label), the taxonomy's
//! `!alias` names, and optionally one scheme (`usip`) so that only that vocabulary is scored.

use crate::{Document, Pipeline};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

#[derive(Debug, Deserialize)]
struct GoldPassage {
    #[serde(default)]
    id: String,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    entities: Option<Vec<GoldEntity>>,
    #[serde(default)]
    topics: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct GoldEntity {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

/// True positives, false positives and false negatives.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

/// An empty denominator scores 1: nothing to find and nothing wrongly found.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// One disagreement with the gold set.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub passage: String,
    /// `false positive` or `miss` (entities); `extra tag` or `missing tag` (topics).
    pub what: &'static str,
    pub kind: String,
    pub id: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The result of an evaluation.
#[derive(Debug, Default)]
pub struct EvalReport {
    pub passages: usize,
    pub entity_passages: usize,
    pub topic_passages: usize,
    pub exact: BTreeMap<String, Counts>,
    pub overlap: BTreeMap<String, Counts>,
    pub topics: BTreeMap<String, Counts>,
    /// Topic passages whose predicted tag set equals the gold set.
    pub topic_exact_sets: usize,
    /// Topic passages with a gold tag whose highest-scoring predicted tag is one of them (hit@1).
    pub topic_top_hits: usize,
    /// Topic passages with at least one gold tag (the denominator of hit@1).
    pub topic_gold_passages: usize,
    /// Tags predicted and gold tags, summed over topic passages (tags per document).
    pub topic_predicted_tags: usize,
    pub topic_gold_tags: usize,
    pub errors: Vec<Disagreement>,
}

/// Evaluation failed before scoring.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Gold {
        path: String,
        line: usize,
        message: String,
    },
}

/// How topic labels are read and which tags are scored.
#[derive(Debug, Clone)]
pub struct TopicOptions {
    /// The JSONL field with the labels (default `topics`) and the one with the text (`text`).
    pub label_field: String,
    pub text_field: String,
    /// Gold label → tag, or `None` to ignore the label. Checked before the taxonomy's aliases;
    /// a label in neither is read as a tag name.
    pub tag_map: BTreeMap<String, Option<String>>,
    /// Score only tags of this scheme (`usip`): predicted tags of another scheme are dropped,
    /// and so are gold labels that name them.
    pub scheme: Option<String>,
}

impl Default for TopicOptions {
    fn default() -> Self {
        TopicOptions {
            label_field: "topics".into(),
            text_field: "text".into(),
            tag_map: BTreeMap::new(),
            scheme: None,
        }
    }
}

/// Reads a tag map: `label<TAB>tag` per line (`-` as the tag ignores the label), `#` comments.
pub fn read_tag_map(path: &str) -> Result<BTreeMap<String, Option<String>>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.into(),
        source,
    })?;
    let mut map = BTreeMap::new();
    for row in crate::tsv::Rows::new(path, &text) {
        let bad = |message: &str| EvalError::Gold {
            path: path.into(),
            line: row.line(),
            message: message.into(),
        };
        let Some((label, tag)) = row.text().split_once('\t') else {
            return Err(bad("expected label<TAB>tag"));
        };
        let (label, tag) = (label.trim(), tag.trim());
        if label.is_empty() || tag.is_empty() {
            return Err(bad("empty label or tag"));
        }
        if map.contains_key(label) {
            return Err(bad(&format!("label {label:?} is mapped twice")));
        }
        map.insert(label.to_string(), (tag != "-").then(|| tag.to_string()));
    }
    Ok(map)
}

/// Scores `pipeline` against the gold file at `path`.
pub fn evaluate(pipeline: &Pipeline, path: &str) -> Result<EvalReport, EvalError> {
    evaluate_with(pipeline, path, &TopicOptions::default())
}

/// A gold line's fields renamed to the gold format (`text`, `topics`); an `id` defaults to
/// `line N`.
fn gold_passage(line: &str, number: usize, options: &TopicOptions) -> Result<GoldPassage, String> {
    let mut value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let object = value.as_object_mut().ok_or("expected a JSON object")?;
    for (field, name) in [
        (&options.text_field, "text"),
        (&options.label_field, "topics"),
    ] {
        if field != name {
            let moved = object.remove(field.as_str());
            object.remove(name);
            if let Some(moved) = moved {
                object.insert(name.into(), moved);
            }
        }
    }
    if let Some(serde_json::Value::String(one)) = object.get("topics") {
        object.insert("topics".into(), serde_json::json!([one]));
    }
    let mut passage: GoldPassage = serde_json::from_value(value).map_err(|e| e.to_string())?;
    if passage.id.is_empty() {
        passage.id = format!("line {number}");
    }
    Ok(passage)
}

/// Gold labels as tags (tag map, then aliases), without those the options leave out.
fn gold_tags<'a>(
    labels: &'a [String],
    pipeline: &'a Pipeline,
    options: &'a TopicOptions,
) -> BTreeSet<&'a str> {
    let classifier = pipeline.classifier();
    labels
        .iter()
        .filter_map(|label| match options.tag_map.get(label) {
            Some(mapped) => mapped.as_deref(),
            None => Some(
                classifier
                    .aliases()
                    .find(|(name, _)| name == label)
                    .map_or(label.as_str(), |(_, tag)| tag),
            ),
        })
        .filter(|tag| in_scheme(classifier.scheme(tag), options))
        .collect()
}

/// Whether a tag of `scheme` is scored: every tag without `--scheme`; with it, tags of that
/// scheme and tags the taxonomy does not know (a gold label it lacks still counts as a miss).
fn in_scheme(scheme: Option<&str>, options: &TopicOptions) -> bool {
    match (&options.scheme, scheme) {
        (Some(wanted), Some(scheme)) => wanted == scheme,
        _ => true,
    }
}

/// Scores `pipeline` against the gold file at `path`, reading labels as `options` say.
pub fn evaluate_with(
    pipeline: &Pipeline,
    path: &str,
    options: &TopicOptions,
) -> Result<EvalReport, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.into(),
        source,
    })?;
    let mut report = EvalReport::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let gold_error = |message: String| EvalError::Gold {
            path: path.into(),
            line: i + 1,
            message,
        };
        let passage = gold_passage(line, i + 1, options).map_err(gold_error)?;
        let chars = passage.text.chars().count();
        if let Some(bad) = passage
            .entities
            .iter()
            .flatten()
            .find(|e| e.start >= e.end || e.end > chars)
        {
            return Err(gold_error(format!(
                "{}: span {}..{} outside the text ({chars} chars)",
                passage.id, bad.start, bad.end
            )));
        }
        report.passages += 1;
        let doc = Document {
            date: passage.date.clone(),
            ..Document::new(passage.id.clone(), passage.text.clone())
        };
        let analysis = pipeline.analyze(&doc);
        if let Some(gold) = &passage.entities {
            report.entity_passages += 1;
            let predicted: Vec<GoldEntity> = analysis
                .mentions
                .iter()
                .map(|m| GoldEntity {
                    start: m.start,
                    end: m.end,
                    kind: m.entity.kind.clone(),
                    id: m.entity.id.clone(),
                })
                .collect();
            score_entities(&passage, gold, &predicted, &mut report);
        }
        if let Some(gold) = &passage.topics {
            report.topic_passages += 1;
            let gold = gold_tags(gold, pipeline, options);
            let ranked: Vec<&str> = analysis
                .topics
                .iter()
                .filter(|t| in_scheme(t.scheme.as_deref(), options))
                .map(|t| t.tag.as_str())
                .collect();
            score_topics(&passage.id, &gold, &ranked, &mut report);
        }
    }
    Ok(report)
}

/// Counts one passage's topic tags against its gold set: hit@1, exact sets, per-tag counts and
/// the disagreements.
fn score_topics(passage: &str, gold: &BTreeSet<&str>, ranked: &[&str], report: &mut EvalReport) {
    let predicted: BTreeSet<&str> = ranked.iter().copied().collect();
    report.topic_predicted_tags += predicted.len();
    report.topic_gold_tags += gold.len();
    if !gold.is_empty() {
        report.topic_gold_passages += 1;
        report.topic_top_hits += usize::from(ranked.first().is_some_and(|t| gold.contains(t)));
    }
    if *gold == predicted {
        report.topic_exact_sets += 1;
    }
    for tag in gold.union(&predicted) {
        let c = report.topics.entry(tag.to_string()).or_default();
        match (gold.contains(tag), predicted.contains(tag)) {
            (true, true) => c.tp += 1,
            (false, true) => c.fp += 1,
            (true, false) => c.fn_ += 1,
            (false, false) => {}
        }
        if gold.contains(tag) != predicted.contains(tag) {
            let what = if gold.contains(tag) {
                "missing tag"
            } else {
                "extra tag"
            };
            report.errors.push(Disagreement {
                passage: passage.to_string(),
                what,
                kind: "topic".into(),
                id: tag.to_string(),
                text: String::new(),
                start: 0,
                end: 0,
            });
        }
    }
}

fn score_entities(
    passage: &GoldPassage,
    gold: &[GoldEntity],
    predicted: &[GoldEntity],
    report: &mut EvalReport,
) {
    let span_text = |e: &GoldEntity| {
        passage
            .text
            .chars()
            .skip(e.start)
            .take(e.end - e.start)
            .collect::<String>()
    };
    for kind in gold
        .iter()
        .chain(predicted)
        .map(|e| e.kind.clone())
        .collect::<BTreeSet<_>>()
    {
        let g: Vec<&GoldEntity> = gold.iter().filter(|e| e.kind == kind).collect();
        let p: Vec<&GoldEntity> = predicted.iter().filter(|e| e.kind == kind).collect();
        let exact_tp = p.iter().filter(|e| g.contains(e)).count();
        report.exact.entry(kind.clone()).or_default().add(Counts {
            tp: exact_tp,
            fp: p.len() - exact_tp,
            fn_: g.len() - exact_tp,
        });
        // Overlap: each gold entity pairs with at most one prediction of the same id.
        let mut used = vec![false; p.len()];
        let mut tp = 0;
        for ge in &g {
            let hit = p.iter().enumerate().position(|(j, pe)| {
                !used[j] && pe.id == ge.id && pe.start < ge.end && ge.start < pe.end
            });
            match hit {
                Some(j) => {
                    used[j] = true;
                    tp += 1;
                }
                None => report.errors.push(Disagreement {
                    passage: passage.id.clone(),
                    what: "miss",
                    kind: kind.clone(),
                    id: ge.id.clone(),
                    text: span_text(ge),
                    start: ge.start,
                    end: ge.end,
                }),
            }
        }
        for (j, pe) in p.iter().enumerate().filter(|(j, _)| !used[*j]) {
            let _ = j;
            report.errors.push(Disagreement {
                passage: passage.id.clone(),
                what: "false positive",
                kind: kind.clone(),
                id: pe.id.clone(),
                text: span_text(pe),
                start: pe.start,
                end: pe.end,
            });
        }
        report.overlap.entry(kind).or_default().add(Counts {
            tp,
            fp: p.len() - tp,
            fn_: g.len() - tp,
        });
    }
}

impl EvalReport {
    /// The per-type and per-tag tables, as printed by `entopic evaluate`.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} ({} with entities, {} with topics)",
            crate::run::count(self.passages as u64, "passage"),
            self.entity_passages,
            self.topic_passages
        );
        if self.entity_passages > 0 {
            let _ = writeln!(s, "\nentities        match     gold  found     tp     fp     fn  precision  recall     F1");
            for (label, table) in [("exact", &self.exact), ("overlap", &self.overlap)] {
                let mut total = Counts::default();
                for (kind, c) in table {
                    row(&mut s, kind, label, c);
                    total.add(*c);
                }
                row(&mut s, "all", label, &total);
            }
        }
        if self.topic_passages > 0 {
            s.push('\n');
            tag_table(&mut s, "topics", &self.topics);
            let _ = writeln!(
                s,
                "exact tag sets: {}/{}",
                self.topic_exact_sets, self.topic_passages
            );
            let per_doc = |n: usize| n as f64 / self.topic_passages as f64;
            let _ = writeln!(
                s,
                "hit@1 (top tag is a gold tag): {}/{} = {:.3}\ntags per passage: found {:.2}, gold {:.2}",
                self.topic_top_hits,
                self.topic_gold_passages,
                ratio(self.topic_top_hits, self.topic_gold_passages),
                per_doc(self.topic_predicted_tags),
                per_doc(self.topic_gold_tags),
            );
        }
        s
    }

    /// Micro-averaged topic counts.
    pub fn topic_micro(&self) -> Counts {
        let mut c = Counts::default();
        self.topics.values().for_each(|t| c.add(*t));
        c
    }
}

/// Per-tag precision, recall and F1, then the micro (pooled counts) and macro (mean of the tags'
/// figures) rows: the topic table of `entopic evaluate` and of `entopic topics evaluate`.
pub fn tag_table(s: &mut String, heading: &str, per_tag: &BTreeMap<String, Counts>) {
    let _ = writeln!(
        s,
        "{:<44} {:>5} {:>6} {:>6} {:>6} {:>6}  {:>9} {:>7} {:>6}",
        heading, "gold", "found", "tp", "fp", "fn", "precision", "recall", "F1"
    );
    let tag_row = |s: &mut String, tag: &str, c: &Counts| {
        let [p, r, f] = c.scores();
        let _ = writeln!(
            s,
            "{:<44} {:>5} {:>6} {:>6} {:>6} {:>6}  {p:>9} {r:>7} {f:>6}",
            tag,
            c.tp + c.fn_,
            c.tp + c.fp,
            c.tp,
            c.fp,
            c.fn_,
        );
    };
    let mut micro = Counts::default();
    let (mut p, mut r, mut f) = (0.0, 0.0, 0.0);
    for (tag, c) in per_tag {
        tag_row(s, tag, c);
        micro.add(*c);
        p += c.precision();
        r += c.recall();
        f += c.f1();
    }
    tag_row(s, "micro", &micro);
    let n = per_tag.len().max(1) as f64;
    let _ = writeln!(
        s,
        "{:<44} {:>5} {:>6} {:>6} {:>6} {:>6}  {:>9.3} {:>7.3} {:>6.3}",
        "macro",
        "",
        "",
        "",
        "",
        "",
        p / n,
        r / n,
        f / n
    );
}

fn row(s: &mut String, kind: &str, label: &str, c: &Counts) {
    let [p, r, f] = c.scores();
    let _ = writeln!(
        s,
        "{:<15} {:<8} {:>5} {:>6} {:>6} {:>6} {:>6}  {p:>9} {r:>7} {f:>6}",
        kind,
        label,
        c.tp + c.fn_,
        c.tp + c.fp,
        c.tp,
        c.fp,
        c.fn_,
    );
}

impl Counts {
    /// Precision, recall and F1 as printed: three decimals, or "n/a" where nothing was found
    /// (precision) or there is no gold item (recall), instead of a vacuous 1.000.
    fn scores(&self) -> [String; 3] {
        let shown = |x: f64, defined: bool| {
            if defined {
                format!("{x:.3}")
            } else {
                "n/a".to_string()
            }
        };
        let (found, gold) = (self.tp + self.fp > 0, self.tp + self.fn_ > 0);
        [
            shown(self.precision(), found),
            shown(self.recall(), gold),
            shown(self.f1(), found && gold),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_scores() {
        let c = Counts {
            tp: 8,
            fp: 2,
            fn_: 0,
        };
        assert_eq!((c.precision(), c.recall()), (0.8, 1.0));
        assert!((c.f1() - 0.888_888).abs() < 1e-5);
        assert_eq!(Counts::default().f1(), 1.0);
    }

    #[test]
    fn exact_and_overlap_matching() {
        let passage = GoldPassage {
            id: "p".into(),
            text: "North Korea and U.S. forces".into(),
            date: None,
            entities: None,
            topics: None,
        };
        let e = |s, en, id: &str| GoldEntity {
            start: s,
            end: en,
            kind: "country".into(),
            id: id.into(),
        };
        let gold = [e(0, 11, "PRK"), e(16, 20, "USA")];
        let predicted = [e(6, 11, "PRK"), e(16, 20, "USA"), e(21, 27, "XXX")];
        let mut report = EvalReport::default();
        score_entities(&passage, &gold, &predicted, &mut report);
        assert_eq!(
            report.exact["country"],
            Counts {
                tp: 1,
                fp: 2,
                fn_: 1
            }
        );
        assert_eq!(
            report.overlap["country"],
            Counts {
                tp: 2,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(report.errors.len(), 1);
        assert_eq!(
            (report.errors[0].what, report.errors[0].text.as_str()),
            ("false positive", "forces")
        );
    }
}
