//! Candidates from the index: the documents that share a band key, enough anchors or enough
//! rare names and numbers with a sketch, looked up key by key in the postings (each lookup a
//! B-tree search, so the cost grows with the log of the index, not its size), then kept by the
//! rules `retrace scan` applies ([`retrace_sketch::evidence`]).

use std::collections::BTreeMap;

use retrace_sketch::Sketch;
use retrace_sketch::evidence::{
    MAX_BUCKET, MIN_SHARED_TERMS, RARE_TERMS, Shared, anchor_counts_suffice, anchors_suffice,
    names_suffice,
};

use crate::{DocId, Meta, Read, Result, codec};

/// Pages of one site holding the same anchor: at this many, the anchor is the site's template
/// on those pages (as in `retrace scan`).
const SITE_TEMPLATE_PAGES: usize = 5;

/// One document holding a key; for anchors, with its site and counts.
#[derive(Clone, Copy, Debug, Default)]
struct Posting {
    doc: DocId,
    site: Option<i64>,
    anchors: usize,
    words: u32,
}

const BANDS: &str = "SELECT doc FROM band_postings WHERE key = ?1 LIMIT ?2";
const ANCHORS: &str =
    "SELECT doc, site, anchors, words FROM anchor_postings WHERE key = ?1 LIMIT ?2";
const TERMS: &str = "SELECT doc FROM term_postings WHERE key = ?1 LIMIT ?2";

/// An indexed document worth comparing with the sketch looked up.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Its row id.
    pub id: DocId,
    /// Its sketch.
    pub sketch: Sketch,
    /// Its metadata.
    pub meta: Meta,
    /// What the two sketches share.
    pub shared: Shared,
}

/// The candidates of one lookup, and what was passed over.
#[derive(Clone, Debug, Default)]
pub struct Retrieval {
    /// The candidates, by row id.
    pub candidates: Vec<Candidate>,
    /// Keys held by more than [`MAX_BUCKET`] documents, passed over.
    pub oversized_keys: u64,
    /// Documents that shared a key but not enough to be compared.
    pub dropped: u64,
}

/// Looks up the candidates of `sketch` (of a document on `site`), leaving out `exclude` (the
/// document itself, when it is in the index).
pub(crate) fn candidates<R: Read + ?Sized>(
    index: &R,
    sketch: &Sketch,
    site: Option<&str>,
    exclude: Option<DocId>,
) -> Result<Retrieval> {
    let (conn, _, bands) = index.parts();
    let sql = crate::sql_error(index.parts().1);
    let own_site = site.map(crate::site_hash);
    let mut out = Retrieval::default();
    let mut found: BTreeMap<DocId, ()> = BTreeMap::new();
    let limit = (MAX_BUCKET + 1) as i64;
    // The documents holding a key: with anchors, their site and counts of anchors and words.
    let bucket = |statement: &str, key: i64| -> Result<Vec<Posting>> {
        let mut statement = conn.prepare_cached(statement).map_err(&sql)?;
        let anchors = statement.column_count() > 1;
        let rows = statement
            .query_map(rusqlite::params![key, limit], |row| {
                Ok(if anchors {
                    Posting {
                        doc: row.get(0)?,
                        site: row.get(1)?,
                        anchors: row.get::<_, i64>(2)? as usize,
                        words: row.get::<_, i64>(3)? as u32,
                    }
                } else {
                    Posting {
                        doc: row.get(0)?,
                        ..Posting::default()
                    }
                })
            })
            .map_err(&sql)?;
        rows.collect::<std::result::Result<_, _>>().map_err(&sql)
    };

    // Same words.
    {
        let mut statement = conn
            .prepare_cached("SELECT id FROM documents WHERE fingerprint = ?1 LIMIT ?2")
            .map_err(&sql)?;
        let rows = statement
            .query_map(
                rusqlite::params![codec::fingerprint(sketch.fingerprint), limit],
                |row| row.get::<_, i64>(0),
            )
            .map_err(&sql)?;
        for id in rows {
            found.insert(id.map_err(&sql)?, ());
        }
    }
    // LSH bands: one shared key is a candidate.
    for key in bands.keys(&sketch.minhash) {
        let docs = bucket(BANDS, codec::key(key))?;
        if docs.len() > MAX_BUCKET {
            out.oversized_keys += 1;
            continue;
        }
        for posting in docs {
            found.insert(posting.doc, ());
        }
    }
    // Anchors, less each site's templates: counted per document, kept by `anchors_suffice`.
    let mut by_anchors: BTreeMap<DocId, (usize, usize, u32)> = BTreeMap::new();
    for &key in &sketch.anchors {
        let docs = bucket(ANCHORS, codec::key(key))?;
        if docs.len() > MAX_BUCKET {
            out.oversized_keys += 1;
            continue;
        }
        // The document's own page counts, as in a corpus pass.
        let mut per_site: BTreeMap<i64, usize> = BTreeMap::new();
        if let Some(own) = own_site {
            per_site.insert(own, 1);
        }
        for posting in &docs {
            if let Some(site) = posting.site {
                *per_site.entry(site).or_default() += 1;
            }
        }
        for posting in docs {
            let templated = posting
                .site
                .is_some_and(|site| per_site[&site] >= SITE_TEMPLATE_PAGES);
            if !templated {
                by_anchors
                    .entry(posting.doc)
                    .or_insert((0, posting.anchors, posting.words))
                    .0 += 1;
            }
        }
    }
    // Rare names and numbers: the document's rarest (each held by at least one other
    // document), then the documents that share enough of them.
    let in_index = exclude.is_some();
    let mut df: BTreeMap<u64, u32> = BTreeMap::new();
    for &term in &sketch.terms {
        let held = bucket(TERMS, codec::key(term))?.len() as u32;
        // Counted as in a corpus pass, where the document itself holds its terms.
        df.insert(term, held + u32::from(!in_index));
    }
    let rare = retrace_sketch::pick_rare(
        &sketch.terms,
        |term| df.get(&term).copied().unwrap_or(0),
        RARE_TERMS,
        MAX_BUCKET as u32,
    );
    let mut by_names: BTreeMap<DocId, usize> = BTreeMap::new();
    for term in rare {
        for posting in bucket(TERMS, codec::key(term))? {
            *by_names.entry(posting.doc).or_default() += 1;
        }
    }

    // Anchors decide from the counts stored with the postings; names need the other sketch.
    let own = (sketch.anchors.len(), sketch.words);
    let mut ids: Vec<DocId> = found
        .keys()
        .copied()
        .chain(
            by_anchors
                .iter()
                .filter(|&(_, &(n, anchors, words))| {
                    anchor_counts_suffice(own, (anchors, words), n)
                })
                .map(|(&id, _)| id),
        )
        .chain(
            by_names
                .iter()
                .filter(|&(_, &n)| n >= MIN_SHARED_TERMS)
                .map(|(&id, _)| id),
        )
        .filter(|&id| Some(id) != exclude)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let Some((other, meta)) = index.sketch(id)? else {
            continue;
        };
        let by_keys = found.contains_key(&id)
            || by_anchors
                .get(&id)
                .is_some_and(|&(n, _, _)| anchors_suffice(sketch, &other, n))
            || by_names
                .get(&id)
                .is_some_and(|&n| n >= MIN_SHARED_TERMS && names_suffice(sketch, &other, n));
        let shared = Shared::of(sketch, &other);
        if by_keys && (shared.worth_aligning() || other.fingerprint == sketch.fingerprint) {
            out.candidates.push(Candidate {
                id,
                sketch: other,
                meta,
                shared,
            });
        } else {
            out.dropped += 1;
        }
    }
    Ok(out)
}
