"""The per-document cache of checked claims (``data/.cache/check/``, docs/architecture.md).

What the check stage makes of one document before claims are matched across documents: its
claims (drafted, none dismissed), the result of every check of them and the name variants
its text uses. They depend on its text and metadata, its figures (the layouts and lexicon),
the reference tables, the tolerance rules and the code, never on another document (a check
reads its own claim's figures, another claim of the same document's and reference rows); the
key holds exactly those. A document the desk wrote claims or dismissals for is not cached:
its claims keep the lines of their YAML files. Entries are JSON with their checksum written
last, as the drafts' are (:mod:`analysis.build.drafts_cache`, whose encoding of claims this
module shares).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from analysis.build.drafts_cache import (
    claim_records,
    claims_from,
    plain,
    read_decoded,
    typed,
)
from analysis.checks.model import CheckResult, DocumentChecks
from analysis.checks.stage import desk_files
from analysis.claims.names import NameVariant
from analysis.documents.model import Document
from analysis.files import remove_stale, write_entry
from analysis.project import Project
from analysis.vocab import check_id

RESULT_FIELDS = tuple(f.name for f in dataclasses.fields(CheckResult))
VARIANT_FIELDS = tuple(f.name for f in dataclasses.fields(NameVariant))

FOLDER = "check"  # under data/.cache/


def check_key(doc: Document, prints: dict[str, str]) -> str:
    """Its text and metadata, the layouts and lexicon, the reference tables, the tolerance
    rules and the code."""
    parts = (
        doc.sha256,
        doc.meta_sha256,
        prints["layouts"],
        prints["reference"],
        prints["methodology"],
        prints["code"],
    )
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:32]


def cacheable(project: Project, doc: Document) -> bool:
    """No claims file and no dismissals file of the desk's for ``doc``."""
    return not desk_files(project, doc.doc_id)


def _paths(cache_dir: Path, doc: Document, prints: dict[str, str]) -> tuple[Path, Path]:
    folder = cache_dir / FOLDER
    key = check_key(doc, prints)
    return folder / f"{doc.doc_id}-{key}.json", folder / f"{doc.doc_id}-{key}.sha256"


def encode(entry: DocumentChecks, text: str) -> bytes:
    """``entry`` of the document whose text is ``text``, as JSON; TypeError if it holds a value
    JSON cannot give back exactly (:func:`~analysis.build.drafts_cache.plain`)."""
    body = {
        "claims": claim_records(entry.claims, text),
        # fields read one level down: dataclasses.asdict deep-copies every list, half the time
        "results": [plain({f: getattr(r, f) for f in RESULT_FIELDS}) for r in entry.results],
        "variants": [plain([getattr(v, f) for f in VARIANT_FIELDS]) for v in entry.variants],
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def decode(raw: bytes, text: str) -> DocumentChecks:
    """What :func:`encode` wrote for the document whose text is ``text``."""
    body = json.loads(raw, object_hook=typed)
    claims = claims_from(body["claims"], text)
    results = [CheckResult(**r) for r in body["results"]]
    return DocumentChecks(claims, results, [NameVariant(*v) for v in body["variants"]])


def _of(doc_id: str, part: DocumentChecks) -> DocumentChecks:
    """``part`` if it is the document's own and each result is of its claims' checks, in
    their order (what the check stage takes it as); else ValueError."""
    if any(c.doc_id != doc_id for c in part.claims):
        raise ValueError("its claims are another document's")
    expected = [
        (c.claim_id, check_id(c.claim_id, i))
        for c in part.claims
        for i in range(1, len(c.checks) + 1)
    ]
    if [(r.claim_id, r.check_id) for r in part.results] != expected:
        raise ValueError("its results are not its claims' checks, in their order")
    return part


def read(
    project: Project, doc: Document, prints: dict[str, str], discarded: list[str]
) -> DocumentChecks | None:
    """The document's cached checks, or None: not cacheable, no entry, or a damaged one (then
    said in ``discarded``)."""
    if not cacheable(project, doc):
        return None
    where = _paths(project.cache_dir, doc, prints)
    return read_decoded(where, doc, lambda raw, text: _of(doc.doc_id, decode(raw, text)), discarded)


def write_all(
    project: Project,
    docs: list[Document],
    prints: dict[str, str],
    checked: dict[str, DocumentChecks],
) -> None:
    """Cache each of ``docs``' checks (those that are cacheable and hold only what JSON gives
    back exactly), then remove the older entries of the documents written."""
    written = []
    for doc in docs:
        if not cacheable(project, doc):
            continue
        try:
            raw = encode(checked[doc.doc_id], doc.text)
        except TypeError:
            continue
        data_path, sums_path = _paths(project.cache_dir, doc, prints)
        write_entry(sums_path, [(data_path, raw)])
        written.append(sums_path)
    remove_stale(written)
