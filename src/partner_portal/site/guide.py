"""The program guide as one document: a PDF of the tiers, lifecycle, journeys, playbooks,
incentives, renewal and glossary pages, made from the same Markdown and fragments as the
site, with a cover, contents, and the program's name, version and date on every page.

The PDF is drawn with fpdf2, which is pure Python: a fresh machine with only Python builds
it, where WeasyPrint would need Pango and Chromium's print would need a browser. It is
written by `portal build` (`make build`) beside the site's other downloads, drawn while
MkDocs builds the site (in its own process, so the two share the machine's cores); a plain
`mkdocs build` or `make serve` carries a one-page placeholder that says so.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import markdown

from ..core.units import long_date
from ..model.program import Program
from . import pages
from .escape import text
from .plan import generated_pages, in_menu_order

GUIDE_PDF = "downloads/program-guide.pdf"
GUIDE_PAGE = "program-guide.md"  # the same guide as one page, to read, print or save as PDF
FONTS = Path(__file__).parent / "fonts"
# The guide's sections, in order: a folder (its overview, then its pages as the menu lists
# them) or single pages.
SECTIONS = (("Overview", ["index.md"]), ("Tiers", "tiers/"), ("Lifecycle", "lifecycle/"),
            ("Journeys", "journeys/"), ("Playbooks", "playbooks/"), ("Incentives", "incentives/"),
            ("Renewal", ["renewal.md"]), ("Glossary", ["glossary.md"]))


def guide_pages(program: Program, docs: Path) -> Iterator[tuple[str, str, str]]:
    """(section, page path, Markdown source without front matter) of every page of the
    guide, in order."""
    sources = dict(pages.sources(program, docs))
    generated = generated_pages(program)
    for section, where in SECTIONS:
        if isinstance(where, str):  # a folder: its overview, then its pages as its menu lists them
            where = [f"{where}index.md"] + [p for p in in_menu_order(list(sources), generated)
                                            if posixpath.dirname(p) + "/" == where and p != f"{where}index.md"]
        for path in where:
            if path in sources:
                yield section, path, pages.body(sources[path])


_CELL = re.compile(r"<(t[dh])(\s[^>]*)?>(.*?)</t[dh]>", re.S)
MOST_ROWS = 60  # a longer table is cut on paper; the portal and its downloads hold it whole
MOST_COLUMNS = 8  # an A4 page holds about as many; a wider table (a program of many tiers) is cut on paper


def _cut(rows: int, headings: int, page: str | None = None) -> str:
    """What the guide says under a table it cut, `rows` long and `headings` wide: the
    lines or headings it kept and where the whole table is (the table's own `page`, on the
    guide page; the portal, in the PDF)."""
    cuts = ([f"the first {MOST_ROWS} of {rows:,} lines"] if rows > MOST_ROWS else []) + (
        [f"the first {MOST_COLUMNS} of the table's {headings:,} headings"] if headings > MOST_COLUMNS else [])
    return (f"The guide shows {' and '.join(cuts)}; {f'[its page]({page})' if page else 'the portal'} shows the "
            "whole table, and the Downloads page has it as CSV and JSON.")


# A Markdown table: its heading row, the line under it, and its rows (indented alike, as in
# an admonition).
_PIPE_TABLE = re.compile(r"^( *)\|.*\n\1\|[ :|-]*-[ :|-]*\n(?:\1\|.*(?:\n|$))+", re.M)
# A cell of a Markdown table row: what lies up to a pipe that is neither escaped (as the
# macros write a pipe in data) nor in code (a lone backtick or backslash is a character).
_PIPE_CELL = re.compile(r"(?:\\.|`[^`\n]*`|[^|\n])*")


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row, without its outer pipes."""
    inner = row.strip().removeprefix("|")
    cells, at = [], 0
    while at < len(inner):
        cell = _PIPE_CELL.match(inner, at)
        cells.append(cell[0])
        at = cell.end() + 1
    return cells


def _shorter_markdown(page_markdown: str, page: str | None = None) -> str:
    """A page's Markdown with each table longer than MOST_ROWS or wider than MOST_COLUMNS
    cut (saying so, with a link to the table's own `page`, if given): the one cut of both
    forms of the guide, made before the HTML (the macros write Markdown tables), so what is
    cut is never converted."""

    def cut(match: re.Match[str]) -> str:
        indent, lines = match[1], match[0].splitlines()
        rows, headings = len(lines) - 2, len(_cells(lines[0]))
        if rows <= MOST_ROWS and headings <= MOST_COLUMNS:
            return match[0]
        kept = lines[:2 + MOST_ROWS]
        if headings > MOST_COLUMNS:
            kept = [f"{indent}|{'|'.join(_cells(line)[:MOST_COLUMNS])}|" for line in kept]
        return "\n".join(kept) + f"\n\n{indent}*{_cut(rows, headings, page)}*\n"

    return _PIPE_TABLE.sub(cut, page_markdown)


def _for_paper(page_html: str) -> str:
    """A page's HTML cut to what a printed guide holds: no scripts, diagrams drawn for the
    screen, tool forms or download lines, links as their words, table cells as text."""
    page_html = re.sub(r"<(script|figure|form|fieldset)\b.*?</\1>", "", page_html, flags=re.S)
    page_html = re.sub(r'<p class="portal-downloads">.*?</p>', "", page_html, flags=re.S)
    page_html = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", page_html, flags=re.S)
    page_html = re.sub(r"<a\b[^>]*>(.*?)</a>", r"\1", page_html, flags=re.S)
    page_html = re.sub(r'<p class="admonition-title">(.*?)</p>', r"<p><b>\1</b></p>", page_html, flags=re.S)
    page_html = re.sub(r"</?(div|section|span|label|input|code|sup|wbr)\b[^>]*>", "", page_html)
    page_html = re.sub(r"<(p|table|ul|ol|li|strong|em|h[1-6])\s[^>]*>", r"<\1>", page_html)  # no ids or classes
    # One level down: the guide's sections are its top level, a page's title the next.
    page_html = re.sub(r"<(/?)h([1-6])[^>]*>", lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}>", page_html)

    def cell(match: re.Match[str]) -> str:
        words = re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "; ", match[3])).strip()
        return f'<{match[1]} align="left">{words}</{match[1]}>'

    return _CELL.sub(cell, page_html)


def _html(program: Program, docs: Path, path: str, source: str) -> str:
    rendered = _shorter_markdown(pages.render(program, docs, path, source))  # before the HTML: tables can be long
    converted = markdown.markdown(rendered, extensions=["tables", "admonition", "md_in_html", "attr_list"])
    return _for_paper(converted)


class GuideBlocked(Exception):
    """A page of the guide does not render (its own build error says why and where)."""

    def __init__(self, page: str) -> None:
        super().__init__(page)
        self.page = page


_HEADING = re.compile(r"^( {0,12})(#{1,5}) ", re.M)
_CHAPTER = re.compile(r"^## .+$", re.M)
_LINK = re.compile(r"\]\((?!https?:|mailto:)([^)\s]*)\)")


def _from_root(path: str, source_page: str) -> str:
    """A link as written on `source_page`, as seen from the guide page at the top folder."""
    target, _, anchor = path.partition("#")
    whole = posixpath.normpath(posixpath.join(posixpath.dirname(source_page), target)) if target else source_page
    return whole + (f"#{anchor}" if anchor else "")


GUIDE_FRONT_MATTER = "---\nrender_macros: false\nsearch:\n  exclude: true\n---"


def guide_page(program: Program, docs: Path, rendered: Callable[[str, str], str] | None = None) -> str:
    """The program guide as one page of Markdown (already rendered: its front matter turns
    macros off): the same pages as the PDF, in the same order, each a chapter under a
    level-2 heading, with every link leading to the portal page it names. Search leaves it
    out: what it holds, search finds on the pages it comes from.

    `rendered(path, source)` is a page's Markdown with its macros run: the site passes what
    its own build of each page made; by default each page is rendered here."""
    info = program.info
    parts = [GUIDE_FRONT_MATTER,
             "# Program guide",
             f"**{text(info['name'])}**, version {text(info['version'])}, in effect from "
             f"{text(long_date(info['effective_date']))}. {text(info['vendor']['name'])}.",
             "The whole program on one page, to read, print or save as PDF from your browser; the same guide is a "
             f"[ready-made PDF]({GUIDE_PDF}){{ download }}.\n{{: .portal-guide-intro }}"]
    for _, path, source in guide_pages(program, docs):
        try:
            chapter = rendered(path, source) if rendered else pages.render(program, docs, path, source)
        except Exception as exc:  # noqa: BLE001 - the page's own render says what is wrong, where
            raise GuideBlocked(path) from exc
        chapter = _HEADING.sub(lambda m: f"{m[1]}#{m[2]} ", chapter)
        chapter = _CHAPTER.sub(lambda m: m[0] if m[0].rstrip().endswith("}") else f"{m[0]} {{ .portal-chapter }}",
                               chapter, count=1)  # a printed chapter starts on a new page
        chapter = _LINK.sub(lambda m, page=path: f"]({_from_root(m[1], page)})", chapter)
        parts.append(_shorter_markdown(chapter, path).strip("\n"))
    return "\n\n".join(parts) + "\n"


def guide_pdf(program: Program, docs: Path, cache: Path | None = None) -> bytes:
    """The program guide as PDF bytes. Given `cache` (the project's cache folder), a guide
    drawn before from the same pages, program, fonts and code is read back from it rather
    than drawn again (drawing is most of a build's time), and a guide drawn is kept there."""
    listed = [(name, path, _html(program, docs, path, source)) for name, path, source in guide_pages(program, docs)]
    if cache is None:
        return _draw(program, listed)
    from ..check.cache import entry_path, prune, read_file_entry, write_file_entry

    key = _guide_key(program, listed)
    path = entry_path(cache, "guide", key, ".pdf")
    kept = read_file_entry(path, key)
    if kept is not None:
        return kept
    drawn = _draw(program, listed)
    write_file_entry(path, key, drawn)
    prune(cache, "guide", KEPT_GUIDES, ".pdf")
    return drawn


KEPT_GUIDES = 4  # the guides of the last few states of the program


def _guide_key(program: Program, listed: list[tuple[str, str, str]]) -> str:
    """The hash of everything the drawn guide depends on: each page's paper HTML, the
    program's name, version, date and vendor, the fonts, fpdf2's version and this program's
    code."""
    from ..check.cache import code_fingerprint, installed

    info = program.info
    digest = hashlib.sha256("\0".join((code_fingerprint(), installed("fpdf", "fpdf2"), str(info["name"]),
                                       str(info["version"]), str(info["effective_date"]),
                                       str(info["vendor"]["name"]))).encode())
    for font in sorted(FONTS.glob("*.ttf")):
        digest.update(b"\0" + font.name.encode() + b"\0" + hashlib.sha256(font.read_bytes()).digest())
    for name, path, page_html in listed:
        digest.update("\1".join(("", name, path, page_html)).encode())
    return digest.hexdigest()


def _draw(program: Program, listed: list[tuple[str, str, str]]) -> bytes:
    """Draw the guide from its pages' paper HTML, in order."""
    from fpdf import FPDF  # imported here: only the build draws the guide
    from fpdf.fonts import FontFace

    info = program.info
    foot = f"{info['name']} · version {info['version']} · in effect from {long_date(info['effective_date'])}"

    class Guide(FPDF):
        def footer(self) -> None:
            if self.page_no() == 1:
                return
            self.set_y(-12)
            self.set_font("body", size=7)
            self.set_text_color(90)
            self.cell(0, 5, f"{foot} · page {self.page_no()}", align="C")

    pdf = Guide(format="A4")
    pdf.set_title(f"{info['name']}: program guide")
    pdf.set_author(str(info["vendor"]["name"]))
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("body", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("body", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.add_font("body", "I", FONTS / "DejaVuSans-Oblique.ttf")
    pdf.add_font("body", "BI", FONTS / "DejaVuSans-Bold.ttf")
    styles = {f"h{n}": FontFace(family="body", emphasis="BOLD", color=(40, 53, 147), size_pt=size)
              for n, size in ((1, 22), (2, 18), (3, 13), (4, 11), (5, 10), (6, 10))}

    pdf.add_page()  # the cover
    pdf.set_font("body", "B", 26)
    pdf.ln(70)
    pdf.multi_cell(0, 12, str(info["name"]), align="C")
    pdf.set_font("body", "", 14)
    pdf.ln(6)
    pdf.multi_cell(0, 8, "Program guide", align="C")
    pdf.ln(10)
    pdf.set_font("body", "", 11)
    pdf.multi_cell(0, 6, f"Version {info['version']}, in effect from {long_date(info['effective_date'])}\n"
                   f"{info['vendor']['name']}", align="C")

    pdf.add_page()
    entries = len(listed) + len({name for name, _, _ in listed})  # a line per section and per page
    pdf.insert_toc_placeholder(_contents, pages=_contents_pages(pdf, entries))
    section = None
    for name, _, page_html in listed:
        pdf.add_page()
        if name != section:
            section = name
            pdf.start_section(name, level=0)
        pdf.set_font("body", "", 9.5)
        pdf.set_text_color(0)
        pdf.write_html(page_html, font_family="body", tag_styles=styles,
                       table_line_separators=True, li_prefix_color=(40, 53, 147))
    return bytes(pdf.output())


CONTENTS_LINE = 5.2  # mm
CONTENTS_HEADING = 12  # mm: the word "Contents" and the space under it


def _contents_pages(pdf: object, entries: int) -> int:
    """How many pages the contents take: as many lines as fit on each, the first below its
    heading."""
    usable = pdf.h - pdf.t_margin - pdf.b_margin
    first = int((usable - CONTENTS_HEADING) // CONTENTS_LINE) - 1
    others = int(usable // CONTENTS_LINE) - 1
    return 1 + max(0, -(-(entries - first) // others))


def _contents(pdf: object, outline: list) -> None:
    """The contents page: the guide's sections and their pages, with page numbers."""
    pdf.set_x(pdf.l_margin)
    pdf.set_font("body", "B", 16)
    pdf.set_text_color(40, 53, 147)
    start = pdf.page_no()
    pdf.cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(CONTENTS_HEADING - 10)
    shown = [e for e in outline if e.level <= 1]  # sections and their pages
    for entry in shown:
        pdf.set_font("body", "B" if entry.level == 0 else "", 10 if entry.level == 0 else 9)
        pdf.set_text_color(0)
        indent = 6 * entry.level
        pdf.set_x(pdf.l_margin + indent)
        link = pdf.add_link(page=entry.page_number)
        pdf.cell(pdf.epw - indent - 12, CONTENTS_LINE, entry.name, link=link)
        pdf.cell(12, CONTENTS_LINE, str(entry.page_number), align="R", new_x="LMARGIN", new_y="NEXT", link=link)
    while pdf.page_no() < start + _contents_pages(pdf, len(shown)) - 1:  # the count is exact; this is a guard
        pdf.add_page()


PLACEHOLDER = Path(__file__).parent / "guide-placeholder.pdf"


@cache
def placeholder() -> bytes:
    """The one-page PDF a plain `mkdocs build` or `make serve` carries in the guide's place
    (a file, so that the preview does not import the PDF library)."""
    return PLACEHOLDER.read_bytes()


def write_guide(drawn: bytes, site: Path) -> Path:
    """Write the drawn guide into a built site, in the placeholder's place."""
    target = site / GUIDE_PDF
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(drawn)
    return target
