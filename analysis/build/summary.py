"""Progress and the closing summary of a build: rich on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from analysis.project import Project
from analysis.report.publication import load_publication

if TYPE_CHECKING:
    from analysis.build.pipeline import BuildResult


@contextmanager
def progress_printer() -> Iterator[Callable[[str, str, str], None]]:
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.markup import escape

        console = Console(stderr=True)
        status = console.status("starting")
        status.start()

        from analysis.output import visible

        def on_event(stage: str, event: str, detail: str) -> None:  # details never markup
            if event == "start":
                status.update(f"[bold]{stage}[/] …")
            elif event == "step":
                status.update(f"[bold]{stage}[/] {escape(visible(detail))}")
            else:
                console.print(f"[green]✓[/] {stage:<9} {escape(visible(detail))}")

        try:
            yield on_event
        finally:
            status.stop()
    else:

        def on_plain(stage: str, event: str, detail: str) -> None:
            if event != "start":  # a log: each stage's progress and its time, one line each
                print(f"stage {stage}: {detail}", file=sys.stderr, flush=True)

        yield on_plain


def summary_lines(result: BuildResult, project: Project) -> list[str]:
    kinds = ", ".join(f"{k} {n}" for k, n in result.mentions_by_kind.items()) or "none"
    sections = ", ".join(f"{k} {n}" for k, n in result.mentions_by_section.items()) or "none"
    lines = [
        f"documents     {result.documents}",
        f"sections      {result.sections}",
        f"figures       {result.mentions} ({kinds})",
        f"  by section  {sections}",
        f"claims        {result.claims} ({result.overrides} editor override(s))",
        "coverage      "
        + (
            f"{sum(n for s, n in result.coverage.items() if s != 'unchecked')} of "
            f"{sum(result.coverage.values())} figures accounted for ("
            + ", ".join(f"{n} {s}" for s, n in result.coverage.items())
            + ")"
            if result.coverage
            else "no figures"
        ),
        "checks        "
        + (", ".join(f"{v} {n}" for v, n in result.checks_by_verdict.items()) or "none"),
        f"expectations  {result.expectations_passed} passed, {result.expectations_failed} failed",
        f"changes       {result.changes or 'first build (nothing to compare with)'}",
    ]
    if result.engine != "local":
        lines.append(f"engine        {result.engine}")
    if result.stage_seconds:
        stages = result.stage_seconds
        lines.append("stage times   " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()) + " s")
        peaks = ", ".join(f"{k} {result.stage_peak_mib.get(k, 0):.0f}" for k in stages)
        worker = (
            f"; report workers {result.report_peak_mib:.0f} MiB" if result.report_peak_mib else ""
        ) + (
            f"; validator {result.validator_peak_mib:.0f} MiB" if result.validator_peak_mib else ""
        )
        lines.append(f"peak memory   {peaks} MiB (this process, by each stage's end){worker}")
    for seed, notes in result.unreadable.items():
        lines.append(
            f"not read      {len(notes)} number(s) in {seed} ({notes[0]}"
            + (", …" if len(notes) > 1 else "")
            + "); see `analysis extract`"
        )
    lines += [f"validation    {note}" for note in result.validation_notes]
    if result.validated_documents is not None:
        lines.append(
            f"validation    the by-document suites checked the rows of the "
            f"{result.validated_documents} document(s) that changed; the others' rows passed "
            "them in the last warehouse"
        )
    for discarded in result.cache_discarded:
        lines.append(f"cache         discarded a corrupt extraction of {discarded}; re-extracted")
    lines += [
        f"cache         discarded corrupt drafted claims of {d}; drafted again"
        for d in result.drafts_discarded
    ]
    lines += [
        f"cache         discarded corrupt checks of {d}; checked again"
        for d in result.checks_discarded
    ]
    if result.cached:
        lines.append(f"reused        extraction of {len(result.cached)} unchanged document(s)")
    if result.drafts_cached:
        lines.append(
            f"reused        drafted claims of {len(result.drafts_cached)} unchanged document(s)"
        )
    if result.checks_cached:
        lines.append(f"reused        checks of {len(result.checks_cached)} unchanged document(s)")
    if result.kept:
        lines.append(
            f"reused        warehouse rows of {len(result.kept)} unchanged document(s), copied "
            "from the last warehouse"
        )
    if result.documents_forgotten:
        lines.append(
            f"cache         removed the cached work of {len(result.documents_forgotten)} "
            "document(s) no longer in the seeds"
        )
    if result.renderings_removed:
        lines.append(
            f"cache         removed {result.renderings_removed} rendering(s) this build did not "
            "use from data/.cache/render/"
        )
    if not load_publication(project.publication_path).reports_url:
        lines.append(
            "publishing    ClaimReview addresses are relative: set reports_url in "
            "data/publication.yaml (docs/outputs.md)"
        )
    lines += [f"wrote         {p.relative_to(project.root)}" for p in result.written]
    return lines


def print_lines(lines: list[str], title: str) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.panel import Panel
        from rich.text import Text

        from analysis.output import visible

        # lines name files and quote texts: shown as written, never read as markup, and
        # without the control characters a file name can hold (escape sequences, links)
        text = Text("\n".join(visible(line) for line in lines))
        Console().print(Panel(text, title=title, expand=False))
    else:
        print(title)
        for line in lines:
            print(line)
