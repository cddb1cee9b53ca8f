"""Where each document's own work runs: in the build's process (engine ``local``) or mapped
over a Ray cluster (engine ``ray``; docs/architecture.md, "Engines").

A document's own work is a pure function of its text and metadata, its layout, the lexicon and
the reference tables: its sections and figures, and the claims the machine drafts from them.
Both engines run the same function, :func:`work_batch`, so they give the same tables. What
needs every document at once (claims files, checks, claims that come back, the warehouse,
validation, the report) stays in the build's process, which loads the results into DuckDB.

On Ray, batches of documents go out as the rows of a Ray Data dataset, one batch per block; the
layouts, lexicon and reference tables go once into the object store; each batch's figures,
sections and drafted claims come back to the driver as they complete, which caches them
(:mod:`analysis.build.extract_cache`, :mod:`analysis.build.drafts_cache`): a Ray worker's disk
may be another machine's. A local worker process shares the build's disk and writes those
entries itself (:class:`Caching`), the same entries.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import pickle
import re
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from analysis.build.pool_worker import read_frame, write_frame
from analysis.claims.register import Claim
from analysis.documents.layout import Layout
from analysis.documents.model import Document
from analysis.errors import BadInput, os_error_text
from analysis.figures.digits import unreadable_numbers
from analysis.figures.extract import (
    ExtractedDocument,
    document_layout,
    extract_many,
    find_figures_many,
)
from analysis.figures.lexicon import Lexicon
from analysis.interrupts import reinstate
from analysis.project import Project
from analysis.reference.tables import ReferenceTable, load_reference
from analysis.relations.draft import draft_all

RAY_BATCH_CHARS = 1_000_000  # characters of articles per Ray task: about 50 news articles
# Local worker processes pay their start (about a second of imports each) only for this much
# text needing work, about 100 news articles; less is worked in the build's process.
POOL_FROM_CHARS = 2_000_000
POOL_BATCH_CHARS = 250_000  # characters per local task: small, so the workers share evenly
RAY_INSTALL = "pip install 'iom-factcheck-analysis[ray]'"


@dataclass(frozen=True)
class Shared:
    """What every document's work reads besides the document itself."""

    layouts: dict[str, Layout]  # by document id
    lex: Lexicon
    references: dict[str, ReferenceTable]
    # where a worker that shares the build's disk caches each document's work itself (a local
    # worker process; never a Ray worker, whose disk may be another machine's): the build's
    # process then does not, and the cores share that work too
    caching: Caching | None = None


@dataclass(frozen=True)
class Caching:
    """The project's cache folder (made absolute: a worker runs in the project's folder) and
    the build's fingerprint, which key a document's entries
    (:mod:`analysis.build.extract_cache`, :mod:`analysis.build.drafts_cache`)."""

    cache_dir: Path
    prints: dict[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "cache_dir", self.cache_dir.absolute())

    def write(self, doc: Document, extracted: ExtractedDocument, drafted: list[Claim]) -> bool:
        """Whether both entries were written. One that cannot be (a folder not writable, a
        full disk, claims JSON cannot hold) is left to the build's process, which says why
        in one line as it always has (:func:`~analysis.files.write_atomic`) or keeps the
        older entries: the worker goes on."""
        from analysis.build import drafts_cache, extract_cache

        try:
            where = extract_cache.paths(self.cache_dir, doc, self.prints)
            extract_cache.write(where, doc, extracted)
            return drafts_cache.write(self.cache_dir, doc, self.prints, drafted)
        except (BadInput, OSError):
            return False


@dataclass(frozen=True)
class Done:
    """One document's work."""

    doc_id: str
    extracted: ExtractedDocument
    drafted: list[Claim]
    cached: bool = False  # both its cache entries written by the worker (Shared.caching)


def shared_inputs(
    docs: list[Document],
    layouts_dir: Path | None,
    lex: Lexicon,
    references: dict[str, ReferenceTable],
) -> Shared:
    """The inputs of ``docs``' work, read here (a worker reads no project file): a layout
    named by a document's metadata and missing is the usual one-line error, before any work
    starts."""
    return Shared({d.doc_id: document_layout(d, layouts_dir) for d in docs}, lex, references)


def project_inputs(project: Project, docs: list[Document], lex: Lexicon) -> Shared:
    """:func:`shared_inputs` from the project's layouts and reference tables."""
    return shared_inputs(docs, project.layouts_dir, lex, load_reference(project.reference_dir))


def batches(docs: list[Document], limit: int) -> Iterator[list[Document]]:
    """``docs`` in runs of one dollar and at most ``limit`` characters (a longer document
    alone)."""
    by_dollar: dict[str, list[Document]] = {}
    for doc in docs:
        by_dollar.setdefault(doc.dollar, []).append(doc)
    for group in by_dollar.values():
        batch: list[Document] = []
        size = 0
        for doc in group:
            if batch and size + len(doc.text) > limit:
                yield batch
                batch, size = [], 0
            batch.append(doc)
            size += len(doc.text) + 1
        if batch:
            yield batch


def extract_batch(
    batch: list[Document], lex: Lexicon, layouts: Mapping[str, Layout]
) -> Iterator[tuple[Document, ExtractedDocument]]:
    """Each document's sections and figures, its figures found in one pass over the batch
    (which shares one dollar), segmented with its layout (``layouts``, by document id), with
    the notes on the numbers it writes in a way not read."""
    found = find_figures_many([d.text for d in batch], lex, batch[0].dollar)
    for doc, extracted in zip(batch, extract_many(batch, layouts, lex, found), strict=True):
        notes = tuple(u.note(doc.text) for u in unreadable_numbers(doc.text))
        yield doc, dataclasses.replace(extracted, unreadable=notes)


def work_batch(batch: list[Document], shared: Shared) -> list[Done]:
    """Each document's sections and figures (:func:`extract_batch`) and the claims drafted
    from them."""
    out = []
    for doc, extracted in extract_batch(batch, shared.lex, shared.layouts):
        drafted = draft_all(
            doc.doc_id,
            doc.path,
            doc.text,
            extracted.sections,
            extracted.mentions,
            doc.as_of,
            shared.lex,
            shared.references,
        )
        cached = shared.caching is not None and shared.caching.write(doc, extracted, drafted)
        out.append(Done(doc.doc_id, extracted, drafted, cached))
    return out


def batch_limit(total: int, workers: int, most: int) -> int:
    """Characters a batch may hold: at most ``most``, and small enough for two batches a
    worker."""
    return max(1, min(most, -(-total // (2 * workers))))


class PoolEngine:
    """The work of the documents it is given, on ``jobs`` worker processes of this machine
    (engine ``local`` with ``--jobs`` of 2 or more and at least :data:`POOL_FROM_CHARS` of
    text to work): called with a list of documents, yields each one's :class:`Done` as its
    batch comes back, like :class:`RayEngine`. Each worker is a fresh interpreter running
    :mod:`analysis.build.pool_worker` (not a fork: the build's process already runs Polars'
    threads; not :mod:`multiprocessing`: its workers import the caller's main script again,
    and a script that builds would build again in each), given the shared inputs once and
    then one batch at a time, the next as it hands back the last. A worker dies with the
    build; a worker's failure is raised with the last line of its log."""

    def __init__(
        self, project: Project, lex: Lexicon, jobs: int, caching: Caching | None = None
    ) -> None:
        """``caching``: where the workers cache each document's work (else the caller
        does)."""
        self.project, self.lex, self.jobs, self.caching = project, lex, jobs, caching
        self.summary = "local: no document needed work"

    def __call__(self, docs: list[Document]) -> Iterator[Done]:
        if not docs:
            return
        inputs = project_inputs(self.project, docs, self.lex)
        shared = pickle.dumps(
            dataclasses.replace(inputs, caching=self.caching), protocol=pickle.HIGHEST_PROTOCOL
        )
        total = sum(len(d.text) for d in docs)
        work = list(batches(docs, batch_limit(total, self.jobs, POOL_BATCH_CHARS)))
        self.summary = (
            f"local: {len(docs)} document(s) in {len(work)} batch(es) on "
            f"{min(self.jobs, len(work))} worker processes"
        )
        pending = [pickle.dumps(b, protocol=pickle.HIGHEST_PROTOCOL) for b in reversed(work)]
        workers = [start_worker(self.project, i) for i in range(min(self.jobs, len(work)))]
        try:
            yield from _dispatch(workers, shared, pending)
        finally:
            for worker in workers:
                worker.stop()


@dataclass
class Worker:
    """A running :mod:`analysis.build.pool_worker` and its log."""

    process: subprocess.Popen[bytes]
    log: Path

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        write_frame(self.process.stdin, data)

    def receive(self) -> bytes:
        assert self.process.stdout is not None
        try:
            frame = read_frame(self.process.stdout)
        except EOFError:
            frame = None
        if frame is None:
            from analysis.build.helpers import failure_line

            code = self.process.wait()
            why = failure_line(code, self.log) or f"it ended with code {code}"
            raise RuntimeError(f"extracting the articles failed in a worker: {why}")
        return frame

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self.log.unlink(missing_ok=True)


def start_worker(project: Project, number: int) -> Worker:
    """A worker process of the build, its log in the project's data folder."""
    from analysis.workers import PARENT_VARIABLE

    log = project.data_dir / f".pool-{os.getpid()}-{number}.log"
    env = {**os.environ, PARENT_VARIABLE: str(os.getpid())}  # see workers.die_with_parent
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "analysis.build.pool_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=out,
            cwd=project.root,
            env=env,
        )
    return Worker(process, log)


def _dispatch(workers: list[Worker], shared: bytes, pending: list[bytes]) -> Iterator[Done]:
    """Each worker the shared inputs and a batch; then, as each hands back its batch's work,
    the next batch, until none is left. The next batch is sent before the work handed back is
    read and used (its cache entries written), so that the worker is not idle meanwhile."""
    import selectors

    with selectors.DefaultSelector() as ready:
        for worker in workers:
            worker.send(shared)
            worker.send(pending.pop())
            assert worker.process.stdout is not None
            ready.register(worker.process.stdout, selectors.EVENT_READ, worker)
        busy = len(workers)
        while busy:
            for key, _ in ready.select():
                worker: Worker = key.data
                handed_back = worker.receive()
                if pending:
                    worker.send(pending.pop())
                else:
                    ready.unregister(key.fileobj)
                    assert worker.process.stdin is not None
                    worker.process.stdin.close()
                    busy -= 1
                yield from pickle.loads(handed_back)


def pooled(docs: list[Document], jobs: int) -> bool:
    """Whether ``docs``' work goes to local worker processes (:class:`PoolEngine`)."""
    return jobs >= 2 and sum(len(d.text) for d in docs) >= POOL_FROM_CHARS


_WORKER_SHARED: dict[str, Shared] = {}  # a Ray worker's copy of the shared inputs, by ref


def _ray_map(rows: dict[str, Any], shared_ref: Any) -> dict[str, list]:
    """Ray Data's map over blocks of batches: pickled batches in, pickled results out."""
    import ray

    key = shared_ref.hex()
    if key not in _WORKER_SHARED:
        _WORKER_SHARED.clear()
        _WORKER_SHARED[key] = ray.get(shared_ref)
    shared = _WORKER_SHARED[key]
    out: dict[str, list] = {"doc_id": [], "done": []}
    for blob in rows["batch"]:
        for done in work_batch(pickle.loads(blob), shared):
            out["doc_id"].append(done.doc_id)
            out["done"].append(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
    return out


def _reachable(address: str) -> None:
    """A ``host:port`` or ``ray://host:port`` address must answer within five seconds: Ray
    itself waits minutes on one that does not. (``auto`` and other forms are Ray's to find.)"""
    found = re.fullmatch(r"(?:ray://)?\[?([^\]/]+?)\]?:(\d+)/?", address.strip())
    if not found:
        return
    try:
        socket.create_connection((found[1], int(found[2])), timeout=5).close()
    except OSError as err:
        text = os_error_text(err) if not isinstance(err, TimeoutError) else "no answer in 5 s"
        raise BadInput(None, f"cannot reach the Ray cluster at {address}: {text}") from None


def _start_ray(address: str | None, jobs: int) -> Any:
    """Ray, connected to the cluster at ``address`` or to a local one of ``jobs`` CPUs
    started here; usage statistics off (nothing leaves the machine)."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    try:
        import ray
        import ray.data
    except ImportError:
        message = f"--engine ray needs Ray, which is not installed: {RAY_INSTALL}"
        raise BadInput(None, message) from None
    if address:
        _reachable(address)
    quiet = {"log_to_driver": False, "logging_level": logging.ERROR}
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(
                num_cpus=jobs,
                include_dashboard=False,
                object_store_memory=512 * 1024 * 1024,
                **quiet,
            )
    except (ConnectionError, RuntimeError, ValueError) as err:
        where = address or "a new local Ray instance"
        raise BadInput(None, f"cannot start Ray ({where}): {' '.join(str(err).split())}") from err
    reinstate()  # Ray's own SIGTERM handler would end the build at once, even while publishing
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    return ray


class RayEngine:
    """The work of the documents it is given, on Ray: called with a list of documents, yields
    each one's :class:`Done` as its batch comes back. ``summary`` then says where it ran."""

    def __init__(self, project: Project, lex: Lexicon, address: str | None, jobs: int) -> None:
        self.project, self.lex, self.address, self.jobs = project, lex, address, jobs
        self.summary = "ray: no document needed work"

    def __call__(self, docs: list[Document]) -> Iterator[Done]:
        if not docs:
            return
        shared = project_inputs(self.project, docs, self.lex)
        ray = _start_ray(self.address, self.jobs)
        try:
            cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
            total = sum(len(d.text) for d in docs)
            # at most RAY_BATCH_CHARS characters a batch, and at least two batches per CPU
            limit = batch_limit(total, cpus, RAY_BATCH_CHARS)
            items = [
                {"batch": pickle.dumps(b, protocol=pickle.HIGHEST_PROTOCOL)}
                for b in batches(docs, limit)
            ]
            where = f"the cluster at {self.address}" if self.address else "a local cluster"
            self.summary = (
                f"ray: {len(docs)} document(s) in {len(items)} batch(es) on {cpus} CPU(s) of "
                f"{where}"
            )
            shared_ref = ray.put(shared)
            dataset = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
                _ray_map, batch_size=1, fn_kwargs={"shared_ref": shared_ref}
            )
            for row in dataset.iter_rows():
                yield pickle.loads(row["done"])
        finally:
            ray.shutdown()
            reinstate()  # shutdown leaves SIGTERM at the system's default


class Remote(Protocol):
    """An engine other than the build's own process: each document's :class:`Done` as its
    batch comes back, and then, in ``summary``, where the work ran."""

    summary: str

    def __call__(self, docs: list[Document]) -> Iterator[Done]: ...
