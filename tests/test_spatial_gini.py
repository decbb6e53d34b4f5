"""The spatial Gini (Rey & Smith 2013): brute force, PySAL inequality's Gini_Spatial on
the 48 US states, the exact permutation distribution of a small map, bad input."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from nqpf.errors import InputError
from nqpf.spatial import from_neighbours
from nqpf.spatial.gini import spatial_gini

PEER = Path(__file__).resolve().parents[2] / "shared" / "data" / "peer"
EPS = np.finfo(float).eps
LINE = {"a": ["b"], "b": ["c"], "c": ["d"], "d": ["e"], "e": ["f"], "f": []}


def _brute(x: np.ndarray, dense: np.ndarray) -> tuple[float, float]:
    n = x.size
    den = 2 * n * n * x.mean()
    d = np.abs(x[:, None] - x[None, :])
    return d.sum() / den, (dense * d).sum() / den


def test_components_equal_the_double_sums():
    rng = np.random.default_rng(4)
    x = rng.lognormal(size=6)
    w = from_neighbours(LINE)
    df = pl.DataFrame({"r": list(w.ids), "x": x})
    row = spatial_gini(df, "x", "r", w=w, permutations=0).table.row(0, named=True)
    g, gn = _brute(x, w.dense())
    # sums of n² positive terms, each rounded once: ≤ n²ε relative
    assert row["G"] == pytest.approx(g, rel=36 * EPS)
    assert row["G_neighbour"] == pytest.approx(gn, rel=36 * EPS)
    assert row["G_neighbour"] + row["G_non_neighbour"] == pytest.approx(row["G"], rel=4 * EPS)
    assert "p_sim" not in row


def test_permutation_p_value_converges_to_the_exact_one():
    x = np.array([1.0, 2.0, 4.0, 7.0, 11.0, 16.0])
    w = from_neighbours(LINE)
    dense = w.dense()
    _, obs_nb = _brute(x, dense)
    total, _ = _brute(x, dense)
    far = [total - _brute(x[list(p)], dense)[1] for p in itertools.permutations(range(6))]
    obs = total - obs_nb
    above = np.mean(np.asarray(far) >= obs - 1e-12)
    exact = min(above, 1 - above)
    B = 40_000
    df = pl.DataFrame({"r": list(w.ids), "x": x})
    p = spatial_gini(df, "x", "r", w=w, permutations=B, seed=7).table["p_sim"][0]
    # p_sim estimates the folded tail share; its sampling sd is √(p(1−p)/B): allow 5 sd
    assert abs(p - exact) < 5 * math.sqrt(exact * (1 - exact) / B) + 2 / B


def test_same_seed_same_numbers_and_caller_names():
    w = from_neighbours(LINE)
    df = pl.DataFrame(
        {"G": [2020] * 6 + [2021] * 6, "r": list(w.ids) * 2, "x": np.arange(1.0, 13.0)}
    )
    a = spatial_gini(df, "x", "r", "G", w=w, seed=3).table
    b = spatial_gini(df, "x", "r", "G", w=w, seed=3).table
    assert a.equals(b)
    assert a.columns[:2] == ["G", "nqpf_G"]  # the caller's year column keeps its name
    assert a["G"].to_list() == [2020, 2021]


@pytest.mark.skipif(not PEER.exists(), reason="../shared/data/peer is absent")
def test_equals_pysal_inequality_on_the_us_states():
    libpysal = pytest.importorskip("libpysal")
    ineq = pytest.importorskip("inequality.gini", reason="PySAL inequality is not installed")
    gal = libpysal.io.open(str(PEER / "states48.gal")).read()
    df = pl.read_csv(PEER / "usjoin.csv")
    names = df["Name"].to_list()
    w = from_neighbours(
        {names[int(i)]: [names[int(j)] for j in js] for i, js in gal.neighbors.items()}
    )
    wi = libpysal.weights.W({int(i): [int(j) for j in js] for i, js in gal.neighbors.items()})
    years = [str(y) for y in (1929, 1960, 2009)]
    long = df.unpivot(index="Name", on=years, variable_name="year", value_name="inc")
    ours = spatial_gini(long, "inc", "Name", "year", w=w, permutations=0).table
    for year in years:
        ref = ineq.Gini_Spatial(df[year].to_numpy().astype(float), wi, permutations=0)
        row = ours.filter(pl.col("year") == year).row(0, named=True)
        # the same sums in another order: n² terms, ≤ n²ε relative
        tol = 48**2 * EPS
        assert row["G"] == pytest.approx(ref.g, rel=tol)
        assert row["G_neighbour"] == pytest.approx(ref.wg / ref.den, rel=tol)
        assert row["G_non_neighbour"] == pytest.approx(ref.wcg / ref.den, rel=tol)
        assert row["polarization"] == pytest.approx(ref.polarization, rel=tol)


def test_islands_have_no_neighbour_pairs():
    w = from_neighbours(LINE)  # f is an island
    df = pl.DataFrame({"r": list(w.ids), "x": np.arange(1.0, 7.0)})
    row = spatial_gini(df, "x", "r", w=w, permutations=0).table.row(0, named=True)
    assert row["G_neighbour"] == pytest.approx(
        _brute(df["x"].to_numpy(), w.dense())[1], rel=36 * EPS
    )


def test_bad_input():
    w = from_neighbours(LINE)
    df = pl.DataFrame({"r": list(w.ids), "x": [1.0, -2, 3, 4, 5, 6]})
    with pytest.raises(InputError, match="non-negative"):
        spatial_gini(df, "x", "r", w=w)
    with pytest.raises(InputError, match="'f'"):
        spatial_gini(df.head(5).with_columns(pl.col("x").abs()), "x", "r", w=w)
    directed = from_neighbours(
        {"a": ["b"], "b": ["c"], "c": ["d"], "d": ["e"], "e": ["f"], "f": ["a"]}, symmetric=False
    )
    with pytest.raises(InputError, match="symmetric"):
        spatial_gini(df.with_columns(pl.col("x").abs()), "x", "r", w=directed)
    with pytest.raises(InputError, match="SpatialWeights"):
        spatial_gini(df, "x", "r", w=LINE)
