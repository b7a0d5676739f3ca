"""The built portal in a real browser: pages render their tables and diagrams, search
finds a KPI, nothing errors in the console, and axe finds no serious accessibility
problems. Screenshots of every key page, light and dark, go to test-artifacts/."""

from __future__ import annotations

import re

import pytest

from .conftest import screenshot

# Material draws Mermaid diagrams into a closed shadow root: from outside, a drawn diagram
# is the `pre.mermaid` source block replaced by a `div.mermaid` of the diagram's size.
DIAGRAM_DRAWN = ("() => [...document.querySelectorAll('.mermaid')].every("
                 "m => m.tagName === 'DIV' && m.getBoundingClientRect().height > 30)")


def wait_for_diagrams(tab) -> None:
    tab.wait_for_function(DIAGRAM_DRAWN, timeout=10_000)

KEY_PAGES = {
    "home": "",
    "tiers": "tiers/",
    "tier-gold": "tiers/gold/",
    "lifecycle": "lifecycle/",
    "stage-adopt": "lifecycle/adopt/",
    "journey-customer-onboarding": "journeys/customer-onboarding/",
    "plays-renew": "playbooks/renew/",
    "plays-adopt": "playbooks/adopt/",
    "incentive-adoption-rebate": "incentives/adoption-rebate/",
    "renewal": "renewal/",
    "assessment": "assessment/",
    "glossary": "glossary/",
    "data-dictionary": "program-team/data-dictionary/",
    "whats-new": "whats-new/",
    "changelog": "changelog/",
}


@pytest.mark.parametrize("name, path", KEY_PAGES.items(), ids=list(KEY_PAGES))
def test_key_page_renders_in_light_and_dark_without_console_errors(tabs, site_url, name, path):
    for scheme in ("light", "dark"):
        page = tabs.open(color_scheme=scheme)
        page.goto(site_url + path, wait_until="networkidle")
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        assert page.locator("article h1").count() == 1
        for table in page.locator("article table").all():
            assert table.locator("thead th").count() >= 2
            assert table.locator("tbody tr").count() >= 1
        if path == "lifecycle/":
            wait_for_diagrams(page)
        screenshot(page, f"{name}-{scheme}")
    assert tabs.console_errors == []


def test_lifecycle_diagram_is_drawn_and_has_a_text_alternative(page, site_url):
    page.goto(site_url + "lifecycle/", wait_until="networkidle")
    wait_for_diagrams(page)
    figure = page.locator("figure.portal-diagram")
    assert figure.locator(".mermaid").bounding_box()["width"] > 300
    caption = figure.locator("figcaption").inner_text()
    assert "Land, then Onboard, then Adopt, then Expand, then Renew" in caption
    assert page.console_errors == []


def test_journey_timeline_shows_every_step(page, site_url):
    page.goto(site_url + "journeys/customer-onboarding/", wait_until="networkidle")
    bars = page.locator(".portal-timeline li")
    assert bars.count() == 8
    first = page.locator(".portal-timeline__bar").first.bounding_box()
    last = page.locator(".portal-timeline__bar").last.bounding_box()
    assert last["x"] > first["x"]  # later steps start further right


def test_search_finds_a_kpi_by_name(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Active usage rate", delay=20)  # the theme searches on key events
    first = page.locator(".md-search-result__item").first
    first.wait_for(timeout=10_000)
    assert "Active usage rate" in first.inner_text()
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result a").all()]
    assert any("/glossary/" in h and h.endswith("#kpi-active-usage-rate") for h in hrefs[:3])
    screenshot(page, "search-kpi")
    assert page.console_errors == []


def test_table_downloads_are_served(page, site_url):
    page.goto(site_url + "tiers/", wait_until="networkidle")
    link = page.locator("a[download][href$='tier-comparison.csv']")
    response = page.request.get(site_url + "tiers/" + link.get_attribute("href"))
    assert response.ok
    assert response.body().startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    assert response.text().lstrip("\ufeff").splitlines()[0] == "Requirement,Silver,Gold,Platinum"


def test_print_layout_shows_the_content_only(page, site_url):
    page.emulate_media(media="print")
    page.goto(site_url + "tiers/gold/", wait_until="networkidle")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-header").is_visible()
    assert page.locator("article table").first.is_visible()
    screenshot(page, "tier-gold-print")


@pytest.mark.parametrize("name, path", KEY_PAGES.items(), ids=list(KEY_PAGES))
def test_no_serious_accessibility_violations(tabs, site_url, axe_source, name, path):
    serious = []
    for scheme in ("light", "dark"):
        page = tabs.open(color_scheme=scheme)
        page.goto(site_url + path, wait_until="networkidle")
        if path == "lifecycle/":
            wait_for_diagrams(page)
        page.add_script_tag(content=axe_source)
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious += [f"{scheme}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                    for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


# Every page kind, as a partner sees it on a 1280 px screen and a 390 px phone.
PHONE_PAGES = KEY_PAGES | {
    "journey-partner-onboarding": "journeys/partner-onboarding/",
    "incentives": "incentives/",
    "downloads": "downloads/",
    "guide-practice": "guides/practice/",
    "guide-usage-report": "guides/usage-report/",
    "guide-program": "guides/program/",
    "estimator": "tools/estimator/",
    "tier-check": "tools/tier-check/",
    "self-assessment": "tools/assessment/",
    "usage-report-check": "tools/usage-report/",
    "partners": "partners/",
}
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('article *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.md-typeset__scrollwrap'))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className)"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name, path", PHONE_PAGES.items(), ids=list(PHONE_PAGES))
def test_no_page_scrolls_sideways_and_axe_finds_nothing_serious(tabs, site_url, axe_source, name, path, width):
    found = []
    for scheme in ("light", "dark"):
        page = tabs.open(color_scheme=scheme, viewport={"width": width, "height": 844})
        page.goto(site_url + path, wait_until="networkidle")
        if path == "lifecycle/":
            wait_for_diagrams(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide = page.evaluate(WIDER_THAN_THE_SCREEN)
            found.append(f"{scheme}: the page is {overflow} px wider than the screen: {wide}")
        for bar in page.locator(".portal-timeline__track").all():
            assert bar.bounding_box()["width"] > 200, "a timeline's bars keep their width"
        page.add_script_tag(content=axe_source)
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        found += [f"{scheme}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                  for v in results["violations"] if v["impact"] in ("serious", "critical")]
        if scheme == "light" and width < 600:
            screenshot(page, f"phone-{name}")
    assert found == []
    assert tabs.console_errors == []


def test_on_a_phone_a_wide_table_says_it_scrolls_and_takes_the_keyboard(tabs, site_url):
    page = tabs.open(viewport={"width": 390, "height": 844})
    page.goto(site_url + "tiers/", wait_until="networkidle")
    wrap = page.locator(".md-typeset__scrollwrap").first
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    hint = page.locator(".portal-scroll-hint").first
    assert hint.is_visible() and "scroll it sideways" in hint.inner_text()
    wrap.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.md-typeset__scrollwrap').scrollLeft > 0")
    desktop = tabs.open(viewport={"width": 1280, "height": 900})
    desktop.goto(site_url + "tiers/gold/", wait_until="networkidle")
    assert desktop.locator(".portal-scroll-hint").count() == 0  # a table that fits says nothing


def test_a_printed_journey_keeps_headings_with_their_text_and_the_version_on_every_page(tabs, site_url):
    page = tabs.open()
    page.goto(site_url + "journeys/customer-onboarding/", wait_until="networkidle")
    page.emulate_media(media="print")
    track = page.locator(".portal-timeline__track").first.bounding_box()
    assert track["width"] > 400, "the bars take the page's width on paper"
    footer = page.locator(".md-copyright__highlight")
    assert footer.is_visible() and "version 2027.1, in effect from 1 February 2027" in footer.inner_text()
    assert page.evaluate("getComputedStyle(document.querySelector('.md-footer')).position") == "fixed"  # every page
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 < pages <= 4, pages
    cell = page.locator("article table td").first
    assert page.evaluate("e => getComputedStyle(e).overflowWrap", cell.element_handle()) == "break-word"
