"""The self-service tools in a real browser: the JavaScript calculations agree with the
Python ones on the same cases, built from the same data; forms have labels and work from
the keyboard; no console errors. Screenshots of each tool, light and dark."""

from __future__ import annotations

import json
import random
import re

import pytest

from partner_portal.model import assessment, self_service

from ..programs import sample_program
from .conftest import screenshot, switch_to_dark

PROGRAM = sample_program()
DAYS = ["2027-03-01", "2027-07-31", "2027-08-01"]  # during, on the last day of, and after the grace period
TOOL_PAGES = {"estimator": "tools/estimator/", "tier-check": "tools/tier-check/",
              "assessment": "tools/assessment/", "directory": "partners/", "usage-report": "tools/usage-report/"}


def estimator_cases(count: int = 40) -> list[dict]:
    chance = random.Random(7)
    specs = [s["id"] for s in PROGRAM.specializations]
    cases = []
    for _ in range(count):
        cases.append({
            "tier": chance.choice([t["id"] for t in PROGRAM.tiers]),
            "region": chance.choice([r["id"] for r in PROGRAM.regions]),
            "specializations": chance.sample(specs, chance.randint(0, len(specs))),
            "contract_value": chance.choice([None, 0, 49_999, 50_000, 120_000, 250_000, 1_000_001.5, 1e308]),
            "active_users": chance.choice([None, 10, 25, 99, 100, 650, 2000, 50_000]),
            "expansion_value": chance.choice([None, 10_000, 50_000, 123_456.78]),
            "renewed_value": chance.choice([None, 400_000, 1001]),
            "kpis": {k: v for k, v in {
                "active-usage-rate": chance.choice([None, 55, 60, 65.5, 90]),
                "user-expansion-rate": chance.choice([None, 5, 10, 12]),
                "renewal-rate": chance.choice([None, 79.9, 80, 85, 92, 100]),
                "csat-at-renewal": chance.choice([None, 4.1, 4.2, 4.4, 4.9, 5]),
            }.items() if v is not None},
        })
    return cases


def meeting(tier: dict) -> dict:
    """A partner that exactly meets `tier`'s requirements, and holds it."""
    req = tier["requirements"]
    return {"capability_points": req["capability_points"],
            "staffing": {s["role"]: s["count"] for s in req["staffing"]},
            "specializations": list(req.get("specializations", [])),
            "engagement_model": tier["engagement_models"][0],
            "kpis": {k["kpi"]: k["value"] for k in req.get("kpis", [])},
            "current_tier": tier["id"]}


def tier_cases(count: int = 30) -> list[tuple[dict, str]]:
    """(form, day) pairs: for each tier, a partner that exactly meets it, and one short of
    it in each requirement of each kind (points, every role, every specialization, every
    KPI in either direction, the engagement model), at it or not (a grace period holds
    only those at the tier), during and after the grace period; then random partners."""
    cases = []
    for tier in PROGRAM.tiers:
        exact = meeting(tier)
        variants = [exact, exact | {"capability_points": exact["capability_points"] - 1}]
        for role in exact["staffing"]:
            variants.append(exact | {"staffing": exact["staffing"] | {role: exact["staffing"][role] - 1}})
        for spec in exact["specializations"]:
            variants.append(exact | {"specializations": [s for s in exact["specializations"] if s != spec]})
        for kpi, value in exact["kpis"].items():
            direction = PROGRAM.get("kpi", kpi)["direction"]
            worse = value - 1 if direction == "at-least" else value + 1
            variants.append(exact | {"kpis": {k: v for k, v in exact["kpis"].items() if k != kpi}})
            variants.append(exact | {"kpis": exact["kpis"] | {kpi: worse}})
        variants.append(exact | {"engagement_model": "sales-agent"})
        variants.append(exact | {"engagement_model": ""})
        for form in variants:
            for holder in (tier["id"], None):
                for day in DAYS:
                    cases.append((form | {"current_tier": holder}, day))
    return cases + [(form, DAYS[n % 3]) for n, form in enumerate(random_tier_cases(count))]


def random_tier_cases(count: int) -> list[dict]:
    chance = random.Random(11)
    roles = ["customer-success-manager", "renewals-manager", "practice-leader", "executive-sponsor"]
    return [{
        "current_tier": chance.choice([None, "silver", "gold", "platinum"]),
        "capability_points": chance.choice([0, 69, 70, 80, 85, 90, 100]),
        "staffing": {r: chance.randint(0, 3) for r in roles},
        "specializations": chance.sample(["customer-success", "customer-experience"], chance.randint(0, 2)),
        "engagement_model": chance.choice(["", "sales-agent", "cs-manager"]),
        "kpis": {k: v for k, v in {
            "renewal-rate": chance.choice([None, 79, 80, 85, 90, 95]),
            "net-new-customers": chance.choice([None, 1, 2, 4, 6]),
            "active-usage-rate": chance.choice([None, 59, 60, 70]),
            "csat-at-renewal": chance.choice([None, 4.2, 4.4]),
            "time-to-onboard": chance.choice([None, 25, 30, 31]),
        }.items() if v is not None},
    } for _ in range(count)]


def assessment_cases(count: int = 25) -> list[dict]:
    chance = random.Random(3)
    cases = []
    for n in range(count):
        gaps = n % 5 == 0  # every fifth case leaves some elements unanswered
        cases.append({s["id"]: [None if gaps and chance.random() < 0.2 else chance.randint(1, 5)
                                for _ in s["elements"]] for s in PROGRAM.assessment["sections"]})
    cases.append({s["id"]: [1] * len(s["elements"]) for s in PROGRAM.assessment["sections"]})
    cases.append({s["id"]: [5] * len(s["elements"]) for s in PROGRAM.assessment["sections"]})
    return cases


def open_tool(tabs, site_url, tool):
    page = tabs.open()
    page.goto(site_url + TOOL_PAGES[tool], wait_until="networkidle")
    page.wait_for_selector(f"[data-portal-tool='{tool}'][data-ready='true']", timeout=10_000)
    return page


def test_estimator_agrees_with_python(tabs, site_url):
    page = open_tool(tabs, site_url, "estimator")
    cases = estimator_cases()
    incentive_ids = [i["id"] for i in PROGRAM.incentives]
    js = page.evaluate("""async ([cases, ids]) => {
        const data = await (await fetch(document.querySelector('[data-tools]').dataset.tools)).json();
        return cases.map(form => ids.map(id => PortalTools.estimate(data, id, form)));
    }""", [cases, incentive_ids])
    compared = 0
    for form, results in zip(cases, js, strict=True):
        for incentive_id, browser in zip(incentive_ids, results, strict=True):
            python = self_service.estimate_from_form(PROGRAM, incentive_id, form)
            assert browser["eligible"] == python.eligible, (form, incentive_id, browser, python)
            assert list(browser["reasons"]) == list(python.reasons), (form, incentive_id)
            if python.eligible:
                assert (browser["row"], browser["payout"], browser["unit"]) == (python.row, python.payout, python.unit)
            compared += 1
    assert compared >= 20 * len(incentive_ids)
    assert sum(1 for f, r in zip(cases, js, strict=True) for x in r if x["eligible"]) >= 20  # not all refusals
    assert tabs.console_errors == []


def test_tier_check_agrees_with_python(tabs, site_url):
    page = open_tool(tabs, site_url, "tier-check")
    # Every case as the tier check page sees it, and as each tier's page asks it (?aim=).
    aims = [None] + [t["id"] for t in PROGRAM.tiers]
    cases = [(form, day, aims[n % len(aims)]) for n, (form, day) in enumerate(tier_cases())]
    js = page.evaluate("""async (cases) => {
        const data = await (await fetch(document.querySelector('[data-tools]').dataset.tools)).json();
        return cases.map(([form, day, aim]) => PortalTools.tierCheck(data, form, day, aim));
    }""", cases)
    for (form, day, aim), browser in zip(cases, js, strict=True):
        assert browser == self_service.tier_check(PROGRAM, form, on=day, aim=aim), (form, day, aim)
    assert any(b.get("aim", {}).get("missing") for b in js) and any(b.get("aim") == {"tier": b["aim"]["tier"],
                                                                                     "missing": []} for b in js
                                                                    if "aim" in b)
    assert len({b["qualifies"] for b in js}) >= 3  # the cases reach different tiers
    assert sum(1 for b in js if b["grace"]) >= 2  # and some keep their tier under a grace period
    assert any("at most 30 days" in gap for b in js for gap in b["missing"])  # a KPI where less is better


def test_the_tier_check_keeps_a_gold_partner_with_one_csm_at_gold_as_the_pages_say(tabs, site_url):
    """The tier page and What's new say Gold partners with one customer success manager
    keep Gold until the grace period ends; the tier check (and the roster rule) agree."""
    page = open_tool(tabs, site_url, "tier-check")
    page.select_option("#current_tier", "gold")
    gold = meeting(PROGRAM.get("tier", "gold"))
    page.locator("#capability_points").fill(str(gold["capability_points"]))
    for role, count in gold["staffing"].items():
        page.locator(f"#staff-{role}").fill(str(1 if role == "customer-success-manager" else count))
    for spec in gold["specializations"]:
        page.locator(f"input[name='specializations'][value='{spec}']").check()
    for kpi, value in gold["kpis"].items():
        page.locator(f"#kpi-{kpi}").fill(str(value))
    days_left = page.evaluate("() => new Date().toISOString().slice(0, 10) <= '2027-07-31'")
    qualifies = page.locator("[data-qualifies]").get_attribute("data-qualifies")
    assert qualifies == ("gold" if days_left else "silver")
    screenshot(page, "tool-tier-check-grace")
    if days_left:
        assert "until 31 July 2027, Gold partners need only 1 person" in page.locator("[data-grace]").inner_text()
        tier_page = tabs.open()
        tier_page.goto(site_url + "tiers/gold/", wait_until="networkidle")
        assert "until 31 July 2027, Gold partners need only 1 person" in tier_page.locator("article").inner_text()
        whats_new = tabs.open()
        whats_new.goto(site_url + "whats-new/", wait_until="networkidle")
        assert "until 31 July 2027, Gold partners need only 1 person" in whats_new.locator("article").inner_text()
    assert tabs.console_errors == []


def test_a_tier_page_asks_the_tier_check_about_its_own_tier(tabs, site_url):
    """From Platinum's page, a partner that qualifies for nothing yet sees what Silver (the
    next tier) asks and, linked, what Platinum asks."""
    page = tabs.open()
    page.goto(site_url + "tiers/platinum/", wait_until="networkidle")
    page.locator("article a", has_text="tier check").first.click()
    page.wait_for_selector("[data-ready=true]")
    assert page.url.endswith("tier-check/?aim=platinum")
    aimed = page.locator("p[data-aim=platinum]")
    assert aimed.inner_text() == "For Platinum you still need:"
    assert aimed.locator("a").get_attribute("href").endswith("tiers/platinum/")
    missing = page.locator("[data-aim-missing] li").all_inner_texts()
    assert missing == self_service.tier_check(PROGRAM, {}, aim="platinum")["aim"]["missing"] and len(missing) >= 5
    assert tabs.console_errors == []


def test_assessment_agrees_with_python(tabs, site_url):
    page = open_tool(tabs, site_url, "assessment")
    cases = assessment_cases()
    js = page.evaluate("""async (cases) => {
        const data = await (await fetch(document.querySelector('[data-tools]').dataset.tools)).json();
        return cases.map(ratings => PortalTools.assessmentScore(data, ratings));
    }""", cases)
    for ratings, browser in zip(cases, js, strict=True):
        assert browser == assessment.score(PROGRAM.assessment, ratings)
    assert js[-1]["total"] == 500 and js[-2]["total"] == 100


@pytest.mark.parametrize("tool", TOOL_PAGES)
def test_every_input_has_a_label(tabs, site_url, tool):
    page = open_tool(tabs, site_url, tool)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('.portal-tool input, .portal-tool select')]
        .filter(i => !(i.labels && i.labels.length) && !i.getAttribute('aria-label')).map(i => i.name)""")
    assert unlabelled == []


def test_estimator_works_from_the_keyboard(tabs, site_url):
    page = open_tool(tabs, site_url, "estimator")
    page.locator("#tier").focus()
    page.keyboard.press("ArrowDown")  # Silver -> Gold
    page.keyboard.press("Tab")  # region
    page.keyboard.press("Tab")  # first specialization
    page.keyboard.press("Space")
    for _ in range(len(PROGRAM.specializations)):  # past the other specializations, to the contract value
        page.keyboard.press("Tab")
    page.keyboard.type("120000")  # contract value
    result = page.locator("[data-incentive-result='adoption-rebate'] .portal-payout")
    assert result.inner_text() == "Estimated: 3,000 USD, paid quarterly."
    rule = page.locator("[data-incentive-result='adoption-rebate'] .portal-rule").inner_text()
    assert rule == "The rate that applies: Gold, 50,000 USD to 250,000 USD (not included): 2.5%."
    assert tabs.console_errors == []


# What only program teams see: files, rows and columns of the rate tables.
INTERNAL = re.compile(r"\.csv|\brows?\b|\bcolumns?\b|\btable\b|\w_\w|min_|max_")


def test_estimator_results_speak_of_tiers_regions_and_amounts(tabs, site_url):
    page = open_tool(tabs, site_url, "estimator")
    assert ("enter your active users in production"
            in page.locator("[data-incentive-result='use-activation']").inner_text())
    page.select_option("#tier", "silver")
    page.fill("#active_users", "20")
    assert ("needs your active users in production of at least 25"
            in page.locator("[data-incentive-result='use-activation']").inner_text())
    for case in estimator_cases():
        for incentive in PROGRAM.incentives:
            for reason in self_service.estimate_from_form(PROGRAM, incentive["id"], case).reasons:
                assert not INTERNAL.search(reason), reason
    shown = page.locator("[data-results]").inner_text()
    assert not INTERNAL.search(shown), shown
    assert tabs.console_errors == []


def test_assessment_keeps_answers_and_exports(tabs, site_url):
    page = open_tool(tabs, site_url, "assessment")
    page.locator("input[name='strategy-and-roles-0'][value='4']").check()
    page.locator("input[name='strategy-and-roles-1']").first.focus()
    page.keyboard.press("ArrowRight")  # radio groups move with arrow keys
    assert page.locator("[data-subtotal='strategy-and-roles']").inner_text().startswith(
        "Partner strategy and roles: 12 of 100")
    page.reload(wait_until="networkidle")
    page.wait_for_selector("[data-portal-tool='assessment'][data-ready='true']")
    assert page.locator("input[name='strategy-and-roles-0'][value='4']").is_checked()
    with page.expect_download() as download:
        page.locator("[data-action='export-json']").click()
    exported = json.loads(download.value.path().read_text())
    assert exported["ratings"]["strategy-and-roles"][:2] == [4, 2]
    with page.expect_download() as download:
        page.locator("[data-action='export-csv']").click()
    lines = download.value.path().read_text().splitlines()
    sections = len(PROGRAM.assessment["sections"])
    assert lines[0] == "section,element,rating" and len(lines) == 51 + sections + 1  # and the section totals, total
    assert lines[-1].startswith('"All sections","Total (points)",')
    page.once("dialog", lambda dialog: dialog.dismiss())  # clearing answers asks first; no, keep them
    page.locator("[data-action='reset']").click()
    assert page.locator("input[name='strategy-and-roles-0'][value='4']").is_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-action='reset']").click()
    assert not page.locator("input[name='strategy-and-roles-0'][value='4']").is_checked()
    assert tabs.console_errors == []


def test_every_tool_result_links_back_to_the_page_of_its_rule(tabs, site_url):
    """The estimator's results lead to each incentive's page, the tier check's to the tier's,
    the self-assessment's to the assessment's scoring and bands; each link opens its page."""
    found = {}
    page = open_tool(tabs, site_url, "estimator")
    found["estimator"] = page.locator("[data-incentive-result] h3 a").evaluate_all("as => as.map(a => a.href)")
    assert [h.rstrip("/").rsplit("/", 1)[-1] for h in found["estimator"]] == [i["id"] for i in PROGRAM.incentives]
    page = open_tool(tabs, site_url, "tier-check")
    found["tier-check"] = page.locator("[data-results] a").evaluate_all("as => as.map(a => a.href)")
    assert found["tier-check"] and all("/tiers/" in h for h in found["tier-check"])
    page = open_tool(tabs, site_url, "assessment")
    found["assessment"] = page.locator("[data-rule] a").evaluate_all("as => as.map(a => a.href)")
    assert [h[len(site_url):] for h in found["assessment"]] == ["assessment/"]
    for href in {h for hrefs in found.values() for h in hrefs}:
        assert page.request.get(href).status == 200, href  # the page is there
    assert tabs.console_errors == []


def test_directory_filters_and_searches(tabs, site_url):
    page = open_tool(tabs, site_url, "directory")
    listed = len(PROGRAM.tables["partners/roster.csv"])
    assert page.locator("[data-count]").inner_text() == f"{listed} partners"
    assert page.locator(".portal-partner").count() == 50  # paged, not all at once
    page.select_option("#tier", "platinum")
    page.select_option("#region", "emea")
    frame = PROGRAM.tables["partners/roster.csv"]
    expected = int(((frame["tier"] == "platinum") & frame["regions"].str.contains("emea")).sum())
    assert page.locator("[data-count]").inner_text().startswith(f"{expected} partner")
    page.locator("#q").fill("zzz-no-such-partner")
    assert page.locator("[data-count]").inner_text() == "0 partners"
    assert page.locator(".portal-empty").inner_text().startswith("No partner matches this search and these filters.")
    page.click("[data-action=clear]")
    assert page.locator("[data-count]").inner_text() == f"{listed} partners"
    assert page.url.endswith("/partners/")
    assert tabs.console_errors == []


def _directory_words(row) -> str:
    """What the directory's search reads of a roster row: name, id, tier, model, regions and
    specializations by name."""
    names = [row["name"], row["id"], PROGRAM.name("tier", row["tier"]), PROGRAM.name("model", row["engagement_model"])]
    names += [PROGRAM.name("region", r) for r in row["regions"].split(";") if r]
    names += [PROGRAM.name("specialization", s) for s in str(row["specializations"] or "").split(";") if s]
    return " ".join(names).lower()


def test_directory_searches_beyond_names_and_keeps_its_filters_on_reload(tabs, site_url):
    """Words match a partner's name, tier, model, regions or specializations, all of them;
    the search and filters are in the address, so a reload or a shared link keeps them."""
    page = open_tool(tabs, site_url, "directory")
    frame = PROGRAM.tables["partners/roster.csv"].fillna("")
    words = frame.apply(_directory_words, axis=1)
    page.locator("#q").fill("experience latin")
    found = words.str.contains("experience") & words.str.contains("latin")
    assert found.sum() > 0 and (found & ~frame["name"].str.lower().str.contains("latin")).any()
    assert page.locator("[data-count]").inner_text().startswith(f"{int(found.sum())} partner")
    page.select_option("#tier", "gold")
    assert page.url.endswith("/partners/?q=experience+latin&tier=gold")
    page.reload(wait_until="networkidle")
    page.wait_for_selector("[data-ready=true]")
    assert page.locator("#q").input_value() == "experience latin" and page.locator("#tier").input_value() == "gold"
    both = int((found & (frame["tier"] == "gold")).sum())
    assert page.locator("[data-count]").inner_text().startswith(f"{both} partner")
    assert "Customer Experience" in page.locator(".portal-partner__specializations").first.inner_text()
    assert tabs.console_errors == []


def test_lifecycle_role_switch_shows_one_model(tabs, site_url):
    page = tabs.open()
    page.goto(site_url + "lifecycle/land/", wait_until="networkidle")
    page.locator("[data-role-switch] input[value='sales-agent']").check()
    assert page.locator(".portal-party[data-party='sales-agent']").is_visible()
    assert not page.locator(".portal-party[data-party='cs-manager']").is_visible()
    assert page.locator(".portal-party[data-party='vendor']").is_visible()
    page.locator("[data-role-switch] input[value='all']").check()
    assert page.locator(".portal-party[data-party='cs-manager']").is_visible()


@pytest.mark.parametrize("tool", TOOL_PAGES)
def test_tool_screenshots_light_and_dark(tabs, site_url, tool, axe):
    """Each tool with an answer showing, in light, then in dark by the header's scheme switch
    (the answer stays): screenshots, and nothing serious for axe (in dark, its colour rules
    and the header)."""
    page = open_tool(tabs, site_url, tool)
    if tool == "estimator":
        page.select_option("#tier", "gold")
        page.locator("#contract_value").fill("120000")
    if tool == "usage-report":
        page.click("[data-action=sample]")
        page.wait_for_selector("[data-portal-tool='usage-report'][data-checked='true']")
    for scheme in ("light", "dark"):
        if scheme == "dark":
            switch_to_dark(page)
        screenshot(page, f"tool-{tool}-{scheme}")
        assert axe.serious(page, recoloured=scheme == "dark") == [], scheme
    assert tabs.console_errors == []


def test_pages_open_the_tools_with_what_they_know(tabs, site_url):
    page = tabs.open()
    page.goto(site_url + "tiers/gold/", wait_until="networkidle")
    page.locator("article a[href$='estimator/?tier=gold']").click()
    page.wait_for_selector("[data-portal-tool='estimator'][data-ready='true']")
    assert page.locator("#tier").input_value() == "gold"
    page.goto(site_url + "incentives/adopt/", wait_until="networkidle")
    page.locator("article a[href$='estimator/?incentive=adopt']").click()
    page.wait_for_selector("[data-portal-tool='estimator'][data-ready='true']")
    first = page.locator("[data-incentive-result]").first
    assert first.get_attribute("data-incentive-result") == "adopt"
    assert "portal-result--asked" in first.get_attribute("class")
    page.goto(site_url + "tools/estimator/?tier=platinum&region=emea&contract_value=80000", wait_until="networkidle")
    page.wait_for_selector("[data-portal-tool='estimator'][data-ready='true']")
    assert page.locator("#region").input_value() == "emea" and page.locator("#contract_value").input_value() == "80000"
    for path in ("", "tiers/gold/", "incentives/adopt/", "assessment/"):
        page.goto(site_url + path, wait_until="networkidle")
        assert page.locator("article a[href*='tools/']").count() >= 1, f"{path or 'home'} links to a tool"
    assert tabs.console_errors == []


@pytest.mark.parametrize("field, wrong, says", [
    ("contract_value", "-5000", "Enter a number of 0 or more."),
    ("kpi-active-usage-rate", "150", "Enter a number from 0 to 100."),
    ("kpi-csat-at-renewal", "6", "Enter a number from 1 to 5."),
])
def test_a_value_outside_its_range_is_said_next_to_the_field_and_not_used(tabs, site_url, field, wrong, says):
    page = open_tool(tabs, site_url, "estimator")
    page.select_option("#tier", "gold")
    total = page.locator(".portal-total").inner_text()
    page.fill(f"#{field}", wrong)
    note = page.locator(f"#{field}-error")
    assert note.is_visible() and note.inner_text() == says
    assert page.locator(f"#{field}").get_attribute("aria-invalid") is not None
    assert page.locator(".portal-total").inner_text() == total  # the value is not used
    page.fill(f"#{field}", "")
    assert not note.is_visible()
    assert tabs.console_errors == []


def test_estimator_totals_by_how_often_it_pays_and_stays_beside_the_form(tabs, site_url):
    page = tabs.open(viewport={"width": 1600, "height": 900})
    page.goto(site_url + "tools/estimator/?tier=gold&region=emea&contract_value=120000&renewed_value=400000"
              "&kpi-renewal-rate=92", wait_until="networkidle")
    page.wait_for_selector("[data-portal-tool='estimator'][data-ready='true']")
    total = page.locator(".portal-total").inner_text()
    assert "paid quarterly" in total and "paid annually" in total
    form, results = page.locator(".portal-tool form").bounding_box(), page.locator("[data-results]").bounding_box()
    assert results["x"] > form["x"] + form["width"] - 1 and results["y"] < form["y"] + 200  # beside, not below
    assert tabs.console_errors == []


def test_the_assessment_counts_what_is_left_in_words(tabs, site_url):
    page = open_tool(tabs, site_url, "assessment")
    page.evaluate("""() => {
        const groups = [...new Set([...document.querySelectorAll('.portal-rating input')].map(i => i.name))];
        groups.slice(1).forEach(name => { document.querySelector(`input[name="${name}"][value="3"]`).checked = true; });
        document.querySelector('[data-portal-tool="assessment"] form').dispatchEvent(new Event('change'));
    }""")
    assert page.locator("[data-band]").inner_text() == "1 element still to rate."
    assert tabs.console_errors == []
