//! The sources' record kept up to date one player at a time equals a fold of the whole
//! store, through new articles, a replaced article and a move that resolves threads.
#![allow(clippy::unwrap_used)]

use mercato_answers::{latest_tally, sources, Read};
use mercato_extract::{ArticleInput, Extractor};
use mercato_store::{NewArticle, SqliteStore, Store};

fn ingest(store: &mut SqliteStore, items: &[(&str, &str)]) {
    let extractor = Extractor::new(mercato_kb::Kb::starter());
    let extractions: Vec<_> = items
        .iter()
        .map(|(id, text)| extractor.extract(ArticleInput { id, text, published: None, url: None }))
        .collect();
    let batch: Vec<NewArticle<'_>> = items
        .iter()
        .zip(&extractions)
        .map(|((id, text), x)| NewArticle { id, text, url: None, extraction: x })
        .collect();
    store.ingest(&batch).unwrap();
}

const FIRST: [(&str, &str); 4] = [
    ("a1", " date 2024-01-10 Napoli are interested in Marco Bellandi, according to Diario Gol."),
    ("a2", " date 2024-01-12 Roma are in talks over Marco Bellandi, according to Fabrizio Romano."),
    ("a3", " date 2024-01-15 Juventus want Jonas Eriksen, according to Diario Gol."),
    // a name whose capital SQL's lower() does not fold
    ("a6", " date 2024-01-16 Napoli are interested in Ørjan Lindqvist, according to Diario Gol."),
];
const LATER: [(&str, &str); 4] = [
    ("a4", " date 2024-02-01 Marco Bellandi has completed his move to Roma from Sevilla."),
    ("a3", " date 2024-01-15 Chelsea want Jonas Eriksen, according to Diario Gol."),
    ("a5", " date 2024-02-03 Lazio are interested in Ola Sandvik, according to Fabrizio Romano."),
    ("a7", " date 2024-02-04 Ørjan Lindqvist has completed his move to Lazio from Empoli."),
];

fn no_tier(_: &str) -> Option<u8> {
    None
}

#[test]
fn the_incremental_record_equals_a_fold_of_everything() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    ingest(&mut store, &FIRST);
    let before = sources(&store, &Read::default(), &no_tier).unwrap();
    let diario = before.iter().find(|r| r.source == "Diario Gol").unwrap();
    assert_eq!((diario.hits, diario.misses, diario.open), (0, 0, 3));
    ingest(&mut store, &LATER);
    assert_eq!(store.dirty_players().unwrap().len(), 4);
    let incremental = sources(&store, &Read::default(), &no_tier).unwrap();
    assert!(store.dirty_players().unwrap().is_empty());
    // a store that read everything at once
    let mut fresh = SqliteStore::open_in_memory().unwrap();
    ingest(&mut fresh, &[FIRST[0], FIRST[1], FIRST[3], LATER[0], LATER[1], LATER[2], LATER[3]]);
    let full = sources(&fresh, &Read::default(), &no_tier).unwrap();
    assert_eq!(incremental, full);
    // Napoli superseded by the move to Roma: a miss for Diario Gol; Romano's Roma report a hit
    let diario = full.iter().find(|r| r.source == "Diario Gol").unwrap();
    assert_eq!((diario.hits, diario.misses, diario.open), (0, 2, 1));
    let romano = full.iter().find(|r| r.source == "Fabrizio Romano").unwrap();
    assert_eq!((romano.hits, romano.misses, romano.open), (1, 0, 1));
    // nothing dirty: the kept tally is the answer
    assert_eq!(latest_tally(&store).unwrap(), latest_tally(&fresh).unwrap());
}
