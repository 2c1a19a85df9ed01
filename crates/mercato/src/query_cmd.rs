//! The reading commands: `player`, `club`, `rumours`, `contradictions`, `search`,
//! `article`. Human tables by default, JSON with `--json`.

use crate::cli::{
    ArticleArgs, KbArgs, NamedQuery, Outcome, PlayerQuery, ReadArgs, RumoursArgs, SearchArgs, SourcesArgs,
};
use crate::ingest_cmd::open_store;
use mercato_answers::{self as answers, Read, RumourFilter};
use mercato_store::{Query, Store};
use mercato_threads::{Contradiction, Move, Thread};
use serde::Serialize;
use std::io::Write;

/// The read's day for `mercato-answers`.
fn read_of(read: &ReadArgs) -> Read {
    Read { as_of: read.as_of.clone() }
}

/// Source tiers from the default KB, loaded only when an answer needs them (the sources'
/// credibility is kept in the database once computed).
struct LazyTiers(std::cell::OnceCell<mercato_kb::Kb>);

impl LazyTiers {
    fn new() -> Self {
        LazyTiers(std::cell::OnceCell::new())
    }

    fn tier(&self, name: &str) -> Option<u8> {
        let kb = self.0.get_or_init(|| match crate::kb_cmd::load(&KbArgs { layers: Vec::new() }) {
            Ok(loaded) => loaded.kb,
            Err(err) => {
                eprintln!("mercato: {err:#}; source tiers from the starter KB");
                mercato_kb::Kb::starter()
            }
        });
        kb.source_tier(name)
    }
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

/// `mercato player NAME`.
pub fn player(args: &PlayerQuery) -> anyhow::Result<Outcome> {
    let q = &args.query;
    let store = open_store(&q.read.db.db)?;
    let tiers = LazyTiers::new();
    let read = read_of(&q.read);
    // a read of everything from the summaries kept at ingest, bounded; `--all` (or an
    // `--as-of` day) folds every claim
    let report = if args.all {
        answers::player(&store, &q.name, &read, &|s| tiers.tier(s))?
    } else {
        answers::player_latest(&store, &q.name, &read, &|s| tiers.tier(s), answers::Bounds::default())?
    };
    let Some(report) = report else {
        eprintln!(
            "mercato: no stored claim about a player named {:?}{}; try `mercato search {:?}`",
            q.name,
            as_of_note(&q.read),
            q.name
        );
        return Ok(Outcome::Failed);
    };
    let name = report.player.clone();
    if q.read.json {
        return print_json(&report);
    }
    let mut out = stdout();
    writeln!(out, "{name}{}", as_of_note(&q.read))?;
    let left = report.left_out.clone().unwrap_or_default();
    let more = |out: &mut std::io::BufWriter<_>, n: u64, what: &str| -> std::io::Result<()> {
        if n > 0 {
            writeln!(out, "  … {n} more {what} (--all lists them)")?;
        }
        Ok(())
    };
    writeln!(out, "\nMoves (completed, as the articles tell them):")?;
    more(&mut out, left.moves, "earlier moves")?;
    write_moves(&mut out, &report.moves)?;
    writeln!(out, "\nRumour threads (live first, most likely first):")?;
    write_threads(&mut out, &report.threads)?;
    more(&mut out, left.threads, "threads")?;
    writeln!(out, "\nTimeline:")?;
    more(&mut out, left.timeline, "earlier links")?;
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
    more(&mut out, left.contradictions, "contradictions")?;
    writeln!(out, "\n(~ marks a date inferred from the text)")?;
    out.flush()?;
    Ok(Outcome::Ok)
}

fn as_of_note(read: &ReadArgs) -> String {
    read.as_of.as_deref().map(|d| format!(" (as of {d})")).unwrap_or_default()
}

/// `mercato club NAME`: threads towards the club, and the threads of players said to be
/// leaving it.
pub fn club(q: &NamedQuery) -> anyhow::Result<Outcome> {
    let store = open_store(&q.read.db.db)?;
    let tiers = LazyTiers::new();
    let Some(report) = answers::club(&store, &q.name, &read_of(&q.read), &|s| tiers.tier(s))? else {
        eprintln!("mercato: no stored claim about a club named {:?}{}", q.name, as_of_note(&q.read));
        return Ok(Outcome::Failed);
    };
    let name = report.club.clone();
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
    let tiers = LazyTiers::new();
    let filter = RumourFilter { since: args.since.clone(), min_likelihood: args.min_likelihood, all: args.all };
    let list = answers::rumours(&store, &read_of(&args.read), &filter, &|s| tiers.tier(s))?;
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
    let list = answers::contradictions(&store, &read_of(args))?;
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
    let tier = |name: &str| kb.source_tier(name);
    let records = answers::sources(&store, &read_of(&args.read), &tier)?;
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
