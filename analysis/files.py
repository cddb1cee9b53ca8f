"""Reading input files strictly: UTF-8 or a clear error naming the file and byte offset.

Every file the package reads goes through :func:`read_bytes`: it refuses folders, devices,
FIFOs and sockets (``/dev/zero`` would never end, a FIFO would hang), files over a size limit,
symlink loops and unreadable files, each with one line naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from analysis.errors import BadInput, os_error_text

# Inputs larger than this are refused with a message (a news text is kilobytes; a corpus file
# of many articles is read in batches by its own reader, not through here).
MAX_FILE_BYTES = 256 * 1024 * 1024


def _describe(path: Path, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied)"
    if err.errno == errno.ENOENT:
        return "no such file"
    if err.errno == errno.EISDIR:
        return "is a folder, expected a UTF-8 text file"
    return f"cannot be read ({os_error_text(err)})"


def check_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> os.stat_result:
    """The file's status, after refusing anything but a readable regular file under ``limit``."""
    try:
        info = path.stat()
    except OSError as err:
        raise BadInput(path, _describe(path, err)) from None
    if stat.S_ISDIR(info.st_mode):
        raise BadInput(path, "is a folder, expected a UTF-8 text file")
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(path, "is not a regular file (a device, FIFO or socket); refused")
    if info.st_size > limit:
        raise BadInput(
            path, f"is {info.st_size:,} bytes, over the limit of {limit:,} bytes for one file"
        )
    return info


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    check_regular_file(path, limit)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise BadInput(path, _describe(path, err)) from None
    if len(data) > limit:
        raise BadInput(path, f"is over the limit of {limit:,} bytes for one file")
    return data


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (an unreadable file: one line, as reading it)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError as err:
        raise BadInput(path, _describe(path, err)) from None
    return digest.hexdigest()


def decode_utf8(path: Path | str, raw: bytes) -> str:
    """Decode ``raw`` as UTF-8, refusing binary files and naming the first bad byte."""
    at = raw.find(b"\x00")
    if at >= 0:
        raise BadInput(
            path,
            f"looks like a binary file (NUL byte at byte offset {at}); expected UTF-8 text",
            place=f"byte {at}",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(
            path,
            f"is not valid UTF-8 (byte 0x{raw[err.start]:02x} at byte offset {err.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8",
            place=f"byte {err.start}",
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    return decode_utf8(path, read_bytes(path, limit))


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise BadInput(path, f"cannot be written ({os_error_text(err)})") from None


# Linux's ioctl asking the file system for a copy that shares the source's blocks until either
# is written (FICLONE: Btrfs, XFS, bcachefs; refused elsewhere, as on ext4 and tmpfs)
_FICLONE = 0x40049409


def copy_file(source: Path, target: Path) -> None:
    """``target``, a new file (its mode as the umask makes a new file's, as DuckDB's), made a
    copy of ``source``'s bytes (not its mode or times), neither followed if it is a link: a
    clone sharing its blocks where the file system makes one (instant whatever the size),
    else copied by the kernel."""
    import fcntl

    src = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        dst = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        try:
            try:
                fcntl.ioctl(dst, _FICLONE, src)
            except OSError:
                _copy_bytes(src, dst)
        except BaseException:
            os.close(dst)
            target.unlink(missing_ok=True)
            raise
        os.close(dst)
    finally:
        os.close(src)


def _copy_bytes(src: int, dst: int) -> None:
    """Every byte of the open file ``src`` into ``dst``: by the kernel (``sendfile``), else
    through this process."""
    import shutil

    size, at = os.fstat(src).st_size, 0
    try:
        while at < size:
            sent = os.sendfile(dst, src, at, min(size - at, 1 << 30))
            if sent == 0:
                break
            at += sent
    except OSError:  # no sendfile between these files: the rest through this process
        os.lseek(src, at, os.SEEK_SET)
        os.lseek(dst, at, os.SEEK_SET)
        with open(src, "rb", closefd=False) as r, open(dst, "wb", closefd=False) as w:
            shutil.copyfileobj(r, w)


_ENTRY_NAME = re.compile(r"(?P<doc>.+)-(?P<key>[0-9a-f]{32})\.")
_HALF_WRITTEN = re.compile(r"\..+-[0-9a-f]{32}\..+\.tmp-[0-9]+", re.DOTALL)  # write_atomic's


def remove_stale(written: Iterable[Path]) -> None:
    """Remove every other entry of the documents whose entries were just ``written`` (any of
    their files, each ``{doc_id}-{key}.*`` in a per-document cache folder, a key of 32 hex
    digits; never another document's whose id starts with one of theirs): the folder is
    listed once for all of them, not once a document (at 10,000 documents, 35 ms each)."""
    kept: dict[Path, dict[str, str]] = {}
    for path in written:
        name = _ENTRY_NAME.match(path.name)
        if name is not None:
            kept.setdefault(path.parent, {})[name["doc"]] = name["key"]
    for folder, keys in kept.items():
        for path in folder.iterdir():
            name = _ENTRY_NAME.match(path.name)
            if name is not None and keys.get(name["doc"], name["key"]) != name["key"]:
                path.unlink(missing_ok=True)


def through_link(folder: Path, root: Path) -> bool:
    """Whether ``folder``, or a folder between it and ``root`` (which holds it), is a link: a
    cache that removes files must not follow one (a planted link would point it at the desk's
    own files)."""
    path = folder
    while path != root and root in path.parents:
        if path.is_symlink():
            return True
        path = path.parent
    return False


def _regular(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


@contextlib.contextmanager
def opened(folders: Iterable[Path]) -> Iterator[list[tuple[Path, int, list[os.DirEntry[str]]]]]:
    """Each of ``folders`` that can be opened without following a link: the folder, its
    descriptor (to remove a file by name relative to it: ``os.unlink(name, dir_fd=fd)``, so
    that the folder cannot be swapped for a link meanwhile) and its regular files; closed on
    leaving."""
    found: list[tuple[Path, int, list[os.DirEntry[str]]]] = []
    try:
        for folder in folders:
            try:
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            except OSError:
                continue
            found.append((folder, fd, []))
            with contextlib.suppress(OSError):
                found[-1][2].extend(e for e in os.scandir(fd) if _regular(e))
        yield found
    finally:
        for _, fd, _ in found:
            os.close(fd)


def _last_used(entry: os.DirEntry[str]) -> float | None:
    """When a file was last written or marked used (:func:`mark_used`); None if it is gone."""
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return None


def mark_used(path: Path) -> None:
    """A cache entry read is marked used now (its modification time; its bytes are not
    touched), so that the caches' removal of what builds no longer use keeps it
    (:func:`remove_others`, :func:`analysis.files_cache.sweep`); a file that cannot be marked
    is let go."""
    with contextlib.suppress(OSError):
        os.utime(path, follow_symlinks=False)


def remove_others(
    folders: Iterable[Path], documents: Collection[str], before: float, root: Path
) -> set[str]:
    """Remove the entries in the per-document cache ``folders`` (each ``{doc_id}-{key}.*``) of
    documents not among ``documents`` (taken out of the seeds) none of whose files, in any of
    the folders, was used (written, or read: :func:`read_entry` marks its checksum file) since
    ``before``: the ids of those removed. A document's work goes whole or stays whole (its
    checks served from one cache leave its drafts in another unread), checksum files first (an
    entry without one is simply absent, never taken for a damaged one). Half-written files
    (``.{name}.tmp-PID``) as old go too, uncounted. Regular files only, and never through a
    link: nothing when a folder, or one between it and ``root``, is one
    (:func:`through_link`), and each folder is :func:`opened` without following one."""
    folders = list(folders)
    if any(through_link(folder, root) for folder in folders):
        return set()
    removed: set[str] = set()
    with opened(folders) as listed:
        files: dict[str, list[tuple[int, str]]] = {}  # doc → (folder's fd, name)
        young: set[str] = set()  # documents a file of which was used since ``before``
        stray: list[tuple[int, str]] = []
        for _, fd, entries in listed:
            for entry in entries:
                used = _last_used(entry)
                if used is None:
                    continue
                if entry.name.startswith("."):
                    if used < before and _HALF_WRITTEN.fullmatch(entry.name):
                        stray.append((fd, entry.name))
                    continue
                name = _ENTRY_NAME.match(entry.name)
                if name is None or name["doc"] in documents:
                    continue
                files.setdefault(name["doc"], []).append((fd, entry.name))
                if used >= before:
                    young.add(name["doc"])
        for doc, found in files.items():
            if doc in young:
                continue
            with contextlib.suppress(OSError):
                for fd, name in sorted(found, key=lambda f: not f[1].endswith(".sha256")):
                    os.unlink(name, dir_fd=fd)  # checksum files first
                removed.add(doc)
        for fd, name in stray:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=fd)
    return removed


def unless_at(text: str, value: str, start: int, end: int) -> str | None:
    """``value`` as a cache entry keeps it: None when it is ``text`` at [start, end) (a
    section's text, a claim's quote), which :func:`at_or` gives back; itself otherwise, so that
    an entry gives back exactly what was cached either way."""
    return None if value == text[start:end] else value


def at_or(text: str, value: str | None, start: int, end: int) -> str:
    """What :func:`unless_at` kept, back: ``text`` at [start, end) for None."""
    return text[start:end] if value is None else value


def write_entry(sums_path: Path, parts: list[tuple[Path, bytes]]) -> None:
    """One document's entry of a per-document cache: each part written, then ``sums_path``
    with the parts' SHA-256s in order, last: an entry without it is never read. The
    document's older entries stay until :func:`remove_stale`."""
    sums_path.parent.mkdir(parents=True, exist_ok=True)
    for path, data in parts:
        write_atomic(path, data)
    sums = " ".join(sha256_hex(data) for _, data in parts) + "\n"
    write_atomic(sums_path, sums.encode("ascii"))


def read_entry(sums_path: Path, paths: list[Path]) -> list[bytes] | None:
    """The parts of an entry :func:`write_entry` wrote, or None when it has no checksum file;
    OSError or ValueError when a part is missing or not what was written (incomplete, corrupt
    or edited by hand)."""
    if not sums_path.exists():
        return None
    parts = [path.read_bytes() for path in paths]
    if sums_path.read_text("utf-8").split() != [sha256_hex(data) for data in parts]:
        raise ValueError("checksum mismatch")
    mark_used(sums_path)  # :func:`remove_others` keeps it a while
    return parts
