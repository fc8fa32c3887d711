//! `retrace query ARTICLE... --index DIR`: who copied, excerpted or rewrote each article, or
//! where it was taken from.

use std::io::Write;

use anyhow::Context;
use retrace_engine::indexing::{Answer, Lookup, QueryConfig, query};
use retrace_engine::{Document, Engine};
use retrace_index::Index;
use retrace_judge::Side;
use retrace_sketch::Sketcher;

use crate::args::QueryArgs;
use crate::tally::{Tally, read_inputs, warn};

/// Near-copies named with one match in the text output, at most.
const SHOWN_COPIES: usize = 5;

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
    let Lookup {
        itself,
        identical,
        candidates,
        not_compared,
        matches,
    } = lookup;
    let origin = found.raw.origin.to_string();
    // Said on standard error whatever the output format, so that JSON stays one match a line.
    for (id, reason) in &not_compared {
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
        for found in &matches {
            writeln!(out, "{}", serde_json::to_string(&found.json)?)?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{origin}{}",
        found
            .title
            .as_deref()
            .map(|t| format!("  \"{t}\""))
            .unwrap_or_default()
    )?;
    if let Some(id) = itself {
        writeln!(out, "  in the index itself as #{id}")?;
    }
    // Verbatim copies first: the same words are already indexed under another key.
    for (id, key) in &identical {
        writeln!(out, "  the same text is already indexed as #{id} {key}")?;
    }
    if matches.is_empty() {
        writeln!(
            out,
            "  nothing related in the index ({candidates} candidates compared)"
        )?;
    }
    for found in &matches {
        let direction = match found.source {
            Some(Side::A) => "taken from this article",
            Some(Side::B) => "this article was taken from it",
            None => "direction unknown",
        };
        writeln!(
            out,
            "  {:<10} {direction} · confidence {:.2} · aligned: {:.0}% of this article, {:.0}% \
             of #{}",
            found.relation.as_str(),
            found.confidence,
            100.0 * found.coverage.0,
            100.0 * found.coverage.1,
            found.id
        )?;
        writeln!(
            out,
            "             #{} {}{}{}",
            found.id,
            found.key,
            found
                .title
                .as_deref()
                .map(|t| format!("  \"{t}\""))
                .unwrap_or_default(),
            found
                .published
                .as_deref()
                .map(|p| format!("  ({p})"))
                .unwrap_or_default()
        )?;
        if found.origin != found.key {
            writeln!(out, "             read from {}", found.origin)?;
        }
        for change in &found.changes {
            writeln!(out, "             {change}")?;
        }
        if !found.stands_for.is_empty() {
            let shown: Vec<String> = found
                .stands_for
                .iter()
                .take(SHOWN_COPIES)
                .map(|(id, key)| format!("#{id} {key}"))
                .collect();
            let more = found.stands_for.len().saturating_sub(SHOWN_COPIES);
            writeln!(
                out,
                "             and {} near-copies of #{}, related as it is: {}{}",
                found.stands_for.len(),
                found.id,
                shown.join(", "),
                if more > 0 {
                    format!(", and {more} more (--json lists them)")
                } else {
                    String::new()
                }
            )?;
        }
    }
    Ok(())
}
