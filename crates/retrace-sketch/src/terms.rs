//! Distinctive terms: the names and numbers of a text. A rewrite changes every phrase but keeps
//! the people, places and figures it reports, so two texts that share several *rare* names and
//! numbers are worth aligning even when they share no shingle. Which terms are rare is a corpus
//! question: this module picks each text's candidates; [`pick_rare`] keeps those a corpus makes
//! distinctive.

use xxhash_rust::xxh3::xxh3_64;

use crate::words::{char_at, is_alphanumeric};

/// The most candidate terms kept per text (the most frequent in it first).
pub const MAX_TERMS: usize = 24;

/// The names and numbers of a text, hashed lower-case, most frequent first (ties: first
/// appearance), at most [`MAX_TERMS`]. A name is a capitalized word that does not open a
/// sentence; a number is a run of digits, with `.` or `,` inside it (`3,200`, `4.5`).
pub fn name_terms(text: &str) -> Vec<u64> {
    // Every occurrence of a term, as (hash, position among the occurrences); counted below.
    let mut occurrences: Vec<(u64, u32)> = Vec::new();
    let mut opens_sentence = true;
    let mut at = 0;
    while let Some(c) = char_at(text, at) {
        let start = at;
        at += c.len_utf8();
        if is_alphanumeric(c) {
            // The word goes on over letters and digits, and over `.`, `,`, apostrophes and `-`
            // between two of them.
            while let Some(next) = char_at(text, at) {
                if next.is_ascii_alphanumeric() {
                    // The common case, one byte at a time without decoding.
                    at += 1;
                    continue;
                }
                let after = at + next.len_utf8();
                let inner = matches!(next, '.' | ',' | '\'' | '\u{2019}' | '-')
                    && char_at(text, after).is_some_and(is_alphanumeric);
                if is_alphanumeric(next) || inner {
                    at = after;
                } else {
                    break;
                }
            }
            let word = &text[start..at];
            let is_number = c.is_ascii_digit();
            let is_name = !opens_sentence
                && c.is_uppercase()
                && word.chars().count() >= 3
                && word.chars().skip(1).any(char::is_lowercase);
            if is_number || is_name {
                let position = u32::try_from(occurrences.len()).unwrap_or(u32::MAX);
                occurrences.push((lowercase_hash(word), position));
            }
            opens_sentence = false;
        } else if matches!(c, '.' | '!' | '?' | '\n' | ':' | '"' | '\u{201c}') {
            opens_sentence = true;
        }
    }
    // Equal hashes become neighbours, each run in order of appearance: one run is one term,
    // with its count and its first appearance.
    occurrences.sort_unstable();
    let mut counts: Vec<(u64, u32, u32)> = Vec::new();
    for (hash, position) in occurrences {
        match counts.last_mut() {
            Some((last, n, _)) if *last == hash => *n += 1,
            _ => counts.push((hash, 1, position)),
        }
    }
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts.truncate(MAX_TERMS);
    counts.into_iter().map(|(hash, _, _)| hash).collect()
}

/// The hash of a word in lower case (`str::to_lowercase`), without allocating for the usual
/// short ASCII word.
fn lowercase_hash(word: &str) -> u64 {
    let mut buffer = [0u8; 64];
    match buffer.get_mut(..word.len()) {
        Some(lower) if word.is_ascii() => {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            xxh3_64(lower)
        }
        _ => xxh3_64(word.to_lowercase().as_bytes()),
    }
}

/// Of a text's candidate terms, the `k` rarest in the corpus that at least one other text
/// shares and at most `max_df` texts hold; `df` gives a term's document frequency.
pub fn pick_rare(terms: &[u64], df: impl Fn(u64) -> u32, k: usize, max_df: u32) -> Vec<u64> {
    let mut rare: Vec<(u32, u64)> = terms
        .iter()
        .map(|&term| (df(term), term))
        .filter(|&(n, _)| n >= 2 && n <= max_df)
        .collect();
    rare.sort_unstable();
    rare.truncate(k);
    rare.into_iter().map(|(_, term)| term).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_not_sentence_openers() {
        let terms = name_terms(
            "Officials in Kestrin said 3,200 people left. Kestrin's mayor, Ana Brevik, \
             said the Varenne rose 4.5 metres. The army helped.",
        );
        let hash = |w: &str| xxh3_64(w.as_bytes());
        for expected in ["kestrin", "3,200", "4.5", "ana", "brevik", "varenne"] {
            assert!(terms.contains(&hash(expected)), "{expected}");
        }
        for not in ["officials", "the", "said", "army"] {
            assert!(!terms.contains(&hash(not)), "{not}");
        }
        // Most frequent first: Kestrin appears twice.
        assert_eq!(terms[0], hash("kestrin"));
    }

    /// The plain form of [`name_terms`]: each term lower-cased into a `String`, counted in a
    /// list.
    fn name_terms_plain(text: &str) -> Vec<u64> {
        let mut counts: Vec<(u64, u32, usize)> = Vec::new();
        let mut opens_sentence = true;
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if c.is_alphanumeric() {
                let mut end = start + c.len_utf8();
                while let Some(&(at, next)) = chars.peek() {
                    let inner = matches!(next, '.' | ',' | '\'' | '\u{2019}' | '-')
                        && text[at + next.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric);
                    if next.is_alphanumeric() || inner {
                        end = at + next.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &text[start..end];
                let is_number = word.chars().next().is_some_and(|c| c.is_ascii_digit());
                let is_name = !opens_sentence
                    && c.is_uppercase()
                    && word.chars().count() >= 3
                    && word.chars().skip(1).any(char::is_lowercase);
                if is_number || is_name {
                    let hash = xxh3_64(word.to_lowercase().as_bytes());
                    match counts.iter_mut().find(|(h, _, _)| *h == hash) {
                        Some((_, n, _)) => *n += 1,
                        None => counts.push((hash, 1, counts.len())),
                    }
                }
                opens_sentence = false;
            } else if matches!(c, '.' | '!' | '?' | '\n' | ':' | '"' | '\u{201c}') {
                opens_sentence = true;
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        counts.truncate(MAX_TERMS);
        counts.into_iter().map(|(hash, _, _)| hash).collect()
    }

    proptest::proptest! {
        #[test]
        fn same_terms_as_the_plain_form(
            text in "([A-Z][a-z]{1,3}|[0-9]{1,2}|[ .,'\u{2019}\n:-]|İstanbul|ΣΟΦΙΑΣ|Öl|東京){0,80}"
        ) {
            proptest::prop_assert_eq!(name_terms(&text), name_terms_plain(&text));
        }
    }

    #[test]
    fn long_words_and_many_terms() {
        let long = format!("Then {} and {} went.", "Ab".repeat(40), "Cd".repeat(40));
        assert_eq!(name_terms(&long), name_terms_plain(&long));
        let many: String = (0..200).map(|i| format!("x {i} Name{} ", i % 37)).collect();
        assert_eq!(name_terms(&many), name_terms_plain(&many));
    }

    #[test]
    fn rare_terms_by_corpus_frequency() {
        let df = |term: u64| term as u32;
        assert_eq!(pick_rare(&[1, 9, 3, 50, 2], df, 2, 10), vec![2, 3]);
        assert_eq!(pick_rare(&[1, 50], df, 2, 10), Vec::<u64>::new());
    }
}
