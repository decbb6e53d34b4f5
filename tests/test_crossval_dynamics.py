"""The dynamics section of crossval (:func:`nqpf.crossval.validate_dynamics`): nqpf's
Markov chain and annual-panel β-convergence against R's markovchain and plm.

The R tests compare the report's R values with R called here on its own (the classes
cut by ``quantile(type = 7)`` in R, plm's regression written out as in
tests/test_dynamics_r.py), its Python values with the nqpf API, and check that a
perturbed nqpf value fails its row (and only that row).
"""

from __future__ import annotations

import dataclasses
import math
import sys

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf import crossval, rbridge
from nqpf.errors import InputError
from nqpf.options import MarkovOptions

ROUTINES = {"plm::plm", "markovchain::markovchainFit", "stats::density"}


def panel(n: int = 20, years: int = 9, seed: int = 8, gaps: bool = True) -> pl.DataFrame:
    """A region × year panel with convergence, a control and (``gaps``) missing
    region-years, which break a region's sequence of transitions and growth pairs."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        a, lx = rng.normal(0, 0.3), rng.normal(0, 0.6)
        for t in range(years):
            z = rng.normal()
            rows.append((f"r{i + 1:02d}", 2010 + t, math.exp(lx), z))
            lx += 0.02 - 0.1 * (lx - a) + 0.01 * z + 0.03 * rng.standard_normal()
    df = pl.DataFrame(rows, schema=["id", "year", "x", "z"], orient="row")
    if gaps:
        df = df.with_row_index("i").filter(~pl.col("i").is_in([4, 30, 31, 77, 150])).drop("i")
    return df


def need(*packages: str) -> None:
    reason = rbridge.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    for package in packages:
        if rbridge.package_version(package) is None:
            pytest.skip(f"R package '{package}' is not installed (r-cran-{package.lower()})")


def r_eval(code: str, **values):
    """R code on ``values`` (numpy <-> R), a named list back as name -> array."""
    import rpy2.robjects as ro
    from rpy2.rlike.container import OrdDict
    from rpy2.robjects import numpy2ri

    with (ro.default_converter + numpy2ri.converter).context():
        for name, value in values.items():
            ro.globalenv[name] = np.asarray(value)
        out = ro.r(code)
        return {k: np.asarray(v) for k, v in out.items()} if isinstance(out, OrdDict) else out


BETA = {"effects": "twoway", "horizon": "annual", "controls": ["z"]}


@pytest.mark.r
def test_every_row_agrees_and_the_numbers_are_rs_and_nqpfs():
    need("markovchain", "plm")
    df, k = panel(), 4
    report = crossval.validate_dynamics(
        df, "x", "id", "year", markov=MarkovOptions(k=k), beta=BETA, detail=True
    )
    assert set(report["routine"]) == ROUTINES
    assert set(report["status"]) == {"compared"}
    assert report["ok"].all(), report.filter(~pl.col("ok"))
    # Python: the nqpf API; R: the chain fitted in R from classes R cuts itself
    chain = nqpf.markov_chain(df, "x", "id", "year", options=MarkovOptions(k=k))
    p = report.filter(pl.col("quantity") == "P")
    assert p.height == k * k  # every cell (each state is left at least once here)
    cells = {w: v for w, v in zip(p["where"], p["python"], strict=True)}
    ours = chain.matrix()
    assert all(cells[f"{i + 1}→{j + 1}"] == ours[i, j] for i in range(k) for j in range(k))
    wide = df.pivot(on="year", index="id", values="x", sort_columns=True).sort("id")
    ref = r_eval(
        f"""
        suppressPackageStartupMessages(library(markovchain))
        q <- quantile(X[!is.na(X)], (1:{k - 1}) / {k}, type = 7)
        S <- matrix(findInterval(X, q, left.open = TRUE) + 1, nrow = nrow(X))
        S[is.na(X)] <- NA
        fit <- markovchainFit(data = matrix(as.character(S), nrow = nrow(X)), method = "mle")
        list(P = fit$estimate@transitionMatrix[as.character(1:{k}), as.character(1:{k})],
             pi = steadyStates(fit$estimate))
        """,
        X=wide.drop("id").to_numpy(),
    )
    r_cells = {w: v for w, v in zip(p["where"], p["r_value"], strict=True)}
    assert all(r_cells[f"{i + 1}→{j + 1}"] == ref["P"][i, j] for i in range(k) for j in range(k))
    pi = report.filter(pl.col("quantity") == "steady state")
    np.testing.assert_allclose(pi["r_value"], ref["pi"].ravel(), rtol=0, atol=1e-13)
    np.testing.assert_array_equal(pi["python"], chain.steady_state)
    # β: nqpf's estimate, and plm's own two-way within fit
    beta = nqpf.beta_convergence(df, "x", "id", "year", controls=["z"], effects="twoway")
    row = report.filter(pl.col("quantity") == "β").row(0, named=True)
    assert row["python"] == beta.beta
    fit = r_eval(
        """
        suppressPackageStartupMessages(library(plm))
        pd <- pdata.frame(data.frame(id = id, year = year, x = x, z = z), index = c("id", "year"))
        m <- plm(diff(log(x)) ~ lag(log(x)) + lag(z), data = pd, model = "within",
                 effect = "twoways")
        list(coef = coef(m), nobs = nobs(m))
        """,
        id=df["id"].to_numpy(),
        year=df["year"].to_numpy(),
        x=df["x"].to_numpy(),
        z=df["z"].to_numpy(),
    )
    assert row["r_value"] == pytest.approx(float(fit["coef"][0]), rel=1e-13)
    assert report.filter(pl.col("quantity") == "n")["r_value"][0] == int(fit["nobs"][0]) == beta.n


@pytest.mark.r
def test_a_perturbed_probability_or_se_fails_its_row_only(monkeypatch):
    need("markovchain", "plm")
    df = panel(seed=3)
    real_chain, real_beta = nqpf.dynamics.markov_chain, nqpf.dynamics.beta_convergence

    def chain(*args, **kwargs):
        out = real_chain(*args, **kwargs)
        # 1e-9 relative: ten times the tolerance, far above P's ε
        probs = out.probabilities.with_columns(pl.col("2") * (1 + 1e-9))
        return dataclasses.replace(out, probabilities=probs)

    def beta(*args, **kwargs):
        out = real_beta(*args, **kwargs)
        table = out.table.with_columns(
            pl.when(pl.col("term") == "z").then(pl.col("se") * (1 + 1e-8)).otherwise(pl.col("se"))
        )
        return dataclasses.replace(out, table=table)

    monkeypatch.setattr(nqpf.dynamics, "markov_chain", chain)
    monkeypatch.setattr(nqpf.dynamics, "beta_convergence", beta)
    report = crossval.validate_dynamics(df, "x", "id", "year", beta=BETA)
    failed = report.filter(~pl.col("ok"))
    assert set(failed["quantity"]) == {"P", "se(γ[z])"}
    assert failed.filter(pl.col("quantity") == "P")["where"][0].endswith("→2")
    assert report.filter(pl.col("quantity") == "steady state")["ok"].all()


@pytest.mark.r
def test_the_plm_convention_and_the_pooled_panel_agree_too():
    need("plm")
    df = panel(seed=21, gaps=False)
    for beta in (
        {"effects": "region", "horizon": "annual", "small_sample": "plm"},
        {"effects": "none", "horizon": "annual", "controls": ["z"]},
    ):
        report = crossval.validate_dynamics(df, "x", "id", "year", beta=beta, routines=["plm"])
        assert set(report["routine"]) == {"plm::plm"}
        assert set(report["status"]) == {"compared"}
        assert report["ok"].all(), report


def test_the_cross_section_has_no_plm_counterpart(no_rpy2):
    report = crossval.validate_dynamics(panel(), "x", "id", "year", routines=["plm"])
    assert report.height == 1
    assert report["status"][0] == "skipped"
    assert report["note"][0] == rbridge.UNAVAILABLE_MESSAGE
    with pytest.raises(InputError, match="unknown routine 'spdep'"):
        crossval.validate_dynamics(panel(), "x", "id", "year", routines=["spdep"])
    with pytest.raises(InputError, match="no column named 'v'"):
        crossval.validate_dynamics(panel(), "v", "id", "year")


@pytest.mark.r
def test_the_cross_section_is_listed_as_skipped():
    need("plm")
    report = crossval.validate_dynamics(panel(), "x", "id", "year", routines=["plm::plm"])
    assert report["status"].to_list() == ["skipped"]
    assert report["note"][0].startswith("not applicable: plm estimates the annual panel")


def test_without_r_every_row_is_skipped(no_rpy2):
    report = crossval.validate_dynamics(panel(), "x", "id", "year", beta=BETA)
    assert set(report["routine"]) == ROUTINES
    assert set(report["status"]) == {"skipped"}
    assert set(report["note"]) == {rbridge.UNAVAILABLE_MESSAGE}
    # not part of validate(): the index report lists none of them
    assert not ROUTINES & set(crossval.ROUTINES)


@pytest.fixture
def no_rpy2(monkeypatch):
    """A Python without rpy2: its imports fail, the bridge forgets its session."""
    monkeypatch.setitem(sys.modules, "rpy2", None)
    rbridge._reset()
    yield
    monkeypatch.undo()
    rbridge._reset()


@pytest.mark.r
def test_a_state_never_left_has_no_row_in_either_chain():
    need("markovchain")
    df = pl.DataFrame(
        {
            "id": ["a"] * 3 + ["b"] * 3 + ["c"] * 3,
            "year": [1, 2, 3] * 3,
            "x": [1.0, 2.0, 3.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.5],
        }
    )
    # state 3 (x > 2.6) is reached in the last year only
    options = MarkovOptions(cutoffs=(1.5, 2.6))
    report = crossval.validate_dynamics(
        df, "x", "id", "year", markov=options, routines=["markovchain"]
    )
    p = report.filter(pl.col("quantity") == "P").row(0, named=True)
    assert p["ok"]
    assert p["n"] == 6  # the rows of states 1 and 2
    assert p["note"] == "state 3 never left: no probabilities"
    steady = report.filter(pl.col("quantity") == "steady state").row(0, named=True)
    assert steady["status"] == "skipped"
    assert steady["note"] == "not compared: state 3 never left"


# ---------------------------------------------------------------- kernel densities
#
# Tolerances of the stats::density rows (nqpf.crossval.routines.density; each is a
# pointwise bound computed from the data at run time, and the tests below run with
# tolerance=ε so that the bounds, not crossval's default 1e-10, decide):
#
# - h against bw.nrd0 / bw.nrd: both sides evaluate c·min(s, IQR/1.34)·n^(−1/5) in double
#   precision; 2·((n + 3)ε + (nεκ)² + 6ε·max|x|/IQR + 4ε) relative (the two-pass variance
#   with κ = ‖x‖₂/√S, the type-7 quantiles, the products): about 1e-13 for n ≈ 100;
# - the exact sum in R, Σ_copies mean(dnorm((g − x)/h))/h: a sum of N = copies·n positive
#   terms on each side, 2(N + 2)ε of itself plus the arguments' rounding 3ε|u|(|g| +
#   |x'|)/h per term and the bandwidths' bound × |∂f̂/∂h|;
# - R's density(): linear binning on m = max(n, 512) points (rounded up to a power of 2
#   above 512, checked below), δ = (to − from + 8h)/(m − 1), error ≤ δ²/8·Σw·sup|K''| per
#   point for the binning and again for the linear interpolation to the output grid
#   (Wand & Jones 1995, App. D), R 4.2's kernel grid scale s = 1 − 1/(2m − 1) (computed
#   exactly), the reflected copies beyond [from − 4h, to + 4h] that R's binning drops,
#   and the FFT's rounding. :func:`emulate_r_density` re-implements R's algorithm from
#   its source, so the test checks that the bound is derived for the algorithm R runs.

EPS = float(np.finfo(np.float64).eps)


def emulate_r_density(
    xx: np.ndarray, w: float, h: float, lo_to: tuple[float, float], n: int, bins: int = 0
):
    """stats::density (R 4.2, density.default and C_BinDist) in numpy: linear binning of
    the weights on m points from from − 4h to to + 4h, the FFT convolution with the kernel
    on seq(0, 2(up − lo), length.out = 2m), linear interpolation to seq(from, to, n).
    m = max(n, 512) rounded up to a power of 2 above 512 (R's rule), or ``bins``."""
    frm, to = lo_to
    m = bins or (512 if n <= 512 else 2 ** math.ceil(math.log2(n)))
    lo, up = frm - 4 * h, to + 4 * h
    delta = (up - lo) / (m - 1)
    y = np.zeros(2 * m)
    for xi in xx:
        pos = (xi - lo) / delta
        ix = math.floor(pos)
        fx = pos - ix
        if 0 <= ix <= m - 2:
            y[ix] += w * (1 - fx)
            y[ix + 1] += w * fx
        elif ix == -1:
            y[0] += w * fx
        elif ix == m - 1:
            y[ix] += w * (1 - fx)
    kords = np.linspace(0, 2 * (up - lo), 2 * m)
    kords[m + 1 :] = -kords[m - 1 : 0 : -1]
    kords = np.exp(-0.5 * (kords / h) ** 2) / (h * math.sqrt(2 * math.pi))
    conv = np.fft.ifft(np.fft.fft(y) * np.conj(np.fft.fft(kords))).real[:m]
    grid = np.linspace(frm, to, n)
    return grid, np.interp(grid, np.linspace(lo, up, m), np.maximum(conv, 0.0))


def exact_reflected(x: np.ndarray, grid: np.ndarray, h: float, a: float, b: float) -> np.ndarray:
    """The reflection estimator, summed term by term (the module docstring of kde.py)."""
    xx = np.concatenate([x, 2 * a - x, 2 * b - x])
    u = (grid[:, None] - xx[None, :]) / h
    return np.exp(-0.5 * u * u).sum(axis=1) / (x.size * h * math.sqrt(2 * math.pi))


def scores_panel(seed: int = 5, n: int = 30, years: int = 4) -> pl.DataFrame:
    """Scores in [0, 1] (a TOPSIS closeness): mass near both bounds, a group column."""
    rng = np.random.default_rng(seed)
    rows = [
        (f"r{i:02d}", 2015 + t, float(rng.beta(0.8, 1.6)), "east" if i % 3 else "west")
        for t in range(years)
        for i in range(n)
    ]
    return pl.DataFrame(rows, schema=["id", "year", "score", "area"], orient="row")


def density_rows(report: pl.DataFrame) -> pl.DataFrame:
    return report.filter(pl.col("routine") == "stats::density")


@pytest.mark.r
@pytest.mark.parametrize("n", [100, 512, 1000])
def test_r_density_is_the_algorithm_the_bound_is_derived_for(n):
    """R's density() of the reflected copies equals its numpy re-implementation to the
    FFT's rounding; its bins are max(n, 512) rounded up to a power of 2 (with 1000 bins
    instead of 1024 the emulation is off by far more); the bound holds against the exact
    estimator on R's grid and is not vacuous (the difference uses ≥ 30 % of it)."""
    from nqpf.crossval.routines.density import binned_bound

    need()
    rng = np.random.default_rng(n)
    x = rng.beta(0.8, 1.6, 40)
    out = rbridge.density_reflected(
        x,
        np.ones(x.size, dtype=int),
        "nrd0",
        cut=3.0,
        bounds=(0.0, 1.0),
        n=n,
        grid="own",
        points=np.linspace(0, 1, n)[None, :],
    )
    h, ends = float(out["h"][0]), (float(out["from"][0]), float(out["to"][0]))
    xx = np.concatenate([x, -x, 2 - x])
    grid, emulated = emulate_r_density(xx, 1 / x.size, h, ends, n)
    r_grid, r_binned = out["x"][0], out["binned"][0]
    # the FFT convolution's rounding: ~10 log₂(2m)·ε of the peak (Higham §24.1)
    fft_atol = 10 * math.log2(2 * max(n, 512)) * EPS * float(r_binned.max())
    np.testing.assert_allclose(grid, r_grid, rtol=0, atol=4 * EPS)
    np.testing.assert_allclose(emulated, r_binned, rtol=0, atol=fft_atol)
    if n > 512:  # binned on n points instead of 2^ceil(log2 n) = 1024: far off R
        _, on_n = emulate_r_density(xx, 1 / x.size, h, ends, n, bins=n)
        assert np.abs(on_n - r_binned).max() > 1e6 * fft_atol
    exact = exact_reflected(x, r_grid, h, 0.0, 1.0)
    bound = binned_bound(x, 0.0, 1.0, h, r_grid, ends, n)
    diff = np.abs(r_binned - exact)
    assert (diff <= bound).all()
    assert (diff / bound).max() > 0.3


@pytest.mark.r
def test_every_density_row_agrees_on_the_default_data():
    """The package's default data (PWT index): the page's densities (by year, reflected
    at [0, 1]; by year and continent on that grid) and an unbounded Scott estimate on
    each year's own grid of 700 points (1024 bins in R), cut = 1.5, all agree at
    tolerance ε, i.e.
    within their derived bounds; the R values are R's own, the Python values nqpf's."""
    need()
    panel_, spec = nqpf.datasets.load_pwt()
    result = nqpf.entropy_topsis(panel_, spec)
    s, score, region, year = result.scores, result.score_column, result.region, result.year
    overall = nqpf.kernel_density(s, score, year, region=region, bounds=result.score_bounds)
    grid = overall["x"].unique().sort().to_numpy()
    sets = [
        {"bounds": result.score_bounds},
        {"bounds": result.score_bounds, "group": "continent", "grid": grid},
        {"bw": "scott", "grid": "own", "n": 700, "cut": 1.5},
    ]
    report = crossval.validate_dynamics(
        s, score, region, year, density=sets, routines=["stats::density"], tolerance=EPS
    )
    assert set(report["status"]) == {"compared"}
    assert report["ok"].all(), report.filter(~pl.col("ok"))
    assert report["quantity"].to_list() == [
        "h (bw.nrd0)",
        "grid",
        "f̂ (density)",
        "f̂ (exact sum)",
    ] * 2 + ["h (bw.nrd)", "grid", "f̂ (density)", "f̂ (exact sum)"]
    curves = s.select(year, "continent").n_unique()
    assert report["n"].to_list()[4:8] == [curves, curves * 512, curves * 512, curves * 512]
    detail = crossval.validate_dynamics(
        s, score, region, year, density=sets[:1], routines=["stats::density"], detail=True
    )
    # Python: nqpf's curves; R: bw.nrd0 and the exact sum written here in R again
    first = detail.filter(pl.col("quantity") == "f̂ (exact sum)")
    np.testing.assert_array_equal(first["python"].to_numpy(), overall["density"].to_numpy())
    y0 = s.filter(pl.col(year) == s[year].min())[score].to_numpy()
    h0 = float(r_eval("bw.nrd0(x)", x=y0)[0])
    assert detail.filter(pl.col("quantity") == "h (bw.nrd0)")["r_value"][0] == h0
    g0 = overall.filter(pl.col(year) == s[year].min())["x"].to_numpy()
    ref = r_eval(
        "xx <- c(x, -x, 2 - x); sapply(g, function(p) sum(dnorm((p - xx) / h)) / (length(x) * h))",
        x=y0,
        g=g0,
        h=[h0],
    )
    rtol = 4 * EPS * (3 * y0.size + ((g0.max() - g0.min() + 2) / h0) ** 2)
    np.testing.assert_allclose(first["r_value"].to_numpy()[:512], ref, rtol=rtol)


@pytest.mark.r
def test_every_density_row_agrees_on_the_chinese_provinces(shared_china):
    """The real provincial S&T panel (../shared): the index of the 31 provinces
    2012–2022, its densities by year and by NBS region (4 groups, the Northeast of 3
    provinces), reflected at [0, 1], and the raw R&D intensity (% of GDP, no bounds)."""
    need()
    indicators = ["rd_intensity", "patents_granted_domestic", "rd_personnel_fte"]
    raw = pl.read_csv(shared_china).filter(
        pl.col("indicator").is_in(indicators)
        & pl.col("year").is_between(2012, 2022)
        & (pl.col("province") != "China (national)")
    )
    groups = pl.read_csv(shared_china.parent / "china_province_groups.csv")
    panel_ = nqpf.read_panel(
        raw.select("province", "year", "indicator", "value"), region="province"
    )
    result = nqpf.entropy_topsis(panel_, nqpf.IndicatorSpec.from_names(indicators))
    s = result.scores.join(groups.select("province", "nbs_region"), on="province")
    score = result.score_column
    overall = nqpf.kernel_density(s, score, "year", region="province", bounds=(0, 1))
    grid = overall["x"].unique().sort().to_numpy()
    report = crossval.validate_dynamics(
        s,
        score,
        "province",
        "year",
        density=[
            {"bounds": (0, 1)},
            {"bounds": (0, 1), "group": "nbs_region", "grid": grid, "bw": "scott"},
        ],
        routines=["stats::density"],
        tolerance=EPS,
    )
    assert set(report["status"]) == {"compared"}
    assert report["ok"].all(), report.filter(~pl.col("ok"))
    intensity = raw.filter(pl.col("indicator") == "rd_intensity")
    report = crossval.validate_dynamics(
        intensity, "value", "province", "year", routines=["stats::density"], tolerance=EPS
    )
    assert report["ok"].all(), report.filter(~pl.col("ok"))


def _failed(report: pl.DataFrame) -> set[str]:
    return set(density_rows(report).filter(~pl.col("ok"))["quantity"])


@pytest.mark.r
def test_a_bandwidth_one_percent_off_fails(monkeypatch):
    """nqpf's bandwidth rule 1 % too wide: the bandwidth, R's density and the exact sum
    fail (R takes its own bw.nrd0); the grid too where it is not clipped at a bound."""
    need()
    real = nqpf.dynamics.kde.bandwidth
    monkeypatch.setattr(
        nqpf.dynamics.kde, "bandwidth", lambda x, rule="silverman": 1.01 * real(x, rule)
    )
    df = scores_panel()
    report = crossval.validate_dynamics(
        df, "score", "id", "year", density={"bounds": (0, 1)}, routines=["stats::density"]
    )
    assert _failed(report) == {"h (bw.nrd0)", "f̂ (density)", "f̂ (exact sum)"}
    report = crossval.validate_dynamics(df, "score", "id", "year", routines=["stats::density"])
    assert _failed(report) == {"h (bw.nrd0)", "grid", "f̂ (density)", "f̂ (exact sum)"}


@pytest.mark.r
def test_a_reflection_left_out_fails(monkeypatch):
    """nqpf without the reflection at b (the formula a binning tolerance must not hide):
    both density rows fail, the bandwidth and the grid agree."""
    need()
    real = nqpf.dynamics.kde._reflected_kde

    def one_sided(data, h, grid, low, high):
        out = real(data, h, grid, low, np.inf)
        out[grid > high] = 0.0
        return out

    monkeypatch.setattr(nqpf.dynamics.kde, "_reflected_kde", one_sided)
    report = crossval.validate_dynamics(
        scores_panel(),
        "score",
        "id",
        "year",
        density={"bounds": (0, 1)},
        routines=["stats::density"],
    )
    assert _failed(report) == {"f̂ (density)", "f̂ (exact sum)"}


@pytest.mark.r
def test_a_density_one_in_a_million_off_fails_the_exact_row_only(monkeypatch):
    """A 1e-6 relative error in nqpf's density is far inside R's binning error (~1e-4 of
    the peak) but a million ε outside the exact sum's: only the exact row fails."""
    need()
    real = nqpf.dynamics.kde._reflected_kde
    monkeypatch.setattr(nqpf.dynamics.kde, "_reflected_kde", lambda *a: real(*a) * (1 + 1e-6))
    report = crossval.validate_dynamics(
        scores_panel(),
        "score",
        "id",
        "year",
        density={"bounds": (0, 1)},
        routines=["stats::density"],
    )
    assert _failed(report) == {"f̂ (exact sum)"}


@pytest.mark.r
def test_tied_curves_and_given_grids():
    """A year of tied values (0.1, not a binary fraction: R's corrected mean gives s = 0
    and bw.nrd0's fallback 0.9·|x₁|·n^(−1/5)); a numeric bandwidth; a given grid that is
    not evenly spaced has no density() counterpart (its grid and binned rows skipped with
    the reason), the exact sum is compared all the same."""
    need()
    df = scores_panel(n=12, years=2).with_columns(
        pl.when(pl.col("year") == 2015).then(0.1).otherwise(pl.col("score")).alias("score")
    )
    report = crossval.validate_dynamics(
        df,
        "score",
        "id",
        "year",
        density={"bounds": (0, 1)},
        routines=["stats::density"],
        tolerance=EPS,
        detail=True,
    )
    assert report["ok"].all(), report.filter(~pl.col("ok"))
    h = report.filter(pl.col("quantity") == "h (bw.nrd0)")
    assert h["r_value"][0] == pytest.approx(0.9 * 0.1 * 12**-0.2, rel=4 * EPS)
    uneven = np.sort(np.random.default_rng(2).uniform(0, 1, 64))
    with pytest.raises(InputError, match=r"the scott bandwidth is 0.*curve year=2015"):
        crossval.validate_dynamics(
            df, "score", "id", "year", density={"bw": "scott"}, routines=["stats::density"]
        )
    for bw in (0.05, "silverman"):
        report = crossval.validate_dynamics(
            df,
            "score",
            "id",
            "year",
            density={"bounds": (0, 1), "grid": uneven, "bw": bw},
            routines=["stats::density"],
        )
        skipped = report.filter(pl.col("status") == "skipped")
        assert skipped["quantity"].to_list() == ["grid, f̂ (density)"]
        assert skipped["note"][0].startswith("not applicable: the given grid is not evenly")
        assert report.filter(pl.col("status") == "compared")["ok"].all()


@pytest.mark.r
def test_user_columns_named_like_the_outputs_are_kept():
    """A year column called "x" and a group called "density" (kernel_density's output
    names; nqpf names its own columns around them) and a value called "__nqpf_value__"."""
    need()
    df = scores_panel(n=12, years=2).rename(
        {"year": "x", "area": "density", "score": "__nqpf_value__"}
    )
    report = crossval.validate_dynamics(
        df,
        "__nqpf_value__",
        "id",
        "x",
        density=[{"bounds": (0, 1)}, {"bounds": (0, 1), "group": "density"}],
        routines=["stats::density"],
        tolerance=EPS,
    )
    assert set(report["status"]) == {"compared"}
    assert report["ok"].all(), report.filter(~pl.col("ok"))
    assert report["where"][4].startswith("x=2015, density=")


def test_bad_density_keywords_are_one_line():
    df = scores_panel(n=5, years=3)
    with pytest.raises(InputError, match="density: unknown keyword"):
        crossval.validate_dynamics(df, "score", "id", "year", density={"year": "id"})
    with pytest.raises(InputError, match="must be a mapping"):
        crossval.validate_dynamics(df, "score", "id", "year", density="silverman")
    with pytest.raises(InputError, match="outside the bounds"):
        crossval.validate_dynamics(df, "score", "id", "year", density={"bounds": (0, 0.5)})
    with pytest.raises(InputError, match="no column 'zone' in the frame"):
        crossval.validate_dynamics(df, "score", "id", "year", density={"group": "zone"})


def test_pointwise_bounds_decide_each_value_and_the_worst_is_shown():
    """Rows.compare(bound=): a value passes when |python − R| ≤ max(tolerance·|R|, its
    bound); the summary row shows the value with the largest rel_diff/tolerance, its own
    rel_diff and tolerance (so rel_diff ≤ tolerance ⇔ ok there too)."""
    from nqpf.crossval.rows import Rows

    rows = Rows(1e-10, detail=False)
    r = np.array([1.0, 2.0, 4.0])
    bound = np.array([1e-3, 1e-6, 1e-3])
    for off in ([5e-4, 1e-7, 9e-4], [5e-4, 2e-6, 0.0]):
        rows.compare("f", "stats::density", ["a", "b", "c"], r + off, r, bound=(bound, "b"))
    good, bad = rows.frame().iter_rows(named=True)
    assert good["ok"]
    assert (good["where"], good["n"]) == ("c", 3)
    assert good["rel_diff"] == pytest.approx(9e-4 / 4, rel=1e-12)
    assert good["tolerance"] == pytest.approx(1e-3 / 4, rel=1e-12)
    assert not bad["ok"]
    assert bad["where"] == "b"
    assert bad["rel_diff"] > bad["tolerance"] == pytest.approx(1e-6 / 2, rel=1e-12)
    assert good["note"] == "tolerance pointwise: b"
