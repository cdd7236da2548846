//! What each subcommand does, on top of the library.

use crate::cli::{Args, Command, DictArgs, DictCommand, EvaluateArgs, ExtractArgs};
use crate::progress::Bar;
use anyhow::Context as _;
use entopic::dictionary::{self, Dictionary, Severity};
use entopic::normalize::fold;
use entopic::run::Hooks;
use entopic::{run, Pipeline, Settings};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use xxhash_rust::xxh3::xxh3_128;

/// Errors listed on stderr before "and N more"; all are in `errors.csv`.
const ERRORS_SHOWN: usize = 20;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Extract(extract) => run_extract(&extract),
        Command::Evaluate(args) => run_evaluate(&args),
        Command::Dict(DictCommand::Check { dict, strict }) => dict_check(&dict, strict),
        Command::Dict(DictCommand::Stats { dict }) => dict_stats(&dict),
        Command::Dict(DictCommand::Lookup { text, dict }) => dict_lookup(&dict, &text),
    }
}

fn build(dict: &DictArgs, settings: Settings) -> anyhow::Result<Pipeline> {
    let dictionary = Dictionary::load(dict.sources()?)?;
    Ok(Pipeline::new(&dictionary, settings)?)
}

/// Set by Ctrl-C: the run finishes what it has read and stops.
static STOP: AtomicBool = AtomicBool::new(false);

fn run_extract(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let mut config = args.config()?;
    if config.out.is_none()
        && args.format.contains(&entopic::export::Format::Csv)
        && std::io::stdout().is_terminal()
    {
        eprintln!("entopic: note: without --out, CSV output is mentions.csv only, on stdout");
    }
    let sources = args.dict.sources()?;
    config.dictionaries = sources
        .iter()
        .map(|s| {
            (
                s.path.clone(),
                format!("{:032x}", xxh3_128(s.text.as_bytes())),
            )
        })
        .collect();
    let pipeline = Pipeline::new(&Dictionary::load(sources)?, args.settings())?;
    ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            eprintln!("\nentopic: stopped at once; outputs were not written");
            std::process::exit(130);
        }
        eprintln!(
            "\nentopic: stopping: finishing the documents already read (Ctrl-C again to quit at once)"
        );
    })
    .context("cannot handle Ctrl-C")?;
    let bar = Bar::new(!args.quiet && std::io::stderr().is_terminal());
    let hooks = Hooks {
        stop: &STOP,
        progress: &|tick| bar.update(tick),
    };
    let report = run::extract(&pipeline, &config, &hooks);
    bar.finish();
    let report = report?;
    let failed: Vec<_> = report.errors.iter().filter(|e| !e.skipped).collect();
    for e in failed.iter().take(ERRORS_SHOWN) {
        eprintln!("entopic: {}: {e}", e.stage);
    }
    if failed.len() > ERRORS_SHOWN {
        let where_ = if config.out.is_some() {
            " (all in errors.csv)"
        } else {
            ""
        };
        eprintln!(
            "entopic: … and {} more failed inputs{where_}",
            failed.len() - ERRORS_SHOWN
        );
    }
    if let (true, Some(note)) = (args.resume, &report.resume_note) {
        eprintln!("entopic: --resume: nothing carried over: {note}");
    }
    if !args.quiet {
        eprint!("{}", run::summary(&report));
    }
    if report.interrupted {
        let last = report.last_input.as_deref().unwrap_or("none");
        let kept = match &config.out {
            Some(dir) => format!(
                "results so far are in {}/*.partial (earlier complete outputs were left as they \
                 were); run again with --resume to finish",
                dir.display()
            ),
            None => "the output holds the documents finished so far".to_string(),
        };
        eprintln!(
            "entopic: interrupted: {} documents written, from {} of {} inputs (last: {last}); {kept}",
            report.documents, report.files_done, report.files_total
        );
        return Ok(ExitCode::from(130));
    }
    Ok(if report.failed() > 0 && !report.closed_pipe {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_evaluate(args: &EvaluateArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings {
        topic_threshold: args.topic_threshold,
        ..Settings::default()
    };
    let pipeline = build(&args.dict, settings)?;
    for gold in &args.gold {
        let report = entopic::evaluate::evaluate(&pipeline, &gold.display().to_string())?;
        println!("== {}", gold.display());
        print!("{}", report.table());
        if args.errors {
            println!();
            for e in &report.errors {
                if e.kind == "topic" {
                    println!("{}: {} {:?}", e.passage, e.what, e.id);
                } else {
                    println!(
                        "{}: {} {} {} {:?} [{}..{}]",
                        e.passage, e.what, e.kind, e.id, e.text, e.start, e.end
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn dict_check(dict: &DictArgs, strict: bool) -> anyhow::Result<ExitCode> {
    let problems = dictionary::check(dict.sources()?);
    for p in &problems {
        println!("{p}");
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    // The taxonomy and automaton must build too.
    let built = match Dictionary::load(dict.sources()?) {
        Ok(d) => Pipeline::new(&d, Settings::default())
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err(_) => Ok(()),
    };
    if let Err(e) = &built {
        println!("{e}");
    }
    eprintln!("entopic dict check: {errors} error(s), {warnings} warning(s)");
    let bad = errors > 0 || built.is_err() || (strict && warnings > 0);
    Ok(if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn dict_stats(dict: &DictArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let dictionary = Dictionary::load(dict.sources()?)?;
    let pipeline = Pipeline::new(&dictionary, Settings::default())?;
    let elapsed = started.elapsed();
    println!("{:<12} {:>8} {:>8}", "type", "entries", "aliases");
    for (kind, entries, aliases) in dictionary.counts() {
        println!("{kind:<12} {entries:>8} {aliases:>8}");
    }
    println!(
        "{:<12} {:>8}",
        "topic tags",
        pipeline.classifier().tags().len()
    );
    println!(
        "automaton: {} patterns; loaded and compiled in {:.1} ms",
        pipeline.tagger().pattern_count(),
        elapsed.as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

fn dict_lookup(dict: &DictArgs, text: &str) -> anyhow::Result<ExitCode> {
    let pipeline = build(dict, Settings::default()).context("loading dictionaries")?;
    let doc = entopic::Document::new("lookup", text);
    let analysis = pipeline.analyze(&doc);
    println!("folded for matching: {:?}", fold(text).text);
    if analysis.mentions.is_empty() {
        println!("no mentions");
    }
    for m in &analysis.mentions {
        let attrs: Vec<String> = m
            .entity
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        println!(
            "{:?} [{}..{}] → {} {} ({}) as {}{}",
            m.text,
            m.start,
            m.end,
            m.entity.kind,
            m.entity.id,
            m.entity.name,
            m.form,
            if attrs.is_empty() {
                String::new()
            } else {
                format!("; {}", attrs.join(", "))
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
