"""Conditional densities (stochastic kernels), nqpf.conditional_density; docs/methods.md §4.6.

Independent checks: the surface equals a brute-force double loop over grid points and
pairs written here with scipy's normal density; f(y | x) integrates to 1 in y at every
x (up to the kernel mass beyond the grid); a panel whose values do not move puts the
conditional mode on the 45° line; the spatial lag of each pair is the mean of the
neighbours' values computed by hand; bad input is one line.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy import stats

from nqpf import conditional_density
from nqpf.errors import InputError

EPS = np.finfo(float).eps


def _panel(n: int = 12, years: int = 6, seed: int = 3, drift: float = 0.05) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    level = rng.uniform(0.1, 0.9, n)
    rows = []
    for t in range(years):
        for i in range(n):
            rows.append((f"r{i:02d}", 2010 + t, float(level[i])))
        level = np.clip(level + rng.normal(0, drift, n), 0.01, 0.99)
    return pl.DataFrame(rows, schema=["region", "year", "v"], orient="row")


def test_surface_equals_brute_force():
    df = _panel()
    k = conditional_density(df, "v", "region", "year", n=9, bw=0.07)
    a, b = k.pairs["x"].to_numpy(), k.pairs["y"].to_numpy()
    x, y, f = k.matrix()
    for i, xi in enumerate(x):
        marginal = sum(stats.norm.pdf((xi - aj) / 0.07) / 0.07 for aj in a) / a.size
        for j, yj in enumerate(y):
            joint = sum(
                stats.norm.pdf((xi - aj) / 0.07) * stats.norm.pdf((yj - bj) / 0.07)
                for aj, bj in zip(a, b, strict=True)
            ) / (a.size * 0.07**2)
            # m = 60 positive terms summed in two orders: 2mε relative
            assert f[i, j] == pytest.approx(joint / marginal, rel=120 * EPS, abs=1e-300)
    assert k.pairs.height == 12 * 5  # every region, t = 2010 … 2014 → t + 1


def test_conditional_integrates_to_one_and_follows_the_diagonal():
    df = _panel(drift=0.0)  # nothing moves: y = x for every pair
    k = conditional_density(df, "v", "region", "year", n=200, cut=4.0)
    x, y, f = k.matrix()
    inside = (x > k.pairs["x"].min()) & (x < k.pairs["x"].max())
    mass = np.trapezoid(f, y, axis=1)
    # Gaussian tails beyond 4 h: 2Φ(−4) ≈ 6e-5; trapezoid error on 200 points ≪ that
    np.testing.assert_allclose(mass[inside], 1.0, atol=1e-3)
    # the x-bandwidth smooths across regions, so the mode is within one grid step + h of x
    step = y[1] - y[0]
    mode = y[np.argmax(f, axis=1)]
    near_data = np.array(
        [np.min(np.abs(k.pairs["x"].to_numpy() - xi)) < 0.2 * k.bandwidth_x for xi in x]
    )
    assert np.all(np.abs(mode[near_data] - x[near_data]) <= step + k.bandwidth_y)


def test_spatial_lag_is_the_neighbours_mean():
    spatial = pytest.importorskip("nqpf.spatial", reason="the spatial extra is not installed")
    df = pl.DataFrame(
        {
            "region": ["a", "b", "c", "d"] * 2,
            "year": [1] * 4 + [2] * 4,
            "v": [0.1, 0.4, 0.6, 0.9, 0.2, 0.35, 0.7, 0.8],
        }
    )
    w = spatial.from_neighbours({"a": ["b"], "b": ["a", "c"], "c": ["b", "d"], "d": ["c"]})
    static = conditional_density(df, "v", "region", "year", w=w, n=8)
    assert static.lag == 0
    lags = dict(
        zip(
            zip(static.pairs["region"], static.pairs["year"], strict=True),
            static.pairs["x"],
            strict=True,
        )
    )
    assert lags[("a", 1)] == 0.4
    assert lags[("b", 1)] == pytest.approx((0.1 + 0.6) / 2, rel=EPS)
    assert lags[("d", 2)] == 0.7
    own = dict(
        zip(
            zip(static.pairs["region"], static.pairs["year"], strict=True),
            static.pairs["y"],
            strict=True,
        )
    )
    assert own[("c", 2)] == 0.7
    dynamic = conditional_density(df, "v", "region", "year", w=w, lag=1, n=8)
    assert dynamic.pairs.height == 4
    got = dict(
        zip(
            dynamic.pairs["region"],
            zip(dynamic.pairs["x"], dynamic.pairs["y"], strict=True),
            strict=True,
        )
    )
    assert got["c"] == (pytest.approx((0.4 + 0.9) / 2, rel=EPS), 0.7)


def test_relative_values_and_bounds():
    df = _panel()
    rel = conditional_density(df, "v", "region", "year", relative=True, n=16)
    means = df.group_by("year").agg(pl.col("v").mean()).sort("year")
    first = df.filter(pl.col("year") == 2010).sort("region")["v"].to_numpy()
    got = rel.pairs.filter(pl.col("year") == 2010).sort("region")["x"].to_numpy()
    np.testing.assert_allclose(got, first / means["v"][0], rtol=4 * EPS)
    bounded = conditional_density(df, "v", "region", "year", bounds=(0, 1), n=16)
    assert bounded.surface["x"].min() >= 0
    assert bounded.surface["y"].max() <= 1
    assert "45°" in bounded.summary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lag": 9}, "pair"),
        ({"lag": 0}, "lag"),
        ({"relative": True, "bounds": (0, 1)}, "do not go together"),
        ({"bounds": (0.2, 1)}, "outside the bounds"),
        ({"n": 1}, "n"),
    ],
)
def test_bad_input_is_one_line(kwargs, message):
    with pytest.raises(InputError, match=message) as err:
        conditional_density(_panel(), "v", "region", "year", **kwargs)
    assert "\n" not in str(err.value)
