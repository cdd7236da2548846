//! What a week of real use found (issue 14) and the report hardening of issue 13 (items 13, 14,
//! 16): each test drives the real binary the way the user did, and names what they hit.

mod common;

use common::{entopic, run, stderr, stdout};
use std::path::Path;

/// Runs the binary with `args` from `dir`.
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    entopic(args).current_dir(dir).output().unwrap()
}

#[test]
fn summary_says_mentions_0_and_1_document_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Nothing to see here.").unwrap();
    let o = run_in(dir.path(), &["extract", "a.txt", "--out", "o"]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("mentions: 0\n"), "{err}");
    assert!(!err.contains("()"), "{err}");
    assert!(
        err.contains("entopic: 1 document from 1 of 1 input, "),
        "{err}"
    );
}

#[test]
fn out_naming_a_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Nothing to see here.").unwrap();
    std::fs::write(dir.path().join("afile"), "keep me").unwrap();
    let o = run_in(dir.path(), &["extract", "a.txt", "--out", "afile"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "entopic: error: --out afile: that is a file; --out names a folder (existing or new)"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("afile")).unwrap(),
        "keep me"
    );
}

#[test]
fn evaluate_prints_n_a_not_a_recall_of_1_with_no_gold_items() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("g.jsonl");
    std::fs::write(
        &gold,
        "{\"id\":\"x\",\"text\":\"Talks in Moscow ended.\",\"entities\":[]}\n",
    )
    .unwrap();
    let o = run(&["evaluate", "--gold", gold.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(
        out.contains("1 passage (1 with entities, 0 with topics)"),
        "{out}"
    );
    let row = out.lines().find(|l| l.starts_with("all ")).unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    // all exact gold found tp fp fn precision recall F1
    assert_eq!(
        cells[2..],
        ["0", "1", "0", "1", "0", "0.000", "n/a", "n/a"],
        "{row}"
    );
}

/// `make demo` (and every target that runs the release binary) runs the binary cargo builds,
/// wherever CARGO_TARGET_DIR puts it, not a missing or stale `target/release/entopic`.
#[test]
fn makefile_runs_the_binary_where_cargo_target_dir_puts_it() {
    let target = tempfile::tempdir().unwrap();
    let want = format!("{}/release/entopic ", target.path().display());
    for goal in ["demo", "eval", "test-browser", "topics-bench"] {
        let o = std::process::Command::new("make")
            .args(["-n", goal])
            .current_dir(common::root())
            .env("CARGO_TARGET_DIR", target.path())
            .output()
            .expect("make runs");
        let plan = stdout(&o);
        assert!(plan.contains(&want), "make -n {goal}:\n{plan}");
        assert!(
            !plan.contains("target/release/entopic"),
            "make -n {goal}:\n{plan}"
        );
    }
}

/// brat files are named from the path below the input folder, not from where it lies on disk
/// (`tmp_tmp.48bjlqPXgn_in_seed.ann`), and stay unique.
#[test]
fn brat_file_names_come_from_the_path_below_the_input_root() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::write(input.join("seed.txt"), "China and Russia met.").unwrap();
    std::fs::write(input.join("sub/seed.txt"), "Iran objected.").unwrap();
    std::fs::write(input.join("sub_seed.md"), "Iraq agreed.").unwrap();
    let out = dir.path().join("out");
    let o = entopic(&[
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
    .args(["--format", "brat", "--quiet"])
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let index = std::fs::read_to_string(out.join("brat/index.csv")).unwrap();
    let root = input.display();
    assert_eq!(
        index,
        format!(
            "file,doc_id\nseed,{root}/seed.txt\nsub_seed,{root}/sub/seed.txt\n\
             sub_seed-2,{root}/sub_seed.md\n"
        )
    );
    assert!(out.join("brat/sub_seed-2.ann").is_file());
}

/// A tag's evidence reads the same in documents.csv and in the workbook's Topics sheet
/// (it was "invasion (1)" in one and "invasion×1" in the other).
#[test]
fn topic_evidence_has_one_form_in_csv_and_xlsx() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let file = "data/africa/sudan-darfur-siege.txt";
    let o = run(&[
        "extract", file, "--out", out, "--format", "csv,xlsx", "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut csv = csv::Reader::from_path(dir.path().join("documents.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let row = csv.records().next().unwrap().unwrap();
    let column = header.iter().position(|h| h == "topic_evidence").unwrap();
    let in_csv: Vec<String> = row[column].split("; ").map(str::to_string).collect();
    let mut book: Xlsx<_> = open_workbook(dir.path().join("results.xlsx")).unwrap();
    let topics = book.worksheet_range("Topics").unwrap();
    let in_xlsx: Vec<String> = topics
        .rows()
        .skip(1)
        .map(|r| format!("{}: {}", r[1], r[3]))
        .collect();
    assert!(in_csv.len() >= 2, "{in_csv:?}");
    assert_eq!(in_xlsx, in_csv);
    assert!(
        in_csv[0].contains(" (") && !in_csv[0].contains('×'),
        "{in_csv:?}"
    );
}
