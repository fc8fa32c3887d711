//! Sums over every element's subtree, for the whole tree in one pass.
//!
//! Furniture pruning and container finding ask of many elements how much text they hold, how
//! much of it is linked and whether they hold the headline. Asked of each element by walking its
//! subtree (`text()`, `find(&["a"])`), that costs the sum of all subtree sizes: the square of the
//! depth on a deeply nested page (issue 13). Here each node is visited twice, without
//! recursion, and every answer is a lookup.

use std::collections::HashMap;

use dom_query::{NodeData, NodeId, NodeRef};

/// What one element's subtree holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Characters of text other than whitespace (as `text()` gives it: script text included).
    pub(crate) text: usize,
    /// Of [`Tally::text`], the characters inside `<a>` descendants (text under nested links
    /// counts once per link, as summing `find(&["a"])` would).
    pub(crate) linked: usize,
    /// Whether the element is an `<h1>` or holds one.
    pub(crate) h1: bool,
}

/// The [`Tally`] of every node under a root, as the tree stood when they were counted.
#[derive(Debug)]
pub(crate) struct Tallies {
    tallies: HashMap<NodeId, Tally>,
}

impl Tallies {
    /// Counts the subtree of `root`, each node once, in post-order with an explicit stack.
    pub(crate) fn of(root: &NodeRef<'_>) -> Tallies {
        let tree = root.tree;
        let mut tallies: HashMap<NodeId, Tally> = HashMap::new();
        let mut stack = vec![(root.id, false)];
        while let Some((id, children_done)) = stack.pop() {
            if !children_done {
                stack.push((id, true));
                stack.extend(tree.child_ids_of_it(&id, false).map(|child| (child, false)));
                continue;
            }
            let (own_text, is_h1) = tree
                .query_node(&id, |node| match &node.data {
                    NodeData::Text { contents } => (
                        contents.chars().filter(|c| !c.is_whitespace()).count(),
                        false,
                    ),
                    NodeData::Element(element) => (0, &element.name.local == "h1"),
                    _ => (0, false),
                })
                .unwrap_or((0, false));
            let mut tally = Tally {
                text: own_text,
                linked: 0,
                h1: is_h1,
            };
            for child in tree.child_ids_of_it(&id, false) {
                let Some(sub) = tallies.get(&child).copied() else {
                    continue;
                };
                let is_link = tree
                    .query_node(&child, |node| match &node.data {
                        NodeData::Element(element) => &element.name.local == "a",
                        _ => false,
                    })
                    .unwrap_or(false);
                tally.text += sub.text;
                tally.linked += sub.linked + if is_link { sub.text } else { 0 };
                tally.h1 |= sub.h1;
            }
            tallies.insert(id, tally);
        }
        Tallies { tallies }
    }

    /// The tally of `node` (all zero for a node that was not under the root).
    pub(crate) fn get(&self, node: &NodeRef<'_>) -> Tally {
        self.tallies.get(&node.id).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use dom_query::Document;

    use super::*;

    fn squeezed_len(node: &NodeRef<'_>) -> usize {
        node.text().chars().filter(|c| !c.is_whitespace()).count()
    }

    #[test]
    fn tallies_agree_with_walking_each_subtree() {
        let doc = Document::from(
            "<body><div id=a><h1>Ferry  strike</h1><p>The <a href=/x>last ferry</a> left at \
             <b>nine</b>.</p><ul><li><a href=/y>More <i>news</i></a></li></ul></div>\
             <div id=b><p>Crews walked out.</p><script>var x = 1;</script></div></body>",
        );
        let body = doc.body().expect("a body");
        let tallies = Tallies::of(&body);
        for node in std::iter::once(body).chain(body.descendants_it()) {
            if !node.is_element() {
                continue;
            }
            let linked: usize = node.find(&["a"]).iter().map(squeezed_len).sum();
            let h1 = node.has_name("h1") || !node.find(&["h1"]).is_empty();
            let expected = Tally {
                text: squeezed_len(&node),
                linked,
                h1,
            };
            assert_eq!(tallies.get(&node), expected, "{}", node.html());
        }
    }
}
