"""Write the report's exports in a separate process:
`python -m analysis.report.exports_worker DB OUT_DIR` (OUT_DIR new; the files go to
OUT_DIR/exports).

An archive's exports are the longest part of its report: a workbook and a CSV of every claim,
check and figure, millions of cells at a thousand articles. The build writes them in this
process while the report worker draws the pages and the build validates, then moves them into
the new report folder. Like every helper process of the build (:mod:`analysis.workers`), it
dies with its parent and reports a failure as the last line of its log. Started ahead
(`--ahead`), it imports its libraries first and reads its arguments on its standard input, as
the report worker does (:mod:`analysis.report.worker`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

from analysis.workers import arguments, run


def main(argv: list[str]) -> NoReturn:
    given: list[str] = []

    def write() -> None:
        from analysis.report.write import write_export_files

        args = arguments(argv)
        if args is None:
            return  # the build stopped before drawing
        given.extend(args)
        write_export_files(Path(args[0]), Path(args[1]))

    run(write, lambda: Path(given[1]) if len(given) > 1 else None)


if __name__ == "__main__":
    main(sys.argv[1:])
