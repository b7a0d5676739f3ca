"""The pre-commit hooks on a clean clone, set up as `.pre-commit-config.yaml` and the README
say (`pre-commit install`, nothing else): they pass on the sample, and fail on bad data.

On a fresh clone the hooks' `make` creates `.venv/` and installs the project first: the test
shows that `make` would (`make -n`), then lends the clone the `.venv/` that `make test` has
just installed rather than spending a minute installing the same packages again. `.ci/run`
shows `make` creating one on a fresh clone, with `make build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def clean_clone(target: Path) -> Path:
    """The project as a fresh clone has it: the files git tracks or would track, in a new
    repository, with no .venv/ and no build."""
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT).split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for args in (("init", "-q"), ("add", "-A"), ("-c", "user.name=t", "-c", "user.email=t@example.com", "commit",
                                                   "-qm", "clone")):
        git(*args, cwd=target)
    return target


def run_hooks(clone: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PRE_COMMIT_HOME"] = str(clone.parent / "pre-commit-home")
    return subprocess.run([str(PRE_COMMIT), "run", "--all-files"], cwd=clone, capture_output=True, text=True, env=env)


def lend_venv(clone: Path) -> None:
    """The project's own `.venv/` in the clone, counted as installed: the clone's
    pyproject.toml is made older than the venv's install stamp, so `make` never installs
    into the venv from the clone."""
    (clone / ".venv").symlink_to(ROOT / ".venv")
    os.utime(clone / "pyproject.toml", (0, 0))


def test_the_hooks_pass_on_a_clean_clone_and_fail_on_bad_data(tmp_path):
    clone = clean_clone(tmp_path / "clone")
    assert not (clone / ".venv").exists()
    for target in ("check", "lint"):  # what the hooks run: on a fresh clone, set up first
        planned = subprocess.run(["make", "-n", target], cwd=clone, capture_output=True, text=True, check=True).stdout
        assert "-m venv .venv" in planned and "--editable '.[test]'" in planned, planned
    subprocess.run([str(PRE_COMMIT), "install"], cwd=clone, capture_output=True, text=True, check=True)
    assert (clone / ".git/hooks/pre-commit").is_file()
    lend_venv(clone)
    installed = (ROOT / ".venv/.installed-stamp").stat().st_mtime_ns
    done = run_hooks(clone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "portal check" in done.stdout and "Passed" in done.stdout and "Failed" not in done.stdout
    assert (ROOT / ".venv/.installed-stamp").stat().st_mtime_ns == installed  # nothing installed from the clone

    tiers = clone / "program_data/tiers.yaml"
    tiers.write_text(tiers.read_text(encoding="utf-8").replace("    rank: 2\n", "    rank: two\n", 1), encoding="utf-8")
    done = run_hooks(clone)
    assert done.returncode != 0
    assert "portal check" in done.stdout and "Failed" in done.stdout
    assert "program_data/tiers.yaml:" in done.stdout and "rank" in done.stdout
