//! Dictionary matching: one aho-corasick pass over the folded text, then the rules that decide
//! which candidates are mentions.
//!
//! In: the original text and its [`Normalized`] fold. Out: [`Mention`]s in document order, with
//! offsets into the original text.
//!
//! How a candidate becomes a mention:
//! 1. **Scan** — every alias and every blocking phrase (`rules/not-entities.txt`) is a pattern of
//!    one [`Scanner`]; all overlapping occurrences at word boundaries are collected in a single
//!    pass, so a candidate that fails a rule can never hide a valid one that overlaps it.
//! 2. **Word boundaries** — a candidate must not start or end inside a word ("Oman" in "woman",
//!    "Mali" in "Somali", "Niger" in "Nigeria"); a possessive or a hyphen is a boundary
//!    ("China's", "U.S.-led").
//! 3. **Case** — `=` and `?` aliases, acronyms and surnames must match the dictionary's case
//!    (`US`, not "us"; "China", not "china"), except in an all-caps line such as a headline.
//!    `?` aliases also need support from their context (see [`crate::context`]).
//! 4. **Overlaps** — leftmost-longest wins across all types ("South Korea" over "Korea",
//!    "Papua New Guinea" over "Guinea"); a blocking phrase that wins removes what it covers
//!    ("South China Sea", "Michael Jordan").
//! 5. **Short forms** — a surname alone is a mention only after a full mention of the same person
//!    in the document (the most recent one wins when several share it), or right after a title
//!    such as "President" when only one person has that surname.
//! 6. **Compounds** — a generic class right after a named system of the same type is part of its
//!    description, not a second mention ("Musudan missile" → Musudan).

use crate::context::{self, ContextRules, Kept, Reason};
use crate::dictionary::{Alias, CaseRule, Dictionary, Entity};
use crate::document::{Mention, Rejected};
use crate::normalize::{fold_alias, Normalized};
use crate::scan::{Hit, Scanner};
use std::collections::HashMap;
use std::sync::Arc;

/// A compiled matcher for a [`Dictionary`]. Build once; `tag` takes `&self` and is thread-safe.
#[derive(Debug)]
pub struct Tagger {
    scanner: Scanner,
    targets: Vec<Target>,
    aliases: Vec<Alias>,
    entities: Vec<Arc<Entity>>,
    titles: Vec<String>,
    context: ContextRules,
}

/// What one automaton pattern stands for.
#[derive(Debug, Default)]
struct Target {
    aliases: Vec<u32>,
    blocker: bool,
}

/// A match that passed boundary and case checks, before overlap resolution.
#[derive(Debug, Clone)]
struct Candidate {
    folded_start: usize,
    folded_end: usize,
    start: usize,
    end: usize,
    pattern: usize,
    /// The pattern's aliases whose case rule accepts the matched text.
    aliases: Vec<u32>,
}

impl Tagger {
    /// Compiles every alias and blocking phrase of `dict` into one scanner.
    pub fn new(dict: &Dictionary) -> Tagger {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut slot = |folded: String| -> usize {
            *index.entry(folded.clone()).or_insert_with(|| {
                patterns.push(folded);
                targets.push(Target::default());
                patterns.len() - 1
            })
        };
        let alias_slots: Vec<usize> = dict
            .aliases
            .iter()
            .map(|a| slot(a.folded.clone()))
            .collect();
        let blocker_slots: Vec<usize> = dict
            .blockers
            .iter()
            .map(|(phrase, _)| fold_alias(phrase))
            .filter(|f| !f.is_empty())
            .map(&mut slot)
            .collect();
        for (alias, pattern) in alias_slots.into_iter().enumerate() {
            targets[pattern].aliases.push(alias as u32);
        }
        for pattern in blocker_slots {
            targets[pattern].blocker = true;
        }
        // Measured with `make bench`: the word scanner finds exactly what an overlapping
        // Aho-Corasick search plus the boundary check finds, several times faster.
        Tagger {
            scanner: Scanner::new(patterns),
            targets,
            aliases: dict.aliases.clone(),
            entities: dict.entities.iter().cloned().map(Arc::new).collect(),
            titles: dict.titles.clone(),
            context: ContextRules::new(dict),
        }
    }

    /// The folded patterns (aliases and blocking phrases), for benchmarks that compare the scan
    /// with other matchers.
    pub fn patterns(&self) -> &[String] {
        self.scanner.patterns()
    }

    /// Number of distinct patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.targets.len()
    }

    /// Finds the mentions in `original`, given its fold.
    pub fn tag(&self, original: &str, folded: &Normalized) -> Vec<Mention> {
        self.tag_explained(original, folded, None)
    }

    /// Like [`Tagger::tag`], and when `rejected` is given, also collects the dictionary matches
    /// that were not kept, each with the reason (`--all-candidates`), in document order.
    pub fn tag_explained(
        &self,
        original: &str,
        folded: &Normalized,
        rejected: Option<&mut Vec<Rejected>>,
    ) -> Vec<Mention> {
        let mut candidates = self.candidates(original, folded);
        candidates.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
        let mut winners: Vec<Candidate> = Vec::new();
        let mut losers: Vec<(Candidate, Reason)> = Vec::new();
        for c in candidates {
            match winners.last() {
                Some(w) if c.start < w.end => {
                    if rejected.is_some() {
                        let reason = if self.targets[w.pattern].blocker {
                            Reason::Blocked
                        } else {
                            Reason::Overlapped
                        };
                        losers.push((c, reason));
                    }
                }
                _ => winners.push(c),
            }
        }
        let mut dropped: Vec<(usize, Reason)> = Vec::new();
        let mentions = self.resolve(original, &folded.text, &winners, &mut dropped);
        if let Some(out) = rejected {
            losers.extend(dropped.into_iter().map(|(i, r)| (winners[i].clone(), r)));
            out.extend(self.rejected_mentions(original, losers));
        }
        mentions
    }

    fn candidates(&self, original: &str, folded: &Normalized) -> Vec<Candidate> {
        let text = folded.text.as_str();
        let mut out = Vec::new();
        let mut hits = Vec::new();
        self.scanner.scan(text, &mut hits);
        for Hit {
            pattern,
            start: fs,
            end: fe,
        } in hits
        {
            let Some((start, end)) = folded.original_range(original, fs, fe) else {
                continue;
            };
            let target = &self.targets[pattern];
            let matched = &original[start..end];
            let aliases: Vec<u32> = target
                .aliases
                .iter()
                .copied()
                .filter(|&a| case_agrees(&self.aliases[a as usize], matched, original, start, end))
                .collect();
            if aliases.is_empty() && !target.blocker {
                continue;
            }
            out.push(Candidate {
                folded_start: fs,
                folded_end: fe,
                start,
                end,
                pattern,
                aliases,
            });
        }
        out
    }

    /// Turns non-overlapping winners into mentions: drops blockers, links short forms, applies the
    /// context rules, folds compounds, and computes character offsets in one sweep. The index of
    /// each winner it drops goes to `dropped` with the reason.
    fn resolve(
        &self,
        original: &str,
        folded: &str,
        winners: &[Candidate],
        dropped: &mut Vec<(usize, Reason)>,
    ) -> Vec<Mention> {
        let mut kept: Vec<(usize, &Alias)> = Vec::new();
        let mut last_full: HashMap<usize, usize> = HashMap::new();
        let mut elsewhere_until = 0;
        let matches: Vec<usize> = (0..winners.len())
            .filter(|&i| !self.targets[winners[i].pattern].blocker)
            .collect();
        for (n, &i) in matches.iter().enumerate() {
            let c = &winners[i];
            let next = matches.get(n + 1).map(|&j| &winners[j]);
            let full = c
                .aliases
                .iter()
                .map(|&a| &self.aliases[a as usize])
                .find(|a| !a.is_short());
            let alias = match full {
                Some(alias) => alias,
                None => match self.link_short(c, original, folded, &last_full) {
                    Ok(alias) => alias,
                    Err(reason) => {
                        dropped.push((i, reason));
                        continue;
                    }
                },
            };
            let entity = &self.entities[alias.entity];
            let prev = kept
                .last()
                .map(|&(k, a)| (&winners[k], &self.entities[a.entity]));
            let reason = if c.folded_start < elsewhere_until {
                Some(Reason::PlaceElsewhere)
            } else if prev.is_some_and(|(p, prev_entity)| {
                entity.attribute("kind") == Some("class")
                    && prev_entity.kind == entity.kind
                    && prev_entity.attribute("kind") == Some("system")
                    && original[p.end..c.start].chars().all(char::is_whitespace)
                    && p.end < c.start
            }) {
                Some(Reason::DescribesSystem)
            } else if let Some(until) = self.place_elsewhere(c, alias, folded, next) {
                elsewhere_until = until;
                Some(Reason::PlaceElsewhere)
            } else if (alias.case == CaseRule::Ambiguous || !entity.roles.is_empty())
                && self.context.part_of_name(
                    original,
                    c.start,
                    c.end,
                    prev.map(|(p, _)| p.end),
                    next.map(|n| n.start),
                )
            {
                Some(Reason::PartOfName)
            } else {
                None
            };
            if let Some(reason) = reason {
                dropped.push((i, reason));
                continue;
            }
            if !alias.is_short() {
                last_full.insert(alias.entity, c.start);
            }
            kept.push((i, alias));
        }
        let facts: Vec<Kept> = kept
            .iter()
            .map(|&(i, alias)| Kept {
                kind: &self.entities[alias.entity].kind,
                entity: alias.entity,
                folded_alias: &alias.folded,
                ambiguous: alias.case == CaseRule::Ambiguous && !alias.is_short(),
                start: winners[i].start,
                end: winners[i].end,
            })
            .collect();
        let verdicts = self.context.unsupported(original, &facts);
        let mut mentions = Vec::with_capacity(kept.len());
        let (mut byte_cursor, mut char_cursor) = (0usize, 0usize);
        for ((i, alias), verdict) in kept.into_iter().zip(verdicts) {
            if let Some(reason) = verdict {
                dropped.push((i, reason));
                continue;
            }
            let c = &winners[i];
            char_cursor += original[byte_cursor..c.start].chars().count();
            byte_cursor = c.start;
            mentions.push(self.mention(original, c, alias, char_cursor));
        }
        mentions
    }

    /// The mention for candidate `c` read as `alias`, starting at character `start`.
    fn mention(&self, original: &str, c: &Candidate, alias: &Alias, start: usize) -> Mention {
        let text = &original[c.start..c.end];
        Mention {
            entity: Arc::clone(&self.entities[alias.entity]),
            text: text.to_string(),
            start,
            end: start + text.chars().count(),
            byte_start: c.start,
            byte_end: c.end,
            form: alias.form,
            role_on_date: None,
        }
    }

    /// Dropped candidates as mentions with reasons, in document order, with one offset sweep.
    fn rejected_mentions(
        &self,
        original: &str,
        mut dropped: Vec<(Candidate, Reason)>,
    ) -> Vec<Rejected> {
        dropped.retain(|(c, _)| !c.aliases.is_empty());
        dropped.sort_by_key(|(c, _)| (c.start, std::cmp::Reverse(c.end)));
        let (mut byte_cursor, mut char_cursor) = (0usize, 0usize);
        dropped
            .into_iter()
            .map(|(c, reason)| {
                char_cursor += original[byte_cursor..c.start].chars().count();
                byte_cursor = c.start;
                let alias = &self.aliases[c.aliases[0] as usize];
                Rejected {
                    mention: self.mention(original, &c, alias, char_cursor),
                    reason,
                }
            })
            .collect()
    }

    /// If `c` is a town named like a capital or country and followed by ", Texas"-style place
    /// (see [`ContextRules::place_elsewhere`]), the folded offset up to which the qualifying place
    /// is dropped too. "Tbilisi, Georgia" (the same country twice) and a list of countries
    /// ("Russia, Georgia and Armenia") are not qualified places.
    fn place_elsewhere(
        &self,
        c: &Candidate,
        alias: &Alias,
        folded: &str,
        next: Option<&Candidate>,
    ) -> Option<usize> {
        let entity = &self.entities[alias.entity];
        let place_name =
            alias.form == "capital" || (alias.form == "name" && entity.roles.is_empty());
        if !place_name {
            return None;
        }
        let until = self.context.place_elsewhere(folded, c.folded_end)?;
        if let Some(n) = next.filter(|n| n.folded_start < until) {
            let same = n
                .aliases
                .iter()
                .any(|&a| self.aliases[a as usize].entity == alias.entity);
            let rest = &folded[until..];
            let listed = rest.starts_with(" and ") || rest.starts_with(" or ");
            if same || listed || alias.form != "capital" {
                return None;
            }
        }
        Some(until)
    }

    /// The alias a short form stands for, if it can be linked (see module docs, rule 5), or why
    /// not.
    fn link_short(
        &self,
        c: &Candidate,
        original: &str,
        folded: &str,
        last_full: &HashMap<usize, usize>,
    ) -> Result<&Alias, Reason> {
        if context::reads_as_month(original, c.start, c.end) {
            return Err(Reason::Month);
        }
        let shorts = c.aliases.iter().map(|&a| &self.aliases[a as usize]);
        let linked = shorts
            .clone()
            .filter_map(|a| last_full.get(&a.entity).map(|&at| (at, a)))
            .max_by_key(|(at, _)| *at);
        if let Some((_, alias)) = linked {
            return Ok(alias);
        }
        let mut people = shorts.clone().map(|a| a.entity).collect::<Vec<_>>();
        people.dedup();
        match shorts.into_iter().next() {
            Some(alias) if people.len() == 1 && self.after_title(folded, c.folded_start) => {
                Ok(alias)
            }
            _ => Err(Reason::NoFullMention),
        }
    }

    fn after_title(&self, folded: &str, at: usize) -> bool {
        let Some(before) = folded[..at].strip_suffix(' ') else {
            return false;
        };
        self.titles.iter().any(|t| {
            before.strip_suffix(t.as_str()).is_some_and(|rest| {
                rest.chars()
                    .next_back()
                    .is_none_or(|ch| !ch.is_alphanumeric())
            })
        })
    }
}

/// Whether the matched text's case is acceptable for this alias (see module docs, rule 3).
fn case_agrees(alias: &Alias, matched: &str, original: &str, start: usize, end: usize) -> bool {
    match alias.case {
        CaseRule::Any => true,
        CaseRule::Exact | CaseRule::Ambiguous => {
            same_case_pattern(matched, &alias.written)
                || (!matched.chars().any(char::is_lowercase)
                    && in_all_caps_line(original, start, end))
        }
    }
}

/// True when both strings have the same letters-and-digits sequence up to folding and the same
/// upper/lower case at every position.
fn same_case_pattern(matched: &str, written: &str) -> bool {
    let mut a = matched.chars().filter(|c| c.is_alphanumeric());
    let mut b = written.chars().filter(|c| c.is_alphanumeric());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.is_uppercase() == y.is_uppercase() => {}
            _ => return false,
        }
    }
}

/// How far around a match to look when deciding whether its line is an all-caps headline.
const HEADLINE_WINDOW: usize = 120;

/// True when the text around `start..end` on the same line, up to [`HEADLINE_WINDOW`] bytes each
/// side, has several letters and none of them lowercase. Bounded so that a huge one-line file
/// costs the same per match as a short one.
fn in_all_caps_line(original: &str, start: usize, end: usize) -> bool {
    let before = original[..start]
        .char_indices()
        .rev()
        .take_while(|(i, c)| *c != '\n' && start - i <= HEADLINE_WINDOW)
        .map(|(_, c)| c);
    let after = original[end..]
        .char_indices()
        .take_while(|(i, c)| *c != '\n' && *i <= HEADLINE_WINDOW)
        .map(|(_, c)| c);
    let mut letters = 0;
    for c in before.chain(after) {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::Source;
    use crate::normalize::fold;

    const COUNTRIES: &str = "id\tname\taliases\tdemonyms\tcapitals\tacronyms\n\
        PRK\tNorth Korea\tDPRK\tNorth Korean|North Koreans\tPyongyang\t\n\
        KOR\tSouth Korea\t\tSouth Korean\tSeoul\tROK\n\
        USA\tUnited States\t\tAmerican\t?Washington\tUS|U.S.|USA\n\
        CHN\tChina\t\tChinese\tBeijing\tPRC\n\
        OMN\tOman\t\t\t\t\n\
        MLI\tMali\t\t\t\t\n\
        NER\tNiger\t\t\t\t\n\
        NGA\tNigeria\t\t\t\t\n\
        SOM\tSomalia\t\tSomali\t\t\n\
        TCD\t?Chad\t\t\t\t\n\
        PNG\tPapua New Guinea\t\t\t\t\n\
        GIN\tGuinea\t\t\t\t\n";
    const LEADERS: &str = "id\tname\taliases\tshort\tcountry\troles\n\
        donald-trump\tDonald Trump\t\tTrump\tUSA\tPresident 2017-01-20..2021-01-20; President 2025-01-20..\n\
        kim-jong-un\tKim Jong Un\tKim Jong-un\tKim\tPRK\t\n\
        kim-jong-il\tKim Jong Il\tKim Jong-il\tKim\tPRK\t\n";
    const WEAPONS: &str = "id\tname\taliases\tkind\tclass\tplural\n\
        missile\tmissile\t\tclass\t\tyes\n\
        ballistic-missile\tballistic missile\t\tclass\t\tyes\n\
        icbm\t=ICBM\t=ICBMs|intercontinental ballistic missile\tclass\ticbm\tyes\n\
        hwasong-15\tHwasong-15\t\tsystem\ticbm\t\n\
        musudan\tMusudan\t\tsystem\tirbm\t\n";

    fn tagger() -> Tagger {
        let src = |rel: &str, text: &str| Source {
            path: rel.into(),
            relative: rel.into(),
            text: text.into(),
        };
        let dict = Dictionary::load(vec![
            src("countries.tsv", COUNTRIES),
            src("leaders.tsv", LEADERS),
            src("weapons.tsv", WEAPONS),
            src(
                "rules/not-entities.txt",
                "South China Sea\nMichael Jordan\n",
            ),
            src("rules/titles.txt", "President\nChairman\n"),
            src("rules/context.txt", "country\tsupport\t@country treaty\n"),
        ])
        .unwrap();
        Tagger::new(&dict)
    }

    fn tags(text: &str) -> Vec<(String, String, String)> {
        let t = tagger();
        t.tag(text, &fold(text))
            .into_iter()
            .map(|m| (m.text, m.entity.kind.clone(), m.entity.id.clone()))
            .collect()
    }

    fn ids(text: &str) -> Vec<String> {
        tags(text).into_iter().map(|(_, _, id)| id).collect()
    }

    #[test]
    fn word_boundaries_table() {
        let cases: &[(&str, &[&str])] = &[
            ("A woman from Oman.", &["OMN"]),
            ("Somali pirates left Mali.", &["SOM", "MLI"]),
            ("Nigeria and Niger.", &["NGA", "NER"]),
            (
                "China's and Korea\u{2019}s plans; North Korea’s test",
                &["CHN", "PRK"],
            ),
            ("the U.S.-led coalition", &["USA"]),
            ("Japan-U.S. ties and US-China talks", &["USA", "USA", "CHN"]),
            ("Papua New Guinea is not Guinea", &["PNG", "GIN"]),
        ];
        for (text, want) in cases {
            assert_eq!(ids(text), *want, "{text}");
        }
    }

    #[test]
    fn case_rules_table() {
        let cases: &[(&str, &[&str])] = &[
            ("let us go", &[]),
            ("US and U.S. and USA", &["USA", "USA", "USA"]),
            ("he met Chad at the bar", &[]),
            ("Chad and Niger signed a border treaty", &["TCD", "NER"]),
            ("a chad hanging from a ballot", &[]),
            ("FLOODS HIT CHAD AND NIGER", &["TCD", "NER"]),
            ("Washington warned Pyongyang", &["USA", "PRK"]),
            ("the ICBMs and icbm", &["icbm"]),
        ];
        for (text, want) in cases {
            assert_eq!(ids(text), *want, "{text}");
        }
    }

    #[test]
    fn longest_match_and_blockers() {
        assert_eq!(ids("North Korean troops"), ["PRK"]);
        assert_eq!(ids("ships in the South China Sea near China"), ["CHN"]);
        assert_eq!(ids("Michael Jordan scored"), Vec::<String>::new());
        assert_eq!(ids("an intercontinental ballistic missile"), ["icbm"]);
        assert_eq!(
            ids("two ballistic missiles and a missile"),
            ["ballistic-missile", "missile"]
        );
    }

    #[test]
    fn short_forms_need_a_full_mention_or_title() {
        assert_eq!(ids("Trump said so."), Vec::<String>::new());
        assert_eq!(ids("President Trump said so."), ["donald-trump"]);
        assert_eq!(
            ids("Donald Trump arrived. Trump said so."),
            ["donald-trump", "donald-trump"]
        );
        assert_eq!(ids("Kim said so."), Vec::<String>::new());
        assert_eq!(ids("Chairman Kim said so."), Vec::<String>::new());
        assert_eq!(
            ids("Kim Jong Il died; Kim Jong-un rose. Kim spoke."),
            ["kim-jong-il", "kim-jong-un", "kim-jong-un"]
        );
    }

    #[test]
    fn compound_weapon_mentions() {
        assert_eq!(
            tags("North Korea's Musudan missile and a North Korean Hwasong-15 ICBM"),
            [
                ("North Korea".into(), "country".into(), "PRK".into()),
                ("Musudan".into(), "weapon".into(), "musudan".into()),
                ("North Korean".into(), "country".into(), "PRK".into()),
                ("Hwasong-15".into(), "weapon".into(), "hwasong-15".into()),
            ]
        );
        assert_eq!(
            ids("the Hwasong 15 and Hwasong15"),
            ["hwasong-15", "hwasong-15"]
        );
    }

    #[test]
    fn offsets_are_exact_in_original_text() {
        let text = "«Zażółć» — N\u{A0}orth… North\u{A0}\u{A0}Korea’s ICBMs 😀 Pyongyang";
        let t = tagger();
        let found = t.tag(text, &fold(text));
        assert_eq!(found.len(), 3);
        for m in &found {
            assert_eq!(&text[m.byte_start..m.byte_end], m.text);
            let by_chars: String = text.chars().skip(m.start).take(m.end - m.start).collect();
            assert_eq!(by_chars, m.text);
        }
        assert_eq!(found[0].text, "North\u{A0}\u{A0}Korea");
        assert_eq!((found[0].start, found[0].end), (19, 31));
    }
}
