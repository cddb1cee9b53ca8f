"""What the last published warehouse can give this build: the rows of the documents unchanged
since it was loaded (docs/architecture.md, "The warehouse carried forward").

A document's rows in the tables of :data:`~analysis.warehouse.catalog.PER_DOCUMENT` are a
function of its extraction's key (its text and metadata, the layouts and lexicon, the code)
and of its ``documents`` row: :func:`document_keys` digests both, each build records them in
its state (``loaded``), and :func:`plan` says which documents the next build may take from the
published file instead of loading them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.build import state
from analysis.documents.model import Document
from analysis.project import Project
from analysis.warehouse.load import document_record

# the share of the archive's text the unchanged documents must hold for the last warehouse to
# be copied: below it, deleting most of a copy costs more than loading into an empty file
CARRY_FROM = 0.5


@dataclass(frozen=True)
class Carried:
    """The published warehouse as the last build published it (its status: size, times,
    inode), the documents whose rows in it are those this build would load, and the digest
    of the suites it passed (:func:`analysis.validation.run.digest`; None when the last
    build recorded none) and how (``full``: Great Expectations too; ``sql``)."""

    previous: Path
    status: list[int]
    kept: frozenset[str]
    validated_with: str | None = None
    validated_by: str | None = None

    def still_there(self) -> bool:
        """Whether ``previous`` is still the file :func:`plan` found (checked after it is
        copied: a file changed meanwhile may have been copied half old, half new)."""
        try:
            return state.file_status(os.lstat(self.previous)) == self.status
        except OSError:
            return False


def document_keys(docs: Collection[Document], prints: dict[str, str], root: Path) -> dict[str, str]:
    """Each document's digest of what its rows are made from: its extraction's key and its
    ``documents`` row (but the text, which the row's SHA-256 stands for)."""
    out = {}
    for d in docs:
        record = {k: v for k, v in document_record(d, root).items() if k != "body"}
        made_of = state.extraction_key(d.sha256 + d.meta_sha256, prints) + json.dumps(
            record, sort_keys=True, default=str, ensure_ascii=False
        )
        out[d.doc_id] = hashlib.sha256(made_of.encode("utf-8")).hexdigest()[:32]
    return out


def plan(
    project: Project, docs: Collection[Document], keys: dict[str, str], prints: dict[str, str]
) -> Carried | None:
    """The documents whose rows this build may copy from the published warehouse, or None: the
    last build's state does not name this code, or no ``loaded`` keys; the warehouse is not,
    by its status or else its SHA-256, the file the last build published; or the documents
    unchanged hold less than :data:`CARRY_FROM` of the archive's text."""
    last = state.read_state(project)
    if not last or not isinstance(last.get("fingerprint"), dict):
        return None
    loaded = last.get("loaded")
    if last["fingerprint"].get("code") != prints["code"] or not isinstance(loaded, dict):
        return None
    kept = frozenset(d.doc_id for d in docs if loaded.get(d.doc_id) == keys[d.doc_id])
    if sum(d.size for d in docs if d.doc_id in kept) < CARRY_FROM * sum(d.size for d in docs):
        return None
    published = _published(project, last)
    if published is None or not kept:
        return None
    suites, how = last.get("suites"), last.get("validation")
    return Carried(
        project.warehouse_path,
        published,
        kept,
        suites if isinstance(suites, str) else None,
        how if isinstance(how, str) else None,
    )


def _published(project: Project, last: dict[str, Any]) -> list[int] | None:
    """The published warehouse's status when it is the file the last build published (a
    regular file, not a link), else None."""
    path = project.warehouse_path
    outputs = last.get("outputs")
    record = (
        outputs.get(path.relative_to(project.root).as_posix())
        if isinstance(outputs, dict)
        else None
    )
    if not isinstance(record, dict) or not isinstance(record.get("sha256"), str):
        return None
    try:
        info = os.lstat(path)
        settled = project.state_path.stat().st_mtime_ns
        if not stat.S_ISREG(info.st_mode):
            return None
        if state.file_record(path, info, record, settled)["sha256"] != record["sha256"]:
            return None
    except OSError:
        return None
    return state.file_status(info)
