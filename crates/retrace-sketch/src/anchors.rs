//! Anchors: a content-defined sample of a document's shingles that an excerpt shares with its
//! source, chosen by winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003): of every
//! [`WINDOW`] consecutive shingles, the one with the least (mixed) hash is an anchor, the
//! rightmost on a tie. Which shingle a window picks depends on the window's words alone, so a
//! verbatim excerpt keeps every anchor of the passage it took, and any passage of at least
//! [`WINDOW`] shingles (35 words with 5-word shingles) shared by two texts gives them an anchor
//! in common: a guarantee that sampling one shingle in 16 by hash residue (used before) does not
//! give, and that excerpts of 40–60 words need (generated 10k corpus: two such excerpts shared
//! no anchor with their source). The density is about 2 / ([`WINDOW`] + 1), one shingle in 16,
//! as before.

/// Winnowing window, in shingles.
pub const WINDOW: usize = 31;

/// The most anchors kept per document: bounds memory on very long texts. When a text has more,
/// the ones with the least hashes are kept (a bottom-k sample), so that an excerpt, which has
/// fewer anchors competing, keeps every kept anchor of its source that it contains. 256 keeps
/// every anchor of a text of up to about 4,000 words: at 64, a 370-word excerpt of a
/// 3,600-word report shared none of the report's 64 (generated 10k corpus: excerpt recall
/// 0.971 → 0.976, 4,004 candidates instead of 3,472, memory unchanged).
pub const MAX_ANCHORS: usize = 256;

/// The distinct anchors of a document's shingles, least hash first.
pub fn anchors(shingles: &[u64]) -> Vec<u64> {
    let mixed: Vec<u64> = shingles.iter().map(|&shingle| mix(shingle)).collect();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(2 * shingles.len() / (WINDOW + 1) + 1);
    // Positions whose hashes increase from front to back: the front is the window's minimum
    // (a monotone queue, so each window costs O(1) on average).
    let mut queue: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut last = usize::MAX;
    for (i, &hash) in mixed.iter().enumerate() {
        // `>=` drops equal hashes to the left: the rightmost minimum wins.
        while queue.back().is_some_and(|&j| mixed[j] >= hash) {
            queue.pop_back();
        }
        queue.push_back(i);
        if queue.front().is_some_and(|&j| j + WINDOW <= i) {
            queue.pop_front();
        }
        // A text shorter than a window has one window, the whole text.
        if i + 1 >= WINDOW.min(mixed.len()) {
            let pick = *queue.front().expect("the queue holds position i");
            if pick != last {
                out.push((mixed[pick], shingles[pick]));
                last = pick;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out.truncate(MAX_ANCHORS);
    out.into_iter().map(|(_, shingle)| shingle).collect()
}

/// A second hash of a shingle hash (a multiplicative mix), so that which shingles are anchors
/// does not depend on the bits the other sketches use.
fn mix(shingle: u64) -> u64 {
    shingle.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SHINGLE_WORDS, shingles, word_hashes};

    fn text(words: std::ops::Range<usize>) -> String {
        words.map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn an_excerpt_keeps_the_anchors_of_its_part() {
        let sample = |words| anchors(&shingles(&word_hashes(&text(words)), SHINGLE_WORDS));
        // Under the cap, every anchor of the part is an anchor of the whole.
        let whole = sample(0..800);
        assert!(
            whole.len() > 30 && whole.len() < MAX_ANCHORS,
            "{}",
            whole.len()
        );
        let part = sample(300..500);
        assert!(part.len() >= 6, "{}", part.len());
        assert!(part.iter().all(|a| whole.contains(a)));
        // Over the cap, the whole keeps a bottom-k sample, about a third of its anchors here,
        // and the part still shares its share of them.
        let long = sample(0..12_000);
        assert_eq!(long.len(), MAX_ANCHORS);
        let part = sample(4000..4600);
        let shared = part.iter().filter(|a| long.contains(a)).count();
        assert!(shared * 5 >= part.len(), "{shared} of {}", part.len());
        let other = sample(15_000..15_600);
        assert!(!other.iter().any(|a| long.contains(a)));
    }

    #[test]
    fn every_passage_of_a_window_shares_an_anchor() {
        // Winnowing's guarantee: a passage of WINDOW shingles (WINDOW + 4 words) taken into
        // other words shares at least one anchor with its source, wherever it was cut.
        let source = anchors(&shingles(&word_hashes(&text(0..2000)), SHINGLE_WORDS));
        for start in (0..1900).step_by(37) {
            let passage = text(start..start + WINDOW + SHINGLE_WORDS - 1);
            let taken = format!("{} {passage} {}", text(5000..5020), text(6000..6020));
            let taken = anchors(&shingles(&word_hashes(&taken), SHINGLE_WORDS));
            assert!(
                taken.iter().any(|a| source.contains(a)),
                "passage at word {start}"
            );
        }
    }

    #[test]
    fn a_text_shorter_than_a_window_has_one_anchor() {
        let short = shingles(&word_hashes(&text(0..12)), SHINGLE_WORDS);
        assert_eq!(anchors(&short).len(), 1);
        assert!(anchors(&[]).is_empty());
    }
}
