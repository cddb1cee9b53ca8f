"""What the build's helper processes (the report workers, the validator) share: they die with
the build that started them, and a failure leaves one last line in their log.

Each worker dies with its parent (Linux PR_SET_PDEATHSIG), so a killed build leaves no process
behind; one whose build was killed before it could ask leaves at once (the build names itself
in ``ANALYSIS_BUILD_PID``). The build reports the last line a worker wrote to its log, so a
failure ends with one line naming the file and what went wrong (``BadInput``, or an
operating-system error such as a full disk, never an empty message). The log lives on the disk
that may be full: a worker reserves room in it when it starts, and writes its last line over
that room.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import json
import os
import signal
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

_PR_SET_PDEATHSIG = 1
# how the build words a helper's failure; the command line shows it as one line, a failure of
# the machine (a full disk, an unreadable file, memory) rather than of the code
FAILED = {"report": "drawing the report failed", "validator": "validating the warehouse failed"}
# the build's process id, given to each helper it starts
PARENT_VARIABLE = "ANALYSIS_BUILD_PID"
RESERVED = 4096  # bytes of the log held for the last line (one block of most file systems)
# a helper's last line when it succeeds: its own peak memory (:func:`own_peak_mib`)
PEAK_LINE = "peak memory {:.1f} MiB"


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, found once (``find_library`` runs ``ldconfig``: not again in a fork)."""
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def die_with_parent(parent: int | None = None) -> None:
    """Be killed when the parent ends; leave at once if it has ended already: ``parent``, the
    process that started this one (by default the build, which names itself in
    :data:`PARENT_VARIABLE`; a build killed before this interpreter could ask to die with it
    would otherwise leave it drawing on, unseen)."""
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is None:
        named = os.environ.get(PARENT_VARIABLE, "")
        parent = int(named) if named.isdigit() else None
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def reserve(fd: int) -> bool:
    """Hold room in the log (a regular file) for the last line; False when it cannot."""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False  # a terminal or a pipe: nothing to reserve
        os.write(fd, b" " * (RESERVED - 1) + b"\n")
        return True
    except OSError:
        return False


def _flush_streams() -> None:
    """Standard output and error written out: a helper's output and its errors go to the
    same log, and a line written there after them must come last."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()


def _line_bytes(line: str) -> bytes:
    """``line`` as one line of the log (its line breaks folded, within the reserved room)."""
    return line.replace("\n", " ")[: RESERVED - 2].encode("utf-8", "replace") + b"\n"


def last_line(fd: int, line: str, reserved: bool) -> None:
    """Write ``line`` as the log's last line: over the reserved room when there is some (no
    new space is needed on a full disk), else appended."""
    data = _line_bytes(line)
    _flush_streams()
    with contextlib.suppress(OSError):
        if reserved:
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, data)
            os.ftruncate(fd, len(data))
        else:
            os.write(fd, data)


def own_peak_mib() -> float | None:
    """This process's own peak resident memory in MiB (Linux's ``VmHWM``), or None where the
    system does not say. Not ``getrusage``'s: a process started by exec keeps in it the peak
    of the process it was forked from, so a worker started by a build holding 6 GB said it
    had used 6 GB."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # KiB
    except (OSError, ValueError, IndexError):
        return None
    return None


def append_line(fd: int, line: str) -> None:
    """Write ``line`` after what the log holds, on a line of its own (nothing when the disk
    is full: the line is a report, not a failure)."""
    _flush_streams()
    with contextlib.suppress(OSError):
        os.write(fd, b"\n" + _line_bytes(line))


AHEAD = "--ahead"  # a report worker's only argument when the build starts it ahead
EXPORTS_TOO = "--exports"  # the pages worker's first argument when it writes the exports too


def arguments(argv: list[str]) -> list[str] | None:
    """A report worker's arguments: ``argv``, or, when it was started ahead (``argv`` is
    :data:`AHEAD`), the JSON list the build writes as one line on its standard input once the
    new warehouse is ready; None when that input closes without one (the build stopped
    before drawing)."""
    if argv != [AHEAD]:
        return argv
    line = sys.stdin.readline()
    if not line.strip():
        return None
    given = json.loads(line)
    if not isinstance(given, list) or not all(isinstance(a, str) for a in given):
        raise ValueError(f"a report worker's request must be a list of strings, not {line!r}")
    return given


def run(work: Callable[[], object], about: Callable[[], Path | None]) -> NoReturn:
    """A helper process's life: die with the parent, hold room in the log (standard error),
    run ``work``, and turn bad input or an operating-system error into the log's last line
    (``about()`` names the file when the error does not) and exit code 2. Done, its last line
    is its own peak memory (:data:`PEAK_LINE`), where the system says it.

    The process then leaves at once (:func:`os._exit`), its output written and closed: the
    interpreter's own teardown of the libraries it imported (Great Expectations, pandas) costs
    about a second, and the build waits for the exit. A bug's exception is not caught; it ends
    the process with its traceback as usual."""
    die_with_parent()
    from analysis.errors import BadInput, os_error_line

    reserved = reserve(2)
    code = 0
    try:
        work()
        peak = own_peak_mib()
        if peak is not None:
            append_line(2, PEAK_LINE.format(peak))
    except BadInput as err:
        last_line(2, err.one_line(), reserved)
        code = 2
    except OSError as err:
        last_line(2, os_error_line(err, about()), reserved)
        code = 2
    _flush_streams()
    os._exit(code)
