//! `retrace extract` output: one extracted article per input record, as a JSON line or as text.
//!
//! The JSON line (stable; scripts read it):
//! ```text
//! {"origin": "crawl.warc.gz@1234", "file": "crawl.warc.gz", "offset": 1234, "line": null,
//!  "id": "urn:uuid:…", "format": "html", "url": "…", "site": "…", "title": "…",
//!  "title_span": Span|null, "byline": "…", "published": {"value": "…", "from": "json-ld"},
//!  "language": "eng", "charset": {"name": "UTF-8", "from": "utf-8", "replaced": 0},
//!  "chars": N, "paragraphs": [{"text": "…", "start": 0, "end": 0, "line": 1}],
//!  "embedded": [{"title": …, "title_span": …, "language": …, "chars": N, "paragraphs": […]}]}
//! ```
//! `offset` is the WARC record's byte offset in the file (for a WARC.gz, its gzip member's, as CDX
//! indexes give it; in the decompressed stream when the origin reads `file@gunzip:N`), `line` the
//! JSON line (both null for a plain file). Spans index the document's text as decoded (for a UTF-8 file,
//! its bytes on disk; for a WARC record, its payload; for a JSON line, its article field).

use std::fmt::Write;

use retrace_extract::Article;
use retrace_ingest::{Format, RawDoc};
use retrace_span::{LineIndex, Origin, Span};
use serde::Serialize;

/// A span of the input without its text (the text is given beside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// 1-based line of `start`.
    pub line: u32,
}

/// One paragraph of a body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParagraphJson {
    /// The paragraph as extracted.
    pub text: String,
    /// Where it stands in the input: from its first to its last byte there.
    #[serde(flatten)]
    pub place: Place,
}

/// The publication time and where it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedJson {
    /// As written in the page or the record.
    pub value: String,
    /// `json-ld`, `meta`, `time`, `readability`, `record`, `text` (a date line above a text dump's body) or `warc-date`.
    pub from: &'static str,
}

/// How the input was decoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CharsetJson {
    /// The charset's WHATWG name.
    pub name: &'static str,
    /// What decided it: `bom`, `utf-8`, `http`, `meta` or `detected`.
    pub from: &'static str,
    /// Invalid byte sequences replaced by U+FFFD.
    pub replaced: u64,
}

/// An article pasted after the main one.
#[derive(Clone, Debug, Serialize)]
pub struct EmbeddedJson {
    /// Its headline.
    pub title: Option<String>,
    /// Where the headline stands.
    pub title_span: Option<Place>,
    /// Its language.
    pub language: Option<&'static str>,
    /// Characters of body text.
    pub chars: usize,
    /// Its body.
    pub paragraphs: Vec<ParagraphJson>,
}

/// One extracted article, as `retrace extract --format jsonl` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleJson {
    /// Where the record came from, displayed (`file`, `file@offset`, `file:line`).
    pub origin: String,
    /// The file (or `-` for standard input).
    pub file: String,
    /// A WARC record's byte offset: in the file (for a WARC.gz, that of its gzip member, as
    /// CDX indexes give it), or in the decompressed stream when `origin` says `@gunzip:`.
    pub offset: Option<u64>,
    /// A JSON record's line.
    pub line: Option<u64>,
    /// The record's id (WARC-Record-ID, the JSON id field).
    pub id: Option<String>,
    /// `html` or `text`.
    pub format: &'static str,
    /// The page's URL.
    pub url: Option<String>,
    /// The site.
    pub site: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// Where the headline stands in the input.
    pub title_span: Option<Place>,
    /// The author.
    pub byline: Option<String>,
    /// The publication time.
    pub published: Option<PublishedJson>,
    /// The body's language (ISO 639-3).
    pub language: Option<&'static str>,
    /// How the input was decoded.
    pub charset: CharsetJson,
    /// Characters of body text.
    pub chars: usize,
    /// The body.
    pub paragraphs: Vec<ParagraphJson>,
    /// Articles pasted after this one.
    pub embedded: Vec<EmbeddedJson>,
}

impl ArticleJson {
    /// Resolves every span of `article` against its input `raw`.
    pub fn new(raw: &RawDoc, article: &Article) -> ArticleJson {
        let lines = LineIndex::new(&raw.text);
        let place = |span: Span| Place {
            start: span.start,
            end: span.end,
            line: lines.line(span.start),
        };
        let paragraphs = |article: &Article| {
            article
                .paragraphs()
                .map(|(range, text)| ParagraphJson {
                    text: text.to_owned(),
                    place: place(article.span(range)),
                })
                .collect::<Vec<_>>()
        };
        let file = match raw.origin.file() {
            Origin::Stdin => "-".to_owned(),
            other => other.to_string(),
        };
        ArticleJson {
            origin: raw.origin.to_string(),
            file,
            offset: raw.origin.offset(),
            line: raw.origin.line(),
            id: raw.record.id.clone(),
            format: match raw.format {
                Format::Html => "html",
                Format::Text => "text",
            },
            url: article.url.clone(),
            site: article.site.clone(),
            title: article.title.clone(),
            title_span: article.title_span.map(place),
            byline: article.byline.clone(),
            published: article.published.clone().map(|value| PublishedJson {
                value,
                from: article.published_from.map_or("page", |from| from.as_str()),
            }),
            language: article.language,
            charset: CharsetJson {
                name: raw.decoding.charset,
                from: raw.decoding.by.as_str(),
                replaced: raw.decoding.replaced,
            },
            chars: article.text.chars().count(),
            paragraphs: paragraphs(article),
            embedded: article
                .embedded
                .iter()
                .map(|embedded| EmbeddedJson {
                    title: embedded.title.clone(),
                    title_span: embedded.title_span.map(place),
                    language: embedded.language,
                    chars: embedded.text.chars().count(),
                    paragraphs: paragraphs(embedded),
                })
                .collect(),
        }
    }

    /// One line of JSON, with its newline.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("an article serializes");
        line.push('\n');
        line
    }

    /// The article as text for people: a header of metadata, then the body.
    pub fn to_text(&self) -> String {
        crate::terminal::printable(&self.text_raw()).into_owned()
    }

    /// [`ArticleJson::to_text`] before control characters are escaped.
    fn text_raw(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "=== {}", self.origin);
        let mut field = |name: &str, value: Option<&str>| {
            if let Some(value) = value {
                let _ = writeln!(out, "{name:<11}{value}");
            }
        };
        field("title:", self.title.as_deref());
        field("url:", self.url.as_deref());
        field("site:", self.site.as_deref());
        field("byline:", self.byline.as_deref());
        let published = self
            .published
            .as_ref()
            .map(|p| format!("{} (from {})", p.value, p.from));
        field("published:", published.as_deref());
        field("language:", self.language);
        let charset = (self.charset.name != "UTF-8" || self.charset.replaced > 0).then(|| {
            format!(
                "{} ({}; {} invalid sequences replaced)",
                self.charset.name, self.charset.from, self.charset.replaced
            )
        });
        field("charset:", charset.as_deref());
        out.push('\n');
        for paragraph in &self.paragraphs {
            let _ = writeln!(out, "{}\n", paragraph.text);
        }
        for (n, embedded) in self.embedded.iter().enumerate() {
            let title = embedded.title.as_deref().unwrap_or("(untitled)");
            let _ = writeln!(out, "--- embedded article {}: {title}\n", n + 1);
            for paragraph in &embedded.paragraphs {
                let _ = writeln!(out, "{}\n", paragraph.text);
            }
        }
        out
    }
}
