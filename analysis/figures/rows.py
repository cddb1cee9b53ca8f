"""A mentions frame as rows for code that walks figures one by one."""

from __future__ import annotations

from typing import Any

import polars as pl


def sorted_by_start(mentions: pl.DataFrame) -> pl.DataFrame:
    """``mentions`` by their start in the text, ties as they are: extraction writes them so,
    and the frame is then returned as it is, without a sort and its collect (about a
    millisecond each, several times a document)."""
    if mentions["start"].is_sorted():
        return mentions
    return mentions.sort("start", maintain_order=True)


def in_text_order(mentions: pl.DataFrame) -> list[dict[str, Any]]:
    """The figures of ``mentions`` as dicts, by their start in the text."""
    return sorted_by_start(mentions).to_dicts()
