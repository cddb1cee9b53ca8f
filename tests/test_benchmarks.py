"""The benchmark scripts run (in quick mode); their numbers are never asserted."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.corpus import generate
from benchmarks.run import main


def test_corpus_is_deterministic() -> None:
    assert generate(50_000) == generate(50_000)
    assert len(generate(50_000).encode("utf-8")) >= 50_000


def test_quick_benchmark_writes_its_results(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    main(["--quick", "--out", str(out)])
    results = json.loads(out.read_text("utf-8"))
    from benchmarks.extraction import _extract

    assert results["extraction"]["figures"] == _extract(generate(200_000))
    assert results["extraction"]["extract_mb_per_s"] > 0
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
