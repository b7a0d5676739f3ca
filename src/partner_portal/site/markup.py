"""Markdown for the portal's pages: links between pages, lists, and tables with their
downloads. Every value from program data goes through `escape`.

Links between pages are relative Markdown links to the pages' sources, so MkDocs checks
each one when it builds with --strict.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from typing import Any

from ..model.eligibility import grace_note
from ..model.program import Item, Program
from ..model.requirements import Requirement
from .escape import html_text, text
from .plan import download_path, page_of
from .tables import DASH, DataTable, Ref, per_value, ref


class Links:
    """Relative links from the page being rendered (`here`, e.g. "tiers/gold.md")."""

    def __init__(self, program: Program, here: str) -> None:
        self.program = program
        self.here = here

    def path(self, target: str) -> str:
        return posixpath.relpath(target, posixpath.dirname(self.here) or ".")

    def url(self, target: str) -> str:
        """A path for raw HTML (which MkDocs does not rewrite): relative to this page's URL
        (`tiers/gold.md` is served as `tiers/gold/`), to `target`'s URL or file."""
        def served(src: str) -> str:
            if src.endswith(".md"):
                stem = src[:-3]
                return posixpath.dirname(stem) + "/" if posixpath.basename(stem) == "index" else stem + "/"
            return src

        here = served(self.here)
        base = here if here.endswith("/") else posixpath.dirname(here) + "/"
        path, _, anchor = target.partition("#")
        relative = posixpath.relpath(served(path) or ".", base.rstrip("/") or ".")
        if served(path).endswith("/") and not relative.endswith("/"):
            relative += "/"
        return relative + (f"#{anchor}" if anchor else "")

    def item_url(self, kind: str, item_id: str) -> str:
        page, anchor = page_of(self.program, kind, item_id)
        return self.url(page + (f"#{anchor}" if anchor else ""))

    def href(self, kind: str, item_id: str) -> str:
        page, anchor = page_of(self.program, kind, item_id)
        return (self.path(page) if page != self.here else "") + (f"#{anchor}" if anchor else "")

    def to(self, item: Ref) -> str:
        return f"[{text(item.label)}]({self.href(item.kind, item.id)})"

    def item(self, kind: str, item_id: str) -> str:
        return self.to(ref(self.program, kind, item_id))


def bullets(items: Iterable[Any]) -> str:
    return "\n".join(f"- {text(item)}" for item in items)


def numbered(items: Iterable[Any]) -> str:
    return "\n".join(f"{n}. {text(item)}" for n, item in enumerate(items, start=1))


def cell(value: Any, links: Links) -> str:
    if isinstance(value, Ref):
        return links.to(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return DASH
        # Names read well in a row; sentences need a line each.
        joiner = ", " if all(isinstance(v, Ref) for v in value) else "<br>"
        return joiner.join(cell(v, links) for v in value)
    if value is None or value == "":
        return DASH
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text(value)


def path_cell(value: Any) -> str:
    """A field path as code that wraps only after a dot: `scale[].rating`."""
    parts = re.split(r"(?<=\.)", str(value))
    return "<code>" + "<wbr>".join(html_text(p) for p in parts if p) + "</code>"


def prose_cell(value: Any) -> str:
    """Text in which `backticked` words are code, as schema descriptions write them; all
    else is escaped like any data."""
    parts = " ".join(str(value).split()).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code at all
        return text(value)
    return "".join(f"<code>{html_text(p)}</code>" if n % 2 else text(p) for n, p in enumerate(parts))


def table(data: DataTable, links: Links) -> str:
    """A Markdown table with links, followed by its CSV and JSON downloads."""
    header = "| " + " | ".join(links.to(c.ref) if c.ref else text(c.label) for c in data.columns) + " |"
    rule = "| " + " | ".join("---:" if c.numeric else "---" for c in data.columns) + " |"
    shown = {"text": per_value(lambda value: cell(value, links)),
             "path": per_value(lambda value: path_cell(value) if value else DASH),
             "prose": per_value(lambda value: prose_cell(value) if isinstance(value, str) and value else
                                cell(value, links))}
    body = ["| " + " | ".join([shown[c.shown](row.get(c.key)) for c in data.columns]) + " |" for row in data.rows]
    lines = [header, rule, *body]
    if data.downloads:
        csv_link = links.path(download_path(data.id, "csv"))
        json_link = links.path(download_path(data.id, "json"))
        lines += ["", f"Download {text(data.title)}: [CSV]({csv_link}){{ download }} · "
                      f"[JSON]({json_link}){{ download }}", "{: .portal-downloads }"]
    return "\n".join(lines)


def section(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p) + "\n"


def grace_line(program: Program, tier: Item, requirement: Requirement) -> str:
    """A grace period as the tier page and What's new show it, with its note (Markdown)."""
    assert requirement.grace is not None
    note = f" {text(requirement.grace.note)}" if requirement.grace.note else ""
    return text(grace_note(program, requirement, tier["name"])) + note
