"""Expectation suites: generated from the catalog, and hand-written in ``data/expectations/``.

- **Structural** suites come from :mod:`analysis.warehouse.catalog`: required columns not null,
  keys unique, values from their vocabulary, references that resolve. They need every row and
  run in DuckDB (:mod:`analysis.validation.sql`).
- **Hand-written** suites (``data/expectations/<name>.yaml``) say what the catalog cannot:
  ranges, patterns, a figure's surface equal to the text at its offsets. Each declares the
  table(s) it guards (``table:``, or ``applies_to:`` names or globs such as ``ref_*``), an
  optional ``frame:`` query that joins in what cross-table expectations need, and expectations
  by their Great Expectations name and arguments. With ``combine: true`` a suite guarding many
  tables runs once over all of them (a ``table_name`` column tells them apart). With
  ``by_document: true`` a suite says that each row of its frame is one of its table's rows,
  which have a ``doc_id``, and is made from that document's rows alone: a build that carries
  the warehouse checks it on the changed documents' rows only (docs/architecture.md,
  "Validation carried forward"); it may then hold only expectations checked row by row.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import BadInput
from analysis.validation.arguments import argument_error
from analysis.validation.names import GE_EXPECTATIONS
from analysis.warehouse.catalog import TABLES
from analysis.yamlfile import line_of, load_with_lines

SUITE_FIELDS = {
    "table",
    "applies_to",
    "description",
    "frame",
    "expectations",
    "combine",
    "by_document",
}


@dataclass(frozen=True)
class Expectation:
    name: str
    kwargs: dict[str, Any]
    line: str | None = None

    @property
    def column(self) -> str | None:
        k = self.kwargs
        if "column" in k:
            return str(k["column"])
        if "column_A" in k:
            return f"{k['column_A']}, {k['column_B']}"
        if "column_list" in k:
            return ", ".join(k["column_list"])
        return None


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path | None  # None: generated from the catalog
    tables: tuple[str, ...]  # exact names or glob patterns
    frame: str
    expectations: tuple[Expectation, ...]
    combine: bool = False
    by_document: bool = False

    @property
    def structural(self) -> bool:
        return self.path is None

    def guards(self, table: str) -> bool:
        return any(fnmatch.fnmatchcase(table, pattern) for pattern in self.tables)


def _named_sets() -> dict[str, list[str]]:
    import pycountry

    return {
        "$iso3166_alpha3": sorted(c.alpha_3 for c in pycountry.countries),
        "$iso4217": sorted(c.alpha_3 for c in pycountry.currencies),
    }


def _resolve(value: Any, sets: dict[str, list[str]]) -> Any:
    """Replace ``$iso3166_alpha3`` / ``$iso4217`` in value sets (plus listed extras)."""
    if isinstance(value, str) and value in sets:
        return list(sets[value])
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            resolved = _resolve(item, sets)
            out.extend(resolved if isinstance(item, str) and item in sets else [resolved])
        return out
    if isinstance(value, dict):
        return {k: _resolve(v, sets) for k, v in value.items()}
    return value


def load_suites(expectations_dir: Path) -> list[Suite]:
    """The hand-written suites, validated (file and line on every error)."""
    if not expectations_dir.is_dir():
        raise BadInput(expectations_dir, "expectations folder not found")
    sets = _named_sets()
    suites = []
    for path in sorted(expectations_dir.glob("*.yaml")):
        data = load_with_lines(path)
        if not isinstance(data, dict):
            raise BadInput(path, "expected a mapping with table (or applies_to) and expectations")
        unknown = sorted(set(data) - SUITE_FIELDS)
        if unknown:
            raise BadInput(path, f"unknown field {unknown[0]!r}", place=line_of(data))
        tables = data.get("table") or data.get("applies_to")
        if not tables:
            raise BadInput(path, "needs 'table' or 'applies_to'")
        tables = (tables,) if isinstance(tables, str) else tuple(tables)
        by_document = data.get("by_document", False)
        if not isinstance(by_document, bool):
            place = line_of(data, "by_document")
            raise BadInput(path, "by_document must be true or false", place=place)
        if by_document and (len(tables) != 1 or data.get("combine")):
            place = line_of(data, "by_document")
            raise BadInput(path, "a by_document suite guards one table, uncombined", place=place)
        expectations = []
        for item in data.get("expectations") or []:
            if not isinstance(item, dict) or len(item) != 1:
                raise BadInput(
                    path, "each expectation is {expectation_name: {arguments}}", place=line_of(item)
                )
            ((name, kwargs),) = item.items()
            if not re.fullmatch(r"expect_[a-z0-9_]+", str(name)):
                raise BadInput(path, f"{name!r} is not an expectation name", place=line_of(item))
            if name not in GE_EXPECTATIONS:
                raise BadInput(path, f"unknown expectation {name!r}", place=line_of(item))
            if kwargs is not None and not isinstance(kwargs, dict):
                raise BadInput(path, f"{name}: arguments must be a mapping", place=line_of(item))
            wrong = argument_error(name, dict(kwargs or {}))
            if wrong:
                raise BadInput(path, wrong, place=line_of(item))
            expectation = Expectation(str(name), _resolve(dict(kwargs or {}), sets), line_of(item))
            if by_document and not row_by_row(expectation):
                raise BadInput(
                    path,
                    f"{name} is not checked row by row in SQL (a row count, unique keys, a "
                    "reference, or one only Great Expectations runs): a by_document suite "
                    "cannot hold it",
                    place=line_of(item),
                )
            expectations.append(expectation)
        suites.append(
            Suite(
                name=path.stem,
                path=path,
                tables=tables,
                frame=str(data.get("frame") or "SELECT * FROM {table}"),
                expectations=tuple(expectations),
                combine=bool(data.get("combine")),
                by_document=by_document,
            )
        )
    return suites


def row_by_row(exp: Expectation) -> bool:
    """Whether DuckDB checks ``exp`` one row at a time (what a row fails does not depend on
    the other rows): not a row count, unique keys or a reference, nor one it cannot
    translate."""
    from analysis.validation.sql import Untranslatable, failing_rows_sql, passing_sql

    if passing_sql(exp) is not None:
        return False
    try:
        failing_rows_sql(exp)
    except Untranslatable:
        return False
    return True


def structural_suites() -> list[Suite]:
    """One suite per catalog table: keys, required columns, vocabularies, references."""
    suites = []
    for table in TABLES:
        expectations: list[Expectation] = []
        if len(table.key) == 1:
            expectations.append(
                Expectation("expect_column_values_to_be_unique", {"column": table.key[0]})
            )
        else:
            expectations.append(
                Expectation(
                    "expect_compound_columns_to_be_unique", {"column_list": list(table.key)}
                )
            )
        for column in table.columns:
            if column.required:
                expectations.append(
                    Expectation("expect_column_values_to_not_be_null", {"column": column.name})
                )
            allowed = column.allowed()
            if allowed:
                expectations.append(
                    Expectation(
                        "expect_column_values_to_be_in_set",
                        {"column": column.name, "value_set": list(allowed)},
                    )
                )
            if column.references:
                target, target_column = column.references.split(".")
                expectations.append(
                    Expectation(
                        "expect_column_values_to_reference",
                        {"column": column.name, "table": target, "target": target_column},
                    )
                )
        suites.append(
            Suite(
                name=f"catalog:{table.name}",
                path=None,
                tables=(table.name,),
                frame="SELECT * FROM {table}",
                expectations=tuple(expectations),
            )
        )
    return suites
