"""Errors the command line turns into exit codes and one-line messages."""

from __future__ import annotations

import os
from pathlib import Path


class BadInput(Exception):
    """Input the user must fix: exit code 2, one line naming the file and place."""

    exit_code = 2

    def __init__(self, path: Path | str | None, message: str, place: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.place = place
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.path or ""
        if self.place:
            where = f"{where}:{self.place}" if where else self.place
        return f"{where}: {self.message}" if where else self.message


class ValidationFailed(Exception):
    """The built warehouse failed its expectations: exit code 1, old outputs kept."""

    exit_code = 1


def os_error_text(err: OSError) -> str:
    """What went wrong, never empty: the system's words for the error number, else the
    exception's own text, else its class (``OSError()`` raised with no message at all)."""
    if err.strerror:
        return err.strerror
    if err.errno:
        return os.strerror(err.errno)
    return str(err) or type(err).__name__


def os_error_line(err: OSError, default: Path | str | None = None) -> str:
    """One line for an operating-system error: the file it is about (``err.filename``, else
    ``default``, else none) and what went wrong, e.g. ``data/.build.lock: Read-only file
    system``."""
    path = err.filename if err.filename not in (None, "") else default
    extra = f" (and {err.filename2})" if err.filename2 not in (None, "") else ""
    text = os_error_text(err)
    return f"{path}{extra}: {text}" if path is not None else text
