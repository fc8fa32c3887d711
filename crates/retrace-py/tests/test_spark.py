"""The Spark job (retrace.spark) against `retrace scan` on local[2]: the same files, byte for
byte. Fixtures: the repository's demo folder and a syndicated feed written here (a story with
more copies than a bucket holds, excerpts, bad records)."""

from __future__ import annotations

import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from typing import Iterator

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
DEMO = ROOT / "demo"
OUTPUTS = ("pairs.jsonl", "stories.jsonl", "clusters.jsonl", "skipped.jsonl")


def _spark_missing() -> str:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install retrace[spark])"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java (Spark needs Java 17: apt-get install openjdk-17-jre-headless)"
    return ""


missing = _spark_missing()
if missing and os.environ.get("RETRACE_REQUIRE_SPARK"):
    raise RuntimeError(f"RETRACE_REQUIRE_SPARK is set, but {missing}")
pytestmark = pytest.mark.skipif(bool(missing), reason=missing)


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("retrace tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def cli() -> str:
    binary = os.environ.get("RETRACE_BIN")
    assert binary, "set RETRACE_BIN to a retrace binary (scripts/test-python does)"
    return binary


def cli_scan(inputs: list[str], out: pathlib.Path, alignment: str) -> None:
    subprocess.run(
        [cli(), "scan", *inputs, "--out", str(out), "--alignment", alignment],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def assert_same(cli_out: pathlib.Path, spark_out: pathlib.Path) -> None:
    for name in OUTPUTS:
        expected = (cli_out / name).read_text(encoding="utf-8")
        got = (spark_out / name).read_text(encoding="utf-8")
        assert got == expected, f"{name} differs from retrace scan's"


def feed(folder: pathlib.Path) -> pathlib.Path:
    """A syndicated story: the demo's original on 205 sites (each with its own furniture and
    date; every seventh trimmed to an excerpt), an unrelated story twice, and two bad lines."""
    original = (DEMO / "original.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in original.split("\n\n") if p.strip()]
    unrelated = (DEMO / "unrelated.txt").read_text(encoding="utf-8")
    lines = []
    for n in range(205):
        body = paragraphs[:3] if n % 7 == 3 else paragraphs
        text = "\n\n".join([f"Site {n} news desk | Subscribe"] + body + [f"(c) Site {n}"])
        lines.append(
            json.dumps(
                {
                    "id": f"copy-{n}",
                    "url": f"https://site{n}.example/news/{n}",
                    "date": f"2025-04-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
                    "text": text,
                }
            )
        )
        if n == 100:
            lines.append("{this is not json")
            lines.append(json.dumps({"id": "empty", "text": ""}))
    for n in range(2):
        lines.append(json.dumps({"id": f"other-{n}", "url": f"https://other{n}.example/a", "text": unrelated}))
    path = folder / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def evidence_corpus(folder: pathlib.Path) -> pathlib.Path:
    """Stories and their kin (made up, seeded) whose check rows take each way through the
    evidence rule: copies (band keys), an excerpt (a few anchors of a short text), pages that
    share a phrase with a long story (an anchor or two: no candidate), a rewrite with all of a
    story's names, rewrites with four of them with and without a shared sentence, a short note
    with four, and stories that share a name or two."""
    rng = random.Random(18)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def word() -> str:
        return "".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))

    def names(n: int) -> list[str]:
        return [word().capitalize() for _ in range(n)]

    def sentences(n_words: int, cast: list[str], phrase: str = "") -> str:
        out, sentence = [], []
        for n in range(n_words):
            if n % 7 == 3 and cast:
                sentence.append(cast[(n // 7) % len(cast)])
            elif n % 23 == 11:
                sentence.append(str(rng.randint(100, 99999)))
            else:
                sentence.append(word())
            if len(sentence) >= 12:
                out.append(sentence[0].capitalize() + " " + " ".join(sentence[1:]) + ".")
                sentence = []
        if sentence:
            out.append(sentence[0].capitalize() + " " + " ".join(sentence[1:]) + ".")
        if phrase:
            out.insert(len(out) // 2, phrase)
        return " ".join(out)

    casts = [names(8) for _ in range(6)]
    # A sentence without names or numbers, in story 2 and in a rewrite of it.
    plain = " ".join(word() for _ in range(20)).capitalize() + "."
    stories = [sentences(320, cast, plain if n == 2 else "") for n, cast in enumerate(casts)]
    docs = {f"story-{n}": text for n, text in enumerate(stories)}
    # Copies of story 0: the same text, the whole under a line, and with a sentence of their own.
    docs["copy-0"] = stories[0]
    docs["copy-0a"] = "Wire copy. " + stories[0]
    docs["copy-0b"] = stories[0] + " " + sentences(14, [])
    # An excerpt: 45 of its words between other words.
    middle = stories[0].split()
    docs["excerpt-0"] = sentences(10, []) + " " + " ".join(middle[120:165]) + " " + sentences(10, [])
    # A rewrite with all eight of story 1's names.
    docs["rewrite-1"] = sentences(300, casts[1])
    # Rewrites with four of story 2's names, one also sharing a sentence of it.
    docs["rewrite-2a"] = sentences(300, casts[2][:4], plain)
    docs["rewrite-2b"] = sentences(300, casts[2][4:])
    # A short note with four of story 3's names.
    docs["note-3"] = "Briefly, " + ", ".join(casts[3][:4]) + " met on Monday."
    # Stories that share a name or two with story 4.
    for n in range(3):
        docs[f"namesake-4{n}"] = sentences(300, names(6) + casts[4][n : n + 1 + n % 2])
    # Pages that share a phrase (one or two anchors) with story 5.
    shared_phrase = " ".join(stories[5].split()[100:112])
    for n in range(3):
        docs[f"phrase-5{n}"] = sentences(300, names(6), shared_phrase)
    path = folder / "evidence.jsonl"
    path.write_text(
        "".join(json.dumps({"id": key, "url": f"https://{key}.example/a", "text": text}) + "\n" for key, text in docs.items()),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("alignment", ["spans", "full", "none"])
def test_the_demo_gives_the_scans_files(spark: object, tmp_path: pathlib.Path, alignment: str) -> None:
    import retrace.spark

    cli_scan(["demo"], tmp_path / "cli", alignment)
    cwd = os.getcwd()
    os.chdir(ROOT)  # origins are printed as the inputs were named
    try:
        result = retrace.spark.scan(spark, ["demo"], str(tmp_path / "spark"), alignment=alignment)
    finally:
        os.chdir(cwd)
    assert_same(tmp_path / "cli", tmp_path / "spark")
    assert result.documents == 6 and result.stories == 1
    assert (tmp_path / "spark" / "parquet" / "pairs").is_dir()


@pytest.mark.parametrize("alignment", ["none", "spans"])
def test_a_story_with_hundreds_of_copies_gives_the_scans_files(
    spark: object, tmp_path: pathlib.Path, alignment: str
) -> None:
    import retrace.spark

    path = feed(tmp_path)
    cli_scan([str(path)], tmp_path / "cli", alignment)
    result = retrace.spark.scan(spark, [str(path)], str(tmp_path / "spark"), alignment=alignment)
    assert_same(tmp_path / "cli", tmp_path / "spark")
    # The story's copies are one cluster judged against its representative: linear, not
    # quadratic; the bad lines are skipped, with their reasons.
    assert result.clusters >= 1 and result.judged < 3 * result.documents
    assert result.skipped == 2
    assert result.oversized_keys > 0


def exact_copies(folder: pathlib.Path, n: int) -> pathlib.Path:
    """The demo's original word for word on ``n`` pages (more than a bucket holds) of five
    sites, those of site 0 dated first: the three first-ranked pages, which pair the
    over-full buckets and centre the equal fingerprints, are all on one site."""
    original = (DEMO / "original.txt").read_text(encoding="utf-8")
    lines = [
        json.dumps(
            {
                "id": f"copy-{i}",
                "url": f"https://site{i % 5}.example/news/{i}",
                "date": f"2025-{1 if i % 5 == 0 else 2:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
                "text": original,
            }
        )
        for i in range(n)
    ]
    path = folder / "exact.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_judge_step_spreads_its_pairs_over_the_cores() -> None:
    """Issue 18: a wire story's pairs all share its representative and are a few KB a row,
    so they are repartitioned by the pair to a number of tasks from their count: a few per
    core where there are enough pairs, and more where a task would hold too many."""
    from retrace.spark import _judge_tasks

    assert _judge_tasks(2_999, 2) == 8 and _judge_tasks(19_999, 2) == 8
    assert _judge_tasks(120, 2) == 3 and _judge_tasks(0, 2) == 1 and _judge_tasks(1, 64) == 1
    assert _judge_tasks(10_000_000, 2) == 2_000 and _judge_tasks(10_000_000, 1_000) == 4_000


@pytest.mark.parametrize("same_site", [False, True])
def test_exact_copies_are_paired_as_a_star_and_give_the_scans_files(
    spark: object, tmp_path: pathlib.Path, same_site: bool
) -> None:
    """Issue 18: equal fingerprints are paired through the group's first-ranked page, N - 1
    pairs, not N choose 2 (20,000 copies crashed the plan step), as `retrace scan` pairs them;
    with --same-site, the pages on that page's site are paired with the first-ranked page
    elsewhere, so the story keeps every copy."""
    import retrace.spark

    n = 230
    path = exact_copies(tmp_path, n)
    flags = ["--same-site"] if same_site else []
    subprocess.run(
        [cli(), "scan", str(path), "--out", str(tmp_path / "cli"), "--alignment", "none", *flags],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    result = retrace.spark.scan(
        spark, [str(path)], str(tmp_path / "spark"), alignment="none", same_site=same_site
    )
    assert_same(tmp_path / "cli", tmp_path / "spark")
    # The 46 pages of the first-ranked page's site also with the first-ranked page elsewhere.
    assert result.by_kind["exact"] == n - 1 + (n // 5 - 1 if same_site else 0)
    (story,) = [json.loads(line) for line in (tmp_path / "spark" / "stories.jsonl").read_text().splitlines()]
    assert len(story["members"]) == n


def test_stages_checkpointed_to_a_folder_give_the_same_files(
    spark: object, tmp_path: pathlib.Path
) -> None:
    # On a cluster, checkpoint_dir names a folder every executor reaches (hdfs://, s3a://) so
    # that a lost executor costs recomputed tasks; here a local folder stands for it.
    import retrace.spark

    path = feed(tmp_path)
    cli_scan([str(path)], tmp_path / "cli", "spans")
    checkpoints = tmp_path / "checkpoints"
    retrace.spark.scan(
        spark, [str(path)], str(tmp_path / "spark"), checkpoint_dir=str(checkpoints)
    )
    assert_same(tmp_path / "cli", tmp_path / "spark")
    assert any(p.is_file() for p in checkpoints.rglob("*")), "nothing was checkpointed there"


def test_bad_arguments_are_clear(spark: object, tmp_path: pathlib.Path) -> None:
    import retrace.spark

    with pytest.raises(ValueError, match="alignment"):
        retrace.spark.scan(spark, ["demo"], str(tmp_path), alignment="most")
    # A missing input is a skipped line, as in retrace scan, not a failed job.
    result = retrace.spark.scan(spark, [str(tmp_path / "nothing-here.jsonl")], str(tmp_path / "out"))
    assert result.documents == 0 and result.skipped == 1
    line = json.loads((tmp_path / "out" / "skipped.jsonl").read_text(encoding="utf-8"))
    assert "nothing-here.jsonl" in line["origin"]


def test_the_command_line(tmp_path: pathlib.Path) -> None:
    """The command, with Spark settings passed as spark-submit's --conf: its event log names
    each job after its phase, as scripts/spark-overhead.py reads it."""
    out = tmp_path / "out"
    events = tmp_path / "events"
    events.mkdir()
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    done = subprocess.run(
        [sys.executable, "-m", "retrace.spark", "scan", "demo", "--out", str(out), "--master", "local[2]",
         "--shuffle-partitions", "4", "--alignment", "none",
         "--conf", "spark.eventLog.enabled=true", "--conf", f"spark.eventLog.dir={events.as_uri()}",
         "--conf", "spark.eventLog.compress=false"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "6 documents, 0 skipped" in done.stderr
    cli_scan(["demo"], tmp_path / "cli", "none")
    assert_same(tmp_path / "cli", out)
    (log,) = events.iterdir()
    report = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "spark-overhead.py"), str(log)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for phase in ("read", "keys", "check", "plan", "judge", "write"):
        assert f"| retrace {phase} |" in report, report
    bad = subprocess.run(
        [sys.executable, "-m", "retrace.spark", "scan", "demo", "--out", str(out), "--conf", "spark.x"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "--conf takes KEY=VALUE" in bad.stderr


def test_files_through_hadoops_file_systems(spark: object, tmp_path: pathlib.Path) -> None:
    """A file:// URI is read as hdfs:// or s3a:// would be: Spark lists the files and hands
    each one's bytes to retrace's readers. The same pairs, named by their URIs."""
    import retrace.spark

    cli_scan(["demo"], tmp_path / "cli", "spans")
    result = retrace.spark.scan(spark, [DEMO.as_uri()], str(tmp_path / "spark"))
    assert result.documents == 6
    # Spark names a local file file:/path.
    prefix = "file:" + str(ROOT) + "/"
    for name in ("pairs.jsonl", "stories.jsonl", "clusters.jsonl"):
        got = (tmp_path / "spark" / name).read_text(encoding="utf-8").replace(prefix, "")
        assert got == (tmp_path / "cli" / name).read_text(encoding="utf-8"), name
    missing = retrace.spark.scan(spark, [(tmp_path / "gone").as_uri()], str(tmp_path / "none"))
    assert missing.documents == 0 and missing.skipped == 1
    line = json.loads((tmp_path / "none" / "skipped.jsonl").read_text(encoding="utf-8"))
    assert line["kind"] == "not found" and line["origin"].endswith("/gone")


def test_reading_options_as_the_commands_flags(spark: object, tmp_path: pathlib.Path) -> None:
    """JSON lines with their own field names, and a size limit, read as `retrace scan
    --text-field body --url-field link --max-bytes N` reads them."""
    import retrace.spark

    original = (DEMO / "original.txt").read_text(encoding="utf-8")
    rows = [
        {"body": original, "link": "https://a.example/1", "when": "2025-04-01"},
        {"body": original.replace("Kestrin", "Kestrin town"), "link": "https://b.example/2"},
        {"body": "x " * 4000, "link": "https://c.example/too-large"},
    ]
    path = tmp_path / "own.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    flags = ["--text-field", "body", "--url-field", "link", "--date-field", "when", "--max-bytes", "6000"]
    subprocess.run(
        [cli(), "scan", str(path), "--out", str(tmp_path / "cli"), *flags],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    result = retrace.spark.scan(
        spark,
        [str(path)],
        str(tmp_path / "spark"),
        text_field="body",
        url_field="link",
        date_field="when",
        max_bytes=6000,
    )
    assert_same(tmp_path / "cli", tmp_path / "spark")
    assert result.documents == 2 and result.skipped == 1 and result.pairs == 1
    with pytest.raises(ValueError, match="max_bytes"):
        retrace.spark.scan(spark, [str(path)], str(tmp_path / "bad"), max_bytes=0)
    with pytest.raises(TypeError, match="reading option"):
        retrace.spark.scan(spark, [str(path)], str(tmp_path / "bad"), text="body")


def test_a_list_of_inputs_as_common_crawl_gives_them(tmp_path: pathlib.Path) -> None:
    import gzip

    import retrace.spark

    listed = tmp_path / "warc.paths.gz"
    with gzip.open(listed, "wt", encoding="utf-8") as out:
        out.write("# the demo's files\noriginal.txt\n\ncopy.html\n")
    assert retrace.spark.read_list(str(listed), str(DEMO) + "/") == [
        str(DEMO / "original.txt"),
        str(DEMO / "copy.html"),
    ]


def check_rows(path: pathlib.Path) -> tuple[list[dict], list[dict]]:
    """The documents of ``path`` (``sketch_records``' rows) and the check rows the job builds
    from them, one per pair and kind of key with the count of keys shared: band keys, anchors,
    each document's eight rarest names held by 2 to 200 documents, and equal fingerprints
    (the fixtures have no site templates and no bucket over the cap)."""
    import pyarrow as pa

    import retrace.arrow as arrow
    import retrace.spark

    files = pa.RecordBatch.from_pylist([{"file": 0, "path": str(path)}])
    records = pa.Table.from_batches(list(arrow.read_files(files))).combine_chunks().to_batches()[0]
    docs = [d for d in arrow.sketch_records(records).to_pylist() if d["sketch"]]
    keyed = pa.RecordBatch.from_pylist([{"id": n, "sketch": d["sketch"]} for n, d in enumerate(docs)])
    keys = arrow.keys(keyed).to_pylist()
    held = Counter(k["key"] for k in keys if k["kind"] == "term")
    postings: dict[tuple[str, int], set[int]] = {}
    for k in keys:
        if k["kind"] != "term":
            postings.setdefault((k["kind"], k["key"]), set()).add(k["document"])
    for n in range(len(docs)):
        terms = [k["key"] for k in keys if k["kind"] == "term" and k["document"] == n]
        terms = sorted(
            (t for t in terms if 2 <= held[t] <= retrace.spark.MAX_BUCKET),
            key=lambda t: (held[t], t & (2**64 - 1)),
        )[: retrace.spark.RARE_TERMS]
        for t in terms:
            postings.setdefault(("term", t), set()).add(n)
    shared: Counter = Counter()
    for (kind, _), bucket in postings.items():
        assert len(bucket) <= retrace.spark.MAX_BUCKET
        members = sorted(bucket)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                shared[(a, b, kind)] += 1
    # Equal fingerprints: a star through each group's first document (the fixture's copies
    # are two, so the job's first-ranked is this too).
    centres: dict[str, int] = {}
    for n, doc in enumerate(docs):
        if doc["words"] > 0:
            centre = centres.setdefault(doc["fingerprint"], n)
            if centre != n:
                shared[(centre, n, "exact")] += 1
    rows = [
        {"a": a, "b": b, "kind": kind, "shared": n, "sketch_a": docs[a]["sketch"], "sketch_b": docs[b]["sketch"],
         "anchors_a": docs[a]["anchors"], "words_a": docs[a]["words"],
         "anchors_b": docs[b]["anchors"], "words_b": docs[b]["words"]}
        for (a, b, kind), n in sorted(shared.items())
    ]
    return docs, rows


def test_the_checks_count_rule_is_the_extensions(spark: object) -> None:
    """`by_counts`, the Spark column the job decides check rows by, answers as the extension's
    `keys_suffice_by_counts` (the scan's rule, from counts) over a grid around every
    threshold."""
    from retrace import _retrace
    import retrace.spark

    values = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30)
    words = (0, 1, 29, 30, 31, 400)
    grid = [
        (kind, shared, anchors_a, words_a, anchors_b, words_b)
        for kind in ("exact", "band", "anchor", "term")
        for shared in range(9)
        for anchors_a in values
        for anchors_b in (0, 2, 3, 9, 10, 30)
        for words_a in words
        for words_b in (1, 30, 400)
    ]
    frame = spark.createDataFrame(  # type: ignore[attr-defined]
        grid, "kind string, shared long, anchors_a long, words_a long, anchors_b long, words_b long"
    )
    got = [tuple(row) for row in frame.select("*", retrace.spark.by_counts()).collect()]
    assert len(got) == len(grid)
    for row in got:
        expected = _retrace.keys_suffice_by_counts(*row[:-1])
        assert row[-1] == expected, row


def test_rows_decided_on_counts_are_decided_as_the_sketch_check_decides(
    spark: object, tmp_path: pathlib.Path
) -> None:
    """Every check row of the fixture: where `by_counts` decides it (no sketches joined), the
    check kernel, given both sketches, says the same; the fixture's rows take every way
    through the rule."""
    import pyarrow as pa

    import retrace.arrow as arrow
    import retrace.spark

    _, rows = check_rows(evidence_corpus(tmp_path))
    counts = [{k: r[k] for k in ("kind", "shared", "anchors_a", "words_a", "anchors_b", "words_b")} for r in rows]
    frame = spark.createDataFrame(  # type: ignore[attr-defined]
        [(n, *c.values()) for n, c in enumerate(counts)],
        "n long, kind string, shared long, anchors_a long, words_a long, anchors_b long, words_b long",
    )
    decided = {row["n"]: row["d"] for row in frame.select("n", retrace.spark.by_counts().alias("d")).collect()}
    checked = arrow.check(
        pa.RecordBatch.from_pylist([{k: r[k] for k in ("kind", "shared", "sketch_a", "sketch_b")} for r in rows]),
        alignment="spans",
    ).to_pylist()
    ways: Counter = Counter()
    for n, (row, check) in enumerate(zip(rows, checked)):
        if decided[n] is not None:
            assert decided[n] == check["candidate"], {k: v for k, v in row.items() if "sketch" not in k}
        ways[(row["kind"], decided[n], check["candidate"])] += 1
    for way in [
        ("exact", True, True),  # equal fingerprints
        ("band", True, True),  # near-copies
        ("anchor", True, True),  # the excerpt: a third of its few anchors
        ("anchor", False, False),  # a phrase shared with a long story
        ("term", False, False),  # a name or two; a short note's four
        ("term", True, True),  # a rewrite with all the names
        ("term", None, True),  # four names and a phrase
        ("term", None, False),  # four names alone
    ]:
        assert ways[way] > 0, (way, ways)


def test_a_corpus_of_every_kind_of_evidence_gives_the_scans_files_and_counts(
    spark: object, tmp_path: pathlib.Path
) -> None:
    """The fixture above through the job and through `retrace scan`: the same files, and the
    same candidate pairs by kind of key as the command counts them (its stderr line)."""
    import retrace.spark

    path = evidence_corpus(tmp_path)
    done = subprocess.run(
        [cli(), "scan", str(path), "--out", str(tmp_path / "cli"), "--alignment", "spans"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result = retrace.spark.scan(spark, [str(path)], str(tmp_path / "spark"), alignment="spans")
    assert_same(tmp_path / "cli", tmp_path / "spark")
    line = re.search(
        r"(\d+) candidate pairs? \((\d+) same text, (\d+) MinHash LSH, (\d+) shared anchors, "
        r"(\d+) shared rare names and numbers;.*?\); (\d+) share enough",
        done.stderr,
    )
    assert line, done.stderr
    found, same, lsh, anchors, names, related = map(int, line.groups())
    by_kind = result.by_kind
    assert (result.candidates, result.related_candidates) == (found, related)
    assert [by_kind.get(k, 0) for k in ("exact", "band", "anchor", "term")] == [same, lsh, anchors, names]
    assert same and lsh and anchors and names and result.pairs > 0
