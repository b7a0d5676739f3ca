"""The program guide as one PDF: cover, contents, the guide's pages with their tables, and
the program's name and version on every page, from the same Markdown as the site."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from partner_portal.site import guide

from .conftest import ROOT, made_once
from .programs import sample_program
from .test_render import POISONED

PROGRAM = sample_program()


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    """The sample's guide, drawn once for the whole run."""

    def draw(folder: Path) -> None:
        folder.mkdir()
        (folder / "guide.pdf").write_bytes(guide.guide_pdf(PROGRAM, ROOT / "content"))

    return PdfReader(made_once(tmp_path_factory, "sample-guide", draw) / "guide.pdf")


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
    assert page.startswith("---\nrender_macros: false\n---\n\n# Program guide\n")
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
