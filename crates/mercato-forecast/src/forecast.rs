//! Forecasts as mercato would have made them on each article's day.
//!
//! For an article published on day D, the forecast of each of its `to` links is the
//! likelihood of the link's thread computed from:
//!
//! * the article itself and the articles published **before** D (not on D: their order
//!   within a day is unknown);
//! * transfer records whose window closed **before** D;
//! * source credibility learned from the threads that had resolved before D (their
//!   record, else their KB tier prior), kept up to date day by day: only the threads of
//!   the players with new articles or records are folded again, and their outcomes
//!   replace the old ones in one running tally.
//!
//! Nothing else is read, so a forecast does not change when every later article and
//! record is removed (`tests/leakage.rs` checks this). An undated article is forecast from
//! its own text alone.

use chrono::{Duration, NaiveDate};
use mercato_store::{player_key, FactRecord, LinkRecord};
use mercato_threads::scores::{count, outcomes, records as source_records, tier_prior, Tally};
use mercato_threads::{credibility_map, threads_scored, Component, Evidence, Model, Move, Scoring};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One article to forecast: its date and its stored links and facts.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub date: Option<NaiveDate>,
    pub links: Vec<LinkRecord>,
    pub facts: Vec<FactRecord>,
}

/// One forecast line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub id: String,
    pub player: String,
    pub club: String,
    /// The article's day (`None`: undated, forecast from its own text alone).
    pub date: Option<NaiveDate>,
    pub likelihood: f64,
    /// The thread's status on that day (`completed` when the move was already known).
    pub status: String,
    pub components: Vec<Component>,
    pub evidence: Evidence,
}

/// Forecasts every `to` link of every article. `records` are moves from transfer
/// records; `tier` gives a source's KB tier.
pub fn forecast(
    articles: &[Article],
    records: &[Move],
    model: &Model,
    tier: &dyn Fn(&str) -> Option<u8>,
) -> Vec<Forecast> {
    // every dated link, oldest first, to take the prefix published before a day
    let mut dated: Vec<&LinkRecord> = articles.iter().filter(|a| a.date.is_some()).flat_map(|a| &a.links).collect();
    dated.sort_by(|a, b| a.published.cmp(&b.published));
    let mut days: BTreeMap<Option<NaiveDate>, Vec<&Article>> = BTreeMap::new();
    for a in articles {
        days.entry(a.date).or_default().push(a);
    }
    // articles that state a fee for a player; only a thread's own (earlier) articles are
    // looked up, so the set may hold them all
    let priced: HashSet<(String, String)> = articles
        .iter()
        .flat_map(|a| &a.facts)
        .filter(|f| f.attribute == "fee")
        .map(|f| (f.article.clone(), player_key(&f.subject)))
        .collect();
    // the history so far, by lower-cased player: links published and records told before
    // the day, and what each player's threads say of their sources, kept in one tally that
    // is updated one player at a time as outcomes arrive
    let corpus = Corpus { dates: articles.iter().map(|a| (a.id.as_str(), a.date)).collect(), priced, model, tier };
    let mut records: Vec<&Move> = records.iter().collect();
    records.sort_by_key(|m| m.told);
    let mut history: HashMap<String, Vec<LinkRecord>> = HashMap::new();
    let mut known: HashMap<String, Vec<Move>> = HashMap::new();
    let mut outcomes_of: HashMap<String, Vec<(String, String, u8)>> = HashMap::new();
    let mut tally = Tally::new();
    let (mut next_link, mut next_record) = (0, 0);
    let mut out = Vec::new();
    let empty: HashMap<String, f64> = HashMap::new();
    for (day, list) in days {
        let Some(d) = day else {
            // undated: each article on its own
            for article in list {
                out.extend(forecast_article(article, &corpus, &[], &[], &empty));
            }
            continue;
        };
        let cut = d.to_string();
        let mut changed: HashSet<String> = HashSet::new();
        while let Some(l) = dated.get(next_link).filter(|l| l.published.as_deref().is_some_and(|p| p < cut.as_str())) {
            let p = player_key(&l.player);
            history.entry(p.clone()).or_default().push((*l).clone());
            changed.insert(p);
            next_link += 1;
        }
        while let Some(m) = records.get(next_record).filter(|m| m.told < d) {
            let p = player_key(&m.player);
            known.entry(p.clone()).or_default().push((*m).clone());
            changed.insert(p);
            next_record += 1;
        }
        let yesterday = d - Duration::days(1);
        for p in changed {
            let links = history.get(&p).map_or(&[][..], Vec::as_slice);
            let moves = known.get(&p).map_or(&[][..], Vec::as_slice);
            let scoring = Scoring { model, credibility: &empty, records: moves, priced: None };
            let now = outcomes(&threads_scored(links, Some(yesterday), Some(yesterday), &scoring));
            if let Some(before) = outcomes_of.insert(p, now.clone()) {
                count(&mut tally, &before, false);
            }
            count(&mut tally, &now, true);
        }
        let sources = credibility_map(&source_records(&tally, tier));
        for article in list {
            let mut players: Vec<String> = article.links.iter().map(|l| player_key(&l.player)).collect();
            players.sort();
            players.dedup();
            let links: Vec<LinkRecord> =
                players.iter().filter_map(|p| history.get(p)).flat_map(|v| v.iter().cloned()).collect();
            let moves: Vec<Move> =
                players.iter().filter_map(|p| known.get(p)).flat_map(|v| v.iter().cloned()).collect();
            out.extend(forecast_article(article, &corpus, &links, &moves, &sources));
        }
    }
    out.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    out
}

/// The nominal day of an undated article's forecast.
const UNDATED_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// What every forecast of a corpus reads besides its history.
struct Corpus<'a> {
    /// Each article's day, to tell whether a copy's original came before it.
    dates: HashMap<&'a str, Option<NaiveDate>>,
    priced: HashSet<(String, String)>,
    model: &'a Model,
    tier: &'a dyn Fn(&str) -> Option<u8>,
}

fn forecast_article(
    article: &Article,
    corpus: &Corpus<'_>,
    history: &[LinkRecord],
    records: &[Move],
    sources: &HashMap<String, f64>,
) -> Vec<Forecast> {
    let Corpus { dates, priced, model, tier } = corpus;
    // the history given is that of the article's players
    let mut links: Vec<LinkRecord> = history.to_vec();
    // an undated article is read on a nominal day of its own (any real day: its history is
    // empty); a copy counts as one only of an original published before its day
    let day = article.date.unwrap_or(UNDATED_DAY);
    links.extend(article.links.iter().cloned().map(|mut l| {
        l.published = Some(day.to_string());
        if l.copy_of.as_ref().is_some_and(|of| dates.get(of.as_str()).is_none_or(|d| d.is_none_or(|d| d >= day))) {
            l.copy_of = None;
        }
        l
    }));
    // sources of this article without a record yet: their tier prior
    let mut credibility = sources.clone();
    for l in &article.links {
        for s in l.sources.iter().chain(&l.article_sources) {
            if let Some(t) = tier(s) {
                credibility.entry(s.to_lowercase()).or_insert_with(|| tier_prior(Some(t)));
            }
        }
    }
    let scoring = Scoring { model, credibility: &credibility, records, priced: Some(priced) };
    let threads = threads_scored(&links, Some(day), Some(day), &scoring);
    let mut seen = HashSet::new();
    article
        .links
        .iter()
        .filter(|l| l.kind == "to")
        .filter(|l| seen.insert((player_key(&l.player), l.club.to_lowercase())))
        .filter_map(|l| {
            let key = player_key(&l.player);
            let t = threads.iter().find(|t| {
                player_key(&t.player) == key
                    && t.club.eq_ignore_ascii_case(&l.club)
                    && t.claims.iter().any(|c| c.article == article.id)
            })?;
            Some(Forecast {
                id: article.id.clone(),
                player: l.player.clone(),
                club: l.club.clone(),
                date: article.date,
                likelihood: (t.likelihood.estimate * 1e4).round() / 1e4,
                status: t.status.as_str().to_string(),
                components: t.likelihood.components.clone(),
                evidence: t.evidence.clone(),
            })
        })
        .collect()
}
