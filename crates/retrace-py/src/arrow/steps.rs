//! The steps of `retrace scan` as Arrow batch kernels, for a scan that a distributed engine runs
//! (`retrace.spark`): read a file, one key's bucket, the evidence of candidate pairs, the plan of
//! one connected component, judge pairs, what a story's member states, the story of one
//! component. Each calls `retrace_engine::scan::steps`, the functions the scan itself calls, so
//! that the engine gives the scan's answers. Numbers that Spark sorts and joins on (documents,
//! ranks, keys, sites) are signed 64-bit: a hash's bits as they are.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::builder::{
    BinaryBuilder, BooleanBuilder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{
    Array, BooleanArray, Int32Array, Int64Array, ListArray, RecordBatch, UInt32Array, UInt64Array,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::PyRecordBatch;
use rayon::prelude::*;
use retrace_engine::Document;
use retrace_engine::scan::steps::{self, KeyKind, SketchSide};
use retrace_engine::scan::{AlignmentOutput, ScanConfig};
use retrace_judge::story::{Link, Related, Shown, Sketched};
use retrace_judge::{Side, Statements};
use retrace_sketch::Sketch;

use super::{batch_of, bytes, strings};

fn bad(err: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// An integer column of `batch` (any integer type Spark or pyarrow gives), as `i64` per row.
pub(super) fn ints(batch: &RecordBatch, name: &str) -> PyResult<Vec<Option<i64>>> {
    let column = batch
        .column_by_name(name)
        .ok_or_else(|| bad(format!("the batch has no column {name:?}")))?;
    int_values(column.as_ref(), name)
}

fn int_values(column: &dyn Array, name: &str) -> PyResult<Vec<Option<i64>>> {
    let any = column.as_any();
    if let Some(array) = any.downcast_ref::<Int64Array>() {
        return Ok(array.iter().collect());
    }
    if let Some(array) = any.downcast_ref::<Int32Array>() {
        return Ok(array.iter().map(|v| v.map(i64::from)).collect());
    }
    if let Some(array) = any.downcast_ref::<UInt32Array>() {
        return Ok(array.iter().map(|v| v.map(i64::from)).collect());
    }
    if let Some(array) = any.downcast_ref::<UInt64Array>() {
        return Ok(array.iter().map(|v| v.map(|v| v as i64)).collect());
    }
    Err(bad(format!(
        "column {name:?} is {}, not an integer column",
        column.data_type()
    )))
}

/// A list-of-integers column, as a list per row (a null list is empty).
fn int_lists(batch: &RecordBatch, name: &str) -> PyResult<Vec<Vec<Option<i64>>>> {
    let column = batch
        .column_by_name(name)
        .ok_or_else(|| bad(format!("the batch has no column {name:?}")))?;
    let lists = column
        .as_any()
        .downcast_ref::<ListArray>()
        .ok_or_else(|| bad(format!("column {name:?} is not a list column")))?;
    (0..lists.len())
        .map(|row| {
            if lists.is_null(row) {
                Ok(Vec::new())
            } else {
                int_values(lists.value(row).as_ref(), name)
            }
        })
        .collect()
}

fn booleans(batch: &RecordBatch, name: &str) -> PyResult<Vec<bool>> {
    let column = batch
        .column_by_name(name)
        .ok_or_else(|| bad(format!("the batch has no column {name:?}")))?;
    let array = column
        .as_any()
        .downcast_ref::<BooleanArray>()
        .ok_or_else(|| bad(format!("column {name:?} is not a boolean column")))?;
    Ok(array.iter().map(|v| v.unwrap_or(false)).collect())
}

fn id(value: Option<i64>, name: &str) -> PyResult<u32> {
    value
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| bad(format!("{name} must be a document number (0 to 2^32 - 1)")))
}

fn sketch_of(bytes: &Option<Vec<u8>>, what: &str) -> PyResult<Sketch> {
    let bytes = bytes
        .as_deref()
        .ok_or_else(|| bad(format!("{what}: no sketch")))?;
    Sketch::from_bytes(bytes).map_err(|err| bad(format!("{what}: {err}")))
}

/// Runs one document's or one pair's work so that a panic in it (a bug meeting a hostile page)
/// becomes that row's error, not a failed task: the engine retries a failed task, and the
/// same page would fail it every time.
fn guarded<T>(work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(done) => done,
        Err(panic) => Err(format!(
            "retrace failed on it ({}); please report it with the input",
            panic
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("a panic")
        )),
    }
}

fn alignment_of(name: &str) -> PyResult<AlignmentOutput> {
    match name {
        "full" => Ok(AlignmentOutput::Full),
        "spans" => Ok(AlignmentOutput::Spans),
        "none" => Ok(AlignmentOutput::None),
        other => Err(bad(format!(
            "alignment is \"full\", \"spans\" or \"none\", not {other:?}"
        ))),
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::A => "a",
        Side::B => "b",
    }
}

/// Reads every record of each row's file (see `retrace.arrow.read_files`): an iterator of
/// record batches, a chunk of records each, so that a file of any size streams through.
#[pyfunction]
#[pyo3(name = "arrow_read_files", signature = (batch, path = "path", file = "file", reading = None))]
pub(crate) fn read_files(
    batch: PyRecordBatch,
    path: &str,
    file: &str,
    reading: Option<Bound<'_, crate::ReadOptions>>,
) -> PyResult<RecordChunks> {
    let options = crate::options_of(reading.as_ref());
    let batch = batch.into_inner();
    let paths = strings(&batch, path)?;
    let files = ints(&batch, file)?;
    let pending = files
        .into_iter()
        .zip(paths)
        .map(|(file, path)| (file.unwrap_or(-1), Source::Path(path.unwrap_or_default())))
        .collect();
    Ok(RecordChunks::new(pending, options))
}

/// Where a file's bytes come from.
enum Source {
    /// A path to open.
    Path(String),
    /// The bytes themselves, with the name they were read under.
    Bytes(String, Vec<u8>),
}

/// Records handed back in one batch at most (and at most [`CHUNK_BYTES`] of them).
const CHUNK_RECORDS: usize = 4096;
/// Bytes of packed records in one batch at most: an Arrow binary column holds under 2 GB.
const CHUNK_BYTES: usize = 64 << 20;

/// The records of a batch of files, read a chunk at a time as Python asks for them.
#[pyclass(module = "retrace._retrace")]
pub(crate) struct RecordChunks {
    state: std::sync::Mutex<Chunks>,
}

struct Chunks {
    pending: std::collections::VecDeque<(i64, Source)>,
    current: Option<(i64, i64, retrace_ingest::Records)>,
    options: retrace_ingest::Options,
}

impl RecordChunks {
    fn new(
        pending: std::collections::VecDeque<(i64, Source)>,
        options: retrace_ingest::Options,
    ) -> RecordChunks {
        RecordChunks {
            state: std::sync::Mutex::new(Chunks {
                pending,
                current: None,
                options,
            }),
        }
    }
}

impl Chunks {
    /// The next records, up to a chunk.
    fn next_chunk(&mut self) -> Vec<Record> {
        let mut rows = Vec::new();
        let mut bytes = 0;
        while rows.len() < CHUNK_RECORDS && bytes < CHUNK_BYTES {
            if self.current.is_none() {
                let Some((file, source)) = self.pending.pop_front() else {
                    break;
                };
                let records = match source {
                    Source::Path(path) => retrace_ingest::open(
                        &retrace_ingest::Input::Path(path.into()),
                        &self.options,
                    ),
                    Source::Bytes(path, content) => {
                        let name = std::path::PathBuf::from(&path);
                        retrace_ingest::open_reader(
                            retrace_span::Origin::Path(name.clone()),
                            Box::new(std::io::Cursor::new(content)),
                            Some(&name),
                            &self.options,
                        )
                    }
                };
                self.current = Some((file, 0, records));
            }
            let Some((file, at, records)) = &mut self.current else {
                break;
            };
            match records.next() {
                Some(item) => {
                    let row = record_row(*file, *at, item);
                    *at += 1;
                    bytes += row.2.as_ref().map_or(0, Vec::len);
                    rows.push(row);
                }
                None => self.current = None,
            }
        }
        rows
    }
}

#[pymethods]
impl RecordChunks {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyObject>> {
        let rows = py.allow_threads(|| {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.next_chunk()
        });
        if rows.is_empty() {
            return Ok(None);
        }
        record_batch(py, rows).map(Some)
    }
}

/// One record as `read_files` gives it: its file, its place, the packed record or why not.
type Record = (
    i64,
    i64,
    Result<Vec<u8>, String>,
    Option<(&'static str, String)>,
);

fn record_row(
    file: i64,
    record: i64,
    item: Result<retrace_ingest::RawDoc, retrace_ingest::Error>,
) -> Record {
    match item {
        Ok(raw) => (
            file,
            record,
            steps::pack_record(&raw).map_err(|err| err.to_string()),
            None,
        ),
        Err(err) => {
            let skip = err.to_skipped();
            let line = serde_json::to_string(&retrace_engine::corpus::SkippedLine::of(&skip))
                .unwrap_or_default();
            (file, record, Ok(Vec::new()), Some((skip.kind, line)))
        }
    }
}

/// Reads every record of each row's file given as bytes (see `retrace.arrow.read_contents`): an
/// iterator of record batches, as `read_files`.
#[pyfunction]
#[pyo3(
    name = "arrow_read_contents",
    signature = (batch, path = "path", content = "content", file = "file", reading = None)
)]
pub(crate) fn read_contents(
    batch: PyRecordBatch,
    path: &str,
    content: &str,
    file: &str,
    reading: Option<Bound<'_, crate::ReadOptions>>,
) -> PyResult<RecordChunks> {
    let options = crate::options_of(reading.as_ref());
    let batch = batch.into_inner();
    let paths = strings(&batch, path)?;
    let contents = bytes(&batch, content)?;
    let files = ints(&batch, file)?;
    let pending = files
        .into_iter()
        .zip(paths.into_iter().zip(contents))
        .map(|(file, (path, content))| {
            let source = Source::Bytes(path.unwrap_or_default(), content.unwrap_or_default());
            (file.unwrap_or(-1), source)
        })
        .collect();
    Ok(RecordChunks::new(pending, options))
}

fn record_batch(py: Python<'_>, rows: Vec<Record>) -> PyResult<PyObject> {
    let (mut files, mut records) = (Int64Builder::new(), Int64Builder::new());
    let mut raws = BinaryBuilder::new();
    let (mut kinds, mut lines) = (StringBuilder::new(), StringBuilder::new());
    for (file, record, raw, skipped) in rows {
        files.append_value(file);
        records.append_value(record);
        match skipped {
            Some((kind, line)) => {
                raws.append_null();
                kinds.append_value(kind);
                lines.append_value(line);
            }
            None => {
                raws.append_value(raw.map_err(bad)?);
                kinds.append_null();
                lines.append_null();
            }
        }
    }
    batch_of(
        py,
        vec![
            ("file", Arc::new(files.finish())),
            ("record", Arc::new(records.finish())),
            ("raw", Arc::new(raws.finish())),
            ("skipped_kind", Arc::new(kinds.finish())),
            ("skipped_line", Arc::new(lines.finish())),
        ],
    )
}

/// Extracts and sketches each row's record (see `retrace.arrow.sketch_records`).
#[pyfunction]
#[pyo3(name = "arrow_sketch_records", signature = (batch, alignment = "spans", raw = "raw"))]
pub(crate) fn sketch_records(
    py: Python<'_>,
    batch: PyRecordBatch,
    alignment: &str,
    raw: &str,
) -> PyResult<PyObject> {
    let alignment = alignment_of(alignment)?;
    let batch = batch.into_inner();
    let raws = bytes(&batch, raw)?;
    let read: Vec<Option<Result<Document, retrace_span::Skipped>>> = py.allow_threads(|| {
        let sketcher = steps::sketcher(alignment);
        raws.par_iter()
            .map(|raw| {
                let raw = raw.as_deref()?;
                Some(match steps::unpack_record(raw) {
                    Ok(raw) => {
                        let origin = raw.origin.clone();
                        match guarded(|| Ok(Document::read(Ok(raw), &sketcher))) {
                            Ok(read) => read,
                            Err(reason) => Err(retrace_span::Skipped {
                                origin,
                                stage: retrace_span::Stage::Extract,
                                kind: "failed",
                                reason,
                            }),
                        }
                    }
                    Err(err) => Err(retrace_span::Skipped {
                        origin: retrace_span::Origin::Path("<packed record>".into()),
                        stage: retrace_span::Stage::Read,
                        kind: "unreadable",
                        reason: err.to_string(),
                    }),
                })
            })
            .collect()
    });
    let keep_text = alignment != AlignmentOutput::None;
    let mut b = ReadColumns::default();
    for row in &read {
        match row {
            Some(Ok(doc)) => {
                b.origin.append_value(doc.raw.origin.to_string());
                b.title.append_option(doc.title.as_deref());
                b.published.append_option(doc.published.as_deref());
                b.published_rank.append_option(
                    doc.published
                        .as_deref()
                        .map(|p| retrace_sketch::represent::date_rank(p) as i64),
                );
                b.words.append_value(i64::from(doc.sketch.words));
                b.anchors.append_value(doc.sketch.anchors.len() as i64);
                b.fingerprint
                    .append_value(format!("{:032x}", doc.sketch.fingerprint.0));
                b.site.append_option(
                    doc.site
                        .as_deref()
                        .map(|site| retrace_sketch::evidence::site_key(site) as i64),
                );
                b.embedded.append_value(doc.embedded as i64);
                b.sketch.append_value(doc.sketch.to_bytes());
                b.packed
                    .append_value(steps::pack(doc, keep_text).map_err(bad)?);
                b.skipped_kind.append_null();
                b.skipped_line.append_null();
            }
            Some(Err(skip)) => {
                b.skipped(Some(skip.origin.to_string()));
                b.skipped_kind.append_value(skip.kind);
                b.skipped_line.append_value(
                    serde_json::to_string(&retrace_engine::corpus::SkippedLine::of(skip))
                        .map_err(bad)?,
                );
            }
            // A record skipped while reading: its row passes through empty.
            None => {
                b.skipped(None);
                b.skipped_kind.append_null();
                b.skipped_line.append_null();
            }
        }
    }
    batch_of(
        py,
        vec![
            ("origin", Arc::new(b.origin.finish())),
            ("title", Arc::new(b.title.finish())),
            ("published", Arc::new(b.published.finish())),
            ("published_rank", Arc::new(b.published_rank.finish())),
            ("words", Arc::new(b.words.finish())),
            ("anchors", Arc::new(b.anchors.finish())),
            ("fingerprint", Arc::new(b.fingerprint.finish())),
            ("site", Arc::new(b.site.finish())),
            ("embedded", Arc::new(b.embedded.finish())),
            ("sketch", Arc::new(b.sketch.finish())),
            ("packed", Arc::new(b.packed.finish())),
            ("extract_skipped_kind", Arc::new(b.skipped_kind.finish())),
            ("extract_skipped_line", Arc::new(b.skipped_line.finish())),
        ],
    )
}

#[derive(Default)]
struct ReadColumns {
    origin: StringBuilder,
    title: StringBuilder,
    published: StringBuilder,
    published_rank: Int64Builder,
    words: Int64Builder,
    anchors: Int64Builder,
    fingerprint: StringBuilder,
    site: Int64Builder,
    embedded: Int64Builder,
    sketch: BinaryBuilder,
    packed: BinaryBuilder,
    skipped_kind: StringBuilder,
    skipped_line: StringBuilder,
}

impl ReadColumns {
    /// A row without a document (its skip columns are the caller's).
    fn skipped(&mut self, origin: Option<String>) {
        self.origin.append_option(origin);
        self.title.append_null();
        self.published.append_null();
        self.published_rank.append_null();
        self.words.append_null();
        self.anchors.append_null();
        self.fingerprint.append_null();
        self.site.append_null();
        self.embedded.append_null();
        self.sketch.append_null();
        self.packed.append_null();
    }
}

/// The candidate pairs of each row's bucket (see `retrace.arrow.buckets`).
#[pyfunction]
#[pyo3(name = "arrow_buckets")]
pub(crate) fn buckets(py: Python<'_>, batch: PyRecordBatch) -> PyResult<PyObject> {
    let batch = batch.into_inner();
    let kinds = strings(&batch, "kind")?;
    let documents = int_lists(&batch, "documents")?;
    let ranks = int_lists(&batch, "ranks")?;
    let sites = int_lists(&batch, "sites")?;
    let mut buckets = Vec::with_capacity(kinds.len());
    for (row, (((kind, documents), ranks), sites)) in kinds
        .iter()
        .zip(documents)
        .zip(ranks)
        .zip(sites)
        .enumerate()
    {
        let kind: KeyKind = kind.as_deref().unwrap_or_default().parse().map_err(bad)?;
        if documents.len() != ranks.len() || documents.len() != sites.len() {
            return Err(bad(format!(
                "row {row}: documents, ranks and sites must be lists of one length"
            )));
        }
        let bucket = documents
            .into_iter()
            .zip(ranks)
            .zip(sites)
            .map(|((doc, rank), site)| {
                Ok((
                    id(doc, "a document")?,
                    id(rank, "a rank")?,
                    site.map(|site| site as u64),
                ))
            })
            .collect::<PyResult<Vec<_>>>()?;
        buckets.push((kind, bucket));
    }
    let found: Vec<(KeyKind, steps::BucketPairs)> = py.allow_threads(|| {
        buckets
            .par_iter()
            .map(|(kind, bucket)| (*kind, steps::bucket(*kind, bucket)))
            .collect()
    });
    let mut kind = StringBuilder::new();
    let (mut a, mut b) = (Int64Builder::new(), Int64Builder::new());
    let (mut oversized, mut templated) = (Int64Builder::new(), Int64Builder::new());
    for (k, found) in &found {
        for &(x, y) in &found.pairs {
            kind.append_value(k.as_str());
            a.append_value(i64::from(x));
            b.append_value(i64::from(y));
            oversized.append_value(0);
            templated.append_value(0);
        }
        // What the bucket passed over, on a row of its own without a pair.
        if found.oversized || found.templated > 0 {
            kind.append_value(k.as_str());
            a.append_null();
            b.append_null();
            oversized.append_value(i64::from(found.oversized));
            templated.append_value(found.templated as i64);
        }
    }
    batch_of(
        py,
        vec![
            ("kind", Arc::new(kind.finish())),
            ("a", Arc::new(a.finish())),
            ("b", Arc::new(b.finish())),
            ("oversized", Arc::new(oversized.finish())),
            ("templated", Arc::new(templated.finish())),
        ],
    )
}

/// The evidence rule and the sketch check for each row's pair (see `retrace.arrow.check`).
#[pyfunction]
#[pyo3(name = "arrow_check", signature = (batch, alignment = "full", threshold = 0.3))]
pub(crate) fn check(
    py: Python<'_>,
    batch: PyRecordBatch,
    alignment: &str,
    threshold: f64,
) -> PyResult<PyObject> {
    let alignment = alignment_of(alignment)?;
    let batch = batch.into_inner();
    let kinds = strings(&batch, "kind")?;
    let shared = ints(&batch, "shared")?;
    let (sketch_a, sketch_b) = (bytes(&batch, "sketch_a")?, bytes(&batch, "sketch_b")?);
    // Per row: the kind of key (none for equal fingerprints), how many, both sketches.
    type Evidence<'r> = (
        Option<KeyKind>,
        usize,
        &'r Option<Vec<u8>>,
        &'r Option<Vec<u8>>,
    );
    let rows: Vec<Evidence<'_>> = kinds
        .iter()
        .zip(&shared)
        .zip(sketch_a.iter().zip(&sketch_b))
        .map(|((kind, shared), (a, b))| {
            let kind = match kind.as_deref() {
                Some("exact") => None,
                other => Some(other.unwrap_or_default().parse().map_err(bad)?),
            };
            Ok((kind, shared.unwrap_or(0).max(0) as usize, a, b))
        })
        .collect::<PyResult<_>>()?;
    let checked: Vec<(bool, bool)> = py.allow_threads(|| {
        rows.par_iter()
            .enumerate()
            .map(|(row, &(kind, shared, a, b))| {
                let a = sketch_of(a, &format!("row {row} a"))?;
                let b = sketch_of(b, &format!("row {row} b"))?;
                // Equal fingerprints are a candidate pair whatever else they share.
                let candidate = kind.is_none_or(|kind| steps::keys_suffice(kind, &a, &b, shared));
                let passes = steps::sketch_check(&a, &b, alignment, threshold).is_some();
                Ok((candidate, passes))
            })
            .collect::<PyResult<_>>()
    })?;
    let (candidate, passes): (Vec<bool>, Vec<bool>) = checked.into_iter().unzip();
    batch_of(
        py,
        vec![
            ("candidate", Arc::new(BooleanArray::from(candidate))),
            ("passes", Arc::new(BooleanArray::from(passes))),
        ],
    )
}

/// Whether a pair's `shared` keys of `kind` make it a candidate, from each document's count
/// of anchors and of words alone: `True` or `False` where the counts decide it, `None` where
/// the sketches do (see `retrace_engine::scan::steps::keys_suffice_by_counts`); `kind`
/// `"exact"` (equal fingerprints) is always a candidate. What `retrace.spark` decides its
/// check rows by before it joins them with the sketches, exposed so that its tests compare.
#[pyfunction]
#[pyo3(name = "keys_suffice_by_counts")]
pub(crate) fn keys_suffice_by_counts(
    kind: &str,
    shared: usize,
    anchors_a: usize,
    words_a: u32,
    anchors_b: usize,
    words_b: u32,
) -> PyResult<Option<bool>> {
    if kind == "exact" {
        return Ok(Some(true));
    }
    let kind: KeyKind = kind.parse().map_err(bad)?;
    Ok(steps::keys_suffice_by_counts(
        kind,
        (anchors_a, words_a),
        (anchors_b, words_b),
        shared,
    ))
}

/// The plan of one connected component of checked pairs (see `retrace.arrow.plan`).
#[pyfunction]
#[pyo3(name = "arrow_plan")]
pub(crate) fn plan(py: Python<'_>, batch: PyRecordBatch) -> PyResult<PyObject> {
    let batch = batch.into_inner();
    let (a, b) = (ints(&batch, "a")?, ints(&batch, "b")?);
    let (rank_a, rank_b) = (ints(&batch, "rank_a")?, ints(&batch, "rank_b")?);
    let (sketch_a, sketch_b) = (bytes(&batch, "sketch_a")?, bytes(&batch, "sketch_b")?);
    let mut sketches: BTreeMap<u32, Sketch> = BTreeMap::new();
    let mut ranks: BTreeMap<u32, u32> = BTreeMap::new();
    let mut pairs = Vec::with_capacity(a.len());
    for row in 0..a.len() {
        let (x, y) = (id(a[row], "a")?, id(b[row], "b")?);
        for (doc, rank, sketch) in [
            (x, rank_a[row], &sketch_a[row]),
            (y, rank_b[row], &sketch_b[row]),
        ] {
            ranks.insert(doc, id(rank, "a rank")?);
            if let std::collections::btree_map::Entry::Vacant(entry) = sketches.entry(doc) {
                entry.insert(sketch_of(sketch, &format!("document {doc}"))?);
            }
        }
        pairs.push((x.min(y), x.max(y)));
    }
    pairs.sort_unstable();
    pairs.dedup();
    let plan = py.allow_threads(|| steps::plan_component(&pairs, |d| &sketches[&d], |d| ranks[&d]));
    let (mut ja, mut jb) = (Int64Builder::new(), Int64Builder::new());
    let mut representative = Int64Builder::new();
    let mut members = ListBuilder::new(Int64Builder::new());
    let mut stood_for = Int64Builder::new();
    for judge in &plan.judge {
        ja.append_value(i64::from(judge.a));
        jb.append_value(i64::from(judge.b));
        representative.append_null();
        members.append_null();
        stood_for.append_value(0);
    }
    for cluster in &plan.clusters {
        ja.append_null();
        jb.append_null();
        representative.append_value(i64::from(cluster.representative));
        for &m in &cluster.members {
            members.values().append_value(i64::from(m));
        }
        members.append(true);
        stood_for.append_value(0);
    }
    // The count of pairs not judged, on a row of its own.
    ja.append_null();
    jb.append_null();
    representative.append_null();
    members.append_null();
    stood_for.append_value(plan.stood_for as i64);
    batch_of(
        py,
        vec![
            ("a", Arc::new(ja.finish())),
            ("b", Arc::new(jb.finish())),
            ("representative", Arc::new(representative.finish())),
            ("members", Arc::new(members.finish())),
            ("stood_for", Arc::new(stood_for.finish())),
        ],
    )
}

/// One judged pair of `judge`.
struct JudgedRow {
    link: Option<Link>,
    source: Option<Side>,
    line: Option<String>,
}

/// Judges each row's pair as the scan does (see `retrace.arrow.judge`).
#[pyfunction]
#[pyo3(
    name = "arrow_judge",
    signature = (batch, alignment = "full", threshold = 0.3, min_coverage = 0.0, direction_window = 0)
)]
pub(crate) fn judge(
    py: Python<'_>,
    batch: PyRecordBatch,
    alignment: &str,
    threshold: f64,
    min_coverage: f64,
    direction_window: u64,
) -> PyResult<PyObject> {
    let alignment = alignment_of(alignment)?;
    let batch = batch.into_inner();
    let (origin_a, origin_b) = (strings(&batch, "origin_a")?, strings(&batch, "origin_b")?);
    let (packed_a, packed_b) = (bytes(&batch, "packed_a")?, bytes(&batch, "packed_b")?);
    let (sketch_a, sketch_b) = (bytes(&batch, "sketch_a")?, bytes(&batch, "sketch_b")?);
    let config = ScanConfig {
        alignment,
        threshold,
        min_coverage,
        direction_window,
        ..ScanConfig::default()
    };
    let judged: Vec<Result<JudgedRow, String>> = py.allow_threads(|| {
        let engine = steps::engine(&config);
        let bad = |err: &dyn std::fmt::Display| err.to_string();
        (0..origin_a.len())
            .into_par_iter()
            .map(|row| {
                guarded(|| -> Result<JudgedRow, String> {
                    let what = |side: &str| format!("row {row} {side}");
                    let oa = origin_a[row].as_deref().unwrap_or_default();
                    let ob = origin_b[row].as_deref().unwrap_or_default();
                    let pa = packed_a[row]
                        .as_deref()
                        .ok_or_else(|| what("a: no document"))?;
                    let pb = packed_b[row]
                        .as_deref()
                        .ok_or_else(|| what("b: no document"))?;
                    let (ua, ub) = (
                        steps::unpack(oa, pa).map_err(|e| bad(&e))?,
                        steps::unpack(ob, pb).map_err(|e| bad(&e))?,
                    );
                    if alignment == AlignmentOutput::None {
                        let (sa, sb) = (
                            sketch_of(&sketch_a[row], &what("a")).map_err(|e| bad(&e))?,
                            sketch_of(&sketch_b[row], &what("b")).map_err(|e| bad(&e))?,
                        );
                        let shared = retrace_sketch::evidence::Shared::of(&sa, &sb);
                        let found = steps::sketch_pair(
                            SketchSide {
                                origin: oa,
                                title: ua.title.as_deref(),
                                sketch: &sa,
                            },
                            SketchSide {
                                origin: ob,
                                title: ub.title.as_deref(),
                                sketch: &sb,
                            },
                            &shared,
                            threshold,
                        )
                        .map_err(|e| bad(&e))?;
                        return Ok(match found {
                            Some((relation, source, line)) => JudgedRow {
                                link: Some(Link::Sketched(relation)),
                                source,
                                line: Some(line),
                            },
                            None => JudgedRow {
                                link: None,
                                source: None,
                                line: None,
                            },
                        });
                    }
                    let pair = retrace_engine::scan::compare_pair(
                        &engine,
                        &ua.raw,
                        &ub.raw,
                        alignment,
                        min_coverage,
                    )
                    .map_err(|e| bad(&e))?;
                    Ok(JudgedRow {
                        link: pair.line.is_some().then_some(Link::Judged(pair.relation)),
                        source: pair.source,
                        line: pair.line,
                    })
                })
            })
            .collect()
    });
    let mut relation = StringBuilder::new();
    let mut source = StringBuilder::new();
    let mut joins = BooleanBuilder::new();
    let mut line = StringBuilder::new();
    let mut error = StringBuilder::new();
    for row in &judged {
        match row {
            Ok(row) => {
                relation.append_option(row.link.map(|link| link.as_str()));
                source.append_option(row.source.map(side_name));
                joins.append_value(row.link.is_some_and(|link| link.joins_story()));
                line.append_option(row.line.as_deref().map(str::trim_end));
                error.append_null();
            }
            Err(err) => {
                relation.append_null();
                source.append_null();
                joins.append_value(false);
                line.append_null();
                error.append_value(err);
            }
        }
    }
    batch_of(
        py,
        vec![
            ("relation", Arc::new(relation.finish())),
            ("source", Arc::new(source.finish())),
            ("joins_story", Arc::new(joins.finish())),
            ("line", Arc::new(line.finish())),
            ("error", Arc::new(error.finish())),
        ],
    )
}

/// What each row's document shows in a story and states for its claim ledger (see
/// `retrace.arrow.stated`).
#[pyfunction]
#[pyo3(name = "arrow_stated", signature = (batch, alignment = "full"))]
pub(crate) fn stated(py: Python<'_>, batch: PyRecordBatch, alignment: &str) -> PyResult<PyObject> {
    let alignment = alignment_of(alignment)?;
    let batch = batch.into_inner();
    let origins = strings(&batch, "origin")?;
    let packed = bytes(&batch, "packed")?;
    type Row = (Option<String>, Option<String>, Option<String>);
    let rows: Vec<Result<Row, String>> = py.allow_threads(|| {
        let engine = steps::engine(&ScanConfig::default());
        (0..origins.len())
            .into_par_iter()
            .map(|row| {
                guarded(|| -> Result<Row, String> {
                    let origin = origins[row].as_deref().unwrap_or_default();
                    let bytes = packed[row]
                        .as_deref()
                        .ok_or_else(|| format!("row {row}: no document"))?;
                    let unpacked = steps::unpack(origin, bytes).map_err(|e| e.to_string())?;
                    let stated = if alignment == AlignmentOutput::None {
                        None
                    } else {
                        let statements =
                            steps::statements(&engine, &unpacked.raw).map_err(|e| e.to_string())?;
                        Some(serde_json::to_string(&statements).map_err(|e| e.to_string())?)
                    };
                    Ok((unpacked.title, unpacked.published, stated))
                })
            })
            .collect()
    });
    let mut titles = StringBuilder::new();
    let mut published = StringBuilder::new();
    let mut stated = StringBuilder::new();
    let mut skipped = StringBuilder::new();
    for (row, done) in rows.into_iter().enumerate() {
        match done {
            Ok((title, when, statements)) => {
                titles.append_option(title);
                published.append_option(when);
                stated.append_option(statements);
                skipped.append_null();
            }
            // A member it cannot read states nothing (the story keeps it, from its pairs) and
            // is a line of the skipped list, never a failed job.
            Err(reason) => {
                titles.append_null();
                published.append_null();
                stated.append_option(
                    (alignment != AlignmentOutput::None)
                        .then(|| serde_json::to_string(&Statements::default()))
                        .transpose()
                        .map_err(bad)?,
                );
                skipped.append_value(stated_skip(
                    origins[row].as_deref().unwrap_or_default(),
                    &reason,
                )?);
            }
        }
    }
    batch_of(
        py,
        vec![
            ("title", Arc::new(titles.finish())),
            ("published", Arc::new(published.finish())),
            ("stated", Arc::new(stated.finish())),
            ("skipped_line", Arc::new(skipped.finish())),
        ],
    )
}

/// The skipped-list line of a story member that `stated` could not read: its origin (as
/// printed; its file and place in it are not known there), the kind of reason (`failed`) and
/// the reason.
fn stated_skip(origin: &str, reason: &str) -> PyResult<String> {
    let json = |text: &str| serde_json::to_string(text).map_err(bad);
    Ok(format!(
        r#"{{"origin":{},"kind":"failed","reason":{}}}"#,
        json(origin)?,
        json(reason)?
    ))
}

/// The story of one connected component of derivation pairs (see `retrace.arrow.story`).
#[pyfunction]
#[pyo3(name = "arrow_story", signature = (batch, alignment = "full"))]
pub(crate) fn story(py: Python<'_>, batch: PyRecordBatch, alignment: &str) -> PyResult<PyObject> {
    let alignment = alignment_of(alignment)?;
    let batch = batch.into_inner();
    let is_edge = booleans(&batch, "edge")?;
    let (a, b) = (ints(&batch, "a")?, ints(&batch, "b")?);
    let relations = strings(&batch, "relation")?;
    let sources = strings(&batch, "source")?;
    let origins = strings(&batch, "origin")?;
    let titles = strings(&batch, "title")?;
    let published = strings(&batch, "published")?;
    let stated = strings(&batch, "stated")?;
    let mut shown: BTreeMap<u32, Shown> = BTreeMap::new();
    let mut statements: BTreeMap<u32, Statements> = BTreeMap::new();
    let mut related: Vec<Related> = Vec::new();
    for row in 0..is_edge.len() {
        let x = id(a[row], "a")?;
        if is_edge[row] {
            let y = id(b[row], "b")?;
            let name = relations[row].as_deref().unwrap_or_default();
            let link = link_of(name, alignment)?;
            let source = match sources[row].as_deref() {
                Some("a") => Some(Side::A),
                Some("b") => Some(Side::B),
                _ => None,
            };
            related.push(steps::related(x, y, link, source));
        } else {
            if alignment != AlignmentOutput::None {
                let json = stated[row]
                    .as_deref()
                    .ok_or_else(|| bad(format!("member {x}: no statements")))?;
                statements.insert(x, serde_json::from_str(json).map_err(bad)?);
            }
            shown.insert(
                x,
                Shown {
                    origin: origins[row].clone().unwrap_or_default(),
                    title: titles[row].clone(),
                    published: published[row].clone(),
                },
            );
        }
    }
    related.sort_unstable_by_key(|pair| (pair.a, pair.b));
    let first = related.iter().map(|p| p.a.min(p.b)).min();
    let story = py.allow_threads(|| {
        let statements = (alignment != AlignmentOutput::None).then_some(&statements);
        steps::story_of_component(0, &shown, &related, statements)
    });
    let story = story.map_err(bad)?;
    let mut firsts = Int64Builder::new();
    let mut lines = StringBuilder::new();
    if let (Some(story), Some(first)) = (story, first) {
        firsts.append_value(i64::from(first));
        lines.append_value(serde_json::to_string(&story).map_err(bad)?);
    }
    batch_of(
        py,
        vec![
            ("first", Arc::new(firsts.finish())),
            ("story", Arc::new(lines.finish())),
        ],
    )
}

/// A relation as `judge` names it: by the sketches alone without alignment.
fn link_of(name: &str, alignment: AlignmentOutput) -> PyResult<Link> {
    if alignment != AlignmentOutput::None {
        return Ok(Link::Judged(name.parse().map_err(bad)?));
    }
    Ok(Link::Sketched(match name {
        "duplicate" => Sketched::Duplicate,
        "excerpt" => Sketched::Excerpt,
        "similar" => Sketched::Similar,
        other => return Err(bad(format!("{other:?} is no relation by sketches"))),
    }))
}

/// The files that `paths` (files, folders, globs) name, in the order `retrace scan` reads them,
/// and the skipped-list lines of the arguments that name nothing readable.
#[pyfunction]
#[pyo3(name = "expand_inputs")]
pub(crate) fn expand_inputs(paths: Vec<String>) -> PyResult<(Vec<String>, Vec<String>)> {
    let expanded = retrace_engine::corpus::expand(&paths);
    let mut files = Vec::with_capacity(expanded.inputs.len());
    for input in &expanded.inputs {
        match input {
            retrace_ingest::Input::Path(path) => files.push(
                path.to_str()
                    .ok_or_else(|| bad(format!("{}: a path that is not UTF-8", path.display())))?
                    .to_owned(),
            ),
            retrace_ingest::Input::Stdin => {
                return Err(bad("a distributed scan cannot read standard input (-)"));
            }
        }
    }
    let skipped = expanded
        .errors
        .iter()
        .map(|err| {
            serde_json::to_string(&retrace_engine::corpus::SkippedLine::of(&err.to_skipped()))
                .map_err(bad)
        })
        .collect::<PyResult<_>>()?;
    Ok((files, skipped))
}

/// The kernels' functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(expand_inputs, m)?)?;
    m.add_class::<RecordChunks>()?;
    m.add_function(wrap_pyfunction!(read_files, m)?)?;
    m.add_function(wrap_pyfunction!(sketch_records, m)?)?;
    m.add_function(wrap_pyfunction!(read_contents, m)?)?;
    m.add_function(wrap_pyfunction!(buckets, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(keys_suffice_by_counts, m)?)?;
    // The evidence rule's thresholds, which `retrace.spark` decides check rows by.
    use retrace_sketch::evidence;
    m.add("MIN_SHARED_ANCHORS", evidence::MIN_SHARED_ANCHORS)?;
    m.add("MIN_PASSAGE_WORDS", evidence::MIN_PASSAGE_WORDS)?;
    m.add("MIN_SHARED_TERMS", evidence::MIN_SHARED_TERMS)?;
    m.add("STRONG_SHARED_TERMS", evidence::STRONG_SHARED_TERMS)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(judge, m)?)?;
    m.add_function(wrap_pyfunction!(stated, m)?)?;
    m.add_function(wrap_pyfunction!(story, m)?)?;
    Ok(())
}
