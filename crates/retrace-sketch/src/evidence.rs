//! The rules that turn shared keys into candidate pairs, the same for a corpus pass (`retrace
//! scan`, which finds the keys by sorting postings) and for an index (`retrace query`, which
//! looks them up): which documents share enough to be worth the pair engine.

use crate::{PERMUTATIONS, Sketch};

/// Documents one key may hold and still make pairs: a bucket larger than this is boilerplate
/// (a navigation bar, a legal notice, a name every page repeats), passed over and counted.
pub const MAX_BUCKET: usize = 200;

/// A bucket over [`MAX_BUCKET`] documents pairs each of them with its this many first-ranked
/// documents (see [`crate::candidate_pairs_through_hubs`]): the copies of a story republished
/// hundreds of times are found, at a linear cost.
pub const HUBS: usize = 3;

/// Anchor shingles two documents must share to be compared (one or two can be common phrases),
/// unless they are a third of the shorter's anchors: winnowing promises one shared anchor for a
/// passage of 35 words, and a 40- to 60-word excerpt has only two to four anchors, one of them at
/// a border where its windows take in words around it. A single shared anchor counts only when
/// the shorter text has [`MIN_PASSAGE_WORDS`]: below that its one anchor is any five words of a
/// line or two (a site's footer sentence matched every page that kept it).
pub const MIN_SHARED_ANCHORS: usize = 3;

/// The fewest words of a text whose single shared anchor, or single shared MinHash minimum,
/// counts as shared wording (see [`MIN_SHARED_ANCHORS`]).
pub const MIN_PASSAGE_WORDS: u32 = 30;

/// Pages of one site holding the same anchor: at this many, the anchor is the site's template
/// (a footer, a newsletter pitch, a standing correction) on those pages, not reuse, and shares
/// nothing between them.
pub const SITE_TEMPLATE_PAGES: usize = 5;

/// The key of a site's name, kept with each anchor posting so that a site's templates are told
/// apart from reuse ([`SITE_TEMPLATE_PAGES`]).
pub fn site_key(site: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(site.as_bytes())
}

/// Rare names and numbers kept per document ([`crate::pick_rare`]).
pub const RARE_TERMS: usize = 8;

/// Rare names and numbers two documents must share to be a candidate by names.
pub const MIN_SHARED_TERMS: usize = 3;

/// Rare names and numbers that make a candidate on their own, without any shared wording.
pub const STRONG_SHARED_TERMS: usize = 6;

/// Whether two documents that share `shared` anchors are a candidate pair (see
/// [`MIN_SHARED_ANCHORS`]).
pub fn anchors_suffice(a: &Sketch, b: &Sketch, shared: usize) -> bool {
    anchor_counts_suffice(
        (a.anchors.len(), a.words),
        (b.anchors.len(), b.words),
        shared,
    )
}

/// [`anchors_suffice`] from each document's count of anchors and words alone (what an index
/// stores with its postings).
pub fn anchor_counts_suffice(
    (a_anchors, a_words): (usize, u32),
    (b_anchors, b_words): (usize, u32),
    shared: usize,
) -> bool {
    let fewest = a_anchors.min(b_anchors);
    shared >= MIN_SHARED_ANCHORS
        || (shared > 0
            && 3 * shared >= fewest
            && (shared > 1 || a_words.min(b_words) >= MIN_PASSAGE_WORDS))
}

/// Whether two documents that share `shared` rare names and numbers are a candidate pair. Names
/// alone are weak evidence (stories on one subject share them): a pair that shares only a few
/// must also share a little wording, one MinHash minimum or one anchor, and a text of a line or
/// two shares those with any page that has its words (see [`MIN_PASSAGE_WORDS`]).
pub fn names_suffice(a: &Sketch, b: &Sketch, shared: usize) -> bool {
    shared >= STRONG_SHARED_TERMS
        || (shared >= MIN_SHARED_TERMS
            && a.words.min(b.words) >= MIN_PASSAGE_WORDS
            && (a.minhash.jaccard(&b.minhash) > 0.0
                || a.anchors.iter().any(|x| b.anchors.contains(x))))
}

/// Whether [`names_suffice`] can answer differently for one pair of documents sharing `a` rare
/// names and sharing `b`: only when the counts fall on different sides of
/// [`MIN_SHARED_TERMS`] or [`STRONG_SHARED_TERMS`] (between the two, the answer depends on the
/// sketches alone). Lets a caller that only needs to know whether a pair changed skip reading
/// the sketches.
pub fn names_may_differ(a: usize, b: usize) -> bool {
    let class = |n: usize| (n >= MIN_SHARED_TERMS, n >= STRONG_SHARED_TERMS);
    class(a) != class(b)
}

/// What two documents' sketches share: the evidence that decides whether the pair engine looks
/// at a candidate pair at all.
///
/// A pair goes on to alignment when it shares at least [`MIN_SHARED_MINIMA`] MinHash minima of
/// 128 (an estimated shingle Jaccard of 3%), or a fifth of the fewer anchors
/// ([`MIN_ANCHOR_CONTAINMENT`]: a passage of the shorter text), or [`MIN_SHARED_NAMES`] of its
/// names and numbers (a retelling). Chosen on the generated 10k corpus, where it passes every
/// pair of one story and drops 585 of the 704 pairs between unrelated articles that the
/// candidate keys brought together (those share a phrase or two and a few common names); the
/// seed rewrite, which shares almost no wording, passes on its 9 minima and 18 names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shared {
    /// MinHash minima the two agree on, of 128 (their estimated shingle Jaccard × 128).
    pub minima: usize,
    /// The share of the fewer anchors that both hold (the shorter text's estimated containment).
    pub anchors: f64,
    /// Names and numbers both hold.
    pub terms: usize,
}

/// See [`Shared`].
pub const MIN_SHARED_MINIMA: usize = 4;
/// See [`Shared`].
pub const MIN_ANCHOR_CONTAINMENT: f64 = 0.2;
/// See [`Shared`].
pub const MIN_SHARED_NAMES: usize = 10;

impl Shared {
    /// What `a` and `b` share.
    pub fn of(a: &Sketch, b: &Sketch) -> Shared {
        let minima = if a.minhash.is_empty() || b.minhash.is_empty() {
            0
        } else {
            (a.minhash.jaccard(&b.minhash) * PERMUTATIONS as f64).round() as usize
        };
        let fewer = a.anchors.len().min(b.anchors.len());
        let anchors = if fewer == 0 {
            0.0
        } else {
            let both = a.anchors.iter().filter(|x| b.anchors.contains(x)).count();
            both as f64 / fewer as f64
        };
        let terms = a.terms.iter().filter(|x| b.terms.contains(x)).count();
        Shared {
            minima,
            anchors,
            terms,
        }
    }

    /// Whether the pair engine could find a copy, an excerpt or a rewrite in the pair.
    pub fn worth_aligning(&self) -> bool {
        self.minima >= MIN_SHARED_MINIMA
            || self.anchors >= MIN_ANCHOR_CONTAINMENT
            || self.terms >= MIN_SHARED_NAMES
    }

    /// The estimated shingle Jaccard.
    pub fn jaccard(&self) -> f64 {
        self.minima as f64 / PERMUTATIONS as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sketcher;

    fn words(range: std::ops::Range<usize>) -> String {
        range.map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn names_decide_alike_unless_a_count_crosses_a_threshold() {
        let sketcher = Sketcher::default();
        let source = sketcher.sketch(&words(0..300));
        let pairs = [
            (source.clone(), sketcher.sketch(&words(150..450))),
            (source.clone(), sketcher.sketch(&words(1000..1300))),
            (source.clone(), sketcher.sketch(&words(0..10))),
        ];
        for (x, y) in &pairs {
            for a in 0..12 {
                for b in 0..12 {
                    if !names_may_differ(a, b) {
                        assert_eq!(names_suffice(x, y, a), names_suffice(x, y, b), "{a} {b}");
                    }
                }
            }
        }
        assert!(names_may_differ(2, 3) && names_may_differ(5, 6) && !names_may_differ(3, 5));
    }

    #[test]
    fn a_passage_of_its_source_is_a_candidate_and_a_line_is_not() {
        let sketcher = Sketcher::default();
        let source = sketcher.sketch(&words(0..600));
        // 45 words of it between other words: few anchors, some shared.
        let excerpt = sketcher.sketch(&format!(
            "{} {} {}",
            words(900..910),
            words(200..245),
            words(950..960)
        ));
        let shared = excerpt
            .anchors
            .iter()
            .filter(|a| source.anchors.contains(a))
            .count();
        assert!(shared >= 1);
        assert!(anchors_suffice(&source, &excerpt, shared));
        // A line of ten words shares its one anchor with any page that holds it.
        let line = sketcher.sketch(&words(300..310));
        assert_eq!(line.anchors.len(), 1);
        assert!(!anchors_suffice(&source, &line, 1));
        assert!(!anchors_suffice(&source, &excerpt, 0));
        assert!(Shared::of(&source, &excerpt).worth_aligning());
        let other = sketcher.sketch(&words(2000..2600));
        assert!(!Shared::of(&source, &other).worth_aligning());
    }
}
