//! Stories kept in tables as batches come, so that a story list is a query, not the assembly
//! of every story of the index on each request.
//!
//! A story is a connected component of the derivation pairs (duplicate, excerpt, rewrite),
//! named by its least document id. A batch marks the documents whose pairs it stored or
//! deleted; when it commits, the stories of those documents (and of every member of the
//! stories they were in, which may have split) are computed again from the pairs.

use std::collections::BTreeSet;

use rusqlite::params;

use crate::{Batch, DocId, Read, Result, sql_error};

/// One story as the `stories` table holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoryRow {
    /// Its least document id.
    pub id: DocId,
    /// How many documents it holds.
    pub members: u64,
    /// The latest publication time of its members, as written.
    pub newest: Option<String>,
    /// Its duplicate, excerpt and rewrite pairs.
    pub duplicates: u64,
    /// See `duplicates`.
    pub excerpts: u64,
    /// See `duplicates`.
    pub rewrites: u64,
}

/// Which stories a list holds.
#[derive(Clone, Debug, Default)]
pub struct StoryFilter<'a> {
    /// Only stories with a pair of this relation (`duplicate`, `excerpt` or `rewrite`).
    pub relation: Option<&'a str>,
    /// Only stories whose newest member was published on or after this time.
    pub since: Option<&'a str>,
    /// … and on or before this one (a date covers its day).
    pub until: Option<&'a str>,
}

impl Batch<'_> {
    /// Marks a document whose story may have changed.
    pub(crate) fn story_touched(&mut self, id: DocId) {
        self.stories_touched.insert(id);
    }

    /// Computes again the stories of the documents this batch touched (see the module
    /// documentation). Called by [`Batch::commit`].
    pub(crate) fn update_stories(&mut self) -> Result<()> {
        let sql = self.sql();
        let touched = std::mem::take(&mut self.stories_touched);
        let mut docs: BTreeSet<DocId> = touched.clone();
        let mut old: BTreeSet<DocId> = BTreeSet::new();
        for &id in &touched {
            if let Some(story) = story_id_of(self, id)? {
                old.insert(story);
            }
        }
        for &story in &old {
            docs.extend(story_members(self, story)?);
            for statement in [
                "DELETE FROM stories WHERE id = ?1",
                "DELETE FROM story_of WHERE story = ?1",
            ] {
                self.execute(statement, [story])?;
            }
        }
        let mut done: BTreeSet<DocId> = BTreeSet::new();
        for id in docs {
            if done.contains(&id) || self.meta(id)?.is_none() {
                continue;
            }
            let (members, pairs) = self.story(&[id], usize::MAX)?;
            done.extend(members.iter().copied());
            if pairs.is_empty() {
                continue;
            }
            let mut row = StoryRow {
                id: members[0],
                members: members.len() as u64,
                ..StoryRow::default()
            };
            for &member in &members {
                let published = self.meta(member)?.and_then(|m| m.published);
                if published > row.newest {
                    row.newest = published;
                }
            }
            for pair in &pairs {
                // A story's pairs are its derivations ([`Read::story`] leaves `same_story` out).
                match pair.relation.as_str() {
                    "duplicate" => row.duplicates += 1,
                    "excerpt" => row.excerpts += 1,
                    "rewrite" => row.rewrites += 1,
                    other => {
                        return Err(crate::corrupt(
                            self,
                            pair.a,
                            &format!(
                                "its pair with document {} has the relation {other:?}, none of \
                                 duplicate, excerpt, rewrite",
                                pair.b
                            ),
                        ));
                    }
                }
            }
            self.tx
                .prepare_cached(
                    "INSERT INTO stories (id, members, newest, duplicates, excerpts, rewrites) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        row.id,
                        row.members as i64,
                        row.newest,
                        row.duplicates as i64,
                        row.excerpts as i64,
                        row.rewrites as i64
                    ])
                })
                .map_err(&sql)?;
            let mut statement = self
                .tx
                .prepare_cached("INSERT INTO story_of (doc, story) VALUES (?1, ?2)")
                .map_err(&sql)?;
            for &member in &members {
                statement.execute(params![member, row.id]).map_err(&sql)?;
            }
        }
        Ok(())
    }
}

/// The story a document is in, by its least document id.
pub(crate) fn story_id_of<R: Read + ?Sized>(index: &R, id: DocId) -> Result<Option<DocId>> {
    crate::value_of(index, "SELECT story FROM story_of WHERE doc = ?1", id)
}

/// A story's members, in order.
pub(crate) fn story_members<R: Read + ?Sized>(index: &R, story: DocId) -> Result<Vec<DocId>> {
    crate::rows_of(
        index,
        "SELECT doc FROM story_of WHERE story = ?1 ORDER BY doc",
        story,
        |row| row.get(0),
    )
}

/// One page of the stories that pass `filter`, newest first (undated last, then by id), and
/// how many pass it in all.
pub(crate) fn story_list<R: Read + ?Sized>(
    index: &R,
    filter: &StoryFilter<'_>,
    offset: u64,
    limit: u64,
) -> Result<(u64, Vec<StoryRow>)> {
    let (conn, path, _) = index.parts();
    let sql = sql_error(path);
    let relation = match filter.relation {
        Some("duplicate") => "duplicates > 0",
        Some("excerpt") => "excerpts > 0",
        Some("rewrite") => "rewrites > 0",
        _ => "1",
    };
    let condition = format!(
        "{relation} AND (?1 IS NULL OR newest >= ?1) AND (?2 IS NULL OR newest IS NULL OR \
         newest <= ?2 OR substr(newest, 1, length(?2)) = ?2)"
    );
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM stories WHERE {condition}"))
        .and_then(|mut s| s.query_row(params![filter.since, filter.until], |row| row.get(0)))
        .map_err(&sql)?;
    let mut statement = conn
        .prepare_cached(&format!(
            "SELECT id, members, newest, duplicates, excerpts, rewrites FROM stories \
             WHERE {condition} ORDER BY newest IS NULL, newest DESC, id LIMIT ?3 OFFSET ?4"
        ))
        .map_err(&sql)?;
    let rows = statement
        .query_map(
            params![
                filter.since,
                filter.until,
                limit.min(i64::MAX as u64) as i64,
                offset.min(i64::MAX as u64) as i64
            ],
            |row| {
                Ok(StoryRow {
                    id: row.get(0)?,
                    members: row.get::<_, i64>(1)? as u64,
                    newest: row.get(2)?,
                    duplicates: row.get::<_, i64>(3)? as u64,
                    excerpts: row.get::<_, i64>(4)? as u64,
                    rewrites: row.get::<_, i64>(5)? as u64,
                })
            },
        )
        .map_err(&sql)?;
    let rows = rows.collect::<std::result::Result<_, _>>().map_err(&sql)?;
    Ok((total as u64, rows))
}
