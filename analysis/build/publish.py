"""Publishing a build's outputs safely: the build lock, the publish journal, crash recovery.

- Lock: ``data/.build.lock`` held with ``fcntl.flock`` for the whole build; the kernel releases
  it when the process dies, so a killed build never blocks the next one. A second build waits.
- Publish journal: the build writes ``data/.publish.json`` before it replaces the outputs and
  removes it after; a build killed in between is completed by the next one (roll forward, since
  both new outputs were complete and validated before the journal was written).
- No gap: the live warehouse is never moved away. The old one gets a second name
  (``warehouse.previous.duckdb``, a hard link) and the new one is renamed over the live path,
  so a reader polling ``data/warehouse.duckdb`` always finds one (docs/hostile-input.md §6).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import json
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.interrupts import deferred
from analysis.project import Project

BUILD_ID_FILE = ".build-id"


@contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """Hold the build lock; a second build waits for the first (never interleaves writes)."""
    project.data_dir.mkdir(parents=True, exist_ok=True)
    with open(project.lock_path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            print(f"waiting for another build to finish ({holder}) …", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def crash_point(name: str) -> None:
    """Fault injection for the crash tests: ``ANALYSIS_CRASH_AT=<name>`` kills the build here
    with SIGKILL, as a power cut would, or sends it the signal ``ANALYSIS_CRASH_SIGNAL`` names
    (``TERM``, ``INT``: what ``kill`` or a desk's Ctrl-C sends). Never set outside tests."""
    if os.environ.get("ANALYSIS_CRASH_AT") == name:
        sent = os.environ.get("ANALYSIS_CRASH_SIGNAL", "KILL")
        os.kill(os.getpid(), signal.Signals[f"SIG{sent}"])


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in_dir(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target`` and delete what was there: one atomic exchange where the
    kernel supports it, else rename aside then in."""
    if target.exists() and exchange(new, target):
        shutil.rmtree(new)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def write_journal(project: Project, build_id: str, new_db: Path, new_reports: Path) -> None:
    path = project.journal_path
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(
        json.dumps({"build_id": build_id, "db": str(new_db), "reports": str(new_reports)}),
        encoding="utf-8",
    )
    os.replace(tmp, path)


def publish(project: Project, build_id: str, new_db: Path, new_reports: Path) -> None:
    """Replace the reports, then the warehouse; the journal makes the pair atomic over crashes,
    and a Ctrl-C or SIGTERM received meanwhile waits until both are in place
    (:func:`analysis.interrupts.deferred`: unwinding in between would remove the new warehouse
    the journal names, after the new pages went in)."""
    with deferred():
        write_journal(project, build_id, new_db, new_reports)
        crash_point("publish-start")
        _complete_publish(project)


def _complete_publish(project: Project) -> None:
    path = project.journal_path
    journal = json.loads(path.read_text("utf-8"))
    new_db, new_reports = Path(journal["db"]), Path(journal["reports"])
    marker = project.reports_dir / BUILD_ID_FILE
    in_place = marker.exists() and marker.read_text("utf-8").strip() == journal["build_id"]
    if not in_place and new_reports.exists():
        swap_in_dir(new_reports, project.reports_dir)
    crash_point("publish-between")
    if new_db.exists():
        if project.warehouse_path.exists():
            keep_previous(project.warehouse_path, project.previous_warehouse_path)
        crash_point("publish-linked")
        os.replace(new_db, project.warehouse_path)  # atomic: old or new, never neither
    path.unlink()


def keep_previous(live: Path, previous: Path) -> None:
    """Make ``previous`` a second name of ``live`` (kept for `analysis diff`) without moving
    ``live``: a hard link renamed into place, or a copy where links are not possible. A
    reader opening ``live`` at any instant finds a complete warehouse."""
    tmp = previous.with_name(f".{previous.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        os.link(live, tmp)
    except OSError:
        shutil.copy2(live, tmp)
    os.replace(tmp, previous)


def recover(project: Project) -> str | None:
    """Finish an interrupted publish and clear a killed build's leftovers; say what was done."""
    done = None
    if project.journal_path.exists():
        with deferred():
            _complete_publish(project)
        done = "completed a publish interrupted by a crash"
    leftovers = list(project.data_dir.glob(".warehouse-*.duckdb*"))
    leftovers += list(project.data_dir.glob(f".{project.previous_warehouse_path.name}.tmp-*"))
    leftovers += list(project.data_dir.glob(".report-*.log"))
    leftovers += list(project.data_dir.glob(".pool-*.log"))  # the local engine's workers
    leftovers += list(project.data_dir.glob(".validation-*.log"))
    leftovers += list(project.data_dir.glob(".validation-*.json"))
    leftovers += list(project.data_dir.glob("..validation-*.json.tmp-*"))  # cut short
    for leftover in leftovers:
        leftover.unlink()
    for staging in project.data_dir.glob(".warehouse-*.staging"):  # a killed load's frames
        shutil.rmtree(staging, ignore_errors=True)
    for folder in list(project.root.glob(".reports-*")) + list(project.root.glob(".reports.old-*")):
        shutil.rmtree(folder, ignore_errors=True)
    return done
