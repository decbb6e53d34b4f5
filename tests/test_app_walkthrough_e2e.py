"""The issue-15 walk-through in headless Chromium, once in each language.

A researcher's whole session on a 31-province panel, as the "done when" of issue 15
describes it: upload the file (GBK CSV in English, XLSX in Chinese), edit the spec in
the grid at a fast typist's pace (every edit kept), compute the index, echelons and
Dagum, visit every analysis page and press its run button, download and open every
export (a table as CSV, XLSX and LaTeX; all tables; the report; the project), then open
the project in a new session, upload the data again when asked, and get the same
numbers. Every text the test looks for comes from the app's own dictionary
(``nqpf.app.i18n.TEXT``) in the walk's language. Screenshots (whole pages) go to
``test-artifacts/walk-<lang>-*.png``; the elapsed times are printed (``pytest -s``),
not asserted (speed is measured in tests/test_app_speed_e2e.py and bench/).

Typing pace: 100 ms between keys, Enter included (a fast typist). Glide Data Grid, the
grid under ``st.data_editor``, opens its cell editor asynchronously; keys sent with no
delay at all (faster than any hand) can reach the grid before the editor exists, in a
bare ``st.data_editor`` app as in this one, with or without a form. That is not a
loss a user meets; a lost edit at a human pace is, and is what this test catches.

Run: ``.venv/bin/python -m pytest -m e2e -s tests/test_app_walkthrough_e2e.py``
(the harness is tests/test_app_e2e.py's).
"""

from __future__ import annotations

import csv
import io
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from app_panel31 import INDICATORS, PROVINCES, panel31_csv
from test_app_e2e import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    STEP_MS,
    element,
    expect,
    no_errors,
    serve,
    wait_for_app,
    wait_for_run,
)

from nqpf.app.i18n import _FORMAT, TEXT
from nqpf.app.main import PAGES

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

#: Milliseconds between two keys (Enter included): a fast typist.
KEY_MS = 100
#: The dimension typed for each indicator: three dimensions of five.
DIMENSIONS = ["S"] * 5 + ["G"] * 5 + ["D"] * 5
#: The rows (0-based) made cost indicators by keyboard: x14 and x15.
COST_ROWS = (13, 14)
#: The grid's rows (px): Streamlit's default row height; the header is one row.
ROW_PX = 35


def tr(lang: str, key: str, **values: object) -> str:
    """The app's text ``key`` in ``lang``, formatted as the app formats it."""
    english, chinese = TEXT[key]
    text = chinese if lang == "zh" else english
    return _FORMAT.format(text, **values) if values else text


def page_title(lang: str, stem: str) -> str:
    return tr(lang, dict((s, k) for s, k, _ in PAGES)[stem])


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    with serve("streamlit_app.py") as url:
        yield url


@pytest.fixture
def browser() -> Iterator[object]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def new_tab(browser: object) -> object:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(STEP_MS)
    return tab


def whole_page(page: object, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main container, so
    the viewport is made as tall as that container's content for the shot."""
    height = page.evaluate(
        "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
        " return m ? Math.ceil(m.scrollHeight) : document.body.scrollHeight; }"
    )
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    try:
        page.wait_for_timeout(200)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)


class Walk:
    """One walk: its page, language, folder, screenshots and step times."""

    def __init__(self, page: object, lang: str, tmp: Path) -> None:
        self.page, self.lang, self.tmp = page, lang, tmp
        self.started = time.monotonic()
        self.times: dict[str, float] = {}
        self.shots = 0

    def t(self, key: str, **values: object) -> str:
        return tr(self.lang, key, **values)

    def mark(self, step: str) -> None:
        self.times[step] = time.monotonic() - self.started

    def shot(self, name: str) -> None:
        self.shots += 1
        whole_page(self.page, ARTIFACTS / f"walk-{self.lang}-{self.shots:02d}-{name}.png")

    def go(self, stem: str) -> None:
        nav = self.page.get_by_test_id("stSidebarNav")
        nav.get_by_text(page_title(self.lang, stem), exact=True).click()
        wait_for_run(self.page)
        expect(self.page.get_by_test_id("stException")).to_have_count(0)

    def press(self, key: str) -> None:
        """Press the button of widget key ``key`` (a keyed element's class) and wait."""
        element(self.page, key).get_by_role("button").first.click()
        wait_for_run(self.page)

    def download(self, key: str, name: str) -> Path:
        with self.page.expect_download() as info:
            element(self.page, key).get_by_role("button").first.click()
        target = self.tmp / f"{self.lang}-{name}"
        info.value.save_as(target)
        return target


# ---------------------------------------------------------------------------- steps
def upload(walk: Walk, path: Path) -> None:
    page = walk.page
    page.get_by_test_id("stRadio").get_by_text(walk.t("data.source.upload")).click()
    wait_for_run(page)
    page.locator(".st-key-up-panel").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        str(path)
    )
    name = path.name
    if path.suffix == ".xlsx":  # the sheet read is named beside the file
        name = walk.t("data.sheet.of", name=name, sheet="Sheet1")
    ready = walk.t("data.ready", name=name, regions=31, first=2010, last=2022)
    expect(page.get_by_text(ready)).to_be_visible()
    wait_for_run(page)
    no_errors(page)
    walk.mark("panel ready")
    walk.shot("data")


def edit_spec(walk: Walk) -> list[str]:
    """Type each indicator's dimension into the grid at a typist's pace; the spec the
    page offers for download afterwards. Keyboard only, as a spreadsheet user works:
    a click on the first indicator, → to its dimension, then «text, Enter» per row
    (Enter keeps the edit and moves down)."""
    page = walk.page
    walk.go("indicators")
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + ROW_PX * 1.5)  # row 1, the indicator column
    page.wait_for_timeout(KEY_MS)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(KEY_MS)
    for value in DIMENSIONS:
        page.keyboard.type(value, delay=KEY_MS)
        page.wait_for_timeout(KEY_MS)
        page.keyboard.press("Enter")
        page.wait_for_timeout(KEY_MS)
    wait_for_run(page)
    # two cost indicators by keyboard: on a direction cell, "-" opens its choices filtered
    # to "-" and Enter takes it (no second click)
    for row in COST_ROWS:
        page.mouse.click(box["x"] + 60, box["y"] + ROW_PX * (row + 1.5))
        page.wait_for_timeout(KEY_MS)
        for _ in range(2):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(KEY_MS)
        page.keyboard.type("-", delay=KEY_MS)
        page.wait_for_timeout(3 * KEY_MS)
        page.keyboard.press("Enter")
        page.wait_for_timeout(KEY_MS)
    wait_for_run(page)
    summary = walk.t("ind.summary", n=15, dims=3, benefit=13, cost=2)
    expect(page.get_by_text(summary)).to_be_visible()
    spec = walk.download("dl.spec.csv", "spec.csv")
    rows = list(csv.DictReader(io.StringIO(spec.read_text("utf-8-sig"))))
    walk.mark("spec edited")
    walk.shot("indicators")
    return [(r["dimension"], r["direction"]) for r in rows]


def index_and_dagum(walk: Walk) -> None:
    page = walk.page
    walk.go("index")
    walk.press("btn.index")
    expect(element(page, "df.weights")).to_be_visible()
    no_errors(page)
    walk.mark("index")
    walk.shot("index")
    walk.go("disparity")
    walk.press("btn.dagum")
    expect(element(page, "df.dagum_summary")).to_be_visible()
    no_errors(page)
    walk.mark("Dagum table")
    walk.shot("disparity")


def analysis_pages(walk: Walk) -> None:
    """Every analysis page: its run button where it has one, its first table or chart."""
    page = walk.page
    walk.go("dynamics")
    expect(element(page, "ch.dyn.sigma")).to_be_visible()
    for section in ("markov", "clubs", "kde", "obstacle"):
        page.get_by_test_id("stRadio").get_by_text(walk.t(f"dyn.tab.{section}"), exact=True).click()
        wait_for_run(page)
        no_errors(page)
    walk.mark("dynamics")
    walk.shot("dynamics")
    walk.go("spatial")
    expect(element(page, "df.spa.moran")).to_be_visible()
    expect(element(page, "ch.spa.lisa")).to_be_visible()
    no_errors(page)
    walk.mark("Moran/LISA")
    walk.shot("spatial")
    walk.go("inequality")
    expect(element(page, "df.ine.overall")).to_be_visible()
    no_errors(page)
    walk.shot("inequality")
    walk.go("coupling")
    expect(element(page, "ch.cou.coupling")).to_be_visible()
    no_errors(page)
    walk.shot("coupling")
    walk.go("geodetector")
    walk.press("btn.geo.run")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    no_errors(page)
    walk.shot("geodetector")
    walk.go("robustness")
    walk.press("btn.rob.run")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    no_errors(page)
    walk.mark("analysis pages")
    walk.shot("robustness")


def exports(walk: Walk) -> tuple[list[dict[str, str]], str]:
    """Every export of the Export page downloaded and opened; the scores and the project."""
    page = walk.page
    walk.go("export")
    scores_csv = walk.download("dl.table.csv", "scores.csv")
    scores = list(csv.DictReader(io.StringIO(scores_csv.read_text("utf-8-sig"))))
    assert len(scores) == 31 * 13
    assert {r[next(iter(scores[0]))] for r in scores} == set(PROVINCES)
    book = pl.read_excel(walk.download("dl.table.xlsx", "scores.xlsx"))
    assert book.height == 31 * 13
    tex = walk.download("dl.table.tex", "scores.tex").read_text("utf-8")
    assert "\\begin{tabular}" in tex or "\\begin{longtable}" in tex
    assert "北京" in tex  # the Chinese names kept, not boxes or escapes
    all_xlsx = walk.download("dl.all.xlsx", "tables.xlsx")
    sheets = pl.read_excel(all_xlsx, sheet_id=0)
    # the Dagum table and the analysis pages' tables are among them (all current)
    assert len(sheets) >= 5, sorted(sheets)
    with zipfile.ZipFile(walk.download("dl.all.zip", "tables.zip")) as archive:
        names = archive.namelist()
    assert len(names) == len(sheets) or len(names) >= len(sheets) - 1, (names, sorted(sheets))
    walk.press("btn.paper")
    report = walk.download("dl.exp.paper.html", "report.html").read_text("utf-8")
    assert report.startswith("<!DOCTYPE html>")
    assert "<svg" in report
    assert "北京" in report
    view = page.context.new_page()
    view.goto((walk.tmp / f"{walk.lang}-report.html").as_uri())
    expect(view.locator("svg").first).to_be_visible()
    view.screenshot(path=str(ARTIFACTS / f"walk-{walk.lang}-report.png"))
    view.close()
    walk.mark("report")
    project = walk.download("dl.project", "nqpf-project.toml").read_text("utf-8")
    parsed = tomllib.loads(project)
    assert parsed["data"]["sha256"], parsed["data"]
    walk.shot("export")
    no_errors(page)
    return scores, project


def reopen(walk: Walk, browser: object, url: str, project: str, data: Path) -> list[dict[str, str]]:
    """A new session: open the project, upload the data when asked, compute the index:
    the scores it exports."""
    page = new_tab(browser)
    again = Walk(page, walk.lang, walk.tmp)
    page.goto(url)
    wait_for_app(page)
    if walk.lang == "zh":
        page.get_by_test_id("stSidebar").get_by_text("中文").click()
        wait_for_run(page)
    path = walk.tmp / f"{walk.lang}-reopen.toml"
    path.write_text(project, "utf-8")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(again.t("prj.title"), exact=True).click()
    page.locator(".st-key-up-project").get_by_test_id(
        "stFileUploaderDropzoneInput"
    ).set_input_files(str(path))
    wait_for_run(page)
    asked = page.locator(".st-key-up-project-data")
    expect(asked).to_be_visible()
    asked.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(data))
    wait_for_run(page)
    expect(sidebar.get_by_text(again.t("prj.opened", name=data.name))).to_be_visible()
    again.shot("opened")
    no_errors(page)
    again.go("indicators")
    expect(
        page.get_by_text(again.t("ind.summary", n=15, dims=3, benefit=13, cost=2))
    ).to_be_visible()
    again.go("index")
    again.press("btn.index")
    expect(element(page, "df.weights")).to_be_visible()
    again.go("export")
    scores_csv = again.download("dl.table.csv", "scores-reopened.csv")
    again.shot("reopened")
    no_errors(page)
    page.context.close()
    return list(csv.DictReader(io.StringIO(scores_csv.read_text("utf-8-sig"))))


# ---------------------------------------------------------------------------- the test
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walkthrough(lang: str, browser: object, app_url: str, tmp_path: Path) -> None:
    text = panel31_csv().decode("utf-8")
    if lang == "en":  # a GBK CSV, as Chinese Excel saves it
        data = tmp_path / "provinces31-gbk.csv"
        data.write_bytes(text.encode("gbk"))
    else:  # an XLSX workbook
        data = tmp_path / "provinces31.xlsx"
        pl.read_csv(io.StringIO(text)).write_excel(data)
    page = new_tab(browser)
    walk = Walk(page, lang, tmp_path)
    page.goto(app_url)
    wait_for_app(page)
    if lang == "zh":
        page.get_by_test_id("stSidebar").get_by_text("中文").click()
        wait_for_run(page)
    try:
        upload(walk, data)
        dimensions = edit_spec(walk)
        typed = [
            (dimension, "-" if row in COST_ROWS else "+")
            for row, dimension in enumerate(DIMENSIONS)
        ]
        lost = [
            (name, want, got)
            for name, want, got in zip(INDICATORS, typed, dimensions, strict=True)
            if want != got
        ]
        assert not lost, f"edits lost in the spec grid (indicator, typed, kept): {lost}"
        index_and_dagum(walk)
        analysis_pages(walk)
        scores, project = exports(walk)
        reopened = reopen(walk, browser, app_url, project, data)
        assert reopened == scores, "the reopened project's scores differ from the saved ones"
        walk.mark("reopened")
    except BaseException:
        walk.shot("failed")
        raise
    print(
        f"\nwalk-through ({lang}, {data.name}): "
        + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in walk.times.items())
    )
    page.context.close()
