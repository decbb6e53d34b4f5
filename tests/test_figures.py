"""Every figure (the report's trend, Dagum, density and σ charts, the 3-D kernel density
surface and its ridgeline) drawn with Chinese titles, labels and group names, in every
theme (default, serif, grey) and format (SVG, PNG, PDF): no missing glyph (warnings are
errors), SVG text kept as ``<text>``, PNG at 300 dpi, a CJK font embedded in the PDF,
``$`` labels drawn literally, the caller's rcParams untouched, legends outside the data
area in stack order, nothing outside the figure. The PNGs go to ``test-artifacts/figures/``
for a look."""

from __future__ import annotations

import io
import pickle
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf import figures
from nqpf.errors import InputError
from nqpf.report import charts

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "figures"

GROUPS = ["东部", "中部", "西部", "东北"]
REGIONS = [
    "北京",
    "上海",
    "广东",
    "河南",
    "湖北",
    "安徽",
    "四川",
    "甘肃",
    "云南",
    "辽宁",
    "吉林",
    "黑龙江",
]
ZONE = dict(zip(REGIONS, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], strict=True))
YEARS = list(range(2012, 2020))


def _scores() -> pl.DataFrame:
    rng = np.random.default_rng(11)
    rows = [(r, GROUPS[ZONE[r]], y) for r in REGIONS for y in YEARS]
    level = {g: 0.2 + 0.15 * i for i, g in enumerate(GROUPS)}
    return pl.DataFrame(
        {
            "地区": [r for r, _, _ in rows],
            "区域$x$": [g for _, g, _ in rows],
            "年份": [y for _, _, y in rows],
            "综合得分": [level[g] + 0.01 * (y - 2012) + rng.normal(0, 0.05) for _, g, y in rows],
        }
    )


SCORES = _scores()
# the densities come from nqpf.kernel_density, as in the report (one common grid)
DENSITY = nqpf.kernel_density(SCORES, "综合得分", "年份", n=96)
BY_GROUP = nqpf.kernel_density(
    SCORES, "综合得分", "年份", "区域$x$", grid=DENSITY["x"].unique().sort().to_numpy()
)
SHUFFLED = ["西部", "东北", "东部", "中部"]  # an order that is not the data's
KERNEL = nqpf.conditional_density(SCORES, "综合得分", "地区", "年份", n=24)


def _dagum() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "年份": YEARS[:4],
            "G": [0.30, 0.28, 0.27, 0.25],
            "Gw": [0.10, 0.09, 0.09, 0.08],
            "Gnb": [0.15, 0.14, 0.13, 0.12],
            "Gt": [0.05, 0.05, 0.05, 0.05],
        }
    )


def _sigma() -> pl.DataFrame:
    return pl.DataFrame({"年份": YEARS[:4], "cv": [0.4, 0.38, 0.35, 0.33], "gini": [0.2] * 4})


_KDE = {
    "by_group": BY_GROUP,
    "group": "区域$x$",
    "order": SHUFFLED,
    "overall": "全国",
    "title": "综合得分的核密度 $f(x)$",
    "xlabel": "综合得分",
    "ylabel": "年份",
}

#: Every chart of nqpf.report.charts: (arguments, options), all Chinese, and the text it shows.
CASES = {
    "chart_trend": (
        (SCORES, "年份", "区域$x$", "综合得分"),
        {"title": "综合得分均值", "ylabel": "平均得分", "overall": "全国", "order": SHUFFLED},
        ["东部", "东北", "全国", "年份", "平均得分"],
    ),
    "chart_dagum": (
        (_dagum(), "年份", "东部、中部、西部、东北的基尼系数 $x$"),
        {"ylabel": "基尼系数", "labels": {"Gw": "区域内", "Gnb": "区域间", "Gt": "超变密度"}},
        ["基尼系数 $x$", "区域内", "超变密度"],
    ),
    "chart_density": (
        (DENSITY, "年份"),
        {"title": "核密度估计", "xlabel": "综合得分", "ylabel": "密度"},
        ["2012", "核密度估计", "密度"],
    ),
    "chart_sigma": (
        (_sigma(), "年份"),
        {"title": "σ收敛", "labels": {"cv": "变异系数", "gini": "基尼系数"}},
        ["年份", "σ收敛", "变异系数"],
    ),
    "chart_kde_surface": (
        (DENSITY, "年份"),
        {**_KDE, "zlabel": "密度"},
        ["全国", "东北", "综合得分", "年份", "密度", "$f(x)$"],
    ),
    "chart_ridgeline": ((DENSITY, "年份"), _KDE, ["全国", "东北", "综合得分", "年份"]),
    "chart_conditional_density": (
        (KERNEL,),
        {
            "title": "条件核密度 $f(y|x)$",
            "xlabel": "t 年得分",
            "ylabel": "t+1 年得分",
            "zlabel": "密度",
        },
        ["条件核密度 $f(y|x)$", "t 年得分", "t+1 年得分", "密度"],
    ),
    "chart_rank_range": (
        (
            pl.DataFrame(
                {
                    "区域$x$": ["东部", "中部", "西部", "东北"],
                    "min_rank": [1, 1, 2, 3],
                    "max_rank": [2, 3, 4, 4],
                    "median_rank": [1.5, 2.0, 3.0, 3.5],
                    "reference_rank": [1, 2, 3, 4],
                }
            ),
            "区域$x$",
        ),
        {
            "title": "排名范围 $x$",
            "xlabel": "平均得分排名",
            "median_label": "中位数",
            "reference_label": "本指数",
        },
        ["东部", "东北", "排名范围 $x$", "平均得分排名", "中位数"],
    ),
}


# the app's charts (nqpf.app.charts draws through these): Chinese names throughout
_RANKED = SCORES.with_columns(
    pl.col("综合得分").rank("ordinal", descending=True).over("年份").alias("排名"),
    (pl.col("综合得分") * 0.8).alias("经济$x$"),
    (pl.col("综合得分") * 1.1).alias("创新"),
)
_WEIGHTS = pl.DataFrame(
    {
        "indicator": ["人均GDP（元）", "R&D 经费投入强度", "专利授权数 $n$", "森林覆盖率"],
        "dimension": ["经济", "创新", "创新", "生态"],
        "direction": ["+", "+", "+", "+"],
        "weight": [0.4, 0.3, 0.2, 0.1],
    }
)
_INTERVALS = pl.DataFrame(
    {
        "年份": [y for y in YEARS[:4] for _ in range(4)],
        "quantity": ["G", "Gw", "Gnb", "Gt"] * 4,
        "estimate": [0.30, 0.10, 0.15, 0.05] * 4,
        "lower": [0.25, 0.08, 0.12, 0.03] * 4,
        "upper": [0.35, 0.12, 0.18, 0.07] * 4,
    }
)
_PAIRS = pl.DataFrame(
    {
        "group_j": ["东部", "东部", "东部", "中部", "中部", "西部"],
        "group_h": ["中部", "西部", "东北", "西部", "东北", "东北"],
        "Gjh": [0.31, 0.42, 0.28, 0.25, 0.22, 0.27],
    }
)
_JOINED = pl.DataFrame(
    {
        "地区": REGIONS,
        "年份": [2019] * len(REGIONS),
        "score_a": np.linspace(0.2, 0.8, len(REGIONS)),
        "score_b": np.linspace(0.25, 0.75, len(REGIONS))[::-1],
        "rank_a": list(range(len(REGIONS), 0, -1)),
        "rank_b": list(range(1, len(REGIONS) + 1)),
    }
).with_columns((pl.col("rank_a") - pl.col("rank_b")).alias("rank_change"))
CASES.update(
    {
        "chart_weights": (
            (_WEIGHTS, None),
            {"title": "指标权重", "xlabel": "权重", "ylabel": "指标", "legend": "维度"},
            ["指标权重", "人均GDP（元）", "专利授权数 $n$", "生态", "0.4000"],
        ),
        "chart_dimension_weights": (
            (_WEIGHTS.select("dimension", "weight").unique("dimension", maintain_order=True),),
            {"title": "各维度权重"},
            ["各维度权重", "经济", "生态"],
        ),
        "chart_regions": (
            (_RANKED, "地区", "年份", ["北京", "黑龙江"], "综合得分"),
            {"title": "综合得分与所选地区", "ylabel": "得分", "overall": "均值"},
            ["均值", "北京", "黑龙江", "得分"],
        ),
        "chart_rank_heatmap": (
            (_RANKED, "地区", "年份", "排名"),
            {"title": "各地区历年排名", "ylabel": "地区", "legend": "排名"},
            ["各地区历年排名", "黑龙江", "排名"],
        ),
        "chart_dimensions": (
            (_RANKED, "年份", {"经济$x$": "经济$x$", "创新": "创新"}),
            {"title": "维度得分", "ylabel": "维度得分"},
            ["经济$x$", "创新", "维度得分"],
        ),
        "chart_intervals": (
            (_INTERVALS, "年份"),
            {"title": "Bootstrap 置信区间", "labels": {"Gw": "组内差异 Gw", "Gt": "超变密度 Gt"}},
            ["Bootstrap 置信区间", "组内差异 Gw", "超变密度 Gt"],
        ),
        "chart_within": (
            (
                pl.DataFrame(
                    {
                        "年份": YEARS[:3] * 2,
                        "group": ["西部"] * 3 + ["东部"] * 3,
                        "Gjj": [0.2, 0.21, 0.19, 0.1, 0.12, 0.11],
                    }
                ),
                "年份",
            ),
            {"title": "组内基尼系数 Gjj", "order": ["东部", "西部"]},
            ["组内基尼系数 Gjj", "东部", "西部"],
        ),
        "chart_pairs": (
            (_PAIRS, "Gjh", "组间基尼系数 Gjh"),
            {"xlabel": "组 h", "ylabel": "组 j（均值较高）", "order": GROUPS},
            ["组间基尼系数 Gjh", "东北", "0.420"],
        ),
        "chart_compare_scatter": (
            (_JOINED, "年份"),
            {"title": "方案 A 与方案 B 的得分", "xlabel": "A：得分", "ylabel": "B：得分"},
            ["方案 A 与方案 B 的得分", "A：得分"],
        ),
        "chart_rank_change": (
            (_JOINED, "地区", 6),
            {"title": "排名变化最大的地区", "xlabel": "排名变化（A → B）"},
            ["排名变化最大的地区", "北京", "12 → 1"],
        ),
    }
)

# the Spatial page's chart: a global statistic by year (the table of nqpf.moran)
CASES["chart_spatial_global"] = (
    (
        pl.DataFrame(
            {
                "年份": YEARS[:4],
                "I": [0.21, 0.25, 0.18, 0.30],
                "expected": [-1 / 30] * 4,
                "p_sim": [0.01, 0.02, 0.2, None],
            }
        ),
        "年份",
        "I",
    ),
    {
        "p": "p_sim",
        "title": "莫兰指数 $I$ 逐年变化",
        "labels": {"expected": "期望值", "significant": "显著年份"},
    },
    ["莫兰指数 $I$ 逐年变化", "期望值", "年份", "显著年份"],
)

THEMES = sorted(figures.THEMES)


def test_every_chart_and_theme_is_covered():
    assert set(CASES) == set(charts.CHARTS)
    assert THEMES == ["default", "grey", "serif"]


@pytest.fixture(scope="module")
def cjk_font():
    """The CJK font files matplotlib draws with (findfont, fallback_to_default=False)."""
    found = {theme: figures.cjk_font_file(theme) for theme in THEMES}
    if None in found.values():
        pytest.skip("no CJK font installed (apt install fonts-noto-cjk): Chinese draws as boxes")
    return found


def _strict(draw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph, or any other drawing warning
        return draw()


def _pdf_fonts(pdf: bytes, tmp_path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) of every font of ``pdf``: poppler's pdffonts when installed,
    else the /FontName entries of the font descriptors with a /FontFile stream."""
    if shutil.which("pdffonts"):
        path = tmp_path / "figure.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True
        ).stdout
        rows = out.splitlines()[2:]
        return [(row.split()[0], " yes " in row[row.index(" ") :]) for row in rows if row.strip()]
    text = pdf.decode("latin-1")
    descriptors = re.findall(r"<<[^<>]*/FontName\s*/([^\s/>]+)[^<>]*>>", text)
    return [(name, "/FontFile" in text) for name in descriptors]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_figure_in_every_theme_and_format(name, theme, cjk_font, tmp_path):
    chart = charts.CHARTS[name]
    args, options, shown = CASES[name]
    svg = _strict(lambda: chart(*args, theme=theme, **options))
    assert svg.startswith("<svg")
    texts = "".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
    for text in shown:  # Chinese kept as text, labels as given
        assert text in texts, (name, text)
    cjk = "Noto Serif CJK SC" if theme == "serif" else "Noto Sans CJK SC"
    families = re.findall(r"font-family: ?([^;\"]*)", svg)
    assert families
    assert all(cjk in f for f in families), families

    png = _strict(lambda: svg.render("png"))
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert [round(d) for d in image.info["dpi"]] == [300, 300]
    assert min(image.size) > 600  # drawn at 300 dpi, not scaled up
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name.removeprefix('chart_')}-{theme}.png").write_bytes(png)

    pdf = _strict(lambda: svg.render("pdf"))
    assert pdf.startswith(b"%PDF")
    fonts = _pdf_fonts(pdf, tmp_path)
    embedded_cjk = [f for f, embedded in fonts if "CJK" in f and embedded]
    assert embedded_cjk, fonts
    family = "Serif" if theme == "serif" else "Sans"
    assert all(f"{family}CJK" in f for f in embedded_cjk), fonts
    assert b"/FontType 3" not in pdf  # Type 42/CID, not glyph procedures


def test_the_default_theme_draws_chinese_from_a_cjk_font(cjk_font):
    from matplotlib import font_manager

    with figures.style("default"):  # the style's first sans-serif font is that CJK font
        first = font_manager.findfont(
            font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False
        )
    assert first == cjk_font["default"]
    assert "Serif" in Path(cjk_font["serif"]).name


def test_dollar_labels_are_literal_text():
    # a group named "$x$" is drawn as "$x$", not as an italic x; so are axis labels
    scores = SCORES.with_columns(pl.lit("$x$").alias("g"))
    svg = charts.chart_trend(scores, "年份", "g", "综合得分", ylabel="$y^$")
    assert ">$x$</text>" in svg
    assert ">$y^$</text>" in svg  # would be a mathtext error if parsed
    surface = charts.chart_kde_surface(DENSITY, "年份", xlabel="$s_i$", title=None)
    assert ">$s_i$</text>" in surface


def test_style_leaves_the_callers_rcparams_alone():
    before = dict(matplotlib.rcParams)
    charts.chart_dagum(_dagum(), "年份", "标题", theme="grey")
    charts.render(charts.chart_sigma, _sigma(), "年份", fmt="pdf", theme="serif")
    figures.save(figures.kde_surface(DENSITY, "年份"), Path("/dev/null").with_suffix(".png"))
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def _figure_of(name: str, theme: str = "default"):
    """The drawn figure of a chart (the style and layout :func:`render` uses)."""
    args, options, _ = CASES[name]
    fig = charts.figure(charts.CHARTS[name], *args, theme=theme, **options)
    fig.canvas.draw()
    return fig


@pytest.mark.parametrize("name", sorted(CASES))
def test_legend_is_outside_the_data_area_and_nothing_is_outside_the_figure(name):
    fig = _figure_of(name)
    renderer = fig.canvas.get_renderer()
    whole = fig.bbox
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            box, data = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
            assert box.x0 >= data.x1, (box, data)  # right of the axes, not over the bars
        labels = [ax.title, ax.xaxis.label, ax.yaxis.label, legend]
        if hasattr(ax, "zaxis"):
            labels.append(ax.zaxis.label)
        for artist in labels:
            if artist is None or not artist.get_visible():
                continue
            box = artist.get_window_extent(renderer)
            if box.width:
                inside = (
                    whole.x0 <= box.x0,
                    box.x1 <= whole.x1,
                    whole.y0 <= box.y0,
                    box.y1 <= whole.y1,
                )
                assert all(inside), (name, artist, box, whole)
    if fig._suptitle is not None:
        box = fig._suptitle.get_window_extent(renderer)
        assert whole.y0 <= box.y0
        assert box.y1 <= whole.y1


def test_dagum_legend_lists_the_stack_top_first():
    ax = _figure_of("chart_dagum").axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["G", "超变密度", "区域间", "区域内"]
    # and the stack is drawn Gw at the bottom, Gt on top
    first = [c.patches[0] for c in ax.containers]
    assert [round(p.get_y(), 6) for p in first] == [0.0, 0.1, 0.25]
    top = max(p.get_y() + p.get_height() for c in ax.containers for p in c.patches)
    assert ax.get_ylim()[1] > top  # headroom: the tallest bar is not cut at the top


def test_trend_lines_follow_the_group_order():
    ax = _figure_of("chart_trend").axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["全国", *SHUFFLED]


def test_grey_theme_tells_series_apart_without_colour():
    ax = _figure_of("chart_dagum", "grey").axes[0]
    hatches = [c.patches[0].get_hatch() or "" for c in ax.containers]
    assert len(set(hatches)) == 3, hatches
    # 30 group lines: each a different (marker, line style) pair, all grey
    grey = figures.THEMES["grey"]
    styles = [grey.line(i) for i in range(charts.MAX_TREND_GROUPS)]
    assert len({(s["marker"], s["linestyle"]) for s in styles}) == len(styles)
    for s in styles:
        r, g, b = matplotlib.colors.to_rgb(s["color"])
        assert r == g == b


def test_kde_panels_are_overall_then_groups_in_order_each_on_its_scale():
    fig = _figure_of("chart_kde_surface")
    assert [ax.get_title() for ax in fig.axes] == ["全国", *SHUFFLED]
    peaks = [DENSITY["density"].max()]
    peaks += [BY_GROUP.filter(pl.col("区域$x$") == g)["density"].max() for g in SHUFFLED]
    assert [ax.get_zlim()[1] for ax in fig.axes] == [pytest.approx(p) for p in peaks]
    args, options, _ = CASES["chart_kde_surface"]
    shared = charts.figure(charts.chart_kde_surface, *args, **options, share_scale=True)
    assert [ax.get_zlim()[1] for ax in shared.axes] == [pytest.approx(max(peaks))] * 5
    for ax in fig.axes:  # a readable view: the year axis recedes, the density stands up
        assert 15 <= ax.elev <= 45
        assert -80 <= ax.azim <= -30


def test_ridgeline_draws_the_kernel_densities_as_they_are():
    # one line per year, first year on top, each the density of nqpf.kernel_density
    # raised to its row and scaled by one factor for every curve
    fig = charts.figure(charts.chart_ridgeline, DENSITY, "年份", overlap=1.5)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == len(YEARS)
    scale = 1.5 / DENSITY["density"].max()
    for i, (line, year) in enumerate(zip(lines, YEARS, strict=True)):
        curve = DENSITY.filter(pl.col("年份") == year).sort("x")
        np.testing.assert_array_equal(line.get_xdata(), curve["x"].to_numpy())
        expected = len(YEARS) - 1 - i + curve["density"].to_numpy() * scale
        np.testing.assert_allclose(line.get_ydata(), expected, rtol=0, atol=1e-12)
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(y) for y in YEARS]


def test_densities_on_different_grids_are_refused():
    own = nqpf.kernel_density(SCORES, "综合得分", "年份", grid="own", n=32)
    with pytest.raises(InputError, match="one grid"):
        figures.kde_surface(own, "年份")


def test_save_writes_the_format_of_the_extension(tmp_path):
    fig = figures.kde_surface(DENSITY, "年份", theme="serif")
    heads = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}
    for fmt, head in heads.items():
        path = figures.save(fig, tmp_path / f"surface.{fmt.upper()}")
        assert path.read_bytes().startswith(head)
    assert b"<text" in (tmp_path / "surface.SVG").read_bytes()
    with pytest.raises(InputError, match=r"cannot save a figure as '\.jpg'"):
        figures.save(fig, tmp_path / "surface.jpg")
    with pytest.raises(InputError, match="no figure theme named 'sepia'"):
        figures.kde_surface(DENSITY, "年份", theme="sepia")


def test_the_same_figure_gives_the_same_file():
    one = charts.render(charts.chart_sigma, _sigma(), "年份", fmt="pdf")
    two = charts.render(charts.chart_sigma, _sigma(), "年份", format="pdf")  # old keyword
    assert one == two
    assert charts.chart_sigma(_sigma(), "年份") == charts.chart_sigma(_sigma(), "年份")


def test_a_chart_pickles_and_still_renders():
    chart = charts.chart_density(DENSITY, "年份")
    again = pickle.loads(pickle.dumps(chart))
    assert again == chart
    assert isinstance(again, charts.Chart)
    assert again.render("png").startswith(b"\x89PNG")


def test_unknown_chart_is_refused():
    with pytest.raises(InputError, match=r"no chart of nqpf\.report\.charts"):
        charts.render(print, SCORES)


def test_report_folder_holds_png_and_pdf_of_every_figure(tmp_path):
    from hostile import small_index

    result = small_index(9, [2015, 2016, 2017, 2018], 3)
    report = nqpf.build_report(result, group="zone")
    assert {"kde_surface", "kde_ridgeline"} <= set(report.figures)
    assert report.figures["kde_surface"][0] == "sigma"
    folder = tmp_path / "report"
    written = report.write_folder(folder)
    stems = report.file_names()
    for name in report.figures:
        for fmt, head in (("png", b"\x89PNG"), ("pdf", b"%PDF")):
            path = folder / "figures" / f"{stems['figure:' + name]}.{fmt}"
            assert path in written
            assert path.read_bytes().startswith(head)
    assert report.write_folder(folder) == written  # a report folder with figures/ is replaced
    (folder / "figures" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not an nqpf report"):
        report.write_folder(folder)


def test_one_year_has_no_surface():
    from hostile import small_index

    report = nqpf.build_report(small_index(6, [2018], 2))
    assert "kde_surface" not in report.figures
    assert "kde_ridgeline" not in report.figures
