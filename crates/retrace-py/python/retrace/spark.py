"""``retrace scan`` as an Apache Spark job: the same pairs, clusters and stories, from a laptop
(``local[*]``) to a cluster.

    python -m retrace.spark scan INPUT... --out DIR [--master local[*]] [--alignment spans|full|none]

or, from a program that has a ``SparkSession``, ``retrace.spark.scan(spark, inputs, out)``.

Every step that looks at documents or pairs is one of the :mod:`retrace.arrow` kernels, run in
the executors over Arrow batches (``mapInArrow``, ``applyInArrow``); the steps between them are
Spark's own joins and group-bys. The plan of which pairs to judge and the stories are global in
``retrace scan``, yet each depends only on one connected component (of the checked candidate
pairs, and of the derivation pairs): the job finds the components with the large-star /
small-star algorithm (Kiveris et al., 2014) in DataFrames, then runs the kernel once per
component.

1. **read**: the input files are listed on the driver as ``retrace scan`` lists them; a file is
   a task that reads its records (``arrow.read_files``); the records are spread over the
   cluster and extracted and sketched there (``arrow.sketch_records``); documents are numbered
   in file and record order, and ranked as representatives (earliest published, most words,
   origin).
2. **keys**: each sketch's LSH band keys, anchors and names (``arrow.keys``); names keep the
   eight rarest of each document held by 2 to 200 documents of the corpus.
3. **buckets**: site templates counted and taken out of anchor buckets; buckets of up to 200
   documents grouped and paired (``arrow.buckets``); larger ones paired through their 3
   first-ranked documents by joins, so that no task holds a large bucket (skew); equal
   fingerprints paired too, each group as a star through its first-ranked document (N exact
   copies are N - 1 pairs, as in ``retrace scan``).
4. **check**: shared keys counted per pair and kind; the evidence rule, decided on each
   document's counts of anchors and words where they settle it (``by_counts``), and the
   sketch check of the rest (``arrow.check``).
5. **plan**: near-copy clusters and the pairs to judge, per component (``arrow.plan``).
6. **judge**: the pairs joined with their documents, spread over tasks by the pair (a
   story's pairs all share its representative), and judged (``arrow.judge``).
7. **stories**: the derivation pairs' components, each a story with its claim ledger: what
   each member states, per document (``arrow.stated``), then each component's story from its
   edges and those rows (``arrow.story``), without the members' texts.

Each stage's result is checkpointed: later stages read it without recomputing it, and their
plans stay short (a plan that carries every join before it grows past the driver's memory when
Spark prints it). By default to the executors' own storage (``localCheckpoint``); with
``checkpoint_dir`` (``--checkpoint-dir``) to a folder every executor reaches, so that a lost
executor costs recomputed tasks, not the job.

Outputs in ``out``: ``pairs.jsonl``, ``stories.jsonl``, ``clusters.jsonl`` and
``skipped.jsonl`` with ``retrace scan``'s lines, in its order, and the same tables as Parquet
under ``out/parquet/``. A document the kernels fail on is a line of ``skipped.jsonl``; a pair
they fail on a line of ``failed.jsonl`` (written only when there is one), never a failed
job. No HTML report: ``retrace compare`` draws any pair.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from . import _retrace, arrow

__all__ = ["SparkScan", "by_counts", "components", "main", "read_list", "scan"]

log = logging.getLogger("retrace.spark")

#: A bucket of more documents than this is paired through its first-ranked ones (as the scan).
MAX_BUCKET = 200
#: The rarest names and numbers of a document that make candidates (as the scan).
RARE_TERMS = 8
#: A bucket over the cap pairs each document with this many first-ranked ones (as the scan).
HUBS = 3
#: An anchor on this many pages of one site is the site's template (as the scan).
SITE_TEMPLATE_PAGES = 5
#: The check decides its rows on each document's counts of anchors and words first; up to this
#: many documents, the counts (three numbers a document) are sent whole to every task
#: (a broadcast join) instead of shuffling the rows to them.
BROADCAST_COUNTS = 2_000_000
#: Judging a pair takes milliseconds of CPU but its row is a few KB, so Spark's adaptive
#: execution, which sizes tasks by bytes, would judge thousands of pairs in one task (and the
#: joins with the texts keep the pairs of one document together: a wire story's pairs all
#: share its representative). The joined pairs are spread by a hash of (a, b) over about this
#: many tasks per core, each of at least ``JUDGE_PAIRS_PER_TASK`` pairs where there are
#: enough, and of at most ``JUDGE_MAX_PAIRS_PER_TASK``.
JUDGE_TASKS_PER_CORE = 4
JUDGE_PAIRS_PER_TASK = 50
JUDGE_MAX_PAIRS_PER_TASK = 5_000


@dataclass(frozen=True)
class SparkScan:
    """What a Spark scan found: counts per phase, as ``retrace scan`` prints them."""

    documents: int
    skipped: int
    candidates: int
    by_kind: Dict[str, int]
    oversized_keys: int
    templated: int
    related_candidates: int
    judged: int
    stood_for: int
    clusters: int
    pairs: int
    failed_pairs: int
    by_relation: Dict[str, int]
    stories: int
    seconds: Dict[str, float]


def _schema(spec: str) -> Any:
    from pyspark.sql.types import _parse_datatype_string

    return _parse_datatype_string(spec)


RECORD_SCHEMA = "file long, record long, raw binary, skipped_kind string, skipped_line string"
SKETCHED_SCHEMA = (
    "origin string, title string, published string, published_rank long, words long, "
    "anchors long, fingerprint string, site long, embedded long, sketch binary, packed binary, "
    "extract_skipped_kind string, extract_skipped_line string"
)


def _with(batch: Any, out: Any) -> Any:
    """``batch`` with the columns of a kernel's ``out`` (one row each) added."""
    import pyarrow as pa

    columns = list(batch.columns) + list(out.columns)
    names = list(batch.schema.names) + list(out.schema.names)
    return pa.RecordBatch.from_arrays(columns, names=names)


def _keys_with(batch: Any, keys: Sequence[str], out: Any) -> Any:
    """The columns ``keys`` of ``batch`` with those of a kernel's ``out`` (one row each): what
    a kernel's input needs to be joined back, without the rest of its input."""
    import pyarrow as pa

    columns = [batch.column(name) for name in keys] + list(out.columns)
    return pa.RecordBatch.from_arrays(columns, names=list(keys) + list(out.schema.names))


def by_counts() -> Any:
    """Whether a check row's keys make its pair a candidate, as far as each document's counts
    of anchors and words decide it: a Spark column over ``kind``, ``shared``, ``anchors_a``,
    ``words_a``, ``anchors_b`` and ``words_b``, true or false where the counts decide, null
    where the sketches do. The rule of ``retrace scan`` (``keys_suffice`` in
    ``retrace_engine::scan::steps``) as ``keys_suffice_by_counts`` there gives it from counts,
    written again here with the extension's thresholds (and the factor 3 of
    ``anchor_counts_suffice``); the tests compare the two over a grid. Equal fingerprints
    (``exact``) and a shared band key always make a candidate; anchors are decided by the
    counts (``anchor_counts_suffice``); rare names shared fewer than ``MIN_SHARED_TERMS`` times
    never, ``STRONG_SHARED_TERMS`` times or more always, and in between never when the shorter
    text has under ``MIN_PASSAGE_WORDS`` words, else as the sketches say (a shared MinHash
    minimum or anchor)."""
    from pyspark.sql import functions as F

    kind, shared = F.col("kind"), F.col("shared")
    fewest_anchors = F.least("anchors_a", "anchors_b")
    fewest_words = F.least("words_a", "words_b")
    anchors = (shared >= _retrace.MIN_SHARED_ANCHORS) | (
        (shared > 0)
        & (3 * shared >= fewest_anchors)
        & ((shared > 1) | (fewest_words >= _retrace.MIN_PASSAGE_WORDS))
    )
    names = F.when(shared >= _retrace.STRONG_SHARED_TERMS, F.lit(True)).when(
        (shared < _retrace.MIN_SHARED_TERMS) | (fewest_words < _retrace.MIN_PASSAGE_WORDS),
        F.lit(False),
    )
    return (
        F.when(kind == "exact", F.lit(True))
        .when(kind == "band", shared > 0)
        .when(kind == "anchor", anchors)
        .when(kind == "term", names)
    )


def _batch_of(table: Any) -> Any:
    """A grouped table as one record batch."""
    import pyarrow as pa

    batches = table.combine_chunks().to_batches()
    if not batches:
        return pa.RecordBatch.from_pylist([], schema=table.schema)
    return batches[0]


def _checkpoint(df: Any, reliable: bool) -> Any:
    """``df`` computed once and cut from its plan: to the checkpoint directory set on the
    session when ``reliable`` (it survives a lost executor), else to the executors' storage
    (``localCheckpoint``: faster, lost with the executor that holds it)."""
    return df.checkpoint(eager=True) if reliable else df.localCheckpoint()


def components(edges: Any, a: str = "a", b: str = "b", *, reliable: bool = False) -> Any:
    """The connected components of the graph of ``edges`` (a DataFrame with integer columns
    ``a`` and ``b``): a DataFrame of ``node`` and ``component`` (the least node of its
    component), by alternating large-star and small-star rounds until the edges stop changing
    (Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii: "Connected Components in MapReduce
    and Beyond", 2014). Each round's edges are checkpointed (to the session's checkpoint
    directory when ``reliable``, else locally), so that the plan stays short however many
    rounds it takes."""
    from pyspark.sql import functions as F

    e = (
        edges.where(F.col(a) != F.col(b))
        .select(F.least(a, b).alias("u"), F.greatest(a, b).alias("v"))
        .distinct()
    )
    e = _checkpoint(e, reliable)
    while True:
        # Large star: each node's larger neighbours join the least of its neighbourhood.
        both = e.union(e.select(F.col("v").alias("u"), F.col("u").alias("v")))
        least = both.groupBy("u").agg(F.min("v").alias("m"))
        least = least.select("u", F.least("u", "m").alias("m"))
        large = (
            both.join(least, "u")
            .where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("u"), F.col("m").alias("v"))
        )
        # Small star: each node and its smaller neighbours join the least of them.
        oriented = large.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
        least = oriented.groupBy("u").agg(F.min("v").alias("m"))
        small = oriented.join(least, "u").select(F.col("v").alias("x"), F.col("m").alias("y"))
        small = small.union(least.select(F.col("u").alias("x"), F.col("m").alias("y")))
        nxt = (
            small.where(F.col("x") != F.col("y"))
            .select(F.least("x", "y").alias("u"), F.greatest("x", "y").alias("v"))
            .distinct()
        )
        nxt = _checkpoint(nxt, reliable)
        changed = nxt.exceptAll(e).limit(1).count() + e.exceptAll(nxt).limit(1).count()
        e = nxt
        if changed == 0:
            break
    nodes = e.select(F.col("u").alias("node"), F.col("u").alias("c")).union(
        e.select(F.col("v").alias("node"), F.col("u").alias("c"))
    )
    return nodes.groupBy("node").agg(F.min("c").alias("component"))


def _numbered(df: Any, order: Sequence[Any], name: str) -> Any:
    """``df`` with a column ``name`` numbering its rows from 0 in ``order`` (a distributed
    sort, then ``zipWithIndex``)."""
    ordered = df.orderBy(*order)
    schema = ordered.schema.add(name, "long")
    rdd = ordered.rdd.zipWithIndex().map(lambda row_n: tuple(row_n[0]) + (row_n[1],))
    return ordered.sparkSession.createDataFrame(rdd, schema)


def _lines(df: Any, column: str, order: Sequence[Any]) -> Iterator[str]:
    """A column of strings in ``order``, one partition at a time to the driver."""
    for row in df.orderBy(*order).select(column).toLocalIterator():
        yield row[0]


def _write(path: str, lines: Iterator[str]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line)
            out.write("\n")
            count += 1
    return count


PHASES = ("read", "keys", "check", "plan", "judge", "stories", "write")


def _described(function: Any) -> Any:
    """``function`` (``scan``) with the session's job description given back after it: the scan
    names each Spark job after its phase (``retrace keys``), as the UI and the event log show
    it (``scripts/spark-overhead.py`` reads the time per phase from there)."""

    @functools.wraps(function)
    def described(spark: Any, *args: Any, **kwargs: Any) -> Any:
        context = spark.sparkContext
        before = context.getLocalProperty("spark.job.description")
        try:
            return function(spark, *args, **kwargs)
        finally:
            context.setLocalProperty("spark.job.description", before)

    return described


@_described
def scan(
    spark: Any,
    inputs: Sequence[str],
    out: str,
    *,
    alignment: str = "spans",
    threshold: float = 0.3,
    min_coverage: float = 0.0,
    judge: str = "representatives",
    same_site: bool = False,
    direction_window: int = 0,
    partitions: Optional[int] = None,
    checkpoint_dir: Optional[str] = None,
    **reading: Any,
) -> SparkScan:
    """Scans the files, folders and globs of ``inputs`` on ``spark`` as ``retrace scan`` does
    with the same options, and writes ``pairs.jsonl``, ``stories.jsonl``, ``clusters.jsonl``
    and ``skipped.jsonl`` (and Parquet tables under ``out/parquet``) to the folder ``out``.
    ``judge`` is ``"representatives"`` (near-copies against their cluster's representative,
    linear in the documents) or ``"all"``. ``reading``: the reading options of
    ``retrace.read`` (``max_bytes``, ``text_field``, ``html_field``, ``id_field``,
    ``url_field``, ``date_field``, ``title_field``), as ``retrace scan``'s flags.
    ``checkpoint_dir``: a folder every executor can reach (``hdfs://…``, ``s3a://…``, or a
    local path on one machine) where each stage's result is checkpointed, so that a lost
    executor costs a recomputed task, not the job; without it stages are checkpointed to the
    executors' own storage (faster, and enough on one machine). Returns the counts per phase,
    which are also logged."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    if alignment not in ("full", "spans", "none"):
        raise ValueError(f'alignment is "full", "spans" or "none", not {alignment!r}')
    if judge not in ("representatives", "all"):
        raise ValueError(f'judge is "representatives" or "all", not {judge!r}')
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be above 0 and at most 1")
    arrow._reading(reading)  # checked before any work
    os.makedirs(out, exist_ok=True)
    reliable = checkpoint_dir is not None
    if reliable:
        spark.sparkContext.setCheckpointDir(checkpoint_dir)

    def checkpoint(df: Any) -> Any:
        return _checkpoint(df, reliable)

    seconds: Dict[str, float] = {}
    clock = time.monotonic()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        seconds[name] = round(now - clock, 3)
        clock = now
        following = PHASES.index(name) + 1
        if following < len(PHASES):
            spark.sparkContext.setJobDescription(f"retrace {PHASES[following]}")

    spark.sparkContext.setJobDescription(f"retrace {PHASES[0]}")

    # 1. Read: local files as `retrace scan` lists them, a task each; then what Hadoop's file
    # systems hold (hdfs://, s3a://, file://: Spark lists them and reads each file whole).
    local = [os.fspath(p) for p in inputs if not _is_uri(os.fspath(p))]
    uris = [os.fspath(p) for p in inputs if _is_uri(os.fspath(p))]
    files, unreadable = _retrace.expand_inputs(local) if local else ([], [])
    unreadable = list(unreadable)
    parts = partitions or max(1, min(len(files), spark.sparkContext.defaultParallelism * 4))
    listed = spark.createDataFrame(
        [(n, path) for n, path in enumerate(files)], "file long, path string"
    ).repartition(parts, "file")
    # Records are read in the file's task, then spread over the cluster to be extracted and
    # sketched (a compressed JSONL file of a million pages is one task to read, not to extract).
    records = listed.mapInArrow(
        lambda batches: (
            chunk for batch in batches for chunk in arrow.read_files(batch, **reading)
        ),
        _schema(RECORD_SCHEMA),
    )
    if uris:
        remote, missing = _remote_files(spark, uris, first=len(files))
        unreadable.extend(missing)
        if remote is not None:
            records = records.union(
                remote.mapInArrow(
                    lambda batches: (
                        chunk
                        for batch in batches
                        for chunk in arrow.read_contents(batch, **reading)
                    ),
                    _schema(RECORD_SCHEMA),
                )
            )
    records = records.repartition(spark.sparkContext.defaultParallelism * 4, "file", "record")
    read = records.mapInArrow(
        lambda batches: (
            _with(batch, arrow.sketch_records(batch, alignment=alignment))
            for batch in batches
        ),
        _schema(RECORD_SCHEMA + ", " + SKETCHED_SCHEMA),
    ).drop("raw")
    read = read.select(
        "*",
        F.coalesce("skipped_kind", "extract_skipped_kind").alias("skip_kind"),
        F.coalesce("skipped_line", "extract_skipped_line").alias("skip_line"),
    ).drop("skipped_kind", "skipped_line", "extract_skipped_kind", "extract_skipped_line")
    read = read.withColumnRenamed("skip_kind", "skipped_kind").withColumnRenamed(
        "skip_line", "skipped_line"
    ).transform(checkpoint)
    skipped_lines = list(unreadable) + list(
        _lines(read.where(F.col("skipped_line").isNotNull()), "skipped_line", ["file", "record"])
    )
    _write(os.path.join(out, "skipped.jsonl"), iter(skipped_lines))
    found = read.where(F.col("sketch").isNotNull())
    # Numbered in input order (the scan's document ids), then ranked as representatives.
    ids = _numbered(found.select("file", "record"), ["file", "record"], "id")
    docs = found.join(ids, ["file", "record"])
    ranks = _numbered(
        docs.select("id", "published_rank", "words", "origin"),
        [
            F.col("published_rank").isNull(),
            F.col("published_rank"),
            F.col("words").desc(),
            F.col("origin"),
        ],
        "rank",
    ).select("id", "rank")
    docs = docs.join(ranks, "id").drop("file", "record", "skipped_kind", "skipped_line")
    # Two tables of the documents: what the candidate steps read (sketches, ~1 KB a document)
    # and the texts that only judging and stories read (~6 KB), so that the many joins of the
    # candidate steps do not scan the texts.
    texts = docs.select("id", "origin", "packed").transform(checkpoint)
    docs = docs.drop("packed").transform(checkpoint)
    documents = docs.count()
    phase("read")
    log.info("read %d documents, %d skipped", documents, len(skipped_lines))

    # 2. Keys: band keys, anchors, and each document's rarest shared names and numbers.
    # Checkpointed: the names' document frequency, the names and the other keys each read it,
    # and without it every action below runs the kernel again for each of them.
    keys = docs.select("id", "sketch").mapInArrow(
        lambda batches: (
            arrow.keys(batch, id="id", threshold=threshold) for batch in batches
        ),
        _schema("document long, kind string, key long"),
    ).transform(checkpoint)
    terms = keys.where(F.col("kind") == "term")
    held = terms.groupBy("key").agg(F.count(F.lit(1)).alias("df"))
    unsigned = F.col("key").bitwiseXOR(F.lit(-(2**63)))
    rarest = Window.partitionBy("document").orderBy(F.col("df"), unsigned)
    rare = (
        terms.join(held, "key")
        .where((F.col("df") >= 2) & (F.col("df") <= MAX_BUCKET))
        .withColumn("n", F.row_number().over(rarest))
        .where(F.col("n") <= RARE_TERMS)
        .select("document", "kind", "key")
    )
    postings = keys.where(F.col("kind") != "term").union(rare)

    # 3. Buckets: each key's documents paired; equal fingerprints paired too, each group as a
    # star through its first-ranked document (`_exact_pairs`). No step holds a whole large
    # bucket in one task: site templates and bucket sizes are counted (map-side combined), and a
    # bucket over the cap is paired through its first-ranked documents by a join, as
    # `retrace_sketch::bucket_pairs` pairs it.
    ranked = docs.select(F.col("id").alias("document"), F.col("rank"), F.col("site"))
    held = postings.dropDuplicates(["kind", "key", "document"]).join(ranked, "document")
    # An anchor on SITE_TEMPLATE_PAGES or more pages of one site is that site's template: out
    # of the bucket on that site's pages.
    templates = (
        held.where((F.col("kind") == "anchor") & F.col("site").isNotNull())
        .groupBy("kind", "key", "site")
        .agg(F.count(F.lit(1)).alias("pages"))
        .where(F.col("pages") >= SITE_TEMPLATE_PAGES)
    )
    templated = int(templates.agg(F.coalesce(F.sum("pages"), F.lit(0))).first()[0])
    held = held.join(templates.drop("pages"), ["kind", "key", "site"], "left_anti").transform(checkpoint)
    sizes = held.groupBy("kind", "key").agg(F.count(F.lit(1)).alias("size"))
    small = (
        held.join(sizes.where((F.col("size") >= 2) & (F.col("size") <= MAX_BUCKET)), ["kind", "key"])
        .groupBy("kind", "key")
        .agg(F.collect_list(F.struct("document", "rank", "site")).alias("held"))
        .select(
            "kind",
            F.col("held.document").alias("documents"),
            F.col("held.rank").alias("ranks"),
            F.col("held.site").alias("sites"),
        )
    )
    paired = small.mapInArrow(
        lambda batches: (arrow.buckets(batch) for batch in batches),
        _schema("kind string, a long, b long, oversized long, templated long"),
    ).select("kind", "a", "b")
    big = sizes.where(F.col("size") > MAX_BUCKET).select("kind", "key")
    oversized = big.count()
    if oversized:
        paired = paired.union(_hub_pairs(held.join(big, ["kind", "key"])))
    # Small buckets are within the cap and their templates are out already: only pair rows.
    paired = paired.where(F.col("a").isNotNull()).transform(checkpoint)
    shared = (
        paired.groupBy("a", "b", "kind")
        .agg(F.count(F.lit(1)).alias("shared"))
    )
    exact = _exact_pairs(docs, same_site).select(
        "a", "b", F.lit("exact").alias("kind"), F.lit(1).cast("long").alias("shared")
    )
    phase("keys")

    # 4. Check: the evidence rule per kind, then the sketch check. Most (pair, kind of key) rows
    # are decided by each document's counts of anchors and words (`by_counts`): rare names
    # shared fewer than MIN_SHARED_TERMS times are dropped before any join, and rows that the
    # counts say are no candidate after joining the counts. Only the rest, candidates (whose
    # pairs the sketch check reads) and rows of names that the counts leave open, are joined
    # with both sketches; the kernel decides them as before and returns the rows' keys with its
    # answers, not the sketches.
    evidence = shared.union(exact).where(
        (F.col("kind") != "term") | (F.col("shared") >= _retrace.MIN_SHARED_TERMS)
    )
    count_side = lambda s: docs.select(  # noqa: E731
        F.col("id").alias(s), F.col("anchors").alias(f"anchors_{s}"), F.col("words").alias(f"words_{s}")
    )
    counted = count_side if documents > BROADCAST_COUNTS else (lambda s: F.broadcast(count_side(s)))
    open_rows = (
        evidence.join(counted("a"), "a")
        .join(counted("b"), "b")
        .where(by_counts().isNull() | by_counts())
        .select("a", "b", "kind", "shared")
    )
    side = lambda s: docs.select(  # noqa: E731
        F.col("id").alias(s), F.col("sketch").alias(f"sketch_{s}"), F.col("site").alias(f"site_{s}")
    )
    row_keys = ("a", "b", "kind", "site_a", "site_b")
    checked_rows = (
        open_rows.join(side("a"), "a")
        .join(side("b"), "b")
        .select("a", "b", "kind", "shared", "sketch_a", "sketch_b", "site_a", "site_b")
        .mapInArrow(
            lambda batches: (
                _keys_with(
                    batch, row_keys, arrow.check(batch, alignment=alignment, threshold=threshold)
                )
                for batch in batches
            ),
            _schema(
                "a long, b long, kind string, site_a long, site_b long, candidate boolean, "
                "passes boolean"
            ),
        )
        .transform(checkpoint)
    )
    by_kind = {
        row["kind"]: row["count"]
        for row in checked_rows.where("candidate").groupBy("kind").count().collect()
    }
    site_ok = (
        F.col("site_a").isNull() | F.col("site_b").isNull() | (F.col("site_a") != F.col("site_b"))
        if same_site
        else F.lit(True)
    )
    candidates = checked_rows.where(F.col("candidate") & site_ok).select("a", "b").distinct()
    candidate_count = candidates.count()
    checked = (
        checked_rows.where(F.col("candidate") & site_ok & F.col("passes"))
        .select("a", "b")
        .distinct()
        .transform(checkpoint)
    )
    related_candidates = checked.count()
    phase("check")
    log.info(
        "%d candidate pairs (%s); %d share enough to %s",
        candidate_count,
        ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())),
        related_candidates,
        "align" if alignment != "none" else "be related by their sketches",
    )

    # 5. Plan: per component of the checked pairs, which to judge.
    stood_for = 0
    cluster_rows: List[Tuple[int, List[int]]] = []
    if judge == "representatives" and related_candidates > 0:
        component = components(checked, reliable=reliable)
        rank_side = lambda s: docs.select(  # noqa: E731
            F.col("id").alias(s), F.col("rank").alias(f"rank_{s}"), F.col("sketch").alias(f"sketch_{s}")
        )
        planned_in = (
            checked.join(component, checked["a"] == component["node"])
            .drop("node")
            .join(rank_side("a"), "a")
            .join(rank_side("b"), "b")
            .select("component", "a", "b", "rank_a", "rank_b", "sketch_a", "sketch_b")
        )
        planned = (
            planned_in.groupBy("component")
            .applyInArrow(
                lambda table: _plan_table(table),
                _schema("a long, b long, representative long, members array<long>, stood_for long"),
            )
            .transform(checkpoint)
        )
        to_judge = planned.where(F.col("a").isNotNull()).select("a", "b")
        stood_for = int(planned.agg(F.coalesce(F.sum("stood_for"), F.lit(0))).first()[0])
        cluster_rows = [
            (row["representative"], list(row["members"]))
            for row in planned.where(F.col("representative").isNotNull()).collect()
        ]
    else:
        to_judge = checked
    to_judge = to_judge.transform(checkpoint)
    judged_count = to_judge.count()
    phase("plan")

    # 6. Judge: each pair with its two documents.
    text_side = lambda s: texts.select(  # noqa: E731
        F.col("id").alias(s),
        F.col("origin").alias(f"origin_{s}"),
        F.col("packed").alias(f"packed_{s}"),
    )
    sketch_side = lambda s: docs.select(  # noqa: E731
        F.col("id").alias(s), F.col("sketch").alias(f"sketch_{s}")
    )
    pairs_in = (
        to_judge.join(text_side("a"), "a")
        .join(text_side("b"), "b")
        .join(sketch_side("a"), "a")
        .join(sketch_side("b"), "b")
        .select("a", "b", "origin_a", "origin_b", "packed_a", "packed_b", "sketch_a", "sketch_b")
        # Spread over tasks by the pair, not by a document (see JUDGE_TASKS_PER_CORE); a
        # repartition to a number of partitions, which adaptive execution leaves as it is.
        .repartition(_judge_tasks(judged_count, spark.sparkContext.defaultParallelism), "a", "b")
    )
    judged_all = (
        pairs_in.mapInArrow(
            lambda batches: (
                _with(
                    batch,
                    arrow.judge(
                        batch,
                        alignment=alignment,
                        threshold=threshold,
                        min_coverage=min_coverage,
                        direction_window=direction_window,
                    ),
                )
                for batch in batches
            ),
            _schema(
                "a long, b long, origin_a string, origin_b string, packed_a binary, "
                "packed_b binary, sketch_a binary, sketch_b binary, relation string, "
                "source string, joins_story boolean, line string, error string"
            ),
        )
        .select("a", "b", "origin_a", "origin_b", "relation", "source", "joins_story", "line", "error")
        .where(F.col("line").isNotNull() | F.col("error").isNotNull())
        .transform(checkpoint)
    )
    # A pair the engine failed on is written down with the reason, never a failed job.
    failed = judged_all.where(F.col("error").isNotNull())
    failed_pairs = _write(
        os.path.join(out, "failed.jsonl"),
        (
            json.dumps(
                {"a": row["origin_a"], "b": row["origin_b"], "reason": row["error"]},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            for row in failed.orderBy("a", "b").toLocalIterator()
        ),
    )
    if failed_pairs:
        log.warning("%d pairs could not be judged: see failed.jsonl", failed_pairs)
    else:
        os.remove(os.path.join(out, "failed.jsonl"))
    judged = judged_all.where(F.col("error").isNull()).drop("error")
    by_relation = {
        row["relation"]: row["count"] for row in judged.groupBy("relation").count().collect()
    }
    pairs = _write(os.path.join(out, "pairs.jsonl"), _lines(judged, "line", ["a", "b"]))
    phase("judge")
    log.info("%d pairs judged, %d related", judged_count, pairs)

    # 7. Stories: per component of the derivation pairs.
    edges = judged.where("joins_story").select("a", "b", "relation", "source")
    stories = 0
    if edges.limit(1).count() > 0:
        component = components(edges, reliable=reliable)
        # What each member shows and states for the ledger, per document and in parallel:
        # the story of a component then needs its edges and these compact rows, not the
        # members' texts (a wire story copied 100,000 times is one group).
        member_rows = (
            component.join(texts.select(F.col("id").alias("node"), "origin", "packed"), "node")
            .select("component", "node", "origin", "packed")
            .mapInArrow(
                lambda batches: (
                    _with(batch, arrow.stated(batch, alignment=alignment)) for batch in batches
                ),
                _schema(
                    "component long, node long, origin string, packed binary, title string, "
                    "published string, stated string, skipped_line string"
                ),
            )
            .drop("packed")
            # Checkpointed: the members it could not read are listed from it, and the stories
            # read it, each a run of the kernel without it.
            .transform(checkpoint)
        )
        # A member the kernel could not read is a line of skipped.jsonl (after the read
        # phase's, in member order); its story keeps it, from its pairs, stating nothing.
        stated_skips = [
            row["skipped_line"]
            for row in member_rows.where(F.col("skipped_line").isNotNull())
            .orderBy("node")
            .select("skipped_line")
            .toLocalIterator()
        ]
        if stated_skips:
            _write(os.path.join(out, "skipped.jsonl"), iter(skipped_lines + stated_skips))
            skipped_lines += stated_skips
            log.warning("%d story members could not be read: see skipped.jsonl", len(stated_skips))
        member_rows = (
            member_rows.select(
                "component",
                F.lit(False).alias("edge"),
                F.col("node").alias("a"),
                F.lit(None).cast("long").alias("b"),
                F.lit(None).cast("string").alias("relation"),
                F.lit(None).cast("string").alias("source"),
                "origin",
                "title",
                "published",
                "stated",
            )
        )
        edge_rows = edges.join(component, edges["a"] == component["node"]).select(
            "component",
            F.lit(True).alias("edge"),
            "a",
            "b",
            "relation",
            "source",
            F.lit(None).cast("string").alias("origin"),
            F.lit(None).cast("string").alias("title"),
            F.lit(None).cast("string").alias("published"),
            F.lit(None).cast("string").alias("stated"),
        )
        told = (
            member_rows.union(edge_rows)
            .groupBy("component")
            .applyInArrow(
                lambda table: _story_table(table, alignment),
                _schema("first long, story string"),
            )
            # Checkpointed: numbering sorts it (sampling it first) and counts it, each a run
            # of the story kernel without it.
            .transform(checkpoint)
        )
        numbered = _numbered(told, ["first"], "n")
        stories = _write(
            os.path.join(out, "stories.jsonl"),
            (
                _renumber(row["story"], row["n"] + 1)
                for row in numbered.orderBy("n").select("story", "n").toLocalIterator()
            ),
        )
        numbered.select(
            (F.col("n") + 1).alias("story"), F.col("story").alias("json")
        ).write.mode("overwrite").parquet(os.path.join(out, "parquet", "stories"))
    else:
        _write(os.path.join(out, "stories.jsonl"), iter(()))
    phase("stories")

    # Clusters, in order of their representative's rank, numbered from 1.
    _write(
        os.path.join(out, "clusters.jsonl"),
        _cluster_lines(docs, cluster_rows),
    )
    judged.select("origin_a", "origin_b", "relation", "source", "line").write.mode(
        "overwrite"
    ).parquet(os.path.join(out, "parquet", "pairs"))
    phase("write")
    result = SparkScan(
        documents=documents,
        skipped=len(skipped_lines),
        candidates=candidate_count,
        by_kind=by_kind,
        oversized_keys=oversized,
        templated=templated,
        related_candidates=related_candidates,
        judged=judged_count,
        stood_for=stood_for,
        clusters=len(cluster_rows),
        pairs=pairs,
        failed_pairs=failed_pairs,
        by_relation=by_relation,
        stories=stories,
        seconds=seconds,
    )
    log.info("%s", result)
    return result


def read_list(path: str, prefix: str = "") -> List[str]:
    """The inputs a list file names, one a line (blank lines and ``#`` comments left out),
    each with ``prefix`` before it: Common Crawl's ``warc.paths.gz`` lists paths such as
    ``crawl-data/CC-MAIN-…/….warc.gz`` under ``s3a://commoncrawl/``. The file may be
    gzipped."""
    import gzip

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:  # type: ignore[operator]
        return [prefix + line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _is_uri(path: str) -> bool:
    """Whether ``path`` names a file system by its scheme (``hdfs://``, ``s3a://``,
    ``file://``)."""
    scheme, sep, _ = path.partition("://")
    return bool(sep) and scheme.isalnum() and len(scheme) > 1


def _remote_files(spark: Any, uris: List[str], first: int) -> Tuple[Optional[Any], List[str]]:
    """The files under ``uris`` (globs and folders too) as rows of ``file`` (numbered from
    ``first`` in path order), ``path`` and ``content``, through Spark's ``binaryFile`` source;
    and the skipped-list lines of the URIs that name nothing readable."""
    from pyspark.sql import functions as F

    frames, missing = [], []
    for uri in uris:
        try:
            frame = (
                spark.read.format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(uri)
                .select("path", "content")
            )
        except Exception as err:  # Spark's AnalysisException: no such path, no such scheme
            reason = str(err).splitlines()[0]
            missing.append(
                json.dumps(
                    {
                        "origin": uri,
                        "file": uri,
                        "offset": None,
                        "line": None,
                        "kind": "not found",
                        "reason": reason,
                    },
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
            )
            continue
        frames.append(frame)
    if not frames:
        return None, missing
    remote = frames[0]
    for frame in frames[1:]:
        remote = remote.union(frame)
    remote = remote.dropDuplicates(["path"])
    numbered = _numbered(remote.select("path"), ["path"], "n")
    remote = remote.join(numbered, "path").select(
        (F.col("n") + first).alias("file"), "path", "content"
    )
    return remote, missing


def _hub_pairs(held: Any) -> Any:
    """The pairs of buckets over the cap (``held``: ``kind``, ``key``, ``document``, ``rank``
    of each posting): each document with each of its bucket's HUBS first-ranked documents
    (least rank), hubs with each other once. The hubs are found by HUBS rounds of a minimum
    (combined map-side), and the pairs by a join per posting, so no task holds a bucket."""
    from pyspark.sql import functions as F

    hubs = None
    for _ in range(HUBS):
        rest = held if hubs is None else held.join(hubs, ["kind", "key", "document"], "left_anti")
        first = rest.groupBy("kind", "key").agg(
            F.min(F.struct("rank", "document")).getField("document").alias("document")
        )
        hubs = first if hubs is None else hubs.union(first)
    assert hubs is not None
    listed = hubs.groupBy("kind", "key").agg(F.collect_list("document").alias("hubs"))
    return (
        held.join(F.broadcast(listed), ["kind", "key"])
        .select("kind", "document", F.explode("hubs").alias("hub"), "hubs")
        .where(
            (F.col("document") != F.col("hub"))
            & (~F.array_contains("hubs", F.col("document")) | (F.col("document") < F.col("hub")))
        )
        .select(
            "kind",
            F.least("document", "hub").alias("a"),
            F.greatest("document", "hub").alias("b"),
        )
    )


def _exact_pairs(docs: Any, same_site: bool) -> Any:
    """The pairs of documents with the same text (equal fingerprints, ``words`` above 0), as
    ``retrace_engine::scan``'s ``exact_pairs`` makes them: each group as a star through its
    first-ranked document (least ``rank``), never its every pair (20,000 copies of one wire
    story are 19,999 pairs, not 200 million). With ``same_site``, the members on the centre's
    site are also paired with the group's first-ranked document on another site (or on none),
    so that the group stays one component once pairs within a site are dropped. The centres
    are minimums combined map-side and the pairs a join per document: no task holds a group."""
    from pyspark.sql import functions as F

    fingerprints = docs.where(F.col("words") > 0).select("id", "fingerprint", "rank", "site")
    first = F.min(F.struct("rank", "id", "site"))
    centres = fingerprints.groupBy("fingerprint").agg(
        first.getField("id").alias("centre"), first.getField("site").alias("centre_site")
    )
    grouped = fingerprints.join(centres, "fingerprint").where(F.col("id") != F.col("centre"))
    pairs = grouped.select(
        F.least("id", "centre").alias("a"), F.greatest("id", "centre").alias("b")
    )
    if same_site:
        # Never null: a page of no site is on no one's site.
        on_centres_site = (
            F.col("centre_site").isNotNull()
            & F.col("site").isNotNull()
            & (F.col("site") == F.col("centre_site"))
        )
        elsewhere = (
            grouped.where(F.col("centre_site").isNotNull() & ~on_centres_site)
            .groupBy("fingerprint")
            .agg(F.min(F.struct("rank", "id")).getField("id").alias("other"))
        )
        pairs = pairs.union(
            grouped.where(on_centres_site)
            .join(elsewhere, "fingerprint")
            .select(F.least("id", "other").alias("a"), F.greatest("id", "other").alias("b"))
        )
    return pairs


def _judge_tasks(pairs: int, cores: int) -> int:
    """How many tasks judge ``pairs`` pairs on ``cores`` cores: ``JUDGE_TASKS_PER_CORE`` a
    core, fewer where a task would get under ``JUDGE_PAIRS_PER_TASK`` pairs, more where it
    would get over ``JUDGE_MAX_PAIRS_PER_TASK``."""
    spread = min(max(1, cores) * JUDGE_TASKS_PER_CORE, -(-pairs // JUDGE_PAIRS_PER_TASK))
    return max(1, spread, -(-pairs // JUDGE_MAX_PAIRS_PER_TASK))


def _plan_table(table: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_batches([arrow.plan(_batch_of(table))])


def _story_table(table: Any, alignment: str) -> Any:
    import pyarrow as pa

    return pa.Table.from_batches([arrow.story(_batch_of(table), alignment=alignment)])


def _renumber(line: str, n: int) -> str:
    """A story's line, numbered ``n`` (the kernel numbers each story 0)."""
    prefix = '{"id":0,'
    if not line.startswith(prefix):
        raise ValueError("a story line starts with its id")
    return '{"id":%d,' % n + line[len(prefix):]


def _cluster_lines(docs: Any, clusters: List[Tuple[int, List[int]]]) -> Iterator[str]:
    """The lines of ``clusters.jsonl``: each cluster's representative and members by origin,
    in order of the representative's rank."""
    from pyspark.sql import functions as F

    if not clusters:
        return iter(())
    wanted = sorted({m for _, members in clusters for m in members})
    spark = docs.sparkSession
    keys = spark.createDataFrame([(m,) for m in wanted], "id long")
    known = {
        row["id"]: (row["origin"], row["rank"])
        for row in docs.join(F.broadcast(keys), "id").select("id", "origin", "rank").collect()
    }
    ordered = sorted(clusters, key=lambda c: known[c[0]][1])
    return (
        json.dumps(
            {
                "cluster": n + 1,
                "representative": known[rep][0],
                "members": [known[m][0] for m in sorted(members)],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for n, (rep, members) in enumerate(ordered)
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m retrace.spark scan INPUT... --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m retrace.spark",
        description="retrace scan as a Spark job: the same pairs, clusters and stories.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("scan", help="find every copy, excerpt and rewrite, in stories")
    run.add_argument("inputs", nargs="*", metavar="INPUT", help="files, folders, globs or URIs")
    run.add_argument(
        "--list",
        action="append",
        default=[],
        metavar="FILE",
        help="a file of inputs, one a line (gzipped or not), such as Common Crawl's warc.paths.gz",
    )
    run.add_argument(
        "--list-prefix",
        default="",
        metavar="PREFIX",
        help="put before each listed input (Common Crawl: s3a://commoncrawl/)",
    )
    run.add_argument("--out", required=True, help="the output folder")
    run.add_argument(
        "--master", default=None, help="Spark master (default: spark-submit's, else local[*])"
    )
    run.add_argument("--alignment", choices=["full", "spans", "none"], default="spans")
    run.add_argument("--threshold", type=float, default=0.3)
    run.add_argument("--min-coverage", type=float, default=0.0)
    run.add_argument("--judge", choices=["representatives", "all"], default="representatives")
    run.add_argument("--same-site", action="store_true")
    run.add_argument("--direction-window", type=int, default=0)
    run.add_argument("--partitions", type=int, default=None, help="tasks that read the files")
    run.add_argument(
        "--checkpoint-dir",
        default=None,
        metavar="DIR",
        help="checkpoint each stage to DIR, a folder every executor reaches (hdfs://, s3a://): "
        "a lost executor then costs recomputed tasks, not the job (default: the executors' "
        "own storage)",
    )
    reading = run.add_argument_group("reading inputs (as retrace scan's flags)")
    reading.add_argument("--max-bytes", type=int, default=None)
    for field in ("text", "html", "id", "url", "date", "title"):
        reading.add_argument(f"--{field}-field", default=None, metavar="FIELD")
    run.add_argument(
        "--shuffle-partitions",
        type=int,
        default=None,
        help="spark.sql.shuffle.partitions (default: 4 per core of this machine, at least 8)",
    )
    run.add_argument(
        "--driver-memory",
        default=None,
        help="spark.driver.memory (default: spark-submit's, else 4g: on local[*] the driver "
        "runs the executors)",
    )
    run.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting, as spark-submit's --conf (repeatable; after the ones above), "
        "e.g. spark.eventLog.enabled=true",
    )
    args = parser.parse_args(argv)
    confs = []
    for conf in args.conf:
        key, equals, value = conf.partition("=")
        if not equals or not key.strip():
            parser.error(f"--conf takes KEY=VALUE, not {conf!r}")
        confs.append((key.strip(), value))
    inputs = list(args.inputs)
    for listed in args.list:
        inputs.extend(read_list(listed, args.list_prefix))
    if not inputs:
        parser.error("name an INPUT or a --list of them")
    logging.basicConfig(level=logging.INFO, format="retrace.spark: %(message)s")
    from pyspark.sql import SparkSession

    # Executors on this machine run this interpreter (where retrace is installed), unless told.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("retrace scan")
        .config("spark.ui.showConsoleProgress", "false")
        # Shuffles in a few parts per core (the default, 200, is for clusters); adaptive
        # execution merges small ones.
        .config(
            "spark.sql.shuffle.partitions",
            str(args.shuffle_partitions or max(8, 4 * (os.cpu_count() or 1))),
        )
    )
    if args.driver_memory:
        builder = builder.config("spark.driver.memory", args.driver_memory)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # On one machine the driver's JVM runs the executors too: Spark's 1 GB is too little
        # for a 100k corpus.
        builder = builder.config("spark.driver.memory", "4g")
    if args.master:
        builder = builder.master(args.master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Not under spark-submit (which gives its master): this machine's cores.
        builder = builder.master("local[*]")
    for key, value in confs:
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    try:
        result = scan(
            spark,
            inputs,
            args.out,
            alignment=args.alignment,
            threshold=args.threshold,
            min_coverage=args.min_coverage,
            judge=args.judge,
            same_site=args.same_site,
            direction_window=args.direction_window,
            partitions=args.partitions,
            checkpoint_dir=args.checkpoint_dir,
            max_bytes=args.max_bytes,
            text_field=args.text_field,
            html_field=args.html_field,
            id_field=args.id_field,
            url_field=args.url_field,
            date_field=args.date_field,
            title_field=args.title_field,
        )
    finally:
        spark.stop()
    print(
        f"retrace.spark: {result.documents} documents, {result.skipped} skipped; "
        f"{result.pairs} related pairs ({result.judged} judged); {result.stories} stories; "
        f"written to {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
