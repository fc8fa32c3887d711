//! `retrace scan PATH... --out DIR`: every copy, excerpt and rewrite in a corpus, in stories.
//!
//! Phases: (1) read and extract every record (parallel batches, input order kept), keeping a
//! sketch per document in memory and its text in a temporary file in DIR; (2) candidate pairs:
//! equal fingerprints, shared LSH band keys (MinHash of word shingles: near-copies), shared
//! anchor shingles (excerpts), shared rare names and numbers (rewrites), then a sketch check
//! ([`Shared`]) that drops pairs sharing too little for reuse (a phrase and a few common names);
//! (3) each remaining pair read back, aligned and judged by the pair engine (lexical), or, with
//! `--alignment none`, related by its sketches alone (near-copies and excerpts); (4) stories:
//! connected components of the pairs where one text derives from the other, with a provenance
//! edge from source to derivative where the direction is known, and a claim ledger.
//!
//! Deterministic: documents are numbered in input order, pairs are judged in parallel but
//! written in order, so the same inputs give the same files at any thread count.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

use anyhow::Context;
use rayon::prelude::*;
use retrace_engine::{Document, Engine};
use retrace_ingest::{Decoding, Format, RawDoc, RecordMeta};
use retrace_judge::{Relation, Side};
use retrace_report::json::CompareJson;
use retrace_report::stories::{Edge, Member, Story};
use retrace_report::{PairReport, ReportDoc};
use retrace_sketch::evidence::{
    HUBS, MAX_BUCKET, RARE_TERMS, SITE_TEMPLATE_PAGES, Shared, anchors_suffice, names_suffice,
};
use retrace_sketch::{Bands, Sketch, Sketcher, candidate_pairs_through_hubs, pick_rare, represent};
use retrace_span::Origin;
use serde::Serialize;

use crate::args::{AlignmentOutput, JudgePairs, ScanArgs};
use crate::progress;
use crate::tally::{Tally, counted, expand_inputs, read_expanded};

/// Candidate pairs judged per chunk (their documents prepared once per chunk).
const PAIR_CHUNK: usize = 1024;

/// An alignment and its verdict.
struct Judgement {
    alignment: retrace_align::Alignment,
    verdict: retrace_judge::Verdict,
}

/// Side-by-side pages take at most the input's size (its files on disk, compressed or not)
/// divided by this, or [`PAGE_BUDGET_FLOOR`] where that is more: with pairs.jsonl (spans:
/// about a third of the text on a syndicated corpus) and the story pages, the output of a
/// large scan stays smaller than its input.
const PAGE_BUDGET_SHARE: u64 = 3;

/// Pages of a small corpus are all written: its pages cannot grow with the square of a story.
const PAGE_BUDGET_FLOOR: u64 = 8 << 20;

/// The folder of story and pair pages inside the output folder (next to `report.html`).
const REPORT_DIR: &str = "report";

/// What the scan keeps of one document in memory: where it is, its sketch, and where the rest
/// (text, title, dates) is stored. A million documents are a million of these.
struct Doc {
    origin: Origin,
    format: Format,
    decoding: Decoding,
    /// A hash of its site, for `--same-site`.
    site: Option<u64>,
    /// Boxed, so that the list of a million documents moves pointers when it grows.
    sketch: Box<Sketch>,
    /// Offset and length of its [`Stored`] record in the store.
    stored: (u64, usize),
    /// When it was published ([`represent::date_rank`]), which ranks it as a cluster's
    /// representative.
    published: Option<u64>,
}

/// Anchor postings without each site's template: in each anchor's bucket, the pages of a site
/// that holds it on [`SITE_TEMPLATE_PAGES`] pages or more are taken out (other sites' pages
/// that hold it stay, so a template copied elsewhere still counts there). Sorts the postings
/// and returns how many were taken out.
fn without_site_templates(postings: &mut Vec<(u64, u32)>, docs: &[Doc]) -> u64 {
    postings.sort_unstable();
    postings.dedup();
    let (mut write, mut start, mut taken) = (0, 0, 0u64);
    let mut sites: Vec<(u64, u32)> = Vec::new();
    let mut templated: Vec<u32> = Vec::new();
    // Bucket by bucket, the postings kept move down to `write`.
    while start < postings.len() {
        let key = postings[start].0;
        let end = start + postings[start..].partition_point(|&(k, _)| k == key);
        templated.clear();
        if end - start >= SITE_TEMPLATE_PAGES {
            sites.clear();
            sites.extend(
                postings[start..end]
                    .iter()
                    .filter_map(|&(_, doc)| docs[doc as usize].site.map(|site| (site, doc))),
            );
            sites.sort_unstable();
            templated.extend(
                sites
                    .chunk_by(|x, y| x.0 == y.0)
                    .filter(|pages| pages.len() >= SITE_TEMPLATE_PAGES)
                    .flat_map(|pages| pages.iter().map(|&(_, doc)| doc)),
            );
            templated.sort_unstable();
        }
        for at in start..end {
            if templated.binary_search(&postings[at].1).is_ok() {
                taken += 1;
            } else {
                postings[write] = postings[at];
                write += 1;
            }
        }
        start = end;
    }
    postings.truncate(write);
    taken
}

/// Postings of one part while finding candidates (16 bytes each): keys are split into parts by
/// their value, so that a million documents' tens of millions of anchor postings never sit in
/// memory together. Two parts at a time (one a thread on two cores) hold what one part of 4M
/// held before they ran in parallel (1M documents: peak 1.87 GB with parts of 4M, 1.70 GB
/// one at a time).
const POSTINGS_PER_PART: usize = 2 << 20;

/// The part of `parts` that a key (a hash) goes to: its place in `0..parts` scaled by its
/// value (a multiply, where `key % parts` took a division per posting and part).
fn part_of(key: u64, parts: u64) -> u64 {
    ((u128::from(key) * u128::from(parts)) >> 64) as u64
}

/// Documents whose postings one task gathers (one list for all of them).
const DOCS_PER_TASK: usize = 4096;

/// Candidates through one kind of key, with the postings taken out as site templates.
struct Keyed {
    pairs: Vec<(u32, u32)>,
    shared: Vec<u32>,
    oversized_buckets: u64,
    templated: u64,
}

/// The pairs of documents that share enough of their `keys` ([`retrace_sketch::candidate_pairs`] over the
/// corpus): `keep(a, b, shared)` says which, given how many keys they share. Found part by
/// part: each part holds the postings of the keys that [`part_of`] gives it, its pairs are
/// found with the keys they share in it, and the counts of all parts are added up at the end
/// (only kept pairs are collected: a million documents have tens of millions of pairs sharing
/// one anchor). With `templates`, each site's template keys are taken out first
/// ([`without_site_templates`]). A part holds about `per_part` postings
/// ([`POSTINGS_PER_PART`]); parts are worked on in parallel, as many at a time as there are
/// threads.
fn candidates_by_keys<'k>(
    docs: &[Doc],
    rank: &[u32],
    keys: &(dyn Fn(usize) -> Cow<'k, [u64]> + Sync),
    keep: &dyn Fn(u32, u32, u32) -> bool,
    templates: bool,
    per_part: usize,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Keyed {
    let total: usize = (0..docs.len()).into_par_iter().map(|n| keys(n).len()).sum();
    let parts = total.div_ceil(per_part.max(1)).max(1) as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    // Each pair once per key it shares in a part, packed into a `u64` (8 bytes a share, where a
    // pair and its count took 12): at a million documents this list is the peak of the scan.
    // Parts add theirs as they finish; the order is undone by the sort below.
    let all: Mutex<Vec<u64>> = Mutex::new(Vec::new());
    let counts: Vec<(u64, u64)> = (0..parts)
        .into_par_iter()
        .map(|part| {
            let mut postings: Vec<(u64, u32)> = docs
                .par_chunks(DOCS_PER_TASK)
                .enumerate()
                .flat_map_iter(|(chunk, chunk_docs)| {
                    let mut postings = Vec::new();
                    for i in 0..chunk_docs.len() {
                        let n = chunk * DOCS_PER_TASK + i;
                        for &key in keys(n).iter() {
                            if part_of(key, parts) == part {
                                postings.push((key, n as u32));
                            }
                        }
                    }
                    postings
                })
                .collect();
            // Sorted here on every thread; the sorts below then find them in order.
            postings.par_sort_unstable();
            let templated = if templates {
                without_site_templates(&mut postings, docs)
            } else {
                0
            };
            let found = candidate_pairs_through_hubs(
                postings,
                1,
                MAX_BUCKET,
                &|doc| rank[doc as usize],
                HUBS,
            );
            {
                let mut all = all.lock().unwrap_or_else(|p| p.into_inner());
                all.reserve_exact(found.shared.iter().map(|&n| n as usize).sum());
                for (&(a, b), &n) in found.pairs.iter().zip(&found.shared) {
                    all.extend(std::iter::repeat_n(
                        (u64::from(a) << 32) | u64::from(b),
                        n as usize,
                    ));
                }
            }
            progress(
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                parts,
            );
            (found.oversized_buckets, templated)
        })
        .collect();
    let oversized_buckets = counts.iter().map(|&(n, _)| n).sum();
    let templated = counts.iter().map(|&(_, n)| n).sum();
    let mut all = all.into_inner().unwrap_or_else(|p| p.into_inner());
    all.par_sort_unstable();
    let mut keyed = Keyed {
        pairs: Vec::new(),
        shared: Vec::new(),
        oversized_buckets,
        templated,
    };
    for same in all.chunk_by(|x, y| x == y) {
        let shared = same.len() as u32;
        let (a, b) = ((same[0] >> 32) as u32, same[0] as u32);
        if keep(a, b, shared) {
            keyed.pairs.push((a, b));
            keyed.shared.push(shared);
        }
    }
    keyed
}

/// What the store holds of one document: its text and what the reports show of it.
#[derive(Debug, Default, PartialEq)]
struct Stored {
    record: RecordMeta,
    title: Option<String>,
    published: Option<String>,
    text: String,
}

impl Stored {
    /// Its fields, each as a little-endian `u32` length (`u32::MAX` for none) and the bytes.
    fn encode(&self) -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.text.len() + 256);
        let RecordMeta {
            id,
            url,
            title,
            date,
            fetched,
        } = &self.record;
        for field in [id, url, title, date, fetched, &self.title, &self.published] {
            put(&mut out, field.as_deref())?;
        }
        put(&mut out, Some(&self.text))?;
        Ok(out)
    }

    fn decode(bytes: &[u8]) -> anyhow::Result<Stored> {
        let mut rest = bytes;
        let mut fields = Vec::with_capacity(8);
        for _ in 0..8 {
            let (len, tail) = rest
                .split_first_chunk::<4>()
                .context("the temporary text store is corrupt")?;
            let len = u32::from_le_bytes(*len);
            if len == u32::MAX {
                fields.push(None);
                rest = tail;
                continue;
            }
            let (field, tail) = tail
                .split_at_checked(len as usize)
                .context("the temporary text store is corrupt")?;
            fields.push(Some(
                String::from_utf8(field.to_vec()).context("the temporary text store is corrupt")?,
            ));
            rest = tail;
        }
        let mut fields = fields.into_iter();
        let mut next = || fields.next().flatten();
        Ok(Stored {
            record: RecordMeta {
                id: next(),
                url: next(),
                title: next(),
                date: next(),
                fetched: next(),
            },
            title: next(),
            published: next(),
            text: next().unwrap_or_default(),
        })
    }
}

/// Appends one length-prefixed field.
fn put(out: &mut Vec<u8>, field: Option<&str>) -> anyhow::Result<()> {
    match field {
        None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
        Some(text) => {
            let len = u32::try_from(text.len())
                .ok()
                .filter(|&len| len != u32::MAX)
                .context("a document of 4 GB or more")?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(text.as_bytes());
        }
    }
    Ok(())
}

/// The documents' texts and metadata, in a temporary file that disappears with the scan.
/// Appends are gathered in memory and written a megabyte at a time.
struct Store {
    file: Mutex<StoreFile>,
    end: u64,
}

struct StoreFile {
    file: File,
    /// Appended bytes not yet written, which start at `written`.
    pending: Vec<u8>,
    written: u64,
}

impl StoreFile {
    fn write_pending(&mut self) -> anyhow::Result<()> {
        self.file.seek(SeekFrom::Start(self.written))?;
        self.file
            .write_all(&self.pending)
            .context("cannot write the temporary text store")?;
        self.written += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }
}

/// Bytes gathered before the store writes them out.
const STORE_BUFFER: usize = 1 << 20;

impl Store {
    fn create(dir: &std::path::Path) -> anyhow::Result<Store> {
        let file = tempfile::tempfile_in(dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        Ok(Store {
            file: Mutex::new(StoreFile {
                file,
                pending: Vec::with_capacity(STORE_BUFFER),
                written: 0,
            }),
            end: 0,
        })
    }

    fn append(&mut self, stored: &Stored) -> anyhow::Result<(u64, usize)> {
        let bytes = stored.encode()?;
        let file = self.file.get_mut().unwrap_or_else(|p| p.into_inner());
        file.pending.extend_from_slice(&bytes);
        if file.pending.len() >= STORE_BUFFER {
            file.write_pending()?;
        }
        let at = self.end;
        self.end += bytes.len() as u64;
        Ok((at, bytes.len()))
    }

    fn read(&self, (at, len): (u64, usize)) -> anyhow::Result<Stored> {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if at + len as u64 > file.written {
            file.write_pending()?;
        }
        file.file.seek(SeekFrom::Start(at))?;
        let mut bytes = vec![0; len];
        file.file
            .read_exact(&mut bytes)
            .context("cannot read the temporary text store")?;
        Stored::decode(&bytes)
    }
}

/// Marks an output folder as a scan's: a later scan into it may replace what it holds.
const OUTPUT_MARK: &str = ".retrace-scan";

/// Makes the output folder ready: created if missing; the pages of a scan written there before
/// removed (its `pairs.jsonl`, `stories.jsonl`, `skipped.jsonl` and `report.html` are
/// overwritten), so that the report never links pages of another run. A `report/` folder
/// that no scan wrote is left alone and the scan refused.
fn prepare_output(out: &Path) -> anyhow::Result<()> {
    let create = || format!("cannot create the output folder {}", out.display());
    let pages = out.join(REPORT_DIR);
    let mark = out.join(OUTPUT_MARK);
    if pages.exists() {
        if !mark.exists() {
            anyhow::bail!(
                "{} exists and was not written by retrace scan; choose another --out folder or \
                 remove it",
                pages.display()
            );
        }
        for entry in std::fs::read_dir(&pages).with_context(create)? {
            let path = entry.with_context(create)?.path();
            if path.extension().is_some_and(|ext| ext == "html") {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove the old page {}", path.display()))?;
            }
        }
    }
    std::fs::create_dir_all(&pages).with_context(create)?;
    std::fs::write(
        &mark,
        "This folder holds the output of `retrace scan`; a later scan into it replaces it.\n",
    )
    .with_context(create)?;
    Ok(())
}

pub(crate) fn run(args: ScanArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let clock = || format!("{:.1} s", started.elapsed().as_secs_f64());
    let options = args.input.options()?;
    if !(0.0..=1.0).contains(&args.threshold) || args.threshold == 0.0 {
        anyhow::bail!("--threshold must be above 0 and at most 1");
    }
    if !(0.0..=1.0).contains(&args.min_coverage) {
        anyhow::bail!("--min-coverage must be between 0 and 1");
    }
    // Before anything is written: a run over nothing readable leaves the output as it was.
    let expanded = expand_inputs(&args.paths)?;
    prepare_output(&args.out)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let mut tally = Tally::new(Some(&args.out.join("skipped.jsonl")))?;
    let mut store = Store::create(&args.out)?;
    // Names and numbers find rewrites, which a pass without alignment does not look for (the
    // pair engine tells them apart from stories on one subject).
    let sketcher = Sketcher::default().with_terms(args.alignment != AlignmentOutput::None);
    // Only alignment reads the texts back: a pass without it stores what the outputs show
    // (at 1M documents, 6.5 GB of text not written).
    let keep_texts = args.alignment != AlignmentOutput::None;

    // Phase 1: read, extract, sketch.
    let mut docs: Vec<Doc> = Vec::new();
    let reading = progress::spinner("read");
    let mut bytes_read = 0u64;
    read_expanded(
        &expanded,
        &options,
        &pool,
        &mut tally,
        |item| Document::read(item, &sketcher),
        |tally, item| {
            match item {
                Ok(found) => {
                    let Document {
                        raw,
                        title,
                        site,
                        url: _,
                        published,
                        sketch,
                        embedded,
                    } = found;
                    tally.documents += 1;
                    tally.articles += 1;
                    tally.embedded += embedded as u64;
                    bytes_read += raw.text.len() as u64;
                    let rank_date = published.as_deref().map(represent::date_rank);
                    let stored = store.append(&Stored {
                        record: raw.record,
                        title,
                        published,
                        text: if keep_texts { raw.text } else { String::new() },
                    })?;
                    docs.push(Doc {
                        origin: raw.origin,
                        format: raw.format,
                        decoding: raw.decoding,
                        site: site.as_deref().map(retrace_sketch::evidence::site_key),
                        sketch,
                        stored,
                        published: rank_date,
                    });
                }
                Err(skip) => tally.skip_record(&skip)?,
            }
            reading.set_position(tally.documents);
            reading.set_message(format!(
                "{} articles, {:.1} MB, {} skipped",
                tally.articles,
                bytes_read as f64 / 1e6,
                tally.skipped()
            ));
            Ok(())
        },
    )?;
    reading.finish_and_clear();
    tally.finish()?;
    eprintln!("retrace scan: [{}] read {}", clock(), tally.summary());

    // Phase 2: candidates.
    let ids = |n: usize| u32::try_from(n).context("more than 4 billion documents");
    let mut by_fingerprint: Vec<(u128, u32)> = Vec::with_capacity(docs.len());
    for (n, doc) in docs.iter().enumerate() {
        if doc.sketch.words > 0 {
            by_fingerprint.push((doc.sketch.fingerprint.0, ids(n)?));
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
    let finding = progress::steps("pairs");
    let bands = Bands::for_threshold(args.threshold);
    // The band keys, made once (each part reads them all): 8 bytes a band and document, and
    // whether the document has any (an empty text has none; its row is zeros, never read).
    let width = bands.bands();
    let (band_keys, keyed): (Vec<u64>, Vec<bool>) = pool.install(|| {
        let keyed = docs
            .par_iter()
            .map(|doc| !doc.sketch.minhash.is_empty())
            .collect();
        let mut flat = vec![0; docs.len() * width];
        flat.par_chunks_mut(width)
            .zip(&docs)
            .for_each(|(row, doc)| {
                for (key, band_key) in row.iter_mut().zip(bands.keys(&doc.sketch.minhash)) {
                    *key = band_key;
                }
            });
        (flat, keyed)
    });
    let lsh = pool.install(|| {
        candidates_by_keys(
            &docs,
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
            &|part, parts| finding.set_message(format!("LSH bands, part {part} of {parts}")),
        )
    });
    drop((band_keys, keyed));
    // Anchors: three shared, or a third of the anchors of a short text (an excerpt of a hundred
    // words has only a few).
    let anchored = pool.install(|| {
        candidates_by_keys(
            &docs,
            &rank,
            &|n| Cow::Borrowed(&docs[n].sketch.anchors),
            &|a, b, shared| {
                anchors_suffice(
                    &docs[a as usize].sketch,
                    &docs[b as usize].sketch,
                    shared as usize,
                )
            },
            true,
            POSTINGS_PER_PART,
            &|part, parts| finding.set_message(format!("anchors, part {part} of {parts}")),
        )
    });
    let templated = anchored.templated;
    // Names and numbers: rare in the corpus, yet shared by at least two documents.
    let mut df: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for doc in &docs {
        for &term in &doc.sketch.terms {
            *df.entry(term).or_default() += 1;
        }
    }
    let max_df = MAX_BUCKET as u32;
    let named = pool.install(|| {
        candidates_by_keys(
            &docs,
            &rank,
            &|n| {
                Cow::Owned(pick_rare(
                    &docs[n].sketch.terms,
                    |term| df.get(&term).copied().unwrap_or(0),
                    RARE_TERMS,
                    max_df,
                ))
            },
            // Names alone are weak evidence: see `names_suffice`.
            &|a, b, shared| {
                names_suffice(
                    &docs[a as usize].sketch,
                    &docs[b as usize].sketch,
                    shared as usize,
                )
            },
            false,
            POSTINGS_PER_PART,
            &|part, parts| {
                finding.set_message(format!("names and numbers, part {part} of {parts}"))
            },
        )
    });
    drop(df);
    let mut exact = Vec::new();
    for group in by_fingerprint.chunk_by(|x, y| x.0 == y.0) {
        for (i, &(_, a)) in group.iter().enumerate() {
            for &(_, b) in &group[i + 1..] {
                exact.push((a, b));
            }
        }
    }
    drop(by_fingerprint);
    let counts = [
        exact.len(),
        lsh.pairs.len(),
        anchored.pairs.len(),
        named.pairs.len(),
    ];
    let oversized = lsh.oversized_buckets + anchored.oversized_buckets + named.oversized_buckets;
    let mut pairs: Vec<(u32, u32)> = exact
        .into_iter()
        .chain(lsh.pairs)
        .chain(anchored.pairs)
        .chain(named.pairs)
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    if args.same_site {
        pairs.retain(|&(a, b)| {
            let (a, b) = (&docs[a as usize].site, &docs[b as usize].site);
            a.is_none() || a != b
        });
    }
    let candidates = pairs.len();
    finding.set_message(format!("checking {candidates} candidate pairs"));
    // The sketch check: what the pair engine (or, without alignment, the sketches alone) can
    // call related.
    let pairs: Vec<(u32, u32, Shared)> = pool.install(|| {
        pairs
            .par_iter()
            .map(|&(a, b)| {
                (
                    a,
                    b,
                    Shared::of(&docs[a as usize].sketch, &docs[b as usize].sketch),
                )
            })
            .filter(|(a, b, shared)| {
                if args.alignment == AlignmentOutput::None {
                    sketch_relation(
                        &docs[*a as usize],
                        &docs[*b as usize],
                        shared,
                        args.threshold,
                    )
                    .is_some()
                } else {
                    shared.worth_aligning()
                        || docs[*a as usize].sketch.fingerprint
                            == docs[*b as usize].sketch.fingerprint
                }
            })
            .collect()
    });
    let related_candidates = pairs.len();
    let (pairs, clusters, stood_for) = match args.judge {
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
    finding.finish_and_clear();
    eprintln!(
        "retrace scan: [{}] {} ({} same text, {} MinHash LSH, {} shared anchors, {} shared rare \
         names and numbers; {oversized} keys held by over {MAX_BUCKET} documents, paired \
         through their {HUBS} first-ranked; {templated} anchors of site templates); {related_candidates} share enough to {}{}",
        clock(),
        counted(candidates as u64, "candidate pair", "candidate pairs"),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        if args.alignment == AlignmentOutput::None {
            "be near-copies or excerpts by their sketches"
        } else {
            "align"
        },
        match args.judge {
            JudgePairs::All => String::new(),
            JudgePairs::Representatives => format!(
                "; {} to judge, standing for {stood_for} more ({} near-copy clusters)",
                pairs.len(),
                clusters.len()
            ),
        }
    );

    write_clusters(&args.out, &docs, &clusters)?;

    // Phase 3: judge each candidate pair.
    let engine = Engine::lexical().with_judge(retrace_judge::Judge::with_direction_window(
        args.direction_window,
    ));
    let aligning = progress::bar("align", pairs.len() as u64);
    let mut related: Vec<Judged> = Vec::new();
    let mut out = BufWriter::new(
        File::create(args.out.join("pairs.jsonl")).context("cannot create pairs.jsonl")?,
    );
    let mut by_relation: BTreeMap<&'static str, u64> = BTreeMap::new();
    // Side-by-side pages, in pair order, until the first that would pass a third of the
    // input's size (its files on disk, compressed or not; with standard input among them, the
    // bytes read): the report is a view of the input, not larger than it (a story of 500
    // copies would otherwise write 500 pages of the article). The others are drawn on demand
    // by `retrace compare`, as each story page says.
    let on_disk: Option<u64> = expanded
        .inputs
        .iter()
        .map(|input| match input {
            retrace_ingest::Input::Path(path) => std::fs::metadata(path).ok().map(|m| m.len()),
            retrace_ingest::Input::Stdin => None,
        })
        .sum();
    let input_bytes = on_disk.unwrap_or(bytes_read);
    let mut page_budget = (input_bytes / PAGE_BUDGET_SHARE).max(PAGE_BUDGET_FLOOR);
    let mut pages_over_budget = 0u64;
    let mut pages_open = true;
    // Pairs come in chunks: each document of a chunk is extracted and analyzed once, however
    // many pairs it is in, and dropped with the chunk; each chunk's related pairs are written
    // as soon as it is judged, and only their ids and relation are kept, so memory stays bounded.
    for chunk in pairs.chunks(PAIR_CHUNK) {
        let prepared = if args.alignment == AlignmentOutput::None {
            BTreeMap::new()
        } else {
            let mut ids: Vec<u32> = chunk.iter().flat_map(|&(a, b, _)| [a, b]).collect();
            ids.sort_unstable();
            ids.dedup();
            let prepared: Vec<(u32, (RawDoc, retrace_engine::Prepared))> = pool.install(|| {
                ids.par_iter()
                    .map(|&id| {
                        let raw = raw_doc(&docs[id as usize], &store)?;
                        let prepared = engine.prepare(&raw)?;
                        Ok((id, (raw, prepared)))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()
            })?;
            prepared.into_iter().collect()
        };
        let chunk_judged = pool.install(|| {
            chunk
                .par_iter()
                .map(|&(a, b, shared)| {
                    let judged = judge(
                        &engine,
                        &prepared,
                        &docs,
                        &store,
                        (a, b, shared),
                        &args,
                        pages_open,
                    );
                    aligning.inc(1);
                    judged
                })
                .collect::<anyhow::Result<Vec<_>>>()
        })?;
        for mut pair in chunk_judged.into_iter().flatten() {
            out.write_all(pair.line.as_bytes())
                .context("cannot write pairs.jsonl")?;
            match pair.rendered.take() {
                Some((name, html)) if pages_open && html.len() as u64 <= page_budget => {
                    page_budget -= html.len() as u64;
                    let path = args.out.join(REPORT_DIR).join(&name);
                    std::fs::write(&path, html)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    pair.page = Some(name);
                }
                Some(_) => {
                    // The first page past the budget closes it: later chunks render none.
                    pages_open = false;
                    pages_over_budget += 1;
                }
                None if pair.wants_page => pages_over_budget += 1,
                None => {}
            }
            *by_relation.entry(pair.relation).or_default() += 1;
            pair.line = String::new();
            related.push(pair);
        }
    }
    out.flush().context("cannot write pairs.jsonl")?;
    aligning.finish_and_clear();
    let pages = related.iter().filter(|p| p.page.is_some()).count() as u64;
    eprintln!(
        "retrace scan: [{}] {} judged; {} written{}",
        clock(),
        counted(pairs.len() as u64, "pair", "pairs"),
        counted(pages, "side-by-side page", "side-by-side pages"),
        if pages_over_budget > 0 {
            format!(
                ", {pages_over_budget} more left out to keep them within a third of the \
                 input's size (each story page gives the `retrace compare` command that draws them)"
            )
        } else {
            String::new()
        }
    );

    // Phase 4: stories.
    let derived: Vec<&Judged> = related
        .iter()
        .filter(|p| p.relation != "same_story")
        .collect();
    // The titles and dates of the documents in stories, from the store.
    let mut members: Vec<u32> = derived.iter().flat_map(|p| [p.a, p.b]).collect();
    members.sort_unstable();
    members.dedup();
    let shown: BTreeMap<u32, Shown> = members
        .into_iter()
        .map(|id| {
            let stored = store.read(docs[id as usize].stored)?;
            Ok((
                id,
                Shown {
                    origin: docs[id as usize].origin.to_string(),
                    title: stored.title,
                    published: stored.published,
                },
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut stories = stories(&shown, &derived);
    if args.alignment != AlignmentOutput::None {
        let ledgers = pool.install(|| {
            stories
                .par_iter()
                .map(|(_, ids)| story_ledger(&engine, &store, &docs, ids))
                .collect::<anyhow::Result<Vec<_>>>()
        })?;
        for ((story, _), ledger) in stories.iter_mut().zip(ledgers) {
            story.ledger = ledger;
        }
    }
    let stories: Vec<Story> = stories.into_iter().map(|(story, _)| story).collect();
    let mut out = BufWriter::new(
        File::create(args.out.join("stories.jsonl")).context("cannot create stories.jsonl")?,
    );
    for story in &stories {
        serde_json::to_writer(&mut out, story)?;
        out.write_all(b"\n")?;
    }
    out.flush().context("cannot write stories.jsonl")?;
    let relations = by_relation
        .iter()
        .map(|(relation, n)| format!("{n} {relation}"))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = format!(
        "{} read, {} skipped; {}, {} checked; {} ({}); {}",
        counted(tally.articles, "document", "documents"),
        tally.skipped(),
        counted(candidates as u64, "candidate pair", "candidate pairs"),
        pairs.len(),
        counted(related.len() as u64, "related pair", "related pairs"),
        if relations.is_empty() {
            "none"
        } else {
            &relations
        },
        counted(stories.len() as u64, "story", "stories")
    );
    write_report(&args.out, &stories, &summary)?;
    eprintln!(
        "retrace scan: [{}] {summary}; written to {} (open report.html)",
        clock(),
        args.out.display()
    );
    Ok(())
}

/// One line of clusters.jsonl: a near-copy cluster, whose members were each judged against its
/// representative (their pairs in pairs.jsonl) and stand for one another.
#[derive(Serialize)]
struct ClusterLine {
    cluster: usize,
    representative: String,
    members: Vec<String>,
}

/// clusters.jsonl: one line per near-copy cluster (none with `--judge all`).
fn write_clusters(out: &Path, docs: &[Doc], clusters: &[represent::Cluster]) -> anyhow::Result<()> {
    let path = out.join("clusters.jsonl");
    let mut file = BufWriter::new(
        File::create(&path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    for (n, cluster) in clusters.iter().enumerate() {
        let line = ClusterLine {
            cluster: n + 1,
            representative: docs[cluster.representative as usize].origin.to_string(),
            members: cluster
                .members
                .iter()
                .map(|&m| docs[m as usize].origin.to_string())
                .collect(),
        };
        serde_json::to_writer(&mut file, &line)?;
        file.write_all(b"\n")?;
    }
    file.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The claim ledger of one story: each member analyzed once more (pairs were analyzed in
/// parallel and not kept, to keep memory flat).
fn story_ledger(
    engine: &Engine,
    store: &Store,
    docs: &[Doc],
    ids: &[u32],
) -> anyhow::Result<Vec<retrace_judge::Claim>> {
    let mut prepared = Vec::with_capacity(ids.len());
    for &id in ids {
        let doc = &docs[id as usize];
        prepared.push((
            doc.origin.to_string(),
            engine.prepare(&raw_doc(doc, store)?)?,
        ));
    }
    let named: Vec<(String, &retrace_text::Analyzed)> = prepared
        .iter()
        .map(|(name, p)| (name.clone(), &p.analyzed))
        .collect();
    Ok(retrace_judge::ledger(&named))
}

/// `report.html` and a page per story in `report/`.
fn write_report(out: &std::path::Path, stories: &[Story], summary: &str) -> anyhow::Result<()> {
    let index = out.join("report.html");
    std::fs::write(&index, retrace_report::stories::index(stories, summary))
        .with_context(|| format!("cannot write {}", index.display()))?;
    for story in stories {
        let page = out
            .join(REPORT_DIR)
            .join(retrace_report::stories::story_page(story.id));
        std::fs::write(&page, retrace_report::stories::story(story))
            .with_context(|| format!("cannot write {}", page.display()))?;
    }
    Ok(())
}

/// What stories show of a member.
pub(crate) struct Shown {
    pub(crate) origin: String,
    pub(crate) title: Option<String>,
    pub(crate) published: Option<String>,
}

/// One related pair, ready to write.
pub(crate) struct Judged {
    pub(crate) a: u32,
    pub(crate) b: u32,
    pub(crate) relation: &'static str,
    /// The source's and the derivative's ids, when the direction is known.
    pub(crate) direction: Option<(u32, u32)>,
    /// Its line of pairs.jsonl (emptied once written).
    pub(crate) line: String,
    /// Its side-by-side page in the report folder, when one was written.
    pub(crate) page: Option<String>,
    /// Its page's name and HTML, rendered and not yet written (emptied once written).
    pub(crate) rendered: Option<(String, String)>,
    /// Whether it would have a page, had the report's budget room for it.
    pub(crate) wants_page: bool,
}

/// A document's rank as a cluster's representative: the earliest published first (a date in
/// the text or the record; undated ones last), then the most complete text, then by origin
/// (the order `retrace index` breaks ties in too, whatever order it was given the documents).
fn representative_rank(doc: &Doc) -> (bool, Option<u64>, std::cmp::Reverse<u32>, String) {
    (
        doc.published.is_none(),
        doc.published,
        std::cmp::Reverse(doc.sketch.words),
        doc.origin.to_string(),
    )
}

/// A sketch-only pair (`--alignment none`): its relation as the sketches tell it (`duplicate`,
/// `excerpt`, or `similar` for a shingle Jaccard over `--threshold`), the source side when
/// known, the estimated shingle Jaccard, and the estimated share of the shorter text found in
/// the longer.
#[derive(Serialize)]
struct SketchPair<'a> {
    a: SketchDoc<'a>,
    b: SketchDoc<'a>,
    relation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
    jaccard: f64,
    containment: f64,
}

#[derive(Serialize)]
struct SketchDoc<'a> {
    origin: String,
    title: Option<&'a str>,
}

fn raw_doc(doc: &Doc, store: &Store) -> anyhow::Result<RawDoc> {
    let stored = store.read(doc.stored)?;
    Ok(RawDoc {
        origin: doc.origin.clone(),
        text: stored.text,
        format: doc.format,
        decoding: doc.decoding,
        record: stored.record,
    })
}

/// The relation of a pair by its sketches alone (`--alignment none`), with the source's side
/// where the sketches tell it (the longer text holds the excerpt).
fn sketch_relation(
    da: &Doc,
    db: &Doc,
    shared: &Shared,
    threshold: f64,
) -> Option<(&'static str, Option<Side>)> {
    if represent::near_copies(&da.sketch, &db.sketch, shared) {
        Some(("duplicate", None))
    } else if represent::contained(&da.sketch, &db.sketch, shared) {
        let longer = if da.sketch.words > db.sketch.words {
            Side::A
        } else {
            Side::B
        };
        Some(("excerpt", Some(longer)))
    } else if shared.jaccard() >= threshold {
        Some(("similar", None))
    } else {
        None
    }
}

fn judge(
    engine: &Engine,
    prepared: &BTreeMap<u32, (RawDoc, retrace_engine::Prepared)>,
    docs: &[Doc],
    store: &Store,
    (a, b, shared): (u32, u32, Shared),
    args: &ScanArgs,
    pages: bool,
) -> anyhow::Result<Option<Judged>> {
    let alignment = args.alignment;
    let (da, db) = (&docs[a as usize], &docs[b as usize]);
    if alignment == AlignmentOutput::None {
        let Some((relation, direction)) = sketch_relation(da, db, &shared, args.threshold) else {
            return Ok(None);
        };
        let (ta, tb) = (store.read(da.stored)?.title, store.read(db.stored)?.title);
        let pair = SketchPair {
            a: SketchDoc {
                origin: da.origin.to_string(),
                title: ta.as_deref(),
            },
            b: SketchDoc {
                origin: db.origin.to_string(),
                title: tb.as_deref(),
            },
            relation,
            source: direction.map(|side| if side == Side::A { "a" } else { "b" }),
            jaccard: shared.jaccard(),
            containment: shared.anchors,
        };
        let line = serde_json::to_string(&pair)? + "\n";
        return Ok(Some(Judged {
            a,
            b,
            relation,
            direction: direction.map(|side| if side == Side::A { (a, b) } else { (b, a) }),
            line,
            page: None,
            rendered: None,
            wants_page: false,
        }));
    }
    let (Some((raw_a, prepared_a)), Some((raw_b, prepared_b))) =
        (prepared.get(&a), prepared.get(&b))
    else {
        anyhow::bail!("document {a} or {b} was not prepared (a bug)");
    };
    let (alignment_ab, verdict) =
        engine.align_and_judge(&prepared_a.analyzed, &prepared_b.analyzed)?;
    let compared = Judgement {
        alignment: alignment_ab,
        verdict,
    };
    let verdict = &compared.verdict;
    let coverage = compared
        .alignment
        .coverage_a
        .max(compared.alignment.coverage_b);
    if verdict.relation == Relation::Unrelated || coverage < args.min_coverage {
        return Ok(None);
    }
    let report = PairReport {
        a: ReportDoc::new(&raw_a.text, &prepared_a.analyzed),
        b: ReportDoc::new(&raw_b.text, &prepared_b.analyzed),
        alignment: &compared.alignment,
        verdict,
    };
    let mut json = serde_json::to_value(CompareJson::with_verbatim_runs(&report))?;
    if alignment == AlignmentOutput::Spans {
        strip_texts(&mut json);
    }
    let direction = verdict.source.map(|side| match side {
        Side::A => (a, b),
        Side::B => (b, a),
    });
    // Side-by-side pages for the derivations that changed something (`same_story` pairs are
    // in pairs.jsonl only: on a large corpus they are the many, and no story page links them;
    // a copy with no change has nothing to show side by side). Written, or not, in order by
    // the caller, within the report's budget.
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
    Ok(Some(Judged {
        a,
        b,
        relation: verdict.relation.as_str(),
        direction,
        line: serde_json::to_string(&json)? + "\n",
        page: None,
        rendered: page,
        wants_page: shown,
    }))
}

/// Drops the `text` of every span, keeping offsets and lines (`--alignment spans`).
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

/// The connected components of a graph given by its edges, each in order, in order of their
/// least member (union-find over an ordered map: deterministic whatever the edge order).
pub(crate) fn components<K: Ord + Copy>(edges: impl IntoIterator<Item = (K, K)>) -> Vec<Vec<K>> {
    fn find<K: Ord + Copy>(parent: &mut BTreeMap<K, K>, x: K) -> K {
        let mut root = x;
        while let Some(&p) = parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        parent.insert(x, root);
        root
    }
    let mut parent: BTreeMap<K, K> = BTreeMap::new();
    for (a, b) in edges {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut groups: BTreeMap<K, Vec<K>> = BTreeMap::new();
    let members: Vec<K> = parent.keys().copied().collect();
    for member in members {
        let root = find(&mut parent, member);
        groups.entry(root).or_default().push(member);
    }
    groups.into_values().collect()
}

/// Connected components of the pairs where one document derives from the other (duplicate,
/// excerpt, rewrite), in order of their first document. `same_story` pairs (two reports of the
/// same events, neither taken from the other) stay in pairs.jsonl but do not join stories: a
/// story is a provenance tree, and topic overlap would chain unrelated trees together.
/// Each story comes with the ids of its members.
pub(crate) fn stories(shown: &BTreeMap<u32, Shown>, related: &[&Judged]) -> Vec<(Story, Vec<u32>)> {
    let groups = components(related.iter().map(|pair| (pair.a, pair.b)));
    // Each pair to its group, in one pass (a story of 500 members has 500 pairs or more).
    let group_of: std::collections::HashMap<u32, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(n, group)| group.iter().map(move |&id| (id, n)))
        .collect();
    let mut pairs_of: Vec<Vec<&Judged>> = vec![Vec::new(); groups.len()];
    for &pair in related {
        pairs_of[group_of[&pair.a]].push(pair);
    }
    let shown = |id: u32| &shown[&id];
    let origin = |id: u32| shown(id).origin.clone();
    let sorted = |mut ids: Vec<u32>| {
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    groups
        .into_iter()
        .zip(pairs_of)
        .enumerate()
        .map(|(n, (group, pairs))| {
            let sources = sorted(
                pairs
                    .iter()
                    .filter_map(|p| p.direction.map(|d| d.0))
                    .collect(),
            );
            let derived = sorted(
                pairs
                    .iter()
                    .filter_map(|p| p.direction.map(|d| d.1))
                    .collect(),
            );
            // The original: a source that derives from no member, and that no pair of
            // undecided direction ties to another member (a copy judged `duplicate · source
            // undecided` may be the original as well as it: then the story says undecided).
            let undecided = sorted(
                pairs
                    .iter()
                    .filter(|p| p.direction.is_none())
                    .flat_map(|p| [p.a, p.b])
                    .collect(),
            );
            let (sources, derived, undecided) = (
                |id: &u32| sources.binary_search(id).is_ok(),
                |id: &u32| derived.binary_search(id).is_ok(),
                |id: &u32| undecided.binary_search(id).is_ok(),
            );
            let original = group
                .iter()
                .copied()
                .filter(|id| sources(id) && !derived(id) && !undecided(id))
                .min_by_key(|&id| (shown(id).published.as_deref().unwrap_or("~"), id));
            // Without one: the members that could each be it, for the reader to weigh.
            let mut undecided_original: Vec<u32> = match original {
                Some(_) => Vec::new(),
                None => group
                    .iter()
                    .copied()
                    .filter(|id| (sources(id) || undecided(id)) && !derived(id))
                    .collect(),
            };
            undecided_original
                .sort_by_key(|&id| (shown(id).published.as_deref().unwrap_or("~"), id));
            let story = Story {
                id: n + 1,
                original: original.map(origin),
                undecided_original: undecided_original.into_iter().map(origin).collect(),
                members: group
                    .iter()
                    .map(|&id| Member {
                        origin: origin(id),
                        title: shown(id).title.clone(),
                        published: shown(id).published.clone(),
                    })
                    .collect(),
                provenance: pairs
                    .iter()
                    .filter_map(|p| {
                        p.direction.map(|(from, to)| Edge {
                            from: origin(from),
                            to: origin(to),
                            relation: p.relation,
                            page: p.page.clone(),
                        })
                    })
                    .collect(),
                undirected: pairs
                    .iter()
                    .filter(|p| p.direction.is_none())
                    .map(|p| Edge {
                        from: origin(p.a),
                        to: origin(p.b),
                        relation: p.relation,
                        page: p.page.clone(),
                    })
                    .collect(),
                ledger: Vec::new(),
            };
            (story, group)
        })
        .collect()
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

    /// Issue 13, item 19: a story whose copy and original are `duplicate · source undecided`
    /// names no original, though the copy is the source of an excerpt.
    #[test]
    fn an_undecided_duplicate_leaves_the_original_undecided() {
        let shown: BTreeMap<u32, Shown> = (0..4)
            .map(|id| {
                let shown = Shown {
                    origin: format!("doc{id}"),
                    title: None,
                    published: None,
                };
                (id, shown)
            })
            .collect();
        let pair = |a: u32, b: u32, relation: &'static str, direction: Option<(u32, u32)>| Judged {
            a,
            b,
            relation,
            direction,
            line: String::new(),
            page: None,
            rendered: None,
            wants_page: false,
        };
        // 0 and 1 are copies of each other, direction unknown; 1 was excerpted by 2.
        let undecided = [
            pair(0, 1, "duplicate", None),
            pair(1, 2, "excerpt", Some((1, 2))),
        ];
        let related: Vec<&Judged> = undecided.iter().collect();
        let built = stories(&shown, &related);
        assert_eq!(built.len(), 1);
        assert_eq!(built[0].0.original, None, "{:?}", built[0].0.original);
        // Once the copy's direction is known, its source is the original.
        let decided = [
            pair(0, 1, "duplicate", Some((0, 1))),
            pair(1, 2, "excerpt", Some((1, 2))),
            pair(2, 3, "duplicate", None),
        ];
        let related: Vec<&Judged> = decided.iter().collect();
        let built = stories(&shown, &related);
        assert_eq!(built[0].0.original.as_deref(), Some("doc0"));
    }

    #[test]
    fn the_store_gives_back_what_it_was_given() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(dir.path()).unwrap();
        let full = Stored {
            record: RecordMeta {
                id: Some("urn:1".into()),
                url: Some("https://example.org/a".into()),
                title: None,
                date: Some(String::new()),
                fetched: Some("2026-11-25".into()),
            },
            title: Some("Floods in Kestrin".into()),
            published: None,
            text: "Water rose. \u{2014} \u{1f30a}\n".into(),
        };
        let empty = Stored::default();
        let (at_full, at_empty) = (store.append(&full).unwrap(), store.append(&empty).unwrap());
        assert_eq!(store.read(at_empty).unwrap(), empty);
        assert_eq!(store.read(at_full).unwrap(), full);
        assert!(Stored::decode(&full.encode().unwrap()[..20]).is_err());
    }

    /// A document of `text` from `site`, as the read phase keeps it.
    fn doc_of(text: &str, site: Option<u64>) -> Doc {
        Doc {
            origin: Origin::Stdin,
            format: Format::Text,
            decoding: RawDoc::new(Origin::Stdin, String::new(), Format::Text).decoding,
            site,
            sketch: Box::new(Sketcher::default().sketch(text)),
            stored: (0, 0),
            published: None,
        }
    }

    #[test]
    fn a_sites_template_anchors_are_taken_out_on_its_own_pages() {
        let doc = |site: Option<u64>| doc_of("", site);
        // Docs 0-5 are pages of site 1, 6 of site 2, 7 has no site.
        let mut docs: Vec<Doc> = (0..6).map(|_| doc(Some(1))).collect();
        docs.push(doc(Some(2)));
        docs.push(doc(None));
        // Anchor 10: site 1's footer on all six of its pages, also copied by 6 and 7.
        // Anchor 20: on four pages of site 1 only (under the template count).
        let mut postings: Vec<(u64, u32)> = (0..8).map(|doc| (10, doc)).collect();
        postings.extend((0..4).map(|doc| (20, doc)));
        let taken = without_site_templates(&mut postings, &docs);
        assert_eq!(taken, 6);
        assert_eq!(
            postings,
            vec![(10, 6), (10, 7), (20, 0), (20, 1), (20, 2), (20, 3)]
        );
    }

    #[test]
    fn candidates_found_part_by_part_are_the_candidates_of_all_postings() {
        let texts: Vec<String> = (0..12)
            .map(|i| {
                let long = story(20 + i);
                long.split(". ").skip(i % 4).collect::<Vec<_>>().join(". ")
            })
            .collect();
        let docs: Vec<Doc> = texts.iter().map(|text| doc_of(text, None)).collect();
        let keys = |n: usize| Cow::Borrowed(docs[n].sketch.anchors.as_slice());
        let postings: Vec<(u64, u32)> = docs
            .iter()
            .enumerate()
            .flat_map(|(n, doc)| doc.sketch.anchors.iter().map(move |&key| (key, n as u32)))
            .collect();
        let whole = retrace_sketch::candidate_pairs(postings, 2, MAX_BUCKET);
        assert!(whole.pairs.len() > 20, "{}", whole.pairs.len());
        let rank: Vec<u32> = (0..docs.len() as u32).collect();
        for per_part in [1, 7, 1000, usize::MAX] {
            let parts = candidates_by_keys(
                &docs,
                &rank,
                &keys,
                &|_, _, n| n >= 2,
                false,
                per_part,
                &|_, _| {},
            );
            assert_eq!((&parts.pairs, &parts.shared), (&whole.pairs, &whole.shared));
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
