//! The thread and contradiction rules on hand-made records.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use mercato_store::{FactRecord, LinkRecord};
use mercato_threads::{contradictions, threads, Status};

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
    assert_eq!(list[0].likelihood.value, Some(0.0));
}

#[test]
fn one_speculative_report_is_insufficient_data() {
    let list = threads(&[link("a", "2024-02-01", "Ann Vale", "Roma", "to", Some("speculation"))], None);
    assert_eq!(list[0].likelihood.value, None);
    assert!(list[0].likelihood.note.as_deref().unwrap().starts_with("insufficient data"));
    let list = threads(&[link("a", "2024-02-01", "Ann Vale", "Roma", "to", Some("agreement"))], None);
    assert_eq!(list[0].status, Status::Advanced);
    assert_eq!(list[0].likelihood.value, Some(0.86));
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
