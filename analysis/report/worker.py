"""Draw the report's pages and charts in a separate process:
`python -m analysis.report.worker DB OUT_DIR [CACHE_DIR [CODE]]` (CODE: the package's
fingerprint, under which unchanged article pages are reused from CACHE_DIR). The exports are
written by a worker of their own (:mod:`analysis.report.exports_worker`).

The build runs this beside its validation stage so the two use both cores. Like every helper
process of the build (:mod:`analysis.workers`), it dies with its parent and reports a failure
as the last line of its log.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

from analysis.workers import run


def main(argv: list[str]) -> NoReturn:
    warehouse, out_dir = Path(argv[0]), Path(argv[1])
    cache_dir = Path(argv[2]) if len(argv) > 2 else None
    code = argv[3] if len(argv) > 3 else None

    def draw() -> None:
        from analysis.report.write import write_reports

        write_reports(warehouse, out_dir, None, cache_dir, code, exports=False)

    run(draw, lambda: out_dir)


if __name__ == "__main__":
    main(sys.argv[1:])
