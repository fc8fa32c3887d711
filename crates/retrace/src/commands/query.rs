//! `retrace query ARTICLE... --index DIR`: who copied, excerpted or rewrote each article, or
//! where it was taken from.

use std::io::Write;

use anyhow::Context;
use retrace_engine::indexing::{Answer, QueryConfig, query};
use retrace_engine::{Document, Engine};
use retrace_index::Index;
use retrace_sketch::Sketcher;

use crate::args::QueryArgs;
use crate::tally::{Tally, read_inputs, warn};

pub(crate) fn run(args: QueryArgs) -> anyhow::Result<()> {
    let options = args.input.options()?;
    let config = QueryConfig { story: args.story };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let mut index = Index::open(&args.index)?;
    let engine = Engine::lexical();
    let sketcher = Sketcher::default();
    let mut tally = Tally::new(None)?;
    let stdout = std::io::BufWriter::new(std::io::stdout());
    // JSON escapes control characters itself; the text for a terminal is escaped here.
    let mut out: Box<dyn Write + Send> = if args.json {
        Box::new(stdout)
    } else {
        Box::new(retrace_report::terminal::Escaped(stdout))
    };
    // Milliseconds per article: reading it (extraction, sketch) and looking it up.
    let mut latencies: Vec<f64> = Vec::new();
    read_inputs(
        &args.articles,
        &options,
        &pool,
        &mut tally,
        |item| {
            let started = std::time::Instant::now();
            (Document::read(item, &sketcher), started.elapsed())
        },
        |tally, (item, reading)| {
            match item {
                Ok(found) => {
                    tally.counts.article(found.embedded);
                    let started = std::time::Instant::now();
                    query_one(
                        &mut index,
                        &engine,
                        &pool,
                        &found,
                        (&config, args.json),
                        &mut out,
                    )?;
                    latencies.push((reading + started.elapsed()).as_secs_f64() * 1e3);
                }
                Err(skip) => {
                    warn(format_args!(
                        "retrace query: {}: {}",
                        skip.origin, skip.reason
                    ));
                    tally.skip(&skip)?;
                }
            }
            Ok(())
        },
    )?;
    out.flush()?;
    tally.finish()?;
    if latencies.len() > 1 {
        latencies.sort_unstable_by(f64::total_cmp);
        let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
        eprintln!(
            "retrace query: {} articles looked up; per article {:.1} ms median, {:.1} ms at the \
             99th percentile, {:.1} ms at most",
            latencies.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }
    if latencies.is_empty() {
        anyhow::bail!(
            "no article to look up ({}); give files, folders or - holding articles",
            tally.summary()
        );
    }
    Ok(())
}

fn query_one(
    index: &mut Index,
    engine: &Engine,
    pool: &rayon::ThreadPool,
    found: &Document,
    (config, json): (&QueryConfig, bool),
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let Answer { lookup, story } = query(&index.snapshot()?, engine, pool, found, config)?;
    let origin = found.raw.origin.to_string();
    // Said on standard error whatever the output format, so that JSON stays one match a line.
    for (id, reason) in &lookup.not_compared {
        let _ = writeln!(
            std::io::stderr(),
            "retrace: {origin}: indexed document #{id} not compared: {reason}"
        );
    }
    if let Some(story) = story {
        if json {
            writeln!(out, "{}", serde_json::to_string(&story)?)?;
        } else {
            out.write_all(retrace_report::stories::text(&origin, &story).as_bytes())?;
        }
        return Ok(());
    }
    if json {
        for found in &lookup.matches {
            writeln!(out, "{}", serde_json::to_string(&found.json)?)?;
        }
        return Ok(());
    }
    out.write_all(
        lookup
            .view(&origin, found.title.as_deref())
            .text()
            .as_bytes(),
    )?;
    Ok(())
}
