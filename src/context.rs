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
use crate::normalize::fold_alias;
use std::collections::{HashMap, HashSet};

/// The rules, compiled from the dictionary's `rules/` files.
#[derive(Debug, Default)]
pub struct ContextRules {
    /// Folded words that, capitalized next to a name, do not make it part of a longer name.
    not_names: HashSet<String>,
    /// Folded words of titles ("prime", "minister"): a title next to a name is not another name.
    title_words: HashSet<String>,
    /// Folded place names that mark the place before a comma as elsewhere ("texas").
    other_places: Vec<String>,
    /// Evidence by target (an entity type, or a folded alias): words and `@type` markers.
    support: HashMap<String, Evidence>,
    against: HashMap<String, Evidence>,
    /// Folded words that support a target when they come right before it ("in" Turkey).
    follows: HashMap<String, HashSet<String>>,
}

/// Evidence words for one target.
#[derive(Debug, Default)]
struct Evidence {
    words: HashSet<String>,
    /// Entity types whose unambiguous mention in the sentence counts.
    types: HashSet<String>,
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
            other_places: dict.other_places.clone(),
            ..ContextRules::default()
        };
        // Longest first, so "New Mexico" is tried before a shorter name it starts with.
        rules
            .other_places
            .sort_by_key(|p| std::cmp::Reverse(p.len()));
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
        let last = word.rsplit('-').next().unwrap_or(word);
        let capitalized = last.chars().next().is_some_and(char::is_uppercase)
            && last.chars().any(char::is_lowercase);
        if !capitalized {
            return false;
        }
        let folded = fold_alias(last);
        !self.not_names.contains(&folded) && !self.title_words.contains(&folded)
    }

    /// If the folded text right after a match (`folded[end..]`) is ", " and a place from
    /// `rules/other-places.txt`, the folded end of that place name.
    pub fn place_elsewhere(&self, folded: &str, end: usize) -> Option<usize> {
        let rest = folded[end..].strip_prefix(", ")?;
        self.other_places.iter().find_map(|place| {
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
        let unambiguous: HashSet<usize> = kept
            .iter()
            .filter(|k| !k.ambiguous)
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
        let supported: HashSet<usize> = kept
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
        let (s, e) = sentence_around(original, k.start, k.end);
        let sentence = fold_alias(&original[s..e]);
        let first = kept.partition_point(|o| o.start < s);
        let last = kept.partition_point(|o| o.start < e);
        let neighbours = &kept[first..last];
        // In a title-case headline every word is capitalized, so the name's case says
        // nothing: only mentions count there, not words ("Lakers Trade Jordan To …").
        // (An all-caps headline only matched because it is all caps; its words count.)
        let written = &original[k.start..k.end];
        let headline =
            written.chars().any(char::is_lowercase) && in_title_case_line(original, k.start, k.end);
        let in_sentence = |ev: &Evidence| {
            let word = !headline
                && sentence
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| ev.words.contains(w));
            word || neighbours
                .iter()
                .any(|o| !o.ambiguous && o.end <= e && ev.types.contains(o.kind))
        };
        let targets = [k.kind, k.folded_alias];
        let against = targets
            .iter()
            .filter_map(|t| self.against.get(*t))
            .any(in_sentence);
        if against {
            return Some(Reason::AgainstContext);
        }
        let before = word_before(original, k.start).map(|(w, _)| fold_alias(w));
        let follows = !headline
            && before.is_some_and(|w| {
                targets
                    .iter()
                    .filter_map(|t| self.follows.get(*t))
                    .any(|words| words.contains(&w))
            });
        let support = follows
            || targets
                .iter()
                .filter_map(|t| self.support.get(*t))
                .any(in_sentence);
        (!support).then_some(Reason::NoSupport)
    }
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
    let line_start = text[..start]
        .char_indices()
        .rev()
        .take_while(|(i, c)| *c != '\n' && start - i <= WINDOW / 4)
        .last()
        .map_or(start, |(i, _)| i);
    let line_end = text[end..]
        .char_indices()
        .take_while(|(i, c)| *c != '\n' && *i <= WINDOW / 4)
        .last()
        .map_or(end, |(i, c)| end + i + c.len_utf8());
    let (mut long, mut capitalized) = (0, 0);
    for word in text[line_start..line_end].split(|c: char| !c.is_alphabetic()) {
        if word.chars().count() >= 4 {
            long += 1;
            if word.chars().next().is_some_and(char::is_uppercase) {
                capitalized += 1;
            }
        }
    }
    long >= 4 && capitalized * 10 >= long * 9
}

/// Byte range of the sentence around `start..end`: from after the previous sentence end to the
/// next, within [`WINDOW`] bytes each side. A sentence ends at a line break, or at `.`, `!` or `?`
/// followed by whitespace and a capital letter ("the U.S. said" does not end at "U.S.").
fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let ends_here = |rest: &str| {
        let after = rest.trim_start();
        after.len() < rest.len() && after.chars().next().is_none_or(char::is_uppercase)
    };
    let mut from = start.saturating_sub(WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut s = from;
    for (i, c) in text[from..start].char_indices().rev() {
        let at = from + i + c.len_utf8();
        if c == '\n' || (matches!(c, '.' | '!' | '?') && ends_here(&text[at..])) {
            s = at;
            break;
        }
    }
    let mut to = (end + WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let mut e = to;
    for (i, c) in text[end..to].char_indices() {
        let at = end + i;
        if c == '\n' {
            e = at;
            break;
        }
        if matches!(c, '.' | '!' | '?') && ends_here(&text[at + 1..]) {
            e = at + 1;
            break;
        }
    }
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
    fn months() {
        let t = "Theresa May resigned in May. May said. It ended May 24. Mid-May";
        let at = |n: usize| t.match_indices("May").nth(n).unwrap().0;
        assert!(!reads_as_month(t, at(0), at(0) + 3));
        assert!(reads_as_month(t, at(1), at(1) + 3));
        assert!(!reads_as_month(t, at(2), at(2) + 3));
        assert!(reads_as_month(t, at(3), at(3) + 3));
    }
}
