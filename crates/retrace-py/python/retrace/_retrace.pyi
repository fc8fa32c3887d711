"""The native part of retrace (a PyO3 extension); use the names of ``retrace`` instead."""

from typing import Iterator, Optional, Tuple, Union
import os

__version__: str
DEFAULT_MAX_BYTES: int

class Error(Exception):
    """What retrace raises; the message names the input and the reason."""

class InputError(Error):
    """An input that cannot be read or that holds no article."""

class ModelError(Error):
    """The semantic model cannot be found, loaded or run."""

class StoreError(Error):
    """An index on disk that cannot be opened, read or written."""

class OutputError(Error):
    """A scan's output folder, or its temporary text store, cannot be written."""

class ReadOptions:
    """How inputs are read (the command line's "Reading inputs" flags), checked when made."""

    def __init__(
        self,
        max_bytes: Optional[int] = ...,
        text_field: Optional[str] = ...,
        html_field: Optional[str] = ...,
        id_field: Optional[str] = ...,
        url_field: Optional[str] = ...,
        date_field: Optional[str] = ...,
        title_field: Optional[str] = ...,
    ) -> None: ...

class ScanProgress:
    """Where a running scan or ``Index.add`` is; ``cancel`` asks it to stop."""

    cancelled: bool
    def __init__(self) -> None: ...
    def phases(self) -> list[Tuple[str, int, Optional[int], str]]: ...
    def cancel(self) -> None: ...

class Comparison:
    semantic: bool
    head: Tuple[str, Optional[str], float, Tuple[float, float]]
    def json(self) -> str: ...
    def html(self) -> str: ...

class Reader:
    def __iter__(self) -> Iterator[Tuple[str, object]]: ...
    def __next__(self) -> Tuple[str, object]: ...

def compare(
    a: Union[str, bytes, os.PathLike[str]], b: Union[str, bytes, os.PathLike[str]], model: str = ...
) -> Comparison: ...
def extract(input: Union[str, bytes, os.PathLike[str]], url: Optional[str] = ...) -> str: ...
def read(
    paths: list[str], threads: Optional[int] = ..., options: Optional[ReadOptions] = ...
) -> Reader: ...
def scan(
    paths: list[str],
    out: Optional[str] = ...,
    alignment: str = ...,
    threads: Optional[int] = ...,
    options: Optional[ReadOptions] = ...,
    progress: Optional[ScanProgress] = ...,
) -> Tuple[list[str], list[str], list[str], list[Tuple[str, str, str, str]], str]: ...

class Index:
    def __init__(self, path: str, create: bool = ...) -> None: ...
    def add(
        self,
        paths: list[str],
        batch: int = ...,
        threads: Optional[int] = ...,
        options: Optional[ReadOptions] = ...,
        progress: Optional[ScanProgress] = ...,
    ) -> Tuple[int, int, int, int, list[Tuple[str, str, str, str]], list[Tuple[int, str]]]: ...
    def query(self, input: Union[str, bytes, os.PathLike[str]]) -> list[str]: ...
    def pair_html(self, input: Union[str, bytes, os.PathLike[str]], id: int) -> str: ...
    def story(self, id: int) -> Optional[str]: ...
    def stats(self) -> str: ...

def arrow_documents(
    batch: object, text: Optional[str], html: Optional[str], url: Optional[str], id: Optional[str]
) -> object: ...
def arrow_keys(batch: object, sketch: str, id: str, threshold: float) -> object: ...
def arrow_bucket_pairs(
    documents: list[int], ranks: Optional[list[int]], max_bucket: int, hubs: int
) -> object: ...
def arrow_compare(
    batch: object,
    a: str,
    b: str,
    a_origin: Optional[str],
    b_origin: Optional[str],
    alignment: str,
    min_coverage: float,
) -> object: ...
class RecordChunks:
    def __iter__(self) -> "RecordChunks": ...
    def __next__(self) -> object: ...

def arrow_read_files(
    batch: object, path: str, file: str, reading: Optional[ReadOptions]
) -> RecordChunks: ...
def arrow_read_contents(
    batch: object, path: str, content: str, file: str, reading: Optional[ReadOptions]
) -> RecordChunks: ...
def arrow_sketch_records(batch: object, alignment: str, raw: str) -> object: ...
def arrow_buckets(batch: object) -> object: ...
def arrow_check(batch: object, alignment: str, threshold: float) -> object: ...
def keys_suffice_by_counts(
    kind: str, shared: int, anchors_a: int, words_a: int, anchors_b: int, words_b: int
) -> Optional[bool]: ...

MIN_SHARED_ANCHORS: int
MIN_PASSAGE_WORDS: int
MIN_SHARED_TERMS: int
STRONG_SHARED_TERMS: int

def arrow_plan(batch: object) -> object: ...
def arrow_judge(
    batch: object, alignment: str, threshold: float, min_coverage: float, direction_window: int
) -> object: ...
def arrow_stated(batch: object, alignment: str) -> object: ...
def arrow_story(batch: object, alignment: str) -> object: ...
def expand_inputs(paths: list[str]) -> tuple[list[str], list[str]]: ...
