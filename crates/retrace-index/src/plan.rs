//! Which candidate pairs the index judges: the plan `retrace scan` makes
//! ([`retrace_sketch::represent`]), kept up to date as batches come.
//!
//! The index stores every candidate pair with what the two sketches share (`candidates`), and
//! whether the plan judges it (`planned`). A batch marks the documents whose candidate pairs it
//! changed (added, updated, removed, or paired anew by the names it brought); [`replan`] then
//! plans each connected component of the candidate graph that holds one of them again, as scan
//! plans the whole corpus: near-copies judged against their cluster's representative, each
//! other cluster against its closest earlier ones. A component's plan depends on its candidate
//! pairs and the ranks of its documents alone (earliest published, most complete text, then
//! origin), so the pairs judged are the same whatever order the documents came in, and the
//! same as scan's over the same files. A copy added to a story of 500 members is judged once,
//! against its representative; the component is planned again from the stored rows (no text
//! is read, nothing else is judged again).

use std::collections::{BTreeMap, BTreeSet};

use retrace_sketch::Sketch;
use retrace_sketch::evidence::Shared;
use retrace_sketch::represent;
use rusqlite::params;

use crate::{Batch, DocId, Read, Result};

/// A stored candidate pair: what the two sketches share, and whether the plan judges it.
struct Row {
    shared: Shared,
    planned: bool,
}

/// A component's documents and what the plan needs of them.
struct Member {
    sketch: Sketch,
    rank: (bool, Option<u64>, std::cmp::Reverse<u32>, String),
}

impl Batch<'_> {
    /// Stores the candidate pairs of document `id` (from [`Read::candidates`]), unjudged;
    /// pairs already stored are left as they are.
    pub fn put_candidates(&mut self, id: DocId, candidates: &[crate::Candidate]) -> Result<()> {
        let sql = self.sql();
        let mut statement = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO candidates (a, b, minima, anchors, terms, planned) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 0)",
            )
            .map_err(&sql)?;
        for candidate in candidates {
            let (a, b) = (id.min(candidate.id), id.max(candidate.id));
            statement
                .execute(params![
                    a,
                    b,
                    candidate.shared.minima as i64,
                    candidate.shared.anchors,
                    candidate.shared.terms as i64
                ])
                .map_err(&sql)?;
        }
        drop(statement);
        self.touched.insert(id);
        Ok(())
    }

    /// Stores one candidate pair of two indexed documents (what [`crate::Batch::resettle`]
    /// finds), what they share computed from their sketches.
    pub(crate) fn put_candidate_pair(&mut self, a: DocId, b: DocId) -> Result<()> {
        let (Some((sa, _)), Some((sb, _))) = (self.sketch(a)?, self.sketch(b)?) else {
            return Ok(());
        };
        let shared = Shared::of(&sa, &sb);
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO candidates (a, b, minima, anchors, terms, planned) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 0)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    a.min(b),
                    a.max(b),
                    shared.minima as i64,
                    shared.anchors,
                    shared.terms as i64
                ])
            })
            .map_err(self.sql())?;
        self.touched.extend([a, b]);
        Ok(())
    }

    /// Deletes one candidate pair and its judgement.
    pub(crate) fn drop_candidate_pair(&mut self, a: DocId, b: DocId) -> Result<()> {
        let (a, b) = (a.min(b), a.max(b));
        for statement in [
            "DELETE FROM candidates WHERE a = ?1 AND b = ?2",
            "DELETE FROM pairs WHERE a = ?1 AND b = ?2",
        ] {
            self.execute(statement, params![a, b])?;
        }
        self.touched.extend([a, b]);
        self.story_touched(a);
        self.story_touched(b);
        Ok(())
    }

    /// Deletes a document's candidate pairs and cluster, marking the documents it was paired
    /// with (their components are planned again).
    pub(crate) fn drop_candidates_of(&mut self, id: DocId) -> Result<()> {
        let sql = self.sql();
        let neighbours = neighbours(self, id)?;
        self.touched.extend(neighbours);
        for statement in [
            "DELETE FROM candidates WHERE a = ?1 OR b = ?1",
            "DELETE FROM clusters WHERE doc = ?1 OR representative = ?1",
        ] {
            self.tx.execute(statement, [id]).map_err(&sql)?;
        }
        Ok(())
    }

    /// Plans again the components of the documents this batch touched (see the module
    /// documentation): pairs the plan no longer judges lose their judgement, clusters are
    /// rewritten, and the pairs it judges now that were not judged before are returned
    /// (`a < b`), to be judged and stored with [`Batch::put_pair`].
    pub fn replan(&mut self) -> Result<Vec<(DocId, DocId)>> {
        let sql = self.sql();
        let touched = std::mem::take(&mut self.touched);
        let mut done: BTreeSet<DocId> = BTreeSet::new();
        let mut judge = Vec::new();
        for start in touched {
            if done.contains(&start) || self.meta(start)?.is_none() {
                continue;
            }
            // The component: every document reachable through candidate pairs.
            let mut component: BTreeSet<DocId> = BTreeSet::from([start]);
            let mut queue = vec![start];
            let mut rows: BTreeMap<(DocId, DocId), Row> = BTreeMap::new();
            while let Some(id) = queue.pop() {
                for (other, row) in candidate_rows(self, id)? {
                    rows.insert((id.min(other), id.max(other)), row);
                    if component.insert(other) {
                        queue.push(other);
                    }
                }
            }
            done.extend(component.iter().copied());
            self.tx
                .prepare_cached("DELETE FROM clusters WHERE doc = ?1")
                .and_then(|mut s| {
                    for &id in &component {
                        s.execute([id])?;
                    }
                    Ok(())
                })
                .map_err(&sql)?;
            if rows.is_empty() {
                continue;
            }
            // Local numbers in the component, and what the plan needs of each document.
            let ids: Vec<DocId> = component.iter().copied().collect();
            let local = |id: DocId| ids.binary_search(&id).unwrap_or(0) as u32;
            let mut members = Vec::with_capacity(ids.len());
            for &id in &ids {
                let (sketch, meta) = self.sketch(id)?.ok_or_else(|| {
                    crate::corrupt(self, id, "a candidate pair names it, yet it is not there")
                })?;
                let rank = (
                    meta.published.is_none(),
                    meta.published.as_deref().map(represent::date_rank),
                    std::cmp::Reverse(sketch.words),
                    meta.origin,
                );
                members.push(Member { sketch, rank });
            }
            let candidates: Vec<(u32, u32, Shared)> = rows
                .iter()
                .map(|(&(a, b), row)| (local(a), local(b), row.shared))
                .collect();
            let plan = represent::plan_by_sketches(
                &candidates,
                |d| &members[d as usize].sketch,
                |d| members[d as usize].rank.clone(),
            );
            let planned: BTreeSet<(DocId, DocId)> = plan
                .judge
                .iter()
                .map(|j| (ids[j.a as usize], ids[j.b as usize]))
                .map(|(a, b)| (a.min(b), a.max(b)))
                .collect();
            for (&(a, b), row) in &rows {
                let now = planned.contains(&(a, b));
                if now == row.planned {
                    continue;
                }
                self.execute(
                    "UPDATE candidates SET planned = ?3 WHERE a = ?1 AND b = ?2",
                    params![a, b, now],
                )?;
                if now {
                    judge.push((a, b));
                } else {
                    self.execute("DELETE FROM pairs WHERE a = ?1 AND b = ?2", params![a, b])?;
                    self.story_touched(a);
                    self.story_touched(b);
                }
            }
            let mut statement = self
                .tx
                .prepare_cached("INSERT INTO clusters (doc, representative) VALUES (?1, ?2)")
                .map_err(&sql)?;
            for cluster in &plan.clusters {
                let representative = ids[cluster.representative as usize];
                for &member in &cluster.members {
                    statement
                        .execute(params![ids[member as usize], representative])
                        .map_err(&sql)?;
                }
            }
        }
        judge.sort_unstable();
        Ok(judge)
    }
}

/// The documents a document shares a stored candidate pair with, and those pairs.
fn candidate_rows<R: Read + ?Sized>(index: &R, id: DocId) -> Result<Vec<(DocId, Row)>> {
    crate::rows_of(
        index,
        "SELECT b, minima, anchors, terms, planned FROM candidates WHERE a = ?1 UNION ALL \
         SELECT a, minima, anchors, terms, planned FROM candidates WHERE b = ?1",
        id,
        |row| {
            Ok((
                row.get::<_, DocId>(0)?,
                Row {
                    shared: Shared {
                        minima: row.get::<_, i64>(1)? as usize,
                        anchors: row.get(2)?,
                        terms: row.get::<_, i64>(3)? as usize,
                    },
                    planned: row.get(4)?,
                },
            ))
        },
    )
}

/// The documents a document shares a stored candidate pair with.
fn neighbours<R: Read + ?Sized>(index: &R, id: DocId) -> Result<Vec<DocId>> {
    Ok(candidate_rows(index, id)?
        .into_iter()
        .map(|(other, _)| other)
        .collect())
}

/// The representative of a document's near-copy cluster, when it is in one (itself when it is
/// the representative).
pub(crate) fn representative<R: Read + ?Sized>(index: &R, id: DocId) -> Result<Option<DocId>> {
    crate::value_of(
        index,
        "SELECT representative FROM clusters WHERE doc = ?1",
        id,
    )
}

/// The members of a near-copy cluster, by its representative, in order, with their keys (one
/// query: a looked-up copy of a story names hundreds of them).
pub(crate) fn cluster<R: Read + ?Sized>(
    index: &R,
    representative: DocId,
) -> Result<Vec<(DocId, String)>> {
    crate::rows_of(
        index,
        "SELECT c.doc, d.key FROM clusters c JOIN documents d ON d.id = c.doc \
         WHERE c.representative = ?1 ORDER BY c.doc",
        representative,
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}
