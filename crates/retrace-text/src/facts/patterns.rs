//! A small phrase matcher over [`Words`], for cue lists such as hedges and certainty verbs.
//!
//! A pattern is lowercase words separated by spaces. A word may list alternatives with `|`
//! ("confirm|verify"), may be optional with a trailing `?` ("independently?"), and `#` stands
//! for a number or quantity word ("about #"). The first word is never optional. Words of a match
//! must be separated by whitespace only, so "about. 20" or "likely, " never joins a phrase.
//!
//! Patterns are indexed by the alternatives of their first word, so a lookup costs one hash per
//! word of text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::numbers;
use super::words::Words;

#[derive(Debug)]
struct Elem {
    alts: Vec<&'static str>,
    optional: bool,
}

/// A compiled list of patterns, each with a value.
#[derive(Debug)]
pub(super) struct Phrases<T> {
    patterns: Vec<(Vec<Elem>, T)>,
    /// Bit `len` of `lengths[first byte]` is set when some first word has that byte and length
    /// (lengths over 63 share bit 63): a cheap test that rejects most words before hashing.
    lengths: [u64; 256],
    by_first: HashMap<&'static str, Vec<usize>, FastHash>,
}

impl<T> Phrases<T> {
    /// Compiles `(pattern, value)` pairs.
    pub(super) fn new(list: impl IntoIterator<Item = (&'static str, T)>) -> Self {
        let mut patterns = Vec::new();
        let mut lengths = [0u64; 256];
        let mut by_first: HashMap<&'static str, Vec<usize>, FastHash> = HashMap::default();
        for (pat, value) in list {
            let elems: Vec<Elem> = pat
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let (w, optional) = match w.strip_suffix('?') {
                        Some(w) => (w, true),
                        None => (w, false),
                    };
                    Elem {
                        alts: w.split('|').collect(),
                        optional,
                    }
                })
                .collect();
            let Some(first) = elems.first() else { continue };
            for alt in &first.alts {
                by_first.entry(alt).or_default().push(patterns.len());
                if let Some(&b) = alt.as_bytes().first() {
                    lengths[usize::from(b)] |= 1 << alt.len().min(63);
                }
            }
            patterns.push((elems, value));
        }
        Phrases {
            patterns,
            lengths,
            by_first,
        }
    }

    /// The longest pattern that matches at word `i`: the index one past its last word, and
    /// its value.
    pub(super) fn longest(&self, w: &Words<'_>, i: usize) -> Option<(usize, &T)> {
        let lo = w.lo(i);
        let &b = lo.as_bytes().first()?;
        if self.lengths[usize::from(b)] & (1 << lo.len().min(63)) == 0 {
            return None;
        }
        let ids = self.by_first.get(lo)?;
        let mut best: Option<(usize, &T)> = None;
        for &id in ids {
            let (elems, value) = &self.patterns[id];
            if let Some(end) = match_from(elems, 1, w, i + 1)
                && best.is_none_or(|(b, _)| end > b)
            {
                best = Some((end, value));
            }
        }
        best
    }
}

/// A multiply-rotate hash (the Fx hash of rustc) for short keys in immutable word tables. Keys
/// are our own word lists, so hash flooding is no concern, and SipHash costs more than the
/// lookup it guards.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(buf));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Builds [`Fx`] hashers.
pub(super) type FastHash = BuildHasherDefault<Fx>;

/// Matches `elems[k..]` starting at word `j`; returns one past the last word matched.
fn match_from(elems: &[Elem], k: usize, w: &Words<'_>, j: usize) -> Option<usize> {
    let Some(e) = elems.get(k) else {
        return Some(j);
    };
    let here = j < w.len()
        && w.joined(j)
        && e.alts.iter().any(|a| {
            if *a == "#" {
                numbers::is_numberish(w, j)
            } else {
                *a == w.lo(j)
            }
        });
    let taken = if here {
        match_from(elems, k + 1, w, j + 1)
    } else {
        None
    };
    let skipped = if e.optional {
        match_from(elems, k + 1, w, j)
    } else {
        None
    };
    taken.max(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_and_alternatives() {
        let p = Phrases::new([("could not independently? confirm|verify", 1), ("could", 2)]);
        for (s, want) in [
            ("we could not verify it", Some((4, 1))),
            ("we could not independently confirm", Some((5, 1))),
            ("we could, not verify", Some((2, 2))),
        ] {
            let mut w = Words::new(s);
            w.scan(0..s.len());
            assert_eq!(p.longest(&w, 1).map(|(e, v)| (e, *v)), want, "{s}");
        }
    }

    #[test]
    fn number_slot() {
        let p = Phrases::new([("about #", ())]);
        let s = "about 40 people, about them";
        let mut w = Words::new(s);
        w.scan(0..s.len());
        assert_eq!(p.longest(&w, 0).map(|(e, _)| e), Some(2));
        assert!(p.longest(&w, 3).is_none());
    }
}
