"""Figures of one document: segmentation, extraction and the extract command's record format."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from analysis.documents import META_SUFFIX, Document, read_document
from analysis.figures import extract_mentions
from analysis.sections import Section, load_layout, segment
from analysis.textfile import read_text

# Fields of `analysis extract --format json`, in order.
RECORD_FIELDS = (
    "start",
    "end",
    "text",
    "value",
    "kind",
    "unit",
    "approx",
    "iso",
    "sentence",
    "section",
    "comment_no",
    "speaker",
)


@dataclass(frozen=True)
class ExtractedDocument:
    sections: list[Section]
    mentions: pl.DataFrame


def extract_document(doc: Document, layouts_dir: Path) -> ExtractedDocument:
    layout = load_layout(layouts_dir, doc.layout)
    sections = segment(doc.text, layout, doc.title, doc.author)
    return ExtractedDocument(sections, extract_mentions(doc.text, sections))


def extract_file(path: Path, layouts_dir: Path, layout_name: str | None = None) -> pl.DataFrame:
    """Figures of any UTF-8 text file.

    A file with a metadata file beside it (a seed) is segmented with its title, author and
    outlet layout; any other file with the named layout, else the generic one.
    """
    if path.with_name(path.stem + META_SUFFIX).exists():
        doc = read_document(path)
        if layout_name:
            doc = replace(doc, layout=layout_name)
        return extract_document(doc, layouts_dir).mentions.select(RECORD_FIELDS)
    text = read_text(path)
    layout = load_layout(layouts_dir, layout_name or "default")
    sections = segment(text, layout, title=None, author=None)
    return extract_mentions(text, sections).select(RECORD_FIELDS)
