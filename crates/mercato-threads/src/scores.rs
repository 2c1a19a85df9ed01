//! Source credibility learned from resolved threads, and the buzz of a thread.
//!
//! **Credibility**: every independent `to` claim a source is credited with, in a thread
//! that has resolved, is a hit (the move happened: `completed`) or a miss (`superseded` or
//! `denied`). The credibility is the mean of a Beta posterior whose prior comes from the
//! source's KB tier (`data/scores/tier_priors.tsv`, worth [`PRIOR_WEIGHT`] rumours), with a
//! 90% credible interval; per source and club too once the pair has [`MIN_PAIR_RESOLVED`]
//! resolved threads. A source with nothing resolved shows its prior and "insufficient data".
//!
//! **Buzz**: independent reports of a thread in the 7 and 30 days before `as_of`, and the
//! velocity (last week's reports against the weekly average of the three weeks before).

use crate::{Status, Thread};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// How many resolved rumours a tier prior is worth.
pub const PRIOR_WEIGHT: f64 = 10.0;
/// Resolved threads a (source, club) pair needs before it gets its own credibility.
pub const MIN_PAIR_RESOLVED: u32 = 5;

const TIER_PRIORS: &str = include_str!("../../../data/scores/tier_priors.tsv");

/// The prior hit rate of a tier (`None`: a source without a tier).
pub fn tier_prior(tier: Option<u8>) -> f64 {
    static PRIORS: std::sync::OnceLock<std::collections::HashMap<&'static str, f64>> = std::sync::OnceLock::new();
    let key = tier.map_or_else(|| "none".to_string(), |t| t.to_string());
    PRIORS.get_or_init(|| crate::number_table(TIER_PRIORS)).get(key.as_str()).copied().unwrap_or(0.3)
}

/// The `level` central credible interval of Beta(a, b), by numeric integration.
pub fn beta_interval(a: f64, b: f64, level: f64) -> (f64, f64) {
    const STEPS: usize = 4000;
    let density: Vec<f64> = (0..STEPS)
        .map(|k| {
            let p = (k as f64 + 0.5) / STEPS as f64;
            ((a - 1.0) * p.ln() + (b - 1.0) * (1.0 - p).ln()).exp()
        })
        .collect();
    let total: f64 = density.iter().sum();
    let tail = (1.0 - level) / 2.0;
    let (mut acc, mut lo, mut hi) = (0.0, 0.0, 1.0);
    let mut lo_set = false;
    for (k, d) in density.iter().enumerate() {
        acc += d / total;
        if !lo_set && acc >= tail {
            lo = k as f64 / STEPS as f64;
            lo_set = true;
        }
        if acc >= 1.0 - tail {
            hi = (k + 1) as f64 / STEPS as f64;
            break;
        }
    }
    (lo, hi)
}

/// A source's record on one club.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClubRecord {
    pub club: String,
    pub hits: u32,
    pub misses: u32,
    pub credibility: f64,
}

/// A source's track record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRecord {
    pub source: String,
    pub tier: Option<u8>,
    pub prior: f64,
    pub hits: u32,
    pub misses: u32,
    /// Threads it reported that are still live.
    pub open: u32,
    /// Posterior mean; the prior when nothing is resolved.
    pub credibility: f64,
    /// 90% credible interval.
    pub interval: (f64, f64),
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub by_club: Vec<ClubRecord>,
}

/// Hits, misses and still-open reports by source, then club (both in order).
pub type Tally = std::collections::BTreeMap<String, std::collections::BTreeMap<String, (u32, u32, u32)>>;

/// What each thread says of its sources: (source, club, outcome) with outcome 0 a hit, 1 a
/// miss, 2 still open; one entry per source credited with an independent `to` claim.
pub fn outcomes(threads: &[Thread]) -> Vec<(String, String, u8)> {
    let mut out = Vec::new();
    for t in threads {
        let resolved_at = t.resolved_by.as_ref().map(|m| m.date());
        let mut credited: Vec<&str> = t
            .claims
            .iter()
            .filter(|c| c.kind == "to" && c.copy_of.is_none())
            // a report after the move is not a prediction
            .filter(|c| resolved_at.is_none_or(|d| t.status != Status::Completed || c.date <= d))
            .flat_map(|c| c.sources.iter().map(String::as_str))
            .collect();
        credited.sort_unstable();
        credited.dedup();
        let outcome = outcome_of(t.status);
        out.extend(credited.into_iter().map(|s| (s.to_string(), t.club.clone(), outcome)));
    }
    out
}

/// A thread's outcome for the sources it credits: 0 a hit, 1 a miss, 2 still open.
fn outcome_of(status: Status) -> u8 {
    match status {
        Status::Completed => 0,
        Status::Superseded | Status::Denied => 1,
        _ => 2,
    }
}

/// What [`outcomes`] says of one thread made from a store summary (no claims of its own),
/// from the summary's predictors: each source credited by an independent `to` claim with
/// the day of its first (`mercato_store::ThreadSummary::predictors`). A source counts
/// when that day is not after the move that completed the thread, as in [`outcomes`].
pub fn summary_outcomes(t: &Thread, predictors: &[(String, String)]) -> Vec<(String, String, u8)> {
    let resolved_at = t.resolved_by.as_ref().map(|m| m.date());
    let outcome = outcome_of(t.status);
    predictors
        .iter()
        .filter(|(_, first)| {
            resolved_at
                .is_none_or(|d| t.status != Status::Completed || crate::date(Some(first)).is_some_and(|f| f <= d))
        })
        .map(|(source, _)| (source.clone(), t.club.clone(), outcome))
        .collect()
}

/// Adds (`add`) or takes back (`!add`) outcomes from a tally: the way to keep credibility
/// up to date as outcomes arrive, one player at a time.
pub fn count(tally: &mut Tally, outcomes: &[(String, String, u8)], add: bool) {
    for (source, club, outcome) in outcomes {
        let clubs = tally.entry(source.clone()).or_default();
        let row = clubs.entry(club.clone()).or_default();
        let cell = match outcome {
            0 => &mut row.0,
            1 => &mut row.1,
            _ => &mut row.2,
        };
        *cell = if add { *cell + 1 } else { cell.saturating_sub(1) };
        // what nothing counts any more is dropped, so a kept tally equals a fresh one
        if *row == (0, 0, 0) {
            clubs.remove(club);
            if clubs.is_empty() {
                tally.remove(source);
            }
        }
    }
}

/// Credibility of every source credited in the threads; `tier` looks a source up in the KB.
pub fn credibility(threads: &[Thread], tier: &dyn Fn(&str) -> Option<u8>) -> Vec<SourceRecord> {
    let mut tally = Tally::new();
    count(&mut tally, &outcomes(threads), true);
    records(&tally, tier)
}

/// The source records of a tally.
pub fn records(tally: &Tally, tier: &dyn Fn(&str) -> Option<u8>) -> Vec<SourceRecord> {
    let mut out: Vec<SourceRecord> = tally
        .iter()
        .filter(|(_, clubs)| clubs.values().any(|r| r.0 + r.1 + r.2 > 0))
        .map(|(source, clubs)| {
            let (hits, misses, open) = clubs.values().fold((0, 0, 0), |acc, r| (acc.0 + r.0, acc.1 + r.1, acc.2 + r.2));
            let t = tier(source);
            let prior = tier_prior(t);
            let (a, b) = (prior * PRIOR_WEIGHT + f64::from(hits), (1.0 - prior) * PRIOR_WEIGHT + f64::from(misses));
            let by_club = clubs
                .iter()
                .filter(|(_, r)| r.0 + r.1 >= MIN_PAIR_RESOLVED)
                .map(|(club, r)| ClubRecord {
                    club: club.clone(),
                    hits: r.0,
                    misses: r.1,
                    credibility: (prior * PRIOR_WEIGHT + f64::from(r.0)) / (PRIOR_WEIGHT + f64::from(r.0 + r.1)),
                })
                .collect();
            SourceRecord {
                source: source.clone(),
                tier: t,
                prior,
                hits,
                misses,
                open,
                credibility: a / (a + b),
                interval: beta_interval(a, b, 0.9),
                note: (hits + misses == 0)
                    .then(|| "insufficient data: nothing it reported has resolved; the tier prior".to_string()),
                by_club,
            }
        })
        .collect();
    out.sort_by(|x, y| (y.hits + y.misses).cmp(&(x.hits + x.misses)).then(x.source.cmp(&y.source)));
    out
}

/// A thread's buzz.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Buzz {
    /// Independent reports in the 7 days up to `now`.
    pub last_7_days: u32,
    /// ... in the 30 days up to `now`.
    pub last_30_days: u32,
    /// Last week's reports minus the weekly average of the three weeks before.
    pub velocity: f64,
}

/// Buzz of claims (dates of independent reports) at `now`.
pub fn buzz(dates: &[NaiveDate], now: NaiveDate) -> Buzz {
    let within = |days: i64| dates.iter().filter(|d| **d <= now && **d > now - Duration::days(days)).count() as u32;
    let (w, m) = (within(7), within(28));
    Buzz { last_7_days: w, last_30_days: within(30), velocity: f64::from(w) - f64::from(m - w) / 3.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_interval_is_central() {
        let (lo, hi) = beta_interval(8.0, 2.0, 0.9);
        assert!((0.55..0.65).contains(&lo) && (0.95..0.99).contains(&hi), "{lo} {hi}");
        let (lo, hi) = beta_interval(1.0, 1.0, 0.9);
        assert!((lo - 0.05).abs() < 0.01 && (hi - 0.95).abs() < 0.01, "{lo} {hi}");
    }

    #[test]
    fn counting_back_leaves_no_trace() {
        let mut tally = Tally::new();
        let some =
            vec![("Planet".to_string(), "Roma".to_string(), 0u8), ("Planet".to_string(), "Lazio".to_string(), 2)];
        count(&mut tally, &some, true);
        assert_eq!(tally["Planet"]["Roma"], (1, 0, 0));
        count(&mut tally, &some, false);
        assert!(tally.is_empty());
    }

    #[test]
    fn tiers_have_priors() {
        assert_eq!(tier_prior(Some(1)), 0.8);
        assert_eq!(tier_prior(Some(5)), 0.1);
        assert_eq!(tier_prior(None), 0.3);
    }

    #[test]
    fn buzz_counts_recent_reports() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let b = buzz(&[d("2025-01-01"), d("2025-01-20"), d("2025-01-28"), d("2025-01-29")], d("2025-01-30"));
        assert_eq!((b.last_7_days, b.last_30_days), (2, 4));
    }
}
