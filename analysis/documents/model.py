"""A source document: its text, where it came from, and the dates it is judged as of."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


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
    layout: str | None  # named explicitly by the metadata (else derived from the outlet)
    url: str | None
    date_published: dt.date | None
    published_after: dt.date | None
    published_before: dt.date | None
    as_of: dt.date | None
    date_note: str | None
    dollar: str = "USD"  # the currency a plain "$" stands for (docs/figure-rules.md)
    title_given: bool = True  # False: no metadata title, so the title shown is the first line
    meta_sha256: str = ""  # its metadata's digest: the metadata file's, or a corpus record's fields
    place: str | None = None  # the line or row of a corpus file the record came from

    @cached_property
    def size(self) -> int:
        """The text's length in bytes (UTF-8): what progress counts MB/s in."""
        return len(self.text.encode("utf-8"))

    @property
    def headline(self) -> str | None:
        """The title to find the headline by (docs/figure-rules.md, "Sections"): the
        metadata's; without one the segmenter looks for the headline itself."""
        return self.title if self.title_given else None

    def source(self, root: Path) -> str:
        """Where it was read: its file (relative to ``root`` when inside it) and, for a record
        of a corpus file, the line or row."""
        where = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        return where.as_posix() + (f":{self.place}" if self.place else "")

    @property
    def n_chars(self) -> int:
        return len(self.text)

    @property
    def layout_name(self) -> str:
        """The layout to segment it with: the one named, else one named after its outlet."""
        return self.layout or re.sub(r"[^a-z0-9]+", "_", self.outlet.lower()).strip("_")[:64]
