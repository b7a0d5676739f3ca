"""Shared test helpers: a scratch copy of the sample project, the sample built once for the
run, and running `portal`."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from partner_portal.cli.main import main
from partner_portal.core.memo import keep_answers

ROOT = Path(__file__).resolve().parent.parent

# The test session is a long-lived process: it keeps what it parsed and validated, as the
# live preview does (`portal` run as a command keeps nothing).
keep_answers()


@dataclass
class Run:
    code: int
    out: str
    err: str


def copy_project(target: Path) -> Path:
    """A copy of the sample project (program data, schemas, content, site config) in `target`."""
    for name in ("program_data", "schemas", "content", "checks", "releases"):
        shutil.copytree(ROOT / name, target / name)
    for name in ("mkdocs.yml", "macros.py"):
        shutil.copy(ROOT / name, target / name)
    (target / "src").symlink_to(ROOT / "src")  # the site's hooks module
    return target


def build(project: Path, engine: str = "mkdocs", site: str = "site",
          **environ: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` (or ProperDocs') of `project` into `project/site`."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **environ)
    return subprocess.run([sys.executable, "-m", engine, "build", "--strict", "--quiet", "--config-file", "mkdocs.yml",
                           "--site-dir", str(project / site)], cwd=project, capture_output=True, text=True, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the sample project, for a test to change."""
    return copy_project(tmp_path)


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder `make` fills once for the whole run and every worker shares (`make test`
    runs on every core): tests read it and never change it. The first worker to need it
    makes it while the others wait on a lock."""
    run_folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_folder = run_folder.parent  # the folder the workers' own folders are in
    folder, done = run_folder / name, run_folder / f"{name}.made"
    with open(run_folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed to make it left
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample that `portal build` has checked and built, once for the whole run:
    its `site/` (with the program guide drawn) and the `.portal-cache/` the build leaves. The
    build runs in this process, so its table suites run in the session's tables worker."""

    def make(folder: Path) -> None:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(["build", "--project", str(copy_project(folder))])
        assert code == 0, out.getvalue()
        assert (folder / ".portal-cache").is_dir(), out.getvalue()

    return made_once(tmp_path_factory, "built-sample", make)


@pytest.fixture(scope="session")
def sample_site(built_sample: Path) -> Path:
    """The sample project's site, as `portal build` builds it (once for the whole run)."""
    return built_sample / "site"


@pytest.fixture(scope="session")
def sample_cache(built_sample: Path) -> Path:
    """The `.portal-cache/` a first `portal build` of the sample leaves, for a test that runs a
    command on a copy to start from: the new process then reads the table suites' findings
    and the drawn guide back, as a program team's second run does, instead of starting
    great-expectations or drawing the guide (that the cache changes no finding is
    tests/test_cache.py's, that it changes no guide tests/test_guide.py's)."""
    return built_sample / ".portal-cache"


def with_cache(project: Path, cache: Path) -> Path:
    """`project` with a copy of `cache` (sample_cache) as its `.portal-cache/`."""
    shutil.copytree(cache, project / ".portal-cache")
    return project


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


def check_json(project: Path) -> tuple[int, dict[str, Any]]:
    """`portal check --format json` on `project`, in this process: its exit code and report.
    The table suites run in this process's tables worker, started once for the session."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--project", str(project), "--format", "json"])
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, json.loads(out.getvalue())


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every recorded case (tests/cases.py), checked once for the session."""
    from .cases import every_case

    return dict(every_case(tmp_path_factory.mktemp("cases")))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """In parallel (`make test` runs on every core), the tests of the recorded cases run on
    one worker, which checks the cases once; every other test goes wherever a worker is free."""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "cases" if nodeid.startswith(CASE_TESTS) else nodeid

    return Scheduling(config, log)


CASE_TESTS = ("tests/test_damage.py::", "tests/test_expected_findings.py::")
# The longest tests start first, so that no worker is left with one of them at the end.
LONGEST_FIRST = (*CASE_TESTS, "tests/browser/", "tests/test_properties.py::")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((i for i, start in enumerate(LONGEST_FIRST) if item.nodeid.startswith(start)), len(LONGEST_FIRST))

    items.sort(key=rank)
