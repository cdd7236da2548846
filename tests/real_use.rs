//! What a week of real use found (issue 14) and the report hardening of issue 13 (items 13, 14,
//! 16): each test drives the real binary the way the user did, and names what they hit.

mod common;

use common::{entopic, run, stderr, stdout};
use std::path::Path;

/// Runs `entopic` from `cwd` and returns the output.
fn run_from(cwd: &Path, args: &[&str]) -> std::process::Output {
    entopic(args).current_dir(cwd).output().unwrap()
}

#[test]
fn summary_says_mentions_0_and_1_document_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Nothing to see here.").unwrap();
    let o = run_from(dir.path(), &["extract", "a.txt", "--out", "o"]);
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
    let o = run_from(dir.path(), &["extract", "a.txt", "--out", "afile"]);
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
        .map(|r| format!("{}: {}", r[1], r[4]))
        .collect();
    // Columns doc_id, tag, scheme, score, evidence: both tags here are entopic's own.
    assert!(topics
        .rows()
        .skip(1)
        .all(|r| r[2] == calamine::Data::String("entopic".into())));
    assert!(in_csv.len() >= 2, "{in_csv:?}");
    assert_eq!(in_xlsx, in_csv);
    assert!(
        in_csv[0].contains(" (") && !in_csv[0].contains('×'),
        "{in_csv:?}"
    );
}

/// `dict lookup` says why a match was dropped ("no mentions" said nothing), and takes `--date`
/// and `--json`.
#[test]
fn dict_lookup_gives_the_reason_and_takes_date_and_json() {
    let o = run(&["dict", "lookup", "Moon spoke."]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "folded for matching: \"moon spoke.\"\nno mentions\n\
         dropped \"Moon\" [0..4] → leader moon-jae-in (Moon Jae-in): no-full-mention: \
         a surname or short form, and the text names the person in full nowhere before it \
         (nor with a title); only a prominent surname marked ! in the dictionary may stand \
         alone\n"
    );
    let o = run(&["dict", "lookup", "Putin spoke."]);
    assert_eq!(
        stdout(&o),
        "folded for matching: \"putin spoke.\"\n\
         \"Putin\" [0..5] → leader vladimir-putin (Vladimir Putin) as surname; a surname alone: \
         marked ! (prominent) in the dictionary, no common word or place, and the only leader of \
         that name (or the one in office on the date), country=RUS\n"
    );
    let o = run(&["dict", "lookup", "Hello there."]);
    assert!(stdout(&o).ends_with("no mentions: no dictionary alias matches this text\n"));
    let o = run(&[
        "dict",
        "lookup",
        "President Putin spoke.",
        "--date",
        "1995-06-01",
    ]);
    assert!(
        stdout(&o).contains(
            "→ leader vladimir-putin (Vladimir Putin) as short; not in office on the date"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&[
        "dict",
        "lookup",
        "Jordan Ellis scored.",
        "--json",
        "--date",
        "2024-01-02",
    ]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["date"], "2024-01-02");
    assert_eq!(v["entities"], serde_json::json!([]));
    assert_eq!(v["dropped"][0]["id"], "JOR");
    assert_eq!(v["dropped"][0]["reason"], "part-of-name");
    assert!(v["dropped"][0]["why"]
        .as_str()
        .unwrap()
        .starts_with("part of a longer name"));
    let o = run(&["dict", "lookup", "x", "--date", "2025-13-01"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `dict check` rejects an unknown country id and an empty alias; an alias clash is an error
/// in `check` and stops `extract` too (one severity).
#[test]
fn dict_check_rejects_unknown_countries_and_empty_aliases_and_clashes_stop_extract() {
    let dir = tempfile::tempdir().unwrap();
    let leaders = dir.path().join("leaders.tsv");
    std::fs::write(
        &leaders,
        "id\tname\taliases\tshort\tcountry\troles\n\
         ana-x\tAna Xample\tHizbollah|\tXample\tXXX\t\n\
         bo-y\tBo Ygrec\t\tYgrec\tFRA\t\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let o = run(&["dict", "check", d]);
    assert_eq!(o.status.code(), Some(1));
    let at = leaders.display();
    assert_eq!(
        stdout(&o),
        format!(
            "{at}:2: error: ana-x: aliases: empty alias in \"Hizbollah|\" (a stray `|`?)\n\
             {at}:2: error: ana-x: country \"XXX\" is not the id of a country in the dictionaries\n"
        )
    );
    let clash = tempfile::tempdir().unwrap();
    std::fs::write(
        clash.path().join("countries.tsv"),
        "id\tname\taliases\nZZA\tZed Land\tMoscow\n",
    )
    .unwrap();
    let c = clash.path().to_str().unwrap();
    let message = format!(
        "{}:2: error: alias \"Moscow\" of country ZZA is also an alias of country RUS \
         (dictionaries/countries.tsv:",
        clash.path().join("countries.tsv").display()
    );
    let o = run(&["dict", "check", c]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains(&message), "{}", stdout(&o));
    let o = run(&["extract", "data/korea", "--dict", c, "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&message), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

/// A model trained with one label per document applies `--topic-threshold` like any other;
/// `--single-label` gives the best tag whatever its score. Trained models hold no stop words.
#[test]
fn single_label_models_apply_the_threshold_and_hold_no_stop_words() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.tsv");
    let m = model.to_str().unwrap();
    let o = run(&[
        "topics",
        "train",
        "tests/topics/news5-small.jsonl",
        "--out",
        m,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("(single-label)"), "{}", stderr(&o));
    let text = std::fs::read_to_string(&model).unwrap();
    for row in text.lines().filter(|l| !l.starts_with('#')) {
        let term = row.split('\t').nth(1).unwrap();
        for word in term.split(' ') {
            assert!(
                !["and", "the", "of", "to", "in", "a"].contains(&word),
                "stop word in {row:?}"
            );
        }
    }
    let recipe = "Whisk the flour with sugar, butter and two eggs, then bake for an hour.";
    let extract = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["extract", "-", "--input-format", "text", "--quiet"];
        args.extend(["--topic-model", m, "--no-default-topics"]);
        args.extend(extra);
        let o = common::run_stdin(&args, recipe);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let r: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        r["topics"].as_array().unwrap().clone()
    };
    assert_eq!(extract(&[]), Vec::<serde_json::Value>::new());
    let best = extract(&["--single-label"]);
    assert_eq!(best.len(), 1);
    assert!(best[0]["score"].as_f64().unwrap() < 0.5, "{best:?}");
    let o = run(&["extract", "data/korea", "--single-label"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--topic-model"), "{}", stderr(&o));
}

/// `entopic report DIR` run from another folder finds the documents where the run read them
/// (run.json records the folder), and never silently replaces a report with a worse one.
#[test]
fn report_from_another_folder_finds_the_documents_and_keeps_a_better_report() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(work.join("data")).unwrap();
    std::fs::write(
        work.join("data/a.txt"),
        "Kim Jong Un met Vladimir Putin in Moscow.",
    )
    .unwrap();
    let o = run_from(
        &work,
        &["extract", "data", "--out", "out", "--report", "--quiet"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = work.join("out");
    let report = out.join("report.html");
    let good = std::fs::read_to_string(&report).unwrap();
    assert!(good.contains("<meta name=\"entopic-contexts\" content=\"1\">"));
    assert!(good.contains("1 document from <code>data</code> · results in <code>out</code>"));
    let elsewhere = dir.path();
    let o = run_from(elsewhere, &["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(", 1 with mentions in context)"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("no context"), "{}", stderr(&o));
    let good = std::fs::read_to_string(&report).unwrap();
    assert!(good.contains("\"Kim Jong Un\""));

    std::fs::rename(work.join("data"), work.join("moved")).unwrap();
    let o = run_from(elsewhere, &["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        format!(
            "entopic: error: {}: not replaced: it shows 1 document with mentions in context, a \
             new report would show 0 (1 document: sources not found (e.g. data/a.txt, looked for \
             under {})); run again with --force to replace it",
            report.display(),
            work.canonicalize().unwrap().display()
        )
    );
    assert_eq!(std::fs::read_to_string(&report).unwrap(), good);
    let o = run_from(elsewhere, &["report", out.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).starts_with("entopic: report: no context for 1 document: sources not found"));
}

/// 13.13: a `path` in documents.jsonl outside the run's inputs (absolute or `../`) is not read.
#[test]
fn report_reads_no_file_outside_the_run_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(work.join("in")).unwrap();
    std::fs::write(work.join("in/a.txt"), "Talks in Moscow.").unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "TOPSECRET Russia TOPSECRET").unwrap();
    let o = run_from(&work, &["extract", "in", "--out", "out", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let jsonl = work.join("out/documents.jsonl");
    let mut text = std::fs::read_to_string(&jsonl).unwrap();
    for path in [secret.to_str().unwrap(), "in/../../secret.txt"] {
        let record = serde_json::json!({"id": path, "path": path, "entities": [{"type": "country",
            "id": "RUS", "name": "Russia", "text": "Russia", "start": 10, "end": 16,
            "byte_start": 10, "byte_end": 16}], "topics": []});
        text.push_str(&format!("{record}\n"));
    }
    std::fs::write(&jsonl, text).unwrap();
    let o = run_from(dir.path(), &["report", work.join("out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(work.join("out/report.html")).unwrap();
    assert!(!html.contains("TOPSECRET"));
    assert!(
        html.contains("\"Talks in \",\"Moscow\""),
        "the input itself is read"
    );
    assert!(
        stderr(&o).contains("no context for 2 documents: paths outside the run's inputs, not read"),
        "{}",
        stderr(&o)
    );
}

/// 13.14: two documents with the same id each show their own context.
#[test]
fn report_shows_each_document_with_a_shared_id_its_own_context() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("feed.jsonl"),
        "{\"id\":\"twin\",\"text\":\"Iran and Iraq signed.\"}\n\
         {\"id\":\"twin\",\"text\":\"Talks with Cuba went on.\"}\n",
    )
    .unwrap();
    let o = run_from(
        dir.path(),
        &["extract", "feed.jsonl", "--out", "out", "--report", "-q"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        html.contains("[0,\"\",\"Iran\",\" and Iraq signed.\"]"),
        "first twin"
    );
    assert!(
        html.contains("\"Talks with \",\"Cuba\",\" went on.\"]"),
        "second twin"
    );
}
