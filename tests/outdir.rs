//! The `--out` folder as an operator relies on it, driving the real binary: one writer at a
//! time, one complete set of outputs, never read back as input, hand edits kept, a `--resume`
//! state that is small and never trusted blindly.

mod common;

use common::{entopic, extract_from, root, run, stderr};
use serde_json::Value;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The visible names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn extract(input: &Path, out: &Path, extra: &[&str]) -> Output {
    extract_from(input, out, &[&["--quiet"], extra].concat())
}

fn data() -> std::path::PathBuf {
    root().join("data")
}

/// Copies `data/` into a fresh folder.
fn copy_of_data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(data()) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(data()).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

#[test]
fn a_second_run_into_the_same_out_stops_and_names_the_first() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    // The first run waits on stdin, holding the folder.
    let mut first = entopic(&["extract", "-", "--out", out_dir, "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lock = out.path().join(".entopic.lock");
    let started = Instant::now();
    while std::fs::read_to_string(&lock).map_or(true, |s| s.is_empty()) {
        assert!(started.elapsed() < Duration::from_secs(30), "no lock taken");
        std::thread::sleep(Duration::from_millis(20));
    }
    let second = extract(&data(), out.path(), &[]);
    assert_eq!(second.status.code(), Some(2));
    let holder = read(&lock);
    let holder = holder.trim();
    assert!(
        holder.starts_with(&format!("pid {}, started 20", first.id())),
        "{holder}"
    );
    assert_eq!(
        stderr(&second),
        format!(
            "entopic: error: another entopic run is writing to {out_dir} ({holder}): wait for it \
             to end, or choose another --out\n"
        )
    );
    // The first run is untouched and completes; then the folder is free again.
    use std::io::Write;
    let mut stdin = first.stdin.take().unwrap();
    writeln!(stdin, "{{\"id\":\"a\",\"text\":\"Iran.\"}}").unwrap();
    drop(stdin);
    assert_eq!(first.wait().unwrap().code(), Some(0));
    assert_eq!(read(&out.path().join("documents.jsonl")).lines().count(), 1);
    assert_eq!(extract(&data(), out.path(), &[]).status.code(), Some(0));
}

#[test]
fn a_rerun_with_other_formats_leaves_only_its_own_files() {
    let out = tempfile::tempdir().unwrap();
    let o = extract(&data(), out.path(), &["--format", "csv,xlsx", "--report"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.path().join("results.xlsx").exists());
    assert!(out.path().join("report.html").exists());
    let o = extract(&data(), out.path(), &["--format", "conll"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        names(out.path()),
        [
            ".entopic-manifest.json",
            ".entopic-state.jsonl",
            ".entopic.lock",
            "documents.conll",
            "errors.csv",
            "run.json",
        ]
    );
    let info: Value = serde_json::from_str(&read(&out.path().join("run.json"))).unwrap();
    assert_eq!(
        info["outputs"],
        serde_json::json!(["documents.conll", "errors.csv"])
    );
    // The manifest names every file of the set with its length and hash.
    let manifest: Value =
        serde_json::from_str(&read(&out.path().join(".entopic-manifest.json"))).unwrap();
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        [
            ".entopic-state.jsonl",
            "documents.conll",
            "errors.csv",
            "run.json"
        ]
    );
    let conll = std::fs::read(out.path().join("documents.conll")).unwrap();
    let entry = &manifest["files"][1];
    assert_eq!(entry["len"], conll.len());
    assert_eq!(
        entry["xxh3_128"],
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&conll))
    );
}

#[test]
fn the_output_folder_inside_the_input_is_never_read() {
    let input = copy_of_data();
    let documents = |o: &Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
        let info = read(&input.path().join("out/run.json"));
        serde_json::from_str::<Value>(&info).unwrap()["documents"].clone()
    };
    for _ in 0..3 {
        let o = entopic(&[
            "extract",
            ".",
            "--exclude",
            "README.md",
            "--out",
            "out",
            "--quiet",
        ])
        .current_dir(input.path())
        .output()
        .unwrap();
        assert_eq!(documents(&o), 25);
    }
}

#[test]
fn hand_edits_to_brat_files_are_kept() {
    let out = tempfile::tempdir().unwrap();
    let o = extract(&data(), out.path(), &["--format", "brat"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let name = names(&out.path().join("brat"))
        .into_iter()
        .find(|n| n.ends_with("korea_hwasong-19-launch.ann"))
        .unwrap();
    let ann = out.path().join("brat").join(&name);
    let fixed = format!("{}T99\tWeapon 0 5\tfixed\n", read(&ann));
    std::fs::write(&ann, &fixed).unwrap();
    let o = extract(&data(), out.path(), &["--format", "brat", "--resume"]);
    assert_eq!(o.status.code(), Some(0));
    let dir = out.path().display();
    assert_eq!(
        stderr(&o),
        format!(
            "entopic: --resume: nothing carried over: --format brat is rebuilt from every \
             document\nentopic: warning: {dir}/brat was changed since entopic wrote it: kept as \
             {dir}/brat.edited\n"
        )
    );
    assert_eq!(read(&out.path().join("brat.edited").join(&name)), fixed);
    assert!(!read(&ann).contains("T99"));
    // Unchanged, the folder is simply replaced.
    let o = extract(&data(), out.path(), &["--format", "brat"]);
    assert_eq!(stderr(&o), "");
    assert!(!out.path().join("brat.edited-2").exists());
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_earlier_set_and_the_next_run_cleans_up() {
    let input = tempfile::tempdir().unwrap();
    let para = "Officials in Seoul said North Korea fired a missile toward Japan. ".repeat(20);
    for i in 0..3000 {
        std::fs::write(input.path().join(format!("doc{i:05}.txt")), &para).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let o = extract(&data(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(0));
    let before = read(&out.path().join("documents.jsonl"));
    // An older version's temporary file, left by a kill -9.
    std::fs::write(out.path().join(".documents.jsonl.AbC123.partial"), "x").unwrap();
    let mut child = entopic(&["extract", input.path().to_str().unwrap(), "--jobs", "1"])
        .args(["--out", out.path().to_str().unwrap(), "--quiet"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let staging = out.path().join(".entopic-staging");
    let started = Instant::now();
    while !staging.join(".entopic-state.jsonl").exists()
        && std::fs::read_dir(&staging).map_or(true, |d| d.count() < 2)
    {
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging.exists());
    assert_eq!(read(&out.path().join("documents.jsonl")), before);
    // The next run removes what the dead one left.
    let o = extract(&data(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(0));
    let hidden: Vec<String> = names(out.path())
        .into_iter()
        .filter(|n| n.ends_with(".partial") || n == ".entopic-staging")
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    assert_eq!(read(&out.path().join("documents.jsonl")), before);
}

#[test]
fn jobs_beyond_a_few_per_core_are_capped_with_a_note() {
    let started = Instant::now();
    let o = run(&["extract", "data/misc", "--jobs", "1000000"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(
        stderr(&o).starts_with(&format!(
            "entopic: note: --jobs 1000000 is more than 4 per core ({cores} here): using {}\n",
            cores * 4
        )),
        "{}",
        stderr(&o)
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// Copies an output folder keeping modification times (what the manifest checks).
fn copy_out(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", from.display()))
        .arg(to.path())
        .status()
        .unwrap();
    assert!(status.success());
    to
}

/// Rewrites `path` with `edit`, keeping its modification time (a careful edit, or damage the
/// clock does not show).
fn edit_in_place(path: &Path, edit: impl FnOnce(String) -> String) {
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, edit(read(path))).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(modified).unwrap();
}

/// `--resume` from a damaged copy of `base`: (documents carried over, stderr); the outputs must
/// equal a full run's (`full`).
fn resume_from(base: &Path, full: &Path, damage: impl FnOnce(&Path)) -> (u64, String) {
    let out = copy_out(base);
    damage(out.path());
    let o = extract(&data(), out.path(), &["--format", "jsonl,csv", "--resume"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for name in [
        "documents.jsonl",
        "mentions.csv",
        "documents.csv",
        "cooccurrence.csv",
    ] {
        assert_eq!(
            read(&out.path().join(name)),
            read(&full.join(name)),
            "{name}"
        );
    }
    let info: Value = serde_json::from_str(&read(&out.path().join("run.json"))).unwrap();
    (info["carried_over"].as_u64().unwrap(), stderr(&o))
}

#[test]
fn a_damaged_state_means_process_again_never_copy() {
    let base = tempfile::tempdir().unwrap();
    let o = extract(&data(), base.path(), &["--format", "jsonl,csv"]);
    assert_eq!(o.status.code(), Some(0));
    let full = copy_out(base.path());
    let state = ".entopic-state.jsonl";
    // Untouched: everything is carried.
    assert_eq!(resume_from(base.path(), full.path(), |_| {}).0, 25);
    // The segments of two documents swapped: both are processed again.
    let swapped = resume_from(base.path(), full.path(), |out| {
        edit_in_place(&out.join(state), |text| {
            let mut lines: Vec<Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            let a = lines[2]["segments"].clone();
            lines[2]["segments"] = lines[3]["segments"].clone();
            lines[3]["segments"] = a;
            lines.iter().map(|l| format!("{l}\n")).collect()
        })
    });
    assert_eq!(swapped.0, 23);
    // A same-length edit inside one document's record: that document is processed again.
    let edited = resume_from(base.path(), full.path(), |out| {
        edit_in_place(&out.join("documents.jsonl"), |text| {
            text.replacen("Pyongyang", "Pyongyanx", 1)
        })
    });
    assert_eq!(edited.0, 24);
    // An absurd length (here the state's own length and checksums give it away; a length past
    // the end of its file is refused before anything is allocated: see resume.rs).
    let absurd = resume_from(base.path(), full.path(), |out| {
        edit_in_place(&out.join(state), |text| {
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            let mut line: Value = serde_json::from_str(&lines[1]).unwrap();
            line["segments"][0][1] = serde_json::json!(1_000_000_000_000_000_000u64);
            lines[1] = line.to_string();
            lines.iter().map(|l| format!("{l}\n")).collect()
        })
    });
    assert_eq!(absurd.0, 0);
    assert_eq!(
        absurd.1,
        "entopic: --resume: nothing carried over: the earlier output .entopic-state.jsonl was \
         changed\n"
    );
}

#[cfg(unix)]
#[test]
fn a_special_file_in_place_of_the_state_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let o = extract(&data(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(0));
    let state = out.path().join(".entopic-state.jsonl");
    std::fs::remove_file(&state).unwrap();
    let fifo = std::ffi::CString::new(state.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let started = Instant::now();
    let o = extract(&data(), out.path(), &["--resume"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(
        stderr(&o),
        "entopic: --resume: nothing carried over: the earlier output .entopic-state.jsonl is not \
         a regular file\n"
    );
}

#[test]
fn the_state_keeps_offsets_not_copies() {
    let out = tempfile::tempdir().unwrap();
    let o = extract(&data(), out.path(), &["--format", "jsonl,csv,xlsx"]);
    assert_eq!(o.status.code(), Some(0));
    let size = |name: &str| std::fs::metadata(out.path().join(name)).unwrap().len();
    let state = size(".entopic-state.jsonl");
    assert!(state < size("mentions.csv") / 2, "state {state} bytes");
    let o = extract(
        &data(),
        out.path(),
        &["--format", "jsonl,csv,xlsx", "--resume"],
    );
    assert_eq!(
        stderr(&o),
        "entopic: --resume: nothing carried over: --format xlsx is rebuilt from every document\n"
    );
}
