"""The `analysis` command line: a thin skin over the package's functions.

Heavy libraries (polars, duckdb, Great Expectations, Altair) are imported inside the command
that needs them, so `analysis --help` and `analysis sql` start fast.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from analysis.errors import BadInput, ValidationFailed, os_error_line
from analysis.interrupts import Interrupted, catch, interrupted_by
from analysis.vocab import CLAIM_ORIGINS, EDITOR_VERDICTS, ENGINES, HAND, MACHINE_DRAFTED, VERDICT


def _remember_root(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Any:
    """Keep the project folder where the error handler finds it (``ctx.meta`` is shared by
    nested contexts): an operating-system error that names no file is reported against it."""
    ctx.meta["analysis.root"] = value
    return value


ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    callback=_remember_root,
    help="Project folder holding seeds/, data/ and reports/ (default: $ANALYSIS_ROOT or the "
    "current folder).",
)

FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format: an aligned table for people, CSV or JSON for scripts.",
)


class _Group(click.Group):
    """Turns the package's errors into one line on stderr and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BadInput as err:
            click.echo(f"error: {err.one_line()}", err=True)
            sys.exit(err.exit_code)
        except Interrupted as err:  # Ctrl-C or SIGTERM (interrupts.catch, called by main)
            click.echo(f"error: {err.one_line()}", err=True)
            sys.exit(err.exit_code)
        except ValidationFailed as err:
            click.echo(f"validation failed: {err}", err=True)
            sys.exit(err.exit_code)
        except OSError as err:
            if err.errno == errno.EPIPE:  # the reader left (`| head -1`): stop quietly
                _silence_stdout()
                sys.exit(BROKEN_PIPE_EXIT)
            # a read-only folder, a full disk, a file where a folder belongs: one line naming
            # the file, never a traceback or an empty message (docs/hostile-input.md, 5)
            click.echo(f"error: {os_error_line(err, _project_root(ctx))}", err=True)
            sys.exit(BadInput.exit_code)
        except Exception as err:
            stopped = interrupted_by(err)
            if stopped is not None:
                click.echo(f"error: {stopped.one_line()}", err=True)
                sys.exit(stopped.exit_code)
            line = _machine_failure(err)
            if line is None:
                raise
            click.echo(f"error: {line}", err=True)
            sys.exit(BadInput.exit_code)


def _project_root(ctx: click.Context) -> str:
    """The project folder the command worked on, for an error that names no file (a write to
    an open file on a full disk): "the project at ROOT" is still a place to look."""
    from analysis.project import Project

    return f"the project at {Project.locate(ctx.meta.get('analysis.root')).root}"


# What DuckDB says when the file system, not the query, failed (any of its error classes).
_FILE_TROUBLE = re.compile(
    r"Could not (?:write|open|read|create|truncate|sync|fsync|move|remove)|No space left|"
    r"Read-only file system|Permission denied|Disk quota exceeded|Input/output error"
)


def _machine_failure(err: Exception) -> str | None:
    """One line for a failure of the machine rather than of the code: a database file that
    cannot be written (DuckDB's IOException, e.g. a full disk), or the report-drawing process's
    own last line. Anything else is a bug and keeps its traceback."""
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(err, duckdb.Error):
        text = " ".join(str(err).split())
        if isinstance(err, duckdb.IOException) or _FILE_TROUBLE.search(text):
            return text or type(err).__name__
    from analysis.workers import FAILED

    text = str(err).strip().rstrip(":").strip()
    for failed in FAILED.values():  # a helper process's own last line
        if isinstance(err, RuntimeError) and text.startswith(failed):
            if text == failed:
                text += " and left no message (is the disk full or the folder read-only?)"
            return text
    return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="iom-factcheck-analysis")
def cli() -> None:
    """Fact-check news articles: extract figures, check claims, build a DuckDB warehouse and
    offline HTML reports.

    Example: analysis build && analysis sql "select kind, count(*) from mentions group by 1"
    """


VALIDATION_OPTION = click.option(
    "--validation",
    type=click.Choice(["full", "sql"]),
    default="full",
    show_default=True,
    help="full: every expectation in DuckDB on every row, and the hand-written suites in Great "
    "Expectations on bounded batches; sql: DuckDB only (faster, no Great Expectations).",
)


@cli.command()
@ROOT_OPTION
@click.option("--force", is_flag=True, help="Rebuild everything even if no input changed.")
@click.option(
    "--seeds",
    "seeds",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the articles to build (default: the project's seeds/): .txt files with "
    "optional .meta.yaml, and .jsonl or .parquet archives with id, title, url, outlet, "
    "published, text.",
)
@VALIDATION_OPTION
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes the build may use (default: 2, or 1 on a one-core machine). With 1 the "
    "report is drawn after validation instead of beside it; the outputs are the same.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="Where each article's extraction and claim drafting run: in this process, or on Ray "
    "(a local Ray of --jobs CPUs, or the cluster at --address; needs the [ray] extra). The "
    "tables are the same either way.",
)
@click.option(
    "--address",
    default=None,
    metavar="ADDR",
    help="With --engine ray: the Ray cluster to use (e.g. ray://head:10001 or auto).",
)
def build(
    root: Path | None,
    force: bool,
    seeds: Path | None,
    validation: str,
    jobs: int | None,
    engine: str,
    address: str | None,
) -> None:
    """Run the whole pipeline: seeds → figures → claims and checks → warehouse → validation →
    reports.

    Writes data/warehouse.duckdb and reports/index.html; the previous ones are replaced only
    when the new build has passed validation. When no input changed since the last build it
    says so and does nothing (--force rebuilds anyway). Exit 0 on success, 1 when validation
    fails, 2 on bad input.

    Example: analysis build --root .

    Example: analysis build --engine ray --address auto
    """
    from analysis.build import publish, state

    if address is not None and engine != "ray":
        raise BadInput(None, "--address is for --engine ray; add --engine ray or drop it")
    from analysis.build.summary import print_lines
    from analysis.project import Project

    project = Project.locate(root, seeds)
    if not project.seeds_dir.is_dir():
        raise BadInput(
            project.seeds_dir,
            "seeds folder not found; run from the project root or pass --root (or --seeds)",
        )
    with publish.build_lock(project):
        recovered = publish.recover(project)
        if recovered:
            click.echo(f"note: {recovered}", err=True)
        inputs: dict[str, Any] = {}  # the seed files' digests, recorded for the next build
        prints = state.fingerprint(project, inputs)
        last = None if force else state.up_to_date(project, prints, validation)
        if last is not None:
            print_lines(
                ["nothing changed since the last build", *last["summary"]], title="up to date"
            )
            return
        from analysis.build import helpers

        jobs = jobs or min(2, len(os.sched_getaffinity(0)))  # the cores it may use
        # Great Expectations' import (the longest part of a small build), and the report
        # workers' of Altair, DuckDB and polars, start before the build's own modules are
        # imported
        with (
            helpers.validator_aside(project, validation, jobs) as validator,
            helpers.drawing_aside(project, jobs, state.seed_bytes(inputs)) as drawers,
        ):
            from analysis.build.pipeline import build as run_build
            from analysis.build.summary import progress_printer, summary_lines

            with progress_printer() as progress:
                result = run_build(
                    project,
                    progress=progress,
                    prints=prints,
                    validation=validation,
                    use_cache=not force,
                    jobs=jobs,
                    engine=engine,
                    address=address,
                    validator=validator,
                    drawers=drawers,
                )
        lines = summary_lines(result, project)
        state.write_state(project, prints, lines, validation, inputs, result.loaded, result.suites)
        print_lines(lines, title="build complete")


@cli.command()
@click.option(
    "--warehouse",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Warehouse file to validate (default: data/warehouse.duckdb).",
)
@VALIDATION_OPTION
@ROOT_OPTION
def validate(warehouse: Path | None, validation: str, root: Path | None) -> None:
    """Run the expectation suites of data/expectations/ on a warehouse file and list every
    failing expectation (table, column, expectation, offending values). Writes nothing.
    Exit 0 when all pass, 1 when any fails.

    Example: analysis validate --warehouse /tmp/copy.duckdb
    """
    from analysis.project import Project
    from analysis.validation.run import validate_warehouse

    project = Project.locate(root)
    path = warehouse or project.warehouse_path
    if not path.exists():
        raise BadInput(path, "no such warehouse; run `analysis build` first")
    outcome = validate_warehouse(path, project.expectations_dir, validation)
    click.echo(f"{outcome.passed} expectation(s) passed, {outcome.failed} failed")
    for line in outcome.failures:
        click.echo(f"  FAILED {line}")
    if outcome.failed:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@FORMAT_OPTION
@click.option(
    "--layout",
    default=None,
    help="Page layout (a file in data/layouts/) used to find headline, comments and furniture "
    "(default: the seed's own, else the generic one).",
)
@ROOT_OPTION
def extract(file: Path, fmt: str, layout: str | None, root: Path | None) -> None:
    """Print every figure in FILE (any UTF-8 text) with its span, value, unit, section and
    speaker.

    Example: analysis extract seeds/passblue-2023-iom-director-general-race.txt --format json
    """
    from analysis.figures.digits import unreadable_numbers
    from analysis.figures.extract import RECORD_FIELDS, extract_any
    from analysis.output import print_frame
    from analysis.project import Project

    project = Project.locate(root)
    _, text, extracted = extract_any(file, project.layouts_dir, project.lexicon_dir, layout)
    print_frame(extracted.mentions.select(RECORD_FIELDS), fmt, title=f"Figures in {file}")
    unreadable = unreadable_numbers(text)
    for one in unreadable[:NOTES_SHOWN]:
        click.echo(f"note: {file}: {one.note(text)}", err=True)
    if len(unreadable) > NOTES_SHOWN:
        click.echo(f"note: {file}: … and {len(unreadable) - NOTES_SHOWN:,} more", err=True)


NOTES_SHOWN = 20  # numbers not read, listed one per line by `analysis extract`


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge the claims as of this date (default: the seed's date; none for other files).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="yaml: a claims file to review and move into data/claims/; json: one record per check.",
)
@click.option("--layout", default=None, help="Page layout (as for `analysis extract`).")
@ROOT_OPTION
def draft(
    file: Path, as_of: dt.datetime | None, fmt: str, layout: str | None, root: Path | None
) -> None:
    """Draft the claims FILE (any UTF-8 text) states and a reader can check: the relations
    between its figures (shares, changes, sums, multiples, spans, a quantity stated twice),
    each checked, with a verdict and a one-sentence explanation. Writes nothing.

    Example: analysis draft seeds/passblue-2023-iom-director-general-race.txt --format json
    """
    from analysis.build.draft import claims_yaml, draft_file, records
    from analysis.project import Project

    project = Project.locate(root)
    drafted = draft_file(project, file, as_of.date() if as_of else None, layout)
    if fmt == "json":
        click.echo(json.dumps(records(drafted), ensure_ascii=False, indent=1))
    else:
        click.echo(claims_yaml(drafted), nl=False)


@cli.command()
@click.argument("query", required=False)
@FORMAT_OPTION
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the result to a .parquet or .csv file instead of printing it (never inside the "
    "project's data/, seeds/, reports/ or code folders).",
)
@click.option(
    "--allow-files",
    is_flag=True,
    help="Let the query read local files (read_csv, read_parquet); off by default.",
)
@ROOT_OPTION
def sql(
    query: str | None, fmt: str, out: Path | None, allow_files: bool, root: Path | None
) -> None:
    """Run a read-only SQL QUERY on the warehouse (or read it from standard input).

    Write statements are refused; so are file reads unless --allow-files is given (and then
    files are only read). CSV, JSON and --out stream every row; the table shows the first 1,000.

    Example: analysis sql "select verdict, count(*) from claims group by 1" --format json
    """
    from analysis.project import Project
    from analysis.warehouse import query as wq

    if query is None or query == "-":
        query = sys.stdin.read()
    bad = next((i for i, ch in enumerate(query) if "\udc80" <= ch <= "\udcff"), None)
    if bad is not None:  # a byte that is not UTF-8, kept by Python as a lone surrogate
        raise BadInput(
            None,
            f"the query is not UTF-8: byte 0x{ord(query[bad]) - 0xDC00:02x} at character "
            f"{bad + 1}; save or type it as UTF-8",
        )
    project = Project.locate(root)
    target = wq.check_out(out, project) if out is not None else None
    with wq.connect(project.warehouse_path, allow_files=allow_files) as con:
        result = wq.run(con, query)
        if target is not None:
            n = wq.write_out(result, target)
            click.echo(f"wrote {n} row(s) to {out}", err=True)
            return
        note = wq.print_result(result, fmt)  # a closed pipe (`| head`) ends in _Group.invoke
    if note:
        click.echo(note, err=True)


@cli.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--doc", "docs", multiple=True, help="This document (repeatable).")
@click.option("--outlet", "outlets", multiple=True, help="Articles of this outlet (repeatable).")
@click.option("--since", help="Articles published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Articles published on or before this date (YYYY-MM-DD).")
@ROOT_OPTION
def export(
    out: Path,
    docs: tuple[str, ...],
    outlets: tuple[str, ...],
    since: str | None,
    until: str | None,
    root: Path | None,
) -> None:
    """Write the workbook (OUT ending in .xlsx) or the ledger (.csv) of the articles chosen,
    from the warehouse: the build's exports for those articles alone. Each option given must
    hold; with none, every article. OUT is never inside the project's own folders.

    Example: analysis export ~/march.xlsx --since 2023-03-01 --until 2023-03-31
    """
    from analysis.project import Project
    from analysis.report.exports import export as write_export
    from analysis.report.selection import Choice, parse_date
    from analysis.warehouse import query as wq

    choice = Choice(
        docs,
        outlets,
        parse_date(since, "--since") if since is not None else None,
        parse_date(until, "--until") if until is not None else None,
    )
    project = Project.locate(root)
    target = wq.check_out(out, project, (".xlsx", ".csv"), "OUT")
    articles, claims = write_export(project.warehouse_path, target, choice)
    click.echo(f"wrote {out}: {articles:,} article(s), {claims:,} claim(s)", err=True)


@cli.command()
@click.argument("name", required=False)
@FORMAT_OPTION
@ROOT_OPTION
def tables(name: str | None, fmt: str, root: Path | None) -> None:
    """List the warehouse's tables and views with their comments and row counts, or the
    columns of table NAME.

    Example: analysis tables mentions
    """
    from analysis.output import print_rows
    from analysis.project import Project
    from analysis.warehouse import query as wq

    project = Project.locate(root)
    with wq.connect(project.warehouse_path) as con:
        columns, rows = wq.describe_table(con, name) if name else wq.list_tables(con)
    print_rows(columns, rows, fmt, title=name or "warehouse")


class _ListingCommand(click.Command):
    """A command whose help ends with a section listing a registry (charts, recipes), read from
    the registry itself so that the help never goes out of date."""

    listing: tuple[str, str] = ("", "")

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        import importlib

        title, where = self.listing
        module, attr = where.rsplit(".", 1)
        entries = getattr(importlib.import_module(module), attr)().values()
        with formatter.section(title):
            formatter.write_dl(
                [
                    (e.name, getattr(e, "heading", None) or getattr(e, "summary", ""))
                    for e in entries
                ]
            )


class _ChartsCommand(_ListingCommand):
    listing = ("Charts", "analysis.charts.registry")


class _RecipesCommand(_ListingCommand):
    listing = ("Check recipes", "analysis.checks.recipes.registry")


@cli.command(cls=_ChartsCommand)
@click.argument("charts", nargs=-1)
@ROOT_OPTION
def report(charts: tuple[str, ...], root: Path | None) -> None:
    """Rebuild report charts (all, or those named) and the report pages from the current
    warehouse, without rerunning the pipeline: the design card's "analysis scripts". Also
    `python -m analysis report CHART`.

    Example: analysis report funding
    """
    from analysis.charts import chart_names
    from analysis.project import Project
    from analysis.report.write import render_all

    unknown = [c for c in charts if c not in chart_names()]
    if unknown:
        raise BadInput(None, f"unknown chart {unknown[0]!r}; charts: {', '.join(chart_names())}")
    project = Project.locate(root)
    if not project.warehouse_path.exists():
        raise BadInput(project.warehouse_path, "no warehouse yet; run `analysis build` first")
    project.reports_dir.mkdir(exist_ok=True)
    written = render_all(
        project.warehouse_path,
        project.reports_dir,
        list(charts) or None,
        project.render_cache_dir,
    )
    for path in written:
        click.echo(f"wrote {path.relative_to(project.root)}")


@cli.command("diff")
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Warehouse to compare with (default: data/warehouse.previous.duckdb, the one "
    "the last build replaced).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@ROOT_OPTION
def diff_command(previous: Path | None, fmt: str, root: Path | None) -> None:
    """List what changed against the previous warehouse: verdict flips, claims and figures
    added or lost, reference rows changed.

    Example: analysis diff
    """
    import dataclasses
    import json

    from analysis.project import Project
    from analysis.warehouse.diff import diff

    project = Project.locate(root)
    changes = diff(project.warehouse_path, previous or project.previous_warehouse_path)
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(changes), indent=1))
    else:
        for line in changes.lines():
            click.echo(line)


@cli.command(cls=_RecipesCommand)
@click.option(
    "--verdict",
    "verdicts",
    multiple=True,
    type=click.Choice(list(EDITOR_VERDICTS)),
    help="Only claims whose final verdict (the editor's where given) is this (repeatable).",
)
@click.option("--speaker", help="Only claims by this speaker (e.g. article, 'reader comment 1').")
@click.option(
    "--origin",
    type=click.Choice(["hand", "machine", *CLAIM_ORIGINS[1:]]),
    help="Only claims written by hand, or drafted by the machine (any way, or one of them).",
)
@click.option("--checks", "show_checks", is_flag=True, help="One row per check, not per claim.")
@FORMAT_OPTION
@ROOT_OPTION
def claims(
    verdicts: tuple[str, ...],
    speaker: str | None,
    origin: str | None,
    show_checks: bool,
    fmt: str,
    root: Path | None,
) -> None:
    """Print the claim ledger from the warehouse: the final verdict (the editor's where given,
    the machine's beside it), stated against computed, the explanation, and whether a
    journalist wrote the claim or the machine drafted it.

    Example: analysis claims --verdict incorrect --speaker article --origin machine
    """
    from analysis.project import Project
    from analysis.warehouse.query import connect

    project = Project.locate(root)
    where, params = [], []
    if verdicts:
        where.append(f"v.final_verdict IN ({', '.join('?' for _ in verdicts)})")
        params += list(verdicts)
    if speaker:
        where.append("c.speaker = ?")
        params.append(speaker)
    if origin == "machine":
        where.append("c.origin <> ?")
        params.append(HAND)
    elif origin:
        where.append("c.origin = ?")
        params.append(origin)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    drafted = (
        f"CASE WHEN c.origin = '{HAND}' THEN '{HAND}' "
        f"ELSE '{MACHINE_DRAFTED} (' || c.origin || ')' END AS origin"
    )
    machine = "CASE WHEN v.editor_verdict IS NOT NULL THEN v.machine_verdict END AS machine_verdict"
    if show_checks:
        sql = (
            "SELECT k.check_id, c.speaker, v.final_verdict AS verdict, k.verdict AS check_verdict, "
            "k.stated_text AS stated, k.computed_text AS computed, k.explanation, "
            f"{drafted} FROM claim_checks k JOIN claims c USING (claim_id) "
            f"JOIN claim_verdicts v USING (claim_id) {clause} ORDER BY k.doc_id, k.check_id"
        )
    else:
        sql = (
            "WITH deciding AS (SELECT k.*, row_number() OVER (PARTITION BY k.claim_id "
            "ORDER BY (k.verdict = c.verdict) DESC, k.check_id) AS nth "
            "FROM claim_checks k JOIN claims c USING (claim_id)) "
            f"SELECT c.claim_id, c.speaker, v.final_verdict AS verdict, {machine}, "
            "k.stated_text AS stated, k.computed_text AS computed, c.quote, "
            f"coalesce(v.override_reason, c.explanation) AS explanation, {drafted} "
            "FROM claims c JOIN claim_verdicts v USING (claim_id) "
            "LEFT JOIN deciding k ON k.claim_id = c.claim_id AND k.nth = 1 "
            f"{clause} ORDER BY c.doc_id, c.quote_start, c.claim_id"
        )
    with connect(project.warehouse_path) as con:
        cur = con.execute(sql, params)
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
        if speaker:
            known = [
                s
                for (s,) in con.execute("SELECT DISTINCT speaker FROM claims ORDER BY 1").fetchall()
            ]
    if speaker and speaker not in known:  # "Article": no claim, and no word why
        click.echo(
            f"note: no claim has the speaker {speaker!r}; the speakers are "
            + ", ".join(repr(k) for k in known),
            err=True,
        )
    if fmt != "table":
        from analysis.output import print_rows

        print_rows(columns, rows, fmt)
        return

    from analysis.output import colour_wanted, table_lines, terminal_width

    verdict_at = columns.index("verdict")

    def colour(column: int, text: str) -> str | None:  # a verdict in its colour
        verdict = VERDICT.get(text) if column == verdict_at else None
        return verdict.colour if verdict else None

    lines = table_lines(
        columns,
        rows,
        f"Claims ({len(rows)})",
        terminal_width(),
        ruled=True,
        colour=colour if colour_wanted() else None,
    )
    click.echo("\n".join(lines))


def main() -> None:
    catch()  # SIGINT and SIGTERM unwind the command, its clean-up run (docs/hostile-input.md)
    try:
        cli(prog_name="analysis")
    finally:
        _flush_quietly()


BROKEN_PIPE_EXIT = 141  # what a shell reports for a command ended by SIGPIPE (128 + 13)


def _flush_quietly() -> None:
    """A reader that stops early (`analysis claims | head -1`) ends the command quietly (exit
    141, as on SIGPIPE), whether the pipe closes while the command writes or when what is left
    in the output buffer is flushed after it returned: no traceback, no "Exception ignored"."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(BROKEN_PIPE_EXIT)


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that no later flush reaches the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (tests in this process)
        pass


if __name__ == "__main__":
    main()
