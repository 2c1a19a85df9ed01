//! Accent and case folding with a map back to original byte offsets, so that
//! "Mbappé", "MBAPPE" and "Mbappe" all match the pattern "mbappe" and the match can be
//! reported as a span of the original text.

use unicode_normalization::UnicodeNormalization;

/// Folded text plus, for each folded byte, the original byte offset it came from.
#[derive(Debug, Clone)]
pub struct Folded {
    pub text: String,
    /// `origin[i]` is the original offset of folded byte `i`; one extra entry at the end
    /// holds the original text length.
    origin: Vec<u32>,
}

impl Folded {
    /// Original byte offset of a folded offset (for a match start).
    pub fn start_of(&self, folded: usize) -> usize {
        self.origin[folded.min(self.origin.len() - 1)] as usize
    }
    /// Original byte offset just past the folded byte range ending at `folded_end`.
    pub fn end_of(&self, folded_end: usize, original: &str) -> usize {
        if folded_end == 0 {
            return 0;
        }
        // The char containing the last folded byte ends where the next original char starts.
        let last = self.origin[folded_end - 1] as usize;
        let mut end = last + 1;
        while end < original.len() && !original.is_char_boundary(end) {
            end += 1;
        }
        end.min(original.len())
    }
}

/// Word bytes of folded text: ASCII letters and digits, and every byte of a non-ASCII
/// character (so a run of them never splits a character).
pub const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b >= 0x80;
        b += 1;
    }
    table
};

/// Whether `b` is a [`WORD_BYTES`] byte.
pub fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

/// The words of a (folded) text: its maximal runs of word bytes, as `(start, end)` byte
/// offsets, in text order. The gazetteer and the phrase scanner both walk these.
///
/// ```
/// assert_eq!(mercato_text::fold::word_runs("de bruyne's  2-0"), vec![(0, 2), (3, 9), (10, 11), (13, 14), (15, 16)]);
/// ```
pub fn word_runs(text: &str) -> Vec<(u32, u32)> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 5 + 1);
    // the start of the word being read, if one is
    let mut start: Option<usize> = None;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let words = word_mask(u64::from_le_bytes(word));
        // each byte's high bit: the byte before it was a word byte
        let before = words << 8 | if start.is_some() { 0x80 } else { 0 };
        let mut edges = (words ^ before) & HIGH;
        // starts and ends alternate, in text order
        while edges != 0 {
            let at = base + (edges.trailing_zeros() / 8) as usize;
            match start.take() {
                Some(from) => out.push((from as u32, at as u32)),
                None => start = Some(at),
            }
            edges &= edges - 1;
        }
        base += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        match (start, is_word_byte(b)) {
            (None, true) => start = Some(base + i),
            (Some(from), false) => {
                out.push((from as u32, (base + i) as u32));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        out.push((from as u32, bytes.len() as u32));
    }
    out
}

/// For eight bytes (little-endian), the high bit of each byte whose low seven bits lie in
/// `from..=to` (ASCII bounds); callers mask out bytes past ASCII as they need.
#[inline]
pub fn ascii_range_mask(x: u64, from: u8, to: u8) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = x & LOW7;
    // per byte, the high bit of (low + 0x80 - bound): low is at least `bound` (7-bit sums
    // stay below 0x100, so no carry crosses bytes)
    let at_least = |bound: u8| low.wrapping_add(ONES * u64::from(0x80 - bound)) & HIGH;
    at_least(from) & !at_least(to + 1)
}

/// For eight bytes (little-endian), the high bit of each byte that is a word byte.
fn word_mask(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // bytes past ASCII are word bytes
    (x & HIGH) | ascii_range_mask(x, b'0', b'9') | ascii_range_mask(x, b'A', b'Z') | ascii_range_mask(x, b'a', b'z')
}

/// Folds one string for comparison (no offset map): lower case, accents stripped,
/// typographic quotes and dashes made ASCII.
///
/// ```
/// assert_eq!(mercato_text::fold::fold_str("Atlético Madrid"), "atletico madrid");
/// assert_eq!(mercato_text::fold::fold_str("Ødegaard’s"), "odegaard's");
/// ```
pub fn fold_str(s: &str) -> String {
    let mut text = String::with_capacity(s.len());
    fold_into(s, &mut text, None);
    text
}

/// Folds text and keeps the offset map.
pub fn fold(original: &str) -> Folded {
    let mut text = String::with_capacity(original.len());
    let mut origin = Vec::with_capacity(original.len() + 1);
    fold_into(original, &mut text, Some(&mut origin));
    origin.push(original.len() as u32);
    Folded { text, origin }
}

/// The length of the run of ASCII bytes that `bytes` starts with, eight bytes at a time.
fn ascii_run(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let high = u64::from_le_bytes(word) & HIGH;
        if high != 0 {
            return n + (high.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + chunks.remainder().iter().take_while(|b| b.is_ascii()).count()
}

/// Folds `original` onto `text`; with `origin`, also records each folded byte's original
/// offset (without the closing entry).
fn fold_into(original: &str, text: &mut String, mut origin: Option<&mut Vec<u32>>) {
    let mut buf = [0u8; 4];
    let bytes = original.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Fast path: a run of ASCII bytes folds byte for byte.
        let run = at + ascii_run(&bytes[at..]);
        if run > at {
            let from = text.len();
            text.push_str(&original[at..run]);
            text[from..].make_ascii_lowercase();
            if let Some(origin) = origin.as_deref_mut() {
                origin.extend((at as u32)..(run as u32));
            }
            at = run;
            continue;
        }
        let Some(ch) = original[at..].chars().next() else { break };
        let offset = at as u32;
        at += ch.len_utf8();
        if let Some(repl) = special(ch) {
            text.push_str(repl);
            if let Some(origin) = origin.as_deref_mut() {
                origin.extend(std::iter::repeat_n(offset, repl.len()));
            }
            continue;
        }
        let mut pushed = false;
        for d in std::iter::once(ch).nfkd() {
            if d.is_ascii() {
                text.push(d.to_ascii_lowercase());
                if let Some(origin) = origin.as_deref_mut() {
                    origin.push(offset);
                }
                pushed = true;
            }
        }
        if !pushed {
            for lower in ch.to_lowercase() {
                let s = lower.encode_utf8(&mut buf);
                text.push_str(s);
                if let Some(origin) = origin.as_deref_mut() {
                    origin.extend(std::iter::repeat_n(offset, s.len()));
                }
            }
        }
    }
}

fn special(ch: char) -> Option<&'static str> {
    Some(match ch {
        '’' | '‘' | '`' | '´' | 'ʼ' => "'",
        '“' | '”' | '„' | '«' | '»' => "\"",
        '–' | '—' | '‐' | '‑' | '−' => "-",
        'ø' | 'Ø' => "o",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ı' => "i",
        'þ' | 'Þ' => "th",
        '\u{a0}' | '\u{2009}' | '\u{202f}' => " ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_back() {
        let original = "Kylian Mbappé’s move";
        let folded = fold(original);
        assert_eq!(folded.text, "kylian mbappe's move");
        let at = folded.text.find("mbappe").unwrap_or(0);
        let start = folded.start_of(at);
        let end = folded.end_of(at + "mbappe".len(), original);
        assert_eq!(&original[start..end], "Mbappé");
    }

    #[test]
    fn word_mask_is_the_table() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b' '; 8];
                bytes[lane] = b;
                let mask = word_mask(u64::from_le_bytes(bytes));
                let want = if is_word_byte(b) { 0x80u64 << (8 * lane) } else { 0 };
                assert_eq!(mask, want, "byte {b} in lane {lane}");
            }
        }
    }

    #[test]
    fn folds_specials() {
        assert_eq!(fold_str("Martin Ødegaard"), "martin odegaard");
        assert_eq!(fold_str("İlkay Gündoğan"), "ilkay gundogan");
        assert_eq!(fold_str("Borussia Mönchengladbach"), "borussia monchengladbach");
        assert_eq!(fold_str("“Here we go”"), "\"here we go\"");
    }

    proptest::proptest! {
        #[test]
        fn word_runs_are_the_runs_of_word_bytes(s in "[a-zA-Z0-9 .,'\\-:/@\\[`{]{0,30}\\PC{0,3}[a-z ]{0,20}") {
            let mut simple = Vec::new();
            let mut start = None;
            for (i, b) in s.bytes().chain(std::iter::once(b' ')).enumerate() {
                let word = (b.is_ascii_alphanumeric() || b >= 0x80) && i < s.len();
                match (start, word) {
                    (None, true) => start = Some(i),
                    (Some(from), false) => {
                        simple.push((from as u32, i as u32));
                        start = None;
                    }
                    _ => {}
                }
            }
            proptest::prop_assert_eq!(word_runs(&s), simple);
        }

        #[test]
        fn fold_str_is_folds_text(s in "\\PC{0,60}") {
            proptest::prop_assert_eq!(fold_str(&s), fold(&s).text);
        }

        #[test]
        fn ascii_run_is_the_simple_count(s in "[a-z ]{0,20}\\PC{0,3}[a-z.]{0,20}") {
            for from in 0..=s.len() {
                let bytes = &s.as_bytes()[from..];
                proptest::prop_assert_eq!(ascii_run(bytes), bytes.iter().take_while(|b| b.is_ascii()).count());
            }
        }

        #[test]
        fn offsets_are_char_boundaries(s in "\\PC{0,40}") {
            let folded = fold(&s);
            for i in 0..folded.text.len() {
                let start = folded.start_of(i);
                proptest::prop_assert!(s.is_char_boundary(start));
                let end = folded.end_of(i + 1, &s);
                proptest::prop_assert!(s.is_char_boundary(end));
            }
        }
    }
}
