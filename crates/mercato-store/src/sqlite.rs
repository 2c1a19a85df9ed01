//! The embedded SQLite backend.

use crate::fingerprint::{bands, content_hash, near, simhash, MIN_SHINGLES};
use crate::near::NearIndex;
use crate::summary::{absorb, day, fact_key, move_days, summary_club_key, FactSample, PlayerState, Row, FACT_PROBES};
use crate::{
    Counts, FactFinder, FactRecord, IngestOutcome, LinkRecord, MoveHit, NameCount, NameKind, NewArticle, PlayerSummary,
    Query, SearchHit, Store, StoreError, StoredArticle, ThreadSummary, TransferRecord,
};
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

/// The schema, one migration per version; `PRAGMA user_version` records how many ran.
/// Never edit a released migration: add the next one.
const MIGRATIONS: [&str; 13] = [
    r#"
CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    content_hash  TEXT NOT NULL,
    simhash       INTEGER NOT NULL,
    shingles      INTEGER NOT NULL,
    b0 INTEGER NOT NULL, b1 INTEGER NOT NULL, b2 INTEGER NOT NULL,
    b3 INTEGER NOT NULL, b4 INTEGER NOT NULL, b5 INTEGER NOT NULL,
    url           TEXT,
    published     TEXT,
    published_how TEXT NOT NULL,
    copy_of       TEXT,
    sources       TEXT NOT NULL,
    text          TEXT NOT NULL,
    extraction    TEXT NOT NULL,
    seq           INTEGER NOT NULL
);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_b0 ON articles(b0, published);
CREATE INDEX articles_b1 ON articles(b1, published);
CREATE INDEX articles_b2 ON articles(b2, published);
CREATE INDEX articles_b3 ON articles(b3, published);
CREATE INDEX articles_b4 ON articles(b4, published);
CREATE INDEX articles_b5 ON articles(b5, published);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_seq ON articles(seq);
CREATE TABLE links (
    article    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    player     TEXT NOT NULL,
    club       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    stage      TEXT,
    hedged     INTEGER NOT NULL,
    sources    TEXT NOT NULL,
    ev_start   INTEGER NOT NULL,
    ev_end     INTEGER NOT NULL,
    evidence   TEXT NOT NULL,
    when_start TEXT,
    when_end   TEXT
);
CREATE INDEX links_article ON links(article);
CREATE INDEX links_player ON links(player COLLATE NOCASE);
CREATE INDEX links_club ON links(club COLLATE NOCASE);
CREATE TABLE facts (
    article   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    subject   TEXT NOT NULL,
    attribute TEXT NOT NULL,
    club      TEXT,
    value     TEXT NOT NULL,
    currency  TEXT,
    stated    TEXT,
    evidence  TEXT NOT NULL
);
CREATE INDEX facts_article ON facts(article);
CREATE INDEX facts_subject ON facts(subject COLLATE NOCASE);
CREATE VIRTUAL TABLE articles_fts USING fts5(text, content = 'articles', content_rowid = 'rowid');
"#,
    // v2: completed transfers (`mercato transfers import`) and a cache of answers derived
    // from the whole store (cleared by every write).
    r#"
CREATE TABLE transfers (
    player TEXT NOT NULL,
    player_key TEXT NOT NULL,
    from_club TEXT NOT NULL,
    to_club TEXT NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    loan INTEGER NOT NULL,
    fee_eur INTEGER,
    origin TEXT NOT NULL,
    UNIQUE (player_key, from_club, to_club, window_start)
);
CREATE INDEX transfers_end ON transfers(window_end);
CREATE TABLE derived (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    // v3: a generation number that every changing write bumps (readers key caches on it),
    // and the feed items `mercato watch` has ingested.
    r#"
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('generation', 0);
CREATE TABLE feed_items (
    feed TEXT NOT NULL,
    guid TEXT NOT NULL,
    article TEXT,
    seen TEXT NOT NULL,
    PRIMARY KEY (feed, guid)
);
"#,
    // v4: the players whose claims changed since derived state was last brought up to date
    // (as their links name them), so readers can refold only them.
    r#"
CREATE TABLE dirty_players (
    player TEXT PRIMARY KEY,
    mark INTEGER NOT NULL
);
"#,
    // v5: near-duplicate candidates are found in memory (`near.rs`), filled from an index in
    // `seq` order, which every insert appends to; the six band indexes (six random writes
    // per article) go. The band columns stay, unused.
    r#"
DROP INDEX IF EXISTS articles_b0;
DROP INDEX IF EXISTS articles_b1;
DROP INDEX IF EXISTS articles_b2;
DROP INDEX IF EXISTS articles_b3;
DROP INDEX IF EXISTS articles_b4;
DROP INDEX IF EXISTS articles_b5;
DROP INDEX IF EXISTS articles_seq;
CREATE INDEX articles_seq ON articles(seq, shingles, simhash);
"#,
    // v6: summaries kept at ingest (`summary.rs`), so the latest report on a player reads a
    // few rows: per thread episode, per player; moves by player and day, and by player, club
    // and day (covering indexes: a move is found without reading a row; `name` is the link's
    // player name in ASCII lower case, as `Query::player` matches it); the days a player was reported leaving a club (with how many links say so);
    // the first and last facts of each (player, attribute, club, value) that contradictions
    // are looked for in.
    // Filled from the stored links by `backfill` when an older database is opened.
    r#"
CREATE TABLE thread_sums (
    player_key TEXT NOT NULL,
    club_key   TEXT NOT NULL,
    first      TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (player_key, club_key, first)
);
CREATE TABLE player_sums (
    player_key TEXT PRIMARY KEY,
    data       TEXT NOT NULL
);
CREATE TABLE moves (
    player_key TEXT NOT NULL,
    club_key   TEXT NOT NULL,
    day        TEXT NOT NULL,
    told       TEXT NOT NULL,
    dated      INTEGER NOT NULL,
    past       INTEGER NOT NULL,
    link       INTEGER NOT NULL,
    name       TEXT NOT NULL
);
CREATE INDEX moves_player ON moves(player_key, day, told, link, club_key, dated, past, name);
CREATE INDEX moves_club ON moves(player_key, club_key, day, told, link, dated, past, name);
CREATE TABLE leaving (
    player_key TEXT NOT NULL,
    club_key   TEXT NOT NULL,
    day        TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (player_key, club_key, day)
) WITHOUT ROWID;
CREATE TABLE fact_sums (
    player_key TEXT NOT NULL,
    attribute  TEXT NOT NULL,
    club       TEXT NOT NULL,
    value      TEXT NOT NULL,
    n          INTEGER NOT NULL,
    head_max   TEXT NOT NULL,
    tail_min   TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (player_key, attribute, club, value)
);
"#,
    // v7: fact samples stored packed (`FactSample::pack`: a quarter of the v6 JSON; `pack_fact_sums`
    // rewrites a v6 database's rows), and the full-text index flushes its pending terms every
    // 32 MB rather than every 1 MB: fewer small segments, fewer merges rewriting them.
    r#"
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 33554432);
"#,
    // v8: exact copies are found in memory too (`near.rs`), filled with the near-duplicate
    // candidates from the `seq` index, which now carries the content hash; the content hash
    // index (a random page write per article) goes.
    r#"
DROP INDEX IF EXISTS articles_hash;
DROP INDEX IF EXISTS articles_seq;
CREATE INDEX articles_seq ON articles(seq, shingles, simhash, content_hash);
"#,
    // v9: new moves and leaving days go to small tables of recent rows first, merged into the
    // large ones in key order once they hold `MERGE_ROWS` moves (`merge_recent`): an insert
    // at a random place of a B-tree much larger than a batch rewrote a page of it (the
    // two move indexes and the leaving days: ~40,000 pages for 20,000 articles at 1 M).
    // Reads consult both. A recent move may repeat one of the large table (the first by
    // `(told, link)` of those alike is the answer either way); the merge keeps one.
    r#"
CREATE TABLE IF NOT EXISTS moves_recent (
    player_key TEXT NOT NULL,
    club_key   TEXT NOT NULL,
    day        TEXT NOT NULL,
    told       TEXT NOT NULL,
    dated      INTEGER NOT NULL,
    past       INTEGER NOT NULL,
    link       INTEGER NOT NULL,
    name       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS moves_recent_player ON moves_recent(player_key, day, told, link, club_key, dated, past, name);
CREATE INDEX IF NOT EXISTS moves_recent_club ON moves_recent(player_key, club_key, day, told, link, dated, past, name);
CREATE TABLE IF NOT EXISTS leaving_recent (
    player_key TEXT NOT NULL,
    club_key   TEXT NOT NULL,
    day        TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (player_key, club_key, day)
) WITHOUT ROWID;
"#,
    // v10: thread summaries keep their predictors (the sources of independent `to` claims
    // with the day of the first), so the sources' record reads a player's outcomes from his
    // summaries instead of folding every claim; the summaries are made again from the links
    // (`resummarise`)
    r#"
DELETE FROM thread_sums;
DELETE FROM player_sums;
"#,
    // v11: one key for a player's evidence: links and facts keep their player's folded name
    // (`crate::player_key`: case and accents folded, typographic quotes made ASCII, spaces
    // collapsed), filled and indexed by `fold_player_keys`, and every read and summary of a
    // player goes by it, so "João Félix" and "Joao Felix" are one player everywhere (the
    // summaries were keyed by the name in ASCII lower case, the links and facts read ignoring
    // ASCII case only, the moves and leaving days by the folded name). The indexes on the
    // names in ASCII case go; the summaries of the names whose key changes are made again;
    // derived values (kept under the old keys) are dropped.
    // From v11 on, ingest also writes less per article (rows written before read as they
    // did): a link's evidence is not stored again in its row (read from its article's text
    // between its offsets, see `LINK_SELECT`), and an article's extraction is stored
    // deflated (`deflate`).
    r#"
ALTER TABLE links ADD COLUMN player_key TEXT NOT NULL DEFAULT '';
ALTER TABLE facts ADD COLUMN subject_key TEXT NOT NULL DEFAULT '';
DROP INDEX IF EXISTS links_player;
DROP INDEX IF EXISTS facts_subject;
DELETE FROM derived;
"#,
    // v12: a fact keeps the offsets of its evidence in its article's text, and new facts
    // store no evidence of their own (read from the text, see `fact_evidence_at`), as links
    // since v11; facts stored before keep theirs (no offsets).
    r#"
ALTER TABLE facts ADD COLUMN ev_start INTEGER;
ALTER TABLE facts ADD COLUMN ev_end INTEGER;
"#,
    // v13: what a player's fact samples tell (his contradictions, as the reader that fills
    // it wants them), computed at ingest by the store's fact finder (`SqliteStore::set_fact_finder`)
    // for every player whose samples changed, so a read decodes a few rows rather than a
    // star's thousands of kept facts; a row of another finder's version is not read, and a
    // write without a finder drops the rows of the players it changes
    r#"
CREATE TABLE IF NOT EXISTS fact_found (
    player_key TEXT PRIMARY KEY,
    version    TEXT NOT NULL,
    data       TEXT NOT NULL
);
"#,
];

/// Recent moves (rows of `moves_recent`) past which a write merges the recent tables into
/// the large ones. At 1.6 M synthetic articles a write of 20,000 adds ~10,500 recent moves
/// and ~27,000 recent leaving days, so a merge comes every ~11 such writes; it wrote 88,000
/// pages more than a write without one (the two move indexes and the leaving days nearly
/// whole) and took ~4.4 s more CPU, ~8,000 pages and 0.4 s a write on average.
pub const MERGE_ROWS: i64 = 120_000;

/// Where [`index_links`] writes: the large tables (the v6 backfill) or the recent ones.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tables {
    Large,
    Recent,
}

/// The schema version whose migration fills the summaries from what is stored.
const SUMMARIES_VERSION: usize = 6;
/// The schema version from which fact samples are stored packed.
const PACKED_FACTS_VERSION: usize = 7;
/// The schema version whose migration makes the thread and player summaries again, with
/// the threads' predictors.
const PREDICTORS_VERSION: usize = 10;
/// The schema version whose migration gives links and facts their player's folded key.
const PLAYER_KEYS_VERSION: usize = 11;

/// Derived values under this prefix are incremental state: kept across writes, brought up
/// to date by readers from [`Store::dirty_players`].
const STATE_PREFIX: &str = "state:";

/// Marks a change: derived values are dropped (incremental state kept) and the generation
/// moves on.
fn changed(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("DELETE FROM derived WHERE substr(key, 1, 6) != ?1", params![STATE_PREFIX])?;
    tx.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'", [])?;
    Ok(())
}

/// A store in one SQLite file (or in memory).
pub struct SqliteStore {
    conn: Connection,
    path: String,
    /// The near-duplicate candidates, once a write has needed them.
    near: Option<NearIndex>,
    /// How deep in [`Store::begin_read`] calls, and whether the outermost began a
    /// transaction (not when one was open already).
    reading: std::cell::Cell<(u32, bool)>,
    /// Recent moves past which a write merges them into the large tables.
    merge_rows: i64,
    /// What a write computes from a changed player's fact samples (`fact_found`).
    finder: Option<FactFinder>,
    /// Whether a write of this process has filled the `fact_found` rows missing or of
    /// another version (once is enough: later writes keep the rows they change).
    found_filled: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &str) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // a 1 GiB page cache (filled only as the database grows) and memory-mapped reads: the indexes and the full-text index
        // are read at every insert
        conn.pragma_update(None, "cache_size", -1_048_576)?;
        conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // checkpoint the write-ahead log every ~400 MB rather than every 4 MB: a page written
        // by many transactions in between (an index page, the full-text index's newest
        // segments) is copied into the database once (at 120,000 articles, 10,000 pages
        // wrote twice the bytes)
        conn.pragma_update(None, "wal_autocheckpoint", 100_000)?;
        SqliteStore::init(conn, path)
    }

    /// A store that lives in memory (tests, one-off runs).
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::init(Connection::open_in_memory()?, ":memory:")
    }

    fn init(mut conn: Connection, path: &str) -> Result<SqliteStore, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // a reader or writer waits for a concurrent writer's commit instead of failing
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::NewerSchema { path: path.to_string(), found: version, known });
        }
        let tx = conn.transaction()?;
        for (k, sql) in MIGRATIONS.iter().enumerate().skip(usize::try_from(version).unwrap_or(0)) {
            tx.execute_batch(sql)?;
            if k + 1 == SUMMARIES_VERSION && version > 0 {
                backfill(&tx)?;
            }
            // a v6 database's samples are in the v6 form (a backfill above wrote packed ones)
            if k + 1 == PACKED_FACTS_VERSION && version >= SUMMARIES_VERSION as i64 {
                pack_fact_sums(&tx)?;
            }
            // the v10 migration emptied them (a new database has nothing to summarise)
            if k + 1 == PREDICTORS_VERSION && version > 0 {
                resummarise(&tx)?;
            }
            if k + 1 == PLAYER_KEYS_VERSION {
                fold_player_keys(&tx)?;
            }
            tx.pragma_update(None, "user_version", k as i64 + 1)?;
        }
        tx.commit()?;
        Ok(SqliteStore {
            conn,
            path: path.to_string(),
            near: None,
            reading: std::cell::Cell::new((0, false)),
            merge_rows: MERGE_ROWS,
            finder: None,
            found_filled: false,
        })
    }

    /// Sets what every write computes from the fact samples of each player whose samples it
    /// changes, kept (`fact_found`, [`Store::fact_found`]) under the finder's version; a write
    /// also fills the rows missing or of another version. Without a finder a write drops the
    /// rows of the players it changes.
    pub fn set_fact_finder(&mut self, finder: FactFinder) {
        self.finder = Some(finder);
        self.found_filled = false;
    }

    /// SQLite's own check of the file: `Ok(())` when intact, else what is wrong.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let verdict: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(verdict))
        }
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Sets how many recent moves a write lets gather before it merges them into the large
    /// tables (`MERGE_ROWS` by default; 0 merges at every write, as before schema v9).
    pub fn set_merge_rows(&mut self, rows: i64) {
        self.merge_rows = rows;
    }

    /// Loads the near-duplicate candidates that the first write needs (every stored
    /// article's fingerprint: about a second at 1 M articles, much of it waiting on the
    /// disk), so that a caller can do it while it prepares that write (`mercato ingest`
    /// does it while the first batch is extracted). Does nothing once loaded; a write brings
    /// them up to date with what others stored in between.
    pub fn prepare_writes(&mut self) -> Result<(), StoreError> {
        if self.near.is_some() {
            return Ok(());
        }
        let mut index = NearIndex::new();
        // a read transaction: one consistent view of the `seq` index
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        catch_up(&tx, &mut index)?;
        tx.commit()?;
        self.near = Some(index);
        Ok(())
    }
}

/// The columns of a [`LinkRecord`] (see [`link_record`]), then the link's row, its
/// article's `seq` and text (a link's evidence is the text between its offsets: from
/// schema v11 it is not stored again in the link's row; the text is on the article's page,
/// before `seq`, read anyway).
const LINK_SELECT: &str = "SELECT l.article, a.published, a.published_how, a.copy_of, l.player, l.club, l.kind, \
     l.stage, l.hedged, l.sources, l.ev_start, l.ev_end, l.evidence, l.when_start, l.when_end, a.sources, l.rowid, \
     a.seq, a.text FROM links l JOIN articles a ON a.id = l.article";

/// The columns of a [`FactRecord`] (see [`fact_record`]), then the fact's row and its
/// article's `seq`, then its evidence's offsets and its article's text (as [`LINK_SELECT`]).
const FACT_SELECT: &str = "SELECT f.article, a.published, a.published_how, a.copy_of, f.subject, f.attribute, \
     f.club, f.value, f.currency, f.stated, f.evidence, f.rowid, a.seq, f.ev_start, f.ev_end, a.text \
     FROM facts f JOIN articles a ON a.id = f.article";

/// Evidence as a row gives it: stored in the row before schema v11 (links) or v12 (facts);
/// since, empty there and read from the article's text (column `text`) between the offsets.
fn stored_or_text(
    r: &rusqlite::Row<'_>,
    stored: String,
    offsets: Option<(usize, usize)>,
    text: usize,
) -> rusqlite::Result<String> {
    match offsets {
        Some((start, end)) if stored.is_empty() => Ok(slice(r.get_ref(text)?.as_str()?, start, end)),
        _ => Ok(stored),
    }
}

/// A fact's evidence (column `evidence`): stored, or its article's text between its
/// offsets (columns `at`, `at + 1`; the text at `at + 2`), which facts stored before v12 lack.
fn fact_evidence_at(r: &rusqlite::Row<'_>, evidence: usize, at: usize) -> rusqlite::Result<String> {
    let offset = |k: usize| r.get::<_, Option<i64>>(k).map(|v| v.map(|v| usize::try_from(v).unwrap_or(0)));
    let offsets = offset(at)?.zip(offset(at + 1)?);
    stored_or_text(r, r.get(evidence)?, offsets, at + 2)
}

/// The columns of [`FACT_SELECT`] up to the article's `seq`, without the evidence (an empty
/// string in its place; any schema version from v1: the summaries' backfills read them).
const FACT_KEYS_SELECT: &str = "SELECT f.article, a.published, a.published_how, a.copy_of, f.subject, f.attribute, \
     f.club, f.value, f.currency, f.stated, '', f.rowid, a.seq FROM facts f JOIN articles a ON a.id = f.article";

fn fact_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<FactRecord> {
    fact_without_evidence(r, fact_evidence_at(r, 10, 13)?)
}

fn fact_without_evidence(r: &rusqlite::Row<'_>, evidence: String) -> rusqlite::Result<FactRecord> {
    Ok(FactRecord {
        article: r.get(0)?,
        published: r.get(1)?,
        date_inferred: r.get::<_, String>(2)? == "inferred",
        copy_of: r.get(3)?,
        subject: r.get(4)?,
        attribute: r.get(5)?,
        club: r.get(6)?,
        value: r.get(7)?,
        currency: r.get(8)?,
        stated: r.get(9)?,
        evidence,
    })
}

/// A stored fact that is no copy, with its place in the order facts are read in.
pub(crate) struct FactRow {
    key: String,
    fact: FactRecord,
}

/// Brings the kept facts of each (player, attribute, club, value) up to date.
fn summarise_facts(tx: &Transaction<'_>, rows: Vec<FactRow>) -> Result<std::collections::BTreeSet<String>, StoreError> {
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<(String, String, String, String), Vec<FactRow>> = BTreeMap::new();
    for row in rows {
        // grouped as `mercato-threads` groups them: no club for ages and birth dates
        let club = match row.fact.attribute.as_str() {
            "age" | "birth_date" => String::new(),
            _ => row.fact.club.clone().unwrap_or_default(),
        };
        let key = (crate::player_key(&row.fact.subject), row.fact.attribute.clone(), club, row.fact.value.clone());
        groups.entry(key).or_default().push(row);
    }
    let corrupt = |e: String| StoreError::Corrupt(format!("fact sample: {e}"));
    let mut look = tx.prepare_cached(
        "SELECT rowid, n, head_max, tail_min FROM fact_sums WHERE player_key = ?1 AND attribute = ?2 AND club = ?3 AND value = ?4",
    )?;
    let mut load = tx.prepare_cached("SELECT data FROM fact_sums WHERE rowid = ?1")?;
    // an existing row is updated in place (its key and row kept)
    let mut update =
        tx.prepare_cached("UPDATE fact_sums SET n = ?2, head_max = ?3, tail_min = ?4, data = ?5 WHERE rowid = ?1")?;
    let mut put = tx.prepare_cached(
        "INSERT INTO fact_sums (player_key, attribute, club, value, n, head_max, tail_min, data) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut changed = std::collections::BTreeSet::new();
    for ((pk, attribute, club, value), rows) in groups {
        let stored: Option<(i64, i64, String, String)> = look
            .query_row(params![pk, attribute, club, value], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        // most facts of a much-told value fall between the first and the last kept: only
        // the count changes
        if let Some((_, n, head_max, tail_min)) = &stored {
            let full = usize::try_from(*n).unwrap_or(0) >= 2 * FACT_PROBES;
            if full && rows.iter().all(|r| r.key > *head_max && r.key < *tail_min) {
                // nothing kept changes (the count only matters until the sample is full)
                continue;
            }
        }
        let mut sample: FactSample = match &stored {
            Some((rowid, ..)) => {
                let data: String = load.query_row(params![rowid], |r| r.get(0))?;
                FactSample::unpack(&data, &attribute, &value).map_err(corrupt)?
            }
            None => FactSample::default(),
        };
        for row in rows {
            if sample.takes(&row.key) {
                sample.add(row.key, row.fact);
            } else {
                sample.n += 1;
            }
        }
        let head_max = sample.head.last().map(|(k, _)| k.clone()).unwrap_or_default();
        let tail_min = sample.tail.first().map(|(k, _)| k.clone()).unwrap_or_else(|| head_max.clone());
        let n = i64::try_from(sample.n).unwrap_or(i64::MAX);
        let data = sample.pack().map_err(corrupt)?;
        match stored {
            Some((rowid, ..)) => update.execute(params![rowid, n, head_max, tail_min, data])?,
            None => put.execute(params![pk, attribute, club, value, n, head_max, tail_min, data])?,
        };
        changed.insert(pk);
    }
    Ok(changed)
}

/// A player's stored fact samples (by his key), in the order [`Store::fact_samples`] gives
/// their facts: (attribute, value, packed samples).
const SAMPLES_OF: &str =
    "SELECT attribute, value, data FROM fact_sums WHERE player_key = ?1 ORDER BY attribute, club, value";

/// The stored samples of a player (his key), as [`SAMPLES_OF`] reads them.
fn stored_samples(conn: &rusqlite::Connection, pk: &str) -> Result<Vec<(String, String, String)>, StoreError> {
    Ok(conn
        .prepare_cached(SAMPLES_OF)?
        .query_map(params![pk], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?)
}

/// The kept facts in a player's stored samples, as [`Store::fact_samples`] gives them.
fn unpack_samples(pk: &str, stored: &[(String, String, String)]) -> Result<Vec<(i64, FactRecord)>, StoreError> {
    let mut out = Vec::new();
    for (attribute, value, data) in stored {
        FactSample::unpack_facts(data, attribute, value, &mut out)
            .map_err(|e| StoreError::Corrupt(format!("facts of {pk}: {e}")))?;
    }
    Ok(out)
}

/// Brings `fact_found` up to date for these players (their samples changed): with a finder,
/// their rows made again, and, when `fill` is set, the rows of every other player missing or
/// of another version filled; without one, their rows dropped.
fn find_in_facts(
    tx: &Transaction<'_>,
    players: &std::collections::BTreeSet<String>,
    finding: Option<(&FactFinder, bool)>,
) -> Result<(), StoreError> {
    let Some((finder, fill)) = finding else {
        let mut drop = tx.prepare_cached("DELETE FROM fact_found WHERE player_key = ?1")?;
        for pk in players {
            drop.execute(params![pk])?;
        }
        return Ok(());
    };
    let mut todo: Vec<String> = players.iter().cloned().collect();
    if fill {
        let missing = tx
            .prepare_cached(
                "SELECT DISTINCT player_key FROM fact_sums WHERE player_key NOT IN \
                 (SELECT player_key FROM fact_found WHERE version = ?1)",
            )?
            .query_map(params![finder.version], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        todo.extend(missing);
    }
    todo.sort_unstable();
    todo.dedup();
    let mut put =
        tx.prepare_cached("INSERT OR REPLACE INTO fact_found (player_key, version, data) VALUES (?1, ?2, ?3)")?;
    let mut drop = tx.prepare_cached("DELETE FROM fact_found WHERE player_key = ?1")?;
    // the stored samples read in turn, decoded and looked at on every core, a few players
    // at a time (a star's decoded facts take tens of megabytes)
    for chunk in todo.chunks(FIND_CHUNK) {
        let stored: Vec<Vec<(String, String, String)>> =
            chunk.iter().map(|pk| stored_samples(tx, pk)).collect::<Result<_, _>>()?;
        let found: Vec<Option<String>> = chunk
            .par_iter()
            .zip(stored)
            .map(|(pk, rows)| {
                if rows.is_empty() {
                    return Ok(None);
                }
                let samples = unpack_samples(pk, &rows)?;
                (finder.find)(samples).map(Some).map_err(|e| StoreError::Corrupt(format!("facts of {pk}: {e}")))
            })
            .collect::<Result<_, StoreError>>()?;
        for (pk, data) in chunk.iter().zip(found) {
            match data {
                Some(data) => put.execute(params![pk, finder.version, data])?,
                None => drop.execute(params![pk])?,
            };
        }
    }
    Ok(())
}

/// Players whose fact samples [`find_in_facts`] reads, then decodes in parallel, at a time.
const FIND_CHUNK: usize = 32;

/// Rewrites every fact sample of a v6 database in the packed form of v7.
fn pack_fact_sums(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let mut stmt = tx.prepare("SELECT rowid, data FROM fact_sums")?;
    let mut rows = stmt.query([])?;
    let mut update = tx.prepare("UPDATE fact_sums SET data = ?2 WHERE rowid = ?1")?;
    while let Some(r) = rows.next()? {
        let (rowid, data): (i64, String) = (r.get(0)?, r.get(1)?);
        let sample: FactSample =
            serde_json::from_str(&data).map_err(|e| StoreError::Corrupt(format!("v6 fact sample {rowid}: {e}")))?;
        let packed = sample.pack().map_err(|e| StoreError::Corrupt(format!("v6 fact sample {rowid}: {e}")))?;
        update.execute(params![rowid, packed])?;
    }
    Ok(())
}

/// The stored facts (no copies) of these players, in the order facts are read in.
fn facts_of(tx: &Transaction<'_>, player: Option<&str>) -> Result<Vec<FactRow>, StoreError> {
    let sql = match player {
        Some(_) => format!("{FACT_KEYS_SELECT} WHERE f.subject_key = ?1 AND a.copy_of IS NULL"),
        None => format!("{FACT_KEYS_SELECT} WHERE a.copy_of IS NULL AND ?1 IS NULL"),
    };
    let mut stmt = tx.prepare(&sql)?;
    let rows = stmt.query_map(params![player], |r| {
        let fact = fact_without_evidence(r, String::new())?;
        Ok(FactRow { key: fact_key(fact.published.as_deref(), r.get(12)?, r.get(11)?), fact })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn link_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<LinkRecord> {
    let sources: String = r.get(9)?;
    let article_sources: String = r.get(15)?;
    let when = match (r.get::<_, Option<String>>(13)?, r.get::<_, Option<String>>(14)?) {
        (Some(a), Some(b)) => Some([a, b]),
        _ => None,
    };
    let (start, end) =
        (usize::try_from(r.get::<_, i64>(10)?).unwrap_or(0), usize::try_from(r.get::<_, i64>(11)?).unwrap_or(0));
    let evidence = stored_or_text(r, r.get(12)?, Some((start, end)), 18)?;
    Ok(LinkRecord {
        article: r.get(0)?,
        published: r.get(1)?,
        date_inferred: r.get::<_, String>(2)? == "inferred",
        copy_of: r.get(3)?,
        player: r.get(4)?,
        club: r.get(5)?,
        kind: r.get(6)?,
        stage: r.get(7)?,
        hedged: r.get(8)?,
        sources: serde_json::from_str(&sources).unwrap_or_default(),
        article_sources: serde_json::from_str(&article_sources).unwrap_or_default(),
        evidence_start: start,
        evidence_end: end,
        evidence,
        when,
    })
}

impl SqliteStore {
    /// The link stored in a row, if any.
    fn link_by_row(&self, link: Option<i64>) -> Result<Option<LinkRecord>, StoreError> {
        let Some(link) = link else { return Ok(None) };
        Ok(self
            .conn
            .prepare_cached(&format!("{LINK_SELECT} WHERE l.rowid = ?1"))?
            .query_row(params![link], link_record)
            .optional()?)
    }
}

fn max_seq(tx: &Transaction<'_>) -> Result<i64, StoreError> {
    Ok(tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| r.get(0))?)
}

/// A stored article that may be the original: id, its own original, SimHash, date, order.
type Candidate = (String, Option<String>, i64, Option<String>, i64);

/// Days either side of an article's date within which its near copies are looked for.
pub const COPY_WINDOW_DAYS: i64 = 45;

/// `date` ± `days` as `YYYY-MM-DD` strings.
fn chrono_window(date: &str, days: i64) -> Option<(String, String)> {
    let d = chrono::NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()?;
    let lo = d.checked_sub_signed(chrono::Duration::days(days))?;
    let hi = d.checked_add_signed(chrono::Duration::days(days))?;
    Some((lo.to_string(), hi.to_string()))
}

/// Brings the near-duplicate candidates up to date with what is stored (this process's
/// earlier writes, and any other's).
fn catch_up(tx: &Transaction<'_>, index: &mut NearIndex) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT seq, shingles, simhash, rowid, content_hash FROM articles WHERE seq > ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![index.seq])?;
    while let Some(r) = rows.next()? {
        let (seq, shingles, simhash, rowid): (i64, i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let hash =
            r.get_ref(4)?.as_str().map_err(|e| StoreError::Corrupt(format!("content hash of row {rowid}: {e}")))?;
        index.add(hash, simhash as u64, shingles >= MIN_SHINGLES as i64, rowid, seq);
    }
    Ok(())
}

/// The near-duplicate candidates of one write: brought up to date when first needed.
struct Near<'a> {
    index: &'a mut NearIndex,
    current: bool,
}

/// The original an article copies: same text under another id, else a near-duplicate with
/// enough words (the earliest published, then the first stored). A copy's original is the
/// copy's own original.
fn find_original(
    tx: &Transaction<'_>,
    near_index: &mut Near<'_>,
    id: &str,
    hash: &str,
    sim: u64,
    shingles: usize,
    published: Option<&str>,
) -> Result<Option<String>, StoreError> {
    if !near_index.current {
        catch_up(tx, near_index.index)?;
        near_index.current = true;
    }
    // the same text: the first stored of the rows that have it
    let mut same =
        tx.prepare_cached("SELECT id, copy_of, seq FROM articles WHERE rowid = ?1 AND content_hash = ?2 AND id <> ?3")?;
    let mut exact: Option<(String, Option<String>, i64)> = None;
    for rowid in near_index.index.same_text(hash) {
        let row: Option<(String, Option<String>, i64)> =
            same.query_row(params![rowid, hash, id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
        if let Some(row) = row.filter(|row| exact.as_ref().is_none_or(|e| row.2 < e.2)) {
            exact = Some(row);
        }
    }
    if let Some((other, copy_of, _)) = exact {
        return Ok(Some(copy_of.unwrap_or(other)));
    }
    if shingles < MIN_SHINGLES {
        return Ok(None);
    }
    // Copies appear within days of their original: a dated article is compared with the
    // near articles published within COPY_WINDOW_DAYS, an undated one with every near
    // article. Each candidate is checked against its stored row.
    let window = published.and_then(|p| chrono_window(p, COPY_WINDOW_DAYS));
    let sql = match window {
        Some(_) => "SELECT id, copy_of, simhash, published, seq FROM articles WHERE rowid = ?1 AND published BETWEEN ?2 AND ?3 AND id <> ?4 AND shingles >= ?5",
        None => "SELECT id, copy_of, simhash, published, seq FROM articles WHERE rowid = ?1 AND ?2 IS NULL AND ?3 IS NULL AND id <> ?4 AND shingles >= ?5",
    };
    let (lo, hi) = window.map_or((None, None), |(lo, hi)| (Some(lo), Some(hi)));
    let mut stmt = tx.prepare_cached(sql)?;
    let mut candidates: Vec<Candidate> = Vec::new();
    for rowid in near_index.index.candidates(sim) {
        let row: Option<Candidate> = stmt
            .query_row(params![rowid, lo, hi, id, MIN_SHINGLES as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        if let Some(row) = row.filter(|row| near(sim, row.2 as u64)) {
            candidates.push(row);
        }
    }
    // the earliest published (then first stored) near text is the original
    candidates.sort_by(|a, b| (a.3.is_none(), &a.3, a.4).cmp(&(b.3.is_none(), &b.3, b.4)));
    if let Some((other, copy_of, ..)) = candidates.into_iter().next() {
        return Ok(Some(copy_of.unwrap_or(other)));
    }
    Ok(None)
}

fn slice(text: &str, start: usize, end: usize) -> String {
    text.get(start..end).unwrap_or("").to_string()
}

/// What an article's row needs that costs CPU: worked out for a whole batch in parallel
/// before the write, so the one writing thread does only the writing.
struct Prepared {
    hash: String,
    sim: u64,
    shingles: usize,
    /// The extraction's JSON, deflated (`deflate`).
    extraction: Vec<u8>,
    sources: String,
}

/// An article's extraction as stored from schema v11: its JSON deflated (about a quarter:
/// the largest part of an article's row after its text, read only by [`Store::article`]).
fn deflate(json: &str) -> Result<Vec<u8>, StoreError> {
    use std::io::Write;
    let mut out = flate2::write::DeflateEncoder::new(Vec::with_capacity(json.len() / 3), flate2::Compression::fast());
    out.write_all(json.as_bytes()).map_err(|e| StoreError::Corrupt(format!("deflate: {e}")))?;
    out.finish().map_err(|e| StoreError::Corrupt(format!("deflate: {e}")))
}

/// A stored extraction's JSON: text (before schema v11) or deflated.
fn extraction_json(id: &str, stored: rusqlite::types::Value) -> Result<String, StoreError> {
    use rusqlite::types::Value;
    use std::io::Read;
    let corrupt = |e: String| StoreError::Corrupt(format!("extraction of {id}: {e}"));
    match stored {
        Value::Text(json) => Ok(json),
        Value::Blob(b) => {
            let mut json = String::with_capacity(b.len() * 4);
            flate2::read::DeflateDecoder::new(b.as_slice())
                .read_to_string(&mut json)
                .map_err(|e| corrupt(e.to_string()))?;
            Ok(json)
        }
        other => Err(corrupt(format!("a {:?}", other.data_type()))),
    }
}

fn prepare(a: &NewArticle<'_>) -> Result<Prepared, StoreError> {
    let json = |e: serde_json::Error| StoreError::Corrupt(e.to_string());
    let (sim, shingles) = simhash(a.text);
    Ok(Prepared {
        hash: content_hash(a.text),
        sim,
        shingles,
        extraction: deflate(&serde_json::to_string(a.extraction).map_err(json)?)?,
        sources: serde_json::to_string(&a.extraction.sources).map_err(json)?,
    })
}

fn insert(
    tx: &Transaction<'_>,
    a: &NewArticle<'_>,
    p: &Prepared,
    copy_of: Option<&str>,
    seq: i64,
    (rows, facts): (&mut Vec<Row>, &mut Vec<FactRow>),
) -> Result<i64, StoreError> {
    let x = a.extraction;
    let how = x.published.how.as_str();
    let [b0, b1, b2, b3, b4, b5] = bands(p.sim);
    tx.prepare_cached(
        "INSERT INTO articles (id, content_hash, simhash, shingles, b0, b1, b2, b3, b4, b5, url, published, published_how, copy_of, text, extraction, seq, sources)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        a.id,
        p.hash,
        p.sim as i64,
        p.shingles as i64,
        b0,
        b1,
        b2,
        b3,
        b4,
        b5,
        a.url,
        x.published.date,
        how,
        copy_of,
        a.text,
        p.extraction,
        seq,
        p.sources
    ])?;
    let rowid = tx.last_insert_rowid();
    let mut link = tx.prepare_cached(
        "INSERT INTO links (article, player, club, kind, stage, hedged, sources, ev_start, ev_end, evidence, when_start, when_end, player_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    // each fact's subject folded once (a link's article states a fee for its player when
    // one of its facts has the player's key)
    let subject_keys: Vec<String> = x.facts.iter().map(|f| crate::player_key(&f.subject)).collect();
    for l in &x.links {
        let stage = l.stage.map(|s| s.as_str());
        let sources = serde_json::to_string(&l.attributed_to).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let when = l.when.as_ref().and_then(|w| w.value);
        let evidence = slice(a.text, l.evidence.start, l.evidence.end);
        let when = when.map(|w| [w.start.to_string(), w.end.to_string()]);
        let player_key = crate::player_key(&l.player);
        let fee = x.facts.iter().zip(&subject_keys).any(|(f, k)| f.attribute == "fee" && *k == player_key);
        link.execute(params![
            a.id,
            l.player,
            l.club,
            l.kind.as_str(),
            stage,
            l.hedged,
            sources,
            l.evidence.start as i64,
            l.evidence.end as i64,
            // read from the article's text (`link_record`)
            "",
            when.as_ref().map(|w| &w[0]),
            when.as_ref().map(|w| &w[1]),
            player_key,
        ])?;
        rows.push(Row {
            rec: LinkRecord {
                article: a.id.to_string(),
                published: x.published.date.clone(),
                date_inferred: how == "inferred",
                copy_of: copy_of.map(str::to_string),
                player: l.player.clone(),
                club: l.club.clone(),
                kind: l.kind.as_str().to_string(),
                stage: stage.map(str::to_string),
                hedged: l.hedged,
                sources: l.attributed_to.clone(),
                article_sources: x.sources.clone(),
                evidence_start: l.evidence.start,
                evidence_end: l.evidence.end,
                evidence,
                when,
            },
            seq,
            link: tx.last_insert_rowid(),
            fee,
        });
    }
    let mut fact = tx.prepare_cached(
        "INSERT INTO facts (article, subject, attribute, club, value, currency, stated, evidence, subject_key, ev_start, ev_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (f, subject_key) in x.facts.iter().zip(&subject_keys) {
        fact.execute(params![
            a.id,
            f.subject,
            f.attribute,
            f.club,
            f.value,
            f.currency,
            f.stated,
            // read from the article's text (`fact_evidence_at`)
            "",
            subject_key,
            f.evidence.start as i64,
            f.evidence.end as i64,
        ])?;
        if copy_of.is_none() {
            let key = fact_key(x.published.date.as_deref(), seq, tx.last_insert_rowid());
            facts.push(FactRow {
                key,
                fact: FactRecord {
                    article: a.id.to_string(),
                    published: x.published.date.clone(),
                    date_inferred: how == "inferred",
                    copy_of: None,
                    subject: f.subject.clone(),
                    attribute: f.attribute.clone(),
                    club: f.club.clone(),
                    value: f.value.clone(),
                    currency: f.currency.clone(),
                    stated: f.stated.clone(),
                    // read again for the sides of a contradiction
                    evidence: String::new(),
                },
            });
        }
    }
    // the full-text index keeps no copy of the text: it reads it from `articles`
    tx.prepare_cached("INSERT INTO articles_fts (rowid, text) VALUES (?1, ?2)")?.execute(params![rowid, a.text])?;
    Ok(rowid)
}

/// Takes an article's links out of the leaving table; the players they name (their summaries
/// and moves must be made again from their links).
fn unindex(tx: &Transaction<'_>, id: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = tx.prepare_cached(&format!("{LINK_SELECT} WHERE l.article = ?1"))?;
    let rows: Vec<LinkRecord> = stmt.query_map(params![id], link_record)?.collect::<Result<_, _>>()?;
    let mut players = Vec::new();
    for rec in rows {
        let (pk, ck) = (crate::player_key(&rec.player), crate::player_key(&rec.club));
        if rec.kind == "from" {
            if let Some(d) = day(rec.published.as_deref()) {
                let d = d.to_string();
                // the link was counted in one of the two tables (the count is their sum)
                let recent = tx
                    .prepare_cached(
                        "UPDATE leaving_recent SET n = n - 1 WHERE player_key = ?1 AND club_key = ?2 AND day = ?3",
                    )?
                    .execute(params![pk, ck, d])?;
                if recent == 0 {
                    tx.prepare_cached(
                        "UPDATE leaving SET n = n - 1 WHERE player_key = ?1 AND club_key = ?2 AND day = ?3",
                    )?
                    .execute(params![pk, ck, d])?;
                }
                for table in ["leaving", "leaving_recent"] {
                    tx.prepare_cached(&format!(
                        "DELETE FROM {table} WHERE player_key = ?1 AND club_key = ?2 AND day = ?3 AND n <= 0"
                    ))?
                    .execute(params![pk, ck, d])?;
                }
            }
        }
        players.push(rec.player);
    }
    let subjects: Vec<String> = tx
        .prepare_cached("SELECT DISTINCT subject FROM facts WHERE article = ?1")?
        .query_map(params![id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    players.extend(subjects);
    Ok(players)
}

/// Puts links into the move table and, with `leaving`, into the leaving table.
///
/// Of the moves that agree on everything the move queries filter on (player, club, day,
/// whether dated, whether `past`, the player's name as written), only the first by
/// `(told, link)` is kept: the queries answer the first qualifying move by
/// `(day, told, link)`, and if one of them qualifies all do, so the others can never be an
/// answer. (An undated move's day is its `told`.) Half the rows at 1 M articles, and a move
/// told again later writes nothing. A replaced article's players get their moves made again
/// from their links (`rebuild`).
fn index_links(tx: &Transaction<'_>, rows: &[Row], leaving: bool, tables: Tables) -> Result<(), StoreError> {
    let (moves, leaving_table) = match tables {
        Tables::Large => ("moves", "leaving"),
        Tables::Recent => ("moves_recent", "leaving_recent"),
    };
    let mut add_move = tx.prepare_cached(&format!(
        "INSERT INTO {moves} (player_key, club_key, day, told, dated, past, link, name) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    ))?;
    let mut kept = tx.prepare_cached(&format!(
        "SELECT rowid, told, link FROM {moves} WHERE player_key = ?1 AND club_key = ?2 AND day = ?3 \
         AND dated = ?4 AND past = ?5 ORDER BY told, link LIMIT 1"
    ))?;
    let mut earlier = tx.prepare_cached(&format!("UPDATE {moves} SET told = ?2, link = ?3 WHERE rowid = ?1"))?;
    // a recent move that the large table already has as early (or earlier) is not kept:
    // read, never written, so the large table's page is not rewritten
    let mut kept_large = tx.prepare_cached(
        "SELECT told, link FROM moves WHERE player_key = ?1 AND club_key = ?2 AND day = ?3 \
         AND dated = ?4 AND past = ?5 ORDER BY told, link LIMIT 1",
    )?;
    let mut add_leaving = tx.prepare_cached(&format!(
        "INSERT INTO {leaving_table} (player_key, club_key, day, n) VALUES (?1, ?2, ?3, 1) \
         ON CONFLICT (player_key, club_key, day) DO UPDATE SET n = n + 1"
    ))?;
    for row in rows {
        let rec = &row.rec;
        if let Some((d, told, dated)) = move_days(rec) {
            let (pk, ck) = (crate::player_key(&rec.player), crate::player_key(&rec.club));
            let (d, told, past) = (d.to_string(), told.to_string(), rec.kind == "past");
            let first: Option<(i64, String, i64)> = kept
                .query_row(params![pk, ck, d, dated, past], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            match first {
                None => {
                    if tables == Tables::Recent {
                        let large: Option<(String, i64)> = kept_large
                            .query_row(params![pk, ck, d, dated, past], |r| Ok((r.get(0)?, r.get(1)?)))
                            .optional()?;
                        if large.is_some_and(|(t, l)| (t.as_str(), l) <= (told.as_str(), row.link)) {
                            continue;
                        }
                    }
                    // `name` is no longer read (schema v11: a player's moves are his key's): empty
                    add_move.execute(params![pk, ck, d, told, dated, past, row.link, ""])?;
                }
                Some((rowid, t, l)) if (told.as_str(), row.link) < (t.as_str(), l) => {
                    earlier.execute(params![rowid, told, row.link])?;
                }
                Some(_) => {}
            }
        } else if leaving && rec.kind == "from" {
            if let Some(d) = day(rec.published.as_deref()) {
                let (pk, ck) = (crate::player_key(&rec.player), crate::player_key(&rec.club));
                add_leaving.execute(params![pk, ck, d.to_string()])?;
            }
        }
    }
    Ok(())
}

/// Brings the thread and player summaries up to date with new links (each once).
fn summarise(tx: &Transaction<'_>, rows: &[Row]) -> Result<(), StoreError> {
    use std::collections::BTreeMap;
    // the claims of each (player, club), the links of each player
    let mut pairs: BTreeMap<(String, String), Vec<ThreadSummary>> = BTreeMap::new();
    let mut players: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        let pk = crate::player_key(&row.rec.player);
        if let Some(claim) = ThreadSummary::of(row) {
            pairs.entry((pk.clone(), summary_club_key(&row.rec.club))).or_default().push(claim);
        }
        players.entry(pk).or_default().push(row);
    }
    let json = |e: serde_json::Error| StoreError::Corrupt(e.to_string());
    {
        let mut load =
            tx.prepare_cached("SELECT rowid, first, data FROM thread_sums WHERE player_key = ?1 AND club_key = ?2")?;
        let mut clear = tx.prepare_cached("DELETE FROM thread_sums WHERE rowid = ?1")?;
        let mut update = tx.prepare_cached("UPDATE thread_sums SET data = ?2 WHERE rowid = ?1")?;
        let mut put =
            tx.prepare_cached("INSERT INTO thread_sums (player_key, club_key, first, data) VALUES (?1, ?2, ?3, ?4)")?;
        for ((pk, ck), claims) in pairs {
            let stored: Vec<(i64, String, String)> = load
                .query_map(params![pk, ck], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            let mut episodes: Vec<ThreadSummary> =
                stored.iter().map(|(_, _, d)| serde_json::from_str(d)).collect::<Result<_, _>>().map_err(json)?;
            for claim in claims {
                absorb(&mut episodes, claim);
            }
            // each episode's row updated in place when it starts on the same day as before
            // (its key and index entry kept), made when new, deleted when merged into another
            for e in &episodes {
                let data = serde_json::to_string(e).map_err(json)?;
                match stored.iter().find(|(_, first, _)| *first == e.first) {
                    Some((_, _, old)) if *old == data => {}
                    Some((rowid, ..)) => {
                        update.execute(params![rowid, data])?;
                    }
                    None => {
                        put.execute(params![pk, ck, e.first, data])?;
                    }
                }
            }
            for (rowid, first, _) in &stored {
                if !episodes.iter().any(|e| e.first == *first) {
                    clear.execute(params![rowid])?;
                }
            }
        }
    }
    let mut load = tx.prepare_cached("SELECT data FROM player_sums WHERE player_key = ?1")?;
    let mut put = tx.prepare_cached("INSERT OR REPLACE INTO player_sums (player_key, data) VALUES (?1, ?2)")?;
    for (pk, rows) in players {
        let stored: Option<String> = load.query_row(params![pk], |r| r.get(0)).optional()?;
        let mut state: PlayerState = match stored {
            Some(d) => serde_json::from_str(&d).map_err(json)?,
            None => match rows.first() {
                Some(first) => PlayerState::new(first),
                None => continue,
            },
        };
        for row in rows {
            state.add(row);
        }
        put.execute(params![pk, serde_json::to_string(&state).map_err(json)?])?;
    }
    Ok(())
}

/// Makes the summaries and moves of these players (their keys, [`crate::player_key`])
/// again from their stored links and facts (after a replaced article took links away).
fn rebuild(tx: &Transaction<'_>, players: &std::collections::BTreeSet<String>) -> Result<(), StoreError> {
    for pk in players {
        tx.prepare_cached("DELETE FROM thread_sums WHERE player_key = ?1")?.execute(params![pk])?;
        tx.prepare_cached("DELETE FROM player_sums WHERE player_key = ?1")?.execute(params![pk])?;
        tx.prepare_cached("DELETE FROM fact_sums WHERE player_key = ?1")?.execute(params![pk])?;
        for table in ["moves", "moves_recent"] {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE player_key = ?1"))?.execute(params![pk])?;
        }
        summarise_facts(tx, facts_of(tx, Some(pk))?)?;
        // the articles that state a fee for him (every fact read has his key)
        let priced: std::collections::HashSet<String> = tx
            .prepare_cached("SELECT article FROM facts WHERE subject_key = ?1 AND attribute = 'fee'")?
            .query_map(params![pk], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut stmt = tx.prepare_cached(&format!("{LINK_SELECT} WHERE l.player_key = ?1 ORDER BY a.seq, l.rowid"))?;
        let rows: Vec<Row> = stmt
            .query_map(params![pk], |r| {
                let rec = link_record(r)?;
                let fee = priced.contains(&rec.article);
                Ok(Row { rec, seq: r.get(17)?, link: r.get(16)?, fee })
            })?
            .collect::<Result<_, _>>()?;
        // the leaving days were taken out link by link (`unindex`)
        index_links(tx, &rows, false, Tables::Recent)?;
        summarise(tx, &rows)?;
    }
    Ok(())
}

/// Merges the recent moves and leaving days into the large tables, in key order (a page of
/// a large B-tree is written once for all the rows that land on it), and empties them. Of a
/// recent move and the large table's move alike (see [`index_links`]) the first by
/// `(told, link)` is kept.
fn merge_recent(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO leaving (player_key, club_key, day, n) \
         SELECT player_key, club_key, day, n FROM leaving_recent WHERE 1 ORDER BY player_key, club_key, day \
         ON CONFLICT (player_key, club_key, day) DO UPDATE SET n = n + excluded.n",
        [],
    )?;
    tx.execute("DELETE FROM leaving_recent", [])?;
    {
        let mut recent = tx.prepare(
            "SELECT player_key, club_key, day, told, dated, past, link, name FROM moves_recent \
             ORDER BY player_key, club_key, day, told, link",
        )?;
        let mut rows = recent.query([])?;
        let mut add = tx.prepare_cached(
            "INSERT INTO moves (player_key, club_key, day, told, dated, past, link, name) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut kept = tx.prepare_cached(
            "SELECT rowid, told, link FROM moves WHERE player_key = ?1 AND club_key = ?2 AND day = ?3 \
             AND dated = ?4 AND past = ?5 ORDER BY told, link LIMIT 1",
        )?;
        let mut earlier = tx.prepare_cached("UPDATE moves SET told = ?2, link = ?3 WHERE rowid = ?1")?;
        while let Some(r) = rows.next()? {
            let (pk, ck, d, told): (String, String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let (dated, past, link, name): (bool, bool, i64, String) = (r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?);
            let first: Option<(i64, String, i64)> = kept
                .query_row(params![pk, ck, d, dated, past], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            match first {
                None => {
                    add.execute(params![pk, ck, d, told, dated, past, link, name])?;
                }
                Some((rowid, t, l)) if (told.as_str(), link) < (t.as_str(), l) => {
                    earlier.execute(params![rowid, told, link])?;
                }
                Some(_) => {}
            }
        }
    }
    tx.execute("DELETE FROM moves_recent", [])?;
    Ok(())
}

/// Whether the recent moves are many enough to merge (`MAX(rowid)`: the table is emptied
/// by every merge and only a replaced article deletes from it in between).
fn recent_moves(tx: &Transaction<'_>) -> Result<i64, StoreError> {
    Ok(tx.query_row("SELECT COALESCE(MAX(rowid), 0) FROM moves_recent", [], |r| r.get(0))?)
}

/// Fills the summaries, moves and leaving days from every stored link (a database written
/// before schema v6), a chunk of links at a time, in the order they were stored.
fn backfill(tx: &Transaction<'_>) -> Result<(), StoreError> {
    every_link(tx, |chunk| {
        index_links(tx, chunk, true, Tables::Large)?;
        summarise(tx, chunk)
    })?;
    let mut facts = facts_of(tx, None)?;
    // in chunks, each in the order facts are read in (a sample keeps the first and last)
    while !facts.is_empty() {
        let rest = facts.split_off(facts.len().min(500_000));
        summarise_facts(tx, std::mem::replace(&mut facts, rest))?;
    }
    Ok(())
}

/// Every stored link as a [`Row`], in the order ingest met them, given to `each` in chunks.
fn every_link(tx: &Transaction<'_>, mut each: impl FnMut(&[Row]) -> Result<(), StoreError>) -> Result<(), StoreError> {
    let priced: std::collections::HashSet<(String, String)> = tx
        .prepare("SELECT article, subject FROM facts WHERE attribute = 'fee'")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, crate::player_key(&r.get::<_, String>(1)?))))?
        .collect::<Result<_, _>>()?;
    let mut stmt = tx.prepare(&format!("{LINK_SELECT} ORDER BY a.seq, l.rowid"))?;
    let mut rows = stmt.query([])?;
    let mut chunk: Vec<Row> = Vec::new();
    while let Some(r) = rows.next()? {
        let rec = link_record(r)?;
        let fee = priced.contains(&(rec.article.clone(), crate::player_key(&rec.player)));
        chunk.push(Row { rec, seq: r.get(17)?, link: r.get(16)?, fee });
        if chunk.len() >= 200_000 {
            each(&chunk)?;
            chunk.clear();
        }
    }
    each(&chunk)
}

/// Gives every link and fact its player's key (schema v11), indexes the keys, and makes the
/// summaries kept under another key (the name in ASCII lower case, where folding changes
/// it) again under the key, merged with those of the other spellings that fold alike.
fn fold_player_keys(tx: &Transaction<'_>) -> Result<(), StoreError> {
    // each distinct name folded once, then every row given its key in one pass
    tx.execute_batch("CREATE TEMP TABLE folded (name TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID")?;
    {
        let names: Vec<String> = tx
            .prepare("SELECT player FROM links UNION SELECT subject FROM facts")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut put = tx.prepare("INSERT INTO temp.folded (name, key) VALUES (?1, ?2)")?;
        for name in &names {
            put.execute(params![name, crate::player_key(name)])?;
        }
    }
    tx.execute_batch(
        "UPDATE links SET player_key = (SELECT key FROM temp.folded WHERE name = links.player);
         UPDATE facts SET subject_key = (SELECT key FROM temp.folded WHERE name = facts.subject);
         DROP TABLE temp.folded;
         CREATE INDEX links_key ON links(player_key);
         CREATE INDEX facts_key ON facts(subject_key);",
    )?;
    let kept: Vec<String> = tx
        .prepare(
            "SELECT player_key FROM thread_sums UNION SELECT player_key FROM player_sums \
             UNION SELECT player_key FROM fact_sums",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut players = std::collections::BTreeSet::new();
    for old in kept {
        let key = crate::player_key(&old);
        if key != old {
            for table in ["thread_sums", "player_sums", "fact_sums"] {
                tx.prepare_cached(&format!("DELETE FROM {table} WHERE player_key = ?1"))?.execute(params![old])?;
            }
            players.insert(key);
        }
    }
    rebuild(tx, &players)
}

/// Makes the thread and player summaries again from the stored links (the v10 migration
/// emptied them), as ingest keeps them.
fn resummarise(tx: &Transaction<'_>) -> Result<(), StoreError> {
    every_link(tx, |chunk| summarise(tx, chunk))
}

fn delete(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR REPLACE INTO dirty_players (player, mark) SELECT DISTINCT player, \
         (SELECT value FROM meta WHERE key = 'generation') FROM links WHERE article = ?1",
        params![id],
    )?;
    tx.execute("DELETE FROM links WHERE article = ?1", params![id])?;
    tx.execute("DELETE FROM facts WHERE article = ?1", params![id])?;
    tx.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, text) SELECT 'delete', rowid, text FROM articles WHERE id = ?1",
        params![id],
    )?;
    tx.execute("DELETE FROM articles WHERE id = ?1", params![id])?;
    Ok(())
}

/// The `WHERE` clause of a query and its parameters, with only the conditions the query
/// sets (so SQLite can use the name indexes; `?1 IS NULL OR ...` would scan every row).
/// The player is matched by his key (`player_col` is a key column).
fn conditions(q: &Query, player_col: &str, club_col: &str) -> (String, Vec<String>) {
    let mut parts: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut add = |sql: &str, value: &str| {
        values.push(value.to_string());
        parts.push(sql.replace('?', &format!("?{}", values.len())));
    };
    if let Some(p) = &q.player {
        add(&format!("{player_col} = ?"), &crate::player_key(p));
    }
    if let Some(c) = &q.club {
        add(&format!("{club_col} = ? COLLATE NOCASE"), c);
    }
    if let Some(d) = &q.as_of {
        add("a.published <= ?", d);
    }
    if let Some(d) = &q.since {
        add("a.published >= ?", d);
    }
    let clause = if parts.is_empty() { "1".to_string() } else { parts.join(" AND ") };
    (clause, values)
}

/// One write of [`Store::ingest`], inside its transaction.
fn ingest_batch(
    tx: &Transaction<'_>,
    index: &mut NearIndex,
    batch: &[NewArticle<'_>],
    prepared: &[Prepared],
    merge_rows: i64,
    finding: Option<(&FactFinder, bool)>,
) -> Result<Vec<IngestOutcome>, StoreError> {
    let mut seq = max_seq(tx)?;
    let mut near_index = Near { index, current: false };
    let mut out = Vec::with_capacity(batch.len());
    let mut rows: Vec<Row> = Vec::new();
    let mut facts: Vec<FactRow> = Vec::new();
    // players whose summaries are made again from their links (a replaced article took
    // some away)
    let mut rebuilt: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (a, p) in batch.iter().zip(prepared) {
        let stored: Option<String> = tx
            .prepare_cached("SELECT content_hash FROM articles WHERE id = ?1")?
            .query_row(params![a.id], |r| r.get(0))
            .optional()?;
        let replaced = match stored {
            Some(h) if h == p.hash => {
                out.push(IngestOutcome::Unchanged);
                continue;
            }
            Some(_) => {
                rebuilt.extend(unindex(tx, a.id)?.iter().map(|p| crate::player_key(p)));
                delete(tx, a.id)?;
                true
            }
            None => false,
        };
        let date = a.extraction.published.date.as_deref();
        let original = find_original(tx, &mut near_index, a.id, &p.hash, p.sim, p.shingles, date)?;
        seq += 1;
        let rowid = insert(tx, a, p, original.as_deref(), seq, (&mut rows, &mut facts))?;
        if near_index.current {
            near_index.index.add(&p.hash, p.sim, p.shingles >= MIN_SHINGLES, rowid, seq);
        }
        out.push(match original {
            Some(of) => IngestOutcome::Copy { of },
            None if replaced => IngestOutcome::Replaced,
            None => IngestOutcome::New,
        });
    }
    index_links(tx, &rows, true, Tables::Recent)?;
    let mut sampled = if rebuilt.is_empty() {
        summarise(tx, &rows)?;
        summarise_facts(tx, facts)?
    } else {
        rows.retain(|r| !rebuilt.contains(&crate::player_key(&r.rec.player)));
        facts.retain(|f| !rebuilt.contains(&crate::player_key(&f.fact.subject)));
        summarise(tx, &rows)?;
        let sampled = summarise_facts(tx, facts)?;
        rebuild(tx, &rebuilt)?;
        sampled
    };
    sampled.extend(rebuilt);
    find_in_facts(tx, &sampled, finding)?;
    if merge_rows <= 0 || recent_moves(tx)? > merge_rows {
        merge_recent(tx)?;
    }
    if out.iter().any(|o| *o != IngestOutcome::Unchanged) {
        // the players of the stored articles, once each per batch
        let players: std::collections::BTreeSet<&str> = batch
            .iter()
            .zip(&out)
            .filter(|(_, o)| **o != IngestOutcome::Unchanged)
            .flat_map(|(a, _)| a.extraction.links.iter().map(|l| l.player.as_str()))
            .collect();
        let mut dirty = tx.prepare_cached(
            "INSERT OR REPLACE INTO dirty_players (player, mark) \
             VALUES (?1, (SELECT value FROM meta WHERE key = 'generation'))",
        )?;
        for p in players {
            dirty.execute(params![p])?;
        }
        drop(dirty);
        changed(tx)?;
    }
    Ok(out)
}

/// The first move of [`Store::move_to`] in one of the two move tables (a subquery).
fn move_to_in(table: &str) -> String {
    format!(
        "SELECT * FROM (SELECT link, day, told FROM {table} WHERE player_key = ?1 AND club_key = ?2 \
         AND day BETWEEN ?3 AND ?4 AND (dated OR (past AND told > ?5)) \
         ORDER BY day, told, link LIMIT 1)"
    )
}

/// The first move of [`Store::move_elsewhere`] in one of the two move tables (a subquery);
/// a leaving day may be in either leaving table.
fn move_elsewhere_in(table: &str) -> String {
    let leaving = |v: &str| {
        format!(
            "EXISTS (SELECT 1 FROM {v} v WHERE v.player_key = m.player_key AND v.club_key = m.club_key \
             AND v.day BETWEEN date(m.day, ?5) AND m.day)"
        )
    };
    format!(
        "SELECT * FROM (SELECT m.link, m.day, m.told FROM {table} m WHERE m.player_key = ?1 \
         AND m.day > ?3 AND m.day <= ?4 AND m.dated AND m.club_key <> ?2 \
         AND NOT (m.past AND ({} OR {})) ORDER BY m.day, m.told, m.link LIMIT 1)",
        leaving("leaving"),
        leaving("leaving_recent")
    )
}

impl Store for SqliteStore {
    fn ingest(&mut self, batch: &[NewArticle<'_>]) -> Result<Vec<IngestOutcome>, StoreError> {
        // IMMEDIATE: the write lock is taken before the first read, so what this write reads
        // (the latest seq, the near-duplicate candidates) is still true when it writes
        let prepared: Vec<Prepared> = batch.par_iter().map(prepare).collect::<Result<_, _>>()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // taken out, and put back only once the write is committed: after a failed write
        // the next one starts from what is stored
        let mut index = self.near.take().unwrap_or_else(NearIndex::new);
        let finding = self.finder.as_ref().map(|f| (f, !self.found_filled));
        let out = ingest_batch(&tx, &mut index, batch, &prepared, self.merge_rows, finding)?;
        tx.commit()?;
        self.near = Some(index);
        self.found_filled |= self.finder.is_some();
        Ok(out)
    }

    fn article(&self, id: &str) -> Result<Option<StoredArticle>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, text, url, published, published_how, copy_of, extraction FROM articles WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, rusqlite::types::Value>(6)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(id, text, url, published, published_how, copy_of, extraction)| {
            let extraction = extraction_json(&id, extraction)?;
            let extraction =
                serde_json::from_str(&extraction).map_err(|e| StoreError::Corrupt(format!("{id}: {e}")))?;
            Ok(StoredArticle { id, text, url, published, published_how, copy_of, extraction })
        })
        .transpose()
    }

    fn links(&self, q: &Query) -> Result<Vec<LinkRecord>, StoreError> {
        let (clause, values) = conditions(q, "l.player_key", "l.club");
        let sql = format!("{LINK_SELECT} WHERE {clause} ORDER BY a.published IS NULL, a.published, a.seq, l.rowid");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), link_record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn player_summary(&self, player: &str) -> Result<Option<PlayerSummary>, StoreError> {
        let data: Option<String> = self
            .conn
            .prepare_cached("SELECT data FROM player_sums WHERE player_key = ?1")?
            .query_row(params![crate::player_key(player)], |r| r.get(0))
            .optional()?;
        let Some(data) = data else { return Ok(None) };
        let state: PlayerState =
            serde_json::from_str(&data).map_err(|e| StoreError::Corrupt(format!("summary of {player}: {e}")))?;
        Ok(Some(state.summary()))
    }

    fn thread_summaries(&self, player: &str) -> Result<Vec<ThreadSummary>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT data FROM thread_sums WHERE player_key = ?1")?;
        let rows: Vec<String> =
            stmt.query_map(params![crate::player_key(player)], |r| r.get(0))?.collect::<Result<_, _>>()?;
        rows.iter()
            .map(|d| serde_json::from_str(d).map_err(|e| StoreError::Corrupt(format!("thread of {player}: {e}"))))
            .collect()
    }

    fn move_to(
        &self,
        player: &str,
        club: &str,
        (from, to): (&str, &str),
        undated_after: &str,
    ) -> Result<Option<MoveHit>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT link, day, told FROM ({} UNION ALL {}) ORDER BY day, told, link LIMIT 1",
                move_to_in("moves"),
                move_to_in("moves_recent")
            ))?
            .query_row(params![crate::player_key(player), crate::player_key(club), from, to, undated_after], |r| {
                Ok(MoveHit { link: r.get(0)?, day: r.get(1)?, told: r.get(2)? })
            })
            .optional()?)
    }

    fn move_elsewhere(
        &self,
        player: &str,
        club: &str,
        (after, to): (&str, &str),
        leaving_days: i64,
    ) -> Result<Option<MoveHit>, StoreError> {
        Ok(
            self.conn
                .prepare_cached(&format!(
                    "SELECT link, day, told FROM ({} UNION ALL {}) ORDER BY day, told, link LIMIT 1",
                    move_elsewhere_in("moves"),
                    move_elsewhere_in("moves_recent")
                ))?
                .query_row(
                    params![
                        crate::player_key(player),
                        crate::player_key(club),
                        after,
                        to,
                        format!("-{leaving_days} days"),
                    ],
                    |r| Ok(MoveHit { link: r.get(0)?, day: r.get(1)?, told: r.get(2)? }),
                )
                .optional()?,
        )
    }

    fn links_by_row(&self, rows: &[i64]) -> Result<Vec<LinkRecord>, StoreError> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.extend(self.link_by_row(Some(*row))?);
        }
        Ok(out)
    }

    fn fact_evidence(&self, row: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT f.evidence, f.ev_start, f.ev_end, a.text FROM facts f JOIN articles a ON a.id = f.article \
                 WHERE f.rowid = ?1",
            )?
            .query_row(params![row], |r| fact_evidence_at(r, 0, 1))
            .optional()?)
    }

    fn facts(&self, q: &Query) -> Result<Vec<FactRecord>, StoreError> {
        let (clause, values) = conditions(q, "f.subject_key", "f.club");
        let sql = format!("{FACT_SELECT} WHERE {clause} ORDER BY a.published IS NULL, a.published, a.seq, f.rowid");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), fact_record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn fact_samples(&self, player: &str) -> Result<Vec<(i64, FactRecord)>, StoreError> {
        let pk = crate::player_key(player);
        unpack_samples(&pk, &stored_samples(&self.conn, &pk)?)
    }

    fn fact_found(&self, player: &str, version: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT data FROM fact_found WHERE player_key = ?1 AND version = ?2")?
            .query_row(params![crate::player_key(player), version], |r| r.get(0))
            .optional()?)
    }

    fn search(&self, words: &str, q: &Query, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        // Every word quoted: the user's text is never FTS5 syntax.
        let fts: Vec<String> = words
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{}\"", w.replace('"', "")))
            .collect();
        if fts.is_empty() {
            return Ok(Vec::new());
        }
        let dates = Query { as_of: q.as_of.clone(), since: q.since.clone(), ..Query::default() };
        let (clause, mut values) = conditions(&dates, "", "");
        values.push(fts.join(" "));
        let sql = format!(
            "SELECT a.id, a.published, snippet(articles_fts, 0, '[', ']', '…', 16)
             FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
             WHERE articles_fts MATCH ?{n} AND {clause}
             ORDER BY rank LIMIT {limit}",
            n = values.len(),
            limit = limit.min(10_000)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
            Ok(SearchHit { article: r.get(0)?, published: r.get(1)?, snippet: r.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn latest_published(&self) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT MAX(published) FROM articles WHERE published_how IN ('header', 'metadata')",
            [],
            |r| r.get(0),
        )?)
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        let one = |sql: &str| -> Result<u64, StoreError> {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok(Counts {
            articles: one("SELECT COUNT(*) FROM articles")?,
            copies: one("SELECT COUNT(*) FROM articles WHERE copy_of IS NOT NULL")?,
            links: one("SELECT COUNT(*) FROM links")?,
            facts: one("SELECT COUNT(*) FROM facts")?,
        })
    }

    fn import_transfers(&mut self, records: &[TransferRecord]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut added = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO transfers (player, player_key, from_club, to_club, window_start, window_end, \
                 loan, fee_eur, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for r in records {
                added += insert.execute(params![
                    r.player,
                    crate::player_key(&r.player),
                    r.from_club,
                    r.to_club,
                    r.window_start,
                    r.window_end,
                    r.loan,
                    r.fee_eur,
                    r.origin
                ])?;
            }
        }
        if added > 0 {
            changed(&tx)?;
            // records are matched to players by folded name: start incremental state afresh
            tx.execute("DELETE FROM derived", [])?;
        }
        tx.commit()?;
        Ok(added)
    }

    fn transfers(&self, player: Option<&str>, as_of: Option<&str>) -> Result<Vec<TransferRecord>, StoreError> {
        let key = player.map(crate::player_key);
        let mut stmt = self.conn.prepare_cached(
            "SELECT player, from_club, to_club, window_start, window_end, loan, fee_eur, origin FROM transfers \
             WHERE (?1 IS NULL OR player_key = ?1) AND (?2 IS NULL OR window_end <= ?2) \
             ORDER BY window_start, player",
        )?;
        let rows = stmt.query_map(params![key, as_of], |r| {
            Ok(TransferRecord {
                player: r.get(0)?,
                from_club: r.get(1)?,
                to_club: r.get(2)?,
                window_start: r.get(3)?,
                window_end: r.get(4)?,
                loan: r.get(5)?,
                fee_eur: r.get(6)?,
                origin: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn derived(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM derived WHERE key = ?1")?
            .query_row(params![key], |r| r.get(0))
            .optional()?)
    }

    fn begin_read(&self) -> Result<(), StoreError> {
        let (depth, began) = self.reading.get();
        if depth > 0 {
            self.reading.set((depth + 1, began));
            return Ok(());
        }
        // DEFERRED: the snapshot is taken by the first read, and no write lock is asked for
        let begin = self.conn.is_autocommit();
        if begin {
            self.conn.execute_batch("BEGIN DEFERRED")?;
        }
        self.reading.set((1, begin));
        Ok(())
    }

    fn end_read(&self) -> Result<(), StoreError> {
        match self.reading.get() {
            (0, _) => Ok(()),
            (1, began) => {
                self.reading.set((0, false));
                // a transaction that only read: COMMIT just lets the snapshot go
                if began && !self.conn.is_autocommit() {
                    self.conn.execute_batch("COMMIT")?;
                }
                Ok(())
            }
            (depth, began) => {
                self.reading.set((depth - 1, began));
                Ok(())
            }
        }
    }

    fn keep_derived(&self, key: &str, value: &str, generation: u64) -> Result<bool, StoreError> {
        // only if no write came between the computation and now: a value computed from
        // older data must not outlive the write that made it old
        let kept = self.conn.execute(
            "INSERT OR REPLACE INTO derived (key, value) SELECT ?1, ?2 \
             WHERE (SELECT value FROM meta WHERE key = 'generation') = ?3",
            params![key, value, i64::try_from(generation).unwrap_or(i64::MAX)],
        )?;
        Ok(kept > 0)
    }

    fn generation(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row("SELECT value FROM meta WHERE key = 'generation'", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn feed_item_seen(&self, feed: &str, guid: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM feed_items WHERE feed = ?1 AND guid = ?2")?
            .query_row(params![feed, guid], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn mark_feed_item(&self, feed: &str, guid: &str, article: Option<&str>, seen: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO feed_items (feed, guid, article, seen) VALUES (?1, ?2, ?3, ?4)",
            params![feed, guid, article, seen],
        )?;
        Ok(())
    }

    fn dirty_players(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT player, mark FROM dirty_players ORDER BY player")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn keep_state(
        &self,
        values: &[(String, String)],
        cleaned: &[(String, i64)],
        expect: (&str, Option<&str>),
    ) -> Result<bool, StoreError> {
        // IMMEDIATE: the check and the writes are one step, no other writer in between
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = (|| -> Result<bool, StoreError> {
            let current: Option<String> = self
                .conn
                .prepare_cached("SELECT value FROM derived WHERE key = ?1")?
                .query_row(params![expect.0], |r| r.get(0))
                .optional()?;
            if current.as_deref() != expect.1 {
                return Ok(false);
            }
            let mut put = self.conn.prepare_cached("INSERT OR REPLACE INTO derived (key, value) VALUES (?1, ?2)")?;
            for (k, v) in values {
                put.execute(params![k, v])?;
            }
            // a player marked again since (a later mark) stays dirty
            let mut clean = self.conn.prepare_cached("DELETE FROM dirty_players WHERE player = ?1 AND mark = ?2")?;
            for (p, mark) in cleaned {
                clean.execute(params![p, mark])?;
            }
            Ok(true)
        })();
        match result {
            Ok(kept) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(kept)
            }
            Err(err) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(err)
            }
        }
    }

    fn names(&self, kind: NameKind, prefix: Option<&str>, as_of: Option<&str>) -> Result<Vec<NameCount>, StoreError> {
        // the columns are chosen here, never from input; a player's names are grouped by
        // his key (spellings that fold alike are one player)
        let (column, group) = match kind {
            NameKind::Player => ("l.player", "l.player_key"),
            NameKind::Club => ("l.club", "l.club COLLATE NOCASE"),
        };
        let like = prefix.map(|p| format!("{}%", p.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
        let sql = format!(
            "SELECT {column}, COUNT(*) FROM links l JOIN articles a ON a.id = l.article \
             WHERE (?1 IS NULL OR {column} LIKE ?1 ESCAPE '\\') AND (?2 IS NULL OR a.published <= ?2) \
             GROUP BY {group} ORDER BY COUNT(*) DESC, {column}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![like, as_of], |r| {
            let n: i64 = r.get(1)?;
            Ok(NameCount { name: r.get(0)?, links: u64::try_from(n).unwrap_or(0) })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
