"""The package's layout holds: rooms by stage, imports that only point down, no import
cycle, no module much over 400 lines, and a README whose layout section is the tree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "partner_portal"

# What each room may import from, besides itself: every arrow points down.
ALLOWED = {
    "core": set(),
    "load": {"core"},
    "model": {"core"},
    "check": {"core", "load", "model"},
    "releases": {"core", "load", "model", "check"},
    "report": {"core", "check", "releases"},
    "site": {"core", "load", "model", "check", "releases", "report"},
    "cli": {"core", "load", "model", "check", "releases", "report", "site"},
}
MAX_LINES = 400


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (`check.rules.tiers`)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


def imports(name: str, path: Path) -> set[str]:
    """The package modules `name` imports (relative and absolute), whatever the context."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1] if node.level > 1 else here
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("partner_portal."):
                target = node.module.removeprefix("partner_portal.")
            else:
                continue
            for alias in node.names:
                child = f"{target}.{alias.name}" if target else alias.name
                found.add(child if child in MODULES else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("partner_portal."):
                    found.add(alias.name.removeprefix("partner_portal."))
    return {f for f in found if f in MODULES and f != name}


GRAPH = {name: imports(name, path) for name, path in MODULES.items()}


def room(name: str) -> str:
    return name.split(".")[0]


def test_every_module_lives_in_a_room():
    assert sorted({room(n) for n in GRAPH if n}) == sorted(ALLOWED)


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if n))
def test_imports_only_point_down(name):
    upward = sorted(t for t in GRAPH[name] if room(t) != room(name) and room(t) not in ALLOWED[room(name)])
    assert upward == [], f"{name} imports {upward}"


def test_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(target):] + [target]))
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_no_module_is_much_over_400_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def readme_tree() -> list[str]:
    """The module paths the README's layout section lists (`core/findings.py` ...)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    tree = section.split("```text", 1)[1].split("```", 1)[0]
    paths, folders = [], []
    for line in tree.splitlines():
        match = re.match(r"^(\s*)(\S+)", line)
        if not match or not match.group(2).endswith((".py", "/")):
            continue
        depth = len(match.group(1)) // 2
        folders[depth:] = []
        name = match.group(2)
        if name.endswith("/"):
            folders.append(name)
        else:
            paths.append("".join(folders) + name)
    return paths


def test_the_readme_layout_section_is_the_tree():
    listed = [p.removeprefix("src/partner_portal/") for p in readme_tree()]
    actual = sorted(path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                    if path.name != "__init__.py" or path.parent.name in ("rules", "fragments"))
    assert sorted(listed) == actual
