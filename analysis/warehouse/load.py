"""Creating a warehouse file and loading the pipeline's tables into it."""

from __future__ import annotations

import contextlib
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from analysis.documents import Document
from analysis.sections import Section


def views_sql() -> str:
    return resources.files("analysis.warehouse").joinpath("views.sql").read_text("utf-8")


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create the chart views; a view whose reference table is absent is skipped.

    Returns the names of the views skipped."""
    skipped = []
    for statement in con.extract_statements(views_sql()):
        sql = statement.query
        if statement.type.name == "CREATE":
            name = sql.split("VIEW", 1)[1].split()[0]
            try:
                con.execute(sql)
            except duckdb.CatalogException:
                skipped.append(name)
        else:
            with contextlib.suppress(duckdb.CatalogException):  # comment of a skipped view
                con.execute(sql)
    return skipped


def schema_sql() -> str:
    return resources.files("analysis.warehouse").joinpath("schema.sql").read_text("utf-8")


def create(path: Path) -> duckdb.DuckDBPyConnection:
    """A new, empty warehouse at ``path`` with the schema applied."""
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    con.execute(schema_sql())
    return con


def documents_frame(docs: list[Document], root: Path) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "doc_id": d.doc_id,
                "path": d.path.relative_to(root).as_posix()
                if d.path.is_relative_to(root)
                else d.path.as_posix(),
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
            for d in docs
        ],
        schema={
            "doc_id": pl.String,
            "path": pl.String,
            "title": pl.String,
            "outlet": pl.String,
            "author": pl.String,
            "language": pl.String,
            "url": pl.String,
            "date_published": pl.Date,
            "published_after": pl.Date,
            "published_before": pl.Date,
            "as_of": pl.Date,
            "date_note": pl.String,
            "sha256": pl.String,
            "n_chars": pl.Int64,
            "body": pl.String,
        },
    )


def sections_frame(doc_id: str, sections: list[Section]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "doc_id": [doc_id] * len(sections),
            "section_no": [s.section_no for s in sections],
            "kind": [s.kind for s in sections],
            "comment_no": [s.comment_no for s in sections],
            "start_offset": [s.start for s in sections],
            "end_offset": [s.end for s in sections],
            "text": [s.text for s in sections],
        },
        schema={
            "doc_id": pl.String,
            "section_no": pl.Int64,
            "kind": pl.String,
            "comment_no": pl.Int64,
            "start_offset": pl.Int64,
            "end_offset": pl.Int64,
            "text": pl.String,
        },
    )


def mentions_frame(doc_id: str, mentions: pl.DataFrame) -> pl.DataFrame:
    """The extractor's records in the warehouse's column names."""
    return mentions.select(
        mention_id=pl.lit(doc_id + ":")
        + pl.col("start").cast(pl.String)
        + pl.lit("-")
        + pl.col("end").cast(pl.String),
        doc_id=pl.lit(doc_id),
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


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Append ``frame`` to ``table``, matching columns by name."""
    if frame.is_empty():
        return
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    con.register("_incoming", frame.to_arrow())
    try:
        con.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM _incoming')
    finally:
        con.unregister("_incoming")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_REF_TYPES = {"number": "DOUBLE", "boolean": "BOOLEAN", "date": "VARCHAR", "text": "VARCHAR"}


def load_reference_tables(con: duckdb.DuckDBPyConnection, tables: dict, root: Path) -> None:
    """One ``ref_<name>`` table per reference dataset, its catalogue row and its sources."""
    for name, table in sorted(tables.items()):
        target = f"ref_{name}"
        kinds = {c: table.column_kind(c) for c in table.columns}
        columns = ", ".join(f'"{c}" {_REF_TYPES[k]}' for c, k in kinds.items())
        con.execute(f'CREATE TABLE "{target}" (row_no INTEGER PRIMARY KEY, {columns})')
        con.execute(
            f'COMMENT ON TABLE "{target}" IS '
            + _sql_text(f"{table.title}. {table.description} Source: data/reference/{name}.csv")
        )
        con.execute(
            f'COMMENT ON COLUMN "{target}".row_no IS '
            + _sql_text("Line of the row in its CSV file (cited by claim_checks.reference_rows).")
        )
        for column, description in table.columns.items():
            con.execute(f'COMMENT ON COLUMN "{target}"."{column}" IS {_sql_text(description)}')
        records = []
        for row in table.rows:
            record: dict[str, Any] = {"row_no": row["_line"]}
            for column, kind in kinds.items():
                value = row[column]
                if value is not None and kind == "number":
                    value = float(value)
                elif value is not None and kind == "boolean":
                    value = value == "true"
                record[column] = value
            records.append(record)
        schema = {"row_no": pl.Int64} | {
            c: {"number": pl.Float64, "boolean": pl.Boolean}.get(k, pl.String)
            for c, k in kinds.items()
        }
        insert(con, target, pl.DataFrame(records, schema=schema, orient="row"))
        rel = table.path.relative_to(root) if table.path.is_relative_to(root) else table.path
        con.execute(
            "INSERT INTO reference_tables VALUES (?, ?, ?, ?, ?, ?)",
            [name, target, table.title, table.description, rel.as_posix(), len(table.rows)],
        )
        con.executemany(
            "INSERT INTO reference_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    name,
                    s.id,
                    s.publisher,
                    s.title,
                    s.url,
                    s.date_published,
                    s.date_consulted,
                    s.taken,
                    s.conversion,
                ]
                for s in table.sources.values()
            ],
        )


def claims_frame(
    claims: list, verdicts: dict[str, tuple[str, str, int]], root: Path
) -> pl.DataFrame:
    rows = []
    for c in claims:
        verdict, explanation, n_checks = verdicts[c.claim_id]
        rel = c.path.relative_to(root) if c.path.is_relative_to(root) else c.path
        rows.append(
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
                "claims_file": rel.as_posix(),
                "claims_line": c.line,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "claim_id": pl.String,
            "doc_id": pl.String,
            "quote": pl.String,
            "quote_start": pl.Int64,
            "quote_end": pl.Int64,
            "speaker": pl.String,
            "subject": pl.String,
            "measure": pl.String,
            "as_of": pl.Date,
            "verdict": pl.String,
            "explanation": pl.String,
            "n_checks": pl.Int64,
            "note": pl.String,
            "chart": pl.String,
            "claims_file": pl.String,
            "claims_line": pl.Int64,
        },
    )


def claim_mentions_frame(claims: list) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"claim_id": c.claim_id, "figure_name": f.name, "mention_id": f.mention_id}
            for c in claims
            for f in c.figures.values()
        ],
        schema={"claim_id": pl.String, "figure_name": pl.String, "mention_id": pl.String},
    )


def checks_frame(results: list, claims: dict) -> pl.DataFrame:
    return pl.DataFrame(
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
                "verdict": r.verdict,
                "explanation": r.explanation,
                "tolerance_rule": r.rule,
                "mentions_used": ",".join(r.mentions),
                "reference_rows": ",".join(r.rows),
                "source_ids": ",".join(r.sources),
            }
            for r in results
        ],
        schema={
            "check_id": pl.String,
            "claim_id": pl.String,
            "doc_id": pl.String,
            "recipe": pl.String,
            "quote": pl.String,
            "speaker": pl.String,
            "stated_text": pl.String,
            "stated_value": pl.Float64,
            "computed_value": pl.Float64,
            "verdict": pl.String,
            "explanation": pl.String,
            "tolerance_rule": pl.String,
            "mentions_used": pl.String,
            "reference_rows": pl.String,
            "source_ids": pl.String,
        },
    )


def reviews_frame(reviews: list, root: Path) -> pl.DataFrame:
    return pl.DataFrame(
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
        schema={
            "claim_id": pl.String,
            "reviewer": pl.String,
            "review_date": pl.Date,
            "status": pl.String,
            "note": pl.String,
            "editor_verdict": pl.String,
            "reason": pl.String,
            "reviews_file": pl.String,
            "reviews_line": pl.Int64,
        },
    )


def dismissals_frame(dismissals: list) -> pl.DataFrame:
    return pl.DataFrame(
        [{"mention_id": d.mention_id, "reason": d.reason, "note": d.note} for d in dismissals],
        schema={"mention_id": pl.String, "reason": pl.String, "note": pl.String},
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
    return pl.DataFrame(
        rows,
        schema={
            "rule": pl.String,
            "relative": pl.Float64,
            "direction": pl.String,
            "applies_to": pl.String,
        },
    )


def name_variants_frame(variants: dict[str, list]) -> pl.DataFrame:
    return pl.DataFrame(
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
        schema={
            "doc_id": pl.String,
            "start_offset": pl.Int64,
            "end_offset": pl.Int64,
            "surface": pl.String,
            "canonical": pl.String,
            "kind": pl.String,
            "table_name": pl.String,
            "row_no": pl.Int64,
            "section": pl.String,
            "speaker": pl.String,
        },
    )
