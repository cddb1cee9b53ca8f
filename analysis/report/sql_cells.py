"""Cells written by DuckDB: a query's rows as a worksheet's XML rows (:mod:`analysis.report.xlsx`)
and as the ledger's CSV lines (:func:`analysis.report.exports.write_csv`), the same text the
Python writers give the same values, made in SQL.

An archive's exports are millions of cells. Python writes about a million rows of the figures
sheet in 15 s; DuckDB writes the same XML in about 4 s, on every core, and hands Python one
string per row. The Python writers stay the reference: the tests write the same records both
ways and compare the bytes. A query with a column of another type (a decimal, a timestamp, a
list) is written by Python, as before; so is a sheet with a text too long for a cell that
holds a character beyond the Basic Multilingual Plane (Excel counts those two UTF-16 units:
where to cut it is found in Python), or with such a text in a link column.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from functools import cache

import duckdb

from analysis.report import xlsx
from analysis.report.cells import FORMULA_STARTS
from analysis.sqlnames import literal

WHOLE_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
    | {"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
)
"""DuckDB's whole-number types: a value's text is Python's ``str`` of it."""
FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT"})
"""Written as a double's shortest text, which DuckDB gives as Python's ``repr`` (but for the
sign of a NaN, which Python never prints)."""
SUPPORTED = WHOLE_TYPES | FLOAT_TYPES | {"VARCHAR", "BOOLEAN", "DATE"}
"""The DuckDB types whose cells DuckDB writes."""

ROW_CHUNK = 2_000  # rows fetched at a time (each one string)


def supports(types: list[str]) -> bool:
    return all(t in SUPPORTED for t in types)


def _char_class(codes: list[tuple[int, int]]) -> str:
    """An RE2 character class of the code point ranges ``codes``."""
    body = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in codes)
    return f"[{body}]"


@cache
def _space() -> str:
    """Python's white space (str.strip, str.isspace: 25 characters, not only RE2's ``\\s``) as
    an RE2 class, found by testing every code point (surrogates aside: DuckDB's text is
    UTF-8)."""
    codes = [c for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    return _char_class([(c, c) for c in codes])


@cache
def _patterns() -> dict[str, str]:
    space = _space()
    # XML's illegal characters but the surrogates, which no UTF-8 text holds
    illegal = [(a, b) for a, b in xlsx.ILLEGAL_RANGES if not 0xD800 <= a <= 0xDFFF]
    escaped = sorted(illegal + [(ord(c), ord(c)) for c in "&<>"])
    return {
        # a text whose edges are white space, or which holds a line break, keeps them
        "preserve": f"^{space}|{space}$|\\n",
        "illegal": _char_class(illegal),
        "escaped": _char_class(escaped),
        "formula": "^" + _char_class([(ord(c), ord(c)) for c in FORMULA_STARTS]),
        # what Python's csv writer quotes a field for: the delimiter, the quote, and the
        # characters of the line terminator
        "csv_quoted": _char_class([(ord(c), ord(c)) for c in ',"\r\n']),
    }


def _matches(col: str, pattern: str) -> str:
    """Whether ``col`` matches the pattern named ``pattern`` (:func:`_patterns`)."""
    return f"regexp_matches({col}, {literal(_patterns()[pattern])})"


def _xml_text(col: str) -> str:
    """xlsx.text in SQL: & < > escaped, a character XML cannot carry replaced by U+FFFD."""
    escaped = f"replace(replace(replace({col}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    replaced = f"regexp_replace({escaped}, {literal(_patterns()['illegal'])}, '\ufffd', 'g')"
    return f"CASE WHEN {_matches(col, 'escaped')} THEN {replaced} ELSE {col} END"


def _inline(col: str) -> str:
    """xlsx.inline in SQL."""
    kept = f"CASE WHEN {_matches(col, 'preserve')} THEN ' xml:space=\"preserve\"' ELSE '' END"
    return f"concat(' t=\"inlineStr\"><is><t', {kept}, '>', {_xml_text(col)}, '</t></is>')"


def _xml_cell(col: str, kind: str, letter: str, links: list[str] | None) -> str:
    """The XML of a cell of column ``col`` (of DuckDB type ``kind``) on row ``rn``: what
    xlsx._cell writes for its value; nothing for a NULL. ``links``: the column's addresses
    written as links (a link column's), else None."""
    ref = f"'<c r=\"{letter}', rn, '\"'"
    if kind == "VARCHAR":
        styles = [f"WHEN {_matches(col, 'formula')} THEN ' s=\"{xlsx.QUOTED}\"'"]
        if links is not None:
            listed = ", ".join(literal(a) for a in links)
            styles.insert(
                0,
                f"WHEN {col} IN (SELECT unnest(CAST([{listed}] AS VARCHAR[]))) "
                f"THEN ' s=\"{xlsx.LINK}\"'",
            )
        style = f"CASE {' '.join(styles)} ELSE '' END"
        cell = f"concat({ref}, {style}, {_inline(col)}, '</c>')"
    elif kind in WHOLE_TYPES:
        cell = f"concat({ref}, '><v>', CAST({col} AS VARCHAR), '</v></c>')"
    elif kind == "BOOLEAN":
        cell = f"concat({ref}, ' t=\"b\"><v>', CAST({col} AS INTEGER), '</v></c>')"
    elif kind in FLOAT_TYPES:
        value = f"CAST({col} AS DOUBLE)"
        # a number Excel cannot hold is written as its text, as a text cell ('-inf' begins
        # as a formula would)
        text = f"CASE WHEN isnan({value}) THEN 'nan' WHEN {value} > 0 THEN 'inf' ELSE '-inf' END"
        style = f"CASE WHEN {value} < 0 THEN ' s=\"{xlsx.QUOTED}\"' ELSE '' END"
        cell = (
            f"CASE WHEN isfinite({value}) THEN "
            f"concat({ref}, '><v>', CAST({value} AS VARCHAR), '</v></c>') "
            f"ELSE concat({ref}, {style}, {_inline(text)}, '</c>') END"
        )
    elif kind == "DATE":
        days = f"date_diff('day', DATE '{xlsx.EPOCH.isoformat()}', {col})"
        cell = f"concat({ref}, ' s=\"{xlsx.DATE}\"><v>', {days}, '</v></c>')"
    else:
        raise ValueError(f"no SQL cell for DuckDB type {kind}")
    return f"CASE WHEN {col} IS NULL THEN '' ELSE {cell} END"


def _numbered(sql: str, n_columns: int, n: int) -> str:
    """The first ``n`` rows of ``sql`` in its order, each numbered ``rn`` as on its sheet
    (from 2: the header is row 1), its columns named c0, c1, …. DuckDB keeps a subquery's
    order through a window function with an empty OVER clause and a projection (its "order
    preservation" rules)."""
    names = ", ".join(f"c{i}" for i in range(n_columns))
    return (
        f"SELECT row_number() OVER () + 1 AS rn, * FROM "
        f"(SELECT * FROM ({sql}) LIMIT {int(n)}) AS t({names})"
    )


def _units(col: str) -> str:
    """A text's length in UTF-16 units, as Excel counts them: a character beyond the Basic
    Multilingual Plane counts two."""
    rest = f"regexp_replace({col}, '[\\x{{10000}}-\\x{{10ffff}}]', '', 'g')"
    return f"(2 * length({col}) - length({rest}))"


def cut_beyond_the_plane(col: str) -> str:
    """An aggregate: how many texts of ``col`` DuckDB could not cut as exports._fits_a_cell
    does: those too long for a cell that hold a character beyond the Basic Multilingual Plane
    (where to cut them is found in Python). Those of the plane are cut after 32,766
    characters."""
    # the units counted only for a text long enough (CASE evaluates a branch only for the
    # rows it selects; DuckDB may evaluate both sides of an AND)
    units = f"CASE WHEN length({col}) > {xlsx.CELL_CHARS // 2} THEN {_units(col)} ELSE 0 END"
    return f"count(*) FILTER (WHERE {units} > greatest({xlsx.CELL_CHARS}, length({col})))"


def _cut(col: str) -> str:
    """exports._fits_a_cell in SQL, for a text of the Basic Multilingual Plane."""
    return (
        f"CASE WHEN length({col}) > {xlsx.CELL_CHARS} "
        f"THEN concat(left({col}, {xlsx.CELL_CHARS - 1}), '…') ELSE {col} END"
    )


def sheet_rows(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    types: list[str],
    n: int,
    link_columns: dict[int, list[str]],
    cut: frozenset[int] = frozenset(),
) -> Iterator[tuple[int, str]]:
    """The XML rows of the first ``n`` records of ``sql`` (columns of DuckDB ``types``, all
    :data:`SUPPORTED`), as :func:`analysis.report.xlsx._sheet_xml` writes them: (rows, XML) a
    chunk at a time. ``link_columns``: by position, the addresses of each link column that
    are written as links; ``cut``: the text columns whose texts too long for a cell are cut
    (none of them holding a character beyond the plane: :func:`cut_beyond_the_plane`)."""
    letters = [xlsx.column_letter(i) for i in range(1, len(types) + 1)]
    cells = [
        _xml_cell(f"c{i}", kind, letters[i], link_columns.get(i)) for i, kind in enumerate(types)
    ]
    row = "concat('<row r=\"', rn, '\">', " + ", ".join([*cells, "'</row>'"]) + ")"
    fitted = ", ".join(
        ["rn", *(f"{_cut(f'c{i}')} AS c{i}" if i in cut else f"c{i}" for i in range(len(types)))]
    )
    numbered = _numbered(sql, len(types), n)
    cur = con.cursor()
    try:
        cur.execute(f"SELECT {row} FROM (SELECT {fitted} FROM ({numbered}))")
        while rows := cur.fetchmany(ROW_CHUNK):
            yield len(rows), "".join(r[0] for r in rows)
    finally:
        cur.close()


def links(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    n_columns: int,
    n: int,
    columns: list[int],
    is_address: Callable[[str], object],
) -> tuple[dict[int, list[str]], list[tuple[str, str]]]:
    """The link columns' texts among the first ``n`` records of ``sql``, read once: by
    column, its distinct texts for which ``is_address`` holds (written as links), and
    (cell, address) of each link, in the order the sheet's cells are written (row by row,
    column by column)."""
    if not columns or n <= 0:
        return {i: [] for i in columns}, []
    names = ", ".join(f"c{i}" for i in columns)
    rows = con.execute(
        f"SELECT rn, {names} FROM ({_numbered(sql, n_columns, n)}) "
        f"WHERE {' OR '.join(f'c{i} IS NOT NULL' for i in columns)} ORDER BY rn"
    ).fetchall()
    addresses: dict[int, list[str]] = {}
    found: list[tuple[str, str]] = []
    for j, i in enumerate(columns):
        texts = {row[1 + j] for row in rows} - {None}
        addresses[i] = sorted(t for t in texts if is_address(t))
    linked = {i: frozenset(a) for i, a in addresses.items()}
    for row in rows:
        for j, i in enumerate(columns):
            if row[1 + j] in linked[i]:
                found.append((f"{xlsx.column_letter(i + 1)}{row[0]}", row[1 + j]))
    return addresses, found


def _csv_field(col: str, kind: str) -> str:
    """A field of column ``col`` as Python's csv writer writes the value exports._csv_cell
    gives it: a text neutralised, quoted when it holds a comma, a quote or a line break;
    a NULL empty."""
    if kind == "VARCHAR":
        text = f"CASE WHEN {_matches(col, 'formula')} THEN concat('''', {col}) ELSE {col} END"
        value = (
            f"CASE WHEN {_matches(col, 'csv_quoted')} "
            f"THEN concat('\"', replace({text}, '\"', '\"\"'), '\"') ELSE {text} END"
        )
    elif kind in WHOLE_TYPES or kind == "DATE":
        value = f"CAST({col} AS VARCHAR)"
    elif kind == "BOOLEAN":
        value = f"CASE WHEN {col} THEN 'True' ELSE 'False' END"
    elif kind in FLOAT_TYPES:
        value = f"CASE WHEN isnan({col}) THEN 'nan' ELSE CAST(CAST({col} AS DOUBLE) AS VARCHAR) END"
    else:
        raise ValueError(f"no SQL field for DuckDB type {kind}")
    return f"CASE WHEN {col} IS NULL THEN '' ELSE {value} END"


def csv_lines(con: duckdb.DuckDBPyConnection, sql: str, types: list[str]) -> Iterator[str]:
    """The CSV lines of every record of ``sql`` (columns of DuckDB ``types``, all
    :data:`SUPPORTED`), CRLF-ended, as Python's csv writer writes them, a chunk at a time."""
    fields = [_csv_field(f"c{i}", kind) for i, kind in enumerate(types)]
    line = "concat(" + ", ',', ".join(fields) + ", '\r\n')"
    if len(fields) == 1:  # Python's writer quotes a record that would be an empty line
        line = f"CASE WHEN {fields[0]} = '' THEN '\"\"\r\n' ELSE {line} END"
    names = ", ".join(f"c{i}" for i in range(len(types)))
    cur = con.cursor()
    try:
        cur.execute(f"SELECT {line} FROM ({sql}) AS t({names})")
        while rows := cur.fetchmany(ROW_CHUNK):
            yield "".join(r[0] for r in rows)
    finally:
        cur.close()
