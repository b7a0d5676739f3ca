"""The macros the pages in content/ call, for mkdocs-macros: each renders a page or part of
one from the checked program data (`pages`, `tools`, `releases`).

A macro given an id the program does not have fails the strict build with
`content/page.md:LINE:COL` and the ids the program has, rather than a traceback.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from .checked_program import ProgramDataError, load_program_cached
from .escape import text
from .markup import Links
from .pages import PAGE_MACROS
from .release_pages import RELEASE_MACROS
from .tool_pages import TOOL_MACROS

MACROS: dict[str, Callable[..., str]] = PAGE_MACROS | TOOL_MACROS | RELEASE_MACROS

log = logging.getLogger("mkdocs.plugins.partner_portal")


def define_env(env: Any) -> None:
    """mkdocs-macros' entry point: register every macro over the checked program."""
    try:
        program = load_program_cached(Path(env.project_dir))
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None

    def bind(name: str, renderer: Callable[..., str]) -> Callable[..., str]:
        def macro(*ids: str) -> str:
            try:
                return renderer(program, Links(program, env.page.file.src_uri), *ids)
            except (LookupError, ValueError) as exc:
                # A page asked for something the program does not have: say where, and let
                # MkDocs' strict mode fail the build, rather than print a traceback.
                where = macro_location(env.conf["docs_dir"], env.page.file.src_uri, env.markdown, name, ids)
                log.error(f"{where}: {exc}")
                return f"**Missing: {text(exc)}**"

        return macro

    for name, renderer in MACROS.items():
        env.macro(bind(name, renderer), name)


def macro_location(docs_dir: str, src_uri: str, markdown: str, name: str, ids: tuple[str, ...]) -> str:
    """`content/page.md:LINE:COL` of the first call of macro `name` with `ids` in a page."""
    folder = posixpath.basename(str(docs_dir).rstrip("/")) or "content"
    pattern = re.compile(re.escape(name) + r"\s*\(\s*" + "".join(f"['\"]{re.escape(i)}['\"]\\s*,?\\s*" for i in ids))
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = pattern.search(line)
        if match:
            return f"{folder}/{src_uri}:{number}:{match.start() + 1}"
    return f"{folder}/{src_uri}"
