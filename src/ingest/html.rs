//! Visible text of an HTML page.
//!
//! In: decoded HTML. Out: the text a reader sees — script, style and other raw-text elements
//! dropped, character references decoded by the tokenizer, block elements turned into line breaks,
//! runs of whitespace collapsed — and the `<title>`. A tokenizer, not a tree builder: memory and
//! time stay linear however deep or broken the nesting (10,000 unclosed `<div>`s are fine).
//! Mention offsets of an HTML document point into this extracted text.

use super::dates::{parse_date, HTML_META};
use html5gum::{Token, Tokenizer};

/// Elements whose start and end break the line.
const BLOCKS: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"br",
    b"caption",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hr",
    b"li",
    b"main",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"section",
    b"table",
    b"tr",
    b"ul",
    b"td",
    b"th",
    b"body",
    b"html",
];

/// Elements whose content is never visible text.
const HIDDEN: &[&[u8]] = &[
    b"script",
    b"style",
    b"noscript",
    b"template",
    b"iframe",
    b"noembed",
    b"noframes",
    b"xmp",
];

/// What a page yields: its visible text, and its title and publication date when it has them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub text: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`, from publication-date `<meta>` tags or `<time itemprop="datePublished">`.
    pub date: Option<String>,
}

/// Extracts the visible text, title and publication date of a page.
pub fn extract(html: &str) -> Page {
    let mut emitter = html5gum::DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut text = String::with_capacity(html.len() / 2);
    let mut title: Option<String> = None;
    let mut hidden: Option<Vec<u8>> = None;
    let mut in_title = false;
    let mut date: Option<String> = None;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.as_slice();
                if hidden.is_some() {
                    continue;
                }
                if date.is_none() {
                    let attr = |key: &str| {
                        let value = tag.attributes.get(key.as_bytes())?;
                        Some(String::from_utf8_lossy(&value.value).trim().to_lowercase())
                    };
                    date = published(name, attr);
                }
                if HIDDEN.contains(&name) && !tag.self_closing {
                    hidden = Some(name.to_vec());
                } else if name == b"title" {
                    in_title = true;
                } else if BLOCKS.contains(&name) {
                    line_break(&mut text);
                } else if name == b"img" {
                    if let Some(alt) = tag.attributes.get(b"alt".as_slice()) {
                        push_text(&mut text, &String::from_utf8_lossy(&alt.value));
                    }
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.as_slice();
                if hidden.as_deref() == Some(name) {
                    hidden = None;
                } else if hidden.is_none() && name == b"title" {
                    in_title = false;
                } else if hidden.is_none() && BLOCKS.contains(&name) {
                    line_break(&mut text);
                }
            }
            Token::String(s) if hidden.is_none() => {
                let s = String::from_utf8_lossy(&s.value);
                if in_title {
                    let t = title.get_or_insert_with(String::new);
                    push_text(t, &s);
                } else {
                    push_text(&mut text, &s);
                }
            }
            _ => {}
        }
    }
    let title = title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    Page {
        text: text.trim().to_string(),
        title,
        date,
    }
}

/// The publication date a `<meta>` or `<time>` tag carries, if it is one that names it.
/// `attr` reads one of the tag's attributes, lowercased.
fn published(name: &[u8], attr: impl Fn(&str) -> Option<String>) -> Option<String> {
    let value = match name {
        b"meta" => {
            let names = ["property", "name", "itemprop"];
            let labelled = names
                .iter()
                .filter_map(|k| attr(k))
                .any(|n| HTML_META.contains(&n.as_str()));
            labelled.then(|| attr("content")).flatten()?
        }
        b"time" => {
            let marked =
                attr("itemprop").as_deref() == Some("datepublished") || attr("pubdate").is_some();
            marked.then(|| attr("datetime")).flatten()?
        }
        _ => return None,
    };
    parse_date(&value).map(|(d, _)| d)
}

/// Appends text, collapsing whitespace runs to one space and never starting a line with one.
fn push_text(out: &mut String, s: &str) {
    for c in s.chars() {
        // HTML collapses ASCII whitespace only: a no-break space stays.
        if c.is_ascii_whitespace() {
            if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Ends the current line; at most one blank line between blocks.
fn line_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extraction_table() {
        let cases = [
            (
                "<html><head><title>Talks &amp; Tests</title><style>p{content:'Iran'}</style>\
                 <script>var c = 'China';</script></head><body><h1>Seoul</h1><p>Kim&rsquo;s \
                 test&#8212;again&nbsp;today.</p><ul><li>one</li><li>two</li></ul></body></html>",
                "Seoul\n\nKim’s test—again\u{a0}today.\n\none\n\ntwo",
                Some("Talks & Tests"),
            ),
            (
                "plain <b>bold</b>   and\n\n  <i>spaced</i>",
                "plain bold and spaced",
                None,
            ),
            (
                "<p>a<br>b</p><img alt='Hwasong-15 launch'>",
                "a\nb\nHwasong-15 launch",
                None,
            ),
            (
                "<p>unclosed <div>tags <span>everywhere",
                "unclosed\ntags everywhere",
                None,
            ),
        ];
        for (html, text, title) in cases {
            let page = extract(html);
            assert_eq!(page.text, text, "{html}");
            assert_eq!(page.title.as_deref(), title, "{html}");
        }
    }

    #[test]
    fn publication_dates() {
        let cases = [
            (
                "<meta property='article:published_time' content='2017-11-29T03:00:00Z'><p>x",
                Some("2017-11-29"),
            ),
            (
                "<meta name=\"DC.date\" content=\"12 March 2018\"><p>x",
                Some("2018-03-12"),
            ),
            (
                "<time itemprop='datePublished' datetime='2020-01-02'>2 Jan</time>",
                Some("2020-01-02"),
            ),
            ("<time datetime='2020-01-02'>an event date</time>", None),
            ("<meta name='description' content='2020-01-02'>", None),
        ];
        for (html, want) in cases {
            assert_eq!(extract(html).date.as_deref(), want, "{html}");
        }
    }

    /// Eight times the nesting costs about eight times the time, not sixty-four: compared as a
    /// ratio of two sizes measured the same way (best of five), so a busy machine slows both.
    #[test]
    fn deep_nesting_is_linear() {
        let page = |n: usize| format!("{}Iran{}", "<div>".repeat(n), "</div>".repeat(n));
        let best = |html: &str| {
            (0..5)
                .map(|_| {
                    let clock = std::time::Instant::now();
                    assert_eq!(extract(html).text, "Iran");
                    clock.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let (small, large) = (page(4_000), page(32_000));
        let ratio = best(&large) / best(&small);
        assert!(ratio < 24.0, "8× the nesting took {ratio:.1}× the time");
    }
}
