//! Round-ups written under club headings ("Arsenal", "Aston Villa:" on lines of their
//! own, then a paragraph of that club's business): the heading names the club that the
//! lines below it are about, though they seldom repeat it.

use super::cues::sentence_cues;
use super::Claim;
use crate::doc::Doc;
use crate::lexicon::{within, Lexicon, PhraseHits};
use crate::model::LinkKind;
use crate::recognise::{MentionKind, Recognised};

/// Largest gap (in tokens) between an arrival phrase and the player it brings in
/// ("the acquisition of Villarreal centre back, Gabriel Paulista").
const OBJECT_GAP: usize = 6;

/// Largest gap between the player and an arrival verb after him ("X has also joined").
const SUBJECT_GAP: usize = 2;

/// The heading sentences of an article: (sentence, club) for every sentence that is only
/// a club's name (with at most punctuation around it).
fn headings(doc: &Doc<'_>, rec: &Recognised) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rec.mentions.len() {
        let sentence = rec.mentions[i].sentence;
        let mut j = i;
        while j < rec.mentions.len() && rec.mentions[j].sentence == sentence {
            j += 1;
        }
        if let [only] = &rec.mentions[i..j] {
            if let (MentionKind::Club(club), Some(span)) = (only.kind, doc.sentences.get(sentence)) {
                let before = doc.masked.get(span.start..only.span.start).unwrap_or("x");
                let after = doc.masked.get(only.span.end..span.end).unwrap_or("x");
                let bare = |s: &str| !s.chars().any(char::is_alphanumeric);
                if bare(before) && bare(after) {
                    out.push((sentence, club));
                }
            }
        }
        i = j;
    }
    out
}

/// Adds the heading's club to the moves told under it: a player brought in by an arrival
/// phrase (`arrivals.tsv`) with no destination of his own joined the heading's club
/// (`done`); a player whose completed move takes him to another club left it (`from`).
/// Only in articles with headings for at least two different clubs (a round-up), and
/// not in hedged or negated sentences.
pub(super) fn round_up(doc: &Doc<'_>, rec: &Recognised, lexicon: &Lexicon, hits: &PhraseHits, out: &mut Vec<Claim>) {
    let headings = headings(doc, rec);
    if !headings.iter().any(|(_, club)| *club != headings[0].1) {
        return;
    }
    let mut added = Vec::new();
    for (hi, &(start, club)) in headings.iter().enumerate() {
        let end = headings.get(hi + 1).map_or(doc.sentences.len(), |h| h.0);
        for sentence in start + 1..end {
            let Some(&span) = doc.sentences.get(sentence) else { continue };
            // The claims are in sentence order, so a sentence's claims are one slice.
            let (from, to) =
                (out.partition_point(|c| c.sentence < sentence), out.partition_point(|c| c.sentence <= sentence));
            let here: Vec<&Claim> = out[from..to.max(from)].iter().collect();
            let mentioned: Vec<(mercato_text::Span, usize)> = rec
                .mentions
                .iter()
                .filter(|m| m.sentence == sentence)
                .filter_map(|m| match m.kind {
                    MentionKind::Person(p) if rec.persons[p].is_player => Some((m.span, p)),
                    _ => None,
                })
                .collect();
            if here.is_empty() && mentioned.is_empty() {
                continue;
            }
            let cues = sentence_cues(doc, span, hits, lexicon);
            if cues.hedged || cues.negated {
                continue;
            }
            let arrivals: Vec<_> = within(&hits.triggers, span)
                .iter()
                .filter(|h| lexicon.arrivals.contains(&lexicon.triggers[h.index].phrase))
                .collect();
            let mut persons: Vec<usize> = here.iter().map(|c| c.person).chain(mentioned.iter().map(|m| m.1)).collect();
            persons.sort_unstable();
            persons.dedup();
            for person in persons {
                let mine: Vec<&&Claim> = here.iter().filter(|c| c.person == person).collect();
                if mine.iter().any(|c| c.club == club) {
                    continue;
                }
                // a firm claim of his, in the sentence of his first claim here
                let firm = Claim { club, ..blank(person, mine.first().map_or(sentence, |c| c.sentence)) };
                let left_elsewhere = mine.iter().any(|c| c.kind == LinkKind::Done && !c.weak);
                if left_elsewhere {
                    if !mine.iter().any(|c| c.kind == LinkKind::From) {
                        added.push(Claim { kind: LinkKind::From, ..firm });
                    }
                    continue;
                }
                let elsewhere = mine.iter().any(|c| {
                    matches!(c.kind, LinkKind::To | LinkKind::Past | LinkKind::Denied | LinkKind::Stay | LinkKind::Done)
                });
                if elsewhere || arrivals.is_empty() {
                    continue;
                }
                let origin = mine.iter().any(|c| c.kind == LinkKind::From && !c.current);
                // The player it brings in ("the acquisition of X") or who came ("X has
                // also joined").
                let object = mentioned.iter().any(|(s, p)| {
                    *p == person
                        && arrivals.iter().any(|h| {
                            (s.start >= h.span.end && doc.tokens_between(h.span.end, s.start) <= OBJECT_GAP)
                                || (s.end <= h.span.start && doc.tokens_between(s.end, h.span.start) <= SUBJECT_GAP)
                        })
                });
                if origin || object {
                    added.push(Claim { kind: LinkKind::Done, ..firm });
                }
            }
        }
    }
    out.extend(added);
}

fn blank(person: usize, sentence: usize) -> Claim {
    Claim {
        person,
        club: 0,
        kind: LinkKind::Done,
        stage: None,
        hedged: false,
        sentence,
        current: false,
        weak: false,
        in_play: true,
        soft: false,
        spell: false,
        history: false,
        named: false,
        earlier: false,
    }
}
