#!/usr/bin/env python3
"""The retrace.arrow kernels alone, in one Python process, without Spark: what the Spark job's
Python workers would spend if moving the data cost nothing (BENCHMARKS.md, "Where Spark's
overhead goes").

Usage:
    python scripts/arrow-kernels-time.py CORPUS [--pairs PAIRS_JSONL] [--check-rows N]
        [--alignment spans]

Times, wall and CPU (all threads of this process; the kernels run on rayon's pool, all cores):
``read_files`` (the corpus's records), ``sketch_records`` (extract and sketch), ``keys``; with
``--check-rows N``, ``check`` on N random pairs of the documents (its cost per row: it decodes
both sketches of each); and with ``--pairs`` (a ``pairs.jsonl`` that ``retrace scan`` or the
Spark job wrote for the same corpus), ``judge`` on those pairs, both documents' packed texts
and sketches joined, in batches of 10,000 rows (Spark's
``spark.sql.execution.arrow.maxRecordsPerBatch``). Needs retrace (with its ``arrow`` extra:
pyarrow) importable.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

import pyarrow as pa

from retrace import arrow


def timed(label: str, work, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    out = work(*args, **kwargs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<24} wall {wall:7.2f} s   CPU {cpu:7.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--pairs", help="a pairs.jsonl of the same corpus: judge these pairs")
    parser.add_argument("--alignment", default="spans", choices=["full", "spans", "none"])
    parser.add_argument(
        "--check-rows", type=int, default=0, metavar="N", help="time check on N random pairs"
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at the start")
    files = pa.RecordBatch.from_pydict({"file": [0], "path": [args.corpus]})
    records = timed("read_files", lambda: list(arrow.read_files(files)))
    sketched = timed(
        "sketch_records",
        lambda: [arrow.sketch_records(batch, alignment=args.alignment) for batch in records],
    )
    table = pa.Table.from_batches(sketched)
    table = table.filter(pa.compute.is_valid(table["sketch"]))
    table = table.append_column("id", pa.array(range(table.num_rows), pa.int64()))
    print(f"{table.num_rows} documents")
    batches = table.select(["id", "sketch"]).to_batches(max_chunksize=10_000)
    keys = timed("keys", lambda: [arrow.keys(batch, id="id") for batch in batches])
    print(f"{sum(k.num_rows for k in keys)} keys")
    if args.check_rows:
        # Random pairs of documents, a kind of key each, as the check step's rows: the kernel
        # decodes both sketches of every row whatever it shares.
        rng = random.Random(1)
        n = table.num_rows
        a = pa.array([rng.randrange(n) for _ in range(args.check_rows)], pa.int64())
        b = pa.array([rng.randrange(n) for _ in range(args.check_rows)], pa.int64())
        kinds = ["band", "anchor", "term"]
        rows = pa.table(
            {
                "a": a,
                "b": b,
                "kind": pa.array([kinds[i % 3] for i in range(args.check_rows)]),
                "shared": pa.array([1 + i % 3 for i in range(args.check_rows)], pa.int64()),
                "sketch_a": table["sketch"].take(a),
                "sketch_b": table["sketch"].take(b),
            }
        )
        timed(
            f"check ({args.check_rows:,} rows)",
            lambda: [
                arrow.check(batch, alignment=args.alignment)
                for batch in rows.to_batches(max_chunksize=10_000)
            ],
        )
    if args.pairs:
        where = {origin: n for n, origin in enumerate(table["origin"].to_pylist())}
        pairs = []
        with open(args.pairs, encoding="utf-8") as lines:
            for line in lines:
                pair = json.loads(line)
                pairs.append((where[pair["a"]["origin"]], where[pair["b"]["origin"]]))
        a = pa.array([p[0] for p in pairs], pa.int64())
        b = pa.array([p[1] for p in pairs], pa.int64())
        columns = {"a": a, "b": b}
        for side, rows in (("a", a), ("b", b)):
            for name in ("origin", "packed", "sketch"):
                columns[f"{name}_{side}"] = table[name].take(rows)
        pairs_table = pa.table(columns)
        judged = timed(
            "judge",
            lambda: [
                arrow.judge(batch, alignment=args.alignment)
                for batch in pairs_table.to_batches(max_chunksize=10_000)
            ],
        )
        print(f"{sum(j.num_rows for j in judged)} pairs judged")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
