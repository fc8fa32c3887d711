//! `retrace extract PATH...`: the article of every input record.

use std::io::Write;

use anyhow::Context;
use rayon::prelude::*;
use retrace_ingest::{Error, RawDoc, expand, open};
use retrace_report::extract::ArticleJson;

use crate::args::{ExtractArgs, ExtractFormat};
use crate::tally::{Skip, Tally, extract_record};

/// Records extracted in parallel at a time; output keeps input order.
const BATCH: usize = 64;

/// What became of one record.
enum Outcome {
    /// Rendered output, the number of embedded articles, and how the input was decoded.
    Article {
        rendered: String,
        embedded: usize,
        transcoded: bool,
        repaired: bool,
    },
    Skipped(Skip),
}

pub(crate) fn run(args: ExtractArgs) -> anyhow::Result<()> {
    let options = args.input.options()?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start the worker threads")?;
    let mut tally = Tally::new(args.skipped.as_deref())?;
    let expanded = expand(&args.paths);
    tally.hidden = expanded.hidden;
    for error in &expanded.errors {
        warn(error);
        tally.skip(&error.origin, error.label(), &error.kind.to_string())?;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for input in &expanded.inputs {
        tally.inputs += 1;
        let mut records = open(input, &options);
        loop {
            let batch: Vec<Result<RawDoc, Error>> = records.by_ref().take(BATCH).collect();
            if batch.is_empty() {
                break;
            }
            let outcomes: Vec<Outcome> = pool.install(|| {
                batch
                    .into_par_iter()
                    .map(|item| process(item, args.format))
                    .collect()
            });
            for outcome in outcomes {
                match outcome {
                    Outcome::Article {
                        rendered,
                        embedded,
                        transcoded,
                        repaired,
                    } => {
                        tally.documents += 1;
                        tally.articles += 1;
                        tally.embedded += embedded as u64;
                        tally.transcoded += u64::from(transcoded);
                        tally.repaired += u64::from(repaired);
                        out.write_all(rendered.as_bytes())?;
                    }
                    Outcome::Skipped(skip) => {
                        let _ = writeln!(
                            std::io::stderr(),
                            "retrace: {}: {}",
                            skip.origin,
                            skip.reason
                        );
                        tally.skip_record(&skip)?;
                    }
                }
            }
        }
        for (record_type, count) in records.ignored() {
            tally.ignore(record_type, *count);
        }
    }
    out.flush()?;
    tally.finish()?;
    let _ = writeln!(std::io::stderr(), "retrace extract: {}", tally.summary());
    if tally.articles == 0 {
        anyhow::bail!("no article extracted; see the reasons above");
    }
    Ok(())
}

fn process(item: Result<RawDoc, Error>, format: ExtractFormat) -> Outcome {
    match extract_record(item) {
        Ok((raw, article)) => {
            let json = ArticleJson::new(&raw, &article);
            let rendered = match format {
                ExtractFormat::Jsonl => json.to_line(),
                ExtractFormat::Text => json.to_text(),
            };
            Outcome::Article {
                rendered,
                embedded: article.embedded.len(),
                transcoded: raw.decoding.charset != "UTF-8",
                repaired: raw.decoding.replaced > 0,
            }
        }
        Err(skip) => Outcome::Skipped(skip),
    }
}

fn warn(error: &Error) {
    let _ = writeln!(std::io::stderr(), "retrace: {error}");
}
