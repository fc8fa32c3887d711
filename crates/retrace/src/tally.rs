//! What a run over many inputs read, skipped and passed over: counted, written to `--skipped`,
//! and summed up in one line on standard error. Nothing is dropped without being counted here.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use retrace_extract::{Extractor, ExtractorBuilder};
use retrace_span::Origin;
use serde::Serialize;

/// A record that did not become an article, and why.
#[derive(Debug)]
pub(crate) struct Skip {
    /// True when the record was read and held no article; false when it could not be read.
    pub(crate) read: bool,
    pub(crate) origin: Origin,
    pub(crate) kind: &'static str,
    pub(crate) reason: String,
}

/// Extraction in a corpus pass (`scan`): without the language, which nothing after extraction
/// reads there and which costs as much as the rest of extracting a text dump.
const CORPUS_EXTRACTOR: Extractor = ExtractorBuilder::new().detect_language(false).build();

/// The article of one record as ingest yields it, or why there is none, as a corpus pass needs
/// it: [`Article::language`](retrace_extract::Article::language) is not detected.
pub(crate) fn extract_record(
    item: Result<retrace_ingest::RawDoc, retrace_ingest::Error>,
) -> Result<(retrace_ingest::RawDoc, retrace_extract::Article), Skip> {
    extract_record_with(item, &CORPUS_EXTRACTOR)
}

/// The article of one record as ingest yields it, or why there is none, from `extractor`.
pub(crate) fn extract_record_with(
    item: Result<retrace_ingest::RawDoc, retrace_ingest::Error>,
    extractor: &Extractor,
) -> Result<(retrace_ingest::RawDoc, retrace_extract::Article), Skip> {
    let raw = item.map_err(|err| Skip {
        read: false,
        kind: err.label(),
        reason: err.kind.to_string(),
        origin: err.origin,
    })?;
    match extractor.extract(&raw) {
        Ok(article) => Ok((raw, article)),
        Err(err) => Err(Skip {
            read: true,
            kind: "no article found",
            reason: err.kind.to_string(),
            origin: err.origin,
        }),
    }
}

/// Records read and processed in parallel at a time; results keep input order.
const BATCH: usize = 256;

/// Batches of records read ahead of the ones being processed.
const READ_AHEAD: usize = 4;

/// What the reading thread hands over.
enum Read {
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
    mut each: impl FnMut(&mut Tally, T) -> anyhow::Result<()> + Send,
) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let expanded = retrace_ingest::expand(paths);
    tally.hidden = expanded.hidden;
    for error in &expanded.errors {
        let _ = writeln!(std::io::stderr(), "retrace: {error}");
        tally.skip(&error.origin, error.label(), &error.kind.to_string())?;
    }
    let (send, receive) = std::sync::mpsc::sync_channel::<Read>(READ_AHEAD);
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
                    if send.send(Read::Batch(batch)).is_err() {
                        // The consumer stopped on an error: nothing more to read.
                        return;
                    }
                }
                let ignored = records.ignored().to_vec();
                if send.send(Read::Done(ignored)).is_err() {
                    return;
                }
            }
        });
        // Dropping `receive` on an error ends the reading thread at its next send. Each batch
        // is mapped while the results of the one before go through `each`, in order.
        let mut done: Vec<T> = Vec::new();
        for read in receive {
            match read {
                Read::Batch(batch) => {
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
                Read::Done(ignored) => {
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
    pub(crate) fn skip_record(&mut self, skip: &Skip) -> anyhow::Result<()> {
        self.documents += u64::from(skip.read);
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

    /// The summary: `12 articles (1 embedded) from 5 documents in 3 inputs; skipped 2 (1 binary,
    /// 1 no article found); …`.
    pub(crate) fn summary(&self) -> String {
        let mut parts = vec![format!(
            "{} articles ({} embedded) from {} documents in {} inputs",
            self.articles, self.embedded, self.documents, self.inputs
        )];
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
                "{total} WARC records without a page ({})",
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
            parts.push(format!("{} hidden files or folders not read", self.hidden));
        }
        parts.join("; ")
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
