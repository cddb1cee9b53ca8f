"""Where a project's inputs and outputs live, relative to its root folder.

Every path the package reads or writes for a project comes from here, so ``--root`` (or
``$ANALYSIS_ROOT``) moves all of them. Language data that belongs to the extractor (the base
lexicon, the generic page layouts) ships inside the package (:data:`PACKAGE_DATA`); a project
extends it with its own files in ``data/lexicon/`` and ``data/layouts/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parent / "package_data"


@dataclass(frozen=True)
class Project:
    root: Path
    seeds: Path | None = None  # the articles' folder when not the project's seeds/ (--seeds)

    @classmethod
    def locate(cls, root: str | Path | None = None, seeds: str | Path | None = None) -> Project:
        """The project at ``root``, else ``$ANALYSIS_ROOT``, else the current folder; its
        articles in ``seeds`` when given."""
        chosen = root or os.environ.get("ANALYSIS_ROOT") or Path.cwd()
        return cls(Path(chosen).resolve(), Path(seeds).resolve() if seeds else None)

    @property
    def seeds_dir(self) -> Path:
        return self.seeds or self.root / "seeds"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def layouts_dir(self) -> Path:
        return self.data_dir / "layouts"

    @property
    def lexicon_dir(self) -> Path:
        return self.data_dir / "lexicon"

    @property
    def reference_dir(self) -> Path:
        return self.data_dir / "reference"

    @property
    def claims_dir(self) -> Path:
        return self.data_dir / "claims"

    @property
    def reviews_dir(self) -> Path:
        return self.data_dir / "reviews"

    @property
    def dismissals_dir(self) -> Path:
        return self.data_dir / "dismissals"

    @property
    def methodology_dir(self) -> Path:
        return self.data_dir / "methodology"

    @property
    def tolerance_path(self) -> Path:
        return self.methodology_dir / "tolerance.yaml"

    @property
    def publication_path(self) -> Path:
        return self.data_dir / "publication.yaml"

    @property
    def expectations_dir(self) -> Path:
        return self.data_dir / "expectations"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / ".cache"

    @property
    def render_cache_dir(self) -> Path:
        """Rendered pages, charts and chart figures (:mod:`analysis.files_cache`)."""
        return self.cache_dir / "render"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def previous_warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.previous.duckdb"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / ".build.lock"

    @property
    def state_path(self) -> Path:
        return self.data_dir / ".build-state.json"

    @property
    def journal_path(self) -> Path:
        return self.data_dir / ".publish.json"

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root when inside it, else as given."""
        return (
            path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)
        )
