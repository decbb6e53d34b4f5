"""Markov chains: classes, counts and the spatial lag recomputed with plain Python loops.

R's markovchain::markovchainFit is compared in test_dynamics_r.py; giddy (PySAL)
here when it is installed.

Tolerances (ε = 2⁻⁵²): states and counts are exact; a probability is one division
of two integer counts (``rtol`` = 1e-15 > ε/2 + one rounding on each side); the
stationary distribution follows :func:`_steady_atol` (the chain's condition
number); the homogeneity statistics are sums of k³ = 64 signed terms with
Σ|terms|/|LR| ≈ 2.4 here, so two summation orders differ by ≤ 2·64·2.4·ε ≈ 7e-14
relative (``1e-12`` is 15× that), and their p-values (scipy's chi2.sf on both
sides) by at most that times x·f(x)/sf(x) ≤ 2.7 here. giddy computes the same sums
(1e-10 relative) and the same χ² tail, so its p within 1e-10·2.7 < 1e-9 relative.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from scipy import stats

from nqpf.dynamics import markov_chain
from nqpf.errors import InputError

EPS = np.finfo(np.float64).eps


def _steady_atol(p: np.ndarray) -> float:
    """Stationary π of a k-state chain from two solvers: 4kε·κ₂([I − Pᵀ; 1ᵀ]).

    π solves the full-column-rank system [I − Pᵀ; 1ᵀ] π = [0; 1]; a backward-stable
    solve or eigenvector has forward error ≲ k·ε·κ₂ of it (Meyer's condition of π).
    """
    k = p.shape[0]
    system = np.vstack([np.eye(k) - p.T, np.ones((1, k))])
    return 4.0 * k * EPS * float(np.linalg.cond(system))


def _panel(n: int = 16, years: int = 9, seed: int = 5) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        level = rng.normal(0, 1)
        for t in range(years):
            rows.append((f"r{i:02d}", 2000 + t, math.exp(level)))
            level = 0.8 * level + 0.5 * rng.standard_normal()
    return pl.DataFrame(rows, schema=["region", "year", "v"], orient="row")


def _ring(n: int) -> dict[str, list[str]]:
    return {
        f"r{i:02d}": [f"r{(i - 1) % n:02d}", f"r{(i + 1) % n:02d}", f"r{(i + 5) % n:02d}"]
        for i in range(n)
    }


def _type7(values: list[float], p: float) -> float:
    s = sorted(values)
    h = (len(s) - 1) * p
    lo = math.floor(h)
    return s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])


def _state(x: float, breaks: list[float]) -> int:
    # Right-closed classes: x equal to a break belongs to the lower class.
    return 1 + sum(x > b for b in breaks)


def _brute(data: dict[tuple[str, int], float], k: int, per_year: bool) -> tuple[dict, np.ndarray]:
    years = sorted({y for _, y in data})
    if per_year:
        breaks = {
            y: [_type7([v for (_, yy), v in data.items() if yy == y], j / k) for j in range(1, k)]
            for y in years
        }
    else:
        pooled = [_type7(list(data.values()), j / k) for j in range(1, k)]
        breaks = dict.fromkeys(years, pooled)
    states = {key: _state(v, breaks[key[1]]) for key, v in data.items()}
    counts = np.zeros((k, k))
    for (r, y), s in states.items():
        nxt = years.index(y) + 1
        if nxt < len(years) and (r, years[nxt]) in states:
            counts[s - 1, states[(r, years[nxt])] - 1] += 1
    return states, counts


@pytest.mark.parametrize("classes", ["pooled", "year"])
@pytest.mark.parametrize("k", [3, 4, 5])
def test_counts_and_probabilities_match_brute_force(classes, k):
    df = _panel()
    res = markov_chain(df, "v", "region", "year", k=k, classes=classes)
    data = {(r, y): v for r, y, v in df.iter_rows()}
    states, counts = _brute(data, k, classes == "year")
    got_states = {(r, y): s for r, y, s in res.states.select("region", "year", "state").iter_rows()}
    assert got_states == states
    assert res.counts.columns == ["state", *map(str, range(1, k + 1))]
    np.testing.assert_array_equal(res.matrix(counts=True), counts)
    np.testing.assert_allclose(res.matrix(), counts / counts.sum(axis=1, keepdims=True), rtol=1e-15)
    np.testing.assert_allclose(res.persistence, np.diag(counts) / counts.sum(axis=1))
    assert res.n_transitions == 16 * 8


def test_steady_state_is_the_limit_of_the_chain():
    res = markov_chain(_panel(), "v", "region", "year")
    p = res.matrix()
    pi = res.steady_state
    k = p.shape[0]
    # residual of a backward-stable solve: ‖πP − π‖ ≤ 4kε (‖P‖∞ = ‖π‖₁ = 1)
    np.testing.assert_allclose(pi @ p, pi, rtol=0, atol=4 * k * EPS)
    assert pi.sum() == pytest.approx(1.0, rel=0, abs=2 * k * EPS)
    # Independent route: the rows of P^n converge to π for an ergodic chain, as
    # |λ₂|^n (here 0.79^2000 ≈ 1e-210); matrix_power takes 2·⌈log₂ 2000⌉ = 22
    # products of stochastic matrices, each adding ≤ kε, on top of π's own error.
    lam2 = np.sort(np.abs(np.linalg.eigvals(p)))[-2]
    atol = _steady_atol(p) + 22 * k * EPS + k * lam2**2000
    np.testing.assert_allclose(np.linalg.matrix_power(p, 2000)[0], pi, rtol=0, atol=atol)
    s = res.by_state
    assert s.columns == [
        "state",
        "lower",
        "upper",
        "n_from",
        "persistence",
        "up",
        "down",
        "steady_state",
    ]
    np.testing.assert_allclose(s["up"] + s["down"] + s["persistence"], 1.0, rtol=0, atol=4 * EPS)
    assert s["lower"][0] is None
    assert s["upper"][-1] is None
    assert s["upper"][0] == res.breaks["q1"][0]


def test_gaps_break_the_chain_and_unvisited_rows_are_nan():
    df = pl.DataFrame(
        {
            "region": ["a"] * 4 + ["b"] * 3,
            "year": [1, 2, 3, 4, 1, 3, 4],  # b lacks year 2: no 1→3 transition
            "v": [1.0, 2.0, 3.0, 4.0, 1.0, 3.0, 4.0],
        }
    )
    res = markov_chain(df, "v", "region", "year", k=2)
    # pooled median 3: classes 1 = {1, 2, 3}, 2 = {4}
    # a: 1→1, 1→1, 1→2; b: 1→2 only
    np.testing.assert_array_equal(res.matrix(counts=True), [[2, 2], [0, 0]])
    assert np.isnan(res.matrix()[1]).all()
    assert np.isnan(res.steady_state).all()
    assert res.n_transitions == 4


def test_absorbing_chain_has_no_unique_steady_state():
    # Two closed classes ({1} and {2}): π is not unique, so NaN.
    df = pl.DataFrame(
        {"region": ["a", "a", "b", "b"], "year": [1, 2, 1, 2], "v": [1.0, 1.0, 5.0, 5.0]}
    )
    res = markov_chain(df, "v", "region", "year", k=2)
    np.testing.assert_array_equal(res.matrix(), np.eye(2))
    assert np.isnan(res.steady_state).all()


@pytest.mark.parametrize("classes", ["pooled", "year"])
def test_spatial_markov_matches_brute_force(classes):
    n = 16
    df = _panel(n=n)
    nb = _ring(n)
    k = 4
    res = markov_chain(df, "v", "region", "year", k=k, classes=classes, neighbours=nb)
    data = {(r, y): v for r, y, v in df.iter_rows()}
    states, _ = _brute(data, k, classes == "year")
    lags = {(r, y): sum(data[(m, y)] for m in nb[r]) / len(nb[r]) for (r, y) in data}
    lag_states, _ = _brute(lags, k, classes == "year")
    got = res.states.select("region", "year", "lag", "lag_state").iter_rows()
    for r, y, lag, ls in got:
        assert lag == pytest.approx(lags[(r, y)], rel=1e-14)
        assert ls == lag_states[(r, y)]
    want = np.zeros((k, k, k))
    years = sorted({y for _, y in data})
    for (r, y), s in states.items():
        if y != years[-1]:
            want[lag_states[(r, y)] - 1, s - 1, states[(r, y + 1)] - 1] += 1
    for lag in range(1, k + 1):
        np.testing.assert_array_equal(res.matrix(lag, counts=True), want[lag - 1])
    # The conditional matrices partition the transitions of the classic one.
    np.testing.assert_array_equal(want.sum(axis=0), res.matrix(counts=True))
    assert res.spatial_probabilities.columns[:2] == ["lag_state", "state"]
    assert res.spatial_steady_state.height == k


def test_homogeneity_tests_match_the_written_out_sums():
    n = 16
    res = markov_chain(_panel(n=n), "v", "region", "year", neighbours=_ring(n))
    k = 4
    cube = [res.matrix(lag, counts=True).tolist() for lag in range(1, k + 1)]
    pooled = [[sum(cube[m][i][j] for m in range(k)) for j in range(k)] for i in range(k)]
    lr = q = 0.0
    dof = 0
    for i in range(k):
        ni = sum(pooled[i])
        p = [c / ni for c in pooled[i]]
        a = sum(pi > 0 for pi in p)
        b = 0
        for m in range(k):
            nmi = sum(cube[m][i])
            b += nmi > 0
            for j in range(k):
                pm = cube[m][i][j] / nmi if nmi else 0.0
                if cube[m][i][j] > 0:
                    lr += 2 * cube[m][i][j] * math.log(pm / p[j])
                if p[j] > 0:
                    q += nmi * (pm - p[j]) ** 2 / p[j]
        dof += (a - 1) * (b - 1)
    h = res.homogeneity
    assert h["test"].to_list() == ["LR", "Q"]
    np.testing.assert_allclose(h["statistic"].to_numpy(), [lr, q], rtol=1e-12)
    assert h["dof"].to_list() == [dof, dof]
    np.testing.assert_allclose(h["p"].to_numpy(), stats.chi2.sf([lr, q], dof), rtol=1e-12)
    assert markov_chain(_panel(n=n), "v", "region", "year").homogeneity is None


def test_neighbour_frame_equals_mapping():
    df = _panel(n=8)
    nb = _ring(8)
    frame = pl.DataFrame(
        [(r, m) for r, ms in nb.items() for m in ms], schema=["region", "neighbour"], orient="row"
    )
    a = markov_chain(df, "v", "region", "year", neighbours=nb)
    b = markov_chain(df, "v", "region", "year", neighbours=frame)
    assert a.spatial_counts.equals(b.spatial_counts)


def test_lag_skips_neighbours_missing_that_year():
    df = _panel(n=6, years=3).filter(~((pl.col("region") == "r01") & (pl.col("year") == 2001)))
    nb = {r: [m for m in ("r01", "r02") if m != r] or ["r03"] for r in df["region"].unique()}
    res = markov_chain(df, "v", "region", "year", k=2, neighbours=nb)
    row = res.states.filter((pl.col("region") == "r00") & (pl.col("year") == 2001))
    want = df.filter((pl.col("region") == "r02") & (pl.col("year") == 2001))["v"][0]
    assert row["lag"][0] == pytest.approx(want, rel=1e-14)  # a mean of one value


@pytest.mark.slow  # importing giddy compiles numba code: ~15 s
def test_against_giddy_when_installed():
    giddy = pytest.importorskip("giddy.markov", reason="giddy (PySAL) is not installed")
    libpysal = pytest.importorskip("libpysal")
    n = 16
    df = _panel(n=n).sort("region", "year")
    wide = df.pivot(on="year", index="region", values="v").sort("region")
    y = wide.drop("region").to_numpy()
    mapclassify = pytest.importorskip("mapclassify")
    # Pooled quartiles by mapclassify (right-closed bins, like ours), counted by giddy.
    ids = mapclassify.Quantiles(y.ravel(), k=4).yb.reshape(y.shape)
    ref = giddy.Markov(ids)
    ours = markov_chain(df, "v", "region", "year", k=4)
    np.testing.assert_array_equal(ours.matrix(counts=True), ref.transitions)
    np.testing.assert_allclose(ours.matrix(), ref.p, rtol=1e-12)
    np.testing.assert_allclose(
        ours.steady_state, ref.steady_state, rtol=0, atol=_steady_atol(ref.p)
    )
    names = wide["region"].to_list()
    nb = _ring(n)
    w = libpysal.weights.W({r: nb[r] for r in names}, id_order=names)
    w.transform = "r"
    sref = giddy.Spatial_Markov(y, w, fixed=True, k=4, m=4)
    sours = markov_chain(df, "v", "region", "year", k=4, neighbours=nb)
    for lag in range(4):
        np.testing.assert_array_equal(sours.matrix(lag + 1, counts=True), sref.T[lag])
    h = {row["test"]: row for row in sours.homogeneity.iter_rows(named=True)}
    assert h["LR"]["statistic"] == pytest.approx(sref.LR, rel=1e-10)
    assert h["Q"]["statistic"] == pytest.approx(sref.Q, rel=1e-10)
    assert h["LR"]["dof"] == sref.dof_hom
    assert h["LR"]["p"] == pytest.approx(sref.LR_p_value, rel=1e-9)


def test_bad_input():
    df = _panel(n=4, years=3)
    with pytest.raises(InputError, match=r"names region 'Atlantis'.*not in the panel"):
        markov_chain(df, "v", "region", "year", neighbours=_ring(4) | {"r00": ["Atlantis"]})
    with pytest.raises(InputError, match=r"region 'r03' has no neighbours"):
        markov_chain(
            df,
            "v",
            "region",
            "year",
            neighbours={r: ["r00" if r != "r00" else "r01"] for r in ["r00", "r01", "r02"]},
        )
    with pytest.raises(InputError, match="its own neighbour"):
        markov_chain(df, "v", "region", "year", neighbours={"r00": ["r00"]})
    with pytest.raises(InputError, match="needs the columns 'region' and 'neighbour'"):
        markov_chain(
            df, "v", "region", "year", neighbours=pl.DataFrame({"a": ["r00"], "b": ["r01"]})
        )
    with pytest.raises(InputError, match="k=1"):
        markov_chain(df, "v", "region", "year", k=1)
    with pytest.raises(InputError, match="at least 2 years"):
        markov_chain(df.filter(pl.col("year") == 2000), "v", "region", "year")
    with pytest.raises(InputError, match="duplicate row"):
        markov_chain(pl.concat([df, df.head(1)]), "v", "region", "year")
    with pytest.raises(InputError, match="unknown classes"):
        markov_chain(df, "v", "region", "year", classes="quantile")


def test_spatial_weights_binary_equals_neighbour_list():
    from nqpf.spatial import from_neighbours

    df = _panel(n=16)
    nb = _ring(16)
    a = markov_chain(df, "v", "region", "year", neighbours=nb)
    b = markov_chain(df, "v", "region", "year", w=from_neighbours(nb, symmetric=False))
    assert a.states.equals(b.states)
    assert a.spatial_counts.equals(b.spatial_counts)
    with pytest.raises(InputError, match="not both"):
        markov_chain(df, "v", "region", "year", neighbours=nb, w=from_neighbours(nb))


def test_spatial_weights_weighted_lag_matches_brute_force():
    from nqpf.spatial import SpatialWeights

    n = 12
    df = _panel(n=n, years=5)
    names = sorted(df["region"].unique().to_list())
    rng = np.random.default_rng(3)
    dense = rng.uniform(0.5, 3.0, (n, n)) * (rng.uniform(size=(n, n)) < 0.4)
    np.fill_diagonal(dense, 0.0)
    dense[np.arange(n), (np.arange(n) + 1) % n] = 1.0  # no island
    w = SpatialWeights(names, dense)
    res = markov_chain(df, "v", "region", "year", k=3, w=w)
    data = {(r, y): v for r, y, v in df.iter_rows()}
    for r, y, lag in res.states.select("region", "year", "lag").iter_rows():
        i = names.index(r)
        want = sum(dense[i, j] * data[(names[j], y)] for j in range(n)) / dense[i].sum()
        # a weighted mean of ≤ n positive terms: each rounding ≤ ε relative, so ≤ 2nε
        assert lag == pytest.approx(want, rel=2 * n * EPS)


def test_spatial_weights_name_mismatch_and_islands():
    from nqpf.spatial import from_neighbours

    df = _panel(n=6, years=3)
    nb = _ring(6)
    extra = from_neighbours({**nb, "zz": ["r00"]})
    with pytest.raises(InputError, match="'zz'"):
        markov_chain(df, "v", "region", "year", w=extra)
    island = from_neighbours(
        {**{r: [m for m in v if m != "r05"] for r, v in nb.items() if r != "r05"}, "r05": []}
    )
    with pytest.raises(InputError, match="r05"):
        markov_chain(df, "v", "region", "year", w=island)
    with pytest.raises(InputError, match="SpatialWeights"):
        markov_chain(df, "v", "region", "year", w=nb)


@pytest.mark.slow  # importing giddy compiles numba code: ~15 s
def test_weighted_spatial_markov_against_giddy():
    giddy = pytest.importorskip("giddy.markov", reason="giddy (PySAL) is not installed")
    from nqpf.spatial import SpatialWeights

    n = 16
    df = _panel(n=n).sort("region", "year")
    wide = df.pivot(on="year", index="region", values="v").sort("region")
    names = wide["region"].to_list()
    rng = np.random.default_rng(11)
    dense = rng.uniform(0.2, 2.0, (n, n)) * (rng.uniform(size=(n, n)) < 0.3)
    np.fill_diagonal(dense, 0.0)
    dense[np.arange(n), (np.arange(n) + 3) % n] = 0.7
    w = SpatialWeights(names, dense)
    lw = w.to_libpysal()
    lw.transform = "r"
    sref = giddy.Spatial_Markov(wide.drop("region").to_numpy(), lw, fixed=True, k=4, m=4)
    ours = markov_chain(df, "v", "region", "year", k=4, w=w)
    for lag in range(4):
        np.testing.assert_array_equal(ours.matrix(lag + 1, counts=True), sref.T[lag])
