"""The program guide as one PDF: cover, contents, the guide's pages with their tables, and
the program's name and version on every page, from the same Markdown as the site."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from partner_portal.site import guide

from .conftest import ROOT
from .programs import sample_program
from .test_render import POISONED

PROGRAM = sample_program()


@pytest.fixture(scope="module")
def pdf(sample_site: Path) -> PdfReader:
    """The sample's guide, as `portal build` drew it for the run's shared site."""
    return PdfReader(sample_site / guide.GUIDE_PDF)


def text_of(reader: PdfReader, number: int) -> str:
    return " ".join(reader.pages[number].extract_text().split())


def test_the_cover_carries_the_program_its_version_and_date(pdf):
    cover = text_of(pdf, 0)
    assert "Lumora Partner Success Program" in cover and "Program guide" in cover
    assert "Version 2027.1, in effect from 1 February 2027" in cover


def test_every_page_after_the_cover_carries_the_version_and_its_number(pdf):
    assert 30 <= len(pdf.pages) <= 80
    for number in range(1, len(pdf.pages)):
        assert f"version 2027.1 · in effect from 1 February 2027 · page {number + 1}" in text_of(pdf, number)


def test_the_contents_list_every_section_and_page_of_the_guide(pdf):
    contents = text_of(pdf, 1)
    for section in ("Overview", "Tiers", "Lifecycle", "Journeys", "Playbooks", "Incentives", "Renewal", "Glossary"):
        assert re.search(rf"\b{section}\b \d+", contents), section
    assert re.search(r"Gold \d+", contents) and re.search(r"Customer onboarding \d+", contents)
    outline = [entry.title for entry in pdf.outline if not isinstance(entry, list)]
    assert outline[:3] == ["Overview", "Tiers", "Lifecycle"]  # bookmarks, for a reader's side panel


def test_the_tiers_table_and_a_rate_table_are_in_the_guide(pdf):
    everything = " ".join(text_of(pdf, n) for n in range(len(pdf.pages)))
    assert re.search(r"Requirement Silver Gold Platinum Capability score \(out of 100\) 70 80 90", everything)
    assert re.search(r"Gold Asia Pacific 3\.5%", everything)  # the Adopt incentive's rates
    assert "CSV · JSON" not in everything and "Download" not in everything  # the screen's download lines
    assert "Payout: 80,000 USD × 3.5% = 2,800 USD" in everything  # a worked example


def test_the_guide_s_pages_are_the_menu_s_in_order():
    paths = [path for _, path, _ in guide.guide_pages(PROGRAM, ROOT / "content")]
    assert paths[:5] == ["index.md", "tiers/index.md", "tiers/silver.md", "tiers/gold.md", "tiers/platinum.md"]
    assert paths.index("lifecycle/index.md") < paths.index("lifecycle/land.md") < paths.index("journeys/index.md")
    assert paths[-2:] == ["renewal.md", "glossary.md"]


def test_text_from_program_data_is_text_in_the_guide_too():
    reader = PdfReader(io.BytesIO(guide.guide_pdf(POISONED, ROOT / "content")))
    text = " ".join(text_of(reader, n) for n in range(3, 8))
    assert "<script>alert(1)</script>" in text  # shown as written, never read as markup


def test_the_placeholder_says_the_build_draws_the_guide():
    placeholder = PdfReader(io.BytesIO(guide.placeholder()))
    assert len(placeholder.pages) == 1 and "make build" in placeholder.pages[0].extract_text()


def test_no_page_s_front_matter_reaches_the_guide(pdf):
    everything = " ".join(text_of(pdf, n) for n in range(len(pdf.pages)))
    assert "hide:" not in everything and "navigation" not in everything.split("Who it is for")[0]


def test_the_guide_page_holds_every_guide_page_as_a_chapter_with_links_to_the_portal():
    """The print-ready page: the PDF's pages in the PDF's order, each a chapter (its title a
    level-2 heading that starts a printed page), links leading to the portal's pages."""
    page = guide.guide_page(PROGRAM, ROOT / "content")
    assert page.startswith("---\nrender_macros: false\nsearch:\n  exclude: true\n---\n\n# Program guide\n")
    assert "**Lumora Partner Success Program**, version 2027\\.1, in effect from 1 February 2027" in page
    chapters = re.findall(r"^## (.+?) \{ \.portal-chapter \}$", page, re.M)
    listed = list(guide.guide_pages(PROGRAM, ROOT / "content"))
    assert len(chapters) == len(listed) and chapters[:3] == ["Lumora Partner Success Program", "Tiers", "Silver"]
    assert "hide:" not in page and not re.search(r"^# ", page.split("# Program guide", 1)[1], re.M)
    assert "[Gold](tiers/gold.md)" in page  # from the home page's cards: unchanged
    assert "[tier check](tools/tier-check.md?aim=gold)" in page  # from Gold's page: ../tools/ seen from the top
    assert "](../" not in page


def test_text_from_program_data_is_text_on_the_guide_page_too():
    page = guide.guide_page(POISONED, ROOT / "content")
    assert "<script>" not in page and "{{" not in page.split("---", 2)[2]


def test_a_page_that_does_not_render_blocks_the_guide_page_by_name(tmp_path):
    import shutil

    docs = shutil.copytree(ROOT / "content", tmp_path / "content")
    (docs / "glossary.md").write_text("# Glossary\n\n{{ glosary() }}\n", encoding="utf-8")
    with pytest.raises(guide.GuideBlocked) as blocked:
        guide.guide_page(PROGRAM, docs)
    assert blocked.value.page == "glossary.md"


def test_a_page_that_does_not_render_blocks_the_guide_page_in_the_build_too(tmp_path):
    """The site's guide page is made of the pages as the build rendered them: one that
    failed is not put in it; the build fails, saying which page the guide page waits for."""
    from .conftest import build, copy_project

    project = copy_project(tmp_path)
    (project / "content/glossary.md").write_text("# Glossary\n\n{{ glosary() }}\n", encoding="utf-8")
    done = build(project)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "content/program-guide.md: the program guide page is made once content/glossary.md renders" in done.stderr


class Drawings:
    """guide_pdf's drawing, counted and stood in for (the real one takes seconds): each
    drawing is a different PDF, so a guide read back is told from one drawn again."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, program, listed) -> bytes:
        self.count += 1
        return b"%PDF-1.4 drawing " + str(self.count).encode() + b" of " + str(len(listed)).encode() + b" pages"


def test_a_drawn_guide_is_read_back_until_what_it_shows_changes(tmp_path, monkeypatch):
    """With the project's cache folder, `guide_pdf` draws the guide once and reads it back
    while its pages (as printed), the program's name, version and date, the fonts and the code
    are as they were; a change to any page the guide holds, or to the program's version, draws
    it again, and a page the guide does not hold changes nothing."""
    import shutil

    from .programs import checked

    drawings = Drawings()
    monkeypatch.setattr(guide, "_draw", drawings)
    docs = shutil.copytree(ROOT / "content", tmp_path / "content")
    cache = tmp_path / "cache"
    first = guide.guide_pdf(PROGRAM, docs, cache)
    assert guide.guide_pdf(PROGRAM, docs, cache) == first and drawings.count == 1
    assert guide.guide_pdf(PROGRAM, docs) != first and drawings.count == 2  # no cache: drawn

    (docs / "program-team" / "index.md").write_text("# Program team\n\nNot in the guide.\n", encoding="utf-8")
    assert guide.guide_pdf(PROGRAM, docs, cache) == first and drawings.count == 2

    glossary = docs / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    edited = guide.guide_pdf(PROGRAM, docs, cache)
    assert edited != first and drawings.count == 3

    newer = checked([{"file": "program.yaml", "find": 'version: "2027.1"', "replace": 'version: "2027.2"'}])
    assert guide.guide_pdf(newer.program(), docs, cache) != edited and drawings.count == 4
    assert guide.guide_pdf(PROGRAM, docs, cache) == edited and drawings.count == 4  # both kept


@pytest.mark.parametrize("damage", ["altered", "truncated", "foreign", "empty"])
def test_a_kept_guide_that_is_not_what_was_written_is_drawn_again(tmp_path, monkeypatch, damage):
    drawings = Drawings()
    monkeypatch.setattr(guide, "_draw", drawings)
    cache = tmp_path / "cache"
    first = guide.guide_pdf(PROGRAM, ROOT / "content", cache)
    [entry] = cache.glob("guide-*.pdf")
    data = entry.read_bytes()
    entry.write_bytes({"altered": data[:-5] + b"Pages", "truncated": data[:-10],
                       "foreign": data.replace(data[13:30], b"0" * 17, 1), "empty": b""}[damage])
    again = guide.guide_pdf(PROGRAM, ROOT / "content", cache)
    assert drawings.count == 2 and again != first
    assert guide.guide_pdf(PROGRAM, ROOT / "content", cache) == again and drawings.count == 2  # kept anew


def test_portal_build_keeps_its_guide_in_the_project_s_cache_unless_told_not_to(project, sample_cache, portal,
                                                                                 monkeypatch, tmp_path):
    import partner_portal.site.build as site_build

    from .conftest import with_cache

    with_cache(project, sample_cache)
    asked = []
    monkeypatch.setattr(guide, "guide_pdf", lambda program, docs, cache=None: asked.append(cache) or b"%PDF")

    def build_site(root, site_dir, handoff=None, finish=None, engine="mkdocs"):  # the engine is not what is tried
        site_dir.mkdir(parents=True, exist_ok=True)
        handoff(tmp_path / "program.pickle")
        finish(site_dir)
        return site_dir

    monkeypatch.setattr(site_build, "build_site", build_site)
    assert portal("build", "--project", str(project)).code == 0
    assert portal("build", "--no-cache", "--project", str(project)).code == 0
    assert asked == [project / ".portal-cache", None]
    assert (project / "site" / guide.GUIDE_PDF).read_bytes() == b"%PDF"


def _rows(count: int, indent: str = "") -> str:
    return "".join(f"{indent}| Gold | {n} users | {n * 10} |\n" for n in range(count))


def test_a_table_longer_than_a_printed_guide_holds_is_cut_on_the_guide_page_as_in_the_pdf():
    """A long table (a generated program's rate table has thousands of lines) is cut to its
    first MOST_ROWS lines in both forms of the guide, with a line that says where the whole
    table is; a table that fits is left whole."""
    long, short = guide.MOST_ROWS + 40, guide.MOST_ROWS
    page = ("Before.\n\n| Tier | Band | Amount |\n| --- | --- | ---: |\n" + _rows(long) + "\nBetween.\n\n"
            '!!! example "Worked"\n    | Tier | Band | Amount |\n    | --- | --- | ---: |\n' + _rows(short, "    ")
            + "\nAfter.\n")
    cut = guide._shorter_markdown(page, "incentives/use-activation.md")
    assert cut.count("| Gold |") == 2 * guide.MOST_ROWS
    assert f"| {guide.MOST_ROWS - 1} users |" in cut and f"| {guide.MOST_ROWS} users |" not in cut.split("Between")[0]
    assert (f"*The guide shows the first {guide.MOST_ROWS} of {long} lines; [its page](incentives/use-activation.md) "
            "shows the whole table, and the Downloads page has it as CSV and JSON.*") in cut
    assert cut.count("The guide shows") == 1 and cut.endswith("\nAfter.\n") and "Before.\n\n| Tier" in cut
    assert guide._shorter_markdown(page.split("Between")[1], "x.md") == page.split("Between")[1]  # fits: whole

    paper = guide._html(PROGRAM, ROOT / "content", "incentives/use-activation.md", page)  # as the PDF has it
    assert paper.count("<tr>") == 2 + guide.MOST_ROWS + short  # two heading rows
    assert f"The guide shows the first {guide.MOST_ROWS} of {long} lines; the portal shows the whole table" in paper


def test_a_table_wider_than_a_printed_page_is_cut_to_the_headings_a_page_holds():
    """A program of many tiers has a tier table as wide as its tiers are many: both forms of
    the guide keep its first MOST_COLUMNS headings and say so (a browser's print clips a
    wider table, and fpdf2 cannot draw one whose cells are narrower than a character). A
    pipe in a value, escaped or in code, is part of its cell; a table both long and wide
    says both in one line."""
    tiers = [f"Tier {n}" for n in range(300)]
    page = ("| Requirement | " + " | ".join(tiers) + " |\n|" + " --- |" * 301 + "\n"
            + "".join(f"| Req \\| {r} | `a|b` | " + " | ".join(str(n) for n in range(299)) + " |\n" for r in range(3)))
    cut = guide._shorter_markdown(page, "tiers/index.md")
    rows = [line for line in cut.splitlines() if line.startswith("|")]
    assert [line.count(" | ") for line in rows] == [guide.MOST_COLUMNS - 1] * 5
    assert rows[2].startswith("| Req \\| 0 | `a|b` | 0 |") and rows[0].endswith("| Tier 6 |")
    assert (f"*The guide shows the first {guide.MOST_COLUMNS} of the table's 301 headings; [its page](tiers/index.md) "
            "shows the whole table, and the Downloads page has it as CSV and JSON.*") in cut

    paper = guide._html(PROGRAM, ROOT / "content", "tiers/index.md", page)  # as the PDF has it
    assert [len(re.findall(r"<t[dh]\b", row)) for row in re.findall(r"<tr>.*?</tr>", paper, re.S)] == [
        guide.MOST_COLUMNS] * 4
    assert f"the first {guide.MOST_COLUMNS} of the table's 301 headings; the portal shows" in paper
    assert "Tier 6" in paper and "Tier 7" not in paper
    drawn = PdfReader(io.BytesIO(guide._draw(PROGRAM, [("Tiers", "tiers/index.md", paper)])))
    printed = " ".join(text_of(drawn, n) for n in range(len(drawn.pages)))
    assert "Tier 6" in printed and "Tier 7" not in printed and "of the table's 301 headings" in printed

    both = guide._shorter_markdown(page + "".join(page.splitlines(keepends=True)[2:]) * 30)
    assert both.count("|\n") == 2 + guide.MOST_ROWS and (
        f"The guide shows the first {guide.MOST_ROWS} of 93 lines and the first {guide.MOST_COLUMNS} of the table's "
        "301 headings; the portal shows") in both
