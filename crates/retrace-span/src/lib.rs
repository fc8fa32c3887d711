//! Vocabulary types shared by every retrace stage.
//!
//! - [`Span`]: a byte range into an input *as given* (never into normalized text).
//! - [`LineIndex`]: turns a byte offset into a 1-based line number.
//! - [`OffsetMap`]: maps offsets of a derived text (extracted, normalized) back to the input.
//! - [`Origin`]: where an input came from (a path, stdin, a WARC record, a JSON line).
//! - [`Skipped`]: an input that was not processed, with its origin and the reason.
//!
//! This crate does no I/O and knows nothing about articles or sentences.
//!
//! ```
//! use retrace_span::{LineIndex, Span};
//! let input = "first line\nsecond line\n";
//! let span = Span::new(11, 17);
//! assert_eq!(span.slice(input), "second");
//! assert_eq!(LineIndex::new(input).line(span.start), 2);
//! ```
#![deny(missing_docs)]

mod line_index;
mod offset_map;
mod origin;

pub use line_index::LineIndex;
pub use offset_map::{OffsetMap, OffsetMapBuilder};
pub use origin::{Origin, RecordAt, Skipped, Stage};

use std::ops::Range;

/// A half-open byte range `start..end` into one input, as given on disk or on stdin.
///
/// Offsets are `u32`: a single document over 4 GiB is rejected at ingest, so a document's own
/// offsets always fit, and a `Span` costs 8 bytes (sentences, tokens and facts each carry one).
/// Where a document sits inside a larger container (a WARC record), its [`Origin`] carries the
/// `u64` offset of the record; spans stay relative to the document's own bytes.
///
/// Both ends always fall on UTF-8 character boundaries of the input text.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`; panics in debug builds when `end < start`.
    pub fn new(start: u32, end: u32) -> Span {
        debug_assert!(start <= end, "span end {end} before start {start}");
        Span { start, end }
    }

    /// A span from a `usize` range.
    ///
    /// # Panics
    /// When an offset does not fit in `u32`, which ingest rules out by rejecting larger inputs.
    pub fn from_range(range: Range<usize>) -> Span {
        let start = u32::try_from(range.start).expect("document offsets fit in u32");
        let end = u32::try_from(range.end).expect("document offsets fit in u32");
        Span::new(start, end)
    }

    /// The span as a `usize` range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text this span covers in `input`.
    pub fn slice(self, input: &str) -> &str {
        &input[self.range()]
    }

    /// The smallest span covering both `self` and `other`.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Converts an offset that must fit the `u32` of a [`Span`]; documents over 4 GiB are rejected at
/// ingest, so a failure here is a bug.
pub fn offset(value: usize) -> u32 {
    u32::try_from(value).expect("document offsets fit in u32")
}

/// The largest document retrace accepts, in bytes: spans are `u32`.
pub const MAX_DOCUMENT_BYTES: u64 = u32::MAX as u64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_and_slice() {
        let text = "Hello, happy tax payer!";
        let a = Span::new(0, 5);
        let b = Span::new(7, 12);
        assert_eq!(a.cover(b).slice(text), "Hello, happy");
        assert_eq!(b.len(), 5);
        assert!(Span::new(3, 3).is_empty());
    }
}
