//! Context rules: the evidence around a dictionary match that decides whether it names the entity.
//!
//! Matching alone cannot tell Chad the country from Chad Morris, or Athens from Athens, Georgia. The
//! tagger asks these rules about each match that passed the lexical checks, using only the
//! document's own text:
//!
//! - **Part of a longer name** — an ambiguous name (`?` alias, surname) or a leader's name with a
//!   capitalized word glued to it that is neither a title nor a function word is part of another
//!   name: "Jordan Ellis", "Lake Chad", "Niger River", "Hunter Biden", "Donald Trump Jr.".
//!   Title-case headlines are exempt, since every word there is capitalized.
//! - **A place elsewhere** — a capital or country name followed by a comma and a name from
//!   `rules/other-places.txt` is a town elsewhere: "Paris, Texas", "Moscow, Idaho".
//! - **A month, not a surname** — "in May", "May 2019": a short form that is a month name is not
//!   linked to a leader there.
//! - **Support** — an ambiguous (`?`) match is kept only when the document mentions the same entity
//!   unambiguously, or its sentence has supporting evidence from `rules/context.txt` (words, an
//!   unambiguous mention of a given type, or a word right before it: "in Turkey"), and no word
//!   that argues against it ("governor", "county" next to Georgia). Support counts across the
//!   document: once one ambiguous mention of an entity is supported, its other mentions are kept
//!   too ("a Patriot battery … we need more Patriots"), unless their own sentence argues against.
//!
//! All rules look at a bounded window around the match, so their cost does not grow with the
//! document.

use crate::dictionary::{ContextDirection, Dictionary};
pub use crate::document::Reason;
use crate::normalize::{fold_alias, with_folded_word};
use rustc_hash::{FxHashMap, FxHashSet};

/// The rules, compiled from the dictionary's `rules/` files.
#[derive(Debug, Default)]
pub struct ContextRules {
    /// Folded words that, capitalized next to a name, do not make it part of a longer name.
    not_names: FxHashSet<String>,
    /// Folded words of titles ("prime", "minister"): a title next to a name is not another name.
    title_words: FxHashSet<String>,
    /// Folded place names that mark the place before a comma as elsewhere ("texas"), by their
    /// first word ("new" for "new mexico"), longest first.
    other_places: FxHashMap<String, Vec<String>>,
    /// Evidence by target (an entity type, or a folded alias): words and `@type` markers.
    support: FxHashMap<String, Evidence>,
    against: FxHashMap<String, Evidence>,
    /// Folded words that support a target when they come right before it ("in" Turkey).
    follows: FxHashMap<String, FxHashSet<String>>,
}

/// Evidence words for one target.
#[derive(Debug, Default)]
struct Evidence {
    /// Folded words; one that folds to nothing ("-") matches no word.
    words: FxHashSet<String>,
    /// Entity types whose unambiguous mention in the sentence counts.
    types: FxHashSet<String>,
}

/// What the support rule needs to know about each kept mention.
#[derive(Debug, Clone)]
pub struct Kept<'a> {
    pub kind: &'a str,
    pub entity: usize,
    pub folded_alias: &'a str,
    pub ambiguous: bool,
    pub start: usize,
    pub end: usize,
}

impl ContextRules {
    /// Compiles the rules of `dict`.
    pub fn new(dict: &Dictionary) -> ContextRules {
        let mut rules = ContextRules {
            not_names: dict.not_names.iter().cloned().collect(),
            title_words: dict
                .titles
                .iter()
                .flat_map(|t| t.split([' ', '.']))
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
            ..ContextRules::default()
        };
        // Longest first, so "New Mexico" is tried before a shorter name it starts with.
        let mut places = dict.other_places.clone();
        places.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for place in places {
            let first = first_word(&place).to_string();
            rules.other_places.entry(first).or_default().push(place);
        }
        for line in &dict.context {
            let map = match line.direction {
                ContextDirection::Support => &mut rules.support,
                ContextDirection::Against => &mut rules.against,
                ContextDirection::Follows => {
                    let words = rules.follows.entry(line.target.clone()).or_default();
                    words.extend(line.words.iter().cloned());
                    continue;
                }
            };
            let evidence = map.entry(line.target.clone()).or_default();
            for word in &line.words {
                match word.strip_prefix('@') {
                    Some(kind) => evidence.types.insert(kind.to_string()),
                    None => evidence.words.insert(word.clone()),
                };
            }
        }
        rules
    }

    /// True when the match at `start..end` of `original` is glued to another capitalized word
    /// that makes it part of a longer name. `next_winner` is where the next dictionary match
    /// starts and `prev_end` where the previous kept mention ends, so "Syrian Bashar al-Assad" or
    /// "Chad President Déby" are not mistaken for longer names.
    pub fn part_of_name(
        &self,
        original: &str,
        start: usize,
        end: usize,
        prev_end: Option<usize>,
        next_start: Option<usize>,
    ) -> bool {
        let [before, after] = self.glued(original, start, end, prev_end, next_start);
        (before || after) && !in_title_case_line(original, start, end)
    }

    /// True when an unambiguous name is in the middle of a longer name, glued to other
    /// capitalized names on both sides: "Guard Israel Adesanya-Smith" (a given name between a
    /// role and a surname). One side alone is not enough for such a name ("In Ukraine Zelensky",
    /// "Israel Defense Forces").
    pub fn inside_name(
        &self,
        original: &str,
        start: usize,
        end: usize,
        prev_end: Option<usize>,
        next_start: Option<usize>,
    ) -> bool {
        let [before, after] = self.glued(original, start, end, prev_end, next_start);
        before && after && !in_title_case_line(original, start, end)
    }

    /// Whether another capitalized name is glued before and after the match (see
    /// [`ContextRules::part_of_name`]).
    fn glued(
        &self,
        original: &str,
        start: usize,
        end: usize,
        prev_end: Option<usize>,
        next_start: Option<usize>,
    ) -> [bool; 2] {
        let after = word_after(original, end)
            .is_some_and(|(word, at)| next_start != Some(at) && self.is_other_name(word));
        let before = word_before(original, start).is_some_and(|(word, at)| {
            let possessive = word.ends_with("'s") || word.ends_with("\u{2019}s");
            !possessive && prev_end != Some(at + word.len()) && self.is_other_name(word)
        });
        [before, after]
    }

    /// True when the place name at `..end` is the first word of a longer name introduced by an
    /// apposition: "India Moore, the team's captain", "China Evergrande, the developer". Such a
    /// name is a person or an organisation, even when the place name alone is unambiguous.
    pub fn named_in_apposition(
        &self,
        original: &str,
        end: usize,
        next_start: Option<usize>,
    ) -> bool {
        let Some((word, at)) = word_after(original, end) else {
            return false;
        };
        let rest = &original[at + word.len()..];
        next_start != Some(at)
            && self.is_other_name(word)
            && [", a ", ", an ", ", the "].iter().any(|a| {
                rest.get(..a.len())
                    .is_some_and(|r| r.eq_ignore_ascii_case(a))
            })
    }

    /// A capitalized word that is neither a title nor a function word. A word that ends with a
    /// period ends a sentence or is an abbreviation ("Mr.", "U.S."), so it is not glued to the
    /// name; of a hyphenated word only the last part counts ("Then-President", "American-made").
    fn is_other_name(&self, word: &str) -> bool {
        if word.ends_with('.') {
            return false;
        }
        let last = match word.as_bytes().iter().rposition(|&b| b == b'-') {
            Some(hyphen) => &word[hyphen + 1..],
            None => word,
        };
        let capitalized = last.chars().next().is_some_and(char::is_uppercase)
            && last.chars().any(char::is_lowercase);
        if !capitalized {
            return false;
        }
        with_folded_word(last, |folded| {
            !self.not_names.contains(folded) && !self.title_words.contains(folded)
        })
    }

    /// If the folded text right after a match (`folded[end..]`) is ", " and a place from
    /// `rules/other-places.txt`, the folded end of that place name.
    pub fn place_elsewhere(&self, folded: &str, end: usize) -> Option<usize> {
        let rest = folded[end..].strip_prefix(", ")?;
        // A place that starts `rest` has the same first word: only those are tried.
        let places = self.other_places.get(first_word(rest))?;
        places.iter().find_map(|place| {
            let after = rest.strip_prefix(place.as_str())?;
            let boundary = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
            boundary.then(|| end + 2 + place.len())
        })
    }

    /// Drops ambiguous mentions without support (see module docs); a mention right after an
    /// unambiguous one it belongs to ("Russian Iskander") is supported, unless its sentence argues
    /// against it ("China's Shandong province"). Returns, for each mention, `None` to keep it or
    /// the reason to drop it.
    pub fn unsupported(&self, original: &str, kept: &[Kept]) -> Vec<Option<Reason>> {
        let ambiguous: FxHashSet<usize> = kept
            .iter()
            .filter(|k| k.ambiguous)
            .map(|k| k.entity)
            .collect();
        if ambiguous.is_empty() {
            return vec![None; kept.len()];
        }
        // The entities of ambiguous mentions that are also mentioned unambiguously.
        let unambiguous: FxHashSet<usize> = kept
            .iter()
            .filter(|k| !k.ambiguous && ambiguous.contains(&k.entity))
            .map(|k| k.entity)
            .collect();
        let mut verdicts: Vec<Option<Reason>> = kept
            .iter()
            .enumerate()
            .map(|(i, k)| {
                if !k.ambiguous || unambiguous.contains(&k.entity) {
                    return None;
                }
                // "China's Shandong" names what the ship belongs to, but "China's Shandong
                // province" argues against it: attachment counts only when nothing does.
                let verdict = self.in_sentence(original, kept, k);
                if verdict != Some(Reason::AgainstContext)
                    && i > 0
                    && attached(original, &kept[i - 1], k)
                {
                    return None;
                }
                verdict
            })
            .collect();
        // Support counts across the document: an entity supported once is supported everywhere
        // nothing argues against it.
        let supported: FxHashSet<usize> = kept
            .iter()
            .zip(&verdicts)
            .filter(|(k, v)| k.ambiguous && v.is_none())
            .map(|(k, _)| k.entity)
            .collect();
        for (k, verdict) in kept.iter().zip(&mut verdicts) {
            if *verdict == Some(Reason::NoSupport) && supported.contains(&k.entity) {
                *verdict = None;
            }
        }
        verdicts
    }

    /// The verdict of the sentence around the ambiguous mention `k`: against it, without
    /// support, or (`None`) supported.
    fn in_sentence(&self, original: &str, kept: &[Kept], k: &Kept) -> Option<Reason> {
        let targets = [k.kind, k.folded_alias];
        let (s, e) = sentence_around(original, k.start, k.end);
        // In a title-case headline every word is capitalized, so the name's case says
        // nothing: only mentions count there, not words ("Lakers Trade Jordan To …").
        // (An all-caps headline only matched because it is all caps; its words count.)
        let written = &original[k.start..k.end];
        let headline =
            written.chars().any(char::is_lowercase) && in_title_case_line(original, k.start, k.end);
        // Which evidence sets (against, then support, each for both targets) have a word in the
        // sentence: one pass over its words for all of them.
        let [kind, alias] = targets;
        let sets = [
            self.against.get(kind),
            self.against.get(alias),
            self.support.get(kind),
            self.support.get(alias),
        ];
        let mut words = [false; 4];
        if !headline && sets.iter().any(Option::is_some) {
            any_folded_word(&original[s..e], |w| {
                for (hit, ev) in words.iter_mut().zip(&sets) {
                    *hit |= ev.is_some_and(|ev| ev.words.contains(w));
                }
                words
                    .iter()
                    .zip(&sets)
                    .all(|(hit, ev)| *hit || ev.is_none())
            });
        }
        let first = kept.partition_point(|o| o.start < s);
        let last = kept.partition_point(|o| o.start < e);
        let neighbours = &kept[first..last];
        let found = |i: usize| {
            sets[i].is_some_and(|ev: &Evidence| {
                words[i]
                    || neighbours
                        .iter()
                        .any(|o| !o.ambiguous && o.end <= e && ev.types.contains(o.kind))
            })
        };
        if found(0) || found(1) {
            return Some(Reason::AgainstContext);
        }
        let follows = !headline && self.follows_word(original, k, targets);
        let supported = follows || found(2) || found(3);
        (!supported).then_some(Reason::NoSupport)
    }

    /// Whether the word right before `k` is one that supports one of its `targets` there ("in"
    /// Turkey).
    fn follows_word(&self, original: &str, k: &Kept, targets: [&str; 2]) -> bool {
        let mut words = targets
            .iter()
            .filter_map(|t| self.follows.get(*t))
            .peekable();
        if words.peek().is_none() {
            return false;
        }
        let Some((before, _)) = word_before(original, k.start) else {
            return false;
        };
        with_folded_word(before, |w| words.any(|words| words.contains(w)))
    }
}

/// Calls `f` with each word (run of letters and digits) of `text` folded as [`fold_alias`] folds
/// it, until `f` returns true; returns whether it did. ASCII text is lowercased word by word;
/// other text is folded whole first, since folding can join or split its words ("Ira\u{200B}n",
/// "ﬁve").
fn any_folded_word(text: &str, mut f: impl FnMut(&str) -> bool) -> bool {
    if !text.is_ascii() {
        return fold_alias(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(f);
    }
    let bytes = text.as_bytes();
    let mut lower = String::new();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_alphanumeric() {
            at += 1;
            continue;
        }
        let (start, mut upper) = (at, false);
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
            upper |= bytes[at].is_ascii_uppercase();
            at += 1;
        }
        let word = &text[start..at];
        let found = if upper {
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            f(&lower)
        } else {
            f(word)
        };
        if found {
            return true;
        }
    }
    false
}

/// The letters and digits that `text` starts with.
fn first_word(text: &str) -> &str {
    let len = text
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(text.len());
    &text[..len]
}

/// True when `prev` is an unambiguous mention directly attached to `k` ("the North Korean
/// Nodong", "Pakistan's Babur"): that names what `k` belongs to, which is support enough.
fn attached(original: &str, prev: &Kept, k: &Kept) -> bool {
    let between = original[prev.end..k.start].trim_start_matches(['\'', '\u{2019}']);
    let between = between.strip_prefix('s').unwrap_or(between);
    !prev.ambiguous && !between.is_empty() && between.chars().all(char::is_whitespace)
}

/// How far the rules look around a match, in bytes.
const WINDOW: usize = 400;

/// The word right after `end`, separated by exactly one space (or directly a "Jr."-style suffix
/// after a space), with its byte offset.
fn word_after(text: &str, end: usize) -> Option<(&str, usize)> {
    let rest = text[end..].strip_prefix(' ')?;
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .unwrap_or(rest.len());
    (len > 0).then(|| (&rest[..len], end + 1))
}

/// The word right before `start`, separated by exactly one space, with its byte offset.
fn word_before(text: &str, start: usize) -> Option<(&str, usize)> {
    let head = text[..start].strip_suffix(' ')?;
    let from = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '\'' | '\u{2019}' | '-' | '.'))
        .last()
        .map(|(i, _)| i)?;
    Some((&head[from..], from))
}

/// True when the line around the match, within [`WINDOW`] bytes, reads like a title-case
/// headline: at least four words, and nearly all words of four or more letters capitalized.
fn in_title_case_line(text: &str, start: usize, end: usize) -> bool {
    // The line breaks and window edges are found on bytes: `\n` is never part of another
    // character. The window ends after the character that starts at `end + WINDOW / 4`.
    let bytes = text.as_bytes();
    let from = ceil_char_boundary(text, start.saturating_sub(WINDOW / 4));
    let line_start = bytes[from..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(from, |i| from + i + 1);
    let to = ceil_char_boundary(text, (end + WINDOW / 4 + 1).min(text.len()));
    let line_end = bytes[end..to]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(to, |i| end + i);
    let line = &text[line_start..line_end];
    if line.is_ascii() {
        title_case_words(line.bytes().map(char::from))
    } else {
        title_case_words(line.chars())
    }
}

/// At least four words (runs of letters) of four or more letters, nearly all capitalized.
fn title_case_words(chars: impl Iterator<Item = char>) -> bool {
    let (mut long, mut capitalized) = (0, 0);
    // The current word: its length in letters and whether its first letter is a capital.
    let (mut letters, mut upper) = (0, false);
    let mut word_ends = |letters: usize, upper: bool| {
        if letters >= 4 {
            long += 1;
            capitalized += usize::from(upper);
        }
    };
    for c in chars {
        if c.is_alphabetic() {
            upper = if letters == 0 {
                c.is_uppercase()
            } else {
                upper
            };
            letters += 1;
        } else if letters > 0 {
            word_ends(letters, upper);
            letters = 0;
        }
    }
    word_ends(letters, upper);
    long >= 4 && capitalized * 10 >= long * 9
}

/// The first character boundary of `text` at or after `at` (at most `text.len()`).
fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Byte range of the sentence around `start..end`: from after the previous sentence end to the
/// next, within [`WINDOW`] bytes each side. A sentence ends at a line break, or at `.`, `!` or `?`
/// followed by whitespace and a capital letter ("the U.S. said" does not end at "U.S."). The
/// text is scanned as bytes: those marks are ASCII, never part of another character.
fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    // Whether the text after a `.`, `!` or `?` at `at` ends the sentence there.
    let ends_at = |at: usize| {
        let rest = &text[at + 1..];
        let after = rest.trim_start();
        after.len() < rest.len() && after.chars().next().is_none_or(char::is_uppercase)
    };
    let from = ceil_char_boundary(text, start.saturating_sub(WINDOW));
    let s = (from..start)
        .rev()
        .find(|&at| bytes[at] == b'\n' || (matches!(bytes[at], b'.' | b'!' | b'?') && ends_at(at)))
        .map_or(from, |at| at + 1);
    let mut to = (end + WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let e = (end..to)
        .find(|&at| bytes[at] == b'\n' || (matches!(bytes[at], b'.' | b'!' | b'?') && ends_at(at)))
        .map_or(to, |at| if bytes[at] == b'\n' { at } else { at + 1 });
    let s = s + (text[s..start].len() - text[s..start].trim_start().len());
    (s, e)
}

/// True when a short form written like a month ("May") stands as a month: after a preposition
/// or before a number ("in May", "May 2019", "May 5").
pub fn reads_as_month(text: &str, start: usize, end: usize) -> bool {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const BEFORE: [&str; 14] = [
        "in", "on", "since", "by", "until", "till", "early", "late", "mid", "of", "from", "last",
        "next", "this",
    ];
    if !MONTHS.contains(&&text[start..end]) {
        return false;
    }
    let before = word_before(text, start).map(|(w, _)| w.to_lowercase());
    let number_after = text[end..]
        .trim_start_matches([' ', ','])
        .starts_with(|c: char| c.is_ascii_digit());
    number_after || before.is_some_and(|w| BEFORE.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_words() {
        assert_eq!(word_after("Jordan Ellis said", 6), Some(("Ellis", 7)));
        assert_eq!(word_after("Jordan, Ellis", 6), None);
        assert_eq!(word_before("Hunter Biden", 7), Some(("Hunter", 0)));
        assert_eq!(
            word_before("Then-President Trump", 15),
            Some(("Then-President", 0))
        );
        assert_eq!(word_before("in Russia's Putin", 12), Some(("Russia's", 3)));
        assert_eq!(word_before(" Putin", 1), None);
    }

    #[test]
    fn title_case_headlines() {
        let line = "Trump Meets Kim Again As Talks Resume In Hanoi";
        assert!(in_title_case_line(line, 0, 5));
        let prose = "Trump met Kim again as talks resumed in Hanoi on Tuesday.";
        assert!(!in_title_case_line(prose, 0, 5));
    }

    #[test]
    fn sentences() {
        let text = "The U.S. said so. Chad and Niger met in Niamey! Next one.";
        let at = text.find("Chad").unwrap();
        let (s, e) = sentence_around(text, at, at + 4);
        assert_eq!(&text[s..e], "Chad and Niger met in Niamey!");
        let at = text.find("said").unwrap();
        let (s, e) = sentence_around(text, at, at + 4);
        assert_eq!(&text[s..e], "The U.S. said so.");
    }

    #[test]
    fn sentence_words_are_folded_like_the_sentence() {
        // ASCII text is lowercased word by word; other text is folded whole, which may join
        // ("Ira\u{200B}n") or split ("ﬁve" → "five") words. Either way: the words of the fold.
        for text in [
            "The U.S.-led Talks, in GENEVA; state-run TV",
            "Ira\u{200B}n and T\u{FC}rkiye \u{201C}ﬁve\u{201D} \u{2014} Stra\u{DF}e",
            "",
            " -- ",
        ] {
            let mut words = Vec::new();
            any_folded_word(text, |w| {
                words.push(w.to_string());
                false
            });
            let folded = fold_alias(text);
            let want: Vec<&str> = folded
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(words, want, "{text}");
        }
        let mut seen = 0;
        assert!(any_folded_word("one Two three", |w| {
            seen += 1;
            w == "two"
        }));
        assert_eq!(seen, 2, "stops at the first word found");
    }

    #[test]
    fn headline_window_is_the_line_within_a_hundred_bytes() {
        // Title case on the match's line only: the prose line after it does not count, nor does
        // a title-case line before it.
        let text = "Chad Says Army Will Guard Border Towns\nthe army said it would guard towns";
        assert!(in_title_case_line(text, 0, 4));
        let at = text.find("army").unwrap();
        assert!(!in_title_case_line(text, at, at + 4));
        // Accented and curly-quoted headlines read the same as plain ones.
        let accented = "\u{201C}Türkiye Hosts Talks About Grain Corridor\u{201D}";
        assert!(in_title_case_line(accented, 3, 10));
        // Words beyond a hundred bytes after the match do not count; nearer ones do.
        let title = "Chad Says Army Will Guard Border Towns";
        let prose = "the army said it would guard towns";
        let far = format!("{title} {} {prose}", "-".repeat(80));
        assert!(in_title_case_line(&far, 0, 4));
        let near = format!("{title} {} {prose}", "-".repeat(20));
        assert!(!in_title_case_line(&near, 0, 4));
    }

    #[test]
    fn other_places_are_found_by_their_first_word_longest_first() {
        let rules = ContextRules {
            other_places: [("new", vec!["new mexico", "new"]), ("texas", vec!["texas"])]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
                .collect(),
            ..ContextRules::default()
        };
        let at = |text: &str| rules.place_elsewhere(text, 5);
        assert_eq!(at("paris, texas and"), Some(12));
        assert_eq!(at("paris, new mexico"), Some(17));
        assert_eq!(at("paris, new york"), Some(10));
        assert_eq!(at("paris, texans"), None);
        assert_eq!(at("paris, mexico"), None);
        assert_eq!(at("paris texas"), None);
    }

    #[test]
    fn months() {
        let t = "Theresa May resigned in May. May said. It ended May 24. Mid-May";
        let at = |n: usize| t.match_indices("May").nth(n).unwrap().0;
        assert!(!reads_as_month(t, at(0), at(0) + 3));
        assert!(reads_as_month(t, at(1), at(1) + 3));
        assert!(!reads_as_month(t, at(2), at(2) + 3));
        assert!(reads_as_month(t, at(3), at(3) + 3));
    }
}
