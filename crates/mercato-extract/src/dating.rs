//! Clues to the publication date of an undated article, for [`mercato_time::infer`].
//!
//! * A player's stated age with his KB birth date: "the 39-year-old", born 1986-03-30,
//!   means published between 2025-03-30 and 2026-03-29. Of several ages stated for one
//!   player the highest is his age now; an age told as then ("joined as a 17-year-old",
//!   "aged 24 at the time": `data/lexicon/en/age_then.tsv`) does not count. A name several
//!   KB players share is read as the namesake whose KB club the article names
//!   ([`kb_player`]), else gives no clue.
//! * A full date that does not look forward ("on 1 February 2021"): news is published
//!   within [`DAY_REACH`] days of what it reports (either side: "on 1 July" may be a
//!   coming date). A weekday with a date but no year ("Friday, January 2") is news of one
//!   of the years whose calendar fits (`weekday_dates`).
//! * Every dated expression that does not look forward ("joined in 2021", "the 2023/24
//!   season"): published at most a year before it began ("in 2026" may be ahead), and,
//!   when no age or KB move places the article, the latest of them is recent, within
//!   [`RECENT_MONTHS`] of its end.
//! * Dated expressions that look forward ("until June 2026", "ahead of the 2026 World
//!   Cup"): published before they end. Relative expressions ("next summer") give nothing.
//!
//! * The players' completed moves in the KB ([`Kb::moves`], from `transfers.tsv`), read
//!   against the article's links ([`move_constraints`]): a move told as done is published
//!   from [`DONE_BEFORE`] months before its window to [`DONE_AFTER`] months after it; a
//!   rumoured move that did happen, from [`TO_BEFORE`] months before to [`TO_AFTER`] after
//!   (only the player's latest such move counts: the others are history, and a move after
//!   the records is later than any they have); the club a player is leaving is his club
//!   at the time, so the article falls within his stay there (from a month before he
//!   joined to [`STAY_AFTER`] months after he left; a loan out, or a loan made permanent,
//!   ends no stay; a stay still open when the records end is over by the day the KB has
//!   him at another club, else says nothing; a stay he ended before a move of his the
//!   article tells is history); a move told as done (or rumoured)
//!   that the records lack, to the club the KB has the player at later (`current_club` as
//!   of its `source_date`), was made between the records' end and that day.
//!
//! Tried and left out (the README's Time section lists each with its measured effect):
//! `past` links matched to moves, open stays as lower bounds, moves after the records as
//! lower bounds, other reaches for the recent-date guess, retrospectives ("on this day in
//! 2014") read apart, one-word KB names read from longer names.
//!
//! Weights and reaches were set by measuring on the dated articles of the shared corpora
//! with their dates hidden (`mercato extract --hide-dates`); the README gives the numbers.

use crate::doc::Doc;
use crate::facts::Age;
use crate::model::LinkKind;
use crate::recognise::{MentionKind, Recognised};
use chrono::{Datelike, Months, NaiveDate};
use mercato_kb::{Kb, Move};
use mercato_text::fold::fold_str;
use mercato_time::{add_days, add_years, open_end, open_start, Constraint, Grain, Interval, Tense, TimeExpr, When};

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

/// A done move is published from this many months before its window opens...
pub const DONE_BEFORE: u32 = 6;
/// ... to this many months after it closes.
pub const DONE_AFTER: u32 = 4;
/// A rumoured move that happened is published from this many months before its window
/// (long sagas: on the shared corpora the earliest such rumour came 14.4 months ahead)...
pub const TO_BEFORE: u32 = 15;
/// ... to this many months after it closes.
pub const TO_AFTER: u32 = 1;
/// A player's stay at the club he is leaving reaches this many months past the window he
/// left in (the news of the move comes after it).
pub const STAY_AFTER: u32 = 3;
/// A rumoured move made after the records end is published from this many months before
/// their end (rumours run ahead of moves).
pub const TO_BEFORE_RECORDS: u32 = 12;
/// Weight of a done move.
const DONE_WEIGHT: f64 = 2.0;

/// The KB player a person of the article is, for dating: his KB reading, or, when several
/// KB players share that name (homonyms: "Bruno Fernandes" born 1974, 1978 and 1994), the
/// one of them whose club, as the KB last saw him, the article names; none when that does
/// not settle it (a namesake's birth date or moves would date the article wrongly).
pub fn kb_player(rec: &Recognised, kb: &Kb, person: usize) -> Option<usize> {
    let player = rec.persons.get(person)?.kb_player?;
    let namesakes = kb.namesakes(player);
    if namesakes.len() <= 1 {
        return Some(player);
    }
    let named = |k: &usize| {
        kb.players
            .get(*k)
            .and_then(|p| kb.club_named(&p.current_club))
            .is_some_and(|club| rec.mentions.iter().any(|m| m.kind == MentionKind::Club(club)))
    };
    let mut at_named = namesakes.iter().filter(|k| named(k));
    match (at_named.next(), at_named.next()) {
        (Some(&k), None) => Some(k),
        _ => None,
    }
}

/// Age from which a KB player the KB has long stopped seeing is taken to have retired.
pub const RETIRED_AGE: i32 = 36;
/// Years without a KB record (squad or move) after which such a player has retired.
pub const RETIRED_AFTER_YEARS: i32 = 4;

/// Whether a person of the article is a KB player past playing age at `today` whom the
/// KB last saw play (squad listing or completed move) at least [`RETIRED_AFTER_YEARS`]
/// before: a former player, now a coach, pundit or executive.
pub fn retired(rec: &Recognised, kb: &Kb, person: usize, today: NaiveDate) -> bool {
    let Some(player) = kb_player(rec, kb, person) else { return false };
    let Some(record) = kb.players.get(player) else { return false };
    // (the age first: most players are younger, and the name test folds three names)
    let Some(born) = record.birth_date else { return false };
    if today.year() - born.year() < RETIRED_AGE {
        return false;
    }
    // the article's name must be the record's, not a part of it (a mononym "Cardoso"
    // read into "Johnny Cardoso")
    let name = fold_str(&rec.persons[person].name);
    if name != fold_str(&record.name) && name != fold_str(&record.full_name) {
        return false;
    }
    let seen = record.source_date.map_or(i32::MIN, |d| d.year());
    let moved = kb.moves(player).iter().map(|m| m.year).max().unwrap_or(i32::MIN);
    today.year() - seen.max(moved) >= RETIRED_AFTER_YEARS
}

/// The clues of the KB's moves ([`move_constraints`]).
#[derive(Debug, Default)]
pub struct KbClues {
    /// Moves told as done or rumoured (recorded, or made after the records).
    pub moves: Vec<Constraint>,
    /// Stays at the club a player is leaving.
    pub stays: Vec<Constraint>,
}

impl KbClues {
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty() && self.stays.is_empty()
    }
}

/// The days of a move's transfer window.
fn window_days(m: &Move) -> Option<Interval> {
    m.days().map(|(a, b)| Interval::new(a, b))
}

/// Clues from the players' completed moves in the KB, for the article's links
/// (`(person, club, kind)`, person an index of `rec.persons`, club of `kb.clubs`).
pub fn move_constraints(rec: &Recognised, kb: &Kb, links: &[(usize, usize, LinkKind)]) -> KbClues {
    let mut out = KbClues::default();
    // the one move of the player to the club (loan returns aside); none when ambiguous
    let move_to = |moves: &[Move], club: usize| {
        let mut found = moves.iter().filter(|m| m.to == Some(club) && !m.loan_return);
        match (found.next(), found.next()) {
            (Some(m), None) => window_days(m),
            _ => None,
        }
    };
    for (k, &(person, club, kind)) in links.iter().enumerate() {
        if links[..k].contains(&(person, club, kind)) {
            continue;
        }
        let Some(player) = kb_player(rec, kb, person) else { continue };
        let moves = kb.moves(player);
        let moves = moves.as_slice();
        if moves.is_empty() {
            continue;
        }
        let name = &rec.persons[person].name;
        let club_name = &kb.clubs[club].name;
        match kind {
            LinkKind::Done | LinkKind::To => {
                let Some(window) = move_to(moves, club) else {
                    // a move after the records, made before the KB saw him at the club
                    let before = if kind == LinkKind::Done { DONE_BEFORE } else { TO_BEFORE_RECORDS };
                    out.moves.extend(after_the_records(kb, player, club, moves, before, name, club_name));
                    continue;
                };
                // only the player's latest move among his done and rumoured ones; one the
                // records lack, made after them, is later than any they have
                let later = links.iter().any(|&(p, c, kd)| {
                    p == person
                        && matches!(kd, LinkKind::Done | LinkKind::To)
                        && match move_to(moves, c) {
                            Some(w) => w.start > window.start,
                            None => {
                                after_the_records(kb, player, c, moves, DONE_BEFORE, name, &kb.clubs[c].name).is_some()
                            }
                        }
                });
                if later {
                    continue;
                }
                let (before, after, weight) = if kind == LinkKind::Done {
                    (DONE_BEFORE, DONE_AFTER, DONE_WEIGHT)
                } else {
                    (TO_BEFORE, TO_AFTER, 1.0)
                };
                let (Some(a), Some(b)) = (
                    window.start.checked_sub_months(Months::new(before)),
                    window.end.checked_add_months(Months::new(after)),
                ) else {
                    continue;
                };
                out.moves.push(Constraint {
                    range: Interval::new(a, b),
                    weight,
                    why: format!(
                        "{name} moved to {club_name} ({} {})",
                        window.start.format("%B"),
                        window.start.format("%Y")
                    ),
                });
            }
            LinkKind::From => {
                // his stays at the club: from each arrival to the next departure
                let mut events: Vec<(NaiveDate, bool)> = Vec::new();
                for m in moves {
                    let Some(w) = window_days(m) else { continue };
                    if m.to == Some(club) {
                        events.push((w.start, true));
                    }
                    // the end of a loan there followed, in the same window, by a move back
                    // (a loan made permanent) is no departure
                    let back = m.loan_return
                        && moves
                            .iter()
                            .any(|n| n.to == Some(club) && !n.loan_return && n.window == m.window && n.year == m.year);
                    // nor is a loan out: he is still the club's player
                    if m.from == Some(club) && !back && !m.loan {
                        events.push((w.end, false));
                    }
                }
                events.sort();
                let mut stays = Vec::new();
                let mut since = None;
                for (day, arrives) in events {
                    match (arrives, since) {
                        (true, None) => since = Some(day),
                        (false, Some(from)) => {
                            stays.push(Interval::new(from, day));
                            since = None;
                        }
                        _ => {}
                    }
                }
                // a stay still open when the records end, at a club the KB has him away
                // from later: over by then
                if let ([], Some(from)) = (stays.as_slice(), since) {
                    let p = &kb.players[player];
                    let later = p.source_date.filter(|d| kb.moves_end().is_some_and(|end| *d > end));
                    if let Some(seen) =
                        later.filter(|_| !p.current_club.is_empty() && fold_str(&p.current_club) != fold_str(club_name))
                    {
                        stays.push(Interval::new(from, seen));
                        since = None;
                    }
                }
                // one stay, and over: a stay still open says nothing
                let ([stay], None) = (stays.as_slice(), since) else { continue };
                // a stay he ended before a move of his that the article tells (a later
                // window, or one after the records) is history, not his club at the time
                let moved_on = links.iter().any(|&(p, c, kd)| {
                    p == person
                        && c != club
                        && matches!(kd, LinkKind::Done | LinkKind::To)
                        && match move_to(moves, c) {
                            Some(w) => w.start > stay.end,
                            None => after_the_records(kb, player, c, moves, DONE_BEFORE, name, &kb.clubs[c].name)
                                .is_some_and(|_| kb.moves_end().is_some_and(|end| end > stay.end)),
                        }
                });
                if moved_on {
                    continue;
                }
                let (Some(a), Some(b)) = (
                    stay.start.checked_sub_months(Months::new(1)),
                    stay.end.checked_add_months(Months::new(STAY_AFTER)),
                ) else {
                    continue;
                };
                out.stays.push(Constraint {
                    range: Interval::new(a, b),
                    weight: 1.0,
                    why: format!("{name} at {club_name} ({} to {})", stay.start, stay.end),
                });
            }
            _ => {}
        }
    }
    out
}

/// A move told as done (or rumoured) that the KB's records do not have, of a player they
/// know, to the club the KB had him at later (`current_club` as of `source_date`): it was
/// made after the records end and before that day, so the article is from `before` months
/// before the later of the records' end and his last recorded window to [`DONE_AFTER`]
/// months after the KB's day.
fn after_the_records(
    kb: &Kb,
    player: usize,
    club: usize,
    moves: &[Move],
    before: u32,
    name: &str,
    club_name: &str,
) -> Option<Constraint> {
    let p = kb.players.get(player)?;
    let seen = p.source_date?;
    let end = kb.moves_end()?;
    if seen <= end || fold_str(&p.current_club) != fold_str(club_name) || moves.iter().any(|m| m.to == Some(club)) {
        return None;
    }
    let last = moves.iter().filter_map(window_days).map(|w| w.end).max()?.max(end);
    let from = last.checked_sub_months(Months::new(before))?;
    let to = seen.checked_add_months(Months::new(DONE_AFTER))?;
    Some(Constraint {
        range: Interval::new(from, to),
        weight: 1.0,
        why: format!("{name} moved to {club_name} after the records ({end}), before {seen}"),
    })
}

/// Cues that an age is one the player had earlier (`data/lexicon/en/age_then.tsv`).
const EN_AGE_THEN: &str = include_str!("../../../data/lexicon/en/age_then.tsv");

/// Where an [`EN_AGE_THEN`] cue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ThenAt {
    /// Right before the age: "as a 17-year-old".
    Before,
    /// Anywhere in its sentence: "aged 19 at the time".
    Sentence,
}

/// The rows of [`EN_AGE_THEN`]: lower-case phrase and where it stands (a row with another
/// place is skipped; `age_then_rows_are_well_formed` rejects such rows). Read from the
/// file once per process, not per age.
fn age_then_cues() -> impl Iterator<Item = (&'static str, Option<ThenAt>)> {
    static CUES: std::sync::OnceLock<Vec<(&'static str, Option<ThenAt>)>> = std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        EN_AGE_THEN
            .lines()
            .skip_while(|l| l.starts_with('#'))
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let (phrase, at) = l.split_once('\t').unwrap_or((l, ""));
                let at = match at.trim() {
                    "before" => Some(ThenAt::Before),
                    "sentence" => Some(ThenAt::Sentence),
                    _ => None,
                };
                (phrase.trim(), at)
            })
            .collect()
    })
    .iter()
    .copied()
}

/// Whether `text` (lower case) has `phrase` as whole words.
fn has_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[at + phrase.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// Whether an age is told as the player's age at an earlier time ("joined as a
/// 17-year-old", "aged 19 at the time"): such an age does not date the article.
pub fn age_is_then(doc: &Doc<'_>, age: &Age) -> bool {
    let Some(sentence) = doc.sentences.get(age.sentence) else { return false };
    let before = doc.masked.get(sentence.start..age.span.start).unwrap_or("").to_lowercase();
    let whole = doc.masked.get(sentence.start..sentence.end).unwrap_or("").to_lowercase();
    let before = before.trim_end().trim_end_matches(|c: char| !c.is_alphanumeric()).trim_end();
    age_then_cues().any(|(phrase, at)| match at {
        Some(ThenAt::Before) => before
            .strip_suffix(phrase)
            .is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !c.is_alphanumeric())),
        Some(ThenAt::Sentence) => has_words(&whole, phrase),
        None => false,
    })
}

/// A weekday with a day and month but no year ("Friday, January 2", "Monday 14 August"):
/// that day falls on that weekday only in some years (the calendar repeats every 5, 6 or 11
/// years), so the article is news of one of them: each such day, [`DAY_REACH`] days either
/// side, weight [`DAY_WEIGHT`] (the candidates are far apart, so at most one counts). The
/// candidates are the years the article's dated expressions and its age clues (`placed`)
/// make possible (from a year before the earliest to two after the latest, as for
/// undirected expressions); an article with neither gets none.
fn weekday_dates(doc: &Doc<'_>, times: &[TimeExpr], placed: &[Constraint]) -> Vec<Constraint> {
    let mut out = Vec::new();
    let named = times.iter().filter(|t| !t.relative).filter_map(|t| t.value).chain(placed.iter().map(|c| c.range));
    let (Some(first), Some(last)) = (named.clone().map(|v| v.start.year()).min(), named.map(|v| v.end.year()).max())
    else {
        return out;
    };
    let years = first - 1..=last + 2;
    for pair in times.windows(2) {
        let [day_name, date] = pair else { continue };
        let (When::Weekday { weekday, rel: None }, When::MonthDay { month, day }) = (&day_name.when, &date.when) else {
            continue;
        };
        // nothing but a comma or "the" between them ("Friday, the 2nd of January")
        let between = doc.masked.get(day_name.end..date.start).unwrap_or("x");
        let between = between.trim_matches(|c: char| c == ',' || c.is_whitespace());
        if !(between.is_empty() || between.eq_ignore_ascii_case("the")) {
            continue;
        }
        for year in years.clone() {
            let Some(d) = NaiveDate::from_ymd_opt(year, *month, *day) else { continue };
            if d.weekday().number_from_monday() != *weekday {
                continue;
            }
            let (Some(a), Some(b)) = (add_days(d, -DAY_REACH), add_days(d, DAY_REACH)) else { continue };
            out.push(Constraint {
                range: Interval::new(a, b),
                weight: DAY_WEIGHT,
                why: format!("\"{} {}\" may be {d}", day_name.text, date.text),
            });
        }
    }
    out
}

/// The clues of one article.
pub fn constraints(doc: &Doc<'_>, rec: &Recognised, kb: &Kb, ages: &[Age], times: &[TimeExpr]) -> Vec<Constraint> {
    let mut out = Vec::new();
    // the highest age stated per player, of those told as his age now
    let mut oldest: Vec<&Age> = Vec::new();
    for age in ages.iter().filter(|a| !age_is_then(doc, a)) {
        match oldest.iter_mut().find(|a| a.person == age.person) {
            Some(known) if known.age < age.age => *known = age,
            Some(_) => {}
            None => oldest.push(age),
        }
    }
    let mut aged = false;
    for age in oldest {
        let person = &rec.persons[age.person];
        let Some(born) = kb_player(rec, kb, age.person).and_then(|k| kb.players.get(k)).and_then(|p| p.birth_date)
        else {
            continue;
        };
        let years = i32::from(age.age);
        let (Some(start), Some(next)) = (add_years(born, years), add_years(born, years + 1)) else { continue };
        let Some(end) = next.pred_opt() else { continue };
        out.push(Constraint {
            range: Interval::new(start, end),
            weight: AGE_WEIGHT,
            why: format!("{} aged {} (born {born})", person.name, age.age),
        });
        aged = true;
    }
    let weekdays = weekday_dates(doc, times, &out);
    out.extend(weekdays);
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
    // a guess, for when nothing places the article itself: an age does
    if let Some(v) = latest.filter(|_| !aged) {
        if let Some(end) = v.end.checked_add_months(Months::new(RECENT_MONTHS)) {
            out.push(Constraint { range: Interval::new(open_start(), end), weight: 1.0, why: RECENT_WHY.into() });
        }
    }
    out
}

/// Why the latest-date-named clue is there.
const RECENT_WHY: &str = "the latest date named is recent";

/// The text's clues with the KB's ([`move_constraints`]): a move of the KB places the
/// article itself, so the guess that the latest date named is recent goes.
pub fn with_kb_clues(clues: &mut Vec<Constraint>, kb_clues: KbClues) {
    if !kb_clues.moves.is_empty() {
        clues.retain(|c| c.why != RECENT_WHY);
    }
    clues.extend(kb_clues.moves);
    clues.extend(kb_clues.stays);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_then_rows_are_well_formed() {
        let rows: Vec<_> = age_then_cues().collect();
        assert!(rows.len() >= 5);
        for (phrase, at) in rows {
            assert!(at.is_some(), "age_then.tsv: {phrase:?} has no known place (before or sentence)");
            assert!(!phrase.is_empty() && phrase.to_lowercase() == phrase, "age_then.tsv: {phrase:?}");
        }
    }

    #[test]
    fn whole_words_only() {
        // (text, phrase, found)
        let cases = [
            ("aged 19 at the time", "at the time", true),
            ("at the timeline", "at the time", false),
            ("back then, aged 19", "back then", true),
            ("whatever", "at the time", false),
        ];
        for (text, phrase, want) in cases {
            assert_eq!(has_words(text, phrase), want, "{text:?} / {phrase:?}");
        }
    }
}
