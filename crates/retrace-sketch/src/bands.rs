//! Locality-sensitive hashing: a signature cut into bands, each band hashed to a key. Two
//! documents with Jaccard similarity `s` share at least one key with probability
//! `1 - (1 - s^r)^b` for `b` bands of `r` rows: an S-curve that rises around `(1/b)^(1/r)`
//! ([`Bands::midpoint`] gives where it crosses one half).

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::{MinHash, PERMUTATIONS};

/// How a signature is cut: `bands × rows ≤ PERMUTATIONS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bands {
    bands: usize,
    rows: usize,
}

impl Bands {
    /// `bands` bands of `rows` rows.
    ///
    /// # Panics
    /// When `bands × rows` exceeds [`PERMUTATIONS`] or either is zero.
    pub fn new(bands: usize, rows: usize) -> Bands {
        assert!(
            bands > 0 && rows > 0 && bands * rows <= PERMUTATIONS,
            "{bands} bands of {rows} rows do not fit {PERMUTATIONS} permutations"
        );
        Bands { bands, rows }
    }

    /// The banding for a Jaccard `threshold`, chosen as datasketch's `MinHashLSH` chooses it:
    /// the one that minimizes the expected share of false positives below the threshold plus
    /// false negatives above it (equal weights), among all that fit [`PERMUTATIONS`]. Its
    /// S-curve crosses one half somewhat below the threshold, so pairs at the threshold are
    /// found more often than not.
    pub fn for_threshold(threshold: f64) -> Bands {
        let mut best = Bands::new(PERMUTATIONS, 1);
        let mut best_error = f64::INFINITY;
        for bands in 1..=PERMUTATIONS {
            for rows in 1..=PERMUTATIONS / bands {
                let candidate = Bands::new(bands, rows);
                let false_positives =
                    integrate(|s| candidate.collision_probability(s), 0.0, threshold);
                let false_negatives =
                    integrate(|s| 1.0 - candidate.collision_probability(s), threshold, 1.0);
                let error = false_positives + false_negatives;
                if error < best_error {
                    best = candidate;
                    best_error = error;
                }
            }
        }
        best
    }

    /// Number of bands.
    pub fn bands(self) -> usize {
        self.bands
    }

    /// Rows per band.
    pub fn rows(self) -> usize {
        self.rows
    }

    /// The similarity at which a pair collides with probability one half.
    pub fn midpoint(self) -> f64 {
        let b = self.bands as f64;
        let r = self.rows as i32;
        // Solve 1 - (1 - s^r)^b = 0.5 for s.
        (1.0 - 0.5f64.powf(1.0 / b)).powf(1.0 / f64::from(r))
    }

    /// The probability that a pair of Jaccard similarity `s` shares at least one band key.
    pub fn collision_probability(self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The band keys of a signature, one per band; band `i`'s key is seeded with `i`, so equal
    /// rows in different bands do not collide. An empty set has no keys.
    pub fn keys(self, minhash: &MinHash) -> impl Iterator<Item = u64> + '_ {
        let empty = minhash.is_empty();
        // The signature's bytes, once for all bands.
        let mut bytes = [0u8; 4 * PERMUTATIONS];
        for (four, v) in bytes.chunks_exact_mut(4).zip(&minhash.0) {
            four.copy_from_slice(&v.to_le_bytes());
        }
        let width = 4 * self.rows;
        (0..self.bands).filter(move |_| !empty).map(move |band| {
            xxh3_64_with_seed(&bytes[band * width..(band + 1) * width], band as u64)
        })
    }
}

/// The integral of `f` over `[from, to]` (trapezoids; the curves here are smooth).
fn integrate(f: impl Fn(f64) -> f64, from: f64, to: f64) -> f64 {
    const STEPS: usize = 200;
    let step = (to - from) / STEPS as f64;
    let inner: f64 = (1..STEPS).map(|i| f(from + step * i as f64)).sum();
    step * (inner + (f(from) + f(to)) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s_curves() {
        let bands = Bands::new(32, 4);
        assert!(
            (bands.midpoint() - 0.3826).abs() < 0.001,
            "{}",
            bands.midpoint()
        );
        assert!(bands.collision_probability(0.8) > 0.999);
        assert!(bands.collision_probability(0.1) < 0.01);
        // datasketch 2.0's `_optimal_param(t, 128, 0.5, 0.5)` gives (25, 5) and (37, 3).
        let chosen = Bands::for_threshold(0.5);
        assert_eq!((chosen.bands(), chosen.rows()), (25, 5), "{chosen:?}");
        let low = Bands::for_threshold(0.3);
        assert_eq!((low.bands(), low.rows()), (37, 3), "{low:?}");
        assert!(chosen.midpoint() < 0.5 && chosen.collision_probability(0.6) > 0.85);
    }

    #[test]
    fn keys_per_band() {
        let bands = Bands::new(16, 8);
        let a = MinHash([7; PERMUTATIONS]);
        let keys: Vec<u64> = bands.keys(&a).collect();
        assert_eq!(keys.len(), 16);
        // Equal rows in different bands give different keys.
        assert_ne!(keys[0], keys[1]);
        assert_eq!(bands.keys(&MinHash([u32::MAX; PERMUTATIONS])).count(), 0);
    }
}
