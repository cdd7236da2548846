//! The report page: one HTML file with its style, charts, data and script inline.
//!
//! In: the [`Summary`] of a run, the contexts gathered for the table, the error list. Out: the
//! page as a string. Text from documents reaches the page in two ways only: escaped by
//! [`esc`] into markup, or inside a JSON block whose `<`, `>` and `&` are `\u` escapes, so no
//! document can close the block or open a tag; the script puts that data on the page with
//! `textContent`. A Content-Security-Policy allows no network access at all and only the page's
//! own script (by its hash), so a missed escape could still not run anything.

use super::aggregate::{Summary, COUNTRY};
use super::context::{Missing, RowContexts};
use super::svg::{self, esc, phrase, Bar, Heading, Node};
use super::ErrorList;
use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Bars per entity-type chart.
const TOP_ENTITIES: usize = 15;
/// Countries (rows) and tags (columns) of the heat map.
const HEAT_ROWS: usize = 15;
const HEAT_COLS: usize = 16;
/// Entities in the network, and the links drawn between them.
const NETWORK_NODES: usize = 25;
const NETWORK_EDGES: usize = 60;

/// The start of the meta tag recording how many documents the page shows in context, so a
/// later `entopic report` does not replace it with a worse page unawares.
pub const CONTEXTS_META: &str = "<meta name=\"entopic-contexts\" content=\"";

/// Colours of the first entity types (by name: country, leader, weapon), then by position.
const PALETTE: [&str; 6] = [
    "#2f6db5", "#d1495b", "#2e8b57", "#8e6c8a", "#e09f3e", "#5f6c7b",
];

/// What the page is made of.
pub struct Page<'a> {
    /// The output folder, as the user named it.
    pub source: &'a str,
    /// The run's inputs as given (from run.json), for the header; `None` when not recorded.
    pub inputs: Option<&'a str>,
    /// Documents shown with mentions in context (recorded in the page, see [`CONTEXTS_META`]).
    pub with_context: usize,
    pub summary: &'a Summary,
    /// Parallel to `summary.rows`.
    pub contexts: &'a [RowContexts],
    /// `None` when the run left no `errors.csv`.
    pub errors: Option<&'a ErrorList>,
}

/// A type's colour: fixed for the bundled types, from the palette for others.
pub fn type_color(kind: &str, position: usize) -> &'static str {
    match kind {
        "country" => PALETTE[0],
        "leader" => PALETTE[1],
        "weapon" => PALETTE[2],
        _ => PALETTE[3 + position % 3],
    }
}

/// `country` → `Countries`, `weapon` → `Weapons`.
pub fn plural_label(kind: &str) -> String {
    let mut label = match kind.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{stem}ies"),
        _ if kind.ends_with(['s', 'x']) || kind.ends_with("ch") || kind.ends_with("sh") => {
            format!("{kind}es")
        }
        _ => format!("{kind}s"),
    };
    if let Some(first) = label.get(..1) {
        let upper = first.to_uppercase();
        label.replace_range(..1, &upper);
    }
    label
}

/// `40000` → `40,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Appends JSON made safe inside a `<script>` element: `<`, `>` and `&` (which only occur
/// inside strings) become `\u` escapes, as do the line separators JavaScript once rejected.
pub fn push_script_json(out: &mut String, value: &Value) {
    let text = value.to_string();
    out.reserve(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
}

/// The Content-Security-Policy: nothing from the network, only this script.
fn policy() -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT));
    format!("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'")
}

/// The whole page.
pub fn render(page: &Page) -> String {
    let s = page.summary;
    let types = s.types();
    let mut h = String::with_capacity(64 * 1024 + s.rows.len() * 300);
    let _ = write!(
        h,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="generator" content="entopic {version}">
{CONTEXTS_META}{with_context}">
<title>entopic report · {inputs}</title>
<style>
{STYLE}</style>
</head>
<body>
<header>
<h1>entopic report</h1>
<p class="sub">{documents} from <code>{inputs}</code> · results in <code>{source}</code></p>
<nav><a href="#totals">Totals</a><a href="#entities">Entities</a><a href="#topics">Topics</a><a href="#heatmap">Countries × topics</a><a href="#network">Network</a><a href="#documents">Documents</a>{errors_link}</nav>
</header>
<main>
<div id="jserror" hidden></div>
"##,
        policy = esc(&policy()),
        version = env!("CARGO_PKG_VERSION"),
        source = esc(page.source),
        inputs = esc(page.inputs.unwrap_or(page.source)),
        with_context = page.with_context,
        documents = if s.documents == 1 {
            "1 document".to_string()
        } else {
            format!("{} documents", thousands(s.documents))
        },
        errors_link = if page.errors.is_some_and(|e| !e.rows.is_empty()) {
            r##"<a href="#errors">Errors</a>"##
        } else {
            ""
        },
    );
    totals(&mut h, page, &types);
    entities(&mut h, s, &types);
    topics(&mut h, s);
    heat_map(&mut h, s);
    network(&mut h, s, &types);
    documents(&mut h, page, &types);
    if let Some(errors) = page.errors.filter(|e| !e.rows.is_empty()) {
        error_table(&mut h, errors);
    }
    let _ = write!(
        h,
        r#"</main>
<footer>Made by entopic {version} from <code>{source}/documents.jsonl</code>. This file is self-contained: it loads nothing from the network. Click a bar, a heat-map cell or a network node to search the documents for it.</footer>
<script type="application/json" id="report-data">"#,
        version = env!("CARGO_PKG_VERSION"),
        source = esc(page.source),
    );
    data(&mut h, page, &types);
    let _ = write!(
        h,
        "</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    );
    h
}

fn card(h: &mut String, n: usize, label: &str, color: &str, bad: bool) {
    let _ = write!(
        h,
        r#"<div class="card{}" style="border-left-color:{}"><div class="n">{}</div><div class="l">{}</div></div>"#,
        if bad { " bad" } else { "" },
        if bad { "#c0392b" } else { color },
        thousands(n),
        esc(label)
    );
}

fn totals(h: &mut String, page: &Page, types: &[&str]) {
    let s = page.summary;
    h.push_str("<section id=\"totals\" class=\"cards\">\n");
    card(h, s.documents, "documents", "#14213d", false);
    let total: usize = s.mentions_by_type.values().sum();
    card(h, total, "mentions", "#14213d", false);
    for (i, kind) in types.iter().enumerate() {
        let distinct = s.entities.iter().filter(|e| e.kind == *kind).count();
        let label = format!("{kind} mentions · {} distinct", thousands(distinct));
        card(
            h,
            s.mentions_by_type[*kind],
            &label,
            type_color(kind, i),
            false,
        );
    }
    let tagged = s.documents - s.untagged;
    let label = format!(
        "documents with a topic · {} tag{}",
        s.tags.len(),
        if s.tags.len() == 1 { "" } else { "s" }
    );
    card(h, tagged, &label, "#6c5b7b", false);
    match page.errors {
        Some(e) => {
            let label = format!("failed inputs · {} skipped", thousands(e.skipped));
            card(h, e.failed, &label, "#5f6c7b", e.failed > 0);
        }
        None => h.push_str(
            r#"<div class="card"><div class="n">–</div><div class="l">failed inputs (no errors.csv)</div></div>"#,
        ),
    }
    h.push_str("\n</section>\n");
}

fn entities(h: &mut String, s: &Summary, types: &[&str]) {
    h.push_str("<section id=\"entities\">\n<h2>Top entities</h2>\n<p class=\"note\">Mentions of each entity, with the number of documents it appears in.</p>\n");
    if types.is_empty() {
        h.push_str("<p class=\"empty\">No entities were found.</p>\n</section>\n");
        return;
    }
    h.push_str("<div class=\"grid\">\n");
    for (i, kind) in types.iter().enumerate() {
        let bars: Vec<Bar> = s
            .top_of_type(kind, TOP_ENTITIES)
            .into_iter()
            .map(|e| {
                let e = &s.entities[e as usize];
                Bar {
                    label: e.name.clone(),
                    value: e.mentions,
                    note: format!(
                        "{} ({} doc{})",
                        thousands(e.mentions),
                        thousands(e.documents),
                        if e.documents == 1 { "" } else { "s" }
                    ),
                    query: phrase(&e.name),
                }
            })
            .collect();
        let _ = writeln!(
            h,
            "<figure><figcaption>{}</figcaption>{}</figure>",
            esc(&plural_label(kind)),
            svg::bar_chart(&bars, type_color(kind, i), 180)
        );
    }
    h.push_str("</div>\n</section>\n");
}

fn topics(h: &mut String, s: &Summary) {
    let _ = write!(
        h,
        "<section id=\"topics\">\n<h2>Topics</h2>\n<p class=\"note\">Documents carrying each topic tag (a document can carry several); {} document{} carry none.</p>\n",
        thousands(s.untagged),
        if s.untagged == 1 { "" } else { "s" }
    );
    let bars: Vec<Bar> = s
        .tags_by_documents()
        .into_iter()
        .map(|(t, n)| {
            let tag = &s.tags[t as usize];
            let share = if s.documents == 0 {
                0.0
            } else {
                100.0 * n as f64 / s.documents as f64
            };
            Bar {
                label: tag.clone(),
                value: n,
                note: format!("{} ({share:.0}%)", thousands(n)),
                query: phrase(tag),
            }
        })
        .collect();
    if bars.is_empty() {
        h.push_str("<p class=\"empty\">No document carries a topic.</p>\n");
    } else {
        let _ = writeln!(h, "{}", svg::bar_chart(&bars, "#6c5b7b", 260));
    }
    h.push_str("</section>\n");
}

fn heat_map(h: &mut String, s: &Summary) {
    let map = s.heat_map(HEAT_ROWS, HEAT_COLS);
    h.push_str("<section id=\"heatmap\">\n<h2>Countries × topics</h2>\n<p class=\"note\">Documents that mention the country and carry the topic, for the countries in most documents.</p>\n");
    if map.rows.is_empty() || map.cols.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"empty\">Nothing to show: this needs {COUNTRY} mentions and topic tags.</p>"
        );
    } else {
        let rows: Vec<Heading> = map
            .rows
            .iter()
            .map(|&e| {
                let name = &s.entities[e as usize].name;
                Heading {
                    label: name.clone(),
                    query: phrase(name),
                }
            })
            .collect();
        let cols: Vec<Heading> = map
            .cols
            .iter()
            .map(|&t| {
                let tag = &s.tags[t as usize];
                Heading {
                    label: tag.clone(),
                    query: phrase(tag),
                }
            })
            .collect();
        let _ = writeln!(
            h,
            "<div class=\"scroll\">{}</div>",
            svg::heat_map(&rows, &cols, &map.cells)
        );
    }
    h.push_str("</section>\n");
}

fn network(h: &mut String, s: &Summary, types: &[&str]) {
    let top = s.top_by_documents(NETWORK_NODES, None);
    let edges = s.cooccurrence(&top);
    let drawn = edges.len().min(NETWORK_EDGES);
    let _ = write!(
        h,
        "<section id=\"network\">\n<h2>Who appears with whom</h2>\n<p class=\"note\">The {} entities in most documents. Circle size: documents; lines: documents in common (the {} strongest of {} links, and each entity’s strongest).</p>\n",
        top.len(),
        drawn,
        edges.len()
    );
    if top.len() < 2 {
        h.push_str("<p class=\"empty\">Too few entities for a network.</p>\n</section>\n");
        return;
    }
    h.push_str("<div class=\"legend\">");
    for (i, kind) in types.iter().enumerate() {
        if top.iter().any(|&e| s.entities[e as usize].kind == *kind) {
            let _ = write!(
                h,
                r#"<span><span class="dot" style="background:{}"></span>{}</span>"#,
                type_color(kind, i),
                esc(&plural_label(kind))
            );
        }
    }
    h.push_str("</div>\n");
    let nodes: Vec<Node> = top
        .iter()
        .map(|&e| {
            let e = &s.entities[e as usize];
            let position = types.iter().position(|t| *t == e.kind).unwrap_or(0);
            Node {
                label: e.name.clone(),
                color: type_color(&e.kind, position).to_string(),
                documents: e.documents,
                query: phrase(&e.name),
            }
        })
        .collect();
    let _ = writeln!(
        h,
        "<div class=\"scroll\">{}</div>",
        svg::network(&nodes, &edges, drawn)
    );
    h.push_str("</section>\n");
}

fn documents(h: &mut String, page: &Page, types: &[&str]) {
    let s = page.summary;
    h.push_str("<section id=\"documents\">\n<h2>Documents</h2>\n<p class=\"note\">Click a row for its entities and mentions in context. Search matches ids, titles, dates, topics and entity names; put a phrase in quotes.</p>\n");
    h.push_str(r#"<div class="controls"><input type="search" id="q" placeholder="Search, e.g. Putin or &quot;Armed Conflict&quot;" aria-label="Search documents"><button id="clear" type="button">Clear</button><span id="count"></span></div>"#);
    h.push_str("\n<noscript><p class=\"empty\">The document table needs JavaScript; the charts above do not.</p></noscript>\n");
    h.push_str(r#"<div class="scroll"><table id="docs"><thead><tr><th data-k="n" class="num">#</th><th data-k="doc">Document</th><th data-k="date">Date</th><th data-k="topics">Topics</th>"#);
    for (i, kind) in types.iter().enumerate() {
        let _ = write!(
            h,
            r#"<th data-k="t{i}" class="num">{}</th>"#,
            esc(&plural_label(kind))
        );
    }
    h.push_str(r#"<th data-k="total" class="num">Mentions</th></tr></thead><tbody id="rows"></tbody></table></div>"#);
    h.push_str("\n<div class=\"pager\"><button id=\"prev\" type=\"button\">‹ Previous</button><button id=\"next\" type=\"button\">Next ›</button><span id=\"pageinfo\"></span></div>\n");
    if s.rows_left_out() > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">The table lists the first {} of {} documents, to keep this file small; the charts above count them all, and every document is in <code>documents.jsonl</code>.</p>",
            thousands(s.rows.len()),
            thousands(s.documents)
        );
    }
    if let Some(first) = page
        .contexts
        .iter()
        .position(|c| matches!(c, Err(Missing::OverBudget)))
    {
        let _ = writeln!(
            h,
            "<p class=\"note\">Mentions in context are included for the first {} documents only, to keep this file small.</p>",
            thousands(first)
        );
    }
    h.push_str("</section>\n");
}

fn error_table(h: &mut String, errors: &ErrorList) {
    let _ = write!(
        h,
        "<section id=\"errors\">\n<h2>Errors</h2>\n<p class=\"note\">Inputs that produced no document: {} failed, {} skipped (from <code>errors.csv</code>).</p>\n<div class=\"scroll\"><table class=\"errors\"><thead><tr><th>Path</th><th>Line</th><th>Status</th><th>Stage</th><th>Reason</th></tr></thead><tbody>\n",
        thousands(errors.failed),
        thousands(errors.skipped)
    );
    for row in &errors.rows {
        h.push_str("<tr>");
        for cell in row {
            let _ = write!(h, "<td>{}</td>", esc(cell));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    let listed = errors.failed + errors.skipped;
    if listed > errors.rows.len() {
        let _ = writeln!(
            h,
            "<p class=\"note\">The first {} of {} are listed; all are in <code>errors.csv</code>.</p>",
            thousands(errors.rows.len()),
            thousands(listed)
        );
    }
    h.push_str("</section>\n");
}

/// The data behind the document table (see `report.js`), written a row at a time.
fn data(h: &mut String, page: &Page, types: &[&str]) {
    let s = page.summary;
    let type_index = |kind: &str| types.iter().position(|t| *t == kind).unwrap_or(0);
    let entities: Vec<Value> = s
        .entities
        .iter()
        .map(|e| json!([type_index(&e.kind), e.name, e.id]))
        .collect();
    let head = json!({
        "types": types,
        "typeLabels": types.iter().map(|t| plural_label(t)).collect::<Vec<_>>(),
        "colors": types.iter().enumerate().map(|(i, t)| type_color(t, i)).collect::<Vec<_>>(),
        "tags": s.tags,
        "entities": entities,
    });
    push_script_json(h, &head);
    h.pop(); // the closing brace: rows follow
    h.push_str(",\"rows\":[");
    for (i, (r, ctx)) in s.rows.iter().zip(page.contexts).enumerate() {
        if i > 0 {
            h.push(',');
        }
        let ents: Vec<u32> = r.entities.iter().flat_map(|&(e, n)| [e, n]).collect();
        let ctx = match ctx {
            Ok(snippets) => snippets
                .iter()
                .map(|c| json!([c.entity, c.before, c.text, c.after]))
                .collect(),
            Err(Missing::OverBudget) => json!(0),
            Err(Missing::NoSource) => json!(1),
            Err(Missing::Changed) => json!(2),
            Err(Missing::NotAnInput) => json!(3),
            Err(Missing::NoRunInfo) => json!(4),
        };
        let path = r.path.as_ref().filter(|p| **p != r.id);
        let row = json!([r.id, path, r.title, r.date, r.tags, ents, ctx]);
        push_script_json(h, &row);
    }
    h.push_str("]}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let v = json!({"t": "</script><script>alert(1)</script> & <!-- \u{2028}"});
        let mut out = String::from("x=");
        push_script_json(&mut out, &v);
        let out = out.strip_prefix("x=").unwrap();
        assert_eq!(
            out,
            r#"{"t":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e \u0026 \u003c!-- \u2028"}"#
        );
        assert_eq!(serde_json::from_str::<Value>(out).unwrap(), v);
    }

    #[test]
    fn labels_and_numbers() {
        assert_eq!(plural_label("country"), "Countries");
        assert_eq!(plural_label("weapon"), "Weapons");
        assert_eq!(plural_label("day"), "Days");
        assert_eq!(plural_label("class"), "Classes");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(40000), "40,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(type_color("leader", 0), "#d1495b");
        assert_eq!(type_color("project", 3), "#8e6c8a");
    }

    #[test]
    fn the_policy_allows_only_the_page_script() {
        let p = policy();
        assert!(p.starts_with("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"));
        let hash = p.rsplit("'sha256-").next().unwrap().trim_end_matches('\'');
        assert_eq!(hash.len(), 44);
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(hash)
                .unwrap(),
            Sha256::digest(SCRIPT).to_vec()
        );
    }
}
