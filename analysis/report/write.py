"""Writing the whole report from a warehouse file: the front page with its charts, the
annotated articles, the corrections memo, the methodology, the exports and the validation page.
Pages are rendered from the warehouse only (never from the seeds), with autoescaping on:
document text is untrusted input. Output is deterministic: no clock, no random ids.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analysis import threads
from analysis.report.articles import write_articles
from analysis.report.claims import write_claim_pages
from analysis.report.corrections import write_corrections
from analysis.report.env import environment, write_atomic
from analysis.report.exports import claim_reviews, workbook_fits, write_exports
from analysis.report.figures import build_charts, write_chart_files
from analysis.report.index import write_index
from analysis.report.methodology import write_methodology
from analysis.report.publication import Publication, from_info
from analysis.validation.gx import BATCH_ROWS
from analysis.validation.run import ValidationOutcome
from analysis.warehouse.query import connect

REPORTS_GITIGNORE = (
    "# Built output of `analysis build`: everything here is regenerated.\n*\n!.gitignore\n"
)


def render_all(
    warehouse: Path,
    out_dir: Path,
    charts: list[str] | None = None,
    cache_dir: Path | None = None,
    code: str | None = None,
    exports: bool = True,
) -> list[Path]:
    """Chart files (all, or those named) and every page, from the warehouse; drawings and the
    Vega bundle are reused from ``cache_dir`` when their inputs are unchanged, and so are
    article pages when ``code`` (the fingerprint of the package that renders them) is given.
    ``exports``: also the exports (:func:`write_export_files` writes them alone)."""
    written: list[Path] = []
    # the sandbox of `analysis sql`: the report only reads (a chart cache entry is replayed on it)
    with connect(warehouse) as con:
        figures = build_charts(con, (cache_dir, code) if cache_dir and code else None)
        for figure in figures:
            if charts is None or figure.name in charts:
                written += write_chart_files(figure, out_dir / "charts", cache_dir)
        publication = _publication(con)
        reviews = claim_reviews(con, publication)
        published = frozenset(r["identifier"] for r in reviews)
        workbook = workbook_fits(con)  # the front page says whether the exports hold it
        index, on_index = write_index(
            con, out_dir, figures, cache_dir, published, workbook=workbook
        )
        written.append(index)
        pages = cache_dir if code is not None else None
        written += write_articles(con, out_dir, on_index, published, pages, code)
        written += write_corrections(con, out_dir, on_index, published)
        written.append(write_methodology(con, out_dir))
        if exports:
            written += write_exports(con, out_dir / "exports", publication, workbook)
        written += write_claim_pages(
            con, out_dir / "claims", claim_reviews(con, publication, "claims/")
        )
    return written


def write_reports(
    warehouse: Path,
    out_dir: Path,
    validation: ValidationOutcome | None,
    cache_dir: Path | None = None,
    code: str | None = None,
    exports: bool = True,
) -> list[Path]:
    """Every report page and chart file, and the exports unless ``exports`` is false, into a
    new folder ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=False)
    (out_dir / ".gitignore").write_text(REPORTS_GITIGNORE, encoding="utf-8")
    written = render_all(warehouse, out_dir, cache_dir=cache_dir, code=code, exports=exports)
    if validation is not None:
        written.append(write_validation_page(out_dir, validation))
    return written


def write_export_files(warehouse: Path, out_dir: Path) -> list[Path]:
    """The exports alone, from the warehouse, into ``out_dir/exports`` (``out_dir`` new): the
    build's exports worker writes them beside the report worker's pages."""
    out_dir.mkdir(parents=True, exist_ok=False)
    with duckdb.connect(str(warehouse), read_only=True, config=threads.for_file(warehouse)) as con:
        publication = _publication(con)
        return write_exports(con, out_dir / "exports", publication)


def _publication(con: duckdb.DuckDBPyConnection) -> Publication:
    """The publication settings the build recorded in the warehouse."""
    return from_info(dict(con.execute("SELECT key, value FROM build_info").fetchall()))


def write_validation_page(out_dir: Path, validation: ValidationOutcome) -> Path:
    folder = out_dir / "validation"
    folder.mkdir(exist_ok=True)
    page = folder / "index.html"
    write_atomic(
        page,
        environment()
        .get_template("validation.html.j2")
        .render(outcome=validation, batch_rows=BATCH_ROWS, root="../")
        .encode(),
    )
    return page
