//! Store benchmarks on a synthetic corpus: articles recombined from the sentences of
//! `../shared/corpus/pool.jsonl` (or of `examples/articles/` when `../shared` is absent),
//! so they are distinct texts, not copies. Extraction runs once, before timing; the
//! extraction bench is `mercato-extract`'s.
//!
//! `cargo bench -p mercato-store --bench ingest` (`MERCATO_BENCH_ARTICLES`, default 5000).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use mercato_extract::{ArticleInput, Extraction, Extractor};
use mercato_store::{NewArticle, Query, SqliteStore, Store};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Sentences to recombine, and the KB to extract with.
fn sentences() -> (Vec<String>, mercato_kb::Kb) {
    let shared = repo().join("../shared");
    let pool = shared.join("corpus/pool.jsonl");
    let (texts, kb): (Vec<String>, mercato_kb::Kb) = if pool.is_file() {
        let texts = mercato_read::open(&pool.display().to_string(), Default::default())
            .filter_map(Result::ok)
            .map(|a| a.text)
            .collect();
        let kb = mercato_kb::Kb::load_with_starter(&[shared.join("kb")]).unwrap_or_else(|_| mercato_kb::Kb::starter());
        (texts, kb)
    } else {
        eprintln!("bench: ../shared not found; recombining examples/articles with the starter KB");
        let dir = repo().join("examples/articles").display().to_string();
        (
            mercato_read::open(&dir, Default::default()).filter_map(Result::ok).map(|a| a.text).collect(),
            mercato_kb::Kb::starter(),
        )
    };
    let body = |t: &str| mercato_text::header::parse_header(t).map_or(t.to_string(), |h| t[h.body_start..].to_string());
    let sentences = texts
        .iter()
        .flat_map(|t| body(t).split(". ").map(|s| s.trim().to_string()).collect::<Vec<_>>())
        .filter(|s| s.len() > 30)
        .collect();
    (sentences, kb)
}

/// `n` synthetic articles: a date line and 6 to 14 sentences picked by a fixed LCG.
fn corpus(n: usize, sentences: &[String]) -> Vec<(String, String)> {
    let mut state: u64 = 7;
    let mut next = move |m: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m.max(1)
    };
    (0..n)
        .map(|i| {
            let k = 6 + next(9);
            let date = format!("{:04}-{:02}-{:02}", 2015 + next(11), 1 + next(12), 1 + next(28));
            let body: Vec<&str> = (0..k).map(|_| sentences[next(sentences.len())].as_str()).collect();
            (format!("s{i:06}"), format!(" date {date} {}.", body.join(". ")))
        })
        .collect()
}

fn bench_store(c: &mut Criterion) {
    let n: usize = std::env::var("MERCATO_BENCH_ARTICLES").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let (sentences, kb) = sentences();
    if sentences.is_empty() {
        eprintln!("bench: no sentences to recombine; skipping");
        return;
    }
    let articles = corpus(n, &sentences);
    let extractor = Extractor::new(kb);
    let extractions: Vec<Extraction> = articles
        .iter()
        .map(|(id, text)| {
            let mut x = extractor.extract(ArticleInput { id, text, published: None, url: None });
            x.times.clear();
            x
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("mercato-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let db = dir.join("bench.db").display().to_string();
    let fresh = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{db}{suffix}"));
        }
        SqliteStore::open(&db).expect("open the bench database")
    };
    let ingest_all = |store: &mut SqliteStore| {
        for (chunk, xs) in articles.chunks(256).zip(extractions.chunks(256)) {
            let batch: Vec<NewArticle<'_>> =
                chunk.iter().zip(xs).map(|((id, text), x)| NewArticle { id, text, url: None, extraction: x }).collect();
            store.ingest(&batch).expect("ingest");
        }
    };
    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("ingest_{n}_synthetic"), |b| {
        b.iter_batched(fresh, |mut s| ingest_all(&mut s), BatchSize::PerIteration)
    });
    group.finish();
    // queries on the filled database: a player named in few articles
    let mut store = fresh();
    ingest_all(&mut store);
    let links = store.links(&Query::default()).expect("links");
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for l in &links {
        *counts.entry(l.player.as_str()).or_default() += 1;
    }
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    by_count.sort_by_key(|(_, k)| *k);
    if let Some((player, k)) = by_count.get(by_count.len() / 2).copied() {
        let mut group = c.benchmark_group("store");
        group.bench_function(format!("player_links_median_player_{k}_links"), |b| {
            b.iter(|| store.links(&Query { player: Some(player.to_string()), ..Query::default() }).expect("links"))
        });
        group.finish();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
