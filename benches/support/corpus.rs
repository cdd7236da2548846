//! The benchmark corpus: realistic news in the formats and proportions of `data/`.
//!
//! Built from the sentences of the sample documents in `data/` (written for this project), so no
//! real article is copied. A stream of news is not all foreign affairs: about a third of the
//! documents are "foreign desk" articles (mostly sentences that name leaders, countries or
//! weapons, as dense as `data/` itself, ~13 mentions per 1,000 characters), the rest are general
//! news with a mention now and then. Made-up personal names and figures are sprinkled in so the
//! vocabulary has a long tail, as real text does. The bench prints the density it got.
//!
//! Layout: one sub-folder per format, with about the byte shares of `data/` — `txt/` 65 % (a few
//! in Windows-1252, UTF-8 with BOM and UTF-16), `md/` 6 %, `html/` 17 % (pages with head, nav,
//! script and footer), `jsonl/` 8 % and `csv/` 4 % (feeds of a few hundred records). Document
//! sizes follow a log-normal distribution around 5 KB. Generation is deterministic.

use entopic::ingest::{self, InputOptions, Units, WalkOptions};
use entopic::{Document, Pipeline};
use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic random generator (xorshift64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// A standard normal sample (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = ((self.next() >> 11) as f64 + 1.0) / ((1u64 << 53) as f64 + 1.0);
        let v = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Syllables for made-up names (people, towns) and for the synthetic dictionary.
pub const SYLLABLES: &[&str] = &[
    "al", "ber", "con", "dra", "el", "fen", "gar", "hal", "in", "jor", "ka", "lin", "mar", "nor",
    "os", "pel", "quin", "ros", "sel", "tan", "ur", "val", "wen", "yor", "zel", "the", "ter",
    "ment", "ing", "an", "ex", "port",
];

/// A capitalized made-up word of two or three syllables.
pub fn name(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
    s[..1].make_ascii_uppercase();
    s
}

/// Sentences of the sample documents, split by whether they mention any entity.
struct Pools {
    dense: Vec<String>,
    plain: Vec<String>,
    titles: Vec<String>,
}

fn pools(data: &Path, pipeline: &Pipeline) -> Pools {
    let options = InputOptions::default();
    let walk = WalkOptions {
        exclude: vec!["README.md".into()],
        ..WalkOptions::default()
    };
    let docs: Vec<Document> =
        Units::new(ingest::walk(&[data.to_path_buf()], &walk), options.clone())
            .filter_map(|u| ingest::load(u, &options).ok())
            .collect();
    let mut pools = Pools {
        dense: Vec::new(),
        plain: Vec::new(),
        titles: Vec::new(),
    };
    for doc in &docs {
        pools.titles.extend(doc.title.clone());
        for para in doc.text.split("\n\n") {
            let para = para.trim();
            if para.len() < 40 || para.starts_with(['#', '|', '-']) {
                continue;
            }
            for sentence in sentences(para) {
                let found = pipeline.analyze(&Document::new("s", sentence.clone()));
                if found.mentions.is_empty() {
                    pools.plain.push(sentence);
                } else {
                    pools.dense.push(sentence);
                }
            }
        }
    }
    assert!(
        !pools.dense.is_empty() && !pools.plain.is_empty(),
        "no sample sentences in {}",
        data.display()
    );
    if pools.titles.is_empty() {
        pools.titles.push("News".into());
    }
    pools
}

/// Splits a paragraph after `. `, `? ` and `! ` followed by a capital letter.
fn sentences(para: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = para.as_bytes();
    for i in 1..bytes.len().saturating_sub(1) {
        if matches!(bytes[i - 1], b'.' | b'?' | b'!')
            && bytes[i] == b' '
            && bytes[i + 1].is_ascii_uppercase()
        {
            out.push(para[start..i].replace('\n', " "));
            start = i + 1;
        }
    }
    out.push(para[start..].replace('\n', " "));
    out.retain(|s| s.len() >= 20);
    out
}

/// Paragraphs of about `size` bytes for one document of the given kind.
fn body(pools: &Pools, rng: &mut Rng, size: usize, foreign: bool) -> Vec<String> {
    let dense_share = if foreign { 0.75 } else { 0.06 };
    let mut paras = Vec::new();
    let mut total = 0;
    while total < size {
        let mut para = String::new();
        for _ in 0..2 + rng.below(4) {
            let pool = if rng.chance(dense_share) {
                &pools.dense
            } else {
                &pools.plain
            };
            let mut s = rng.pick(pool).clone();
            if rng.chance(0.2) {
                // A made-up source or figure: the long tail of a real vocabulary.
                let trimmed = s.trim_end_matches(['.', '"', '\u{201D}']).len();
                let extra = if rng.chance(0.5) {
                    format!(", said {} {}", name(rng), name(rng))
                } else {
                    format!(
                        ", up {}.{}% from {}",
                        rng.below(90),
                        rng.below(10),
                        name(rng)
                    )
                };
                s.insert_str(trimmed, &extra);
            }
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(&s);
        }
        total += para.len() + 2;
        paras.push(para);
    }
    paras
}

fn doc_size(rng: &mut Rng, median: f64) -> usize {
    (median * (0.7 * rng.normal()).exp()).clamp(600.0, 80_000.0) as usize
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html_page(title: &str, date: &str, paras: &[String], rng: &mut Rng) -> String {
    let mut p = String::with_capacity(paras.iter().map(|s| s.len() + 16).sum::<usize>() + 2500);
    let title = escape_html(title);
    let _ = write!(
        p,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <title>{title} | Meridian</title>\n\
         <meta property=\"article:published_time\" content=\"{date}T08:00:00Z\">\n\
         <style>body{{font:16px/1.5 Georgia,serif}} .nav a{{color:#234}} .byline{{color:#777}}</style>\n\
         <script>window.dataLayer=window.dataLayer||[];dataLayer.push({{\"section\":\"world\",\"id\":{}}});</script>\n\
         </head><body><header><nav class=\"nav\"><a href=\"/\">Home</a> <a href=\"/world\">World</a> \
         <a href=\"/business\">Business</a> <a href=\"/sport\">Sport</a></nav></header>\n\
         <main><article><h1>{title}</h1><p class=\"byline\">By {} {} &middot; {date}</p>\n",
        rng.below(1_000_000),
        name(rng),
        name(rng)
    );
    for (i, para) in paras.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            let _ = writeln!(p, "<h2>{}</h2>", escape_html(&name(rng)));
        }
        let _ = writeln!(p, "<p>{}</p>", escape_html(para));
    }
    p.push_str(
        "</article></main><footer><p>&copy; Meridian News. <a href=\"/terms\">Terms</a> \
         &middot; <a href=\"/privacy\">Privacy</a></p></footer>\n\
         <script src=\"/static/app.js\" defer></script></body></html>\n",
    );
    p
}

fn date(rng: &mut Rng) -> String {
    format!(
        "20{:02}-{:02}-{:02}",
        15 + rng.below(11),
        1 + rng.below(12),
        1 + rng.below(28)
    )
}

/// Writes about `bytes` of documents into `corpus` (see the module docs).
pub fn generate(data: &Path, corpus: &Path, bytes: usize, pipeline: &Pipeline) {
    let pools = pools(data, pipeline);
    let tmp = corpus.with_extension("partial");
    let _ = std::fs::remove_dir_all(&tmp);
    for sub in ["txt", "md", "html", "jsonl", "csv"] {
        std::fs::create_dir_all(tmp.join(sub)).unwrap();
    }
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    // Byte shares of txt, md, html, jsonl, csv; each file goes to the format furthest below its
    // share so far (feeds are large files, so choosing by count would skew the mix).
    const SHARES: [f64; 5] = [0.65, 0.06, 0.17, 0.08, 0.04];
    let mut per_format = [0usize; 5];
    let (mut written, mut n) = (0usize, 0usize);
    while written < bytes {
        n += 1;
        let format = (0..5)
            .min_by(|&a, &b| {
                let behind = |f: usize| per_format[f] as f64 - SHARES[f] * written as f64;
                behind(a).total_cmp(&behind(b))
            })
            .unwrap();
        let foreign = rng.chance(0.35);
        let title = rng.pick(&pools.titles).clone();
        let date = date(&mut rng);
        let (path, content): (String, Vec<u8>) = if format == 0 {
            let size = doc_size(&mut rng, 5000.0);
            let mut text = format!("{title}\n\n{date} - ");
            text.push_str(&body(&pools, &mut rng, size, foreign).join("\n\n"));
            text.push('\n');
            let bytes = match rng.below(100) {
                0..=2 => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
                3..=4 => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
                5 => [0xFF, 0xFE]
                    .into_iter()
                    .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                    .collect(),
                _ => text.into_bytes(),
            };
            (format!("txt/{n:06}.txt"), bytes)
        } else if format == 1 {
            let size = doc_size(&mut rng, 5000.0);
            let mut md = format!("# {title}\n\n*{date}*\n\n");
            for (i, para) in body(&pools, &mut rng, size, foreign).iter().enumerate() {
                match i % 5 {
                    3 => {
                        let _ = write!(md, "## {}\n\n", name(&mut rng));
                        md.push_str(para);
                    }
                    4 => {
                        for s in sentences(para) {
                            let _ = writeln!(md, "- {s}");
                        }
                    }
                    _ => md.push_str(para),
                }
                md.push_str("\n\n");
            }
            (format!("md/{n:06}.md"), md.into_bytes())
        } else if format == 2 {
            let size = doc_size(&mut rng, 5000.0);
            let paras = body(&pools, &mut rng, size, foreign);
            let page = html_page(&title, &date, &paras, &mut rng);
            (format!("html/{n:06}.html"), page.into_bytes())
        } else if format == 3 {
            let mut feed = Vec::new();
            for r in 0..100 + rng.below(300) {
                let foreign = rng.chance(0.35);
                let size = doc_size(&mut rng, 1500.0);
                let record = serde_json::json!({
                    "id": format!("feed{n:06}-{r:04}"),
                    "date": date,
                    "source": "Meridian Wire",
                    "title": rng.pick(&pools.titles),
                    "text": body(&pools, &mut rng, size, foreign).join("\n\n"),
                });
                serde_json::to_writer(&mut feed, &record).unwrap();
                feed.push(b'\n');
            }
            (format!("jsonl/{n:06}.jsonl"), feed)
        } else {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["id", "date", "headline", "text"]).unwrap();
            for r in 0..100 + rng.below(200) {
                let foreign = rng.chance(0.35);
                let size = doc_size(&mut rng, 1200.0);
                let text = body(&pools, &mut rng, size, foreign).join("\n\n");
                let id = format!("row{n:06}-{r:04}");
                let headline = rng.pick(&pools.titles).as_str();
                w.write_record([id.as_str(), &date, headline, &text])
                    .unwrap();
            }
            (format!("csv/{n:06}.csv"), w.into_inner().unwrap())
        };
        written += content.len();
        per_format[format] += content.len();
        std::fs::write(tmp.join(path), content).unwrap();
    }
    std::fs::rename(&tmp, corpus).unwrap();
}

/// Writes a dictionary folder with `aliases` made-up names (type `synthetic`, two aliases per
/// entry), for measuring how the cost grows with the dictionary. The names are built from common
/// English syllables, so the automaton walks deep into them on real text, as it does with real
/// names.
pub fn synthetic_dictionary(dir: &Path, aliases: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Rng::new(0x2545_F491_4F6C_DD1D);
    let mut tsv = String::from("id\tname\taliases\n");
    let mut seen = std::collections::HashSet::new();
    let mut n = 0;
    while n < aliases {
        let first = format!("{} {}", name(&mut rng), name(&mut rng));
        let second = name(&mut rng) + &name(&mut rng).to_lowercase();
        if !seen.insert(first.clone()) || !seen.insert(second.clone()) {
            continue;
        }
        let _ = writeln!(tsv, "syn-{n:06}\t{first}\t{second}");
        n += 2;
    }
    std::fs::write(dir.join("synthetics.tsv"), tsv).unwrap();
}
