//! Fingerprints of an article's text: an exact content hash (is this the same text?) and a
//! SimHash (is this nearly the same text?).
//!
//! The SimHash is over word 3-shingles of the lower-cased alphanumeric words, each shingle
//! hashed with 64-bit FNV-1a (stable across builds and machines, because fingerprints are
//! stored); a date line at the top is left out. Two texts are near-duplicates when their
//! SimHashes differ in at most [`NEAR_BITS`] bits and both have at least [`MIN_SHINGLES`]
//! shingles (between the 405 distinct articles of the shared corpora the smallest distance
//! is 15 bits; a repost with a new date and a "Read more." line is 3 to 5 bits away). To
//! find candidates without comparing against every stored article, the 64 bits are cut
//! into six [`bands`] of 10 or 11 bits: texts within 5 bits of each other share at least one
//! band (pigeonhole).

/// Texts whose SimHashes differ in at most this many bits are near-duplicates.
pub const NEAR_BITS: u32 = 5;
/// Texts with fewer shingles than this are too short to call copies.
pub const MIN_SHINGLES: usize = 20;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(bytes: &[u8], offset: u64) -> u64 {
    bytes.iter().fold(offset, |h, b| (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME))
}

/// The exact content hash: 128 bits as 32 hex digits (two FNV-1a passes with different
/// offsets), over the text with surrounding blanks trimmed.
pub fn content_hash(text: &str) -> String {
    let t = text.trim().as_bytes();
    format!("{:016x}{:016x}", fnv1a(t, FNV_OFFSET), fnv1a(t, FNV_OFFSET ^ 0x9e37_79b9_7f4a_7c15))
}

/// The SimHash of a text and how many shingles it had.
pub fn simhash(text: &str) -> (u64, usize) {
    let body = mercato_text::header::parse_header(text).map_or(text, |h| &text[h.body_start..]);
    // the lower-cased words, end to end in one buffer (no String per word): ASCII words
    // byte by byte, others through `str::to_lowercase` (final sigma and the like)
    let mut lower = String::with_capacity(body.len());
    let mut ends: Vec<usize> = Vec::with_capacity(body.len() / 5);
    for w in body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if w.is_ascii() {
            lower.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            lower.push_str(&w.to_lowercase());
        }
        ends.push(lower.len());
    }
    let word = |i: usize| &lower.as_bytes()[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
    // how many shingle hashes have each bit set; a bit of the SimHash is set when more
    // than half of them have it
    let mut ones = [0u32; 64];
    let shingles = ends.len().saturating_sub(2);
    for first in 0..shingles {
        let mut h = FNV_OFFSET;
        for i in first..first + 3 {
            h = fnv1a(word(i), h);
            h = fnv1a(b" ", h);
        }
        for (bit, n) in ones.iter_mut().enumerate() {
            *n += (h >> bit & 1) as u32;
        }
    }
    let hash = ones
        .iter()
        .enumerate()
        .fold(0u64, |acc, (bit, n)| if 2 * *n as usize > shingles { acc | 1 << bit } else { acc });
    (hash, shingles)
}

/// The six bands of a SimHash: bits 0-10, 11-21, 22-32, 33-43, 44-53, 54-63.
pub fn bands(hash: u64) -> [i64; 6] {
    const CUTS: [(u32, u32); 6] = [(0, 11), (11, 11), (22, 11), (33, 11), (44, 10), (54, 10)];
    CUTS.map(|(from, len)| ((hash >> from) & ((1u64 << len) - 1)) as i64)
}

/// Whether two SimHashes are near-duplicates.
pub fn near(a: u64, b: u64) -> bool {
    (a ^ b).count_ones() <= NEAR_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Marco Bellandi has agreed personal terms with Napoli ahead of a move worth 30 million euros, \
        and the defender is expected to undergo a medical in Naples later this week before signing a \
        four-year contract with the Serie A club, according to reports in Italy on Monday evening.";

    #[test]
    fn same_text_same_hash_and_trim_does_not_matter() {
        assert_eq!(content_hash(TEXT), content_hash(&format!("  {TEXT}\n")));
        assert_ne!(content_hash(TEXT), content_hash(&TEXT.replace("four", "five")));
    }

    #[test]
    fn a_light_edit_is_near_a_rewrite_is_not() {
        let (a, n) = simhash(TEXT);
        assert!(n >= MIN_SHINGLES);
        let (b, _) = simhash(&format!("{TEXT} Read more."));
        assert!(near(a, b), "distance {}", (a ^ b).count_ones());
        let (c, _) = simhash(
            "Juventus have opened talks with Sevilla over a January loan for their young winger, who has \
             struggled for minutes this season and could be offered to clubs in Portugal and the Netherlands.",
        );
        assert!(!near(a, c), "distance {}", (a ^ c).count_ones());
    }

    /// The definition written plainly: a String per word and a signed count per bit.
    fn simhash_reference(text: &str) -> (u64, usize) {
        let body = mercato_text::header::parse_header(text).map_or(text, |h| &text[h.body_start..]);
        let words: Vec<String> =
            body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        let mut counts = [0i32; 64];
        let mut shingles = 0;
        for window in words.windows(3) {
            let mut h = FNV_OFFSET;
            for w in window {
                h = fnv1a(w.as_bytes(), h);
                h = fnv1a(b" ", h);
            }
            shingles += 1;
            for (bit, count) in counts.iter_mut().enumerate() {
                *count += if h >> bit & 1 == 1 { 1 } else { -1 };
            }
        }
        let hash = counts.iter().enumerate().fold(0u64, |acc, (bit, c)| if *c > 0 { acc | 1 << bit } else { acc });
        (hash, shingles)
    }

    #[test]
    fn simhash_is_the_stored_definition() {
        // fingerprints are stored, so the fast version must give the very same bits,
        // non-ASCII words (final sigma, dotted capital I, accents) and short texts included
        let texts = [
            TEXT,
            " date 2024-01-02 \nÖzil and Çalhanoğlu: ΟΔΥΣΣΕΑΣ ΠΑΣ İstanbul Straße — naïve café 3-2 win",
            "",
            "one two",
            "one two three",
            "Ünal ÜNAL ünal, Σίσυφος ΣΊΣΥΦΟΣ σίσυφος",
        ];
        for t in texts {
            assert_eq!(simhash(t), simhash_reference(t), "{t:?}");
        }
    }

    #[test]
    fn simhash_is_the_stored_definition_on_the_shared_corpora() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");
        let mut n = 0;
        for file in ["dev.jsonl", "pool.jsonl"] {
            let Ok(corpus) = std::fs::read_to_string(format!("{root}/{file}")) else {
                eprintln!("skipped: {root}/{file} is not there");
                continue;
            };
            for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
                let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                let text = v["text"].as_str().unwrap_or_default();
                assert_eq!(simhash(text), simhash_reference(text), "{}", v["id"]);
                n += 1;
            }
        }
        eprintln!("{n} texts compared");
    }

    #[test]
    fn near_texts_share_a_band() {
        let (a, _) = simhash(TEXT);
        let (b, _) = simhash(&format!("{TEXT} Read more."));
        let (ba, bb) = (bands(a), bands(b));
        assert!(ba.iter().zip(bb.iter()).any(|(x, y)| x == y));
    }
}
