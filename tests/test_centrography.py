"""Gravity centre and standard deviational ellipse: against an eigen-decomposition of
the weighted covariance, known great-circle distances and bearings, and bad input."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from nqpf.errors import InputError
from nqpf.spatial.builders import haversine_km
from nqpf.spatial.centrography import gravity_centre, standard_deviational_ellipse

EPS = np.finfo(float).eps


def _cloud(n=25, seed=2):
    rng = np.random.default_rng(seed)
    xy = rng.normal(size=(n, 2)) @ np.array([[3.0, 0.0], [1.2, 0.8]]) + [110, 30]
    names = [f"p{i:02d}" for i in range(n)]
    rows = [(r, t, float(rng.uniform(0.1, 1.0))) for t in (2020, 2021) for r in names]
    return dict(zip(names, map(tuple, xy), strict=True)), pl.DataFrame(
        rows, schema=["region", "year", "score"], orient="row"
    )


def test_ellipse_equals_the_eigen_decomposition():
    coords, df = _cloud()
    table = standard_deviational_ellipse(df, "score", "region", "year", coords=coords).table
    for year in (2020, 2021):
        part = df.filter(pl.col("year") == year)
        w = part["score"].to_numpy()
        xy = np.asarray([coords[r] for r in part["region"]])
        centre = w @ xy / w.sum()
        d = xy - centre
        cov = (d * w[:, None]).T @ d / w.sum()
        values, vectors = np.linalg.eigh(cov)
        major_vec = vectors[:, 1]
        azimuth = np.degrees(np.arctan2(major_vec[0], major_vec[1])) % 180
        row = table.filter(pl.col("year") == year).row(0, named=True)
        # κ of a 2 × 2 covariance is λ₁/λ₂ < 20 here: sums of 25 terms agree to ~1e-13
        assert row["x"] == pytest.approx(centre[0], rel=1e-13)
        assert row["major"] == pytest.approx(np.sqrt(2 * values[1]), rel=1e-12)
        assert row["minor"] == pytest.approx(np.sqrt(2 * values[0]), rel=1e-12)
        assert row["rotation"] == pytest.approx(azimuth, abs=1e-9)
        assert row["area"] == pytest.approx(np.pi * row["major"] * row["minor"], rel=1e-13)


def test_ellipse_axis_aligned_cases():
    df = pl.DataFrame({"r": list("abcd"), "s": [1.0] * 4})
    wide = {"a": (-2.0, 0.0), "b": (2.0, 0.0), "c": (0.0, -1.0), "d": (0.0, 1.0)}
    tall = {k: (v[1], v[0]) for k, v in wide.items()}
    east = standard_deviational_ellipse(df, "s", "r", coords=wide, sqrt2=False).table.row(
        0, named=True
    )
    north = standard_deviational_ellipse(df, "s", "r", coords=tall).table.row(0, named=True)
    assert east["rotation"] == 90.0
    assert north["rotation"] == 0.0
    assert north["major"] == pytest.approx(2.0, rel=4 * EPS)  # √2 · √2
    assert east["shape"] == pytest.approx(0.5, rel=4 * EPS)


def test_centre_moves_toward_the_growing_region():
    df = pl.DataFrame({"r": list("abc") * 2, "t": [1] * 3 + [2] * 3, "s": [1.0, 1, 1, 1, 3, 0]})
    xy = {"a": (0.0, 0.0), "b": (4.0, 0.0), "c": (2.0, 0.0)}
    table = gravity_centre(df, "s", "r", "t", coords=xy, metric="euclidean").table
    assert table["x"].to_list() == [2.0, 3.0]
    assert table["distance"][1] == 1.0
    assert table["bearing"][1] == 90.0
    assert table["distance"][0] is None or np.isnan(table["distance"][0])


def test_haversine_known_distances():
    beijing, shanghai = np.array([116.4074, 39.9042]), np.array([121.4737, 31.2304])
    # published great-circle distance Beijing–Shanghai ≈ 1,067 km (±2 km for the city points)
    assert haversine_km(beijing, shanghai) == pytest.approx(1067, abs=3)
    # a quarter meridian: πR/2
    assert haversine_km(np.array([0.0, 0.0]), np.array([0.0, 90.0])) == pytest.approx(
        np.pi * 6371.0088 / 2, rel=1e-12
    )


def test_coordinates_frame_and_bad_input():
    coords, df = _cloud(n=5)
    frame = pl.DataFrame(
        {
            "region": list(coords),
            "lon": [c[0] for c in coords.values()],
            "lat": [c[1] for c in coords.values()],
        }
    )
    a = gravity_centre(df, "score", "region", "year", coords=coords, metric="haversine").table
    b = gravity_centre(df, "score", "region", "year", coords=frame).table  # lon/lat: haversine
    assert a.equals(b)
    with pytest.raises(InputError, match="'p04'"):
        gravity_centre(
            df,
            "score",
            "region",
            "year",
            coords={k: v for k, v in coords.items() if k != "p04"},
            metric="haversine",
        )
    with pytest.raises(InputError, match="non-negative"):
        gravity_centre(df.with_columns(-pl.col("score")), "score", "region", "year", coords=frame)
    with pytest.raises(InputError, match="at least 3"):
        standard_deviational_ellipse(df.head(2), "score", "region", coords=coords)


def test_built_in_china_capitals_with_chinese_names():
    from nqpf.spatial import capital_coordinates

    capitals = capital_coordinates("china-provinces")
    df = pl.DataFrame({"省份": ["北京", "上海市", "广东"], "得分": [1.0, 1.0, 2.0]})
    row = gravity_centre(df, "得分", "省份").table.row(0, named=True)
    xy = np.asarray([capitals["Beijing"], capitals["Shanghai"], capitals["Guangdong"]])
    want = np.array([1.0, 1.0, 2.0]) @ xy / 4
    assert row["x"] == pytest.approx(want[0], rel=1e-14)
    assert row["y"] == pytest.approx(want[1], rel=1e-14)
