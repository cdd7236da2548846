//! Regression guard for tagging quality: the bundled dictionaries and rules scored against the
//! gold sets in `tests/gold/` (what `make eval` prints) must stay above the bars below.
//!
//! How the bars were set (2026-11-29): exact-span precision and recall were 1.000 for every type
//! on `entities.jsonl` (in-sample: the rules were developed looking at it) after the context
//! rules landed. The bar is 0.99 so that a dictionary or rule change that costs more than about
//! one error in a hundred fails loudly, while a correction of a single gold label does not.
//!
//! `entities-heldout.jsonl` (220 passages) was annotated by another engineer from the guidelines
//! alone, without seeing the rules. Its first score, before any change made after reading its
//! errors, was precision/recall 0.968/1.000 country, 1.000/1.000 leader, 0.953/0.910 weapon.
//! Since then its errors were read and general fixes made (dictionary gaps, apposition, "in
//! <country>"), so it is no longer blind; it is guarded at the issue's targets, precision 0.97
//! and recall 0.95, which any real regression on unseen-style text would break first.

use entopic::evaluate::evaluate;
use entopic::Pipeline;
use std::path::Path;

fn guard(file: &str, min_precision: f64, min_recall: f64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let pipeline = Pipeline::bundled().unwrap();
    let report = evaluate(&pipeline, &path.display().to_string()).unwrap();
    let mut failures = Vec::new();
    for kind in ["country", "leader", "weapon"] {
        let counts = &report.exact[kind];
        assert!(counts.tp > 50, "{file}: too few {kind} mentions to judge");
        if counts.precision() < min_precision || counts.recall() < min_recall {
            failures.push(format!(
                "{kind}: precision {:.3} (bar {min_precision}), recall {:.3} (bar {min_recall})",
                counts.precision(),
                counts.recall()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{file}:\n{}\nrun `make eval` and `entopic evaluate --gold {file} --errors` to see why",
        failures.join("\n")
    );
}

#[test]
fn entity_gold_stays_above_the_bar() {
    guard("tests/gold/entities.jsonl", 0.99, 0.99);
}

#[test]
fn heldout_entity_gold_meets_the_targets() {
    guard("tests/gold/entities-heldout.jsonl", 0.97, 0.95);
}
