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
from partner_portal.site import escape, markup, pages
from partner_portal.site import release_pages as render_releases
from partner_portal.site import tool_pages as render_tools
from partner_portal.site.checked_program import load_program

from .conftest import ROOT

HOSTILE = "<script>alert(1)</script>{{ 7*7 }}{% raw %}*x*|[l](http://e)"
SAMPLE = load_program(ROOT)


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


def every_page(program: Program) -> list[tuple[str, str, tuple[str, ...]]]:
    """(macro, page path, ids) for every page the site has."""
    out = [(name, path, ()) for name, path in [
        ("program_home", "index.md"), ("tiers_index", "tiers/index.md"), ("lifecycle_index", "lifecycle/index.md"),
        ("journeys_index", "journeys/index.md"), ("playbooks_index", "playbooks/index.md"),
        ("incentives_index", "incentives/index.md"), ("renewal_page", "renewal.md"),
        ("assessment_page", "assessment.md"), ("glossary_page", "glossary.md"), ("downloads_page", "downloads.md"),
        ("data_dictionary_page", "data-dictionary.md"), ("guides_index", "guides/index.md"),
        ("practice_page", "guides/practice.md"), ("success_plan_page", "guides/success-plan.md"),
        ("usage_report_page", "guides/usage-report.md"), ("quarterly_review_page", "guides/quarterly-review.md"),
        ("program_structure_page", "guides/program.md")]]
    out += [("tier_page", f"tiers/{t['id']}.md", (t["id"],)) for t in program.tiers]
    out += [("stage_page", f"lifecycle/{s['id']}.md", (s["id"],)) for s in program.stages]
    out += [("stage_plays_page", f"playbooks/{s['id']}.md", (s["id"],)) for s in program.stages]
    out += [("journey_page", f"journeys/{j['id']}.md", (j["id"],)) for j in program.journeys]
    out += [("incentive_page", f"incentives/{i['id']}.md", (i["id"],)) for i in program.incentives]
    return out


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html", "admonition"])


def test_every_page_macro_is_covered():
    assert {name for name, _, _ in every_page(SAMPLE)} == set(pages.PAGE_MACROS)


@pytest.mark.parametrize("name, here, ids", every_page(POISONED), ids=lambda v: v if isinstance(v, str) else "")
def test_data_is_shown_as_text_on_every_page(name, here, ids):
    source = pages.PAGE_MACROS[name](POISONED, markup.Links(POISONED, here), *ids)
    assert "{{" not in source and "{%" not in source
    page = to_html(source)
    assert "<script>alert" not in page
    assert 'href="http://e"' not in page
    if name != "data_dictionary_page":  # built from the schemas, not from program data
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_text_escapes_markdown_html_and_template_syntax():
    assert escape.text("<b>{{ x }}</b> *y* [z](u)") == (
        "&lt;b&gt;&#123;&#123; x &#125;&#125;&lt;/b&gt; \\*y\\* \\[z\\]\\(u\\)"
    )


def test_pipes_and_newlines_in_a_value_stay_inside_one_table_cell():
    assert escape.text("two\nlines | pipe") == "two lines \\| pipe"
    program = Program(documents=copy.deepcopy(dict(SAMPLE.documents)), tables=SAMPLE.tables)
    program.documents["staffing.yaml"]["roles"][0]["summary"] = "first | second\nthird"
    html = to_html(pages.resources.glossary_page(program, markup.Links(program, "glossary.md")))
    row = re.search(r"<tr>\s*<td><a[^>]*>Customer success manager \(CSM\)</a></td>(.*?)</tr>", html, re.S).group(1)
    assert row.count("<td>") == 3 and "first | second third" in row


def test_mermaid_labels_cannot_break_out_of_the_diagram():
    assert pages.lifecycle._mermaid_label('A"] --> X[<b>') == "A#34;#93; #45;#45;#62; X#91;#60;b#62;"


def test_links_are_relative_to_the_page():
    links = markup.Links(SAMPLE, "tiers/gold.md")
    assert links.href("kpi", "renewal-rate") == "../glossary.md#kpi-renewal-rate"
    assert links.href("tier", "platinum") == "platinum.md"
    assert links.href("play", "renewal-risk") == "../playbooks/renew.md#play-renewal-risk"
    assert markup.Links(SAMPLE, "glossary.md").href("kpi", "renewal-rate") == "#kpi-renewal-rate"


def test_an_unknown_id_is_an_error_naming_the_known_ids():
    with pytest.raises(LookupError, match="no tier with the id 'diamond'; known tier ids: silver, gold, platinum"):
        pages.tiers.tier_page(SAMPLE, markup.Links(SAMPLE, "tiers/x.md"), "diamond")


@pytest.mark.parametrize("name", sorted(render_tools.TOOL_MACROS))
def test_tool_pages_show_data_as_text(name):
    here = {"partner_directory": "partners.md"}.get(name, f"tools/{name.removesuffix('_tool')}.md")
    source = render_tools.TOOL_MACROS[name](POISONED, markup.Links(POISONED, here))
    assert "{{" not in source and "{%" not in source
    page = to_html(source)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("name, here", [("whats_new_page", "whats-new.md"), ("changelog_page", "changelog.md")])
def test_release_pages_show_data_as_text(name, here):
    assert len(SAMPLE.releases) >= 2, "the sample carries its release history"
    source = render_releases.RELEASE_MACROS[name](POISONED, markup.Links(POISONED, here))
    assert "{{" not in source and "{%" not in source
    page = to_html(source)
    assert "<script>alert" not in page and 'href="http://e"' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    plain = to_html(render_releases.RELEASE_MACROS[name](SAMPLE, markup.Links(SAMPLE, here)))
    assert "Gold partners need 2 × Customer success manager (CSM) (was 1)." in plain


def test_whats_new_groups_changes_by_what_they_mean_for_partners():
    page = render_releases.whats_new_page(SAMPLE, markup.Links(SAMPLE, "whats-new.md"))
    assert page.startswith("# What's new in version 2027\\.1")
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
