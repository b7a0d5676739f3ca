"""mkdocs-macros module: registers the macros pages call. Each macro renders a page
from the checked program data; the rendering lives in partner_portal.render."""

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from partner_portal import render, render_releases, render_tools
from partner_portal.loading import ProgramDataError, load_program_cached

log = logging.getLogger("mkdocs.plugins.partner_portal")


def define_env(env):
    try:
        program = load_program_cached(Path(env.project_dir))
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None

    def bind(name, renderer):
        def macro(*ids):
            try:
                return renderer(program, render.Links(program, env.page.file.src_uri), *ids)
            except (LookupError, ValueError) as exc:
                # A page asked for something the program does not have: say where, and let
                # MkDocs' strict mode fail the build, rather than print a traceback.
                where = render.macro_location(env.conf["docs_dir"], env.page.file.src_uri, env.markdown, name, ids)
                log.error(f"{where}: {exc}")
                return f"**Missing: {render.text(exc)}**"

        return macro

    for name, renderer in (render.PAGE_MACROS | render_tools.TOOL_MACROS | render_releases.RELEASE_MACROS).items():
        env.macro(bind(name, renderer), name)
