//! Bad input, each case through the real binary: every input ends in the results or in
//! `errors.csv` with a clear reason, nothing panics, and the good documents next to a bad one are
//! still processed.

mod common;

use common::{entopic, stderr, Case};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

/// A folder with a good document next to whatever the test adds.
/// A case with one good file beside the bad ones: the good file must always come through.
fn case() -> Case {
    let case = Case::new();
    case.write("good.txt", b"Seoul and Tokyo held talks.");
    case
}

/// What these tests read back beyond [`Case`]'s records and errors.
trait Written {
    fn documents(&self) -> Vec<(String, String, Vec<String>)>;
    fn good_is_processed(&self);
}

impl Written for Case {
    /// (id relative to the input folder, encoding, mention texts) of each record written.
    fn documents(&self) -> Vec<(String, String, Vec<String>)> {
        let text = std::fs::read_to_string(self.out().join("documents.jsonl")).unwrap();
        let prefix = format!("{}/", self.input().display());
        text.lines()
            .map(|l| {
                let r: Value = serde_json::from_str(l).unwrap();
                let mentions = r["entities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["text"].as_str().unwrap().to_string())
                    .collect();
                (
                    r["id"].as_str().unwrap().replace(&prefix, ""),
                    r["encoding"].as_str().unwrap().to_string(),
                    mentions,
                )
            })
            .collect()
    }

    fn good_is_processed(&self) {
        let docs = self.documents();
        assert!(
            docs.contains(&(
                "good.txt".into(),
                "utf-8".into(),
                vec!["Seoul".into(), "Tokyo".into()]
            )),
            "{docs:?}"
        );
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn invalid_utf8() {
    let case = case();
    case.write(
        "latin.txt",
        b"Iran \xff and Iraq \xc3\x28 met in Gen\xe8ve.",
    );
    case.write(
        "feed.jsonl",
        b"{\"text\":\"Cuba \xff\"}\n{\"text\":\"Peru\"}\n",
    );
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let docs = case.documents();
    assert_eq!(
        docs[1],
        (
            "good.txt".into(),
            "utf-8".into(),
            strings(&["Seoul", "Tokyo"])
        )
    );
    // Not UTF-8: read as Windows-1252, which decodes every byte.
    assert_eq!(
        docs[2],
        (
            "latin.txt".into(),
            "windows-1252".into(),
            strings(&["Iran", "Iraq"])
        )
    );
    assert_eq!(docs[0].0, "feed.jsonl:2");
    assert_eq!(
        case.errors(),
        ["feed.jsonl,1,failed,parse,invalid JSON: the line is not UTF-8 text (invalid byte at column 15)"]
    );
}

#[test]
fn binary_files() {
    let case = case();
    case.write("nul.txt", b"Chile\x00\x00\x01binary");
    case.write(
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06",
    );
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        case.errors(),
        [
            "nul.txt,,failed,decode,binary file (NUL byte at offset 5)",
            "photo.txt,,failed,decode,binary file (NUL byte at offset 8)"
        ]
    );
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "entopic: decode: {}: binary file (NUL byte at offset 8)",
            case.input().join("photo.txt").display()
        )),
        "{err}"
    );
    case.good_is_processed();
}

#[test]
fn empty_files() {
    let case = case();
    case.write("empty.txt", b"");
    case.write("empty.jsonl", b"");
    case.write("blank.jsonl", b"\n\n   \n");
    case.write("header-only.csv", b"id,text\n");
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        case.errors(),
        [
            "blank.jsonl,,skipped,parse,no records",
            "empty.jsonl,,skipped,parse,no records",
            "empty.txt,,failed,ingest,empty file",
            "header-only.csv,,skipped,parse,no records",
        ]
    );
    assert_eq!(case.documents().len(), 1);
    case.good_is_processed();
}

#[test]
fn huge_files_without_newlines_are_reported_not_loaded() {
    let case = case();
    const MB: u64 = 1 << 20;
    // 80 MB of text on one line, written in pieces.
    let mut text = std::fs::File::create(case.input().join("huge.txt")).unwrap();
    let piece = "Iran ".repeat(220_000);
    let mut line = std::fs::File::create(case.input().join("huge.jsonl")).unwrap();
    line.write_all(b"{\"text\":\"").unwrap();
    for _ in 0..80 {
        text.write_all(&piece.as_bytes()[..MB as usize]).unwrap();
        line.write_all(&piece.as_bytes()[..MB as usize]).unwrap();
    }
    drop((text, line));
    let mut csv = std::fs::File::create(case.input().join("huge.csv")).unwrap();
    csv.write_all(b"id,text\nr1,Chile\nr2,\"").unwrap();
    for _ in 0..30 {
        csv.write_all(&piece.as_bytes()[..MB as usize]).unwrap();
    }
    csv.write_all(b"\"\nr3,Peru\n").unwrap();
    drop(csv);
    let o = case.run(&["--max-doc-size", "10M"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        case.errors(),
        [
            "huge.csv,3,failed,ingest,30.0 MB is over --max-doc-size (10.0 MB)",
            "huge.jsonl,1,failed,ingest,80.0 MB is over --max-doc-size (10.0 MB)",
            "huge.txt,,failed,ingest,80.0 MB is over --max-doc-size (10.0 MB)",
        ]
    );
    let ids: Vec<String> = case.documents().into_iter().map(|d| d.0).collect();
    assert_eq!(ids, ["good.txt", "r1", "r3"]);
    // Nothing was held whole: the run grows far less than the inputs' size beyond what the same
    // run takes on the good file alone (the dictionary's automaton, the buffers).
    let peak = |case: &Case| {
        let info = std::fs::read_to_string(case.out().join("run.json")).unwrap();
        serde_json::from_str::<Value>(&info).unwrap()["peak_memory_mb"]
            .as_f64()
            .unwrap()
    };
    let alone = self::case();
    assert_eq!(alone.run(&["--max-doc-size", "10M"]).status.code(), Some(0));
    let grown = peak(&case) - peak(&alone);
    assert!(grown < 30.0, "grew {grown} MB beside the good file alone");
}

/// A long document on one line, under the limit, full of an ambiguous name (a capital that needs
/// support from its sentence): processed whole, in time linear in its mentions (this once took
/// time quadratic in them).
#[test]
fn a_long_one_line_document_is_processed() {
    let case = case();
    let sentence = "It rained in Washington all day. ";
    let repeats = 40_000;
    case.write("one-line.txt", sentence.repeat(repeats).as_bytes());
    let o = case.run(&["--max-doc-size", "10M"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs = case.documents();
    assert_eq!(docs[1].0, "one-line.txt");
    assert_eq!(docs[1].2.len(), 0, "Washington alone has no support here");
    let o = case.run(&["--max-doc-size", "10M", "--all-candidates"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(case.out().join("documents.jsonl")).unwrap();
    let record: Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(record["rejected"].as_array().unwrap().len(), repeats);
}

#[test]
fn html_unclosed_and_deeply_nested() {
    let case = case();
    case.write(
        "unclosed.html",
        b"<html><body><p>Kim Jong Un visited <div>Moscow <span>and <b>Beijing <!-- never",
    );
    let nested = format!(
        "{}Iran{}<p>Iraq",
        "<div><span>".repeat(10_000),
        "</span>".repeat(5_000)
    );
    case.write("nested.html", nested.as_bytes());
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs = case.documents();
    assert_eq!(docs[1].0, "nested.html");
    assert_eq!(docs[1].2, strings(&["Iran", "Iraq"]));
    assert_eq!(docs[2].0, "unclosed.html");
    assert_eq!(docs[2].2, strings(&["Kim Jong Un", "Moscow", "Beijing"]));
    case.good_is_processed();
}

#[test]
fn jsonl_with_malformed_lines() {
    let case = case();
    case.write(
        "feed.jsonl",
        b"{\"id\":\"a\",\"text\":\"Peru\"}\n{broken\n\n[1,2]\n{\"id\":\"b\",\"text\":\"Cuba\"}\n\
          {\"text\": 5}\n{\"title\":\"no text\"}\n{\"id\":\"c\",\"text\":\"Oman\"",
    );
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        case.errors(),
        [
            "feed.jsonl,2,failed,parse,invalid JSON: key must be a string at line 1 column 2",
            "feed.jsonl,4,failed,parse,not a JSON object",
            "feed.jsonl,6,failed,parse,\"field \"\"text\"\" is not a string but a number\"",
            "feed.jsonl,7,failed,parse,\"no \"\"text\"\" field (set --text-field)\"",
            "feed.jsonl,8,failed,parse,invalid JSON: EOF while parsing an object at line 1 column 23",
        ]
    );
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "entopic: parse: {}:4: not a JSON object",
            case.input().join("feed.jsonl").display()
        )),
        "{err}"
    );
    let docs: Vec<(String, Vec<String>)> =
        case.documents().into_iter().map(|d| (d.0, d.2)).collect();
    assert_eq!(
        docs,
        [
            ("a".to_string(), strings(&["Peru"])),
            ("b".to_string(), strings(&["Cuba"])),
            ("good.txt".to_string(), strings(&["Seoul", "Tokyo"])),
        ]
    );
}

#[test]
fn csv_missing_the_text_column() {
    let case = case();
    case.write("table.csv", b"id,body\n1,Chile\n2,Peru\n");
    case.write("other.csv", b"id,text\n1,Chile\n");
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        case.errors(),
        ["table.csv,1,failed,parse,\"no \"\"text\"\" column (columns: id, body); choose one with --text-column\""]
    );
    let ids: Vec<String> = case.documents().into_iter().map(|d| d.0).collect();
    assert_eq!(ids, ["good.txt", "1"]);
    // Naming the column reads it.
    let o = case.run(&["--text-column", "body"]);
    let ids: Vec<String> = case.documents().into_iter().map(|d| d.0).collect();
    assert_eq!(ids, ["good.txt", "1", "2"], "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let case = case();
    // SAFETY: geteuid has no preconditions.
    let expected = if unsafe { libc::geteuid() } == 0 {
        // Permissions do not stop root (CI runs as root): a file whose every read fails does.
        // Reading a process's own memory at offset 0 fails with EIO.
        if !std::path::Path::new("/proc/self/mem").exists() {
            eprintln!("skipped: running as root without /proc/self/mem");
            return;
        }
        std::os::unix::fs::symlink("/proc/self/mem", case.input().join("secret.txt")).unwrap();
        "secret.txt,,failed,ingest,Input/output error (os error 5)"
    } else {
        case.write("secret.txt", b"Iran");
        std::fs::set_permissions(
            case.input().join("secret.txt"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        "secret.txt,,failed,ingest,Permission denied (os error 13)"
    };
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(case.errors(), [expected]);
    case.good_is_processed();
}

#[cfg(unix)]
#[test]
fn broken_symlinks_and_loops() {
    let case = case();
    std::os::unix::fs::symlink(
        case.input().join("nowhere.txt"),
        case.input().join("broken.txt"),
    )
    .unwrap();
    std::fs::create_dir(case.input().join("sub")).unwrap();
    std::os::unix::fs::symlink(case.input(), case.input().join("sub/loop")).unwrap();
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        case.errors(),
        [
            "broken.txt,,failed,ingest,broken symbolic link",
            "sub/loop,,failed,ingest,symbolic link loop: skipped",
        ]
    );
    assert_eq!(case.documents().len(), 1);
    case.good_is_processed();
    // A broken link named on the command line.
    let o = entopic(&[
        "extract",
        case.input().join("broken.txt").to_str().unwrap(),
        "--quiet",
    ])
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("broken.txt: broken symbolic link (No such file or directory"),
        "{}",
        stderr(&o)
    );
}

/// A named pipe is never opened (reading it would wait for a writer forever): in a folder it is
/// skipped with the reason, named on the command line it fails.
#[cfg(unix)]
#[test]
fn named_pipes_are_reported_not_read() {
    let case = case();
    let fifo = case.input().join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let o = case.run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        case.errors(),
        ["pipe.txt,,skipped,ingest,not a regular file (a named pipe)"]
    );
    case.good_is_processed();
    let o = entopic(&["extract", fifo.to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "entopic: ingest: {}: not a regular file (a named pipe)\n",
            fifo.display()
        )
    );
}

/// A file listed by the walk and removed before it is read (the library's two steps, with the
/// removal in between, as a run would see it).
#[test]
fn file_deleted_during_the_run() {
    use entopic::ingest::{self, InputOptions, Units, WalkOptions};
    let case = case();
    case.write("gone.txt", b"Iran");
    case.write("later.txt", b"Oman");
    let entries = ingest::walk(&[case.input()], &WalkOptions::default());
    std::fs::remove_file(case.input().join("gone.txt")).unwrap();
    let options = InputOptions::default();
    let results: Vec<String> = Units::new(entries, options.clone())
        .map(|unit| match ingest::load(unit, &options) {
            Ok(doc) => format!("ok {}", doc.text),
            Err(e) => format!("{}: {}", e.stage, e.reason),
        })
        .collect();
    assert_eq!(
        results,
        [
            "ingest: No such file or directory (os error 2)",
            "ok Seoul and Tokyo held talks.",
            "ok Oman"
        ]
    );
}

#[test]
fn output_folder_not_writable() {
    let case = case();
    // A regular file where a folder is needed: no write access helps, even as root.
    std::fs::write(case.out(), b"a file").unwrap();
    let out = case.out().join("results");
    let o = entopic(&[
        "extract",
        case.input().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "entopic: error: cannot write output: {}: Not a directory (os error 20)\n",
            out.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn read_only_output_folder() {
    use std::os::unix::fs::PermissionsExt;
    let case = case();
    // SAFETY: geteuid has no preconditions.
    let out = if unsafe { libc::geteuid() } == 0 {
        // Permissions do not stop root (CI runs as root); nobody may create files in /sys.
        if !std::path::Path::new("/sys").is_dir() {
            eprintln!("skipped: running as root without /sys");
            return;
        }
        std::path::PathBuf::from("/sys")
    } else {
        std::fs::create_dir(case.out()).unwrap();
        std::fs::set_permissions(case.out(), std::fs::Permissions::from_mode(0o555)).unwrap();
        case.out()
    };
    let input = case.input();
    let o = entopic(&[
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ])
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(&format!(
            "entopic: error: cannot write output: cannot write in {}: ",
            out.display()
        )),
        "{}",
        stderr(&o)
    );
    assert_eq!(o.stdout, b"");
}

#[cfg(unix)]
#[test]
fn full_disk() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full here");
        return;
    };
    let case = case();
    let o = entopic(&["extract", case.input().to_str().unwrap(), "--quiet"])
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "entopic: error: cannot write output: No space left on device (os error 28)\n"
    );
}

#[test]
fn dictionary_lines_with_bad_fields() {
    let dict = tempfile::tempdir().unwrap();
    let file = dict.path().join("leaders.tsv");
    std::fs::write(
        &file,
        "id\tname\taliases\tcountry\troles\n\
         ok-one\tOk One\t\tUSA\t\n\
         \tNo Id\t\tUSA\t\n\
         bad-roles\tBad Roles\t\tUSA\tPresident 2017-13-45..\n\
         too-many\tToo Many\t\tUSA\t\textra\n\
         ok-one\tDuplicate\t\tUSA\t\n",
    )
    .unwrap();
    let o = entopic(&[
        "extract",
        "data/korea",
        "--dict",
        dict.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let at = |line: usize| format!("{}:{line}: error: ", file.display());
    for expected in [
        format!("{}empty id", at(3)),
        format!("{}bad-roles: roles: ", at(4)),
        format!("{}6 fields but the header has 5 columns", at(5)),
        format!("{}duplicate id \"ok-one\" (first on line 2)", at(6)),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
    assert_eq!(o.stdout, b"", "no output from a run that could not start");
}
