"""A page's Markdown checked before it is rendered: its Jinja must parse, every name it
calls must be a macro, and every file it includes must exist. Each problem names
`content/page.md:LINE:COL` and says what to change, so a typo in prose never reaches
the renderer (which would stop with a traceback)."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable

from jinja2 import Environment, TemplateSyntaxError, nodes

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


_TAG = re.compile(r"\{\{|\}\}|\{%-?\s*(\w+)?|%\}|\{#|#\}")
_BLOCKS = {"if", "for", "macro", "call", "filter", "set", "raw", "with", "block", "autoescape", "trans"}
_CURLY = "\u2018\u2019\u201c\u201d"


def _opened(source: str) -> tuple[int, str] | None:
    """The offset and text of the first `{{`, `{%` or `{#` never closed, or of the block tag
    (`{% if %}`) never ended; None when every one is."""
    open_at: tuple[int, str] | None = None
    blocks: list[tuple[int, str]] = []
    for match in _TAG.finditer(source):
        token = match[0]
        if token in ("}}", "%}", "#}"):
            open_at = None
            continue
        if open_at is not None:
            return open_at
        open_at = (match.start(), token[:2])
        word = match[1]
        if token.startswith("{%") and word:
            if word.startswith("end") and blocks and blocks[-1][1] == word[3:]:
                blocks.pop()
            elif word in _BLOCKS and not (word == "set" and "=" in source[match.end():source.find("%}", match.end())]):
                blocks.append((match.start(), word))
    return open_at or (blocks[-1] if blocks else None)


def _syntax(source: str, where: str, exc: TemplateSyntaxError) -> str:
    """A syntax error where the mistake was made, in words for a page's author."""
    message = re.sub(r" at \d+", "", exc.message or "the page's {{ }} or {% %} cannot be read")
    opened = _opened(source)
    curly = re.search(f"[{_CURLY}]", source)
    if any(q in message for q in _CURLY) and curly is not None:
        line = source.count("\n", 0, curly.start()) + 1
        return (f"{where}:{line}:{curly.start() - (source.rfind(chr(10), 0, curly.start()) + 1) + 1}: a curly "
                "quote (‘ ’ “ ”) in a macro call; type straight quotes (' or \")")
    if opened is not None:
        offset, token = opened
        closing = {"{{": "}}", "{%": "%}", "{#": "#}"}.get(token, "{% end" + token + " %}")
        what = f"'{{% {token} %}}'" if token not in ("{{", "{%", "{#") else f"'{token}'"
        message = f"{what} is opened here and never closed with '{closing}'"
        line = source.count("\n", 0, offset) + 1
        return f"{where}:{line}:{offset - (source.rfind(chr(10), 0, offset) + 1) + 1}: {message}"
    line = exc.lineno or 1
    return (f"{where}:{line}:{column(source, line)}: {message}; a macro is written {{{{ name('id') }}}} and a "
            "tag {% ... %}")


def _single_braces(source: str, where: str, known: set[str]) -> list[str]:
    """A macro written with one brace each side is shown as written: say so."""
    found = []
    for match in re.finditer(r"(?<!\{)\{\s*(\w+)\s*\([^{}\n]*\)\s*\}(?!\})", source):
        if match[1] in known:
            line = source.count("\n", 0, match.start()) + 1
            col = match.start() - (source.rfind("\n", 0, match.start()) + 1) + 1
            found.append(f"{where}:{line}:{col}: {match[1]}() is written with one brace; write "
                         f"{{{{ {match[0].strip('{} ')} }}}} to show it")
    return found


def problems(env: Environment, source: str, where: str, known: set[str], read: Callable[[str], str | None],
             given: frozenset[str] = frozenset(), tree: nodes.Template | None = None,
             checked: dict[tuple[str, frozenset[str]], list[str]] | None = None,
             _seen: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with `source` (shown as `where`) and the files it includes (read
    through `read`, relative to the content folder; None when missing). `known` are the
    macros a page may call; `given` are names an including page sets, such as a template's
    `item`; `tree` is the source already parsed, and `checked` remembers included files
    already checked (a template is included by every page of its kind)."""
    try:
        tree = tree or env.parse(source)
    except TemplateSyntaxError as exc:
        return [_syntax(source, where, exc)]
    found = _single_braces(source, where, known)
    # The names the page reads and does not set itself, from the parsed page: compiling it
    # here too (as jinja2.meta does) would cost as much again as rendering it.
    names = list(tree.find_all(nodes.Name))
    undeclared = ({n.name for n in names if n.ctx == "load"} - {n.name for n in names if n.ctx in ("store", "param")}
                  - {"loop", "super", "self", "varargs", "kwargs", "caller"})
    for node, kind, known_here in [*((f, "filter", env.filters) for f in tree.find_all(nodes.Filter)),
                                   *((t, "test", env.tests) for t in tree.find_all(nodes.Test))]:
        if node.name not in known_here:
            found.append(f"{where}:{node.lineno}:{column(source, node.lineno, node.name)}: there is no {kind} "
                         f"called '{node.name}'; a page holds text and macro calls such as "
                         "{{ name('tier', 'gold') }}")
    called = {n.node.name for n in tree.find_all(nodes.Call) if isinstance(n.node, nodes.Name)}
    for name in sorted(undeclared - known - given):
        line = min(n.lineno for n in tree.find_all(nodes.Name) if n.name == name)
        found.append(f"{where}:{line}:{column(source, line, name)}: {_unknown(name, known | given, name in called)}")
    callees = {id(n.node) for n in tree.find_all(nodes.Call)}
    for name in sorted({n.name for n in tree.find_all(nodes.Name) if n.name in known and id(n) not in callees}):
        line = min(n.lineno for n in tree.find_all(nodes.Name) if n.name == name and id(n) not in callees)
        found.append(f"{where}:{line}:{column(source, line, name)}: {name} is a macro: call it with brackets, "
                     f"e.g. {{{{ {name}() }}}}")
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
        target = re.split(r"[#?]", match[1], maxsplit=1)[0]
        if not target.endswith(".md") or re.match(r"^[a-z][a-z0-9+.-]*:|^/", target):
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
        if not exists(resolved):
            line = source.count("\n", 0, match.start(1)) + 1
            col = match.start(1) - (source.rfind("\n", 0, match.start(1)) + 1) + 1
            found.append(f"{where}:{line}:{col}: the link '{match[1]}' goes to no page (it would be "
                         f"{where.split('/', 1)[0]}/{resolved}); link to an existing page, e.g. one in the menu")
    return found
