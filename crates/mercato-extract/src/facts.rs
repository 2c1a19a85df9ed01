//! Facts stated in the text: `age` ("the 34-year-old", "aged 34") and `contract_expiry`
//! (the time expression after "contract expires/runs until"), as stated text for now;
//! the time stage normalises them.

use crate::doc::Doc;
use crate::model::{Evidence, Fact};
use mercato_text::Span;

/// Words after "contract"/"deal" that introduce when it ends.
const CONTRACT_CUES: [&str; 10] =
    ["expires", "expired", "expiring", "expire", "runs until", "runs out", "running until", "until", "ends", "runs to"];

/// Words that end a stated time expression.
const CLAUSE_WORDS: [&str; 14] = [
    "and", "but", "which", "with", "after", "when", "while", "so", "as", "because", "if", "though", "bringing",
    "ending",
];

/// The byte position of `word` in `haystack` as a whole word.
fn find_word(haystack: &str, word: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    haystack.match_indices(word).map(|(pos, _)| pos).find(|&pos| {
        let before = pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric();
        let end = pos + word.len();
        let after = end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
        before && after
    })
}

/// Extracts age and contract facts; `subject_at` names the player a sentence is about.
pub fn facts(doc: &Doc<'_>, subject_at: &dyn Fn(usize) -> Option<(String, Option<String>)>) -> Vec<Fact> {
    let mut out = Vec::new();
    for (idx, token) in doc.tokens.iter().enumerate() {
        let word = doc.slice(token.span);
        // "34-year-old"
        let age = word.strip_suffix("-year-old").and_then(|n| n.parse::<u8>().ok()).or_else(|| {
            // "aged 34"
            word.eq_ignore_ascii_case("aged")
                .then(|| doc.tokens.get(idx + 1))
                .flatten()
                .and_then(|t| doc.slice(t.span).parse::<u8>().ok())
        });
        if let Some(age) = age.filter(|a| (15..=45).contains(a)) {
            if let Some((subject, _)) = subject_at(token.sentence) {
                let sentence = doc.sentences[token.sentence];
                out.push(Fact {
                    subject,
                    attribute: "age".into(),
                    club: None,
                    value: age.to_string(),
                    evidence: Evidence::from(sentence),
                });
            }
        }
        let contract = word.eq_ignore_ascii_case("contract");
        if contract || word.eq_ignore_ascii_case("deal") {
            let sentence = doc.sentences[token.sentence];
            let rest = &doc.masked[token.span.end..sentence.end];
            let rest_lower = rest.to_ascii_lowercase();
            // The earliest expiry cue, as a whole word, within the sentence.
            let found = CONTRACT_CUES
                .iter()
                .filter(|cue| contract || **cue != "until")
                .filter_map(|cue| find_word(&rest_lower, cue).map(|pos| (pos, cue.len())))
                .min();
            if let Some((pos, len)) = found {
                let after = &rest[pos + len..];
                // The time expression: words up to a clause break or a word that cannot
                // belong to a date ("June 2026 and talks over ..." stops at "and").
                let stated: String = after
                    .split([',', ';', '.', '(', ')'])
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .take_while(|w| !CLAUSE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
                    .take(6)
                    .collect::<Vec<_>>()
                    .join(" ");
                let has_time = stated.chars().any(|c| c.is_ascii_digit())
                    || [
                        "january",
                        "february",
                        "march",
                        "april",
                        "may",
                        "june",
                        "july",
                        "august",
                        "september",
                        "october",
                        "november",
                        "december",
                        "summer",
                        "season",
                        "end of",
                        "year",
                    ]
                    .iter()
                    .any(|m| stated.to_ascii_lowercase().contains(m));
                if has_time {
                    if let Some((subject, club)) = subject_at(token.sentence) {
                        out.push(Fact {
                            subject,
                            attribute: "contract_expiry".into(),
                            club,
                            value: stated,
                            evidence: Evidence::from(Span::new(sentence.start, sentence.end)),
                        });
                    }
                }
            }
        }
    }
    out.dedup_by(|a, b| a.subject == b.subject && a.attribute == b.attribute && a.value == b.value);
    out
}
