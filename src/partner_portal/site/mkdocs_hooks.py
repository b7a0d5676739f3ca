"""MkDocs hooks: the site's shape comes from the program data.

This module only adapts; what pages exist and what they say is decided in
`partner_portal.site`, plain Python that does not depend on
MkDocs.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from partner_portal.model.program import Program
from partner_portal.site import plan, release_pages
from partner_portal.site.checked_program import ProgramDataError, load_program_cached
from partner_portal.site.escape import copyright_line, safe_title, site_name


def _program(config: MkDocsConfig) -> Program:
    try:
        return load_program_cached(Path(config.config_file_path).parent)
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None  # MkDocs prints the report, without a traceback


@event_priority(100)  # before other plugins read the site name and navigation
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    program = _program(config)
    config.site_name = site_name(program)
    config.nav = plan.navigation(program)
    config.copyright = copyright_line(program)
    logo = program.info.get("logo")
    if logo:
        config.theme["logo"] = logo
        config.theme["favicon"] = logo
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    program = _program(config)
    for page in plan.generated_pages(program):
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"content/{page.src_uri} would hide the page generated from program data; "
                              "rename or remove it")
        files.append(File.generated(config, page.src_uri, content=page.markdown()))
    for path, content in (plan.downloads(program) | plan.data_files(program)).items():
        files.append(File.generated(config, path, content=content))
    files.append(File.generated(config, release_pages.FEED, content=release_pages.atom_feed(
        program, config.site_url or None)))
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # MkDocs takes a page's title from the text of its first heading, unescaped, and the
    # theme prints it raw or through `striptags`; make it safe for both.
    page.title = safe_title(page.title)
    return html


def on_serve(server, config: MkDocsConfig, builder):  # noqa: ANN001 - MkDocs' live-reload server
    # Release records live in releases/, which a new project may not have yet; MkDocs'
    # `watch` setting refuses a missing folder, so it is watched from here.
    releases = Path(config.config_file_path).parent / "releases"
    if releases.is_dir():
        server.watch(str(releases))
    return server
