"""The build: stage order, atomic replacement of the warehouse and the reports.

seeds → documents → sections + mentions → new warehouse file → validation → reports.
Nothing is replaced until everything is built and validated: the new warehouse is written
beside the old one and renamed over it; the reports are written into a fresh sibling folder
and swapped in. A failure at any point leaves the previous outputs as they were.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import duckdb

from analysis import __version__
from analysis.build import (
    carry,
    checks_cache,
    drafts_cache,
    engines,
    extract_cache,
    helpers,
    matches_cache,
    publish,
    state,
)
from analysis.build.publish import crash_point
from analysis.checks.stage import Register, check_documents
from analysis.claims.register import Claim
from analysis.documents.corpus import read_documents
from analysis.documents.model import Document
from analysis.errors import BadInput, ValidationFailed
from analysis.figures.extract import ExtractedDocument, document_layout
from analysis.figures.lexicon import Lexicon, load_lexicon
from analysis.files import remove_others, remove_stale
from analysis.files_cache import clock, sweep
from analysis.project import Project
from analysis.report.publication import load_publication
from analysis.sqlnames import insert_values
from analysis.validation import scope as validation_scope
from analysis.validation.expectations import load_suites
from analysis.warehouse import load

# progress(stage, event, detail): event "start", "step" (detail: documents done, MB/s, time
# left) or "done" (detail: the stage's time and peak memory)
Progress = Callable[[str, str, str], None]


@dataclass
class BuildResult:
    documents: int = 0
    sections: int = 0
    mentions: int = 0
    mentions_by_kind: dict[str, int] = field(default_factory=dict)
    mentions_by_section: dict[str, int] = field(default_factory=dict)
    claims: int = 0
    coverage: dict[str, int] = field(default_factory=dict)
    changes: str | None = None
    overrides: int = 0
    checks_by_verdict: dict[str, int] = field(default_factory=dict)
    expectations_passed: int = 0
    expectations_failed: int = 0
    failures: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stage_peak_mib: dict[str, float] = field(default_factory=dict)  # the process's, so far
    report_peak_mib: float = 0.0  # the report workers' together, when they drew it
    validator_peak_mib: float = 0.0  # the validator's, when a second process validated
    validation_notes: list[str] = field(default_factory=list)  # the validator's, if any
    unreadable: dict[str, list[str]] = field(default_factory=dict)  # seed file → notes
    cached: list[str] = field(default_factory=list)
    cache_discarded: list[str] = field(default_factory=list)  # corrupt entries, re-extracted
    engine: str = "local"  # where each document's own work ran (analysis.build.engines)
    drafts_cached: list[str] = field(default_factory=list)  # documents whose drafts were reused
    drafts_discarded: list[str] = field(default_factory=list)  # corrupt entries, drafted again
    checks_cached: list[str] = field(default_factory=list)  # documents whose checks were reused
    checks_discarded: list[str] = field(default_factory=list)  # corrupt entries, checked again
    renderings_removed: int = 0  # render cache entries this build did not use, removed
    documents_forgotten: list[str] = field(default_factory=list)  # cached, no longer seeds
    kept: frozenset[str] = frozenset()  # documents whose rows were copied from the last warehouse
    loaded: dict[str, str] = field(default_factory=dict)  # each document's carry key (carry.py)
    suites: str = ""  # the digest of the suites it validated with (validation.run.digest)
    # the documents whose rows a by-document suite checked, when not every document's
    # (validation.scope); None: every row
    validated_documents: int | None = None


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
    progress(name, "start", "")
    began = time.perf_counter()
    yield
    result.stage_seconds[name] = round(time.perf_counter() - began, 3)
    result.stage_peak_mib[name] = peak_mib()
    progress(
        name,
        "done",
        f"done in {result.stage_seconds[name]:.2f} s, peak {result.stage_peak_mib[name]:.0f} MiB",
    )


def peak_mib() -> float:
    """The peak resident memory of this process, in MiB."""
    return helpers.usage_mib(resource.getrusage(resource.RUSAGE_SELF))


ESTIMATE_FROM = 0.01  # the share of a stage's bytes done before its time left is estimated


class Meter:
    """Documents done of a stage, with their MB/s and the time left at that rate, reported
    through ``progress`` at most every ``every`` seconds."""

    def __init__(
        self, stage: str, sizes: list[int], progress: Progress, every: float = 2.0
    ) -> None:
        """``sizes``: the bytes of each document the stage will do."""
        self.stage, self.progress, self.every = stage, progress, every
        self.total_docs = len(sizes)
        self.total_bytes = sum(sizes)
        self.docs = self.bytes = 0
        self.began = self.shown = time.perf_counter()

    def add(self, n_docs: int, n_bytes: int) -> None:
        self.docs += n_docs
        self.bytes += n_bytes
        now = time.perf_counter()
        if now - self.shown < self.every or self.docs >= self.total_docs:
            return
        self.shown = now
        rate = self.bytes / max(now - self.began, 1e-9)
        # a rate measured on under a hundredth of the work says little of the rest (the
        # stage's first seconds set it up; an unchanged document costs next to nothing)
        known = self.bytes >= ESTIMATE_FROM * self.total_bytes and rate > 0
        left = (
            f"about {_duration((self.total_bytes - self.bytes) / rate)} left"
            if known
            else "time left not yet known"
        )
        self.progress(
            self.stage,
            "step",
            f"{self.docs:,}/{self.total_docs:,} documents, {rate / 1e6:.1f} MB/s, {left}",
        )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


# seconds before a build's start (by the cache folder's clock) that the render cache's
# entries it leaves must be unused since: a margin for a clock stepped back during the build
SWEEP_MARGIN = 2.0
# how long the per-document caches keep the work of documents no build has used (an article
# taken out of the seeds): one put back within a week of its last build is not extracted
# again (the render cache keeps only what the last build used: a page is cheaper to draw)
CACHE_KEEPS_UNUSED = 7 * 24 * 3600.0

# the per-document caches' folders under data/.cache/ (their entries named {doc_id}-{key}.*)
PER_DOCUMENT_CACHES = (extract_cache.FOLDER, drafts_cache.FOLDER, checks_cache.FOLDER)

BATCH_CHARS = 8_000_000  # characters of articles whose figures are found in one pass


def extract_all(
    project: Project,
    docs: list[Document],
    lex: Lexicon,
    prints: dict[str, str],
    result: BuildResult,
    use_cache: bool = True,
    progress: Progress | None = None,
    remote: engines.Remote | None = None,
    drafted: dict[str, list[Claim]] | None = None,
    jobs: int = 1,
    cached_there: set[str] | None = None,
) -> dict[str, ExtractedDocument]:
    """Each document's sections and figures, reused from data/.cache/ when its text, metadata,
    layouts and the code are unchanged (the cache holds exactly what extraction returns);
    the others extracted in batches (their figures found in one pass,
    :func:`~analysis.figures.extract.find_figures_many`) and cached as each batch completes.
    ``use_cache=False`` (``--force``) never reads the cache. With ``remote`` (an engine) the
    documents not cached are extracted, and their claims drafted into ``drafted``, there; so
    they are on ``jobs`` local worker processes when enough text needs work
    (:func:`~analysis.build.engines.pooled`), which cache each document's extraction and
    drafted claims themselves: their ids are added to ``cached_there``."""
    paths = {d.doc_id: extract_cache.paths(project.cache_dir, d, prints) for d in docs}
    entries = []
    if use_cache:
        for doc in docs:
            entry = extract_cache.read(paths[doc.doc_id], doc, result.cache_discarded)
            if entry is not None:
                entries.append(entry)
    done = extract_cache.read_all(entries, result.cached, result.cache_discarded)
    missing = [d for d in docs if d.doc_id not in done]
    written = [d.doc_id for d in missing]  # their entries replace any older ones at the end
    meter = Meter("extract", [d.size for d in missing], progress or (lambda *event: None))
    if remote is None and drafted is not None and engines.pooled(missing, jobs):
        remote = engines.PoolEngine(project, lex, jobs, engines.Caching(project.cache_dir, prints))
    if remote is not None:
        by_id = {d.doc_id: d for d in missing}
        for work in remote(missing):
            doc = by_id[work.doc_id]
            if work.cached and cached_there is not None:
                cached_there.add(doc.doc_id)
            else:  # Ray's workers, or a caller that would write the drafts itself
                extract_cache.write(paths[doc.doc_id], doc, work.extracted)
            done[doc.doc_id] = work.extracted
            if drafted is not None:
                drafted[doc.doc_id] = work.drafted
            meter.add(1, doc.size)
        missing = []
        result.engine = remote.summary
    for batch in engines.batches(missing, BATCH_CHARS):
        layouts = {d.doc_id: document_layout(d, project.layouts_dir) for d in batch}
        for doc, extracted in engines.extract_batch(batch, lex, layouts):
            extract_cache.write(paths[doc.doc_id], doc, extracted)
            done[doc.doc_id] = extracted
            meter.add(1, doc.size)
    remove_stale(paths[doc_id][-1] for doc_id in written)
    return {d.doc_id: done[d.doc_id] for d in docs}


LOAD_ROWS = 500_000  # figures loaded in one statement


def _runs(
    extracted: dict[str, ExtractedDocument], rows: int
) -> Iterator[list[tuple[str, ExtractedDocument]]]:
    """``extracted``'s documents in their order, in runs of at least ``rows`` figures (the
    last may hold fewer), each taken out of ``extracted`` as its run is given."""
    run: list[tuple[str, ExtractedDocument]] = []
    size = 0
    for doc_id in list(extracted):
        ex = extracted.pop(doc_id)
        run.append((doc_id, ex))
        size += ex.mentions.height
        if size >= rows:
            yield run
            run, size = [], 0
    if run:
        yield run


def _load_tables(
    con: duckdb.DuckDBPyConnection,
    docs: list[Document],
    extracted: dict[str, ExtractedDocument],
    register: Register,
    root: Path,
    put: load.Put = load.insert,
) -> None:
    """Every table of the build into the new warehouse (the caller's transaction): the rows of
    ``docs`` appended to the tables of one document's rows, each other table's given to
    ``put`` (a carried warehouse's are merged). ``extracted`` is emptied as its documents are
    loaded: their figures are most of the build's memory, and each run's frames in the
    warehouse's columns are a copy of them."""
    import polars as pl

    load.insert(con, "documents", load.documents_frame(docs, root))
    # a run of documents at a time, of about LOAD_ROWS figures: one INSERT a run, not one a
    # document (each costs DuckDB a statement), nor one for all (a copy of every figure)
    for run in _runs(extracted, LOAD_ROWS):
        sections = [load.sections_frame(d, ex.sections) for d, ex in run]
        load.insert(con, "sections", pl.concat(sections, how="vertical"))
        mentions = [load.mentions_frame(d, ex.mentions) for d, ex in run]
        load.insert(con, "mentions", pl.concat(mentions, how="vertical"))
        del run, sections, mentions  # before the next run's are made
    load.load_reference_tables(con, register.references, root, put)
    put(con, "claims", load.claims_frame(register.claims, register.verdicts, root))
    put(con, "claim_mentions", load.claim_mentions_frame(register.claims))
    put(con, "claim_matches", load.matches_frame(register.matches))
    put(con, "claim_checks", load.checks_frame(register.results, register.by_id))
    put(con, "reviews", load.reviews_frame(register.reviews, root))
    put(con, "dismissals", load.dismissals_frame(register.dismissals))
    put(con, "tolerance_rules", load.tolerance_frame(register.tolerance))
    put(con, "verdict_scale", load.verdict_scale_frame(register.tolerance))
    put(con, "name_variants", load.name_variants_frame(register.name_variants))


def _new_warehouse(
    path: Path, plan: carry.Carried | None, text_bytes: int, rows: int
) -> tuple[duckdb.DuckDBPyConnection, frozenset[str]]:
    """The build's new warehouse at ``path`` and the documents whose rows it already holds: a
    copy of the last one keeping the rows of ``plan``'s documents, when the copied file is
    still the one ``plan`` found; else an empty one (docs/architecture.md, "The warehouse
    carried forward")."""
    if plan is not None:
        con = load.carry(path, plan.previous, plan.kept, plan.still_there, text_bytes, rows)
        if con is not None:
            return con, plan.kept
    return load.create(path, text_bytes, rows), frozenset()


def _refuse_yml(project: Project) -> None:
    """The build reads YAML files that end in ``.yaml``: a ``.yml`` one among its inputs (a
    claims file, a lexicon extension, ``publication.yml``, a seed's ``.meta.yml``) would be
    passed over without a word, so it is refused."""
    folders = (
        project.seeds_dir,
        project.layouts_dir,
        project.lexicon_dir,
        project.reference_dir,
        project.claims_dir,
        project.reviews_dir,
        project.dismissals_dir,
        project.methodology_dir,
        project.expectations_dir,
    )  # the folders it reads YAML from; other folders of data/ are the desk's own
    strays = [p for folder in folders if folder.is_dir() for p in folder.glob("*.yml")]
    beside = project.publication_path.with_suffix(".yml")
    if beside.exists():
        strays.append(beside)
    if strays:
        raise BadInput(
            min(strays),
            "the build reads YAML files ending in .yaml and would pass this one over: rename it",
        )


def _check_charts(claims: list[Claim]) -> None:
    """A claim's ``chart`` names a chart of the report: a misspelled one would leave the claim
    off its chart without a word."""
    from analysis.charts import module_names

    charts = module_names()
    for c in claims:
        if c.chart is not None and c.chart not in charts:
            raise BadInput(
                c.path,
                f"claim {c.claim_id!r}: unknown chart {c.chart!r} (use: {', '.join(charts)})",
                c.line or None,
            )


# Python's cycle collector during a build: a collection of the youngest objects each 100,000
# allocations, not each 700, and of the oldest after fifty of the middle (Python's: 10, 10)
BUILD_GC_THRESHOLDS = (100_000, 50, 50)


@contextmanager
def spaced_collections() -> Iterator[None]:
    """Python's cycle collector set to :data:`BUILD_GC_THRESHOLDS`, and set back as it was;
    as a decorator, for each call. A build holds millions of objects it made (sections,
    figures, claims, check results), and each collection of the oldest generation walked
    them all: collections took 10-13 s of a build adding one article to the 10,000-article
    archive, 3.5-3.8 s so. The collector still runs: the garbage in cycles a build makes
    (a drafting closure per sentence, Great Expectations' frames when it validates in this
    process: 262 KiB an article and 30,000 objects on the seed with one job) dies young,
    where a collection still finds it; paused, it stayed until the build ended."""
    was = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*was)


@spaced_collections()
def build(
    project: Project,
    progress: Progress | None = None,
    prints: dict[str, str] | None = None,
    validation: str = "full",
    use_cache: bool = True,
    jobs: int = 2,
    engine: str = "local",
    address: str | None = None,
    validator: subprocess.Popen[bytes] | None = None,
    drawers: helpers.Ahead | None = None,
) -> BuildResult:
    """Run every stage; raise BadInput (exit 2) or ValidationFailed (exit 1) on failure.
    With ``jobs`` of 2 or more the report is drawn in a second process while this one
    validates; with 1, here, after validation (the same pages either way). With ``engine``
    ``ray`` each document's extraction and drafting run on Ray (the cluster at ``address``,
    else a local one of ``jobs`` CPUs); the tables are the same. ``validator``: the validator
    process, started by the caller before it imports this module and stopped by it, its log
    removed (:func:`helpers.validator_aside`, as the command line does); without one the build
    validates in this process. ``drawers``: the report workers, started by the caller ahead
    and stopped by it (:func:`helpers.drawing_aside`); without them, and with two jobs or
    more, the build starts them when the warehouse is ready.

    The caller holds the build lock (see :mod:`analysis.build.publish`)."""
    progress = progress or (lambda stage, event, detail: None)
    # what the caches hold unused (the render cache's since the build began, the per-document
    # caches' since a week before) is removed once published; --force reads no page: it would
    # remove them all, and it forgets no document
    began = clock(project.render_cache_dir) if use_cache else None
    prints = prints or state.fingerprint(project)
    result = BuildResult()
    root = project.root
    new_db = project.data_dir / f".warehouse-{os.getpid()}.duckdb"
    new_reports = root / f".reports-{os.getpid()}"
    validated = project.data_dir / f".validation-{os.getpid()}.json"
    try:
        with _stage("read", result, progress):
            docs = read_documents(project.seeds_dir)
            result.documents = len(docs)
            # a suite's bad input (an unknown expectation, say) stops the build here, not
            # after extraction, checks and loading; so does a YAML file it would pass over
            load_suites(project.expectations_dir)
            _refuse_yml(project)
        crash_point("read")
        with _stage("extract", result, progress):
            lex = load_lexicon(project.lexicon_dir)
            remote = engines.RayEngine(project, lex, address, jobs) if engine == "ray" else None
            predrafted: dict[str, list[Claim]] = {}
            cached_there: set[str] = set()  # documents whose drafts a worker cached
            extracted = extract_all(
                project,
                docs,
                lex,
                prints,
                result,
                use_cache,
                progress,
                remote,
                predrafted,
                jobs,
                cached_there,
            )
            for d in docs:
                if extracted[d.doc_id].unreadable:
                    result.unreadable[d.source(root)] = list(extracted[d.doc_id].unreadable)
        crash_point("extract")
        with _stage("check", result, progress):
            meter = Meter("check", [d.size for d in docs], progress)
            known = {}  # documents checked before, by their own key
            reused = {}  # the drafted claims of others drafted before, by theirs
            if use_cache:
                for d in docs:
                    part = checks_cache.read(project, d, prints, result.checks_discarded)
                    if part is not None:
                        known[d.doc_id] = part
                    elif d.doc_id not in predrafted:
                        found = drafts_cache.read(project, d, prints, result.drafts_discarded)
                        if found is not None:
                            reused[d.doc_id] = found
            earlier = matches_cache.read(project, prints["code"]) if use_cache else None
            register = check_documents(
                project, docs, extracted, meter.add, {**reused, **predrafted}, earlier, known
            )
            _check_charts(register.claims)
            matches_cache.write(project, prints["code"], register.match_memo)
            result.drafts_cached = sorted(reused)
            result.checks_cached = sorted(known)
            drafts_cache.write_all(
                project,
                [d for d in docs if d.doc_id not in reused and d.doc_id not in known],
                prints,
                register.machine,
                cached_there,
            )
            checks_cache.write_all(
                project, [d for d in docs if d.doc_id not in known], prints, register.checked
            )
        crash_point("check")
        with _stage("load", result, progress):
            # figures and sections grow with the archive; reference tables are the seed's longest
            longest = max(
                [
                    sum(ex.mentions.height for ex in extracted.values()),
                    sum(len(ex.sections) for ex in extracted.values()),
                ]
                + [len(t.rows) for t in register.references.values()]
            )
            result.loaded = carry.document_keys(docs, prints, root)
            scope: validation_scope.Scope | None = None
            plan = carry.plan(project, docs, result.loaded, prints) if use_cache else None
            con = None
            try:
                con, kept = _new_warehouse(new_db, plan, sum(d.size for d in docs), longest)
                result.kept = kept
                for doc_id in kept:  # their rows are in the copy
                    del extracted[doc_id]
                merging = load.Merging() if kept else None
                with load.transaction(con):
                    rest = [d for d in docs if d.doc_id not in kept]
                    _load_tables(con, rest, extracted, register, root, merging or load.insert)
                    if merging is not None:
                        merging.empty_the_rest(con)
                # the rows the published warehouse passed its suites on are not checked again
                # by the suites that check a document's rows alone, when validation runs the
                # same suites (validation.scope.Scope.of)
                if merging is not None and plan is not None and plan.validated_with:
                    scope = validation_scope.of_carried(
                        [d.doc_id for d in docs],
                        kept,
                        merging.changes,
                        plan.validated_with,
                        plan.validated_by == "full",
                    )
                skipped_views = load.create_views(con)
                info = {
                    "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "views_skipped": ",".join(skipped_views) or "none",
                    **load_publication(project.publication_path).as_info(),
                    **{f"version_{k}": v for k, v in _versions().items()},
                }
                insert_values(con, "INSERT INTO build_info", sorted(info.items()))
                con.execute("CHECKPOINT wh")
            finally:
                if con is not None:
                    con.close()
                shutil.rmtree(load.staging_dir(new_db), ignore_errors=True)
        crash_point("load")
        # What the warehouse now holds is no longer needed in memory: the figures, sections
        # and claims of every document (most of the build's memory at scale) are released
        # before validation and the report read the file.
        del extracted, register, predrafted, reused, known
        # The report pages are drawn from the new file in a second process while this one
        # validates it (both only read it; two cores, no shared interpreter lock), or here
        # after validation with one job; they are published only if validation passes.
        from analysis.report.write import write_validation_page

        # article pages are reused under the code's fingerprint; --force reads no cache
        pages_key = prints["code"] if use_cache else None
        drawing = (
            helpers.start_drawing(project, new_db, new_reports, pages_key, drawers)
            if jobs >= 2
            else None
        )
        try:
            with _stage("validate", result, progress):
                if validator is not None:
                    outcome, result.validator_peak_mib, result.validation_notes = helpers.validate(
                        validator, project, validated, new_db, scope
                    )
                else:
                    from analysis.validation.run import validate_warehouse

                    outcome = validate_warehouse(
                        new_db, project.expectations_dir, validation, scope
                    )
                result.suites = outcome.suites  # what the next build may rely on
                narrowed = [r.documents for r in outcome.results if r.documents is not None]
                result.validated_documents = narrowed[0] if narrowed else None
                result.expectations_passed = outcome.passed
                result.expectations_failed = outcome.failed
                result.failures = outcome.failures
            crash_point("validate")
            with _stage("report", result, progress):
                if outcome.failed:  # only the validation report is published: as with one job,
                    helpers.end_drawing(drawing)  # nothing else drawn can fail the build
                    drawing = None
                    new_reports.mkdir(exist_ok=True)
                elif drawing is None:
                    from analysis.report.write import write_reports

                    cache = project.render_cache_dir
                    write_reports(new_db, new_reports, None, cache, pages_key)
                else:
                    result.report_peak_mib = helpers.finish_drawing(drawing, new_reports)
                page = write_validation_page(new_reports, outcome)
                # the build's id: what its pages are drawn from, the inputs, and what the
                # validation page says, which also depends on what the build carried (a
                # --force build of the same inputs checks every row: its page replaces one
                # that said fewer, publish.py)
                said = json.dumps(prints, sort_keys=True) + page.read_text("utf-8")
                build_id = hashlib.sha256(said.encode()).hexdigest()[:16]
                (new_reports / publish.BUILD_ID_FILE).write_text(build_id + "\n", "utf-8")
        finally:
            helpers.end_drawing(drawing)
        crash_point("report")
        if outcome.failed:
            # Keep the old warehouse and report pages; publish only the validation report.
            project.reports_dir.mkdir(exist_ok=True)
            # the folder is no longer any build's whole: the next build's pages replace it,
            # even a build of the same inputs, whose validation page says what it checked
            # (its id removed first: a build stopped between the two leaves no id)
            (project.reports_dir / publish.BUILD_ID_FILE).unlink(missing_ok=True)
            publish.swap_in_dir(new_reports / "validation", project.reports_dir / "validation")
            raise ValidationFailed(
                f"{outcome.failed} expectation(s) failed; the previous warehouse and reports are "
                f"kept. Report: {project.reports_dir / 'validation' / 'index.html'}\n"
                + "\n".join(f"  {line}" for line in outcome.failures)
            )
        _count(new_db, result)  # the file about to be published (no reader's connection to it)
        with _stage("publish", result, progress):
            publish.publish(project, build_id, new_db, new_reports)
            if began is not None:
                cache = project.render_cache_dir
                result.renderings_removed = sweep(cache, began - SWEEP_MARGIN, root)
                ids = {d.doc_id for d in docs}
                folders = [project.cache_dir / name for name in PER_DOCUMENT_CACHES]
                unused_since = began - SWEEP_MARGIN - CACHE_KEEPS_UNUSED
                result.documents_forgotten = sorted(remove_others(folders, ids, unused_since, root))
        _summarise(project, result)
        return result
    finally:
        for leftover in (new_db, new_db.with_name(new_db.name + ".wal"), validated):
            if leftover.exists():
                leftover.unlink()
        if new_reports.exists():
            shutil.rmtree(new_reports)


def _count(path: Path, result: BuildResult) -> None:
    """The summary's counts, from the new warehouse before it is published: a connection this
    process holds to the published path (a desk's notebook reading while it builds) would
    otherwise be shared, DuckDB keeping one database per path, and show the old file."""
    import duckdb

    from analysis import threads

    with duckdb.connect(str(path), read_only=True, config=threads.for_file(path)) as con:
        result.sections = con.execute("SELECT count(*) FROM sections").fetchone()[0]
        result.mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        result.mentions_by_kind = dict(
            con.execute(
                "SELECT kind, count(*) FROM mentions GROUP BY kind ORDER BY kind"
            ).fetchall()
        )
        result.claims = con.execute("SELECT count(*) FROM claims").fetchone()[0]
        result.coverage = dict(
            con.execute(
                "SELECT status, count(*) FROM mention_coverage GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        result.overrides = con.execute(
            "SELECT count(*) FROM reviews WHERE editor_verdict IS NOT NULL"
        ).fetchone()[0]
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


def _summarise(project: Project, result: BuildResult) -> None:
    """What was written, and what changed from the previous warehouse."""
    result.written = [project.warehouse_path, project.reports_dir / "index.html"]
    if project.previous_warehouse_path.exists():
        from analysis.warehouse.diff import diff

        try:
            result.changes = diff(
                project.warehouse_path, project.previous_warehouse_path, result.kept
            ).summary()
        except BadInput as err:  # the replaced file was no warehouse (overwritten by hand)
            result.changes = f"not compared with the previous file ({err.message})"
