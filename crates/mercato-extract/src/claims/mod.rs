//! The *claims* stage: for every sentence, each club mention is governed by the nearest
//! trigger phrase on the side the phrase expects, attached to a player (named in the
//! sentence, or the player in focus for "he" / "the defender"), and given a kind by the
//! trigger and the sentence's time cues. Per (player, club) the article's latest state is
//! kept; `past` may stand beside any other kind.
//!
//! The stage is split by concept: `cues` reads a sentence's time, hedging and negation
//! cues; `govern` finds the trigger that governs each club and the players it is about;
//! this module runs the per-sentence loop and `classify`; [`decide`] folds an article's
//! claims into one decision per (player, club).

mod cues;
mod decide;
mod govern;
mod sections;

use crate::doc::Doc;
use crate::lexicon::{within, Hit, Lexicon, PhraseHits, RoleClass, Side, TriggerKind};
use crate::model::{LinkKind, Stage};
use crate::recognise::{MentionKind, Recognised};
use cues::{is_negation, relative_clauses, same_clause, sentence_cues, SentenceCues};
use govern::{
    after_preposition, after_to_or_from, announces_sale, bare_to, bidder_from, bought_for, club_groups, club_pronouns,
    describes_player, dominant_player, fronted_subject, govern, nearest_any, of_between, opens_sentence, pick_players,
    possessive, subject_act,
};
use mercato_text::Span;

pub use decide::decide;

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
    /// Told in a sentence about the past ("considered him last winter"): its stage is not
    /// the story's.
    pub history: bool,
    /// The club is named as his right before him, by a role noun or a possessive
    /// ("Juventus defender X", "Stuttgart's X"): where he plays, stated (a `current_club`
    /// fact when nothing else in the article moves him).
    pub named: bool,
    /// A rumour told in the past perfect ("had been linked with X"): one the story has
    /// moved past, denied where the player's move or stay elsewhere is settled.
    pub earlier: bool,
}

pub use cues::now_matters;

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
    let mut club_sentence = 0usize;
    let mut focus_sentence = 0usize;
    // The last person named was not a player: references do not reach back past him.
    let mut yielded = false;
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
                let position = within(&hits.roles, *span)
                    .iter()
                    .any(|r| lexicon.roles.get(r.index).is_some_and(|(_, class)| *class == RoleClass::Player));
                if yielded && !named_before && !position {
                    continue;
                }
                let target = if named_before { ref_target.unwrap_or(target) } else { target };
                // "X is set to leave after Y said he is staying": a reference right after a
                // player's verb of saying ("Y said (that) he") is that player.
                let speaker = players.iter().rev().find(|(s, _)| s.end <= span.start).filter(|(s, _)| {
                    let mut said = false;
                    doc.masked[s.end..span.start].split_whitespace().all(|w| {
                        let w = w.to_ascii_lowercase();
                        let reporting = lexicon.reporting.contains(&w);
                        said |= reporting;
                        reporting || matches!(w.as_str(), "that" | "has" | "have")
                    }) && said
                });
                let target = speaker.map_or(target, |(_, p)| *p);
                subjects.push((*span, target));
            }
        }
        subjects.sort_by_key(|(s, _)| s.start);
        // "alongside Neymar", "the likes of Son and Salah": bystanders, not movers.
        let bystander_cues = within(&hits.bystanders, sentence);
        if !bystander_cues.is_empty() {
            let mut keep = vec![true; subjects.len()];
            for cue in bystander_cues {
                if lexicon.bystander_sides.get(cue.index) == Some(&Side::Before) {
                    // "Mane replacement Cody Gakpo", "Ramsey's replacement": the player
                    // right before the phrase (possessive or not) is not moving.
                    for (i, (span, _)) in subjects.iter().enumerate() {
                        let gap = doc.masked.get(span.end..cue.span.start).unwrap_or("x").trim();
                        if span.end <= cue.span.start && matches!(gap, "" | "'s" | "’s" | "'" | "’") {
                            keep[i] = false;
                        }
                    }
                    continue;
                }
                // "a host of Chelsea players, including X and Y, have left": with no
                // player named before it, the list names the movers themselves.
                if lexicon.bystander_lists.get(cue.index) == Some(&true)
                    && !subjects.iter().any(|(span, _)| span.end <= cue.span.start)
                {
                    continue;
                }
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
        // "They have already signed X": "they" acting on a player is the club last named,
        // in this sentence if one comes before it ("Spurs ..., as they brought in X").
        let pronouns = club_pronouns(doc, lexicon, triggers, sentence);
        // A club told by a description ("the German club"): only a pursuit, its end or
        // history is read from it; a description in a completed move is mostly background
        // retold ("joined the Catalan club at 13"), and "they" is a club named.
        let described =
            |s: Span| rec.described.binary_search_by_key(&s.start, |d| d.start).is_ok_and(|i| rec.described[i] == s);
        for span in pronouns {
            // "United did not want X hijacked by Liverpool, as they had already opted
            // against him": after a clause break, "they" is the club the sentence opens
            // with (its subject), not the nearest one.
            let subject = clubs
                .first()
                .filter(|(s, _)| s.end <= span.start && opens_sentence(doc, lexicon, sentence, *s))
                .filter(|(s, _)| doc.masked.get(s.end..span.start).is_some_and(|gap| gap.contains(',')))
                .map(|(_, c)| *c);
            let here = subject
                .or_else(|| clubs.iter().rev().find(|(s, _)| s.end <= span.start && !described(*s)).map(|(_, c)| *c));
            if let Some(club) = here.or(club_focus) {
                clubs.push((span, club));
            }
        }
        clubs.sort_by_key(|(s, _)| s.start);
        // "After ending their interest in X, Liverpool have targeted Y": the fronted
        // clause's verb is the subject club's act too.
        if let Some((verb, subject)) =
            fronted_subject(doc, lexicon, within(triggers, sentence), sentence, &clubs, &subjects)
        {
            if let Some(&(_, club)) = clubs.iter().find(|(s, _)| *s == subject) {
                clubs.push((Span::new(verb, verb), club));
                clubs.sort_by_key(|(s, _)| s.start);
            }
        }
        // "The exits of X, Y and Z have brought in £190m": a club's own transfer noun or
        // verb with no club named in the sentence and nobody before it is the club the
        // article last spoke of.
        // So does one whose subject is a description ("The champions reinforced their
        // squad with X and Y"): no club before the act, whatever clubs follow it.
        {
            if let Some(club) = club_focus.filter(|_| sentence_idx.saturating_sub(club_sentence) <= 2) {
                let act = within(triggers, sentence).iter().find(|h| {
                    let t = &lexicon.triggers[h.index];
                    (clubs.iter().all(|(s, _)| described(*s)) || described_subject(doc, sentence, h.span.start))
                        && !clubs.iter().any(|(s, _)| s.start < h.span.end && !described(*s))
                        && t.side == Side::Before
                        && matches!(t.kind, TriggerKind::Send | TriggerKind::Move | TriggerKind::Done)
                        && subjects
                            .iter()
                            .any(|(s, _)| s.start >= h.span.end && doc.tokens_between(h.span.end, s.start) <= 3)
                        && !mentions.iter().any(|m| {
                            m.span.end <= h.span.start
                                && !matches!(m.kind, MentionKind::Source(_))
                                && !(matches!(m.kind, MentionKind::Club(_)) && described(m.span))
                        })
                });
                if let Some(h) = act {
                    clubs.push((Span::new(h.span.start, h.span.start), club));
                    clubs.sort_by_key(|(s, _)| s.start);
                }
            }
        }
        if let Some(club) = first_club {
            club_focus = Some(club);
            club_sentence = sentence_idx;
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
            // "midfielder Kai Havertz of Bayer Leverkusen": a bare "of" tells a player's
            // club only right after his name ("the likes of Villa", "the president of
            // Real Madrid" are no such thing).
            let sentence_triggers: Vec<&Hit> = within(triggers, sentence)
                .iter()
                .filter(|h| {
                    lexicon.triggers[h.index].phrase != "of"
                        || subjects.iter().any(|(s, _)| {
                            s.end <= h.span.start
                                && doc.masked.get(s.end..h.span.start).is_some_and(|g| g.trim().is_empty())
                        })
                })
                .collect();
            let mut cues = sentence_cues(doc, sentence, hits, lexicon);
            // "X has joined Al Ittihad after leaving Real Madrid": a cue after a completed
            // move in the present perfect that tells where that same move started
            // (`origins.tsv`) leaves the sentence in the story's present.
            if cues.history && !now_year.is_some_and(|now| cues.years.iter().any(|&y| y < now)) {
                let history = within(&hits.history, sentence);
                let origins_only =
                    history.iter().all(|c| lexicon.history.get(c.index).is_some_and(|p| lexicon.origins.contains(p)));
                let history_from = history.iter().map(|h| h.span.start).min();
                cues.history = !sentence_triggers.iter().any(|h| {
                    matches!(lexicon.triggers[h.index].kind, TriggerKind::Done | TriggerKind::Move)
                        && origins_only
                        && history_from.is_some_and(|at| at >= h.span.end)
                        && (perfect_before(doc, sentence, h.span.start)
                            || matches!(doc.slice(h.span).split_whitespace().next(), Some("has" | "have")))
                });
            }
            let sentence_hedges: Vec<&Hit> = within(hedges, sentence).iter().collect();
            // "Kai Havertz of Leverkusen and PSG's Thiago Silva": a club owned by "of" after
            // a player's name closes its noun phrase; the "and" joins two players, so the
            // next club starts a group of its own.
            let owned_by_of =
                |club: Span| subjects.iter().any(|(s, _)| s.end <= club.start && of_between(doc, s.end, club.start));
            let groups = club_groups(doc, &clubs).into_iter().flat_map(|group| {
                let mut split: Vec<Vec<usize>> = Vec::new();
                let mut open = false;
                for &i in &group {
                    match split.last_mut() {
                        Some(g) if open => g.push(i),
                        _ => split.push(vec![i]),
                    }
                    open = !owned_by_of(clubs[i].0);
                }
                split
            });
            for group in groups {
                let first = clubs[group[0]].0;
                let last = clubs[*group.last().unwrap_or(&group[0])].0;
                // A possessive naming a player ("Chelsea's Ian Maatsen") is structural and
                // outranks any phrase.
                let governed_by_phrase =
                    govern(doc, lexicon, &sentence_triggers, first, last, &clubs, &subjects).map(|(hit, side)| {
                        (hit.span, side, lexicon.triggers[hit.index].kind, lexicon.triggers[hit.index].stage)
                    });
                let to_club = bare_to(doc, lexicon, &sentence_triggers, &subjects, first);
                // "to X" names a destination even when a departure verb is nearer.
                let departure = governed_by_phrase.is_some_and(|(_, _, kind, _)| {
                    matches!(kind, TriggerKind::From | TriggerKind::Left | TriggerKind::Send | TriggerKind::Current)
                });
                let strong = possessive(doc, lexicon, last, &subjects)
                    .or(if departure && to_club.is_some() { to_club } else { governed_by_phrase })
                    .or(to_club)
                    .or_else(|| subject_act(doc, lexicon, &sentence_triggers, sentence, first, last));
                // "a £25m bid for Mitrovic from Al-Hilal": a club after "from" that ends an
                // offer's noun phrase is the bidder, not the club being left.
                let strong = strong.map(|g| bidder_from(doc, lexicon, &sentence_triggers, g).unwrap_or(g));
                let strong = strong.or_else(|| {
                    announces_sale(doc, lexicon, &sentence_triggers, sentence, (first, last), &clubs, clubs[group[0]].1)
                });
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
                // "Chelsea have offered X a new contract", "United want X to sign a new
                // deal", "Chelsea midfielder X has signed a new deal": a stay phrase right
                // after the player the club's verb (or role noun) names is what the club
                // does with him.
                let stay_object = (side == Side::Before
                    && matches!(kind, TriggerKind::To | TriggerKind::Current | TriggerKind::Done | TriggerKind::Move))
                .then(|| stay_after_object(doc, lexicon, &sentence_triggers, &subjects, &clubs, trigger.end))
                .flatten();
                let (trigger, kind, stage) = match stay_object {
                    Some((stay, _)) => (stay, TriggerKind::Stay, None),
                    None => (trigger, kind, stage),
                };
                // "Manchester City have offered Tottenham £125m for X", "approached Atalanta":
                // a club right after a verb of pursuit that wants its club before it is the
                // verb's object, the club asked to sell. So is one right after a completed
                // payment ("Arsenal paid Real Madrid a record fee for X"): the club paid sold.
                let kind = if weak
                    && matches!(kind, TriggerKind::To | TriggerKind::Move)
                    && side == Side::After
                    && doc.tokens_between(trigger.end, first.start) == 0
                    && sentence_triggers
                        .iter()
                        .any(|h| h.span == trigger && lexicon.triggers[h.index].side == Side::Before)
                {
                    TriggerKind::From
                } else {
                    kind
                };
                // Who: the player(s) on the other side of the trigger from the club.
                let mut players_for = pick_players(
                    doc,
                    lexicon,
                    kind != TriggerKind::Current,
                    &subjects,
                    (trigger, side),
                    Span::new(first.start, last.end),
                    &clubs,
                );
                if let Some((_, player)) = stay_object {
                    players_for = vec![player];
                }
                // "Chelsea have handed X a new contract": a stay phrase after the club with
                // its player between them, as the verb's first object (not "informed
                // Arsenal that X is not for sale").
                if players_for.is_empty() && kind == TriggerKind::Stay && side == Side::Before {
                    let object = subjects.iter().find(|(s, _)| {
                        s.start >= last.end
                            && s.end <= trigger.start
                            && !doc.masked[last.end..s.start].split_whitespace().any(|w| w.eq_ignore_ascii_case("that"))
                            && doc.masked[s.end..trigger.start]
                                .split_whitespace()
                                .all(|w| matches!(w, "a" | "an" | "to" | "the" | "another"))
                    });
                    players_for.extend(object.map(|(_, p)| *p));
                }
                // "eclipsing the £75m they paid Southampton for X", "the fee paid to Real
                // Madrid for X": a club governed from before, then "for" and a player, is
                // that player's club, whoever the sentence named before the trigger.
                if side == Side::After && kind != TriggerKind::Current {
                    if let Some(player) = bought_for(doc, lexicon, &clubs, &subjects, last) {
                        players_for = vec![player];
                    }
                }
                // No player named: the one in focus, if he was named lately and nobody
                // else (a coach, an owner) is the sentence's person.
                let other_person = mentions.iter().any(|m| matches!(m.kind, MentionKind::Person(_)));
                let recent_focus = focus.filter(|_| sentence_idx.saturating_sub(focus_sentence) <= 2);
                if players_for.is_empty() && subjects.is_empty() && !other_person && (!yielded || refs.is_empty()) {
                    players_for.extend(recent_focus.or(dominant.filter(|_| focus.is_none())));
                }
                let hedged_near = sentence_hedges
                    .iter()
                    .any(|h| h.span.end <= trigger.start && doc.tokens_between(h.span.end, trigger.start) <= 3);
                // "Wolves are in talks with Arsenal over X": Arsenal sells, unless the
                // sentence speaks of a sale ("Bournemouth in talks with PSG over the sale").
                let kind = if kind == TriggerKind::Counterpart {
                    // The buyer is another club before the phrase, not one listed with this
                    // club ("City and Real Madrid both holding talks with him"), and this
                    // club must stand after the phrase ("talks with Arsenal").
                    // Nor one that only describes the player ("Barcelona's X agrees a deal
                    // with PSG": X's club, not a buyer).
                    let buyer_before = side == Side::After
                        && clubs.iter().enumerate().any(|(ci, (s, c))| {
                            !group.contains(&ci)
                                && s.end <= trigger.start
                                && *c != clubs[group[0]].1
                                && !describes_player(doc, lexicon, *s, &subjects)
                        });
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
                    // The object may come after its descriptors ("signing young Chelsea
                    // striker Romelu Lukaku").
                    let object_near = subjects.iter().any(|(s, _)| {
                        s.start >= trigger.end
                            && doc.tokens_between(trigger.end, s.start) <= 5
                            && !doc.masked[trigger.end..s.start].contains([',', '.', ';', '(', ':'])
                            && !doc.masked[trigger.end..s.start].split_whitespace().any(|w| {
                                matches!(w.to_ascii_lowercase().as_str(), "of" | "for" | "with" | "to" | "from")
                            })
                    });
                    let gerund = phrase == "signing"
                        && (next.chars().next().is_some_and(|c| c.is_uppercase()) || object_near)
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
                    // "Should Arsenal beat Liverpool to the signing", "are favourites to
                    // land X, beating Chelsea to it": a race not yet run leaves the rival
                    // in it.
                    let opener = doc.tokens.get(doc.token_at_or_after(sentence.start)).map(|t| doc.slice(t.span));
                    // "are trying to beat Liverpool to X", "could beat Chelsea to X": a
                    // prospect word (`prospects.tsv`) before the verb or its "to".
                    let mut back = doc.tokens
                        [doc.token_at_or_after(sentence.start)..doc.token_at_or_after(trigger.start)]
                        .iter()
                        .rev()
                        .map(|t| doc.slice(t.span).to_ascii_lowercase());
                    let prospect = match back.next() {
                        Some(w) if w == "to" => {
                            back.next().and_then(|w| lexicon.prospects.get(&w)).is_some_and(|p| p.1)
                        }
                        Some(w) => lexicon.prospects.get(&w).is_some_and(|p| !p.1),
                        None => false,
                    };
                    let conditional = cues.hedged
                        || prospect
                        || opener.is_some_and(|w| lexicon.conditionals.contains(&w.to_ascii_lowercase()));
                    if after.starts_with("to ") && conditional {
                        TriggerKind::To
                    } else if after.starts_with("to ") {
                        TriggerKind::Denied
                    } else {
                        TriggerKind::Match
                    }
                } else {
                    kind
                };
                let before_trigger =
                    &doc.tokens[doc.token_at_or_after(sentence.start)..doc.token_at_or_after(trigger.start)];
                // "hope to secure the signing of X", "close to signing X", "will complete
                // the signing": a completing trigger under a prospect word
                // (`prospects.tsv`) is a move not made yet, at the word's stage.
                let (kind, stage) = match kind {
                    TriggerKind::Move | TriggerKind::Done => {
                        let mut words = before_trigger.iter().rev().map(|t| doc.slice(t.span));
                        let (word, infinitive) = match words.next() {
                            Some(w) if w.eq_ignore_ascii_case("to") => (words.next(), true),
                            w => (w, false),
                        };
                        match word.and_then(|w| lexicon.prospects.get(&w.to_ascii_lowercase())) {
                            Some(&(prospect, before_to)) if before_to == infinitive => {
                                (TriggerKind::To, Some(prospect))
                            }
                            _ => (kind, stage),
                        }
                    }
                    _ => (kind, stage),
                };
                // "have not yet made contact" delays, it does not deny.
                // A negation in a clause of its own ("if the club doesn't register him, he
                // could leave") does not reach past the comma to the trigger.
                let negated_near = cues.negated
                    && before_trigger.iter().enumerate().rev().take(4).any(|(i, t)| {
                        is_negation(doc.slice(t.span))
                            && before_trigger.get(i + 1).is_none_or(|n| !doc.slice(n.span).eq_ignore_ascii_case("yet"))
                            && !doc.masked.get(t.span.end..trigger.start).unwrap_or("").contains([',', ';'])
                    });
                // "announced they had reached an agreement to sign X": an announced
                // agreement (or talks, offer, medical) is still that stage, not a move done.
                let announced_only = kind == TriggerKind::To
                    && matches!(stage, Some(Stage::Talks | Stage::Offer | Stage::Agreement | Stage::Medical))
                    && within(&hits.completion, sentence)
                        .iter()
                        .all(|h| doc.folded_slice(h.span).split_whitespace().any(|w| lexicon.announcing.contains(w)));
                let completed = cues.completed && !announced_only;
                // "Liverpool have broken the record by signing X": a move under a present
                // perfect is the story's present, like a recency cue.
                // Not a past perfect ("had signed") nor an unfinished one ("would have sent",
                // "expected to have signed": `unfinished.txt`).
                // (looked at only when it can decide)
                let asked = doc.masked[sentence.start..sentence.end].trim_end().ends_with('?');
                let (near, n_near) = near_words(doc, before_trigger);
                let near = &near[..n_near];
                let recent = cues.recent || (!weak && !asked && present_perfect(lexicon, near));
                // "Arsenal, who finished second last season, signed X on Wednesday": where
                // the trigger's own clause tells it is recent, the time told inside a
                // relative clause is that clause's, not the trigger's.
                // (looked at only when it can decide)
                let (history, years) = {
                    let clauses = if recent && (cues.history || !cues.years.is_empty()) {
                        relative_clauses(doc, sentence)
                    } else {
                        Vec::new()
                    };
                    let inside = |at: usize| clauses.iter().any(|c| c.start <= at && at < c.end);
                    if clauses.is_empty() || inside(trigger.start) {
                        (cues.history, cues.years.clone())
                    } else {
                        let history =
                            cues.history && !within(&hits.history, sentence).iter().all(|h| inside(h.span.start));
                        let years = cues
                            .years
                            .iter()
                            .zip(&cues.year_at)
                            .filter(|(_, at)| !inside(**at))
                            .map(|(y, _)| *y)
                            .collect();
                        (history, years)
                    }
                };
                let cues = SentenceCues {
                    negated: negated_near,
                    years,
                    year_at: Vec::new(),
                    completed,
                    recent,
                    history,
                    ..cues
                };
                let preposition = kind == TriggerKind::Current && side == Side::After;
                // "have reportedly pulled out", "are said to be refusing to sell him": a
                // second-hand report is no doubt, so it leaves a refusal or a stay standing.
                let hedge = if hedged_near && matches!(kind, TriggerKind::Denied | TriggerKind::Stay) {
                    sentence_hedges.iter().any(|h| {
                        h.span.end <= trigger.start
                            && doc.tokens_between(h.span.end, trigger.start) <= 3
                            && !lexicon.hearsay.contains::<str>(doc.folded_slice(h.span).as_ref())
                    })
                } else {
                    hedged_near
                };
                let Some(mut claim) = classify(kind, stage, &cues, now_year, hedge, preposition) else {
                    continue;
                };
                if described(first) && !matches!(claim.kind, LinkKind::To | LinkKind::Denied | LinkKind::Past) {
                    continue;
                }
                claim.weak = weak;
                claim.named = !weak && claim.current && kind == TriggerKind::Current && side == Side::Before;
                // "has rejected a new deal at Lille": a stay the sentence turns down.
                // The refusal must bear on the stay itself ("rejected a new deal"), not on
                // another club earlier in the sentence ("rejected a move to Real Madrid and
                // signed a new deal to remain with PSG").
                // So does a departure phrase right before it ("stalling on a new deal").
                if claim.kind == LinkKind::Stay
                    && sentence_triggers.iter().any(|h| {
                        let refusal = lexicon.triggers[h.index].kind;
                        let just_before = h.span.end <= trigger.start
                            && doc.tokens_between(h.span.end, trigger.start) <= 4
                            && !clubs.iter().any(|(s, _)| s.start >= h.span.end && s.end <= trigger.start);
                        (refusal == TriggerKind::Denied && (h.span.start >= trigger.end || just_before))
                            || (refusal == TriggerKind::From && just_before)
                    })
                {
                    claim.kind = LinkKind::From;
                }
                // "are refusing to sell him unless his release clause is paid", "is not
                // for sale, although if he were ...": a stay under a condition names the
                // price of his exit, so the club is the one he may leave.
                if claim.kind == LinkKind::Stay
                    && sentence_hedges.iter().any(|h| {
                        h.span.start >= trigger.end
                            && lexicon.conditionals.contains::<str>(doc.folded_slice(h.span).as_ref())
                    })
                {
                    claim.kind = LinkKind::From;
                }
                claim.history = cues.history;
                claim.earlier =
                    claim.kind == LinkKind::To && near.iter().take(6).any(|w| w.eq_ignore_ascii_case("had"));
                // "Lanzi had joined Benfica from River Plate": a move in the past perfect
                // is background told before the story's present, so history. Not in
                // reported speech, whose tenses shift back ("confirmed that he had signed").
                // (the words compared ignoring ASCII case; lower-cased only for the word
                // lists, and only when the rest holds)
                let pluperfect = near.iter().take(3).position(|w| w.eq_ignore_ascii_case("had")).is_some_and(|at| {
                    near[..at]
                        .iter()
                        .all(|w| w.bytes().all(|b| b.is_ascii_alphabetic()) && !w.eq_ignore_ascii_case("been"))
                });
                let reported = || {
                    near.iter().any(|w| {
                        let w = w.to_ascii_lowercase();
                        lexicon.reporting.contains(w.as_str()) || lexicon.announcing.contains(w.as_str())
                    })
                };
                if pluperfect && !cues.hedged && matches!(claim.kind, LinkKind::Done | LinkKind::From) && !reported() {
                    claim.kind = LinkKind::Past;
                    claim.stage = None;
                }
                // A failed attempt told in a relative clause about the player ("a move for
                // X, who they tried to sign in the summer, is under threat") is background
                // to the main clause's pursuit, not its end.
                if claim.kind == LinkKind::Denied && in_relative_clause(doc, sentence, trigger.start) {
                    continue;
                }
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
                // "Arsenal had a £60m bid rejected": the seller said no and the bidder's
                // pursuit goes on (unless it then withdrew).
                // "Arsenal had a bid rejected", "saw their offer rejected": the club before
                // the trigger suffered the rejection.
                let passive = doc.masked[first.end..trigger.start.max(first.end)]
                    .split_whitespace()
                    .any(|w| matches!(w.to_ascii_lowercase().as_str(), "had" | "saw" | "seen"));
                let had_rejected = |h: &Hit| {
                    side == Side::Before
                        && passive
                        && h.span.start >= trigger.end
                        && doc.tokens_between(trigger.end, h.span.start) <= 3
                };
                // "after the leaders had a £60m bid rejected", "having had two bids
                // rejected": a refusal whose object is a bid the bidder "had", wherever
                // the bidder stands, is suffered by the bidder, whose pursuit goes on.
                let suffered_rejection = |h: &Hit| {
                    sentence_triggers.iter().any(|o| {
                        lexicon.triggers[o.index].stage == Some(Stage::Offer)
                            && o.span.end <= h.span.start
                            && doc.tokens_between(o.span.end, h.span.start) <= 2
                            && doc.masked.get(sentence.start..o.span.start).is_some_and(|before| {
                                before.split_whitespace().rev().take(4).any(|w| {
                                    matches!(w.to_ascii_lowercase().as_str(), "had" | "has" | "have" | "saw" | "seen")
                                })
                            })
                    })
                };
                // "has rejected a new deal at Lille", "rejected PSG's attempt at extending
                // his contract": the refusal's object is a stay or another club, not this
                // club's rumour.
                let refuses_other = |h: &Hit| {
                    sentence_triggers.iter().any(|s| {
                        lexicon.triggers[s.index].kind == TriggerKind::Stay
                            && s.span.start >= h.span.end
                            && doc.tokens_between(h.span.end, s.span.start) <= 4
                    }) || clubs.iter().any(|(s, c)| {
                        // "rejected two contract offers from West Ham": the refusal's
                        // object names another club, a few words on, in its clause.
                        *c != this_club
                            && s.start >= h.span.end
                            && doc.tokens_between(h.span.end, s.start) <= 4
                            && doc.masked.get(h.span.end..s.start).is_some_and(|g| !g.contains([',', ';', '.', ':']))
                    })
                };
                if claim.kind == LinkKind::To
                    && sentence_triggers.iter().any(|h| {
                        lexicon.triggers[h.index].kind == TriggerKind::Denied
                            && !by_other_club(h)
                            && !had_rejected(h)
                            && !suffered_rejection(h)
                            // "United have beaten off competition from City to sign X": a
                            // refusal that governs the clubs after it leaves one before it.
                            && (lexicon.triggers[h.index].side != Side::After || last.end > h.span.start)
                            && (h.span.start <= trigger.end || !refuses_other(h))
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
                // "Chelsea are bracing themselves for a £25m bid from AC Milan", "Napoli have
                // received an offer from Arsenal": a club before a bid that "from" gives to
                // another club is the one asked to sell.
                if claim.kind == LinkKind::To && side == Side::Before && stage == Some(Stage::Offer) {
                    let from_next = doc.folded_slice(trigger).ends_with(" from")
                        || doc
                            .tokens
                            .get(doc.token_at_or_after(trigger.end))
                            .is_some_and(|t| doc.slice(t.span).eq_ignore_ascii_case("from"));
                    let bidder = clubs.iter().any(|(s, c)| {
                        *c != this_club
                            && s.start >= trigger.end
                            && doc.tokens_between(trigger.end, s.start) <= 4
                            && after_to_or_from(doc, *s)
                    });
                    if from_next && bidder {
                        claim.kind = LinkKind::From;
                        claim.stage = None;
                    }
                }
                // "Paris Saint-Germain agreed the transfer of the forward to Al Hilal": a
                // club that agrees a move of a player whose destination ("to" + another
                // club) follows him is the one selling.
                if claim.kind == LinkKind::To
                    && side == Side::Before
                    && stage == Some(Stage::Agreement)
                    && clubs.iter().any(|(s, c)| {
                        *c != this_club
                            && s.start >= trigger.end
                            && same_clause(doc, trigger.end, s.start)
                            && after_preposition(doc, *s, &["to"])
                            && subjects.iter().any(|(p, _)| p.start >= trigger.end && p.end <= s.start)
                    })
                {
                    claim.kind = LinkKind::From;
                    claim.stage = None;
                }
                // The club that rejects a bid or offer is the one selling, unless it only
                // "had a bid rejected" (then it is the bidder).
                if claim.kind == LinkKind::Denied
                    && side == Side::Before
                    && !passive
                    && sentence_triggers
                        .iter()
                        .any(|h| lexicon.triggers[h.index].stage == Some(Stage::Offer) && h.span.start != trigger.start)
                {
                    claim.kind = LinkKind::From;
                }
                // "Frankfurt rejected PSG's proposals", "Napoli reject Juventus' bid": the
                // club whose bid another club rejected is still the bidder.
                if claim.kind == LinkKind::Denied && side == Side::After {
                    let after = doc.masked.get(last.end..).unwrap_or("");
                    let possessive = ["'s ", "’s ", "' ", "’ "].iter().any(|p| after.starts_with(p));
                    let own_bid = possessive
                        && sentence_triggers.iter().any(|h| {
                            lexicon.triggers[h.index].stage == Some(Stage::Offer)
                                && h.span.start >= last.end
                                && doc.tokens_between(last.end, h.span.start) <= 3
                        });
                    let rejecter = clubs.iter().any(|(s, c)| s.end <= trigger.start && *c != clubs[group[0]].1);
                    if own_bid && rejecter {
                        claim.kind = LinkKind::To;
                        claim.stage = Some(Stage::Offer);
                    }
                }
                // "surpasses the £107m Chelsea paid for X": a move told after a comparison
                // cue is the standard measured against, so history.
                // So is one whose players are all named after the cue ("could become
                // Liverpool's record signing, eclipsing the £75m they paid for X").
                let named_after = |h: &Hit| {
                    !players_for.is_empty()
                        && players_for
                            .iter()
                            .all(|p| subjects.iter().filter(|(_, q)| q == p).all(|(s, _)| s.start >= h.span.end))
                };
                if within(&hits.comparisons, sentence).iter().any(|h| h.span.end <= trigger.start || named_after(h)) {
                    claim.kind = LinkKind::Past;
                    claim.stage = None;
                }
                // "A, B and C left for X, Y and Z respectively": pair them in order.
                // So do "signed A and B from X and Y": two lists joined by a bare "from".
                let respectively = players_for.len() == group.len()
                    && group.len() > 1
                    && (doc.masked[sentence.start..sentence.end].contains("respectively")
                        || doc.folded_slice(trigger) == "from");
                // "set to rejoin Santos", "returned to his old club Dortmund": a move back
                // to a club tells that he played there, an earlier move told as history.
                // Not when someone else (a coach) stands before the verb and the player
                // after it ("Roma manager X is set to return to Napoli to sign Y").
                let other_returns = mentions.iter().any(|m| {
                    matches!(m.kind, MentionKind::Person(p) if !rec.persons[p].is_player) && m.span.end <= trigger.start
                }) && !subjects.iter().any(|(s, _)| s.end <= trigger.start);
                let back = matches!(claim.kind, LinkKind::To | LinkKind::Done | LinkKind::Denied)
                    && !weak
                    && !other_returns
                    && trigger.start < first.start
                    && doc.tokens_between(trigger.start, first.start) <= 7
                    && doc
                        .folded_slice(Span::new(trigger.start, first.start))
                        .split_whitespace()
                        .any(|w| lexicon.returns.contains(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')));
                for (pi, &player) in players_for.iter().enumerate() {
                    for (gi, &ci) in group.iter().enumerate() {
                        if respectively && pi != gi {
                            continue;
                        }
                        out.push(Claim { person: player, club: clubs[ci].1, sentence: sentence_idx, ..claim.clone() });
                        if back {
                            out.push(Claim {
                                person: player,
                                club: clubs[ci].1,
                                sentence: sentence_idx,
                                kind: LinkKind::Past,
                                stage: None,
                                soft: false,
                                spell: false,
                                ..claim.clone()
                            });
                        }
                    }
                }
                // "Tottenham have spent £75m on A and taken B on a free", "Real Madrid have
                // started work on a swoop for X after already signing Y": the subject
                // club's further acts in the sentence, each with its own object, until
                // another club (not a player's descriptor) takes the sentence over.
                if !weak && opens_sentence(doc, lexicon, sentence, first) {
                    let mut taken = players_for.clone();
                    let mut from_at = trigger.end;
                    for h in sentence_triggers.iter().filter(|h| h.span.start >= trigger.end) {
                        let t = &lexicon.triggers[h.index];
                        if t.side == Side::After
                            || !matches!(
                                t.kind,
                                TriggerKind::To
                                    | TriggerKind::Move
                                    | TriggerKind::Done
                                    | TriggerKind::Send
                                    | TriggerKind::From
                            )
                        {
                            continue;
                        }
                        if clubs.iter().any(|(s, _)| {
                            s.start >= from_at
                                && s.end <= h.span.start
                                && !describes_player(doc, lexicon, *s, &subjects)
                                && !after_to_or_from(doc, *s)
                        }) {
                            break;
                        }
                        // The object follows the verb closely.
                        let near = subjects.iter().any(|(s, _)| {
                            s.start >= h.span.end
                                && doc.tokens_between(h.span.end, s.start) <= 5
                                && !doc.masked[h.span.end..s.start].contains([',', '.', ';'])
                        });
                        if !near {
                            continue;
                        }
                        let fresh: Vec<usize> = pick_players(
                            doc,
                            lexicon,
                            true,
                            &subjects,
                            (h.span, Side::Before),
                            Span::new(first.start, last.end),
                            &clubs,
                        )
                        .into_iter()
                        .filter(|p| !taken.contains(p))
                        .collect();
                        if fresh.is_empty() {
                            continue;
                        }
                        let kind = if t.phrase == "signing" { TriggerKind::Move } else { t.kind };
                        let act_cues = SentenceCues { negated: false, ..cues.clone() };
                        let Some(act) = classify(kind, t.stage, &act_cues, now_year, false, false) else {
                            continue;
                        };
                        for &player in &fresh {
                            for &ci in &group {
                                out.push(Claim {
                                    person: player,
                                    club: clubs[ci].1,
                                    sentence: sentence_idx,
                                    ..act.clone()
                                });
                            }
                        }
                        taken.extend(fresh);
                        from_at = h.span.end;
                    }
                }
            }
        }
        if let Some((_, p)) = players.first() {
            focus = Some(*p);
            focus_sentence = sentence_idx;
            yielded = false;
        } else if mentions.iter().any(|m| matches!(m.kind, MentionKind::Person(_))) {
            // "This follows Pochettino's decision ... The Argentine later refused": a
            // sentence naming only a non-player takes the pronouns and nationality
            // references after it ("the midfielder" still means the player in focus).
            yielded = true;
        } else if !refs.is_empty() {
            focus_sentence = sentence_idx;
        }
    }
    sections::round_up(doc, rec, lexicon, hits, &mut out);
    out
}

/// A stay phrase right after a player named after `from` (the end of a club's verb or
/// role noun): between them only that player and words of [`Lexicon::object_gaps`]
/// ("offered X a new contract", "want X to sign a new deal", "midfielder X has signed a
/// new deal"); no club, comma or negation. Returns the phrase and the player.
fn stay_after_object(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    triggers: &[&Hit],
    subjects: &[(Span, usize)],
    clubs: &[(Span, usize)],
    from: usize,
) -> Option<(Span, usize)> {
    let (span, player) = *subjects.iter().find(|(s, _)| s.start >= from)?;
    let filler = |gap: &str| gap.split_whitespace().all(|w| lexicon.object_gaps.contains(w));
    if !filler(doc.masked.get(from..span.start)?) || clubs.iter().any(|(c, _)| c.start >= from && c.start < span.start)
    {
        return None;
    }
    // (a phrase with a club of its own after it, "will not be leaving PSG", is that
    // club's)
    let stay = triggers.iter().find(|h| {
        lexicon.triggers[h.index].kind == TriggerKind::Stay
            && h.span.start >= span.end
            && doc.tokens_between(span.end, h.span.start) <= 3
            && !clubs.iter().any(|(c, _)| c.start >= h.span.end && doc.tokens_between(h.span.end, c.start) <= 3)
    })?;
    let gap = doc.masked.get(span.end..stay.span.start)?;
    (filler(gap) && !clubs.iter().any(|(c, _)| c.start >= span.end && c.start < stay.span.start))
        .then_some((stay.span, player))
}

/// Does the offset `at` lie in a relative clause about a person (", who ...", ", whom
/// ...") that has not closed with a comma before it?
fn in_relative_clause(doc: &Doc<'_>, sentence: Span, at: usize) -> bool {
    let before = doc.masked.get(sentence.start..at.max(sentence.start)).unwrap_or("").to_ascii_lowercase();
    [", who ", ", whom "]
        .iter()
        .filter_map(|m| before.rfind(m).map(|i| i + m.len()))
        .max()
        .is_some_and(|open| !before[open..].contains(','))
}

/// Is the verb at `verb` in the present perfect ("has joined", "have now signed"): "has"
/// or "have" one or two words before it, and no "had" there.
fn perfect_before(doc: &Doc<'_>, sentence: Span, verb: usize) -> bool {
    let tokens = &doc.tokens[doc.token_at_or_after(sentence.start)..doc.token_at_or_after(verb)];
    let near: Vec<&str> = tokens.iter().rev().take(2).map(|t| doc.slice(t.span)).collect();
    near.iter().any(|w| w.eq_ignore_ascii_case("has") || w.eq_ignore_ascii_case("have"))
        && !near.iter().any(|w| w.eq_ignore_ascii_case("had"))
}

/// Does the sentence open with a definite description that is the subject of the verb at
/// `verb` ("The English champions reinforced ...", "The Reds have signed ...")? "The",
/// then one to four words (no comma, no clause break), then the verb.
fn described_subject(doc: &Doc<'_>, sentence: Span, verb: usize) -> bool {
    let tokens = &doc.tokens[doc.token_at_or_after(sentence.start)..doc.token_at_or_after(verb)];
    let Some((first, rest)) = tokens.split_first() else { return false };
    doc.slice(first.span).eq_ignore_ascii_case("the")
        && (1..=4).contains(&rest.len())
        && !doc.masked.get(sentence.start..verb).unwrap_or(",").contains([',', ';', ':', '(', '"', '“'])
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
    let years_past = match now_year {
        Some(now) => !cues.years.is_empty() && cues.years.iter().all(|&y| y < now),
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
        history: false,
        named: false,
        earlier: false,
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
        // "the price United sold him for in 2009": a sale told as history.
        TriggerKind::Send if dated_past && !cues.hedged => Claim { kind: LinkKind::Past, ..base },
        TriggerKind::Send => Claim { kind: LinkKind::From, ..base },
        // "have not made an official offer", "there is no final agreement": a step of the
        // pursuit not (yet) taken leaves the interest standing; only a negated wish or
        // plan ("have no plans to sign him") rules the move out.
        TriggerKind::To if cues.negated && stage.is_some_and(|s| s >= Stage::Talks) => to(Some(Stage::Interest)),
        TriggerKind::To if cues.negated => Claim { kind: LinkKind::Denied, ..base },
        // "accepted a bid from Real Madrid in July 2009": a rumour of an earlier year is
        // history.
        TriggerKind::To if years_past && !cues.hedged => Claim { kind: LinkKind::Past, ..base },
        TriggerKind::To => to(stage),
        TriggerKind::Go if hedged_near || cues.negated => to(stage),
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
        // "could face a fight to keep him": keeping him in doubt is his possible exit; a
        // hedge elsewhere in the sentence ("reportedly", "would") leaves a stay a stay.
        TriggerKind::Stay if hedged_near => Claim { kind: LinkKind::From, ..base },
        TriggerKind::Stay => Claim { kind: LinkKind::Stay, ..base },
        // "are likely to miss out on him", "could lose out": still in the race.
        TriggerKind::Denied if hedged_near && !cues.negated => to(stage),
        TriggerKind::Denied => Claim { kind: LinkKind::Denied, ..base },
        // "spent 2020-21 on loan at Ajax": where he was, told as history.
        // Being there tells no joining, so like a bare spell it gives way to a `from`
        // for the club he is leaving.
        TriggerKind::Current if dated_past && preposition => Claim { kind: LinkKind::Past, spell: true, ..base },
        TriggerKind::Current => Claim { kind: LinkKind::From, current: true, ..base },
    })
}

/// The (up to) eight words before a trigger, nearest first, as written: the words and
/// how many there are.
fn near_words<'a>(doc: &Doc<'a>, before_trigger: &[crate::doc::Token]) -> ([&'a str; 8], usize) {
    let mut near = [""; 8];
    let mut n = 0;
    for token in before_trigger.iter().rev().take(8) {
        near[n] = doc.slice(token.span);
        n += 1;
    }
    (near, n)
}

/// A present perfect in the words before a trigger ([`near_words`]): "has", "have" or
/// "'ve" not followed by an unfinished word (`unfinished.txt`: "would have sent"), and no
/// "had" among them. Words are compared ignoring ASCII case, without a lower-case copy each.
fn present_perfect(lexicon: &Lexicon, near: &[&str]) -> bool {
    near.iter().enumerate().any(|(i, w)| {
        ["has", "have", "'ve", "’ve"].iter().any(|p| w.eq_ignore_ascii_case(p))
            && !near.get(i + 1).is_some_and(|m| lexicon.unfinished.contains(m.to_ascii_lowercase().as_str()))
    }) && !near.iter().any(|w| w.eq_ignore_ascii_case("had"))
}

#[cfg(test)]
mod perfect_tests {
    use super::*;
    use mercato_text::mask::Boilerplate;

    /// The simple form: the words lower-cased into strings first.
    fn present_perfect_simply(doc: &Doc<'_>, lexicon: &Lexicon, before: &[crate::doc::Token]) -> bool {
        let near: Vec<String> = before.iter().rev().take(8).map(|t| doc.slice(t.span).to_ascii_lowercase()).collect();
        near.iter().enumerate().any(|(i, w)| {
            matches!(w.as_str(), "has" | "have" | "'ve" | "’ve")
                && !near.get(i + 1).is_some_and(|m| lexicon.unfinished.contains(m.as_str()))
        }) && !near.iter().any(|w| w == "had")
    }

    #[test]
    fn present_perfect_is_the_simple_form() {
        let lexicon = Lexicon::english();
        for text in [
            "Liverpool have broken the record by signing him.",
            "Liverpool HAD broken the record by signing him.",
            "They would have sent him on loan, and they’ve Signed another.",
            "Roma Has agreed, we've heard, and the club has expected to have signed a striker.",
            "",
            "has",
        ] {
            let doc = Doc::new(text, 0, &Boilerplate::english());
            for end in 0..=doc.tokens.len() {
                for start in 0..=end {
                    let before = &doc.tokens[start..end];
                    let (near, n) = near_words(&doc, before);
                    assert_eq!(
                        present_perfect(&lexicon, &near[..n]),
                        present_perfect_simply(&doc, &lexicon, before),
                        "{text:?} {start}..{end}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod now_tests {
    use super::*;
    use mercato_text::mask::Boilerplate;

    #[test]
    fn every_negation_may_be_one() {
        let more = "don't isn't wasn’t NOT Never nO doesn't haven’t can't DON’T Cannot NOR ain't n’t";
        // the pre-check passes over no negation (a word it rejects is never one)
        for word in cues::NEGATIONS.iter().copied().chain(more.split(' ')) {
            assert!(!is_negation(word) || cues::may_be_negation(word.as_bytes()), "{word:?}");
        }
        assert!(is_negation("don't") && is_negation("Never") && is_negation("wasn’t"));
        for word in ["and", "signed", "In", "join", "Roma"] {
            assert!(!cues::may_be_negation(word.as_bytes()), "{word:?}");
        }
        for word in "The club has signed him and will sign another in 2024 at Roma".split(' ') {
            assert!(!is_negation(word), "{word:?}");
        }
    }

    #[test]
    fn now_matters_only_across_a_cue_year() {
        let text = "He joined Roma in 2019 and left in the 2021/22 season. Fee: 1800 and 2200.";
        let doc = Doc::new(text, 0, &Boilerplate::english());
        // the cue years are 2019 and 2021 (1800 and 2200 lie outside 1950..=2100)
        for (was, now, matters) in [
            (None, 2019, false),
            (None, 2020, true),
            (Some(2019), 2018, false),
            (Some(2019), 2020, true),
            (Some(2020), 2021, false),
            (Some(2022), 2030, false),
            (Some(2022), 2021, true),
            (Some(1801), 2019, false),
            (Some(2101), 2201, false),
        ] {
            assert_eq!(now_matters(&doc, was, now), matters, "{was:?} -> {now}");
        }
    }
}
