"""Figures deliberately not checked: ``data/dismissals/<document>.yaml``.

Each names a figure by its text (with a snippet of context, or ``all: true``) and a reason from
:data:`~analysis.vocab.DISMISSAL_REASONS`, so that every figure of a document is accounted for:
checked (linked to a claim), dismissed, or unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.errors import BadInput
from analysis.vocab import DISMISSAL_REASONS, mention_id
from analysis.yamlfile import document_entries, entry_line, line_of, text_fields

DISMISSAL_FIELDS = {"text", "context", "all", "reason", "note"}
TEXT_DISMISSAL_FIELDS = ("text", "context", "reason", "note")


@dataclass(frozen=True)
class Dismissal:
    mention_id: str
    reason: str
    note: str | None


def load_dismissals(path: Path, doc_id: str, text: str, mentions: pl.DataFrame) -> list[Dismissal]:
    spans = {
        (r["start"], r["end"]): r
        for r in mentions.select("start", "end", "text").iter_rows(named=True)
    }
    dismissals: dict[str, Dismissal] = {}
    lines: dict[str, str | None] = {}  # the line each figure was dismissed on
    for entry in document_entries(path, "dismissed", doc_id):
        line = entry_line(path, entry, DISMISSAL_FIELDS, "dismissal")
        text_fields(path, entry, TEXT_DISMISSAL_FIELDS, "dismissal")
        if entry.get("all") is not None and not isinstance(entry["all"], bool):
            raise BadInput(
                path,
                f"dismissal: all: expected true or false, got {entry['all']!r}",
                line_of(entry, "all"),
            )
        surface = str(entry.get("text") or "")
        reason = entry.get("reason")
        if reason not in DISMISSAL_REASONS:
            raise BadInput(
                path,
                f"dismissal of {surface!r}: reason {reason!r} is not one of "
                f"{', '.join(DISMISSAL_REASONS)}",
                place=line,
            )
        matches = [(s, e) for (s, e), r in spans.items() if r["text"] == surface]
        if entry.get("context"):
            context = str(entry["context"])
            at = text.find(context)
            if at < 0 or text.find(context, at + 1) >= 0:
                raise BadInput(
                    path,
                    f"dismissal of {surface!r}: context {context!r} must occur "
                    "exactly once in the document",
                    place=line,
                )
            matches = [(s, e) for s, e in matches if at <= s and e <= at + len(context)]
        elif not entry.get("all") and len(matches) > 1:
            raise BadInput(
                path,
                f"dismissal of {surface!r}: it occurs {len(matches)} times; "
                "add a context or all: true",
                place=line,
            )
        if not matches:
            raise BadInput(
                path, f"dismissal of {surface!r}: no extracted figure matches", place=line
            )
        for s, e in matches:
            key = mention_id(doc_id, s, e)
            if key in dismissals:  # the later entry replaced the earlier without a word
                raise BadInput(
                    path,
                    f"dismissal of {surface!r}: that figure is dismissed already (line "
                    f"{lines[key]})",
                    place=line,
                )
            note = None if entry.get("note") is None else str(entry["note"])
            dismissals[key] = Dismissal(key, str(reason), note)
            lines[key] = line
    return list(dismissals.values())
