"""mkdocs-macros module: registers the functions pages call. It holds no logic of its
own; loading, checking and rendering live in the partner_portal package."""

from pathlib import Path

from partner_portal import render
from partner_portal.model import load_program


def define_env(env):
    program = load_program(Path(env.project_dir))
    env.conf["site_name"] = program.info["name"]

    @env.macro
    def program_home() -> str:
        return render.program_home(program)
