"""Program teams own the words: pages are Markdown in content/, item pages come from
templates there, a new page joins the navigation without code, and every mistake in a
page fails the build naming `content/page.md:LINE:COL`, never with a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from partner_portal.site import pages
from partner_portal.site.fragments import reference

from .conftest import ROOT, build, copy_project, edit, made_once, position_of
from .programs import sample_program
from .test_site import article

README = (ROOT / "README.md").read_text(encoding="utf-8")
WORDS = README.split("## How to change the portal's words", 1)[1].split("\n## The portal\n", 1)[0]
# The README's own examples are what the tests build.
BLOCKS = [part.split("```", 1)[0] for part in WORDS.split("```markdown\n")[1:]]
FAQ, TEMPLATE_EXAMPLE, FRAMING_EXAMPLE = BLOCKS

INTRO = "To be recognised at {{ name('tier', item) }}, a partner meets every requirement below"
NEW_INTRO = "Here is what {{ name('tier', item) }} asks of you this year, every requirement counted"


def nav_links(html: str) -> list[str]:
    """The hrefs of the page's menus (tabs and sidebar), in order, without in-page anchors."""
    menus = html.split('<div class="md-content"', 1)[0].split('<div class="md-container"', 1)[-1]
    return [h for h in re.findall(r'href="([^"#]+)"', menus)]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, after a program team's pull request that touches no code: a new page
    with two macro calls and a link to a tier, a page in the tiers folder, a reworded
    intro in the tier template, and words for the Gold page alone; built once for the run."""
    return made_once(tmp_path_factory, "written", _write_and_build) / "site"


def _write_and_build(project: Path) -> None:
    copy_project(project)
    (project / "content/faq.md").write_text(FAQ, encoding="utf-8")
    (project / "content/tiers/why-gold-changed.md").write_text(
        "# Why Gold changed\n\nGold now asks for two customer success managers: {{ link('role', "
        "'customer-success-manager') }}.\n", encoding="utf-8")
    edit(project / "content/templates/tier.md", INTRO, NEW_INTRO)
    (project / "content/templates/tier").mkdir(exist_ok=True)
    (project / "content/templates/tier/gold.md").write_text(
        "!!! note \"Gold in 2027\"\n    Gold partners keep their tier while they hire a second "
        "{{ link('role', 'customer-success-manager') }}.\n", encoding="utf-8")
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_new_prose_page_with_macros_and_a_link_builds_into_the_navigation(written):
    faq = (written / "faq/index.html").read_text(encoding="utf-8")
    body = article(faq)
    assert "<h1" in body and "Questions partners ask" in body
    assert "Lumora Partner Success Program has these tiers" in body
    assert body.count("<table>") == 2  # the comparison and Gold's requirements
    assert 'href="../tiers/gold/"' in body
    home = (written / "index.html").read_text(encoding="utf-8")
    assert "./" in nav_links(faq) and "Questions partners ask" in faq.split('<div class="md-content"', 1)[0]
    glossary = nav_links((written / "glossary/index.html").read_text(encoding="utf-8"))
    assert glossary.index("../downloads/") < glossary.index("../faq/")  # Resources, after the listed pages
    assert "Questions partners ask" not in article(home)  # in the menu, not pasted into other pages


def test_a_new_page_in_a_section_folder_joins_that_section(written):
    gold = (written / "tiers/gold/index.html").read_text(encoding="utf-8")
    links = nav_links(gold)
    assert "../why-gold-changed/" in links
    assert links.index("../platinum/") < links.index("../why-gold-changed/")  # after the tiers themselves


def test_a_template_edit_shows_on_every_page_of_its_kind(written):
    for tier, name in (("silver", "Silver"), ("gold", "Gold"), ("platinum", "Platinum")):
        body = article((written / f"tiers/{tier}/index.html").read_text(encoding="utf-8"))
        assert f"Here is what {name} asks of you this year, every requirement counted" in body
        assert "To be recognised at" not in body
    stage = article((written / "lifecycle/adopt/index.html").read_text(encoding="utf-8"))
    assert "asks of you this year" not in stage  # only pages of that kind


def test_an_item_adds_its_own_words_next_to_the_template(written):
    gold = article((written / "tiers/gold/index.html").read_text(encoding="utf-8"))
    assert "Gold in 2027" in gold and 'href="../../glossary/#role-customer-success-manager"' in gold
    silver = article((written / "tiers/silver/index.html").read_text(encoding="utf-8"))
    assert "Gold in 2027" not in silver
    assert not (written / "templates").exists()  # templates are not pages


# `portal build`'s site step: build beside site/, and swap it in only on success.
BUILD = """import sys
from pathlib import Path
from partner_portal.site.build import BuildFailed, build_site
try:
    build_site(Path.cwd(), Path("site"))
except BuildFailed as exc:
    sys.exit(str(exc))
"""

MISTAKES = {
    "content/typo.md": "# Typo\n\nThe tiers:\n\n{{ tier_comparisn() }}\n",
    "content/syntax.md": "# Syntax\n\nGold asks:\n{{ tier_requirements('gold' }}\n",
    "content/unknown-id.md": "# Unknown id\n\nSee {{ tier_requirements('diamond') }}\n",
    "content/arguments.md": "# Arguments\n\n{{ tier_requirements() }}\n",
    "content/keyword.md": "# Keyword\n\n\n{{ tier_comparison(headng='## Tiers') }}\n",
    "content/bare-item.md": "# Bare item\n\n{{ name('tier', item) }}\n",
    "content/broken-link.md": "# Broken link\n\nSee [Diamond](tiers/diamond.md).\n",
    "content/no-brackets.md": "# No brackets\n\n{{ tier_comparison }}\n",
    "content/config.md": "# Config\n\n{{ config.site_dir }}\n",
    "content/filter.md": "# Filter\n\n{{ fact('vendor') | uppper }}\n",
    "content/open.md": "# Open\n\nGold asks:\n\n{{ tier_requirements('gold')\n\nMore words.\n",
    "content/if.md": "# If\n\n{% if true %}\n\nWords.\n",
    "content/curly.md": "# Curly\n\n{{ tier_requirements(\u2018gold\u2019) }}\n",
    "content/one-brace.md": "# One brace\n\n{ tier_comparison() }\n",
    "content/kind.md": "# Kind\n\n{{ link('incentives', 'adopt') }}\n",
    "content/zero.md": "# Zero\n\n{{ 1/0 }}\n",
    "content/front.md": "---\ntitle: [unclosed\n---\n\n# Front\n",
    "content/offset.md": "---\ntitle: Offset\n---\n\n{{ tier_requirements('ruby') }}\n",
    "content/untitled.md": "Some words first.\n\n# Late title\n",
    "content/named-id.md": "# Named id\n\n{{ tier_requirements(tier_id='gold') }}\n",
    "content/templates/tier/diamond.md": "Words for a tier the program does not have.\n",
    "content/templates/tiers/gold.md": "Words in a folder of no kind.\n",
    "content/templates/tier/gold.md": "Gold's own words, with a wrong id: {{ link('tier', 'goald') }}\n\n"
                                      "And a link to a tier that is not there: [Diamond](diamond.md).\n",
}


def test_every_mistake_in_a_page_names_its_place_and_nothing_is_published(tmp_path):
    project = copy_project(tmp_path)
    for path, text in MISTAKES.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text, encoding="utf-8")
    (project / "site").mkdir()
    (project / "site/index.html").write_text("the published site", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", BUILD], cwd=project, capture_output=True, text=True)
    assert done.returncode == 1
    errors = done.stderr
    assert "Traceback" not in errors and "jinja2" not in errors
    assert ("content/typo.md:5:4: tier_comparisn is not a macro; did you mean tier_comparison? the macros are "
            "listed in the README's \"Macros for pages\" and by `portal macros`") in errors
    assert "content/syntax.md:4:1: unexpected '}'" in errors
    assert ("content/unknown-id.md:3:8: there is no tier with the id 'diamond'; known tier ids: silver, gold, "
            "platinum") in errors
    assert ("content/arguments.md:3:4: tier_requirements() takes tier_id (0 given); for example "
            "{{ tier_requirements('gold') }}") in errors
    assert "content/keyword.md:4:4: tier_comparison() takes heading='...' and empty='...', not headng=" in errors
    assert "content/bare-item.md:3:17: item is not known on this page; write an id in quotes" in errors
    assert ("content/broken-link.md:3:15: the link 'tiers/diamond.md' goes to no page (it would be "
            "content/tiers/diamond.md)") in errors
    line, column = position_of(project / "content/templates/tier/gold.md", "diamond.md")
    assert (f"content/templates/tier/gold.md:{line}:{column}: the link 'diamond.md' goes to no page (it would be "
            "content/tiers/diamond.md)") in errors
    line, column = position_of(project / "content/templates/tier/gold.md", "link(")
    assert (f"content/templates/tier/gold.md:{line}:{column}: there is no tier with the id 'goald'; known tier ids: "
            "silver, gold, platinum") in errors
    assert errors.count("'goald'") == 1  # said once
    for expected in [
        "content/no-brackets.md:3:4: tier_comparison is a macro: call it with brackets, e.g. {{ tier_comparison() }}",
        "content/config.md:3:4: config is not known on this page",
        "content/filter.md:3:21: there is no filter called 'uppper'; a page holds text and macro calls",
        "content/open.md:5:1: '{{' is opened here and never closed with '}}'",
        "content/if.md:3:1: '{% if %}' is opened here and never closed with '{% endif %}'",
        "content/curly.md:3:22: a curly quote (\u2018 \u2019 \u201c \u201d) in a macro call; type straight quotes",
        "content/one-brace.md:3:1: tier_comparison() is written with one brace; write {{ tier_comparison() }}",
        "content/kind.md:3:4: 'incentives' is not a kind of item; did you mean 'incentive'?",
        "content/zero.md:3:1: this line cannot be shown (division by zero)",
        "content/front.md:2:8: the front matter is not valid YAML",
        "content/offset.md:5:4: there is no tier with the id 'ruby'",
        "content/untitled.md:1:1: a page starts with its title",
        "content/named-id.md:3:4: tier_requirements() takes its ids without their names: "
        "{{ tier_requirements('gold') }}, not tier_id=...",
        "content/templates/tier/diamond.md: no page shows it, because there is no tier with the id 'diamond'",
        "content/templates/tiers/gold.md: no page shows it; an item's own words go in a folder named after its "
        "template: tier/, stage/, journey/, plays/, incentive/",
    ]:
        assert expected in errors, expected
    said = "\n".join(line for line in errors.splitlines() if line.startswith(("ERROR", "WARNING")))
    assert "context" not in said and "define_env" not in said and "jinja" not in said.lower()
    assert "site/ was left as it was" in errors
    assert (project / "site/index.html").read_text(encoding="utf-8") == "the published site"


def test_a_missing_template_says_which_pages_need_it(tmp_path):
    project = copy_project(tmp_path)
    (project / "content/templates/journey.md").unlink()
    done = build(project)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "content/templates/journey.md is missing: every journey page is made from it" in done.stderr


def test_live_preview_shows_prose_data_and_new_pages(tmp_path):
    """`mkdocs serve` (what `make serve` runs) rebuilds when prose, a template or program
    data changes, and a new page appears in the menu."""
    project = copy_project(tmp_path)
    port = 8000 + os.getpid() % 1000
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=project, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"

    def wait_for(path: str, text: str) -> None:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if text in urllib.request.urlopen(base + path, timeout=5).read().decode():
                    return
            except OSError:
                pass
            time.sleep(0.3)
        server.terminate()
        raise AssertionError(f"{text!r} never appeared at {path}: {server.communicate(timeout=30)[1][-2000:]}")

    try:
        wait_for("tiers/gold/", "What you need")
        edit(project / "content/templates/tier.md", INTRO, NEW_INTRO)
        wait_for("tiers/gold/", "Here is what Gold asks of you this year")
        edit(project / "program_data/tiers.yaml", "name: Gold", "name: Gold Plus")
        wait_for("tiers/gold/", "Here is what Gold Plus asks of you this year")
        (project / "content/faq.md").write_text(FAQ, encoding="utf-8")
        wait_for("faq/", "Questions partners ask")
        wait_for("glossary/", "../faq/")  # the menu of its section
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_readme_template_example_is_the_tier_template():
    template = (ROOT / "content/templates/tier.md").read_text(encoding="utf-8")
    for line in TEMPLATE_EXAMPLE.splitlines():
        assert line in template.splitlines(), line


def test_the_readme_lists_every_macro():
    listed = README.split("<!-- macros -->\n", 1)[1].split("<!-- /macros -->", 1)[0]
    assert listed == reference(), "regenerate it with: portal macros --format markdown"


def test_the_readme_framing_examples_render():
    for line in FRAMING_EXAMPLE.splitlines():
        source = "{% set item = 'adopt' %}" + line
        assert pages.render(sample_program(), ROOT / "content", "lifecycle/adopt.md", source).strip()


def test_links_in_code_outside_the_site_or_to_files_are_not_pages():
    from partner_portal.site.page_check import broken_links

    source = ("See [a](https://example.com/x.md), [b](/abs.md), [c](../downloads/x.csv), `[d](nope.md)`,\n"
              "```\n[e](nope.md)\n```\n[f](glossary.md#kpi-x) and [g](nope.md#top).\n")
    found = broken_links(source, "content/faq.md", "faq.md", lambda p: p == "glossary.md")
    assert found == ["content/faq.md:5:32: the link 'nope.md#top' goes to no page (it would be content/nope.md); "
                     "link to an existing page, e.g. one in the menu"]


def test_an_include_of_a_missing_file_and_names_set_by_the_including_page():
    from jinja2 import Environment

    from partner_portal.site.page_check import problems

    files = {"templates/tier.md": "# {{ name('tier', item) }}\n{% include 'templates/gone.md' %}\n"}
    found = problems(Environment(), "{% set item = 'gold' %}{% include 'templates/tier.md' %}", "content/tiers/gold.md",
                     {"name"}, files.get)
    assert found == ["content/templates/tier.md:2:4: there is no content/templates/gone.md to include"]
