"""Draw the report's pages and charts in a separate process:
`python -m analysis.report.worker [--exports] DB OUT_DIR [CACHE_DIR [CODE]]` (CODE: the
package's fingerprint, under which unchanged article pages are reused from CACHE_DIR). The
exports are written by a worker of their own (:mod:`analysis.report.exports_worker`), or,
with ``--exports`` (a small archive's build: helpers.EXPORTS_APART_FROM), by this one after the
pages.

The command line starts it ahead, as `python -m analysis.report.worker --ahead`: it imports
what drawing needs (its libraries, Altair among them, about a second and a half) while the
build extracts, checks and loads, then reads those arguments as a JSON list, one line on its
standard input (:func:`analysis.workers.arguments`); an input closed without one ends it.

The build runs this beside its validation stage so the two use both cores. Like every helper
process of the build (:mod:`analysis.workers`), it dies with its parent and reports a failure
as the last line of its log. It lowers its own priority (:data:`NICENESS`): when an archive's
pages come from the cache (an article added, changed or removed), the exports worker beside it
is the report's longest part, so the build waits for it, and the pages fit in what validation
leaves of the cores. A cold build, which draws every page, gains nothing from it nor loses.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import NoReturn

from analysis.workers import EXPORTS_TOO, arguments, run

# How much this worker yields the cores to the exports worker and validation (POSIX nice: 10
# weighs a tenth of 0). Alone, at 10,000 articles, the exports take 52 s and the pages 23 s;
# run together with the SQL validation as a build runs them, all three took 79.5 s, and 64.8 s
# with the pages at 10; at 1,000 articles 9.5-10.9 s and 8.5 s (2026-12-01: the three started
# together on a published warehouse; docs/architecture.md, "What adding one article still
# costs"). Whole builds at 10,000 articles: adding one article 158 s before, 145 s after
# (validate and report 79 s, 65 s); cold, validate and report 148 s both (README).
NICENESS = 10


def main(argv: list[str]) -> NoReturn:
    with contextlib.suppress(OSError):  # a system that refuses it draws at the build's pace
        os.nice(NICENESS)
    given: list[str] = []

    def draw() -> None:
        import altair  # noqa: F401  (the charts' library, imported before the request)

        from analysis.report.write import write_reports

        args = arguments(argv)
        if args is None:
            return  # the build stopped before drawing
        exports = args[:1] == [EXPORTS_TOO]
        args = args[1:] if exports else args
        given.extend(args)
        warehouse, out_dir = Path(args[0]), Path(args[1])
        cache_dir = Path(args[2]) if len(args) > 2 else None
        code = args[3] if len(args) > 3 else None
        write_reports(warehouse, out_dir, None, cache_dir, code, exports=exports)

    run(draw, lambda: Path(given[1]) if len(given) > 1 else None)


if __name__ == "__main__":
    main(sys.argv[1:])
