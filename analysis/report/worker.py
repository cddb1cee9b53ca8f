"""Draw the report in a separate process: `python -m analysis.report.worker DB OUT_DIR [CACHE_DIR]`.

The build runs this beside its validation stage so the two use both cores. The worker dies
with its parent (Linux PR_SET_PDEATHSIG), so a killed build leaves no process behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    name = ctypes.util.find_library("c")
    if name:
        ctypes.CDLL(name).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def main(argv: list[str]) -> int:
    _die_with_parent()
    from analysis.report.write import write_reports

    warehouse, out_dir = Path(argv[0]), Path(argv[1])
    cache_dir = Path(argv[2]) if len(argv) > 2 else None
    write_reports(warehouse, out_dir, None, cache_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
