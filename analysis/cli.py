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
def build(root: Path | None) -> None:
    """Run the whole pipeline: seeds → figures → warehouse → validation → reports.

    Writes data/warehouse.duckdb and reports/index.html; the previous ones are replaced only
    when the new build has passed validation. Exit 0 on success, 1 when validation fails,
    2 on bad input.

    Example: analysis build --root .
    """
    from analysis.pipeline import build as run_build
    from analysis.project import Project
    from analysis.summary import print_summary, progress_printer

    project = Project.locate(root)
    with progress_printer() as progress:
        result = run_build(project, progress=progress)
    print_summary(result, project)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
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


def main() -> None:
    cli(prog_name="analysis")


if __name__ == "__main__":
    main()
