"""Creating a warehouse file and loading the pipeline's tables into it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from analysis.documents import Document
from analysis.sections import Section


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
