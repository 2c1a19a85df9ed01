//! Sentence cues: hedging, negation, history, recency, completion and the years a
//! sentence names, and whether two offsets lie in one clause.

use crate::doc::Doc;
use crate::lexicon::{within, Lexicon, PhraseHits, TriggerKind};
use mercato_text::Span;

/// Per-sentence facts the claim rules look at.
#[derive(Clone)]
pub(super) struct SentenceCues {
    pub(super) hedged: bool,
    pub(super) negated: bool,
    pub(super) history: bool,
    pub(super) years: Vec<i32>,
    /// Where each of `years` is written (its token's start), in the same order.
    pub(super) year_at: Vec<usize>,
    /// The sentence tells that the player left a club ("left Madrid to join PSG").
    pub(super) left: bool,
    /// A recency cue ("on Monday", "this summer", "deadline day").
    pub(super) recent: bool,
    /// A completion cue not under a future or hedging word ("completed", "confirmed").
    pub(super) completed: bool,
}

pub(super) const NEGATIONS: [&str; 7] = ["not", "never", "no", "n't", "won't", "cannot", "nor"];

/// No relative clause or new coordinated clause opens between two offsets ("..., who
/// has rejected", "... and who"), and they are at most 12 tokens apart.
pub(super) fn same_clause(doc: &Doc<'_>, from: usize, to: usize) -> bool {
    let gap = doc.masked.get(from..to).unwrap_or("").to_ascii_lowercase();
    doc.tokens_between(from, to) <= 12
        && ![", who", ", whose", ", which", "and who", "; ", ", whom", ", with", ", while"]
            .iter()
            .any(|m| gap.contains(m))
}

/// Words that put a following completion cue in the future or in doubt.
pub(super) fn is_negation(word: &str) -> bool {
    NEGATIONS.iter().any(|n| word.eq_ignore_ascii_case(n)) || word.ends_with("n't") || word.ends_with("n’t")
}

/// False only for words that are no negation ([`is_negation`]): they end in "t", "r" or
/// "o" and hold an "n" (case ignored).
pub(super) fn may_be_negation(word: &[u8]) -> bool {
    word.last().is_some_and(|b| matches!(b, b't' | b'T' | b'r' | b'R' | b'o' | b'O'))
        && word.iter().any(|b| matches!(b, b'n' | b'N'))
}

pub(super) fn sentence_cues(doc: &Doc<'_>, span: Span, hits: &PhraseHits, lexicon: &Lexicon) -> SentenceCues {
    let hedged = !within(&hits.hedges, span).is_empty();
    let history = !within(&hits.history, span).is_empty();
    let recent = !within(&hits.recent, span).is_empty();
    let left = within(&hits.triggers, span).iter().any(|h| lexicon.triggers[h.index].kind == TriggerKind::Left);
    let mut negated = false;
    let mut years = Vec::new();
    let mut year_at = Vec::new();
    let tokens = &doc.tokens[doc.token_at_or_after(span.start)..doc.token_at_or_after(span.end)];
    for token in tokens {
        // a negation ends in "t", "r" or "o" and holds an "n", a year or a season starts
        // with a digit: other words are passed over unsliced
        let bytes = doc.text.as_bytes().get(token.span.start..token.span.end).unwrap_or(&[]);
        let digit = bytes.first().is_some_and(u8::is_ascii_digit);
        if !digit && !may_be_negation(bytes) {
            continue;
        }
        let word = doc.slice(token.span);
        negated |= is_negation(word);
        if let Some(year) = cue_year(word) {
            years.push(year);
            year_at.push(token.span.start);
        }
    }
    let completed = within(&hits.completion, span).iter().any(|h| {
        let idx = doc.token_at_or_after(h.span.start);
        // "has announced he is leaving", "announced that he is unsure whether to sign": an
        // announcement of what someone says completes nothing itself; the move's own verb
        // tells.
        let announcing = doc.folded_slice(h.span).split_whitespace().all(|w| lexicon.announcing.contains(w));
        if announcing
            && doc
                .tokens
                .get(doc.token_at_or_after(h.span.end))
                .is_some_and(|t| lexicon.reported_openers.contains(doc.slice(t.span).to_ascii_lowercase().as_str()))
        {
            return false;
        }
        let before = &doc.tokens[doc.token_at_or_after(span.start)..idx];
        // "to" marks an infinitive only right before the cue ("set to complete", "to be
        // finalised"), not as the preposition of "his move to Chelsea was completed".
        !before.iter().rev().take(4).enumerate().any(|(i, t)| {
            let w = doc.slice(t.span).to_ascii_lowercase();
            (lexicon.unfinished.contains(&w) && (w != "to" || i <= 1)) || is_negation(&w)
        })
    });
    SentenceCues { hedged, negated, history, years, year_at, left, recent, completed }
}

/// The year a token gives a sentence's cues: a year from 1950 to 2100 ("2019", "2010s",
/// "2019's"), or a season's first year ("2019/20", "2019-20").
fn cue_year(word: &str) -> Option<i32> {
    let digits = word.trim_end_matches(['s', '\'']);
    if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
        return digits.parse::<i32>().ok().filter(|year| (1950..=2100).contains(year));
    }
    // Seasons written 2019/20 or 2019-20.
    let first = word.get(..4)?;
    if word.len() == 7 && matches!(word.as_bytes()[4], b'/' | b'-') && first.chars().all(|c| c.is_ascii_digit()) {
        return first.parse::<i32>().ok();
    }
    None
}

/// Whether the claims of an article told against the year `now` could differ from those
/// told against `was` (when not, the claims already made stand): the claim rules read
/// "now" only as whether a year the sentence cues give ([`cue_year`]) lies before it, so
/// they cannot differ unless some such year of the article lies before one and not the
/// other.
pub fn now_matters(doc: &Doc<'_>, was: Option<i32>, now: i32) -> bool {
    let before = |year: i32, now: Option<i32>| now.is_some_and(|now| year < now);
    doc.tokens.iter().any(|token| {
        let word = doc.slice(token.span);
        word.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && cue_year(word).is_some_and(|year| before(year, was) != before(year, Some(now)))
    })
}

/// The relative clauses of a sentence set off by commas (", who finished second last
/// season,"): from the comma to the next comma or dash, or to the sentence's end when
/// none closes it.
pub(super) fn relative_clauses(doc: &Doc<'_>, sentence: Span) -> Vec<Span> {
    let text = doc.masked.get(sentence.start..sentence.end).unwrap_or("");
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for marker in [", who ", ", which ", ", whose ", ", whom "] {
        let mut from = 0;
        while let Some(i) = lower.get(from..).and_then(|rest| rest.find(marker)) {
            let open = from + i;
            let body = open + marker.len();
            let close = lower[body..].find([',', '\u{2014}', '(', ';']).map_or(lower.len(), |j| body + j);
            out.push(Span::new(sentence.start + open, sentence.start + close));
            from = body;
        }
    }
    out
}
