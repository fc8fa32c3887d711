//! `retrace index add | stats | remove | check`.

use std::io::Write;

use anyhow::Context;
use retrace_engine::indexing::{self, AddConfig, Adder, Removed, Totals, Unnamed};
use retrace_engine::{Document, Engine};
use retrace_index::Index;
use retrace_sketch::Sketcher;

use crate::args::{IndexAddArgs, IndexArgs, IndexCommand, IndexRemoveArgs, flag};
use crate::progress;
use crate::tally::{Tally, counted, read_inputs, warn};

pub(crate) fn run(command: IndexCommand) -> anyhow::Result<()> {
    match command {
        IndexCommand::Add(args) => add(args),
        IndexCommand::Stats(args) => stats(&args),
        IndexCommand::Remove(args) => remove(&args),
        IndexCommand::Check(args) => check(&args),
    }
}

impl IndexAddArgs {
    /// The engine's settings from the command line ([`Adder::new`] checks them).
    fn config(&self) -> AddConfig {
        AddConfig {
            batch: self.batch,
            unnamed: Unnamed::ByPlace,
        }
    }
}

fn add(args: IndexAddArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let options = args.input.options()?;
    let mut adder = Adder::new(args.config()).map_err(flag)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let mut index = Index::create_or_open(&args.index)?;
    let engine = Engine::lexical();
    let sketcher = Sketcher::default();
    let mut tally = Tally::new(args.skipped.as_deref())?;
    let reading = progress::spinner("add");
    let mut commit = |adder: &mut Adder| -> anyhow::Result<()> {
        let Some(added) = adder.commit(&mut index, &engine, &pool)? else {
            return Ok(());
        };
        for (doc, reason) in &added.not_compared {
            warn(format_args!(
                "retrace index: document {doc}: {reason}; not compared"
            ));
        }
        reading.suspend(|| eprintln!("retrace index: {}", added.line()));
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
                Ok(doc) => {
                    tally.counts.article(doc.embedded);
                    if adder.push(doc) {
                        commit(&mut adder)?;
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
    commit(&mut adder)?;
    reading.finish_and_clear();
    tally.finish()?;
    eprintln!(
        "retrace index: [{:.1} s] read {}",
        started.elapsed().as_secs_f64(),
        tally.summary()
    );
    let Totals { batches, counts } = adder.totals();
    eprintln!(
        "retrace index: {} added, {} updated, {} unchanged, {} skipped, in {}; {} judged; {} in {}",
        counts.added,
        counts.updated,
        counts.unchanged,
        tally.counts.skipped(),
        counted(*batches, "batch", "batches"),
        counted(counts.pairs, "related pair", "related pairs"),
        counted(index.stats()?.documents, "document", "documents"),
        args.index.display()
    );
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
    out.write_all(indexing::stats_view(index.path(), &stats).text().as_bytes())?;
    Ok(())
}

fn remove(args: &IndexRemoveArgs) -> anyhow::Result<()> {
    let mut index = Index::open(&args.index)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .context("cannot start the worker threads")?;
    let Removed {
        counts,
        missing,
        not_compared,
    } = indexing::remove(&mut index, &Engine::lexical(), &pool, &args.ids)?;
    for (doc, reason) in not_compared {
        warn(format_args!(
            "retrace index: document {doc}: {reason}; not compared"
        ));
    }
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
