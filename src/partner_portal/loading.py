"""Loading a project's program data for the site: checked first, loaded once per change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .check import CheckResult, check_project
from .model import Program
from .project import Project
from .report import render_text


class ProgramDataError(Exception):
    """The program data has errors; the message is the full `portal check` report."""


def load_program(root: Path) -> Program:
    """Load and check the project at `root`. Raises ProgramDataError when the data has
    errors, so a site is never built from data that fails `portal check`."""
    result = check_project(Project.open(root), tables=False)  # `portal check` runs the table checks
    if result.errors:
        raise ProgramDataError("program data has errors; run `portal check` for details:\n" + render_text(result))
    return program_of(result)


def program_of(result: CheckResult) -> Program:
    """The checked data of a `check_project` result as a Program."""
    return Program(
        documents={rel: doc.data for rel, doc in result.documents.items()},
        tables={rel: table.frame for rel, table in result.tables.items()},
        schema_store=result.schema_store,
        records={version: doc.data for version, doc in result.releases.items()},
    )


_LOADED: dict[Path, tuple[tuple[Any, ...], Program]] = {}


def load_program_cached(root: Path) -> Program:
    """`load_program`, reused while no file under program_data/ or schemas/ changes: the
    site's hooks and macros share one load per build, and `make serve` reloads on edits."""
    root = root.resolve()
    fingerprint = tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for folder in ("program_data", "schemas", "releases")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and (stat := path.stat())
    )
    cached = _LOADED.get(root)
    if cached and cached[0] == fingerprint:
        return cached[1]
    program = load_program(root)
    _LOADED[root] = (fingerprint, program)
    return program
