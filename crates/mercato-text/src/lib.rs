//! # mercato-text: the *read → clean* stage
//!
//! Everything here is pure (no IO) and never fails on odd input: a broken article
//! gives a best-effort result.
//!
//! * [`header`]: the ` date YYYY-MM-DD` first line of crawled articles.
//! * [`mask`]: crawl residue (ad and photo-credit fragments, editorial asides, reader
//!   prompts) replaced by spaces, so every byte offset stays valid in the original text.
//! * [`sentences`]: a sentence splitter that knows abbreviations, initials and quotes.
//! * [`fold`]: accent and case folding with a map back to original byte offsets.
//!
//! ```
//! let text = " date 2021-01-13 Ramos joined PSG. He is 35.";
//! let header = mercato_text::header::parse_header(text).unwrap();
//! assert_eq!(header.date.to_string(), "2021-01-13");
//! let sentences = mercato_text::sentences::split(text, header.body_start);
//! assert_eq!(sentences.len(), 2);
//! ```

pub mod fold;
pub mod header;
pub mod mask;
pub mod sentences;

/// The lines of `text`, each with its `\n`, as `str::split_inclusive('\n')` gives them,
/// found by a vectorised search.
///
/// ```
/// let lines: Vec<&str> = mercato_text::lines_inclusive("a\nb c\n\nd").collect();
/// assert_eq!(lines, vec!["a\n", "b c\n", "\n", "d"]);
/// ```
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // just past a newline (an ASCII byte): a character boundary
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// A half-open byte range `[start, end)` into an article's original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_inclusive_is_split_inclusive() {
        for text in ["", "\n", "a", "a\n", "\n\na", "a\nb\n", "é\nü’\r\n x", "a\n\n\nb"] {
            let fast: Vec<&str> = super::lines_inclusive(text).collect();
            let simple: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(fast, simple, "{text:?}");
        }
    }
}
