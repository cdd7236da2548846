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
