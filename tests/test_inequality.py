"""Inequality measures (nqpf.inequality) against brute-force definitions, PySAL
``inequality``, R's ``ineq``, ``IC2`` and ``dineq``, a published example, and their
properties.

Tolerances (ε = 2⁻⁵²): every quantity here is a sum of n ≤ 64 terms of moderate size
(values in [0.2, 20], weights in [0.5, 3]) evaluated in another order (numpy's
pairwise sums, R's sequential ones, the O(n²) double sum): Higham's γₙ bound gives
≈ 2nε relative per sum times the quantity's condition number; the decompositions
divide by means of the same magnitude and the Ginis (≥ 0.1 here) by μ, so κ ≤ 10 and
``RTOL`` = 1e-11 covers 2·64·10·ε ≈ 3e-13 with a margin for the logs and powers of
GE(α) and Atkinson (each a relative error of a few ε). The terms that are
differences of two near-equal sums (the overlap term, the between term with one group
dominating) are compared with ``ATOL`` = 1e-12 absolute. IC2's S-Gini is a least-squares
slope (R's ``lm``, QR by Householder): its relative error is ≈ nε·κ(X)² with the rank
weights' design κ ≤ 10, so it is compared with ``LM_RTOL`` = 1e-9.
"""

from __future__ import annotations

import os

import numpy as np
import polars as pl
import pytest

from nqpf.errors import InputError
from nqpf.inequality import atkinson, generalized_entropy, gini, gini_sources, inequality, theil
from nqpf.options import InequalityOptions

RTOL = 1e-11  # sums of ≤ 64 terms in another order (module docstring)
ATOL = 1e-12  # differences of near-equal sums (module docstring)
LM_RTOL = 1e-9  # IC2's S-Gini is an lm() slope (module docstring)


def _data(n: int = 40, k: int = 4, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "region": [f"r{i}" for i in range(n)],
            "y": np.round(rng.lognormal(1.0, 0.7, n), 6) + 0.2,
            "g": [f"g{i % k}" for i in range(n)],
            "w": rng.uniform(0.5, 3.0, n),
            "a": rng.uniform(0.1, 5.0, n),
            "b": rng.uniform(0.1, 2.0, n),
            "c": rng.lognormal(0.0, 1.0, n),
        }
    )


# ---------------------------------------------------------------------------
# Brute-force references: the definitions, O(n²) where the definition is
# ---------------------------------------------------------------------------


def _ge(y, w, alpha):
    p = w / w.sum()
    mu = (p * y).sum()
    if alpha == 1:
        return float((p * (y / mu) * np.log(y / mu)).sum())
    if alpha == 0:
        return float(-(p * np.log(y / mu)).sum())
    return float((p * ((y / mu) ** alpha - 1)).sum() / (alpha * (alpha - 1)))


def _gini_pairs(y, w):
    """ΣΣ w_i w_r |y_i − y_r| / (2 W² μ)."""
    big_w = w.sum()
    mu = (w * y).sum() / big_w
    return float((np.outer(w, w) * np.abs(y[:, None] - y[None, :])).sum() / (2 * big_w**2 * mu))


def _cdf_mid(y, w, at):
    """F(at) = share strictly below + half the share equal (O(n²) counting)."""
    p = w / w.sum()
    below = (p[None, :] * (y[None, :] < at[:, None])).sum(axis=1)
    equal = (p[None, :] * (y[None, :] == at[:, None])).sum(axis=1)
    return below + equal / 2


def _sgini_sorted(y, w, nu):
    """Donaldson–Weymark: 1 − Σ y_(i) [(1 − F⁻)^ν − (1 − F⁺)^ν] / μ (sorted sum)."""
    o = np.argsort(y, kind="stable")
    ys, p = y[o], w[o] / w.sum()
    hi = np.cumsum(p)
    lo = hi - p
    mu = (p * ys).sum()
    return float(1 - (ys * ((1 - lo) ** nu - np.clip(1 - hi, 0, None) ** nu)).sum() / mu)


def _cov(p, a, b):
    p = p / p.sum()
    return float((p * (a - (p * a).sum()) * (b - (p * b).sum())).sum())


# ---------------------------------------------------------------------------
# Brute force
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [-1.0, 0.0, 0.5, 1.0, 2.0, 3.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_ge_decomposition_brute_force(alpha, weighted):
    df = _data()
    y, w, g = df["y"].to_numpy(), df["w"].to_numpy(), df["g"].to_numpy()
    if not weighted:
        w = np.ones_like(y)
    res = generalized_entropy(df, "y", "g", weights="w" if weighted else None, alpha=alpha)
    row = res.overall.row(0, named=True)
    assert row["index"] == pytest.approx(_ge(y, w, alpha), rel=RTOL)
    groups = sorted(set(g))
    # between: every unit replaced by its group mean
    means = {j: (w[g == j] * y[g == j]).sum() / w[g == j].sum() for j in groups}
    assert row["between"] == pytest.approx(_ge(np.array([means[j] for j in g]), w, alpha), rel=RTOL)
    assert row["within"] + row["between"] == pytest.approx(row["index"], rel=RTOL)
    mu = (w * y).sum() / w.sum()
    for rec in res.detail.iter_rows(named=True):
        m = g == rec["group"]
        big_p = w[m].sum() / w.sum()
        s = big_p * means[rec["group"]] / mu
        assert rec["GE_j"] == pytest.approx(_ge(y[m], w[m], alpha), rel=RTOL)
        assert rec["contribution"] == pytest.approx(
            big_p ** (1 - alpha) * s**alpha * _ge(y[m], w[m], alpha), rel=RTOL
        )


@pytest.mark.parametrize("epsilon", [0.0, 0.5, 1.0, 2.0, 3.5])
def test_atkinson_brute_force(epsilon):
    df = _data()
    y, w = df["y"].to_numpy(), df["w"].to_numpy()
    p = w / w.sum()
    mu = (p * y).sum()
    ede = (
        np.exp((p * np.log(y)).sum())
        if epsilon == 1
        else (p * y ** (1 - epsilon)).sum() ** (1 / (1 - epsilon))
    )
    got = atkinson(df, "y", weights="w", epsilon=epsilon).overall.row(0, named=True)
    assert got["index"] == pytest.approx(1 - ede / mu, rel=RTOL, abs=ATOL)
    assert got["ede"] == pytest.approx(ede, rel=RTOL)


@pytest.mark.parametrize("weighted", [False, True])
def test_gini_brute_force_with_ties(weighted):
    # ties across groups: the sorted formula must not depend on how ties are ordered
    df = _data().with_columns(pl.col("y").round(0))
    y, w = df["y"].to_numpy(), df["w"].to_numpy() if weighted else np.ones(df.height)
    got = gini(df, "y", weights="w" if weighted else None).overall.item(0, "index")
    assert got == pytest.approx(_gini_pairs(y, w), rel=RTOL)
    shuffled = df.sample(fraction=1.0, shuffle=True, seed=3)
    again = gini(shuffled, "y", weights="w" if weighted else None).overall.item(0, "index")
    assert again == pytest.approx(got, rel=RTOL)


@pytest.mark.parametrize("nu", [1.5, 2.0, 3.0, 6.0])
def test_sgini_brute_force(nu):
    df = _data()
    y, w = df["y"].to_numpy(), df["w"].to_numpy()
    got = gini(df, "y", weights="w", nu=nu).overall.item(0, "index")
    assert got == pytest.approx(_sgini_sorted(y, w, nu), rel=RTOL)
    if nu == 2:
        assert got == pytest.approx(_gini_pairs(y, w), rel=RTOL)


@pytest.mark.parametrize("weighted", [False, True])
def test_yitzhaki_lerman_brute_force(weighted):
    df = _data().with_columns(pl.col("y").round(1))  # some ties, across groups too
    y, g = df["y"].to_numpy(), df["g"].to_numpy()
    w = df["w"].to_numpy() if weighted else np.ones(df.height)
    res = gini(df, "y", "g", weights="w" if weighted else None)
    row = res.overall.row(0, named=True)
    big_g = _gini_pairs(y, w)
    f_all = _cdf_mid(y, w, y)
    mu = (w * y).sum() / w.sum()
    assert row["index"] == pytest.approx(big_g, rel=RTOL)
    within = overlap = 0.0
    mean_j, fbar_j, share_j = [], [], []
    for rec in res.detail.iter_rows(named=True):
        m = g == rec["group"]
        g_j = _gini_pairs(y[m], w[m])
        o_j = _cov(w[m], y[m], f_all[m]) / _cov(w[m], y[m], _cdf_mid(y[m], w[m], y[m]))
        big_p = w[m].sum() / w.sum()
        s_j = big_p * (w[m] * y[m]).sum() / w[m].sum() / mu
        assert rec["G_j"] == pytest.approx(g_j, rel=RTOL)
        assert rec["O_j"] == pytest.approx(o_j, rel=RTOL)
        assert rec["S_j"] == pytest.approx((1 - o_j) / (1 - big_p), rel=RTOL, abs=ATOL)
        assert rec["contribution"] == pytest.approx(s_j * g_j * o_j, rel=RTOL)
        within += s_j * g_j
        overlap += s_j * g_j * (o_j - 1)
        mean_j.append((w[m] * y[m]).sum() / w[m].sum())
        fbar_j.append((w[m] * f_all[m]).sum() / w[m].sum())
        share_j.append(big_p)
    between = 2 * _cov(np.array(share_j), np.array(mean_j), np.array(fbar_j)) / mu
    assert row["within"] == pytest.approx(within, rel=RTOL)
    assert row["overlap"] == pytest.approx(overlap, abs=ATOL)
    assert row["between"] == pytest.approx(between, rel=RTOL, abs=ATOL)
    assert row["within"] + row["overlap"] + row["between"] == pytest.approx(big_g, rel=RTOL)


def test_sources_brute_force():
    df = _data()
    comps = ["a", "b", "c"]
    w = df["w"].to_numpy()
    ys = {c: df[c].to_numpy() for c in comps}
    total = sum(ys.values())
    res = gini_sources(df, comps, weights="w")
    big_g = _gini_pairs(total, w)
    assert res.overall.item(0, "index") == pytest.approx(big_g, rel=RTOL)
    f = _cdf_mid(total, w, total)
    mu = (w * total).sum() / w.sum()
    for rec in res.detail.iter_rows(named=True):
        yk = ys[rec["source"]]
        s_k = (w * yk).sum() / w.sum() / mu
        g_k = _gini_pairs(yk, w)
        r_k = _cov(w, yk, f) / _cov(w, yk, _cdf_mid(yk, w, yk))
        assert rec["S_k"] == pytest.approx(s_k, rel=RTOL)
        assert rec["G_k"] == pytest.approx(g_k, rel=RTOL)
        assert rec["R_k"] == pytest.approx(r_k, rel=RTOL)
        assert rec["C_k"] == pytest.approx(s_k * g_k * r_k, rel=RTOL)
        assert rec["share"] == pytest.approx(s_k * g_k * r_k / big_g, rel=RTOL)
        assert rec["marginal"] == pytest.approx(s_k * g_k * r_k / big_g - s_k, rel=RTOL, abs=ATOL)
    assert res.detail["C_k"].sum() == pytest.approx(big_g, rel=RTOL)
    assert res.detail["share"].sum() == pytest.approx(1.0, rel=RTOL)


# ---------------------------------------------------------------------------
# PySAL inequality, and its documented Mexico example (a published printout)
# ---------------------------------------------------------------------------


def _mexico() -> pl.DataFrame:
    libpysal = pytest.importorskip("libpysal")
    try:
        path = libpysal.examples.get_path("mexico.csv")
    except Exception as exc:  # the example data are not installed
        pytest.skip(f"libpysal's mexico.csv is not available: {exc}")
    wide = pl.read_csv(path)
    return wide.unpivot(
        index=["State", "hanson98"], on=[f"pcgdp{d}" for d in range(1940, 2010, 10)],
        variable_name="decade", value_name="pcgdp",
    ).with_columns(pl.col("decade").str.slice(5).cast(pl.Int64))  # fmt: skip


def test_pysal_mexico_documented_example():
    """inequality.theil.Theil / TheilD docstrings (PySAL inequality 1.x): Theil's T of
    Mexican states' per-capita GDP by decade, and its decomposition by the hanson98
    regions, as printed there (8 significant digits)."""
    df = _mexico()
    res = theil(df, "pcgdp", "hanson98", by="decade").overall.filter(pl.col("alpha") == 1.0)
    printed_t = [0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113, 0.10511256, 0.10660832]
    printed_bg = [0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257, 0.02963731, 0.03635872]
    printed_wg = [0.17435454, 0.12405598, 0.0521202, 0.04263506, 0.06354856, 0.07547525, 0.0702496]
    # printed to 8 decimals: half a unit of the last digit
    assert res["index"].to_list() == pytest.approx(printed_t, abs=5e-9)
    assert res["between"].to_list() == pytest.approx(printed_bg, abs=5e-9)
    assert res["within"].to_list() == pytest.approx(printed_wg, abs=5e-9)


def test_pysal_live():
    pytest.importorskip("inequality")
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    df = _mexico()
    for (decade,), part in df.group_by(["decade"], maintain_order=True):
        y = part["pcgdp"].to_numpy()
        regimes = part["hanson98"].to_numpy()
        ours = theil(part, "pcgdp", "hanson98").overall.row(0, named=True)
        dec = TheilD(y, regimes)
        assert ours["index"] == pytest.approx(float(Theil(y).T), rel=RTOL), decade
        assert ours["between"] == pytest.approx(float(np.ravel(dec.bg)[0]), rel=RTOL), decade
        assert ours["within"] == pytest.approx(float(np.ravel(dec.wg)[0]), rel=RTOL), decade
        # PySAL's Gini: the relative mean difference Σ(2i − n − 1) y_(i) / (n Σ y)
        assert gini(part, "pcgdp").overall.item(0, "index") == pytest.approx(Gini(y).g, rel=RTOL)


# ---------------------------------------------------------------------------
# R: ineq, IC2, dineq
# ---------------------------------------------------------------------------


def _r(package: str):
    """rpy2's robjects with ``package`` loadable (NQPF_R_LIBS in front), or a skip."""
    pytest.importorskip("rpy2", reason="rpy2 is not installed (pip install 'nqpf[r]')")
    from nqpf import rbridge

    reason = rbridge.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    if rbridge.package_version(package) is None:
        pytest.skip(
            f"R package '{package}' is not installed (CRAN only; build it into a private "
            f"library and set NQPF_R_LIBS={os.environ.get('NQPF_R_LIBS', '/work/.rlib')})"
        )
    import rpy2.robjects as ro

    return ro


def _put(ro, **values):
    for name, v in values.items():
        v = np.asarray(v)
        ro.globalenv[name] = (
            ro.StrVector([str(x) for x in v]) if v.dtype.kind in "OUS" else ro.FloatVector(v)
        )


def _num(ro, code: str) -> np.ndarray:
    return np.asarray(ro.r(code), dtype=float)


@pytest.mark.r
def test_ineq_package():
    ro = _r("ineq")
    df = _data()
    y = df["y"].to_numpy()
    _put(ro, x=y)
    # ineq's Theil(parameter = 0) is Theil T, Theil(parameter = 1) the mean log deviation
    t_l = theil(df, "y").overall["index"].to_list()
    assert t_l[0] == pytest.approx(_num(ro, "ineq::Theil(x, parameter = 0)")[0], rel=RTOL)
    assert t_l[1] == pytest.approx(_num(ro, "ineq::Theil(x, parameter = 1)")[0], rel=RTOL)
    for eps in (0.25, 0.5, 1.0, 2.0):
        got = atkinson(df, "y", epsilon=eps).overall.item(0, "index")
        want = _num(ro, f"ineq::Atkinson(x, parameter = {eps})")[0]
        assert got == pytest.approx(want, rel=RTOL), eps
    for corr in (False, True):
        got = gini(df, "y", correction=corr).overall.item(0, "index")
        want = _num(ro, f"ineq::Gini(x, corr = {str(corr).upper()})")[0]
        assert got == pytest.approx(want, rel=RTOL), corr


@pytest.mark.r
@pytest.mark.parametrize("alpha", [-1.0, 0.0, 0.5, 1.0, 2.0])
def test_ic2_gei(alpha):
    ro = _r("IC2")
    df = _data()
    _put(ro, x=df["y"].to_numpy(), w=df["w"].to_numpy(), z=df["g"].to_numpy())
    res = generalized_entropy(df, "y", "g", weights="w", alpha=alpha)
    row = res.overall.row(0, named=True)
    ro.r(f"d <- IC2::decompGEI(x, factor(z), w, alpha = {alpha}, ELMO = FALSE)")
    assert row["index"] == pytest.approx(
        _num(ro, f"IC2::calcGEI(x, w, alpha = {alpha})$ineq$index")[0], rel=RTOL
    )
    assert row["within"] == pytest.approx(_num(ro, "d$decomp$within")[0], rel=RTOL)
    assert row["between"] == pytest.approx(_num(ro, "d$decomp$between")[0], rel=RTOL)
    assert res.detail["GE_j"].to_list() == pytest.approx(
        list(_num(ro, "d$intra$GEIGroups")), rel=RTOL
    )
    assert res.detail["contribution"].to_list() == pytest.approx(
        list(_num(ro, "d$intra$contribGEIGroups")), rel=RTOL
    )


@pytest.mark.r
@pytest.mark.parametrize("nu", [1.5, 2.0, 3.0])
def test_ic2_sgini_and_yitzhaki_lerman(nu):
    ro = _r("IC2")
    df = _data()
    _put(ro, x=df["y"].to_numpy(), w=df["w"].to_numpy(), z=df["g"].to_numpy())
    res = gini(df, "y", "g", weights="w", nu=nu)
    row = res.overall.row(0, named=True)
    want = _num(ro, f"IC2::calcSGini(x, w, param = {nu})$ineq$index")[0]
    assert row["index"] == pytest.approx(want, rel=LM_RTOL)
    ro.r(f'd <- IC2::decompSGini(x, factor(z), w, param = {nu}, decomp = "YL", ELMO = FALSE)')
    assert row["within"] == pytest.approx(_num(ro, "d$decomp$within")[0], rel=LM_RTOL)
    assert row["between"] == pytest.approx(_num(ro, "d$decomp$between")[0], rel=LM_RTOL)
    assert row["overlap"] == pytest.approx(_num(ro, "d$decomp$stratif")[0], rel=LM_RTOL, abs=1e-10)
    assert res.detail["G_j"].to_list() == pytest.approx(
        list(_num(ro, "d$intra$SGiniGroups")), rel=LM_RTOL
    )
    assert res.detail["S_j"].to_list() == pytest.approx(
        list(_num(ro, "d$stratif$stratifGroups")), rel=1e-8, abs=1e-10
    )


@pytest.mark.r
def test_ic2_concentration_is_the_source_term():
    """IC2's calcSConc(y_k, y) is the concentration coefficient G_k R_k of source k."""
    ro = _r("IC2")
    df = _data()
    comps = ["a", "b", "c"]
    total = sum(df[c].to_numpy() for c in comps)
    res = gini_sources(df, comps, weights="w", nu=3.0)
    for rec in res.detail.iter_rows(named=True):
        _put(ro, yk=df[rec["source"]].to_numpy(), tot=total, w=df["w"].to_numpy())
        conc = _num(ro, "IC2::calcSConc(yk, tot, w, param = 3)$ineq$index")[0]
        assert rec["G_k"] * rec["R_k"] == pytest.approx(conc, rel=LM_RTOL), rec["source"]


@pytest.mark.r
def test_dineq_weighted():
    ro = _r("dineq")
    df = _data()
    _put(ro, x=df["y"].to_numpy(), w=df["w"].to_numpy(), z=df["g"].to_numpy())
    t_l = theil(df, "y", "g", weights="w").overall
    assert t_l.item(0, "index") == pytest.approx(_num(ro, "dineq::theil.wtd(x, w)")[0], rel=RTOL)
    ro.r("d <- dineq::mld_decomp(x, z, w)")
    assert t_l.item(1, "index") == pytest.approx(_num(ro, "d$mld_decomp$mld_total")[0], rel=RTOL)
    assert t_l.item(1, "within") == pytest.approx(_num(ro, "d$mld_decomp$mld_within")[0], rel=RTOL)
    assert t_l.item(1, "between") == pytest.approx(
        _num(ro, "d$mld_decomp$mld_between")[0], rel=RTOL
    )
    ro.r("gd <- dineq::gini_decomp(x, z, w)")
    res = gini(df, "y", "g", weights="w")
    assert res.overall.item(0, "index") == pytest.approx(
        _num(ro, "gd$gini_decomp$gini_total")[0], rel=RTOL
    )
    assert res.detail["G_j"].to_list() == pytest.approx(
        list(_num(ro, "gd$gini_group$gini_group")), rel=RTOL
    )


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


def _all_measures(df, **kw):
    """Every number of every measure, as one flat list (for invariance checks)."""
    out = []
    for res in (
        theil(df, "y", "g", **kw),
        generalized_entropy(df, "y", "g", alpha=2.0, **kw),
        generalized_entropy(df, "y", "g", alpha=-0.5, **kw),
        atkinson(df, "y", epsilon=1.5, **kw),
        gini(df, "y", "g", **kw),
        gini(df, "y", "g", nu=3.0, **kw),
    ):
        out += [v for c in res.overall.columns if c not in ("ede", "mean") for v in res.overall[c]]
        if res.detail is not None:
            for c in res.detail.columns:
                if c not in ("group", "n", "mean"):
                    out += res.detail[c].to_list()
    src = gini_sources(df, ["a", "b", "c"], **kw).detail
    out += [v for c in ("S_k", "G_k", "R_k", "share") for v in src[c]]
    return np.array(out, dtype=float)


def test_scale_invariance():
    df = _data()
    base = _all_measures(df, weights="w")
    scaled = df.with_columns(pl.col("y", "a", "b", "c") * 1000.0, pl.col("w") * 7.0)
    assert _all_measures(scaled, weights="w") == pytest.approx(base, rel=RTOL, abs=ATOL)


def test_replication_invariance_and_weights_as_replication():
    df = _data(n=24, k=3)
    counts = np.random.default_rng(1).integers(1, 4, df.height)
    replicated = df.select(pl.all().gather(np.repeat(np.arange(df.height), counts)))
    weighted = df.with_columns(pl.Series("w", counts.astype(float)))
    assert _all_measures(weighted, weights="w") == pytest.approx(
        _all_measures(replicated), rel=RTOL, abs=ATOL
    )
    twice = pl.concat([df, df])
    assert _all_measures(twice) == pytest.approx(_all_measures(df), rel=RTOL, abs=ATOL)


def test_decompositions_sum_by_year():
    df = pl.concat([_data(seed=s).with_columns(year=pl.lit(2000 + s)) for s in range(3)])
    ge = theil(df, "y", "g", by="year", weights="w").overall
    assert (ge["within"] + ge["between"]).to_list() == pytest.approx(
        ge["index"].to_list(), rel=RTOL
    )
    assert ge.height == 6
    assert ge["year"].to_list() == [2000, 2001, 2002] * 2
    yl = gini(df, "y", "g", by="year").overall
    total = yl["within"] + yl["overlap"] + yl["between"]
    assert total.to_list() == pytest.approx(yl["index"].to_list(), rel=RTOL)
    res = gini(df, "y", "g", by="year")
    assert set(res.tables()) == {"overall", "groups", "period_mean"}
    pm = res.period_mean()
    assert pm.item(0, "index") == pytest.approx(float(yl["index"].mean()), rel=RTOL)
    assert pm.item(0, "periods") == 3


def test_sorted_formula_scales_to_large_n():
    # O(n log n): 10⁶ units in well under the time an n² double sum would take
    rng = np.random.default_rng(0)
    df = pl.DataFrame({"y": rng.lognormal(0, 1, 1_000_000)})
    g = gini(df, "y").overall.item(0, "index")
    assert g == pytest.approx(0.5205, abs=5e-3)  # lognormal σ=1: 2Φ(σ/√2) − 1 = 0.5205


# ---------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------


def test_bootstrap_reproducible_and_stratified():
    df = pl.concat([_data(seed=s).with_columns(year=pl.lit(2000 + s)) for s in range(2)])
    a = theil(df, "y", "g", by="year", weights="w", bootstrap=99, seed=5)
    b = theil(df, "y", "g", by="year", weights="w", bootstrap=99, seed=5)
    assert a.intervals.equals(b.intervals)
    iv = a.intervals
    assert set(iv["quantity"]) >= {"index", "within", "between", "GE_j[g0]"}
    assert (iv["lower"] <= iv["upper"]).all()
    assert (iv["B"] == 99).all()
    # the percentile interval of Theil T over 99 replicates holds its estimate here
    t = iv.filter((pl.col("quantity") == "index") & (pl.col("alpha") == 1.0))
    assert ((t["lower"] <= t["estimate"]) & (t["estimate"] <= t["upper"])).all()
    g = gini(df, "y", "g", by="year", bootstrap=50, seed=1).intervals
    assert {"index", "within", "overlap", "between", "O_j[g1]"} <= set(g["quantity"])
    s = gini_sources(df, ["a", "b"], by="year", bootstrap=50, seed=1).intervals
    assert {"index", "share[a]", "R_k[b]"} <= set(s["quantity"])


def test_bootstrap_draws_as_dagum():
    """One replicate rebuilt by hand from the draw order of nqpf.dagum (per group, in
    label order, rng.integers(0, n_j, size=(B, n_j)))."""
    df = _data(n=12, k=2)
    res = gini(df, "y", "g", bootstrap=1, seed=11)
    rng = np.random.default_rng(11)
    y, g = df["y"].to_numpy(), df["g"].to_numpy()
    picks = [
        y[g == lab][rng.integers(0, (g == lab).sum(), size=(1, (g == lab).sum()))[0]]
        for lab in ("g0", "g1")
    ]
    rebuilt = np.concatenate(picks)
    want = _gini_pairs(rebuilt, np.ones_like(rebuilt))
    iv = res.intervals.filter(pl.col("quantity") == "index")
    assert iv.item(0, "lower") == pytest.approx(want, rel=RTOL)


# ---------------------------------------------------------------------------
# Bad input: one line each
# ---------------------------------------------------------------------------


def _one_line(excinfo):
    msg = str(excinfo.value)
    assert "\n" not in msg
    return msg


def test_zero_value_for_log_measures_names_region_and_year():
    df = (
        _data()
        .with_columns(year=pl.lit(2010))
        .with_columns(pl.when(pl.col("region") == "r3").then(0.0).otherwise(pl.col("y")).alias("y"))
    )
    for call in (
        lambda: theil(df, "y", "g", by="year", region="region"),
        lambda: generalized_entropy(df, "y", by="year", region="region", alpha=-1.0),
        lambda: atkinson(df, "y", by="year", region="region", epsilon=1.0),
    ):
        with pytest.raises(InputError) as err:
            call()
        msg = _one_line(err)
        assert "'r3' in year=2010" in msg
        assert "row 4" in msg
        assert "positive" in msg
    # measures that admit zeros run
    generalized_entropy(df, "y", "g", alpha=1.0)
    atkinson(df, "y", epsilon=0.5)
    gini(df, "y", "g")


def test_bad_inputs_one_line():
    df = _data(n=9, k=3)
    one = df.with_columns(
        pl.when(pl.col("region") == "r0").then(pl.lit("solo")).otherwise("g").alias("g")
    )
    with pytest.raises(InputError, match="group 'solo' has one unit") as err:
        gini(one, "y", "g")
    _one_line(err)
    with pytest.raises(InputError, match="only 1 unit"):
        theil(df.head(1), "y")
    with pytest.raises(InputError, match="nu"):
        gini(df, "y", nu=1.0)
    with pytest.raises(InputError, match="nu"):
        InequalityOptions(nu=0.5)
    neg = df.with_columns(pl.when(pl.col("region") == "r2").then(-1.0).otherwise("w").alias("w"))
    with pytest.raises(InputError, match="negative weight") as err:
        gini(neg, "y", weights="w")
    assert "row 3" in _one_line(err)
    with pytest.raises(InputError, match="negative value"):
        gini(df.with_columns(y=-pl.col("y")), "y")
    with pytest.raises(InputError, match="correction"):
        gini(df, "y", "g", correction=True)
    with pytest.raises(InputError, match="at least 2 components"):
        gini_sources(df, ["a"])
    with pytest.raises(InputError, match="epsilon"):
        atkinson(df, "y", epsilon=-1.0)
    with pytest.raises(InputError):
        theil(df, "missing")


def test_dispatcher_and_result_protocol(tmp_path):
    df = _data()
    for measure in InequalityOptions.info("measure").choices:
        value = ["a", "b"] if measure == "sources" else "y"
        res = inequality(df, value, "g", measure=measure)
        text = res.summary()
        assert text.splitlines()[0]
        assert "overall" in text
        assert res.write(tmp_path / f"{measure}.xlsx").exists()
    sg = inequality(df, "y", measure="gini", nu=3.0).overall.item(0, "nu")
    assert sg == 2.0  # "gini" is the S-Gini with ν = 2


def test_correction_is_n_over_n_minus_1():
    df = _data(n=10)
    plain = gini(df, "y").overall.item(0, "index")
    assert gini(df, "y", correction=True).overall.item(0, "index") == pytest.approx(
        plain * 10 / 9, rel=RTOL
    )


def test_ranks_pairwise_helper_sanity():
    # the brute-force helpers agree with each other (a check on the references themselves)
    y = np.array([1.0, 2.0, 2.0, 5.0, 9.0])
    w = np.array([1.0, 2.0, 1.0, 1.0, 3.0])
    assert _sgini_sorted(y, w, 2.0) == pytest.approx(_gini_pairs(y, w), rel=RTOL)
    f = _cdf_mid(y, w, y)
    assert 2 * _cov(w, y, f) / ((w * y).sum() / w.sum()) == pytest.approx(
        _gini_pairs(y, w), rel=RTOL
    )


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------


def _panel_csv(tmp_path, zero: bool = False):
    df = pl.concat([_data(n=12, k=3, seed=s).with_columns(year=pl.lit(2000 + s)) for s in range(2)])
    if zero:
        df = df.with_columns(
            pl.when((pl.col("region") == "r5") & (pl.col("year") == 2001))
            .then(0.0)
            .otherwise(pl.col("y"))
            .alias("y")
        )
    path = tmp_path / "panel.csv"
    df.write_csv(path)
    return path, df


def test_cli_inequality(tmp_path, capsys):
    from nqpf.cli import main

    path, df = _panel_csv(tmp_path)
    out = tmp_path / "theil.xlsx"
    args = ["inequality", str(path), "--value", "y", "--group", "g", "--year", "year"]
    assert main([*args, "--out", str(out)]) == 0
    assert out.exists()
    assert "Generalised entropy (Theil) decomposition" in capsys.readouterr().out
    csv = tmp_path / "gini.csv"
    assert main([*args, "--measure", "gini", "--weights", "w", "--out", str(csv)]) == 0
    written = pl.read_csv(csv)
    want = gini(df, "y", "g", by="year", weights="w").overall
    assert written["index"].to_list() == pytest.approx(want["index"].to_list(), rel=1e-12)
    src = ["inequality", str(path), "--value", "a,b,c", "--year", "year", "--measure", "sources"]
    assert main(src) == 0
    assert "Lerman–Yitzhaki" in capsys.readouterr().out
    assert main([*args, "--measure", "sgini", "--nu", "3", "--bootstrap", "20", "--seed", "1"]) == 0


def test_cli_inequality_bad_input_is_one_line(tmp_path, capsys):
    from nqpf.cli import main

    path, _ = _panel_csv(tmp_path, zero=True)
    args = ["inequality", str(path), "--value", "y", "--year", "year", "--region", "region"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "'r5' in year=2001" in err
    assert "row 19" in err  # the file's row: header is row 1, the unit is data row 18
    assert main([*args, "--measure", "atkinson", "--epsilon", "0.5"]) == 0
    capsys.readouterr()
    assert main([*args, "--measure", "sgini", "--nu", "1"]) == 2
    assert "nu" in capsys.readouterr().err


def test_a_by_column_named_like_an_output_keeps_its_name():
    df = pl.concat([_data(n=8, k=2, seed=s).with_columns(index=pl.lit(s)) for s in range(2)])
    res = theil(df, "y", "g", by="index")
    assert res.overall["index"].to_list() == [0, 1, 0, 1]
    want = theil(df.rename({"index": "t"}), "y", "g", by="t").overall["index"].to_list()
    assert res.overall["nqpf_index"].to_list() == want


def test_pysal_atkinson_documented_example():
    """inequality.atkinson.atkinson docstring (PySAL inequality 1.1): incomes 10…50,
    printed to 5 decimals; and the live function on other data."""
    df = pl.DataFrame({"y": [10.0, 20, 30, 40, 50]})
    assert atkinson(df, "y", epsilon=0.5).overall.item(0, "index") == pytest.approx(
        0.06315, abs=5e-6
    )
    assert atkinson(df, "y", epsilon=1.0).overall.item(0, "index") == pytest.approx(
        0.13161, abs=5e-6
    )
    pysal_atkinson = pytest.importorskip("inequality.atkinson").atkinson
    data = _data()
    for eps in (0.0, 0.5, 1.0, 2.5):
        want = pysal_atkinson(data["y"].to_numpy(), eps)
        assert atkinson(data, "y", epsilon=eps).overall.item(0, "index") == pytest.approx(
            want, rel=RTOL, abs=ATOL
        )


# ---------------------------------------------------------------------------
# Report section
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
def test_report_section(language):
    import nqpf
    from nqpf.options import ReportOptions
    from nqpf.report.sections import Context, _dimension_contributions, inequality_section

    panel, spec = nqpf.load_pwt()
    result = nqpf.entropy_topsis(panel, spec, keep=["continent"], method="linear")
    ctx = Context.of(
        result, ReportOptions(language=language), group="continent", validation=None, progress=None
    )
    part = inequality_section(ctx)
    names = [t.name for t in part.tables]
    assert names == ["theil_continent", "gini_sources"]
    theil_table = part.tables[0].frame
    want = theil(result.scores, "score", "continent", by="year").overall
    t = want.filter(pl.col("alpha") == 1.0)
    assert theil_table["T"].to_list() == pytest.approx(t["index"].to_list(), rel=RTOL)
    assert theil_table["L_between"].to_list() == pytest.approx(
        want.filter(pl.col("alpha") == 0.0)["between"].to_list(), rel=RTOL
    )
    # with the linear index the dimensions' W_d·D_d add up to the score itself
    frame, cols = _dimension_contributions(ctx)
    total = frame.select(pl.sum_horizontal(cols)).to_series()
    assert total.to_list() == pytest.approx(frame["score"].to_list(), rel=1e-12)
    sources = part.tables[1].frame
    assert sources["share"].sum() == pytest.approx(1.0, rel=RTOL)
    assert sources["dimension"].to_list() == list(result.dimension_columns)
    assert len(part.lines) == 2
    assert not part.not_run


def test_gini_by_dimension_is_gini_sources_of_the_weighted_dimension_scores():
    import nqpf
    from nqpf.inequality import dimension_contributions, gini_by_dimension

    panel, spec = nqpf.load_pwt()
    for scope in ("panel", "year"):
        result = nqpf.entropy_topsis(panel, spec, method="linear", scope=scope)
        frame, names = dimension_contributions(result)
        assert list(names.values()) == list(result.dimension_columns)
        # W_d·D_d built here from the result's own tables, the weight of the row's year
        weights = result.dimension_weights
        for name, dim in names.items():
            rows = weights.filter(pl.col("dimension") == dim)
            if scope == "year":
                w = dict(zip(rows["year"], rows[result.weight_column], strict=True))
                want = [
                    w[y] * d
                    for y, d in zip(
                        frame["year"], frame[result.dimension_columns[dim]], strict=True
                    )
                ]
            else:
                want = (
                    frame[result.dimension_columns[dim]] * rows[result.weight_column][0]
                ).to_list()
            assert frame[name].to_list() == pytest.approx(want, rel=1e-15)
        # linear index: the contributions add up to the score
        total = frame.select(pl.sum_horizontal(list(names))).to_series()
        assert total.to_list() == pytest.approx(frame["score"].to_list(), rel=1e-12)
        res = gini_by_dimension(result, nu=3.0)
        direct = gini_sources(frame, list(names), by="year", nu=3.0)
        assert res.overall.equals(direct.overall)
        assert res.detail["source"].to_list() == [
            names[s] for s in direct.detail["source"].to_list()
        ]
        assert res.detail.drop("source").equals(direct.detail.drop("source"))
        per_year = res.detail.group_by("year").agg(pl.col("C_k").sum()).sort("year")
        assert per_year["C_k"].to_list() == pytest.approx(res.overall["index"].to_list(), rel=1e-12)


def test_gini_by_dimension_names_the_dimensions_in_intervals_and_needs_two():
    import nqpf
    from nqpf.inequality import gini_by_dimension

    panel, spec = nqpf.load_pwt()
    result = nqpf.entropy_topsis(panel, spec)
    res = gini_by_dimension(result, bootstrap=19, seed=1)
    dims = set(result.dimension_columns)
    shown = {q.split("[", 1)[1].rstrip("]") for q in res.intervals["quantity"] if "[" in q}
    assert shown == dims
    one = nqpf.IndicatorSpec.from_records(
        [
            {"indicator": i.name, "dimension": "all", "direction": i.direction}
            for i in spec.indicators
        ]
    )
    with pytest.raises(InputError, match="at least 2 dimensions"):
        gini_by_dimension(nqpf.entropy_topsis(panel, one))
