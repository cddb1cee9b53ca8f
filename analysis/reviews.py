"""The editorial layer: reviews of machine verdicts, dismissed figures, and figure coverage.

- ``data/reviews/<document>.yaml``: per claim, reviewer, date, status (pending, approved,
  disputed), a note, and optionally an editor's verdict overriding the machine's, with a
  required reason. Editors may use two verdicts the machine never gives: ``needs_context`` (a
  true figure that misleads as framed) and ``not_checkable`` (opinion, prediction, a secret
  ballot).
- ``data/dismissals/<document>.yaml``: figures deliberately not checked, each with a reason
  from :data:`DISMISSAL_REASONS`.
- Coverage: every figure is checked (linked to a claim), dismissed, or unchecked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.errors import BadInput
from analysis.yamlines import document_entries, entry_line

REVIEW_STATUSES = ("pending", "approved", "disputed")
MACHINE_VERDICTS = ("correct", "approximately_correct", "incorrect", "inconsistent", "unverifiable")
EDITOR_VERDICTS = (*MACHINE_VERDICTS, "needs_context", "not_checkable")
DISMISSAL_REASONS = {
    "timestamp": "page furniture such as a comment's relative timestamp",
    "not_a_claim": "a number that states nothing checkable (an idiom, a count in passing)",
    "prediction": "a forecast or a wish about the future",
    "background": "well-known background stated in passing, not a claim of the story",
    "no_public_source": "checkable in principle, but no public source was found",
}
REVIEW_FIELDS = {"claim", "reviewer", "date", "status", "note", "editor_verdict", "reason"}
DISMISSAL_FIELDS = {"text", "context", "all", "reason", "note"}


@dataclass(frozen=True)
class Review:
    claim_id: str
    reviewer: str
    date: dt.date
    status: str
    note: str | None
    editor_verdict: str | None
    reason: str | None
    path: Path
    line: int


@dataclass(frozen=True)
class Dismissal:
    mention_id: str
    reason: str
    note: str | None


def load_reviews(path: Path, doc_id: str, claim_ids: set[str]) -> list[Review]:
    reviews: list[Review] = []
    seen: set[str] = set()
    for entry in document_entries(path, "reviews", doc_id):
        line = entry_line(path, entry, REVIEW_FIELDS, "review")
        claim = str(entry.get("claim") or "")
        if claim not in claim_ids:
            raise BadInput(
                path,
                f"review of claim {claim!r}, which is not in this document's claims file",
                place=line,
            )
        if claim in seen:
            raise BadInput(path, f"claim {claim!r} is reviewed twice", place=line)
        seen.add(claim)
        for required in ("reviewer", "date", "status"):
            if not entry.get(required):
                raise BadInput(path, f"review of {claim!r}: missing {required!r}", place=line)
        status = str(entry["status"])
        if status not in REVIEW_STATUSES:
            raise BadInput(
                path,
                f"review of {claim!r}: status {status!r} is not one of "
                f"{', '.join(REVIEW_STATUSES)}",
                place=line,
            )
        verdict = entry.get("editor_verdict")
        if verdict is not None and verdict not in EDITOR_VERDICTS:
            raise BadInput(
                path,
                f"review of {claim!r}: editor_verdict {verdict!r} is not one of "
                f"{', '.join(EDITOR_VERDICTS)}",
                place=line,
            )
        reason = entry.get("reason")
        if verdict is not None and not (reason and str(reason).strip()):
            raise BadInput(
                path, f"review of {claim!r}: an editor's verdict needs a reason", place=line
            )
        date = entry["date"]
        if not isinstance(date, dt.date):
            try:
                date = dt.date.fromisoformat(str(date))
            except ValueError:
                raise BadInput(
                    path, f"review of {claim!r}: date {date!r} is not an ISO date", place=line
                ) from None
        reviews.append(
            Review(
                claim,
                str(entry["reviewer"]),
                date,
                status,
                entry.get("note"),
                verdict,
                str(reason).strip() if reason else None,
                path,
                int(line or 0),
            )
        )
    return reviews


def load_dismissals(path: Path, doc_id: str, text: str, mentions: pl.DataFrame) -> list[Dismissal]:
    spans = {
        (r["start"], r["end"]): r
        for r in mentions.select("start", "end", "text").iter_rows(named=True)
    }
    dismissals: dict[str, Dismissal] = {}
    for entry in document_entries(path, "dismissed", doc_id):
        line = entry_line(path, entry, DISMISSAL_FIELDS, "dismissal")
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
            mention_id = f"{doc_id}:{s}-{e}"
            dismissals[mention_id] = Dismissal(mention_id, str(reason), entry.get("note"))
    return list(dismissals.values())
