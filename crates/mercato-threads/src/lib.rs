//! # mercato-threads: the *threads and scores* stage
//!
//! Folds stored links into rumour threads, one per (player, club) and episode, each with a
//! status and a provisional likelihood that shows its components; lists a player's
//! completed moves; and finds facts that disagree across articles. Pure functions of the
//! records and an `as_of` date: the same evidence always gives the same answer.
//!
//! ## The rules
//!
//! * A thread holds the `to`, `done` and `denied` claims of one (player, club). Claims more
//!   than [`EPISODE_GAP_DAYS`] apart start a new thread (the 2021 and the 2025 Juventus
//!   stories of one player are two threads). Undated articles join no thread.
//! * A **move** is a `done` claim (dated by its article) or a `past` claim (dated by its own
//!   time expression, "joined PSG in the summer of 2021", else only known to be before its
//!   article).
//! * Status, first match wins: `completed` (a dated move to the club from
//!   [`COMPLETION_LEAD_DAYS`] before the thread's first claim to [`COMPLETION_REACH_DAYS`]
//!   after its last, or an undated move told by a later article within that reach);
//!   `superseded` (a dated move to another club after the thread's last claim, within the
//!   same reach; a `past` link to a club he was reported leaving in the 18 months before
//!   tells where he came from and does not count);
//!   `denied` (the latest independent claim rules the move out); `stale` (no claim for
//!   [`STALE_DAYS`] before `as_of`, or before the latest stated publication date in the
//!   data when there is no `as_of`); `advanced` (a claim reached `agreement` or `medical`); else `open`.
//! * Copies (articles the store found to repeat another) are listed but never counted as
//!   independent reports.
//! * A **transfer record** (kind `record`, from `mercato transfers import`) is a move dated
//!   by its window, known only once the window has closed.
//! * The **likelihood** of a live or denied thread comes from the model in [`likelihood`]
//!   (stage, independent corroboration, sources, their credibility, denials, rival clubs,
//!   hedging, recency), with every term shown; `completed` is 1 and `superseded` 0. A
//!   thread with a single speculative report from no known source has "insufficient data"
//!   (its model estimate is still kept for forecasts).

pub mod contradictions;
pub mod likelihood;
pub mod scores;

pub use contradictions::{contradictions, disagreements, Contradiction, Disagreement, Side};
pub use likelihood::{Component, Evidence, Model};
pub use scores::{buzz, credibility, Buzz, SourceRecord};

use chrono::{Duration, NaiveDate};
use mercato_store::LinkRecord;
use serde::Serialize;

/// Claims of one (player, club) further apart than this start a new thread.
pub const EPISODE_GAP_DAYS: i64 = 270;
/// A thread with no claim for this long is stale.
pub const STALE_DAYS: i64 = 120;
/// A move completes a thread when it comes at most this long after the thread's last claim.
pub const COMPLETION_REACH_DAYS: i64 = 548;
/// ... or at most this long before its first claim (the move was being reported late).
pub const COMPLETION_LEAD_DAYS: i64 = 60;

const STAGE_RATES: &str = include_str!("../../../data/scores/stage_rates.tsv");

/// The historical rate of a stage (`data/scores/stage_rates.tsv`).
pub fn stage_rate(stage: &str) -> Option<f64> {
    static RATES: std::sync::OnceLock<std::collections::HashMap<&'static str, f64>> = std::sync::OnceLock::new();
    RATES.get_or_init(|| number_table(STAGE_RATES)).get(stage).copied()
}

/// The `key<TAB>number` rows of a compiled-in data file (`#` lines are comments; a row
/// whose number does not parse is left out, and the tests of each table catch it).
pub(crate) fn number_table(text: &'static str) -> std::collections::HashMap<&'static str, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(k, v)| Some((k, v.trim().parse().ok()?)))
        .collect()
}

const STAGES: [&str; 6] = ["speculation", "interest", "talks", "offer", "agreement", "medical"];

fn stage_rank(stage: &str) -> usize {
    STAGES.iter().position(|s| *s == stage).unwrap_or(0)
}

/// Where a thread stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Advanced,
    Open,
    Stale,
    Completed,
    Denied,
    Superseded,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Advanced => "advanced",
            Status::Completed => "completed",
            Status::Denied => "denied",
            Status::Stale => "stale",
            Status::Superseded => "superseded",
        }
    }

    /// Still in play.
    pub fn is_live(self) -> bool {
        matches!(self, Status::Open | Status::Advanced | Status::Stale)
    }
}

/// One claim of a thread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    pub article: String,
    pub date: NaiveDate,
    pub date_inferred: bool,
    pub copy_of: Option<String>,
    pub kind: String,
    pub stage: Option<String>,
    pub hedged: bool,
    /// Who the claim's sentence credits, else who its article credits.
    pub sources: Vec<String>,
    pub evidence: String,
}

/// A completed move of a player.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub player: String,
    pub club: String,
    /// When it happened, if the article says (`[first, last]` day).
    pub when: Option<[NaiveDate; 2]>,
    /// The article that tells it and its date: the move happened by then.
    pub article: String,
    pub told: NaiveDate,
    /// `done` (news) or `past` (history).
    pub kind: String,
    pub evidence: String,
}

impl Move {
    /// The best date of the move: its own time, else the article's.
    pub fn date(&self) -> NaiveDate {
        self.when.map_or(self.told, |[start, _]| start)
    }
}

/// A thread's likelihood: a number with its components, or the reason there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Likelihood {
    /// What mercato says; `None` when the evidence is too thin to say anything.
    pub value: Option<f64>,
    /// The model's number even when the evidence is thin (forecasts need one).
    pub estimate: f64,
    pub components: Vec<Component>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A rumour thread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thread {
    pub player: String,
    pub club: String,
    pub status: Status,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The furthest stage reached.
    pub stage: Option<String>,
    /// Articles that are not copies.
    pub independent_reports: usize,
    pub sources: Vec<String>,
    /// What resolved it (the move, or the player's move elsewhere).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<Move>,
    pub likelihood: Likelihood,
    /// What the likelihood was computed from.
    pub evidence: Evidence,
    /// Volume and velocity of independent reports up to `as_of` (or the latest stated
    /// date in the data).
    pub buzz: Buzz,
    pub claims: Vec<Claim>,
    /// Claims of the thread not listed in `claims` (a report from the summaries kept at
    /// ingest lists only the latest).
    #[serde(skip_serializing_if = "is_zero")]
    pub more_claims: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The key names of moves are matched on: accents and case folded ("Mbappé" is
/// "MBAPPE"), so a transfer record spelt otherwise than the articles still resolves their
/// threads.
fn name_key(name: &str) -> String {
    mercato_store::player_key(name)
}

/// The day a stored `YYYY-MM-DD` string names.
pub fn date(s: Option<&str>) -> Option<NaiveDate> {
    let s = s?.get(..10)?;
    // `YYYY-MM-DD` read by hand (every comparison of two facts reads two dates); anything
    // else as chrono reads it
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The completed moves among the links (any player).
pub fn moves(links: &[LinkRecord]) -> Vec<Move> {
    let mut out: Vec<Move> = links
        .iter()
        .filter(|l| l.kind == "done" || l.kind == "past")
        .filter_map(|l| {
            let told = date(l.published.as_deref())?;
            let when = l.when.as_ref().and_then(|[a, b]| Some([date(Some(a))?, date(Some(b))?]));
            // a past move's own time must be before its article
            let when = when.filter(|[a, _]| *a <= told);
            Some(Move {
                player: l.player.clone(),
                club: l.club.clone(),
                when: if l.kind == "done" { None } else { when },
                article: l.article.clone(),
                told,
                kind: l.kind.clone(),
                evidence: l.evidence.clone(),
            })
        })
        .collect();
    out.sort_by_key(|m| (m.date(), m.told));
    out
}

/// What scores a thread besides its own claims: the likelihood model, what is known of
/// the sources' records, and completed moves from transfer records.
#[derive(Debug, Clone, Copy)]
pub struct Scoring<'a> {
    pub model: &'a Model,
    /// Credibility of sources by lower-cased name (their record, else their tier prior),
    /// and of a source on one club under [`credibility_key`].
    pub credibility: &'a std::collections::HashMap<String, f64>,
    /// Completed moves known from transfer records (kind `record`); only those told by
    /// "now" are used.
    pub records: &'a [Move],
    /// Articles that state a fee for a player: (article id, lower-cased player). Only the
    /// articles of a thread's own claims are looked up, so a set holding later articles
    /// tells nothing about the future.
    pub priced: Option<&'a std::collections::HashSet<(String, String)>>,
}

impl Scoring<'static> {
    /// The shipped model, no source records, no transfer records.
    pub fn plain() -> Scoring<'static> {
        static EMPTY: std::sync::OnceLock<std::collections::HashMap<String, f64>> = std::sync::OnceLock::new();
        Scoring {
            model: Model::shipped(),
            credibility: EMPTY.get_or_init(Default::default),
            records: &[],
            priced: None,
        }
    }
}

/// Folds links into threads as of a date (`None`: everything stored; "now" is then the
/// latest stated date among the links).
pub fn threads(links: &[LinkRecord], as_of: Option<NaiveDate>) -> Vec<Thread> {
    threads_at(links, as_of, None)
}

/// As [`threads`], with "now" for staleness and buzz given apart from `as_of` (the
/// latest stated date of the whole store, so that every read judges by the same day).
pub fn threads_at(links: &[LinkRecord], as_of: Option<NaiveDate>, now: Option<NaiveDate>) -> Vec<Thread> {
    threads_scored(links, as_of, now, &Scoring::plain())
}

/// As [`threads_at`], scored with what is known of the sources and of completed transfers.
pub fn threads_scored(
    links: &[LinkRecord],
    as_of: Option<NaiveDate>,
    now: Option<NaiveDate>,
    scoring: &Scoring<'_>,
) -> Vec<Thread> {
    // each player's moves, oldest first, with the key of their club (keys are made once
    // here, not once per thread and move: a star player has thousands of each)
    let mut by_player: std::collections::HashMap<String, Vec<(String, Move)>> = std::collections::HashMap::new();
    for m in moves(links).into_iter().chain(scoring.records.iter().cloned()) {
        by_player.entry(name_key(&m.player)).or_default().push((name_key(&m.club), m));
    }
    for list in by_player.values_mut() {
        list.sort_by_key(|(_, m)| (m.date(), m.told));
    }
    // (player, club) -> the sorted days he was reported leaving it
    let mut leaving: Leaving = Leaving::default();
    for l in links.iter().filter(|l| l.kind == "from") {
        if let Some(d) = date(l.published.as_deref()) {
            leaving.entry((name_key(&l.player), name_key(&l.club))).or_default().push(d);
        }
    }
    for days in leaving.values_mut() {
        days.sort_unstable();
    }
    // each claim with its player's key: spellings that fold alike are one player (as the
    // store keys his evidence)
    let mut claims: Vec<(String, String, String, Claim)> = links
        .iter()
        .filter(|l| matches!(l.kind.as_str(), "to" | "done" | "denied"))
        .filter_map(|l| Some((name_key(&l.player), l.player.clone(), l.club.clone(), claim_of(l)?)))
        .filter(|(_, _, _, c)| as_of.is_none_or(|a| c.date <= a))
        .collect();
    claims.sort_by_cached_key(|(key, _, club, claim)| (key.clone(), club.to_lowercase(), claim.date));
    // "now": the as_of day, else the given day, else the latest stated (not inferred) date
    let now = as_of
        .or(now)
        .or_else(|| links.iter().filter(|l| !l.date_inferred).filter_map(|l| date(l.published.as_deref())).max());
    let mut out: Vec<Thread> = Vec::new();
    let mut current: Vec<Claim> = Vec::new();
    // the thread's player key, and its player and club as its first claim spells them
    let mut key: Option<(String, String, String)> = None;
    let flush = |key: &Option<(String, String, String)>, current: &mut Vec<Claim>, out: &mut Vec<Thread>| {
        if let (Some((player_key, player, club)), false) = (key, current.is_empty()) {
            let moves = by_player.get(player_key).map_or(&[][..], Vec::as_slice);
            let player = (player.as_str(), player_key.as_str());
            out.push(build(player, club, std::mem::take(current), moves, &leaving, (as_of, now)));
        }
    };
    for (player_key, player, club, claim) in claims {
        let same = key.as_ref().is_some_and(|(k, _, c)| *k == player_key && c.eq_ignore_ascii_case(&club));
        let gap = current.last().is_some_and(|last| (claim.date - last.date).num_days() > EPISODE_GAP_DAYS);
        if !same || gap {
            flush(&key, &mut current, &mut out);
            key = Some((player_key, player, club));
        }
        current.push(claim);
    }
    flush(&key, &mut current, &mut out);
    finish(out, scoring)
}

/// Scores threads (all of the same players: rivals are read from them) and puts them in
/// report order: live first, most likely first.
pub fn finish(mut out: Vec<Thread>, scoring: &Scoring<'_>) -> Vec<Thread> {
    score(&mut out, scoring);
    // live threads first, most likely first
    out.sort_by(|a, b| {
        (!a.status.is_live(), std::cmp::Reverse(a.likelihood.value.map(|v| (v * 1e6) as i64)), b.last).cmp(&(
            !b.status.is_live(),
            std::cmp::Reverse(b.likelihood.value.map(|v| (v * 1e6) as i64)),
            a.last,
        ))
    });
    out
}

/// The days each (player, club), lower-cased, was reported leaving, sorted.
type Leaving = std::collections::HashMap<(String, String), Vec<NaiveDate>>;

/// Whether the player was reported leaving `club` (a `from` claim) in the 18 months before
/// `date`: a `past` link to that club then tells where he came from, not a new move.
fn was_leaving(leaving: &Leaving, player_key: &str, club_key: &str, date: NaiveDate) -> bool {
    // looked up without building a key pair per call
    let Some(days) = leaving.get(&(player_key.to_string(), club_key.to_string())) else { return false };
    // the latest report on or before `date`
    let k = days.partition_point(|d| *d <= date);
    k > 0 && (date - days[k - 1]).num_days() <= COMPLETION_REACH_DAYS
}

/// One thread of `player` (its name and key) and `club` from its claims; `moves` are the
/// player's moves with their clubs' keys.
fn build(
    (player, player_key): (&str, &str),
    club: &str,
    claims: Vec<Claim>,
    moves: &[(String, Move)],
    leaving: &Leaving,
    (as_of, now): (Option<NaiveDate>, Option<NaiveDate>),
) -> Thread {
    let first = claims.first().map_or(NaiveDate::MIN, |c| c.date);
    let last = claims.last().map_or(NaiveDate::MIN, |c| c.date);
    // what was known by `as_of`; without one, every stored move is known (even one told
    // by an article whose inferred date is later than the latest stated one)
    let visible = |m: &&Move| as_of.is_none_or(|a| m.told <= a);
    // only a move with a date of its own (news of it, or history that dates it) can be
    // placed against the thread
    let dated = |m: &&Move| m.kind != "past" || m.when.is_some();
    let in_reach = |m: &Move| {
        let d = m.date();
        d >= first - Duration::days(COMPLETION_LEAD_DAYS) && d <= last + Duration::days(COMPLETION_REACH_DAYS)
    };
    let club_key = name_key(club);
    // the moves are the player's own (`moves` is keyed by his name)
    let arrival = |(key, m): &&(String, Move)| m.kind != "past" || !was_leaving(leaving, player_key, key, m.date());
    let completed = moves.iter().filter(|(key, m)| visible(&m) && *key == club_key).map(|(_, m)| m).find(|m| {
        // dated and in reach, or history told after the thread ("he joined X") without a date
        dated(m) && in_reach(m)
            || m.when.is_none()
                && m.kind == "past"
                && m.told > last
                && m.told <= last + Duration::days(COMPLETION_REACH_DAYS)
    });
    let elsewhere = moves
        .iter()
        .filter(|(_, m)| visible(&m) && dated(&m))
        .filter(arrival)
        .find(|(key, m)| *key != club_key && m.date() > last && in_reach(m))
        .map(|(_, m)| m);
    let independent: Vec<&Claim> = claims.iter().filter(|c| c.copy_of.is_none()).collect();
    let mut articles: Vec<&str> = independent.iter().map(|c| c.article.as_str()).collect();
    articles.sort_unstable();
    articles.dedup();
    let mut sources: Vec<String> = claims.iter().flat_map(|c| c.sources.iter().cloned()).collect();
    sources.sort();
    sources.dedup();
    let stage = claims.iter().filter_map(|c| c.stage.as_deref()).max_by_key(|s| stage_rank(s)).map(str::to_string);
    let latest_denied = independent.last().is_some_and(|c| c.kind == "denied");
    let silent_days = now.map_or(0, |n| (n - last).num_days());
    let done_here = claims.iter().any(|c| c.kind == "done");
    let (status, resolved_by) =
        status_of(completed.cloned(), done_here, elsewhere.cloned(), latest_denied, silent_days, stage.as_deref());
    let denials = independent.iter().filter(|c| c.kind == "denied").count();
    let hedged = claims.iter().filter(|c| c.hedged).count() as f64 / claims.len().max(1) as f64;
    let evidence = Evidence {
        stage: stage.clone().unwrap_or_else(|| "speculation".to_string()),
        reports: articles.len(),
        sources: sources.len(),
        credibility: None,
        denials,
        rivals: 0,
        fee_stated: false,
        hedged,
        silent_days: silent_days.max(0),
    };
    let report_days: Vec<NaiveDate> = independent.iter().map(|c| c.date).collect();
    let buzz = buzz(&report_days, now.unwrap_or(last));
    Thread {
        player: player.to_string(),
        club: club.to_string(),
        status,
        first,
        last,
        stage,
        independent_reports: articles.len(),
        sources,
        resolved_by,
        likelihood: Likelihood { value: None, estimate: 0.0, components: Vec::new(), note: None },
        evidence,
        buzz,
        claims,
        more_claims: 0,
    }
}

/// A thread's status and the move that resolved it, by the rules of [`threads`]: a move to
/// the club completes it (as does a `done` claim), a later move elsewhere supersedes it,
/// a latest independent denial denies it, silence beyond [`STALE_DAYS`] makes it stale,
/// agreement or a later stage advances it; otherwise it is open.
fn status_of(
    completed: Option<Move>,
    done: bool,
    elsewhere: Option<Move>,
    latest_denied: bool,
    silent_days: i64,
    stage: Option<&str>,
) -> (Status, Option<Move>) {
    if let Some(m) = completed {
        (Status::Completed, Some(m))
    } else if done {
        (Status::Completed, None)
    } else if let Some(m) = elsewhere {
        (Status::Superseded, Some(m))
    } else if latest_denied {
        (Status::Denied, None)
    } else if silent_days > STALE_DAYS {
        (Status::Stale, None)
    } else if stage.is_some_and(|s| stage_rank(s) >= stage_rank("agreement")) {
        (Status::Advanced, None)
    } else {
        (Status::Open, None)
    }
}

/// A thread from its summary kept at ingest, with the player's first move to its club in
/// reach (`completed`: dated from [`COMPLETION_LEAD_DAYS`] before its first claim to
/// [`COMPLETION_REACH_DAYS`] after its last, or undated and told after its last claim) and
/// his first dated move elsewhere after its last claim (`elsewhere`), as the store finds
/// them (see [`summary_reach`]). Everything else follows the rules of [`threads`]. The
/// thread lists no claim (`more_claims` counts them: the caller reads the latest from the
/// summary's rows, see [`claim_of`]). `None` when the summary's days do not parse.
pub fn thread_from_summary(
    s: &mercato_store::ThreadSummary,
    completed: Option<Move>,
    elsewhere: Option<Move>,
    now: Option<NaiveDate>,
) -> Option<Thread> {
    let (first, last) = (date(Some(&s.first))?, date(Some(&s.last))?);
    let stage = s.stages.iter().max_by_key(|st| stage_rank(st)).cloned();
    let latest_denied = s.last_independent.as_ref().is_some_and(|(_, kind)| kind == "denied");
    let silent_days = now.map_or(0, |n| (n - last).num_days());
    let (status, resolved_by) = status_of(completed, s.done, elsewhere, latest_denied, silent_days, stage.as_deref());
    let reports = usize::try_from(s.independent).unwrap_or(usize::MAX);
    let evidence = Evidence {
        stage: stage.clone().unwrap_or_else(|| "speculation".to_string()),
        reports,
        sources: s.sources.len(),
        credibility: None,
        denials: usize::try_from(s.denials).unwrap_or(usize::MAX),
        rivals: 0,
        fee_stated: s.fee_stated,
        hedged: s.hedged as f64 / s.claims.max(1) as f64,
        silent_days: silent_days.max(0),
    };
    let report_days: Vec<NaiveDate> = s
        .buzz_days
        .iter()
        .filter_map(|(d, n)| Some((date(Some(d))?, *n)))
        .flat_map(|(d, n)| std::iter::repeat_n(d, n as usize))
        .collect();
    let buzz = buzz(&report_days, now.unwrap_or(last));
    Some(Thread {
        player: s.player.clone(),
        club: s.club.clone(),
        status,
        first,
        last,
        stage,
        independent_reports: reports,
        sources: s.sources.clone(),
        resolved_by,
        likelihood: Likelihood { value: None, estimate: 0.0, components: Vec::new(), note: None },
        evidence,
        buzz,
        more_claims: s.claims,
        claims: Vec::new(),
    })
}

/// A link as a claim of a thread (`None` when its article has no date).
pub fn claim_of(l: &LinkRecord) -> Option<Claim> {
    Some(Claim {
        article: l.article.clone(),
        date: date(l.published.as_deref())?,
        date_inferred: l.date_inferred,
        copy_of: l.copy_of.clone(),
        kind: l.kind.clone(),
        stage: l.stage.clone(),
        hedged: l.hedged,
        sources: if l.sources.is_empty() { l.article_sources.clone() } else { l.sources.clone() },
        evidence: l.evidence.clone(),
    })
}

/// The days a summary's thread looks for moves in: `[first - lead, last + reach]` for a
/// move to its club, `(last, last + reach]` for one elsewhere (as `YYYY-MM-DD`).
pub fn summary_reach(s: &mercato_store::ThreadSummary) -> Option<((String, String), (String, String))> {
    let (first, last) = (date(Some(&s.first))?, date(Some(&s.last))?);
    let lead = first - Duration::days(COMPLETION_LEAD_DAYS);
    let reach = last + Duration::days(COMPLETION_REACH_DAYS);
    Some(((lead.to_string(), reach.to_string()), (last.to_string(), reach.to_string())))
}

/// Whether a move (from a transfer record) completes a thread of `club` spanning
/// `[first, last]` by the rules of [`threads`].
pub fn completes(m: &Move, club: &str, first: NaiveDate, last: NaiveDate) -> bool {
    let d = m.date();
    let in_reach =
        d >= first - Duration::days(COMPLETION_LEAD_DAYS) && d <= last + Duration::days(COMPLETION_REACH_DAYS);
    let dated = m.kind != "past" || m.when.is_some();
    name_key(&m.club) == name_key(club)
        && (dated && in_reach
            || m.when.is_none()
                && m.kind == "past"
                && m.told > last
                && m.told <= last + Duration::days(COMPLETION_REACH_DAYS))
}

/// Whether a move (from a transfer record, never `past`) supersedes a thread of `club`
/// whose last claim was on `last`.
pub fn supersedes(m: &Move, club: &str, last: NaiveDate) -> bool {
    let d = m.date();
    let dated = m.kind != "past" || m.when.is_some();
    dated
        && m.kind != "past"
        && name_key(&m.club) != name_key(club)
        && d > last
        && d <= last + Duration::days(COMPLETION_REACH_DAYS)
}

/// The key of a source's credibility on one club in [`Scoring::credibility`] (both
/// lower-cased).
pub fn credibility_key(source: &str, club: &str) -> String {
    format!("{source}|{club}")
}

/// The credibility map of [`Scoring`] from source records: each source, and each source ×
/// club pair with enough resolved threads.
pub fn credibility_map(records: &[SourceRecord]) -> std::collections::HashMap<String, f64> {
    let mut map = std::collections::HashMap::new();
    for r in records {
        let source = r.source.to_lowercase();
        for c in &r.by_club {
            map.insert(credibility_key(&source, &c.club.to_lowercase()), c.credibility);
        }
        map.insert(source, r.credibility);
    }
    map
}

/// How far back other clubs count as rivals of a thread.
const RIVAL_DAYS: i64 = 90;

/// Fills in every thread's likelihood (rivals need the player's other threads).
fn score(threads: &mut [Thread], scoring: &Scoring<'_>) {
    // each player's threads: (club, first, last)
    let mut spans: std::collections::HashMap<String, Vec<(String, NaiveDate, NaiveDate)>> =
        std::collections::HashMap::new();
    for t in threads.iter() {
        spans.entry(name_key(&t.player)).or_default().push((t.club.to_lowercase(), t.first, t.last));
    }
    for t in threads.iter_mut() {
        let (player, club) = (name_key(&t.player), t.club.to_lowercase());
        let mut rivals: Vec<&str> = spans
            .get(&player)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|(c, first, last)| *c != club && *first <= t.last && (t.last - *last).num_days() <= RIVAL_DAYS)
            .map(|(c, _, _)| c.as_str())
            .collect();
        rivals.sort_unstable();
        rivals.dedup();
        t.evidence.rivals = rivals.len();
        // without the articles that state a fee, what the thread was built with stands (a
        // summary knows it)
        if let Some(priced) = scoring.priced {
            t.evidence.fee_stated = t
                .claims
                .iter()
                .filter(|c| c.copy_of.is_none())
                .any(|c| priced.contains(&(c.article.clone(), player.clone())));
        }
        // a source's record on this club when it has one, else its whole record
        t.evidence.credibility = t
            .sources
            .iter()
            .filter_map(|s| {
                let s = s.to_lowercase();
                scoring.credibility.get(&credibility_key(&s, &club)).or_else(|| scoring.credibility.get(&s)).copied()
            })
            .max_by(f64::total_cmp);
        t.likelihood = likelihood(t.status, &t.evidence, scoring.model);
    }
}

fn likelihood(status: Status, evidence: &Evidence, model: &Model) -> Likelihood {
    match status {
        Status::Completed => {
            let components = vec![Component::new("completed", 1.0, None)];
            return Likelihood { value: Some(1.0), estimate: 1.0, components, note: None };
        }
        Status::Superseded => {
            let components = vec![Component::new("superseded", 0.0, None)];
            return Likelihood { value: Some(0.0), estimate: 0.0, components, note: None };
        }
        _ => {}
    }
    let (estimate, components) = model.predict(evidence);
    let thin = evidence.reports <= 1 && evidence.stage == "speculation" && evidence.credibility.is_none();
    let note = thin.then(|| "insufficient data: one speculative report from no known source".to_string());
    Likelihood { value: (!thin).then_some(estimate), estimate, components, note }
}
