//! A learned topic model: a readable, editable TSV file of tag weights.
//!
//! ```text
//! # entopic topic model
//! # method: one-vs-rest linear SVM (L2-regularized squared hinge loss, dual coordinate descent)
//! # features: stemmed unigrams and bigrams; (1 + ln tf) × idf, L2-normalized
//! # params: C=1 min_df=2 max_epochs=1000 tolerance=0.01 seed=42
//! # trained on: 2000 documents, 5 tags, 41234 features
//! # labels: single
//! # score: 1 / (1 + exp(-(bias + sum of weight × feature))); 0.5 is the decision boundary
//! tag→term→weight
//! Sanctions→(bias)→-0.734512
//! Sanctions→asset freeze→1.204877
//! (idf)→asset freeze→5.317
//! ```
//! (`→` is a tab.)
//!
//! Rows: `TAG (bias) B` — the tag's bias; `TAG TERM W` — the weight of a term (one word or two
//! consecutive words, stemmed on load like documents, so any form of the words works);
//! `(idf) TERM IDF` — the term's idf. A weighted term with no idf row (an analyst's addition)
//! gets the largest idf of the file, like a term seen in one training document.
//!
//! A document's score for a tag is `σ(m) = 1 / (1 + e^-m)` of its decision value
//! `m = bias + Σ weight × tf-idf`, so 0.5 (the default threshold) is the SVM's decision boundary,
//! and scores are comparable across document lengths (the feature vector has length 1). A model
//! reports every tag at or over the threshold, whether it was trained with one label per document
//! (`# labels: single`) or several (`# labels: multi`): a document that fits none of its tags gets
//! none. Only on request — `--single-label`, or a `# report: best` header line — does a model give
//! every document its best tag whatever the score (what a single-label classifier means).

use super::features::{tfidf, tokens, Vocabulary};
use crate::classify::{round4, sort_evidence, sort_scores, weighted_row, HEADER};
use crate::document::{Evidence, TopicScore};
use crate::tsv::{self, ErrorKind, Row, Rows, TsvError};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// Term of the bias rows.
const BIAS: &str = "(bias)";
/// Tag of the idf rows.
const IDF: &str = "(idf)";
/// The header line that asks for the best tag whatever its score: `# report: best`.
const REPORT: &str = "report:";

/// A loaded or trained model. Scoring takes `&self` and is thread-safe.
#[derive(Debug, Clone)]
pub struct TopicModel {
    name: Arc<str>,
    vocabulary: Vocabulary,
    tags: Vec<String>,
    /// Per tag: weight of each feature (dense).
    weights: Vec<Vec<f64>>,
    bias: Vec<f64>,
    single_label: bool,
    /// Report the best tag whatever its score (`--single-label`, `# report: best`).
    best_only: bool,
    /// The header comment lines, without `# `.
    header: Vec<String>,
}

/// A model file could not be read: `path:line: message`, or `path: message` for the file as a
/// whole.
pub type ModelError = TsvError;

impl TopicModel {
    /// A freshly trained model (see [`super::train`]).
    pub(crate) fn new(
        vocabulary: Vocabulary,
        tags: Vec<String>,
        weights: Vec<Vec<f64>>,
        bias: Vec<f64>,
        single_label: bool,
        params: String,
        documents: usize,
    ) -> TopicModel {
        let header = vec![
            "entopic topic model".to_string(),
            "method: one-vs-rest linear SVM (L2-regularized squared hinge loss, dual coordinate descent)".into(),
            "features: stemmed unigrams and bigrams; (1 + ln tf) × idf, L2-normalized".into(),
            format!("params: {params}"),
            format!(
                "trained on: {documents} documents, {} tags, {} features",
                tags.len(),
                vocabulary.len()
            ),
            format!("labels: {}", if single_label { "single" } else { "multi" }),
            "score: 1 / (1 + exp(-(bias + sum of weight × feature))); 0.5 is the decision boundary".into(),
        ];
        TopicModel {
            name: "model".into(),
            vocabulary,
            tags,
            weights,
            bias,
            single_label,
            best_only: false,
            header,
        }
    }

    /// The name scores of this model carry as their source (the file name when loaded).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tags it can give, in model order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// Trained on documents with one label each (the `# labels:` header line).
    pub fn single_label(&self) -> bool {
        self.single_label
    }

    /// Whether the model gives every document its best tag, whatever its score.
    pub fn best_only(&self) -> bool {
        self.best_only
    }

    /// From now on, give every document the best tag whatever its score (`--single-label`).
    /// Recorded as a `# report: best` header line, so the model's text (and its fingerprint for
    /// `--resume`) says so.
    pub fn report_best_only(&mut self) {
        if !self.best_only {
            self.best_only = true;
            self.header.push(format!("{REPORT} best"));
        }
    }

    /// Decision values (bias + Σ weight × feature) of a tf-idf vector, per tag.
    pub fn margins(&self, vector: &[(u32, f64)]) -> Vec<f64> {
        self.weights
            .iter()
            .zip(&self.bias)
            .map(|(w, b)| b + vector.iter().map(|&(f, x)| w[f as usize] * x).sum::<f64>())
            .collect()
    }

    /// The feature vector of a stem-id sequence (see [`Vocabulary::stem_ids`]).
    pub fn vector_of(&self, stems: &[Option<u32>]) -> (Vec<(u32, f64)>, FxHashMap<u32, u32>) {
        let counts = self.vocabulary.counts(stems);
        (tfidf(&counts, &self.vocabulary.idf), counts)
    }

    /// Every tag's score for a text, highest first, with all of its evidence.
    pub fn score_text(&self, text: &str) -> Vec<TopicScore> {
        self.score_tokens(&tokens(text))
    }

    /// Every tag's score for a folded text (what the pipeline has at hand), with all evidence.
    pub fn score_folded(&self, folded: &str) -> Vec<TopicScore> {
        self.score_tokens(&folded_tokens(folded))
    }

    fn score_tokens<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<TopicScore> {
        let (vector, counts) = self.vector_of(&self.vocabulary.stem_ids(tokens));
        let margins = self.margins(&vector);
        let mut scores: Vec<TopicScore> = (0..self.tags.len())
            .map(|t| self.topic_score(t, margins[t], &vector, &counts, usize::MAX))
            .collect();
        sort_scores(&mut scores);
        scores
    }

    /// One tag's score with its strongest `keep` pieces of evidence.
    fn topic_score(
        &self,
        t: usize,
        margin: f64,
        vector: &[(u32, f64)],
        counts: &FxHashMap<u32, u32>,
        keep: usize,
    ) -> TopicScore {
        let mut evidence: Vec<(u32, f64)> = vector
            .iter()
            .map(|&(f, x)| (f, self.weights[t][f as usize] * x))
            .filter(|&(_, c)| c != 0.0)
            .collect();
        evidence.sort_by(|a, b| {
            b.1.abs().total_cmp(&a.1.abs()).then_with(|| {
                self.vocabulary.terms[a.0 as usize].cmp(&self.vocabulary.terms[b.0 as usize])
            })
        });
        evidence.truncate(keep);
        let mut evidence: Vec<Evidence> = evidence
            .into_iter()
            .map(|(f, c)| Evidence {
                term: self.vocabulary.terms[f as usize].clone(),
                count: counts[&f] as usize,
                contribution: c,
            })
            .collect();
        sort_evidence(&mut evidence);
        TopicScore {
            tag: self.tags[t].clone(),
            scheme: None,
            score: round4(sigmoid(margin)),
            raw: margin,
            source: self.name.clone(),
            evidence,
        }
    }

    /// The tags a document gets, with their strongest `keep` pieces of evidence: those scoring at
    /// or over `threshold`, or the best one whatever its score when [`TopicModel::best_only`]. Only the chosen
    /// tags' evidence is gathered, so this is the fast path for `extract`.
    pub fn choose(&self, folded: &str, threshold: f64, keep: usize) -> Vec<TopicScore> {
        let (vector, counts) = self.vector_of(&self.vocabulary.stem_ids(&folded_tokens(folded)));
        let margins = self.margins(&vector);
        let mut chosen: Vec<usize> = (0..self.tags.len()).collect();
        // Highest decision value first; ties by tag, as in `sort_scores`.
        chosen.sort_by(|&a, &b| {
            margins[b]
                .total_cmp(&margins[a])
                .then_with(|| self.tags[a].cmp(&self.tags[b]))
        });
        if self.best_only {
            chosen.truncate(1);
        } else {
            chosen.retain(|&t| round4(sigmoid(margins[t])) >= threshold);
        }
        chosen
            .into_iter()
            .map(|t| self.topic_score(t, margins[t], &vector, &counts, keep))
            .collect()
    }

    /// The model as TSV (see the module docs); weights rounded to 6 decimals, zeros left out.
    pub fn to_tsv(&self) -> String {
        let mut s = String::new();
        for line in &self.header {
            let _ = writeln!(s, "# {line}");
        }
        s.push_str("tag\tterm\tweight\n");
        for (t, tag) in self.tags.iter().enumerate() {
            let _ = writeln!(s, "{tag}\t{BIAS}\t{}", fmt6(self.bias[t]));
            let mut rows: Vec<(usize, f64)> = self.weights[t]
                .iter()
                .enumerate()
                .map(|(f, &w)| (f, round6(w)))
                .filter(|&(_, w)| w != 0.0)
                .collect();
            // Strongest first, so the top of each tag's block is what it responds to.
            rows.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
            for (f, w) in rows {
                let _ = writeln!(s, "{tag}\t{}\t{}", self.vocabulary.terms[f], fmt6(w));
            }
        }
        for (f, term) in self.vocabulary.terms.iter().enumerate() {
            let _ = writeln!(s, "{IDF}\t{term}\t{}", fmt6(self.vocabulary.idf[f]));
        }
        s
    }

    /// Reads a model file; `path` names it in messages and in the scores' source.
    pub fn from_tsv(path: &str, text: &str) -> Result<TopicModel, ModelError> {
        let header: Vec<String> = tsv::leading_comments(text).map(String::from).collect();
        let labels = header
            .iter()
            .filter_map(|c| c.strip_prefix("labels:"))
            .next_back();
        let single_label = labels.is_some_and(|l| l.trim() == "single");
        let report = header
            .iter()
            .filter_map(|c| c.strip_prefix(REPORT))
            .next_back();
        let best_only = report.is_some_and(|r| r.trim() == "best");
        let mut rows = Rows::new(path, text);
        match rows.next() {
            None => return Err(TsvError::file(path, "no header row (tag, term, weight)")),
            Some(row) if !row.is_header(&HEADER) => {
                return Err(row.error(ErrorKind::Header("tag, term, weight")))
            }
            Some(_) => {}
        }
        let mut idfs = Vec::new();
        let mut weighted = Vec::new();
        for row in rows {
            let (tag, term, weight) = weighted_row(&row)?;
            if tag != IDF {
                weighted.push((row, tag, term, weight));
            } else if weight <= 0.0 {
                return Err(row.invalid(format!("idf of {term:?} must be positive")));
            } else {
                idfs.push((row, term, weight));
            }
        }
        let mut vocabulary = Vocabulary::default();
        let default_idf = add_idfs(&mut vocabulary, &idfs)?;
        let (tags, bias, entries) = read_weights(&mut vocabulary, &weighted, default_idf)?;
        if tags.is_empty() {
            return Err(TsvError::file(
                path,
                "no tags: the model has no weight rows",
            ));
        }
        let mut weights = vec![vec![0.0; vocabulary.len()]; tags.len()];
        for (t, f, w) in entries {
            weights[t][f as usize] = w;
        }
        let name = std::path::Path::new(path)
            .file_name()
            .map_or(path.to_string(), |n| n.to_string_lossy().into_owned());
        Ok(TopicModel {
            name: name.into(),
            vocabulary,
            tags,
            weights,
            bias: bias.into_iter().map(|b| b.unwrap_or(0.0)).collect(),
            single_label,
            best_only,
            header,
        })
    }

    /// Reads a model file from disk.
    pub fn load(path: &std::path::Path) -> Result<TopicModel, ModelError> {
        let shown = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| TsvError::file(&shown, e.to_string()))?;
        TopicModel::from_tsv(&shown, &text)
    }
}

/// A `(idf)` row and what it says.
type IdfRow<'a> = (Row<'a>, &'a str, f64);
/// A weight row: its tag, term (or `(bias)`) and weight.
type WeightRow<'a> = (Row<'a>, &'a str, &'a str, f64);

/// The stems of a model term, which must be one or two words of two or more letters.
fn term_stems(v: &mut Vocabulary, row: &Row, term: &str) -> Result<Vec<u32>, TsvError> {
    let stems = v.term_stems(term);
    let short = term_words(term).any(|w| w.chars().count() < 2);
    if stems.is_empty() || stems.len() > 2 || short {
        let message = format!("term {term:?} must be one or two words of two or more letters");
        Err(row.invalid(message))
    } else {
        Ok(stems)
    }
}

/// Adds the features the `(idf)` rows define, in file order; returns the idf a weighted term
/// without an `(idf)` row gets (the largest, as for a term unseen in training).
fn add_idfs(vocabulary: &mut Vocabulary, idfs: &[IdfRow]) -> Result<f64, TsvError> {
    let mut idf_of: HashMap<Vec<u32>, (usize, f64)> = HashMap::new();
    for (row, term, idf) in idfs {
        let stems = term_stems(vocabulary, row, term)?;
        if let Some((first, _)) = idf_of.insert(stems, (row.line(), *idf)) {
            let message = format!("second idf for {term:?} (first at line {first})");
            return Err(row.invalid(message));
        }
    }
    for (_, term, _) in idfs {
        let stems = vocabulary.term_stems(term);
        let (_, idf) = idf_of[&stems];
        vocabulary.add_feature(&stems, term.to_string(), idf);
    }
    Ok(idfs.iter().map(|(_, _, x)| *x).fold(1.0, f64::max))
}

/// The tags in file order, each one's bias, and the (tag, feature, weight) entries.
#[allow(clippy::type_complexity)]
fn read_weights(
    vocabulary: &mut Vocabulary,
    weighted: &[WeightRow],
    default_idf: f64,
) -> Result<(Vec<String>, Vec<Option<f64>>, Vec<(usize, u32, f64)>), TsvError> {
    let mut tags: Vec<String> = Vec::new();
    let mut bias: Vec<Option<f64>> = Vec::new();
    let mut entries: Vec<(usize, u32, f64)> = Vec::new();
    let mut seen: HashMap<(usize, u32), usize> = HashMap::new();
    for (row, tag, term, weight) in weighted {
        let t = match tags.iter().position(|x| x == tag) {
            Some(t) => t,
            None => {
                tags.push(tag.to_string());
                bias.push(None);
                tags.len() - 1
            }
        };
        if *term == BIAS {
            if bias[t].replace(*weight).is_some() {
                return Err(row.invalid(format!("second bias for {tag:?}")));
            }
            continue;
        }
        let stems = term_stems(vocabulary, row, term)?;
        let feature = vocabulary
            .add_feature(&stems, term.to_string(), default_idf)
            .expect("one or two stems");
        if let Some(first) = seen.insert((t, feature), row.line()) {
            let message = format!("{tag:?} already has a weight for {term:?} (line {first})");
            return Err(row.invalid(message));
        }
        entries.push((t, feature, *weight));
    }
    Ok((tags, bias, entries))
}

/// The words of a folded text worth a feature (see [`super::features::keep_word`]).
fn folded_tokens(folded: &str) -> Vec<&str> {
    crate::classify::words(folded)
        .filter(|w| super::features::keep_word(w))
        .collect()
}

fn term_words(term: &str) -> impl Iterator<Item = String> {
    let folded = crate::normalize::fold(term).text;
    crate::classify::words(&folded)
        .map(String::from)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The logistic function: decision value → score in (0, 1).
pub fn sigmoid(m: f64) -> f64 {
    1.0 / (1.0 + (-m).exp())
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn fmt6(x: f64) -> String {
    let s = format!("{:.6}", round6(x));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "# entopic topic model\n# labels: multi\ntag\tterm\tweight\n\
        Sanctions\t(bias)\t-0.5\n\
        Sanctions\tasset freeze\t2\n\
        Sanctions\tsanctions\t1.5\n\
        Sport\t(bias)\t-1\n\
        Sport\tgoal\t3\n\
        Sport\tsanctions\t-1\n\
        (idf)\tasset freeze\t2\n\
        (idf)\tsanctions\t1\n";

    #[test]
    fn scores_are_the_sigmoid_of_the_decision_value_with_evidence() {
        let model = TopicModel::from_tsv("m.tsv", MODEL).unwrap();
        assert_eq!(model.tags(), ["Sanctions", "Sport"]);
        assert!(!model.single_label());
        let scores = model.score_text("New sanctions: an asset freeze. Sanctioned!");
        // tf-idf: sanction (1 + ln 2)·1 = 1.6931, asset freeze 1·2 = 2 (goal, idf 2 by default,
        // absent); length 2.6204 → 0.6461, 0.7632. Sanctions: −0.5 + 1.5·0.6461 + 2·0.7632.
        let s = &scores[0];
        assert_eq!(s.tag, "Sanctions");
        assert!((s.raw - 1.9956).abs() < 1e-3, "{}", s.raw);
        assert_eq!(s.score, round4(sigmoid(s.raw)));
        assert_eq!(&*s.source, "m.tsv");
        let ev: Vec<(&str, usize)> = s
            .evidence
            .iter()
            .map(|e| (e.term.as_str(), e.count))
            .collect();
        assert_eq!(ev, [("asset freeze", 1), ("sanctions", 2)]);
        let sport = &scores[1];
        assert!((sport.raw - (-1.0 - 0.6461)).abs() < 1e-3);
        assert_eq!(sport.evidence[0].term, "sanctions");
        assert!(sport.evidence[0].contribution < 0.0);
        let chosen = model.choose(
            &crate::normalize::fold("sanctions and an asset freeze").text,
            0.5,
            1,
        );
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].tag, "Sanctions");
        assert_eq!(chosen[0].evidence.len(), 1);
        assert_eq!(chosen[0].evidence[0].term, "asset freeze");
    }

    /// A model trained with one label per document applies the threshold like any other; the
    /// best tag whatever its score only on request.
    #[test]
    fn single_label_models_apply_the_threshold_unless_asked_for_the_best_tag() {
        let single = MODEL.replace("# labels: multi", "# labels: single");
        let mut model = TopicModel::from_tsv("m.tsv", &single).unwrap();
        assert!(model.single_label() && !model.best_only());
        let folded = crate::normalize::fold("Nothing about either here.").text;
        assert!(model.choose(&folded, 0.5, 1).is_empty());
        let before = model.to_tsv();
        model.report_best_only();
        assert_eq!(model.choose(&folded, 0.5, 1)[0].tag, "Sanctions");
        assert!(model.to_tsv().contains("# report: best\n"));
        assert_ne!(model.to_tsv(), before);
        let again = TopicModel::from_tsv("m.tsv", &model.to_tsv()).unwrap();
        assert!(again.best_only());
    }

    #[test]
    fn round_trips_through_tsv() {
        let model = TopicModel::from_tsv("m.tsv", MODEL).unwrap();
        let again = TopicModel::from_tsv("m.tsv", &model.to_tsv()).unwrap();
        assert_eq!(model.to_tsv(), again.to_tsv());
        let text = "A goal, sanctions and an asset freeze.";
        assert_eq!(model.score_text(text), again.score_text(text));
    }

    #[test]
    fn bad_rows_name_their_line() {
        let cases = [
            ("tag\tterm\n", "m.tsv:1: header must be: tag, term, weight"),
            (
                "tag\tterm\tweight\nA\tx y z\t1\n",
                "m.tsv:2: term \"x y z\" must be one or two words of two or more letters",
            ),
            (
                "tag\tterm\tweight\nA\tgoal\tmany\n",
                "m.tsv:2: weight \"many\" is not a number",
            ),
            (
                "tag\tterm\tweight\nA\tgoal\t1\nA\tgoals\t2\n",
                "m.tsv:3: \"A\" already has a weight for \"goals\" (line 2)",
            ),
            (
                "tag\tterm\tweight\nA\t(bias)\t1\nA\t(bias)\t2\n",
                "m.tsv:3: second bias for \"A\"",
            ),
            (
                "tag\tterm\tweight\n(idf)\tgoal\t0\n",
                "m.tsv:2: idf of \"goal\" must be positive",
            ),
            (
                "# only a comment\n",
                "m.tsv: no header row (tag, term, weight)",
            ),
        ];
        for (text, message) in cases {
            let e = TopicModel::from_tsv("m.tsv", text).unwrap_err();
            assert_eq!(e.to_string(), message);
        }
    }
}
