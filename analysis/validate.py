"""Checks run on the data as stored in a newly built warehouse file (read back after loading)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class ExpectationResult:
    table: str
    column: str | None
    expectation: str
    success: bool
    unexpected: list[str] = field(default_factory=list)


@dataclass
class ValidationOutcome:
    results: list[ExpectationResult]

    @property
    def passed(self) -> int:
        return sum(r.success for r in self.results)

    @property
    def failed(self) -> int:
        return sum(not r.success for r in self.results)

    @property
    def failures(self) -> list[str]:
        return [
            f"{r.table}.{r.column or '*'}: {r.expectation} "
            f"(e.g. {', '.join(r.unexpected[:3]) or 'n/a'})"
            for r in self.results
            if not r.success
        ]


# (table, column, expectation, SQL returning offending values as text; none = pass)
_CHECKS: list[tuple[str, str | None, str, str]] = [
    (
        "mentions",
        "surface",
        "surface equals the document body at its offsets",
        """SELECT m.mention_id FROM mentions m JOIN documents d USING (doc_id)
           WHERE substring(d.body, m.start_offset + 1, m.end_offset - m.start_offset)
                 <> m.surface""",
    ),
    (
        "mentions",
        "doc_id",
        "every mention belongs to a document",
        "SELECT mention_id FROM mentions WHERE doc_id NOT IN (SELECT doc_id FROM documents)",
    ),
    (
        "sections",
        "text",
        "section text equals the document body at its offsets",
        """SELECT s.doc_id || '#' || s.section_no FROM sections s JOIN documents d USING (doc_id)
           WHERE substring(d.body, s.start_offset + 1, s.end_offset - s.start_offset) <> s.text""",
    ),
    (
        "documents",
        "n_chars",
        "n_chars equals the length of the body",
        "SELECT doc_id FROM documents WHERE length(body) <> n_chars",
    ),
]


def validate_warehouse(path: Path) -> ValidationOutcome:
    results = []
    with duckdb.connect(str(path), read_only=True) as con:
        for table, column, expectation, sql in _CHECKS:
            bad = [str(r[0]) for r in con.execute(sql).fetchmany(20)]
            results.append(ExpectationResult(table, column, expectation, not bad, bad))
    return ValidationOutcome(results)
