//! The publication-date header that crawled articles carry on their first line:
//! ` date 2021-01-13 Sergio Ramos can now ...`.

use chrono::NaiveDate;

/// A parsed ` date YYYY-MM-DD` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub date: NaiveDate,
    /// Byte offset where the article body starts (just after the date).
    pub body_start: usize,
}

/// Parses the header if the text starts with optional blanks, the word `date` and an
/// ISO date. Returns `None` for anything else (including an impossible date).
///
/// ```
/// use mercato_text::header::parse_header;
/// assert!(parse_header(" date 2025-12-01 Ramos ...").is_some());
/// assert!(parse_header("Ramos ...").is_none());
/// assert!(parse_header(" date 2025-02-30 x").is_none());
/// ```
pub fn parse_header(text: &str) -> Option<Header> {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    let rest = trimmed.strip_prefix("date")?;
    let after_word = rest.trim_start_matches([' ', '\t', ':']);
    if after_word.len() == rest.len() {
        return None; // "dated ..." or "date2021" is not a header
    }
    let date_str = after_word.get(..10)?;
    let date = NaiveDate::parse_from_str(date_str, "%Y-%m-%d").ok()?;
    let body_start = lead + 4 + (rest.len() - after_word.len()) + 10;
    Some(Header { date, body_start })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Option<(&str, usize)>) {
        let got = parse_header(input).map(|h| (h.date.to_string(), h.body_start));
        assert_eq!(got, expect.map(|(d, s)| (d.to_string(), s)), "input {input:?}");
    }

    #[test]
    fn headers() {
        check(" date 2021-01-13 Sergio", Some(("2021-01-13", 16)));
        check("date 2021-01-13", Some(("2021-01-13", 15)));
        check("\n date: 2024-02-29 x", Some(("2024-02-29", 18)));
        check(" date 2023-02-29 x", None);
        check("dated 2021-01-13", None);
        check(" date 2021-1-3 x", None);
        check("", None);
        check(" date 2021-01-1é", None);
    }
}
