"""Page renderers: pure functions from program data to Markdown, tested without MkDocs.

Every data string is replaced by one holding HTML, Jinja and Markdown; every page
must show it as text."""

from __future__ import annotations

import copy
import re
from typing import Any

import markdown
import pytest

from partner_portal.check.schema_messages import ID_PATTERN
from partner_portal.model.program import Program
from partner_portal.site import escape, fragments, markup, pages
from partner_portal.site.fragments import FRAGMENTS
from partner_portal.site.fragments import releases as render_releases

from .conftest import ROOT
from .programs import sample_program

HOSTILE = "<script>alert(1)</script>{{ 7*7 }}{% raw %}*x*|[l](http://e)"
SAMPLE = sample_program()


def poison(value: Any) -> Any:
    """Prefix every free-text string (not ids, enums or dates) with HOSTILE."""
    if isinstance(value, dict):
        return {k: poison(v) for k, v in value.items()}
    if isinstance(value, list):
        return [poison(v) for v in value]
    if isinstance(value, str) and not re.match(ID_PATTERN, value) and " " in value:
        return HOSTILE + value
    return value


POISONED = Program(documents=poison(copy.deepcopy(dict(SAMPLE.documents))), tables=SAMPLE.tables,
                   schemas=SAMPLE.schemas, records=poison(copy.deepcopy(dict(SAMPLE.records))))


DOCS = ROOT / "content"


def every_page(program: Program) -> list[tuple[str, str]]:
    """(page path, Markdown source) of every page the site has: content/ and generated."""
    return list(pages.sources(program, DOCS))


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html", "admonition"])


def test_every_fragment_is_used_by_some_page_or_template():
    used = "\n".join(source for _, source in every_page(SAMPLE))
    used += "\n".join(p.read_text(encoding="utf-8") for p in (DOCS / "templates").glob("*.md"))
    unused = sorted(name for name in FRAGMENTS if not re.search(rf"\b{name}\(", used))
    assert unused == [], "every fragment is on some page, so every one is tested by the pages below"


@pytest.mark.parametrize("here, source", every_page(POISONED), ids=lambda v: v if v.endswith(".md") else "")
def test_data_is_shown_as_text_on_every_page(here, source):
    rendered = pages.render(POISONED, DOCS, here, source)
    assert "{{" not in rendered and "{%" not in rendered
    page = to_html(rendered)
    assert "<script>alert" not in page
    assert 'href="http://e"' not in page
    if not here.startswith("program-team/"):  # built from the schemas, not from program data
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("name", sorted(n for n, f in FRAGMENTS.items() if f.render is not None))
def test_every_fragment_example_renders(name):
    """The README's examples run: each fragment's example, on the sample program."""
    rendered = pages.render(SAMPLE, DOCS, "tiers/gold.md", "{{ " + FRAGMENTS[name].example + " }}")
    assert rendered.strip()


def test_text_escapes_markdown_html_and_template_syntax():
    assert escape.text("<b>{{ x }}</b> *y* [z](u)") == (
        "&lt;b&gt;&#123;&#123; x &#125;&#125;&lt;/b&gt; \\*y\\* \\[z\\]\\(u\\)"
    )


def test_pipes_and_newlines_in_a_value_stay_inside_one_table_cell():
    assert escape.text("two\nlines | pipe") == "two lines \\| pipe"
    program = Program(documents=copy.deepcopy(dict(SAMPLE.documents)), tables=SAMPLE.tables)
    program.documents["staffing.yaml"]["roles"][0]["summary"] = "first | second\nthird"
    html = to_html(fragments.resources.roles_table(program, markup.Links(program, "glossary.md")))
    row = re.search(r"<tr>\s*<td><a[^>]*>Customer success manager \(CSM\)</a></td>(.*?)</tr>", html, re.S).group(1)
    assert row.count("<td>") == 3 and "first | second third" in row


def test_links_are_relative_to_the_page():
    links = markup.Links(SAMPLE, "tiers/gold.md")
    assert links.href("kpi", "renewal-rate") == "../glossary.md#kpi-renewal-rate"
    assert links.href("tier", "platinum") == "platinum.md"
    assert links.href("play", "renewal-risk") == "../playbooks/renew.md#play-renewal-risk"
    assert markup.Links(SAMPLE, "glossary.md").href("kpi", "renewal-rate") == "#kpi-renewal-rate"


def test_an_unknown_id_is_an_error_naming_the_known_ids():
    with pytest.raises(LookupError, match="no tier with the id 'diamond'; known tier ids: silver, gold, platinum"):
        fragments.tiers.tier_requirements(SAMPLE, markup.Links(SAMPLE, "tiers/x.md"), "diamond")


@pytest.mark.parametrize("name, here", [("whats_new", "whats-new.md"), ("release_history", "changelog.md")])
def test_release_pages_show_data_as_text(name, here):
    assert len(SAMPLE.releases) >= 2, "the sample carries its release history"
    source = FRAGMENTS[name].call(POISONED, markup.Links(POISONED, here))
    assert "{{" not in source and "{%" not in source
    page = to_html(source)
    assert "<script>alert" not in page and 'href="http://e"' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    plain = to_html(FRAGMENTS[name].call(SAMPLE, markup.Links(SAMPLE, here)))
    assert "Gold partners need 2 × Customer success manager (CSM) (was 1)." in plain


def test_whats_new_groups_changes_by_what_they_mean_for_partners():
    page = render_releases.whats_new(SAMPLE, markup.Links(SAMPLE, "whats-new.md"))
    assert page.startswith("In effect from")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == ["## What you need to do", "## New for partners", "## Other updates"]
    assert "until 31 July 2027, Gold partners need only 1 person \\(the previous requirement\\)" in page


def test_the_feed_is_atom_with_one_entry_per_release_and_escaped_content():
    import xml.etree.ElementTree as ET

    feed = ET.fromstring(render_releases.atom_feed(POISONED))
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}id").text.rsplit(":", 1)[1] for e in entries] == ["2027.1", "2026.2", "2026.1"]
    assert entries[0].find(f"{atom}link").get("href") == "changelog/#release-2027-1"
    content = entries[0].find(f"{atom}content")
    assert content.get("type") == "html"
    assert "<script>" not in content.text and "&lt;script&gt;" in content.text
    assert feed.find(f"{atom}updated").text == "2026-11-02T00:00:00Z"
    absolute = ET.fromstring(render_releases.atom_feed(SAMPLE, "https://partners.example/portal/"))
    assert absolute.find(f"{atom}entry/{atom}link").get("href") == (
        "https://partners.example/portal/changelog/#release-2027-1")


def test_field_paths_wrap_only_after_a_dot_and_stay_escaped():
    assert markup.path_cell("scoring.points_per_rating") == "<code>scoring.<wbr>points_per_rating</code>"
    assert markup.path_cell("scale[].rating") == "<code>scale[].<wbr>rating</code>"
    assert markup.path_cell("a.<b>{{x}}") == "<code>a.<wbr>&lt;b&gt;&#123;&#123;x&#125;&#125;</code>"


def test_backticked_words_in_descriptions_are_code_and_everything_else_is_text():
    html = to_html(markup.prose_cell("Each is worth `points_per_rating` <b>{{ x }}</b> and `<script>`"))
    assert "<code>points_per_rating</code>" in html and "<code>&lt;script&gt;</code>" in html
    assert "<b>" not in html and "{{" not in html and "`" not in html
    assert "`" in to_html(markup.prose_cell("an unpaired ` backtick"))  # shown as written
