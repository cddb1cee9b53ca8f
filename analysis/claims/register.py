"""The claims register: ``data/claims/<document>.yaml``, one entry per checkable statement.

A claim quotes its document verbatim and names the figures inside the quote by their surface
text; the build links each name to the extracted mention at that place, so a claims file never
types a stated number. A claim whose figures are not extracted figures of its quote, or whose
quote is not in the document, stops the build with the file and line. See docs/claims.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analysis.documents.sections import Section
from analysis.errors import BadInput
from analysis.vocab import (
    ARTICLE_VOICE,
    COMMENT_VOICE,
    HAND,
    SAFE_NAME,
    comment_speaker,
    mention_id,
)
from analysis.yamlfile import (
    LineDict,
    as_count,
    day_of,
    document_entries,
    entry_line,
    finite_numbers,
    line_of,
    text_fields,
)

CLAIM_FIELDS = {
    "id",
    "quote",
    "occurrence",
    "speaker",
    "subject",
    "measure",
    "as_of",
    "figures",
    "checks",
    "note",
    "chart",
}
REQUIRED_CLAIM_FIELDS = ("id", "quote", "subject", "measure", "checks")
TEXT_CLAIM_FIELDS = ("id", "quote", "speaker", "subject", "measure", "note", "chart")
# Recipes that compare a figure with another figure of the same document (``other``).
COMPARING_RECIPES = ("same_as", "restatement")


@dataclass(frozen=True)
class Figure:
    name: str
    mention_id: str
    text: str
    value: float | None
    kind: str
    unit: str | None
    approx: str | None
    iso: str | None
    start: int
    end: int


def figure_of(doc_id: str, name: str, row: dict[str, Any]) -> Figure:
    """A claim's figure named ``name``, from a row of the mentions table."""
    return Figure(
        name=name,
        mention_id=mention_id(doc_id, row["start"], row["end"]),
        text=row["text"],
        value=row["value"],
        kind=row["kind"],
        unit=row["unit"],
        approx=row["approx"],
        iso=row["iso"],
        start=row["start"],
        end=row["end"],
    )


@dataclass
class Claim:
    claim_id: str
    doc_id: str
    path: Path
    line: int
    quote: str
    quote_start: int
    quote_end: int
    speaker: str
    subject: str
    measure: str
    as_of: dt.date | None
    figures: dict[str, Figure]
    checks: list[LineDict]
    note: str | None = None
    chart: str | None = None
    mention_ids: list[str] = field(default_factory=list)
    origin: str = HAND  # vocab.CLAIM_ORIGINS
    confidence: float | None = None  # a drafted claim's: how sure the match is (0-1)


def _as_date(path: Path, line: str | None, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return day_of(value)
    text = str(value)
    try:
        if len(text) == 4:
            return dt.date(int(text), 12, 31)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(path, f"as_of {value!r} is not an ISO date or a year", place=line) from None


def _figure_spec(path: Path, line: str | None, name: str, spec: Any) -> tuple[str, int]:
    if isinstance(spec, str):
        return spec, 1
    if isinstance(spec, dict) and set(spec) <= {"text", "occurrence"} and "text" in spec:
        where = line_of(spec) or line
        text_fields(path, spec, ("text",), f"figures.{name}")
        occurrence = as_count(path, spec.get("occurrence", 1), f"figures.{name}.occurrence", where)
        return str(spec["text"]), occurrence
    raise BadInput(
        path, f"figures.{name}: expected the figure's text, or {{text, occurrence}}", place=line
    )


def _find_nth(haystack: str, needle: str, n: int) -> int:
    at = -1
    for _ in range(n):
        at = haystack.find(needle, at + 1)
        if at < 0:
            return -1
    return at


def _check_voice(path: Path, line: str | None, claim_id: str, given: str, voice: str) -> None:
    """A claim's speaker, when it names a voice of the document (the article, a reader
    comment), is the voice its quote is in: "reader comment 99" on a quote of comment 2 was
    stored as written (a person quoted may be named freely)."""
    if (given == ARTICLE_VOICE or given.startswith(COMMENT_VOICE)) and given != voice:
        raise BadInput(
            path,
            f"claim {claim_id!r}: speaker {given!r}, but its quote is in the {voice}'s text",
            place=line,
        )


def _voice_at(sections: list[Section], offset: int) -> str:
    """Who speaks at ``offset`` when no figure says: a reader comment, else the article."""
    for s in sections:
        if s.start <= offset < s.end and s.kind == "reader_comment":
            return comment_speaker(s.comment_no)
    return ARTICLE_VOICE


def load_claims(
    path: Path,
    doc_id: str,
    text: str,
    mentions: pl.DataFrame,
    default_as_of: dt.date | None,
    sections: list[Section] | None = None,
) -> list[Claim]:
    """Read and validate one claims file against its document's text and mentions."""
    entries = document_entries(path, "claims", doc_id)
    by_span = {(r["start"], r["end"]): r for r in mentions.iter_rows(named=True)}
    seen: dict[str, int] = {}
    claims: list[Claim] = []
    for entry in entries:
        line = entry_line(path, entry, CLAIM_FIELDS, "claim")
        text_fields(path, entry, ("id",), "claim")
        text_fields(path, entry, TEXT_CLAIM_FIELDS, f"claim {entry.get('id', '?')!r}")
        finite_numbers(path, entry, f"claim {entry.get('id', '?')!r}", line)
        for required in REQUIRED_CLAIM_FIELDS:
            if not entry.get(required):
                raise BadInput(
                    path, f"claim {entry.get('id', '?')!r}: missing {required!r}", place=line
                )
        claim_id = str(entry["id"])
        if not SAFE_NAME.fullmatch(claim_id):
            raise BadInput(
                path,
                f"claim id {claim_id[:60]!r}: letters, digits, '.', '_' and '-' only, starting "
                "with a letter or digit (it names the claim's report page)",
                place=line,
            )
        if claim_id in seen:
            raise BadInput(
                path,
                f"duplicate claim id {claim_id!r} (first on line {seen[claim_id]})",
                place=line,
            )
        seen[claim_id] = int(line or 0)
        quote = str(entry["quote"])
        occurrence = as_count(
            path, entry.get("occurrence", 1), "occurrence", line_of(entry, "occurrence")
        )
        q_start = _find_nth(text, quote, occurrence)
        if q_start < 0:
            raise BadInput(
                path,
                f"claim {claim_id!r}: quote not found in the document"
                + (f" (occurrence {occurrence})" if occurrence > 1 else "")
                + f": {quote[:70]!r}",
                place=line,
            )
        q_end = q_start + len(quote)
        figures: dict[str, Figure] = {}
        raw_figures = entry.get("figures") or {}
        if not isinstance(raw_figures, dict):
            raise BadInput(
                path, f"claim {claim_id!r}: figures must map names to figure texts", place=line
            )
        for name, spec in raw_figures.items():
            surface, nth = _figure_spec(path, line, name, spec)
            at = _find_nth(quote, surface, nth)
            if at < 0:
                raise BadInput(
                    path,
                    f"claim {claim_id!r}: figure {name} {surface!r} is not in its quote",
                    place=line,
                )
            span = (q_start + at, q_start + at + len(surface))
            row = by_span.get(span)
            if row is None:
                raise BadInput(
                    path,
                    f"claim {claim_id!r}: figure {name} {surface!r} is not an extracted figure "
                    "at that place (see `analysis extract`); the quote and the claim disagree",
                    place=line,
                )
            figures[str(name)] = Figure(
                name=str(name),
                mention_id=mention_id(doc_id, *span),
                text=surface,
                value=row["value"],
                kind=row["kind"],
                unit=row["unit"],
                approx=row["approx"],
                iso=row["iso"],
                start=span[0],
                end=span[1],
            )
        checks = entry["checks"]
        if not isinstance(checks, list) or not all(isinstance(c, dict) for c in checks):
            raise BadInput(
                path, f"claim {claim_id!r}: checks must be a list of mappings", place=line
            )
        first_speaker = next((by_span[(f.start, f.end)]["speaker"] for f in figures.values()), None)
        given = entry.get("speaker")
        if sections and given is not None:
            _check_voice(path, line, claim_id, str(given), _voice_at(sections, q_start))
        claims.append(
            Claim(
                claim_id=claim_id,
                doc_id=doc_id,
                path=path,
                line=int(line or 0),
                quote=quote,
                quote_start=q_start,
                quote_end=q_end,
                speaker=str(
                    entry.get("speaker") or first_speaker or _voice_at(sections or [], q_start)
                ),
                subject=str(entry["subject"]),
                measure=str(entry["measure"]),
                as_of=_as_date(path, line, entry.get("as_of")) or default_as_of,
                figures=figures,
                checks=checks,
                note=None if entry.get("note") is None else str(entry["note"]),
                chart=None if entry.get("chart") is None else str(entry["chart"]),
                mention_ids=[f.mention_id for f in figures.values()],
            )
        )
    check_comparisons(path, claims)
    return claims


def check_comparisons(path: Path, claims: list[Claim]) -> None:
    """Refuse a figure compared with itself (``same_as`` or ``restatement`` whose ``other`` is
    the ``stated`` figure, by name or by place in the text), and ``same_as`` checks that go
    round in a circle (a same as b, b same as a): each is true by construction and would count
    as evidence. Figures that do not resolve are left to the recipe to report."""
    by_id = {c.claim_id: c for c in claims}

    def mention(claim: Claim, ref: Any) -> str | None:
        if not isinstance(ref, str):
            return None
        owner, name = ref.split(".", 1) if "." in ref else (claim.claim_id, ref)
        fig = by_id[owner].figures.get(name) if owner in by_id else None
        return fig.mention_id if fig else None

    edges: dict[str, list[tuple[str, Claim, str | None]]] = {}
    for claim in claims:
        for check in claim.checks:
            recipe = check.get("recipe")
            if recipe not in COMPARING_RECIPES:
                continue
            line = line_of(check, "other") or line_of(check) or str(claim.line)
            a, b = mention(claim, check.get("stated")), mention(claim, check.get("other"))
            if a is None or b is None:
                continue
            if a == b:
                raise BadInput(
                    path,
                    f"claim {claim.claim_id!r}: {recipe} compares the figure "
                    f"{check.get('stated')!r} with itself ({check.get('other')!r} is the same "
                    "figure of the text)",
                    line,
                )
            if recipe == "same_as":
                edges.setdefault(a, []).append((b, claim, line))
    _refuse_circles(path, edges)


def _refuse_circles(path: Path, edges: dict[str, list[tuple[str, Claim, str | None]]]) -> None:
    """Depth-first search for a circle among same_as comparisons (iterative: a long chain of
    claims cannot exhaust the stack)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if state.get(start):
            continue
        state[start] = 1
        stack = [(start, iter(edges.get(start, ())))]
        while stack:
            node, todo = stack[-1]
            step = next(todo, None)
            if step is None:
                state[node] = 2
                stack.pop()
                continue
            target, claim, line = step
            if state.get(target) == 1:
                raise BadInput(
                    path,
                    f"claim {claim.claim_id!r}: this same_as closes a circle of comparisons "
                    "(a figure compared, through same_as checks, back with itself); keep one "
                    "direction",
                    line,
                )
            if not state.get(target):
                state[target] = 1
                stack.append((target, iter(edges.get(target, ()))))
