"""The per-document cache of extraction (``data/.cache/extract/``): what extraction returned
for a document, keyed by its text, metadata, layouts and the code
(:func:`~analysis.build.state.extraction_key`), never by the other documents.

An entry is a sections file (JSON: the sections, the count of figure rows and the notes on
numbers that could not be read), the figures (Parquet, with a column naming the document) and
a checksum file written last: an entry that is incomplete, corrupt or edited by hand is
reported, discarded and extracted again. Written by whoever extracted the document: a local
worker process, or the build's process for the Ray engine and for work too small to send out.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.build.state import extraction_key
from analysis.documents.model import Document
from analysis.documents.sections import Section
from analysis.figures.extract import ExtractedDocument
from analysis.files import at_or, read_entry, unless_at, write_entry

if TYPE_CHECKING:
    import polars as pl

# A column each cached Parquet carries (its document's id, dropped when read): the one pass
# over every entry checks that each slice holds its own document's rows
OWNER = "_entry"

FOLDER = "extract"  # under data/.cache/


def paths(cache_dir: Path, doc: Document, prints: dict[str, str]) -> tuple[Path, Path, Path]:
    """(sections, figures, checksums) of ``doc``'s entry under ``cache_dir``."""
    key = extraction_key(doc.sha256 + doc.meta_sha256, prints)
    folder = cache_dir / FOLDER
    return (
        folder / f"{doc.doc_id}-{key}.sections.json",
        folder / f"{doc.doc_id}-{key}.mentions.parquet",
        folder / f"{doc.doc_id}-{key}.sha256",
    )


@dataclass
class Entry:
    """A cache entry whose checksums hold, its figures not yet read."""

    doc: Document
    sections: list[Section]
    unreadable: tuple[str, ...]
    rows: int  # its figures' rows, as written
    mentions: bytes  # Parquet


def read(where: tuple[Path, Path, Path], doc: Document, discarded: list[str]) -> Entry | None:
    """The entry at ``where``, or None when there is none or it is damaged (then said in
    ``discarded``). A section's text is kept only when it is not the document's text at its
    offsets (it always is, but the entry gives back exactly what extraction returned either
    way)."""
    sections_path, mentions_path, sums_path = where
    try:
        parts = read_entry(sums_path, [sections_path, mentions_path])
        if parts is None:
            return None
        sections_bytes, mentions_bytes = parts
        stored = json.loads(sections_bytes)
        sections = [
            Section(no, kind, comment, start, end, at_or(doc.text, text, start, end))
            for no, kind, comment, start, end, text in stored["sections"]
        ]
        unreadable = tuple(str(note) for note in stored["unreadable"])
        return Entry(doc, sections, unreadable, int(stored["mentions"]), mentions_bytes)
    except (OSError, ValueError, TypeError, KeyError, OverflowError) as err:
        discarded.append(f"{doc.doc_id} ({err.__class__.__name__}: {err})")
        return None


def read_all(
    entries: list[Entry], cached: list[str], discarded: list[str]
) -> dict[str, ExtractedDocument]:
    """The entries' documents, their figures read in one pass over all their Parquet (about a
    millisecond a document read one by one: 1.5 s of 1,000 articles); one by one if that
    fails or any row is not where its entry says, so that a damaged entry is the one
    discarded. The documents read are added to ``cached``, the damaged to ``discarded``."""
    import polars as pl

    found: dict[str, ExtractedDocument] = {}
    if not entries:
        return found
    try:
        every = pl.scan_parquet([e.mentions for e in entries]).collect()
        owners = pl.Series(OWNER, [e.doc.doc_id for e in entries for _ in range(e.rows)])
        if not every.get_column(OWNER).equals(owners):
            raise ValueError("rows other than written")
        pieces = split_rows(every.drop(OWNER), [e.rows for e in entries])
        for e, mentions in zip(entries, pieces, strict=True):
            found[e.doc.doc_id] = ExtractedDocument(e.sections, mentions, e.unreadable)
        cached += [e.doc.doc_id for e in entries]
        return found
    except (ValueError, pl.exceptions.PolarsError):
        found.clear()
    for e in entries:
        try:
            mentions = pl.read_parquet(io.BytesIO(e.mentions))
            owner = mentions.get_column(OWNER)
            if mentions.height != e.rows or owner.to_list() != [e.doc.doc_id] * e.rows:
                raise ValueError(f"{mentions.height} rows, {e.rows} written for this document")
        except (OSError, ValueError, pl.exceptions.PolarsError) as err:
            discarded.append(f"{e.doc.doc_id} ({err.__class__.__name__}: {err})")
            continue
        cached.append(e.doc.doc_id)
        found[e.doc.doc_id] = ExtractedDocument(e.sections, mentions.drop(OWNER), e.unreadable)
    return found


def split_rows(frame: pl.DataFrame, sizes: list[int]) -> list[pl.DataFrame]:
    """``frame`` cut into consecutive pieces of ``sizes`` rows (they sum to its height), each
    sharing the frame's memory. Halved again and again, not cut piece by piece from the whole:
    a slice walks the frame's chunks to its offset, and a frame read from 10,000 entries has
    10,000 of them (cut piece by piece, 5.3 s; halved, 0.4 s)."""
    pieces: list[pl.DataFrame] = []
    # (rows, first size, end) still to cut, the next piece's last
    todo = [(frame, 0, len(sizes))] if sizes else []
    while todo:
        rows, first, end = todo.pop()
        if end - first == 1:
            pieces.append(rows)
            continue
        mid = (first + end) // 2
        left = sum(sizes[first:mid])
        todo.append((rows.slice(left), mid, end))
        todo.append((rows.slice(0, left), first, mid))
    return pieces


def write(where: tuple[Path, Path, Path], doc: Document, extracted: ExtractedDocument) -> None:
    """``doc``'s entry at ``where`` (its older entries stay until
    :func:`~analysis.files.remove_stale`)."""
    import polars as pl

    sections_path, mentions_path, sums_path = where
    buffer = io.BytesIO()
    extracted.mentions.with_columns(pl.lit(doc.doc_id, pl.String).alias(OWNER)).write_parquet(
        buffer
    )
    stored = {
        "mentions": extracted.mentions.height,
        "sections": [
            [
                s.section_no,
                s.kind,
                s.comment_no,
                s.start,
                s.end,
                unless_at(doc.text, s.text, s.start, s.end),
            ]
            for s in extracted.sections
        ],
        "unreadable": list(extracted.unreadable),
    }
    sections_bytes = json.dumps(stored, ensure_ascii=False).encode("utf-8")
    write_entry(sums_path, [(sections_path, sections_bytes), (mentions_path, buffer.getvalue())])
