"""Figures of one document: segmentation, extraction and the extract command's record format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.documents import Document
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


def extract_file(path: Path, layouts_dir: Path, layout_name: str = "default") -> pl.DataFrame:
    """Figures of any UTF-8 text file, segmented with a generic (or named) layout."""
    text = read_text(path)
    sections = segment(text, load_layout(layouts_dir, layout_name), title=None, author=None)
    return extract_mentions(text, sections).select(RECORD_FIELDS)
