//! Checks across entries, once every dictionary folder is loaded: what no single line shows.
//!
//! - **Alias clashes**: one spelling that names two entities, unless both mark it `?` (then the
//!   context rules decide). An error, for `dict check` and for every command that loads the
//!   dictionaries alike: the tagger would silently give every such match to the entity loaded
//!   first, which is a wrong tag a user cannot see.
//! - **Country references**: the `country` column (leaders) and `origin` column (weapons) must
//!   hold the id of a loaded country (`XXX` is not one), when a country dictionary is loaded.

use super::{CaseRule, Dictionary, Position, Problem, Severity};
use rustc_hash::{FxHashMap, FxHashSet};

/// Columns whose value is the id of a country.
const COUNTRY_COLUMNS: [&str; 2] = ["country", "origin"];

/// Adds the problems of both checks to `dict.problems`.
pub(super) fn check(dict: &mut Dictionary) {
    let mut found = alias_clashes(dict);
    found.extend(country_references(dict));
    dict.problems.extend(found);
}

fn alias_clashes(dict: &Dictionary) -> Vec<Problem> {
    let mut first_owner: FxHashMap<&str, usize> = FxHashMap::default();
    let mut found = Vec::new();
    for (i, alias) in dict.aliases.iter().enumerate() {
        if alias.is_short() {
            continue;
        }
        let first = *first_owner.entry(alias.folded.as_str()).or_insert(i);
        let first = &dict.aliases[first];
        let both_marked = first.case == CaseRule::Ambiguous && alias.case == CaseRule::Ambiguous;
        if first.entity == alias.entity || both_marked {
            continue;
        }
        let (a, b) = (&dict.entities[first.entity], &dict.entities[alias.entity]);
        found.push(Problem {
            at: alias.origin.clone(),
            severity: Severity::Error,
            message: format!(
                "alias {:?} of {} {} is also an alias of {} {} ({}); mark both `?` to let the \
                 context decide, or keep one",
                alias.written, b.kind, b.id, a.kind, a.id, first.origin
            ),
        });
    }
    found
}

fn country_references(dict: &Dictionary) -> Vec<Problem> {
    let countries: FxHashSet<&str> = dict
        .entities
        .iter()
        .filter(|e| e.kind == "country")
        .map(|e| e.id.as_str())
        .collect();
    if countries.is_empty() {
        return Vec::new();
    }
    let mut line_of: FxHashMap<usize, &Position> = FxHashMap::default();
    for alias in &dict.aliases {
        line_of.entry(alias.entity).or_insert(&alias.origin);
    }
    let mut found = Vec::new();
    for (i, entity) in dict.entities.iter().enumerate() {
        for (column, value) in &entity.attributes {
            if COUNTRY_COLUMNS.contains(&column.as_str()) && !countries.contains(value.as_str()) {
                found.push(Problem {
                    at: line_of.get(&i).map(|l| (*l).clone()).unwrap_or_default(),
                    severity: Severity::Error,
                    message: format!(
                        "{}: {column} {value:?} is not the id of a country in the dictionaries",
                        entity.id
                    ),
                });
            }
        }
    }
    found
}
