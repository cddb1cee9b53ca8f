"""Claim matching across documents (docs/relations.md, "Claims that come back"): a sentence
that restates a statement already checked in another document (the same sentence lightly
edited, with the same figures) is linked to that fact-check and shows its verdict, as the
established fact-checkers do for claims that keep coming back.

A restating sentence that has no claim of its own gets one, drafted with origin ``match`` and
the recipe ``matches``; a claim that already exists is linked in ``claim_matches``.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import polars as pl

from analysis.claims.register import Claim, figure_of
from analysis.vocab import MATCH, drafted_claim_id, mention_id

MIN_SIMILARITY = 0.8  # difflib ratio between two sentences, case, accents and spacing aside
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Checked:
    """A statement already checked: where, what it says, and its final verdict."""

    claim_id: str
    doc_id: str
    quote: str
    values: tuple[float, ...]  # its stated figures' values
    verdict: str  # final: the editor's where given
    explanation: str
    machine_verdict: str = ""  # the checks' (equal to verdict unless an editor overrode it)


@dataclass(frozen=True)
class Match:
    claim_id: str  # the restating claim
    matched_claim_id: str  # the claim checked in another document
    matched_doc_id: str
    similarity: float
    verdict: str  # the matched claim's final verdict
    explanation: str


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _SPACE.sub(" ", plain.replace("’", "'").replace("“", '"').replace("”", '"')).strip()


@functools.lru_cache(maxsize=65536)
def _prepared(text: str) -> tuple[str, frozenset[str]]:
    """A sentence normalized, and its words (computed once per sentence, not per pair)."""
    plain = normalize(text)
    return plain, frozenset(_WORD.findall(plain))


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How alike two sentences read (0-1); words must overlap by half before it is computed.
    With ``floor``, a pair that cannot reach it returns 0 without the full comparison (the
    score of any pair that can is the same)."""
    (na, wa), (nb, wb) = _prepared(a), _prepared(b)
    if not wa or not wb or len(wa & wb) < 0.5 * min(len(wa), len(wb)):
        return 0.0
    matcher = difflib.SequenceMatcher(None, na, nb, autojunk=False)
    if floor and (matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor):
        return 0.0  # upper bounds of ratio() below the floor
    return matcher.ratio()


def restating(
    doc_id: str, mentions: pl.DataFrame, checked: list[Checked]
) -> list[tuple[dict[str, Any], list[dict[str, Any]], Checked, float]]:
    """(sentence, its figures, the checked statement, similarity) for every sentence of this
    document that restates a statement checked in another document with the same figures."""
    if mentions.is_empty() or not checked:
        return []
    rows = mentions.filter(pl.col("sentence_start").is_not_null()).sort("start").to_dicts()
    by_sentence: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_sentence.setdefault(r["sentence_start"], []).append(r)
    found = []
    # the statements checked elsewhere, by one of their values: a sentence is compared only
    # with those whose every value it holds
    by_value: dict[float, list[tuple[int, Checked]]] = {}
    for order, c in enumerate(x for x in checked if x.doc_id != doc_id and x.values):
        by_value.setdefault(min(c.values), []).append((order, c))
    for figs in by_sentence.values():
        sentence = figs[0]["sentence"]
        values = {float(f["value"]) for f in figs if f["value"] is not None}
        candidates = sorted(
            (pair for v in values for pair in by_value.get(v, ())), key=lambda p: p[0]
        )
        best: tuple[float, Checked] | None = None
        for _, c in candidates:
            if not set(c.values) <= values:
                continue
            score = similarity(sentence, c.quote, MIN_SIMILARITY)
            if score >= MIN_SIMILARITY and (best is None or score > best[0]):
                best = (score, c)
        if best is not None:
            used = [
                f for f in figs if f["value"] is not None and float(f["value"]) in best[1].values
            ]
            found.append((figs[0], used, best[1], round(best[0], 3)))
    return found


def match_claims(
    doc_id: str, path: Any, mentions: pl.DataFrame, checked: list[Checked], own: list[Claim]
) -> tuple[list[Claim], list[Match]]:
    """Claims drafted for the restating sentences that have none, and the links from every
    restating claim (new or existing) to the fact-check it restates."""
    drafted: list[Claim] = []
    links: list[Match] = []
    for first, figs, c, score in restating(doc_id, mentions, checked):
        spans = {mention_id(doc_id, f["start"], f["end"]) for f in figs}
        existing = [o for o in own if spans & set(o.mention_ids)]
        if existing:
            links += [
                Match(o.claim_id, c.claim_id, c.doc_id, score, c.verdict, c.explanation)
                for o in existing
            ]
            continue
        figures = {
            f"figure_{i}": figure_of(doc_id, f"figure_{i}", f) for i, f in enumerate(figs, start=1)
        }
        claim_id = drafted_claim_id(doc_id, MATCH, "restates", figs[0]["start"])
        drafted.append(
            Claim(
                claim_id=claim_id,
                doc_id=doc_id,
                path=path,
                line=0,
                quote=first["sentence"],
                quote_start=first["sentence_start"],
                quote_end=first["sentence_start"] + len(first["sentence"]),
                speaker=figs[0]["speaker"],
                subject=f"restates {c.claim_id}",
                measure="a statement already checked in another document",
                as_of=None,
                figures=figures,
                checks=[{"recipe": "matches", "stated": "figure_1", "claim": c.claim_id}],
                mention_ids=[f.mention_id for f in figures.values()],
                origin=MATCH,
                confidence=score,
            )
        )
        links.append(Match(claim_id, c.claim_id, c.doc_id, score, c.verdict, c.explanation))
    return drafted, links
