//! Sources: who the article credits for its information ("according to Calciomercato",
//! "Diaro Gol now reports", "told Sky Sports", "Full story: Sunday Mirror", "(The Sun)",
//! "— Name (@handle)"), canonicalised through the KB with fuzzy matching for
//! misspellings. Quoted people, clubs, club statements and the publishing site are not
//! sources.

use crate::doc::Doc;
use crate::lexicon::{Lexicon, PhraseHits, Side};
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
const DESCRIPTORS: [&str; 26] = [
    "the",
    "a",
    "an",
    "journalist",
    "journalists",
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
    "uk's",
];

/// Words after which the person named is the journalist credited.
const JOURNALIST_WORDS: [&str; 6] = ["journalists", "journalist", "reporter", "correspondent", "writer", "insider"];

struct Finder<'a, 'd> {
    doc: &'a Doc<'d>,
    rec: &'a Recognised,
    lexicon: &'a Lexicon,
    kb: &'a Kb,
    publisher: Option<usize>,
    /// KB source mentions: span, source index, sentence.
    sources: Vec<(Span, usize, usize)>,
    out: Vec<Credit>,
}

impl Finder<'_, '_> {
    fn credit_kb(&mut self, source: usize, sentence: usize) {
        let src = &self.kb.sources[source];
        if Some(source) == self.publisher || src.kind == "club_official" {
            return;
        }
        self.push(src.name.clone(), sentence);
    }

    fn push(&mut self, name: String, sentence: usize) {
        if !self.out.iter().any(|c| c.name == name && c.sentence == sentence) {
            self.out.push(Credit { name, sentence });
        }
    }

    /// Credits a name the KB may not know, if it looks like one.
    fn credit_name(&mut self, span: Span, sentence: usize) {
        let Some(name) = plausible_name(self.doc, self.rec, self.lexicon, span) else { return };
        match self.kb.fuzzy_source(&name) {
            Some(source) => self.credit_kb(source, sentence),
            None if name.split_whitespace().count() >= 2 || looks_like_domain(&name) => self.push(name, sentence),
            None => {}
        }
    }

    /// Credits the poster of an embedded post ("— Tyrone Marshall (@TyMarshall_MEN)").
    fn credit_poster(&mut self, span: Span, sentence: usize) {
        // A club's own account posts a club statement, not a source.
        let club = self
            .rec
            .mentions
            .iter()
            .any(|m| matches!(m.kind, MentionKind::Club(_)) && m.span.start < span.end && span.start < m.span.end);
        if club {
            return;
        }
        let name = self.doc.slice(span).trim().to_string();
        match self.kb.fuzzy_source(&name) {
            Some(source) => self.credit_kb(source, sentence),
            None if !name.is_empty() => self.push(name, sentence),
            None => {}
        }
    }

    /// KB sources starting within `gap` tokens after `at` (with their coordinated
    /// partners: "told BFM and RMC Sport").
    fn kb_after(&self, at: usize, sentence: Span, gap: usize) -> Vec<usize> {
        let mut found = Vec::new();
        let mut from = at;
        let mut allowed = gap;
        for (span, source, _) in &self.sources {
            if span.start < from || span.end > sentence.end {
                continue;
            }
            if self.doc.tokens_between(from, span.start) > allowed {
                break;
            }
            let gap_text = self.doc.masked[from..span.start].trim().to_ascii_lowercase();
            if !found.is_empty() && !matches!(gap_text.as_str(), "and" | "," | "&" | "or") {
                break;
            }
            found.push(*source);
            from = span.end;
            allowed = 1;
        }
        found
    }

    /// Where the KB sources found by [`Finder::kb_after`] end.
    fn last_after_end(&self, at: usize, sentence: Span, gap: usize) -> Option<usize> {
        let first = self
            .sources
            .iter()
            .find(|(s, _, _)| s.start >= at && s.end <= sentence.end && self.doc.tokens_between(at, s.start) <= gap)?;
        Some(first.0.end)
    }

    /// KB sources ending within two tokens before `at`, with their coordinated partners
    /// ("Sky Sport Italia and RMC Sport claim").
    fn kb_before(&self, at: usize, sentence: Span) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        let mut until = at;
        let mut allowed = 2;
        for (span, source, _) in self.sources.iter().rev() {
            if span.end > until || span.start < sentence.start {
                continue;
            }
            if self.doc.tokens_between(span.end, until) > allowed {
                break;
            }
            let gap = self.doc.masked[span.end..until].trim().to_ascii_lowercase();
            if !found.is_empty() && !matches!(gap.as_str(), "and" | "," | "&") {
                break;
            }
            found.push(*source);
            until = span.start;
            allowed = 1;
        }
        found
    }
}

/// Finds the credited sources of an article.
pub fn credits(
    doc: &Doc<'_>,
    rec: &Recognised,
    lexicon: &Lexicon,
    hits: &PhraseHits,
    kb: &Kb,
    publisher: Option<usize>,
) -> Vec<Credit> {
    let sources: Vec<(Span, usize, usize)> = rec
        .mentions
        .iter()
        .filter_map(|m| match m.kind {
            MentionKind::Source(s) => Some((m.span, s, m.sentence)),
            _ => None,
        })
        .collect();
    let mut finder = Finder { doc, rec, lexicon, kb, publisher, sources, out: Vec::new() };
    // A line that is nothing but an outlet's name heads a gossip-column section; an
    // outlet in brackets closes an item: "(The Sun)".
    for (span, source, sentence) in finder.sources.clone() {
        let line = doc.sentences[sentence];
        let rest = doc.masked[line.start..line.end].replace(&doc.masked[span.start..span.end], "");
        let alone = rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty();
        let bracketed = doc.masked[..span.start].trim_end().ends_with('(')
            && doc.masked[span.end..].trim_start().starts_with([')', ','])
            && !doc.masked[span.end..].trim_start().starts_with(", ");
        // Wire agencies stand alone or in brackets as bylines and datelines
        // ("MADRID (Reuters) --"): those credit nobody.
        let agency = kb.sources[source].kind == "agency";
        if (alone || bracketed) && !agency {
            finder.credit_kb(source, sentence);
        }
    }
    bracketed_names(&mut finder);
    for hit in &hits.attributions {
        let Some(sentence_idx) = doc.sentence_of(hit.span.start) else { continue };
        let sentence = doc.sentences[sentence_idx];
        let (_, side, open) = lexicon.attributions[hit.index];
        let mut found = Vec::new();
        if matches!(side, Side::Before | Side::Any) {
            found.extend(finder.kb_before(hit.span.start, sentence));
        }
        if found.is_empty() && matches!(side, Side::After | Side::Any) {
            found = finder.kb_after(hit.span.end, sentence, 3);
            // "according to Sky Sports journalist Gianluca Di Marzio": the journalist is
            // the one credited.
            if let Some(outlet_end) = finder.last_after_end(hit.span.end, sentence, 3) {
                let named = journalists_after(doc, outlet_end, sentence);
                if !named.is_empty() {
                    for run in named {
                        // Named as a journalist: credited even if taken for a player.
                        finder.credit_poster(run, sentence_idx);
                    }
                    continue;
                }
            }
        }
        if !found.is_empty() {
            for source in found {
                finder.credit_kb(source, sentence_idx);
            }
            continue;
        }
        // A closed phrase ("told", "said") takes a name the KB lacks only when it looks
        // like an outlet ("told Sports Digitale").
        let outlet_only = !open;
        // Names the KB may not know: the capitalised run(s) next to the phrase.
        let sides: &[Side] = match side {
            Side::Any => &[Side::Before, Side::After],
            Side::Before => &[Side::Before],
            Side::After => &[Side::After],
        };
        for side in sides {
            let runs = adjacent_runs(doc, hit.span, *side, sentence);
            // "according to respected Manchester United journalist Sam Pilger": the name
            // after the journalist word.
            if *side == Side::After {
                if let Some(first) = runs.first().copied() {
                    let named = journalists_after(doc, first.end, sentence);
                    if !named.is_empty() {
                        for run in named {
                            finder.credit_poster(run, sentence_idx);
                        }
                        break;
                    }
                }
            }
            let any = !runs.is_empty();
            for run in runs {
                let outlet = doc.slice(run).split_whitespace().any(|w| lexicon.place_words.contains(w));
                if !outlet_only || outlet {
                    finder.credit_name(run, sentence_idx);
                }
            }
            if any {
                break;
            }
        }
    }
    finder.out
}

/// "(Scottish Sun)" and "— Tyrone Marshall (@TyMarshall_MEN)": names in brackets at
/// the end of an item, and names of posters of embedded tweets.
fn bracketed_names(finder: &mut Finder<'_, '_>) {
    let doc = finder.doc;
    let text = &doc.masked;
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| from + i) {
        let Some(close) = text[open..].find(')').map(|i| open + i) else { break };
        from = close + 1;
        let inner = &text[open + 1..close];
        let Some(sentence) = doc.sentence_of(open) else { continue };
        if let Some(handle) = inner.strip_prefix('@') {
            // "Name (@handle)": the name before the bracket.
            if handle.chars().all(|c| c.is_alphanumeric() || c == '_') {
                let before = text[..open].trim_end();
                // "utdreport (@utdreport)": an account named as its handle.
                let word_start = before.rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
                if before[word_start..].eq_ignore_ascii_case(handle) {
                    finder.push(before[word_start..].to_string(), sentence);
                    continue;
                }
                let runs = adjacent_runs(doc, Span::new(before.len(), open), Side::Before, doc.sentences[sentence]);
                for run in runs {
                    // The handle vouches for the poster, even one the text names as a person.
                    finder.credit_poster(run, sentence);
                }
            }
            continue;
        }
        // "(via @DeadlineDayLive)": the account relayed.
        if let Some(handle) = inner.strip_prefix("via @") {
            if !handle.is_empty() && handle.chars().all(|c| c.is_alphanumeric() || c == '_') {
                finder.push(handle.to_string(), sentence);
            }
            continue;
        }
        // An outlet-like name alone in brackets, closing a sentence or an item; what
        // follows " - " or " via " qualifies it ("(The Times - subscription only)",
        // "(Tuttosport via Mirror)": Tuttosport is the origin).
        let after = text[close + 1..].trim_start();
        let closes = after.is_empty() || after.starts_with(['.', '\n']) || text[close + 1..].starts_with('\n');
        let inner = [" - ", " – ", " via "].iter().fold(inner, |acc, sep| acc.split(sep).next().unwrap_or(acc));
        if !closes {
            continue;
        }
        let words: Vec<&str> = inner.split_whitespace().collect();
        // The fuzzy KB lookup last: it is the dear test.
        let outlet_like = !words.is_empty()
            && words.len() <= 4
            && (words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()))
                && words.iter().any(|w| finder.lexicon.place_words.contains(*w))
                || finder.kb.fuzzy_source(inner.trim()).is_some());
        if outlet_like {
            let start = open + 1 + (inner.len() - inner.trim_start().len());
            let span = Span::new(start, start + inner.trim().len());
            if let Some(source) = finder.kb.fuzzy_source(doc.slice(span)) {
                finder.credit_kb(source, sentence);
            } else {
                finder.push(doc.slice(span).to_string(), sentence);
            }
        }
    }
}

/// The capitalised runs right after (or before) an attribution phrase; coordinated runs
/// ("Guillermo Rai and Laurie Whitwell") are all returned.
fn adjacent_runs(doc: &Doc<'_>, phrase: Span, side: Side, sentence: Span) -> Vec<Span> {
    // Tokens are in text order: those inside the sentence start at or after its start and
    // before its end.
    let from = doc.token_at_or_after(sentence.start);
    let to = doc.token_at_or_after(sentence.end).max(from);
    let tokens: Vec<Span> = doc.tokens[from..to].iter().filter(|t| sentence.contains(t.span)).map(|t| t.span).collect();
    let is_cap = |s: &Span| doc.slice(*s).chars().next().is_some_and(char::is_uppercase);
    let mut runs: Vec<Vec<Span>> = Vec::new();
    match side {
        Side::Before => {
            let mut run: Vec<Span> = Vec::new();
            for t in tokens.iter().rev().filter(|t| t.end <= phrase.start) {
                let touching = run.first().is_none_or(|next| doc.masked.get(t.end..next.start) == Some(" "));
                if is_cap(t) && run.len() < 4 && touching {
                    run.insert(0, *t);
                } else {
                    break;
                }
            }
            // The run must end right before the phrase ("Diaro Gol now reports").
            if run.last().is_some_and(|last: &Span| doc.tokens_between(last.end, phrase.start) <= 1) {
                runs.push(run);
            }
        }
        _ => {
            let mut iter = tokens.iter().filter(|t| t.start >= phrase.end).peekable();
            while let Some(t) = iter.peek() {
                let word = doc.slice(**t).to_lowercase();
                if DESCRIPTORS.contains(&word.as_str()) && (!is_cap(t) || word == "the") {
                    iter.next();
                } else {
                    break;
                }
            }
            let mut run: Vec<Span> = Vec::new();
            for t in iter {
                let word = doc.slice(*t);
                let touching = run.last().is_none_or(|prev| doc.masked.get(prev.end..t.start) == Some(" "));
                if is_cap(t) && run.len() < 4 && touching {
                    run.push(*t);
                } else if !run.is_empty() && word == "and" && runs.len() < 3 {
                    runs.push(std::mem::take(&mut run));
                } else {
                    break;
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
        }
    }
    runs.into_iter().filter_map(|run| Some(Span::new(run.first()?.start, run.last()?.end))).collect()
}

/// The names right after a journalist word that follows `end` ("Sky Sports journalist
/// Gianluca Di Marzio"): empty when no journalist word follows.
fn journalists_after(doc: &Doc<'_>, end: usize, sentence: Span) -> Vec<Span> {
    let rest = doc.masked[end..sentence.end].trim_start().to_ascii_lowercase();
    let Some(word) = JOURNALIST_WORDS.iter().find(|w| rest.starts_with(**w) && rest[w.len()..].starts_with(' ')) else {
        return Vec::new();
    };
    let at = end + (doc.masked[end..].len() - doc.masked[end..].trim_start().len()) + word.len();
    adjacent_runs(doc, Span::new(at, at), Side::After, sentence)
}

/// "AllNigerianSoccer.com", "fotbolltransfers.com": a site named by its domain.
fn looks_like_domain(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".com", ".co.uk", ".net", ".org", ".es", ".it", ".de", ".fr", ".pt", ".nl", ".se", ".tv"]
        .iter()
        .any(|tld| lower.ends_with(tld) && lower.len() > tld.len() + 2)
}

/// The text of a run if it can be a source's name: not a club, player, nation or place,
/// not an ordinary capitalised word or a demonym.
fn plausible_name(doc: &Doc<'_>, rec: &Recognised, lexicon: &Lexicon, span: Span) -> Option<String> {
    // An outlet's name may hold a place or club ("Miami Herald", "Manchester Evening
    // News"): an outlet word lets it through.
    let outlet = doc.slice(span).split_whitespace().count() >= 2
        && doc.slice(span).split_whitespace().any(|w| lexicon.place_words.contains(w));
    let taken = !outlet
        && rec.mentions.iter().any(|m| {
            m.span.start < span.end
                && span.start < m.span.end
                && match m.kind {
                    MentionKind::Person(p) => rec.persons[p].is_player,
                    MentionKind::Source(_) => false,
                    _ => true,
                }
        });
    let raw = doc.slice(span);
    let text = raw.strip_suffix("'s").or_else(|| raw.strip_suffix("’s")).unwrap_or(raw).trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    // Outlet words ("Sports", "Times", "Mail") make a name, not an ordinary phrase.
    let ordinary = words.iter().any(|w| {
        (lexicon.not_names.contains(*w) && !lexicon.place_words.contains(*w))
            || lexicon.role_words.contains(&w.to_lowercase())
            || lexicon.phrase_words.contains(&w.to_lowercase())
    });
    if taken || ordinary || text.len() < 3 {
        return None;
    }
    Some(text.to_string())
}
