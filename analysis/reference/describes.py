"""What a reference table describes, as its source record declares it (``describes:``,
docs/reference-format.md): the words that name its subject, the columns that name the entity a
row is about, and the measures a figure of a text can state, with the words that name them.
The machine drafts reference checks from these declarations (docs/relations.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import BadInput
from analysis.vocab import MENTION_KINDS
from analysis.yamlfile import check_fields, line_of

_DESCRIBES_FIELDS = ("subject", "entities", "measures")
_MEASURE_FIELDS = ("column", "words", "kinds", "time", "when", "where", "label", "recipe")
WHEN = ("as_of", "any", "latest")  # rows valid at the date, any row, the latest observation
RECIPES = ("ratio", "date")


@dataclass(frozen=True)
class Measure:
    column: str
    words: tuple[str, ...]  # lower case; the figure's unit or the words next to it
    kinds: frozenset[str]
    label: str
    time: str | None = None  # column saying when the row's fact happened
    when: str = "as_of"  # rows valid on the document's date, any row, or the latest observation
    where: dict[str, Any] = field(default_factory=dict)
    recipe: str = "ratio"  # ratio for numbers, date for years and dates


@dataclass(frozen=True)
class Describes:
    subject: tuple[str, ...]  # words one of which the sentence or its paragraph must contain
    entities: tuple[str, ...]  # columns that name what a row is about (names, aliases)
    measures: tuple[Measure, ...]


def _strings(path: Path, value: Any, what: str, line: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise BadInput(path, f"{what}: expected a list of words", place=line)
    return tuple(value)


def parse_describes(path: Path, raw: Any, columns: dict[str, str]) -> Describes | None:
    """The ``describes`` block of a source record, checked against the table's columns."""
    if raw is None:
        return None
    line = check_fields(path, raw, _DESCRIBES_FIELDS, "describes", ("measures",))
    entities = _strings(path, raw.get("entities"), "describes.entities", line)
    for column in entities:
        if column not in columns:
            raise BadInput(path, f"describes.entities: no column {column!r}", place=line)
    measures = []
    for i, item in enumerate(raw["measures"] or [], start=1):
        where = f"describes.measures[{i}]"
        m_line = check_fields(path, item, _MEASURE_FIELDS, where, ("column", "words", "kinds"))
        for key in ("column", "time"):
            if item.get(key) is not None and item[key] not in columns:
                raise BadInput(path, f"{where}.{key}: no column {item[key]!r}", place=m_line)
        kinds = _strings(path, item["kinds"], f"{where}.kinds", m_line)
        if not set(kinds) <= set(MENTION_KINDS):
            raise BadInput(path, f"{where}.kinds: expected figure kinds", place=m_line)
        when = item.get("when", "as_of")
        if when not in WHEN:
            raise BadInput(path, f"{where}.when: expected one of {', '.join(WHEN)}", m_line)
        recipe = item.get("recipe", "ratio")
        if recipe not in RECIPES:
            raise BadInput(path, f"{where}.recipe: expected one of {', '.join(RECIPES)}", m_line)
        fixed = item.get("where") or {}
        if not isinstance(fixed, dict) or any(c not in columns for c in fixed):
            raise BadInput(path, f"{where}.where: expected columns of the table", place=m_line)
        measures.append(
            Measure(
                column=item["column"],
                words=tuple(w.lower() for w in _strings(path, item["words"], where, m_line)),
                kinds=frozenset(kinds),
                label=str(item.get("label") or columns[item["column"]]),
                time=item.get("time"),
                when=when,
                where=dict(fixed),
                recipe=recipe,
            )
        )
    if not measures:
        raise BadInput(path, "describes.measures: expected at least one measure", line_of(raw))
    return Describes(
        subject=_strings(path, raw.get("subject"), "describes.subject", line),
        entities=entities,
        measures=tuple(measures),
    )
