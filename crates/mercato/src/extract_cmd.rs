//! `mercato extract`: read articles in bounded chunks, extract each chunk in parallel,
//! write the results in input order.

use crate::cli::{ExtractArgs, Outcome, RunArgs};
use crate::kb_cmd;
use crate::output::{is_broken_pipe, Sink};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mercato_extract::{ArticleInput, Extraction, Extractor};
use mercato_read::{Limits, RawArticle, ReadError};
use rayon::prelude::*;
use std::io::{self, BufWriter, IsTerminal};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Most articles held in memory at once.
pub(crate) const CHUNK_ITEMS: usize = 256;
/// Most article text held in memory at once (a chunk closes early past this).
const CHUNK_BYTES: usize = 32 * 1024 * 1024;

pub(crate) type Item = Result<RawArticle, ReadError>;

/// Counts of a run.
#[derive(Debug, Default)]
struct Tally {
    ok: usize,
    failed: usize,
    bytes: usize,
}

/// The extractor over the chosen KB, the worker pool and the reading limits of a run.
pub(crate) fn setup(args: &RunArgs, verbose: bool) -> anyhow::Result<(Extractor, rayon::ThreadPool, Limits)> {
    let loaded = kb_cmd::load(&args.kb)?;
    if verbose {
        kb_cmd::report_load(&loaded);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    Ok((Extractor::new(loaded.kb), pool, Limits { max_article_bytes: args.max_article_bytes }))
}

/// Extracts a chunk on the pool: one result per item (`None` for an item that could not
/// be read).
pub(crate) fn extract_chunk(
    pool: &rayon::ThreadPool,
    extractor: &Extractor,
    chunk: &[Item],
) -> Vec<Option<Result<Extraction, String>>> {
    pool.install(|| chunk.par_iter().map(|item| item.as_ref().ok().map(|a| extract_one(extractor, a))).collect())
}

/// The articles of a chunk that were read and extracted, with their extractions; every
/// other item is reported on stderr (above the progress bar) and counted in `failed`.
pub(crate) fn successes<'a>(
    chunk: &'a [Item],
    results: Vec<Option<Result<Extraction, String>>>,
    progress: &ProgressBar,
    failed: &mut usize,
) -> Vec<(&'a RawArticle, Extraction)> {
    let mut out = Vec::with_capacity(chunk.len());
    for (item, result) in chunk.iter().zip(results) {
        match (item, result) {
            (Ok(article), Some(Ok(extraction))) => out.push((article, extraction)),
            (Ok(article), Some(Err(why))) => {
                *failed += 1;
                progress.suspend(|| eprintln!("mercato: {}: extraction failed: {why}", article.id));
            }
            (Err(err), _) => {
                *failed += 1;
                progress.suspend(|| eprintln!("mercato: {err}"));
            }
            // An Ok item always has a result; nothing to do otherwise.
            (Ok(_), None) => {}
        }
    }
    out
}

/// Runs `mercato extract`.
pub fn run(args: &ExtractArgs, verbose: bool) -> anyhow::Result<Outcome> {
    let (mut extractor, pool, limits) = setup(&args.run, verbose)?;
    if args.hide_dates {
        extractor = extractor.hiding_dates();
    }
    let inputs: Vec<String> = if args.inputs.is_empty() { vec!["-".to_string()] } else { args.inputs.clone() };
    let progress = progress_bar(&inputs);
    let mut items = inputs.iter().flat_map(|input| mercato_read::open(input, limits));

    let started = Instant::now();
    let mut tally = Tally::default();
    let out = BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    let written = write_all(&mut items, &extractor, &pool, args, &progress, &mut tally, out);
    progress.finish_and_clear();
    match written {
        Ok(()) => {}
        // The reader of our output has gone (`| head`): a clean stop.
        Err(err) if is_broken_pipe(&err) => {}
        Err(err) => return Err(err).context("cannot write the output"),
    }
    if verbose {
        summary(&tally, started.elapsed());
    }
    Ok(if tally.failed == 0 { Outcome::Ok } else { Outcome::Failed })
}

fn write_all(
    items: &mut impl Iterator<Item = Item>,
    extractor: &Extractor,
    pool: &rayon::ThreadPool,
    args: &ExtractArgs,
    progress: &ProgressBar,
    tally: &mut Tally,
    out: impl io::Write,
) -> io::Result<()> {
    let mut sink = Sink::begin(out, args.format)?;
    loop {
        let chunk = next_chunk(items);
        if chunk.is_empty() {
            break;
        }
        let results = extract_chunk(pool, extractor, &chunk);
        for (article, mut extraction) in successes(&chunk, results, progress, &mut tally.failed) {
            if !args.times {
                extraction.times.clear();
            }
            tally.ok += 1;
            tally.bytes += article.text.len();
            sink.item(&article.text, &extraction)?;
        }
        sink.flush()?;
        progress.inc(chunk.len() as u64);
        progress.set_message(format!("{:.1} MB, {:.0} articles/s", tally.bytes as f64 / 1e6, progress.per_sec()));
    }
    sink.finish()
}

/// Extracts one article, turning a panic in the extractor into an item error so that
/// one bad article cannot lose the rest of the batch.
pub(crate) fn extract_one(extractor: &Extractor, article: &RawArticle) -> Result<Extraction, String> {
    let input = ArticleInput {
        id: &article.id,
        text: &article.text,
        published: article.published.as_deref(),
        url: article.url.as_deref(),
    };
    catch_unwind(AssertUnwindSafe(|| extractor.extract(input))).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string())
    })
}

/// Reads up to [`CHUNK_ITEMS`] items or about [`CHUNK_BYTES`] of text.
pub(crate) fn next_chunk(items: &mut impl Iterator<Item = Item>) -> Vec<Item> {
    let mut chunk = Vec::with_capacity(CHUNK_ITEMS);
    let mut bytes = 0;
    for item in items.by_ref() {
        if let Ok(article) = &item {
            bytes += article.text.len();
        }
        chunk.push(item);
        if chunk.len() >= CHUNK_ITEMS || bytes >= CHUNK_BYTES {
            break;
        }
    }
    chunk
}

/// A spinner on stderr when a person is watching and the input is files; hidden
/// otherwise (pipes, CI, standard input).
fn progress_bar(inputs: &[String]) -> ProgressBar {
    if !io::stderr().is_terminal() || inputs.iter().any(|i| i == "-") {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {human_pos} articles, {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn summary(tally: &Tally, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { tally.ok as f64 / secs } else { 0.0 };
    eprintln!(
        "mercato: {} article(s) extracted, {} failed, {:.1} MB in {:.2} s ({:.0} articles/s)",
        tally.ok,
        tally.failed,
        tally.bytes as f64 / 1e6,
        secs,
        rate
    );
}
