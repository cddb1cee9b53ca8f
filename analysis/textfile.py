"""Reading text files strictly: UTF-8 or a clear error naming the file and byte offset."""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis.errors import BadInput

# Control characters that never occur in prose; a file full of them is binary.
_BINARY_MARKERS = (b"\x00",)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(path, "no such file") from None
    except IsADirectoryError:
        raise BadInput(path, "is a folder, expected a UTF-8 text file") from None
    except PermissionError:
        raise BadInput(path, "cannot be read (permission denied)") from None


def decode_utf8(path: Path, raw: bytes) -> str:
    """Decode ``raw`` as UTF-8, refusing binary files and naming the first bad byte."""
    for marker in _BINARY_MARKERS:
        at = raw.find(marker)
        if at >= 0:
            raise BadInput(
                path,
                f"looks like a binary file (NUL byte at byte offset {at}); expected UTF-8 text",
                place=f"byte {at}",
            )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(
            path,
            f"is not valid UTF-8 (byte 0x{raw[err.start]:02x} at byte offset {err.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8",
            place=f"byte {err.start}",
        ) from None


def read_text(path: Path) -> str:
    return decode_utf8(path, read_bytes(path))


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
