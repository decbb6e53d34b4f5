"""nqpf.rbridge: each R adapter against closed-form numpy computations written here.

The Debian packages (laeken, Hmisc) are expected wherever R is; the CRAN-only
packages (dineq, IC2, ineq, topsis, MCDA, MCDM) are found through
``NQPF_R_LIBS`` (a private library, see DEVELOPERS.md "CRAN-only R packages")
and their tests skip, with the reason, when absent. The tests at the end need
neither R nor rpy2: they check the lazy import, the one-line error without R
and the input checks done before R is reached.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import polars as pl
import pytest
from numpy.testing import assert_allclose

from nqpf import rbridge
from nqpf.errors import InputError, RUnavailableError

# Closed forms in numpy vs R routines in double precision: only summation order
# differs. A-priori bound (the same as in test_golden_cran.py): a routine summing the
# n² pair terms in plain double precision errs by ≤ n²ε absolute on a Gini-type
# quantity, a sorted formula by ≤ nε; n ≤ 60 units here, so 2n²ε ≈ 1.6e-12 absolute,
# ≤ 1e-10 relative for quantities ≥ 0.016. Observed (R 4.2.2, every OpenBLAS kernel):
# ≤ 1.1e-14 relative.
RTOL = 1e-10
# Residual terms (Gt = G − Gw − Gnb, D near 0) have no useful relative bound: the same
# absolute bound, 2n²ε with n = 9 (the exact fixture), ≈ 3.6e-14, rounded up to 1e-13
# (the random cases' residuals are ≥ 0.016, so RTOL covers them).
ATOL = 1e-13
# Values published with 4 decimals (Hodgett's TOPSIS spreadsheet, docs/methods.md §7.2).
PUBLISHED_4DP_ATOL = 5e-5


# ---------------------------------------------------------------------------
# closed forms in numpy (independent of nqpf's statistics modules)


def gini_sorted(y):
    """Population Gini by sorting: sum_i (2i - n - 1) y_(i) / (n^2 mu)."""
    y = np.sort(np.asarray(y, dtype=float))
    n = y.size
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * y) / (n * n * y.mean()))


def gini_pairs(y, w=None):
    """Weighted population Gini: sum sum w_i w_r |y_i - y_r| / (2 W^2 mu)."""
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=float)
    W = w.sum()
    mu = np.sum(w * y) / W
    return float(np.sum(np.outer(w, w) * np.abs(y[:, None] - y[None, :])) / (2 * W * W * mu))


def dagum_numpy(y, g, w=None):
    """Dagum (1997) by brute force over all pairs, weighted per docs/methods.md §1.5."""
    y = np.asarray(y, dtype=float)
    g = np.asarray(g)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=float)
    groups = sorted(set(g.tolist()))
    W = {k: w[g == k].sum() for k in groups}
    Wt = sum(W.values())
    mean = {k: np.sum(w[g == k] * y[g == k]) / W[k] for k in groups}
    mu = np.sum(w * y) / Wt
    p = {k: W[k] / Wt for k in groups}
    s = {k: W[k] * mean[k] / (Wt * mu) for k in groups}

    def pair_sums(a, b):
        ya, yb, wa, wb = y[g == a], y[g == b], w[g == a], w[g == b]
        diff = ya[:, None] - yb[None, :]
        ww = wa[:, None] * wb[None, :]
        return (
            np.sum(ww * np.abs(diff)),
            np.sum(ww * np.maximum(diff, 0)),
            np.sum(ww * np.maximum(-diff, 0)),
        )

    G = gini_pairs(y, w)
    Gjj = {k: pair_sums(k, k)[0] / (2 * W[k] ** 2 * mean[k]) for k in groups}
    Gw = sum(Gjj[k] * p[k] * s[k] for k in groups)
    Gjh, Djh, Gnb, Gt = {}, {}, 0.0, 0.0
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            j, h = (b, a) if mean[b] > mean[a] else (a, b)
            total, d, q = pair_sums(j, h)
            gjh = total / (W[j] * W[h] * (mean[j] + mean[h]))
            D = (d - q) / (d + q) if d + q > 0 else 0.0
            weight = gjh * (p[j] * s[h] + p[h] * s[j])
            Gjh[(j, h)], Djh[(j, h)] = gjh, D
            Gnb += weight * D
            Gt += weight * (1 - D)
    return {
        "G": G,
        "Gw": Gw,
        "Gnb": Gnb,
        "Gt": Gt,
        "Gjj": Gjj,
        "Gjh": Gjh,
        "Djh": Djh,
        "means": mean,
    }


def topsis_vector(X, w, benefit):
    """Hwang-Yoon TOPSIS: vector normalisation, weighted matrix, Euclidean distances."""
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float) / np.sum(w)
    v = X / np.sqrt((X**2).sum(axis=0)) * w
    best = np.where(benefit, v.max(axis=0), v.min(axis=0))
    worst = np.where(benefit, v.min(axis=0), v.max(axis=0))
    dp = np.sqrt(((v - best) ** 2).sum(axis=1))
    dm = np.sqrt(((v - worst) ** 2).sum(axis=1))
    return dm / (dp + dm)


# ---------------------------------------------------------------------------
# fixtures

DAGUM_Y = np.array([1, 2, 6, 3, 5, 4, 8, 9, 11], dtype=float)
DAGUM_G = np.array(["A", "A", "A", "B", "B", "C", "C", "C", "C"])
DAGUM_EXACT = {"G": 146 / 441, "Gw": 34 / 441, "Gnb": 2 / 9, "Gt": 2 / 63}

HODGETT = np.array([[5490, 51.4, 8.5, 285], [6500, 70.6, 7.0, 288], [6489, 54.3, 7.5, 290]])
HODGETT_W = [0.35, 0.25, 0.25, 0.15]
HODGETT_BENEFIT = np.array([False, True, True, True])
HODGETT_PUBLISHED = [0.4817, 0.5182, 0.1780]


def _random(seed, n=60, k=4):
    rng = np.random.default_rng(seed)
    g = np.array([f"r{i}" for i in rng.integers(0, k, size=n)])
    g[:k] = [f"r{i}" for i in range(k)]
    y = np.round(rng.lognormal(0.0, 0.7, size=n) * (1 + (g == "r1")), 2)  # ties on purpose
    w = rng.uniform(0.2, 4.0, size=n)
    return y, g, w


RANDOM_SEEDS = [1, 76540251]


@pytest.fixture(scope="module")
def r_session():
    if not rbridge.available():
        pytest.skip(rbridge.unavailable_reason() or "R is not available")


def _need(package):
    """Skip unless the R package is installed (NQPF_R_LIBS is searched first)."""
    if not rbridge.available():
        pytest.skip(rbridge.unavailable_reason() or "R is not available")
    # rbridge.package_version looks the package up on .libPaths() (NQPF_R_LIBS first),
    # like rpy2.robjects.packages.isinstalled, but without R's "library ... contains
    # no packages" warnings for empty site libraries.
    if rbridge.package_version(package) is None:
        pytest.skip(
            f"R package '{package}' is not installed (CRAN only: install it with r/install.R into a "
            f"private library and set {rbridge.LIBS_ENV})"
        )


def _check_decomposition(got, expected, *, pairs=True):
    for key in ("G", "Gw", "Gnb", "Gt"):
        assert_allclose(got[key], expected[key], rtol=RTOL, atol=ATOL, err_msg=key)
    assert got["Gjj"].keys() == expected["Gjj"].keys()
    for k, v in expected["Gjj"].items():
        assert_allclose(got["Gjj"][k], v, rtol=RTOL, atol=ATOL, err_msg=f"Gjj {k}")
    if pairs:
        assert got["Gjh"].keys() == expected["Gjh"].keys()
        for k, v in expected["Gjh"].items():
            assert_allclose(got["Gjh"][k], v, rtol=RTOL, err_msg=f"Gjh {k}")
            assert_allclose(
                got["Djh"][k], expected["Djh"][k], rtol=RTOL, atol=ATOL, err_msg=f"Djh {k}"
            )


# ---------------------------------------------------------------------------
# session and routines table


@pytest.mark.r
def test_routines_table(r_session):
    table = rbridge.routines()
    assert table.columns == ["routine", "package", "version", "status", "reason"]
    assert table["routine"].to_list() == [r.name for r in rbridge.ROUTINES]
    rows = {r["routine"]: r for r in table.iter_rows(named=True)}
    for routine in ("r/nqpf_reference.R", "laeken::gini", "Hmisc::GiniMd", "stats::density"):
        assert rows[routine]["status"] == "ok", rows[routine]
        assert rows[routine]["version"]
    for row in rows.values():
        assert (row["status"] == "ok") == (row["reason"] is None)
        if row["status"] == "missing":
            assert "\n" not in row["reason"]
            assert row["package"] in row["reason"]


@pytest.mark.r
def test_libs_env_is_prepended(r_session, monkeypatch, tmp_path):
    import rpy2.robjects as ro

    def lib_paths():  # rpy2's conversion rules are per thread: name them
        with ro.default_converter.context():
            return [str(p) for p in ro.r[".libPaths"]()]

    monkeypatch.setenv(rbridge.LIBS_ENV, str(tmp_path))
    rbridge.package_version("stats")  # any call applies the variable
    assert lib_paths()[0] == str(tmp_path)
    monkeypatch.delenv(rbridge.LIBS_ENV)
    rbridge.package_version("stats")
    assert str(tmp_path) not in lib_paths()


@pytest.mark.r
def test_r_errors_become_input_errors(r_session):
    with pytest.raises(InputError, match=r"^R \(nqpf_entropy\) rejected the input: .*constant"):
        rbridge.reference_entropy(np.ones((4, 2)), [True, True])


# ---------------------------------------------------------------------------
# laeken (Debian r-cran-laeken)


@pytest.mark.r
def test_laeken_gini_fixture(r_session):
    _need("laeken")
    assert_allclose(rbridge.laeken_gini(DAGUM_Y), DAGUM_EXACT["G"], rtol=RTOL)


@pytest.mark.r
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_laeken_gini_random(r_session, seed):
    _need("laeken")
    y, _, w = _random(seed)
    assert_allclose(rbridge.laeken_gini(y), gini_sorted(y), rtol=RTOL)
    assert_allclose(rbridge.laeken_gini(y, w), gini_pairs(y, w), rtol=RTOL)


@pytest.mark.r
def test_laeken_dagum_fixture(r_session):
    _need("laeken")
    got = rbridge.laeken_dagum(DAGUM_Y, DAGUM_G)
    for key, value in DAGUM_EXACT.items():
        assert_allclose(got[key], value, rtol=RTOL, err_msg=key)
    assert_allclose(got["Gjh"][("C", "A")], 16 / 33, rtol=RTOL)
    assert_allclose(got["Djh"][("C", "B")], 16 / 17, rtol=RTOL)
    _check_decomposition(got, dagum_numpy(DAGUM_Y, DAGUM_G))


@pytest.mark.r
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_laeken_dagum_random(r_session, seed, weighted):
    _need("laeken")
    y, g, w = _random(seed)
    wt = w if weighted else None
    _check_decomposition(rbridge.laeken_dagum(y, g, wt), dagum_numpy(y, g, wt))


# ---------------------------------------------------------------------------
# Hmisc (Debian r-cran-hmisc)


@pytest.mark.r
@pytest.mark.parametrize("seed", [None, *RANDOM_SEEDS])
def test_hmisc_ginimd(r_session, seed):
    _need("Hmisc")
    y = DAGUM_Y if seed is None else _random(seed)[0]
    n2_mean_difference = np.abs(y[:, None] - y[None, :]).sum() / y.size**2
    assert_allclose(rbridge.hmisc_ginimd(y), n2_mean_difference, rtol=RTOL)
    # and Delta = 2 mu G links it to the Gini
    assert_allclose(rbridge.hmisc_ginimd(y), 2 * y.mean() * gini_sorted(y), rtol=RTOL)


def test_hmisc_ginimd_rejects_weights():
    with pytest.raises(InputError, match="no weights"):
        rbridge.hmisc_ginimd([1.0, 2.0], w=[1.0, 1.0])


# ---------------------------------------------------------------------------
# CRAN-only Gini routines


@pytest.mark.r
def test_dineq_fixture(r_session):
    _need("dineq")
    got = rbridge.dineq_gini_decomp(DAGUM_Y, DAGUM_G)
    for key, value in DAGUM_EXACT.items():
        assert_allclose(got[key], value, rtol=RTOL, err_msg=key)
    _check_decomposition(got, dagum_numpy(DAGUM_Y, DAGUM_G), pairs=False)
    assert_allclose([got["means"][k] for k in "ABC"], [3, 4, 8], rtol=RTOL)


@pytest.mark.r
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_dineq_random(r_session, seed, weighted):
    _need("dineq")
    y, g, w = _random(seed)
    wt = w if weighted else None
    _check_decomposition(rbridge.dineq_gini_decomp(y, g, wt), dagum_numpy(y, g, wt), pairs=False)


@pytest.mark.r
def test_ic2_fixture(r_session):
    _need("IC2")
    got = rbridge.ic2_decomp_sgini(DAGUM_Y, DAGUM_G)
    for key, value in DAGUM_EXACT.items():
        assert_allclose(got[key], value, rtol=RTOL, err_msg=key)
    _check_decomposition(got, dagum_numpy(DAGUM_Y, DAGUM_G), pairs=False)


@pytest.mark.r
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_ic2_random(r_session, seed, weighted):
    _need("IC2")
    y, g, w = _random(seed)
    wt = w if weighted else None
    _check_decomposition(rbridge.ic2_decomp_sgini(y, g, wt), dagum_numpy(y, g, wt), pairs=False)


@pytest.mark.r
@pytest.mark.parametrize("seed", [None, *RANDOM_SEEDS])
def test_ineq_gini(r_session, seed):
    _need("ineq")
    y = DAGUM_Y if seed is None else _random(seed)[0]
    assert_allclose(rbridge.ineq_gini(y), gini_sorted(y), rtol=RTOL)


# ---------------------------------------------------------------------------
# CRAN-only TOPSIS routines

TOPSIS_ADAPTERS = [
    ("topsis", rbridge.topsis_topsis, ("+", "-")),
    ("MCDA", rbridge.mcda_topsis, ("max", "min")),
    ("MCDM", rbridge.mcdm_topsis_vector, ("max", "min")),
]


def _kinds(benefit, words):
    return [words[0] if b else words[1] for b in benefit]


@pytest.mark.r
@pytest.mark.parametrize(("package", "adapter", "words"), TOPSIS_ADAPTERS, ids=lambda x: str(x)[:8])
def test_topsis_hodgett(r_session, package, adapter, words):
    _need(package)
    got = adapter(HODGETT, HODGETT_W, _kinds(HODGETT_BENEFIT, words))
    assert_allclose(got, HODGETT_PUBLISHED, atol=PUBLISHED_4DP_ATOL)
    assert_allclose(got, topsis_vector(HODGETT, HODGETT_W, HODGETT_BENEFIT), rtol=RTOL)


@pytest.mark.r
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
@pytest.mark.parametrize(("package", "adapter", "words"), TOPSIS_ADAPTERS, ids=lambda x: str(x)[:8])
def test_topsis_random(r_session, package, adapter, words, seed):
    _need(package)
    rng = np.random.default_rng(seed)
    X = rng.uniform(1.0, 100.0, size=(15, 5))
    w = rng.uniform(0.05, 1.0, size=5)
    w = w / w.sum()  # MCDM wants weights that sum to 1; the others accept them too
    benefit = np.array([True, False, True, True, False])
    got = adapter(X, w, _kinds(benefit, words))
    assert_allclose(got, topsis_vector(X, w, benefit), rtol=RTOL)


def test_topsis_adapter_checks_criteria():
    with pytest.raises(InputError, match="impacts"):
        rbridge.topsis_topsis(HODGETT, HODGETT_W, ["min", "+", "+", "+"])
    with pytest.raises(InputError, match="positive"):
        rbridge.mcda_topsis(HODGETT, [0.0, 0.5, 0.25, 0.25], ["min", "max", "max", "max"])


# ---------------------------------------------------------------------------
# the reference, reached through the same bridge, agrees with the numpy forms


@pytest.mark.r
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_reference_dagum_random(r_session, seed, weighted):
    y, g, w = _random(seed)
    wt = w if weighted else None
    ref = rbridge.reference_dagum(y, g, wt)
    got = {
        **{k: ref[k] for k in ("G", "Gw", "Gnb", "Gt")},
        "Gjj": dict(zip(ref["groups"], ref["Gjj"], strict=True)),
        "Gjh": {(p["group_j"], p["group_h"]): p["Gjh"] for p in ref["pairs"]},
        "Djh": {(p["group_j"], p["group_h"]): p["Djh"] for p in ref["pairs"]},
    }
    _check_decomposition(got, dagum_numpy(y, g, wt))


@pytest.mark.r
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_reference_topsis_vector_random(r_session, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(1.0, 100.0, size=(15, 5))
    w = rng.dirichlet(np.ones(5))
    benefit = np.array([True, False, True, True, False])
    got = rbridge.reference_topsis(None, w, normalization="vector", benefit=benefit, X=X)
    assert_allclose(got["score"], topsis_vector(X, w, benefit), rtol=RTOL)


@pytest.mark.r
@pytest.mark.parametrize("topsis", ["matrix", "distance"])
def test_reference_topsis_none_is_raw_values_oriented_by_benefit(r_session, topsis):
    """normalization="none" means what it means in the index: the raw values as they
    are, the ideal of a cost column its minimum (docs/methods.md §1)."""
    rng = np.random.default_rng(3)
    X = rng.uniform(1.0, 100.0, size=(12, 4))
    w = np.array([0.4, 0.3, 0.2, 0.1])
    benefit = np.array([True, False, True, False])
    best = np.where(benefit, X.max(axis=0), X.min(axis=0))
    worst = np.where(benefit, X.min(axis=0), X.max(axis=0))
    if topsis == "matrix":
        d_plus = np.sqrt((((X - best) * w) ** 2).sum(axis=1))
        d_minus = np.sqrt((((X - worst) * w) ** 2).sum(axis=1))
    else:
        d_plus = np.sqrt((w * (X - best) ** 2).sum(axis=1))
        d_minus = np.sqrt((w * (X - worst) ** 2).sum(axis=1))
    got = rbridge.reference_topsis(
        None, w, topsis=topsis, normalization="none", benefit=benefit, X=X
    )
    assert_allclose(got["d_plus"], d_plus, rtol=RTOL)
    assert_allclose(got["d_minus"], d_minus, rtol=RTOL)
    assert_allclose(got["score"], d_minus / (d_plus + d_minus), rtol=RTOL)
    # a cost column turned by hand into a benefit one: the same distances
    flipped = np.where(benefit, X, -X) + 200.0
    turned = rbridge.reference_topsis(
        None, w, topsis=topsis, normalization="none", benefit=[True] * 4, X=flipped
    )
    assert_allclose(turned["score"], got["score"], rtol=RTOL)


# ---------------------------------------------------------------------------
# without R: lazy import, one-line error, checks before R


def test_reference_topsis_names_its_options_as_the_index_does():
    """One name per concept: ``topsis=`` (not ``weighting=``), the index's normalizations."""
    with pytest.raises(TypeError, match="weighting"):
        rbridge.reference_topsis([[1.0]], [1.0], weighting="matrix")  # type: ignore[call-arg]
    with pytest.raises(InputError, match="unknown topsis 'weighted'"):
        rbridge.reference_topsis([[1.0]], [1.0], topsis="weighted")
    with pytest.raises(InputError, match="needs the raw matrix X and benefit"):
        rbridge.reference_topsis([[1.0, 2.0]], [1.0, 1.0], normalization="none")
    with pytest.raises(InputError, match="use minmax, vector or none"):
        rbridge.reference_topsis([[1.0]], [1.0], normalization="raw")


# ---------------------------------------------------------------------------
# spatialreg: the SAR's concentrated likelihood maximised here in numpy

# R's optimize stops at tol.opt = √ε ≈ 1.5e-8 in ρ (spatialreg's default); the search
# here runs to 1e-12, so ρ agrees to ~1.5e-8 absolute and β, the effects (O(1) in
# ρ) to ~1e-7 relative: 1e-6 (the crossval tolerance) with a margin of 10. The
# log-likelihood is flat at the maximum (second order in Δρ): 1e-10.
SPATIALREG_RTOL = 1e-6
SPATIALREG_LL_RTOL = 1e-10


def _ring_weights(n, seed):
    """A ring with a few random chords: binary, symmetric, no island."""
    from nqpf.spatial import from_matrix

    rng = np.random.default_rng(seed)
    b = np.zeros((n, n))
    for i in range(n):
        b[i, (i + 1) % n] = b[(i + 1) % n, i] = 1.0
    for i, j in rng.integers(0, n, size=(n // 3, 2)):
        if i != j:
            b[i, j] = b[j, i] = 1.0
    return b, from_matrix(b, [f"r{i}" for i in range(n)])


def _sar_numpy(y, X, b):
    """ML SAR by brute force: W = row-standardised b, ρ maximising
    −n/2·ln σ²(ρ) + ln|I − ρW| (eigenvalues of W), β = OLS of (I − ρW)y on [1, X];
    effects direct = β·tr((I − ρW)⁻¹)/n, total = β/(1 − ρ) (LeSage–Pace 2009)."""
    from scipy.optimize import minimize_scalar

    n = y.size
    w = b / b.sum(axis=1, keepdims=True)
    z = np.column_stack([np.ones(n), X])
    omega = np.linalg.eigvals(w).real

    def fit(rho):
        ay = y - rho * (w @ y)
        beta = np.linalg.lstsq(z, ay, rcond=None)[0]
        e = ay - z @ beta
        s2 = e @ e / n
        ll = -n / 2 * (np.log(2 * np.pi * s2) + 1) + np.log(1 - rho * omega).sum()
        return ll, beta

    lo, hi = 1 / omega.min(), 1 / omega.max()
    rho = minimize_scalar(
        lambda r: -fit(r)[0], bounds=(lo + 1e-9, hi - 1e-9), method="bounded",
        options={"xatol": 1e-12},
    ).x  # fmt: skip
    ll, beta = fit(rho)
    direct = beta[1:] * np.trace(np.linalg.inv(np.eye(n) - rho * w)) / n
    return rho, ll, beta, direct, beta[1:] / (1 - rho)


@pytest.mark.r
@pytest.mark.parametrize("seed", [1, 2])
def test_spatialreg_sar_is_the_likelihood_maximum(r_session, seed):
    _need("spatialreg")
    rng = np.random.default_rng(seed)
    b, w = _ring_weights(40, seed)
    X = rng.normal(size=(40, 2))
    wr = b / b.sum(axis=1, keepdims=True)
    y = np.linalg.solve(np.eye(40) - 0.5 * wr, 1 + X @ [1.0, -2.0] + rng.normal(size=40))
    rho, ll, beta, direct, total = _sar_numpy(y, X, b)
    out = rbridge.spatialreg_fit("sar", y, X, w)
    assert abs(out["parameter"] - rho) < SPATIALREG_RTOL
    assert out["log_likelihood"] == pytest.approx(ll, rel=SPATIALREG_LL_RTOL)
    assert_allclose(out["coefficients"], beta, rtol=SPATIALREG_RTOL)
    assert_allclose(out["direct"], direct, rtol=SPATIALREG_RTOL)
    assert_allclose(out["total"], total, rtol=SPATIALREG_RTOL)
    assert_allclose(out["indirect"], total - direct, rtol=SPATIALREG_RTOL)
    assert out["aic"] == pytest.approx(-2 * ll + 2 * (3 + 2), rel=SPATIALREG_LL_RTOL)


@pytest.mark.r
@pytest.mark.parametrize("model", ["sar", "sem", "sdm"])
def test_spatialreg_beta_takes_growth_and_logs_in_r(r_session, model):
    _need("spatialreg")
    rng = np.random.default_rng(7)
    _, w = _ring_weights(30, 7)
    y0 = rng.uniform(1, 3, 30)
    y1 = y0 * np.exp(rng.normal(0.3, 0.1, 30))
    beta = rbridge.spatialreg_beta(model, y0, y1, 8.0, w)
    plain = rbridge.spatialreg_fit(model, (np.log(y1) - np.log(y0)) / 8.0, np.log(y0), w)
    assert beta["coefficients"].size == (3 if model == "sdm" else 2)
    assert (beta["direct"].size == 0) == (model == "sem")
    for key in ("parameter", "log_likelihood", "coefficients", "direct", "total"):
        # the same R call on the same numbers up to the last bit of a log
        assert_allclose(beta[key], plain[key], rtol=1e-12)


def test_the_routine_table_is_the_one_declaration():
    names = [r.name for r in rbridge.ROUTINES]
    assert len(names) == len(set(names))
    assert rbridge.routine("laeken::gini").package == "laeken"
    with pytest.raises(KeyError, match="stata"):
        rbridge.routine("stata::gini")


def test_import_does_not_import_rpy2():
    code = "import sys, nqpf, nqpf.rbridge; sys.exit('rpy2' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.fixture
def no_rpy2(monkeypatch):
    """Simulate a Python without rpy2: imports of rpy2 fail, the bridge forgets its session."""
    monkeypatch.setitem(sys.modules, "rpy2", None)
    rbridge._reset()
    yield
    monkeypatch.undo()
    rbridge._reset()


def test_missing_rpy2_is_reported(no_rpy2):
    assert rbridge.available() is False
    assert rbridge.unavailable_reason() == rbridge.UNAVAILABLE_MESSAGE
    for call in (
        lambda: rbridge.laeken_gini([1.0, 2.0, 3.0]),
        lambda: rbridge.reference_dagum([1.0, 2.0], ["a", "b"]),
        lambda: rbridge.package_version("laeken"),
    ):
        with pytest.raises(RUnavailableError) as info:
            call()
        message = str(info.value)
        assert message == "R is not available: install R and the `r` extra (pip install 'nqpf[r]')"
        assert "\n" not in message
    table = rbridge.routines()
    assert isinstance(table, pl.DataFrame)
    assert table["status"].unique().to_list() == ["missing"]
    assert table["version"].null_count() == table.height


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: rbridge.laeken_gini([1.0, -2.0]), "negative"),
        (lambda: rbridge.laeken_gini([0.0, 0.0]), "sums to 0"),
        (lambda: rbridge.laeken_gini([1.0, np.nan]), "non-finite"),
        (lambda: rbridge.laeken_gini([1.0, 2.0], w=[1.0]), "1 values for 2"),
        (lambda: rbridge.laeken_gini([1.0, 2.0], w=[1.0, -1.0]), "negative weights"),
        (lambda: rbridge.dineq_gini_decomp([1.0, 2.0], ["a"]), "1 labels for 2"),
        (lambda: rbridge.dineq_gini_decomp([1.0, 2.0], ["a", None]), "missing labels"),
        (
            lambda: rbridge.mcdm_topsis_vector([[1.0, 2.0]], [1.0], ["max", "min"]),
            "1 weights for 2",
        ),
        (lambda: rbridge.spatialreg_fit("gm", [1.0, 2.0], [1.0, 2.0], np.eye(2)), "unknown"),
        (lambda: rbridge.spatialreg_fit("sar", [1.0, 2.0], [1.0], np.eye(2)), "'X' 1 rows"),
        (lambda: rbridge.spatialreg_beta("sem", [1.0, 0.0], [1.0, 2.0], 1, np.eye(2)), "> 0"),
        (lambda: rbridge.spatialreg_beta("sem", [1.0, 2.0], [1.0, 2.0], 0, np.eye(2)), "tau"),
    ],
)
def test_bad_input_is_caught_before_r(no_rpy2, call, match):
    with pytest.raises(InputError, match=match):
        call()
