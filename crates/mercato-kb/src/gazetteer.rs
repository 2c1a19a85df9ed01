//! The gazetteer: every KB name, folded (lower-cased, accent-stripped), in a hash index
//! keyed by the whole name, with a second index of first words as a prefilter.
//!
//! A name can only start at a word start with a capital or digit (or at one of the few
//! lower-case words some names begin with, like "the"), so the scan visits those places
//! only, looks the first word up, and then tries the longest candidate ending first. On
//! the shared KB (~35k names) this builds in a few tens of milliseconds and scans faster
//! than an Aho-Corasick automaton run at every word start.
//!
//! A match must sit on word boundaries and keep the capitals of the KB name: "Inter" and
//! "the Blues" match as written or in capitals, not as "inter" or "the blues"; short
//! all-capital names ("PSG", "OM", "AS") match only in capitals. Overlaps are settled
//! longest first ("Real Madrid" over "Madrid").

use crate::{Club, Coach, Nation, Player, Source};
use mercato_text::fold::{fold, fold_str, is_word_byte as is_word, word_runs, Folded};
use mercato_text::Span;
use rustc_hash::{FxHashMap, FxHashSet};
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
    /// What the capitals check asks of a text, worked out from `written` once.
    caps: Caps,
}

/// [`capitals_agree`] for one KB name, worked out once: `agree` answers as
/// `capitals_agree(written, text)` does.
#[derive(Debug, Clone, Copy)]
struct Caps {
    /// A short all-capital name ("PSG", "AS"): every letter of the text is a capital.
    short: bool,
    /// Bit `i`: the name's word `i` wants a capital.
    wants: u64,
    /// The name's number of words (more than 64: checked by [`capitals_agree`] itself).
    words: usize,
}

impl Caps {
    fn of(kb: &str) -> Caps {
        let short = kb.len() <= 5
            && kb.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && kb.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        let mut wants = 0u64;
        let mut words = 0;
        for (i, kb_token) in kb.split_whitespace().enumerate() {
            // A leading article keeps no capital in running text ("the Athletic reported").
            if i < 64 && kb_token.chars().next().is_some_and(char::is_uppercase) && kb_token != "The" {
                wants |= 1 << i;
            }
            words = i + 1;
        }
        Caps { short, wants, words }
    }

    fn agree(&self, kb: &str, text: &str) -> bool {
        if self.short {
            return text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        }
        if self.words > 64 {
            return capitals_agree(kb, text);
        }
        // The text's words, as many as the name has: those the name capitalises must be too.
        text.split_whitespace()
            .take(self.words)
            .enumerate()
            .all(|(i, t)| self.wants & (1 << i) == 0 || t.chars().next().is_none_or(char::is_uppercase))
    }
}

/// The capitals of a text's first 64 words, worked out once for all readings of a name.
struct TextCaps {
    /// Bit `i`: the text's word `i` starts with a capital.
    upper: u64,
    /// The text's number of words.
    words: usize,
}

impl TextCaps {
    fn of(text: &str) -> TextCaps {
        let mut upper = 0u64;
        let mut words = 0;
        for (i, word) in text.split_whitespace().take(64).enumerate() {
            if word.chars().next().is_some_and(char::is_uppercase) {
                upper |= 1 << i;
            }
            words = i + 1;
        }
        TextCaps { upper, words }
    }
}

impl Caps {
    /// [`Caps::agree`] with the text's capitals worked out beforehand (`shape` is
    /// `TextCaps::of(text)`).
    fn agree_with(&self, kb: &str, text: &str, shape: &TextCaps) -> bool {
        if self.short || self.words > 64 {
            return self.agree(kb, text);
        }
        // the words both have (at most 64): those the name capitalises must be capitals
        let both = self.words.min(shape.words);
        let checked = if both >= 64 { u64::MAX } else { (1u64 << both) - 1 };
        self.wants & checked & !shape.upper == 0
    }
}

/// A name found in a text with the readings whose capitals it keeps.
#[derive(Debug, Clone)]
pub struct GazetteerMatch<'g> {
    pub span: Span,
    /// All readings of the name; `agree` marks the ones that match (bit i for reading i).
    all: &'g [Reading],
    agree: u64,
}

impl<'g> GazetteerMatch<'g> {
    /// The readings of the name whose capitals the text keeps.
    pub fn readings(&self) -> impl Iterator<Item = &'g Reading> + '_ {
        self.all.iter().enumerate().filter(|(i, _)| *i >= 64 || self.agree & (1 << i) != 0).map(|(_, r)| r)
    }
}

/// The compiled automaton.
#[derive(Debug)]
pub struct Gazetteer {
    /// Every prefix of a folded name that ends at a word end ("sergio", "sergio ramos"),
    /// with the index into `readings` of the name it is whole (`u32::MAX` for a prefix
    /// only): a scan stops extending a candidate once it is no such prefix, and one
    /// lookup answers both questions.
    prefixes: FxHashMap<Box<str>, u32>,
    /// Folded first words of names written with a lower-case start ("the", "talksport"):
    /// the only lower-case words a name can start at.
    lower_starts: FxHashSet<Box<str>>,
    /// A bit per (length up to 63, first byte) of `lower_starts`, so that most lower-case
    /// words are rejected without hashing (no false negatives).
    lower_start_bits: Vec<u64>,
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
                list.push(Reading { entity, ambiguous, written: written.to_string(), caps: Caps::of(written) });
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
        let index: FxHashMap<&str, u32> = patterns.iter().enumerate().map(|(i, p)| (p.as_str(), i as u32)).collect();
        let mut prefixes: FxHashMap<Box<str>, u32> = FxHashMap::default();
        for pattern in &patterns {
            let bytes = pattern.as_bytes();
            for e in 1..=bytes.len() {
                if (e == bytes.len() || !is_word(bytes[e])) && is_word(bytes[e - 1]) && pattern.is_char_boundary(e) {
                    let prefix = &pattern[..e];
                    prefixes.entry(prefix.into()).or_insert_with(|| index.get(prefix).copied().unwrap_or(u32::MAX));
                }
            }
        }
        let lower_starts: FxHashSet<Box<str>> = readings
            .iter()
            .flatten()
            .filter(|r| r.written.chars().next().is_some_and(|c| !c.is_uppercase() && !c.is_ascii_digit()))
            .map(|r| first_word(&fold_str(&r.written)).into())
            .collect();
        let mut lower_start_bits = vec![0u64; 256];
        for word in &lower_starts {
            if let Some(&first) = word.as_bytes().first() {
                lower_start_bits[usize::from(first)] |= 1 << word.len().min(63);
            }
        }
        Gazetteer { prefixes, lower_starts, lower_start_bits, readings }
    }

    /// Whether a lower-case word may be in `lower_starts` (no false negatives).
    fn may_start_lower(&self, word: &[u8]) -> bool {
        word.first().is_some_and(|&b| self.lower_start_bits[usize::from(b)] & (1 << word.len().min(63)) != 0)
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
        self.find_words(text, folded, &word_runs(&folded.text))
    }

    /// Like [`Gazetteer::find_folded`], for a caller that also holds the folded text's
    /// words (`mercato_text::fold::word_runs` of `folded.text`): the scan goes from word
    /// to word without looking at the bytes between.
    pub fn find_words(&self, text: &str, folded: &Folded, words: &[(u32, u32)]) -> Vec<GazetteerMatch<'_>> {
        let haystack = folded.text.as_str();
        let mut kept: Vec<GazetteerMatch<'_>> = Vec::new();
        let mut w = 0;
        while w < words.len() {
            let (at, word_end) = (words[w].0 as usize, words[w].1 as usize);
            // Names start with a capital or a digit, or with one of the few lower-case
            // words some names begin with ("the Blues", "talkSPORT").
            let start = folded.start_of(at);
            let capital = match text.as_bytes().get(start) {
                // an ASCII letter or digit decides alone; else the character there
                Some(b) if b.is_ascii() => b.is_ascii_uppercase() || b.is_ascii_digit(),
                _ => text
                    .get(start..)
                    .and_then(|t| t.chars().next())
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()),
            };
            // (the word as a string only when the bits let it be a lower-case start)
            if !(capital
                || self.may_start_lower(haystack.as_bytes().get(at..word_end).unwrap_or_default())
                    && haystack.get(at..word_end).is_some_and(|word| self.lower_starts.contains(word)))
            {
                w += 1;
                continue;
            }
            // Extend word by word while the candidate is a prefix of some name; keep the
            // longest candidate that is a whole name with the right capitals.
            let mut matched = None;
            let mut k = w;
            while let Some(&(_, e)) = words.get(k) {
                let e = e as usize;
                let Some(candidate) = haystack.get(at..e) else { break };
                let Some(&pattern) = self.prefixes.get(candidate) else { break };
                if pattern != u32::MAX {
                    let end = folded.end_of(e, text);
                    if start < end {
                        let written = &text[start..end];
                        let all = self.readings[pattern as usize].as_slice();
                        let shape = TextCaps::of(written);
                        let agree = all
                            .iter()
                            .take(64)
                            .enumerate()
                            .filter(|(_, r)| r.caps.agree_with(&r.written, written, &shape))
                            .fold(0u64, |mask, (i, _)| mask | (1 << i));
                        if agree != 0 {
                            matched = Some((k, GazetteerMatch { span: Span::new(start, end), all, agree }));
                        }
                    }
                }
                k += 1;
            }
            match matched {
                Some((last, m)) => {
                    kept.push(m);
                    w = last + 1;
                }
                None => w += 1,
            }
        }
        kept
    }
}

/// The first word of a folded name: up to its first non-word byte.
fn first_word(name: &str) -> &str {
    let end = name.bytes().position(|b| !is_word(b)).unwrap_or(name.len());
    &name[..end]
}

/// Does `text` keep the capitals of the KB name `kb`?
fn capitals_agree(kb: &str, text: &str) -> bool {
    let short_caps = kb.len() <= 5
        && kb.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && kb.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    if short_caps {
        return text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    }
    let mut text_tokens = text.split_whitespace();
    for kb_token in kb.split_whitespace() {
        // A leading article keeps no capital in running text ("the Athletic reported").
        let wants_capital = kb_token.chars().next().is_some_and(char::is_uppercase) && kb_token != "The";
        match text_tokens.next().and_then(|t| t.chars().next()) {
            Some(c) if wants_capital && !c.is_uppercase() => return false,
            Some(_) => {}
            None => break,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_byte_table_is_the_predicate() {
        for b in 0..=255u8 {
            assert_eq!(is_word(b), b.is_ascii_alphanumeric() || b >= 0x80, "byte {b}");
        }
    }

    /// The scan without its shortcuts: at every word start, the longest run of whole words
    /// that is a KB name with agreeing capitals.
    fn find_simply(g: &Gazetteer, text: &str) -> Vec<(Span, Vec<Entity>)> {
        let names: HashMap<String, usize> = g
            .readings
            .iter()
            .enumerate()
            .filter_map(|(i, rs)| rs.first().map(|r| (fold_str(r.written.trim()), i)))
            .collect();
        let folded = fold(text);
        let hay = folded.text.as_str();
        let bytes = hay.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            if !word(bytes[at]) || (at > 0 && word(bytes[at - 1])) {
                at += 1;
                continue;
            }
            let word_end = (at..bytes.len()).find(|&i| !word(bytes[i])).unwrap_or(bytes.len());
            let original = text[folded.start_of(at)..].chars().next();
            let capital = original.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            if !(capital || g.lower_starts.contains(&hay[at..word_end])) {
                at = word_end;
                continue;
            }
            let mut best = None;
            for e in (word_end..=bytes.len()).filter(|&e| (e == bytes.len() || !word(bytes[e])) && word(bytes[e - 1])) {
                if !hay.is_char_boundary(e) {
                    break;
                }
                if let Some(&i) = names.get(&hay[at..e]) {
                    let (start, end) = (folded.start_of(at), folded.end_of(e, text));
                    let readings: Vec<Entity> = g.readings[i]
                        .iter()
                        .filter(|r| start < end && capitals_agree(&r.written, &text[start..end]))
                        .map(|r| r.entity)
                        .collect();
                    if !readings.is_empty() {
                        best = Some((e, (Span::new(start, end), readings)));
                    }
                }
            }
            match best {
                Some((e, m)) => {
                    out.push(m);
                    at = e;
                }
                None => at = word_end,
            }
        }
        out
    }

    #[test]
    fn the_scan_finds_what_the_simple_scan_finds() {
        let kb = crate::Kb::starter();
        let g = kb.gazetteer();
        for text in [
            "Real Madrid and Manchester United want Sergio Ramos, the Blues say; talkSPORT and PSG agree.",
            "Atlético Madrid’s Kylian Mbappé joined Inter, not inter. the Athletic reported it. Borussia Mönchengladbach",
            "REAL MADRID, Real  Madrid, Real\nMadrid, AS Roma, As Roma, OM, Om, Juventus-Torino, Neymar Jr. Casemiro",
            "",
            "the the The Blues the blues 2024 Chelsea FC Paris Saint-Germain Bayern München İlkay Gündoğan",
        ] {
            let fast: Vec<(Span, Vec<Entity>)> =
                g.find(text).iter().map(|m| (m.span, m.readings().map(|r| r.entity).collect())).collect();
            assert_eq!(fast, find_simply(g, text), "{text}");
        }
    }

    #[test]
    fn caps_are_the_capitals_check() {
        let names = [
            "Inter",
            "the Blues",
            "PSG",
            "AS",
            "The Athletic",
            "AS Roma",
            "Real Madrid",
            "talkSPORT",
            "OM",
            "1. FC Köln",
        ];
        let texts = [
            "Inter",
            "INTER",
            "inter",
            "The Blues",
            "the blues",
            "the Blues",
            "PSG",
            "Psg",
            "As",
            "AS",
            "the Athletic",
            "the athletic",
            "AS Roma",
            "As roma",
            "Real madrid",
            "REAL MADRID",
            "talksport",
            "Om",
            "1. FC Köln",
            "1. fc köln",
            "",
            "Real  Madrid  CF x",
        ];
        for name in names {
            for text in texts {
                assert_eq!(Caps::of(name).agree(name, text), capitals_agree(name, text), "{name:?} {text:?}");
                let shape = TextCaps::of(text);
                assert_eq!(
                    Caps::of(name).agree_with(name, text, &shape),
                    capitals_agree(name, text),
                    "{name:?} {text:?}"
                );
            }
        }
    }

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
        assert!(capitals_agree("The Athletic", "the Athletic"));
        assert!(!capitals_agree("The Athletic", "the athletic"));
    }
}
