"""Reference tables: sourced CSVs in ``data/reference/``, each with its source record.

Every table is ``<name>.csv`` plus ``<name>.source.yaml`` (format: docs/reference-format.md).
Loading is strict: a malformed row, an unknown source id, a header that disagrees with the
documented columns or a date that is not ISO stops the build with the file and line.
Dates may be partial (``1952``, ``1999-09``); they are compared as the interval they cover.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import BadInput
from analysis.reference.describes import Describes, parse_describes
from analysis.vocab import SOURCE_TIERS
from analysis.yamlfile import load_with_lines as load_yaml

SOURCE_FIELDS = (
    "id",
    "publisher",
    "title",
    "url",
    "tier",
    "date_published",
    "date_consulted",
    "taken",
    "conversion",
)
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_DATE_COLUMNS = re.compile(
    r"(?:^|_)(?:date|valid_from|valid_to|term_start|term_end|as_of|announced)$|^date"
)


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    url: str
    tier: str  # vocab.SOURCE_TIERS
    date_published: str | None
    date_consulted: str
    taken: str
    conversion: str | None


@dataclass
class ReferenceTable:
    name: str
    path: Path
    title: str
    description: str
    columns: dict[str, str]
    rows: list[dict[str, Any]]  # each row has "_line" (CSV line number) besides its columns
    sources: dict[str, Source] = field(default_factory=dict)
    describes: Describes | None = None  # what it describes, for drafting checks

    def column_kind(self, column: str) -> str:
        """``number``, ``boolean``, ``date`` or ``text``, inferred from the values."""
        values = [r[column] for r in self.rows if r[column] not in (None, "")]
        if _DATE_COLUMNS.search(column) and all(_PARTIAL_DATE.match(v) for v in values):
            return "date"
        if values and all(v in ("true", "false") for v in values):
            return "boolean"
        if values and all(_is_number(v) for v in values):
            return "number"
        return "text"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def date_interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The days a partial ISO date covers: ``2018`` → 2018-01-01 … 2018-12-31."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        start = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    day = dt.date(parts[0], parts[1], parts[2])
    return day, day


def valid_on(row: dict[str, Any], day: dt.date) -> bool:
    """Whether a row's fact holds on ``day`` (its valid_from/valid_to interval)."""
    start = date_interval(row.get("valid_from"))
    end = date_interval(row.get("valid_to"))
    return (start is None or start[0] <= day) and (end is None or day <= end[1])


def _load_sources(path: Path, raw: Any) -> dict[str, Source]:
    if not isinstance(raw, list) or not raw:
        raise BadInput(path, "sources: expected a non-empty list of source records")
    sources: dict[str, Source] = {}
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise BadInput(path, f"sources[{i}]: expected a mapping")
        unknown = sorted(set(item) - set(SOURCE_FIELDS))
        if unknown:
            raise BadInput(path, f"sources[{i}]: unknown field {unknown[0]!r}")
        for required in ("id", "publisher", "title", "url", "tier", "date_consulted", "taken"):
            if not item.get(required):
                raise BadInput(path, f"sources[{i}] ({item.get('id')}): missing {required!r}")
        if item["tier"] not in SOURCE_TIERS:
            raise BadInput(
                path,
                f"sources[{i}] ({item.get('id')}): tier {item['tier']!r} is not one of "
                f"{', '.join(SOURCE_TIERS)}",
            )
        source = Source(
            **{k: (str(item[k]) if item.get(k) is not None else None) for k in SOURCE_FIELDS}
        )  # type: ignore[arg-type]
        if source.id in sources:
            raise BadInput(path, f"sources: duplicate id {source.id!r}")
        sources[source.id] = source
    return sources


def load_table(csv_path: Path) -> ReferenceTable:
    meta_path = csv_path.with_name(csv_path.stem + ".source.yaml")
    if not meta_path.exists():
        raise BadInput(csv_path, f"has no source record; create {meta_path.name} beside it")
    meta = load_yaml(meta_path)
    if not isinstance(meta, dict):
        raise BadInput(meta_path, "expected a mapping with table, title, columns and sources")
    columns = meta.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise BadInput(meta_path, "columns: expected a mapping of column name to description")
    sources = _load_sources(meta_path, meta.get("sources"))
    try:
        text = csv_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(csv_path, f"is not valid UTF-8 at byte offset {err.start}") from None
    reader = csv.reader(text.splitlines(), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput(csv_path, "is empty; expected a header row") from None
    except csv.Error as err:
        raise BadInput(csv_path, f"malformed CSV: {err}", place="1") from None
    if header != list(columns):
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        raise BadInput(
            csv_path,
            f"header does not match the columns documented in {meta_path.name} "
            f"(undocumented: {extra or 'none'}; missing: {missing or 'none'})",
            place="1",
        )
    for required in ("source_id", "valid_from", "valid_to"):
        if required not in header:
            raise BadInput(csv_path, f"missing required column {required!r}", place="1")
    rows: list[dict[str, Any]] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise BadInput(csv_path, f"malformed CSV: {err}", place=str(reader.line_num)) from None
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise BadInput(
                csv_path,
                f"row has {len(values)} fields, the header has {len(header)}: "
                f"{','.join(values)[:80]!r}",
                place=str(line),
            )
        row: dict[str, Any] = {"_line": line}
        for column, value in zip(header, values, strict=True):
            row[column] = value.strip() or None
        for column in header:
            if column == "source_id" or column.endswith("_source_id"):
                ids = row[column]
                if column == "source_id" and not ids:
                    raise BadInput(csv_path, "source_id is empty", place=str(line))
                for sid in (ids or "").split(";"):
                    if sid and sid not in sources:
                        raise BadInput(
                            csv_path,
                            f"{column} {sid!r} is not an id in {meta_path.name}",
                            place=str(line),
                        )
            elif _DATE_COLUMNS.search(column) and row[column] and column.startswith("valid"):
                if not _PARTIAL_DATE.match(row[column]):
                    raise BadInput(
                        csv_path, f"{column} {row[column]!r} is not an ISO date", place=str(line)
                    )
                try:
                    date_interval(row[column])
                except ValueError:
                    raise BadInput(
                        csv_path, f"{column} {row[column]!r} is not a real date", place=str(line)
                    ) from None
        rows.append(row)
    return ReferenceTable(
        name=csv_path.stem,
        path=csv_path,
        title=str(meta.get("title") or csv_path.stem),
        description=str(meta.get("description") or ""),
        columns={str(k): str(v) for k, v in columns.items()},
        rows=rows,
        sources=sources,
        describes=parse_describes(meta_path, meta.get("describes"), columns),
    )


def load_reference(reference_dir: Path) -> dict[str, ReferenceTable]:
    """Every reference table in ``reference_dir``, by name."""
    if not reference_dir.is_dir():
        return {}
    return {p.stem: load_table(p) for p in sorted(reference_dir.glob("*.csv"))}
