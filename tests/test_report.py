"""The offline HTML report: content, determinism, chart files, and a real browser."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
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
  label: c.closest('[role=img]') && c.closest('[role=img]').getAttribute('aria-label'),
  hidden: c.getAttribute('aria-hidden'),
}))"""
)


def test_report_is_self_contained(built: Path) -> None:
    html = (built / "reports" / "index.html").read_text("utf-8")
    # vega, vega-lite and vega-embed inlined exactly once for the page
    assert html.count("<script>") == 2  # the bundle, and the page's own init script
    assert len(re.findall(r"<script[^>]*>", html)) >= 2
    # links to sources are links (<a href>), never loads (src=, <link href>)
    for host in re.findall(r"""(?:src=|<link[^>]*href=)["'](https?://[^"']+)""", html):
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
        assert spec["title"]["text"] and spec["title"]["subtitle"]  # takeaway, one line
        chart, footer = spec["vconcat"]
        assert any(v["line"].startswith("Source:") for v in footer["data"]["values"])
        assert spec["description"]
        assert chart["width"] == 640
        assert (charts / f"{name}.svg").read_text("utf-8").startswith("<svg")
        assert (charts / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_exported_chart_is_valid_vega_lite(built: Path) -> None:
    """The build does not ask Altair to validate its charts; this does, on the exported specs
    (each holds the page's chart, its theme, titles and footer)."""
    import altair as alt
    from altair.utils.schemapi import validate_jsonschema

    schema = alt.vegalite.v6.schema.core.load_schema()
    for name in chart_names():
        spec = json.loads((built / "reports" / "charts" / f"{name}.vl.json").read_text("utf-8"))
        # the one key the theme gives Vega itself: Vega-Lite passes its legend config through,
        # and Vega stacks several legends by it; Vega-Lite's schema does not list it
        assert spec["config"]["legend"].pop("layout") == {
            "bottom": {"anchor": "start", "direction": "vertical"}
        }
        assert validate_jsonschema(spec, schema, raise_error=False) is None, name
        broken = {**spec, "vconcat": [{**spec["vconcat"][0], "mark": {"type": "no-such-mark"}}]}
        assert validate_jsonschema(broken, schema, raise_error=False) is not None, name


def test_chart_data_comes_from_the_views(built: Path) -> None:
    """No chart value is typed in code: the funding spec carries the view's amounts."""
    text = (built / "reports" / "charts" / "funding.vl.json").read_text("utf-8")
    amounts = sorted({float(a) for a in re.findall(r'"amount": ([0-9.e+]+)', text)})
    with duckdb.connect(str(built / "data" / "warehouse.duckdb"), read_only=True) as con:
        expected = sorted(
            {a for (a,) in con.execute("SELECT amount FROM chart_funding").fetchall()}
        )
    assert amounts == expected


def test_one_chart_rebuilt_alone_matches_the_full_build(project: Path) -> None:
    """On a private copy: rewriting the shared build's charts, even to the same bytes, raced
    with the tests copying it (a copy caught mid-write was no longer up to date)."""
    charts = project / "reports" / "charts"
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in charts.iterdir()}
    index_before = (project / "reports" / "index.html").read_bytes()
    done = cli("report", "funding", root=project)
    assert done.returncode == 0, done.stderr
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in charts.iterdir()}
    assert after == before
    assert (project / "reports" / "index.html").read_bytes() == index_before


def test_report_command_rejects_unknown_chart(built: Path) -> None:
    done = cli("report", "pie", root=built)
    assert done.returncode == 2 and "unknown chart 'pie'" in error_line(done)


@requires_chromium
def test_report_renders_offline_in_chromium(built: Path, chromium: Any) -> None:
    page = visit(
        built / "reports" / "index.html",
        COUNT_MARKS,
        screenshot="report.png",
        wait_for=ALL_CHARTS_RENDERED,
        browser=chromium,
    )
    assert page.blocked == [], page.blocked
    assert page.console_errors == [] and page.page_errors == []
    assert len(page.results) == len(chart_names())
    assert page.console_warnings == [], page.console_warnings  # e.g. a sort Vega dropped
    for chart in page.results:
        assert chart["marks"] > 0, chart
        assert chart["label"], chart  # the text description is the image's label
        assert chart["hidden"] == "true", chart  # raw marks are never read out
    narrow = visit(
        built / "reports" / "index.html",
        COUNT_MARKS,
        screenshot="report-phone.png",
        wait_for=ALL_CHARTS_RENDERED,
        width=390,
        browser=chromium,
    )
    assert all(c["marks"] > 0 for c in narrow.results)


@requires_chromium
def test_hostile_comment_is_escaped_everywhere(project: Path, chromium: Any) -> None:
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
        browser=chromium,
    )
    assert page.results == {"p": "undefined", "text": True}
    assert page.blocked == []


PAGES = (
    "index.html",
    "corrections.html",
    "methodology.html",
    "validation/index.html",
    f"articles/{SEED.stem}.html",
)
WIDTHS = (390, 1400)
SAMPLE_ROWS = 30  # rows of each long table axe audits, besides one of each other look
AUDIT = """async () => {
  const width = window.innerWidth;
  const folded = Array.from(document.querySelectorAll('details'));
  folded.forEach(d => { d.open = true; });  // folded tables are measured and read too
  const outside = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (!e.checkVisibility()) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > width + 1 || (r.left < -1 && r.right > 0))) {
      outside.push(e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + Math.round(r.right));
    }
  }
  const clipped = [];
  for (const chart of document.querySelectorAll('.chart')) {
    const box = chart.getBoundingClientRect();
    for (const t of chart.querySelectorAll('svg text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
          || r.bottom > box.bottom + 1 || t.textContent.endsWith('\u2026')) {
        clipped.push(chart.id + ': ' + t.textContent);
      }
    }
  }
  const overflow = document.documentElement.scrollWidth - width;  // before any row is taken out
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && parent.checkVisibility() && walker.currentNode.textContent.trim()) {
      texts.push(walker.currentNode.textContent);
    }
  }
  // measured and read above; axe then audits the first rows of each long table, and after
  // them the first row of each look not seen yet (the elements it holds, by tag and class: a
  // verdict's badge, a link, a flag): one template makes the rows, and auditing every one
  // would add seconds a page
  document.querySelectorAll('tbody').forEach(b => {
    const looks = new Set();
    const look = r => [r.className, r.getAttribute('data-verdict') || '']
      .concat(Array.from(new Set(Array.from(r.querySelectorAll('*'),
        e => e.tagName + '.' + (e.getAttribute('class') || '')))).sort())
      .join('|');
    Array.from(b.rows).forEach((r, i) => {
      const seen = looks.has(look(r));
      looks.add(look(r));
      if (i >= SAMPLE_ROWS && seen) r.remove();
    });
  });
  const axeResult = await axe.run(document, {resultTypes: ['violations']});
  return {
    overflow: overflow,
    outside: outside.slice(0, 10),
    clipped: clipped,
    text: texts.join(' '),
    violations: axeResult.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')),
  };
}""".replace("SAMPLE_ROWS", str(SAMPLE_ROWS))
CHARTS_DONE = """() => Array.from(document.querySelectorAll('.chart'))
  .every(c => c.getAttribute('data-rendered') === 'true')"""


@requires_chromium
def test_the_audit_measures_every_row_and_audits_each_look(tmp_path: Path, chromium: Any) -> None:
    """The audit's sampling (AUDIT) keeps a row of each look past the first rows it audits
    and measures the page before taking any row out: a row far down a long table, folded or
    not, that alone holds an unnamed link and text too wide for a phone is still found."""
    from tests.browser import open_page

    plain = "<tr><td>{n}</td><td>$668 million</td></tr>"
    odd = (
        '<tr><td>{n}</td><td><a href="#x"></a>'
        '<div style="white-space: nowrap">{wide}</div></td></tr>'
    )
    rows = "".join(
        (odd if n == SAMPLE_ROWS + 5 else plain).format(n=n, wide="W" * 400)
        for n in range(SAMPLE_ROWS + 10)
    )
    for folded in (False, True):
        table = f"<table><thead><tr><th>n</th><th>v</th></tr></thead><tbody>{rows}</tbody></table>"
        body = f"<details><summary>rows</summary>{table}</details>" if folded else table
        page = tmp_path / f"rows-{folded}.html"
        page.write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width"><title>rows</title></head>'
            f"<body><main><h1>Rows</h1>{body}</main></body></html>",
            "utf-8",
        )
        r = open_page(chromium, page, AUDIT, width=390, axe=True).results
        assert r["overflow"] > 0, folded
        assert any(v.startswith("link-name") for v in r["violations"]), (folded, r["violations"])


@requires_chromium
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_a_phone_and_a_desktop_and_pass_axe(
    built: Path, width: int, chromium: Any
) -> None:
    """At 390 px and at 1400 px (a test each): nothing wider than the viewport, no chart text
    clipped or cut, no serious or critical axe-core violation, no number in scientific notation
    and no year with a thousands separator in the visible text. The folded tables
    (``<details>``) are opened first, so every row of every table is measured and read; axe
    then audits the first rows of each long table and one row of each other look (its classes
    and its children's: a verdict's badge, a flag; the rows of a table come from one template,
    and every row would add seconds a page)."""
    from tests.browser import open_page

    reports = built / "reports"
    claim_pages = sorted((reports / "claims").glob("*.html"))
    assert claim_pages
    pages = [reports / p for p in PAGES] + claim_pages[:1]
    with duckdb.connect(str(built / "data" / "warehouse.duckdb"), read_only=True) as con:
        years = {
            int(v)
            for (v,) in con.execute(
                "SELECT DISTINCT value FROM mentions WHERE kind IN ('year', 'date') "
                "AND value BETWEEN 1000 AND 2999"
            ).fetchall()
        }
    assert years
    failures = []
    for page in pages:
        name = f"{page.relative_to(reports)} at {width} px"
        seen = open_page(
            chromium,
            page,
            AUDIT,
            width=width,
            wait_for=CHARTS_DONE,
            axe=True,
            screenshot=f"{page.stem}-{width}.png" if page.name == "index.html" else None,
        )
        r = seen.results
        if r["overflow"] > 0 or r["outside"]:
            failures.append(f"{name}: wider than the viewport: {r['outside']}")
        if r["clipped"]:
            failures.append(f"{name}: chart text clipped: {r['clipped']}")
        if r["violations"]:
            failures.append(f"{name}: axe: {r['violations']}")
        if seen.page_errors or seen.console_errors or seen.blocked:
            failures.append(f"{name}: {seen.page_errors + seen.console_errors}")
        scientific = re.findall(r"\b\d+(?:\.\d+)?e[+-]?\d+\b", r["text"], re.I)
        if scientific:
            failures.append(f"{name}: scientific notation {scientific[:5]}")
        for year in years:
            if re.search(rf"(?<![\d,]){year // 1000},{year % 1000:03d}(?![\d,])", r["text"]):
                failures.append(f"{name}: the year {year} printed with a separator")
    assert failures == []


@requires_chromium
def test_an_archive_s_memo_fits_a_phone_and_passes_axe(
    built: Path, tmp_path: Path, chromium: Any
) -> None:
    """The memo's summary of findings awaiting review (its table of articles) at both widths,
    as the report's pages: the seed's own memo lists every finding, so the summary is drawn
    from a copy of its warehouse where every finding awaits review, with the limits at 0."""
    import shutil

    from analysis.report.corrections import MemoLimits, write_corrections
    from analysis.vocab import REFERENCE
    from tests.browser import open_page

    db = tmp_path / "warehouse.duckdb"
    shutil.copy(built / "data" / "warehouse.duckdb", db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE claims SET origin = ?", [REFERENCE])
        con.execute("DELETE FROM reviews")
    with duckdb.connect(str(db), read_only=True) as con:
        written = write_corrections(con, tmp_path, limits=MemoLimits(0, 5, 1))
    (page,) = [p for p in written if p.suffix == ".html"]
    assert 'class="pending-articles"' in page.read_text("utf-8")
    for width in WIDTHS:
        seen = open_page(chromium, page, AUDIT, width=width, axe=True)
        r = seen.results
        assert (r["overflow"], r["outside"], r["violations"]) == (0, [], []), width
        assert not (seen.page_errors or seen.console_errors or seen.blocked), width


@requires_chromium
def test_ledger_sorts_by_keyboard_in_severity_order(built: Path, chromium: Any) -> None:
    from analysis.vocab import VERDICT

    def press(page) -> None:
        button = page.get_by_role("button", name="Verdict", exact=True)
        button.focus()
        page.keyboard.press("Enter")

    script = """() => ({
      sort: document.querySelector('#ledger-table th[aria-sort]')?.getAttribute('aria-sort'),
      verdicts: Array.from(document.querySelectorAll('#ledger-table tbody tr'))
        .map(r => r.getAttribute('data-verdict')),
      status: document.getElementById('sort-status').textContent,
    })"""
    page = visit(built / "reports" / "index.html", script, actions=press, browser=chromium)
    assert page.results["sort"] == "ascending"
    order = [VERDICT[v].severity for v in page.results["verdicts"]]
    assert order == sorted(order) and order[0] < order[-1]  # most severe first
    assert "ascending" in page.results["status"]  # announced to screen readers

    def twice(p) -> None:
        press(p)
        p.keyboard.press("Enter")

    page = visit(built / "reports" / "index.html", script, actions=twice, browser=chromium)
    assert page.results["sort"] == "descending"
    order = [VERDICT[v].severity for v in page.results["verdicts"]]
    assert order == sorted(order, reverse=True)


def test_an_archive_s_front_page_summarizes_and_its_links_stay_whole(
    built: Path, tmp_path: Path
) -> None:
    """Past its limits (set small here: a real archive has thousands of claims) the front page
    lists the most severe claims, no table of every figure, and counts by outlet and month; an
    article's marks link only to claims the front page shows."""
    from analysis.report.articles import write_articles
    from analysis.report.figures import build_charts
    from analysis.report.index import Limits, write_index
    from analysis.vocab import VERDICT

    with duckdb.connect(str(built / "data" / "warehouse.duckdb"), read_only=True) as con:
        finals = dict(con.execute("SELECT claim_id, final_verdict FROM claim_verdicts").fetchall())
        (n_mentions,) = con.execute("SELECT count(*) FROM mentions").fetchone()
        index, shown = write_index(
            con, tmp_path, build_charts(con), limits=Limits(claims=5, figures=10, documents=0)
        )
        write_articles(con, tmp_path, shown)
    html = index.read_text("utf-8")
    rows = re.findall(r'<tr id="claim-([^"]+)" data-verdict="([^"]+)"', html)
    assert len(rows) == 5 and {c for c, _ in rows} == shown
    ranks = [VERDICT[v].severity for _, v in rows]
    assert ranks == sorted(ranks)  # most severe first
    assert all(VERDICT[v].severity >= ranks[-1] for c, v in finals.items() if c not in shown)
    assert f"The 5 most severe of {len(finals)} claims" in html
    assert f"{n_mentions} figures extracted: too many to list here" in html
    assert '<td data-label="Figure"><strong>' not in html  # the table of every figure
    assert (
        "<caption>By outlet</caption>" in html
        and "<caption>By month of publication</caption>" in html
    )
    linked, unlinked = 0, 0
    for page in (tmp_path / "articles").glob("*.html"):
        text = page.read_text("utf-8")
        targets = re.findall(r'href="\.\./index\.html#claim-([^"]+)"', text)
        assert set(targets) <= shown
        linked += len(targets)
        unlinked += len(re.findall(r'<span class="fig checked[^"]*"[^>]* tabindex="0">', text))
    assert linked and unlinked  # some marks reach the ledger, the others are plain marks


CHANGES_AN_ARTICLE_SHOWS = (
    "UPDATE documents SET title = title || ' (updated)'",
    "UPDATE documents SET body = replace(body, 'the', 'teh')",
    "UPDATE sections SET kind = 'caption' WHERE section_no = 2",
    "UPDATE mentions SET end_offset = end_offset - 1 WHERE kind = 'percent'",
    "UPDATE claims SET verdict = 'incorrect' WHERE verdict = 'correct'",
    "DELETE FROM claim_mentions WHERE claim_id = (SELECT min(claim_id) FROM claim_mentions)",
    "UPDATE claims SET quote_start = quote_start + 1 WHERE claim_id NOT IN "
    "(SELECT claim_id FROM claim_mentions)",
)


@pytest.mark.parametrize("change", CHANGES_AN_ARTICLE_SHOWS)
def test_an_article_page_is_drawn_again_when_a_row_it_shows_changes(
    built: Path, tmp_path: Path, change: str
) -> None:
    """A cached page is keyed by digests of the rows it is drawn from: whatever row changes,
    the page is drawn again, the same as without the cache."""
    import shutil

    from analysis.report.articles import write_articles

    cache, db = tmp_path / "cache", tmp_path / "warehouse.duckdb"
    shutil.copy(built / "data" / "warehouse.duckdb", db)

    def pages(name: str, cached: bool) -> dict[str, bytes]:
        (tmp_path / name).mkdir()
        with duckdb.connect(str(db), read_only=True) as con:
            written = write_articles(
                con, tmp_path / name, frozenset(), frozenset(), cache if cached else None, "code"
            )
        return {p.name: p.read_bytes() for p in written}

    before = pages("before", True)
    with duckdb.connect(str(db)) as con:
        assert con.execute(change).fetchone()[0] > 0  # rows changed
    after = pages("after", True)
    assert after != before
    assert after == pages("uncached", False)


def test_an_article_page_is_reused_only_while_what_it_shows_and_the_code_are_unchanged(
    built: Path, tmp_path: Path
) -> None:
    from analysis.report.articles import write_articles

    cache = tmp_path / "cache"
    with duckdb.connect(str(built / "data" / "warehouse.duckdb"), read_only=True) as con:
        (claim,) = con.execute(
            "SELECT min(claim_id) FROM claim_mentions JOIN claims USING (claim_id)"
        ).fetchone()

        def pages(name: str, on_index: frozenset[str], code: str) -> dict[str, bytes]:
            (tmp_path / name).mkdir()
            written = write_articles(con, tmp_path / name, on_index, frozenset(), cache, code)
            return {p.name: p.read_bytes() for p in written}

        def entries() -> int:
            return sum(1 for p in cache.rglob("*") if p.is_file())

        plain = pages("a", frozenset(), "code-1")
        assert entries() == len(plain) > 0
        assert pages("b", frozenset(), "code-1") == plain and entries() == len(plain)
        linked = pages("c", frozenset({claim}), "code-1")  # a mark now links to the ledger
        assert linked != plain and entries() == 2 * len(plain)
        assert pages("d", frozenset({claim}), "code-2") == linked  # drawn again, the same
        assert entries() == 3 * len(plain)
        (tmp_path / "e").mkdir()
        assert linked == {  # and the same as without the cache
            p.name: p.read_bytes()
            for p in write_articles(con, tmp_path / "e", frozenset({claim}), frozenset())
        }
