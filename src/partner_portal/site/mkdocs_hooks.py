"""MkDocs hooks: the site's shape comes from the program data.

This module only adapts; what pages exist, where they go in the navigation and what they
say is decided in `partner_portal.site`, plain Python that does not depend on MkDocs.
"""

from __future__ import annotations

import copy
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from partner_portal.core.memo import SWITCH, keep_answers
from partner_portal.model.program import Program
from partner_portal.site import guide, pages, plan, preview
from partner_portal.site.checked_program import ProgramDataError, load_program_cached
from partner_portal.site.escape import copyright_line, html_text, safe_title, site_name
from partner_portal.site.fragments import releases as release_pages
from partner_portal.site.macros import FAILED, report
from partner_portal.site.page_check import broken_links

_GENERATED: dict[str, plan.GeneratedPage] = {}  # this build's generated pages, by path

# This build's pages' Markdown, their macros run, by path: the guide page is made of them.
_MADE: dict[str, str] = {}

# The navigation as mkdocs.yml writes it, globs and all, before on_files fills it in.
_NAV_AS_WRITTEN: dict[str, object] = {}


def _program(config: MkDocsConfig) -> Program:
    try:
        return load_program_cached(Path(config.config_file_path).parent)
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None  # MkDocs prints the report, without a traceback


@event_priority(100)  # before other plugins read the site name and navigation
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    program = _program(config)
    config.theme.get_env = preview.compiling_once(config.theme.get_env)
    config.site_name = site_name(program)
    _NAV_AS_WRITTEN[config.config_file_path] = copy.deepcopy(config.nav)
    config.copyright = copyright_line(program)
    logo = program.info.get("logo")
    if logo:
        config.theme["logo"] = logo
        config.theme["favicon"] = logo
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    program = _program(config)
    docs = Path(config.docs_dir)
    generated = plan.generated_pages(program)
    for kind in dict.fromkeys(page.kind for page in generated):
        if not (docs / plan.template_path(kind)).is_file():
            raise PluginError(f"{docs.name}/{plan.template_path(kind)} is missing: every {kind} page is made from "
                              "it. Restore it (git checkout) or write one; see the README's \"How to change the "
                              "portal's words\"")
    _GENERATED.clear()
    report(plan.template_problems(program, docs))
    for page in generated:
        _GENERATED[page.src_uri] = page
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"{docs.name}/{page.src_uri} would hide the page generated from program data; to add "
                              f"words to that page, write them in {docs.name}/"
                              f"{plan.own_words_path(page.kind, page.item)} instead")
        files.append(File.generated(config, page.src_uri, content=page.markdown()))
    if files.get_file_from_path(guide.GUIDE_PAGE) is not None:
        raise PluginError(f"{docs.name}/{guide.GUIDE_PAGE} would hide the program guide page, which is made from "
                          "the guide's pages; rename it")
    # The guide page is made of the guide's pages as this build renders them, when MkDocs
    # reaches it: the last page, since it is added last (on_page_markdown).
    _MADE.clear()
    files.append(File.generated(config, guide.GUIDE_PAGE, content=f"{guide.GUIDE_FRONT_MATTER}\n# Program guide\n"))
    written = [f.src_uri for f in files.documentation_pages()]
    config.nav = plan.navigation(_NAV_AS_WRITTEN.get(config.config_file_path, config.nav), written, generated)
    for path, content in (plan.downloads(program) | plan.data_files(program)).items():
        files.append(File.generated(config, path, content=content))
    # The program guide's PDF is drawn by `portal build`; a plain build or preview carries a
    # placeholder, so that links to it hold.
    files.append(File.generated(config, guide.GUIDE_PDF, content=guide.placeholder()))
    files.append(File.generated(config, release_pages.FEED, content=release_pages.atom_feed(
        program, config.site_url or None)))
    return files


def _guide_page(program: Program, docs: Path) -> str:
    """The guide page's Markdown, from each guide page's Markdown as this build's macros
    rendered it (a page this build did not render, it renders). A page of the guide that
    cannot render is said at its own line; the guide page then says it waits for that page."""

    def rendered(path: str, source: str) -> str:
        return _MADE[path] if path in _MADE else pages.render(program, docs, path, source)

    try:
        return guide.guide_page(program, docs, rendered)
    except guide.GuideBlocked as blocked:
        report([f"{docs.name}/{guide.GUIDE_PAGE}: the program guide page is made once "
                f"{docs.name}/{blocked.page} renders; fix that page"])
        return "# Program guide\n"


@event_priority(100)  # before mkdocs-macros runs: the links as the program team wrote them
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    docs = Path(config.docs_dir)
    here = page.file.src_uri
    if here == guide.GUIDE_PAGE:
        markdown = pages.body(_guide_page(_program(config), docs))  # MkDocs has read the file's front matter
    written = [(f"{docs.name}/{here}", markdown)]
    made = _GENERATED.get(here)
    if made is not None:  # a generated page: its template's links, and its own words', as seen from it
        written = [(f"{docs.name}/{path}", (docs / path).read_text(encoding="utf-8"))
                   for path in (made.template, plan.own_words_path(made.kind, made.item)) if (docs / path).is_file()]
    for where, source in written:
        report(broken_links(source, where, here, lambda p: files.get_file_from_path(p) is not None))
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # MkDocs takes a page's title from the text of its first heading, unescaped, and the
    # theme prints it raw or through `striptags`; make it safe for both.
    page.title = safe_title(page.title)
    if page.markdown.strip() != FAILED.strip():  # a page that failed blocks the guide page, which says so
        _MADE[page.file.src_uri] = page.markdown  # its macros run: what the guide page is made of
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # Feed readers and browsers find the program's feed from any page.
    return output.replace("</head>", feed_link(config.site_name, config.site_url, page.url) + "</head>", 1)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name.endswith(".html"):  # the "page not found" page, served at any depth
        return output.replace("</head>", feed_link(config.site_name, config.site_url, "") + "</head>", 1)
    return output


def feed_link(site: str, site_url: str | None, page_url: str) -> str:
    """The page head's link to the feed, on this site's own address: from the root of the
    site's URL path when it is known (right at any depth, as the 404 page needs), else
    relative to the page (`page_url` as MkDocs serves it, e.g. "tiers/gold/"). The theme
    reads every alternate link as another version of the site and fetches its sitemap, so
    the link must stay on this site."""
    base = (urlsplit(site_url).path.rstrip("/") + "/") if site_url else "../" * page_url.count("/")
    return (f'<link rel="alternate" type="application/atom+xml" title="{escape(site)}: program changes" '
            f'href="{html_text(base + release_pages.FEED)}">')


def on_startup(command: str, dirty: bool) -> None:
    # Once per process (the hooks are loaded again each rebuild): the live preview keeps what
    # it parsed, checked and converted for the next rebuild.
    if command == "serve":
        keep_answers()


def on_pre_build(config: MkDocsConfig) -> None:
    search = config.plugins.get("material/search")
    if SWITCH.on and search is not None and search.config.enabled:
        preview.remember_search_entries(search.search_index)


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    if SWITCH.on:
        preview.remember_rendering(page)
    return page


def on_serve(server, config: MkDocsConfig, builder):  # noqa: ANN001 - MkDocs' live-reload server
    server = preview.quicker_server(server)
    # Release records live in releases/, which a new project may not have yet; MkDocs'
    # `watch` setting refuses a missing folder, so it is watched from here.
    releases = Path(config.config_file_path).parent / "releases"
    if releases.is_dir():
        server.watch(str(releases))
    return server
