//! Visible text of an HTML page.
//!
//! In: decoded HTML. Out: the text a reader sees — script, style and other raw-text elements
//! dropped, the page's frame (navigation, sidebars, footers, the masthead) left out, character
//! references decoded by the tokenizer, block elements turned into line breaks, runs of
//! whitespace collapsed — and the `<title>`, which also opens the text (so its mentions are
//! tagged, with offsets like any other) unless the text already holds it as a headline. A tokenizer, not a tree builder: memory and
//! time stay linear however deep or broken the nesting (10,000 unclosed `<div>`s are fine).
//! Mention offsets of an HTML document point into this extracted text.
//!
//! One guard runs first: html5gum 0.8 moves from each quoted attribute to the next by recursion
//! (`name="value"` calls the next state inline until the tag ends), so a tag with thousands of
//! quoted attributes overflows the worker's stack and aborts the whole run. [`bound_recursion`]
//! inserts a valueless attribute every [`ATTRIBUTE_RUN`] quoted values, which ends the recursion
//! there; attributes are not text, so the extracted text and its offsets do not change.

use crate::dates::{parse_date, HTML_META};
use html5gum::{Token, Tokenizer};
use std::borrow::Cow;

/// Most quoted attribute values html5gum is given in a row within one tag.
const ATTRIBUTE_RUN: usize = 32;

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

/// Elements that frame a page rather than say anything: navigation, sidebars, footers. Their text
/// is left out ("Home | World | Russia | China" must not be tagged). `header` counts only outside
/// `<article>`/`<main>`, where it is the site's masthead; inside, it holds the headline.
const BOILERPLATE: &[&[u8]] = &[b"nav", b"aside", b"footer", b"header"];

/// `role` values that mark the same framing on any element.
const BOILERPLATE_ROLES: &[&str] = &["navigation", "banner", "contentinfo", "complementary"];

/// Extracts the visible text, title and publication date of a page.
pub fn extract(html: &str) -> Page {
    let mut emitter = html5gum::DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut page = Extraction {
        text: String::with_capacity(html.len() / 2),
        ..Extraction::default()
    };
    let html = bound_recursion(html);
    for token in Tokenizer::new_with_emitter(html.as_ref(), emitter).flatten() {
        match token {
            Token::StartTag(tag) => page.start_tag(&tag),
            Token::EndTag(tag) => page.end_tag(&tag.name),
            Token::String(s) => page.string(&String::from_utf8_lossy(&s.value)),
            _ => {}
        }
    }
    page.finish()
}

/// What [`extract`] has gathered so far.
#[derive(Default)]
struct Extraction {
    text: String,
    title: Option<String>,
    date: Option<String>,
    /// Inside a raw-text element whose content is never shown (`script`, …): its name.
    hidden: Option<Vec<u8>>,
    in_title: bool,
    /// Open `<article>`/`<main>` elements.
    content: usize,
    /// Inside a boilerplate element: its name, how many of that name are open, and its text,
    /// which comes back if the element never closes (broken HTML loses nothing).
    boilerplate: Option<(Vec<u8>, usize, String)>,
}

impl Extraction {
    /// Where visible text goes now: the page, or the boilerplate being left out.
    fn out(&mut self) -> &mut String {
        match &mut self.boilerplate {
            Some((_, _, text)) => text,
            None => &mut self.text,
        }
    }

    fn start_tag(&mut self, tag: &html5gum::StartTag<()>) {
        let name = tag.name.as_slice();
        if self.hidden.is_some() {
            return;
        }
        let attr = |key: &str| {
            let value = tag.attributes.get(key.as_bytes())?;
            Some(String::from_utf8_lossy(&value.value).trim().to_lowercase())
        };
        if self.date.is_none() {
            self.date = published(name, attr);
        }
        if let Some((open, depth, _)) = &mut self.boilerplate {
            *depth += usize::from(open.as_slice() == name && !tag.self_closing);
        } else if !tag.self_closing && self.is_boilerplate(name, attr("role")) {
            line_break(&mut self.text);
            self.boilerplate = Some((name.to_vec(), 1, String::new()));
            return;
        }
        if name == b"article" || name == b"main" {
            self.content += 1;
        }
        if HIDDEN.contains(&name) && !tag.self_closing {
            self.hidden = Some(name.to_vec());
        } else if name == b"title" {
            self.in_title = true;
        } else if BLOCKS.contains(&name) {
            line_break(self.out());
        } else if name == b"img" {
            if let Some(alt) = tag.attributes.get(b"alt".as_slice()) {
                push_text(self.out(), &String::from_utf8_lossy(&alt.value));
            }
        }
    }

    fn is_boilerplate(&self, name: &[u8], role: Option<String>) -> bool {
        let by_role = role.is_some_and(|r| BOILERPLATE_ROLES.contains(&r.as_str()));
        let by_name = BOILERPLATE.contains(&name) && (name != b"header" || self.content == 0);
        by_role || by_name
    }

    fn end_tag(&mut self, name: &[u8]) {
        if self.hidden.is_some() {
            if self.hidden.as_deref() == Some(name) {
                self.hidden = None;
            }
            return;
        }
        if let Some((open, depth, _)) = &mut self.boilerplate {
            if open.as_slice() == name {
                *depth -= 1;
                if *depth == 0 {
                    self.boilerplate = None;
                    line_break(&mut self.text);
                    return;
                }
            }
        }
        if name == b"title" {
            self.in_title = false;
        } else if (name == b"article" || name == b"main") && self.boilerplate.is_none() {
            self.content = self.content.saturating_sub(1);
        }
        if BLOCKS.contains(&name) {
            line_break(self.out());
        }
    }

    fn string(&mut self, s: &str) {
        if self.hidden.is_some() {
            return;
        }
        if self.in_title {
            push_text(self.title.get_or_insert_with(String::new), s);
        } else {
            push_text(self.out(), s);
        }
    }

    /// The page: boilerplate left open to the end put back, and the title as the first line of
    /// the text unless the text already says it.
    fn finish(mut self) -> Page {
        if let Some((_, _, rest)) = self.boilerplate.take() {
            line_break(&mut self.text);
            push_text(&mut self.text, &rest);
        }
        let title = self.title.map(|t| t.trim().to_string());
        let title = title.filter(|t| !t.is_empty());
        let mut text = self.text.trim().to_string();
        if let Some(title) = &title {
            if !text.contains(headline(title)) {
                text = format!("{title}\n\n{text}").trim_end().to_string();
            }
        }
        Page {
            text,
            title,
            date: self.date,
        }
    }
}

/// A `<title>` without the site name it often ends with ("Talks resume | The Daily"): the part
/// before its last ` | `, ` - `, ` – ` or ` — `.
fn headline(title: &str) -> &str {
    [" | ", " - ", " – ", " — "]
        .iter()
        .filter_map(|sep| title.rfind(sep))
        .max()
        .map_or(title, |at| &title[..at])
}

/// `html` with a valueless attribute (` _`) after every [`ATTRIBUTE_RUN`]-th quoted attribute
/// value of a tag, found by a linear scan that follows tags and quotes (`<` + letter opens a tag,
/// `>` outside quotes closes it). Borrowed unchanged when no tag has that many.
fn bound_recursion(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut in_tag, mut quote, mut run) = (0, false, None, 0);
    for (i, &b) in bytes.iter().enumerate() {
        match (in_tag, quote) {
            (false, _) => {
                in_tag = b == b'<' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
                run = 0;
            }
            (true, None) if b == b'"' || b == b'\'' => quote = Some(b),
            (true, None) => in_tag = b != b'>',
            (true, Some(q)) if b == q => {
                quote = None;
                run += 1;
                if run % ATTRIBUTE_RUN == 0 {
                    let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 64));
                    out.push_str(&html[copied..=i]);
                    out.push_str(" _ ");
                    copied = i + 1;
                }
            }
            (true, Some(_)) => {}
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
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
    parse_date(&value).map(|(d, _)| d.to_string())
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
                "Talks & Tests\n\nSeoul\n\nKim’s test—again\u{a0}today.\n\none\n\ntwo",
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
            (
                "<title>Iran talks resume | The Daily</title><header>The Daily \
                 <nav>Home | World | Russia | China</nav></header><main><article><header>\
                 <h1>Iran talks resume</h1></header><p>Envoys met.</p></article>\
                 <aside>Most read: Cuba</aside></main><div role=navigation>Peru</div>\
                 <footer>© Chile <div>x</div></footer>",
                "Iran talks resume\n\nEnvoys met.",
                Some("Iran talks resume | The Daily"),
            ),
            (
                "<p>Seoul</p><nav><nav>Tokyo</nav>Oman</nav><p>Laos</p><aside>Cuba <b>never closed",
                "Seoul\n\nLaos\n\nCuba never closed",
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
    fn thousands_of_quoted_attributes_do_not_overflow_the_stack() {
        let attributes: Vec<String> = (0..7000).map(|i| format!("a{i}=\"v\"")).collect();
        let html = format!(
            "<p {}>Kim Jong Un</p><img alt='Seoul' {}>",
            attributes.join(" "),
            attributes.join(" ")
        );
        // A worker's stack is 2 MiB; the unguarded tokenizer needed more for this in any build.
        let text = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || extract(&html).text)
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(text, "Kim Jong Un\nSeoul");
        assert!(matches!(
            bound_recursion("<p a=\"1\" b='2'>x"),
            Cow::Borrowed(_)
        ));
    }

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
