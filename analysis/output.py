"""Printing tables for people (aligned) and for scripts (CSV, JSON)."""

from __future__ import annotations

import csv
import json
import math
import sys
from typing import Any


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def print_rows(columns: list[str], rows: list[tuple], fmt: str, title: str | None = None) -> None:
    if fmt == "json":
        records = [{c: _clean(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else _clean(v) for v in row])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for row in rows:
            table.add_row(*["" if v is None else str(_clean(v)) for v in row])
        Console().print(table)


BATCH_ROWS = 10_000
TABLE_MAX_ROWS = 1_000  # an aligned table needs all its rows for its widths: show at most these


def print_frame(frame: Any, fmt: str, title: str | None = None) -> None:
    """Print a polars DataFrame; CSV and JSON a batch of rows at a time, so that memory holds
    one batch of Python objects, not the whole table (JSON byte for byte as for all rows). The
    table, whose column widths need all its rows, shows the first :data:`TABLE_MAX_ROWS` and
    says so on standard error."""
    if fmt == "table":
        print_rows(frame.columns, frame.head(TABLE_MAX_ROWS).rows(), fmt, title)
        if frame.height > TABLE_MAX_ROWS:
            sys.stdout.flush()
            print(
                f"note: the table shows the first {TABLE_MAX_ROWS:,} of {frame.height:,} rows; "
                "use --format csv or --format json for all of them",
                file=sys.stderr,
            )
        return
    if frame.height <= BATCH_ROWS:
        print_rows(frame.columns, frame.rows(), fmt, title)
        return
    if fmt == "csv":
        print_rows(frame.columns, [], "csv")
        writer = csv.writer(sys.stdout, lineterminator="\n")
        for part in frame.iter_slices(BATCH_ROWS):
            writer.writerows(["" if v is None else _clean(v) for v in row] for row in part.rows())
        return
    opening = "[\n"
    for part in frame.iter_slices(BATCH_ROWS):
        records = [
            {c: _clean(v) for c, v in zip(frame.columns, r, strict=True)} for r in part.rows()
        ]
        text = json.dumps(records, ensure_ascii=False, indent=1)
        sys.stdout.write(opening + text[2:-2])  # the batch's records, without its own [ ]
        opening = ",\n"
    sys.stdout.write("\n]\n")
