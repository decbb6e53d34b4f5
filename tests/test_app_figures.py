"""The app's charts are the report's figures (nqpf.report.charts through nqpf.figures),
with SVG and PNG downloads; and the app speaks Chinese in its error messages and in the
R check's table (nqpf.error_translations, nqpf.translations)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import panel_frame
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test
from test_app import (
    chart_keys,
    chart_svg,
    compute_index,
    errors,
    frame,
    go,
    ok,
    open_charts,
    upload,
)

from nqpf.error_translations import FALLBACK

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60
CJK = re.compile(r"[\u4e00-\u9fff]")

#: Every chart of the Index and Disparity pages, by container key.
INDEX_CHARTS = {"ch.weights", "ch.dimension_weights", "ch.trend", "ch.dimensions", "ch.rank"}
DAGUM_CHARTS = {"ch.dagum", "ch.within", "ch.gjh", "ch.djh"}


class Recorder(MediaFileManager):
    """The AppTest's media file manager, kept so that a test can fetch a download."""

    last: Recorder | None = None

    def __init__(self, storage: Any) -> None:
        super().__init__(storage)
        Recorder.last = self


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)  # AppTest reads .streamlit/config.toml from the working directory
    monkeypatch.setattr(app_test, "MediaFileManager", Recorder)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def download(at: AppTest, key: str) -> bytes:
    """The bytes the download button ``key`` serves (a deferred one is drawn now)."""
    (button,) = [b for b in at.download_button if b.key == key]
    manager = Recorder.last
    assert manager is not None
    proto = button.proto
    url = manager.execute_deferred(proto.deferred_file_id) if proto.deferred_file_id else proto.url
    return manager._storage.get_file(url.rsplit("/", 1)[-1]).content


def parse_svg(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def svg_texts(root: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text"))


def parse_png(data: bytes) -> tuple[int, int]:
    from PIL import Image

    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.size


def test_every_chart_is_an_svg_figure_with_downloads(at: AppTest) -> None:
    compute_index(at)
    open_charts(at)
    assert chart_keys(at) == INDEX_CHARTS
    for key in INDEX_CHARTS:
        shown = chart_svg(at, key)
        root = parse_svg(download(at, f"dl.{key}.svg"))
        assert shown.encode() == download(at, f"dl.{key}.svg")  # what is shown is the file
        assert svg_texts(root).strip(), key  # text kept as text (svg.fonttype none)
        width, height = parse_png(download(at, f"dl.{key}.png"))
        assert width > 1000, (key, width)  # 300 dpi
        assert height > 500, (key, height)
    # the weights bars name the spec's labels, the trend the chosen regions
    assert "Human capital index (hc)" in chart_svg(at, "ch.weights")
    chosen = at.multiselect(key="w.idx.regions").value
    assert all(region in chart_svg(at, "ch.trend") for region in chosen)
    # no Altair/Vega-Lite element is left on the page
    assert not at.get("vega_lite_chart")
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()
    ok(at)
    assert chart_keys(at) >= DAGUM_CHARTS
    texts = svg_texts(parse_svg(download(at, "dl.ch.dagum.svg")))
    assert "Gw" in texts
    assert "Gnb" in texts
    parse_png(download(at, "dl.ch.gjh.png"))


def test_charts_follow_the_language_and_the_natural_group_order(at: AppTest) -> None:
    at.radio(key="w.lang").set_value("zh").run()
    compute_index(at)
    texts = svg_texts(parse_svg(chart_svg(at, "ch.weights").encode()))
    assert "指标权重" in texts
    assert "权重" in texts
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()
    ok(at)
    texts = svg_texts(parse_svg(chart_svg(at, "ch.dagum").encode()))
    # the report's Dagum terms (nqpf.translations), in the report's words
    assert "组内差异 Gw" in texts
    assert "超变密度 Gt" in texts


def test_a_page_switch_draws_no_chart_again(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from nqpf.report import charts

    compute_index(at)
    drawn: list[str] = []
    render = charts.render

    def counting(chart: Any, *args: Any, **kwargs: Any) -> bytes:
        drawn.append(chart.__name__)
        return render(chart, *args, **kwargs)

    monkeypatch.setattr(charts, "render", counting)
    open_charts(at)
    drawn.clear()  # drawn once, when the tab is opened
    go(at, "data")
    go(at, "index")
    open_charts(at)
    assert chart_keys(at) >= INDEX_CHARTS
    assert drawn == []  # cached on content: nothing drawn again


def test_the_app_imports_no_altair() -> None:
    sources = (ROOT / "pkg" / "nqpf" / "app").rglob("*.py")
    assert not [
        p.name for p in sources if re.search(r"^\s*(import|from) altair", p.read_text(), re.M)
    ]


def test_chinese_error_messages(at: AppTest) -> None:
    at.radio(key="w.lang").set_value("zh").run()
    upload(at, "empty.csv", b"")
    (message,) = errors(at)
    assert message.startswith("输入有误：")
    assert "empty.csv：文件为空——请导出带表头行的面板数据" in message
    # a bad cell, found on the Data page (it reads every indicator cell as the index
    # will): where, what and hint in Chinese
    bad = panel_frame().with_columns(pl.col("x03").cast(pl.String))
    bad = bad.with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit("n/a?"))
        .otherwise(pl.col("x03"))
        .alias("x03")
    )
    upload(at, "typo.csv", bad.write_csv().encode())
    (message,) = errors(at)
    assert "typo.csv，第 6 行，列“x03”：非数值“n/a?”——" in message
    assert FALLBACK not in message
    # and back in English
    at.radio(key="w.lang").set_value("en").run()
    (message,) = errors(at)
    assert "typo.csv, row 6, column 'x03': non-numeric value 'n/a?'" in message


@pytest.mark.filterwarnings("ignore:R is not initialized by the main thread")
def test_r_check_table_in_chinese(at: AppTest) -> None:
    with contextlib.suppress(Exception):  # R or rpy2 absent: the rows are skipped instead
        import rpy2.robjects  # noqa: F401
    if importlib.util.find_spec("nqpf.crossval") is None:
        pytest.skip("nqpf.crossval is not in this checkout")
    at.radio(key="w.lang").set_value("zh").run()
    compute_index(at)
    go(at, "compare")
    at.button(key="btn.crossval").click().run()
    ok(at)
    shown = frame(at, "df.crossval")
    assert set(shown["status"]) <= {"已比较", "已跳过"}
    notes = shown["note"].drop_nulls().to_list()
    assert notes
    assert all(CJK.search(n) for n in notes), notes
    assert not [n for n in notes if FALLBACK in n]  # every note of the default run has its text
    routines = frame(at, "df.routines")
    assert set(routines["status"]) <= {"可用", "缺失"}
    # the published table keeps the English keys (display vs frame)
    go(at, "export")
    assert at.selectbox(key="w.exp.table").options
    from nqpf.app import state  # the page's own store (state.Published: table and inputs)

    published = at.session_state[state.PUBLISHED]["crossval"].table
    assert set(published["status"]) <= {"compared", "skipped"}
