"""The site plan and downloads: pure functions, no MkDocs."""

from __future__ import annotations

import copy
import json

import yaml

from partner_portal.site import guide, program_tables, tables
from partner_portal.site import plan as site

from .conftest import ROOT
from .programs import sample_program

PROGRAM = sample_program()


def test_every_item_gets_a_generated_page():
    pages = {p.src_uri for p in site.generated_pages(PROGRAM)}
    expected = ({f"tiers/{t['id']}.md" for t in PROGRAM.tiers} | {f"lifecycle/{s['id']}.md" for s in PROGRAM.stages}
                | {f"journeys/{j['id']}.md" for j in PROGRAM.journeys}
                | {f"playbooks/{s['id']}.md" for s in PROGRAM.stages}
                | {f"incentives/{i['id']}.md" for i in PROGRAM.incentives})
    assert pages == expected


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml, with its `!!python/name:` tags read as plain strings and `!ENV` as its
    variable's default."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)
_ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
NAV = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)["nav"]
WRITTEN = sorted(p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*.md")
                 if not p.relative_to(ROOT / "content").as_posix().startswith("templates/")) + [guide.GUIDE_PAGE]


def nav_of(program, extra=()):
    generated = site.generated_pages(program)
    return site.navigation(NAV, [*WRITTEN, *extra, *(p.src_uri for p in generated)], generated)


def paths(entries):
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        yield from paths(value) if isinstance(value, list) else [value]


def test_navigation_is_in_sections_in_program_order():
    nav = nav_of(PROGRAM)
    assert [next(iter(entry)) for entry in nav] == [
        "Overview", "Tiers", "Lifecycle", "Journeys", "Playbooks", "Incentives", "Guides", "Tools", "Resources",
        "Program teams"]
    tiers = nav[1]["Tiers"]
    assert tiers[0] == "tiers/index.md"
    assert tiers[1:] == [{"Silver": "tiers/silver.md"}, {"Gold": "tiers/gold.md"}, {"Platinum": "tiers/platinum.md"}]
    stages = [next(iter(e.values())) for e in nav[2]["Lifecycle"][1:]]
    assert stages == [f"lifecycle/{s}.md" for s in ("land", "onboard", "adopt", "expand", "renew")]


def test_every_page_is_in_the_navigation_once():
    listed = list(paths(nav_of(PROGRAM)))
    assert sorted(listed) == sorted({*WRITTEN, *(p.src_uri for p in site.generated_pages(PROGRAM))})
    assert not any("*" in p for p in listed)


def test_a_new_page_goes_where_its_folder_is():
    nav = nav_of(PROGRAM, ["tiers/why-gold-changed.md", "faq.md", "events/index.md", "events/summit.md"])
    assert nav[1]["Tiers"][-1] == "tiers/why-gold-changed.md"  # after the generated tier pages
    assert nav[8]["Resources"][-1] == "faq.md"  # the top folder's `*` entry
    assert nav[-1] == {"Events": ["events/index.md", "events/summit.md"]}  # a folder no entry names


def test_without_a_nav_mkdocs_lists_the_pages_itself():
    assert site.navigation(None, WRITTEN, site.generated_pages(PROGRAM)) is None


def test_navigation_titles_from_data_are_escaped():
    program = copy.deepcopy(PROGRAM)  # changed here: the sample's own stays as it is
    program.documents["tiers.yaml"]["tiers"][0]["name"] = "<img src=x onerror=alert(1)>"
    titles = [next(iter(e)) for e in nav_of(program)[1]["Tiers"][1:]]
    assert titles[0] == "‹img src=x onerror=alert(1)›"


def test_generated_pages_are_their_template_with_the_item_set():
    gold = next(p for p in site.generated_pages(PROGRAM) if p.item == "gold")
    assert gold.markdown() == "{% set item = 'gold' %}{% include 'templates/tier.md' %}\n"
    assert {p.template for p in site.generated_pages(PROGRAM)} == {
        f"templates/{kind}.md" for kind in ("tier", "stage", "journey", "plays", "incentive")}
    assert all((ROOT / "content" / p.template).is_file() for p in site.generated_pages(PROGRAM))


def test_table_ids_are_unique_so_downloads_do_not_overwrite_each_other():
    ids = [t.id for t in site.all_tables(PROGRAM)]
    assert len(ids) == len(set(ids))


def test_every_table_downloads_as_csv_and_json():
    files = site.downloads(PROGRAM)
    # A CSV and a JSON per table, the success plan template and the sample usage report.
    assert len(files) == 2 * len(site.all_tables(PROGRAM)) + 2
    assert {"downloads/success-plan-template.txt", "downloads/usage-report-sample.csv"} <= set(files)
    data = json.loads(files["downloads/tier-comparison.json"])
    assert [c["label"] for c in data["columns"]] == ["Requirement", "Silver", "Gold", "Platinum"]
    assert data["rows"][0] == {"requirement": "Capability score (out of 100)", "silver": 70, "gold": 80,
                               "platinum": 90}
    # A byte-order mark first, so that Excel reads the names' accents and symbols as UTF-8.
    assert files["downloads/tier-comparison.csv"].splitlines()[0] == "\ufeffRequirement,Silver,Gold,Platinum"


def test_csv_downloads_neutralise_spreadsheet_formulas():
    table = tables.DataTable("t", "T", (tables.Column("a", "=A"), tables.Column("b", "B")),
                         ({"a": "=HYPERLINK(\"http://x\")", "b": "-12.5"}, {"a": "+1+1", "b": "@SUM(A1)"},
                          {"a": "-cmd", "b": "plain"}))
    lines = tables.to_csv(table).splitlines()
    assert lines == ["\ufeff'=A,B", "\"'=HYPERLINK(\"\"http://x\"\")\",-12.5", "'+1+1,'@SUM(A1)", "'-cmd,plain"]


def test_tier_comparison_matches_the_data():
    table = program_tables.tier_comparison(PROGRAM)
    row = next(r for r in table.rows if str(r["requirement"]) == "Renewal rate")
    assert (row["silver"], row["gold"], row["platinum"]) == ("at least 80%", "at least 85%", "at least 90%")


def test_words_no_page_would_show_are_found(tmp_path):
    docs = tmp_path / "content"
    (docs / "templates/stage/adopt").mkdir(parents=True)
    (docs / "templates/stage.md").write_text("# {{ name('stage', item) }}\n")  # no own_words() call
    (docs / "templates/stage/adopt.md").write_text("Adopt's own words.\n")
    (docs / "templates/stages.md").write_text("A template of no kind.\n")
    (docs / "templates/stage/adopt/more.md").write_text("Too deep.\n")
    assert sorted(site.template_problems(PROGRAM, docs)) == [
        "content/templates/stage/adopt.md: no page shows it, because content/templates/stage.md does not call "
        "{{ own_words('stage', item) }}",
        "content/templates/stage/adopt/more.md: no page shows it; own words go in content/templates/<kind>/<id>.md",
        "content/templates/stages.md: no page is made from it; the templates are tier.md, stage.md, journey.md, "
        "plays.md, incentive.md",
    ]
    assert site.template_problems(PROGRAM, ROOT / "content") == []


def test_partners_download_their_tables_and_program_teams_theirs():
    partner = {t.id for t in site.partner_tables(PROGRAM)}
    team = {t.id for t in site.team_tables(PROGRAM)}
    assert partner | team == {t.id for t in site.all_tables(PROGRAM)} and not partner & team
    assert "consistency-rules" in team and all(t.startswith("dictionary-") for t in team - {"consistency-rules"})
    assert {"tier-comparison", "kpis"} <= partner
