//! Stories: the connected components of the pairs where one document derives from another,
//! with their original, their provenance edges and their members, as `retrace scan`,
//! `retrace query` and `retrace serve` show them.

use std::collections::BTreeMap;

use retrace_report::stories::{Edge, Member, Story};

/// What a story shows of a member.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    /// Where it was read from (or its address).
    pub origin: String,
    /// Its headline.
    pub title: Option<String>,
    /// When it was published, as written.
    pub published: Option<String>,
}

/// A related pair of documents, by their ids, as stories are built from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The first document.
    pub a: u32,
    /// The second document.
    pub b: u32,
    /// The relation ([`retrace_judge::Relation::as_str`], or `similar` for a pair related by
    /// its sketches alone).
    pub relation: &'static str,
    /// The source's and the derivative's ids, when the direction is known.
    pub direction: Option<(u32, u32)>,
    /// Its side-by-side page, when there is one.
    pub page: Option<String>,
}

/// The connected components of a graph given by its edges, each in order, in order of their
/// least member (union-find over an ordered map: deterministic whatever the edge order).
///
/// ```
/// let groups = retrace_engine::stories::components([(5, 2), (9, 8), (2, 1)]);
/// assert_eq!(groups, [vec![1, 2, 5], vec![8, 9]]);
/// ```
pub fn components<K: Ord + Copy>(edges: impl IntoIterator<Item = (K, K)>) -> Vec<Vec<K>> {
    fn find<K: Ord + Copy>(parent: &mut BTreeMap<K, K>, x: K) -> K {
        let mut root = x;
        while let Some(&p) = parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        parent.insert(x, root);
        root
    }
    let mut parent: BTreeMap<K, K> = BTreeMap::new();
    for (a, b) in edges {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut groups: BTreeMap<K, Vec<K>> = BTreeMap::new();
    let members: Vec<K> = parent.keys().copied().collect();
    for member in members {
        let root = find(&mut parent, member);
        groups.entry(root).or_default().push(member);
    }
    groups.into_values().collect()
}

/// Connected components of the pairs where one document derives from the other (duplicate,
/// excerpt, rewrite), in order of their first document. `same_story` pairs (two reports of the
/// same events, neither taken from the other) stay in pairs.jsonl but do not join stories: a
/// story is a provenance tree, and topic overlap would chain unrelated trees together.
/// Each story comes with the ids of its members; `shown` holds every member's.
///
/// ```
/// use std::collections::BTreeMap;
/// use retrace_engine::stories::{Related, Shown, stories};
/// let shown: BTreeMap<u32, Shown> = (0..3)
///     .map(|id| (id, Shown { origin: format!("doc-{id}"), ..Shown::default() }))
///     .collect();
/// let copy = Related { a: 0, b: 1, relation: "duplicate", direction: Some((0, 1)), page: None };
/// let found = stories(&shown, &[&copy]);
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].0.original.as_deref(), Some("doc-0"));
/// assert_eq!(found[0].1, [0, 1]);
/// ```
pub fn stories(shown: &BTreeMap<u32, Shown>, related: &[&Related]) -> Vec<(Story, Vec<u32>)> {
    let groups = components(related.iter().map(|pair| (pair.a, pair.b)));
    // Each pair to its group, in one pass (a story of 500 members has 500 pairs or more).
    let group_of: std::collections::HashMap<u32, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(n, group)| group.iter().map(move |&id| (id, n)))
        .collect();
    let mut pairs_of: Vec<Vec<&Related>> = vec![Vec::new(); groups.len()];
    for &pair in related {
        pairs_of[group_of[&pair.a]].push(pair);
    }
    let shown = |id: u32| &shown[&id];
    let origin = |id: u32| shown(id).origin.clone();
    let sorted = |mut ids: Vec<u32>| {
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    groups
        .into_iter()
        .zip(pairs_of)
        .enumerate()
        .map(|(n, (group, pairs))| {
            let sources = sorted(
                pairs
                    .iter()
                    .filter_map(|p| p.direction.map(|d| d.0))
                    .collect(),
            );
            let derived = sorted(
                pairs
                    .iter()
                    .filter_map(|p| p.direction.map(|d| d.1))
                    .collect(),
            );
            // The original: a source that derives from no member, and that no pair of
            // undecided direction ties to another member (a copy judged `duplicate · source
            // undecided` may be the original as well as it: then the story says undecided).
            let undecided = sorted(
                pairs
                    .iter()
                    .filter(|p| p.direction.is_none())
                    .flat_map(|p| [p.a, p.b])
                    .collect(),
            );
            let (sources, derived, undecided) = (
                |id: &u32| sources.binary_search(id).is_ok(),
                |id: &u32| derived.binary_search(id).is_ok(),
                |id: &u32| undecided.binary_search(id).is_ok(),
            );
            let original = group
                .iter()
                .copied()
                .filter(|id| sources(id) && !derived(id) && !undecided(id))
                .min_by_key(|&id| (shown(id).published.as_deref().unwrap_or("~"), id));
            // Without one: the members that could each be it, for the reader to weigh.
            let mut undecided_original: Vec<u32> = match original {
                Some(_) => Vec::new(),
                None => group
                    .iter()
                    .copied()
                    .filter(|id| (sources(id) || undecided(id)) && !derived(id))
                    .collect(),
            };
            undecided_original
                .sort_by_key(|&id| (shown(id).published.as_deref().unwrap_or("~"), id));
            let story = Story {
                id: n + 1,
                original: original.map(origin),
                undecided_original: undecided_original.into_iter().map(origin).collect(),
                members: group
                    .iter()
                    .map(|&id| Member {
                        origin: origin(id),
                        title: shown(id).title.clone(),
                        published: shown(id).published.clone(),
                    })
                    .collect(),
                provenance: pairs
                    .iter()
                    .filter_map(|p| {
                        p.direction.map(|(from, to)| Edge {
                            from: origin(from),
                            to: origin(to),
                            relation: p.relation,
                            page: p.page.clone(),
                        })
                    })
                    .collect(),
                undirected: pairs
                    .iter()
                    .filter(|p| p.direction.is_none())
                    .map(|p| Edge {
                        from: origin(p.a),
                        to: origin(p.b),
                        relation: p.relation,
                        page: p.page.clone(),
                    })
                    .collect(),
                ledger: Vec::new(),
            };
            (story, group)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13, item 19: a story whose copy and original are `duplicate · source undecided`
    /// names no original, though the copy is the source of an excerpt.
    #[test]
    fn an_undecided_duplicate_leaves_the_original_undecided() {
        let shown: BTreeMap<u32, Shown> = (0..4)
            .map(|id| {
                let shown = Shown {
                    origin: format!("doc{id}"),
                    title: None,
                    published: None,
                };
                (id, shown)
            })
            .collect();
        let pair =
            |a: u32, b: u32, relation: &'static str, direction: Option<(u32, u32)>| Related {
                a,
                b,
                relation,
                direction,
                page: None,
            };
        // 0 and 1 are copies of each other, direction unknown; 1 was excerpted by 2.
        let undecided = [
            pair(0, 1, "duplicate", None),
            pair(1, 2, "excerpt", Some((1, 2))),
        ];
        let related: Vec<&Related> = undecided.iter().collect();
        let built = stories(&shown, &related);
        assert_eq!(built.len(), 1);
        assert_eq!(built[0].0.original, None, "{:?}", built[0].0.original);
        // Once the copy's direction is known, its source is the original.
        let decided = [
            pair(0, 1, "duplicate", Some((0, 1))),
            pair(1, 2, "excerpt", Some((1, 2))),
            pair(2, 3, "duplicate", None),
        ];
        let related: Vec<&Related> = decided.iter().collect();
        let built = stories(&shown, &related);
        assert_eq!(built[0].0.original.as_deref(), Some("doc0"));
    }
}
