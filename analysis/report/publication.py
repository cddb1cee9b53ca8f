"""Who publishes the fact-checks and where (``data/publication.yaml``, optional): the desk's
name and site, and the address the reports are published at. ClaimReview markup needs them;
without the file the desk is named generically and per-claim addresses are relative."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from analysis.errors import BadInput
from analysis.yamlfile import as_text, as_url, check_fields, line_of, load_with_lines

FIELDS = ("desk", "desk_url", "reports_url")
DEFAULT_DESK = "IOM fact-check data desk"


@dataclass(frozen=True)
class Publication:
    desk: str = DEFAULT_DESK
    desk_url: str | None = None
    reports_url: str | None = None  # where reports/ is published; claims/<id>.html below it

    def claim_url(self, claim_id: str, here: str = "") -> str:
        """The fact-check page's address: absolute under ``reports_url``, else relative to
        ``here`` (the folder of the file that cites it, relative to reports/, e.g. "exports/" or
        "claims/")."""
        page = f"claims/{claim_id}.html"
        if self.reports_url:
            return f"{self.reports_url.rstrip('/')}/{page}"
        if here == "claims/":
            return f"{claim_id}.html"
        return "../" * here.count("/") + page

    def as_info(self) -> dict[str, str]:
        """For the warehouse's build_info (the report is drawn from the warehouse only)."""
        return {
            f"publication_{k}": v
            for k, v in (
                ("desk", self.desk),
                ("desk_url", self.desk_url),
                ("reports_url", self.reports_url),
            )
            if v
        }


def load_publication(path: Path) -> Publication:
    if not path.exists():
        return Publication()
    data = load_with_lines(path)
    check_fields(path, data, FIELDS, "publication settings")
    # a field given is text, and not empty: `desk: []` or `desk: ''` fell back to the default
    # without a word
    values: dict[str, Any] = {
        k: as_text(path, data[k], k, line_of(data, k)) for k in FIELDS if k in data
    }
    for key, value in values.items():
        if not value.strip():
            raise BadInput(
                path, f"{key}: empty (leave the field out for the default)", line_of(data, key)
            )
    for key in ("desk_url", "reports_url"):
        if key in values:
            as_url(path, values[key], key, line_of(data, key))
    reports = values.get("reports_url")
    if reports is not None and urlsplit(reports)[3:] != ("", ""):
        # page addresses are the folder's address plus a path: a query or fragment would end
        # up in the middle of each (".../reports?x=1#top/claims/...")
        raise BadInput(
            path,
            f"reports_url {reports!r}: the reports folder's address, without ? or #",
            line_of(data, "reports_url"),
        )
    return Publication(**values)


def from_info(info: dict[str, str]) -> Publication:
    return Publication(
        desk=info.get("publication_desk", DEFAULT_DESK),
        desk_url=info.get("publication_desk_url"),
        reports_url=info.get("publication_reports_url"),
    )
