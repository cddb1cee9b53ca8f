"""A mentions frame as rows for code that walks figures one by one."""

from __future__ import annotations

from typing import Any

import polars as pl


def in_text_order(mentions: pl.DataFrame) -> list[dict[str, Any]]:
    """The figures of ``mentions`` as dicts, by their start in the text (extraction writes them
    so: the frame is then converted as it is, without a sort and its collect, about a
    millisecond each, several times a document)."""
    if not mentions["start"].is_sorted():
        mentions = mentions.sort("start", maintain_order=True)
    return mentions.to_dicts()
