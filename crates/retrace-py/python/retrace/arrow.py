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

from typing import Any, Dict, Iterator, Optional, Sequence

from . import _retrace

__all__ = [
    "SKETCH_COLUMNS",
    "bucket_pairs",
    "buckets",
    "check",
    "compare",
    "documents",
    "judge",
    "keys",
    "plan",
    "read_contents",
    "read_files",
    "sketch_records",
    "stated",
    "story",
]

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
    """The keys of each row's sketch, one row per key: ``document`` (the row's ``id``, a
    string or, for an integer ``id`` column, an ``int64``), ``kind`` (``band``: a MinHash LSH
    band key for near-copies at a shingle Jaccard of about ``threshold``; ``anchor``: a shingle
    anchor for excerpts; ``term``: a name or number, of which the rarest in the corpus make
    candidates for rewrites) and ``key`` (a 64-bit hash, as a signed ``int64``: engines such as
    Spark have no unsigned type). Rows without a sketch (skipped documents) give none."""
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


# The steps of ``retrace scan`` one item at a time, for a scan that a distributed engine runs
# (``retrace.spark``). Each is the function the scan itself calls for that item, so that the
# engine gets the scan's answers. Documents, ranks, keys and sites are ``int64``.


def read_files(
    batch: Any, *, path: str = "path", file: str = "file", **reading: Any
) -> Iterator[Any]:
    """Reads every record of each row's file (column ``path``; ``file`` numbers the file) as
    ``retrace scan`` does (text, HTML, WARC, JSONL, compressed or not). Returns an iterator of
    record batches, each a chunk of records (at most 4,096 or 64 MB), read as it is asked for,
    so that a file of any size streams through. One row per record,
    with ``file``, ``record`` (its place in the file, from 0) and ``raw`` (the record as
    bytes, which ``sketch_records`` reads), or, for a record that cannot be read,
    ``skipped_kind`` and ``skipped_line`` (its line of ``skipped.jsonl``) instead.
    ``reading``: the reading options of ``retrace.read`` (``max_bytes``, ``text_field``,
    ``html_field``, ``id_field``, ``url_field``, ``date_field``, ``title_field``)."""
    return iter(_retrace.arrow_read_files(batch, path, file, _reading(reading)))


READING = ("max_bytes", "text_field", "html_field", "id_field", "url_field", "date_field", "title_field")


def _reading(options: Dict[str, Any]) -> Optional["_retrace.ReadOptions"]:
    """Reading options as the kernels take them (``None``: the defaults), checked as
    ``retrace.read`` checks them."""
    unknown = sorted(set(options) - set(READING))
    if unknown:
        raise TypeError(f"unknown reading option {unknown[0]!r}; they are {', '.join(READING)}")
    if not any(value is not None for value in options.values()):
        return None
    return _retrace.ReadOptions(**options)


def read_contents(
    batch: Any, *, path: str = "path", content: str = "content", file: str = "file", **reading: Any
) -> Iterator[Any]:
    """``read_files`` for files given as bytes (column ``content``, such as Spark's
    ``binaryFile`` source gives them), each named by its ``path``: the same chunks."""
    return iter(_retrace.arrow_read_contents(batch, path, content, file, _reading(reading)))


def sketch_records(batch: Any, *, alignment: str = "spans", raw: str = "raw") -> Any:
    """Extracts and sketches each row's record (column ``raw``, as ``read_files`` gives it):
    ``origin`` (as the scan prints it), ``title``, ``published`` and its ``published_rank``,
    ``words``, ``anchors`` (how many its sketch holds), ``fingerprint``, ``site`` (a key of the
    site's name), ``embedded`` (articles pasted after it), ``sketch``, and ``packed`` (what
    ``judge`` and ``story`` read back: the record and, unless ``alignment`` is ``"none"``, its
    text); a record that gives no article has ``extract_skipped_kind`` and
    ``extract_skipped_line`` instead. A row without ``raw`` gives an empty row."""
    return _retrace.arrow_sketch_records(batch, alignment, raw)


def buckets(batch: Any) -> Any:
    """The candidate pairs of each row's bucket: ``kind`` (``band``, ``anchor`` or ``term``)
    and the lists ``documents``, ``ranks`` and ``sites`` of the documents that hold one key.
    An anchor's bucket first loses the pages of a site that holds it on five pages or more (a
    template); a bucket over 200 documents pairs each with its 3 first-ranked. Returns rows of
    ``kind``, ``a`` < ``b``, and, on a row without a pair, what a bucket passed over
    (``oversized``: 1, ``templated``: postings taken out)."""
    return _retrace.arrow_buckets(batch)


def check(batch: Any, *, alignment: str = "full", threshold: float = 0.3) -> Any:
    """For each row (a pair's ``kind`` of key, or ``exact`` for equal fingerprints, the
    ``shared`` count of such keys, and both sketches, ``sketch_a`` and ``sketch_b``): whether
    the keys make it a ``candidate`` (anchors and names need enough of them), and whether it
    ``passes`` the sketch check (shares enough to align, or, with ``alignment`` ``"none"``, to
    be related by the sketches alone)."""
    return _retrace.arrow_check(batch, alignment, threshold)


def plan(batch: Any) -> Any:
    """The plan of one connected component of checked pairs (rows ``a``, ``b``, ``rank_a``,
    ``rank_b``, ``sketch_a``, ``sketch_b``; ranks over the whole corpus): the pairs to judge
    (``a``, ``b``), the near-copy clusters (``representative`` and ``members``), and the count
    of pairs they stand for (``stood_for``, on a row of its own)."""
    return _retrace.arrow_plan(batch)


def judge(
    batch: Any,
    *,
    alignment: str = "full",
    threshold: float = 0.3,
    min_coverage: float = 0.0,
    direction_window: int = 0,
) -> Any:
    """Judges each row's pair (``origin_a``, ``packed_a``, ``sketch_a`` and the same for
    ``b``, as ``read_files`` gives them) as ``retrace scan`` does: ``relation`` (null where the
    scan writes no pair), ``source`` (``"a"``, ``"b"`` or null), ``joins_story`` and ``line``
    (its line of ``pairs.jsonl``)."""
    return _retrace.arrow_judge(batch, alignment, threshold, min_coverage, direction_window)


def stated(batch: Any, *, alignment: str = "full") -> Any:
    """What each row's document (``origin``, ``packed``, as ``read_files`` gives them) shows in
    a story and states for its claim ledger: ``title``, ``published`` and ``stated`` (its dated
    events, counted figures and attributed quotations, as JSON; null when ``alignment`` is
    ``"none"``, which writes no ledger). Per document, so run over a story's members in
    parallel; ``story`` reads these rows instead of the texts. A member it cannot read (its
    ``packed`` missing or corrupt, or a failure of the engine) states nothing (``stated`` an
    empty list, ``title`` and ``published`` null) and its ``skipped_line`` is its line of
    ``skipped.jsonl`` (``origin``, ``kind`` ``"failed"`` and ``reason``); null otherwise. It
    never fails the batch."""
    return _retrace.arrow_stated(batch, alignment)


def story(batch: Any, *, alignment: str = "full") -> Any:
    """The story of one connected component of derivation pairs: its rows are edges
    (``edge`` true: ``a``, ``b``, ``relation``, ``source``) and members (``edge`` false:
    ``a`` the member, ``origin``, and ``title``, ``published``, ``stated`` as ``stated``
    gives them). Returns one row: ``first`` (its least member)
    and ``story``, its line of ``stories.jsonl`` numbered 0 (number stories in order of
    ``first``), with its claim ledger unless ``alignment`` is ``"none"``."""
    return _retrace.arrow_story(batch, alignment)
