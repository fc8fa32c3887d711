//! Reports of a judged pair: a terminal summary, the compare JSON, and a self-contained HTML page;
//! the extracted articles of `retrace extract` ([`extract`]); the stories of `retrace scan`
//! with their browsable report ([`stories`]); and what `retrace query` and `retrace index stats`
//! print of an index ([`index`]); the list of change kinds of `retrace explain` ([`explain`]).
//!
//! Input: a [`PairReport`], which borrows both inputs as given, their [`Analyzed`] forms, the
//! [`Alignment`] and the [`Verdict`]. Output: text. Every span is resolved here, once, into byte
//! offsets, a 1-based line and the text it shows (see [`json::SpanJson`] and
//! [`ReportDoc::text`]).
//!
//! This crate decides nothing; it only presents what `retrace-judge` decided.
#![deny(missing_docs)]

pub mod explain;
pub mod extract;
pub mod html;
pub mod index;
pub mod json;
pub mod stories;
pub mod terminal;

use retrace_align::Alignment;
use retrace_judge::Verdict;
use retrace_span::{LineIndex, Span, offset};
use retrace_text::Analyzed;
use std::ops::Range;

/// One side of a pair, with what is needed to show its spans.
#[derive(Debug)]
pub struct ReportDoc<'a> {
    /// The input as given (the text every span indexes).
    pub input: &'a str,
    /// The analyzed article.
    pub analyzed: &'a Analyzed,
    /// Line starts of `input`.
    pub lines: LineIndex,
}

impl<'a> ReportDoc<'a> {
    /// Wraps an input and its analysis.
    pub fn new(input: &'a str, analyzed: &'a Analyzed) -> ReportDoc<'a> {
        ReportDoc {
            input,
            analyzed,
            lines: LineIndex::new(input),
        }
    }

    /// The same input with the article's title as the analyzed text, when the title has a
    /// place in the input ([`Analyzed::headline`], [`Analyzed::placed`]): what the ranges of a
    /// title change index. `None` for a title known only from a record's field.
    pub fn headline(&self) -> Option<ReportDoc<'a>> {
        let headline = self.analyzed.placed_headline()?;
        Some(ReportDoc {
            input: self.input,
            analyzed: headline,
            lines: self.lines.clone(),
        })
    }

    /// The input span of a normalized range.
    pub fn span(&self, range: Range<u32>) -> Span {
        self.analyzed.span(range)
    }

    /// The input span covering a group of sentences (first to last).
    pub fn group_span(&self, group: &[usize]) -> Span {
        let first = self.analyzed.sentence_span(group[0]);
        let last = self
            .analyzed
            .sentence_span(*group.last().unwrap_or(&group[0]));
        first.cover(last)
    }

    /// The range of [`Analyzed::text`] covering a group of sentences (first to last).
    pub fn group_range(&self, group: &[usize]) -> Range<u32> {
        let sentences = &self.analyzed.sentences;
        let first = &sentences[group[0]].range;
        let last = &sentences[*group.last().unwrap_or(&group[0])].range;
        first.start..last.end.max(first.start)
    }

    /// The text a reader sees of a range of [`Analyzed::text`] (issue 13): the input's own
    /// characters where they are plain text (curly quotes, spacing and all), and the extracted
    /// text where the input has markup, so that an HTML page's links, bold and character
    /// references show as the words they are and not as `<a href=…>` or `&amp;`. For a
    /// plain-text input it is exactly the input the range's [`Span`] covers.
    ///
    /// Each character of the analyzed text maps to a piece of the input: a copy of itself, or
    /// a replaced run (`&amp;` → `&`, `“` → `"`, tags and whitespace → one space). A replaced run
    /// whose input holds `<` or `&` is markup and shows as the analyzed text; any other shows as
    /// the input.
    pub fn text(&self, range: Range<u32>) -> String {
        let text = self.analyzed.text.as_str();
        let boundary = |at: u32| {
            let mut at = (at as usize).min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let (mut at, end) = (boundary(range.start), boundary(range.end));
        let source_of = |from: usize, to: usize| {
            let span = self.analyzed.span(offset(from)..offset(to));
            let (start, end) = (span.start as usize, span.end as usize);
            (span, self.input.get(start..end.max(start)).unwrap_or(""))
        };
        let mut out = String::with_capacity(end.saturating_sub(at));
        while at < end {
            let next = |from: usize| from + text[from..].chars().next().map_or(1, char::len_utf8);
            let mut to = next(at);
            let (span, source) = source_of(at, to);
            if source == &text[at..to] {
                out.push_str(source);
                at = to;
                continue;
            }
            // The rest of the same replaced run.
            while to < end && source_of(to, next(to)).0 == span {
                to = next(to);
            }
            if let Some(decoded) = character_reference(source) {
                // `&ldquo;` is the `“` a reader sees, not the `"` it is analyzed as.
                out.push_str(&decoded);
            } else if source.contains(['<', '&']) || source.is_empty() {
                out.push_str(&text[at..to]);
            } else {
                out.push_str(source);
            }
            at = to;
        }
        out
    }

    /// The 1-based line where `span` starts.
    pub fn line(&self, span: Span) -> u32 {
        self.lines.line(span.start)
    }
}

/// Everything a report shows about one compared pair.
#[derive(Debug)]
pub struct PairReport<'a> {
    /// The first article.
    pub a: ReportDoc<'a>,
    /// The second article.
    pub b: ReportDoc<'a>,
    /// The sentence alignment.
    pub alignment: &'a Alignment,
    /// The judgement.
    pub verdict: &'a Verdict,
}

/// What one HTML character reference (`&amp;`, `&#8220;`, `&ldquo;`) stands for; `None` for
/// anything else.
fn character_reference(source: &str) -> Option<String> {
    let body = source.strip_prefix('&')?.strip_suffix(';')?;
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#') {
        return None;
    }
    let decoded = html_escape::decode_html_entities(source);
    (decoded != source).then(|| decoded.into_owned())
}
