"""The benchmark scripts run (in quick mode); their numbers are never asserted."""

from __future__ import annotations

import json
import re
from pathlib import Path

from benchmarks.corpus import REAL, generate, realistic
from benchmarks.run import main


def test_corpus_is_deterministic() -> None:
    assert generate(50_000) == generate(50_000)
    assert len(generate(50_000).encode("utf-8")) >= 50_000


def test_realistic_articles_are_real_paragraphs_with_new_digits() -> None:
    """Every paragraph of a drawn article is a real article's line, digits aside; the same
    seed gives the same article, another seed another one, and figures get new digits."""
    shape = re.compile(r"\d")
    real = {
        shape.sub("#", ln.strip())
        for path in REAL.glob("*.txt")
        for ln in path.read_text("utf-8").splitlines()
        if ln.strip()
    }
    one, again, other = realistic(20_000, 7), realistic(20_000, 7), realistic(20_000, 8)
    assert one == again != other
    assert len(one.encode("utf-8")) >= 20_000
    paragraphs = [p for p in one.split("\n") if p]
    assert all(shape.sub("#", p) in real for p in paragraphs)
    raw = {ln.strip() for path in REAL.glob("*.txt") for ln in path.read_text("utf-8").splitlines()}
    changed = [p for p in paragraphs if re.search(r"\d\d", p) and p not in raw]
    assert changed  # figures of two digits or more were given new ones


def test_quick_benchmark_writes_its_results(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    main(["--quick", "--out", str(out)])
    results = json.loads(out.read_text("utf-8"))
    from benchmarks.extraction import _extract

    assert results["extraction"]["figures"] == _extract(generate(200_000))
    extraction = results["extraction"]
    assert extraction["extract_mb_per_s"] > 0 and extraction["regex_floor_mb_per_s"] > 0
    # the floor's pattern finds at least every figure the full path keeps
    assert extraction["regex_floor_candidates"] >= extraction["figures"]
    assert set(extraction["command_mb_per_s"]) == {"table", "csv", "json"}
    assert results["build"]["cold_build_seconds"] > 0
    assert results["build"]["validation"] == "sql"
    assert results["build"]["report_html_bytes"] > 0


def test_hostile_benchmark_runs(tmp_path: Path) -> None:
    from benchmarks.hostile import CASES
    from benchmarks.hostile import main as hostile

    out = tmp_path / "hostile.json"
    hostile(["--quick", "--out", str(out)])
    results = json.loads(out.read_text("utf-8"))
    assert [r["text"] for r in results["hostile"]] == list(CASES)
    assert all(r["seconds"] > 0 and r["peak_mb"] > 0 for r in results["hostile"])


def test_archive_benchmark_runs(tmp_path: Path) -> None:
    from benchmarks.archive import main as archive

    out = tmp_path / "archive.json"
    (result,) = archive(
        ["--sizes", "2", "--article-bytes", "5000", "--jobs", "1", "--out", str(out)]
    )
    assert json.loads(out.read_text("utf-8")) == [result]
    assert result["articles"] == 2 and result["archive_mb"] >= 0.01  # two texts of 5 KB
    assert {"read", "extract", "check", "load", "validate", "report"} <= set(result["cold_stages"])
    assert result["add_one_seconds"] > 0 and result["warehouse_mib"] > 0
    assert 0 < result["noop_seconds"] < result["cold_seconds"]
