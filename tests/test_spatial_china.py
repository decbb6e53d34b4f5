"""The built-in China provinces: queen contiguity (properties of the map that anyone can
check on an atlas), the Hainan island rule, names and aliases, capitals."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from conftest import SHARED

from nqpf.errors import InputError
from nqpf.spatial import capital_coordinates, contiguity, region_table
from nqpf.spatial.builders import EARTH_RADIUS_KM

GROUPS = SHARED / "data" / "china" / "china_province_groups.csv"

#: Land borders of well-known provinces, from the administrative map of China.
BORDERS = {
    "Inner Mongolia": {
        "Heilongjiang",
        "Jilin",
        "Liaoning",
        "Hebei",
        "Shanxi",
        "Shaanxi",
        "Ningxia",
        "Gansu",
    },
    "Shanghai": {"Jiangsu", "Zhejiang"},
    "Beijing": {"Tianjin", "Hebei"},
    "Tianjin": {"Beijing", "Hebei"},
    "Hebei": {"Beijing", "Tianjin", "Shanxi", "Inner Mongolia", "Liaoning", "Shandong", "Henan"},
    "Shaanxi": {
        "Shanxi",
        "Inner Mongolia",
        "Ningxia",
        "Gansu",
        "Sichuan",
        "Chongqing",
        "Hubei",
        "Henan",
    },
    "Shanxi": {"Hebei", "Inner Mongolia", "Shaanxi", "Henan"},
    "Heilongjiang": {"Jilin", "Inner Mongolia"},
    "Xinjiang": {"Gansu", "Qinghai", "Tibet"},
    "Tibet": {"Xinjiang", "Qinghai", "Sichuan", "Yunnan"},
    "Chongqing": {"Sichuan", "Guizhou", "Hunan", "Hubei", "Shaanxi"},
    "Fujian": {"Zhejiang", "Jiangxi", "Guangdong"},
}


def test_queen_contiguity_of_the_provinces():
    w = contiguity("china-provinces")
    assert w.n == 31
    assert w.is_symmetric()
    assert set(np.unique(w.dense())) == {0.0, 1.0}
    assert w.style == "o"
    neighbours = {k: set(v) for k, v in w.neighbours.items()}
    for province, expected in BORDERS.items():
        assert neighbours[province] == expected, province
    # 68 land borders and the Hainan link; a planar map has at most 3n − 6 borders
    assert w.sparse.nnz == 2 * 69 <= 2 * (3 * 31 - 6)
    from scipy.sparse.csgraph import connected_components

    assert connected_components(w.sparse, directed=False)[0] == 1


def test_hainan_island_rule():
    linked = contiguity("china-provinces")
    assert linked.neighbours["Hainan"] == ("Guangdong",)
    assert "Hainan" in linked.neighbours["Guangdong"]
    assert linked.islands == ()
    alone = contiguity("china-provinces", link_islands=False)
    assert alone.islands == ("Hainan",)
    assert "Hainan" not in alone.neighbours["Guangdong"]
    assert (linked.dense() - alone.dense()).sum() == 2  # exactly that one link, both ways
    with pytest.raises(InputError, match="'Hainan'"):
        alone.check_islands()


def test_names_and_order():
    en = contiguity("china-provinces")
    zh = contiguity("china-provinces", names="zh")
    assert en.ids[:5] == ("Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia")
    assert "Tibet" in en.ids
    assert "Shaanxi" in en.ids
    assert "Xizang" not in en.ids
    assert zh.ids[:5] == ("北京", "天津", "河北", "山西", "内蒙古")
    assert np.array_equal(en.dense(), zh.dense())
    assert set(zh.neighbours["内蒙古"]) == {
        "黑龙江",
        "吉林",
        "辽宁",
        "河北",
        "山西",
        "陕西",
        "宁夏",
        "甘肃",
    }
    with pytest.raises(InputError, match="'en'"):
        contiguity("china-provinces", names="fr")
    assert contiguity("china-provinces", rule="rook") == en
    with pytest.raises(InputError, match="'hex'"):
        contiguity("china-provinces", rule="hex")


ALIASES = {
    "Xizang": "Tibet",
    "Nei Mongol": "Inner Mongolia",
    "Neimenggu": "Inner Mongolia",
    "北京": "Beijing",
    "北京市": "Beijing",
    "内蒙古": "Inner Mongolia",
    "内蒙古自治区": "Inner Mongolia",
    "西藏": "Tibet",
    "西藏自治区": "Tibet",
    "广西壮族自治区": "Guangxi",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
    "陕西省": "Shaanxi",
    "山西省": "Shanxi",
    "Guangxi Zhuang Autonomous Region": "Guangxi",
    "650000": "Xinjiang",
}


@pytest.mark.parametrize("names", ["en", "zh"])
def test_aliases_are_accepted_by_align(names):
    w = contiguity("china-provinces", names=names)
    en = contiguity("china-provinces").ids
    for alias, province in ALIASES.items():
        assert w.resolve(alias) == w.ids[en.index(province)], alias
    assert w.resolve("Shanxi") != w.resolve("Shaanxi")
    # the data calls the regions its own way, in its own order
    data = [a for a in ALIASES if a in {"Xizang", "北京市", "内蒙古自治区", "宁夏回族自治区"}]
    rest = [p for p in en if p not in {"Tibet", "Beijing", "Inner Mongolia", "Ningxia"}]
    regions = rest[::-1] + data
    aligned = w.align(regions)
    assert aligned.ids == tuple(regions)
    canonical = [w.resolve(r) for r in regions]
    perm = [w.ids.index(c) for c in canonical]
    assert np.array_equal(aligned.dense(), w.dense()[np.ix_(perm, perm)])


def test_no_alias_names_two_provinces():
    table = region_table("china-provinces")
    seen: dict[str, str] = {}
    for row in table.iter_rows(named=True):
        names = [row["province"], row["province_zh"], row["name_zh"], row["code"]]
        for name in names + row["aliases"].split(";"):
            assert seen.setdefault(name, row["province"]) == row["province"], name


def test_unknown_builtin_lists_the_known():
    with pytest.raises(InputError, match="'china-provinces'"):
        contiguity("china-counties")
    with pytest.raises(InputError, match="'china-provinces'"):
        capital_coordinates("usa-states")


def test_names_match_the_real_panel_groups():
    if not GROUPS.exists():
        pytest.skip("../shared/data/china is absent (it lives beside the repository, not in it)")
    with GROUPS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    en = contiguity("china-provinces")
    assert sorted(r["province"] for r in rows) == sorted(en.ids)
    zh = contiguity("china-provinces", names="zh")
    assert sorted(r["province_zh"] for r in rows) == sorted(zh.ids)
    # English weights align to the Chinese column and back
    assert en.align([r["province_zh"] for r in rows]).n == 31
    assert zh.align([r["province"] for r in rows]).n == 31


def _km(a, b):
    lon1, lat1, lon2, lat2 = np.radians([*a, *b])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


def test_capital_coordinates():
    caps = capital_coordinates("china-provinces")
    assert tuple(caps) == contiguity("china-provinces").ids
    assert all(isinstance(v, tuple) and len(v) == 2 for v in caps.values())
    lon = np.array([v[0] for v in caps.values()])
    lat = np.array([v[1] for v in caps.values()])
    assert ((lon > 73) & (lon < 135) & (lat > 18) & (lat < 54)).all()  # China's extent
    names = list(caps)
    assert names[int(lon.argmin())] == "Xinjiang"  # Ürümqi, the westernmost capital
    assert names[int(lat.argmax())] == "Heilongjiang"  # Harbin, the northernmost
    assert names[int(lat.argmin())] == "Hainan"  # Haikou, the southernmost
    # great-circle distances of atlases: Beijing–Tianjin 100–130 km (city centre to city
    # centre), Beijing–Shanghai about 1,070 km, Beijing–Lhasa about 2,560 km; 3 % covers
    # the 0.01° rounding and the choice of the city-centre point
    assert 100 < _km(caps["Beijing"], caps["Tianjin"]) < 130
    assert _km(caps["Beijing"], caps["Shanghai"]) == pytest.approx(1068, rel=0.03)
    assert _km(caps["Beijing"], caps["Tibet"]) == pytest.approx(2560, rel=0.03)
    zh = capital_coordinates("china-provinces", names="zh")
    assert zh["西藏"] == caps["Tibet"]


def test_region_table():
    table = region_table("china-provinces")
    assert table.height == 31
    assert table.columns[:4] == ["province", "province_zh", "name_zh", "code"]
    assert table["code"].str.len_chars().to_list() == [6] * 31
    assert table.filter(table["province"] == "Ningxia")["name_zh"].item() == "宁夏回族自治区"


def test_the_30_province_sample_without_tibet():
    w = contiguity("china-provinces")
    thirty = [p for p in w.ids if p != "Tibet"]
    with pytest.raises(InputError, match=r"'Tibet'.*subset"):
        w.align(thirty)
    sub = w.subset(thirty)
    assert sub.ids == tuple(thirty)
    assert set(sub.neighbours["Xinjiang"]) == {"Gansu", "Qinghai"}
    assert set(sub.neighbours["Yunnan"]) == {"Sichuan", "Guizhou", "Guangxi"}
    assert sub.islands == ()
    assert sub.sparse.nnz == w.sparse.nnz - 2 * 4  # Tibet's four borders, both ways
    rows = w.transform("r").subset(thirty)
    assert rows.style == "r"
    assert np.allclose(rows.dense().sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert rows.dense()[thirty.index("Xinjiang"), thirty.index("Gansu")] == 0.5
    # the data may name them its own way (Chinese, with Taiwan that W does not have)
    table = region_table("china-provinces")
    zh = dict(zip(table["province"], table["province_zh"], strict=True))
    assert sub.align([zh[p] for p in thirty]).ids == tuple(zh[p] for p in thirty)
    with pytest.raises(InputError, match="'Taiwan'"):
        w.subset([*thirty, "Taiwan"])
    assert w.subset(["西藏", "青海", "新疆"]).ids == ("Tibet", "Qinghai", "Xinjiang")


# -- weights over a data set's regions (the app's Spatial page) ---------------------------
WEST = [
    "重庆",
    "Sichuan Province",
    "Shaanxi",
    "广西壮族自治区",
    "云南",
    "贵州",
    "Nei Mongol",
    "甘肃",
]


def test_builtin_contiguity_over_the_data_regions():
    from nqpf.spatial.builders import builtin_weights

    w = builtin_weights(WEST)
    assert w.ids == tuple(WEST)  # the data's own names, in its order
    full = contiguity()
    ids = [full.resolve(name) for name in WEST]
    assert None not in ids
    # the same links as the 31-province contiguity among these provinces (atlas facts:
    # Sichuan borders Chongqing, Shaanxi, Yunnan, Guizhou and Gansu, not Guangxi)
    for name, pid in zip(WEST, ids, strict=True):
        expected = {WEST[ids.index(n)] for n in full.neighbours[pid] if n in ids}
        assert set(w.neighbours[name]) == expected, name
    assert set(w.neighbours["Sichuan Province"]) == {"重庆", "Shaanxi", "云南", "贵州", "甘肃"}


def test_builtin_distance_weights_use_the_capitals():
    from nqpf.spatial.builders import builtin_weights, haversine_km, knn

    capitals = capital_coordinates()
    ids = [contiguity().resolve(n) for n in WEST]
    coords = {n: capitals[i] for n, i in zip(WEST, ids, strict=True)}
    assert builtin_weights(WEST, "knn", k=2) == knn(coords, 2, metric="haversine")
    inv = builtin_weights(WEST, "inverse_distance", power=2.0).dense()
    a, b = np.asarray(coords["重庆"]), np.asarray(coords["甘肃"])
    d = float(haversine_km(a[None, :], b[None, :])[0])
    assert inv[0, WEST.index("甘肃")] == pytest.approx(1 / d**2, rel=1e-12)
    band = builtin_weights(WEST, "distance_band", threshold=d + 1.0)
    assert "甘肃" in band.neighbours["重庆"]
    with pytest.raises(InputError, match="without a neighbour"):
        builtin_weights(["新疆", "北京", "天津", "河北"], "distance_band", threshold=300.0)


def test_builtin_weights_name_an_unknown_region():
    from nqpf.spatial.builders import builtin_weights

    with pytest.raises(InputError, match="not in the spatial weights: 'Atlantis'"):
        builtin_weights([*WEST, "Atlantis"])
    with pytest.raises(InputError, match="unknown built-in weights"):
        builtin_weights(WEST, "rook")


def test_read_weights_from_bytes_edge_list_matrix_and_polygons():
    from nqpf.spatial.builders import builtin_weights, read_weights
    from nqpf.spatial.maps import DATA

    w = builtin_weights(WEST)
    edges = w.to_frame().write_csv().encode("utf-8")
    assert read_weights(edges, name="w.csv") == w
    matrix = w.to_matrix_frame(id="省份").write_csv().encode("utf-8")
    assert read_weights(matrix, name="w.csv").neighbours == w.neighbours
    polygons = (DATA / "china-provinces.geojson").read_bytes()
    from_polygons = read_weights(polygons, name="china.geojson", id="id")
    # the polygons' queen contiguity is the built-in table's (checked in the module docstring)
    full = contiguity(link_islands=False)
    sub = from_polygons.subset(list(full.ids))
    assert sub.neighbours == full.neighbours
    with pytest.raises(InputError, match="which column of the polygon file"):
        read_weights(polygons, name="china.geojson")
    with pytest.raises(InputError, match=r"w\.csv.*no column 'neighbour'"):
        read_weights(b"focal,x\na,b\nb,c\nc,a\n", name="w.csv")
    with pytest.raises(InputError, match=r"bad\.csv.*not a number"):
        read_weights(b"id,a,b,c\na,0,1,x\nb,1,0,1\nc,1,1,0\n", name="bad.csv")


def test_builtin_weights_match_names_as_the_maps_do():
    from nqpf.spatial.builders import builtin_weights

    spelled = ["chongqing", "四川 省", "SHAANXI", "甘肃"]
    assert contiguity().resolve("chongqing") is None  # not an alias: matched by region_key
    w = builtin_weights(spelled)
    assert w.ids == tuple(spelled)
    assert set(w.neighbours["四川 省"]) == {"chongqing", "SHAANXI", "甘肃"}


def test_builtin_matches_tell_which_regions_are_provinces():
    from nqpf.spatial.builders import builtin_matches

    found = builtin_matches(["四川 省", "Xizang", "全国", "Angola"])
    assert found == {"四川 省": "Sichuan", "Xizang": "Tibet", "全国": None, "Angola": None}


def test_geoda_gal_and_gwt_read_as_libpysal_reads_them(tmp_path):
    libpysal = pytest.importorskip("libpysal")
    from nqpf.spatial.builders import builtin_weights, read_weights

    w = builtin_weights(["Sichuan", "Chongqing", "Guizhou", "Yunnan", "Hainan"], link_islands=False)
    assert w.islands == ("Hainan",)
    gal = "5\n" + "".join(
        f"{r} {len(w.neighbours[r])}\n{' '.join(w.neighbours[r])}\n" for r in w.ids
    )
    gal = gal.replace("Hainan 0\n\n", "Hainan 0\n")  # GeoDa leaves out an island's empty line
    path = tmp_path / "west.gal"
    path.write_text(gal)
    ref = libpysal.io.open(str(path)).read()
    ours = read_weights(gal.encode(), name="west.gal")
    assert ours.neighbours == {k: tuple(v) for k, v in ref.neighbors.items()}
    assert ours == read_weights(path)
    inv = builtin_weights(["Sichuan", "Chongqing", "Guizhou", "Yunnan"], "inverse_distance")
    lines = [
        f"{f} {n} {x!r}"
        for f, row in inv.weights.items()
        for n, x in zip(inv.neighbours[f], row, strict=True)
    ]
    gwt = "0 4 west NAME\n" + "\n".join(lines) + "\n"
    (tmp_path / "west.gwt").write_text(gwt)
    ref = libpysal.io.open(str(tmp_path / "west.gwt")).read()
    got = read_weights(gwt.encode(), name="west.gwt")
    assert got.weights == {k: tuple(v) for k, v in ref.weights.items()}
    assert got.neighbours == {k: tuple(v) for k, v in ref.neighbors.items()}
    with pytest.raises(InputError, match=r"west\.gal.*row 3.*2 neighbours in its line but 1"):
        read_weights(b"3\na 2\nb\nb 1\na\nc 0\n", name="west.gal")
    with pytest.raises(InputError, match=r"x\.gwt.*row 3.*focal neighbour weight"):
        read_weights(b"0 3 x ID\na b 1\na c heavy\n", name="x.gwt")
    with pytest.raises(InputError, match="not its header"):
        read_weights(b"a b c\n", name="x.gal")
