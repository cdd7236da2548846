//! Throughput benchmark: `make bench`.
//!
//! Builds a corpus from the sample documents in `data/` (paragraphs shuffled into new documents,
//! default 200 MB, `ENTOPIC_BENCH_MB` to change), then reports MB/s per stage on one core
//! (ingest, normalize, tag, classify, export), the raw automaton scan as the ceiling, and the
//! end-to-end run of the release binary with `--jobs 1` and `--jobs 2`, with its peak memory.

use entopic::ingest::{self, InputOptions, Units, WalkOptions};
use entopic::{normalize, Pipeline};
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
    let corpus = root.join(format!("target/bench-corpus-{mb}mb"));
    if !corpus.exists() {
        generate(&root.join("data"), &corpus, mb * 1_000_000);
    }
    let files: Vec<PathBuf> = {
        let mut f: Vec<PathBuf> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        f.sort();
        f
    };
    let total: u64 = files.iter().map(|f| f.metadata().unwrap().len()).sum();
    let mbs = |d: Duration| total as f64 / 1e6 / d.as_secs_f64();
    println!(
        "corpus: {} files, {:.1} MB ({})",
        files.len(),
        total as f64 / 1e6,
        corpus.display()
    );

    let started = Instant::now();
    let pipeline = Pipeline::bundled().unwrap();
    println!(
        "dictionaries loaded and compiled in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let zero = Duration::ZERO;
    let (mut t_ingest, mut t_norm, mut t_tag, mut t_classify, mut t_export, mut t_raw) =
        (zero, zero, zero, zero, zero, zero);
    let options = InputOptions::default();
    let mut sink = std::io::sink();
    let (mut mentions, mut raw) = (0usize, 0usize);
    for file in &files {
        let t = Instant::now();
        let units = Units::new(
            ingest::walk(std::slice::from_ref(file), &WalkOptions::default()),
            options.clone(),
        );
        let docs: Vec<_> = units.map(|u| ingest::load(u, &options).unwrap()).collect();
        t_ingest += t.elapsed();
        for doc in docs {
            let t = Instant::now();
            let folded = normalize::fold(&doc.text);
            t_norm += t.elapsed();
            let t = Instant::now();
            raw += pipeline.tagger().raw_match_count(&folded.text);
            t_raw += t.elapsed();
            let t = Instant::now();
            let found = pipeline.tagger().tag(&doc.text, &folded);
            t_tag += t.elapsed();
            let t = Instant::now();
            let topics = pipeline.classifier().classify(&folded.text, &found);
            t_classify += t.elapsed();
            mentions += found.len();
            let t = Instant::now();
            let analysis = entopic::Analysis {
                mentions: found,
                topics,
                rejected: Vec::new(),
            };
            serde_json::to_writer(&mut sink, &entopic::export::record(&doc, &analysis)).unwrap();
            t_export += t.elapsed();
        }
    }
    let staged = t_ingest + t_norm + t_tag + t_classify + t_export;
    println!("\nstage (one core)      seconds     MB/s");
    for (name, d) in [
        ("ingest", t_ingest),
        ("normalize", t_norm),
        ("tag", t_tag),
        ("classify", t_classify),
        ("export (jsonl)", t_export),
        ("all stages", staged),
        ("raw automaton scan", t_raw),
    ] {
        println!("{name:<20} {:>8.2} {:>8.1}", d.as_secs_f64(), mbs(d));
    }
    println!("mentions {mentions}, raw automaton matches {raw}");
    println!(
        "tag vs raw scan: {:.2}× the raw scan time",
        t_tag.as_secs_f64() / t_raw.as_secs_f64()
    );

    let bin = root.join("target/release/entopic");
    if !bin.exists() {
        println!(
            "\n(end-to-end skipped: build target/release/entopic first, as `make bench` does)"
        );
        return;
    }
    println!("\nend to end (release binary, --out to a temporary folder)");
    let mut one = 0.0;
    for jobs in [1, 2] {
        let out = tempfile::tempdir().unwrap();
        let t = Instant::now();
        let o = Command::new(&bin)
            .args([
                "extract",
                corpus.to_str().unwrap(),
                "--out",
                out.path().to_str().unwrap(),
                "--jobs",
                &jobs.to_string(),
            ])
            .output()
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stderr = String::from_utf8_lossy(&o.stderr);
        let peak = stderr
            .lines()
            .find_map(|l| l.split("peak memory ").nth(1))
            .unwrap_or("n/a");
        if jobs == 1 {
            one = secs;
        }
        println!(
            "--jobs {jobs}: {secs:>6.2} s {:>7.1} MB/s  speed-up {:.2}×  peak memory {peak}",
            total as f64 / 1e6 / secs,
            one / secs
        );
    }
}

/// Writes about `bytes` of plain-text documents made of shuffled paragraphs of `data/`.
fn generate(data: &Path, corpus: &Path, bytes: usize) {
    let options = InputOptions::default();
    let walk = WalkOptions {
        exclude: vec!["README.md".into()],
        ..WalkOptions::default()
    };
    let paragraphs: Vec<String> =
        Units::new(ingest::walk(&[data.to_path_buf()], &walk), options.clone())
            .filter_map(|u| ingest::load(u, &options).ok())
            .flat_map(|d| d.text.split("\n\n").map(str::to_string).collect::<Vec<_>>())
            .filter(|p| p.len() > 80)
            .collect();
    assert!(
        !paragraphs.is_empty(),
        "no sample paragraphs in {}",
        data.display()
    );
    std::fs::create_dir_all(corpus).unwrap();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut written, mut n) = (0, 0);
    while written < bytes {
        let target = 2_000 + (next() % 30_000) as usize;
        let mut doc = String::with_capacity(target + 1000);
        while doc.len() < target {
            doc.push_str(&paragraphs[(next() % paragraphs.len() as u64) as usize]);
            doc.push_str("\n\n");
        }
        std::fs::write(corpus.join(format!("doc{n:06}.txt")), &doc).unwrap();
        written += doc.len();
        n += 1;
    }
}
