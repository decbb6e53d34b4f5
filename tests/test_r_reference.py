"""The base-R reference (r/nqpf_reference.R) against published and exact hand values.

These tests check the R code itself, independently of nqpf's Python statistics:
each expected value below comes from a publication or from exact arithmetic
(docs/methods.md §7), and the R functions are reached through rpy2 via the thin
wrappers ``nqpf.rbridge.reference_*``.

Sources
-------
* Dagum exact fixture: docs/methods.md §7.1 (exact rationals).
* TOPSIS: Hodgett, "TOPSIS in Excel" car example, as reproduced in the MCDA
  package's tests (docs/methods.md §7.2); Opricovic & Tzeng (2004), EJOR 156:445-455,
  as used in pymcdm's test suite (min-max variant).
* Entropy weights: docs/methods.md §7.3 (computed regression values, 6 decimals).
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from numpy.testing import assert_allclose

from nqpf import rbridge
from nqpf.errors import InputError

pytestmark = pytest.mark.r

# Exact rationals evaluated in double precision: only rounding separates R from them.
# R's sum() accumulates in long double (64-bit significand on x86-64), so a sum of
# N ≤ 6000 pair terms is within N·2⁻⁶⁴ + ε/2 ≈ 4e-16 of exact; a quantity combines a
# few such sums and divisions (condition ≤ 10, Gt being a residual of O(1) terms):
# ≲ 1e-14, and R here is Debian's build, independent of OpenBLAS. 1e-12 = 100× that.
EXACT_RTOL = 1e-12
# Values published or recorded with 4 decimals (Hodgett's spreadsheet, docs/methods.md §7.2),
# or 3 (Opricovic & Tzeng): half a unit of the last digit.
PUBLISHED_4DP_ATOL = 5e-5
PUBLISHED_3DP_ATOL = 5e-4
# Distances to Hodgett's A+/A−, printed with 9 decimals: ‖Δa‖₂ ≤ √m·5e-10 over m = 4
# criteria moves each distance by at most that (the distance is 1-Lipschitz in a).
PUBLISHED_9DP_DISTANCE_ATOL = 2 * 5e-10
# Values recorded with 6 decimals (docs/methods.md §7.3).
RECORDED_6DP_ATOL = 5e-7
# Identities between quantities computed by the same R code: the same bound as
# EXACT_RTOL. A difference d − p of two O(μ) sums has relative condition
# (d + p)/|d − p|, so it is compared with DIFFERENCE_RTOL/ATOL instead: 1e-10
# relative covers (d + p)/|d − p| ≤ 1e4, and 1e-13 absolute (≈ 500ε·max μ, μ ≤ 3
# here) covers pairs whose means nearly coincide.
IDENTITY_RTOL = 1e-12
DIFFERENCE_RTOL = 1e-10
DIFFERENCE_ATOL = 1e-13


@pytest.fixture(scope="module", autouse=True)
def _r_session():
    if not rbridge.available():
        pytest.skip(rbridge.unavailable_reason() or "R is not available")


# ---------------------------------------------------------------------------
# Dagum

DAGUM_Y = [1, 2, 6, 3, 5, 4, 8, 9, 11]
DAGUM_G = ["A", "A", "A", "B", "B", "C", "C", "C", "C"]


def _f(x: F) -> float:
    return x.numerator / x.denominator


def test_dagum_exact_fixture_totals():
    d = rbridge.reference_dagum(DAGUM_Y, DAGUM_G)
    expected = {"G": F(146, 441), "Gw": F(34, 441), "Gnb": F(2, 9), "Gt": F(2, 63)}
    for key, value in expected.items():
        assert_allclose(d[key], _f(value), rtol=EXACT_RTOL, err_msg=key)
    assert d["groups"] == ["A", "B", "C"]


def test_dagum_exact_fixture_groups():
    d = rbridge.reference_dagum(DAGUM_Y, DAGUM_G)
    assert_allclose(d["n"], [3, 2, 4])
    assert_allclose(d["means"], [3, 4, 8], rtol=EXACT_RTOL)
    assert_allclose(d["p"], [_f(F(1, 3)), _f(F(2, 9)), _f(F(4, 9))], rtol=EXACT_RTOL)
    assert_allclose(d["s"], [_f(F(9, 49)), _f(F(8, 49)), _f(F(32, 49))], rtol=EXACT_RTOL)
    assert_allclose(d["Gjj"], [_f(F(10, 27)), 0.125, _f(F(11, 64))], rtol=EXACT_RTOL)


def test_dagum_exact_fixture_pairs():
    d = rbridge.reference_dagum(DAGUM_Y, DAGUM_G)
    expected = {  # (j, h) with mu_j >= mu_h: Gjh, djh, pjh, Djh
        ("B", "A"): (F(1, 3), F(5, 3), F(2, 3), F(3, 7)),
        ("C", "A"): (F(16, 33), F(31, 6), F(1, 6), F(15, 16)),
        ("C", "B"): (F(17, 48), F(33, 8), F(1, 8), F(16, 17)),
    }
    got = {(p["group_j"], p["group_h"]): p for p in d["pairs"]}
    assert set(got) == set(expected)
    for pair, (gjh, djh, pjh, Djh) in expected.items():
        row = got[pair]
        assert_allclose(
            [row["Gjh"], row["djh"], row["pjh"], row["Djh"]],
            [_f(gjh), _f(djh), _f(pjh), _f(Djh)],
            rtol=EXACT_RTOL,
            err_msg=str(pair),
        )
    # the matrices agree with the pair table: Gjh symmetric, pjh = t(djh), Djh antisymmetric
    assert_allclose(d["Gjh"], d["Gjh"].T, rtol=IDENTITY_RTOL)
    assert_allclose(d["pjh"], d["djh"].T, rtol=IDENTITY_RTOL)
    assert_allclose(d["Djh"], -d["Djh"].T, atol=1e-15)
    assert_allclose(np.diag(d["Gjh"]), d["Gjj"], rtol=IDENTITY_RTOL)


def _random_panel(seed: int, n: int = 40, k: int = 4):
    rng = np.random.default_rng(seed)
    labels = np.array([f"g{i}" for i in rng.integers(0, k, size=n)])
    labels[:k] = [f"g{i}" for i in range(k)]  # every group present
    y = np.round(rng.lognormal(mean=0.0, sigma=0.6, size=n) + (labels == "g0") * 0.5, 1)  # ties
    w = rng.uniform(0.5, 3.0, size=n)
    return y, labels, w


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", [11, 2024])
def test_dagum_identities_random(seed, weighted):
    """Dagum (1997) and docs/methods.md §1.3: additivity, closed-form Gnb, D in [0, 1]."""
    y, g, w = _random_panel(seed)
    d = rbridge.reference_dagum(y, g, w if weighted else None)
    assert_allclose(d["Gw"] + d["Gnb"] + d["Gt"], d["G"], rtol=IDENTITY_RTOL)
    mu = np.sum(d["W"] * d["means"]) / np.sum(d["W"])
    p, m = d["p"], d["means"]
    gnb = (
        sum(p[j] * p[h] * abs(m[j] - m[h]) for j in range(len(p)) for h in range(j + 1, len(p)))
        / mu
    )
    assert_allclose(d["Gnb"], gnb, rtol=IDENTITY_RTOL)
    for row in d["pairs"]:
        assert 0.0 <= row["Djh"] <= 1.0
        j, h = d["groups"].index(row["group_j"]), d["groups"].index(row["group_h"])
        assert m[j] >= m[h]
        # docs/methods.md §1.3: d - p = mu_j - mu_h and d + p = Gjh (mu_j + mu_h)
        assert_allclose(
            row["djh"] - row["pjh"], m[j] - m[h], rtol=DIFFERENCE_RTOL, atol=DIFFERENCE_ATOL
        )
        assert_allclose(row["djh"] + row["pjh"], row["Gjh"] * (m[j] + m[h]), rtol=IDENTITY_RTOL)
    assert_allclose(d["Gw"], np.sum(d["Gjj"] * d["p"] * d["s"]), rtol=IDENTITY_RTOL)


def test_dagum_integer_weights_equal_replication():
    """docs/methods.md §1.5: integer weights act as frequencies."""
    y, g, _ = _random_panel(7, n=25, k=3)
    counts = np.random.default_rng(3).integers(1, 4, size=y.size)
    weighted = rbridge.reference_dagum(y, g, counts.astype(float))
    replicated = rbridge.reference_dagum(np.repeat(y, counts), np.repeat(g, counts))
    for key in ("G", "Gw", "Gnb", "Gt"):
        assert_allclose(weighted[key], replicated[key], rtol=IDENTITY_RTOL, err_msg=key)
    assert_allclose(weighted["Gjh"], replicated["Gjh"], rtol=IDENTITY_RTOL)
    # D = (d − p)/(d + p): the difference's condition (see DIFFERENCE_RTOL)
    assert_allclose(weighted["Djh"], replicated["Djh"], rtol=DIFFERENCE_RTOL, atol=DIFFERENCE_ATOL)


def test_dagum_relabelling_invariance():
    y, g, _ = _random_panel(5)
    relabel = {f"g{i}": name for i, name in enumerate(["zeta", "alpha", "mid", "beta"])}
    a = rbridge.reference_dagum(y, g)
    b = rbridge.reference_dagum(y, [relabel[x] for x in g])
    for key in ("G", "Gw", "Gnb", "Gt"):
        assert_allclose(a[key], b[key], rtol=IDENTITY_RTOL)
    pa = {(relabel[p["group_j"]], relabel[p["group_h"]]): p["Gjh"] for p in a["pairs"]}
    pb = {(p["group_j"], p["group_h"]): p["Gjh"] for p in b["pairs"]}
    assert pa.keys() == pb.keys()
    for key, value in pa.items():
        assert_allclose(pb[key], value, rtol=IDENTITY_RTOL)


def test_dagum_equal_values_and_singletons():
    d = rbridge.reference_dagum([2, 2, 2, 5], ["a", "a", "b", "c"])
    assert d["Gjj"][1] == 0.0  # a group of one unit
    assert d["Gjj"][0] == 0.0  # equal values
    assert_allclose(d["Gw"] + d["Gnb"] + d["Gt"], d["G"], rtol=IDENTITY_RTOL)
    same = rbridge.reference_dagum([3, 3, 3, 3], ["a", "a", "b", "b"])
    # a degenerate pair (all values equal) is guarded: D = 0/0 is taken as 0
    assert same["G"] == 0.0
    assert same["Gnb"] == 0.0
    assert same["Gt"] == 0.0


def test_dagum_rejects_zero_group_mean():
    with pytest.raises(InputError, match="mean must be positive"):
        rbridge.reference_dagum([0, 0, 1, 2], ["a", "a", "b", "b"])


# ---------------------------------------------------------------------------
# TOPSIS

HODGETT = np.array(
    [
        [5490, 51.4, 8.5, 285],  # Corsa
        [6500, 70.6, 7.0, 288],  # Clio
        [6489, 54.3, 7.5, 290],  # Fiesta
    ]
)
HODGETT_W = [0.35, 0.25, 0.25, 0.15]
HODGETT_BENEFIT = [False, True, True, True]


def test_topsis_hodgett_vector_normalisation_published():
    res = rbridge.reference_topsis(
        None, HODGETT_W, normalization="vector", benefit=HODGETT_BENEFIT, X=HODGETT
    )
    assert_allclose(res["score"], [0.4817, 0.5182, 0.1780], atol=PUBLISHED_4DP_ATOL)


def test_topsis_hodgett_published_ideals():
    """A+ and A- from the spreadsheet give the same distances as the reference."""
    a_plus = np.array([0.179573776, 0.171636015, 0.159499658, 0.087302767])
    a_minus = np.array([0.212610118, 0.124958799, 0.131352659, 0.085797547])
    v = HODGETT / np.sqrt((HODGETT**2).sum(axis=0)) * HODGETT_W
    res = rbridge.reference_topsis(
        None, HODGETT_W, normalization="vector", benefit=HODGETT_BENEFIT, X=HODGETT
    )
    d_plus = np.sqrt(((v - a_plus) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - a_minus) ** 2).sum(axis=1))
    assert_allclose(res["d_plus"], d_plus, rtol=0, atol=PUBLISHED_9DP_DISTANCE_ATOL)
    assert_allclose(res["d_minus"], d_minus, rtol=0, atol=PUBLISHED_9DP_DISTANCE_ATOL)


@pytest.mark.parametrize(
    ("topsis", "expected"),
    [("matrix", [0.5960, 0.3796, 0.2859]), ("distance", [0.5505, 0.4111, 0.3499])],
)
def test_topsis_hodgett_minmax_variants(topsis, expected):
    """docs/methods.md §7.2 [computed]: min-max scale (no shift), panel ideals."""
    z = rbridge.reference_entropy(HODGETT, HODGETT_BENEFIT, shift=0.0)["Z"]
    res = rbridge.reference_topsis(z, HODGETT_W, topsis=topsis)
    assert_allclose(res["score"], expected, atol=PUBLISHED_4DP_ATOL)


def test_topsis_opricovic_tzeng():
    """Opricovic & Tzeng (2004) via pymcdm's tests: min-max [0.5, 0.617, 0.5]; vector [computed]."""
    x = np.array([[1, 3000], [2, 3750], [5, 4500]], dtype=float)
    z = rbridge.reference_entropy(x, [False, True], shift=0.0)["Z"]
    res = rbridge.reference_topsis(z, [0.5, 0.5])
    assert_allclose(res["score"], [0.500, 0.617, 0.500], atol=PUBLISHED_3DP_ATOL)
    vec = rbridge.reference_topsis(
        None, [0.5, 0.5], normalization="vector", benefit=[False, True], X=x
    )
    assert_allclose(vec["score"], [0.7621, 0.7222, 0.2379], atol=PUBLISHED_4DP_ATOL)


def test_topsis_ideal_per_group_equals_separate_runs():
    rng = np.random.default_rng(9)
    z = rng.uniform(0.0, 1.0, size=(12, 3)) + 1e-4
    years = np.repeat([2020, 2021, 2022], 4)
    w = [0.5, 0.3, 0.2]
    for topsis in ("matrix", "distance"):
        grouped = rbridge.reference_topsis(z, w, topsis=topsis, ideal_groups=years)
        for year in (2020, 2021, 2022):
            rows = years == year
            alone = rbridge.reference_topsis(z[rows], w, topsis=topsis)
            assert_allclose(grouped["score"][rows], alone["score"], rtol=IDENTITY_RTOL)
        assert np.all((grouped["score"] >= 0) & (grouped["score"] <= 1))


def test_topsis_absolute_ideals():
    """Absolute ideals: a row at (1 + a, ..., 1 + a) scores 1, a row at (a, ..., a) scores 0."""
    a = 1e-4
    z = np.array([[1 + a, 1 + a], [a, a], [0.5 + a, 0.25 + a]])
    res = rbridge.reference_topsis(z, [0.6, 0.4], absolute=True, shift=a)
    assert_allclose(res["score"][:2], [1.0, 0.0], atol=1e-15)
    # hand value for the third row, weighted-matrix distances
    dp = np.sqrt((0.6 * 0.5) ** 2 + (0.4 * 0.75) ** 2)
    dm = np.sqrt((0.6 * 0.5) ** 2 + (0.4 * 0.25) ** 2)
    assert_allclose(res["score"][2], dm / (dp + dm), rtol=IDENTITY_RTOL)


# ---------------------------------------------------------------------------
# entropy weights

PANEL = np.array(
    [(10, 0.2, 5), (20, 0.5, 3), (30, 0.4, 4), (15, 0.3, 4), (25, 0.6, 2), (40, 0.5, 3)],
    dtype=float,
)
PANEL_BENEFIT = [True, True, False]
PANEL_YEARS = [1, 1, 1, 2, 2, 2]


@pytest.mark.parametrize(
    ("shift", "weights"),
    [
        (0.0, [0.381331, 0.308323, 0.310346]),
        (1e-4, [0.381331, 0.308336, 0.310334]),
        (0.01, [0.380682, 0.309288, 0.310029]),
    ],
)
def test_entropy_pooled_minmax(shift, weights):
    res = rbridge.reference_entropy(PANEL, PANEL_BENEFIT, shift=shift)
    assert_allclose(res["weight"], weights, atol=RECORDED_6DP_ATOL)
    assert_allclose(res["weight"].sum(), 1.0, rtol=IDENTITY_RTOL)
    assert res["groups"] is None


def test_entropy_pooled_entropies_zero_shift():
    """0 * ln 0 := 0; k = 1/ln(6)."""
    res = rbridge.reference_entropy(PANEL, PANEL_BENEFIT, shift=0.0)
    assert_allclose(res["entropy"], [0.815663, 0.850955, 0.849977], atol=RECORDED_6DP_ATOL)
    assert_allclose(res["divergence"], 1 - res["entropy"], rtol=IDENTITY_RTOL)


def test_entropy_ratio():
    res = rbridge.reference_entropy(PANEL, PANEL_BENEFIT, shift=0.0, standardization="ratio")
    assert_allclose(res["weight"], [0.470570, 0.290677, 0.238753], atol=RECORDED_6DP_ATOL)


def test_entropy_per_year():
    res = rbridge.reference_entropy(PANEL, PANEL_BENEFIT, shift=1e-4, scope_groups=PANEL_YEARS)
    assert res["groups"] == ["1", "2"]
    assert_allclose(
        res["weight"],
        [[0.342342, 0.315317, 0.342342], [0.360461, 0.306629, 0.332910]],
        atol=RECORDED_6DP_ATOL,
    )
    assert res["Z"].shape == PANEL.shape


def test_entropy_minmax_matrix_by_hand():
    """Z = min-max (cost: (max - x)/(max - min)) + shift, over the pooled panel."""
    res = rbridge.reference_entropy(PANEL, PANEL_BENEFIT, shift=1e-4)
    lo, hi = PANEL.min(axis=0), PANEL.max(axis=0)
    expected = np.where(PANEL_BENEFIT, PANEL - lo, hi - PANEL) / (hi - lo) + 1e-4
    assert_allclose(res["Z"], expected, rtol=IDENTITY_RTOL)


def test_entropy_zscore_translation():
    """docs/methods.md §7.3: the z-score variant needs H > 1.472 on this panel (sd with n - 1)."""
    with pytest.raises(InputError, match=r"choose H > 1\.47196"):
        rbridge.reference_entropy(PANEL, PANEL_BENEFIT, shift=1.0, standardization="zscore")
    res = rbridge.reference_entropy(PANEL, PANEL_BENEFIT, shift=1.5, standardization="zscore")
    assert np.all(res["Z"] > 0)
    assert_allclose(res["weight"].sum(), 1.0, rtol=IDENTITY_RTOL)


def test_entropy_row_order_invariance():
    perm = [4, 0, 5, 2, 1, 3]
    a = rbridge.reference_entropy(PANEL, PANEL_BENEFIT)
    b = rbridge.reference_entropy(PANEL[perm], PANEL_BENEFIT)
    assert_allclose(a["weight"], b["weight"], rtol=IDENTITY_RTOL)
    assert_allclose(a["Z"][perm], b["Z"], rtol=IDENTITY_RTOL)


def test_entropy_rejects_constant_indicator():
    x = PANEL.copy()
    x[:, 1] = 0.3
    with pytest.raises(InputError, match="constant"):
        rbridge.reference_entropy(x, PANEL_BENEFIT)


def test_entropy_accepts_spec_directions():
    a = rbridge.reference_entropy(PANEL, PANEL_BENEFIT)
    b = rbridge.reference_entropy(PANEL, ["+", "+", "-"])
    assert_allclose(a["weight"], b["weight"], rtol=IDENTITY_RTOL)
    with pytest.raises(InputError, match="benefit"):
        rbridge.reference_entropy(PANEL, ["+", "+", "cost"])
