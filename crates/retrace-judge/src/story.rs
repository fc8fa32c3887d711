//! Stories: the connected components of the pairs where one document derives from another,
//! with their original, their provenance edges, their members and their claim ledger, as
//! `retrace scan` writes them to `stories.jsonl` and `retrace query` and `retrace serve` show
//! them (rendering is `retrace-report`'s).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Claim, Relation};

/// How two documents of a story relate: as the pair engine judged them, or, where a scan did
/// not align the pair, as their sketches tell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Link {
    /// Judged by the pair engine.
    Judged(Relation),
    /// Told by the sketches alone.
    Sketched(Sketched),
}

/// A pair's relation as its sketches alone tell it (a scan without alignment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sketched {
    /// Near-copies: their shingles nearly all the same.
    Duplicate,
    /// One holds most of the other's anchors.
    Excerpt,
    /// Their estimated shingle Jaccard is over the scan's threshold, and neither of the above.
    Similar,
}

impl Link {
    /// Its name in outputs: a [`Relation::as_str`], or `similar` for [`Sketched::Similar`]
    /// (`duplicate` and `excerpt` name both kinds alike).
    ///
    /// ```
    /// use retrace_judge::Relation;
    /// use retrace_judge::story::{Link, Sketched};
    /// assert_eq!(Link::Judged(Relation::SameStory).as_str(), "same_story");
    /// assert_eq!(Link::Sketched(Sketched::Excerpt).as_str(), "excerpt");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Link::Judged(relation) => relation.as_str(),
            Link::Sketched(Sketched::Duplicate) => "duplicate",
            Link::Sketched(Sketched::Excerpt) => "excerpt",
            Link::Sketched(Sketched::Similar) => "similar",
        }
    }

    /// Whether it joins its two documents in a story: every link but two reports of the same
    /// events, neither taken from the other (`same_story`), which would chain unrelated
    /// provenance trees together by topic. Texts alike by their sketches (`similar`, a scan
    /// without alignment) share a third or more of their wording and do join.
    pub fn joins_story(self) -> bool {
        self != Link::Judged(Relation::SameStory)
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Link {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl From<Relation> for Link {
    fn from(relation: Relation) -> Link {
        Link::Judged(relation)
    }
}

/// One story of `stories.jsonl`.
#[derive(Clone, Debug, Serialize)]
pub struct Story {
    /// 1-based, in order of the story's first document.
    pub id: usize,
    /// The member no other member was taken from and that others were taken from, if one is.
    pub original: Option<String>,
    /// When no original is known because copies of each other have no known direction
    /// (`duplicate · source undecided`): the members that could each be it, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undecided_original: Vec<String>,
    /// The documents, in input order.
    pub members: Vec<Member>,
    /// Who took from whom: source → derivative, with the relation.
    pub provenance: Vec<Edge>,
    /// Related pairs whose direction is unknown.
    pub undirected: Vec<Edge>,
    /// The figures and quotations the members state, and where they disagree.
    pub ledger: Vec<Claim>,
}

/// A document of a story.
#[derive(Clone, Debug, Serialize)]
pub struct Member {
    /// Where it came from.
    pub origin: String,
    /// Its headline.
    pub title: Option<String>,
    /// Its publication time, as written where it was found.
    pub published: Option<String>,
}

/// A related pair inside a story.
#[derive(Clone, Debug, Serialize)]
pub struct Edge {
    /// The source (or, undirected, the first document).
    pub from: String,
    /// The derivative (or the second document).
    pub to: String,
    /// How the two relate.
    pub relation: Link,
    /// The pair's page, relative to the report folder, when one was written.
    #[serde(skip)]
    pub page: Option<String>,
}

impl Story {
    /// The publication time of the member from `origin`, if known.
    pub fn published_of(&self, origin: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.origin == origin)
            .and_then(|m| m.published.as_deref())
    }

    /// Its headline: the original's (or the first undecided original's), else the first
    /// member's, else `Story N`.
    pub fn title(&self) -> String {
        let original = self
            .original
            .as_ref()
            .or(self.undecided_original.first())
            .and_then(|o| self.members.iter().find(|m| &m.origin == o));
        original
            .or(self.members.first())
            .and_then(|m| m.title.clone())
            .unwrap_or_else(|| format!("Story {}", self.id))
    }
}

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
    /// How they relate.
    pub relation: Link,
    /// The source's and the derivative's ids, when the direction is known.
    pub direction: Option<(u32, u32)>,
    /// Its side-by-side page, when there is one.
    pub page: Option<String>,
}

/// The connected components of a graph given by its edges, each in order, in order of their
/// least member (union-find over an ordered map: deterministic whatever the edge order).
///
/// ```
/// let groups = retrace_judge::story::components([(5, 2), (9, 8), (2, 1)]);
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
/// use retrace_judge::story::{Link, Related, Shown, stories};
/// use retrace_judge::Relation;
/// let shown: BTreeMap<u32, Shown> = (0..3)
///     .map(|id| (id, Shown { origin: format!("doc-{id}"), ..Shown::default() }))
///     .collect();
/// let relation = Link::Judged(Relation::Duplicate);
/// let copy = Related { a: 0, b: 1, relation, direction: Some((0, 1)), page: None };
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
        let pair = |a: u32, b: u32, relation: Relation, direction: Option<(u32, u32)>| Related {
            a,
            b,
            relation: Link::Judged(relation),
            direction,
            page: None,
        };
        // 0 and 1 are copies of each other, direction unknown; 1 was excerpted by 2.
        let undecided = [
            pair(0, 1, Relation::Duplicate, None),
            pair(1, 2, Relation::Excerpt, Some((1, 2))),
        ];
        let related: Vec<&Related> = undecided.iter().collect();
        let built = stories(&shown, &related);
        assert_eq!(built.len(), 1);
        assert_eq!(built[0].0.original, None, "{:?}", built[0].0.original);
        // Once the copy's direction is known, its source is the original.
        let decided = [
            pair(0, 1, Relation::Duplicate, Some((0, 1))),
            pair(1, 2, Relation::Excerpt, Some((1, 2))),
            pair(2, 3, Relation::Duplicate, None),
        ];
        let related: Vec<&Related> = decided.iter().collect();
        let built = stories(&shown, &related);
        assert_eq!(built[0].0.original.as_deref(), Some("doc0"));
    }
}
