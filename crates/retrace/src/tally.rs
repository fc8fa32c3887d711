//! What a run over many inputs read, skipped and passed over: counted, written to `--skipped`,
//! and summed up in one line on standard error. Nothing is dropped without being counted here.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use retrace_span::Origin;
use serde::Serialize;

/// Writes one line to standard error with the control characters of inputs (file names, WARC
/// headers, titles) escaped: a message names inputs, and an input must not drive the terminal.
pub(crate) fn warn(message: std::fmt::Arguments<'_>) {
    let text = retrace_report::terminal::printable(&message.to_string()).into_owned();
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// A writer for terminal text (not JSON) that escapes the control characters of inputs, as
/// [`warn`] does, in whatever it is given.
pub(crate) struct Escaped<W: Write>(pub(crate) W);

impl<W: Write> Write for Escaped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // `write!` hands over whole `str` pieces; a byte slice that is not UTF-8 goes as it is.
        match std::str::from_utf8(buf) {
            Ok(text) => self
                .0
                .write_all(retrace_report::terminal::printable(text).as_bytes())?,
            Err(_) => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Records read and processed in parallel at a time; results keep input order.
const BATCH: usize = 256;

/// Batches of records read ahead of the ones being processed.
const READ_AHEAD: usize = 4;

/// What the reading thread hands over.
enum Handed {
    /// The next records of the current input.
    Batch(Vec<Result<retrace_ingest::RawDoc, retrace_ingest::Error>>),
    /// An input is done: its WARC records without a page, by type.
    Done(Vec<(String, u64)>),
}

/// Reads every input named by `paths`, record by record: batches of records go through `map` in
/// parallel on `pool`, and each result reaches `each` in input order. Reading (decompressing,
/// splitting records, parsing JSON) runs on a thread of its own, a few batches ahead of `map`.
/// Arguments that name nothing readable, hidden files, inputs and WARC records without a page
/// are counted in `tally`; unreadable arguments are also reported on standard error.
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

/// The inputs the arguments name (see [`retrace_ingest::expand`]); every argument that names
/// nothing readable is reported on standard error. Fails when no argument names anything
/// readable: a run over nothing but missing paths is an error, not an empty result.
pub(crate) fn expand_inputs(paths: &[String]) -> anyhow::Result<retrace_ingest::Expanded> {
    let mut expanded = retrace_ingest::expand(paths);
    // A named file that is not there is reported now, with the other unreadable arguments
    // (ingest would report it only when it came to read it).
    for arg in paths {
        let path = Path::new(arg);
        if let Err(err) = std::fs::metadata(path)
            && arg != "-"
            && expanded
                .inputs
                .iter()
                .any(|input| matches!(input, retrace_ingest::Input::Path(p) if p == path))
        {
            expanded
                .inputs
                .retain(|input| !matches!(input, retrace_ingest::Input::Path(p) if p == path));
            let origin = retrace_span::Origin::Path(path.to_path_buf());
            expanded.errors.push(retrace_ingest::Error::io(origin, err));
        }
    }
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
    use rayon::prelude::*;
    tally.hidden = expanded.hidden;
    for error in &expanded.errors {
        tally.skip(&error.origin, error.label(), &error.kind.to_string())?;
    }
    let (send, receive) = std::sync::mpsc::sync_channel::<Handed>(READ_AHEAD);
    std::thread::scope(|scope| {
        let inputs = &expanded.inputs;
        scope.spawn(move || {
            for input in inputs {
                let mut records = retrace_ingest::open(input, options);
                loop {
                    let batch: Vec<_> = records.by_ref().take(BATCH).collect();
                    if batch.is_empty() {
                        break;
                    }
                    if send.send(Handed::Batch(batch)).is_err() {
                        // The consumer stopped on an error: nothing more to read.
                        return;
                    }
                }
                let ignored = records.ignored().to_vec();
                if send.send(Handed::Done(ignored)).is_err() {
                    return;
                }
            }
        });
        // Dropping `receive` on an error ends the reading thread at its next send. Each batch
        // is mapped while the results of the one before go through `each`, in order.
        let mut done: Vec<T> = Vec::new();
        for read in receive {
            match read {
                Handed::Batch(batch) => {
                    let (results, handed) = pool.install(|| {
                        rayon::join(
                            || batch.into_par_iter().map(&map).collect::<Vec<T>>(),
                            || -> anyhow::Result<()> {
                                for result in done.drain(..) {
                                    each(tally, result)?;
                                }
                                Ok(())
                            },
                        )
                    });
                    handed?;
                    done = results;
                }
                Handed::Done(ignored) => {
                    for result in done.drain(..) {
                        each(tally, result)?;
                    }
                    tally.inputs += 1;
                    for (record_type, count) in ignored {
                        tally.ignore(&record_type, count);
                    }
                }
            }
        }
        for result in done {
            each(tally, result)?;
        }
        Ok(())
    })
}

/// Counts of one run.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Inputs opened (files, stdin).
    pub(crate) inputs: u64,
    /// Documents read (files, WARC records, JSON lines).
    pub(crate) documents: u64,
    /// Articles extracted.
    pub(crate) articles: u64,
    /// Embedded articles found inside them.
    pub(crate) embedded: u64,
    /// Documents decoded from another charset than UTF-8.
    pub(crate) transcoded: u64,
    /// Documents with invalid bytes replaced.
    pub(crate) repaired: u64,
    /// Hidden files and folders passed over while walking folders.
    pub(crate) hidden: u64,
    skipped: BTreeMap<&'static str, u64>,
    ignored: BTreeMap<String, u64>,
    skipped_file: Option<(PathBuf, BufWriter<File>)>,
}

/// One line of the `--skipped` file.
#[derive(Serialize)]
struct SkippedLine<'a> {
    origin: String,
    file: String,
    offset: Option<u64>,
    line: Option<u64>,
    kind: &'static str,
    reason: &'a str,
}

impl Tally {
    /// A tally that also writes each skipped input to `path`.
    pub(crate) fn new(skipped: Option<&Path>) -> anyhow::Result<Tally> {
        let skipped_file = match skipped {
            Some(path) => {
                let file = File::create(path).with_context(|| {
                    format!("cannot create the skipped list {}", path.display())
                })?;
                Some((path.to_path_buf(), BufWriter::new(file)))
            }
            None => None,
        };
        Ok(Tally {
            skipped_file,
            ..Tally::default()
        })
    }

    /// Counts a skipped input and writes it to the skipped list.
    pub(crate) fn skip(
        &mut self,
        origin: &Origin,
        kind: &'static str,
        reason: &str,
    ) -> anyhow::Result<()> {
        *self.skipped.entry(kind).or_default() += 1;
        if let Some((path, out)) = &mut self.skipped_file {
            let record = SkippedLine {
                origin: origin.to_string(),
                file: origin.file().to_string(),
                offset: origin.offset(),
                line: origin.line(),
                kind,
                reason,
            };
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")
                .with_context(|| format!("cannot write the skipped list {}", path.display()))?;
        }
        Ok(())
    }

    /// Counts a record that did not become an article (a document when it was read).
    pub(crate) fn skip_record(&mut self, skip: &retrace_span::Skipped) -> anyhow::Result<()> {
        self.documents += u64::from(skip.stage == retrace_span::Stage::Extract);
        self.skip(&skip.origin, skip.kind, &skip.reason)
    }

    /// Counts WARC records that carry no page.
    pub(crate) fn ignore(&mut self, record_type: &str, count: u64) {
        *self.ignored.entry(record_type.to_owned()).or_default() += count;
    }

    /// Inputs skipped, in all.
    pub(crate) fn skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Flushes the skipped list.
    pub(crate) fn finish(&mut self) -> anyhow::Result<()> {
        if let Some((path, out)) = &mut self.skipped_file {
            out.flush()
                .with_context(|| format!("cannot write the skipped list {}", path.display()))?;
        }
        Ok(())
    }

    /// The summary: `12 articles from 5 documents in 3 inputs; 1 embedded article pasted into
    /// them; skipped 2 (1 binary, 1 no article found); …`. Embedded articles (stories a page
    /// pasted after its own) are counted by every command alike; `extract` prints them, `scan`
    /// and `index` do not compare them on their own.
    pub(crate) fn summary(&self) -> String {
        let mut first = format!(
            "{} from {} in {}",
            counted(self.articles, "article", "articles"),
            counted(self.documents, "document", "documents"),
            counted(self.inputs, "input", "inputs"),
        );
        if self.embedded > 0 {
            first.push_str(&format!(
                "; {} pasted into them",
                counted(self.embedded, "embedded article", "embedded articles")
            ));
        }
        let mut parts = vec![first];
        if !self.skipped.is_empty() {
            parts.push(format!(
                "skipped {} ({})",
                self.skipped(),
                list(&self.skipped)
            ));
        }
        if !self.ignored.is_empty() {
            let total: u64 = self.ignored.values().sum();
            parts.push(format!(
                "{} without a page ({})",
                counted(total, "WARC record", "WARC records"),
                list(&self.ignored)
            ));
        }
        if self.transcoded > 0 || self.repaired > 0 {
            parts.push(format!(
                "{} decoded from another charset, {} with invalid bytes replaced",
                self.transcoded, self.repaired
            ));
        }
        if self.hidden > 0 {
            parts.push(format!(
                "{} not read",
                counted(
                    self.hidden,
                    "hidden file or folder",
                    "hidden files or folders"
                )
            ));
        }
        parts.join("; ")
    }
}

/// `n` and the noun, singular for one: `1 article`, `3 articles`.
pub(crate) fn counted(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn list<K: std::fmt::Display>(counts: &BTreeMap<K, u64>) -> String {
    let mut counts: Vec<(&K, &u64)> = counts.iter().collect();
    counts.sort_by(|a, b| b.1.cmp(a.1));
    counts
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(", ")
}
