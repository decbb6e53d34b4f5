"""Global and local spatial statistics (nqpf.moran, geary, getis_ord_g, local_moran,
local_g) against esda and spdep, on real data shipped inside libpysal (Columbus
crime, 49 neighbourhoods; US per-capita income, 48 states × 81 years), and their
permutation inference against the exact permutation distribution of a tiny n.

Tolerances (ε = 2⁻⁵² ≈ 2.2e-16):

- ``RTOL`` = 1e-10 for every analytic quantity against spdep and esda. Each is a closed
  form of sums of at most n·k ≈ 300 terms (k neighbours) of well-scaled numbers (the
  values are centred before squaring), so two summation orders differ by ≲ n·k·ε·κ
  with κ, the cancellation in the sum, ≤ 10³ here (Moran's z'Wz of positively
  autocorrelated data has no cancellation; the largest is Getis–Ord's
  Var[G] = (B-moments)/(…) − E[G]², κ ≈ E[G]²/Var[G] ≈ 10³ on the 48 states):
  ≲ 1e-10. Observed: ≤ 1e-12 for Var[G] and its z, ≤ 1e-13 for the p-values,
  ≤ 5e-15 for everything else (all 81 years). A quantity that is near 0 for some regions (z-scores,
  E[I_i] of a region at the mean) is compared relative to the largest |value| of its
  year, its natural scale;
- permutation p-values are random: the same seed must give the same p exactly, and
  p_sim must lie within 5 binomial standard deviations of the exact p (all 720
  permutations of n = 6 enumerated), a false alarm of 6e-7 per comparison.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.errors import InputError
from nqpf.spatial import from_matrix, from_neighbours, quadrants
from nqpf.spatial.autocorrelation import (
    geary_stats,
    getis_ord_stats,
    moran_stats,
    p_sim,
)
from nqpf.spatial.local import local_g_stats, local_moran_stats, star_weights

libpysal = pytest.importorskip("libpysal", reason="libpysal is not installed (the spatial extra)")
esda = pytest.importorskip("esda", reason="esda is not installed (the spatial extra)")

# Analytic statistics against spdep/esda (module docstring).
RTOL = 1e-10
EXAMPLES = Path(libpysal.__file__).parent / "examples"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "peer"


def _gal_weights(path: Path):
    gal = libpysal.io.open(str(path)).read()
    return gal, from_neighbours({str(k): [str(v) for v in gal.neighbors[k]] for k in gal.id_order})


@pytest.fixture(scope="module")
def columbus():
    folder = EXAMPLES / "columbus"
    if not (folder / "columbus.gal").is_file():
        pytest.skip("libpysal's Columbus example is not installed")
    gal, w = _gal_weights(folder / "columbus.gal")
    db = libpysal.io.open(str(folder / "columbus.dbf"))
    crime = np.asarray(db.by_col("CRIME"), dtype=float)
    frame = pl.DataFrame({"region": [str(i) for i in gal.id_order], "crime": crime})
    return gal, w, frame


@pytest.fixture(scope="module")
def states():
    """48 US states, per-capita income 1929–2009 (libpysal's us_income)."""
    folder = EXAMPLES / "us_income"
    if not (folder / "states48.gal").is_file():
        pytest.skip("libpysal's us_income example is not installed")
    gal, w = _gal_weights(folder / "states48.gal")
    raw = pl.read_csv(folder / "usjoin.csv")
    years = [c for c in raw.columns if c.isdigit()]
    long = raw.with_row_index("pos").unpivot(index=["pos", "Name"], on=years)
    frame = long.select(
        pl.col("pos").cast(pl.String).alias("state"),
        pl.col("variable").cast(pl.Int64).alias("year"),
        pl.col("value").cast(pl.Float64).alias("income"),
    )
    return gal, w, frame


def rel(a, b, floor=0.0):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), floor)))


def _esda_w(gal, style):
    w = libpysal.weights.W(gal.neighbors, gal.weights, id_order=gal.id_order)
    w.transform = style
    return w


# ---------------------------------------------------------------------------
# against esda


def test_moran_equals_esda(columbus):
    gal, w, frame = columbus
    y = frame["crime"].to_numpy()
    m = esda.Moran(y, _esda_w(gal, "r"), permutations=0)
    for randomisation, var, z in ((True, m.VI_rand, m.z_rand), (False, m.VI_norm, m.z_norm)):
        row = nqpf.moran(frame, "crime", "region", w=w, randomisation=randomisation, seed=1).table
        assert rel(row["I"], m.I) <= RTOL
        assert rel(row["expected"], m.EI) <= RTOL
        assert rel(row["variance"], var) <= RTOL
        assert rel(row["z"], z) <= RTOL


def test_geary_equals_esda_with_spdeps_sign(columbus):
    gal, w, frame = columbus
    g = esda.Geary(frame["crime"].to_numpy(), _esda_w(gal, "r"), permutations=0)
    row = nqpf.geary(frame, "crime", "region", w=w, permutations=0).table
    assert rel(row["C"], g.C) <= RTOL
    assert rel(row["variance"], g.VC_rand) <= RTOL
    # esda's z is (C − 1)/se, spdep's (1 − C)/se: positive autocorrelation, positive z
    assert rel(row["z"], -g.z_rand) <= RTOL
    assert row["z"][0] > 0


def test_getis_ord_equals_esda(columbus):
    gal, w, frame = columbus
    g = esda.G(frame["crime"].to_numpy(), _esda_w(gal, "b"), permutations=0)
    row = nqpf.getis_ord_g(frame, "crime", "region", w=w, permutations=0).table
    assert rel(row["G"], g.G) <= RTOL
    assert rel(row["expected"], g.EG) <= RTOL
    assert rel(row["variance"], g.VG) <= RTOL
    assert rel(row["z"], g.z_norm) <= RTOL


def test_local_moran_equals_esda(columbus):
    gal, w, frame = columbus
    y = frame["crime"].to_numpy()
    n = y.size
    lm = esda.Moran_Local(y, _esda_w(gal, "r"), permutations=0)
    t = nqpf.local_moran(frame, "crime", "region", w=w, permutations=0).table
    # esda divides by Σz²/(n − 1), spdep (and nqpf) by Σz²/n
    assert rel(t["Ii"], lm.Is * n / (n - 1), floor=np.abs(lm.Is).max()) <= RTOL
    assert t["quadrant"].to_list() == [("HH", "LH", "LL", "HL")[q - 1] for q in lm.q]
    aligned = w.align(frame["region"].to_list())  # quadrants() takes values in W's order
    assert t["quadrant"].to_list() == quadrants(y, aligned).tolist()


@pytest.mark.parametrize("star", [False, True])
def test_local_g_equals_esda(columbus, star):
    gal, w, frame = columbus
    y = frame["crime"].to_numpy()
    g = esda.G_Local(y, _esda_w(gal, "b"), transform="B", star=star, permutations=0)
    t = nqpf.local_g(frame, "crime", "region", w=w, star=star, permutations=0).table
    assert rel(t["G"], g.Gs) <= RTOL
    assert rel(t["z"], g.Zs, floor=np.abs(g.Zs).max()) <= RTOL


# ---------------------------------------------------------------------------
# by year: the panel, output names, bad input


def test_moran_by_year_is_each_years_cross_section(states):
    _, w, frame = states
    result = nqpf.moran(frame, "income", "state", "year", w=w, permutations=0)
    table = result.table
    assert table.columns == ["year", "I", "expected", "variance", "z", "p_norm", "p_sim"]
    assert table["year"].to_list() == sorted(set(frame["year"].to_list()))
    assert table["p_sim"].null_count() == table.height
    one = frame.filter(pl.col("year") == 1990)
    alone = nqpf.moran(one, "income", "state", w=w, permutations=0).table
    assert alone.columns == ["I", "expected", "variance", "z", "p_norm", "p_sim"]
    assert alone["I"][0] == table.filter(pl.col("year") == 1990)["I"][0]
    assert set(result.tables()) == {"moran"}
    assert "Moran's I" in result.summary()


def test_rows_in_any_order_give_the_same_numbers(states):
    _, w, frame = states
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=3)
    a = nqpf.local_moran(frame, "income", "state", "year", w=w, permutations=0).table
    b = nqpf.local_moran(shuffled, "income", "state", "year", w=w, permutations=0).table
    key = ["year", "state"]
    a, b = a.sort(key), b.sort(key)
    assert a.select(key, "quadrant").equals(b.select(key, "quadrant"))
    # another order of the regions sums z'Wz in another order: equal to rounding
    for column in ("Ii", "E_Ii", "var_Ii", "z"):
        assert rel(b[column], a[column], floor=a[column].abs().max()) <= 1e-13


def test_user_columns_named_like_outputs_are_kept(columbus):
    _, w, frame = columbus
    clash = frame.rename({"region": "Ii", "crime": "z"}).with_columns(p_sim=pl.lit(1))
    t = nqpf.local_moran(clash, "z", "Ii", w=w, permutations=9, seed=1)
    assert t.table.columns[:3] == ["Ii", "nqpf_Ii", "E_Ii"]
    assert t.columns["Ii"] == "nqpf_Ii"
    assert t.table["Ii"].to_list() == frame["region"].to_list()
    years = pl.DataFrame(
        {"I": [1] * 4 + [2] * 4, "r": list("abcdabcd"), "v": [1.0, 2, 4, 3, 3, 1, 2, 5]}
    )
    ring = from_neighbours({"a": ["b"], "b": ["c"], "c": ["d"], "d": ["a"]})
    g = nqpf.moran(years, "v", "r", "I", w=ring, permutations=0)
    assert g.table.columns[:2] == ["I", "nqpf_I"]
    assert g.table["I"].to_list() == [1, 2]
    tri = from_neighbours({"a": ["b"], "b": ["c"], "c": ["a"]})
    with pytest.raises(InputError, match="at least 4 regions"):
        nqpf.moran(years.filter(pl.col("r") != "d"), "v", "r", "I", w=tri)


def test_a_region_missing_in_a_year_is_named_with_the_year(states):
    _, w, frame = states
    gap = frame.filter(~((pl.col("state") == "7") & (pl.col("year") == 1950)))
    with pytest.raises(InputError, match=r"no rows in year 1950: '7'"):
        nqpf.moran(gap, "income", "state", "year", w=w)


def test_bad_input_is_one_line(columbus):
    _, w, frame = columbus
    cases = [
        (frame.with_columns(pl.col("crime").cast(pl.String).str.replace("^1", "x")), "non-numeric"),
        (frame.with_columns(crime=pl.when(pl.col("region") == "3").then(None).otherwise("crime")), "missing"),
        (frame.with_columns(crime=pl.lit(2.0)), "constant"),
        (frame.with_columns(region=pl.col("region").replace("3", "99")), "not in the spatial weights"),
        (pl.concat([frame, frame.head(1)]), "duplicate"),
    ]  # fmt: skip
    for bad, words in cases:
        with pytest.raises(InputError, match=words) as info:
            nqpf.moran(bad, "crime", "region", w=w)
        assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="SpatialWeights"):
        nqpf.moran(frame, "crime", "region", w={"1": ["2"]})
    with pytest.raises(InputError, match="negative"):
        nqpf.getis_ord_g(frame.with_columns(crime=pl.col("crime") - 20), "crime", "region", w=w)
    for option in ({"permutations": -1}, {"alternative": "up"}, {"style": "W"}, {"seed": -2}):
        with pytest.raises(InputError):
            nqpf.moran(frame, "crime", "region", w=w, **option)


def test_islands_are_refused_or_kept_as_spdeps_zero_policy():
    w = from_neighbours({"a": ["b"], "b": ["c"], "c": ["e"], "d": [], "e": ["a"]})
    frame = pl.DataFrame({"r": list("abcde"), "v": [1.0, 3.0, 2.0, 8.0, 5.0]})
    with pytest.raises(InputError, match=r"no neighbour.*'d'"):
        nqpf.moran(frame, "v", "r", w=w)
    kept = nqpf.local_moran(frame, "v", "r", w=w, islands="keep", permutations=19, seed=2)
    island = kept.table.filter(pl.col("r") == "d")
    assert island["cluster"][0] is None  # no data on a cluster map
    assert island["z"][0] is None
    assert island["p_sim"][0] is None
    # n' = 4 regions with a neighbour: E[I] = −1/(n' − 1)
    row = nqpf.moran(frame, "v", "r", w=w, islands="keep", permutations=0).table
    assert row["expected"][0] == pytest.approx(-1.0 / 3.0, rel=1e-15)


# ---------------------------------------------------------------------------
# permutation inference: reproducible, and right against the exact distribution

SIX = np.array([3.0, 1.0, 4.0, 1.5, 5.0, 9.0])
RING = np.array(  # a 6-ring with one chord: unequal weights after row-standardising
    [
        [0, 1, 0, 0, 0, 1],
        [1, 0, 1, 0, 0, 0],
        [0, 1, 0, 1, 0, 1],
        [0, 0, 1, 0, 1, 0],
        [0, 0, 0, 1, 0, 1],
        [1, 0, 1, 0, 1, 0],
    ],
    dtype=float,
)


def _within(p, exact, b):
    sd = math.sqrt(max(exact * (1 - exact), 1.0 / b) / b)
    return abs(p - exact) <= 5 * sd + 1.0 / (b + 1)


def _exact_global(stat, alternative):
    """P(T_perm ≥ T_obs) over all 720 permutations (T = I, −C or G), ties at 1e-12."""
    observed = stat(SIX)
    perms = [stat(SIX[list(p)]) for p in itertools.permutations(range(6))]
    perms = np.asarray(perms)
    above = np.mean(perms >= observed - 1e-12)
    below = np.mean(perms <= observed + 1e-12)
    return above if alternative == "greater" else below


def _moran_dense(x, w):
    z = x - x.mean()
    return x.size / w.sum() * (z @ w @ z) / (z @ z)


def _geary_dense(x, w):
    z = x - x.mean()
    d = (z[:, None] - z[None, :]) ** 2
    return -(x.size - 1) * (w * d).sum() / (2 * w.sum() * (z @ z))


def _g_dense(x, w):
    return (x @ w @ x) / (x.sum() ** 2 - (x**2).sum())


@pytest.mark.parametrize(
    ("compute", "dense", "style"),
    [(moran_stats, _moran_dense, "r"), (geary_stats, _geary_dense, "r"), (getis_ord_stats, _g_dense, "b")],
)  # fmt: skip
def test_global_p_sim_matches_the_exact_permutation_distribution(compute, dense, style):
    w = from_matrix(RING, list("abcdef")).transform(style)
    matrix = w.dense()
    b = 20000
    for alternative in ("greater", "less"):
        exact = _exact_global(lambda x: dense(x, matrix), alternative)
        got = compute(
            SIX, w.sparse, permutations=b, rng=np.random.default_rng(7), alternative=alternative
        )
        assert _within(got["p_sim"], exact, b), (alternative, got["p_sim"], exact)


def test_local_p_sim_matches_the_exact_conditional_distribution():
    w = from_matrix(RING, list("abcdef")).transform("r")
    matrix = w.dense()
    b = 20000
    z = SIX - SIX.mean()
    m2 = (z @ z) / 6
    got = local_moran_stats(
        SIX, w.sparse, permutations=b, rng=np.random.default_rng(11), alternative="greater"
    )
    for i in range(6):
        nbrs = np.flatnonzero(matrix[i])
        others = [j for j in range(6) if j != i]
        observed = z[i] / m2 * (matrix[i] @ z)
        sims = []
        for pick in itertools.permutations(others, len(nbrs)):
            sims.append(z[i] / m2 * (matrix[i, nbrs] @ z[list(pick)]))
        exact = float(np.mean(np.asarray(sims) >= observed - 1e-12))
        assert _within(got["p_sim"][i], exact, b), (i, got["p_sim"][i], exact)


@pytest.mark.parametrize("alternative", ["greater", "two.sided"])
@pytest.mark.parametrize("values", [SIX, SIX.max() + 1.0 - SIX], ids=["six", "reversed"])
def test_local_g_star_p_sim_matches_the_exact_conditional_distribution(alternative, values):
    """Gi* on a 6-ring with a chord: few neighbours, so 1 in C(5, k) = 10 % of the draws tie
    the observed value; the folded two-sided p counts the ties on both sides (with the
    reversed values region f's Gi* is the lowest possible, P(≤) = 0.1: a folded p that
    left the ties out would be 1/(B + 1))."""
    w = from_matrix(RING, list("abcdef"))
    star = star_weights(w.sparse, "b")
    dense = star.toarray()
    b = 20000
    got = local_g_stats(
        values,
        star,
        star=True,
        permutations=b,
        rng=np.random.default_rng(5),
        alternative=alternative,
    )
    for i in range(6):
        nbrs = [j for j in np.flatnonzero(dense[i]) if j != i]
        others = [j for j in range(6) if j != i]
        observed = (dense[i] @ values) / values.sum()
        sims = np.asarray(
            [
                (values[i] + values[list(p)].sum()) / values.sum()
                for p in itertools.permutations(others, len(nbrs))
            ]
        )
        above = float(np.mean(sims >= observed - 1e-12))
        below = float(np.mean(sims <= observed + 1e-12))
        exact = above if alternative == "greater" else min(above, below)
        assert _within(got["p_sim"][i], exact, b), (i, got["p_sim"][i], exact)


def test_the_same_seed_gives_the_same_p_and_blocks_do_not_matter(states, monkeypatch):
    _, w, frame = states
    some = frame.filter(pl.col("year") >= 2000)
    a = nqpf.moran(some, "income", "state", "year", w=w, seed=42, permutations=199).table
    b = nqpf.moran(some, "income", "state", "year", w=w, seed=42, permutations=199).table
    assert a.equals(b)
    la = nqpf.local_moran(some, "income", "state", "year", w=w, seed=42, permutations=199).table
    import nqpf.spatial.autocorrelation as ac

    monkeypatch.setattr(ac, "BLOCK_BYTES", 8 * 48 * 7)  # 7 permutations per block
    assert nqpf.moran(some, "income", "state", "year", w=w, seed=42, permutations=199).table.equals(
        a
    )
    lb = nqpf.local_moran(some, "income", "state", "year", w=w, seed=42, permutations=199).table
    assert la.equals(lb)
    c = nqpf.moran(some, "income", "state", "year", w=w, seed=43, permutations=199).table
    assert not c.equals(a) or c["p_sim"].min() == 1 / 200


def test_p_sim_rules():
    assert p_sim(0, 999, 999, "greater") == pytest.approx(1 / 1000)
    assert p_sim(999, 1, 999, "less") == pytest.approx(2 / 1000)
    assert p_sim(700, 300, 999, "two.sided") == pytest.approx(301 / 1000)
    # every permutation ties or exceeds the observed value: not significant either way
    assert p_sim(999, 240, 999, "two.sided") == pytest.approx(241 / 1000)
    assert np.isnan(p_sim(0, 0, 0, "greater"))


def test_clusters_are_significant_quadrants(columbus):
    _, w, frame = columbus
    t = nqpf.local_moran(frame, "crime", "region", w=w, seed=1, alpha=0.05).table
    sig = t.filter(pl.col("p_sim") < 0.05)
    assert (sig["cluster"] == sig["quadrant"]).all()
    assert (t.filter(pl.col("p_sim") >= 0.05)["cluster"] == "not significant").all()
    assert sig.height > 0
    g = nqpf.local_g(frame, "crime", "region", w=w, star=True, seed=1).table
    hot = g.filter(pl.col("spot") == "hot")
    assert hot.height > 0
    assert (hot["z"] > 0).all()


# ---------------------------------------------------------------------------
# against spdep (R), live through nqpf.rbridge


@pytest.fixture(scope="module")
def spdep():
    from nqpf import rbridge

    reason = rbridge.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    if rbridge.package_version("spdep") is None:
        pytest.skip("R package spdep is not installed (Debian: apt-get install r-cran-spdep)")
    return rbridge


@pytest.mark.r
@pytest.mark.parametrize(
    ("name", "compute", "style"),
    [("moran", moran_stats, "r"), ("moran", moran_stats, "b"), ("geary", geary_stats, "r"), ("G", getis_ord_stats, "b")],
)  # fmt: skip
def test_global_statistics_equal_spdep_on_48_states(spdep, states, name, compute, style):
    _, w, frame = states
    worst = 0.0
    for year in (1929, 1960, 2009):
        x = frame.filter(pl.col("year") == year)["income"].to_numpy()
        for randomisation in (True, False) if name != "G" else (True,):
            kw = {} if name == "G" else {"randomisation": randomisation}
            ours = compute(x, w.transform(style).sparse, **kw)
            theirs = spdep.spdep_global(name, x, w, style, **kw)
            for a, b in (
                ("value", "value"),
                ("expected", "expected"),
                ("variance", "variance"),
                ("z", "z"),
                ("p_norm", "p"),
            ):
                worst = max(worst, rel(ours[a], theirs[b]))
    assert worst <= RTOL


@pytest.mark.r
def test_local_statistics_equal_spdep_on_48_states(spdep, states):
    _, w, frame = states
    x = frame.filter(pl.col("year") == 1980)["income"].to_numpy()
    ours = local_moran_stats(x, w.transform("r").sparse)
    theirs = spdep.spdep_localmoran(x, w, "r")
    for a, b in (("Ii", "Ii"), ("E_Ii", "E_Ii"), ("var_Ii", "var_Ii"), ("z", "z")):
        assert rel(ours[a], theirs[b], floor=np.abs(theirs[b]).max()) <= RTOL, a
    assert rel(ours["p_norm"], theirs["p"]) <= RTOL
    for star in (False, True):
        for style in ("b", "r"):
            matrix = star_weights(w.sparse, style) if star else w.transform(style).sparse
            ours = local_g_stats(x, matrix, star=star)
            theirs = spdep.spdep_localg(x, w, style, star=star)
            for k in ("G", "E_G", "var_G", "z"):
                assert rel(ours[k], theirs[k], floor=np.abs(theirs[k]).max()) <= RTOL, (
                    star,
                    style,
                    k,
                )


@pytest.mark.r
def test_islands_kept_equal_spdeps_zero_policy(spdep):
    w = from_neighbours(
        {
            "a": ["b", "e"],
            "b": ["c"],
            "c": ["d", "f"],
            "d": [],
            "e": ["f"],
            "f": ["a"],
            "g": ["a", "c"],
        }
    )
    x = np.array([1.0, 3.0, 2.0, 8.0, 5.0, 4.5, 7.0])
    for name, compute, style in (
        ("moran", moran_stats, "r"),
        ("geary", geary_stats, "r"),
        ("G", getis_ord_stats, "b"),
    ):
        ours = compute(x, w.transform(style).sparse)
        theirs = spdep.spdep_global(name, x, w, style)
        assert rel(ours["value"], theirs["value"]) <= RTOL
        assert rel(ours["variance"], theirs["variance"]) <= RTOL


@pytest.mark.r
def test_spdep_moran_mc_counts_one_permutation_fewer(spdep, columbus):
    """Documented in nqpf.spatial.autocorrelation: spdep's moran.mc p is max(k, 1)/(B + 1)
    where nqpf's (and the brief's) is (1 + k)/(B + 1), k = #{I_perm ≥ I_obs}."""
    _, w, frame = columbus
    x = np.random.default_rng(3).normal(size=frame.height)
    got = spdep.spdep_moran_mc(x, w, "r", nsim=99, seed=1)
    k = int(np.sum(got["res"][:-1] >= got["res"][-1]))
    assert k > 0
    assert got["p"] == pytest.approx(k / 100, rel=1e-12)
    assert p_sim(k, 0, 99, "greater") == pytest.approx((k + 1) / 100)


@pytest.mark.r
def test_crossval_spatial_rows_all_agree(spdep, states):
    from nqpf.crossval.spatial import validate_spatial

    _, w, frame = states
    some = frame.filter(pl.col("year").is_in([1929, 1970, 2009]))
    table = validate_spatial(some, "income", "state", "year", w=w)
    compared = table.filter(pl.col("status") == "compared")
    assert compared.height >= 30
    assert compared["ok"].all(), compared.filter(~pl.col("ok"))
    assert set(compared["routine"]) == {
        "spdep::moran.test",
        "spdep::geary.test",
        "spdep::globalG.test",
        "spdep::localmoran",
        "spdep::localG",
        # the section's spatial β-convergence rows (tests/test_crossval.py)
        "spatialreg::lagsarlm",
        "spatialreg::errorsarlm",
        'spatialreg::lagsarlm(type="mixed")',
    }


@pytest.mark.skipif(not (SHARED / "states48.gal").is_file(), reason="../shared is absent")
def test_shared_states_copy_gives_the_same_moran(states):
    _, w_pkg, frame = states
    _, w_shared = _gal_weights(SHARED / "states48.gal")
    a = nqpf.moran(frame, "income", "state", "year", w=w_pkg, permutations=0).table
    b = nqpf.moran(frame, "income", "state", "year", w=w_shared, permutations=0).table
    assert a.equals(b)


SPDEP_ROUTINES = [
    "spdep::moran.test",
    "spdep::geary.test",
    "spdep::globalG.test",
    "spdep::localmoran",
    "spdep::localG",
]


@pytest.mark.r
def test_validate_compares_the_index_scores_spatial_statistics(spdep, states):
    _, w, frame = states
    some = frame.filter(pl.col("year").is_in([1990, 2000]))
    rng = np.random.default_rng(0)
    panel = some.with_columns(
        jobs=pl.Series(rng.uniform(1, 2, some.height)), year=pl.col("year").cast(pl.Int64)
    ).rename({"state": "region"})
    report = nqpf.validate(panel, routines=SPDEP_ROUTINES, spatial_weights=w)
    rows = report.table.filter(pl.col("routine").str.starts_with("spdep"))
    assert set(rows["routine"]) == set(SPDEP_ROUTINES)
    assert (rows["status"] == "compared").all()
    assert rows["ok"].all()
    without = nqpf.validate(panel, routines=SPDEP_ROUTINES)
    skipped = without.table.filter(pl.col("routine").str.starts_with("spdep"))
    assert (skipped["status"] == "skipped").all()
    assert skipped["note"].str.contains("no spatial weights").all()


def test_the_tables_draw_cluster_and_hot_spot_maps(tmp_path):
    """local_moran's cluster column and local_g's z / p_sim feed the maps as they are."""
    from nqpf.spatial import cluster_map, contiguity, hotspot_map

    w = contiguity("china-provinces")
    rng = np.random.default_rng(4)
    frame = pl.DataFrame({"province": list(w.ids), "score": rng.uniform(0.1, 0.9, w.n)})
    lisa = nqpf.local_moran(frame, "score", "province", w=w, seed=1)
    cluster_map(lisa.table, "cluster", region="province").save(tmp_path / "lisa.svg")
    hot = nqpf.local_g(frame, "score", "province", w=w, star=True, seed=1)
    hotspot_map(hot.table, "z", p="p_sim", region="province").save(tmp_path / "hot.svg")
    assert (tmp_path / "lisa.svg").stat().st_size > 0
    assert (tmp_path / "hot.svg").stat().st_size > 0


@pytest.mark.r
def test_china_provinces_rd_expenditure_equals_spdep(spdep, shared_china):
    """Real data: R&D expenditure of the 31 provinces by year, on the built-in
    contiguity (Hainan linked to Guangdong), every statistic against spdep."""
    from nqpf.crossval import validate_spatial
    from nqpf.spatial import contiguity

    data = pl.read_csv(shared_china).filter(
        (pl.col("indicator") == "rd_expenditure") & (pl.col("province") != "China (national)")
    )
    table = validate_spatial(data, "value", "province", "year", w=contiguity("china-provinces"))
    compared = table.filter(pl.col("status") == "compared")
    assert set(compared["routine"]) >= set(SPDEP_ROUTINES)
    assert compared["ok"].all(), compared.filter(~pl.col("ok"))
    moran = nqpf.moran(data, "value", "province", "year", w=contiguity("china-provinces"), seed=1)
    assert moran.table.height == data["year"].n_unique()


# ---------------------------------------------------------------------------
# a statistic that cannot vary: every region neighbours every other with one weight


def _complete(n):
    return np.ones((n, n)) - np.eye(n)


@pytest.mark.parametrize("n", [5, 12, 31])
@pytest.mark.parametrize("style", ["b", "r"])
def test_a_statistic_that_cannot_vary_has_no_z(n, style):
    """On the complete graph every arrangement of the values gives the same I, C, G and
    the same local statistics: their variance is 0 in exact arithmetic, and in floating
    point a ±1e-17 that turned into z = ±inf, p = 0 or 1, or a z of rounding noise.
    Now z and p_norm are NaN and the variance is 0 (standard_score)."""
    from scipy import sparse

    dense = _complete(n)
    if style == "r":
        dense = dense / dense.sum(axis=1, keepdims=True)
    w = sparse.csr_array(dense)
    x = np.random.default_rng(n).uniform(1.0, 2.0, n)
    for compute in (moran_stats, geary_stats, getis_ord_stats):
        got = compute(x, w, permutations=99, rng=np.random.default_rng(0))
        assert math.isnan(got["z"]), (compute.__name__, got)
        assert math.isnan(got["p_norm"]), (compute.__name__, got)
        assert got["variance"] == 0.0, (compute.__name__, got)
        assert got["p_sim"] == 1.0  # every permutation ties the observed value
    lm = local_moran_stats(x, w)
    lg = local_g_stats(x, w)
    star = star_weights(w, style)
    lgs = local_g_stats(x, star, star=True)
    for name, z, p in (("Ii", lm["z"], lm["p_norm"]), ("Gi", lg["z"], lg["p_norm"]),
                       ("Gi*", lgs["z"], lgs["p_norm"])):  # fmt: skip
        assert np.isnan(z).all(), (name, z)
        assert np.isnan(p).all(), (name, p)
    for variance in (lm["var_Ii"], lg["var_G"], lgs["var_G"]):
        assert (variance == 0).all()


@pytest.mark.parametrize(
    ("compute", "dense", "moment"),
    [(moran_stats, _moran_dense, 1.0), (geary_stats, _geary_dense, -1.0), (getis_ord_stats, _g_dense, 1.0)],
)  # fmt: skip
@pytest.mark.parametrize("delta", [1.0, 1e-3])
def test_a_nearly_complete_graph_keeps_its_small_variance(compute, dense, moment, delta):
    """The complete graph on 6 regions with one link's weight changed by ``delta``: the
    statistic now varies a little over the 720 arrangements, and the analytic
    randomisation variance must be their exact variance, not NaN. Tolerance: the
    formula's rounding, bounded by standard_score's (n + 16)·4ε·Σ|terms|, relative to a
    variance ≈ δ²·Σ|terms|: rtol = 1e-9/δ² is a bound 10⁴ above it at δ = 1e-3, and the
    enumeration's np.var of values spread by δ loses ε/δ² at most."""
    from scipy import sparse

    w = _complete(6)
    w[0, 1] = w[1, 0] = 1.0 + delta
    got = compute(SIX, sparse.csr_array(w))
    perms = np.asarray([dense(SIX[list(p)], w) for p in itertools.permutations(range(6))])
    exact = float(np.var(perms))
    assert math.isfinite(got["z"])
    assert exact > 0
    assert got["variance"] == pytest.approx(exact, rel=1e-9 / delta**2)
    mean = moment * float(np.mean(perms))
    assert got["expected"] == pytest.approx(mean, rel=1e-9 / delta**2, abs=1e-15)


@pytest.mark.r
def test_spdep_agrees_on_a_statistic_that_cannot_vary(spdep):
    """The complete graph on 12 regions (every region a neighbour of every other): spdep
    prints its rounding noise for z; the R check must show nqpf's undefined z as agreeing
    (spdep's variance within the same rounding bound of 0), with the reason in the note,
    and every other quantity compared as usual."""
    from nqpf.crossval.spatial import validate_spatial

    n = 12
    names = [f"r{i:02d}" for i in range(n)]
    w = from_matrix(_complete(n), names)
    rng = np.random.default_rng(7)
    frame = pl.DataFrame(
        {"region": names * 2, "year": [2020] * n + [2021] * n, "v": rng.uniform(1, 2, 2 * n)}
    )
    table = validate_spatial(frame, "v", "region", "year", w=w)
    compared = table.filter(
        pl.col("status") == "compared", pl.col("routine").str.starts_with("spdep")
    )
    assert compared.height >= 20
    assert compared["ok"].all(), compared.filter(~pl.col("ok"))
    noted = compared.filter(pl.col("note").str.contains("0 up to rounding", literal=True))
    assert {"I z (randomisation)", "C z (normality)", "G z", "local z", "Gi* z"} <= set(
        noted["quantity"]
    )
    # the statistic itself is still compared to R's, and equals it
    assert compared.filter(pl.col("quantity") == "I (randomisation)")["ok"].all()
