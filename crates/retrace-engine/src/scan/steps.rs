//! The scan's steps one item at a time, for engines that distribute a scan themselves (the
//! Spark job of `retrace.spark`): one document, one key's bucket, one candidate pair, one
//! connected component. Each function is what [`Scan`](super::Scan) does for that item, and
//! [`Scan`](super::Scan) calls the same functions, so a distributed scan that groups the items
//! as the scan does gets the same pairs, clusters and stories.
//!
//! The plan that picks which pairs to judge and the stories are global in a scan, yet each
//! depends only on the pairs of one connected component (of the candidate pairs, and of the
//! derivation pairs): a distributed scan finds the components (an iterative join) and runs
//! [`plan_component`] and [`story_of_component`] once per component.

use std::collections::BTreeMap;

use retrace_ingest::{Format, RawDoc};
use retrace_judge::story::{Link, Related, Shown, Sketched, Story};
use retrace_judge::{Relation, Side, Statements};
use retrace_sketch::evidence::{
    HUBS, MAX_BUCKET, MIN_PASSAGE_WORDS, MIN_SHARED_TERMS, SITE_TEMPLATE_PAGES,
    STRONG_SHARED_TERMS, Shared, anchor_counts_suffice, anchors_suffice, names_suffice,
};
use retrace_sketch::{Sketch, Sketcher, represent};
use retrace_span::Origin;

use super::store::Stored;
use super::{AlignmentOutput, Error, ScanConfig};
use crate::{Document, Engine};

/// The sketcher a scan with `alignment` reads documents with: names and numbers find
/// rewrites, which a pass without alignment does not look for.
pub fn sketcher(alignment: AlignmentOutput) -> Sketcher {
    Sketcher::default().with_terms(alignment != AlignmentOutput::None)
}

/// The pair engine a scan with `config` judges with: lexical, with its direction window.
pub fn engine(config: &ScanConfig) -> Engine {
    Engine::lexical().with_judge(retrace_judge::Judge::with_direction_window(
        config.direction_window,
    ))
}

/// What a scan keeps of a document to judge it later, as bytes: its format, its record's
/// metadata, its title and publication time, and its text (left out with `keep_text` false:
/// a scan without alignment never reads it back). [`unpack`] reads them.
pub fn pack(doc: &Document, keep_text: bool) -> Result<Vec<u8>, Error> {
    let stored = Stored {
        record: doc.raw.record.clone(),
        title: doc.title.clone(),
        published: doc.published.clone(),
        text: if keep_text {
            doc.raw.text.clone()
        } else {
            String::new()
        },
    };
    let mut out = vec![match doc.raw.format {
        Format::Text => b't',
        Format::Html => b'h',
    }];
    out.extend(stored.encode()?);
    Ok(out)
}

/// A record as ingest read it, as bytes, for engines that read records in one task and extract
/// them in others: its origin (with the file, offset or line a skipped list names), format,
/// metadata and text. [`unpack_record`] reads them.
pub fn pack_record(raw: &RawDoc) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(raw.text.len() + 256);
    put_origin(&mut out, &raw.origin)?;
    out.push(match raw.format {
        Format::Text => b't',
        Format::Html => b'h',
    });
    let stored = Stored {
        record: raw.record.clone(),
        title: None,
        published: None,
        text: raw.text.clone(),
    };
    out.extend(stored.encode()?);
    Ok(out)
}

/// Reads what [`pack_record`] wrote. The decoding is not carried: only extraction's own output
/// shows it, and a distributed scan writes none.
pub fn unpack_record(bytes: &[u8]) -> Result<RawDoc, Error> {
    let (origin, rest) = take_origin(bytes, 0)?;
    let (format, rest) = rest.split_first().ok_or(Error::Corrupt)?;
    let format = match format {
        b't' => Format::Text,
        b'h' => Format::Html,
        _ => return Err(Error::Corrupt),
    };
    let stored = Stored::decode(rest)?;
    let mut raw = RawDoc::new(origin, stored.text, format);
    raw.record = stored.record;
    Ok(raw)
}

fn put_origin(out: &mut Vec<u8>, origin: &Origin) -> Result<(), Error> {
    use retrace_span::RecordAt;
    match origin {
        Origin::Path(path) => {
            let path = path.to_str().ok_or(Error::Corrupt)?;
            out.push(b'p');
            out.extend_from_slice(
                &u32::try_from(path.len())
                    .map_err(|_| Error::TooLarge)?
                    .to_le_bytes(),
            );
            out.extend_from_slice(path.as_bytes());
        }
        Origin::Stdin => out.push(b's'),
        Origin::Record { container, at } => {
            let (tag, n) = match at {
                RecordAt::Offset(n) => (b'o', n),
                RecordAt::Unpacked(n) => (b'u', n),
                RecordAt::Line(n) => (b'l', n),
            };
            out.push(tag);
            out.extend_from_slice(&n.to_le_bytes());
            put_origin(out, container)?;
        }
    }
    Ok(())
}

/// Containers inside containers this deep at most (a record of a record is already rare).
const MAX_ORIGIN_DEPTH: usize = 8;

fn take_origin(bytes: &[u8], depth: usize) -> Result<(Origin, &[u8]), Error> {
    use retrace_span::RecordAt;
    if depth > MAX_ORIGIN_DEPTH {
        return Err(Error::Corrupt);
    }
    let (tag, rest) = bytes.split_first().ok_or(Error::Corrupt)?;
    match tag {
        b'p' => {
            let (len, rest) = rest.split_first_chunk::<4>().ok_or(Error::Corrupt)?;
            let (path, rest) = rest
                .split_at_checked(u32::from_le_bytes(*len) as usize)
                .ok_or(Error::Corrupt)?;
            let path = std::str::from_utf8(path).map_err(|_| Error::Corrupt)?;
            Ok((Origin::Path(path.into()), rest))
        }
        b's' => Ok((Origin::Stdin, rest)),
        b'o' | b'u' | b'l' => {
            let (n, rest) = rest.split_first_chunk::<8>().ok_or(Error::Corrupt)?;
            let n = u64::from_le_bytes(*n);
            let at = match tag {
                b'o' => RecordAt::Offset(n),
                b'u' => RecordAt::Unpacked(n),
                _ => RecordAt::Line(n),
            };
            let (container, rest) = take_origin(rest, depth + 1)?;
            Ok((
                Origin::Record {
                    container: std::sync::Arc::new(container),
                    at,
                },
                rest,
            ))
        }
        _ => Err(Error::Corrupt),
    }
}

/// A document [`pack`]ed: the record to prepare again (named `origin`, as the scan printed its
/// origin), its title and its publication time.
#[derive(Clone, Debug)]
pub struct Unpacked {
    /// The record, with the text kept.
    pub raw: RawDoc,
    /// The headline.
    pub title: Option<String>,
    /// The publication time, as written.
    pub published: Option<String>,
}

/// Reads what [`pack`] wrote.
pub fn unpack(origin: &str, bytes: &[u8]) -> Result<Unpacked, Error> {
    let (format, rest) = bytes.split_first().ok_or(Error::Corrupt)?;
    let format = match format {
        b't' => Format::Text,
        b'h' => Format::Html,
        _ => return Err(Error::Corrupt),
    };
    let Stored {
        record,
        title,
        published,
        text,
    } = Stored::decode(rest)?;
    let mut raw = RawDoc::new(Origin::Path(origin.into()), text, format);
    raw.record = record;
    Ok(Unpacked {
        raw,
        title,
        published,
    })
}

/// A document's rank as a cluster's representative, the least first: the earliest published
/// ([`represent::date_rank`] of its publication time; undated ones last), then the most
/// complete text (most words), then by origin as printed.
pub fn rank_key(
    published: Option<u64>,
    words: u32,
    origin: String,
) -> (bool, Option<u64>, std::cmp::Reverse<u32>, String) {
    (
        published.is_none(),
        published,
        std::cmp::Reverse(words),
        origin,
    )
}

/// The kinds of key that make candidate pairs (besides equal fingerprints).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyKind {
    /// A MinHash LSH band key: near-copies.
    Band,
    /// An anchor shingle: excerpts.
    Anchor,
    /// One of a document's rarest names and numbers: rewrites.
    Term,
}

impl KeyKind {
    /// Its name in `retrace.arrow`'s key rows.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Band => "band",
            KeyKind::Anchor => "anchor",
            KeyKind::Term => "term",
        }
    }
}

impl std::str::FromStr for KeyKind {
    type Err = String;

    fn from_str(name: &str) -> Result<KeyKind, String> {
        match name {
            "band" => Ok(KeyKind::Band),
            "anchor" => Ok(KeyKind::Anchor),
            "term" => Ok(KeyKind::Term),
            other => Err(format!(
                "a key kind is \"band\", \"anchor\" or \"term\", not {other:?}"
            )),
        }
    }
}

/// The documents of an anchor's bucket that are pages of a site holding it on
/// [`SITE_TEMPLATE_PAGES`] pages or more (its template), in ascending order: they are taken out
/// of the bucket. `bucket` holds each document once, with its site key.
pub fn site_template_pages(bucket: &[(u32, Option<u64>)]) -> Vec<u32> {
    if bucket.len() < SITE_TEMPLATE_PAGES {
        return Vec::new();
    }
    let mut sites: Vec<(u64, u32)> = bucket
        .iter()
        .filter_map(|&(doc, site)| site.map(|site| (site, doc)))
        .collect();
    sites.sort_unstable();
    let mut templated: Vec<u32> = sites
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|pages| pages.len() >= SITE_TEMPLATE_PAGES)
        .flat_map(|pages| pages.iter().map(|&(_, doc)| doc))
        .collect();
    templated.sort_unstable();
    templated
}

/// The pairs one key's bucket gives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BucketPairs {
    /// `(a, b)` with `a < b`.
    pub pairs: Vec<(u32, u32)>,
    /// Whether the bucket held more than [`MAX_BUCKET`] documents (then paired through its
    /// [`HUBS`] first-ranked documents).
    pub oversized: bool,
    /// Postings taken out as site templates (anchors only).
    pub templated: u64,
}

/// The candidate pairs of one key's bucket of `kind`: `bucket` holds `(document, rank, site)`
/// for each posting of the key, in any order (a document's repeated posting counts once). An
/// anchor's bucket first loses each site's template pages ([`site_template_pages`]); then
/// [`retrace_sketch::bucket_pairs`] with the scan's cap and hubs.
pub fn bucket(kind: KeyKind, bucket: &[(u32, u32, Option<u64>)]) -> BucketPairs {
    let mut postings: Vec<(u32, u32, Option<u64>)> = bucket.to_vec();
    postings.sort_unstable_by_key(|&(doc, _, _)| doc);
    postings.dedup_by_key(|&mut (doc, _, _)| doc);
    let mut templated = 0;
    if kind == KeyKind::Anchor {
        let sites: Vec<(u32, Option<u64>)> =
            postings.iter().map(|&(doc, _, site)| (doc, site)).collect();
        let taken = site_template_pages(&sites);
        if !taken.is_empty() {
            templated = taken.len() as u64;
            postings.retain(|&(doc, _, _)| taken.binary_search(&doc).is_err());
        }
    }
    let docs: Vec<u32> = postings.iter().map(|&(doc, _, _)| doc).collect();
    let rank = |doc: u32| {
        let at = docs.binary_search(&doc).unwrap_or_else(|_| unreachable!());
        postings[at].1
    };
    let mut pairs = Vec::new();
    let within = retrace_sketch::bucket_pairs(&docs, MAX_BUCKET, &rank, HUBS, &mut pairs);
    BucketPairs {
        pairs,
        oversized: !within,
        templated,
    }
}

/// Whether two documents that share `shared` keys of `kind` (counted over the buckets of their
/// keys of that kind) are a candidate pair through them.
pub fn keys_suffice(kind: KeyKind, a: &Sketch, b: &Sketch, shared: usize) -> bool {
    match kind {
        KeyKind::Band => shared > 0,
        KeyKind::Anchor => anchors_suffice(a, b, shared),
        // Names alone are weak evidence: see `names_suffice`.
        KeyKind::Term => names_suffice(a, b, shared),
    }
}

/// [`keys_suffice`] from each document's count of anchors and of words alone, `(anchors,
/// words)`, where those decide it: `Some` with its answer, or `None` where the answer depends
/// on the sketches themselves (rare names shared at least [`MIN_SHARED_TERMS`] and fewer than
/// [`STRONG_SHARED_TERMS`] times by texts of [`MIN_PASSAGE_WORDS`] words or more, which must
/// also share a MinHash minimum or an anchor). A distributed scan decides most of its
/// (pair, kind of key) rows this way before it joins them with the sketches.
pub fn keys_suffice_by_counts(
    kind: KeyKind,
    a: (usize, u32),
    b: (usize, u32),
    shared: usize,
) -> Option<bool> {
    match kind {
        KeyKind::Band => Some(shared > 0),
        KeyKind::Anchor => Some(anchor_counts_suffice(a, b, shared)),
        KeyKind::Term if shared >= STRONG_SHARED_TERMS => Some(true),
        KeyKind::Term if shared < MIN_SHARED_TERMS || a.1.min(b.1) < MIN_PASSAGE_WORDS => {
            Some(false)
        }
        KeyKind::Term => None,
    }
}

/// The sketch check of a candidate pair: what the two sketches share, where the pair engine
/// (or, without alignment, the sketches alone, with `threshold`) can call them related; `None`
/// where the pair shares too little for reuse.
pub fn sketch_check(
    a: &Sketch,
    b: &Sketch,
    alignment: AlignmentOutput,
    threshold: f64,
) -> Option<Shared> {
    let shared = Shared::of(a, b);
    let passes = if alignment == AlignmentOutput::None {
        sketch_relation(a, b, &shared, threshold).is_some()
    } else {
        shared.worth_aligning() || a.fingerprint == b.fingerprint
    };
    passes.then_some(shared)
}

/// The relation of a pair by its sketches alone ([`AlignmentOutput::None`]), with the source's
/// side where the sketches tell it (the longer text holds the excerpt).
pub fn sketch_relation(
    a: &Sketch,
    b: &Sketch,
    shared: &Shared,
    threshold: f64,
) -> Option<(Sketched, Option<Side>)> {
    if represent::near_copies(a, b, shared) {
        Some((Sketched::Duplicate, None))
    } else if represent::contained(a, b, shared) {
        let longer = if a.words > b.words { Side::A } else { Side::B };
        Some((Sketched::Excerpt, Some(longer)))
    } else if shared.jaccard() >= threshold {
        Some((Sketched::Similar, None))
    } else {
        None
    }
}

/// One side of a sketch-only pair: where it was read and its headline.
#[derive(Clone, Copy, Debug)]
pub struct SketchSide<'a> {
    /// Where it was read, as printed.
    pub origin: &'a str,
    /// Its headline.
    pub title: Option<&'a str>,
    /// Its sketch.
    pub sketch: &'a Sketch,
}

/// A sketch-only pair ([`AlignmentOutput::None`]): its relation as the sketches tell it
/// (`duplicate`, `excerpt`, or `similar` for a shingle Jaccard over the threshold), the source
/// side when known, the estimated shingle Jaccard, and the estimated share of the shorter text
/// found in the longer.
#[derive(serde::Serialize)]
struct SketchPair<'a> {
    a: SketchDoc<'a>,
    b: SketchDoc<'a>,
    relation: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
    jaccard: f64,
    containment: f64,
}

#[derive(serde::Serialize)]
struct SketchDoc<'a> {
    origin: &'a str,
    title: Option<&'a str>,
}

/// A pair related by its sketches ([`AlignmentOutput::None`]): its relation, the source's side
/// where known, and its line of `pairs.jsonl` (with its newline). `None` for a pair the
/// sketches do not relate.
pub fn sketch_pair(
    a: SketchSide<'_>,
    b: SketchSide<'_>,
    shared: &Shared,
    threshold: f64,
) -> Result<Option<(Sketched, Option<Side>, String)>, Error> {
    let Some((relation, direction)) = sketch_relation(a.sketch, b.sketch, shared, threshold) else {
        return Ok(None);
    };
    let pair = SketchPair {
        a: SketchDoc {
            origin: a.origin,
            title: a.title,
        },
        b: SketchDoc {
            origin: b.origin,
            title: b.title,
        },
        relation: Link::Sketched(relation),
        source: direction.map(|side| if side == Side::A { "a" } else { "b" }),
        jaccard: shared.jaccard(),
        containment: shared.anchors,
    };
    Ok(Some((
        relation,
        direction,
        serde_json::to_string(&pair)? + "\n",
    )))
}

/// The plan of one connected component of the checked candidate pairs (see
/// [`represent::plan`]): the plan of a whole scan restricted to a component is the plan of that
/// component, as every star and every pair between clusters lies inside one. `sketch(d)` and
/// `rank(d)` are document `d`'s sketch and its place in the order of [`rank_key`] over the
/// whole corpus.
pub fn plan_component<'s>(
    pairs: &[(u32, u32)],
    sketch: impl Fn(u32) -> &'s Sketch,
    rank: impl Fn(u32) -> u32,
) -> represent::Plan {
    let candidates: Vec<(u32, u32, Shared)> = pairs
        .iter()
        .map(|&(a, b)| (a, b, Shared::of(sketch(a), sketch(b))))
        .collect();
    represent::plan_by_sketches(&candidates, sketch, rank)
}

/// A judged pair as stories are built from it: `a` and `b` with the relation and, where known,
/// the source's side.
pub fn related(a: u32, b: u32, relation: Link, source: Option<Side>) -> Related {
    Related {
        a,
        b,
        relation,
        direction: source.map(|side| match side {
            Side::A => (a, b),
            Side::B => (b, a),
        }),
        page: None,
    }
}

/// The story of one connected component of the derivation pairs (`pairs`, whose relations all
/// join stories), numbered `id`, with its claim ledger where `statements` holds what each
/// member states ([`statements`]; a scan with alignment): what
/// [`Scan::stories`](super::Scan::stories) gives for it.
pub fn story_of_component(
    id: usize,
    shown: &BTreeMap<u32, Shown>,
    pairs: &[Related],
    statements: Option<&BTreeMap<u32, Statements>>,
) -> Result<Option<Story>, Error> {
    let refs: Vec<&Related> = pairs.iter().collect();
    let Some((mut story, ids)) = retrace_judge::story::stories(shown, &refs)
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    story.id = id;
    if let Some(statements) = statements {
        let named = ids
            .iter()
            .map(|id| {
                let stated = statements.get(id).ok_or(Error::Corrupt)?;
                Ok((shown[id].origin.clone(), stated))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        story.ledger = retrace_judge::ledger_of(&named);
    }
    Ok(Some(story))
}

/// What a document states that a story's claim ledger reads, its record prepared once more:
/// derived from the document alone, so computed per document, in parallel, and kept instead
/// of its text.
pub fn statements(engine: &Engine, raw: &RawDoc) -> Result<Statements, Error> {
    Ok(Statements::of(&engine.prepare(raw)?.analyzed))
}

/// The claim ledger of a story's members (named as printed), each prepared once more and
/// kept only as what it states.
pub(crate) fn ledger<'r>(
    engine: &Engine,
    members: impl Iterator<Item = Result<(String, std::borrow::Cow<'r, RawDoc>), Error>>,
) -> Result<Vec<retrace_judge::Claim>, Error> {
    let mut stated = Vec::new();
    for member in members {
        let (name, raw) = member?;
        stated.push((name, statements(engine, &raw)?));
    }
    let named: Vec<(String, &Statements)> = stated
        .iter()
        .map(|(name, statements)| (name.clone(), statements))
        .collect();
    Ok(retrace_judge::ledger_of(&named))
}

/// Whether a judged relation joins a story (see [`Link::joins_story`]).
pub fn joins_story(relation: Relation) -> bool {
    Link::Judged(relation).joins_story()
}

#[cfg(test)]
mod tests {
    use super::*;
    use retrace_span::RecordAt;

    #[test]
    fn a_record_packed_is_the_record() {
        let container = Origin::Record {
            container: std::sync::Arc::new(Origin::Path("crawl/a.warc.gz".into())),
            at: RecordAt::Unpacked(4096),
        };
        let origin = Origin::Record {
            container: std::sync::Arc::new(container),
            at: RecordAt::Line(7),
        };
        let mut raw = RawDoc::new(origin, "<p>Storms cut power.</p>".into(), Format::Html);
        raw.record.url = Some("https://example.com/a".into());
        raw.record.date = Some("2025-04-01".into());
        let bytes = pack_record(&raw).unwrap();
        let back = unpack_record(&bytes).unwrap();
        assert_eq!(
            (&back.origin, &back.text, back.format, &back.record),
            (&raw.origin, &raw.text, raw.format, &raw.record)
        );
        // Cut anywhere, it is an error, never a panic.
        for end in 0..bytes.len() {
            assert!(unpack_record(&bytes[..end]).is_err(), "{end}");
        }
    }

    #[test]
    fn hostile_packed_records_are_errors() {
        // Records inside records without end: refused past a depth, not followed down the stack.
        let mut deep = Vec::new();
        for _ in 0..100_000 {
            deep.push(b'l');
            deep.extend_from_slice(&1u64.to_le_bytes());
        }
        deep.push(b's');
        assert!(unpack_record(&deep).is_err());
        // A path longer than the bytes, a bad tag, a bad format byte.
        let mut long = vec![b'p'];
        long.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(unpack_record(&long).is_err());
        assert!(unpack_record(b"x").is_err());
        assert!(unpack_record(b"sz").is_err());
    }

    #[test]
    fn buckets_take_out_site_templates_and_pair_large_ones_through_hubs() {
        // Five pages of site 1 hold the anchor (its template), with two other pages.
        let bucket: Vec<(u32, u32, Option<u64>)> = (0..7)
            .map(|doc| (doc, doc, (doc < 5).then_some(1)))
            .collect();
        let found = bucket_pairs_of(KeyKind::Anchor, &bucket);
        assert_eq!((found.pairs, found.templated), (vec![(5, 6)], 5));
        // The same bucket of band keys keeps every page.
        assert_eq!(bucket_pairs_of(KeyKind::Band, &bucket).pairs.len(), 21);
        // Over the cap: each document with the three first-ranked.
        let big: Vec<(u32, u32, Option<u64>)> =
            (0..300).map(|doc| (doc, 300 - doc, None)).collect();
        let found = bucket_pairs_of(KeyKind::Band, &big);
        assert!(found.oversized);
        assert_eq!(found.pairs.len(), 297 * 3 + 3);
        assert!(found.pairs.iter().all(|&(a, b)| a >= 297 || b >= 297));
    }

    #[test]
    fn counts_decide_as_the_sketches_do_where_they_decide() {
        let sketcher = Sketcher::default();
        let words = |range: std::ops::Range<usize>| {
            range
                .map(|i| {
                    // A name every seventh word, so that the texts hold names.
                    if i % 7 == 0 {
                        format!("Name{i}")
                    } else {
                        format!("w{i}")
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let texts = [
            words(0..300),
            words(150..450),
            words(0..300),
            words(100..145),
            words(1000..1300),
            words(0..12),
            words(290..302),
        ];
        let sketches: Vec<Sketch> = texts.iter().map(|t| sketcher.sketch(t)).collect();
        let mut decided = 0;
        for a in &sketches {
            for b in &sketches {
                let counts = |s: &Sketch| (s.anchors.len(), s.words);
                for kind in [KeyKind::Band, KeyKind::Anchor, KeyKind::Term] {
                    for shared in 0..12 {
                        if let Some(answer) =
                            keys_suffice_by_counts(kind, counts(a), counts(b), shared)
                        {
                            assert_eq!(
                                answer,
                                keys_suffice(kind, a, b, shared),
                                "{kind:?} {shared}"
                            );
                            decided += 1;
                        }
                    }
                }
            }
        }
        assert!(decided > 0);
    }

    fn bucket_pairs_of(kind: KeyKind, postings: &[(u32, u32, Option<u64>)]) -> BucketPairs {
        // Any order, with a repeated posting: the same pairs.
        let mut shuffled: Vec<_> = postings.iter().rev().copied().collect();
        shuffled.push(postings[0]);
        let found = bucket(kind, &shuffled);
        assert_eq!(found, bucket(kind, postings));
        found
    }
}
