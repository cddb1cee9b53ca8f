"""Editorial reviews of machine verdicts: ``data/reviews/<document>.yaml``.

Per claim: reviewer, date, status (:data:`~analysis.vocab.REVIEW_STATUSES`), a note, and
optionally an editor's verdict overriding the machine's, with a required reason. Editors may use
two verdicts the machine never gives: ``needs_context`` (a true figure that misleads as framed)
and ``not_checkable`` (opinion, prediction, a secret ballot).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import BadInput
from analysis.vocab import EDITOR_VERDICTS, REVIEW_STATUSES
from analysis.yamlfile import day_of, document_entries, entry_line, text_fields

REVIEW_FIELDS = {"claim", "reviewer", "date", "status", "note", "editor_verdict", "reason"}
TEXT_REVIEW_FIELDS = ("claim", "reviewer", "status", "note", "editor_verdict", "reason")


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


def load_reviews(path: Path, doc_id: str, claim_ids: set[str]) -> list[Review]:
    reviews: list[Review] = []
    seen: set[str] = set()
    for entry in document_entries(path, "reviews", doc_id):
        line = entry_line(path, entry, REVIEW_FIELDS, "review")
        text_fields(path, entry, TEXT_REVIEW_FIELDS, "review")
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
        if isinstance(date, dt.date):  # "2026-11-29 10:00" too: the day it was reviewed
            date = day_of(date)
        else:
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
                None if entry.get("note") is None else str(entry["note"]),
                verdict,
                str(reason).strip() if reason else None,
                path,
                int(line or 0),
            )
        )
    return reviews
