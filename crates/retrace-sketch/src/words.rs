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
    let mut window = None;
    loop {
        if word.is_empty() {
            // Between words: the plain ASCII words ahead, many at a time.
            at = ascii_words(bytes, at, &mut hashes, &mut window);
        }
        let Some(&b) = bytes.get(at) else {
            break;
        };
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

/// Words of [`word_hashes`] of at most this many bytes go the fast way.
const FAST_WORD: usize = 16;

/// The classes of 64 bytes of a text from `base`, as bits (bit i for byte `base + i`): its ASCII
/// letters and digits, and the bytes left to the general loop of [`word_hashes`] (apostrophes,
/// which may join two words, and the bytes of non-ASCII characters). Other ASCII bytes only
/// separate words.
struct Window {
    base: usize,
    alnum: u64,
    stop: u64,
}

impl Window {
    /// The window of the 64 bytes from `at`, if [`FAST_WORD`] more bytes follow them (so that
    /// any word in it can be read sixteen bytes at once). The bytes are classified eight at a
    /// time in the bits of a `u64`, without a branch (SWAR): for bytes below 0x80, adding
    /// `0x80 - lo` sets bit 7 of those at or above `lo`, and carries into no other byte.
    fn at(bytes: &[u8], at: usize) -> Option<Window> {
        let window = bytes.get(at..at + 64 + FAST_WORD)?;
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        // Bit 7 of each byte of `x` (all below 0x80) in `lo..lo + n`.
        let within = |x: u64, lo: u8, n: u8| {
            (x + ONES * u64::from(0x80 - lo)) & !(x + ONES * u64::from(0x80 - lo - n)) & HIGH
        };
        // Bit 7 of each byte to bit i of a byte.
        let gather = |m: u64| ((m >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        let (mut alnum, mut stop) = (0u64, 0u64);
        for (i, eight) in window[..64].chunks_exact(8).enumerate() {
            let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
            let high = x & HIGH;
            let x7 = x & !HIGH;
            let an = (within(x7 | (ONES * 0x20), b'a', 26) | within(x7, b'0', 10)) & !high;
            // Zero bytes of `x7 ^ '\''`: adding 0x7f sets bit 7 of every other byte.
            let quote = !((x7 ^ (ONES * u64::from(b'\''))) + ONES * 0x7f) & HIGH & !high;
            alnum |= gather(an) << (8 * i);
            stop |= gather(high | quote) << (8 * i);
        }
        Some(Window {
            base: at,
            alnum,
            stop,
        })
    }
}

/// Hashes the words of ASCII letters and digits ahead of `at` (which is not inside a word),
/// each of up to [`FAST_WORD`] bytes and followed by an ASCII separator, and returns where the
/// general loop of [`word_hashes`] goes on: at the first word it must read itself (one with an
/// apostrophe or a non-ASCII character, or a long one), or near the end of the text.
///
/// Bytes are classified 64 at a time into two bit masks, without a branch, and words are read
/// off the masks, so the end of a word costs no mispredicted branch; a word is lower-cased
/// eight bytes at a time (setting bit 5 lower-cases an ASCII letter and leaves a digit as it
/// is). `window` keeps the last masks for the next call. The hashes are the general loop's.
fn ascii_words(
    bytes: &[u8],
    mut at: usize,
    hashes: &mut Vec<u64>,
    window: &mut Option<Window>,
) -> usize {
    'windows: loop {
        let current = match window {
            Some(current) if (current.base..current.base + 64).contains(&at) => current,
            _ => match Window::at(bytes, at) {
                Some(fresh) => window.insert(fresh),
                None => return at,
            },
        };
        let offset = at - current.base;
        let available = (64 - offset) as u32;
        let alnum = current.alnum >> offset;
        // Up to the first byte left to the general loop.
        let limit = (current.stop >> offset).trailing_zeros().min(available);
        let mut starts = if limit == 64 {
            alnum
        } else {
            alnum & ((1 << limit) - 1)
        };
        while starts != 0 {
            let start = starts.trailing_zeros();
            let len = (!(alnum >> start)).trailing_zeros();
            let end = start + len;
            if end >= limit || len as usize > FAST_WORD {
                if end == available && limit == available && len as usize <= FAST_WORD {
                    // Cut by the window's end (so not at its start): a window from the word.
                    at += start as usize;
                    *window = None;
                    continue 'windows;
                }
                // Ended by a byte the general loop reads, or long.
                return at + start as usize;
            }
            let from = at + start as usize;
            let mut lower = [0u8; FAST_WORD];
            for (lower, eight) in lower.chunks_exact_mut(8).zip(bytes[from..].chunks_exact(8)) {
                let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
                lower.copy_from_slice(&(eight | 0x2020_2020_2020_2020).to_le_bytes());
            }
            debug_assert!(
                bytes[from..from + len as usize]
                    .iter()
                    .all(u8::is_ascii_alphanumeric)
            );
            hashes.push(xxh3_64(&lower[..len as usize]));
            // `end` < 64: the byte there separates, so the next word starts after it.
            starts &= !((1 << end) - 1);
        }
        if limit < available {
            // The rest up to `limit` only separates words.
            return at + limit as usize;
        }
        at += available as usize;
    }
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

    proptest::proptest! {
        #[test]
        fn windows_classify_every_byte(bytes in proptest::collection::vec(proptest::num::u8::ANY, 80..100)) {
            let window = Window::at(&bytes, 0).expect("80 bytes");
            for (i, &b) in bytes[..64].iter().enumerate() {
                proptest::prop_assert_eq!(window.alnum >> i & 1 == 1, b.is_ascii_alphanumeric(), "{}", b);
                proptest::prop_assert_eq!(window.stop >> i & 1 == 1, !b.is_ascii() || b == b'\'', "{}", b);
            }
        }
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
        /// Long texts, for the fast path (64 bytes and more): words of every length, plain
        /// ASCII or not, with every kind of separator.
        #[test]
        fn long_texts_have_the_same_words_as_the_plain_form(
            parts in proptest::collection::vec(
                ("[a-zA-Z0-9]{1,24}|[a-zA-Z]{0,5}[ÜüßΣİ東\u{212a}][a-z]{0,5}", "[ .,;'\u{2019}\n\u{a0}“”—-]{1,3}"),
                0..60,
            )
        ) {
            let text: String = parts.into_iter().flat_map(|(word, gap)| [word, gap]).collect();
            proptest::prop_assert_eq!(word_hashes(&text), word_hashes_plain(&text));
        }

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
