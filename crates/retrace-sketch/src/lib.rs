//! Stage 4 of retrace: which documents of a corpus are worth comparing?
//!
//! - Input: an article's text (`retrace_extract::Article::text`).
//! - Output: a [`Sketch`]: an exact [`Fingerprint`] of its words (case, punctuation and spacing
//!   ignored), a [`MinHash`] of its word shingles, and from it the LSH band keys
//!   ([`Bands::keys`]), and a content-defined sample of its shingles ([`anchors`]); then, over a
//!   whole corpus, [`candidate_pairs`]: the documents that share a band key (near-copies),
//!   enough anchors (excerpts) or enough rare names and numbers ([`name_terms`], rewrites), found
//!   without comparing every pair.
//!
//! Everything here is a pure function of its input and of fixed seeds: the same text gives the
//! same sketch on every machine and run, so sketches can be stored and compared across runs.
//! Hashes are xxh3 (stable across platforms and versions), never the standard library's.
//!
//! This crate reads the article text, not `retrace_text::Analyzed`: a corpus pass must cost tens
//! of microseconds per document, and sentence and fact analysis costs a hundred times that. It
//! knows no languages: names are capitalized words, which fits most European scripts.
//!
//! ```
//! use retrace_sketch::{Bands, Sketcher};
//!
//! let sketcher = Sketcher::default();
//! let a = sketcher.sketch("Floodwaters swept through the river town of Kestrin on Sunday, forcing more than 3,200 residents from their homes.");
//! let b = sketcher.sketch("FLOODWATERS swept through the river town of Kestrin on Sunday -- forcing more than 3,200 residents from their homes!");
//! assert_eq!(a.fingerprint, b.fingerprint);
//! assert_eq!(a.minhash.jaccard(&b.minhash), 1.0);
//! let bands = Bands::new(32, 4);
//! assert!(bands.keys(&a.minhash).eq(bands.keys(&b.minhash)));
//! ```
#![deny(missing_docs)]

mod anchors;
mod bands;
pub mod bytes;
mod candidates;
pub mod evidence;
mod minhash;
pub mod represent;
mod terms;
mod words;

pub use anchors::{MAX_ANCHORS, WINDOW, anchors};
pub use bands::Bands;
pub use bytes::SketchBytesError;
pub use candidates::{Candidates, bucket_pairs, candidate_pairs, candidate_pairs_through_hubs};
pub use minhash::{MinHash, MinHasher, PERMUTATIONS};
pub use terms::{MAX_TERMS, name_terms, pick_rare};
pub use words::{SHINGLE_WORDS, shingles, word_hashes};

use xxhash_rust::xxh3::Xxh3;

/// The version of the sketches this crate makes: raised whenever the same text would get another
/// sketch (shingles, seeds, anchor sampling, names), so that stored sketches of an older version
/// are not compared with new ones. 2: anchors by winnowing.
pub const SKETCH_VERSION: u32 = 2;

/// An exact fingerprint of a text's words: two texts with the same words in the same order (case,
/// punctuation and spacing aside) have the same fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub u128);

/// What a corpus pass keeps of one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sketch {
    /// The exact fingerprint of its words.
    pub fingerprint: Fingerprint,
    /// The MinHash of its word shingles.
    pub minhash: MinHash,
    /// Its anchor shingles ([`anchors`]), which find excerpts.
    pub anchors: Vec<u64>,
    /// Its names and numbers ([`name_terms`]), which find rewrites once a corpus says which
    /// are rare ([`pick_rare`]).
    pub terms: Vec<u64>,
    /// How many words it has.
    pub words: u32,
}

/// Makes sketches: the shingle length and the MinHash permutations, fixed at construction.
#[derive(Clone, Debug)]
pub struct Sketcher {
    hasher: MinHasher,
    terms: bool,
}

impl Default for Sketcher {
    /// [`PERMUTATIONS`] permutations from the fixed seed, shingles of [`SHINGLE_WORDS`] words.
    fn default() -> Sketcher {
        Sketcher {
            hasher: MinHasher::new(0x5245_5452_4143_4521),
            terms: true,
        }
    }
}

impl Sketcher {
    /// The same sketcher, leaving names and numbers out (`terms` empty) when `terms` is false:
    /// a dedup pass that does not look for rewrites saves a tenth of its sketching time.
    pub fn with_terms(self, terms: bool) -> Sketcher {
        Sketcher { terms, ..self }
    }

    /// The sketch of one text.
    pub fn sketch(&self, text: &str) -> Sketch {
        let words = word_hashes(text);
        // The words' bytes in blocks of 64 words: the same digest as word by word, with few
        // calls and no copy of the whole text's hashes.
        let mut exact = Xxh3::new();
        let mut block = [0u8; 8 * 64];
        for chunk in words.chunks(64) {
            for (bytes, word) in block.chunks_exact_mut(8).zip(chunk) {
                bytes.copy_from_slice(&word.to_le_bytes());
            }
            exact.update(&block[..8 * chunk.len()]);
        }
        let shingles = shingles(&words, SHINGLE_WORDS);
        Sketch {
            fingerprint: Fingerprint(exact.digest128()),
            minhash: self.hasher.minhash(&shingles),
            anchors: anchors(&shingles),
            terms: if self.terms {
                name_terms(text)
            } else {
                Vec::new()
            },
            words: u32::try_from(words.len()).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sketch_without_terms_is_the_same_sketch_without_terms() {
        let text = "Officials in Kestrin said 3,200 people left as the Varenne rose 4.5 metres.";
        let with = Sketcher::default().sketch(text);
        let without = Sketcher::default().with_terms(false).sketch(text);
        assert!(!with.terms.is_empty());
        assert_eq!(
            without,
            Sketch {
                terms: Vec::new(),
                ..with
            }
        );
    }

    #[test]
    fn fingerprint_is_the_streamed_digest_of_the_words() {
        // Long enough for xxh3's long-input path (over 240 bytes of word hashes).
        let text = "Floodwaters swept through the river town of Kestrin on Sunday. ".repeat(40);
        let text = text.as_str();
        let mut streamed = xxhash_rust::xxh3::Xxh3::new();
        for word in word_hashes(text) {
            streamed.update(&word.to_le_bytes());
        }
        let sketch = Sketcher::default().sketch(text);
        assert_eq!(sketch.fingerprint, Fingerprint(streamed.digest128()));
    }
}
