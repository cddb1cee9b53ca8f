"""The `analysis` command line: a thin skin over the package's functions.

Heavy libraries (polars, duckdb, Great Expectations, Altair) are imported inside the command
that needs them, so `analysis --help` and `analysis sql` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from analysis.errors import BadInput, ValidationFailed

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
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
        except ValidationFailed as err:
            click.echo(f"validation failed: {err}", err=True)
            sys.exit(err.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="iom-factcheck-analysis")
def cli() -> None:
    """Fact-check news articles: extract figures, check claims, build a DuckDB warehouse and
    offline HTML reports.

    Example: analysis build && analysis sql "select kind, count(*) from mentions group by 1"
    """


@cli.command()
@ROOT_OPTION
@click.option("--force", is_flag=True, help="Rebuild everything even if no input changed.")
def build(root: Path | None, force: bool) -> None:
    """Run the whole pipeline: seeds → figures → claims and checks → warehouse → validation →
    reports.

    Writes data/warehouse.duckdb and reports/index.html; the previous ones are replaced only
    when the new build has passed validation. When no input changed since the last build it
    says so and does nothing (--force rebuilds anyway). Exit 0 on success, 1 when validation
    fails, 2 on bad input.

    Example: analysis build --root .
    """
    from analysis import buildstate
    from analysis.project import Project
    from analysis.summary import print_lines

    project = Project.locate(root)
    if not project.seeds_dir.is_dir():
        raise BadInput(
            project.seeds_dir, "seeds folder not found; run from the project root or pass --root"
        )
    with buildstate.build_lock(project):
        recovered = buildstate.recover(project)
        if recovered:
            click.echo(f"note: {recovered}", err=True)
        prints = buildstate.fingerprint(project)
        state = None if force else buildstate.up_to_date(project, prints)
        if state is not None:
            print_lines(
                ["nothing changed since the last build", *state["summary"]], title="up to date"
            )
            return
        from analysis.pipeline import build as run_build
        from analysis.summary import progress_printer, summary_lines

        with progress_printer() as progress:
            result = run_build(project, progress=progress, prints=prints)
        lines = summary_lines(result, project)
        buildstate.write_state(project, prints, lines)
        print_lines(lines, title="build complete")


@cli.command()
@click.option(
    "--warehouse",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Warehouse file to validate (default: data/warehouse.duckdb).",
)
@ROOT_OPTION
def validate(warehouse: Path | None, root: Path | None) -> None:
    """Run the expectation suites of data/expectations/ on a warehouse file and list every
    failing expectation (table, column, expectation, offending values). Writes nothing.
    Exit 0 when all pass, 1 when any fails.

    Example: analysis validate --warehouse /tmp/copy.duckdb
    """
    from analysis.project import Project
    from analysis.validate import validate_warehouse

    project = Project.locate(root)
    path = warehouse or project.warehouse_path
    if not path.exists():
        raise BadInput(path, "no such warehouse; run `analysis build` first")
    outcome = validate_warehouse(path, project.expectations_dir)
    click.echo(f"{outcome.passed} expectation(s) passed, {outcome.failed} failed")
    for line in outcome.failures:
        click.echo(f"  FAILED {line}")
    if outcome.failed:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
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
    from analysis.extract import extract_file
    from analysis.output import print_frame
    from analysis.project import Project

    project = Project.locate(root)
    layouts = project.layouts_dir
    if not layouts.is_dir():
        layouts = Path(__file__).resolve().parent.parent / "data" / "layouts"
    frame = extract_file(file, layouts, layout)
    print_frame(frame, fmt, title=f"Figures in {file}")


@cli.command()
@click.argument("query", required=False)
@FORMAT_OPTION
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the result to a .parquet or .csv file instead of printing it.",
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

    Write statements are refused; so are file reads unless --allow-files is given.

    Example: analysis sql "select verdict, count(*) from claims group by 1" --format json
    """
    from analysis.output import print_rows
    from analysis.project import Project
    from analysis.warehouse import query as wq

    if query is None or query == "-":
        query = sys.stdin.read()
    project = Project.locate(root)
    with wq.connect(project.warehouse_path, allow_files=allow_files) as con:
        columns, rows = wq.run(con, query)
    if out is not None:
        wq.write_out(columns, rows, out)
        click.echo(f"wrote {len(rows)} row(s) to {out}", err=True)
        return
    print_rows(columns, rows, fmt)


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


@cli.command()
@click.argument("charts", nargs=-1)
@ROOT_OPTION
def report(charts: tuple[str, ...], root: Path | None) -> None:
    """Rebuild report charts (all, or those named) and the report page from the current
    warehouse, without rerunning the pipeline: the design card's "analysis scripts".

    Charts: funding, leadership, women, representation, membership.

    Example: analysis report funding
    """
    from analysis.charts import CHART_NAMES
    from analysis.project import Project
    from analysis.report.render import render_index

    unknown = [c for c in charts if c not in CHART_NAMES]
    if unknown:
        raise BadInput(None, f"unknown chart {unknown[0]!r}; charts: {', '.join(CHART_NAMES)}")
    project = Project.locate(root)
    if not project.warehouse_path.exists():
        raise BadInput(project.warehouse_path, "no warehouse yet; run `analysis build` first")
    project.reports_dir.mkdir(exist_ok=True)
    for path in render_index(project.warehouse_path, project.reports_dir, list(charts) or None):
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


VERDICT_STYLES = {
    "correct": "green",
    "approximately_correct": "cyan",
    "incorrect": "bold red",
    "inconsistent": "bold magenta",
    "unverifiable": "dim",
}


@cli.command()
@click.option(
    "--verdict",
    "verdicts",
    multiple=True,
    type=click.Choice(list(VERDICT_STYLES)),
    help="Only claims with this verdict (repeatable).",
)
@click.option("--speaker", help="Only claims by this speaker (e.g. article, 'reader comment 1').")
@click.option("--checks", "show_checks", is_flag=True, help="One row per check, not per claim.")
@FORMAT_OPTION
@ROOT_OPTION
def claims(
    verdicts: tuple[str, ...], speaker: str | None, show_checks: bool, fmt: str, root: Path | None
) -> None:
    """Print the claim ledger from the warehouse: verdict, stated vs computed, explanation.

    Example: analysis claims --verdict incorrect --speaker article
    """
    from analysis.project import Project
    from analysis.warehouse.query import connect

    project = Project.locate(root)
    where, params = [], []
    if verdicts:
        where.append(f"verdict IN ({', '.join('?' for _ in verdicts)})")
        params += list(verdicts)
    if speaker:
        where.append("speaker = ?")
        params.append(speaker)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    if show_checks:
        sql = (
            "SELECT check_id, speaker, verdict, stated_text, stated_value, computed_value, "
            f"explanation FROM claim_checks {clause} ORDER BY doc_id, check_id"
        )
    else:
        sql = (
            "SELECT c.claim_id, c.speaker, c.verdict, c.quote, c.explanation FROM claims c "
            f"{clause} ORDER BY c.doc_id, c.quote_start, c.claim_id"
        )
    with connect(project.warehouse_path) as con:
        cur = con.execute(sql, params)
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
    if fmt != "table":
        from analysis.output import print_rows

        print_rows(columns, rows, fmt)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Claims ({len(rows)})", show_lines=True)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        verdict_at = columns.index("verdict")
        style = VERDICT_STYLES.get(cells[verdict_at], "")
        cells[verdict_at] = f"[{style}]{cells[verdict_at]}[/]"
        table.add_row(*cells)
    Console().print(table)


def main() -> None:
    cli(prog_name="analysis")


if __name__ == "__main__":
    main()
