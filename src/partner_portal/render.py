"""Rendering program data as Markdown for the portal's pages.

Every value from program data passes through `text()` (Markdown) or `html_text()`
(raw HTML): data is shown as written, never interpreted as Markdown, HTML or Jinja.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from .model import Program

# Characters Markdown gives meaning to; < > & are handled by HTML escaping.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-.!|~])")


def html_text(value: Any) -> str:
    """Escape a data value for HTML. Braces become entities too, so a value holding
    `{{ ... }}` can never reach a template engine as template code."""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def text(value: Any) -> str:
    """Escape a data value for inline Markdown: shown literally, on one line."""
    single_line = " ".join(str(value).split())
    return html_text(_MARKDOWN_SPECIAL.sub(r"\\\1", single_line))


def site_name(program: Program) -> Markup:
    """The program's name for the theme's header and title. The theme escapes it in some
    places and not in others; an escaped Markup value is right in both (Jinja's `e`
    filter leaves Markup as it is)."""
    return Markup(html_text(program.info["name"]))


def bullets(items: Iterable[Any]) -> str:
    return "\n".join(f"- {text(item)}" for item in items)


def program_home(program: Program) -> str:
    """The home page: what the program is, who it is for and how to join."""
    info = program.info
    vendor = info["vendor"]
    return "\n\n".join(
        [
            f"# {text(info['name'])}",
            text(info["summary"]),
            f"**Version {text(info['version'])}**, effective {text(info['effective_date'])}. "
            f"Run by {text(vendor['name'])} for partners who sell and service {text(vendor['product'])}.",
            "## Who it is for",
            bullets(info["audience"]),
            "## How to join",
            "\n".join(f"{n}. {text(step)}" for n, step in enumerate(info["how_to_join"], start=1)),
        ]
    ) + "\n"
