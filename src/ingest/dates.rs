//! Publication dates found in the document itself, for checking leaders' roles when the input has
//! no `date` field (JSONL/CSV) and no `--date` was given.
//!
//! Only unmistakable places count: a labelled or standalone dateline in the first lines of a text
//! or Markdown file (front matter included), and an HTML page's publication-date metadata. A date
//! in the body ("a photo released on June 23, 2016") says when something happened, not when the
//! document was written, so it is never used.

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

/// What may follow a standalone date on its line: a time and a zone ("10:30 GMT").
static TIME_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,|·-]*(?:(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[a-z]{0,4})?\s*$")
        .unwrap()
});

/// The publication date in the first lines of a text, as `YYYY-MM-DD`.
pub fn from_text_head(text: &str) -> Option<String> {
    let lines = text
        .lines()
        .map(|l| l.trim().trim_matches(['*', '_', '#', '>', ' ']).trim())
        .filter(|l| !l.is_empty() && *l != "---")
        .take(HEAD_LINES);
    for line in lines {
        if let Some(rest) = LABELLED.captures(line).and_then(|c| c.get(1)) {
            let rest = rest.as_str().trim_matches(['"', '\'', '*', '_', ' ']);
            if let Some((date, _)) = parse_date(rest) {
                return Some(date);
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

/// A date at the start of `s` in one of the accepted forms, as `YYYY-MM-DD`, and how many bytes
/// of `s` it used.
pub fn parse_date(s: &str) -> Option<(String, usize)> {
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
    let valid =
        (1800..=2999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
    valid.then(|| (format!("{year:04}-{month:02}-{day:02}"), used))
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
            ("June 2019", None),
            ("Junebug 3, 2019", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_date(s).map(|(d, _)| d).as_deref(), want, "{s}");
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
            ("a\nb\nc\nd\ne\nf\ng\nh\nDate: 2020-01-01", None),
        ];
        for (text, want) in cases {
            assert_eq!(from_text_head(text).as_deref(), want, "{text:?}");
        }
    }
}
