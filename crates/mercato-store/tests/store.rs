//! The store's contract, on self-written articles extracted with the starter KB.
#![allow(clippy::unwrap_used)]

use mercato_extract::{ArticleInput, Extraction, Extractor};
use mercato_store::{IngestOutcome, NewArticle, Query, SqliteStore, Store, StoreError, TransferRecord};
use std::sync::OnceLock;

fn extract(id: &str, text: &str) -> Extraction {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(mercato_kb::Kb::starter())).extract(ArticleInput {
        id,
        text,
        published: None,
        url: None,
    })
}

const ROMA: &str = " date 2025-11-03 Roma are interested in Marco Bellandi, according to Diario Gol. The 29-year-old defender has a contract with Sevilla that runs until June 2026, and the Italian club are preparing an offer worth 12 million euros for the January window, with talks expected to begin next week.";
const ROMA_COPY: &str = " date 2025-11-04 Roma are interested in Marco Bellandi, according to Diario Gol. The 29-year-old defender has a contract with Sevilla that runs until June 2026, and the Italian club are preparing an offer worth 12 million euros for the January window, with talks expected to begin next week. Read more.";
const SIGNED: &str =
    " date 2026-01-20 Marco Bellandi has completed his move to Roma from Sevilla on a contract until June 2028.";

/// A fresh directory for one test's database, and the database's path in it.
fn scratch(tag: &str, file: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("mercato-store-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(file).display().to_string();
    (dir, path)
}

/// The schema version every migration leads to.
const LATEST: i64 = 13;

/// The database at `path`, taken back to schema `version` and opened again: every migration
/// since has run.
fn migrated_from(path: &str, version: i64) -> SqliteStore {
    mercato_store::testing::set_schema_version(path, version).unwrap();
    let store = SqliteStore::open(path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST);
    store
}

fn ingest(store: &mut SqliteStore, items: &[(&str, &str)]) -> Vec<IngestOutcome> {
    let extractions: Vec<Extraction> = items.iter().map(|(id, text)| extract(id, text)).collect();
    let batch: Vec<NewArticle<'_>> = items
        .iter()
        .zip(&extractions)
        .map(|((id, text), x)| NewArticle { id, text, url: None, extraction: x })
        .collect();
    store.ingest(&batch).unwrap()
}

#[test]
fn ingest_is_idempotent_and_replaces_new_text() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    assert_eq!(ingest(&mut store, &[("r1", ROMA)]), vec![IngestOutcome::New]);
    let before = store.counts().unwrap();
    assert_eq!(ingest(&mut store, &[("r1", ROMA)]), vec![IngestOutcome::Unchanged]);
    assert_eq!(store.counts().unwrap(), before);
    assert_eq!(ingest(&mut store, &[("r1", SIGNED)]), vec![IngestOutcome::Replaced]);
    let links = store.links(&Query::default()).unwrap();
    assert!(links.iter().all(|l| l.article == "r1" && l.published.as_deref() == Some("2026-01-20")), "{links:?}");
}

#[test]
fn copies_are_stored_as_copies() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let got = ingest(&mut store, &[("r1", ROMA), ("r1-same", ROMA), ("r1-near", ROMA_COPY), ("s1", SIGNED)]);
    assert_eq!(
        got,
        vec![
            IngestOutcome::New,
            IngestOutcome::Copy { of: "r1".into() },
            IngestOutcome::Copy { of: "r1".into() },
            IngestOutcome::New
        ]
    );
    let counts = store.counts().unwrap();
    assert_eq!((counts.articles, counts.copies), (4, 2));
    let near = store.links(&Query::default()).unwrap().into_iter().find(|l| l.article == "r1-near").unwrap();
    assert_eq!(near.copy_of.as_deref(), Some("r1"));
}

#[test]
fn a_copy_is_found_when_its_original_was_written_by_another_connection() {
    let (dir, path) = scratch("near", "n.db");
    let mut first = SqliteStore::open(&path).unwrap();
    let mut second = SqliteStore::open(&path).unwrap();
    // the first has its near-duplicate candidates in memory before the original exists
    assert_eq!(ingest(&mut first, &[("s1", SIGNED)]), vec![IngestOutcome::New]);
    assert_eq!(ingest(&mut second, &[("r1", ROMA)]), vec![IngestOutcome::New]);
    assert_eq!(ingest(&mut first, &[("r1-near", ROMA_COPY)]), vec![IngestOutcome::Copy { of: "r1".into() }]);
    // replaced elsewhere, they are no longer candidates
    let (a, b) = (SIGNED.replace("2028", "2029"), SIGNED.replace("2028", "2030"));
    assert_eq!(ingest(&mut second, &[("r1", &a), ("r1-near", &b)]), vec![IngestOutcome::Replaced; 2]);
    assert_eq!(ingest(&mut first, &[("r3", ROMA)]), vec![IngestOutcome::New]);
    drop((first, second));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A read begun with `begin_read` sees one snapshot: a batch another connection commits
/// meanwhile shows only after `end_read` (nested reads end with the outermost).
#[test]
fn a_read_sees_one_snapshot_until_it_ends() {
    let (dir, path) = scratch("snapshot", "s.db");
    let mut writer = SqliteStore::open(&path).unwrap();
    let reader = SqliteStore::open(&path).unwrap();
    ingest(&mut writer, &[("r1", ROMA)]);
    let links = |s: &SqliteStore| s.links(&Query::default()).unwrap().len();
    let before = links(&reader);
    reader.begin_read().unwrap();
    reader.begin_read().unwrap();
    assert_eq!(links(&reader), before);
    ingest(&mut writer, &[("s1", SIGNED)]);
    assert!(links(&writer) > before);
    assert_eq!(links(&reader), before, "a write committed during the read shows in it");
    reader.end_read().unwrap();
    assert_eq!(links(&reader), before, "the inner end let the snapshot go");
    reader.end_read().unwrap();
    assert_eq!(links(&reader), links(&writer));
    // an unmatched end is harmless
    reader.end_read().unwrap();
    drop((writer, reader));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reads_see_only_what_was_published_by_as_of() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    ingest(&mut store, &[("r1", ROMA), ("s1", SIGNED)]);
    let q = |as_of: Option<&str>| Query {
        player: Some("marco bellandi".into()),
        club: Some("Roma".into()),
        as_of: as_of.map(Into::into),
        since: None,
    };
    let all: Vec<String> = store.links(&q(None)).unwrap().into_iter().map(|l| l.kind).collect();
    assert_eq!(all, vec!["to", "done"]);
    let early: Vec<String> = store.links(&q(Some("2025-12-31"))).unwrap().into_iter().map(|l| l.kind).collect();
    assert_eq!(early, vec!["to"]);
    let facts = store.facts(&Query { player: Some("Marco Bellandi".into()), ..Query::default() }).unwrap();
    let expiry: Vec<(String, Option<String>)> =
        facts.iter().filter(|f| f.attribute == "contract_expiry").map(|f| (f.value.clone(), f.club.clone())).collect();
    assert!(expiry.contains(&("2026-06".into(), Some("Sevilla".into()))), "{expiry:?}");
}

#[test]
fn search_finds_words_and_never_parses_user_syntax() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    ingest(&mut store, &[("r1", ROMA), ("s1", SIGNED)]);
    let hits = store.search("completed move", &Query::default(), 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].article, "s1");
    assert!(hits[0].snippet.contains("[completed]"), "{}", hits[0].snippet);
    // quotes, stars and NEAR are plain words here, not an FTS5 error
    assert!(store.search("\"Bellandi* NEAR( OR", &Query::default(), 10).is_ok());
}

#[test]
fn schema_is_versioned_and_a_newer_one_is_refused() {
    let (dir, path) = scratch("test", "v.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST);
    }
    // as written by a future mercato
    mercato_store::testing::set_schema_version(&path, 99).unwrap();
    match SqliteStore::open(&path) {
        Err(StoreError::NewerSchema { found: 99, .. }) => {}
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_version_1_database_is_migrated_and_keeps_its_articles() {
    let (dir, path) = scratch("migrate", "v1.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        ingest(&mut store, &[("r1", ROMA)]);
    }
    // take it back to what version 1 wrote
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE transfers; DROP TABLE derived; DROP TABLE meta; DROP TABLE feed_items; DROP TABLE dirty_players; \
             DROP TABLE thread_sums; DROP TABLE player_sums; DROP TABLE moves; DROP TABLE leaving; \
             DROP TABLE fact_sums; DROP TABLE moves_recent; DROP TABLE leaving_recent;",
        )
        .unwrap();
    }
    mercato_store::testing::player_keys_as_v10(&path).unwrap();
    let mut store = migrated_from(&path, 1);
    assert_eq!(store.counts().unwrap().articles, 1);
    assert_eq!(store.import_transfers(&[record("Marco Bellandi", "2026-01-31")]).unwrap(), 1);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

const LEAVING: &str = " date 2025-12-01 Marco Bellandi wants to leave Sevilla. Lazio are in talks over Marco Bellandi.";
const DENIED: &str = " date 2025-11-20 Roma have denied any interest in Marco Bellandi.";

#[test]
fn a_version_5_database_gets_the_summaries_ingest_keeps() {
    let (dir, path) = scratch("migrate5", "v5.db");
    let items = [("r1", ROMA), ("r2", ROMA_COPY), ("l1", LEAVING), ("d1", DENIED), ("s1", SIGNED)];
    let (player, threads, moved) = {
        let mut store = SqliteStore::open(&path).unwrap();
        // two writes, the later article first: summaries do not depend on the order
        ingest(&mut store, &items[2..]);
        ingest(&mut store, &items[..2]);
        let player = store.player_summary("marco bellandi").unwrap().unwrap();
        let mut threads = store.thread_summaries("Marco Bellandi").unwrap();
        threads.sort_by(|a, b| (&a.club, &a.first).cmp(&(&b.club, &b.first)));
        let moved = store.move_to("Marco Bellandi", "Roma", ("2025-01-01", "2027-01-01"), "2025-11-20").unwrap();
        let facts = store.fact_samples("Marco Bellandi").unwrap();
        assert!(!facts.is_empty());
        (player, threads, (moved, facts))
    };
    let (moved, facts) = moved;
    assert_eq!(player.player, "Marco Bellandi");
    assert!(player.links >= 4, "{player:?}");
    let roma = threads.iter().find(|t| t.club == "Roma").unwrap();
    assert_eq!((roma.first.as_str(), roma.last.as_str()), ("2025-11-03", "2026-01-20"));
    assert!(roma.claims >= 3 && roma.independent == roma.claims - 1, "{roma:?}");
    assert!(roma.done);
    let link = moved.as_ref().and_then(|m| store_link(&path, m.link));
    assert_eq!(link.map(|l| l.article), Some("s1".to_string()));
    // take it back to what version 5 wrote
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE thread_sums; DROP TABLE player_sums; DROP TABLE moves; DROP TABLE leaving; DROP TABLE fact_sums; \
             DROP TABLE moves_recent; DROP TABLE leaving_recent;",
        )
        .unwrap();
    }
    mercato_store::testing::player_keys_as_v10(&path).unwrap();
    let store = migrated_from(&path, 5);
    assert_eq!(store.player_summary("Marco Bellandi").unwrap().as_ref(), Some(&player));
    let mut again = store.thread_summaries("Marco Bellandi").unwrap();
    again.sort_by(|a, b| (&a.club, &a.first).cmp(&(&b.club, &b.first)));
    assert_eq!(again, threads);
    let moved_again = store.move_to("Marco Bellandi", "Roma", ("2025-01-01", "2027-01-01"), "2025-11-20").unwrap();
    assert_eq!(moved_again, moved);
    assert_eq!(store.fact_samples("marco bellandi").unwrap(), facts);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_version_6_database_gets_its_fact_samples_packed() {
    let (dir, path) = scratch("migrate6", "v6.db");
    let items = [("r1", ROMA), ("r2", ROMA_COPY), ("l1", LEAVING), ("d1", DENIED), ("s1", SIGNED)];
    let facts = {
        let mut store = SqliteStore::open(&path).unwrap();
        ingest(&mut store, &items);
        store.fact_samples("Marco Bellandi").unwrap()
    };
    assert!(!facts.is_empty());
    let packed = mercato_store::testing::fact_sample_rows(&path).unwrap();
    assert_eq!(packed.1, vec![("hashsize".to_string(), 33_554_432)]);
    // take it back to what version 6 wrote
    mercato_store::testing::fact_samples_as_v6(&path).unwrap();
    let v6 = mercato_store::testing::fact_sample_rows(&path).unwrap();
    assert_ne!(v6.0, packed.0);
    assert!(v6.0.iter().all(|d| d.contains("\"attribute\"")), "{:?}", v6.0);
    assert!(v6.1.is_empty());
    mercato_store::testing::player_keys_as_v10(&path).unwrap();
    let mut store = migrated_from(&path, 6);
    assert_eq!(mercato_store::testing::fact_sample_rows(&path).unwrap(), packed);
    assert_eq!(store.fact_samples("marco bellandi").unwrap(), facts);
    // and later writes keep them
    ingest(&mut store, &[("l2", LEAVING.replace("2025-12-01", "2025-12-02").as_str())]);
    assert!(store.fact_samples("marco bellandi").unwrap().len() >= facts.len());
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A v9 database's summaries are made again with the threads' predictors, equal to what
/// ingest keeps.
#[test]
fn a_version_9_database_gets_its_threads_predictors() {
    let (dir, path) = scratch("migrate9", "v9.db");
    let rows = |path: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut all: Vec<String> = conn
            .prepare("SELECT player_key || club_key || first || data FROM thread_sums UNION ALL SELECT player_key || data FROM player_sums")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        all.sort();
        all
    };
    {
        let mut store = SqliteStore::open(&path).unwrap();
        ingest(&mut store, &[("r1", ROMA), ("r1-near", ROMA_COPY), ("s1", SIGNED), ("l1", LEAVING)]);
    }
    let kept = rows(&path);
    assert!(kept.iter().any(|r| r.contains("\"predictors\":[[\"Diario Gol\"")), "{kept:?}");
    // take it back to what version 9 wrote
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute("UPDATE thread_sums SET data = json_remove(data, '$.predictors')", []).unwrap();
    }
    assert_ne!(rows(&path), kept);
    mercato_store::testing::player_keys_as_v10(&path).unwrap();
    let store = migrated_from(&path, 9);
    assert_eq!(rows(&path), kept);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_version_7_database_finds_its_copies_in_memory() {
    let (dir, path) = scratch("migrate7", "v7.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        ingest(&mut store, &[("r1", ROMA), ("s1", SIGNED)]);
    }
    // take it back to what version 7 wrote
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP INDEX articles_seq; CREATE INDEX articles_seq ON articles(seq, shingles, simhash); \
             CREATE INDEX articles_hash ON articles(content_hash);",
        )
        .unwrap();
    }
    mercato_store::testing::player_keys_as_v10(&path).unwrap();
    let mut store = migrated_from(&path, 7);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let sql: String = conn
            .query_row(
                "SELECT group_concat(sql, ';') FROM sqlite_schema WHERE tbl_name = 'articles' AND type = 'index'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!sql.contains("articles_hash") && sql.contains("simhash, content_hash"), "{sql}");
    }
    // the same texts under other ids (a short one too: no near-duplicate search for it), and
    // twice within one write
    let out = ingest(&mut store, &[("r9", ROMA), ("s9", SIGNED), ("s10", SIGNED)]);
    assert_eq!(
        out,
        vec![
            IngestOutcome::Copy { of: "r1".into() },
            IngestOutcome::Copy { of: "s1".into() },
            IngestOutcome::Copy { of: "s1".into() }
        ]
    );
    // a text replaced is no longer an original
    assert_eq!(ingest(&mut store, &[("d1", DENIED)]), vec![IngestOutcome::New]);
    let other = " date 2026-01-20 Nothing about anyone here, the weather was fine in Rome.";
    assert_eq!(ingest(&mut store, &[("d1", other)]), vec![IngestOutcome::Replaced]);
    assert_eq!(ingest(&mut store, &[("d2", DENIED)]), vec![IngestOutcome::New]);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_replaced_article_leaves_no_trace_in_the_summaries() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    ingest(&mut store, &[("r1", ROMA), ("s1", SIGNED)]);
    let before = store.thread_summaries("Marco Bellandi").unwrap();
    ingest(&mut store, &[("s1", " date 2026-01-20 Nothing about anyone here, the weather was fine in Rome.")]);
    let after = store.thread_summaries("Marco Bellandi").unwrap();
    assert_ne!(before, after);
    assert!(after.iter().all(|t| !t.done), "{after:?}");
    assert_eq!(store.move_to("Marco Bellandi", "Roma", ("2025-01-01", "2027-01-01"), "2025-11-20").unwrap(), None);
    // and back
    ingest(&mut store, &[("s1", SIGNED)]);
    assert_eq!(store.thread_summaries("Marco Bellandi").unwrap().len(), before.len());
    assert!(store.move_to("Marco Bellandi", "Roma", ("2025-01-01", "2027-01-01"), "2025-11-20").unwrap().is_some());
}

#[test]
fn a_move_told_twice_is_kept_once_and_comes_back_when_its_first_telling_goes() {
    let (dir, path) = scratch("moves", "m.db");
    let again = " date 2026-01-20 It is official: Marco Bellandi has completed his move to Roma, the club said.";
    let mut store = SqliteStore::open(&path).unwrap();
    ingest(&mut store, &[("s1", SIGNED), ("s2", again)]);
    let days = ("2025-01-01", "2027-01-01");
    let first = |store: &SqliteStore| {
        let hit = store.move_to("Marco Bellandi", "Roma", days, "2025-11-20").unwrap();
        hit.and_then(|h| store.links_by_row(&[h.link]).unwrap().pop()).map(|l| l.article)
    };
    assert_eq!(first(&store), Some("s1".to_string()));
    let rows = |path: &str| -> i64 {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row(
            "SELECT (SELECT count(*) FROM moves WHERE club_key = 'roma') + \
             (SELECT count(*) FROM moves_recent WHERE club_key = 'roma')",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    // both tell the same move on the same day: one row
    assert_eq!(rows(&path), 1);
    // the first telling replaced by unrelated text: the other one is the move now
    ingest(&mut store, &[("s1", " date 2026-01-20 Nothing about anyone here, the weather was fine in Rome.")]);
    assert_eq!(first(&store), Some("s2".to_string()));
    assert_eq!(rows(&path), 1);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Articles whose moves and leaving days the move queries weigh: moves to several clubs,
/// told again later (earlier and later), `past` moves, and the days a player was reported
/// leaving a club.
const MOVES: [(&str, &str); 12] = [
    ("m1", " date 2024-01-10 Marco Bellandi has completed his move to Roma from Sevilla."),
    ("m2", " date 2024-01-12 Marco Bellandi has completed his move to Roma from Sevilla. Read more about it."),
    ("m3", " date 2023-07-01 Marco Bellandi wants to leave Sevilla. Lazio are in talks over Marco Bellandi."),
    ("m4", " date 2023-08-01 Marco Bellandi joined Lazio in the summer of 2022, the club said in a statement."),
    ("m5", " date 2024-06-01 Marco Bellandi has completed his move to Lazio from Roma on a free transfer."),
    ("m6", " date 2022-06-01 Marco Bellandi wants to leave Lazio. Napoli are interested in Marco Bellandi."),
    ("m7", " date 2022-09-01 Marco Bellandi joined Lazio in the summer of 2022, after leaving Sevilla."),
    ("m8", " date 2025-02-01 Jonas Eriksen has completed his move to Napoli from Roma, the club said."),
    ("m9", " date 2025-01-20 Jonas Eriksen wants to leave Roma. Napoli are in talks over Jonas Eriksen."),
    ("m10", " date 2025-03-01 Jonas Eriksen joined Roma in the summer of 2023, the player recalled."),
    ("m11", " date 2024-01-09 Marco Bellandi has completed his move to Roma from Sevilla, the club said."),
    ("m12", " date 2025-02-02 Jonas Eriksen has completed his move to Napoli from Roma, reports say."),
];

/// Every answer of the move queries for the players and clubs of [`MOVES`] over a grid of
/// days.
fn move_answers(store: &SqliteStore) -> Vec<String> {
    let mut out = Vec::new();
    let days = ["2021-01-01", "2022-07-01", "2023-01-01", "2023-07-15", "2024-01-10", "2024-05-01", "2025-01-25"];
    for player in ["Marco Bellandi", "Jonas Eriksen", "marco bellandi"] {
        for club in ["Roma", "Lazio", "Sevilla", "Napoli"] {
            for from in days {
                for to in ["2024-01-11", "2024-12-31", "2026-12-31"] {
                    let hit = store.move_to(player, club, (from, to), from).unwrap();
                    let elsewhere = store.move_elsewhere(player, club, (from, to), 548).unwrap();
                    let link = |h: &Option<mercato_store::MoveHit>| {
                        h.as_ref().and_then(|h| store.links_by_row(&[h.link]).unwrap().pop()).map(|l| l.article)
                    };
                    out.push(format!(
                        "{player} {club} {from} {to}: {hit:?} {:?} / {elsewhere:?} {:?}",
                        link(&hit),
                        link(&elsewhere)
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn recent_moves_answer_as_merged_ones() {
    // the same writes into stores that merge at every write (as before schema v9), never,
    // and every few moves: the same answers after each write
    let writes: Vec<Vec<(&str, String)>> = vec![
        MOVES[..4].iter().map(|(id, t)| (*id, t.to_string())).collect(),
        MOVES[4..9].iter().map(|(id, t)| (*id, t.to_string())).collect(),
        // a replaced article takes its moves and leaving days away
        vec![("m3", " date 2023-07-01 Nothing about anyone here, the weather was fine in Rome.".to_string())],
        MOVES[9..].iter().map(|(id, t)| (*id, t.to_string())).collect(),
        vec![("m3", MOVES[2].1.to_string()), ("m1", " date 2024-01-10 The weather was fine in Rome.".to_string())],
        vec![("m1", MOVES[0].1.to_string())],
    ];
    let mut stores: Vec<SqliteStore> = (0..3).map(|_| SqliteStore::open_in_memory().unwrap()).collect();
    stores[0].set_merge_rows(0);
    stores[1].set_merge_rows(i64::MAX);
    stores[2].set_merge_rows(2);
    let mut some = false;
    for write in &writes {
        let items: Vec<(&str, &str)> = write.iter().map(|(id, t)| (*id, t.as_str())).collect();
        let outcomes: Vec<_> = stores.iter_mut().map(|s| ingest(s, &items)).collect();
        assert!(outcomes.iter().all(|o| *o == outcomes[0]));
        let answers: Vec<Vec<String>> = stores.iter().map(move_answers).collect();
        assert_eq!(answers[0], answers[1]);
        assert_eq!(answers[0], answers[2]);
        some |= answers[0].iter().any(|a| !a.contains("None None / None None"));
    }
    assert!(some, "no move found at all");
}

#[test]
fn a_version_8_database_gets_the_tables_of_recent_moves() {
    let (dir, path) = scratch("migrate8", "v8.db");
    let items: Vec<(&str, &str)> = MOVES.to_vec();
    let answers = {
        let mut store = SqliteStore::open(&path).unwrap();
        // as version 8 wrote: every move in the large tables
        store.set_merge_rows(0);
        ingest(&mut store, &items[..6]);
        move_answers(&store)
    };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let recent: i64 = conn
            .query_row("SELECT (SELECT count(*) FROM moves_recent) + (SELECT count(*) FROM leaving_recent)", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(recent, 0);
        conn.execute_batch("DROP TABLE moves_recent; DROP TABLE leaving_recent;").unwrap();
    }
    mercato_store::testing::player_keys_as_v10(&path).unwrap();
    let mut store = migrated_from(&path, 8);
    assert_eq!(move_answers(&store), answers);
    // later writes go to the recent tables, and answer as a database that merged them
    ingest(&mut store, &items[6..]);
    let mut merged = SqliteStore::open_in_memory().unwrap();
    merged.set_merge_rows(0);
    ingest(&mut merged, &items[..6]);
    ingest(&mut merged, &items[6..]);
    assert_eq!(move_answers(&store), move_answers(&merged));
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn store_link(path: &str, link: i64) -> Option<mercato_store::LinkRecord> {
    SqliteStore::open(path).unwrap().links_by_row(&[link]).unwrap().pop()
}

fn record(player: &str, end: &str) -> TransferRecord {
    TransferRecord {
        player: player.into(),
        from_club: "Sevilla".into(),
        to_club: "Roma".into(),
        window_start: "2026-01-01".into(),
        window_end: end.into(),
        loan: false,
        fee_eur: Some(12_000_000),
        origin: "test".into(),
    }
}

#[test]
fn transfers_are_imported_once_and_read_by_folded_name_and_date() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let records = [record("Marco Bellandí", "2026-01-31")];
    assert_eq!(store.import_transfers(&records).unwrap(), 1);
    assert_eq!(store.import_transfers(&records).unwrap(), 0);
    assert_eq!(store.transfers(Some("marco bellandi"), None).unwrap().len(), 1);
    // not yet known before its window closed
    assert!(store.transfers(Some("Marco Bellandi"), Some("2026-01-15")).unwrap().is_empty());
    assert_eq!(store.transfers(None, Some("2026-02-01")).unwrap().len(), 1);
}

#[test]
fn a_write_clears_derived_values_and_moves_the_generation() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let g0 = store.generation().unwrap();
    assert!(store.keep_derived("credibility", "{}", g0).unwrap());
    assert_eq!(store.derived("credibility").unwrap().as_deref(), Some("{}"));
    ingest(&mut store, &[("r1", ROMA)]);
    assert_eq!(store.derived("credibility").unwrap(), None);
    // a value computed before that write is not kept
    assert!(!store.keep_derived("credibility", "{}", g0).unwrap());
    assert_eq!(store.derived("credibility").unwrap(), None);
    assert!(store.keep_derived("credibility", "{}", store.generation().unwrap()).unwrap());
    // an unchanged article changes nothing
    ingest(&mut store, &[("r1", ROMA)]);
    assert!(store.derived("credibility").unwrap().is_some());
    store.import_transfers(&[record("Marco Bellandi", "2026-01-31")]).unwrap();
    assert_eq!(store.derived("credibility").unwrap(), None);
    assert_eq!(store.generation().unwrap(), g0 + 2);
}

#[test]
fn feed_items_are_remembered() {
    let store = SqliteStore::open_in_memory().unwrap();
    assert!(!store.feed_item_seen("f.xml", "item-1").unwrap());
    store.mark_feed_item("f.xml", "item-1", Some("a1"), "2026-01-01").unwrap();
    assert!(store.feed_item_seen("f.xml", "item-1").unwrap());
    assert!(!store.feed_item_seen("g.xml", "item-1").unwrap());
}

#[test]
fn writes_mark_players_dirty_and_keep_incremental_state() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    ingest(&mut store, &[("r1", ROMA)]);
    let dirty = store.dirty_players().unwrap();
    assert_eq!(dirty.iter().map(|d| d.0.as_str()).collect::<Vec<_>>(), vec!["Marco Bellandi"]);
    // a state computed from an older mark does not clean a newer change
    assert!(store.keep_state(&[], &[("Marco Bellandi".into(), dirty[0].1 - 1)], ("state:tally", None)).unwrap());
    assert_eq!(store.dirty_players().unwrap().len(), 1);
    assert!(store.keep_state(&[("state:tally".into(), "{}".into())], &dirty, ("state:tally", None)).unwrap());
    assert!(store.dirty_players().unwrap().is_empty());
    // a state computed from what is no longer there is refused
    assert!(!store.keep_state(&[("state:tally".into(), "{\"x\":{}}".into())], &[], ("state:tally", None)).unwrap());
    assert_eq!(store.derived("state:tally").unwrap().as_deref(), Some("{}"));
    assert!(store.keep_derived("credibility@latest", "{}", store.generation().unwrap()).unwrap());
    ingest(&mut store, &[("s1", SIGNED)]);
    // the write drops plain derived values but keeps the incremental state
    assert_eq!(store.derived("credibility@latest").unwrap(), None);
    assert_eq!(store.derived("state:tally").unwrap().as_deref(), Some("{}"));
    assert_eq!(store.dirty_players().unwrap().len(), 1);
    // importing transfers starts the state afresh
    store.import_transfers(&[record("Marco Bellandi", "2026-01-31")]).unwrap();
    assert_eq!(store.derived("state:tally").unwrap(), None);
}

/// One player spelt three ways that fold alike (accents, a curly apostrophe).
const SPELT: [(&str, &str); 4] = [
    ("q1", " date 2025-10-02 Roma are interested in Tomás N’Quiñones, according to Diario Gol. The 24-year-old winger has a contract with Sevilla until June 2027."),
    ("q2", " date 2025-10-20 Roma are in talks over Tomas N'Quinones, according to Fabrizio Romano. The 25-year-old winger could cost 20 million euros."),
    ("q3", " date 2025-11-15 Tomas N'Quinones wants to leave Sevilla."),
    ("q4", " date 2025-12-01 Tomás N'Quiñones has completed his move to Lazio from Sevilla."),
];

/// Every read of a player's evidence goes by one folded key: each spelling answers the same.
#[test]
fn spellings_that_fold_alike_are_one_player() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    ingest(&mut store, &SPELT[..2]);
    ingest(&mut store, &SPELT[2..]);
    let spellings = ["Tomás N’Quiñones", "Tomas N'Quinones", "TOMÁS N'QUIÑONES", "tomas  n'quinones"];
    let q = |p: &str| Query { player: Some(p.into()), ..Query::default() };
    let links = store.links(&q(spellings[0])).unwrap();
    let named: std::collections::BTreeSet<&str> = links.iter().map(|l| l.player.as_str()).collect();
    assert!(named.len() >= 3, "{named:?}");
    assert_eq!(links.len(), store.links(&Query::default()).unwrap().len());
    let facts = store.facts(&q(spellings[0])).unwrap();
    assert!(
        facts.iter().any(|f| f.subject.contains('’')) && facts.iter().any(|f| f.subject.contains('\'')),
        "{facts:?}"
    );
    let summary = store.player_summary(spellings[0]).unwrap().unwrap();
    assert_eq!(summary.player, "Tomás N’Quiñones");
    assert_eq!(summary.links as usize, links.len());
    let threads = store.thread_summaries(spellings[0]).unwrap();
    let roma = threads.iter().find(|t| t.club == "Roma").unwrap();
    assert_eq!((roma.claims, roma.first.as_str(), roma.last.as_str()), (2, "2025-10-02", "2025-10-20"));
    let samples = store.fact_samples(spellings[0]).unwrap();
    assert!(samples.len() >= 2, "{samples:?}");
    let moved = store.move_elsewhere(spellings[0], "Roma", ("2025-10-20", "2027-01-01"), 540).unwrap();
    assert!(moved.is_some());
    for p in &spellings[1..] {
        assert_eq!(store.links(&q(p)).unwrap(), links, "{p}");
        assert_eq!(store.facts(&q(p)).unwrap(), facts, "{p}");
        assert_eq!(store.player_summary(p).unwrap().as_ref(), Some(&summary), "{p}");
        assert_eq!(store.thread_summaries(p).unwrap(), threads, "{p}");
        assert_eq!(store.fact_samples(p).unwrap(), samples, "{p}");
        assert_eq!(store.move_elsewhere(p, "Roma", ("2025-10-20", "2027-01-01"), 540).unwrap(), moved, "{p}");
    }
    // one name listed, with every link
    let names = store.names(mercato_store::NameKind::Player, None, None).unwrap();
    assert_eq!(names.len(), 1, "{names:?}");
    assert_eq!(names[0].links as usize, links.len());
    // a replaced article takes its links away from the one player
    ingest(&mut store, &[("q2", " date 2025-10-21 Juventus are in talks over Tomas N'Quinones.")]);
    let again = store.thread_summaries(spellings[2]).unwrap();
    assert_eq!(again.iter().find(|t| t.club == "Roma").map(|t| t.claims), Some(1));
    assert!(again.iter().any(|t| t.club == "Juventus"));
}

/// A v10 database (summaries kept under each spelling in ASCII lower case, links and facts
/// without keys) gets its keys filled and its summaries made again under them, equal to
/// what ingest keeps.
#[test]
fn a_version_10_database_gets_one_key_per_player() {
    let (dir, path) = scratch("migrate10", "v10.db");
    let rows = |path: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut all: Vec<String> = conn
            .prepare(
                "SELECT player_key || club_key || first || data FROM thread_sums \
                 UNION ALL SELECT player_key || data FROM player_sums \
                 UNION ALL SELECT player_key || attribute || club || value || n || data FROM fact_sums \
                 UNION ALL SELECT rowid || player_key FROM links UNION ALL SELECT rowid || subject_key FROM facts",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        all.sort();
        all
    };
    {
        let mut store = SqliteStore::open(&path).unwrap();
        ingest(&mut store, &SPELT);
        ingest(&mut store, &[("r1", ROMA), ("s1", SIGNED)]);
    }
    let kept = rows(&path);
    assert!(kept.iter().any(|r| r.starts_with("tomas n'quinonesroma2025-10-02")), "{kept:?}");
    let before = SqliteStore::open(&path).unwrap().links(&Query::default()).unwrap();
    // take it back to what version 10 wrote: the summaries of the accented spelling under
    // its name in ASCII lower case (as if no other spelling had been met)
    mercato_store::testing::player_keys_as_v10(&path).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for table in ["thread_sums", "player_sums", "fact_sums"] {
            conn.execute(
                &format!("UPDATE {table} SET player_key = 'tomás n’quiñones' WHERE player_key = 'tomas n''quinones'"),
                [],
            )
            .unwrap();
        }
        conn.execute("UPDATE moves_recent SET name = 'tomás n’quiñones'", []).unwrap();
    }
    let store = migrated_from(&path, 10);
    assert_eq!(rows(&path), kept);
    assert_eq!(store.links(&Query::default()).unwrap(), before);
    assert_eq!(
        store.player_summary("Tomas N'Quinones").unwrap().map(|s| s.player).as_deref(),
        Some("Tomás N’Quiñones")
    );
    store.integrity_check().unwrap();
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// From schema v11 a link's evidence is read from its article's text (not stored again) and
/// an article's extraction is stored deflated; rows written before (evidence stored, the
/// extraction as JSON text) read as they did.
#[test]
fn evidence_from_the_text_and_deflated_extractions_read_as_stored_ones() {
    let (dir, path) = scratch("compact", "c.db");
    let mut store = SqliteStore::open(&path).unwrap();
    ingest(&mut store, &[("r1", ROMA), ("s1", SIGNED)]);
    let links = store.links(&Query::default()).unwrap();
    assert!(!links.is_empty());
    for l in &links {
        let text = if l.article == "r1" { ROMA } else { SIGNED };
        assert_eq!(l.evidence, text[l.evidence_start..l.evidence_end], "{l:?}");
        assert!(!l.evidence.is_empty());
    }
    let facts = store.facts(&Query::default()).unwrap();
    assert!(!facts.is_empty());
    assert!(facts
        .iter()
        .all(|f| !f.evidence.is_empty() && (ROMA.contains(&f.evidence) || SIGNED.contains(&f.evidence))));
    let article = store.article("r1").unwrap().unwrap();
    assert_eq!(article.extraction, serde_json::to_value(extract("r1", ROMA)).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (stored, kind): (String, String) = conn
        .query_row(
            "SELECT l.evidence, typeof(a.extraction) FROM links l JOIN articles a ON a.id = l.article LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((stored.as_str(), kind.as_str()), ("", "blob"));
    let stored: String = conn.query_row("SELECT group_concat(evidence, '') FROM facts", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, "");
    // as schema v10 wrote them
    let json = serde_json::to_string(&article.extraction).unwrap();
    conn.execute("UPDATE articles SET extraction = ?1 WHERE id = 'r1'", [&json]).unwrap();
    conn.execute("UPDATE links SET evidence = 'as stored' WHERE article = 'r1'", []).unwrap();
    assert_eq!(store.article("r1").unwrap().unwrap(), article);
    let again = store.links(&Query::default()).unwrap();
    assert!(again.iter().filter(|l| l.article == "r1").all(|l| l.evidence == "as stored"));
    assert_eq!(
        again.iter().filter(|l| l.article == "s1").collect::<Vec<_>>(),
        links.iter().filter(|l| l.article == "s1").collect::<Vec<_>>()
    );
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A v11 database (facts with their evidence stored, no offsets) reads the same facts once
/// migrated, and the facts stored since read theirs from the text.
#[test]
fn a_version_11_database_keeps_its_facts_evidence() {
    let (dir, path) = scratch("migrate11", "v11.db");
    let facts = {
        let mut store = SqliteStore::open(&path).unwrap();
        ingest(&mut store, &[("r1", ROMA), ("s1", SIGNED)]);
        store.facts(&Query::default()).unwrap()
    };
    assert!(facts.iter().all(|f| !f.evidence.is_empty()), "{facts:?}");
    mercato_store::testing::fact_offsets_as_v11(&path).unwrap();
    let mut store = migrated_from(&path, 11);
    assert_eq!(store.facts(&Query::default()).unwrap(), facts);
    ingest(&mut store, &[("r2", &ROMA.replace("2025-11-03", "2025-11-05").replace("Diario Gol", "Marca"))]);
    let more = store.facts(&Query::default()).unwrap();
    assert!(more.len() > facts.len() && more.iter().all(|f| !f.evidence.is_empty()), "{more:?}");
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A finder for the tests: each kept fact's row and value, in the order given.
fn test_finder(version: &str) -> mercato_store::FactFinder {
    mercato_store::FactFinder {
        version: version.to_string(),
        find: std::sync::Arc::new(|samples| {
            Ok(samples
                .iter()
                .map(|(row, f)| format!("{row}:{}:{}", f.attribute, f.value))
                .collect::<Vec<_>>()
                .join(","))
        }),
    }
}

/// Every row of `fact_found`, in key order.
fn found_rows(path: &str) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT player_key, version, data FROM fact_found ORDER BY player_key").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// What a write's finder makes of a player's kept facts is what the finder makes of
/// [`Store::fact_samples`]; a v12 database (no such rows) gets them at its next write,
/// equal to those of a database written with the finder throughout; a row of another
/// version is not read, and a write without a finder drops the rows of the players it
/// changes.
#[test]
fn a_version_12_database_gets_what_its_finder_finds_at_the_next_write() {
    let (dir, path) = scratch("found", "fresh.db");
    let later = ROMA.replace("2025-11-03", "2025-12-09").replace("12 million", "20 million");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store.set_fact_finder(test_finder("t1"));
        ingest(&mut store, &[("r1", ROMA)]);
        ingest(&mut store, &[("s1", SIGNED), ("r2", &later)]);
        let samples = store.fact_samples("Marco Bellandi").unwrap();
        assert!(samples.len() >= 3, "{samples:?}");
        let found = store.fact_found("marco BELLANDI", "t1").unwrap().unwrap();
        assert_eq!(Some(found), (test_finder("t1").find)(samples).ok());
        assert_eq!(store.fact_found("Marco Bellandi", "t0").unwrap(), None);
    }
    let fresh = found_rows(&path);
    assert!(!fresh.is_empty());
    let old = dir.join("v12.db").display().to_string();
    {
        let mut store = SqliteStore::open(&old).unwrap();
        ingest(&mut store, &[("r1", ROMA)]);
    }
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute_batch("DROP TABLE fact_found").unwrap();
    }
    let mut store = migrated_from(&old, 12);
    assert!(found_rows(&old).is_empty());
    assert_eq!(store.fact_found("Marco Bellandi", "t1").unwrap(), None);
    store.set_fact_finder(test_finder("t1"));
    ingest(&mut store, &[("s1", SIGNED), ("r2", &later)]);
    assert_eq!(found_rows(&old), fresh);
    drop(store);
    // a write without a finder: the changed player's row goes, and reads find nothing
    let mut store = SqliteStore::open(&old).unwrap();
    ingest(&mut store, &[("r3", &ROMA.replace("2025-11-03", "2026-02-01"))]);
    assert_eq!(store.fact_found("Marco Bellandi", "t1").unwrap(), None);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}
