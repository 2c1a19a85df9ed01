//! The reading commands: `player`, `club`, `rumours`, `contradictions`, `search`,
//! `article`. Human tables by default, JSON with `--json`.

use crate::cli::{ArticleArgs, KbArgs, NamedQuery, Outcome, ReadArgs, RumoursArgs, SearchArgs, SourcesArgs};
use crate::ingest_cmd::open_store;
use mercato_store::{Query, SqliteStore, Store};
use mercato_threads::{
    contradictions as find_contradictions, date as day, moves, Contradiction, Model, Move, Scoring, Thread,
};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

/// What scores the threads of a read: the shipped model, the sources' credibility as of
/// the read's day, and the completed transfers known by then.
struct Context {
    credibility: HashMap<String, f64>,
    records: Vec<Move>,
}

/// The credibility of every source as of the read's day (its record, else its KB tier
/// prior), kept in the store until the next write: it needs every thread of the store.
fn source_credibility(store: &SqliteStore, read: &ReadArgs) -> anyhow::Result<HashMap<String, f64>> {
    let key = format!("credibility@{}", read.as_of.as_deref().unwrap_or("latest"));
    if let Some(json) = store.derived(&key)? {
        if let Ok(map) = serde_json::from_str(&json) {
            return Ok(map);
        }
    }
    let kb = crate::kb_cmd::load(&KbArgs { layers: Vec::new() })?.kb;
    let records = source_records(store, read, &kb)?;
    let map = mercato_threads::credibility_map(&records);
    // a read-only database file keeps nothing, and the answer is the same
    let _ = store.keep_derived(&key, &serde_json::to_string(&map)?);
    Ok(map)
}

/// Every source's record as of the read's day.
fn source_records(
    store: &SqliteStore,
    read: &ReadArgs,
    kb: &mercato_kb::Kb,
) -> anyhow::Result<Vec<mercato_threads::SourceRecord>> {
    let links = store.links(&Query { as_of: read.as_of.clone(), ..Query::default() })?;
    let empty = HashMap::new();
    let ctx = Context { credibility: empty, records: transfer_moves(store, read, None, &links)? };
    let threads = fold_with(&links, read, store, &ctx)?;
    let tier = |name: &str| kb.sources.iter().find(|s| s.name.eq_ignore_ascii_case(name)).and_then(|s| s.tier);
    Ok(mercato_threads::credibility(&threads, &tier))
}

/// Completed transfers known by the read's day, of one player or of everyone in `links`.
fn transfer_moves(
    store: &SqliteStore,
    read: &ReadArgs,
    player: Option<&str>,
    links: &[mercato_store::LinkRecord],
) -> anyhow::Result<Vec<Move>> {
    let records = store.transfers(player, read.as_of.as_deref())?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let players = links.iter().map(|l| l.player.as_str());
    let clubs = links.iter().map(|l| l.club.as_str());
    Ok(mercato_forecast::transfers::align(mercato_forecast::transfers::moves(&records), players, clubs))
}

/// The threads of `links` for a read, scored with the sources' credibility and the known
/// transfers; `player` names the one player of the links, if there is one.
fn fold(
    links: &[mercato_store::LinkRecord],
    read: &ReadArgs,
    store: &SqliteStore,
    player: Option<&str>,
) -> anyhow::Result<Vec<Thread>> {
    let ctx =
        Context { credibility: source_credibility(store, read)?, records: transfer_moves(store, read, player, links)? };
    fold_with(links, read, store, &ctx)
}

/// The threads of `links` for a read: as of `--as-of`, judged (staleness, buzz) against
/// that day, else against the latest stated publication date in the store, so every
/// command judges by the same day.
fn fold_with(
    links: &[mercato_store::LinkRecord],
    read: &ReadArgs,
    store: &SqliteStore,
    ctx: &Context,
) -> anyhow::Result<Vec<Thread>> {
    let as_of = day(read.as_of.as_deref());
    // without --as-of, "now" is the latest day the store knows of: its latest stated
    // publication date, or the latest transfer record if that is later
    let now = match as_of {
        Some(d) => Some(d),
        None => day(store.latest_published()?.as_deref()).max(ctx.records.iter().map(|m| m.told).max()),
    };
    let scoring = Scoring { model: Model::shipped(), credibility: &ctx.credibility, records: &ctx.records };
    Ok(mercato_threads::threads_scored(links, as_of, now, &scoring))
}

fn print_json<T: Serialize>(value: &T) -> anyhow::Result<Outcome> {
    let mut out = stdout();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(Outcome::Ok)
}

/// Buffered standard output (a timeline can run to thousands of lines).
fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

fn likelihood_str(t: &Thread) -> String {
    t.likelihood.value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.2}"))
}

fn cut(s: &str, n: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= n {
        flat
    } else {
        format!("{}…", flat.chars().take(n - 1).collect::<String>())
    }
}

fn write_threads(out: &mut impl Write, threads: &[Thread]) -> std::io::Result<()> {
    if threads.is_empty() {
        return writeln!(out, "  (none)");
    }
    writeln!(
        out,
        "  {:<11} {:>10}  {:<24} {:<24} {:<11} {:>7}  first .. last",
        "status", "likelihood", "player", "club", "stage", "reports"
    )?;
    for t in threads {
        writeln!(
            out,
            "  {:<11} {:>10}  {:<24} {:<24} {:<11} {:>7}  {} .. {}",
            t.status.as_str(),
            likelihood_str(t),
            cut(&t.player, 24),
            cut(&t.club, 24),
            t.stage.as_deref().unwrap_or("-"),
            t.independent_reports,
            t.first,
            t.last
        )?;
        if let Some(m) = &t.resolved_by {
            writeln!(out, "  {:>24}  by the move to {} ({}, article {})", "", m.club, m.date(), m.article)?;
        }
        if let Some(note) = &t.likelihood.note {
            writeln!(out, "  {:>24}  likelihood: {note}", "")?;
        }
        if t.status.is_live() || t.status == mercato_threads::Status::Denied {
            // each term's effect on the log-odds; terms with no effect are left out
            let parts: Vec<String> = t
                .likelihood
                .components
                .iter()
                .filter_map(|c| match c.effect {
                    Some(e) if c.name == "base" => Some(format!("base {:+.2}", e)),
                    Some(e) if e.abs() >= 0.005 => Some(format!("{} {:+.2}", c.name, e)),
                    _ => None,
                })
                .collect();
            writeln!(out, "  {:>24}  log-odds: {}", "", parts.join(", "))?;
        }
    }
    Ok(())
}

fn write_moves(out: &mut impl Write, moves: &[Move]) -> std::io::Result<()> {
    if moves.is_empty() {
        return writeln!(out, "  (none)");
    }
    for m in moves {
        let when = m.when.map_or_else(|| format!("by {}", m.told), |[a, b]| format!("{a} .. {b}"));
        writeln!(
            out,
            "  {:<26} {:<26} {:<5} [{}] \"{}\"",
            when,
            cut(&m.club, 26),
            m.kind,
            m.article,
            cut(&m.evidence, 90)
        )?;
    }
    Ok(())
}

fn write_contradictions(out: &mut impl Write, list: &[Contradiction]) -> std::io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "  (none)");
    }
    for c in list {
        let club = c.club.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        writeln!(out, "  {} {}{}:", c.subject, c.attribute, club)?;
        for s in &c.sides {
            let stated = s.stated.as_deref().map(|t| format!(" from \"{t}\"")).unwrap_or_default();
            writeln!(
                out,
                "    {} {}{}  [{} {}] \"{}\"",
                s.value,
                s.currency.as_deref().unwrap_or(""),
                stated,
                s.article,
                s.published.as_deref().unwrap_or("undated"),
                cut(&s.evidence, 90)
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct PlayerReport {
    player: String,
    as_of: Option<String>,
    moves: Vec<Move>,
    threads: Vec<Thread>,
    timeline: Vec<mercato_store::LinkRecord>,
    contradictions: Vec<Contradiction>,
}

/// `mercato player NAME`.
pub fn player(q: &NamedQuery) -> anyhow::Result<Outcome> {
    let store = open_store(&q.read.db.db)?;
    let query = Query { player: Some(q.name.clone()), as_of: q.read.as_of.clone(), ..Query::default() };
    let links = store.links(&query)?;
    if links.is_empty() {
        eprintln!(
            "mercato: no stored claim about a player named {:?}{}; try `mercato search {:?}`",
            q.name,
            as_of_note(&q.read),
            q.name
        );
        return Ok(Outcome::Failed);
    }
    let name = links[0].player.clone();
    let mut career = moves(&links);
    career.extend(transfer_moves(&store, &q.read, Some(&name), &links)?);
    career.sort_by_key(|m| (m.date(), m.told));
    let report = PlayerReport {
        player: name.clone(),
        as_of: q.read.as_of.clone(),
        moves: career,
        threads: fold(&links, &q.read, &store, Some(&name))?,
        contradictions: find_contradictions(&store.facts(&query)?),
        timeline: links,
    };
    if q.read.json {
        return print_json(&report);
    }
    let mut out = stdout();
    writeln!(out, "{name}{}", as_of_note(&q.read))?;
    writeln!(out, "\nMoves (completed, as the articles tell them):")?;
    write_moves(&mut out, &report.moves)?;
    writeln!(out, "\nRumour threads (live first, most likely first):")?;
    write_threads(&mut out, &report.threads)?;
    writeln!(out, "\nTimeline:")?;
    for l in &report.timeline {
        let via = if l.sources.is_empty() { String::new() } else { format!(" via {}", l.sources.join(", ")) };
        let date = l.published.as_deref().unwrap_or("undated");
        let inferred = if l.date_inferred { "~" } else { " " };
        let copy = l.copy_of.as_deref().map(|c| format!(" (copy of {c})")).unwrap_or_default();
        writeln!(
            out,
            "  {inferred}{date}  {:<6} {:<24} {:<11}{via}  [{}]{copy}",
            l.kind,
            cut(&l.club, 24),
            l.stage.as_deref().unwrap_or(""),
            l.article
        )?;
    }
    writeln!(out, "\nContradictions:")?;
    write_contradictions(&mut out, &report.contradictions)?;
    writeln!(out, "\n(~ marks a date inferred from the text)")?;
    out.flush()?;
    Ok(Outcome::Ok)
}

fn as_of_note(read: &ReadArgs) -> String {
    read.as_of.as_deref().map(|d| format!(" (as of {d})")).unwrap_or_default()
}

#[derive(Serialize)]
struct ClubReport {
    club: String,
    as_of: Option<String>,
    incoming: Vec<Thread>,
    outgoing: Vec<Thread>,
}

/// `mercato club NAME`: threads towards the club, and the threads of players said to be
/// leaving it.
pub fn club(q: &NamedQuery) -> anyhow::Result<Outcome> {
    let store = open_store(&q.read.db.db)?;
    let query = Query { club: Some(q.name.clone()), as_of: q.read.as_of.clone(), ..Query::default() };
    let links = store.links(&query)?;
    if links.is_empty() {
        eprintln!("mercato: no stored claim about a club named {:?}{}", q.name, as_of_note(&q.read));
        return Ok(Outcome::Failed);
    }
    let name = links[0].club.clone();
    // Each player's threads need all his claims (a move elsewhere resolves them).
    let mut players: Vec<String> = links.iter().map(|l| l.player.clone()).collect();
    players.sort();
    players.dedup();
    let (mut incoming, mut outgoing) = (Vec::new(), Vec::new());
    for player in players {
        // when he was reported leaving this club: his other threads from then on are outgoing
        let leaving_since = links
            .iter()
            .filter(|l| l.player == player && l.kind == "from")
            .filter_map(|l| day(l.published.as_deref()))
            .min();
        let theirs =
            store.links(&Query { player: Some(player.clone()), as_of: q.read.as_of.clone(), ..Query::default() })?;
        for t in fold(&theirs, &q.read, &store, Some(&player))? {
            if t.club.eq_ignore_ascii_case(&name) {
                incoming.push(t);
            } else if leaving_since
                .is_some_and(|d| t.last >= d - chrono::Duration::days(mercato_threads::EPISODE_GAP_DAYS))
            {
                outgoing.push(t);
            }
        }
    }
    let report = ClubReport { club: name.clone(), as_of: q.read.as_of.clone(), incoming, outgoing };
    if q.read.json {
        return print_json(&report);
    }
    let mut out = stdout();
    writeln!(out, "{name}{}", as_of_note(&q.read))?;
    writeln!(out, "\nIncoming (players linked with {name}):")?;
    write_threads(&mut out, &report.incoming)?;
    writeln!(out, "\nOutgoing (players said to be leaving {name}, and where to):")?;
    write_threads(&mut out, &report.outgoing)?;
    Ok(Outcome::Ok)
}

/// `mercato rumours`.
pub fn rumours(args: &RumoursArgs) -> anyhow::Result<Outcome> {
    let store = open_store(&args.read.db.db)?;
    let links = store.links(&Query { as_of: args.read.as_of.clone(), ..Query::default() })?;
    let since = day(args.since.as_deref());
    let list: Vec<Thread> = fold(&links, &args.read, &store, None)?
        .into_iter()
        .filter(|t| args.all || t.status.is_live())
        .filter(|t| since.is_none_or(|s| t.last >= s))
        .filter(|t| args.min_likelihood.is_none_or(|m| t.likelihood.value.is_some_and(|v| v >= m)))
        .collect();
    if args.read.json {
        return print_json(&list);
    }
    let mut out = stdout();
    writeln!(out, "Rumour threads{}: {}", as_of_note(&args.read), list.len())?;
    write_threads(&mut out, &list)?;
    Ok(Outcome::Ok)
}

/// `mercato contradictions`.
pub fn contradictions(args: &ReadArgs) -> anyhow::Result<Outcome> {
    let store = open_store(&args.db.db)?;
    let facts = store.facts(&Query { as_of: args.as_of.clone(), ..Query::default() })?;
    let list = find_contradictions(&facts);
    if args.json {
        return print_json(&list);
    }
    let mut out = stdout();
    writeln!(out, "Contradictions{}: {}", as_of_note(args), list.len())?;
    write_contradictions(&mut out, &list)?;
    Ok(Outcome::Ok)
}

/// `mercato sources`.
pub fn sources(args: &SourcesArgs) -> anyhow::Result<Outcome> {
    let store = open_store(&args.read.db.db)?;
    let kb = crate::kb_cmd::load(&args.kb)?.kb;
    let records = source_records(&store, &args.read, &kb)?;
    if args.read.json {
        return print_json(&records);
    }
    let mut out = stdout();
    writeln!(out, "Source credibility{}: {} source(s)", as_of_note(&args.read), records.len())?;
    writeln!(
        out,
        "  {:<30} {:>4} {:>6} {:>5} {:>7} {:>5} {:>12}  90% interval",
        "source", "tier", "prior", "hits", "misses", "open", "credibility"
    )?;
    for r in &records {
        let tier = r.tier.map_or_else(|| "-".to_string(), |t| t.to_string());
        writeln!(
            out,
            "  {:<30} {:>4} {:>6.2} {:>5} {:>7} {:>5} {:>12.2}  {:.2} .. {:.2}{}",
            cut(&r.source, 30),
            tier,
            r.prior,
            r.hits,
            r.misses,
            r.open,
            r.credibility,
            r.interval.0,
            r.interval.1,
            if r.note.is_some() { "  (insufficient data: prior only)" } else { "" }
        )?;
        for c in &r.by_club {
            writeln!(out, "      on {}: {} hits, {} misses, {:.2}", c.club, c.hits, c.misses, c.credibility)?;
        }
    }
    Ok(Outcome::Ok)
}

/// `mercato search TEXT`.
pub fn search(args: &SearchArgs) -> anyhow::Result<Outcome> {
    let store = open_store(&args.read.db.db)?;
    let hits = store.search(&args.text, &Query { as_of: args.read.as_of.clone(), ..Query::default() }, args.limit)?;
    if args.read.json {
        return print_json(&hits);
    }
    let mut out = stdout();
    if hits.is_empty() {
        writeln!(out, "no article matches {:?}", args.text)?;
    }
    for h in &hits {
        writeln!(out, "{}  {}  {}", h.article, h.published.as_deref().unwrap_or("undated"), cut(&h.snippet, 160))?;
    }
    Ok(Outcome::Ok)
}

/// `mercato article ID`.
pub fn article(args: &ArticleArgs) -> anyhow::Result<Outcome> {
    let store = open_store(&args.db.db)?;
    let Some(a) = store.article(&args.id)? else {
        eprintln!("mercato: no article {:?} in {}", args.id, args.db.db.display());
        return Ok(Outcome::Failed);
    };
    if args.json {
        return print_json(&a);
    }
    let mut out = stdout();
    writeln!(out, "{}  published {} ({})", a.id, a.published.as_deref().unwrap_or("unknown"), a.published_how)?;
    if let Some(url) = &a.url {
        writeln!(out, "  {url}")?;
    }
    if let Some(of) = &a.copy_of {
        writeln!(out, "  a copy of {of}")?;
    }
    let x = &a.extraction;
    let empty = Vec::new();
    for link in x["links"].as_array().unwrap_or(&empty) {
        let (start, end) =
            (link["evidence"]["start"].as_u64().unwrap_or(0), link["evidence"]["end"].as_u64().unwrap_or(0));
        let evidence = a.text.get(start as usize..end as usize).unwrap_or("");
        writeln!(
            out,
            "  {:<6} {} → {}  {}",
            link["kind"].as_str().unwrap_or(""),
            link["player"].as_str().unwrap_or(""),
            link["club"].as_str().unwrap_or(""),
            link["stage"].as_str().unwrap_or("")
        )?;
        writeln!(out, "         >> {} <<  (bytes {start}..{end})", cut(evidence, 200))?;
    }
    for fact in x["facts"].as_array().unwrap_or(&empty) {
        writeln!(
            out,
            "  fact   {} {} = {}",
            fact["subject"].as_str().unwrap_or(""),
            fact["attribute"].as_str().unwrap_or(""),
            fact["value"].as_str().unwrap_or("")
        )?;
    }
    let sources: Vec<&str> = x["sources"].as_array().unwrap_or(&empty).iter().filter_map(|s| s.as_str()).collect();
    if !sources.is_empty() {
        writeln!(out, "  sources {}", sources.join(", "))?;
    }
    Ok(Outcome::Ok)
}
