"""What a check works with and what it produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.checks.tolerance import Tolerance
    from analysis.claims.register import Claim
    from analysis.reference.tables import ReferenceTable


@dataclass
class Value:
    """An operand's value and where it came from."""

    value: Any
    label: str
    mentions: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class CheckResult:
    check_id: str
    claim_id: str
    recipe: str
    stated_value: float | None
    stated_text: str | None
    computed_value: float | None
    verdict: str
    explanation: str
    rule: str
    mentions: list[str]
    rows: list[str]
    sources: list[str]


class Unverifiable(Exception):
    """No reference data to decide: the check's verdict is ``unverifiable``."""


@dataclass
class Context:
    claims: dict[str, Claim]
    references: dict[str, ReferenceTable]
    tolerance: Tolerance
