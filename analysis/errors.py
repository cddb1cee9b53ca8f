"""Errors the command line turns into exit codes and one-line messages."""

from __future__ import annotations

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
