"""The report's spatial section (``build_report(..., weights=W)``): present in English
and Chinese with every text translated, its LISA map drawn without a missing glyph and
written as SVG/PNG/PDF and into Word, its Moran step in the methods, report.tex still
compiling; and without weights the report is exactly as before.

The panel: 31 provinces × 4 years of a synthetic index whose indicators rise from west
to east (the capitals' longitude), so that the score is spatially autocorrelated.
"""

from __future__ import annotations

import pickle
import re
import shutil
import warnings

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.errors import InputError
from nqpf.options import SpatialOptions
from nqpf.spatial import capital_coordinates, contiguity, from_neighbours

CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
YEARS = (2016, 2017, 2018, 2019)


@pytest.fixture(scope="module")
def result():
    coords = capital_coordinates("china-provinces")
    rng = np.random.default_rng(4)
    rows = [
        {
            "province": name,
            "year": year,
            "gdp": lon / 10 + rng.normal(0, 0.4) + 0.1 * (year - 2016),
            "patents": lon / 20 + rng.uniform(0, 1),
            "energy": 10 - lon / 15 + rng.uniform(0, 1),
        }
        for year in YEARS
        for name, (lon, _) in coords.items()
    ]
    spec = nqpf.IndicatorSpec.from_names(["gdp", "patents", "energy"], directions={"energy": "-"})
    return nqpf.entropy_topsis(pl.DataFrame(rows), spec, region="province", year="year")


def _strict(draw):
    """Run ``draw`` with a missing glyph as an error (Chinese drawn as boxes fails)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from")
        return draw()


@pytest.fixture(scope="module")
def reports(result):
    if nqpf.report.charts.cjk_font_file() is None:
        pytest.skip("no CJK font installed (apt install fonts-noto-cjk): Chinese draws as boxes")
    w = contiguity("china-provinces")
    return {
        lang: _strict(lambda lang=lang: nqpf.build_report(result, weights=w, language=lang))
        for lang in ("en", "zh")
    }


def test_the_section_holds_the_moran_table_the_map_and_the_spatial_markov(result, reports):
    report = reports["en"]
    moran = report.table("moran")
    assert moran.columns == ["year", "I", "expected", "z", "p_norm", "p_sim"]
    assert moran["year"].to_list() == list(YEARS)
    direct = nqpf.moran(
        result.scores, "score", "province", "year", w=contiguity("china-provinces"), seed=0
    )
    assert moran["I"].to_list() == direct.table["I"].to_list()
    assert moran["p_sim"].to_list() == direct.table["p_sim"].to_list()  # seeded: reproducible
    assert (moran["I"] > 0).all()  # the planted west–east gradient
    chain = nqpf.markov_chain(
        result.scores, "score", "province", "year", k=4, w=contiguity("china-provinces")
    )
    assert report.table("spatial_markov").equals(chain.tables()["spatial_probabilities"])
    section, svg = report.figures["lisa_map"]
    assert section == "moran"
    assert svg.startswith("<svg")
    titles = _svg_texts(svg)
    assert str(YEARS[0]) in titles  # the first and the last year, as panel titles
    assert str(YEARS[-1]) in titles
    assert str(YEARS[1]) not in titles
    names = report.names
    assert names.index("markov_states") < names.index("moran") < names.index("spatial_markov")
    assert any("Moran's I" in line for line in report.summary_lines)


def _svg_texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)]


def test_the_chinese_section_is_translated(reports):
    zh = reports["zh"]
    for name in ("moran", "spatial_markov"):
        item = next(e for e in zh.entries if e.name == name)
        assert CJK.search(item.title), item.title
        assert CJK.search(item.note), item.note
        for header in item.display.columns:
            assert header in {"year", "z", "1", "2", "3", "4"} or CJK.search(header), header
    assert "空间自相关" in next(e for e in zh.entries if e.name == "moran").title
    assert any("Moran's I 指数" in line for line in zh.summary_lines)
    # the data keep their English names and the same numbers
    assert zh.table("moran").equals(reports["en"].table("moran"))
    svg = zh.figures["lisa_map"][1]
    texts = " ".join(_svg_texts(svg))
    assert "高-高" in texts
    assert "LISA 集聚图" in texts
    assert "High-High" not in texts


def test_the_map_renders_as_png_pdf_and_into_word_and_pickles(reports, tmp_path):
    figure = reports["zh"].figures["lisa_map"][1]
    png = _strict(lambda: figure.render("png"))
    assert png.startswith(b"\x89PNG")
    assert _strict(lambda: figure.render("pdf")).startswith(b"%PDF")
    again = pickle.loads(pickle.dumps(figure))
    assert str(again) == str(figure)
    assert again.render("png").startswith(b"\x89PNG")
    written = reports["zh"].write_folder(tmp_path / "zh")
    names = {p.name for p in written}
    assert {"lisa_map.svg", "lisa_map.png", "lisa_map.pdf", "report.docx"} <= names
    from docx import Document

    document = Document(str(tmp_path / "zh" / "report.docx"))
    blips = [s for s in document.inline_shapes]
    html = (tmp_path / "zh" / "report.html").read_text("utf-8")
    # every figure of the report is in Word, the map included
    assert len(blips) == len(reports["zh"].figures)
    assert "空间马尔可夫转移概率矩阵" in html


def test_the_methods_gain_the_moran_lisa_and_spatial_markov_steps(reports):
    en = reports["en"].table("methods")
    steps = en["step"].to_list()
    assert "Global spatial autocorrelation" in steps
    assert "Local spatial autocorrelation" in steps
    assert "Spatial Markov chain" in steps
    row = en.filter(pl.col("step") == "Global spatial autocorrelation").row(0, named=True)
    assert "I = n/S0 · Σ_i Σ_j w_ij z_i z_j / Σ_i z_i²" in row["formula"]
    assert "Moran, P. A. P. (1950)" in row["reference"]
    lisa = en.filter(pl.col("step") == "Local spatial autocorrelation").row(0, named=True)
    assert "Anselin, L. (1995)" in lisa["reference"]
    zh_steps = reports["zh"].table("methods")["step"].to_list()
    assert "全局空间自相关" in zh_steps
    tex = reports["en"].to_latex()
    assert r"I=\frac{n}{S_0}" in tex


def test_without_weights_the_report_is_as_before(result):
    before = nqpf.build_report(result)
    again = nqpf.build_report(result, weights=None)
    assert again.to_html() == before.to_html()
    assert again.to_latex() == before.to_latex()
    assert "moran" not in before.names
    assert "lisa_map" not in before.figures
    assert "spatial" not in before.table("methods")["step"].str.to_lowercase().str.join("")


def test_the_same_data_give_the_same_report(result, reports):
    again = nqpf.build_report(result, weights=contiguity("china-provinces"))
    assert again.to_html() == reports["en"].to_html()


def test_progress_shows_the_spatial_step_only_with_weights(result):
    seen: list[tuple[str, int, int]] = []
    nqpf.build_report(result, progress=lambda *a: seen.append(a), clubs=False)
    assert "spatial" not in [label for label, _, _ in seen]
    spatial: list[tuple[str, int, int]] = []
    w = contiguity("china-provinces")
    nqpf.build_report(
        result, weights=w, progress=lambda *a: spatial.append(a), clubs=False, markov_k=3
    )
    assert "spatial" in [label for label, _, _ in spatial]
    assert spatial[-1][1] == spatial[-1][2] == seen[-1][2] + 1


def test_spatial_options_reach_the_section(result):
    w = contiguity("china-provinces")
    report = nqpf.build_report(
        result,
        weights=w,
        clubs=False,
        spatial_options=SpatialOptions(permutations=0, style="b"),
    )
    moran = report.table("moran")
    assert moran["p_sim"].null_count() == len(YEARS)
    direct = nqpf.moran(result.scores, "score", "province", "year", w=w, style="b")
    assert moran["I"].to_list() == direct.table["I"].to_list()
    note = next(e for e in report.entries if e.name == "moran").note
    assert "Binary" in note
    assert "0 random permutations" in note


def test_bad_weights_are_refused_and_uncovered_regions_noted(result):
    with pytest.raises(InputError, match="SpatialWeights"):
        nqpf.build_report(result, weights={"Beijing": ["Tianjin"]})
    few = from_neighbours({"Beijing": ["Tianjin"], "Tianjin": ["Hebei"], "Hebei": ["Beijing"]})
    report = nqpf.build_report(result, weights=few, clubs=False)
    assert "moran" not in report.names
    reasons = report.table("not_run")
    row = reasons.filter(pl.col("analysis") == "global Moran's I").row(0, named=True)
    assert "not in the spatial weights" in row["reason"]


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is absent")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_tex_with_the_spatial_section_compiles(reports, tmp_path, lang):
    from test_latex_compile import _has_sty, _typeset

    if not _has_sty("threeparttable.sty"):
        pytest.skip("threeparttable.sty is absent (Debian: texlive-latex-extra)")
    tex = reports[lang].to_latex()
    log = _typeset(tmp_path, tex, "xelatex")
    assert "Missing character" not in log
    assert (tmp_path / "report.pdf").stat().st_size > 0


@pytest.mark.e2e
def test_the_chinese_report_shows_its_maps_in_a_browser(reports, tmp_path):
    """The Chinese report as a reader opens it in Chromium: the spatial section's LISA maps
    are drawn with their Chinese legend (screenshot in test-artifacts/ to look at)."""
    from pathlib import Path

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is absent (Debian: apt-get install chromium)")
    page_file = tmp_path / "report.html"
    page_file.write_text(reports["zh"].to_html(), "utf-8")
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=args)
        try:
            view = browser.new_page(viewport={"width": 1300, "height": 1000})
            view.goto(page_file.as_uri())
            maps = [
                svg for svg in view.locator("svg").all() if "高-高" in (svg.text_content() or "")
            ]
            assert maps, "no LISA map with its Chinese legend in the page"
            maps[0].scroll_into_view_if_needed()
            maps[0].screenshot(path=str(artifacts / "e2e-report-lisa-map-zh.png"))
        finally:
            browser.close()
