"""What a check works with and what it produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.checks.matching import Checked
    from analysis.checks.tolerance import Tolerance
    from analysis.claims.names import NameVariant
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
    precision: float = 0.0  # a stated figure's rounding step (0: exact, as reference data)
    tier: str | None = None  # the best tier of the reference rows used (docs/reference-format.md)
    better_source: bool = False  # a higher tier holds the same fact but was not used
    # how far below and above its rounding a hedged input may lie ("almost 10,000": up to 1,000
    # below), set only when a check is redone within its inputs' hedges (docs/claims.md)
    hedge: str | None = None
    spread_low: float = 0.0
    spread_high: float = 0.0

    @property
    def low(self) -> float:
        return float(self.value) - self.precision / 2 - self.spread_low

    @property
    def high(self) -> float:
        return float(self.value) + self.precision / 2 + self.spread_high


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
    source_tier: str | None = None  # the best tier among the sources used
    better_source_unused: bool = False
    computed_text: str | None = None  # the computed value as a reader reads it


class Unverifiable(Exception):
    """No reference data to decide: the check's verdict is ``unverifiable``."""


class Disagreement(Exception):
    """A lookup's sources give different values: the check is run once per value (the
    operand reads which one from ``Context.pins``) and decided only if every value gives the
    same verdict."""

    def __init__(self, key: str, values: list[Value]) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass
class Context:
    claims: dict[str, Claim]
    references: dict[str, ReferenceTable]
    tolerance: Tolerance
    pins: dict[str, int] = field(default_factory=dict)  # lookup → the source value to use
    hedged: bool = False  # stated inputs anywhere within their hedges (docs/claims.md)
    # statements checked elsewhere (another document, an earlier build), by claim id
    checked: dict[str, Checked] = field(default_factory=dict)


@dataclass
class DocumentChecks:
    """One document's part of the check stage before claims are matched across documents: its
    claims (drafted, none dismissed), the results of their checks in their order, and the name
    variants its text uses (cached by :mod:`analysis.build.checks_cache`)."""

    claims: list[Claim]
    results: list[CheckResult]
    variants: list[NameVariant]
