//! Drives `entopic report` and `extract --report` through the real binary: the sections and
//! figures of the page against counts taken from `documents.jsonl` independently, no external
//! resources, the same bytes twice, and hostile documents that try to inject markup or script.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
mod common;

use common::{run, stderr};
use std::path::Path;

fn records(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("documents.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const DATA_OPEN: &str = r#"<script type="application/json" id="report-data">"#;

/// The raw text of the page's JSON data block.
fn data_block(html: &str) -> &str {
    let start = html.find(DATA_OPEN).expect("a data block") + DATA_OPEN.len();
    let end = start + html[start..].find("</script>").unwrap();
    &html[start..end]
}

/// Every `src`/`href` attribute value in the markup.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["src=", "href="] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            let value: String = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].chars().take_while(|&c| c != q).collect(),
                _ => rest
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != '>')
                    .collect(),
            };
            found.push(value);
        }
    }
    found
}

#[test]
fn report_on_the_demo_data() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("run");
    let dir_s = dir.to_str().unwrap();
    let o = run(&[
        "extract",
        "data",
        "--exclude",
        "README.md",
        "--out",
        dir_s,
        "--format",
        "csv",
        "--report",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ".entopic-manifest.json",
            ".entopic-state.jsonl",
            ".entopic.lock",
            "cooccurrence.csv",
            "documents.csv",
            "documents.jsonl",
            "entities.csv",
            "errors.csv",
            "mentions.csv",
            "report.html",
            "run.json"
        ]
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();

    // Expected figures, counted here from documents.jsonl.
    let recs = records(&dir);
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    // (type, id) → (name, mentions, documents)
    let mut entities: HashMap<(String, String), (String, usize, usize)> = HashMap::new();
    let mut cell: HashMap<(String, String), usize> = HashMap::new();
    let mut tags: HashMap<String, usize> = HashMap::new();
    for r in &recs {
        let mut seen = Vec::new();
        for e in r["entities"].as_array().unwrap() {
            let key = (
                e["type"].as_str().unwrap().to_string(),
                e["id"].as_str().unwrap().to_string(),
            );
            *by_type.entry(key.0.clone()).or_default() += 1;
            let slot = entities.entry(key.clone()).or_insert((
                e["name"].as_str().unwrap().to_string(),
                0,
                0,
            ));
            slot.1 += 1;
            if !seen.contains(&key) {
                slot.2 += 1;
                seen.push(key);
            }
        }
        for t in r["topics"].as_array().unwrap() {
            let tag = t["tag"].as_str().unwrap().to_string();
            *tags.entry(tag.clone()).or_default() += 1;
            for (kind, id) in &seen {
                if kind == "country" {
                    *cell
                        .entry((entities[&(kind.clone(), id.clone())].0.clone(), tag.clone()))
                        .or_default() += 1;
                }
            }
        }
    }
    assert_eq!(recs.len(), 25);
    assert!(html.contains(r#"<div class="n">25</div><div class="l">documents</div>"#));
    let total: usize = by_type.values().sum();
    assert!(html.contains(&format!(
        r#"<div class="n">{total}</div><div class="l">mentions</div>"#
    )));
    for (kind, n) in &by_type {
        let distinct = entities.keys().filter(|(t, _)| t == kind).count();
        assert!(
            html.contains(&format!(
                r#"<div class="n">{n}</div><div class="l">{kind} mentions · {distinct} distinct</div>"#
            )),
            "card for {kind}"
        );
    }
    assert!(
        html.contains(r#"<div class="n">0</div><div class="l">failed inputs · 1 skipped</div>"#)
    );
    for id in [
        "totals",
        "entities",
        "topics",
        "heatmap",
        "network",
        "documents",
        "errors",
    ] {
        assert!(
            html.contains(&format!(r#"<section id="{id}""#)),
            "section {id}"
        );
    }
    // The most mentioned entity of each type heads its bar chart, with its figures.
    for kind in ["country", "leader", "weapon"] {
        let top = entities
            .iter()
            .filter(|((t, _), _)| t == kind)
            .max_by(|a, b| {
                a.1 .1
                    .cmp(&b.1 .1)
                    .then(a.1 .2.cmp(&b.1 .2))
                    .then(b.1 .0.cmp(&a.1 .0))
            })
            .unwrap()
            .1;
        let bar = format!("<title>{}: {} ({} docs)</title>", top.0, top.1, top.2);
        assert!(html.contains(&bar), "missing bar {bar}");
    }
    for name in ["United States", "Kim Jong Un", "drone", "Armed Conflict"] {
        assert!(
            html.contains(&format!(r#"data-q="&quot;{name}&quot;""#)),
            "{name}"
        );
    }
    let (top_tag, top_tag_docs) = tags
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .unwrap();
    let top_tag_html = top_tag.replace('&', "&amp;");
    assert!(html.contains(&format!(
        "<title>{top_tag_html}: {top_tag_docs} ({:.0}%)</title>",
        100.0 * *top_tag_docs as f64 / 25.0
    )));
    let us_cell = cell[&("United States".to_string(), top_tag.clone())];
    assert!(html.contains(&format!(
        "<title>United States × {top_tag_html}: {us_cell} documents</title>"
    )));
    assert_eq!(html.matches(r#"<g class="node""#).count(), 25);
    assert!(
        html.contains("data/make_encoded.py"),
        "the skipped file is listed"
    );

    // The table data: every document in order, mentions in context as in the records.
    let data: Value = serde_json::from_str(data_block(&html)).unwrap();
    let rows = data["rows"].as_array().unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str().unwrap()).collect();
    let want: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, want);
    let names: Vec<&str> = data["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[1].as_str().unwrap())
        .collect();
    let korea = ids
        .iter()
        .position(|i| *i == "data/korea/hwasong-19-launch.txt")
        .unwrap();
    let snippets = rows[korea][6].as_array().expect("contexts for a file");
    let kim = snippets
        .iter()
        .find(|s| names[s[0].as_u64().unwrap() as usize] == "Kim Jong Un")
        .unwrap();
    assert_eq!(kim[2], "Kim Jong Un");
    assert!(
        kim[1]
            .as_str()
            .unwrap()
            .ends_with("The statement said leader "),
        "{kim}"
    );
    assert!(
        kim[3].as_str().unwrap().starts_with(" watched the launch"),
        "{kim}"
    );
    // Records of a JSONL feed are found again by id, the feed's path kept beside the id.
    let wire = ids.iter().position(|i| *i == "wire-0601").unwrap();
    assert_eq!(rows[wire][1], "data/feeds/wire-june-2025.jsonl");
    assert!(rows[wire][6].as_array().is_some_and(|s| !s.is_empty()));
    for (r, rec) in rows.iter().zip(&recs) {
        let Some(snippets) = r[6].as_array() else {
            panic!("{}: no contexts", r[0]);
        };
        for s in snippets {
            let texts: Vec<&str> = rec["entities"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["name"] == names[s[0].as_u64().unwrap() as usize])
                .map(|e| e["text"].as_str().unwrap())
                .collect();
            assert_eq!(Some(&s[2].as_str().unwrap()), texts.first(), "{}", r[0]);
        }
    }

    // Nothing comes from the network.
    for link in links(&html) {
        assert!(link.starts_with('#'), "external or file link {link:?}");
    }
    let markup = html.replace(data_block(&html), "");
    for banned in [
        "http://", "https://", "url(", "@import", "<link", "<iframe", "<img",
    ] {
        assert!(!markup.contains(banned), "{banned} in the page");
    }
    assert!(html.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; script-src &#39;sha256-"#));

    // `entopic report` on the same folder writes the same bytes.
    let o = run(&["report", dir_s]);
    assert_eq!(o.status.code(), Some(0));
    let msg = stderr(&o);
    assert!(
        msg.starts_with(&format!("wrote {dir_s}/report.html ("))
            && msg.contains("; 25 documents, 25 in the table, 24 with mentions in context) in "),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.html")).unwrap(),
        html
    );
}

#[test]
fn report_needs_results_and_extract_report_needs_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let o = run(&["report", d]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!("entopic: error: {d}: no documents.jsonl (write one with `entopic extract … --out DIR --format jsonl`, or use `extract --report`)\n")
    );
    std::fs::write(
        dir.path().join("documents.jsonl"),
        "{\"id\":\"a\"}\nnot json\n",
    )
    .unwrap();
    let o = run(&["report", d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(&format!(
            "entopic: error: {d}/documents.jsonl:2: not a documents.jsonl record: "
        )),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("report.html").exists());
    let o = run(&["extract", "data/korea", "--report"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "entopic: error: --report needs --out DIR (the report is written there)\n"
    );
}

#[test]
fn hostile_documents_cannot_inject_markup_or_script() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let evil_txt = "Russia said </script><script>alert(1)</script><img src=x onerror=alert(2)> in Moscow & \"Kyiv\" 'quoted'.";
    std::fs::write(input.join("a<b>.txt"), evil_txt).unwrap();
    std::fs::write(
        input.join("page.html"),
        "<html><head><title>&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt; China</title></head>\
         <body><p>China and &lt;svg onload=alert(4)&gt; Japan.</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        input.join("feed.jsonl"),
        r#"{"id":"<img src=x onerror=alert(5)>","title":"</script><!--","date":"<b>2025</b>","text":"Vladimir Putin met Xi Jinping. <iframe src=javascript:alert(6)>"}"#,
    )
    .unwrap();
    std::fs::write(input.join("empty <i>.txt"), "").unwrap();
    let out = tmp.path().join("out <b onmouseover=alert(7)>");
    let o = run(&[
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--report",
        "--quiet",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the empty file fails: {}",
        stderr(&o)
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();

    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the data block and the page script"
    );
    for injected in [
        "<img",
        "<iframe",
        "<svg onload",
        "<b>",
        "<b ",
        "<i>",
        "<!--",
        "</title><script",
    ] {
        assert!(!html.contains(injected), "{injected} reached the page");
    }
    // In the markup, hostile names are escaped text.
    assert!(html.contains("out &lt;b onmouseover=alert(7)&gt;</code>"));
    assert!(html.contains("empty &lt;i&gt;.txt</td>"));
    // In the data block, they are JSON strings with no `<` at all, and read back unchanged.
    let block = data_block(&html);
    assert!(!block.contains('<') && !block.contains('>'), "{block}");
    let data: Value = serde_json::from_str(block).unwrap();
    let rows = data["rows"].as_array().unwrap();
    let row = |id: &str| {
        rows.iter()
            .find(|r| r[0].as_str().unwrap().ends_with(id))
            .unwrap_or_else(|| panic!("no row {id}"))
    };
    let feed = row("<img src=x onerror=alert(5)>");
    assert_eq!(feed[2], "</script><!--");
    assert_eq!(feed[3], "<b>2025</b>");
    assert_eq!(
        row("page.html")[2],
        "</title><script>alert(3)</script> China"
    );
    let russia = &row("a<b>.txt")[6][0];
    assert_eq!(russia[2], "Russia");
    assert_eq!(
        russia[3],
        " said </script><script>alert(1)</script><img src=x…"
    );
}
