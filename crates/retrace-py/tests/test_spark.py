"""The Spark job (retrace.spark) against `retrace scan` on local[2]: the same files, byte for
byte. Fixtures: the repository's demo folder and a syndicated feed written here (a story with
more copies than a bucket holds, excerpts, bad records)."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
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
