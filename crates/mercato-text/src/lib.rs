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
