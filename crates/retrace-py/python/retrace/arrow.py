"""Batch kernels over Arrow record batches, for engines that move them (Spark's
``mapInArrow``, Ray, Dask, DuckDB). Batches cross into Rust and back through the Arrow C data
interface, without copying their columns. Each kernel is a pure function of its batch: a
distributed engine may run it on any partition, any number of times, and get the same rows.

The pipeline of ``retrace scan`` over them: ``documents`` (extract and sketch each page) →
``keys`` (each sketch's keys, one row each) → group the rows by key → ``bucket_pairs`` (the
candidate pairs of one key's bucket, a story with hundreds of copies paired through its first
ranked documents) → the pairs' shared evidence → the pair engine.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from . import _retrace

__all__ = ["bucket_pairs", "compare", "documents", "keys", "SKETCH_COLUMNS"]

#: The columns ``documents`` returns, in order.
SKETCH_COLUMNS = (
    "id",
    "origin",
    "url",
    "site",
    "title",
    "published",
    "words",
    "fingerprint",
    "sketch",
    "skipped_kind",
    "skipped_reason",
)


def documents(
    batch: Any,
    *,
    text: Optional[str] = None,
    html: Optional[str] = None,
    url: Optional[str] = None,
    id: Optional[str] = None,
) -> Any:
    """Extracts and sketches the document of each row of ``batch`` (any object with
    ``__arrow_c_array__``: a ``pyarrow.RecordBatch``, say), read from its ``text`` column (plain
    text or a page, as strings) or its ``html`` column (strings or bytes, any charset).
    ``url`` and ``id`` name optional columns with each page's address and identifier.

    Returns a ``pyarrow.RecordBatch`` with one row per input row (``SKETCH_COLUMNS``): the
    article's metadata, its word count, its text fingerprint (32 hex digits), its ``sketch``
    (retrace's versioned sketch bytes, which ``keys`` reads), and, for a row that gives no
    article, ``skipped_kind`` and ``skipped_reason`` instead (a bad row is a row, never an
    exception). A row without ``id`` is known as ``<row N>``."""
    return _retrace.arrow_documents(batch, text, html, url, id)


def keys(batch: Any, *, sketch: str = "sketch", id: str = "id", threshold: float = 0.3) -> Any:
    """The keys of each row's sketch, one row per key: ``document`` (the row's ``id``),
    ``kind`` (``band``: a MinHash LSH band key for near-copies at a shingle Jaccard of about
    ``threshold``; ``anchor``: a shingle anchor for excerpts; ``term``: a name or number, of
    which the rarest in the corpus make candidates for rewrites) and ``key`` (a 64-bit hash).
    Rows without a sketch (skipped documents) give none."""
    return _retrace.arrow_keys(batch, sketch, id, threshold)


def bucket_pairs(
    documents: Sequence[int],
    ranks: Optional[Sequence[int]] = None,
    *,
    max_bucket: int = 200,
    hubs: int = 3,
) -> Any:
    """The candidate pairs of one key's bucket: the ``documents`` (numbers) that hold the key.
    A bucket of at most ``max_bucket`` documents gives every pair; a larger one (boilerplate,
    or a story republished hundreds of times) pairs each document with its ``hubs``
    first-ranked ones (least ``ranks``, such as the earliest published), so that it costs
    linear work. Returns a ``pyarrow.RecordBatch`` of ``a < b`` pairs."""
    return _retrace.arrow_bucket_pairs(
        list(documents), None if ranks is None else list(ranks), max_bucket, hubs
    )


def compare(
    batch: Any,
    *,
    a: str = "a",
    b: str = "b",
    a_origin: Optional[str] = None,
    b_origin: Optional[str] = None,
    alignment: str = "spans",
    min_coverage: float = 0.0,
) -> Any:
    """Judges the pair of each row (the documents of columns ``a`` and ``b``: text, pages,
    strings or bytes) as ``retrace scan`` judges its pairs: ``relation``, ``source`` (``"a"``,
    ``"b"`` or null), ``confidence``, ``coverage_a``, ``coverage_b``, and ``line``, the pair's
    line of ``pairs.jsonl`` with ``alignment`` ``"spans"`` or ``"full"`` (null where a scan
    writes none: unrelated, or covered less than ``min_coverage``). ``a_origin`` and
    ``b_origin`` name columns with where each document was read (the line names them). A row
    that cannot be judged has its reason in ``error``; the kernel never raises for a row."""
    return _retrace.arrow_compare(batch, a, b, a_origin, b_origin, alignment, min_coverage)
