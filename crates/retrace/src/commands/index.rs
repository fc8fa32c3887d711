//! `retrace index add | stats | remove | check`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rayon::prelude::*;
use retrace_engine::{Document, Engine};
use retrace_index::{Batch, BatchCounts, DocId, Index, Meta, Pair, Put, Read};
use retrace_ingest::RawDoc;
use retrace_judge::{Relation, Side};
use retrace_sketch::Sketcher;
use retrace_span::Origin;

use crate::args::{IndexAddArgs, IndexArgs, IndexCommand, IndexRemoveArgs};
use crate::progress;
use crate::tally::{Tally, counted, read_inputs};

pub(crate) fn run(command: IndexCommand) -> anyhow::Result<()> {
    match command {
        IndexCommand::Add(args) => add(args),
        IndexCommand::Stats(args) => stats(&args),
        IndexCommand::Remove(args) => remove(&args),
        IndexCommand::Check(args) => check(&args),
    }
}

/// What a document without a URL is known by in the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unnamed {
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
pub(crate) fn key_of(found: &Document, unnamed: Unnamed) -> String {
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
pub(crate) fn place_of(origin: &Origin) -> Option<String> {
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

/// The places an argument of `retrace index remove` may name: the file itself, or a record in
/// it when it ends as an origin does (`feed.jsonl:17`, `crawl.warc.gz@1234`,
/// `crawl.warc.gz@gunzip:1234`).
fn places_named(arg: &str) -> Vec<String> {
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
pub(crate) fn meta_of(found: &Document, unnamed: Unnamed) -> Meta {
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
pub(crate) fn stored_pair(
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

fn add(args: IndexAddArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let options = args.input.options()?;
    if args.batch == 0 {
        anyhow::bail!("--batch must be at least 1");
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let mut index = Index::create_or_open(&args.index)?;
    let engine = Engine::lexical();
    let sketcher = Sketcher::default();
    let mut tally = Tally::new(args.skipped.as_deref())?;
    let reading = progress::spinner("add");
    let mut pending: Vec<Document> = Vec::new();
    let mut totals = BatchCounts::default();
    let mut batches = 0u64;
    let mut commit = |pending: &mut Vec<Document>,
                      totals: &mut BatchCounts|
     -> anyhow::Result<()> {
        let docs = std::mem::take(pending);
        let (id, counts, phases) = add_batch(&mut index, &engine, &pool, docs, Unnamed::ByPlace)?;
        batches += 1;
        totals.added += counts.added;
        totals.updated += counts.updated;
        totals.unchanged += counts.unchanged;
        totals.pairs += counts.pairs;
        reading.suspend(|| {
            eprintln!(
                "retrace index: batch {id} committed: {} added, {} updated, {} unchanged; {}; {phases}",
                counts.added,
                counts.updated,
                counts.unchanged,
                counted(counts.pairs, "related pair", "related pairs")
            );
        });
        Ok(())
    };
    read_inputs(
        &args.paths,
        &options,
        &pool,
        &mut tally,
        |item| Document::read(item, &sketcher),
        |tally, item| {
            match item {
                Ok(found) => {
                    tally.counts.article(found.embedded);
                    pending.push(found);
                    if pending.len() >= args.batch {
                        commit(&mut pending, &mut totals)?;
                    }
                }
                Err(skip) => tally.skip(&skip)?,
            }
            reading.set_position(tally.counts.documents);
            reading.set_message(format!(
                "{} articles, {} skipped",
                tally.counts.articles,
                tally.counts.skipped()
            ));
            Ok(())
        },
    )?;
    if !pending.is_empty() {
        commit(&mut pending, &mut totals)?;
    }
    reading.finish_and_clear();
    tally.finish()?;
    eprintln!(
        "retrace index: [{:.1} s] read {}",
        started.elapsed().as_secs_f64(),
        tally.summary()
    );
    eprintln!(
        "retrace index: {} added, {} updated, {} unchanged, {} skipped, in {}; {} judged; {} in {}",
        totals.added,
        totals.updated,
        totals.unchanged,
        tally.counts.skipped(),
        counted(batches, "batch", "batches"),
        counted(totals.pairs, "related pair", "related pairs"),
        counted(index.stats()?.documents, "document", "documents"),
        args.index.display()
    );
    Ok(())
}

/// Puts one batch of documents in the index, judges the new and changed ones against the index
/// (this batch included), stores the related pairs, and commits.
pub(crate) fn add_batch(
    index: &mut Index,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    docs: Vec<Document>,
    unnamed: Unnamed,
) -> anyhow::Result<(i64, BatchCounts, Phases)> {
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
    judge_pairs(&mut batch, engine, pool, pairs, &fresh)?;
    clock.lap("judge");
    let id = batch.id();
    let counts = batch.commit()?;
    clock.lap("commit");
    Ok((id, counts, clock))
}

/// Judges candidate pairs and stores the related ones in the batch. `fresh`: the documents put
/// in this batch, with their keys (read from memory; the others from the index).
fn judge_pairs(
    batch: &mut Batch<'_>,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    pairs: BTreeSet<(DocId, DocId)>,
    fresh: &BTreeMap<DocId, (&RawDoc, &str)>,
) -> anyhow::Result<()> {
    // Every document of a pair, once: this batch's from memory, the others from the index.
    let mut raws: BTreeMap<DocId, RawDoc> = BTreeMap::new();
    for &(a, b) in &pairs {
        for id in [a, b] {
            if raws.contains_key(&id) {
                continue;
            }
            let raw = match fresh.get(&id) {
                Some(&(raw, _)) => raw.clone(),
                None => batch
                    .raw(id)?
                    .with_context(|| format!("document {id} vanished from the index"))?,
            };
            raws.insert(id, raw);
        }
    }
    let prepared: BTreeMap<DocId, retrace_engine::Prepared> = pool.install(|| {
        raws.par_iter()
            .filter_map(|(&id, raw)| match engine.prepare(raw) {
                Ok(prepared) => Some((id, prepared)),
                Err(err) => {
                    let _ = writeln!(std::io::stderr(), "retrace index: {err}; not compared");
                    None
                }
            })
            .collect()
    });
    drop(raws);
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
            .collect::<Result<_, retrace_engine::Error>>()
    })?;
    for pair in judged.iter().flatten() {
        batch.put_pair(pair)?;
    }
    Ok(())
}

fn stats(args: &IndexArgs) -> anyhow::Result<()> {
    let mut index = Index::open(&args.index)?;
    let stats = index.stats()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
        return Ok(());
    }
    let per = |n: u64| {
        if stats.documents == 0 {
            0.0
        } else {
            n as f64 / stats.documents as f64
        }
    };
    writeln!(out, "index      {}", index.path().display())?;
    writeln!(out, "schema     version {}", stats.schema_version)?;
    writeln!(
        out,
        "documents  {} ({:.1} MB of text, {:.0} bytes each)",
        stats.documents,
        stats.raw_bytes as f64 / 1e6,
        per(stats.raw_bytes)
    )?;
    writeln!(
        out,
        "postings   {} LSH bands, {} anchors, {} names and numbers ({:.1} per document)",
        stats.band_postings,
        stats.anchor_postings,
        stats.term_postings,
        per(stats.band_postings + stats.anchor_postings + stats.term_postings)
    )?;
    let pairs = stats
        .pairs
        .iter()
        .map(|(relation, n)| format!("{n} {relation}"))
        .collect::<Vec<_>>();
    writeln!(
        out,
        "pairs      {}",
        if pairs.is_empty() {
            "none".to_string()
        } else {
            pairs.join(", ")
        }
    )?;
    let judged: u64 = stats.pairs.iter().map(|(_, n)| n).sum();
    writeln!(
        out,
        "candidates {} candidate pairs, {judged} judged related (the rest stood for by them); \
         {} in near-copy clusters",
        stats.candidate_pairs, stats.clustered
    )?;
    writeln!(out, "batches    {}", stats.batches)?;
    writeln!(
        out,
        "disk       {:.1} MB ({:.0} bytes per document)",
        stats.disk_bytes as f64 / 1e6,
        per(stats.disk_bytes)
    )?;
    Ok(())
}

fn remove(args: &IndexRemoveArgs) -> anyhow::Result<()> {
    let mut index = Index::open(&args.index)?;
    let mut batch = index.batch()?;
    let mut missing = Vec::new();
    for id in &args.ids {
        if batch.remove(id)? {
            continue;
        }
        let mut removed = 0;
        for place in places_named(id) {
            removed += batch.remove_at(&place)?;
        }
        if removed == 0 {
            missing.push(id.as_str());
        }
    }
    // Fewer documents hold the removed ones' names: older pairs settle as after an add, and the
    // stories of the removed documents are planned again (a representative may be gone).
    batch.resettle()?;
    let pairs = batch.replan()?.into_iter().collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .context("cannot start the worker threads")?;
    judge_pairs(
        &mut batch,
        &Engine::lexical(),
        &pool,
        pairs,
        &BTreeMap::new(),
    )?;
    let counts = batch.commit()?;
    eprintln!(
        "retrace index: removed {} documents, named by {} of {} arguments",
        counts.removed,
        args.ids.len() - missing.len(),
        args.ids.len()
    );
    if !missing.is_empty() {
        anyhow::bail!(
            "not in the index: {} (give a URL, a file as it was added, a record as FILE:LINE or \
             FILE@OFFSET, a key as 'retrace query' prints it, or an index id)",
            missing.join(", ")
        );
    }
    Ok(())
}

fn check(args: &IndexArgs) -> anyhow::Result<()> {
    let mut index = Index::open(&args.index)?;
    let problems = index.check()?;
    let documents = index.stats()?.documents;
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"ok": problems.is_empty(), "documents": documents, "problems": problems}),
        )?;
        writeln!(out)?;
    }
    if problems.is_empty() {
        eprintln!(
            "retrace index: {} is sound ({documents} documents)",
            args.index.display()
        );
        Ok(())
    } else {
        for problem in &problems {
            eprintln!("retrace index: {problem}");
        }
        anyhow::bail!(
            "{}: {} problems; rebuild the index with 'retrace index add' into a new folder",
            args.index.display(),
            problems.len()
        )
    }
}

/// Wall time per phase of a batch: storing the documents, looking up their candidates,
/// settling older pairs by names, planning, judging, committing.
pub(crate) struct Phases {
    last: std::time::Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Phases {
    fn start() -> Phases {
        Phases {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
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
