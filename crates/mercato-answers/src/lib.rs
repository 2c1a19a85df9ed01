//! # mercato-answers: what readers ask the store
//!
//! The reports behind `mercato player`, `club`, `rumours`, `sources` and `contradictions`,
//! and behind the HTTP API and the web page: each a function of a [`Store`] and a [`Read`]
//! (the `as_of` day). Threads are scored with the shipped likelihood model, the sources'
//! credibility as of that day (computed once over every thread of the store and kept in
//! the store's derived cache until the next write) and the completed transfers known by
//! then. The caller formats the answer.

use mercato_forecast::transfers;
use mercato_store::{player_key, FactRecord, LinkRecord, MoveHit, NameKind, Query, Store, StoreError};
use mercato_threads::scores::{count, outcomes, records, summary_outcomes, Tally};
use mercato_threads::{
    claim_of, completes, contradictions as find_contradictions, credibility, credibility_map, date as day,
    disagreements, finish, moves, summary_reach, supersedes, thread_from_summary, threads_scored, Contradiction,
    Disagreement, Model, Move, Scoring, SourceRecord, Thread, COMPLETION_REACH_DAYS,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What can go wrong answering.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("bad cached value: {0}")]
    Cache(#[from] serde_json::Error),
}

/// The day a read is made on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Read {
    /// `YYYY-MM-DD`: only what had been published (and transfers whose window had closed)
    /// by then; `None`: everything.
    pub as_of: Option<String>,
}

impl Read {
    fn query(&self) -> Query {
        Query { as_of: self.as_of.clone(), ..Query::default() }
    }
}

/// A source's KB tier, by name.
pub type Tiers<'a> = &'a dyn Fn(&str) -> Option<u8>;

/// A player: completed moves, threads, timeline, contradictions.
#[derive(Debug, Clone, Serialize)]
pub struct PlayerReport {
    pub player: String,
    pub as_of: Option<String>,
    pub moves: Vec<Move>,
    pub threads: Vec<Thread>,
    pub timeline: Vec<LinkRecord>,
    pub contradictions: Vec<Contradiction>,
    /// What a bounded report leaves out (see [`player_latest`]); absent from a full one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<LeftOut>,
}

/// How much a bounded report leaves out: each list holds the latest (threads: the first in
/// report order) and this many more exist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub moves: u64,
    pub threads: u64,
    pub timeline: u64,
    pub contradictions: u64,
}

/// How much a bounded player report lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Threads, in report order (live first, most likely first).
    pub threads: usize,
    /// Contradictions: those whose later side is the latest, in the finder's order.
    pub contradictions: usize,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { threads: 20, contradictions: FOUND_SHOWN }
    }
}

/// A club: threads towards it, and the threads of players said to be leaving it.
#[derive(Debug, Clone, Serialize)]
pub struct ClubReport {
    pub club: String,
    pub as_of: Option<String>,
    pub incoming: Vec<Thread>,
    pub outgoing: Vec<Thread>,
}

/// Which threads `rumours` lists.
#[derive(Debug, Clone, Default)]
pub struct RumourFilter {
    /// Only threads with a claim on or after this day.
    pub since: Option<String>,
    /// Only threads at least this likely (threads without a likelihood are left out).
    pub min_likelihood: Option<f64>,
    /// Also completed, denied and superseded threads.
    pub all: bool,
}

/// The credibility of every source as of the read's day (its record, else its KB tier
/// prior). For a read of everything it comes from the tally kept up to date incrementally
/// (see [`latest_tally`]); for an `as_of` day it is computed over the whole store once.
/// Either way the map is kept in the derived cache until the next write, so that a report
/// needs neither the KB's tiers nor the tally again.
pub fn source_credibility(
    store: &dyn Store,
    read: &Read,
    tier: Tiers<'_>,
) -> Result<HashMap<String, f64>, AnswerError> {
    // kept under the read's day ("latest" for a read of everything) until the next write:
    // a report needs no KB load and no tally while nothing changed
    let key = format!("credibility@{}", read.as_of.as_deref().unwrap_or("latest"));
    if let Some(json) = store.derived(&key)? {
        if let Ok(map) = serde_json::from_str(&json) {
            return Ok(map);
        }
    }
    let generation = store.generation()?;
    let map = match read.as_of {
        None => credibility_map(&records(&latest_tally(store)?, tier)),
        Some(_) => credibility_map(&sources(store, read, tier)?),
    };
    // kept only if no write came in between; a read-only database keeps nothing, and the
    // answer is the same
    let _ = store.keep_derived(&key, &serde_json::to_string(&map)?, generation);
    Ok(map)
}

const TALLY_KEY: &str = "state:tally";

fn outcomes_key(player: &str) -> String {
    format!("state:outcomes:{player}")
}

/// What threads say of their sources: (source, club, outcome), outcome 0 a hit, 1 a miss,
/// 2 still open (see `mercato_threads::scores::outcomes`).
pub type SourceOutcomes = Vec<(String, String, u8)>;

/// What the threads of one player say of their sources, on a read of everything: from his
/// summaries when every one of them keeps its predictors, else from a fold of his claims.
fn player_outcomes(store: &dyn Store, player: &str) -> Result<SourceOutcomes, AnswerError> {
    match outcomes_from_summaries(store, player)? {
        Some(out) => Ok(out),
        None => outcomes_folded(store, player),
    }
}

/// [`player_outcomes`] from a fold of all the player's claims.
pub fn outcomes_folded(store: &dyn Store, player: &str) -> Result<SourceOutcomes, AnswerError> {
    let read = Read::default();
    let links = store.links(&Query { player: Some(player.to_string()), ..Query::default() })?;
    let records = transfer_moves(store, &read, Some(player), &links)?;
    Ok(outcomes(&fold(store, &read, &links, &HashMap::new(), &records, None)?))
}

/// [`player_outcomes`] from the player's summaries (each thread's status from two index
/// probes, as in [`player_latest`]) and their predictors; `None` when a summary predates
/// the predictors (or no link names him), and the claims must be folded instead.
pub fn outcomes_from_summaries(store: &dyn Store, player: &str) -> Result<Option<SourceOutcomes>, AnswerError> {
    on_one_snapshot(store, || {
        let Some(Summarised { summary, records, now, .. }) = summarised(store, player)? else { return Ok(None) };
        let mut out = Vec::new();
        for s in store.thread_summaries(&summary.player)? {
            let Some(predictors) = &s.predictors else { return Ok(None) };
            let Some((completed, elsewhere)) = resolution(store, &s, &records)? else { continue };
            if let Some(t) = thread_from_summary(&s, completed.map(|c| c.0), elsewhere.map(|e| e.0), now) {
                out.extend(summary_outcomes(&t, predictors));
            }
        }
        Ok(Some(out))
    })
}

/// What a read of everything from a player's summaries starts from.
struct Summarised {
    summary: mercato_store::PlayerSummary,
    /// The latest links of his summary.
    timeline: Vec<LinkRecord>,
    /// His completed transfers known to the store.
    records: Vec<Move>,
    /// The day threads are judged against (see [`fold`]).
    now: Option<chrono::NaiveDate>,
}

/// A player's summary (by his name in any ASCII case) with his latest links, transfer
/// records and "now"; `None` when no link names him.
fn summarised(store: &dyn Store, name: &str) -> Result<Option<Summarised>, AnswerError> {
    let Some(summary) = store.player_summary(name)? else { return Ok(None) };
    let timeline = store.links_by_row(&summary.latest_links)?;
    let records = transfer_moves(store, &Read::default(), Some(&summary.player), &timeline)?;
    let now = day(store.latest_published()?.as_deref()).max(records.iter().map(|m| m.told).max());
    Ok(Some(Summarised { summary, timeline, records, now }))
}

/// A move found for a thread summary, with the link that tells it (a store move).
type Found = Option<(Move, Option<i64>)>;

/// The moves that resolve a thread summary: the first to its club in reach (completing
/// it) and the first elsewhere after it (superseding it), each the store's (a link) or a
/// transfer record's, the earlier by its day, then by when it was told (a link first on a
/// tie); `None` for a summary without days.
fn resolution(
    store: &dyn Store,
    s: &mercato_store::ThreadSummary,
    records: &[Move],
) -> Result<Option<(Found, Found)>, AnswerError> {
    let (Some(((lead, reach), (after, _))), Some(first), Some(last)) =
        (summary_reach(s), day(Some(&s.first)), day(Some(&s.last)))
    else {
        return Ok(None);
    };
    let hit = store.move_to(&s.player, &s.club, (&lead, &reach), &after)?;
    let from_records = records.iter().find(|m| completes(m, &s.club, first, last)).cloned();
    let completed = earliest(hit, from_records);
    let hit = store.move_elsewhere(&s.player, &s.club, (&after, &reach), COMPLETION_REACH_DAYS)?;
    let from_records = records.iter().find(|m| supersedes(m, &s.club, last)).cloned();
    let elsewhere = earliest(hit, from_records);
    Ok(Some((completed, elsewhere)))
}

/// The sources' hits, misses and open reports over the whole store, kept in the store and
/// brought up to date one player at a time: only the players whose claims changed since
/// (the store marks them at every write) are folded again, and their outcomes replace the
/// old ones. Without kept state (a new database, or after transfers were imported) every
/// player is folded once. The result equals a fold of the whole store.
pub fn latest_tally(store: &dyn Store) -> Result<Tally, AnswerError> {
    // another reader may bring the state up to date at the same time: the state is kept
    // only if it is still the one this computation started from, else computed again
    for _ in 0..3 {
        if let Some(tally) = update_tally(store)? {
            return Ok(tally);
        }
    }
    // still contended: answer from a fold of everything, keeping nothing
    let read = Read::default();
    let links = store.links(&read.query())?;
    let records = transfer_moves(store, &read, None, &links)?;
    let mut tally = Tally::new();
    count(&mut tally, &outcomes(&fold(store, &read, &links, &HashMap::new(), &records, None)?), true);
    Ok(tally)
}

/// One attempt of [`latest_tally`]: `None` when another reader changed the state meanwhile.
fn update_tally(store: &dyn Store) -> Result<Option<Tally>, AnswerError> {
    let kept_json = store.derived(TALLY_KEY)?;
    let kept: Option<Tally> = kept_json.as_deref().and_then(|json| serde_json::from_str(json).ok());
    let dirty = store.dirty_players()?;
    let mut values: Vec<(String, String)> = Vec::new();
    let tally = match kept {
        Some(mut tally) => {
            if dirty.is_empty() {
                return Ok(Some(tally));
            }
            // one refold per player, however the names that marked him spell him
            let players = one_per_player(dirty.iter().map(|(p, _)| p.as_str()));
            for player in players {
                let key = outcomes_key(&player_key(player));
                let before: Vec<(String, String, u8)> =
                    store.derived(&key)?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default();
                count(&mut tally, &before, false);
                let now = player_outcomes(store, player)?;
                count(&mut tally, &now, true);
                values.push((key, serde_json::to_string(&now)?));
            }
            tally
        }
        None => {
            // every player, one at a time (memory stays that of the largest player, not of
            // the whole store)
            let players = one_per_player(store.names(NameKind::Player, None, None)?.into_iter().map(|n| n.name));
            let mut tally = Tally::new();
            for player in &players {
                let now = player_outcomes(store, player)?;
                count(&mut tally, &now, true);
                values.push((outcomes_key(&player_key(player)), serde_json::to_string(&now)?));
            }
            tally
        }
    };
    values.push((TALLY_KEY.to_string(), serde_json::to_string(&tally)?));
    match store.keep_state(&values, &dirty, (TALLY_KEY, kept_json.as_deref())) {
        Ok(true) => Ok(Some(tally)),
        Ok(false) => Ok(None),
        // a read-only database keeps nothing, and the answer is the same
        Err(_) => Ok(Some(tally)),
    }
}

/// Every source's record as of the read's day, most resolved first.
pub fn sources(store: &dyn Store, read: &Read, tier: Tiers<'_>) -> Result<Vec<SourceRecord>, AnswerError> {
    if read.as_of.is_none() {
        return Ok(records(&latest_tally(store)?, tier));
    }
    let links = store.links(&read.query())?;
    let records = transfer_moves(store, read, None, &links)?;
    let empty = HashMap::new();
    // credibility needs the statuses only, not the likelihoods: no fee lookup
    let threads = fold(store, read, &links, &empty, &records, None)?;
    Ok(credibility(&threads, tier))
}

/// One source's record as of the read's day (name in any case); `None` when no thread
/// credits it.
pub fn source(
    store: &dyn Store,
    name: &str,
    read: &Read,
    tier: Tiers<'_>,
) -> Result<Option<SourceRecord>, AnswerError> {
    Ok(sources(store, read, tier)?.into_iter().find(|r| r.source.eq_ignore_ascii_case(name)))
}

/// Completed transfers known by the read's day, of one player or of everyone in `links`,
/// of the players the links name.
pub fn transfer_moves(
    store: &dyn Store,
    read: &Read,
    player: Option<&str>,
    links: &[LinkRecord],
) -> Result<Vec<Move>, AnswerError> {
    let records = store.transfers(player, read.as_of.as_deref())?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let players = links.iter().map(|l| l.player.as_str());
    Ok(transfers::align(transfers::moves(&records), players))
}

/// The threads of `links` on the read's day, judged (staleness, buzz) against that day,
/// else against the latest day the store knows of (its latest stated publication date, or
/// its latest transfer record if later).
fn fold(
    store: &dyn Store,
    read: &Read,
    links: &[LinkRecord],
    credibility: &HashMap<String, f64>,
    records: &[Move],
    priced: Option<&HashSet<(String, String)>>,
) -> Result<Vec<Thread>, AnswerError> {
    let as_of = day(read.as_of.as_deref());
    let now = match as_of {
        Some(d) => Some(d),
        None => day(store.latest_published()?.as_deref()).max(records.iter().map(|m| m.told).max()),
    };
    let scoring = Scoring { model: Model::shipped(), credibility, records, priced };
    Ok(threads_scored(links, as_of, now, &scoring))
}

/// The scored threads of `links` (of one player when `player` is given).
pub fn threads(
    store: &dyn Store,
    read: &Read,
    links: &[LinkRecord],
    player: Option<&str>,
    tier: Tiers<'_>,
) -> Result<Vec<Thread>, AnswerError> {
    let credibility = source_credibility(store, read, tier)?;
    let records = transfer_moves(store, read, player, links)?;
    let facts = store.facts(&Query { player: player.map(str::to_string), ..read.query() })?;
    fold(store, read, links, &credibility, &records, Some(&priced(&facts)))
}

/// The names given, one per player (spellings that fold alike are one, [`player_key`]): the
/// first by key order, each name folded once.
fn one_per_player<S: AsRef<str>>(names: impl Iterator<Item = S>) -> Vec<S> {
    let mut keyed: Vec<(String, S)> = names.map(|n| (player_key(n.as_ref()), n)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.into_iter().map(|(_, n)| n).collect()
}

/// The articles that state a fee for a player: (article, the player's key).
pub fn priced(facts: &[FactRecord]) -> HashSet<(String, String)> {
    facts.iter().filter(|f| f.attribute == "fee").map(|f| (f.article.clone(), player_key(&f.subject))).collect()
}

/// Runs the reads of `f` on one snapshot of the store ([`Store::begin_read`]): a report
/// made of many reads sees no write that another process commits in between.
fn on_one_snapshot<T>(store: &dyn Store, f: impl FnOnce() -> Result<T, AnswerError>) -> Result<T, AnswerError> {
    store.begin_read()?;
    let out = f();
    let ended = store.end_read();
    let out = out?;
    ended?;
    Ok(out)
}

/// A player's report; `None` when the store has no claim about a player of that name.
pub fn player(
    store: &dyn Store,
    name: &str,
    read: &Read,
    tier: Tiers<'_>,
) -> Result<Option<PlayerReport>, AnswerError> {
    // before the snapshot: bringing the sources' tally up to date may write
    let credibility = source_credibility(store, read, tier)?;
    on_one_snapshot(store, || player_of(store, name, read, &credibility))
}

/// [`player`] on one snapshot, with the sources' credibility.
fn player_of(
    store: &dyn Store,
    name: &str,
    read: &Read,
    credibility: &HashMap<String, f64>,
) -> Result<Option<PlayerReport>, AnswerError> {
    let query = Query { player: Some(name.to_string()), ..read.query() };
    let links = store.links(&query)?;
    let Some(first) = links.first() else { return Ok(None) };
    let name = first.player.clone();
    // the transfer records and facts serve both the report and the threads' scores
    let records = transfer_moves(store, read, Some(&name), &links)?;
    let facts: Vec<FactRecord> = store.facts(&query)?;
    let threads = fold(store, read, &links, credibility, &records, Some(&priced(&facts)))?;
    let mut career = moves(&links);
    career.extend(records);
    career.sort_by_key(|m| (m.date(), m.told));
    Ok(Some(PlayerReport {
        threads,
        player: name,
        as_of: read.as_of.clone(),
        moves: career,
        contradictions: find_contradictions(&facts),
        timeline: links,
        left_out: None,
    }))
}

/// A player's report on a read of everything, from the summaries the store keeps at ingest:
/// every thread is scored with the same rules as [`player`] (its moves found by range in
/// the store), but only the first `bounds.threads` threads, each with its latest claims, the
/// latest moves and the latest links of the timeline are listed, with counts of the rest
/// in `left_out`. The contradictions are the same as [`player`] finds (from the facts the
/// store keeps for them). A read with `as_of` is answered by [`player`].
pub fn player_latest(
    store: &dyn Store,
    name: &str,
    read: &Read,
    tier: Tiers<'_>,
    bounds: Bounds,
) -> Result<Option<PlayerReport>, AnswerError> {
    if read.as_of.is_some() {
        return player(store, name, read, tier);
    }
    // before the snapshot: bringing the sources' tally up to date may write
    let credibility = source_credibility(store, read, tier)?;
    on_one_snapshot(store, || player_latest_of(store, name, &credibility, bounds))
}

/// [`player_latest`] on one snapshot, with the sources' credibility.
fn player_latest_of(
    store: &dyn Store,
    name: &str,
    credibility: &HashMap<String, f64>,
    bounds: Bounds,
) -> Result<Option<PlayerReport>, AnswerError> {
    let Some(Summarised { summary, timeline, records, now }) = summarised(store, name)? else { return Ok(None) };
    let name = summary.player.clone();
    let mut threads = Vec::new();
    // the link of each thread's resolving move, read only for the threads listed
    let mut resolving: HashMap<(String, chrono::NaiveDate), i64> = HashMap::new();
    // and the rows of its latest claims
    let mut latest: HashMap<(String, chrono::NaiveDate), Vec<i64>> = HashMap::new();
    for s in store.thread_summaries(&name)? {
        let Some((completed, elsewhere)) = resolution(store, &s, &records)? else { continue };
        let Some(first) = day(Some(&s.first)) else { continue };
        let link = match (&completed, &elsewhere, s.done) {
            (Some((m, link)), _, _) => link.filter(|_| m.article.is_empty()),
            (None, _, true) => None,
            (None, Some((m, link)), false) => link.filter(|_| m.article.is_empty()),
            _ => None,
        };
        if let Some(link) = link {
            resolving.insert((s.club.clone(), first), link);
        }
        latest.insert((s.club.clone(), first), s.latest.iter().map(|k| k.2).collect());
        threads.extend(thread_from_summary(&s, completed.map(|c| c.0), elsewhere.map(|e| e.0), now));
    }
    let scoring = Scoring { model: Model::shipped(), credibility, records: &records, priced: None };
    let mut threads = finish(threads, &scoring);
    let threads_total = threads.len() as u64;
    threads.truncate(bounds.threads);
    for t in &mut threads {
        let key = (t.club.clone(), t.first);
        if let Some(link) = resolving.get(&key) {
            t.resolved_by = moves(&store.links_by_row(&[*link])?).into_iter().next();
        }
        if let Some(rows) = latest.get(&key) {
            t.claims = store.links_by_row(rows)?.iter().filter_map(claim_of).collect();
            t.more_claims = t.more_claims.saturating_sub(t.claims.len() as u64);
        }
    }
    let mut career = moves(&store.links_by_row(&summary.latest_moves)?);
    let moves_total = summary.moves + records.len() as u64;
    career.extend(records);
    career.sort_by_key(|m| (m.date(), m.told));
    let extra = career.len().saturating_sub(mercato_store::summary::LATEST_LINKS);
    career.drain(..extra);
    let left_out = LeftOut {
        moves: moves_total.saturating_sub(career.len() as u64),
        threads: threads_total.saturating_sub(threads.len() as u64),
        timeline: summary.links.saturating_sub(timeline.len() as u64),
        contradictions: 0,
    };
    // what the last write found in his kept facts, when it kept as many as are shown; else
    // found now from the first and last facts of each value (all that contradictions compare)
    let stored = match bounds.contradictions {
        FOUND_SHOWN => store.fact_found(&name, FOUND_VERSION)?,
        _ => None,
    };
    let found: FoundInFacts = match stored {
        Some(data) => serde_json::from_str(&data)?,
        None => found_in_facts(store.fact_samples(&name)?, bounds.contradictions),
    };
    let contradictions_total = found.total;
    // the kept facts have no evidence: read it for the sides shown
    let mut contradictions = Vec::with_capacity(found.shown.len());
    for (mut c, rows) in found.shown {
        for (side, row) in c.sides.iter_mut().zip(rows) {
            side.evidence = store.fact_evidence(row)?.unwrap_or_default();
        }
        contradictions.push(c);
    }
    let left_out =
        LeftOut { contradictions: contradictions_total.saturating_sub(contradictions.len() as u64), ..left_out };
    Ok(Some(PlayerReport {
        player: name,
        as_of: None,
        moves: career,
        threads,
        timeline,
        contradictions,
        left_out: Some(left_out),
    }))
}

/// The version of what [`fact_finder`] keeps: a new one when the contradiction rules, the
/// number shown or the form change (rows of another version are not read).
pub const FOUND_VERSION: &str = "contradictions-1";
/// How many contradictions [`fact_finder`] keeps: the default report's ([`Bounds`]).
const FOUND_SHOWN: usize = 20;

/// A player's contradictions as the bounded report shows them: how many there are, and the
/// latest `shown` (by the later side's day, in the finder's order), each with the rows of
/// its two sides' facts (their evidence is read for the report).
#[derive(Debug, Serialize, serde::Deserialize)]
struct FoundInFacts {
    total: u64,
    shown: Vec<(Contradiction, [i64; 2])>,
}

/// [`FoundInFacts`] from a player's kept facts ([`Store::fact_samples`]), at most `shown` of them.
fn found_in_facts(samples: Vec<(i64, FactRecord)>, shown: usize) -> FoundInFacts {
    let (rows, facts): (Vec<i64>, Vec<FactRecord>) = samples.into_iter().unzip();
    let mut found = disagreements(&facts);
    let total = found.len() as u64;
    if found.len() > shown {
        // the latest (by the later side's day), kept in the finder's order
        let later = |d: &Disagreement<'_>| facts.get(d.at[1]).and_then(|f| f.published.as_deref());
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by(|a, b| later(&found[*b]).cmp(&later(&found[*a])));
        let kept: HashSet<usize> = order.into_iter().take(shown).collect();
        let mut k = 0;
        found.retain(|_| {
            k += 1;
            kept.contains(&(k - 1))
        });
    }
    let shown = found
        .iter()
        .map(|d| (d.contradiction(&facts), d.at.map(|at| rows.get(at).copied().unwrap_or_default())))
        .collect();
    FoundInFacts { total, shown }
}

/// What a store's writes compute from a changed player's kept facts so that
/// [`player_latest`] reads his contradictions instead of finding them
/// ([`mercato_store::SqliteStore::set_fact_finder`]): the same as it finds.
pub fn fact_finder() -> mercato_store::FactFinder {
    mercato_store::FactFinder {
        version: FOUND_VERSION.to_string(),
        find: std::sync::Arc::new(|samples| {
            serde_json::to_string(&found_in_facts(samples, FOUND_SHOWN)).map_err(|e| e.to_string())
        }),
    }
}

/// The earlier of a move the store found (to be read from its link) and one from a transfer
/// record, by day, then by when it was told (the store's on a tie); with the link to read.
fn earliest(hit: Option<MoveHit>, record: Option<Move>) -> Option<(Move, Option<i64>)> {
    let found = hit.and_then(|h| {
        let (d, told) = (day(Some(&h.day))?, day(Some(&h.told))?);
        // a stand-in with the move's days, replaced by the link's move once read
        let stand_in = Move {
            player: String::new(),
            club: String::new(),
            when: Some([d, d]),
            article: String::new(),
            told,
            kind: String::new(),
            evidence: String::new(),
        };
        Some((stand_in, Some(h.link)))
    });
    match (found, record) {
        (Some(a), Some(b)) => Some(if (b.date(), b.told) < (a.0.date(), a.0.told) { (b, None) } else { a }),
        (a, b) => a.or(b.map(|m| (m, None))),
    }
}

/// A club's report; `None` when the store has no claim about a club of that name.
pub fn club(store: &dyn Store, name: &str, read: &Read, tier: Tiers<'_>) -> Result<Option<ClubReport>, AnswerError> {
    let links = store.links(&Query { club: Some(name.to_string()), ..read.query() })?;
    let Some(first) = links.first() else { return Ok(None) };
    let name = first.club.clone();
    // each player's threads need all his claims (a move elsewhere resolves them)
    // one entry per player, however the links spell his name (queries go by its key)
    let players = one_per_player(links.iter().map(|l| l.player.clone()));
    // when each player was first reported leaving this club (by key): his other threads
    // from then on are outgoing
    let mut leaving: HashMap<String, chrono::NaiveDate> = HashMap::new();
    for l in links.iter().filter(|l| l.kind == "from") {
        if let Some(d) = day(l.published.as_deref()) {
            leaving.entry(player_key(&l.player)).and_modify(|e| *e = (*e).min(d)).or_insert(d);
        }
    }
    // the sources' credibility once for every player
    let credibility = source_credibility(store, read, tier)?;
    let (mut incoming, mut outgoing) = (Vec::new(), Vec::new());
    for player in players {
        let leaving_since = leaving.get(&player_key(&player)).copied();
        let query = Query { player: Some(player.clone()), ..read.query() };
        let theirs = store.links(&query)?;
        let records = transfer_moves(store, read, Some(&player), &theirs)?;
        let priced = priced(&store.facts(&query)?);
        for t in fold(store, read, &theirs, &credibility, &records, Some(&priced))? {
            if t.club.eq_ignore_ascii_case(&name) {
                incoming.push(t);
            } else if leaving_since
                .is_some_and(|d| t.last >= d - chrono::Duration::days(mercato_threads::EPISODE_GAP_DAYS))
            {
                outgoing.push(t);
            }
        }
    }
    Ok(Some(ClubReport { club: name, as_of: read.as_of.clone(), incoming, outgoing }))
}

/// Rumour threads across the store, live first, most likely first.
pub fn rumours(
    store: &dyn Store,
    read: &Read,
    filter: &RumourFilter,
    tier: Tiers<'_>,
) -> Result<Vec<Thread>, AnswerError> {
    let links = store.links(&read.query())?;
    let since = day(filter.since.as_deref());
    Ok(threads(store, read, &links, None, tier)?
        .into_iter()
        .filter(|t| filter.all || t.status.is_live())
        .filter(|t| since.is_none_or(|s| t.last >= s))
        .filter(|t| filter.min_likelihood.is_none_or(|m| t.likelihood.value.is_some_and(|v| v >= m)))
        .collect())
}

/// Facts that disagree across articles.
pub fn contradictions(store: &dyn Store, read: &Read) -> Result<Vec<Contradiction>, AnswerError> {
    Ok(find_contradictions(&store.facts(&read.query())?))
}
