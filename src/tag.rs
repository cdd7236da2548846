//! Dictionary matching: one aho-corasick pass over the folded text, then the rules that decide
//! which candidates are mentions.
//!
//! In: the original text and its [`Normalized`] fold. Out: [`Mention`]s in document order, with
//! offsets into the original text.
//!
//! How a candidate becomes a mention:
//! 1. **Scan** — every alias and every blocking phrase (`rules/not-entities.txt`) is a pattern of
//!    one automaton; every occurrence that starts where a word may start is collected (see
//!    [`crate::scan`]), overlaps included, so a candidate that fails a rule can never hide a
//!    valid one that overlaps it.
//! 2. **Word boundaries** — a candidate must not start or end inside a word ("Oman" in "woman",
//!    "Mali" in "Somali", "Niger" in "Nigeria"); a possessive or a hyphen is a boundary
//!    ("China's", "U.S.-led").
//! 3. **Case** — `=` and `?` aliases, acronyms and surnames must match the dictionary's case
//!    (`US`, not "us"; "China", not "china"), except in an all-caps line such as a headline.
//!    `?` aliases also need support from their context (see [`crate::context`]), and so does an
//!    exact-case alias that is also a common English word ("US") in an all-caps line, where its
//!    case says nothing: "POPE ASKS ALL OF US TO PRAY" is not the United States.
//! 4. **Overlaps** — leftmost-longest wins across all types ("South Korea" over "Korea",
//!    "Papua New Guinea" over "Guinea"); a blocking phrase that wins removes what it covers
//!    ("South China Sea", "Michael Jordan"). One exception keeps both: a name nested inside a
//!    longer one of another type that the longer entity refers to in its attributes ("Jordan" in
//!    "Abdullah II of Jordan", whose `country` is JOR). `--all-candidates` lists the losers.
//! 5. **Short forms** — a surname alone is a mention only after a full mention of the same person
//!    in the document (the most recent one wins when several share it), or right after a title
//!    such as "President" when only one person has that surname — or, in a dated document, only
//!    one of those who share it held office on that date ("President Bush" in 2003). A prominent
//!    surname marked `!` in the dictionary ("Putin", "Netanyahu") stands alone, with the form
//!    `surname`, on the same one-person-or-dated-office condition, unless it is a common word, a
//!    not-name or the name of a place or other non-person entry ("Price", "Jordan").
//! 6. **Other bearers** — a leader's name followed by another regnal number or a patronymic
//!    ("King Frederik IX", "Khalifa bin Hamad"), or after a ship prefix ("HMS Queen Elizabeth"),
//!    is not that leader (see [`crate::name_guard`]).
//! 7. **Compounds** — a generic class right after a named system of the same type is part of its
//!    description, not a second mention ("Musudan missile" → Musudan).

use crate::context::{self, ContextRules, Kept, Reason};
use crate::designation::Shape;
use crate::dictionary::{Alias, CaseRule, Dictionary, Entity, RoleDate};
use crate::document::{Form, Mention, Rejected};
use crate::name_guard;
use crate::normalize::{fold_alias, Normalized};
use crate::patterns::Patterns;
use crate::scan::{inside_word, WordScan, DFA_PATTERN_BYTES};
use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;
use std::sync::Arc;

/// A compiled matcher for a [`Dictionary`]. Build once; `tag` takes `&self` and is thread-safe.
#[derive(Debug)]
pub struct Tagger {
    scan: WordScan,
    /// The automaton's patterns (folded aliases and blocking phrases), by pattern id.
    pattern_texts: Vec<String>,
    targets: Vec<Target>,
    aliases: Vec<Alias>,
    /// Per alias, the designation form it must be written in ("A-10", not "a 10"), if any.
    shapes: Vec<Option<Shape>>,
    entities: Vec<Arc<Entity>>,
    titles: Vec<String>,
    /// Folded words a surname marked `!` must not be to stand alone: common words, not-names,
    /// and the names of places and other non-leader entries ("Jordan", "Georgia").
    never_alone: FxHashSet<String>,
    context: ContextRules,
    patterns: Patterns,
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
    /// The pattern's aliases whose case rule accepts the matched text (mostly one or two: kept
    /// inline, so a dense document's candidates cost no allocation each).
    aliases: SmallVec<[u32; 2]>,
}

/// The automaton's patterns, each distinct folded alias or blocking phrase once, and what each
/// one stands for.
fn automaton_patterns(dict: &Dictionary) -> (Vec<String>, Vec<Target>) {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut patterns: Vec<String> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    let blockers: Vec<String> = dict
        .blockers
        .iter()
        .map(|(phrase, _)| fold_alias(phrase))
        .collect();
    let aliases = dict.aliases.iter().map(|a| (a.folded.as_str(), false));
    let blockers = blockers.iter().map(|f| (f.as_str(), true));
    for (alias, (folded, blocker)) in aliases.chain(blockers).enumerate() {
        if folded.is_empty() {
            continue;
        }
        let slot = *index.entry(folded).or_insert_with(|| {
            patterns.push(folded.to_string());
            targets.push(Target::default());
            patterns.len() - 1
        });
        match blocker {
            true => targets[slot].blocker = true,
            false => targets[slot].aliases.push(alias as u32),
        }
    }
    (patterns, targets)
}

impl Tagger {
    /// Compiles every alias and blocking phrase of `dict` into one automaton. Takes the
    /// dictionary: its entities and aliases move into the tagger rather than being copied.
    pub fn new(mut dict: Dictionary) -> Result<Tagger, crate::BuildError> {
        let (patterns, targets) = automaton_patterns(&dict);
        // The rules compile on a second thread while the automaton, most of the build, is made.
        let (scan, (shapes, never_alone, context, designations)) = std::thread::scope(|scope| {
            let rules = scope.spawn(|| {
                let shapes = dict.aliases.iter().map(|a| Shape::of(&a.written)).collect();
                let designations = Patterns::new(&dict.patterns);
                let context = ContextRules::new(&dict);
                (shapes, never_alone(&dict), context, designations)
            });
            let scan = WordScan::new(&patterns, DFA_PATTERN_BYTES);
            let rules = rules.join();
            (
                scan,
                rules.unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            )
        });
        Ok(Tagger {
            scan: scan?,
            pattern_texts: patterns,
            targets,
            shapes,
            never_alone,
            context,
            patterns: designations?,
            titles: std::mem::take(&mut dict.titles),
            aliases: std::mem::take(&mut dict.aliases),
            entities: dict.entities.into_iter().map(Arc::new).collect(),
        })
    }

    /// Counts the dictionary scan's occurrences in a folded text (see [`crate::scan`]), with no
    /// rules applied: the part of tagging that benchmarks compare with a plain automaton scan.
    pub fn raw_match_count(&self, folded: &str) -> usize {
        let mut n = 0;
        self.scan.find(folded, |_, _, _| n += 1);
        n
    }

    /// The automaton's patterns, for benchmarks that compare it with other matchers.
    pub fn pattern_texts(&self) -> &[String] {
        &self.pattern_texts
    }

    /// Number of distinct patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.targets.len()
    }

    /// Finds the mentions in `original`, given its fold.
    pub fn tag(&self, original: &str, folded: &Normalized) -> Vec<Mention> {
        self.tag_explained(original, folded, None, None)
    }

    /// Like [`Tagger::tag`], for a document of a known `date` (a title and a surname several
    /// leaders share then name the one in office: "President Bush" in 2003), and when `rejected`
    /// is given, also collects the dictionary matches that were not kept, each with the reason
    /// (`--all-candidates`), in document order.
    pub fn tag_explained(
        &self,
        original: &str,
        folded: &Normalized,
        date: Option<RoleDate>,
        rejected: Option<&mut Vec<Rejected>>,
    ) -> Vec<Mention> {
        let mut candidates = self.candidates(original, folded);
        candidates.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
        let mut winners: Vec<Candidate> = Vec::new();
        let mut losers: Vec<(Candidate, Reason)> = Vec::new();
        let mut nested: Vec<Candidate> = Vec::new();
        for c in candidates {
            match winners.last() {
                Some(w) if c.start < w.end => {
                    let blocked = self.targets[w.pattern].blocker;
                    if !blocked && c.end <= w.end && self.names_inside(w, &c) {
                        nested.push(c);
                    } else if rejected.is_some() {
                        let reason = if blocked {
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
        winners.shrink_to_fit();
        let mut dropped: Vec<(usize, Reason)> = Vec::new();
        let mut mentions = self.resolve(original, &folded.text, &winners, date, &mut dropped);
        if !nested.is_empty() {
            self.add_nested(original, &mut mentions, nested);
        }
        let mut rejected = rejected;
        if let Some(out) = rejected.as_deref_mut() {
            losers.extend(dropped.into_iter().map(|(i, r)| (winners[i].clone(), r)));
            out.extend(self.rejected_mentions(original, losers));
        }
        self.add_designations(original, mentions, rejected)
    }

    /// Whether `inner`, covered by the longer match `outer`, names an entity of another type that
    /// `outer`'s entity refers to in its attributes: "Jordan" in "Abdullah II of Jordan" (whose
    /// `country` is JOR), "Norwegian" in "Norwegian Advanced Surface-to-Air Missile System"
    /// (`origin` NOR). Both are kept: the nested name is meaningful on its own.
    fn names_inside(&self, outer: &Candidate, inner: &Candidate) -> bool {
        let entity_of = |a: &u32| &self.entities[self.aliases[*a as usize].entity];
        let outer: Vec<&Arc<Entity>> = outer.aliases.iter().map(entity_of).collect();
        inner.aliases.iter().map(entity_of).any(|e| {
            outer
                .iter()
                .any(|o| o.kind != e.kind && o.attributes.iter().any(|(_, v)| v == &e.id))
        })
    }

    /// "Tripoli in northern Lebanon": a capital followed by "in" (and a direction) and another
    /// country is a town of that country.
    fn in_other_country(
        &self,
        c: &Candidate,
        alias: &Alias,
        folded: &str,
        next: Option<&Candidate>,
    ) -> bool {
        let Some(next) = next else {
            return false;
        };
        let Some(rest) = folded[c.folded_end..next.folded_start].strip_prefix(" in ") else {
            return false;
        };
        let directions = [
            "",
            "north ",
            "south ",
            "east ",
            "west ",
            "northern ",
            "southern ",
            "eastern ",
            "western ",
            "central ",
            "northeastern ",
            "northwestern ",
            "southeastern ",
            "southwestern ",
        ];
        directions.contains(&rest)
            && next.aliases.iter().all(|&a| {
                let other = &self.aliases[a as usize];
                other.entity != alias.entity && other.form == Form::Name
            })
            && !next.aliases.is_empty()
    }

    /// Adds the nested mentions (see [`Tagger::names_inside`]) whose outer match was kept.
    fn add_nested(&self, original: &str, mentions: &mut Vec<Mention>, nested: Vec<Candidate>) {
        let mut added = false;
        for c in nested {
            let Some(outer) = mentions
                .iter()
                .find(|m| m.byte_start <= c.start && c.end <= m.byte_end)
            else {
                continue;
            };
            let alias = c
                .aliases
                .iter()
                .map(|&a| &self.aliases[a as usize])
                .find(|a| {
                    let e = &self.entities[a.entity];
                    !a.is_short()
                        && e.kind != outer.entity.kind
                        && outer.entity.attributes.iter().any(|(_, v)| v == &e.id)
                });
            if let Some(alias) = alias {
                let mention = self.mention(original, &c, alias);
                mentions.push(mention);
                added = true;
            }
        }
        if added {
            mentions.sort_by_key(|m| (m.byte_start, std::cmp::Reverse(m.byte_end)));
        }
    }

    /// Adds the designations that patterns find where no dictionary mention is (see
    /// [`crate::patterns`]), drops a class word right after one ("Hwasong-20 ICBM"), and sets
    /// the character offsets of the final list, the only sweep over the text for them.
    fn add_designations(
        &self,
        original: &str,
        mut mentions: Vec<Mention>,
        rejected: Option<&mut Vec<Rejected>>,
    ) -> Vec<Mention> {
        let found = self.patterns.find(original);
        if found.is_empty() {
            set_char_offsets(original, mentions.iter_mut());
            return mentions;
        }
        let mut merged: Vec<Mention> = Vec::with_capacity(mentions.len() + found.len());
        let mut dropped: Vec<(Mention, Reason)> = Vec::new();
        let mut listed = mentions.into_iter().peekable();
        for f in found {
            while let Some(m) = listed.next_if(|m| m.byte_end <= f.start) {
                merged.push(m);
            }
            let text = &original[f.start..f.end];
            let mention = Mention {
                entity: f.entity,
                text: text.to_string(),
                start: 0,
                end: 0,
                byte_start: f.start,
                byte_end: f.end,
                form: Form::Pattern,
                role_on_date: None,
            };
            if listed.peek().is_some_and(|m| m.byte_start < f.end) {
                dropped.push((mention, Reason::Overlapped));
                continue;
            }
            let describes = listed.peek().is_some_and(|m| {
                m.entity.kind == mention.entity.kind
                    && m.entity.attribute("kind") == Some("class")
                    && m.byte_start > f.end
                    && original[f.end..m.byte_start]
                        .chars()
                        .all(char::is_whitespace)
            });
            merged.push(mention);
            if describes {
                let class = listed.next().expect("peeked");
                dropped.push((class, Reason::DescribesSystem));
            }
        }
        merged.extend(listed);
        set_char_offsets(original, merged.iter_mut());
        set_char_offsets(original, dropped.iter_mut().map(|(m, _)| m));
        if let Some(out) = rejected {
            out.extend(
                dropped
                    .into_iter()
                    .map(|(mention, reason)| Rejected { mention, reason }),
            );
            out.sort_by_key(|r| r.mention.byte_start);
        }
        merged
    }

    fn candidates(&self, original: &str, folded: &Normalized) -> Vec<Candidate> {
        let text = folded.text.as_str();
        let mut out = Vec::new();
        self.scan.find(text, |fs, fe, pattern| {
            if inside_word(text, fe) {
                return;
            }
            let Some((start, end)) = folded.original_range(original, fs, fe) else {
                return;
            };
            let target = &self.targets[pattern];
            let matched = &original[start..end];
            let aliases: SmallVec<[u32; 2]> = target
                .aliases
                .iter()
                .copied()
                .filter(|&a| {
                    case_agrees(&self.aliases[a as usize], matched, original, start, end)
                        && self.written_as_designation(a, matched)
                })
                .collect();
            if aliases.is_empty() && !target.blocker {
                return;
            }
            out.push(Candidate {
                folded_start: fs,
                folded_end: fe,
                start,
                end,
                pattern,
                aliases,
            });
        });
        out
    }

    /// Whether `matched` has the designation form of alias `a` ("A-10", not "a 10"; see
    /// [`crate::designation`]); true for aliases that are no designation.
    fn written_as_designation(&self, a: u32, matched: &str) -> bool {
        self.shapes[a as usize]
            .as_ref()
            .is_none_or(|shape| shape.accepts(matched))
    }

    /// Turns non-overlapping winners into mentions (character offsets not yet set): drops
    /// blockers, links short forms, applies the context rules and folds compounds. The index of
    /// each winner it drops goes to `dropped` with the reason.
    fn resolve(
        &self,
        original: &str,
        folded: &str,
        winners: &[Candidate],
        date: Option<RoleDate>,
        dropped: &mut Vec<(usize, Reason)>,
    ) -> Vec<Mention> {
        // Each kept winner, read as which alias, and the form its mention takes (`surname` for a
        // surname standing alone, else the alias's).
        let mut kept: Vec<(usize, &Alias, Form)> = Vec::new();
        let mut last_full: FxHashMap<usize, usize> = FxHashMap::default();
        let mut elsewhere_until = 0;
        let matches: Vec<usize> = (0..winners.len())
            .filter(|&i| !self.targets[winners[i].pattern].blocker)
            .collect();
        for (n, &i) in matches.iter().enumerate() {
            let c = &winners[i];
            let next = matches.get(n + 1).map(|&j| &winners[j]);
            // A surname alone is no entity yet, so it does not stop a name being longer.
            let next_name = next
                .filter(|n| {
                    n.aliases
                        .iter()
                        .any(|&a| !self.aliases[a as usize].is_short())
                })
                .map(|n| n.start);
            let full = c
                .aliases
                .iter()
                .map(|&a| &self.aliases[a as usize])
                .find(|a| !a.is_short());
            let (alias, form) = match full {
                Some(alias) => (alias, alias.form),
                None => match self.link_short(c, original, folded, date, &last_full) {
                    Ok((alias, false)) => (alias, alias.form),
                    Ok((alias, true)) => (alias, Form::Surname),
                    Err(reason) => {
                        dropped.push((i, reason));
                        continue;
                    }
                },
            };
            let entity = &self.entities[alias.entity];
            let prev = kept
                .last()
                .map(|&(k, a, _)| (&winners[k], &self.entities[a.entity]));
            let other_bearer = || {
                let leader = !entity.roles.is_empty();
                leader.then(|| name_guard::other_bearer(original, c.start, c.end))?
            };
            let reason = if c.folded_start < elsewhere_until {
                Some(Reason::PlaceElsewhere)
            } else if let Some(reason) = other_bearer() {
                Some(reason)
            } else if prev.is_some_and(|(p, prev_entity)| {
                describes_system(original, p, prev_entity, c, entity)
            }) {
                Some(Reason::DescribesSystem)
            } else if let Some(until) = self.place_elsewhere(c, alias, folded, next) {
                elsewhere_until = until;
                Some(Reason::PlaceElsewhere)
            } else if self.part_of_name(original, c, alias, prev.map(|(p, _)| p.end), next_name) {
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
            kept.push((i, alias, form));
        }
        self.apply_context(original, winners, kept, dropped)
    }

    /// Whether the match is part of a longer name (rule 4): a place or organization name in
    /// apposition or inside a capitalized name, or an ambiguous name or leader's name glued to
    /// capitalized words ("Jordan Ellis", "Lake Chad").
    fn part_of_name(
        &self,
        original: &str,
        c: &Candidate,
        alias: &Alias,
        prev_end: Option<usize>,
        next_name: Option<usize>,
    ) -> bool {
        let entity = &self.entities[alias.entity];
        let (start, end) = (c.start, c.end);
        (matches!(alias.form, Form::Name | Form::Capital | Form::FormerName)
            && entity.roles.is_empty()
            && (self.context.named_in_apposition(original, end, next_name)
                || alias.form == Form::Name
                    && self
                        .context
                        .inside_name(original, start, end, prev_end, next_name)))
            || ((alias.case == CaseRule::Ambiguous || !entity.roles.is_empty())
                && self
                    .context
                    .part_of_name(original, start, end, prev_end, next_name))
    }

    /// The kept matches that the context rules support (rule 6), as mentions in document order;
    /// the others go to `dropped` with the reason.
    fn apply_context(
        &self,
        original: &str,
        winners: &[Candidate],
        kept: Vec<(usize, &Alias, Form)>,
        dropped: &mut Vec<(usize, Reason)>,
    ) -> Vec<Mention> {
        let facts: Vec<Kept> = kept
            .iter()
            .map(|&(i, alias, _)| Kept {
                kind: &self.entities[alias.entity].kind,
                entity: alias.entity,
                folded_alias: &alias.folded,
                ambiguous: (alias.case == CaseRule::Ambiguous && !alias.is_short())
                    || (alias.case == CaseRule::Exact
                        && COMMON_WORDS.contains(&alias.folded.as_str())
                        && in_all_caps_line(original, winners[i].start, winners[i].end)),
                start: winners[i].start,
                end: winners[i].end,
            })
            .collect();
        let verdicts = self.context.unsupported(original, &facts);
        // Freed before the mentions are made: in a dense document both are large.
        drop(facts);
        let mut mentions = Vec::with_capacity(kept.len());
        for ((i, alias, form), verdict) in kept.into_iter().zip(verdicts) {
            match verdict {
                Some(reason) => dropped.push((i, reason)),
                None => mentions.push(Mention {
                    form,
                    ..self.mention(original, &winners[i], alias)
                }),
            }
        }
        mentions
    }

    /// The mention for candidate `c` read as `alias`; its character offsets are set later, for
    /// all mentions in one sweep ([`set_char_offsets`]).
    fn mention(&self, original: &str, c: &Candidate, alias: &Alias) -> Mention {
        let text = &original[c.start..c.end];
        Mention {
            entity: Arc::clone(&self.entities[alias.entity]),
            text: text.to_string(),
            start: 0,
            end: 0,
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
        let mut rejected: Vec<Rejected> = dropped
            .into_iter()
            .map(|(c, reason)| {
                let alias = &self.aliases[c.aliases[0] as usize];
                Rejected {
                    mention: self.mention(original, &c, alias),
                    reason,
                }
            })
            .collect();
        set_char_offsets(original, rejected.iter_mut().map(|r| &mut r.mention));
        rejected
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
            alias.form == Form::Capital || (alias.form == Form::Name && entity.roles.is_empty());
        if !place_name {
            return None;
        }
        if alias.form == Form::Capital && self.in_other_country(c, alias, folded, next) {
            return Some(c.folded_end);
        }
        let until = self.context.place_elsewhere(folded, c.folded_end)?;
        if let Some(n) = next.filter(|n| n.folded_start < until) {
            let same = n
                .aliases
                .iter()
                .any(|&a| self.aliases[a as usize].entity == alias.entity);
            let rest = &folded[until..];
            let listed = rest.starts_with(" and ") || rest.starts_with(" or ");
            if same || listed || alias.form != Form::Capital {
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
        date: Option<RoleDate>,
        last_full: &FxHashMap<usize, usize>,
    ) -> Result<(&Alias, bool), Reason> {
        if context::reads_as_month(original, c.start, c.end) {
            return Err(Reason::Month);
        }
        let shorts = c.aliases.iter().map(|&a| &self.aliases[a as usize]);
        let linked = shorts
            .clone()
            .filter_map(|a| last_full.get(&a.entity).map(|&at| (at, a)))
            .max_by_key(|(at, _)| *at);
        if let Some((_, alias)) = linked {
            return Ok((alias, false));
        }
        if self.after_title(folded, c.folded_start) {
            return match self.one_bearer(shorts, date)[..] {
                [alias] => Ok((alias, false)),
                _ => Err(Reason::NoFullMention),
            };
        }
        self.alone(c, date).map(|alias| (alias, true))
    }

    /// A surname with no full mention or title before it ("Putin said"): kept when it is marked
    /// `!`, is no common word, not-name or place, and names one person — or one in office on the
    /// document date among those who share it.
    fn alone(&self, c: &Candidate, date: Option<RoleDate>) -> Result<&Alias, Reason> {
        let shorts = c.aliases.iter().map(|&a| &self.aliases[a as usize]);
        if !shorts.clone().any(|a| a.alone) {
            return Err(Reason::NoFullMention);
        }
        if self.never_alone.contains(&self.pattern_texts[c.pattern]) {
            return Err(Reason::CommonWord);
        }
        match self.one_bearer(shorts, date)[..] {
            [alias] if alias.alone => Ok(alias),
            [_] => Err(Reason::NoFullMention),
            _ => Err(Reason::SharedSurname),
        }
    }

    /// The people among `shorts` a bare surname may stand for: all of them when they are one
    /// person, otherwise those in office on the document date.
    fn one_bearer<'a>(
        &'a self,
        shorts: impl Iterator<Item = &'a Alias>,
        date: Option<RoleDate>,
    ) -> Vec<&'a Alias> {
        let mut people = shorts.collect::<Vec<_>>();
        people.sort_by_key(|a| (a.entity, !a.alone));
        people.dedup_by_key(|a| a.entity);
        if people.len() > 1 {
            // Several leaders share the surname: the document date may single one out.
            let in_office = |a: &&Alias| {
                let roles = &self.entities[a.entity].roles;
                date.is_some_and(|d| roles.iter().any(|r| r.held_on(d) == Some(true)))
            };
            people.retain(in_office);
        }
        people
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

/// A class word right after the system it describes ("Musudan missile"): same entity type, the
/// first a system, the second a class, only spaces between.
fn describes_system(
    original: &str,
    prev: &Candidate,
    prev_entity: &Entity,
    c: &Candidate,
    entity: &Entity,
) -> bool {
    entity.attribute("kind") == Some("class")
        && prev_entity.kind == entity.kind
        && prev_entity.attribute("kind") == Some("system")
        && prev.end < c.start
        && original[prev.end..c.start].chars().all(char::is_whitespace)
}

/// The folded words that a surname marked `!` must not be to stand alone (module docs, rule 5):
/// `rules/common-words.txt`, `rules/not-names.txt`, and every alias of an entry that is not a
/// person — one with neither roles nor a short form (a country, capital or weapon: "Jordan",
/// "Georgia", "Paris").
fn never_alone(dict: &Dictionary) -> FxHashSet<String> {
    let people: FxHashSet<usize> = dict
        .aliases
        .iter()
        .filter(|a| a.is_short() || !dict.entities[a.entity].roles.is_empty())
        .map(|a| a.entity)
        .collect();
    let places = dict
        .aliases
        .iter()
        .filter(|a| !people.contains(&a.entity))
        .map(|a| a.folded.clone());
    let words = dict.common_words.iter().chain(&dict.not_names).cloned();
    places.chain(words).collect()
}

/// Sets the character offsets of mentions sorted by byte offset, counting each stretch of text
/// once.
fn set_char_offsets<'a>(original: &str, mentions: impl Iterator<Item = &'a mut Mention>) {
    let (mut byte_cursor, mut char_cursor) = (0usize, 0usize);
    for m in mentions {
        char_cursor += original[byte_cursor..m.byte_start].chars().count();
        byte_cursor = m.byte_start;
        m.start = char_cursor;
        m.end = char_cursor + m.text.chars().count();
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

/// English function words that an exact-case alias may spell (`US`): in an all-caps line the
/// case cannot tell them apart, so such a match needs support like a `?` alias.
const COMMON_WORDS: [&str; 24] = [
    "us", "it", "in", "is", "as", "at", "be", "by", "do", "go", "he", "if", "me", "my", "no", "of",
    "on", "or", "so", "to", "up", "we", "am", "an",
];

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
        kim-jong-il\tKim Jong Il\tKim Jong-il\tKim\tPRK\t\n\
        lars-lokke-rasmussen\tLars Lokke Rasmussen\t\t\t\t\n\
        ivan-putinov\tIvan Putinov\t\t!Putinov\t\t\n\
        pat-price\tPat Price\t\t!Price\t\t\n";
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
            src("rules/common-words.txt", "Price\n"),
            src("rules/context.txt", "country\tsupport\t@country treaty\n"),
        ])
        .unwrap();
        Tagger::new(dict).unwrap()
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
    fn a_plain_spelling_in_the_dictionary_finds_the_letters_news_prints() {
        let text = "Lars L\u{f8}kke Rasmussen spoke.";
        let found = tags(text);
        assert_eq!(
            found,
            [(
                "Lars L\u{f8}kke Rasmussen".to_string(),
                "leader".to_string(),
                "lars-lokke-rasmussen".to_string()
            )]
        );
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
    fn a_surname_marked_to_stand_alone_needs_no_full_mention_unless_it_is_a_word() {
        let t = tagger();
        let explained = |text: &str| {
            let mut rejected = Vec::new();
            let kept = t.tag_explained(text, &fold(text), None, Some(&mut rejected));
            let kept: Vec<_> = kept
                .iter()
                .map(|m| (m.text.clone(), m.form.as_str()))
                .collect();
            let dropped: Vec<_> = rejected
                .iter()
                .map(|r| r.reason)
                .filter(|&r| r != Reason::Overlapped)
                .collect();
            (kept, dropped)
        };
        assert_eq!(
            explained("Putinov said so."),
            (vec![("Putinov".to_string(), "surname")], vec![])
        );
        assert_eq!(explained("putinov said so."), (vec![], vec![]));
        assert_eq!(
            explained("Price said so."),
            (vec![], vec![Reason::CommonWord])
        );
        assert_eq!(
            explained("Pat Price came. Price said so."),
            (
                vec![
                    ("Pat Price".to_string(), "name"),
                    ("Price".to_string(), "short")
                ],
                vec![]
            )
        );
        assert_eq!(
            explained("Putinov Street is long."),
            (vec![], vec![Reason::PartOfName])
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
