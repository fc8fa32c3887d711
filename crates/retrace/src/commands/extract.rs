//! `retrace extract PATH...`: the article of every input record.

use std::io::Write;

use anyhow::Context;
use retrace_extract::Extractor;
use retrace_ingest::{Error, RawDoc};
use retrace_report::extract::ArticleJson;

use crate::args::{ExtractArgs, ExtractFormat};
use crate::tally::{Tally, read_inputs, warn};
use retrace_engine::extract_record;

/// What became of one record.
enum Outcome {
    /// Rendered output, the number of embedded articles, and how the input was decoded.
    Article {
        rendered: String,
        embedded: usize,
        transcoded: bool,
        repaired: bool,
    },
    Skipped(retrace_span::Skipped),
}

pub(crate) fn run(args: ExtractArgs) -> anyhow::Result<()> {
    let options = args.input.options()?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start the worker threads")?;
    let mut tally = Tally::new(args.skipped.as_deref())?;
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let format = args.format;
    read_inputs(
        &args.paths,
        &options,
        &pool,
        &mut tally,
        |item| process(item, format),
        |tally, outcome| {
            match outcome {
                Outcome::Article {
                    rendered,
                    embedded,
                    transcoded,
                    repaired,
                } => {
                    tally.counts.article(embedded);
                    tally.counts.transcoded += u64::from(transcoded);
                    tally.counts.repaired += u64::from(repaired);
                    out.write_all(rendered.as_bytes())?;
                }
                Outcome::Skipped(skip) => {
                    warn(format_args!("retrace: {}: {}", skip.origin, skip.reason));
                    tally.skip(&skip)?;
                }
            }
            Ok(())
        },
    )?;
    out.flush()?;
    tally.finish()?;
    let _ = writeln!(std::io::stderr(), "retrace extract: {}", tally.summary());
    if tally.counts.articles == 0 {
        if tally.counts.skipped() > 0 {
            anyhow::bail!("no article extracted; see the reasons above");
        }
        anyhow::bail!(
            "no article extracted: the inputs hold no document (an empty container, or a WARC \
             with no page records; see the summary above)"
        );
    }
    Ok(())
}

fn process(item: Result<RawDoc, Error>, format: ExtractFormat) -> Outcome {
    // `retrace extract` prints every field, the language included.
    match extract_record(item, &Extractor::default()) {
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
