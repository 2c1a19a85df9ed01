//! `mercato transfers import` and `mercato forecast`.

use crate::cli::{DbArgs, ForecastArgs, Outcome};
use crate::extract_cmd::{extract_chunk, next_chunk, setup, successes};
use crate::ingest_cmd::open_store;
use anyhow::Context;
use indicatif::ProgressBar;
use mercato_forecast::transfers::{self, Parsed};
use mercato_forecast::{evaluate, forecast, read_outcomes, Article, Report};
use mercato_store::{NewArticle, Query, SqliteStore, Store, TransferRecord};
use mercato_threads::Model;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads transfer files, reporting what each one skipped; a file that cannot be read at
/// all is an error.
fn read_transfers(files: &[PathBuf]) -> anyhow::Result<Vec<TransferRecord>> {
    let mut records = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the transfers file {}", file.display()))?;
        let origin = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let parsed: Parsed = transfers::parse(&text, &origin)?;
        eprintln!(
            "mercato: {}: {} transfer(s); skipped {} loan return(s), {} re-signing(s), {} move(s) to no club, {} bad row(s)",
            file.display(),
            parsed.records.len(),
            parsed.loan_returns,
            parsed.re_signings,
            parsed.pseudo_clubs,
            parsed.bad_rows.len()
        );
        for why in parsed.bad_rows.iter().take(5) {
            eprintln!("mercato: {}: {why}", file.display());
        }
        records.extend(parsed.records);
    }
    Ok(records)
}

/// `mercato transfers import FILE...`.
pub fn import(files: &[PathBuf], db: &DbArgs) -> anyhow::Result<Outcome> {
    let records = read_transfers(files)?;
    let mut store = open_store(&db.db)?;
    let mut added = 0;
    // batches keep each transaction (and what a crash can lose) small
    for batch in records.chunks(20_000) {
        added += store.import_transfers(batch).context("cannot store the transfers")?;
    }
    eprintln!(
        "mercato: {added} new transfer(s) stored in {} ({} already there)",
        db.db.display(),
        records.len() - added
    );
    Ok(Outcome::Ok)
}

/// `mercato forecast`.
pub fn run(args: &ForecastArgs, verbose: bool) -> anyhow::Result<Outcome> {
    let (extractor, pool, limits) = setup(&args.run, verbose)?;
    // the extractor's KB gives the tiers: loaded once
    let kb = extractor.kb();
    let tier = |name: &str| kb.source_tier(name);
    let outcomes = match &args.evaluate {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the outcomes file {}", path.display()))?;
            Some(read_outcomes(&text).with_context(|| format!("in {}", path.display()))?)
        }
        None => None,
    };
    let records = read_transfers(&args.transfers)?;

    // extract everything, then store it oldest first, so that a copy always points to an
    // earlier article and never tells a forecast about a later one
    let mut items = args.inputs.iter().flat_map(|input| mercato_read::open(input, limits));
    let mut read = Vec::new();
    let mut failed = 0;
    let progress = ProgressBar::hidden();
    loop {
        let chunk = next_chunk(&mut items);
        if chunk.is_empty() {
            break;
        }
        let results = extract_chunk(&pool, &extractor, &chunk);
        for (article, extraction) in successes(&chunk, results, &progress, &mut failed) {
            read.push((article.id.clone(), article.text.clone(), article.url.clone(), extraction));
        }
    }
    read.sort_by(|a, b| (a.3.published.date.as_deref(), &a.0).cmp(&(b.3.published.date.as_deref(), &b.0)));
    let mut store = SqliteStore::open_in_memory()?;
    for batch in read.chunks(512) {
        let new: Vec<NewArticle<'_>> = batch
            .iter()
            .map(|(id, text, url, extraction)| NewArticle { id, text, url: url.as_deref(), extraction })
            .collect();
        store.ingest(&new)?;
    }
    let mut by_article: BTreeMap<String, Vec<mercato_store::LinkRecord>> = BTreeMap::new();
    for l in store.links(&Query::default())? {
        by_article.entry(l.article.clone()).or_default().push(l);
    }
    let mut facts_of: BTreeMap<String, Vec<mercato_store::FactRecord>> = BTreeMap::new();
    for f in store.facts(&Query::default())? {
        facts_of.entry(f.article.clone()).or_default().push(f);
    }
    let articles: Vec<Article> = read
        .iter()
        .map(|(id, _, _, extraction)| Article {
            id: id.clone(),
            date: mercato_threads::date(extraction.published.date.as_deref()),
            links: by_article.remove(id).unwrap_or_default(),
            facts: facts_of.remove(id).unwrap_or_default(),
        })
        .collect();
    let players = articles.iter().flat_map(|a| a.links.iter().map(|l| l.player.as_str()));
    let moves = transfers::align(transfers::moves(&records), players);
    let forecasts = forecast(&articles, &moves, Model::shipped(), &tier);

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match outcomes {
        None => {
            for f in &forecasts {
                serde_json::to_writer(&mut out, f)?;
                writeln!(out)?;
            }
        }
        Some(outcomes) => {
            let report = evaluate(&forecasts, &outcomes);
            if let Some(plot) = &args.plot {
                write_plot(plot, &report)?;
            }
            if args.json {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                write_report(&mut out, &report)?;
            }
        }
    }
    out.flush()?;
    Ok(if failed == 0 { Outcome::Ok } else { Outcome::Failed })
}

fn write_plot(path: &Path, report: &Report) -> anyhow::Result<()> {
    std::fs::write(path, mercato_forecast::evaluate::svg(report))
        .with_context(|| format!("cannot write the plot {}", path.display()))
}

fn write_report(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    writeln!(out, "Forecasts scored: {} of {} known outcomes (the rest were not extracted)", r.matched, r.outcomes)?;
    writeln!(out, "Base rate (share that happened): {:.3}", r.base_rate)?;
    writeln!(out, "  {:<28} {:>7} {:>7}", "", "AUC", "Brier")?;
    writeln!(out, "  {:<28} {:>7.3} {:>7.3}", "mercato", r.model.auc, r.model.brier)?;
    writeln!(out, "  {:<28} {:>7.3} {:>7.3}", "stage only (extracted stage)", r.stage_only.auc, r.stage_only.brier)?;
    writeln!(out, "  {:<28} {:>7} {:>7.3}", "base rate", "0.500", r.base_rate_brier)?;
    writeln!(out, "\nReliability:")?;
    writeln!(out, "  {:<11} {:>6} {:>14} {:>9}", "forecast", "count", "mean forecast", "happened")?;
    for b in &r.reliability {
        writeln!(out, "  {:.1} .. {:.1} {:>6} {:>14.3} {:>9.3}", b.from, b.to, b.count, b.mean_forecast, b.observed)?;
    }
    Ok(())
}
