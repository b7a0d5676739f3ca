"""The macros the pages in content/ call, for mkdocs-macros: each fragment of
`fragments` is registered over the checked program, with the page's own `heading` and
`empty` words, and `own_words` reads an item's own prose next to its template.

Every mistake in a page is reported as `content/page.md:LINE:COL` with what to change,
never as a traceback: before a page is rendered its Jinja is checked (`page_check`), a
fragment given an id the program does not have, or the wrong arguments, says so where it
is called, and any other error while rendering names the line it happened on.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import yaml
from jinja2 import TemplateSyntaxError
from mkdocs.exceptions import PluginError

from . import preview
from .checked_program import ProgramDataError, load_program_cached
from .escape import text
from .fragments import FRAGMENTS, Fragment
from .markup import Links
from .page_check import column, problems
from .plan import TEMPLATES, own_words_path

log = logging.getLogger("mkdocs.plugins.partner_portal")
_CHECKED: dict[tuple[str, frozenset[str]], list[str]] = {}  # included files checked in this build
_REPORTED: set[str] = set()  # a template's mistake is said once, not once per page made from it
FAILED = "**This page could not be made: see the errors the build reported.**\n"


def define_env(env: Any) -> None:
    """mkdocs-macros' entry point: register every fragment over the checked program."""
    try:
        program = load_program_cached(Path(env.project_dir))
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None
    docs = Path(env.conf["docs_dir"])
    folder = docs.name or "content"
    _REPORTED.clear()
    _CHECKED.clear()

    def place(line_hint: str, ids: tuple[Any, ...]) -> str:
        """Where the macro being run was called: the innermost template line."""
        filename, line = _template_line(sys._getframe(1))
        if filename is None:
            source, where = env.markdown, f"{folder}/{env.page.file.src_uri}"
        else:
            path = Path(filename)
            source, where = path.read_text(encoding="utf-8"), f"{folder}/{path.relative_to(docs).as_posix()}"
        if line is None:
            return where
        return f"{where}:{line}:{_call_column(source, line, line_hint, ids)}"

    def bind(fragment: Fragment) -> Any:
        def macro(*ids: Any, **words: Any) -> str:
            try:
                return fragment.show(program, Links(program, env.page.file.src_uri), ids, words)
            except (LookupError, ValueError) as exc:
                # A page asked for something the program does not have: say where, and let
                # MkDocs' strict mode fail the build.
                report([f"{place(fragment.name, ids)}: {exc}"])
                return f"**Missing: {text(exc)}**"

        return macro

    rendering: set[str] = set()  # own words being shown, so that they cannot show themselves

    def own_words(kind: str, item_id: str) -> str:
        """The words an item's page adds, rendered like a page (they may call macros)."""
        try:
            if kind not in TEMPLATES:
                raise LookupError(f"own_words() takes a template kind ({', '.join(TEMPLATES)}), not '{kind}'")
            program.get(TEMPLATES[kind], item_id)
        except LookupError as exc:
            report([f"{place('own_words', (kind,))}: {exc}"])
            return f"**Missing: {text(exc)}**"
        path = own_words_path(kind, str(item_id))
        if not (docs / path).is_file():
            return ""
        if path in rendering:
            report([f"{place('own_words', (kind,))}: {folder}/{path} shows its own words inside themselves; "
                     "own_words() belongs in the template, not in the words it shows"])
            return ""
        found = problems(env.env, (docs / path).read_text(encoding="utf-8"), f"{folder}/{path}", known_names(env),
                         lambda p: _read(docs, p), frozenset({"item"}))
        report(found)
        if found:
            return ""
        rendering.add(path)
        try:
            return env.env.get_template(path).render({"item": item_id})
        finally:
            rendering.discard(path)

    for name, fragment in FRAGMENTS.items():
        if fragment.render is not None:
            env.macro(bind(fragment), name)
    env.macro(own_words, "own_words")


def on_pre_page_macros(env: Any) -> None:
    """Check the page, then render it here, so that any error names its line; mkdocs-macros
    is handed the result to pass through as it is."""
    meta = env.page.meta
    if meta.get("render_macros") is False:
        return  # the page asks to be shown as written
    docs = Path(env.conf["docs_dir"])
    where = f"{docs.name or 'content'}/{env.page.file.src_uri}"
    env.env.bytecode_cache = preview.compiled_templates(env.env)  # the templates pages include, once a process
    # Lines count from the top of the file, front matter included, as an editor counts them.
    env.markdown = "\n" * _front_matter_lines(env.page.file.abs_src_path, env.markdown) + env.markdown
    found = _front_matter_problem(env.markdown, where)
    try:
        tree = env.env.parse(env.markdown)
    except TemplateSyntaxError:
        tree = None  # `problems` says where
    found += problems(env.env, env.markdown, where, known_names(env), lambda p: _read(docs, p), tree=tree,
                      checked=_CHECKED)
    if found or tree is None:
        report(found)
        env.markdown = FAILED
        return
    try:
        rendered = preview.page_template(env.env, env.markdown, tree).render(dict(meta))
    except Exception as exc:  # noqa: BLE001 - any error in a page's template code is reported with its line
        filename, line = _error_line(exc)
        at, source = where, env.markdown
        if filename:
            at, source = f"{docs.name}/{Path(filename).relative_to(docs).as_posix()}", Path(filename).read_text()
        line = line or 1
        report([f"{at}:{line}:{column(source, line)}: this line cannot be shown ({exc}); a page holds text and "
                 "macro calls such as {{ name('tier', 'gold') }}"])
        log.debug("while rendering %s", where, exc_info=exc)
        env.markdown = FAILED
        return
    if not meta.get("title") and not re.match(r"\s*# \S", rendered):
        template = re.search(r"include '([^']+)'", env.markdown)
        at = f"{docs.name}/{template[1]}" if template and env.page.file.abs_src_path is None else where
        report([f"{at}:1:1: a page starts with its title, a line such as '# Questions partners ask' (or a "
                 "'title:' in its front matter); it names the page in the menu"])
    # Rendered: mkdocs-macros is asked, as a page's front matter would ask it, to pass the
    # result through as it is (its `render_macros: false`; the page object's meta is the one
    # it reads).
    env.markdown = rendered
    meta["render_macros"] = False


def _front_matter_lines(path: str | None, markdown: str) -> int:
    """How many lines of front matter MkDocs took off the top of the page's file."""
    if not path or not Path(path).is_file():
        return 0
    raw = Path(path).read_text(encoding="utf-8-sig")
    start = raw.find(markdown[:200]) if markdown.strip() else len(raw)
    return raw.count("\n", 0, start) if start > 0 else 0


def _front_matter_problem(markdown: str, where: str) -> list[str]:
    """Front matter MkDocs could not read stays in the page as text: say why."""
    if not re.match(r"(\n*)---[ \t]*\n", markdown):
        return []
    first = len(markdown) - len(markdown.lstrip("\n")) + 1
    closing = re.search(r"^(---|\.\.\.)[ \t]*$", markdown[markdown.index("---") + 3:], re.M)
    if closing is None:
        return [f"{where}:{first}:1: the front matter that starts here is never closed with a '---' line"]
    try:
        yaml.safe_load(markdown[markdown.index("---") + 3:][:closing.start()])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first + (mark.line if mark else 1)
        return [f"{where}:{line}:{(mark.column + 1) if mark else 1}: the front matter is not valid YAML "
                f"({getattr(exc, 'problem', None) or exc}); write 'key: value' lines between the '---' lines"]
    return [f"{where}:{first}:1: the front matter must be a list of 'key: value' lines between '---' lines"]


def report(problems_found: list[str]) -> None:
    """Say each problem of a build once (a template's mistake is one, whatever the number of
    pages made from it); the hooks say theirs here too."""
    for problem in problems_found:
        if problem not in _REPORTED:
            _REPORTED.add(problem)
            log.error(problem)


def known_names(env: Any) -> set[str]:
    """What a page may name: the macros, and its front matter's keys. MkDocs' and
    mkdocs-macros' own variables (the configuration, paths) are not for pages."""
    return set(FRAGMENTS) | {"own_words"} | set(env.page.meta or {})


def _read(docs: Path, relative: str) -> str | None:
    path = docs / relative
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _template_line(frame: FrameType | None) -> tuple[str | None, int | None]:
    """The innermost Jinja template on the stack and its line: (file, line), with file None
    for the page itself."""
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            filename = None if template.filename in (None, "<template>") else template.filename
            return filename, template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None, None


def _error_line(exc: BaseException) -> tuple[str | None, int | None]:
    """The last template line in an error's traceback (Jinja rewrites the traceback so that
    template frames carry the template's file and line)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if "__jinja_exception__" in frame.f_globals or frame.f_code.co_filename == "<template>":
            filename = frame.f_code.co_filename
            found = (None if filename == "<template>" else filename, tb.tb_lineno)
        elif "__jinja_template__" in frame.f_globals:
            template = frame.f_globals["__jinja_template__"]
            filename = None if template.filename in (None, "<template>") else template.filename
            found = (filename, template.get_corresponding_lineno(tb.tb_lineno))
        tb = tb.tb_next
    return found


def _call_column(source: str, line: int, name: str, ids: tuple[Any, ...]) -> int:
    """The column of the call of `name` on `line` that passes `ids`, else of its first call."""
    text_line = source.splitlines()[line - 1] if 0 < line <= len(source.splitlines()) else ""
    for match in re.finditer(rf"(?<![\w.]){re.escape(name)}\s*\(", text_line):
        if all(str(i) in text_line[match.end():] for i in ids):
            return match.start() + 1
    return column(source, line, name)
