//! Clues to the publication date of an undated article, for [`mercato_time::infer`].
//!
//! * A player's stated age with his KB birth date: "the 39-year-old", born 1986-03-30,
//!   means published between 2025-03-30 and 2026-03-29. Of several ages stated for one
//!   player the highest is his age now ("joined as a 17-year-old" is history).
//! * A full date that does not look forward ("on 1 February 2021"): news is published
//!   within [`DAY_REACH`] days of what it reports (either side: "on 1 July" may be a
//!   coming date).
//! * Every dated expression that does not look forward ("joined in 2021", "the 2023/24
//!   season"): published at most a year before it began ("in 2026" may be ahead), and the
//!   latest of them is recent, within [`RECENT_MONTHS`] of its end.
//! * Dated expressions that look forward ("until June 2026", "ahead of the 2026 World
//!   Cup"): published before they end. Relative expressions ("next summer") give nothing.
//!
//! Tried and left out: completed moves in the KB's `transfers.tsv` matched to `done`, `to`
//! and `past` links narrowed the ranges (median 8 months) but moved the inside share by
//! +2 points on dev and -1 on pool, so they are not worth loading 19 MB for.
//!
//! Weights and reaches were set by measuring on the dated articles of the shared corpora
//! with their dates hidden (`mercato extract --hide-dates`); the README gives the numbers.

use crate::facts::Age;
use crate::recognise::Recognised;
use chrono::Months;
use mercato_kb::Kb;
use mercato_time::{add_days, add_years, open_end, open_start, Constraint, Grain, Interval, Tense, TimeExpr};

/// Weight of an age-and-birth-date clue (right in nine cases of ten on the dev set).
const AGE_WEIGHT: f64 = 3.0;
/// Weight of a full date: news is published within days of it.
const DAY_WEIGHT: f64 = 2.0;
/// Days around a reported full date that the report may appear.
pub const DAY_REACH: i64 = 90;
/// How far ahead of the article an undirected dated expression may lie, in months.
pub const LEAD_MONTHS: u32 = 12;
/// How recent the latest dated expression is assumed to be, in months after its end.
pub const RECENT_MONTHS: u32 = 24;

/// The clues of one article.
pub fn constraints(rec: &Recognised, kb: &Kb, ages: &[Age], times: &[TimeExpr]) -> Vec<Constraint> {
    let mut out = Vec::new();
    // the highest age stated per player
    let mut oldest: Vec<&Age> = Vec::new();
    for age in ages {
        match oldest.iter_mut().find(|a| a.person == age.person) {
            Some(known) if known.age < age.age => *known = age,
            Some(_) => {}
            None => oldest.push(age),
        }
    }
    for age in oldest {
        let person = &rec.persons[age.person];
        let Some(born) = person.kb_player.and_then(|k| kb.players.get(k)).and_then(|p| p.birth_date) else { continue };
        let years = i32::from(age.age);
        let (Some(start), Some(next)) = (add_years(born, years), add_years(born, years + 1)) else { continue };
        let Some(end) = next.pred_opt() else { continue };
        out.push(Constraint {
            range: Interval::new(start, end),
            weight: AGE_WEIGHT,
            why: format!("{} aged {} (born {born})", person.name, age.age),
        });
    }
    let dated = times.iter().filter(|t| !t.relative).filter_map(|t| t.value.map(|v| (t, v)));
    let mut latest: Option<Interval> = None;
    for (t, v) in dated {
        if t.tense == Some(Tense::Future) {
            out.push(Constraint {
                range: Interval::new(open_start(), v.end),
                weight: 1.0,
                why: format!("{:?} is ahead", t.text),
            });
            continue;
        }
        if t.grain == Grain::Day {
            if let (Some(a), Some(b)) = (add_days(v.start, -DAY_REACH), add_days(v.end, DAY_REACH)) {
                out.push(Constraint {
                    range: Interval::new(a, b),
                    weight: DAY_WEIGHT,
                    why: format!("{:?} is news", t.text),
                });
            }
        }
        let from = v.start.checked_sub_months(Months::new(LEAD_MONTHS)).unwrap_or(v.start);
        out.push(Constraint {
            range: Interval::new(from, open_end()),
            weight: 1.0,
            why: format!("{:?} is past", t.text),
        });
        if latest.is_none_or(|l| v.start > l.start) {
            latest = Some(v);
        }
    }
    if let Some(v) = latest {
        if let Some(end) = v.end.checked_add_months(Months::new(RECENT_MONTHS)) {
            out.push(Constraint {
                range: Interval::new(open_start(), end),
                weight: 1.0,
                why: "the latest date named is recent".into(),
            });
        }
    }
    out
}
