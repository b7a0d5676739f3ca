"""The live preview keeps what it made for pages an edit did not change (`site/preview.py`):
a rebuild after an edit, in the same process, writes exactly what a fresh build writes."""

from __future__ import annotations

import gzip
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from partner_portal.core.memo import keep_answers
from partner_portal.site import preview

from .conftest import copy_project, edit


def mkdocs_build(project: Path, site: Path) -> None:
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True))


def written(site: Path) -> dict[str, bytes]:
    """Every file of a built site by path (the sitemap's archive unpacked: gzip stamps the time)."""
    return {p.relative_to(site).as_posix(): gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_rebuild_after_an_edit_writes_what_a_fresh_build_writes(tmp_path):
    project = copy_project(tmp_path / "project")
    mkdocs_build(project, tmp_path / "first")
    pages, entries = preview._RENDERED.hits, preview._INDEXED.hits
    # A KPI renamed: the glossary, the KPI's pages and the guide page change, the rest does not.
    edit(project / "program_data/kpis.yaml", "name: Net-new customers", "name: Net-new clients")
    mkdocs_build(project, tmp_path / "rebuilt")
    assert preview._RENDERED.hits > pages and preview._INDEXED.hits > entries  # kept pages were used
    keep_answers(False)
    try:
        mkdocs_build(project, tmp_path / "fresh")
    finally:
        keep_answers()
    rebuilt, fresh = written(tmp_path / "rebuilt"), written(tmp_path / "fresh")
    assert b"Net-new clients" in rebuilt["glossary/index.html"] and b"Net-new clients" in rebuilt[
        "search/search_index.json"]
    assert rebuilt.keys() == fresh.keys()
    assert [path for path in rebuilt if rebuilt[path] != fresh[path]] == []
