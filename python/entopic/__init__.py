"""entopic: tag political leaders, countries and weapons systems in news and policy documents,
classify each document into topic tags, and hand the results to pandas, Polars, DuckDB or Spark.

    >>> import entopic
    >>> p = entopic.Pipeline()
    >>> r = p.analyze("Kim Jong Un met Xi Jinping in Beijing.")
    >>> [(m["id"], m["text"], m["start"], m["end"]) for m in r["entities"]]
    [('kim-jong-un', 'Kim Jong Un', 0, 11), ('xi-jinping', 'Xi Jinping', 16, 26), ('CHN', 'Beijing', 30, 37)]

A record is the dict of one line of `entopic extract`'s JSONL output (docs/output.md); its
`start`/`end` offsets are Python string indices into the text given. The dictionaries are
compiled into the package: nothing is read from the network.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _entopic

__all__ = [
    "Pipeline",
    "Error",
    "InputError",
    "DictionaryError",
    "TopicModelError",
    "MENTION_COLUMNS",
    "mentions_table",
    "mentions_frame",
    "__version__",
]

__version__: str = _entopic.__version__

PathLike = Union[str, "os.PathLike[str]"]
Doc = Union[str, Mapping[str, Any]]

#: The columns of `mentions.csv`, in order: the columns of `mentions_table`/`mentions_frame`.
MENTION_COLUMNS = tuple(_entopic.MENTION_COLUMNS)

# The keys of a mention record that have a column of their own; the others are attributes.
_MENTION_KEYS = {"type", "id", "name", "text", "start", "end", "byte_start", "byte_end", "form",
                 "in_office", "role"}


class Error(Exception):
    """Base class of every error entopic raises."""


class InputError(Error, ValueError):
    """A document or an argument that cannot be used (bad date, text that is not Unicode, …)."""


class DictionaryError(Error):
    """A dictionary folder that cannot be read or has errors (`path:line: message`)."""


class TopicModelError(Error):
    """A topic model file that cannot be read."""


def _paths(value: Union[None, PathLike, Sequence[PathLike]]) -> list:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [os.fspath(value)]
    return [os.fspath(v) for v in value]


def _optional_str(name: str, value: Any) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"{name} must be a str, not {type(value).__name__}")


def _doc_json(doc: Doc, position: int, text_field: str, id_field: str) -> str:
    """One document as a JSONL input line, read by the same code as `extract`'s JSONL reader.

    A `str` is the text; a mapping is a record. Without an id, the id is the position."""
    if isinstance(doc, str):
        doc = {text_field: doc}
    elif not isinstance(doc, Mapping):
        raise InputError(f"document {position}: expected a str or a mapping, "
                         f"not {type(doc).__name__}")
    text = doc.get(text_field)
    if isinstance(text, str):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InputError(f"document {position}: the text is not valid Unicode "
                             f"(lone surrogate at index {e.start})") from None
    if doc.get(id_field) is None:
        doc = {**doc, id_field: str(position)}
    try:
        return json.dumps(doc, ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise InputError(f"document {position}: {e}") from None


def _check_date(date: Optional[str]) -> Optional[str]:
    """A `YYYY-MM-DD` date that exists, or None."""
    if date is None:
        return None
    try:
        ok = isinstance(date, str) and len(date) == 10 and bool(datetime.date.fromisoformat(date))
    except ValueError:
        ok = False
    if not ok:
        raise InputError(f"date {json.dumps(date)} is not a date of the form YYYY-MM-DD")
    return date


class Pipeline:
    """Dictionaries, automaton, taxonomy and topic models, loaded and compiled once.

    Build one and call `analyze`/`analyze_many` as often as needed; a pipeline is safe to share
    between threads. Every argument is checked here: a bad date, threshold or dictionary raises
    an `entopic.Error` subclass rather than being ignored later.

    Args:
        dicts: extra dictionary folders (`--dict`): their `.tsv` files add entity types, names
            and rules to the bundled dictionaries.
        topic_model: one or more models made by `entopic topics train` (`--topic-model`).
        date: `YYYY-MM-DD` assumed for documents that carry none (leaders' roles on that date).
        topic_threshold: minimum topic score reported, 0 to 1 (`--topic-threshold`).
        top: at most this many topics per document (`--top`).
        default_dicts: `False` leaves out the bundled dictionaries (then `dicts` is required).
        default_topics: `False` leaves out the bundled taxonomy.
        all_candidates: keep the matches the rules dropped, with a reason, under `rejected`.
    """

    def __init__(
        self,
        dicts: Union[None, PathLike, Sequence[PathLike]] = None,
        topic_model: Union[None, PathLike, Sequence[PathLike]] = None,
        date: Optional[str] = None,
        topic_threshold: Optional[float] = None,
        top: Optional[int] = None,
        default_dicts: bool = True,
        default_topics: bool = True,
        all_candidates: bool = False,
    ) -> None:
        if top is not None and (not isinstance(top, int) or top < 1):
            raise InputError(f"top must be a positive int, not {top!r}")
        self._inner = _entopic.Pipeline(
            _paths(dicts),
            _paths(topic_model),
            _optional_str("date", date),
            None if topic_threshold is None else float(topic_threshold),
            top,
            bool(default_dicts),
            bool(default_topics),
            bool(all_candidates),
        )

    @property
    def types(self) -> list:
        """Entity types, in dictionary order (`["country", "leader", "weapon"]` by default)."""
        return self._inner.types()

    def analyze(
        self,
        text: str,
        id: Optional[str] = None,
        date: Optional[str] = None,
        title: Optional[str] = None,
        meta: Optional[Mapping[str, Any]] = None,
    ) -> dict:
        """The record of one document: `{"id", "encoding", "chars", "entities", "topics", …}`.

        `id` defaults to `"0"`; `date` (`YYYY-MM-DD`) overrides the pipeline's; `meta` is carried
        through as the record's `meta`.
        """
        if not isinstance(text, str):
            raise InputError(f"text must be a str, not {type(text).__name__}")
        doc = {**(meta or {}), "text": text, "id": "0" if id is None else id,
               "date": _check_date(date), "title": title}
        return self.analyze_many([{k: v for k, v in doc.items() if v is not None}])[0]

    def analyze_many(
        self,
        docs: Iterable[Doc],
        jobs: Optional[int] = None,
        text_field: str = "text",
        id_field: str = "id",
        batch_size: int = 4096,
        title_in_text: bool = False,
    ) -> list:
        """Records of many documents, in their order, analyzed in parallel without the GIL.

        Each document is a `str` or a mapping like a JSONL input record: `text_field` holds the
        text, `id_field` the id (default: the position), `date` and `title` are used as such and
        every other field is carried through as `meta`. `jobs` threads (default: all cores);
        documents are handed over `batch_size` at a time, so any iterable works. With
        `title_in_text`, a title is tagged too, as `extract --title-in-text` does: it opens the
        text (title, blank line, text) and offsets count from it.
        """
        if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
            raise InputError(f"jobs must be a positive int, not {jobs!r}")
        records: list = []
        batch: list = []
        first = 0
        for position, doc in enumerate(docs):
            batch.append(_doc_json(doc, position, text_field, id_field))
            if len(batch) >= batch_size:
                lines = self._inner.analyze_json(batch, first, text_field, id_field, jobs,
                                                 title_in_text)
                records.extend(map(json.loads, lines))
                first, batch = position + 1, []
        if batch:
            lines = self._inner.analyze_json(batch, first, text_field, id_field, jobs,
                                             title_in_text)
            records.extend(map(json.loads, lines))
        return records

    def to_arrow(self, docs: Iterable[Doc], jobs: Optional[int] = None, **fields: Any):
        """A pyarrow Table with one row per mention of `docs` (the columns of `mentions.csv`)."""
        docs = list(docs)
        records = self.analyze_many(docs, jobs=jobs, **fields)
        text_field = fields.get("text_field", "text")
        title_in_text = fields.get("title_in_text", False)
        texts = [_text_of(d, text_field, title_in_text) for d in docs]
        return mentions_table(records, texts)


def _text_of(doc: Doc, text_field: str, title_in_text: bool) -> str:
    """The text a document's offsets count in (`analyze_many`'s rules)."""
    if isinstance(doc, str):
        return doc
    title = doc.get("title")
    if title_in_text and isinstance(title, str) and title:
        return f"{title}\n\n{doc[text_field]}"
    return doc[text_field]


def _mention_columns(records: Sequence[Mapping[str, Any]],
                     texts: Optional[Sequence[str]]) -> dict:
    columns: dict = {name: [] for name in MENTION_COLUMNS}
    for i, record in enumerate(records):
        mentions = record.get("entities", [])
        if texts is None:
            contexts = [None] * len(mentions)
        else:
            # mentions.csv's context: up to 60 characters each side on the same line.
            spans = [(m["byte_start"], m["byte_end"]) for m in mentions]
            contexts = _entopic.contexts(texts[i], spans)
        for m, context in zip(mentions, contexts):
            columns["doc_id"].append(record["id"])
            columns["entity_id"].append(m["id"])
            for key in ("type", "name", "text", "start", "end", "byte_start", "byte_end", "form",
                        "in_office", "role"):
                columns[key].append(m.get(key))
            columns["attributes"].append(
                {k: str(v) for k, v in m.items() if k not in _MENTION_KEYS})
            columns["context"].append(context)
    return columns


def mentions_table(records: Sequence[Mapping[str, Any]],
                   texts: Optional[Sequence[str]] = None):
    """A pyarrow Table, one row per mention of `records` (from `analyze`/`analyze_many`).

    The columns of `mentions.csv`, typed: offsets are int64, `in_office` a bool (null when the
    date or the roles are unknown), `attributes` a map of the dictionary's other fields.
    `context` needs the documents' texts (`texts[i]` for `records[i]`); without them it is null.
    """
    import pyarrow as pa

    schema = pa.schema([
        ("doc_id", pa.string()), ("type", pa.string()), ("entity_id", pa.string()),
        ("name", pa.string()), ("text", pa.string()), ("start", pa.int64()),
        ("end", pa.int64()), ("byte_start", pa.int64()), ("byte_end", pa.int64()),
        ("form", pa.string()), ("in_office", pa.bool_()), ("role", pa.string()),
        ("attributes", pa.map_(pa.string(), pa.string())), ("context", pa.string()),
    ])
    if texts is not None and len(texts) != len(records):
        raise InputError(f"{len(texts)} texts for {len(records)} records")
    columns = _mention_columns(records, texts)
    columns["attributes"] = [list(a.items()) for a in columns["attributes"]]
    return pa.Table.from_pydict(columns, schema=schema)


def mentions_frame(records: Sequence[Mapping[str, Any]],
                   texts: Optional[Sequence[str]] = None, backend: str = "pandas"):
    """`mentions_table` as a pandas (default) or Polars (`backend="polars"`) DataFrame."""
    table = mentions_table(records, texts)
    if backend == "pandas":
        return table.to_pandas()
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(table)
    raise InputError(f"backend must be 'pandas' or 'polars', not {backend!r}")
