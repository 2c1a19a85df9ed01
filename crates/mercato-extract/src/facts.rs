//! Facts stated in the text: `age` ("the 34-year-old", "aged 34") and `contract_expiry`
//! (the time expression after "contract expires/runs until"), as stated text for now;
//! the time stage normalises them.

use crate::doc::Doc;
use crate::model::{Evidence, Fact};
use mercato_text::Span;

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
            for cue in [
                "expires",
                "expiring",
                "runs until",
                "runs out",
                "running until",
                "until",
                "ends",
                "expire",
                "which expires",
            ] {
                let Some(pos) = rest_lower.find(cue) else { continue };
                if !contract && cue == "until" {
                    continue;
                }
                let after = &rest[pos + cue.len()..];
                let stated: String = after
                    .split([',', ';', '.'])
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
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
                break;
            }
        }
    }
    out.dedup_by(|a, b| a.subject == b.subject && a.attribute == b.attribute && a.value == b.value);
    out
}
