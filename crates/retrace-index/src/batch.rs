//! Writing: a [`Batch`] puts and removes documents, settles older pairs, stores judged pairs
//! and commits.

use retrace_ingest::{Format, RawDoc};
use retrace_sketch::Sketch;
use rusqlite::{OptionalExtension, params};

use crate::{
    Batch, BatchCounts, DocId, Meta, Pair, Put, Read, Resettled, Result, codec, retrieve,
    site_hash, sql_error,
};

impl Batch<'_> {
    /// This batch's number.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Puts a document in the index under `meta.key`: added when the key is new, updated when
    /// the key is known with other words (its pairs dropped: judge it again), unchanged
    /// otherwise.
    pub fn put(&mut self, raw: &RawDoc, meta: &Meta, sketch: &Sketch) -> Result<Put> {
        let sql = self.sql();
        let existing = self.find(&meta.key)?;
        let put = match existing {
            Some((id, fingerprint)) if fingerprint == sketch.fingerprint => {
                self.tx
                    .prepare_cached(
                        "UPDATE documents SET origin = ?2, url = ?3, site = ?4, title = ?5, \
                         published = ?6, place = ?7 WHERE id = ?1",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            id,
                            meta.origin,
                            meta.url,
                            meta.site,
                            meta.title,
                            meta.published,
                            meta.place
                        ])
                    })
                    .map_err(&sql)?;
                self.counts.unchanged += 1;
                return Ok(Put::Unchanged(id));
            }
            Some((id, _)) => {
                self.delete(id)?;
                self.counts.updated += 1;
                Put::Updated(id)
            }
            None => {
                self.counts.added += 1;
                Put::Added(0)
            }
        };
        let id: Option<i64> = match put {
            Put::Updated(id) => Some(id),
            _ => None,
        };
        let format = match raw.format {
            Format::Html => "html",
            Format::Text => "text",
        };
        let record = &raw.record;
        self.tx
            .prepare_cached(
                "INSERT INTO documents (id, key, origin, format, charset, charset_from, \
                 replaced, record_id, record_url, record_title, record_date, record_fetched, \
                 url, site, title, published, raw, fingerprint, words, minhash, anchors, terms, \
                 batch, place) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, \
                 ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    meta.key,
                    meta.origin,
                    format,
                    raw.decoding.charset,
                    raw.decoding.by.as_str(),
                    raw.decoding.replaced as i64,
                    record.id,
                    record.url,
                    record.title,
                    record.date,
                    record.fetched,
                    meta.url,
                    meta.site,
                    meta.title,
                    meta.published,
                    raw.text,
                    codec::fingerprint(sketch.fingerprint),
                    i64::from(sketch.words),
                    codec::minhash(&sketch.minhash),
                    codec::u64s(&sketch.anchors),
                    codec::u64s(&sketch.terms),
                    self.id,
                    meta.place,
                ])
            })
            .map_err(&sql)?;
        let id = self.tx.last_insert_rowid();
        for &term in &sketch.terms {
            *self.terms.entry(term).or_default() += 1;
        }
        self.holders.get_mut().clear();
        let site = meta.site.as_deref().map(site_hash);
        for (table, keys) in self.expected_postings(sketch) {
            let statement = if table == "anchor_postings" {
                "INSERT INTO anchor_postings (key, doc, site, anchors, words) \
                 VALUES (?1, ?2, ?3, ?4, ?5)"
            } else if table == "band_postings" {
                "INSERT INTO band_postings (key, doc) VALUES (?1, ?2)"
            } else {
                "INSERT INTO term_postings (key, doc) VALUES (?1, ?2)"
            };
            let mut statement = self.tx.prepare_cached(statement).map_err(&sql)?;
            let mut count = self
                .tx
                .prepare_cached(
                    "INSERT INTO term_counts (key, holders) VALUES (?1, 1) \
                     ON CONFLICT (key) DO UPDATE SET holders = holders + 1",
                )
                .map_err(&sql)?;
            for key in keys {
                if table == "term_postings" {
                    count.execute([key]).map_err(&sql)?;
                }
                if table == "anchor_postings" {
                    statement
                        .execute(params![
                            key,
                            id,
                            site,
                            sketch.anchors.len() as i64,
                            i64::from(sketch.words)
                        ])
                        .map_err(&sql)?;
                } else {
                    statement.execute(params![key, id]).map_err(&sql)?;
                }
            }
        }
        self.fresh.insert(id);
        Ok(match put {
            Put::Updated(_) => Put::Updated(id),
            _ => Put::Added(id),
        })
    }

    /// Removes the document with this key (or, when `key` is a number, this row id), with its
    /// postings and pairs. `false` when there is none.
    pub fn remove(&mut self, key: &str) -> Result<bool> {
        let id = match self.find(key)? {
            Some((id, _)) => Some(id),
            None => match key.parse::<i64>() {
                Ok(id) => self
                    .tx
                    .query_row("SELECT id FROM documents WHERE id = ?1", [id], |row| {
                        row.get(0)
                    })
                    .optional()
                    .map_err(sql_error(self.parts().1))?,
                Err(_) => None,
            },
        };
        let Some(id) = id else {
            return Ok(false);
        };
        self.delete(id)?;
        self.counts.removed += 1;
        Ok(true)
    }

    /// Removes the documents read from `place` ([`Meta::place`]: a file's absolute path, or a
    /// record in one, `/data/feed.jsonl:17`), with their postings and pairs. Returns how many.
    pub fn remove_at(&mut self, place: &str) -> Result<u64> {
        let ids: Vec<DocId> = self
            .tx
            .prepare_cached("SELECT id FROM documents WHERE place = ?1 ORDER BY id")
            .and_then(|mut s| {
                s.query_map([place], |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()
            })
            .map_err(self.sql())?;
        for &id in &ids {
            self.delete(id)?;
            self.counts.removed += 1;
        }
        Ok(ids.len() as u64)
    }

    /// Deletes a document's row, postings and pairs.
    fn delete(&mut self, id: DocId) -> Result<()> {
        let sql = self.sql();
        let Some((sketch, _)) = self.sketch(id)? else {
            return Ok(());
        };
        for &term in &sketch.terms {
            *self.terms.entry(term).or_default() -= 1;
        }
        self.holders.get_mut().clear();
        self.fresh.remove(&id);
        for (table, keys) in self.expected_postings(&sketch) {
            let mut statement = self
                .tx
                .prepare_cached(&format!("DELETE FROM {table} WHERE key = ?1 AND doc = ?2"))
                .map_err(&sql)?;
            for key in keys {
                let deleted = statement.execute(params![key, id]).map_err(&sql)?;
                if table == "term_postings" && deleted > 0 {
                    for count in [
                        "UPDATE term_counts SET holders = holders - 1 WHERE key = ?1",
                        "DELETE FROM term_counts WHERE key = ?1 AND holders <= 0",
                    ] {
                        self.execute(count, [key])?;
                    }
                }
            }
        }
        // The stories it was in may split or end.
        self.story_touched(id);
        for pair in self.pairs_of(id)? {
            self.story_touched(pair.a);
            self.story_touched(pair.b);
        }
        for statement in [
            "DELETE FROM pairs WHERE a = ?1 OR b = ?1",
            "DELETE FROM rare_terms WHERE doc = ?1",
        ] {
            self.execute(statement, [id])?;
        }
        self.drop_candidates_of(id)?;
        self.tx
            .execute("DELETE FROM documents WHERE id = ?1", [id])
            .map_err(&sql)?;
        Ok(())
    }

    /// Stores a judged pair (replacing an earlier judgement of the same two documents).
    pub fn put_pair(&mut self, pair: &Pair) -> Result<()> {
        let (a, b) = (pair.a.min(pair.b), pair.a.max(pair.b));
        let coverage = if a == pair.a {
            pair.coverage
        } else {
            (pair.coverage.1, pair.coverage.0)
        };
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO pairs (a, b, relation, source, confidence, coverage_a, \
                 coverage_b, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    a,
                    b,
                    pair.relation,
                    pair.source,
                    pair.confidence,
                    coverage.0,
                    coverage.1,
                    i64::from(pair.changes)
                ])
            })
            .map_err(sql_error(self.parts().1))?;
        self.story_touched(a);
        self.story_touched(b);
        self.counts.pairs += 1;
        Ok(())
    }

    /// Settles the pairs of documents that were in the index before this batch, once its
    /// documents are put and removed (the candidates of the ones put are looked up with
    /// [`Read::candidates`]).
    ///
    /// Which names and numbers are a document's rarest depends on how many documents hold
    /// them, which the batch changed: pairs of older documents become candidates by names, or
    /// stop being ones, as they would in `retrace scan` of the whole index, so that the pairs
    /// stored do not depend on the order documents were added in (issue 13, item 16). Those
    /// that stop are deleted here with their judgement; those that become candidates are
    /// stored as candidate pairs, for [`Batch::replan`] to plan. Shared anchors and band keys
    /// are not settled again: a site's template or an oversized key that a batch makes is left
    /// out only of later lookups. The work follows the names the batch brought, not the size
    /// of the index (the index keeps each document's rarest names).
    ///
    /// A batch committed without it keeps each document's rarest names true but leaves the
    /// older pairs as they were.
    pub fn resettle(&mut self) -> Result<Resettled> {
        let settled = self.settle_rarest()?;
        for &(a, b) in &settled.dropped {
            self.drop_candidate_pair(a, b)?;
        }
        for &(a, b) in &settled.judge {
            self.put_candidate_pair(a, b)?;
        }
        Ok(settled)
    }

    /// Brings each document's rarest names up to date after the documents this batch put and
    /// removed; returns the older pairs by names that changed.
    fn settle_rarest(&mut self) -> Result<Resettled> {
        let deltas = std::mem::take(&mut self.terms);
        let fresh = std::mem::take(&mut self.fresh);
        if deltas.is_empty() && fresh.is_empty() {
            return Ok(Resettled::default());
        }
        let (settled, rows) = retrieve::resettle(&*self, &deltas, &fresh)?;
        let sql = self.sql();
        for (id, rarest, bound) in &rows.rewrite {
            let (count, term) = retrieve::bound_columns(*bound);
            self.execute("DELETE FROM rare_terms WHERE doc = ?1", [id])?;
            let mut insert = self
                .tx
                .prepare_cached(
                    "INSERT INTO rare_terms (key, doc, bound_count, bound_term) \
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&sql)?;
            for &key in rarest {
                insert
                    .execute(params![codec::key(key), id, count, term])
                    .map_err(&sql)?;
            }
        }
        Ok(settled)
    }

    /// What the batch did so far.
    pub fn counts(&self) -> BatchCounts {
        self.counts
    }

    /// Commits the batch: after this returns, it is on disk and every new reader sees it.
    pub fn commit(mut self) -> Result<BatchCounts> {
        self.settle_rarest()?;
        self.update_stories()?;
        let sql = self.sql();
        let c = self.counts;
        self.tx
            .execute(
                "INSERT INTO batches (id, committed, added, updated, unchanged, removed, pairs) \
                 VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3, ?4, ?5, ?6)",
                params![
                    self.id,
                    c.added as i64,
                    c.updated as i64,
                    c.unchanged as i64,
                    c.removed as i64,
                    c.pairs as i64
                ],
            )
            .map_err(&sql)?;
        self.tx.commit().map_err(&sql)?;
        Ok(c)
    }
}
