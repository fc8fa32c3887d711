//! What a run over many inputs read, skipped and passed over: counted, written to `--skipped`,
//! and summed up in one line on standard error. Nothing is dropped without being counted here.

use std::io::Write;
use std::path::Path;

pub(crate) use retrace_engine::corpus::counted;
use retrace_engine::corpus::{CorpusReader, Counts, Item, SkippedList};
use retrace_span::Skipped;

/// Writes one line to standard error with the control characters of inputs (file names, WARC
/// headers, titles) escaped: a message names inputs, and an input must not drive the terminal.
pub(crate) fn warn(message: std::fmt::Arguments<'_>) {
    let text = retrace_report::terminal::printable(&message.to_string()).into_owned();
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// Reads every input named by `paths` with [`CorpusReader`]: batches of records go through
/// `map` in parallel on `pool`, and each result reaches `each` in input order. Arguments that
/// name nothing readable are reported on standard error; everything skipped is counted in
/// `tally` and written to its skipped list.
pub(crate) fn read_inputs<T: Send>(
    paths: &[String],
    options: &retrace_ingest::Options,
    pool: &rayon::ThreadPool,
    tally: &mut Tally,
    map: impl Fn(Result<retrace_ingest::RawDoc, retrace_ingest::Error>) -> T + Sync,
    each: impl FnMut(&mut Tally, T) -> anyhow::Result<()> + Send,
) -> anyhow::Result<()> {
    let expanded = expand_inputs(paths)?;
    read_expanded(&expanded, options, pool, tally, map, each)
}

/// The inputs the arguments name (see [`retrace_engine::corpus::expand`]); every argument that
/// names nothing readable is reported on standard error. Fails when no argument names anything
/// readable: a run over nothing but missing paths is an error, not an empty result.
pub(crate) fn expand_inputs(paths: &[String]) -> anyhow::Result<retrace_ingest::Expanded> {
    let expanded = retrace_engine::corpus::expand(paths);
    for error in &expanded.errors {
        warn(format_args!("retrace: {error}"));
    }
    if expanded.inputs.is_empty() && !expanded.errors.is_empty() {
        anyhow::bail!(
            "{} could be read (each is named above); nothing was done",
            if paths.len() == 1 {
                "the input named".to_owned()
            } else {
                format!("none of the {} inputs named", paths.len())
            }
        );
    }
    Ok(expanded)
}

/// [`read_inputs`] over inputs already expanded (and their errors already reported).
pub(crate) fn read_expanded<T: Send>(
    expanded: &retrace_ingest::Expanded,
    options: &retrace_ingest::Options,
    pool: &rayon::ThreadPool,
    tally: &mut Tally,
    map: impl Fn(Result<retrace_ingest::RawDoc, retrace_ingest::Error>) -> T + Sync,
    mut each: impl FnMut(&mut Tally, T) -> anyhow::Result<()> + Send,
) -> anyhow::Result<()> {
    CorpusReader::new(expanded, options).read(pool, tally, map, |tally, item| match item {
        Item::Unreadable(skip) => tally.skip(&skip),
        Item::Record(result) => each(tally, result),
    })
}

/// Counts of one run ([`Counts`]), and the skipped list they are written to.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) counts: Counts,
    skipped: Option<SkippedList>,
}

impl AsMut<Counts> for Tally {
    fn as_mut(&mut self) -> &mut Counts {
        &mut self.counts
    }
}

impl Tally {
    /// A tally that also writes each skipped input to `path`.
    pub(crate) fn new(skipped: Option<&Path>) -> anyhow::Result<Tally> {
        Ok(Tally {
            skipped: skipped.map(SkippedList::create).transpose()?,
            ..Tally::default()
        })
    }

    /// Counts a skipped input and writes it to the skipped list.
    pub(crate) fn skip(&mut self, skip: &Skipped) -> anyhow::Result<()> {
        self.counts.skip(skip);
        if let Some(list) = &mut self.skipped {
            list.write(skip)?;
        }
        Ok(())
    }

    /// Flushes the skipped list.
    pub(crate) fn finish(&mut self) -> anyhow::Result<()> {
        if let Some(list) = &mut self.skipped {
            list.finish()?;
        }
        Ok(())
    }

    /// The counts in one line ([`Counts::summary`]).
    pub(crate) fn summary(&self) -> String {
        self.counts.summary()
    }
}
