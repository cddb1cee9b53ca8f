"""Creating a warehouse file and loading the pipeline's tables into it.

Tables and their column types come from :mod:`analysis.warehouse.catalog`; each frame builder
here only maps the pipeline's objects to the catalog's column names. Reference tables become
``ref_<name>`` with their columns typed from the values and documented from the source record.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from analysis import threads
from analysis.documents.model import Document
from analysis.documents.sections import Section
from analysis.files import copy_file
from analysis.reference.tables import SQL_TYPES
from analysis.sqlnames import identifier, literal
from analysis.vocab import HAND, MENTION_ID_SQL
from analysis.warehouse.catalog import (
    PER_DOCUMENT,
    TABLE,
    polars_schema,
    schema_sql,
    verdict_rows,
)

# DuckDB's default 256 KiB blocks plus one block per table make a small warehouse weigh megabytes;
# 16 KiB blocks keep it proportional to its data (and the DuckDB 1.5 shell still opens it).
BLOCK_SIZE = 16384
# FSST, DuckDB's string compression, is analysed for every string segment at the checkpoint
# whatever it then picks. Below this much document text it picks little: the seed's file is
# 2 % larger without it (2.88 MB against 2.81), five 20 KB articles' 4 %, for a checkpoint
# 0.08-0.2 s shorter; from 100 articles on it saves 11-14 % (1,000 articles: 145 MB against
# 165 MB), and is kept (measured on the benchmark archive; README, "Ad hoc SQL").
FSST_FROM_TEXT_BYTES = 256 * 1024
_VIEW_NAME = re.compile(r"CREATE VIEW (\w+)")


def create(path: Path, text_bytes: int, rows: int) -> duckdb.DuckDBPyConnection:
    """A new, empty warehouse at ``path`` with the catalog's tables, for documents holding
    ``text_bytes`` of text in all (strings are stored without FSST below
    :data:`FSST_FROM_TEXT_BYTES`) and tables of about ``rows`` rows at most (DuckDB's threads
    follow it: :mod:`analysis.threads`).

    The build's read-write connection may touch the warehouse file, its write-ahead log and its
    staging folder (:func:`staging_dir`) alone: every frame arrives from Python as a Parquet
    file the build writes there a moment before (``insert``). External access is otherwise off
    (no ``COPY … TO``, ``read_csv`` or ``ATTACH`` elsewhere, no extensions), Python variables
    are not scanned by name, and the configuration is locked, whatever SQL reaches it
    (docs/hostile-input.md, §3)."""
    _remove(path)
    con = _connect(path, text_bytes, rows)
    with transaction(con):
        con.execute(schema_sql())
    return con


def carry(
    path: Path,
    previous: Path,
    kept: Collection[str],
    unchanged: Callable[[], bool],
    text_bytes: int,
    rows: int,
) -> duckdb.DuckDBPyConnection | None:
    """A new warehouse at ``path`` (which must not exist) made from a copy of ``previous``,
    the warehouse the last build published, keeping the rows of the documents ``kept`` in the
    tables of :data:`~analysis.warehouse.catalog.PER_DOCUMENT`: their other documents' rows
    are deleted, every table outside the catalog (the reference tables) and every view
    dropped, in one transaction; the caller then loads the rest, merging into the catalog's
    other tables (:class:`Merging`; docs/architecture.md, "The warehouse carried forward").
    None, and nothing left of the copy, when ``previous`` changed while it was copied (asked
    of ``unchanged`` after the copy), or the copy cannot be made or opened (a full disk, a
    file caught mid-write): the caller then creates an empty one."""
    try:
        copy_file(previous, path)
        if not unchanged():
            raise OSError("the warehouse changed while it was copied")
        con = _connect(path, text_bytes, rows)
    except (OSError, duckdb.Error):
        _remove(path)
        return None
    try:
        with transaction(con):
            _keep_only(con, kept)
    except duckdb.Error:
        con.close()
        _remove(path)
        return None
    return con


def _remove(path: Path) -> None:
    """The warehouse file at ``path``, its write-ahead log and its staging folder removed."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(staging_dir(path.absolute()), ignore_errors=True)


def _keep_only(con: duckdb.DuckDBPyConnection, kept: Collection[str]) -> None:
    views = con.execute(
        "SELECT view_name FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal"
    ).fetchall()
    for (name,) in views:
        con.execute(f"DROP VIEW {identifier(name)}")
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall()
    # the ids as a staged file, like every frame: a bound Python list would import pandas
    with _staged(con, "kept", pl.DataFrame({"doc_id": sorted(kept)}, {"doc_id": pl.String})) as ids:
        for (name,) in tables:
            if name in PER_DOCUMENT:
                con.execute(
                    f"DELETE FROM {identifier(name)} WHERE doc_id NOT IN (SELECT doc_id FROM {ids})"
                )
            elif name not in TABLE:
                con.execute(f"DROP TABLE {identifier(name)}")


def _connect(path: Path, text_bytes: int, rows: int) -> duckdb.DuckDBPyConnection:
    """The build's locked-down read-write connection to the warehouse file at ``path``
    (:func:`create`)."""
    target = path.absolute().as_posix()
    own_files = [target + suffix for suffix in ("", ".wal", ".wal.checkpoint", ".wal.recovery")]
    staging = staging_dir(path.absolute())
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    con = duckdb.connect(
        ":memory:",
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "python_enable_replacements": False,
            **threads.for_rows(rows),
        },
    )
    con.execute(f"SET allowed_paths = [{', '.join(literal(f) for f in own_files)}]")
    con.execute(f"SET allowed_directories = [{literal(staging.as_posix() + '/')}]")
    if text_bytes < FSST_FROM_TEXT_BYTES:
        con.execute("SET disabled_compression_methods = 'fsst'")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    con.execute(f"ATTACH {literal(target)} AS wh (BLOCK_SIZE {BLOCK_SIZE})")
    con.execute("USE wh")
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The statements run inside as one transaction: committed together at the end, rolled
    back if one fails. DuckDB commits each statement on its own otherwise, and a commit writes
    the log: one transaction makes the catalog's hundreds of statements about six times
    faster."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def view_files() -> list[tuple[str, str]]:
    """(name, SQL) of every view, one file each in ``views/``, by file name."""
    folder = resources.files("analysis.warehouse").joinpath("views")
    found = sorted(
        (f.name, f.read_text("utf-8")) for f in folder.iterdir() if f.name.endswith(".sql")
    )
    return [(name.removesuffix(".sql"), sql) for name, sql in found]


def _by_dependency(views: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``views`` ordered so that a view comes after the views its SQL names (by name order
    among those free to go next): created in one pass when every table exists."""
    names = {name for name, _ in views}
    needs = {
        name: {n for n in names if n != name and re.search(rf"\b{re.escape(n)}\b", sql)}
        for name, sql in views
    }
    done: set[str] = set()
    ordered: list[tuple[str, str]] = []
    while len(ordered) < len(views):
        ready = [(n, sql) for n, sql in views if n not in done and needs[n] <= done]
        if not ready:  # a name in a comment or a string may look like a cycle: name order
            ready = [(n, sql) for n, sql in views if n not in done]
        ordered.append(ready[0])
        done.add(ready[0][0])
    return ordered


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create every view whose tables exist, in dependency order (declared by the names in
    their SQL, and by trying again); returns the names of the views skipped because a
    reference table they read is absent."""
    pending = _by_dependency(view_files())
    try:  # all at once when every table exists (the usual case)
        with transaction(con):
            for _, sql in pending:
                con.execute(sql)  # the file's statements, parsed once
        return []
    except duckdb.CatalogException:
        pass  # rolled back: one at a time, skipping those whose tables are absent
    while pending:
        failed = []
        for name, sql in pending:
            try:
                for statement in con.extract_statements(sql):
                    con.execute(statement.query)
            except duckdb.CatalogException:
                con.execute(f"DROP VIEW IF EXISTS {identifier(name)}")
                failed.append((name, sql))
        if len(failed) == len(pending):
            return [name for name, _ in failed]
        pending = failed
    return []


def frame(table: str, records: list[dict[str, Any]]) -> pl.DataFrame:
    """``records`` as a frame with the catalog's columns and types for ``table``."""
    return pl.DataFrame(records, schema=polars_schema(table), orient="row")


def staging_dir(path: Path) -> Path:
    """The folder beside the warehouse at ``path`` where the build stages the frames it loads
    (``.warehouse-PID.duckdb`` → ``.warehouse-PID.staging``); removed after the load."""
    return path.with_name(path.name.removesuffix(".duckdb") + ".staging")


_STAGED = itertools.count()


@contextmanager
def _staged(con: duckdb.DuckDBPyConnection, table: str, data: pl.DataFrame) -> Iterator[str]:
    """``data`` as a Parquet file in the staging folder, named for SQL (``read_parquet(…)``),
    removed after."""
    (target,) = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    # a new name each time: DuckDB may keep a Parquet file's metadata by its name and time, and
    # a file written again under one name within the same tick was read as its first version
    staged = staging_dir(Path(target)) / f"{table}-{next(_STAGED)}.parquet"
    data.write_parquet(staged, compression="uncompressed", statistics=False)
    try:
        yield f"read_parquet({literal(staged.as_posix())})"
    finally:
        staged.unlink(missing_ok=True)


def insert(con: duckdb.DuckDBPyConnection, table: str, data: pl.DataFrame) -> None:
    """Append ``data`` to ``table``, matching columns by name. The frame goes through a
    Parquet file in the staging folder: DuckDB's scan of a Python frame would import pyarrow
    and pandas (0.4 s of every build), and Parquet keeps every type."""
    if data.is_empty():
        return
    columns = ", ".join(identifier(c) for c in data.columns)
    with _staged(con, table, data) as rows:
        con.execute(f"INSERT INTO {identifier(table)} ({columns}) SELECT {columns} FROM {rows}")


def merge(
    con: duckdb.DuckDBPyConnection, table: str, data: pl.DataFrame
) -> frozenset[str | None] | None:
    """Make ``table`` (of exactly ``data``'s columns) hold ``data``'s rows, deleting its rows
    that ``data`` does not hold and inserting those of ``data`` it does not, compared on every
    column (a null equal to a null; a float by its shortest text, so that -0.0 is not 0.0): a
    carried warehouse's tables change by what changed, and its file does not grow by a copy
    of each (rows deleted leave their blocks free, which DuckDB never gives back). When
    ``data`` repeats a row, or the table did (it then holds more rows than ``data`` after),
    a comparison cannot tell how many: the table is emptied and ``data`` inserted.

    What changed: the ``doc_id`` of each row deleted or inserted (None for every row of a table
    without one), empty when nothing did; None when the table was emptied and loaded."""
    name = identifier(table)
    doc = "doc_id" if "doc_id" in data.columns else "NULL"
    if data.is_empty():
        return _changed(con, f"DELETE FROM {name} RETURNING {doc}")
    columns = ", ".join(identifier(c) for c in data.columns)
    same = " AND ".join(_same(identifier(c), kind == pl.Float64) for c, kind in data.schema.items())
    with _staged(con, table, data) as rows:
        new = f"(SELECT {columns} FROM {rows})"
        if not data.is_duplicated().any():
            changed = _changed(
                con,
                f"DELETE FROM {name} WHERE rowid IN "
                f"(SELECT t.rowid FROM {name} t ANTI JOIN {new} n ON {same}) RETURNING {doc}",
            ) | _changed(
                con,
                f"INSERT INTO {name} ({columns}) "
                f"SELECT {columns} FROM {new} n ANTI JOIN {name} t ON {same} RETURNING {doc}",
            )
            (n,) = con.execute(f"SELECT count(*) FROM {name}").fetchone()
            if n == data.height:  # no row repeated: every row is one of data's, and each of
                return changed  # data's rows is there
        con.execute(f"DELETE FROM {name}")
        con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {rows}")
        return None


def _changed(con: duckdb.DuckDBPyConnection, statement: str) -> frozenset[str | None]:
    """The distinct values a statement ``RETURNING`` one column gives."""
    return frozenset(r[0] for r in con.execute(statement).fetchall())


def _same(column: str, floating: bool) -> str:
    """SQL: the column's value in ``t`` is the one in ``n`` (a float's by its shortest text)."""
    if floating:
        return f"CAST(t.{column} AS VARCHAR) IS NOT DISTINCT FROM CAST(n.{column} AS VARCHAR)"
    return f"t.{column} IS NOT DISTINCT FROM n.{column}"


# how a table's rows go into the warehouse: appended to an empty table (insert), or merged
# into a carried one (Merging)
Put = Callable[[duckdb.DuckDBPyConnection, str, pl.DataFrame], None]


class Merging:
    """The :data:`Put` of a carried warehouse (:func:`carry`): each table given :func:`merge`d,
    what changed in it kept in :attr:`changes`, and :meth:`empty_the_rest` empties the
    catalog's tables given nothing (build_info, which is inserted after)."""

    def __init__(self) -> None:
        self.changes: dict[str, frozenset[str | None] | None] = {}

    def __call__(self, con: duckdb.DuckDBPyConnection, table: str, data: pl.DataFrame) -> None:
        self.changes[table] = merge(con, table, data)

    def empty_the_rest(self, con: duckdb.DuckDBPyConnection) -> None:
        for table in TABLE:
            if table not in PER_DOCUMENT and table not in self.changes:
                con.execute(f"DELETE FROM {identifier(table)}")


def document_record(d: Document, root: Path) -> dict[str, Any]:
    """The document's row of ``documents``."""
    return {
        "doc_id": d.doc_id,
        "path": d.source(root),
        "title": d.title,
        "outlet": d.outlet,
        "author": d.author,
        "language": d.language,
        "url": d.url,
        "date_published": d.date_published,
        "published_after": d.published_after,
        "published_before": d.published_before,
        "as_of": d.as_of,
        "date_note": d.date_note,
        "sha256": d.sha256,
        "n_chars": d.n_chars,
        "body": d.text,
    }


def documents_frame(docs: list[Document], root: Path) -> pl.DataFrame:
    return frame("documents", [document_record(d, root) for d in docs])


def sections_frame(doc_id: str, sections: list[Section]) -> pl.DataFrame:
    return frame(
        "sections",
        [
            {
                "doc_id": doc_id,
                "section_no": s.section_no,
                "kind": s.kind,
                "comment_no": s.comment_no,
                "start_offset": s.start,
                "end_offset": s.end,
                "text": s.text,
            }
            for s in sections
        ],
    )


def mentions_frame(doc_id: str, mentions: pl.DataFrame) -> pl.DataFrame:
    """The extractor's records in the warehouse's column names."""
    ident = pl.sql_expr(MENTION_ID_SQL.format(doc="doc_id", start="start", end='"end"'))
    return (
        mentions.with_columns(doc_id=pl.lit(doc_id))
        .select(
            mention_id=ident,
            doc_id=pl.col("doc_id"),
            start_offset=pl.col("start"),
            end_offset=pl.col("end"),
            surface=pl.col("text"),
            value=pl.col("value"),
            kind=pl.col("kind"),
            unit=pl.col("unit"),
            approx=pl.col("approx"),
            iso_date=pl.col("iso"),
            sentence=pl.col("sentence"),
            sentence_start=pl.col("sentence_start"),
            section=pl.col("section"),
            section_no=pl.col("section_no"),
            comment_no=pl.col("comment_no"),
            speaker=pl.col("speaker"),
        )
        .cast(polars_schema("mentions"))
    )


def load_reference_tables(
    con: duckdb.DuckDBPyConnection, tables: dict, root: Path, put: Put = insert
) -> None:
    """One ``ref_<name>`` table per reference dataset, its catalogue row and its sources."""
    comments: list[str] = []
    catalogue: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for name, table in sorted(tables.items()):
        target = f"ref_{name}"
        kinds = table.kinds()
        columns = ", ".join(f"{identifier(c)} {SQL_TYPES[k]}" for c, k in kinds.items())
        con.execute(f"CREATE TABLE {identifier(target)} (row_no INTEGER NOT NULL, {columns})")
        comments.append(
            f"COMMENT ON TABLE {identifier(target)} IS "
            + literal(f"{table.title}. {table.description} Source: data/reference/{name}.csv")
        )
        comments.append(
            f"COMMENT ON COLUMN {identifier(target)}.row_no IS "
            + literal("Line of the row in its CSV file (cited by claim_checks.reference_rows).")
        )
        comments += [
            f"COMMENT ON COLUMN {identifier(target)}.{identifier(column)} IS {literal(text)}"
            for column, text in table.columns.items()
        ]
        insert(con, target, table.frame(kinds))
        rel = table.path.relative_to(root) if table.path.is_relative_to(root) else table.path
        catalogue.append(
            {
                "table_name": name,
                "warehouse_table": target,
                "title": table.title,
                "description": table.description,
                "csv_path": rel.as_posix(),
                "n_rows": len(table.rows),
            }
        )
        sources += [
            {
                "table_name": name,
                "source_id": s.id,
                "publisher": s.publisher,
                "title": s.title,
                "url": s.url,
                "tier": s.tier,
                "date_published": s.date_published,
                "date_consulted": s.date_consulted,
                "taken": s.taken,
                "conversion": s.conversion,
            }
            for s in table.sources.values()
        ]
    if comments:
        con.execute(";\n".join(comments) + ";")
    put(con, "reference_tables", frame("reference_tables", catalogue))
    put(con, "reference_sources", frame("reference_sources", sources))


def claims_frame(
    claims: list, verdicts: dict[str, tuple[str, str, int]], root: Path
) -> pl.DataFrame:
    records = []
    for c in claims:
        verdict, explanation, n_checks = verdicts[c.claim_id]
        rel = c.path.relative_to(root) if c.path.is_relative_to(root) else c.path
        records.append(
            {
                "claim_id": c.claim_id,
                "doc_id": c.doc_id,
                "quote": c.quote,
                "quote_start": c.quote_start,
                "quote_end": c.quote_end,
                "speaker": c.speaker,
                "subject": c.subject,
                "measure": c.measure,
                "as_of": c.as_of,
                "verdict": verdict,
                "explanation": explanation,
                "n_checks": n_checks,
                "note": c.note,
                "chart": c.chart,
                "origin": c.origin,
                "confidence": c.confidence,
                "claims_file": rel.as_posix() if c.origin == HAND else None,
                "claims_line": c.line if c.origin == HAND else None,
            }
        )
    return frame("claims", records)


def claim_mentions_frame(claims: list) -> pl.DataFrame:
    return frame(
        "claim_mentions",
        [
            {"claim_id": c.claim_id, "figure_name": f.name, "mention_id": f.mention_id}
            for c in claims
            for f in c.figures.values()
        ],
    )


def checks_frame(results: list, claims: dict) -> pl.DataFrame:
    return frame(
        "claim_checks",
        [
            {
                "check_id": r.check_id,
                "claim_id": r.claim_id,
                "doc_id": claims[r.claim_id].doc_id,
                "recipe": r.recipe,
                "quote": claims[r.claim_id].quote,
                "speaker": claims[r.claim_id].speaker,
                "stated_text": r.stated_text,
                "stated_value": r.stated_value,
                "computed_value": r.computed_value,
                "computed_text": r.computed_text,
                "verdict": r.verdict,
                "explanation": r.explanation,
                "tolerance_rule": r.rule,
                "mentions_used": ",".join(r.mentions),
                "reference_rows": ",".join(r.rows),
                "source_ids": ",".join(r.sources),
                "source_tier": r.source_tier,
                "better_source_unused": r.better_source_unused,
            }
            for r in results
        ],
    )


def reviews_frame(reviews: list, root: Path) -> pl.DataFrame:
    return frame(
        "reviews",
        [
            {
                "claim_id": r.claim_id,
                "reviewer": r.reviewer,
                "review_date": r.date,
                "status": r.status,
                "note": r.note,
                "editor_verdict": r.editor_verdict,
                "reason": r.reason,
                "reviews_file": (
                    r.path.relative_to(root) if r.path.is_relative_to(root) else r.path
                ).as_posix(),
                "reviews_line": r.line,
            }
            for r in reviews
        ],
    )


def dismissals_frame(dismissals: list) -> pl.DataFrame:
    return frame(
        "dismissals",
        [{"mention_id": d.mention_id, "reason": d.reason, "note": d.note} for d in dismissals],
    )


def tolerance_frame(tolerance: Any) -> pl.DataFrame:
    rows = [
        {
            "rule": hedge,
            "relative": float(rule["relative"]),
            "direction": rule["direction"],
            "applies_to": f"figures hedged with '{hedge}'",
        }
        for hedge, rule in sorted(tolerance.hedges.items())
    ]
    kinds = ", ".join(sorted(tolerance.measured_kinds))
    rows.append(
        {
            "rule": "unhedged_measured",
            "relative": tolerance.measured,
            "direction": "either",
            "applies_to": f"unhedged measured quantities ({kinds})",
        }
    )
    rows.append(
        {
            "rule": "unhedged_exact",
            "relative": tolerance.exact,
            "direction": "either",
            "applies_to": "unhedged counts, positions, years and dates",
        }
    )
    return frame("tolerance_rules", rows)


def verdict_scale_frame(tolerance: Any) -> pl.DataFrame:
    """The verdict vocabulary, its descriptions filled in with the tolerance as applied."""
    measured = f"{tolerance.measured * 100:g} %"
    rows = [
        {**r, "description": r["description"].format(measured=measured)} for r in verdict_rows()
    ]
    return frame("verdict_scale", rows)


def name_variants_frame(variants: dict[str, list]) -> pl.DataFrame:
    return frame(
        "name_variants",
        [
            {
                "doc_id": doc_id,
                "start_offset": v.start,
                "end_offset": v.end,
                "surface": v.surface,
                "canonical": v.canonical,
                "kind": v.kind,
                "table_name": v.table,
                "row_no": v.row_no,
                "section": v.section,
                "speaker": v.speaker,
            }
            for doc_id, found in sorted(variants.items())
            for v in found
        ],
    )


def matches_frame(matches: list) -> pl.DataFrame:
    return frame(
        "claim_matches",
        [
            {
                "claim_id": m.claim_id,
                "matched_claim_id": m.matched_claim_id,
                "matched_doc_id": m.matched_doc_id,
                "similarity": m.similarity,
                "matched_verdict": m.verdict,
            }
            for m in matches
        ],
    )
