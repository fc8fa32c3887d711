//! Sentence segmentation over normalized text.
//!
//! Rules, in order:
//! 1. A blank line ends a paragraph. A single newline ends a sentence unless the line runs on
//!    (no closing punctuation and the next line starts in lower case), so a headline without a
//!    full stop never swallows the next sentence.
//! 2. Inside a line, `.`, `!`, `?` and `...`, with any closing quotes and brackets after them,
//!    end a sentence when white space and then an upper-case letter, a digit or an opening
//!    quote follow.
//! 3. A `.` does not end a sentence after a title or other abbreviation (Mr., Dr., Gen., Inc.),
//!    after a single capital (initials: John F. Kennedy), after a month abbreviation before a
//!    number (Dec. 8), or after a dotted abbreviation (U.S., U.N., a.m.) unless the next word is
//!    a common sentence opener ("in the U.S. The next day").
//!
//! Quotations that span several sentences are split like any other text; the quotation facts
//! (see [`crate::facts`]) are found on the paragraph and may run across sentences.

use std::ops::Range;

use retrace_span::offset;

/// A sentence found by [`split`]: its byte range in the normalized text and its paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceBound {
    /// Byte range in the normalized text, trimmed of surrounding white space.
    pub range: Range<u32>,
    /// 0-based index of the paragraph (block separated by blank lines) holding the sentence.
    pub paragraph: u32,
}

/// Titles and other abbreviations after which a `.` never ends a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "maj", "cpl", "pvt", "st", "rev", "hon", "pres", "supt", "det", "insp", "vs",
    "v", "no", "nos", "vol", "fig", "ca", "approx", "mt", "ft", "ave", "blvd", "rd", "dept",
    "univ", "est", "cf", "al", "op", "pp", "p",
];

/// Abbreviations that may also end a sentence: they end one before a common opener.
const MAYBE_FINAL: &[&str] = &["inc", "corp", "ltd", "co", "bros", "jr", "sr", "etc", "plc"];

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Words that open sentences, used to resolve `U.S. The…` and `Ltd. It…`.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "in",
    "on",
    "at",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "its",
    "their",
    "our",
    "as",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "however",
    "meanwhile",
    "also",
    "some",
    "many",
    "most",
    "one",
    "two",
    "three",
    "for",
    "with",
    "from",
    "by",
    "to",
    "what",
    "who",
    "why",
    "how",
];

/// Splits normalized `text` into sentences.
///
/// ```
/// let text = "Mr. Smith went to the U.S. on Dec. 8. He met Gen. J. R. Ortiz.";
/// let sentences: Vec<&str> = retrace_text::sentences::split(text)
///     .iter()
///     .map(|s| &text[s.range.start as usize..s.range.end as usize])
///     .collect();
/// assert_eq!(sentences, ["Mr. Smith went to the U.S. on Dec. 8.", "He met Gen. J. R. Ortiz."]);
/// ```
pub fn split(text: &str) -> Vec<SentenceBound> {
    let mut out = Vec::new();
    let mut paragraph = 0u32;
    let mut in_paragraph = false;
    let mut line_start = 0usize;
    // A "segment" is one line, or several lines joined when a sentence runs across a newline.
    let mut segment_start: Option<usize> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i <= bytes.len() {
        let at_end = i == bytes.len();
        if at_end || bytes[i] == b'\n' {
            let line = &text[line_start..i];
            let blank = line.trim().is_empty();
            if blank {
                if let Some(start) = segment_start.take() {
                    split_segment(text, start..line_start, paragraph, &mut out);
                }
                if in_paragraph {
                    paragraph += 1;
                    in_paragraph = false;
                }
            } else {
                in_paragraph = true;
                let start = *segment_start.get_or_insert(line_start);
                let next_line = text[(i + 1).min(text.len())..].trim_start_matches([' ']);
                let runs_on = !at_end
                    && !ends_sentence(line)
                    && next_line.chars().next().is_some_and(char::is_lowercase);
                if !runs_on {
                    split_segment(text, start..i, paragraph, &mut out);
                    segment_start = None;
                }
            }
            line_start = i + 1;
        }
        i += 1;
    }
    out
}

fn ends_sentence(line: &str) -> bool {
    let trimmed = line.trim_end().trim_end_matches(['"', '\'', ')', ']']);
    trimmed.ends_with(['.', '!', '?', ':', ';'])
}

fn split_segment(text: &str, segment: Range<usize>, paragraph: u32, out: &mut Vec<SentenceBound>) {
    let bytes = text.as_bytes();
    let mut start = segment.start;
    let mut i = segment.start;
    while i < segment.end {
        let b = bytes[i];
        if !matches!(b, b'.' | b'!' | b'?') {
            i += 1;
            continue;
        }
        let term_start = i;
        while i < segment.end && matches!(bytes[i], b'.' | b'!' | b'?') {
            i += 1;
        }
        let single_dot = i - term_start == 1 && b == b'.';
        while i < segment.end && matches!(bytes[i], b'"' | b'\'' | b')' | b']') {
            i += 1;
        }
        let end = i;
        if i < segment.end && !matches!(bytes[i], b' ' | b'\n') {
            continue;
        }
        let mut j = i;
        while j < segment.end && matches!(bytes[j], b' ' | b'\n') {
            j += 1;
        }
        if j >= segment.end {
            break;
        }
        let next = &text[j..segment.end];
        if !starts_sentence(next) {
            continue;
        }
        if single_dot && !dot_ends_sentence(&text[start..term_start], next) {
            continue;
        }
        push(text, start..end, paragraph, out);
        start = j;
        i = j;
    }
    push(text, start..segment.end, paragraph, out);
}

fn starts_sentence(next: &str) -> bool {
    let rest = next.trim_start_matches(['"', '\'', '(', '[']);
    rest.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Decides whether the `.` after `before` ends a sentence, given the text that follows.
fn dot_ends_sentence(before: &str, next: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '"' | '(' | '[' | '\''))
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    let next_word: String = next
        .trim_start_matches(['"', '\'', '(', '['])
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let opener = OPENERS.contains(&next_word.as_str());
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return false; // an initial
    }
    if TITLES.contains(&lower.as_str()) {
        return false;
    }
    if MONTHS.contains(&lower.as_str()) {
        return !next_word.starts_with(|c: char| c.is_ascii_digit());
    }
    if MAYBE_FINAL.contains(&lower.as_str()) || word.contains('.') {
        return opener;
    }
    true
}

fn push(text: &str, range: Range<usize>, paragraph: u32, out: &mut Vec<SentenceBound>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let (start, end) = (range.start + lead, range.end - trail);
    if start < end {
        out.push(SentenceBound {
            range: offset(start)..offset(end),
            paragraph,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text)
            .iter()
            .map(|s| &text[s.range.start as usize..s.range.end as usize])
            .collect()
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            sentences("The U.N. envoy met Mr. Lee in St. Louis. Dr. A. B. Cole left."),
            [
                "The U.N. envoy met Mr. Lee in St. Louis.",
                "Dr. A. B. Cole left."
            ]
        );
        assert_eq!(
            sentences("He moved to the U.S. The move was quick."),
            ["He moved to the U.S.", "The move was quick."]
        );
        assert_eq!(
            sentences("Acme Corp. said so. Acme Ltd. It grew."),
            ["Acme Corp. said so.", "Acme Ltd.", "It grew."]
        );
    }

    #[test]
    fn numbers_dates_and_ranges() {
        assert_eq!(
            sentences(
                "About 1,000 people fled on Dec. 8. Videos from March 7-13 show 2.5 km of road."
            ),
            [
                "About 1,000 people fled on Dec. 8.",
                "Videos from March 7-13 show 2.5 km of road."
            ]
        );
        assert_eq!(
            sentences("It ended at 9 a.m. Monday, police said."),
            ["It ended at 9 a.m. Monday, police said."]
        );
    }

    #[test]
    fn quotations() {
        assert_eq!(
            sentences("\"We ran. They followed,\" she said. \"Pray for us.\" Then silence."),
            [
                "\"We ran.",
                "They followed,\" she said.",
                "\"Pray for us.\"",
                "Then silence."
            ]
        );
        assert_eq!(
            sentences("\"Go home!\" he shouted."),
            ["\"Go home!\" he shouted."]
        );
        assert_eq!(
            sentences("Wait... What? Yes!"),
            ["Wait...", "What?", "Yes!"]
        );
    }

    #[test]
    fn lines_and_paragraphs() {
        let text = "A headline without stop\nThe body starts here. It goes on\nacross a wrapped line.\n\nSecond paragraph.";
        let found = split(text);
        let texts: Vec<&str> = found
            .iter()
            .map(|s| &text[s.range.start as usize..s.range.end as usize])
            .collect();
        assert_eq!(
            texts,
            [
                "A headline without stop",
                "The body starts here.",
                "It goes on\nacross a wrapped line.",
                "Second paragraph."
            ]
        );
        assert_eq!(
            found.iter().map(|s| s.paragraph).collect::<Vec<_>>(),
            [0, 0, 0, 1]
        );
    }

    proptest::proptest! {
        #[test]
        fn sentences_are_ordered_trimmed_and_on_boundaries(text in "[a-zA-Z .!?\"'\n,0-9é]{0,120}") {
            let found = split(&text);
            let mut last = 0;
            for s in &found {
                let (a, b) = (s.range.start as usize, s.range.end as usize);
                proptest::prop_assert!(a >= last && a < b && b <= text.len());
                proptest::prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
                proptest::prop_assert_eq!(text[a..b].trim(), &text[a..b]);
                last = b;
            }
        }
    }
}
