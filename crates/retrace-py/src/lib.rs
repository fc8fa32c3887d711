//! `import retrace`: the native part of the Python package (`retrace._retrace`). The Python
//! layer (`python/retrace/__init__.py`) turns what these functions return into typed objects;
//! the work is `retrace-engine`'s, with the GIL released while it runs.

mod arrow;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Mutex, OnceLock, PoisonError};

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyInt, PyString};
use retrace_engine::corpus::{CorpusReader, Counts, Item, SkippedList};
use retrace_engine::scan::Progress;
use retrace_engine::{Compared, Engine};
use retrace_ingest::RawDoc;
use retrace_report::PairReport;
use retrace_report::extract::ArticleJson;
use retrace_span::{Origin, Skipped};

create_exception!(
    _retrace,
    Error,
    PyException,
    "What retrace raises: an input that cannot be read or compared, a model, an index or an \
     output folder that fails; the message names the input and the reason. Its subclasses say \
     which."
);
create_exception!(
    _retrace,
    InputError,
    Error,
    "An input that cannot be read (missing, unreadable, damaged, a path that is not UTF-8) or \
     that holds no article."
);
create_exception!(
    _retrace,
    ModelError,
    Error,
    "The semantic model cannot be found, loaded or run."
);
create_exception!(
    _retrace,
    StoreError,
    Error,
    "An index on disk that cannot be opened, read or written: not an index, written by another \
     version, damaged, or held by another writer."
);
create_exception!(
    _retrace,
    OutputError,
    Error,
    "A scan's output folder, or the temporary store it keeps texts in, cannot be written."
);

/// Records handed from the reading thread to Python ahead of its `next()`.
const READ_AHEAD: usize = 64;

/// A failure of no more precise kind (the worker threads, a poisoned lock): `retrace.Error`.
fn error(err: impl std::fmt::Display) -> PyErr {
    Error::new_err(err.to_string())
}

fn input_error(err: impl std::fmt::Display) -> PyErr {
    InputError::new_err(err.to_string())
}

fn model_error(err: impl std::fmt::Display) -> PyErr {
    ModelError::new_err(err.to_string())
}

fn store_error(err: impl std::fmt::Display) -> PyErr {
    StoreError::new_err(err.to_string())
}

fn output_error(err: impl std::fmt::Display) -> PyErr {
    OutputError::new_err(err.to_string())
}

/// The pair engine's failures: an input with no article in it, or the model failing as it runs.
fn engine_error(err: retrace_engine::Error) -> PyErr {
    match err {
        retrace_engine::Error::Extract(_) => input_error(err),
        retrace_engine::Error::Embed(_) => model_error(err),
    }
}

/// A scan's failures, by what failed: its output folder and the temporary store that holds the
/// texts (written to the output folder, or the system's temporary folder), an input, the pair
/// engine; the rest (an internal limit, a broken store) is a plain `retrace.Error`.
fn scan_error(err: retrace_engine::scan::Error) -> PyErr {
    use retrace_engine::scan::Error as E;
    match err {
        E::Output { .. } | E::NotOurs(_) | E::Create(..) | E::Write(_) => output_error(err),
        E::TooLarge => input_error(err),
        E::Engine(err) => engine_error(err),
        _ => error(err),
    }
}

/// The failures of indexing and lookups: the index's (and what it holds, such as a pair of a
/// newer version), or the pair engine's.
fn indexing_error(err: retrace_engine::indexing::Error) -> PyErr {
    use retrace_engine::indexing::Error as E;
    match err {
        E::Index(_) | E::Vanished(_) | E::StoredRelation(..) => store_error(err),
        E::Engine(err) => engine_error(err),
        E::Json(_) => error(err),
    }
}

/// A scan's failure as the exception it raises: the error of its sink, which the engine's
/// errors become by their kind.
struct Raised(PyErr);

impl From<retrace_engine::scan::Error> for Raised {
    fn from(err: retrace_engine::scan::Error) -> Raised {
        Raised(scan_error(err))
    }
}

impl From<serde_json::Error> for Raised {
    fn from(err: serde_json::Error) -> Raised {
        Raised(error(err))
    }
}

impl From<Raised> for PyErr {
    fn from(raised: Raised) -> PyErr {
        raised.0
    }
}

/// The worker threads of one call: `threads`, or one per core.
fn worker_pool(threads: Option<usize>) -> PyResult<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|err| error(format!("cannot start the worker threads: {err}")))
}

/// How inputs are read (`retrace_ingest::Options`, the command line's "Reading inputs" flags),
/// checked once when made; `retrace.read`, `retrace.scan` and `Index.add` take one.
#[pyclass(frozen, module = "retrace._retrace")]
pub(crate) struct ReadOptions {
    options: retrace_ingest::Options,
}

#[pymethods]
impl ReadOptions {
    /// Options from keyword arguments; `max_bytes` out of its range is a `ValueError` that
    /// names it.
    #[new]
    #[pyo3(signature = (
        max_bytes = None,
        text_field = None,
        html_field = None,
        id_field = None,
        url_field = None,
        date_field = None,
        title_field = None,
    ))]
    fn new(
        max_bytes: Option<&Bound<'_, PyAny>>,
        text_field: Option<String>,
        html_field: Option<String>,
        id_field: Option<String>,
        url_field: Option<String>,
        date_field: Option<String>,
        title_field: Option<String>,
    ) -> PyResult<ReadOptions> {
        let max_bytes = match max_bytes {
            Some(value) => byte_count(value)?,
            None => retrace_ingest::DEFAULT_MAX_BYTES,
        };
        let options = retrace_ingest::Options {
            max_bytes,
            fields: retrace_ingest::JsonFields {
                text: text_field,
                html: html_field,
                id: id_field,
                url: url_field,
                date: date_field,
                title: title_field,
            },
        };
        // The rule is ingest's, the same for the command line's --max-bytes.
        options
            .check()
            .map_err(|bad| PyValueError::new_err(bad.to_string()))?;
        Ok(ReadOptions { options })
    }
}

/// `max_bytes` as Python gives it: any int; one below 0 or beyond 64 bits is taken as 0 or as
/// the largest, so that its message is the rule's.
fn byte_count(value: &Bound<'_, PyAny>) -> PyResult<u64> {
    if !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "max_bytes is a number of bytes (int), not {}",
            value.get_type()
        )));
    }
    match value.extract::<u64>() {
        Ok(bytes) => Ok(bytes),
        Err(_) if value.lt(0)? => Ok(0),
        Err(_) => Ok(u64::MAX),
    }
}

pub(crate) fn options_of(options: Option<&Bound<'_, ReadOptions>>) -> retrace_ingest::Options {
    options.map_or_else(retrace_ingest::Options::default, |options| {
        options.get().options.clone()
    })
}

/// Where a running scan (or `Index.add`) is, for a progress bar: the Rust side updates it from
/// its threads while Python, on another thread, reads it and draws; Python sets `cancel`, and
/// the work stops with an error at the next record it reads or pair it judges.
#[pyclass(frozen, module = "retrace._retrace")]
struct ScanProgress {
    /// The phases so far: each as it ended, the last as it is now.
    phases: Mutex<Vec<Phase>>,
    cancelled: AtomicBool,
}

/// A phase of the work: `done` of `total` (when known), with what else it says.
struct Phase {
    name: &'static str,
    done: u64,
    total: Option<u64>,
    detail: Detail,
}

/// What a phase says besides its count; numbers are kept as they come and put in words only
/// when Python reads them (reading counts every record).
enum Detail {
    None,
    Text(String),
    /// Articles, their bytes and inputs skipped, as the command's reading spinner; with
    /// documents stored in an index so far.
    Read {
        articles: u64,
        bytes: u64,
        skipped: u64,
        stored: Option<u64>,
    },
    /// Related pairs among those judged.
    Related(u64),
}

impl Detail {
    fn words(&self) -> String {
        match self {
            Detail::None => String::new(),
            Detail::Text(text) => text.clone(),
            Detail::Read {
                articles,
                bytes,
                skipped,
                stored,
            } => {
                let mut words = format!(
                    "{articles} articles, {:.1} MB, {skipped} skipped",
                    *bytes as f64 / 1e6
                );
                if let Some(stored) = stored {
                    words += &format!(", {stored} in the index");
                }
                words
            }
            Detail::Related(related) => format!("{related} related"),
        }
    }
}

impl ScanProgress {
    fn start(&self, name: &'static str, total: Option<u64>) {
        self.lock().push(Phase {
            name,
            done: 0,
            total,
            detail: Detail::None,
        });
    }

    /// Updates the current phase, if it is `name` (progress that comes late to a phase that
    /// has ended is dropped).
    fn update(&self, name: &'static str, change: impl FnOnce(&mut Phase)) {
        if let Some(phase) = self.lock().last_mut().filter(|phase| phase.name == name) {
            change(phase);
        }
    }

    /// Stops the work once Python asked to.
    fn check(&self) -> PyResult<()> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(error("interrupted (the caller asked it to stop)"));
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Phase>> {
        // The phases are only shown: one a panicking thread left half-updated is still fine.
        self.phases.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl ScanProgress {
    #[new]
    fn new() -> ScanProgress {
        ScanProgress {
            phases: Mutex::new(Vec::new()),
            cancelled: AtomicBool::new(false),
        }
    }

    /// The phases so far, in order, each as `(name, done, total or None, detail)`: those that
    /// ended as they ended, the last as it is now.
    fn phases(&self) -> Vec<(&'static str, u64, Option<u64>, String)> {
        self.lock()
            .iter()
            .map(|phase| (phase.name, phase.done, phase.total, phase.detail.words()))
            .collect()
    }

    /// Asks the work to stop (it raises `retrace.Error` soon after).
    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether `cancel` was called.
    #[getter]
    fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// An input as Python gives it: `str` is text, `bytes` is a page or a text in any charset
/// (detected), anything else a path (`os.PathLike`).
fn raw_of(input: &Bound<'_, PyAny>) -> PyResult<RawDoc> {
    let options = retrace_ingest::Options::default();
    // In-memory inputs are named as Python names code given as a string.
    if let Ok(text) = input.downcast::<PyString>() {
        let bytes = text.to_cow()?.as_bytes().to_vec();
        return retrace_ingest::read_bytes(Origin::Path("<text>".into()), bytes, None)
            .map_err(input_error);
    }
    if let Ok(bytes) = input.downcast::<PyBytes>() {
        let bytes = bytes.as_bytes().to_vec();
        return retrace_ingest::read_bytes(Origin::Path("<bytes>".into()), bytes, None)
            .map_err(input_error);
    }
    let path: PathBuf = input.extract().map_err(|_| {
        PyValueError::new_err(format!(
            "an input is text (str), a page (bytes) or a path (os.PathLike), not {}",
            input.get_type()
        ))
    })?;
    let arg = path.to_str().ok_or_else(|| {
        InputError::new_err(format!(
            "{}: a path that is not UTF-8; rename the file",
            path.display()
        ))
    })?;
    let raw = input
        .py()
        .allow_threads(|| retrace_ingest::read_one(arg, &options));
    raw.map_err(input_error)
}

/// The pair engine for `model`: `"none"` lexical; `"auto"` with the semantic model where it is
/// installed (as `retrace compare` finds it), else lexical; any other value is the model's
/// folder. Loaded once per process and choice.
fn engine(model: &str) -> PyResult<&'static Engine> {
    static LEXICAL: OnceLock<Engine> = OnceLock::new();
    static AUTO: OnceLock<Engine> = OnceLock::new();
    static FOLDERS: Mutex<Vec<(String, &'static Engine)>> = Mutex::new(Vec::new());
    match model {
        "none" => Ok(LEXICAL.get_or_init(Engine::lexical)),
        "auto" => {
            if let Some(engine) = AUTO.get() {
                return Ok(engine);
            }
            let engine = match retrace_embed::Embedder::discover().map_err(model_error)? {
                Some(embedder) => Engine::with_embedder(embedder),
                None => Engine::lexical(),
            };
            Ok(AUTO.get_or_init(|| engine))
        }
        folder => {
            let mut loaded = FOLDERS
                .lock()
                .map_err(|_| error("the model cache is poisoned"))?;
            if let Some((_, engine)) = loaded.iter().find(|(name, _)| name == folder) {
                return Ok(engine);
            }
            let embedder =
                retrace_embed::Embedder::load(std::path::Path::new(folder)).map_err(model_error)?;
            let engine: &'static Engine = Box::leak(Box::new(Engine::with_embedder(embedder)));
            loaded.push((folder.to_string(), engine));
            Ok(engine)
        }
    }
}

/// Two documents compared: the engine's result and the texts its spans index.
#[pyclass(frozen, module = "retrace._retrace")]
struct Comparison {
    a: String,
    b: String,
    compared: Compared,
}

impl Comparison {
    fn report(&self) -> PairReport<'_> {
        self.compared.report(&self.a, &self.b)
    }
}

#[pymethods]
impl Comparison {
    /// The compare JSON, as `retrace compare --json` writes it.
    fn json(&self) -> String {
        retrace_report::json::CompareJson::new(&self.report()).to_pretty()
    }

    /// The self-contained side-by-side HTML page, as `retrace compare --html` writes it.
    fn html(&self) -> String {
        retrace_report::html::render(&self.report())
    }

    /// Whether the semantic model aligned the pair.
    #[getter]
    fn semantic(&self) -> bool {
        self.compared.alignment.semantic
    }

    /// The relation, the source's side, the confidence and the coverage of both sides, rounded
    /// as the JSON gives them (read without building the JSON).
    #[getter]
    fn head(&self) -> (&'static str, Option<&'static str>, f64, (f64, f64)) {
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        let verdict = &self.compared.verdict;
        let alignment = &self.compared.alignment;
        (
            verdict.relation.as_str(),
            verdict.source.map(|side| match side {
                retrace_judge::Side::A => "a",
                retrace_judge::Side::B => "b",
            }),
            round(f64::from(verdict.confidence)),
            (round(alignment.coverage_a), round(alignment.coverage_b)),
        )
    }
}

/// Compares two inputs (see `retrace.compare`).
#[pyfunction]
#[pyo3(signature = (a, b, model = "auto"))]
fn compare(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    model: &str,
) -> PyResult<Comparison> {
    let (raw_a, raw_b) = (raw_of(a)?, raw_of(b)?);
    let engine = py.allow_threads(|| engine(model))?;
    let compared = py
        .allow_threads(|| engine.compare(&raw_a, &raw_b))
        .map_err(engine_error)?;
    Ok(Comparison {
        a: raw_a.text,
        b: raw_b.text,
        compared,
    })
}

/// Extracts the article of one input (see `retrace.extract`): its JSON line, as
/// `retrace extract` writes it.
#[pyfunction]
#[pyo3(signature = (input, url = None))]
fn extract(py: Python<'_>, input: &Bound<'_, PyAny>, url: Option<String>) -> PyResult<String> {
    let mut raw = raw_of(input)?;
    if url.is_some() {
        raw.record.url = url;
    }
    py.allow_threads(|| {
        let article = retrace_extract::extract(&raw).map_err(input_error)?;
        Ok(ArticleJson::new(&raw, &article).to_line())
    })
}

/// What the reading thread hands over: an article's JSON line, or a skipped input.
enum Read {
    Article(String),
    Skipped(Skipped),
    Done(Counts),
}

/// The records of a set of inputs, in input order (see `retrace.read`): each next item is
/// `("article", JSON line)` or `("skipped", (origin, stage, kind, reason))`; the last is
/// `("counts", summary)`.
#[pyclass(module = "retrace._retrace")]
struct Reader {
    receive: Mutex<Receiver<Read>>,
}

#[pymethods]
impl Reader {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyObject>> {
        let next = py.allow_threads(|| {
            self.receive
                .lock()
                .map_err(|_| error("the reader is poisoned"))
                .map(|receive| receive.recv().ok())
        })?;
        Ok(match next {
            None => None,
            Some(Read::Article(line)) => {
                Some(("article", line).into_pyobject(py)?.into_any().unbind())
            }
            Some(Read::Skipped(skip)) => {
                let stage = stage_name(skip.stage);
                let item = (skip.origin.to_string(), stage, skip.kind, skip.reason);
                Some(("skipped", item).into_pyobject(py)?.into_any().unbind())
            }
            Some(Read::Done(counts)) => Some(
                ("counts", counts.summary())
                    .into_pyobject(py)?
                    .into_any()
                    .unbind(),
            ),
        })
    }
}

/// Reads every record of `paths` (files, folders, globs; see `retrace.read`) with `options`.
#[pyfunction]
#[pyo3(signature = (paths, threads = None, options = None))]
fn read(
    paths: Vec<String>,
    threads: Option<usize>,
    options: Option<&Bound<'_, ReadOptions>>,
) -> PyResult<Reader> {
    let pool = worker_pool(threads)?;
    let options = options_of(options);
    let (send, receive) = sync_channel::<Read>(READ_AHEAD);
    std::thread::Builder::new()
        .name("retrace-read".into())
        .spawn(move || read_all(&paths, &options, &pool, &send))
        .map_err(|err| error(format!("cannot start the reading thread: {err}")))?;
    Ok(Reader {
        receive: Mutex::new(receive),
    })
}

/// The reading thread: every record, extracted, sent in order; stops when Python drops the
/// reader.
fn read_all(
    paths: &[String],
    options: &retrace_ingest::Options,
    pool: &rayon::ThreadPool,
    send: &SyncSender<Read>,
) {
    let expanded = retrace_engine::corpus::expand(paths);
    let extractor = retrace_extract::Extractor::default();
    let mut counts = Counts::default();
    let sent = CorpusReader::new(&expanded, options).read(
        pool,
        &mut counts,
        |item| {
            retrace_engine::extract_record(item, &extractor).map(|(raw, article)| {
                (
                    ArticleJson::new(&raw, &article).to_line(),
                    article.embedded.len(),
                )
            })
        },
        |counts, item| {
            let read = match item {
                Item::Unreadable(skip) | Item::Record(Err(skip)) => {
                    counts.skip(&skip);
                    Read::Skipped(skip)
                }
                Item::Record(Ok((line, embedded))) => {
                    counts.article(embedded);
                    Read::Article(line)
                }
            };
            send.send(read)
        },
    );
    if sent.is_ok() {
        let _ = send.send(Read::Done(counts));
    }
}

/// What a scan gives back to Python: every output line, as the command's files hold them.
struct Scanned {
    pairs: Vec<String>,
    stories: Vec<String>,
    clusters: Vec<String>,
    skipped: Vec<(String, &'static str, &'static str, String)>,
    summary: String,
}

/// A scan's sink for Python: the lines kept in memory, the output folder written too when
/// there is one, and the progress shown when Python asked for it.
struct Kept<'a> {
    folder: Option<retrace_engine::scan::Folder>,
    pairs: Vec<String>,
    stories: Vec<String>,
    clusters: Vec<String>,
    shown: Option<&'a ScanProgress>,
}

impl Kept<'_> {
    fn check(&self) -> Result<(), Raised> {
        match self.shown {
            Some(shown) => shown.check().map_err(Raised),
            None => Ok(()),
        }
    }
}

impl retrace_engine::scan::ScanSink for Kept<'_> {
    type Error = Raised;

    fn progress(&self, progress: Progress) {
        let Some(shown) = self.shown else {
            return;
        };
        match progress {
            Progress::Keys { what, part, parts } => shown.update("pairs", |phase| {
                phase.done = part;
                phase.total = Some(parts);
                phase.detail = Detail::Text(what.to_owned());
            }),
            // The parts of the last kind of key are done: what follows has no count.
            Progress::Checking(candidates) => shown.update("pairs", |phase| {
                phase.done = 0;
                phase.total = None;
                phase.detail = Detail::Text(format!("checking {candidates} candidate pairs"));
            }),
            Progress::Judged => shown.update("judge", |phase| phase.done += 1),
        }
    }

    fn candidates(&mut self, candidates: &retrace_engine::scan::Candidates) -> Result<(), Raised> {
        self.check()?;
        if let Some(shown) = self.shown {
            shown.update("pairs", |phase| {
                phase.detail = Detail::Text(format!(
                    "{} candidate pairs, {} to judge",
                    candidates.found,
                    candidates.pairs.len()
                ));
            });
            shown.start("judge", Some(candidates.pairs.len() as u64));
        }
        for cluster in &candidates.clusters {
            self.clusters.push(serde_json::to_string(cluster)?);
        }
        match &mut self.folder {
            Some(folder) => Ok(folder.candidates(candidates)?),
            None => Ok(()),
        }
    }

    fn wants_pages(&self) -> bool {
        self.folder
            .as_ref()
            .is_some_and(|folder| folder.wants_pages())
    }

    fn pair(&mut self, pair: &retrace_engine::scan::JudgedPair) -> Result<Option<String>, Raised> {
        self.check()?;
        if let Some(shown) = self.shown {
            shown.update("judge", |phase| match &mut phase.detail {
                Detail::Related(related) => *related += 1,
                detail => *detail = Detail::Related(1),
            });
        }
        self.pairs.push(pair.line.trim_end().to_owned());
        match &mut self.folder {
            Some(folder) => Ok(folder.pair(pair)?),
            None => Ok(None),
        }
    }

    fn judged(&mut self) -> Result<(), Raised> {
        self.check()?;
        if let Some(shown) = self.shown {
            shown.start("stories", None);
        }
        match &mut self.folder {
            Some(folder) => Ok(folder.judged()?),
            None => Ok(()),
        }
    }

    fn stories(&mut self, stories: &[retrace_judge::story::Story]) -> Result<(), Raised> {
        if let Some(shown) = self.shown {
            shown.update("stories", |phase| phase.done = stories.len() as u64);
        }
        for story in stories {
            self.stories.push(serde_json::to_string(story)?);
        }
        match &mut self.folder {
            Some(folder) => Ok(folder.stories(stories)?),
            None => Ok(()),
        }
    }
}

fn stage_name(stage: retrace_span::Stage) -> &'static str {
    match stage {
        retrace_span::Stage::Read => "read",
        retrace_span::Stage::Extract => "extract",
    }
}

/// The reading phase's count and words after each record (with, for `Index.add`, the documents
/// stored so far).
fn show_read(
    shown: Option<&ScanProgress>,
    name: &'static str,
    counts: &Counts,
    bytes: u64,
    stored: Option<u64>,
) {
    if let Some(shown) = shown {
        shown.update(name, |phase| {
            phase.done = counts.documents;
            phase.detail = Detail::Read {
                articles: counts.articles,
                bytes,
                skipped: counts.skipped(),
                stored,
            };
        });
    }
}

/// Scans a corpus (see `retrace.scan`): read, candidates, judge, stories, as `retrace scan`;
/// with `progress`, where it is.
#[pyfunction]
#[pyo3(signature = (
    paths,
    out = None,
    alignment = "full",
    threads = None,
    options = None,
    progress = None,
))]
#[allow(clippy::type_complexity)]
fn scan(
    py: Python<'_>,
    paths: Vec<String>,
    out: Option<PathBuf>,
    alignment: &str,
    threads: Option<usize>,
    options: Option<&Bound<'_, ReadOptions>>,
    progress: Option<Py<ScanProgress>>,
) -> PyResult<(
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<(String, &'static str, &'static str, String)>,
    String,
)> {
    use retrace_engine::scan::{AlignmentOutput, Folder, Scan, ScanConfig};
    let alignment = match alignment {
        "full" => AlignmentOutput::Full,
        "spans" => AlignmentOutput::Spans,
        "none" => AlignmentOutput::None,
        other => {
            return Err(PyValueError::new_err(format!(
                "alignment is \"full\", \"spans\" or \"none\", not {other:?}"
            )));
        }
    };
    let options = options_of(options);
    let shown: Option<&ScanProgress> = progress.as_ref().map(|progress| progress.get());
    let scanned = py.allow_threads(|| -> PyResult<Scanned> {
        let pool = worker_pool(threads)?;
        let expanded = retrace_engine::corpus::expand(&paths);
        let on_disk: u64 = expanded
            .inputs
            .iter()
            .map(|input| match input {
                retrace_ingest::Input::Path(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
                retrace_ingest::Input::Stdin => 0,
            })
            .sum();
        let folder = match &out {
            Some(out) => Some(Folder::create(out, on_disk).map_err(scan_error)?),
            None => None,
        };
        // The spill store goes to the output folder, or to the system's temporary folder.
        let spill = match &out {
            Some(out) => out.clone(),
            None => std::env::temp_dir(),
        };
        let config = ScanConfig {
            alignment,
            ..ScanConfig::default()
        };
        let mut scan = Scan::new(config, &spill).map_err(scan_error)?;
        let sketcher = scan.sketcher().clone();
        let mut counts = Counts::default();
        let mut bytes_read = 0u64;
        let mut skipped = Vec::new();
        let mut skipped_list = out
            .as_ref()
            .map(|out| SkippedList::create(&out.join(retrace_engine::scan::SKIPPED_FILE)))
            .transpose()
            .map_err(output_error)?;
        if let Some(shown) = shown {
            shown.start("read", None);
        }
        CorpusReader::new(&expanded, &options).read(
            &pool,
            &mut counts,
            |item| retrace_engine::Document::read(item, &sketcher),
            |counts, item| -> PyResult<()> {
                if let Some(shown) = shown {
                    shown.check()?;
                }
                match item {
                    Item::Record(Ok(doc)) => {
                        counts.article(doc.embedded);
                        bytes_read += doc.raw.text.len() as u64;
                        scan.add(doc).map_err(scan_error)?;
                    }
                    Item::Record(Err(skip)) | Item::Unreadable(skip) => {
                        counts.skip(&skip);
                        if let Some(list) = &mut skipped_list {
                            list.write(&skip).map_err(output_error)?;
                        }
                        skipped.push((
                            skip.origin.to_string(),
                            stage_name(skip.stage),
                            skip.kind,
                            skip.reason,
                        ));
                    }
                }
                show_read(shown, "read", counts, bytes_read, None);
                Ok(())
            },
        )?;
        if let Some(list) = &mut skipped_list {
            list.finish().map_err(output_error)?;
        }
        if let Some(shown) = shown {
            shown.start("pairs", None);
        }
        let mut kept = Kept {
            folder,
            pairs: Vec::new(),
            stories: Vec::new(),
            clusters: Vec::new(),
            shown,
        };
        let found = scan.run(&pool, &mut kept)?;
        let summary = found.line(&counts);
        if let Some(folder) = &kept.folder {
            folder.write_report(&summary).map_err(scan_error)?;
        }
        Ok(Scanned {
            pairs: kept.pairs,
            stories: kept.stories,
            clusters: kept.clusters,
            skipped,
            summary,
        })
    })?;
    Ok((
        scanned.pairs,
        scanned.stories,
        scanned.clusters,
        scanned.skipped,
        scanned.summary,
    ))
}

/// An index on disk (see `retrace.Index`): one writer (this object's, taken per call), and
/// read snapshots lent to any number of threads.
#[pyclass(frozen, module = "retrace._retrace", name = "Index")]
struct PyIndex {
    reader: retrace_index::IndexReader,
    writer: Mutex<Option<retrace_index::Index>>,
}

impl PyIndex {
    fn write<T>(&self, work: impl FnOnce(&mut retrace_index::Index) -> PyResult<T>) -> PyResult<T> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| error("the index's writer is poisoned"))?;
        let index = match writer.as_mut() {
            Some(index) => index,
            None => {
                writer.insert(retrace_index::Index::open(self.reader.dir()).map_err(store_error)?)
            }
        };
        work(index)
    }
}

#[pymethods]
impl PyIndex {
    /// Opens the index in `path`, created when `create` and missing.
    #[new]
    #[pyo3(signature = (path, create = true))]
    fn new(py: Python<'_>, path: PathBuf, create: bool) -> PyResult<PyIndex> {
        py.allow_threads(|| {
            let index = if create {
                retrace_index::Index::create_or_open(&path)
            } else {
                retrace_index::Index::open(&path)
            }
            .map_err(store_error)?;
            let reader = retrace_index::IndexReader::open(&path).map_err(store_error)?;
            Ok(PyIndex {
                reader,
                writer: Mutex::new(Some(index)),
            })
        })
    }

    /// Adds every record of `paths` in batches, read with `options`; returns (added, updated,
    /// unchanged, pairs, skipped, not compared). With `progress`, where it is.
    #[pyo3(signature = (paths, batch = 1000, threads = None, options = None, progress = None))]
    #[allow(clippy::type_complexity)]
    fn add(
        &self,
        py: Python<'_>,
        paths: Vec<String>,
        batch: usize,
        threads: Option<usize>,
        options: Option<&Bound<'_, ReadOptions>>,
        progress: Option<Py<ScanProgress>>,
    ) -> PyResult<(
        u64,
        u64,
        u64,
        u64,
        Vec<(String, &'static str, &'static str, String)>,
        Vec<(i64, String)>,
    )> {
        use retrace_engine::indexing::{AddConfig, Adder, Unnamed};
        let mut adder = Adder::new(AddConfig {
            batch,
            unnamed: Unnamed::ByPlace,
        })
        .map_err(|bad| PyValueError::new_err(bad.to_string()))?;
        let options = options_of(options);
        let shown: Option<&ScanProgress> = progress.as_ref().map(|progress| progress.get());
        let added = py.allow_threads(|| {
            let pool = worker_pool(threads)?;
            let engine = engine("none")?;
            let expanded = retrace_engine::corpus::expand(&paths);
            let sketcher = retrace_sketch::Sketcher::default();
            let mut counts = Counts::default();
            let mut bytes_read = 0u64;
            let mut skipped = Vec::new();
            let mut not_compared = Vec::new();
            let mut commit = |adder: &mut Adder| -> PyResult<u64> {
                let done =
                    self.write(|index| adder.commit(index, engine, &pool).map_err(indexing_error))?;
                not_compared.extend(done.into_iter().flat_map(|done| done.not_compared));
                let totals = &adder.totals().counts;
                Ok(totals.added + totals.updated + totals.unchanged)
            };
            let mut stored = 0;
            if let Some(shown) = shown {
                shown.start("add", None);
            }
            CorpusReader::new(&expanded, &options).read(
                &pool,
                &mut counts,
                |item| retrace_engine::Document::read(item, &sketcher),
                |counts, item| -> PyResult<()> {
                    // A batch added before the interruption stays in the index.
                    if let Some(shown) = shown {
                        shown.check()?;
                    }
                    match item {
                        Item::Record(Ok(doc)) => {
                            counts.article(doc.embedded);
                            bytes_read += doc.raw.text.len() as u64;
                            if adder.push(doc) {
                                stored = commit(&mut adder)?;
                            }
                        }
                        Item::Record(Err(skip)) | Item::Unreadable(skip) => {
                            counts.skip(&skip);
                            skipped.push((
                                skip.origin.to_string(),
                                stage_name(skip.stage),
                                skip.kind,
                                skip.reason,
                            ));
                        }
                    }
                    show_read(shown, "add", counts, bytes_read, Some(stored));
                    Ok(())
                },
            )?;
            if adder.held() > 0 {
                stored = commit(&mut adder)?;
                show_read(shown, "add", &counts, bytes_read, Some(stored));
            }
            let totals = adder.totals().counts;
            PyResult::Ok((totals, skipped, not_compared))
        });
        let (totals, skipped, not_compared) = added?;
        Ok((
            totals.added,
            totals.updated,
            totals.unchanged,
            totals.pairs,
            skipped,
            not_compared,
        ))
    }

    /// Looks an article up: the JSON of each related indexed document (the compare object with
    /// `indexed` and `stands_for`), derivations first.
    fn query(&self, py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let raw = raw_of(input)?;
        py.allow_threads(|| {
            let pool = worker_pool(None)?;
            let engine = engine("none")?;
            let sketcher = retrace_sketch::Sketcher::default();
            // The article's own failure: read, but no article in it.
            let doc = retrace_engine::Document::read(Ok(raw), &sketcher).map_err(input_error)?;
            let found = self
                .reader
                .read(|snapshot| retrace_engine::indexing::lookup(snapshot, engine, &pool, &doc))
                .map_err(indexing_error)?;
            found
                .matches
                .iter()
                .map(|m| serde_json::to_string(&m.json).map_err(error))
                .collect()
        })
    }

    /// The side-by-side page of an article and the indexed document `id`.
    fn pair_html(&self, py: Python<'_>, input: &Bound<'_, PyAny>, id: i64) -> PyResult<String> {
        use retrace_index::Read;
        let raw = raw_of(input)?;
        py.allow_threads(|| {
            let other = self
                .reader
                .read(|snapshot| snapshot.raw(id))
                .map_err(store_error)?
                .ok_or_else(|| store_error(format!("no document {id} in the index")))?;
            let engine = engine("none")?;
            let compared = engine.compare(&raw, &other).map_err(engine_error)?;
            Ok(retrace_report::html::render(
                &compared.report(&raw.text, &other.text),
            ))
        })
    }

    /// The story holding the indexed document `id` as JSON (with `members` ids and `newest`),
    /// or `None`.
    fn story(&self, py: Python<'_>, id: i64) -> PyResult<Option<String>> {
        py.allow_threads(|| {
            let found = self
                .reader
                .read(|snapshot| {
                    retrace_engine::indexing::story_of_document(snapshot, id, |_, _| None)
                })
                .map_err(indexing_error)?;
            found
                .map(|found| {
                    let mut value = serde_json::to_value(&found.story)?;
                    value["member_ids"] = serde_json::json!(found.members);
                    value["newest"] = serde_json::json!(found.newest);
                    serde_json::to_string(&value)
                })
                .transpose()
                .map_err(error)
        })
    }

    /// Counts of what the index holds, as JSON.
    fn stats(&self, py: Python<'_>) -> PyResult<String> {
        py.allow_threads(|| {
            self.write(|index| {
                let stats = index.stats().map_err(store_error)?;
                serde_json::to_string(&stats).map_err(error)
            })
        })
    }
}

/// The native part of `retrace`.
#[pymodule]
fn _retrace(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_MAX_BYTES", retrace_ingest::DEFAULT_MAX_BYTES)?;
    m.add("Error", m.py().get_type::<Error>())?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("ModelError", m.py().get_type::<ModelError>())?;
    m.add("StoreError", m.py().get_type::<StoreError>())?;
    m.add("OutputError", m.py().get_type::<OutputError>())?;
    m.add_class::<Comparison>()?;
    m.add_class::<ReadOptions>()?;
    m.add_class::<ScanProgress>()?;
    m.add_class::<Reader>()?;
    m.add_class::<PyIndex>()?;
    arrow::register(m)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    Ok(())
}
