//! `mercato watch`: poll feeds, fetch new items' pages, ingest them once, notify.

use crate::cli::{Outcome, WatchArgs};
use crate::extract_cmd::{extract_one, setup};
use crate::ingest_cmd::open_store;
use anyhow::Context;
use mercato_answers::{self as answers, Read};
use mercato_extract::Extractor;
use mercato_read::{feed, html, web, RawArticle};
use mercato_store::{NewArticle, SqliteStore, Store};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// Largest feed or page fetched.
const MAX_FETCH_BYTES: usize = 10 * 1024 * 1024;
/// A failed page is tried again after this, doubling, up to [`MAX_BACKOFF`].
const PAGE_RETRY: Duration = Duration::from_secs(60);
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// When something that failed may be tried again.
#[derive(Debug, Clone, Copy)]
struct Retry {
    next: Instant,
    failures: u32,
}

fn backoff(base: Duration, failures: u32) -> Duration {
    base.saturating_mul(2u32.saturating_pow(failures.saturating_sub(1))).min(MAX_BACKOFF)
}

/// A thread's state, as a webhook tells it.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Event {
    event: &'static str,
    player: String,
    club: String,
    status: String,
    previous_status: Option<String>,
    likelihood: Option<f64>,
    first: String,
    last: String,
}

/// (player, club, first day) -> (status, likelihood, last day)
type Snapshot = BTreeMap<(String, String, String), (String, Option<f64>, String)>;

fn snapshot(store: &SqliteStore, players: &[String], tier: &dyn Fn(&str) -> Option<u8>) -> anyhow::Result<Snapshot> {
    let mut out = Snapshot::new();
    for p in players {
        if let Some(report) = answers::player(store, p, &Read::default(), tier)? {
            for t in report.threads {
                out.insert(
                    (t.player.clone(), t.club.clone(), t.first.to_string()),
                    (t.status.as_str().to_string(), t.likelihood.value, t.last.to_string()),
                );
            }
        }
    }
    Ok(out)
}

fn events(before: &Snapshot, after: &Snapshot) -> Vec<Event> {
    after
        .iter()
        .filter_map(|((player, club, first), (status, likelihood, last))| {
            let previous = before.get(&(player.clone(), club.clone(), first.clone())).map(|b| b.0.clone());
            let event = match &previous {
                None => "thread_created",
                Some(p) if p != status => "status_changed",
                Some(_) => return None,
            };
            Some(Event {
                event,
                player: player.clone(),
                club: club.clone(),
                status: status.clone(),
                previous_status: previous,
                likelihood: *likelihood,
                first: first.clone(),
                last: last.clone(),
            })
        })
        .collect()
}

/// Posts one event, three tries with a short backoff.
fn post(url: &str, event: &Event) -> Result<(), String> {
    let mut last = String::new();
    for attempt in 0..3u32 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(500 * u64::from(attempt)));
        }
        match ureq::post(url).send_json(event) {
            Ok(_) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

/// What one poll of one feed did.
#[derive(Debug, Default)]
struct Poll {
    new: usize,
    failed_pages: usize,
}

struct Watcher<'a> {
    args: &'a WatchArgs,
    extractor: Extractor,
    store: SqliteStore,
    pages: HashMap<(String, String), Retry>,
}

/// The id of the article an item becomes: its link, which names the story whichever feed
/// carries it, else the feed and the item's id (item ids are only unique within a feed).
fn article_id(feed: &str, item: &feed::FeedItem) -> String {
    match &item.link {
        Some(link) if !link.trim().is_empty() => link.trim().to_string(),
        _ => format!("{feed}#{}", item.guid),
    }
}

impl Watcher<'_> {
    /// The article an item becomes: its page's main content, else its own text.
    fn article(&mut self, feed: &str, item: &feed::FeedItem) -> Result<RawArticle, String> {
        let Some(link) = item.link.as_deref().filter(|l| web::is_url(l) && !self.args.no_fetch) else {
            return Ok(RawArticle { id: article_id(feed, item), ..item.article() });
        };
        let bytes = web::fetch(link, MAX_FETCH_BYTES).map_err(|e| e.to_string())?;
        let page = String::from_utf8_lossy(&bytes);
        match html::page(&page, Some(link)) {
            Some(p) => Ok(RawArticle {
                id: article_id(feed, item),
                text: p.text,
                published: p.published.or_else(|| item.published.clone()),
                url: Some(link.to_string()),
            }),
            None => {
                eprintln!("mercato: {feed}: {link}: no article text in the page; the item's own text is used");
                Ok(RawArticle { id: article_id(feed, item), ..item.article() })
            }
        }
    }

    fn poll(&mut self, feed: &str) -> anyhow::Result<Poll> {
        let bytes = web::fetch(feed, MAX_FETCH_BYTES)?;
        let items = feed::parse(&bytes, feed)?;
        let mut poll = Poll::default();
        let mut taken: Vec<(RawArticle, String)> = Vec::new();
        for item in &items {
            if item.guid.is_empty() || self.store.feed_item_seen(feed, &item.guid)? {
                continue;
            }
            let key = (feed.to_string(), item.guid.clone());
            if self.pages.get(&key).is_some_and(|r| r.next > Instant::now()) {
                continue;
            }
            match self.article(feed, item) {
                Ok(a) if !a.text.trim().is_empty() => {
                    self.pages.remove(&key);
                    taken.push((a, item.guid.clone()));
                }
                Ok(_) => {
                    // nothing to read now or later: taken, so it is not fetched at every poll
                    eprintln!("mercato: {feed}: item {}: empty text, skipped", item.guid);
                    self.store.mark_feed_item(feed, &item.guid, None, &chrono::Utc::now().date_naive().to_string())?;
                }
                Err(why) => {
                    poll.failed_pages += 1;
                    let failures = self.pages.get(&key).map_or(1, |r| r.failures + 1);
                    let wait = backoff(PAGE_RETRY, failures);
                    self.pages.insert(key, Retry { next: Instant::now() + wait, failures });
                    let when = if self.args.once { "next run".to_string() } else { format!("in {} s", wait.as_secs()) };
                    eprintln!("mercato: {feed}: item {}: {why}; will retry {when}", item.guid);
                }
            }
        }
        if taken.is_empty() {
            return Ok(poll);
        }
        // an article the extractor fails on is reported and taken (it would fail again);
        // the others go on
        let today = chrono::Utc::now().date_naive().to_string();
        let mut extractions = Vec::with_capacity(taken.len());
        let mut kept = Vec::with_capacity(taken.len());
        for (a, guid) in taken {
            match extract_one(&self.extractor, &a) {
                Ok(x) => {
                    extractions.push(x);
                    kept.push((a, guid));
                }
                Err(why) => {
                    poll.failed_pages += 1;
                    eprintln!("mercato: {feed}: item {guid}: extraction failed: {why}; skipped");
                    self.store.mark_feed_item(feed, &guid, None, &today)?;
                }
            }
        }
        let taken = kept;
        if taken.is_empty() {
            return Ok(poll);
        }
        let mut watched: Vec<String> = if self.args.players.is_empty() {
            extractions.iter().flat_map(|x| x.links.iter().map(|l| l.player.clone())).collect()
        } else {
            self.args.players.clone()
        };
        watched.sort();
        watched.dedup();
        let kb = self.extractor.kb();
        let tier = |s: &str| kb.source_tier(s);
        let before = if self.args.notify.is_some() { snapshot(&self.store, &watched, &tier)? } else { Snapshot::new() };
        let batch: Vec<NewArticle<'_>> = taken
            .iter()
            .zip(&extractions)
            .map(|((a, _), x)| NewArticle { id: &a.id, text: &a.text, url: a.url.as_deref(), extraction: x })
            .collect();
        let outcomes = self.store.ingest(&batch)?;
        for ((a, guid), outcome) in taken.iter().zip(&outcomes) {
            self.store.mark_feed_item(feed, guid, Some(&a.id), &today)?;
            if *outcome != mercato_store::IngestOutcome::Unchanged {
                poll.new += 1;
            }
        }
        if let Some(url) = &self.args.notify {
            let after = snapshot(&self.store, &watched, &tier)?;
            for event in events(&before, &after) {
                if let Err(why) = post(url, &event) {
                    eprintln!("mercato: webhook {url}: {why} ({} {} {})", event.event, event.player, event.club);
                }
            }
        }
        Ok(poll)
    }
}

/// Runs `mercato watch`.
pub fn run(args: &WatchArgs, verbose: bool) -> anyhow::Result<Outcome> {
    let (extractor, _pool, _limits) = setup(&args.run, verbose)?;
    let store = open_store(&args.db.db)?;
    let mut watcher = Watcher { args, extractor, store, pages: HashMap::new() };
    let interval = Duration::from_secs(args.interval.max(1));
    let mut feeds: Vec<(String, Retry)> =
        args.feeds.iter().map(|f| (f.clone(), Retry { next: Instant::now(), failures: 0 })).collect();
    let mut failed = false;
    loop {
        for (feed, retry) in feeds.iter_mut().filter(|(_, r)| r.next <= Instant::now()) {
            match watcher.poll(feed).with_context(|| format!("feed {feed}")) {
                Ok(poll) => {
                    retry.failures = 0;
                    retry.next = Instant::now() + interval;
                    failed |= poll.failed_pages > 0;
                    eprintln!("mercato: {feed}: {} new article(s), {} page(s) failed", poll.new, poll.failed_pages);
                }
                Err(err) => {
                    failed = true;
                    retry.failures += 1;
                    let wait = backoff(interval, retry.failures);
                    retry.next = Instant::now() + wait;
                    let when = if args.once { String::new() } else { format!("; will retry in {} s", wait.as_secs()) };
                    eprintln!("mercato: {err:#}{when}");
                }
            }
        }
        if args.once {
            break;
        }
        let next = feeds.iter().map(|(_, r)| r.next).min().unwrap_or_else(|| Instant::now() + interval);
        std::thread::sleep(next.saturating_duration_since(Instant::now()).max(Duration::from_millis(200)));
    }
    Ok(if failed { Outcome::Failed } else { Outcome::Ok })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let s = Duration::from_secs;
        assert_eq!(backoff(s(60), 1), s(60));
        assert_eq!(backoff(s(60), 3), s(240));
        assert_eq!(backoff(s(60), 30), s(3600));
    }

    #[test]
    fn events_name_new_threads_and_changed_statuses() {
        let key = |club: &str| ("P".to_string(), club.to_string(), "2024-01-01".to_string());
        let val = |status: &str| (status.to_string(), Some(0.5), "2024-01-02".to_string());
        let before = Snapshot::from([(key("Roma"), val("open")), (key("Lazio"), val("open"))]);
        let after =
            Snapshot::from([(key("Roma"), val("completed")), (key("Lazio"), val("open")), (key("Genoa"), val("open"))]);
        let list = events(&before, &after);
        let got: Vec<(&str, &str)> = list.iter().map(|e| (e.event, e.club.as_str())).collect();
        assert_eq!(got, vec![("thread_created", "Genoa"), ("status_changed", "Roma")]);
    }
}
