//! The word scanner every fact extractor runs on.
//!
//! A word is a run of alphanumeric characters. Three kinds of punctuation stay inside a word
//! because facts depend on them:
//! - `-` and `'` between two alphanumerics ("Al-Qusour", "hit-and-run", "Shi'ite", "Syria's",
//!   "7-13", "2024-12-08");
//! - `.` `,` `:` `/` between two ASCII digits ("1,000", "1.5", "08:08:51", "9.08am");
//! - dots of a dotted acronym ("U.S.", "U.N."), the final dot included.
//!
//! Each word keeps its byte range in the text and a lowercase copy in one shared buffer, so a
//! sentence costs two amortized allocations, not one per word.

use std::ops::Range;

/// First character is uppercase.
pub(super) const CAP: u8 = 1;
/// First character is an ASCII digit.
pub(super) const NUM: u8 = 2;
/// At least two letters, all uppercase ("HTS", "U.N.").
pub(super) const ACRONYM: u8 = 4;
/// Contains a digit somewhere.
pub(super) const HAS_DIGIT: u8 = 8;
/// Contains a hyphen.
pub(super) const HYPHEN: u8 = 16;
/// Contains an apostrophe.
pub(super) const APOS: u8 = 32;

/// One word of a scanned range.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    /// Byte offset of the first byte, into the whole text.
    pub(super) start: usize,
    /// Byte offset one past the last byte, into the whole text.
    pub(super) end: usize,
    lo_start: u32,
    lo_end: u32,
    /// Bit set of [`CAP`], [`NUM`], [`ACRONYM`], [`HAS_DIGIT`], [`HYPHEN`], [`APOS`].
    pub(super) flags: u8,
}

/// The words of one range of a text, reusable across ranges of the same text.
#[derive(Debug)]
pub(super) struct Words<'t> {
    text: &'t str,
    range: Range<usize>,
    toks: Vec<Tok>,
    lower: String,
}

impl<'t> Words<'t> {
    /// An empty scanner over `text`.
    pub(super) fn new(text: &'t str) -> Self {
        Words {
            text,
            range: 0..0,
            toks: Vec::new(),
            lower: String::new(),
        }
    }

    /// The whole text the offsets point into.
    pub(super) fn text(&self) -> &'t str {
        self.text
    }

    /// Scans the words of `range`, which must lie on char boundaries of the text.
    pub(super) fn scan(&mut self, range: Range<usize>) {
        self.toks.clear();
        self.lower.clear();
        self.range = range.clone();
        let base = range.start;
        let s = &self.text[range];
        let mut start: Option<usize> = None;
        let mut prev = ' ';
        for (i, c) in s.char_indices() {
            let alnum = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                c.is_alphanumeric()
            };
            if alnum {
                if start.is_none() {
                    start = Some(i);
                }
                prev = c;
                continue;
            }
            let Some(st) = start else { continue };
            let next = s[i + c.len_utf8()..].chars().next();
            let join = match (c, next) {
                ('-' | '\'', Some(n)) => prev.is_alphanumeric() && n.is_alphanumeric(),
                ('.' | ',' | ':' | '/', Some(n)) if prev.is_ascii_digit() && n.is_ascii_digit() => {
                    true
                }
                ('.', Some(n)) => {
                    n.is_ascii_uppercase()
                        && s.as_bytes().get(i + 2) == Some(&b'.')
                        && is_dotted_acronym(&s[st..i])
                }
                _ => false,
            };
            if join {
                prev = c;
                continue;
            }
            let mut end = i;
            if c == '.' && s[st..i].contains('.') && is_dotted_acronym(&s[st..i]) {
                end = i + 1;
            }
            self.push(base, &s[st..end], st);
            start = None;
            prev = c;
        }
        if let Some(st) = start {
            self.push(base, &s[st..], st);
        }
    }

    fn push(&mut self, base: usize, w: &str, st: usize) {
        let lo_start = self.lower.len();
        let mut flags = 0;
        let mut letters = 0u32;
        let mut uppers = 0u32;
        if w.is_ascii() {
            // The common case, without char decoding.
            let bytes = w.as_bytes();
            if bytes.first().is_some_and(u8::is_ascii_uppercase) {
                flags |= CAP;
            } else if bytes.first().is_some_and(u8::is_ascii_digit) {
                flags |= NUM;
            }
            for &b in bytes {
                match b {
                    b'0'..=b'9' => flags |= HAS_DIGIT,
                    b'-' => flags |= HYPHEN,
                    b'\'' => flags |= APOS,
                    b'A'..=b'Z' => {
                        letters += 1;
                        uppers += 1;
                    }
                    b'a'..=b'z' => letters += 1,
                    _ => {}
                }
            }
            self.lower.push_str(w);
            self.lower[lo_start..].make_ascii_lowercase();
        } else {
            for (k, c) in w.chars().enumerate() {
                if k == 0 {
                    if c.is_uppercase() {
                        flags |= CAP;
                    } else if c.is_ascii_digit() {
                        flags |= NUM;
                    }
                }
                match c {
                    '0'..='9' => flags |= HAS_DIGIT,
                    '-' => flags |= HYPHEN,
                    '\'' => flags |= APOS,
                    _ => {}
                }
                if c.is_alphabetic() {
                    letters += 1;
                    if c.is_uppercase() {
                        uppers += 1;
                    }
                }
                self.lower.extend(c.to_lowercase());
            }
        }
        if letters >= 2 && uppers == letters {
            flags |= ACRONYM;
        }
        // The lowercase buffer of one range stays far below 4 GiB: ranges are sentences or
        // windows of a document whose offsets fit u32.
        let lo_start = u32::try_from(lo_start).unwrap_or(u32::MAX);
        let lo_end = u32::try_from(self.lower.len()).unwrap_or(u32::MAX);
        self.toks.push(Tok {
            start: base + st,
            end: base + st + w.len(),
            lo_start,
            lo_end,
            flags,
        });
    }

    /// Number of words.
    pub(super) fn len(&self) -> usize {
        self.toks.len()
    }

    /// Word `i`.
    pub(super) fn tok(&self, i: usize) -> Tok {
        self.toks[i]
    }

    /// Word `i` as written.
    pub(super) fn raw(&self, i: usize) -> &'t str {
        let t = self.toks[i];
        &self.text[t.start..t.end]
    }

    /// Word `i` lowercased; "" when `i` is out of range, so look-ahead needs no bounds checks.
    pub(super) fn lo(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) => self
                .lower
                .get(t.lo_start as usize..t.lo_end as usize)
                .unwrap_or(""),
            None => "",
        }
    }

    /// Whether word `i` exists and has all of `flag`.
    pub(super) fn is(&self, i: usize, flag: u8) -> bool {
        self.toks.get(i).is_some_and(|t| t.flags & flag == flag)
    }

    /// The text between word `i - 1` (or the range start) and word `i` (or the range end).
    pub(super) fn gap(&self, i: usize) -> &'t str {
        let from = if i == 0 {
            self.range.start
        } else {
            self.toks[i - 1].end
        };
        let to = self.toks.get(i).map_or(self.range.end, |t| t.start);
        self.text.get(from..to).unwrap_or("")
    }

    /// Whether words `i - 1` and `i` are separated by whitespace only.
    pub(super) fn joined(&self, i: usize) -> bool {
        i > 0 && i < self.toks.len() && self.gap(i).bytes().all(|b| b.is_ascii_whitespace())
    }

    /// Whether the words `from..to` are separated by whitespace only.
    pub(super) fn run_joined(&self, from: usize, to: usize) -> bool {
        (from + 1..to).all(|k| self.joined(k))
    }

    /// Word `i` is the first of its sentence or clause: nothing but punctuation that opens a
    /// sentence (quote marks, brackets, dashes, colons) stands between it and the range start or
    /// a sentence end.
    pub(super) fn starts_clause(&self, i: usize) -> bool {
        let g = self.gap(i);
        if i == 0 {
            return true;
        }
        g.contains(['"', ':', ';', '(', '[', '\n', '.', '!', '?']) || g.trim() == "-" && g.len() < 3
    }

    /// The byte range of the words `from..to` (`to` exclusive, `to > from`).
    pub(super) fn span(&self, from: usize, to: usize) -> Range<usize> {
        self.toks[from].start..self.toks[to - 1].end
    }

    /// The lowercase text of words `from..to`, joined by single spaces.
    pub(super) fn lo_phrase(&self, from: usize, to: usize) -> String {
        let mut s = String::new();
        for k in from..to {
            if k > from {
                s.push(' ');
            }
            s.push_str(self.lo(k));
        }
        s
    }
}

/// "U", "U.S", "U.N": single ASCII capitals separated by dots.
fn is_dotted_acronym(w: &str) -> bool {
    w.bytes().enumerate().all(|(k, b)| {
        if k % 2 == 0 {
            b.is_ascii_uppercase()
        } else {
            b == b'.'
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut w = Words::new(s);
        w.scan(0..s.len());
        (0..w.len()).map(|i| w.raw(i).to_owned()).collect()
    }

    #[test]
    fn keeps_inner_punctuation() {
        assert_eq!(
            words("Al-Qusour's 1,200 men, at 9.08am (U.N. data), on 2024-12-08."),
            [
                "Al-Qusour's",
                "1,200",
                "men",
                "at",
                "9.08am",
                "U.N.",
                "data",
                "on",
                "2024-12-08"
            ]
        );
    }

    #[test]
    fn splits_at_trailing_punctuation() {
        assert_eq!(
            words("'Pray,' she said - 7-13."),
            ["Pray", "she", "said", "7-13"]
        );
        assert_eq!(words("Team A. Bob left"), ["Team", "A", "Bob", "left"]);
    }

    #[test]
    fn lowercases_and_flags() {
        let s = "ÉCOLE HTS Dana 120";
        let mut w = Words::new(s);
        w.scan(0..s.len());
        assert_eq!(w.lo(0), "école");
        assert!(w.is(0, CAP | ACRONYM));
        assert!(w.is(1, ACRONYM));
        assert!(w.is(2, CAP) && !w.is(2, ACRONYM));
        assert!(w.is(3, NUM));
        assert_eq!(w.lo(9), "");
    }
}
