//! The calendar date a document was written, checked once when it enters the library.
//!
//! A leader mention says whether the person held office on the document's date, so a date must be
//! a real day: `2019-06-30` is one, `June 2019`, `2019-06` and `2019-02-30` are errors rather than
//! dates silently ignored. (Dictionaries may give partial dates for role periods; those are
//! [`crate::dictionary::RoleDate`]s, and a [`Date`] is compared with them day by day.)

use crate::dictionary::RoleDate;
use std::fmt;
use std::str::FromStr;

/// A full calendar day (`YYYY-MM-DD`, proleptic Gregorian).
///
/// ```
/// use entopic::Date;
///
/// let d: Date = "2019-06-30".parse().unwrap();
/// assert_eq!((d.year(), d.month(), d.day()), (2019, 6, 30));
/// assert_eq!(d.to_string(), "2019-06-30");
/// assert!("June 2019".parse::<Date>().is_err());
/// assert!("2019-06".parse::<Date>().is_err());
/// assert!("2019-02-29".parse::<Date>().is_err());
/// assert!("2020-02-29".parse::<Date>().is_ok());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// A string that is not a `YYYY-MM-DD` day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not written as `YYYY-MM-DD` (`June 2019`, `2019-06`).
    #[error("{0:?}: expected a date as YYYY-MM-DD")]
    Format(String),
    /// Written as `YYYY-MM-DD`, but not a day of the calendar (`2023-02-29`).
    #[error("{0:?}: no such day in the calendar")]
    NoSuchDay(String),
}

impl Date {
    /// The day `year-month-day`, if there is one.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let d = RoleDate::parse(s).ok_or_else(|| DateError::Format(s.to_string()))?;
        match (d.month, d.day) {
            (Some(m), Some(day)) => {
                Date::new(d.year, m, day).ok_or_else(|| DateError::NoSuchDay(s.to_string()))
            }
            _ => Err(DateError::Format(s.to_string())),
        }
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }
}

impl From<Date> for RoleDate {
    fn from(d: Date) -> RoleDate {
        RoleDate {
            year: d.year,
            month: Some(d.month),
            day: Some(d.day),
        }
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Written as the string it was parsed from (`"2019-06-30"`), as settings always were: `--resume`
/// fingerprints the settings by their debug form.
impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}
