//! Candidate pairs: documents that share keys (LSH band keys, anchor shingles, distinctive
//! terms). Sorting the `(key, document)` postings groups each bucket; every pair inside a bucket
//! shares that key, except in buckets so large that they hold boilerplate every page repeats,
//! which are passed over and counted. A pair is a candidate when it shares at least
//! `min_shared` keys.

/// The candidate pairs of a corpus, and what was passed over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidates {
    /// Pairs `(a, b)` with `a < b`, each once, in order.
    pub pairs: Vec<(u32, u32)>,
    /// How many keys each pair shares, parallel to `pairs`.
    pub shared: Vec<u32>,
    /// Buckets with more than `max_bucket` documents, passed over.
    pub oversized_buckets: u64,
    /// Postings in those buckets.
    pub oversized_postings: u64,
}

/// Every pair of documents that share at least `min_shared` keys, from `(key, document)`
/// postings in any order (a document's repeated key counts once).
///
/// A bucket of more than `max_bucket` documents yields no pairs (a shared navigation bar or
/// legal notice can put thousands of pages in one bucket; the pairs they really share are found
/// through their other keys). Deterministic: the same postings in any order give the same
/// result.
pub fn candidate_pairs(
    mut postings: Vec<(u64, u32)>,
    min_shared: usize,
    max_bucket: usize,
) -> Candidates {
    postings.sort_unstable();
    postings.dedup();
    let mut out = Candidates::default();
    let mut start = 0;
    while start < postings.len() {
        let key = postings[start].0;
        let end = start + postings[start..].partition_point(|&(k, _)| k == key);
        let bucket = &postings[start..end];
        if bucket.len() > max_bucket {
            out.oversized_buckets += 1;
            out.oversized_postings += bucket.len() as u64;
        } else {
            for (i, &(_, a)) in bucket.iter().enumerate() {
                for &(_, b) in &bucket[i + 1..] {
                    out.pairs.push((a.min(b), a.max(b)));
                }
            }
        }
        start = end;
    }
    out.pairs.sort_unstable();
    let min_shared = min_shared.max(1);
    let mut kept = Vec::with_capacity(out.pairs.len() / min_shared);
    let mut start = 0;
    while start < out.pairs.len() {
        let pair = out.pairs[start];
        let end = start + out.pairs[start..].partition_point(|&p| p == pair);
        if end - start >= min_shared {
            kept.push(pair);
            out.shared
                .push(u32::try_from(end - start).unwrap_or(u32::MAX));
        }
        start = end;
    }
    out.pairs = kept;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_within_buckets() {
        let postings = vec![(9, 2), (1, 0), (1, 3), (9, 0), (1, 2), (5, 4), (9, 2)];
        let found = candidate_pairs(postings.clone(), 1, 10);
        assert_eq!(found.pairs, vec![(0, 2), (0, 3), (2, 3)]);
        let mut reversed = postings.clone();
        reversed.reverse();
        assert_eq!(candidate_pairs(reversed, 1, 10), found);
        // (0, 2) share keys 1 and 9; the others one key each.
        let two = candidate_pairs(postings, 2, 10);
        assert_eq!(two.pairs, vec![(0, 2)]);
        assert_eq!(two.shared, vec![2]);
    }

    #[test]
    fn oversized_buckets_are_counted_not_paired() {
        let mut postings: Vec<(u64, u32)> = (0..50).map(|doc| (7, doc)).collect();
        postings.push((8, 1));
        postings.push((8, 2));
        let found = candidate_pairs(postings, 1, 10);
        assert_eq!(found.pairs, vec![(1, 2)]);
        assert_eq!((found.oversized_buckets, found.oversized_postings), (1, 50));
    }
}
