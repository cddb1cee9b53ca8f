"""The matching memo (``data/.cache/match/memo.json``): what the last build's matching of
claims across documents found, for the next build to start from (checks/matching.reuse).

It holds the statements that build compared sentences with, and each document's sentences'
closest statement. It is used only with the same code; its first line is the checksum of the
rest, so a partial, corrupt or edited memo is ignored (matching then compares every sentence
with every statement, as a first build does). JSON, never pickle.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.checks.matching import MatchMemo
from analysis.errors import BadInput
from analysis.files import sha256_hex, write_atomic
from analysis.project import Project


def _path(project: Project) -> Path:
    return project.cache_dir / "match" / "memo.json"


def read(project: Project, code: str) -> MatchMemo | None:
    """The memo the last build wrote with this ``code``, or None."""
    try:
        raw = _path(project).read_bytes()
        sums, _, body = raw.partition(b"\n")
        if sums.decode("ascii") != sha256_hex(body):
            return None
        data = json.loads(body)
        if data["code"] != code:
            return None
        return MatchMemo(
            [(str(c), str(p)) for c, p in data["statements"]],
            {
                doc: (str(printed), {int(s): (c, float(v)) for s, c, v in results})
                for doc, (printed, results) in data["documents"].items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def write(project: Project, code: str, memo: MatchMemo) -> None:
    body = json.dumps(
        {
            "code": code,
            "statements": memo.statements,
            "documents": {
                doc: [printed, [[s, c, v] for s, (c, v) in sorted(results.items())]]
                for doc, (printed, results) in sorted(memo.documents.items())
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    path = _path(project)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, sha256_hex(body).encode("ascii") + b"\n" + body)
    except (OSError, BadInput):  # a memo that cannot be written only makes builds slower
        pass
