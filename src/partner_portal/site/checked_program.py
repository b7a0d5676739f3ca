"""Loading a project's program data for the site: checked first, loaded once per change.

`portal build` has checked the data already when it runs MkDocs, so it hands the checked
program over in a file named by PORTAL_CHECKED_PROGRAM, with a fingerprint of the files
it was read from; the site uses it only if the files are still exactly those.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from ..core.project import Project
from ..model.program import Program


class ProgramDataError(Exception):
    """The program data has errors; the message is the full `portal check` report."""


def load_program(root: Path) -> Program:
    """Load and check the project at `root`. Raises ProgramDataError when the data has
    errors, so a site is never built from data that fails `portal check`."""
    # Imported here: a site built by `portal build` is handed the program it has checked.
    from ..check.run import check_project
    from ..report.findings import render_text

    result = check_project(Project.open(root), tables=False)  # `portal check` runs the table checks
    if result.errors:
        raise ProgramDataError("program data has errors; run `portal check` for details:\n" + render_text(result))
    return result.program()


_LOADED: dict[Path, tuple[tuple[Any, ...], Program]] = {}

HANDOFF_ENV = "PORTAL_CHECKED_PROGRAM"
_WATCHED = ("program_data", "schemas", "releases")


def fingerprint(root: Path) -> tuple[Any, ...]:
    """Every file the program is read from, with its modification time and size."""
    root = root.resolve()
    return tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for folder in _WATCHED
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and (stat := path.stat())
    )


def write_handoff(path: Path, root: Path, files: tuple[Any, ...], program: Program) -> None:
    """Save a checked program for the site build; `files` is the `fingerprint` taken
    before the check read them."""
    with path.open("wb") as out:
        pickle.dump((str(root.resolve()), files, program), out, protocol=pickle.HIGHEST_PROTOCOL)


def _handed_over(root: Path, files: tuple[Any, ...]) -> Program | None:
    path = os.environ.get(HANDOFF_ENV)
    if not path:
        return None
    try:
        with open(path, "rb") as handoff:
            handed_root, handed_files, program = pickle.load(handoff)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        return None  # not usable: check and load as usual
    return program if handed_root == str(root) and handed_files == files else None


def load_program_cached(root: Path) -> Program:
    """`load_program`, reused while no file under program_data/, schemas/ or releases/
    changes: the site's hooks and macros share one load per build, `make serve` reloads on
    edits, and `portal build` hands over the program it has just checked."""
    root = root.resolve()
    files = fingerprint(root)
    cached = _LOADED.get(root)
    if cached and cached[0] == files:
        return cached[1]
    program = _handed_over(root, files) or load_program(root)
    _LOADED[root] = (files, program)
    return program
