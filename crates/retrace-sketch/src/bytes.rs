//! A sketch as bytes, to cross process and machine boundaries (a Python worker, a Spark
//! executor, a file): versioned, little-endian, self-delimiting, and read without trusting the
//! input (a damaged or hostile buffer is an error, never a panic or a huge allocation).
//!
//! The layout, every integer little-endian:
//!
//! | bytes | what |
//! |---|---|
//! | 4 | `RTSK` |
//! | 2 | the layout's version, [`SKETCH_BYTES_VERSION`] |
//! | 4 | the sketcher's version, [`SKETCH_VERSION`] (sketches of another one are not comparable) |
//! | 4 | words |
//! | 16 | fingerprint |
//! | 4 × [`PERMUTATIONS`] | MinHash |
//! | 4 + 8 × n | n anchors |
//! | 4 + 8 × n | n names and numbers |

use crate::{Fingerprint, MinHash, PERMUTATIONS, SKETCH_VERSION, Sketch};

/// The first bytes of an encoded sketch.
pub const SKETCH_MAGIC: [u8; 4] = *b"RTSK";

/// The version of the byte layout (see the module documentation).
pub const SKETCH_BYTES_VERSION: u16 = 1;

/// Why bytes are not a sketch this build can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SketchBytesError {
    /// The bytes do not start with [`SKETCH_MAGIC`].
    NotASketch,
    /// Written with another layout or by another sketcher version: sketch the text again with
    /// this build.
    Version {
        /// What the bytes declare: the layout's version and the sketcher's.
        found: (u16, u32),
        /// What this build reads.
        expected: (u16, u32),
    },
    /// The bytes end before the field that starts at `at`.
    Truncated {
        /// The byte offset of the field.
        at: usize,
        /// The field.
        field: &'static str,
    },
    /// Bytes follow the sketch, from `at`.
    Trailing {
        /// The byte offset after the sketch.
        at: usize,
    },
}

impl std::fmt::Display for SketchBytesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SketchBytesError::NotASketch => {
                write!(f, "not a retrace sketch (the bytes do not start with RTSK)")
            }
            SketchBytesError::Version { found, expected } => write!(
                f,
                "a sketch of layout {} and sketcher {}; this build reads layout {} and sketcher \
                 {}: sketch the text again with this build",
                found.0, found.1, expected.0, expected.1
            ),
            SketchBytesError::Truncated { at, field } => {
                write!(f, "the sketch ends at byte {at}, before its {field}")
            }
            SketchBytesError::Trailing { at } => {
                write!(f, "bytes follow the sketch from byte {at}")
            }
        }
    }
}

impl std::error::Error for SketchBytesError {}

impl Sketch {
    /// The sketch as bytes (see [`crate::bytes`]).
    ///
    /// ```
    /// use retrace_sketch::{Sketch, Sketcher};
    /// let sketch = Sketcher::default().sketch("The council met on Tuesday to hear the report.");
    /// let bytes = sketch.to_bytes();
    /// assert_eq!(Sketch::from_bytes(&bytes), Ok(sketch));
    /// assert!(Sketch::from_bytes(&bytes[..20]).is_err());
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            34 + 4 * PERMUTATIONS + 8 * (2 + self.anchors.len() + self.terms.len()),
        );
        out.extend_from_slice(&SKETCH_MAGIC);
        out.extend_from_slice(&SKETCH_BYTES_VERSION.to_le_bytes());
        out.extend_from_slice(&SKETCH_VERSION.to_le_bytes());
        out.extend_from_slice(&self.words.to_le_bytes());
        out.extend_from_slice(&self.fingerprint.0.to_le_bytes());
        for value in self.minhash.0 {
            out.extend_from_slice(&value.to_le_bytes());
        }
        for list in [&self.anchors, &self.terms] {
            let n = u32::try_from(list.len()).expect("fewer than 2^32 keys");
            out.extend_from_slice(&n.to_le_bytes());
            for key in list {
                out.extend_from_slice(&key.to_le_bytes());
            }
        }
        out
    }

    /// Reads a sketch written by [`Sketch::to_bytes`], all of `bytes` and nothing more.
    pub fn from_bytes(bytes: &[u8]) -> Result<Sketch, SketchBytesError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(4, "magic").ok() != Some(&SKETCH_MAGIC[..]) {
            return Err(SketchBytesError::NotASketch);
        }
        let layout = u16::from_le_bytes(reader.array("layout version")?);
        let sketcher = u32::from_le_bytes(reader.array("sketcher version")?);
        if (layout, sketcher) != (SKETCH_BYTES_VERSION, SKETCH_VERSION) {
            return Err(SketchBytesError::Version {
                found: (layout, sketcher),
                expected: (SKETCH_BYTES_VERSION, SKETCH_VERSION),
            });
        }
        let words = u32::from_le_bytes(reader.array("word count")?);
        let fingerprint = Fingerprint(u128::from_le_bytes(reader.array("fingerprint")?));
        let mut minhash = [0u32; PERMUTATIONS];
        for slot in &mut minhash {
            *slot = u32::from_le_bytes(reader.array("MinHash")?);
        }
        let anchors = reader.keys("anchors")?;
        let terms = reader.keys("names and numbers")?;
        if reader.at != bytes.len() {
            return Err(SketchBytesError::Trailing { at: reader.at });
        }
        Ok(Sketch {
            fingerprint,
            minhash: MinHash(minhash),
            anchors,
            terms,
            words,
        })
    }
}

/// Reads fields off the front of a buffer, checking each length before it takes it.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], SketchBytesError> {
        let truncated = SketchBytesError::Truncated { at: self.at, field };
        let end = self.at.checked_add(n).ok_or(truncated.clone())?;
        let slice = self.bytes.get(self.at..end).ok_or(truncated)?;
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], SketchBytesError> {
        Ok(self
            .take(N, field)?
            .try_into()
            .expect("take returns N bytes"))
    }

    /// A count and that many 8-byte keys; the count is checked against the bytes left before
    /// anything is allocated.
    fn keys(&mut self, field: &'static str) -> Result<Vec<u64>, SketchBytesError> {
        let n = u32::from_le_bytes(self.array(field)?) as usize;
        let body = self.take(n.saturating_mul(8), field)?;
        Ok(body
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sketch_strategy() -> impl Strategy<Value = Sketch> {
        (
            any::<u128>(),
            proptest::collection::vec(any::<u32>(), PERMUTATIONS),
            proptest::collection::vec(any::<u64>(), 0..40),
            proptest::collection::vec(any::<u64>(), 0..40),
            any::<u32>(),
        )
            .prop_map(|(fingerprint, minhash, anchors, terms, words)| Sketch {
                fingerprint: Fingerprint(fingerprint),
                minhash: MinHash(minhash.try_into().expect("PERMUTATIONS values")),
                anchors,
                terms,
                words,
            })
    }

    proptest! {
        #[test]
        fn every_sketch_comes_back_as_it_went(sketch in sketch_strategy()) {
            prop_assert_eq!(Sketch::from_bytes(&sketch.to_bytes()), Ok(sketch));
        }

        #[test]
        fn damaged_bytes_are_an_error_never_a_panic(
            sketch in sketch_strategy(),
            cut in any::<prop::sample::Index>(),
            flip in any::<prop::sample::Index>(),
            noise in proptest::collection::vec(any::<u8>(), 0..600),
        ) {
            let bytes = sketch.to_bytes();
            let short = &bytes[..cut.index(bytes.len())];
            prop_assert!(Sketch::from_bytes(short).is_err());
            let mut longer = bytes.clone();
            longer.push(0);
            prop_assert_eq!(
                Sketch::from_bytes(&longer),
                Err(SketchBytesError::Trailing { at: bytes.len() })
            );
            // A flipped byte gives another sketch or an error, never a panic.
            let mut flipped = bytes.clone();
            let at = flip.index(flipped.len());
            flipped[at] ^= 0xff;
            let _ = Sketch::from_bytes(&flipped);
            let _ = Sketch::from_bytes(&noise);
        }
    }

    fn small() -> Sketch {
        Sketch {
            fingerprint: Fingerprint(7),
            minhash: MinHash([1; PERMUTATIONS]),
            anchors: vec![],
            terms: vec![],
            words: 3,
        }
    }

    #[test]
    fn a_count_larger_than_the_bytes_is_truncation_not_an_allocation() {
        let mut bytes = small().to_bytes();
        let count_at = bytes.len() - 8;
        bytes[count_at..count_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            Sketch::from_bytes(&bytes),
            Err(SketchBytesError::Truncated {
                at: count_at + 4,
                field: "anchors"
            })
        );
    }

    #[test]
    fn other_versions_and_other_bytes_are_named() {
        let mut bytes = small().to_bytes();
        assert_eq!(
            Sketch::from_bytes(b"PK\x03\x04"),
            Err(SketchBytesError::NotASketch)
        );
        bytes[6..10].copy_from_slice(&(SKETCH_VERSION + 1).to_le_bytes());
        let err = Sketch::from_bytes(&bytes).unwrap_err();
        assert!(err.to_string().contains("sketch the text again"), "{err}");
    }
}
