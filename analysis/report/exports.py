"""Exports for other tools: the ledger as CSV and XLSX, and schema.org ClaimReview JSON-LD
for each reviewed claim."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from analysis.errors import BadInput
from analysis.report import sql_cells, xlsx
from analysis.report.cells import neutral
from analysis.report.publication import Publication
from analysis.report.selection import Choice, chosen, chosen_view
from analysis.sqlnames import identifier
from analysis.vocab import ARTICLE_VOICE, COMMENT_VOICE, VERDICT
from analysis.warehouse.query import FETCH_ROWS, connect, fetch_dicts, iter_batches
from analysis.yamlfile import http_url

LEDGER = """WITH deciding AS (
        SELECT k.*, row_number() OVER (PARTITION BY k.claim_id
            ORDER BY (k.verdict = c.verdict) DESC, k.check_id) AS nth
        FROM claim_checks k JOIN claims c USING (claim_id))
    SELECT c.claim_id, c.doc_id, d.title AS document, d.url AS document_url,
           c.speaker, c.quote, c.subject, c.measure, c.as_of,
           v.final_verdict, v.machine_verdict, v.editor_verdict, v.review_status,
           v.reviewer, v.review_date, v.override_reason,
           k.stated_text, k.stated_value, k.computed_text, k.computed_value,
           k.recipe, coalesce(v.override_reason, c.explanation) AS explanation,
           k.source_tier, c.n_checks, c.origin, c.confidence, c.claims_file,
           c.claims_line
    FROM claims c JOIN claim_verdicts v USING (claim_id)
    JOIN documents d ON d.doc_id = c.doc_id
    LEFT JOIN deciding k ON k.claim_id = c.claim_id AND k.nth = 1
    ORDER BY c.doc_id, c.quote_start, c.claim_id"""
"""One row per claim: its final verdict (the editor's where given) beside the machine's,
stated and computed as written and as numbers, how it was checked and on what."""

# The workbook's sheets, each a query in the order its rows are shown: an order on the table's
# key, total, since a sheet is read twice (write_xlsx) and both reads must give the same rows.
SHEETS = {
    "claims": LEDGER,
    "checks": "SELECT * FROM claim_checks ORDER BY doc_id, check_id",
    "figures": "SELECT m.mention_id, m.doc_id, m.surface, m.value, m.kind, m.unit, "
    "m.approx, m.section, m.speaker, c.status, c.dismissal_reason, "
    "c.claim_ids FROM mentions m JOIN mention_coverage c USING (mention_id) "
    "ORDER BY m.doc_id, m.start_offset, m.mention_id",
    "reviews": "SELECT * FROM reviews ORDER BY claim_id",
    "sources": "SELECT * FROM reference_sources ORDER BY table_name, source_id",
}


@dataclass(frozen=True)
class Query:
    """A sheet's records as a query of the warehouse gives them: counted, its columns measured
    (:func:`_measures`: by DuckDB, and those of other types read a batch at a time), then read
    :data:`FETCH_ROWS` at a time to be written, never held whole (an archive's figures run to
    millions of rows, gigabytes as Python values)."""

    con: duckdb.DuckDBPyConnection
    sql: str


Records = list[dict[str, Any]] | Query


def _count(records: Records) -> int:
    if isinstance(records, Query):
        (n,) = records.con.execute(f"SELECT count(*) FROM ({records.sql})").fetchone()
        return int(n)
    return len(records)


def _columns(records: Records) -> list[str]:
    if isinstance(records, Query):
        cur = records.con.execute(f"SELECT * FROM ({records.sql}) LIMIT 0")
        return [d[0] for d in cur.description]
    return list(records[0]) if records else []


def _batches(
    records: Records, columns: list[str], n: int | None = None
) -> Iterator[list[tuple[Any, ...]]]:
    """The first ``n`` records (all, without ``n``) as rows of ``columns``, :data:`FETCH_ROWS`
    at a time (a query is given a ``LIMIT``)."""
    if n is not None and n <= 0:
        return
    if isinstance(records, Query):
        sql = records.sql if n is None else f"{records.sql} LIMIT {int(n)}"
        for _, rows in iter_batches(records.con, sql, FETCH_ROWS):
            yield rows
        return
    end = len(records) if n is None else min(n, len(records))
    for at in range(0, end, FETCH_ROWS):
        yield [tuple(r[c] for c in columns) for r in records[at : min(end, at + FETCH_ROWS)]]


def write_csv(path: Path, records: Records) -> None:
    """UTF-8 with a byte-order mark (Excel reads it as UTF-8), CRLF line ends (RFC 4180: a
    carriage return inside a cell is quoted), text cells neutralised. Written a batch of rows
    at a time to the file (a folder the build publishes only when complete) as ``records``
    come: a :class:`Query` whose columns DuckDB writes (:mod:`analysis.report.sql_cells`)
    streams its lines from DuckDB, the same bytes as Python's csv writer gives its rows, which
    write any other records (an archive's ledger runs to hundreds of megabytes: at 10,000
    articles 10.6 s through Python, 4.6-5.1 s so). No records, no header."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("")  # the byte-order mark, also for a ledger without records
        writer = csv.writer(out, lineterminator="\r\n")
        columns = _columns(records)
        if isinstance(records, Query) and sql_cells.can_write(
            records.con, types := _types(records)
        ):
            for at, lines in enumerate(sql_cells.csv_lines(records.con, records.sql, types)):
                if at == 0:
                    writer.writerow(columns)
                out.write(lines)
            return
        for at, rows in enumerate(_batches(records, columns)):
            if at == 0:
                writer.writerow(columns)
            writer.writerows([_csv_cell(v) for v in row] for row in rows)


def _types(query: Query) -> list[str]:
    """A query's columns' DuckDB types, as DuckDB names them."""
    cur = query.con.execute(f"SELECT * FROM ({query.sql}) LIMIT 0")
    return [str(d[1]) for d in cur.description]


def _csv_cell(value: Any) -> Any:
    return "" if value is None else neutral(value)


URL_COLUMNS = ("url", "document_url")
MAX_WIDTH = 60
EXCEL_ROWS = 1_048_576  # rows of a worksheet, the header's included
EXCEL_CELL_CHARS = xlsx.CELL_CHARS


def _fits_a_cell(text: str) -> str:
    """``text``, or its beginning and "…" when Excel's cell would not hold it (Excel counts
    UTF-16 units: a character beyond the Basic Multilingual Plane, an emoji, counts two)."""
    if len(text) <= EXCEL_CELL_CHARS // 2 or len(text.encode("utf-16-le")) // 2 <= EXCEL_CELL_CHARS:
        return text
    units = 0
    for i, character in enumerate(text):
        units += 2 if ord(character) > 0xFFFF else 1
        if units > EXCEL_CELL_CHARS - 1:  # room for the ellipsis
            return text[:i] + "…"
    return text


@dataclass
class _Measure:
    """What a column's values need, found a batch at a time: their types, the width they
    take (in characters, at most MAX_WIDTH; an empty value, a zero or false counts as
    nothing) and whether a text may be longer than a cell holds (then each is measured).
    For a query's texts, also whether DuckDB can cut those too long for a cell
    (:func:`analysis.report.sql_cells.not_cut_in_sql`)."""

    types: set[type] = field(default_factory=set)
    widest: int = 0
    overflow: bool = False
    cut_in_sql: bool = False  # a query's texts: DuckDB can cut those too long for a cell

    def add(self, column: Sequence[Any]) -> None:
        types = set(map(type, column))
        self.types |= types
        if types <= {str, type(None)}:  # texts only: measured without a test per value
            longest = max(map(len, filter(None, column)), default=0)
            widest = longest
        else:
            longest = max((len(v) for v in column if isinstance(v, str)), default=0)
            widest = max((len(str(v)) for v in column if v), default=0)
        self.widest = max(self.widest, min(widest, MAX_WIDTH))
        self.overflow = self.overflow or longest > EXCEL_CELL_CHARS // 2


def _measured_in_sql(type_name: str, col: str) -> tuple[type, str] | None:
    """(the Python type of the column's values, its widest value's characters, an empty
    value, a zero or false counting as nothing, as SQL), or None when Python measures it.
    Measured in SQL where each value's text as Python writes it is known from DuckDB's (a
    text's characters; a whole number's digits and sign; a boolean's "True"; a float's
    shortest digits, which DuckDB writes as Python's repr does, but for a NaN's sign; a date's
    ISO form); a column of any other type (a decimal, a timestamp) is measured a batch at a
    time in Python, alone."""
    if type_name == "VARCHAR":
        return str, f"max(length({col}))"
    if type_name in sql_cells.WHOLE_TYPES:
        return int, f"max(length(CAST({col} AS VARCHAR))) FILTER (WHERE {col} <> 0)"
    if type_name == "BOOLEAN":
        return bool, f"max(length('True')) FILTER (WHERE {col})"
    if type_name in sql_cells.FLOAT_TYPES:
        value = f"CAST({col} AS DOUBLE)"
        text = sql_cells.float_text(col)
        return float, f"max(length({text})) FILTER (WHERE {value} <> 0 OR isnan({value}))"
    if type_name == "DATE":
        return dt.date, f"max(length({sql_cells.date_text(col)}))"
    return None


def _measures(
    records: Records, columns: list[str], n: int, types: list[str] | None = None
) -> list[_Measure]:
    """What each column of the first ``n`` records needs (:class:`_Measure`). A query's texts,
    numbers, booleans and dates are measured by DuckDB in one pass over its rows, its other
    columns a batch at a time in Python: the rows are not all read into Python once more just
    to be measured (the 10,000-article archive's three large sheets: 7.8-8.7 s measured in
    Python, 3.7-4.0 s so, the same widths)."""
    measures = [_Measure() for _ in columns]
    rest = list(range(len(columns)))  # the columns Python measures
    source = records
    if isinstance(records, Query) and n > 0:
        first = f"({records.sql} LIMIT {int(n)})"
        in_sql: list[tuple[int, type]] = []
        parts: list[str] = []
        for i, (name, kind) in enumerate(
            zip(columns, _types(records) if types is None else types, strict=True)
        ):
            col = identifier(name)
            found = _measured_in_sql(kind, col)
            if found is not None:
                in_sql.append((i, found[0]))
                parts += [f"count({col})", found[1]]
                if found[0] is str:
                    parts.append(sql_cells.not_cut_in_sql(col))
        if parts:
            row = iter(records.con.execute(f"SELECT {', '.join(parts)} FROM {first}").fetchone())
            for i, kind in in_sql:
                present, widest = next(row), next(row) or 0
                measures[i].types = {kind} if present else {type(None)}
                measures[i].widest = min(widest, MAX_WIDTH)
                measures[i].overflow = kind is str and widest > EXCEL_CELL_CHARS // 2
                if kind is str:
                    measures[i].cut_in_sql = next(row) == 0
        done = {i for i, _ in in_sql}
        rest = [i for i in rest if i not in done]
        names = ", ".join(identifier(columns[i]) for i in rest)
        source = Query(records.con, f"SELECT {names} FROM {first}")
    if rest:
        for batch in _batches(source, [columns[i] for i in rest], n):
            for i, column in zip(rest, zip(*batch, strict=True), strict=True):
                measures[i].add(column)
    return measures


def _cut(batches: Iterable[list[tuple[Any, ...]]], overflow: list[int]) -> Iterator[Sequence[Any]]:
    """The rows of ``batches``, each text of the ``overflow`` columns fitted to a cell."""
    for batch in batches:
        if not overflow:
            yield from batch
            continue
        for row in batch:
            cells = list(row)
            for i in overflow:
                if isinstance(cells[i], str):
                    cells[i] = _fits_a_cell(cells[i])
            yield cells


def write_xlsx(
    path: Path, sheets: dict[str, Records], stamp: Any, max_rows: int = EXCEL_ROWS
) -> None:
    """A workbook an editor can use: typed cells (dates, numbers, booleans, links), a bold
    frozen header with filters, column widths that fit, and no cell that is a formula.
    Within Excel's limits (docs/outputs.md): a text longer than a cell holds is cut, ending
    in "…"; a sheet of more records than ``max_rows`` rows hold shows the first ones and says
    on its last row how many more there are. A sheet's records are a list, or a
    :class:`Query` read a batch at a time: the same workbook either way."""
    out = [_sheet(name, records, max_rows) for name, records in sheets.items()]
    xlsx.write_workbook(path, out, stamp, creator="iom-factcheck-analysis")


def _sheet(name: str, records: Records, max_rows: int) -> xlsx.Sheet:
    """A sheet of ``records``: measured, then its rows written by DuckDB where it can
    (:mod:`analysis.report.sql_cells`: a query whose columns it writes, whose texts too long
    for a cell it can cut), else by :mod:`analysis.report.xlsx` from the records."""
    total = _count(records)
    columns = _columns(records) if total else []
    shown = total if total <= max_rows - 1 else max_rows - 2
    types = _types(records) if isinstance(records, Query) else None
    measures = _measures(records, columns, shown, types)
    link_columns = frozenset(i for i, c in enumerate(columns) if c in URL_COLUMNS)
    overflow = [i for i, m in enumerate(measures) if m.overflow]
    note = None
    if shown < total:
        note = (
            f"… {total - shown:,} more rows: a worksheet holds {max_rows:,} "
            "rows; every row is in the warehouse (analysis sql)"
            + (" and in claims.csv" if name == "claims" else "")
        )
    sheet = xlsx.Sheet(
        name[:31],
        columns,
        iter(()),
        shown,
        [max(len(c), m.widest) + 2 for c, m in zip(columns, measures, strict=True)],
        [xlsx.kind_of(m.types, i in link_columns) for i, m in enumerate(measures)],
        link_columns,
        note,
    )
    if (
        isinstance(records, Query)
        and types is not None
        and columns
        and sql_cells.can_write(records.con, types)
        and all(measures[i].cut_in_sql and i not in link_columns for i in overflow)
    ):
        sheet.rendered = sql_cells.sheet_rows(
            records.con,
            records.sql,
            types,
            shown,
            [i for i in sorted(link_columns) if types[i] == "VARCHAR"],
            sheet.links,
            frozenset(overflow),
        )
    elif columns:
        sheet.rows = _cut(_batches(records, columns, shown), overflow)
    else:
        sheet.rows = iter([[]] * shown)
    return sheet


def claim_reviews(
    con: duckdb.DuckDBPyConnection, publication: Publication, here: str = "exports/"
) -> list[dict[str, Any]]:
    """schema.org ClaimReview for each reviewed claim (approved or disputed) whose verdict has a
    rating: the fact-check markup's required fields (a top-level ``url`` per claim,
    ``datePublished``, an ``author`` organization, a ``reviewRating`` with ``ratingValue``,
    ``bestRating``, ``worstRating`` and ``alternateName``, an ``itemReviewed`` Claim whose
    ``appearance`` carries the article's address and date). A claim the desk found not checkable
    is not a fact-check and has no ClaimReview."""
    out = []
    for r in fetch_dicts(
        con,
        """SELECT c.claim_id, c.quote, c.speaker, v.final_verdict, v.review_date,
                  v.review_status, c.explanation, v.override_reason,
                  d.title, d.outlet, d.author, d.url, d.date_published, d.as_of
           FROM claims c JOIN claim_verdicts v USING (claim_id) JOIN documents d
             ON d.doc_id = c.doc_id
           WHERE v.review_status IN ('approved', 'disputed')
           ORDER BY c.doc_id, c.quote_start, c.claim_id""",
    ):
        verdict = VERDICT[r["final_verdict"]]
        if verdict.rating is None:
            continue
        desk: dict[str, Any] = {"@type": "Organization", "name": publication.desk}
        if publication.desk_url:
            desk["url"] = publication.desk_url
        appearance: dict[str, Any] = {
            "@type": "NewsArticle",
            "headline": r["title"],
            "publisher": {"@type": "Organization", "name": r["outlet"]},
        }
        if http_url(r["url"]):
            appearance["url"] = r["url"]
        if r["date_published"]:
            appearance["datePublished"] = r["date_published"].isoformat()
        if r["speaker"] == ARTICLE_VOICE:
            appearance["author"] = {"@type": "Person", "name": r["author"]}
            claimant: dict[str, Any] = {"@type": "Organization", "name": r["outlet"]}
        elif r["speaker"].startswith(COMMENT_VOICE):
            # a reader comment under the article: an anonymous reader, not a person named so
            claimant = {"@type": "Person", "name": "An anonymous reader"}
            appearance = {
                "@type": "Comment",
                "text": r["quote"],
                "isPartOf": appearance,
                **({"url": appearance["url"]} if "url" in appearance else {}),
            }
        else:
            claimant = {"@type": "Person", "name": r["speaker"]}
        out.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": publication.claim_url(r["claim_id"], here),
                "identifier": r["claim_id"],
                "claimReviewed": r["quote"],
                "author": desk,
                "datePublished": r["review_date"].isoformat(),
                "itemReviewed": {
                    "@type": "Claim",
                    "author": claimant,
                    "appearance": appearance,
                    "firstAppearance": appearance,
                    **(
                        {"datePublished": r["date_published"].isoformat()}
                        if r["date_published"]
                        else {}
                    ),
                },
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": verdict.rating,
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": verdict.rating_name,
                    "ratingExplanation": r["override_reason"] or r["explanation"],
                },
            }
        )
    return out


def workbook_fits(con: duckdb.DuckDBPyConnection, rows: int | None = None) -> bool:
    """Whether every sheet of the workbook fits a worksheet of ``rows`` rows (by default
    :data:`EXCEL_ROWS`) whole, its header besides: the build writes the workbook only then
    (docs/outputs.md, "Exports")."""
    limit = EXCEL_ROWS if rows is None else rows
    return all(_count(Query(con, sql)) <= limit - 1 for sql in SHEETS.values())


def _stamp(con: duckdb.DuckDBPyConnection) -> Any:
    """The workbook's date: the latest date judged as of; documents with no date at all give
    the zip format's epoch, so the bytes stay the same from build to build."""
    (stamp,) = con.execute(
        "SELECT coalesce(max(as_of), DATE '1980-01-01')::TIMESTAMP FROM documents"
    ).fetchone()
    return stamp


def write_exports(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    publication: Publication,
    workbook: bool | None = None,
) -> list[Path]:
    """The ledger, the workbook when ``workbook`` (by default while it fits,
    :func:`workbook_fits`) and the ClaimReview markup, into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "claims.csv", out_dir / "claimreview.jsonld"]
    write_csv(written[0], Query(con, LEDGER))
    written[1].write_text(
        json.dumps(claim_reviews(con, publication), ensure_ascii=False, indent=1) + "\n",
        "utf-8",
    )
    book = out_dir / "claims.xlsx"
    if workbook_fits(con) if workbook is None else workbook:
        written.insert(1, book)
        write_workbook(con, book)
    else:  # one an earlier `analysis report` wrote into this folder is no longer the archive's
        book.unlink(missing_ok=True)
    return written


def write_workbook(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The workbook of the warehouse ``con`` reads, every sheet (cut at Excel's limits)."""
    write_xlsx(path, {name: Query(con, sql) for name, sql in SHEETS.items()}, _stamp(con))


def export(warehouse: Path, out: Path, choice: Choice) -> tuple[int, int]:
    """The workbook (``out`` ending in .xlsx) or the ledger (.csv) of the articles ``choice``
    asks for, from ``warehouse``, written beside ``out`` (checked by
    :func:`~analysis.warehouse.query.check_out`) and renamed over it once whole; returns the
    numbers of articles and claims written."""
    with connect(warehouse) as con:
        doc_ids = chosen(con, choice)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    source = connect(warehouse) if choice.everything else chosen_view(warehouse, doc_ids)
    try:
        with source as con:
            if out.suffix.lower() == ".xlsx":
                write_workbook(con, tmp)
            else:
                write_csv(tmp, Query(con, LEDGER))
            (claims,) = con.execute("SELECT count(*) FROM claims").fetchone()
        os.replace(tmp, out)
    except duckdb.CatalogException as err:  # a table or column an older warehouse lacks
        raise BadInput(
            warehouse,
            f"this warehouse lacks what the exports read ({str(err).splitlines()[0]}); "
            "run `analysis build` to rebuild it with this version",
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return len(doc_ids), claims
