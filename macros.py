"""mkdocs-macros module: registers the macros pages call. Each macro renders a page
from the checked program data; the rendering lives in partner_portal.render."""

from pathlib import Path

from mkdocs.exceptions import PluginError

from partner_portal import render
from partner_portal.model import ProgramDataError, load_program_cached


def define_env(env):
    try:
        program = load_program_cached(Path(env.project_dir))
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None

    def bind(renderer):
        def macro(*ids):
            return renderer(program, render.Links(program, env.page.file.src_uri), *ids)

        return macro

    for name, renderer in render.PAGE_MACROS.items():
        env.macro(bind(renderer), name)
