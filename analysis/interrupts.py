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

_caught: list[int] = []  # the signals catch() handles (not those the process ignored)
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
        return f"interrupted by {name} before the command finished: {WHAT_IS_LEFT}"


QUERY_STOPPED = "Query interrupted"  # DuckDB's words for a query a signal stopped

# what a journalist finds after an interrupted command (docs/hostile-input.md)
WHAT_IS_LEFT = (
    "what it printed may be cut short; files it replaces whole (a build's warehouse and "
    "reports, --out, exports) are the earlier ones or the new ones"
)


def _received(signum: int, _frame: FrameType | None) -> None:
    global last
    last = signum
    if _held:
        _pending.append(signum)
        return
    raise Interrupted(signum)


def catch() -> None:
    """SIGINT and SIGTERM raise :class:`Interrupted` from now on (main thread only: Python
    runs signal handlers there); a signal the process was started ignoring (a shell's
    background job ignores SIGINT) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in SIGNALS:
        if signum in _caught or signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _received)
            if signum not in _caught:
                _caught.append(signum)


def reinstate() -> None:
    """:func:`catch`'s handlers again, after a library replaced them below Python (Ray's
    ``init`` and ``shutdown`` leave SIGTERM ending the process at once, while Python still
    reports its own handler); nothing when :func:`catch` was not called."""
    if _caught and threading.current_thread() is threading.main_thread():
        for signum in _caught:
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
    """``err`` as :class:`Interrupted` when a signal caused it: DuckDB's report of a query it
    stopped because a signal arrived (a RuntimeError saying "Query interrupted": the
    handler's exception does not come through it), or an error raised while the interruption
    unwound (its cause or context); None for anything else, and for DuckDB stopping a query's
    other threads after one failed, which is no signal's doing."""
    seen: set[int] = set()
    cause: BaseException | None = err
    while cause is not None and id(cause) not in seen:  # "import duckdb" wraps it in an
        seen.add(id(cause))  # ImportError ("initialization failed")
        if isinstance(cause, Interrupted):
            return cause
        if last is not None and isinstance(cause, RuntimeError) and str(cause) == QUERY_STOPPED:
            return Interrupted(last)
        cause = cause.__cause__ or cause.__context__
    return None
