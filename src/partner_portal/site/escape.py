"""Data as text, never as markup: escaping every value from program data for Markdown,
HTML and titles, so a name holding `<script>` or `{{ }}` shows as written."""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

from ..core.units import long_date
from ..model.program import Program

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


_TITLE_LOOKALIKES = str.maketrans({"<": "‹", ">": "›", "&": "＆", "{": "｛", "}": "｝", "%": "％"})


def safe_title(value: Any) -> str:
    """A page or navigation title that is safe wherever it goes: the theme prints titles
    raw, escaped, or through `striptags` (which turns entities back into tags), and
    mkdocs-macros renders them as Jinja templates. Characters that could form markup or
    template code are replaced by look-alikes; the page's own heading shows the exact text."""
    return " ".join(str(value).split()).translate(_TITLE_LOOKALIKES)


def copyright_line(program: Program) -> Markup:
    """The footer line: who runs the program and which version this is."""
    info = program.info
    return Markup(f"{html_text(info['name'])}, version {html_text(info['version'])}, in effect from "
                  f"{html_text(long_date(info['effective_date']))}. Run by {html_text(info['vendor']['name'])}.")
