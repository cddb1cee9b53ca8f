"""The build: stage order, atomic replacement of the warehouse and the reports.

seeds → documents → sections + mentions → new warehouse file → validation → reports.
Nothing is replaced until everything is built and validated: the new warehouse is written
beside the old one and renamed over it; the reports are written into a fresh sibling folder
and swapped in. A failure at any point leaves the previous outputs as they were.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from analysis import __version__
from analysis.documents import read_documents
from analysis.errors import ValidationFailed
from analysis.extract import extract_document
from analysis.project import Project
from analysis.register import check_documents
from analysis.warehouse import load

Progress = Callable[[str, str], None]


@dataclass
class BuildResult:
    documents: int = 0
    sections: int = 0
    mentions: int = 0
    mentions_by_kind: dict[str, int] = field(default_factory=dict)
    mentions_by_section: dict[str, int] = field(default_factory=dict)
    claims: int = 0
    checks_by_verdict: dict[str, int] = field(default_factory=dict)
    expectations_passed: int = 0
    expectations_failed: int = 0
    failures: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    extra_summary: list[str] = field(default_factory=list)


def _versions() -> dict[str, str]:
    out = {"analysis": __version__, "python": platform.python_version()}
    for dist in ("polars", "duckdb", "altair", "great-expectations", "vl-convert-python"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


@contextmanager
def _stage(name: str, result: BuildResult, progress: Progress) -> Iterator[None]:
    progress(name, "start")
    began = time.perf_counter()
    yield
    result.stage_seconds[name] = round(time.perf_counter() - began, 3)
    progress(name, "done")


def _swap_dir(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is: the old folder is renamed aside, then removed."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build(project: Project, progress: Progress | None = None) -> BuildResult:
    """Run every stage; raise BadInput (exit 2) or ValidationFailed (exit 1) on failure."""
    progress = progress or (lambda stage, event: None)
    result = BuildResult()
    root = project.root
    new_db = project.data_dir / f".warehouse-{os.getpid()}.duckdb"
    new_reports = root / f".reports-{os.getpid()}"
    try:
        with _stage("read", result, progress):
            docs = read_documents(project.seeds_dir)
            result.documents = len(docs)
        with _stage("extract", result, progress):
            extracted = {d.doc_id: extract_document(d, project.layouts_dir) for d in docs}
        with _stage("check", result, progress):
            register = check_documents(project, docs, extracted)
        with _stage("load", result, progress):
            con = load.create(new_db)
            try:
                load.insert(con, "documents", load.documents_frame(docs, root))
                for doc_id, ex in extracted.items():
                    load.insert(con, "sections", load.sections_frame(doc_id, ex.sections))
                    load.insert(con, "mentions", load.mentions_frame(doc_id, ex.mentions))
                load.load_reference_tables(con, register.references, root)
                load.insert(
                    con, "claims", load.claims_frame(register.claims, register.verdicts, root)
                )
                load.insert(con, "claim_mentions", load.claim_mentions_frame(register.claims))
                load.insert(
                    con, "claim_checks", load.checks_frame(register.results, register.by_id)
                )
                skipped_views = load.create_views(con)
                info = {
                    "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "views_skipped": ",".join(skipped_views) or "none",
                    **{f"version_{k}": v for k, v in _versions().items()},
                }
                con.executemany("INSERT INTO build_info VALUES (?, ?)", sorted(info.items()))
                con.execute("CHECKPOINT")
            finally:
                con.close()
        with _stage("validate", result, progress):
            from analysis.validate import validate_warehouse

            outcome = validate_warehouse(new_db, project.expectations_dir)
            result.expectations_passed = outcome.passed
            result.expectations_failed = outcome.failed
            result.failures = outcome.failures
        with _stage("report", result, progress):
            from analysis.report.render import write_reports

            write_reports(new_db, new_reports, validation=outcome)
        if outcome.failed:
            # Keep the old warehouse and report pages; publish only the validation report.
            project.reports_dir.mkdir(exist_ok=True)
            _swap_dir(new_reports / "validation", project.reports_dir / "validation")
            raise ValidationFailed(
                f"{outcome.failed} expectation(s) failed; the previous warehouse and reports are "
                f"kept. Report: {project.reports_dir / 'validation' / 'index.html'}\n"
                + "\n".join(f"  {line}" for line in outcome.failures)
            )
        with _stage("publish", result, progress):
            _swap_dir(new_reports, project.reports_dir)
            os.replace(new_db, project.warehouse_path)
        _summarise(project, result)
        return result
    finally:
        for leftover in (new_db, new_db.with_name(new_db.name + ".wal")):
            if leftover.exists():
                leftover.unlink()
        if new_reports.exists():
            shutil.rmtree(new_reports)


def _summarise(project: Project, result: BuildResult) -> None:
    import duckdb

    with duckdb.connect(str(project.warehouse_path), read_only=True) as con:
        result.sections = con.execute("SELECT count(*) FROM sections").fetchone()[0]
        result.mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        result.mentions_by_kind = dict(
            con.execute(
                "SELECT kind, count(*) FROM mentions GROUP BY kind ORDER BY kind"
            ).fetchall()
        )
        result.claims = con.execute("SELECT count(*) FROM claims").fetchone()[0]
        result.checks_by_verdict = dict(
            con.execute(
                "SELECT verdict, count(*) FROM claim_checks GROUP BY verdict ORDER BY verdict"
            ).fetchall()
        )
        result.mentions_by_section = dict(
            con.execute(
                "SELECT section, count(*) FROM mentions GROUP BY section ORDER BY section"
            ).fetchall()
        )
    result.written = [project.warehouse_path, project.reports_dir / "index.html"]
