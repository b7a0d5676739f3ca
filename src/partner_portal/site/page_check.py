"""A page's Markdown checked before it is rendered: its Jinja must parse, every name it
calls must be a macro, and every file it includes must exist. Each problem names
`content/page.md:LINE:COL` and says what to change, so a typo in prose never reaches
the renderer (which would stop with a traceback)."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable

from jinja2 import Environment, TemplateSyntaxError, meta, nodes

MACRO_LIST = "the macros are listed in the README's \"Macros for pages\" and by `portal macros`"


def column(source: str, line: int, name: str | None = None) -> int:
    """1-based column of `name` on `line` of `source` (of the line's first non-blank
    character when `name` is not there)."""
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if name:
        found = re.search(rf"(?<![\w.]){re.escape(name)}\b", text)
        if found:
            return found.start() + 1
    return len(text) - len(text.lstrip()) + 1


def _unknown(name: str, known: set[str], called: bool) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    if called:
        return f"{name} is not a macro; {hint}{MACRO_LIST}"
    return f"{name} is not known on this page; {hint}write an id in quotes, e.g. 'gold'"


def problems(env: Environment, source: str, where: str, known: set[str], read: Callable[[str], str | None],
             given: frozenset[str] = frozenset(), tree: nodes.Template | None = None,
             checked: dict[tuple[str, frozenset[str]], list[str]] | None = None,
             _seen: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with `source` (shown as `where`) and the files it includes (read
    through `read`, relative to the content folder; None when missing). `given` are names
    an including page sets, such as a template's `item`; `tree` is the source already
    parsed, and `checked` remembers included files already checked (a template is included
    by every page of its kind)."""
    try:
        tree = tree or env.parse(source)
    except TemplateSyntaxError as exc:
        line = exc.lineno or 1
        return [f"{where}:{line}:{column(source, line)}: {exc.message}; a macro is written "
                "{{ name('id') }} and a tag {% ... %}"]
    found = []
    called = {n.node.name for n in tree.find_all(nodes.Call) if isinstance(n.node, nodes.Name)}
    for name in sorted(meta.find_undeclared_variables(tree) - known - given):
        line = min(n.lineno for n in tree.find_all(nodes.Name) if n.name == name)
        found.append(f"{where}:{line}:{column(source, line, name)}: {_unknown(name, known, name in called)}")
    assigned = frozenset(n.name for a in tree.find_all(nodes.Assign)
                         for n in [a.target, *a.target.find_all(nodes.Name)] if isinstance(n, nodes.Name))
    folder = where.split("/", 1)[0]
    for include in tree.find_all(nodes.Include):
        if not isinstance(include.template, nodes.Const):
            continue
        target = str(include.template.value)
        included = read(target)
        if included is None:
            if not include.ignore_missing:
                found.append(f"{where}:{include.lineno}:{column(source, include.lineno, 'include')}: there is no "
                             f"{folder}/{target} to include")
        elif target not in _seen:
            key = (target, given | assigned)
            if checked is None or key not in checked:
                result = problems(env, included, f"{folder}/{target}", known, read, given | assigned,
                                  checked=checked, _seen=(*_seen, target))
                if checked is None:
                    found += result
                    continue
                checked[key] = result
            found += checked[key]
    return found


_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def broken_links(source: str, where: str, here: str, exists: Callable[[str], bool]) -> list[str]:
    """Links in a page's Markdown (`here` is the page's path in the docs folder, which
    relative links start from) to a Markdown page that does not exist, each with its place.
    MkDocs' own check says the same without the line."""
    blanked = _CODE.sub(lambda m: " " * len(m[0]), _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), source))
    found = []
    for match in _LINK.finditer(blanked):
        target = match[1].split("#", 1)[0]
        if not target.endswith(".md") or re.match(r"^[a-z][a-z0-9+.-]*:|^/", target):
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
        if not exists(resolved):
            line = source.count("\n", 0, match.start(1)) + 1
            col = match.start(1) - (source.rfind("\n", 0, match.start(1)) + 1) + 1
            found.append(f"{where}:{line}:{col}: the link '{match[1]}' goes to no page (it would be "
                         f"{where.split('/', 1)[0]}/{resolved}); link to an existing page, e.g. one in the menu")
    return found
