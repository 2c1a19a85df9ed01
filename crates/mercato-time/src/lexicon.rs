//! The time words (`data/lexicon/<lang>/time.tsv`), the tournaments
//! (`data/time/events.tsv`) and the calendar-year leagues (`data/time/leagues.tsv`).

use crate::{Interval, SeasonStyle};
use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

const EN_TIME: &str = include_str!("../../../data/lexicon/en/time.tsv");
const EVENTS: &str = include_str!("../../../data/time/events.tsv");
const LEAGUES: &str = include_str!("../../../data/time/leagues.tsv");

/// What a time word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Word {
    Month(u32),
    Weekday(u32),
    Rel(Rel),
    Part(Part),
    Period(Period),
    Season,
    /// Apertura (true) or Clausura (false).
    LeagueHalf(bool),
    Window,
    Deadline,
    Day(i64),
    Unit(i64),
    Ago,
    Later,
    In,
    Number(i64),
    Filler,
    /// A tournament: index into [`TimeLexicon::events`] names.
    Event(usize),
    /// A cue right before an expression that makes it look forward ("until").
    Ahead,
    /// A cue right before an expression that makes it look back ("since").
    Behind,
    /// A word earlier in the sentence that puts a tournament in the future ("hopes").
    Future,
    /// A noun right after a tournament that names what someone achieved at it, so the
    /// tournament is past ("a World Cup 2010 star", "the Euro 2016 winner").
    Achieved,
}

impl Word {
    /// Whether an expression can start at a phrase of this meaning alone: the meanings
    /// `Parser::parse_at` and `Parser::core_with` read (the others only ever follow or
    /// cue one). Keep in step with `core_with`'s match.
    pub(crate) fn starts(self) -> bool {
        match self {
            Word::Month(_)
            | Word::Weekday(_)
            | Word::Rel(_)
            | Word::Part(_)
            | Word::Period(_)
            | Word::LeagueHalf(_)
            | Word::Deadline
            | Word::Day(_)
            | Word::In
            | Word::Number(_)
            | Word::Event(_) => true,
            Word::Season
            | Word::Window
            | Word::Unit(_)
            | Word::Ago
            | Word::Later
            | Word::Filler
            | Word::Ahead
            | Word::Behind
            | Word::Future
            | Word::Achieved => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    Next,
    Last,
    This,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Early,
    Mid,
    Late,
    Start,
    End,
    FirstHalf,
    SecondHalf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Summer,
    Winter,
    Spring,
    Autumn,
}

/// A phrase of the lexicon: its words, meaning, and whether it needs time context.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    /// The words' ids in [`Vocab::words`], compared instead of the strings.
    pub ids: Vec<u32>,
    pub word: Word,
    pub strict: bool,
}

/// What a phrase list asks of the word after its first word: a bit per id modulo 64 of the
/// phrases' second words, and whether a phrase of one word is in the list (then any word
/// may follow) and can start an expression ([`Word::starts`]). A word whose bit is not set
/// ends no phrase of the list: most lists are passed over on one test.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ListFilter {
    pub seconds: u64,
    pub single: bool,
    pub single_starts: bool,
    /// The one-word phrase is a number, which starts an expression only before a unit
    /// word ("a year ago", "two weeks later": `Parser::counted`), so before a known word.
    pub single_is_number: bool,
}

impl ListFilter {
    fn of(list: &[Phrase]) -> ListFilter {
        let mut filter = ListFilter::default();
        for p in list {
            match p.ids.get(1) {
                Some(id) => filter.seconds |= 1 << (id % 64),
                None => {
                    filter.single = true;
                    filter.single_starts |= p.word.starts();
                    filter.single_is_number |= matches!(p.word, Word::Number(_));
                }
            }
        }
        filter
    }

    /// Whether a phrase of the list longer than one word may go on with the word of this
    /// id (0: a token that is no known word, which no phrase has).
    #[inline]
    fn longer(&self, next_id: u32) -> bool {
        next_id != 0 && self.seconds & (1 << (next_id % 64)) != 0
    }

    /// Whether a phrase of the list may be found before the word of this id.
    #[inline]
    pub fn may_continue(&self, next_id: u32) -> bool {
        self.single || self.longer(next_id)
    }

    /// Whether an expression may start at a phrase of the list before the word of this
    /// id: a longer phrase may fit, or the one-word phrase starts one.
    #[inline]
    pub fn may_start(&self, next_id: u32) -> bool {
        self.single_starts && (next_id != 0 || !self.single_is_number) || self.longer(next_id)
    }
}

/// One tournament and its editions.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    /// (edition year as named, played interval)
    pub editions: Vec<(i32, Interval)>,
}

/// Compiled time knowledge for one language. Build once, share.
#[derive(Debug, Clone)]
pub struct TimeLexicon {
    /// Phrase lists by first word (see [`Vocab`]), longest first.
    pub(crate) lists: Vec<Vec<Phrase>>,
    /// Per phrase list, what the word after its first word may be ([`ListFilter`]).
    pub(crate) list_filters: Vec<ListFilter>,
    pub events: Vec<Event>,
    calendar_leagues: FxHashSet<String>,
    pub(crate) vocab: Vocab,
}

/// Every lower-case word the grammar looks at (phrase words and context words), each
/// with the index of the phrase list it starts in `TimeLexicon::lists` (`u32::MAX` for
/// none), and a quick filter (length and initial) so most words are never lower-cased.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocab {
    /// Word → (its id, the index of the phrase list it starts or `u32::MAX`).
    pub words: FxHashMap<String, (u32, u32)>,
    /// Per (first letter, last letter) of the ASCII words (see [`Vocab::ends`]), a bit
    /// per length (the last bit for 63 bytes or more), so that most words of a text are
    /// rejected by one load, without being lower-cased or hashed.
    pub lengths: Vec<u64>,
    /// The words of at most eight bytes by their bytes packed in an integer (see
    /// [`Vocab::pack`]): a lookup without hashing or comparing strings.
    pub short: FxHashMap<u64, (String, u32, u32)>,
    /// A bit per [`Vocab::short_bit`] of the keys of `short` (4096 bits), so that most
    /// short words the vocabulary lacks are rejected without a map lookup.
    pub short_bits: Vec<u64>,
}

impl Vocab {
    /// The index in [`Vocab::lengths`] of a word's first and last byte: their low five
    /// bits, which tell an ASCII letter from the others whatever its case (other bytes may
    /// share an index: a false positive at most).
    fn ends(first: u8, last: u8) -> usize {
        usize::from(first & 0x1f) << 5 | usize::from(last & 0x1f)
    }

    /// The bit of a word's length in its [`Vocab::lengths`] entry.
    fn length_bit(len: usize) -> u64 {
        1 << len.min(63)
    }

    /// An ASCII word of at most eight bytes, lower-cased, packed in an integer (little
    /// endian, zero padded); none for a longer word.
    pub fn pack(word: &[u8]) -> Option<u64> {
        if word.len() > 8 {
            return None;
        }
        // byte by byte (no copy into a buffer: a call for a few bytes)
        let key = word.iter().rev().fold(0u64, |key, &b| key << 8 | u64::from(b));
        Some(ascii_lowercase_u64(key))
    }

    /// Twelve bits of a packed word's hash (Fibonacci hashing).
    fn short_bit(key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 52) as usize
    }

    /// The entry of an ASCII word (case ignored): its lower-case form, id and phrase list.
    #[inline]
    pub fn get(&self, word: &[u8], buf: &mut String) -> Option<(&str, u32, u32)> {
        if let Some(key) = Vocab::pack(word) {
            let bit = Vocab::short_bit(key);
            if self.short_bits.get(bit / 64).is_none_or(|bits| bits & (1 << (bit % 64)) == 0) {
                return None;
            }
            return self.short.get(&key).map(|(w, id, list)| (w.as_str(), *id, *list));
        }
        buf.clear();
        buf.extend(word.iter().map(|&c| char::from(c.to_ascii_lowercase())));
        self.words.get_key_value(buf.as_str()).map(|(w, &(id, list))| (w.as_str(), id, list))
    }

    /// Whether an ASCII word may be in the vocabulary (no false negatives).
    #[inline]
    pub fn may_contain(&self, word: &[u8]) -> bool {
        let (Some(&first), Some(&last)) = (word.first(), word.last()) else { return false };
        self.lengths.get(Vocab::ends(first, last)).is_some_and(|bits| bits & Vocab::length_bit(word.len()) != 0)
    }
}

/// `u8::to_ascii_lowercase` on each byte of a word, eight at a time: each byte from `A`
/// to `Z` gains 0x20 (the high bit of a byte's sums marks its range; no carries cross
/// bytes, since the sums are of 7-bit values and bytes below 0x80).
fn ascii_lowercase_u64(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let low = x & LOW7;
    let from_a = low.wrapping_add(0x3f3f_3f3f_3f3f_3f3f) & HIGH; // low >= 'A' (0x41)
    let past_z = low.wrapping_add(0x2525_2525_2525_2525) & HIGH; // low > 'Z' (0x5a)
    let upper = from_a & !past_z & !x & HIGH;
    x | upper >> 2
}

fn words(phrase: &str) -> Vec<String> {
    phrase.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect()
}

fn parse_word(role: &str, value: &str) -> Option<Word> {
    let n = || value.parse::<i64>().ok();
    Some(match role {
        "month" => Word::Month(u32::try_from(n()?).ok().filter(|m| (1..=12).contains(m))?),
        "weekday" => Word::Weekday(u32::try_from(n()?).ok().filter(|m| (1..=7).contains(m))?),
        "rel" => Word::Rel(match value {
            "next" => Rel::Next,
            "last" => Rel::Last,
            "this" => Rel::This,
            _ => return None,
        }),
        "part" => Word::Part(match value {
            "early" => Part::Early,
            "mid" => Part::Mid,
            "late" => Part::Late,
            "start" => Part::Start,
            "end" => Part::End,
            "first_half" => Part::FirstHalf,
            "second_half" => Part::SecondHalf,
            _ => return None,
        }),
        "period" => Word::Period(match value {
            "summer" => Period::Summer,
            "winter" => Period::Winter,
            "spring" => Period::Spring,
            "autumn" => Period::Autumn,
            _ => return None,
        }),
        "season" => Word::Season,
        "league_half" => Word::LeagueHalf(match value {
            "apertura" => true,
            "clausura" => false,
            _ => return None,
        }),
        "window" => Word::Window,
        "deadline" => Word::Deadline,
        "day" => Word::Day(n()?),
        "unit" => Word::Unit(n()?),
        "ago" => Word::Ago,
        "later" => Word::Later,
        "in" => Word::In,
        "number" => Word::Number(n()?),
        "filler" => Word::Filler,
        "ahead" => Word::Ahead,
        "behind" => Word::Behind,
        "future" => Word::Future,
        "achieved" => Word::Achieved,
        _ => return None,
    })
}

/// Problems in the time data files, as `file:line: line` (tests require none).
#[cfg(test)]
pub(crate) fn check_data() -> Vec<String> {
    let mut bad = Vec::new();
    for (no, line) in data_lines(EN_TIME) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 || parse_word(cols[1], cols[2]).is_none() || cols.get(3).is_some_and(|s| *s != "strict") {
            bad.push(format!("time.tsv:{no}: {line:?}"));
        }
    }
    for (no, line) in data_lines(EVENTS) {
        if parse_event(line).is_none() {
            bad.push(format!("events.tsv:{no}: {line:?}"));
        }
    }
    bad
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end())).filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn parse_event(line: &str) -> Option<(&str, Vec<&str>, i32, Interval)> {
    let cols: Vec<&str> = line.split('\t').collect();
    let [name, aliases, edition, start, end] = cols.as_slice() else { return None };
    let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").ok()?;
    let end = NaiveDate::parse_from_str(end, "%Y-%m-%d").ok()?;
    let aliases = aliases.split('|').filter(|a| !a.is_empty()).collect();
    Some((name, aliases, edition.parse().ok()?, Interval::new(start, end)))
}

impl TimeLexicon {
    /// The English time words with the shipped tournaments and leagues.
    pub fn english() -> TimeLexicon {
        let mut phrases: FxHashMap<String, Vec<Phrase>> = FxHashMap::default();
        let mut add = |phrase: &str, word: Word, strict: bool| {
            let words = words(phrase);
            if let Some(first) = words.first().cloned() {
                phrases.entry(first).or_default().push(Phrase { words, ids: Vec::new(), word, strict });
            }
        };
        for (_, line) in data_lines(EN_TIME) {
            let cols: Vec<&str> = line.split('\t').collect();
            if let (Some(phrase), Some(word)) =
                (cols.first(), cols.get(1).zip(cols.get(2)).and_then(|(r, v)| parse_word(r, v)))
            {
                add(phrase, word, cols.get(3) == Some(&"strict"));
            }
        }
        let mut events: Vec<Event> = Vec::new();
        for (_, line) in data_lines(EVENTS) {
            let Some((name, aliases, edition, played)) = parse_event(line) else { continue };
            let idx = match events.iter().position(|e| e.name == name) {
                Some(i) => i,
                None => {
                    events.push(Event { name: name.to_string(), editions: Vec::new() });
                    add(name, Word::Event(events.len() - 1), false);
                    for alias in &aliases {
                        add(alias, Word::Event(events.len() - 1), false);
                    }
                    events.len() - 1
                }
            };
            events[idx].editions.push((edition, played));
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        let calendar_leagues =
            data_lines(LEAGUES).filter_map(|(_, l)| l.split('\t').next()).map(str::to_string).collect();
        let mut words: FxHashMap<String, (u32, u32)> = FxHashMap::default();
        let mut next_id = 0u32;
        let mut id_of = |words: &mut FxHashMap<String, (u32, u32)>, w: &str| {
            words
                .entry(w.to_string())
                .or_insert_with(|| {
                    next_id += 1;
                    (next_id, u32::MAX)
                })
                .0
        };
        let mut lists = Vec::with_capacity(phrases.len());
        for (first, mut list) in phrases {
            for p in &mut list {
                p.ids = p.words.iter().map(|w| id_of(&mut words, w)).collect();
            }
            id_of(&mut words, &first);
            if let Some(entry) = words.get_mut(&first) {
                entry.1 = u32::try_from(lists.len()).unwrap_or(u32::MAX);
            }
            lists.push(list);
        }
        for w in crate::normalise::CONTEXT_WORDS {
            id_of(&mut words, w);
        }
        let mut lengths = vec![0u64; 1024];
        for w in words.keys() {
            let b = w.as_bytes();
            // only words that end in letters at both ends can match a word of a text
            if let Some((&f, &l)) =
                b.first().zip(b.last()).filter(|(f, l)| f.is_ascii_alphabetic() && l.is_ascii_alphabetic())
            {
                lengths[Vocab::ends(f, l)] |= Vocab::length_bit(b.len());
            }
        }
        let short: FxHashMap<u64, (String, u32, u32)> = words
            .iter()
            .filter_map(|(w, &(id, list))| Some((Vocab::pack(w.as_bytes())?, (w.clone(), id, list))))
            .collect();
        let mut short_bits = vec![0u64; 4096 / 64];
        for &key in short.keys() {
            let bit = Vocab::short_bit(key);
            short_bits[bit / 64] |= 1 << (bit % 64);
        }
        let vocab = Vocab { words, lengths, short, short_bits };
        let list_filters = lists.iter().map(|l| ListFilter::of(l)).collect();
        TimeLexicon { lists, list_filters, events, calendar_leagues, vocab }
    }

    /// The phrases starting with a lower-case word.
    pub(crate) fn phrases(&self, word: &str) -> Option<&[Phrase]> {
        self.vocab.words.get(word).and_then(|&(_, k)| self.lists.get(k as usize)).map(Vec::as_slice)
    }

    /// The value of a number word ("two" is 2).
    pub fn number(&self, word: &str) -> Option<i64> {
        self.phrases(&word.to_lowercase())?.iter().find_map(|p| match p.word {
            Word::Number(n) if p.words.len() == 1 => Some(n),
            _ => None,
        })
    }

    /// The season style of a league (KB league name).
    pub fn season_style(&self, league: &str) -> SeasonStyle {
        if self.calendar_leagues.contains(league) {
            SeasonStyle::Calendar
        } else {
            SeasonStyle::Split
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_word_filter_keeps_every_word() {
        let vocab = &TimeLexicon::english().vocab;
        let mut buf = String::new();
        for (word, &(id, list)) in &vocab.words {
            let got = vocab.get(word.to_ascii_uppercase().as_bytes(), &mut buf);
            assert_eq!(got, Some((word.as_str(), id, list)), "{word}");
        }
        assert_eq!(vocab.get(b"xqzv", &mut buf), None);
    }

    #[test]
    fn pack_is_the_simple_packing() {
        let simple = |word: &[u8]| {
            (word.len() <= 8).then(|| word.iter().rev().fold(0u64, |k, c| k << 8 | u64::from(c.to_ascii_lowercase())))
        };
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = *b"aZ@[`{\x7fq";
                word[at] = b;
                for len in 0..=8 {
                    assert_eq!(Vocab::pack(&word[..len]), simple(&word[..len]), "{word:?} {len}");
                }
            }
        }
        assert_eq!(Vocab::pack(b"Septembers"), None);
        assert_eq!(Vocab::pack(b"MaY"), simple(b"may"));
    }

    #[test]
    fn data_files_parse() {
        assert_eq!(check_data(), Vec::<String>::new());
    }

    /// The filter lets through every phrase's second word (and any word after a list
    /// with a one-word phrase).
    #[test]
    fn list_filters_keep_every_phrase() {
        let lex = TimeLexicon::english();
        for (list, filter) in lex.lists.iter().zip(&lex.list_filters) {
            for p in list {
                match p.ids.get(1) {
                    Some(&id) => assert!(filter.may_continue(id), "{:?}", p.words),
                    None => assert!(filter.single && filter.may_continue(0), "{:?}", p.words),
                }
            }
        }
        assert_eq!(lex.lists.len(), lex.list_filters.len());
    }

    #[test]
    fn no_phrase_listed_twice() {
        let lex = TimeLexicon::english();
        for list in &lex.lists {
            for (i, a) in list.iter().enumerate() {
                assert!(!list[i + 1..].iter().any(|b| b.words == a.words), "listed twice: {:?}", a.words);
            }
        }
    }

    #[test]
    fn events_and_leagues() {
        let lex = TimeLexicon::english();
        let wc = lex.events.iter().find(|e| e.name == "World Cup").expect("World Cup");
        assert!(wc.editions.iter().any(|(y, i)| *y == 2022 && i.start.to_string() == "2022-11-20"));
        assert_eq!(lex.season_style("MLS"), SeasonStyle::Calendar);
        assert_eq!(lex.season_style("La Liga"), SeasonStyle::Split);
    }
}
