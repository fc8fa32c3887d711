//! Candidate pairs: documents that share keys (LSH band keys, anchor shingles, distinctive
//! terms). Sorting the `(key, document)` postings groups each bucket; every pair inside a bucket
//! shares that key, except in buckets so large that they hold boilerplate every page repeats
//! or a story republished hundreds of times: those are counted, and either passed over or
//! paired through their first-ranked documents ([`candidate_pairs_through_hubs`]). A pair is a
//! candidate when it shares at least `min_shared` keys.

/// The candidate pairs of a corpus, and what was passed over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidates {
    /// Pairs `(a, b)` with `a < b`, each once, in order.
    pub pairs: Vec<(u32, u32)>,
    /// How many keys each pair shares, parallel to `pairs`.
    pub shared: Vec<u32>,
    /// Buckets with more than `max_bucket` documents, passed over (or paired through their
    /// hubs).
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
    postings: Vec<(u64, u32)>,
    min_shared: usize,
    max_bucket: usize,
) -> Candidates {
    candidate_pairs_through_hubs(postings, min_shared, max_bucket, &|_| 0, 0)
}

/// [`candidate_pairs`], with each bucket of more than `max_bucket` documents paired through its
/// `hubs` first-ranked documents (least `rank`, then least document number): each of its
/// documents is paired with each hub, so that a wire story held by 500 documents gives about
/// 500 · `hubs` pairs, not 125,000, and every copy meets the copies that are likeliest to be the
/// original. A bucket of boilerplate paired this way costs as many pairs, which the sketch
/// check drops. With `hubs` 0, oversized buckets are passed over.
pub fn candidate_pairs_through_hubs(
    mut postings: Vec<(u64, u32)>,
    min_shared: usize,
    max_bucket: usize,
    rank: &dyn Fn(u32) -> u32,
    hubs: usize,
) -> Candidates {
    postings.sort_unstable();
    postings.dedup();
    let mut out = Candidates::default();
    let mut start = 0;
    let mut docs = Vec::new();
    while start < postings.len() {
        let key = postings[start].0;
        let end = start + postings[start..].partition_point(|&(k, _)| k == key);
        docs.clear();
        docs.extend(postings[start..end].iter().map(|&(_, doc)| doc));
        if !bucket_pairs(&docs, max_bucket, rank, hubs, &mut out.pairs) {
            out.oversized_buckets += 1;
            out.oversized_postings += docs.len() as u64;
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

/// The pairs of one key's bucket (its documents, each once, in ascending order), appended to
/// `pairs` as `(a, b)` with `a < b`: every pair when the bucket holds at most `max_bucket`
/// documents, else each document with each of the `hubs` first-ranked ones (least `rank`, then
/// least document number; none with `hubs` 0). Returns whether the bucket was within
/// `max_bucket`. The step of [`candidate_pairs_through_hubs`] for one bucket, for engines that
/// group postings by key themselves (a distributed group-by).
///
/// ```
/// let mut pairs = Vec::new();
/// assert!(retrace_sketch::bucket_pairs(&[1, 4, 7], 10, &|_| 0, 0, &mut pairs));
/// assert_eq!(pairs, [(1, 4), (1, 7), (4, 7)]);
/// pairs.clear();
/// // Over the cap: each document with the first-ranked one (here 7) only.
/// assert!(!retrace_sketch::bucket_pairs(&[1, 4, 7], 2, &|doc| 10 - doc, 1, &mut pairs));
/// assert_eq!(pairs, [(1, 7), (4, 7)]);
/// ```
pub fn bucket_pairs(
    bucket: &[u32],
    max_bucket: usize,
    rank: &dyn Fn(u32) -> u32,
    hubs: usize,
    pairs: &mut Vec<(u32, u32)>,
) -> bool {
    if bucket.len() <= max_bucket {
        for (i, &a) in bucket.iter().enumerate() {
            for &b in &bucket[i + 1..] {
                pairs.push((a.min(b), a.max(b)));
            }
        }
        return true;
    }
    if hubs > 0 {
        let mut ranked: Vec<(u32, u32)> = bucket.iter().map(|&doc| (rank(doc), doc)).collect();
        let k = hubs.min(ranked.len());
        ranked.select_nth_unstable(k - 1);
        let mut first: Vec<u32> = ranked[..k].iter().map(|&(_, doc)| doc).collect();
        first.sort_unstable();
        for &doc in bucket {
            for &hub in &first {
                if doc != hub && (first.binary_search(&doc).is_err() || doc < hub) {
                    pairs.push((doc.min(hub), doc.max(hub)));
                }
            }
        }
    }
    false
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
    fn oversized_buckets_are_paired_through_their_first_ranked_documents() {
        let postings: Vec<(u64, u32)> = (0..50).map(|doc| (7, doc)).collect();
        // Documents 40 and 45 rank first.
        let rank = |doc: u32| if doc == 40 || doc == 45 { 0 } else { 1 + doc };
        let found = candidate_pairs_through_hubs(postings, 1, 10, &rank, 2);
        assert_eq!(found.oversized_buckets, 1);
        // 48 documents with each hub, and the two hubs once: linear, not 1,225 pairs.
        assert_eq!(found.pairs.len(), 48 * 2 + 1);
        assert!(found.pairs.contains(&(40, 45)));
        assert!(
            found
                .pairs
                .iter()
                .all(|&(a, b)| [a, b].contains(&40) || [a, b].contains(&45))
        );
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
