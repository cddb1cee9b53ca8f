"""The offline HTML report: content, determinism, chart files, and a real browser."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import duckdb
import yaml

from analysis.charts import chart_names
from tests.browser import requires_chromium, visit
from tests.conftest import SEED, build, cli, error_line

ALL_CHARTS_RENDERED = """() => {
  const charts = Array.from(document.querySelectorAll('.chart'));
  return charts.length > 0 && charts.every(c => c.getAttribute('data-rendered') === 'true');
}"""
MARKS = "g.mark-rect path, g.mark-symbol path, g.mark-line path, g.mark-rule line"
COUNT_MARKS = (
    """() => Array.from(document.querySelectorAll('.chart')).map(c => ({
  id: c.id,
  marks: c.querySelectorAll('"""
    + MARKS
    + """').length,
  label: c.getAttribute('aria-label'),
}))"""
)


def test_report_is_self_contained(built: Path) -> None:
    html = (built / "reports" / "index.html").read_text("utf-8")
    # vega, vega-lite and vega-embed inlined exactly once for the page
    assert html.count("<script>") == 2  # the bundle, and the page's own init script
    assert len(re.findall(r"<script[^>]*>", html)) >= 2
    for host in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html):
        raise AssertionError(f"the page loads {host}")
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_every_chart_has_its_parts_and_files(built: Path) -> None:
    charts = built / "reports" / "charts"
    with duckdb.connect(str(built / "data" / "warehouse.duckdb"), read_only=True) as con:
        tags = {
            t
            for (t,) in con.execute(
                "SELECT DISTINCT chart FROM claims WHERE chart IS NOT NULL"
            ).fetchall()
        }
    assert tags == set(chart_names())  # every chart tests at least one claim of the seed
    for name in chart_names():
        spec = json.loads((charts / f"{name}.vl.json").read_text("utf-8"))
        assert spec["title"]["text"]
        subtitle = " ".join(spec["title"]["subtitle"])
        assert "Source:" in subtitle
        assert spec["description"]
        assert spec["width"] == "container"
        assert "Claim tested" in subtitle
        assert (charts / f"{name}.svg").read_text("utf-8").startswith("<svg")
        assert (charts / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_data_comes_from_the_views(built: Path) -> None:
    """No chart value is typed in code: the funding spec carries the view's amounts."""
    spec = json.loads((built / "reports" / "charts" / "funding.vl.json").read_text("utf-8"))
    values = list(spec.get("data", {}).get("values", []))
    values += [row for ds in spec.get("datasets", {}).values() for row in ds]
    values += [
        r for layer in spec.get("layer", []) for r in layer.get("data", {}).get("values", [])
    ]
    amounts = sorted({v["amount"] for v in values})
    with duckdb.connect(str(built / "data" / "warehouse.duckdb"), read_only=True) as con:
        expected = sorted(
            {a for (a,) in con.execute("SELECT amount FROM chart_funding").fetchall()}
        )
    assert amounts == expected


def test_one_chart_rebuilt_alone_matches_the_full_build(built: Path) -> None:
    charts = built / "reports" / "charts"
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in charts.iterdir()}
    index_before = (built / "reports" / "index.html").read_bytes()
    done = cli("report", "funding", root=built)
    assert done.returncode == 0, done.stderr
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in charts.iterdir()}
    assert after == before
    assert (built / "reports" / "index.html").read_bytes() == index_before


def test_report_command_rejects_unknown_chart(built: Path) -> None:
    done = cli("report", "pie", root=built)
    assert done.returncode == 2 and "unknown chart 'pie'" in error_line(done)


@requires_chromium
def test_report_renders_offline_in_chromium(built: Path) -> None:
    page = visit(
        built / "reports" / "index.html",
        COUNT_MARKS,
        screenshot="report.png",
        wait_for=ALL_CHARTS_RENDERED,
    )
    assert page.blocked == [], page.blocked
    assert page.console_errors == [] and page.page_errors == []
    assert len(page.results) == len(chart_names())
    for chart in page.results:
        assert chart["marks"] > 0, chart
        assert chart["label"], chart  # the accessible description of the figure
    narrow = visit(
        built / "reports" / "index.html",
        COUNT_MARKS,
        screenshot="report-phone.png",
        wait_for=ALL_CHARTS_RENDERED,
        width=390,
    )
    assert all(c["marks"] > 0 for c in narrow.results)


@requires_chromium
def test_hostile_comment_is_escaped_everywhere(project: Path) -> None:
    payload = '</script><script>window.p=1</script><img src=x onerror="window.p=1"> 42%'
    seed = project / "seeds" / SEED.name
    text = seed.read_text("utf-8").replace(
        "Many thanks for the points raised in your post.",
        f"Many thanks for the points raised in your post. {payload}",
    )
    seed.write_text(text, "utf-8")
    meta_path = seed.with_name(seed.stem + ".meta.yaml")
    meta = meta_path.read_text("utf-8")
    old = yaml.safe_load(meta)["sha256"]
    meta_path.write_text(meta.replace(old, hashlib.sha256(seed.read_bytes()).hexdigest()), "utf-8")
    build(project)
    html = (project / "reports" / "index.html").read_text("utf-8")
    assert "<img src=x" not in html and "<script>window.p" not in html
    assert "&lt;img src=x onerror=" in html  # shown as text, not markup
    page = visit(
        project / "reports" / "index.html",
        "() => ({p: typeof window.p, "
        "text: document.body.textContent.includes('onerror=\"window.p=1\"')})",
        wait_for=ALL_CHARTS_RENDERED,
    )
    assert page.results == {"p": "undefined", "text": True}
    assert page.blocked == []
