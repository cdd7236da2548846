//! The `entopic` binary: parse arguments, run, map the outcome to an exit code.
//!
//! Exit codes: 0 all inputs processed; 1 some inputs failed (listed on stderr and in
//! `errors.csv`); 2 fatal (bad arguments, unreadable dictionary, unwritable output).
//! Data goes to stdout or `--out`; messages go to stderr.

mod allocator;
mod cli;
mod commands;
mod progress;
mod stop;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::return_memory_at_once();
    let args = cli::Args::parse();
    match commands::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("entopic: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
