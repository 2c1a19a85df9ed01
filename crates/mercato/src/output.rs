//! Writing extractions: JSON Lines, a streamed JSON array, or a human summary.

use crate::cli::Format;
use mercato_extract::{Evidence, Extraction};
use std::io::{self, Write};

/// Longest evidence excerpt shown by the pretty format, in characters.
const EXCERPT_CHARS: usize = 160;

/// True when `err` means the reader of our output went away (`| head`).
pub fn is_broken_pipe(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::BrokenPipe
}

/// Turns a broken pipe into success: the reader has all it wanted.
pub fn ignore_broken_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(err) if is_broken_pipe(&err) => Ok(()),
        other => other,
    }
}

/// Streams extractions to a writer in one of the output formats.
pub struct Sink<W: Write> {
    out: W,
    format: Format,
    written: usize,
}

impl<W: Write> Sink<W> {
    /// Starts the output (the `[` of a JSON array).
    pub fn begin(out: W, format: Format) -> io::Result<Sink<W>> {
        let mut sink = Sink { out, format, written: 0 };
        if format == Format::Json {
            sink.out.write_all(b"[")?;
        }
        Ok(sink)
    }

    /// Writes one article's extraction; `text` is the article text the evidence offsets
    /// point into.
    pub fn item(&mut self, text: &str, extraction: &Extraction) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, extraction)?;
                self.out.write_all(b"\n")?;
            }
            Format::Json => {
                if self.written > 0 {
                    self.out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut self.out, extraction)?;
            }
            Format::Pretty => {
                if self.written > 0 {
                    self.out.write_all(b"\n")?;
                }
                write_pretty(&mut self.out, text, extraction)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Pushes buffered output to the writer (done after each chunk so output streams).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Ends the output (the `]` of a JSON array) and flushes it.
    pub fn finish(mut self) -> io::Result<()> {
        if self.format == Format::Json {
            self.out.write_all(b"]\n")?;
        }
        self.out.flush()
    }
}

/// The evidence text, whitespace collapsed and cut to [`EXCERPT_CHARS`] characters.
pub fn excerpt(text: &str, evidence: Evidence) -> String {
    let Some(raw) = text.get(evidence.start..evidence.end) else {
        return format!("<evidence {}..{} is not a valid span of the text>", evidence.start, evidence.end);
    };
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= EXCERPT_CHARS {
        return collapsed;
    }
    let mut cut: String = collapsed.chars().take(EXCERPT_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// "2021-06-01 to 2021-09-01", or one day.
fn span_str(v: mercato_time::Interval) -> String {
    if v.start == v.end {
        v.start.to_string()
    } else {
        format!("{} to {}", v.start, v.end)
    }
}

/// Writes the human summary of one article.
pub fn write_pretty<W: Write>(out: &mut W, text: &str, x: &Extraction) -> io::Result<()> {
    match &x.published.date {
        Some(date) => write!(out, "{}  published {} ({})", x.id, date, x.published.how.as_str())?,
        None => write!(out, "{}  publication date unknown", x.id)?,
    }
    if let Some([from, to]) = &x.published.range {
        write!(out, ", between {from} and {to}")?;
    }
    writeln!(out)?;
    if x.links.is_empty() {
        writeln!(out, "  (no links)")?;
    }
    for link in &x.links {
        let mut tags: Vec<String> = Vec::new();
        if let Some(stage) = link.stage {
            tags.push(format!("{stage:?}").to_lowercase());
        }
        if link.hedged {
            tags.push("hedged".into());
        }
        write!(out, "  {:<7} {} → {}", link.kind.as_str(), link.player, link.club)?;
        if !tags.is_empty() {
            write!(out, "  [{}]", tags.join(", "))?;
        }
        if !link.attributed_to.is_empty() {
            write!(out, "  via {}", link.attributed_to.join(", "))?;
        }
        if let Some(when) = &link.when {
            write!(out, "  when \"{}\"", when.text)?;
            if let Some(v) = when.value {
                write!(out, " = {}", span_str(v))?;
            }
        }
        writeln!(out)?;
        writeln!(out, "          \"{}\"", excerpt(text, link.evidence))?;
    }
    if !x.sources.is_empty() {
        writeln!(out, "  sources {}", x.sources.join(", "))?;
    }
    for fact in &x.facts {
        write!(out, "  fact    {} {} = {}", fact.subject, fact.attribute, fact.value)?;
        if let Some(currency) = &fact.currency {
            write!(out, " {currency}")?;
        }
        if let Some(club) = &fact.club {
            write!(out, " ({club})")?;
        }
        if let Some(stated) = fact.stated.as_ref().filter(|s| **s != fact.value) {
            write!(out, "  from \"{stated}\"")?;
        }
        writeln!(out)?;
        writeln!(out, "          \"{}\"", excerpt(text, fact.evidence))?;
    }
    for note in &x.diagnostics {
        writeln!(out, "  note    {note}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mercato_extract::{DateHow, Link, LinkKind, Published, Stage};

    fn sample() -> Extraction {
        Extraction {
            id: "t1".into(),
            published: Published { date: Some("2024-01-02".into()), how: DateHow::Header, range: None },
            links: vec![Link {
                player: "Rossi".into(),
                club: "Roma".into(),
                kind: LinkKind::To,
                stage: Some(Stage::Talks),
                hedged: true,
                attributed_to: vec!["Daily Planet".into()],
                evidence: Evidence { start: 0, end: 20 },
                when: None,
            }],
            sources: vec!["Daily Planet".into()],
            facts: Vec::new(),
            times: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn render(format: Format, items: &[Extraction], text: &str) -> String {
        let mut buf = Vec::new();
        let mut sink = Sink::begin(&mut buf, format).expect("begin");
        for x in items {
            sink.item(text, x).expect("item");
        }
        sink.finish().expect("finish");
        String::from_utf8(buf).expect("utf8")
    }

    #[test]
    fn json_array_is_valid_for_zero_one_and_many_items() {
        let text = "Rossi may join Roma.";
        for n in [0, 1, 3] {
            let items = vec![sample(); n];
            let out = render(Format::Json, &items, text);
            let parsed: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
            assert_eq!(parsed.as_array().map(Vec::len), Some(n));
        }
    }

    #[test]
    fn jsonl_is_one_line_per_item() {
        let out = render(Format::Jsonl, &[sample(), sample()], "Rossi may join Roma.");
        assert_eq!(out.lines().count(), 2);
    }

    #[test]
    fn pretty_shows_link_tags_source_and_evidence() {
        let out = render(Format::Pretty, &[sample()], "Rossi may join  Roma.");
        assert!(out.contains("t1  published 2024-01-02 (header)"), "{out}");
        assert!(out.contains("  to      Rossi → Roma  [talks, hedged]  via Daily Planet"), "{out}");
        assert!(out.contains("\"Rossi may join Roma\""), "{out}");
    }

    #[test]
    fn excerpt_is_safe_on_bad_spans_and_long_text() {
        assert!(excerpt("héllo", Evidence { start: 2, end: 3 }).starts_with("<evidence"));
        assert!(excerpt("abc", Evidence { start: 1, end: 99 }).starts_with("<evidence"));
        let long = "é".repeat(400);
        let cut = excerpt(&long, Evidence { start: 0, end: long.len() });
        assert_eq!(cut.chars().count(), EXCERPT_CHARS);
        assert!(cut.ends_with('…'));
    }
}
