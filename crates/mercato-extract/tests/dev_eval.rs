//! Accuracy regression guard: extracts the shared gold corpora with the shared KB, scores
//! the output with `../shared/eval/score.py --json` and fails when `links.f1` or
//! `sources.f1` falls below the floors in `tests/dev_floor.json`.
//!
//! The shared directory is `$MERCATO_SHARED`, else `../shared` beside the repository.
//! When it (or `python3`) is missing, each test prints `skipping: ...` on stderr and
//! passes, so the workspace tests still run on a fresh machine.
//!
//! It also measures date inference (every dated article of the shared corpora with its date
//! hidden: the share whose true date falls inside the inferred range, and the median width
//! of the ranges) against the `dates` floors, and checks the seeds' time story.
//!
//! See the measured scores with `cargo test -p mercato-extract --test dev_eval -- --nocapture`.
#![allow(clippy::unwrap_used)]

use mercato_extract::{ArticleInput, Extractor};
use mercato_kb::Kb;
use serde_json::Value;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared_dir() -> PathBuf {
    match std::env::var_os("MERCATO_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => manifest_dir().join("../../../shared"),
    }
}

fn floors() -> Value {
    let path = manifest_dir().join("tests/dev_floor.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: malformed JSON: {err}", path.display()))
}

/// Why the guard cannot run here, if it cannot.
fn missing_prerequisite(shared: &Path) -> Option<String> {
    for needed in ["kb", "eval/score.py"] {
        if !shared.join(needed).exists() {
            return Some(format!(
                "../shared not found ({} is missing; set MERCATO_SHARED to point elsewhere)",
                shared.join(needed).display()
            ));
        }
    }
    let python = Command::new("python3").arg("--version").output();
    if !python.is_ok_and(|out| out.status.success()) {
        return Some("python3 not found on PATH".to_string());
    }
    None
}

/// The extractor over the shared KB, loaded once for all tests of this file.
fn shared_extractor(shared: &Path) -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        let kb_dir = shared.join("kb");
        let kb =
            Kb::load_with_starter(&[&kb_dir]).unwrap_or_else(|err| panic!("cannot load {}: {err}", kb_dir.display()));
        Extractor::new(kb)
    })
}

/// Extracts `corpus` into a JSON Lines file and returns the score summary of score.py.
fn extract_and_score(shared: &Path, corpus: &Path, set_name: &str) -> Value {
    let extractor = shared_extractor(shared);
    let out_path = std::env::temp_dir().join(format!("mercato-dev-eval-{}-{set_name}.jsonl", std::process::id()));
    {
        let file = std::fs::File::create(&out_path)
            .unwrap_or_else(|err| panic!("cannot create {}: {err}", out_path.display()));
        let mut out = BufWriter::new(file);
        for item in mercato_read::open(&corpus.display().to_string(), Default::default()) {
            let article = item.unwrap_or_else(|err| panic!("bad corpus item: {err}"));
            let extraction = extractor.extract(ArticleInput {
                id: &article.id,
                text: &article.text,
                published: article.published.as_deref(),
                url: article.url.as_deref(),
            });
            serde_json::to_writer(&mut out, &extraction).unwrap();
            out.write_all(b"\n").unwrap();
        }
        out.flush().unwrap();
    }
    let scored = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .arg(corpus)
        .arg(&out_path)
        .arg("--kb")
        .arg(shared.join("kb"))
        .arg("--json")
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&out_path);
    assert!(scored.status.success(), "score.py failed: {}", String::from_utf8_lossy(&scored.stderr));
    serde_json::from_slice(&scored.stdout).unwrap_or_else(|err| {
        panic!("score.py printed no JSON summary ({err}): {}", String::from_utf8_lossy(&scored.stdout))
    })
}

/// Scores one gold set and checks it against its floors in `dev_floor.json`.
fn check_set(set_name: &str) {
    let shared = shared_dir();
    if let Some(why) = missing_prerequisite(&shared) {
        eprintln!("skipping: {why}; the {set_name} accuracy guard did not run");
        return;
    }
    let floors = floors();
    let floor = &floors[set_name];
    let corpus = shared.join(floor["corpus"].as_str().unwrap_or_else(|| panic!("{set_name}: no \"corpus\" in floors")));
    if !corpus.is_file() {
        eprintln!("skipping: {} not found; the {set_name} accuracy guard did not run", corpus.display());
        return;
    }
    let summary = extract_and_score(&shared, &corpus, set_name);
    let mut below = Vec::new();
    for (metric, key) in [("links", "links_f1"), ("sources", "sources_f1")] {
        let Some(minimum) = floor[key].as_f64() else { continue };
        let f1 = summary[metric]["f1"].as_f64().unwrap_or_else(|| panic!("no {metric}.f1 in {summary}"));
        eprintln!("{set_name}: {metric} F1 {f1:.3} (floor {minimum:.3})");
        if f1 < minimum {
            below.push(format!("{metric} F1 {f1:.3} < floor {minimum:.3}"));
        }
    }
    assert!(
        below.is_empty(),
        "{set_name} ({}) fell below its floor: {}. Details: python3 {} {} OUTPUT --show-errors 30",
        corpus.display(),
        below.join("; "),
        shared.join("eval/score.py").display(),
        corpus.display(),
    );
}

#[test]
fn dev_scores_stay_above_floor() {
    check_set("dev");
}

#[test]
fn seeds_scores_stay_above_floor() {
    check_set("seeds");
}

/// The true date of an article: its date line, else its `published` field.
fn true_date(article: &mercato_read::RawArticle) -> Option<chrono::NaiveDate> {
    let header = mercato_text::header::parse_header(&article.text).map(|h| h.date);
    header.or_else(|| {
        let day = article.published.as_deref()?.get(..10)?;
        chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
    })
}

/// (dated articles, inferred, inside the range, median width in months) with dates hidden.
fn hidden_date_scores(extractor: &Extractor, corpus: &Path) -> (usize, usize, usize, f64) {
    let (mut dated, mut inferred, mut inside) = (0, 0, 0);
    let mut widths = Vec::new();
    for item in mercato_read::open(&corpus.display().to_string(), Default::default()) {
        let article = item.unwrap_or_else(|err| panic!("bad corpus item: {err}"));
        let Some(truth) = true_date(&article) else { continue };
        dated += 1;
        let out = extractor.extract(ArticleInput { id: &article.id, text: &article.text, published: None, url: None });
        let Some([from, to]) = out.published.range else { continue };
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (from, to) = (day(&from), day(&to));
        inferred += 1;
        widths.push((to - from).num_days() as f64 / 30.44);
        if from <= truth && truth <= to {
            inside += 1;
        }
    }
    widths.sort_by(f64::total_cmp);
    let median = widths.get(widths.len() / 2).copied().unwrap_or(0.0);
    (dated, inferred, inside, median)
}

#[test]
fn date_inference_stays_above_floor() {
    let shared = shared_dir();
    if let Some(why) = missing_prerequisite(&shared) {
        eprintln!("skipping: {why}; the date inference guard did not run");
        return;
    }
    let kb = Kb::load_with_starter(&[&shared.join("kb")]).unwrap();
    let extractor = Extractor::new(kb).hiding_dates();
    let floors = floors();
    let mut below = Vec::new();
    for set in ["dev", "pool"] {
        let floor = &floors["dates"][set];
        let corpus = shared.join(floor["corpus"].as_str().unwrap());
        if !corpus.is_file() {
            eprintln!("skipping: {} not found", corpus.display());
            continue;
        }
        let (dated, inferred, inside, median) = hidden_date_scores(&extractor, &corpus);
        let share = inside as f64 / dated.max(1) as f64;
        eprintln!(
            "dates {set}: {dated} dated, {inferred} inferred, {inside} inside ({share:.3} of all dated), median width {median:.1} months"
        );
        let min_share = floor["inside_share"].as_f64().unwrap();
        let max_width = floor["median_width_months"].as_f64().unwrap();
        if share < min_share || median > max_width {
            below.push(format!(
                "{set}: inside {share:.3} (floor {min_share}), median width {median:.1} (ceiling {max_width})"
            ));
        }
    }
    assert!(below.is_empty(), "date inference fell below its floor: {}", below.join("; "));
}

#[test]
fn seeds_tell_their_time_story() {
    let shared = shared_dir();
    let corpus = shared.join("seeds/seeds.jsonl");
    if !corpus.is_file() || !shared.join("kb").is_dir() {
        eprintln!("skipping: {} not found; the seeds time story did not run", corpus.display());
        return;
    }
    let extractor = shared_extractor(&shared);
    let late_november = chrono::NaiveDate::from_ymd_opt(2025, 11, 20).unwrap();
    let mut undated = 0;
    let mut expiries = Vec::new();
    for item in mercato_read::open(&corpus.display().to_string(), Default::default()) {
        let article = item.unwrap();
        let out = extractor.extract(ArticleInput {
            id: &article.id,
            text: &article.text,
            published: article.published.as_deref(),
            url: article.url.as_deref(),
        });
        if true_date(&article).is_none() {
            undated += 1;
            let [from, to] = out.published.range.clone().unwrap_or_else(|| panic!("{}: no inferred range", article.id));
            assert!(
                from.as_str() <= "2025-11-20" && to.as_str() >= "2025-11-30",
                "{}: inferred {from}..{to} misses late November 2025 ({late_november})",
                article.id
            );
        }
        for fact in out.facts.iter().filter(|f| f.attribute == "contract_expiry" && f.subject == "Sergio Ramos") {
            expiries.push(fact.value.clone());
        }
    }
    assert_eq!(undated, 2);
    expiries.sort();
    expiries.dedup();
    // One article ends his Monterrey contract in December 2025, another in December 2026:
    // both values are reported, so the store can flag the contradiction.
    assert_eq!(expiries, vec!["2025-12".to_string(), "2026-12".to_string()]);
}
