"""The per-document cache of the claims the machine drafts (``data/.cache/draft/``).

A document's drafted claims depend on its text and metadata, its figures (so on its layout,
the lexicon and the code) and the reference tables; never on the other documents or on the
claims files (a hand-written claim's precedence is applied after, in the check stage). The
cache key holds exactly those. An entry is JSON (never pickle: a cache is a file anyone could
hand the desk) with its checksum in a file written last, like the extraction cache: an entry
that is incomplete, corrupt or edited is discarded and the document drafted again. A local
worker process writes the entries of the documents it drafted (``engines.Caching``); the
build's process writes the others (:func:`write_all`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

from analysis.claims.register import Claim, Figure
from analysis.documents.model import Document
from analysis.files import at_or, read_entry, remove_stale, unless_at, write_entry
from analysis.project import Project

T = TypeVar("T")

FOLDER = "draft"  # under data/.cache/


def draft_key(doc: Document, prints: dict[str, str]) -> str:
    """Its text and metadata, the layouts and lexicon, the reference tables and the code."""
    parts = (doc.sha256, doc.meta_sha256, prints["layouts"], prints["reference"], prints["code"])
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:32]


def _paths(cache_dir: Path, doc: Document, prints: dict[str, str]) -> tuple[Path, Path]:
    folder = cache_dir / FOLDER
    key = draft_key(doc, prints)
    return folder / f"{doc.doc_id}-{key}.json", folder / f"{doc.doc_id}-{key}.sha256"


FIGURE_FIELDS = tuple(f.name for f in dataclasses.fields(Figure))
_AS_THEY_ARE = frozenset({type(None), bool, int, str})


def plain(value: Any) -> Any:
    """``value`` as JSON, tagging what JSON has no type for (a date, a tuple); anything else
    it cannot say exactly raises TypeError (and the document is simply not cached)."""
    kind = type(value)
    if kind in _AS_THEY_ARE:  # the usual values first, by their exact type
        return value
    if kind is list:
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise TypeError("not a finite number")
        return value
    if isinstance(value, dt.datetime):
        raise TypeError("a time of day is not kept")
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, tuple):
        return {"__tuple__": [plain(v) for v in value]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if type(value) is dict and all(isinstance(k, str) and not k.startswith("__") for k in value):
        return {k: plain(v) for k, v in value.items()}
    raise TypeError(f"cannot keep a {type(value).__name__}")


def typed(value: dict[str, Any]) -> Any:
    """A JSON object back as :func:`plain` tagged it (the decoder's hook: called for each
    object, innermost first, so a tuple's items are typed already)."""
    if "__date__" in value:
        return dt.date.fromisoformat(value["__date__"])
    if "__tuple__" in value:
        return tuple(value["__tuple__"])
    return value


def claim_records(claims: list[Claim], text: str) -> list[Any]:
    """Claims of the document whose text is ``text`` as JSON values; TypeError if one holds a
    value JSON cannot give back exactly (:func:`plain`: a check read from a YAML file, whose
    lines it would lose, among them). A quote that is the text at its offsets (every drafted
    one, but the entry gives back exactly what drafting returned either way) is not stored
    again: a restatement's quote can run to paragraphs, and quotes were nine tenths of the
    cache (56 MB at 1,000 articles)."""
    records = []
    for claim in claims:
        record = {f.name: getattr(claim, f.name) for f in dataclasses.fields(Claim)}
        record["path"] = str(claim.path)
        record["figures"] = {
            n: {k: getattr(f, k) for k in FIGURE_FIELDS} for n, f in claim.figures.items()
        }  # a figure's fields are plain values: dataclasses.asdict's deep copy is not needed
        record["quote"] = unless_at(text, claim.quote, claim.quote_start, claim.quote_end)
        records.append(plain(record))
    return records


def claims_from(records: list[Any], text: str) -> list[Claim]:
    """The claims :func:`claim_records` gave, of the document whose text is ``text`` (the
    records as :func:`json.loads` reads them with the hook :func:`typed`)."""
    claims = []
    paths: dict[str, Path] = {}  # a document's claims share their path: one Path made each
    for fields in records:
        where = fields["path"]
        fields["path"] = paths.get(where) or paths.setdefault(where, Path(where))
        fields["figures"] = {n: Figure(**f) for n, f in fields["figures"].items()}
        fields["quote"] = at_or(text, fields["quote"], fields["quote_start"], fields["quote_end"])
        claims.append(Claim(**fields))
    return claims


def encode(claims: list[Claim], text: str) -> bytes:
    """Drafted claims of the document whose text is ``text``, as JSON
    (:func:`claim_records`)."""
    records = claim_records(claims, text)
    return json.dumps(records, ensure_ascii=False).encode("utf-8")  # keys in their order


def decode(raw: bytes, text: str) -> list[Claim]:
    """The claims :func:`encode` wrote for the document whose text is ``text``."""
    return claims_from(json.loads(raw, object_hook=typed), text)


def read(
    project: Project, doc: Document, prints: dict[str, str], discarded: list[str]
) -> list[Claim] | None:
    """The document's cached drafted claims, or None: no entry, or a damaged one (then said in
    ``discarded``, as the extraction cache says its own)."""
    return read_decoded(_paths(project.cache_dir, doc, prints), doc, decode, discarded)


def read_decoded(
    where: tuple[Path, Path],
    doc: Document,
    decoder: Callable[[bytes, str], T],
    discarded: list[str],
) -> T | None:
    """The JSON entry at ``where`` (its data and checksum files) of ``doc``, decoded by
    ``decoder`` with its text; None when there is none or it is damaged (then said in
    ``discarded``)."""
    data_path, sums_path = where
    try:
        parts = read_entry(sums_path, [data_path])
        return None if parts is None else decoder(parts[0], doc.text)
    except (OSError, ValueError, TypeError, KeyError) as err:
        discarded.append(f"{doc.doc_id} ({err.__class__.__name__}: {err})")
        return None


def write(cache_dir: Path, doc: Document, prints: dict[str, str], claims: list[Claim]) -> bool:
    """Cache ``claims`` for ``doc`` under ``cache_dir`` (its older entries stay until
    :func:`write_all` or :func:`~analysis.files.remove_stale`); False when they hold a value
    JSON cannot give back exactly."""
    try:
        raw = encode(claims, doc.text)
    except TypeError:
        return False
    data_path, sums_path = _paths(cache_dir, doc, prints)
    write_entry(sums_path, [(data_path, raw)])
    return True


def write_all(
    project: Project,
    docs: list[Document],
    prints: dict[str, str],
    drafted: dict[str, list[Claim]],
    written: Collection[str] = (),
) -> None:
    """:func:`write` of each document's drafted claims but those whose entries are
    ``written`` already (by a worker, :class:`~analysis.build.engines.Caching`); then the
    older entries of them all are removed."""
    done = [
        d
        for d in docs
        if d.doc_id in written or write(project.cache_dir, d, prints, drafted[d.doc_id])
    ]
    remove_stale(_paths(project.cache_dir, d, prints)[1] for d in done)
