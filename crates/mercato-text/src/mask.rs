//! Crawl residue masking. Patterns come from a reviewed data file per language
//! (`data/lexicon/<lang>/boilerplate.tsv`). Masked bytes become spaces, so the masked
//! text has exactly the original length and every offset stays valid.

use crate::Span;

const ENGLISH: &str = include_str!("../../../data/lexicon/en/boilerplate.tsv");

/// Boilerplate patterns for one language.
#[derive(Debug, Clone, Default)]
pub struct Boilerplate {
    fragments: Vec<String>,
    fragment_set: Option<aho_corasick::AhoCorasick>,
    lines: Vec<String>,
    line_prefixes: Vec<String>,
}

/// A malformed row in a boilerplate file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("boilerplate line {line}: {message}")]
pub struct BoilerplateError {
    pub line: usize,
    pub message: String,
}

impl Boilerplate {
    /// The shipped English patterns.
    pub fn english() -> Boilerplate {
        // The shipped file is checked by a test, so this cannot fail in a release.
        Boilerplate::parse(ENGLISH).unwrap_or_default()
    }

    /// Parses a `kind<TAB>pattern` file; `#` comments and the header row are skipped.
    pub fn parse(source: &str) -> Result<Boilerplate, BoilerplateError> {
        let mut out = Boilerplate::default();
        for (idx, row) in source.lines().enumerate() {
            if row.trim().is_empty() || row.starts_with('#') || row == "kind\tpattern" {
                continue;
            }
            let err = |message: &str| BoilerplateError { line: idx + 1, message: message.to_string() };
            let (kind, pattern) = row.split_once('\t').ok_or_else(|| err("expected kind<TAB>pattern"))?;
            if pattern.trim().is_empty() {
                return Err(err("empty pattern"));
            }
            match kind {
                "fragment" => out.fragments.push(pattern.to_string()),
                "line" => out.lines.push(pattern.trim().to_lowercase()),
                "line_prefix" => out.line_prefixes.push(pattern.to_lowercase()),
                other => return Err(err(&format!("unknown kind {other:?}"))),
            }
        }
        // Longest fragment wins, so "Getty Images Sport" over "Getty Images".
        out.fragment_set = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&out.fragments)
            .ok();
        Ok(out)
    }

    /// Returns the spans to mask in `text`.
    pub fn find(&self, text: &str) -> Vec<Span> {
        self.find_from(text, 0)
    }

    /// The spans to mask in `text`, whose lines are read from `start` on (a line starts
    /// there: " date 2023-06-23 Last updated on ..." has its body's first line after the
    /// header). `start` must be a character boundary; otherwise lines are read from 0.
    pub fn find_from(&self, text: &str, start: usize) -> Vec<Span> {
        let start = if text.is_char_boundary(start) { start } else { 0 };
        let mut spans = Vec::new();
        let longest_line = self.lines.iter().map(String::len).max().unwrap_or(0);
        // The first bytes (lower case) of the patterns: a line starting otherwise matches none.
        let mut firsts = [false; 256];
        for pattern in self.lines.iter().chain(&self.line_prefixes) {
            if let Some(&b) = pattern.as_bytes().first() {
                firsts[usize::from(b.to_ascii_lowercase())] = true;
            }
        }
        let mut line_start = start;
        for line in crate::lines_inclusive(text.get(start..).unwrap_or("")) {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim().as_bytes();
            // Patterns are stored lower case; compare ASCII-case-insensitively in place.
            let starts_with =
                |p: &String| trimmed.len() >= p.len() && trimmed[..p.len()].eq_ignore_ascii_case(p.as_bytes());
            // (a pattern starting with another byte is passed over without comparing more)
            let first = trimmed.first().map_or(0, u8::to_ascii_lowercase);
            let same_first = |p: &String| p.as_bytes().first().is_some_and(|b| b.to_ascii_lowercase() == first);
            let whole = firsts[usize::from(first)]
                && !trimmed.is_empty()
                && ((trimmed.len() <= longest_line
                    && self.lines.iter().any(|l| same_first(l) && l.as_bytes().eq_ignore_ascii_case(trimmed)))
                    || self.line_prefixes.iter().any(|p| same_first(p) && starts_with(p)));
            if whole {
                spans.push(Span::new(line_start, line_start + content.len()));
            }
            line_start += line.len();
        }
        if let Some(automaton) = &self.fragment_set {
            for m in automaton.find_iter(text) {
                spans.push(Span::new(m.start(), m.end()));
            }
        }
        spans
    }

    /// Masks crawl residue: returns a copy of `text`, same byte length, with residue
    /// replaced by spaces.
    ///
    /// ```
    /// use mercato_text::mask::Boilerplate;
    /// let text = "AdvertisementGetty Images SportImpact at Monterrey";
    /// let masked = Boilerplate::english().mask(text);
    /// assert_eq!(masked.len(), text.len());
    /// assert_eq!(masked.trim(), "Impact at Monterrey");
    /// ```
    pub fn mask(&self, text: &str) -> String {
        blank(text, self.find(text))
    }

    /// [`Boilerplate::mask`] with the lines read from `start` on ([`Boilerplate::find_from`]).
    pub fn mask_from(&self, text: &str, start: usize) -> String {
        blank(text, self.find_from(text, start))
    }
}

/// `text` with every byte of `spans` but newlines replaced by a space.
///
/// Every span is char-aligned (found by `str::find` or line splitting), so the result is
/// UTF-8; should that ever break, the original comes back. The spans are merged first:
/// the result is UTF-8 exactly when every merged span starts and ends on a character
/// boundary, which is checked instead of validating the result.
fn blank(text: &str, mut spans: Vec<Span>) -> String {
    spans.retain(|s| s.start < s.end);
    spans.sort_unstable_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let mut i = 0;
    while i < spans.len() {
        let start = spans[i].start;
        let mut end = spans[i].end;
        i += 1;
        while i < spans.len() && spans[i].start <= end {
            end = end.max(spans[i].end);
            i += 1;
        }
        let (Some(kept), Some(cut)) = (text.get(done..start), text.get(start..end)) else {
            return text.to_string();
        };
        out.push_str(kept);
        out.extend(cut.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
        done = end;
    }
    out.push_str(text.get(done..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The simple form of [`blank`]: byte by byte, then checked for UTF-8.
    fn blank_simply(text: &str, spans: &[Span]) -> String {
        let mut bytes = text.as_bytes().to_vec();
        for span in spans {
            for b in &mut bytes[span.start..span.end] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
        }
        String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
    }

    proptest::proptest! {
        #[test]
        fn blank_is_the_simple_blanking(
            text in "[a-zé’\n ]{0,24}",
            cuts in proptest::collection::vec((0usize..40, 0usize..8), 0..5),
        ) {
            let spans: Vec<Span> = cuts
                .iter()
                .map(|&(s, n)| Span::new(s.min(text.len()), (s + n).min(text.len())))
                .filter(|s| s.start <= s.end)
                .collect();
            proptest::prop_assert_eq!(blank(&text, spans.clone()), blank_simply(&text, &spans));
        }
    }

    #[test]
    fn shipped_file_parses() {
        let parsed = Boilerplate::parse(ENGLISH);
        assert!(parsed.is_ok(), "{parsed:?}");
        assert!(parsed.map(|b| b.fragments.len()).unwrap_or(0) > 5);
    }

    #[test]
    fn masks_asides_and_prompts() {
        let text = "Rossi signed.\nSPORTSLENS VIEW\nRossi will shine.\nDo you see Rossi leaving? If yes, then where?\n";
        let masked = Boilerplate::english().mask(text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("SPORTSLENS"));
        assert!(!masked.contains("If yes"));
        assert!(masked.contains("Rossi will shine."));
    }

    #[test]
    fn bad_rows_are_reported() {
        assert_eq!(
            Boilerplate::parse("fragment\n").map(|_| ()),
            Err(BoilerplateError { line: 1, message: "expected kind<TAB>pattern".into() })
        );
        assert!(Boilerplate::parse("weird\tx").is_err());
    }
}
