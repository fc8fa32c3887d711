"""The Python package against the command line and on bad inputs (fixtures: the repository's
demo folder and files written here)."""

from __future__ import annotations

import gzip
import io
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import threading
import types
from typing import Any, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retrace

ROOT = pathlib.Path(__file__).resolve().parents[3]
DEMO = ROOT / "demo"


def cli() -> str:
    """The `retrace` binary the test command built (scripts/test-python sets RETRACE_BIN)."""
    binary = os.environ.get("RETRACE_BIN")
    assert binary, "set RETRACE_BIN to a retrace binary (scripts/test-python does)"
    return binary


def test_version() -> None:
    assert retrace.__version__.count(".") == 2


def test_compare_json_is_the_command_lines_byte_for_byte() -> None:
    a, b = DEMO / "original.txt", DEMO / "rewrite.txt"
    expected = subprocess.run(
        [cli(), "compare", str(a), str(b), "--json", "--no-model"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    ).stdout.decode()
    assert retrace.compare(a, b, model="none").to_json() == expected


def test_compare_demo_rewrite() -> None:
    pair = retrace.compare(DEMO / "original.txt", DEMO / "rewrite.txt", model="none")
    assert pair.relation == "rewrite"
    assert pair.source == "a"
    assert 0.0 < pair.confidence <= 1.0
    assert all(0.0 <= c <= 1.0 for c in pair.coverage)
    kinds = {change.kind for change in pair.changes}
    assert "number_changed" in kinds, kinds
    data = pair.to_dict()
    # Read without the JSON, the head agrees with it.
    assert (pair.relation, pair.source, pair.confidence) == (
        data["relation"],
        data["source"],
        data["confidence"],
    )
    assert pair.coverage == (data["coverage"]["a_by_b"], data["coverage"]["b_by_a"])
    html = pair.to_html()
    assert html.startswith("<!DOCTYPE html>") and pair._repr_html_() == html
    # Spans are byte offsets into each input as given.
    original = (DEMO / "original.txt").read_bytes()
    for aligned in pair.alignment:
        assert original[aligned.a.start : aligned.a.end].decode() == aligned.a.text


def test_compare_takes_text_bytes_and_paths_alike() -> None:
    text = (DEMO / "excerpt.txt").read_text()
    by_path = retrace.compare(DEMO / "original.txt", DEMO / "excerpt.txt", model="none")
    by_text = retrace.compare((DEMO / "original.txt").read_text(), text, model="none")
    by_bytes = retrace.compare((DEMO / "original.txt").read_bytes(), text.encode(), model="none")
    assert by_path.relation == by_text.relation == by_bytes.relation == "excerpt"
    assert by_path.changes == by_text.changes == by_bytes.changes


def test_unrelated_articles() -> None:
    pair = retrace.compare(DEMO / "original.txt", DEMO / "unrelated.txt", model="none")
    assert pair.relation == "unrelated"


def test_bad_inputs_to_compare_raise_clear_errors(tmp_path: pathlib.Path) -> None:
    with pytest.raises(retrace.Error, match="no-such-file.txt"):
        retrace.compare(tmp_path / "no-such-file.txt", "Some text.", model="none")
    with pytest.raises(ValueError, match="str"):
        retrace.compare(42, "Some text.", model="none")  # type: ignore[arg-type]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(retrace.Error):
        retrace.compare(empty, DEMO / "original.txt", model="none")


def test_extract_a_page() -> None:
    page = DEMO / "copy.html"
    article = retrace.extract(page)
    assert article.title and "Varenne" in article.title
    assert article.published is not None and article.published.source == "meta"
    assert article.url and article.url.startswith("https://")
    raw = page.read_bytes()
    for paragraph in article.paragraphs:
        # The span covers the paragraph in the page as written (entities and all).
        assert paragraph.text.split()[-2] in raw[paragraph.start : paragraph.end].decode()
    expected = subprocess.run(
        [cli(), "extract", str(page)], check=True, capture_output=True, cwd=ROOT
    ).stdout.decode()
    assert article.to_dict() == json.loads(expected.splitlines()[0])


def test_extract_with_a_url() -> None:
    article = retrace.extract(
        "Storms cut power to 4,000 homes in Dunmore on Tuesday. Crews worked all night.",
        url="https://news.example/storms",
    )
    assert article.url == "https://news.example/storms"
    assert article.origin == "<text>"


def test_read_yields_skipped_records_and_goes_on(tmp_path: pathlib.Path) -> None:
    (tmp_path / "good.txt").write_text((DEMO / "original.txt").read_text())
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "empty.txt").write_bytes(b"")
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/1\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: 5000\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Cut off"
    )
    (tmp_path / "truncated.warc.gz").write_bytes(gzip.compress(record)[:-12])
    lines = [
        json.dumps({"url": "https://b.example/1", "text": (DEMO / "excerpt.txt").read_text()}),
        "{not json",
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    reader = retrace.read([tmp_path, tmp_path / "missing.txt"])
    items = list(reader)
    articles = [i for i in items if isinstance(i, retrace.Article)]
    skipped = [i for i in items if isinstance(i, retrace.Skipped)]
    assert {pathlib.Path(a.origin.split(":")[0]).name for a in articles} == {
        "good.txt",
        "feed.jsonl",
    }
    reasons = {pathlib.Path(s.origin.split("@")[0].split(":")[0]).name: s for s in skipped}
    assert set(reasons) >= {"missing.txt", "binary.bin", "empty.txt", "truncated.warc.gz", "feed.jsonl"}
    assert all(s.reason and s.kind and s.stage in ("read", "extract") for s in skipped)
    assert reader.summary is not None and "skipped" in reader.summary  # type: ignore[attr-defined]


def test_threads_share_the_engine() -> None:
    results: list[str] = []

    def work() -> None:
        results.append(
            retrace.compare(DEMO / "original.txt", DEMO / "rewrite.txt", model="none").relation
        )

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["rewrite"] * 4


WORDS = st.sampled_from(
    "the council river town flood said on Sunday more than residents homes road officials "
    "crews power storm water bridge mayor school".split()
)
SENTENCE = st.lists(WORDS, min_size=4, max_size=14).map(lambda w: " ".join(w).capitalize() + ".")
TEXT = st.lists(SENTENCE, min_size=3, max_size=12).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(TEXT)
def test_an_article_compared_with_itself_is_a_duplicate(text: str) -> None:
    pair = retrace.compare(text, text, model="none")
    assert pair.relation == "duplicate"
    assert not pair.changes


@settings(max_examples=25, deadline=None)
@given(TEXT, TEXT)
def test_spans_slice_the_inputs(a: str, b: str) -> None:
    try:
        pair = retrace.compare(a, b + " " + a, model="none")
    except retrace.Error:
        return
    raw_a, raw_b = a.encode(), (b + " " + a).encode()
    for aligned in pair.alignment:
        assert raw_a[aligned.a.start : aligned.a.end].decode() == aligned.a.text
        assert raw_b[aligned.b.start : aligned.b.end].decode() == aligned.b.text
    for change in pair.changes:
        for span, raw in ((change.a, raw_a), (change.b, raw_b)):
            if span is not None and span.text is not None:
                assert raw[span.start : span.end].decode() == span.text


def test_scan_gives_the_command_lines_files(tmp_path: pathlib.Path) -> None:
    out_cli, out_py = tmp_path / "cli", tmp_path / "py"
    subprocess.run(
        [cli(), "scan", str(DEMO), "--out", str(out_cli), "--alignment", "full"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    result = retrace.scan(DEMO, out_py)
    for name in ("pairs.jsonl", "stories.jsonl", "clusters.jsonl", "skipped.jsonl", "report.html"):
        assert (out_py / name).read_bytes() == (out_cli / name).read_bytes(), name
    assert sorted(p.name for p in (out_py / "report").iterdir()) == sorted(
        p.name for p in (out_cli / "report").iterdir()
    )
    lines = (out_cli / "pairs.jsonl").read_text().splitlines()
    assert result.pair_dicts() == [json.loads(line) for line in lines]
    assert result.pairs.num_rows == len(lines) > 0
    assert set(result.pairs.column_names) >= {"a", "b", "relation", "source", "changes"}
    stories = result.stories.to_pylist()
    assert len(stories) == len((out_cli / "stories.jsonl").read_text().splitlines())
    assert "read" in result.summary


def test_scan_without_a_folder_or_alignment(tmp_path: pathlib.Path) -> None:
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 16)
    result = retrace.scan([DEMO, tmp_path], alignment="none")
    assert result.out is None
    relations = set(result.pairs.column("relation").to_pylist())
    assert relations <= {"duplicate", "excerpt", "similar"} and relations
    assert [pathlib.Path(s.origin).name for s in result.skipped] == ["junk.bin"]
    with pytest.raises(ValueError, match="alignment"):
        retrace.scan(DEMO, alignment="some")


def test_the_readme_example_runs(tmp_path: pathlib.Path) -> None:
    """The README's Python example, as a journalist would run it in a notebook."""
    pair = retrace.compare(DEMO / "original.txt", DEMO / "rewrite.txt", model="none")
    assert (pair.relation, pair.source) == ("rewrite", "a")
    assert all(change.kind and change.detail for change in pair.changes)
    found = retrace.scan(DEMO, out=tmp_path / "demo-scan")
    stories = found.stories.to_pandas()
    assert list(stories[["original", "members"]].columns) == ["original", "members"]
    assert len(stories) >= 1


def test_a_typed_program_passes_mypy_strict(tmp_path: pathlib.Path) -> None:
    """A small program that uses the API, checked with mypy --strict against the package's
    annotations and stubs."""
    program = tmp_path / "uses_retrace.py"
    program.write_text(
        "import pathlib\n"
        "import retrace\n"
        "\n"
        "def changed_kinds(a: pathlib.Path, b: str) -> list[str]:\n"
        "    pair: retrace.Comparison = retrace.compare(a, b, model='none')\n"
        "    return [change.kind for change in pair.changes]\n"
        "\n"
        "def titles(folder: str) -> list[str]:\n"
        "    out: list[str] = []\n"
        "    for item in retrace.read([folder]):\n"
        "        if isinstance(item, retrace.Article) and item.title is not None:\n"
        "            out.append(item.title)\n"
        "    return out\n"
        "\n"
        "def summary(folder: str) -> str:\n"
        "    return retrace.scan(folder, alignment='none', progress=False).summary\n"
        "\n"
        "def urls(feed: str) -> list[str]:\n"
        "    try:\n"
        "        items = retrace.read(feed, text_field='story.body', max_bytes=1_000_000)\n"
        "        return [i.url or '' for i in items if isinstance(i, retrace.Article)]\n"
        "    except retrace.InputError as err:\n"
        "        return [str(err)]\n"
        "\n"
        "def opened(path: str) -> bool:\n"
        "    try:\n"
        "        retrace.Index(path, create=False).add(path, progress=False, url_field='link')\n"
        "    except retrace.StoreError:\n"
        "        return False\n"
        "    return True\n"
    )
    import mypy.api

    stdout, stderr, status = mypy.api.run(["--strict", str(program)])
    assert status == 0, stdout + stderr


def _relation(paths: tuple[str, str]) -> str:
    return retrace.compare(pathlib.Path(paths[0]), pathlib.Path(paths[1]), model="none").relation


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_works_in_worker_processes(start: str) -> None:
    import concurrent.futures
    import multiprocessing

    # The parent has used the engine (and its threads) before the workers start.
    assert _relation((str(DEMO / "original.txt"), str(DEMO / "excerpt.txt"))) == "excerpt"
    jobs = [(str(DEMO / "original.txt"), str(DEMO / name)) for name in ("rewrite.txt", "excerpt.txt")]
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=2, mp_context=multiprocessing.get_context(start)
    ) as pool:
        assert list(pool.map(_relation, jobs)) == ["rewrite", "excerpt"]


def test_an_index_adds_queries_and_follows_stories(tmp_path: pathlib.Path) -> None:
    index = retrace.Index(tmp_path / "idx")
    added = index.add([DEMO / "original.txt", DEMO / "excerpt.txt", DEMO / "unrelated.txt"])
    assert (added.added, added.updated, added.unchanged) == (3, 0, 0)
    assert added.pairs >= 1 and not added.skipped
    again = index.add(DEMO / "original.txt")
    assert (again.added, again.unchanged) == (0, 1)
    stats = index.stats()
    assert stats["documents"] == 3
    matches = index.query(DEMO / "rewrite.txt")
    assert matches and matches[0].relation == "rewrite"
    assert matches[0].indexed is not None
    assert matches[0].to_html().startswith("<!DOCTYPE html>")
    expected = subprocess.run(
        [cli(), "query", str(DEMO / "rewrite.txt"), "--index", str(tmp_path / "idx"), "--json"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    ).stdout.decode()
    assert [m.to_json() for m in matches] == expected.splitlines()
    story = index.story(matches[0].indexed["id"])
    assert story is not None and len(story["members"]) >= 2
    assert index.story(10_000) is None
    with pytest.raises(retrace.StoreError):
        retrace.Index(tmp_path / "missing", create=False)


def test_the_example_notebook_runs(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    monkeypatch.chdir(ROOT)
    namespace = runpy.run_path(str(ROOT / "examples" / "trace_a_story.py"))
    assert namespace["pair"].relation == "rewrite"
    assert len(namespace["stories"]) >= 1


# Reading options (the command line's "Reading inputs" flags).

ORIGINAL = (DEMO / "original.txt").read_text()
EXCERPT = (DEMO / "excerpt.txt").read_text()


def _feed(tmp_path: pathlib.Path) -> pathlib.Path:
    """A JSON lines feed whose fields have names none of the defaults has."""
    records = [
        {"story": {"body": ORIGINAL}, "address": "https://a.example/storm", "heading": "Storm"},
        {"story": {"body": EXCERPT}, "address": "https://b.example/copy", "heading": "Copy"},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    return feed


def test_reading_options_name_the_fields_of_json_lines(tmp_path: pathlib.Path) -> None:
    feed = _feed(tmp_path)
    # By default, no field holds the text.
    assert [i.kind for i in retrace.read(feed) if isinstance(i, retrace.Skipped)] == [
        "no text field",
        "no text field",
    ]
    items = list(
        retrace.read(feed, text_field="story.body", url_field="address", title_field="heading")
    )
    assert all(isinstance(i, retrace.Article) for i in items), items
    first = items[0]
    assert isinstance(first, retrace.Article)
    assert (first.url, first.title) == ("https://a.example/storm", "Storm")
    assert first.text == retrace.extract(ORIGINAL).text
    # The same options reach a scan and an index.
    found = retrace.scan(feed, text_field="story.body", url_field="address", progress=False)
    assert not found.skipped
    assert [(p["relation"], p["source"]) for p in found.pair_dicts()] == [("excerpt", "a")]
    index = retrace.Index(tmp_path / "idx")
    added = index.add(feed, text_field="story.body", url_field="address", progress=False)
    assert (added.added, added.skipped) == (2, [])
    keys = {m.indexed["key"] for m in index.query(DEMO / "rewrite.txt") if m.indexed}
    assert "https://a.example/storm" in keys


def test_max_bytes_skips_larger_documents(tmp_path: pathlib.Path) -> None:
    feed = _feed(tmp_path)
    (tmp_path / "short.txt").write_text("Storms cut power to 4,000 homes in Dunmore on Tuesday.")
    items = list(retrace.read(tmp_path, max_bytes=100, text_field="story.body"))
    skipped = [i for i in items if isinstance(i, retrace.Skipped)]
    assert [pathlib.Path(i.origin).name for i in items if isinstance(i, retrace.Article)] == [
        "short.txt"
    ]
    assert len(skipped) == 2 and all(s.kind == "too large" and s.stage == "read" for s in skipped)
    assert skipped[0].origin == f"{feed}:1"
    assert re.match(r"too large \([\d,]+ bytes; the limit is 100 bytes\)", skipped[0].reason)
    found = retrace.scan(feed, max_bytes=100, text_field="story.body", progress=False)
    assert [s.kind for s in found.skipped] == ["too large", "too large"]
    assert len(list(retrace.read(feed, max_bytes=1_000_000, text_field="story.body"))) == 2


@pytest.mark.parametrize("max_bytes", [0, -1, 2**32, 2**70])
def test_max_bytes_out_of_range_is_a_value_error(tmp_path: pathlib.Path, max_bytes: int) -> None:
    with pytest.raises(ValueError, match="max_bytes must be between 1 and 4294967295"):
        retrace.read(DEMO, max_bytes=max_bytes)
    with pytest.raises(ValueError, match="max_bytes"):
        retrace.scan(DEMO, max_bytes=max_bytes, progress=False)
    with pytest.raises(ValueError, match="max_bytes"):
        retrace.Index(tmp_path / "idx").add(DEMO, max_bytes=max_bytes, progress=False)
    assert retrace.Index(tmp_path / "idx").stats()["documents"] == 0


def test_max_bytes_is_a_number() -> None:
    with pytest.raises(TypeError, match="max_bytes"):
        retrace.read(DEMO, max_bytes="20MB")  # type: ignore[arg-type]
    assert len(list(retrace.read(DEMO, max_bytes=2**32 - 1))) == 6


# Errors say what failed.


def test_errors_say_what_failed(tmp_path: pathlib.Path) -> None:
    for kind in (retrace.InputError, retrace.ModelError, retrace.StoreError, retrace.OutputError):
        assert issubclass(kind, retrace.Error) and kind is not retrace.Error
        assert kind.__doc__
    with pytest.raises(retrace.InputError, match="missing.txt: no such file"):
        retrace.compare(tmp_path / "missing.txt", "Some text.", model="none")
    with pytest.raises(retrace.InputError):
        retrace.extract("   ")
    with pytest.raises(retrace.ModelError, match="/nonexistent"):
        retrace.compare(DEMO / "original.txt", DEMO / "rewrite.txt", model="/nonexistent")
    a_file = tmp_path / "a-file"
    a_file.write_text("not an index")
    with pytest.raises(retrace.StoreError, match="a-file"):
        retrace.Index(a_file)
    with pytest.raises(retrace.OutputError, match="a-file"):
        retrace.scan(DEMO, out=a_file, progress=False)
    # All of them are caught as retrace.Error.
    with pytest.raises(retrace.Error):
        retrace.Index(tmp_path / "missing", create=False)


# Progress bars.


class _Terminal(io.StringIO):
    """Standard error as a terminal: what is written to it is kept."""

    def isatty(self) -> bool:
        return True


def _scanned(result: retrace.ScanResult) -> Any:
    return (result.pair_dicts(), result.story_dicts(), result.clusters.to_pylist(), result.summary)


def _checked(summary: str) -> int:
    match = re.search(r"(\d+) checked", summary)
    assert match, summary
    return int(match.group(1))


def test_scan_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # The built-in bar, whether tqdm is installed or not.
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    shown = retrace.scan(DEMO, progress=True)
    drawn = terminal.getvalue()
    judged = _checked(shown.summary)
    assert judged > 0
    # One line per phase, each ending as its phase ended.
    lines = [line.split("\r")[-1].rstrip() for line in drawn.split("\n") if line]
    assert [line.split()[2].rstrip(":") for line in lines] == [
        "read",
        "pairs",
        "judge",
        "stories",
    ], drawn
    assert lines[0].startswith("retrace scan: read 6 documents")
    assert "6 articles, " in lines[0] and ", 0 skipped" in lines[0]
    assert lines[1].endswith(f"candidate pairs, {judged} to judge"), lines[1]
    assert lines[2].startswith(f"retrace scan: judge {judged}/{judged} (100%) pairs"), lines[2]
    assert lines[2].endswith(f"; {shown.summary.split('; ')[2].split()[0]} related")
    stories = len(shown.story_dicts())
    assert lines[3] == f"retrace scan: stories {stories} stories", lines[3]
    # The same results as without the bar.
    assert _scanned(shown) == _scanned(retrace.scan(DEMO, progress=False))
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert _scanned(shown) == _scanned(retrace.scan(DEMO))


def test_no_progress_when_not_asked_or_not_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    retrace.scan(DEMO, progress=False)
    assert terminal.getvalue() == ""
    # Standard error that is not a terminal, outside a notebook: nothing is drawn.
    redirected = io.StringIO()
    monkeypatch.setattr(sys, "stderr", redirected)
    retrace.scan(DEMO, progress=True)
    assert redirected.getvalue() == ""


def test_index_add_shows_its_progress(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    retrace.Index(tmp_path / "idx").add(DEMO, batch=2)
    line = terminal.getvalue().split("\n")[0].split("\r")[-1].rstrip()
    assert line.startswith("retrace index: add 6 documents"), line
    assert line.endswith("6 articles, 0.0 MB, 0 skipped, 6 in the index"), line


def test_scan_progress_with_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    """With tqdm importable, a tqdm bar per phase (a stand-in records what it is told)."""
    bars: list[dict[str, Any]] = []

    class Bar:
        def __init__(self, total: Optional[int], desc: str, unit: str) -> None:
            self.total, self.n = total, 0
            self.state: dict[str, Any] = {"desc": desc, "closed": False}
            bars.append(self.state)

        def reset(self, total: Optional[int] = None) -> None:
            self.total, self.n = total, 0

        def update(self, n: int) -> None:
            self.n += n

        def set_postfix_str(self, text: str) -> None:
            self.state.update(n=self.n, total=self.total, postfix=text)

        def close(self) -> None:
            self.state["closed"] = True

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = Bar  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    found = retrace.scan(DEMO)
    judged = _checked(found.summary)
    assert [b["desc"] for b in bars] == [
        "retrace scan: read",
        "retrace scan: pairs",
        "retrace scan: judge",
        "retrace scan: stories",
    ]
    assert all(b["closed"] for b in bars)
    assert (bars[0]["n"], bars[0]["total"]) == (6, None)
    assert (bars[2]["n"], bars[2]["total"]) == (judged, judged)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs a POSIX timer signal")
def test_ctrl_c_stops_a_scan(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A corpus that takes a while to read: 20,000 records, 10 MB.
    feed = tmp_path / "feed.jsonl"
    with feed.open("w") as out:
        for n in range(20_000):
            out.write(json.dumps({"text": f"Report {n}. " + ORIGINAL[:480]}) + "\n")
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    # Ctrl-C (a KeyboardInterrupt raised in the main thread by a signal) comes 50 ms after the
    # bar is first drawn, while the caller waits on the scan's thread; not once the scan is
    # over, should it ever be that fast.
    scanning = [True]

    def ctrl_c(signum: int, frame: Any) -> None:
        if scanning[0]:
            raise KeyboardInterrupt

    draw = retrace._Drawing.draw

    def first_draw(self: Any, phases: Any) -> None:
        if not hasattr(self, "timed"):
            self.timed = signal.setitimer(signal.ITIMER_REAL, 0.05)
        draw(self, phases)

    monkeypatch.setattr(retrace._Drawing, "draw", first_draw)
    previous = signal.signal(signal.SIGALRM, ctrl_c)
    out = tmp_path / "out"
    try:
        with pytest.raises(KeyboardInterrupt):
            retrace.scan(feed, out)
    finally:
        scanning[0] = False
        signal.signal(signal.SIGALRM, previous)
    # The scan stopped as it read: its report was never written, and its thread is gone.
    assert (out / "skipped.jsonl").exists() and not (out / "report.html").exists()
    assert not [t for t in threading.enumerate() if t.name == "retrace-scan"]
    drawn = sys.stderr.getvalue()
    assert "retrace scan: read" in drawn and "judge" not in drawn, drawn


def test_errors_of_the_scans_thread_are_raised_in_the_caller(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    with pytest.raises(retrace.OutputError, match="a-file"):
        retrace.scan(DEMO, out=a_file)
    with pytest.raises(ValueError, match="alignment"):
        retrace.scan(DEMO, alignment="some")
