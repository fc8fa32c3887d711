"""retrace: where did this news text come from, and what changed on the way?

Compare two articles (relation, which one is the source, the sentence alignment with byte
spans into each input, every typed change), extract the article of a page, and read whole
crawls record by record. The work runs in Rust with the GIL released, so threads run in
parallel; every object here is immutable and safe to share between threads.

Inputs, wherever an article is taken: a ``str`` is the text itself, ``bytes`` are a page or a
text in any charset (detected, as the command line does), and an ``os.PathLike`` (such as
``pathlib.Path``) is a file to read (plain text, HTML, or one record of a WARC or JSONL file).

Failures raise ``retrace.Error`` or, saying what failed, one of its subclasses: ``InputError``
(an input cannot be read or holds no article), ``ModelError`` (the semantic model),
``StoreError`` (an index on disk) and ``OutputError`` (a scan's output folder).

>>> import retrace
>>> pair = retrace.compare("Storms cut power to 4,000 homes in Dunmore.",
...                        "Storms cut power to 4,000 homes in Dunmore.", model="none")
>>> pair.relation
'duplicate'
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Optional,
    Sequence,
    TextIO,
    Tuple,
    TypeVar,
    Union,
)

from . import _retrace

__all__ = [
    "Article",
    "AlignedPair",
    "Change",
    "Comparison",
    "Error",
    "InputError",
    "ModelError",
    "OutputError",
    "Paragraph",
    "Published",
    "Skipped",
    "Span",
    "StoreError",
    "__version__",
    "compare",
    "extract",
    "read",
    "scan",
    "Index",
    "Added",
    "ScanResult",
]

__version__: str = _retrace.__version__

Error = _retrace.Error
"""What retrace raises: the message names the input and the reason. Its subclasses say what
failed; ``except retrace.Error`` catches them all."""

InputError = _retrace.InputError
"""An input cannot be read (missing, unreadable, damaged, a path that is not UTF-8) or holds no
article (a subclass of ``retrace.Error``)."""

ModelError = _retrace.ModelError
"""The semantic model cannot be found, loaded or run (``compare(model=...)``; a subclass of
``retrace.Error``)."""

StoreError = _retrace.StoreError
"""An index on disk cannot be opened, read or written: not an index, written by another version,
damaged, or held by another writer (a subclass of ``retrace.Error``)."""

OutputError = _retrace.OutputError
"""A scan's output folder, or the temporary store it keeps texts in, cannot be written (a
subclass of ``retrace.Error``)."""

Input = Union[str, bytes, "os.PathLike[str]"]


@dataclass(frozen=True)
class Span:
    """A piece of an input: bytes ``start`` to ``end`` of its text as decoded (for a UTF-8
    file, its bytes on disk), on 1-based ``line``, and the ``text`` there."""

    start: int
    end: int
    line: int
    text: Optional[str] = None

    @staticmethod
    def _of(value: Optional[Dict[str, Any]]) -> Optional["Span"]:
        if value is None:
            return None
        return Span(value["start"], value["end"], value["line"], value.get("text"))


@dataclass(frozen=True)
class AlignedPair:
    """Sentences of A aligned with sentences of B: ``kind`` is ``verbatim``, ``edited`` or
    ``rewritten``; ``score`` how close they are (0 to 1)."""

    a: Span
    b: Span
    kind: str
    score: float


@dataclass(frozen=True)
class Change:
    """A typed change from source to derivative (``retrace explain KIND`` on the command
    line describes each kind): where it is in A and in B (either may be ``None``, as for a
    claim only one side makes) and what changed, in words."""

    kind: str
    a: Optional[Span]
    b: Optional[Span]
    detail: str


class Comparison:
    """Two articles compared (``retrace.compare``).

    ``relation`` is ``duplicate``, ``excerpt``, ``rewrite``, ``same_story`` or ``unrelated``;
    ``source`` says which input is the original (``"a"``, ``"b"`` or ``None`` when the evidence
    does not decide); ``coverage`` is the share of A aligned with B and of B with A. In a
    notebook, a comparison shows as its side-by-side report.
    """

    __slots__ = ("_make_json", "_json", "_html", "_dict", "_head")

    def __init__(
        self,
        json_text: Callable[[], str],
        html: Callable[[], str],
        head: Optional[Tuple[str, Optional[str], float, Tuple[float, float]]] = None,
    ) -> None:
        # The JSON is built when first asked for: the relation, source, confidence and coverage
        # come without it.
        self._make_json = json_text
        self._json: Optional[str] = None
        self._html = html
        self._dict: Optional[Dict[str, Any]] = None
        self._head = head

    def _data(self) -> Dict[str, Any]:
        if self._dict is None:
            self._dict = json.loads(self.to_json())
        return self._dict

    @property
    def relation(self) -> str:
        """``duplicate``, ``excerpt``, ``rewrite``, ``same_story`` or ``unrelated``."""
        if self._head is not None:
            return self._head[0]
        return str(self._data()["relation"])

    @property
    def source(self) -> Optional[str]:
        """``"a"`` or ``"b"``, the original of the pair; ``None`` when undecided."""
        if self._head is not None:
            return self._head[1]
        source = self._data()["source"]
        return None if source is None else str(source)

    @property
    def confidence(self) -> float:
        """How sure the judgement is, 0 to 1."""
        if self._head is not None:
            return self._head[2]
        return float(self._data()["confidence"])

    @property
    def coverage(self) -> Tuple[float, float]:
        """The share of A's text aligned with B, and of B's with A."""
        if self._head is not None:
            return self._head[3]
        coverage = self._data()["coverage"]
        return (float(coverage["a_by_b"]), float(coverage["b_by_a"]))

    @property
    def semantic(self) -> bool:
        """Whether the semantic model took part in the alignment."""
        return bool(self._data()["semantic"])

    @property
    def alignment(self) -> List[AlignedPair]:
        """The aligned sentence pairs, in A's order."""
        return [
            AlignedPair(Span._of(p["a"]), Span._of(p["b"]), p["kind"], p["score"])  # type: ignore[arg-type]
            for p in self._data()["alignment"]
        ]

    @property
    def changes(self) -> List[Change]:
        """Every typed change, from the source's side to the derivative's."""
        return [
            Change(c["kind"], Span._of(c["a"]), Span._of(c["b"]), c["detail"])
            for c in self._data()["changes"]
        ]

    @property
    def indexed(self) -> Optional[Dict[str, Any]]:
        """For a match of ``Index.query``: the indexed document (``id``, ``key``, ``url``,
        ``published``); ``None`` otherwise."""
        return self._data().get("indexed")

    @property
    def stands_for(self) -> List[Dict[str, Any]]:
        """For a match of ``Index.query``: the other members of its near-copy cluster (``id``,
        ``key``), not judged against the article, related to it as this one is."""
        return list(self._data().get("stands_for") or [])

    def to_dict(self) -> Dict[str, Any]:
        """Everything, as ``retrace compare --json`` gives it (a new dict each time)."""
        return json.loads(self.to_json())  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """The JSON of ``retrace compare --json``, byte for byte (for a match of
        ``Index.query``, as ``retrace query --json`` writes it)."""
        if self._json is None:
            self._json = self._make_json()
        return self._json

    def to_html(self) -> str:
        """The self-contained side-by-side page of ``retrace compare --html``."""
        return self._html()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return (
            f"<Comparison {self.relation}, source {self.source}, confidence "
            f"{self.confidence:.2f}>"
        )


def compare(a: Input, b: Input, *, model: str = "auto") -> Comparison:
    """Compares two articles: which is the source, how the sentences align, what changed.

    ``model`` is ``"auto"`` (the semantic model where it is installed, as ``retrace model
    install`` puts it, else lexical alignment), ``"none"`` (lexical only, faster) or the folder
    of a model. Raises ``retrace.InputError`` for an input that cannot be read or holds no
    article, ``retrace.ModelError`` for a model that cannot be loaded.
    """
    native = _retrace.compare(a, b, model)
    return Comparison(native.json, native.html, native.head)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of an article, with where it stands in the input."""

    text: str
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Published:
    """When an article was published, as written, and where that was read (``meta``,
    ``json-ld``, ``record``, ``text``…)."""

    value: str
    source: str


@dataclass(frozen=True)
class Article:
    """An extracted article: the body without the page's furniture, with its metadata and the
    span of every paragraph in the input. ``origin`` says where it was read (a file, a record
    ``file.warc.gz@OFFSET`` or ``file.jsonl:LINE``; ``<text>`` or ``<bytes>`` for an input given
    in memory);
    ``embedded`` holds the other stories a page pasted after its own."""

    origin: str
    title: Optional[str]
    byline: Optional[str]
    published: Optional[Published]
    language: Optional[str]
    url: Optional[str]
    site: Optional[str]
    paragraphs: List[Paragraph]
    embedded: List[Dict[str, Any]] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The body: the paragraphs, a blank line between each."""
        return "\n\n".join(p.text for p in self.paragraphs)

    def to_dict(self) -> Dict[str, Any]:
        """Everything, as a line of ``retrace extract`` gives it."""
        return json.loads(json.dumps(self.raw))  # type: ignore[no-any-return]

    @staticmethod
    def _of(line: str) -> "Article":
        d = json.loads(line)
        published = d.get("published")
        return Article(
            origin=d["origin"],
            title=d.get("title"),
            byline=d.get("byline"),
            published=None
            if published is None
            else Published(published["value"], published["from"]),
            language=d.get("language"),
            url=d.get("url"),
            site=d.get("site"),
            paragraphs=[
                Paragraph(p["text"], p["start"], p["end"], p["line"]) for p in d["paragraphs"]
            ],
            embedded=list(d.get("embedded") or []),
            raw=d,
        )


@dataclass(frozen=True)
class Skipped:
    """An input or record that gave no article: where it is, the ``stage`` it stopped at
    (``read``: damaged, too large, not text; ``extract``: read, but no article in it), a short
    ``kind`` of reason for counts, and the ``reason`` in words."""

    origin: str
    stage: str
    kind: str
    reason: str


def extract(x: Input, *, url: Optional[str] = None) -> Article:
    """Extracts the article of one input (text, a page's bytes, or a path), leaving the page's
    furniture out. ``url`` is the page's address where the input does not say it. Raises
    ``retrace.InputError`` when the input cannot be read or holds no article."""
    return Article._of(_retrace.extract(x, url))


class _Read:
    """The iterator ``retrace.read`` returns."""

    __slots__ = ("_native", "summary")

    def __init__(self, native: Any) -> None:
        self._native = native
        self.summary: Optional[str] = None

    def __iter__(self) -> "_Read":
        return self

    def __next__(self) -> Union[Article, Skipped]:
        for kind, value in self._native:
            if kind == "article":
                return Article._of(value)
            if kind == "skipped":
                return Skipped(*value)
            self.summary = value
        raise StopIteration


def _reading(
    max_bytes: Optional[int],
    text_field: Optional[str],
    html_field: Optional[str],
    id_field: Optional[str],
    url_field: Optional[str],
    date_field: Optional[str],
    title_field: Optional[str],
) -> _retrace.ReadOptions:
    # Checked once, by the rule the command line's flags are checked by.
    return _retrace.ReadOptions(
        max_bytes, text_field, html_field, id_field, url_field, date_field, title_field
    )


def read(
    paths: Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]],
    *,
    threads: Optional[int] = None,
    max_bytes: Optional[int] = None,
    text_field: Optional[str] = None,
    html_field: Optional[str] = None,
    id_field: Optional[str] = None,
    url_field: Optional[str] = None,
    date_field: Optional[str] = None,
    title_field: Optional[str] = None,
) -> Iterator[Union[Article, Skipped]]:
    """Reads every record of files, folders and globs (text, HTML, WARC, JSONL, gzip or not),
    in order, as ``Article`` or, for a record or input that gives none, ``Skipped``: bad
    records are yielded, never dropped and never raised in the middle of the stream. Records
    are extracted in parallel on ``threads`` threads (default: one per core), a few batches
    ahead of the loop. Once exhausted, the iterator's ``summary`` says what was read and
    skipped, as the command line does.

    Reading options, as the command line's "Reading inputs" flags (``scan`` and ``Index.add``
    take them too): ``max_bytes`` skips documents (files, WARC records, JSON lines) larger than
    this many bytes (1 to 4294967295; default 20,000,000) as ``Skipped`` of kind ``too
    large``; out of that range it raises ``ValueError``. For JSON lines, the field that holds
    each part of a record (a dotted path such as ``"article.body"`` works): ``text_field``, the
    article as text (default: the first of ``text``, ``content``, ``body``, ``maintext``,
    ``article``, ``plain_text``); ``html_field``, the article as an HTML page (``html``,
    ``raw_html``, ``content_html``, ``page``, when no text field is there); ``id_field``, the
    record's id (``id``, ``_id``, ``doc_id``, ``uuid``); ``url_field``, the page's URL
    (``url``, ``link``, ``source_url``, ``uri``); ``date_field``, the publication date
    (``date``, ``published``, ``date_publish``, ``published_at``, ``publish_date``,
    ``pub_date``, ``datetime``); ``title_field``, the headline (``title``, ``headline``).
    """
    options = _reading(
        max_bytes, text_field, html_field, id_field, url_field, date_field, title_field
    )
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _Read(_retrace.read([os.fspath(p) for p in paths], threads, options))


Paths = Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]]


def _table(lines: List[str]) -> Any:
    import pyarrow as pa  # imported here: only scans need it

    return pa.Table.from_pylist([json.loads(line) for line in lines])


class ScanResult:
    """What ``retrace.scan`` found: ``pairs``, ``stories`` and ``clusters`` as pyarrow Tables
    (``.to_pandas()``, ``polars.from_arrow``) with the content of the command's
    ``pairs.jsonl``, ``stories.jsonl`` and ``clusters.jsonl``; ``skipped`` the inputs that gave
    no article; ``summary`` the command's summary line; ``out`` the folder written, if any."""

    __slots__ = ("_pairs", "_stories", "_clusters", "skipped", "summary", "out")

    def __init__(
        self,
        pairs: List[str],
        stories: List[str],
        clusters: List[str],
        skipped: List[Skipped],
        summary: str,
        out: Optional[str],
    ) -> None:
        self._pairs, self._stories, self._clusters = pairs, stories, clusters
        self.skipped = skipped
        self.summary = summary
        self.out = out

    @property
    def pairs(self) -> Any:
        """The related pairs (a ``pyarrow.Table``), one row per line of ``pairs.jsonl``."""
        return _table(self._pairs)

    @property
    def stories(self) -> Any:
        """The stories (a ``pyarrow.Table``), one row per line of ``stories.jsonl``."""
        return _table(self._stories)

    @property
    def clusters(self) -> Any:
        """The near-copy clusters (a ``pyarrow.Table``), one row per line of
        ``clusters.jsonl``."""
        return _table(self._clusters)

    def pair_dicts(self) -> List[Dict[str, Any]]:
        """The related pairs as dicts, exactly as the lines of ``pairs.jsonl``."""
        return [json.loads(line) for line in self._pairs]

    def story_dicts(self) -> List[Dict[str, Any]]:
        """The stories as dicts, exactly as the lines of ``stories.jsonl``."""
        return [json.loads(line) for line in self._stories]

    def __repr__(self) -> str:
        return f"<ScanResult {self.summary}>"


_T = TypeVar("_T")

# How often the waiting thread looks at the work's progress, in seconds.
_POLL = 0.1

# What each phase counts.
_UNITS = {
    "read": "documents",
    "add": "documents",
    "pairs": "parts",
    "judge": "pairs",
    "stories": "stories",
}

# The phases whose count has a rate worth showing (work done, not parts of a step or results).
_RATED = {"read", "add", "judge"}

# A phase as the native progress gives it: name, done, total (None when unknown), detail.
_Phase = Tuple[str, int, Optional[int], str]


def _shown() -> bool:
    """Whether a progress bar would be seen: standard error is a terminal, or this runs in a
    Jupyter kernel."""
    stream = sys.stderr
    try:
        if stream is not None and stream.isatty():
            return True
    except (AttributeError, ValueError):  # not a file, or closed
        pass
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return getattr(shell, "kernel", None) is not None


class _LineBar:
    """The built-in bar, where tqdm is not installed: one line on standard error per phase,
    redrawn in place, with the count, the rate and what the phase says."""

    def __init__(self, what: str, name: str, total: Optional[int]) -> None:
        self._stream: TextIO = sys.stderr
        self._label = f"retrace {what}: {name}"
        self._unit = _UNITS.get(name, "")
        self._rated = name in _RATED
        self._started = time.monotonic()
        self._width = 0

    def update(self, done: int, total: Optional[int], detail: str) -> None:
        line = self._label
        # Nothing counted yet, and nothing to count towards: the words alone.
        counted = done > 0 or total is not None
        if counted:
            line += f" {done:,}" if total is None else f" {done:,}/{total:,}"
            if total:
                line += f" ({100 * done // total}%)"
            line += f" {self._unit}"
            elapsed = time.monotonic() - self._started
            # A rate over less than a second is mostly noise.
            if self._rated and done and elapsed >= 1:
                line += f", {done / elapsed:,.1f}/s"
        if detail:
            line += ("; " if counted else ": ") + detail
        # Spaces over what is left of a longer line before.
        self._stream.write("\r" + line + " " * max(0, self._width - len(line)))
        self._stream.flush()
        self._width = len(line)

    def close(self) -> None:
        self._stream.write("\n")
        self._stream.flush()


class _TqdmBar:
    """A phase's bar drawn by tqdm (``tqdm.auto``: a widget in Jupyter, text in a terminal)."""

    def __init__(self, tqdm: Any, what: str, name: str, total: Optional[int]) -> None:
        self._bar = tqdm(
            total=total, desc=f"retrace {what}: {name}", unit=" " + _UNITS.get(name, "")
        )

    def update(self, done: int, total: Optional[int], detail: str) -> None:
        bar = self._bar
        if total != bar.total or done < bar.n:
            # A new kind of key in the pairs phase starts its parts from 0; checking them has
            # no count. (tqdm's reset keeps the total when given None.)
            bar.reset()
            bar.total = total
        if done > bar.n:
            bar.update(done - bar.n)
        bar.set_postfix_str(detail)

    def close(self) -> None:
        self._bar.close()


class _Drawing:
    """The bars of a running ``scan`` or ``Index.add``: a bar per phase, each phase, once it
    ended, drawn as it ended (so a phase shorter than a poll is still shown), the last as it is
    now."""

    def __init__(self, what: str) -> None:
        self._what = what
        try:
            # Optional: the built-in line is drawn without it.
            from tqdm.auto import tqdm  # type: ignore[import-untyped, import-not-found, unused-ignore]
        except ImportError:
            tqdm = None
        self._tqdm = tqdm
        self._bars: List[Union[_LineBar, _TqdmBar]] = []

    def draw(self, phases: List[_Phase]) -> None:
        for n, (name, done, total, detail) in enumerate(phases):
            if n < len(self._bars) - 1:
                continue  # ended, and drawn as it ended
            if n == len(self._bars):
                if self._bars:
                    self._bars[-1].close()
                bar: Union[_LineBar, _TqdmBar] = (
                    _LineBar(self._what, name, total)
                    if self._tqdm is None
                    else _TqdmBar(self._tqdm, self._what, name, total)
                )
                self._bars.append(bar)
            self._bars[n].update(done, total, detail)

    def close(self, phases: List[_Phase]) -> None:
        self.draw(phases)
        if self._bars:
            self._bars[-1].close()


def _run(what: str, progress: bool, work: Callable[[_retrace.ScanProgress], _T]) -> _T:
    """Runs ``work`` (a native call given a ``ScanProgress``) on a thread while this one waits,
    drawing its progress when ``progress`` and someone can see it. Ctrl-C while it waits asks
    the work to stop, waits for it to, and raises ``KeyboardInterrupt``; the work's own errors
    are raised here."""
    tracker = _retrace.ScanProgress()
    results: List[_T] = []
    errors: List[BaseException] = []
    # Waited on rather than the thread: before Python 3.13, a Thread.join that Ctrl-C
    # interrupts marks a thread that is still running as stopped.
    done = threading.Event()

    def run() -> None:
        try:
            results.append(work(tracker))
        except BaseException as err:  # raised again in the caller
            errors.append(err)
        finally:
            done.set()

    # A daemon: an interpreter that exits does not wait for a scan nobody waits for.
    thread = threading.Thread(target=run, name=f"retrace-{what}", daemon=True)
    drawing = _Drawing(what) if progress and _shown() else None
    thread.start()
    try:
        while True:
            if drawing is not None:
                drawing.draw(tracker.phases())
            if done.wait(_POLL):
                break
    except KeyboardInterrupt:
        # The native side stops at its next record or pair; what it raises then is dropped.
        tracker.cancel()
        done.wait()
        thread.join()
        if drawing is not None:
            drawing.close(tracker.phases())
        raise
    thread.join()
    if drawing is not None:
        drawing.close(tracker.phases())
    if errors:
        raise errors[0]
    return results[0]


def scan(
    paths: Paths,
    out: Optional[Union[str, "os.PathLike[str]"]] = None,
    *,
    alignment: str = "full",
    threads: Optional[int] = None,
    progress: bool = True,
    max_bytes: Optional[int] = None,
    text_field: Optional[str] = None,
    html_field: Optional[str] = None,
    id_field: Optional[str] = None,
    url_field: Optional[str] = None,
    date_field: Optional[str] = None,
    title_field: Optional[str] = None,
) -> ScanResult:
    """Finds every copy, excerpt and rewrite among the records of files, folders and globs,
    and groups them into stories, as ``retrace scan`` does. With ``out``, the command's output
    folder is written too (``pairs.jsonl``, ``stories.jsonl``, ``clusters.jsonl``,
    ``skipped.jsonl``, ``report.html`` and its pages). ``alignment`` is ``"full"`` (spans with
    their text), ``"spans"`` (offsets only) or ``"none"`` (a fast pass: near-copies and
    excerpts by their sketches). The reading options (``max_bytes``, ``text_field`` …) are
    ``retrace.read``'s.

    The work runs on a thread of its own with the GIL released. With ``progress`` (the
    default), a bar per phase (``read``: documents read; ``pairs``: candidate pairs found;
    ``judge``: pairs judged of those to judge; ``stories``) is drawn on standard error when it
    is a terminal, or in a Jupyter notebook, with tqdm where it is installed; elsewhere nothing
    is drawn. Ctrl-C stops the scan (while it reads, at the next record; while it judges, at
    the next batch of pairs) and raises ``KeyboardInterrupt``. Raises ``retrace.OutputError``
    when ``out`` cannot be written."""
    options = _reading(
        max_bytes, text_field, html_field, id_field, url_field, date_field, title_field
    )
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    names = [os.fspath(p) for p in paths]
    folder = None if out is None else os.fspath(out)
    pairs, stories, clusters, skipped, summary = _run(
        "scan",
        progress,
        lambda tracker: _retrace.scan(names, folder, alignment, threads, options, tracker),
    )
    return ScanResult(pairs, stories, clusters, [Skipped(*s) for s in skipped], summary, folder)


@dataclass(frozen=True)
class Added:
    """What ``Index.add`` did: documents added, updated (a known key with other words) and
    unchanged, related pairs judged and stored, the inputs that gave no article, and the
    documents whose pairs could not be judged (id and reason)."""

    added: int
    updated: int
    unchanged: int
    pairs: int
    skipped: List[Skipped]
    not_compared: List[Tuple[int, str]]


class Index:
    """An index on disk (SQLite; the folder ``retrace index`` and ``retrace serve`` use): add
    documents as they arrive, look an article up, follow a story. One writer at a time (each
    ``add`` takes the index's write lock for a batch); reads see whole batches and can run on
    any number of threads.

    ``path`` is the index's folder; it is created when missing unless ``create`` is false.
    Raises ``retrace.StoreError`` when it cannot be opened (not an index, written by another
    version, or not a folder).
    """

    __slots__ = ("_native", "path")

    def __init__(self, path: Union[str, "os.PathLike[str]"], *, create: bool = True) -> None:
        self.path = os.fspath(path)
        self._native = _retrace.Index(self.path, create)

    def add(
        self,
        paths: Paths,
        *,
        batch: int = 1000,
        threads: Optional[int] = None,
        progress: bool = True,
        max_bytes: Optional[int] = None,
        text_field: Optional[str] = None,
        html_field: Optional[str] = None,
        id_field: Optional[str] = None,
        url_field: Optional[str] = None,
        date_field: Optional[str] = None,
        title_field: Optional[str] = None,
    ) -> Added:
        """Adds every record of files, folders and globs, in batches of ``batch`` documents,
        judging each new or changed one against the index (``retrace index add``). A document
        whose key (its URL, or where it was read) is there already is updated when its words
        changed. The reading options (``max_bytes``, ``text_field`` …) are ``retrace.read``'s.

        With ``progress``, a bar (documents read, and stored in the index so far) is drawn as
        ``retrace.scan`` draws its bars. Ctrl-C stops it at its next record and raises
        ``KeyboardInterrupt``; the batches added before stay in the index. Raises
        ``retrace.StoreError`` when the index cannot be written."""
        options = _reading(
            max_bytes, text_field, html_field, id_field, url_field, date_field, title_field
        )
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        names = [os.fspath(p) for p in paths]
        native = self._native
        added, updated, unchanged, pairs, skipped, not_compared = _run(
            "index",
            progress,
            lambda tracker: native.add(names, batch, threads, options, tracker),
        )
        return Added(
            added, updated, unchanged, pairs, [Skipped(*s) for s in skipped], list(not_compared)
        )

    def query(self, article: Union[Input, Article]) -> List[Comparison]:
        """Who copied, excerpted or rewrote ``article`` (text, a page's bytes, a path, or an
        ``Article``), or where it was taken from: one ``Comparison`` per related indexed
        document (one per near-copy cluster; ``stands_for`` names the others), derivations
        first, most confident first (``retrace query``)."""
        source: Input = article.text if isinstance(article, Article) else article
        native = self._native
        return [
            Comparison(_given(line), _pair_page(native, source, json.loads(line)["indexed"]["id"]))
            for line in native.query(source)
        ]

    def story(self, id: int) -> Optional[Dict[str, Any]]:
        """The story holding the indexed document ``id`` (as ``retrace query --story --json``
        shows a story, with ``member_ids`` and the ``newest`` publication time), or ``None``
        when it is in none."""
        line = self._native.story(id)
        return None if line is None else json.loads(line)  # type: ignore[no-any-return]

    def stats(self) -> Dict[str, Any]:
        """Counts of what the index holds (``retrace index stats``)."""
        return json.loads(self._native.stats())  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<retrace.Index {self.path}>"


def _given(text: str) -> Callable[[], str]:
    return lambda: text


def _pair_page(native: Any, article: Input, id: int) -> Callable[[], str]:
    return lambda: str(native.pair_html(article, id))
