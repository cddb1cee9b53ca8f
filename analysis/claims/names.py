"""Name variants: misspelled or variant names of reference entities found in a document.

Reference tables carry an ``aliases`` column ("Vittorino", "Laura Thomson", "International
Telecommunications Union"). The checks already resolve aliases (the ``named`` condition); this
module lists where the document itself uses a variant spelling, for the corrections memo.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from analysis.documents.sections import Section
from analysis.folding import fold
from analysis.reference.tables import ReferenceTable
from analysis.vocab import ARTICLE_VOICE, comment_speaker

NAME_COLUMNS = ("name", "head_name", "organization", "candidate")


@dataclass(frozen=True)
class NameVariant:
    start: int
    end: int
    surface: str
    canonical: str
    kind: str  # accents dropped | misspelling | alternative name
    table: str
    row_no: int
    section: str
    speaker: str


def variants_of(tables: dict[str, ReferenceTable]) -> list[tuple[str, str, str, str, int]]:
    """(variant, canonical, kind, table, row) for every alias that is not just a fuller or
    shorter form of the canonical name: worked out once per build, then looked for in each
    document (:func:`find_variants`)."""
    out: dict[str, tuple[str, str, str, str, int]] = {}
    for table in tables.values():
        if "aliases" not in table.columns:
            continue
        columns = [c for c in NAME_COLUMNS if c in table.columns]
        for row in table.rows:
            names = [row[c] for c in columns if row.get(c)]
            for alias in filter(None, (row.get("aliases") or "").split(";")):
                alias = alias.strip()
                canonical = max(
                    names,
                    key=lambda n: difflib.SequenceMatcher(None, fold(n), fold(alias)).ratio(),
                    default=None,
                )
                if canonical is None:
                    continue
                canon_words = set(fold(canonical).split())
                candidates = [alias]
                last = alias.split()[-1]
                person = "name" in table.columns
                if person and len(alias.split()) > 1 and fold(last) not in canon_words:
                    candidates.append(last)  # "Laura Thomson" → also "Thomson" alone
                for variant in candidates:
                    words = set(fold(variant).split())
                    if fold(variant) == fold(canonical) and variant != canonical:
                        kind = "accents dropped"
                    elif words <= canon_words or canon_words <= words:
                        continue  # a fuller or shorter form, not a misspelling
                    elif fold(variant) in fold(canonical):
                        continue
                    else:
                        target = canonical.split()[-1] if len(words) == 1 else canonical
                        close = difflib.SequenceMatcher(None, fold(variant), fold(target))
                        kind = "misspelling" if close.ratio() >= 0.8 else "alternative name"
                    out.setdefault(variant, (variant, canonical, kind, table.name, row["_line"]))
    return list(out.values())


def find_variants(
    text: str, sections: list[Section], variants: list[tuple[str, str, str, str, int]]
) -> list[NameVariant]:
    """Where ``text`` uses the ``variants`` (:func:`variants_of` the reference tables)."""
    found: list[NameVariant] = []
    kept = [s for s in sections if s.kind != "boilerplate"]
    for variant, canonical, kind, table, row_no in variants:
        if variant not in text:
            continue  # most names are in few documents: one fast scan, not a regex's
        for m in re.finditer(rf"(?<!\w){re.escape(variant)}(?!\w)", text):
            section = next((s for s in kept if s.start <= m.start() < s.end), None)
            if section is None:
                continue
            speaker = (
                comment_speaker(section.comment_no)
                if section.kind == "reader_comment"
                else ARTICLE_VOICE
            )
            found.append(
                NameVariant(
                    m.start(),
                    m.end(),
                    variant,
                    canonical,
                    kind,
                    table,
                    row_no,
                    section.kind,
                    speaker,
                )
            )
    # a longer variant found at a place wins over a shorter one inside it
    found.sort(key=lambda v: (v.start, -(v.end - v.start)))
    result: list[NameVariant] = []
    for v in found:
        if result and v.start < result[-1].end:
            continue
        result.append(v)
    return result
