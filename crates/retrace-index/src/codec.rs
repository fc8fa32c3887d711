//! Sketches as SQLite blobs: little-endian integers, one after another. Keys go into integer
//! columns as the `i64` with the same bits (SQLite integers are signed).

use retrace_sketch::{Fingerprint, MinHash, PERMUTATIONS};

/// A `u64` key as the SQLite integer with the same bits.
pub(crate) fn key(value: u64) -> i64 {
    value as i64
}

pub(crate) fn u64s(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub(crate) fn from_u64s(blob: &[u8]) -> Option<Vec<u64>> {
    if !blob.len().is_multiple_of(8) {
        return None;
    }
    Some(
        blob.chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect(),
    )
}

pub(crate) fn minhash(minhash: &MinHash) -> Vec<u8> {
    minhash.0.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub(crate) fn from_minhash(blob: &[u8]) -> Option<MinHash> {
    if blob.len() != 4 * PERMUTATIONS {
        return None;
    }
    let mut out = [0u32; PERMUTATIONS];
    for (slot, c) in out.iter_mut().zip(blob.chunks_exact(4)) {
        *slot = u32::from_le_bytes(c.try_into().expect("4 bytes"));
    }
    Some(MinHash(out))
}

pub(crate) fn fingerprint(fingerprint: Fingerprint) -> Vec<u8> {
    fingerprint.0.to_le_bytes().to_vec()
}

pub(crate) fn from_fingerprint(blob: &[u8]) -> Option<Fingerprint> {
    Some(Fingerprint(u128::from_le_bytes(blob.try_into().ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_read_back_what_was_written() {
        let values = vec![0, 1, u64::MAX, 0x0123_4567_89ab_cdef];
        assert_eq!(from_u64s(&u64s(&values)), Some(values));
        assert_eq!(from_u64s(&[1, 2, 3]), None);
        let mut m = [0u32; PERMUTATIONS];
        m[5] = 7;
        m[127] = u32::MAX;
        assert_eq!(from_minhash(&minhash(&MinHash(m))), Some(MinHash(m)));
        assert_eq!(from_minhash(&[0; 12]), None);
        let f = Fingerprint(u128::MAX - 3);
        assert_eq!(from_fingerprint(&fingerprint(f)), Some(f));
        assert_eq!(key(u64::MAX), -1);
    }
}
