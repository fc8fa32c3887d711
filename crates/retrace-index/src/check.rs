//! `Index::check`: the database's integrity and the index's own invariants.

use crate::{DocId, Index, Read, Result, retrieve};

impl Index {
    /// Checks the database (SQLite's integrity check) and the index's own invariants: every
    /// document's postings are exactly those of its stored sketch, no posting or pair names a
    /// document that is not there. Returns the problems found, none for a sound index.
    pub fn check(&mut self) -> Result<Vec<String>> {
        let snapshot = self.snapshot()?;
        let sql = snapshot.sql();
        let mut problems = Vec::new();
        {
            let mut statement = snapshot
                .tx
                .prepare("PRAGMA integrity_check")
                .map_err(&sql)?;
            let rows = statement
                .query_map([], |row| row.get::<_, String>(0))
                .map_err(&sql)?;
            for row in rows {
                let row = row.map_err(&sql)?;
                if row != "ok" {
                    problems.push(format!("SQLite integrity check: {row}"));
                }
            }
        }
        for (table, what) in [
            ("band_postings", "band posting"),
            ("anchor_postings", "anchor posting"),
            ("term_postings", "name posting"),
        ] {
            let orphans: i64 = snapshot
                .tx
                .query_row(
                    &format!(
                        "SELECT count(*) FROM {table} WHERE doc NOT IN (SELECT id FROM documents)"
                    ),
                    [],
                    |row| row.get(0),
                )
                .map_err(&sql)?;
            if orphans > 0 {
                problems.push(format!("{orphans} {what}s of documents not in the index"));
            }
        }
        let orphans: i64 = snapshot
            .tx
            .query_row(
                "SELECT count(*) FROM pairs WHERE a NOT IN (SELECT id FROM documents) \
                 OR b NOT IN (SELECT id FROM documents) OR a >= b",
                [],
                |row| row.get(0),
            )
            .map_err(&sql)?;
        if orphans > 0 {
            problems.push(format!(
                "{orphans} pairs name a document not in the index (or are out of order)"
            ));
        }
        // The plan's tables: every row names documents that are there, every judged pair is a
        // planned candidate pair, every document of a story is in the story it names.
        for (query, what) in [
            (
                "SELECT count(*) FROM candidates WHERE a NOT IN (SELECT id FROM documents) \
                 OR b NOT IN (SELECT id FROM documents) OR a >= b",
                "candidate pairs name a document not in the index (or are out of order)",
            ),
            (
                "SELECT count(*) FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM candidates c \
                 WHERE c.a = p.a AND c.b = p.b AND c.planned)",
                "judged pairs are not planned candidate pairs",
            ),
            (
                "SELECT count(*) FROM clusters WHERE doc NOT IN (SELECT id FROM documents) \
                 OR representative NOT IN (SELECT doc FROM clusters WHERE doc = representative)",
                "cluster rows name a document not in the index or a representative of no cluster",
            ),
            (
                "SELECT count(*) FROM story_of WHERE doc NOT IN (SELECT id FROM documents) \
                 OR story NOT IN (SELECT id FROM stories)",
                "story rows name a document not in the index or a story not listed",
            ),
            (
                "SELECT count(*) FROM stories s WHERE members != (SELECT count(*) FROM story_of \
                 WHERE story = s.id) OR id != (SELECT min(doc) FROM story_of WHERE story = s.id)",
                "stories disagree with their members",
            ),
            (
                "SELECT count(*) FROM pairs WHERE relation NOT IN \
                 ('duplicate', 'excerpt', 'rewrite', 'same_story')",
                "judged pairs have a relation that is not one of duplicate, excerpt, rewrite, \
                 same_story",
            ),
            (
                "SELECT count(*) FROM (SELECT key, count(*) AS n FROM term_postings GROUP BY key) \
                 p FULL JOIN term_counts c USING (key) WHERE p.n IS NOT c.holders",
                "names and numbers are counted with another number of holders than they have",
            ),
        ] {
            let wrong: i64 = snapshot
                .tx
                .query_row(query, [], |row| row.get(0))
                .map_err(&sql)?;
            if wrong > 0 {
                problems.push(format!("{wrong} {what}"));
            }
        }
        // Each posting table read once, in its own order: per document, how many postings and
        // a sum of their mixed keys, compared with what its sketch gives.
        let mix = |key: i64| xxhash_rust::xxh3::xxh3_64(&key.to_le_bytes());
        let mut found: [std::collections::HashMap<DocId, (usize, u64)>; 3] = Default::default();
        for (table, per_doc) in ["band_postings", "anchor_postings", "term_postings"]
            .iter()
            .zip(found.iter_mut())
        {
            let mut statement = snapshot
                .tx
                .prepare(&format!("SELECT doc, key FROM {table}"))
                .map_err(&sql)?;
            let mut rows = statement.query([]).map_err(&sql)?;
            while let Some(row) = rows.next().map_err(&sql)? {
                let (doc, key): (i64, i64) = (row.get(0).map_err(&sql)?, row.get(1).map_err(&sql)?);
                let entry = per_doc.entry(doc).or_default();
                entry.0 += 1;
                entry.1 = entry.1.wrapping_add(mix(key));
            }
        }
        let mut statement = snapshot
            .tx
            .prepare("SELECT id FROM documents ORDER BY id")
            .map_err(&sql)?;
        let ids: Vec<i64> = statement
            .query_map([], |row| row.get(0))
            .map_err(&sql)?
            .collect::<std::result::Result<_, _>>()
            .map_err(&sql)?;
        drop(statement);
        for id in ids {
            match snapshot.sketch(id) {
                Ok(Some((sketch, _))) => {
                    for ((table, expected), per_doc) in snapshot
                        .expected_postings(&sketch)
                        .into_iter()
                        .zip(found.iter_mut())
                    {
                        let (n, sum) = per_doc.remove(&id).unwrap_or_default();
                        let want = expected
                            .iter()
                            .fold(0u64, |sum, &key| sum.wrapping_add(mix(key)));
                        if (n, sum) != (expected.len(), want) {
                            problems.push(format!(
                                "document {id}: {n} {table} where its sketch has {}",
                                expected.len()
                            ));
                        }
                    }
                    match (
                        retrieve::stored_rarest(&snapshot, id),
                        retrieve::rarest_now(&snapshot, &sketch.terms),
                    ) {
                        (Ok(stored), Ok((now, _))) if stored.rarest != now => {
                            problems.push(format!(
                                "document {id}: {} rarest names stored where the counts give {}",
                                stored.rarest.len(),
                                now.len()
                            ));
                        }
                        // A bound may lag behind (earlier than the true one), never lead.
                        (Ok(stored), Ok((_, bound)))
                            if stored.bound.is_some_and(|stored| {
                                stored.is_none() && bound.is_some()
                                    || stored.zip(bound).is_some_and(|(s, b)| s > b)
                            }) =>
                        {
                            problems.push(format!(
                                "document {id}: its rarest names are stored with a bound \
                                 beyond the one the counts give"
                            ));
                        }
                        (Err(err), _) | (_, Err(err)) => problems.push(err.to_string()),
                        _ => {}
                    }
                }
                Ok(None) => {}
                Err(err) => problems.push(err.to_string()),
            }
        }
        Ok(problems)
    }
}
