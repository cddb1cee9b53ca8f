"""Source documents: the texts in ``seeds/`` and the metadata file beside each one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import BadInput
from analysis.textfile import decode_utf8, read_bytes, sha256_hex
from analysis.yamlines import load_with_lines

META_SUFFIX = ".meta.yaml"
REQUIRED_META = ("title", "outlet", "author", "language", "sha256")
OPTIONAL_META = (
    "url",
    "layout",
    "date_published",
    "published_after",
    "published_before",
    "as_of",
    "date_note",
    "description",
)


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: Path
    text: str
    sha256: str
    title: str
    outlet: str
    author: str
    language: str
    layout: str
    url: str | None
    date_published: dt.date | None
    published_after: dt.date | None
    published_before: dt.date | None
    as_of: dt.date | None
    date_note: str | None

    @property
    def n_chars(self) -> int:
        return len(self.text)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors become a one-line error with the line number."""
    return load_with_lines(path)


def _as_date(path: Path, key: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(path, f"{key}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def read_document(text_path: Path) -> Document:
    """Read one seed and its metadata, verifying the checksum the metadata records."""
    meta_path = text_path.with_name(text_path.stem + META_SUFFIX)
    if not meta_path.exists():
        raise BadInput(
            text_path,
            f"has no metadata file; create {meta_path.name} beside it "
            f"(fields: {', '.join(REQUIRED_META)})",
        )
    meta = load_yaml(meta_path)
    if not isinstance(meta, dict):
        raise BadInput(meta_path, "expected a mapping of metadata fields")
    unknown = sorted(set(meta) - set(REQUIRED_META) - set(OPTIONAL_META))
    if unknown:
        raise BadInput(
            meta_path,
            f"unknown field {unknown[0]!r}; allowed: {', '.join(REQUIRED_META + OPTIONAL_META)}",
        )
    missing = [k for k in REQUIRED_META if not meta.get(k)]
    if missing:
        raise BadInput(meta_path, f"missing field {missing[0]!r}")
    raw = read_bytes(text_path)
    digest = sha256_hex(raw)
    if digest != str(meta["sha256"]).lower():
        raise BadInput(
            text_path,
            f"SHA-256 is {digest} but {meta_path.name} records {meta['sha256']}; "
            "if the text was changed on purpose, update sha256 in the metadata",
        )
    text = decode_utf8(text_path, raw)
    published = _as_date(meta_path, "date_published", meta.get("date_published"))
    after = _as_date(meta_path, "published_after", meta.get("published_after"))
    before = _as_date(meta_path, "published_before", meta.get("published_before"))
    as_of = _as_date(meta_path, "as_of", meta.get("as_of")) or published or before
    return Document(
        doc_id=text_path.stem,
        path=text_path,
        text=text,
        sha256=digest,
        title=str(meta["title"]),
        outlet=str(meta["outlet"]),
        author=str(meta["author"]),
        language=str(meta["language"]),
        layout=str(meta.get("layout") or meta["outlet"]).lower().replace(" ", "_"),
        url=meta.get("url"),
        date_published=published,
        published_after=after,
        published_before=before,
        as_of=as_of,
        date_note=meta.get("date_note"),
    )


def discover_seed_texts(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        raise BadInput(seeds_dir, "seeds folder not found")
    return sorted(p for p in seeds_dir.glob("*.txt") if p.is_file())


def read_documents(seeds_dir: Path) -> list[Document]:
    """Every ``*.txt`` in ``seeds_dir`` with its metadata, in file-name order."""
    return [read_document(path) for path in discover_seed_texts(seeds_dir)]
