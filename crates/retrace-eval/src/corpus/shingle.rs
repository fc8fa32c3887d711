//! Five-word shingles and their Jaccard similarity, to show how much text a derivative shares
//! with its source.
//!
//! Input: text. Output: the sorted, deduplicated xxh3 hashes of its 5-word shingles (words are
//! runs of letters and digits, lower-cased), and the Jaccard index of two such sets. This is
//! the measure the issue quotes (0.04 between the real example source and its rewrite); it is
//! a report figure here, not the detector.

use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle.
const WIDTH: usize = 5;

/// The sorted, distinct shingle hashes of `text`.
pub(crate) fn shingles(text: &str) -> Vec<u64> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<u64> = if words.len() < WIDTH {
        if words.is_empty() {
            Vec::new()
        } else {
            vec![xxh3_64(words.join(" ").as_bytes())]
        }
    } else {
        words
            .windows(WIDTH)
            .map(|w| xxh3_64(w.join(" ").as_bytes()))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Jaccard index of two sorted, distinct sets (0 when both are empty).
pub(crate) fn jaccard_sets(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        #[expect(
            clippy::cast_precision_loss,
            reason = "shingle counts are far below 2^52"
        )]
        let j = both as f64 / union as f64;
        j
    }
}

/// Jaccard index of the 5-word shingles of two texts.
pub(crate) fn jaccard(a: &str, b: &str) -> f64 {
    jaccard_sets(&shingles(a), &shingles(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one_and_disjoint_texts_zero() {
        let a = "The quick brown fox jumps over the lazy dog today.";
        assert!((jaccard(a, a) - 1.0).abs() < 1e-12);
        assert!((jaccard(a, &a.to_uppercase()) - 1.0).abs() < 1e-12);
        assert_eq!(
            jaccard(a, "Nothing here is shared with that other sentence at all."),
            0.0
        );
        assert_eq!(jaccard("", ""), 0.0);
    }
}
