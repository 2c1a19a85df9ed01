//! Sentence splitting for noisy news text.
//!
//! Lines are hard boundaries (crawled text puts headlines, captions and paragraphs on
//! their own lines). Within a line, `.`, `!`, `?` and `…` end a sentence when followed by
//! blank space and a capital, digit or opening quote, unless the word before the stop is
//! a known abbreviation (`Mr.`, `St.`, `Jr.`) or a single-letter initial (`A. Smith`).

use crate::Span;
use std::collections::HashSet;
use std::sync::OnceLock;

const ABBREVIATIONS: &str = include_str!("../../../data/lexicon/en/abbreviations.txt");

fn abbreviations() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        ABBREVIATIONS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('>'))
            .collect()
    })
}

/// Words after which a capital letter and a stop are a name ("Serie A."), not an initial.
fn letter_names() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| ABBREVIATIONS.lines().filter_map(|l| l.trim().strip_prefix('>')).collect())
}

/// Splits `text[from..]` into sentence spans (trimmed, never empty), in order.
pub fn split(text: &str, from: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let from = floor_boundary(text, from);
    let mut line_start = from;
    for line in crate::lines_inclusive(&text[from..]) {
        split_line(text, line_start, line_start + line.len(), &mut out);
        line_start += line.len();
    }
    out
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(Span::new(start + lead, end - trail));
    }
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

fn is_opener(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '¿' | '¡')
}

fn split_line(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let line = &text[start..end];
    let mut sentence_start = start;
    // Only terminators matter: jump from one to the next ('…' is the one non-ASCII one).
    let mut at = 0;
    while let Some(offset) = next_terminator(line, at) {
        let c = line[offset..].chars().next().unwrap_or('.');
        // A semicolon ends a clause that news text uses like a sentence ("X are close to
        // Y; Z have rejected a bid").
        if c == ';' {
            let cut = start + offset + 1;
            push_trimmed(text, sentence_start, cut, out);
            sentence_start = cut;
            at = offset + 1;
            continue;
        }
        // Swallow runs of terminators and closing quotes.
        let mut j = offset + c.len_utf8();
        while let Some(next) = line[j..].chars().next() {
            if matches!(next, '.' | '!' | '?' | '…') || is_closer(next) {
                j += next.len_utf8();
            } else {
                break;
            }
        }
        let mut k = j;
        while let Some(next) = line[k..].chars().next() {
            if next.is_whitespace() {
                k += next.len_utf8();
            } else {
                break;
            }
        }
        let spaced = k > j;
        let next_ok = line[k..].chars().next().is_some_and(is_opener);
        let single_stop = c == '.' && j == offset + 1;
        if spaced && next_ok && !(single_stop && is_abbreviation(line, offset)) {
            let cut = start + j;
            push_trimmed(text, sentence_start, cut, out);
            sentence_start = cut;
        }
        at = j.max(offset + 1);
    }
    push_trimmed(text, sentence_start, end, out);
}

/// The offset of the first `.`, `!`, `?`, `;` or `…` in `line[from..]`, byte by byte.
fn next_terminator(line: &str, from: usize) -> Option<usize> {
    const ELLIPSIS: &[u8] = "…".as_bytes();
    let bytes = line.as_bytes();
    let rest = bytes.get(from..)?;
    // The first stop, then a semicolon or an ellipsis before it (each search vectorised).
    let mut end = memchr::memchr3(b'.', b'!', b'?', rest).unwrap_or(rest.len());
    end = memchr::memchr(b';', &rest[..end]).unwrap_or(end);
    static ELLIPSES: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let ellipses = ELLIPSES.get_or_init(|| memchr::memmem::Finder::new(ELLIPSIS));
    end = ellipses.find(&rest[..end]).unwrap_or(end);
    (end < rest.len()).then_some(from + end)
}

/// Is the word that ends just before the stop at `stop` an abbreviation or an initial?
fn is_abbreviation(line: &str, stop: usize) -> bool {
    let before = &line[..stop];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    let mut letters = word.chars();
    if let (Some(first), None) = (letters.next(), letters.next()) {
        let previous = before[..word_start].split_whitespace().next_back().unwrap_or("");
        return first.is_uppercase() && !letter_names().contains(previous);
    }
    abbreviations().contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn next_terminator_is_find(s in "[a-z .!?;…’—]{0,30}") {
            let mut from = 0;
            while from <= s.len() {
                let simple = s[from..].find(['.', '!', '?', ';', '…']).map(|f| from + f);
                proptest::prop_assert_eq!(next_terminator(&s, from), simple);
                from += s[from..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }

    fn check(text: &str, expect: &[&str]) {
        let got: Vec<&str> = split(text, 0).iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn plain() {
        check("Rossi joined Roma. He scored twice!", &["Rossi joined Roma.", "He scored twice!"]);
    }

    #[test]
    fn abbreviations_and_initials() {
        check(
            "Mr. Smith met J. R. Rossi at St. Mary's. Then Vinicius Jr. left.",
            &["Mr. Smith met J. R. Rossi at St. Mary's.", "Then Vinicius Jr. left."],
        );
    }

    #[test]
    fn quotes_close_sentences() {
        check(
            "\"I want to stay.\" Rossi said so. 'Yes!' He smiled.",
            &["\"I want to stay.\"", "Rossi said so.", "'Yes!'", "He smiled."],
        );
    }

    #[test]
    fn lines_are_boundaries_and_lowercase_does_not_split() {
        check(
            "Headline without stop\nThe fee is £10.5m. and rising\n\n",
            &["Headline without stop", "The fee is £10.5m. and rising"],
        );
    }

    #[test]
    fn league_letters_end_sentences() {
        check("He plays in Serie A. Rossi agrees.", &["He plays in Serie A.", "Rossi agrees."]);
    }

    #[test]
    fn semicolons_split_clauses() {
        check("Roma want Rossi; Lazio want Bianchi.", &["Roma want Rossi;", "Lazio want Bianchi."]);
    }

    #[test]
    fn ellipsis() {
        check("He said... Then left.", &["He said...", "Then left."]);
    }

    proptest::proptest! {
        #[test]
        fn spans_are_ordered_boundaries(s in "\\PC{0,80}", from in 0usize..90) {
            let spans = split(&s, from);
            let mut last = 0;
            for span in spans {
                proptest::prop_assert!(span.start >= last && span.start < span.end);
                proptest::prop_assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end));
                last = span.end;
            }
        }
    }
}
