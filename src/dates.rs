//! Publication dates: read from a record's `date` field ([`document_day`]), or found in the
//! document itself, for checking leaders' roles when the input has no `date` field (JSONL/CSV) and
//! no `--date` was given.
//!
//! Every date is checked against the calendar (`2023-02-29` is no date). A `date` field entopic
//! cannot read is kept as written in the record, and warned about once per file.
//!
//! Only unmistakable places count: a labelled or standalone dateline in the first lines of a text
//! or Markdown file (front matter included), and an HTML page's publication-date metadata. A date
//! in the body ("a photo released on June 23, 2016") says when something happened, not when the
//! document was written, so it is never used.

use crate::date::Date;
use regex::Regex;
use std::sync::LazyLock;

/// How many non-empty lines at the top of a text are searched for a dateline.
const HEAD_LINES: usize = 8;

/// A line that labels a date: `Date: …`, `Published: …`, `date: 2019-06-30` (front matter).
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:date|dated|published(?: on)?|first published|posted(?: on)?|updated|dateline|pubdate)\s*[:\-–—|]?\s*(.+)$")
        .unwrap()
});

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?").unwrap());

const MONTH: &str = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const WEEKDAY: &str =
    r"(?:(?:Mon|Tues|Tue|Wednes|Wed|Thurs|Thu|Fri|Satur|Sat|Sun)(?:day)?\.?,?\s+)?";

/// "June 30, 2019", "Sunday, Jun. 30, 2019".
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^{WEEKDAY}{MONTH}\.?\s+(\d{{1,2}}),?\s+(\d{{4}})"
    ))
    .unwrap()
});

/// "30 June 2019", "Sunday 30 Jun. 2019".
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^{WEEKDAY}(\d{{1,2}})\s+{MONTH}\.?,?\s+(\d{{4}})"
    ))
    .unwrap()
});

/// A news dateline opening the first paragraph: "KYIV, March 4, 2025 —", "GAZA CITY (Reuters) -".
static DATELINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Z.'’ -]{1,40}(?:\s*\([^)]{1,40}\))?,\s+(.+)$").unwrap());

/// What may follow a dateline's date: a dash, then the story.
static DATELINE_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\([^)]{1,40}\)\s*)?[—–-]").unwrap());

/// What may follow a standalone date on its line: a time and a zone ("10:30 GMT").
static TIME_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,|·-]*(?:(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[a-z]{0,4})?\s*$")
        .unwrap()
});

/// The publication date in the first lines of a text.
pub fn from_text_head(text: &str) -> Option<Date> {
    let lines = text
        .lines()
        .map(|l| l.trim().trim_matches(['*', '_', '#', '>', ' ']).trim())
        .filter(|l| !l.is_empty() && *l != "---")
        .take(HEAD_LINES);
    for line in lines {
        if let Some(rest) = after_label(line) {
            let rest = rest.trim_matches(['"', '\'', '*', '_', ' ']);
            if let Some((date, _)) = parse_date(rest) {
                return Some(date);
            }
        }
        if let Some(rest) = after_dateline(line) {
            if let Some((date, used)) = parse_date(rest) {
                if DATELINE_TAIL.is_match(&rest[used..]) {
                    return Some(date);
                }
            }
        }
        if line.len() <= 60 {
            if let Some((date, used)) = parse_date(line) {
                if TIME_TAIL.is_match(&line[used..]) {
                    return Some(date);
                }
            }
        }
    }
    None
}

/// What follows a date label (`Date: …`) opening `line`, if one does.
fn after_label(line: &str) -> Option<&str> {
    // Every label starts with d, p, f or u, in either case (no other character folds to
    // these): most lines are spared the regex.
    let first = line.bytes().next()?.to_ascii_lowercase();
    if !matches!(first, b'd' | b'p' | b'f' | b'u') {
        return None;
    }
    Some(LABELLED.captures(line)?.get(1)?.as_str())
}

/// What follows a dateline's place ("KYIV, ") opening `line`, if one does.
fn after_dateline(line: &str) -> Option<&str> {
    // A capital letter, then a capital, `.`, `'`, `’` (its first byte), a space or `-`: most
    // lines are spared the regex.
    match line.as_bytes() {
        [first, second, ..]
            if first.is_ascii_uppercase()
                && (second.is_ascii_uppercase() || b".' -\xE2".contains(second)) => {}
        _ => return None,
    }
    Some(DATELINE.captures(line)?.get(1)?.as_str())
}

/// Whether `s` has four ASCII digits in a row: every date [`parse_date`] accepts ends in such a
/// year (a digit of another script matches `\d` but never parses as a number).
fn has_year(s: &str) -> bool {
    let mut run = 0;
    s.bytes().any(|b| {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        run == 4
    })
}

/// The `<meta>` names and properties (lowercase) that carry an HTML page's publication date.
pub const HTML_META: [&str; 12] = [
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
];

/// A date at the start of `s` in one of the accepted forms, and how many bytes of `s` it used.
pub fn parse_date(s: &str) -> Option<(Date, usize)> {
    if !has_year(s) {
        return None;
    }
    let (year, month, day, used) = if let Some(c) = ISO.captures(s) {
        let n = |i: usize| c[i].parse::<u32>().ok();
        (n(1)?, n(2)?, n(3)?, c[0].len())
    } else if let Some(c) = MONTH_FIRST.captures(s) {
        (
            c[3].parse().ok()?,
            month_number(&c[1])?,
            c[2].parse().ok()?,
            c[0].len(),
        )
    } else if let Some(c) = DAY_FIRST.captures(s) {
        (
            c[3].parse().ok()?,
            month_number(&c[2])?,
            c[1].parse().ok()?,
            c[0].len(),
        )
    } else {
        return None;
    };
    Some((publication_day(year, month, day)?, used))
}

/// The day `year-month-day`, if it is in the calendar and in a year a publication may carry
/// (1800 to 2999).
fn publication_day(year: u32, month: u32, day: u32) -> Option<Date> {
    if !(1800..=2999).contains(&year) {
        return None;
    }
    Date::new(
        year.try_into().ok()?,
        month.try_into().ok()?,
        day.try_into().ok()?,
    )
}

/// A record's `date` field as a day: an ISO date (a time may follow), "30 July 2024",
/// "July 30, 2024", or a `YYYYMMDD` number; `None` for anything else, which is never guessed.
pub fn document_day(value: &str) -> Option<Date> {
    let value = value.trim();
    if value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| value[r].parse::<u32>().ok();
        return publication_day(n(0..4)?, n(4..6)?, n(6..8)?);
    }
    let (date, used) = parse_date(value)?;
    TIME_TAIL.is_match(&value[used..]).then_some(date)
}

fn month_number(name: &str) -> Option<u32> {
    let prefix = name.get(..3)?.to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_forms() {
        let cases = [
            ("2019-06-30", Some("2019-06-30")),
            ("2019-06-30T08:15:00Z", Some("2019-06-30")),
            ("June 30, 2019", Some("2019-06-30")),
            ("Sunday, Jun. 30, 2019", Some("2019-06-30")),
            ("30 June 2019", Some("2019-06-30")),
            ("Sept 3, 2001", Some("2001-09-03")),
            ("2019-13-01", None),
            ("2025-02-30", None),
            ("2023-02-29", None),
            ("2024-02-29", Some("2024-02-29")),
            ("1900-02-29", None),
            ("31 April 2020", None),
            ("June 2019", None),
            ("Junebug 3, 2019", None),
        ];
        for (s, want) in cases {
            assert_eq!(
                parse_date(s).map(|(d, _)| d.to_string()).as_deref(),
                want,
                "{s}"
            );
        }
    }

    #[test]
    fn record_dates() {
        let cases = [
            ("2024-07-30", Some("2024-07-30")),
            ("2024-07-30T10:00:00+02:00", Some("2024-07-30")),
            ("30 July 2024", Some("2024-07-30")),
            ("July 30, 2024", Some("2024-07-30")),
            ("20240730", Some("2024-07-30")),
            ("2023-02-29", None),
            ("20230229", None),
            ("30/07/2024", None),
            ("07/08/2024", None),
            ("July 30, 2024 and more", None),
            ("1722297600", None),
        ];
        for (s, want) in cases {
            assert_eq!(
                document_day(s).map(|d| d.to_string()).as_deref(),
                want,
                "{s}"
            );
        }
    }

    #[test]
    fn datelines_at_the_top_only() {
        let cases = [
            (
                "Talks resume\nPublished: 12 March 2018\n\nBody.",
                Some("2018-03-12"),
            ),
            (
                "---\ntitle: x\ndate: 2021-02-03\n---\nBody",
                Some("2021-02-03"),
            ),
            (
                "Headline\nMarch 4, 2017 10:30 GMT\nBody",
                Some("2017-03-04"),
            ),
            ("**Date:** 2020-01-05\nBody", Some("2020-01-05")),
            (
                "North Korea tested a missile.\nIn a photo released on June 23, 2016, …",
                None,
            ),
            ("The summit on June 12, 2018 was short.", None),
            (
                "Front line\nKYIV, March 4, 2025 — Ukrainian forces said…",
                Some("2025-03-04"),
            ),
            (
                "GAZA CITY (Reuters), 30 July 2024 - Talks resumed.",
                Some("2024-07-30"),
            ),
            ("WASHINGTON, in talks on June 12, 2018 — x", None),
            (
                "Paris, March 4, 2025 — lowercase city is not a dateline",
                None,
            ),
            ("a\nb\nc\nd\ne\nf\ng\nh\nDate: 2020-01-01", None),
            // Each form's first letters, which decide whether its regex runs at all.
            ("UPDATED: 2020-05-06\nBody", Some("2020-05-06")),
            ("posted on Sunday, June 30, 2019\nBody", Some("2019-06-30")),
            ("first published 1 May 2019\nBody", Some("2019-05-01")),
            ("O’NEILL CITY, March 4, 2025 — x", Some("2025-03-04")),
            ("D.C. BUREAU, 30 July 2024 - x", Some("2024-07-30")),
            ("St. LOUIS, March 4, 2025 — x", None),
            // A year in other digits matches the regexes but is no number.
            ("Date: ٢٠١٩-٠٦-٣٠\nBody", None),
        ];
        for (text, want) in cases {
            assert_eq!(
                from_text_head(text).map(|d| d.to_string()).as_deref(),
                want,
                "{text:?}"
            );
        }
    }
}
