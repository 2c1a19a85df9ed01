//! Saved web pages: the main content (readability, a port of Mozilla's Readability.js)
//! as plain text with paragraphs kept apart, and the publication date from the page's
//! metadata (JSON-LD, OpenGraph `article:published_time`, `<time datetime>`) when present.

use ego_tree::iter::Edge;
use scraper::{Html, Node, Selector};

/// What a page gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Headline, then the main text, paragraphs separated by blank lines.
    pub text: String,
    /// `YYYY-MM-DD` from the page's metadata.
    pub published: Option<String>,
    pub title: Option<String>,
}

/// Elements whose end closes a paragraph.
const BLOCKS: [&str; 18] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "article",
    "section",
    "header",
    "tr",
    "figcaption",
];

/// Text of an HTML fragment: text nodes in order, a blank line after each block element,
/// scripts and styles left out, whitespace runs collapsed within a paragraph.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut skip_depth = 0usize;
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if matches!(e.name(), "script" | "style" | "noscript" | "template") => skip_depth += 1,
                Node::Text(t) if skip_depth == 0 => current.push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if matches!(e.name(), "script" | "style" | "noscript" | "template") {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else if BLOCKS.contains(&e.name()) {
                        flush(&mut current, &mut paragraphs);
                    }
                }
            }
        }
    }
    flush(&mut current, &mut paragraphs);
    paragraphs.join("\n\n")
}

fn flush(current: &mut String, paragraphs: &mut Vec<String>) {
    let flat = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !flat.is_empty() {
        paragraphs.push(flat);
    }
    current.clear();
}

/// `YYYY-MM-DD` at the start of a metadata date (`2024-07-01T10:00:00+02:00`).
fn day(s: &str) -> Option<String> {
    let head = s.trim().get(..10)?;
    let ok = head.len() == 10
        && head.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    ok.then(|| head.to_string())
}

/// The main content and date of a page; `None` when the page has no readable text.
pub fn page(html: &str, url: Option<&str>) -> Option<Page> {
    let options = readabilityrs::ReadabilityOptions::builder().char_threshold(200).build();
    let parsed = readabilityrs::Readability::new(html, url, Some(options)).ok().and_then(|r| r.parse());
    let (title, body, published) = match parsed {
        Some(a) => (a.title, a.content.map(|c| html_to_text(&c)), a.published_time),
        None => (None, None, None),
    };
    // a short page that readability declines: its body text
    let body = body.filter(|b| !b.trim().is_empty()).or_else(|| {
        let doc = Html::parse_document(html);
        let sel = Selector::parse("body").ok()?;
        let inner = doc.select(&sel).next()?.html();
        Some(html_to_text(&inner)).filter(|t| !t.trim().is_empty())
    })?;
    let published = published.as_deref().and_then(day).or_else(|| meta_date(html));
    let text = match &title {
        Some(t) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}"),
        _ => body,
    };
    Some(Page { text, published, title })
}

/// The date in the page's own markup when readability found none.
fn meta_date(html: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let metas = Selector::parse(
        "meta[property='article:published_time'], meta[name='date'], meta[itemprop='datePublished'], meta[name='pubdate']",
    )
    .ok()?;
    let from_meta = doc.select(&metas).find_map(|m| m.value().attr("content").and_then(day));
    from_meta.or_else(|| {
        let times = Selector::parse("time[datetime]").ok()?;
        doc.select(&times).find_map(|t| t.value().attr("datetime").and_then(day))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head><title>Roma close in on Bellandi | Daily Planet</title>
<meta property="article:published_time" content="2024-07-01T09:30:00+02:00">
<script>var tracking = "Juventus";</script></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/football">Football</a></nav>
<article><h1>Roma close in on Bellandi</h1>
<p>Roma are in advanced talks with Sevilla over Marco Bellandi, according to Diario Gol. The defender has a contract until June 2026 and the clubs are discussing a fee of 12 million euros.</p>
<p>Bellandi, 29, is expected to undergo a medical next week if the two clubs reach an agreement on the add-ons.</p>
</article><footer>Copyright Daily Planet. Cookie settings.</footer></body></html>"#;

    #[test]
    fn a_page_gives_its_main_text_and_date() {
        let page = page(PAGE, Some("https://example.com/roma-bellandi")).unwrap();
        assert_eq!(page.published.as_deref(), Some("2024-07-01"));
        assert!(page.text.contains("Roma are in advanced talks with Sevilla over Marco Bellandi"), "{}", page.text);
        // paragraphs stay apart, and the page furniture and scripts are gone
        assert!(page.text.contains("euros.\n\nBellandi, 29,"), "{}", page.text);
        assert!(!page.text.contains("Cookie") && !page.text.contains("tracking"), "{}", page.text);
    }

    #[test]
    fn block_elements_end_paragraphs() {
        assert_eq!(html_to_text("<p>One.</p><p>Two <b>bold</b>.</p><script>x()</script>"), "One.\n\nTwo bold.");
    }

    #[test]
    fn a_time_element_dates_a_page_without_metadata() {
        assert_eq!(
            meta_date("<html><body><time datetime=\"2023-01-31\">31 Jan</time></body></html>").as_deref(),
            Some("2023-01-31")
        );
    }
}
