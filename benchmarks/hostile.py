"""Time and memory of `analysis extract` on hostile text, against ordinary news of the same run.

`python -m benchmarks.hostile [--quick]` writes each text to a temporary folder, runs
`analysis extract --format json` on it in a child process and reads the child's wall time and
peak memory (``os.wait4``). The budget of docs/hostile-input.md: every hostile text within three
times the time of 1 MB of ordinary news, and under 500 MB. Printed and written to
benchmarks/out/hostile.json; never asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import generate

OUT = Path(__file__).resolve().parent / "out" / "hostile.json"
TIME_BUDGET = 3.0  # times the ordinary news of the same size
MEMORY_BUDGET_MB = 500


def one_line(n_bytes: int) -> str:
    """Ordinary news with every line break and full stop removed: one sentence, one line."""
    return generate(n_bytes).replace("\n", " ").replace(". ", " ")


def capitals(n_bytes: int) -> str:
    return "A" * n_bytes


def capital_words(n_bytes: int) -> str:
    return "Word " * (n_bytes // 5)


def said(n_bytes: int) -> str:
    return '"x," he said. ' * (n_bytes // 14)


def quoted_capitals(n_bytes: int) -> str:
    """Quotation marks, capitalised names and speech verbs with figures among them."""
    unit = '"The Fund Said 12 percent," Ann Lee Of The Bank said, “and 3 more” '
    return unit * (n_bytes // len(unit))


def number_spaces(n_bytes: int) -> str:
    """Digit groups joined by no-break, thin and zero-width characters."""
    unit = "1\u00a0000\u202f000 dollars and 6\u200f7 percent, ١٢٣ and ４５ people. "
    return unit * (n_bytes // len(unit.encode("utf-8")))


CASES: dict[str, Callable[[int], str]] = {
    "one line, no full stops": one_line,
    "capital letters": capitals,
    "capitalised words": capital_words,
    '"x," he said.': said,
    "quotes, names and figures": quoted_capitals,
    "spaced and foreign digits": number_spaces,
}


def _run(path: Path) -> tuple[float, float]:
    """Seconds and peak megabytes of `analysis extract` on ``path`` in a child process."""
    command = [sys.executable, "-m", "analysis", "extract", str(path), "--format", "json"]
    began = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"analysis extract failed on {path}: {child.stderr.read().decode()}")
    child.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def measure(n_bytes: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        news = folder / "news.txt"
        news.write_text(generate(n_bytes), "utf-8")
        base_seconds, base_mb = _run(news)
        rows = []
        for name, make in CASES.items():
            path = folder / f"{len(rows)}.txt"
            path.write_text(make(n_bytes), "utf-8")
            seconds, mb = _run(path)
            rows.append(
                {
                    "text": name,
                    "bytes": path.stat().st_size,
                    "seconds": round(seconds, 2),
                    "times_news": round(seconds / base_seconds, 2),
                    "peak_mb": round(mb),
                    "within_budget": seconds <= TIME_BUDGET * base_seconds
                    and mb <= MEMORY_BUDGET_MB,
                }
            )
    return {
        "news": {"bytes": n_bytes, "seconds": round(base_seconds, 2), "peak_mb": round(base_mb)},
        "hostile": rows,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="50 KB texts, to prove it runs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    results = measure(50_000 if args.quick else 1_000_000)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    news = results["news"]
    print(f"ordinary news, {news['bytes']:,} bytes: {news['seconds']} s, {news['peak_mb']} MB")
    for row in results["hostile"]:
        mark = "ok" if row["within_budget"] else "OVER BUDGET"
        print(
            f"  {row['text']:<28} {row['seconds']:>7} s  {row['times_news']:>5}× news  "
            f"{row['peak_mb']:>5} MB  {mark}"
        )
    print(f"wrote {args.out}")
    return results


if __name__ == "__main__":
    main()
