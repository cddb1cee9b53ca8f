"""Extraction throughput on the generated corpus, and quantulum3 on slices for comparison."""

from __future__ import annotations

import gc
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


def measure_extraction(n_bytes: int) -> dict:
    text = generate(n_bytes)
    size_mb = len(text.encode("utf-8")) / 1e6
    _extract(text[:100_000])  # warm caches (pattern compilation, imports)
    gc.collect()
    began = time.perf_counter()
    n_figures = _extract(text)
    full = time.perf_counter() - began
    gc.collect()
    began = time.perf_counter()
    _scan_and_classify(text)
    core = time.perf_counter() - began
    return {
        "corpus_mb": round(size_mb, 2),
        "figures": n_figures,
        "extract_seconds": round(full, 3),
        "extract_mb_per_s": round(size_mb / full, 2),
        "scan_classify_mb_per_s": round(size_mb / core, 2),
        "target_mb_per_s": 20,
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
