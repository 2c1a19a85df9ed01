//! A prepared article: original text, masked text, folded text, sentences and tokens.

use mercato_text::fold::{fold, Folded};
use mercato_text::mask::Boilerplate;
use mercato_text::Span;

/// A word token (letters, digits, apostrophes, hyphens and inner dots).
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub span: Span,
    /// Index of the sentence holding the token.
    pub sentence: usize,
}

/// The cleaned article that the recognisers work on.
pub struct Doc<'a> {
    /// The input text: every reported offset points into it.
    pub text: &'a str,
    /// `text` with crawl residue masked by spaces (same length).
    pub masked: String,
    pub folded: Folded,
    /// The folded text's words (`mercato_text::fold::word_runs`), for the gazetteer and
    /// the phrase scanner.
    pub words: Vec<(u32, u32)>,
    pub sentences: Vec<Span>,
    pub tokens: Vec<Token>,
    /// Where the body starts (after a date header).
    pub body_start: usize,
    /// For each block of [`BLOCK`] bytes of the text (and one past its end), the number of
    /// tokens starting before the block: [`Doc::token_at_or_after`] without a binary search.
    token_index: Vec<u32>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, body_start: usize, boilerplate: &Boilerplate) -> Doc<'a> {
        // Residue lines are read from the body's start, so a line pattern sees the body's
        // first line as a line (" date 2023-06-23 Last updated on ...").
        let mut masked = boilerplate.mask_from(text, body_start);
        if body_start > 0 && body_start <= masked.len() && masked.is_char_boundary(body_start) {
            // Mask the date header itself so "date" is never read as a word.
            masked.replace_range(..body_start, &" ".repeat(body_start));
        }
        let folded = fold(&masked);
        let words = mercato_text::fold::word_runs(&folded.text);
        let sentences = mercato_text::sentences::split(&masked, body_start);
        let tokens = tokenize(&masked, &sentences);
        let token_index = token_index(&tokens, masked.len());
        Doc { text, masked, folded, words, sentences, tokens, body_start, token_index }
    }

    /// The original text of a span.
    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The folded (lower-case, accent-free) text of an original span.
    pub fn folded_slice(&self, span: Span) -> String {
        mercato_text::fold::fold_str(self.slice(span))
    }

    /// Index of the sentence containing `offset`, if any.
    pub fn sentence_of(&self, offset: usize) -> Option<usize> {
        let idx = self.sentences.partition_point(|s| s.end <= offset);
        (idx < self.sentences.len() && self.sentences[idx].start <= offset).then_some(idx)
    }

    /// Index of the first token starting at or after `offset`.
    pub fn token_at_or_after(&self, offset: usize) -> usize {
        let Some(&before_block) = self.token_index.get(offset / BLOCK) else { return self.tokens.len() };
        // then the few tokens starting in the block before `offset`
        let mut i = before_block as usize;
        while self.tokens.get(i).is_some_and(|t| t.span.start < offset) {
            i += 1;
        }
        i
    }

    /// Number of tokens strictly between two offsets.
    pub fn tokens_between(&self, from: usize, to: usize) -> usize {
        if to <= from {
            return 0;
        }
        self.token_at_or_after(to) - self.token_at_or_after(from)
    }
}

/// Bytes per entry of [`Doc`]'s token index.
const BLOCK: usize = 8;

/// The number of tokens starting before each block offset `k * BLOCK` up to past `len`
/// (the tokens are in text order).
fn token_index(tokens: &[Token], len: usize) -> Vec<u32> {
    let blocks = len / BLOCK + 2;
    let mut index = Vec::with_capacity(blocks);
    for (i, token) in tokens.iter().enumerate() {
        // blocks starting after the previous token's start, up to this one's, have `i`
        // tokens before them
        while index.len() <= token.span.start / BLOCK {
            index.push(i as u32);
        }
    }
    index.resize(blocks, tokens.len() as u32);
    index
}

fn is_token_char(c: char) -> bool {
    // the punctuation first: a curly apostrophe is common, and no alphanumeric
    matches!(c, '\'' | '’' | '-' | '.') || c.is_alphanumeric()
}

/// Strips leading and trailing `.`, `-`, `'` and `’` from a word: (bytes stripped in
/// front, what is left).
fn trim_punct(word: &str) -> (usize, &str) {
    const CURLY: &str = "’";
    // Most words start and end with a letter or digit: nothing to strip.
    if word.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
        && word.as_bytes().last().is_some_and(u8::is_ascii_alphanumeric)
    {
        return (0, word);
    }
    let mut start = 0;
    let mut end = word.len();
    loop {
        let rest = &word[start..end];
        if rest.starts_with(['.', '-', '\'']) {
            start += 1;
        } else if rest.starts_with(CURLY) {
            start += CURLY.len();
        } else {
            break;
        }
    }
    loop {
        let rest = &word[start..end];
        if rest.ends_with(['.', '-', '\'']) {
            end -= 1;
        } else if rest.ends_with(CURLY) {
            end -= CURLY.len();
        } else {
            break;
        }
    }
    (start, &word[start..end])
}

fn tokenize(masked: &str, sentences: &[Span]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(masked.len() / 5);
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let piece = &masked[sentence.start..sentence.end];
        let bytes = piece.as_bytes();
        let push = |s: usize, e: usize, tokens: &mut Vec<Token>| {
            // Trim trailing punctuation kept by is_token_char (most words start and end
            // with an ASCII letter or digit: nothing to trim, one character when one byte).
            let plain = bytes[s].is_ascii_alphanumeric() && bytes[e - 1].is_ascii_alphanumeric();
            let (lead, trimmed_len, one_char) = if plain {
                (0, e - s, e - s == 1)
            } else {
                let (lead, trimmed) = trim_punct(&piece[s..e]);
                (lead, trimmed.len(), trimmed.len() <= 4 && trimmed.chars().count() == 1)
            };
            if trimmed_len == 0 {
                return;
            }
            let s2 = sentence.start + s + lead;
            // Keep an initial's dot ("J.") so initials stay tokens of names.
            let mut e2 = s2 + trimmed_len;
            if one_char && bytes.get(e2 - sentence.start) == Some(&b'.') {
                e2 += 1;
            }
            tokens.push(Token { span: Span::new(s2, e2), sentence: sentence_idx });
        };
        // Whether the character at `i` is a token character, and its length.
        let class = |i: usize| -> (bool, usize) {
            let b = bytes[i];
            if b.is_ascii() {
                (TOKEN_ASCII[usize::from(b)], 1)
            } else {
                let c = piece[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                (is_token_char(c), c.len_utf8())
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            // (an ASCII byte by table, without decoding)
            let (token_char, len) = match bytes[i] {
                b if b.is_ascii() => (TOKEN_ASCII[usize::from(b)], 1),
                _ => class(i),
            };
            i += len;
            if !token_char {
                continue;
            }
            // A token starts: run to the first character that is not a token character,
            // ASCII bytes eight at a time.
            let s = i - len;
            loop {
                i += ascii_token_bytes(bytes, i);
                if bytes.get(i).is_none_or(u8::is_ascii) {
                    break;
                }
                let (token_char, len) = class(i);
                if !token_char {
                    break;
                }
                i += len;
            }
            push(s, i, &mut tokens);
        }
    }
    tokens
}

/// The number of ASCII token characters ([`TOKEN_ASCII`]) at `bytes[i..]`, up to the first
/// other byte: eight bytes at a time while eight are there to read.
fn ascii_token_bytes(bytes: &[u8], i: usize) -> usize {
    use mercato_text::fold::ascii_range_mask as range;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut n = 0;
    while let Some(chunk) = bytes.get(i + n..i + n + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let x = u64::from_le_bytes(chunk);
        let ascii_token = range(x, b'0', b'9')
            | range(x, b'A', b'Z')
            | range(x, b'a', b'z')
            | range(x, b'-', b'.')
            | range(x, b'\'', b'\'');
        let token = ascii_token & !x & HIGH;
        let other = !token & HIGH;
        if other != 0 {
            return n + (other.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while bytes.get(i + n).is_some_and(|&b| b.is_ascii() && TOKEN_ASCII[usize::from(b)]) {
        n += 1;
    }
    n
}

/// ASCII token characters: letters, digits, `'`, `-` and `.` (as [`is_token_char`]).
const TOKEN_ASCII: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'\'' || c == b'-' || c == b'.';
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The simple tokenizer: character by character, trimming by the general rule.
    fn tokenize_simply(masked: &str, sentences: &[Span]) -> Vec<(usize, usize, usize)> {
        let mut tokens = Vec::new();
        for (sentence_idx, sentence) in sentences.iter().enumerate() {
            let piece = &masked[sentence.start..sentence.end];
            let mut words: Vec<(usize, usize)> = Vec::new();
            let mut start: Option<usize> = None;
            for (i, c) in piece.char_indices() {
                match (start, is_token_char(c)) {
                    (None, true) => start = Some(i),
                    (Some(s), false) => {
                        words.push((s, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = start {
                words.push((s, piece.len()));
            }
            for (s, e) in words {
                let word = &piece[s..e];
                let trimmed = word.trim_start_matches(['.', '-', '\'', '’']);
                let lead = word.len() - trimmed.len();
                let trimmed = trimmed.trim_end_matches(['.', '-', '\'', '’']);
                if trimmed.is_empty() {
                    continue;
                }
                let s2 = sentence.start + s + lead;
                let mut e2 = s2 + trimmed.len();
                if trimmed.chars().count() == 1 && piece[e2 - sentence.start..].starts_with('.') {
                    e2 += 1;
                }
                tokens.push((s2, e2, sentence_idx));
            }
        }
        tokens
    }

    proptest::proptest! {
        #[test]
        fn tokenize_is_the_simple_tokenizer(text in "[A-Za-z0-9 .,'’\\-é–!?\n]{0,40}") {
            let sentences = mercato_text::sentences::split(&text, 0);
            let fast: Vec<(usize, usize, usize)> =
                tokenize(&text, &sentences).iter().map(|t| (t.span.start, t.span.end, t.sentence)).collect();
            proptest::prop_assert_eq!(fast, tokenize_simply(&text, &sentences));
        }
    }

    #[test]
    fn ascii_token_bytes_counts_like_a_byte_loop() {
        let text = "Ab'c-d.9z  x\u{e9}y A-Z a.z 0'9 \"[]/:@`{~\x7f end. Zz'--..09azAZ,\u{2019}s x";
        let bytes = text.as_bytes();
        for i in 0..=bytes.len() {
            let simple = bytes[i..].iter().take_while(|&&b| b.is_ascii() && TOKEN_ASCII[usize::from(b)]).count();
            assert_eq!(ascii_token_bytes(bytes, i), simple, "at {i}");
        }
        for b in 0..=255u8 {
            let bytes = [b'a', b, b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a'];
            let simple = bytes.iter().take_while(|&&b| b.is_ascii() && TOKEN_ASCII[usize::from(b)]).count();
            assert_eq!(ascii_token_bytes(&bytes, 0), simple, "byte {b}");
        }
    }

    #[test]
    fn ascii_table_is_the_predicate() {
        for b in 0..128u8 {
            assert_eq!(TOKEN_ASCII[usize::from(b)], is_token_char(char::from(b)), "byte {b}");
        }
    }

    #[test]
    fn token_index_is_the_binary_search() {
        for text in [
            " date 2024-01-02 J. Smith's move to Roma. He is 25-year-old!",
            "",
            "   ",
            "a",
            "Atlético’s bid – “here we go” – for Ødegaard. Done.  ",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z. A.B. C-D e’f, 1 2 3 45 678 9",
        ] {
            let doc = Doc::new(text, 0, &Boilerplate::english());
            for offset in 0..text.len() + 3 {
                let simple = doc.tokens.partition_point(|t| t.span.start < offset);
                assert_eq!(doc.token_at_or_after(offset), simple, "{offset} in {text:?}");
            }
        }
    }

    #[test]
    fn tokens_and_sentences() {
        let text = " date 2024-01-02 J. Smith's move to Roma. He is 25-year-old!";
        let doc = Doc::new(text, 16, &Boilerplate::english());
        let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.span)).collect();
        assert_eq!(words, vec!["J.", "Smith's", "move", "to", "Roma", "He", "is", "25-year-old"]);
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.sentence_of(text.find("He").unwrap_or(0)), Some(1));
    }
}
