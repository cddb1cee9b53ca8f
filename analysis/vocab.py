"""Every controlled vocabulary and id format of the package, declared once.

Code, SQL generation (the ``verdict_scale`` table, catalog value sets), templates and
expectations all read these; nothing else spells a verdict, a kind or a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---------------------------------------------------------------- figures

MENTION_KINDS = ("money", "percent", "count", "year", "date", "duration", "ordinal", "fraction")
# Kinds that name points in time and positions: exact, never rounded, never "restated".
POINT_KINDS = ("year", "date", "ordinal")
# Kinds whose figures can be negative (a bracketed figure in a table row is: figure rules).
SIGNED_KINDS = MENTION_KINDS[:3]
# Kinds whose value is the written number times a scale ("71.1 million", "20 basis points"):
# their precision scales with it (analysis/figures/precision.py).
SCALED_KINDS = MENTION_KINDS[:3]

# a time unit's mean length in days (a month is a twelfth of the Gregorian year)
UNIT_DAYS = {
    "second": 1 / 86_400,
    "minute": 1 / 1_440,
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "month": 30.436875,
    "year": 365.2425,
    "decade": 3652.425,
    "century": 36524.25,
}

SECTION_KINDS = (
    "headline",
    "caption",
    "body",
    "editor_note",
    "author_bio",
    "reader_comment",
    "boilerplate",
)
# Sections whose figures are extracted (furniture is not).
CONTENT_SECTIONS = tuple(k for k in SECTION_KINDS if k != "boilerplate")

ARTICLE_VOICE = "article"
# a count's unit when an "m" after its number reads as metres ("100m hurdles"), not million
METRE_UNIT = "m"

# ---------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Verdict:
    name: str
    label: str
    description: str
    colour: str  # Okabe–Ito, readable as a badge background with white text
    machine: bool  # the checks can give it; editors can give every verdict
    severity: int  # lower is more severe: a claim takes its most severe decided check
    rating: int | None  # schema.org ClaimReview ratingValue, 1 (false) … 5 (true)
    rating_name: str  # ClaimReview alternateName

    @property
    def decided(self) -> bool:
        return self.name not in ("unverifiable", "not_checkable")


VERDICTS: tuple[Verdict, ...] = (
    Verdict(
        "correct",
        "correct",
        "The computed value rounds to the stated one at the stated precision.",
        "#00775a",
        True,
        4,
        5,
        "True",
    ),
    Verdict(
        "approximately_correct",
        "approximately correct",
        "Within what the hedge word allows, or within {measured} for an unhedged measured "
        "quantity.",
        "#1f6f9a",
        True,
        3,
        4,
        "Mostly true",
    ),
    Verdict(
        "incorrect",
        "incorrect",
        "Further off than that, or a statement that the reference data contradicts.",
        "#b34700",
        True,
        0,
        1,
        "False",
    ),
    Verdict(
        "inconsistent",
        "inconsistent",
        "Conflicts with another statement of the same document.",
        "#9c3d7c",
        True,
        1,
        2,
        "Contradicts the article itself",
    ),
    Verdict(
        "unverifiable",
        "unverifiable",
        "No reference data to decide.",
        "#5f5f5f",
        True,
        6,
        None,
        "unverifiable",
    ),
    Verdict(
        "needs_context",
        "needs context",
        "Editors only: a true figure that misleads as framed.",
        "#7a4f9c",
        False,
        2,
        3,
        "Needs context",
    ),
    Verdict(
        "not_checkable",
        "not checkable",
        "Editors only: opinion, prediction, or a secret ballot.",
        "#4a4a4a",
        False,
        5,
        None,
        "not_checkable",
    ),
)
VERDICT = {v.name: v for v in VERDICTS}
# a statement found wrong: the corrections memo's entries and the front page's findings
FINDINGS = ("incorrect", "inconsistent")
FINDINGS_SQL = "(" + ", ".join(f"'{v}'" for v in FINDINGS) + ")"  # for ``verdict IN …``
UNVERIFIABLE = "unverifiable"  # no data to decide
MACHINE_VERDICTS = tuple(v.name for v in VERDICTS if v.machine)
EDITOR_VERDICTS = tuple(v.name for v in VERDICTS)
# Severity order of decided machine verdicts (most severe first).
SEVERITY = tuple(v.name for v in sorted(VERDICTS, key=lambda v: v.severity) if v.machine)


def most_severe(verdicts: list[str]) -> str:
    """The most severe of ``verdicts`` (any vocabulary verdicts)."""
    return min(verdicts, key=lambda v: VERDICT[v].severity)


def verdict_label(name: str | None) -> str:
    return VERDICT[name].label if name in VERDICT else (name or "").replace("_", " ")


# ---------------------------------------------------------------- editorial

REVIEW_STATUSES = ("pending", "approved", "disputed")
UNREVIEWED = "unreviewed"
DISMISSAL_REASONS = {
    "timestamp": "page furniture such as a comment's relative timestamp",
    "not_a_claim": "a number that states nothing checkable (an idiom, a count in passing)",
    "prediction": "a forecast or a wish about the future",
    "background": "well-known background stated in passing, not a claim of the story",
    "no_public_source": "checkable in principle, but no public source was found",
}
NAME_VARIANT_KINDS = ("misspelling", "accents dropped", "alternative name")

# ---------------------------------------------------------------- evidence

SOURCE_TIERS = {
    "primary": "the body that produced the figure: its own report or page, official results, "
    "a statistical office",
    "secondary": "press or a reputable aggregator reporting it",
    "tertiary": "copies of encyclopedias and mirrors",
}
TOLERANCE_DIRECTIONS = ("either", "below", "above")

# Where a claim comes from: written by hand in data/claims/, or drafted by the machine from the
# figures' relations in the text (docs/relations.md), from the reference data, or by matching
# a claim already checked in another document.
HAND = "hand"
ARITHMETIC = "arithmetic"
REFERENCE = "reference"
MATCH = "match"
CLAIM_ORIGINS = (HAND, ARITHMETIC, REFERENCE, MATCH)
MACHINE_DRAFTED = "machine-drafted"  # how reports and listings label a claim not written by hand

# ---------------------------------------------------------------- ids


# A name that becomes part of a file name: a corpus record's id, a hand-written claim's id
# (report pages and cache entries are named by them). Letters, digits, '.', '_' and '-',
# starting with a letter or digit, at most 128 characters, matched whole (with re.fullmatch:
# a "$" let a final line break through, and a claim id "../../data/x" wrote outside reports/).
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def mention_id(doc_id: str, start: int, end: int) -> str:
    """A figure's id: ``<doc_id>:<start>-<end>`` (character offsets, end exclusive)."""
    return f"{doc_id}:{start}-{end}"


MENTION_ID_SQL = "{doc} || ':' || CAST({start} AS VARCHAR) || '-' || CAST({end} AS VARCHAR)"


def drafted_claim_id(doc_id: str, origin: str, relation: str, *starts: int) -> str:
    """A machine-drafted claim's id: ``<doc_id>~<origin>-<relation>-<offsets>``, the offsets
    of its first figure (of each statement, for a restatement; of every figure, for a second
    statement of one relation from the same first figure), stable while the text is."""
    return f"{doc_id}~{origin}-{relation}-" + "-".join(str(s) for s in starts)


def check_id(claim_id: str, n: int) -> str:
    """A check's id: ``<claim_id>/<n>``, n counting the claim's checks from 1."""
    return f"{claim_id}/{n}"


COMMENT_VOICE = "reader comment "


def comment_speaker(comment_no: int | None) -> str:
    """The voice of reader comment ``comment_no``: ``reader comment 1``, ``reader comment 2``…"""
    return f"{COMMENT_VOICE}{comment_no}"


def reference_row_id(table: str, line: int) -> str:
    """A reference row's id: ``<table>:<CSV line>``."""
    return f"{table}:{line}"


# Where each document's extraction and drafting run (analysis build --engine; docs/architecture.md)
ENGINES = ("local", "ray")
