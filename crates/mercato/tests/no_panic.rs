//! Property test: extraction never panics on any text, and every evidence span it
//! returns is a valid slice of the input (in bounds, on `char` boundaries).
#![allow(clippy::unwrap_used)]

use mercato_extract::{ArticleInput, Evidence, Extractor};
use mercato_kb::Kb;
use proptest::prelude::*;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Kb::starter()))
}

/// Words that exercise the recognisers: names, clubs, verbs, hedges, quotes, dates.
const WORDS: &[&str] = &[
    "Rossi",
    "Bianchi",
    "Roma",
    "Lazio",
    "Juventus",
    "Real Madrid",
    "Sergio Ramos",
    "joined",
    "signed",
    "for",
    "from",
    "may",
    "could",
    "not",
    "never",
    "says",
    "according to",
    "Romano",
    "talks",
    "agreement",
    "medical",
    "loan",
    "deal",
    "he",
    "his",
    "the",
    "club",
    "in",
    "2021",
    "2021-",
    "date",
    " date 2021-01-13",
    "\"",
    "'",
    "“",
    "”",
    "«",
    "»",
    "(",
    ")",
    ".",
    ",",
    "?",
    "!",
    "…",
    "\n",
    "\n\n",
    "\t",
    "–",
    "-",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "👍",
    "\u{200b}",
    "\u{0301}",
    "Mr.",
    "St.",
    "U.S.",
    "No.",
    "AC",
    "FC",
    "PSG",
    "ADVERTISEMENT",
    "Photo:",
    "Getty Images",
];

/// Sentence-like text built from [`WORDS`].
fn wordy() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(WORDS), prop::sample::select(&[" ", "", "  ", "\n"][..])), 0..120)
        .prop_map(|parts| parts.into_iter().map(|(w, sep)| format!("{w}{sep}")).collect())
}

/// Every kind of hostile text the extractor may meet.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,300}",
        "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f} a-zA-Z.]{0,200}",
        "([A-Z]{1,14}[ .,]?){0,80}",
        "[\"'“”‘’«»„‹› a-zA-Z.,:;!?]{0,300}",
        ("( date 2021-|date 2021-| date 20[0-9]{2}-[0-9]{0,2}-?[0-9]{0,2})", "\\PC{0,200}").prop_map(|(a, b)| a + &b),
        wordy(),
        (wordy(), any::<String>(), wordy()).prop_map(|(a, b, c)| a + &b + &c),
    ]
}

fn published() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![Just("2021-01-13".to_string()), "[0-9]{4}-[0-9]{2}-[0-9]{2}", "\\PC{0,12}",])
}

fn assert_valid(text: &str, evidence: Evidence, what: &str) {
    assert!(
        evidence.start <= evidence.end && evidence.end <= text.len(),
        "{what} evidence {}..{} out of bounds of {} bytes",
        evidence.start,
        evidence.end,
        text.len()
    );
    assert!(
        text.is_char_boundary(evidence.start) && text.is_char_boundary(evidence.end),
        "{what} evidence {}..{} not on char boundaries",
        evidence.start,
        evidence.end
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn extract_never_panics_and_spans_are_valid(text in text(), published in published()) {
        let x = extractor().extract(ArticleInput { id: "prop", text: &text, published: published.as_deref(), url: None });
        prop_assert_eq!(x.id.as_str(), "prop");
        for link in &x.links {
            assert_valid(&text, link.evidence, "link");
        }
        for fact in &x.facts {
            assert_valid(&text, fact.evidence, "fact");
        }
    }
}
