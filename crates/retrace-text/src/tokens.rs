//! Word tokens with byte ranges, lowercased and stemmed for matching.
//!
//! Lowercasing is the one lossy normalization step; the token keeps its range, so a report can
//! always show the text as written.

use std::ops::Range;

use retrace_span::offset;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Letters (and inner apostrophes).
    Word,
    /// Starts with a digit: `120`, `1,000`, `2.5`, `9.08am`.
    Number,
}

/// A word or number in the normalized text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the normalized text.
    pub range: Range<u32>,
    /// Lowercased text.
    pub lower: String,
    /// Stem of `lower` (English Snowball); numbers are their own stem, without separators.
    pub stem: String,
    /// Word or number.
    pub kind: TokenKind,
    /// True when the word is an English stop word.
    pub stop: bool,
    /// True when the word starts with an upper-case letter.
    pub capitalized: bool,
}

/// Splits `text[range]` into raw token ranges (absolute offsets into `text`).
///
/// A token is a run of letters and digits. `'` joins letters (`don't`, `Assad's`); `.` and `,`
/// join digits (`1,000`, `2.5`); `.` also joins single letters (`U.S.`). Hyphens split words
/// (`hit-and-run` is three tokens) so that hyphenated and spaced spellings match.
pub fn token_ranges(text: &str, range: Range<u32>) -> Vec<Range<u32>> {
    let base = range.start as usize;
    let slice = &text[range.start as usize..range.end as usize];
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let (_, c) = chars[j];
            if c.is_alphanumeric() {
                j += 1;
                continue;
            }
            let prev = chars[j - 1].1;
            let next = chars.get(j + 1).map(|&(_, c)| c);
            let joins = match (c, next) {
                ('\'', Some(n)) => prev.is_alphabetic() && n.is_alphabetic(),
                ('.' | ',', Some(n)) if prev.is_ascii_digit() && n.is_ascii_digit() => true,
                ('.', Some(n)) => {
                    // U.S. / a.m.: single letters separated by dots.
                    let single = j < 2 || !chars[j - 2].1.is_alphanumeric();
                    prev.is_alphabetic() && single && n.is_alphabetic() && {
                        let after = chars.get(j + 2).map(|&(_, c)| c);
                        !after.is_some_and(char::is_alphanumeric)
                    }
                }
                _ => false,
            };
            if !joins {
                break;
            }
            j += 2;
        }
        let mut end = chars.get(j).map_or(slice.len(), |&(at, _)| at);
        // Keep the closing dot of a dotted abbreviation: "U.S."
        if slice[start..end].contains('.')
            && !slice[start..end].starts_with(|c: char| c.is_ascii_digit())
            && slice[end..].starts_with('.')
        {
            end += 1;
            j += 1;
        }
        out.push(offset(base + start)..offset(base + end));
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<&str> {
        token_ranges(text, 0..text.len() as u32)
            .into_iter()
            .map(|r| &text[r.start as usize..r.end as usize])
            .collect()
    }

    #[test]
    fn words_numbers_abbreviations() {
        assert_eq!(
            tokens("The U.S. said 1,000 (2.5%) hit-and-run attacks, Assad's men."),
            [
                "The", "U.S.", "said", "1,000", "2.5", "hit", "and", "run", "attacks", "Assad's",
                "men"
            ]
        );
        assert_eq!(
            tokens("'Pray for us.' 7-13 Al-Qusour"),
            ["Pray", "for", "us", "7", "13", "Al", "Qusour"]
        );
    }
}
