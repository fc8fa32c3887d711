//! Which candidate pairs to judge when a story has hundreds of copies.
//!
//! A wire story republished by 500 sites gives about 125,000 candidate pairs, nearly all of them
//! between two copies of one text. Judging each costs the square of the story's size in time
//! and output, and says nothing that judging each copy against one of them does not. So
//! [`plan`] judges a linear number of pairs:
//!
//! 1. **Near-copy clusters.** Candidate pairs that are near-copies by their sketches
//!    ([`near_copies`]) are the edges. Documents are taken in their rank (the caller's order;
//!    scan and the index: earliest publication first ([`date_rank`]), then the most complete
//!    text, then the origin); each one
//!    not yet in a cluster becomes a *representative*, and its near-copies not yet in a cluster
//!    join it (a star, so every member is a near-copy of its representative itself, never
//!    through a chain). Each member is judged against its representative.
//! 2. **Between clusters.** Every other candidate pair joins two clusters (a document in no
//!    cluster is a cluster of one). Of all the candidate pairs between two clusters, the one
//!    whose sketches say most that the later-ranked text was taken from the earlier
//!    ([`derived_closeness`]) stands for the rest. Each cluster is then
//!    judged against the [`EARLIER_NEIGHBOURS`] closest clusters ranked before it (the ones it
//!    may derive from: an excerpt, a rewrite or a copy of a copy looks back at its source),
//!    and against the first-ranked of those at least [`ROOT_SHARE`] as close as the closest (the
//!    likeliest original); a cluster with no earlier neighbour is a root. At most six pairs per
//!    cluster.
//!
//! A pair not judged is not lost: two members of a cluster are near-copies through their
//! representative, and two documents of different clusters are related as the pair that stands
//! for their clusters is. [`Plan::stood_for`] counts them.
//!
//! Deterministic: the same candidates and ranks give the same plan, in any input order.

use std::collections::BTreeMap;

use crate::Sketch;
use crate::evidence::Shared;

/// Each cluster is judged against at most this many clusters ranked before it: its closest
/// source, and more in case the closest are siblings (excerpts of one passage share it; a
/// rewrite of a copy looks as close to the original's other copies as to its parent). Three
/// missed 12 of 1,069 rewrite parents on a syndicated corpus where judging every pair missed
/// 5; five miss 4, for 10% more pairs (BENCHMARKS.md, issue 15).
pub const EARLIER_NEIGHBOURS: usize = 5;

/// A cluster is also judged against the first-ranked of its earlier neighbours that are at
/// least this share as close as the closest one.
pub const ROOT_SHARE: f64 = 0.5;

/// Two texts are near-copies by their sketches when their estimated shingle Jaccard reaches
/// this.
pub const NEAR_COPY_JACCARD: f64 = 0.8;

/// The shorter text's anchors must be this much contained in the longer's to be a copy
/// (reordered or lightly edited) or an excerpt of it, and it must have at least
/// [`MIN_CONTAINED_ANCHORS`] anchors.
pub const CONTAINED_ANCHORS: f64 = 0.8;

/// See [`CONTAINED_ANCHORS`].
pub const MIN_CONTAINED_ANCHORS: usize = 2;

/// A contained text with at least this share of the longer one's words is a copy of it; a
/// shorter one is an excerpt.
pub const COPY_LENGTH_SHARE: f64 = 0.8;

/// Whether the shorter of two texts is contained in the longer by their sketches
/// ([`CONTAINED_ANCHORS`]).
pub fn contained(a: &Sketch, b: &Sketch, shared: &Shared) -> bool {
    let fewer = a.anchors.len().min(b.anchors.len());
    shared.anchors >= CONTAINED_ANCHORS && fewer >= MIN_CONTAINED_ANCHORS
}

/// Whether two texts are near-copies by their sketches: the same words, an estimated shingle
/// Jaccard of at least [`NEAR_COPY_JACCARD`], or one contained in the other and of about its
/// length (reordered or lightly edited).
pub fn near_copies(a: &Sketch, b: &Sketch, shared: &Shared) -> bool {
    let (short, long) = (a.words.min(b.words), a.words.max(b.words));
    a.fingerprint == b.fingerprint
        || shared.jaccard() >= NEAR_COPY_JACCARD
        || (contained(a, b, shared) && f64::from(short) >= COPY_LENGTH_SHARE * f64::from(long))
}

/// How close two texts are by what their sketches share: the shorter text's anchor containment
/// plus the estimated shingle Jaccard (both 0 to 1), plus a little for each shared name or
/// number (up to 0.5 for 50: rewrites share names, not wording).
pub fn closeness(shared: &Shared) -> f64 {
    shared.anchors + shared.jaccard() + 0.01 * shared.terms.min(50) as f64
}

/// How much the sketches say that `later` was taken from `earlier`: [`closeness`] with the share
/// of *`later`'s* anchors found in `earlier` in place of the shorter text's. A rewrite that kept
/// a passage shares all of an excerpt of that passage, yet took far more from the whole
/// article: looking back, it is the whole article that is closest.
pub fn derived_closeness(later: &Sketch, earlier: &Sketch, shared: &Shared) -> f64 {
    let fewer = later.anchors.len().min(earlier.anchors.len());
    let both = (shared.anchors * fewer as f64).round();
    let contained = if later.anchors.is_empty() {
        0.0
    } else {
        both / later.anchors.len() as f64
    };
    contained + shared.jaccard() + 0.01 * shared.terms.min(50) as f64
}

/// A publication time as a number that sorts as the time does: its first 14 digits
/// (`2024-03-01T09:30:00Z` → 20240301093000), fewer digits padded with zeros. Offsets are not
/// applied (times are compared as written, as by their text). What scan and the index rank
/// representatives by, in 8 bytes a document.
pub fn date_rank(published: &str) -> u64 {
    let mut key = 0u64;
    let mut digits = 0;
    for b in published.bytes().filter(u8::is_ascii_digit).take(14) {
        key = key * 10 + u64::from(b - b'0');
        digits += 1;
    }
    key * 10u64.pow(14 - digits)
}

/// Why a pair is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A member of a near-copy cluster against its representative.
    Member,
    /// The closest pair between two clusters, standing for all the pairs between them.
    Between,
}

/// A pair to judge: two documents (`a < b`), what their sketches share, and why.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judge {
    /// The first document.
    pub a: u32,
    /// The second document (greater than `a`).
    pub b: u32,
    /// What their sketches share.
    pub shared: Shared,
    /// Why it is judged.
    pub role: Role,
}

/// A near-copy cluster of two or more documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// The document the others are judged against.
    pub representative: u32,
    /// All its documents, the representative included, in ascending order.
    pub members: Vec<u32>,
}

/// What to judge, and what the judged pairs stand for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// The pairs to judge, in ascending order of `(a, b)`.
    pub judge: Vec<Judge>,
    /// The near-copy clusters of two or more documents, in order of their representative's
    /// rank.
    pub clusters: Vec<Cluster>,
    /// Candidate pairs not judged: each stands judged through a representative or through the
    /// pair judged between its two clusters.
    pub stood_for: u64,
}

/// [`plan`] with the usual rules over the documents' sketches: [`near_copies`] and
/// [`derived_closeness`]. `sketch(d)` is document `d`'s sketch.
pub fn plan_by_sketches<'s, K: Ord>(
    candidates: &[(u32, u32, Shared)],
    sketch: impl Fn(u32) -> &'s Sketch,
    rank: impl Fn(u32) -> K,
) -> Plan {
    plan(
        candidates,
        |a, b, shared| near_copies(sketch(a), sketch(b), shared),
        |later, earlier, shared| derived_closeness(sketch(later), sketch(earlier), shared),
        rank,
    )
}

/// Plans which of `candidates` to judge (see the module documentation). `candidates` are pairs
/// of document numbers with what their sketches share; `near(a, b, shared)` says whether two
/// are near-copies (usually [`near_copies`] over their sketches); `close(later, earlier,
/// shared)` how likely the later-ranked was taken from the earlier (usually
/// [`derived_closeness`]); `rank` orders documents, the first-ranked becoming
/// representatives. The plan depends on the candidates and the
/// ranks alone (ties of rank are broken by document number), so that two callers that number
/// the same documents differently (a scan, an index) make the same plan when their ranks are
/// distinct.
pub fn plan<K: Ord>(
    candidates: &[(u32, u32, Shared)],
    near: impl Fn(u32, u32, &Shared) -> bool,
    close: impl Fn(u32, u32, &Shared) -> f64,
    rank: impl Fn(u32) -> K,
) -> Plan {
    // Every document of a candidate pair, in rank order.
    let mut docs: Vec<u32> = candidates.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    docs.sort_unstable();
    docs.dedup();
    let ranked: Vec<(K, u32)> = {
        let mut ranked: Vec<(K, u32)> = docs.iter().map(|&d| (rank(d), d)).collect();
        ranked.sort();
        ranked
    };
    // A document's place: its position in `docs`, found by binary search.
    let at = |d: u32| docs.binary_search(&d).unwrap_or_else(|_| unreachable!());
    let mut order = vec![0usize; docs.len()];
    for (position, (_, d)) in ranked.iter().enumerate() {
        order[at(*d)] = position;
    }

    // 1. Stars of near-copies, representatives taken in rank order.
    let mut neighbours: Vec<Vec<(u32, usize)>> = vec![Vec::new(); docs.len()];
    for (n, &(a, b, shared)) in candidates.iter().enumerate() {
        if a != b && near(a, b, &shared) {
            neighbours[at(a)].push((b, n));
            neighbours[at(b)].push((a, n));
        }
    }
    const NONE: usize = usize::MAX;
    let mut cluster_of = vec![NONE; docs.len()];
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut judge: Vec<Judge> = Vec::new();
    for (_, d) in &ranked {
        let place = at(*d);
        if cluster_of[place] != NONE || neighbours[place].is_empty() {
            continue;
        }
        let id = clusters.len();
        cluster_of[place] = id;
        let mut members = vec![*d];
        let mut joining: Vec<(u32, usize)> = neighbours[place]
            .iter()
            .copied()
            .filter(|&(m, _)| cluster_of[at(m)] == NONE)
            .collect();
        joining.sort_unstable();
        joining.dedup_by_key(|&mut (m, _)| m);
        for (m, n) in joining {
            cluster_of[at(m)] = id;
            members.push(m);
            let (a, b, shared) = candidates[n];
            judge.push(Judge {
                a: a.min(b),
                b: a.max(b),
                shared,
                role: Role::Member,
            });
        }
        if members.len() > 1 {
            members.sort_unstable();
            clusters.push(Cluster {
                representative: *d,
                members,
            });
        } else {
            // Its near-copies were all taken by earlier representatives: a cluster of one.
            cluster_of[place] = NONE;
        }
    }
    // Clusters of one for the rest, numbered after the real ones.
    let mut next = clusters.len();
    for slot in &mut cluster_of {
        if *slot == NONE {
            *slot = next;
            next += 1;
        }
    }
    // A cluster's rank: its representative's (or only member's).
    let mut cluster_rank = vec![usize::MAX; next];
    for (place, &c) in cluster_of.iter().enumerate() {
        cluster_rank[c] = cluster_rank[c].min(order[place]);
    }

    // 2. The closest pair between each two clusters, looking back from the later-ranked one.
    let mut between: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut in_clusters = 0u64;
    let mut score = vec![0.0f64; candidates.len()];
    for (n, &(a, b, shared)) in candidates.iter().enumerate() {
        let (ca, cb) = (cluster_of[at(a)], cluster_of[at(b)]);
        if ca == cb {
            in_clusters += 1;
            continue;
        }
        score[n] = if cluster_rank[ca] > cluster_rank[cb] {
            close(a, b, &shared)
        } else {
            close(b, a, &shared)
        };
        let key = (ca.min(cb), ca.max(cb));
        // Ties go to the pair of the first-ranked documents, so that the plan depends on the
        // ranks, never on how the caller numbered the documents.
        let ranks = |a: u32, b: u32| {
            let (x, y) = (order[at(a)], order[at(b)]);
            (x.min(y), x.max(y))
        };
        let better = |old: usize| {
            let (oa, ob, _) = candidates[old];
            score[n]
                .total_cmp(&score[old])
                .then_with(|| ranks(oa, ob).cmp(&ranks(a, b)))
                .is_gt()
        };
        match between.get_mut(&key) {
            Some(best) if !better(*best) => {}
            Some(best) => *best = n,
            None => {
                between.insert(key, n);
            }
        }
    }
    // Each cluster against its closest earlier neighbours.
    let mut earlier: Vec<Vec<(usize, usize)>> = vec![Vec::new(); next];
    for (&(x, y), &n) in &between {
        let later = if cluster_rank[x] > cluster_rank[y] {
            x
        } else {
            y
        };
        earlier[later].push((n, if later == x { y } else { x }));
    }
    let mut chosen: Vec<usize> = Vec::new();
    for list in &mut earlier {
        list.sort_by(|&(m, cm), &(n, cn)| {
            score[n]
                .total_cmp(&score[m])
                .then(cluster_rank[cm].cmp(&cluster_rank[cn]))
        });
        chosen.extend(list.iter().take(EARLIER_NEIGHBOURS).map(|&(n, _)| n));
        // And the first-ranked of those at least half as close as the closest, the likeliest
        // root of the story (a wire story's original is its earliest text): excerpts of one
        // passage, or rewrites that reworded alike, look closer to each other than to their
        // source, while a text of another story that shares a few names is far less close.
        let Some(&(best, _)) = list.first() else {
            continue;
        };
        if let Some(&(n, _)) = list
            .iter()
            .filter(|&&(n, _)| score[n] >= ROOT_SHARE * score[best])
            .min_by_key(|&&(_, c)| cluster_rank[c])
        {
            chosen.push(n);
        }
    }
    for n in chosen {
        let (a, b, shared) = candidates[n];
        judge.push(Judge {
            a: a.min(b),
            b: a.max(b),
            shared,
            role: Role::Between,
        });
    }
    judge.sort_by_key(|j| (j.a, j.b));
    judge.dedup_by_key(|j| (j.a, j.b));
    let stood_for = candidates.len() as u64 - judge.len() as u64;
    debug_assert!(in_clusters + between.len() as u64 >= judge.len() as u64);
    Plan {
        judge,
        clusters,
        stood_for,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(jaccard: f64, anchors: f64, terms: usize) -> Shared {
        Shared {
            minima: (jaccard * 128.0).round() as usize,
            anchors,
            terms,
        }
    }

    fn near(_: u32, _: u32, s: &Shared) -> bool {
        s.jaccard() >= NEAR_COPY_JACCARD
    }

    fn close(_: u32, _: u32, s: &Shared) -> f64 {
        closeness(s)
    }

    /// Every pair of `members` as near-copies.
    fn all_pairs(members: &[u32], s: Shared) -> Vec<(u32, u32, Shared)> {
        let mut pairs = Vec::new();
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                pairs.push((a, b, s));
            }
        }
        pairs
    }

    #[test]
    fn five_hundred_copies_are_judged_against_the_first_ranked_one() {
        let members: Vec<u32> = (0..500).collect();
        let candidates = all_pairs(&members, shared(0.95, 1.0, 30));
        // Document 7 ranks first (the earliest published).
        let plan = plan(&candidates, near, close, |d| if d == 7 { 0 } else { d + 1 });
        assert_eq!(plan.clusters.len(), 1);
        assert_eq!(plan.clusters[0].representative, 7);
        assert_eq!(plan.clusters[0].members, members);
        assert_eq!(plan.judge.len(), 499);
        assert!(
            plan.judge
                .iter()
                .all(|j| (j.a == 7 || j.b == 7) && j.role == Role::Member)
        );
        assert_eq!(plan.stood_for, 500 * 499 / 2 - 499);
    }

    #[test]
    fn excerpts_and_rewrites_are_judged_against_their_closest_earlier_cluster() {
        // 0..10 copies of an original (0 ranks first); 20..30 excerpts of it, each sharing
        // a passage with the copies and a little with each other; 40 a rewrite.
        let copies: Vec<u32> = (0..10).collect();
        let mut candidates = all_pairs(&copies, shared(0.9, 1.0, 30));
        for e in 20..30 {
            for &c in &copies {
                candidates.push((c, e, shared(0.3, 1.0, 12)));
            }
            for f in e + 1..30 {
                candidates.push((e, f, shared(0.1, 0.4, 5)));
            }
            candidates.push((e, 40, shared(0.0, 0.1, 10)));
        }
        for &c in &copies {
            candidates.push((c, 40, shared(0.05, 0.1, 25)));
        }
        let plan = plan(&candidates, near, close, |d| d);
        assert_eq!(plan.clusters.len(), 1);
        let judged: Vec<(u32, u32)> = plan.judge.iter().map(|j| (j.a, j.b)).collect();
        // Each excerpt against the representative (the closest pair, ties to the first).
        for e in 20..30 {
            assert!(judged.contains(&(0, e)), "{e}: {judged:?}");
        }
        assert!(judged.contains(&(0, 40)), "{judged:?}");
        // Linear: 9 members, and at most six earlier neighbours per other cluster.
        assert!(plan.judge.len() <= 9 + 6 * 11, "{}", plan.judge.len());
        assert_eq!(
            plan.judge.len() as u64 + plan.stood_for,
            candidates.len() as u64
        );
    }

    #[test]
    fn looking_back_a_rewrite_is_closer_to_the_article_than_to_an_excerpt_of_it() {
        let words = |range: std::ops::Range<usize>| {
            range.map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
        };
        let sketcher = crate::Sketcher::default();
        let article = sketcher.sketch(&words(0..600));
        let excerpt = sketcher.sketch(&words(100..200));
        // The rewrite kept the excerpt's passage and a little more, and reworded the rest.
        let rewrite = sketcher.sketch(&format!(
            "{} {} {}",
            words(1000..1300),
            words(100..260),
            words(2000..2200)
        ));
        let from_article = Shared::of(&rewrite, &article);
        let from_excerpt = Shared::of(&rewrite, &excerpt);
        // Shared with the shorter text, the excerpt looks closest...
        assert!(closeness(&from_excerpt) > closeness(&from_article));
        // ...looking back from the rewrite, the article is.
        assert!(
            derived_closeness(&rewrite, &article, &from_article)
                > derived_closeness(&rewrite, &excerpt, &from_excerpt)
        );
    }

    #[test]
    fn dates_rank_as_they_read() {
        assert_eq!(date_rank("2024-03-01T09:30:00Z"), 20_240_301_093_000);
        assert_eq!(date_rank("2024-03-01"), 20_240_301_000_000);
        assert!(date_rank("2024-03-01") < date_rank("2024-03-01T00:00:01Z"));
        assert!(date_rank("2023-12-31T23:59:59Z") < date_rank("2024-01-01"));
        assert_eq!(date_rank("no date"), 0);
    }

    #[test]
    fn a_chain_of_near_copies_becomes_stars_not_one_cluster() {
        // 0 ~ 1 ~ 2, but 0 and 2 are not near-copies: 2 is not put with 0.
        let candidates = vec![
            (0, 1, shared(0.85, 1.0, 20)),
            (1, 2, shared(0.85, 1.0, 20)),
            (0, 2, shared(0.6, 0.9, 20)),
        ];
        let plan = plan(&candidates, near, close, |d| d);
        assert_eq!(
            plan.clusters,
            vec![Cluster {
                representative: 0,
                members: vec![0, 1]
            }]
        );
        // 2 is a cluster of one, judged against its closest pair into cluster {0, 1}.
        let judged: Vec<(u32, u32, Role)> = plan.judge.iter().map(|j| (j.a, j.b, j.role)).collect();
        assert_eq!(judged, vec![(0, 1, Role::Member), (1, 2, Role::Between)]);
        assert_eq!(plan.stood_for, 1);
    }

    #[test]
    fn the_plan_does_not_depend_on_how_documents_are_numbered() {
        // The same documents numbered two ways, ranked by a name: the same plan, renumbered.
        let names = ["d", "a", "c", "b", "e"];
        let renumber = [3u32, 0, 4, 1, 2];
        let s = shared(0.9, 1.0, 10);
        let excerpt = shared(0.2, 0.9, 3);
        let first = vec![
            (0, 1, s),
            (0, 3, s),
            (1, 3, s),
            (2, 4, excerpt),
            (2, 0, excerpt),
            (2, 1, excerpt),
        ];
        let second: Vec<(u32, u32, Shared)> = first
            .iter()
            .map(|&(a, b, s)| (renumber[a as usize], renumber[b as usize], s))
            .collect();
        let by_name = |names: Vec<&'static str>| move |d: u32| names[d as usize];
        let mut renamed = [""; 5];
        for (d, &n) in renumber.iter().enumerate() {
            renamed[n as usize] = names[d];
        }
        let one = plan(&first, near, close, by_name(names.to_vec()));
        let two = plan(&second, near, close, by_name(renamed.to_vec()));
        let named = |plan: &Plan, names: &[&str]| {
            let mut judged: Vec<(String, String)> = plan
                .judge
                .iter()
                .map(|j| {
                    let (x, y) = (names[j.a as usize], names[j.b as usize]);
                    (x.min(y).to_owned(), x.max(y).to_owned())
                })
                .collect();
            judged.sort();
            judged
        };
        assert_eq!(named(&one, &names), named(&two, &renamed));
        assert_eq!(one.stood_for, two.stood_for);
    }

    #[test]
    fn the_plan_does_not_depend_on_the_order_of_the_candidates() {
        let mut candidates = all_pairs(&[3, 5, 8, 9], shared(0.9, 1.0, 10));
        candidates.extend([(1, 3, shared(0.2, 0.9, 3)), (1, 9, shared(0.2, 0.95, 3))]);
        let forward = plan(&candidates, near, close, |d| d);
        candidates.reverse();
        let backward = plan(&candidates, near, close, |d| d);
        assert_eq!(forward, backward);
        assert!(plan(&[], near, close, |d| d).judge.is_empty());
    }
}
