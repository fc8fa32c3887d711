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


def test_compare_writes_the_scans_lines(tmp_path: pathlib.Path) -> None:
    import json
    import os
    import shutil
    import subprocess

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("original.txt", "rewrite.txt", "excerpt.txt"):
        shutil.copy(DEMO / name, corpus / name)
    binary = os.environ.get("RETRACE_BIN")
    assert binary, "set RETRACE_BIN to a retrace binary (scripts/test-python does)"
    subprocess.run(
        [binary, "scan", str(corpus), "--out", str(tmp_path / "out")], check=True, capture_output=True
    )
    lines = (tmp_path / "out" / "pairs.jsonl").read_text().splitlines()
    assert lines
    pairs = [json.loads(line) for line in lines]
    batch = pa.record_batch(
        {
            "a": [pathlib.Path(p["a"]["origin"]).read_text() for p in pairs] + ["x", None],
            "b": [pathlib.Path(p["b"]["origin"]).read_text() for p in pairs] + ["y", "z"],
            "a_origin": [p["a"]["origin"] for p in pairs] + [None, None],
            "b_origin": [p["b"]["origin"] for p in pairs] + [None, None],
        }
    )
    out = retrace.arrow.compare(batch, a_origin="a_origin", b_origin="b_origin").to_pylist()
    assert [row["line"] for row in out[: len(lines)]] == lines
    assert [row["relation"] for row in out[: len(lines)]] == [p["relation"] for p in pairs]
    # A row that cannot be judged says why, and the others are judged.
    assert out[-1]["error"] and out[-1]["relation"] is None
    assert out[-2]["error"] is not None or out[-2]["relation"] == "unrelated"


def test_a_pair_the_kernel_fails_on_is_a_row_with_its_reason() -> None:
    """The Spark job's judge kernel never fails a batch for one pair: a row whose document is
    garbage (or a panic in the engine) gets its reason in `error`, the others their lines."""
    import pyarrow as pa

    files = pa.RecordBatch.from_pylist(
        [{"file": 0, "path": str(DEMO / "original.txt")}, {"file": 1, "path": str(DEMO / "copy.html")}]
    )
    chunks = list(retrace.arrow.read_files(files))
    assert len(chunks) == 1  # two records: one chunk
    docs = retrace.arrow.sketch_records(chunks[0]).to_pylist()
    good = {
        "origin_a": docs[0]["origin"], "origin_b": docs[1]["origin"],
        "packed_a": docs[0]["packed"], "packed_b": docs[1]["packed"],
        "sketch_a": docs[0]["sketch"], "sketch_b": docs[1]["sketch"],
    }
    broken = dict(good, packed_b=b"not a packed document")
    out = retrace.arrow.judge(pa.RecordBatch.from_pylist([good, broken]), alignment="spans").to_pylist()
    assert out[0]["relation"] == "duplicate" and out[0]["error"] is None
    assert out[1]["line"] is None and out[1]["error"]


def test_a_member_the_stated_kernel_cannot_read_is_a_skipped_row() -> None:
    """The stories step's per-member kernel never fails a batch for one member: a member whose
    record is garbage (or missing) states nothing and gets its line of skipped.jsonl, with its
    origin and the reason; the others are read as before."""
    import json

    import pyarrow as pa

    files = pa.RecordBatch.from_pylist([{"file": 0, "path": str(DEMO / "original.txt")}])
    docs = retrace.arrow.sketch_records(next(iter(retrace.arrow.read_files(files)))).to_pylist()
    good = {"origin": docs[0]["origin"], "packed": docs[0]["packed"]}
    rows = [good, {"origin": "broken.txt", "packed": b"not a packed document"}, {"origin": "gone.txt", "packed": None}]
    schema = pa.schema([("origin", pa.string()), ("packed", pa.binary())])
    for alignment in ("spans", "none"):
        out = retrace.arrow.stated(pa.RecordBatch.from_pylist(rows, schema=schema), alignment=alignment).to_pylist()
        assert out[0]["skipped_line"] is None
        assert (out[0]["stated"] is None) == (alignment == "none")
        for row, origin in zip(out[1:], ("broken.txt", "gone.txt")):
            line = json.loads(row["skipped_line"])
            assert line["origin"] == origin and line["kind"] == "failed" and line["reason"], line
            assert row["title"] is None and row["published"] is None
            assert row["stated"] == (None if alignment == "none" else "[]")


def test_a_large_file_streams_in_chunks(tmp_path: pathlib.Path) -> None:
    """A file's records come back a chunk at a time (at most 4,096 records each), in order."""
    import json

    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(n), "text": f"Line {n} of a feed."}) + "\n" for n in range(9000)),
        encoding="utf-8",
    )
    files = pa.RecordBatch.from_pylist([{"file": 7, "path": str(path)}])
    chunks = list(retrace.arrow.read_files(files))
    assert [chunk.num_rows for chunk in chunks] == [4096, 4096, 808]
    records = [r for chunk in chunks for r in chunk.column("record").to_pylist()]
    assert records == list(range(9000))
    assert {f for chunk in chunks for f in chunk.column("file").to_pylist()} == {7}
