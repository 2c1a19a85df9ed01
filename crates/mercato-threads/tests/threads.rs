//! The thread and contradiction rules on hand-made records.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use mercato_store::{FactRecord, LinkRecord};
use mercato_threads::{contradictions, threads, threads_scored, Model, Move, Scoring, Status};
use std::collections::HashMap;

fn link(article: &str, date: &str, player: &str, club: &str, kind: &str, stage: Option<&str>) -> LinkRecord {
    LinkRecord {
        article: article.into(),
        published: Some(date.into()),
        date_inferred: false,
        copy_of: None,
        player: player.into(),
        club: club.into(),
        kind: kind.into(),
        stage: stage.map(Into::into),
        hedged: false,
        sources: vec!["Daily Planet".into()],
        article_sources: vec![],
        evidence_start: 0,
        evidence_end: 0,
        evidence: String::new(),
        when: None,
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn status_of(list: &[mercato_threads::Thread], club: &str, first: &str) -> Status {
    list.iter().find(|t| t.club == club && t.first == day(first)).unwrap().status
}

#[test]
fn a_long_silence_starts_a_new_thread() {
    let links = [
        link("a", "2021-01-10", "Ann Vale", "Roma", "to", Some("interest")),
        link("b", "2023-05-01", "Ann Vale", "Roma", "to", Some("talks")),
    ];
    let list = threads(&links, None);
    assert_eq!(list.len(), 2);
    assert_eq!(status_of(&list, "Roma", "2021-01-10"), Status::Stale);
    assert_eq!(status_of(&list, "Roma", "2023-05-01"), Status::Open);
}

#[test]
fn a_move_completes_its_thread_and_supersedes_the_others() {
    let links = [
        link("a", "2024-01-10", "Ann Vale", "Roma", "to", Some("interest")),
        link("a", "2024-01-10", "Ann Vale", "Lazio", "to", Some("talks")),
        link("b", "2024-01-30", "Ann Vale", "Lazio", "done", None),
    ];
    let list = threads(&links, None);
    assert_eq!(status_of(&list, "Lazio", "2024-01-10"), Status::Completed);
    assert_eq!(status_of(&list, "Roma", "2024-01-10"), Status::Superseded);
    // before the move, both are live
    let before = threads(&links, Some(day("2024-01-20")));
    assert!(before.iter().all(|t| t.status == Status::Open), "{before:?}");
}

#[test]
fn the_latest_denial_wins_and_copies_do_not_count() {
    let mut copy = link("c", "2024-02-02", "Ann Vale", "Roma", "to", Some("agreement"));
    copy.copy_of = Some("a".into());
    let links = [
        link("a", "2024-02-01", "Ann Vale", "Roma", "to", Some("agreement")),
        copy,
        link("b", "2024-02-05", "Ann Vale", "Roma", "denied", None),
    ];
    let list = threads(&links, None);
    assert_eq!(list[0].status, Status::Denied);
    assert_eq!(list[0].independent_reports, 2);
    // a denial is evidence for the model, not a verdict: denials are often wrong
    let denied = list[0].likelihood.components.iter().find(|c| c.name == "denied").unwrap();
    assert_eq!(denied.value, 1.0);
    assert_eq!(list[0].evidence.denials, 1);
}

fn stage_only() -> Model {
    Model::stage_only()
}

#[test]
fn a_credible_source_raises_the_likelihood_and_rivals_lower_it() {
    let links = [
        link("a", "2024-02-01", "Ann Vale", "Roma", "to", Some("talks")),
        link("a", "2024-02-01", "Ann Vale", "Lazio", "to", Some("talks")),
        link("b", "2024-03-01", "Ann Vale", "Lazio", "to", Some("talks")),
    ];
    let mut model = stage_only();
    model.weights[3] = 1.0; // credibility
    model.weights[5] = -1.0; // rivals
    let unknown = HashMap::new();
    let known = HashMap::from([("daily planet".to_string(), 0.8)]);
    let plain = threads_scored(
        &links,
        None,
        None,
        &Scoring { model: &model, credibility: &unknown, records: &[], priced: None },
    );
    let trusted =
        threads_scored(&links, None, None, &Scoring { model: &model, credibility: &known, records: &[], priced: None });
    let of = |list: &[mercato_threads::Thread], club: &str| {
        list.iter().find(|t| t.club == club).map(|t| (t.likelihood.estimate, t.evidence.rivals)).unwrap()
    };
    assert!(of(&trusted, "Roma").0 > of(&plain, "Roma").0);
    // each is the other's rival
    assert_eq!(of(&plain, "Roma").1, 1);
    assert_eq!(of(&plain, "Lazio").1, 1);
}

#[test]
fn a_transfer_record_completes_a_thread_once_its_window_has_closed() {
    let links = [link("a", "2024-06-01", "Ann Vale", "Roma", "to", Some("talks"))];
    let record = Move {
        player: "Ann Vale".into(),
        club: "Roma".into(),
        when: Some([day("2024-07-01"), day("2024-09-01")]),
        article: "transfer record".into(),
        told: day("2024-09-01"),
        kind: "record".into(),
        evidence: "Lazio -> Roma, summer 2024".into(),
    };
    let model = stage_only();
    let credibility = HashMap::new();
    let scoring =
        Scoring { model: &model, credibility: &credibility, records: std::slice::from_ref(&record), priced: None };
    let at = |d: &str| threads_scored(&links, Some(day(d)), None, &scoring)[0].status;
    assert_eq!(at("2024-08-01"), Status::Open);
    assert_eq!(at("2024-09-02"), Status::Completed);
}

#[test]
fn one_speculative_report_is_insufficient_data() {
    let list = threads(&[link("a", "2024-02-01", "Ann Vale", "Roma", "to", Some("speculation"))], None);
    assert_eq!(list[0].likelihood.value, None);
    assert!(list[0].likelihood.note.as_deref().unwrap().starts_with("insufficient data"));
    let model = stage_only();
    let credibility = HashMap::new();
    let scoring = Scoring { model: &model, credibility: &credibility, records: &[], priced: None };
    let links = [link("a", "2024-02-01", "Ann Vale", "Roma", "to", Some("agreement"))];
    let list = threads_scored(&links, None, None, &scoring);
    assert_eq!(list[0].status, Status::Advanced);
    assert!((list[0].likelihood.value.unwrap() - 0.86).abs() < 1e-9);
}

fn fact(article: &str, date: &str, attribute: &str, club: Option<&str>, value: &str) -> FactRecord {
    FactRecord {
        article: article.into(),
        published: Some(date.into()),
        date_inferred: false,
        copy_of: None,
        subject: "Ann Vale".into(),
        attribute: attribute.into(),
        club: club.map(Into::into),
        value: value.into(),
        currency: None,
        stated: None,
        evidence: String::new(),
    }
}

#[test]
fn contradictions_need_the_same_moment() {
    let facts = [
        fact("a", "2025-09-01", "contract_expiry", Some("Roma"), "2025-12"),
        fact("b", "2025-12-01", "contract_expiry", Some("Roma"), "2026-12"),
        // an extension years later is news, not a contradiction
        fact("c", "2028-01-01", "contract_expiry", Some("Roma"), "2030-06"),
        // ages a year apart a year apart agree; 30 and 35 in one season do not
        fact("d", "2024-01-01", "age", None, "30"),
        fact("e", "2025-01-01", "age", None, "31"),
        fact("f", "2024-02-01", "age", None, "35"),
    ];
    let list = contradictions(&facts);
    let pairs: Vec<(String, String, String)> =
        list.iter().map(|c| (c.attribute.clone(), c.sides[0].value.clone(), c.sides[1].value.clone())).collect();
    assert!(pairs.contains(&("contract_expiry".into(), "2025-12".into(), "2026-12".into())), "{pairs:?}");
    assert!(!pairs.iter().any(|p| p.2 == "2030-06"), "{pairs:?}");
    assert!(pairs.contains(&("age".into(), "30".into(), "35".into())), "{pairs:?}");
    assert!(!pairs.contains(&("age".into(), "30".into(), "31".into())), "{pairs:?}");
}

#[test]
fn a_source_record_on_the_club_beats_its_whole_record() {
    let links = [
        link("a", "2024-02-01", "Ann Vale", "Roma", "to", Some("talks")),
        link("b", "2024-02-01", "Bo Rind", "Lazio", "to", Some("talks")),
    ];
    let model = stage_only();
    let known = HashMap::from([
        ("daily planet".to_string(), 0.8),
        (mercato_threads::credibility_key("daily planet", "roma"), 0.1),
    ]);
    let list =
        threads_scored(&links, None, None, &Scoring { model: &model, credibility: &known, records: &[], priced: None });
    let of = |club: &str| list.iter().find(|t| t.club == club).unwrap().evidence.credibility;
    assert_eq!((of("Roma"), of("Lazio")), (Some(0.1), Some(0.8)));
}

#[test]
fn a_stated_fee_is_evidence() {
    let links = [link("a", "2024-02-01", "Ann Vale", "Roma", "to", Some("talks"))];
    let model = stage_only();
    let credibility = HashMap::new();
    let priced = std::collections::HashSet::from([("a".to_string(), "ann vale".to_string())]);
    let with = Scoring { model: &model, credibility: &credibility, records: &[], priced: Some(&priced) };
    let without = Scoring { priced: None, ..with };
    assert!(threads_scored(&links, None, None, &with)[0].evidence.fee_stated);
    assert!(!threads_scored(&links, None, None, &without)[0].evidence.fee_stated);
}
