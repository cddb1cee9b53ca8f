"""The matching memo (``data/.cache/match/memo.json``): what the last build's matching of
claims across documents found, for the next build to start from (checks/matching.reuse).

It holds the statements that build compared sentences with (their digests), per document
the digest of its sentences and the closest statement of those that have one, and the length
bucket of each statement's normalized text that it worked out. It is used only
with the same code; it is written checksummed like every cache entry
(files_cache.write_checked), so a partial, corrupt or edited memo is ignored (matching then
compares every sentence with every statement, as a first build does). JSON, never pickle.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.checks.matching import MatchMemo
from analysis.files_cache import read_checked, write_checked
from analysis.project import Project


def _path(project: Project) -> Path:
    return project.cache_dir / "match" / "memo.json"


def read(project: Project, code: str) -> MatchMemo | None:
    """The memo the last build wrote with this ``code``, or None."""
    body = read_checked(_path(project))
    if body is None:
        return None
    try:
        data = json.loads(body)
        if data["code"] != code:
            return None
        return MatchMemo(
            [(str(c), str(p)) for c, p in data["statements"]],
            {
                doc: (str(printed), {int(s): (c, float(v)) for s, c, v in results})
                for doc, (printed, results) in data["documents"].items()
            },
            {str(p): _bucket(b) for p, b in data["buckets"]},
        )
    except (ValueError, KeyError, TypeError):
        return None


def _bucket(value: object) -> int:
    """A length bucket read back: a whole number (JSON's true is not one)."""
    if type(value) is not int:
        raise TypeError(f"not a length bucket: {value!r}")
    return value


def write(project: Project, code: str, memo: MatchMemo) -> None:
    body = json.dumps(
        {
            "code": code,
            "statements": memo.statements,
            "documents": {
                doc: [printed, [[s, c, v] for s, (c, v) in sorted(results.items())]]
                for doc, (printed, results) in sorted(memo.documents.items())
            },
            "buckets": list(memo.buckets.items()),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    write_checked(_path(project), body)
