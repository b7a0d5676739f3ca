"""The program as the site sees it: checked data, loaded once per build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .check import check_project
from .project import Project
from .report import render_text


class ProgramDataError(Exception):
    """The program data has errors; the message is the full `portal check` report."""


@dataclass(frozen=True)
class Program:
    """Validated program data: YAML documents and typed CSV tables, keyed by their
    path relative to program_data/."""

    documents: Mapping[str, Any]
    tables: Mapping[str, pd.DataFrame]

    @property
    def info(self) -> Mapping[str, Any]:
        return self.documents["program.yaml"]


def load_program(root: Path) -> Program:
    """Load and check the project at `root`. Raises ProgramDataError when the data has
    errors, so a site is never built from data that fails `portal check`."""
    result = check_project(Project.open(root))
    if result.errors:
        raise ProgramDataError("program data has errors; run `portal check` for details:\n" + render_text(result))
    return Program(
        documents={rel: doc.data for rel, doc in result.documents.items()},
        tables={rel: table.frame for rel, table in result.tables.items()},
    )
