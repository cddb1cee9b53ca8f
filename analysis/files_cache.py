"""A content-addressed cache of derived bytes (rendered charts, the Vega bundle), kept in the
project's ``data/.cache/``. Entries are named by a hash of everything that made them and carry
a checksum of their content: a corrupt or tampered entry is detected and made again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from analysis.errors import BadInput
from analysis.files import write_atomic

_HEADER = 64  # hex SHA-256 of the content, then a newline


def cached_bytes(folder: Path | None, parts: tuple[str, ...], make: Callable[[], bytes]) -> bytes:
    """The bytes ``make()`` returns for ``parts``, from the cache when an intact entry exists."""
    if folder is None:
        return make()
    key = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
    path = folder / key[:2] / key
    try:
        stored = path.read_bytes()
    except OSError:
        stored = b""
    if len(stored) > _HEADER:
        content = stored[_HEADER + 1 :]
        if hashlib.sha256(content).hexdigest().encode() == stored[:_HEADER]:
            return content
    data = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
    except (OSError, BadInput):  # a cache that cannot be written only makes builds slower
        pass
    return data
