"""Browser test set-up: build the sample site once, serve it on localhost, and drive
Debian's Chromium headless through Playwright. Screenshots go to test-artifacts/."""

from __future__ import annotations

import base64
import functools
import io
import json
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ..conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / ".venv" / "test-tools" / "node_modules" / "axe-core" / "axe.min.js"
BLANK = Path(__file__).with_name("blank.html")
# As root, in a container, with no network: the flags Chromium needs to start quietly.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def missing(what: str) -> None:
    """CI must run the browser tests; elsewhere they are skipped with the reason."""
    message = f"{what} (run `bash tests/setup-tools.sh`, or `make test`, to install it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("PORTAL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        missing("Debian's chromium is not installed")
    return path


# The tests' server answers this address with axe-core, beside the site (it is not part of
# it): a tab loads the engine from there, where handing its 560 kB to each tab through the
# driver cost a tenth of a second of CPU a scan.
AXE_ADDRESS = "/test-tools/axe.min.js"
# and this one with an empty page, where a tab kept for the next test clears the site's storage.
BLANK_ADDRESS = "/test-tools/blank.html"
SEARCH_INDEX = "/search/search_index.json"
# A tab that sends this header is answered the site's search index with its settings and no
# pages (see TabPool).
NO_SEARCH_HEADER = "X-Portal-Test-Search"


class _QuietHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: object, empty_search_index: bytes, **options: object) -> None:
        self.empty_search_index = empty_search_index
        super().__init__(*args, **options)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_head(self) -> object:
        if self.path.split("?", 1)[0] == SEARCH_INDEX and self.headers.get(NO_SEARCH_HEADER) == "none":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(self.empty_search_index)))
            self.end_headers()
            return io.BytesIO(self.empty_search_index)
        return super().send_head()

    def translate_path(self, path: str) -> str:
        address = path.split("?", 1)[0]
        if address == AXE_ADDRESS:
            return str(AXE)
        if address == BLANK_ADDRESS:
            return str(BLANK)
        return super().translate_path(path)


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    index = json.loads((sample_site / SEARCH_INDEX.lstrip("/")).read_text(encoding="utf-8"))
    handler = functools.partial(_QuietHandler, directory=str(sample_site),
                                empty_search_index=json.dumps({**index, "docs": []}).encode())
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Axe:
    """axe-core's scan of the page a tab shows: its serious and critical problems."""

    # The rules that read colours, of those axe runs (color-contrast-enhanced, the AAA level,
    # is off unless asked for). A page switched from light to dark by the header's switch is
    # the same document with other colours, and a switch that now offers light: it is
    # scanned again with these rules, and with every rule in its header.
    COLOUR_RULES = ("color-contrast", "link-in-text-block")
    SCAN = """async ([colours]) => {
        const options = {resultTypes: ['violations']};
        if (!colours) return (await axe.run(document, options)).violations;
        const named = axe.getRules(['cat.color']).map(r => r.ruleId).filter(id => id !== 'color-contrast-enhanced');
        const page = await axe.run(document, {...options, runOnly: {type: 'rule', values: colours}});
        const header = await axe.run({include: [['header']]}, options);
        return [{id: 'colour rules', impact: 'serious', help: 'axe has colour rules the scan does not run',
                 nodes: named.filter(id => !colours.includes(id)).map(id => ({target: id}))}]
            .filter(v => v.nodes.length).concat(page.violations, header.violations);
    }"""

    def __init__(self, site_url: str) -> None:
        self.address = site_url.rstrip("/") + AXE_ADDRESS

    def serious(self, tab: object, recoloured: bool = False) -> list[str]:
        """Every rule on the whole page; or, for a page the scheme switch has just recoloured
        (`recoloured`), the rules that read colours on the page and every rule in its header."""
        if not tab.evaluate("() => typeof axe === 'object'"):
            tab.add_script_tag(url=self.address)
        violations = tab.evaluate(self.SCAN, [list(self.COLOUR_RULES) if recoloured else None])
        return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in violations if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="session")
def axe(site_url: str) -> Axe:
    if not AXE.is_file():
        missing("the axe-core npm package is not installed")
    return Axe(site_url)


class TabPool:
    """Browser tabs kept for the session and lent to one test at a time.

    A fresh browser context starts a renderer process, about half a second of CPU here, most
    of what opening a page costs; a tab that loads another page of the same site keeps its
    process. So a tab a test is done with is kept, emptied of what the test left: it leaves
    the test's page for a blank one on the site, where the site's storage (the theme's
    remembered colour scheme, the tools' kept answers) and cookies are cleared, and the media
    it emulates (print, colour scheme, motion, forced colours) and the window size are put
    back. A tab that was closed, that left the site, or that still has a listener the test
    added (a dialog it expected and never saw) is not kept.

    Each kind of tab (colour scheme, search, window) has its own context: the theme builds its
    search index from every page's text on each page load, in a worker, so a tab opened for
    anything but search gets the index with no pages (the same settings), and the tests do
    not spend their time building an index they never read. Its requests carry a header the
    tests' server answers that way: a route would do the same, but turns off the browser's
    cache, so that each page load fetched and compiled the theme's styles and scripts again."""

    def __init__(self, browser: object, site_url: str) -> None:
        self.browser = browser
        self.site_url = site_url
        self.idle: dict[str, list[object]] = {}
        self.contexts: list[object] = []

    def lend(self, console_errors: list[str], color_scheme: str, search: bool, options: dict) -> object:
        key = json.dumps([color_scheme, search, options], sort_keys=True)
        kept = self.idle.get(key)
        tab = kept.pop() if kept else self._new(color_scheme, search, options)
        tab.portal_kind = key, color_scheme, options.get("viewport")
        tab.portal_console_errors = console_errors  # where this tab's errors go while lent
        return tab

    def take_back(self, tab: object) -> None:
        if (tab.is_closed() or not (tab.url.startswith(self.site_url) or tab.url == "about:blank")
                or _listeners(tab) != tab.portal_listeners):
            tab.context.close()
            return
        tab.portal_console_errors = []  # errors from here on belong to no test
        tab.goto(self.site_url.rstrip("/") + BLANK_ADDRESS)
        tab.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        tab.context.clear_cookies()
        key, color_scheme, viewport = tab.portal_kind
        tab.emulate_media(media="null", color_scheme=color_scheme, reduced_motion="reduce", forced_colors="none")
        if viewport and tab.viewport_size != viewport:
            tab.set_viewport_size(viewport)
        self.idle.setdefault(key, []).append(tab)

    def _new(self, color_scheme: str, search: bool, options: dict) -> object:
        context = self.browser.new_context(color_scheme=color_scheme, reduced_motion="reduce", **options)
        if not search:
            context.set_extra_http_headers({NO_SEARCH_HEADER: "none"})
        # No transitions: an accessibility scan or a screenshot taken mid-fade would measure
        # colours no reader ever sees once the page has settled.
        context.add_init_script("document.addEventListener('DOMContentLoaded', () => document.head.insertAdjacentHTML("
                                "'beforeend', '<style>*, *::before, *::after { transition: none !important; "
                                "animation: none !important; }</style>'))")
        self.contexts.append(context)
        tab = context.new_page()
        tab.on("console", lambda m: tab.portal_console_errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda error: tab.portal_console_errors.append(str(error)))
        tab.portal_listeners = _listeners(tab)
        return tab

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def _listeners(tab: object) -> dict[str, int]:
    """How many listeners each of the tab's events has (Playwright's own included): the
    public API adds and removes listeners but does not list them."""
    events = tab._impl_obj  # noqa: SLF001
    return {name: len(events.listeners(name)) for name in events.event_names()}


@pytest.fixture(scope="session")
def tab_pool(browser: object, site_url: str) -> Iterator[TabPool]:
    pool = TabPool(browser, site_url)
    yield pool
    pool.close()


class Tabs:
    """The tabs one test opens, each as a fresh browser would show it, and the console
    errors they log; given back to the pool when the test ends."""

    def __init__(self, pool: TabPool) -> None:
        self.pool = pool
        self.opened: list[object] = []
        self.console_errors: list[str] = []

    def open(self, color_scheme: str = "light", search: bool = False, **options: object) -> object:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        tab = self.pool.lend(self.console_errors, color_scheme, search, options)
        self.opened.append(tab)
        return tab

    def close(self) -> None:
        for tab in self.opened:
            self.pool.take_back(tab)


@pytest.fixture
def tabs(tab_pool: TabPool) -> Iterator[Tabs]:
    opened = Tabs(tab_pool)
    yield opened
    opened.close()


# The header's scheme switch as a partner sees it: the theme shows the label of the scheme
# it would switch to and hides the other.
SCHEME_SWITCH = "header label[for^='__palette_']:not([hidden])"


def switch_to_dark(tab: object) -> None:
    """Press the header's scheme switch, as a partner does, and wait for dark."""
    tab.locator(SCHEME_SWITCH).click()
    tab.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate' "
                          "&& !document.body.hasAttribute('data-md-color-switching')")


class Views:
    """One tab for each screen a partner reads a page on (1280 px and a 390 px phone), kept
    for the whole session: a test that only looks at pages loads them into these tabs side
    by side, in light, and the test turns each to dark with the header's scheme switch
    (`switch_to_dark`), as a partner does, rather than loading the page again."""

    WIDTHS = (1280, 390)

    def __init__(self, pool: TabPool) -> None:
        self._tabs = Tabs(pool)
        self._open: dict[int, object] = {}

    def load(self, url: str) -> list[tuple[int, object]]:
        """(width, tab) for each screen, with `url` loaded in light in each, side by side."""
        self._tabs.console_errors.clear()
        views = []
        for width in self.WIDTHS:
            tab = self._open.get(width)
            if tab is None or tab.is_closed():  # a test that failed may have closed it
                tab = self._tabs.open(viewport={"width": width, "height": 844})
                self._open[width] = tab
            elif tab.url.startswith(self._tabs.pool.site_url):
                tab.evaluate("() => localStorage.clear()")  # the scheme the switch left
            tab.goto(url, wait_until="commit")
            views.append((width, tab))
        for _, tab in views:
            tab.wait_for_load_state("networkidle")
        return views

    @property
    def console_errors(self) -> list[str]:
        return self._tabs.console_errors


@pytest.fixture(scope="session")
def views(tab_pool: TabPool) -> Views:
    return Views(tab_pool)


@pytest.fixture
def page(tabs: Tabs) -> object:
    tab = tabs.open()
    tab.console_errors = tabs.console_errors
    return tab


# A screenshot is of the whole page up to this height: enough to look at, while a page as
# long as the program guide (60,000 px) would take seconds to draw and encode in full.
SCREENSHOT_MAX_HEIGHT = 8000


def screenshot(tab: object, name: str) -> Path:
    """The page as a screen as tall as the page (up to SCREENSHOT_MAX_HEIGHT) shows it.

    The tab's window is made that tall for the picture and then put back. Playwright's
    `full_page` does the same, but lays the page out at its full height whatever the clip:
    3.2 s for the program guide here, against 0.9 s for this. The picture is taken by
    Chromium's own capture, with its faster PNG encoding: a third less CPU than Playwright's
    `screenshot`, which also restyles the page to hide the caret and waits for fonts that
    a settled page has."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    window = tab.viewport_size
    height = min(tab.evaluate("() => document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
    taller = height > window["height"]
    if taller:
        tab.set_viewport_size({"width": window["width"], "height": height})
    try:
        if getattr(tab, "portal_devtools", None) is None:  # one session per tab, kept with it
            tab.portal_devtools = tab.context.new_cdp_session(tab)
        shot = tab.portal_devtools.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})
        path.write_bytes(base64.b64decode(shot["data"]))
    finally:
        if taller:
            tab.set_viewport_size(window)
    return path
