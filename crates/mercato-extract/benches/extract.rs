//! Extraction and KB-loading benchmarks.
//!
//! Corpus: `$MERCATO_POOL`, else `../shared/corpus/pool.jsonl` beside the repository;
//! when neither exists, the repository's `examples/articles/` directory.
//! KB: `$MERCATO_KB`, else `../shared/kb` beside the repository, else the repository's
//! `kb/` (the starter KB).
//!
//! Run with `cargo bench -p mercato-extract --bench extract`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use mercato_extract::{ArticleInput, Extractor};
use mercato_kb::Kb;
use mercato_read::{Limits, RawArticle};
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared(rel: &str) -> PathBuf {
    repo_root().join("../shared").join(rel)
}

/// The corpus to bench and a label for it.
fn corpus_path() -> (PathBuf, &'static str) {
    if let Some(pool) = std::env::var_os("MERCATO_POOL") {
        return (PathBuf::from(pool), "pool");
    }
    let pool = shared("corpus/pool.jsonl");
    if pool.is_file() {
        return (pool, "pool");
    }
    let examples = repo_root().join("examples/articles");
    eprintln!(
        "bench: no pool corpus at {} (set MERCATO_POOL to bench another); using {}",
        pool.display(),
        examples.display()
    );
    (examples, "examples")
}

/// The KB directory to load: `$MERCATO_KB`, the shared KB, or the repository's.
fn kb_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MERCATO_KB") {
        return PathBuf::from(dir);
    }
    let dir = shared("kb");
    if dir.is_dir() {
        dir
    } else {
        repo_root().join("kb")
    }
}

fn load_articles(path: &Path) -> Vec<RawArticle> {
    if !path.exists() {
        eprintln!("bench: {} does not exist", path.display());
        return Vec::new();
    }
    let input = path.display().to_string();
    mercato_read::open(&input, Limits::default())
        .filter_map(|item| match item {
            Ok(article) => Some(article),
            Err(err) => {
                eprintln!("bench: skipping {err}");
                None
            }
        })
        .collect()
}

fn load_kb(dir: &Path) -> Kb {
    match Kb::load_with_starter(&[dir]) {
        Ok(kb) => kb,
        Err(err) => {
            eprintln!("bench: {err}; using the starter KB");
            Kb::starter()
        }
    }
}

fn bench_extract(c: &mut Criterion) {
    let (path, label) = corpus_path();
    let articles = load_articles(&path);
    if articles.is_empty() {
        eprintln!("bench: no articles in {}; skipping the extraction bench", path.display());
        return;
    }
    let extractor = Extractor::new(load_kb(&kb_dir()));
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    eprintln!("bench: {} articles, {bytes} bytes of text from {}", articles.len(), path.display());

    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function(format!("{label}_single_thread"), |b| {
        b.iter(|| {
            for article in &articles {
                let input = ArticleInput {
                    id: &article.id,
                    text: &article.text,
                    published: article.published.as_deref(),
                    url: article.url.as_deref(),
                };
                black_box(extractor.extract(black_box(input)));
            }
        })
    });
    group.finish();
}

fn bench_kb_load(c: &mut Criterion) {
    let dir = kb_dir();
    if let Err(err) = Kb::load(&[&dir]) {
        eprintln!("bench: cannot load the KB at {}: {err}; skipping the KB bench", dir.display());
        return;
    }
    let mut group = c.benchmark_group("kb");
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| black_box(Kb::load(&[&dir]))));
    group.finish();
}

criterion_group!(benches, bench_extract, bench_kb_load);
criterion_main!(benches);
