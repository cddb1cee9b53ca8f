"""A command stopped by Ctrl-C or SIGTERM (docs/hostile-input.md, "A command stopped midway").

Python's default for SIGTERM ends the process at once: no ``finally`` runs, and the files a
command writes beside its outputs stay behind. :func:`catch` makes both signals raise
:class:`Interrupted` in the main thread instead, so the command unwinds as it does for any
error; :func:`deferred` holds them off while a build publishes, which must not stop between
the warehouse and the report pages.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)

_held = 0  # how many deferred() blocks are open
_pending: list[int] = []  # the signals received while held
last: int | None = None  # the last signal received, for an error that does not carry it


class Interrupted(KeyboardInterrupt):
    """The command was stopped by ``signum``: a KeyboardInterrupt, which ``except Exception``
    does not catch, so every ``finally`` and clean-up on the way out runs."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        """What a shell reports for a command ended by the signal."""
        return 128 + self.signum

    def one_line(self) -> str:
        name = signal.Signals(self.signum).name
        return f"interrupted by {name}: every output is whole, the earlier one or the new one"


def _received(signum: int, _frame: FrameType | None) -> None:
    global last
    last = signum
    if _held:
        _pending.append(signum)
        return
    raise Interrupted(signum)


def catch() -> None:
    """SIGINT and SIGTERM raise :class:`Interrupted` from now on (main thread only: Python
    runs signal handlers there)."""
    if threading.current_thread() is threading.main_thread():
        for signum in SIGNALS:
            signal.signal(signum, _received)


@contextmanager
def deferred() -> Iterator[None]:
    """Run the block whole: a signal received meanwhile is raised when it ends (as
    :class:`Interrupted`, if :func:`catch` was called; otherwise Python's own handlers run
    as usual)."""
    global _held
    _held += 1
    try:
        yield
    finally:
        _held -= 1
    if not _held and _pending:
        signum = _pending[-1]
        _pending.clear()
        raise Interrupted(signum)


def interrupted_by(err: BaseException) -> Interrupted | None:
    """``err`` as :class:`Interrupted` when it is DuckDB's report of a query it stopped because
    a signal arrived (a RuntimeError saying "Query interrupted": the handler's exception
    does not come through it); None for anything else, and for DuckDB stopping a query's
    other threads after one failed, which is no signal's doing."""
    if last is None:
        return None
    if isinstance(err, RuntimeError) and str(err) == "Query interrupted":
        return Interrupted(last)
    return None
