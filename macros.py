"""mkdocs-macros module: registers the functions pages call. It holds no logic of its
own; loading, checking and rendering live in the partner_portal package."""

from pathlib import Path

from mkdocs.exceptions import PluginError

from partner_portal import render
from partner_portal.model import ProgramDataError, load_program


def define_env(env):
    try:
        program = load_program(Path(env.project_dir))
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None  # MkDocs prints the report, with no traceback
    env.conf["site_name"] = render.site_name(program)

    @env.macro
    def program_home() -> str:
        return render.program_home(program)
