//! # mercato-time: the *resolve time* stage
//!
//! Finds temporal expressions in an article ("next March", "the 2023/24 season", "at the
//! end of December", "two years later", "Euro 2024", "deadline day") and normalises each
//! to an [`Interval`] of days with a [`Grain`], relative to the publication date when the
//! expression needs one. [`infer`] combines dated clues into a publication-date range for
//! articles that carry no date.
//!
//! Pure: no IO, data compiled in from `data/lexicon/<lang>/time.tsv` (the words),
//! `data/time/events.tsv` (tournaments) and `data/time/leagues.tsv` (calendar-year leagues).
//! The policy for ambiguous phrases is in [`policy`] and travels with each resolved
//! expression ([`TimeExpr::policy`]).
//!
//! ```
//! use chrono::NaiveDate;
//! use mercato_time::{Grain, TimeLexicon, SeasonStyle};
//! let lex = TimeLexicon::english();
//! let anchor = NaiveDate::from_ymd_opt(2025, 12, 1);
//! let found = lex.find("His deal runs until the end of December.", anchor, SeasonStyle::Split);
//! let value = found[0].value.unwrap();
//! assert_eq!((value.start.to_string(), value.end.to_string()), ("2025-12-22".into(), "2025-12-31".into()));
//! assert_eq!(found[0].grain, Grain::Month);
//! ```

pub mod infer;
mod lexicon;
mod normalise;
pub mod policy;

pub use infer::{infer, open_end, open_start, Constraint, Inference};
pub use lexicon::{Event, Part, Period, Rel, TimeLexicon};
pub use normalise::{Tense, TimeExpr, When};

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

/// The unit an expression names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grain {
    Day,
    /// A calendar week ("last week").
    Week,
    Month,
    /// A transfer window or a part of the calendar year ("the summer window", "last winter").
    Window,
    /// A football season (2023/24, or a calendar year in calendar-year leagues).
    Season,
    Year,
}

impl Grain {
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
            Grain::Window => "window",
            Grain::Season => "season",
            Grain::Year => "year",
        }
    }
}

/// How the article's football calendar runs: European split seasons (1 July to 30 June) or
/// calendar-year seasons (MLS, Brazil, Scandinavia, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeasonStyle {
    #[default]
    Split,
    Calendar,
}

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Interval {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Serialize for Interval {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [IsoDay(self.start), IsoDay(self.end)].serialize(s)
    }
}

/// A day written `YYYY-MM-DD` (as `NaiveDate`'s `Display`), without chrono's formatter for
/// the four-digit years of news.
struct IsoDay(NaiveDate);

impl Serialize for IsoDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use chrono::Datelike;
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        let Ok(y) = u32::try_from(y).map_err(drop).and_then(|y| if y <= 9999 { Ok(y) } else { Err(()) }) else {
            return s.collect_str(&self.0);
        };
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ];
        match std::str::from_utf8(&text) {
            Ok(text) => s.serialize_str(text),
            Err(_) => s.collect_str(&self.0),
        }
    }
}

impl Interval {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Interval {
        if end < start {
            Interval { start: end, end: start }
        } else {
            Interval { start, end }
        }
    }

    pub fn day(d: NaiveDate) -> Interval {
        Interval { start: d, end: d }
    }

    /// The whole month; `None` for an impossible year.
    pub fn month(year: i32, month: u32) -> Option<Interval> {
        let start = NaiveDate::from_ymd_opt(year, month, 1)?;
        let end = start.checked_add_months(Months::new(1))?.pred_opt()?;
        Some(Interval { start, end })
    }

    pub fn year(year: i32) -> Option<Interval> {
        Some(Interval { start: NaiveDate::from_ymd_opt(year, 1, 1)?, end: NaiveDate::from_ymd_opt(year, 12, 31)? })
    }

    /// The football season starting in `year` (European: 1 July to 30 June; calendar: the year).
    pub fn season(year: i32, style: SeasonStyle) -> Option<Interval> {
        match style {
            SeasonStyle::Split => Some(Interval {
                start: NaiveDate::from_ymd_opt(year, 7, 1)?,
                end: NaiveDate::from_ymd_opt(year + 1, 6, 30)?,
            }),
            SeasonStyle::Calendar => Interval::year(year),
        }
    }

    /// Length in days, both ends included.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    pub fn intersect(&self, other: &Interval) -> Option<Interval> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start <= end).then_some(Interval { start, end })
    }

    /// Days from the interval to `d` (0 when inside).
    pub fn distance(&self, d: NaiveDate) -> i64 {
        if d < self.start {
            (self.start - d).num_days()
        } else if d > self.end {
            (d - self.end).num_days()
        } else {
            0
        }
    }

    /// The middle day.
    pub fn mid(&self) -> NaiveDate {
        self.start + chrono::Duration::days((self.end - self.start).num_days() / 2)
    }

    /// The interval moved by whole years (29 February falls back to 28 February).
    pub fn shift_years(&self, years: i32) -> Option<Interval> {
        Some(Interval { start: add_years(self.start, years)?, end: add_years(self.end, years)? })
    }

    /// The `value` of a fact at this grain: `YYYY-MM-DD` for days, `YYYY-MM` for months
    /// (and the month of a window's or season's end), `YYYY` for years.
    pub fn format(&self, grain: Grain) -> String {
        match grain {
            Grain::Day => self.end.format("%Y-%m-%d").to_string(),
            Grain::Year => self.end.format("%Y").to_string(),
            _ => self.end.format("%Y-%m").to_string(),
        }
    }
}

/// `d` plus whole years; 29 February becomes 28 February in common years.
pub fn add_years(d: NaiveDate, years: i32) -> Option<NaiveDate> {
    let year = d.year().checked_add(years)?;
    NaiveDate::from_ymd_opt(year, d.month(), d.day()).or_else(|| NaiveDate::from_ymd_opt(year, d.month(), 28))
}

/// `d` plus whole days (negative goes back).
pub fn add_days(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::Interval;
    use chrono::NaiveDate;

    /// An interval is written as chrono writes its days, whatever the year.
    #[test]
    fn interval_days_are_written_as_chrono_writes_them() {
        for (y, m, d) in
            [(2025, 12, 31), (2024, 2, 29), (1999, 1, 1), (999, 7, 4), (5, 10, 9), (10000, 1, 1), (-44, 3, 15)]
        {
            let Some(day) = NaiveDate::from_ymd_opt(y, m, d) else { panic!("bad test date {y}-{m}-{d}") };
            let next = day.succ_opt().unwrap_or(day);
            let json = serde_json::to_string(&Interval::new(day, next)).unwrap_or_default();
            assert_eq!(json, format!("[\"{day}\",\"{next}\"]"));
        }
    }
}
