"""The app in headless Chromium on hostile names: no request off its host, no live markup.

Issue 9: a cell ``![x](http://…)`` quoted in an error made the browser fetch that
URL, and file names rendered as links. Here a panel whose file name, indicator
names, region names and group labels are Markdown and HTML is uploaded and taken
through every page, with every request of the browser routed: a request to any
host but the app's own ``localhost:<port>`` fails the test (and is aborted, so
nothing leaves the machine). The page must also fetch no icons or fonts from
elsewhere (Streamlit serves its fonts itself; a Material-icon favicon would come
from fonts.gstatic.com, so the app's favicon is an emoji, drawn as a ``data:``
URL). In the DOM, no ``<img>`` or ``<a>`` comes from user text, no dialog opens
(``onerror=alert(1)``), and the user's strings are shown literally.

The server is started as in ``tests/test_app_e2e.py`` (its ``serve``).
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Iterator

import polars as pl
import pytest
from app_panel import INDICATORS, PROVINCES, panel_frame
from test_app_e2e import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    STEP_MS,
    go,
    serve,
    wait_for_app,
    wait_for_run,
)

pytestmark = pytest.mark.e2e

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

FILE_NAME = "![x](http://127.0.0.1:9/f.png) [link](http://evil) www.evil.example.csv"
NAMES = [
    "![x](http://127.0.0.1:9/x.png)",
    "<img src=x onerror=alert(1)>",
    "[link](http://evil)",
    "**bold**",
    "$x^2$",
    "=cmd|' /C calc'!A0",
    "# heading",
    "www.evil.example",
    "me@evil.example",
]


def hostile_csv() -> bytes:
    frame = panel_frame().rename(dict(zip(INDICATORS, NAMES, strict=False)))
    regions = dict(zip(list(PROVINCES)[:5], NAMES[:5], strict=True))
    frame = frame.with_columns(
        pl.col("province").replace(regions),
        pl.col("area").replace({"西南": "**bold**", "西北": "[link](http://evil)"}),
    )
    return frame.write_csv().encode()


def cell_csv() -> bytes:
    frame = panel_frame().with_columns(pl.col("x03").cast(pl.String))
    return (
        frame.with_columns(
            pl.when(pl.int_range(pl.len()) == 4)
            .then(pl.lit("![x](http://127.0.0.1:9/cell.png)"))
            .otherwise("x03")
            .alias("x03")
        )
        .write_csv()
        .encode()
    )


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    with serve("streamlit_app.py") as url:
        yield url


class Watch:
    """Every request, web socket and dialog of a browser context."""

    def __init__(self, app_url: str) -> None:
        parsed = urllib.parse.urlsplit(app_url)
        self.origin = (parsed.hostname, parsed.port)
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.requests = 0

    def own(self, url: str) -> bool:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme in ("data", "blob", "about"):
            return True
        return (parsed.hostname, parsed.port) == self.origin

    def route(self, route: object) -> None:
        url = route.request.url
        self.requests += 1
        if self.own(url):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def socket(self, socket: object) -> None:
        if not self.own(socket.url.replace("ws://", "http://", 1)):
            self.foreign.append(socket.url)


@pytest.fixture
def browser_page(app_url: str) -> Iterator[tuple[object, Watch]]:
    ARTIFACTS.mkdir(exist_ok=True)
    watch = Watch(app_url)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", watch.route)
        tab = context.new_page()
        tab.on("websocket", watch.socket)
        tab.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
        tab.set_default_timeout(STEP_MS)
        try:
            yield tab, watch
        finally:
            with contextlib.suppress(Exception):
                tab.screenshot(path=str(ARTIFACTS / "e2e-safety-last.png"), full_page=True)
            context.close()
            browser.close()


def no_live_markup(page: object, watch: Watch) -> None:
    """No image or link from user text, no dialog, no request off the app's host."""
    images = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src') || '')")
    for src in images:
        assert watch.own(urllib.parse.urljoin(page.url, src)), f"<img src={src!r}>"
    links = page.eval_on_selector_all(
        "[data-testid='stMain'] a", "els => els.map(e => e.getAttribute('href') || '')"
    )
    for href in links:
        assert "evil" not in href, href
        assert "127.0.0.1:9" not in href, href
        assert watch.own(urllib.parse.urljoin(page.url, href)), f"<a href={href!r}>"
    # no element from user text: KaTeX output, headings or bold made of the names
    assert page.locator("[data-testid='stMain'] .katex").count() == 0
    for name in ("heading", "bold"):
        assert page.locator(f"[data-testid='stMain'] h1:has-text('{name}')").count() == 0
        assert page.locator(f"[data-testid='stMain'] strong:has-text('{name}')").count() == 0
    assert not watch.dialogs, watch.dialogs
    assert not watch.foreign, watch.foreign


def text_of(page: object, test_id: str) -> str:
    return " ".join(page.get_by_test_id(test_id).all_inner_texts())


def upload(page: object, name: str, data: bytes) -> None:
    page.locator(".st-key-up-panel").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    wait_for_run(page)


def test_hostile_names_stay_text_in_the_browser(browser_page: tuple[object, Watch], app_url: str):
    page, watch = browser_page
    page.goto(app_url)
    wait_for_app(page)
    icon = page.eval_on_selector("link[rel='shortcut icon']", "e => e.href")
    assert icon.startswith("data:"), icon  # an emoji favicon, nothing fetched
    no_live_markup(page, watch)

    page.get_by_test_id("stRadio").get_by_text("Upload a file").click()
    wait_for_run(page)
    upload(page, FILE_NAME, hostile_csv())
    expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
    page.wait_for_timeout(500)  # let an image load if one were there
    no_live_markup(page, watch)
    assert FILE_NAME in text_of(page, "stAlertContentSuccess")  # the literal name

    go(page, "Index")
    page.get_by_role("button", name="Compute index").click()
    wait_for_run(page)
    expect(page.get_by_test_id("stMetricValue").nth(3)).to_be_visible()
    best = page.get_by_test_id("stMetricValue").nth(3).inner_text()
    assert best in NAMES[:5], best  # a hostile region name, shown as it is
    page.get_by_role("tab", name="Charts").click()
    wait_for_run(page)
    no_live_markup(page, watch)

    go(page, "Echelons & disparity")
    page.get_by_role("button", name="Decompose").click()
    wait_for_run(page)
    expect(page.get_by_text("Period means")).to_be_visible()
    no_live_markup(page, watch)

    go(page, "Compare")
    page.get_by_role("button", name="Compare", exact=True).click()
    wait_for_run(page)
    no_live_markup(page, watch)

    go(page, "Export")
    no_live_markup(page, watch)

    # the data page again, with the source switched away: the stale notice names the file
    go(page, "Data")
    page.get_by_test_id("stRadio").get_by_text("Default data (Penn World Table 9.1)").click()
    wait_for_run(page)
    go(page, "Echelons & disparity")
    assert FILE_NAME in text_of(page, "stAlertContentWarning")
    no_live_markup(page, watch)
    assert watch.requests > 10  # the routing saw the app's own traffic


def test_hostile_cell_in_an_error_stays_text(browser_page: tuple[object, Watch], app_url: str):
    page, watch = browser_page
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id("stRadio").get_by_text("Upload a file").click()
    wait_for_run(page)
    upload(page, "cells.csv", cell_csv())
    go(page, "Index")
    page.get_by_role("button", name="Compute index").click()
    wait_for_run(page)
    expect(page.get_by_test_id("stAlertContentError")).to_be_visible()
    page.wait_for_timeout(500)  # let an image load if one were there
    no_live_markup(page, watch)
    message = text_of(page, "stAlertContentError")
    assert "![x](http://127.0.0.1:9/cell.png)" in message, message
    assert "row 6" in message
    expect(page.get_by_test_id("stException")).to_have_count(0)
