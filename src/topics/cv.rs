//! k-fold cross-validation of a learned topic model.
//!
//! In: labelled documents, k, training options, the score threshold. Out: top-1 accuracy (the
//! best-scoring tag against each document's first label) and per-tag precision, recall and F1 of
//! the tags the model would report (its best tag for single-label data, otherwise every tag at or
//! over the threshold).
//!
//! Folds are deterministic and simple to reproduce elsewhere: document `i` (0-based, file order)
//! is tested in fold `i mod k` and trained on in all the others, so scikit-learn or any other
//! tool can be scored on exactly the same splits. Documents are stemmed once for all folds.

use super::labelled::Labelled;
use super::model::sigmoid;
use super::train::{fit, Corpus, TrainError, TrainOptions};
use crate::evaluate::{tag_table, Counts};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// What cross-validation measured.
#[derive(Debug, Default)]
pub struct CvReport {
    pub folds: usize,
    pub documents: usize,
    /// Documents with at least one label (the ones top-1 accuracy is measured on).
    pub labelled: usize,
    /// Of those, how many had their first label as the best-scoring tag.
    pub correct: usize,
    pub per_tag: BTreeMap<String, Counts>,
    /// Per fold: top-1 accuracy.
    pub fold_accuracy: Vec<f64>,
    /// Time spent training, all folds.
    pub training: Duration,
}

impl CvReport {
    pub fn accuracy(&self) -> f64 {
        if self.labelled == 0 {
            0.0
        } else {
            self.correct as f64 / self.labelled as f64
        }
    }

    /// The report as printed by `entopic topics evaluate`.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} documents, {}-fold cross-validation (document i is tested in fold i mod {})",
            self.documents, self.folds, self.folds
        );
        let folds: Vec<String> = self
            .fold_accuracy
            .iter()
            .map(|a| format!("{a:.3}"))
            .collect();
        let _ = writeln!(
            s,
            "top-1 accuracy: {:.4} ({}/{}); per fold: {}",
            self.accuracy(),
            self.correct,
            self.labelled,
            folds.join(" ")
        );
        let _ = writeln!(
            s,
            "training time, all folds: {:.2} s",
            self.training.as_secs_f64()
        );
        s.push('\n');
        tag_table(&mut s, "tag", &self.per_tag);
        s
    }
}

/// Cross-validates training with `options` over `k` folds.
pub fn cross_validate(
    docs: &[Labelled],
    k: usize,
    options: &TrainOptions,
    threshold: f64,
) -> Result<CvReport, TrainError> {
    let k = k.max(2).min(docs.len().max(2));
    let corpus = Corpus::new(docs.par_iter().map(|d| d.text.as_str()));
    let labels: Vec<&[String]> = docs.iter().map(|d| d.labels.as_slice()).collect();
    let mut report = CvReport {
        folds: k,
        documents: docs.len(),
        ..CvReport::default()
    };
    for fold in 0..k {
        let train: Vec<usize> = (0..docs.len()).filter(|i| i % k != fold).collect();
        let test: Vec<usize> = (0..docs.len()).filter(|i| i % k == fold).collect();
        let started = Instant::now();
        let model = fit(&corpus, &labels, &train, options)?;
        report.training += started.elapsed();
        let (mut correct, mut labelled) = (0, 0);
        for &i in &test {
            let (vector, _) = model.vector_of(&corpus.stem_ids(i));
            let margins = model.margins(&vector);
            // Best tag: highest decision value; ties go to the earlier tag.
            let best = margins
                .iter()
                .enumerate()
                .fold(None, |best: Option<(usize, f64)>, (t, &m)| match best {
                    Some((_, bm)) if bm >= m => best,
                    _ => Some((t, m)),
                })
                .map(|(t, _)| t);
            let gold = labels[i];
            if let Some(first) = gold.first() {
                labelled += 1;
                if best.is_some_and(|t| &model.tags()[t] == first) {
                    correct += 1;
                }
            }
            let predicted: Vec<&str> = if model.single_label() {
                best.map(|t| model.tags()[t].as_str()).into_iter().collect()
            } else {
                model
                    .tags()
                    .iter()
                    .zip(&margins)
                    .filter(|(_, &m)| sigmoid(m) >= threshold)
                    .map(|(t, _)| t.as_str())
                    .collect()
            };
            for tag in predicted
                .iter()
                .copied()
                .chain(gold.iter().map(String::as_str))
            {
                report.per_tag.entry(tag.to_string()).or_default();
            }
            for tag in &predicted {
                let c = report.per_tag.get_mut(*tag).expect("inserted above");
                if gold.iter().any(|g| g == tag) {
                    c.tp += 1;
                } else {
                    c.fp += 1;
                }
            }
            for g in gold {
                if !predicted.contains(&g.as_str()) {
                    report.per_tag.get_mut(g).expect("inserted above").fn_ += 1;
                }
            }
        }
        report.labelled += labelled;
        report.correct += correct;
        report.fold_accuracy.push(if labelled == 0 {
            0.0
        } else {
            correct as f64 / labelled as f64
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_i_mod_k_and_counts_add_up() {
        let texts = [
            ("the striker scored a goal in the match", "sport"),
            ("parliament passed the budget after a vote", "politics"),
            ("a late goal won the match for the club", "sport"),
            ("the vote in parliament delayed the budget", "politics"),
            ("the club signed a striker before the match", "sport"),
            ("the minister lost the vote on the budget", "politics"),
            ("the match ended with a goal from the striker", "sport"),
            ("the budget vote split parliament again", "politics"),
        ];
        let docs: Vec<Labelled> = texts
            .iter()
            .map(|(t, l)| Labelled {
                text: t.to_string(),
                labels: vec![l.to_string()],
            })
            .collect();
        let report = cross_validate(&docs, 4, &TrainOptions::default(), 0.5).unwrap();
        assert_eq!((report.folds, report.documents, report.labelled), (4, 8, 8));
        assert_eq!(report.correct, 8);
        assert_eq!(report.fold_accuracy, [1.0; 4]);
        assert_eq!(
            report.per_tag["sport"],
            Counts {
                tp: 4,
                fp: 0,
                fn_: 0
            }
        );
        let table = report.table();
        assert!(table.starts_with(
            "8 documents, 4-fold cross-validation (document i is tested in fold i mod 4)\n\
             top-1 accuracy: 1.0000 (8/8); per fold: 1.000 1.000 1.000 1.000\n"
        ));
    }
}
