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


# Edits a program team makes while previewing: a KPI renamed (the glossary, the KPI's pages
# and the guide page change, the rest does not), a tier renamed (the menu changes, so every
# page does), the prose of one page.
EDITS = [("program_data/kpis.yaml", "name: Net-new customers", "name: Net-new clients", "glossary/", "Net-new clients"),
         ("program_data/tiers.yaml", "    name: Gold\n", "    name: Gold Plus\n", "tiers/gold/", "Gold Plus"),
         ("content/glossary.md", "The program's terms from A to Z.", "The program's words, A to Z.", "glossary/",
          "The program's words, A to Z.")]


def test_each_rebuild_after_an_edit_writes_what_a_fresh_build_writes(tmp_path):
    project = copy_project(tmp_path / "project")
    mkdocs_build(project, tmp_path / "first")
    for n, (path, old, new, page, shown) in enumerate(EDITS):
        memos = (preview._PAGE_CODE, preview._RENDERED, preview._INDEXED, preview._PAGE_HTML)
        kept = [memo.hits for memo in memos]
        edit(project / path, old, new)
        mkdocs_build(project, tmp_path / f"rebuilt-{n}")
        used = [memo.hits > before for memo, before in zip(memos, kept, strict=True)]
        assert used == [True, True, True, path != "program_data/tiers.yaml"], path  # a new menu: every page is new
        keep_answers(False)
        try:
            mkdocs_build(project, tmp_path / f"fresh-{n}")
        finally:
            keep_answers()
        rebuilt, fresh = written(tmp_path / f"rebuilt-{n}"), written(tmp_path / f"fresh-{n}")
        assert shown.encode() in rebuilt[f"{page}index.html"], path
        assert rebuilt.keys() == fresh.keys()
        assert [file for file in rebuilt if rebuilt[file] != fresh[file]] == [], path


def test_a_theme_override_or_a_setting_from_the_environment_reaches_every_page(tmp_path, monkeypatch):
    """What no page's text holds, yet every page shows: a template of the project's own
    theme folder (`custom_dir`), a setting read from the environment."""
    project = copy_project(tmp_path / "project")
    edit(project / "mkdocs.yml", "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("site_description: !ENV [PORTAL_TEST_DESCRIPTION, none]\n")
    override = project / "overrides/partials/copyright.html"
    override.parent.mkdir(parents=True)
    override.write_text("<p>OVERRIDE-ONE</p>", encoding="utf-8")
    monkeypatch.setenv("PORTAL_TEST_DESCRIPTION", "description-one")
    mkdocs_build(project, tmp_path / "first")
    override.write_text("<p>OVERRIDE-SECOND</p>", encoding="utf-8")
    monkeypatch.setenv("PORTAL_TEST_DESCRIPTION", "description-second")
    mkdocs_build(project, tmp_path / "rebuilt")
    keep_answers(False)
    try:
        mkdocs_build(project, tmp_path / "fresh")
    finally:
        keep_answers()
    rebuilt, fresh = written(tmp_path / "rebuilt"), written(tmp_path / "fresh")
    assert b"OVERRIDE-SECOND" in rebuilt["glossary/index.html"] and b"description-second" in rebuilt[
        "glossary/index.html"]
    assert [file for file in rebuilt if rebuilt[file] != fresh.get(file)] == []
