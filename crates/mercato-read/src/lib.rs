//! # mercato-read: the *read* stage
//!
//! Streams articles from the inputs mercato accepts, one item at a time, so memory stays
//! flat in corpus size:
//!
//! * a JSON Lines corpus (`{"id","text","published"?,"url"?}` per line; `.jsonl`/`.ndjson`),
//! * a single `.txt` file (id = file stem),
//! * a saved web page (`.html`/`.htm`: its main content, and its date from the page's
//!   metadata; see [`html`]),
//! * an RSS or Atom feed file (`.xml`/`.rss`/`.atom`: one article per item; see [`feed`]),
//! * a directory of such files, in name order,
//! * `-` for standard input (JSON Lines if it starts with `{`, else one text article).
//!
//! Every bad item (invalid UTF-8, malformed JSON, empty, huge or binary text, missing
//! path) is an [`ReadError`] naming the file and line; the iterator then goes on.
//!
//! ```
//! use mercato_read::{read_jsonl, RawArticle};
//! let input = "{\"id\":\"a1\",\"text\":\"Rossi joined Roma.\"}\nnot json\n";
//! let items: Vec<_> = read_jsonl("demo.jsonl", input.as_bytes(), Default::default()).collect();
//! assert_eq!(items.len(), 2);
//! assert_eq!(items[0].as_ref().map(|a| a.id.as_str()).ok(), Some("a1"));
//! assert!(items[1].is_err());
//! ```

pub mod feed;
pub mod html;
pub mod web;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One article as read, before any cleaning.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct RawArticle {
    pub id: String,
    pub text: String,
    /// The input's own `published` field (`YYYY-MM-DD`), if any.
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// Limits applied while reading.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest article text accepted, in bytes.
    pub max_article_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_article_bytes: 8 * 1024 * 1024 }
    }
}

/// Why one input item could not be read. Each names where it happened.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: no such file or directory")]
    Missing { path: String },
    #[error("{path}{}: invalid UTF-8 at byte {at}", line_suffix(*line))]
    Utf8 { path: String, line: Option<usize>, at: usize },
    #[error("{path}:{line}: malformed JSON: {message}")]
    Json { path: String, line: usize, message: String },
    #[error("{path}{}: empty article text", line_suffix(*line))]
    Empty { path: String, line: Option<usize> },
    #[error("{path}{}: article is {size} bytes, over the limit of {limit} bytes", line_suffix(*line))]
    TooLarge { path: String, line: Option<usize>, size: usize, limit: usize },
    #[error("{path}{}: looks binary (NUL or control bytes), not text", line_suffix(*line))]
    Binary { path: String, line: Option<usize> },
    #[error("{path}: unsupported file type (expected .jsonl, .ndjson, .json, .txt, .html or .xml/.rss/.atom)")]
    Unsupported { path: String },
    #[error("{path}: not a readable RSS/Atom feed: {message}")]
    Feed { path: String, message: String },
    #[error("{path}: no readable article text in the page")]
    NoContent { path: String },
    #[error("{url}: cannot fetch: {message}")]
    Fetch { url: String, message: String },
}

fn line_suffix(line: Option<usize>) -> String {
    line.map_or(String::new(), |l| format!(":{l}"))
}

/// A stream of read results.
pub type Articles = Box<dyn Iterator<Item = Result<RawArticle, ReadError>> + Send>;

/// Opens any accepted input (`-` is standard input).
pub fn open(input: &str, limits: Limits) -> Articles {
    if input == "-" {
        return read_stdin(limits);
    }
    let path = Path::new(input);
    if !path.exists() {
        return one_err(ReadError::Missing { path: input.to_string() });
    }
    if path.is_dir() {
        return read_dir(path, limits);
    }
    read_file(path, limits)
}

fn one_err(err: ReadError) -> Articles {
    Box::new(std::iter::once(Err(err)))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn is_jsonl(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("jsonl" | "ndjson" | "json")
    )
}

fn extension(path: &Path) -> Option<String> {
    path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase)
}

fn is_html(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("html" | "htm"))
}

fn is_feed(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("xml" | "rss" | "atom"))
}

fn is_txt(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(), Some("txt" | "text"))
}

fn read_file(path: &Path, limits: Limits) -> Articles {
    let name = display(path);
    if is_jsonl(path) {
        return match File::open(path) {
            Ok(file) => Box::new(read_jsonl(&name, BufReader::new(file), limits)),
            Err(source) => one_err(ReadError::Io { path: name, source }),
        };
    }
    let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("article").to_string();
    if is_html(path) {
        return Box::new(std::iter::once(read_html_file(path, id, limits)));
    }
    if is_feed(path) {
        return read_feed_file(path, limits);
    }
    Box::new(std::iter::once(read_text_file(path, id, limits)))
}

/// A saved page: its main text, and its date from the page's metadata.
fn read_html_file(path: &Path, id: String, limits: Limits) -> Result<RawArticle, ReadError> {
    let name = display(path);
    let raw =
        read_text_file(path, id.clone(), Limits { max_article_bytes: limits.max_article_bytes.saturating_mul(4) })?;
    let page = html::page(&raw.text, None).ok_or_else(|| ReadError::NoContent { path: name.clone() })?;
    check_text(&page.text, &name, None, limits)?;
    Ok(RawArticle { id, text: page.text, published: page.published, url: None })
}

/// A feed file: one article per item (its content or summary).
fn read_feed_file(path: &Path, limits: Limits) -> Articles {
    let name = display(path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(source) => return one_err(ReadError::Io { path: name, source }),
    };
    match feed::parse(&bytes, &name) {
        Ok(items) => Box::new(items.into_iter().map(move |item| {
            let article = item.article();
            check_text(&article.text, &format!("{name}#{}", item.guid), None, limits)?;
            Ok(article)
        })),
        Err(err) => one_err(err),
    }
}

fn read_text_file(path: &Path, id: String, limits: Limits) -> Result<RawArticle, ReadError> {
    let name = display(path);
    let file = File::open(path).map_err(|source| ReadError::Io { path: name.clone(), source })?;
    let mut bytes = Vec::new();
    // Read one byte past the limit so a huge file is refused without slurping it.
    file.take(limits.max_article_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io { path: name.clone(), source })?;
    if bytes.len() > limits.max_article_bytes {
        let size = std::fs::metadata(path).map(|m| m.len() as usize).unwrap_or(bytes.len());
        return Err(ReadError::TooLarge { path: name, line: None, size, limit: limits.max_article_bytes });
    }
    let text = text_from_bytes(bytes, &name, None)?;
    check_text(&text, &name, None, limits)?;
    Ok(RawArticle { id, text, published: None, url: None })
}

fn read_dir(path: &Path, limits: Limits) -> Articles {
    let name = display(path);
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(source) => return one_err(ReadError::Io { path: name, source }),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && (is_txt(p) || is_jsonl(p) || is_html(p) || is_feed(p)))
        .collect();
    files.sort();
    Box::new(files.into_iter().flat_map(move |file| read_file(&file, limits)))
}

fn read_stdin(limits: Limits) -> Articles {
    let mut reader = BufReader::new(std::io::stdin());
    let first = match reader.fill_buf() {
        Ok(buf) => buf.iter().find(|b| !b.is_ascii_whitespace()).copied(),
        Err(source) => return one_err(ReadError::Io { path: "<stdin>".into(), source }),
    };
    if first == Some(b'{') {
        return Box::new(read_jsonl("<stdin>", reader, limits));
    }
    let mut bytes = Vec::new();
    let result = reader
        .take(limits.max_article_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io { path: "<stdin>".into(), source })
        .and_then(|_| {
            if bytes.len() > limits.max_article_bytes {
                return Err(ReadError::TooLarge {
                    path: "<stdin>".into(),
                    line: None,
                    size: bytes.len(),
                    limit: limits.max_article_bytes,
                });
            }
            let text = text_from_bytes(bytes, "<stdin>", None)?;
            check_text(&text, "<stdin>", None, limits)?;
            Ok(RawArticle { id: "stdin".into(), text, published: None, url: None })
        });
    Box::new(std::iter::once(result))
}

/// Streams a JSON Lines corpus; blank lines are skipped, every other line is one item.
pub fn read_jsonl<R: BufRead + Send + 'static>(
    name: &str,
    mut reader: R,
    limits: Limits,
) -> impl Iterator<Item = Result<RawArticle, ReadError>> + Send {
    let name = name.to_string();
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    std::iter::from_fn(move || loop {
        buf.clear();
        line_no += 1;
        // A JSON line may hold an article up to the limit plus JSON overhead.
        let cap = (limits.max_article_bytes as u64).saturating_mul(2) + 4096;
        let read = (&mut reader).take(cap).read_until(b'\n', &mut buf);
        match read {
            Ok(0) => return None,
            Ok(_) => {}
            Err(source) => return Some(Err(ReadError::Io { path: name.clone(), source })),
        }
        if buf.len() as u64 >= cap && buf.last() != Some(&b'\n') {
            // Skip the rest of the over-long line.
            let mut sink = Vec::new();
            let _ = reader.read_until(b'\n', &mut sink);
            let size = buf.len() + sink.len();
            return Some(Err(ReadError::TooLarge {
                path: name.clone(),
                line: Some(line_no),
                size,
                limit: limits.max_article_bytes,
            }));
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        return Some(parse_line(&name, line_no, &buf, limits));
    })
}

fn parse_line(name: &str, line: usize, bytes: &[u8], limits: Limits) -> Result<RawArticle, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::Utf8 {
        path: name.to_string(),
        line: Some(line),
        at: e.valid_up_to(),
    })?;
    let article: RawArticle = serde_json::from_str(text).map_err(|e| ReadError::Json {
        path: name.to_string(),
        line,
        message: e.to_string(),
    })?;
    if article.id.trim().is_empty() {
        return Err(ReadError::Json { path: name.to_string(), line, message: "empty \"id\"".into() });
    }
    check_text(&article.text, name, Some(line), limits)?;
    Ok(article)
}

fn text_from_bytes(bytes: Vec<u8>, name: &str, line: Option<usize>) -> Result<String, ReadError> {
    if bytes.contains(&0) {
        return Err(ReadError::Binary { path: name.to_string(), line });
    }
    String::from_utf8(bytes).map_err(|e| ReadError::Utf8 {
        path: name.to_string(),
        line,
        at: e.utf8_error().valid_up_to(),
    })
}

/// The control characters of `bytes`: C0 bytes but tab, newline and return, DEL, and C1
/// (0xC2 0x80..=0x9F). Eight bytes at a time: only words holding a byte below 0x20 or DEL,
/// or a 0xC2, are looked at byte by byte.
fn controls(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // (per byte of a word, `x - n` with the byte's own high bit clear sets the high bit
    // where a byte is below `n`, `n` at most 128; a byte equal to `b` is below 1 after
    // `^ b`)
    let control_at = |i: usize| {
        let b = bytes[i];
        (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t'))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    };
    let mut count = 0;
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let x = u64::from_le_bytes(word);
        // (the three tests' high bits or-ed: one branch a word)
        let (del, c2) = (x ^ (ONES * 0x7f), x ^ (ONES * 0xc2));
        let flagged =
            (x.wrapping_sub(ONES * 0x20) & !x) | (del.wrapping_sub(ONES) & !del) | (c2.wrapping_sub(ONES) & !c2);
        if flagged & HIGH != 0 {
            count += (i..i + 8).filter(|&k| control_at(k)).count();
        }
        i += 8;
    }
    count + (i..bytes.len()).filter(|&k| control_at(k)).count()
}

fn check_text(text: &str, name: &str, line: Option<usize>, limits: Limits) -> Result<(), ReadError> {
    if text.trim().is_empty() {
        return Err(ReadError::Empty { path: name.to_string(), line });
    }
    if text.len() > limits.max_article_bytes {
        return Err(ReadError::TooLarge {
            path: name.to_string(),
            line,
            size: text.len(),
            limit: limits.max_article_bytes,
        });
    }
    // Control characters in the first 4 KiB: C0 bytes (but tab, newline, return), DEL,
    // and C1 (encoded 0xC2 0x80..=0x9F). Counted on bytes: no UTF-8 decoding needed.
    let head = &text.as_bytes()[..text.len().min(4096)];
    let control = controls(head);
    if text.as_bytes().contains(&0) || control > 8 {
        return Err(ReadError::Binary { path: name.to_string(), line });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(input: &[u8]) -> Vec<Result<RawArticle, String>> {
        read_jsonl("t.jsonl", std::io::Cursor::new(input.to_vec()), Limits { max_article_bytes: 64 })
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn good_and_bad_lines_each_report_and_go_on() {
        let input = b"{\"id\":\"a\",\"text\":\"Rossi.\",\"published\":\"2024-01-02\"}\n\n{bad\n{\"id\":\"b\",\"text\":\"\xff\"}\n{\"id\":\"c\",\"text\":\"  \"}\n{\"id\":\"d\",\"text\":\"ok\"}\n";
        let got = items(input);
        assert_eq!(got.len(), 5);
        assert_eq!(got[0].as_ref().map(|a| a.published.clone()), Ok(Some("2024-01-02".into())));
        assert!(got[1].as_ref().err().is_some_and(|e| e.starts_with("t.jsonl:3: malformed JSON")));
        assert!(got[2].as_ref().err().is_some_and(|e| e.contains("t.jsonl:4: invalid UTF-8")));
        assert!(got[3].as_ref().err().is_some_and(|e| e.contains("t.jsonl:5: empty")));
        assert!(got[4].is_ok());
    }

    #[test]
    fn huge_line_is_refused_and_stream_goes_on() {
        let mut input = format!("{{\"id\":\"big\",\"text\":\"{}\"}}\n", "x".repeat(500)).into_bytes();
        input.extend_from_slice(b"{\"id\":\"small\",\"text\":\"ok\"}\n");
        let got = items(&input);
        assert_eq!(got.len(), 2);
        assert!(got[0].as_ref().err().is_some_and(|e| e.contains("over the limit")));
        assert!(got[1].is_ok());
    }

    #[test]
    fn missing_path_is_one_error() {
        let got: Vec<_> = open("/no/such/mercato/path.jsonl", Limits::default()).collect();
        assert_eq!(got.len(), 1);
        assert!(got[0].as_ref().err().is_some_and(|e| e.to_string().contains("no such file")));
    }

    #[test]
    fn binary_text_is_refused() {
        let err = check_text("a\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\u{b}\u{c}", "f", None, Limits::default());
        assert!(matches!(err, Err(ReadError::Binary { .. })));
    }

    /// Up to eight control characters (C0, DEL or C1) pass, nine do not; tabs, newlines
    /// and returns never count, and a lone 0xC2 lead byte before other text is no C1.
    #[test]
    fn control_characters_are_counted_by_kind() {
        let binary = |t: &str| matches!(check_text(t, "f", None, Limits::default()), Err(ReadError::Binary { .. }));
        let text = |controls: &str| format!("Marco Bellandi signs.{controls}\t\n\r Done.");
        assert!(!binary(&text(&"\u{7f}\u{85}\u{1}\u{9c}".repeat(2))));
        assert!(binary(&text(&("\u{7f}\u{85}\u{1}\u{9c}".repeat(2) + "\u{80}"))));
        assert!(!binary(&text(&"\t\n\r".repeat(20))));
        assert!(!binary(&text(&"\u{a0}\u{bf}".repeat(20))));
        assert!(binary("nul \u{0} inside"));
    }

    /// The word-at-a-time count agrees with a byte loop for every byte value at every
    /// position of a word, and for a C1 pair split across two words.
    #[test]
    fn controls_counts_like_a_byte_loop() {
        let naive = |b: &[u8]| {
            (0..b.len())
                .filter(|&i| {
                    (b[i] < 0x20 && !matches!(b[i], b'\n' | b'\r' | b'\t'))
                        || b[i] == 0x7f
                        || (b[i] == 0xc2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
                })
                .count()
        };
        for byte in 0..=255u8 {
            for at in 0..20 {
                let mut text = b"Tomas Rurik joins them".to_vec();
                text[at] = byte;
                text.insert(at + 1, 0x85);
                assert_eq!(super::controls(&text), naive(&text), "byte {byte:#x} at {at}");
            }
        }
    }
}
