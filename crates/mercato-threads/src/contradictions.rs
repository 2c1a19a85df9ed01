//! Facts about one subject that disagree across articles.
//!
//! * `contract_expiry` (per club) and `birth_date`: different values in articles published
//!   within [`SAME_TIME_DAYS`] of each other (a contract extended later is news, not a
//!   contradiction);
//! * `fee` (per club and currency): amounts more than [`FEE_TOLERANCE`] apart;
//! * `age`: the birth dates the ages imply (age at the article's date) do not overlap;
//! * `current_club`: a club named as the player's between two articles that name another,
//!   all within [`CURRENT_CLUB_DAYS`] ("Juventus' X", then "Roma's X", then "Juventus' X"
//!   again). A single switch is a move, not a contradiction: so the club before and the club
//!   after a transfer never disagree, however close their articles are.
//!
//! Copies are left out; undated articles take part only where no date is needed
//! (`birth_date`).

use crate::date;
use chrono::{Datelike, NaiveDate};
use mercato_store::FactRecord;
use serde::{Deserialize, Serialize};

/// Facts of articles published this close are taken to describe the same moment.
pub const SAME_TIME_DAYS: i64 = 365;
/// Fees further apart than this share of the larger one disagree.
pub const FEE_TOLERANCE: f64 = 0.10;
/// A club named as the player's between two naming another disagrees with them when the
/// two are at most this far apart.
pub const CURRENT_CLUB_DAYS: i64 = 30;

/// One side of a contradiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    pub article: String,
    pub published: Option<String>,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated: Option<String>,
    pub evidence: String,
}

/// Two facts that cannot both be true.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contradiction {
    pub subject: String,
    pub attribute: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub club: Option<String>,
    pub sides: [Side; 2],
}

fn side(f: &FactRecord) -> Side {
    Side {
        article: f.article.clone(),
        published: f.published.clone(),
        value: f.value.clone(),
        currency: f.currency.clone(),
        stated: f.stated.clone(),
        evidence: f.evidence.clone(),
    }
}

/// A fact with what comparing it needs, read once (a star player's facts are compared
/// thousands of times).
#[derive(Clone, Copy)]
struct Read<'a> {
    /// Where the fact is in the finder's input.
    at: usize,
    f: &'a FactRecord,
    day: Option<NaiveDate>,
    number: Option<f64>,
    born: Option<(NaiveDate, NaiveDate)>,
}

impl<'a> Read<'a> {
    fn of((at, f): (usize, &'a FactRecord)) -> Read<'a> {
        Read {
            at,
            f,
            day: date(f.published.as_deref()),
            number: if f.attribute == "fee" { f.value.parse().ok() } else { None },
            born: if f.attribute == "age" { birth_window(f) } else { None },
        }
    }
}

fn close_in_time(a: &Read<'_>, b: &Read<'_>) -> bool {
    match (a.day, b.day) {
        (Some(x), Some(y)) => (x - y).num_days().abs() <= SAME_TIME_DAYS,
        _ => false,
    }
}

/// The birth dates an age implies: born after `date - (age + 1)` years, by `date - age`.
fn birth_window(f: &FactRecord) -> Option<(NaiveDate, NaiveDate)> {
    let d = date(f.published.as_deref())?;
    let age: i32 = f.value.parse().ok()?;
    let back = |years: i32| NaiveDate::from_ymd_opt(d.year() - years, d.month(), d.day().min(28));
    Some((back(age + 1)?.succ_opt()?, back(age)?))
}

fn disagree(a: &Read<'_>, b: &Read<'_>) -> bool {
    match a.f.attribute.as_str() {
        "contract_expiry" => a.f.value != b.f.value && close_in_time(a, b),
        "birth_date" => !a.f.value.starts_with(&b.f.value) && !b.f.value.starts_with(&a.f.value),
        "fee" => {
            let (Some(x), Some(y)) = (a.number, b.number) else { return false };
            a.f.currency == b.f.currency && (x - y).abs() > FEE_TOLERANCE * x.max(y) && close_in_time(a, b)
        }
        "age" => match (a.born, b.born) {
            (Some((a0, a1)), Some((b0, b1))) => a1 < b0 || b1 < a0,
            _ => false,
        },
        // `current_club`: two clubs may each be right at their own date (a move between
        // them); whether they disagree is a matter of the facts around them
        // ([`first_interleaving`])
        _ => false,
    }
}

/// Facts by value, each with where it is in the finder's input.
type ByValue<'a> = std::collections::BTreeMap<&'a str, Vec<(usize, &'a FactRecord)>>;

/// (subject lower-cased, attribute, club).
type GroupKey<'a> = (&'a str, &'a str, Option<&'a str>);

/// Every pair of disagreeing facts, one pair per distinct pair of values. Facts are
/// grouped by (subject, attribute, club) and by value first, so a subject named in
/// thousands of articles costs the square of its distinct values, not of its facts.
pub fn contradictions(facts: &[FactRecord]) -> Vec<Contradiction> {
    disagreements(facts).iter().map(|d| d.contradiction(facts)).collect()
}

/// A contradiction before it is written out: its group's attribute and club, and where its
/// two sides are in the finder's input (the earlier published first). A star player has
/// thousands; a report shows a few ([`Disagreement::contradiction`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disagreement<'a> {
    pub attribute: &'a str,
    pub club: Option<&'a str>,
    pub at: [usize; 2],
}

impl Disagreement<'_> {
    /// The contradiction, its sides read from `facts` (the finder's input).
    pub fn contradiction(&self, facts: &[FactRecord]) -> Contradiction {
        let [a, b] = self.at.map(|k| &facts[k]);
        Contradiction {
            subject: a.subject.clone(),
            attribute: self.attribute.to_string(),
            club: self.club.map(str::to_string),
            sides: [side(a), side(b)],
        }
    }
}

/// What [`contradictions`] finds, in its order, as [`Disagreement`]s (each with where its
/// two sides are in `facts`).
pub fn disagreements(facts: &[FactRecord]) -> Vec<Disagreement<'_>> {
    use std::collections::{BTreeMap, HashMap};
    // each distinct subject's key once (a star's facts spell his name a few ways; those that
    // fold alike are one subject, as the store keys them)
    let mut subjects: HashMap<&str, usize> = HashMap::new();
    let mut lowered: Vec<String> = Vec::new();
    let subject_of: Vec<usize> = facts
        .iter()
        .map(|f| {
            *subjects.entry(f.subject.as_str()).or_insert_with(|| {
                lowered.push(mercato_store::player_key(&f.subject));
                lowered.len() - 1
            })
        })
        .collect();
    // (subject, attribute, club) -> value -> facts with that value, in input order
    let mut groups: BTreeMap<GroupKey<'_>, ByValue<'_>> = BTreeMap::new();
    for (at, f) in facts.iter().enumerate().filter(|(_, f)| f.copy_of.is_none()) {
        let club = if f.attribute == "age" || f.attribute == "birth_date" { None } else { f.club.as_deref() };
        let subject = subject_of.get(at).and_then(|&k| lowered.get(k)).map_or("", String::as_str);
        groups
            .entry((subject, f.attribute.as_str(), club))
            .or_default()
            .entry(f.value.as_str())
            .or_default()
            .push((at, f));
    }
    let mut out = Vec::new();
    for ((_, attribute, club), by_value) in groups {
        // each value's sample, read once, with its dated facts by day when only facts
        // published close together can disagree
        let dated = matches!(attribute, "contract_expiry" | "fee" | "current_club");
        let values: Vec<Value<'_>> = by_value.values().map(|v| Value::of(v, dated)).collect();
        for (i, xs) in values.iter().enumerate() {
            for ys in values[i + 1..].iter().filter(|ys| xs.may_disagree(ys)) {
                let found = if attribute == "current_club" {
                    first_interleaving(xs, ys).or_else(|| first_interleaving(ys, xs))
                } else if dated {
                    first_disagreement_near(&xs.reads, ys)
                } else if attribute == "age" {
                    first_disagreement_of_ages(&xs.reads, &ys.reads)
                } else {
                    first_disagreement(&xs.reads, &ys.reads)
                };
                if let Some((a, b)) = found {
                    // the group's attribute and club, borrowed from a fact of the input
                    let club = club.and(a.f.club.as_deref());
                    out.push(Disagreement { attribute: a.f.attribute.as_str(), club, at: [a.at, b.at] });
                }
            }
        }
    }
    out
}

/// As [`first_disagreement`] for ages, in time linear in the two samples: two ages
/// disagree when the birth windows they imply do not overlap, so a fact of `xs` disagrees
/// with some fact of `ys` exactly when its window ends before the latest start of theirs
/// or starts after the earliest end (facts of the same article aside, which the scan of
/// `ys` then skips). The answer is [`first_disagreement`]'s.
fn first_disagreement_of_ages<'a>(xs: &[Read<'a>], ys: &[Read<'a>]) -> Option<(Read<'a>, Read<'a>)> {
    let latest_start = ys.iter().filter_map(|b| b.born.map(|w| w.0)).max()?;
    let earliest_end = ys.iter().filter_map(|b| b.born.map(|w| w.1)).min()?;
    for a in xs {
        let Some((a0, a1)) = a.born else { continue };
        if a1 >= latest_start && earliest_end >= a0 {
            // overlaps every window of `ys`
            continue;
        }
        if let Some(b) = ys.iter().find(|b| a.f.article != b.f.article && disagree(a, b)) {
            let (first, second) = if a.f.published <= b.f.published { (*a, *b) } else { (*b, *a) };
            return Some((first, second));
        }
    }
    None
}

/// One value's facts (a bounded sample), and the dated ones by day: `(day, index in
/// reads)`, filled only for attributes whose facts disagree only when close in time.
struct Value<'a> {
    reads: Vec<Read<'a>>,
    by_day: Vec<(NaiveDate, usize)>,
    /// For fees: the amount (one value, one amount) and the currencies its facts state,
    /// sorted, each once.
    fee: Option<(Option<f64>, Vec<Option<&'a str>>)>,
}

impl<'a> Value<'a> {
    /// A value's facts (a bounded sample) read once, and by day too when `dated`.
    fn of(facts: &[(usize, &'a FactRecord)], dated: bool) -> Value<'a> {
        let reads: Vec<Read<'a>> = sample(facts).into_iter().map(Read::of).collect();
        let mut by_day: Vec<(NaiveDate, usize)> =
            if dated { reads.iter().enumerate().filter_map(|(k, r)| Some((r.day?, k))).collect() } else { Vec::new() };
        by_day.sort_unstable();
        let fee = reads.first().filter(|r| r.f.attribute == "fee").map(|first| {
            let mut currencies: Vec<Option<&str>> = reads.iter().map(|r| r.f.currency.as_deref()).collect();
            currencies.sort_unstable();
            currencies.dedup();
            (first.number, currencies)
        });
        Value { reads, by_day, fee }
    }

    /// Whether any fact of this value can disagree with one of `other`'s, whatever their
    /// dates: false for two fees within [`FEE_TOLERANCE`] of each other, or with no
    /// currency in common (what [`disagree`] asks of every pair), true otherwise.
    fn may_disagree(&self, other: &Value<'_>) -> bool {
        let (Some((x, ours)), Some((y, theirs))) = (&self.fee, &other.fee) else { return true };
        let (Some(x), Some(y)) = (x, y) else { return false };
        (x - y).abs() > FEE_TOLERANCE * x.max(*y) && ours.iter().any(|c| theirs.binary_search(c).is_ok())
    }
}

/// As [`first_disagreement`] for attributes that need the two facts published within
/// [`SAME_TIME_DAYS`]: each fact is compared only with the other value's facts of those
/// days (found by binary search), and of those that disagree the first in input order is
/// taken, so the answer is [`first_disagreement`]'s.
fn first_disagreement_near<'a>(xs: &[Read<'a>], ys: &Value<'a>) -> Option<(Read<'a>, Read<'a>)> {
    let span = chrono::TimeDelta::days(SAME_TIME_DAYS);
    for a in xs {
        let Some(day) = a.day else { continue };
        let from = day.checked_sub_signed(span).unwrap_or(NaiveDate::MIN);
        let to = day.checked_add_signed(span).unwrap_or(NaiveDate::MAX);
        let lo = ys.by_day.partition_point(|(d, _)| *d < from);
        let hi = ys.by_day.partition_point(|(d, _)| *d <= to);
        let fits = |k: usize| a.f.article != ys.reads[k].f.article && disagree(a, &ys.reads[k]);
        let window = ys.by_day.get(lo..hi).unwrap_or_default();
        let first = if window.len() <= 16 {
            window.iter().map(|&(_, k)| k).filter(|&k| fits(k)).min()
        } else {
            // a wide window: the first fact in input order inside it that disagrees, looked
            // for in input order (most often near the start)
            (0..ys.reads.len()).find(|&k| ys.reads[k].day.is_some_and(|d| from <= d && d <= to) && fits(k))
        };
        if let Some(k) = first {
            let b = ys.reads[k];
            return Some(if a.f.published <= b.f.published { (*a, b) } else { (b, *a) });
        }
    }
    None
}

/// For `current_club`: the first fact of `inner` (in input order) published on a day
/// strictly between the days of two facts of `outer` at most [`CURRENT_CLUB_DAYS`] apart,
/// with the nearest fact of `outer` before it, earlier published first. Facts of one day
/// are not ordered (a transfer may fall between a morning and an evening article), so
/// they never make the pattern.
fn first_interleaving<'a>(outer: &Value<'a>, inner: &Value<'a>) -> Option<(Read<'a>, Read<'a>)> {
    let days = &outer.by_day;
    for b in &inner.reads {
        let Some(day) = b.day else { continue };
        // the latest fact of `outer` before the day, and the earliest after it
        let before = days.partition_point(|(d, _)| *d < day).checked_sub(1).and_then(|k| days.get(k));
        let after = days.get(days.partition_point(|(d, _)| *d <= day));
        let (Some(&(d0, k0)), Some(&(d1, _))) = (before, after) else { continue };
        if (d1 - d0).num_days() > CURRENT_CLUB_DAYS {
            continue;
        }
        let a = outer.reads[k0];
        return Some((a, *b));
    }
    None
}

/// The first pair (one fact of each value) that disagrees, in input order.
fn first_disagreement<'a>(xs: &[Read<'a>], ys: &[Read<'a>]) -> Option<(Read<'a>, Read<'a>)> {
    for a in xs {
        for b in ys {
            if a.f.article != b.f.article && disagree(a, b) {
                let (first, second) = if a.f.published <= b.f.published { (*a, *b) } else { (*b, *a) };
                return Some((first, second));
            }
        }
    }
    None
}

/// For large groups, a bounded sample of each value's facts (their first and latest).
fn sample<'a>(v: &[(usize, &'a FactRecord)]) -> Vec<(usize, &'a FactRecord)> {
    const PROBES: usize = 64;
    if v.len() <= PROBES {
        v.to_vec()
    } else {
        v[..PROBES / 2].iter().chain(v[v.len() - PROBES / 2..].iter()).copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(article: usize, day: u32, attribute: &str, value: u32) -> FactRecord {
        FactRecord {
            article: format!("a{article}"),
            published: NaiveDate::from_ymd_opt(2020, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(day))))
                .map(|d| d.to_string()),
            date_inferred: false,
            copy_of: None,
            subject: "Marco Bellandi".into(),
            attribute: attribute.into(),
            club: Some("Atalanta".into()),
            value: value.to_string(),
            currency: Some("EUR".into()),
            stated: None,
            evidence: String::new(),
        }
    }

    /// A seeded stream of numbers below the bound asked for.
    fn numbers(mut seed: u64) -> impl FnMut(u64) -> u32 {
        move |n| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            u32::try_from((seed >> 33) % n).unwrap_or(0)
        }
    }

    /// The facts by value, each value read as the finder reads it.
    fn values_of(facts: &[FactRecord], dated: bool) -> Vec<Value<'_>> {
        let mut by_value: ByValue<'_> = ByValue::new();
        for (at, f) in facts.iter().enumerate() {
            by_value.entry(f.value.as_str()).or_default().push((at, f));
        }
        by_value.values().map(|v| Value::of(v, dated)).collect()
    }

    /// The linear search for ages finds the pair the all-pairs comparison finds, over many
    /// made-up age sets (ages a few years apart, dates spread over years, some articles
    /// stating two ages, some facts undated).
    #[test]
    fn the_age_search_answers_as_the_all_pairs_comparison() {
        let mut next = numbers(11);
        let mut found = 0;
        for round in 0..400 {
            let n = 1 + next(90) as usize;
            let facts: Vec<FactRecord> = (0..n)
                .map(|_| {
                    let mut f = fact(next(n as u64 / 2 + 1) as usize, next(2000), "age", 25 + next(4));
                    if next(10) == 0 {
                        f.published = None;
                    }
                    f
                })
                .collect();
            let values = values_of(&facts, false);
            for (i, xs) in values.iter().enumerate() {
                for ys in &values[i + 1..] {
                    let fast = first_disagreement_of_ages(&xs.reads, &ys.reads).map(|(a, b)| [a.at, b.at]);
                    let all = first_disagreement(&xs.reads, &ys.reads).map(|(a, b)| [a.at, b.at]);
                    assert_eq!(fast, all, "round {round}");
                    found += usize::from(all.is_some());
                }
            }
        }
        assert!(found > 100, "too few disagreements to compare: {found}");
    }

    /// The day-window search finds the pair the all-pairs comparison finds, over many
    /// made-up fact sets (dates spread over years, values repeated, samples cut at 64).
    #[test]
    fn the_window_search_answers_as_the_all_pairs_comparison() {
        let mut next = numbers(7);
        let (mut skipped, mut found) = (0, 0);
        for round in 0..300 {
            let attribute = if round % 2 == 0 { "contract_expiry" } else { "fee" };
            let n = 1 + next(150) as usize;
            let values = 1 + u64::from(next(4));
            let facts: Vec<FactRecord> = (0..n)
                .map(|_| {
                    // fees far apart, or within the tolerance of each other (40 to 42)
                    let value = match (attribute, next(2)) {
                        ("fee", 0) => 10 + 30 * next(values),
                        ("fee", _) => 40 + next(3),
                        _ => 2024 + next(values),
                    };
                    let mut f = fact(next(n as u64 / 2 + 1) as usize, next(3000), attribute, value);
                    // fees in one currency, sometimes another or none
                    f.currency = match next(8) {
                        0 => Some("GBP".into()),
                        1 => None,
                        _ => f.currency,
                    };
                    f
                })
                .collect();
            let values = values_of(&facts, true);
            for (i, xs) in values.iter().enumerate() {
                for ys in &values[i + 1..] {
                    let near = first_disagreement_near(&xs.reads, ys).map(|(a, b)| [a.at, b.at]);
                    let all = first_disagreement(&xs.reads, &ys.reads).map(|(a, b)| [a.at, b.at]);
                    assert_eq!(near, all, "round {round}");
                    // values that cannot disagree have no disagreeing pair
                    assert!(xs.may_disagree(ys) || all.is_none(), "round {round}");
                    skipped += usize::from(!xs.may_disagree(ys));
                    found += usize::from(all.is_some());
                }
            }
        }
        assert!(skipped > 50 && found > 100, "too few of each kind of pair: {skipped} skipped, {found} found");
    }

    /// `current_club` facts: (article, day, club).
    fn clubs_named(said: &[(usize, u32, &str)]) -> Vec<FactRecord> {
        said.iter()
            .map(|&(article, day, club)| FactRecord {
                club: None,
                currency: None,
                value: club.into(),
                ..fact(article, day, "current_club", 0)
            })
            .collect()
    }

    /// (value, day) of each side of each contradiction.
    fn sides(facts: &[FactRecord]) -> Vec<[(String, String); 2]> {
        contradictions(facts).into_iter().map(|c| c.sides.map(|s| (s.value, s.published.unwrap_or_default()))).collect()
    }

    #[test]
    fn a_club_named_between_two_naming_another_disagrees() {
        // Atalanta on days 0 and 20, Roma on day 9 between them
        let facts = clubs_named(&[(1, 0, "Atalanta"), (2, 9, "Roma"), (3, 20, "Atalanta")]);
        let found = sides(&facts);
        assert_eq!(
            found,
            vec![[("Atalanta".into(), "2020-01-01".into()), ("Roma".into(), "2020-01-10".into())]],
            "{found:?}"
        );
        // the other way round: the club in the middle is the one the two others name
        let facts = clubs_named(&[(1, 0, "Roma"), (2, 9, "Atalanta"), (3, 20, "Roma")]);
        assert_eq!(sides(&facts).len(), 1);
    }

    #[test]
    fn a_move_is_not_a_current_club_contradiction() {
        // Atalanta until day 9, Roma from day 10: one switch, however close
        let facts = clubs_named(&[(1, 0, "Atalanta"), (2, 9, "Atalanta"), (3, 10, "Roma"), (4, 25, "Roma")]);
        assert!(sides(&facts).is_empty());
        // and a move there and back again further apart than the window
        let facts = clubs_named(&[(1, 0, "Atalanta"), (2, 20, "Roma"), (3, 20 + CURRENT_CLUB_DAYS as u32, "Atalanta")]);
        assert!(sides(&facts).is_empty());
    }

    #[test]
    fn facts_of_one_day_are_not_ordered() {
        // a transfer may fall between a morning and an evening article
        let facts = clubs_named(&[(1, 5, "Atalanta"), (2, 5, "Roma"), (3, 5, "Atalanta")]);
        assert!(sides(&facts).is_empty());
        let facts = clubs_named(&[(1, 0, "Atalanta"), (2, 5, "Roma"), (3, 5, "Atalanta")]);
        assert!(sides(&facts).is_empty());
    }
}
