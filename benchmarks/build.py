"""Build benchmarks: cold build against the import floor, no-op rebuild, `analysis sql`
start-up, report size and time to first rendered chart, peak memory of a cold build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# the libraries a build imports: Great Expectations only when it validates in full
FLOORS = {
    "full": "import polars, duckdb, altair, great_expectations",
    "sql": "import polars, duckdb, altair",
}


def _run(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (KiB) of one command."""
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false"}
    began = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    return took, proc.returncode, usage.ru_maxrss


def _project(dest: Path) -> Path:
    shutil.copytree(REPO / "seeds", dest / "seeds")
    shutil.copytree(
        REPO / "data",
        dest / "data",
        ignore=shutil.ignore_patterns(
            "warehouse.duckdb*", ".warehouse*", ".build*", ".cache", ".publish*"
        ),
    )
    return dest


def _best(samples: list[float]) -> float:
    return round(min(samples), 3)


def measure_build(repeats: int, validation: str = "full") -> dict:
    """Best of ``repeats``: the import floor, a cold build (validated as ``validation`` says),
    a no-op build and `analysis sql "select 1"`; the report's size and first chart."""
    analysis = [sys.executable, "-m", "analysis"]
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = _project(Path(tmp) / "project")
        floors, colds, rss, noops, sqls = [], [], [], [], []
        for _ in range(repeats):
            floors.append(_run([sys.executable, "-c", FLOORS[validation]], root)[0])
            shutil.rmtree(root / "data" / ".cache", ignore_errors=True)
            took, code, peak = _run(
                [*analysis, "build", "--force", "--validation", validation, "--root", str(root)],
                root,
            )
            if code != 0:
                raise RuntimeError(f"benchmark build failed with exit code {code}")
            colds.append(took)
            rss.append(peak)
            noop = [*analysis, "build", "--validation", validation, "--root", str(root)]
            noops.append(_run(noop, root)[0])
            sqls.append(_run([*analysis, "sql", "select 1", "--root", str(root)], root)[0])
        report = root / "reports" / "index.html"
        charts = root / "reports" / "charts"
        first_chart = _first_chart_seconds(report)
        return {
            "repeats": repeats,
            "validation": validation,
            "import_floor_seconds": _best(floors),
            "cold_build_seconds": _best(colds),
            "cold_to_floor_ratio": round(min(colds) / min(floors), 2),
            "cold_to_floor_target": 1.5,
            "noop_rebuild_seconds": _best(noops),
            "noop_target_seconds": 1.0,
            "sql_select_1_seconds": _best(sqls),
            "sql_target_seconds": 0.5,
            "cold_build_peak_rss_mib": round(max(rss) / 1024, 1),
            "report_html_bytes": report.stat().st_size,
            "report_chart_files_bytes": sum(p.stat().st_size for p in charts.iterdir()),
            "first_chart_rendered_seconds": first_chart,
        }


def _first_chart_seconds(report: Path) -> float | None:
    """Time from navigation to the first chart's SVG in headless Chromium (None without it)."""
    sys.path.insert(0, str(REPO))
    try:
        from tests.browser import CHROMIUM_FLAGS, chromium_path
    finally:
        sys.path.pop(0)
    if chromium_path() is None:
        return None
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True
            )
            page = context.new_page()
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
            )
            began = time.perf_counter()
            page.goto(report.as_uri(), wait_until="commit")
            page.wait_for_selector(".chart svg", timeout=60_000)
            took = time.perf_counter() - began
            context.close()
            return round(took, 3)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
