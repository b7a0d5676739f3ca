"""`make build` fails closed: bad data or a failed site build leaves site/ exactly as it
was, and a good build replaces it whole."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import ROOT, edit, with_cache

NEEDS_VENV = pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "portal").exists(),
                                reason="needs the project's .venv (make test creates it)")


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def workspace(project: Path, sample_cache: Path) -> Path:
    """A copy of the project that `make` can run in, sharing the installed .venv, with the
    cache a first build of the sample leaves."""
    with_cache(project, sample_cache)
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    (project / ".venv").symlink_to(ROOT / ".venv")
    old_site = project / "site"
    old_site.mkdir()
    (old_site / "index.html").write_text("<p>the previous release</p>\n")
    (old_site / "downloads").mkdir()
    (old_site / "downloads" / "tiers.csv").write_text("Requirement,Silver\n")
    return project


def make_build(folder: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # -o: the shared .venv counts as installed; make must never reinstall it from a copy.
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed-stamp", "build"], cwd=folder,
                          capture_output=True, text=True, env=env)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site-"))


@NEEDS_VENV
def test_bad_data_leaves_the_previous_site_byte_for_byte(workspace):
    before = tree_digest(workspace / "site")
    edit(workspace / "program_data/tiers.yaml", "    rank: 2\n", "    rank: 2\n    rank: 3\n")
    done = make_build(workspace)
    assert done.returncode != 0
    assert "duplicate-key" in done.stdout
    assert tree_digest(workspace / "site") == before
    assert leftovers(workspace) == []


@NEEDS_VENV
def test_a_failed_site_build_leaves_the_previous_site_byte_for_byte(workspace):
    before = tree_digest(workspace / "site")
    # The data is fine, but a page links to a page that does not exist: mkdocs --strict fails.
    (workspace / "content" / "extra.md").write_text("# Extra\n\n[missing](nowhere.md)\n")
    done = make_build(workspace)
    assert done.returncode != 0
    assert tree_digest(workspace / "site") == before
    assert leftovers(workspace) == []


@NEEDS_VENV
def test_a_good_build_replaces_the_site_whole(workspace):
    done = make_build(workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    site = workspace / "site"
    assert not (site / "downloads" / "tiers.csv").exists()  # nothing of the old site is left
    assert "Lumora Partner Success Program" in (site / "index.html").read_text()
    assert leftovers(workspace) == []
    # The guide, not the placeholder: read back from the cache, which holds the one drawn for the
    # same pages (tests/test_guide.py shows when it is drawn again).
    guide = PdfReader(site / "downloads" / "program-guide.pdf")
    assert len(guide.pages) > 20 and "Program guide" in guide.pages[0].extract_text()


@NEEDS_VENV
def test_an_interrupted_build_leaves_the_previous_site_and_nothing_partial(workspace):
    import signal
    import time

    before = tree_digest(workspace / "site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    build = subprocess.Popen([str(ROOT / ".venv" / "bin" / "portal"), "build", "--project", str(workspace)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while not leftovers(workspace) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(workspace), "the build never started writing its temporary site"
    time.sleep(0.5)  # let MkDocs get going
    build.send_signal(signal.SIGTERM)
    out, err = build.communicate(timeout=60)
    assert build.returncode == 130, out + err
    assert "interrupted" in err and "Traceback" not in err
    assert tree_digest(workspace / "site") == before
    assert leftovers(workspace) == []


@pytest.mark.parametrize("target", [".", "..", "program_data", "content", "content/assets", "schemas"])
def test_build_refuses_a_site_dir_that_would_replace_the_project(project, portal, target):
    before = tree_digest(project / "program_data")
    run = portal("build", "--project", str(project), "--site-dir", target)
    assert run.code == 2 and "would replace the project" in run.err
    assert tree_digest(project / "program_data") == before


def test_the_site_uses_the_checked_program_only_while_its_files_are_unchanged(project, tmp_path, monkeypatch):
    """`portal build` hands MkDocs the program it has checked, with a fingerprint of the
    files; a handed-over program for other files (edited since, or another project) is
    ignored and the data is loaded and checked again."""
    import dataclasses

    from partner_portal.site import checked_program as loading

    checked = loading.load_program(project)
    marked = dataclasses.replace(checked, documents={**checked.documents, "program.yaml": {
        **checked.documents["program.yaml"], "name": "Handed over"}})
    handoff = tmp_path / "program.pickle"
    monkeypatch.setenv(loading.HANDOFF_ENV, str(handoff))

    loading.write_handoff(handoff, project, loading.fingerprint(project), marked)
    loading._LOADED.clear()
    assert loading.load_program_cached(project).info["name"] == "Handed over"

    edit(project / "program_data/program.yaml", "name: ", "name: Edited ")
    loading._LOADED.clear()
    assert loading.load_program_cached(project).info["name"].startswith("Edited ")

    handoff.write_bytes(b"not a pickle")
    loading._LOADED.clear()
    assert loading.load_program_cached(project).info["name"].startswith("Edited ")
