"""Write the report's exports in a separate process:
`python -m analysis.report.exports_worker DB OUT_DIR` (OUT_DIR new; the files go to
OUT_DIR/exports).

An archive's exports are the longest part of its report: a workbook and a CSV of every claim,
check and figure, millions of cells at a thousand articles. The build writes them in this
process while the report worker draws the pages and the build validates, then moves them into
the new report folder. Like every helper process of the build (:mod:`analysis.workers`), it
dies with its parent and reports a failure as the last line of its log.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

from analysis.workers import run


def main(argv: list[str]) -> NoReturn:
    warehouse, out_dir = Path(argv[0]), Path(argv[1])

    def write() -> None:
        from analysis.report.write import write_export_files

        write_export_files(warehouse, out_dir)

    run(write, lambda: out_dir)


if __name__ == "__main__":
    main(sys.argv[1:])
