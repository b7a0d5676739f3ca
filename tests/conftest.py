"""Shared test helpers: a scratch copy of the sample project, and running `portal`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from partner_portal.cli import main

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session", autouse=True)
def _great_expectations_loaded() -> None:
    """Load great_expectations once for the session. `portal check` then runs its suites in
    this process, as any process that has it loaded does, instead of starting a helper
    (which imports it afresh) per check; the helper has tests of its own."""
    from partner_portal.table_checks import import_great_expectations

    import_great_expectations()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the sample project (program data, schemas, content, site config)."""
    for name in ("program_data", "schemas", "content", "checks", "releases"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", "macros.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "src").symlink_to(ROOT / "src")  # the site's hooks module
    return tmp_path


@pytest.fixture
def portal(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the `portal` command in-process and capture what it prints."""

    def run(*args: str) -> Run:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old` in a file (the test fails if it is absent)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def position_of(path: Path, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of `needle` in a file."""
    text = path.read_text(encoding="utf-8")
    offset = -1
    for _ in range(nth):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
