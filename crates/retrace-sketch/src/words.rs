//! Words and word shingles, as 64-bit hashes.

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Words per shingle. Five is the usual choice for near-duplicate detection of news (long
/// enough that common phrases rarely match by chance, short enough that an edit every few
/// sentences leaves most shingles intact).
pub const SHINGLE_WORDS: usize = 5;

/// The words of a text, hashed: runs of letters and digits, lower-cased; an apostrophe inside a
/// word is left out (`it's` is `its`, whichever apostrophe is typed); everything else
/// (punctuation, spacing, quote styles) separates words and is otherwise ignored.
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut hashes = Vec::with_capacity(text.len() / 6);
    // The word so far, lower-cased, as UTF-8.
    let mut word: Vec<u8> = Vec::with_capacity(64);
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        // ASCII bytes are whole characters: the common case, decided without decoding.
        let (alphanumeric, apostrophe, len) = if b.is_ascii_alphanumeric() {
            // The whole run of ASCII letters and digits at once.
            let run = bytes[at..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - at);
            word.extend(bytes[at..at + run].iter().map(u8::to_ascii_lowercase));
            (true, false, run)
        } else if b.is_ascii() {
            (false, b == b'\'', 1)
        } else {
            let Some(c) = char_at(text, at) else {
                break;
            };
            let alphanumeric = is_alphanumeric(c);
            if alphanumeric {
                match latin1_lowercase(c) {
                    Some(lower) => {
                        word.extend_from_slice(lower.encode_utf8(&mut [0; 4]).as_bytes())
                    }
                    None => {
                        for lower in c.to_lowercase() {
                            word.extend_from_slice(lower.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                    }
                }
            }
            (alphanumeric, c == '\u{2019}', c.len_utf8())
        };
        at += len;
        if alphanumeric || (apostrophe && !word.is_empty()) {
            // A letter or digit (kept above), or an apostrophe inside a word (skipped; at its
            // end, the next separator ends the word).
            continue;
        }
        if !word.is_empty() {
            hashes.push(xxh3_64(&word));
            word.clear();
        }
    }
    if !word.is_empty() {
        hashes.push(xxh3_64(&word));
    }
    hashes
}

/// The character starting at byte `at` of `text` (a character boundary), decoded only when it
/// is not ASCII.
pub(crate) fn char_at(text: &str, at: usize) -> Option<char> {
    match *text.as_bytes().get(at)? {
        b if b.is_ascii() => Some(char::from(b)),
        _ => text.get(at..)?.chars().next(),
    }
}

/// `char::is_alphanumeric`, decided without Unicode tables for ASCII and for the letters of
/// Latin-1 (U+00C0–U+00FF, all letters but `×` and `÷`), most of the non-ASCII text of European
/// news.
pub(crate) fn is_alphanumeric(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{c0}'..='\u{ff}' => !matches!(c, '\u{d7}' | '\u{f7}'),
        _ => c.is_alphanumeric(),
    }
}

/// The lower case of a Latin-1 letter (U+00C0–U+00FF), which is one character: the capitals
/// `À`–`Þ` are their small letters less 0x20; `None` for `×`, `÷` and other characters.
fn latin1_lowercase(c: char) -> Option<char> {
    match c {
        '\u{c0}'..='\u{de}' if c != '\u{d7}' => char::from_u32(u32::from(c) + 0x20),
        '\u{df}'..='\u{ff}' if c != '\u{f7}' => Some(c),
        _ => None,
    }
}

/// The hashes of every run of `k` consecutive words; a text shorter than `k` words is one
/// shingle of all its words (so that short texts still have a sketch), and an empty one has none.
pub fn shingles(words: &[u64], k: usize) -> Vec<u64> {
    let k = k.max(1);
    if words.is_empty() {
        return Vec::new();
    }
    if words.len() < k {
        return vec![hash_run(words)];
    }
    words.windows(k).map(hash_run).collect()
}

fn hash_run(run: &[u64]) -> u64 {
    let mut bytes = [0u8; 8 * 16];
    let mut len = 0;
    for word in run.iter().take(16) {
        bytes[len..len + 8].copy_from_slice(&word.to_le_bytes());
        len += 8;
    }
    xxh3_64_with_seed(&bytes[..len], run.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_ignore_case_and_punctuation() {
        assert_eq!(
            word_hashes("It's 3,200 — “Kestrin”!"),
            word_hashes("its 3 200 KESTRIN")
        );
        assert_eq!(word_hashes("Zürich ZÜRICH"), {
            let h = xxh3_64("zürich".as_bytes());
            vec![h, h]
        });
        assert!(word_hashes(" -- ").is_empty());
    }

    /// The plain form of [`word_hashes`]: a `String` per word, lower-cased character by
    /// character.
    fn word_hashes_plain(text: &str) -> Vec<u64> {
        let mut hashes = Vec::new();
        let mut word = String::new();
        for c in text.chars() {
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else if matches!(c, '\'' | '\u{2019}') && !word.is_empty() {
            } else if !word.is_empty() {
                hashes.push(xxh3_64(word.as_bytes()));
                word.clear();
            }
        }
        if !word.is_empty() {
            hashes.push(xxh3_64(word.as_bytes()));
        }
        hashes
    }

    #[test]
    fn latin1_shortcuts_agree_with_unicode() {
        for c in (0..0x300).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            if let Some(lower) = latin1_lowercase(c) {
                assert!(c.is_alphanumeric(), "{c:?}");
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    lower.to_string(),
                    "{c:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn same_words_as_the_plain_form(text in "[a-zA-Z0-9 .,'\u{2019}!\n\u{a0}İΣσKÜüß東-]{0,60}") {
            proptest::prop_assert_eq!(word_hashes(&text), word_hashes_plain(&text));
        }
    }

    #[test]
    fn shingle_counts() {
        let words = word_hashes("one two three four five six seven");
        assert_eq!(shingles(&words, 5).len(), 3);
        assert_eq!(shingles(&words[..2], 5).len(), 1);
        assert!(shingles(&[], 5).is_empty());
        // Order matters inside a shingle.
        let reversed: Vec<u64> = words[..5].iter().rev().copied().collect();
        assert_ne!(shingles(&words[..5], 5), shingles(&reversed, 5));
    }
}
