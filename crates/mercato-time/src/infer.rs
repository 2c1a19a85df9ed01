//! Date inference: the publication date of an undated article from what its text implies.
//!
//! Each clue becomes a [`Constraint`], a range of days the article was probably published
//! in, with a weight. [`infer`] finds the days covered by the greatest total weight (a
//! sweep over the ranges' ends); the range is the run of such days (the latest, among
//! equals) and the estimate its middle. A clue may be open on one side ([`open_start`],
//! [`open_end`]); a range left open on one side reaches [`OPEN_REACH_MONTHS`] from the other. Clues that miss the range are reported as conflicts rather than
//! dropped silently.

use crate::{add_days, Interval};
use chrono::NaiveDate;

/// One clue: the article was published within `range`.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub range: Interval,
    pub weight: f64,
    /// Why, for diagnostics: "the 39-year-old Sergio Ramos, born 1986-03-30".
    pub why: String,
}

/// The start of a range open to the past ("published before June 2026").
pub fn open_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The end of a range open to the future ("published after 2021").
pub fn open_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2199, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// How far an estimate reaches from its one bounded side when the clues leave the other
/// side open, in months.
pub const OPEN_REACH_MONTHS: u32 = 12;

/// The result of [`infer`].
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    pub date: NaiveDate,
    pub range: Interval,
    /// Clues that disagree with the range.
    pub conflicts: Vec<String>,
}

/// Combines the clues; `None` when there are none.
pub fn infer(constraints: &[Constraint]) -> Option<Inference> {
    let mut edges: Vec<(NaiveDate, f64)> = Vec::with_capacity(constraints.len() * 2);
    for c in constraints.iter().filter(|c| c.weight > 0.0) {
        edges.push((c.range.start, c.weight));
        edges.push((add_days(c.range.end, 1)?, -c.weight));
    }
    edges.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut best: Option<(f64, Interval)> = None;
    let mut weight = 0.0;
    for (k, (day, delta)) in edges.iter().enumerate() {
        weight += delta;
        let Some((next, _)) = edges.get(k + 1) else { break };
        if next <= day {
            continue;
        }
        let run = Interval::new(*day, add_days(*next, -1)?);
        // the heaviest run; among equals the later one (news is about the latest thing it names)
        if best.as_ref().is_none_or(|(w, _)| weight >= *w - 1e-9) {
            best = Some((weight, run));
        }
    }
    let (_, mut range) = best?;
    // A range open on one side reaches a year from its bounded side; open on both, it
    // says nothing.
    let (open_before, open_after) = (range.start <= open_start(), range.end >= open_end());
    if open_before && open_after {
        return None;
    }
    if open_before {
        range.start = range.end.checked_sub_months(chrono::Months::new(OPEN_REACH_MONTHS))?;
    } else if open_after {
        range.end = range.start.checked_add_months(chrono::Months::new(OPEN_REACH_MONTHS))?;
    }
    let conflicts = constraints
        .iter()
        .filter(|c| c.range.intersect(&range).is_none())
        .map(|c| format!("{} ({} to {})", c.why, c.range.start, c.range.end))
        .collect();
    Some(Inference { date: range.mid(), range, conflicts })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(a: &str, b: &str, weight: f64) -> Constraint {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        Constraint { range: Interval::new(d(a), d(b)), weight, why: format!("{a}..{b}") }
    }

    #[test]
    fn intersection_of_agreeing_clues() {
        let got = infer(&[c("2025-03-30", "2026-03-29", 2.0), c("2025-01-01", "2025-12-31", 1.0)]).expect("some");
        assert_eq!(got.range, c("2025-03-30", "2025-12-31", 0.0).range);
        assert!(got.conflicts.is_empty());
    }

    #[test]
    fn a_lone_disagreeing_clue_is_reported() {
        let got = infer(&[
            c("2025-03-30", "2026-03-29", 2.0),
            c("2025-06-01", "2025-12-31", 1.0),
            c("2019-01-01", "2019-12-31", 1.0),
        ])
        .expect("some");
        assert_eq!(got.range, c("2025-06-01", "2025-12-31", 0.0).range);
        assert_eq!(got.conflicts, vec!["2019-01-01..2019-12-31 (2019-01-01 to 2019-12-31)".to_string()]);
    }

    #[test]
    fn open_ranges_reach_a_year() {
        let after_2021 = Constraint {
            range: Interval::new(c("2021-01-01", "2021-01-01", 0.0).range.start, open_end()),
            weight: 1.0,
            why: "since 2021".into(),
        };
        let got = infer(std::slice::from_ref(&after_2021)).expect("some");
        assert_eq!(got.range, c("2021-01-01", "2022-01-01", 0.0).range);
        let open = Constraint { range: Interval::new(open_start(), open_end()), ..after_2021 };
        assert_eq!(infer(&[open]), None);
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert_eq!(infer(&[]), None);
    }
}
