"""Reference tables: sourced CSVs in ``data/reference/``, each with its source record.

Every table is ``<name>.csv`` plus ``<name>.source.yaml`` (format: docs/reference-format.md).
Loading is strict: a malformed row, an unknown source id, a header that disagrees with the
documented columns or a date that is not ISO stops the build with the file and line.
Dates may be partial (``1952``, ``1999-09``); they are compared as the interval they cover.

The file is untrusted input (docs/hostile-input.md, section 3): table and column names become
SQL identifiers, so they must match :data:`NAME` before anything else reads them; a cell in a
number column must be a plain finite number and a cell in a date column a real date; and a
row's line is the physical line (``\n`` counted) where it starts, whatever characters its
quoted cells hold.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.errors import BadInput
from analysis.files import read_text
from analysis.reference.describes import Describes, parse_describes
from analysis.vocab import SOURCE_TIERS
from analysis.yamlfile import line_of
from analysis.yamlfile import load_with_lines as load_yaml

if TYPE_CHECKING:
    import polars as pl

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
# Table names (file stems) and column names: they become SQL identifiers (``ref_<table>``).
NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
NAME_RULE = "a lower-case letter, then lower-case letters, digits or _, at most 63 in all"
# Columns the warehouse adds to a reference table (row_no) or to a suite's stacked frames
# (table_name): a CSV may not bring its own.
RESERVED_COLUMNS = ("row_no", "table_name")
_PARTIAL_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_DATE_COLUMNS = re.compile(
    r"(?:^|_)(?:date|valid_from|valid_to|term_start|term_end|as_of|announced)$|^date"
)
_SHOWN = 60  # characters of a refused name or value quoted in a message


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
    # kinds and frames worked out once: shared by the copies of a table a process reloads
    # (load_table), whose rows are never modified after loading
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def column_kind(self, column: str) -> str:
        """``number``, ``boolean``, ``date`` or ``text``, inferred from the values; worked out
        once per column (a check asks for each condition it tests: 211,000 times at 10,000
        articles, 2.3 s)."""
        key = ("kind", column)
        if key not in self.memo:
            self.memo[key] = self._column_kind(column)
        return self.memo[key]

    def _column_kind(self, column: str) -> str:
        values = [r[column] for r in self.rows if r[column] not in (None, "")]
        if _DATE_COLUMNS.search(column) and all(_PARTIAL_DATE.fullmatch(v) for v in values):
            return "date"
        if values and all(v in ("true", "false") for v in values):
            return "boolean"
        if values and all(is_number(v) for v in values):
            return "number"
        return "text"

    def kinds(self) -> dict[str, str]:
        """Each column's kind (:meth:`column_kind`), in column order."""
        if "kinds" not in self.memo:
            self.memo["kinds"] = {c: self.column_kind(c) for c in self.columns}
        return dict(self.memo["kinds"])

    def frame(self, kinds: dict[str, str] | None = None) -> pl.DataFrame:
        """The rows as a polars frame of typed values: ``row_no`` (the CSV line), then each
        column as its kind holds it (dates stay text)."""
        import polars as pl

        kinds = kinds or self.kinds()
        key = ("frame", *kinds.items())
        if key not in self.memo:
            types = {"number": pl.Float64, "boolean": pl.Boolean}
            schema = {"row_no": pl.Int64} | {c: types.get(k, pl.String) for c, k in kinds.items()}
            self.memo[key] = pl.DataFrame(
                [
                    [row["_line"], *(typed(row[c], k) for c, k in kinds.items())]
                    for row in self.rows
                ],
                schema=schema,
                orient="row",
            )
        return self.memo[key]


# The SQL type of each column kind, for the ``ref_<name>`` tables (dates stay text: partial).
SQL_TYPES = {"number": "DOUBLE", "boolean": "BOOLEAN", "date": "VARCHAR", "text": "VARCHAR"}


@functools.lru_cache(maxsize=1 << 16)  # a table repeats its values (years, amounts)
def is_number(text: str) -> bool:
    """A plain finite number as the format writes it: ASCII digits, an optional sign, decimal
    point and exponent; never ``inf``, ``nan``, ``1_000``, ``1,000`` or other scripts' digits
    (which Python's ``float`` accepts)."""
    return bool(_PLAIN_NUMBER.fullmatch(text)) and math.isfinite(float(text))


def _float_like(text: str) -> bool:
    """Whether Python's ``float`` reads ``text`` (plain or not: ``inf``, ``1_000``, ``١٢``)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _shown(text: str) -> str:
    """``text`` quoted for a one-line message: escapes for line breaks and other invisible
    characters (repr), cut at :data:`_SHOWN` characters."""
    return repr(text[:_SHOWN]) + ("…" if len(text) > _SHOWN else "")


def _shown_path(path: Path) -> str:
    """``path`` for a one-line message: a name's line breaks, invisible characters and
    undecodable bytes written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(path))


def typed(value: str | None, kind: str) -> Any:
    """A cell's text as the value its column kind holds (number, boolean, or text)."""
    if value is None:
        return None
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return value == "true"
    return value


@functools.lru_cache(maxsize=1 << 16)
def is_date(text: str) -> bool:
    """A real partial ISO date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` on the calendar."""
    if not _PARTIAL_DATE.fullmatch(text):
        return False
    try:
        date_interval(text)
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


def _records(csv_path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its fields) for every record of the CSV ``text``.

    Lines are counted at ``\\n`` alone, as an editor and ``sed -n`` count them: never with
    ``str.splitlines``, which also breaks at U+2028, U+2029, U+0085, \\x0b, \\x0c and
    \\x1c-\\x1e and would drop such a character from a quoted cell and shift every later
    line. A record with a line break inside a quoted cell is cited at its first line."""
    reader = csv.reader(io.StringIO(text, newline="\n"), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            problem = str(err)
            if problem.startswith("new-line character seen in unquoted field"):
                problem = (
                    "a carriage return (\\r) without a line feed in an unquoted cell; quote the "
                    "cell, or save the file with \\n or \\r\\n line ends"
                )
            if reader.line_num != start:
                problem += f" (in the record that starts at line {start})"
            raise BadInput(
                csv_path, f"malformed CSV: {problem}", place=str(reader.line_num)
            ) from None
        yield start, values


def _check_header(csv_path: Path, line: int, header: list[str]) -> None:
    """Every column name is an identifier (:data:`NAME`), not reserved, and given once."""
    if not header:
        raise BadInput(csv_path, "the header row is blank; expected column names", str(line))
    first: dict[str, int] = {}
    for number, column in enumerate(header, start=1):
        place = f"{line}:{number}"
        if not column.strip():
            raise BadInput(
                csv_path, f"header column {number} is empty; every column needs a name", place
            )
        if not NAME.fullmatch(column):
            raise BadInput(
                csv_path,
                f"header column {number} {_shown(column)} is not a column name ({NAME_RULE})",
                place,
            )
        if column in RESERVED_COLUMNS:
            raise BadInput(
                csv_path,
                f"header column {number} {column!r} is reserved (the warehouse adds it); rename it",
                place,
            )
        if column in first:
            raise BadInput(
                csv_path, f"header column {number} {column!r} repeats column {first[column]}", place
            )
        first[column] = number


def _citation_or_notes(column: str) -> bool:
    """A column that cites sources or holds notes, to which no kind of value applies."""
    return column in ("source_id", "notes") or column.endswith("_source_id")


def _check_numbers(
    csv_path: Path, header: list[str], rows: list[dict[str, Any]], describes: Describes | None
) -> None:
    """A column holds numbers when the source record measures it (``describes``, recipe
    ``ratio``) or when it has a plain number and at least half its cells read as numbers
    (``float`` included: ``inf``, ``nan``, ``1_000``); then every cell of it must be a plain
    finite number (:func:`is_number`) or empty."""
    measured = {m.column for m in describes.measures if m.recipe == "ratio"} if describes else ()
    for number, column in enumerate(header, start=1):
        if _citation_or_notes(column):
            continue
        if _DATE_COLUMNS.search(column):
            continue  # checked row by row: real dates
        cells = [(r["_line"], r[column]) for r in rows if r[column] is not None]
        plain = sum(is_number(v) for _, v in cells)
        if column in measured or (
            plain and 2 * sum(_float_like(v) for _, v in cells) >= len(cells)
        ):
            for line, value in cells:
                if not is_number(value):
                    raise BadInput(
                        csv_path,
                        f"column {number} {column!r} holds numbers, and {_shown(value)} is not "
                        "a plain finite number (ASCII digits with optional sign, decimal point "
                        "and exponent; no inf, nan, separators, words or units)",
                        place=f"{line}:{number}",
                    )


def _check_booleans(csv_path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    """A column whose filled cells are mostly ``true`` and ``false`` holds only those: one
    ``yes`` among them made the whole column text, and every check on it matched nothing,
    without a word."""
    for number, column in enumerate(header, start=1):
        if _citation_or_notes(column):
            continue
        cells = [(r["_line"], r[column]) for r in rows if r[column] is not None]
        odd = [(line, v) for line, v in cells if v not in ("true", "false")]
        if odd and 2 * len(odd) < len(cells):
            line, value = odd[0]
            raise BadInput(
                csv_path,
                f"column {number} {column!r} holds true or false, and {_shown(value)} is "
                "neither (leave a cell empty for no value)",
                place=f"{line}:{number}",
            )


_LOADED: dict[tuple[str, str, str], ReferenceTable] = {}  # by file name and contents
_LOADED_MAX = 256


def load_table(csv_path: Path) -> ReferenceTable:
    """The table in ``csv_path`` and its source record, checked (:func:`read_table`). A
    process that loads the same bytes again (a long-running desk tool, the test suite)
    reuses the checked table; its rows are never modified after loading."""
    meta_path = csv_path.with_name(csv_path.stem + ".source.yaml")
    try:
        key = (
            csv_path.name,
            hashlib.sha256(csv_path.read_bytes()).hexdigest(),
            hashlib.sha256(meta_path.read_bytes()).hexdigest(),
        )
    except OSError:
        return read_table(csv_path)  # read_table names what is missing or unreadable
    if key not in _LOADED:
        while len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = read_table(csv_path)
    return dataclasses.replace(_LOADED[key], path=csv_path)


# The fields of a source record (docs/reference-format.md)
SOURCE_RECORD_FIELDS = frozenset(
    ["table", "title", "description", "columns", "sources", "describes", "notes"]
)


def read_table(csv_path: Path) -> ReferenceTable:
    name = csv_path.stem
    if not NAME.fullmatch(name):
        raise BadInput(
            _shown_path(csv_path),
            f"file name {_shown(name)} is not a table name ({NAME_RULE}); "
            "rename the file and its source record",
        )
    meta_path = csv_path.with_name(name + ".source.yaml")
    if not meta_path.exists():
        raise BadInput(csv_path, f"has no source record; create {meta_path.name} beside it")
    meta = load_yaml(meta_path)
    if not isinstance(meta, dict):
        raise BadInput(meta_path, "expected a mapping with table, title, columns and sources")
    unknown = sorted(str(k) for k in set(meta) - SOURCE_RECORD_FIELDS)
    if unknown:  # "describe:" lost every lookup the drafter would write, without a word
        raise BadInput(
            meta_path,
            f"unknown field {unknown[0]!r} (allowed: {', '.join(sorted(SOURCE_RECORD_FIELDS))})",
            place=line_of(meta, unknown[0]),
        )
    if meta.get("table", name) != name:
        raise BadInput(
            meta_path,
            f"table {meta['table']!r} is not this record's table {name!r} (its file name)",
            place=line_of(meta, "table"),
        )
    columns = meta.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise BadInput(meta_path, "columns: expected a mapping of column name to description")
    sources = _load_sources(meta_path, meta.get("sources"))
    records = _records(csv_path, read_text(csv_path))  # UTF-8, no NUL; a leading BOM dropped
    try:
        header_line, header = next(records)
    except StopIteration:
        raise BadInput(csv_path, "is empty; expected a header row") from None
    _check_header(csv_path, header_line, header)
    if header != list(columns):
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        raise BadInput(
            csv_path,
            f"header does not match the columns documented in {meta_path.name} "
            f"(undocumented: {extra or 'none'}; missing: {missing or 'none'}"
            + ("; order differs" if not (extra or missing) else "")
            + ")",
            place=str(header_line),
        )
    for required in ("source_id", "valid_from", "valid_to"):
        if required not in header:
            raise BadInput(csv_path, f"missing required column {required!r}", place="1")
    checked = [  # (number, column, whether it cites sources; else it holds dates)
        (number, column, column == "source_id" or column.endswith("_source_id"))
        for number, column in enumerate(header, start=1)
        if column == "source_id" or column.endswith("_source_id") or _DATE_COLUMNS.search(column)
    ]
    rows: list[dict[str, Any]] = []
    for line, values in records:
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
        for number, column, cites in checked:  # the columns that cite sources or hold dates
            value = row[column]
            place = f"{line}:{number}"
            if cites:
                if column == "source_id" and not value:
                    raise BadInput(csv_path, "source_id is empty", place=place)
                for sid in (value or "").split(";"):
                    if sid and sid not in sources:
                        raise BadInput(
                            csv_path,
                            f"{column} {_shown(sid)} is not an id in {meta_path.name}",
                            place=place,
                        )
            elif value and not is_date(value):
                what = (
                    "is not a real date"
                    if _PARTIAL_DATE.fullmatch(value)
                    else "is not an ISO date (YYYY-MM-DD, or YYYY-MM or YYYY)"
                )
                raise BadInput(
                    csv_path, f"column {number} {column!r}: {_shown(value)} {what}", place=place
                )
        rows.append(row)
    _check_booleans(csv_path, header, rows)
    if not rows:
        raise BadInput(
            csv_path,
            "has a header but no rows; a reference table holds at least one sourced row",
            place=str(header_line),
        )
    describes = parse_describes(meta_path, meta.get("describes"), columns)
    _check_numbers(csv_path, header, rows, describes)
    return ReferenceTable(
        name=name,
        path=csv_path,
        title=str(meta.get("title") or name),
        description=str(meta.get("description") or ""),
        columns={str(k): str(v) for k, v in columns.items()},
        rows=rows,
        sources=sources,
        describes=describes,
    )


def load_reference(reference_dir: Path) -> dict[str, ReferenceTable]:
    """Every reference table in ``reference_dir``, by name."""
    if not reference_dir.is_dir():
        return {}
    return {p.stem: load_table(p) for p in sorted(reference_dir.glob("*.csv"))}
