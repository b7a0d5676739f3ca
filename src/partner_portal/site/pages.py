"""The site's pages as Markdown, rendered without MkDocs: the Markdown files in content/
and the generated item pages, with every fragment macro bound for one page. The tests
render every page this way, the program guide's PDF is made from it, and the benchmark
builds its plain-MkDocs floor from it; the site itself renders through mkdocs-macros
(`macros`), with the same fragments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..model.program import Program
from .fragments import FRAGMENTS
from .markup import Links
from .plan import generated_pages, own_words_path


def sources(program: Program, docs: Path) -> Iterator[tuple[str, str]]:
    """(path in the docs folder, Markdown source) of every page the site has."""
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        if not relative.startswith("templates/"):
            yield relative, path.read_text(encoding="utf-8")
    for page in generated_pages(program):
        yield page.src_uri, page.markdown()


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)


def body(source: str) -> str:
    """A page's source without its front matter (the YAML between `---` lines at the top)."""
    return _FRONT_MATTER.sub("", source, count=1)


def render(program: Program, docs: Path, src_uri: str, source: str) -> str:
    """A page's Markdown with its macros run (errors are raised, not reported)."""
    links = Links(program, src_uri)
    env = Environment(loader=FileSystemLoader(docs), undefined=StrictUndefined, keep_trailing_newline=True)

    def bind(name: str) -> Any:
        fragment = FRAGMENTS[name]

        def macro(*ids: Any, **words: Any) -> str:
            return fragment.show(program, links, ids, words)

        return macro

    def own_words(kind: str, item_id: str) -> str:
        path = own_words_path(kind, item_id)
        return env.get_template(path).render(item=item_id) if (docs / path).is_file() else ""

    env.globals.update({name: bind(name) for name, f in FRAGMENTS.items() if f.render is not None})
    env.globals["own_words"] = own_words
    return env.from_string(source).render()
