//! Candidate pairs over a corpus held in memory: the documents that share enough of one kind
//! of key (LSH band keys, anchor shingles, rare names), found part by part so that a million
//! documents' postings never sit in memory together.

use std::borrow::Cow;
use std::sync::Mutex;

use rayon::prelude::*;
use retrace_sketch::candidate_pairs_through_hubs;
use retrace_sketch::evidence::{HUBS, MAX_BUCKET, SITE_TEMPLATE_PAGES};

use super::Doc;

/// Anchor postings without each site's template: in each anchor's bucket, the pages of a site
/// that holds it on [`SITE_TEMPLATE_PAGES`] pages or more are taken out (other sites' pages
/// that hold it stay, so a template copied elsewhere still counts there). Sorts the postings
/// and returns how many were taken out.
fn without_site_templates(postings: &mut Vec<(u64, u32)>, docs: &[Doc]) -> u64 {
    postings.sort_unstable();
    postings.dedup();
    let (mut write, mut start, mut taken) = (0, 0, 0u64);
    let mut bucket: Vec<(u32, Option<u64>)> = Vec::new();
    let mut templated: Vec<u32> = Vec::new();
    // Bucket by bucket, the postings kept move down to `write`.
    while start < postings.len() {
        let key = postings[start].0;
        let end = start + postings[start..].partition_point(|&(k, _)| k == key);
        templated.clear();
        if end - start >= SITE_TEMPLATE_PAGES {
            bucket.clear();
            bucket.extend(
                postings[start..end]
                    .iter()
                    .map(|&(_, doc)| (doc, docs[doc as usize].site)),
            );
            templated = super::steps::site_template_pages(&bucket);
        }
        for at in start..end {
            if templated.binary_search(&postings[at].1).is_ok() {
                taken += 1;
            } else {
                postings[write] = postings[at];
                write += 1;
            }
        }
        start = end;
    }
    postings.truncate(write);
    taken
}

/// Postings of one part while finding candidates (16 bytes each): keys are split into parts by
/// their value, so that a million documents' tens of millions of anchor postings never sit in
/// memory together; parts run in parallel, one a thread (memory per part: BENCHMARKS.md).
pub(crate) const POSTINGS_PER_PART: usize = 2 << 20;

/// The part of `parts` that a key (a hash) goes to: its place in `0..parts` scaled by its
/// value (a multiply, not a division, per posting and part).
fn part_of(key: u64, parts: u64) -> u64 {
    ((u128::from(key) * u128::from(parts)) >> 64) as u64
}

/// Documents whose postings one task gathers (one list for all of them).
const DOCS_PER_TASK: usize = 4096;

/// Candidates through one kind of key, with the postings taken out as site templates.
pub(crate) struct Keyed {
    pub(crate) pairs: Vec<(u32, u32)>,
    pub(crate) shared: Vec<u32>,
    pub(crate) oversized_buckets: u64,
    pub(crate) templated: u64,
}

/// The pairs of documents that share enough of their `keys` ([`retrace_sketch::candidate_pairs`] over the
/// corpus): `keep(a, b, shared)` says which, given how many keys they share. Found part by
/// part: each part holds the postings of the keys that [`part_of`] gives it, its pairs are
/// found with the keys they share in it, and the counts of all parts are added up at the end
/// (only kept pairs are collected: a million documents have tens of millions of pairs sharing
/// one anchor). With `templates`, each site's template keys are taken out first
/// ([`without_site_templates`]). A part holds about `per_part` postings
/// ([`POSTINGS_PER_PART`]); parts are worked on in parallel, as many at a time as there are
/// threads.
pub(crate) fn candidates_by_keys<'k>(
    docs: &[Doc],
    rank: &[u32],
    keys: &(dyn Fn(usize) -> Cow<'k, [u64]> + Sync),
    keep: &dyn Fn(u32, u32, u32) -> bool,
    templates: bool,
    per_part: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Keyed {
    let total: usize = (0..docs.len()).into_par_iter().map(|n| keys(n).len()).sum();
    let parts = total.div_ceil(per_part.max(1)).max(1) as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    // Each pair once per key it shares in a part, packed into a `u64` (8 bytes a share): at a
    // million documents this list is the peak of the scan's memory.
    // Parts add theirs as they finish; the order is undone by the sort below.
    let all: Mutex<Vec<u64>> = Mutex::new(Vec::new());
    let counts: Vec<(u64, u64)> = (0..parts)
        .into_par_iter()
        .map(|part| {
            let mut postings: Vec<(u64, u32)> = docs
                .par_chunks(DOCS_PER_TASK)
                .enumerate()
                .flat_map_iter(|(chunk, chunk_docs)| {
                    let mut postings = Vec::new();
                    for i in 0..chunk_docs.len() {
                        let n = chunk * DOCS_PER_TASK + i;
                        for &key in keys(n).iter() {
                            if part_of(key, parts) == part {
                                postings.push((key, n as u32));
                            }
                        }
                    }
                    postings
                })
                .collect();
            // Sorted here on every thread; the sorts below then find them in order.
            postings.par_sort_unstable();
            let templated = if templates {
                without_site_templates(&mut postings, docs)
            } else {
                0
            };
            let found = candidate_pairs_through_hubs(
                postings,
                1,
                MAX_BUCKET,
                &|doc| rank[doc as usize],
                HUBS,
            );
            {
                let mut all = all.lock().unwrap_or_else(|p| p.into_inner());
                all.reserve_exact(found.shared.iter().map(|&n| n as usize).sum());
                for (&(a, b), &n) in found.pairs.iter().zip(&found.shared) {
                    all.extend(std::iter::repeat_n(
                        (u64::from(a) << 32) | u64::from(b),
                        n as usize,
                    ));
                }
            }
            progress(
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                parts,
            );
            (found.oversized_buckets, templated)
        })
        .collect();
    let oversized_buckets = counts.iter().map(|&(n, _)| n).sum();
    let templated = counts.iter().map(|&(_, n)| n).sum();
    let mut all = all.into_inner().unwrap_or_else(|p| p.into_inner());
    all.par_sort_unstable();
    let mut keyed = Keyed {
        pairs: Vec::new(),
        shared: Vec::new(),
        oversized_buckets,
        templated,
    };
    for same in all.chunk_by(|x, y| x == y) {
        let shared = same.len() as u32;
        let (a, b) = ((same[0] >> 32) as u32, same[0] as u32);
        if keep(a, b, shared) {
            keyed.pairs.push((a, b));
            keyed.shared.push(shared);
        }
    }
    keyed
}

/// The pairs of documents with the same text: `by_fingerprint` holds each document with words
/// as (its fingerprint, its number), sorted. Each group of equal fingerprints is paired as a
/// star through its first-ranked document (least `rank`), not pair by pair: 20,000 copies of
/// one wire story are 19,999 pairs, not 199,990,000, and still one component. With
/// `same_site` (the pairs of two pages of one site are dropped after), the members on the
/// centre's own site are also paired with the group's first-ranked document on another site
/// or on none, so that the group stays one component once those are dropped (where it has a
/// page elsewhere: a group all on one site has no pair left, as before). Pairs are `(a, b)`
/// with `a < b`, each once, in the order of the groups.
pub(crate) fn exact_pairs(
    by_fingerprint: &[(u128, u32)],
    rank: &[u32],
    site: &dyn Fn(u32) -> Option<u64>,
    same_site: bool,
) -> Vec<(u32, u32)> {
    let ordered = |x: u32, y: u32| (x.min(y), x.max(y));
    let first = |docs: &mut dyn Iterator<Item = u32>| docs.min_by_key(|&d| rank[d as usize]);
    let mut pairs = Vec::new();
    for group in by_fingerprint.chunk_by(|x, y| x.0 == y.0) {
        let Some(centre) = first(&mut group.iter().map(|&(_, d)| d)) else {
            continue;
        };
        pairs.extend(
            group
                .iter()
                .filter(|&&(_, d)| d != centre)
                .map(|&(_, d)| ordered(d, centre)),
        );
        let Some(home) = site(centre).filter(|_| same_site) else {
            continue;
        };
        let Some(elsewhere) = first(
            &mut group
                .iter()
                .map(|&(_, d)| d)
                .filter(|&d| site(d) != Some(home)),
        ) else {
            continue;
        };
        pairs.extend(
            group
                .iter()
                .filter(|&&(_, d)| d != centre && site(d) == Some(home))
                .map(|&(_, d)| ordered(d, elsewhere)),
        );
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use retrace_ingest::{Format, RawDoc};
    use retrace_sketch::Sketcher;
    use retrace_span::Origin;

    /// A text of `n` sentences, each naming a different place and count.
    fn story(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "The river council in Lisk{i} said {} families had moved after the storm on \
                     road number {}.",
                    i * 7 + 11,
                    i + 3
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[allow(dead_code)]
    /// Another story in other words, with one of the first story's phrases.
    fn other(n: usize) -> String {
        let mut text: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "A museum in Varn{i} opened its {} hall to visitors from Ostrava this week.",
                    i * 13 + 1000
                )
            })
            .collect();
        text.push("She said families had moved after the storm.".into());
        text.join(" ")
    }

    /// A document of `text` from `site`, as the read phase keeps it.
    fn doc_of(text: &str, site: Option<u64>) -> Doc {
        Doc {
            origin: Origin::Stdin,
            format: Format::Text,
            decoding: RawDoc::new(Origin::Stdin, String::new(), Format::Text).decoding,
            site,
            sketch: Box::new(Sketcher::default().sketch(text)),
            stored: (0, 0),
            published: None,
        }
    }

    #[test]
    fn a_sites_template_anchors_are_taken_out_on_its_own_pages() {
        let doc = |site: Option<u64>| doc_of("", site);
        // Docs 0-5 are pages of site 1, 6 of site 2, 7 has no site.
        let mut docs: Vec<Doc> = (0..6).map(|_| doc(Some(1))).collect();
        docs.push(doc(Some(2)));
        docs.push(doc(None));
        // Anchor 10: site 1's footer on all six of its pages, also copied by 6 and 7.
        // Anchor 20: on four pages of site 1 only (under the template count).
        let mut postings: Vec<(u64, u32)> = (0..8).map(|doc| (10, doc)).collect();
        postings.extend((0..4).map(|doc| (20, doc)));
        let taken = without_site_templates(&mut postings, &docs);
        assert_eq!(taken, 6);
        assert_eq!(
            postings,
            vec![(10, 6), (10, 7), (20, 0), (20, 1), (20, 2), (20, 3)]
        );
    }

    /// Whether `pairs` join all of `docs` into one component.
    fn connected(docs: &[u32], pairs: &[(u32, u32)]) -> bool {
        let mut joined = vec![docs[0]];
        let mut grew = true;
        while grew {
            grew = false;
            for &(a, b) in pairs {
                match (joined.contains(&a), joined.contains(&b)) {
                    (true, false) => joined.push(b),
                    (false, true) => joined.push(a),
                    _ => continue,
                }
                grew = true;
            }
        }
        docs.iter().all(|d| joined.contains(d))
    }

    #[test]
    fn equal_fingerprints_are_a_star_through_the_first_ranked() {
        // Ten copies (documents 0 to 9, ranked in reverse: 9 first) and two of another text.
        let mut by_fingerprint: Vec<(u128, u32)> = (0..10).map(|d| (7, d)).collect();
        by_fingerprint.extend([(3, 10), (3, 11)]);
        by_fingerprint.sort_unstable();
        let rank: Vec<u32> = (0..12).map(|d| 100 - d).collect();
        for same_site in [false, true] {
            let pairs = exact_pairs(&by_fingerprint, &rank, &|_| None, same_site);
            let mut expected = vec![(10, 11)];
            expected.extend((0..9).map(|d| (d, 9)));
            assert_eq!(pairs, expected);
        }
    }

    #[test]
    fn with_same_site_the_centres_site_is_paired_through_the_first_ranked_elsewhere() {
        // Twelve copies: 0-3 and 10-11 on site 1 (0 ranked first), 4-7 on site 2 (6 ranked first
        // of them), 8-9 on no site.
        let by_fingerprint: Vec<(u128, u32)> = (0..12).map(|d| (5, d)).collect();
        let site = |d: u32| match d {
            0..=3 | 10..=11 => Some(1),
            4..=7 => Some(2),
            _ => None,
        };
        let rank: Vec<u32> = vec![0, 1, 2, 3, 5, 6, 4, 7, 8, 9, 10, 11];
        let kept = |pairs: Vec<(u32, u32)>| -> Vec<(u32, u32)> {
            pairs
                .into_iter()
                .filter(|&(a, b)| site(a).is_none() || site(a) != site(b))
                .collect()
        };
        let docs: Vec<u32> = (0..12).collect();
        // A star alone loses the centre's site once pairs within a site are dropped.
        let star = exact_pairs(&by_fingerprint, &rank, &site, false);
        assert_eq!(star.len(), 11);
        assert!(!connected(&docs, &kept(star)));
        let pairs = exact_pairs(&by_fingerprint, &rank, &site, true);
        assert_eq!(pairs.len(), 11 + 5);
        assert!(pairs.contains(&(1, 6)) && pairs.contains(&(6, 11)));
        assert!(connected(&docs, &kept(pairs)));
        // All on one site: no pair survives, and none is added.
        let pairs = exact_pairs(&by_fingerprint, &rank, &|_| Some(1), true);
        assert_eq!(pairs.len(), 11);
    }

    #[test]
    fn candidates_found_part_by_part_are_the_candidates_of_all_postings() {
        let texts: Vec<String> = (0..12)
            .map(|i| {
                let long = story(20 + i);
                long.split(". ").skip(i % 4).collect::<Vec<_>>().join(". ")
            })
            .collect();
        let docs: Vec<Doc> = texts.iter().map(|text| doc_of(text, None)).collect();
        let keys = |n: usize| Cow::Borrowed(docs[n].sketch.anchors.as_slice());
        let postings: Vec<(u64, u32)> = docs
            .iter()
            .enumerate()
            .flat_map(|(n, doc)| doc.sketch.anchors.iter().map(move |&key| (key, n as u32)))
            .collect();
        let whole = retrace_sketch::candidate_pairs(postings, 2, MAX_BUCKET);
        assert!(whole.pairs.len() > 20, "{}", whole.pairs.len());
        let rank: Vec<u32> = (0..docs.len() as u32).collect();
        for per_part in [1, 7, 1000, usize::MAX] {
            let parts = candidates_by_keys(
                &docs,
                &rank,
                &keys,
                &|_, _, n| n >= 2,
                false,
                per_part,
                &|_, _| {},
            );
            assert_eq!((&parts.pairs, &parts.shared), (&whole.pairs, &whole.shared));
        }
    }
}
