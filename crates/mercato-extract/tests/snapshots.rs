//! Snapshot tests: every article in `examples/articles/*.txt` is extracted with the
//! starter KB and the whole [`Extraction`] is compared with its reviewed snapshot in
//! `tests/snapshots/<file stem>.snap`.
//!
//! Each link and fact in a snapshot also carries `evidence.text`, the sentence its
//! offsets point at, so that a reviewer can judge it without counting bytes.
//!
//! After a deliberate change of the extractor, review and accept the new output with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test -p mercato-extract --test
//! snapshots`, then read the `git diff`).
#![allow(clippy::unwrap_used)]

use mercato_extract::{ArticleInput, Extraction, Extractor};
use mercato_kb::Kb;
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn articles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles")
}

/// The example articles, in name order.
fn article_files() -> Vec<PathBuf> {
    let dir = articles_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
}

/// The extraction as JSON, with the quoted evidence text added beside each offset pair.
fn reviewable(extraction: &Extraction, article_text: &str) -> Value {
    let mut value = serde_json::to_value(extraction).unwrap();
    for list in ["links", "facts"] {
        let Some(items) = value.get_mut(list).and_then(Value::as_array_mut) else { continue };
        for item in items {
            let Some(evidence) = item.get_mut("evidence").and_then(Value::as_object_mut) else { continue };
            let start = evidence.get("start").and_then(Value::as_u64).unwrap_or(0) as usize;
            let end = evidence.get("end").and_then(Value::as_u64).unwrap_or(0) as usize;
            let quoted = article_text.get(start..end).unwrap_or("<evidence is not a valid slice>");
            evidence.insert("text".to_string(), Value::String(quoted.to_string()));
        }
    }
    value
}

#[test]
fn example_articles_match_their_snapshots() {
    let files = article_files();
    assert!(files.len() >= 6, "expected at least 6 example articles in {}", articles_dir().display());
    let extractor = Extractor::new(Kb::starter());

    let mut mismatched = Vec::new();
    for path in &files {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let article_text = std::fs::read_to_string(path).unwrap();
        let extraction = extractor.extract(ArticleInput { id: &stem, text: &article_text, published: None, url: None });
        let snapshot = reviewable(&extraction, &article_text);
        // Check every article even when an earlier one differs, so that one run writes
        // every pending `.snap.new` for review.
        let checked = catch_unwind(AssertUnwindSafe(|| {
            insta::with_settings!({
                prepend_module_to_snapshot => false,
                description => format!("examples/articles/{stem}.txt, extracted with the starter KB"),
                omit_expression => true,
            }, {
                insta::assert_json_snapshot!(stem.as_str(), snapshot);
            });
        }));
        if checked.is_err() {
            mismatched.push(stem);
        }
    }
    assert!(mismatched.is_empty(), "snapshots differ for: {}", mismatched.join(", "));
}
