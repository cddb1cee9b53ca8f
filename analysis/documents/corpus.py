"""The articles of a seeds folder: its texts (:mod:`analysis.documents.seeds`) and archives as
they come, JSON Lines and Parquet files of articles, one record per article with the columns
``id, title, url, outlet, published, text`` (``id`` and ``text`` required).

A record becomes a :class:`Document` like a seed text with its metadata: the SHA-256 of its text
is computed and recorded, the other fields are checked as a metadata file's are, and a record's
metadata has its own digest so that changing a title re-extracts that article alone.
Every problem is one line naming the file and the line (JSON Lines) or row (Parquet).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis.documents.model import Document
from analysis.documents.seeds import (
    DEFAULT_DOLLAR,
    UNKNOWN,
    discover_seed_texts,
    first_line,
    read_document,
)
from analysis.errors import BadInput
from analysis.files import sha256_hex
from analysis.vocab import SAFE_NAME
from analysis.yamlfile import as_date, as_text, as_url

RECORD_COLUMNS = ("id", "title", "url", "outlet", "published", "text")
REQUIRED_COLUMNS = ("id", "text")
CORPUS_SUFFIXES = (".jsonl", ".parquet")
MAX_LINE_BYTES = 64 * 1024 * 1024


def _records_jsonl(path: Path) -> Iterator[tuple[str, Any]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            place = str(number)
            if len(raw) > MAX_LINE_BYTES:
                raise BadInput(path, f"a line longer than {MAX_LINE_BYTES} bytes", place)
            if not raw.strip():
                continue
            try:
                yield place, json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as err:
                raise BadInput(path, f"not UTF-8 ({err.reason})", place) from None
            except json.JSONDecodeError as err:
                raise BadInput(
                    path, f"invalid JSON: {err.msg} at column {err.colno}", place
                ) from None


def _records_parquet(path: Path) -> Iterator[tuple[str, Any]]:
    import polars as pl

    try:
        frame = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as err:
        message = " ".join(str(err).split())[:200]
        raise BadInput(path, f"not a readable Parquet file ({message})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise BadInput(path, f"missing column {missing[0]!r}; columns: {', '.join(RECORD_COLUMNS)}")
    unknown = [c for c in frame.columns if c not in RECORD_COLUMNS]
    if unknown:
        raise BadInput(path, f"unknown column {unknown[0]!r}; columns: {', '.join(RECORD_COLUMNS)}")
    for number, row in enumerate(frame.iter_rows(named=True), start=1):
        yield f"row {number}", row


def _document(path: Path, place: str, record: Any) -> Document:
    if not isinstance(record, dict):
        raise BadInput(path, f"expected an object with {', '.join(RECORD_COLUMNS)}", place)
    unknown = sorted(k for k in record if k not in RECORD_COLUMNS)
    if unknown:
        raise BadInput(
            path, f"unknown field {unknown[0]!r}; fields: {', '.join(RECORD_COLUMNS)}", place
        )
    for key in REQUIRED_COLUMNS:
        if record.get(key) in (None, ""):
            raise BadInput(path, f"missing field {key!r}", place)
    doc_id = as_text(path, record["id"], "id", place)
    if not SAFE_NAME.fullmatch(doc_id):
        raise BadInput(
            path,
            f"id {doc_id[:60]!r}: letters, digits, '.', '_' and '-' only (it names files)",
            place,
        )
    text = record["text"]
    if not isinstance(text, str):
        raise BadInput(path, f"text: expected a string, got {type(text).__name__}", place)
    fields = {
        key: as_text(path, record[key], key, place) if record.get(key) not in (None, "") else None
        for key in ("title", "url", "outlet")
    }
    if fields["url"] is not None:
        as_url(path, fields["url"], "url", place)
    published = record.get("published")
    if isinstance(published, str) and len(published) > 10 and published[10] in "T ":
        try:  # a timestamp: its day, if the whole of it is one ("Tgarbage!!" is not)
            published = dt.datetime.fromisoformat(published.replace("Z", "+00:00")).date()
        except ValueError:
            raise BadInput(
                path, f"published: {published[:40]!r} is not an ISO date or timestamp", place
            ) from None
    day = as_date(path, published if published != "" else None, "published", place)
    meta = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in record.items()}
    meta.pop("text")
    return Document(
        doc_id=doc_id,
        path=path,
        text=text,
        sha256=sha256_hex(text.encode("utf-8")),
        title=fields["title"] or first_line(text) or doc_id,
        outlet=fields["outlet"] or UNKNOWN,
        author="",
        language="en",
        layout=None,
        url=fields["url"],
        date_published=day,
        published_after=None,
        published_before=None,
        as_of=day,
        date_note=None,
        dollar=DEFAULT_DOLLAR,
        title_given=fields["title"] is not None,
        meta_sha256=sha256_hex(json.dumps(meta, sort_keys=True, default=str).encode("utf-8")),
        place=place,
    )


def read_corpus_file(path: Path) -> list[Document]:
    """The articles of one ``.jsonl`` or ``.parquet`` file, in file order."""
    if not path.exists():
        raise BadInput(path, "file not found (a link that leads nowhere?)")
    records = _records_jsonl(path) if path.suffix == ".jsonl" else _records_parquet(path)
    return [_document(path, place, record) for place, record in records]


def discover_corpus_files(seeds_dir: Path) -> list[Path]:
    """The archive files (JSON Lines, Parquet) in ``seeds_dir``, by name."""
    return sorted(
        p
        for p in seeds_dir.iterdir()
        if p.suffix in CORPUS_SUFFIXES and (p.is_file() or p.is_symlink())
    )


def read_documents(seeds_dir: Path) -> list[Document]:
    """Every ``*.txt`` in ``seeds_dir`` with its metadata, in file-name order, then the articles
    of its ``*.jsonl`` and ``*.parquet`` files; ids must be unique across them."""
    docs = [read_document(path) for path in discover_seed_texts(seeds_dir)]
    for path in discover_corpus_files(seeds_dir):
        docs += read_corpus_file(path)
    seen: dict[str, Document] = {}
    for doc in docs:
        if doc.doc_id in seen:
            first = seen[doc.doc_id]
            where = f"{first.path.name}{':' + first.place if first.place else ''}"
            raise BadInput(doc.path, f"id {doc.doc_id!r} is also the id of {where}", doc.place)
        seen[doc.doc_id] = doc
    return docs
