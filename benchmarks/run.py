"""Run the benchmarks: `python -m benchmarks.run [--quick]`.

Prints a table and writes benchmarks/out/results.json. Numbers are measurements of this
machine, never assertions: CI runs `--quick` only to prove the scripts work.
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

from benchmarks.build import measure_build
from benchmarks.extraction import measure_extraction, measure_quantulum

OUT = Path(__file__).resolve().parent / "out" / "results.json"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs, to prove it runs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    corpus_bytes = 200_000 if args.quick else 100_000_000
    slices = [1_000] if args.quick else [5_000, 10_000, 20_000]
    results = {
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "quick": args.quick,
        # a smoke run validates in DuckDB only: Great Expectations' own start-up is measured by
        # the full run, and the suite exercises it elsewhere
        "build": measure_build(
            repeats=1 if args.quick else 3, validation="sql" if args.quick else "full"
        ),
        # a smoke run times the command line on a quarter of its corpus: the table format
        # alone (Rich laying out 1,000 rows) would take most of its time
        "extraction": measure_extraction(corpus_bytes, 50_000 if args.quick else None),
        "quantulum3": measure_quantulum(slices),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _print_table(results)
    print(f"wrote {args.out}")
    return results


def _print_table(results: dict) -> None:
    e = results["extraction"]
    b = results["build"]
    rows = [
        (f"import floor ({b['validation']} validation)", f"{b['import_floor_seconds']} s"),
        (
            "cold full build",
            f"{b['cold_build_seconds']} s = {b['cold_to_floor_ratio']}× floor "
            f"(target ≤ {b['cold_to_floor_target']}×)",
        ),
        ("no-op rebuild", f"{b['noop_rebuild_seconds']} s (target < {b['noop_target_seconds']} s)"),
        (
            'analysis sql "select 1"',
            f"{b['sql_select_1_seconds']} s (target < {b['sql_target_seconds']} s)",
        ),
        ("cold build peak RSS", f"{b['cold_build_peak_rss_mib']} MiB"),
        (
            "report size",
            f"{b['report_html_bytes']:,} B page + {b['report_chart_files_bytes']:,} B chart files",
        ),
        (
            "first chart rendered (Chromium)",
            f"{b['first_chart_rendered_seconds']} s"
            if b["first_chart_rendered_seconds"] is not None
            else "no Chromium",
        ),
        ("corpus", f"{e['corpus_mb']} MB, {e['figures']:,} figures"),
        ("regex floor (candidate pattern, polars)", f"{e['regex_floor_mb_per_s']} MB/s"),
        (
            "extract (full: sections, quotes, sentences)",
            f"{e['extract_mb_per_s']} MB/s = {e['extract_to_floor_ratio']}× floor "
            f"(target ≥ {e['target_ratio']}×)",
        ),
        ("scan + classify only", f"{e['scan_classify_mb_per_s']} MB/s"),
        *(
            (
                f"analysis extract --format {fmt}",
                f"{mb} MB/s = {e['command_to_floor_ratio'][fmt]}× floor "
                f"({e['command_mb']} MB, start-up included)",
            )
            for fmt, mb in e["command_mb_per_s"].items()
        ),
    ]
    for q in results["quantulum3"]:
        if "note" in q:
            rows.append(("quantulum3", q["note"]))
        else:
            rows.append(
                (f"quantulum3 on {q['slice_kb']} KB", f"{q['kb_per_s']} KB/s ({q['seconds']} s)")
            )
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
