//! One reader for every rules and dictionary file: entity dictionaries, `rules/*.txt`, topic
//! taxonomies and topic models are all tab-separated rows.
//!
//! [`Rows`] yields the rows of a file — lines that are not blank and not `#` comments, with a
//! byte-order mark and a CR removed — each with its [`Position`]; a [`Row`] splits into trimmed
//! fields and makes the errors about itself. Every problem in any of these files is reported the
//! same way, `path:line: message` (the shape of rust-csv's `Position` and `Error`).

use std::fmt;

/// Where a row is: the file as named in messages, and the line, from 1.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The file, as named in messages (`dictionaries/countries.tsv`).
    pub path: String,
    /// The line, from 1; 0 for the file as a whole.
    pub line: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}", self.path),
            line => write!(f, "{}:{line}", self.path),
        }
    }
}

/// What is wrong with a file or one of its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// A row has another number of fields than the format: `expected` ("3", "4 or 5") and the
    /// fields' names, if the message gives them (" (tag, term, weight)").
    FieldCount {
        /// How many fields the format has.
        expected: &'static str,
        /// Their names, in parentheses after a space, or empty.
        names: &'static str,
        /// How many the row has.
        found: usize,
    },
    /// The header row is not the format's: its columns.
    Header(&'static str),
    /// Anything else the format forbids, said for a person editing the file.
    Invalid(String),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::FieldCount {
                expected,
                names,
                found,
            } => write!(
                f,
                "expected {expected} tab-separated fields{names}, found {found}"
            ),
            ErrorKind::Header(columns) => write!(f, "header must be: {columns}"),
            ErrorKind::Invalid(message) => f.write_str(message),
        }
    }
}

/// A problem in a rules, dictionary or model file, shown as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {kind}")]
pub struct TsvError {
    /// Where.
    pub at: Position,
    /// What.
    pub kind: ErrorKind,
}

impl TsvError {
    /// A problem with the file as a whole (no header, unreadable).
    pub fn file(path: &str, message: impl Into<String>) -> TsvError {
        TsvError {
            at: Position {
                path: path.to_string(),
                line: 0,
            },
            kind: ErrorKind::Invalid(message.into()),
        }
    }
}

/// The rows of one file's text, in order.
#[derive(Debug, Clone)]
pub struct Rows<'a> {
    path: &'a str,
    lines: std::iter::Enumerate<std::str::Lines<'a>>,
}

impl<'a> Rows<'a> {
    /// The rows of `text`, which `path` names in messages.
    pub fn new(path: &'a str, text: &'a str) -> Rows<'a> {
        Rows {
            path,
            lines: text.lines().enumerate(),
        }
    }
}

impl<'a> Iterator for Rows<'a> {
    type Item = Row<'a>;

    fn next(&mut self) -> Option<Row<'a>> {
        for (i, line) in self.lines.by_ref() {
            let text = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
            if !(text.trim().is_empty() || text.trim_start().starts_with('#')) {
                return Some(Row {
                    path: self.path,
                    line: i + 1,
                    text,
                });
            }
        }
        None
    }
}

/// The `#` comments at the top of a file, before its first row, without the `#` (a topic
/// model's provenance header).
pub fn leading_comments(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map_while(|l| l.trim_start().strip_prefix('#'))
        .map(str::trim)
}

/// One row: a non-blank, non-comment line.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    path: &'a str,
    line: usize,
    text: &'a str,
}

impl<'a> Row<'a> {
    /// The line number, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Where the row is.
    pub fn position(&self) -> Position {
        Position {
            path: self.path.to_string(),
            line: self.line,
        }
    }

    /// The whole line (CR and byte-order mark removed, otherwise as written).
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The tab-separated fields, each trimmed.
    pub fn fields(&self) -> Vec<&'a str> {
        self.text.split('\t').map(str::trim).collect()
    }

    /// Exactly `N` fields, or the error naming them (`names`: " (tag, term, weight)" or "").
    pub fn fields_exact<const N: usize>(
        &self,
        names: &'static str,
    ) -> Result<[&'a str; N], TsvError> {
        const COUNTS: [&str; 6] = ["0", "1", "2", "3", "4", "5"];
        let fields = self.fields();
        let found = fields.len();
        fields.try_into().map_err(|_| {
            self.error(ErrorKind::FieldCount {
                expected: COUNTS[N.min(5)],
                names,
                found,
            })
        })
    }

    /// Whether the row is exactly this header.
    pub fn is_header(&self, columns: &[&str]) -> bool {
        self.fields() == columns
    }

    /// An error about this row.
    pub fn error(&self, kind: ErrorKind) -> TsvError {
        TsvError {
            at: self.position(),
            kind,
        }
    }

    /// An error about this row, in words.
    pub fn invalid(&self, message: impl Into<String>) -> TsvError {
        self.error(ErrorKind::Invalid(message.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_skip_blanks_and_comments_and_keep_line_numbers() {
        let text = "\u{feff}# about\r\nid\tname\r\n\n  # note\nPRK\t North Korea \r\n";
        let rows: Vec<(usize, Vec<&str>)> = Rows::new("d.tsv", text)
            .map(|r| (r.line(), r.fields()))
            .collect();
        assert_eq!(
            rows,
            [(2, vec!["id", "name"]), (5, vec!["PRK", "North Korea"])]
        );
        assert_eq!(leading_comments(text).collect::<Vec<_>>(), ["about"]);
    }

    #[test]
    fn errors_read_path_line_message() {
        let row = Rows::new("rules/context.txt", "\n\ngeorgia\tsupport\n")
            .next()
            .unwrap();
        let err = row
            .fields_exact::<3>(" (target, support|against, words)")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "rules/context.txt:3: expected 3 tab-separated fields (target, support|against, \
             words), found 2"
        );
        assert_eq!(row.invalid("bad").to_string(), "rules/context.txt:3: bad");
        assert_eq!(TsvError::file("m.tsv", "empty").to_string(), "m.tsv: empty");
        let header = Rows::new("t.tsv", "tag\tterm\n").next().unwrap();
        assert!(!header.is_header(&["tag", "term", "weight"]));
        let err = header.error(ErrorKind::Header("tag, term, weight"));
        assert_eq!(
            err.to_string(),
            "t.tsv:1: header must be: tag, term, weight"
        );
    }
}
