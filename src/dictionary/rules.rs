//! The rules files that are not word lists: `rules/context.txt` and `rules/patterns.txt`, parsed
//! and checked here, where they are loaded, and compiled later by [`crate::context`] and
//! [`crate::patterns`] (data flows loader → compiler, never back).

use crate::normalize::fold_alias;
use crate::tsv::{Position, Row, TsvError};

/// One line of `rules/context.txt`: `target <TAB> support|against|follows <TAB> words`.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextLine {
    /// An entity type (`country`) or a folded alias (`georgia`).
    pub target: String,
    /// Whether the words support the target or argue against it.
    pub direction: ContextDirection,
    /// Folded words, and `@type` markers.
    pub words: Vec<String>,
}

/// Whether a context line supports or argues against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextDirection {
    /// A word anywhere in the sentence supports it.
    Support,
    /// A word anywhere in the sentence argues against it.
    Against,
    /// A word right before it supports it ("in" Turkey).
    Follows,
}

/// Parses one row of `rules/context.txt`.
pub fn parse_context(row: &Row) -> Result<ContextLine, TsvError> {
    let [target, direction, words] =
        row.fields_exact::<3>(" (target, support|against|follows, words)")?;
    let direction = match direction {
        "support" => ContextDirection::Support,
        "against" => ContextDirection::Against,
        "follows" => ContextDirection::Follows,
        other => {
            return Err(row.invalid(format!(
                "expected \"support\", \"against\" or \"follows\", found {other:?}"
            )))
        }
    };
    let words: Vec<String> = words
        .split_whitespace()
        .map(|w| match w.strip_prefix('@') {
            Some(kind) => format!("@{}", kind.to_lowercase()),
            None => fold_alias(w),
        })
        .collect();
    if target.is_empty() || words.is_empty() {
        return Err(row.invalid("a context line needs a target and at least one word"));
    }
    Ok(ContextLine {
        target: fold_alias(target),
        direction,
        words,
    })
}

/// One line of `rules/patterns.txt`:
/// `type <TAB> regex <TAB> id template <TAB> name template <TAB> attributes`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternLine {
    /// The entity type found (`weapon`).
    pub kind: String,
    /// The regular expression, checked to parse.
    pub regex: String,
    /// How many capture groups it has (`$1`… in the templates).
    pub groups: usize,
    /// The id template (`hwasong-$1`).
    pub id: String,
    /// The display name template (`Hwasong-$1`).
    pub name: String,
    /// `key=value` pairs, `;`-separated, copied to each entity found.
    pub attributes: Vec<(String, String)>,
    /// Where the line is.
    pub at: Position,
}

/// Parses one row of `rules/patterns.txt`; the error says what is wrong with it.
pub fn parse_pattern(row: &Row) -> Result<PatternLine, TsvError> {
    let fields = row.fields();
    let (kind, regex, id, name, attributes) = match fields[..] {
        [k, r, i, n] => (k, r, i, n, ""),
        [k, r, i, n, a] => (k, r, i, n, a),
        _ => {
            return Err(row.error(crate::tsv::ErrorKind::FieldCount {
                expected: "4 or 5",
                names: " (type, regex, id, name, attributes)",
                found: fields.len(),
            }))
        }
    };
    // Parsed, not compiled: the syntax check and the group count cost a fraction of a
    // compilation, and the patterns are compiled once, together, by the tagger.
    let parsed = regex_syntax::Parser::new().parse(regex).map_err(|e| {
        // The parser's message spans several lines (a caret under the pattern); its last line
        // says what is wrong, which keeps the report one `path:line: message` per problem.
        let text = e.to_string();
        let why = text.lines().last().unwrap_or_default();
        row.invalid(format!(
            "invalid regex {regex:?}: {}",
            why.trim_start_matches("error: ")
        ))
    })?;
    let groups = parsed.properties().explicit_captures_len();
    for template in [id, name] {
        if let Some(n) = (1..=9).rev().find(|n| template.contains(&format!("${n}"))) {
            if n > groups {
                return Err(row.invalid(format!(
                    "{template:?} uses ${n} but the regex has {groups} group(s)"
                )));
            }
        }
    }
    let mut attrs = Vec::new();
    for pair in attributes
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| row.invalid(format!("attribute {pair:?} is not key=value")))?;
        attrs.push((k.trim().to_string(), v.trim().to_string()));
    }
    if kind.is_empty() || id.is_empty() || name.is_empty() {
        return Err(row.invalid("type, id and name must not be empty"));
    }
    Ok(PatternLine {
        kind: kind.to_string(),
        regex: regex.to_string(),
        groups,
        id: id.to_string(),
        name: name.to_string(),
        attributes: attrs,
        at: row.position(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tsv::Rows;

    fn context(text: &str) -> Result<ContextLine, String> {
        let row = Rows::new("c.txt", text).next().unwrap();
        parse_context(&row).map_err(|e| e.to_string())
    }

    #[test]
    fn context_lines() {
        let line = context("Georgia\tagainst\tgovernor County @leader").unwrap();
        assert_eq!(line.target, "georgia");
        assert_eq!(line.direction, ContextDirection::Against);
        assert_eq!(line.words, ["governor", "county", "@leader"]);
        assert_eq!(
            context("country\tmaybe\tx").unwrap_err(),
            "c.txt:1: expected \"support\", \"against\" or \"follows\", found \"maybe\""
        );
        assert_eq!(
            context("country\tsupport").unwrap_err(),
            "c.txt:1: expected 3 tab-separated fields (target, support|against|follows, words), \
             found 2"
        );
    }
}
