//! Governance: which trigger governs a club (or a group of listed clubs), and which
//! players the event is about.

use super::{FALLBACK_WINDOW, WINDOW};
use crate::doc::Doc;
use crate::lexicon::{Hit, Lexicon, Side, TriggerKind};
use crate::model::Stage;
use crate::recognise::{MentionKind, Recognised};
use mercato_text::Span;
use std::collections::HashMap;

/// Clubs listed together ("Roma, Bayer Leverkusen and Marseille") share a trigger.
pub(super) fn club_groups(doc: &Doc<'_>, clubs: &[(Span, usize)]) -> Vec<Vec<usize>> {
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
pub(super) fn govern<'h>(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&'h Hit],
    first: Span,
    last: Span,
    clubs: &[(Span, usize)],
    players: &[(Span, usize)],
) -> Option<(&'h Hit, Side)> {
    let mut best: Option<(usize, &'h Hit, Side)> = None;
    for &hit in triggers {
        let trig = &lexicon.triggers[hit.index];
        let (distance, side) = if hit.span.end <= first.start && trig.side != Side::Before {
            // "interest from both Chelsea and Napoli": a list's determiner is part of it.
            let gap = doc.masked.get(hit.span.end..first.start).unwrap_or("").trim();
            let determiner = matches!(gap, "both" | "either" | "neither");
            (doc.tokens_between(hit.span.end, first.start) - usize::from(determiner), Side::After)
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
        // The bare noun "move" ("agrees Real Madrid move") names its club only when the club
        // is its modifier, right before it.
        if trig.phrase == "move"
            && (side != Side::Before
                || distance > 0
                || doc.masked.get(last.end..hit.span.start).is_none_or(|g| !g.trim().is_empty()))
        {
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
        // "a move to Man City, Alex Oxlade-Chamberlain weighing up a move to Liverpool":
        // a player after a comma between the club and a verb that wants its club before
        // is that verb's subject; the club belongs to the clause before.
        if side == Side::Before
            && players
                .iter()
                .any(|(s, _)| between(s) && doc.masked.get(last.end..s.start).is_some_and(|g| g.contains([',', ';'])))
        {
            continue;
        }
        // "joining Messi and Neymar at PSG": the "at" belongs to the verb's subject, so
        // the preposition yields to the verb.
        // Not "of": "signing Kai Havertz of Leverkusen" names the player's own club.
        if trig.kind == TriggerKind::Current
            && side == Side::After
            && trig.phrase != "of"
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
        // So is "of" right after a player's name ("Kai Havertz of Bayer Leverkusen"; the
        // claims keep that "of" only there).
        let role_noun = trig.kind == TriggerKind::Current
            && distance == 0
            && (side == Side::Before || (side == Side::After && trig.phrase == "of"));
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
pub(super) fn club_pronouns(doc: &Doc<'_>, lexicon: &Lexicon, triggers: &[Hit], sentence: Span) -> Vec<Span> {
    let tokens = &doc.tokens[doc.token_at_or_after(sentence.start)..doc.token_at_or_after(sentence.end)];
    let mut out = Vec::new();
    for token in tokens {
        // every form starts with a "t"
        if !doc.text.as_bytes().get(token.span.start).is_some_and(|b| b.eq_ignore_ascii_case(&b't')) {
            continue;
        }
        let word = doc.slice(token.span);
        let pronoun = matches!(
            word,
            "They"
                | "they"
                | "They've"
                | "they've"
                | "They’ve"
                | "they’ve"
                | "They're"
                | "they're"
                | "They’re"
                | "they’re"
        );
        if !pronoun {
            continue;
        }
        // "they're also close to securing a deal for X": a few words may stand between,
        // not a clause break.
        let acts = triggers.iter().any(|h| {
            let t = &lexicon.triggers[h.index];
            h.span.start >= token.span.end
                && doc.tokens_between(token.span.end, h.span.start) <= 3
                && doc
                    .masked
                    .get(token.span.end..h.span.start)
                    .is_some_and(|g| !g.contains([',', ';', ':', '(', '"', '“']))
                && t.side != Side::After
                && matches!(
                    t.kind,
                    TriggerKind::To
                        | TriggerKind::Move
                        | TriggerKind::Done
                        | TriggerKind::Send
                        | TriggerKind::Denied
                        | TriggerKind::Stay
                )
        });
        if acts {
            out.push(token.span);
        }
    }
    out
}

/// "After ending their interest in X, Liverpool have targeted Y", "Despite missing out
/// on a bid for West Brom's X, Burnley ...": a sentence opening with a participial clause
/// (a [`Lexicon::fronted`] word, then a gerund that is a club's act in `triggers`) whose comma is followed by a club, the
/// main clause's subject. Returns the offset where the clause's verb starts and that
/// club's mention span, so the club can stand as the clause's own subject. Not when the
/// clause names a club of its own that does not describe a player ("After leaving
/// Chelsea, ...").
pub(super) fn fronted_subject(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[Hit],
    sentence: Span,
    clubs: &[(Span, usize)],
    subjects: &[(Span, usize)],
) -> Option<(usize, Span)> {
    let tokens = &doc.tokens[doc.token_at_or_after(sentence.start)..doc.token_at_or_after(sentence.end)];
    let mut i = 0;
    while tokens.get(i).is_some_and(|t| {
        let word = doc.slice(t.span);
        word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("but")
    }) {
        i += 1;
    }
    // For a purpose clause, the act may be phrased with its "to" ("to sign").
    let (verb, to) = match purpose_verb(doc, lexicon, tokens, i) {
        Some((to, verb)) => (verb, to.span.start),
        None => {
            let opener = tokens.get(i)?;
            let verb = tokens.get(i + 1)?;
            let ing = |t: &crate::doc::Token| {
                let word = doc.slice(t.span).as_bytes();
                word.len() > 4 && word[word.len() - 3..].eq_ignore_ascii_case(b"ing")
            };
            // the gerund first: most sentences have none there, and the opener is not lowered
            // ("Having sold X to Y, Z ...": the opener is the gerund, its participle the act)
            if !ing(verb) && !ing(opener) {
                return None;
            }
            if !lexicon.fronted.contains(&doc.slice(opener.span).to_ascii_lowercase()) {
                return None;
            }
            (verb, verb.span.start)
        }
    };
    // The gerund is itself a club's act ("ending interest in", "missing out on", "signing").
    let act = triggers.iter().find(|h| {
        let t = &lexicon.triggers[h.index];
        (h.span.start == verb.span.start || h.span.start == to)
            && t.side != Side::After
            && matches!(
                t.kind,
                TriggerKind::To
                    | TriggerKind::Move
                    | TriggerKind::Done
                    | TriggerKind::Denied
                    | TriggerKind::Send
                    | TriggerKind::From
            )
    })?;
    // Tokens are words: the clause ends at the first comma of the text.
    // A club after "to"/"from" in it is where the object goes or comes from ("After
    // selling X to Sevilla, Napoli ...").
    let comma = verb.span.end + doc.masked.get(verb.span.end..sentence.end)?.find(',')?;
    if clubs.iter().any(|(s, _)| {
        s.start >= verb.span.start
            && s.end <= comma
            && !describes_player(doc, lexicon, *s, subjects)
            && !after_to_or_from(doc, *s)
    }) {
        return None;
    }
    let (subject, _) = clubs.iter().find(|(s, _)| s.start > comma)?;
    (doc.tokens_between(comma + 1, subject.start) <= 1).then_some((act.span.start, *subject))
}

/// "In an attempt to sign X, Chelsea ...", "..., in a bid to land X, Arsenal ...": a
/// purpose clause (a multi-word [`Lexicon::fronted`] phrase ending in "to") opening the
/// sentence or set off by a comma; returns the clause's "to" and verb tokens.
fn purpose_verb<'t>(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    tokens: &'t [crate::doc::Token],
    first: usize,
) -> Option<(&'t crate::doc::Token, &'t crate::doc::Token)> {
    // (the word first: most tokens are no "in", and the gap before it need not be read)
    let starts = (first..tokens.len()).filter(|&j| {
        doc.slice(tokens[j].span).eq_ignore_ascii_case("in")
            && (j == first
                || doc.masked.get(tokens[j - 1].span.end..tokens[j].span.start).is_some_and(|g| g.contains(',')))
    });
    for j in starts {
        let mut phrase = String::from("in");
        for n in 1..4 {
            let Some(t) = tokens.get(j + n) else { break };
            phrase.push(' ');
            phrase.push_str(&doc.slice(t.span).to_ascii_lowercase());
            if phrase.ends_with(" to") && lexicon.fronted.contains(&phrase) {
                return Some((t, tokens.get(j + n + 1)?));
            }
        }
    }
    None
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

/// "Kai Havertz of Bayer Leverkusen": nothing but "of" between a player's name ending at
/// `name_end` and a club starting at `club_start`, so the club is his own.
pub(super) fn of_between(doc: &Doc<'_>, name_end: usize, club_start: usize) -> bool {
    doc.masked.get(name_end..club_start).is_some_and(|g| g.trim().eq_ignore_ascii_case("of"))
}

/// "Andy Carroll from Newcastle", "Sofyan Amrabat to Spain's Girona": "from" or "to" and
/// the club's descriptors between a player's name ending at `name_end` and a club starting
/// at `club_start`, so the club is where that player comes from or goes.
fn from_between(doc: &Doc<'_>, name_end: usize, club_start: usize) -> bool {
    let Some(prep) = doc.tokens.get(doc.token_at_or_after(name_end)) else { return false };
    let word = doc.slice(prep.span);
    prep.span.end <= club_start
        && (word.eq_ignore_ascii_case("from") || word.eq_ignore_ascii_case("to"))
        && doc.masked.get(name_end..prep.span.start).is_some_and(|g| g.trim().is_empty())
        && descriptor_gap(doc, prep.span.end, club_start) == 0
}

/// "sent A to Spain's Girona and B to Real Betis": a club right after "to" or "from" (and
/// its descriptors) is where an object goes or comes from, not a new subject.
pub(super) fn after_to_or_from(doc: &Doc<'_>, club: Span) -> bool {
    after_preposition(doc, club, &["to", "from"])
}

/// Is the club right after one of `words` (and the club's descriptors)?
pub(super) fn after_preposition(doc: &Doc<'_>, club: Span, words: &[&str]) -> bool {
    let at = doc.token_at_or_after(club.start);
    doc.tokens[at.saturating_sub(4)..at].iter().rev().any(|t| {
        let word = doc.slice(t.span);
        words.iter().any(|w| word.eq_ignore_ascii_case(w)) && descriptor_gap(doc, t.span.end, club.start) == 0
    })
}

/// "Benfica have announced Joao Felix has signed for Atletico Madrid": a club that opens
/// the sentence and announces (`announcing.txt`) a move whose verb governs another club
/// right after it lets the player go, as a verb of sending would.
pub(super) fn announces_sale(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&Hit],
    sentence: Span,
    (first, last): (Span, Span),
    clubs: &[(Span, usize)],
    this: usize,
) -> Option<(Span, Side, TriggerKind, Option<Stage>)> {
    if !opens_sentence(doc, lexicon, sentence, first) {
        return None;
    }
    let at = doc.token_at_or_after(last.end);
    let word = doc.tokens.get(at..)?.iter().take(3).find(|t| {
        t.span.end <= sentence.end && lexicon.announcing.contains(doc.slice(t.span).to_ascii_lowercase().as_str())
    })?;
    let destination = clubs.iter().any(|(s, c)| {
        *c != this
            && s.start > word.span.end
            && triggers.iter().any(|h| {
                matches!(
                    lexicon.triggers[h.index].kind,
                    TriggerKind::Go | TriggerKind::Move | TriggerKind::To | TriggerKind::Done
                ) && lexicon.triggers[h.index].side != Side::Before
                    && h.span.start > word.span.end
                    && h.span.end <= s.start
                    && descriptor_gap(doc, h.span.end, s.start) == 0
            })
    });
    destination.then_some((word.span, Side::Before, TriggerKind::Send, None))
}

/// The players a club event is about: for "X are interested in P", the first player
/// after the trigger; for "P is linked with X", the nearest player before the trigger.
/// Players listed together ("Martin Skrtel and Harry Wilson") share the event.
pub(super) fn pick_players(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    descriptors_join: bool,
    subjects: &[(Span, usize)],
    (trigger, side): (Span, Side),
    clubs: Span,
    club_mentions: &[(Span, usize)],
) -> Vec<usize> {
    // The club group runs from its first mention's start to its last one's end.
    let (first, last) = (Span::new(clubs.start, clubs.start), Span::new(clubs.end, clubs.end));
    let index = match side {
        // The club acts on a player named after the verb; one named before the club
        // only when directly linked to it ("Rice, whom Arsenal want").
        // A role noun that is itself the reference ("the Atalanta forward") is the player.
        Side::Before => subjects
            .iter()
            .position(|(s, _)| s.start >= trigger.end || *s == trigger)
            .or_else(|| {
                subjects.iter().rposition(|(s, _)| s.end <= first.start && doc.tokens_between(s.end, first.start) <= 12)
            })
            .or_else(|| {
                // "X has been the subject of enquiries ..., with Lazio opting against a
                // move": the sentence's only player, named first, is its topic.
                let (s, p) = subjects.first()?;
                let opens = doc
                    .sentence_of(s.start)
                    .and_then(|i| doc.sentences.get(i))
                    .is_some_and(|sentence| doc.tokens_between(sentence.start, s.start) == 0);
                (opens && s.end <= first.start && subjects.iter().all(|(_, q)| q == p)).then_some(0)
            }),
        _ => subjects
            .iter()
            .rposition(|(s, _)| s.end <= trigger.start)
            .or_else(|| subjects.iter().position(|(s, _)| s.start >= last.end)),
    };
    let Some(index) = index else { return Vec::new() };
    // "Marco Reus, 24, and Julian Draxler, 20": an age between listed names.
    let joined = |a: Span, b: Span| {
        // "X of Monaco and Lyon's Y": the first name's own club after "of" belongs to his
        // description, not to the gap between the names.
        // So does the club he comes from, for a verb whose objects follow it ("bring in
        // A from Newcastle and B from Ajax"; not for "from" itself, which governs that
        // club alone).
        let a = club_mentions
            .iter()
            .find(|(s, _)| {
                s.start >= a.end
                    && s.end <= b.start
                    && (of_between(doc, a.end, s.start) || side == Side::Before && from_between(doc, a.end, s.start))
            })
            .map_or(a, |(s, _)| Span::new(a.start, s.end));
        let gap = doc.masked.get(a.end..b.start).unwrap_or("x").to_ascii_lowercase();
        let gap: String = gap.trim().trim_start_matches(|c: char| c == ',' || c == ' ' || c.is_ascii_digit()).into();
        let gap = gap.trim();
        if gap.is_empty() || matches!(gap, "," | "and" | "&" | ", and" | "or") {
            return true;
        }
        // "Romelu Lukaku and ex-England midfielder Gareth Barry": the next name after its
        // descriptors (role nouns, "ex-"/"former", nationalities, "young").
        // Not for a club's own descriptor ("Liverpool striker X and Colombia international
        // Y": the second name has a descriptor of its own).
        if !descriptors_join {
            return false;
        }
        // The separator was trimmed off above when it was a comma ("Luke Shaw, Spanish
        // midfielder Ander Herrera").
        let original = doc.masked.get(a.end..b.start).unwrap_or("");
        let comma = original.trim_start().starts_with(',');
        // After a bare comma, a club before the next name is that player's own ("John
        // Stones, Leicester midfielder Y, ..."): a new clause, not the list.
        let club_between = club_mentions.iter().any(|(s, _)| s.start >= a.end && s.end <= b.start);
        let Some(rest) = lexicon
            .joiners
            .iter()
            .find_map(|p| gap.strip_prefix(p.as_str()))
            .or((comma && !club_between).then_some(gap))
        else {
            return false;
        };
        // A club's own words ("and Paris St-Germain's Brazilian defender Y") are not
        // counted among the next name's descriptors.
        let club_word = |w: &str| {
            let base = w.trim_end_matches("'s").trim_end_matches("’s");
            club_mentions.iter().filter(|(s, _)| s.start >= a.end && s.end <= b.start).any(|(s, _)| {
                doc.masked.get(s.start..s.end).unwrap_or("").split_whitespace().any(|c| c.eq_ignore_ascii_case(base))
            })
        };
        let words: Vec<&str> = rest.split_whitespace().filter(|w| !club_word(w)).collect();
        rest.split_whitespace().next().is_some()
            && words.len() <= 3
            && !original.contains(['.', ';', '(', ':'])
            && words.iter().all(|w| {
                lexicon.role_words.contains(*w)
                    || w.starts_with("ex-")
                    || *w == "the"
                    || lexicon.descriptors.contains(*w)
                    || original.contains(&format!(
                        "{}{}",
                        w.get(..1).unwrap_or("").to_uppercase(),
                        w.get(1..).unwrap_or("")
                    ))
            })
    };
    let mut lo = index;
    while lo > 0 && joined(subjects[lo - 1].0, subjects[lo].0) {
        lo -= 1;
    }
    let mut hi = index;
    while hi + 1 < subjects.len() && joined(subjects[hi].0, subjects[hi + 1].0) {
        hi += 1;
    }
    // In a list, a possessive name describes the next one ("X and Di Maria's Argentina
    // team-mate, Y"): it is not itself on the list.
    let possessed = |span: Span| {
        doc.masked.get(span.end..).is_some_and(|after| ["'s ", "’s "].iter().any(|p| after.starts_with(p)))
    };
    let mut players: Vec<usize> =
        subjects[lo..=hi].iter().filter(|(s, _)| hi == lo || !possessed(*s)).map(|(_, p)| *p).collect();
    players.dedup();
    players
}

/// "paid Southampton £75m for X", "paid to Real Madrid for X in 2008": the player named
/// by "for" after the club (a fee between them, no other club, no clause break), whom the
/// payment to that club bought.
pub(super) fn bought_for(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    club_mentions: &[(Span, usize)],
    subjects: &[(Span, usize)],
    last: Span,
) -> Option<usize> {
    let (span, player) = subjects.iter().find(|(s, _)| s.start >= last.end)?;
    let gap = doc.masked.get(last.end..span.start)?;
    if gap.contains(['.', ';', ':', '(', ')', ','])
        || club_mentions.iter().any(|(s, _)| s.start >= last.end && s.end <= span.start)
    {
        return None;
    }
    // "for" as the word before the name, with at most a fee before it
    let words: Vec<&str> = gap.split_whitespace().collect();
    let (&for_word, fee) = words.split_last()?;
    let fee_like = |w: &str| {
        w.chars().any(|c| c.is_ascii_digit() || matches!(c, '£' | '€' | '$'))
            || lexicon.fee_words.contains(w.to_lowercase().as_str())
    };
    (for_word == "for" && fee.len() <= 4 && fee.iter().all(|w| fee_like(w))).then_some(*player)
}

/// "Stuttgart's Nick Woltemade", "West Ham's England midfielder Declan Rice": the club
/// is where the player is.
pub(super) fn possessive(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    last: Span,
    subjects: &[(Span, usize)],
) -> Option<(Span, Side, TriggerKind, Option<Stage>)> {
    let after = doc.masked.get(last.end..)?;
    let rest = ["'s ", "’s ", "' ", "’ "].iter().find_map(|p| after.strip_prefix(p))?;
    // "Real Madrid's bid for Mbappe" names the club's action, not its player: the word
    // after the possessive must open a name or a description ("Chelsea's Ian Maatsen",
    // "West Ham's England midfielder").
    let next = rest.split_whitespace().next().unwrap_or("");
    let describes = next.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        || lexicon.descriptors.contains(next);
    if !describes {
        return None;
    }
    let near = subjects.iter().any(|(s, _)| s.start >= last.end && doc.tokens_between(last.end, s.start) <= 4);
    near.then_some((Span::new(last.end, last.end), Side::Before, TriggerKind::Current, None))
}

/// "... agreed the transfer of the forward to Al Hilal": a bare "to" before the club
/// takes the direction of the sentence's move or rumour trigger.
pub(super) fn bare_to(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&Hit],
    subjects: &[(Span, usize)],
    first: Span,
) -> Option<(Span, Side, TriggerKind, Option<Stage>)> {
    // "to Girona", "to French club Lille", "to Serie A side Como", "to Qatar's Al Hilal".
    let idx = doc.token_at_or_after(first.start);
    let to = (1..=4).find_map(|back| {
        let Some(token) = idx.checked_sub(back).and_then(|i| doc.tokens.get(i)) else {
            return Some(None);
        };
        let word = doc.slice(token.span);
        if word.eq_ignore_ascii_case("to") || word == "for" {
            return Some(Some(token.span));
        }
        let descriptor = matches!(word, "club" | "side" | "outfit" | "giants" | "champions" | "rivals")
            || word.chars().next().is_some_and(char::is_uppercase);
        (!descriptor).then_some(None)
    })??;
    // "for" names a destination only after a club left ("left Chelsea for Arsenal",
    // "swapped Brighton for Arsenal"): the departure verb, then the club it governs, then
    // "for" with nothing else between.
    if doc.slice(to) == "for" {
        let left = triggers.iter().rfind(|h| h.span.end <= to.start)?;
        let kind = lexicon.triggers[left.index].kind;
        let gap = doc.masked.get(left.span.end..to.start)?;
        let one_club = gap.split_whitespace().all(|w| w.chars().next().is_some_and(char::is_uppercase));
        if !matches!(kind, TriggerKind::Left | TriggerKind::From) || !one_club || gap.trim().is_empty() {
            return None;
        }
        // A move towards the club: done after "left"/"swapped", else a rumour ("wants to
        // leave Fulham for Al-Hilal").
        return Some((to, Side::After, TriggerKind::Go, Some(Stage::Speculation)));
    }
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
    });
    // The headline shape "Seamus Coleman to Manchester United?": a player right before a
    // bare "to" and no verb of moving before it is a rumour of that move.
    let Some(hit) = hit else {
        let headline = doc.slice(to).eq_ignore_ascii_case("to")
            && subjects.iter().any(|(s, _)| s.end <= to.start && doc.tokens_between(s.end, to.start) == 0);
        return headline.then_some((to, Side::After, TriggerKind::To, Some(Stage::Speculation)));
    };
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

/// Is the club at `first` the sentence's subject: only opener words ("But", "Meanwhile")
/// and commas before it, back to the sentence's start or to the "that" of a reported
/// clause ("Sources have told ESPN that Arsenal ...", a verb of saying at most four words
/// before it)?
pub(super) fn opens_sentence(doc: &Doc<'_>, lexicon: &Lexicon, sentence: Span, first: Span) -> bool {
    let tokens = &doc.tokens[doc.token_at_or_after(sentence.start)..doc.token_at_or_after(first.start)];
    for (i, t) in tokens.iter().enumerate().rev() {
        let word = doc.slice(t.span).to_ascii_lowercase();
        if word == "," || lexicon.openers.contains(&word) {
            continue;
        }
        return word == "that"
            && tokens[i.saturating_sub(4)..i]
                .iter()
                .any(|v| lexicon.reporting.contains(&doc.slice(v.span).to_ascii_lowercase()));
    }
    true
}

/// Is the club at `club` a player's descriptor ("Chelsea striker X", "Chelsea's young
/// defender X"): a player named right after it with only a possessive, role nouns,
/// capitalised words and a few adjectives between?
pub(super) fn describes_player(doc: &Doc<'_>, lexicon: &Lexicon, club: Span, subjects: &[(Span, usize)]) -> bool {
    subjects.iter().any(|(s, _)| {
        s.start >= club.end
            && doc.tokens_between(club.end, s.start) <= 4
            && doc.masked.get(club.end..s.start).is_some_and(|gap| {
                gap.split_whitespace().all(|w| {
                    let w = w.trim_start_matches(['\'', '’']).trim_start_matches('s');
                    w.is_empty()
                        || lexicon.role_words.contains(&w.to_ascii_lowercase())
                        || w.chars().next().is_some_and(char::is_uppercase)
                        || lexicon.descriptors.contains(w)
                })
            })
    })
}

/// Largest gap (in tokens) between a sentence's subject club and its verb of pursuit.
const SUBJECT_WINDOW: usize = 16;

/// "Arsenal have moved ahead of Liverpool in the race to sign X", "West Ham are facing
/// competition from Leicester in their pursuit of X": a club that opens the sentence (only
/// opener words such as "But" or "Meanwhile" before it) is its subject, and the first verb
/// of pursuit, signing or refusal after it is the subject's act, however far and whatever
/// clubs stand between. Used only for a club no nearer phrase governs.
pub(super) fn subject_act(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&Hit],
    sentence: Span,
    first: Span,
    last: Span,
) -> Option<(Span, Side, TriggerKind, Option<Stage>)> {
    if !opens_sentence(doc, lexicon, sentence, first) {
        return None;
    }
    // The first act after the club; a rivalry ("beat Roma to the signing") is told by its
    // own rule, so it stops the search.
    let hit = triggers.iter().filter(|h| h.span.start >= last.end).find(|h| {
        let trigger = &lexicon.triggers[h.index];
        trigger.kind == TriggerKind::Rival
            || trigger.side != Side::After
                && matches!(trigger.kind, TriggerKind::To | TriggerKind::Done | TriggerKind::Denied)
    })?;
    if lexicon.triggers[hit.index].kind == TriggerKind::Rival {
        return None;
    }
    let trigger = &lexicon.triggers[hit.index];
    // The act must stay in the subject's clause.
    let gap = doc.masked.get(last.end..hit.span.start).unwrap_or(";");
    let clause = !gap.contains([';', ':', '(', '"', '“']) && !gap.contains(", who") && !gap.contains(", which");
    (clause && doc.tokens_between(last.end, hit.span.start) <= SUBJECT_WINDOW).then_some((
        hit.span,
        Side::Before,
        trigger.kind,
        trigger.stage,
    ))
}

/// "a £25.5m bid for Aleksandar Mitrovic from Al-Hilal", "an offer for the striker from
/// Roma": a bare "from" whose only words back to an offer noun are "for" and
/// the player it is for ends that noun phrase, so the club is the bidder at the noun's
/// stage. Returns the replacement governance, or `None` to keep the given one.
pub(super) fn bidder_from(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&Hit],
    governed: (Span, Side, TriggerKind, Option<Stage>),
) -> Option<(Span, Side, TriggerKind, Option<Stage>)> {
    let (span, side, kind, _) = governed;
    if kind != TriggerKind::From || side != Side::After || doc.folded_slice(span) != "from" {
        return None;
    }
    // Role nouns ("the midfielder") are part of the player's name here.
    let noun = triggers
        .iter()
        .rfind(|h| h.span.end <= span.start && lexicon.triggers[h.index].kind != TriggerKind::Current)?;
    let trigger = &lexicon.triggers[noun.index];
    // Only a bid's noun: "a move for X from Frankfurt" names the club he leaves.
    if trigger.kind != TriggerKind::To || trigger.stage != Some(Stage::Offer) {
        return None;
    }
    let gap = doc.masked.get(noun.span.end..span.start)?;
    let mut words = gap.split_whitespace().peekable();
    // "bid for" carries its "for"; "offer" needs one.
    if !trigger.phrase.ends_with(" for") && words.next() != Some("for") {
        return None;
    }
    words.peek()?;
    // The rest names the player: capitalised words, or "the" and a role noun or age.
    let names_player = words.enumerate().all(|(i, w)| {
        w.chars().next().is_some_and(|c| c.is_uppercase())
            || (i == 0 && matches!(w, "the" | "a" | "their" | "his"))
            || lexicon.role_words.contains(&w.to_ascii_lowercase())
            || w.ends_with("-year-old")
    });
    names_player.then_some((span, Side::After, TriggerKind::To, trigger.stage))
}

/// Fallback: the nearest non-structural trigger anywhere in the sentence.
pub(super) fn nearest_any(
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

pub(super) fn dominant_player(rec: &Recognised) -> Option<usize> {
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
