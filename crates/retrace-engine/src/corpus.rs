//! Reading a corpus: every record of every input, mapped in parallel and handed over in input
//! order, with what was read, skipped and passed over counted in [`Counts`] (and each skip
//! listed, with a [`Tally`]). Nothing is dropped without being counted.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use retrace_ingest::{Error, Expanded, Input, Options, RawDoc};
use retrace_span::{Origin, Skipped, Stage};

/// Records read and mapped in parallel at a time; results keep input order.
const BATCH: usize = 256;

/// Batches of records read ahead of the ones being mapped.
const READ_AHEAD: usize = 4;

/// The inputs `args` name (paths, folders, globs, `-` for standard input; see
/// [`retrace_ingest::expand`]), with a named file that is not there among the errors at once
/// (ingest would find it only when it came to read it). The caller reports the errors; a run
/// whose arguments name nothing readable has no inputs and at least one error.
///
/// ```
/// let expanded = retrace_engine::corpus::expand(&["no/such/file.jsonl"]);
/// assert!(expanded.inputs.is_empty());
/// assert_eq!(expanded.errors[0].label(), "not found");
/// ```
pub fn expand<S: AsRef<str>>(args: &[S]) -> Expanded {
    let mut expanded = retrace_ingest::expand(args);
    for arg in args {
        let arg = arg.as_ref();
        let path = Path::new(arg);
        if let Err(err) = std::fs::metadata(path)
            && arg != "-"
            && expanded
                .inputs
                .iter()
                .any(|input| matches!(input, Input::Path(p) if p == path))
        {
            expanded
                .inputs
                .retain(|input| !matches!(input, Input::Path(p) if p == path));
            expanded
                .errors
                .push(Error::io(Origin::Path(path.to_path_buf()), err));
        }
    }
    expanded
}

/// What a [`CorpusReader`] hands over, in input order.
#[derive(Debug)]
pub enum Item<T> {
    /// An argument, folder entry or input that could not be opened at all.
    Unreadable(Skipped),
    /// One record, as the caller's `map` turned it.
    Record(T),
}

/// Reads every record of a set of inputs: batches of records go through a `map` in parallel,
/// and each result reaches the caller in input order, so that the same inputs give the same
/// sequence at any thread count. Reading (decompressing, splitting records, parsing JSON) runs
/// on a thread of its own, a few batches ahead of the mapping.
///
/// ```
/// use retrace_engine::corpus::{self, Counts, CorpusReader, Item};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.txt"), "Storms cut power to 4,000 homes in Dunmore.").unwrap();
/// let expanded = corpus::expand(&[dir.path().to_str().unwrap()]);
/// let options = retrace_ingest::Options::default();
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let mut counts = Counts::default();
/// let mut lengths = Vec::new();
/// CorpusReader::new(&expanded, &options)
///     .read(&pool, &mut counts, |raw| raw.map(|raw| raw.text.len()), |_, item| {
///         if let Item::Record(Ok(len)) = item {
///             lengths.push(len);
///         }
///         Ok::<_, std::convert::Infallible>(())
///     })
///     .unwrap();
/// assert_eq!((lengths, counts.inputs), (vec![43], 1));
/// ```
#[derive(Debug)]
pub struct CorpusReader<'a> {
    expanded: &'a Expanded,
    options: &'a Options,
}

/// What the reading thread hands over.
enum Handed {
    /// The next records of the current input.
    Batch(Vec<Result<RawDoc, Error>>),
    /// An input is done: its WARC records without a page, by type.
    Done(Vec<(String, u64)>),
}

impl<'a> CorpusReader<'a> {
    /// A reader of the `expanded` inputs, with ingest's `options`.
    pub fn new(expanded: &'a Expanded, options: &'a Options) -> CorpusReader<'a> {
        CorpusReader { expanded, options }
    }

    /// Reads every record: `map` runs on `pool`, and `each` receives, in input order, first
    /// the inputs that could not be opened ([`Item::Unreadable`]), then each record's result.
    /// The reader counts inputs, hidden files and WARC records without a page in `counts`
    /// (which may hold more than the [`Counts`], such as where skips are written); `each`
    /// counts what it is given (for a skip, [`Counts::skip`]). An error from `each` stops the
    /// run and is returned.
    pub fn read<C: AsMut<Counts> + Send, T: Send, E: Send>(
        &self,
        pool: &rayon::ThreadPool,
        counts: &mut C,
        map: impl Fn(Result<RawDoc, Error>) -> T + Sync,
        mut each: impl FnMut(&mut C, Item<T>) -> Result<(), E> + Send,
    ) -> Result<(), E> {
        use rayon::prelude::*;
        counts.as_mut().hidden += self.expanded.hidden;
        for error in &self.expanded.errors {
            each(counts, Item::Unreadable(error.to_skipped()))?;
        }
        let (send, receive) = std::sync::mpsc::sync_channel::<Handed>(READ_AHEAD);
        std::thread::scope(|scope| {
            let (inputs, options) = (&self.expanded.inputs, self.options);
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
            // Dropping `receive` on an error ends the reading thread at its next send. Each
            // batch is mapped while the results of the one before go through `each`, in order.
            let mut done: Vec<T> = Vec::new();
            for read in receive {
                match read {
                    Handed::Batch(batch) => {
                        let (results, handed) = pool.install(|| {
                            rayon::join(
                                || batch.into_par_iter().map(&map).collect::<Vec<T>>(),
                                || -> Result<(), E> {
                                    for result in done.drain(..) {
                                        each(counts, Item::Record(result))?;
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
                            each(counts, Item::Record(result))?;
                        }
                        let counts = counts.as_mut();
                        counts.inputs += 1;
                        for (record_type, count) in ignored {
                            counts.ignore(&record_type, count);
                        }
                    }
                }
            }
            for result in done {
                each(counts, Item::Record(result))?;
            }
            Ok(())
        })
    }
}

/// A skipped input as a line of a skipped list (`skipped.jsonl`, `--skipped`): where it is
/// (the origin, and its file, byte offset and line where they apply), the kind of reason
/// ([`Skipped::kind`]) and the reason.
///
/// ```
/// use retrace_span::{Origin, Skipped, Stage};
/// let skip = Skipped {
///     origin: Origin::Path("feed.jsonl".into()),
///     stage: Stage::Extract,
///     kind: "no article found",
///     reason: "no text".into(),
/// };
/// let line = serde_json::to_string(&retrace_engine::corpus::SkippedLine::of(&skip)).unwrap();
/// assert!(line.starts_with(r#"{"origin":"feed.jsonl","file":"feed.jsonl""#));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SkippedLine<'a> {
    /// Where it came from, as [`Origin`] prints it.
    pub origin: String,
    /// Its file (`-` for standard input).
    pub file: String,
    /// Its byte offset in the file, for a record of a container.
    pub offset: Option<u64>,
    /// Its line in the file, for a JSON line.
    pub line: Option<u64>,
    /// The kind of reason, for counts.
    pub kind: &'static str,
    /// Why it was skipped.
    pub reason: &'a str,
}

impl SkippedLine<'_> {
    /// The line of `skip`.
    pub fn of(skip: &Skipped) -> SkippedLine<'_> {
        SkippedLine {
            origin: skip.origin.to_string(),
            file: skip.origin.file().to_string(),
            offset: skip.origin.offset(),
            line: skip.origin.line(),
            kind: skip.kind,
            reason: &skip.reason,
        }
    }
}

/// The skipped list (`skipped.jsonl`, `--skipped FILE`): a [`SkippedLine`] per input skipped,
/// written as it comes, so that a run stopped midway has listed what it skipped so far.
///
/// ```
/// use retrace_span::{Origin, Skipped, Stage};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("skipped.jsonl");
/// let mut list = retrace_engine::corpus::SkippedList::create(&path).unwrap();
/// let skip = Skipped {
///     origin: Origin::Path("feed.jsonl".into()),
///     stage: Stage::Extract,
///     kind: "no article found",
///     reason: "no text".into(),
/// };
/// list.write(&skip).unwrap();
/// list.finish().unwrap();
/// assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 1);
/// ```
#[derive(Debug)]
pub struct SkippedList {
    path: PathBuf,
    out: BufWriter<File>,
}

/// The skipped list could not be created or written.
#[derive(Debug)]
pub struct ListError {
    /// The list's file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot write the skipped list {}: {}; check that its folder exists and is writable",
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for ListError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl SkippedList {
    /// Creates (or empties) the list at `path`.
    pub fn create(path: &Path) -> Result<SkippedList, ListError> {
        let error = |source| ListError {
            path: path.to_path_buf(),
            source,
        };
        let out = BufWriter::new(File::create(path).map_err(error)?);
        Ok(SkippedList {
            path: path.to_path_buf(),
            out,
        })
    }

    /// Writes the line of `skip`.
    pub fn write(&mut self, skip: &Skipped) -> Result<(), ListError> {
        let mut line = serde_json::to_vec(&SkippedLine::of(skip))
            .expect("a skipped line is strings and numbers");
        line.push(b'\n');
        self.out
            .write_all(&line)
            .map_err(|source| self.error(source))
    }

    /// Writes out what is buffered.
    pub fn finish(&mut self) -> Result<(), ListError> {
        self.out.flush().map_err(|source| self.error(source))
    }

    fn error(&self, source: std::io::Error) -> ListError {
        ListError {
            path: self.path.clone(),
            source,
        }
    }
}

/// The [`Counts`] of one run and the [`SkippedList`] each skip is written to as it is counted:
/// a run that keeps a skipped list counts through this, so that nothing is listed uncounted or
/// counted unlisted. Readable as [`Counts`] by [`CorpusReader::read`].
///
/// ```
/// use retrace_engine::corpus::Tally;
/// use retrace_span::{Origin, Skipped};
/// let dir = tempfile::tempdir().unwrap();
/// let list = dir.path().join("skipped.jsonl");
/// let mut tally = Tally::new(Some(&list)).unwrap();
/// let raw = retrace_ingest::read_bytes(Origin::Path("empty.txt".into()), Vec::new(), None);
/// let sketcher = retrace_sketch::Sketcher::default();
/// let skip: Skipped = retrace_engine::Document::read(raw, &sketcher).unwrap_err();
/// tally.skip(&skip).unwrap();
/// tally.finish().unwrap();
/// assert_eq!(tally.counts.skipped(), 1);
/// assert_eq!(std::fs::read_to_string(&list).unwrap().lines().count(), 1);
/// ```
#[derive(Debug, Default)]
pub struct Tally {
    /// What was counted.
    pub counts: Counts,
    skipped: Option<SkippedList>,
}

impl AsMut<Counts> for Tally {
    fn as_mut(&mut self) -> &mut Counts {
        &mut self.counts
    }
}

impl Tally {
    /// A tally that also writes each skipped input to the list at `skipped`, when given.
    pub fn new(skipped: Option<&Path>) -> Result<Tally, ListError> {
        Ok(Tally {
            skipped: skipped.map(SkippedList::create).transpose()?,
            ..Tally::default()
        })
    }

    /// Counts a skipped input and writes it to the skipped list.
    pub fn skip(&mut self, skip: &Skipped) -> Result<(), ListError> {
        self.counts.skip(skip);
        if let Some(list) = &mut self.skipped {
            list.write(skip)?;
        }
        Ok(())
    }

    /// Flushes the skipped list.
    pub fn finish(&mut self) -> Result<(), ListError> {
        if let Some(list) = &mut self.skipped {
            list.finish()?;
        }
        Ok(())
    }

    /// The counts in one line ([`Counts::summary`]).
    pub fn summary(&self) -> String {
        self.counts.summary()
    }
}

/// The size of the inputs on disk (compressed or not), or `None` when standard input is among
/// them or a file's size cannot be read.
pub fn input_bytes(expanded: &Expanded) -> Option<u64> {
    expanded
        .inputs
        .iter()
        .map(|input| match input {
            Input::Path(path) => std::fs::metadata(path).ok().map(|m| m.len()),
            Input::Stdin => None,
        })
        .sum()
}

/// Counts of one run over a corpus: what was read, what became articles, what was skipped and
/// why, what was passed over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Inputs opened (files, stdin).
    pub inputs: u64,
    /// Documents read (files, WARC records, JSON lines).
    pub documents: u64,
    /// Articles extracted.
    pub articles: u64,
    /// Embedded articles found inside them.
    pub embedded: u64,
    /// Documents decoded from another charset than UTF-8.
    pub transcoded: u64,
    /// Documents with invalid bytes replaced.
    pub repaired: u64,
    /// Hidden files and folders passed over while walking folders.
    pub hidden: u64,
    skipped: BTreeMap<&'static str, u64>,
    ignored: BTreeMap<String, u64>,
}

impl AsMut<Counts> for Counts {
    fn as_mut(&mut self) -> &mut Counts {
        self
    }
}

impl Counts {
    /// Counts a document that became an article, with the `embedded` articles pasted into it.
    pub fn article(&mut self, embedded: usize) {
        self.documents += 1;
        self.articles += 1;
        self.embedded += embedded as u64;
    }

    /// Counts a skipped input (a document, when it was read and held no article).
    pub fn skip(&mut self, skip: &Skipped) {
        self.documents += u64::from(skip.stage == Stage::Extract);
        *self.skipped.entry(skip.kind).or_default() += 1;
    }

    /// Counts WARC records that carry no page.
    pub fn ignore(&mut self, record_type: &str, count: u64) {
        *self.ignored.entry(record_type.to_owned()).or_default() += count;
    }

    /// Inputs skipped, in all.
    pub fn skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Inputs skipped, by kind of reason.
    pub fn skipped_by_kind(&self) -> &BTreeMap<&'static str, u64> {
        &self.skipped
    }

    /// The summary: `12 articles from 5 documents in 3 inputs; 1 embedded article pasted into
    /// them; skipped 2 (1 binary, 1 no article found); …`.
    ///
    /// ```
    /// let mut counts = retrace_engine::corpus::Counts::default();
    /// counts.inputs = 1;
    /// counts.article(0);
    /// assert_eq!(counts.summary(), "1 article from 1 document in 1 input");
    /// ```
    pub fn summary(&self) -> String {
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
///
/// ```
/// assert_eq!(retrace_engine::corpus::counted(3, "story", "stories"), "3 stories");
/// ```
pub fn counted(n: u64, one: &str, many: &str) -> String {
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
