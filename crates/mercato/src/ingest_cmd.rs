//! `mercato ingest`: extract articles in parallel and store them batch by batch.

use crate::cli::{IngestArgs, Outcome};
use crate::extract_cmd::{extract_chunk, next_chunk, setup, successes, Item, CHUNK_ITEMS};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mercato_extract::Extraction;
use mercato_store::{IngestOutcome, NewArticle, SqliteStore, Store};
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::time::{Duration, Instant};

/// About how many articles are written in one transaction. Past ~100,000 stored articles
/// every insert into a random-order index (content hash, date) rewrites a page of it: the
/// more articles a transaction holds, the more of them share each page, the fewer pages
/// are written per article (at 120,000 articles, writes of 256 wrote five times the bytes of
/// writes of 8,192; at 1 M articles, 16,384 rather than 4,096 wrote 1.86 GB instead of 2.35 GB
/// for 20,000 articles). An interrupted run loses at most one write; a re-run skips what is
/// stored.
const WRITE_BATCH: usize = 16384;

/// What a run did.
#[derive(Debug, Default)]
struct Tally {
    new: usize,
    unchanged: usize,
    replaced: usize,
    copies: usize,
    failed: usize,
}

/// Opens the database named on the command line, with the path in every error.
pub(crate) fn open_store(path: &Path) -> anyhow::Result<SqliteStore> {
    let mut store = SqliteStore::open(&path.display().to_string())
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    // writes keep each changed player's contradictions for the player report
    store.set_fact_finder(mercato_answers::fact_finder());
    Ok(store)
}

/// How many articles the inputs hold, when that is cheap to know (files and directories;
/// not standard input): for the progress bar's rate and ETA.
fn count_items(inputs: &[String]) -> Option<u64> {
    let mut total = 0u64;
    for input in inputs {
        if input == "-" {
            return None;
        }
        let path = Path::new(input);
        let files: Vec<std::path::PathBuf> = if path.is_dir() {
            std::fs::read_dir(path).ok()?.filter_map(|e| e.ok().map(|e| e.path())).collect()
        } else {
            vec![path.to_path_buf()]
        };
        for f in files {
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            total += match ext {
                "jsonl" | "ndjson" | "json" => non_blank_lines(&f)?,
                "txt" | "text" | "html" | "htm" => 1,
                // a feed's items are only known once it is parsed
                "xml" | "rss" | "atom" => return None,
                _ => 0,
            };
        }
    }
    Some(total)
}

/// Lines with something on them, counted on the bytes (no line is decoded or kept).
fn non_blank_lines(path: &Path) -> Option<u64> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut lines, mut has_content) = (0u64, false);
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        for b in &buf[..n] {
            if *b == b'\n' {
                lines += u64::from(has_content);
                has_content = false;
            } else if !b.is_ascii_whitespace() {
                has_content = true;
            }
        }
    }
    Some(lines + u64::from(has_content))
}

fn progress_bar(inputs: &[String]) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match count_items(inputs) {
        Some(total) => {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {human_pos}/{human_len} articles, {per_sec}, ETA {eta} {msg}")
            {
                bar.set_style(style);
            }
            bar
        }
        None => {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {human_pos} articles, {per_sec} {msg}") {
                bar.set_style(style);
            }
            bar
        }
    };
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Runs `mercato ingest`.
pub fn run(args: &IngestArgs, verbose: bool) -> anyhow::Result<Outcome> {
    let (extractor, pool, limits) = setup(&args.run, verbose)?;
    let mut store = open_store(&args.db.db)?;
    let progress = progress_bar(&args.inputs);
    let started = Instant::now();
    let mut tally = Tally::default();
    // Extraction runs on the pool while this thread writes what was extracted before it (a
    // channel of about two writes' worth of chunks keeps memory bounded and both busy).
    let (send, receive) = std::sync::mpsc::sync_channel::<(Vec<Item>, Vec<Option<Result<Extraction, String>>>)>(
        WRITE_BATCH / CHUNK_ITEMS + 2,
    );
    let inputs = args.inputs.clone();
    let write_result = std::thread::scope(|scope| -> anyhow::Result<()> {
        let extractor = &extractor;
        let pool = &pool;
        scope.spawn(move || {
            let mut items = inputs.iter().flat_map(|input| mercato_read::open(input, limits));
            loop {
                let chunk: Vec<Item> = next_chunk(&mut items);
                if chunk.is_empty() {
                    break;
                }
                let results = extract_chunk(pool, extractor, &chunk);
                if send.send((chunk, results)).is_err() {
                    break; // the writer stopped on an error
                }
            }
        });
        // what the first write needs from the database is loaded while the first batch is
        // extracted
        store.prepare_writes().with_context(|| format!("cannot read {}", args.db.db.display()))?;
        let mut receive = receive.into_iter().peekable();
        while receive.peek().is_some() {
            // chunks are written together, about WRITE_BATCH articles a transaction
            let mut chunks: Vec<Vec<Item>> = Vec::new();
            let mut extracted = Vec::new();
            let mut n = 0;
            while n < WRITE_BATCH {
                let Some((chunk, results)) = receive.next() else { break };
                n += chunk.len();
                chunks.push(chunk);
                extracted.push(results);
            }
            let mut good: Vec<(&mercato_read::RawArticle, Extraction)> = Vec::with_capacity(n);
            for (chunk, results) in chunks.iter().zip(extracted) {
                good.extend(successes(chunk, results, &progress, &mut tally.failed));
            }
            // the stored extraction keeps links, sources and facts; every time expression
            // would double its size (`mercato extract --times` shows them)
            for (_, extraction) in &mut good {
                extraction.times.clear();
            }
            let batch: Vec<NewArticle<'_>> = good
                .iter()
                .map(|(article, extraction)| NewArticle {
                    id: &article.id,
                    text: &article.text,
                    url: article.url.as_deref(),
                    extraction,
                })
                .collect();
            let outcomes = store.ingest(&batch).with_context(|| format!("cannot write to {}", args.db.db.display()))?;
            for outcome in outcomes {
                match outcome {
                    IngestOutcome::New => tally.new += 1,
                    IngestOutcome::Unchanged => tally.unchanged += 1,
                    IngestOutcome::Replaced => tally.replaced += 1,
                    IngestOutcome::Copy { .. } => tally.copies += 1,
                }
            }
            progress.inc(n as u64);
        }
        Ok(())
    });
    write_result?;
    progress.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let stored = tally.new + tally.replaced + tally.copies;
    eprintln!(
        "mercato: {} new, {} unchanged, {} replaced, {} copies of earlier articles, {} failed; {:.2} s ({:.0} articles/s) into {}",
        tally.new,
        tally.unchanged,
        tally.replaced,
        tally.copies,
        tally.failed,
        secs,
        if secs > 0.0 { (stored + tally.unchanged) as f64 / secs } else { 0.0 },
        args.db.db.display()
    );
    Ok(if tally.failed == 0 { Outcome::Ok } else { Outcome::Failed })
}
