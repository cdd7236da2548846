//! Throughput benchmark: `make bench`.
//!
//! Generates a realistic corpus (see `support/corpus.rs`: the formats and proportions of
//! `data/`, natural mention density; default 200 MB, `ENTOPIC_BENCH_MB` to change) into
//! `target/`, then reports:
//! - MB/s per stage on one core (ingest, normalize, tag, classify, export), the raw overlapping
//!   Aho-Corasick DFA scan (no rules) as the ceiling, the tagger's own automaton (a contiguous
//!   NFA) scanning with no rules, and the tag and
//!   raw-scan figures with a dictionary ten times larger;
//! - end to end, the release binary on the whole corpus with `--jobs 1` and `--jobs 2`, on the
//!   plain-text part alone, and with the ten-times dictionary, each with its peak memory.
//!
//! Results measured so far are kept in `benches/README.md`.

#[path = "support/corpus.rs"]
mod corpus;

use entopic::export::{self, Format};
use entopic::ingest::{self, InputOptions, Units, WalkOptions};
use entopic::normalize::{self, Normalized};
use entopic::{Dictionary, Pipeline};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    // `cargo test --all-targets` runs bench binaries too, without `--bench`: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mb: usize = std::env::var("ENTOPIC_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let started = Instant::now();
    let pipeline = Pipeline::bundled().unwrap();
    println!(
        "dictionaries loaded and compiled in {:.1} ms ({} patterns)",
        started.elapsed().as_secs_f64() * 1e3,
        pipeline.tagger().pattern_count()
    );
    let corpus = root.join(format!("target/bench-corpus-v2-{mb}mb"));
    if !corpus.exists() {
        let t = Instant::now();
        corpus::generate(&root.join("data"), &corpus, mb * 1_000_000, &pipeline);
        println!("corpus generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let big_dict = root.join("target/bench-dict-10x");
    let bundled_aliases = Dictionary::bundled().unwrap().aliases.len();
    if !big_dict.exists() {
        corpus::synthetic_dictionary(&big_dict, 9 * bundled_aliases);
    }
    let mut sources = entopic::dictionary::Source::bundled();
    sources.extend(entopic::dictionary::Source::read_dir(&big_dict).unwrap());
    let big = Pipeline::builder()
        .dictionary(Dictionary::load(sources).unwrap())
        .build()
        .unwrap();
    println!(
        "10× dictionary: {} patterns ({} bundled aliases + {} synthetic)",
        big.tagger().pattern_count(),
        bundled_aliases,
        9 * bundled_aliases
    );

    let entries = ingest::walk(std::slice::from_ref(&corpus), &WalkOptions::default());
    let files = entries.len();
    let total: u64 = walk_bytes(&corpus);
    let text_total: u64 = walk_bytes(&corpus.join("txt"));
    println!(
        "corpus: {files} files, {:.1} MB ({}); plain text {:.1} MB",
        total as f64 / 1e6,
        corpus.display(),
        text_total as f64 / 1e6
    );
    stages(&pipeline, &big, entries, total);

    let bin = root.join("target/release/entopic");
    if !bin.exists() {
        println!(
            "\n(end-to-end skipped: build target/release/entopic first, as `make bench` does)"
        );
        return;
    }
    println!("\nend to end (release binary, --out to a temporary folder)");
    let one = end_to_end(&bin, "all formats", &corpus, total, 1, &[], None);
    end_to_end(&bin, "all formats", &corpus, total, 2, &[], Some(one));
    let text = corpus.join("txt");
    let one = end_to_end(&bin, "plain text", &text, text_total, 1, &[], None);
    end_to_end(&bin, "plain text", &text, text_total, 2, &[], Some(one));
    let dict = ["--dict", big_dict.to_str().unwrap()];
    end_to_end(&bin, "all, 10× dict", &corpus, total, 1, &dict, None);
}

fn walk_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

/// CPU time used so far by this thread: stage timings are immune to other processes on the
/// machine taking the core away.
fn cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write to; the clock id is a constant the OS knows.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time (user + system) of all waited-for children so far.
fn children_cpu() -> f64 {
    // SAFETY: zeroed rusage is a valid value; getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Calls `f` with every document of the corpus and its fold (not timed).
fn each_folded(entries: &[ingest::Entry], mut f: impl FnMut(&entopic::Document, &Normalized)) {
    let options = InputOptions::default();
    for unit in Units::new(entries.to_vec(), options.clone()) {
        let doc = ingest::load(unit, &options).unwrap();
        f(&doc, &normalize::fold(&doc.text));
    }
}

/// Times each stage on one core (thread CPU time), document by document; then, each in a pass
/// of its own so that none runs with another's data in the caches, the matchers to compare with.
fn stages(pipeline: &Pipeline, big: &Pipeline, entries: Vec<ingest::Entry>, total: u64) {
    let mbs = |d: Duration| total as f64 / 1e6 / d.as_secs_f64();
    let zero = Duration::ZERO;
    let mut t = [zero; 6];
    let options = InputOptions::default();
    let (mut mentions, mut chars, mut docs) = (0, 0, 0);
    let mut units = Units::new(entries.clone(), options.clone());
    loop {
        let clock = cpu_now();
        let Some(unit) = units.next() else { break };
        let doc = ingest::load(unit, &options).unwrap();
        t[0] += cpu_now() - clock;
        docs += 1;
        chars += doc.text.chars().count();

        let clock = cpu_now();
        let folded = normalize::fold(&doc.text);
        t[1] += cpu_now() - clock;
        let clock = cpu_now();
        let found = pipeline.tagger().tag(&doc.text, &folded);
        t[2] += cpu_now() - clock;
        let clock = cpu_now();
        let topics = pipeline.classifier().classify(&folded.text, &found);
        t[3] += cpu_now() - clock;
        mentions += found.len();
        let analysis = entopic::Analysis {
            mentions: found,
            topics,
            rejected: Vec::new(),
        };
        for (i, format) in [(4, Format::JSONL), (5, Format::CSV)] {
            let clock = cpu_now();
            let options = export::Options::default();
            let ctx = export::Context {
                types: pipeline.types(),
                options: &options,
            };
            std::hint::black_box(format.output().render(&ctx, &doc, &analysis));
            t[i] += cpu_now() - clock;
        }
    }
    let dfa = |p: &Pipeline| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(p.tagger().pattern_texts())
            .unwrap()
    };
    let timed = |f: &mut dyn FnMut(&entopic::Document, &Normalized) -> usize| {
        let (mut spent, mut n) = (zero, 0);
        each_folded(&entries, |doc, folded| {
            let clock = cpu_now();
            n += f(doc, folded);
            spent += cpu_now() - clock;
        });
        (spent, n)
    };
    let bundled_dfa = dfa(pipeline);
    let (t_raw, raw) = timed(&mut |_, f| bundled_dfa.find_overlapping_iter(&f.text).count());
    drop(bundled_dfa);
    let (t_nfa, _) = timed(&mut |_, f| pipeline.tagger().raw_match_count(&f.text));
    let (t_big, mentions_big) = timed(&mut |d, f| big.tagger().tag(&d.text, f).len());
    let big_dfa = dfa(big);
    let (t_big_raw, _) = timed(&mut |_, f| big_dfa.find_overlapping_iter(&f.text).count());

    let staged = t[0] + t[1] + t[2] + t[3] + t[4];
    println!(
        "{docs} documents, {mentions} mentions ({:.1} per 1,000 characters); \
         {raw} raw Aho-Corasick matches",
        mentions as f64 * 1000.0 / chars as f64
    );
    println!("\nstage (one core)          seconds     MB/s");
    for (name, d) in [
        ("ingest", t[0]),
        ("normalize", t[1]),
        ("tag", t[2]),
        ("classify", t[3]),
        ("export jsonl", t[4]),
        ("export csv", t[5]),
        ("all stages (jsonl)", staged),
        ("raw Aho-Corasick DFA", t_raw),
        ("raw tagger automaton", t_nfa),
        ("tag, 10× dict", t_big),
        ("raw DFA, 10× dict", t_big_raw),
    ] {
        println!("{name:<24} {:>8.2} {:>8.1}", d.as_secs_f64(), mbs(d));
    }
    println!(
        "tag takes {:.2}× the raw DFA scan time; 10× dict: tag {:.2}× the bundled tag time, {mentions_big} mentions",
        t[2].as_secs_f64() / t_raw.as_secs_f64(),
        t_big.as_secs_f64() / t[2].as_secs_f64(),
    );
}

/// Runs the release binary on `input` (the fastest of `ENTOPIC_BENCH_RUNS` runs, default 3, as
/// the machine may be shared); prints and returns its wall-clock seconds.
fn end_to_end(
    bin: &Path,
    what: &str,
    input: &Path,
    bytes: u64,
    jobs: usize,
    extra: &[&str],
    one: Option<f64>,
) -> f64 {
    let runs: usize = std::env::var("ENTOPIC_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut best: Option<(f64, f64, String)> = None;
    for _ in 0..runs.max(1) {
        let out = tempfile::tempdir().unwrap();
        let cpu = children_cpu();
        let t = Instant::now();
        let o = Command::new(bin)
            .args(["extract", input.to_str().unwrap(), "--out"])
            .arg(out.path())
            .args(["--jobs", &jobs.to_string()])
            .args(extra)
            .output()
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        let cpu = children_cpu() - cpu;
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        let peak = stderr
            .lines()
            .find_map(|l| l.split("peak memory ").nth(1))
            .unwrap_or("n/a")
            .to_string();
        if best.as_ref().is_none_or(|b| secs < b.0) {
            best = Some((secs, cpu, peak));
        }
    }
    let (secs, cpu, peak) = best.unwrap();
    let speedup = one.map_or(String::new(), |one| {
        format!("  speed-up {:.2}×", one / secs)
    });
    println!(
        "{what:<14} --jobs {jobs}: {secs:>6.2} s {:>7.1} MB/s  (CPU {cpu:.2} s)  peak memory {peak}{speedup}",
        bytes as f64 / 1e6 / secs,
    );
    secs
}
