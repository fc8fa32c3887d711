//! Stage 2 of retrace: the article in a [`RawDoc`].
//!
//! - Input: a [`RawDoc`] from `retrace-ingest`, plain text or HTML.
//! - Output: an [`Article`]: the headline, the metadata the page declares (byline, published
//!   time, site, canonical URL), and the body as paragraphs joined by `"\n\n"`, with an
//!   [`OffsetMap`] from every byte of the body back to the input as given. Stories pasted after
//!   the main one (an aggregator's "related articles") come back as [`Article::embedded`], each
//!   with its own text and map into the same input. What was left out is listed in
//!   [`Article::dropped`].
//! - HTML goes through `dom_smoothie` (a readability.js port) and each of its paragraphs is then
//!   located in the page's own visible text, so that `map.span(..)` of a paragraph covers the HTML
//!   that shows it. Text dumps go through a line classifier that drops site furniture (navigation,
//!   share bars, sign-up prompts, tags, comments, author biographies, repeated captions).
//! - A page nested deeper than 512 elements, with over 200,000 elements or with over 256
//!   attributes on one element is skipped with [`ErrorKind::OverLimit`] (the limits are set on
//!   the [`ExtractorBuilder`]): within them, extraction takes time linear in the page and its
//!   recursion is bounded, so it runs on a worker thread's stack.
//!
//! This crate does not normalize the text (quotes, dashes, Unicode forms: that is
//! `retrace-text`), does not split sentences, and does not fetch or follow links. It reads one
//! document at a time and decides nothing about other documents.
//!
//! ```
//! use retrace_extract::extract;
//! use retrace_ingest::{Format, RawDoc};
//! use retrace_span::Origin;
//!
//! let dump = "Skip to content\n\
//!             Ferry strike strands islanders as storm nears\n\
//!             The last ferry to Lindholm left at nine on Monday.\n\
//!             Crews walked out at noon, leaving forty people on the quay.\n\
//!             Share this article\n";
//! let doc = RawDoc::new(Origin::Stdin, dump.to_owned(), Format::Text);
//! let article = extract(&doc)?;
//! assert_eq!(article.title.as_deref(), Some("Ferry strike strands islanders as storm nears"));
//! assert_eq!(
//!     article.text,
//!     "The last ferry to Lindholm left at nine on Monday.\n\n\
//!      Crews walked out at noon, leaving forty people on the quay."
//! );
//! // "Crews" is byte 52 of the body and byte 113 of the input.
//! let span = article.map.span(52..57);
//! assert_eq!(span.slice(&doc.text), "Crews");
//! assert_eq!(article.dropped.len(), 2);
//! # Ok::<(), retrace_extract::Error>(())
//! ```
#![deny(missing_docs)]

mod container;
mod furniture;
mod html;
mod meta;
mod parse;
mod tables;
mod textdump;
mod visible;

use std::ops::Range;

pub use meta::DateFrom;
use retrace_ingest::{Format, RawDoc};
use retrace_span::{OffsetMap, OffsetMapBuilder, Origin, Skipped, Span, offset};

/// The article found in one input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Where the input came from.
    pub origin: Origin,
    /// The headline: from the page's metadata for HTML, from the headline line of a text dump.
    pub title: Option<String>,
    /// Where the headline stands in the input: the `<h1>` (or `<title>`) of a page, the headline
    /// line of a dump.
    pub title_span: Option<Span>,
    /// The canonical URL the page declares.
    pub url: Option<String>,
    /// The site name the page declares, else the host of its URL (`example.com`).
    pub site: Option<String>,
    /// The publication time, as written where it was found: the page's JSON-LD, meta tags or
    /// `<time>` elements, else readability's metadata, else the record's date field, else (an
    /// upper bound only) the time the crawler fetched the page.
    pub published: Option<String>,
    /// Where [`Article::published`] was found.
    pub published_from: Option<DateFrom>,
    /// The body's language as an ISO 639-3 code (`"eng"`), when it can be told reliably; always
    /// `None` from an [`Extractor`] built without [`ExtractorBuilder::detect_language`].
    pub language: Option<&'static str>,
    /// The author: page metadata for HTML, a "By …" line for a text dump.
    pub byline: Option<String>,
    /// The body: paragraphs joined by `"\n\n"`, without the headline.
    pub text: String,
    /// Maps byte offsets of [`Article::text`] to byte offsets of the input ([`RawDoc::text`]).
    pub map: OffsetMap,
    /// Other articles pasted into the same page after the main one (an aggregator's "related
    /// articles"), each with its own text and map into the same input. Empty for an embedded
    /// article itself.
    pub embedded: Vec<Article>,
    /// What was left out of the main article and why, in input order (for diagnostics). Text
    /// dumps list every dropped line; HTML lists nothing unless the fallback classifier ran,
    /// because readability does not say what it removed.
    pub dropped: Vec<Dropped>,
}

impl Article {
    /// An article with a body and nothing else.
    fn bare(origin: Origin, text: String, map: OffsetMap) -> Article {
        Article {
            origin,
            title: None,
            title_span: None,
            url: None,
            site: None,
            published: None,
            published_from: None,
            language: None,
            byline: None,
            text,
            map,
            embedded: Vec::new(),
            dropped: Vec::new(),
        }
    }

    /// The body's paragraphs with their byte ranges in [`Article::text`].
    pub fn paragraphs(&self) -> impl Iterator<Item = (Range<usize>, &str)> + '_ {
        let mut start = 0;
        self.text.split("\n\n").map(move |paragraph| {
            let range = start..start + paragraph.len();
            start = range.end + 2;
            (range, paragraph)
        })
    }

    /// The input span of a byte range of [`Article::text`].
    pub fn span(&self, range: Range<usize>) -> Span {
        self.map.span(offset(range.start)..offset(range.end))
    }
}

/// A piece of the input left out of the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Where it is in the input.
    pub span: Span,
    /// Why it was left out.
    pub reason: DropReason,
}

/// Why a piece of the input is not part of the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DropReason {
    /// Site furniture: navigation, share and follow bars, sign-up prompts, cookie notices,
    /// image labels, hashtags, links.
    Furniture,
    /// A date, a time or an "n minutes ago" line.
    Timestamp,
    /// A byline ("By …") or a credit line ("Reporting by …; Editing by …").
    Credit,
    /// A photo caption, recognised by being repeated on consecutive lines.
    Caption,
    /// A line that ends the article: "Related Articles", "Comments", "Hashtags" …
    Boundary,
    /// A line inside a tags, comments or related block after the article that is not an
    /// embedded article.
    TrailingBlock,
    /// An author biography at the end of the article.
    AuthorBio,
    /// A short line that is neither the headline nor a subheading (a label, a section name).
    Fragment,
}

impl DropReason {
    /// A lower-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Furniture => "furniture",
            DropReason::Timestamp => "timestamp",
            DropReason::Credit => "credit",
            DropReason::Caption => "caption",
            DropReason::Boundary => "boundary",
            DropReason::TrailingBlock => "trailing block",
            DropReason::AuthorBio => "author bio",
            DropReason::Fragment => "fragment",
        }
    }
}

/// An input in which no article was found.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {kind}")]
pub struct Error {
    /// The input.
    pub origin: Origin,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl Error {
    /// The error as a [`Skipped`] input, for runs over many inputs.
    pub fn to_skipped(&self) -> Skipped {
        Skipped {
            origin: self.origin.clone(),
            stage: retrace_span::Stage::Extract,
            kind: self.kind.label(),
            reason: self.kind.to_string(),
        }
    }
}

impl ErrorKind {
    /// A short name of the kind, for counts of skipped inputs: `"no article found"`, or which
    /// of the [`ExtractorBuilder`] limits a page went past (`"nested too deeply"`).
    pub fn label(&self) -> &'static str {
        match self {
            ErrorKind::NoArticle => "no article found",
            ErrorKind::OverLimit {
                limit: Limit::Depth(_),
                ..
            } => "nested too deeply",
            ErrorKind::OverLimit {
                limit: Limit::Elements(_),
                ..
            } => "too many elements",
            ErrorKind::OverLimit {
                limit: Limit::Attributes(_),
                ..
            } => "too many attributes",
        }
    }
}

/// Why no article came out of an input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// Every line or block was furniture.
    #[error(
        "no article found: the page has only navigation and furniture; give the page of one article"
    )]
    NoArticle,
    /// An HTML page goes past one of the limits that keep extraction linear and its recursion
    /// bounded (see [`ExtractorBuilder::max_depth`]); it is skipped, not read in part.
    #[error("{limit}{}; page skipped", line.map(|l| format!(" (by line {l})")).unwrap_or_default())]
    OverLimit {
        /// The limit.
        limit: Limit,
        /// The 1-based line of the page where the parser noticed it, when known.
        line: Option<u64>,
    },
}

/// A limit on the shape of an HTML page, with its value; its message names it
/// (`nesting deeper than 512 elements`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Elements nested deeper than this many ([`ExtractorBuilder::max_depth`]).
    Depth(usize),
    /// More elements than this ([`ExtractorBuilder::max_elements`]).
    Elements(usize),
    /// More attributes than this on one element ([`ExtractorBuilder::max_attributes`]).
    Attributes(usize),
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Depth(n) => write!(f, "nesting deeper than {} elements", thousands(*n)),
            Limit::Elements(n) => write!(f, "over {} elements", thousands(*n)),
            Limit::Attributes(n) => {
                write!(f, "over {} attributes on one element", thousands(*n))
            }
        }
    }
}

/// `1234567` → `"1,234,567"`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The limits on an HTML page's shape; see [`ExtractorBuilder::max_depth`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) max_depth: usize,
    pub(crate) max_elements: usize,
    pub(crate) max_attributes: usize,
}

/// Extracts the article of one input, with every field of [`Article`] worked out (the default
/// [`Extractor`]).
pub fn extract(doc: &RawDoc) -> Result<Article, Error> {
    Extractor::default().extract(doc)
}

/// Builds an [`Extractor`].
#[derive(Clone, Debug)]
pub struct ExtractorBuilder {
    detect_language: bool,
    limits: Limits,
}

impl Default for ExtractorBuilder {
    fn default() -> ExtractorBuilder {
        ExtractorBuilder::new()
    }
}

impl ExtractorBuilder {
    /// The default settings.
    pub const fn new() -> ExtractorBuilder {
        ExtractorBuilder {
            detect_language: true,
            limits: Limits {
                max_depth: 512,
                max_elements: 200_000,
                max_attributes: 256,
            },
        }
    }

    /// Whether [`Article::language`] is detected; when not, it is `None` [default: true].
    /// Detection reads up to a thousand bytes of each body and costs about as much as the
    /// rest of extracting a text dump, so a corpus pass that never reads the language turns it
    /// off. Nothing else in the article depends on it.
    pub const fn detect_language(mut self, yes: bool) -> ExtractorBuilder {
        self.detect_language = yes;
        self
    }

    /// How deep elements of an HTML page may nest [default: 512, as in browsers' layout]. A
    /// deeper page is skipped with [`ErrorKind::OverLimit`]: readability and the tree walks
    /// it relies on recurse once per level, on a worker thread's stack, and the parser spends time
    /// in proportion to the depth for every tag. At 512 levels the whole extraction runs on a
    /// 256 KiB stack; news pages nest 20 to 40 deep.
    pub const fn max_depth(mut self, levels: usize) -> ExtractorBuilder {
        self.limits.max_depth = levels;
        self
    }

    /// How many elements an HTML page may have [default: 200,000]. A page with more is skipped
    /// with [`ErrorKind::OverLimit`]; the parse stops soon after the limit, so this bounds the
    /// time and memory one page can take. Long news pages have a few thousand elements.
    pub const fn max_elements(mut self, elements: usize) -> ExtractorBuilder {
        self.limits.max_elements = elements;
        self
    }

    /// How many attributes one element may have [default: 256]. A page with an element that has
    /// more is skipped with [`ErrorKind::OverLimit`] before it is parsed: the parser compares
    /// each attribute with every earlier one of its tag, so a tag's cost grows with the square of
    /// its attributes.
    pub const fn max_attributes(mut self, attributes: usize) -> ExtractorBuilder {
        self.limits.max_attributes = attributes;
        self
    }

    /// The extractor.
    pub const fn build(self) -> Extractor {
        Extractor { config: self }
    }
}

/// Extracts articles; a pure function of its input and its settings.
#[derive(Clone, Debug, Default)]
pub struct Extractor {
    config: ExtractorBuilder,
}

impl Extractor {
    /// Extracts the article of one input.
    pub fn extract(&self, doc: &RawDoc) -> Result<Article, Error> {
        let article = match doc.format {
            Format::Text => Ok(extract_text(doc)),
            Format::Html => html::extract(doc, &self.config.limits),
        };
        let error = |kind| Error {
            origin: doc.origin.clone(),
            kind,
        };
        let mut article = article
            .map_err(|(limit, line)| error(ErrorKind::OverLimit { limit, line }))?
            .ok_or_else(|| error(ErrorKind::NoArticle))?;
        complete(&mut article, doc);
        if self.config.detect_language {
            article.language = meta::language(&article.text);
            for embedded in &mut article.embedded {
                embedded.language = meta::language(&embedded.text);
            }
        }
        Ok(article)
    }
}

/// Metadata the page's own extraction leaves open: the publication time with its provenance,
/// what the container (WARC headers, JSON fields) says, the site's host.
fn complete(article: &mut Article, doc: &RawDoc) {
    let record = &doc.record;
    // A record's date field outranks a date line in its text.
    if article.published.is_none()
        || (article.published_from == Some(DateFrom::Text) && record.date.is_some())
    {
        let published = record
            .date
            .clone()
            .map(|date| (date, DateFrom::Record))
            .or_else(|| record.fetched.clone().map(|date| (date, DateFrom::Fetched)));
        if let Some((date, from)) = published {
            article.published = Some(date);
            article.published_from = Some(from);
        }
    }
    if let Some(title) = &record.title
        && article.title.as_ref() != Some(title)
    {
        article.title = Some(title.clone());
        article.title_span = None;
    }
    if article.url.is_none() {
        article.url = record.url.clone();
    }
    if article.site.is_none() {
        article.site = article.url.as_deref().and_then(host).map(str::to_owned);
    }
}

/// The host of a URL, without `www.`: `"https://www.example.com/a"` → `"example.com"`.
fn host(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// A plain-text dump: the classifier's paragraphs are copies of input lines.
fn extract_text(doc: &RawDoc) -> Option<Article> {
    let dump = textdump::classify(&doc.text, textdump::Trust::Raw);
    if dump.main.paragraphs.is_empty() {
        return None;
    }
    let story = |story: &textdump::DumpArticle| {
        let (text, map) = assemble(&doc.text, &story.paragraphs);
        let mut article = Article::bare(doc.origin.clone(), text, map);
        if let Some(range) = story.title.clone() {
            article.title = Some(doc.text[range.clone()].to_owned());
            article.title_span = Some(Span::from_range(range));
        }
        article
    };
    let mut article = story(&dump.main);
    article.byline = dump.byline;
    if let Some(date) = dump.dated {
        article.published = Some(date);
        article.published_from = Some(DateFrom::Text);
    }
    article.embedded = dump.embedded.iter().map(story).collect();
    article.dropped = dump
        .dropped
        .into_iter()
        .map(|(range, reason)| Dropped {
            span: Span::from_range(range),
            reason,
        })
        .collect();
    Some(article)
}

/// Joins `paragraphs` (ranges of `source`) with `"\n\n"`; the map leads back into `source`. Each
/// separator stands for the source between its two paragraphs.
fn assemble(source: &str, paragraphs: &[Range<usize>]) -> (String, OffsetMap) {
    let mut text = String::new();
    let mut map = OffsetMapBuilder::new();
    let mut previous_end = None;
    for range in paragraphs {
        if let Some(end) = previous_end {
            text.push_str("\n\n");
            map.replaced(offset(end)..offset(range.start), 2);
        }
        text.push_str(&source[range.clone()]);
        map.copied(offset(range.start), offset(range.len()));
        previous_end = Some(range.end);
    }
    (text, map.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP: &str = "Ferry strike strands islanders as storm nears\n\
                        The last ferry to Lindholm left at nine on Monday, and the crews walked \
                        out at noon, leaving forty people on the quay.\n";

    #[test]
    fn language_detection_can_be_left_out() {
        let doc = RawDoc::new(Origin::Stdin, DUMP.to_owned(), Format::Text);
        let full = extract(&doc).expect("an article");
        assert_eq!(full.language, Some("eng"));
        let extractor = ExtractorBuilder::new().detect_language(false).build();
        let quick = extractor.extract(&doc).expect("an article");
        assert_eq!(quick.language, None);
        assert_eq!(
            Article {
                language: None,
                ..full
            },
            quick
        );
    }
}
