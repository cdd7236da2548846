//! Designation patterns: named systems found by the shape of their designation, not only by list.
//!
//! Missile and aircraft families grow faster than any dictionary: a "Hwasong-20" or "DF-27" can be
//! in the news before it is in `weapons.tsv`. `rules/patterns.txt` describes each family as a
//! regular expression with an id and a display name built from its captures
//! (`Hwasong[- ]?(\d{1,2})` → `hwasong-$1`, `Hwasong-$1`). All patterns are compiled into one
//! regex and run in one pass over the text; a pattern match is reported only where no dictionary
//! match is, so listed systems keep their curated ids and attributes.
//!
//! Most documents hold no designation, and the word boundaries around each pattern make the regex
//! engine's fast automaton give up at the first non-ASCII character (a curly quote, a dash, an
//! accented letter), leaving the slow one to read the rest of the document. So a second regex,
//! the same patterns without those boundaries, first finds the lines where a designation could
//! be (every designation is a match of it), and only those lines are searched for designations —
//! when the patterns cannot reach past a line (see `line_bound`); otherwise the whole text is.

use crate::dictionary::{Entity, PatternLine};
use regex::{Captures, Regex};
use regex_syntax::hir::{Class, Hir, HirKind};
use std::sync::Arc;

/// All patterns, compiled into one regex with one group per pattern.
#[derive(Debug)]
pub struct Patterns {
    regex: Option<Regex>,
    /// The patterns without their word boundaries, when a designation can only be within a line
    /// where this finds a match.
    candidates: Option<Regex>,
    lines: Vec<PatternLine>,
    /// For pattern `i`: the index of its whole-match group, and of its first own group.
    groups: Vec<usize>,
}

/// A designation found by a pattern, before overlap with dictionary matches is checked.
#[derive(Debug, Clone)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub entity: Arc<Entity>,
}

impl Patterns {
    /// Compiles the pattern lines (each was validated when parsed).
    pub fn new(lines: &[PatternLine]) -> Result<Patterns, regex::Error> {
        let mut groups = Vec::with_capacity(lines.len());
        let mut next_group = 1;
        let mut parts = Vec::with_capacity(lines.len());
        for line in lines {
            groups.push(next_group);
            next_group += 1 + line.groups;
            parts.push(format!(r"(\b(?:{})\b)", line.regex));
        }
        if parts.is_empty() {
            return Ok(Patterns {
                regex: None,
                candidates: None,
                lines: Vec::new(),
                groups,
            });
        }
        let joined = parts.join("|");
        let candidates = match line_bound(&joined) {
            true => {
                let loose: Vec<String> = lines.iter().map(|l| format!("(?:{})", l.regex)).collect();
                Some(Regex::new(&loose.join("|"))?)
            }
            false => None,
        };
        Ok(Patterns {
            regex: Some(Regex::new(&joined)?),
            candidates,
            lines: lines.to_vec(),
            groups,
        })
    }

    /// Every designation in `text`, in order, not overlapping each other.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut out = Vec::new();
        let Some(regex) = &self.regex else {
            return out;
        };
        let Some(candidates) = &self.candidates else {
            out.extend(
                regex
                    .captures_iter(text)
                    .filter_map(|caps| self.found(&caps)),
            );
            return out;
        };
        // Designations are searched from each candidate to the end of its line: none starts
        // before a candidate, and none holds a line break. A match is never empty, so each
        // search goes on from where the last match ended.
        let mut at = 0;
        while let Some(candidate) = candidates.find_at(text, at) {
            let line_end = text[candidate.start()..]
                .find('\n')
                .map_or(text.len(), |i| candidate.start() + i);
            match regex.captures_at(&text[..line_end], candidate.start()) {
                Some(caps) => {
                    at = caps.get(0).expect("the whole match").end();
                    out.extend(self.found(&caps));
                }
                None if line_end < text.len() => at = line_end + 1,
                None => break,
            }
        }
        out
    }

    /// The designation a match of the combined regex stands for.
    fn found(&self, caps: &Captures) -> Option<Found> {
        let i = self.groups.iter().position(|&g| caps.get(g).is_some())?;
        let (line, first) = (&self.lines[i], self.groups[i]);
        let whole = caps.get(first).expect("the group that matched");
        let fill = |template: &str| fill(template, caps, first);
        let id = fill(&line.id).to_lowercase().replace(' ', "-");
        Some(Found {
            start: whole.start(),
            end: whole.end(),
            entity: Arc::new(Entity {
                kind: line.kind.clone(),
                id,
                name: fill(&line.name),
                attributes: line.attributes.clone(),
                roles: Vec::new(),
            }),
        })
    }
}

/// Whether searching each line alone finds exactly what searching the whole text finds: no
/// match can be empty or hold a line break, and the regex looks at nothing but word
/// boundaries, which see the same at a line's ends (a line break is no word character).
fn line_bound(regex: &str) -> bool {
    let Ok(hir) = regex_syntax::parse(regex) else {
        return false;
    };
    let props = hir.properties();
    props.minimum_len().is_some_and(|n| n > 0)
        && !props.look_set().contains_anchor()
        && !matches_line_break(&hir)
}

/// Whether some match of `hir` could hold a `\n`.
fn matches_line_break(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(literal) => literal.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(repetition) => matches_line_break(&repetition.sub),
        HirKind::Capture(capture) => matches_line_break(&capture.sub),
        HirKind::Concat(hirs) | HirKind::Alternation(hirs) => hirs.iter().any(matches_line_break),
    }
}

/// `template` with `$1`…`$9` replaced by the groups after `first` (a group that did not
/// match gives nothing), in one pass: a designation is found in most documents.
fn fill(template: &str, caps: &Captures, first: usize) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        match rest.as_bytes().first() {
            Some(&digit @ b'1'..=b'9') => {
                let group = first + usize::from(digit - b'0');
                out.push_str(caps.get(group).map_or("", |m| m.as_str()));
                rest = &rest[1..];
            }
            _ => out.push('$'),
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::parse_pattern;
    use crate::tsv::Rows;

    fn line(text: &str) -> Result<PatternLine, String> {
        let row = Rows::new("p.txt", text).next().unwrap();
        parse_pattern(&row).map_err(|e| e.kind.to_string())
    }

    /// Asserts the id and name of each designation found in `text`, in order.
    fn assert_finds(p: &Patterns, text: &str, want: &[(&str, &str)]) {
        let found: Vec<(String, String)> = p
            .find(text)
            .into_iter()
            .map(|f| (f.entity.id.clone(), f.entity.name.clone()))
            .collect();
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(i, n)| (i.to_string(), n.to_string()))
            .collect();
        assert_eq!(found, want, "{text}");
    }

    #[test]
    fn finds_designations_and_builds_ids() {
        let lines = [
            line("weapon\tHwasong[- ]?(\\d{1,2}[A-Z]?)\thwasong-$1\tHwasong-$1\tkind=system; origin=PRK")
                .unwrap(),
            line("weapon\tDF-(\\d{1,2}[A-Z]?)\tdf-$1\tDF-$1").unwrap(),
        ];
        let p = Patterns::new(&lines).unwrap();
        assert_finds(
            &p,
            "A Hwasong 20 and a DF-27, not DF-270x or Hwasong-15b.",
            &[("hwasong-20", "Hwasong-20"), ("df-27", "DF-27")],
        );
        let f = &p.find("Hwasong-20")[0];
        assert_eq!((f.start, f.end), (0, 10));
        assert_eq!(f.entity.attribute("origin"), Some("PRK"));
    }

    #[test]
    fn templates_take_each_group_once_and_keep_other_dollars() {
        let lines = [
            line("weapon\tDF-(\\d)(X)?-(\\d)\tdf-$3-$1$2\tDF $1/$3 $ $0 $$2").unwrap(),
            line("weapon\tKN-(\\d\\d)\tkn-$1\tKN-$1").unwrap(),
        ];
        let p = Patterns::new(&lines).unwrap();
        assert_finds(
            &p,
            "DF-1X-2, DF-3-4 and KN-25",
            &[
                ("df-2-1x", "DF 1/2 $ $0 $X"),
                ("df-4-3", "DF 3/4 $ $0 $"),
                ("kn-25", "KN-25"),
            ],
        );
    }

    #[test]
    fn line_by_line_search_finds_what_the_whole_text_search_finds() {
        let lines = [
            line("weapon\tHwasong[- ]?(\\d{1,2}[A-Z]?)\thwasong-$1\tHwasong-$1").unwrap(),
            line("weapon\tDF-(\\d{1,2}[A-Z]?)\tdf-$1\tDF-$1").unwrap(),
        ];
        let by_line = Patterns::new(&lines).unwrap();
        assert!(by_line.candidates.is_some());
        let whole = Patterns {
            candidates: None,
            ..Patterns::new(&lines).unwrap()
        };
        let text = "xDF-21 DF-22 \u{e9}DF-23 DF-24\u{e9} \u{201C}DF-25\u{201D}\n\n\
            Hwasong-15\nno designation here\nDF-2\u{2014}DF-3 Hwasong 17\nDF-26";
        let spans = |p: &Patterns| -> Vec<(usize, usize, String)> {
            let found = p.find(text).into_iter();
            found
                .map(|f| (f.start, f.end, f.entity.id.clone()))
                .collect()
        };
        let want = [
            "df-22",
            "df-25",
            "hwasong-15",
            "df-2",
            "df-3",
            "hwasong-17",
            "df-26",
        ];
        let found = spans(&by_line);
        let ids: Vec<&str> = found.iter().map(|(_, _, id)| id.as_str()).collect();
        assert_eq!(ids, want);
        assert_eq!(found, spans(&whole));
        for (start, end, id) in &found {
            assert_eq!(text[*start..*end].to_lowercase().replace(' ', "-"), *id);
        }
    }

    #[test]
    fn patterns_that_reach_past_a_line_are_searched_in_the_whole_text() {
        for (regex, bound) in [
            ("DF-\\d{1,3}", true),
            ("DF.\\d", true),
            ("KN\\s\\d\\d", false),
            ("KN[^x]\\d\\d", false),
            ("^DF-\\d", false),
            ("(?m)DF-\\d$", false),
            ("(?:DF)?", false),
        ] {
            assert_eq!(
                line_bound(&format!("(\\b(?:{regex})\\b)")),
                bound,
                "{regex}"
            );
        }
        let p = Patterns::new(&[line("weapon\tKN\\s(\\d\\d)\tkn-$1\tKN-$1").unwrap()]).unwrap();
        assert!(p.candidates.is_none());
        assert_finds(
            &p,
            "the KN\n25 and KN 24",
            &[("kn-25", "KN-25"), ("kn-24", "KN-24")],
        );
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(line("weapon\tHwasong-(\\d\thwasong-$1\tH")
            .unwrap_err()
            .contains("invalid regex"));
        assert!(line("weapon\tKN-\\d+\tkn-$1\tKN")
            .unwrap_err()
            .contains("uses $1 but the regex has 0 group(s)"));
        assert!(line("weapon\tKN").unwrap_err().contains("found 2"));
        assert!(line("weapon\tKN-(\\d+)\tkn-$1\tKN-$1\tkind")
            .unwrap_err()
            .contains("not key=value"));
    }
}
