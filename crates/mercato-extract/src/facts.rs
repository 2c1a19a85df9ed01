//! Facts stated in the text, normalised with the time stage's expressions:
//! `age` ("the 34-year-old", "aged 34", "34 years old", "Ramos, 34,", "Ramos (34)"), `birth_date` ("born on 30 March
//! 1986"), `contract_expiry` (the time expression after "contract expires/runs until",
//! as `YYYY-MM-DD` or `YYYY-MM`), `contract_length` ("a two-year deal", as an ISO 8601
//! duration such as `P2Y`) and `fee` ("€60 million", "a £51m fee": the amount in units
//! with its ISO currency code). Each keeps the words it was read from in `stated`.

use crate::claims::Claim;
use crate::doc::Doc;
use crate::model::{Evidence, Fact, LinkKind};
use crate::recognise::{MentionKind, Recognised};
use mercato_text::Span;
use mercato_time::{Grain, SeasonStyle, TimeExpr, TimeLexicon};
use rustc_hash::FxHashSet as HashSet;

/// Words after "contract"/"deal" that introduce when it ends.
const CONTRACT_CUES: [&[&str]; 10] = [
    &["expires"],
    &["expired"],
    &["expiring"],
    &["expire"],
    &["runs", "until"],
    &["runs", "out"],
    &["running", "until"],
    &["until"],
    &["ends"],
    &["runs", "to"],
];

/// Nouns a length ("a two-year ...") must qualify to be a contract's length.
const CONTRACT_NOUNS: [&str; 7] = ["deal", "contract", "extension", "agreement", "pact", "loan", "terms"];

/// Words in a sentence that make a sum of money a transfer fee.
const FEE_CUES: [&str; 17] = [
    "fee", "bid", "offer", "clause", "price", "valued", "worth", "cost", "paid", "pay", "paying", "transfer", "deal",
    "signed", "sold", "buy", "bought",
];

/// Words after a sum that make it a wage, not a fee.
const WAGE_CUES: [&str; 9] =
    ["a week", "per week", "a-week", "a year", "per year", "a season", "per season", "salary", "wages"];

/// An age stated for a player.
#[derive(Debug, Clone, Copy)]
pub struct Age {
    pub person: usize,
    pub age: u8,
    pub sentence: usize,
    pub span: Span,
}

/// The player a sentence is about at `offset`: the first player named in the sentence
/// within a few words after it ("the 39-year-old Sergio Ramos"), else the last player
/// named before it.
fn player_near(doc: &Doc<'_>, rec: &Recognised, sentence: usize, offset: usize) -> Option<usize> {
    let is_player = |m: &crate::recognise::Mention| match m.kind {
        MentionKind::Person(p) if rec.persons[p].is_player => Some(p),
        _ => None,
    };
    let after = rec
        .mentions
        .iter()
        .filter(|m| m.sentence == sentence && m.span.start >= offset && doc.tokens_between(offset, m.span.start) <= 4)
        .find_map(is_player);
    after.or_else(|| rec.mentions.iter().filter(|m| m.span.start < offset).rev().find_map(is_player))
}

/// Every stated age of a player.
pub fn ages(doc: &Doc<'_>, rec: &Recognised) -> Vec<Age> {
    let mut out = Vec::new();
    let text = doc.text.as_bytes();
    for (idx, token) in doc.tokens.iter().enumerate() {
        // every form below starts with a digit or is "aged": most tokens are passed over on
        // their first byte, without slicing them
        let aged = token.span.end - token.span.start == 4;
        if !text.get(token.span.start).is_some_and(|b| b.is_ascii_digit() || aged && b.eq_ignore_ascii_case(&b'a')) {
            continue;
        }
        let word = doc.slice(token.span);
        if !word.as_bytes().first().is_some_and(u8::is_ascii_digit) && !word.eq_ignore_ascii_case("aged") {
            continue;
        }
        let next = |k: usize| doc.tokens.get(idx + k).filter(|t| t.sentence == token.sentence);
        // "34-year-old" (and "the 34-year-old's plea"), "aged 34", "34 years old", "34 year old"
        let possessive = word.strip_suffix("’s").or_else(|| word.strip_suffix("'s")).unwrap_or(word);
        let age = possessive
            .strip_suffix("-year-old")
            .and_then(|n| n.parse::<u8>().ok())
            .or_else(|| {
                word.eq_ignore_ascii_case("aged")
                    .then(|| next(1))
                    .flatten()
                    .and_then(|t| doc.slice(t.span).parse::<u8>().ok())
            })
            .or_else(|| {
                let n = word.parse::<u8>().ok()?;
                let years = next(1).map(|t| doc.slice(t.span));
                let old = next(2).map(|t| doc.slice(t.span));
                // "34 years old", "a 37 year old"
                (matches!(years, Some("years" | "year")) && old == Some("old")).then_some(n)
            });
        if let Some(age) = age.filter(|a| (15..=45).contains(a)) {
            if let Some(person) = player_near(doc, rec, token.sentence, token.span.end) {
                out.push(Age { person, age, sentence: token.sentence, span: token.span });
            }
        }
    }
    // "Sergio Ramos, 39, has ...": a player's name, a comma, a number, a comma; "Sergio
    // Ramos (39) has ...": the number in brackets.
    for m in &rec.mentions {
        let MentionKind::Person(p) = m.kind else { continue };
        if !rec.persons[p].is_player {
            continue;
        }
        let rest = doc.masked.get(m.span.end..).unwrap_or("");
        let comma = rest.strip_prefix(", ").map(|r| (r, ','));
        let Some((after, close)) = comma.or_else(|| rest.strip_prefix(" (").map(|r| (r, ')'))) else { continue };
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 2 && after[digits..].starts_with(close) {
            if let Some(age) = after[..digits].parse::<u8>().ok().filter(|a| (15..=45).contains(a)) {
                let start = m.span.end + 2;
                out.push(Age { person: p, age, sentence: m.sentence, span: Span::new(start, start + 2) });
            }
        }
    }
    out.sort_by_key(|a| a.span.start);
    out
}

/// What the facts stage needs from the rest of the extraction.
pub struct FactInput<'a, 'd> {
    pub doc: &'a Doc<'d>,
    pub rec: &'a Recognised,
    pub times: &'a [TimeExpr],
    pub time: &'a TimeLexicon,
    pub ages: &'a [Age],
    /// The player a sentence is about and the club of his contract, if any.
    pub subject_at: &'a dyn Fn(usize) -> Option<(String, Option<String>)>,
    /// The season style of a club (by name), for contracts named by a year.
    pub style_of: &'a dyn Fn(&str) -> SeasonStyle,
    /// A destination club of the player in a sentence, for fees.
    pub destination_at: &'a dyn Fn(usize) -> Option<String>,
}

/// Extracts every fact.
pub fn facts(input: &FactInput<'_, '_>) -> Vec<Fact> {
    let FactInput { doc, rec, .. } = *input;
    let mut out = Vec::new();
    for age in input.ages {
        out.push(Fact {
            subject: rec.persons[age.person].name.clone(),
            attribute: "age".into(),
            club: None,
            value: age.age.to_string(),
            stated: Some(doc.slice(age.span).to_string()),
            currency: None,
            evidence: Evidence::from(doc.sentences[age.sentence]),
        });
    }
    let hyphens: Vec<usize> = memchr::memchr_iter(b'-', doc.text.as_bytes()).collect();
    let mut next_hyphen = 0;
    for (idx, token) in doc.tokens.iter().enumerate() {
        // only "contract", "deal", "born" and "N-year"/"N-month" words start a fact here
        // (whether a token holds a hyphen: the next hyphen of the text after its start is
        // before its end; tokens are in text order)
        while hyphens.get(next_hyphen).is_some_and(|&h| h < token.span.start) {
            next_hyphen += 1;
        }
        let hyphen = hyphens.get(next_hyphen).is_some_and(|&h| h < token.span.end);
        let first = doc.text.as_bytes().get(token.span.start).map_or(0, u8::to_ascii_lowercase);
        if !matches!(first, b'c' | b'd' | b'b') && !hyphen {
            continue;
        }
        let word = doc.slice(token.span);
        let sentence = doc.sentences[token.sentence];
        if word.eq_ignore_ascii_case("contract") || word.eq_ignore_ascii_case("deal") {
            if let Some(fact) = contract_expiry(input, idx, word.eq_ignore_ascii_case("contract")) {
                out.push(fact);
            }
        }
        if word.eq_ignore_ascii_case("born") {
            let when = input.times.iter().find(|t| {
                t.start >= token.span.end
                    && t.end <= sentence.end
                    && doc.tokens_between(token.span.end, t.start) <= 2
                    && !t.relative
                    && matches!(t.grain, Grain::Day | Grain::Month | Grain::Year)
            });
            if let (Some(when), Some((subject, _))) = (when, (input.subject_at)(token.sentence)) {
                if let Some(value) = when.value {
                    out.push(Fact {
                        subject,
                        attribute: "birth_date".into(),
                        club: None,
                        value: value.format(when.grain),
                        stated: Some(when.text.clone()),
                        currency: None,
                        evidence: Evidence::from(sentence),
                    });
                }
            }
        }
        if let Some(length) = contract_length(input, idx) {
            if let Some((subject, club)) = (input.subject_at)(token.sentence) {
                out.push(Fact {
                    subject,
                    attribute: "contract_length".into(),
                    club,
                    value: length,
                    stated: Some(word.to_string()),
                    currency: None,
                    evidence: Evidence::from(sentence),
                });
            }
        }
    }
    out.extend(fees(input));
    out.dedup_by(|a, b| a.subject == b.subject && a.attribute == b.attribute && a.value == b.value);
    out
}

/// `current_club` facts: the club an article names as a player's own right before him
/// ("Juventus defender X", "Stuttgart's X"; [`Claim::named`]), when that is all the article
/// says of where he is. Nothing is stated for a player the article moves (a `done` link),
/// names with two such clubs, or speaks of in a sentence with a loan word (the owner and
/// the borrower are both "his" club), nor for a club his link with is not `from` or `stay`
/// (a rumoured destination described as his is a contradiction of its own).
pub fn current_clubs(
    doc: &Doc<'_>,
    rec: &Recognised,
    claims: &[Claim],
    decided: &[(usize, usize, LinkKind)],
    loans: &HashSet<String>,
    club_name: &dyn Fn(usize) -> String,
) -> Vec<Fact> {
    // whether each sentence has a loan word, looked at once and only where asked
    let mut loan_in: Vec<Option<bool>> = vec![None; doc.sentences.len()];
    let mut loan_sentence = |sentence: usize| {
        let Some(span) = doc.sentences.get(sentence) else { return false };
        *loan_in[sentence].get_or_insert_with(|| {
            doc.tokens[doc.token_at_or_after(span.start)..doc.token_at_or_after(span.end)]
                .iter()
                .any(|t| contains_lowercased(loans, doc.slice(t.span)))
        })
    };
    let mut persons: Vec<usize> = claims.iter().filter(|c| c.named).map(|c| c.person).collect();
    persons.sort_unstable();
    persons.dedup();
    let mut out = Vec::new();
    for person in persons {
        if decided.iter().any(|&(p, _, kind)| p == person && kind == LinkKind::Done)
            || claims.iter().filter(|c| c.person == person).any(|c| loan_sentence(c.sentence))
        {
            continue;
        }
        let named: Vec<&Claim> = claims
            .iter()
            .filter(|c| c.person == person && c.named && c.current && c.kind == LinkKind::From && !c.history)
            .collect();
        let Some(first) = named.first() else { continue };
        if named.iter().any(|c| c.club != first.club)
            || decided.iter().any(|&(p, club, kind)| {
                p == person && club == first.club && !matches!(kind, LinkKind::From | LinkKind::Stay)
            })
        {
            continue;
        }
        let sentence = doc.sentences[first.sentence];
        let stated = rec
            .mentions
            .iter()
            .find(|m| m.sentence == first.sentence && m.kind == MentionKind::Club(first.club))
            .map(|m| doc.slice(m.span).to_string());
        out.push(Fact {
            subject: rec.persons[person].name.clone(),
            attribute: "current_club".into(),
            club: None,
            value: club_name(first.club),
            stated,
            currency: None,
            evidence: Evidence::from(sentence),
        });
    }
    out
}

fn contract_expiry(input: &FactInput<'_, '_>, idx: usize, contract: bool) -> Option<Fact> {
    let doc = input.doc;
    let token = doc.tokens.get(idx)?;
    let sentence_idx = token.sentence;
    let sentence = doc.sentences[sentence_idx];
    let word_at =
        |k: usize| doc.tokens.get(k).filter(|t| t.sentence == sentence_idx).map(|t| (doc.slice(t.span), t.span.end));
    // The earliest expiry cue within the sentence ("deal ... until" needs "contract").
    let cue_end = (idx + 1..).map_while(|k| word_at(k).map(|(word, _)| (k, word))).find_map(|(k, word)| {
        // a cue starts with the word at `k`: the others are not tried
        let starting = CONTRACT_CUES.iter().filter(|cue| cue.first().is_some_and(|w| word.eq_ignore_ascii_case(w)));
        starting.filter(|cue| contract || cue[..] != ["until"]).find_map(|cue| {
            // every word of the cue in turn: the end of the last one
            cue.iter().enumerate().try_fold(None, |_, (n, w)| {
                word_at(k + n).filter(|(got, _)| got.eq_ignore_ascii_case(w)).map(|(_, end)| Some(end))
            })?
        })
    })?;
    // The first time expression right after the cue ("until the end of June 2026").
    let when = input
        .times
        .iter()
        .find(|t| t.start >= cue_end && t.end <= sentence.end && doc.tokens_between(cue_end, t.start) <= 3)?;
    let (subject, club) = (input.subject_at)(sentence_idx)?;
    let style = club.as_deref().map_or(SeasonStyle::Split, input.style_of);
    let value = when.value.map(|v| match when.grain {
        // "until 2026": the contract ends with that year's season
        Grain::Year => match style {
            SeasonStyle::Split => format!("{}-06", v.end.format("%Y")),
            SeasonStyle::Calendar => format!("{}-12", v.end.format("%Y")),
        },
        grain => v.format(grain),
    });
    Some(Fact {
        subject,
        attribute: "contract_expiry".into(),
        club,
        value: value.unwrap_or_else(|| when.text.clone()),
        stated: Some(when.text.clone()),
        currency: None,
        evidence: Evidence::from(sentence),
    })
}

/// "a two-year deal", "a three-and-a-half-year contract", "an 18-month loan": `P2Y`,
/// `P3Y6M`, `P18M`.
fn contract_length(input: &FactInput<'_, '_>, idx: usize) -> Option<String> {
    let doc = input.doc;
    let token = doc.tokens.get(idx)?;
    let raw = doc.slice(token.span);
    let ends_with = |suffix: &str| {
        raw.len() > suffix.len() && raw.as_bytes()[raw.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    if !ends_with("-year") && !ends_with("-month") {
        return None;
    }
    let word = raw.to_ascii_lowercase();
    let (count, unit) =
        word.strip_suffix("-year").map(|c| (c, 'Y')).or_else(|| word.strip_suffix("-month").map(|c| (c, 'M')))?;
    let noun = (1..=2)
        .filter_map(|k| doc.tokens.get(idx + k).filter(|t| t.sentence == token.sentence))
        .any(|t| CONTRACT_NOUNS.contains(&doc.slice(t.span).to_ascii_lowercase().as_str()));
    if !noun {
        return None;
    }
    let (whole, half) = match count.strip_suffix("-and-a-half") {
        Some(whole) => (whole, true),
        None => (count, false),
    };
    let n = whole.parse::<i64>().ok().or_else(|| input.time.number(whole))?;
    if !(1..=120).contains(&n) {
        return None;
    }
    Some(match (unit, half) {
        ('Y', true) => format!("P{n}Y6M"),
        ('Y', false) => format!("P{n}Y"),
        _ => format!("P{n}M"),
    })
}

/// Currency symbols before a number and currency words after one.
const SYMBOLS: [(&str, &str); 3] = [("€", "EUR"), ("£", "GBP"), ("$", "USD")];
const CURRENCY_WORDS: [(&str, &str); 6] =
    [("euros", "EUR"), ("euro", "EUR"), ("pounds", "GBP"), ("sterling", "GBP"), ("dollars", "USD"), ("dollar", "USD")];
const SCALES: [(&str, f64); 5] = [("million", 1e6), ("billion", 1e9), ("bn", 1e9), ("m", 1e6), ("k", 1e3)];

/// A sum of money at `i` in `s` ("€60 million", "£51m", "60-million-euro", "60 million
/// euros"): (amount in units, currency, bytes used).
fn money_at(s: &str, i: usize) -> Option<(u64, &'static str, usize)> {
    let rest = &s[i..];
    let symbol = SYMBOLS.iter().find_map(|(sym, code)| rest.strip_prefix(sym).map(|r| (*code, r)));
    let after = symbol.map_or(rest, |(_, r)| r);
    if symbol.is_none()
        && (i > 0 && s.as_bytes()[i - 1].is_ascii_alphanumeric() || !after.starts_with(|c: char| c.is_ascii_digit()))
    {
        return None;
    }
    let digits = after.bytes().take_while(|c| c.is_ascii_digit() || *c == b'.' || *c == b',').count();
    let number = after[..digits].trim_end_matches(['.', ',']);
    if number.is_empty() {
        return None;
    }
    let value: f64 = number.replace(',', "").parse().ok()?;
    let skip_sep = |t: &str| t.trim_start_matches([' ', '-']).to_string();
    let tail = &after[number.len()..];
    // the scale and currency words follow within a few bytes
    let near = tail.char_indices().nth(24).map_or(tail, |(k, _)| &tail[..k]);
    let lower = skip_sep(&near.to_ascii_lowercase());
    let mut used = rest.len() - tail.len() + (tail.len() - tail.trim_start_matches([' ', '-']).len());
    let (scale, scale_len) = SCALES
        .iter()
        .find(|(w, _)| lower.starts_with(w) && !lower[w.len()..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .map_or((1.0, 0), |(w, f)| (*f, w.len()));
    let currency = match symbol {
        Some((code, _)) => code,
        None => {
            // a bare number needs a scale and a currency word: "60 million euros"
            if scale_len == 0 {
                return None;
            }
            let after_scale = skip_sep(&lower[scale_len..]);
            let sep = lower[scale_len..].len() - after_scale.len();
            let (word, code) = CURRENCY_WORDS.iter().find(|(w, _)| after_scale.starts_with(w))?;
            used += scale_len + sep + word.len();
            let amount = value * scale;
            return (1000.0..1e10).contains(&amount).then_some((amount.round() as u64, code, used));
        }
    };
    if scale_len == 0 {
        used = rest.len() - tail.len();
    } else {
        used += scale_len;
    }
    let amount = value * scale;
    (1000.0..1e10).contains(&amount).then_some((amount.round() as u64, currency, used))
}

/// Currency signs and words, folded: a sentence without one holds no fee ("euros" and
/// "dollars" hold "euro" and "dollar", so a sentence holds one of [`SYMBOLS`] and
/// [`CURRENCY_WORDS`] exactly when it holds one of these).
const MONEY_MARKERS: [&str; 7] = ["€", "£", "$", "euro", "pounds", "sterling", "dollar"];

fn money_finders() -> &'static [memchr::memmem::Finder<'static>] {
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> = std::sync::OnceLock::new();
    FINDERS.get_or_init(|| MONEY_MARKERS.iter().map(|m| memchr::memmem::Finder::new(m.as_bytes())).collect())
}

/// Per sentence, whether its text holds a currency sign or word (ASCII case aside).
///
/// `set.contains(&word.to_lowercase())`, without a `String` for a short ASCII word (whose
/// lower case is its ASCII lower case).
fn contains_lowercased(set: &HashSet<String>, word: &str) -> bool {
    let mut buf = [0u8; 24];
    if word.is_ascii() && word.len() <= buf.len() {
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        return std::str::from_utf8(lower).is_ok_and(|w| set.contains(w));
    }
    set.contains(&word.to_lowercase())
}

/// Each marker is searched for once in the folded text (lower case, so every spelling of
/// a word is found) and each place is checked in the text itself, where the folding may
/// have made it ("pøunds"). Markers are letters or one sign, so none spans two sentences.
fn money_sentences(doc: &Doc<'_>) -> Vec<bool> {
    let mut marked = vec![false; doc.sentences.len()];
    let folded = doc.folded.text.as_bytes();
    for (marker, finder) in MONEY_MARKERS.iter().zip(money_finders()) {
        for at in finder.find_iter(folded) {
            let start = doc.folded.start_of(at);
            let end = doc.folded.end_of(at + marker.len(), &doc.masked);
            let written = doc.masked.as_bytes().get(start..end);
            if !written.is_some_and(|w| w.eq_ignore_ascii_case(marker.as_bytes())) {
                continue;
            }
            if let Some(idx) = doc.sentence_of(start) {
                if end <= doc.sentences[idx].end {
                    marked[idx] = true;
                }
            }
        }
    }
    marked
}

fn fees(input: &FactInput<'_, '_>) -> Vec<Fact> {
    let doc = input.doc;
    let mut out = Vec::new();
    let marked = money_sentences(doc);
    for (idx, sentence) in doc.sentences.iter().enumerate() {
        let text = &doc.masked[sentence.start..sentence.end];
        // a sum needs a currency sign or a currency word before the cue words are looked for
        if !marked.get(idx).copied().unwrap_or(false) {
            continue;
        }
        let first = doc.token_at_or_after(sentence.start);
        let cued = doc.tokens[first..].iter().take_while(|t| t.sentence == idx).any(|t| {
            let word = doc.slice(t.span);
            FEE_CUES.iter().any(|cue| word.eq_ignore_ascii_case(cue))
        });
        if !cued {
            continue;
        }
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < text.len() {
            // a sum starts at a digit or a currency sign (€ and £ start with 0xE2 and 0xC2)
            if !(bytes[i].is_ascii_digit() || matches!(bytes[i], b'$' | 0xE2 | 0xC2)) || !text.is_char_boundary(i) {
                i += 1;
                continue;
            }
            let Some((amount, currency, used)) = money_at(text, i) else {
                i += 1;
                continue;
            };
            let rest = &text[i + used..];
            let near = rest.char_indices().nth(16).map_or(rest, |(k, _)| &rest[..k]).to_ascii_lowercase();
            let after = near.trim_start_matches([' ', '-']);
            let wage = WAGE_CUES.iter().any(|w| after.starts_with(w));
            if !wage {
                if let Some((subject, _)) = (input.subject_at)(idx) {
                    out.push(Fact {
                        subject,
                        attribute: "fee".into(),
                        club: (input.destination_at)(idx),
                        value: amount.to_string(),
                        stated: Some(text[i..i + used].to_string()),
                        currency: Some(currency.to_string()),
                        evidence: Evidence::from(*sentence),
                    });
                }
                // one fee per sentence: the first sum is the headline figure
                break;
            }
            i += used;
        }
    }
    out
}

#[cfg(test)]
mod lowercased_tests {
    use super::*;

    #[test]
    fn contains_lowercased_is_the_lower_case_lookup() {
        let set: HashSet<String> = ["loan", "loanee", "ödegaard", "k"].iter().map(|w| w.to_string()).collect();
        for word in [
            "loan",
            "LOAN",
            "Loanee",
            "loaned",
            "Ödegaard",
            "ÖDEGAARD",
            "\u{212a}",
            "K",
            "",
            "averyveryverylongwordindeedloan",
        ] {
            assert_eq!(contains_lowercased(&set, word), set.contains(&word.to_lowercase()), "{word:?}");
        }
    }
}
