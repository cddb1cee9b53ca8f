"""A local worker of the build (:class:`analysis.build.engines.PoolEngine`): reads frames on
its standard input, the shared inputs first and then batches of documents, and writes each
batch's work as a frame on its standard output; it ends at the end of its input, and dies with
the build that started it (:func:`analysis.workers.die_with_parent`). A frame is a pickle
behind its length (8 bytes, little-endian): the build and its workers are one program, run by
one user, and nothing else writes to these pipes."""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import BinaryIO

_LENGTH = struct.Struct("<Q")


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's bytes; None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        raise EOFError("a frame ended early")
    return body


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def main() -> None:
    from analysis.workers import die_with_parent

    die_with_parent()
    results = os.fdopen(os.dup(1), "wb")  # the frames; anything printed goes to the log
    os.dup2(2, 1)
    from analysis.build.engines import work_batch

    frames = sys.stdin.buffer
    first = read_frame(frames)
    if first is None:
        return
    shared = pickle.loads(first)
    while (blob := read_frame(frames)) is not None:
        done = work_batch(pickle.loads(blob), shared)
        write_frame(results, pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
