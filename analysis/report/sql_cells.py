"""Cells written by DuckDB: a query's rows as a worksheet's XML rows (:mod:`analysis.report.xlsx`)
and as the ledger's CSV lines (:func:`analysis.report.exports.write_csv`), the same text the
Python writers give the same values, made in SQL.

An archive's exports are millions of cells. Python writes about a million rows of the figures
sheet in 15 s; DuckDB writes the same XML in about 4 s, on every core, and hands Python one
string per row. The Python writers stay the reference: the tests write the same records both
ways and compare the bytes. A query with a column of another type (a decimal, a timestamp, a
list) is written by Python, as before; so is a sheet with a text too long for a cell that
holds a character beyond the Basic Multilingual Plane (Excel counts those two UTF-16 units:
where to cut it is found in Python), or with a text too long for a cell in a link column.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
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


def can_write(con: duckdb.DuckDBPyConnection, types: list[str]) -> bool:
    """Whether DuckDB writes the cells of a query of columns of ``types`` on ``con``: each
    type :data:`SUPPORTED`, and the connection keeping a query's order through the numbering
    of its rows (``preserve_insertion_order``, DuckDB's default, not switched off)."""
    if not all(t in SUPPORTED for t in types):
        return False
    (keeps,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    return bool(keeps)


def python_date(col: str) -> str:
    """The date Python is given for a DATE value of ``col``, NULL where it is given a text:
    DuckDB's client gives the infinities as the last and first dates Python has, and a date
    Python cannot hold (after 9999, before year 1) as DuckDB's text of it."""
    return (
        f"CASE WHEN {col} = 'infinity'::DATE THEN DATE '9999-12-31' "
        f"WHEN {col} = '-infinity'::DATE THEN DATE '0001-01-01' "
        f"WHEN year({col}) BETWEEN 1 AND 9999 THEN {col} END"
    )


def float_text(col: str) -> str:
    """A float's text as Python writes it (its repr: DuckDB's shortest text, but for the sign
    DuckDB gives a NaN)."""
    return f"CASE WHEN isnan({col}) THEN 'nan' ELSE CAST(CAST({col} AS DOUBLE) AS VARCHAR) END"


def date_text(col: str) -> str:
    """A DATE value's text as Python writes the value it is given (:func:`python_date`)."""
    return f"coalesce(CAST({python_date(col)} AS VARCHAR), CAST({col} AS VARCHAR))"


def _char_class(codes: list[tuple[int, int]]) -> str:
    """An RE2 character class of the code point ranges ``codes``."""
    body = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in codes)
    return f"[{body}]"


@cache
def _space() -> str:
    """Python's white space (str.strip, str.isspace: 29 characters, not only RE2's six of
    ``\\s``) as an RE2 class, found by testing every code point."""
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


def _xml_cell(col: str, kind: str, letter: str, marker: str | None) -> str:
    """The XML of a cell of column ``col`` (of DuckDB type ``kind``) on row ``rn``: what
    xlsx._cell writes for its value; nothing for a NULL. ``marker``: for a link column, what
    stands in the cell for its style, which Python chooses (:func:`sheet_rows`)."""
    ref = f"'<c r=\"{letter}', rn, '\"'"

    def text_cell(text: str, marker: str | None = None) -> str:
        if marker is not None:
            style = literal(marker)
        else:
            formula = _matches(text, "formula")
            style = f"CASE WHEN {formula} THEN ' s=\"{xlsx.QUOTED}\"' ELSE '' END"
        return f"concat({ref}, {style}, {_inline(text)}, '</c>')"

    if kind == "VARCHAR":
        cell = text_cell(col, marker)
    elif kind in WHOLE_TYPES:
        cell = f"concat({ref}, '><v>', CAST({col} AS VARCHAR), '</v></c>')"
    elif kind == "BOOLEAN":
        cell = f"concat({ref}, ' t=\"b\"><v>', CAST({col} AS INTEGER), '</v></c>')"
    elif kind in FLOAT_TYPES:
        value = f"CAST({col} AS DOUBLE)"
        # a number Excel cannot hold is written as its text, as a text cell
        text = f"CASE WHEN isnan({value}) THEN 'nan' WHEN {value} > 0 THEN 'inf' ELSE '-inf' END"
        cell = (
            f"CASE WHEN isfinite({value}) THEN "
            f"concat({ref}, '><v>', CAST({value} AS VARCHAR), '</v></c>') "
            f"ELSE {text_cell(text)} END"
        )
    elif kind == "DATE":
        day = python_date(col)
        days = f"date_diff('day', DATE '{xlsx.EPOCH.isoformat()}', {day})"
        cell = (
            f"CASE WHEN {day} IS NOT NULL "
            f"THEN concat({ref}, ' s=\"{xlsx.DATE}\"><v>', {days}, '</v></c>') "
            f"ELSE {text_cell(f'CAST({col} AS VARCHAR)')} END"
        )
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


def not_cut_in_sql(col: str) -> str:
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
    link_columns: list[int],
    links: list[tuple[str, str]],
    cut: frozenset[int] = frozenset(),
) -> Iterator[tuple[int, str]]:
    """The XML rows of the first ``n`` records of ``sql`` (columns of DuckDB ``types``, all
    :data:`SUPPORTED`), as :func:`analysis.report.xlsx._sheet_xml` writes them: (rows, XML) a
    chunk at a time. ``link_columns``: by position, the text columns whose web addresses
    are links: DuckDB leaves a marker where such a cell's style goes and gives its text, and
    Python writes the style (:func:`analysis.report.xlsx.text_style`) and adds each link to
    ``links`` as (cell, address), in the order the cells are written (row by row, column by
    column), from the same reading of the query as the cells (rows that tie may come in
    another order at each reading). ``cut``: the text columns
    whose texts too long for a cell are cut (none holding a character beyond the plane:
    :func:`not_cut_in_sql`)."""
    letters = [xlsx.column_letter(i) for i in range(1, len(types) + 1)]
    # a marker per link column: characters XML cannot carry, which no escaped text holds
    markers = {i: f"\x01{j}\x01" for j, i in enumerate(link_columns)}
    cells = [_xml_cell(f"c{i}", kind, letters[i], markers.get(i)) for i, kind in enumerate(types)]
    row = "concat('<row r=\"', rn, '\">', " + ", ".join([*cells, "'</row>'"]) + ")"
    fitted = ["rn"] + [
        f"{_cut(f'c{i}')} AS c{i}" if i in cut else f"c{i}" for i in range(len(types))
    ]
    numbered = _numbered(sql, len(types), n)
    read = ", ".join(["rn", *(f"c{i}" for i in link_columns)])
    styles: dict[str, int] = {}  # by text: a link column's cell style (xlsx.text_style)
    cur = con.cursor()
    try:
        cur.execute(f"SELECT {row}, {read} FROM (SELECT {', '.join(fitted)} FROM ({numbered}))")
        while rows := cur.fetchmany(ROW_CHUNK):
            if not link_columns:
                yield len(rows), "".join(r[0] for r in rows)
                continue
            out = []
            for r in rows:
                xml = r[0]
                for j, i in enumerate(link_columns, start=2):
                    text = r[j]
                    if text is not None:
                        style = styles.get(text)
                        if style is None:
                            style = styles[text] = xlsx.text_style(text, True)
                        if style == xlsx.LINK:
                            links.append((f"{letters[i]}{r[1]}", text))
                        xml = xml.replace(markers[i], xlsx.styled(style), 1)
                out.append(xml)
            yield len(rows), "".join(out)
    finally:
        cur.close()


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
    elif kind in WHOLE_TYPES:
        value = f"CAST({col} AS VARCHAR)"
    elif kind == "DATE":  # a date's text holds no comma, quote or line break
        value = date_text(col)
    elif kind == "BOOLEAN":
        value = f"CASE WHEN {col} THEN 'True' ELSE 'False' END"
    elif kind in FLOAT_TYPES:
        value = float_text(col)
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
