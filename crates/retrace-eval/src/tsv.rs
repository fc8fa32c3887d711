//! The MRPC file format: tab-separated, one pair of sentences a line.
//!
//! The header is `Quality, #1 ID, #2 ID, #1 String, #2 String` (tab-separated) and may start with
//! a UTF-8 byte-order mark. Fields are split on tabs only: the sentences hold stray `"`
//! characters that a CSV reader would take for quoting and swallow the next line with.

use std::fmt;

/// One labelled pair of sentences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pair {
    /// True when people judged the two sentences paraphrases of each other.
    pub(crate) paraphrase: bool,
    /// The corpus ids of the first and second sentence.
    pub(crate) ids: (String, String),
    /// The first sentence.
    pub(crate) a: String,
    /// The second sentence.
    pub(crate) b: String,
}

/// A line that is not a pair, with its 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) line: usize,
    pub(crate) reason: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseError {}

/// Parses a whole MRPC file. Blank lines are skipped; the first line must be the header.
pub(crate) fn parse(text: &str) -> Result<Vec<Pair>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.starts_with("Quality\t") => {}
        _ => {
            return Err(ParseError {
                line: 1,
                reason:
                    "expected the header 'Quality<TAB>#1 ID<TAB>#2 ID<TAB>#1 String<TAB>#2 String'"
                        .into(),
            });
        }
    }
    let mut pairs = Vec::new();
    for (index, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let error = |reason: String| ParseError {
            line: index + 1,
            reason,
        };
        let fields: Vec<&str> = line.split('\t').collect();
        let [quality, id_a, id_b, a, b] = fields[..] else {
            return Err(error(format!(
                "expected 5 tab-separated fields, found {}",
                fields.len()
            )));
        };
        let paraphrase = match quality.trim() {
            "1" => true,
            "0" => false,
            other => return Err(error(format!("quality must be 0 or 1, found {other:?}"))),
        };
        pairs.push(Pair {
            paraphrase,
            ids: (id_a.trim().to_owned(), id_b.trim().to_owned()),
            a: a.trim().to_owned(),
            b: b.trim().to_owned(),
        });
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Invented rows in the corpus layout: a byte-order mark, CRLF line ends and a stray quote.
    const TWO_ROWS: &str = "\u{feff}Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\r\n\
        1\t11\t12\tThe ferry to Orm left at 9 am.\tAt 9 am the Orm ferry left.\r\n\
        0\t21\t22\tShares of Kelt rose 4 \"percent.\tShares of Kelt fell 2 percent.\r\n";

    #[test]
    fn parses_rows_after_a_bom_header() {
        let pairs = parse(TWO_ROWS).unwrap();
        assert_eq!(pairs.len(), 2);
        assert!(pairs[0].paraphrase);
        assert_eq!(pairs[0].ids, ("11".to_owned(), "12".to_owned()));
        assert_eq!(pairs[0].b, "At 9 am the Orm ferry left.");
        assert!(!pairs[1].paraphrase);
        assert_eq!(pairs[1].a, "Shares of Kelt rose 4 \"percent.");
    }

    #[test]
    fn reports_the_line_of_a_short_row() {
        let err =
            parse("Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t5\t6\tonly one\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(
            err.to_string(),
            "line 2: expected 5 tab-separated fields, found 4"
        );
    }

    #[test]
    fn rejects_a_missing_header() {
        assert_eq!(parse("1\t5\t6\ta\tb\n").unwrap_err().line, 1);
    }
}
