//! Lint for dictionaries: the problems a loader accepts but an analyst should fix.
//!
//! In: the sources of one or more dictionary folders. Out: every load problem (alias clashes and
//! unknown country ids included, see `links.rs`: errors here and in every command), plus short
//! aliases matched in any case and overlapping role periods — each as `path:line: severity: message`, sorted by place.

use super::{load::load_all, CaseRule, Position, Problem, Severity, Source};

/// Checks dictionary sources and returns every problem, sorted by file and line.
pub fn check(sources: Vec<Source>) -> Vec<Problem> {
    let dict = load_all(sources);
    let mut problems = dict.problems.clone();
    let mut push = |at: &Position, severity, message| {
        problems.push(Problem {
            at: at.clone(),
            severity,
            message,
        });
    };

    for alias in &dict.aliases {
        let letters = alias.folded.chars().filter(|c| c.is_alphanumeric()).count();
        let designation = alias.folded.chars().any(|c| c.is_ascii_digit());
        if letters <= 3 && !designation && alias.case == CaseRule::Any {
            let msg = format!(
                "short alias {:?} of {} matches in any case; mark it `=` (exact case) or `?` (ambiguous)",
                alias.written, dict.entities[alias.entity].id
            );
            push(&alias.origin, Severity::Warning, msg);
        }
    }
    for (alias, msg) in dict
        .aliases
        .iter()
        .filter_map(|a| alone_mark_problem(&dict, a))
    {
        push(&alias.origin, Severity::Warning, msg);
    }
    for entity in &dict.entities {
        for (i, a) in entity.roles.iter().enumerate() {
            for b in &entity.roles[i + 1..] {
                let (Some(af), Some(bf)) = (a.from, b.from) else {
                    continue;
                };
                let a_end = a.to.map_or((u16::MAX, 12, 31), |t| t.last_day());
                let b_end = b.to.map_or((u16::MAX, 12, 31), |t| t.last_day());
                if a.title == b.title && af.first_day() < b_end && bf.first_day() < a_end {
                    let at = dict
                        .aliases
                        .iter()
                        .find(|al| dict.entities[al.entity].id == entity.id)
                        .map(|al| al.origin.clone())
                        .unwrap_or_default();
                    let msg = format!("{}: overlapping periods as {}", entity.id, a.title);
                    push(&at, Severity::Warning, msg);
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// A `!` (may stand alone) that cannot take effect: outside the `short` column, or on a surname
/// that `rules/common-words.txt` or `rules/not-names.txt` lists.
fn alone_mark_problem<'a>(
    dict: &super::Dictionary,
    alias: &'a super::Alias,
) -> Option<(&'a super::Alias, String)> {
    let id = &dict.entities[alias.entity].id;
    if alias.written.starts_with('!') {
        let msg = format!(
            "{id}: `!` (may stand alone) is only for the `short` column: {:?}",
            alias.written
        );
        return Some((alias, msg));
    }
    let listed = dict
        .common_words
        .iter()
        .chain(&dict.not_names)
        .any(|w| *w == alias.folded);
    (alias.alone && listed).then(|| {
        let msg = format!(
            "{id}: surname {:?} is marked `!` but is a common word or not-name; it never stands alone",
            alias.written
        );
        (alias, msg)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_shared_and_short_aliases() {
        let text = "id\tname\taliases\tacronyms\n\
                    GIN\tGuinea\t\t\n\
                    PNG\tPapua New Guinea\tGuinea\tPNG\n\
                    USA\tUnited States\tus\t\n";
        let source = Source {
            path: "d/countries.tsv".into(),
            relative: "countries.tsv".into(),
            text: text.into(),
        };
        let found: Vec<String> = check(vec![source]).iter().map(|p| p.to_string()).collect();
        assert_eq!(
            found,
            [
                "d/countries.tsv:3: error: alias \"Guinea\" of country PNG is also an alias of country GIN (d/countries.tsv:2); mark both `?` to let the context decide, or keep one",
                "d/countries.tsv:4: warning: short alias \"us\" of USA matches in any case; mark it `=` (exact case) or `?` (ambiguous)",
            ]
        );
    }

    #[test]
    fn reports_a_stand_alone_mark_that_cannot_take_effect() {
        let src = |relative: &str, text: &str| Source {
            path: format!("d/{relative}"),
            relative: relative.into(),
            text: text.into(),
        };
        let leaders = "id\tname\taliases\tshort\n\
                       pat-price\tPat Price\t!Patrick Price\t!Price\n\
                       ivan-putinov\tIvan Putinov\t\t!Putinov\n";
        let found: Vec<String> = check(vec![
            src("leaders.tsv", leaders),
            src("rules/common-words.txt", "Price\n"),
        ])
        .iter()
        .map(|p| p.to_string())
        .collect();
        assert_eq!(
            found,
            [
                "d/leaders.tsv:2: warning: pat-price: `!` (may stand alone) is only for the `short` column: \"!Patrick Price\"",
                "d/leaders.tsv:2: warning: pat-price: surname \"Price\" is marked `!` but is a common word or not-name; it never stands alone",
            ]
        );
    }
}
