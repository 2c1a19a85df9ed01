//! Sources: who the article credits for its information ("according to Calciomercato",
//! "Diaro Gol now reports", "told Sky Sports"), canonicalised through the KB with fuzzy
//! matching for misspellings. Quoted people, clubs and the publishing site are not sources.

use crate::doc::Doc;
use crate::lexicon::{Lexicon, Side};
use crate::recognise::{MentionKind, Recognised};
use mercato_kb::Kb;
use mercato_text::Span;

/// A credited source and the sentence that credits it.
#[derive(Debug, Clone)]
pub struct Credit {
    pub name: String,
    pub sentence: usize,
}

/// Lower-case words that may stand between an attribution phrase and the source's name
/// ("according to Italian journalist X", "told the Spanish outlet X").
const DESCRIPTORS: [&str; 24] = [
    "the",
    "a",
    "an",
    "journalist",
    "reporter",
    "transfer",
    "expert",
    "guru",
    "insider",
    "outlet",
    "newspaper",
    "paper",
    "publication",
    "site",
    "website",
    "daily",
    "broadcaster",
    "radio",
    "station",
    "tv",
    "channel",
    "respected",
    "reliable",
    "well-connected",
];

/// Finds the credited sources of an article.
pub fn credits(doc: &Doc<'_>, rec: &Recognised, lexicon: &Lexicon, kb: &Kb, publisher: Option<usize>) -> Vec<Credit> {
    let mut out: Vec<Credit> = Vec::new();
    let mut push = |name: String, sentence: usize| {
        if !out.iter().any(|c| c.name == name && c.sentence == sentence) {
            out.push(Credit { name, sentence });
        }
    };
    let sources: Vec<(Span, usize, usize)> = rec
        .mentions
        .iter()
        .filter_map(|m| match m.kind {
            MentionKind::Source(s) => Some((m.span, s, m.sentence)),
            _ => None,
        })
        .collect();
    // A line that is nothing but an outlet's name heads a gossip-column section.
    for (span, source, sentence) in &sources {
        let line = doc.sentences[*sentence];
        let rest = doc.masked[line.start..line.end].replace(&doc.masked[span.start..span.end], "");
        if rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty() && Some(*source) != publisher {
            push(kb.sources[*source].name.clone(), *sentence);
        }
    }
    for hit in lexicon.find_attributions(&doc.folded, &doc.masked) {
        let Some(sentence_idx) = doc.sentence_of(hit.span.start) else { continue };
        let sentence = doc.sentences[sentence_idx];
        let (_, side, open) = &lexicon.attributions[hit.index];
        let found = match side {
            Side::After => sources
                .iter()
                .find(|(s, _, _)| {
                    s.start >= hit.span.end && s.end <= sentence.end && doc.tokens_between(hit.span.end, s.start) <= 3
                })
                .map(|(_, i, _)| *i),
            _ => sources
                .iter()
                .rev()
                .find(|(s, _, _)| {
                    s.end <= hit.span.start
                        && s.start >= sentence.start
                        && doc.tokens_between(s.end, hit.span.start) <= 1
                })
                .map(|(_, i, _)| *i),
        };
        if let Some(source) = found {
            if Some(source) != publisher {
                push(kb.sources[source].name.clone(), sentence_idx);
            }
            continue;
        }
        if !open {
            continue;
        }
        // A name the KB may not know: the capitalised run next to the phrase.
        let Some(name) = adjacent_name(doc, rec, hit.span, *side, sentence) else { continue };
        match kb.fuzzy_source(&name) {
            Some(source) if Some(source) != publisher => push(kb.sources[source].name.clone(), sentence_idx),
            Some(_) => {}
            None => push(name, sentence_idx),
        }
    }
    out
}

/// The capitalised name right after (or before) an attribution phrase, if it is not a
/// club, a player or a place.
fn adjacent_name(doc: &Doc<'_>, rec: &Recognised, phrase: Span, side: Side, sentence: Span) -> Option<String> {
    let tokens: Vec<Span> = doc.tokens.iter().filter(|t| sentence.contains(t.span)).map(|t| t.span).collect();
    let is_cap = |s: &Span| doc.slice(*s).chars().next().is_some_and(char::is_uppercase);
    let mut run: Vec<Span> = Vec::new();
    match side {
        Side::After => {
            let mut iter = tokens.iter().filter(|t| t.start >= phrase.end).peekable();
            while let Some(t) = iter.peek() {
                if DESCRIPTORS.contains(&doc.slice(**t).to_lowercase().as_str()) && !is_cap(t)
                    || doc.slice(**t) == "The"
                {
                    iter.next();
                } else {
                    break;
                }
            }
            for t in iter {
                if is_cap(t) && run.len() < 4 {
                    run.push(*t);
                } else {
                    break;
                }
            }
        }
        _ => {
            for t in tokens.iter().rev().filter(|t| t.end <= phrase.start) {
                if is_cap(t) && run.len() < 4 {
                    run.insert(0, *t);
                } else {
                    break;
                }
            }
            // The run must end right before the phrase ("Diaro Gol now reports").
            if let Some(last) = run.last() {
                if doc.tokens_between(last.end, phrase.start) > 1 {
                    return None;
                }
            }
        }
    }
    let first = run.first()?;
    let last = run.last()?;
    let span = Span::new(first.start, last.end);
    // Not a club, nation, player or other known entity.
    let taken = rec.mentions.iter().any(|m| {
        m.span.start < span.end
            && span.start < m.span.end
            && match m.kind {
                MentionKind::Person(p) => rec.persons[p].is_player,
                MentionKind::Source(_) => false,
                _ => true,
            }
    });
    let text = doc.slice(span).trim_end_matches(['\'', '’', 's']).trim();
    let text = doc.slice(span).strip_suffix("'s").or_else(|| doc.slice(span).strip_suffix("’s")).unwrap_or(text);
    if taken || text.len() < 3 || matches!(text, "He" | "She" | "It" | "They" | "Reports" | "Sources") {
        return None;
    }
    Some(text.to_string())
}
