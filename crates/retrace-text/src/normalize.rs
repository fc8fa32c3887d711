//! Unicode normalization with an offset map back to the input.
//!
//! The passes run in a fixed order, per character, and are all *lossless* in the sense that
//! matters to retrace: quotations and numbers are compared on their output. Lowercasing is the
//! one *lossy* pass; it is applied to tokens for matching only (see [`crate::tokens`]).
//!
//! | pass | what |
//! |---|---|
//! | [`Pass::Nfkc`] | compatibility composition: ligatures, full-width forms, `½` |
//! | [`Pass::Quotes`] | curly, angle and corner quotes become `"` and `'`; a doubled single mark (`''`, `’’`, ``` `` ```) becomes `"` |
//! | [`Pass::Dashes`] | hyphen and dash variants and the minus sign become `-` |
//! | [`Pass::Spaces`] | every horizontal space becomes one ASCII space; zero-width characters go |

use retrace_span::{OffsetMap, OffsetMapBuilder, offset};
use unicode_normalization::UnicodeNormalization;

/// One normalization pass, in the order they are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// NFKC, character by character.
    Nfkc,
    /// `“ ” „ ‟ « » ″ 「 」 『 』` → `"`, `‘ ’ ‚ ‛ ′ ‹ ›` → `'`, and a single mark doubled
    /// for a double one (AP's closing `''` or `’’`, TeX's opening ``` `` ```) → `"`.
    Quotes,
    /// `‐ ‑ ‒ – — ― −` → `-`.
    Dashes,
    /// Horizontal white space → ` `; zero-width spaces, joiners, BOM and soft hyphens removed.
    Spaces,
}

/// The passes [`normalize`] applies, in order.
pub const PASSES: [Pass; 4] = [Pass::Nfkc, Pass::Quotes, Pass::Dashes, Pass::Spaces];

/// Normalizes `text` and returns the result with a map from its offsets to those of `text`.
///
/// ```
/// let (norm, map) = retrace_text::normalize::normalize("“Hi” — ﬁne");
/// assert_eq!(norm, "\"Hi\" - fine");
/// assert_eq!(map.span(0..1), retrace_span::Span::new(0, 3));
/// ```
pub fn normalize(text: &str) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMapBuilder::new();
    let mut copied_from: Option<usize> = None;
    let mut copied_len = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let mut len = c.len_utf8();
        // Two single marks written for one double mark: AP's closing `''` or `’’`, TeX's
        // opening ``` `` ```. One `"`, so that quotations pair as with “ ”.
        let doubled = is_single_mark(c)
            && chars
                .peek()
                .is_some_and(|&(_, next)| is_single_mark(next) && (next == c || c != '\''));
        if doubled {
            let (_, next) = chars.next().unwrap_or((at, c));
            len += next.len_utf8();
            if let Some(from) = copied_from.take() {
                map.copied(offset(from), offset(copied_len));
                copied_len = 0;
            }
            out.push('"');
            map.replaced(offset(at)..offset(at + len), 1);
            continue;
        }
        if c.is_ascii() && c != '\t' && c != '\r' {
            out.push(c);
            if copied_from.is_none() {
                copied_from = Some(at);
            }
            copied_len += len;
            continue;
        }
        let before = out.len();
        push_normalized(c, &mut out);
        let produced = &out[before..];
        if produced.len() == len && produced.chars().eq(std::iter::once(c)) {
            if copied_from.is_none() {
                copied_from = Some(at);
            }
            copied_len += len;
            continue;
        }
        if let Some(from) = copied_from.take() {
            map.copied(offset(from), offset(copied_len));
            copied_len = 0;
        }
        map.replaced(offset(at)..offset(at + len), offset(out.len() - before));
    }
    if let Some(from) = copied_from {
        map.copied(offset(from), offset(copied_len));
    }
    (out, map.build())
}

/// A single quotation mark that, doubled, stands for a double one: `'`, `` ` ``, `‘`, `’`.
fn is_single_mark(c: char) -> bool {
    matches!(c, '\'' | '`' | '\u{2018}' | '\u{2019}')
}

fn push_normalized(c: char, out: &mut String) {
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' | '\u{300C}' | '\u{300D}' | '\u{300E}' | '\u{300F}' | '\u{FF02}' => {
            out.push('"');
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{2039}' | '\u{203A}' => out.push('\''),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            out.push('-')
        }
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
        '\n' => out.push('\n'),
        c if c.is_whitespace() => out.push(' '),
        '\u{2026}' => out.push_str("..."),
        c => out.extend(std::iter::once(c).nfkc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use retrace_span::Span;

    /// Issue 14, class 4: AP-style closing `''` was not read as a closing quote, so a kept
    /// quotation ran on into its attribution.
    #[test]
    fn doubled_single_marks_are_one_double_mark() {
        let input = "``We will rebuild,’’ she said. ‘‘Soon.'' 「Yes」 ‹non›";
        let (norm, map) = normalize(input);
        assert_eq!(
            norm,
            "\"We will rebuild,\" she said. \"Soon.\" \"Yes\" 'non'"
        );
        let close = norm.find(",\"").unwrap() as u32 + 1;
        assert_eq!(map.span(close..close + 1).slice(input), "’’");
        assert_eq!(map.span(0..1).slice(input), "``");
        // Apostrophes and single quotes stay single.
        assert_eq!(
            normalize("the fighters' trucks, 'til the '90s").0,
            "the fighters' trucks, 'til the '90s"
        );
        assert_eq!(normalize("he said 'go' ").0, "he said 'go' ");
    }

    #[test]
    fn quotes_dashes_spaces() {
        let input = "‘Pray’\u{a0}–\u{200b} «ok»\tﬁ…";
        let (norm, map) = normalize(input);
        assert_eq!(norm, "'Pray' - \"ok\" fi...");
        // The en dash (3 bytes) maps back whole.
        let dash = norm.find('-').unwrap() as u32;
        assert_eq!(map.span(dash..dash + 1).slice(input), "–");
        assert_eq!(
            map.span(0..norm.len() as u32),
            Span::new(0, input.len() as u32)
        );
    }

    #[test]
    fn ascii_is_identity() {
        let input = "Plain text, 1,000 words.\nSecond line.";
        let (norm, map) = normalize(input);
        assert_eq!(norm, input);
        assert_eq!(map.span(6..10), Span::new(6, 10));
    }

    proptest::proptest! {
        #[test]
        fn spans_land_on_char_boundaries(input in "\\PC{0,60}", a in 0usize..200, b in 0usize..200) {
            let (norm, map) = normalize(&input);
            let mut s = a.min(norm.len());
            let mut e = b.min(norm.len()).max(s);
            while !norm.is_char_boundary(s) { s -= 1; }
            while !norm.is_char_boundary(e) { e += 1; }
            let span = map.span(s as u32..e as u32);
            proptest::prop_assert!(input.is_char_boundary(span.start as usize));
            proptest::prop_assert!(input.is_char_boundary(span.end as usize));
            proptest::prop_assert!(span.end as usize <= input.len());
        }
    }
}
