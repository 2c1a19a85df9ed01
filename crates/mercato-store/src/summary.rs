//! Summaries kept at ingest (schema v6), so that the latest report on a player reads a few
//! rows instead of folding every claim about him.
//!
//! * [`ThreadSummary`]: one episode of one (player, club), with what the thread rules of
//!   `mercato-threads` read from its claims: first and last day, counts (claims, hedged,
//!   independent, independent denials), stages reached, sources, whether a claim is `done`
//!   or its article states a fee, the kind of the latest independent claim, the
//!   independent report days near its last claim (buzz) and its latest claims. Claims more
//!   than [`EPISODE_GAP_DAYS`] apart are two episodes; a claim that falls between two
//!   episodes joins them. Merging is commutative, so the order articles arrive in does not
//!   matter.
//! * [`PlayerSummary`]: the player's name as his earliest link spells it, how many links
//!   and moves he has, and his latest links and moves.
//!
//! Moves (`done` and `past` links) and the days a player was reported leaving a club are
//! kept in their own tables, read by range (see `Store::move_to`, `Store::move_elsewhere`).

use crate::LinkRecord;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Claims of one (player, club) further apart than this are two episodes (as in
/// `mercato-threads`).
pub const EPISODE_GAP_DAYS: i64 = 270;
/// Days before a thread's last claim whose independent reports are kept for its buzz.
pub const BUZZ_DAYS: i64 = 30;
/// Claims kept per thread summary (the latest).
pub const LATEST_CLAIMS: usize = 5;
/// Links and moves kept per player summary (the latest).
pub const LATEST_LINKS: usize = 20;

/// Where a claim sits in the order threads are folded in: its day, its article's `seq`,
/// its link's row.
pub type Key = (String, i64, i64);

/// One episode of one (player, club): what the thread rules need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadSummary {
    /// As the episode's first claim spells them.
    pub player: String,
    pub club: String,
    pub first_key: Key,
    pub first: String,
    pub last: String,
    pub claims: u64,
    pub hedged: u64,
    /// Claims whose article is not a copy (one claim per article and pair).
    pub independent: u64,
    /// Independent `denied` claims.
    pub denials: u64,
    pub done: bool,
    /// An independent claim's article states a fee for the player.
    pub fee_stated: bool,
    /// The stages reached, each once.
    pub stages: Vec<String>,
    /// Every claim's sources, sorted, each once.
    pub sources: Vec<String>,
    /// The latest independent claim: its key and kind.
    pub last_independent: Option<(Key, String)>,
    /// Independent reports per day, for the days less than [`BUZZ_DAYS`] before `last`.
    pub buzz_days: Vec<(String, u32)>,
    /// The keys of the latest [`LATEST_CLAIMS`] claims, oldest first (the link's row is
    /// the key's last part: read the claims with `Store::links_by_row`).
    pub latest: Vec<Key>,
    /// The sources its independent `to` claims credit, each with the day of the first that
    /// does, sorted by source: what the sources' record counts of the thread. `None` in a
    /// summary written before mercato kept them (a reader then folds the claims).
    #[serde(default)]
    pub predictors: Option<Vec<(String, String)>>,
}

/// A player's name, counts and latest links and moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayerSummary {
    /// As his earliest link spells it.
    pub player: String,
    pub links: u64,
    pub moves: u64,
    /// The rows of the latest [`LATEST_LINKS`] links in timeline order (undated last),
    /// oldest first (read them with `Store::links_by_row`).
    pub latest_links: Vec<i64>,
    /// The rows of the latest [`LATEST_LINKS`] moves (`done` and `past` links with a date),
    /// by the move's own date, oldest first.
    pub latest_moves: Vec<i64>,
}

/// What a stored link brings to the summaries.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) rec: LinkRecord,
    pub(crate) seq: i64,
    pub(crate) link: i64,
    /// The link's article states a fee for its player.
    pub(crate) fee: bool,
}

/// The day a stored `YYYY-MM-DD` string names.
pub(crate) fn day(s: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s?.get(..10)?, "%Y-%m-%d").ok()
}

/// The key of a thread's club: lower-cased, as `mercato-threads` groups claims.
pub fn summary_club_key(name: &str) -> String {
    name.to_lowercase()
}

/// A move's day, its article's day and whether it has a date of its own (`done` news,
/// or `past` history that places it before its article).
pub(crate) fn move_days(rec: &LinkRecord) -> Option<(NaiveDate, NaiveDate, bool)> {
    if rec.kind != "done" && rec.kind != "past" {
        return None;
    }
    let told = day(rec.published.as_deref())?;
    if rec.kind == "done" {
        return Some((told, told, true));
    }
    let when = rec.when.as_ref().and_then(|[a, _]| day(Some(a))).filter(|a| *a <= told);
    Some(match when {
        Some(a) => (a, told, true),
        None => (told, told, false),
    })
}

impl ThreadSummary {
    /// A summary of one claim (a `to`, `done` or `denied` link with a date).
    pub(crate) fn of(row: &Row) -> Option<ThreadSummary> {
        let r = &row.rec;
        if !matches!(r.kind.as_str(), "to" | "done" | "denied") {
            return None;
        }
        let date = day(r.published.as_deref())?.to_string();
        let key: Key = (date.clone(), row.seq, row.link);
        let independent = r.copy_of.is_none();
        let sources = if r.sources.is_empty() { &r.article_sources } else { &r.sources };
        let mut sorted = sources.clone();
        sorted.sort();
        sorted.dedup();
        Some(ThreadSummary {
            player: r.player.clone(),
            club: r.club.clone(),
            first_key: key.clone(),
            first: date.clone(),
            last: date.clone(),
            claims: 1,
            hedged: u64::from(r.hedged),
            independent: u64::from(independent),
            denials: u64::from(independent && r.kind == "denied"),
            done: r.kind == "done",
            fee_stated: independent && row.fee,
            stages: r.stage.iter().cloned().collect(),
            last_independent: independent.then(|| (key.clone(), r.kind.clone())),
            buzz_days: if independent { vec![(date.clone(), 1)] } else { Vec::new() },
            predictors: Some(if independent && r.kind == "to" {
                sorted.iter().map(|s| (s.clone(), date.clone())).collect()
            } else {
                Vec::new()
            }),
            sources: sorted,
            latest: vec![key],
        })
    }

    /// Whether a claim on `date` belongs to this episode (or joins it to another).
    fn reaches(&self, date: NaiveDate) -> bool {
        match (day(Some(&self.first)), day(Some(&self.last))) {
            (Some(first), Some(last)) => {
                (first - date).num_days() <= EPISODE_GAP_DAYS && (date - last).num_days() <= EPISODE_GAP_DAYS
            }
            _ => false,
        }
    }

    /// Takes `other` in (both of one (player, club), episodes that touch).
    fn merge(&mut self, other: ThreadSummary) {
        if other.first_key < self.first_key {
            self.player = other.player;
            self.club = other.club;
            self.first_key = other.first_key;
        }
        if other.first < self.first {
            self.first = other.first;
        }
        if other.last > self.last {
            self.last = other.last;
        }
        self.claims += other.claims;
        self.hedged += other.hedged;
        self.independent += other.independent;
        self.denials += other.denials;
        self.done |= other.done;
        self.fee_stated |= other.fee_stated;
        for s in other.stages {
            if !self.stages.contains(&s) {
                self.stages.push(s);
            }
        }
        self.stages.sort();
        self.sources.extend(other.sources);
        self.sources.sort();
        self.sources.dedup();
        if other.last_independent.as_ref().map(|l| &l.0) > self.last_independent.as_ref().map(|l| &l.0) {
            self.last_independent = other.last_independent;
        }
        for (d, n) in other.buzz_days {
            match self.buzz_days.iter_mut().find(|(e, _)| *e == d) {
                Some((_, m)) => *m += n,
                None => self.buzz_days.push((d, n)),
            }
        }
        let last = day(Some(&self.last));
        self.buzz_days
            .retain(|(d, _)| matches!((last, day(Some(d))), (Some(l), Some(d)) if (l - d).num_days() < BUZZ_DAYS));
        self.buzz_days.sort();
        self.latest.extend(other.latest);
        self.latest.sort();
        let extra = self.latest.len().saturating_sub(LATEST_CLAIMS);
        self.latest.drain(..extra);
        // each source with its earliest day; unknown if either side's is
        self.predictors = match (self.predictors.take(), other.predictors) {
            (Some(mut ours), Some(theirs)) => {
                for (source, d) in theirs {
                    match ours.binary_search_by(|(s, _)| s.as_str().cmp(source.as_str())) {
                        Ok(k) => {
                            if d < ours[k].1 {
                                ours[k].1 = d;
                            }
                        }
                        Err(k) => ours.insert(k, (source, d)),
                    }
                }
                Some(ours)
            }
            _ => None,
        };
    }
}

/// Adds one claim's summary to the episodes of its (player, club).
pub(crate) fn absorb(episodes: &mut Vec<ThreadSummary>, claim: ThreadSummary) {
    let Some(date) = day(Some(&claim.first)) else { return };
    let mut joined = claim;
    let mut k = 0;
    while k < episodes.len() {
        if episodes[k].reaches(date) {
            joined.merge(episodes.swap_remove(k));
        } else {
            k += 1;
        }
    }
    episodes.push(joined);
    episodes.sort_by(|a, b| a.first.cmp(&b.first));
}

/// The order of the timeline: undated last, then by day, article and link.
fn timeline_key(row: &Row) -> (bool, String, i64, i64) {
    let published = row.rec.published.clone();
    (published.is_none(), published.unwrap_or_default(), row.seq, row.link)
}

/// The order of moves: the move's day, its article's day, its article and link.
fn move_key(rec: &LinkRecord, seq: i64, link: i64) -> Option<(NaiveDate, NaiveDate, i64, i64)> {
    let (d, told, _) = move_days(rec)?;
    Some((d, told, seq, link))
}

/// The links' summary kept with a player's summary: the keys of its latest links and moves.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Latest {
    pub(crate) links: Vec<((bool, String, i64, i64), i64)>,
    pub(crate) moves: Vec<((NaiveDate, NaiveDate, i64, i64), i64)>,
}

/// A player's stored summary with the keys it is kept in order by.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PlayerState {
    pub(crate) player: String,
    pub(crate) first_key: (bool, String, i64, i64),
    pub(crate) links: u64,
    pub(crate) moves: u64,
    pub(crate) latest: Latest,
}

impl PlayerState {
    pub(crate) fn new(row: &Row) -> PlayerState {
        PlayerState {
            player: row.rec.player.clone(),
            first_key: timeline_key(row),
            links: 0,
            moves: 0,
            latest: Latest::default(),
        }
    }

    pub(crate) fn add(&mut self, row: &Row) {
        let key = timeline_key(row);
        if key < self.first_key {
            self.first_key = key.clone();
            self.player = row.rec.player.clone();
        }
        self.links += 1;
        push_latest(&mut self.latest.links, key, row.link);
        if let Some(mk) = move_key(&row.rec, row.seq, row.link) {
            self.moves += 1;
            push_latest(&mut self.latest.moves, mk, row.link);
        }
    }

    pub(crate) fn summary(self) -> PlayerSummary {
        PlayerSummary {
            player: self.player,
            links: self.links,
            moves: self.moves,
            latest_links: self.latest.links.into_iter().map(|(_, r)| r).collect(),
            latest_moves: self.latest.moves.into_iter().map(|(_, r)| r).collect(),
        }
    }
}

/// Keeps the [`LATEST_LINKS`] greatest keys, in order.
fn push_latest<K: Ord + Clone>(list: &mut Vec<(K, i64)>, key: K, link: i64) {
    if list.len() >= LATEST_LINKS && list.first().is_some_and(|(k, _)| key < *k) {
        return;
    }
    let at = list.partition_point(|(k, _)| *k < key);
    list.insert(at, (key, link));
    if list.len() > LATEST_LINKS {
        list.remove(0);
    }
}

/// Facts kept per (player, attribute, club, value): the first and the last this many (what
/// `mercato-threads` compares when it looks for contradictions).
pub const FACT_PROBES: usize = 32;

/// A fact's place in the order facts are read in (undated last, then day, article, row),
/// as a string that sorts the same way.
pub(crate) fn fact_key(published: Option<&str>, seq: i64, row: i64) -> String {
    match published {
        Some(p) => format!("0{p}|{seq:020}|{row:020}"),
        None => format!("1|{seq:020}|{row:020}"),
    }
}

/// A kept fact as stored: see [`FactSample::pack`].
type Packed = (String, Option<String>, bool, i64, i64, String, Option<String>, Option<String>, Option<String>);

#[derive(Serialize, Deserialize)]
struct PackedSample {
    n: u64,
    head: Vec<Packed>,
    tail: Vec<Packed>,
}

/// The kept facts of one (player, attribute, club, value): all of them while there are at
/// most twice [`FACT_PROBES`], else the first and the last [`FACT_PROBES`]. Its serde form
/// is what schema v6 stored (whole records under their keys); v7 stores
/// [`FactSample::pack`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct FactSample {
    pub(crate) n: u64,
    pub(crate) head: Vec<(String, crate::FactRecord)>,
    pub(crate) tail: Vec<(String, crate::FactRecord)>,
}

impl FactSample {
    /// Whether a fact with this key would change what is kept.
    pub(crate) fn takes(&self, key: &str) -> bool {
        (self.n as usize) < 2 * FACT_PROBES
            || self.head.last().is_none_or(|(k, _)| key < k.as_str())
            || self.tail.first().is_none_or(|(k, _)| key > k.as_str())
    }

    pub(crate) fn add(&mut self, key: String, fact: crate::FactRecord) {
        self.n += 1;
        let mut all: Vec<(String, crate::FactRecord)> = std::mem::take(&mut self.head);
        all.append(&mut self.tail);
        let at = all.partition_point(|(k, _)| *k < key);
        all.insert(at, (key, fact));
        if all.len() > 2 * FACT_PROBES {
            // the one in the middle can never be among the first or last again
            all.remove(FACT_PROBES);
        }
        self.tail = all.split_off(all.len().min(FACT_PROBES));
        self.head = all;
    }

    /// The stored form (schema v7): the count, then each kept fact as an array of article,
    /// date, whether the date was inferred, the article's `seq`, the fact's row, subject,
    /// club, currency and stated text. The attribute and value are the row's own columns;
    /// a kept fact is never a copy and keeps no evidence; the key is made again from the
    /// date, `seq` and row. A quarter of the v6 form (whole records under their keys), so a
    /// sample rewritten by a write touches fewer pages.
    pub(crate) fn pack(&self) -> Result<String, String> {
        let pack = |(key, f): &(String, crate::FactRecord)| -> Result<Packed, String> {
            let mut parts = key.rsplit('|');
            let row: i64 = parts.next().and_then(|r| r.parse().ok()).ok_or_else(|| format!("fact key {key}"))?;
            let seq: i64 = parts.next().and_then(|r| r.parse().ok()).ok_or_else(|| format!("fact key {key}"))?;
            if fact_key(f.published.as_deref(), seq, row) != *key {
                return Err(format!("fact key {key} does not match its fact"));
            }
            Ok((
                f.article.clone(),
                f.published.clone(),
                f.date_inferred,
                seq,
                row,
                f.subject.clone(),
                f.club.clone(),
                f.currency.clone(),
                f.stated.clone(),
            ))
        };
        let packed = PackedSample {
            n: self.n,
            head: self.head.iter().map(pack).collect::<Result<_, _>>()?,
            tail: self.tail.iter().map(pack).collect::<Result<_, _>>()?,
        };
        serde_json::to_string(&packed).map_err(|e| e.to_string())
    }

    /// A sample from its stored form ([`FactSample::pack`]) and its row's attribute and value.
    pub(crate) fn unpack(data: &str, attribute: &str, value: &str) -> Result<FactSample, String> {
        let packed: PackedSample = serde_json::from_str(data).map_err(|e| e.to_string())?;
        let unpack = |p: Packed| {
            let (seq, row, fact) = unpacked(p, attribute, value);
            (fact_key(fact.published.as_deref(), seq, row), fact)
        };
        Ok(FactSample {
            n: packed.n,
            head: packed.head.into_iter().map(unpack).collect(),
            tail: packed.tail.into_iter().map(unpack).collect(),
        })
    }

    /// The kept facts of a stored sample ([`FactSample::pack`]) in order, each with its row,
    /// as [`FactSample::unpack`] then [`FactSample::facts`] give them, without making their
    /// keys (a star player's report reads thousands).
    pub(crate) fn unpack_facts(
        data: &str,
        attribute: &str,
        value: &str,
        out: &mut Vec<(i64, crate::FactRecord)>,
    ) -> Result<(), String> {
        let packed: PackedSample = serde_json::from_str(data).map_err(|e| e.to_string())?;
        out.reserve(packed.head.len() + packed.tail.len());
        for p in packed.head.into_iter().chain(packed.tail) {
            let (_, row, fact) = unpacked(p, attribute, value);
            out.push((row, fact));
        }
        Ok(())
    }

    /// The kept facts in order, each with its row (the last part of its key).
    #[cfg(test)]
    pub(crate) fn facts(self) -> impl Iterator<Item = (i64, crate::FactRecord)> {
        self.head
            .into_iter()
            .chain(self.tail)
            .map(|(k, f)| (k.rsplit('|').next().and_then(|r| r.parse().ok()).unwrap_or(0), f))
    }
}

/// A kept fact from its stored form ([`FactSample::pack`]) and its row's attribute and
/// value, with its article's `seq` and its row.
fn unpacked(p: Packed, attribute: &str, value: &str) -> (i64, i64, crate::FactRecord) {
    let (article, published, date_inferred, seq, row, subject, club, currency, stated) = p;
    let fact = crate::FactRecord {
        article,
        published,
        date_inferred,
        copy_of: None,
        subject,
        attribute: attribute.to_string(),
        club,
        value: value.to_string(),
        currency,
        stated,
        evidence: String::new(),
    };
    (seq, row, fact)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn row(date: &str, seq: i64, kind: &str, copy: bool) -> Row {
        Row {
            rec: LinkRecord {
                article: format!("a{seq}"),
                published: Some(date.into()),
                date_inferred: false,
                copy_of: copy.then(|| "a0".to_string()),
                player: "P".into(),
                club: "C".into(),
                kind: kind.into(),
                stage: Some("talks".into()),
                hedged: seq % 2 == 0,
                sources: vec![format!("S{}", seq % 3)],
                article_sources: Vec::new(),
                evidence_start: 0,
                evidence_end: 0,
                evidence: String::new(),
                when: None,
            },
            seq,
            link: seq,
            fee: false,
        }
    }

    #[test]
    fn episodes_split_on_gaps_and_join_when_a_claim_bridges_them() {
        let mut eps = Vec::new();
        absorb(&mut eps, ThreadSummary::of(&row("2020-01-01", 1, "to", false)).unwrap());
        absorb(&mut eps, ThreadSummary::of(&row("2021-06-01", 2, "to", false)).unwrap());
        assert_eq!(eps.len(), 2);
        // within 270 days of both: one episode
        absorb(&mut eps, ThreadSummary::of(&row("2020-09-15", 3, "denied", false)).unwrap());
        assert_eq!(eps.len(), 1);
        let e = &eps[0];
        assert_eq!(
            (e.first.as_str(), e.last.as_str(), e.claims, e.independent, e.denials),
            ("2020-01-01", "2021-06-01", 3, 3, 1)
        );
        assert_eq!(e.last_independent.as_ref().map(|l| l.1.as_str()), Some("to"));
        assert_eq!(e.buzz_days, vec![("2021-06-01".to_string(), 1)]);
        assert_eq!(e.sources, vec!["S0", "S1", "S2"]);
    }

    /// Predictors: each source of an independent `to` claim with its earliest day, in any
    /// order of merging; `denied` claims and copies credit no one; a summary written before
    /// predictors were kept makes the merged ones unknown.
    #[test]
    fn predictors_keep_each_source_with_its_first_day() {
        let claims = [
            row("2020-03-01", 4, "to", false),     // S1
            row("2020-01-01", 1, "to", false),     // S1, earlier
            row("2020-02-01", 2, "to", false),     // S2
            row("2020-01-15", 3, "denied", false), // S0: not a prediction
            row("2019-12-01", 6, "to", true),      // S0, a copy
        ];
        for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3]] {
            let mut eps = Vec::new();
            for k in order {
                absorb(&mut eps, ThreadSummary::of(&claims[k]).unwrap());
            }
            assert_eq!(eps.len(), 1);
            let want = vec![("S1".to_string(), "2020-01-01".to_string()), ("S2".to_string(), "2020-02-01".to_string())];
            assert_eq!(eps[0].predictors.as_ref(), Some(&want), "{order:?}");
        }
        let mut old = ThreadSummary::of(&claims[0]).unwrap();
        old.predictors = None;
        let mut eps = vec![old];
        absorb(&mut eps, ThreadSummary::of(&claims[2]).unwrap());
        assert_eq!(eps[0].predictors, None);
        // and a summary stored without the field reads as unknown
        let mut json: serde_json::Value = serde_json::to_value(ThreadSummary::of(&claims[0]).unwrap()).unwrap();
        json.as_object_mut().unwrap().remove("predictors");
        assert_eq!(serde_json::from_value::<ThreadSummary>(json).unwrap().predictors, None);
    }

    #[test]
    fn a_fact_sample_keeps_the_first_and_last_whatever_the_order() {
        let fact = |k: usize| crate::FactRecord {
            article: format!("a{k}"),
            published: None,
            date_inferred: false,
            copy_of: None,
            subject: "P".into(),
            attribute: "age".into(),
            club: None,
            value: "29".into(),
            currency: None,
            stated: None,
            evidence: String::new(),
        };
        let mut sample = FactSample::default();
        // 0, 37, 74, ... a permutation of 0..100
        for k in (0..100).map(|i| (i * 37) % 100) {
            let key = format!("{k:03}");
            if sample.takes(&key) {
                sample.add(key, fact(k));
            } else {
                sample.n += 1;
            }
        }
        assert_eq!(sample.n, 100);
        let kept: Vec<String> = sample.clone().facts().map(|(_, f)| f.article).collect();
        let want: Vec<String> = (0..32).chain(68..100).map(|k| format!("a{k}")).collect();
        assert_eq!(kept, want);
    }

    #[test]
    fn a_packed_fact_sample_reads_back_the_same() {
        let fact = |k: i64, published: Option<&str>| crate::FactRecord {
            article: format!("a{k}"),
            published: published.map(str::to_string),
            date_inferred: k % 2 == 0,
            copy_of: None,
            subject: if k % 3 == 0 { "p" } else { "P" }.into(),
            attribute: "fee".into(),
            club: (k % 4 == 0).then(|| "C".to_string()),
            value: "5000000".into(),
            currency: Some("EUR".into()),
            stated: Some(format!("€{k}m")),
            evidence: String::new(),
        };
        let mut sample = FactSample::default();
        for k in 0..80 {
            let published = (k % 5 != 0).then(|| format!("2020-01-{:02}", 1 + k % 28));
            let key = fact_key(published.as_deref(), 1000 + k, 5000 + k);
            if sample.takes(&key) {
                sample.add(key, fact(k, published.as_deref()));
            } else {
                sample.n += 1;
            }
        }
        let packed = sample.pack().unwrap();
        assert!(packed.len() * 3 < serde_json::to_string(&sample).unwrap().len(), "{packed}");
        assert_eq!(FactSample::unpack(&packed, "fee", "5000000").unwrap(), sample);
        // the read of facts alone gives what the whole sample gives
        let mut facts = Vec::new();
        FactSample::unpack_facts(&packed, "fee", "5000000", &mut facts).unwrap();
        assert_eq!(facts, sample.clone().facts().collect::<Vec<_>>());
        assert!(FactSample::unpack_facts("{", "fee", "1", &mut facts).is_err());
        // a key that is not its fact's is refused, not stored wrong
        sample.head[0].0 = "0bad|1|2".into();
        assert!(sample.pack().is_err());
        assert!(FactSample::unpack("{", "fee", "1").is_err());
    }

    #[test]
    fn merging_keeps_the_latest_claims_whatever_the_order() {
        let rows: Vec<Row> = (1..=9).map(|k| row(&format!("2020-01-0{k}"), k, "to", k == 4)).collect();
        let mut a = Vec::new();
        let mut b = Vec::new();
        for r in &rows {
            absorb(&mut a, ThreadSummary::of(r).unwrap());
        }
        for r in rows.iter().rev() {
            absorb(&mut b, ThreadSummary::of(r).unwrap());
        }
        assert_eq!(a, b);
        assert_eq!(a[0].latest.len(), LATEST_CLAIMS);
        assert_eq!(a[0].latest[LATEST_CLAIMS - 1].0, "2020-01-09");
        assert_eq!(a[0].independent, 8);
    }
}
