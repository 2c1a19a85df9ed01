//! The gazetteer: every KB name compiled into one Aho-Corasick automaton over folded
//! (lower-cased, accent-stripped) text.
//!
//! A match must sit on word boundaries and keep the capitals of the KB name: "Inter" and
//! "the Blues" match as written or in capitals, not as "inter" or "the blues"; short
//! all-capital names ("PSG", "OM", "AS") match only in capitals. Overlaps are settled
//! longest first ("Real Madrid" over "Madrid").

use crate::{Club, Coach, Nation, Player, Source};
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use mercato_text::fold::{fold, fold_str, Folded};
use mercato_text::Span;
use std::collections::HashMap;

/// What a gazetteer name points to (indices into the KB's tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Club(u32),
    Nation(u32),
    League(u32),
    Player(u32),
    Source(u32),
    Coach(u32),
}

/// One reading of a name.
#[derive(Debug, Clone)]
pub struct Reading {
    pub entity: Entity,
    /// The name is shared with other entities or is a generic word.
    pub ambiguous: bool,
    /// The name as written in the KB (for the capitals check).
    pub written: String,
}

/// A name found in a text with all its readings.
#[derive(Debug, Clone)]
pub struct GazetteerMatch<'g> {
    pub span: Span,
    pub readings: Vec<&'g Reading>,
}

/// The compiled automaton.
#[derive(Debug)]
pub struct Gazetteer {
    automaton: Option<AhoCorasick>,
    /// Readings per pattern id.
    readings: Vec<Vec<Reading>>,
}

fn token_count(s: &str) -> usize {
    s.split_whitespace().count()
}

impl Gazetteer {
    pub(crate) fn build(
        clubs: &[Club],
        nations: &[Nation],
        leagues: &[String],
        players: &[Player],
        sources: &[Source],
        coaches: &[Coach],
    ) -> Gazetteer {
        let mut by_pattern: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut readings: Vec<Vec<Reading>> = Vec::new();
        let mut add = |written: &str, entity: Entity, ambiguous: bool| {
            let written = written.trim();
            let folded = fold_str(written);
            if folded.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                return;
            }
            let id = *by_pattern.entry(folded.clone()).or_insert_with(|| {
                patterns.push(folded);
                readings.push(Vec::new());
                patterns.len() - 1
            });
            let list = &mut readings[id];
            if !list.iter().any(|r| r.entity == entity) {
                list.push(Reading { entity, ambiguous, written: written.to_string() });
            }
        };
        for (i, club) in clubs.iter().enumerate() {
            let e = Entity::Club(i as u32);
            add(&club.name, e, false);
            club.aliases.iter().for_each(|a| add(a, e, false));
            club.ambiguous.iter().for_each(|a| add(a, e, true));
        }
        for (i, nation) in nations.iter().enumerate() {
            let e = Entity::Nation(i as u32);
            add(&nation.name, e, false);
            nation.aliases.iter().for_each(|a| add(a, e, false));
            nation.ambiguous.iter().for_each(|a| add(a, e, true));
        }
        for (i, league) in leagues.iter().enumerate() {
            add(league, Entity::League(i as u32), false);
        }
        for (i, source) in sources.iter().enumerate() {
            let e = Entity::Source(i as u32);
            add(&source.name, e, false);
            source.aliases.iter().for_each(|a| add(a, e, false));
        }
        for (i, coach) in coaches.iter().enumerate() {
            let e = Entity::Coach(i as u32);
            add(&coach.name, e, false);
            if !coach.full_name.is_empty() {
                add(&coach.full_name, e, false);
            }
        }
        for (i, player) in players.iter().enumerate() {
            let e = Entity::Player(i as u32);
            // Single names only for true mononyms ("Neymar", "Casemiro"); a bare
            // surname alias would fire on every namesake.
            if token_count(&player.name) >= 2 || player.name.chars().count() >= 4 {
                add(&player.name, e, false);
            }
            if token_count(&player.full_name) >= 2 {
                add(&player.full_name, e, false);
            }
            for alias in &player.aliases {
                if token_count(alias) >= 2 {
                    add(alias, e, false);
                }
            }
        }
        // A contiguous NFA builds in a fraction of a DFA's time for ~35k names and
        // still scans far faster than the rest of the pipeline.
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            .ok();
        Gazetteer { automaton, readings }
    }

    /// Number of distinct folded names compiled.
    pub fn len(&self) -> usize {
        self.readings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.readings.is_empty()
    }

    /// Finds KB names in `text`: non-overlapping, longest first, in text order.
    pub fn find(&self, text: &str) -> Vec<GazetteerMatch<'_>> {
        self.find_folded(text, &fold(text))
    }

    /// Like [`Gazetteer::find`], for a caller that already holds the folded text.
    ///
    /// An anchored, longest-match search runs at every word start; a match must end on a
    /// word boundary and keep the KB name's capitals.
    pub fn find_folded(&self, text: &str, folded: &Folded) -> Vec<GazetteerMatch<'_>> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let haystack = folded.text.as_str();
        let bytes = haystack.as_bytes();
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
        let mut kept: Vec<GazetteerMatch<'_>> = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            // Names start at word starts only: run one anchored search at each.
            if !is_word(bytes[at]) || (at > 0 && is_word(bytes[at - 1])) || !haystack.is_char_boundary(at) {
                at += 1;
                continue;
            }
            let found = automaton.find(Input::new(haystack).range(at..).anchored(Anchored::Yes));
            if let Some(m) = found {
                if m.end() == bytes.len() || !is_word(bytes[m.end()]) {
                    let start = folded.start_of(m.start());
                    let end = folded.end_of(m.end(), text);
                    if start < end {
                        let written = &text[start..end];
                        let readings: Vec<&Reading> = self.readings[m.pattern().as_usize()]
                            .iter()
                            .filter(|r| capitals_agree(&r.written, written))
                            .collect();
                        if !readings.is_empty() {
                            kept.push(GazetteerMatch { span: Span::new(start, end), readings });
                            at = m.end();
                            continue;
                        }
                    }
                }
            }
            at += 1;
        }
        kept
    }
}

/// Does `text` keep the capitals of the KB name `kb`?
fn capitals_agree(kb: &str, text: &str) -> bool {
    let short_caps = kb.len() <= 5
        && kb.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && kb.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    if short_caps {
        return text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    }
    let kb_tokens = kb.split_whitespace();
    let text_tokens: Vec<&str> = text.split_whitespace().collect();
    for (i, kb_token) in kb_tokens.enumerate() {
        let wants_capital = kb_token.chars().next().is_some_and(char::is_uppercase);
        if !wants_capital {
            continue;
        }
        match text_tokens.get(i).and_then(|t| t.chars().next()) {
            Some(c) if c.is_uppercase() => {}
            Some(_) => return false,
            None => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals() {
        assert!(capitals_agree("Inter", "Inter"));
        assert!(capitals_agree("Inter", "INTER"));
        assert!(!capitals_agree("Inter", "inter"));
        assert!(capitals_agree("the Blues", "The Blues"));
        assert!(!capitals_agree("the Blues", "the blues"));
        assert!(capitals_agree("PSG", "PSG"));
        assert!(!capitals_agree("PSG", "Psg"));
        assert!(!capitals_agree("AS", "As"));
    }
}
