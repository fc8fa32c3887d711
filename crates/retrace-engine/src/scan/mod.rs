//! A scan: every copy, excerpt and rewrite in a corpus, in stories, in four typed hand-offs.
//!
//! 1. **read**: each [`Document`] goes in through [`Scan::add`], numbered in the order added;
//!    the scan keeps its sketch in memory and its text in a temporary file (the spill store).
//! 2. **candidates** ([`Scan::candidates`] → [`Candidates`]): equal fingerprints (each group
//!    a star through its first-ranked document, linear in the copies of a text), shared LSH
//!    band keys (MinHash of word shingles: near-copies), shared anchor shingles (excerpts),
//!    shared rare names and numbers (rewrites), then a sketch check ([`Shared`]) that drops
//!    pairs sharing too little for reuse, and, with [`JudgePairs::Representatives`], the plan
//!    that judges each near-copy against its cluster's representative only.
//! 3. **judge** ([`Scan::judge`] → [`Related`] pairs): each pair read back, aligned and judged
//!    by the pair engine (lexical), or, with [`AlignmentOutput::None`], related by its sketches
//!    alone (near-copies and excerpts); each related pair goes to the [`ScanSink`] in order.
//! 4. **stories** ([`Scan::stories`] → [`Story`]): connected components of the pairs where one
//!    text derives from the other, with a provenance edge from source to derivative where the
//!    direction is known, and a claim ledger.
//!
//! [`Scan::run`] runs 2–4 in order. Deterministic: pairs are judged in parallel but handed to
//! the sink in order, so the same documents in the same order give the same output at any
//! thread count.

mod candidates;
mod folder;
pub mod steps;
mod store;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use retrace_ingest::{Decoding, Format, RawDoc};
use retrace_judge::story::Story;
use retrace_judge::{Relation, Side};
use retrace_report::json::CompareJson;
use retrace_report::{PairReport, ReportDoc};
use retrace_sketch::evidence::{MAX_BUCKET, RARE_TERMS, Shared};
use retrace_sketch::{Bands, Sketch, Sketcher, pick_rare, represent};
use retrace_span::Origin;
use serde::Serialize;

use crate::{Document, Engine};
use candidates::{POSTINGS_PER_PART, candidates_by_keys};
pub use folder::{Folder, SKIPPED_FILE};
use retrace_judge::story::{Link, Related, Shown, stories};
use steps::KeyKind;
use store::{Store, Stored};

/// Candidate pairs judged per chunk (their documents prepared once per chunk).
const PAIR_CHUNK: usize = 1024;

/// How much alignment a scan writes for each related pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlignmentOutput {
    /// Aligned and unaligned spans with their text.
    Full,
    /// Spans as offsets and lines only.
    Spans,
    /// No alignment: pairs related by their sketches (duplicate, excerpt, similar).
    None,
}

/// Which candidate pairs a scan judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JudgePairs {
    /// Near-copies against their representative, others against their closest earlier
    /// documents: linear in the number of documents.
    Representatives,
    /// Every candidate pair.
    All,
}

/// What a scan looks for and how it judges; the defaults are `retrace scan`'s.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanConfig {
    /// The estimated shingle Jaccard over which two texts are candidates by MinHash LSH (and,
    /// without alignment, `similar`); above 0, at most 1.
    pub threshold: f64,
    /// Related pairs whose alignment covers less of both texts than this are left out.
    pub min_coverage: f64,
    /// How much alignment each related pair carries.
    pub alignment: AlignmentOutput,
    /// Which candidate pairs are judged.
    pub judge: JudgePairs,
    /// Pairs of two pages of the same site are not candidates.
    pub same_site: bool,
    /// Seconds within which two publication times do not decide a pair's direction.
    pub direction_window: u64,
}

impl ScanConfig {
    /// Whether each setting is within its range; the error names the field.
    ///
    /// ```
    /// use retrace_engine::scan::ScanConfig;
    /// let bad = ScanConfig { threshold: 0.0, ..ScanConfig::default() }.check().unwrap_err();
    /// assert_eq!(bad.to_string(), "threshold must be above 0 and at most 1");
    /// assert!(ScanConfig::default().check().is_ok());
    /// ```
    pub fn check(&self) -> Result<(), retrace_ingest::BadOption> {
        let bad = |field, rule: &str| {
            Err(retrace_ingest::BadOption {
                field,
                rule: rule.to_string(),
            })
        };
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return bad("threshold", "must be above 0 and at most 1");
        }
        if !(0.0..=1.0).contains(&self.min_coverage) {
            return bad("min_coverage", "must be between 0 and 1");
        }
        Ok(())
    }
}

impl Default for ScanConfig {
    fn default() -> ScanConfig {
        ScanConfig {
            threshold: 0.3,
            min_coverage: 0.0,
            alignment: AlignmentOutput::Full,
            judge: JudgePairs::Representatives,
            same_site: false,
            direction_window: 0,
        }
    }
}

/// Why a scan could not go on.
#[derive(Debug)]
pub enum Error {
    /// A setting is out of its range ([`ScanConfig::check`]).
    Config(retrace_ingest::BadOption),
    /// The temporary text store could not be created in this folder.
    Create(PathBuf, std::io::Error),
    /// The temporary text store could not be written.
    Write(std::io::Error),
    /// The temporary text store could not be read back.
    Read(std::io::Error),
    /// The temporary text store gave back bytes it was not given.
    Corrupt,
    /// A document of 4 GB or more.
    TooLarge,
    /// More than 4 billion documents.
    TooMany,
    /// A document stored could not be prepared again (it was once: a bug).
    Engine(crate::Error),
    /// A pair could not be written as JSON.
    Json(serde_json::Error),
    /// A file of the output folder could not be written.
    Output {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The output folder holds a `report/` folder that no scan wrote.
    NotOurs(PathBuf),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(bad) => bad.fmt(f),
            Error::Create(dir, err) => write!(
                f,
                "cannot create a temporary file in {}: {err}",
                dir.display()
            ),
            Error::Write(err) => write!(f, "cannot write the temporary text store: {err}"),
            Error::Read(err) => write!(f, "cannot read the temporary text store: {err}"),
            Error::Corrupt => f.write_str("the temporary text store is corrupt"),
            Error::TooLarge => f.write_str("a document of 4 GB or more"),
            Error::TooMany => f.write_str("more than 4 billion documents"),
            Error::Engine(err) => err.fmt(f),
            Error::Json(err) => err.fmt(f),
            Error::Output { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            Error::NotOurs(pages) => write!(
                f,
                "{} exists and was not written by retrace scan; choose another output folder or \
                 remove it",
                pages.display()
            ),
        }
    }
}

impl std::error::Error for Error {}

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

/// Where a running scan is, for progress bars. Sent from worker threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Finding candidates through one kind of key (`"LSH bands"`, `"anchors"`, `"names and
    /// numbers"`): `part` of `parts` done.
    Keys {
        /// The kind of key.
        what: &'static str,
        /// Parts done.
        part: u64,
        /// Parts in all.
        parts: u64,
    },
    /// Checking this many candidate pairs by their sketches.
    Checking(usize),
    /// One more pair judged.
    Judged,
}

/// Where a scan's results go, in order: the candidates found, each related pair, the stories.
/// `retrace scan`'s sink writes its files and progress bars; a library user's may keep them.
pub trait ScanSink: Sync {
    /// The sink's error; a scan's own errors become one.
    type Error: From<Error>;

    /// Progress, for bars (called from worker threads; the default ignores it).
    fn progress(&self, progress: Progress) {
        let _ = progress;
    }

    /// The candidates are found; judging starts.
    fn candidates(&mut self, candidates: &Candidates) -> Result<(), Self::Error> {
        let _ = candidates;
        Ok(())
    }

    /// Whether side-by-side pages are to be rendered for the pairs to come (the default: no).
    fn wants_pages(&self) -> bool {
        false
    }

    /// A related pair, in pair order. Returns the name of its side-by-side page where the sink
    /// kept one (then stories link it).
    fn pair(&mut self, pair: &JudgedPair) -> Result<Option<String>, Self::Error>;

    /// Every pair is judged; stories are built next.
    fn judged(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// The stories, once every pair is judged.
    fn stories(&mut self, stories: &[Story]) -> Result<(), Self::Error>;
}

/// A related pair as a scan hands it to its sink.
#[derive(Debug)]
pub struct JudgedPair {
    /// The pair, by document ids (the order documents were added, from 0).
    pub related: Related,
    /// Its line of `pairs.jsonl` (ending in a newline): the compare JSON with alignment, or the
    /// sketch pair without.
    pub line: String,
    /// Its side-by-side page (a file name and its HTML), rendered when the sink wanted pages.
    pub rendered: Option<(String, String)>,
    /// Whether it has a page to show (a derivation that changed something), rendered or not.
    pub wants_page: bool,
}

/// A near-copy cluster: its members were each judged against its representative and stand for
/// one another. Serialized, it is a line of `clusters.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// Its number, from 1, in order of its representative's rank.
    pub cluster: usize,
    /// Where the member the others were judged against was read from.
    pub representative: String,
    /// Where all its members were read from, the representative included, in document order.
    pub members: Vec<String>,
}

/// The candidates of a scan: the pairs to judge and what was found on the way.
#[derive(Debug, Default)]
pub struct Candidates {
    /// The pairs to judge, by document ids, in order, with what their sketches share.
    pub pairs: Vec<(u32, u32, Shared)>,
    /// Candidate pairs found, in all (before the sketch check).
    pub found: usize,
    /// Found by each kind of key: the same text, MinHash LSH, shared anchors, shared rare names
    /// and numbers (a pair may be found by several).
    pub by_kind: [usize; 4],
    /// Keys held by over [`MAX_BUCKET`] documents (paired through their
    /// [`HUBS`](retrace_sketch::evidence::HUBS) first-ranked).
    pub oversized_keys: u64,
    /// Anchor postings taken out as site templates.
    pub templated: u64,
    /// Candidate pairs that pass the sketch check.
    pub related: usize,
    /// Pairs passing the check that are not judged: each stands judged through a cluster's
    /// representative.
    pub stood_for: u64,
    /// The near-copy clusters (none with [`JudgePairs::All`]).
    pub clusters: Vec<Cluster>,
}

impl Candidates {
    /// The candidates in one line, for a scan with `config`: `5 candidate pairs (1 same text,
    /// …); 3 share enough to align; 2 to judge, standing for 1 more (1 near-copy clusters)`.
    ///
    /// ```
    /// use retrace_engine::scan::{Candidates, ScanConfig};
    /// let found = Candidates { found: 1, by_kind: [1, 1, 0, 0], related: 1, ..Candidates::default() };
    /// assert!(found.line(&ScanConfig::default()).starts_with("1 candidate pair (1 same text,"));
    /// ```
    pub fn line(&self, config: &ScanConfig) -> String {
        use retrace_sketch::evidence::HUBS;
        let [same, lsh, anchors, names] = self.by_kind;
        format!(
            "{} ({same} same text, {lsh} MinHash LSH, {anchors} shared anchors, {names} shared \
             rare names and numbers; {} keys held by over {MAX_BUCKET} documents, paired through \
             their {HUBS} first-ranked; {} anchors of site templates); {} share enough to {}{}",
            crate::corpus::counted(self.found as u64, "candidate pair", "candidate pairs"),
            self.oversized_keys,
            self.templated,
            self.related,
            if config.alignment == AlignmentOutput::None {
                "be near-copies or excerpts by their sketches"
            } else {
                "align"
            },
            match config.judge {
                JudgePairs::All => String::new(),
                JudgePairs::Representatives => format!(
                    "; {} to judge, standing for {} more ({} near-copy clusters)",
                    self.pairs.len(),
                    self.stood_for,
                    self.clusters.len()
                ),
            }
        )
    }
}

/// What a scan found, in numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanSummary {
    /// Documents scanned.
    pub documents: usize,
    /// Candidate pairs found.
    pub candidates: usize,
    /// Pairs judged.
    pub judged: usize,
    /// Related pairs, by relation.
    pub by_relation: BTreeMap<&'static str, u64>,
    /// Related pairs, in all.
    pub related: usize,
    /// Stories.
    pub stories: usize,
}

impl ScanSummary {
    /// The summary in one line, with the `counts` of what was read: `3 documents read, 0
    /// skipped; 5 candidate pairs, 3 checked; 3 related pairs (1 duplicate, 1 excerpt, 1
    /// rewrite); 1 story`.
    pub fn line(&self, counts: &crate::corpus::Counts) -> String {
        use crate::corpus::counted;
        let relations = self
            .by_relation
            .iter()
            .map(|(relation, n)| format!("{n} {relation}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{} read, {} skipped; {}, {} checked; {} ({}); {}",
            counted(counts.articles, "document", "documents"),
            counts.skipped(),
            counted(self.candidates as u64, "candidate pair", "candidate pairs"),
            self.judged,
            counted(self.related as u64, "related pair", "related pairs"),
            if relations.is_empty() {
                "none"
            } else {
                &relations
            },
            counted(self.stories as u64, "story", "stories")
        )
    }
}

/// What the scan keeps of one document in memory: where it is, its sketch, and where the rest
/// (text, title, dates) is stored. A million documents are a million of these.
struct Doc {
    origin: Origin,
    format: Format,
    decoding: Decoding,
    /// A hash of its site, for `same_site` and site templates.
    site: Option<u64>,
    /// Boxed, so that the list of a million documents moves pointers when it grows.
    sketch: Box<Sketch>,
    /// Offset and length of its [`Stored`] record in the store.
    stored: (u64, usize),
    /// When it was published ([`represent::date_rank`]), which ranks it as a cluster's
    /// representative.
    published: Option<u64>,
}

/// A scan over documents added one by one; see the [module](self).
///
/// ```
/// use retrace_engine::Document;
/// use retrace_engine::scan::{JudgedPair, Scan, ScanConfig, ScanSink};
/// use retrace_judge::story::Story;
/// use retrace_span::Origin;
///
/// struct Kept(Vec<String>);
/// impl ScanSink for Kept {
///     type Error = retrace_engine::scan::Error;
///     fn pair(&mut self, pair: &JudgedPair) -> Result<Option<String>, Self::Error> {
///         self.0.push(pair.related.relation.to_string());
///         Ok(None)
///     }
///     fn stories(&mut self, _: &[Story]) -> Result<(), Self::Error> {
///         Ok(())
///     }
/// }
///
/// let text = "Storms cut power to 4,000 homes in Dunmore on Tuesday, and crews from three \
///             counties worked through the night to restore it before the schools reopened.";
/// let dir = tempfile::tempdir().unwrap();
/// let mut scan = Scan::new(ScanConfig::default(), dir.path()).unwrap();
/// for name in ["a.txt", "b.txt"] {
///     let raw = retrace_ingest::read_bytes(Origin::Path(name.into()), text.into(), None);
///     scan.add(Document::read(raw, scan.sketcher()).unwrap()).unwrap();
/// }
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// let mut kept = Kept(Vec::new());
/// let summary = scan.run(&pool, &mut kept).unwrap();
/// assert_eq!((kept.0, summary.stories), (vec!["duplicate".to_owned()], 1));
/// ```
pub struct Scan {
    config: ScanConfig,
    sketcher: Sketcher,
    docs: Vec<Doc>,
    store: Store,
}

impl std::fmt::Debug for Scan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scan")
            .field("config", &self.config)
            .field("documents", &self.docs.len())
            .finish_non_exhaustive()
    }
}

impl Scan {
    /// A scan with `config`, its temporary text store in `spill_dir` (removed with the scan).
    pub fn new(config: ScanConfig, spill_dir: &Path) -> Result<Scan, Error> {
        config.check().map_err(Error::Config)?;
        // Names and numbers find rewrites, which a pass without alignment does not look for
        // (the pair engine tells them apart from stories on one subject).
        let sketcher = steps::sketcher(config.alignment);
        Ok(Scan {
            config,
            sketcher,
            docs: Vec::new(),
            store: Store::create(spill_dir)?,
        })
    }

    /// The sketcher documents are to be read with ([`Document::read`]).
    pub fn sketcher(&self) -> &Sketcher {
        &self.sketcher
    }

    /// Documents added.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Where the document `id` (numbered from 0 in the order added) was read from.
    pub fn origin(&self, id: u32) -> &Origin {
        &self.docs[id as usize].origin
    }

    /// Adds a document (read with [`Scan::sketcher`]): its sketch stays in memory, its text
    /// goes to the store (only what the outputs show of it without alignment).
    pub fn add(&mut self, doc: Document) -> Result<(), Error> {
        let Document {
            raw,
            title,
            site,
            url: _,
            published,
            sketch,
            embedded: _,
        } = doc;
        if self.docs.len() >= u32::MAX as usize {
            return Err(Error::TooMany);
        }
        let rank_date = published.as_deref().map(represent::date_rank);
        // Only alignment reads the texts back: a pass without it stores what the outputs show
        // (at 1M documents, 6.5 GB of text not written).
        let keep_text = self.config.alignment != AlignmentOutput::None;
        let stored = self.store.append(&Stored {
            record: raw.record,
            title,
            published,
            text: if keep_text { raw.text } else { String::new() },
        })?;
        self.docs.push(Doc {
            origin: raw.origin,
            format: raw.format,
            decoding: raw.decoding,
            site: site.as_deref().map(retrace_sketch::evidence::site_key),
            sketch,
            stored,
            published: rank_date,
        });
        Ok(())
    }

    /// Phases 2 to 4 ([`Scan::candidates`], [`Scan::judge`], [`Scan::stories`]), each result
    /// handed to `sink`.
    pub fn run<S: ScanSink>(
        self,
        pool: &rayon::ThreadPool,
        sink: &mut S,
    ) -> Result<ScanSummary, S::Error> {
        let candidates = self.candidates(pool, &|progress| sink.progress(progress));
        sink.candidates(&candidates)?;
        let (related, by_relation) = self.judge(pool, &candidates.pairs, sink)?;
        sink.judged()?;
        let stories = self.stories(pool, &related)?;
        sink.stories(&stories)?;
        Ok(ScanSummary {
            documents: self.docs.len(),
            candidates: candidates.found,
            judged: candidates.pairs.len(),
            by_relation,
            related: related.len(),
            stories: stories.len(),
        })
    }

    /// Phase 2: the candidate pairs, checked by their sketches, and (with
    /// [`JudgePairs::Representatives`]) which of them to judge.
    pub fn candidates(
        &self,
        pool: &rayon::ThreadPool,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Candidates {
        let docs = &self.docs;
        let config = &self.config;
        let mut by_fingerprint: Vec<(u128, u32)> = Vec::with_capacity(docs.len());
        for (n, doc) in docs.iter().enumerate() {
            if doc.sketch.words > 0 {
                by_fingerprint.push((doc.sketch.fingerprint.0, n as u32));
            }
        }
        by_fingerprint.sort_unstable();
        // Each document's place in the order of representatives: buckets too large to pair
        // (a story with hundreds of copies) are paired through their first-ranked documents.
        let rank: Vec<u32> = pool.install(|| {
            let mut order: Vec<u32> = (0..docs.len() as u32).collect();
            order.par_sort_by_cached_key(|&d| representative_rank(&docs[d as usize]));
            let mut rank = vec![0u32; docs.len()];
            for (position, &d) in order.iter().enumerate() {
                rank[d as usize] = position as u32;
            }
            rank
        });
        let bands = Bands::for_threshold(config.threshold);
        // The band keys, made once (each part reads them all): 8 bytes a band and document,
        // and whether the document has any (an empty text has none; its row is zeros, never
        // read).
        let width = bands.bands();
        let (band_keys, keyed): (Vec<u64>, Vec<bool>) = pool.install(|| {
            let keyed = docs
                .par_iter()
                .map(|doc| !doc.sketch.minhash.is_empty())
                .collect();
            let mut flat = vec![0; docs.len() * width];
            flat.par_chunks_mut(width).zip(docs).for_each(|(row, doc)| {
                for (key, band_key) in row.iter_mut().zip(bands.keys(&doc.sketch.minhash)) {
                    *key = band_key;
                }
            });
            (flat, keyed)
        });
        let keys_progress =
            |what: &'static str| move |part, parts| progress(Progress::Keys { what, part, parts });
        let lsh = pool.install(|| {
            candidates_by_keys(
                docs,
                &rank,
                &|n| {
                    let keys = if keyed[n] {
                        &band_keys[n * width..(n + 1) * width]
                    } else {
                        &[]
                    };
                    Cow::Borrowed(keys)
                },
                &|_, _, _| true,
                false,
                POSTINGS_PER_PART,
                &keys_progress("LSH bands"),
            )
        });
        drop((band_keys, keyed));
        // Anchors: three shared, or a third of the anchors of a short text (an excerpt of a
        // hundred words has only a few).
        let anchored = pool.install(|| {
            candidates_by_keys(
                docs,
                &rank,
                &|n| Cow::Borrowed(&docs[n].sketch.anchors),
                &|a, b, shared| {
                    steps::keys_suffice(
                        KeyKind::Anchor,
                        &docs[a as usize].sketch,
                        &docs[b as usize].sketch,
                        shared as usize,
                    )
                },
                true,
                POSTINGS_PER_PART,
                &keys_progress("anchors"),
            )
        });
        // Names and numbers: rare in the corpus, yet shared by at least two documents.
        let mut df: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
        for doc in docs {
            for &term in &doc.sketch.terms {
                *df.entry(term).or_default() += 1;
            }
        }
        let max_df = MAX_BUCKET as u32;
        let named = pool.install(|| {
            candidates_by_keys(
                docs,
                &rank,
                &|n| {
                    Cow::Owned(pick_rare(
                        &docs[n].sketch.terms,
                        |term| df.get(&term).copied().unwrap_or(0),
                        RARE_TERMS,
                        max_df,
                    ))
                },
                &|a, b, shared| {
                    steps::keys_suffice(
                        KeyKind::Term,
                        &docs[a as usize].sketch,
                        &docs[b as usize].sketch,
                        shared as usize,
                    )
                },
                false,
                POSTINGS_PER_PART,
                &keys_progress("names and numbers"),
            )
        });
        drop(df);
        // Equal fingerprints: each group a star through its first-ranked document (20,000
        // copies of one text paired pair by pair were 200 million pairs and 17.1 GiB).
        let exact = candidates::exact_pairs(
            &by_fingerprint,
            &rank,
            &|d| docs[d as usize].site,
            config.same_site,
        );
        drop(by_fingerprint);
        let by_kind = [
            exact.len(),
            lsh.pairs.len(),
            anchored.pairs.len(),
            named.pairs.len(),
        ];
        let oversized_keys =
            lsh.oversized_buckets + anchored.oversized_buckets + named.oversized_buckets;
        let templated = anchored.templated;
        let mut pairs: Vec<(u32, u32)> = exact
            .into_iter()
            .chain(lsh.pairs)
            .chain(anchored.pairs)
            .chain(named.pairs)
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        if config.same_site {
            pairs.retain(|&(a, b)| {
                let (a, b) = (&docs[a as usize].site, &docs[b as usize].site);
                a.is_none() || a != b
            });
        }
        let found = pairs.len();
        progress(Progress::Checking(found));
        // The sketch check: what the pair engine (or, without alignment, the sketches alone)
        // can call related.
        let pairs: Vec<(u32, u32, Shared)> = pool.install(|| {
            pairs
                .par_iter()
                .filter_map(|&(a, b)| {
                    let (da, db) = (&docs[a as usize], &docs[b as usize]);
                    steps::sketch_check(&da.sketch, &db.sketch, config.alignment, config.threshold)
                        .map(|shared| (a, b, shared))
                })
                .collect()
        });
        let related = pairs.len();
        let (pairs, clusters, stood_for) = match config.judge {
            JudgePairs::All => (pairs, Vec::new(), 0),
            JudgePairs::Representatives => {
                let plan = represent::plan_by_sketches(
                    &pairs,
                    |d| &docs[d as usize].sketch,
                    |d| rank[d as usize],
                );
                let pairs = plan.judge.iter().map(|j| (j.a, j.b, j.shared)).collect();
                (pairs, plan.clusters, plan.stood_for)
            }
        };
        let origin = |id: u32| docs[id as usize].origin.to_string();
        Candidates {
            pairs,
            found,
            by_kind,
            oversized_keys,
            templated,
            related,
            stood_for,
            clusters: clusters
                .iter()
                .enumerate()
                .map(|(n, cluster)| Cluster {
                    cluster: n + 1,
                    representative: origin(cluster.representative),
                    members: cluster.members.iter().map(|&m| origin(m)).collect(),
                })
                .collect(),
        }
    }

    /// Phase 3: judges each of `pairs` (in chunks, each chunk's documents prepared once) and
    /// hands each related pair to `sink` in order. Returns the related pairs and their count
    /// by relation.
    #[allow(clippy::type_complexity)]
    pub fn judge<S: ScanSink>(
        &self,
        pool: &rayon::ThreadPool,
        pairs: &[(u32, u32, Shared)],
        sink: &mut S,
    ) -> Result<(Vec<Related>, BTreeMap<&'static str, u64>), S::Error> {
        let engine = self.engine();
        let mut related: Vec<Related> = Vec::new();
        let mut by_relation: BTreeMap<&'static str, u64> = BTreeMap::new();
        // Pairs come in chunks: each document of a chunk is extracted and analyzed once,
        // however many pairs it is in, and dropped with the chunk; each chunk's related pairs
        // go to the sink as soon as it is judged, and only their ids and relation are kept, so
        // memory stays bounded.
        for chunk in pairs.chunks(PAIR_CHUNK) {
            let prepared = if self.config.alignment == AlignmentOutput::None {
                BTreeMap::new()
            } else {
                let mut ids: Vec<u32> = chunk.iter().flat_map(|&(a, b, _)| [a, b]).collect();
                ids.sort_unstable();
                ids.dedup();
                let prepared: Vec<(u32, (RawDoc, crate::Prepared))> = pool.install(|| {
                    ids.par_iter()
                        .map(|&id| {
                            let raw = self.raw_doc(id)?;
                            let prepared = engine.prepare(&raw)?;
                            Ok((id, (raw, prepared)))
                        })
                        .collect::<Result<Vec<_>, Error>>()
                })?;
                prepared.into_iter().collect()
            };
            let pages = sink.wants_pages();
            let shared_sink: &S = sink;
            let chunk_judged = pool.install(|| {
                chunk
                    .par_iter()
                    .map(|&pair| {
                        let judged = self.judge_pair(&engine, &prepared, pair, pages);
                        shared_sink.progress(Progress::Judged);
                        judged
                    })
                    .collect::<Result<Vec<_>, Error>>()
            })?;
            for mut pair in chunk_judged.into_iter().flatten() {
                pair.related.page = sink.pair(&pair)?;
                *by_relation
                    .entry(pair.related.relation.as_str())
                    .or_default() += 1;
                related.push(pair.related);
            }
        }
        Ok((related, by_relation))
    }

    /// Phase 4: the stories of the `related` pairs where one document derives from the other
    /// (`same_story` pairs do not join stories), each with its claim ledger when the scan
    /// aligns.
    pub fn stories(
        &self,
        pool: &rayon::ThreadPool,
        related: &[Related],
    ) -> Result<Vec<Story>, Error> {
        let derived: Vec<&Related> = related
            .iter()
            .filter(|p| p.relation.joins_story())
            .collect();
        // The titles and dates of the documents in stories, from the store.
        let mut members: Vec<u32> = derived.iter().flat_map(|p| [p.a, p.b]).collect();
        members.sort_unstable();
        members.dedup();
        let shown: BTreeMap<u32, Shown> = members
            .into_iter()
            .map(|id| {
                let stored = self.store.read(self.docs[id as usize].stored)?;
                Ok((
                    id,
                    Shown {
                        origin: self.docs[id as usize].origin.to_string(),
                        title: stored.title,
                        published: stored.published,
                    },
                ))
            })
            .collect::<Result<_, Error>>()?;
        let mut stories = stories(&shown, &derived);
        if self.config.alignment != AlignmentOutput::None {
            let engine = self.engine();
            let ledgers = pool.install(|| {
                stories
                    .par_iter()
                    .map(|(_, ids)| self.story_ledger(&engine, ids))
                    .collect::<Result<Vec<_>, Error>>()
            })?;
            for ((story, _), ledger) in stories.iter_mut().zip(ledgers) {
                story.ledger = ledger;
            }
        }
        Ok(stories.into_iter().map(|(story, _)| story).collect())
    }

    /// The pair engine a scan judges with: lexical, with the scan's direction window.
    fn engine(&self) -> Engine {
        steps::engine(&self.config)
    }

    fn raw_doc(&self, id: u32) -> Result<RawDoc, Error> {
        let doc = &self.docs[id as usize];
        let stored = self.store.read(doc.stored)?;
        Ok(RawDoc {
            origin: doc.origin.clone(),
            text: stored.text,
            format: doc.format,
            decoding: doc.decoding,
            record: stored.record,
        })
    }

    /// The claim ledger of one story: each member analyzed once more (pairs were analyzed in
    /// parallel and not kept, to keep memory flat).
    fn story_ledger(
        &self,
        engine: &Engine,
        ids: &[u32],
    ) -> Result<Vec<retrace_judge::Claim>, Error> {
        steps::ledger(
            engine,
            ids.iter().map(|&id| {
                Ok((
                    self.docs[id as usize].origin.to_string(),
                    Cow::Owned(self.raw_doc(id)?),
                ))
            }),
        )
    }

    fn judge_pair(
        &self,
        engine: &Engine,
        prepared: &BTreeMap<u32, (RawDoc, crate::Prepared)>,
        (a, b, shared): (u32, u32, Shared),
        pages: bool,
    ) -> Result<Option<JudgedPair>, Error> {
        let alignment = self.config.alignment;
        let (da, db) = (&self.docs[a as usize], &self.docs[b as usize]);
        if alignment == AlignmentOutput::None {
            let (ta, tb) = (
                self.store.read(da.stored)?.title,
                self.store.read(db.stored)?.title,
            );
            let (oa, ob) = (da.origin.to_string(), db.origin.to_string());
            let Some((relation, direction, line)) = steps::sketch_pair(
                steps::SketchSide {
                    origin: &oa,
                    title: ta.as_deref(),
                    sketch: &da.sketch,
                },
                steps::SketchSide {
                    origin: &ob,
                    title: tb.as_deref(),
                    sketch: &db.sketch,
                },
                &shared,
                self.config.threshold,
            )?
            else {
                return Ok(None);
            };
            return Ok(Some(JudgedPair {
                related: steps::related(a, b, Link::Sketched(relation), direction),
                line,
                rendered: None,
                wants_page: false,
            }));
        }
        let (Some((raw_a, prepared_a)), Some((raw_b, prepared_b))) =
            (prepared.get(&a), prepared.get(&b))
        else {
            unreachable!("every document of a chunk is prepared before its pairs are judged");
        };
        let (alignment_ab, verdict) =
            engine.align_and_judge(&prepared_a.analyzed, &prepared_b.analyzed)?;
        let coverage = alignment_ab.coverage_a.max(alignment_ab.coverage_b);
        if verdict.relation == Relation::Unrelated || coverage < self.config.min_coverage {
            return Ok(None);
        }
        let report = PairReport {
            a: ReportDoc::new(&raw_a.text, &prepared_a.analyzed),
            b: ReportDoc::new(&raw_b.text, &prepared_b.analyzed),
            alignment: &alignment_ab,
            verdict: &verdict,
        };
        let line = pair_line(&report, alignment)?;
        let direction = verdict.source.map(|side| match side {
            Side::A => (a, b),
            Side::B => (b, a),
        });
        // Side-by-side pages for the derivations that changed something (`same_story` pairs
        // are in pairs.jsonl only: on a large corpus they are the many, and no story page links
        // them; a copy with no change has nothing to show side by side). Kept, or not, in order
        // by the sink.
        let shown = match verdict.relation {
            Relation::SameStory => false,
            Relation::Duplicate => !verdict.changes.is_empty(),
            _ => true,
        };
        let page = (shown && pages).then(|| {
            (
                format!("pair-{}-{}.html", a + 1, b + 1),
                retrace_report::html::render_compact(&report, "../report.html", "all stories"),
            )
        });
        Ok(Some(JudgedPair {
            related: Related {
                a,
                b,
                relation: Link::Judged(verdict.relation),
                direction,
                page: None,
            },
            line,
            rendered: page,
            wants_page: shown,
        }))
    }
}

/// A document's rank as a cluster's representative: the earliest published first (a date in
/// the text or the record; undated ones last), then the most complete text, then by origin
/// (the order `retrace index` breaks ties in too, whatever order it was given the documents).
fn representative_rank(doc: &Doc) -> (bool, Option<u64>, std::cmp::Reverse<u32>, String) {
    steps::rank_key(doc.published, doc.sketch.words, doc.origin.to_string())
}

/// A related pair's line of `pairs.jsonl` (ending in a newline): the compare JSON with the
/// runs of verbatim pairs, without the spans' text for [`AlignmentOutput::Spans`].
fn pair_line(report: &PairReport<'_>, alignment: AlignmentOutput) -> Result<String, Error> {
    let mut json = serde_json::to_value(CompareJson::with_verbatim_runs(report))?;
    if alignment == AlignmentOutput::Spans {
        strip_texts(&mut json);
    }
    Ok(serde_json::to_string(&json)? + "\n")
}

/// A pair of documents judged outside a scan, as a scan would judge it: what
/// [`compare_pair`] gives.
#[derive(Clone, Debug)]
pub struct PairLine {
    /// The relation ([`Relation::Unrelated`] included).
    pub relation: Relation,
    /// The source's side, when the direction is known.
    pub source: Option<Side>,
    /// The verdict's confidence.
    pub confidence: f32,
    /// The share of each side aligned with the other.
    pub coverage: (f64, f64),
    /// Its line of `pairs.jsonl` (with its newline), or `None` where a scan would not write it
    /// (unrelated, or less covered than `min_coverage`).
    pub line: Option<String>,
}

/// Judges one pair of records as a scan with `alignment` (not [`AlignmentOutput::None`]) and
/// `min_coverage` judges its pairs, with `engine`: the same relation and the same line of
/// `pairs.jsonl`. For engines that join a scan's pairs with their texts themselves (the
/// Spark job).
///
/// ```
/// use retrace_engine::scan::{AlignmentOutput, compare_pair};
/// use retrace_span::Origin;
/// let raw = |name: &str| {
///     let text = "Storms cut power to 4,000 homes in Dunmore on Tuesday, and crews from three \
///                 counties worked through the night to restore it before the schools reopened.";
///     retrace_ingest::read_bytes(Origin::Path(name.into()), text.into(), None).unwrap()
/// };
/// let engine = retrace_engine::Engine::lexical();
/// let pair = compare_pair(&engine, &raw("a.txt"), &raw("b.txt"), AlignmentOutput::Spans, 0.0).unwrap();
/// assert_eq!(pair.relation, retrace_judge::Relation::Duplicate);
/// assert!(pair.line.unwrap().contains(r#""relation":"duplicate""#));
/// ```
pub fn compare_pair(
    engine: &Engine,
    a: &RawDoc,
    b: &RawDoc,
    alignment: AlignmentOutput,
    min_coverage: f64,
) -> Result<PairLine, Error> {
    let (prepared_a, prepared_b) = (engine.prepare(a)?, engine.prepare(b)?);
    let (alignment_ab, verdict) =
        engine.align_and_judge(&prepared_a.analyzed, &prepared_b.analyzed)?;
    let coverage = (alignment_ab.coverage_a, alignment_ab.coverage_b);
    let written = verdict.relation != Relation::Unrelated
        && coverage.0.max(coverage.1) >= min_coverage
        && alignment != AlignmentOutput::None;
    let line = if written {
        let report = PairReport {
            a: ReportDoc::new(&a.text, &prepared_a.analyzed),
            b: ReportDoc::new(&b.text, &prepared_b.analyzed),
            alignment: &alignment_ab,
            verdict: &verdict,
        };
        Some(pair_line(&report, alignment)?)
    } else {
        None
    };
    Ok(PairLine {
        relation: verdict.relation,
        source: verdict.source,
        confidence: verdict.confidence,
        coverage,
        line,
    })
}

/// Drops the `text` of every span, keeping offsets and lines ([`AlignmentOutput::Spans`]).
fn strip_texts(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("start") && map.contains_key("end") {
                map.remove("text");
            }
            map.values_mut().for_each(strip_texts);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_texts),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text of `n` sentences, each naming a different place and count.
    fn story(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "The river council in Lisk{i} said {} families had moved after the storm on \
                     road number {}.",
                    i * 7 + 11,
                    i + 3
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Another story in other words, with one of the first story's phrases.
    fn other(n: usize) -> String {
        let mut text: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "A museum in Varn{i} opened its {} hall to visitors from Ostrava this week.",
                    i * 13 + 1000
                )
            })
            .collect();
        text.push("She said families had moved after the storm.".into());
        text.join(" ")
    }

    #[test]
    fn the_sketch_check_passes_excerpts_and_drops_a_shared_phrase() {
        let sketcher = Sketcher::default();
        let long = story(40);
        let excerpt: String = long.split(". ").take(8).collect::<Vec<_>>().join(". ");
        let (long, excerpt, other) = (
            sketcher.sketch(&long),
            sketcher.sketch(&excerpt),
            sketcher.sketch(&other(40)),
        );
        let shared = Shared::of(&long, &excerpt);
        assert!(shared.worth_aligning(), "{shared:?}");
        assert!(shared.anchors >= represent::CONTAINED_ANCHORS, "{shared:?}");
        let unrelated = Shared::of(&long, &other);
        assert!(!unrelated.worth_aligning(), "{unrelated:?}");
        let same = Shared::of(&long, &long);
        assert_eq!(same.minima, retrace_sketch::PERMUTATIONS);
        assert_eq!(same.jaccard(), 1.0);
    }

    /// Keeps the stories.
    struct Told(Vec<Story>);
    impl ScanSink for Told {
        type Error = Error;
        fn pair(&mut self, _: &JudgedPair) -> Result<Option<String>, Error> {
            Ok(None)
        }
        fn stories(&mut self, stories: &[Story]) -> Result<(), Error> {
            self.0 = stories.to_vec();
            Ok(())
        }
    }

    /// Issue 18: a text copied word for word N times is N - 1 candidate pairs of the same text
    /// (a star through the first-ranked copy; all pairs were N choose 2, and 20,000 copies took
    /// 17.1 GiB), and still one story of N members.
    #[test]
    fn exact_copies_are_a_star_of_pairs_and_one_story() {
        let text = story(30);
        let n = 260; // more than a bucket holds (MAX_BUCKET)
        for alignment in [AlignmentOutput::None, AlignmentOutput::Spans] {
            let dir = tempfile::tempdir().unwrap();
            let config = ScanConfig {
                alignment,
                ..ScanConfig::default()
            };
            let mut scan = Scan::new(config, dir.path()).unwrap();
            for i in 0..n {
                let origin = Origin::Path(format!("copy-{i:03}.txt").into());
                let raw = retrace_ingest::read_bytes(origin, text.clone().into_bytes(), None);
                scan.add(Document::read(raw, scan.sketcher()).unwrap())
                    .unwrap();
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap();
            let candidates = scan.candidates(&pool, &|_| {});
            assert_eq!(candidates.by_kind[0], n - 1);
            assert!(candidates.found < 4 * n, "{}", candidates.found);
            let mut told = Told(Vec::new());
            let summary = scan.run(&pool, &mut told).unwrap();
            assert_eq!(summary.stories, 1);
            assert_eq!(told.0[0].members.len(), n);
        }
    }

    #[test]
    fn empty_sketches_share_nothing() {
        let sketcher = Sketcher::default();
        let (a, b) = (sketcher.sketch("Hi."), sketcher.sketch("Yes."));
        let shared = Shared::of(&a, &b);
        assert_eq!(shared.minima, 0);
        assert!(!shared.worth_aligning());
    }
}
