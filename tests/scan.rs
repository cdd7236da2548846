//! Property: the word scanner finds exactly what an overlapping Aho-Corasick search followed by the
//! word-boundary check finds — the matcher it replaced — on the bundled dictionaries and on
//! patterns that start or end with punctuation or non-ASCII letters.

use aho_corasick::{AhoCorasick, MatchKind};
use entopic::normalize::fold;
use entopic::scan::Scanner;
use entopic::Pipeline;
use proptest::prelude::*;
use std::sync::OnceLock;

/// True when `text[start..end]` neither starts nor ends inside a word (the tagger's rule).
fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let joins = |o: Option<char>, i: Option<char>| matches!((o, i), (Some(o), Some(i)) if o.is_alphanumeric() && i.is_alphanumeric());
    !joins(before, first) && !joins(after, last)
}

/// (start, end, pattern) of each hit, sorted.
type Hits = Vec<(usize, usize, usize)>;

struct Matchers {
    scanner: Scanner,
    reference: AhoCorasick,
}

impl Matchers {
    fn new(patterns: Vec<String>) -> Matchers {
        let reference = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .unwrap();
        Matchers {
            scanner: Scanner::new(patterns),
            reference,
        }
    }

    /// The scanner's hits and the reference's.
    fn both(&self, text: &str) -> (Hits, Hits) {
        let mut want: Hits = self
            .reference
            .find_overlapping_iter(text)
            .filter(|m| at_word_boundaries(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        let mut hits = Vec::new();
        self.scanner.scan(text, &mut hits);
        let mut got: Hits = hits.iter().map(|h| (h.start, h.end, h.pattern)).collect();
        want.sort_unstable();
        got.sort_unstable();
        (got, want)
    }
}

fn bundled() -> &'static Matchers {
    static M: OnceLock<Matchers> = OnceLock::new();
    M.get_or_init(|| {
        let pipeline = Pipeline::bundled().unwrap();
        Matchers::new(pipeline.tagger().patterns().to_vec())
    })
}

/// Patterns with the awkward edges: punctuation first or last, non-ASCII letters, digits.
const ODD_PATTERNS: &[&str] = &[
    "'s",
    "(un)",
    "u.s.",
    "u.s",
    "-x",
    "é",
    "şi",
    "日本",
    "日本国",
    "10",
    "a 10",
    "a",
    "x.",
    ".",
    "ß",
    "1.5",
    "o'neil",
    "al ",
    " al",
];

fn odd() -> &'static Matchers {
    static M: OnceLock<Matchers> = OnceLock::new();
    M.get_or_init(|| Matchers::new(ODD_PATTERNS.iter().map(|p| p.to_string()).collect()))
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("north korea".to_string()),
        Just("north korean".to_string()),
        Just("u.s.".to_string()),
        Just("the".to_string()),
        Just("hwasong 15".to_string()),
        Just("s 400".to_string()),
        Just("kim jong un".to_string()),
        Just("'s".to_string()),
        Just("日本".to_string()),
        Just("é".to_string()),
        Just("a 10".to_string()),
        Just("(un)".to_string()),
        Just("ß".to_string()),
        Just(" ".to_string()),
        Just(".".to_string()),
        "[a-z0-9 .'()-]{0,6}",
        any::<char>().prop_map(String::from),
    ]
}

/// `PROPTEST_CASES` when set (for long runs), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(3000)))]

    #[test]
    fn scanner_equals_aho_corasick_with_boundaries(pieces in prop::collection::vec(piece(), 0..20)) {
        let text = fold(&pieces.concat()).text;
        for m in [bundled(), odd()] {
            let (got, want) = m.both(&text);
            prop_assert_eq!(got, want, "{:?}", text);
        }
        let raw: String = pieces.concat();
        let (got, want) = odd().both(&raw);
        prop_assert_eq!(got, want, "{:?}", raw);
    }
}

#[test]
fn scanner_equals_aho_corasick_on_the_sample_documents() {
    let options = entopic::ingest::InputOptions::default();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let units = entopic::ingest::Units::new(
        entopic::ingest::walk(&[root], &Default::default()),
        options.clone(),
    );
    let mut checked = 0;
    for unit in units {
        let Ok(doc) = entopic::ingest::load(unit, &options) else {
            continue;
        };
        let text = fold(&doc.text).text;
        let (got, want) = bundled().both(&text);
        assert_eq!(got, want, "{}", doc.id);
        checked += got.len();
    }
    assert!(checked > 1000, "only {checked} hits compared");
}
