"""The methodology page: the verdict scale, the tolerance rules as applied, the dismissal
reasons, every reference source and the versions of the build."""

from __future__ import annotations

from pathlib import Path

import duckdb

from analysis.report.env import environment, write_atomic
from analysis.vocab import DISMISSAL_REASONS, SOURCE_TIERS
from analysis.warehouse.query import fetch_dicts


def write_methodology(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Path:
    page = out_dir / "methodology.html"
    scale = [
        (r["verdict"], r["description"])
        for r in fetch_dicts(con, "SELECT verdict, description FROM verdict_scale")
    ]
    html = (
        environment()
        .get_template("methodology.html.j2")
        .render(
            scale=scale,
            tolerance=fetch_dicts(con, "SELECT * FROM tolerance_rules ORDER BY relative, rule"),
            reasons=DISMISSAL_REASONS,
            tiers=SOURCE_TIERS,
            sources=fetch_dicts(
                con, "SELECT * FROM reference_sources ORDER BY table_name, source_id"
            ),
            versions=fetch_dicts(
                con, "SELECT key, value FROM build_info WHERE key LIKE 'version_%' ORDER BY key"
            ),
        )
    )
    write_atomic(page, html.encode())
    return page
