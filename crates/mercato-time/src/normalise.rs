//! Finding temporal expressions and normalising them to intervals.
//!
//! Three steps: [`tokens`] (words, numbers, compact dates and season pairs, breaks), a
//! small grammar over the lexicon's time words ([`Parser::parse_at`]) that yields a
//! [`When`], and [`resolve`], which turns a `When` into an [`Interval`] against the
//! publication date, the previous expression ("two years later") and the season style.

use crate::lexicon::{Part, Period, Rel, TimeLexicon, Word};
use crate::{add_days, add_years, policy, Grain, Interval, SeasonStyle};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// Whether the expression itself points back or forward from the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tense {
    Past,
    Future,
}

/// What an expression says, before it is placed on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    Day(NaiveDate),
    /// "30 June" without a year.
    MonthDay {
        month: u32,
        day: u32,
    },
    MonthYear {
        year: i32,
        month: u32,
    },
    /// "January", "next March".
    Month {
        month: u32,
        rel: Option<Rel>,
    },
    Year(i32),
    /// "this year" 0, "next year" 1, "last year" -1.
    YearRel(i32),
    MonthRel(i32),
    WeekRel(i32),
    /// A football season by its first year ("2023/24" is 2023).
    Season(i32),
    /// "the 2025 season".
    SeasonYear(i32),
    /// "this season" 0, "next season" 1, "last season" -1.
    SeasonRel(i32),
    Period {
        period: Period,
        year: Option<i32>,
        rel: Option<Rel>,
    },
    /// "the January window" (winter) or "the summer window".
    Window {
        winter: bool,
        year: Option<i32>,
        rel: Option<Rel>,
    },
    /// "this window", "the next window".
    WindowRel(Rel),
    /// "Apertura 2025" (true), "the Clausura" (false).
    LeagueHalf {
        apertura: bool,
        year: Option<i32>,
        rel: Option<Rel>,
    },
    Deadline,
    /// "yesterday" -1, "today" 0, "tomorrow" 1.
    DayRel(i64),
    Weekday {
        weekday: u32,
        rel: Option<Rel>,
    },
    /// "two years ago": a count of a unit (in days: 1, 7, 30, 365).
    Ago {
        n: i64,
        unit: i64,
    },
    /// "two years later": counted from the previous expression.
    Later {
        n: i64,
        unit: i64,
    },
    /// "in two weeks".
    In {
        n: i64,
        unit: i64,
    },
    /// A tournament (index into `TimeLexicon::events`), its named edition if given.
    Event {
        event: usize,
        edition: Option<i32>,
        rel: Option<Rel>,
    },
    Part(Part, Box<When>),
}

impl When {
    /// Whether placing it needs the publication date or an earlier expression.
    pub fn is_relative(&self) -> bool {
        match self {
            When::Day(_) | When::MonthYear { .. } | When::Year(_) | When::Season(_) | When::SeasonYear(_) => false,
            When::Period { year: Some(_), .. } | When::Window { year: Some(_), .. } => false,
            When::Event { edition: Some(_), .. } | When::LeagueHalf { year: Some(_), .. } => false,
            When::Part(_, inner) => inner.is_relative(),
            _ => true,
        }
    }

    fn tense(&self) -> Option<Tense> {
        let rel = match self {
            When::Month { rel, .. } | When::Period { rel, .. } | When::Window { rel, .. } => *rel,
            When::Weekday { rel, .. } | When::Event { rel, .. } | When::LeagueHalf { rel, .. } => *rel,
            When::WindowRel(rel) => Some(*rel),
            When::YearRel(n) | When::MonthRel(n) | When::WeekRel(n) | When::SeasonRel(n) => {
                return (*n != 0).then_some(if *n > 0 { Tense::Future } else { Tense::Past })
            }
            When::DayRel(n) => return (*n != 0).then_some(if *n > 0 { Tense::Future } else { Tense::Past }),
            When::Ago { .. } => return Some(Tense::Past),
            When::In { .. } => return Some(Tense::Future),
            When::Part(_, inner) => return inner.tense(),
            _ => None,
        };
        match rel {
            Some(Rel::Next) => Some(Tense::Future),
            Some(Rel::Last) => Some(Tense::Past),
            _ => None,
        }
    }
}

/// One temporal expression found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeExpr {
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(skip)]
    pub when: When,
    /// Where it lies; `None` when it is relative and there is nothing to count from.
    pub value: Option<Interval>,
    pub grain: Grain,
    /// Pointing back ("last summer", "two years ago") or forward ("next March", "until
    /// June 2026") from the publication date, when the words say so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tense: Option<Tense>,
    /// It needed the publication date or an earlier expression to be placed.
    pub relative: bool,
    /// The rule used for an ambiguous phrase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Word,
    Num {
        value: i64,
        digits: usize,
        ordinal: bool,
    },
    Date(NaiveDate),
    /// "2023/24": the first year.
    SeasonPair(i32),
    Comma,
    Break,
}

#[derive(Debug, Clone)]
struct Tok<'l> {
    start: usize,
    end: usize,
    kind: Kind,
    /// The lower-case word when the grammar knows it (borrowed from the lexicon), else "".
    lower: &'l str,
    /// Id of the word in the vocabulary (0 for none).
    id: u32,
    /// How many words the token stands for (a run of unknown words is one token).
    words: u16,
    /// Index of the phrase list the word starts (`u32::MAX` for none).
    list: u32,
    capital: bool,
}

/// The length of the run of ASCII letters at `b[i..]`, eight bytes at a time.
fn ascii_letters_at(b: &[u8], i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut n = 0;
    while let Some(chunk) = b.get(i + n..i + n + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let x = u64::from_le_bytes(chunk);
        // lower-cased (an ASCII letter then lies in 'a'..='z'), without the high bit
        let low = (x | 0x2020_2020_2020_2020) & LOW7;
        // per byte, the high bit: ASCII, at least 'a', above 'z' (no carries between bytes)
        let ascii = !x & HIGH;
        let from_a = low.wrapping_add(0x1f1f_1f1f_1f1f_1f1f) & HIGH;
        let past_z = low.wrapping_add(0x0505_0505_0505_0505) & HIGH;
        let other = !(ascii & from_a & !past_z) & HIGH;
        if other != 0 {
            return n + (other.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + b[(i + n).min(b.len())..].iter().take_while(|c| c.is_ascii_alphabetic()).count()
}

/// Extends the run of unknown words that `last` holds over the plain ASCII words at
/// `b[i..]` the vocabulary cannot hold, as the token loop would one word at a time, in a
/// tighter loop; returns where the token loop resumes (at the first word it must see).
fn extend_unknown_run(b: &[u8], mut i: usize, vocab: &crate::lexicon::Vocab, last: &mut Tok<'_>) -> usize {
    while last.words < u16::MAX && b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        let len = ascii_letters_at(b, i);
        // letters past ASCII, or a word the grammar may know: the token loop's
        if b.get(i + len).is_some_and(|c| *c >= 0x80) || vocab.may_contain(&b[i..i + len]) {
            break;
        }
        i += len;
        last.end = i;
        last.words += 1;
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    i
}

fn digits_at(b: &[u8], i: usize) -> usize {
    b[i..].iter().take_while(|c| c.is_ascii_digit()).count()
}

fn num(b: &[u8], i: usize, n: usize) -> i64 {
    b[i..i + n].iter().fold(0i64, |acc, c| acc.saturating_mul(10).saturating_add(i64::from(c - b'0')))
}

/// A compact date or season at `i` (a run of `n` digits starts there): its length and kind.
fn compact(b: &[u8], i: usize, n: usize) -> Option<(usize, Kind)> {
    let sep = |at: usize| b.get(at).copied().filter(|c| matches!(c, b'/' | b'-' | b'.'));
    // en dash "2023–24" is three bytes
    let dash = |at: usize| b.get(at..at + 3) == Some("–".as_bytes());
    let first = num(b, i, n);
    if n == 4 {
        let (sep_len, ok) = if sep(i + 4).is_some_and(|c| c != b'.') { (1, true) } else { (3, dash(i + 4)) };
        if ok {
            let j = i + 4 + sep_len;
            let m = digits_at(b, j);
            // ISO date
            if m == 2 && sep_len == 1 && b.get(j + 2) == Some(&b[i + 4]) && digits_at(b, j + 3) == 2 {
                let date = NaiveDate::from_ymd_opt(
                    i32::try_from(first).ok()?,
                    u32::try_from(num(b, j, 2)).ok()?,
                    u32::try_from(num(b, j + 3, 2)).ok()?,
                )?;
                return Some((j + 5 - i, Kind::Date(date)));
            }
            let second = num(b, j, m);
            let pair = (m == 2 && second == (first + 1) % 100) || (m == 4 && second == first + 1);
            if pair && (1950..=2100).contains(&first) && digits_at(b, j + m) == 0 {
                return Some((j + m - i, Kind::SeasonPair(i32::try_from(first).ok()?)));
            }
        }
    }
    if n <= 2 {
        // day first: 30/06/2026, 30.06.2026
        let s = sep(i + n)?;
        let j = i + n + 1;
        let m = digits_at(b, j);
        if m == 0 || m > 2 || b.get(j + m) != Some(&s) || digits_at(b, j + m + 1) != 4 {
            return None;
        }
        let k = j + m + 1;
        let date = NaiveDate::from_ymd_opt(
            i32::try_from(num(b, k, 4)).ok()?,
            u32::try_from(num(b, j, m)).ok()?,
            u32::try_from(first).ok()?,
        )?;
        return Some((k + 4 - i, Kind::Date(date)));
    }
    None
}

fn tokens<'l>(text: &str, from: usize, vocab: &'l crate::lexicon::Vocab) -> Vec<Tok<'l>> {
    let b = text.as_bytes();
    // up to about a token for every five bytes of news text (words, numbers, commas and
    // stops): room for all but the densest articles, so the tokens are seldom moved
    let mut out = Vec::with_capacity(b.len().saturating_sub(from) / 4);
    let mut buf = String::with_capacity(32);
    let mut i = from.min(b.len());
    while i < b.len() {
        let c = b[i];
        if c == b' ' {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let n = digits_at(b, i);
            if let Some((len, kind)) = compact(b, i, n) {
                out.push(Tok {
                    start: i,
                    end: i + len,
                    kind,
                    lower: "",
                    id: 0,
                    words: 0,
                    list: u32::MAX,
                    capital: false,
                });
                i += len;
                continue;
            }
            let mut end = i + n;
            let value = num(b, i, n);
            // (two bytes lowered in place: no Vec per number)
            let suffix = b.get(end..end + 2).map(|s| [s[0].to_ascii_lowercase(), s[1].to_ascii_lowercase()]);
            let ordinal = matches!(suffix.as_ref(), Some(b"st" | b"nd" | b"rd" | b"th"))
                && !b.get(end + 2).is_some_and(u8::is_ascii_alphanumeric);
            if ordinal {
                end += 2;
            }
            // a number glued to letters or more digits ("3pm", "1,000") is no date part
            let glued = !ordinal && b.get(end).is_some_and(|c| c.is_ascii_alphabetic())
                || b.get(end) == Some(&b',') && b.get(end + 1).is_some_and(u8::is_ascii_digit)
                || i > 0 && matches!(b[i - 1], b'$' | b'.' | b',');
            let kind = if glued { Kind::Break } else { Kind::Num { value, digits: n, ordinal } };
            out.push(Tok { start: i, end, kind, lower: "", id: 0, words: 0, list: u32::MAX, capital: false });
            i = end;
            continue;
        }
        // The General Punctuation block (U+2000 to U+203F, bytes E2 80 xx: curly quotes,
        // dashes, the ellipsis) holds no letter: passed over whole, as the letter test below
        // would after decoding it.
        if c == 0xE2 && b.get(i + 1) == Some(&0x80) {
            i += 3;
            continue;
        }
        if c.is_ascii_alphabetic() || c >= 0x80 && text.is_char_boundary(i) {
            let start = i;
            // ASCII letters byte by byte; decode characters only past a non-ASCII byte
            let ascii = ascii_letters_at(b, i);
            let len = if b.get(i + ascii).is_none_or(|b| *b < 0x80) {
                ascii
            } else {
                let rest = &text[i..];
                rest.char_indices().find(|(_, ch)| !ch.is_alphabetic()).map_or(rest.len(), |(k, _)| k)
            };
            if len == 0 {
                // a non-letter, non-ASCII character (dash, quote, symbol)
                let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
                i += ch_len;
                continue;
            }
            let word = &b[start..start + len];
            // only words the grammar knows are lower-cased and looked up; the vocabulary is
            // ASCII, so a word with other letters is never in it
            let candidate = len == ascii && vocab.may_contain(word);
            let known = if candidate { vocab.get(word, &mut buf) } else { None };
            // a run of unknown words is one token that counts its words
            if known.is_none() {
                if let Some(last) = out.last_mut().filter(|t| t.kind == Kind::Word && t.id == 0 && t.words < u16::MAX) {
                    last.end = start + len;
                    last.words += 1;
                    i = start + len;
                    // the space after the word, as the loop's first test would skip it
                    if b.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    i = extend_unknown_run(b, i, vocab, last);
                    continue;
                }
            }
            out.push(Tok {
                words: 1,
                start,
                end: start + len,
                kind: Kind::Word,
                lower: known.map_or("", |(k, _, _)| k),
                id: known.map_or(0, |(_, id, _)| id),
                list: known.map_or(u32::MAX, |(_, _, l)| l),
                capital: if len == ascii {
                    word[0].is_ascii_uppercase()
                } else {
                    text[start..].chars().next().is_some_and(char::is_uppercase)
                },
            });
            i = start + len;
            // "summer's", "season's": the possessive is not a word
            if b.get(i) == Some(&b'\'')
                && b.get(i + 1) == Some(&b's')
                && !b.get(i + 2).is_some_and(u8::is_ascii_alphabetic)
            {
                i += 2;
            }
            // the space after the word, as the loop's first test would skip it
            if b.get(i) == Some(&b' ') {
                i += 1;
            }
            // an unknown word starts a run the next unknown words join
            if let Some(last) = out.last_mut().filter(|_| known.is_none()) {
                i = extend_unknown_run(b, i, vocab, last);
            }
            continue;
        }
        let kind = match c {
            b',' => Some(Kind::Comma),
            b';' | b':' | b'(' | b')' | b'"' | b'\n' | b'|' => Some(Kind::Break),
            b'.' | b'!' | b'?' => {
                // a sentence end, not "Jan. 5"
                let next = b[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
                (next.is_none() || next.is_some_and(|c| !c.is_ascii_digit() && !c.is_ascii_lowercase()))
                    .then_some(Kind::Break)
            }
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(Tok { start: i, end: i + 1, kind, lower: "", id: 0, words: 0, list: u32::MAX, capital: false });
        }
        i += 1;
    }
    out
}

/// Prepositions after which a strict month word ("may", "march") is a month.
/// Words a tense cue may stand back from its expression ("expires in the summer of 2022").
const CUE_GAP: usize = 2;

const MONTH_CONTEXT: [&str; 13] =
    ["in", "since", "until", "till", "by", "from", "before", "after", "during", "through", "of", "to", "on"];

/// Words before a bare year that make it one even when a noun follows ("in 2021 he").
const YEAR_CONTEXT: [&str; 17] = [
    "in", "since", "until", "till", "by", "from", "before", "after", "during", "through", "of", "to", "on", "between",
    "and", "early", "late",
];

/// Every context word the grammar compares (a superset of [`MONTH_CONTEXT`]).
pub(crate) const CONTEXT_WORDS: &[&str] = &YEAR_CONTEXT;

struct Parser<'a> {
    lex: &'a TimeLexicon,
    toks: &'a [Tok<'a>],
}

impl Parser<'_> {
    /// The lexicon phrase at token `i`: its meaning, whether strict, and the next token.
    fn word(&self, i: usize) -> Option<(Word, bool, usize)> {
        let tok = self.toks.get(i)?;
        if tok.kind != Kind::Word || tok.lower.is_empty() {
            return None;
        }
        let list = self.lex.lists.get(tok.list as usize)?;
        // most lists end at the next word (no phrase of theirs goes on with it)
        let next_id = self.toks.get(i + 1).map_or(0, |t| t.id);
        if self.lex.list_filters.get(tok.list as usize).is_some_and(|f| !f.may_continue(next_id)) {
            return None;
        }
        list.iter().find_map(|p| {
            let fits = p.ids.iter().enumerate().all(|(k, w)| self.toks.get(i + k).is_some_and(|t| t.id == *w));
            // tournaments are proper names: "Euro 2024", not "60 million euro"
            let proper = !matches!(p.word, Word::Event(_)) || tok.capital;
            (fits && proper).then(|| (p.word, p.strict, i + p.words.len()))
        })
    }

    /// The tense the words before token `i` give an expression: a cue with at most two words
    /// between it and the expression ("until", "expires in", "out of contract in the summer
    /// of 2022", "since"), or, for a tournament or a full date, a future word earlier in the
    /// sentence ("hopes to play at the 2026 World Cup", "will join on 1 July 2019").
    fn cued_tense(&self, i: usize, sentence_future: bool) -> Option<Tense> {
        let mut k = i;
        let mut words = 0;
        while k > 0 {
            k -= 1;
            let tok = &self.toks[k];
            if tok.kind == Kind::Break {
                return None;
            }
            if tok.kind != Kind::Word {
                continue;
            }
            words += usize::from(tok.words);
            let cue = self.word(k);
            // the words between the cue's end and the expression
            let between = cue.map_or(usize::MAX, |(_, _, end)| {
                self.toks.get(end..i).map_or(usize::MAX, |gap| {
                    gap.iter().filter(|t| t.kind == Kind::Word).map(|t| usize::from(t.words)).sum()
                })
            });
            match cue.map(|(w, _, _)| w) {
                Some(Word::Ahead) if between <= CUE_GAP => return Some(Tense::Future),
                Some(Word::Behind) if between <= CUE_GAP => return Some(Tense::Past),
                Some(Word::Future) if sentence_future && words <= 15 => return Some(Tense::Future),
                _ => {}
            }
            if words > 15 {
                return None;
            }
        }
        None
    }

    fn is(&self, i: usize, want: Word) -> Option<usize> {
        self.word(i).filter(|(w, _, _)| *w == want).map(|(_, _, j)| j)
    }

    fn skip_of(&self, i: usize) -> usize {
        self.toks.get(i).filter(|t| t.lower == "of").map_or(i, |_| i + 1)
    }

    fn skip_the(&self, i: usize) -> usize {
        self.toks.get(i).filter(|t| t.lower == "the").map_or(i, |_| i + 1)
    }

    fn year(&self, i: usize) -> Option<i32> {
        match self.toks.get(i)?.kind {
            Kind::Num { value, digits: 4, ordinal: false } if (1950..=2100).contains(&value) => {
                i32::try_from(value).ok()
            }
            _ => None,
        }
    }

    fn day(&self, i: usize) -> Option<u32> {
        match self.toks.get(i)?.kind {
            Kind::Num { value, digits: 1 | 2, .. } if (1..=31).contains(&value) => u32::try_from(value).ok(),
            _ => None,
        }
    }

    fn comma(&self, i: usize) -> usize {
        self.toks.get(i).filter(|t| t.kind == Kind::Comma).map_or(i, |_| i + 1)
    }

    /// An optional year after a month or period: "June 2026", "June, 2026", "summer of 2021".
    fn trailing_year(&self, i: usize) -> Option<(i32, usize)> {
        let j = self.comma(i);
        let j = self.skip_of(j);
        self.year(j).map(|y| (y, j + 1))
    }

    /// "window" or "transfer window" after a month or period.
    fn window_after(&self, i: usize) -> Option<usize> {
        self.is(i, Word::Window)
    }

    fn count(&self, i: usize) -> Option<(i64, usize)> {
        match self.toks.get(i)?.kind {
            Kind::Num { value, digits: 1..=3, ordinal: false } => Some((value, i + 1)),
            Kind::Word => match self.word(i)? {
                (Word::Number(n), _, j) => Some((n, j)),
                _ => None,
            },
            _ => None,
        }
    }

    /// An expression starting at token `i`: what it says and the token after it.
    fn parse_at(&self, i: usize) -> Option<(When, usize)> {
        // the phrase at `i` is looked up once, here and for `core`
        let word = self.word(i);
        if let Some((Word::Part(part), _, j)) = word {
            let k = self.skip_the(j);
            // "the end of the season", "the second half of the campaign"
            if let Some(end) = self.is(k, Word::Season) {
                return Some((When::Part(part, Box::new(When::SeasonRel(0))), end));
            }
            if let Some((inner, end)) = self.core(k, true) {
                return Some((When::Part(part, Box::new(inner)), end));
            }
            return None;
        }
        self.core_with(i, false, Some(word))
    }

    fn core(&self, i: usize, in_context: bool) -> Option<(When, usize)> {
        self.core_with(i, in_context, None)
    }

    /// [`Parser::core`], given `self.word(i)` when the caller has it.
    fn core_with(
        &self,
        i: usize,
        in_context: bool,
        word_at: Option<Option<(Word, bool, usize)>>,
    ) -> Option<(When, usize)> {
        let tok = self.toks.get(i)?;
        match tok.kind {
            Kind::Date(d) => return Some((When::Day(d), i + 1)),
            Kind::SeasonPair(y) => {
                let j = self.skip_the(i + 1);
                let end = self.is(j, Word::Season).unwrap_or(i + 1);
                return Some((When::Season(y), end));
            }
            Kind::Num { .. } => return self.numeric(i),
            Kind::Word => {}
            _ => return None,
        }
        let (word, strict, j) = word_at.unwrap_or_else(|| self.word(i))?;
        // only a month or a period asks (and only a strict one)
        let context = || {
            in_context
                || i > 0
                    && self.toks.get(i - 1).is_some_and(|t| t.kind == Kind::Word && MONTH_CONTEXT.contains(&t.lower))
        };
        match word {
            Word::Month(month) => self.month(month, j, None, strict && !context()),
            Word::Period(period) => {
                if strict && !context() {
                    return None;
                }
                Some(self.period(period, j, None))
            }
            Word::Rel(rel) => self.relative(rel, j),
            Word::Event(event) => {
                let (edition, end) = self.year(j).map_or((None, j), |y| (Some(y), j + 1));
                Some((When::Event { event, edition, rel: None }, end))
            }
            Word::LeagueHalf(apertura) => {
                let (year, end) = self.year(j).map_or((None, j), |y| (Some(y), j + 1));
                Some((When::LeagueHalf { apertura, year, rel: None }, end))
            }
            Word::Deadline => Some((When::Deadline, j)),
            Word::Day(n) => Some((When::DayRel(n), j)),
            Word::Weekday(weekday) => Some((When::Weekday { weekday, rel: None }, j)),
            Word::Number(n) => self.counted(n, j),
            Word::In => {
                let (n, k) = self.count(j)?;
                let (unit, end) = self.unit(k)?;
                Some((When::In { n, unit }, end))
            }
            // (the meanings `Word::starts` says start nothing)
            _ => None,
        }
    }

    fn unit(&self, i: usize) -> Option<(i64, usize)> {
        match self.word(i)? {
            (Word::Unit(u), _, j) => Some((u, j)),
            _ => None,
        }
    }

    /// "two years ago", "a year later".
    fn counted(&self, n: i64, j: usize) -> Option<(When, usize)> {
        let (unit, k) = self.unit(j)?;
        match self.word(k)? {
            (Word::Ago, _, end) => Some((When::Ago { n, unit }, end)),
            (Word::Later, _, end) => Some((When::Later { n, unit }, end)),
            _ => None,
        }
    }

    /// After a month word: "June 30, 2026", "June 2026", "January window", "June".
    fn month(&self, month: u32, j: usize, rel: Option<Rel>, needs_more: bool) -> Option<(When, usize)> {
        if rel.is_none() {
            if let Some(day) = self.day(j) {
                let k = self.comma(j + 1);
                if let Some(year) = self.year(k) {
                    let d = NaiveDate::from_ymd_opt(year, month, day)?;
                    return Some((When::Day(d), k + 1));
                }
                return Some((When::MonthDay { month, day }, j + 1));
            }
            if let Some((year, end)) = self.trailing_year(j) {
                if let Some(end) = self.window_after(end).filter(|_| month == 1) {
                    return Some((When::Window { winter: true, year: Some(year), rel: None }, end));
                }
                return Some((When::MonthYear { year, month }, end));
            }
        }
        if let Some(end) = self.window_after(j) {
            if month == 1 || (6..=8).contains(&month) {
                return Some((When::Window { winter: month == 1, year: None, rel }, end));
            }
        }
        if needs_more {
            return None;
        }
        Some((When::Month { month, rel }, j))
    }

    /// After a period word: "summer of 2021", "summer window", "summer".
    fn period(&self, period: Period, j: usize, rel: Option<Rel>) -> (When, usize) {
        let window = |end: usize| self.window_after(end);
        if rel.is_none() {
            if let Some((year, end)) = self.trailing_year(j) {
                return (When::Period { period, year: Some(year), rel: None }, end);
            }
        }
        match (period, window(j)) {
            (Period::Summer, Some(end)) => (When::Window { winter: false, year: None, rel }, end),
            (Period::Winter, Some(end)) => (When::Window { winter: true, year: None, rel }, end),
            _ => (When::Period { period, year: None, rel }, j),
        }
    }

    /// After "next", "last", "this", "upcoming", ...
    fn relative(&self, rel: Rel, j: usize) -> Option<(When, usize)> {
        let offset = match rel {
            Rel::Next => 1,
            Rel::Last => -1,
            Rel::This => 0,
        };
        let (word, _, k) = self.word(j)?;
        match word {
            Word::Month(month) => self.month(month, k, Some(rel), false),
            Word::Period(period) => Some(self.period(period, k, Some(rel))),
            Word::Season => Some((When::SeasonRel(offset), k)),
            Word::Window => Some((When::WindowRel(rel), k)),
            Word::Unit(365) => Some((When::YearRel(offset), k)),
            Word::Unit(30) => Some((When::MonthRel(offset), k)),
            Word::Unit(7) => Some((When::WeekRel(offset), k)),
            Word::Weekday(weekday) => Some((When::Weekday { weekday, rel: Some(rel) }, k)),
            Word::Event(event) => Some((When::Event { event, edition: None, rel: Some(rel) }, k)),
            Word::LeagueHalf(apertura) => Some((When::LeagueHalf { apertura, year: None, rel: Some(rel) }, k)),
            Word::Deadline if rel != Rel::Last => Some((When::Deadline, k)),
            _ => None,
        }
    }

    /// At a number: "30 June 2026", "30th of June", "2026", "2025 season", "2022 World
    /// Cup", "two years ago".
    fn numeric(&self, i: usize) -> Option<(When, usize)> {
        if let Some(year) = self.year(i) {
            let j = i + 1;
            if let Some(end) = self.is(j, Word::Season) {
                return Some((When::SeasonYear(year), end));
            }
            match self.word(j) {
                Some((Word::Event(event), _, end)) => {
                    return Some((When::Event { event, edition: Some(year), rel: None }, end))
                }
                Some((Word::LeagueHalf(apertura), _, end)) => {
                    return Some((When::LeagueHalf { apertura, year: Some(year), rel: None }, end))
                }
                Some((Word::Period(period), _, end)) => {
                    let (when, end) = match self.window_after(end) {
                        Some(e) => (When::Window { winter: period == Period::Winter, year: Some(year), rel: None }, e),
                        None => (When::Period { period, year: Some(year), rel: None }, end),
                    };
                    return Some((when, end));
                }
                _ => {}
            }
            // a bare year needs a preposition before it or no noun after it ("in 2021",
            // "2021, when", not "2000 fans")
            let before = i.checked_sub(1).and_then(|k| self.toks.get(k));
            let led = before.is_some_and(|t| t.kind == Kind::Word && YEAR_CONTEXT.contains(&t.lower));
            let noun_after = self.toks.get(j).is_some_and(|t| t.kind == Kind::Word);
            if !led && noun_after {
                return None;
            }
            return Some((When::Year(year), j));
        }
        if let Some(day) = self.day(i) {
            let j = i + 1;
            let k = self.skip_of(j);
            if let Some((Word::Month(month), _, m)) = self.word(k) {
                let y = self.comma(m);
                if let Some(year) = self.year(y) {
                    return Some((When::Day(NaiveDate::from_ymd_opt(year, month, day)?), y + 1));
                }
                return Some((When::MonthDay { month, day }, m));
            }
        }
        let (n, j) = self.count(i)?;
        self.counted(n, j)
    }
}

/// The European transfer windows around `year`, in order: (start, end, winter?).
fn windows(year: i32) -> Vec<(Interval, bool)> {
    (year - 1..=year + 1)
        .flat_map(|y| {
            [
                Interval::month(y, 1).map(|i| (i, true)),
                NaiveDate::from_ymd_opt(y, 6, 1)
                    .zip(NaiveDate::from_ymd_opt(y, 9, 1))
                    .map(|(s, e)| (Interval::new(s, e), false)),
            ]
        })
        .flatten()
        .collect()
}

/// Apertura Y: July to December Y; Clausura Y: January to May Y.
fn league_half(apertura: bool, year: i32) -> Option<Interval> {
    let ymd = NaiveDate::from_ymd_opt;
    Some(if apertura {
        Interval::new(ymd(year, 7, 1)?, ymd(year, 12, 31)?)
    } else {
        Interval::new(ymd(year, 1, 1)?, ymd(year, 5, 31)?)
    })
}

fn period_interval(period: Period, year: i32) -> Option<Interval> {
    let ymd = NaiveDate::from_ymd_opt;
    Some(match period {
        Period::Summer => Interval::new(ymd(year, 6, 1)?, ymd(year, 9, 1)?),
        Period::Winter => Interval::new(ymd(year - 1, 12, 1)?, ymd(year, 3, 1)?.pred_opt()?),
        Period::Spring => Interval::new(ymd(year, 3, 1)?, ymd(year, 5, 31)?),
        Period::Autumn => Interval::new(ymd(year, 9, 1)?, ymd(year, 11, 30)?),
    })
}

/// Picks among yearly occurrences by `rel` relative to `anchor`.
fn pick(candidates: &[Interval], rel: Option<Rel>, anchor: NaiveDate) -> Option<(Interval, &'static str)> {
    match rel {
        Some(Rel::Next) => {
            candidates.iter().filter(|c| c.start > anchor).min_by_key(|c| c.start).map(|c| (*c, policy::NEXT))
        }
        Some(Rel::Last) => {
            candidates.iter().filter(|c| c.end < anchor).max_by_key(|c| c.end).map(|c| (*c, policy::LAST))
        }
        Some(Rel::This) => candidates
            .iter()
            .find(|c| c.contains(anchor))
            .or_else(|| candidates.iter().find(|c| c.end.year() == anchor.year()))
            .map(|c| (*c, policy::THIS)),
        None => candidates.iter().min_by_key(|c| (c.distance(anchor), c.start < anchor)).map(|c| (*c, policy::NEAREST)),
    }
}

fn part_of(part: Part, whole: Interval) -> Interval {
    let cut = |len: i64| -> (i64, i64) {
        let (a, b) = match part {
            Part::Early | Part::Start => (0, (len + 1) / 3),
            Part::Mid => ((len + 1) / 3, (2 * len + 1) / 3),
            Part::Late | Part::End => ((2 * len + 1) / 3, len),
            Part::FirstHalf => (0, len / 2),
            Part::SecondHalf => (len / 2, len),
        };
        (a, b.max(a + 1))
    };
    // Periods of three months or more are cut at month boundaries ("the second half of
    // the season" is January to June), shorter ones by days.
    let months =
        (whole.end.year() - whole.start.year()) * 12 + whole.end.month() as i32 - whole.start.month() as i32 + 1;
    if months >= 3 && whole.start.day() == 1 {
        let (a, b) = cut(i64::from(months));
        let month_start = |k: i64| whole.start.checked_add_months(Months::new(u32::try_from(k).unwrap_or(0)));
        let start = month_start(a).unwrap_or(whole.start);
        let end = if b >= i64::from(months) {
            whole.end
        } else {
            month_start(b).and_then(|d| d.pred_opt()).unwrap_or(whole.end)
        };
        return Interval::new(start, end.min(whole.end));
    }
    let (a, b) = cut(whole.days());
    let at = |k: i64| add_days(whole.start, k).unwrap_or(whole.start);
    Interval::new(at(a), at(b - 1))
}

fn unit_grain(unit: i64) -> Grain {
    match unit {
        365 => Grain::Year,
        30 => Grain::Month,
        7 => Grain::Week,
        _ => Grain::Day,
    }
}

/// `d` moved by `n` units (days, weeks, months or years).
fn shift(d: NaiveDate, n: i64, unit: i64) -> Option<NaiveDate> {
    match unit {
        365 => add_years(d, i32::try_from(n).ok()?),
        30 if n >= 0 => d.checked_add_months(Months::new(u32::try_from(n).ok()?)),
        30 => d.checked_sub_months(Months::new(u32::try_from(-n).ok()?)),
        _ => add_days(d, n.checked_mul(unit)?),
    }
}

/// The interval at a unit's grain around `d`: the year, month, week (Monday first) or day.
fn around(d: NaiveDate, unit: i64) -> Option<Interval> {
    match unit {
        365 => Interval::year(d.year()),
        30 => Interval::month(d.year(), d.month()),
        7 => {
            let monday = add_days(d, -i64::from(d.weekday().num_days_from_monday()))?;
            Some(Interval::new(monday, add_days(monday, 6)?))
        }
        _ => Some(Interval::day(d)),
    }
}

/// The grain an expression names (known without placing it).
pub(crate) fn grain_of(when: &When) -> Grain {
    match when {
        When::Day(_) | When::MonthDay { .. } | When::DayRel(_) | When::Weekday { .. } | When::Deadline => Grain::Day,
        When::MonthYear { .. } | When::Month { .. } | When::MonthRel(_) | When::Event { .. } => Grain::Month,
        When::WeekRel(_) => Grain::Week,
        When::Year(_) | When::YearRel(_) => Grain::Year,
        When::Season(_) | When::SeasonYear(_) | When::SeasonRel(_) | When::LeagueHalf { .. } => Grain::Season,
        When::Period { .. } | When::Window { .. } | When::WindowRel(_) => Grain::Window,
        When::Ago { unit, .. } | When::Later { unit, .. } | When::In { unit, .. } => unit_grain(*unit),
        When::Part(_, inner) => grain_of(inner),
    }
}

/// Places `when` on the calendar. `anchor` is the publication date, `prev` the previous
/// expression's interval. Returns the interval and the policy used, if any.
pub fn resolve(
    when: &When,
    anchor: Option<NaiveDate>,
    prev: Option<Interval>,
    style: SeasonStyle,
    lex: &TimeLexicon,
) -> Option<(Interval, Option<&'static str>)> {
    let fixed = |i: Option<Interval>| i.map(|i| (i, None));
    match when {
        When::Day(d) => fixed(Some(Interval::day(*d))),
        When::MonthYear { year, month } => fixed(Interval::month(*year, *month)),
        When::Year(y) => fixed(Interval::year(*y)),
        When::Season(y) => Interval::season(*y, SeasonStyle::Split).map(|i| (i, Some(policy::SEASON))),
        When::SeasonYear(y) => Interval::season(*y, style).map(|i| (i, Some(policy::SEASON_YEAR))),
        When::Period { period, year: Some(y), .. } => Some((period_interval(*period, *y)?, Some(policy::PERIOD))),
        When::LeagueHalf { apertura, year: Some(y), .. } => {
            Some((league_half(*apertura, *y)?, Some(policy::LEAGUE_HALF)))
        }
        When::Window { winter, year: Some(y), .. } => {
            let w = windows(*y).into_iter().find(|(i, w)| w == winter && i.end.year() == *y)?;
            Some((w.0, Some(policy::WINDOW)))
        }
        When::Event { event, edition: Some(y), .. } => {
            let e = lex.events.get(*event)?;
            e.editions.iter().find(|(ed, _)| ed == y).map(|(_, i)| (*i, None))
        }
        When::Later { n, unit } => {
            let base = prev?;
            Some((around(shift(base.start, *n, *unit)?, *unit)?, Some(policy::LATER)))
        }
        When::Part(part, inner) => {
            let (whole, _) = resolve(inner, anchor, prev, style, lex)?;
            Some((part_of(*part, whole), Some(policy::PART)))
        }
        _ => {
            let anchor = anchor?;
            relative(when, anchor, style, lex)
        }
    }
}

fn relative(
    when: &When,
    anchor: NaiveDate,
    style: SeasonStyle,
    lex: &TimeLexicon,
) -> Option<(Interval, Option<&'static str>)> {
    let y = anchor.year();
    let years = || y - 1..=y + 1;
    let with = |p: (Interval, &'static str)| Some((p.0, Some(p.1)));
    match when {
        When::MonthDay { month, day } => {
            let c: Vec<Interval> =
                years().filter_map(|y| NaiveDate::from_ymd_opt(y, *month, *day)).map(Interval::day).collect();
            with(pick(&c, None, anchor)?)
        }
        When::Month { month, rel } => {
            let c: Vec<Interval> = years().filter_map(|y| Interval::month(y, *month)).collect();
            with(pick(&c, *rel, anchor)?)
        }
        When::YearRel(n) => Some((Interval::year(y + n)?, None)),
        When::MonthRel(n) => {
            let d = shift(anchor, i64::from(*n), 30)?;
            Some((Interval::month(d.year(), d.month())?, None))
        }
        When::WeekRel(n) => Some((around(add_days(anchor, 7 * i64::from(*n))?, 7)?, None)),
        When::SeasonRel(n) => {
            let current = match style {
                SeasonStyle::Split if anchor.month() >= 7 => y,
                SeasonStyle::Split => y - 1,
                SeasonStyle::Calendar => y,
            };
            Some((Interval::season(current + n, style)?, Some(policy::SEASON)))
        }
        When::Period { period, rel, .. } => {
            let c: Vec<Interval> = (y - 1..=y + 2).filter_map(|y| period_interval(*period, y)).collect();
            let (i, p) = pick(&c, *rel, anchor)?;
            Some((i, Some(if rel.is_none() { p } else { policy::PERIOD })))
        }
        When::Window { winter, rel, .. } => {
            let c: Vec<Interval> = windows(y).into_iter().filter(|(_, w)| w == winter).map(|(i, _)| i).collect();
            let (i, _) = pick(&c, *rel, anchor)?;
            Some((i, Some(policy::WINDOW)))
        }
        When::LeagueHalf { apertura, rel, .. } => {
            let c: Vec<Interval> = years().filter_map(|y| league_half(*apertura, y)).collect();
            let (i, _) = pick(&c, *rel, anchor)?;
            Some((i, Some(policy::LEAGUE_HALF)))
        }
        When::WindowRel(rel) => {
            let c: Vec<Interval> = windows(y).into_iter().map(|(i, _)| i).collect();
            let i = match rel {
                Rel::This => c.iter().find(|w| w.contains(anchor)).or_else(|| c.iter().find(|w| w.start > anchor)),
                Rel::Next => c.iter().find(|w| w.start > anchor),
                Rel::Last => c.iter().rev().find(|w| w.end < anchor),
            }?;
            Some((*i, Some(policy::WINDOW)))
        }
        When::Deadline => {
            let c = windows(y);
            let w = c.iter().find(|(w, _)| w.end >= anchor)?;
            Some((Interval::day(w.0.end), Some(policy::DEADLINE)))
        }
        When::DayRel(n) => Some((Interval::day(add_days(anchor, *n)?), None)),
        When::Weekday { weekday, rel } => {
            let today = i64::from(anchor.weekday().number_from_monday());
            let want = i64::from(*weekday);
            let d = match rel {
                Some(Rel::Next) => add_days(anchor, (want - today + 6).rem_euclid(7) + 1)?,
                Some(Rel::Last) => add_days(anchor, -((today - want + 6).rem_euclid(7) + 1))?,
                _ => add_days(anchor, -(today - want).rem_euclid(7))?,
            };
            Some((Interval::day(d), Some(policy::WEEKDAY)))
        }
        When::Ago { n, unit } => Some((around(shift(anchor, -n, *unit)?, *unit)?, None)),
        When::In { n, unit } => Some((around(shift(anchor, *n, *unit)?, *unit)?, None)),
        When::Event { event, rel, .. } => {
            let e = lex.events.get(*event)?;
            let c: Vec<Interval> = e.editions.iter().map(|(_, i)| *i).collect();
            let (i, _) = pick(&c, *rel, anchor)?;
            Some((i, Some(policy::EVENT)))
        }
        _ => None,
    }
}

impl TimeLexicon {
    /// Every temporal expression in `text`, in order, resolved against `anchor` (the
    /// publication date) where one is needed.
    pub fn find(&self, text: &str, anchor: Option<NaiveDate>, style: SeasonStyle) -> Vec<TimeExpr> {
        self.find_from(text, 0, anchor, style)
    }

    /// As [`TimeLexicon::find`], starting at byte `from` (after a date header).
    pub fn find_from(&self, text: &str, from: usize, anchor: Option<NaiveDate>, style: SeasonStyle) -> Vec<TimeExpr> {
        let mut out: Vec<TimeExpr> = Vec::new();
        self.parse(text, from, &mut out);
        self.place(&mut out, anchor, style);
        out
    }

    /// Parses `text[from..]` into `out`.
    fn parse(&self, text: &str, from: usize, out: &mut Vec<TimeExpr>) {
        let toks = tokens(text, from, &self.vocab);
        let parser = Parser { lex: self, toks: &toks };
        let mut i = 0;
        while i < toks.len() {
            // no expression starts at a punctuation mark, a word that starts no phrase, or
            // one whose longer phrases cannot go on with the next word and whose one-word
            // phrase starts none ("the", "of": `Parser::core_with` reads no filler)
            let t = &toks[i];
            let next_id = || toks.get(i + 1).map_or(0, |t| t.id);
            if matches!(t.kind, Kind::Comma | Kind::Break)
                || t.kind == Kind::Word
                    && !self.list_filters.get(t.list as usize).is_some_and(|f| f.may_start(next_id()))
            {
                i += 1;
                continue;
            }
            let Some((when, end)) = parser.parse_at(i) else {
                i += 1;
                continue;
            };
            let (start_b, end_b) = (toks[i].start, toks[end - 1].end);
            // a tournament named for what someone achieved at it is past ("a World Cup 2010
            // star"), whatever future words come before
            let achieved = matches!(when, When::Event { .. }) && parser.is(end, Word::Achieved).is_some();
            let tense = when.tense().or_else(|| {
                if achieved {
                    Some(Tense::Past)
                } else {
                    parser.cued_tense(i, matches!(when, When::Event { .. } | When::Day(_)))
                }
            });
            let numeric =
                matches!(when, When::Day(_)) && toks[i].kind != Kind::Word && text[start_b..end_b].contains(['/', '.']);
            out.push(TimeExpr {
                start: start_b,
                end: end_b,
                text: text[start_b..end_b].to_string(),
                grain: grain_of(&when),
                relative: when.is_relative(),
                when,
                value: None,
                tense,
                policy: numeric.then_some(policy::NUMERIC),
            });
            i = end;
        }
    }

    /// (Re)places found expressions on the calendar against `anchor` (the publication
    /// date, stated or inferred), each relative one after the one before it.
    pub fn place(&self, exprs: &mut [TimeExpr], anchor: Option<NaiveDate>, style: SeasonStyle) {
        let mut prev: Option<Interval> = None;
        for e in exprs.iter_mut() {
            let resolved = resolve(&e.when, anchor, prev, style, self);
            e.value = resolved.map(|r| r.0);
            if e.policy != Some(policy::NUMERIC) {
                e.policy = resolved.and_then(|r| r.1);
            }
            if let Some(v) = e.value {
                prev = Some(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// The eight-bytes-at-a-time letter count agrees with the byte-by-byte one for every
    /// byte value at every position of a word.
    #[test]
    fn ascii_letters_at_counts_like_a_byte_loop() {
        for stop in 0..=255u8 {
            for len in 0..20 {
                let mut text = vec![b'q'; len];
                text[..len.min(3)].copy_from_slice(&b"MiX"[..len.min(3)]);
                text.push(stop);
                text.extend_from_slice(b"abcdefghij");
                for from in 0..text.len() {
                    let naive = text[from..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
                    assert_eq!(super::ascii_letters_at(&text, from), naive, "stop {stop:#x}, len {len}, from {from}");
                }
            }
        }
    }
}
