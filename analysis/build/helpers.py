"""The build's helper processes, started and waited for here: the report workers
(:mod:`analysis.report.worker` for the pages and charts, :mod:`analysis.report.exports_worker`
for the exports), which draw the report beside validation, and the validator
(:mod:`analysis.validation.worker`), which runs Great Expectations' part of the validation.
The command line starts all three before it imports the build's own modules
(:func:`validator_aside`, :func:`drawing_aside`): they import their libraries (Great
Expectations; Altair, DuckDB and polars) while the build extracts, checks and loads, then wait
for the new warehouse on their standard input. Each writes its output and a log beside the new
warehouse; a failure is its log's last line (:mod:`analysis.workers`)."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import BadInput
from analysis.project import Project
from analysis.workers import AHEAD, EXPORTS_TOO, FAILED, PARENT_VARIABLE, PEAK_LINE

if TYPE_CHECKING:  # imported when an outcome is read: the command line starts the validator
    from analysis.validation.run import ValidationOutcome  # before importing DuckDB
    from analysis.validation.scope import Scope


# Seed text (bytes of the seed files) from which the exports get a worker of their own; below
# it the pages worker writes them after the pages, and the build starts one interpreter fewer.
# On the seed the exports take a tenth of a second and their worker's start and imports about
# a second of a core, which a small build spends while both cores are busy (Great
# Expectations' import, the build's own work); at a thousand articles they took 10 s alone,
# beside the pages' 7 s. About 100 news articles, as with the extract stage's worker processes
# (engines.POOL_FROM_CHARS).
EXPORTS_APART_FROM = 2_000_000


@dataclass
class Drawing:
    """The report drawn beside validation, by two workers: the pages and charts
    (:mod:`analysis.report.worker`) into the new report folder, and the exports
    (:mod:`analysis.report.exports_worker`) into a folder of their own beside it, moved in
    when both are done (the two never write into one folder at once); or by the pages
    worker alone, the exports after the pages (``exports`` None)."""

    pages: subprocess.Popen[bytes]
    exports: subprocess.Popen[bytes] | None
    pages_log: Path
    exports_log: Path
    exports_dir: Path


@dataclass
class Ahead:
    """The report workers started ahead (:func:`drawing_aside`), importing their libraries
    until :func:`start_drawing` hands them the new warehouse: the pages worker, and the
    exports worker for an archive (None: the pages worker writes the exports too)."""

    pages: subprocess.Popen[bytes]
    exports: subprocess.Popen[bytes] | None


def _logs(project: Project) -> tuple[Path, Path]:
    """The logs of this build's report workers: the pages', the exports'."""
    pid = os.getpid()
    return project.data_dir / f".report-{pid}.log", project.data_dir / f".report-{pid}.exports.log"


def start_drawing(
    project: Project, new_db: Path, new_reports: Path, code: str | None, ahead: Ahead | None = None
) -> Drawing:
    """Both report workers drawing ``new_db``: those started ``ahead``, else two started now;
    ``code``: the key under which unchanged article pages are reused."""
    pages_log, exports_log = _logs(project)
    exports_dir = new_reports.with_name(new_reports.name + ".exports")
    pages_args = [str(new_db), str(new_reports), str(project.render_cache_dir)]
    pages_args += [code] if code else []
    exports_args = [str(new_db), str(exports_dir)]
    if ahead is not None:
        if ahead.exports is None:
            _ask(ahead.pages, [EXPORTS_TOO, *pages_args])
        else:
            _ask(ahead.pages, pages_args)
            _ask(ahead.exports, exports_args)
        return Drawing(ahead.pages, ahead.exports, pages_log, exports_log, exports_dir)
    pages = _start(project, "analysis.report.worker", pages_args, pages_log)
    try:
        exports = _start(project, "analysis.report.exports_worker", exports_args, exports_log)
    except BaseException:  # a signal, say: the first worker and both logs go too
        stop(pages)
        pages_log.unlink(missing_ok=True)
        exports_log.unlink(missing_ok=True)
        raise
    return Drawing(pages, exports, pages_log, exports_log, exports_dir)


def _ask(worker: subprocess.Popen[bytes], args: list[str]) -> None:
    """Hand a worker started ahead its arguments (:func:`analysis.workers.arguments`)."""
    try:
        assert worker.stdin is not None
        worker.stdin.write((json.dumps(args) + "\n").encode("utf-8"))
        worker.stdin.close()
    except BrokenPipeError:
        pass  # it has stopped already: its log says why, and waiting for it reports it


@contextlib.contextmanager
def drawing_aside(project: Project, jobs: int, seed_bytes: int) -> Iterator[Ahead | None]:
    """The report workers started now, with a second core to draw on, else None: their
    imports overlap the build's work as the validator's do (:func:`validator_aside`); the
    exports worker only for :data:`EXPORTS_APART_FROM` bytes of seeds or more
    (``seed_bytes``). Stopped, and their logs removed, however the block ends (a build
    stopped before drawing closes their input first: they leave at once)."""
    if jobs < 2:
        yield None
        return
    pages_log, exports_log = _logs(project)
    ahead_args = [AHEAD]
    pages = exports = None
    try:
        pages = _start(project, "analysis.report.worker", ahead_args, pages_log, subprocess.PIPE)
        if seed_bytes >= EXPORTS_APART_FROM:
            exports = _start(
                project, "analysis.report.exports_worker", ahead_args, exports_log, subprocess.PIPE
            )
        yield Ahead(pages, exports)
    finally:
        stop(pages)
        stop(exports)
        pages_log.unlink(missing_ok=True)
        exports_log.unlink(missing_ok=True)


def finish_drawing(drawing: Drawing, new_reports: Path) -> float:
    """Wait for the report workers and move the exports into ``new_reports`` (when a worker
    of their own wrote them): their peak memories in MiB, added (they run at once; 0 when a
    worker could not say its own). A worker's failure is raised with its log's last line."""
    peaks = []
    for process, log in (
        (drawing.pages, drawing.pages_log),
        (drawing.exports, drawing.exports_log),
    ):
        if process is None:
            continue
        code = process.wait()
        if code != 0:
            raise RuntimeError(f"{FAILED['report']}: {failure_line(code, log)}")
        peaks.append(own_peak(log))
    if drawing.exports is not None:
        (drawing.exports_dir / "exports").rename(new_reports / "exports")
    return sum(peaks)


def end_drawing(drawing: Drawing | None) -> None:
    """Stop both report workers if they still run, and remove their logs and the exports'
    folder (empty once moved in)."""
    if drawing is None:
        return
    stop(drawing.pages)
    stop(drawing.exports)
    drawing.pages_log.unlink(missing_ok=True)
    drawing.exports_log.unlink(missing_ok=True)
    shutil.rmtree(drawing.exports_dir, ignore_errors=True)


def validator_log(project: Project) -> Path:
    """The log of this build's validator."""
    return project.data_dir / f".validation-{os.getpid()}.log"


def start_validator(project: Project) -> subprocess.Popen[bytes]:
    """The validator, importing Great Expectations until :func:`validate` hands it the new
    warehouse on its standard input; its output in :func:`validator_log`."""
    log_path = validator_log(project)
    return _start(project, "analysis.validation.worker", [], log_path, subprocess.PIPE)


def _start(
    project: Project, module: str, args: list[str], log_path: Path, stdin: int = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    env = {**os.environ, PARENT_VARIABLE: str(os.getpid())}  # see workers.die_with_parent
    with open(log_path, "w", encoding="utf-8") as log:
        return subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=stdin,
            stdout=log,
            stderr=log,
            cwd=project.root,
            env=env,
        )


def validate(
    validator: subprocess.Popen[bytes],
    project: Project,
    out: Path,
    new_db: Path,
    scope: Scope | None = None,
) -> tuple[ValidationOutcome, float, list[str]]:
    """Validate ``new_db``: the validator runs Great Expectations' part while this process runs
    the SQL part (with ``scope``, see :func:`~analysis.validation.run.in_duckdb`); ``out``: the
    file it writes its part to. The joined outcome, the validator's
    peak memory in MiB, and its notes (how its part was made, when not as planned). A failure is
    raised as the validator reported it: bad input (an expectation that cannot run) as
    :class:`BadInput` with its one line, anything else as a RuntimeError."""
    from analysis.validation.run import Part, digest, join, suites, validate_in_duckdb

    expectations_dir = project.expectations_dir
    request = {
        "warehouse": str(new_db),
        "expectations": str(expectations_dir),
        "out": str(out),
        "scope": scope.to_json() if scope is not None else None,
    }
    try:
        assert validator.stdin is not None
        validator.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
        validator.stdin.close()
    except BrokenPipeError:
        pass  # it has stopped already: its log says why
    every = suites(expectations_dir)
    in_sql = validate_in_duckdb(new_db, every, expectations_dir, scope)
    code = validator.wait()
    if code != 0:
        line = failure_line(code, validator_log(project)) or f"exit code {code}"
        if code == 2:
            raise BadInput(None, line)
        raise RuntimeError(f"{FAILED['validator']}: {line}")
    in_gx, ran = Part.from_json(out.read_text("utf-8"))
    if ran != digest(every):  # each process read the suites for itself
        raise BadInput(expectations_dir, "the suites changed while they ran; build again")
    return join(in_sql, in_gx, suites=ran), own_peak(validator_log(project)), in_gx.notes


@contextlib.contextmanager
def validator_aside(
    project: Project, validation: str, jobs: int
) -> Iterator[subprocess.Popen[bytes] | None]:
    """The validator started now when the build validates with Great Expectations (whose import
    it overlaps with the build's work) and has a second core for it, else None; stopped, and
    its log removed, however the block ends."""
    aside = validation == "full" and jobs >= 2
    process = start_validator(project) if aside else None
    try:
        yield process
    finally:
        stop(process)
        validator_log(project).unlink(missing_ok=True)


def own_peak(log_path: Path) -> float:
    """The peak memory in MiB a helper that succeeded gave as its log's last line
    (:func:`analysis.workers.own_peak_mib`); 0 when it gave none. Not the one the system
    records for the child (``wait4``): a process started by exec keeps there the peak of the
    build it was forked from."""
    line = read_last_line(log_path)
    prefix, _, suffix = PEAK_LINE.partition("{:.1f}")
    if not (line.startswith(prefix) and line.endswith(suffix)):
        return 0.0
    try:
        return round(float(line.removeprefix(prefix).removesuffix(suffix)), 1)
    except ValueError:
        return 0.0


def usage_mib(usage: resource.struct_rusage) -> float:
    """The peak resident memory a ``getrusage``/``wait4`` usage records, in MiB."""
    return round(usage.ru_maxrss / 1024, 1)  # Linux counts KiB


def failure_line(code: int, log_path: Path) -> str:
    """Why a helper ended with ``code``: its log's last line; else, when a signal killed it,
    which one (the kernel's out-of-memory killer sends SIGKILL); else '' (the command line
    then asks whether the disk is full)."""
    line = read_last_line(log_path)
    if line or code >= 0:
        return line
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    hint = " (the machine may have run out of memory)" if -code == signal.SIGKILL else ""
    return f"killed by {name}{hint}"


def read_last_line(log_path: Path) -> str:
    """The last line a helper wrote to its log ('' when it wrote none)."""
    try:
        lines = log_path.read_text("utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Kill ``process`` if it is still running, and reap it."""
    if process is None:
        return
    if process.stdin is not None and not process.stdin.closed:
        with contextlib.suppress(OSError):
            process.stdin.close()
    if process.poll() is None:
        process.kill()
        process.wait()
