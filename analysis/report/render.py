"""Rendering the HTML report from a warehouse file into a folder.

Pages are rendered from the warehouse only (never from the seeds), with autoescaping on:
document text is untrusted input. Chart specs are embedded as JSON with ``</`` escaped, and
Vega, Vega-Lite and vega-embed are inlined once per page, so the report works offline and
requests nothing from any network host. Output is deterministic: no clock, no random ids.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from analysis.validate import ValidationOutcome
from analysis.warehouse.query import fetch_dicts

REPORTS_GITIGNORE = (
    "# Built output of `analysis build`: everything here is regenerated.\n*\n!.gitignore\n"
)
PAGE_WRAP = 46  # characters per title line on the page: fits a 360 px phone screen
CHART_SECTIONS = {
    "funding": "Funding",
    "leadership": "Leadership",
    "women": "Representation: women in top jobs",
    "representation": "Representation: Portugal",
    "membership": "Voting blocs",
}


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("analysis.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _format_number
    env.filters["verdict_label"] = lambda v: (v or "").replace("_", " ")
    return env


def _format_number(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) < 0.01:
        return f"{value:.3g}"
    return f"{value:,.4g}"


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no ``</``, ``<!--`` or U+2028/9 can end it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _vega_bundle() -> str:
    import vl_convert

    bundle = vl_convert.javascript_bundle()
    return bundle.replace("</script", "<\\/script")


def _wrap(text: str, width: int = 78) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def _finish_spec(figure: Any, width: int = 78) -> dict[str, Any] | None:
    """Title block: takeaway, claims tested, source line, wrapped to ``width`` characters
    (the page uses a narrow wrap so the chart reads at phone width; exports a wide one)."""
    from analysis.charts.common import source_line

    if figure.spec is None:
        return None
    spec = json.loads(json.dumps(figure.spec))
    lines = _wrap(figure.subtitle, width)
    for claim in figure.claims[:3]:
        lines += _wrap(
            f"Claim tested ({claim['speaker']}): {claim['measure']} — "
            f"{claim['verdict'].replace('_', ' ')}",
            width,
        )
    lines += _wrap(source_line(figure.sources), width)
    spec["title"] = {"text": _wrap(figure.title, width), "subtitle": lines}
    spec["description"] = figure.description
    return spec


def build_charts(con: duckdb.DuckDBPyConnection, names: list[str] | None = None) -> list[Any]:
    """Chart figures from the warehouse views (all, or those named)."""
    import importlib

    from analysis.charts import CHART_NAMES

    wanted = names or list(CHART_NAMES)
    figures = []
    for name in wanted:
        module = importlib.import_module(f"analysis.charts.{name}")
        figure = module.build(con)
        figure.export_spec = _finish_spec(figure)
        figure.spec = _finish_spec(figure, width=PAGE_WRAP)
        figures.append(figure)
    return figures


def write_chart_files(figure: Any, charts_dir: Path) -> list[Path]:
    """The chart's Vega-Lite spec, SVG and PNG (fixed width, for use in an article)."""
    import vl_convert

    from analysis.charts.common import EXPORT_WIDTH

    charts_dir.mkdir(parents=True, exist_ok=True)
    if figure.spec is None:
        return []
    export = json.loads(json.dumps(figure.export_spec))
    export["width"] = EXPORT_WIDTH
    export.pop("autosize", None)
    export.setdefault("background", "white")
    files = {
        charts_dir / f"{figure.name}.vl.json": (
            json.dumps(figure.export_spec, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        ).encode("utf-8"),
        charts_dir / f"{figure.name}.svg": vl_convert.vegalite_to_svg(export).encode("utf-8"),
        charts_dir / f"{figure.name}.png": vl_convert.vegalite_to_png(export, scale=2),
    }
    for path, data in files.items():
        _write_atomic(path, data)
    return list(files)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _ledger(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    claims = fetch_dicts(
        con,
        """
        WITH deciding AS (
            SELECT k.*, row_number() OVER (
                PARTITION BY k.claim_id
                ORDER BY (k.verdict = c.verdict) DESC, k.check_id) AS nth
            FROM claim_checks k JOIN claims c USING (claim_id)
        )
        SELECT c.claim_id, c.doc_id, c.speaker, v.final_verdict AS verdict,
               c.verdict AS machine_verdict, v.editor_verdict, v.review_status,
               v.override_reason, c.explanation, c.chart, c.quote,
               c.subject, c.measure, c.as_of, k.stated_text, k.stated_value, k.computed_value,
               k.recipe, m.sentence,
               m.start_offset - m.sentence_start AS figure_at,
               m.end_offset - m.sentence_start AS figure_end
        FROM claims c
        JOIN claim_verdicts v ON v.claim_id = c.claim_id
        LEFT JOIN deciding k ON k.claim_id = c.claim_id AND k.nth = 1
        LEFT JOIN mentions m ON m.mention_id = nullif(split_part(k.mentions_used, ',', 1), '')
        ORDER BY c.doc_id, c.quote_start, c.claim_id
        """,
    )
    checks = fetch_dicts(
        con,
        "SELECT claim_id, check_id, recipe, stated_text, stated_value, computed_value, "
        "verdict, explanation, tolerance_rule, reference_rows, source_ids FROM claim_checks "
        "ORDER BY claim_id, check_id",
    )
    by_claim: dict[str, list[dict]] = {}
    for k in checks:
        by_claim.setdefault(k["claim_id"], []).append(k)
    for c in claims:
        c["checks"] = by_claim.get(c["claim_id"], [])
        sentence, at, end = c.pop("sentence"), c.pop("figure_at"), c.pop("figure_end")
        if sentence is not None and at is not None and 0 <= at <= end <= len(sentence):
            c["context"] = (sentence[:at], sentence[at:end], sentence[end:])
        else:
            c["context"] = ("", c["quote"], "")
    return claims


def write_reports(
    warehouse: Path, out_dir: Path, validation: ValidationOutcome | None
) -> list[Path]:
    """Every report page and chart file, into a new folder ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=False)
    (out_dir / ".gitignore").write_text(REPORTS_GITIGNORE, encoding="utf-8")
    written = render_index(warehouse, out_dir)
    if validation is not None:
        written.append(write_validation_page(out_dir, validation))
    return written


def write_validation_page(out_dir: Path, validation: ValidationOutcome) -> Path:
    validation_dir = out_dir / "validation"
    validation_dir.mkdir(exist_ok=True)
    page = validation_dir / "index.html"
    page.write_text(
        _env().get_template("validation.html.j2").render(outcome=validation), encoding="utf-8"
    )
    return page


def render_index(warehouse: Path, out_dir: Path, names: list[str] | None = None) -> list[Path]:
    """Chart files (all, or those named) and the index page, from the warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        figures = build_charts(con)
        documents = fetch_dicts(
            con,
            """SELECT d.doc_id, d.title, d.outlet, d.author, d.as_of, d.date_note, d.n_chars,
                      (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id) AS n_mentions,
                      (SELECT count(*) FROM claims c WHERE c.doc_id = d.doc_id) AS n_claims
               FROM documents d ORDER BY d.doc_id""",
        )
        verdicts = fetch_dicts(
            con,
            "SELECT final_verdict AS verdict, count(*) AS n FROM claim_verdicts "
            "GROUP BY 1 ORDER BY 1",
        )
        ledger = _ledger(con)
        overrides = fetch_dicts(
            con,
            "SELECT v.claim_id, v.machine_verdict, v.editor_verdict, v.override_reason, "
            "v.reviewer, v.review_date, c.quote FROM claim_verdicts v JOIN claims c "
            "USING (claim_id) WHERE v.editor_verdict IS NOT NULL ORDER BY c.doc_id, c.quote_start",
        )
        mentions = fetch_dicts(
            con,
            """SELECT doc_id, start_offset, end_offset, surface, value, kind, unit, approx,
                      iso_date, section, comment_no, speaker, sentence,
                      start_offset - sentence_start AS figure_at,
                      end_offset - sentence_start AS figure_end
               FROM mentions ORDER BY doc_id, start_offset""",
        )
        sources = fetch_dicts(
            con,
            "SELECT table_name, source_id, publisher, title, url, date_published, "
            "date_consulted, taken FROM reference_sources ORDER BY table_name, source_id",
        )
    written: list[Path] = []
    for figure in figures:
        if names is None or figure.name in names:
            written += write_chart_files(figure, out_dir / "charts")
    index = out_dir / "index.html"
    html = (
        _env()
        .get_template("index.html.j2")
        .render(
            documents=documents,
            overrides=overrides,
            verdicts=verdicts,
            ledger=ledger,
            figures=figures,
            sections=CHART_SECTIONS,
            mentions=mentions,
            sources=sources,
            specs={f.name: script_json(f.spec) for f in figures if f.spec is not None},
            vega_bundle=_vega_bundle(),
        )
    )
    _write_atomic(index, html.encode("utf-8"))
    written.append(index)
    written += _write_newsroom(warehouse, out_dir)
    return written


DESK = "IOM fact-check data desk"


def _write_newsroom(warehouse: Path, out_dir: Path) -> list[Path]:
    """Annotated articles, the corrections memo, the methodology page and the exports."""
    from analysis.report import newsroom
    from analysis.reviews import DISMISSAL_REASONS

    env = _env()
    written: list[Path] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        articles = out_dir / "articles"
        articles.mkdir(exist_ok=True)
        for doc in newsroom.annotated_documents(con):
            page = articles / f"{doc['doc_id']}.html"
            _write_atomic(page, env.get_template("article.html.j2").render(doc=doc).encode())
            written.append(page)
        items = newsroom.corrections(con)
        variants = newsroom.name_variants(con)
        memo = out_dir / "corrections.md"
        _write_atomic(memo, newsroom.corrections_markdown(items, variants).encode())
        page = out_dir / "corrections.html"
        _write_atomic(
            page,
            env.get_template("corrections.html.j2").render(items=items, variants=variants).encode(),
        )
        methodology = out_dir / "methodology.html"
        _write_atomic(
            methodology,
            env.get_template("methodology.html.j2")
            .render(
                scale=newsroom.VERDICT_SCALE,
                tolerance=fetch_dicts(con, "SELECT * FROM tolerance_rules ORDER BY relative, rule"),
                reasons=DISMISSAL_REASONS,
                sources=fetch_dicts(
                    con, "SELECT * FROM reference_sources ORDER BY table_name, source_id"
                ),
                versions=fetch_dicts(
                    con, "SELECT key, value FROM build_info WHERE key LIKE 'version_%' ORDER BY key"
                ),
            )
            .encode(),
        )
        written += [memo, page, methodology]
        written += newsroom.write_exports(con, out_dir / "exports", DESK)
    return written


def rebuild_chart_cli(name: str, root: str | None = None) -> None:
    """Rebuild one chart's files and the index page from the current warehouse."""
    from analysis.errors import BadInput
    from analysis.project import Project

    project = Project.locate(root)
    try:
        if not project.warehouse_path.exists():
            raise BadInput(project.warehouse_path, "no warehouse yet; run `analysis build` first")
        project.reports_dir.mkdir(exist_ok=True)
        for path in render_index(project.warehouse_path, project.reports_dir, [name]):
            print(f"wrote {path.relative_to(project.root)}")
    except BadInput as err:
        print(f"error: {err.one_line()}", file=sys.stderr)
        sys.exit(2)
