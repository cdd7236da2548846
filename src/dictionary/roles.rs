//! Dated role periods of leaders: `President 2017-01-20..2021-01-20; President 2025-01-20..`.
//!
//! Dates may be partial (`2017`, `2017-01`): a partial start counts from the first day it
//! names, a partial end to the last, so "held the role on D" never claims more than the data says.

use std::fmt;

/// A date as precise as the dictionary knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RoleDate {
    /// The year.
    pub year: u16,
    /// The month (1–12), if known.
    pub month: Option<u8>,
    /// The day of the month, if known.
    pub day: Option<u8>,
}

impl RoleDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<RoleDate> {
        let mut parts = s.split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let month = match parts.next() {
            Some(m) if m.len() == 2 => Some(m.parse().ok().filter(|m| (1..=12).contains(m))?),
            Some(_) => return None,
            None => None,
        };
        let day = match parts.next() {
            Some(d) if d.len() == 2 && month.is_some() => {
                Some(d.parse().ok().filter(|d| (1..=31).contains(d))?)
            }
            Some(_) => return None,
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(RoleDate { year, month, day })
    }

    /// The earliest full date this can mean, as (y, m, d).
    pub fn first_day(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The latest full date this can mean, as (y, m, d).
    pub fn last_day(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(12), self.day.unwrap_or(31))
    }
}

impl fmt::Display for RoleDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// One period in one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The role's title (`President`, `Prime Minister of Japan`).
    pub title: String,
    /// When it began, as precisely as known; `None` when the dictionary does not say.
    pub from: Option<RoleDate>,
    /// `None`: still in office.
    pub to: Option<RoleDate>,
}

impl Role {
    /// Whether the role was held on `date` (a full date). `None` when the dictionary has no
    /// start date, so it cannot say.
    pub fn held_on(&self, date: RoleDate) -> Option<bool> {
        let day = date.first_day();
        let from = self.from?;
        let started = from.first_day() <= day;
        let not_ended = self.to.is_none_or(|to| day <= to.last_day());
        Some(started && not_ended)
    }
}

/// Parses a `roles` cell. Errors name the offending period.
pub fn parse_roles(cell: &str) -> Result<Vec<Role>, String> {
    let mut roles = Vec::new();
    for period in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (title, range) = period
            .rsplit_once(' ')
            .filter(|(_, r)| r.contains(".."))
            .ok_or_else(|| format!("{period:?} is not `Title FROM..TO`"))?;
        let (from, to) = range.split_once("..").expect("checked above");
        let date = |s: &str| -> Result<Option<RoleDate>, String> {
            if s.is_empty() {
                Ok(None)
            } else {
                RoleDate::parse(s)
                    .map(Some)
                    .ok_or_else(|| format!("bad date {s:?} in {period:?}"))
            }
        };
        let (from, to) = (date(from)?, date(to)?);
        if let (Some(f), Some(t)) = (from, to) {
            if f.first_day() > t.last_day() {
                return Err(format!("{period:?} ends before it starts"));
            }
        }
        roles.push(Role {
            title: title.trim().to_string(),
            from,
            to,
        });
    }
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> RoleDate {
        RoleDate::parse(s).unwrap()
    }

    #[test]
    fn parses_periods() {
        let roles =
            parse_roles("President 2017-01-20..2021-01-20; President 2025-01-20..").unwrap();
        assert_eq!(roles.len(), 2);
        assert_eq!(roles[0].title, "President");
        assert_eq!(roles[1].to, None);
        let roles = parse_roles("Prime Minister of Japan 2012..2020-09").unwrap();
        assert_eq!(roles[0].title, "Prime Minister of Japan");
        assert_eq!(roles[0].from, Some(date("2012")));
    }

    #[test]
    fn rejects_bad_periods() {
        let cases = [
            ("President", "\"President\" is not `Title FROM..TO`"),
            (
                "President 2017-13-01..",
                "bad date \"2017-13-01\" in \"President 2017-13-01..\"",
            ),
            (
                "King 2020..2019",
                "\"King 2020..2019\" ends before it starts",
            ),
        ];
        for (cell, want) in cases {
            assert_eq!(parse_roles(cell).unwrap_err(), want);
        }
    }

    #[test]
    fn held_on_respects_partial_dates() {
        let trump =
            parse_roles("President 2017-01-20..2021-01-20; President 2025-01-20..").unwrap();
        let held = |d: &str| trump.iter().any(|r| r.held_on(date(d)) == Some(true));
        assert!(held("2019-06-30"));
        assert!(!held("2022-03-01"));
        assert!(held("2025-06-01"));
        assert!(!held("2017-01-19"));
        let partial = parse_roles("Premier 2013..2023-03").unwrap();
        assert_eq!(partial[0].held_on(date("2023-03-31")), Some(true));
        assert_eq!(partial[0].held_on(date("2023-04-01")), Some(false));
        let unknown = parse_roles("King ..").unwrap();
        assert_eq!(unknown[0].held_on(date("2020-01-01")), None);
    }
}
