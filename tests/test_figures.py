"""Every report chart drawn with Chinese names and titles: no missing glyph (SVG and a
300-dpi PNG in the same style), Chinese kept as SVG text, ``$`` labels drawn literally, the
caller's rcParams untouched, legends outside the data area in stack order."""

from __future__ import annotations

import re
import warnings

import matplotlib
import numpy as np
import polars as pl
import pytest

from nqpf.report import charts

GROUPS = ["东部", "中部", "西部", "东北"]
REGIONS = ["北京", "广东", "四川", "辽宁"]
YEARS = [2015, 2016, 2017, 2018]


def _scores() -> pl.DataFrame:
    rng = np.random.default_rng(11)
    rows = [(r, g, y) for r, g in zip(REGIONS, GROUPS, strict=True) for y in YEARS]
    return pl.DataFrame(
        {
            "地区": [r for r, _, _ in rows],
            "区域$x$": [g for _, g, _ in rows],
            "年份": [y for _, _, y in rows],
            "综合得分": rng.uniform(0.1, 0.9, len(rows)),
        }
    )


def _dagum() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "年份": YEARS,
            "G": [0.30, 0.28, 0.27, 0.25],
            "Gw": [0.10, 0.09, 0.09, 0.08],
            "Gnb": [0.15, 0.14, 0.13, 0.12],
            "Gt": [0.05, 0.05, 0.05, 0.05],
        }
    )


def _density() -> pl.DataFrame:
    x = np.linspace(0, 1, 50)
    return pl.DataFrame(
        {
            "年份": np.repeat(YEARS, len(x)),
            "x": np.tile(x, len(YEARS)),
            "density": np.tile(np.exp(-((x - 0.5) ** 2) / 0.02), len(YEARS)),
        }
    )


def _sigma() -> pl.DataFrame:
    return pl.DataFrame({"年份": YEARS, "cv": [0.4, 0.38, 0.35, 0.33], "gini": [0.2] * 4})


#: Every chart of nqpf.report.charts, with Chinese names, and the Chinese text it must show.
CASES = {
    "chart_trend": ((_scores(), "年份", "区域$x$", "综合得分"), ["东部", "东北", "年份"]),
    "chart_dagum": ((_dagum(), "年份", "东部、中部、西部、东北的基尼系数 $x$"), ["基尼系数 $x$"]),
    "chart_density": ((_density(), "年份"), ["2015"]),
    "chart_sigma": ((_sigma(), "年份"), ["年份"]),
}


def test_every_chart_is_covered():
    assert set(CASES) == set(charts.CHARTS)


@pytest.fixture
def cjk_font():
    """The CJK font file matplotlib draws with (findfont, fallback_to_default=False)."""
    found = charts.cjk_font_file()
    if found is None:
        pytest.skip("no CJK font installed (apt install fonts-noto-cjk): Chinese draws as boxes")
    from matplotlib import font_manager

    with charts.chart_style():  # the style's first sans-serif font is that CJK font
        first = font_manager.findfont(
            font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False
        )
    assert first == found
    return found


def _strict(draw):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from")
        return draw()


@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_has_every_glyph_in_svg_and_png(name, cjk_font):
    chart = charts.CHARTS[name]
    args, _ = CASES[name]
    svg = _strict(lambda: chart(*args))
    assert svg.startswith("<svg")
    png = _strict(lambda: charts.render(chart, *args, format="png"))
    assert png.startswith(b"\x89PNG")
    pdf = _strict(lambda: charts.render(chart, *args, format="pdf"))
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("name", sorted(CASES))
def test_svg_keeps_chinese_as_text(name):
    chart = getattr(charts, name)
    args, shown = CASES[name]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from")
        svg = chart(*args)
    texts = "".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
    for text in shown:
        assert text in texts, (name, text)
    families = re.findall(r"font-family: ([^;\"]*)", svg)
    assert families
    assert all("Noto Sans CJK SC" in f for f in families), families


def test_dollar_labels_are_literal_text():
    # a group named "$x$" is drawn as "$x$", not as an italic x
    scores = _scores().with_columns(pl.lit("$x$").alias("g"))
    svg = charts.chart_trend(scores, "年份", "g", "综合得分")
    assert ">$x$</text>" in svg


def test_style_leaves_the_callers_rcparams_alone():
    before = dict(matplotlib.rcParams)
    charts.chart_dagum(_dagum(), "年份", "标题")
    charts.render(charts.chart_sigma, _sigma(), "年份")
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def _figure_of(name: str):
    """The drawn figure and axes of a chart (the style and layout :func:`render` uses)."""
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    chart = charts.CHARTS[name]
    args, _ = CASES[name]
    with charts.chart_style():
        fig, ax = plt.subplots(figsize=(7.5, 3.6))
        charts._DRAWINGS[chart](*args)(ax)
        fig.canvas.draw()
    return fig, ax


@pytest.mark.parametrize("name", sorted(CASES))
def test_legend_is_outside_the_data_area_and_nothing_is_clipped(name):
    import matplotlib.pyplot as plt

    fig, ax = _figure_of(name)
    try:
        renderer = fig.canvas.get_renderer()
        legend = ax.get_legend().get_window_extent(renderer)
        data = ax.get_window_extent(renderer)
        assert legend.x0 >= data.x1, (legend, data)  # right of the axes, not over the bars
        whole = fig.bbox
        for artist in (ax.title, ax.xaxis.label, ax.yaxis.label, ax.get_legend()):
            box = artist.get_window_extent(renderer)
            if box.width:
                assert whole.x0 <= box.x0, (artist, box, whole)
                assert box.x1 <= whole.x1, (artist, box, whole)
                assert whole.y0 <= box.y0, (artist, box, whole)
                assert box.y1 <= whole.y1, (artist, box, whole)
    finally:
        plt.close(fig)


def test_dagum_legend_lists_the_stack_top_first():
    import matplotlib.pyplot as plt

    fig, ax = _figure_of("chart_dagum")
    try:
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels == ["G", "Gt", "Gnb", "Gw"]
        # and the stack is drawn Gw at the bottom, Gt on top
        first = [c.patches[0] for c in ax.containers]
        assert [round(p.get_y(), 6) for p in first] == [0.0, 0.1, 0.25]
        top = max(p.get_y() + p.get_height() for c in ax.containers for p in c.patches)
        assert ax.get_ylim()[1] > top  # headroom: the tallest bar is not cut at the top
    finally:
        plt.close(fig)
