"""SpatialWeights: construction, styles (against libpysal's transform), alignment and
the bad inputs it names."""

from __future__ import annotations

import numpy as np
import pytest

from nqpf.errors import InputError
from nqpf.spatial import SpatialWeights, from_matrix, from_neighbours

libpysal = pytest.importorskip(
    "libpysal", reason="libpysal is the spatial extra: pip install 'nqpf[spatial]'"
)

RING = {
    "a": ["b", "e"],
    "b": ["a", "c"],
    "c": ["b", "d"],
    "d": ["c", "e"],
    "e": ["d", "a"],
    "f": ["a"],
}


def test_styles_equal_libpysal():
    w = from_neighbours(RING)
    ref = libpysal.weights.W({k: list(v) for k, v in w.neighbours.items()}, id_order=list(w.ids))
    for ours, theirs in (("b", "B"), ("r", "R")):
        ref.transform = theirs
        assert np.array_equal(w.transform(ours).dense(), ref.full()[0])
    assert w.transform("r").transform("o") == w
    assert np.allclose(
        w.transform("r").dense().sum(axis=1), 1.0, rtol=0, atol=1e-15
    )  # one division per row


def test_symmetric_completion_and_directed():
    w = from_neighbours(RING)
    assert "f" in w.neighbours["a"]  # f → a given one way, completed
    assert w.is_symmetric()
    directed = from_neighbours(RING, symmetric=False)
    assert "f" not in directed.neighbours["a"]
    assert not directed.is_symmetric()


def test_align_reorders_and_names_mismatches():
    w = from_neighbours(RING)
    order = ["f", "e", "d", "c", "b", "a"]
    aligned = w.align(order)
    assert aligned.ids == tuple(order)
    dense, perm = w.dense(), [w.ids.index(x) for x in order]
    assert np.array_equal(aligned.dense(), dense[np.ix_(perm, perm)])
    with pytest.raises(InputError, match="'g'"):
        w.align([*order, "g"])
    with pytest.raises(InputError, match="'f'"):
        w.align(order[1:])


def test_aliases_resolve():
    w = SpatialWeights(
        ["Tibet", "Qinghai", "Xinjiang"], np.ones((3, 3)) - np.eye(3), aliases={"西藏": "Tibet"}
    )
    assert w.align(["Qinghai", "西藏", "Xinjiang"]).ids == ("Qinghai", "西藏", "Xinjiang")


@pytest.mark.parametrize(
    ("matrix", "ids", "match"),
    [
        (np.zeros((3, 2)), ["a", "b", "c"], "square"),
        (np.array([[0, -1, 0], [1, 0, 0], [0, 0, 0.0]]), ["a", "b", "c"], "negative"),
        (np.eye(3), ["a", "b", "c"], "own neighbour"),
        (np.zeros((2, 2)), ["a", "b"], "at least 3"),
        (np.zeros((3, 3)), ["a", "a", "c"], "repeat"),
        (np.full((3, 3), np.nan), ["a", "b", "c"], "missing or infinite"),
    ],
)
def test_bad_matrices(matrix, ids, match):
    with pytest.raises(InputError, match=match):
        from_matrix(matrix, ids)


def test_islands_named():
    w = from_neighbours({"a": ["b"], "b": ["a"], "c": []})
    assert w.islands == ("c",)
    assert w.transform("r").dense()[2].sum() == 0
    with pytest.raises(InputError, match="'c'"):
        w.check_islands()


def test_frame_and_libpysal_round_trip():
    w = from_neighbours(RING).transform("r")
    frame = w.to_frame()
    assert frame.columns == ["focal", "neighbour", "weight"]
    assert frame.height == w.sparse.nnz
    assert np.array_equal(w.to_libpysal().full()[0], w.dense())


# -- fixes to the core -------------------------------------------------------------------
def test_an_alias_never_names_another_region():
    with pytest.raises(InputError, match="'Shanxi'"):
        SpatialWeights(
            ["Shanxi", "Shaanxi", "Henan"],
            np.ones((3, 3)) - np.eye(3),
            aliases={"Shanxi": "Shaanxi"},
        )
    # an alias equal to its own id is harmless; an id wins over an alias of it
    w = SpatialWeights(["a", "b", "c"], np.ones((3, 3)) - np.eye(3), aliases={"a": "a", "z": "b"})
    assert w.resolve("a") == "a"
    assert w.resolve("z") == "b"
    assert w.resolve("y") is None


def test_a_matrix_of_text_is_an_input_error():
    with pytest.raises(InputError, match="not a number"):
        SpatialWeights(["a", "b", "c"], [["0", "x", "1"], ["1", "0", "1"], ["1", "1", "0"]])
    with pytest.raises(InputError, match="not a number"):
        SpatialWeights(["a", "b", "c"], [[0, 1], [1, 0, 1], [1, 1, 0]])


def test_a_link_listed_twice_keeps_its_last_weight():
    w = from_neighbours(
        {"a": ["b", "c", "b"], "b": ["a"], "c": ["a"]}, {"a": [1, 3, 2], "b": [4], "c": [5]}
    )
    assert w.dense()[0].tolist() == [0.0, 2.0, 3.0]


def test_align_is_linear_in_the_regions():
    # aligning 6,000 regions once rebuilt a set per region (seconds); now a dict look-up
    # each (milliseconds): 2 s is far above the one and far below the other
    import time

    from scipy import sparse

    n = 6000
    ids = [f"c{i}" for i in range(n)]
    w = SpatialWeights(ids, sparse.diags([np.ones(n - 1), np.ones(n - 1)], [-1, 1]))
    start = time.perf_counter()
    aligned = w.align(ids[::-1])
    assert time.perf_counter() - start < 2.0
    assert aligned.neighbours["c0"] == ("c1",)


def test_matrix_frame_round_trip():
    w = from_neighbours(RING).transform("r")
    frame = w.to_matrix_frame()
    assert frame.columns == ["id", *w.ids]
    assert frame["id"].to_list() == list(w.ids)
    back = from_matrix(frame.drop("id"), frame["id"].to_list())
    assert np.array_equal(back.dense(), w.dense())
    assert np.array_equal(from_matrix(frame).dense(), w.dense())  # ids from the id column
    # a spreadsheet's matrix: names down the first column, columns in another order
    sheet = frame.rename({"id": "省份"}).select(["省份", *reversed(w.ids)])
    assert np.array_equal(from_matrix(sheet, id="省份").dense(), w.dense())
    with pytest.raises(InputError, match="no id column 'id'"):
        from_matrix(sheet)
    with pytest.raises(InputError, match="rows without a column 'a'"):
        from_matrix(sheet.drop("a").head(5), id="省份")
    with pytest.raises(InputError, match="ids="):
        from_matrix(w.dense())
    with pytest.raises(InputError, match="'a'"):
        w.to_matrix_frame(id="a")


# -- builders from coordinates -----------------------------------------------------------
from nqpf.spatial import (  # noqa: E402  (the builders' tests, after the core's)
    capital_coordinates,
    distance_band,
    economic_distance,
    economic_geographic,
    from_file,
    from_frame,
    inverse_distance,
    knn,
)
from nqpf.spatial.builders import EARTH_RADIUS_KM  # noqa: E402

RNG = np.random.default_rng(12)
PLANE = {f"p{i}": tuple(xy) for i, xy in enumerate(RNG.uniform(0, 100, size=(40, 2)))}


def _reference(ref) -> np.ndarray:
    return ref.full()[0]


LIBPYSAL_NOISE = (
    pytest.mark.filterwarnings("ignore:The weights matrix is not fully connected"),
    pytest.mark.filterwarnings("ignore:divide by zero encountered in power:RuntimeWarning"),
)


def _quiet(test):
    for mark in LIBPYSAL_NOISE:
        test = mark(test)
    return test


@_quiet
@pytest.mark.parametrize("k", [1, 2, 4, 6])
def test_knn_equals_libpysal_euclidean(k):
    ours = knn(PLANE, k, metric="euclidean")
    ref = libpysal.weights.KNN(np.array(list(PLANE.values())), k=k, ids=list(PLANE))
    assert ours.ids == tuple(PLANE)
    assert np.array_equal(ours.dense(), _reference(ref))
    assert set(ours.cardinalities.values()) == {k}


@_quiet
@pytest.mark.parametrize("k", [1, 3, 5])
def test_knn_equals_libpysal_great_circle(k):
    caps = capital_coordinates("china-provinces")
    ours = knn("china-provinces", k)
    ref = libpysal.weights.KNN(
        np.array(list(caps.values())), k=k, ids=list(caps), radius=EARTH_RADIUS_KM
    )
    assert np.array_equal(ours.dense(), _reference(ref))


@_quiet
def test_knn_with_duplicate_points_drops_the_farthest_like_libpysal():
    pts = {"a": (0, 0), "b": (0, 0), "c": (0, 0), "d": (5, 0), "e": (9, 1)}
    ours = knn(pts, 2, metric="euclidean")
    ref = libpysal.weights.KNN(np.array(list(pts.values()), dtype=float), k=2, ids=list(pts))
    assert np.array_equal(ours.dense(), _reference(ref))


@_quiet
@pytest.mark.parametrize(("binary", "alpha"), [(True, -1.0), (False, -1.0), (False, -2.0)])
def test_distance_band_equals_libpysal_euclidean(binary, alpha):
    ours = distance_band(PLANE, 30.0, binary=binary, alpha=alpha, metric="euclidean")
    ref = libpysal.weights.DistanceBand(
        np.array(list(PLANE.values())),
        30.0,
        binary=binary,
        alpha=alpha,
        ids=list(PLANE),
        silence_warnings=True,
    )
    # the same d^alpha of the same differences: equal to the last bit or one rounding
    assert np.allclose(ours.dense(), _reference(ref), rtol=4 * np.finfo(float).eps, atol=0)
    assert (ours.dense() > 0).sum() == (_reference(ref) > 0).sum()


@_quiet
@pytest.mark.parametrize("binary", [True, False])
def test_distance_band_equals_libpysal_great_circle(binary):
    caps = capital_coordinates("china-provinces")
    ours = distance_band("china-provinces", 1500, binary=binary)
    ref = libpysal.weights.DistanceBand(
        np.array(list(caps.values())),
        1500,
        binary=binary,
        ids=list(caps),
        radius=EARTH_RADIUS_KM,
        silence_warnings=True,
    )
    # libpysal's arc distance is the chord's arcsine, ours the haversine: both well
    # conditioned at hundreds of km, so they agree to ~1e-12 relative
    assert np.array_equal(ours.dense() > 0, _reference(ref) > 0)
    assert np.allclose(ours.dense(), _reference(ref), rtol=1e-10, atol=0)


def _arc_km(caps):
    from libpysal.cg.sphere import arcdist

    pts = list(caps.values())
    return np.array([[arcdist(a, b, radius=EARTH_RADIUS_KM) for b in pts] for a in pts])


@pytest.mark.parametrize("power", [1, 2])
def test_inverse_distance_great_circle(power):
    caps = capital_coordinates("china-provinces")
    d = _arc_km(caps)
    expected = np.where(d > 0, 1 / np.where(d > 0, d, 1) ** power, 0.0)
    ours = inverse_distance("china-provinces", power=power)
    assert ours.sparse.nnz == 31 * 30
    assert np.allclose(ours.dense(), expected, rtol=1e-10, atol=0)  # as above: two formulas
    # Beijing–Shanghai, 1,068 km on the atlas's great circle (3 %: city-centre points)
    b, s = ours.ids.index("Beijing"), ours.ids.index("Shanghai")
    assert 1 / ours.dense()[b, s] ** (1 / power) == pytest.approx(1068, rel=0.03)
    cut = inverse_distance("china-provinces", power=power, threshold=1000)
    assert np.allclose(cut.dense(), np.where(d <= 1000, expected, 0.0), rtol=1e-10, atol=0)


def test_inverse_distance_euclidean_equals_cdist():
    from scipy.spatial.distance import cdist

    xy = np.array(list(PLANE.values()))
    d = cdist(xy, xy)
    np.fill_diagonal(d, np.inf)
    ours = inverse_distance(PLANE, metric="euclidean", power=2)
    assert np.allclose(ours.dense(), 1 / d**2, rtol=4 * np.finfo(float).eps, atol=0)


def test_coordinates_from_frames():
    import polars as pl

    caps = capital_coordinates("china-provinces")
    lonlat = pl.DataFrame(
        {
            "id": list(caps),
            "lon": [v[0] for v in caps.values()],
            "lat": [v[1] for v in caps.values()],
        }
    )
    assert knn(lonlat, 3) == knn("china-provinces", 3)  # lon/lat columns: great circle
    plane = pl.DataFrame(
        {
            "region": list(PLANE),
            "e": [v[0] for v in PLANE.values()],
            "n": [v[1] for v in PLANE.values()],
        }
    )
    assert knn(plane, 2, id="region", x="e", y="n", metric="euclidean") == knn(
        PLANE, 2, metric="euclidean"
    )
    pandas = pytest.importorskip("pandas")
    assert knn(lonlat.to_pandas(), 3) == knn("china-provinces", 3)
    with pytest.raises(InputError, match="metric"):
        knn(pandas.DataFrame({"id": ["a", "b", "c"], "x": [0, 1, 2], "y": [0, 1, 0]}), 1)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: knn(PLANE, 2), "metric='haversine'"),
        (lambda: knn(PLANE, 40, metric="euclidean"), "1 to 39"),
        (lambda: knn(PLANE, 0, metric="euclidean"), "1 to 39"),
        (lambda: knn(PLANE, 2, metric="manhattan"), "unknown metric"),
        (lambda: knn({"a": (0, 0), "b": (1, 1)}, 1, metric="euclidean"), "at least 3"),
        (
            lambda: knn({"a": (0, 0), "b": (1, "x"), "c": (2, 2)}, 1, metric="euclidean"),
            "'b' are not a pair of numbers",
        ),
        (lambda: knn({"a": (0, 0), "b": (1, np.nan), "c": (2, 2)}, 1, metric="euclidean"), "'b'"),
        (lambda: knn({"a": (0, 0), "b": (500, 1), "c": (2, 2)}, 1, metric="haversine"), "'b'"),
        (lambda: knn("china-cities", 2), "'china-provinces'"),
        (lambda: knn([(0, 0), (1, 1), (2, 2)], 1), "cannot read coordinates"),
        (lambda: distance_band(PLANE, -1, metric="euclidean"), "positive"),
        (
            lambda: distance_band("china-provinces", 300),
            "region\\(s\\) without a neighbour: '.*at least [0-9.]+ km",
        ),
        (
            lambda: inverse_distance({"a": (0, 0), "b": (0, 0), "c": (1, 1)}, metric="euclidean"),
            "'a' and 'b'",
        ),
        (lambda: inverse_distance(PLANE, metric="euclidean", power=0), "power"),
    ],
)
def test_bad_coordinates(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_distance_band_islands_kept_on_request():
    d = _arc_km(capital_coordinates("china-provinces"))
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1)
    w = distance_band("china-provinces", 300, allow_islands=True)
    assert set(w.islands) == {w.ids[i] for i in np.flatnonzero(nearest > 300)}
    # the threshold the error proposes is the largest nearest-capital distance, rounded up
    # to the 6 digits shown: there every region has a neighbour
    with pytest.raises(InputError) as info:
        distance_band("china-provinces", 300)
    smallest = float(str(info.value).split("at least ")[1].split(" km")[0])
    assert smallest == pytest.approx(nearest.max(), rel=1e-5)
    assert smallest >= nearest.max()
    assert distance_band("china-provinces", smallest).islands == ()
    assert distance_band("china-provinces", nearest.max() * (1 - 1e-6), allow_islands=True).islands


# -- economic weights --------------------------------------------------------------------
def test_economic_distance_brute_force_and_equal_values():
    y = {"a": 3.0, "b": 5.0, "c": 11.0, "d": 4.5}
    w = economic_distance(y)
    v = np.array(list(y.values()))
    gap = np.abs(v[:, None] - v[None, :])
    np.fill_diagonal(gap, np.inf)
    assert np.array_equal(w.dense(), 1 / gap)
    assert economic_distance(list(y.values()), ids=list(y)) == w
    with pytest.raises(InputError, match="'b' and 'd'"):
        economic_distance({"a": 3.0, "b": 5.0, "c": 11.0, "d": 5.0})
    with pytest.raises(InputError, match="ids="):
        economic_distance([1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="'c'"):
        economic_distance({"a": 1.0, "b": 2.0, "c": float("nan")})


def test_economic_geographic_nesting():
    caps = capital_coordinates("china-provinces")
    gdp = {p: 30000 + 1700.0 * k + 13.0 * k * k for k, p in enumerate(caps)}
    d = _arc_km(caps)
    np.fill_diagonal(d, np.inf)
    wd = 1 / d
    v = np.array(list(gdp.values()))
    gap = np.abs(v[:, None] - v[None, :])
    np.fill_diagonal(gap, np.inf)
    we = 1 / gap

    def rows(m):
        return m / m.sum(axis=1, keepdims=True)

    for phi in (0.0, 0.3, 0.5, 1.0):
        ours = economic_geographic("china-provinces", gdp, phi=phi)
        expected = phi * rows(wd) + (1 - phi) * rows(we)
        assert np.allclose(ours.dense(), expected, rtol=1e-10, atol=0)  # the two distance formulas
        assert np.allclose(ours.dense().sum(axis=1), 1.0, rtol=0, atol=1e-14)
    raw = economic_geographic("china-provinces", gdp, phi=0.5, standardise=False)
    assert np.allclose(raw.dense(), 0.5 * wd + 0.5 * we, rtol=1e-10, atol=0)
    # the values may name the provinces in Chinese
    zh = dict(zip(capital_coordinates("china-provinces", names="zh"), gdp.values(), strict=True))
    assert economic_geographic("china-provinces", zh) == economic_geographic("china-provinces", gdp)
    with pytest.raises(InputError, match="phi"):
        economic_geographic("china-provinces", gdp, phi=1.5)
    short = {k: v for k, v in gdp.items() if k != "Tibet"}
    with pytest.raises(InputError, match="no value for 'Tibet'"):
        economic_geographic("china-provinces", short)


# -- edge lists --------------------------------------------------------------------------
def test_from_frame_round_trips_to_frame():
    w = from_neighbours(RING).transform("r")
    back = from_frame(w.to_frame(), weight="weight", symmetric=False)
    assert back.ids == w.ids
    assert np.array_equal(back.dense(), w.dense())


def test_from_frame_binary_completion_islands_and_bad_lists():
    import polars as pl

    edges = pl.DataFrame({"from": ["a", "b", "c"], "to": ["b", "c", "a"]})
    w = from_frame(edges, focal="from", neighbour="to", ids=["a", "b", "c", "d"])
    assert w.is_symmetric()
    assert w.islands == ("d",)
    assert set(w.neighbours["a"]) == {"b", "c"}
    with pytest.raises(InputError, match="'to2'"):
        from_frame(edges, focal="from", neighbour="to2")
    with pytest.raises(
        InputError, match="row 4: the link 'a' → 'b' is listed again \\(first in data row 1\\)"
    ):
        from_frame(pl.concat([edges, edges.head(1)]), focal="from", neighbour="to")
    with pytest.raises(InputError, match="'c'"):
        from_frame(edges, focal="from", neighbour="to", ids=["a", "b", "x"])
    weighted = edges.with_columns(w=pl.Series([1.0, -2.0, 1.0]))
    with pytest.raises(InputError, match="negative weight -2 between 'b' and 'c'"):
        from_frame(weighted, focal="from", neighbour="to", weight="w")
    with pytest.raises(InputError, match="own neighbour"):
        from_frame(
            pl.DataFrame({"f": ["a", "b", "c"], "n": ["a", "c", "b"]}), focal="f", neighbour="n"
        )


# -- files -------------------------------------------------------------------------------
def _grid(tmp_path, suffix=".geojson", *, detached=False, id="name"):
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import box

    names = [f"r{r}c{c}" for r in range(3) for c in range(3)]
    cells = [box(c, r, c + 1, r + 1) for r in range(3) for c in range(3)]
    if detached:
        names.append("island")
        cells.append(box(5, 0, 6, 1))  # 2 units right of r0c2, farther from the rest
    frame = gpd.GeoDataFrame({id: names, "pop": range(len(names))}, geometry=cells, crs="EPSG:3857")
    path = tmp_path / f"grid{suffix}"
    frame.to_file(path)
    return path


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp"])
def test_from_file_queen_and_rook_on_a_grid(tmp_path, suffix):
    path = _grid(tmp_path, suffix)
    queen = from_file(path, id="name")
    rook = from_file(path, id="name", rule="rook")
    # a 3 × 3 grid: a corner touches 3 cells (2 by an edge), the centre 8 (4 by an edge)
    assert queen.cardinalities["r0c0"] == 3
    assert rook.cardinalities["r0c0"] == 2
    assert queen.cardinalities["r1c1"] == 8
    assert rook.cardinalities["r1c1"] == 4
    assert set(rook.neighbours["r0c1"]) == {"r0c0", "r0c2", "r1c1"}
    assert queen.sparse.nnz == 2 * 20
    assert rook.sparse.nnz == 2 * 12
    assert queen.is_symmetric()
    assert rook.is_symmetric()


def test_from_a_geodataframe(tmp_path):
    gpd = pytest.importorskip("geopandas")
    frame = gpd.read_file(_grid(tmp_path))
    assert from_file(frame, id="name") == from_file(_grid(tmp_path), id="name")
    with pytest.raises(InputError, match="no polygons"):
        from_file(frame.drop(columns="geometry"), id="name")


def test_from_file_links_islands_to_the_nearest(tmp_path):
    path = _grid(tmp_path, detached=True)
    alone = from_file(path, id="name")
    assert alone.islands == ("island",)
    with pytest.raises(InputError, match=r"'island'.*link_islands=True"):
        alone.check_islands()
    linked = from_file(path, id="name", link_islands=True)
    assert linked.neighbours["island"] == ("r0c2",)
    assert "island" in linked.neighbours["r0c2"]
    assert linked.is_symmetric()


def test_from_file_bad_input(tmp_path):
    path = _grid(tmp_path)
    with pytest.raises(InputError, match=r"no column 'province'.*'name'"):
        from_file(path, id="province")
    with pytest.raises(InputError, match="file not found"):
        from_file(tmp_path / "missing.geojson", id="name")
    with pytest.raises(InputError, match="'hex'"):
        from_file(path, id="name", rule="hex")
    (tmp_path / "table.csv").write_text("name,x\na,1\nb,2\nc,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="no polygons"):
        from_file(tmp_path / "table.csv", id="name")
    (tmp_path / "bad.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read"):
        from_file(tmp_path / "bad.geojson", id="name")
    gpd = pytest.importorskip("geopandas")
    frame = gpd.read_file(path)
    frame.loc[3, "name"] = "r0c0"
    frame.to_file(tmp_path / "dup.geojson")
    with pytest.raises(InputError, match="repeat: 'r0c0'"):
        from_file(tmp_path / "dup.geojson", id="name")
