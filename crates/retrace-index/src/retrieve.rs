//! Candidates from the index: the documents that share a band key, enough anchors or enough
//! rare names and numbers with a sketch, looked up key by key in the postings (each lookup a
//! B-tree search, so the cost grows with the log of the index, not its size), then kept by the
//! rules `retrace scan` applies ([`retrace_sketch::evidence`]).

use std::collections::{BTreeMap, BTreeSet};

use retrace_sketch::Sketch;
use retrace_sketch::evidence::{
    HUBS, MAX_BUCKET, MIN_SHARED_TERMS, RARE_TERMS, SITE_TEMPLATE_PAGES, Shared,
    anchor_counts_suffice, anchors_suffice, names_may_differ, names_suffice,
};

use crate::{DocId, Meta, Read, Result, codec};

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
        let held = u32::try_from(index.holders(term)?).unwrap_or(u32::MAX);
        let n = held.saturating_add(u32::from(!in_index && sketch.terms.contains(&term)));
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
    before: BTreeSet<u64>,
    after: BTreeSet<u64>,
}

/// A document's sketch and site, for the rules that decide a pair.
struct Sided {
    sketch: Sketch,
    site: Option<i64>,
}

/// Where a document's rarest names end: the rank, `(holders, term)`, of its rarest eligible
/// name that is not among them. `None`: every eligible name is among them.
pub(crate) type Bound = Option<(i64, u64)>;

/// A document's rarest names as stored, with the bound they were stored with (`None` when
/// none was: any change to one of them is looked at).
pub(crate) struct Stored {
    pub(crate) rarest: BTreeSet<u64>,
    pub(crate) bound: Option<Bound>,
}

/// Documents whose rows of `rare_terms` are written again, with their rarest and bound.
#[derive(Debug, Default)]
pub(crate) struct RareRows {
    pub(crate) rewrite: Vec<(DocId, BTreeSet<u64>, Bound)>,
}

/// The bound as stored: no eligible name outside the rarest is a count no name reaches.
pub(crate) fn bound_columns(bound: Bound) -> (i64, i64) {
    bound.map_or((i64::MAX, 0), |(n, term)| (n, codec::key(term)))
}

fn bound_of_columns(count: Option<i64>, term: Option<i64>) -> Option<Bound> {
    match (count, term) {
        (Some(i64::MAX), _) => Some(None),
        (Some(n), Some(term)) => Some(Some((n, term as u64))),
        _ => None,
    }
}

const RARE_HOLDERS: &str =
    "SELECT doc, bound_count, bound_term FROM rare_terms WHERE key = ?1 LIMIT ?2";
const RARE_OF: &str = "SELECT key, bound_count, bound_term FROM rare_terms WHERE doc = ?1";

/// A document's rarest names and numbers as stored (`rare_terms`): its rarest by the counts of
/// the last commit.
pub(crate) fn stored_rarest<R: Read + ?Sized>(index: &R, id: DocId) -> Result<Stored> {
    let rows: Vec<(i64, Option<i64>, Option<i64>)> = crate::rows_of(index, RARE_OF, id, |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })?;
    let bound = match rows.first() {
        Some(&(_, count, term)) => bound_of_columns(count, term),
        None => None,
    };
    Ok(Stored {
        rarest: rows.iter().map(|&(key, _, _)| key as u64).collect(),
        bound,
    })
}

/// A document's rarest names and numbers by the holders counted now, and where they end.
pub(crate) fn rarest_now<R: Read + ?Sized>(
    index: &R,
    terms: &[u64],
) -> Result<(BTreeSet<u64>, Bound)> {
    rarest_by(terms, |term| index.holders(term))
}

/// A document's rarest names and numbers and their bound, by the counts of holders `holders`
/// gives.
pub(crate) fn rarest_by<E>(
    terms: &[u64],
    mut holders: impl FnMut(u64) -> std::result::Result<u64, E>,
) -> std::result::Result<(BTreeSet<u64>, Bound), E> {
    let mut counts = BTreeMap::new();
    for &term in terms {
        counts.insert(term, u32::try_from(holders(term)?).unwrap_or(u32::MAX));
    }
    let rarest: BTreeSet<u64> = retrace_sketch::pick_rare(
        terms,
        |term| counts.get(&term).copied().unwrap_or(0),
        RARE_TERMS,
        MAX_BUCKET as u32,
    )
    .into_iter()
    .collect();
    let bound = counts
        .iter()
        .filter(|&(term, &n)| n >= 2 && n as usize <= MAX_BUCKET && !rarest.contains(term))
        .map(|(&term, &n)| (i64::from(n), term))
        .min();
    Ok((rarest, bound))
}

/// See [`crate::Batch::resettle`]: `deltas` says by how much the batch changed the number of
/// documents holding each name or number.
///
/// The index keeps each document's rarest names (`rare_terms`), true to the counts of the last
/// commit. A batch can change a document's rarest only through a name of it whose count
/// changed, and only in three ways: a rare name grew commoner (or too common), so it may leave
/// the rarest (the documents that hold it *as a rarest* are looked at); a name became
/// shared (held by two), or fewer hold it, so it may enter (every holder is looked at, at
/// most [`MAX_BUCKET`] of them); otherwise the order of the rarest is kept. So the work of a
/// batch follows the names it brings, not the size of the index. The documents whose rarest
/// changed have their pairs by names looked at again: a pair's count of shared rarest names
/// can change only through a name that entered or left one side's rarest, so the other side
/// holds it.
pub(crate) fn resettle<R: Read + ?Sized>(
    index: &R,
    deltas: &BTreeMap<u64, i64>,
    fresh: &BTreeSet<DocId>,
) -> Result<(Resettled, RareRows)> {
    let (conn, _, _) = index.parts();
    let sql = crate::sql_error(index.parts().1);
    let max = MAX_BUCKET as i64;
    let delta = |term: u64| deltas.get(&term).copied().unwrap_or(0);
    let docs = |statement: &str, term: u64, limit: i64| -> Result<Vec<DocId>> {
        let mut statement = conn.prepare_cached(statement).map_err(&sql)?;
        let rows = statement
            .query_map(rusqlite::params![codec::key(term), limit], |row| row.get(0))
            .map_err(&sql)?;
        rows.collect::<std::result::Result<_, _>>().map_err(&sql)
    };
    // Every document holding a name that is (or was, before the batch) held by at most
    // `MAX_BUCKET`.
    let holders = |term: u64| docs(TERMS, term, max + 1 + delta(term).abs());
    let eligible = |n: i64| (2..=max).contains(&n);
    // The documents holding a name among their rarest, with where their rarest end.
    let rare_holders = |term: u64, limit: i64| -> Result<Vec<(DocId, Option<Bound>)>> {
        let mut statement = conn.prepare_cached(RARE_HOLDERS).map_err(&sql)?;
        let rows = statement
            .query_map(rusqlite::params![codec::key(term), limit], |row| {
                Ok((row.get(0)?, bound_of_columns(row.get(1)?, row.get(2)?)))
            })
            .map_err(&sql)?;
        rows.collect::<std::result::Result<_, _>>().map_err(&sql)
    };

    // The older documents whose rarest the batch may have changed. A name that grew commoner
    // and is still eligible leaves a document's rarest only if it now ranks after the
    // document's bound (the bound stored is never later than the true one: names outside the
    // rarest only grow commoner without a look, and any other change is looked at).
    let mut visit: BTreeSet<DocId> = BTreeSet::new();
    for (&term, &d) in deltas {
        if d == 0 {
            continue;
        }
        let after = i64::try_from(index.holders(term)?).unwrap_or(i64::MAX);
        let before = after - d;
        if eligible(after) && (after < before || !eligible(before)) {
            visit.extend(holders(term)?);
        } else if eligible(before) {
            for (id, bound) in rare_holders(term, max + 1 + d.abs())? {
                let stays = eligible(after)
                    && bound.is_some_and(|bound| bound.is_none_or(|b| (after, term) < b));
                if !stays {
                    visit.insert(id);
                }
            }
        }
    }
    let mut terms_of_visited = Vec::with_capacity(visit.len());
    for id in visit {
        if !fresh.contains(&id)
            && let Some(terms) = terms_of(index, id)?
        {
            terms_of_visited.push((id, terms));
        }
    }
    // Their names' counts looked up in key order (then cached for the batch): the lookups walk
    // the counts' B-tree once instead of jumping around it.
    let mut names: Vec<i64> = terms_of_visited
        .iter()
        .flat_map(|(_, terms)| terms.iter().map(|&term| codec::key(term)))
        .collect();
    names.sort_unstable();
    names.dedup();
    for key in names {
        index.holders(key as u64)?;
    }
    let mut changed: BTreeMap<DocId, Rarest> = BTreeMap::new();
    let mut rows = RareRows::default();
    for (id, terms) in terms_of_visited {
        let stored = stored_rarest(index, id)?;
        let (after, bound) = rarest_now(index, &terms)?;
        // A bound that lags (earlier than the true one) is kept: it costs a look now and then,
        // where writing it would cost a row per rarest name at every look. One that leads is
        // written (a name outside the rarest became eligible or less common).
        let leads = stored.bound.is_none_or(|stored| match (stored, bound) {
            (None, Some(_)) => true,
            (Some(stored), Some(now)) => stored > now,
            (_, None) => false,
        });
        if stored.rarest != after || leads {
            rows.rewrite.push((id, after.clone(), bound));
        }
        if stored.rarest != after {
            changed.insert(
                id,
                Rarest {
                    before: stored.rarest,
                    after,
                },
            );
        }
    }

    // Their pairs by names, before and after. The rarest stored are those before the batch,
    // and after it too for the documents that did not change: the counts of shared rarest
    // names come from them, and a pair sharing fewer than `MIN_SHARED_TERMS` either way is no
    // candidate by names either way.
    let mut entered: BTreeMap<u64, Vec<DocId>> = BTreeMap::new();
    for (&id, r) in &changed {
        for &term in &r.after {
            entered.entry(term).or_default().push(id);
        }
    }
    let mut out = Resettled::default();
    let mut sided: BTreeMap<DocId, Option<Sided>> = BTreeMap::new();
    let mut kept: BTreeMap<DocId, BTreeSet<u64>> = BTreeMap::new();
    let mut seen: BTreeSet<(DocId, DocId)> = BTreeSet::new();
    for (&x, rx) in &changed {
        // The other side holds a name that entered or left this side's rarest (or the pair is
        // found from the other side, whose rarest changed through a name this side holds).
        let mut others: BTreeSet<DocId> = BTreeSet::new();
        for &term in rx.before.symmetric_difference(&rx.after) {
            for (y, _) in rare_holders(term, max + 1 + delta(term).abs())? {
                others.insert(y);
            }
            others.extend(entered.get(&term).into_iter().flatten());
        }
        for y in others {
            if y == x || fresh.contains(&y) || seen.contains(&(x.min(y), x.max(y))) {
                continue;
            }
            let (shared_before, shared_after) = match changed.get(&y) {
                Some(ry) => (
                    rx.before.intersection(&ry.before).count(),
                    rx.after.intersection(&ry.after).count(),
                ),
                None => {
                    if let std::collections::btree_map::Entry::Vacant(slot) = kept.entry(y) {
                        slot.insert(stored_rarest(index, y)?.rarest);
                    }
                    let rarest = &kept[&y];
                    (
                        rx.before.intersection(rarest).count(),
                        rx.after.intersection(rarest).count(),
                    )
                }
            };
            if !names_may_differ(shared_before, shared_after) {
                continue;
            }
            seen.insert((x.min(y), x.max(y)));
            for id in [x, y] {
                if let std::collections::btree_map::Entry::Vacant(slot) = sided.entry(id) {
                    slot.insert(index.sketch(id)?.map(|(sketch, meta)| Sided {
                        sketch,
                        site: meta.site.as_deref().map(crate::site_hash),
                    }));
                }
            }
            let (Some(sx), Some(sy)) = (&sided[&x], &sided[&y]) else {
                continue;
            };
            let names_before = names_suffice(&sx.sketch, &sy.sketch, shared_before);
            let names_after = names_suffice(&sx.sketch, &sy.sketch, shared_after);
            if names_before == names_after {
                continue;
            }
            let worth = Shared::of(&sx.sketch, &sy.sketch).worth_aligning()
                || (sx.sketch.words > 0 && sx.sketch.fingerprint == sy.sketch.fingerprint);
            if !worth || by_other_keys(index, sx, sy)? {
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

    // The rarest of the batch's own documents.
    for &id in fresh {
        if let Some(terms) = terms_of(index, id)? {
            let (rarest, bound) = rarest_now(index, &terms)?;
            rows.rewrite.push((id, rarest, bound));
        }
    }
    Ok((out, rows))
}

/// A document's names and numbers ([`Sketch::terms`]), without reading the rest of its row.
fn terms_of<R: Read + ?Sized>(index: &R, id: DocId) -> Result<Option<Vec<u64>>> {
    let blob: Option<Vec<u8>> =
        crate::value_of(index, "SELECT terms FROM documents WHERE id = ?1", id)?;
    blob.map(|blob| {
        codec::from_u64s(&blob)
            .ok_or_else(|| crate::corrupt(index, id, "its names are not 8-byte keys"))
    })
    .transpose()
}

fn by_other_keys<R: Read + ?Sized>(index: &R, x: &Sided, y: &Sided) -> Result<bool> {
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
