//! # mercato-store: the *store* stage
//!
//! Remembers what extraction read: every article (its text, date, and whether it is a copy
//! of another), its links, sources and facts. The rest of mercato talks to the [`Store`]
//! trait; [`SqliteStore`] is the embedded default (rusqlite with a bundled SQLite, no
//! server), and a PostgreSQL backend can join it behind the same trait. No SQL leaves this
//! crate.
//!
//! * Ingest is idempotent: an article whose id and content hash are already stored is left
//!   alone ([`IngestOutcome::Unchanged`]); a new text under a known id replaces the old one.
//! * Near-duplicates (syndicated copies, lightly edited reposts) are found by a 64-bit
//!   SimHash over word 3-shingles ([`fingerprint`]) and stored as copies of their original
//!   ([`IngestOutcome::Copy`]), so later stages never count them as independent reports.
//! * Every read takes an `as_of` date and sees only articles published by then
//!   (undated articles only when `as_of` is not given).
//!
//! ```
//! use mercato_store::{SqliteStore, Store, NewArticle, Query};
//! let extractor = mercato_extract::Extractor::new(mercato_kb::Kb::starter());
//! let text = " date 2024-07-01 Juventus are interested in Sergio Ramos, according to Diario Gol.";
//! let extraction = extractor.extract(mercato_extract::ArticleInput { id: "a1", text, published: None, url: None });
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! store.ingest(&[NewArticle { id: "a1", text, url: None, extraction: &extraction }]).unwrap();
//! let links = store.links(&Query { player: Some("Sergio Ramos".into()), ..Query::default() }).unwrap();
//! assert_eq!(links[0].club, "Juventus");
//! ```

pub mod fingerprint;
mod near;
mod sqlite;
pub mod summary;

pub use sqlite::SqliteStore;

/// What a write computes from a player's kept facts ([`Store::fact_samples`], in that
/// order) and keeps for reads ([`Store::fact_found`]): a reader's derived answer (the
/// contradictions a report shows), as text, under `version` (a row of another version is
/// not read, so a finder whose rules change takes a new one). See
/// [`SqliteStore::set_fact_finder`].
#[derive(Clone)]
pub struct FactFinder {
    pub version: String,
    #[allow(clippy::type_complexity)]
    pub find: std::sync::Arc<dyn Fn(Vec<(i64, FactRecord)>) -> Result<String, String> + Send + Sync>,
}
pub use summary::{PlayerSummary, ThreadSummary};

/// Helpers for tests of this crate and its users.
#[doc(hidden)]
pub mod testing {
    /// Sets `PRAGMA user_version` of a database file.
    pub fn set_schema_version(path: &str, version: i64) -> Result<(), crate::StoreError> {
        let conn = rusqlite::Connection::open(path)?;
        conn.pragma_update(None, "user_version", version)?;
        Ok(())
    }

    /// The evidence of a table's rows stored again in each (as before schema v11 for links,
    /// v12 for facts).
    fn evidence_stored(conn: &rusqlite::Connection, table: &str) -> Result<(), crate::StoreError> {
        conn.execute(
            &format!(
                "UPDATE {table} SET evidence = (SELECT CAST(substr(CAST(a.text AS BLOB), {table}.ev_start + 1, \
                 {table}.ev_end - {table}.ev_start) AS TEXT) FROM articles a WHERE a.id = {table}.article) \
                 WHERE evidence = '' AND ev_start IS NOT NULL"
            ),
            [],
        )?;
        Ok(())
    }

    /// Takes a database's facts back to what schema v11 wrote: their evidence stored, no
    /// offsets.
    pub fn fact_offsets_as_v11(path: &str) -> Result<(), crate::StoreError> {
        let conn = rusqlite::Connection::open(path)?;
        evidence_stored(&conn, "facts")?;
        conn.execute_batch("ALTER TABLE facts DROP COLUMN ev_start; ALTER TABLE facts DROP COLUMN ev_end;")?;
        Ok(())
    }

    /// Takes a database's links and facts back to what schema v10 wrote: no player keys,
    /// the names indexed in ASCII case, the evidence stored in each row (facts without
    /// offsets).
    pub fn player_keys_as_v10(path: &str) -> Result<(), crate::StoreError> {
        fact_offsets_as_v11(path)?;
        let conn = rusqlite::Connection::open(path)?;
        evidence_stored(&conn, "links")?;
        conn.execute_batch(
            "DROP INDEX links_key; DROP INDEX facts_key; \
             ALTER TABLE links DROP COLUMN player_key; ALTER TABLE facts DROP COLUMN subject_key; \
             CREATE INDEX links_player ON links(player COLLATE NOCASE); \
             CREATE INDEX facts_subject ON facts(subject COLLATE NOCASE);",
        )?;
        Ok(())
    }

    /// Takes a database's fact samples and full-text settings back to what schema v6 wrote.
    pub fn fact_samples_as_v6(path: &str) -> Result<(), crate::StoreError> {
        let conn = rusqlite::Connection::open(path)?;
        let rows: Vec<(i64, String, String, String)> = conn
            .prepare("SELECT rowid, attribute, value, data FROM fact_sums")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        for (rowid, attribute, value, data) in rows {
            let sample =
                crate::summary::FactSample::unpack(&data, &attribute, &value).map_err(crate::StoreError::Corrupt)?;
            let v6 = serde_json::to_string(&sample).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
            conn.execute("UPDATE fact_sums SET data = ?2 WHERE rowid = ?1", rusqlite::params![rowid, v6])?;
        }
        conn.execute("DELETE FROM articles_fts_config WHERE k = 'hashsize'", [])?;
        Ok(())
    }

    /// Fact samples as stored (row order) and the full-text index's settings.
    pub type StoredSamples = (Vec<String>, Vec<(String, i64)>);

    /// The stored form of a database's fact samples and its full-text settings, in row order.
    pub fn fact_sample_rows(path: &str) -> Result<StoredSamples, crate::StoreError> {
        let conn = rusqlite::Connection::open(path)?;
        let rows = conn
            .prepare("SELECT data FROM fact_sums ORDER BY rowid")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let config = conn
            .prepare("SELECT k, v FROM articles_fts_config WHERE k <> 'version' ORDER BY k")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok((rows, config))
    }
}

use mercato_extract::Extraction;
use serde::Serialize;

/// What can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error(
        "the database {path} was written by a newer mercato (schema version {found}, this one knows up to {known})"
    )]
    NewerSchema { path: String, found: i64, known: i64 },
    #[error("bad stored value: {0}")]
    Corrupt(String),
}

/// One article to store, with what extraction found in it.
#[derive(Debug, Clone, Copy)]
pub struct NewArticle<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub url: Option<&'a str>,
    pub extraction: &'a Extraction,
}

/// What ingesting one article did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IngestOutcome {
    /// Stored for the first time.
    New,
    /// The same id with the same text was already stored: nothing changed.
    Unchanged,
    /// The same id with a new text: the old version was replaced.
    Replaced,
    /// Stored, but as a copy of an earlier article (same text under another id, or a
    /// near-duplicate): it never counts as an independent report.
    Copy { of: String },
}

/// A stored article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredArticle {
    pub id: String,
    pub text: String,
    pub url: Option<String>,
    /// `YYYY-MM-DD`, stated or inferred.
    pub published: Option<String>,
    /// `header`, `metadata`, `inferred` or `unknown`.
    pub published_how: String,
    /// The article it copies, if any.
    pub copy_of: Option<String>,
    /// The extraction as stored (JSON of [`Extraction`]).
    pub extraction: serde_json::Value,
}

/// One stored link with its article's date and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct LinkRecord {
    pub article: String,
    pub published: Option<String>,
    /// The date was inferred from the text, not stated.
    pub date_inferred: bool,
    /// The article copies another: not an independent report.
    pub copy_of: Option<String>,
    pub player: String,
    pub club: String,
    pub kind: String,
    pub stage: Option<String>,
    pub hedged: bool,
    /// Who the link's own sentence credits.
    pub sources: Vec<String>,
    /// Who the article credits anywhere (its `sources`).
    pub article_sources: Vec<String>,
    pub evidence_start: usize,
    pub evidence_end: usize,
    pub evidence: String,
    /// When the article places the move (`[first, last]` day), if it does.
    pub when: Option<[String; 2]>,
}

/// One stored fact.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FactRecord {
    pub article: String,
    pub published: Option<String>,
    pub date_inferred: bool,
    pub copy_of: Option<String>,
    pub subject: String,
    pub attribute: String,
    pub club: Option<String>,
    pub value: String,
    pub currency: Option<String>,
    pub stated: Option<String>,
    pub evidence: String,
}

/// A full-text search hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub article: String,
    pub published: Option<String>,
    /// The matching passage, with the matched words in `[brackets]`.
    pub snippet: String,
}

/// What a read asks for. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Exact canonical player name, matched by its key ([`player_key`]: case, accents,
    /// typographic quotes and spacing folded), as every read of a player's evidence is.
    pub player: Option<String>,
    /// Exact canonical club name (case-insensitive).
    pub club: Option<String>,
    /// Only what was published on or before this day (`YYYY-MM-DD`); undated articles are
    /// left out when it is set.
    pub as_of: Option<String>,
    /// Only what was published on or after this day.
    pub since: Option<String>,
}

/// How much a store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub articles: u64,
    pub copies: u64,
    pub links: u64,
    pub facts: u64,
}

/// The store behind every later stage.
pub trait Store {
    /// Stores a batch of articles in one transaction (all or nothing).
    fn ingest(&mut self, batch: &[NewArticle<'_>]) -> Result<Vec<IngestOutcome>, StoreError>;
    fn article(&self, id: &str) -> Result<Option<StoredArticle>, StoreError>;
    /// Links matching the query, oldest first.
    fn links(&self, query: &Query) -> Result<Vec<LinkRecord>, StoreError>;
    /// Facts matching the query (player is the fact's subject), oldest first.
    fn facts(&self, query: &Query) -> Result<Vec<FactRecord>, StoreError>;
    /// Articles whose text matches `words` (FTS5 query syntax), best first.
    fn search(&self, words: &str, query: &Query, limit: usize) -> Result<Vec<SearchHit>, StoreError>;
    fn counts(&self) -> Result<Counts, StoreError>;
    /// Players (or clubs) named in links published by `as_of`, with how many links name
    /// each, most named first; `prefix` keeps names starting with it (any case).
    fn names(&self, kind: NameKind, prefix: Option<&str>, as_of: Option<&str>) -> Result<Vec<NameCount>, StoreError>;
    /// The latest stated (not inferred) publication date stored: "now" for a read without
    /// `as_of`.
    fn latest_published(&self) -> Result<Option<String>, StoreError>;
    /// Stores completed transfers (a record already stored is left alone); how many were new.
    fn import_transfers(&mut self, records: &[TransferRecord]) -> Result<usize, StoreError>;
    /// Completed transfers of a player (any player with `None`) whose window had closed by
    /// `as_of` (`YYYY-MM-DD`), oldest first.
    fn transfers(&self, player: Option<&str>, as_of: Option<&str>) -> Result<Vec<TransferRecord>, StoreError>;
    /// A value derived from the whole store (say, the sources' credibility), kept under a
    /// key until the next write changes the store.
    fn derived(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Keeps a derived value computed at store generation `generation` (see
    /// [`Store::derived`]), unless a write has happened since; whether it was kept.
    fn keep_derived(&self, key: &str, value: &str, generation: u64) -> Result<bool, StoreError>;
    /// A number that every write that changes the store increases: equal generations mean
    /// equal answers.
    fn generation(&self) -> Result<u64, StoreError>;
    /// Whether `mercato watch` has already taken this item of this feed.
    fn feed_item_seen(&self, feed: &str, guid: &str) -> Result<bool, StoreError>;
    /// Records a feed item as taken (with the article it became, if any) on day `seen`.
    fn mark_feed_item(&self, feed: &str, guid: &str, article: Option<&str>, seen: &str) -> Result<(), StoreError>;
    /// Players (as their links name them) whose claims changed since incremental state (derived values
    /// under `state:`, which writes keep) was last brought up to date, each with the mark
    /// of its latest change.
    fn dirty_players(&self) -> Result<Vec<(String, i64)>, StoreError>;
    /// Keeps incremental state and marks those players clean, in one transaction, if the
    /// derived value `expect.0` still holds `expect.1` (what the computation started from;
    /// `None`: absent); whether it was kept. A player changed again since its mark was read
    /// stays dirty.
    fn keep_state(
        &self,
        values: &[(String, String)],
        cleaned: &[(String, i64)],
        expect: (&str, Option<&str>),
    ) -> Result<bool, StoreError>;
    /// A player's summary kept at ingest (his name as his earliest link spells it, how many
    /// links and moves he has, the latest of each); `None` when no link names him. The name
    /// is matched by its key, as [`Query::player`]: spellings that fold alike are one player.
    fn player_summary(&self, player: &str) -> Result<Option<PlayerSummary>, StoreError>;
    /// The facts of a player that contradictions are looked for in, kept at ingest: of each
    /// (attribute, club, value), the first and last [`summary::FACT_PROBES`] that are no
    /// copies, in the order [`Store::facts`] gives them, each with its row and without its
    /// evidence (see [`Store::fact_evidence`]).
    fn fact_samples(&self, player: &str) -> Result<Vec<(i64, FactRecord)>, StoreError>;
    /// What the [`FactFinder`] of this `version` made of the player's kept facts at the
    /// last write that changed them, if a write with that finder did.
    fn fact_found(&self, player: &str, version: &str) -> Result<Option<String>, StoreError> {
        let _ = (player, version);
        Ok(None)
    }
    /// The summaries of every thread of a player kept at ingest (see [`summary`]).
    fn thread_summaries(&self, player: &str) -> Result<Vec<ThreadSummary>, StoreError>;
    /// The player's first move (by the move's day, then its article's day) to `club` (folded
    /// as [`player_key`]) on a day in `[from, to]` that has a date of its own or was told
    /// after `undated_after` (the link that tells it). The links naming the player as
    /// [`Query::player`] matches him count, as in a fold of his links.
    fn move_to(
        &self,
        player: &str,
        club: &str,
        days: (&str, &str),
        undated_after: &str,
    ) -> Result<Option<MoveHit>, StoreError>;
    /// The player's first move with a date of its own to a club other than `club`, on a day
    /// in `(after, to]`; a `past` link to a club he was reported leaving (a `from` link) in
    /// the `leaving_days` before it does not count.
    fn move_elsewhere(
        &self,
        player: &str,
        club: &str,
        days: (&str, &str),
        leaving_days: i64,
    ) -> Result<Option<MoveHit>, StoreError>;
    /// The links stored in these rows ([`MoveHit::link`], the rows a summary lists), in
    /// the order asked for (a row no longer stored is left out).
    fn links_by_row(&self, rows: &[i64]) -> Result<Vec<LinkRecord>, StoreError>;
    /// The evidence of the fact stored in a row (the kept facts of [`Store::fact_samples`]
    /// come without, each with its row).
    fn fact_evidence(&self, row: i64) -> Result<Option<String>, StoreError>;
    /// Starts a read of one snapshot: every read until the matching [`Store::end_read`]
    /// sees the store as it was at the first of them, whatever another process commits
    /// meanwhile, so that a report made of many reads is consistent (and pays for one
    /// lock, not one a read). Calls nest; no write may happen in between.
    fn begin_read(&self) -> Result<(), StoreError>;
    /// Ends what the matching [`Store::begin_read`] started.
    fn end_read(&self) -> Result<(), StoreError>;
}

/// A move found by [`Store::move_to`] or [`Store::move_elsewhere`]: the link that tells it
/// (read it with [`Store::link`]), the move's day and its article's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveHit {
    pub link: i64,
    pub day: String,
    pub told: String,
}

/// Which names [`Store::names`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Player,
    Club,
}

/// A name and how many links name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameCount {
    pub name: String,
    pub links: u64,
}

/// A completed transfer (from `mercato transfers import`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferRecord {
    pub player: String,
    pub from_club: String,
    pub to_club: String,
    /// First and last day of the window it was made in (`YYYY-MM-DD`): it is known to have
    /// happened once the window has closed.
    pub window_start: String,
    pub window_end: String,
    pub loan: bool,
    pub fee_eur: Option<i64>,
    /// Where the record comes from (the file it was imported from).
    pub origin: String,
}

/// The key a player's name is matched on: lower case, accents folded, typographic quotes
/// made ASCII, spaces collapsed. Every read and write of a player's evidence (links, facts,
/// summaries, moves, leaving days, fact samples, transfer records) goes by it (schema v11).
pub fn player_key(name: &str) -> String {
    mercato_text::fold::fold_str(name).split_whitespace().collect::<Vec<_>>().join(" ")
}
