//! Charts as inline SVG text: horizontal bars, a heat map and a network, drawn by this code so the
//! report needs no chart library and no network.
//!
//! Every piece of text that reaches the markup goes through [`esc`]. Coordinates are rounded to
//! a tenth of a pixel and the network layout is a fixed number of force-directed steps from a
//! circle, with no randomness, so the same figures always give the same bytes. Elements that
//! stand for an entity or a tag carry a `data-q` search query; the page script uses it to filter
//! the document table on click.

use std::f64::consts::TAU;
use std::fmt::Write as _;

/// Escapes text for HTML and SVG, in element content and in double-quoted attributes alike.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to at most `max` characters, with `…` when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The width of `s` at the charts' 12px font, estimated on the wide side (capitals and `m`/`w`
/// wider, `i`/`l`/punctuation narrower), so a label given this room is never clipped.
pub fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| match c {
            'M' | 'W' | 'm' | 'w' | '@' | '%' | '—' => 10.5,
            c if c.is_uppercase() => 8.4,
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | '\'' | '!' | '|' | ' ' | ':' => 4.0,
            c if c.is_ascii() => 7.0,
            // Letters of other scripts (CJK, …) can be as wide as the font size.
            c if c.is_alphabetic() && !c.is_ascii() && (c as u32) > 0x2000 => 12.5,
            _ => 7.0,
        })
        .sum()
}

/// `s` cut (with `…`) to fit `room` pixels by [`text_width`].
pub fn fit(s: &str, room: f64) -> String {
    if text_width(s) <= room {
        return s.to_string();
    }
    let mut out = String::new();
    let mut width = text_width("…");
    for c in s.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]));
        if width + w > room {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// A search query that finds exactly this phrase (quoted, inner quotes dropped).
pub fn phrase(s: &str) -> String {
    format!("\"{}\"", s.replace('"', ""))
}

/// One bar of a bar chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    /// Printed after the bar (the value, and what it counts).
    pub note: String,
    /// Search query for the document table.
    pub query: String,
}

const BAR_ROOM: usize = 224;
const BAR_NOTE: usize = 150;
const BAR_ROW: usize = 24;
/// How much wider than asked the label column of a bar chart may grow for long labels.
const BAR_LABEL_GROWTH: usize = 140;

/// A horizontal bar chart, one row per bar, bar length proportional to the value, with at least
/// `label_width` pixels for the labels on the left (more, up to `BAR_LABEL_GROWTH`, when the
/// labels need it; a label longer still is cut with `…`, never clipped by the chart's edge).
pub fn bar_chart(bars: &[Bar], color: &str, label_width: usize) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = bars.len() * BAR_ROW + 4;
    let widest = bars
        .iter()
        .map(|b| text_width(&b.label))
        .fold(0.0, f64::max);
    let label_width =
        (widest.ceil() as usize + 10).clamp(label_width, label_width + BAR_LABEL_GROWTH);
    let width = label_width + BAR_ROOM + BAR_NOTE;
    let room = BAR_ROOM as f64;
    let mut s = format!(
        r#"<svg class="chart bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">"#
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i * BAR_ROW + 2;
        let length = if bar.value == 0 {
            0.0
        } else {
            (room * bar.value as f64 / max as f64).max(1.0)
        };
        let _ = write!(
            s,
            r#"<g class="bar" data-q="{q}"><title>{label}: {note}</title><text class="label" x="{lx}" y="{ty}" text-anchor="end">{short}</text><rect x="{label_width}" y="{ry}" width="{length:.1}" height="16" rx="2" fill="{color}"/><text class="value" x="{vx:.1}" y="{ty}">{note}</text></g>"#,
            q = esc(&bar.query),
            label = esc(&bar.label),
            note = esc(&bar.note),
            lx = label_width - 6,
            ty = y + 15,
            short = esc(&fit(&bar.label, label_width as f64 - 8.0)),
            ry = y + 3,
            vx = label_width as f64 + length + 5.0,
        );
    }
    s.push_str("</svg>");
    s
}

/// A row or column heading of the heat map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub label: String,
    pub query: String,
}

const HEAT_LABEL: usize = 150;
const HEAT_CELL_W: usize = 44;
const HEAT_CELL_H: usize = 24;
const HEAT_TOP: usize = 130;
const HEAT_RIGHT: usize = 120;
/// Column labels are slanted upwards at this angle; longer than this many pixels they are cut.
const HEAT_COL_ANGLE: f64 = 50.0;
const HEAT_COL_MAX: f64 = 320.0;
/// Row labels longer than this many pixels are cut.
const HEAT_ROW_MAX: f64 = 240.0;

/// A grid of counts: `cells[row][col]`, darker for more, the count written in each cell. The
/// margins grow with the labels, so column labels are shown whole (up to `HEAT_COL_MAX`).
pub fn heat_map(rows: &[Heading], cols: &[Heading], cells: &[Vec<usize>]) -> String {
    let max = cells.iter().flatten().copied().max().unwrap_or(0).max(1);
    let col_labels: Vec<String> = cols.iter().map(|c| fit(&c.label, HEAT_COL_MAX)).collect();
    let row_labels: Vec<String> = rows.iter().map(|r| fit(&r.label, HEAT_ROW_MAX)).collect();
    let widest = |labels: &[String]| labels.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let (sin, cos) = HEAT_COL_ANGLE.to_radians().sin_cos();
    let label_w = HEAT_LABEL.max(widest(&row_labels).ceil() as usize + 12);
    let top = HEAT_TOP.max((widest(&col_labels) * sin).ceil() as usize + 16);
    // The last column's label runs right of the grid.
    let right = HEAT_RIGHT.max((widest(&col_labels) * cos).ceil() as usize + 12);
    let width = label_w + cols.len() * HEAT_CELL_W + right;
    let height = top + rows.len() * HEAT_CELL_H + 4;
    let mut s = format!(
        r#"<svg class="chart heat" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">"#
    );
    for (c, col) in cols.iter().enumerate() {
        let x = label_w + c * HEAT_CELL_W + HEAT_CELL_W / 2;
        let y = top - 6;
        let _ = write!(
            s,
            r#"<g class="col" data-q="{q}"><title>{label}</title><text class="label" transform="translate({x} {y}) rotate(-50)">{short}</text></g>"#,
            q = esc(&col.query),
            label = esc(&col.label),
            short = esc(&col_labels[c]),
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = top + r * HEAT_CELL_H;
        let _ = write!(
            s,
            r#"<g class="row" data-q="{q}"><title>{label}</title><text class="label" x="{lx}" y="{ty}" text-anchor="end">{short}</text></g>"#,
            q = esc(&row.query),
            label = esc(&row.label),
            lx = label_w - 6,
            ty = y + 16,
            short = esc(&row_labels[r]),
        );
        for (c, col) in cols.iter().enumerate() {
            let n = cells.get(r).and_then(|cs| cs.get(c)).copied().unwrap_or(0);
            let t = n as f64 / max as f64;
            let x = label_w + c * HEAT_CELL_W;
            let _ = write!(
                s,
                r#"<g class="cell" data-q="{q}"><title>{rl} × {cl}: {n} document{plural}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>"#,
                q = esc(&format!("{} {}", row.query, col.query)),
                rl = esc(&row.label),
                cl = esc(&col.label),
                plural = if n == 1 { "" } else { "s" },
                w = HEAT_CELL_W - 2,
                h = HEAT_CELL_H - 2,
                fill = heat_color(t, n == 0),
            );
            if n > 0 {
                let _ = write!(
                    s,
                    r#"<text class="{class}" x="{tx}" y="{ty}" text-anchor="middle">{short}</text>"#,
                    short = compact(n),
                    class = if t > 0.5 { "count light" } else { "count" },
                    tx = x + (HEAT_CELL_W - 2) / 2,
                    ty = y + 15,
                );
            }
            s.push_str("</g>");
        }
    }
    s.push_str("</svg>");
    s
}

/// A count in at most five characters: `9999`, `19.8k`, `198k`, `1.2M`.
pub fn compact(n: usize) -> String {
    let k = n as f64 / 1e3;
    if n < 10_000 {
        n.to_string()
    } else if k < 99.95 {
        format!("{k:.1}k")
    } else if k < 999.5 {
        format!("{k:.0}k")
    } else {
        format!("{:.1}M", k / 1e3)
    }
}

/// From a pale to a deep blue as `t` goes from 0 to 1; grey for an empty cell.
pub fn heat_color(t: f64, empty: bool) -> String {
    if empty {
        return "#f1f3f6".into();
    }
    let (from, to) = ((0xdb, 0xe8, 0xf6), (0x0b, 0x3d, 0x7a));
    let t = t.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(from.0, to.0),
        mix(from.1, to.1),
        mix(from.2, to.2)
    )
}

/// One node of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub label: String,
    pub color: String,
    /// Documents the entity appears in (sets the size).
    pub documents: usize,
    pub query: String,
}

const NET_WIDTH: f64 = 1100.0;
const NET_HEIGHT: f64 = 640.0;
const NET_MARGIN_X: f64 = 110.0;
const NET_MARGIN_Y: f64 = 36.0;
const LAYOUT_STEPS: usize = 400;
/// Network labels are cut to this many characters.
const NET_LABEL_CHARS: usize = 24;
/// Width of a label character at the network's 11.5px font, roughly.
const NET_CHAR_WIDTH: f64 = 6.4;

/// A network: nodes sized by documents, edges `(i, j, shared documents)`, strongest first, drawn
/// thicker and darker for more. The first `drawn` edges are drawn, and each node's strongest
/// edge so that no linked node looks alone; all of them shape the layout, each
/// pulling by how much the two entities go together (shared documents over the geometric mean
/// of their documents), so an entity found everywhere does not pull everything onto itself.
pub fn network(nodes: &[Node], edges: &[(usize, usize, usize)], drawn: usize) -> String {
    let (w, h) = (NET_WIDTH, NET_HEIGHT);
    let mut s = format!(
        r#"<svg class="chart network" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">"#
    );
    let edges: Vec<(usize, usize, usize)> = edges
        .iter()
        .copied()
        .filter(|&(i, j, _)| i < nodes.len() && j < nodes.len() && i != j)
        .collect();
    let affinity: Vec<(usize, usize, f64)> = edges
        .iter()
        .map(|&(i, j, n)| {
            let mean = ((nodes[i].documents.max(1) * nodes[j].documents.max(1)) as f64).sqrt();
            (i, j, (n as f64 / mean).min(1.0))
        })
        .collect();
    let positions: Vec<(f64, f64)> = layout(nodes.len(), &affinity)
        .into_iter()
        .map(|(x, y)| {
            (
                NET_MARGIN_X + x * (w - 2.0 * NET_MARGIN_X),
                NET_MARGIN_Y + y * (h - 2.0 * NET_MARGIN_Y),
            )
        })
        .collect();
    let max_weight = edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f64;
    let mut linked = vec![false; nodes.len()];
    let shown: Vec<bool> = edges
        .iter()
        .enumerate()
        .map(|(k, &(i, j, _))| {
            let show = k < drawn || !linked[i] || !linked[j];
            linked[i] = true;
            linked[j] = true;
            show
        })
        .collect();
    s.push_str(r#"<g class="edges">"#);
    // Weakest first, so the strong links are drawn on top.
    for (&(i, j, weight), _) in edges.iter().zip(&shown).rev().filter(|(_, &show)| show) {
        let (a, b) = (positions[i], positions[j]);
        let t = weight as f64 / max_weight;
        let _ = write!(
            s,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke-width="{:.1}" stroke-opacity="{:.2}"><title>{} – {}: {weight} document{}</title></line>"#,
            a.0,
            a.1,
            b.0,
            b.1,
            0.8 + 5.2 * t,
            0.2 + 0.55 * t,
            esc(&nodes[i].label),
            esc(&nodes[j].label),
            if weight == 1 { "" } else { "s" },
        );
    }
    s.push_str("</g>");
    let max_docs = nodes.iter().map(|n| n.documents).max().unwrap_or(1).max(1) as f64;
    let radii: Vec<f64> = nodes
        .iter()
        .map(|n| 5.0 + 13.0 * (n.documents as f64 / max_docs).sqrt())
        .collect();
    let labels: Vec<String> = nodes
        .iter()
        .map(|n| shorten(&n.label, NET_LABEL_CHARS))
        .collect();
    let places = place_labels(&positions, &radii, &labels, (w, h));
    for (i, node) in nodes.iter().enumerate() {
        let (x, y) = positions[i];
        let place = &places[i];
        let _ = write!(
            s,
            r#"<g class="node" data-q="{q}"><title>{label}: {n} document{plural}</title><circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{color}"/><text class="label halo" x="{tx:.1}" y="{ty:.1}"{anchor}>{short}</text></g>"#,
            q = esc(&node.query),
            label = esc(&node.label),
            n = node.documents,
            plural = if node.documents == 1 { "" } else { "s" },
            r = radii[i],
            color = esc(&node.color),
            tx = place.0,
            ty = place.1,
            anchor = match place.2 {
                "start" => "",
                "end" => r#" text-anchor="end""#,
                _ => r#" text-anchor="middle""#,
            },
            short = esc(&labels[i]),
        );
    }
    s.push_str("</svg>");
    s
}

/// Where each node's label goes: right of the circle, else left, below or above, whichever
/// first overlaps no circle and no label placed before (bigger nodes come first in `nodes`);
/// right when none is free. Returns `(x, y, text-anchor)`.
fn place_labels(
    positions: &[(f64, f64)],
    radii: &[f64],
    labels: &[String],
    (w, h): (f64, f64),
) -> Vec<(f64, f64, &'static str)> {
    type Rect = (f64, f64, f64, f64);
    let overlaps = |a: &Rect, b: &Rect| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
    let circles: Vec<Rect> = positions
        .iter()
        .zip(radii)
        .map(|(&(x, y), &r)| (x - r, y - r, x + r, y + r))
        .collect();
    let mut taken: Vec<Rect> = Vec::new();
    let mut out = Vec::with_capacity(positions.len());
    for (i, (&(x, y), &r)) in positions.iter().zip(radii).enumerate() {
        let width = labels[i].chars().count() as f64 * NET_CHAR_WIDTH;
        let candidates: [((f64, f64, &'static str), Rect); 4] = [
            (
                (x + r + 3.0, y + 4.0, "start"),
                (x + r + 2.0, y - 8.0, x + r + 3.0 + width, y + 5.0),
            ),
            (
                (x - r - 3.0, y + 4.0, "end"),
                (x - r - 3.0 - width, y - 8.0, x - r - 2.0, y + 5.0),
            ),
            (
                (x, y + r + 13.0, "middle"),
                (x - width / 2.0, y + r + 2.0, x + width / 2.0, y + r + 15.0),
            ),
            (
                (x, y - r - 5.0, "middle"),
                (x - width / 2.0, y - r - 16.0, x + width / 2.0, y - r - 3.0),
            ),
        ];
        let free = candidates.iter().find(|(_, rect)| {
            rect.0 >= 0.0
                && rect.1 >= 0.0
                && rect.2 <= w
                && rect.3 <= h
                && !taken.iter().any(|t| overlaps(t, rect))
                && !circles
                    .iter()
                    .enumerate()
                    .any(|(j, c)| j != i && overlaps(c, rect))
        });
        let (place, rect) = *free.unwrap_or(&candidates[0]);
        taken.push(rect);
        out.push(place);
    }
    out
}

/// Force-directed layout (Fruchterman–Reingold) of `n` nodes in the unit square: nodes repel
/// each other, edges `(i, j, strength in [0, 1])` pull their ends together, a weak pull to the
/// centre keeps loose nodes in view. Starts from a circle and runs a fixed number of cooling
/// steps, so it is deterministic. The result is stretched to fill the square.
pub fn layout(n: usize, edges: &[(usize, usize, f64)]) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = TAU * i as f64 / n as f64;
            (a.cos(), a.sin())
        })
        .collect();
    let k = (4.0 / n as f64).sqrt();
    let mut disp = vec![(0.0, 0.0); n];
    for step in 0..LAYOUT_STEPS {
        let temperature = 0.1 * (1.0 - step as f64 / LAYOUT_STEPS as f64) + 0.002;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let f = k * k / (dx * dx + dy * dy).max(1e-6);
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(i, j, strength) in edges {
            if i >= n || j >= n {
                continue;
            }
            let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
            let f = (dx * dx + dy * dy).sqrt() / k * strength;
            disp[i].0 -= dx * f;
            disp[i].1 -= dy * f;
            disp[j].0 += dx * f;
            disp[j].1 += dy * f;
        }
        for (p, d) in pos.iter_mut().zip(&mut disp) {
            d.0 -= p.0 * k;
            d.1 -= p.1 * k;
            let length = (d.0 * d.0 + d.1 * d.1).sqrt();
            if length > 0.0 {
                let step = length.min(temperature) / length;
                p.0 += d.0 * step;
                p.1 += d.1 * step;
            }
        }
    }
    let span = |f: fn(&(f64, f64)) -> f64| {
        let lo = pos.iter().map(f).fold(f64::INFINITY, f64::min);
        let hi = pos.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
        (lo, hi - lo)
    };
    let (x0, xs) = span(|p| p.0);
    let (y0, ys) = span(|p| p.1);
    let fit = |v: f64, lo: f64, size: f64| {
        if size < 1e-9 {
            0.5
        } else {
            (v - lo) / size
        }
    };
    pos.iter()
        .map(|&(x, y)| (fit(x, x0, xs), fit(y, y0, ys)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_controls() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(esc("a\u{0}b\u{1b}c\nd"), "a\u{fffd}b\u{fffd}c\nd");
        assert_eq!(esc("Côte d’Ivoire"), "Côte d’Ivoire");
    }

    #[test]
    fn labels_fit_their_room() {
        assert!(text_width("WWW") > text_width("iii") * 2.0);
        assert_eq!(fit("Russia", 100.0), "Russia");
        let cut = fit("Mediation, Negotiation & Dialogue", 100.0);
        assert!(cut.ends_with('…') && text_width(&cut) <= 100.0, "{cut}");
        // Column labels of the heat map are whole, and the margins make room for them.
        let h = |l: &str| Heading {
            label: l.into(),
            query: phrase(l),
        };
        let long = "Mediation, Negotiation & Dialogue";
        let svg = heat_map(&[h("Central African Republic")], &[h(long)], &[vec![1]]);
        assert!(
            svg.contains(&format!("rotate(-50)\">{}</text>", esc(long))),
            "{svg}"
        );
        assert!(svg.contains(">Central African Republic</text>"), "{svg}");
    }

    #[test]
    fn shortening_counts_characters() {
        assert_eq!(shorten("Türkiye", 7), "Türkiye");
        assert_eq!(shorten("Türkiye", 5), "Türk…");
        assert_eq!(phrase(r#"The "Iron" Dome"#), r#""The Iron Dome""#);
    }

    #[test]
    fn bar_chart_exact_markup() {
        let bars = [
            Bar {
                label: "Russia".into(),
                value: 4,
                note: "4 (2 docs)".into(),
                query: "\"Russia\"".into(),
            },
            Bar {
                label: "A <b>bold</b> name that goes on and on and on and on and on".into(),
                value: 1,
                note: "1".into(),
                query: "x".into(),
            },
        ];
        assert_eq!(
            bar_chart(&bars, "#123456", 180),
            concat!(
                // The label column grows from 180 to 320 pixels for the long label, which is
                // then cut to fit in it.
                r#"<svg class="chart bars" viewBox="0 0 694 52" width="694" height="52" role="img">"#,
                r#"<g class="bar" data-q="&quot;Russia&quot;"><title>Russia: 4 (2 docs)</title>"#,
                r#"<text class="label" x="314" y="17" text-anchor="end">Russia</text>"#,
                r##"<rect x="320" y="5" width="224.0" height="16" rx="2" fill="#123456"/>"##,
                r#"<text class="value" x="549.0" y="17">4 (2 docs)</text></g>"#,
                r#"<g class="bar" data-q="x"><title>A &lt;b&gt;bold&lt;/b&gt; name that goes on and on and on and on and on: 1</title>"#,
                r#"<text class="label" x="314" y="41" text-anchor="end">A &lt;b&gt;bold&lt;/b&gt; name that goes on and on and on an…</text>"#,
                r##"<rect x="320" y="29" width="56.0" height="16" rx="2" fill="#123456"/>"##,
                r#"<text class="value" x="381.0" y="41">1</text></g>"#,
                "</svg>"
            )
        );
        assert_eq!(
            bar_chart(&[], "#000", 180),
            r#"<svg class="chart bars" viewBox="0 0 554 4" width="554" height="4" role="img"></svg>"#
        );
    }

    #[test]
    fn counts_fit_a_heat_map_cell() {
        let cases = [
            (0, "0"),
            (9_999, "9999"),
            (19_817, "19.8k"),
            (99_949, "99.9k"),
            (99_999, "100k"),
            (198_400, "198k"),
            (999_999, "1.0M"),
            (1_234_567, "1.2M"),
        ];
        for (n, want) in cases {
            assert_eq!(compact(n), want, "{n}");
        }
    }

    #[test]
    fn heat_colors_run_from_pale_to_deep() {
        assert_eq!(heat_color(0.0, false), "#dbe8f6");
        assert_eq!(heat_color(1.0, false), "#0b3d7a");
        assert_eq!(heat_color(0.5, false), "#7393b8");
        assert_eq!(heat_color(0.0, true), "#f1f3f6");
    }

    #[test]
    fn heat_map_writes_counts_and_leaves_zeros_blank() {
        let h = |l: &str| Heading {
            label: l.into(),
            query: phrase(l),
        };
        let svg = heat_map(
            &[h("Russia"), h("Chad")],
            &[h("Sanctions")],
            &[vec![3], vec![0]],
        );
        assert!(svg.starts_with(
            r#"<svg class="chart heat" viewBox="0 0 314 182" width="314" height="182" role="img">"#
        ));
        assert!(svg.contains(
            r##"<g class="cell" data-q="&quot;Russia&quot; &quot;Sanctions&quot;"><title>Russia × Sanctions: 3 documents</title><rect x="150" y="130" width="42" height="22" fill="#0b3d7a"/><text class="count light" x="171" y="145" text-anchor="middle">3</text></g>"##
        ));
        assert!(svg.contains(
            r##"<title>Chad × Sanctions: 0 documents</title><rect x="150" y="154" width="42" height="22" fill="#f1f3f6"/></g>"##
        ));
        assert!(svg.contains(
            r#"<text class="label" transform="translate(172 124) rotate(-50)">Sanctions</text>"#
        ));
    }

    #[test]
    fn layout_is_deterministic_and_fills_the_square() {
        assert_eq!(layout(0, &[]), []);
        assert_eq!(layout(1, &[]), [(0.5, 0.5)]);
        assert_eq!(layout(2, &[(0, 1, 1.0)]), [(1.0, 0.5), (0.0, 0.5)]);
        let edges = [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 0.2)];
        let a = layout(6, &edges);
        assert_eq!(a, layout(6, &edges));
        for &(x, y) in &a {
            assert!(
                (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y),
                "{x},{y}"
            );
        }
        let min = |f: fn(&(f64, f64)) -> f64| a.iter().map(f).fold(f64::INFINITY, f64::min);
        let max = |f: fn(&(f64, f64)) -> f64| a.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
        assert_eq!((min(|p| p.0), max(|p| p.0)), (0.0, 1.0));
        assert_eq!((min(|p| p.1), max(|p| p.1)), (0.0, 1.0));
        // The strongly linked triangle ends up tighter than the distance to the loose node 5.
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        let triangle = d(0, 1).max(d(1, 2)).max(d(0, 2));
        assert!(triangle < d(0, 5).min(d(1, 5)).min(d(2, 5)), "{a:?}");
    }

    #[test]
    fn network_draws_strongest_edges_and_sized_nodes() {
        let node = |l: &str, docs| Node {
            label: l.into(),
            color: "#2f6db5".into(),
            documents: docs,
            query: phrase(l),
        };
        let svg = network(&[node("A", 4), node("B", 1)], &[(0, 1, 2), (1, 0, 1)], 1);
        assert_eq!(svg.matches("<line ").count(), 1);
        // Beyond the strongest `drawn`, each node still gets its strongest link.
        let three = network(
            &[node("A", 4), node("B", 3), node("C", 2)],
            &[(0, 1, 5), (0, 2, 3), (1, 2, 1)],
            1,
        );
        assert_eq!(three.matches("<line ").count(), 2);
        assert!(three.contains("<title>A – C: 3 documents</title>"));
        assert!(!three.contains("<title>B – C"));
        assert!(svg.contains(
            r#"stroke-width="6.0" stroke-opacity="0.75"><title>A – B: 2 documents</title></line>"#
        ));
        assert!(svg.contains(
            r##"<g class="node" data-q="&quot;A&quot;"><title>A: 4 documents</title><circle cx="990.0" cy="320.0" r="18.0" fill="#2f6db5"/><text class="label halo" x="1011.0" y="324.0">A</text></g>"##
        ));
        assert!(svg.contains(r##"<title>B: 1 document</title><circle cx="110.0" cy="320.0" r="11.5" fill="#2f6db5"/><text class="label halo" x="124.5" y="324.0">B</text>"##));
    }
}
