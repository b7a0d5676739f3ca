"""Building the site with MkDocs: every page kind from data, every table downloadable,
every threshold from one place, and data always shown as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import build, copy_project, edit, position_of


@pytest.fixture(scope="module")
def site(sample_site: Path) -> Path:
    return sample_site


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def test_every_page_kind_is_built_from_the_sample(site):
    built = set(pages(site))
    expected = {"index.html", "tiers/index.html", "tiers/silver/index.html", "tiers/gold/index.html",
                "tiers/platinum/index.html", "lifecycle/index.html", "journeys/index.html",
                "journeys/partner-onboarding/index.html", "journeys/customer-onboarding/index.html",
                "playbooks/index.html", "incentives/index.html", "renewal/index.html", "assessment/index.html",
                "glossary/index.html", "downloads/index.html", "program-team/data-dictionary/index.html",
                "whats-new/index.html", "changelog/index.html", "program-team/index.html"}
    expected |= {f"lifecycle/{s}/index.html" for s in ("land", "onboard", "adopt", "expand", "renew")}
    expected |= {f"playbooks/{s}/index.html" for s in ("land", "onboard", "adopt", "expand", "renew")}
    expected |= {f"incentives/{i}/index.html" for i in ("use-activation", "adopt", "expand", "adoption-rebate",
                                                        "renewal", "csat-points")}
    assert expected <= built
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 3 and 'href="https://partners.lumora.example/changelog/#release-2027-1"' in feed
    assert 'id="release-2027-1"' in pages(site)["changelog/index.html"]


def test_the_feed_sitemap_and_every_page_know_where_the_portal_is_published(site):
    """The feed's links work in a feed reader, the sitemap lists every page, and each page
    announces the feed to browsers and feed readers."""
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', feed)
    assert hrefs and all(h.startswith("https://partners.lumora.example/") for h in hrefs), hrefs
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>https://partners\.lumora\.example/([^<]*)</loc>", sitemap))
    served = {name.removesuffix("index.html") for name in pages(site) if name != "404.html"}
    assert listed == served
    announce = ('<link rel="alternate" type="application/atom+xml" title="Lumora Partner Success Program: program '
                'changes" href="/feed.xml">')
    assert all(announce in html for html in pages(site).values())


def test_the_name_and_logo_come_from_program_data(site):
    home = (site / "index.html").read_text()
    assert "<title>Lumora Partner Success Program</title>" in home
    assert 'src="assets/logo.svg"' in home


def test_every_table_has_headers_and_working_downloads(site):
    for name, html in pages(site).items():
        body = article(html) if "<article" in html else ""
        tables = body.count("<table>")
        if name in ("downloads/index.html", "program-team/index.html", "404.html"):  # lists of downloads
            continue
        assert body.count("<thead>") == tables, name
        links = re.findall(r'<a download(?:="")? href="([^"]+\.(?:csv|json|txt))"', body)
        files = [link for link in links if "/usage-report-sample." not in link and "-template." not in link]
        assert len(files) == 2 * tables, name  # a CSV and a JSON per table, and the files to fill in or try
        for link in links:
            assert (site / name).parent.joinpath(link).resolve().is_file(), f"{name}: {link}"


def test_no_page_loads_anything_from_another_site(site):
    for name, html in pages(site).items():
        loaded = [tag for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html) if 'rel="canonical"' not in tag]
        remote = [url for tag in loaded for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', tag)]
        assert remote == [], name


def test_the_lifecycle_is_drawn_without_a_diagram_library_and_every_stage_is_a_link(site):
    """Five boxes need a style sheet, not megabytes of script: the stages are an ordered
    list of links, in the data's order."""
    for name, html in pages(site).items():
        assert "mermaid" not in html.lower(), name
    flow = article((site / "lifecycle/index.html").read_text()).split('class="stage-flow"', 1)[1].split("</ol>")[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', flow) == [
        (f"{s.lower()}/", s) for s in ("Land", "Onboard", "Adopt", "Expand", "Renew")]


def test_worked_example_is_computed_from_the_rate_table(site):
    page = article((site / "incentives/adoption-rebate/index.html").read_text())
    assert "120,000 USD × 2.5% = <strong>3,000 USD</strong>" in page
    # The same words as the estimator's "rate that applies" (program_tables.rate_words).
    assert ("The rate that applies, from the incentive's rate table: Gold, 50,000 USD to 250,000 USD (not included): "
            "2.5%") in page
    assert "<code>incentives/" not in page  # partners read tiers, regions and bands, not file names


def test_a_threshold_changed_in_one_file_changes_every_page_that_shows_it(site, tmp_path):
    """The renewal-rate KPI target lives in kpis.yaml only. Lower it (raising it above the
    renewal incentive's threshold would break the kpi-threshold rule) and every page and
    download that showed it shows the new value, and nothing else changes."""

    def occurrences(root: Path, needle: str) -> dict[str, int]:
        found = {}
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".csv", ".json") and "search" not in path.parts:
                count = path.read_text(encoding="utf-8").count(needle)
                if count:
                    found[path.relative_to(root).as_posix()] = count
        return found

    before = occurrences(site, "at least 80%")
    project = copy_project(tmp_path)
    kpis = project / "program_data/kpis.yaml"
    text = kpis.read_text()
    block = text.index("  - id: renewal-rate")
    kpis.write_text(text[:block] + text[block:].replace("    target: 80\n", "    target: 77.5\n", 1))
    done = build(project)
    assert done.returncode == 0, done.stderr
    after_old = occurrences(project / "site", "at least 80%")
    after_new = occurrences(project / "site", "at least 77.5%")
    shown_on = {"glossary/index.html", "lifecycle/index.html", "lifecycle/renew/index.html", "program-guide/index.html",
                "downloads/kpis.csv", "downloads/kpis.json", "downloads/stage-renew-kpis.csv",
                "downloads/stage-renew-kpis.json"}
    assert set(after_new) == shown_on
    for page in shown_on:
        assert before[page] - after_old.get(page, 0) == after_new[page], page
    # Thresholds set elsewhere (tier requirements, incentive eligibility) keep their own values.
    assert {p: n for p, n in before.items() if p not in shown_on} == {
        p: n for p, n in after_old.items() if p not in shown_on}


def test_html_and_jinja_in_names_that_reach_the_theme_show_as_text(tmp_path):
    project = copy_project(tmp_path)
    edit(project / "program_data/program.yaml", "name: Lumora Partner Success Program",
         "name: \"</title><script>alert(1)</script> {{ 7*7 }}\"")
    edit(project / "program_data/tiers.yaml", "    name: Gold\n", "    name: \"<img src=x onerror=alert(2)>\"\n")
    edit(project / "program_data/tiers.yaml", "    name: Silver\n",
         "    name: \"S {{ cycler.__init__.__globals__.os.getcwd() }} {{ 7*7 }} {% raw %}\"\n")
    edit(project / "program_data/kpis.yaml", "    name: Renewal rate\n", "    name: \"Renewal {% if 1 %}rate\"\n")
    edit(project / "program_data/playbooks.yaml", "    name: Act on a renewal risk\n",
         "    name: \"Act on <b onmouseover=alert(3)>risk</b> & more\"\n")
    done = build(project)
    assert done.returncode == 0, done.stderr
    for name, html in pages(project / "site").items():
        assert "<script>alert(1)" not in html, name
        assert "<img src=x" not in html, name
        assert "<b onmouseover" not in html, name
    home = (project / "site/index.html").read_text()
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123; 7*7 &#125;&#125;</title>" in home
    silver = (project / "site/tiers/silver/index.html").read_text()
    assert str(project) not in silver and "S 49" not in silver  # no template ever ran on the name
    assert "<title>S ｛｛ cycler.__init__.__globals__.os.getcwd() ｝｝ ｛｛ 7*7 ｝｝ ｛％ raw ％｝ - " in silver
    gold = (project / "site/tiers/gold/index.html").read_text()
    assert "&lt;img src=x onerror=alert(2)&gt;" in gold
    assert "Renewal &#123;% if 1 %&#125;rate" in (project / "site/glossary/index.html").read_text()


def test_build_fails_when_program_data_has_errors(tmp_path):
    project = copy_project(tmp_path)
    edit(project / "program_data/tiers.yaml", "    rank: 2\n", "    rank: 2\n    rank: 3\n")
    line, column = position_of(project / "program_data/tiers.yaml", "rank: 3")
    done = build(project)
    assert done.returncode != 0
    assert f"program_data/tiers.yaml:{line}:{column}: duplicate-key" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "site" / "index.html").exists()


def test_a_content_page_cannot_hide_a_generated_page(tmp_path):
    project = copy_project(tmp_path)
    (project / "content/tiers/gold.md").write_text("# Gold, typed by hand\n")
    done = build(project)
    assert done.returncode != 0
    assert ("content/tiers/gold.md would hide the page generated from program data; to add words to that page, "
            "write them in content/templates/tier/gold.md instead") in done.stderr
    (project / "content/tiers/gold.md").unlink()
    (project / "content/program-guide.md").write_text("# Our guide\n")
    done = build(project)
    assert done.returncode != 0 and "content/program-guide.md would hide the program guide page" in done.stderr


# What belongs to program teams: data files, rate-table rows and column names.
INTERNAL = re.compile(r"program_data|\.csv\b|\.ya?ml\b|\bmin_\w+|\bmax_\w+|\brows? \d+ of\b|\bcolumns?\b")


def test_partner_pages_speak_of_tiers_regions_and_amounts_not_files_rows_or_columns(site):
    found = []
    for name, html in pages(site).items():
        if name.startswith("program-team/") or "<article" not in html:
            continue
        words = re.sub(r"<[^>]+>", " ", article(html))  # the text partners read, not the link targets
        if "usage-report" in name or name == "downloads/index.html":  # the partner's own report's rows, columns
            words = re.sub(r"\b(rows?|columns?)\b", "", words)
        found += [f"{name}: {words[max(0, m.start() - 40):m.end() + 20]!r}" for m in INTERNAL.finditer(words)]
    assert found == []


def test_the_glossary_defines_every_term_once_from_a_to_z(site):
    """Tiers, stages, models, specializations, incentives, journeys, deliverables, KPIs and
    roles, each once, in alphabetical order, under their letter."""
    html = article((site / "glossary/index.html").read_text())
    headings = re.findall(r"<h3[^>]*>(.*?)</h3>", re.sub(r'<a class="headerlink".*?</a>', "", html), re.S)
    terms = [re.sub(r"<[^>]+>", "", t).strip() for t in headings]
    assert terms == sorted(terms, key=str.casefold) and len(terms) == len(set(terms))
    for term in ("Gold", "Adopt", "Partner as sales agent", "Security", "Renewal incentive", "Customer onboarding",
                 "Customer success plan", "Renewal rate", "Customer success manager (CSM)", "Capability score",
                 "Partner of record"):
        assert term in terms, term
    letters = re.findall(r'<h2 id="letter-(\w+)"', html)
    assert letters == sorted(letters) and letters[0] == "a"
    assert html.count('id="role-customer-success-manager"') == 1 and "<table" not in html


def test_the_home_page_orients_a_partner_in_cards(site):
    """Where to start for each kind of partner, the tiers at a glance, what each incentive
    can pay, the tools, and the latest changes, as Material's grid cards, each card linked
    to its page and to the tool that answers its question."""
    home = article((site / "index.html").read_text())
    grids = re.findall(r'<div class="grid cards">(.*?)</div>\s*(?=<h2|$)', home, re.S)
    assert len(grids) == 4
    # A card opens with its title in bold.
    starts, tiers, earnings, tools = ([re.sub(r"<[^>]+>", "", c).strip() for c in g.split("<p><strong>")[1:]]
                                      for g in grids)
    assert len(starts) == 2 and "Start with: Partner onboarding, Customer onboarding." in starts[1]
    assert [t.split("\n")[0].strip() for t in tiers] == ["Silver", "Gold", "Platinum"]
    assert "Capability score: at least 80 points" in tiers[1] and "Opens 6 incentives." in tiers[1]
    for tier in ("silver", "gold", "platinum"):
        assert f'href="tools/tier-check/?aim={tier}"' in grids[1]
    assert len(earnings) == 6 and "Pays 2% to 4% of total contract value, quarterly." in earnings[3]
    assert 'href="tools/estimator/?incentive=adoption-rebate"' in grids[2]
    assert len(tools) == 5
    assert ("Version 2027.1 is in effect from 1 February 2027: 3 requirements raised, 4 changes new for partners or "
            'paying more, 1 other update. <a href="whats-new/">See what changed</a>.') in home


def test_partner_pages_write_every_date_one_way(site):
    """'1 February 2027', never '2027-02-01', on every page partners read."""
    for name, html in pages(site).items():
        if name.startswith("program-team/") or "<article" not in html:
            continue
        words = re.sub(r"<[^>]+>", " ", article(html))
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", words), name
        assert re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
                         r"December) 20\d\d\b", html), name  # the footer's date, at least


def test_search_finds_each_page_s_text_on_its_own_page_not_again_in_the_guide_page(site):
    """The program guide page holds the guide's pages again, to read or print at once; search
    leaves it out, so a search for a tier finds the tier's page once."""
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = {entry["location"].split("#")[0] for entry in index["docs"]}
    assert "program-guide/" not in found
    assert {"tiers/gold/", "incentives/adopt/", "glossary/"} <= found
