//! Entity dictionaries: what the tagger knows, loaded from human-editable TSV files.
//!
//! In: dictionary folders (the bundled one embedded at build time, plus any `--dict DIR`). Out: a
//! [`Dictionary`] of entities and their expanded, folded aliases, ready to compile into one
//! automaton. Every problem is reported as `path:line: message` (see `dictionaries/README.md` for
//! the format); a dictionary with errors is never used half-loaded.

#[cfg(feature = "cli")]
mod check;
mod links;
mod load;
mod roles;
mod rules;

pub use crate::tsv::Position;
#[cfg(feature = "cli")]
pub use check::check;
pub use load::Source;
#[cfg(feature = "cli")]
pub use load::{entity_type_for_file, DOCUMENT_COLUMNS};
pub use roles::{Role, RoleDate};
#[cfg(test)]
pub(crate) use rules::parse_pattern;
pub use rules::{ContextDirection, ContextLine, PatternLine};

use crate::tsv::TsvError;
use std::fmt;

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// One thing the tagger can find: a country, a leader, a weapon system, …
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Entity type, from the file name (`countries.tsv` → `country`).
    pub kind: String,
    /// Stable id (`PRK`, `kim-jong-un`, `hwasong-15`).
    pub id: String,
    /// Canonical display name.
    pub name: String,
    /// Other non-empty columns, in file order (`country`, `class`, `origin`, …).
    pub attributes: Vec<(String, String)>,
    /// Dated role periods (leaders), parsed from the `roles` column.
    pub roles: Vec<Role>,
}

impl Entity {
    /// The value of attribute `key`, if the entry has it.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// How an alias's case must agree with the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRule {
    /// Any case ("north korea", "NORTH KOREA").
    Any,
    /// As written in the dictionary (`=US`, `=China`, acronyms), or in an all-caps line such as
    /// a headline.
    Exact,
    /// Ambiguous word (`?Chad`): case as for `Exact`, and kept only with support from the
    /// context (see [`crate::context`]).
    Ambiguous,
}

/// One matchable spelling of an entity, after expansion (plurals, hyphen variants).
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// Index into [`Dictionary::entities`].
    pub entity: usize,
    /// The spelling as it appears in the dictionary (after expansion), for case checks.
    pub written: String,
    /// The folded form that is matched.
    pub folded: String,
    /// Which column it came from.
    pub form: Form,
    pub case: CaseRule,
    /// A prominent surname marked `!` in the `short` column: it may be tagged alone, without a
    /// full mention or title, when the guards of [`crate::tag`] (rule 5) let it.
    pub alone: bool,
    /// Where it was defined, for messages.
    pub origin: Position,
}

impl Alias {
    /// A short form (surname) is only used after a full mention of the same entity.
    pub fn is_short(&self) -> bool {
        self.form == Form::Short
    }
}

/// How a mention names its entity: which dictionary column (or rule) the matched alias comes
/// from. Written in outputs as [`Form::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// The name or one of its aliases (`name`, `aliases` columns): `name`.
    Name,
    /// A former name (`former` column): `former_name`.
    FormerName,
    /// A demonym ("North Korean"): `demonym`.
    Demonym,
    /// A capital standing for its country ("Pyongyang said"): `capital`.
    Capital,
    /// An acronym, matched in capitals only: `acronym`.
    Acronym,
    /// A surname after a full mention or a title: `short`.
    Short,
    /// A prominent surname standing alone, marked `!` in the dictionary (see [`crate::tag`] rule
    /// 5): `surname`.
    Surname,
    /// A designation matched by shape (`rules/patterns.txt`), not listed by name: `pattern`.
    Pattern,
}

impl Form {
    /// The name written in outputs (`former_name`).
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Name => "name",
            Form::FormerName => "former_name",
            Form::Demonym => "demonym",
            Form::Capital => "capital",
            Form::Acronym => "acronym",
            Form::Short => "short",
            Form::Surname => "surname",
            Form::Pattern => "pattern",
        }
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem found while loading or checking dictionaries.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where.
    pub at: Position,
    /// Whether it stops the dictionaries from loading.
    pub severity: Severity,
    /// What is wrong, for a person editing the file.
    pub message: String,
}

/// How bad a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The dictionaries cannot be used.
    Error,
    /// Probably a mistake (`dict check --strict` fails on it); loading goes on.
    Warning,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {level}: {}", self.at, self.message)
    }
}

impl From<TsvError> for Problem {
    fn from(e: TsvError) -> Problem {
        Problem {
            at: e.at,
            severity: Severity::Error,
            message: e.kind.to_string(),
        }
    }
}

/// Everything loaded from a set of dictionary folders.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// Every entry, in file order.
    pub entities: Vec<Entity>,
    /// Every matchable spelling (used by the tagger).
    #[doc(hidden)]
    pub aliases: Vec<Alias>,
    /// Phrases in which no entity is tagged ("South China Sea", "Michael Jordan").
    #[doc(hidden)]
    pub blockers: Vec<(String, Position)>,
    /// Titles that make a bare surname a mention ("President", "Prime Minister").
    #[doc(hidden)]
    pub titles: Vec<String>,
    /// Capitalized words that are not part of a person's name ("When", "Monday", "Mr").
    #[doc(hidden)]
    pub not_names: Vec<String>,
    /// Ordinary English words that are also surnames ("Price", "Marshall"): never tagged alone.
    pub common_words: Vec<String>,
    /// Places that, after a comma, mark the place before them as elsewhere ("Texas").
    #[doc(hidden)]
    pub other_places: Vec<String>,
    /// Designation families matched by shape (`rules/patterns.txt`).
    #[doc(hidden)]
    pub patterns: Vec<PatternLine>,
    /// Evidence that supports or argues against ambiguous matches (`rules/context.txt`).
    #[doc(hidden)]
    pub context: Vec<ContextLine>,
    /// Topic taxonomy files (`topics/*.tsv`), parsed by the classifier.
    #[doc(hidden)]
    pub topic_sources: Vec<Source>,
    /// Entity types in first-seen order.
    pub types: Vec<String>,
    /// Problems found while loading; any `Error` makes [`Dictionary::load`] fail.
    pub problems: Vec<Problem>,
}

/// Loading failed: the problems, each `path:line: message`.
#[derive(Debug, thiserror::Error)]
#[error("{} dictionary error(s):\n{}", .0.len(), .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct LoadError(pub Vec<Problem>);

impl Dictionary {
    /// Loads dictionary sources (see [`Source`]); fails if any line has an error.
    pub fn load(sources: Vec<Source>) -> Result<Dictionary, LoadError> {
        let dict = load::load_all(sources);
        let errors: Vec<Problem> = dict
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .cloned()
            .collect();
        if errors.is_empty() {
            Ok(dict)
        } else {
            Err(LoadError(errors))
        }
    }

    /// The dictionaries bundled with entopic.
    pub fn bundled() -> Result<Dictionary, LoadError> {
        Dictionary::load(Source::bundled())
    }

    /// Number of entities of each type, in type order.
    pub fn counts(&self) -> Vec<(String, usize, usize)> {
        self.types
            .iter()
            .map(|t| {
                let entities = self.entities.iter().filter(|e| &e.kind == t).count();
                let aliases = self
                    .aliases
                    .iter()
                    .filter(|a| &self.entities[a.entity].kind == t)
                    .count();
                (t.clone(), entities, aliases)
            })
            .collect()
    }
}
