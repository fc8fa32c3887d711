//! Reading the inputs of a run over many of them, with what was read, skipped and passed over
//! counted in a [`Tally`] (and written to `--skipped`); arguments that name nothing readable
//! are said on standard error. Nothing is dropped without being counted.

use std::io::Write;

use retrace_engine::corpus::{CorpusReader, Item};
pub(crate) use retrace_engine::corpus::{Tally, counted};

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
        Item::Unreadable(skip) => Ok(tally.skip(&skip)?),
        Item::Record(result) => each(tally, result),
    })
}
