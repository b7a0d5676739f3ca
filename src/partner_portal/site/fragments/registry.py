"""The fragment macros' registry: each macro renders one part of a page from program
data (a table, a list, a timeline, a sentence made of figures); the words around it are
Markdown in content/.

Every fragment takes the ids it needs and two optional words from the page:
`heading="## Plays"` is written before the fragment only when it shows something (a
lead-in such as `heading="Measured by:"` runs on into a one-line fragment), and
`empty="No plays yet."` is shown instead when it shows nothing. The README's "Macros for
pages" section is made from this registry, each with its example.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from ...model.program import Program
from ..markup import Links

Renderer = Callable[..., str]


@dataclass(frozen=True)
class Fragment:
    name: str
    render: Renderer | None  # None: rendered by the MkDocs glue (it reads other files)
    example: str  # a call as a page writes it, e.g. "tier_requirements('gold')"
    topic: str
    doc: str
    params: tuple[str, ...] = ()  # the ids it takes, by name (after `program` and `links`)

    @property
    def summary(self) -> str:
        return " ".join(self.doc.split("\n\n")[0].split())

    @property
    def arguments(self) -> list[str]:
        """The ids the fragment takes, by name (after `program` and `links`)."""
        return list(self.params)

    def call(self, program: Program, links: Links, *ids: str) -> str:
        if self.render is None:
            raise LookupError(f"{self.name}() is rendered while the site is built")
        expected = self.params
        if len(ids) != len(expected):
            wanted = ", ".join(expected) if expected else "nothing"
            raise ValueError(f"{self.name}() takes {wanted} ({len(ids)} given); for example "
                             f"{{{{ {self.example} }}}}")
        return self.render(program, links, *ids)

    def show(self, program: Program, links: Links, ids: tuple[object, ...], words: dict[str, object]) -> str:
        """The fragment as a page's macro call shows it: its ids (as text), framed in the
        page's own `heading` and `empty` words."""
        chosen = page_words(self.name, words)
        return framed(self.call(program, links, *[str(i) for i in ids]), **chosen)


FRAGMENTS: dict[str, Fragment] = {}


def fragment(example: str, topic: str) -> Callable[[Renderer], Renderer]:
    """Register a renderer `(program, links, *ids) -> Markdown` as a page macro."""
    def register(render: Renderer) -> Renderer:
        add(render.__name__, render, example, topic, inspect.getdoc(render) or "")
        return render
    return register


def add(name: str, render: Renderer | None, example: str, topic: str, doc: str) -> None:
    if name in FRAGMENTS:
        raise ValueError(f"two fragments are called {name}")
    params = ("kind", "item_id") if render is None else tuple(inspect.signature(render).parameters)[2:]
    FRAGMENTS[name] = Fragment(name, render, example, topic, doc, params)


WORDS = ("heading", "empty")


def page_words(name: str, words: dict[str, object]) -> dict[str, str]:
    """The page's own words given to fragment `name`: only `heading` and `empty`."""
    unknown = sorted(set(words) - set(WORDS))
    named = [k for k in unknown if k in FRAGMENTS[name].arguments]
    if named:
        example = FRAGMENTS[name].example
        raise ValueError(f"{name}() takes its ids without their names: {{{{ {example} }}}}, not {named[0]}=...")
    if unknown:
        raise ValueError(f"{name}() takes heading='...' and empty='...', not {', '.join(k + '=' for k in unknown)}")
    return {k: str(v) for k, v in words.items()}


def framed(body: str, heading: str | None = None, empty: str | None = None) -> str:
    """A fragment's Markdown with the page's own words: `heading` before it when it shows
    something, `empty` instead when it shows nothing."""
    if not body.strip():
        return empty or ""
    if not heading:
        return body
    if not heading.lstrip().startswith("#") and "\n" not in body.strip():
        return f"{heading} {body}"  # a lead-in such as "Measured by:" runs on into a one-line fragment
    return f"{heading}\n\n{body}"
