//! Candidates from the index: the documents that share a band key, enough anchors or enough
//! rare names and numbers with a sketch, looked up key by key in the postings (each lookup a
//! B-tree search, so the cost grows with the log of the index, not its size), then kept by the
//! rules `retrace scan` applies ([`retrace_sketch::evidence`]).

use std::collections::{BTreeMap, BTreeSet};

use retrace_sketch::Sketch;
use retrace_sketch::evidence::{
    HUBS, MAX_BUCKET, MIN_SHARED_TERMS, RARE_TERMS, Shared, anchor_counts_suffice, anchors_suffice,
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
    /// Keys held by more than [`MAX_BUCKET`] documents, looked up through their first [`HUBS`]
    /// holders only.
    pub oversized_keys: u64,
    /// Documents that shared a key but not enough to be compared.
    pub dropped: u64,
}

/// Looks up the candidates of `sketch` (of a document on `site`), leaving out `exclude` (the
/// document itself, when it is in the index).
///
/// Every rule is the one `retrace scan` applies to the corpus the index holds (with the
/// document looked up in it, when it is not there yet), and is symmetric: whichever of two
/// documents looks the other up, the pair is a candidate or not alike, so that the pairs stored
/// do not depend on which of the two was added first (issue 13, item 16). In particular:
/// - a site's template anchors are taken out on both sides: an anchor that the document's own
///   site holds on [`SITE_TEMPLATE_PAGES`] pages of its bucket shares nothing;
/// - names and numbers count when they are among the rarest of *both* documents (as scan picks
///   each document's rarest, [`RARE_TERMS`], by the corpus's document frequencies), not when the
///   rarest of one are anywhere in the other: two derivatives of one source, an excerpt and a
///   rewrite, share a few of the source's names and nothing else, and scan never compares them;
/// - empty texts are not the same text as each other.
pub(crate) fn candidates<R: Read + ?Sized>(
    index: &R,
    sketch: &Sketch,
    site: Option<&str>,
    exclude: Option<DocId>,
) -> Result<Retrieval> {
    let (conn, _, bands) = index.parts();
    let sql = crate::sql_error(index.parts().1);
    let own_site = site.map(crate::site_hash);
    // Whether the document is in the index: its postings are then in every bucket it holds, as
    // in a corpus pass; otherwise it counts once more in each.
    let in_index = exclude.is_some();
    let itself = usize::from(!in_index);
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

    // Same words (a text without words is nobody's copy, as in scan).
    if sketch.words > 0 {
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
    // LSH bands: one shared key is a candidate. A key held by more than `MAX_BUCKET`
    // documents (a story republished hundreds of times, or boilerplate) pairs with its first
    // `HUBS` holders only, as `retrace scan` pairs such a bucket through its first-ranked
    // documents: here the first indexed (ranking the whole bucket would cost a lookup the
    // bucket's size), which are mostly the earliest copies of a story.
    for key in bands.keys(&sketch.minhash) {
        let docs = bucket(BANDS, codec::key(key))?;
        if docs.len() + itself > MAX_BUCKET {
            out.oversized_keys += 1;
            for posting in docs.iter().take(HUBS) {
                found.insert(posting.doc, ());
            }
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
        if docs.len() + itself > MAX_BUCKET {
            out.oversized_keys += 1;
            for posting in docs.iter().take(HUBS) {
                by_anchors
                    .entry(posting.doc)
                    .or_insert((0, posting.anchors, posting.words))
                    .0 += 1;
            }
            continue;
        }
        // Pages per site in the bucket, the document's own page included once.
        let mut per_site: BTreeMap<i64, usize> = BTreeMap::new();
        if let (Some(own), false) = (own_site, in_index) {
            per_site.insert(own, 1);
        }
        for posting in &docs {
            if let Some(site) = posting.site {
                *per_site.entry(site).or_default() += 1;
            }
        }
        let templated = |site: Option<i64>| {
            site.is_some_and(|site| {
                per_site.get(&site).copied().unwrap_or(0) >= SITE_TEMPLATE_PAGES
            })
        };
        // The anchor is the template of the document's own site: shared with no one.
        if templated(own_site) {
            continue;
        }
        for posting in docs {
            if !templated(posting.site) {
                by_anchors
                    .entry(posting.doc)
                    .or_insert((0, posting.anchors, posting.words))
                    .0 += 1;
            }
        }
    }
    // Rare names and numbers: each document's rarest (each held by at least one other
    // document), by the frequencies of the corpus the index holds with this document in it.
    let mut df: BTreeMap<u64, u32> = BTreeMap::new();
    let mut frequency = |term: u64| -> Result<u32> {
        if let Some(&n) = df.get(&term) {
            return Ok(n);
        }
        let held = bucket(TERMS, codec::key(term))?.len() as u32;
        let n = held + u32::from(!in_index && sketch.terms.contains(&term));
        df.insert(term, n);
        Ok(n)
    };
    let rare_of =
        |terms: &[u64], frequency: &mut dyn FnMut(u64) -> Result<u32>| -> Result<Vec<u64>> {
            let mut counts = BTreeMap::new();
            for &term in terms {
                counts.insert(term, frequency(term)?);
            }
            Ok(retrace_sketch::pick_rare(
                terms,
                |term| counts.get(&term).copied().unwrap_or(0),
                RARE_TERMS,
                MAX_BUCKET as u32,
            ))
        };
    let rare = rare_of(&sketch.terms, &mut frequency)?;
    // Documents holding at least `MIN_SHARED_TERMS` of them (a necessary condition; their own
    // rarest are compared below).
    let mut by_names: BTreeMap<DocId, usize> = BTreeMap::new();
    for &term in &rare {
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
        let mut by_keys = found.contains_key(&id)
            || by_anchors
                .get(&id)
                .is_some_and(|&(n, _, _)| anchors_suffice(sketch, &other, n));
        if !by_keys && by_names.get(&id).is_some_and(|&n| n >= MIN_SHARED_TERMS) {
            let theirs = rare_of(&other.terms, &mut frequency)?;
            let shared = rare.iter().filter(|term| theirs.contains(term)).count();
            by_keys = names_suffice(sketch, &other, shared);
        }
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

/// What [`crate::Batch::resettle`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resettled {
    /// Pairs of older documents that became candidates by names, to be judged (`a < b`).
    pub judge: Vec<(DocId, DocId)>,
    /// Pairs of older documents that stopped being candidates (`a < b`); their judged pairs,
    /// where stored, are deleted.
    pub dropped: Vec<(DocId, DocId)>,
}

/// A document's rarest names and numbers before and after a batch.
struct Rarest {
    sketch: Sketch,
    site: Option<i64>,
    before: Vec<u64>,
    after: Vec<u64>,
}

/// See [`crate::Batch::resettle`]: `deltas` says by how much the batch changed the number of
/// documents holding each name or number.
pub(crate) fn resettle<R: Read + ?Sized>(
    index: &R,
    deltas: &BTreeMap<u64, i64>,
    fresh: &BTreeSet<DocId>,
) -> Result<Resettled> {
    let (conn, _, _) = index.parts();
    let sql = crate::sql_error(index.parts().1);
    let max = MAX_BUCKET as i64;
    let delta = |term: u64| deltas.get(&term).copied().unwrap_or(0);
    // The documents holding a name, up to the most that can matter.
    let holders = |term: u64| -> Result<Vec<DocId>> {
        let limit = max + 1 + delta(term).abs();
        let mut statement = conn.prepare_cached(TERMS).map_err(&sql)?;
        let rows = statement
            .query_map(rusqlite::params![codec::key(term), limit], |row| row.get(0))
            .map_err(&sql)?;
        rows.collect::<std::result::Result<_, _>>().map_err(&sql)
    };
    // Documents holding a term after the batch and before it, each capped above the largest
    // bucket (beyond it a term is no one's rarest, however many hold it).
    let mut df: BTreeMap<u64, (i64, i64)> = BTreeMap::new();
    let mut frequency = |term: u64| -> Result<(i64, i64)> {
        if let Some(&n) = df.get(&term) {
            return Ok(n);
        }
        let after = holders(term)?.len() as i64;
        let n = (after.min(max + 1), (after - delta(term)).clamp(0, max + 1));
        df.insert(term, n);
        Ok(n)
    };
    let mut rarest: BTreeMap<DocId, Option<Rarest>> = BTreeMap::new();
    let rarest_of = |rarest: &mut BTreeMap<DocId, Option<Rarest>>,
                     id: DocId,
                     frequency: &mut dyn FnMut(u64) -> Result<(i64, i64)>|
     -> Result<()> {
        if rarest.contains_key(&id) {
            return Ok(());
        }
        let Some((sketch, meta)) = index.sketch(id)? else {
            rarest.insert(id, None);
            return Ok(());
        };
        let mut counts = BTreeMap::new();
        for &term in &sketch.terms {
            counts.insert(term, frequency(term)?);
        }
        let pick = |at: fn(&(i64, i64)) -> i64| {
            retrace_sketch::pick_rare(
                &sketch.terms,
                |term| counts.get(&term).map_or(0, |n| at(n) as u32),
                RARE_TERMS,
                MAX_BUCKET as u32,
            )
        };
        let (after, before) = (pick(|n| n.0), pick(|n| n.1));
        rarest.insert(
            id,
            Some(Rarest {
                site: meta.site.as_deref().map(crate::site_hash),
                sketch,
                before,
                after,
            }),
        );
        Ok(())
    };

    // Older documents whose rarest names the batch may have changed: those holding a name
    // whose count changed where it counts (held by 2 to MAX_BUCKET documents, before or after).
    let eligible = |n: i64| (2..=max).contains(&n);
    let mut changed: Vec<DocId> = Vec::new();
    for (&term, &d) in deltas {
        if d == 0 {
            continue;
        }
        let (after, before) = frequency(term)?;
        if !eligible(after) && !eligible(before) {
            continue;
        }
        for id in holders(term)? {
            if fresh.contains(&id) {
                continue;
            }
            rarest_of(&mut rarest, id, &mut frequency)?;
            if rarest[&id].as_ref().is_some_and(|r| r.before != r.after) {
                changed.push(id);
            }
        }
    }
    changed.sort_unstable();
    changed.dedup();

    // Their pairs by names, before and after.
    let mut out = Resettled::default();
    let mut seen: BTreeSet<(DocId, DocId)> = BTreeSet::new();
    for &x in &changed {
        let (before, after) = {
            let r = rarest[&x]
                .as_ref()
                .expect("changed documents have a sketch");
            (r.before.clone(), r.after.clone())
        };
        let mut hits: BTreeMap<DocId, (usize, usize)> = BTreeMap::new();
        let either: BTreeSet<u64> = before.iter().chain(&after).copied().collect();
        for term in either {
            for y in holders(term)? {
                if y != x && !fresh.contains(&y) {
                    let hit = hits.entry(y).or_default();
                    hit.0 += usize::from(before.contains(&term));
                    hit.1 += usize::from(after.contains(&term));
                }
            }
        }
        for (y, (b, a)) in hits {
            // Sharing fewer of either list, the pair is no candidate by names either way.
            if b.max(a) < MIN_SHARED_TERMS || !seen.insert((x.min(y), x.max(y))) {
                continue;
            }
            rarest_of(&mut rarest, y, &mut frequency)?;
            let (Some(rx), Some(ry)) = (rarest[&x].as_ref(), rarest[&y].as_ref()) else {
                continue;
            };
            let shared = |p: &[u64], q: &[u64]| p.iter().filter(|t| q.contains(t)).count();
            let names_before =
                names_suffice(&rx.sketch, &ry.sketch, shared(&rx.before, &ry.before));
            let names_after = names_suffice(&rx.sketch, &ry.sketch, shared(&rx.after, &ry.after));
            if names_before == names_after {
                continue;
            }
            let worth = Shared::of(&rx.sketch, &ry.sketch).worth_aligning()
                || (rx.sketch.words > 0 && rx.sketch.fingerprint == ry.sketch.fingerprint);
            if !worth || by_other_keys(index, rx, ry)? {
                continue;
            }
            let pair = (x.min(y), x.max(y));
            if names_after {
                out.judge.push(pair);
            } else {
                out.dropped.push(pair);
            }
        }
    }
    out.judge.sort_unstable();
    out.dropped.sort_unstable();
    Ok(out)
}

/// Whether two indexed documents are a candidate pair by anything but names: the same words,
/// a shared band key, or enough shared anchors (without the sites' templates), by the rules of
/// [`candidates`].
fn by_other_keys<R: Read + ?Sized>(index: &R, x: &Rarest, y: &Rarest) -> Result<bool> {
    let (conn, _, bands) = index.parts();
    let sql = crate::sql_error(index.parts().1);
    let (a, b) = (&x.sketch, &y.sketch);
    if a.words > 0 && a.fingerprint == b.fingerprint {
        return Ok(true);
    }
    let limit = (MAX_BUCKET + 1) as i64;
    let size = |statement: &str, key: u64| -> Result<Vec<(Option<i64>,)>> {
        let mut statement = conn.prepare_cached(statement).map_err(&sql)?;
        let anchors = statement.column_count() > 1;
        let rows = statement
            .query_map(rusqlite::params![codec::key(key), limit], |row| {
                Ok((if anchors { row.get(1)? } else { None },))
            })
            .map_err(&sql)?;
        rows.collect::<std::result::Result<_, _>>().map_err(&sql)
    };
    if !a.minhash.is_empty() && !b.minhash.is_empty() {
        let theirs: Vec<u64> = bands.keys(&b.minhash).collect();
        for key in bands.keys(&a.minhash) {
            if theirs.contains(&key) && size(BANDS, key)?.len() <= MAX_BUCKET {
                return Ok(true);
            }
        }
    }
    let mut shared = 0;
    for &key in a.anchors.iter().filter(|k| b.anchors.contains(k)) {
        let bucket = size(ANCHORS, key)?;
        if bucket.len() > MAX_BUCKET {
            continue;
        }
        let pages = |site: Option<i64>| {
            site.map_or(0, |site| {
                bucket.iter().filter(|p| p.0 == Some(site)).count()
            })
        };
        if pages(x.site) < SITE_TEMPLATE_PAGES && pages(y.site) < SITE_TEMPLATE_PAGES {
            shared += 1;
        }
    }
    Ok(anchors_suffice(a, b, shared))
}
