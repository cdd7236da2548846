//! Drives the real `entopic` binary: golden outputs on `data/`, stdin, exit codes, errors.
//!
//! Golden files live in `tests/golden/`; after a reviewed change of output, `make bless`
//! rewrites them (BLESS=1).

mod common;

use common::{entopic, extract_demo, root, run, run_stdin, stderr, stdout};
use std::path::Path;
use std::process::Stdio;

/// Compares with a golden file, or rewrites it under BLESS=1.
fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run `make bless`", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b);
        panic!(
            "{name} differs from the golden file (first differing line: {line:?}); \
             review the change and run `make bless`\nexpected: {:?}\nactual:   {:?}",
            line.and_then(|l| expected.lines().nth(l)),
            line.and_then(|l| actual.lines().nth(l)),
        );
    }
}

#[test]
fn demo_data_matches_golden_jsonl_and_csv() {
    let out = tempfile::tempdir().unwrap();
    let o = extract_demo(out.path(), &["--format", "csv,jsonl", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "", "data goes to files with --out");
    for name in [
        "documents.jsonl",
        "mentions.csv",
        "documents.csv",
        "errors.csv",
    ] {
        let text = std::fs::read_to_string(out.path().join(name)).unwrap();
        golden(name, &text);
    }
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn every_mention_points_at_its_text_in_the_demo_output() {
    let o = run(&["extract", "data", "--exclude", "README.md", "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    let mut checked = 0;
    for line in stdout(&o).lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = record["id"].as_str().unwrap();
        let text = text_of(&record, id);
        let chars: Vec<char> = text.chars().collect();
        for e in record["entities"].as_array().unwrap() {
            let (s, en) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            let (bs, be) = (
                e["byte_start"].as_u64().unwrap() as usize,
                e["byte_end"].as_u64().unwrap() as usize,
            );
            let by_chars: String = chars[s..en].iter().collect();
            assert_eq!(
                by_chars,
                e["text"].as_str().unwrap(),
                "{id} chars {s}..{en}"
            );
            assert_eq!(
                &text[bs..be],
                e["text"].as_str().unwrap(),
                "{id} bytes {bs}..{be}"
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} mentions checked");
}

/// The document text the tool read, recovered through the library (same decoding and extraction).
fn text_of(record: &serde_json::Value, id: &str) -> String {
    let path = record["path"].as_str().unwrap();
    let options = entopic::ingest::InputOptions::default();
    let units = entopic::ingest::Units::new(
        entopic::ingest::walk(&[root().join(path)], &Default::default()),
        options.clone(),
    );
    for unit in units {
        let doc = entopic::ingest::load(unit, &options).unwrap();
        let doc_id = doc.id.replace(&format!("{}/", root().display()), "");
        if doc_id == id || units_single(path) {
            return doc.text;
        }
    }
    panic!("{id} not found in {path}");
}

fn units_single(path: &str) -> bool {
    !matches!(
        Path::new(path).extension().and_then(|e| e.to_str()),
        Some("jsonl" | "csv" | "tsv")
    )
}

#[test]
fn output_is_identical_whatever_the_number_of_jobs() {
    let one = run(&[
        "extract",
        "data",
        "--exclude",
        "README.md",
        "--jobs",
        "1",
        "--quiet",
    ]);
    let two = run(&[
        "extract",
        "data",
        "--exclude",
        "README.md",
        "--jobs",
        "2",
        "--quiet",
    ]);
    let four = run(&[
        "extract",
        "data",
        "--exclude",
        "README.md",
        "--jobs",
        "4",
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(one.stdout, two.stdout);
    let array: Vec<serde_json::Value> = serde_json::from_slice(&four.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout(&one)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(array, lines, "json array holds the same records as jsonl");
}

#[test]
fn stdin_jsonl_carries_fields_through_and_keeps_order() {
    let input = "{\"doc\":\"a\",\"body\":\"Pyongyang fired a Hwasong-15.\",\"source\":\"wire\",\"date\":\"2017-11-29\"}\n\
                 {\"doc\":\"b\",\"body\":\"Nothing here.\"}\n";
    let o = run_stdin(
        &[
            "extract",
            "-",
            "--input-format",
            "jsonl",
            "--id-field",
            "doc",
            "--text-field",
            "body",
            "--quiet",
        ],
        input,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["date"], "2017-11-29");
    assert_eq!(lines[0]["meta"], serde_json::json!({"source": "wire"}));
    let entities: Vec<(&str, &str, u64, u64)> = lines[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap(),
                e["form"].as_str().unwrap(),
                e["start"].as_u64().unwrap(),
                e["end"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entities,
        [("PRK", "capital", 0, 9), ("hwasong-15", "name", 18, 28)]
    );
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[1]["entities"], serde_json::json!([]));
}

#[test]
fn stdin_text_is_one_document() {
    let o = run_stdin(
        &["extract", "-", "--input-format", "text", "--quiet"],
        "Kim Jong Un met Xi Jinping in Beijing.",
    );
    assert_eq!(o.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(r["id"], "<stdin>");
    let ids: Vec<&str> = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["kim-jong-un", "xi-jinping", "CHN"]);
}

#[test]
fn bad_inputs_are_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.txt"), "Iran and Iraq.").unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(d.join("image.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    std::fs::write(d.join("latin1.txt"), b"C\xF4te d'Ivoire").unwrap();
    std::fs::write(
        d.join("feed.jsonl"),
        "{\"text\":\"Cuba\"}\n{oops\n{\"text\":\"Peru\"}\n",
    )
    .unwrap();
    std::fs::write(d.join("table.csv"), "id,body\n1,Chile\n").unwrap();
    std::fs::write(d.join("notes.pdf"), "%PDF").unwrap();
    let out = d.join("out");
    let o = run(&[
        "extract",
        d.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(1), "some inputs failed: exit 1");
    let err = stderr(&o);
    let p = |name: &str| d.join(name).display().to_string();
    for expected in [
        format!("entopic: ingest: {}: empty file", p("empty.txt")),
        format!("entopic: decode: {}: binary file (NUL byte at offset 8)", p("image.txt")),
        format!("entopic: parse: {}:2: invalid JSON: key must be a string at line 1 column 2", p("feed.jsonl")),
        format!("entopic: parse: {}:1: no \"text\" column (columns: id, body); choose one with --text-column", p("table.csv")),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
    let records: Vec<serde_json::Value> = std::fs::read_to_string(out.join("documents.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            (
                r["id"]
                    .as_str()
                    .unwrap()
                    .replace(&format!("{}/", d.display()), ""),
                r["encoding"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("feed.jsonl:1".to_string(), "utf-8".to_string()),
            ("feed.jsonl:3".into(), "utf-8".into()),
            ("good.txt".into(), "utf-8".into()),
            ("latin1.txt".into(), "windows-1252".into()),
        ]
    );
    let errors = std::fs::read_to_string(out.join("errors.csv")).unwrap();
    let rows: Vec<&str> = errors.lines().collect();
    assert_eq!(rows[0], "path,line,status,stage,reason");
    assert_eq!(rows.len(), 6, "{errors}");
    assert!(
        errors.contains(&format!(
            "{},,skipped,ingest,unsupported file type .pdf",
            p("notes.pdf")
        )),
        "{errors}"
    );
}

#[test]
fn exit_codes_and_messages() {
    let o = run(&["extract", "no/such/dir", "--quiet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no/such/dir: No such file or directory"),
        "{}",
        stderr(&o)
    );

    let o = run(&["extract", "data", "--jobs", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "entopic: error: --jobs must be at least 1\n");

    let o = run(&["extract", "data", "--format", "csv,jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("several --format values need --out DIR"));

    let o = run(&["extract"]);
    assert_eq!(o.status.code(), Some(2), "clap usage errors exit 2");

    let dict = tempfile::tempdir().unwrap();
    std::fs::write(
        dict.path().join("projects.tsv"),
        "id\tname\nx\tProject X\ty\textra\n",
    )
    .unwrap();
    let o = run(&["extract", "data", "--dict", dict.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let expected = format!(
        "{}:2: error: 4 fields but the header has 2 columns (a stray tab?)",
        dict.path().join("projects.tsv").display()
    );
    assert!(stderr(&o).contains(&expected), "{}", stderr(&o));
}

#[test]
fn a_new_dictionary_file_is_a_new_entity_type() {
    let dict = tempfile::tempdir().unwrap();
    std::fs::write(
        dict.path().join("projects.tsv"),
        "id\tname\taliases\towner\nmanhattan\tManhattan Project\t\tUSA\n",
    )
    .unwrap();
    let o = run_stdin(
        &[
            "extract",
            "-",
            "--input-format",
            "text",
            "--dict",
            dict.path().to_str().unwrap(),
            "--quiet",
        ],
        "The Manhattan Project began in the United States.",
    );
    let r: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let e = &r["entities"][0];
    assert_eq!(
        (e["type"].as_str(), e["id"].as_str(), e["owner"].as_str()),
        (Some("project"), Some("manhattan"), Some("USA"))
    );
    assert_eq!(r["entities"][1]["id"], "USA");
}

#[test]
fn closed_stdout_is_not_an_error() {
    let mut child = entopic(&["extract", "data", "--exclude", "README.md"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    for args in [
        &["dict", "stats"][..],
        &["dict", "check"],
        &["dict", "lookup", "Iran"],
    ] {
        let mut child = entopic(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn csv_cells_cannot_carry_formulas() {
    let o = run_stdin(
        &[
            "extract",
            "-",
            "--input-format",
            "jsonl",
            "--format",
            "csv",
            "--quiet",
        ],
        "{\"id\":\"=cmd|' /C calc'!A0\",\"text\":\"=HYPERLINK(Iran)\"}\n",
    );
    let out = stdout(&o);
    let row = out.lines().nth(1).unwrap();
    assert!(row.starts_with("'=cmd|"), "{row}");
    assert!(
        row.contains(",'=HYPERLINK(Iran)"),
        "context is neutralized: {row}"
    );
}

/// The acceptance check of the foundation: the shared sample article (outside the repo, next to
/// it in CI) yields the leaders, countries and weapons an analyst expects, and no authors.
#[test]
fn shared_sample_article() {
    let sample = root().join("../shared/samples/usip-north-korea-missile.txt");
    if !sample.exists() {
        eprintln!("skipped: {} not present", sample.display());
        return;
    }
    let o = run(&["extract", sample.to_str().unwrap(), "--quiet"]);
    let r: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let mut found: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for e in r["entities"].as_array().unwrap() {
        found
            .entry(e["type"].as_str().unwrap())
            .or_default()
            .insert(e["id"].as_str().unwrap());
    }
    let leaders: Vec<&str> = found["leader"].iter().copied().collect();
    assert_eq!(leaders, ["donald-trump", "kim-jong-un", "xi-jinping"]);
    for country in [
        "PRK", "CHN", "USA", "KOR", "JPN", "MMR", "NGA", "MLI", "SSD",
    ] {
        assert!(found["country"].contains(country), "{country} missing");
    }
    for weapon in ["musudan", "ballistic-missile"] {
        assert!(found["weapon"].contains(weapon), "{weapon} missing");
    }
    let texts: Vec<(&str, &str)> = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["id"] == "USA")
        .map(|e| (e["text"].as_str().unwrap(), e["form"].as_str().unwrap()))
        .collect();
    assert!(texts.contains(&("U.S.", "acronym")) && texts.contains(&("Washington", "capital")));
}

/// A dictionary folder holding only a small taxonomy, for exact `explain` output.
fn small_taxonomy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("topics")).unwrap();
    std::fs::write(
        dir.path().join("topics/t.tsv"),
        "tag\tterm\tweight\nSanctions\tsanction\t3\nSanctions\tmatch\t-1\n\
         Nuclear\t@weapon.class=icbm\t2\nNuclear\tlaunch\t1\n\
         Summits\t@leader + summit\t3\n",
    )
    .unwrap();
    dir
}

#[test]
fn explain_prints_entities_and_every_tag_with_its_evidence() {
    let dict = small_taxonomy();
    let o = run_stdin(
        &[
            "explain",
            "-",
            "--date",
            "2019-02-27",
            "--no-default-topics",
            "--dict",
            dict.path().to_str().unwrap(),
        ],
        "Kim Jong Un met Donald Trump at the Hanoi summit. New sanctions were not lifted.",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let expected = "\
document  <stdin>
length    80 characters, 15 words (taxonomy evidence divided by 1.00)

entities (3)
  leader   kim-jong-un              \"Kim Jong Un\"                     0..11     bytes 0..11  name; in office as Supreme Leader; country=PRK
  leader   donald-trump             \"Donald Trump\"                   16..28     bytes 16..28  name; in office as President; country=USA
  country  VNM                      \"Hanoi\"                          36..41     bytes 36..41  capital; iso2=VN

topics (threshold 0.50; * = given to the document)
* 0.5276  Sanctions                            taxonomy   raw +3.0000
            +3.0000  sanction ×1
* 0.5276  Summits                              taxonomy   raw +3.0000
            +3.0000  @leader + summit ×1
  0.0000  Nuclear                              taxonomy   raw +0.0000  (no evidence)
";
    assert_eq!(stdout(&o), expected);
}

#[test]
fn explain_json_marks_the_tags_extract_reports() {
    let file = "data/korea/hwasong-19-launch.txt";
    let o = run(&["explain", file, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let topics = v["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 28, "every tag of the taxonomy");
    assert!(topics
        .iter()
        .all(|t| ["usip", "entopic"].contains(&t["scheme"].as_str().unwrap())));
    let scores: Vec<f64> = topics
        .iter()
        .map(|t| t["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "sorted by score");
    let reported: Vec<&str> = topics
        .iter()
        .filter(|t| t["reported"] == true)
        .map(|t| t["tag"].as_str().unwrap())
        .collect();
    let extracted = run(&["extract", file, "-q"]);
    let record: serde_json::Value = serde_json::from_str(stdout(&extracted).trim()).unwrap();
    let tags: Vec<&str> = record["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"].as_str().unwrap())
        .collect();
    assert_eq!(reported, tags);
    assert_eq!(v["entities"], record["entities"]);
    assert!(topics
        .iter()
        .all(|t| t["reported"] == (t["score"].as_f64().unwrap() >= 0.5)));
}

#[test]
fn explain_reports_an_unreadable_file() {
    let o = run(&["explain", "no/such/file.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no/such/file.txt"), "{}", stderr(&o));
}

const SMALL: &str = "tests/topics/news5-small.jsonl";

#[test]
fn trained_model_is_deterministic_readable_and_beats_chance() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.tsv");
    let model_s = model.to_str().unwrap();
    let o = run(&[
        "topics",
        "train",
        SMALL,
        "--label-field",
        "topics",
        "--out",
        model_s,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("entopic: trained on 250 documents in "));
    assert!(stderr(&o).contains(": 5 tags (single-label), wrote "));
    let text = std::fs::read_to_string(&model).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "# entopic topic model");
    assert!(lines.contains(&"# labels: single"));
    assert!(lines.contains(&"tag\tterm\tweight"));
    for tag in ["business", "entertainment", "politics", "sport", "tech"] {
        let bias = format!("{tag}\t(bias)\t");
        assert_eq!(
            lines.iter().filter(|l| l.starts_with(&bias)).count(),
            1,
            "{tag}"
        );
    }
    assert!(lines.iter().any(|l| l.starts_with("(idf)\t")));

    // Same data, same seed: the same file.
    let again = dir.path().join("again.tsv");
    run(&["topics", "train", SMALL, "--out", again.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);

    // Scoring the training documents with the model alone, best tag asked for: one tag each,
    // and far better than the 20% of chance.
    let o = run(&[
        "extract",
        SMALL,
        "--topic-model",
        model_s,
        "--no-default-topics",
        "--single-label",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut right = 0;
    let records: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 250);
    for r in &records {
        let topics = r["topics"].as_array().unwrap();
        assert_eq!(topics.len(), 1, "{}", r["id"]);
        assert!(!topics[0]["evidence"].as_array().unwrap().is_empty());
        if topics[0]["tag"] == r["meta"]["topics"][0] {
            right += 1;
        }
    }
    assert!(right > 200, "{right}/250 right");

    // Beside the taxonomy, and explained with its source.
    let o = run(&[
        "explain",
        "data/korea/hwasong-19-launch.txt",
        "--json",
        "--topic-model",
        model_s,
    ]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let sources: Vec<&str> = v["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 28 + 5);
    assert_eq!(sources.iter().filter(|s| **s == "model.tsv").count(), 5);
}

#[test]
fn cross_validation_on_jsonl_and_csv() {
    let o = run(&["topics", "evaluate", SMALL, "--folds", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "250 documents, 5-fold cross-validation (document i is tested in fold i mod 5)"
    );
    let accuracy: f64 = lines[1]
        .strip_prefix("top-1 accuracy: ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(accuracy > 0.75, "{accuracy}");
    assert!(out.contains("\nsport "));
    assert!(out.contains("\nmicro "));

    // The same documents as CSV, with named columns.
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("labelled.csv");
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["body", "label"]).unwrap();
    for line in std::fs::read_to_string(root().join(SMALL)).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        w.write_record([
            r["text"].as_str().unwrap(),
            r["topics"][0].as_str().unwrap(),
        ])
        .unwrap();
    }
    w.flush().unwrap();
    let o = run(&[
        "topics",
        "evaluate",
        csv_path.to_str().unwrap(),
        "--text-column",
        "body",
        "--label-column",
        "label",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().nth(1),
        Some(lines[1]),
        "same folds, same result"
    );
}

#[test]
fn topic_command_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "tag\tterm\tweight\nSport\tgoal\tlots\n").unwrap();
    let o = run(&[
        "extract",
        "data/misc",
        "--topic-model",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "entopic: error: {}:2: weight \"lots\" is not a number\n",
            bad.display()
        )
    );
    let o = run(&["topics", "evaluate", SMALL, "--folds", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "entopic: error: --folds must be at least 2\n");
    let o = run(&[
        "topics",
        "train",
        SMALL,
        "--label-field",
        "nothing",
        "--out",
        "/dev/null/x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "entopic: error: no labelled documents to learn from\n"
    );
}

#[test]
fn dict_check_reports_every_problem_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("rules")).unwrap();
    std::fs::write(
        root.join("projects.tsv"),
        "id\tname\taliases\nproj-a\tProject Alpha\t\nproj-a\tProject Beta\t\n",
    )
    .unwrap();
    std::fs::write(
        root.join("rules/patterns.txt"),
        "# families\nproject\tPX-(\\d\tpx-$1\tPX-$1\n",
    )
    .unwrap();
    std::fs::write(root.join("rules/context.txt"), "project\tmaybe\tword\n").unwrap();
    let path = root.to_str().unwrap();
    let o = entopic(&["dict", "check", path]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let p = |rel: &str| root.join(rel).display().to_string();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with(&format!(
        "{}:3: error: duplicate id \"proj-a\"",
        p("projects.tsv")
    )));
    assert_eq!(
        lines[1],
        format!(
            "{}:1: error: expected \"support\", \"against\" or \"follows\", found \"maybe\"",
            p("rules/context.txt")
        )
    );
    assert_eq!(
        lines[2],
        format!(
            "{}:2: error: invalid regex \"PX-(\\\\d\": unclosed group",
            p("rules/patterns.txt")
        )
    );
    assert_eq!(stderr(&o), "entopic dict check: 3 error(s), 0 warning(s)\n");
    let bundled = entopic(&["dict", "check"]).output().unwrap();
    assert_eq!(bundled.status.code(), Some(0), "{}", stdout(&bundled));
}
