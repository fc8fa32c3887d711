//! `retrace.arrow`: batch kernels over Arrow record batches, for engines that move them (Spark's
//! `mapInArrow`, Ray, Dask, DuckDB). Batches cross in and out through the Arrow C data
//! interface (`__arrow_c_array__`), without copying their columns; each kernel is a pure
//! function of its batch, so a distributed engine may run it on any partition, any number of
//! times.

mod steps;

use std::sync::Arc;

use arrow_array::builder::{
    BinaryBuilder, Float64Builder, Int64Builder, StringBuilder, UInt32Builder,
};
use arrow_array::{
    Array, ArrayRef, BinaryArray, LargeStringArray, RecordBatch, StringArray, UInt32Array,
};
use arrow_schema::{Field, Schema};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::PyRecordBatch;
use rayon::prelude::*;
use retrace_engine::Document;
use retrace_sketch::{Bands, Sketch, Sketcher};
use retrace_span::Origin;

/// A string column of `batch`, as text per row (`None` for a null).
fn strings(batch: &RecordBatch, name: &str) -> PyResult<Vec<Option<String>>> {
    let column = batch
        .column_by_name(name)
        .ok_or_else(|| PyValueError::new_err(format!("the batch has no column {name:?}")))?;
    let any = column.as_any();
    if let Some(array) = any.downcast_ref::<StringArray>() {
        return Ok(array.iter().map(|v| v.map(str::to_owned)).collect());
    }
    if let Some(array) = any.downcast_ref::<LargeStringArray>() {
        return Ok(array.iter().map(|v| v.map(str::to_owned)).collect());
    }
    Err(PyValueError::new_err(format!(
        "column {name:?} is {}, not a string column",
        column.data_type()
    )))
}

/// A bytes-or-string column of `batch`, as bytes per row.
fn bytes(batch: &RecordBatch, name: &str) -> PyResult<Vec<Option<Vec<u8>>>> {
    let column = batch
        .column_by_name(name)
        .ok_or_else(|| PyValueError::new_err(format!("the batch has no column {name:?}")))?;
    if let Some(array) = column.as_any().downcast_ref::<BinaryArray>() {
        return Ok(array.iter().map(|v| v.map(<[u8]>::to_vec)).collect());
    }
    Ok(strings(batch, name)?
        .into_iter()
        .map(|v| v.map(String::into_bytes))
        .collect())
}

fn optional_strings(batch: &RecordBatch, name: Option<&str>) -> PyResult<Vec<Option<String>>> {
    match name {
        Some(name) => strings(batch, name),
        None => Ok(vec![None; batch.num_rows()]),
    }
}

/// One row of `documents`: a document, or why there is none.
struct Row {
    id: Option<String>,
    origin: String,
    read: Result<Document, retrace_span::Skipped>,
}

/// Extracts and sketches each row (see `retrace.arrow.documents`).
#[pyfunction]
#[pyo3(name = "arrow_documents", signature = (batch, text = None, html = None, url = None, id = None))]
pub(crate) fn documents(
    py: Python<'_>,
    batch: PyRecordBatch,
    text: Option<&str>,
    html: Option<&str>,
    url: Option<&str>,
    id: Option<&str>,
) -> PyResult<PyObject> {
    let batch = batch.into_inner();
    let (column, is_html) = match (text, html) {
        (Some(text), None) => (text, false),
        (None, Some(html)) => (html, true),
        _ => {
            return Err(PyValueError::new_err(
                "name the column that holds each document: text=… or html=… (one of them)",
            ));
        }
    };
    let contents = bytes(&batch, column)?;
    let urls = optional_strings(&batch, url)?;
    let ids = optional_strings(&batch, id)?;
    let rows: Vec<Row> = py.allow_threads(|| {
        let sketcher = Sketcher::default();
        contents
            .into_par_iter()
            .zip(urls)
            .zip(ids)
            .enumerate()
            .map(|(n, ((content, url), id))| {
                // A row is known by its id where there is one, else by its place in the batch.
                let origin =
                    Origin::Path(id.clone().unwrap_or_else(|| format!("<row {n}>")).into());
                let name = is_html.then(|| std::path::Path::new("page.html"));
                let read = match content {
                    None => Err(retrace_span::Skipped {
                        origin: origin.clone(),
                        stage: retrace_span::Stage::Read,
                        kind: "empty",
                        reason: "the row's document is null".into(),
                    }),
                    Some(content) => {
                        let raw = retrace_ingest::read_bytes(origin.clone(), content, name).map(
                            |mut raw| {
                                raw.record.url = url;
                                raw.record.id.clone_from(&id);
                                raw
                            },
                        );
                        Document::read(raw, &sketcher)
                    }
                };
                Row {
                    id,
                    origin: origin.to_string(),
                    read,
                }
            })
            .collect()
    });
    let n = rows.len();
    let mut ids = StringBuilder::new();
    let mut origins = StringBuilder::new();
    let mut urls = StringBuilder::new();
    let mut sites = StringBuilder::new();
    let mut titles = StringBuilder::new();
    let mut published = StringBuilder::new();
    let mut words = UInt32Builder::with_capacity(n);
    let mut fingerprints = StringBuilder::new();
    let mut sketches = BinaryBuilder::new();
    let mut skipped_kind = StringBuilder::new();
    let mut skipped_reason = StringBuilder::new();
    for row in &rows {
        ids.append_option(row.id.as_deref());
        origins.append_value(&row.origin);
        match &row.read {
            Ok(doc) => {
                urls.append_option(doc.url.as_deref().or(doc.raw.record.url.as_deref()));
                sites.append_option(doc.site.as_deref());
                titles.append_option(doc.title.as_deref());
                published.append_option(doc.published.as_deref());
                words.append_value(doc.sketch.words);
                fingerprints.append_value(format!("{:032x}", doc.sketch.fingerprint.0));
                sketches.append_value(doc.sketch.to_bytes());
                skipped_kind.append_null();
                skipped_reason.append_null();
            }
            Err(skip) => {
                urls.append_null();
                sites.append_null();
                titles.append_null();
                published.append_null();
                words.append_null();
                fingerprints.append_null();
                sketches.append_null();
                skipped_kind.append_value(skip.kind);
                skipped_reason.append_value(&skip.reason);
            }
        }
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("id", Arc::new(ids.finish())),
        ("origin", Arc::new(origins.finish())),
        ("url", Arc::new(urls.finish())),
        ("site", Arc::new(sites.finish())),
        ("title", Arc::new(titles.finish())),
        ("published", Arc::new(published.finish())),
        ("words", Arc::new(words.finish())),
        ("fingerprint", Arc::new(fingerprints.finish())),
        ("sketch", Arc::new(sketches.finish())),
        ("skipped_kind", Arc::new(skipped_kind.finish())),
        ("skipped_reason", Arc::new(skipped_reason.finish())),
    ];
    batch_of(py, columns)
}

/// A record batch of named columns, as a `pyarrow.RecordBatch`.
fn batch_of(py: Python<'_>, columns: Vec<(&str, ArrayRef)>) -> PyResult<PyObject> {
    let schema = Schema::new(
        columns
            .iter()
            .map(|(name, array)| Field::new(*name, array.data_type().clone(), true))
            .collect::<Vec<_>>(),
    );
    let batch = RecordBatch::try_new(
        Arc::new(schema),
        columns.into_iter().map(|(_, array)| array).collect(),
    )
    .map_err(|err| PyValueError::new_err(err.to_string()))?;
    PyRecordBatch::new(batch).to_pyarrow(py)
}

/// The keys of each document's sketch (see `retrace.arrow.keys`).
#[pyfunction]
#[pyo3(name = "arrow_keys", signature = (batch, sketch = "sketch", id = "id", threshold = 0.3))]
pub(crate) fn keys(
    py: Python<'_>,
    batch: PyRecordBatch,
    sketch: &str,
    id: &str,
    threshold: f64,
) -> PyResult<PyObject> {
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(PyValueError::new_err(
            "threshold must be above 0 and at most 1",
        ));
    }
    let batch = batch.into_inner();
    let sketches = bytes(&batch, sketch)?;
    // Documents named by strings, or by numbers (as a distributed scan numbers them).
    let numbered = batch
        .column_by_name(id)
        .is_some_and(|column| column.data_type().is_integer());
    let ids: Vec<Option<String>> = if numbered {
        steps::ints(&batch, id)?
            .into_iter()
            .map(|v| v.map(|v| v.to_string()))
            .collect()
    } else {
        strings(&batch, id)?
    };
    let bands = Bands::for_threshold(threshold);
    let mut documents = StringBuilder::new();
    let mut numbers = Int64Builder::new();
    let mut kinds = StringBuilder::new();
    let mut values = Int64Builder::new();
    for (row, (bytes, id)) in sketches.iter().zip(&ids).enumerate() {
        let (Some(bytes), Some(id)) = (bytes, id) else {
            continue;
        };
        let sketch = Sketch::from_bytes(bytes)
            .map_err(|err| PyValueError::new_err(format!("row {row} ({id}): {err}")))?;
        let number: i64 = if numbered {
            id.parse().unwrap_or_default()
        } else {
            0
        };
        let mut emit = |kind: &str, key: u64| {
            if numbered {
                numbers.append_value(number);
            } else {
                documents.append_value(id);
            }
            kinds.append_value(kind);
            // A key's 64 bits as a signed number: engines such as Spark have no unsigned type.
            values.append_value(key as i64);
        };
        if !sketch.minhash.is_empty() {
            for key in bands.keys(&sketch.minhash) {
                emit("band", key);
            }
        }
        for &key in &sketch.anchors {
            emit("anchor", key);
        }
        for &key in &sketch.terms {
            emit("term", key);
        }
    }
    let documents: ArrayRef = if numbered {
        Arc::new(numbers.finish())
    } else {
        Arc::new(documents.finish())
    };
    batch_of(
        py,
        vec![
            ("document", documents),
            ("kind", Arc::new(kinds.finish())),
            ("key", Arc::new(values.finish())),
        ],
    )
}

/// The candidate pairs of one key's bucket (see `retrace.arrow.bucket_pairs`).
#[pyfunction]
#[pyo3(name = "arrow_bucket_pairs", signature = (documents, ranks = None, max_bucket = 200, hubs = 3))]
pub(crate) fn bucket_pairs(
    py: Python<'_>,
    documents: Vec<u32>,
    ranks: Option<Vec<u32>>,
    max_bucket: usize,
    hubs: usize,
) -> PyResult<PyObject> {
    let mut bucket: Vec<(u32, u32)> = match &ranks {
        Some(ranks) if ranks.len() == documents.len() => documents
            .iter()
            .copied()
            .zip(ranks.iter().copied())
            .collect(),
        Some(_) => {
            return Err(PyValueError::new_err(
                "ranks must give one rank per document",
            ));
        }
        None => documents.iter().map(|&doc| (doc, 0)).collect(),
    };
    bucket.sort_unstable();
    bucket.dedup_by_key(|(doc, _)| *doc);
    let docs: Vec<u32> = bucket.iter().map(|&(doc, _)| doc).collect();
    let rank_of = |doc: u32| docs.binary_search(&doc).map_or(u32::MAX, |at| bucket[at].1);
    let mut pairs = Vec::new();
    retrace_sketch::bucket_pairs(&docs, max_bucket, &rank_of, hubs, &mut pairs);
    pairs.sort_unstable();
    pairs.dedup();
    let (a, b): (Vec<u32>, Vec<u32>) = pairs.into_iter().unzip();
    batch_of(
        py,
        vec![
            ("a", Arc::new(UInt32Array::from(a))),
            ("b", Arc::new(UInt32Array::from(b))),
        ],
    )
}

/// One pair's result in `compare`.
type Judged = Result<retrace_engine::scan::PairLine, String>;

/// Judges each row's pair as a scan does (see `retrace.arrow.compare`).
#[pyfunction]
#[pyo3(
    name = "arrow_compare",
    signature = (batch, a = "a", b = "b", a_origin = None, b_origin = None, alignment = "spans", min_coverage = 0.0)
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn compare(
    py: Python<'_>,
    batch: PyRecordBatch,
    a: &str,
    b: &str,
    a_origin: Option<&str>,
    b_origin: Option<&str>,
    alignment: &str,
    min_coverage: f64,
) -> PyResult<PyObject> {
    use retrace_engine::scan::{AlignmentOutput, compare_pair};
    let alignment = match alignment {
        "full" => AlignmentOutput::Full,
        "spans" => AlignmentOutput::Spans,
        other => {
            return Err(PyValueError::new_err(format!(
                "alignment is \"full\" or \"spans\", not {other:?}"
            )));
        }
    };
    let batch = batch.into_inner();
    let (texts_a, texts_b) = (bytes(&batch, a)?, bytes(&batch, b)?);
    let (origins_a, origins_b) = (
        optional_strings(&batch, a_origin)?,
        optional_strings(&batch, b_origin)?,
    );
    let judged: Vec<Judged> = py.allow_threads(|| {
        let engine = retrace_engine::Engine::lexical();
        let raw = |n: usize, side: &str, origin: &Option<String>, text: Option<Vec<u8>>| {
            let origin = Origin::Path(
                origin
                    .clone()
                    .unwrap_or_else(|| format!("<row {n} {side}>"))
                    .into(),
            );
            let text = text.ok_or_else(|| format!("row {n}: {side} is null"))?;
            retrace_ingest::read_bytes(origin, text, None).map_err(|err| err.to_string())
        };
        texts_a
            .into_par_iter()
            .zip(texts_b)
            .zip(origins_a.into_par_iter().zip(origins_b))
            .enumerate()
            .map(|(n, ((text_a, text_b), (origin_a, origin_b)))| {
                let raw_a = raw(n, "a", &origin_a, text_a)?;
                let raw_b = raw(n, "b", &origin_b, text_b)?;
                compare_pair(&engine, &raw_a, &raw_b, alignment, min_coverage)
                    .map_err(|err| err.to_string())
            })
            .collect()
    });
    let mut relations = StringBuilder::new();
    let mut sources = StringBuilder::new();
    let mut confidences = Float64Builder::new();
    let mut coverage_a = Float64Builder::new();
    let mut coverage_b = Float64Builder::new();
    let mut lines = StringBuilder::new();
    let mut errors = StringBuilder::new();
    for pair in &judged {
        match pair {
            Ok(pair) => {
                relations.append_value(pair.relation.as_str());
                sources.append_option(pair.source.map(|side| match side {
                    retrace_judge::Side::A => "a",
                    retrace_judge::Side::B => "b",
                }));
                confidences.append_value(f64::from(pair.confidence));
                coverage_a.append_value(pair.coverage.0);
                coverage_b.append_value(pair.coverage.1);
                lines.append_option(pair.line.as_deref().map(str::trim_end));
                errors.append_null();
            }
            Err(err) => {
                relations.append_null();
                sources.append_null();
                confidences.append_null();
                coverage_a.append_null();
                coverage_b.append_null();
                lines.append_null();
                errors.append_value(err);
            }
        }
    }
    batch_of(
        py,
        vec![
            ("relation", Arc::new(relations.finish())),
            ("source", Arc::new(sources.finish())),
            ("confidence", Arc::new(confidences.finish())),
            ("coverage_a", Arc::new(coverage_a.finish())),
            ("coverage_b", Arc::new(coverage_b.finish())),
            ("line", Arc::new(lines.finish())),
            ("error", Arc::new(errors.finish())),
        ],
    )
}

/// The `retrace.arrow` module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(documents, m)?)?;
    m.add_function(wrap_pyfunction!(keys, m)?)?;
    m.add_function(wrap_pyfunction!(bucket_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    steps::register(m)
}
