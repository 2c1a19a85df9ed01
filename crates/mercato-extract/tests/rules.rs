//! One self-written sentence (or two) per extraction rule, checked with the starter KB.
//!
//! Each case names the rule it pins; `check` compares the set of `player | club | kind`
//! links (plus `stage` for `to`) with the expected set, so tests do not couple to the
//! extractor's internals. Invented player names ("Marco Bellandi") also exercise the
//! name-shape recogniser.
#![allow(clippy::unwrap_used)]

use mercato_extract::{ArticleInput, Extraction, Extractor};
use mercato_kb::Kb;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Kb::starter()))
}

fn extract(text: &str) -> Extraction {
    extractor().extract(ArticleInput { id: "t", text, published: None, url: None })
}

fn links(text: &str) -> BTreeSet<String> {
    extract(text)
        .links
        .iter()
        .map(|l| match l.stage {
            Some(stage) => {
                format!("{} | {} | {} {}", l.player, l.club, l.kind.as_str(), format!("{stage:?}").to_lowercase())
            }
            None => format!("{} | {} | {}", l.player, l.club, l.kind.as_str()),
        })
        .collect()
}

#[track_caller]
fn check(text: &str, expect: &[&str]) {
    let got = links(text);
    let want: BTreeSet<String> = expect.iter().map(|s| s.to_string()).collect();
    assert_eq!(got, want, "\ntext: {text}");
}

#[test]
fn rumour_linked_with_is_to_speculation() {
    check("Marco Bellandi has been linked with Juventus.", &["Marco Bellandi | Juventus | to speculation"]);
}

#[test]
fn club_subject_interest_names_the_player_after_the_verb() {
    check(
        " date 2024-07-01 Arsenal are interested in Atalanta defender Marco Bellandi.",
        &["Marco Bellandi | Arsenal | to interest", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn coordinated_clubs_share_the_trigger() {
    check(
        "Roma, Bayer Leverkusen and Marseille are interested in Marco Bellandi.",
        &[
            "Marco Bellandi | Roma | to interest",
            "Marco Bellandi | Bayer Leverkusen | to interest",
            "Marco Bellandi | Marseille | to interest",
        ],
    );
}

#[test]
fn coordinated_players_share_the_club() {
    check(
        "Celtic are closing in on Marco Bellandi and Tomas Rurik.",
        &["Marco Bellandi | Celtic | to agreement", "Tomas Rurik | Celtic | to agreement"],
    );
}

#[test]
fn completed_move_gives_done_and_from() {
    check(
        " date 2024-07-01 Marco Bellandi has completed his move to Arsenal from Atalanta.",
        &["Marco Bellandi | Arsenal | done", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn dated_history_is_past() {
    check(
        " date 2024-07-01 Marco Bellandi joined Sevilla in 2019. Now Juventus want him.",
        &["Marco Bellandi | Sevilla | past", "Marco Bellandi | Juventus | to interest"],
    );
}

#[test]
fn former_club_is_past() {
    check(
        "The former Sevilla defender Marco Bellandi is wanted by Roma.",
        &["Marco Bellandi | Sevilla | past", "Marco Bellandi | Roma | to interest"],
    );
}

#[test]
fn denial_names_the_club() {
    check("Marco Bellandi has ruled out a move to Chelsea.", &["Marco Bellandi | Chelsea | denied"]);
}

#[test]
fn rejected_bid_in_the_same_sentence_is_denied() {
    check(
        "Manchester City, who had an offer for Marco Bellandi rejected, withdrew from the running.",
        &["Marco Bellandi | Manchester City | denied"],
    );
}

#[test]
fn beaten_rival_is_denied_once_he_signs_elsewhere() {
    check(
        " date 2024-07-01 Chelsea were interested in Marco Bellandi. On Monday he completed his move to Arsenal.",
        &["Marco Bellandi | Chelsea | denied", "Marco Bellandi | Arsenal | done"],
    );
}

#[test]
fn contract_extension_is_stay() {
    check("Marco Bellandi has signed a new contract with Napoli.", &["Marco Bellandi | Napoli | stay"]);
}

#[test]
fn origin_club_is_never_a_destination() {
    // Napoli want a fee for their own player: that is the club he would leave.
    check(
        "Napoli striker Marco Bellandi is wanted by Chelsea, but Napoli want a fee of €100m.",
        &["Marco Bellandi | Chelsea | to interest", "Marco Bellandi | Napoli | from"],
    );
}

#[test]
fn possessive_club_introduces_its_player() {
    check(
        "Arsenal are tracking Lazio's Marco Bellandi.",
        &["Marco Bellandi | Arsenal | to interest", "Marco Bellandi | Lazio | from"],
    );
}

#[test]
fn possessive_action_is_not_a_current_club() {
    // "Real Madrid's bid" is an action of Real Madrid, not where the player plays.
    check("Real Madrid's bid for Marco Bellandi has been rejected.", &["Marco Bellandi | Real Madrid | denied"]);
}

#[test]
fn pronoun_refers_to_the_player_in_focus() {
    check("Marco Bellandi is happy. He has been linked with Ajax.", &["Marco Bellandi | Ajax | to speculation"]);
}

#[test]
fn role_noun_refers_back_to_the_player() {
    check(
        "Marco Bellandi is 31. The veteran defender could be a target for Benfica.",
        &["Marco Bellandi | Benfica | to interest"],
    );
}

#[test]
fn coach_is_never_a_subject() {
    check("Juventus coach Piero Lanzi has been linked with Roma.", &[]);
}

#[test]
fn national_team_is_never_a_club() {
    check("Marco Bellandi wants to play for Spain at the World Cup.", &[]);
}

#[test]
fn ambiguous_nickname_without_context_is_dropped() {
    check("Marco Bellandi has been linked with the Blues.", &[]);
    check(
        "Marco Bellandi has been linked with the Blues. Chelsea are keen.",
        &["Marco Bellandi | Chelsea | to interest"],
    );
}

#[test]
fn game_opponents_are_not_links() {
    check("Marco Bellandi scored twice in the win over Everton.", &[]);
}

#[test]
fn loan_out_names_destination_and_origin() {
    check(
        " date 2024-07-01 Celtic sent Marco Bellandi to Italian club Lazio on Monday.",
        &["Marco Bellandi | Lazio | done", "Marco Bellandi | Celtic | from"],
    );
}

#[test]
fn respectively_pairs_players_and_clubs() {
    check(
        " date 2024-07-01 This week Marco Bellandi and Tomas Rurik left for Roma and Lazio respectively.",
        &["Marco Bellandi | Roma | done", "Tomas Rurik | Lazio | done"],
    );
}

#[test]
fn left_to_join_is_a_completed_move() {
    check(
        " date 2024-07-01 Marco Bellandi left Ajax to join Porto. Now Arsenal are keen on him.",
        &["Marco Bellandi | Ajax | from", "Marco Bellandi | Porto | past", "Marco Bellandi | Arsenal | to interest"],
    );
}

#[test]
fn hedges_mark_speculation() {
    let out = extract("Juventus could emerge as a possible destination for Marco Bellandi.");
    assert_eq!(out.links.len(), 1);
    assert!(out.links[0].hedged);
}

#[test]
fn sources_from_attribution_phrases() {
    let out =
        extract("According to Sky Sports, Marco Bellandi is close to joining Roma. Diaro Gol now reports the same.");
    assert_eq!(out.sources, vec!["Sky Sports".to_string(), "Diario Gol".to_string()]);
    assert_eq!(out.links[0].attributed_to, vec!["Sky Sports".to_string()]);
}

#[test]
fn publisher_is_not_a_source() {
    let out = extractor().extract(ArticleInput {
        id: "t",
        text: "Sky Sports understands Marco Bellandi is close to joining Roma.",
        published: None,
        url: Some("https://www.skysports.com/football/news/1"),
    });
    assert!(out.sources.is_empty(), "{:?}", out.sources);
}

#[test]
fn bracketed_outlet_closes_a_gossip_item() {
    let out = extract("Roma are interested in Marco Bellandi (The Sun).\nLazio want Tomas Rurik (Daily Mail).");
    assert_eq!(out.sources, vec!["The Sun".to_string(), "Daily Mail".to_string()]);
}

/// Two KB outlets answer to "Record" (the Portuguese paper's name, the Daily Record's
/// alias): a nationality adjective before the name picks the outlet of that country
/// (data/lexicon/en/demonyms.tsv).
#[test]
fn a_nationality_adjective_picks_among_outlets_sharing_a_name() {
    let out = extract("According to Portuguese newspaper Record, Benfica want Marco Bellandi.");
    assert_eq!(out.sources, vec!["Record".to_string()]);
    let out = extract("According to Scottish newspaper Record, Celtic want Marco Bellandi.");
    assert_eq!(out.sources, vec!["Daily Record".to_string()]);
}

/// "X was the first to report / break / run with" credits X (data/lexicon/en/attribution.tsv).
#[test]
fn the_first_to_report_a_story_is_its_source() {
    let out = extract("The Daily Mail was the first to break the story that Napoli want Marco Bellandi.");
    assert_eq!(out.sources, vec!["Daily Mail".to_string()]);
    let out = extract("Sky Sports were the first to report that Arsenal want Marco Bellandi.");
    assert_eq!(out.sources, vec!["Sky Sports".to_string()]);
}

/// A list of outlets "among those reporting" are all sources (attribution.tsv).
#[test]
fn outlets_among_those_reporting_are_sources() {
    let out = extract("Arsenal have ended their interest in Marco Bellandi, with the Daily Mail and Sky Sports among those reporting the news.");
    let mut sources = out.sources;
    sources.sort();
    assert_eq!(sources, vec!["Daily Mail".to_string(), "Sky Sports".to_string()]);
}

/// An outlet's other names in the starter KB: the Evening Standard's new title, the
/// ChronicleLive's print title.
#[test]
fn an_outlets_other_titles_name_it() {
    let out = extract("According to the London Standard, Arsenal want Marco Bellandi.");
    assert_eq!(out.sources, vec!["Evening Standard".to_string()]);
    let out = extract("According to the Evening Chronicle, Arsenal want Marco Bellandi.");
    assert_eq!(out.sources, vec!["Chronicle Live".to_string()]);
    // a KB outlet whose name starts with a country's is the outlet, not the nation
    let out = extract("Marco Bellandi was quoted as saying by France Football that Arsenal want him.");
    assert_eq!(out.sources, vec!["France Football".to_string()]);
}

#[test]
fn quoted_coach_is_not_a_source() {
    let out = extract("\"He is a great player,\" said coach Piero Lanzi about Marco Bellandi.");
    assert!(out.sources.is_empty(), "{:?}", out.sources);
}

#[test]
fn reporting_name_is_a_source_not_a_player() {
    let out = extract("Diaro Gol now reports that Juventus want Marco Bellandi.");
    assert!(out.links.iter().all(|l| l.player == "Marco Bellandi"), "{:?}", out.links);
}

#[test]
fn age_and_contract_facts_normalised() {
    let out = extract("Marco Bellandi, the 29-year-old defender, has a contract that expires in June 2026.");
    let facts: Vec<(String, String)> = out.facts.iter().map(|f| (f.attribute.clone(), f.value.clone())).collect();
    assert!(facts.contains(&("age".into(), "29".into())), "{facts:?}");
    assert!(facts.contains(&("contract_expiry".into(), "2026-06".into())), "{facts:?}");
}

#[test]
fn ages_in_more_shapes() {
    let age = |text: &str| {
        let out = extract(text);
        out.facts
            .iter()
            .filter(|f| f.attribute == "age")
            .map(|f| (f.subject.clone(), f.value.clone()))
            .collect::<Vec<_>>()
    };
    let bellandi = |a: &str| vec![("Marco Bellandi".to_string(), a.to_string())];
    // possessive: "the 27-year-old's request"
    assert_eq!(
        age("Napoli rejected a bid for Marco Bellandi, but the 27-year-old’s request may soften them."),
        bellandi("27")
    );
    assert_eq!(
        age("Napoli rejected a bid for Marco Bellandi, but the 27-year-old's request may soften them."),
        bellandi("27")
    );
    // the age in brackets after the name, as German and Italian outlets write it
    assert_eq!(age("Marco Bellandi (31) is close to a move to Juventus."), bellandi("31"));
    // "N years old"
    assert_eq!(age("Marco Bellandi is 33 years old and still wants to play in Serie A."), bellandi("33"));
    // a bracketed year or squad number is not an age
    assert!(age("Marco Bellandi (2019) joined Juventus.").is_empty());
    assert!(age("Marco Bellandi (9) scored twice.").is_empty());
}

/// (attribute, value, currency) of every fact.
fn facts_of(text: &str) -> Vec<(String, String, Option<String>)> {
    extract(text).facts.iter().map(|f| (f.attribute.clone(), f.value.clone(), f.currency.clone())).collect()
}

fn fact(attribute: &str, value: &str, currency: Option<&str>) -> (String, String, Option<String>) {
    (attribute.into(), value.into(), currency.map(Into::into))
}

#[test]
fn relative_contract_end_resolves_against_the_date() {
    let facts =
        facts_of(" date 2025-12-01 Marco Bellandi will leave Napoli once his contract expires at the end of December.");
    assert!(facts.contains(&fact("contract_expiry", "2025-12", None)), "{facts:?}");
    let facts = facts_of(" date 2025-12-01 Marco Bellandi has a contract until 2027 with Napoli.");
    assert!(facts.contains(&fact("contract_expiry", "2027-06", None)), "{facts:?}");
}

#[test]
fn a_name_comma_age_comma_is_an_age() {
    let facts = facts_of("Marco Bellandi, 31, has joined Napoli.");
    assert!(facts.contains(&fact("age", "31", None)), "{facts:?}");
}

#[test]
fn birth_date_is_normalised() {
    let facts = facts_of("Marco Bellandi, who was born on 4 May 1994 in Bari, has joined Napoli.");
    assert!(facts.contains(&fact("birth_date", "1994-05-04", None)), "{facts:?}");
}

#[test]
fn contract_length_as_a_duration() {
    let facts = facts_of("Marco Bellandi has signed a three-and-a-half-year deal with Napoli.");
    assert!(facts.contains(&fact("contract_length", "P3Y6M", None)), "{facts:?}");
    let facts = facts_of("Marco Bellandi joins Napoli on an 18-month loan.");
    assert!(facts.contains(&fact("contract_length", "P18M", None)), "{facts:?}");
}

#[test]
fn fees_with_currency_and_not_wages() {
    let facts = facts_of("Napoli have agreed a fee of €42.5 million for Marco Bellandi.");
    assert!(facts.contains(&fact("fee", "42500000", Some("EUR"))), "{facts:?}");
    let facts = facts_of("Napoli will pay a 30-million-euro release clause for Marco Bellandi.");
    assert!(facts.contains(&fact("fee", "30000000", Some("EUR"))), "{facts:?}");
    let facts = facts_of("Napoli bid £51m for Marco Bellandi.");
    assert!(facts.contains(&fact("fee", "51000000", Some("GBP"))), "{facts:?}");
    let facts = facts_of("Marco Bellandi will earn £200,000 a week after the transfer to Napoli.");
    assert!(!facts.iter().any(|f| f.0 == "fee"), "{facts:?}");
}

#[test]
fn a_link_carries_its_time() {
    let out = extract(" date 2025-11-20 Napoli want to sign Marco Bellandi in January.");
    let when = out.links[0].when.as_ref().expect("a time");
    assert_eq!(when.text, "January");
    assert_eq!(when.value.map(|v| v.start.to_string()), Some("2026-01-01".to_string()));
}

#[test]
fn an_undated_article_gets_an_inferred_range() {
    // no earlier than a year before the latest year named, no later than two after it
    let out = extract("Marco Bellandi joined Napoli in the summer of 2021. He left the club in 2023.");
    assert_eq!(out.published.how, mercato_extract::DateHow::Inferred);
    let range = out.published.range.clone().expect("a range");
    assert_eq!(range, ["2022-01-01".to_string(), "2025-12-31".to_string()]);
    // an age with the KB birth date narrows it to a year
    let out = extract("The 38-year-old Sergio Ramos joined Monterrey in 2025.");
    let range = out.published.range.clone().expect("a range");
    assert_eq!(range, ["2024-03-30".to_string(), "2025-03-29".to_string()]);
    let none = extract("Marco Bellandi has joined Napoli.");
    assert_eq!(none.published.how, mercato_extract::DateHow::Unknown);
}

#[test]
fn only_an_age_told_as_now_dates_an_article() {
    // (text, inferred range or none): Sergio Ramos was born on 30 March 1986 (starter KB)
    let cases: &[(&str, Option<[&str; 2]>)] = &[
        ("The 37 year old Sergio Ramos has joined Sevilla.", Some(["2023-03-30", "2024-03-29"])),
        ("Sergio Ramos, 37 years old, has joined Sevilla.", Some(["2023-03-30", "2024-03-29"])),
        // an age he had earlier says nothing of when the article was written
        ("Sergio Ramos joined Real Madrid as a 19-year-old.", None),
        ("Aged just 19 at the time, Sergio Ramos joined Real Madrid.", None),
        ("The then 19-year-old Sergio Ramos joined Real Madrid.", None),
        // of the ages told as now, the highest
        ("The 37-year-old Sergio Ramos joined Real Madrid as a 19-year-old.", Some(["2023-03-30", "2024-03-29"])),
        // an age places the article: the guess that the latest year named ("2022": to the
        // end of 2024) is recent no longer cuts its year short
        (
            "The 38-year-old Sergio Ramos joined Monterrey after leaving Paris in 2022.",
            Some(["2024-03-30", "2025-03-29"]),
        ),
    ];
    for (text, want) in cases {
        let out = extract(text);
        let got = out.published.range.clone();
        let want = want.map(|[a, b]| [a.to_string(), b.to_string()]);
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn a_weekday_with_a_date_picks_the_years_of_that_calendar() {
    // "2014" puts the article in 2013 to 2016; of those years only 2015 has Friday 2
    // January, so it is news of that day (90 days either side)
    let cases: &[(&str, [&str; 2])] = &[
        ("Marco Bellandi joined Napoli in 2014. Napoli face Roma on Friday, January 2.", ["2014-10-04", "2015-04-02"]),
        ("Marco Bellandi joined Napoli in 2014. Napoli face Roma on Friday 2 January.", ["2014-10-04", "2015-04-02"]),
        // a weekday apart from the date says nothing of the year
        (
            "Marco Bellandi joined Napoli in 2014. On Friday, Napoli said January 2 suits them.",
            ["2013-01-01", "2016-12-31"],
        ),
        // the candidate years are those the age makes possible (2024-03-30 to 2025-03-29,
        // and a year before and two after): Thursday 2 January is 2025 (and 2020, 2031)
        ("The 38-year-old Sergio Ramos plays on Thursday, January 2.", ["2024-10-04", "2025-03-29"]),
    ];
    for (text, want) in cases {
        let out = extract(text);
        assert_eq!(out.published.range, Some(want.map(str::to_string)), "{text:?}");
    }
    // nothing else named: no year to choose among, no clue
    assert_eq!(extract("Napoli face Roma on Friday, January 2.").published.range, None);
}

#[test]
fn published_from_header_then_metadata() {
    let out = extract(" date 2021-01-13 Marco Bellandi signs.");
    assert_eq!(out.published.date.as_deref(), Some("2021-01-13"));
    let meta = extractor().extract(ArticleInput { id: "t", text: "x", published: Some("2020-02-03"), url: None });
    assert_eq!(meta.published.date.as_deref(), Some("2020-02-03"));
}

#[test]
fn evidence_is_the_sentence_in_the_original_text() {
    let text = "AdvertisementGetty Images Sport Intro line.\nMarco Bellandi has been linked with Juventus.";
    let out = extract(text);
    let evidence = out.links[0].evidence;
    assert_eq!(&text[evidence.start..evidence.end], "Marco Bellandi has been linked with Juventus.");
}

#[test]
fn quoted_by_an_outlet_credits_it() {
    let out = extract("\"I am happy here,\" Marco Bellandi said, as quoted by the Daily Mirror.");
    assert_eq!(out.sources, vec!["Daily Mirror".to_string()]);
}

#[test]
fn wire_byline_is_not_a_source() {
    let out = extract("Reuters\nMADRID (Reuters) - Marco Bellandi has joined Real Madrid.");
    assert!(out.sources.is_empty(), "{:?}", out.sources);
}

#[test]
fn no_plans_to_leave_is_stay() {
    check(
        "Marco Bellandi has no plans to leave Sevilla, despite interest from Manchester City.",
        &["Marco Bellandi | Sevilla | stay", "Marco Bellandi | Manchester City | denied"],
    );
}

#[test]
fn contract_fact_stops_at_the_clause_and_names_the_stay_club() {
    let out =
        extract("Marco Bellandi has signed a new contract with Napoli that runs until June 2029 and ends the talk.");
    let fact = out.facts.iter().find(|f| f.attribute == "contract_expiry").expect("a contract fact");
    assert_eq!(fact.value, "2029-06");
    assert_eq!(fact.stated.as_deref(), Some("June 2029"));
    assert_eq!(fact.club.as_deref(), Some("Napoli"));
}

#[test]
fn set_to_rejoin_confirm_or_a_decision_to_join_is_agreement() {
    check(
        "Marco Bellandi is set to re-join Napoli on a six-month contract.",
        &["Marco Bellandi | Napoli | to agreement", "Marco Bellandi | Napoli | past"],
    );
    check(
        "Tomas Rurik has told his club of his decision to join Roma next summer.",
        &["Tomas Rurik | Roma | to agreement"],
    );
    check("Arsenal are set to confirm the £30m signing of Tomas Rurik.", &["Tomas Rurik | Arsenal | to agreement"]);
}

#[test]
fn a_bid_in_preparation_or_an_approach_is_interest_not_an_offer() {
    check(
        "Roma are preparing a bid for Sevilla defender Marco Bellandi.",
        &["Marco Bellandi | Roma | to interest", "Marco Bellandi | Sevilla | from"],
    );
    check("Roma have submitted a bid for Marco Bellandi.", &["Marco Bellandi | Roma | to offer"]);
    check(
        "Napoli and Lazio are preparing bids for Marco Bellandi.",
        &["Marco Bellandi | Napoli | to interest", "Marco Bellandi | Lazio | to interest"],
    );
    check("Roma have made an approach for Marco Bellandi.", &["Marco Bellandi | Roma | to interest"]);
}

#[test]
fn negotiations_and_the_verge_of_a_move_name_their_stage() {
    check("Roma are in advanced negotiations to sign Marco Bellandi.", &["Marco Bellandi | Roma | to talks"]);
    check("Marco Bellandi is on the verge of making a move to Roma.", &["Marco Bellandi | Roma | to agreement"]);
    check(
        "Roma are about to sign Marco Bellandi from Sevilla for £13m.",
        &["Marco Bellandi | Roma | to agreement", "Marco Bellandi | Sevilla | from"],
    );
}

#[test]
fn players_named_alongside_are_bystanders() {
    check(
        "Marco Bellandi is set to join Paris Saint-Germain, where he will play alongside Tomas Rurik.",
        &["Marco Bellandi | Paris Saint-Germain | to agreement"],
    );
}

#[test]
fn the_player_being_replaced_is_a_bystander() {
    check(
        "Juventus have missed out on Tomas Rurik's replacement as Marco Bellandi agrees to join Roma.",
        &["Marco Bellandi | Juventus | denied", "Marco Bellandi | Roma | to agreement"],
    );
}

#[test]
fn the_signing_of_a_named_player_is_not_a_reference_back() {
    check(
        "Marco Bellandi has been linked with Lazio. Juventus beat Roma to the signing of Tomas Rurik.",
        &["Marco Bellandi | Lazio | to speculation", "Tomas Rurik | Roma | denied"],
    );
    check(
        "Juventus beat Roma to the signing of Tomas Rurik replacement Marco Bellandi.",
        &["Marco Bellandi | Roma | denied"],
    );
}

#[test]
fn hedged_denial_keeps_the_club_in_the_race() {
    check("Juventus could miss out on Marco Bellandi.", &["Marco Bellandi | Juventus | to speculation"]);
    check("Juventus have missed out on Marco Bellandi.", &["Marco Bellandi | Juventus | denied"]);
}

#[test]
fn completion_under_once_or_on_the_verge_is_not_done() {
    check("Roma want Marco Bellandi once his medical is completed.", &["Marco Bellandi | Roma | to interest"]);
    check(
        "Marco Bellandi's move to Roma is on the verge of being finalised.",
        &["Marco Bellandi | Roma | to speculation"],
    );
}

#[test]
fn title_case_headline_words_are_not_names() {
    let out = extract("Bellandi Arrives In Rome To Finalise Lazio Move\nMarco Bellandi has joined Lazio.");
    assert!(out.links.iter().all(|l| l.player == "Marco Bellandi"), "{:?}", out.links);
}

#[test]
fn current_club_in_a_transfer_sentence_is_from() {
    // No destination is named, but his move is what the sentence is about.
    check(
        "Chelsea winger Marco Bellandi has attracted interest from across Europe.",
        &["Marco Bellandi | Chelsea | from"],
    );
    // Merely where he plays: no link.
    check("Chelsea winger Marco Bellandi scored twice on Saturday.", &[]);
}

#[test]
fn a_seller_rejecting_a_bid_leaves_the_bidder_standing() {
    check(
        "Atalanta have rejected a second bid from Everton for Marco Bellandi.",
        &["Marco Bellandi | Everton | to offer", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn role_noun_after_a_club_outranks_a_phrase() {
    check(
        "Liverpool are targeting Atalanta winger Marco Bellandi.",
        &["Marco Bellandi | Liverpool | to interest", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn a_club_that_agrees_to_sell_is_the_origin() {
    check(
        " date 2024-07-01 Atalanta have agreed a deal to sell Marco Bellandi to Arsenal.",
        &["Marco Bellandi | Atalanta | from", "Marco Bellandi | Arsenal | to agreement"],
    );
}

#[test]
fn signing_with_an_object_is_a_completed_move() {
    check(
        " date 2024-07-01 Arsenal broke their record by signing Marco Bellandi from Atalanta on Monday.",
        &["Marco Bellandi | Arsenal | done", "Marco Bellandi | Atalanta | from"],
    );
    check("Arsenal are closing in on the signing of Marco Bellandi.", &["Marco Bellandi | Arsenal | to agreement"]);
}

#[test]
fn a_coach_acts_for_the_club_his_role_names() {
    check(
        " date 2024-07-01 Arsenal manager Piero Lanzi was busy. On Monday Lanzi signed Marco Bellandi from Atalanta.",
        &["Marco Bellandi | Arsenal | done", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn bracketed_outlet_with_a_qualifier_and_tweet_posters() {
    let out = extract(
        "Roma want Marco Bellandi. (The Times - subscription only)\nLazio want Tomas Rurik. (Corriere dello Sport via Mirror)\nA deal is close — Piero Lanzi (@PieroLanzi) July 1, 2024",
    );
    let mut got = out.sources.clone();
    got.sort();
    assert_eq!(got, vec!["Corriere dello Sport", "Daily Mirror", "Piero Lanzi", "The Times"]);
}

#[test]
fn a_club_account_post_is_not_a_source() {
    let out = extract("Welcome, Marco! — Juventus (@juventusfc) July 1, 2024");
    assert!(out.sources.is_empty(), "{:?}", out.sources);
}

#[test]
fn an_outlets_journalist_is_the_source() {
    let out = extract("According to Sky Sports journalist Piero Lanzi, Marco Bellandi is close to joining Roma.");
    assert_eq!(out.sources, vec!["Piero Lanzi".to_string()]);
}

#[test]
fn outlets_named_after_places_and_sites_named_by_domain() {
    let out = extract("Marco Bellandi is close to Roma, according to a report from the Rome Herald.");
    assert_eq!(out.sources, vec!["Rome Herald".to_string()]);
    let out = extract("CalcioNews.com has reported that Lazio want Marco Bellandi.");
    assert_eq!(out.sources, vec!["CalcioNews.com".to_string()]);
}

#[test]
fn a_bidder_that_had_its_bid_rejected_still_pursues_unless_it_withdrew() {
    // The annotation practice (and the story's usual course): a rejected bid is an offer
    // still on the table; the bidder's withdrawal ends it.
    check(
        "Everton have had a bid rejected for Atalanta striker Marco Bellandi.",
        &["Marco Bellandi | Everton | to offer", "Marco Bellandi | Atalanta | from"],
    );
    check(
        "Everton have had a bid rejected for Atalanta striker Marco Bellandi and have withdrawn from the race.",
        &["Marco Bellandi | Everton | denied", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn ruling_out_a_sale_is_stay() {
    check(
        "Atalanta have ruled out selling Marco Bellandi despite interest from Chelsea.",
        &["Marco Bellandi | Atalanta | stay", "Marco Bellandi | Chelsea | denied"],
    );
}

#[test]
fn a_move_of_an_earlier_window_is_past() {
    check(
        "Marco Bellandi joined Roma last summer. Now Arsenal want him.",
        &["Marco Bellandi | Roma | past", "Marco Bellandi | Arsenal | to interest"],
    );
}

#[test]
fn the_sentence_subject_club_acts_through_its_verb_of_pursuit() {
    // Another club between the subject and its verb ("ahead of Chelsea") does not take
    // it; that club is in the race too, by "moved ahead of" (`triggers.tsv`).
    check(
        " date 2024-07-01 Arsenal have moved ahead of Chelsea in the race to sign Atalanta midfielder Marco Bellandi.",
        &[
            "Marco Bellandi | Arsenal | to interest",
            "Marco Bellandi | Chelsea | to interest",
            "Marco Bellandi | Atalanta | from",
        ],
    );
    // Not when the verb sits in a relative clause of another club.
    let got = links(" date 2024-07-01 Arsenal were held to a goalless draw at home by Chelsea, who still want to sign Marco Bellandi.");
    assert!(!got.iter().any(|l| l.contains("Arsenal")), "{got:?}");
}

#[test]
fn a_move_named_as_the_standard_of_a_comparison_is_past() {
    check(
        " date 2024-08-20 The fee surpasses the £90m Chelsea paid Ajax for Marco Bellandi.",
        &["Marco Bellandi | Chelsea | past", "Marco Bellandi | Ajax | past"],
    );
    // The record-breaking move itself is the news.
    check(
        " date 2024-08-20 Chelsea broke their club record by signing Marco Bellandi from Ajax.",
        &["Marco Bellandi | Chelsea | done", "Marco Bellandi | Ajax | from"],
    );
}

#[test]
fn players_listed_after_including_are_the_movers_when_nobody_comes_before() {
    check(
        " date 2024-08-20 Atalanta have sold several players this summer, including Marco Bellandi and Tomas Rurik.",
        &["Marco Bellandi | Atalanta | from", "Tomas Rurik | Atalanta | from"],
    );
    // With a mover named first, the list is company.
    check(
        " date 2024-08-20 Marco Bellandi joined Chelsea, where he meets his friends, including Tomas Rurik.",
        &["Marco Bellandi | Chelsea | done"],
    );
}

#[test]
fn a_club_after_from_that_ends_a_bid_is_the_bidder() {
    // The seller turning the bid down leaves the bidder's rumour standing.
    check(
        " date 2024-08-20 Atalanta have rejected a £25m bid for Marco Bellandi from Chelsea.",
        &["Marco Bellandi | Chelsea | to offer", "Marco Bellandi | Atalanta | from"],
    );
    check(
        " date 2024-08-20 Marco Bellandi has received an offer for the midfielder from Chelsea.",
        &["Marco Bellandi | Chelsea | to offer"],
    );
    // A move away is still a departure.
    check(
        " date 2024-08-20 Marco Bellandi completed his move to Chelsea from Atalanta.",
        &["Marco Bellandi | Chelsea | done", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn competition_from_a_club_and_scouts_from_a_club_are_interest() {
    check(
        " date 2024-08-20 West Ham face competition from Chelsea in their pursuit of Atalanta midfielder Marco Bellandi.",
        &[
            "Marco Bellandi | West Ham United | to interest",
            "Marco Bellandi | Chelsea | to interest",
            "Marco Bellandi | Atalanta | from",
        ],
    );
}

#[test]
fn a_move_told_in_a_when_clause_or_a_dated_sale_is_past() {
    check(
        " date 2024-08-20 Chelsea paid a record fee when they signed Marco Bellandi from Atalanta.",
        &["Marco Bellandi | Chelsea | past", "Marco Bellandi | Atalanta | past"],
    );
    check(
        " date 2024-08-20 The bidding starts at £50m, the price Atalanta sold Marco Bellandi for in 2019.",
        &["Marco Bellandi | Atalanta | past"],
    );
}

#[test]
fn a_rumour_dated_to_an_earlier_year_is_history() {
    check(
        " date 2024-08-20 Atalanta accepted a £40m offer from Chelsea for Marco Bellandi in 2019.",
        &["Marco Bellandi | Chelsea | past", "Marco Bellandi | Atalanta | past"],
    );
    // One of the publication year is the story's.
    check(
        " date 2024-08-20 Chelsea made an offer for Marco Bellandi in January 2024.",
        &["Marco Bellandi | Chelsea | to offer"],
    );
}

#[test]
fn a_bidder_whose_bid_the_seller_rejected_is_still_pursuing() {
    check(
        " date 2024-08-20 Chelsea have had a £40m bid for Marco Bellandi rejected by Atalanta.",
        &["Marco Bellandi | Chelsea | to offer", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn a_list_of_players_with_descriptors_shares_the_verb() {
    // The gerund "signing" with descriptors before its object is a completed signing.
    check(
        " date 2024-08-20 Everton were busy on deadline day, signing young Chelsea striker Marco Bellandi and ex-England midfielder Tomas Rurik on loan.",
        &["Marco Bellandi | Everton | done", "Marco Bellandi | Chelsea | from", "Tomas Rurik | Everton | done"],
    );
    // A club's own descriptor stays with its player.
    check(
        " date 2024-08-20 Arsenal are considering a bid for Chelsea striker Marco Bellandi and Colombia international Tomas Rurik.",
        &["Marco Bellandi | Arsenal | to interest", "Marco Bellandi | Chelsea | from", "Tomas Rurik | Arsenal | to interest"],
    );
}

#[test]
fn the_subject_club_acts_again_later_in_the_sentence() {
    check(
        " date 2024-08-20 Chelsea have started work on a swoop for Atalanta defender Marco Bellandi after already signing Tomas Rurik.",
        &["Marco Bellandi | Chelsea | to interest", "Marco Bellandi | Atalanta | from", "Tomas Rurik | Chelsea | done"],
    );
    // Another club taking over the sentence takes its acts too.
    let got = links(" date 2024-08-20 Chelsea want Marco Bellandi, while Arsenal have signed Tomas Rurik.");
    assert!(!got.iter().any(|l| l.starts_with("Tomas Rurik | Chelsea")), "{got:?}");
}

#[test]
fn a_club_about_to_lose_players_and_contracts_running_out_are_departures() {
    check(
        " date 2024-05-20 Atalanta have confirmed they will be losing Marco Bellandi and Tomas Rurik.",
        &["Marco Bellandi | Atalanta | from", "Tomas Rurik | Atalanta | from"],
    );
    check(
        " date 2024-05-20 Marco Bellandi will be out of contract at Atalanta this summer.",
        &["Marco Bellandi | Atalanta | from"],
    );
    // A lost game is no departure.
    check(" date 2024-05-20 Atalanta lost the match 2-1 after Marco Bellandi was sent off.", &[]);
}

#[test]
fn a_move_whose_completion_is_confirmed_is_done_and_agreeing_a_fee_is_a_rumour() {
    check(
        " date 2024-08-31 Marco Bellandi's move to Chelsea from Atalanta was confirmed on Friday.",
        &["Marco Bellandi | Chelsea | done", "Marco Bellandi | Atalanta | from"],
    );
    check(
        " date 2024-08-31 Chelsea are close to agreeing a fee for Marco Bellandi.",
        &["Marco Bellandi | Chelsea | to talks"],
    );
}

#[test]
fn distal_time_markers_make_a_move_history() {
    check(
        " date 2024-08-20 Chelsea also brought in Marco Bellandi and Tomas Rurik that summer.",
        &["Marco Bellandi | Chelsea | past", "Tomas Rurik | Chelsea | past"],
    );
    check(
        " date 2024-08-20 Chelsea announced the signing of Marco Bellandi from Atalanta on this day in 2014.",
        &["Marco Bellandi | Chelsea | past", "Marco Bellandi | Atalanta | past"],
    );
}

#[test]
fn left_or_swapped_one_club_for_another_names_the_destination() {
    check(
        " date 2024-08-20 Marco Bellandi has already swapped Atalanta for Chelsea in the current window.",
        &["Marco Bellandi | Chelsea | done", "Marco Bellandi | Atalanta | from"],
    );
    check(
        " date 2024-08-20 Marco Bellandi wants to leave Atalanta for Chelsea.",
        &["Marco Bellandi | Chelsea | to speculation", "Marco Bellandi | Atalanta | from"],
    );
    // "for" after a bid names no destination.
    let got = links(" date 2024-08-20 Chelsea made a bid for Atalanta midfielder Marco Bellandi.");
    assert!(!got.iter().any(|l| l.starts_with("Marco Bellandi | Atalanta | to")), "{got:?}");
}

#[test]
fn the_club_a_bid_is_made_to_is_the_seller() {
    check(
        " date 2024-08-20 Chelsea have offered Atalanta £60m for Marco Bellandi.",
        &["Marco Bellandi | Chelsea | to offer", "Marco Bellandi | Atalanta | from"],
    );
    check(
        " date 2024-08-20 Chelsea are in advanced talks with Atalanta over a deal for Marco Bellandi.",
        &["Marco Bellandi | Chelsea | to talks", "Marco Bellandi | Atalanta | from"],
    );
}

/// The starter KB with an invented player and his completed moves (`transfers.tsv`).
fn extractor_with_moves() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mercato-rules-moves-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("players.tsv"),
            "name\tfull_name\tbirth_date\tnationality\tposition\tcurrent_club\tsource_date\n\
             Tomas Vergel\t\t1995-03-01\tSpain\tForward\tRoma\t2022-08-01\n\
             Lars Edvik\t\t1996-04-02\tNorway\tDefender\tReal Madrid\t2025-09-01\n\
             Pieter Holm\t\t1994-06-01\tNetherlands\tMidfielder\tChelsea\t2025-09-01\n\
             Ivo Lanza\t\t1995-02-01\tItaly\tForward\tRoma\t2020-10-01\n\
             Karl Bremer\t\t1996-05-01\tGermany\tDefender\tRoma\t2025-09-01\n\
             Jon Arrieta\t\t1990-05-01\tSpain\tDefender\tSevilla\t2015-08-01\n\
             Jon Arrieta\t\t2001-02-03\tSpain\tForward\tValencia\t2024-08-01\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("transfers.tsv"),
            "player\tage\tposition\tfrom_club\tto_club\tfee_text\tfee_eur\tloan\twindow\tseason\tyear\n\
             Tomas Vergel\t24\tCentre-Forward\tAjax\tJuventus\t€20.00m\t20000000\tfalse\tsummer\t2019/2020\t2019\n\
             Tomas Vergel\t26\tCentre-Forward\tJuventus\tRoma\t€15.00m\t15000000\tfalse\tsummer\t2021/2022\t2021\n\
             Lars Edvik\t23\tCentre-Back\tAjax\tJuventus\t€9.00m\t9000000\tfalse\tsummer\t2019/2020\t2019\n\
             Pieter Holm\t23\tCentral Midfield\tAjax\tJuventus\t€9.00m\t9000000\tfalse\tsummer\t2017/2018\t2017\n\
             Pieter Holm\t25\tCentral Midfield\tJuventus\tRoma\t€9.00m\t9000000\tfalse\tsummer\t2019/2020\t2019\n\
             Ivo Lanza\t22\tCentre-Forward\tAjax\tJuventus\tLoan fee:€1.00m\t1000000\ttrue\twinter\t2017/2018\t2018\n\
             Ivo Lanza\t24\tCentre-Forward\tJuventus\tAjax\tEnd of loanJun 30, 2019\t\tfalse\tsummer\t2019/2020\t2019\n\
             Ivo Lanza\t24\tCentre-Forward\tAjax\tJuventus\t€10.00m\t10000000\tfalse\tsummer\t2019/2020\t2019\n\
             Ivo Lanza\t25\tCentre-Forward\tJuventus\tRoma\t€12.00m\t12000000\tfalse\tsummer\t2020/2021\t2020\n\
             Karl Bremer\t21\tCentre-Back\tAjax\tJuventus\t€8.00m\t8000000\tfalse\tsummer\t2017/2018\t2017\n\
             Karl Bremer\t23\tCentre-Back\tJuventus\tGenoa\tloan transfer\t\ttrue\tsummer\t2019/2020\t2019\n",
        )
        .unwrap();
        let kb = Kb::load_with_starter(&[&dir]).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        Extractor::new(kb)
    })
}

#[test]
fn completed_moves_in_the_kb_date_an_undated_article() {
    let range = |text: &str| {
        let out = extractor_with_moves().extract(ArticleInput { id: "t", text, published: None, url: None });
        out.published.range.clone().expect("a range")
    };
    // a move told as done: from six months before its window to four after it
    assert_eq!(
        range("Juventus have completed the signing of Tomas Vergel from Ajax."),
        ["2018-12-01".to_string(), "2020-01-01".to_string()]
    );
    // the club he is leaving is his club at the time: his stay there, a month before he
    // joined to three after he left (the rumour alone says nothing: it never happened)
    assert_eq!(
        range("Real Madrid are keen on Tomas Vergel, who wants to leave Juventus."),
        ["2019-05-01".to_string(), "2021-12-01".to_string()]
    );
    // a done move the records (to summer 2021 here) lack, to the club the KB has him at on
    // 2025-09-01: made between the two, told from six months before to four after (and
    // within his stay at Juventus, below, to three months after)
    assert_eq!(
        range("Real Madrid have completed the signing of Lars Edvik from Juventus."),
        ["2021-03-01".to_string(), "2025-12-01".to_string()]
    );
    // a stay still open when the records end, at a club the KB has him away from on
    // 2025-09-01: over by then
    assert_eq!(
        range("Chelsea are keen on Lars Edvik, who wants to leave Juventus."),
        ["2019-05-01".to_string(), "2025-12-01".to_string()]
    );
    // a move of the KB places the article: "2017" (to the end of 2019 as a guess) does not
    // cut it short
    assert_eq!(
        range("Juventus have completed the signing of Tomas Vergel from Ajax. He scored twice in 2017."),
        ["2018-12-01".to_string(), "2020-01-01".to_string()]
    );
    // a rumour of a move the records have: from 15 months before its window to a month after
    assert_eq!(range("Roma want to sign Tomas Vergel."), ["2020-03-01".to_string(), "2021-10-01".to_string()]);
    // rumoured, from a year before the records' end
    assert_eq!(range("Real Madrid want to sign Lars Edvik."), ["2020-09-01".to_string(), "2026-01-01".to_string()]);
    // a loan made permanent in the window it ended is no departure: his stay at Juventus
    // runs from the loan (January 2018) to his move to Roma (summer 2020)
    assert_eq!(
        range("Chelsea are keen on Ivo Lanza, who wants to leave Juventus."),
        ["2017-12-01".to_string(), "2020-12-01".to_string()]
    );
    // a loan out is no departure either: his stay at Juventus is still open when the
    // records end, and over by the day the KB has him at Roma (2025-09-01)
    assert_eq!(
        range("Chelsea are keen on Karl Bremer, who wants to leave Juventus."),
        ["2017-05-01".to_string(), "2025-12-01".to_string()]
    );
    // a stay he ended before the move the article tells (here one after the records) is
    // history: no clue, so no conflict reported
    let out = extractor_with_moves().extract(ArticleInput {
        id: "t",
        text: "Chelsea have completed the signing of Pieter Holm from Juventus.",
        published: None,
        url: None,
    });
    assert_eq!(out.published.range, Some(["2021-03-01".to_string(), "2026-01-01".to_string()]));
    assert!(out.diagnostics.iter().all(|d| !d.contains("at Juventus")), "{:?}", out.diagnostics);
    // a move the records lack, made after them, makes his recorded moves history
    assert_eq!(
        range("Real Madrid have completed the signing of Lars Edvik. Juventus have signed Lars Edvik."),
        ["2021-03-01".to_string(), "2026-01-01".to_string()]
    );
}

#[test]
fn a_name_several_kb_players_share_dates_by_the_one_whose_club_is_named() {
    // two invented Jon Arrietas: born 1990 (Sevilla) and 2001 (Valencia)
    let cases: &[(&str, Option<[&str; 2]>)] = &[
        ("The 24-year-old Jon Arrieta has joined Valencia.", Some(["2025-02-03", "2026-02-02"])),
        ("The 24-year-old Jon Arrieta has joined Sevilla.", Some(["2014-05-01", "2015-04-30"])),
        // neither namesake's club named, or both: no age clue
        ("The 24-year-old Jon Arrieta has joined Napoli.", None),
        ("The 24-year-old Jon Arrieta left Sevilla for Valencia.", None),
    ];
    for (text, want) in cases {
        let out = extractor_with_moves().extract(ArticleInput { id: "t", text, published: None, url: None });
        let want = want.map(|[a, b]| [a.to_string(), b.to_string()]);
        assert_eq!(out.published.range, want, "{text:?}");
    }
}

#[test]
fn clubs_battling_for_a_player_are_all_suitors_and_a_club_sending_him_is_his_origin() {
    check(
        " date 2025-06-25 Liverpool are set to battle Chelsea and Arsenal for Marco Bellandi.",
        &[
            "Marco Bellandi | Liverpool | to interest",
            "Marco Bellandi | Chelsea | to interest",
            "Marco Bellandi | Arsenal | to interest",
        ],
    );
    check(
        " date 2025-06-25 Atalanta are ready to send Marco Bellandi to Chelsea on loan.",
        &["Marco Bellandi | Atalanta | from", "Marco Bellandi | Chelsea | to speculation"],
    );
}

#[test]
fn a_signing_snatched_from_under_a_rivals_nose_denies_the_rival() {
    check(
        " date 2024-08-20 Chelsea have signed Marco Bellandi, snatching him from under the noses of Arsenal.",
        &["Marco Bellandi | Chelsea | done", "Marco Bellandi | Arsenal | denied"],
    );
}

#[test]
fn a_refusal_of_another_club_does_not_turn_a_stay_into_a_departure() {
    check(
        " date 2022-05-24 Marco Bellandi rejected a move to Chelsea and signed a new deal to remain with Atalanta.",
        &["Marco Bellandi | Chelsea | denied", "Marco Bellandi | Atalanta | stay"],
    );
    check(
        " date 2022-05-24 Marco Bellandi has rejected a new deal at Atalanta.",
        &["Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn the_headline_shape_player_to_club_is_a_rumour() {
    check("Transfer rumours: Marco Bellandi to Chelsea?", &["Marco Bellandi | Chelsea | to speculation"]);
    // A verb before "to" keeps its own reading.
    check(
        " date 2024-08-20 Atalanta sold Marco Bellandi to Chelsea on Monday.",
        &["Marco Bellandi | Atalanta | from", "Marco Bellandi | Chelsea | done"],
    );
}

#[test]
fn a_club_role_noun_reference_names_the_players_club() {
    // "the Atalanta forward" is the player in focus, and Atalanta is his club.
    check(
        "Marco Bellandi is close to a move. The Atalanta forward will join Chelsea on loan.",
        &["Marco Bellandi | Atalanta | from", "Marco Bellandi | Chelsea | to speculation"],
    );
}

#[test]
fn ending_a_players_contract_or_cutting_losses_is_a_departure() {
    check(
        " date 2024-07-01 Atalanta will terminate the contract of Marco Bellandi.",
        &["Marco Bellandi | Atalanta | from"],
    );
    check(
        " date 2024-07-01 Atalanta have decided to cut their losses with Marco Bellandi.",
        &["Marco Bellandi | Atalanta | from"],
    );
    check(
        " date 2024-07-01 Atalanta need a striker following the sales of Marco Bellandi and Tomas Rurik.",
        &["Marco Bellandi | Atalanta | from", "Tomas Rurik | Atalanta | from"],
    );
    check(
        " date 2024-07-01 Chelsea want Marco Bellandi, whose contract at Atalanta is winding down.",
        &["Marco Bellandi | Chelsea | to interest", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn a_deal_that_keeps_him_at_a_club_is_a_stay() {
    check(
        " date 2024-07-01 Marco Bellandi agreed an extension which will keep him with Atalanta until 2029.",
        &["Marco Bellandi | Atalanta | stay"],
    );
}

#[test]
fn a_club_word_that_is_a_named_players_surname_is_the_player() {
    // The starter KB knows "Villa" as Aston Villa (and David Villa as a player); here it is the player named in full.
    check(
        " date 2010-05-19 Barcelona have signed striker David Villa from Valencia. Villa will join a forward line that already includes Tomas Rurik.",
        &["David Villa | Barcelona | done", "David Villa | Valencia | from"],
    );
}

#[test]
fn he_added_reports_speech_and_signs_nobody() {
    check(
        " date 2010-05-19 Barcelona have signed Marco Bellandi from Valencia. \"Bellandi has given a lot to Valencia,\" he added.",
        &["Marco Bellandi | Barcelona | done", "Marco Bellandi | Valencia | from"],
    );
}

#[test]
fn a_clubs_transfer_noun_with_no_club_named_is_the_club_last_spoken_of() {
    check(
        " date 2025-09-02 Atalanta have had a busy summer. The exits of Marco Bellandi and Tomas Rurik have brought in £90m.",
        &["Marco Bellandi | Atalanta | from", "Tomas Rurik | Atalanta | from"],
    );
    // A person before the phrase is its subject: no club is borrowed.
    check(" date 2025-09-02 Atalanta have had a busy summer. Marco Bellandi welcomed the arrival of Tomas Rurik.", &[]);
}

#[test]
fn a_club_opening_a_reported_clause_is_its_subject() {
    check(
        "Sources have told reporters that Arsenal have moved ahead in the race to sign Atalanta midfielder Marco Bellandi.",
        &["Marco Bellandi | Arsenal | to interest", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn a_move_told_as_since_or_after_joining_is_history() {
    check(
        " date 2024-07-01 Marco Bellandi has scored 40 goals since joining Chelsea from Atalanta.",
        &["Marco Bellandi | Chelsea | past", "Marco Bellandi | Atalanta | past"],
    );
    check(
        " date 2024-07-01 Roma want Marco Bellandi. He is unsettled a year after his move from Atalanta.",
        &["Marco Bellandi | Roma | to interest", "Marco Bellandi | Atalanta | past"],
    );
}

#[test]
fn a_person_past_playing_age_is_no_players_reference() {
    // "the 49-year-old" is nobody's player reference.
    check(
        " date 2018-06-01 Chelsea want Marco Bellandi. The 49-year-old is committed to Tottenham.",
        &["Marco Bellandi | Chelsea | to interest"],
    );
}

#[test]
fn a_club_losing_a_number_of_players_lets_them_go() {
    check(
        " date 2014-09-01 Atalanta lost three defenders in the summer - Marco Bellandi, Tomas Rurik and Luca Ferrante - and look weak.",
        &["Marco Bellandi | Atalanta | from", "Tomas Rurik | Atalanta | from", "Luca Ferrante | Atalanta | from"],
    );
}

#[test]
fn walking_out_of_a_club_is_leaving_it() {
    check(
        " date 2024-05-01 Marco Bellandi could walk out of Atalanta this summer.",
        &["Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn a_result_at_a_club_is_a_game_not_a_move() {
    check(
        " date 2024-07-01 Chelsea want Marco Bellandi, who scored twice in a 2-1 win at Atalanta.",
        &["Marco Bellandi | Chelsea | to interest"],
    );
}

#[test]
fn a_club_whose_bid_another_club_rejects_is_still_the_bidder() {
    check(
        " date 2024-07-01 Atalanta reject Chelsea's bid for Marco Bellandi.",
        &["Marco Bellandi | Chelsea | to offer", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn a_race_not_yet_run_leaves_the_rival_in_it() {
    check(
        " date 2024-07-01 Should Arsenal beat Chelsea to the signing of Marco Bellandi, the fans will be delighted.",
        // (Arsenal's own pursuit is not read from "beat ... to": a known gap.)
        &["Marco Bellandi | Chelsea | to speculation"],
    );
}

#[test]
fn wanting_to_go_to_a_club_is_a_rumoured_move() {
    check(
        " date 2016-07-01 Marco Bellandi says he prefers to go to Chelsea.",
        &["Marco Bellandi | Chelsea | to speculation"],
    );
}

#[test]
fn a_player_who_alerted_clubs_interests_them() {
    check(
        " date 2024-07-01 Marco Bellandi's form has alerted Chelsea and Roma.",
        &["Marco Bellandi | Chelsea | to interest", "Marco Bellandi | Roma | to interest"],
    );
}

#[test]
fn a_hedge_away_from_a_stay_leaves_it_a_stay() {
    check(
        "Chelsea have reportedly decided to sell Tomas Rurik, but Marco Bellandi is set to stay at Atalanta.",
        &["Marco Bellandi | Atalanta | stay", "Tomas Rurik | Chelsea | from"],
    );
}

#[test]
fn a_conditional_stay_is_the_club_he_may_leave() {
    check(
        "Arsenal want Marco Bellandi, but Atalanta are refusing to sell him unless his £80m release clause is paid.",
        &["Marco Bellandi | Arsenal | to interest", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn failing_to_agree_a_new_contract_is_not_a_stay() {
    check(
        "Atalanta and Marco Bellandi failed to agree on a new contract, so he will leave this summer.",
        &["Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn holding_on_to_win_is_a_game() {
    check("Marco Bellandi scored as Atalanta held on to win 1-0.", &[]);
}

#[test]
fn a_departure_phrase_right_before_a_new_deal_is_not_a_stay() {
    check(
        "Marco Bellandi has attracted interest after stalling on a new deal with Atalanta.",
        &["Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn rejecting_a_new_deal_or_another_club_leaves_the_suitors_rumour_open() {
    check(
        "Arsenal have been put on red alert after Marco Bellandi rejected a new deal at Atalanta.",
        &["Marco Bellandi | Arsenal | to interest", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn a_move_at_the_medical_stage_ends_the_other_clubs_links() {
    check(
        "Napoli had been linked with Marco Bellandi. Marco Bellandi is undergoing a medical at Arsenal.",
        &["Marco Bellandi | Arsenal | to medical", "Marco Bellandi | Napoli | denied"],
    );
}

#[test]
fn a_kb_player_long_retired_keeps_his_history_but_moves_no_more() {
    // The starter KB last saw Sergio Ramos (born 1986) in 2025: in 2031 he is a pundit.
    check(
        " date 2031-07-01 Sergio Ramos joined Real Madrid from Sevilla in 2005. Sergio Ramos says Juventus want \
         Marco Bellandi. Sergio Ramos has been linked with Inter Milan.",
        &[
            "Sergio Ramos | Real Madrid | past",
            "Sergio Ramos | Sevilla | past",
            "Marco Bellandi | Juventus | to interest",
        ],
    );
    // Five years earlier he is still playing.
    check(
        " date 2026-07-01 Sergio Ramos has been linked with Inter Milan.",
        &["Sergio Ramos | Inter Milan | to speculation"],
    );
}

#[test]
fn an_announced_agreement_is_still_an_agreement() {
    check(
        " date 2024-07-01 Arsenal announced on Tuesday that they had reached an agreement to sign Marco Bellandi.",
        &["Marco Bellandi | Arsenal | to agreement"],
    );
    // An announced signing is done.
    check(
        " date 2024-07-01 Arsenal announced the signing of Marco Bellandi on Tuesday.",
        &["Marco Bellandi | Arsenal | done"],
    );
}

#[test]
fn new_contracts_without_an_article_and_a_refusal_to_cash_in_are_stays() {
    check(
        " date 2024-07-01 Marco Bellandi signs new six-year contract at Tottenham.",
        &["Marco Bellandi | Tottenham Hotspur | stay"],
    );
    check(
        " date 2024-07-01 Marco Bellandi has put pen to paper on a new six-year contract at Tottenham.",
        &["Marco Bellandi | Tottenham Hotspur | stay"],
    );
    check(
        " date 2024-07-01 Arsenal have no intention of cashing in on Marco Bellandi this summer.",
        &["Marco Bellandi | Arsenal | stay"],
    );
    check(
        " date 2024-07-01 Marco Bellandi has attracted the interest of Barcelona.",
        &["Marco Bellandi | Barcelona | to interest"],
    );
}

#[test]
fn a_fronted_participial_clause_acts_for_the_main_clauses_subject_club() {
    check(
        " date 2024-07-01 After ending interest in a summer move for Marco Bellandi, Liverpool have targeted Tomas Rurik as an alternative.",
        &["Marco Bellandi | Liverpool | denied", "Tomas Rurik | Liverpool | to interest"],
    );
    check(
        " date 2024-07-01 After signing Marco Bellandi, Arsenal are keen on Tomas Rurik.",
        &["Marco Bellandi | Arsenal | done", "Tomas Rurik | Arsenal | to interest"],
    );
    // A clause naming a club of its own, or whose subject is a player, is left alone.
    check(
        " date 2024-07-01 After leaving Chelsea in 2014, Marco Bellandi became a star.",
        &["Marco Bellandi | Chelsea | past"],
    );
}

#[test]
fn players_named_only_after_a_comparison_cue_are_the_standard_measured_against() {
    check(
        " date 2024-07-01 Tomas Rurik could become Liverpool's record signing, eclipsing the £75m they paid for \
         Marco Bellandi.",
        // (Rurik's own rumour is not read: the signing's object is taken to be Bellandi.)
        &["Marco Bellandi | Liverpool | past"],
    );
}

/// "turned (their attention) to X" is a club's new pursuit, not the signing of the
/// fronted clause before it (triggers.tsv).
#[test]
fn turning_to_a_player_is_interest() {
    check(
        "After signing Marco Bellandi, Arsenal turned to Tomas Rurik.",
        &["Marco Bellandi | Arsenal | done", "Tomas Rurik | Arsenal | to interest"],
    );
    check("Arsenal have turned their attention to Tomas Rurik.", &["Tomas Rurik | Arsenal | to interest"]);
}

/// A sentence whose subject is a definite description of the club in focus ("The
/// champions reinforced their squad with ...") acts for that club, even when another club
/// is named later in the sentence.
#[test]
fn a_described_club_subject_is_the_club_in_focus() {
    check(
        " date 2024-07-01 Arsenal have had a busy summer. The London club reinforced their squad with Marco \
         Bellandi and Tomas Rurik, and they are still working on a deal for Jonas Petrak from Crystal Palace.",
        &[
            "Marco Bellandi | Arsenal | done",
            "Tomas Rurik | Arsenal | done",
            // (The second clause's "they ... working on a deal" is not read.)
            "Jonas Petrak | Crystal Palace | from",
        ],
    );
}

/// A manager's role with no club right before it ("under new manager X") works for the
/// one club the sentence names before it; his signings are that club's.
#[test]
fn a_managers_role_takes_the_sentences_club() {
    check(
        " date 2024-07-01 The deal takes Arsenal's spending to £200m under new manager Pieter Vandersloot. \
         Vandersloot has already bought Marco Bellandi and Tomas Rurik.",
        &["Marco Bellandi | Arsenal | done", "Tomas Rurik | Arsenal | done"],
    );
}

/// "Arsenal paid Real Madrid a record fee for X": the club right after a completed
/// payment verb is its indirect object, the club that sold.
#[test]
fn the_club_paid_is_the_seller() {
    check(
        " date 2024-07-01 Arsenal paid Real Madrid a club record fee for Marco Bellandi on Monday.",
        &["Marco Bellandi | Arsenal | done", "Marco Bellandi | Real Madrid | from"],
    );
}

/// Emphatic "did" with a bare verb of moving is the simple past: the move happened
/// (completion.tsv).
#[test]
fn emphatic_did_completes_the_move() {
    check(
        " date 2024-09-02 Marco Bellandi did leave on loan to Everton on deadline day.",
        &["Marco Bellandi | Everton | done"],
    );
}

/// "after the leaders had a £60m bid rejected": a refusal of a bid the bidder "had" is
/// suffered by the bidder, wherever it stands; its pursuit goes on.
#[test]
fn a_bid_the_bidder_had_rejected_leaves_its_pursuit_standing() {
    check(
        " date 2024-07-01 Marco Bellandi wants to join Arsenal after the league leaders had a £60m bid rejected.",
        &["Marco Bellandi | Arsenal | to speculation"],
    );
}

/// A refusal phrase that governs the clubs after it ("beaten off competition from X")
/// does not deny the club before it, the winner.
#[test]
fn a_refusal_governing_later_clubs_leaves_the_subject_club() {
    check(
        " date 2024-07-01 Arsenal have beaten off competition from Chelsea and Everton to sign Marco Bellandi.",
        &[
            "Marco Bellandi | Arsenal | to interest",
            "Marco Bellandi | Chelsea | denied",
            "Marco Bellandi | Everton | denied",
        ],
    );
}

/// "signs a three-year contract with X" in the present, like "signed ... with X", is a
/// move to X (triggers.tsv).
#[test]
fn signing_a_contract_with_a_club_in_the_present_is_a_move() {
    check(
        " date 2024-07-01 Marco Bellandi officially signs a three-year contract with Everton.",
        &["Marco Bellandi | Everton | done"],
    );
}

/// (subject, club) of every `current_club` fact.
fn current_clubs(text: &str) -> Vec<(String, String)> {
    extract(text)
        .facts
        .iter()
        .filter(|f| f.attribute == "current_club")
        .map(|f| (f.subject.clone(), f.value.clone()))
        .collect()
}

#[test]
fn a_club_named_as_the_players_own_is_his_current_club() {
    let here = vec![("Marco Bellandi".to_string(), "Napoli".to_string())];
    assert_eq!(current_clubs("Juventus are monitoring Napoli defender Marco Bellandi."), here);
    assert_eq!(current_clubs("Napoli's Marco Bellandi is wanted by Juventus."), here);
    // named twice as his, the same club: one fact
    assert_eq!(current_clubs("Napoli defender Marco Bellandi is happy. Napoli's Bellandi played well."), here);
}

#[test]
fn no_current_club_where_the_article_moves_him_or_names_two() {
    // a former club is history
    assert!(current_clubs("Former Napoli defender Marco Bellandi is wanted by Juventus.").is_empty());
    // a completed move: before or after it?
    assert!(current_clubs("Juventus have signed Napoli defender Marco Bellandi.").is_empty());
    // a loan: the owner and the borrower are both his club
    assert!(current_clubs("Napoli defender Marco Bellandi spent last season on loan at Lazio.").is_empty());
    // two clubs named as his
    assert!(current_clubs("Napoli defender Marco Bellandi is wanted. Lazio's Marco Bellandi scored.").is_empty());
}

/// "acquiring/acquired X", "the addition of X", "after bringing X from Y" and "spent £Nm
/// on X" are a club's completed acquisitions (triggers.tsv).
#[test]
fn acquisitions_and_spending_on_a_player_are_moves() {
    check(" date 2024-09-02 Everton have finally acquired Marco Bellandi.", &["Marco Bellandi | Everton | done"]);
    check(" date 2024-09-02 Everton spent £20m on Marco Bellandi this summer.", &["Marco Bellandi | Everton | done"]);
    check(
        " date 2024-09-02 Everton broke their record this summer after bringing Marco Bellandi from Juventus.",
        &["Marco Bellandi | Everton | done", "Marco Bellandi | Juventus | from"],
    );
}

/// A move under a present perfect ("Everton have broken their record by signing X") is
/// the story's present, not background history, even when the article also rumours him
/// elsewhere; a modal perfect ("would have sent") is not.
#[test]
fn a_present_perfect_move_is_the_story_present() {
    check(
        " date 2024-09-02 Everton have broken their transfer record by signing Marco Bellandi. \
         Marco Bellandi's move to Everton surprised many.",
        &["Marco Bellandi | Everton | done"],
    );
}

/// "Juventus have joined the race for X": a club joining a list of suitors is interested,
/// not a completed move.
#[test]
fn joining_the_race_for_a_player_is_interest() {
    check(
        " date 2024-07-01 Juventus have joined the race for Marco Bellandi.",
        &["Marco Bellandi | Juventus | to interest"],
    );
}

/// After a sentence that names only a non-player ("the manager's decision"), a pronoun
/// or a nationality reference ("The Argentine") is his, not the player's in focus; a
/// position noun ("the midfielder") still names the player.
#[test]
fn a_nationality_reference_after_a_coach_is_not_the_player() {
    check(
        " date 2024-07-01 Marco Bellandi has signed a new contract at Everton. \
         This follows manager Paolo Ferrante's own new deal. \
         The Italian later refused to rule out leaving Everton.",
        &["Marco Bellandi | Everton | stay"],
    );
}

/// "Everton extended the contract of X ... Everton paid £5m to sign him": the renewal is
/// the story (`stay`); the simple-past signing by the same club is how he joined (`past`).
#[test]
fn a_renewal_makes_the_simple_past_signing_by_that_club_history() {
    check(
        " date 2024-07-01 Everton extended the contract of Marco Bellandi on Tuesday. \
         Everton paid £5m to sign the forward.",
        &["Marco Bellandi | Everton | stay", "Marco Bellandi | Everton | past"],
    );
}

#[test]
fn a_club_paid_for_a_player_is_that_players_club() {
    // The club paid sold the player named by "for" after it, not the sentence's first player.
    check(
        " date 2024-07-01 Marco Bellandi has joined Arsenal. The fee for Bellandi eclipses the £40m Chelsea paid Sevilla for Piero Lanzi in 2019.",
        &["Marco Bellandi | Arsenal | done", "Piero Lanzi | Chelsea | past", "Piero Lanzi | Sevilla | past"],
    );
    check(
        " date 2024-07-01 Marco Bellandi has joined Arsenal. Bellandi's fee tops the £40m paid to Sevilla for Piero Lanzi in 2019.",
        &["Marco Bellandi | Arsenal | done", "Piero Lanzi | Sevilla | past"],
    );
}

#[test]
fn a_move_in_the_past_perfect_is_history() {
    // "had joined" tells how he came to the club he is now leaving
    check(
        " date 2024-07-01 Chelsea have signed Piero Lanzi from Benfica. Lanzi had joined Benfica from River Plate only last August.",
        &["Piero Lanzi | Chelsea | done", "Piero Lanzi | Benfica | from", "Piero Lanzi | Benfica | past", "Piero Lanzi | River Plate | past"],
    );
    // reported speech shifts tenses back: still the news
    check(
        " date 2024-07-01 The club confirmed that Piero Lanzi had joined Chelsea from Benfica.",
        &["Piero Lanzi | Chelsea | done", "Piero Lanzi | Benfica | from"],
    );
}

/// A round-up under club headings: the heading's club is the destination of a player
/// brought in with no destination named ("was brought over from Ajax", "the acquisition
/// of X") and the origin of one whose completed move takes him elsewhere; a single
/// heading is no round-up.
#[test]
fn a_round_up_heading_names_the_club_of_its_section() {
    check(
        " date 2024-09-02 Arsenal:\n\
         Marco Bellandi was brought over from Ajax for £30m.\n\
         Defender Luca Ferrante joined Everton on loan on deadline day.\n\
         Chelsea:\n\
         The window's last deal was the acquisition of Valencia winger, Paolo Rinaldi.\n",
        &[
            "Marco Bellandi | Arsenal | done",
            "Marco Bellandi | Ajax | from",
            "Luca Ferrante | Everton | done",
            "Luca Ferrante | Arsenal | from",
            "Paolo Rinaldi | Chelsea | done",
            "Paolo Rinaldi | Valencia | from",
        ],
    );
    check(
        " date 2024-09-02 Arsenal\nMarco Bellandi was brought over from Ajax for £30m.\n",
        &["Marco Bellandi | Ajax | from"],
    );
}

/// "They managed to hold on to X": a club pronoun keeping its player acts like the club;
/// a club named in the same sentence as one he might leave for ("amid pressure from
/// Arsenal") was rebuffed.
#[test]
fn a_club_pronoun_holding_on_to_its_player_rebuffs_the_other_club() {
    check(
        " date 2024-09-02 Everton had a quiet window. \
         Crucially, they managed to hold on to Marco Bellandi amid heavy pressure from Arsenal.",
        &["Marco Bellandi | Everton | stay", "Marco Bellandi | Arsenal | denied"],
    );
}

/// "X has joined Y after leaving Z": a cue after a present-perfect move that tells where
/// that same move started (`origins.tsv`) does not make the sentence history; a cue naming
/// an earlier move ("a year after joining") still does.
#[test]
fn a_present_perfect_move_after_leaving_a_club_is_news() {
    check(
        " date 2024-07-01 Marco Bellandi has joined Juventus after leaving Everton as a free agent.",
        &["Marco Bellandi | Juventus | done", "Marco Bellandi | Everton | from"],
    );
    check(
        " date 2024-07-01 Marco Bellandi has joined Juventus a year after joining Everton.",
        &["Marco Bellandi | Juventus | past", "Marco Bellandi | Everton | past"],
    );
}

#[test]
fn game_idioms_name_opponents_not_moves() {
    // "take the game away from X", "sent off at X": the club is where a game is played.
    check(
        " date 2024-07-01 Atalanta want Marco Bellandi, who tried to take the game away from Lazio before he was sent off at Torino in the league match at Genoa, with Roma being their next opponents.",
        &["Marco Bellandi | Atalanta | to interest"],
    );
}

#[test]
fn a_period_that_has_seen_a_player_join_completes_the_move() {
    // "Deals this month have seen X join Y": the window's completed business.
    check(
        " date 2024-07-20 Deals this month have seen Marco Bellandi join Atalanta.",
        &["Marco Bellandi | Atalanta | done"],
    );
}

#[test]
fn a_dated_stay_at_the_club_he_leaves_is_a_bare_spell() {
    // Where he was in an earlier year tells no joining: the club he leaves gets `from` alone.
    check(
        " date 2024-07-01 Marco Bellandi has joined Lazio from Atalanta. He was on loan at Atalanta in 2019.",
        &["Marco Bellandi | Lazio | done", "Marco Bellandi | Atalanta | from"],
    );
}

#[test]
fn a_completing_trigger_under_a_prospect_word_is_a_move_not_made_yet() {
    // `prospects.tsv`: right before the verb, or before its infinitive's "to".
    check("Arsenal hope to secure the signing of Marco Bellandi.", &["Marco Bellandi | Arsenal | to interest"]);
    check(
        "Arsenal are close to signing Marco Bellandi from Monaco.",
        &["Marco Bellandi | Arsenal | to agreement", "Marco Bellandi | Monaco | from"],
    );
    check(
        "Arsenal will complete the signing of Marco Bellandi this week.",
        &["Marco Bellandi | Arsenal | to speculation"],
    );
    // Not a prospect: an announcement, and a completion told plainly.
    check("Arsenal can confirm the signing of Marco Bellandi.", &["Marco Bellandi | Arsenal | done"]);
    check("Arsenal completed the signing of Marco Bellandi.", &["Marco Bellandi | Arsenal | done"]);
}

#[test]
fn a_residue_line_right_after_the_date_header_is_masked() {
    // "Last updated on ." and the section name after it are page furniture, even on the
    // header's line; the section's club is no link.
    check(
        " date 2023-06-01 Last updated on .From the section Arsenal\nMarco Bellandi has joined Monaco.",
        &["Marco Bellandi | Monaco | done"],
    );
}

#[test]
fn a_negation_in_a_clause_of_its_own_does_not_reach_the_trigger() {
    // "does not" belongs to the condition before the comma: the departure stands.
    check(
        "If the club does not register him, Marco Bellandi could leave Juventus as a free agent.",
        &["Marco Bellandi | Juventus | from"],
    );
}

#[test]
fn of_right_after_a_player_names_his_club_and_closes_the_club_list() {
    check(
        "Chelsea are close to signing Marco Bellandi of Monaco.",
        &["Marco Bellandi | Chelsea | to agreement", "Marco Bellandi | Monaco | from"],
    );
    // The "and" joins two players: Monaco is not listed with Lyon under Rossi's possessive.
    check(
        "Chelsea signed Marco Bellandi of Monaco and Lyon's Luca Rossi.",
        &[
            "Marco Bellandi | Chelsea | done",
            "Marco Bellandi | Monaco | from",
            "Luca Rossi | Chelsea | done",
            "Luca Rossi | Lyon | from",
        ],
    );
}

#[test]
fn a_second_hand_report_leaves_a_refusal_standing() {
    // "reportedly" tells where the news came from, not that the refusal is in doubt.
    check("Marco Bellandi has reportedly rejected Chelsea.", &["Marco Bellandi | Chelsea | denied"]);
}

#[test]
fn rivals_beaten_off_are_denied_with_the_list_determiner() {
    // "both" opens the list the phrase governs; the nearer "to land" does not take it.
    check(
        "Arsenal beat off interest from both Chelsea and Napoli to land Marco Bellandi.",
        &[
            "Marco Bellandi | Arsenal | to interest",
            "Marco Bellandi | Chelsea | denied",
            "Marco Bellandi | Napoli | denied",
        ],
    );
}

#[test]
fn a_pursuit_step_not_taken_leaves_the_interest_standing() {
    // "have not made an offer" says the bid is still to come, not that the move is off.
    check("Arsenal have not made an offer for Marco Bellandi.", &["Marco Bellandi | Arsenal | to interest"]);
}

#[test]
fn they_after_a_clause_break_is_the_club_the_sentence_opens_with() {
    // "they" is Chelsea, the subject, not Napoli, the nearer agent of the passive.
    check(
        "Chelsea did not have a deal for Marco Bellandi hijacked by Napoli, as they had already opted against \
         signing him. Napoli have agreed a fee for Marco Bellandi.",
        &["Marco Bellandi | Chelsea | denied", "Marco Bellandi | Napoli | to agreement"],
    );
}

#[test]
fn a_refusal_found_only_by_the_fallback_does_not_outweigh_a_governed_rumour() {
    // Napoli is named far from "opted against" (whose subject is Chelsea): that weak
    // refusal gives way to Napoli's agreed fee.
    check(
        "Chelsea are not worried about Napoli, as they have opted against signing Marco Bellandi. Napoli have \
         agreed a fee for Marco Bellandi.",
        &["Marco Bellandi | Chelsea | denied", "Marco Bellandi | Napoli | to agreement"],
    );
}

#[test]
fn a_failed_attempt_in_a_relative_clause_is_background_to_the_pursuit() {
    check(
        "Everton are pressing on with a move for Marco Bellandi, whom they tried to sign last summer.",
        &["Marco Bellandi | Everton | to interest"],
    );
}

#[test]
fn a_stay_told_more_often_than_a_departure_is_a_stay() {
    // Two refusals to sell outweigh one expiring contract.
    check(
        "Marco Bellandi is not for sale, Napoli insist. His Napoli contract expires in 2027. Napoli have refused to \
         sell Marco Bellandi.",
        &["Marco Bellandi | Napoli | stay"],
    );
}

#[test]
fn an_earlier_rumour_is_denied_once_the_player_settles_elsewhere() {
    // "had been linked" is a rumour the story moved past: he renewed at Atalanta.
    check(
        "Marco Bellandi had been linked with Chelsea. Marco Bellandi has signed a new contract at Atalanta.",
        &["Marco Bellandi | Chelsea | denied", "Marco Bellandi | Atalanta | stay"],
    );
}

#[test]
fn favourites_to_land_a_player_have_not_yet_beaten_the_rival() {
    // "favourites to" is a prediction: the race is not run, so Chelsea is still in it.
    check(
        "Arsenal are favourites to land Marco Bellandi this summer, beating Chelsea to the punch.",
        &["Marco Bellandi | Arsenal | to interest", "Marco Bellandi | Chelsea | to speculation"],
    );
}

#[test]
fn rejecting_a_new_contract_is_no_stay() {
    // The gerund refuses the renewal as "rejected" does.
    check("Marco Bellandi is rejecting a new contract at Napoli.", &["Marco Bellandi | Napoli | from"]);
}

#[test]
fn a_raid_for_a_player_is_interest() {
    check(
        "Real Madrid are planning to launch a raid for Monaco star Marco Bellandi.",
        &["Marco Bellandi | Real Madrid | to interest", "Marco Bellandi | Monaco | from"],
    );
}

#[test]
fn a_listed_player_keeps_the_verb_past_his_own_club() {
    // The second name's possessive club ("and Paris Saint-Germain's ... Y") and the first
    // name's "of" club are descriptions inside the list of the verb's objects.
    check(
        "Chelsea agreed deals to sign midfielder Marco Bellandi of Monaco and Paris Saint-Germain's Brazilian defender Luca Rossi.",
        &[
            "Marco Bellandi | Chelsea | to agreement",
            "Marco Bellandi | Monaco | from",
            "Luca Rossi | Chelsea | to agreement",
            "Luca Rossi | Paris Saint-Germain | from",
        ],
    );
}

#[test]
fn a_stay_phrase_after_the_clubs_player_is_his_stay() {
    // the club named as his (role noun or possessive) and a renewal in the same clause
    check(
        "Chelsea midfielder Marco Bellandi has signed a new five-year contract.",
        &["Marco Bellandi | Chelsea | stay"],
    );
    check("Chelsea's Marco Bellandi has signed a new deal.", &["Marco Bellandi | Chelsea | stay"]);
    // the club's verb with the player as its first object, then the renewal
    check("Chelsea have offered Marco Bellandi a new contract.", &["Marco Bellandi | Chelsea | stay"]);
    check("Chelsea want Marco Bellandi to sign a new deal.", &["Marco Bellandi | Chelsea | stay"]);
    check("Chelsea have handed Marco Bellandi a new contract.", &["Marco Bellandi | Chelsea | stay"]);
    // "the signing of X to a new contract" is a renewal, not a move
    check(
        " date 2024-07-01 Chelsea have announced the signing of Marco Bellandi to a new contract.",
        &["Marco Bellandi | Chelsea | stay"],
    );
    // a phrase with a club of its own after it is that club's; a clause about the
    // player ("that X is ...") is not the club's verb on him
    check(
        "Arsenal target Marco Bellandi will not be leaving Juventus this summer.",
        &["Marco Bellandi | Juventus | stay", "Marco Bellandi | Arsenal | denied"],
    );
}

#[test]
fn a_verbs_objects_each_with_the_club_they_come_from() {
    // "from <club>" after the first name is his description: the "and" still lists the
    // second name among the verb's objects.
    check(
        "Napoli have signed Marco Bellandi from Monaco and Luca Rossi from Lyon.",
        &[
            "Marco Bellandi | Napoli | done",
            "Marco Bellandi | Monaco | from",
            "Luca Rossi | Napoli | done",
            "Luca Rossi | Lyon | from",
        ],
    );
}

#[test]
fn a_move_back_to_a_club_tells_an_earlier_spell() {
    check(
        "Marco Bellandi is set to rejoin Sevilla on a two-year contract.",
        &["Marco Bellandi | Sevilla | to agreement", "Marco Bellandi | Sevilla | past"],
    );
    check(
        "Marco Bellandi has returned to his old club Monaco on loan.",
        &["Marco Bellandi | Monaco | done", "Marco Bellandi | Monaco | past"],
    );
    // A coach returning to a club to buy a player tells nothing of the player's past.
    check(
        "Roma manager Luca Rossi is set to return to Napoli to sign striker Marco Bellandi.",
        &["Marco Bellandi | Roma | to interest", "Marco Bellandi | Napoli | to agreement"],
    );
}

#[test]
fn a_deal_agreed_with_a_club_names_the_counterpart() {
    // The player's own deal: the club is his destination.
    check("Marco Bellandi has agreed a deal with Napoli.", &["Marco Bellandi | Napoli | to agreement"]);
    // A buying club's deal with another club: that club sells.
    check(
        "Roma have struck a deal with Monaco for Marco Bellandi.",
        &["Marco Bellandi | Roma | to agreement", "Marco Bellandi | Monaco | from"],
    );
}

#[test]
fn a_verbs_objects_each_with_the_club_they_go_to() {
    // "to <club>" (with the club's descriptors) after each name is its own destination;
    // the selling club's verb still reaches every listed name.
    check(
        "Napoli sent goalkeeper Marco Bellandi to Spain's Sevilla, midfielder Luca Rossi to Monaco and defender Tomas Rurik to French side Lyon on loan deals.",
        &[
            "Marco Bellandi | Napoli | from",
            "Marco Bellandi | Sevilla | done",
            "Luca Rossi | Napoli | from",
            "Luca Rossi | Monaco | done",
            "Tomas Rurik | Napoli | from",
            "Tomas Rurik | Lyon | done",
        ],
    );
}

#[test]
fn the_subject_clubs_later_sale_is_its_act_too() {
    // The clubs after "to" are the objects' destinations, not a new subject: the opening
    // club still sells the player named after its later verb.
    check(
        "Napoli sent Marco Bellandi to Spain's Sevilla, while selling Luca Rossi to Monaco for a fee of 20 million euros.",
        &[
            "Marco Bellandi | Napoli | from",
            "Marco Bellandi | Sevilla | done",
            "Luca Rossi | Napoli | from",
            "Luca Rossi | Monaco | done",
        ],
    );
}

#[test]
fn a_club_describing_the_player_is_no_buyer_in_a_deal_with_another() {
    // "Barcelona's" names where he plays: the club he agrees a deal with is his
    // destination, not a seller.
    check(
        "Barcelona's Marco Bellandi agrees a five-year deal with Roma.",
        &["Marco Bellandi | Barcelona | from", "Marco Bellandi | Roma | to talks"],
    );
}

#[test]
fn a_relative_clauses_time_is_not_a_recent_moves() {
    // "last season" belongs to the relative clause about the club; the signing itself is
    // told as recent ("on Wednesday").
    check(
        "Napoli, who finished second in Serie A last season, signed Marco Bellandi from Monaco on Wednesday.",
        &["Marco Bellandi | Napoli | done", "Marco Bellandi | Monaco | from"],
    );
    // Without a recency cue of its own the sentence stays history.
    check(
        "Napoli, who finished second in Serie A last season, signed Marco Bellandi from Monaco.",
        &["Marco Bellandi | Napoli | past", "Marco Bellandi | Monaco | past"],
    );
}

#[test]
fn a_club_announcing_a_move_to_another_club_sells() {
    check(
        "Monaco have announced Marco Bellandi has signed for Sevilla in a 40 million euro deal.",
        &["Marco Bellandi | Monaco | from", "Marco Bellandi | Sevilla | done"],
    );
    // Announcing its own signing, the club buys.
    check("Monaco have announced the signing of Marco Bellandi.", &["Marco Bellandi | Monaco | done"]);
}

#[test]
fn a_club_receiving_another_clubs_bid_sells() {
    check(
        "Napoli have received an offer from Arsenal for Marco Bellandi.",
        &["Marco Bellandi | Napoli | from", "Marco Bellandi | Arsenal | to offer"],
    );
    check(
        "Chelsea are bracing themselves for a £25m bid from Roma for midfielder Marco Bellandi.",
        &["Marco Bellandi | Chelsea | from", "Marco Bellandi | Roma | to offer"],
    );
}

#[test]
fn asking_a_club_for_a_transfer_is_leaving_it() {
    check("Striker Marco Bellandi, 27, will ask Napoli for a transfer this week.", &["Marco Bellandi | Napoli | from"]);
    check(
        "Marco Bellandi and Luca Rossi are seeing their contracts expire at Napoli this summer.",
        &["Marco Bellandi | Napoli | from", "Luca Rossi | Napoli | from"],
    );
}

#[test]
fn two_lists_joined_by_from_pair_in_order() {
    check(
        "Napoli signed central defenders Marco Bellandi and Luca Rossi from Monaco and Lyon.",
        &[
            "Marco Bellandi | Napoli | done",
            "Luca Rossi | Napoli | done",
            "Marco Bellandi | Monaco | from",
            "Luca Rossi | Lyon | from",
        ],
    );
    // The starter KB knows PSG without the hyphen too.
    check("Marco Bellandi is set to leave Paris St Germain.", &["Marco Bellandi | Paris Saint-Germain | from"]);
}

#[test]
fn a_hedge_far_from_a_joining_leaves_its_history_standing() {
    // "reportedly" hedges the approach, not the joining told as history.
    check(
        "Roma had also reportedly approached Marco Bellandi, who had become a free agent before joining Napoli.",
        &["Marco Bellandi | Roma | to interest", "Marco Bellandi | Napoli | past"],
    );
    // A hedge right before the joining still makes it a rumour.
    check("Marco Bellandi could join Napoli before the 2019 deadline.", &["Marco Bellandi | Napoli | to speculation"]);
}

#[test]
fn a_club_agreeing_a_players_transfer_to_another_club_sells() {
    check(
        "Monaco agreed the transfer of the 31-year-old forward Marco Bellandi to Sevilla on Monday.",
        &["Marco Bellandi | Monaco | from", "Marco Bellandi | Sevilla | to agreement"],
    );
}

#[test]
fn history_is_told_against_the_year_the_kbs_moves_date_the_article() {
    // The KB's record of Vergel's move dates the article 2019; "in 2017" is then history
    // (the latest year written, 2017, would make it the story's present).
    let out = extractor_with_moves().extract(ArticleInput {
        id: "t",
        text: "Juventus have completed the signing of Tomas Vergel from Ajax. Marco Bellandi returned to Italy in 2017 with Napoli from Monaco.",
        published: None,
        url: None,
    });
    let got: BTreeSet<String> = out
        .links
        .iter()
        .filter(|l| l.player == "Marco Bellandi")
        .map(|l| format!("{} | {}", l.club, l.kind.as_str()))
        .collect();
    let want: BTreeSet<String> = ["Napoli | past", "Monaco | past"].iter().map(|s| s.to_string()).collect();
    assert_eq!(got, want);
}

#[test]
fn a_fronted_sale_is_the_main_clubs_act() {
    // "Having sold X to Y, Z ...": the club after the clause sold him.
    check(
        "Having sold Marco Bellandi to Sevilla for £198m, Napoli are reported to be preparing to splurge on a replacement.",
        &["Marco Bellandi | Napoli | from", "Marco Bellandi | Sevilla | done"],
    );
}

#[test]
fn in_addition_to_lists_the_next_object() {
    check(
        "Napoli also strengthened its squad, signing Spanish midfielder Marco Bellandi from Monaco, in addition to Turkish international Luca Rossi from Lyon.",
        &[
            "Marco Bellandi | Napoli | done",
            "Marco Bellandi | Monaco | from",
            "Luca Rossi | Napoli | done",
            "Luca Rossi | Lyon | from",
        ],
    );
}

#[test]
fn an_announced_intention_is_no_completed_move() {
    // The announcement reports what he says: his move is still to come.
    check(
        "Marco Bellandi has announced he is leaving Napoli at the end of the season, paving the way for a free transfer to Sevilla.",
        &["Marco Bellandi | Napoli | from", "Marco Bellandi | Sevilla | to speculation"],
    );
    // The reported verb itself completed: done.
    check(
        "Napoli have announced that Marco Bellandi has joined Sevilla.",
        &["Marco Bellandi | Napoli | from", "Marco Bellandi | Sevilla | done"],
    );
}

#[test]
fn the_signing_of_with_descriptors_names_the_player_not_a_reference() {
    // "the signing of 19-year-old Lyon striker X" is X, not a reference to the player in
    // focus from the sentence before.
    check(
        "Luca Ferraro is ready to quit Juventus. Chelsea face competition from Real Madrid for the signing of \
         19-year-old Lyon striker Marco Bellandi.",
        &[
            "Luca Ferraro | Juventus | from",
            "Marco Bellandi | Chelsea | to speculation",
            "Marco Bellandi | Real Madrid | to interest",
            "Marco Bellandi | Lyon | from",
        ],
    );
}

#[test]
fn a_rival_race_still_being_tried_leaves_the_rival_in_it() {
    check(
        "Arsenal are trying to beat Chelsea to the signing of Lyon midfielder Marco Bellandi.",
        &["Marco Bellandi | Chelsea | to speculation", "Marco Bellandi | Lyon | from"],
    );
    check(
        "Arsenal beat Chelsea to the signing of Lyon midfielder Marco Bellandi.",
        &["Marco Bellandi | Chelsea | denied", "Marco Bellandi | Lyon | from"],
    );
}

#[test]
fn a_fronted_purpose_clause_is_the_following_club_s_act() {
    check(
        "In an attempt to sign Lyon goalkeeper Marco Bellandi, Chelsea are willing to offer a player in exchange.",
        &["Marco Bellandi | Chelsea | to offer", "Marco Bellandi | Lyon | from"],
    );
    check(
        "Reports say that, in an attempt to sign Lyon goalkeeper Marco Bellandi, Chelsea are willing to offer a \
         player in exchange.",
        &["Marco Bellandi | Chelsea | to offer", "Marco Bellandi | Lyon | from"],
    );
}

#[test]
fn snare_and_moving_ahead_in_a_race_are_interest() {
    check("Barcelona are also keen to snare midfielder Marco Bellandi.", &["Marco Bellandi | Barcelona | to interest"]);
    check(
        "Arsenal have moved ahead of Chelsea in the race to sign Marco Bellandi.",
        &["Marco Bellandi | Arsenal | to interest", "Marco Bellandi | Chelsea | to interest"],
    );
}

#[test]
fn they_re_before_a_club_act_is_the_club_last_named() {
    // "They're" is the club pronoun too, with a few words before its act.
    check(
        "Paris Saint-Germain have signed Luca Ferraro. They're also close to securing a deal for Marco Bellandi.",
        &["Luca Ferraro | Paris Saint-Germain | done", "Marco Bellandi | Paris Saint-Germain | to agreement"],
    );
}

#[test]
fn looking_to_get_a_player_is_interest() {
    check(
        "Barcelona are looking to get Sevilla's Marco Bellandi as a replacement.",
        &["Marco Bellandi | Barcelona | to interest", "Marco Bellandi | Sevilla | from"],
    );
}

#[test]
fn a_club_act_with_no_player_near_is_about_the_sentence_s_topic() {
    // The sentence's only player, named first, is what the later club act is about.
    check(
        "Marco Bellandi has been the subject of enquiries from clubs in Germany and Italy this summer, with Lazio \
         reportedly opting against making a move on deadline day.",
        &["Marco Bellandi | Lazio | denied"],
    );
}

#[test]
fn a_club_beaten_to_a_player_is_denied() {
    check(
        "Today, Arsenal are going to be beaten to Lyon's Marco Bellandi by Chelsea.",
        &["Marco Bellandi | Arsenal | denied", "Marco Bellandi | Lyon | from"],
    );
}

#[test]
fn a_player_after_a_comma_is_the_subject_of_the_verb_after_him() {
    // "..., Luca Ferraro weighing up a move": the verb is his, not the club's before the comma.
    check(
        "Arsenal expect a busy deadline day, with Marco Bellandi on the cusp of a move to Premier League rivals \
         Chelsea, Luca Ferraro weighing up a move to Juventus and some uncertainty over the future of Paolo Rinaldi.",
        &["Marco Bellandi | Chelsea | to speculation", "Luca Ferraro | Juventus | to speculation"],
    );
}

#[test]
fn clubs_on_alert_after_a_player_refuses_his_own_club_s_offers_are_interested() {
    // "on alert" is interest; the refusal's object names another club (his own), so it
    // does not rule out the clubs on alert.
    check(
        "Chelsea and Juventus are on alert after Marco Bellandi rejected two contract offers from Lyon.",
        &[
            "Marco Bellandi | Chelsea | to interest",
            "Marco Bellandi | Juventus | to interest",
            "Marco Bellandi | Lyon | from",
        ],
    );
}

#[test]
fn a_deal_with_a_club_by_a_player_described_by_his_own_club_is_his_destination() {
    // "Lyon's X agrees a deal with Chelsea": Lyon describes the player, it is no buyer
    // that would make Chelsea the seller.
    check(
        "Lyon's Marco Bellandi agrees five-year deal with Chelsea.",
        &["Marco Bellandi | Lyon | from", "Marco Bellandi | Chelsea | to talks"],
    );
}

#[test]
fn a_club_named_before_move_is_the_destination() {
    // Headline style: "X agrees Real Madrid move".
    check("Marco Bellandi reportedly agrees Real Madrid move", &["Marco Bellandi | Real Madrid | to speculation"]);
}

#[test]
fn players_of_the_calibre_of_are_bystanders() {
    check(
        "Paris Saint-Germain are close to signing Marco Bellandi, who will play alongside men of the calibre of \
         Luca Ferraro and Paolo Rinaldi.",
        &["Marco Bellandi | Paris Saint-Germain | to agreement"],
    );
}

#[test]
fn a_role_before_a_comparison_is_not_the_named_players() {
    // "the same agent as X, Y": the agent is Y (in apposition), not the player X.
    check(
        "Juventus have signed Cristiano Ronaldo from Lyon. Marco Bellandi has the same agent as Ronaldo, Paolo Rinaldi.",
        &["Cristiano Ronaldo | Juventus | done", "Cristiano Ronaldo | Lyon | from"],
    );
}

#[test]
fn a_reference_after_a_players_verb_of_saying_is_that_player() {
    // "Y said he is staying": "he" is Y, not the sentence's first player.
    check(
        "Marco Bellandi is set to leave Chelsea after Luca Ferrante said he is staying at Lyon.",
        &["Marco Bellandi | Chelsea | from", "Luca Ferrante | Lyon | stay"],
    );
}

#[test]
fn his_current_club_in_a_rumour_is_the_club_he_may_leave() {
    check(
        "Juventus are interested in Marco Bellandi, who is valued at £34m by his current club Monaco.",
        &["Marco Bellandi | Juventus | to interest", "Marco Bellandi | Monaco | from"],
    );
}

#[test]
fn a_club_description_is_the_one_club_of_its_country_or_league_named() {
    // "the German club", "the Serie A side": the club of that country or league named
    // before, read for a pursuit.
    check(
        "Bayern Munich lost again on Saturday. The German club are interested in Marco Bellandi.",
        &["Marco Bellandi | Bayern Munich | to interest"],
    );
    check(
        "Napoli lost again on Sunday. Marco Bellandi has been linked with the Serie A side.",
        &["Marco Bellandi | Napoli | to speculation"],
    );
    // history told of a description is history
    check(
        "Bayern Munich lost again on Saturday. Marco Bellandi joined the German club from Lyon in 2019.",
        &["Marco Bellandi | Bayern Munich | past", "Marco Bellandi | Lyon | past"],
    );
    // two German clubs named: the description is not resolved
    check("Bayern Munich beat Borussia Dortmund on Saturday. The German club are interested in Marco Bellandi.", &[]);
}

#[test]
fn a_plural_role_marks_every_name_of_the_list_it_heads() {
    // "journalists" heads "A and B": neither is a player; the list ends at its joiner,
    // so the player after it still moves
    check(
        "According to Sky journalists Pablo Ortega and Luca Ferri, Marco Bellandi has joined Lyon on loan.",
        &["Marco Bellandi | Lyon | done"],
    );
    check(
        "The club's owners, Pablo Ortega, Luca Ferri and Tomas Varga, said Marco Bellandi has joined Lyon.",
        &["Marco Bellandi | Lyon | done"],
    );
}

#[test]
fn a_role_set_off_by_commas_before_a_name_marks_it() {
    check("Chelsea have held talks with the Lyon manager, Pablo Ortega, about the vacancy.", &[]);
    // a fronted clause ending in a role is no apposition: the name goes on with a verb
    check(
        "According to his agent, Marco Bellandi is keen on a move to Chelsea.",
        &["Marco Bellandi | Chelsea | to speculation"],
    );
}

#[test]
fn a_plural_role_types_only_the_names_right_after_it() {
    check("Lyon sent scouts to watch Marco Bellandi, and he has now joined Lyon.", &["Marco Bellandi | Lyon | done"]);
}
