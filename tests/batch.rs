//! Batch runs an operator can trust, driving the real binary: `run.json`, `--resume` equal to a
//! full run, Ctrl-C (SIGINT) stopping cleanly, no progress bar when stderr is not a terminal.

mod common;

use common::{entopic, extract_demo, extract_from, root, run, stderr};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run_json(dir: &Path) -> Value {
    serde_json::from_str(&read(&dir.join("run.json"))).unwrap()
}

const OUTPUTS: &[&str] = &[
    "documents.jsonl",
    "documents.json",
    "mentions.csv",
    "documents.csv",
    "entities.csv",
    "cooccurrence.csv",
    "documents.conll",
    "errors.csv",
];

/// Every sheet of a workbook: its name and its cells (values, as calamine reads them).
fn workbook(path: &Path) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            (name, range.rows().map(<[_]>::to_vec).collect())
        })
        .collect()
}

fn assert_same_outputs(a: &Path, b: &Path) {
    if a.join("results.xlsx").exists() {
        assert_eq!(
            workbook(&a.join("results.xlsx")),
            workbook(&b.join("results.xlsx")),
            "results.xlsx differs"
        );
    }
    for name in OUTPUTS {
        assert_eq!(
            read(&a.join(name)),
            read(&b.join(name)),
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn run_json_records_the_run() {
    let out = tempfile::tempdir().unwrap();
    let o = extract_demo(out.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("ETA"), "no progress bar without a terminal");
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("entopic: 25 documents from 16 of 16 inputs, 0.08 MB in "),
        "{last}"
    );
    assert!(last.ends_with("; 0 failed, 1 skipped"), "{last}");

    let info = run_json(out.path());
    assert_eq!(info["entopic"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        info["arguments"],
        serde_json::json!([
            "extract",
            "data",
            "--exclude",
            "README.md",
            "--out",
            out.path().to_str().unwrap()
        ])
    );
    assert_eq!(info["complete"], true);
    assert_eq!(info["interrupted"], false);
    assert_eq!(info["documents"], 25);
    assert_eq!(info["inputs"]["files"], 16);
    assert_eq!(
        info["errors"],
        serde_json::json!({"failed": 0, "skipped": 1})
    );
    let countries = info["dictionaries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "dictionaries/countries.tsv")
        .expect("countries.tsv is listed");
    let bytes = std::fs::read(root().join("dictionaries/countries.tsv")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        countries["xxh3_128"],
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
    );
    // Counts per type agree with the records written.
    let mut by_type: std::collections::BTreeMap<String, u64> = Default::default();
    for line in read(&out.path().join("documents.jsonl")).lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        for e in r["entities"].as_array().unwrap() {
            *by_type
                .entry(e["type"].as_str().unwrap().into())
                .or_default() += 1;
        }
    }
    assert_eq!(info["mentions"], serde_json::to_value(&by_type).unwrap());
    for stage in [
        "total",
        "ingest",
        "normalize",
        "tag",
        "classify",
        "export",
        "write",
    ] {
        assert!(info["seconds"][stage].as_f64().unwrap() >= 0.0, "{stage}");
    }
    // A number (rounded to 0.1 MB/s: a small input on a loaded machine can round to 0.0).
    assert!(info["mb_per_s"].as_f64().unwrap() >= 0.0);
    assert_eq!(
        info["outputs"],
        serde_json::json!(["documents.jsonl", "errors.csv"])
    );
}

/// Copies `data/` into a fresh folder.
fn copy_of_data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(root().join("data")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(root().join("data")).unwrap();
        let to = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

fn extract_into(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let common = ["--exclude", "*.py", "--format", "jsonl,json,csv,conll"];
    extract_from(input, out, &[&common[..], extra].concat())
}

#[test]
fn resume_carries_unchanged_documents_and_equals_a_full_run() {
    let data = copy_of_data();
    let d = data.path();
    let resumed = tempfile::tempdir().unwrap();
    let o = extract_into(d, resumed.path(), &["--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // A day later: one article edited, one removed, one added, a record appended to a feed.
    let edited = d.join("korea/hwasong-19-launch.txt");
    let text = read(&edited).replace("Pyongyang", "Pyongyang (and Tehran)");
    std::fs::write(&edited, text).unwrap();
    std::fs::remove_file(d.join("misc/allotment-autumn-notes.txt")).unwrap();
    std::fs::write(
        d.join("misc/new-brief.txt"),
        "Chile and Peru signed a deal.",
    )
    .unwrap();
    let feed = d.join("feeds/wire-june-2025.jsonl");
    let mut lines = read(&feed);
    lines.push_str("{\"id\":\"wire-0608\",\"text\":\"Oman hosted talks with Iran.\"}\n");
    std::fs::write(&feed, lines).unwrap();

    let o = extract_into(d, resumed.path(), &["--resume"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let full = tempfile::tempdir().unwrap();
    let f = extract_into(d, full.path(), &["--quiet"]);
    assert_eq!(f.status.code(), Some(0));
    assert_same_outputs(resumed.path(), full.path());
    let info = run_json(resumed.path());
    // 25 documents before; one edited and one removed; two new ones processed.
    assert_eq!(info["documents"], 26);
    assert_eq!(info["carried_over"], 23, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("(23 carried over from the earlier run)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(run_json(full.path())["carried_over"], 0);
}

#[test]
fn resume_with_brat_processes_everything_and_says_why() {
    let out = tempfile::tempdir().unwrap();
    let data = root().join("data");
    let o = extract_into(&data, out.path(), &["--format", "brat", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = extract_into(
        &data,
        out.path(),
        &["--format", "brat", "--resume", "--quiet"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o),
        "entopic: --resume: nothing carried over: --format brat is rebuilt from every document\n"
    );
    let info = run_json(out.path());
    assert_eq!(info["carried_over"], 0);
    assert_eq!(info["documents"], 25);
}

#[test]
fn resume_after_a_retrained_topic_model_processes_everything() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.tsv");
    let out = dir.path().join("out");
    let train = |c: &str| {
        let small = "tests/topics/news5-small.jsonl";
        let o = run(&[
            "topics",
            "train",
            small,
            "--c",
            c,
            "--out",
            model.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    let extract = |extra: &[&str]| {
        let mut args = vec!["--topic-model", model.to_str().unwrap(), "--quiet"];
        args.extend(extra);
        extract_into(&root().join("data"), &out, &args)
    };
    train("1");
    assert_eq!(extract(&[]).status.code(), Some(0));
    let info = run_json(&out);
    let fingerprinted = info["dictionaries"].as_array().unwrap();
    assert!(
        fingerprinted
            .iter()
            .any(|d| d["path"] == model.to_str().unwrap()),
        "{info}"
    );
    train("0.1");
    let o = extract(&["--resume"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o),
        format!(
            "entopic: --resume: nothing carried over: changed since the earlier run: \
             dictionaries or topic models ({})\n",
            model.display()
        )
    );
    assert_eq!(run_json(&out)["carried_over"], 0);
}

#[test]
fn resume_after_changed_options_processes_everything() {
    let out = tempfile::tempdir().unwrap();
    let data = root().join("data");
    let o = extract_into(&data, out.path(), &["--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    let o = extract_into(
        &data,
        out.path(),
        &["--resume", "--topic-threshold", "0.9", "--quiet"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o),
        "entopic: --resume: nothing carried over: changed since the earlier run: options \
         (--topic-threshold)\n"
    );
    assert_eq!(run_json(out.path())["carried_over"], 0);

    let fresh = tempfile::tempdir().unwrap();
    let o = extract_into(&data, fresh.path(), &["--resume", "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o),
        "entopic: --resume: nothing carried over: no earlier run in this folder\n"
    );
}

/// Writes `n` small news documents named so that their order is the walk order.
fn many_documents(dir: &Path, n: usize) {
    let para = "Officials in Seoul said North Korea fired a ballistic missile toward Japan, \
                and Washington called for talks with Pyongyang and Beijing. ";
    for i in 0..n {
        let text = format!("Report {i}\n\n{}", para.repeat(15));
        std::fs::write(dir.join(format!("doc{i:05}.txt")), text).unwrap();
    }
}

/// Starts `entopic extract INPUT --out OUT --jobs 1 --format FORMATS` and sends it `signal` once
/// some output has reached the staging folder; returns what it printed and its exit status.
#[cfg(unix)]
fn interrupted_run(input: &Path, out: &Path, formats: &str, signal: i32) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_entopic"))
        .args([
            "extract",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--jobs", "1", "--format", formats])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until some output has been flushed to the staging folder, then interrupt.
    let started = Instant::now();
    let staging = out.join(".entopic-staging");
    loop {
        let written: u64 = std::fs::read_dir(&staging)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".documents.jsonl")
            })
            .map(|e| e.metadata().map_or(0, |m| m.len()))
            .sum();
        if written > 0 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: kill(2) with a child's pid and a signal number has no memory effects.
    unsafe { libc::kill(child.id() as i32, signal) };
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn sigint_stops_cleanly_keeps_a_prefix_and_resume_finishes() {
    let input = tempfile::tempdir().unwrap();
    many_documents(input.path(), 1500);
    let out = tempfile::tempdir().unwrap();
    let args = |extra: &[&str]| {
        let mut a = vec![
            "extract".to_string(),
            input.path().display().to_string(),
            "--out".into(),
            out.path().display().to_string(),
            "--jobs".into(),
            "1".into(),
            "--format".into(),
            "jsonl,csv".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let o = interrupted_run(input.path(), out.path(), "jsonl,csv", libc::SIGINT);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("entopic: stopping: finishing the documents already read"),
        "{err}"
    );
    assert!(err.contains("entopic: interrupted: "), "{err}");
    assert!(err.contains("run again with --resume to finish"), "{err}");

    // Nothing looks complete; what is there is whole and a prefix of the inputs, in order.
    for name in ["documents.jsonl", "mentions.csv", "entities.csv"] {
        assert!(!out.path().join(name).exists(), "{name}");
        let partial = format!("{name}.partial");
        assert!(out.path().join(&partial).exists(), "{partial}");
    }
    let partial = read(&out.path().join("documents.jsonl.partial"));
    let ids: Vec<String> = partial
        .lines()
        .map(|l| {
            let r: Value = serde_json::from_str(l).expect("whole JSON lines only");
            r["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(!ids.is_empty() && ids.len() < 1500, "{} written", ids.len());
    let expected: Vec<String> = (0..ids.len())
        .map(|i| {
            input
                .path()
                .join(format!("doc{i:05}.txt"))
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(ids, expected);
    let mentions = read(&out.path().join("mentions.csv.partial"));
    assert!(mentions.ends_with('\n'));
    let info = run_json(out.path());
    assert_eq!(info["interrupted"], true);
    assert_eq!(info["complete"], false);
    assert_eq!(info["documents"], ids.len());
    assert!(
        err.contains(&format!("interrupted: {} documents written", ids.len())),
        "{err}"
    );
    let leftovers: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".documents") || n.starts_with(".mentions") || n == ".entopic-staging"
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // Resuming finishes the job: same outputs as an uninterrupted run, partial files gone.
    let o = Command::new(env!("CARGO_BIN_EXE_entopic"))
        .args(args(&["--resume", "--quiet"]))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let info = run_json(out.path());
    assert_eq!(info["carried_over"], ids.len());
    assert_eq!(info["documents"], 1500);
    for name in ["documents.jsonl", "entities.csv"] {
        assert!(out.path().join(name).exists(), "{name}");
        let partial = format!("{name}.partial");
        assert!(!out.path().join(&partial).exists(), "{partial}");
    }
    let full = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_entopic"))
        .args([
            "extract",
            input.path().to_str().unwrap(),
            "--out",
            full.path().to_str().unwrap(),
            "--format",
            "jsonl,csv",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    for name in [
        "documents.jsonl",
        "mentions.csv",
        "documents.csv",
        "errors.csv",
    ] {
        assert_eq!(
            read(&out.path().join(name)),
            read(&full.path().join(name)),
            "{name}"
        );
    }
}

/// `entopic extract -` reading JSON Lines, with its stdin and stdout in the test's hands.
fn streaming() -> (
    std::process::Child,
    std::process::ChildStdin,
    std::process::ChildStdout,
) {
    let mut child = entopic(&["extract", "-", "--input-format", "jsonl", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    (child, stdin, stdout)
}

/// Sends one JSON Lines record to a streaming run.
fn send(stdin: &mut std::process::ChildStdin, id: &str, text: &str) {
    use std::io::Write;
    writeln!(stdin, "{{\"id\":\"{id}\",\"text\":\"{text}\"}}").unwrap();
    stdin.flush().unwrap();
}

/// Streaming mode answers each input line as it arrives: a line written to stdin comes back as
/// one output line while stdin is still open (what Hadoop Streaming and Spark's `RDD.pipe` need),
/// and nothing more comes after stdin closes.
#[test]
fn stdin_lines_are_answered_before_stdin_closes() {
    use std::io::{BufRead, BufReader};
    let (mut child, mut stdin, stdout) = streaming();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let wait = Duration::from_secs(30);
    for (id, text, entity) in [
        ("a", "Iran and Iraq.", "IRQ"),
        ("b", "Kim Jong Un.", "kim-jong-un"),
    ] {
        send(&mut stdin, id, text);
        let line = rx
            .recv_timeout(wait)
            .expect("an answer while stdin is still open");
        let record: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(record["id"], id);
        let last = record["entities"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(last["id"], entity, "{line}");
    }
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(
        rx.recv_timeout(wait).is_err(),
        "nothing more after stdin closed"
    );
}

/// A reader of the output that goes away (`tail -f feed | entopic extract - | head`) ends the run
/// at the first write that fails, even though stdin stays open and quiet: entopic does not wait
/// for more input that has nowhere to go.
#[test]
fn closed_stdout_ends_the_run_while_stdin_is_open() {
    use std::io::{BufRead, BufReader};
    let (mut child, mut stdin, stdout) = streaming();
    let mut stdout = BufReader::new(stdout);
    send(&mut stdin, "a", "Iran.");
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"id\":\"a\""), "{first}");
    drop(stdout);
    // One more line: its answer cannot be written. Stdin stays open.
    send(&mut stdin, "b", "Peru.");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(20) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let Some(status) = status else {
        child.kill().unwrap();
        panic!("entopic still waits on stdin after its output closed");
    };
    assert_eq!(status.code(), Some(0));
    drop(stdin);
}

/// SIGTERM (`timeout`, systemd, Kubernetes) and SIGHUP stop a run as Ctrl-C does: what was read
/// is finished and kept as `.partial`, the earlier complete outputs stay, the exit code says
/// which signal (128 + its number).
#[cfg(unix)]
#[test]
fn sigterm_and_sighup_stop_like_ctrl_c() {
    let input = tempfile::tempdir().unwrap();
    many_documents(input.path(), 1500);
    for (signal, code, name) in [
        (libc::SIGTERM, 143, "SIGTERM"),
        (libc::SIGHUP, 129, "SIGHUP"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let o = run(&[
            "extract",
            "data/misc",
            "--out",
            out.path().to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0));
        let earlier = read(&out.path().join("documents.jsonl"));
        let o = interrupted_run(input.path(), out.path(), "jsonl,xlsx", signal);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(code), "{err}");
        assert!(
            err.contains(&format!(
                "entopic: {name}: stopping: finishing the documents already read"
            )),
            "{err}"
        );
        assert!(err.contains("entopic: interrupted: "), "{err}");
        assert_eq!(read(&out.path().join("documents.jsonl")), earlier);
        let partial = read(&out.path().join("documents.jsonl.partial"));
        assert!(partial.lines().count() > 0 && partial.ends_with('\n'));
        assert!(out.path().join("results.xlsx.partial").exists());
        assert!(!out.path().join(".entopic-staging").exists());
        assert_eq!(run_json(out.path())["interrupted"], true);
    }
}
