"""Drafting claims from the relations found in a document's text: each relation becomes a claim
with the check its declaration names, exactly as a journalist would write it in
``data/claims/`` (docs/claims.md), marked as machine-drafted arithmetic."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from analysis.claims.register import Claim, figure_of
from analysis.documents.sections import Section
from analysis.figures.lexicon import Lexicon
from analysis.reference.tables import ReferenceTable
from analysis.relations.detect import Found, find_relations, find_restatements
from analysis.relations.reference import draft_reference
from analysis.relations.rules import load_relations, load_restatement
from analysis.vocab import ARITHMETIC, drafted_claim_id
from analysis.yamlfile import plain


def _check(found: Found) -> dict[str, Any]:
    """The declared check, with the figure names of this match (a repeated role's list)."""
    spec: dict[str, Any] = {}
    for key, value in found.relation.check.items():
        if isinstance(value, dict) and "figures" in value:
            role = value["figures"]
            names = sorted(
                (n for n in found.figures if n.rsplit("_", 1)[0] == role),
                key=lambda n: int(n.rsplit("_", 1)[1]),
            )
            spec[key] = [{"figure": n} for n in names]
        else:
            spec[key] = value
    if found.direction:
        spec["direction"] = found.direction
    duration = found.figures.get("duration")
    if (
        found.relation.name == "span"
        and duration is not None
        and duration["unit"] == "day"
        and _LENGTH_OF.search(duration["text"])
    ):
        # "the 10-day event, July 9-18": an event's length counts both days; "blocked the
        # canal for six days, from March 23 to March 29" may count the days between, and the
        # recipe judges by either reading (docs/relations.md)
        spec["inclusive"] = True
    return spec


_LENGTH_OF = re.compile(r"-days?\b", re.IGNORECASE)  # "10-day", "four-day": a compound adjective


def draft_arithmetic(
    doc_id: str,
    path: Path,
    text: str,
    mentions: pl.DataFrame,
    as_of: dt.date | None,
    lex: Lexicon,
) -> list[Claim]:
    """A drafted claim for every relation between figures found in ``text``, and for every
    quantity it states twice."""
    claims = draft_restatements(doc_id, path, text, mentions, as_of)
    taken = {c.claim_id for c in claims}
    for found in find_relations(text, mentions, load_relations(lex)):
        figures = {n: figure_of(doc_id, n, row) for n, row in found.figures.items()}
        first = min(found.figures.values(), key=lambda r: r["start"])
        claim_id = drafted_claim_id(doc_id, ARITHMETIC, found.relation.name, first["start"])
        if claim_id in taken:  # a second statement of the relation from the same figure
            starts = sorted(f["start"] for f in found.figures.values())
            claim_id = drafted_claim_id(doc_id, ARITHMETIC, found.relation.name, *starts)
            if claim_id in taken:
                continue  # the same relation among the same figures: the same claim
        taken.add(claim_id)
        sentence_end = found.sentence_start + len(found.sentence)
        claims.append(
            Claim(
                claim_id=claim_id,
                doc_id=doc_id,
                path=path,
                line=0,
                quote=found.sentence,
                quote_start=found.sentence_start,
                quote_end=sentence_end,
                speaker=first["speaker"],
                subject=found.sentence if len(found.sentence) <= 90 else found.sentence[:89] + "…",
                measure=found.relation.description,
                as_of=as_of,
                figures=figures,
                checks=[_check(found)],
                mention_ids=[f.mention_id for f in figures.values()],
                origin=ARITHMETIC,
                confidence=found.relation.confidence,
            )
        )
    return sorted(claims, key=lambda c: c.quote_start)


def draft_restatements(
    doc_id: str, path: Path, text: str, mentions: pl.DataFrame, as_of: dt.date | None
) -> list[Claim]:
    """A drafted claim for every pair of figures stating one quantity (docs/relations.md)."""
    rule = load_restatement()
    claims = []
    for a, b in find_restatements(text, mentions, rule):
        figures = {"first": figure_of(doc_id, "first", a), "second": figure_of(doc_id, "second", b)}
        # the quote is the document's text from the first statement to the second (what a
        # claim's offsets must hold); reports shorten a long one in its middle
        quote = text[a["sentence_start"] : b["sentence_start"] + len(b["sentence"])]
        claims.append(
            Claim(
                claim_id=drafted_claim_id(
                    doc_id, ARITHMETIC, "restatement", a["start"], b["start"]
                ),
                doc_id=doc_id,
                path=path,
                line=0,
                quote=quote,
                quote_start=a["sentence_start"],
                quote_end=b["sentence_start"] + len(b["sentence"]),
                speaker=a["speaker"],
                subject=f"{a['text']} and {b['text']}",
                measure=rule.description,
                as_of=as_of,
                figures=figures,
                checks=[dict(rule.check)],
                mention_ids=[f.mention_id for f in figures.values()],
                origin=ARITHMETIC,
                confidence=rule.confidence,
            )
        )
    return claims


def drafted_beside(written: list[Claim], drafted: list[Claim]) -> list[Claim]:
    """The drafted claims a journalist has not already written: a hand-written claim that uses
    any of a drafted claim's figures wins (docs/relations.md)."""
    taken = {m for c in written for m in c.mention_ids}
    return [c for c in drafted if not taken & set(c.mention_ids)]


def draft_all(
    doc_id: str,
    path: Path,
    text: str,
    sections: list[Section],
    mentions: pl.DataFrame,
    as_of: dt.date | None,
    lex: Lexicon,
    references: dict[str, ReferenceTable],
) -> list[Claim]:
    """Every claim the machine drafts for one document: the relations between its figures and
    the figures its reference tables describe (docs/relations.md)."""
    drafted = draft_arithmetic(doc_id, path, text, mentions, as_of, lex)
    drafted += draft_reference(doc_id, path, text, sections, mentions, as_of, references)
    # checks built from rules files keep no lines of those files: plain data, cached as such
    drafted = [replace(c, checks=[plain(check) for check in c.checks]) for c in drafted]
    return sorted(drafted, key=lambda c: (c.quote_start, c.claim_id))
