//! Throughput benchmark: `make bench`.
//!
//! Generates a realistic corpus (see `support/corpus.rs`: the formats and proportions of
//! `data/`, natural mention density; default 200 MB, `ENTOPIC_BENCH_MB` to change) into
//! `target/`. Its `txt/` folder is a folder of small news files (about 5 KB each), the case the
//! speed target is set on. The bench reports:
//! - the **raw scan**, the ceiling: an Aho-Corasick DFA over the tagger's patterns (the folded
//!   aliases and blocking phrases), ASCII case-insensitive as the tagger's folding implies,
//!   all overlapping matches kept when they are whole words, on the decoded text of the small
//!   files; every other figure is also given as a fraction of it;
//! - MB/s per stage on one core (ingest, normalize, tag, classify, export) on the same files,
//!   the tagger's own automaton with no rules, and the tag and raw-scan figures with a dictionary
//!   ten times larger;
//! - end to end, the release binary: `--format jsonl` on the small files with `--jobs 1` and
//!   `--jobs 2` (its ratio to the raw scan is the headline), CSV + JSONL and XLSX on them, the
//!   whole corpus (all input formats), and the ten-times dictionary, each with its peak memory.
//!   `ENTOPIC_BENCH_BASELINE=path/to/an/older/entopic` runs that binary too, in turns with ours,
//!   on the small-file runs: a before-and-after from one run of the bench.
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

    let total: u64 = walk_bytes(&corpus);
    let small = corpus.join("txt");
    let small_total: u64 = walk_bytes(&small);
    let entries = ingest::walk(std::slice::from_ref(&small), &WalkOptions::default());
    println!(
        "corpus: {:.1} MB ({}); small files: {} in txt/, {:.1} MB",
        total as f64 / 1e6,
        corpus.display(),
        entries.len(),
        small_total as f64 / 1e6
    );
    let raw = stages(&pipeline, &big, entries, small_total);
    let raw_mbs = small_total as f64 / 1e6 / raw.as_secs_f64();

    let bin = root.join("target/release/entopic");
    if !bin.exists() {
        println!(
            "\n(end-to-end skipped: build target/release/entopic first, as `make bench` does)"
        );
        return;
    }
    println!("\nend to end (release binary, --out to a temporary folder; × raw = MB per CPU second / raw scan MB/s)");
    // The headline runs, also with a baseline binary when one is given to compare with.
    let baseline = std::env::var_os("ENTOPIC_BENCH_BASELINE").map(PathBuf::from);
    let compared = |what: &str, jobs: usize, extra: &[&str]| {
        let bins: Vec<&Path> = std::iter::once(bin.as_path())
            .chain(baseline.as_deref())
            .collect();
        end_to_end(&bins, what, &small, small_total, jobs, extra, raw_mbs)
    };
    let run = |what: &str, input: &Path, bytes: u64, jobs: usize, extra: &[&str]| {
        end_to_end(&[&bin], what, input, bytes, jobs, extra, raw_mbs)
    };
    let jsonl = ["--format", "jsonl"];
    let one = compared("small, jsonl", 1, &jsonl);
    let two = compared("small, jsonl", 2, &jsonl);
    let both = compared("small, csv+jsonl", 1, &["--format", "csv,jsonl"]);
    let xlsx = run("small, xlsx", &small, small_total, 1, &["--format", "xlsx"]);
    let all = run("all inputs", &corpus, total, 1, &jsonl);
    let all2 = run("all inputs", &corpus, total, 2, &jsonl);
    let dict = ["--format", "jsonl", "--dict", big_dict.to_str().unwrap()];
    run("all, 10× dict", &corpus, total, 1, &dict);
    println!(
        "\nsmall files, --jobs 1, JSONL: {:.3} of the raw scan (by CPU time; {:.3} by wall clock)",
        raw.as_secs_f64() / one.cpu,
        raw.as_secs_f64() / one.secs
    );
    println!(
        "--jobs 2 speed-up: small files {:.2}×, all inputs {:.2}×",
        one.secs / two.secs,
        all.secs / all2.secs
    );
    println!(
        "CSV + JSONL: {:.2} of JSONL alone; XLSX: {:.2} of JSONL alone (by CPU time)",
        one.cpu / both.cpu,
        one.cpu / xlsx.cpu
    );
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

/// The raw scan the pipeline is measured against: the tagger's patterns in an Aho-Corasick DFA,
/// ASCII case-insensitive (what the tagger's folding does to ASCII text).
fn raw_dfa(p: &Pipeline) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .build(p.tagger().pattern_texts())
        .unwrap()
}

/// All overlapping matches of `dfa` in `text` that are whole words.
fn whole_word_matches(dfa: &aho_corasick::AhoCorasick, text: &str) -> usize {
    let bytes = text.as_bytes();
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    dfa.find_overlapping_iter(text)
        .filter(|m| {
            let before = m.start().checked_sub(1).and_then(|i| bytes.get(i));
            !word(before) && !word(bytes.get(m.end()))
        })
        .count()
}

/// Times each stage on one core (thread CPU time), document by document; then, each in a pass
/// of its own so that none runs with another's data in the caches, the matchers to compare with.
/// Returns the raw scan's time.
fn stages(
    pipeline: &Pipeline,
    big: &Pipeline,
    entries: Vec<ingest::Entry>,
    total: u64,
) -> Duration {
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
    let timed = |f: &mut dyn FnMut(&entopic::Document, &Normalized) -> usize| {
        let (mut spent, mut n) = (zero, 0);
        each_folded(&entries, |doc, folded| {
            let clock = cpu_now();
            n += f(doc, folded);
            spent += cpu_now() - clock;
        });
        (spent, n)
    };
    let clock = Instant::now();
    let bundled_dfa = raw_dfa(pipeline);
    let built = clock.elapsed();
    // The ceiling every ratio divides by: the least disturbed of several passes, like the
    // end-to-end runs, so one slow minute of the machine does not flatter the pipeline.
    let (t_raw, raw) = (0..bench_runs())
        .map(|_| timed(&mut |d, _| whole_word_matches(&bundled_dfa, &d.text)))
        .min()
        .expect("at least one run");
    drop(bundled_dfa);
    let (t_scan, _) = timed(&mut |_, f| pipeline.tagger().raw_match_count(&f.text));
    let (t_big, mentions_big) = timed(&mut |d, f| big.tagger().tag(&d.text, f).len());
    let big_dfa = raw_dfa(big);
    let (t_big_raw, _) = timed(&mut |d, _| whole_word_matches(&big_dfa, &d.text));

    let staged = t[0] + t[1] + t[2] + t[3] + t[4];
    println!(
        "{docs} documents, {mentions} mentions ({:.1} per 1,000 characters); \
         raw scan: {raw} whole-word matches, DFA built in {:.0} ms",
        mentions as f64 * 1000.0 / chars as f64,
        built.as_secs_f64() * 1e3
    );
    println!("\nsmall files, one core       seconds     MB/s   × raw");
    let raw_secs = t_raw.as_secs_f64();
    for (name, d) in [
        ("raw scan (DFA, whole words)", t_raw),
        ("ingest", t[0]),
        ("normalize", t[1]),
        ("tag", t[2]),
        ("classify", t[3]),
        ("export jsonl", t[4]),
        ("export csv", t[5]),
        ("all stages (jsonl)", staged),
        ("tagger scan, no rules", t_scan),
        ("tag, 10× dict", t_big),
        ("raw scan, 10× dict", t_big_raw),
    ] {
        println!(
            "{name:<27} {:>8.2} {:>8.1} {:>7.3}",
            d.as_secs_f64(),
            mbs(d),
            raw_secs / d.as_secs_f64()
        );
    }
    println!(
        "10× dict: tag {:.2}× the bundled tag time, {mentions_big} mentions",
        t_big.as_secs_f64() / t[2].as_secs_f64(),
    );
    t_raw
}

/// Runs of each timed configuration, the least CPU time kept: `ENTOPIC_BENCH_RUNS`, default 3.
fn bench_runs() -> usize {
    std::env::var("ENTOPIC_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3usize)
        .max(1)
}

/// The best of the runs of one configuration.
struct Measured {
    /// Wall-clock seconds.
    secs: f64,
    /// CPU seconds (user + system) of the run.
    cpu: f64,
}

/// Runs the release binary on `input` (the least CPU time of [`bench_runs`] runs, as the
/// machine may be shared) and prints its figures; `raw_mbs` is the raw scan's MB/s on the
/// small files, to give each run as a fraction of it. `bins` is ours, then optionally a
/// baseline: the two take turns run by run, so both meet the same moments of a shared
/// machine, and the baseline's figures are printed below ours.
fn end_to_end(
    bins: &[&Path],
    what: &str,
    input: &Path,
    bytes: u64,
    jobs: usize,
    extra: &[&str],
    raw_mbs: f64,
) -> Measured {
    let mut best: Vec<Option<(Measured, String)>> = bins.iter().map(|_| None).collect();
    for _ in 0..bench_runs() {
        for (bin, best) in bins.iter().zip(&mut best) {
            let (m, peak) = run_once(bin, input, jobs, extra);
            // The least CPU time is the run least disturbed by the rest of the machine.
            if best.as_ref().is_none_or(|(b, _)| m.cpu < b.cpu) {
                *best = Some((m, peak));
            }
        }
    }
    let mb = bytes as f64 / 1e6;
    let mut results = best.into_iter().map(Option::unwrap);
    let (ours, peak) = results.next().unwrap();
    print_measured(what, jobs, &ours, &peak, mb, raw_mbs);
    for (m, peak) in results {
        print_measured("  baseline", jobs, &m, &peak, mb, raw_mbs);
    }
    ours
}

/// One run of `bin extract input --out TMP --jobs N extra…`: its times and peak memory.
fn run_once(bin: &Path, input: &Path, jobs: usize, extra: &[&str]) -> (Measured, String) {
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
    (Measured { secs, cpu }, peak)
}

fn print_measured(what: &str, jobs: usize, m: &Measured, peak: &str, mb: f64, raw_mbs: f64) {
    let ratio = mb / m.cpu / raw_mbs;
    println!(
        "{what:<17} --jobs {jobs}: {:>6.2} s {:>6.1} MB/s  CPU {:>6.2} s {:>6.1} MB/CPU-s  × raw {ratio:.3}  peak memory {peak}",
        m.secs,
        mb / m.secs,
        m.cpu,
        mb / m.cpu,
    );
}
