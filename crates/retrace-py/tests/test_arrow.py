"""retrace.arrow: the batch kernels a distributed engine calls."""

from __future__ import annotations

import pathlib

import pyarrow as pa
import pytest

import retrace
import retrace.arrow

DEMO = pathlib.Path(__file__).resolve().parents[3] / "demo"


def batch() -> pa.RecordBatch:
    names = ["original.txt", "excerpt.txt", "copy.html", "unrelated.txt"]
    texts = [(DEMO / name).read_text() for name in names]
    return pa.record_batch(
        {
            "id": names + ["empty", "null"],
            "page": texts + ["", None],
            "url": [f"https://x.example/{n}" for n in names] + [None, None],
        }
    )


def test_documents_extract_and_sketch_each_row() -> None:
    out = retrace.arrow.documents(batch(), text="page", url="url", id="id")
    assert isinstance(out, pa.RecordBatch)
    assert tuple(out.schema.names) == retrace.arrow.SKETCH_COLUMNS
    rows = out.to_pylist()
    assert [r["id"] for r in rows] == ["original.txt", "excerpt.txt", "copy.html", "unrelated.txt", "empty", "null"]
    # The same article as the command extracts, sketched.
    article = retrace.extract(DEMO / "copy.html")
    assert rows[2]["title"] == article.title
    assert all(r["sketch"] and r["words"] > 20 for r in rows[:4])
    # The copy has the original's words: the same fingerprint.
    assert rows[0]["fingerprint"] == rows[2]["fingerprint"]
    # Bad rows are rows, with the reason.
    assert rows[4]["sketch"] is None and rows[4]["skipped_reason"]
    assert rows[5]["skipped_kind"] == "empty"


def test_the_same_batch_gives_the_same_rows() -> None:
    a = retrace.arrow.documents(batch(), text="page", id="id")
    b = retrace.arrow.documents(batch(), text="page", id="id")
    assert a.equals(b)


def test_keys_pair_the_copies() -> None:
    docs = retrace.arrow.documents(batch(), text="page", id="id")
    keys = retrace.arrow.keys(docs).to_pylist()
    assert {k["kind"] for k in keys} == {"band", "anchor", "term"}
    by_doc: dict[str, set[int]] = {}
    for k in keys:
        if k["kind"] == "band":
            by_doc.setdefault(k["document"], set()).add(k["key"])
    # Near-copies share band keys; an unrelated story shares none with them.
    assert by_doc["original.txt"] & by_doc["copy.html"]
    assert not by_doc["original.txt"] & by_doc["unrelated.txt"]
    with pytest.raises(ValueError, match="threshold"):
        retrace.arrow.keys(docs, threshold=0.0)


def test_bucket_pairs_are_linear_in_a_large_bucket() -> None:
    small = retrace.arrow.bucket_pairs([7, 1, 4]).to_pylist()
    assert small == [{"a": 1, "b": 4}, {"a": 1, "b": 7}, {"a": 4, "b": 7}]
    docs = list(range(500))
    ranks = [0 if d in (40, 45) else d + 1 for d in docs]
    large = retrace.arrow.bucket_pairs(docs, ranks, max_bucket=200, hubs=2)
    assert large.num_rows == 498 * 2 + 1
    with pytest.raises(ValueError, match="rank"):
        retrace.arrow.bucket_pairs([1, 2], [0])


def test_column_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="no column"):
        retrace.arrow.documents(batch(), text="body")
    with pytest.raises(ValueError, match="text=… or html="):
        retrace.arrow.documents(batch())
