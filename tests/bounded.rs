//! Every document bounded: a document naming hundreds of entities makes a bounded number of
//! co-occurrence pairs (see `MAX_PAIRS` in docs/output.md), driving the real binary.

mod common;

use common::{root, run, stderr};

/// The canonical names of the first `n` countries of the bundled dictionary.
fn countries(n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("dictionaries/countries.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').nth(1).unwrap().to_string())
        .take(n)
        .collect()
}

fn cooccurrence_rows(text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("list.txt");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "csv",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("cooccurrence.csv")).unwrap();
    csv.lines().skip(1).map(String::from).collect()
}

#[test]
fn a_document_naming_every_country_makes_a_bounded_number_of_pairs() {
    // One sentence naming 200 countries: the pairs among its first 64 distinct entities.
    let rows = cooccurrence_rows(&format!(
        "Delegates came from {}.",
        countries(200).join(", ")
    ));
    assert_eq!(rows.len(), 64 * 63 / 2);
    assert!(rows.iter().all(|r| r.ends_with(",1,1")), "{:?}", &rows[..3]);
}

#[test]
fn a_document_with_few_entities_counts_every_pair() {
    // Three sentences, four countries: all six pairs, also those that share no sentence.
    let rows = cooccurrence_rows("Peru and Chile met. Peru spoke. Oman and Kenya met.");
    assert_eq!(rows.len(), 6);
    assert!(
        rows.iter()
            .any(|r| r.contains("CHL,Chile,country,PER,Peru,1,1")),
        "{rows:?}"
    );
    assert!(rows.iter().any(|r| r.ends_with(",1,0")), "{rows:?}");
}
