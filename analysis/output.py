"""Printing tables for people (aligned text) and for scripts (CSV, JSON)."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.cells import cell_len, get_character_cell_size


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
        lines = table_lines(columns, rows, title, terminal_width())
        sys.stdout.write("".join(line + "\n" for line in lines))


def terminal_width() -> int:
    """The width of the terminal standard output is, for a table to fold to; 0 when it is
    not a terminal (a pipe or a file: no folding)."""
    return shutil.get_terminal_size((0, 0)).columns if sys.stdout.isatty() else 0


_RULE, _BAR, _CROSS = "\u2500", "\u2502", "\u253c"  # ─ │ ┼
_NARROWEST = 6  # terminal cells a folded column keeps
_WORDS = re.compile(r"[^ ]+ *| +")  # a word and the spaces after it


def colour_wanted() -> bool:
    """Whether standard output is a terminal that takes colour (``NO_COLOR`` unset, ``TERM``
    not ``dumb``: https://no-color.org)."""
    return (
        sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM", "") != "dumb"
    )


def table_lines(
    columns: list[str],
    rows: list[tuple],
    title: str | None = None,
    width: int = 0,
    *,
    ruled: bool = False,
    colour: Callable[[int, str], str | None] | None = None,
) -> list[str]:
    """An aligned text table: a header, a rule, a line per row (more when a cell folds).
    Every cell is shown as its text, never read as markup, with line breaks and other
    invisible characters written as escapes (:func:`visible`: a cell cannot move the cursor
    or colour the terminal); numbers are right-aligned. With ``width`` (a terminal's), the
    widest text columns are folded, between words where they can, until the table fits
    (numbers are never folded); without, each column is as wide as its widest cell.
    ``ruled``: a rule between rows too (for cells that fold over several lines). ``colour``:
    for a terminal, the ``#rrggbb`` colour a cell's text is printed in (bold), given its
    column's index and its text, or None."""
    lines = [] if title is None else [visible(title)]
    if not columns:
        return lines
    numeric = [
        any(r[i] is not None for r in rows)
        and all(
            isinstance(r[i], int | float | Decimal) and not isinstance(r[i], bool)
            for r in rows
            if r[i] is not None
        )
        for i in range(len(columns))
    ]
    head = [visible(c) for c in columns]
    body = [["" if v is None else visible(str(_clean(v))) for v in row] for row in rows]
    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in body]) for i, h in enumerate(head)]
    if width:
        _fit(widths, numeric, width - 3 * (len(widths) - 1))
    last = len(widths) - 1
    rule = _CROSS.join(_RULE * (w + (i > 0) + (i < last)) for i, w in enumerate(widths))
    lines += _row_lines(head, widths, [False] * len(widths), None)
    lines.append(rule)
    for k, r in enumerate(body):
        if ruled and k:
            lines.append(rule)
        lines += _row_lines(r, widths, numeric, colour)
    return lines


def _fit(widths: list[int], numeric: list[bool], room: int) -> None:
    """Narrow the widest text columns to one cap, as wide as fits in ``room`` (never below
    :data:`_NARROWEST`, nor a number column at all), and give what is left over to the
    columns the cap cut, one cell each."""
    foldable = [i for i, n in enumerate(numeric) if not n and widths[i] > _NARROWEST]
    fixed = sum(w for i, w in enumerate(widths) if i not in foldable)
    if not foldable or fixed + sum(widths[i] for i in foldable) <= room:
        return
    low, high = _NARROWEST, max(widths[i] for i in foldable)
    while low < high:  # the widest cap that fits
        cap = (low + high + 1) // 2
        if fixed + sum(min(widths[i], cap) for i in foldable) <= room:
            low = cap
        else:
            high = cap - 1
    cut = [i for i in foldable if widths[i] > low]
    spare = room - fixed - sum(min(widths[i], low) for i in foldable)
    for i in foldable:
        widths[i] = min(widths[i], low)
    for i in cut[: max(0, spare)]:
        widths[i] += 1


def _row_lines(
    cells: list[str],
    widths: list[int],
    right: list[bool],
    colour: Callable[[int, str], str | None] | None,
) -> list[str]:
    pieces = [_fold(c, w) for c, w in zip(cells, widths, strict=True)]
    hues = [colour(i, c) if colour else None for i, c in enumerate(cells)]
    lines = []
    for k in range(max(len(p) for p in pieces)):
        parts = []
        for piece, w, r, hue in zip(pieces, widths, right, hues, strict=True):
            text = piece[k] if k < len(piece) else ""
            pad = " " * (w - cell_len(text))
            if hue and text:
                red, green, blue = (int(hue[j : j + 2], 16) for j in (1, 3, 5))
                text = f"\x1b[1;38;2;{red};{green};{blue}m{text}\x1b[0m"
            parts.append(pad + text if r else text + pad)
        lines.append((" " + _BAR + " ").join(parts).rstrip())
    return lines


def _fold(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells: broken between words where it
    can be, and inside a word longer than the line (in time linear in its length)."""
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for word in _WORDS.findall(text):
        bare = word.rstrip(" ")
        size = cell_len(bare)
        if used and used + size > width:
            lines.append("".join(line).rstrip(" "))
            line, used = [], 0
        if size > width - used:  # longer than a line: cut it where the line ends
            for ch in bare:
                cells = get_character_cell_size(ch)
                if used and used + cells > width:
                    lines.append("".join(line))
                    line, used = [], 0
                line.append(ch)
                used += cells
        else:
            line.append(bare)
            used += size
        line.append(word[len(bare) :])
        used += len(word) - len(bare)
    tail = "".join(line).rstrip(" ")
    if tail or not lines:
        lines.append(tail)
    return lines


def visible(text: str) -> str:
    """``text`` with line breaks, tabs, escape sequences and other invisible characters
    (controls, format characters such as bidirectional overrides) written as Python escapes
    (``\\n``, ``\\x1b``, ``\\u202e``); spaces of every width (no-break, thin) stay."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or unicodedata.category(c) == "Zs" else repr(c)[1:-1] for c in text
    )


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
