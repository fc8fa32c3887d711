//! `retrace index add | stats | remove | check`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::Context;
use rayon::prelude::*;
use retrace::Engine;
use retrace_index::{BatchCounts, DocId, Index, Meta, Pair, Put, Read};
use retrace_ingest::RawDoc;
use retrace_judge::{Relation, Side};
use retrace_sketch::Sketcher;

use crate::args::{IndexAddArgs, IndexArgs, IndexCommand, IndexRemoveArgs};
use crate::commands::scan::{Found, Read1, read1, relation_name};
use crate::progress;
use crate::tally::{Tally, read_inputs};

pub(crate) fn run(command: IndexCommand) -> anyhow::Result<()> {
    match command {
        IndexCommand::Add(args) => add(args),
        IndexCommand::Stats(args) => stats(&args),
        IndexCommand::Remove(args) => remove(&args),
        IndexCommand::Check(args) => check(&args),
    }
}

/// The key a document is known by in the index: its URL as the crawl gave it, else as the page
/// declares it, else the fingerprint of its words.
pub(crate) fn key_of(found: &Found) -> String {
    found
        .raw
        .record
        .url
        .clone()
        .or_else(|| found.url.clone())
        .unwrap_or_else(|| format!("text:{:032x}", found.sketch.fingerprint.0))
}

/// What the index stores of a document besides its text and sketch.
pub(crate) fn meta_of(found: &Found) -> Meta {
    Meta {
        key: key_of(found),
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
        relation: relation_name(verdict.relation).to_string(),
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
    let mut pending: Vec<Found> = Vec::new();
    let mut totals = BatchCounts::default();
    let mut batches = 0u64;
    let mut commit = |pending: &mut Vec<Found>, totals: &mut BatchCounts| -> anyhow::Result<()> {
        let docs = std::mem::take(pending);
        let (id, counts) = add_batch(&mut index, &engine, &pool, docs)?;
        batches += 1;
        totals.added += counts.added;
        totals.updated += counts.updated;
        totals.unchanged += counts.unchanged;
        totals.pairs += counts.pairs;
        reading.suspend(|| {
            eprintln!(
                "retrace index: batch {id} committed: {} added, {} updated, {} unchanged; {} \
                 related pairs",
                counts.added, counts.updated, counts.unchanged, counts.pairs
            );
        });
        Ok(())
    };
    read_inputs(
        &args.paths,
        &options,
        &pool,
        &mut tally,
        |item| read1(item, &sketcher),
        |tally, item| {
            match item {
                Read1::Doc(found) => {
                    tally.documents += 1;
                    tally.articles += 1;
                    pending.push(*found);
                    if pending.len() >= args.batch {
                        commit(&mut pending, &mut totals)?;
                    }
                }
                Read1::Skipped(skip) => tally.skip_record(&skip)?,
            }
            reading.set_position(tally.documents);
            reading.set_message(format!(
                "{} articles, {} skipped",
                tally.articles,
                tally.skipped()
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
        "retrace index: {} added, {} updated, {} unchanged, {} skipped, in {batches} batches; {} \
         related pairs judged; {} documents in {}",
        totals.added,
        totals.updated,
        totals.unchanged,
        tally.skipped(),
        totals.pairs,
        index.stats()?.documents,
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
    docs: Vec<Found>,
) -> anyhow::Result<(i64, BatchCounts)> {
    let mut batch = index.batch()?;
    let mut fresh: BTreeMap<DocId, usize> = BTreeMap::new();
    for (n, found) in docs.iter().enumerate() {
        match batch.put(&found.raw, &meta_of(found), &found.sketch)? {
            Put::Added(id) | Put::Updated(id) => {
                // A key twice in one batch: the later one stands.
                fresh.retain(|_, &mut m| key_of(&docs[m]) != key_of(found));
                fresh.insert(id, n);
            }
            Put::Unchanged(_) => {}
        }
    }
    let mut pairs: BTreeSet<(DocId, DocId)> = BTreeSet::new();
    for (&id, &n) in &fresh {
        let found = &docs[n];
        let retrieval = batch.candidates(&found.sketch, found.site.as_deref(), Some(id))?;
        for candidate in retrieval.candidates {
            pairs.insert((id.min(candidate.id), id.max(candidate.id)));
        }
    }
    // Every document of a pair, once: this batch's from memory, the others from the index.
    let mut raws: BTreeMap<DocId, RawDoc> = BTreeMap::new();
    for &(a, b) in &pairs {
        for id in [a, b] {
            if raws.contains_key(&id) {
                continue;
            }
            let raw = match fresh.get(&id) {
                Some(&n) => docs[n].raw.clone(),
                None => batch
                    .raw(id)?
                    .with_context(|| format!("document {id} vanished from the index"))?,
            };
            raws.insert(id, raw);
        }
    }
    let prepared: BTreeMap<DocId, retrace::Prepared> = pool.install(|| {
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
    let pairs: Vec<(DocId, DocId)> = pairs.into_iter().collect();
    let judged: Vec<Pair> = pool.install(|| {
        pairs
            .par_iter()
            .filter_map(|&(a, b)| {
                let (pa, pb) = (prepared.get(&a)?, prepared.get(&b)?);
                let (alignment, verdict) = engine.align_and_judge(&pa.analyzed, &pb.analyzed);
                stored_pair((a, b), &alignment, &verdict)
            })
            .collect()
    });
    for pair in &judged {
        batch.put_pair(pair)?;
    }
    let id = batch.id();
    let counts = batch.commit()?;
    Ok((id, counts))
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
        if !batch.remove(id)? {
            missing.push(id.as_str());
        }
    }
    let counts = batch.commit()?;
    eprintln!(
        "retrace index: removed {} of {} documents",
        counts.removed,
        args.ids.len()
    );
    if !missing.is_empty() {
        anyhow::bail!(
            "not in the index: {} (keys are URLs or text:HASH, as 'retrace query' prints them, \
             or index ids)",
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
