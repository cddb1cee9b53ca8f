"""Extraction throughput on the generated corpus, and quantulum3 on slices for comparison."""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks.corpus import generate

REPO = Path(__file__).resolve().parent.parent


def _extract(text: str) -> int:
    from analysis.documents.layout import load_layout
    from analysis.figures.extract import extract_text

    layout = load_layout(None, "default")
    return extract_text(text, layout, title=None, author=None).mentions.height


def _scan_and_classify(text: str) -> int:
    from analysis.figures.extract import find_figures

    return find_figures(text).height


def _regex_floor(text: str) -> tuple[float, int]:
    """Seconds and matches of the floor extraction is measured against (issue 17): the
    candidate pattern alone, run once by polars (``str.extract_all``) over the text's lines,
    with no captures, classification, sections or speakers."""
    import polars as pl

    from analysis.figures.lexicon import load_lexicon
    from analysis.figures.scan import candidate_pattern

    pattern = candidate_pattern(load_lexicon())
    lines = pl.DataFrame({"line": text.split("\n")})
    found = pl.col("line").str.extract_all(pattern).list.len().sum()
    lines.head(10).select(found)  # the pattern compiled outside the timing
    began = time.perf_counter()
    matches = lines.select(found).item()
    return time.perf_counter() - began, matches


def _extract_command(text: str, fmt: str) -> float:
    """Wall seconds of `analysis extract FILE --format FMT` on ``text``, its output discarded
    (the interpreter's start included)."""
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        path = Path(tmp) / "corpus.txt"
        path.write_text(text, "utf-8")
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "analysis", "extract", str(path), "--format", fmt],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            cwd=REPO,
        )
        return time.perf_counter() - began


def measure_extraction(n_bytes: int, command_bytes: int | None = None) -> dict:
    """Extraction's throughput through the public function and through `analysis extract` in
    each output format (on the first ``command_bytes`` of the corpus, else all of it), against
    the regular-expression floor measured in the same run."""
    text = generate(n_bytes)
    size_mb = len(text.encode("utf-8")) / 1e6
    _extract(text[:100_000])  # warm caches (pattern compilation, imports)
    gc.collect()
    floor, candidates = _regex_floor(text)
    gc.collect()
    began = time.perf_counter()
    n_figures = _extract(text)
    full = time.perf_counter() - began
    gc.collect()
    began = time.perf_counter()
    _scan_and_classify(text)
    core = time.perf_counter() - began
    command_text = text if command_bytes is None else text[:command_bytes]
    command_mb = len(command_text.encode("utf-8")) / 1e6
    commands = {fmt: _extract_command(command_text, fmt) for fmt in ("table", "csv", "json")}
    return {
        "corpus_mb": round(size_mb, 2),
        "figures": n_figures,
        "regex_floor_candidates": candidates,
        "regex_floor_mb_per_s": round(size_mb / floor, 2),
        "extract_seconds": round(full, 3),
        "extract_mb_per_s": round(size_mb / full, 2),
        "extract_to_floor_ratio": round(floor / full, 4),
        "scan_classify_mb_per_s": round(size_mb / core, 2),
        "command_mb": round(command_mb, 2),
        "command_mb_per_s": {fmt: round(command_mb / s, 2) for fmt, s in commands.items()},
        "command_to_floor_ratio": {
            fmt: round((command_mb / s) / (size_mb / floor), 4) for fmt, s in commands.items()
        },
        "target_ratio": 0.5,
    }


def measure_quantulum(slice_sizes: list[int]) -> list[dict]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser
    except ImportError:
        return [{"note": "quantulum3 not installed (pip install -e '.[bench]')"}]
    out = []
    for size in slice_sizes:
        text = generate(size)[:size]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            began = time.perf_counter()
            found = parser.parse(text)
            took = time.perf_counter() - began
        out.append(
            {
                "slice_kb": round(size / 1000, 1),
                "quantities": len(found),
                "seconds": round(took, 3),
                "kb_per_s": round(size / 1000 / took, 2),
            }
        )
    return out
