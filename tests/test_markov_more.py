"""Richer Markov chains: cut-offs, relative and given states, m ≠ k lag classes, every
stationary distribution, first passage and sojourn times, homogeneity tests, rank and
LISA chains.

Oracles: giddy 2.3.8's documented examples (the Land of Oz chain of Kemeny & Snell,
Kullback's Table 9.2, the US states' per-capita incomes 1929–2009 of libpysal's
``usjoin.csv``, read from ../shared and skipped without it) with the values printed in
giddy's docstrings, and brute-force references (linear algebra on P, the fundamental
matrix, loops over the panel).

Tolerances: giddy prints 8 significant digits (``atol`` half a unit of the last printed
digit); a stationary distribution or passage time of a k ≤ 5 chain from two
backward-stable solvers differs by ≲ k·ε·κ (κ < 1e3 here), so ``1e-10`` relative.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from nqpf.dynamics import markov_chain
from nqpf.dynamics.ergodic import (
    chi2_test,
    first_passage_times,
    homogeneity_tests,
    sojourn_times,
    stationary_distributions,
)
from nqpf.dynamics.markov_variants import lisa_markov, markov_homogeneity, rank_markov
from nqpf.errors import InputError
from nqpf.options import MarkovOptions

PEER = Path(__file__).resolve().parents[2] / "shared" / "data" / "peer"
OZ = np.array([[0.5, 0.25, 0.25], [0.5, 0, 0.5], [0.25, 0.25, 0.5]])
TWO = np.array([[0.5, 0.5, 0], [0.2, 0.8, 0], [0, 0, 1]])
REL = 1e-10  # two backward-stable solves of a well-conditioned k ≤ 5 system


def _panel(n: int = 12, years: int = 8, seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        level = rng.normal(0, 1)
        for t in range(years):
            rows.append((f"r{i:02d}", 2000 + t, math.exp(level + 0.1 * t)))
            level = 0.7 * level + 0.5 * rng.standard_normal()
    return pl.DataFrame(rows, schema=["region", "year", "v"], orient="row")


# ---------------------------------------------------------------- giddy's ergodic docs


def test_oz_chain_as_giddy_documents():
    # giddy.ergodic.steady_state / mfpt / markov.sojourn_time docstrings
    np.testing.assert_allclose(stationary_distributions(OZ), [[0.4, 0.2, 0.4]], rtol=REL)
    np.testing.assert_allclose(
        first_passage_times(OZ),
        [[2.5, 4.0, 10 / 3], [8 / 3, 5.0, 8 / 3], [10 / 3, 4.0, 2.5]],
        rtol=REL,
    )
    np.testing.assert_array_equal(sojourn_times(OZ), [2.0, 1.0, 2.0])


@pytest.mark.parametrize("p", [TWO, np.array([[0.5, 0.5, 0], [0.2, 0.8, 0], [0, 0, 0]])])
def test_reducible_chain_has_one_distribution_per_closed_class(p):
    # giddy: steady_state(p) = [[0.28571429, 0.71428571, 0], [0, 0, 1]],
    # mfpt(p) = [[3.5, 2, inf], [5, 1.4, inf], [inf, inf, 1]] (empty row = absorbing)
    np.testing.assert_allclose(
        stationary_distributions(p), [[2 / 7, 5 / 7, 0], [0, 0, 1]], rtol=REL, atol=1e-15
    )
    np.testing.assert_allclose(
        first_passage_times(p),
        [[3.5, 2, np.inf], [5, 1.4, np.inf], [np.inf, np.inf, 1]],
        rtol=REL,
    )
    # giddy sojourn_time of [[.5,.25,.25],[.5,0,.5],[0,0,0]] = [2, 1, inf]
    np.testing.assert_array_equal(sojourn_times(p)[2], np.inf)


def test_first_passage_times_by_the_fundamental_matrix():
    # Kemeny & Snell: Z = (I − P + Π)⁻¹, M = (I − Z + E Z_dg) D, D = diag(1/π)
    rng = np.random.default_rng(1)
    for k in (3, 5, 8):
        p = rng.random((k, k)) + 0.05
        p /= p.sum(axis=1, keepdims=True)
        pi = stationary_distributions(p)[0]
        np.testing.assert_allclose(pi @ p, pi, rtol=0, atol=1e-14)
        z = np.linalg.inv(np.eye(k) - p + np.tile(pi, (k, 1)))
        m = (np.eye(k) - z + np.ones((k, k)) @ np.diag(np.diag(z))) @ np.diag(1 / pi)
        np.testing.assert_allclose(first_passage_times(p), m, rtol=1e-9)
        np.testing.assert_allclose(np.diag(first_passage_times(p)), 1 / pi, rtol=1e-9)


def test_transient_states_reach_no_stationary_mass():
    # 0 transient → {1} absorbing or {2, 3} closed: two distributions, state 0 has none
    p = np.array([[0.2, 0.3, 0.5, 0], [0, 1, 0, 0], [0, 0, 0.5, 0.5], [0, 0, 0.6, 0.4]])
    pis = stationary_distributions(p)
    assert pis.shape == (2, 4)
    np.testing.assert_allclose(pis[:, 0], 0.0)
    np.testing.assert_allclose(pis @ p, pis, atol=1e-15)
    m = first_passage_times(p)
    assert np.isinf(m[0, 1])  # may never arrive
    assert np.isinf(m[0, 0])  # nor return
    assert np.isinf(m[2, 1])
    assert np.isfinite(m[3, 2])


# ---------------------------------------------------------------- homogeneity tests


def test_kullback_table_9_2_as_giddy_documents():
    # giddy.markov.kullback docstring (Kullback, Kupperman & Ku 1962, Table 9.2):
    # 160.961, dof 30, p 0.0
    s1 = [[22, 11, 24, 2, 2, 7], [5, 23, 15, 3, 42, 6], [4, 21, 190, 25, 20, 34]]
    s1 += [[0, 2, 14, 56, 14, 28], [32, 15, 20, 10, 56, 14], [5, 22, 31, 18, 13, 134]]
    s2 = [[3, 6, 9, 3, 0, 8], [1, 9, 3, 12, 27, 5], [2, 9, 208, 32, 5, 18]]
    s2 += [[0, 14, 32, 108, 40, 40], [22, 14, 9, 26, 224, 14], [1, 5, 13, 53, 13, 116]]
    tests = {t[0]: t[1:] for t in homogeneity_tests(np.array([s1, s2]))}
    assert f"{tests['Kullback'][0]:8.3f}" == " 160.961"
    assert tests["Kullback"][1] == 30
    assert f"{tests['Kullback'][2]:3.1f}" == "0.0"


def test_homogeneity_by_brute_force():
    rng = np.random.default_rng(7)
    cube = rng.integers(0, 30, size=(3, 4, 4)).astype(float)
    pooled = cube.sum(axis=0)
    lr = q = 0.0
    for g in range(3):
        for i in range(4):
            ni = cube[g, i].sum()
            for j in range(4):
                p = pooled[i, j] / pooled[i].sum()
                pg = cube[g, i, j] / ni if ni else 0.0
                if cube[g, i, j] > 0:
                    lr += 2 * cube[g, i, j] * math.log(pg / p)
                if p > 0:
                    q += ni * (pg - p) ** 2 / p
    got = {t[0]: t[1] for t in homogeneity_tests(cube)}
    assert got["LR"] == pytest.approx(lr, rel=1e-12)
    assert got["Q"] == pytest.approx(q, rel=1e-12)
    assert got["Kullback"] == pytest.approx(lr, rel=1e-12)  # the same likelihood ratio


def test_chi2_as_giddy_documents():
    # giddy.markov.chi2 docstring: (23.39728441473295, 0.005363116704861337, 9)
    t1 = np.array([[562, 22, 1, 0], [12, 201, 22, 0], [0, 17, 97, 4], [0, 0, 3, 19]])
    t2 = np.array([[884, 77, 4, 0], [68, 794, 87, 3], [1, 92, 815, 51], [1, 0, 60, 903]])
    stat, dof, p = chi2_test(t1, t2)
    assert stat == pytest.approx(23.39728441473295, rel=1e-12)
    assert dof == 9
    assert p == pytest.approx(0.005363116704861337, rel=1e-9)


def test_markov_homogeneity_over_periods_and_groups():
    df = _panel()
    res = markov_homogeneity(df, "v", "region", "year", periods=[2004], k=3)
    assert res.tests["test"].to_list() == ["Q", "LR", "Kullback"]
    chain = markov_chain(df, "v", "region", "year", k=3)
    counts = res.counts.drop("regime", "state").to_numpy().reshape(2, 3, 3)
    # the two periods' counts add up to the whole chain's
    np.testing.assert_array_equal(counts.sum(axis=0), chain.matrix(counts=True))
    groups = df.with_columns(
        pl.when(pl.col("region") < "r06").then(pl.lit("east")).otherwise(pl.lit("west")).alias("g")
    )
    by = markov_homogeneity(groups, "v", "region", "year", by="g", k=3)
    cube = by.counts.drop("regime", "state").to_numpy().reshape(2, 3, 3)
    expect = {t[0]: t[1] for t in homogeneity_tests(np.ascontiguousarray(cube))}
    got = dict(zip(by.tests["test"], by.tests["statistic"], strict=True))
    # the same sums; the table's memory order can change numpy's summation order
    assert got == pytest.approx(expect, rel=1e-13)
    with pytest.raises(InputError, match="periods"):
        markov_homogeneity(df, "v", "region", "year", periods=[1990])
    with pytest.raises(InputError, match="regime"):
        markov_homogeneity(df, "v", "region", "year", periods=[2007])


# ---------------------------------------------------------------- states


def test_cutoffs_match_a_loop_and_bad_cutoffs_are_refused():
    df = _panel()
    cut = [1.0, 1.5, 2.5]
    res = markov_chain(df, "v", "region", "year", cutoffs=cut)
    assert res.k == 4
    expect = {(r, y): 1 + sum(v > c for c in cut) for r, y, v in df.iter_rows()}
    got = {(r, y): s for r, y, s in res.states.select("region", "year", "state").iter_rows()}
    assert got == expect
    with pytest.raises(InputError, match="cutoffs 1e\\+06 lies outside"):
        markov_chain(df, "v", "region", "year", cutoffs=[1.0, 1e6])
    with pytest.raises(InputError, match="not strictly increasing"):
        markov_chain(df, "v", "region", "year", cutoffs=[2.0, 1.0])
    with pytest.raises(InputError, match="classes='year'"):
        markov_chain(df, "v", "region", "year", cutoffs=[1.0], classes="year")


def test_relative_classes_divide_by_the_year_mean():
    df = _panel()
    res = markov_chain(df, "v", "region", "year", k=3, classes="relative")
    means = {y: np.mean([v for _, yy, v in df.iter_rows() if yy == y]) for y in range(2000, 2008)}
    rel = df.with_columns(
        (pl.col("v") / pl.col("year").replace_strict(means, return_dtype=pl.Float64)).alias("rv")
    )
    ref = markov_chain(rel, "rv", "region", "year", k=3)
    np.testing.assert_array_equal(res.matrix(counts=True), ref.matrix(counts=True))
    # the caller's values stay; the relative values are beside them
    assert res.states["v"].to_list() == df.sort("region", "year")["v"].to_list()
    np.testing.assert_allclose(res.states["relative"], ref.states["rv"], rtol=1e-15)


def test_given_state_labels_and_unknown_label():
    labels = ("low", "mid", "high")
    df = pl.DataFrame(
        {
            "region": ["a"] * 3 + ["b"] * 3,
            "year": [1, 2, 3] * 2,
            "s": ["low", "mid", "mid", "high", "high", "low"],
        }
    )
    res = markov_chain(df, "s", "region", "year", state_labels=labels)
    np.testing.assert_array_equal(res.matrix(counts=True), [[0, 1, 0], [0, 1, 0], [1, 0, 1]])
    assert res.states["s"].to_list() == df["s"].to_list()
    assert res.by_state["label"].to_list() == list(labels)
    with pytest.raises(InputError, match=r"column 's': state label 'medium'"):
        markov_chain(
            df.with_columns(pl.lit("medium").alias("s")), "s", "region", "year", state_labels=labels
        )


def test_reducible_chain_in_the_result_is_not_nan():
    # b stays in 1, a stays in 2: two closed classes
    df = pl.DataFrame(
        {"region": ["a"] * 3 + ["b"] * 3, "year": [1, 2, 3] * 2, "v": [5.0, 6, 7, 1, 1, 1]}
    )
    res = markov_chain(df, "v", "region", "year", k=2)
    assert np.isnan(res.steady_state).all()  # unchanged: not unique
    np.testing.assert_array_equal(res.steady_states, [[1, 0], [0, 1]])
    assert res.long_run["sojourn_time"].to_list() == [math.inf, math.inf]


def test_one_state_and_one_regime_refused():
    with pytest.raises(InputError, match="one state"):
        MarkovOptions(state_labels=["only"])
    df = _panel().with_columns(pl.lit("all").alias("g"))
    with pytest.raises(
        InputError, match=r"column 'g': a homogeneity test needs at least 2 regimes"
    ):
        markov_homogeneity(df, "v", "region", "year", by="g")


def test_options_declared():
    names = MarkovOptions.names()
    for name in ("cutoffs", "lag_k", "lag_cutoffs", "state_labels"):
        assert name in names
    assert "relative" in MarkovOptions.info("classes").choices
    assert MarkovOptions(cutoffs="0.5, 1").cutoffs == (0.5, 1.0)


# ---------------------------------------------------------------- rank chains


def test_full_rank_by_brute_force_and_geo_rank_counts():
    df = _panel(n=6, years=10)
    wide = df.sort("region", "year")["v"].to_numpy().reshape(6, 10)
    ranks = np.array([[1 + (wide[:, t] > wide[i, t]).sum() for t in range(10)] for i in range(6)])
    counts = np.zeros((6, 6))
    for i in range(6):
        for t in range(9):
            counts[ranks[i, t] - 1, ranks[i, t + 1] - 1] += 1
    fr = rank_markov(df, "v", "region", "year")
    np.testing.assert_array_equal(fr.matrix(counts=True), counts)
    gr = rank_markov(df, "v", "region", "year", kind="geo")
    # every rank position moves each year: rows sum to the years - 1
    np.testing.assert_array_equal(gr.matrix(counts=True).sum(axis=1), [9] * 6)
    with pytest.raises(InputError, match="balanced"):
        rank_markov(df.slice(1), "v", "region", "year")


# ---------------------------------------------------------------- giddy's US states


@pytest.fixture(scope="module")
def us():
    if not PEER.exists():
        pytest.skip("../shared/data/peer is absent")
    from nqpf.spatial import from_neighbours

    raw = pl.read_csv(PEER / "usjoin.csv")
    names = raw["Name"].to_list()
    years = [str(y) for y in range(1929, 2010)]
    long = raw.unpivot(index="Name", on=years, variable_name="year", value_name="pci")
    long = long.with_columns(pl.col("year").cast(pl.Int64), pl.col("pci").cast(pl.Float64))
    lines = (PEER / "states48.gal").read_text().split("\n")[1:]
    nb = {
        names[int(a.split()[0])]: [names[int(j)] for j in b.split()]
        for a, b in zip(lines[0::2], lines[1::2], strict=False)
        if a.strip()
    }
    return long, from_neighbours(nb)


def test_relative_incomes_as_giddy_documents(us):
    long, _ = us
    res = markov_chain(long, "pci", "Name", "year", k=5, classes="relative")
    # giddy.markov.Markov docstring, "Relative incomes"
    np.testing.assert_array_equal(
        res.matrix(counts=True),
        [
            [707, 58, 7, 1, 0],
            [50, 629, 80, 1, 1],
            [4, 79, 610, 73, 2],
            [0, 7, 72, 650, 37],
            [0, 0, 0, 48, 724],
        ],
    )
    np.testing.assert_allclose(
        res.steady_state, [0.17957376, 0.21631443, 0.21499942, 0.21134662, 0.17776576], atol=5e-9
    )


def test_spatial_markov_m_differs_from_k_as_giddy_documents(us):
    long, w = us
    res = markov_chain(long, "pci", "Name", "year", k=5, lag_k=4, classes="relative", w=w)
    # giddy Spatial_Markov docstring, case (2): k=5, m=4
    assert res.m == 4
    np.testing.assert_allclose(
        res.breaks.select("lag_q1", "lag_q2", "lag_q3").row(0),
        [0.91440247, 0.98583079, 1.08698351],
        atol=5e-9,
    )
    np.testing.assert_allclose(
        res.matrix(1)[0], [0.95708955, 0.03544776, 0.00746269, 0, 0], atol=5e-9
    )
    np.testing.assert_allclose(
        res.matrix(4)[0], [0.16666667, 0.66666667, 0, 0.16666667, 0], atol=5e-9
    )
    h = dict(zip(res.homogeneity["test"], res.homogeneity["statistic"], strict=True))
    assert f"{h['LR']:.3f}" == "172.105"
    assert f"{h['Q']:.3f}" == "321.128"
    assert res.homogeneity["dof"][0] == 45


def test_spatial_markov_long_run_as_giddy_documents(us):
    long, w = us
    res = markov_chain(long, "pci", "Name", "year", k=5, classes="relative", w=w)
    # giddy Spatial_Markov docstring, case (1): sm.S and sm.F (first lag class)
    s = res.spatial_stationary.filter(pl.col("lag_state") == 1).drop("lag_state", "closed_class")
    np.testing.assert_allclose(
        s.row(0), [0.43509425, 0.2635327, 0.20363044, 0.06841983, 0.02932278], atol=5e-9
    )
    f = res.spatial_first_passage.filter(pl.col("lag_state") == 1).drop("lag_state", "state")
    np.testing.assert_allclose(
        f.row(0), [2.29835259, 28.95614035, 46.14285714, 80.80952381, 279.42857143], atol=5e-8
    )
    # per-lag-class χ² with k = m = 4 (giddy's chi2 docstring: the first lag class)
    four = markov_chain(long, "pci", "Name", "year", k=4, classes="relative", w=w)
    row = four.lag_tests.row(0)
    assert row[1] == pytest.approx(23.39728441473295, rel=1e-12)
    assert row[2] == 9
    assert row[3] == pytest.approx(0.005363116704861337, rel=1e-9)


def test_spatial_markov_cutoffs_reducible_as_giddy_documents(us):
    long, w = us
    cc = [0.8, 0.9, 1, 1.2]
    res = markov_chain(
        long, "pci", "Name", "year", cutoffs=cc, lag_cutoffs=cc, classes="relative", w=w
    )
    # giddy case (3.1): sm.S[0] has two distributions, sm.S[2] one
    s = res.spatial_stationary
    first = s.filter(pl.col("lag_state") == 1).drop("lag_state", "closed_class").to_numpy()
    np.testing.assert_allclose(
        first,
        [[0.54148249, 0.16780007, 0.24991499, 0.04080245, 0], [0, 0, 0, 0, 1]],
        atol=5e-9,
    )
    third = s.filter(pl.col("lag_state") == 3).drop("lag_state", "closed_class").to_numpy()
    np.testing.assert_allclose(
        third, [[0.03607655, 0.22667277, 0.25883041, 0.43607249, 0.04234777]], atol=5e-9
    )
    np.testing.assert_allclose(
        res.matrix(2)[1], [0.04402516, 0.89308176, 0.06289308, 0, 0], atol=5e-9
    )


def test_rank_chains_as_giddy_documents(us):
    long, _ = us
    fr = rank_markov(long, "pci", "Name", "year")
    # giddy FullRank_Markov docstring
    np.testing.assert_allclose(fr.matrix()[0, :5], [0.825, 0.0625, 0.0625, 0.025, 0.025])
    np.testing.assert_allclose(
        fr.first_passage.row(0)[1:6],
        [48.0, 87.96280048, 68.1089084, 58.83306575, 41.77250827],
        atol=5e-8,
    )
    np.testing.assert_allclose(
        fr.long_run["sojourn_time"][:5],
        [5.71428571, 2.75862069, 2.22222222, 1.77777778, 1.66666667],
        atol=5e-9,
    )
    gr = rank_markov(long, "pci", "Name", "year", kind="geo")
    # giddy GeoRank_Markov docstring (the states are the states in usjoin's order,
    # which is alphabetical)
    np.testing.assert_allclose(gr.matrix()[0, :3], [0.475, 0, 0.1])
    np.testing.assert_allclose(
        gr.first_passage.row(0)[1:4], [48.0, 63.35532038, 92.75274652], atol=5e-8
    )
    np.testing.assert_allclose(
        gr.long_run["sojourn_time"][:3], [1.9047619, 1.23076923, 2.22222222], atol=5e-9
    )


def test_lisa_markov_giddy_convention_reproduces_its_chi2(us):
    """giddy's documented chi_2 of LISA_Markov on the US states: 1058.2079 (9 dof)."""
    long, w = us
    lm = lisa_markov(long, "pci", "Name", "year", w=w, convention="giddy")
    row = lm.tests.row(0, named=True)
    # a sum of 16 terms from counts and products of frequencies: 1e-9 relative
    assert row["statistic"] == pytest.approx(1058.2079036003051, rel=1e-9)
    assert row["dof"] == 9
    plain = lisa_markov(long, "pci", "Name", "year", w=w)
    assert plain.tests["statistic"][0] != pytest.approx(1058.2079036003051, rel=1e-3)
    np.testing.assert_array_equal(lm.matrix(counts=True), plain.matrix(counts=True))
    with pytest.raises(InputError, match="convention"):
        lisa_markov(long, "pci", "Name", "year", w=w, convention="pysal")


def test_lisa_markov_as_giddy_documents(us):
    long, w = us
    lm = lisa_markov(long, "pci", "Name", "year", w=w)
    # giddy LISA_Markov docstring: transitions and steady state (HH, LH, LL, HL)
    np.testing.assert_array_equal(
        lm.matrix(counts=True),
        [[1087, 44, 4, 34], [41, 470, 36, 1], [5, 34, 1422, 39], [30, 1, 40, 552]],
    )
    np.testing.assert_allclose(
        lm.stationary.drop("closed_class").row(0),
        [0.28561505, 0.14190226, 0.40493672, 0.16754598],
        atol=5e-9,
    )
    # the independence test by brute force: own and neighbourhood chains of
    # "below the year's mean", E_ij = n_i · P_own(a→a') · P_lag(b→b')
    wide = long.sort("Name", "year")["pci"].to_numpy().reshape(48, 81)
    dense = w.align(sorted(long["Name"].unique().to_list())).transform("r").dense()
    own = wide / wide.mean(axis=0) < 1
    lag = (dense @ wide) / wide.mean(axis=0) < 1

    def two(b):
        c = np.zeros((2, 2))
        for i in range(48):
            for t in range(80):
                c[int(b[i, t]), int(b[i, t + 1])] += 1
        return c / c.sum(axis=1, keepdims=True)

    po, pl_ = two(own), two(lag)
    quad = {0: (0, 0), 1: (1, 0), 2: (1, 1), 3: (0, 1)}  # HH, LH, LL, HL → (own low, lag low)
    n_i = lm.matrix(counts=True).sum(axis=1)
    e = np.array(
        [
            [n_i[a] * po[quad[a][0], quad[b][0]] * pl_[quad[a][1], quad[b][1]] for b in range(4)]
            for a in range(4)
        ]
    )
    np.testing.assert_allclose(lm.expected.drop("state").to_numpy(), e, rtol=1e-12)


# ---------------------------------------------------------------- the CLI


def test_cli_markov_writes_the_api_tables(tmp_path, capsys):
    from nqpf.cli import main

    df = _panel()
    src = tmp_path / "panel.csv"
    df.write_csv(src)
    out = tmp_path / "chain.xlsx"
    where = ["--value", "v", "--region", "region", "--year", "year"]
    code = main(["markov", str(src), *where, "--k", "3", "--periods", "2004", "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "Markov chain, k=3" in text
    assert "Kullback" in text
    assert out.exists()
    assert main(["markov", str(src), *where, "--cutoffs", "0.5,1e9"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "cutoffs 1e+09 lies outside the values of column 'v'" in err[0]
    assert main(["markov", str(src), *where, "--chain", "lisa"]) == 2
    assert "--weights" in capsys.readouterr().err


def test_homogeneity_with_a_region_column_named_like_a_helper():
    df = _panel()
    plain = markov_homogeneity(df, "v", "region", "year", periods=[2004], k=3)
    odd = markov_homogeneity(
        df.rename({"region": "__nqpf_period__"}),
        "v",
        "__nqpf_period__",
        "year",
        periods=[2004],
        k=3,
    )
    assert odd.tests.equals(plain.tests)
