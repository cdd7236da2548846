//! Every document bounded, driving the real binary: a document naming hundreds of entities makes
//! a bounded number of co-occurrence pairs (see `MAX_PAIRS` in docs/output.md), and a dense
//! document costs memory in proportion to its mentions, not to the 30 times larger output it
//! renders (a document's output goes to a temporary file past `export::SPILL` bytes).

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

/// Runs `extract --format csv,jsonl --jobs 1` on one document; returns the output folder's
/// `run.json`.
fn extract_one(dir: &std::path::Path, name: &str, text: &str, resume: bool) -> serde_json::Value {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join(name), text).unwrap();
    let out = dir.join(format!("out-{name}"));
    let (input, out_arg) = (input.join(name), out.to_str().unwrap().to_string());
    let mut args = vec!["extract", input.to_str().unwrap(), "--out", &out_arg];
    args.extend(["--format", "csv,jsonl", "--jobs", "1", "--quiet"]);
    if resume {
        args.push("--resume");
    }
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap()
}

/// "China " over and over, `bytes` long: a mention every six bytes.
fn dense(bytes: usize) -> String {
    "China ".repeat(bytes / 6)
}

#[cfg(target_os = "linux")]
#[test]
fn a_dense_document_costs_memory_in_proportion_to_its_mentions() {
    // 512 KB of "China China …": 87,381 mentions, 20 MB of JSON and CSV rows. Rendered whole
    // (as before), the run grew by some 200 times the text (100 MB); streamed, by some 40.
    let dir = tempfile::tempdir().unwrap();
    let size = 512 * 1024;
    let peak = |info: &serde_json::Value| info["peak_memory_mb"].as_f64().unwrap();
    let small = peak(&extract_one(
        dir.path(),
        "small.txt",
        "China said no.",
        false,
    ));
    let info = extract_one(dir.path(), "dense.txt", &dense(size), false);
    assert_eq!(info["mentions"]["country"], size / 6);
    let grown = peak(&info) - small;
    let limit = 80.0 * size as f64 / 1e6;
    assert!(grown < limit, "grew {grown} MB (limit {limit:.0} MB)");
}

#[test]
fn a_dense_document_spilled_while_waiting_is_written_exactly() {
    // 64 KB of text, so each of its outputs passes the in-memory limit and goes through a
    // temporary file; then --resume copies it back, which only happens if the checksums
    // computed while rendering match the bytes written.
    let dir = tempfile::tempdir().unwrap();
    let text = dense(64 * 1024);
    let n = text.len() / 6;
    extract_one(dir.path(), "dense.txt", &text, false);
    let out = dir.path().join("out-dense.txt");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let (jsonl, csv) = (read("documents.jsonl"), read("mentions.csv"));
    assert!(jsonl.len() > entopic::export::SPILL && csv.len() > entopic::export::SPILL);
    let record: serde_json::Value =
        serde_json::from_str(jsonl.strip_suffix('\n').unwrap()).unwrap();
    let entities = record["entities"].as_array().unwrap();
    assert_eq!(entities.len(), n);
    let last = &entities[n - 1];
    assert_eq!(last["text"], "China");
    assert_eq!(
        (&last["start"], &last["end"]),
        (&((n - 1) * 6).into(), &((n - 1) * 6 + 5).into())
    );
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), n + 1);
    let (start, end) = (((n - 1) * 6).to_string(), ((n - 1) * 6 + 5).to_string());
    let cells: Vec<&str> = rows[n].split(',').collect();
    let want = [
        "country", "CHN", "China", "China", &start, &end, &start, &end, "name",
    ];
    assert_eq!(cells[1..10], want, "{}", rows[n]);
    let info = extract_one(dir.path(), "dense.txt", &text, true);
    assert_eq!(info["carried_over"], 1);
    assert_eq!(
        (read("documents.jsonl"), read("mentions.csv")),
        (jsonl, csv)
    );
}
