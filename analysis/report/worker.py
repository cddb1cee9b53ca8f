"""Draw the report in a separate process:
`python -m analysis.report.worker DB OUT_DIR [CACHE_DIR [CODE]]` (CODE: the package's
fingerprint, under which unchanged article pages are reused from CACHE_DIR).

The build runs this beside its validation stage so the two use both cores. The worker dies
with its parent (Linux PR_SET_PDEATHSIG), so a killed build leaves no process behind.

The build reports the last line the worker wrote to its log, so a failure ends with one line
naming the file and what went wrong (``BadInput``, or an operating-system error such as a full
disk, never an empty message). The log lives on the disk that may be full: the worker reserves
room in it when it starts, and writes its last line over that room.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import stat
import sys
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_RESERVED = 4096  # bytes of the log held for the last line (one block of most file systems)


def _die_with_parent() -> None:
    name = ctypes.util.find_library("c")
    if name:
        ctypes.CDLL(name).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _reserve(fd: int) -> bool:
    """Hold room in the log (a regular file) for the last line; False when it cannot."""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False  # a terminal or a pipe: nothing to reserve
        os.write(fd, b" " * (_RESERVED - 1) + b"\n")
        return True
    except OSError:
        return False


def _last_line(fd: int, line: str, reserved: bool) -> None:
    """Write ``line`` as the log's last line: over the reserved room when there is some (no
    new space is needed on a full disk), else appended."""
    data = line.replace("\n", " ")[: _RESERVED - 2].encode("utf-8", "replace") + b"\n"
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    with contextlib.suppress(OSError):
        if reserved:
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, data)
            os.ftruncate(fd, len(data))
        else:
            os.write(fd, data)


def main(argv: list[str]) -> int:
    _die_with_parent()
    from analysis.errors import BadInput, os_error_line

    reserved = _reserve(2)
    warehouse, out_dir = Path(argv[0]), Path(argv[1])
    cache_dir = Path(argv[2]) if len(argv) > 2 else None
    code = argv[3] if len(argv) > 3 else None
    try:
        from analysis.report.write import write_reports

        write_reports(warehouse, out_dir, None, cache_dir, code)
    except BadInput as err:
        _last_line(2, err.one_line(), reserved)
        return 2
    except OSError as err:
        _last_line(2, os_error_line(err, out_dir), reserved)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
