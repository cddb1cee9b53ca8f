"""Where a project's inputs and outputs live, relative to its root folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def locate(cls, root: str | Path | None = None) -> Project:
        """The project at ``root``, else ``$ANALYSIS_ROOT``, else the current folder."""
        chosen = root or os.environ.get("ANALYSIS_ROOT") or Path.cwd()
        return cls(Path(chosen).resolve())

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

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
    def expectations_dir(self) -> Path:
        return self.data_dir / "expectations"

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
