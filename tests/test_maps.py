"""Offline maps (nqpf.spatial.maps): the built-in geometry's integrity (31 provinces by
their NBS names, valid polygons, unique ids, licence files), each map type in English and
Chinese as SVG/PNG/PDF with no missing glyph, the colours each region gets (classes,
LISA clusters, hot/cold spots), no-data regions, name matching and bad input. PNGs go to
``test-artifacts/`` to be looked at."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import polars as pl
import pytest

from nqpf.errors import InputError
from nqpf.report import charts
from nqpf.spatial import maps

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
DATA = ROOT / "pkg" / "nqpf" / "spatial" / "data"

#: The 31 mainland provincial-level divisions as the NBS yearbooks write them in English,
#: with their Chinese short names (written here from the yearbooks, not from the map).
NBS = {
    "Beijing": "北京", "Tianjin": "天津", "Hebei": "河北", "Shanxi": "山西",
    "Inner Mongolia": "内蒙古", "Liaoning": "辽宁", "Jilin": "吉林", "Heilongjiang": "黑龙江",
    "Shanghai": "上海", "Jiangsu": "江苏", "Zhejiang": "浙江", "Anhui": "安徽",
    "Fujian": "福建", "Jiangxi": "江西", "Shandong": "山东", "Henan": "河南",
    "Hubei": "湖北", "Hunan": "湖南", "Guangdong": "广东", "Guangxi": "广西",
    "Hainan": "海南", "Chongqing": "重庆", "Sichuan": "四川", "Guizhou": "贵州",
    "Yunnan": "云南", "Tibet": "西藏", "Shaanxi": "陕西", "Gansu": "甘肃",
    "Qinghai": "青海", "Ningxia": "宁夏", "Xinjiang": "新疆",
}  # fmt: skip
PROVINCES = list(NBS)

#: Provincial capitals (lon, lat; public gazetteer values to 0.01°), each inside its
#: province: a map whose names were swapped (Shanxi/Shaanxi) fails here.
CAPITALS = {
    "Beijing": (116.41, 39.90), "Shanxi": (112.55, 37.87), "Shaanxi": (108.94, 34.34),
    "Tibet": (91.14, 29.65), "Xinjiang": (87.62, 43.83), "Inner Mongolia": (111.75, 40.84),
    "Guangdong": (113.26, 23.13), "Hainan": (110.33, 20.03), "Heilongjiang": (126.53, 45.80),
    "Sichuan": (104.07, 30.57), "Hunan": (112.94, 28.23), "Henan": (113.63, 34.75),
    "Shanghai": (121.47, 31.23), "Chongqing": (106.55, 29.56), "Ningxia": (106.23, 38.49),
}  # fmt: skip


def _features(name: str) -> list[dict]:
    with (DATA / f"{name}.geojson").open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def _strict(draw):
    """Run ``draw`` with a missing glyph as an error (Chinese drawn as boxes fails)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from")
        return draw()


@pytest.fixture(scope="module")
def cjk_font():
    found = charts.cjk_font_file()
    if found is None:
        pytest.skip("no CJK font installed (apt install fonts-noto-cjk): Chinese draws as boxes")
    return found


def _patches(m: maps.Map, panel: int = 0) -> dict[str, object]:
    """Region id → its patch in a panel of a drawn map."""
    ax = m.figure.axes[panel]
    return {p.get_label(): p for p in ax.patches if p.get_label()[:1] not in ("", "_")}


def _face(m: maps.Map, region: str, panel: int = 0) -> str:
    from matplotlib.colors import to_hex

    return to_hex(_patches(m, panel)[region].get_facecolor())


def _legend_texts(m: maps.Map) -> list[str]:
    return [t.get_text() for t in m.figure.legends[0].get_texts()]


def _scores(years=(2012, 2022), seed=3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [(p, y) for y in years for p in PROVINCES]
    return pl.DataFrame(
        {
            "region": [p for p, _ in rows],
            "year": [y for _, y in rows],
            "score": rng.uniform(0.05, 0.95, len(rows)),
        }
    )


# ------------------------------------------------------------------ geometry files


def test_china_geometry_has_the_31_provinces_once_with_chinese_names():
    features = _features("china-provinces")
    ids = [f["id"] for f in features]
    assert len(ids) == len(set(ids))
    provinces = {
        f["id"]: f["properties"]["name_zh"]
        for f in features
        if f["properties"]["kind"] == "province"
    }
    assert provinces == NBS
    others = {
        f["id"]: f["properties"]["name_zh"] for f in features if f["properties"]["kind"] == "other"
    }
    assert others == {"Hong Kong": "香港", "Macao": "澳门", "Taiwan": "台湾"}
    insets = [f for f in features if f["properties"]["kind"] == "inset"]
    assert [f["properties"]["name_zh"] for f in insets] == ["南海诸岛"]


@pytest.mark.parametrize("name", ["china-provinces", "world-countries"])
def test_geometry_polygons_are_valid_and_small(name):
    from shapely.geometry import shape

    path = DATA / f"{name}.geojson"
    assert path.stat().st_size < 300_000
    for feature in _features(name):
        geometry = shape(feature["geometry"])
        assert geometry.geom_type in ("Polygon", "MultiPolygon"), feature["id"]
        assert geometry.is_valid, feature["id"]
        assert geometry.area > 0, feature["id"]
        lon0, lat0, lon1, lat1 = geometry.bounds
        assert -180 <= lon0 <= lon1 <= 180, feature["id"]
        assert -90 <= lat0 <= lat1 <= 90, feature["id"]


def test_each_capital_lies_in_its_province_and_only_there():
    from shapely.geometry import Point, shape

    shapes = {f["id"]: shape(f["geometry"]) for f in _features("china-provinces")}
    for province, (lon, lat) in CAPITALS.items():
        inside = [gid for gid, s in shapes.items() if s.contains(Point(lon, lat))]
        assert inside == [province], (province, inside)


def test_neighbours_touch_after_simplification():
    from shapely.geometry import shape

    shapes = {f["id"]: shape(f["geometry"]) for f in _features("china-provinces")}
    near = shapes["Shanghai"].buffer(0.02)  # ~2 km: the simplification's gaps are below it
    assert near.intersects(shapes["Jiangsu"])
    assert near.intersects(shapes["Zhejiang"])
    assert not near.intersects(shapes["Anhui"])
    assert shapes["Beijing"].buffer(0.02).intersects(shapes["Tianjin"])
    assert not shapes["Hainan"].buffer(0.02).intersects(shapes["Guangdong"])  # the strait


def test_world_geometry_names_countries_once():
    features = _features("world-countries")
    ids = [f["id"] for f in features]
    assert len(ids) == len(set(ids))
    assert all(ids)
    assert {"China", "United States", "Brazil", "Germany", "India", "Australia"} <= set(ids)
    assert sum(f["properties"]["kind"] == "country" for f in features) >= 170


def test_licence_and_provenance_ship_beside_the_geometry():
    licence = (DATA / "LICENSE-Apache-2.0.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence
    assert "Version 2.0" in licence
    assert "Apache" in (DATA / "NOTICE-echarts.txt").read_text(encoding="utf-8")
    sources = (DATA / "maps-sources.md").read_text(encoding="utf-8")
    for text in ("echarts", "4.9.0", "Apache License 2.0", "Natural Earth", "标准地图", "审图号"):
        assert text in sources, text
    assert "标准地图" in maps.__doc__
    assert "geometry=" in maps.__doc__


# ----------------------------------------------------------------- every map type


def _lisa() -> pl.DataFrame:
    classes = ["HH", "LH", "LL", "HL", "ns"]
    return pl.DataFrame(
        {
            "region": PROVINCES * 2,
            "year": [2012] * 31 + [2022] * 31,
            "cluster": [classes[i % 5] for i in range(62)],
        }
    )


def _zscores() -> pl.DataFrame:
    return pl.DataFrame({"region": PROVINCES, "z": np.linspace(-3.2, 3.2, 31)})


def _echelons(lang: str) -> pl.DataFrame:
    tiers = (
        ["第一梯队", "第二梯队", "第三梯队", "第四梯队"]
        if lang == "zh"
        else [f"echelon {j}" for j in range(1, 5)]
    )
    return pl.DataFrame({"region": PROVINCES, "label": [tiers[i % 4] for i in range(31)]})


def _draw(kind: str, lang: str) -> maps.Map:
    title = {"en": "Index 2012 and 2022", "zh": "新质生产力指数"}[lang]
    if kind == "choropleth":
        return maps.choropleth(_scores(), "score", year="year", lang=lang, title=title)
    if kind == "echelon":
        return maps.echelon_map(_echelons(lang), lang=lang, title=title, labels=True)
    if kind == "cluster":
        return maps.cluster_map(_lisa(), year="year", lang=lang, title=title)
    return maps.hotspot_map(_zscores(), lang=lang, title=title)


KINDS = ["choropleth", "echelon", "cluster", "hotspot"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_map_renders_svg_png_pdf_without_missing_glyphs(kind, lang, cjk_font, tmp_path):
    m = _strict(lambda: _draw(kind, lang))
    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")):
        path = _strict(lambda s=suffix: m.save(tmp_path / f"map{s}"))
        assert path.read_bytes().startswith(magic)
    png = (tmp_path / "map.png").read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    inches = m.figure.get_size_inches()
    # 300 dpi (matplotlib truncates the pixel count)
    assert abs(width - inches[0] * 300) < 1
    assert abs(height - inches[1] * 300) < 1
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"map_{kind}_{lang}.png").write_bytes(png)


def test_svg_keeps_chinese_legend_and_inset_as_text(cjk_font):
    svg = _strict(lambda: maps.cluster_map(_lisa(), year="year", lang="zh").svg())
    assert svg.startswith("<svg")
    texts = "".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
    for text in (
        "高-高",
        "低-低",
        "低-高",
        "高-低",
        "不显著",
        "无数据",
        "南海诸岛",
        "2012",
        "2022",
    ):
        assert text in texts, text


def test_maps_leave_the_callers_rcparams_alone():
    before = dict(matplotlib.rcParams)
    maps.hotspot_map(_zscores()).to_bytes("png")
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def test_legend_is_outside_every_panel():
    m = maps.choropleth(_scores(years=(2012, 2016, 2022)), year="year")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(m.figure)
    with charts.chart_style():
        canvas.draw()
    renderer = canvas.get_renderer()
    legend = m.figure.legends[0].get_window_extent(renderer)
    panels = [ax for ax in m.figure.axes if ax.get_label() != "inset_axes"]
    assert panels
    for ax in panels:
        assert legend.x0 >= ax.get_window_extent(renderer).x1 - 1
    assert m.figure.bbox.x1 >= legend.x1


# --------------------------------------------------------------- what gets drawn


def test_lisa_clusters_get_the_conventional_colours_and_labels():
    data = pl.DataFrame(
        {
            "province": ["Beijing", "Tibet", "Jiangsu", "Gansu", "Hunan", "Yunnan", "Hebei"],
            "c": ["HH", "LL", "High-Low", "低-高", "not significant", 0, None],
        },
        strict=False,
    )
    m = maps.cluster_map(data, "c", region="province")
    assert _face(m, "Beijing") == "#e31a1c"  # red
    assert _face(m, "Tibet") == "#2166ac"  # blue
    assert _face(m, "Jiangsu") == "#f4a6a6"  # pink
    assert _face(m, "Gansu") == "#a6bddb"  # light blue
    assert _face(m, "Hunan") == _face(m, "Yunnan") == "#eeeeee"  # light grey
    assert _patches(m)["Hebei"].get_hatch()  # null → no data
    labels = _legend_texts(m)
    assert labels[:5] == ["High-High", "Low-High", "Low-Low", "High-Low", "Not significant"]
    assert labels[5].startswith("No data: ")
    assert "regions" in labels[5]


def test_hotspots_follow_the_normal_critical_values():
    z = {"Beijing": 2.6, "Tianjin": 2.0, "Hebei": 1.7, "Shanxi": 1.6, "Jilin": -1.97,
         "Hunan": -3.0, "Tibet": -1.65}  # fmt: skip
    m = maps.hotspot_map(pl.DataFrame({"region": list(z), "z": list(z.values())}))
    colours = maps.HOTSPOT_COLOURS
    assert _face(m, "Beijing") == colours[("hot", 99)]
    assert _face(m, "Tianjin") == colours[("hot", 95)]
    assert _face(m, "Hebei") == colours[("hot", 90)]
    assert _face(m, "Shanxi") == colours["ns"]
    assert _face(m, "Jilin") == colours[("cold", 95)]
    assert _face(m, "Hunan") == colours[("cold", 99)]
    assert _face(m, "Tibet") == colours[("cold", 90)]  # |z| = 1.65 ≥ 1.645
    assert _legend_texts(m)[0] == "Hot spot 99%"


def test_hotspots_from_p_values_take_the_sign_of_z():
    data = pl.DataFrame(
        {"region": ["Beijing", "Tibet", "Hebei"], "z": [0.5, -0.5, 3.0], "p": [0.004, 0.03, 0.2]}
    )
    m = maps.hotspot_map(data, p="p", lang="zh")
    assert _face(m, "Beijing") == maps.HOTSPOT_COLOURS[("hot", 99)]
    assert _face(m, "Tibet") == maps.HOTSPOT_COLOURS[("cold", 95)]
    assert _face(m, "Hebei") == maps.HOTSPOT_COLOURS["ns"]
    assert "热点 (99%)" in _legend_texts(m)


def test_natural_breaks_match_mapclassify_and_classes_get_ordered_colours():
    import mapclassify

    values = [0.10, 0.11, 0.12, 0.50, 0.52, 0.55, 0.90, 0.93]
    data = pl.DataFrame({"region": PROVINCES[: len(values)], "score": values})
    m = maps.choropleth(data, k=3)
    reference = mapclassify.FisherJenks(np.array(values), k=3).bins
    assert np.allclose(reference, [0.12, 0.55, 0.93])
    labels = _legend_texts(m)
    assert labels[:3] == ["0.10 – 0.12", "0.12 – 0.55", "0.55 – 0.93"]
    faces = [_face(m, p) for p in PROVINCES[: len(values)]]
    assert faces[0] == faces[1] == faces[2] != faces[3] == faces[4] == faces[5] != faces[6]
    # darker (lower luminance) for higher classes of YlOrRd
    from matplotlib.colors import to_rgb

    lum = [sum(to_rgb(faces[i])) for i in (0, 3, 6)]
    assert lum[0] > lum[1] > lum[2]


def test_small_multiples_share_one_classification():
    low = pl.DataFrame({"region": PROVINCES, "year": 2012, "score": np.linspace(0.0, 0.5, 31)})
    high = pl.DataFrame({"region": PROVINCES, "year": 2022, "score": np.linspace(0.5, 1.0, 31)})
    m = maps.choropleth(pl.concat([low, high]), year="year", k=4)
    assert len(m.figure.legends) == 1
    # Xinjiang (last) holds 0.5 in 2012 and Beijing (first) in 2022: one class, one colour
    assert low["score"][30] == high["score"][0] == 0.5
    assert _face(m, "Xinjiang", 0) == _face(m, "Beijing", 1)
    assert _face(m, "Beijing", 0) != _face(m, "Xinjiang", 1)  # 0.0 and 1.0
    assert [ax.get_title() for ax in m.figure.axes[:2]] == ["2012", "2022"]


def test_quantiles_and_user_bins():
    data = pl.DataFrame({"region": PROVINCES, "score": np.arange(31.0)})
    m = maps.choropleth(data, scheme="quantiles", k=4, decimals=1)
    assert _legend_texts(m)[:4] == ["0.0 – 7.5", "7.5 – 15.0", "15.0 – 22.5", "22.5 – 30.0"]
    m = maps.choropleth(data, bins=[10, 20], decimals=0)
    assert _legend_texts(m)[:3] == ["0 – 10", "10 – 20", "20 – 30"]
    assert _face(m, PROVINCES[10]) == _face(m, PROVINCES[0]) != _face(m, PROVINCES[11])


def test_regions_without_data_are_hatched_and_named():
    data = _scores(years=(2020,)).filter(pl.col("region") != "Beijing")
    m = maps.choropleth(data, "score")
    patch = _patches(m)
    assert patch["Beijing"].get_hatch()
    assert patch["Taiwan"].get_hatch()
    assert not patch["Tianjin"].get_hatch()
    assert _legend_texts(m)[-1] == "No data: Beijing, Taiwan, Hong Kong, Macao"
    zh = maps.choropleth(data, "score", lang="zh")
    assert _legend_texts(zh)[-1] == "无数据：北京、台湾、香港、澳门"


def test_echelons_in_natural_order_with_the_darkest_first():
    data = _echelons("zh").sample(fraction=1.0, shuffle=True, seed=1)
    m = maps.echelon_map(data, lang="zh")
    assert _legend_texts(m)[:4] == ["第一梯队", "第二梯队", "第三梯队", "第四梯队"]
    from matplotlib.colors import to_rgb

    first, last = _face(m, PROVINCES[0]), _face(m, PROVINCES[3])
    assert sum(to_rgb(first)) < sum(to_rgb(last))
    tiers = pl.DataFrame(
        {"region": PROVINCES[:11], "label": [f"echelon {j}" for j in range(1, 12)]}
    )
    assert _legend_texts(maps.echelon_map(tiers))[8:11] == ["echelon 9", "echelon 10", "echelon 11"]
    given = maps.echelon_map(
        data,
        order=["第四梯队", "第三梯队", "第二梯队", "第一梯队"],
        colours=["red", "orange", "yellow", "white"],
    )
    assert _face(given, PROVINCES[3]) == "#ff0000"
    assert _legend_texts(given)[0] == "第四梯队"


# ------------------------------------------------------------------- region names


def test_names_match_in_chinese_full_forms_and_aliases():
    names = ["Xizang", "内蒙古自治区", "广西壮族自治区", "Shaanxi Province", "新疆维吾尔自治区",
             "上海市", "  beijing ", "Nei Mongol"]  # fmt: skip
    geo = maps.load_geometry("china-provinces")
    found = maps.match_regions(names[:-1], geo)
    assert found == {
        "Xizang": "Tibet",
        "内蒙古自治区": "Inner Mongolia",
        "广西壮族自治区": "Guangxi",
        "Shaanxi Province": "Shaanxi",
        "新疆维吾尔自治区": "Xinjiang",
        "上海市": "Shanghai",
        "  beijing ": "Beijing",
    }
    assert maps.match_regions(["Shanxi"], geo) == {"Shanxi": "Shanxi"}  # not Shaanxi
    assert maps.match_regions(
        ["Guangxi Zhuang Autonomous Region", "Ningxia Hui Autonomous Region",
         "Xinjiang Uygur Autonomous Region", "Hong Kong SAR", "Macau"],
        geo,
    ) == {
        "Guangxi Zhuang Autonomous Region": "Guangxi",
        "Ningxia Hui Autonomous Region": "Ningxia",
        "Xinjiang Uygur Autonomous Region": "Xinjiang",
        "Hong Kong SAR": "Hong Kong",
        "Macau": "Macao",
    }  # fmt: skip
    assert maps.match_regions(["澳门特别行政区"], geo) == {"澳门特别行政区": "Macao"}
    # GB/T 2260 division codes, as numbers or text
    assert maps.match_regions([110000, "540000", 610000], geo) == {
        "110000": "Beijing",
        "540000": "Tibet",
        "610000": "Shaanxi",
    }
    with pytest.raises(InputError, match="'内蒙古自治区' and 'Nei Mongol' are both"):
        maps.match_regions(names, geo)


def test_regions_not_in_the_map_are_named_in_one_error():
    data = pl.DataFrame({"region": ["Beijing", "Atlantis", "Gotham"], "score": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError) as error:
        maps.choropleth(data, k=2)
    message = str(error.value)
    assert "'Atlantis', 'Gotham'" in message
    assert "\n" not in message
    assert "Beijing" not in error.value.what


# ------------------------------------------------------------------ user geometry


def _squares(tmp_path: Path, suffix: str, crs: str | None = "EPSG:4326") -> Path:
    import geopandas
    from shapely.geometry import box

    frame = geopandas.GeoDataFrame(
        {"county": ["甲县", "乙县", "丙县"], "code": [1, 2, 3]},
        geometry=[box(100, 30, 101, 31), box(101, 30, 102, 31), box(100, 31, 101, 32)],
        crs=crs,
    )
    path = tmp_path / f"counties{suffix}"
    frame.to_file(path)
    return path


@pytest.mark.parametrize("suffix", [".geojson", ".shp", ".gpkg"])
def test_a_geometry_file_is_drawn_with_its_names(tmp_path, suffix, cjk_font):
    path = _squares(tmp_path, suffix)
    data = pl.DataFrame({"name": ["甲县", "乙县"], "v": [1.0, 2.0]})
    m = _strict(
        lambda: maps.choropleth(
            data, "v", region="name", k=2, geometry=path, geometry_id="county", lang="zh"
        )
    )
    assert not _patches(m)["甲县"].get_hatch()
    assert _patches(m)["丙县"].get_hatch()
    assert _legend_texts(m)[-1] == "无数据：丙县"
    m.save(tmp_path / "counties.png")
    # longitude/latitude: no scale bar, no north arrow by default
    assert not any(t.get_text().endswith("千米") for t in m.figure.axes[0].texts)


def test_a_projected_file_gets_a_scale_bar_and_albers_can_be_asked_for(tmp_path):
    path = _squares(tmp_path, ".gpkg", crs="EPSG:4326")
    data = pl.DataFrame({"county": ["甲县", "乙县", "丙县"], "v": [1.0, 2.0, 3.0]})
    m = maps.choropleth(
        data,
        "v",
        region="county",
        k=2,
        geometry=path,
        geometry_id="county",
        projection="albers-china",
    )
    texts = [t.get_text() for t in m.figure.axes[0].texts]
    assert any(t.endswith(" km") for t in texts)
    assert "N" in texts


def test_a_geodataframe_in_metres_without_crs_is_drawn_as_it_is():
    import geopandas
    from shapely.geometry import box

    frame = geopandas.GeoDataFrame(
        {"name": ["a", "b"]}, geometry=[box(0, 0, 5e5, 5e5), box(5e5, 0, 1e6, 5e5)]
    )
    data = pl.DataFrame({"region": ["a", "b"], "v": [1.0, 2.0]})
    m = maps.choropleth(data, "v", k=2, geometry=frame)
    texts = [t.get_text() for t in m.figure.axes[0].texts]
    assert "200 km" in texts  # a fifth of 1,000 km, in metres
    with pytest.raises(InputError, match="no CRS, so it cannot be re-projected"):
        maps.choropleth(data, "v", k=2, geometry=frame, projection="albers-china")
    points = geopandas.GeoDataFrame(
        {"name": ["a", "b"]}, geometry=geopandas.points_from_xy([0, 1], [0, 1])
    )
    with pytest.raises(InputError, match=r"without an area .*'a', 'b'"):
        maps.choropleth(data, "v", k=2, geometry=points)


def test_bad_geometry_arguments_are_one_line_errors(tmp_path):
    data = pl.DataFrame({"region": ["Beijing"], "score": [1.0]})
    cases = [
        ({"geometry": "china-cities"}, "no built-in map"),
        ({"geometry": str(tmp_path / "absent.shp")}, "does not exist"),
        ({"geometry": 3}, "cannot be a int"),
        ({"projection": "mercator"}, "projection='mercator'"),
        ({"geometry": _squares(tmp_path, ".geojson"), "geometry_id": "nom"}, "no column 'nom'"),
    ]
    for kwargs, text in cases:
        with pytest.raises(InputError, match=re.escape(text)) as error:
            maps.choropleth(data, bins=[0.5], **kwargs)
        assert "\n" not in str(error.value)


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda d: maps.choropleth(d, lang="fr"), "lang='fr'"),
        (lambda d: maps.choropleth(d, scheme="jenks"), "scheme='jenks' is unknown"),
        (lambda d: maps.choropleth(d, k=40), "k=40 classes of 31 distinct"),
        (lambda d: maps.choropleth(d, k=1), "k=1 classes"),
        (lambda d: maps.choropleth(d, cmap="nope"), "cmap='nope'"),
        (lambda d: maps.choropleth(d, "nothing"), "no column 'nothing'"),
        (lambda d: maps.choropleth(d.with_columns(pl.lit("x").alias("score"))), "not a number"),
        (lambda d: maps.choropleth(pl.concat([d, d])), "'Beijing' has two rows"),
        (
            lambda d: maps.choropleth(
                d.with_columns(
                    pl.when(pl.col("score") > 0)
                    .then(None)
                    .otherwise(pl.col("region"))
                    .alias("region")
                )
            ),
            "a row of the map data has no region",
        ),
        (
            lambda d: maps.cluster_map(d.with_columns(pl.lit("XX").alias("cluster"))),
            "'XX', not a LISA cluster",
        ),
        (
            lambda d: maps.echelon_map(d.with_columns(pl.lit("a").alias("label")), order=["b"]),
            "'a' of column 'label' are not in order=",
        ),
        (
            lambda d: maps.echelon_map(
                d.with_columns(pl.lit("a").alias("label")), colours=["nocolour"]
            ),
            "not colours",
        ),
        (
            lambda d: maps.choropleth(
                d.with_columns(pl.lit(2012).alias("year")), year="year", years=[2013]
            ),
            "2013",
        ),
        (lambda d: maps.Map(None).save("x.gif"), "'gif' is not a map format"),
    ],
)
def test_bad_input_is_one_input_error(call, text):
    data = _scores(years=(2012,)).drop("year")
    with pytest.raises(InputError, match=re.escape(text)) as error:
        call(data)
    assert "\n" not in str(error.value)


def test_null_values_are_no_data_and_pandas_frames_work():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"region": PROVINCES, "score": [np.nan, *list(np.linspace(0, 1, 30))]})
    m = maps.choropleth(frame)
    assert _patches(m)["Beijing"].get_hatch()
    assert not _patches(m)["Tianjin"].get_hatch()


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_the_same_map_gives_the_same_bytes(fmt):
    data = pl.DataFrame({"region": ["Beijing", "Tibet", "Hainan"], "v": [1.0, 2.0, 3.0]})
    first = maps.choropleth(data, "v", k=2).to_bytes(fmt)
    assert first == maps.choropleth(data, "v", k=2).to_bytes(fmt)


def test_real_chinese_panel_maps_by_english_and_chinese_names(shared_china):
    raw = pl.read_csv(shared_china).filter(pl.col("indicator") == "rd_intensity")
    years = sorted(raw["year"].unique().to_list())
    # the panel also holds a national row ("China (national)"): the map has no such region
    chosen = raw.filter(
        pl.col("year").is_in([years[0], years[-1]]), pl.col("province") != "China (national)"
    )
    en = maps.choropleth(chosen, "value", region="province", year="year")
    zh = _strict(
        lambda: maps.choropleth(chosen, "value", region="province_zh", year="year", lang="zh")
    )
    drawn = set(_patches(en)) - {p for p, patch in _patches(en).items() if patch.get_hatch()}
    assert drawn == set(chosen.filter(pl.col("year") == years[0])["province"].to_list())
    assert [_face(en, p) for p in PROVINCES] == [_face(zh, p) for p in PROVINCES]
    ARTIFACTS.mkdir(exist_ok=True)
    zh.save(ARTIFACTS / "map_real_rd_intensity_zh.png")


def test_world_map_in_longitude_latitude_without_arrow_or_scale(cjk_font):
    data = pl.DataFrame(
        {
            "country": ["China", "India", "Brazil", "Germany", "United States"],
            "v": [10.0, 1, 2, 11, 30],
        }
    )
    m = _strict(
        lambda: maps.choropleth(
            data, "v", region="country", k=3, geometry="world-countries", lang="zh"
        )
    )
    ax = m.figure.axes[0]
    assert not ax.texts  # north is up everywhere and the scale varies: neither is drawn
    assert not _patches(m)["China"].get_hatch()
    assert _patches(m)["France"].get_hatch()
    # whole numbers without decimals; Fisher–Jenks {1, 2}, {10, 11}, {30}
    assert _legend_texts(m)[:3] == ["1 – 2", "2 – 11", "11 – 30"]
    assert _legend_texts(m)[-1].startswith("无数据：")
    assert "个地区" in _legend_texts(m)[-1]
    ARTIFACTS.mkdir(exist_ok=True)
    m.save(ARTIFACTS / "map_world_zh.png")


def test_an_echelon_result_is_drawn_in_its_tier_order():
    import nqpf

    result = nqpf.echelons(_scores(), "score", "region", "year", rule="jenks", k=3, labels="zh")
    m = maps.echelon_map(result, lang="zh")
    assert _legend_texts(m)[:3] == ["第一梯队", "第二梯队", "第三梯队"]
    rows = result.assignments.to_dicts()
    first = [r["region"] for r in rows if r["echelon"] == 1]
    third = [r["region"] for r in rows if r["echelon"] == 3]
    assert {_face(m, p) for p in first} == {_face(m, first[0])}
    assert _face(m, first[0]) != _face(m, third[0])
    numbers = maps.echelon_map(result, "echelon")
    assert _legend_texts(numbers)[:3] == ["1", "2", "3"]
