"""Dagum Gini decomposition (nqpf.dagum): exact fixture, naive reference, identities, edge cases, bad input.

Independent checks, none copied from our own output:

* the exact-rational fixture of docs/methods.md §7.1 (worked by hand with fractions);
* the naive O(n²) double loops of ``tests/dagum_reference.py``, written from the
  textbook formulas with no code shared with the package;
* identities of Dagum (1997) and docs/methods.md §1.3: G = Gw + Gnb + Gt,
  Gnb = the weighted Gini of the group means, d − p = μj − μh, d + p = Δjh, the
  pooled-pair identity for Gjh, and the classic sorted-rank Gini formula for G.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pandas as pd
import polars as pl
import pytest
from dagum_reference import dagum_broadcast, dagum_loops
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from nqpf.dagum import DagumResult, dagum_decompose, dagum_gini
from nqpf.errors import InputError
from nqpf.io import ROW_COLUMN

# Tolerances (ε = 2⁻⁵²). Every Gini-type ratio here is Σ c_i y_i / (W²μ) with
# |c_i| ≤ W, so Σ|terms| ≤ W·Wμ and a sum of N terms by recursion (the kernel's
# cumsum over the sorted units) or pairwise (numpy) errs by ≤ N·ε·Σ|terms|: the
# absolute error of G, Gjj, Gjh, Gnb, Gt is ≤ N·ε, N the number of terms summed.
# The kernel sums n units (n ≤ 120 in the hypothesis tests: ≤ 2.7e-14); the naive
# loops sum n² pairs (n ≤ 48: 2304ε ≈ 5e-13), the broadcast reference n² pairs by
# pairwise sums in row blocks (≤ (n/block + log₂ n²)·ε). So 1e-12, relative and
# absolute, bounds both sides at these sizes; larger inputs use :func:`_sum_atol`.
# Means and d, p scale with the values (``ATOL * scale``). D = (d − p)/(d + p) moves
# by ≤ 2(|Δd| + |Δp|)/(d + p): :func:`_d_atol`.
RTOL = 1e-12
ATOL = 1e-12
EPS = np.finfo(np.float64).eps


def _d_atol(dp_atol: float, d_plus_p):
    """Absolute tolerance of D = (d − p)/(d + p) when d and p are each within dp_atol."""
    dp = np.asarray(d_plus_p, dtype=float)
    return np.where(dp > 0, 4.0 * dp_atol / np.where(dp > 0, dp, 1.0), dp_atol)


def _sum_atol(n_terms: int) -> float:
    """Absolute error bound of a Gini-type ratio summed over n_terms terms: 2·n·ε (two sides)."""
    return 2.0 * n_terms * EPS


FIXTURE = {"A": [1, 2, 6], "B": [3, 5], "C": [4, 8, 9, 11]}
EXACT = {
    "G": Fraction(146, 441),
    "Gw": Fraction(34, 441),
    "Gnb": Fraction(2, 9),
    "Gt": Fraction(2, 63),
    "Gjj": {"A": Fraction(10, 27), "B": Fraction(1, 8), "C": Fraction(11, 64)},
    # pair (j, h), μj ≥ μh: Gjh, Djh, djh, pjh
    "pairs": {
        ("B", "A"): (Fraction(1, 3), Fraction(3, 7), Fraction(5, 3), Fraction(2, 3)),
        ("C", "A"): (Fraction(16, 33), Fraction(15, 16), Fraction(31, 6), Fraction(1, 6)),
        ("C", "B"): (Fraction(17, 48), Fraction(16, 17), Fraction(33, 8), Fraction(1, 8)),
    },
}


def fixture_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "y": [v for vals in FIXTURE.values() for v in vals],
            "region": [g for g, vals in FIXTURE.items() for _ in vals],
        }
    )


def close(a, b, rtol=RTOL, atol=ATOL) -> None:
    assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=atol)


# ---------------------------------------------------------------------------
# Exact fixture (docs/methods.md §7.1)
# ---------------------------------------------------------------------------


def test_fixture_exact_rationals_by_hand():
    """The fixture's totals follow from its stated parts (guards against a typo)."""
    assert EXACT["Gw"] + EXACT["Gnb"] + EXACT["Gt"] == EXACT["G"]
    # Gnb = Σ p_j p_h (μ_j − μ_h)/μ with p = (3, 2, 4)/9, μ = (3, 4, 8), μ = 49/9
    p = {"A": Fraction(3, 9), "B": Fraction(2, 9), "C": Fraction(4, 9)}
    m = {"A": 3, "B": 4, "C": 8}
    gnb = sum(p[j] * p[h] * (m[j] - m[h]) for j, h in EXACT["pairs"]) / Fraction(49, 9)
    assert gnb == EXACT["Gnb"]


def test_fixture_array_api():
    df = fixture_frame()
    dec = dagum_decompose(df["y"].to_numpy(), df["region"].to_numpy())
    for key in ("G", "Gw", "Gnb", "Gt"):
        close(getattr(dec, key), float(EXACT[key]))
    assert list(dec.groups) == ["A", "B", "C"]
    close(dec.Gjj, [float(EXACT["Gjj"][g]) for g in "ABC"])
    close(dec.mean, [3, 4, 8])
    assert dec.n.tolist() == [3, 2, 4]
    idx = {g: i for i, g in enumerate(dec.groups)}
    assert [(dec.groups[j], dec.groups[h]) for j, h in dec.pairs] == list(EXACT["pairs"])
    for (j, h), (gjh, djh_, d, p) in EXACT["pairs"].items():
        a, b = idx[j], idx[h]
        close(dec.Gjh[a, b], float(gjh))
        close(dec.Gjh[b, a], float(gjh))
        close(dec.Djh[a, b], float(djh_))
        close(dec.Djh[b, a], -float(djh_))
        close(dec.djh[a, b], float(d))
        close(dec.pjh[a, b], float(p))
    close(dec.shares, [float(EXACT[k] / EXACT["G"]) for k in ("Gw", "Gnb", "Gt")])


def test_fixture_frame_api():
    res = dagum_gini(fixture_frame(), value="y", group="region")
    assert isinstance(res, DagumResult)
    assert res.overall.columns == [
        "G", "Gw", "Gnb", "Gt", "Gw_share", "Gnb_share", "Gt_share",
    ]  # fmt: skip
    row = res.overall.row(0, named=True)
    for key in ("G", "Gw", "Gnb", "Gt"):
        close(row[key], float(EXACT[key]))
    close(row["Gt_share"], float(EXACT["Gt"] / EXACT["G"]))
    assert res.within.columns == ["group", "n", "mean", "Gjj"]
    assert res.within["group"].to_list() == ["A", "B", "C"]
    close(res.within["Gjj"].to_numpy(), [float(EXACT["Gjj"][g]) for g in "ABC"])
    assert res.between.columns == ["group_j", "group_h", "Gjh", "Djh", "djh", "pjh"]
    got = list(zip(res.between["group_j"], res.between["group_h"], strict=True))
    assert got == list(EXACT["pairs"])
    close(
        res.between.select("Gjh", "Djh", "djh", "pjh").to_numpy(),
        [[float(x) for x in vals] for vals in EXACT["pairs"].values()],
    )
    assert res.intervals is None


def test_fixture_reference_is_exact_too():
    """The naive reference itself reproduces the hand-computed fixture."""
    df = fixture_frame()
    for ref in (dagum_loops(df["y"], df["region"]), dagum_broadcast(df["y"], df["region"])):
        close([ref.G, ref.Gw, ref.Gnb, ref.Gt], [float(EXACT[k]) for k in ("G", "Gw", "Gnb", "Gt")])
        for pair, vals in EXACT["pairs"].items():
            close(
                [ref.Gjh[pair], ref.Djh[pair], ref.djh[pair], ref.pjh[pair]],
                [float(v) for v in vals],
            )


# ---------------------------------------------------------------------------
# Fast kernel = naive reference (hypothesis), and identities
# ---------------------------------------------------------------------------


@st.composite
def grouped_data(draw, weighted: bool = True, max_groups: int = 6, max_size: int = 8):
    """Groups of small-integer values (many ties), optional small-integer weights.

    Every group gets a positive mean: one unit with positive value and weight.
    Values may be scaled by a float to leave the integers.
    """
    k = draw(st.integers(1, max_groups))
    pool = draw(st.sampled_from([(0, 1, 2, 3), (1, 2), tuple(range(10)), (0, 5, 5, 7, 100)]))
    scale = draw(st.sampled_from([1.0, 0.1, 1e-3, 7.25, 1e4]))
    y, g, w = [], [], []
    labels = draw(
        st.sampled_from(
            [list("ABCDEFG"), [10, 2, 33, 4, 51, 6, 7], ["z", "b", "y", "a", "x", "c", "w"]]
        )
    )
    for j in range(k):
        size = draw(st.integers(1, max_size))
        vals = draw(st.lists(st.sampled_from(pool), min_size=size, max_size=size))
        wts = draw(st.lists(st.sampled_from([0, 1, 1, 2, 3]), min_size=size, max_size=size))
        if not weighted:
            wts = [1] * size
        # one unit certain to carry positive value and weight
        vals[0] = max(vals[0], pool[-1])
        wts[0] = max(wts[0], 1)
        y += [v * scale for v in vals]
        g += [labels[j]] * size
        w += wts
    if len(y) < 2:
        y.append(y[0])
        g.append(g[0])
        w.append(w[0])
    return np.array(y), np.array(g), np.array(w, dtype=float) if weighted else None


def assert_matches_reference(dec, ref, atol=ATOL):
    scale = max(1.0, float(np.max(dec.mean)))
    close([dec.G, dec.Gw, dec.Gnb, dec.Gt], [ref.G, ref.Gw, ref.Gnb, ref.Gt], atol=atol)
    labels = list(dec.groups)
    assert labels == ref.groups
    close(dec.Gjj, [ref.Gjj[g] for g in labels], atol=atol)
    close(dec.mean, [ref.mean[g] for g in labels], atol=atol * scale)
    close(dec.weight, [ref.weight[g] for g in labels])
    assert len(dec.pairs) == len(ref.Gjh)
    for j, h in dec.pairs:
        key = (labels[j], labels[h])
        d, p = dec.djh[j, h], dec.pjh[j, h]
        if key not in ref.Gjh:
            # means equal up to rounding: the reference's own sums may order the
            # pair the other way; then d and p trade places and D is 0 either way
            key = key[::-1]
            close(ref.mean[key[0]], ref.mean[key[1]])
            d, p = p, d
        close(dec.Gjh[j, h], ref.Gjh[key], atol=atol)
        close(d, ref.djh[key], atol=atol * scale)
        close(p, ref.pjh[key], atol=atol * scale)
        close(dec.Djh[j, h], abs(ref.Djh[key]), atol=float(_d_atol(atol * scale, d + p)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grouped_data())
def test_fast_equals_naive_loops(data):
    y, g, w = data
    assert_matches_reference(dagum_decompose(y, g, w), dagum_loops(y, g, w))


@settings(max_examples=60, deadline=None)
@given(grouped_data(weighted=False, max_groups=4, max_size=30))
def test_fast_equals_naive_broadcast_unweighted(data):
    y, g, _ = data
    assert_matches_reference(dagum_decompose(y, g), dagum_broadcast(y, g))


def _between_gini_of_means(mean, weight):
    """Weighted Gini of the group means, from its own definition ΣΣ p_j p_h |μ_j − μ_h| / (2 μ)."""
    p = weight / weight.sum()
    mu = float((p * mean).sum())
    return float((p[:, None] * p[None, :] * np.abs(mean[:, None] - mean[None, :])).sum()) / (2 * mu)


@settings(max_examples=150, deadline=None)
@given(grouped_data())
def test_identities(data):
    y, g, w = data
    dec = dagum_decompose(y, g, w)
    close(dec.Gw + dec.Gnb + dec.Gt, dec.G)
    close(dec.Gnb, _between_gini_of_means(dec.mean, dec.weight))
    assert 0 <= dec.Gt <= dec.G + _sum_atol(y.size)
    scale = max(1.0, float(np.max(dec.mean)))
    for j, h in dec.pairs:
        # equal up to rounding (≤ nε relative each): then the label order decides
        assert dec.mean[j] >= dec.mean[h] * (1 - _sum_atol(y.size))
        assert 0.0 <= dec.Djh[j, h] <= 1.0
        # d, p and the means each within ATOL·scale: the difference within 4·ATOL·scale
        close(dec.djh[j, h] - dec.pjh[j, h], dec.mean[j] - dec.mean[h], atol=4 * ATOL * scale)
        close(dec.djh[j, h] + dec.pjh[j, h], dec.Gjh[j, h] * (dec.mean[j] + dec.mean[h]))
    close(dec.pjh, dec.djh.T)
    close(dec.Gjh, dec.Gjh.T)
    close(np.diagonal(dec.Gjh), dec.Gjj)
    close(dec.p.sum(), 1.0)
    close(dec.s.sum(), 1.0)


@settings(max_examples=60, deadline=None)
@given(grouped_data(weighted=False, max_groups=3, max_size=12))
def test_between_gini_through_pooled_pair(data):
    """(nj+nh)² Δpool = nj² Δjj + nh² Δhh + 2 nj nh Δjh (docs/methods.md §1.3), Δ from single-group Ginis."""
    y, g, _ = data
    dec = dagum_decompose(y, g)
    for j, h in itertools.combinations(range(dec.groups.size), 2):
        mask = (g == dec.groups[j]) | (g == dec.groups[h])
        pooled = dagum_decompose(y[mask], np.zeros(mask.sum(), dtype=int))
        nj, nh = dec.n[j], dec.n[h]
        d_pool = 2 * pooled.mu * pooled.G
        d_jj = 2 * dec.mean[j] * dec.Gjj[j]
        d_hh = 2 * dec.mean[h] * dec.Gjj[h]
        d_jh = (nj**2 * d_jj + nh**2 * d_hh - (nj + nh) ** 2 * d_pool) / -(2 * nj * nh)
        # d_jh comes out of a cancellation with condition (nj + nh)²/(2 nj nh), on Δ's
        # each within 2·ATOL·μ
        cond = (nj + nh) ** 2 / (2 * nj * nh)
        close(
            dec.Gjh[j, h] * (dec.mean[j] + dec.mean[h]),
            d_jh,
            atol=4 * cond * ATOL * max(1.0, pooled.mu),
        )


def test_total_gini_matches_sorted_rank_formula_large_n():
    """G equals the classic Σ (2i − n − 1) y_(i) / (n² μ) at n = 200 000 (accuracy at scale)."""
    rng = np.random.default_rng(7)
    y = rng.lognormal(size=200_000)
    g = rng.integers(0, 7, size=y.size)
    ys = np.sort(y)
    i = np.arange(1, y.size + 1)
    classic = float(((2 * i - y.size - 1) * ys).sum()) / (y.size**2 * ys.mean())
    dec = dagum_decompose(y, g)
    # the a-priori bound 2nε ≈ 9e-11 (module top): far above the ~1e-15 observed, far
    # below any real error
    close(dec.G, classic, rtol=0, atol=_sum_atol(y.size))
    close(dec.Gw + dec.Gnb + dec.Gt, dec.G, rtol=0, atol=_sum_atol(y.size))
    for j in range(7):
        yj = np.sort(y[g == j])
        ij = np.arange(1, yj.size + 1)
        gjj = float(((2 * ij - yj.size - 1) * yj).sum()) / (yj.size**2 * yj.mean())
        close(dec.Gjj[j], gjj, rtol=0, atol=_sum_atol(yj.size))


def test_fast_equals_broadcast_medium_weighted():
    rng = np.random.default_rng(3)
    y = np.round(rng.gamma(2.0, size=3000), 2)  # rounding makes ties
    g = rng.choice(list("PQRSTU"), size=y.size)
    w = rng.integers(0, 50, size=y.size).astype(float)
    # n = 3000 units: the kernel's 2nε bound exceeds 1e-12 (module top)
    assert_matches_reference(
        dagum_decompose(y, g, w), dagum_broadcast(y, g, w), atol=_sum_atol(y.size)
    )


# ---------------------------------------------------------------------------
# Invariances
# ---------------------------------------------------------------------------


def _totals(dec):
    return [dec.G, dec.Gw, dec.Gnb, dec.Gt]


@settings(max_examples=100, deadline=None)
@given(grouped_data(), st.sampled_from([1e-3, 0.5, 3.0, 1e3]), st.randoms(use_true_random=False))
def test_invariances(data, c, rnd):
    y, g, w = data
    base = dagum_decompose(y, g, w)
    # scale
    scaled = dagum_decompose(c * y, g, w)
    close(_totals(scaled), _totals(base))
    close(scaled.Gjh, base.Gjh)
    # D is scale-free, its d and p are not: each within ATOL·max μ (relative: the ratio)
    dp_atol = ATOL * max(1.0, float(np.max(base.mean)))
    err = np.abs(scaled.Djh - base.Djh)
    assert np.all(err <= _d_atol(dp_atol, base.djh + base.pjh)), (err, base.djh + base.pjh)
    # row order
    perm = list(range(y.size))
    rnd.shuffle(perm)
    shuffled = dagum_decompose(y[perm], g[perm], w[perm])
    close(_totals(shuffled), _totals(base))
    close(shuffled.Gjj, base.Gjj)
    close(shuffled.Gjh, base.Gjh)
    # relabel: a permutation of new names; per-group results follow their group
    old = list(base.groups)
    new_names = [f"g{i}" for i in range(len(old))]
    rnd.shuffle(new_names)
    mapping = dict(zip(old, new_names, strict=True))
    relabelled = dagum_decompose(y, np.array([mapping[v] for v in g.tolist()]), w)
    close(_totals(relabelled), _totals(base))
    pos = {lab: i for i, lab in enumerate(relabelled.groups)}
    for a, b in itertools.product(range(len(old)), repeat=2):
        close(relabelled.Gjh[pos[mapping[old[a]]], pos[mapping[old[b]]]], base.Gjh[a, b])


@settings(max_examples=100, deadline=None)
@given(grouped_data())
def test_integer_weights_equal_replicated_rows(data):
    y, g, w = data
    reps = w.astype(int)
    assume(reps.sum() >= 2)
    replicated = dagum_decompose(np.repeat(y, reps), np.repeat(g, reps))
    weighted = dagum_decompose(y, g, w)
    close(_totals(weighted), _totals(replicated))
    close(weighted.Gjj, replicated.Gjj)
    close(weighted.Gjh, replicated.Gjh)
    close(weighted.weight, replicated.n)


# ---------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------


def test_all_values_equal():
    res = dagum_gini(pl.DataFrame({"y": [2.0] * 5, "g": list("aabbb")}), "y", "g")
    row = res.overall.row(0, named=True)
    assert row["G"] == row["Gw"] == row["Gnb"] == row["Gt"] == 0.0
    # shares are 0/0: null, not NaN
    assert row["Gw_share"] is None
    assert row["Gt_share"] is None
    assert res.between.row(0, named=True)["Djh"] == 0.0  # degenerate pair d + p = 0
    assert res.between.row(0, named=True)["Gjh"] == 0.0


def test_singleton_groups_and_zeros():
    dec = dagum_decompose([0.0, 3.0, 5.0, 0.0, 2.0], ["a", "a", "b", "c", "c"])
    b = list(dec.groups).index("b")
    assert dec.Gjj[b] == 0.0
    ref = dagum_loops([0.0, 3.0, 5.0, 0.0, 2.0], ["a", "a", "b", "c", "c"])
    assert_matches_reference(dec, ref)


def test_single_group():
    dec = dagum_decompose([1.0, 2.0, 4.0], [7, 7, 7])
    assert dec.Gnb == 0.0
    assert dec.Gt == 0.0
    close(dec.Gw, dec.G)
    assert dec.pairs == ()
    res = dagum_gini(pl.DataFrame({"y": [1.0, 2.0, 4.0], "g": [7, 7, 7]}), "y", "g")
    assert res.between.height == 0
    assert res.between.columns == ["group_j", "group_h", "Gjh", "Djh", "djh", "pjh"]
    assert res.within["group"].to_list() == ["7"]


def test_equal_means_give_zero_net_between():
    # μ = 3 in both groups: D = 0, the whole between term is transvariation
    dec = dagum_decompose([1, 5, 2, 4, 3, 3], ["b", "b", "a", "a", "a", "a"])
    assert dec.Gnb == 0.0
    assert dec.Djh[0, 1] == 0.0
    close(dec.Gw + dec.Gt, dec.G)
    # tie of means: the earlier label is group_j
    assert [(dec.groups[j], dec.groups[h]) for j, h in dec.pairs] == [("a", "b")]


def test_degenerate_pair_among_others():
    # groups a and b all equal to 2: pair (a, b) has d + p = 0
    dec = dagum_decompose([2, 2, 2, 1, 9], ["a", "a", "b", "c", "c"])
    ia, ib = 0, 1
    assert dec.Gjh[ia, ib] == 0.0
    assert dec.Djh[ia, ib] == 0.0
    assert_matches_reference(dec, dagum_loops([2, 2, 2, 1, 9], ["a", "a", "b", "c", "c"]))


def test_zero_weight_units_drop_out():
    y = np.array([1.0, 2.0, 6.0, 100.0, 3.0, 5.0, 4.0, 8.0, 9.0, 11.0])
    g = np.array(list("AAAABBCCCC"))
    w = np.array([1, 1, 1, 0, 1, 1, 1, 1, 1, 1], dtype=float)
    dec = dagum_decompose(y, g, w)
    close(_totals(dec), [float(EXACT[k]) for k in ("G", "Gw", "Gnb", "Gt")])
    assert dec.n.tolist() == [4, 2, 4]


# ---------------------------------------------------------------------------
# Frames: by, input types, labels, outputs
# ---------------------------------------------------------------------------


def panel(seed=0, years=(2011, 2012, 2013), n=31, weights=False) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for t, year in enumerate(years):
        frame = {
            "province": [f"p{i:02d}" for i in range(n)],
            "year": [year] * n,
            "echelon": [["east", "central", "west", "northeast"][i % 4] for i in range(n)],
            "score": np.round(rng.uniform(0.05, 0.6, n) * (1 + 0.1 * t), 3),
        }
        if weights:
            frame["pop"] = rng.integers(1, 100, n).astype(float)
        parts.append(pl.DataFrame(frame))
    return pl.concat(parts)


@pytest.mark.parametrize("weighted", [False, True])
def test_by_equals_separate_calls(weighted):
    df = panel(weights=weighted)
    wcol = "pop" if weighted else None
    res = dagum_gini(df, "score", "echelon", by="year", weights=wcol)
    assert res.overall["year"].to_list() == [2011, 2012, 2013]
    assert res.overall.schema["year"] == df.schema["year"]
    assert res.overall.columns[0] == "year"
    assert res.within.columns == [
        "year",
        "group",
        "n",
        *(["weight"] if weighted else []),
        "mean",
        "Gjj",
    ]
    assert res.between.columns[:3] == ["year", "group_j", "group_h"]
    for year in (2011, 2012, 2013):
        one = dagum_gini(df.filter(pl.col("year") == year), "score", "echelon", weights=wcol)
        got = res.overall.filter(pl.col("year") == year).drop("year")
        assert got.equals(one.overall)
        assert res.within.filter(pl.col("year") == year).drop("year").equals(one.within)
        assert res.between.filter(pl.col("year") == year).drop("year").equals(one.between)


def test_within_weight_column_and_counts():
    df = panel(weights=True, years=(2020,))
    res = dagum_gini(df, "score", "echelon", weights="pop")
    for row in res.within.iter_rows(named=True):
        sub = df.filter(pl.col("echelon") == row["group"])
        assert row["n"] == sub.height
        close(row["weight"], sub["pop"].sum())
        close(row["mean"], (sub["score"] * sub["pop"]).sum() / sub["pop"].sum())


def test_input_types_agree():
    df = panel()
    base = dagum_gini(df, "score", "echelon", by="year")

    class IndexResultLike:
        scores = df

    for other in (df.lazy(), df.to_pandas(), IndexResultLike()):
        res = dagum_gini(other, "score", "echelon", by="year")
        assert res.overall.equals(base.overall)
        assert res.between.equals(base.between)


def test_integer_group_labels_are_strings_in_natural_order():
    df = pl.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "g": [10, 10, 2, 2, 1, 1]})
    res = dagum_gini(df, "y", "g")
    assert res.within["group"].to_list() == ["1", "2", "10"]  # numeric, not text, order
    assert res.within.schema["group"] == pl.String
    assert res.groups == ("1", "2", "10")


def test_enum_group_order_is_kept():
    df = fixture_frame().with_columns(pl.col("region").cast(pl.Enum(["C", "B", "A"])))
    res = dagum_gini(df, "y", "region")
    assert res.groups == ("C", "B", "A")
    assert res.within["group"].to_list() == ["C", "B", "A"]
    close(res.overall["G"].item(), float(EXACT["G"]))


def test_group_absent_in_some_years():
    df = pl.DataFrame(
        {"y": [1.0, 2, 3, 4, 5, 6, 7], "g": list("aabbaab"), "t": [1, 1, 1, 1, 2, 2, 2]}
    )
    res = dagum_gini(df, "y", "g", by="t")
    assert res.within.filter(pl.col("t") == 2)["group"].to_list() == ["a", "b"]
    df2 = df.with_columns(g=pl.when(pl.col("t") == 2).then(pl.lit("a")).otherwise("g"))
    res2 = dagum_gini(df2, "y", "g", by="t")
    assert res2.within.filter(pl.col("t") == 2)["group"].to_list() == ["a"]
    assert res2.between.filter(pl.col("t") == 2).height == 0
    pm = res2.period_mean()
    assert pm.filter(pl.col("quantity") == "Gjj[b]")["periods"].item() == 1


def test_period_mean():
    df = panel()
    res = dagum_gini(df, "score", "echelon", by="year")
    pm = res.period_mean()
    assert pm.columns == ["quantity", "mean", "periods"]
    lookup = dict(zip(pm["quantity"], pm["mean"], strict=True))
    for col in ("G", "Gw", "Gnb", "Gt", "Gw_share", "Gnb_share", "Gt_share"):
        close(lookup[col], res.overall[col].mean())
    for group in res.groups:
        close(lookup[f"Gjj[{group}]"], res.within.filter(pl.col("group") == group)["Gjj"].mean())
    # pairs: one entry per unordered pair, higher period-average mean first
    avg = {g: res.within.filter(pl.col("group") == g)["mean"].mean() for g in res.groups}
    pair_keys = [q for q in lookup if q.startswith("Gjh[")]
    assert len(pair_keys) == 6
    for key in pair_keys:
        j, h = key[4:-1].split("|")
        assert avg[j] >= avg[h]
        both = res.between.filter(
            ((pl.col("group_j") == j) & (pl.col("group_h") == h))
            | ((pl.col("group_j") == h) & (pl.col("group_h") == j))
        )
        close(lookup[key], both["Gjh"].mean())
    assert set(pm["periods"].to_list()) == {3}


def test_period_pairs():
    res = dagum_gini(panel(), "score", "echelon", by="year")
    pairs = res.period_pairs()
    assert pairs.columns == ["group_j", "group_h", "Gjh", "Djh", "periods"]
    pm = res.period_mean().filter(pl.col("quantity").str.starts_with("Gjh["))
    assert [f"Gjh[{j}|{h}]" for j, h in pairs.select("group_j", "group_h").iter_rows()] == (
        pm["quantity"].to_list()
    )
    assert_allclose(pairs["Gjh"], pm["mean"], rtol=1e-15)  # a mean of 3 values: ≤ 4ε
    # the order of a and b flips in year 2: one pair a|b (a higher on average), D signed
    df = pl.DataFrame(
        {
            "y": [3.0, 4, 1, 2, 1, 2, 5, 7, 5, 6, 1, 1.5],
            "g": list("aabb") * 3,
            "t": [1] * 4 + [2] * 4 + [3] * 4,
        }
    )
    res = dagum_gini(df, "y", "g", by="t")
    assert res.between["group_j"].to_list() == ["a", "b", "a"]  # no overlap: D = 1 each year
    (row,) = res.period_pairs().iter_rows(named=True)
    assert (row["group_j"], row["group_h"], row["periods"]) == ("a", "b", 3)
    close(row["Djh"], (1 - 1 + 1) / 3)
    close(row["Gjh"], res.between["Gjh"].mean())
    assert dagum_gini(df.with_columns(g=pl.lit("a")), "y", "g", by="t").period_pairs().height == 0


def test_summary_text():
    res = dagum_gini(panel(), "score", "echelon", by="year")
    text = res.summary_text()
    assert str(res) == text
    assert "Dagum Gini decomposition of 'score' by 'echelon'" in text
    assert "per 'year'" in text
    g2012 = res.overall.filter(pl.col("year") == 2012)["G"].item()
    assert f"{g2012:.4f}" in text
    assert "mean" in text
    assert "Within-group" in text
    assert "Between-group" in text
    one = dagum_gini(fixture_frame(), "y", "region")
    assert "0.3311" in str(one)
    assert "B|A" in str(one)


def test_rows_are_the_frames_data_rows_and_a_row_column_is_an_ordinary_column():
    """One meaning of row: the 1-based data row of the frame as given. A column that
    happens to be called __nqpf_row__ is the caller's data, not a row number."""
    df = fixture_frame().with_columns(pl.Series(ROW_COLUMN, range(2, 11)))
    with pytest.raises(InputError, match="row 4, column 'y'"):
        dagum_gini(
            df.with_columns(y=pl.when(pl.col(ROW_COLUMN) == 5).then(-1).otherwise("y")),
            "y",
            "region",
        )
    # it can be decomposed like any other value column
    res = dagum_gini(df, ROW_COLUMN, "region")
    same = dagum_gini(df.rename({ROW_COLUMN: "v"}), "v", "region")
    assert res.overall.equals(same.overall)


def test_text_value_column_that_parses_is_accepted():
    df = fixture_frame().with_columns(pl.col("y").cast(pl.String))
    res = dagum_gini(df, "y", "region")
    close(res.overall["G"].item(), float(EXACT["G"]))


# ---------------------------------------------------------------------------
# Bad input: one-line messages naming what and where
# ---------------------------------------------------------------------------


def _one_line(err: pytest.ExceptionInfo) -> str:
    msg = str(err.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize("role", ["value", "group", "by", "weights"])
def test_missing_column(role):
    df = panel(weights=True)
    kwargs = {"value": "score", "group": "echelon", "by": "year", "weights": "pop"}
    kwargs[role] = "nope"
    with pytest.raises(InputError) as err:
        dagum_gini(df, **kwargs)
    msg = _one_line(err)
    assert "no column 'nope'" in msg
    assert "the frame has:" in msg


@pytest.mark.parametrize(
    ("bad", "expect"),
    [(-1.0, "negative value"), (float("nan"), "not finite"), (float("inf"), "not finite")],
)
def test_bad_values_name_row_and_column(bad, expect):
    df = fixture_frame().with_columns(pl.col("y").cast(pl.Float64))
    df = df.with_columns(y=pl.when(pl.int_range(pl.len()) == 3).then(bad).otherwise("y"))
    with pytest.raises(InputError) as err:
        dagum_gini(df, "y", "region")
    msg = _one_line(err)
    assert expect in msg
    assert "row 4" in msg
    assert "column 'y'" in msg


@pytest.mark.parametrize("column", ["y", "region", "year", "w"])
def test_null_names_row_and_column(column):
    df = fixture_frame().with_columns(year=pl.lit(2020), w=pl.lit(1.0))
    df = df.with_columns(
        pl.when(pl.int_range(pl.len()) == 6).then(None).otherwise(pl.col(column)).alias(column)
    )
    with pytest.raises(InputError) as err:
        dagum_gini(df, "y", "region", by="year", weights="w")
    msg = _one_line(err)
    assert "missing" in msg
    assert "row 7" in msg
    assert f"column '{column}'" in msg


def test_group_mean_zero_names_group_and_by_value():
    df = pl.DataFrame(
        {"y": [0.0, 0.0, 1.0, 2.0, 1.0, 3.0], "g": list("aabbab"), "t": [1, 1, 1, 2, 2, 2]}
    )
    with pytest.raises(InputError) as err:
        dagum_gini(df, "y", "g", by="t")
    msg = _one_line(err)
    assert "group 'a'" in msg
    assert "t=1" in msg
    assert "mean" in msg
    assert "column 'g'" in msg


def test_negative_weight():
    df = fixture_frame().with_columns(w=pl.Series([1.0, 1, 1, -2, 1, 1, 1, 1, 1]))
    with pytest.raises(InputError) as err:
        dagum_gini(df, "y", "region", weights="w")
    msg = _one_line(err)
    assert "negative weight" in msg
    assert "row 4" in msg
    assert "column 'w'" in msg


def test_all_zero_weights_and_zero_weight_group():
    df = fixture_frame().with_columns(w=pl.lit(0.0))
    with pytest.raises(InputError, match="all weights are 0"):
        dagum_gini(df, "y", "region", weights="w")
    df = fixture_frame().with_columns(w=pl.when(pl.col("region") == "B").then(0.0).otherwise(1.0))
    with pytest.raises(InputError) as err:
        dagum_gini(df, "y", "region", weights="w")
    assert "group 'B' has total weight 0" in _one_line(err)


def test_fewer_than_two_units_in_slice():
    df = fixture_frame().with_columns(t=pl.Series([1, 1, 1, 1, 1, 1, 1, 1, 2]))
    with pytest.raises(InputError) as err:
        dagum_gini(df, "y", "region", by="t")
    msg = _one_line(err)
    assert "t=2" in msg
    assert "at least 2" in msg
    assert "column 't'" in msg


def test_non_numeric_value_column():
    df = fixture_frame().with_columns(label=pl.lit("x"), flag=pl.lit(True))
    with pytest.raises(InputError) as err:
        dagum_gini(df, "label", "region")
    msg = _one_line(err)
    assert "non-numeric" in msg
    assert "column 'label'" in msg
    assert "row 1" in msg
    with pytest.raises(InputError) as err:
        dagum_gini(df, "flag", "region")
    assert "not numeric" in _one_line(err)
    assert "column 'flag'" in str(err.value)
    with pytest.raises(InputError, match="column 'label'"):
        dagum_gini(df.with_columns(w=pl.lit("heavy")), "y", "region", weights="label")


def test_bad_arguments():
    df = fixture_frame()
    with pytest.raises(InputError, match="bootstrap"):
        dagum_gini(df, "y", "region", bootstrap=-1)
    with pytest.raises(InputError, match="bootstrap"):
        dagum_gini(df, "y", "region", bootstrap=2.5)
    with pytest.raises(InputError, match="level"):
        dagum_gini(df, "y", "region", bootstrap=9, level=1.5)
    with pytest.raises(InputError, match="seed"):
        dagum_gini(df, "y", "region", bootstrap=9, seed="abc")
    # a by column named like an output column is kept; the output column steps aside
    by_g = dagum_gini(df.with_columns(G=pl.lit(1)), "y", "region", by="G")
    assert by_g.overall.columns[:2] == ["G", "nqpf_G"]
    assert by_g.column("G") == "nqpf_G"
    assert by_g.overall["nqpf_G"].item() == dagum_gini(df, "y", "region").overall["G"].item()
    with pytest.raises(InputError, match="cannot read"):
        dagum_gini([1, 2, 3], "y", "region")
    with pytest.raises(InputError, match="no rows"):
        dagum_gini(df.head(0), "y", "region")


def test_array_api_bad_input():
    with pytest.raises(InputError, match="negative value"):
        dagum_decompose([1.0, -1.0], ["a", "b"])
    with pytest.raises(InputError, match="not finite"):
        dagum_decompose([1.0, np.nan], ["a", "b"])
    with pytest.raises(InputError, match="at least 2"):
        dagum_decompose([1.0], ["a"])
    with pytest.raises(InputError, match="shape"):
        dagum_decompose([1.0, 2.0], ["a"])
    with pytest.raises(InputError, match="negative weight"):
        dagum_decompose([1.0, 2.0], ["a", "b"], [1.0, -1.0])
    with pytest.raises(InputError, match="group 'b' has mean 0"):
        dagum_decompose([1.0, 0.0], ["a", "b"])
    with pytest.raises(InputError, match="numeric"):
        dagum_decompose(["x", "y"], ["a", "b"])


def test_pandas_input_with_nulls_names_row():
    pdf = pd.DataFrame({"y": [1.0, None, 3.0], "g": ["a", "a", "b"]})
    with pytest.raises(InputError, match="row 2"):
        dagum_gini(pdf, "y", "g")


def test_tables_and_repr():
    res = dagum_gini(panel(), "score", "echelon", by="year", bootstrap=20, seed=0)
    tables = res.tables()
    assert list(tables) == ["summary", "within", "between", "period_mean", "intervals"]
    assert tables["period_mean"].equals(res.period_mean())
    assert "intervals" not in dagum_gini(panel(), "score", "echelon").tables()
    assert repr(res).startswith("DagumResult(value='score', group='echelon', by='year'")
    assert "slices=3" in repr(res)
