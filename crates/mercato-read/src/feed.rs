//! RSS and Atom feeds (feed-rs): one item per entry, with its id, link, date and text
//! (title, then the content or summary with its HTML turned into text).

use crate::{html::html_to_text, RawArticle, ReadError};

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// The entry's id (an RSS `guid`, an Atom `id`), else its link.
    pub guid: String,
    pub title: Option<String>,
    /// The page the entry points to.
    pub link: Option<String>,
    /// `YYYY-MM-DD` of its publication (or last update).
    pub published: Option<String>,
    /// The title, then the content or summary as text.
    pub text: String,
}

impl FeedItem {
    /// The item as an article of its own (when its page is not fetched).
    pub fn article(&self) -> RawArticle {
        RawArticle {
            id: self.guid.clone(),
            text: self.text.clone(),
            published: self.published.clone(),
            url: self.link.clone(),
        }
    }
}

/// Parses a feed; `name` says where it came from in errors.
pub fn parse(bytes: &[u8], name: &str) -> Result<Vec<FeedItem>, ReadError> {
    let feed = feed_rs::parser::parse(bytes)
        .map_err(|e| ReadError::Feed { path: name.to_string(), message: e.to_string() })?;
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let link = e.links.first().map(|l| l.href.clone());
            let guid = if e.id.trim().is_empty() { link.clone().unwrap_or_default() } else { e.id.clone() };
            let title = e.title.map(|t| html_to_text(&t.content));
            let body = e
                .content
                .and_then(|c| c.body)
                .or_else(|| e.summary.map(|s| s.content))
                .map(|b| html_to_text(&b))
                .unwrap_or_default();
            let text = match &title {
                Some(t) if !t.is_empty() => format!("{t}\n\n{body}"),
                _ => body,
            };
            let published = e.published.or(e.updated).map(|d| d.format("%Y-%m-%d").to_string());
            FeedItem { guid, title, link, published, text: text.trim().to_string() }
        })
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Planet football</title>
<item><guid>dp-1</guid><title>Roma in talks for Bellandi</title><link>https://example.com/dp-1</link>
<pubDate>Mon, 01 Jul 2024 09:30:00 GMT</pubDate>
<description>&lt;p&gt;Roma are in talks with Sevilla over Marco Bellandi.&lt;/p&gt;</description></item>
<item><title>No guid here</title><link>https://example.com/dp-2</link><description>Napoli want Jonas Eriksen.</description></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Planet</title><id>urn:planet</id><updated>2024-07-02T00:00:00Z</updated>
<entry><id>urn:planet:1</id><title>Bellandi signs</title><link href="https://example.com/a1"/>
<updated>2024-07-02T10:00:00Z</updated><content type="html">&lt;p&gt;Marco Bellandi has joined Roma.&lt;/p&gt;</content></entry>
</feed>"#;

    #[test]
    fn rss_items_carry_id_link_date_and_text() {
        let items = parse(RSS.as_bytes(), "f.xml").unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].guid, "dp-1");
        assert_eq!(items[0].published.as_deref(), Some("2024-07-01"));
        assert_eq!(items[0].text, "Roma in talks for Bellandi\n\nRoma are in talks with Sevilla over Marco Bellandi.");
        assert_eq!(items[0].article().url.as_deref(), Some("https://example.com/dp-1"));
    }

    #[test]
    fn atom_entries_are_items_too() {
        let items = parse(ATOM.as_bytes(), "a.atom").unwrap();
        assert_eq!(items[0].guid, "urn:planet:1");
        assert_eq!(items[0].published.as_deref(), Some("2024-07-02"));
        assert!(items[0].text.ends_with("Marco Bellandi has joined Roma."));
    }

    #[test]
    fn a_broken_feed_is_one_clear_error() {
        let err = parse(b"<rss><channel><item>", "bad.xml").unwrap_err();
        assert!(err.to_string().starts_with("bad.xml: not a readable RSS/Atom feed"), "{err}");
    }
}
