//! Learning tag weights from labelled documents: one-vs-rest linear SVMs on tf-idf features.
//!
//! In: labelled documents. Out: a [`TopicModel`] — per tag, a weight for every unigram and bigram
//! feature and a bias.
//!
//! Method (the usual strong baseline for text classification, as in scikit-learn's
//! `TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))` + `LinearSVC`): features are stemmed
//! unigrams and bigrams seen in at least `min_df` training documents, weighted by
//! `(1 + ln tf) × idf` and L2-normalized ([`super::features`]). For each tag, a linear SVM
//! (L2-regularized squared hinge loss, the bias learned as the weight of a constant feature) is
//! fitted by dual coordinate descent (Hsieh et al., ICML 2008, the LIBLINEAR solver), visiting
//! documents in an order shuffled by a seeded generator, so the same input and options always
//! give the same model. Training is linear in the number of non-zero features per pass.

use super::features::{idf, tfidf, tokens, Vocabulary};
use super::labelled::Labelled;
use super::model::TopicModel;
use crate::classify::stem;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// Options of [`train`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Inverse regularization strength (larger fits the training data more closely).
    pub c: f64,
    /// A feature must occur in at least this many training documents.
    pub min_df: usize,
    /// Most passes over the data per tag.
    pub max_epochs: usize,
    /// Stop when the projected gradient's spread falls below this.
    pub tolerance: f64,
    /// Seed of the visiting order.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            c: 1.0,
            min_df: 2,
            max_epochs: 1000,
            tolerance: 0.01,
            seed: 42,
        }
    }
}

/// Training could not start.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TrainError {
    #[error("no labelled documents to learn from")]
    NoLabels,
    #[error("only one tag ({0:?}) in the labels: a classifier needs at least two")]
    OneTag(String),
}

/// Documents stemmed once, so that cross-validation folds share the work.
#[derive(Debug)]
pub struct Corpus {
    /// Stem id → stem.
    stems: Vec<String>,
    /// Stem id → the word most often seen with that stem (how terms are written in the model).
    surface: Vec<String>,
    /// Per document: its words' stem ids, in order.
    docs: Vec<Vec<u32>>,
}

impl Corpus {
    /// Folds, splits and stems every text.
    pub fn new<'a>(texts: impl IntoParallelIterator<Item = &'a str>) -> Corpus {
        let tokenized: Vec<Vec<String>> = texts.into_par_iter().map(tokens).collect();
        let mut word_ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut words: Vec<&str> = Vec::new();
        let docs_words: Vec<Vec<u32>> = tokenized
            .iter()
            .map(|doc| {
                doc.iter()
                    .map(|w| {
                        *word_ids.entry(w.as_str()).or_insert_with(|| {
                            words.push(w.as_str());
                            words.len() as u32 - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let word_stems: Vec<String> = words.par_iter().map(|w| stem(w)).collect();
        let mut stem_ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut stems: Vec<String> = Vec::new();
        let word_to_stem: Vec<u32> = word_stems
            .iter()
            .map(|s| {
                *stem_ids.entry(s.as_str()).or_insert_with(|| {
                    stems.push(s.clone());
                    stems.len() as u32 - 1
                })
            })
            .collect();
        // The most frequent word of each stem (ties: the alphabetically first).
        let mut word_freq = vec![0usize; words.len()];
        for doc in &docs_words {
            for &w in doc {
                word_freq[w as usize] += 1;
            }
        }
        let mut best: Vec<Option<u32>> = vec![None; stems.len()];
        for (w, &s) in word_to_stem.iter().enumerate() {
            let slot = &mut best[s as usize];
            let better = match *slot {
                None => true,
                Some(b) => {
                    let (fw, fb) = (word_freq[w], word_freq[b as usize]);
                    fw > fb || (fw == fb && words[w] < words[b as usize])
                }
            };
            if better {
                *slot = Some(w as u32);
            }
        }
        let surface = best
            .iter()
            .map(|b| b.map(|w| words[w as usize].to_string()).unwrap_or_default())
            .collect();
        let docs = docs_words
            .iter()
            .map(|d| d.iter().map(|&w| word_to_stem[w as usize]).collect())
            .collect();
        Corpus {
            stems,
            surface,
            docs,
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// A vocabulary holding every stem of the corpus with the same id, and no features yet.
    fn vocabulary(&self) -> Vocabulary {
        let mut v = Vocabulary::default();
        for s in &self.stems {
            v.stem_id(s);
        }
        v
    }

    /// Stem ids of document `i`, as a vocabulary built by [`Corpus::vocabulary`] sees them.
    pub fn stem_ids(&self, i: usize) -> Vec<Option<u32>> {
        self.docs[i].iter().map(|&s| Some(s)).collect()
    }
}

/// A feature key: one stem, or two (`u32::MAX` as the second for a unigram).
type Key = (u32, u32);

/// Trains a model on all documents.
pub fn train(docs: &[Labelled], options: &TrainOptions) -> Result<TopicModel, TrainError> {
    let corpus = Corpus::new(docs.par_iter().map(|d| d.text.as_str()));
    let labels: Vec<&[String]> = docs.iter().map(|d| d.labels.as_slice()).collect();
    let all: Vec<usize> = (0..docs.len()).collect();
    fit(&corpus, &labels, &all, options)
}

/// Trains a model on the documents `train` of a corpus (indices), with their labels.
pub fn fit(
    corpus: &Corpus,
    labels: &[&[String]],
    train: &[usize],
    options: &TrainOptions,
) -> Result<TopicModel, TrainError> {
    // Tags in order of first appearance.
    let mut tags: Vec<String> = Vec::new();
    for &i in train {
        for l in labels[i] {
            if !tags.contains(l) {
                tags.push(l.clone());
            }
        }
    }
    match tags.len() {
        0 => return Err(TrainError::NoLabels),
        1 => return Err(TrainError::OneTag(tags[0].clone())),
        _ => {}
    }
    let single_label = train.iter().all(|&i| labels[i].len() == 1);

    // Document frequencies of unigrams and bigrams.
    let doc_keys: Vec<Vec<Key>> = train
        .par_iter()
        .map(|&i| {
            let d = &corpus.docs[i];
            let mut keys: Vec<Key> = d.iter().map(|&s| (s, u32::MAX)).collect();
            keys.extend(d.windows(2).map(|w| (w[0], w[1])));
            keys
        })
        .collect();
    let mut df: FxHashMap<Key, usize> = FxHashMap::default();
    for keys in &doc_keys {
        let unique: FxHashSet<&Key> = keys.iter().collect();
        for &k in unique {
            *df.entry(k).or_default() += 1;
        }
    }
    let mut kept: Vec<(Key, usize)> = df
        .into_iter()
        .filter(|&(_, n)| n >= options.min_df.max(1))
        .collect();
    kept.sort_unstable();
    let mut vocabulary = corpus.vocabulary();
    for &((a, b), n) in &kept {
        let weight = idf(train.len(), n);
        if b == u32::MAX {
            let term = corpus.surface[a as usize].clone();
            vocabulary.add_feature(&[a], term, weight);
        } else {
            let term = format!(
                "{} {}",
                corpus.surface[a as usize], corpus.surface[b as usize]
            );
            vocabulary.add_feature(&[a, b], term, weight);
        }
    }
    let rows: Vec<Vec<(u32, f64)>> = train
        .par_iter()
        .map(|&i| {
            let counts = vocabulary.counts(&corpus.stem_ids(i));
            tfidf(&counts, &vocabulary.idf)
        })
        .collect();

    let solved: Vec<(Vec<f64>, f64)> = tags
        .par_iter()
        .map(|tag| {
            let y: Vec<f64> = train
                .iter()
                .map(|&i| if labels[i].contains(tag) { 1.0 } else { -1.0 })
                .collect();
            svm(&rows, &y, vocabulary.len(), options)
        })
        .collect();
    let (weights, bias): (Vec<Vec<f64>>, Vec<f64>) = solved.into_iter().unzip();
    let params = format!(
        "C={} min_df={} max_epochs={} tolerance={} seed={}",
        options.c, options.min_df, options.max_epochs, options.tolerance, options.seed
    );
    Ok(TopicModel::new(
        vocabulary,
        tags,
        weights,
        bias,
        single_label,
        params,
        train.len(),
    ))
}

/// Dual coordinate descent for an L2-regularized, squared-hinge-loss linear SVM with a bias
/// (a constant feature of value 1). Returns (weights, bias).
fn svm(rows: &[Vec<(u32, f64)>], y: &[f64], dim: usize, options: &TrainOptions) -> (Vec<f64>, f64) {
    let n = rows.len();
    let diag = 0.5 / options.c;
    let mut w = vec![0.0; dim];
    let mut b = 0.0;
    let mut alpha = vec![0.0; n];
    let q: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().map(|(_, x)| x * x).sum::<f64>() + 1.0 + diag)
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix64(options.seed);
    for _ in 0..options.max_epochs {
        rng.shuffle(&mut order);
        let (mut max_pg, mut min_pg) = (f64::NEG_INFINITY, f64::INFINITY);
        for &i in &order {
            let row = &rows[i];
            let margin = row.iter().map(|&(f, x)| w[f as usize] * x).sum::<f64>() + b;
            let g = y[i] * margin - 1.0 + diag * alpha[i];
            let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            max_pg = max_pg.max(pg);
            min_pg = min_pg.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (old - g / q[i]).max(0.0);
                let d = (alpha[i] - old) * y[i];
                for &(f, x) in row {
                    w[f as usize] += d * x;
                }
                b += d;
            }
        }
        if max_pg - min_pg <= options.tolerance {
            break;
        }
    }
    (w, b)
}

/// A small, well-mixed deterministic generator (SplitMix64), for the visiting order.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fisher–Yates.
    fn shuffle(&mut self, items: &mut [usize]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, labels: &[&str]) -> Labelled {
        Labelled {
            text: text.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
        }
    }

    #[test]
    fn learns_separable_tags_and_is_deterministic() {
        let docs = [
            doc("the striker scored a goal in the match", &["sport"]),
            doc("a late goal won the match for the club", &["sport"]),
            doc("the club signed a striker before the match", &["sport"]),
            doc("parliament passed the budget after a vote", &["politics"]),
            doc("the vote in parliament delayed the budget", &["politics"]),
            doc("the minister lost the vote on the budget", &["politics"]),
        ];
        let model = train(&docs, &TrainOptions::default()).unwrap();
        assert_eq!(model.tags(), ["sport", "politics"]);
        assert!(model.single_label());
        let top = |text: &str| model.score_text(text)[0].tag.clone();
        assert_eq!(top("a goal in the match"), "sport");
        assert_eq!(top("parliament and the budget vote"), "politics");
        let again = train(&docs, &TrainOptions::default()).unwrap();
        assert_eq!(model.to_tsv(), again.to_tsv());
    }

    #[test]
    fn needs_two_tags() {
        let options = TrainOptions::default();
        assert_eq!(
            train(&[doc("a b", &[])], &options).unwrap_err(),
            TrainError::NoLabels
        );
        assert_eq!(
            train(&[doc("a b", &["x"]), doc("c d", &["x"])], &options).unwrap_err(),
            TrainError::OneTag("x".into())
        );
    }

    #[test]
    fn surface_forms_are_the_most_frequent_word_of_each_stem() {
        let corpus = Corpus::new(["Sanctions and sanctions, one sanctioned bank"]);
        let i = corpus.stems.iter().position(|s| s == "sanction").unwrap();
        assert_eq!(corpus.surface[i], "sanctions");
        assert_eq!(corpus.len(), 1);
    }
}
