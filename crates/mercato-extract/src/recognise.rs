//! The *recognise* stage: clubs (with ambiguous nicknames resolved from context),
//! national teams, leagues, sources and people, and which people are players.
//!
//! People come from the KB (known players and coaches) and from name shape (runs of
//! capitalised words that are not clubs, places or institutions). Surnames and partial
//! names are clustered to the fullest name in the article. A person is a player unless
//! the KB or a role noun ("coach", "agent", "president") says otherwise.

use crate::doc::Doc;
use crate::lexicon::{within, Lexicon, PhraseHits, RoleClass};
use mercato_kb::{Entity, Kb};
use mercato_text::fold::fold_str;
use mercato_text::Span;

/// A person named in the article.
#[derive(Debug, Clone)]
pub struct Person {
    /// The fullest form of the name in the article.
    pub name: String,
    /// Folded tokens of the fullest form.
    tokens: Vec<String>,
    pub is_player: bool,
    pub kb_player: Option<usize>,
    kb_coach: bool,
    kb_source: bool,
    player_votes: i32,
    /// For a coach or executive: the club his role names ("Arsenal manager Arsene
    /// Wenger"), so that "Wenger has signed X" is read as Arsenal's signing.
    pub club: Option<usize>,
}

/// What a mention refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A person (index into [`Recognised::persons`]).
    Person(usize),
    /// A club (index into the KB clubs).
    Club(usize),
    Nation,
    League,
    /// A source (index into the KB sources).
    Source(usize),
    /// A pronoun or role noun ("he", "the defender", "the 34-year-old") that refers back
    /// to a player.
    PlayerRef,
}

/// One mention in the text.
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    pub span: Span,
    pub kind: MentionKind,
    pub sentence: usize,
}

/// The recognised entities of one article.
#[derive(Debug, Default)]
pub struct Recognised {
    pub persons: Vec<Person>,
    /// All mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Club mentions that are descriptions ("the German club"), not names: in text order.
    pub described: Vec<Span>,
}

const PARTICLES: [&str; 20] = [
    "de", "da", "di", "do", "dos", "das", "del", "della", "van", "von", "der", "den", "ten", "ter", "le", "la", "el",
    "al", "bin", "ben",
];

const PRONOUNS: [&str; 4] = ["he", "his", "him", "himself"];

#[inline]
fn strip_possessive(word: &str) -> &str {
    word.get(..word.len() - possessive_len(word.as_bytes())).unwrap_or(word)
}

/// The length of the possessive ending `'s`, `’s`, `'` or `’` of a word (0 for none).
#[inline]
fn possessive_len(word: &[u8]) -> usize {
    const CURLY: &[u8] = "’".as_bytes();
    match word {
        // every suffix ends in "s", "'" or the last byte of "’"
        [.., b's'] => match word {
            [.., b'\'', b's'] => 2,
            [.., 0xE2, 0x80, 0x99, b's'] => CURLY.len() + 1,
            _ => 0,
        },
        [.., b'\''] => 1,
        [.., 0xE2, 0x80, 0x99] => CURLY.len(),
        _ => 0,
    }
}

struct Candidate {
    span: Span,
    tokens: Vec<String>,
    kb_player: Option<usize>,
    kb_coach: bool,
    kb_source: bool,
}

/// Among KB sources sharing a name, the one whose country a nationality adjective at most
/// three words before the name gives ("Portuguese newspaper Record": Record, not the
/// Daily Record, also called "Record").
fn source_of_country(doc: &Doc<'_>, kb: &Kb, lexicon: &Lexicon, span: Span, sources: &[usize]) -> Option<usize> {
    let at = doc.token_at_or_after(span.start);
    let sentence = doc.sentence_of(span.start)?;
    let before = &doc.tokens[at.saturating_sub(3)..at];
    let country = before
        .iter()
        .rev()
        .filter(|t| t.sentence == sentence)
        .find_map(|t| lexicon.demonyms.get(&doc.slice(t.span).to_lowercase()))?;
    sources.iter().copied().find(|&i| kb.sources.get(i).is_some_and(|s| s.country == *country))
}

/// How many sentences back a club description ("the German club") looks for its club.
const DESCRIBED_REACH: usize = 6;

/// "the German club", "the Serie A side", "the Bundesliga champions": "the", a nationality
/// adjective (`demonyms.tsv`) or a league's name, and a club noun (`club_nouns.txt`) stand
/// for the one club of that country or league named before them (within
/// [`DESCRIBED_REACH`] sentences). Returns each description's span with its club.
fn described_clubs(
    doc: &Doc<'_>,
    kb: &Kb,
    lexicon: &Lexicon,
    clubs: &[(Span, usize)],
    leagues: &[(Span, usize)],
) -> Vec<(Span, usize)> {
    let mut out = Vec::new();
    if clubs.is_empty() {
        return out;
    }
    let tokens = &doc.tokens;
    for (i, the) in tokens.iter().enumerate() {
        if !doc.slice(the.span).eq_ignore_ascii_case("the") {
            continue;
        }
        let Some(next) = tokens.get(i + 1).filter(|t| t.sentence == the.sentence) else { continue };
        let word = doc.slice(next.span);
        let (country, league, noun_at) =
            if let Some(&(span, league)) = leagues.iter().find(|(s, _)| s.start == next.span.start) {
                (None, Some(league), doc.token_at_or_after(span.end))
            } else if word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
                match lexicon.demonyms.get(&word.to_lowercase()) {
                    Some(country) => (Some(country.as_str()), None, i + 2),
                    None => continue,
                }
            } else {
                continue;
            };
        let Some(noun) = tokens.get(noun_at).filter(|t| t.sentence == the.sentence) else { continue };
        if !lexicon.club_nouns.contains(doc.slice(noun.span)) {
            continue;
        }
        let span = Span::new(the.span.start, noun.span.end);
        let fits = |club: usize| {
            kb.clubs.get(club).is_some_and(|c| {
                country.is_some_and(|country| c.country == country)
                    || league.is_some_and(|l| kb.leagues.get(l).is_some_and(|l| *l == c.league))
            })
        };
        // Only one club of that country or league named lately: with two ("Ajax ...
        // against PSV ... the Dutch club") the description is not resolved.
        let mut named = clubs.iter().filter(|(s, c)| {
            s.end <= span.start
                && doc.sentence_of(s.start).is_some_and(|at| the.sentence - at <= DESCRIBED_REACH)
                && fits(*c)
        });
        if let Some(&(_, club)) = named.next() {
            if named.all(|(_, c)| *c == club) {
                out.push((span, club));
            }
        }
    }
    out
}

/// Recognises entities in a prepared article.
pub fn recognise(doc: &Doc<'_>, kb: &Kb, lexicon: &Lexicon, hits: &PhraseHits) -> Recognised {
    let mut out = Recognised::default();
    let matches = kb.gazetteer().find_words(&doc.masked, &doc.folded, &doc.words);
    let mut blocked: Vec<Span> = Vec::new();
    let mut clubs: Vec<(Span, usize)> = Vec::new();
    let mut ambiguous: Vec<(Span, Vec<usize>)> = Vec::new();
    let mut leagues: Vec<(Span, usize)> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    for m in &matches {
        let Some(sentence) = doc.sentence_of(m.span.start) else { continue };
        // What the readings say, in one pass (the first club, source and player each).
        let (mut club, mut nation, mut league, mut player, mut coach) = (None, false, None, None, false);
        let (mut first_source, mut more_sources, mut ambiguous_club) = (None, false, false);
        for r in m.readings() {
            match r.entity {
                Entity::Club(i) if !r.ambiguous => club = club.or(Some(i as usize)),
                Entity::Club(_) => ambiguous_club = true,
                Entity::Nation(_) => nation |= !r.ambiguous,
                Entity::League(i) => league = league.or(Some(i as usize)),
                Entity::Source(i) => {
                    more_sources |= first_source.is_some();
                    first_source = first_source.or(Some(i as usize));
                }
                Entity::Player(i) => player = player.or(Some(i as usize)),
                Entity::Coach(_) => coach = true,
            }
        }
        let source = if more_sources {
            let sources: Vec<usize> = m
                .readings()
                .filter_map(|r| match r.entity {
                    Entity::Source(i) => Some(i as usize),
                    _ => None,
                })
                .collect();
            source_of_country(doc, kb, lexicon, m.span, &sources)
        } else {
            None
        }
        .or(first_source);
        if let Some(club) = club {
            clubs.push((m.span, club));
            blocked.push(m.span);
        } else if nation || league.is_some() {
            blocked.push(m.span);
            if let Some(league) = league.filter(|_| !nation) {
                leagues.push((m.span, league));
            }
            out.mentions.push(Mention {
                span: m.span,
                kind: if nation { MentionKind::Nation } else { MentionKind::League },
                sentence,
            });
        } else if player.is_some() || coach {
            let text = doc.slice(m.span);
            candidates.push(Candidate {
                span: m.span,
                tokens: text.split_whitespace().map(fold_str).collect(),
                kb_player: player,
                kb_coach: coach,
                kb_source: source.is_some(),
            });
        } else if let Some(source) = source {
            blocked.push(m.span);
            out.mentions.push(Mention { span: m.span, kind: MentionKind::Source(source), sentence });
        } else if ambiguous_club {
            let ambiguous_clubs: Vec<usize> = m
                .readings()
                .filter_map(|r| match r.entity {
                    Entity::Club(i) if r.ambiguous => Some(i as usize),
                    _ => None,
                })
                .collect();
            ambiguous.push((m.span, ambiguous_clubs));
            blocked.push(m.span);
        } else {
            // An ambiguous national-team nickname: block it from names.
            blocked.push(m.span);
        }
    }
    // Ambiguous club names: keep a reading only when that club is named plainly in the
    // article (nearest such mention wins); otherwise drop it, never guess.
    for (span, options) in ambiguous {
        let best = clubs
            .iter()
            .filter(|(_, c)| options.contains(c))
            .min_by_key(|(s, _)| s.start.abs_diff(span.start))
            .map(|(_, c)| *c);
        if let Some(club) = best {
            clubs.push((span, club));
        }
    }
    let described = described_clubs(doc, kb, lexicon, &clubs, &leagues);
    if !described.is_empty() {
        // the league's name inside "the Serie A side" is part of the club's mention
        out.mentions.retain(|m| {
            m.kind != MentionKind::League
                || !described.iter().any(|(s, _)| s.start <= m.span.start && m.span.end <= s.end)
        });
        out.described = described.iter().map(|(s, _)| *s).collect();
        clubs.extend(described);
    }
    for (span, club) in &clubs {
        out.mentions.push(Mention {
            span: *span,
            kind: MentionKind::Club(*club),
            sentence: doc.sentence_of(span.start).unwrap_or(0),
        });
    }
    shape_candidates(doc, lexicon, &blocked, &mut candidates);
    cluster(doc, kb, candidates, &mut out);
    surnames_over_clubs(doc, &mut out);
    type_persons(doc, lexicon, hits, &mut out);
    player_refs(doc, lexicon, hits, &mut out);
    out.mentions.sort_by_key(|m| (m.span.start, m.span.end));
    out
}

/// Whether the article writes `word` in lower case somewhere (as a token, possessive
/// aside): a capitalised one of these at a sentence start is an ordinary word, not a name.
///
/// The same answer as looking `word` up in [`lowercase_words`], without building the set:
/// an article asks about a few words only, so each is searched for in the text and every
/// place it occurs is checked for a token starting there.
fn writes_lower(doc: &Doc<'_>, filter: &LowerFilter, word: &str) -> bool {
    // A token in the set starts with an ASCII lower-case letter, so does its stem.
    if !word.as_bytes().first().is_some_and(u8::is_ascii_lowercase) || !filter.may_hold(word) {
        return false;
    }
    let haystack = doc.text.as_bytes();
    let finder = memchr::memmem::Finder::new(word.as_bytes());
    let mut from = 0;
    while let Some(found) = haystack.get(from..).and_then(|rest| finder.find(rest)) {
        let at = from + found;
        let token = doc.tokens.get(doc.token_at_or_after(at)).filter(|t| t.span.start == at);
        if token.is_some_and(|t| strip_possessive(doc.slice(t.span)) == word) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// A filter of the words an article writes in lower case (no false negatives): a bit per
/// length and first, second and last byte of each token starting with an ASCII lower-case
/// letter, possessive stripped. Most words asked about are names, written in lower case
/// nowhere: their bit is clear, and the text is not searched for them.
struct LowerFilter {
    bits: Vec<u64>,
}

impl LowerFilter {
    const BITS: u32 = 12;

    fn of(doc: &Doc<'_>) -> LowerFilter {
        let mut bits = vec![0u64; 1 << (Self::BITS - 6)];
        let text = doc.text.as_bytes();
        for token in &doc.tokens {
            let Some(word) = text.get(token.span.start..token.span.end) else { continue };
            if !word.first().is_some_and(u8::is_ascii_lowercase) {
                continue;
            }
            let bit = Self::bit(&word[..word.len() - possessive_len(word)]);
            bits[bit / 64] |= 1 << (bit % 64);
        }
        LowerFilter { bits }
    }

    fn bit(word: &[u8]) -> usize {
        let byte = |i: usize| u32::from(word.get(i).copied().unwrap_or(0));
        let last = word.len().saturating_sub(1);
        let key = (word.len() as u32) ^ byte(0) << 8 ^ byte(1) << 16 ^ byte(last) << 24;
        (key.wrapping_mul(0x9e37_79b1) >> (32 - Self::BITS)) as usize
    }

    /// Whether `word` may be a (possessive-stripped) lower-case token of the article.
    fn may_hold(&self, word: &str) -> bool {
        let bit = Self::bit(word.as_bytes());
        self.bits.get(bit / 64).is_some_and(|b| b & (1 << (bit % 64)) != 0)
    }
}

/// Words the article writes in lower case somewhere (the simple form of [`writes_lower`]).
#[cfg(test)]
fn lowercase_words<'a>(doc: &Doc<'a>) -> rustc_hash::FxHashSet<&'a str> {
    let mut set = rustc_hash::FxHashSet::with_capacity_and_hasher(doc.tokens.len(), Default::default());
    set.extend(
        doc.tokens
            .iter()
            .map(|t| doc.slice(t.span))
            .filter(|w| w.as_bytes().first().is_some_and(u8::is_ascii_lowercase))
            .map(strip_possessive),
    );
    set
}

fn shape_candidates(doc: &Doc<'_>, lexicon: &Lexicon, blocked: &[Span], out: &mut Vec<Candidate>) {
    // Each word's answer once per article: a name is asked about at every mention.
    let asked: std::cell::RefCell<rustc_hash::FxHashMap<String, bool>> = Default::default();
    let filter: std::cell::OnceCell<LowerFilter> = std::cell::OnceCell::new();
    let lower = |word: &str| {
        // (most words asked about are names, which the filter turns away at once)
        let filter = filter.get_or_init(|| LowerFilter::of(doc));
        if !filter.may_hold(word) {
            return false;
        }
        if let Some(&known) = asked.borrow().get(word) {
            return known;
        }
        let answer = writes_lower(doc, filter, word);
        asked.borrow_mut().insert(word.to_string(), answer);
        answer
    };
    let mut blocked = blocked.to_vec();
    blocked.sort_by_key(|b| b.start);
    let is_blocked = |span: Span| {
        // Blocked spans do not overlap each other, so only the one starting last before
        // `span.end` can overlap it.
        let idx = blocked.partition_point(|b| b.start < span.end);
        idx > 0 && blocked[idx - 1].end > span.start
    };
    let mut run: Vec<(Span, &str)> = Vec::new();
    let flush = |run: &mut Vec<(Span, &str)>, out: &mut Vec<Candidate>, poisoned: bool| {
        // (most tokens are no name: nothing to settle)
        if run.is_empty() {
            return;
        }
        // A run touching a place or institution word is a place ("White Hart Lane").
        if poisoned {
            run.clear();
            return;
        }
        // Trailing particles are not part of a name.
        while run.last().is_some_and(|(_, w)| PARTICLES.contains(w)) {
            run.pop();
        }
        // A leading ordinary word ("Superagent Jorge Mendes", "Claims Toni Freixa").
        let ordinary = |word: &str| {
            let lowered = word.to_lowercase();
            let singular = lowered.strip_suffix('s').unwrap_or(&lowered);
            lexicon.role_words.contains(&lowered)
                || lexicon.role_words.contains(singular)
                || lower(lowered.as_str())
                || lexicon.phrase_words.contains(&lowered)
                || (lowered.ends_with("ly") && lowered.len() >= 8)
                // A headline gerund ("Capturing Coutinho").
                || (lowered.ends_with("ing") && lowered.len() >= 7)
        };
        while run.len() > 1 && ordinary(run[0].1) {
            run.remove(0);
        }
        // A trailing headline verb ("Coutinho Arrives in Munich").
        while run.len() > 1
            && run.last().is_some_and(|(_, w)| {
                let lowered = w.to_lowercase();
                lower(lowered.as_str()) || lexicon.phrase_words.contains(&lowered)
            })
        {
            run.pop();
        }
        // A headline running into its text repeats the name ("Lionel Messi Lionel Messi
        // is joining ..."): the text's copy is the name.
        let half = run.len() / 2;
        if run.len() >= 2
            && run.len().is_multiple_of(2)
            && run[..half].iter().zip(&run[half..]).all(|((_, a), (_, b))| a.eq_ignore_ascii_case(b))
        {
            run.drain(..half);
        }
        // Names take no article: "the Peoples Person" is a title, not a person.
        if let Some((first, _)) = run.first() {
            let before = doc.masked[..first.start].trim_end();
            let article = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            if matches!(article, "the" | "The") {
                run.clear();
            }
        }
        if !run.is_empty() {
            let span = Span::new(run[0].0.start, run[run.len() - 1].0.end);
            // A longer name around a KB name ("Neymar Jr" around "Neymar") takes its place.
            if let Some(inner) = out.iter_mut().find(|c| span.contains(c.span) && span != c.span) {
                inner.span = span;
                inner.tokens = run.iter().map(|(_, w)| fold_str(w)).collect();
            } else if !out.iter().any(|c| c.span.start < span.end && span.start < c.span.end) {
                out.push(Candidate {
                    span,
                    tokens: run.iter().map(|(_, w)| fold_str(w)).collect(),
                    kb_player: None,
                    kb_coach: false,
                    kb_source: false,
                });
            }
        }
        run.clear();
    };
    // Headlines in Title Case capitalise every word, so there capitals do not mark
    // names: each word stands alone and can only join a person named elsewhere.
    let title_case = title_case_sentences(doc);
    let mut last_sentence = usize::MAX;
    let mut last_start = 0;
    let mut last_end = 0;
    let mut poisoned = false;
    for token in &doc.tokens {
        let raw = doc.slice(token.span);
        let word = strip_possessive(raw);
        let possessive = word.len() != raw.len();
        let adjacent = token.sentence == last_sentence
            && !title_case[token.sentence]
            && token.span.start == last_end + 1
            && doc.masked.as_bytes().get(last_end) == Some(&b' ');
        if !adjacent {
            flush(&mut run, out, poisoned);
            poisoned = false;
        }
        let (previous_start, previous_end) = (last_start, last_end);
        last_sentence = token.sentence;
        last_start = token.span.start;
        last_end = token.span.end;
        let capital = match word.as_bytes().first() {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => word.chars().next().is_some_and(char::is_uppercase),
        };
        if capital && lexicon.place_words.contains(word) {
            // Poison the run before it and the one it starts.
            let touching = !run.is_empty();
            // So is a KB name right before it: "Super" (a mononymous player) in "Super
            // Cup". (A KB name after it stays: a headline may run into the text.)
            if adjacent {
                let start = run.first().map_or(previous_start, |(s, _)| s.start);
                out.retain(|c| !(c.span.start >= start && c.span.end == previous_end));
            }
            flush(&mut run, out, touching);
            poisoned = true;
            continue;
        }
        let particle = !run.is_empty() && PARTICLES.contains(&word);
        let name_like = capital
            && !lexicon.not_names.contains(word)
            && word.chars().any(char::is_alphabetic)
            && !word.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()) // ALL-CAPS headings
            || capital && word.ends_with('.') && word.chars().count() <= 2;
        let span = Span::new(token.span.start, token.span.start + word.len());
        if (name_like || particle) && !is_blocked(span) {
            run.push((span, word));
            if possessive {
                flush(&mut run, out, poisoned);
                poisoned = false;
            }
        } else {
            flush(&mut run, out, poisoned);
            poisoned = false;
        }
    }
    flush(&mut run, out, poisoned);
}

/// Title Case headlines capitalise small words mid-line ("Coutinho Arrives In Munich To
/// Finalise Loan"): two or more capitalised function words after the first word.
fn title_case_sentences(doc: &Doc<'_>) -> Vec<bool> {
    const SMALL: [&str; 17] = [
        "In", "To", "For", "Of", "On", "With", "At", "And", "The", "A", "An", "From", "As", "By", "After", "Over",
        "Into",
    ];
    let mut counts = vec![0usize; doc.sentences.len()];
    let mut previous_sentence = usize::MAX;
    for token in &doc.tokens {
        let first_of_sentence = token.sentence != previous_sentence;
        previous_sentence = token.sentence;
        // the small words are at most five bytes and start with a capital
        let small = token.span.len() <= 5
            && doc.text.as_bytes().get(token.span.start).is_some_and(u8::is_ascii_uppercase)
            && SMALL.contains(&doc.slice(token.span));
        if !first_of_sentence && small {
            counts[token.sentence] += 1;
        }
    }
    counts.into_iter().map(|small| small >= 2).collect()
}

fn cluster(doc: &Doc<'_>, kb: &Kb, mut candidates: Vec<Candidate>, out: &mut Recognised) {
    // Longest names first so that partial names attach to them.
    candidates.sort_by_key(|c| (std::cmp::Reverse(c.tokens.len()), c.span.start));
    let mut assigned: Vec<(Span, usize)> = Vec::new();
    for candidate in candidates {
        let content: Vec<&String> = candidate.tokens.iter().filter(|t| !PARTICLES.contains(&t.as_str())).collect();
        if content.is_empty() {
            continue;
        }
        let matching: Vec<usize> = out
            .persons
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                if let (Some(a), Some(b)) = (candidate.kb_player, p.kb_player) {
                    if a == b {
                        return true;
                    }
                }
                // (each test worked out only when needed: most persons share no word)
                let all_in = || content.iter().all(|t| p.tokens.contains(t));
                if content.len() == 1 {
                    // A lone word: the surname, or the first name of a unique person.
                    return all_in();
                }
                let last_ok = content.last().is_some_and(|l| p.tokens.last() == Some(*l));
                // A misspelt first name ("Coady Gakpo" for "Cody Gakpo"): same surname,
                // same number of words, first names one or two letters apart.
                // (Worked out only when needed: the distance allocates.)
                let misspelt = || {
                    content.len() == 2
                        && p.tokens.len() == 2
                        && strsim::levenshtein(content[0], &p.tokens[0]) <= 2
                        && content[0].len().min(p.tokens[0].len()) >= 4
                };
                last_ok && (all_in() || misspelt())
            })
            .map(|(i, _)| i)
            .collect();
        let person = match matching.as_slice() {
            [only] => Some(*only),
            [] => {
                let known = candidate.kb_player.is_some() || candidate.kb_coach || candidate.kb_source;
                if candidate.tokens.len() >= 2 || known {
                    out.persons.push(Person {
                        name: doc.slice(candidate.span).to_string(),
                        tokens: candidate.tokens.clone(),
                        is_player: true,
                        kb_player: candidate.kb_player,
                        kb_coach: candidate.kb_coach,
                        kb_source: candidate.kb_source,
                        player_votes: 0,
                        club: None,
                    });
                    Some(out.persons.len() - 1)
                } else {
                    None
                }
            }
            // Several people share the word: prefer the one named most recently before.
            many => assigned
                .iter()
                .filter(|(s, p)| s.start < candidate.span.start && many.contains(p))
                .max_by_key(|(s, _)| s.start)
                .map(|(_, p)| *p),
        };
        if let Some(person) = person {
            let p = &mut out.persons[person];
            // "ANTOINE GRIEZMANN" in a heading, "Antoine Griezmann" in the body: the body's
            // spelling names him
            if shouted(&p.name) && candidate.tokens == p.tokens {
                let spelt = doc.slice(candidate.span);
                if !shouted(spelt) {
                    p.name = spelt.to_string();
                }
            }
            p.kb_player = p.kb_player.or(candidate.kb_player);
            p.kb_coach |= candidate.kb_coach;
            p.kb_source |= candidate.kb_source;
            assigned.push((candidate.span, person));
        }
    }
    for p in out.persons.iter_mut().filter(|p| shouted(&p.name)) {
        p.name = unshouted(&p.name, p.kb_player.and_then(|k| kb.players.get(k)).map(|k| k.name.as_str()));
    }
    for (span, person) in assigned {
        out.mentions.push(Mention {
            span,
            kind: MentionKind::Person(person),
            sentence: doc.sentence_of(span.start).unwrap_or(0),
        });
    }
}

/// Whether a name is written in capitals only, as headings shout it ("ANTOINE GRIEZMANN").
fn shouted(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !name.chars().any(char::is_lowercase)
}

/// A name written in capitals only, as the article would write it in running text: the
/// KB's spelling when it folds to the same words ("MCTOMINAY" is "McTominay"), else each
/// word capitalised, also after a hyphen or apostrophe ("ALEXANDER-ARNOLD",
/// "O'SHEA").
fn unshouted(name: &str, kb_name: Option<&str>) -> String {
    if let Some(kb_name) = kb_name {
        if fold_str(kb_name) == fold_str(name) {
            return kb_name.to_string();
        }
    }
    let mut out = String::with_capacity(name.len());
    let mut word_start = true;
    for c in name.chars() {
        if word_start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        word_start = !c.is_alphabetic();
    }
    out
}

/// "Barcelona have signed David Villa ... Villa will join": a lone word read as a club
/// that is the surname of a person the article names in full is that person, unless the
/// club is also named otherwise in the article ("Aston Villa").
fn surnames_over_clubs(doc: &Doc<'_>, out: &mut Recognised) {
    let mut changes: Vec<(usize, usize)> = Vec::new();
    for (i, m) in out.mentions.iter().enumerate() {
        let MentionKind::Club(club) = m.kind else { continue };
        let word = doc.slice(m.span);
        if word.contains(char::is_whitespace) {
            continue;
        }
        let folded = fold_str(word);
        let Some(person) = out.persons.iter().position(|p| p.tokens.len() >= 2 && p.tokens.last() == Some(&folded))
        else {
            continue;
        };
        let named_otherwise = out
            .mentions
            .iter()
            .any(|o| o.kind == MentionKind::Club(club) && !doc.slice(o.span).eq_ignore_ascii_case(word));
        if !named_otherwise {
            changes.push((i, person));
        }
    }
    for (i, person) in changes {
        out.mentions[i].kind = MentionKind::Person(person);
    }
}

/// Decides who is a player from the KB and role nouns next to each mention.
fn type_persons(doc: &Doc<'_>, lexicon: &Lexicon, hits: &PhraseHits, out: &mut Recognised) {
    let roles = &hits.roles;
    for (index, mention) in out.mentions.iter().enumerate() {
        let MentionKind::Person(person) = mention.kind else {
            continue;
        };
        let sentence = doc.sentences[mention.sentence];
        for role in within(roles, sentence) {
            let class = lexicon.roles[role.index].1;
            let mut target = person;
            // "coach Luis de la Fuente", "Spain coach X": role within 3 tokens before.
            let mut before = role.span.end <= mention.span.start
                && doc.tokens_between(role.span.end, mention.span.start) <= 2
                && !doc.masked[role.span.end..mention.span.start].contains([',', ';', '(', ':']);
            // "the same agent as X, Jorge Mendes", "the agent of X": the role is not X's;
            // a name in apposition right after X (only a comma between) is the role's.
            if before
                && doc.masked[role.span.end..mention.span.start]
                    .split_whitespace()
                    .any(|w| lexicon.role_breaks.contains(w.to_ascii_lowercase().as_str()))
            {
                let apposed = out.mentions.get(index + 1).and_then(|next| match next.kind {
                    MentionKind::Person(p)
                        if next.span.start >= mention.span.end
                            && doc.masked.get(mention.span.end..next.span.start).is_some_and(|g| g.trim() == ",") =>
                    {
                        Some(p)
                    }
                    _ => None,
                });
                match apposed {
                    Some(p) => target = p,
                    None => before = false,
                }
            }
            // "X, the Juventus coach,": role within 4 tokens after a comma.
            let after = role.span.start >= mention.span.end
                && doc.tokens_between(mention.span.end, role.span.start) <= 4
                && doc.masked[mention.span.end..role.span.start].trim_start().starts_with(',');
            // "Arsenal's manager, Arsène Wenger, who ...": the name set off by commas right
            // after the role (closed by a comma, a bracket or the sentence's end; "According
            // to the agent, X is keen" goes on with a verb and is no apposition).
            let set_off = role.span.end <= mention.span.start
                && doc.masked[role.span.end..mention.span.start].trim() == ","
                && doc.masked[mention.span.end..sentence.end]
                    .trim_start()
                    .chars()
                    .next()
                    .is_none_or(|c| matches!(c, ',' | ';' | ')' | '.'));
            // a plural role types only the names it heads, the first right after it
            // ("journalists A and B"; not "sent scouts to watch X"), see below
            let plural = class == RoleClass::NonPlayers;
            let heads =
                role.span.end <= mention.span.start && doc.masked[role.span.end..mention.span.start].trim().is_empty();
            if if plural { heads } else { before || after || set_off } {
                // The club named right before the role ("Arsenal manager", "the Juventus
                // coach") is the one the person works for.
                let club_of_role = out.mentions.iter().find_map(|m| match m.kind {
                    MentionKind::Club(c)
                        if m.span.end <= role.span.start && doc.tokens_between(m.span.end, role.span.start) == 0 =>
                    {
                        Some(c)
                    }
                    _ => None,
                });
                // "United's spending rose under new manager X": with no club right before
                // the role, the one club the sentence names before it.
                let club_of_role = club_of_role.or_else(|| {
                    let mut before = out.mentions.iter().filter_map(|m| match m.kind {
                        MentionKind::Club(c) if m.sentence == mention.sentence && m.span.end <= role.span.start => {
                            Some(c)
                        }
                        _ => None,
                    });
                    let first = before.next()?;
                    before.all(|c| c == first).then_some(first)
                });
                let p = &mut out.persons[target];
                match class {
                    RoleClass::NonPlayer | RoleClass::NonPlayers => {
                        p.player_votes -= 2;
                        p.club = p.club.or(club_of_role);
                    }
                    RoleClass::Player | RoleClass::Demonym => p.player_votes += 1,
                }
            }
        }
    }
    // "The Athletic journalists A and B": a plural role marks every name of the list it
    // heads (names joined by commas and the list joiners, nothing else between them).
    for role in roles {
        if lexicon.roles[role.index].1 != RoleClass::NonPlayers {
            continue;
        }
        let Some(sentence) = doc.sentence_of(role.span.start) else { continue };
        // mentions are not in text order yet
        let mut listed: Vec<&Mention> =
            out.mentions.iter().filter(|m| m.sentence == sentence && m.span.start >= role.span.end).collect();
        listed.sort_by_key(|m| m.span.start);
        let mut end = role.span.end;
        let mut first = true;
        for mention in listed {
            let MentionKind::Person(person) = mention.kind else { break };
            let gap = doc.masked[end..mention.span.start].trim();
            let (joined, last) = if first {
                (gap.is_empty(), false)
            } else {
                let gap = gap.strip_prefix(',').unwrap_or(gap).trim_start();
                // "A, B and C": the name after the joiner ends the list
                let joiner = lexicon.joiners.iter().any(|j| gap == j.trim_end());
                (gap.is_empty() || joiner, joiner)
            };
            if !joined {
                break;
            }
            // the first name was typed with the role above
            if !first {
                out.persons[person].player_votes -= 2;
            }
            if last {
                break;
            }
            first = false;
            end = mention.span.end;
        }
    }
    // "Diaro Gol now reports": a name that reports is a source, not a player.
    let reporting = &hits.attributions;
    for mention in &out.mentions {
        let MentionKind::Person(person) = mention.kind else { continue };
        let reports = reporting.iter().any(|hit| {
            let (phrase, side, open) = &lexicon.attributions[hit.index];
            *open
                && matches!(side, crate::lexicon::Side::Before | crate::lexicon::Side::Any)
                && !phrase.starts_with("claim")
                && hit.span.start >= mention.span.end
                && doc.tokens_between(mention.span.end, hit.span.start) <= 1
        });
        if reports {
            out.persons[person].player_votes -= 2;
        }
    }
    for p in &mut out.persons {
        // A KB player who is now a coach (the KB's roles are current, articles are not)
        // is a player unless the article gives him a non-playing role.
        p.is_player = if p.kb_player.is_some() && !p.kb_coach {
            p.player_votes > -2
        } else if p.kb_player.is_some() && p.kb_coach {
            p.player_votes >= 0
        } else if p.kb_coach || p.kb_source {
            false
        } else {
            p.player_votes >= 0
        };
    }
}

/// Age from which a person is taken to have stopped playing: "the 49-year-old" is a
/// manager, pundit or executive, never a player reference.
const RETIRED_AGE: i32 = 41;

/// Pronouns and role nouns that refer back to a player.
fn player_refs(doc: &Doc<'_>, lexicon: &Lexicon, hits: &PhraseHits, out: &mut Recognised) {
    for token in &doc.tokens {
        // the pronouns are two to seven bytes and start with an "h"
        if !(2..=7).contains(&token.span.len())
            || !doc.text.as_bytes().get(token.span.start).is_some_and(|b| b.eq_ignore_ascii_case(&b'h'))
        {
            continue;
        }
        let word = doc.slice(token.span);
        if PRONOUNS.iter().any(|p| word.eq_ignore_ascii_case(p)) {
            out.mentions.push(Mention { span: token.span, kind: MentionKind::PlayerRef, sentence: token.sentence });
        }
    }
    let persons: Vec<Span> = out
        .mentions
        .iter()
        .filter(|m| matches!(m.kind, MentionKind::Person(_) | MentionKind::Club(_)))
        .map(|m| m.span)
        .collect();
    for role in &hits.roles {
        let class = lexicon.roles[role.index].1;
        if matches!(class, RoleClass::NonPlayer | RoleClass::NonPlayers) {
            continue;
        }
        let Some(sentence) = doc.sentence_of(role.span.start) else {
            continue;
        };
        // "the defender", "the 34-year-old", "the Juventus defender", "the Spaniard".
        let first = doc.token_at_or_after(role.span.start);
        let first =
            if doc.tokens.get(first).is_some_and(|t| t.span.start > role.span.start) || first == doc.tokens.len() {
                first.saturating_sub(1)
            } else {
                first
            };
        let mut has_the = false;
        for back in 1..=3 {
            let Some(idx) = first.checked_sub(back) else { break };
            let token = doc.tokens[idx];
            if token.sentence != sentence {
                break;
            }
            let word = doc.slice(token.span);
            if matches!(word, "the" | "The" | "this" | "This") {
                has_the = true;
                break;
            }
            let capital = word.chars().next().is_some_and(char::is_uppercase);
            if !capital && !word.ends_with("-year-old") && !word.chars().all(|c| c.is_ascii_digit()) {
                break;
            }
        }
        // Not a reference when a name follows ("the defender Sergio Ramos", "the signing
        // of Sergio Ramos", "the signing of 17-year-old Anderlecht striker X": a few
        // descriptor words after "of", no clause break).
        let named = persons.iter().any(|s| {
            s.start >= role.span.end
                && (doc.tokens_between(role.span.end, s.start) == 0
                    || doc.tokens_between(role.span.end, s.start) <= 5
                        && doc.masked.get(role.span.end..s.start).is_some_and(|gap| {
                            // a gap that starts with "of", failing fast on one that does not
                            gap.trim_start()
                                .strip_prefix("of ")
                                .or_else(|| (gap.trim() == "of").then_some(""))
                                .is_some_and(|rest| !rest.contains([',', '.', ';', ':', '(', ')', '"']))
                        }))
        });
        // "the 49-year-old" is past playing age: a coach or an executive.
        let veteran = doc
            .tokens
            .get(first)
            .and_then(|t| doc.slice(t.span).split('-').next()?.parse::<i32>().ok())
            .is_some_and(|age| age >= RETIRED_AGE);
        if has_the && !named && !veteran {
            out.mentions.push(Mention { span: role.span, kind: MentionKind::PlayerRef, sentence });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mercato_text::mask::Boilerplate;

    fn names(text: &str) -> Vec<(String, bool)> {
        let kb = Kb::starter();
        let lexicon = Lexicon::english();
        let doc = Doc::new(text, 0, &Boilerplate::english());
        let rec = recognise(&doc, &kb, &lexicon, &lexicon.scan(&doc.folded, &doc.masked));
        rec.persons.iter().map(|p| (p.name.clone(), p.is_player)).collect()
    }

    #[test]
    fn writes_lower_is_the_lowercase_set() {
        for text in [
            "Juventus want defender Marco Bellandi. Bellandi, 27, is open to it, said coach Piero Lanzi.",
            "Reportedly Arsenal reportedly want him. The club's move: the club’s bid, clubs' bids. Claims claims claim",
            " date 2024-01-02 J. Smith's move to Roma. He is 25-year-old! aa aaa aaaa-bb Ödegaard ödegaard",
        ] {
            let doc = Doc::new(text, 0, &Boilerplate::english());
            let set = lowercase_words(&doc);
            let filter = LowerFilter::of(&doc);
            let mut words: Vec<String> = text.split(|c: char| c.is_whitespace()).map(str::to_lowercase).collect();
            words.extend(["", "a", "aa", "club", "clubs", "claim", "ödegaard", "smith", "move to"].map(String::from));
            for word in
                words.iter().flat_map(|w| [w.clone(), w.trim_matches(|c: char| !c.is_alphanumeric()).to_string()])
            {
                assert_eq!(writes_lower(&doc, &filter, &word), set.contains(word.as_str()), "{word:?} in {text:?}");
            }
        }
    }

    #[test]
    fn possessive_len_is_the_suffix_rule() {
        for word in
            ["Rossi's", "Rossi’s", "clubs'", "clubs’", "Rossi", "s", "'s", "’", "'", "bus", "’s", "x’’", "", "é’s"]
        {
            let mut simple = word;
            for suffix in ["'s", "’s", "'", "’"] {
                if let Some(stem) = word.strip_suffix(suffix) {
                    simple = stem;
                    break;
                }
            }
            assert_eq!(strip_possessive(word), simple, "{word:?}");
        }
    }

    #[test]
    fn players_and_coaches() {
        let got = names(
            "Juventus want defender Marco Bellandi. Bellandi, 27, is open to it, said coach Piero Lanzi. Lanzi smiled.",
        );
        assert_eq!(got, vec![("Marco Bellandi".to_string(), true), ("Piero Lanzi".to_string(), false)]);
    }

    #[test]
    fn names_inside_places_and_competitions_are_not_people() {
        // A KB mononym right before a competition word is part of its name.
        let got = names("Marco Bellandi won the Neymar Cup and the Casemiro Trophies.");
        assert_eq!(got, vec![("Marco Bellandi".to_string(), true)]);
        // A venue word before a name makes it a venue.
        let got = names("Marco Bellandi scored at the Stadio Piero Lanzi on Sunday.");
        assert_eq!(got, vec![("Marco Bellandi".to_string(), true)]);
        // A KB name after a competition word stays (headlines run into the text).
        let got = names("World Cup Neymar will return to Santos.");
        assert_eq!(got, vec![("Neymar".to_string(), true)]);
    }

    #[test]
    fn fullest_name_and_kb_player() {
        let got = names("Ramos is leaving. Sergio Ramos told Rayados he would go.");
        assert_eq!(got, vec![("Sergio Ramos".to_string(), true)]);
    }

    #[test]
    fn a_name_in_capitals_takes_the_spelling_of_running_text() {
        // the body's spelling, wherever the heading is
        let got = names("MARCO BELLANDI SIGNS\n\nJuventus have signed Marco Bellandi from Genoa.");
        assert_eq!(got, vec![("Marco Bellandi".to_string(), true)]);
        // capitals only (name shape does not take them, the KB does): the KB's spelling
        let got = names("SERGIO RAMOS has told Rayados he would go.");
        assert_eq!(got, vec![("Sergio Ramos".to_string(), true)]);
    }

    #[test]
    fn shouted_and_unshouted() {
        assert!(shouted("ANTOINE GRIEZMANN"));
        assert!(shouted("MBAPPÉ"));
        assert!(!shouted("Antoine Griezmann"));
        assert!(!shouted("A"));
        assert_eq!(unshouted("MBAPPÉ", None), "Mbappé");
        assert_eq!(unshouted("MARCO BELLANDI-O'RUSSO", None), "Marco Bellandi-O'Russo");
        assert_eq!(unshouted("SCOTT MCTOMINAY", Some("Scott McTominay")), "Scott McTominay");
        // a KB name that is not the same words is not taken
        assert_eq!(unshouted("SCOTT MCTOMINAY", Some("Scott Parker")), "Scott Mctominay");
    }

    #[test]
    fn a_headline_running_into_its_text_repeats_the_name_once() {
        let got = names("Marco Bellandi Marco Bellandi is reportedly joining a new club.");
        assert_eq!(got, vec![("Marco Bellandi".to_string(), true)]);
    }

    #[test]
    fn ambiguous_nickname_needs_context() {
        let kb = Kb::starter();
        let lexicon = Lexicon::english();
        let text = "The Blues want him. Chelsea have bid.";
        let doc = Doc::new(text, 0, &Boilerplate::english());
        let clubs: Vec<usize> = recognise(&doc, &kb, &lexicon, &lexicon.scan(&doc.folded, &doc.masked))
            .mentions
            .iter()
            .filter_map(|m| match m.kind {
                MentionKind::Club(c) => Some(c),
                _ => None,
            })
            .collect();
        assert_eq!(clubs.len(), 2);
        let text = "The Blues want him.";
        let doc = Doc::new(text, 0, &Boilerplate::english());
        let clubs = recognise(&doc, &kb, &lexicon, &lexicon.scan(&doc.folded, &doc.masked))
            .mentions
            .iter()
            .filter(|m| matches!(m.kind, MentionKind::Club(_)))
            .count();
        assert_eq!(clubs, 0);
    }
}
