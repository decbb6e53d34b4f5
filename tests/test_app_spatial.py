"""The app's Spatial page (AppTest): weights, global statistics by year, LISA and hot-spot
maps, the R check, bad weights and the language switch.

Every number shown is compared with the nqpf API called here on the scores the Index
page shows (df.scores) and the weights built here from the library.
"""

from __future__ import annotations

import json
import math
import re

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
pytest.importorskip("libpysal", reason="the spatial extra is not installed")
from app_panel import PROVINCES, panel_csv, spec_csv
from test_app import (
    at,
    chart_keys,
    chart_svg,
    compute_index,
    errors,
    frame,
    go,
    ok,
    published,
    upload,
)

import nqpf
from nqpf.options import SpatialOptions
from nqpf.spatial.builders import builtin_weights, read_weights
from nqpf.spatial.maps import DATA as MAP_DATA

__all__ = ["at"]  # the AppTest fixture of test_app

REGIONS = list(PROVINCES)
#: The page's default options: the declared defaults, with the page's seed.
DEFAULTS = {"seed": 1}


def spatial(at):  # type: ignore[no-untyped-def]
    """The 12-province panel uploaded, the index computed, the Spatial page open."""
    upload(at, "provinces.csv", panel_csv())
    go(at, "indicators")  # three dimensions: their scores are values too
    at.file_uploader(key="up.spec").set_value(("spec.csv", spec_csv(), "text/csv")).run()
    compute_index(at)
    go(at, "spatial")
    return at


def scores(at) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    go(at, "index")
    shown = frame(at, "df.scores")
    go(at, "spatial")
    return shown


def assert_same(shown: pl.DataFrame, expected: pl.DataFrame) -> None:
    """The table shown has the API's columns and cells (floats to the last bit, but for
    what the page shows of them: NaN and ±∞ as empty cells, a negative value that its
    column's 3 or 4 decimals round to zero as 0, not -0.0000; nqpf.app.state.shown_table)."""
    assert shown.columns == expected.columns
    assert shown.height == expected.height

    def shown_as(x: float | None, y: float | None) -> bool:
        if x is None or y is None:
            return x is None and y is None
        return x == y or (x == 0.0 and y < 0 and round(y, 3) == 0)

    for name in expected.columns:
        # the browser's table has no NaN or ∞: it shows them as an empty cell (null)
        a, b = (
            [
                None if isinstance(x, float) and not math.isfinite(x) else x
                for x in f.get_column(name).to_list()
            ]
            for f in (shown, expected)
        )
        if expected.schema[name].is_float():
            assert all(shown_as(x, y) for x, y in zip(a, b, strict=True)), (
                name,
                [(x, y) for x, y in zip(a, b, strict=True) if x != y],
            )
        else:
            assert [str(x) for x in a] == [str(x) for x in b], name


def assert_global(at, data: pl.DataFrame, w, value: str = "score", **options) -> None:  # type: ignore[no-untyped-def]
    opts = SpatialOptions(**(DEFAULTS | options))
    for key, api in (
        ("moran", nqpf.moran),
        ("geary", nqpf.geary),
        ("getis_ord_g", nqpf.getis_ord_g),
    ):
        expected = api(data, value, "province", "year", w=w, options=opts).table
        assert_same(frame(at, f"df.spa.{key}"), expected)


def assert_local(at, data: pl.DataFrame, w, year: int, value: str = "score", **options) -> None:  # type: ignore[no-untyped-def]
    opts = SpatialOptions(**(DEFAULTS | options))
    for key, api in (("local_moran", nqpf.local_moran), ("local_g", nqpf.local_g)):
        table = api(data, value, "province", "year", w=w, options=opts).table
        assert_same(frame(at, f"df.spa.{key}"), table.filter(pl.col("year") == year))


# ------------------------------------------------------------------------------ pages


def test_the_page_needs_an_index_run(at) -> None:  # type: ignore[no-untyped-def]
    go(at, "spatial")
    assert at.info[0].value.startswith("Compute the index")
    assert not chart_keys(at)


def test_countries_are_offered_an_upload_only(at) -> None:  # type: ignore[no-untyped-def]
    compute_index(at)  # the default panel: countries, not Chinese provinces
    go(at, "spatial")
    assert at.selectbox(key="w.spa.w.kind").options == ["Upload a weights file"]
    assert any("31 Chinese provinces" in i.value for i in at.info)
    assert at.session_state["spatial.weights"] is None
    assert not chart_keys(at)


def test_a_region_that_is_no_province_is_named(at) -> None:  # type: ignore[no-untyped-def]
    frame_ = pl.read_csv(panel_csv())
    extra = frame_.filter(pl.col("province") == "重庆").with_columns(
        pl.lit("全国").alias("province")
    )
    upload(at, "national.csv", pl.concat([frame_, extra]).write_csv().encode("utf-8"))
    compute_index(at)
    at.switch_page("pkg/nqpf/app/app_pages/spatial.py").run()
    assert not at.exception
    (message,) = errors(at)
    assert message.startswith("Input problem:")
    assert "1 region(s) of the data are not in the spatial weights: '全国'" in message
    assert at.session_state["spatial.weights"] is None
    assert not chart_keys(at)


def test_default_weights_numbers_equal_the_api(at) -> None:  # type: ignore[no-untyped-def]
    spatial(at)
    data = scores(at)
    w = builtin_weights(REGIONS)
    assert_global(at, data, w)
    assert_local(at, data, w, 2022)
    assert {
        "ch.spa.moran",
        "ch.spa.geary",
        "ch.spa.getis_ord_g",
        "ch.spa.lisa",
        "ch.spa.hotspot",
    } <= (chart_keys(at))
    # the weights: each region's neighbours, as the library builds them
    shown = frame(at, "df.spa.neighbours")
    lists = dict(zip(shown["province"], shown["neighbour list"], strict=True))
    assert {r: set(v.split(", ")) for r, v in lists.items()} == {
        r: set(v) for r, v in w.neighbours.items()
    }
    counts = dict(zip(shown["province"], shown["neighbours"], strict=True))
    assert counts == {r: len(v) for r, v in w.neighbours.items()}
    # few regions: the warning; the key of the weights for the other pages
    assert any("Only 12 regions" in x.value for x in at.warning)
    key = at.session_state["spatial.weights"]
    assert key.kind == "contiguity"
    assert sorted(key.regions) == sorted(REGIONS)
    # the maps: LISA classes and hot spots of the chosen year, drawn by nqpf.spatial.maps
    lisa = chart_svg(at, "ch.spa.lisa")
    assert "LISA clusters, 2022" in lisa
    assert "High-High" in lisa
    assert "Hot spot" in chart_svg(at, "ch.spa.hotspot")
    # published for the Export page
    extra = published(at)
    assert {"spa_moran", "spa_geary", "spa_getis_ord_g", "spa_local_moran", "spa_local_g"} <= set(
        extra
    )


def test_every_option_reaches_the_api(at) -> None:  # type: ignore[no-untyped-def]
    spatial(at)
    data = scores(at)
    dimension = "科技创新"
    assert dimension in at.selectbox(key="w.spa.value").options
    at.selectbox(key="w.spa.value").set_value(dimension).run()
    at.number_input(key="w.spa.opt.permutations").set_value(99).run()
    style = at.selectbox(key="w.spa.opt.style")
    assert style.value == "own"  # None: each statistic's own default (a value a browser shows)
    assert style.format_func("own") == "Each statistic's default"
    style.set_value("b").run()
    at.selectbox(key="w.spa.opt.alternative").set_value("two.sided").run()
    at.number_input(key="w.spa.opt.alpha").set_value(0.1).run()
    at.selectbox(key="w.spa.opt.islands").set_value("keep").run()
    at.number_input(key="w.spa.seed").set_value(7).run()
    at.checkbox(key="w.spa.opt.randomisation").uncheck().run()
    at.checkbox(key="w.spa.opt.star").check().run()
    at.selectbox(key="w.spa.year").set_value(2015).run()
    ok(at)
    chosen = {
        "permutations": 99,
        "style": "b",
        "alternative": "two.sided",
        "alpha": 0.1,
        "islands": "keep",
        "seed": 7,
        "randomisation": False,
        "star": True,
    }
    w = builtin_weights(REGIONS)
    assert_global(at, data, w, dimension, **chosen)
    assert_local(at, data, w, 2015, dimension, **chosen)
    assert "LISA clusters, 2015 (p_sim &lt; 0.1)" in chart_svg(at, "ch.spa.lisa")
    # no permutations: no p_sim, and the page says how the maps are classed then
    at.number_input(key="w.spa.opt.permutations").set_value(0).run()
    ok(at)
    assert frame(at, "df.spa.moran").get_column("p_sim").null_count() == 11
    assert any("Without permutations" in c.value for c in at.caption)
    assert_local(at, data, w, 2015, dimension, **(chosen | {"permutations": 0}))


@pytest.mark.parametrize(
    ("kind", "widget", "value", "params"),
    [
        ("knn", "w.spa.w.k", 3, {"k": 3}),
        ("inverse_distance", "w.spa.w.power", 2.0, {"power": 2.0}),
        ("distance_band", "w.spa.w.threshold", 1600.0, {"threshold": 1600.0}),
        ("contiguity", "w.spa.w.link_islands", False, {"link_islands": False}),
    ],
)
def test_builtin_weights_kinds(at, kind, widget, value, params) -> None:  # type: ignore[no-untyped-def]
    spatial(at)
    data = scores(at)
    at.selectbox(key="w.spa.w.kind").set_value(kind).run()
    if isinstance(value, bool):
        at.checkbox(key=widget).uncheck().run()
    else:
        at.number_input(key=widget).set_value(value).run()
    # the page's regions in its order (a sum over another order may differ in the last bit)
    w = builtin_weights(list(at.session_state["spatial.weights"].regions), kind, **params)
    if kind == "inverse_distance":
        # every region is every other's neighbour: binary Gi has no variance (z undefined, null),
        # so the page says so instead of a hot-spot map
        assert not errors(at)
        assert any("every region is a neighbour" in i.value for i in at.info)
        assert "ch.spa.hotspot" not in chart_keys(at)
    else:
        ok(at)
    assert at.session_state["spatial.weights"].kind == kind
    assert_global(at, data, w)


def test_a_distance_band_leaving_islands_is_one_line(at) -> None:  # type: ignore[no-untyped-def]
    spatial(at)
    at.selectbox(key="w.spa.w.kind").set_value("distance_band").run()
    at.number_input(key="w.spa.w.threshold").set_value(300.0).run()
    (message,) = errors(at)
    assert "without a neighbour" in message
    assert "use a threshold of at least" in message
    assert at.session_state["spatial.weights"] is None


def _upload_weights(at, name: str, data: bytes, mime: str = "text/csv"):  # type: ignore[no-untyped-def]
    at.selectbox(key="w.spa.w.kind").set_value("upload").run()
    at.file_uploader(key="up.spa.weights").set_value((name, data, mime)).run()
    return at


def test_uploaded_edge_list_and_matrix(at) -> None:  # type: ignore[no-untyped-def]
    spatial(at)
    data = scores(at)
    at.selectbox(key="w.spa.w.kind").set_value("upload").run()
    assert any("Upload a weights file" in i.value for i in at.info)
    w = builtin_weights(REGIONS, "knn", k=2)  # directed and not the default: it must be read
    edges = w.to_frame().write_csv().encode("utf-8")
    _upload_weights(at, "knn.csv", edges)
    ok(at)
    assert at.session_state["spatial.weights"].kind == "upload"
    assert_global(at, data, read_weights(edges, name="knn.csv"))
    matrix = builtin_weights(REGIONS).to_matrix_frame(id="省份").write_csv().encode("utf-8")
    _upload_weights(at, "matrix.csv", matrix)
    ok(at)
    assert_global(at, data, read_weights(matrix, name="matrix.csv"))
    contiguous = builtin_weights(REGIONS)
    gal = f"{contiguous.n}\n" + "".join(
        f"{r} {len(v)}\n{' '.join(v)}\n" for r, v in contiguous.neighbours.items()
    )
    _upload_weights(at, "west.gal", gal.encode("utf-8"), "text/plain")
    ok(at)
    assert_global(at, data, read_weights(gal.encode("utf-8"), name="west.gal"))


def _geojson(names: list[str] | None) -> bytes:
    found = json.loads((MAP_DATA / "china-provinces.geojson").read_text("utf-8"))
    if names is not None:
        found["features"] = [f for f in found["features"] if f["properties"]["name_zh"] in names]
    return json.dumps(found, ensure_ascii=False).encode("utf-8")


def test_uploaded_polygons(at) -> None:  # type: ignore[no-untyped-def]
    spatial(at)
    data = scores(at)
    polygons = _geojson(REGIONS)
    _upload_weights(at, "west.geojson", polygons, "application/geo+json")
    (message,) = errors(at)
    assert "which column of the polygon file" in message  # no id column named yet
    at.text_input(key="w.spa.w.id").input("name_zh").run()
    at.selectbox(key="w.spa.w.rule").set_value("rook").run()
    ok(at)
    w = read_weights(polygons, name="west.geojson", id="name_zh", rule="rook")
    assert_global(at, data, w)
    assert "ch.spa.lisa" in chart_keys(at)  # drawn on the uploaded polygons
    # the whole map has regions the data lacks: one line naming them
    _upload_weights(at, "china.geojson", _geojson(None), "application/geo+json")
    (message,) = errors(at)
    assert "have no rows in the data" in message
    assert "北京" in message


def test_bad_weights_files_are_one_line_in_either_language(at) -> None:  # type: ignore[no-untyped-def]
    spatial(at)
    edges = builtin_weights(REGIONS).to_frame()
    bad = pl.concat(
        [edges, pl.DataFrame({"focal": ["Atlantis"], "neighbour": ["重庆"], "weight": [1.0]})]
    )
    _upload_weights(at, "bad.csv", bad.write_csv().encode("utf-8"))
    (message,) = errors(at)
    assert "not in the data" in message or "no rows in the data" in message
    assert "Atlantis" in message
    cells = b"id,a,b,c\na,0,1,x\nb,1,0,1\nc,1,1,0\n"
    _upload_weights(at, "cells.csv", cells)
    (message,) = errors(at)
    assert message.startswith("Input problem:")
    assert "cells.csv" in message
    assert "not a number" in message
    at.radio(key="w.lang").set_value("zh").run()
    (message,) = errors(at)
    assert message.startswith("输入有误：")
    assert "cells.csv" in message
    assert "非数值" in message
    assert "英文原文" not in message


def test_language_switch(at) -> None:  # type: ignore[no-untyped-def]
    spatial(at)
    at.radio(key="w.lang").set_value("zh").run()
    ok(at)
    assert at.header[0].value == "空间分析"
    assert at.selectbox(key="w.spa.w.kind").label == "权重矩阵"
    lisa = chart_svg(at, "ch.spa.lisa")
    assert "LISA 集聚图（2022 年" in lisa
    assert "高-高" in lisa
    assert "不显著" in lisa
    assert "莫兰" in chart_svg(at, "ch.spa.moran") or "Moran's I 逐年变化" in chart_svg(
        at, "ch.spa.moran"
    )
    assert any(re.search(r"[\u4e00-\u9fff]", e.label) for e in at.expander)
    # the label cells in Chinese (display only): the same table otherwise
    lisa_table = frame(at, "df.spa.local_moran")
    assert set(lisa_table["quadrant"]) <= {"高-高", "低-高", "低-低", "高-低"}
    assert set(lisa_table["cluster"]) <= {"高-高", "低-高", "低-低", "高-低", "不显著"}
    assert set(frame(at, "df.spa.local_g")["spot"]) <= {"热点", "冷点", "不显著"}
    assert "not significant" in set(published(at)["spa_local_moran"]["cluster"])


def test_r_check(at) -> None:  # type: ignore[no-untyped-def]
    import contextlib
    import importlib.util

    with contextlib.suppress(Exception):  # R or rpy2 absent: the rows are skipped instead
        import rpy2.robjects  # noqa: F401
    if importlib.util.find_spec("nqpf.crossval") is None:
        pytest.skip("nqpf.crossval is not in this checkout")
    spatial(at)
    at.button(key="btn.spa.crossval").click().run()
    ok(at)
    report = frame(at, "df.spa.crossval")
    assert report.columns[0] == "✓"
    assert set(report["✓"]) <= {"✓ pass", "– skipped"}  # nothing fails
    compared = report.filter(pl.col("status") == "compared")
    if compared.height:  # R and spdep are here
        routines = {"spdep::moran.test", "spdep::geary.test", "spdep::globalG.test"}
        assert routines <= set(compared["routine"])
        assert any("agree with R" in s.value for s in at.success)
    assert "spa_crossval" in published(at)


def test_the_weights_caption_is_in_the_apps_language(at) -> None:  # type: ignore[no-untyped-def]
    """The library describes weights in English (``SpatialWeights.source``); in Chinese
    the page describes them from its own choices, with no English sentence left."""
    import re

    spatial(at)
    english = [c.value for c in at.caption if "contiguity of the 31 mainland provinces" in c.value]
    assert english
    at.radio(key="w.lang").set_value("zh").run()
    ok(at)
    texts = [c.value for c in at.caption]
    assert any("共 12 个地区" in c and "海南与广东相邻" in c for c in texts), texts
    assert not any(re.search(r"[A-Za-z]{4,} [A-Za-z]{3,}", c) for c in texts if "地区" in c)
