"""The extraction cache (data/.cache/extract/): an entry gives back exactly what extraction
returned, the entries of a build are read in one pass, and a damaged entry is the one
discarded, whether its checksum fails or its Parquet does not read as written."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import polars as pl
import pytest

from analysis.build import engines, extract_cache, state
from analysis.build.pipeline import BuildResult, extract_all
from analysis.documents.corpus import read_documents
from analysis.documents.sections import Section
from analysis.figures.extract import ExtractedDocument, document_layout
from analysis.figures.lexicon import load_lexicon
from analysis.files import sha256_hex
from analysis.project import Project
from tests.conftest import REPO

TEXTS = {
    "a": "Aid cut\n\nThe fund lost $4.5 million in 2021, or 12 percent of its budget.\n",
    "b": "Nothing to count\n\nNo figure is in this text.\n",
    "c": "Staff\n\nSome 1,200 staff in 40 offices; 3 of 4 left by March 2022.\n",
    "d": "Odd digits\n\nThe fund grew 4,5% and hired 1\u200b200 staff.\n",
}


def _cache_paths(project: Project, doc, prints: dict[str, str]) -> tuple[Path, Path, Path]:
    return extract_cache.paths(project.cache_dir, doc, prints)


def _write_cached(paths: tuple[Path, Path, Path], doc, extracted: ExtractedDocument) -> None:
    extract_cache.write(paths, doc, extracted)


@pytest.fixture
def cached(tmp_path: Path) -> tuple[Project, list, dict[str, ExtractedDocument]]:
    """A project of three articles, extracted and written to its cache."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in TEXTS.items():
        (seeds / f"{name}.txt").write_text(text, "utf-8")
    project = Project(tmp_path)
    docs = read_documents(seeds)
    lex = load_lexicon(REPO / "data" / "lexicon")
    layouts = {d.doc_id: document_layout(d, REPO / "data" / "layouts") for d in docs}
    extracted = dict((doc.doc_id, ex) for doc, ex in engines.extract_batch(docs, lex, layouts))
    prints = state.fingerprint(project)
    for doc in docs:
        _write_cached(_cache_paths(project, doc, prints), doc, extracted[doc.doc_id])
    return project, docs, extracted


def _read_back(project: Project, docs: list) -> tuple[dict[str, ExtractedDocument], BuildResult]:
    result = BuildResult()
    prints = state.fingerprint(project)
    entries = [
        extract_cache.read(_cache_paths(project, d, prints), d, result.cache_discarded)
        for d in docs
    ]
    found = extract_cache.read_all(
        [e for e in entries if e is not None], result.cached, result.cache_discarded
    )
    return found, result


def _same(a: ExtractedDocument, b: ExtractedDocument) -> bool:
    return (
        a.sections == b.sections and a.mentions.equals(b.mentions) and a.unreadable == b.unreadable
    )


def test_entries_read_in_one_pass_give_back_what_extraction_returned(cached) -> None:
    project, docs, extracted = cached
    assert extracted["a"].mentions.height > 0 and extracted["b"].mentions.height == 0
    # the notes on numbers written in a way not read come back with their document's entry
    assert len(extracted["d"].unreadable) == 2 and not extracted["a"].unreadable
    found, result = _read_back(project, docs)
    assert result.cached == [d.doc_id for d in docs] and not result.cache_discarded
    for doc in docs:
        assert _same(found[doc.doc_id], extracted[doc.doc_id]), doc.doc_id
        assert found[doc.doc_id].mentions.schema == extracted[doc.doc_id].mentions.schema


@pytest.mark.parametrize("sizes", [[], [0], [5], [0, 3, 0, 0, 7, 1, 0], [2] * 13 + [0, 9]])
def test_rows_are_cut_into_consecutive_pieces_of_the_sizes_given(sizes: list[int]) -> None:
    """One piece a size, in order, each the rows a slice at its offset gives, from a frame of
    one chunk an entry (as read from the entries' Parquet) or of one chunk in all."""
    chunks = []
    at = 0
    for n in sizes:
        rows = {"row": list(range(at, at + n)), "text": ["x"] * n}
        chunks.append(pl.DataFrame(rows, schema={"row": pl.Int64, "text": pl.String}))
        at += n
    stacked = pl.concat(chunks, rechunk=False) if chunks else pl.DataFrame({"row": []})
    for frame in (stacked, stacked.rechunk()):
        pieces = extract_cache.split_rows(frame, sizes)
        assert [p.height for p in pieces] == sizes
        offsets = [sum(sizes[:i]) for i in range(len(sizes))]
        for piece, offset, n in zip(pieces, offsets, sizes, strict=True):
            assert piece.equals(frame.slice(offset, n))
            assert piece.get_column("row").to_list() == list(range(offset, offset + n))


def test_a_new_entry_replaces_a_documents_older_ones(cached) -> None:
    """Extracted again under another key (the code changed), each document keeps one entry:
    the new one (the older are removed once the batch is written, in one listing)."""
    project, docs, _ = cached
    prints = {**state.fingerprint(project), "code": "another version"}
    result = BuildResult()
    extract_all(project, docs, load_lexicon(REPO / "data" / "lexicon"), prints, result)
    assert result.cached == []
    folder = project.cache_dir / "extract"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for d in docs for p in _cache_paths(project, d, prints)
    )


def test_a_section_text_other_than_the_body_comes_back_as_it_was(cached) -> None:
    """Sections are stored without their text when it is the body's at their offsets; one that
    is not comes back as extraction gave it, not as the body reads."""
    project, docs, extracted = cached
    doc = docs[0]
    first = extracted[doc.doc_id].sections[0]
    odd = dataclasses.replace(first, text=first.text.upper() + "!")
    assert odd.text != doc.text[odd.start : odd.end]
    changed = ExtractedDocument([odd, *extracted[doc.doc_id].sections[1:]], extracted["a"].mentions)
    _write_cached(_cache_paths(project, doc, state.fingerprint(project)), doc, changed)
    found, _ = _read_back(project, docs)
    assert isinstance(found[doc.doc_id].sections[0], Section)
    assert found[doc.doc_id].sections == changed.sections


def _rewrite_mentions(project: Project, doc, data: bytes) -> None:
    """A tamperer's edit that also rewrites the checksums."""
    sections_path, mentions_path, sums_path = _cache_paths(project, doc, state.fingerprint(project))
    mentions_path.write_bytes(data)
    sums_path.write_text(f"{sha256_hex(sections_path.read_bytes())} {sha256_hex(data)}\n")


@pytest.mark.parametrize("damage", ["not parquet", "other rows"])
def test_a_damaged_entry_is_the_one_discarded(cached, damage: str) -> None:
    """Its Parquet unreadable, or holding other rows than the entry says it wrote (checksums
    rewritten to match): the pass over every entry fails, and they are read one by one, so
    that only that one is extracted again."""
    project, docs, extracted = cached
    doc = docs[2]
    if damage == "not parquet":
        data = b"PAR1 not really"
    else:
        buffer = io.BytesIO()
        extracted[doc.doc_id].mentions.head(1).write_parquet(buffer)
        data = buffer.getvalue()
    _rewrite_mentions(project, doc, data)
    found, result = _read_back(project, docs)
    assert sorted(found) == ["a", "b", "d"] and result.cached == ["a", "b", "d"]
    assert [d.split(" ")[0] for d in result.cache_discarded] == ["c"]
    for doc_id in found:
        assert _same(found[doc_id], extracted[doc_id])


def test_an_entry_whose_checksum_fails_is_discarded_before_any_is_read(cached) -> None:
    project, docs, _ = cached
    _, mentions_path, _ = _cache_paths(project, docs[0], state.fingerprint(project))
    pl.read_parquet(mentions_path).with_columns(pl.col("value") * 1000).write_parquet(mentions_path)
    found, result = _read_back(project, docs)
    assert sorted(found) == ["b", "c", "d"] and "checksum" in result.cache_discarded[0]


def test_damage_in_two_entries_that_keeps_the_total_moves_no_row(cached) -> None:
    """One entry given a row more and another a row fewer (checksums rewritten to match): the
    total is as written, but no document may take another's rows; both are discarded."""
    project, docs, extracted = cached
    prints = state.fingerprint(project)
    paths = {d.doc_id: _cache_paths(project, d, prints)[1] for d in docs}
    a, c = pl.read_parquet(paths["a"]), pl.read_parquet(paths["c"])
    assert a.height > 1 and c.height > 0
    # a's last row moved to the end of c's: read in one pass and cut by the counts written,
    # c would start with a row of a's
    for doc_id, frame in (("a", a.head(a.height - 1)), ("c", pl.concat([c, a.tail(1)]))):
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        _rewrite_mentions(project, next(d for d in docs if d.doc_id == doc_id), buffer.getvalue())
    found, result = _read_back(project, docs)
    assert sorted(found) == ["b", "d"] and _same(found["b"], extracted["b"])
    assert sorted(d.split(" ")[0] for d in result.cache_discarded) == ["a", "c"]


def test_a_worker_that_cannot_write_its_entries_leaves_them_to_the_build(
    cached, tmp_path: Path
) -> None:
    """A local worker whose cache folder cannot be written (here a file stands where the
    folder belongs) goes on and says its entries are not written: the build's process then
    writes them, or says in one line why it cannot. A relative cache folder is made absolute
    (a worker runs in the project's folder, not the caller's)."""
    from analysis.reference.tables import load_reference

    project, docs, _ = cached
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", "utf-8")
    prints = state.fingerprint(project)
    lex = load_lexicon(REPO / "data" / "lexicon")
    shared = engines.shared_inputs(
        docs, REPO / "data" / "layouts", lex, load_reference(REPO / "data" / "reference")
    )
    blocked = dataclasses.replace(shared, caching=engines.Caching(blocker, prints))
    done = engines.work_batch(docs, blocked)
    assert [d.doc_id for d in done] == [d.doc_id for d in docs]
    assert not any(d.cached for d in done)
    writing = dataclasses.replace(shared, caching=engines.Caching(tmp_path / "cache", prints))
    assert all(d.cached for d in engines.work_batch(docs, writing))
    assert engines.Caching(Path("relative"), prints).cache_dir.is_absolute()


def test_documents_are_loaded_in_runs_taken_out_as_they_go(cached) -> None:
    """The load takes the documents in their order, in runs of at least the rows asked (the
    last may hold fewer), each taken out of the build's dict as its run is given, so that
    no copy of every figure is ever made."""
    from analysis.build.pipeline import _runs

    _, docs, extracted = cached
    heights = {d: ex.mentions.height for d, ex in extracted.items()}
    assert sorted(heights.values())[0] == 0 and max(heights.values()) > 1
    left = dict(extracted)
    runs = []
    for run in _runs(left, 2):
        runs.append([doc_id for doc_id, _ in run])
        assert not any(doc_id in left for doc_id in runs[-1])  # out of the dict as given
    assert [d for run in runs for d in run] == [d.doc_id for d in docs] and not left
    assert all(sum(heights[d] for d in run) >= 2 for run in runs[:-1])
    assert list(_runs(dict(extracted), 10**9)) == [list(extracted.items())]


def test_figures_loaded_in_runs_of_one_document_make_the_same_tables(
    cached, tmp_path: Path
) -> None:
    """The load's runs (pipeline._runs) hold about LOAD_ROWS figures: loaded one document a
    run, the sections and figures tables are those of one run for all, row for row."""
    import duckdb

    from analysis.build import pipeline
    from analysis.checks.stage import check_documents
    from analysis.warehouse import load

    project, docs, extracted = cached
    for folder in ("methodology", "reference", "layouts"):  # no desk claims
        shutil.copytree(REPO / "data" / folder, project.data_dir / folder)
    register = check_documents(project, docs, extracted)
    tables = []
    for name, rows in (("one.duckdb", 10**9), ("many.duckdb", 1)):
        path = tmp_path / name
        con = load.create(path, sum(d.size for d in docs), 100)
        try:
            with load.transaction(con):
                before = pipeline.LOAD_ROWS
                pipeline.LOAD_ROWS = rows
                try:
                    pipeline._load_tables(con, docs, dict(extracted), register, project.root)
                finally:
                    pipeline.LOAD_ROWS = before
            con.execute("CHECKPOINT wh")
        finally:
            con.close()
        with duckdb.connect(str(path), read_only=True) as db:
            tables.append(
                [db.execute(f"SELECT * FROM {t}").fetchall() for t in ("sections", "mentions")]
            )
    assert tables[0] == tables[1] and len(tables[0][1]) > 3  # in the same order, too
