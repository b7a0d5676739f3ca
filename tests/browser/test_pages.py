"""The built portal in a real browser: pages render their tables and diagrams, search
finds a KPI, nothing errors in the console, and axe finds no serious accessibility
problems. Screenshots of every key page, light and dark, go to test-artifacts/."""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ..conftest import build, copy_project
from .conftest import SCHEME_SWITCH, screenshot, switch_to_dark

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
    "program-guide": "program-guide/",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_lifecycle_diagram_is_drawn_in_order_and_its_stages_lead_to_their_pages(tabs, site_url, width):
    """Side by side on a wide screen, one under another on a phone; each box is a link."""
    page = tabs.open(viewport={"width": width, "height": 900})
    page.goto(site_url + "lifecycle/", wait_until="networkidle")
    figure = page.locator("figure.portal-diagram")
    boxes = [b.bounding_box() for b in figure.locator(".stage-flow a").all()]
    assert len(boxes) == 5 and all(b["width"] > 60 and b["height"] > 20 for b in boxes)
    if width == 1280:
        assert len({round(b["y"]) for b in boxes}) == 1 and [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)
    else:
        assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes) and len({round(b["x"]) for b in boxes}) == 1
    caption = figure.locator("figcaption").inner_text()
    assert "Land, then Onboard, then Adopt, then Expand, then Renew" in caption
    figure.locator(".stage-flow a", has_text="Adopt").click()
    assert page.url.endswith("/lifecycle/adopt/")
    assert tabs.console_errors == []


def test_journey_timeline_shows_every_step(page, site_url):
    page.goto(site_url + "journeys/customer-onboarding/", wait_until="networkidle")
    bars = page.locator(".portal-timeline li")
    assert bars.count() == 8
    first = page.locator(".portal-timeline__bar").first.bounding_box()
    last = page.locator(".portal-timeline__bar").last.bounding_box()
    assert last["x"] > first["x"]  # later steps start further right


def test_search_finds_a_kpi_by_name(tabs, site_url):
    page = tabs.open(search=True)  # the site's whole search index
    page.goto(site_url, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Active usage rate", delay=20)  # the theme searches on key events
    first = page.locator(".md-search-result__item").first
    first.wait_for(timeout=10_000)
    assert "Active usage rate" in first.inner_text()
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result a").all()]
    assert any("/glossary/" in h and h.endswith("#kpi-active-usage-rate") for h in hrefs[:3])
    screenshot(page, "search-kpi")
    assert tabs.console_errors == []


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
# What the page-kind test reads from a view, in one call to the page: its scheme, how many
# titles it has, each table's heading cells and body rows, how much wider than the screen it
# is, and the width of each timeline's bars.
LOOK = """() => ({
    scheme: document.body.getAttribute('data-md-color-scheme'),
    titles: document.querySelectorAll('article h1').length,
    tables: [...document.querySelectorAll('article table')].map(t => ({
        headings: t.querySelectorAll('thead th').length, rows: t.querySelectorAll('tbody tr').length})),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    tracks: [...document.querySelectorAll('.portal-timeline__track')].map(e => e.getBoundingClientRect().width),
})"""


@pytest.mark.parametrize("name, path", PHONE_PAGES.items(), ids=list(PHONE_PAGES))
def test_every_page_kind_renders_light_and_dark_with_no_sideways_scroll_and_nothing_serious_for_axe(
        views, site_url, axe, name, path):
    """Each page kind on a 1280 px screen and a 390 px phone, light, then dark by the header's
    scheme switch: it shows its scheme, one title and tables with headings and rows, is no
    wider than the screen, and axe finds no serious or critical problem (in dark, where only
    the colours and the switch changed, axe's colour rules and every rule in the header).
    Key pages are screenshot whole on a desktop, every page on a phone."""
    found = []
    for width, page in views.load(site_url + path):
        for scheme in ("light", "dark"):
            if scheme == "dark":
                switch_to_dark(page)
            seen = page.evaluate(LOOK)
            assert seen["scheme"] == ("slate" if scheme == "dark" else "default")
            assert seen["titles"] == 1
            if name in KEY_PAGES:
                for table in seen["tables"]:
                    assert table["headings"] >= 2 and table["rows"] >= 1, table
                if width >= 1280:
                    screenshot(page, f"{name}-{scheme}")
            if seen["overflow"] > 0:
                wide = page.evaluate(WIDER_THAN_THE_SCREEN)
                found.append(f"{width} px, {scheme}: the page is {seen['overflow']} px wider than the screen: {wide}")
            assert all(bar > 200 for bar in seen["tracks"]), "a timeline's bars keep their width"
            found += [f"{width} px, {scheme}: {problem}" for problem in axe.serious(page, recoloured=scheme == "dark")]
            if scheme == "light" and width < 600:
                screenshot(page, f"phone-{name}")
    assert found == []
    assert views.console_errors == []


def test_a_partner_whose_system_is_dark_gets_dark_from_the_first_page(tabs, site_url, axe):
    """The other tests turn pages dark with the scheme switch; a system set to dark gets a
    dark page as it loads, with the switch offering light, and readable colours."""
    page = tabs.open(color_scheme="dark")
    page.goto(site_url, wait_until="networkidle")
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert page.locator(SCHEME_SWITCH).get_attribute("title") == "Switch to light mode"
    assert axe.serious(page, recoloured=True) == []
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


def test_the_printed_program_guide_starts_each_chapter_on_a_new_page(tabs, site_url):
    page = tabs.open()
    page.goto(site_url + "program-guide/", wait_until="networkidle")
    page.emulate_media(media="print")
    chapters = page.locator("article h2.portal-chapter")
    assert chapters.count() >= 25
    assert page.evaluate("e => getComputedStyle(e).breakBefore", chapters.nth(1).element_handle()) == "page"
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= chapters.count()
    assert tabs.console_errors == []


class _SubPath(SimpleHTTPRequestHandler):
    """A static host (as GitHub Pages or an S3 bucket serve a site) with the portal under
    /partners/, answering any missing address with the portal's 404.html."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "partners" / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_page_not_found_works_at_any_depth_under_a_sub_path(tabs, tmp_path):
    """Published under a sub-path (PORTAL_URL, as the README says), the 404 page served for
    a deep missing address still loads its styles and scripts, and its links lead home."""
    project = copy_project(tmp_path / "project")
    done = build(project, PORTAL_URL="https://example.com/partners/")
    assert done.returncode == 0, done.stderr
    (tmp_path / "root").mkdir()
    (project / "site").rename(tmp_path / "root" / "partners")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPath, directory=str(tmp_path / "root")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        tab = tabs.open()
        failed = []
        tab.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "/no/such/" not in r.url else None)
        answer = tab.goto(base + "/partners/no/such/page/", wait_until="networkidle")
        assert answer.status == 404
        assert failed == []
        assert tab.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
        home = tab.locator("a.md-header__button.md-logo").get_attribute("href")
        assert tab.goto(base + home if home.startswith("/") else home).status == 200
        assert tab.url.rstrip("/").endswith("/partners")
    finally:
        server.shutdown()


def test_a_tab_kept_for_the_next_test_starts_as_a_fresh_one(tab_pool, site_url):
    """Tabs are kept across tests; what one test leaves in a tab (stored answers, a colour
    scheme the theme remembers, a session value, a cookie, emulated media, a window size)
    is gone when the next test opens it, and a tab still listening for a dialog is not kept."""
    from .conftest import Tabs

    first = Tabs(tab_pool)
    tab = first.open()
    tab.goto(site_url + "tools/assessment/", wait_until="networkidle")
    tab.evaluate("() => { localStorage.setItem('left', '1'); sessionStorage.setItem('left', '1'); "
                 "document.cookie = 'left=1; path=/'; }")
    tab.emulate_media(media="print", color_scheme="dark")
    tab.set_viewport_size({"width": 500, "height": 500})
    first.close()

    second = Tabs(tab_pool)
    again = second.open()
    assert again is tab  # the same tab, kept
    again.goto(site_url + "tools/assessment/", wait_until="networkidle")
    assert again.evaluate("() => [localStorage.getItem('left'), sessionStorage.getItem('left'), document.cookie, "
                          "matchMedia('print').matches, matchMedia('(prefers-color-scheme: dark)').matches]"
                          ) == [None, None, "", False, False]
    assert again.viewport_size == {"width": 1280, "height": 900}
    again.once("dialog", lambda dialog: dialog.accept())  # a dialog this test expected, and never saw
    second.close()

    third = Tabs(tab_pool)
    assert third.open() is not tab  # that tab was not kept
    third.close()
