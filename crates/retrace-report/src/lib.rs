//! Reports of a judged pair: a terminal summary, the compare JSON, and a self-contained HTML page;
//! the extracted articles of `retrace extract` ([`extract`]); and the stories of `retrace scan`
//! with their browsable report ([`stories`]).
//!
//! Input: a [`PairReport`], which borrows both inputs as given, their [`Analyzed`] forms, the
//! [`Alignment`] and the [`Verdict`]. Output: text. Every span is resolved here, once, into byte
//! offsets, a 1-based line and the input text it covers (see [`json::SpanJson`]).
//!
//! This crate decides nothing; it only presents what `retrace-judge` decided.
#![deny(missing_docs)]

pub mod extract;
pub mod html;
pub mod json;
pub mod stories;
pub mod terminal;

use retrace_align::Alignment;
use retrace_judge::Verdict;
use retrace_span::{LineIndex, Span};
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
