//! Parsing dictionary files into entities and expanded aliases.
//!
//! Entity files are `*.tsv` at the top of a dictionary folder (the file name is the type); topic
//! taxonomies live in `topics/*.tsv` and matching rules in `rules/*.txt`. Parsing never stops at
//! the first bad line: every problem is collected with its `path:line`, so one run of
//! `entopic dict check` shows them all.

use super::rules::{parse_context, parse_pattern};
use super::{Alias, CaseRule, Dictionary, Entity, Form, Position, Problem, Severity, BUNDLED};
use crate::normalize::fold_alias;
use crate::tsv::{Row, Rows, TsvError};
use std::collections::HashMap;
use std::path::Path;

/// The text of one dictionary file and the path it is reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Path as shown in messages (`dictionaries/countries.tsv`).
    pub path: String,
    /// Path relative to its dictionary folder (`countries.tsv`, `topics/security.tsv`).
    pub relative: String,
    /// The file's contents.
    pub text: String,
}

impl Source {
    /// The dictionary files compiled into the binary.
    pub fn bundled() -> Vec<Source> {
        BUNDLED
            .iter()
            .map(|(rel, text)| Source {
                path: format!("dictionaries/{rel}"),
                relative: rel.to_string(),
                text: text.to_string(),
            })
            .collect()
    }

    /// Whether this is one of the files compiled into the binary, unchanged.
    pub fn is_bundled(&self) -> bool {
        BUNDLED
            .iter()
            .any(|(rel, text)| self.relative == *rel && self.text == *text)
    }

    /// Reads every dictionary file of a folder (sorted by path, so loading is deterministic).
    pub fn read_dir(dir: &Path) -> std::io::Result<Vec<Source>> {
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(dir).max_depth(2).sort_by_file_name() {
            let entry = entry.map_err(std::io::Error::other)?;
            let path = entry.path();
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let wanted = match rel.split_once('/') {
                None => rel.ends_with(".tsv"),
                Some(("topics", _)) => rel.ends_with(".tsv"),
                Some(("rules", _)) => rel.ends_with(".txt"),
                Some(_) => false,
            };
            if wanted && entry.file_type().is_file() {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
                })?;
                out.push(Source {
                    path: path.display().to_string(),
                    relative: rel,
                    text,
                });
            }
        }
        Ok(out)
    }
}

/// The entity type a file defines: `countries.tsv` → `country`, `leaders.tsv` → `leader`.
pub fn entity_type_for_file(file_name: &str) -> String {
    let stem = file_name.rsplit('/').next().unwrap_or(file_name);
    let stem = stem.strip_suffix(".tsv").unwrap_or(stem).to_lowercase();
    if let Some(base) = stem.strip_suffix("ies") {
        format!("{base}y")
    } else if let Some(base) = stem.strip_suffix('s') {
        base.to_string()
    } else {
        stem
    }
}

/// Columns whose cells are `|`-separated aliases, and the form each gives its matches.
const ALIAS_COLUMNS: &[(&str, Form)] = &[
    ("name", Form::Name),
    ("aliases", Form::Name),
    ("former", Form::FormerName),
    ("demonyms", Form::Demonym),
    ("capitals", Form::Capital),
    ("acronyms", Form::Acronym),
    ("short", Form::Short),
];

/// Columns the loader interprets rather than copying to the output as attributes.
const SPECIAL_COLUMNS: &[&str] = &["id", "plural", "roles"];

/// The fixed columns of documents.csv; a column per entity type goes between `mentions` and
/// `topics`, so no entity type (dictionary file name) may take one of these names.
pub const DOCUMENT_COLUMNS: [&str; 10] = [
    "doc_id",
    "path",
    "title",
    "date",
    "encoding",
    "chars",
    "mentions",
    "topics",
    "topic_evidence",
    "meta",
];

/// Output field names an attribute column may not take.
pub(super) const RESERVED: &[&str] = &[
    "type",
    "text",
    "start",
    "end",
    "byte_start",
    "byte_end",
    "form",
    "context",
    "doc_id",
];

pub(super) fn load_all(sources: Vec<Source>) -> Dictionary {
    // Each file is read into a part of its own, entity files on threads of their own (the
    // leaders and weapons files are most of the load time, which every run waits for); the
    // parts are merged in source order, so the result is what reading them in turn gives.
    let parts: Vec<Dictionary> = std::thread::scope(|scope| {
        let pending: Vec<Part> = sources
            .into_iter()
            .map(|source| match source.relative.split_once('/') {
                None => Part::Loading(scope.spawn(move || load_entities(&source))),
                Some(("topics", _)) => Part::Loaded(Box::new(Dictionary {
                    topic_sources: vec![source],
                    ..Dictionary::default()
                })),
                Some(("rules", name)) => Part::Loaded(Box::new(load_rules(&source, name))),
                Some(_) => Part::Loaded(Box::default()),
            })
            .collect();
        pending.into_iter().map(Part::join).collect()
    });
    let mut dict = Dictionary::default();
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    for part in parts {
        merge(&mut dict, &mut by_key, part);
    }
    super::links::check(&mut dict);
    dict
}

/// One file's part of the dictionary: read already, or being read on a thread.
enum Part<'scope> {
    Loaded(Box<Dictionary>),
    Loading(std::thread::ScopedJoinHandle<'scope, Dictionary>),
}

impl Part<'_> {
    fn join(self) -> Dictionary {
        match self {
            Part::Loaded(part) => *part,
            Part::Loading(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        }
    }
}

/// Adds one file's part: its new entities, or more for those an earlier folder defined (the same
/// type and id in a later folder extends the entity: more aliases, newer attributes).
fn merge(dict: &mut Dictionary, by_key: &mut HashMap<(String, String), usize>, part: Dictionary) {
    let mut global = Vec::with_capacity(part.entities.len());
    for entity in part.entities {
        let key = (entity.kind.clone(), entity.id.clone());
        global.push(match by_key.get(&key) {
            Some(&existing) => {
                extend(&mut dict.entities[existing], entity);
                existing
            }
            None => {
                dict.entities.push(entity);
                by_key.insert(key, dict.entities.len() - 1);
                dict.entities.len() - 1
            }
        });
    }
    for mut alias in part.aliases {
        alias.entity = global[alias.entity];
        if !repeats_variant(&dict.aliases, &alias) {
            dict.aliases.push(alias);
        }
    }
    for kind in part.types {
        if !dict.types.contains(&kind) {
            dict.types.push(kind);
        }
    }
    dict.blockers.extend(part.blockers);
    dict.titles.extend(part.titles);
    dict.not_names.extend(part.not_names);
    dict.common_words.extend(part.common_words);
    dict.other_places.extend(part.other_places);
    dict.patterns.extend(part.patterns);
    dict.context.extend(part.context);
    dict.topic_sources.extend(part.topic_sources);
    dict.problems.extend(part.problems);
}

/// A later folder's row for an entity: its attributes replace or join the earlier ones, its roles
/// are added.
fn extend(entity: &mut Entity, later: Entity) {
    for (k, v) in later.attributes {
        match entity.attributes.iter_mut().find(|(ek, _)| *ek == k) {
            Some(slot) => slot.1 = v,
            None => entity.attributes.push((k, v)),
        }
    }
    entity.roles.extend(later.roles);
}

/// Whether `alias` repeats one its entry already gave (a plural, a joined designation): the
/// entry's aliases are the last ones pushed.
fn repeats_variant(aliases: &[Alias], alias: &Alias) -> bool {
    aliases
        .iter()
        .rev()
        .take_while(|a| a.entity == alias.entity)
        .any(|a| a.folded == alias.folded && a.case == alias.case && a.form == alias.form)
}

fn load_rules(source: &Source, name: &str) -> Dictionary {
    let mut part = Dictionary::default();
    let dict = &mut part;
    for row in Rows::new(&source.path, &source.text) {
        let phrase = row.text().trim().to_string();
        match name {
            "not-entities.txt" => dict.blockers.push((phrase, row.position())),
            "titles.txt" => dict.titles.push(fold_alias(&phrase)),
            "not-names.txt" => dict.not_names.push(fold_alias(&phrase)),
            "common-words.txt" => dict.common_words.push(fold_alias(&phrase)),
            "other-places.txt" => dict.other_places.push(fold_alias(&phrase)),
            "patterns.txt" => match parse_pattern(&row) {
                Ok(pattern) => dict.patterns.push(pattern),
                Err(e) => dict.problems.push(e.into()),
            },
            "context.txt" => match parse_context(&row) {
                Ok(rule) => dict.context.push(rule),
                Err(e) => dict.problems.push(e.into()),
            },
            _ => {
                let message = format!("unknown rules file {name:?}");
                problem(dict, row.position(), Severity::Warning, message);
                break;
            }
        }
    }
    part
}

fn problem(dict: &mut Dictionary, at: Position, severity: Severity, message: String) {
    dict.problems.push(Problem {
        at,
        severity,
        message,
    });
}

/// Reads one entity file (`countries.tsv`): its header, then an entity per row.
fn load_entities(source: &Source) -> Dictionary {
    let mut part = Dictionary::default();
    read_entities(source, &mut part);
    part
}

fn read_entities(source: &Source, dict: &mut Dictionary) {
    let kind = entity_type_for_file(&source.relative);
    if DOCUMENT_COLUMNS.contains(&kind.as_str()) {
        let at = Position {
            path: source.path.clone(),
            line: 1,
        };
        let msg = format!(
            "this file would define entity type {kind:?}, which is already a column of \
             documents.csv: rename the file"
        );
        problem(dict, at, Severity::Error, msg);
        return;
    }
    let mut rows = Rows::new(&source.path, &source.text);
    let Some(header) = rows.next() else {
        let at = Position {
            path: source.path.clone(),
            line: 1,
        };
        problem(dict, at, Severity::Warning, "empty dictionary file".into());
        return;
    };
    let columns = header.fields();
    if !check_header(&header, &columns, dict) {
        return;
    }
    if !dict.types.contains(&kind) {
        dict.types.push(kind.clone());
    }
    let mut seen_here: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let mut entry = match read_entry(&row, &columns, &mut seen_here) {
            Ok(entry) => entry,
            Err(e) => {
                dict.problems.push(e.into());
                continue;
            }
        };
        dict.problems.append(&mut entry.problems);
        add_entry(dict, &kind, entry, &row);
    }
}

/// Reports what is wrong with an entity file's header; `false` when no row can be read.
fn check_header(header: &Row, columns: &[&str], dict: &mut Dictionary) -> bool {
    for required in ["id", "name"] {
        if !columns.contains(&required) {
            let msg = format!(
                "header has no {required:?} column (columns: {})",
                columns.join(", ")
            );
            dict.problems.push(header.invalid(msg).into());
            return false;
        }
    }
    for (i, c) in columns.iter().enumerate() {
        if columns[..i].contains(c) {
            let msg = format!("column {c:?} appears twice");
            dict.problems.push(header.invalid(msg).into());
        }
        if RESERVED.contains(c) {
            let msg = format!("column name {c:?} is reserved for output fields; rename it");
            dict.problems.push(header.invalid(msg).into());
        }
    }
    true
}

/// One row of an entity file, checked: its cells by column, and what was wrong but not fatal.
struct Entry<'a> {
    columns: &'a [&'a str],
    fields: Vec<&'a str>,
    id: &'a str,
    plural: bool,
    roles: Vec<super::Role>,
    problems: Vec<Problem>,
}

impl<'a> Entry<'a> {
    fn cell(&self, name: &str) -> &'a str {
        self.columns
            .iter()
            .position(|c| *c == name)
            .and_then(|i| self.fields.get(i))
            .copied()
            .unwrap_or("")
    }

    /// Non-empty cells of the columns copied to the output as they are.
    fn attributes(&self) -> Vec<(String, String)> {
        self.columns
            .iter()
            .zip(&self.fields)
            .filter(|(c, v)| {
                !v.is_empty()
                    && !SPECIAL_COLUMNS.contains(c)
                    && !ALIAS_COLUMNS.iter().any(|(a, _)| a == *c)
            })
            .map(|(c, v)| (c.to_string(), v.to_string()))
            .collect()
    }
}

/// Checks one row; an error means the row is left out.
fn read_entry<'a>(
    row: &Row<'a>,
    columns: &'a [&'a str],
    seen_here: &mut HashMap<String, usize>,
) -> Result<Entry<'a>, TsvError> {
    let fields = row.fields();
    if fields.len() > columns.len() {
        return Err(row.invalid(format!(
            "{} fields but the header has {} columns (a stray tab?)",
            fields.len(),
            columns.len()
        )));
    }
    let mut entry = Entry {
        columns,
        fields,
        id: "",
        plural: false,
        roles: Vec::new(),
        problems: Vec::new(),
    };
    let id = entry.cell("id");
    entry.id = id;
    if id.is_empty() {
        return Err(row.invalid("empty id"));
    }
    if entry.cell("name").is_empty() {
        return Err(row.invalid(format!("{id}: empty name")));
    }
    if let Some(first) = seen_here.insert(id.to_string(), row.line()) {
        return Err(row.invalid(format!("duplicate id {id:?} (first on line {first})")));
    }
    entry.plural = match entry.cell("plural").to_ascii_lowercase().as_str() {
        "" | "no" => false,
        "yes" => true,
        other => {
            let msg = format!("{id}: plural must be yes, no or empty, not {other:?}");
            entry.problems.push(row.invalid(msg).into());
            false
        }
    };
    match super::roles::parse_roles(entry.cell("roles")) {
        Ok(roles) => entry.roles = roles,
        Err(msg) => entry
            .problems
            .push(row.invalid(format!("{id}: roles: {msg}")).into()),
    }
    Ok(entry)
}

/// Adds a checked row: an entity and its aliases (ids are unique within a file).
fn add_entry(dict: &mut Dictionary, kind: &str, mut entry: Entry, row: &Row) {
    dict.entities.push(Entity {
        kind: kind.to_string(),
        id: entry.id.to_string(),
        name: entry
            .cell("name")
            .trim_start_matches(['=', '?', '!'])
            .trim()
            .to_string(),
        attributes: entry.attributes(),
        roles: std::mem::take(&mut entry.roles),
    });
    let entity = dict.entities.len() - 1;
    for (column, form) in ALIAS_COLUMNS {
        let cell = entry.cell(column);
        for raw in cell.split('|').map(str::trim).filter(|_| !cell.is_empty()) {
            if raw.is_empty() {
                let id = entry.id;
                let msg = format!("{id}: {column}: empty alias in {cell:?} (a stray `|`?)");
                problem(dict, row.position(), Severity::Error, msg);
                continue;
            }
            add_alias(dict, entity, raw, *form, entry.plural, row.position());
        }
    }
}

fn add_alias(
    dict: &mut Dictionary,
    entity: usize,
    raw: &str,
    form: Form,
    plural: bool,
    at: Position,
) {
    let (case, written) = if let Some(rest) = raw.strip_prefix('=') {
        (CaseRule::Exact, rest.trim())
    } else if let Some(rest) = raw.strip_prefix('?') {
        (CaseRule::Ambiguous, rest.trim())
    } else if let (Some(rest), Form::Short) = (raw.strip_prefix('!'), form) {
        // A prominent surname that may stand alone ("Putin said"); cased like any surname.
        (CaseRule::Ambiguous, rest.trim())
    } else if form == Form::Acronym {
        (CaseRule::Exact, raw)
    } else if form == Form::Short {
        // A surname alone is a proper noun: "Moon", "Lee", "Ma" only as written (or in a headline).
        (CaseRule::Ambiguous, raw)
    } else {
        (CaseRule::Any, raw)
    };
    let pluralize =
        plural && form != Form::Acronym && form != Form::Short && case != CaseRule::Exact;
    for variant in variants(written, pluralize) {
        let folded = fold_alias(&variant);
        if folded.is_empty() {
            let msg = format!("alias {raw:?} has nothing to match after folding");
            problem(dict, at, Severity::Error, msg);
            return;
        }
        let alias = Alias {
            entity,
            written: variant,
            folded,
            form,
            case,
            alone: form == Form::Short && raw.starts_with('!'),
            origin: at.clone(),
        };
        if !repeats_variant(&dict.aliases, &alias) {
            dict.aliases.push(alias);
        }
    }
}

/// Spellings an alias also matches beyond what folding already equates (a hyphen folds to a
/// space, so "Kim Jong-un" needs no variant): a hyphen between letters and digits dropped
/// ("KN-23" → "KN23"), and regular plurals when allowed.
fn variants(written: &str, plural: bool) -> Vec<String> {
    let mut out = vec![written.to_string()];
    if written.contains('-') {
        let joined = join_designation(written);
        if joined != written {
            out.push(joined);
        }
    }
    if plural {
        let plurals: Vec<String> = out.iter().filter_map(|v| english_plural(v)).collect();
        out.extend(plurals);
    }
    out.dedup();
    out
}

/// Removes a hyphen that sits between a letter and a digit: "KN-23" → "KN23".
fn join_designation(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_alphabetic()
            && chars[i + 1].is_ascii_digit();
        if !(c == '-' && between) {
            out.push(c);
        }
    }
    out
}

/// The regular English plural of a phrase's last word, or `None` when it does not end in a letter.
fn english_plural(phrase: &str) -> Option<String> {
    let last = phrase.chars().last()?;
    if !last.is_alphabetic() {
        return None;
    }
    let lower = phrase.to_lowercase();
    let before_y = lower.chars().rev().nth(1);
    Some(
        if ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            format!("{phrase}es")
        } else if last == 'y' && before_y.is_some_and(|c| !"aeiou".contains(c)) {
            format!("{}ies", &phrase[..phrase.len() - 1])
        } else {
            format!("{phrase}s")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(relative: &str, text: &str) -> Source {
        Source {
            path: format!("d/{relative}"),
            relative: relative.into(),
            text: text.into(),
        }
    }

    #[test]
    fn file_names_give_types() {
        for (file, kind) in [
            ("countries.tsv", "country"),
            ("leaders.tsv", "leader"),
            ("weapons.tsv", "weapon"),
            ("projects.tsv", "project"),
            ("Staff.tsv", "staff"),
        ] {
            assert_eq!(entity_type_for_file(file), kind);
        }
    }

    #[test]
    fn variants_table() {
        let cases: &[(&str, bool, &[&str])] = &[
            ("Kim Jong-un", false, &["Kim Jong-un"]),
            ("KN-23", false, &["KN-23", "KN23"]),
            (
                "ballistic missile",
                true,
                &["ballistic missile", "ballistic missiles"],
            ),
            ("warship", true, &["warship", "warships"]),
            (
                "multiple rocket launch",
                true,
                &["multiple rocket launch", "multiple rocket launches"],
            ),
            ("army", true, &["army", "armies"]),
            ("F-16", true, &["F-16", "F16"]),
        ];
        for (written, plural, want) in cases {
            assert_eq!(variants(written, *plural), *want, "{written}");
        }
    }

    #[test]
    fn loads_entities_aliases_and_markers() {
        let text = "# comment\nid\tname\taliases\tacronyms\tcapitals\tiso2\n\
                    USA\tUnited States\tAmerica\tUS|U.S.\t?Washington\tUS\n\n\
                    TCD\tChad\t\t\tN'Djamena\tTD\n";
        let dict = Dictionary::load(vec![source("countries.tsv", text)]).unwrap();
        assert_eq!(dict.types, ["country"]);
        assert_eq!(dict.entities.len(), 2);
        assert_eq!(
            dict.entities[0].attributes,
            [("iso2".to_string(), "US".to_string())]
        );
        let usa: Vec<(&str, &str, CaseRule)> = dict
            .aliases
            .iter()
            .filter(|a| a.entity == 0)
            .map(|a| (a.folded.as_str(), a.form.as_str(), a.case))
            .collect();
        assert_eq!(
            usa,
            [
                ("united states", "name", CaseRule::Any),
                ("america", "name", CaseRule::Any),
                ("washington", "capital", CaseRule::Ambiguous),
                ("us", "acronym", CaseRule::Exact),
                ("u.s.", "acronym", CaseRule::Exact),
            ]
        );
        assert_eq!(
            dict.aliases
                .iter()
                .find(|a| a.folded == "n'djamena")
                .unwrap()
                .origin
                .line,
            5
        );
    }

    #[test]
    fn a_later_folder_extends_entities_in_source_order() {
        let dict = Dictionary::load(vec![
            source("countries.tsv", "id\tname\tcapitals\tiso2\nFRA\tFrance\tParis\tFR\n"),
            source("leaders.tsv", "id\tname\troles\nmacron\tEmmanuel Macron\tPresident 2017-05-14..\n"),
            source("countries.tsv", "id\tname\taliases\tiso2\nFRA\tFrance\tFrench Republic|France\tFX\nDEU\tGermany\t\tDE\n"),
            source("leaders.tsv", "id\tname\troles\nmacron\tEmmanuel Macron\tMinister of Economy 2014-08-26..2016-08-30\n\tNo id\t\n"),
        ])
        .unwrap_err();
        assert_eq!(dict.0.len(), 1);
        assert_eq!(dict.0[0].to_string(), "d/leaders.tsv:3: error: empty id");
        let texts = |dict: &Dictionary| -> Vec<(String, usize)> {
            dict.aliases
                .iter()
                .map(|a| (a.folded.clone(), a.entity))
                .collect()
        };
        let dict = load_all(vec![
            source("countries.tsv", "id\tname\tcapitals\tiso2\nFRA\tFrance\tParis\tFR\n"),
            source("leaders.tsv", "id\tname\troles\nmacron\tEmmanuel Macron\tPresident 2017-05-14..\n"),
            source("countries.tsv", "id\tname\taliases\tiso2\nFRA\tFrance\tFrench Republic|France\tFX\nDEU\tGermany\t\tDE\n"),
            source("leaders.tsv", "id\tname\troles\nmacron\tEmmanuel Macron\tMinister of Economy 2014-08-26..2016-08-30\n"),
        ]);
        assert_eq!(dict.types, ["country", "leader"]);
        let ids: Vec<&str> = dict.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["FRA", "macron", "DEU"]);
        assert_eq!(dict.entities[0].attributes, [("iso2".into(), "FX".into())]);
        assert_eq!(dict.entities[1].roles.len(), 2);
        assert_eq!(
            texts(&dict),
            [
                ("france".to_string(), 0),
                ("paris".to_string(), 0),
                ("emmanuel macron".to_string(), 1),
                ("france".to_string(), 0),
                ("french republic".to_string(), 0),
                ("germany".to_string(), 2),
                ("emmanuel macron".to_string(), 1),
            ]
        );
    }

    #[test]
    fn bad_lines_are_reported_with_path_and_line() {
        let text = "id\tname\tplural\n\
                    a\tAlpha\tmaybe\n\
                    a\tAgain\t\n\
                    \tNo id\t\n\
                    b\tBeta\tyes\textra\n";
        let err = Dictionary::load(vec![source("things.tsv", text)]).unwrap_err();
        let messages: Vec<String> = err.0.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            messages,
            [
                "d/things.tsv:2: error: a: plural must be yes, no or empty, not \"maybe\"",
                "d/things.tsv:3: error: duplicate id \"a\" (first on line 2)",
                "d/things.tsv:4: error: empty id",
                "d/things.tsv:5: error: 4 fields but the header has 3 columns (a stray tab?)",
            ]
        );
    }

    #[test]
    fn missing_required_column_is_an_error() {
        let err = Dictionary::load(vec![source("x.tsv", "id\tlabel\na\tb\n")]).unwrap_err();
        assert_eq!(
            err.0[0].to_string(),
            "d/x.tsv:1: error: header has no \"name\" column (columns: id, label)"
        );
    }
}
