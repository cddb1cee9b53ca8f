"""Archive scaling: `python -m benchmarks.archive [--sizes 1 100 1000]`.

For each size, a project whose seeds/ holds the desk's article and an archive of N generated
articles (a JSON Lines file; each article about 20 KB of real paragraphs of many outlets, drawn
with its own seed and given new digits by :func:`benchmarks.corpus.realistic`, so no two are
alike) is built cold with `analysis build --validation sql`, built again with nothing
changed, then one article is added and the project built again. New digits break the
arithmetic of many real sentences, so the verdicts of these archives mean nothing; their
density of figures and claims is real copy's, their repeats are not: the 755 paragraphs of the
development corpus are drawn about 130 times an article, so each comes back about N / 6 times
(some 1,700 times in 10,000 articles; years and single digits keep their values), far more
than a real archive reprints its copy, which makes matching claims across documents costlier
than on real copy. Prints per-stage wall time, MB/s, peak memory and warehouse size. Measured,
never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import realistic

REPO = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out" / "archive.json"
ARTICLE_BYTES = 20_000
_STAGE = re.compile(r"stage (\w+): done in ([\d.]+) s")


def _article(i: int, n_bytes: int = ARTICLE_BYTES) -> dict:
    return {
        "id": f"article-{i:06d}",
        "title": f"Generated article {i}",
        "url": f"https://example.org/articles/{i}",
        "outlet": "Benchmark Wire",
        "published": f"20{10 + i % 14}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "text": realistic(n_bytes, seed=i),
    }


def _write_archive(path: Path, n: int, n_bytes: int = ARTICLE_BYTES) -> int:
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            line = json.dumps(_article(i, n_bytes)) + "\n"
            size += len(line.encode("utf-8"))
            out.write(line)
    return size


def _timed_build(root: Path, jobs: int) -> tuple[float, dict[str, float], float]:
    """Wall seconds, per-stage seconds and peak RSS (MiB) of one build."""
    began = time.perf_counter()
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "analysis", "build", "--validation", "sql"),
            *("--jobs", str(jobs), "--root", str(root)),
        ],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "GX_ANALYTICS_ENABLED": "false"},
    )
    err = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"build failed: {err.strip().splitlines()[-1:]}")
    stages = {m.group(1): float(m.group(2)) for m in _STAGE.finditer(err)}
    return took, stages, round(usage.ru_maxrss / 1024, 1)


def measure(n: int, n_bytes: int = ARTICLE_BYTES, jobs: int = 2) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(REPO / "seeds", root / "seeds")
        shutil.copytree(
            REPO / "data",
            root / "data",
            ignore=shutil.ignore_patterns("warehouse*.duckdb*", ".warehouse*", ".cache", ".build*"),
        )
        archive = root / "seeds" / "archive.jsonl"
        size = _write_archive(archive, n, n_bytes)
        cold, stages, peak = _timed_build(root, jobs)
        unchanged, _, _ = _timed_build(root, jobs)  # nothing to do: the no-op build
        with archive.open("a", encoding="utf-8") as out:
            out.write(json.dumps(_article(n, n_bytes)) + "\n")
        added, added_stages, _ = _timed_build(root, jobs)
        return {
            "articles": n,
            "archive_mb": round(size / 1e6, 2),
            "cold_seconds": round(cold, 2),
            "cold_stages": stages,
            "extract_mb_per_s": round(size / 1e6 / stages["extract"], 2)
            if stages.get("extract")
            else None,
            "peak_rss_mib": peak,
            "warehouse_mib": round((root / "data" / "warehouse.duckdb").stat().st_size / 2**20, 2),
            "reports_mib": round(
                sum(p.stat().st_size for p in (root / "reports").rglob("*") if p.is_file()) / 2**20,
                2,
            ),
            "noop_seconds": round(unchanged, 2),
            "add_one_seconds": round(added, 2),
            "add_one_stages": added_stages,
        }


COLUMNS = (
    ("articles", "articles", "{:,}"),
    ("MB", "archive_mb", "{}"),
    ("cold s", "cold_seconds", "{}"),
    ("MB/s", None, "{:.3f}"),
    ("extract MB/s", "extract_mb_per_s", "{}"),
    ("peak MiB", "peak_rss_mib", "{:,.0f}"),
    ("warehouse MiB", "warehouse_mib", "{}"),
    ("reports MiB", "reports_mib", "{}"),
    ("no-op s", "noop_seconds", "{}"),
    ("add one s", "add_one_seconds", "{}"),
)


def table(results: list[dict]) -> str:
    """The scaling table: one row per archive size, then each size's stages (cold; add one)."""
    rows = [[title for title, _, _ in COLUMNS]]
    for r in results:
        rate = r["archive_mb"] / r["cold_seconds"] if r["cold_seconds"] else 0.0
        rows.append([fmt.format(rate if key is None else r[key]) for _, key, fmt in COLUMNS])
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    for r in results:
        cold = ", ".join(f"{k} {v}" for k, v in r["cold_stages"].items())
        added = ", ".join(f"{k} {v}" for k, v in r["add_one_stages"].items())
        lines.append(f"{r['articles']:,} articles, cold: {cold}; add one: {added}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--article-bytes", type=int, default=ARTICLE_BYTES)
    parser.add_argument("--jobs", type=int, default=2, help="passed to analysis build")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    results = [measure(n, args.article_bytes, args.jobs) for n in args.sizes]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"wrote {args.out}")
    return results


if __name__ == "__main__":
    main()
