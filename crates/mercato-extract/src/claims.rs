//! The *claims* stage: for every sentence, each club mention is governed by the nearest
//! trigger phrase on the side the phrase expects, attached to a player (named in the
//! sentence, or the player in focus for "he" / "the defender"), and given a kind by the
//! trigger and the sentence's time cues. Per (player, club) the article's latest state is
//! kept; `past` may stand beside any other kind.

use crate::doc::Doc;
use crate::lexicon::{within, Hit, Lexicon, PhraseHits, Side, TriggerKind};
use crate::model::{LinkKind, Stage};
use crate::recognise::{MentionKind, Recognised};
use mercato_text::Span;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// Largest gap (in tokens) between a trigger and the club it governs.
const WINDOW: usize = 7;

/// Largest gap for the fallback that lets the nearest trigger anywhere in the sentence
/// govern a club no trigger governs (a weak claim).
const FALLBACK_WINDOW: usize = 9;

/// One piece of evidence for a (player, club) pair.
#[derive(Debug, Clone)]
pub struct Claim {
    pub person: usize,
    pub club: usize,
    pub kind: LinkKind,
    pub stage: Option<Stage>,
    pub hedged: bool,
    pub sentence: usize,
    /// The club is merely where the player is (becomes `from` if he is leaving).
    pub current: bool,
    /// Found by a fallback (no trigger near the club): weaker evidence.
    pub weak: bool,
    /// The sentence speaks of a transfer (some transfer phrase besides role nouns and
    /// prepositions): a current club named there is in play as the one he may leave.
    pub in_play: bool,
    /// A completed move in the simple past with no sign that it is the story's present:
    /// history (`past`) when the article's story is a rumour about another club.
    pub soft: bool,
    /// A `past` from a bare spell ("his 15-year spell with Madrid") that does not tell
    /// how he joined: dropped where the club is the one he is leaving.
    pub spell: bool,
}

/// Per-sentence facts the claim rules look at.
#[derive(Clone)]
struct SentenceCues {
    hedged: bool,
    negated: bool,
    history: bool,
    years: Vec<i32>,
    /// The sentence tells that the player left a club ("left Madrid to join PSG").
    left: bool,
    /// A recency cue ("on Monday", "this summer", "deadline day").
    recent: bool,
    /// A completion cue not under a future or hedging word ("completed", "confirmed").
    completed: bool,
}

const NEGATIONS: [&str; 7] = ["not", "never", "no", "n't", "won't", "cannot", "nor"];

/// No relative clause or new coordinated clause opens between two offsets ("..., who
/// has rejected", "... and who"), and they are at most 12 tokens apart.
fn same_clause(doc: &Doc<'_>, from: usize, to: usize) -> bool {
    let gap = doc.masked.get(from..to).unwrap_or("").to_ascii_lowercase();
    doc.tokens_between(from, to) <= 12
        && ![", who", ", whose", ", which", "and who", "; ", ", whom", ", with", ", while", ", but"]
            .iter()
            .any(|m| gap.contains(m))
}

/// Words that put a following completion cue in the future or in doubt.
const FUTURE: [&str; 16] = [
    "to", "will", "set", "close", "expected", "poised", "could", "would", "may", "might", "about", "hoping", "hopes",
    "aiming", "plans", "yet",
];

fn is_negation(word: &str) -> bool {
    NEGATIONS.iter().any(|n| word.eq_ignore_ascii_case(n)) || word.ends_with("n't") || word.ends_with("n’t")
}

fn sentence_cues(doc: &Doc<'_>, span: Span, hits: &PhraseHits, lexicon: &Lexicon) -> SentenceCues {
    let hedged = !within(&hits.hedges, span).is_empty();
    let history = !within(&hits.history, span).is_empty();
    let recent = !within(&hits.recent, span).is_empty();
    let left = within(&hits.triggers, span).iter().any(|h| lexicon.triggers[h.index].kind == TriggerKind::Left);
    let mut negated = false;
    let mut years = Vec::new();
    let tokens = &doc.tokens[doc.token_at_or_after(span.start)..doc.token_at_or_after(span.end)];
    for token in tokens {
        let word = doc.slice(token.span);
        negated |= is_negation(word);
        let digits = word.trim_end_matches(['s', '\'']);
        if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(year) = digits.parse::<i32>() {
                if (1950..=2100).contains(&year) {
                    years.push(year);
                }
            }
        }
        // Seasons written 2019/20 or 2019-20.
        if let Some(first) = word.get(..4) {
            if word.len() == 7 && matches!(word.as_bytes()[4], b'/' | b'-') && first.chars().all(|c| c.is_ascii_digit())
            {
                if let Ok(year) = first.parse::<i32>() {
                    years.push(year);
                }
            }
        }
    }
    let completed = within(&hits.completion, span).iter().any(|h| {
        let idx = doc.token_at_or_after(h.span.start);
        let before = &doc.tokens[doc.token_at_or_after(span.start)..idx];
        !before.iter().rev().take(3).any(|t| {
            let w = doc.slice(t.span).to_ascii_lowercase();
            FUTURE.contains(&w.as_str()) || is_negation(&w)
        })
    });
    SentenceCues { hedged, negated, history, years, left, recent, completed }
}

/// Runs the claim rules over a recognised article. `now_year` is the publication year
/// when known (else the latest year the article mentions).
pub fn claims(
    doc: &Doc<'_>,
    rec: &Recognised,
    lexicon: &Lexicon,
    hits: &PhraseHits,
    now_year: Option<i32>,
) -> Vec<Claim> {
    let (triggers, hedges) = (&hits.triggers, &hits.hedges);
    let mut out = Vec::new();
    let dominant = dominant_player(rec);
    let mut focus: Option<usize> = None;
    let mut club_focus: Option<usize> = None;
    let mut focus_sentence = 0usize;
    for (sentence_idx, &sentence) in doc.sentences.iter().enumerate() {
        // Mentions are in text order, so a sentence's mentions are one slice.
        let from = rec.mentions.partition_point(|m| m.span.start < sentence.start);
        let to = rec.mentions.partition_point(|m| m.span.start < sentence.end);
        let mentions: Vec<_> = rec.mentions[from..to.max(from)].iter().filter(|m| m.sentence == sentence_idx).collect();
        let players: Vec<(Span, usize)> = mentions
            .iter()
            .filter_map(|m| match m.kind {
                MentionKind::Person(p) if rec.persons[p].is_player => Some((m.span, p)),
                _ => None,
            })
            .collect();
        let refs: Vec<Span> = mentions.iter().filter(|m| m.kind == MentionKind::PlayerRef).map(|m| m.span).collect();
        // References resolve to the sentence's first named player, else the focus.
        let ref_target = players.first().map(|p| p.1).or(focus);
        let mut subjects: Vec<(Span, usize)> = players.clone();
        if let Some(target) = focus.or(ref_target) {
            for span in &refs {
                let named_before = players.iter().any(|(s, _)| s.start < span.start);
                let target = if named_before { ref_target.unwrap_or(target) } else { target };
                subjects.push((*span, target));
            }
        }
        subjects.sort_by_key(|(s, _)| s.start);
        // "alongside Neymar", "the likes of Son and Salah": bystanders, not movers.
        let bystander_cues = within(&hits.bystanders, sentence);
        if !bystander_cues.is_empty() {
            let mut keep = vec![true; subjects.len()];
            for cue in bystander_cues {
                let mut last_end = cue.span.end;
                for (i, (span, _)) in subjects.iter().enumerate() {
                    if span.start < cue.span.end {
                        continue;
                    }
                    let gap = doc.masked.get(last_end..span.start).unwrap_or("x").trim().to_ascii_lowercase();
                    let listed = gap.is_empty()
                        || matches!(gap.as_str(), "," | "and" | ", and" | "or")
                        || doc.tokens_between(last_end, span.start) <= 3 && last_end == cue.span.end;
                    if !listed {
                        break;
                    }
                    // "together with David Luiz, who also joined Chelsea": he acts.
                    let after = doc.masked.get(span.end..).unwrap_or("").trim_start_matches([',', ' ']);
                    if after.starts_with("who ") {
                        break;
                    }
                    keep[i] = false;
                    last_end = span.end;
                }
            }
            let mut flags = keep.into_iter();
            subjects.retain(|_| flags.next().unwrap_or(true));
        }
        let mut clubs: Vec<(Span, usize)> = mentions
            .iter()
            .filter_map(|m| match m.kind {
                MentionKind::Club(c) => Some((m.span, c)),
                _ => None,
            })
            .collect();
        let first_club = clubs.first().map(|c| c.1);
        // "They have already signed X": "they" acting on a player is the club last named.
        if let Some(club) = club_focus {
            clubs.extend(club_pronouns(doc, lexicon, triggers, sentence).into_iter().map(|span| (span, club)));
            clubs.sort_by_key(|(s, _)| s.start);
        }
        if let Some(club) = first_club {
            club_focus = Some(club);
        }
        // "Van Gaal has already bought Luke Shaw": a coach acting for the club his role
        // names in the article.
        for m in &mentions {
            let MentionKind::Person(p) = m.kind else { continue };
            let person = &rec.persons[p];
            let Some(club) = person.club.filter(|_| !person.is_player) else { continue };
            let acts = within(triggers, sentence).iter().any(|h| {
                let t = &lexicon.triggers[h.index];
                h.span.start >= m.span.end
                    && doc.tokens_between(m.span.end, h.span.start) <= 3
                    && t.side != Side::After
                    && matches!(t.kind, TriggerKind::To | TriggerKind::Move | TriggerKind::Done | TriggerKind::Send)
            });
            if acts && !clubs.iter().any(|(_, c)| *c == club) {
                clubs.push((m.span, club));
                clubs.sort_by_key(|(s, _)| s.start);
            }
        }
        if !clubs.is_empty() {
            let sentence_triggers: Vec<&Hit> = within(triggers, sentence).iter().collect();
            let cues = sentence_cues(doc, sentence, hits, lexicon);
            let sentence_hedges: Vec<&Hit> = within(hedges, sentence).iter().collect();
            for group in club_groups(doc, &clubs) {
                let first = clubs[group[0]].0;
                let last = clubs[*group.last().unwrap_or(&group[0])].0;
                // A possessive naming a player ("Chelsea's Ian Maatsen") is structural and
                // outranks any phrase.
                let governed_by_phrase =
                    govern(doc, lexicon, &sentence_triggers, first, last, &clubs).map(|(hit, side)| {
                        (hit.span, side, lexicon.triggers[hit.index].kind, lexicon.triggers[hit.index].stage)
                    });
                let to_club = bare_to(doc, lexicon, &sentence_triggers, first);
                // "to X" names a destination even when a departure verb is nearer.
                let departure = governed_by_phrase.is_some_and(|(_, _, kind, _)| {
                    matches!(kind, TriggerKind::From | TriggerKind::Left | TriggerKind::Send | TriggerKind::Current)
                });
                let strong = possessive(doc, first, last, &subjects)
                    .or(if departure && to_club.is_some() { to_club } else { governed_by_phrase })
                    .or(to_club);
                let weak = strong.is_none();
                let governed =
                    strong.or_else(|| nearest_any(doc, lexicon, &sentence_triggers, first, last)).or_else(|| {
                        (!subjects.is_empty()).then_some((
                            Span::new(first.start, first.start),
                            Side::Before,
                            TriggerKind::Current,
                            None,
                        ))
                    });
                let Some((trigger, side, kind, stage)) = governed else {
                    continue;
                };
                // Who: the player(s) on the other side of the trigger from the club.
                let mut players_for = pick_players(doc, &subjects, trigger, side, first, last);
                // No player named: the one in focus, if he was named lately and nobody
                // else (a coach, an owner) is the sentence's person.
                let other_person = mentions.iter().any(|m| matches!(m.kind, MentionKind::Person(_)));
                let recent_focus = focus.filter(|_| sentence_idx.saturating_sub(focus_sentence) <= 2);
                if players_for.is_empty() && subjects.is_empty() && !other_person {
                    players_for.extend(recent_focus.or(dominant.filter(|_| focus.is_none())));
                }
                let hedged_near = sentence_hedges
                    .iter()
                    .any(|h| h.span.end <= trigger.start && doc.tokens_between(h.span.end, trigger.start) <= 3);
                // "Wolves are in talks with Arsenal over X": Arsenal sells, unless the
                // sentence speaks of a sale ("Bournemouth in talks with PSG over the sale").
                let kind = if kind == TriggerKind::Counterpart {
                    let buyer_before = clubs.iter().any(|(s, c)| s.end <= trigger.start && *c != clubs[group[0]].1);
                    let sale =
                        within(triggers, sentence).iter().any(|h| lexicon.triggers[h.index].kind == TriggerKind::Send);
                    if buyer_before && !sale {
                        TriggerKind::From
                    } else {
                        TriggerKind::To
                    }
                } else {
                    kind
                };
                // "by signing Alexander Isak from Newcastle", "United's signing of Antony":
                // the gerund with its object, or the club's own signing, is a completed move.
                let kind = if kind == TriggerKind::To && stage == Some(Stage::Speculation) {
                    let phrase = doc.folded_slice(trigger);
                    let next =
                        doc.tokens.get(doc.token_at_or_after(trigger.end)).map(|t| doc.slice(t.span)).unwrap_or("");
                    let before = doc.masked.get(..trigger.start).unwrap_or("").trim_end();
                    let gerund = phrase == "signing"
                        && next.chars().next().is_some_and(|c| c.is_uppercase())
                        && !before.ends_with("the")
                        && !before.ends_with("a");
                    let possessed = phrase.starts_with("signing") && (before.ends_with("'s") || before.ends_with("’s"));
                    if gerund || possessed {
                        TriggerKind::Move
                    } else {
                        kind
                    }
                } else {
                    kind
                };
                // "beating Chelsea to the signing": the rival missed out.
                let kind = if kind == TriggerKind::Rival {
                    let after = doc.masked.get(last.end..).unwrap_or("").trim_start();
                    if after.starts_with("to ") {
                        TriggerKind::Denied
                    } else {
                        TriggerKind::Match
                    }
                } else {
                    kind
                };
                let before_trigger =
                    &doc.tokens[doc.token_at_or_after(sentence.start)..doc.token_at_or_after(trigger.start)];
                // "have not yet made contact" delays, it does not deny.
                let negated_near = cues.negated
                    && before_trigger.iter().enumerate().rev().take(4).any(|(i, t)| {
                        is_negation(doc.slice(t.span))
                            && before_trigger.get(i + 1).is_none_or(|n| !doc.slice(n.span).eq_ignore_ascii_case("yet"))
                    });
                let cues = SentenceCues { negated: negated_near, years: cues.years.clone(), ..cues };
                let preposition = kind == TriggerKind::Current && side == Side::After;
                let Some(mut claim) = classify(kind, stage, &cues, now_year, hedged_near, preposition) else {
                    continue;
                };
                claim.weak = weak;
                // A completed move told in a relative clause ("Laporte, who left Saudi
                // Arabia to return to Europe with Athletic Club") is background.
                if claim.kind == LinkKind::Done && claim.soft {
                    let before = doc.masked[sentence.start..trigger.start.max(sentence.start)].to_ascii_lowercase();
                    if let Some(at) = before.rfind(", who ") {
                        if !before[at + 6..].contains(',') {
                            claim.kind = LinkKind::Past;
                        }
                    }
                }
                claim.in_play = sentence_triggers.iter().any(|h| {
                    !matches!(
                        lexicon.triggers[h.index].kind,
                        TriggerKind::Current | TriggerKind::Match | TriggerKind::Spell | TriggerKind::Rival
                    )
                });
                // "could offer him a route back", "Could Juventus pursue him?": a conditional offer
                // or a question is speculation.
                let question = doc.masked[sentence.start..sentence.end].trim_end().ends_with('?');
                if claim.kind == LinkKind::To && (question || (hedged_near && claim.stage == Some(Stage::Offer))) {
                    claim.stage = Some(Stage::Speculation);
                }
                // A rumour that the same sentence then rules out ("had a bid rejected",
                // "withdrew from the running") ends denied.
                // So does one the player turns down first ("turned down an offer from X").
                // But a selling club rejecting the bid ("Chelsea have rejected a bid from
                // Everton") leaves the bidder's rumour standing.
                let this_club = clubs[group[0]].1;
                let by_other_club = |h: &Hit| {
                    clubs.iter().any(|(s, c)| {
                        *c != this_club && s.end <= h.span.start && doc.tokens_between(s.end, h.span.start) <= 3
                    })
                };
                if claim.kind == LinkKind::To
                    && sentence_triggers.iter().any(|h| {
                        lexicon.triggers[h.index].kind == TriggerKind::Denied
                            && !by_other_club(h)
                            && ((h.span.start > trigger.end && same_clause(doc, trigger.end, h.span.start))
                                || (h.span.end <= trigger.start && doc.tokens_between(h.span.end, trigger.start) <= 6))
                    })
                {
                    claim.kind = LinkKind::Denied;
                }
                // "Liverpool had agreed a deal to sell Coutinho", "United will consider
                // selling him": a club whose own later verb sells is the origin.
                if claim.kind == LinkKind::To && side == Side::Before {
                    let club_end = last.end;
                    let sells = sentence_triggers.iter().any(|h| {
                        matches!(lexicon.triggers[h.index].kind, TriggerKind::Send | TriggerKind::From)
                            && lexicon.triggers[h.index].side != Side::After
                            && h.span.start > trigger.start
                            && !clubs.iter().any(|(s, _)| s.start >= club_end && s.end <= h.span.start)
                    });
                    if sells {
                        claim.kind = LinkKind::From;
                        claim.stage = None;
                    }
                }
                // The club that rejects a bid or offer is the one selling.
                if claim.kind == LinkKind::Denied
                    && side == Side::Before
                    && sentence_triggers
                        .iter()
                        .any(|h| lexicon.triggers[h.index].stage == Some(Stage::Offer) && h.span.start != trigger.start)
                {
                    claim.kind = LinkKind::From;
                }
                // "A, B and C left for X, Y and Z respectively": pair them in order.
                let respectively = players_for.len() == group.len()
                    && group.len() > 1
                    && doc.masked[sentence.start..sentence.end].contains("respectively");
                for (pi, &player) in players_for.iter().enumerate() {
                    for (gi, &ci) in group.iter().enumerate() {
                        if respectively && pi != gi {
                            continue;
                        }
                        out.push(Claim { person: player, club: clubs[ci].1, sentence: sentence_idx, ..claim.clone() });
                    }
                }
            }
        }
        if let Some((_, p)) = players.first() {
            focus = Some(*p);
            focus_sentence = sentence_idx;
        } else if !refs.is_empty() {
            focus_sentence = sentence_idx;
        }
    }
    out
}

/// Builds a claim from a trigger kind and the sentence's cues.
fn classify(
    kind: TriggerKind,
    stage: Option<Stage>,
    cues: &SentenceCues,
    now_year: Option<i32>,
    hedged_near: bool,
    preposition: bool,
) -> Option<Claim> {
    let dated_past = cues.history
        || match now_year {
            Some(now) => cues.years.iter().any(|&y| y < now),
            None => false,
        };
    let base = Claim {
        person: 0,
        club: 0,
        kind: LinkKind::To,
        stage: None,
        hedged: cues.hedged,
        sentence: 0,
        current: false,
        weak: false,
        in_play: false,
        soft: false,
        spell: false,
    };
    let to =
        |stage: Option<Stage>| Claim { kind: LinkKind::To, stage: stage.or(Some(Stage::Speculation)), ..base.clone() };
    let completed = cues.completed && !hedged_near && !cues.negated;
    Some(match kind {
        TriggerKind::Match | TriggerKind::Rival => return None,
        TriggerKind::To | TriggerKind::Go | TriggerKind::Move | TriggerKind::Counterpart if completed && dated_past => {
            Claim { kind: LinkKind::Past, ..base }
        }
        TriggerKind::To | TriggerKind::Go | TriggerKind::Move | TriggerKind::Counterpart if completed => {
            Claim { kind: LinkKind::Done, ..base }
        }
        TriggerKind::Counterpart => to(stage),
        // "will not sell him": he stays.
        TriggerKind::Send if cues.negated => Claim { kind: LinkKind::Stay, ..base },
        TriggerKind::Send => Claim { kind: LinkKind::From, ..base },
        TriggerKind::To if cues.negated => Claim { kind: LinkKind::Denied, ..base },
        TriggerKind::To => to(stage),
        TriggerKind::Go if cues.hedged || cues.negated => to(stage),
        TriggerKind::Go if dated_past => Claim { kind: LinkKind::Past, ..base },
        // "left Madrid to join PSG": the move happened.
        TriggerKind::Go if cues.left => Claim { kind: LinkKind::Done, soft: true, ..base },
        TriggerKind::Go => to(stage),
        TriggerKind::From if dated_past => Claim { kind: LinkKind::Past, ..base },
        // "has no plans to leave Sevilla", "will not sell": he stays.
        TriggerKind::From if cues.negated => Claim { kind: LinkKind::Stay, ..base },
        TriggerKind::From => Claim { kind: LinkKind::From, ..base },
        TriggerKind::Done if dated_past => Claim { kind: LinkKind::Past, ..base },
        TriggerKind::Done => Claim { kind: LinkKind::Done, ..base },
        TriggerKind::Move if dated_past => Claim { kind: LinkKind::Past, ..base },
        TriggerKind::Move if hedged_near || cues.negated => to(stage),
        TriggerKind::Move => Claim { kind: LinkKind::Done, soft: !cues.recent, ..base },
        TriggerKind::Left if dated_past => Claim { kind: LinkKind::Past, ..base },
        TriggerKind::Left => Claim { kind: LinkKind::From, ..base },
        TriggerKind::Spell => Claim { kind: LinkKind::Past, spell: true, ..base },
        TriggerKind::Stay if cues.negated => Claim { kind: LinkKind::From, ..base },
        TriggerKind::Stay => Claim { kind: LinkKind::Stay, ..base },
        TriggerKind::Denied => Claim { kind: LinkKind::Denied, ..base },
        // "spent 2020-21 on loan at Ajax": where he was, told as history.
        TriggerKind::Current if dated_past && preposition => Claim { kind: LinkKind::Past, ..base },
        TriggerKind::Current => Claim { kind: LinkKind::From, current: true, ..base },
    })
}

/// Clubs listed together ("Roma, Bayer Leverkusen and Marseille") share a trigger.
fn club_groups(doc: &Doc<'_>, clubs: &[(Span, usize)]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..clubs.len() {
        let joined = i > 0 && {
            let gap = doc.masked.get(clubs[i - 1].0.end..clubs[i].0.start).unwrap_or("x").trim().to_ascii_lowercase();
            matches!(gap.as_str(), "," | "and" | "or" | "&" | ", and" | ", or" | "as well as" | "/" | "nor")
        };
        match groups.last_mut() {
            Some(group) if joined => group.push(i),
            _ => groups.push(vec![i]),
        }
    }
    groups
}

/// Finds the trigger that governs a club group spanning `first..last`.
fn govern<'h>(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&'h Hit],
    first: Span,
    last: Span,
    clubs: &[(Span, usize)],
) -> Option<(&'h Hit, Side)> {
    let mut best: Option<(usize, &'h Hit, Side)> = None;
    for &hit in triggers {
        let trig = &lexicon.triggers[hit.index];
        let (distance, side) = if hit.span.end <= first.start && trig.side != Side::Before {
            (doc.tokens_between(hit.span.end, first.start), Side::After)
        } else if hit.span.start >= last.end && trig.side != Side::After {
            (doc.tokens_between(last.end, hit.span.start), Side::Before)
        } else {
            continue;
        };
        // Role nouns and bare prepositions must touch the club, but for descriptors
        // ("from Portuguese side Benfica", "at Serie A club Roma").
        let tight = matches!(trig.kind, TriggerKind::Current) || trig.phrase == "from";
        let distance =
            if tight && side == Side::After { descriptor_gap(doc, hit.span.end, first.start) } else { distance };
        if distance > WINDOW || (tight && distance > 1) {
            continue;
        }
        // Another club between the trigger and this one takes the trigger.
        let between = |s: &Span| match side {
            Side::After => s.start >= hit.span.end && s.end <= first.start,
            _ => s.start >= last.end && s.end <= hit.span.start,
        };
        if clubs.iter().any(|(s, _)| between(s)) {
            continue;
        }
        // "joining Messi and Neymar at PSG": the "at" belongs to the verb's subject, so
        // the preposition yields to the verb.
        if trig.kind == TriggerKind::Current
            && side == Side::After
            && follows_move_object(doc, lexicon, triggers, hit.span)
        {
            continue;
        }
        // Prefer the nearer trigger; on a tie prefer the stronger (non-current) one.
        // The bare prepositions "at"/"with" yield to any real trigger three tokens away.
        let preposition = trig.kind == TriggerKind::Current && side == Side::After;
        // A role noun right after the club ("Manchester City winger") is structural and
        // beats any phrase.
        // Only "former"/"ex-" right before the club outranks it ("the former Sevilla
        // defender").
        let role_noun = trig.kind == TriggerKind::Current && side == Side::Before && distance == 0;
        let former = trig.kind == TriggerKind::Spell && side == Side::After && distance == 0;
        let score = if former {
            0
        } else if role_noun {
            1
        } else {
            2 + distance * 4
                + usize::from(tight) * 2
                + usize::from(side == Side::Before)
                + usize::from(preposition) * 12
        };
        if best.as_ref().is_none_or(|(b, _, _)| score < *b) {
            best = Some((score, hit, side));
        }
    }
    best.map(|(_, hit, side)| (hit, side))
}

/// "They"/"they" right before a club action ("They've already signed", "they have
/// agreed a fee").
fn club_pronouns(doc: &Doc<'_>, lexicon: &Lexicon, triggers: &[Hit], sentence: Span) -> Vec<Span> {
    let tokens = &doc.tokens[doc.token_at_or_after(sentence.start)..doc.token_at_or_after(sentence.end)];
    let mut out = Vec::new();
    for token in tokens {
        let word = doc.slice(token.span);
        let pronoun = matches!(word, "They" | "they" | "They've" | "they've" | "They’ve" | "they’ve");
        if !pronoun {
            continue;
        }
        let acts = triggers.iter().any(|h| {
            let t = &lexicon.triggers[h.index];
            h.span.start >= token.span.end
                && doc.tokens_between(token.span.end, h.span.start) <= 2
                && t.side != Side::After
                && matches!(
                    t.kind,
                    TriggerKind::To | TriggerKind::Move | TriggerKind::Done | TriggerKind::Send | TriggerKind::Denied
                )
        });
        if acts {
            out.push(token.span);
        }
    }
    out
}

/// Tokens between two offsets that are not descriptors of a club ("Portuguese side",
/// "Serie A club", "league rival").
fn descriptor_gap(doc: &Doc<'_>, from: usize, to: usize) -> usize {
    if doc.masked.get(from..to).is_none_or(|gap| gap.contains([',', '@', ';', '(', ':'])) {
        return usize::MAX;
    }
    let tokens = &doc.tokens[doc.token_at_or_after(from)..doc.token_at_or_after(to)];
    tokens
        .iter()
        .filter(|t| {
            let word = doc.slice(t.span);
            let descriptor = matches!(
                word,
                "club"
                    | "side"
                    | "outfit"
                    | "giants"
                    | "champions"
                    | "rivals"
                    | "rival"
                    | "league"
                    | "top-flight"
                    | "the"
            ) || word.chars().next().is_some_and(char::is_uppercase);
            !descriptor
        })
        .count()
}

/// Is `preposition` ("at") right after the capitalised object of a move verb ("joining
/// Lionel Messi and Neymar at")?
fn follows_move_object(doc: &Doc<'_>, lexicon: &Lexicon, triggers: &[&Hit], preposition: Span) -> bool {
    let idx = doc.token_at_or_after(preposition.start);
    let mut back = idx;
    // Walk back over the object: capitalised words, "and", commas.
    while back > 0 {
        let word = doc.slice(doc.tokens[back - 1].span);
        if word.chars().next().is_some_and(char::is_uppercase) || word == "and" {
            back -= 1;
        } else {
            break;
        }
    }
    if back == idx || back == 0 {
        return false;
    }
    let object_start = doc.tokens[back].span.start;
    triggers.iter().any(|h| {
        matches!(lexicon.triggers[h.index].kind, TriggerKind::Go | TriggerKind::Move | TriggerKind::To)
            && h.span.end <= object_start
            && doc.tokens_between(h.span.end, object_start) == 0
    })
}

/// The players a club event is about: for "X are interested in P", the first player
/// after the trigger; for "P is linked with X", the nearest player before the trigger.
/// Players listed together ("Martin Skrtel and Harry Wilson") share the event.
fn pick_players(
    doc: &Doc<'_>,
    subjects: &[(Span, usize)],
    trigger: Span,
    side: Side,
    first: Span,
    last: Span,
) -> Vec<usize> {
    let index = match side {
        // The club acts on a player named after the verb; one named before the club
        // only when directly linked to it ("Rice, whom Arsenal want").
        Side::Before => subjects.iter().position(|(s, _)| s.start >= trigger.end).or_else(|| {
            subjects.iter().rposition(|(s, _)| s.end <= first.start && doc.tokens_between(s.end, first.start) <= 12)
        }),
        _ => subjects
            .iter()
            .rposition(|(s, _)| s.end <= trigger.start)
            .or_else(|| subjects.iter().position(|(s, _)| s.start >= last.end)),
    };
    let Some(index) = index else { return Vec::new() };
    // "Marco Reus, 24, and Julian Draxler, 20": an age between listed names.
    let joined = |a: Span, b: Span| {
        let gap = doc.masked.get(a.end..b.start).unwrap_or("x").to_ascii_lowercase();
        let gap: String = gap.trim().trim_start_matches(|c: char| c == ',' || c == ' ' || c.is_ascii_digit()).into();
        let gap = gap.trim();
        gap.is_empty() || matches!(gap, "," | "and" | "&" | ", and" | "or")
    };
    let mut lo = index;
    while lo > 0 && joined(subjects[lo - 1].0, subjects[lo].0) {
        lo -= 1;
    }
    let mut hi = index;
    while hi + 1 < subjects.len() && joined(subjects[hi].0, subjects[hi + 1].0) {
        hi += 1;
    }
    let mut players: Vec<usize> = subjects[lo..=hi].iter().map(|(_, p)| *p).collect();
    players.dedup();
    players
}

/// "Stuttgart's Nick Woltemade", "West Ham's England midfielder Declan Rice": the club
/// is where the player is.
fn possessive(
    doc: &Doc<'_>,
    first: Span,
    last: Span,
    subjects: &[(Span, usize)],
) -> Option<(Span, Side, TriggerKind, Option<Stage>)> {
    let _ = first;
    let after = doc.masked.get(last.end..)?;
    let rest = ["'s ", "’s ", "' ", "’ "].iter().find_map(|p| after.strip_prefix(p))?;
    // "Real Madrid's bid for Mbappe" names the club's action, not its player: the word
    // after the possessive must open a name or a description ("Chelsea's Ian Maatsen",
    // "West Ham's England midfielder").
    let next = rest.split_whitespace().next().unwrap_or("");
    let describes = next.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        || matches!(next, "young" | "veteran" | "teenage" | "star" | "former" | "new" | "record" | "top" | "talented");
    if !describes {
        return None;
    }
    let near = subjects.iter().any(|(s, _)| s.start >= last.end && doc.tokens_between(last.end, s.start) <= 4);
    near.then_some((Span::new(last.end, last.end), Side::Before, TriggerKind::Current, None))
}

/// "... agreed the transfer of the forward to Al Hilal": a bare "to" before the club
/// takes the direction of the sentence's move or rumour trigger.
fn bare_to(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&Hit],
    first: Span,
) -> Option<(Span, Side, TriggerKind, Option<Stage>)> {
    // "to Girona", "to French club Lille", "to Serie A side Como", "to Qatar's Al Hilal".
    let idx = doc.token_at_or_after(first.start);
    let to = (1..=4).find_map(|back| {
        let Some(token) = idx.checked_sub(back).and_then(|i| doc.tokens.get(i)) else {
            return Some(None);
        };
        let word = doc.slice(token.span);
        if word.eq_ignore_ascii_case("to") {
            return Some(Some(token.span));
        }
        let descriptor = matches!(word, "club" | "side" | "outfit" | "giants" | "champions" | "rivals")
            || word.chars().next().is_some_and(char::is_uppercase);
        (!descriptor).then_some(None)
    })??;
    let hit = triggers.iter().rfind(|h| {
        matches!(
            lexicon.triggers[h.index].kind,
            TriggerKind::To
                | TriggerKind::Done
                | TriggerKind::Move
                | TriggerKind::Go
                | TriggerKind::Send
                | TriggerKind::From
                | TriggerKind::Left
        ) && h.span.end <= to.start
    })?;
    let trigger = &lexicon.triggers[hit.index];
    let (kind, stage) = match (trigger.kind, trigger.stage) {
        // The club that sends decides; the one after "to" receives.
        (TriggerKind::Send, Some(stage)) => (TriggerKind::To, Some(stage)),
        // "a deal to sell him to X": not done yet; as far along as the sentence's rumour.
        (TriggerKind::Send | TriggerKind::From, None) if infinitive(doc, hit.span, &trigger.phrase) => {
            let stage = triggers
                .iter()
                .filter(|h| h.span.end <= hit.span.start && lexicon.triggers[h.index].kind == TriggerKind::To)
                .filter_map(|h| lexicon.triggers[h.index].stage)
                .max();
            (TriggerKind::To, stage.or(Some(Stage::Speculation)))
        }
        // "departing on loan to X", "left Chelsea to X": a move to X.
        (TriggerKind::Send | TriggerKind::From | TriggerKind::Left, _) => (TriggerKind::Move, None),
        other => other,
    };
    // The player moving is the one named before "to", so anchor there.
    let _ = hit;
    Some((to, Side::After, kind, stage))
}

/// Is the verb phrase at `span` an infinitive ("to sell", "a deal to sell")?
fn infinitive(doc: &Doc<'_>, span: Span, phrase: &str) -> bool {
    if phrase.starts_with("to ") {
        return true;
    }
    let idx = doc.token_at_or_after(span.start);
    idx.checked_sub(1).and_then(|i| doc.tokens.get(i)).is_some_and(|t| doc.slice(t.span).eq_ignore_ascii_case("to"))
}

/// Fallback: the nearest non-structural trigger anywhere in the sentence.
fn nearest_any(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&Hit],
    first: Span,
    last: Span,
) -> Option<(Span, Side, TriggerKind, Option<Stage>)> {
    triggers
        .iter()
        .filter(|h| {
            let t = &lexicon.triggers[h.index];
            t.kind != TriggerKind::Current && t.phrase != "from"
        })
        .map(|h| {
            if h.span.end <= first.start {
                (doc.tokens_between(h.span.end, first.start), *h, Side::After)
            } else {
                (doc.tokens_between(last.end, h.span.start), *h, Side::Before)
            }
        })
        .filter(|(d, _, _)| *d <= FALLBACK_WINDOW)
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, h, side)| (h.span, side, lexicon.triggers[h.index].kind, lexicon.triggers[h.index].stage))
}

fn dominant_player(rec: &Recognised) -> Option<usize> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for m in &rec.mentions {
        if let MentionKind::Person(p) = m.kind {
            if rec.persons[p].is_player {
                *counts.entry(p).or_default() += 1;
            }
        }
    }
    counts.into_iter().max_by_key(|(p, n)| (*n, std::cmp::Reverse(*p))).map(|(p, _)| p)
}

/// Folds the claims of an article into one decision per (player, club): the story's
/// latest state among the current kinds, plus `past` where history was told.
pub fn decide(claims: &[Claim]) -> Vec<(usize, usize, LinkKind, Option<Stage>, bool, usize)> {
    let mut by_pair: FxHashMap<(usize, usize), Vec<&Claim>> = FxHashMap::default();
    let mut order: Vec<(usize, usize)> = Vec::new();
    for claim in claims {
        let key = (claim.person, claim.club);
        if !by_pair.contains_key(&key) {
            order.push(key);
        }
        by_pair.entry(key).or_default().push(claim);
    }
    // Players whose move is discussed (a destination or a completed move).
    let moving: rustc_hash::FxHashSet<usize> = claims
        .iter()
        .filter(|c| {
            matches!(c.kind, LinkKind::To | LinkKind::Done | LinkKind::Denied)
                || (c.kind == LinkKind::From && !c.current)
        })
        .map(|c| c.person)
        .collect();
    // Clubs a player is leaving or plays for, on strong evidence: such a club is never
    // his destination, so its rumour-like claims ("Napoli rejected a bid", "Napoli want
    // €100m") are read as the origin of the move.
    // The evidence must come no later than the first rumour about the pair: "Manchester
    // United striker Robin van Persie" after his move names his new club, not his old.
    let origin: rustc_hash::FxHashSet<(usize, usize)> = claims
        .iter()
        .filter(|c| !c.weak && (c.current || c.kind == LinkKind::From))
        .filter(|c| {
            let first_rumour = claims
                .iter()
                .filter(|r| r.person == c.person && r.club == c.club && r.kind == LinkKind::To)
                .map(|r| r.sentence)
                .min();
            first_rumour.is_none_or(|first| c.sentence <= first)
        })
        .map(|c| (c.person, c.club))
        .collect();
    // Players whose story is a rumour (a strong destination, no firm completed move):
    // their simple-past moves are background history.
    let rumoured: rustc_hash::FxHashSet<usize> = claims
        .iter()
        .filter(|c| c.kind == LinkKind::To && !c.weak)
        .map(|c| c.person)
        .filter(|p| !claims.iter().any(|c| c.person == *p && c.kind == LinkKind::Done && !c.soft && !c.weak))
        .collect();
    // Players whose move to some club completed: the other clubs that wanted them were
    // beaten to it, so their rumours end denied.
    let signed: FxHashMap<usize, usize> =
        claims.iter().filter(|c| c.kind == LinkKind::Done && !c.weak && !c.soft).map(|c| (c.person, c.club)).collect();
    let mut out = Vec::new();
    for key in order {
        let is_origin = origin.contains(&key) && !by_pair[&key].iter().any(|c| c.kind == LinkKind::Done && !c.weak);
        let owned: Vec<Claim> = by_pair[&key]
            .iter()
            .map(|c| match c.kind {
                LinkKind::To if signed.get(&key.0).is_some_and(|club| *club != key.1) && !is_origin => {
                    Claim { kind: LinkKind::Denied, stage: None, ..(*c).clone() }
                }
                LinkKind::To | LinkKind::Denied if is_origin => {
                    Claim { kind: LinkKind::From, stage: None, ..(*c).clone() }
                }
                LinkKind::Done if c.soft && rumoured.contains(&key.0) => Claim { kind: LinkKind::Past, ..(*c).clone() },
                _ => (*c).clone(),
            })
            .collect();
        let list: Vec<&Claim> = owned.iter().collect();
        let list = &list;
        let has = |k: LinkKind| list.iter().any(|c| c.kind == k && !c.current);
        let first_of = |k: LinkKind| list.iter().find(|c| c.kind == k).map(|c| c.sentence).unwrap_or(0);
        // A bare spell at the club he is leaving gets `from` alone (how he joined it is
        // not told).
        let leaving = list.iter().any(|c| c.kind == LinkKind::From && !c.weak);
        let told_how = list.iter().any(|c| c.kind == LinkKind::Past && !c.spell);
        if has(LinkKind::Past) && (told_how || !leaving) {
            out.push((key.0, key.1, LinkKind::Past, None, false, first_of(LinkKind::Past)));
        }
        let current_kind = if has(LinkKind::Done) {
            Some(LinkKind::Done)
        } else if has(LinkKind::Denied) {
            Some(LinkKind::Denied)
        } else if has(LinkKind::Stay) && !list.iter().any(|c| c.kind == LinkKind::From && !c.current && !c.weak) {
            Some(LinkKind::Stay)
        } else if has(LinkKind::To) && has(LinkKind::From) {
            let to = list.iter().filter(|c| c.kind == LinkKind::To).count();
            let from = list.iter().filter(|c| c.kind == LinkKind::From).count();
            Some(if from > to { LinkKind::From } else { LinkKind::To })
        } else if has(LinkKind::To) {
            Some(LinkKind::To)
        } else if has(LinkKind::From)
            || list.iter().any(|c| c.current && !c.weak && (c.in_play || moving.contains(&key.0)))
        {
            Some(LinkKind::From)
        } else {
            None
        };
        if let Some(kind) = current_kind {
            let matching: Vec<&&Claim> = list.iter().filter(|c| c.kind == kind).collect();
            let stage = matching.iter().filter_map(|c| c.stage).max();
            let hedged = matching.iter().all(|c| c.hedged);
            let sentence = matching.first().map_or(0, |c| c.sentence);
            out.push((key.0, key.1, kind, if kind == LinkKind::To { stage } else { None }, hedged, sentence));
        }
    }
    out
}
