"""What the last build was made from, so that an unchanged project is not rebuilt.

Standard library only: deciding that nothing changed must not import polars, DuckDB, Great
Expectations or Altair, so a no-op rebuild takes a fraction of a second.

A SHA-256 per input group (seeds, layouts and lexicon, claims, reference data, methodology,
expectations, the package's own code, data and library versions). The last successful build's
fingerprint and summary are kept in ``data/.build-state.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis.documents.corpus import CORPUS_SUFFIXES
from analysis.documents.seeds import META_SUFFIX
from analysis.files import MAX_FILE_BYTES, check_regular_file, file_sha256, read_bytes
from analysis.project import Project

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# the libraries whose versions make the outputs (jinja2 and markupsafe write the pages the
# render cache keeps)
LIBRARIES = (
    "polars",
    "duckdb",
    "altair",
    "great-expectations",
    "vl-convert-python",
    "pandas",
    "jinja2",
    "markupsafe",
)


def _hash_files(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(root) if path.is_relative_to(root) else path  # --seeds elsewhere
        digest.update(name.as_posix().encode("utf-8") + b"\0")
        digest.update(read_bytes(path))  # a loop or an unreadable file: one line, never skipped
        digest.update(b"\0")
    return digest.hexdigest()


def _files(folder: Path, *patterns: str) -> list[Path]:
    if not folder.is_dir():
        return []
    return [
        p
        for pattern in patterns
        for p in folder.rglob(pattern)
        if p.is_file() or p.is_symlink()  # a dead or looping link is read, and refused
    ]


def code_fingerprint() -> str:
    """The package's source, SQL and templates, the versions of the libraries it uses and of
    the interpreter's Unicode tables."""
    digest = hashlib.sha256(
        _hash_files(_files(PACKAGE_DIR, "*.py", "*.sql", "*.j2", "*.yaml"), PACKAGE_DIR).encode()
    )
    # folding text for comparison (NFKD, casefold) follows the interpreter's Unicode tables
    digest.update(f"unicode={unicodedata.unidata_version}".encode())
    for dist in LIBRARIES:
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=missing".encode())
    return digest.hexdigest()


def seed_bytes(inputs: dict[str, Any]) -> int:
    """The bytes of the seed files :func:`fingerprint` recorded in ``inputs``."""
    return sum(record["stat"][0] for record in inputs.values())


def file_status(info: os.stat_result) -> list[int]:
    """What tells a file from another or from itself rewritten: its size, modification and
    change times and inode."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def file_record(path: Path, info: os.stat_result, old: Any, settled: int | None) -> dict[str, Any]:
    """A file's SHA-256 and status (size, modification and change times, inode). When the
    status is the one ``old`` (the last build's record of the file) holds and the file changed
    before ``settled`` (the state file's own modification time: a file changed in the same
    tick could still read the same), the recorded SHA-256 stands unread, as git trusts its
    index; any write, replacement or copy moves the change time, which no program sets back,
    so the file is read again."""
    return old if _trusted(info, old, settled) else _read_record(path, info)


def _read_record(path: Path, info: os.stat_result) -> dict[str, Any]:
    """The record of a file read anew: its SHA-256 and status."""
    return {"sha256": file_sha256(path), "stat": file_status(info)}


def _trusted(info: os.stat_result, old: Any, settled: int | None) -> bool:
    """Whether :func:`file_record` takes ``old`` as it stands, unread."""
    return (
        isinstance(old, dict)
        and old.get("stat") == file_status(info)
        and isinstance(old.get("sha256"), str)
        and settled is not None
        and info.st_ctime_ns < settled
    )


def _hash_seeds(
    paths: list[Path], root: Path, known: Any, settled: int | None, inputs: dict[str, Any]
) -> str:
    """The seeds' digest: each file's name and SHA-256, trusted when unchanged since the last
    build (:func:`file_record`): an archive of 2 GB is not read again to find that nothing
    changed. ``inputs`` receives each file's record, for the state. An archive file (JSON
    Lines, Parquet) is read in blocks, whatever its size (its reader streams it); any other
    seed is held to the size limit of one file."""
    known = known if isinstance(known, dict) else {}
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()
        limit = sys.maxsize if path.suffix in CORPUS_SUFFIXES else MAX_FILE_BYTES
        inputs[name] = file_record(path, check_regular_file(path, limit), known.get(name), settled)
        digest.update(name.encode("utf-8") + b"\0" + inputs[name]["sha256"].encode("ascii") + b"\0")
    return digest.hexdigest()


def fingerprint(project: Project, inputs: dict[str, Any] | None = None) -> dict[str, str]:
    """The digests of everything a build reads, by kind (its seeds, layouts, claims, ...,
    the code). ``inputs``: filled with each seed file's digest and status, which
    :func:`write_state` records for the next build."""
    data = project.data_dir
    last = read_state(project) or {}
    try:
        settled: int | None = project.state_path.stat().st_mtime_ns
    except OSError:
        settled = None
    return {
        "seeds": _hash_seeds(
            _files(
                project.seeds_dir, "*.txt", f"*{META_SUFFIX}", *(f"*{s}" for s in CORPUS_SUFFIXES)
            ),
            project.root,
            last.get("inputs"),
            settled,
            {} if inputs is None else inputs,
        ),
        "layouts": _hash_files(
            _files(project.layouts_dir, "*.yaml") + _files(project.lexicon_dir, "*.yaml"),
            project.root,
        ),
        "claims": _hash_files(
            _files(project.claims_dir, "*.yaml")
            + _files(data / "reviews", "*.yaml")
            + _files(data / "dismissals", "*.yaml"),
            project.root,
        ),
        "reference": _hash_files(
            _files(project.reference_dir, "*.csv", "*.source.yaml"), project.root
        ),
        "methodology": _hash_files(_files(data / "methodology", "*.yaml"), project.root),
        "publication": _hash_files(
            [project.publication_path] if project.publication_path.exists() else [],
            project.root,
        ),
        "expectations": _hash_files(_files(project.expectations_dir, "*.yaml"), project.root),
        "code": code_fingerprint(),
    }


def extraction_key(doc_digest: str, prints: dict[str, str]) -> str:
    """Cache key of one document's extraction: its own text and metadata (``doc_digest``), the
    layouts and lexicon, and the code — never the other documents."""
    return hashlib.sha256(
        f"{doc_digest}:{prints['layouts']}:{prints['code']}".encode()
    ).hexdigest()[:32]


def read_state(project: Project) -> dict[str, Any] | None:
    path = project.state_path
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8 or not JSON: build again
        return None
    return state if isinstance(state, dict) else None


HASHING_THREADS = min(4, os.cpu_count() or 1)  # reading and hashing the outputs


def output_prints(
    project: Project, known: dict[str, Any] | None = None, settled_before: int | None = None
) -> dict[str, dict[str, Any]]:
    """SHA-256 and status of every published output (the warehouse and each file of
    reports/), an unchanged file's recorded digest trusted (:func:`file_record`, with
    ``known`` the last build's records and ``settled_before`` the state file's modification
    time). At 10,000 articles the outputs are 2.7 GB: reading them made a build with nothing
    to do take 2.8 s, and would take half a minute at 100,000."""
    files = [project.warehouse_path] if project.warehouse_path.is_file() else []
    if project.reports_dir.is_dir():
        files += [p for p in project.reports_dir.rglob("*") if p.is_file()]
    names = {path: path.relative_to(project.root).as_posix() for path in files}
    records: dict[Path, dict[str, Any]] = {}
    unread: list[tuple[Path, os.stat_result]] = []
    for path in files:
        info, old = path.stat(), (known or {}).get(names[path])
        if _trusted(info, old, settled_before):
            records[path] = old
        else:
            unread.append((path, info))
    # the others read on threads, the warehouse (the largest) first: hashing leaves Python's
    # lock, and the files a build just wrote are read again whole (2.5 GB at 10,000 articles:
    # 3.1-3.5 s on one thread, 2.2-2.5 s so, after publishing, before the build can end)
    with ThreadPoolExecutor(max_workers=HASHING_THREADS) as pool:
        done = pool.map(lambda job: _read_record(*job), unread)
        records.update(zip([path for path, _ in unread], done, strict=True))
    return {names[path]: records[path] for path in sorted(files)}


def _digests(outputs: dict[str, Any]) -> dict[str, Any]:
    """The digests of :func:`output_prints`' record, whatever else it holds."""
    return {k: v.get("sha256") if isinstance(v, dict) else v for k, v in outputs.items()}


def write_state(
    project: Project,
    prints: dict[str, str],
    summary: list[str],
    validation: str,
    inputs: dict[str, Any] | None = None,
    loaded: dict[str, str] | None = None,
    suites: str = "",
) -> None:
    """Record the build's input fingerprint (``inputs``: its seed files' digests and status,
    :func:`fingerprint`), its summary, how it was validated (``full`` or ``sql``) and with
    which suites (``suites``, their digest), the fingerprints of what it published (call
    after publishing) and each document's digest of what its warehouse rows are made of
    (``loaded``, :func:`analysis.build.carry.document_keys`), which the next build may carry
    forward."""
    path = project.state_path
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    record = {
        "fingerprint": prints,
        "inputs": inputs or {},
        "loaded": loaded or {},
        "summary": summary,
        "validation": validation,
        "suites": suites,
        "outputs": output_prints(project),
    }
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def up_to_date(
    project: Project, prints: dict[str, str], validation: str = "full"
) -> dict[str, Any] | None:
    """The last build's state when its inputs are unchanged, it was validated at least as
    ``validation`` asks (a build validated in DuckDB alone never ran the expectations only
    Great Expectations runs, so it does not stand for a ``full`` one), and its outputs are
    exactly what it published: a missing, replaced or edited warehouse or report file means a
    rebuild."""
    state = read_state(project)
    if state is None or state.get("fingerprint") != prints:
        return None
    if validation == "full" and state.get("validation") != "full":
        return None
    recorded = state.get("outputs")
    if not recorded or not isinstance(recorded, dict):
        return None
    try:
        settled = project.state_path.stat().st_mtime_ns
    except OSError:
        return None
    if _digests(recorded) != _digests(output_prints(project, recorded, settled)):
        return None
    return state
