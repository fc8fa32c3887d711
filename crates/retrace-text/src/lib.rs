//! Text analysis: from an article's text to normalized sentences, tokens, stems and facts.
//!
//! Input: the article text (a `&str`) and an [`OffsetMap`] from that text to the input file
//! (both come from `retrace-extract`). Output: an [`Analyzed`] document whose sentences,
//! tokens and facts all carry ranges into its normalized text, and whose
//! [`Analyzed::span`] turns any such range into a [`Span`] of the input as given.
//!
//! This crate does not compare documents; that is `retrace-align` and `retrace-judge`.
//!
//! ```
//! use retrace_span::{OffsetMap, Origin};
//! let text = "Rescuers found more than 120 people. \u{201C}We kept digging,\u{201D} Mr. Ode said.";
//! let analyzer = retrace_text::Analyzer::new();
//! let doc = analyzer.analyze(Origin::Stdin, None, text, &OffsetMap::identity(text.len() as u32));
//! assert_eq!(doc.sentences.len(), 2);
//! // The second sentence's span covers the curly quotes of the input.
//! assert_eq!(doc.sentence_span(1).slice(text), "\u{201C}We kept digging,\u{201D} Mr. Ode said.");
//! ```
#![deny(missing_docs)]

pub mod facts;
pub mod normalize;
pub mod sentences;
pub mod tokens;

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use retrace_span::{OffsetMap, OffsetMapBuilder, Origin, Span};
use rust_stemmers::{Algorithm, Stemmer};

pub use facts::{Fact, FactKind};
pub use tokens::{Token, TokenKind};

/// An analyzed article: normalized text, sentences with tokens and facts.
#[derive(Clone, Debug)]
pub struct Analyzed {
    /// Where the input came from.
    pub origin: Origin,
    /// The article's title, if extraction found one (not part of `text`).
    pub title: Option<String>,
    /// When the article says it was published, as the page wrote it (ISO 8601 from metadata,
    /// usually); set by the caller from the extracted article, `None` for plain text.
    pub published: Option<String>,
    /// The normalized article text (see [`normalize`]).
    pub text: String,
    /// Maps offsets of `text` to offsets of the input as given.
    pub map: OffsetMap,
    /// The sentences, in text order.
    pub sentences: Vec<Sentence>,
    /// The title analyzed as a text of its own, its offsets mapped to where the title stands
    /// in the input ([`Analyzer::headline`]); set by the caller, `None` when there is no title
    /// or it has no place in the input (a record's title field, page metadata alone).
    pub headline: Option<Box<Analyzed>>,
}

/// One sentence of an [`Analyzed`] article.
#[derive(Clone, Debug)]
pub struct Sentence {
    /// Byte range in [`Analyzed::text`].
    pub range: Range<u32>,
    /// 0-based paragraph index.
    pub paragraph: u32,
    /// Word and number tokens.
    pub tokens: Vec<Token>,
    /// Facts that start in this sentence.
    pub facts: Vec<Fact>,
    /// A unit-length sentence embedding, when a semantic model was run (see `retrace-embed`).
    pub embedding: Option<Vec<f32>>,
}

impl Analyzed {
    /// [`Analyzed::headline`] when it has a place in the input ([`Analyzed::placed`]): what the
    /// ranges of a change in the titles can be shown against.
    pub fn placed_headline(&self) -> Option<&Analyzed> {
        self.headline.as_deref().filter(|h| h.placed())
    }

    /// False for a text whose offsets point nowhere in the input (a title known only from a
    /// record's field, [`Analyzer::headline`]): its spans are empty and should not be shown.
    pub fn placed(&self) -> bool {
        self.text.is_empty() || self.map.span(0..self.map.len()).end > 0
    }

    /// The input span of a range of [`Analyzed::text`].
    pub fn span(&self, range: Range<u32>) -> Span {
        self.map.span(range)
    }

    /// The input span of sentence `index`.
    pub fn sentence_span(&self, index: usize) -> Span {
        self.span(self.sentences[index].range.clone())
    }

    /// The normalized text of sentence `index`.
    pub fn sentence_text(&self, index: usize) -> &str {
        let range = &self.sentences[index].range;
        &self.text[range.start as usize..range.end as usize]
    }

    /// The normalized text of a range.
    pub fn slice(&self, range: &Range<u32>) -> &str {
        &self.text[range.start as usize..range.end as usize]
    }

    /// Total bytes of sentence text, the denominator of coverage.
    pub fn sentence_bytes(&self) -> u64 {
        self.sentences
            .iter()
            .map(|s| u64::from(s.range.end - s.range.start))
            .sum()
    }
}

/// Runs normalization, segmentation, tokenization and fact extraction.
///
/// An `Analyzer` holds only immutable tables (the stemmer, the stop words), so one can be shared
/// across threads, and `analyze` is a pure function of its arguments.
pub struct Analyzer {
    stemmer: Stemmer,
    stop_words: HashSet<&'static str>,
}

impl fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Analyzer")
            .field("stop_words", &self.stop_words.len())
            .finish()
    }
}

impl Default for Analyzer {
    fn default() -> Analyzer {
        Analyzer::new()
    }
}

impl Analyzer {
    /// An English analyzer.
    pub fn new() -> Analyzer {
        let stop_words = stop_words::get("en").iter().copied().collect();
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
            stop_words,
        }
    }

    /// Analyzes an article's `text`, whose offsets `map` sends to the input.
    pub fn analyze(
        &self,
        origin: Origin,
        title: Option<String>,
        text: &str,
        map: &OffsetMap,
    ) -> Analyzed {
        let (norm, norm_map) = normalize::normalize(text);
        let map = norm_map.then(map);
        let bounds = sentences::split(&norm);
        let ranges: Vec<Range<u32>> = bounds.iter().map(|b| b.range.clone()).collect();
        let facts = facts::extract(&norm, &ranges);
        let sentences = bounds
            .into_iter()
            .zip(facts)
            .map(|(bound, facts)| Sentence {
                tokens: self.tokens(&norm, bound.range.clone()),
                range: bound.range,
                paragraph: bound.paragraph,
                facts,
                embedding: None,
            })
            .collect();
        Analyzed {
            origin,
            title,
            published: None,
            text: norm,
            map,
            sentences,
            headline: None,
        }
    }

    /// Analyzes an article's title as a text of its own. When the title stands at `span` of
    /// `input`, offsets map back byte for byte where the input holds the title as written there
    /// (a text dump's headline line), else every offset maps to the whole span (an `<h1>` with
    /// markup or character references), so that a change in the title still points at the
    /// headline it is in. Without a span (a record's title field), every offset maps to the
    /// empty span at 0 and [`Analyzed::placed`] is false: the title can be compared, not
    /// pointed at.
    ///
    /// ```
    /// use retrace_span::{Origin, Span};
    /// let input = "Storm cuts power to 4,000 homes\n\nStorms cut power overnight.";
    /// let analyzer = retrace_text::Analyzer::new();
    /// let title = "Storm cuts power to 4,000 homes";
    /// let headline = analyzer.headline(Origin::Stdin, title, input, Some(Span { start: 0, end: 31 }));
    /// assert_eq!(headline.sentences.len(), 1);
    /// assert_eq!(headline.span(20..25), Span { start: 20, end: 25 });
    /// assert!(headline.placed());
    /// assert!(!analyzer.headline(Origin::Stdin, title, input, None).placed());
    /// ```
    pub fn headline(
        &self,
        origin: Origin,
        title: &str,
        input: &str,
        span: Option<Span>,
    ) -> Analyzed {
        let len = u32::try_from(title.len()).unwrap_or(u32::MAX);
        let mut map = OffsetMapBuilder::new();
        match span {
            Some(span) if input.get(span.start as usize..span.end as usize) == Some(title) => {
                map.copied(span.start, len);
            }
            Some(span) => map.replaced(span.start..span.end, len),
            None => map.replaced(0..0, len),
        }
        self.analyze(origin, None, title, &map.build())
    }

    /// Tokens of `text[range]`, lowercased, stemmed and marked as stop words.
    pub fn tokens(&self, text: &str, range: Range<u32>) -> Vec<Token> {
        tokens::token_ranges(text, range)
            .into_iter()
            .map(|range| {
                let raw = &text[range.start as usize..range.end as usize];
                let lower = raw.to_lowercase();
                let spelled = number_word(&lower);
                let number = spelled.is_some() || raw.starts_with(|c: char| c.is_ascii_digit());
                let stem = if let Some(value) = spelled {
                    value.to_string()
                } else if number {
                    lower.replace(',', "")
                } else {
                    self.stemmer.stem(lower.trim_end_matches("'s")).into_owned()
                };
                Token {
                    stop: !number && self.stop_words.contains(lower.as_str()),
                    capitalized: raw.starts_with(char::is_uppercase),
                    kind: if number {
                        TokenKind::Number
                    } else {
                        TokenKind::Word
                    },
                    range,
                    lower,
                    stem,
                }
            })
            .collect()
    }

    /// Stems one lowercase word, for callers that match words against analyzed text.
    pub fn stem(&self, word: &str) -> String {
        self.stemmer.stem(word).into_owned()
    }

    /// True when `word` (lowercase) is a stop word.
    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.contains(word)
    }
}

/// The value of a spelled-out number from one to twenty, so that "two" and "2" match.
fn number_word(lower: &str) -> Option<u32> {
    const WORDS: [&str; 20] = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    WORDS.iter().position(|w| *w == lower).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "Officials in Varn said about 40 people\u{a0}were hurt.\n\n\u{201C}It was chaos,\u{201D} said Mr. Ode. He could not independently confirm the toll.";

    #[test]
    fn sentence_spans_point_into_the_input() {
        let analyzer = Analyzer::new();
        let doc = analyzer.analyze(
            Origin::Stdin,
            None,
            WIRE,
            &OffsetMap::identity(WIRE.len() as u32),
        );
        let spans: Vec<&str> = (0..doc.sentences.len())
            .map(|i| doc.sentence_span(i).slice(WIRE))
            .collect();
        assert_eq!(
            spans,
            [
                "Officials in Varn said about 40 people\u{a0}were hurt.",
                "\u{201C}It was chaos,\u{201D} said Mr. Ode.",
                "He could not independently confirm the toll."
            ]
        );
        assert_eq!(doc.sentences[1].paragraph, 1);
        let stems: Vec<&str> = doc.sentences[0]
            .tokens
            .iter()
            .map(|t| t.stem.as_str())
            .collect();
        assert_eq!(
            stems,
            [
                "offici", "in", "varn", "said", "about", "40", "peopl", "were", "hurt"
            ]
        );
        assert!(doc.sentences[0].tokens[1].stop);
    }
}
