//! The per-(player, club) decision, with the article-level rules.

use super::Claim;
use crate::model::{LinkKind, Stage};
use rustc_hash::FxHashMap;

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
    // Players whose move to some club is agreed (fee or terms agreed, medical): the other
    // clubs' mere links are superseded.
    let agreed: FxHashMap<usize, usize> = claims
        .iter()
        .filter(|c| {
            c.kind == LinkKind::To && !c.weak && !c.hedged && !c.history && c.stage.is_some_and(|s| s >= Stage::Medical)
        })
        .map(|c| (c.person, c.club))
        .collect();
    // Pairs with a firm stay (a renewal, "will stay"): a simple-past move to that club is
    // background.
    let renewed: rustc_hash::FxHashSet<(usize, usize)> =
        claims.iter().filter(|c| c.kind == LinkKind::Stay && !c.weak).map(|c| (c.person, c.club)).collect();
    // Players whose story settled at one club: a move completed there (even one told in
    // the simple past), a move agreed, or a stay. Rumours of other clubs told as earlier
    // ("had been linked with X") were passed over.
    let settled: FxHashMap<usize, usize> = claims
        .iter()
        .filter(|c| {
            !c.weak
                && !c.hedged
                && !c.history
                && (c.kind == LinkKind::Done
                    || c.kind == LinkKind::Stay
                    || c.kind == LinkKind::To && c.stage.is_some_and(|s| s >= Stage::Agreement))
        })
        .map(|c| (c.person, c.club))
        .collect();
    let mut out = Vec::new();
    for key in order {
        let is_origin = origin.contains(&key) && !by_pair[&key].iter().any(|c| c.kind == LinkKind::Done && !c.weak);
        let owned: Vec<Claim> = by_pair[&key]
            .iter()
            .map(|c| match c.kind {
                LinkKind::To if signed.get(&key.0).is_some_and(|club| *club != key.1) && !is_origin => {
                    Claim { kind: LinkKind::Denied, stage: None, ..(*c).clone() }
                }
                LinkKind::To
                    if c.earlier
                        && !is_origin
                        && c.stage.is_some_and(|s| s <= Stage::Interest)
                        && settled.get(&key.0).is_some_and(|club| *club != key.1) =>
                {
                    Claim { kind: LinkKind::Denied, stage: None, ..(*c).clone() }
                }
                // "Atalanta have ruled out selling him despite interest from Chelsea": the
                // interest told beside his staying is rebuffed.
                LinkKind::To
                    if agreed.get(&key.0).is_some_and(|club| *club != key.1)
                        && !is_origin
                        && c.stage.is_some_and(|s| s <= Stage::Interest) =>
                {
                    Claim { kind: LinkKind::Denied, stage: None, ..(*c).clone() }
                }
                // "held on to X amid pressure from Liverpool": a club other than the one he
                // stays at, named in the same sentence as leaving, was rebuffed too.
                LinkKind::To | LinkKind::From
                    if (c.kind == LinkKind::To || !c.current && !c.named)
                        && claims.iter().any(|s| {
                            s.person == key.0
                                && s.club != key.1
                                && s.kind == LinkKind::Stay
                                && !s.weak
                                && s.sentence == c.sentence
                        }) =>
                {
                    Claim { kind: LinkKind::Denied, stage: None, ..(*c).clone() }
                }
                LinkKind::To | LinkKind::Denied if is_origin => {
                    Claim { kind: LinkKind::From, stage: None, ..(*c).clone() }
                }
                // "extended his contract ... Madrid paid €45m to sign him": a simple-past
                // move to the club he now renews with is how he joined it.
                LinkKind::Done if c.soft && (rumoured.contains(&key.0) || renewed.contains(&key)) => {
                    Claim { kind: LinkKind::Past, ..(*c).clone() }
                }
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
        } else if list.iter().any(|c| {
            // A refusal found only by the fallback (no phrase governs the club) does not
            // outweigh a rumour a phrase governs.
            c.kind == LinkKind::Denied
                && !c.current
                && (!c.weak || !list.iter().any(|t| t.kind == LinkKind::To && !t.weak))
        }) {
            Some(LinkKind::Denied)
        } else if has(LinkKind::Stay) && {
            // He stays unless the article tells his leaving at least as often as his
            // staying ("not for sale at any price" twice outweighs one "his contract
            // expires in 2012").
            let stays = list.iter().filter(|c| c.kind == LinkKind::Stay && !c.weak).count();
            let leaves = list.iter().filter(|c| c.kind == LinkKind::From && !c.current && !c.weak).count();
            leaves == 0 || stays > leaves
        } {
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
            let stage = matching
                .iter()
                .filter(|c| !c.history)
                .filter_map(|c| c.stage)
                .max()
                .or_else(|| matching.iter().filter_map(|c| c.stage).max());
            let hedged = matching.iter().all(|c| c.hedged);
            let sentence = matching.first().map_or(0, |c| c.sentence);
            out.push((key.0, key.1, kind, if kind == LinkKind::To { stage } else { None }, hedged, sentence));
        }
    }
    out
}
