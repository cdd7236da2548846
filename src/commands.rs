//! What each subcommand does, on top of the library.

use crate::cli::{
    Args, Command, CvArgs, DictArgs, DictCommand, EvaluateArgs, ExplainArgs, ExtractArgs,
    LabelledArgs, ReportArgs, TopicArgs, TopicsCommand, TrainArgs,
};
use crate::progress::Bar;
use anyhow::Context as _;
use entopic::dictionary::{self, Dictionary, Severity, Source};
use entopic::normalize::fold;
use entopic::run::Hooks;
use entopic::{ingest, run, Pipeline, PipelineBuilder};
use std::io::IsTerminal;
use std::io::Write as _;
use std::process::ExitCode;

/// `print!` for results on stdout: a closed stdout (`entopic dict stats | head`) ends the process
/// quietly with exit code 0, as it does for `extract`; any other write error exits 2.
macro_rules! out {
    ($($arg:tt)*) => {
        if let Err(e) = write!(std::io::stdout(), $($arg)*) {
            stdout_failed(e)
        }
    };
}

/// `println!` with the behaviour of [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => {
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            stdout_failed(e)
        }
    };
}

fn stdout_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("entopic: error: cannot write to stdout: {e}");
    std::process::exit(2);
}

/// Errors listed on stderr before "and N more"; all are in `errors.csv`.
const ERRORS_SHOWN: usize = 20;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Extract(extract) => run_extract(&extract),
        Command::Report(args) => run_report(&args),
        Command::Evaluate(args) => run_evaluate(&args),
        Command::Explain(args) => run_explain(&args),
        Command::Topics(TopicsCommand::Train(args)) => topics_train(&args),
        Command::Topics(TopicsCommand::Evaluate(args)) => topics_evaluate(&args),
        Command::Dict(DictCommand::Check {
            dirs,
            mut dict,
            strict,
        }) => {
            dict.dicts.extend(dirs);
            dict_check(&dict, strict)
        }
        Command::Dict(DictCommand::Stats { dict }) => dict_stats(&dict),
        Command::Dict(DictCommand::Lookup {
            text,
            date,
            json,
            dict,
        }) => dict_lookup(&dict, &text, date, json),
    }
}

fn build(dict: &DictArgs, settings: PipelineBuilder) -> anyhow::Result<&'static Pipeline> {
    let dictionary = Dictionary::load(dict.sources()?)?;
    Ok(for_the_process(settings.dictionary(dictionary).build()?))
}

/// The process ends when its command does, so the pipeline is never dropped: freeing its
/// hundred thousand allocations one by one would add 8 % to a `dict stats` run.
fn for_the_process(pipeline: Pipeline) -> &'static Pipeline {
    Box::leak(Box::new(pipeline))
}

/// A pipeline with the chosen taxonomies and learned topic models.
fn build_with_topics(
    sources: Vec<Source>,
    topics: &TopicArgs,
    settings: PipelineBuilder,
) -> anyhow::Result<&'static Pipeline> {
    let models = topics.models()?;
    let mut builder = settings.dictionary(Dictionary::load(sources)?);
    for model in models {
        builder = builder.topic_model(model);
    }
    let pipeline = for_the_process(builder.build()?);
    if pipeline.classifier().tags().is_empty() && pipeline.topic_models().is_empty() {
        eprintln!("entopic: note: no taxonomy and no --topic-model: documents get no topics");
    }
    Ok(pipeline)
}

fn run_extract(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let mut config = args.config()?;
    if config.out.is_none()
        && args.format.contains(&entopic::export::Format::CSV)
        && std::io::stdout().is_terminal()
    {
        eprintln!("entopic: note: without --out, CSV output is mentions.csv only, on stdout");
    }
    let sources = args.dict.sources()?;
    config.dictionaries = sources
        .iter()
        .map(|s| (s.path.clone(), run::fingerprint(s.text.as_bytes())))
        .collect();
    let pipeline = build_with_topics(sources, &args.topics, args.settings()?)?;
    // A retrained model changes topics as much as an edited dictionary: --resume must see it.
    // Taken from the model as loaded (written out again), not from a second read of the file.
    for (path, model) in args.topics.topic_models.iter().zip(pipeline.topic_models()) {
        let hash = run::fingerprint(model.to_tsv().as_bytes());
        config.dictionaries.push((path.display().to_string(), hash));
    }
    crate::stop::install().context("cannot handle Ctrl-C")?;
    let bar = Bar::new(!args.quiet && std::io::stderr().is_terminal());
    let hooks = Hooks {
        stop: &crate::stop::STOP,
        progress: &|tick| bar.update(tick),
    };
    let report = run::extract(pipeline, &config, &hooks);
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
    if let Some(dir) = &config.out {
        for (name, kept) in &report.set_aside {
            eprintln!(
                "entopic: warning: {0}/{name} was changed since entopic wrote it: kept as \
                 {0}/{kept}",
                dir.display()
            );
        }
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
        return Ok(ExitCode::from(crate::stop::exit_code()));
    }
    if let (true, Some(dir)) = (args.report, &config.out) {
        write_report(dir, args.quiet, true)?;
    }
    Ok(if report.failed() > 0 && !report.closed_pipe {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_report(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    write_report(&args.dir, args.quiet, args.force)?;
    Ok(ExitCode::SUCCESS)
}

fn write_report(dir: &std::path::Path, quiet: bool, force: bool) -> anyhow::Result<()> {
    let written = entopic::report::write(dir, force)?;
    if !written.unread.is_empty() {
        eprintln!("entopic: report: no context for {}", written.unread);
    }
    if !quiet {
        eprintln!(
            "wrote {} ({:.1} MB; {} documents, {} in the table, {} with mentions in context) in {:.2} s",
            written.path.display(),
            written.bytes as f64 / 1e6,
            written.documents,
            written.table_rows,
            written.with_context,
            written.elapsed.as_secs_f64()
        );
    }
    Ok(())
}

fn run_evaluate(args: &EvaluateArgs) -> anyhow::Result<ExitCode> {
    let settings = Pipeline::builder()
        .topic_threshold(args.topic_threshold)
        .default_topics(!args.topics.no_default_topics);
    let pipeline = build_with_topics(args.dict.sources()?, &args.topics, settings)?;
    let options = entopic::evaluate::TopicOptions {
        label_field: args.label_field.clone(),
        text_field: args.text_field.clone(),
        tag_map: match &args.tag_map {
            Some(path) => entopic::evaluate::read_tag_map(&path.display().to_string())?,
            None => Default::default(),
        },
        scheme: args.scheme.clone(),
    };
    for gold in &args.gold {
        let report =
            entopic::evaluate::evaluate_with(pipeline, &gold.display().to_string(), &options)?;
        outln!("== {}", gold.display());
        out!("{}", report.table());
        if args.errors {
            outln!();
            for e in &report.errors {
                if e.kind == "topic" {
                    outln!("{}: {} {:?}", e.passage, e.what, e.id);
                } else {
                    outln!(
                        "{}: {} {} {} {:?} [{}..{}]",
                        e.passage,
                        e.what,
                        e.kind,
                        e.id,
                        e.text,
                        e.start,
                        e.end
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_explain(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let (settings, input, walk) = args.config()?;
    let pipeline = build_with_topics(args.dict.sources()?, &args.topics, settings)?;
    let threshold = pipeline.topic_threshold();
    let entries = ingest::walk(std::slice::from_ref(&args.file), &walk);
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    let mut first = true;
    for unit in ingest::Units::new(entries, input.clone()) {
        let doc = match ingest::load(unit, &input) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("entopic: {}: {e}", e.stage);
                failed += 1;
                continue;
            }
        };
        let (analysis, all) = pipeline.explain(&doc);
        let written = if args.json {
            let record = entopic::explain::json(&doc, &analysis, &all, threshold);
            writeln!(out, "{record}")
        } else {
            let separator = if first { "" } else { "\n" };
            let report = entopic::explain::text(&doc, &analysis, &all, threshold);
            write!(out, "{separator}{report}")
        };
        first = false;
        match written {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            other => other?,
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn read_labelled(args: &LabelledArgs) -> anyhow::Result<Vec<entopic::topics::Labelled>> {
    let docs = entopic::topics::labelled::read(&args.file, &args.fields())?;
    if docs.is_empty() {
        anyhow::bail!("{}: no documents", args.file.display());
    }
    Ok(docs)
}

fn topics_train(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    let options = args.labelled.options()?;
    let docs = read_labelled(&args.labelled)?;
    let started = std::time::Instant::now();
    let model = entopic::topics::train(&docs, &options)?;
    let elapsed = started.elapsed();
    let written = entopic::export::AtomicFile::create(&args.out).and_then(|mut file| {
        file.write_all(model.to_tsv().as_bytes())?;
        file.commit()
    });
    written.with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "entopic: trained on {} documents in {:.2} s: {} tags ({}-label), wrote {}",
        docs.len(),
        elapsed.as_secs_f64(),
        model.tags().len(),
        if model.single_label() {
            "single"
        } else {
            "multi"
        },
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn topics_evaluate(args: &CvArgs) -> anyhow::Result<ExitCode> {
    if args.folds < 2 {
        anyhow::bail!("--folds must be at least 2");
    }
    if !(0.0..=1.0).contains(&args.topic_threshold) {
        anyhow::bail!("--topic-threshold must be between 0 and 1");
    }
    let options = args.labelled.options()?;
    let docs = read_labelled(&args.labelled)?;
    if docs.len() < args.folds {
        anyhow::bail!(
            "{} documents cannot be split into {} folds",
            docs.len(),
            args.folds
        );
    }
    let report =
        entopic::topics::cross_validate(&docs, args.folds, &options, args.topic_threshold)?;
    out!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}

/// Every problem of the dictionaries, rules and taxonomies, without compiling a pipeline.
fn dict_check(dict: &DictArgs, strict: bool) -> anyhow::Result<ExitCode> {
    let sources = dict.sources()?;
    let taxonomy: Vec<Source> = sources
        .iter()
        .filter(|s| s.relative.starts_with("topics/"))
        .cloned()
        .collect();
    let mut problems = dictionary::check(sources);
    problems.extend(entopic::classify::check_taxonomy(&taxonomy));
    for p in &problems {
        outln!("{p}");
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    eprintln!("entopic dict check: {errors} error(s), {warnings} warning(s)");
    let bad = errors > 0 || (strict && warnings > 0);
    Ok(if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn dict_stats(dict: &DictArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let dictionary = Dictionary::load(dict.sources()?)?;
    let counts = dictionary.counts();
    let pipeline = for_the_process(Pipeline::builder().dictionary(dictionary).build()?);
    let elapsed = started.elapsed();
    outln!("{:<12} {:>8} {:>8}", "type", "entries", "aliases");
    for (kind, entries, aliases) in counts {
        outln!("{kind:<12} {entries:>8} {aliases:>8}");
    }
    outln!(
        "{:<12} {:>8}",
        "topic tags",
        pipeline.classifier().tags().len()
    );
    outln!(
        "automaton: {} patterns; loaded and compiled in {:.1} ms",
        pipeline.tagger().pattern_count(),
        elapsed.as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

fn dict_lookup(
    dict: &DictArgs,
    text: &str,
    date: Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    crate::cli::check_date(date.as_deref())?;
    let settings = Pipeline::builder().all_candidates(true);
    let pipeline = build(dict, settings).context("loading dictionaries")?;
    let mut doc = entopic::Document::new("lookup", text);
    doc.date = date;
    let analysis = pipeline.analyze(&doc);
    let folded = fold(text).text;
    if json {
        outln!(
            "{}",
            entopic::explain::lookup_json(&doc, &analysis, &folded)
        );
    } else {
        outln!("folded for matching: {folded:?}");
        outln!("{}", entopic::explain::lookup_text(&analysis).trim_end());
    }
    Ok(ExitCode::SUCCESS)
}
