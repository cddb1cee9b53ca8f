"""Drafting checks from the reference data (docs/relations.md, "Checks drafted from the
reference data"): a figure whose sentence names an entity of a reference table (or whose
paragraph names the table's subject) and whose neighbouring words name one of the table's
measures gets a lookup check against the rows valid at the time the sentence is about."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from analysis.claims.register import Claim, figure_of
from analysis.documents.sections import Section
from analysis.figures.rows import in_text_order
from analysis.folding import fold
from analysis.reference.describes import Describes, Measure
from analysis.reference.tables import ReferenceTable
from analysis.vocab import REFERENCE, drafted_claim_id

NEAR_WORDS = 6  # words either side of a figure where its measure may be named
YEAR_NEAR = 8  # words from a sentence's opening year to the figure it dates
YEAR_AFTER = 4  # words from a figure to a year right after it
BASE_CONFIDENCE = 0.5


@dataclass(frozen=True)
class EntityName:
    folded: str
    name: str  # as the table writes it (what the lookup's `named` condition matches)
    column: str
    surname: bool  # matched by the last word of a person's name only


def _names(table: ReferenceTable, describes: Describes) -> tuple[EntityName, ...]:
    """Every name (and alias) of the table's entities; a two-word-or-longer name also by its
    last word, which counts only when the full name is in the document."""
    out: dict[tuple[str, str], EntityName] = {}
    for row in table.rows:
        for column in describes.entities:
            value = row.get(column)
            if not value:
                continue
            names = [
                value,
                *[a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()],
            ]
            for name in names:
                out.setdefault((fold(name), column), EntityName(fold(name), value, column, False))
                words = name.split()
                if len(words) >= 2 and len(words[-1]) > 3:
                    last = fold(words[-1])
                    out.setdefault((last, column), EntityName(last, value, column, True))
    return tuple(out.values())


@lru_cache(maxsize=256)
def _word_pattern(folded: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(folded)}(?![\w])")


def _entity(names: tuple[EntityName, ...], sentence: str, document: str) -> EntityName | None:
    """The entity the sentence names (the longest name found; a surname alone only when the
    document names the person in full)."""
    found = []
    for n in names:
        if n.folded not in sentence or not _word_pattern(n.folded).search(sentence):
            continue
        if n.surname and not _word_pattern(fold(n.name)).search(document):
            continue
        found.append(n)
    if len({n.name for n in found}) > 1:
        return None  # two of the table's entities in one sentence: which one is ambiguous
    return max(found, key=lambda n: (not n.surname, len(n.folded)), default=None)


def _subject_named(subject: tuple[str, ...], text: str, folded: str) -> bool:
    """Whether ``text`` (``folded``: the same text folded) names one of the subject's words."""
    for word in subject:
        if word.isupper():  # an acronym keeps its case: "IOM", not "iom"
            if word in text and _word_pattern(word).search(text):
                return True
        elif (w := fold(word)) in folded and _word_pattern(w).search(folded):
            return True
    return False


def _measure_named(measure: Measure, fig: dict[str, Any], text: str) -> str | None:
    """The word naming the measure: the figure's unit, or a measure word among the words next
    to it in its sentence."""
    unit = fold(fig["unit"] or "")
    for word in measure.words:
        if unit and (unit == word or unit.startswith(word + " ") or unit.endswith(" " + word)):
            return word
    s_start = fig["sentence_start"]
    s_end = s_start + len(fig["sentence"])
    before = " ".join(text[s_start : fig["start"]].split()[-NEAR_WORDS:])
    after = " ".join(text[fig["end"] : s_end].split()[:NEAR_WORDS])
    near = fold(f"{before} | {after}")
    for word in measure.words:
        if _word_pattern(word).search(near):
            return word
    return None


def _years_by_sentence(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """The dated figures (years and dates) of each sentence, by the sentence's start."""
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        if r["kind"] in ("year", "date") and r["value"] is not None:
            out.setdefault(r["sentence_start"], []).append(r)
    return out


def _year_in(fig: dict[str, Any], dated: list[dict[str, Any]], text: str) -> int | None:
    """The year the figure's statement is about, among ``dated`` (its sentence's years and
    dates, :func:`_years_by_sentence`): the year a sentence opens with ("In <year>, the
    N-nation agency"), or a year right after the figure ("N member states in <year>"); a year
    elsewhere in the sentence may date another clause ("which joined the UN in <year> and is a
    body of N member states"), so none."""
    for r in dated:
        if r["start"] == fig["start"]:
            continue
        if r["start"] < fig["start"]:  # only a sentence's opening year: "In 2008, the …"
            opening = _OPENING_YEAR.search(text[fig["sentence_start"] : r["start"]])
            if opening and len(text[r["end"] : fig["start"]].split()) <= YEAR_NEAR:
                return int(r["value"])
        else:  # or a year right after it: "N member states in <year>"
            gap = text[fig["end"] : r["start"]]
            if "," not in gap and len(gap.split()) <= YEAR_AFTER:
                return int(r["value"])
    return None


# a sentence that opens with its year: "In 2008, …", "As of June 2023, …", "By 2021, …"
_OPENING_YEAR = re.compile(r"^\W*(?:in|by|as of|at the end of|since|during)\s+(?:\w+\s+)?$", re.I)
# words that deny the figure after them: "40 Member States, not 38"
_DENIED = re.compile(
    r"(?:\bnot|\bnever|\bnor|rather than|instead of|no longer)\s+(?:\w+\s+)?$", re.I
)


def draft_reference(
    doc_id: str,
    path: Path,
    text: str,
    sections: list[Section],
    mentions: pl.DataFrame,
    as_of: dt.date | None,
    references: dict[str, ReferenceTable],
) -> list[Claim]:
    """A lookup check for every figure a reference table describes (the most confident one
    per figure)."""
    tables = [t for t in references.values() if t.describes is not None]
    if not tables or mentions.is_empty():
        return []
    rows = [r for r in in_text_order(mentions) if r["sentence_start"] is not None]
    paragraph = {s.section_no: s.text for s in sections}
    document = fold(text)
    names = {  # once per table, not per figure
        t.name: _names(t, t.describes) for t in tables if t.describes and t.describes.entities
    }
    by_year = _years_by_sentence(rows)
    # what a sentence or a paragraph names is found once, not once per figure in it
    folded = lru_cache(maxsize=None)(fold)
    named: dict[tuple[str, str], bool] = {}
    entities: dict[tuple[str, str], EntityName | None] = {}

    def names_subject(table: ReferenceTable, text: str) -> bool:
        key = (table.name, text)
        if key not in named:
            assert table.describes is not None
            named[key] = _subject_named(table.describes.subject, text, folded(text))
        return named[key]

    claims = []
    for fig in rows:
        if _DENIED.search(text[max(0, fig["start"] - 30) : fig["start"]]):
            continue  # the text denies this figure: it states nothing to check against the data
        best: tuple[float, Claim] | None = None
        para = paragraph.get(fig["section_no"], fig["sentence"])
        for table in tables:
            describes = table.describes
            assert describes is not None
            in_sentence = not describes.subject or names_subject(table, fig["sentence"])
            if not in_sentence and not names_subject(table, para):
                continue
            entity = None
            if describes.entities:
                key = (table.name, fig["sentence"])
                if key not in entities:
                    entities[key] = _entity(names[table.name], folded(fig["sentence"]), document)
                entity = entities[key]
            if describes.entities and entity is None:
                continue
            for measure in describes.measures:
                if fig["kind"] not in measure.kinds:
                    continue
                word = _measure_named(measure, fig, text)
                if word is None:
                    continue
                lookup: dict[str, Any] = {
                    "table": table.name,
                    "column": measure.column,
                    "where": dict(measure.where),
                    "label": measure.label,
                    "disagreement": "unverifiable",
                }
                if entity is not None:
                    lookup["where"][entity.column] = {"named": entity.name}
                    lookup["label"] = f"{measure.label}: {entity.name}"
                year = _year_in(fig, by_year.get(fig["sentence_start"], []), text)
                if measure.time and year is not None:
                    lookup["where"][measure.time] = {"during": str(year)}
                    lookup["valid_on"] = "any"
                elif measure.when == "latest" and measure.time:
                    lookup["where"][measure.time] = {"on_or_before": "as_of"}
                    lookup["valid_on"] = "any"
                    lookup["pick"], lookup["by"] = "latest", measure.time
                else:
                    lookup["valid_on"] = "any" if measure.when == "any" else "as_of"
                confidence = BASE_CONFIDENCE + 0.15 * in_sentence + 0.15 * (entity is not None)
                confidence += 0.1 * (word == fold(fig["unit"] or "")) + 0.1 * (year is not None)
                figure = figure_of(doc_id, "stated", fig)
                check = {
                    "recipe": measure.recipe,
                    "stated": "stated",
                    "reference": {"lookup": lookup},
                }
                claim = Claim(
                    claim_id=drafted_claim_id(doc_id, REFERENCE, table.name, fig["start"]),
                    doc_id=doc_id,
                    path=path,
                    line=0,
                    quote=fig["sentence"],
                    quote_start=fig["sentence_start"],
                    quote_end=fig["sentence_start"] + len(fig["sentence"]),
                    speaker=fig["speaker"],
                    subject=entity.name if entity else table.title,
                    measure=measure.label,
                    as_of=as_of,
                    figures={"stated": figure},
                    checks=[check],
                    mention_ids=[figure.mention_id],
                    origin=REFERENCE,
                    confidence=round(min(confidence, 1.0), 2),
                )
                if best is None or claim.confidence > best[0]:
                    best = (claim.confidence, claim)
        if best is not None:
            claims.append(best[1])
    return claims
