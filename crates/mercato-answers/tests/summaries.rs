//! The bounded player report read from the summaries kept at ingest tells the same threads
//! (status, scores, evidence, buzz, what resolved them), the same latest claims, moves and
//! links, and the same contradictions as the full fold of every claim, for every player of
//! the shared corpora (seeds, dev, pool) ingested in an order that is not the papers' own.
#![allow(clippy::unwrap_used)]

use mercato_answers::{outcomes_folded, outcomes_from_summaries, player, player_latest, Bounds, Read};
use mercato_extract::{ArticleInput, Extractor};
use mercato_store::{NameKind, NewArticle, SqliteStore, Store, TransferRecord};
use mercato_threads::Thread;
use std::path::PathBuf;

fn no_tier(_: &str) -> Option<u8> {
    None
}

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    dir.join("seeds/seeds.jsonl").exists().then_some(dir)
}

/// The articles of a JSON-lines corpus: (id, text).
fn corpus(path: &PathBuf) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v["text"].as_str().unwrap().to_string())
        })
        .collect()
}

const CRAFTED: [(&str, &str); 6] = [
    ("c1", " date 2024-01-10 Napoli are interested in Marco Bellandi, according to Diario Gol."),
    ("c2", " date 2024-01-12 Roma are in talks over Marco Bellandi, according to Fabrizio Romano."),
    ("c3", " date 2024-02-01 Marco Bellandi has completed his move to Roma from Sevilla."),
    ("c4", " date 2024-03-01 Roma have denied any interest in Jonas Eriksen."),
    ("c5", " date 2023-01-01 Juventus want Jonas Eriksen, according to Diario Gol."),
    ("c6", " date 2024-02-20 Juventus want Jonas Eriksen, according to Diario Gol. Read more."),
];

/// What a thread says besides its list of claims.
fn gist(t: &Thread) -> String {
    let mut t = t.clone();
    t.claims.clear();
    t.more_claims = 0;
    serde_json::to_string(&t).unwrap()
}

#[test]
fn the_bounded_report_tells_what_the_full_fold_tells() {
    let kb = match shared() {
        Some(dir) => mercato_kb::Kb::load_with_starter(&[dir.join("kb")]).unwrap(),
        None => mercato_kb::Kb::starter(),
    };
    let extractor = Extractor::new(kb);
    let mut items: Vec<(String, String)> =
        CRAFTED.iter().map(|(id, text)| (id.to_string(), text.to_string())).collect();
    if let Some(dir) = shared() {
        for file in ["seeds/seeds.jsonl", "corpus/dev.jsonl", "corpus/pool.jsonl"] {
            items.extend(corpus(&dir.join(file)));
        }
    } else {
        eprintln!("../shared not found: the crafted articles only");
    }
    // newest batches first, and each batch backwards: summaries must not depend on order
    items.reverse();
    let extractions: Vec<_> = items
        .iter()
        .map(|(id, text)| extractor.extract(ArticleInput { id, text, published: None, url: None }))
        .collect();
    let mut store = SqliteStore::open_in_memory().unwrap();
    // the recent moves merged into the large tables every few writes: answers read from both
    store.set_merge_rows(25);
    // the same writes keeping each changed player's contradictions (the CLI's store)
    let mut kept = SqliteStore::open_in_memory().unwrap();
    kept.set_fact_finder(mercato_answers::fact_finder());
    for (chunk, xs) in items.chunks(97).zip(extractions.chunks(97)) {
        let batch: Vec<NewArticle<'_>> =
            chunk.iter().zip(xs).map(|((id, text), x)| NewArticle { id, text, url: None, extraction: x }).collect();
        store.ingest(&batch).unwrap();
        kept.ingest(&batch).unwrap();
    }
    // a transfer record resolves threads too
    let record = TransferRecord {
        player: "Jonas Eriksen".into(),
        from_club: "Sevilla".into(),
        to_club: "Chelsea".into(),
        window_start: "2024-06-01".into(),
        window_end: "2024-08-31".into(),
        loan: false,
        fee_eur: None,
        origin: "test".into(),
    };
    store.import_transfers(std::slice::from_ref(&record)).unwrap();
    kept.import_transfers(&[record]).unwrap();
    let read = Read::default();
    let names = store.names(NameKind::Player, None, None).unwrap();
    assert!(names.len() >= 3);
    // the contradictions kept at ingest are those found at the read, as the default report
    // shows them (and so is the rest of the report)
    let mut with_contradictions = 0;
    for n in &names {
        let found = player_latest(&store, &n.name, &read, &no_tier, Bounds::default()).unwrap().unwrap();
        let read_kept = player_latest(&kept, &n.name, &read, &no_tier, Bounds::default()).unwrap().unwrap();
        assert_eq!(serde_json::to_string(&found).unwrap(), serde_json::to_string(&read_kept).unwrap(), "{}", n.name);
        with_contradictions += usize::from(!found.contradictions.is_empty());
    }
    assert!(shared().is_none() || with_contradictions >= 3, "{with_contradictions}");
    let (mut compared, mut threads_seen, mut bounded, mut outcomes_seen) = (0, 0, 0, 0);
    for n in &names {
        let full = player(&store, &n.name, &read, &no_tier).unwrap().unwrap();
        let fast =
            player_latest(&store, &n.name, &read, &no_tier, Bounds { threads: usize::MAX, contradictions: usize::MAX })
                .unwrap()
                .unwrap();
        assert_eq!(fast.player, full.player);
        assert_eq!(fast.threads.len(), full.threads.len(), "{}", n.name);
        // the same order of status and likelihood (ties may come in another order)
        let order = |ts: &[Thread]| -> Vec<(bool, Option<i64>)> {
            ts.iter().map(|t| (t.status.is_live(), t.likelihood.value.map(|v| (v * 1e6) as i64))).collect()
        };
        assert_eq!(order(&fast.threads), order(&full.threads), "{}", n.name);
        let mut a = fast.threads.clone();
        let mut b = full.threads.clone();
        a.sort_by_key(|x| (x.club.to_lowercase(), x.first));
        b.sort_by_key(|x| (x.club.to_lowercase(), x.first));
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(gist(x), gist(y), "{}", n.name);
            let k = x.claims.len();
            assert_eq!(x.claims[..], y.claims[y.claims.len() - k..], "{} {}", n.name, x.club);
            assert_eq!(x.claims.len() as u64 + x.more_claims, y.claims.len() as u64);
            bounded += usize::from(x.more_claims > 0);
        }
        let left = fast.left_out.clone().unwrap();
        assert_eq!(fast.timeline[..], full.timeline[full.timeline.len() - fast.timeline.len()..], "{}", n.name);
        assert_eq!(fast.timeline.len() as u64 + left.timeline, full.timeline.len() as u64);
        assert_eq!(fast.moves[..], full.moves[full.moves.len() - fast.moves.len()..], "{}", n.name);
        assert_eq!(fast.moves.len() as u64 + left.moves, full.moves.len() as u64);
        assert_eq!(fast.contradictions, full.contradictions);
        // what the threads say of their sources, from the summaries and from the claims
        let mut summarised = outcomes_from_summaries(&store, &n.name).unwrap().expect("summaries keep predictors");
        let mut folded = outcomes_folded(&store, &n.name).unwrap();
        summarised.sort();
        folded.sort();
        assert_eq!(summarised, folded, "{}", n.name);
        outcomes_seen += folded.len();
        compared += 1;
        threads_seen += a.len();
    }
    eprintln!(
        "{compared} players, {threads_seen} threads, {bounded} with claims left out, {outcomes_seen} source outcomes, compared"
    );
    assert!(threads_seen >= 3 && outcomes_seen >= 3);
    // a small bound lists the first threads in report order and counts the rest
    let top = &names[0].name;
    let full = player(&store, top, &read, &no_tier).unwrap().unwrap();
    let one = player_latest(&store, top, &read, &no_tier, Bounds { threads: 1, contradictions: 1 }).unwrap().unwrap();
    assert_eq!(one.threads.len(), full.threads.len().min(1));
    assert_eq!(one.left_out.unwrap().threads as usize, full.threads.len().saturating_sub(1));
}

/// A player spelt ways that fold alike (accents, a curly apostrophe) is one player: every
/// spelling gets the same report, from the summaries as from the full fold, and his move
/// under one spelling resolves his thread under another.
#[test]
fn spellings_that_fold_alike_get_one_report() {
    const SPELT: [(&str, &str); 5] = [
        ("q1", " date 2025-10-02 Roma are interested in Tomás N’Quiñones, according to Diario Gol. The 24-year-old winger has a contract with Sevilla until June 2027."),
        ("q2", " date 2025-10-20 Roma are in talks over Tomas N'Quinones, according to Fabrizio Romano. The 25-year-old winger could cost 20 million euros."),
        ("q3", " date 2025-11-15 Tomas N'Quinones wants to leave Sevilla."),
        ("q4", " date 2025-12-01 Tomás N'Quiñones has completed his move to Lazio from Sevilla."),
        ("q5", " date 2025-09-01 Napoli want Tomas N'Quinones, according to Diario Gol."),
    ];
    let extractor = Extractor::new(mercato_kb::Kb::starter());
    let extractions: Vec<_> = SPELT
        .iter()
        .map(|(id, text)| extractor.extract(ArticleInput { id, text, published: None, url: None }))
        .collect();
    let mut store = SqliteStore::open_in_memory().unwrap();
    for (chunk, xs) in SPELT.chunks(2).zip(extractions.chunks(2)) {
        let batch: Vec<NewArticle<'_>> =
            chunk.iter().zip(xs).map(|((id, text), x)| NewArticle { id, text, url: None, extraction: x }).collect();
        store.ingest(&batch).unwrap();
    }
    let read = Read::default();
    let all = Bounds { threads: usize::MAX, contradictions: usize::MAX };
    let spellings = ["Tomás N’Quiñones", "Tomas N'Quinones", "Tomás N'Quiñones", "TOMAS N'QUINONES"];
    let json = |p: &str| {
        let full = player(&store, p, &read, &no_tier).unwrap().unwrap();
        let fast = player_latest(&store, p, &read, &no_tier, all).unwrap().unwrap();
        let mut summarised = outcomes_from_summaries(&store, p).unwrap().unwrap();
        let mut folded = outcomes_folded(&store, p).unwrap();
        summarised.sort();
        folded.sort();
        assert_eq!(summarised, folded, "{p}");
        (full, fast, folded)
    };
    let (full, fast, outcomes) = json(spellings[0]);
    // named as his earliest link spells him
    assert_eq!(full.player, "Tomas N'Quinones");
    assert_eq!(fast.player, full.player);
    assert_eq!(fast.threads.iter().map(gist).collect::<Vec<_>>(), full.threads.iter().map(gist).collect::<Vec<_>>());
    assert_eq!(fast.timeline, full.timeline);
    assert_eq!(fast.contradictions, full.contradictions);
    // one thread of Roma, with the claims of both spellings, resolved by the move to Lazio
    let roma: Vec<&Thread> = full.threads.iter().filter(|t| t.club == "Roma").collect();
    assert_eq!(roma.len(), 1, "{:?}", full.threads);
    assert_eq!(roma[0].claims.len(), 2);
    assert_eq!(roma[0].status.as_str(), "superseded");
    assert!(outcomes.iter().any(|(s, c, o)| s == "Fabrizio Romano" && c == "Roma" && *o == 1), "{outcomes:?}");
    for p in &spellings[1..] {
        let (f, q, o) = json(p);
        assert_eq!(serde_json::to_string(&f).unwrap(), serde_json::to_string(&full).unwrap(), "{p}");
        assert_eq!(serde_json::to_string(&q).unwrap(), serde_json::to_string(&fast).unwrap(), "{p}");
        assert_eq!(o, outcomes, "{p}");
    }
    // the sources' record counts him once
    let names = store.names(NameKind::Player, None, None).unwrap();
    assert_eq!(names.len(), 1, "{names:?}");
}
