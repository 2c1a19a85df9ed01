//! Table-driven tests of the normaliser: (text, publication date, expected first
//! expression's text, interval and grain). Sentences are our own.

use chrono::NaiveDate;
use mercato_time::{Grain, SeasonStyle, TimeLexicon};

struct Row {
    text: &'static str,
    anchor: Option<&'static str>,
    /// The expression's words, as found.
    found: &'static str,
    start: &'static str,
    end: &'static str,
    grain: Grain,
}

const fn row(
    text: &'static str,
    anchor: Option<&'static str>,
    found: &'static str,
    start: &'static str,
    end: &'static str,
    grain: Grain,
) -> Row {
    Row { text, anchor, found, start, end, grain }
}

use Grain::*;
const A: Option<&str> = Some("2025-12-01");

const ROWS: &[Row] = &[
    // absolute dates in the common written forms
    row("He signed on 30 June 2026 at noon.", None, "30 June 2026", "2026-06-30", "2026-06-30", Day),
    row("He signed on 30th of June, 2026.", None, "30th of June, 2026", "2026-06-30", "2026-06-30", Day),
    row("He signed on June 30, 2026.", None, "June 30, 2026", "2026-06-30", "2026-06-30", Day),
    row("He signed on June 30th 2026.", None, "June 30th 2026", "2026-06-30", "2026-06-30", Day),
    row("Announced 2026-06-30 by the club.", None, "2026-06-30", "2026-06-30", "2026-06-30", Day),
    row("Announced 05/06/2024 by the club.", None, "05/06/2024", "2024-06-05", "2024-06-05", Day),
    row("It ran on 29 February 2024 in print.", None, "29 February 2024", "2024-02-29", "2024-02-29", Day),
    row("It ran on Jan. 1, 2025 in print.", None, "Jan. 1, 2025", "2025-01-01", "2025-01-01", Day),
    row("His deal expires in June 2026.", None, "June 2026", "2026-06-01", "2026-06-30", Month),
    row("His deal expires in February 2028.", None, "February 2028", "2028-02-01", "2028-02-29", Month),
    row("He joined in 2021 from Sevilla.", None, "2021", "2021-01-01", "2021-12-31", Year),
    // seasons
    row("He scored ten goals in 2023/24 for them.", None, "2023/24", "2023-07-01", "2024-06-30", Season),
    row("He scored in the 2023-24 season.", None, "2023-24 season", "2023-07-01", "2024-06-30", Season),
    row("He scored in the 2023–2024 campaign.", None, "2023–2024 campaign", "2023-07-01", "2024-06-30", Season),
    row("He starred in the 2025 season.", None, "2025 season", "2025-07-01", "2026-06-30", Season),
    row("He played this season for them.", A, "this season", "2025-07-01", "2026-06-30", Season),
    row("He played last season for them.", A, "last season", "2024-07-01", "2025-06-30", Season),
    row("He played last season for them.", Some("2025-06-30"), "last season", "2023-07-01", "2024-06-30", Season),
    row("He will stay next season.", Some("2025-07-01"), "next season", "2026-07-01", "2027-06-30", Season),
    row(
        "Goals in the second half of the season.",
        A,
        "the second half of the season",
        "2026-01-01",
        "2026-06-30",
        Season,
    ),
    row("Talks at the end of the season.", A, "the end of the season", "2026-03-01", "2026-06-30", Season),
    row("He won the Apertura 2024 with Monterrey.", None, "Apertura 2024", "2024-07-01", "2024-12-31", Season),
    row("He left after the 2025 Clausura.", None, "2025 Clausura", "2025-01-01", "2025-05-31", Season),
    row("He joins for the next Apertura.", A, "next Apertura", "2026-07-01", "2026-12-31", Season),
    // months, relative and bare
    row("He turns 40 next March.", A, "next March", "2026-03-01", "2026-03-31", Month),
    row("He left last March.", A, "last March", "2025-03-01", "2025-03-31", Month),
    row("He left last March.", Some("2025-03-15"), "last March", "2024-03-01", "2024-03-31", Month),
    row("He may move in January.", A, "January", "2026-01-01", "2026-01-31", Month),
    row("He moved in October.", A, "October", "2025-10-01", "2025-10-31", Month),
    row("He is free in May.", A, "May", "2026-05-01", "2026-05-31", Month),
    row("Talks resume in late November.", A, "late November", "2025-11-21", "2025-11-30", Month),
    row("His deal runs until the end of December.", A, "the end of December", "2025-12-22", "2025-12-31", Month),
    row("A medical in mid-January is planned.", A, "mid-January", "2026-01-11", "2026-01-21", Month),
    row("He arrived in early 2024 on loan.", None, "early 2024", "2024-01-01", "2024-04-30", Year),
    row("The deal is done on 1 January.", A, "1 January", "2026-01-01", "2026-01-01", Day),
    // calendar periods and windows
    row("He moved in the summer of 2021.", None, "summer of 2021", "2021-06-01", "2021-09-01", Window),
    row("He moved last winter.", A, "last winter", "2024-12-01", "2025-02-28", Window),
    row("He moved last winter.", Some("2024-03-15"), "last winter", "2023-12-01", "2024-02-29", Window),
    row("He could move next summer.", A, "next summer", "2026-06-01", "2026-09-01", Window),
    row("He could move next summer.", Some("2025-07-10"), "next summer", "2026-06-01", "2026-09-01", Window),
    row("He could move this summer.", Some("2025-03-10"), "this summer", "2025-06-01", "2025-09-01", Window),
    row(
        "Bids in the upcoming January transfer window.",
        A,
        "upcoming January transfer window",
        "2026-01-01",
        "2026-01-31",
        Window,
    ),
    row("A bid in the summer window.", Some("2025-05-01"), "summer window", "2025-06-01", "2025-09-01", Window),
    row("It could happen on deadline day.", Some("2025-08-20"), "deadline day", "2025-09-01", "2025-09-01", Day),
    row("It could happen on deadline day.", Some("2026-01-31"), "deadline day", "2026-01-31", "2026-01-31", Day),
    row(
        "A bid before the window shuts: this window.",
        Some("2025-02-03"),
        "this window",
        "2025-06-01",
        "2025-09-01",
        Window,
    ),
    // counted from the publication date or the previous expression
    row("He left two years ago.", A, "two years ago", "2023-01-01", "2023-12-31", Year),
    row("He signed yesterday.", Some("2025-01-01"), "yesterday", "2024-12-31", "2024-12-31", Day),
    row("He will sign tomorrow.", Some("2024-02-28"), "tomorrow", "2024-02-29", "2024-02-29", Day),
    row("He signed on Tuesday.", Some("2025-12-04"), "Tuesday", "2025-12-02", "2025-12-02", Day),
    row("He signs next Tuesday.", Some("2025-12-04"), "next Tuesday", "2025-12-09", "2025-12-09", Day),
    row("Talks ended last year.", A, "last year", "2024-01-01", "2024-12-31", Year),
    row("A decision in two weeks.", Some("2025-12-31"), "in two weeks", "2026-01-12", "2026-01-18", Week),
    // tournaments
    row("He starred at Euro 2020 for Spain.", None, "Euro 2020", "2021-06-11", "2021-07-11", Month),
    row("He starred at the 2022 World Cup.", None, "2022 World Cup", "2022-11-20", "2022-12-18", Month),
    row(
        "He wants the upcoming Club World Cup.",
        Some("2025-03-01"),
        "upcoming Club World Cup",
        "2025-06-14",
        "2025-07-13",
        Month,
    ),
    row("He wants to play the World Cup.", A, "World Cup", "2026-06-11", "2026-07-19", Month),
];

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

#[test]
fn normaliser_table() {
    let lex = TimeLexicon::english();
    let mut failures = Vec::new();
    for r in ROWS {
        let found = lex.find(r.text, r.anchor.map(date), SeasonStyle::Split);
        let Some(first) = found.first() else {
            failures.push(format!("{:?}: nothing found", r.text));
            continue;
        };
        let got = (first.text.as_str(), first.value.map(|v| (v.start.to_string(), v.end.to_string())), first.grain);
        let want = (r.found, Some((r.start.to_string(), r.end.to_string())), r.grain);
        if got != want {
            failures.push(format!("{:?} @ {:?}: got {got:?}, want {want:?}", r.text, r.anchor));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows wrong:\n{}", failures.len(), ROWS.len(), failures.join("\n"));
}

#[test]
fn calendar_year_leagues_count_seasons_by_year() {
    let lex = TimeLexicon::english();
    let found = lex.find("He starred in the 2025 season.", None, SeasonStyle::Calendar);
    let v = found[0].value.expect("value");
    assert_eq!((v.start, v.end), (date("2025-01-01"), date("2025-12-31")));
    let found = lex.find("He scored this season.", Some(date("2025-03-01")), SeasonStyle::Calendar);
    assert_eq!(found[0].value.map(|v| v.start), Some(date("2025-01-01")));
}

#[test]
fn two_years_later_counts_from_the_previous_expression() {
    let lex = TimeLexicon::english();
    let found = lex.find("He joined PSG in 2021 and returned to Sevilla two years later.", None, SeasonStyle::Split);
    assert_eq!(found.len(), 2);
    assert_eq!(found[1].value.map(|v| v.start), Some(date("2023-01-01")));
    assert_eq!(found[1].policy, Some(mercato_time::policy::LATER));
}

#[test]
fn words_that_only_look_like_time() {
    let lex = TimeLexicon::english();
    for text in [
        "He may leave the club.",
        "The fans march on the stadium.",
        "He cost 60 million euro in total.",
        "Over 2000 fans came; he earns 3,000 a week.",
        "The 34-year-old was at the end of his tether.",
    ] {
        let found = lex.find(text, Some(date("2025-01-01")), SeasonStyle::Split);
        assert!(found.is_empty(), "{text:?}: {found:?}");
    }
}

#[test]
fn relative_expressions_wait_for_an_anchor() {
    let lex = TimeLexicon::english();
    let found = lex.find("He could move next summer.", None, SeasonStyle::Split);
    assert_eq!(found.len(), 1);
    assert!(found[0].relative);
    assert_eq!(found[0].value, None);
    assert_eq!(found[0].tense, Some(mercato_time::Tense::Future));
}

#[test]
fn until_points_forward_and_since_back() {
    let lex = TimeLexicon::english();
    let found = lex.find("Under contract until June 2026, at the club since 2021.", None, SeasonStyle::Split);
    let tenses: Vec<_> = found.iter().map(|t| t.tense).collect();
    assert_eq!(tenses, vec![Some(mercato_time::Tense::Future), Some(mercato_time::Tense::Past)]);
}

#[test]
fn tense_cues_and_future_words() {
    use mercato_time::Tense::{Future, Past};
    let lex = TimeLexicon::english();
    // (sentence, the tense of its one dated expression)
    let cases: &[(&str, Option<mercato_time::Tense>)] = &[
        // a cue with up to two words between it and the expression, multi-word cues too
        ("He is out of contract in the summer of 2022.", Some(Future)),
        ("His deal runs out in June 2027.", Some(Future)),
        ("His contract expires at the end of June 2026.", Some(Future)),
        ("They met in the lead up to the 2026 World Cup.", Some(Future)),
        ("He has been at the club since the summer of 2019.", Some(Past)),
        // too far from the cue to be governed by it
        ("He is out of contract, and a lot of talks took place in June 2027.", None),
        // a future word earlier in the sentence puts a full date ahead, as a tournament
        ("He will join the club on 1 July 2019.", Some(Future)),
        ("Barcelona say he will be joining from 1 July 2019.", Some(Future)),
        ("He joined the club on 1 July 2019.", None),
        // ... but not a bare year or month, which needs a cue of its own
        ("He will remember 2019.", None),
    ];
    for (text, want) in cases {
        let found = lex.find(text, None, SeasonStyle::Split);
        let dated: Vec<_> = found.iter().filter(|t| !t.relative).collect();
        assert_eq!(dated.len(), 1, "{text:?}: {found:?}");
        assert_eq!(dated[0].tense, *want, "{text:?}");
    }
}

#[test]
fn a_tournament_named_for_an_achievement_is_past() {
    use mercato_time::Tense::{Future, Past};
    let lex = TimeLexicon::english();
    // (sentence, the tense of its tournament)
    let cases: &[(&str, Option<mercato_time::Tense>)] = &[
        ("He will join fellow World Cup 2010 star Sami Khedira.", Some(Past)),
        ("The Euro 2016 winner has joined Lyon.", Some(Past)),
        ("He will join the 2018 World Cup winners at the club.", Some(Past)),
        // without the noun, the future word still looks forward
        ("He hopes to play at the 2026 World Cup.", Some(Future)),
        ("He starred at the 2010 World Cup.", None),
    ];
    for (text, want) in cases {
        let found = lex.find(text, None, SeasonStyle::Split);
        let events: Vec<_> = found.iter().filter(|t| matches!(t.when, mercato_time::When::Event { .. })).collect();
        assert_eq!(events.len(), 1, "{text:?}: {found:?}");
        assert_eq!(events[0].tense, *want, "{text:?}");
    }
}
