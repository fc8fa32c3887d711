//! The index's pipelines: what a document is known by and stores ([`key_of`], [`meta_of`]), a
//! batch of documents added and judged against the index ([`add_batch`], in batches of a
//! configured size by an [`Adder`]), an article looked
//! up ([`lookup`]) and the story it belongs to ([`story_of_article`]). `retrace index`,
//! `retrace query` and `retrace serve` call these; the storage is `retrace-index`'s, and what
//! the command prints of a lookup and of an index is retrace-report's ([`Lookup::view`],
//! [`stats_view`]).
//!
//! ```
//! use retrace_engine::indexing::{Unnamed, add_batch, lookup};
//! use retrace_engine::{Document, Engine};
//! use retrace_sketch::Sketcher;
//! use retrace_span::Origin;
//!
//! let text = "Storms cut power to 4,000 homes in Dunmore on Tuesday, and crews from three \
//!             counties worked through the night to restore it before the schools reopened.";
//! let doc = |name: &str| {
//!     let raw = retrace_ingest::read_bytes(Origin::Path(name.into()), text.into(), None);
//!     Document::read(raw, &Sketcher::default()).unwrap()
//! };
//! let dir = tempfile::tempdir().unwrap();
//! let mut index = retrace_index::Index::create_or_open(&dir.path().join("idx")).unwrap();
//! let (engine, pool) = (Engine::lexical(), rayon::ThreadPoolBuilder::new().build().unwrap());
//! let added = add_batch(&mut index, &engine, &pool, vec![doc("wire.txt")], Unnamed::ByPlace)
//!     .unwrap();
//! assert_eq!(added.counts.added, 1);
//! let found = lookup(&index.snapshot().unwrap(), &engine, &pool, &doc("copy.txt")).unwrap();
//! assert_eq!(found.matches[0].relation, retrace_judge::Relation::Duplicate);
//! ```

mod lookup;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use retrace_index::{Batch, BatchCounts, DocId, Index, Meta, Pair, Put, Read, Stats};
use retrace_ingest::RawDoc;
use retrace_judge::{Relation, Side};
use retrace_report::index::StatsView;
use retrace_span::Origin;

use crate::{Document, Engine};
pub use lookup::{
    Answer, IndexedStory, Lookup, Match, QueryConfig, lookup, query, story_of_article,
    story_of_document,
};

/// Why an index pipeline could not go on.
#[derive(Debug)]
pub enum Error {
    /// The index failed (see its message for what to do).
    Index(retrace_index::Error),
    /// The pair engine failed.
    Engine(crate::Error),
    /// A document the index listed was not there when read.
    Vanished(DocId),
    /// A result could not be written as JSON.
    Json(serde_json::Error),
    /// A stored pair names a relation this version does not know.
    StoredRelation(DocId, DocId, retrace_judge::UnknownRelation),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Index(err) => err.fmt(f),
            Error::Engine(err) => err.fmt(f),
            Error::Vanished(id) => write!(f, "document {id} vanished from the index"),
            Error::Json(err) => err.fmt(f),
            Error::StoredRelation(a, b, unknown) => write!(
                f,
                "stored pair {a}-{b}: {unknown}; the index may be damaged or from a newer \
                 version (check it)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Index(err) => Some(err),
            Error::Engine(err) => Some(err),
            Error::Vanished(_) => None,
            Error::Json(err) => Some(err),
            Error::StoredRelation(_, _, unknown) => Some(unknown),
        }
    }
}

impl From<retrace_index::Error> for Error {
    fn from(err: retrace_index::Error) -> Error {
        Error::Index(err)
    }
}

impl From<crate::Error> for Error {
    fn from(err: crate::Error) -> Error {
        Error::Engine(err)
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Error {
        Error::Json(err)
    }
}

/// A batch added by [`add_batch`].
#[derive(Debug)]
pub struct Added {
    /// The batch's number in the index.
    pub batch: i64,
    /// What it added, updated, left unchanged, and the related pairs it stored.
    pub counts: BatchCounts,
    /// Where its time went.
    pub phases: Phases,
    /// Documents whose pairs could not be judged (their text no longer extracts), with the
    /// reason.
    pub not_compared: Vec<(DocId, String)>,
}

/// What `retrace index stats` shows of the index at `path` holding `stats`:
/// [`StatsView::text`] writes it.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let mut index = retrace_index::Index::create_or_open(&dir.path().join("idx")).unwrap();
/// let stats = index.stats().unwrap();
/// let text = retrace_engine::indexing::stats_view(index.path(), &stats).text();
/// assert!(text.contains("\ndocuments  0 (0.0 MB of text, 0 bytes each)\n"), "{text}");
/// ```
pub fn stats_view<'a>(path: &'a Path, stats: &'a Stats) -> StatsView<'a> {
    StatsView {
        path,
        schema_version: stats.schema_version,
        documents: stats.documents,
        raw_bytes: stats.raw_bytes,
        band_postings: stats.band_postings,
        anchor_postings: stats.anchor_postings,
        term_postings: stats.term_postings,
        pairs: &stats.pairs,
        candidate_pairs: stats.candidate_pairs,
        clustered: stats.clustered,
        batches: stats.batches,
        disk_bytes: stats.disk_bytes,
    }
}

impl Added {
    /// The batch in one line, as `retrace index add` says it when it is committed: `batch 1
    /// committed: 4 added, 0 updated, 0 unchanged; 2 related pairs; in 0.1 s (store 0.0, …)`.
    ///
    /// ```
    /// use retrace_engine::indexing::{Unnamed, add_batch};
    /// use retrace_engine::{Document, Engine};
    /// use retrace_span::Origin;
    ///
    /// let raw = retrace_ingest::read_bytes(Origin::Path("wire.txt".into()), b"Storms cut power \
    ///     to 4,000 homes in Dunmore on Tuesday.".to_vec(), None);
    /// let doc = Document::read(raw, &retrace_sketch::Sketcher::default()).unwrap();
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut index = retrace_index::Index::create_or_open(&dir.path().join("idx")).unwrap();
    /// let (engine, pool) = (Engine::lexical(), rayon::ThreadPoolBuilder::new().build().unwrap());
    /// let added = add_batch(&mut index, &engine, &pool, vec![doc], Unnamed::ByPlace).unwrap();
    /// let line = added.line();
    /// assert!(line.starts_with("batch 1 committed: 1 added, 0 updated, 0 unchanged; 0 related pairs; in "), "{line}");
    /// ```
    pub fn line(&self) -> String {
        let counts = &self.counts;
        format!(
            "batch {} committed: {} added, {} updated, {} unchanged; {}; {}",
            self.batch,
            counts.added,
            counts.updated,
            counts.unchanged,
            crate::corpus::counted(counts.pairs, "related pair", "related pairs"),
            self.phases
        )
    }
}

/// What a document without a URL is known by in the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unnamed {
    /// Where it was read ([`place_of`]): a verbatim copy in another file is another document,
    /// and the same file added again is the same one, updated when its words changed (issue
    /// 13, item 15). Documents from standard input have no place and go by their words.
    ByPlace,
    /// The fingerprint of its words (`text:HASH`): the same text sent twice is one document
    /// (`retrace serve`'s additions, which all come from the same request origin).
    ByText,
}

/// The key a document is known by in the index: its URL as the crawl gave it, else as the page
/// declares it, else as `unnamed` says.
pub fn key_of(found: &Document, unnamed: Unnamed) -> String {
    let text = || format!("text:{:032x}", found.sketch.fingerprint.0);
    found
        .raw
        .record
        .url
        .clone()
        .or_else(|| found.url.clone())
        .unwrap_or_else(|| match unnamed {
            Unnamed::ByPlace => place_of(&found.raw.origin).unwrap_or_else(text),
            Unnamed::ByText => text(),
        })
}

/// Where a document was read, with its file's absolute path (`/data/feed.jsonl:17`), so that
/// the same file is the same place whatever folder the command runs in and however the path
/// was spelled; `None` for standard input.
pub fn place_of(origin: &Origin) -> Option<String> {
    fn absolute(origin: &Origin) -> Option<Origin> {
        Some(match origin {
            Origin::Path(path) => Origin::Path(absolute_path(path)),
            Origin::Stdin => return None,
            Origin::Record { container, at } => Origin::Record {
                container: Arc::new(absolute(container)?),
                at: *at,
            },
        })
    }
    absolute(origin).map(|origin| origin.to_string())
}

/// A path made absolute, with links resolved where it exists (else its folder's, else as
/// given, joined to the current folder).
fn absolute_path(path: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(path) {
        return path;
    }
    if let (Some(parent), Some(name)) = (path.parent(), path.file_name()) {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(parent) = std::fs::canonicalize(parent) {
            return parent.join(name);
        }
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The places a name given to remove documents by (`retrace index remove`) may mean: the file itself, or a record in
/// it when it ends as an origin does (`feed.jsonl:17`, `crawl.warc.gz@1234`,
/// `crawl.warc.gz@gunzip:1234`).
pub fn places_named(arg: &str) -> Vec<String> {
    let mut places = vec![absolute_path(Path::new(arg)).display().to_string()];
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    for separator in ["@gunzip:", "@", ":"] {
        if let Some((file, at)) = arg.rsplit_once(separator)
            && digits(at)
            && !file.is_empty()
        {
            places.push(format!(
                "{}{separator}{at}",
                absolute_path(Path::new(file)).display()
            ));
            break;
        }
    }
    places
}

/// What the index stores of a document besides its text and sketch.
pub fn meta_of(found: &Document, unnamed: Unnamed) -> Meta {
    Meta {
        key: key_of(found, unnamed),
        place: place_of(&found.raw.origin),
        origin: found.raw.origin.to_string(),
        url: found.url.clone().or_else(|| found.raw.record.url.clone()),
        site: found.site.clone(),
        title: found.title.clone(),
        published: found.published.clone(),
    }
}

/// A judged pair as the index stores it, or `None` when unrelated.
pub fn stored_pair(
    (a, b): (DocId, DocId),
    alignment: &retrace_align::Alignment,
    verdict: &retrace_judge::Verdict,
) -> Option<Pair> {
    if verdict.relation == Relation::Unrelated {
        return None;
    }
    Some(Pair {
        a,
        b,
        relation: verdict.relation.as_str().to_string(),
        source: verdict
            .source
            .map(|side| if side == Side::A { a } else { b }),
        confidence: f64::from(verdict.confidence),
        coverage: (alignment.coverage_a, alignment.coverage_b),
        changes: u32::try_from(verdict.changes.len()).unwrap_or(u32::MAX),
    })
}

/// Puts one batch of documents in the index, judges the new and changed ones against the index
/// (this batch included), stores the related pairs, and commits.
pub fn add_batch(
    index: &mut Index,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    docs: Vec<Document>,
    unnamed: Unnamed,
) -> Result<Added, Error> {
    let mut clock = Phases::start();
    let mut batch = index.batch()?;
    let mut fresh: BTreeMap<DocId, usize> = BTreeMap::new();
    let keys: Vec<String> = docs.iter().map(|found| key_of(found, unnamed)).collect();
    for (n, found) in docs.iter().enumerate() {
        match batch.put(&found.raw, &meta_of(found, unnamed), &found.sketch)? {
            Put::Added(id) | Put::Updated(id) => {
                // A key twice in one batch: the later one stands.
                fresh.retain(|_, &mut m| keys[m] != keys[n]);
                fresh.insert(id, n);
            }
            Put::Unchanged(_) => {}
        }
    }
    clock.lap("store");
    for (&id, &n) in &fresh {
        let found = &docs[n];
        let retrieval = batch.candidates(&found.sketch, found.site.as_deref(), Some(id))?;
        batch.put_candidates(id, &retrieval.candidates)?;
    }
    // Older pairs that the batch's names and numbers made candidates (or no longer ones).
    clock.lap("candidates");
    batch.resettle()?;
    clock.lap("names");
    // Scan's plan over the stories the batch touched: the pairs it now judges.
    let pairs: BTreeSet<(DocId, DocId)> = batch.replan()?.into_iter().collect();
    clock.lap("plan");
    let fresh: BTreeMap<DocId, (&RawDoc, &str)> = fresh
        .iter()
        .map(|(&id, &n)| (id, (&docs[n].raw, keys[n].as_str())))
        .collect();
    let not_compared = judge_pairs(&mut batch, engine, pool, pairs, &fresh)?;
    clock.lap("judge");
    let id = batch.id();
    let counts = batch.commit()?;
    clock.lap("commit");
    Ok(Added {
        batch: id,
        counts,
        phases: clock,
        not_compared,
    })
}

/// How documents are added to an index; the defaults are `retrace index add`'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddConfig {
    /// Documents per batch, each judged against the index and committed in one transaction; at
    /// least 1.
    pub batch: usize,
    /// What a document without a URL is known by.
    pub unnamed: Unnamed,
}

impl Default for AddConfig {
    fn default() -> AddConfig {
        AddConfig {
            batch: 1000,
            unnamed: Unnamed::ByPlace,
        }
    }
}

impl AddConfig {
    /// Whether each setting is within its range; the error names the field.
    ///
    /// ```
    /// use retrace_engine::indexing::AddConfig;
    /// let bad = AddConfig { batch: 0, ..AddConfig::default() }.check().unwrap_err();
    /// assert_eq!(bad.to_string(), "batch must be at least 1");
    /// ```
    pub fn check(&self) -> Result<(), retrace_ingest::BadOption> {
        if self.batch == 0 {
            return Err(retrace_ingest::BadOption {
                field: "batch",
                rule: "must be at least 1".to_string(),
            });
        }
        Ok(())
    }
}

/// Documents added to an index batch by batch ([`add_batch`]): it holds documents until a
/// batch is full, and sums what its batches added.
///
/// ```
/// use retrace_engine::indexing::{AddConfig, Adder};
/// use retrace_engine::{Document, Engine};
/// use retrace_sketch::Sketcher;
/// use retrace_span::Origin;
///
/// let doc = |name: &str, text: &str| {
///     let raw = retrace_ingest::read_bytes(Origin::Path(name.into()), text.into(), None);
///     Document::read(raw, &Sketcher::default()).unwrap()
/// };
/// let dir = tempfile::tempdir().unwrap();
/// let mut index = retrace_index::Index::create_or_open(&dir.path().join("idx")).unwrap();
/// let (engine, pool) = (Engine::lexical(), rayon::ThreadPoolBuilder::new().build().unwrap());
/// let mut adder = Adder::new(AddConfig { batch: 2, ..AddConfig::default() }).unwrap();
/// assert!(!adder.push(doc("a.txt", "Storms cut power to 4,000 homes in Dunmore.")));
/// assert!(adder.push(doc("b.txt", "A council vote on the new bridge was put off to May.")));
/// assert_eq!(adder.commit(&mut index, &engine, &pool).unwrap().unwrap().counts.added, 2);
/// assert!(adder.commit(&mut index, &engine, &pool).unwrap().is_none());
/// assert_eq!((adder.totals().batches, adder.totals().counts.added), (1, 2));
/// ```
#[derive(Debug)]
pub struct Adder {
    config: AddConfig,
    pending: Vec<Document>,
    totals: Totals,
}

/// What an [`Adder`]'s batches added, in all.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    /// Batches committed.
    pub batches: u64,
    /// Documents added, updated and left unchanged, and pairs stored, summed over the batches
    /// (`removed` stays 0).
    pub counts: BatchCounts,
}

impl Adder {
    /// An adder with `config`, once [`AddConfig::check`] accepts it.
    pub fn new(config: AddConfig) -> Result<Adder, retrace_ingest::BadOption> {
        config.check()?;
        Ok(Adder {
            config,
            pending: Vec::new(),
            totals: Totals::default(),
        })
    }

    /// Holds a document for the next batch; `true` when the batch is full and should be
    /// committed ([`Adder::commit`]).
    pub fn push(&mut self, doc: Document) -> bool {
        self.pending.push(doc);
        self.pending.len() >= self.config.batch
    }

    /// Adds the documents held as one batch ([`add_batch`]), or does nothing when none is held.
    pub fn commit(
        &mut self,
        index: &mut Index,
        engine: &Engine,
        pool: &rayon::ThreadPool,
    ) -> Result<Option<Added>, Error> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        let docs = std::mem::take(&mut self.pending);
        let added = add_batch(index, engine, pool, docs, self.config.unnamed)?;
        let totals = &mut self.totals.counts;
        totals.added += added.counts.added;
        totals.updated += added.counts.updated;
        totals.unchanged += added.counts.unchanged;
        totals.pairs += added.counts.pairs;
        self.totals.batches += 1;
        Ok(Some(added))
    }

    /// Documents held for the next batch.
    pub fn held(&self) -> usize {
        self.pending.len()
    }

    /// What the committed batches added.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }
}

/// What [`remove`] did.
#[derive(Debug)]
pub struct Removed {
    /// What the batch counted (`removed`).
    pub counts: BatchCounts,
    /// The names that named no document, as given.
    pub missing: Vec<String>,
    /// Documents whose pairs could not be judged again, with the reason.
    pub not_compared: Vec<(DocId, String)>,
}

/// Removes the documents `names` name, with their pairs, in one batch: each name is a key
/// (a URL, `text:HASH`), an index id, or a place ([`places_named`]: a file as it was added, a
/// record as `FILE:LINE` or `FILE@OFFSET`); then settles the batch ([`settle_removals`]) and
/// commits. Names that name nothing are returned, the others removed all the same.
///
/// ```
/// use retrace_engine::indexing::{Unnamed, add_batch, remove};
/// use retrace_engine::{Document, Engine};
/// use retrace_sketch::Sketcher;
/// use retrace_span::Origin;
///
/// let raw = retrace_ingest::read_bytes(
///     Origin::Path("wire.txt".into()),
///     "Storms cut power to 4,000 homes in Dunmore on Tuesday.".into(),
///     None,
/// );
/// let doc = Document::read(raw, &Sketcher::default()).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let mut index = retrace_index::Index::create_or_open(&dir.path().join("idx")).unwrap();
/// let (engine, pool) = (Engine::lexical(), rayon::ThreadPoolBuilder::new().build().unwrap());
/// add_batch(&mut index, &engine, &pool, vec![doc], Unnamed::ByPlace).unwrap();
/// let names = ["wire.txt".to_string(), "nowhere.txt".to_string()];
/// let removed = remove(&mut index, &engine, &pool, &names).unwrap();
/// assert_eq!((removed.counts.removed, removed.missing), (1, vec!["nowhere.txt".to_string()]));
/// ```
pub fn remove(
    index: &mut Index,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    names: &[String],
) -> Result<Removed, Error> {
    let mut batch = index.batch()?;
    let mut missing = Vec::new();
    for name in names {
        if batch.remove(name)? {
            continue;
        }
        let mut removed = 0;
        for place in places_named(name) {
            removed += batch.remove_at(&place)?;
        }
        if removed == 0 {
            missing.push(name.clone());
        }
    }
    let not_compared = settle_removals(&mut batch, engine, pool)?;
    let counts = batch.commit()?;
    Ok(Removed {
        counts,
        missing,
        not_compared,
    })
}

/// Settles a batch after documents were removed from it: fewer documents hold the removed ones'
/// names, so older pairs settle as after an add, and the stories of the removed documents are
/// planned and judged again (a representative may be gone). Returns the documents whose pairs
/// could not be judged, with the reason.
pub fn settle_removals(
    batch: &mut Batch<'_>,
    engine: &Engine,
    pool: &rayon::ThreadPool,
) -> Result<Vec<(DocId, String)>, Error> {
    batch.resettle()?;
    let pairs = batch.replan()?.into_iter().collect();
    judge_pairs(batch, engine, pool, pairs, &BTreeMap::new())
}

/// Judges candidate pairs and stores the related ones in the batch. `fresh`: the documents put
/// in this batch, with their keys (read from memory; the others from the index). Returns the
/// documents that could not be prepared, with the reason (their pairs are not judged).
fn judge_pairs(
    batch: &mut Batch<'_>,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    pairs: BTreeSet<(DocId, DocId)>,
    fresh: &BTreeMap<DocId, (&RawDoc, &str)>,
) -> Result<Vec<(DocId, String)>, Error> {
    // Every document of a pair, once: this batch's from memory, the others from the index.
    let mut raws: BTreeMap<DocId, RawDoc> = BTreeMap::new();
    for &(a, b) in &pairs {
        for id in [a, b] {
            if raws.contains_key(&id) {
                continue;
            }
            let raw = match fresh.get(&id) {
                Some(&(raw, _)) => raw.clone(),
                None => batch.raw(id)?.ok_or(Error::Vanished(id))?,
            };
            raws.insert(id, raw);
        }
    }
    let outcomes: Vec<(DocId, Result<crate::Prepared, crate::Error>)> = pool.install(|| {
        raws.par_iter()
            .map(|(&id, raw)| (id, engine.prepare(raw)))
            .collect()
    });
    drop(raws);
    let mut prepared: BTreeMap<DocId, crate::Prepared> = BTreeMap::new();
    let mut not_compared = Vec::new();
    for (id, outcome) in outcomes {
        match outcome {
            Ok(ready) => {
                prepared.insert(id, ready);
            }
            Err(err) => not_compared.push((id, err.to_string())),
        }
    }
    // Each pair judged in the order of its keys, not of its ids (the order documents came in),
    // so that the verdict is the same whichever was added first.
    let mut key: BTreeMap<DocId, String> = BTreeMap::new();
    for &id in prepared.keys() {
        let known = match fresh.get(&id) {
            Some(&(_, key)) => key.to_string(),
            None => batch.meta(id)?.map(|meta| meta.key).unwrap_or_default(),
        };
        key.insert(id, known);
    }
    let pairs: Vec<(DocId, DocId)> = pairs
        .into_iter()
        .map(|(a, b)| {
            if key.get(&b) < key.get(&a) {
                (b, a)
            } else {
                (a, b)
            }
        })
        .collect();
    let judged: Vec<Option<Pair>> = pool.install(|| {
        pairs
            .par_iter()
            .map(|&(a, b)| {
                let (Some(pa), Some(pb)) = (prepared.get(&a), prepared.get(&b)) else {
                    return Ok(None);
                };
                let (alignment, verdict) = engine.align_and_judge(&pa.analyzed, &pb.analyzed)?;
                Ok(stored_pair((a, b), &alignment, &verdict))
            })
            .collect::<Result<_, crate::Error>>()
    })?;
    for pair in judged.iter().flatten() {
        batch.put_pair(pair)?;
    }
    Ok(not_compared)
}

/// Wall time per phase of a batch: storing the documents, looking up their candidates,
/// settling older pairs by names, planning, judging, committing.
#[derive(Debug)]
pub struct Phases {
    last: std::time::Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Phases {
    pub(crate) fn start() -> Phases {
        Phases {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps
            .push((name, now.duration_since(self.last).as_secs_f64()));
        self.last = now;
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: f64 = self.laps.iter().map(|(_, s)| s).sum();
        write!(f, "in {total:.1} s (")?;
        for (n, (name, s)) in self.laps.iter().enumerate() {
            let comma = if n > 0 { ", " } else { "" };
            write!(f, "{comma}{name} {s:.1}")?;
        }
        write!(f, ")")
    }
}
