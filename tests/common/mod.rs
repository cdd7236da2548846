//! Running the real `entopic` binary from integration tests, shared by the test files.
//! Each test file uses only some of these, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The repository root: tests run the binary from there, as a user would after `git clone`.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary with `args`, run from the repository root.
pub fn entopic(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_entopic"));
    cmd.args(args).current_dir(root());
    cmd
}

pub fn run(args: &[&str]) -> Output {
    entopic(args).output().expect("entopic runs")
}

/// Runs the binary with `input` on stdin.
pub fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = entopic(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Standard output, which must be UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Standard error, which must be UTF-8.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// `extract` over the demo folder `data/` (its README left out) into `out`, with `extra`
/// arguments: the run most tests compare against the golden files.
pub fn extract_demo(out: &std::path::Path, extra: &[&str]) -> Output {
    extract_from(std::path::Path::new("data"), out, extra)
}

/// `extract` over `input` (a `README.md` in it left out) into `out`, with `extra` arguments.
pub fn extract_from(input: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> Output {
    let (input, out) = (input.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["extract", input, "--exclude", "README.md", "--out", out];
    args.extend(extra);
    run(&args)
}

/// A scratch folder with an input folder `in/` and an output folder `out/`.
pub struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    /// An empty input folder.
    pub fn new() -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("in")).unwrap();
        Case { dir }
    }

    pub fn input(&self) -> PathBuf {
        self.dir.path().join("in")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Writes an input file; its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.input().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `extract` on the input folder into the output folder, with `extra` arguments.
    pub fn run(&self, extra: &[&str]) -> Output {
        let (input, out) = (self.input(), self.out());
        let mut args = vec![
            "extract",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ];
        args.extend(extra);
        run(&args)
    }

    /// The records of documents.jsonl.
    pub fn records(&self) -> Vec<serde_json::Value> {
        read_jsonl(&self.out().join("documents.jsonl"))
    }

    /// The rows of errors.csv after the header, with the input folder left out of paths.
    pub fn errors(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.out().join("errors.csv")).unwrap();
        let prefix = format!("{}/", self.input().display());
        text.lines()
            .skip(1)
            .map(|l| l.replace(&prefix, ""))
            .collect()
    }
}

/// The records of a JSON Lines file.
pub fn read_jsonl(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
