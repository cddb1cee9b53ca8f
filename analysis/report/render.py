"""Rendering the HTML report from a warehouse file into a folder.

Pages are rendered from the warehouse only (never from the seeds), with autoescaping on:
document text is untrusted input. Output is deterministic: no clock, no random ids.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from analysis.validate import ValidationOutcome

REPORTS_GITIGNORE = (
    "# Built output of `analysis build`: everything here is regenerated.\n*\n!.gitignore\n"
)


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("analysis.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _format_number
    return env


def _format_number(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.10g}"


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def write_reports(warehouse: Path, out_dir: Path, validation: ValidationOutcome) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=False)
    (out_dir / ".gitignore").write_text(REPORTS_GITIGNORE, encoding="utf-8")
    env = _env()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        documents = _rows(
            con,
            """SELECT d.doc_id, d.title, d.outlet, d.author, d.as_of, d.n_chars,
                      (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id) AS n_mentions
               FROM documents d ORDER BY d.doc_id""",
        )
        by_kind = _rows(
            con, "SELECT kind, count(*) AS n FROM mentions GROUP BY kind ORDER BY n DESC, kind"
        )
        by_section = _rows(
            con,
            "SELECT section, count(*) AS n FROM mentions GROUP BY section ORDER BY n DESC, section",
        )
        mentions = _rows(
            con,
            """SELECT doc_id, start_offset, end_offset, surface, value, kind, unit, approx,
                      iso_date, section, comment_no, speaker, sentence
               FROM mentions ORDER BY doc_id, start_offset""",
        )
    written = []
    index = out_dir / "index.html"
    index.write_text(
        env.get_template("index.html.j2").render(
            documents=documents, by_kind=by_kind, by_section=by_section, mentions=mentions
        ),
        encoding="utf-8",
    )
    written.append(index)
    validation_dir = out_dir / "validation"
    validation_dir.mkdir()
    page = validation_dir / "index.html"
    page.write_text(
        env.get_template("validation.html.j2").render(outcome=validation), encoding="utf-8"
    )
    written.append(page)
    return written
