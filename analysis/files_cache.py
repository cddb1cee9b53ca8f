"""A content-addressed cache of derived bytes (rendered charts, the Vega bundle), kept in the
project's ``data/.cache/``. Entries are named by a hash of everything that made them and carry
a checksum of their content: a corrupt or tampered entry is detected and made again.

What a library makes the same way for every project (the Vega bundle, a chart drawn from the
same spec) is also remembered by the process that made it, so a process that builds several
projects (the test suite, a Ray worker) makes it once. A chart's drawings are also kept in the
machine's cache folder (:func:`machine_cache`), so a new project, or a new process, drawing a
chart some project on this machine drew already reads it instead of drawing it again (the
PNG of a chart costs about a tenth of a second). Each project's own cache is still written,
so what is on disk does not depend on what the process did before."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from analysis.errors import BadInput
from analysis.files import mark_used, opened, through_link, write_atomic

# what depends only on the installed libraries (the Vega bundle) is kept once per machine
MACHINE_CACHE_ENV = "ANALYSIS_CACHE_DIR"
MACHINE_CACHE_NAME = "iom-factcheck-analysis"

_HEADER = 64  # hex SHA-256 of the content, then a newline
_REMEMBERED: dict[str, bytes] = {}  # key -> bytes, for ``remember=True`` entries only
_REMEMBER_AT_MOST = 64 << 20  # bytes held in memory; the oldest are forgotten first


def cached_bytes(
    folder: Path | None,
    parts: tuple[str, ...],
    make: Callable[[], bytes],
    *,
    remember: bool = False,
    machine: bool = False,
) -> bytes:
    """The bytes ``make()`` returns for ``parts``, from the cache when an intact entry exists;
    with ``remember``, from this process's memory when it made them already, and with
    ``machine`` (when there is a ``folder``: no folder, no disk), from the machine's cache
    folder when some project on this machine made them (both for what does not depend on the
    project: ``parts`` must then name everything that made the bytes)."""
    if folder is None and not remember:
        return make()
    key = _key(parts)
    if folder is None:
        return _make(key, make, remember)
    path = _path(folder, key)
    found = read_checked(path)
    if found is not None:
        return found
    shared = machine_cache() if machine else None

    def produce() -> bytes:  # the machine's intact entry, else made and kept there too
        if shared is not None and shared != folder:
            return cached_bytes(shared, parts, make)
        return make()

    data = _make(key, produce, remember)
    write_checked(path, data)
    return data


def _key(parts: tuple[str, ...]) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _path(folder: Path, key: str) -> Path:
    return folder / key[:2] / key


def _entry(folder: Path, parts: tuple[str, ...]) -> Path:
    return _path(folder, _key(parts))


def read_cached(folder: Path, parts: tuple[str, ...]) -> bytes | None:
    """The bytes kept for ``parts``, or None when there is no intact entry."""
    return read_checked(_entry(folder, parts))


def store_cached(folder: Path, parts: tuple[str, ...], data: bytes) -> None:
    """Keep ``data`` for ``parts``."""
    write_checked(_entry(folder, parts), data)


def read_checked(path: Path) -> bytes | None:
    """The content of a file :func:`write_checked` wrote, or None when it is missing,
    unreadable, or not what was written (its checksum fails)."""
    try:
        stored = path.read_bytes()
    except OSError:
        return None
    if len(stored) > _HEADER:
        content = stored[_HEADER + 1 :]
        if hashlib.sha256(content).hexdigest().encode() == stored[:_HEADER]:
            mark_used(path)
            return content
    return None


_SUBFOLDER = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"\.?(?P<key>[0-9a-f]{64})(\.tmp-[0-9]+)?")  # an entry, or one half written


def clock(folder: Path) -> float | None:
    """Now, by the clock that dates the files of ``folder`` (a network share's server's, say,
    not this machine's): the time of a file written there and removed; None when it cannot be
    written (or there is no such folder yet: nothing to sweep)."""
    mark = folder / f".clock-{os.getpid()}"
    try:
        mark.write_bytes(b"")
        return mark.stat().st_mtime
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            mark.unlink()


def sweep(folder: Path, before: float, root: Path) -> int:
    """Remove the entries under ``folder`` (``folder/xx/key``, as :func:`cached_bytes` keeps
    them; nothing else) last used, read or written, before ``before`` (by :func:`clock`);
    their count. A build that publishes removes what it did not use: without it a cache keeps
    a page for every version of the code and of each article (5.4 GB at 10,000 articles after
    ten versions of the code). Never through a link: when ``folder`` or a folder between it
    and ``root`` is one, nothing is removed (a planted link would point the sweep elsewhere),
    and its subfolders are :func:`~analysis.files.opened` without following one. What cannot
    be removed is let go: a cache only makes builds faster."""
    if through_link(folder, root):
        return 0
    try:
        subfolders = [
            folder / e.name
            for e in os.scandir(folder)
            if _SUBFOLDER.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
        ]
    except OSError:
        return 0
    removed = 0
    with opened(subfolders) as listed:
        for sub, fd, entries in listed:
            for entry in entries:
                found = _ENTRY.fullmatch(entry.name)
                if not (found and found["key"].startswith(sub.name)):
                    continue
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < before:
                        os.unlink(entry.name, dir_fd=fd)
                        removed += 1
    return removed


def write_checked(path: Path, data: bytes) -> None:
    """``data`` at ``path`` after the hex SHA-256 of it and a newline, atomically; a file that
    cannot be written is let go (a cache only makes builds faster)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
    except (OSError, BadInput):
        pass


def _make(key: str, make: Callable[[], bytes], remember: bool) -> bytes:
    if not remember:
        return make()
    data = _REMEMBERED.get(key)
    if data is None:
        data = make()
        _REMEMBERED[key] = data
        while sum(map(len, _REMEMBERED.values())) > _REMEMBER_AT_MOST and len(_REMEMBERED) > 1:
            del _REMEMBERED[next(iter(_REMEMBERED))]
    return data


def machine_cache() -> Path | None:
    """The folder for bytes that depend only on the installed libraries, shared by every
    project on this machine: ``$ANALYSIS_CACHE_DIR``, else ``$XDG_CACHE_HOME`` or ``~/.cache``,
    then ``iom-factcheck-analysis``; None without a home folder (each project's own cache is
    used instead)."""
    if os.environ.get(MACHINE_CACHE_ENV):
        return Path(os.environ[MACHINE_CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder
            return None
    return Path(base) / MACHINE_CACHE_NAME
