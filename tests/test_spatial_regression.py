"""Spatial regression (SAR/SEM/SDM) and spatial β-convergence without R.

The panel fixed-effects models are checked against an independent brute force written
here: the region (and period) effects as explicit dummy columns, the concentrated
log-likelihood ℓ(ρ) = −NT/2 · ln(e′e/NT) + T · ln|I − ρW| − NT/2 · (1 + ln 2π) with
e the least-squares residual of the filtered equation, maximised by scipy's bounded
Brent to 1e-12 and then confirmed on a fine grid around the optimum. R's CRAN-only
``splm`` (the usual reference for these models) is not installed here: see
tests/test_spatial_regression_r.py, which skips its splm check with that reason.

The data: the 48 US states' per-capita income (libpysal's ``us_income``) with their
queen contiguity, from ../shared (skipped when absent), and a synthetic panel on a
ring-plus-chords graph that always runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from nqpf.errors import InputError
from nqpf.spatial import (
    SpatialWeights,
    from_matrix,
    from_neighbours,
    sar,
    sdm,
    sem,
    spatial_beta_convergence,
    spatial_regression,
)

pytest.importorskip("spreg", reason="spreg is not installed (pip install 'nqpf[spatial]')")

# ../shared beside the repository (NQPF_SHARED overrides it, e.g. for a git worktree)
PEER = Path(os.environ.get("NQPF_SHARED", Path(__file__).resolve().parents[2] / "shared"))
PEER = PEER / "data" / "peer"

EPS = np.finfo(np.float64).eps
#: spreg's bounded-Brent tolerance on ρ/λ (nqpf.spatial.regression.XATOL).
XATOL = 1e-10


def ml_atol(fit, other_xatol: float = 1e-12) -> np.ndarray:
    """Absolute tolerance of each coefficient (ρ/λ last) between two maximisers of
    the same likelihood.

    At the optimum ℓ(ρ) ≈ ℓ̂ − (ρ − ρ̂)²/(2 se²), so a maximiser that compares values
    of ℓ carrying a rounding error δ cannot place ρ closer than se·√(2δ) (the values
    within that distance are equal to rounding). ℓ sums N terms (the squared residuals,
    the log-determinant), so δ ≈ √N·ε|ℓ̂| (random rounding errors, Higham 2002 §2.8);
    add each optimiser's own stopping
    tolerance. A slope moves with ρ by at most se_β/se_ρ per unit of ρ (the
    conditional-mean slope of a normal, |corr| ≤ 1), so each tolerance scales
    with the coefficient's se. Factor 4 for the two sides' rounding.
    """
    se = fit.table["se"].to_numpy()
    flat = np.sqrt(2 * np.sqrt(fit.n) * EPS * abs(fit.log_likelihood))
    return 4 * se * (flat + (XATOL + other_xatol) / se[-1])


#: Least squares at a given ρ by two algorithms (spreg: demeaning and normal equations;
#: here: explicit dummies and LAPACK's lstsq): Wedin's bound m·ε·κ(X)² for m rows; the
#: designs here have κ ≲ 1e3 after demeaning and m ≤ 1000, so ≤ 2e-7 is the worst case;
#: 1e-8 holds with room on every case here and still fails on any modelling difference.
RTOL_LSQ = 1e-8
#: (I − ρW)⁻¹ by two dense solvers: n·ε·κ(I − ρW), κ ≤ (1 + |ρ|)/(1 − |ρ|) ≈ 3 here
#: for row-standardised W (‖W‖∞ = 1), n ≤ 48: ≤ 3e-14; the sums of n² terms add n²ε.
RTOL_INV = 1e-10
#: Log-likelihoods at two maximisers: ℓ is flat at the optimum (second-order in Δρ,
#: below ε|ℓ|), so the same up to a few roundings of the sums of squares of N terms.
RTOL_LL = 1e-12


def _ring_weights(n: int) -> SpatialWeights:
    """A ring with a chord every 5th region: asymmetric row sums after row-standardising."""
    nb: dict[str, list[str]] = {f"r{i}": [f"r{(i + 1) % n}", f"r{(i - 1) % n}"] for i in range(n)}
    for i in range(0, n, 5):
        nb[f"r{i}"].append(f"r{(i + n // 2) % n}")
    return from_neighbours(nb)


def _synthetic_panel(n: int = 30, t: int = 6, seed: int = 3) -> tuple[pl.DataFrame, SpatialWeights]:
    rng = np.random.default_rng(seed)
    w = _ring_weights(n)
    wr = w.transform("r").dense()
    mu, alpha = rng.normal(0, 1, n), rng.normal(0, 0.5, t)
    rows = []
    a_inv = np.linalg.inv(np.eye(n) - 0.4 * wr)
    for s in range(t):
        x1, x2 = rng.normal(0, 1, n), rng.normal(1, 2, n)
        y = a_inv @ (0.8 * x1 - 0.3 * x2 + 0.2 * wr @ x1 + mu + alpha[s] + rng.normal(0, 0.5, n))
        rows += [
            {"region": f"r{i}", "year": 2000 + s, "y": y[i], "x1": x1[i], "x2": x2[i]}
            for i in range(n)
        ]
    # shuffled rows: the code must sort the panel itself
    return pl.DataFrame(rows).sample(fraction=1.0, shuffle=True, seed=1), w


def _states() -> tuple[pl.DataFrame, SpatialWeights]:
    if not PEER.is_dir():
        pytest.skip("../shared/data/peer is absent (it lives beside the repository, not in it)")
    income = pl.read_csv(PEER / "usjoin.csv")
    names = income["Name"].to_list()
    lines = (PEER / "states48.gal").read_text().split("\n")
    nb: dict[str, list[str]] = {}
    i = 1
    while i < len(lines) and lines[i].strip():
        focal, count = lines[i].split()
        nb[names[int(focal)]] = [names[int(j)] for j in lines[i + 1].split()] if int(count) else []
        i += 2
    years = [str(y) for y in range(1929, 2010)]
    long = (
        income.select("Name", *years)
        .unpivot(index="Name", variable_name="year", value_name="income")
        .with_columns(pl.col("year").cast(pl.Int64))
    )
    return long, from_neighbours(nb)


def _state_panel() -> tuple[pl.DataFrame, SpatialWeights]:
    """Log income on its own lag, 1995–2009."""
    long, w = _states()
    panel = (
        long.sort("Name", "year")
        .with_columns(pl.col("income").log().alias("ly"))
        .with_columns(pl.col("ly").shift(1).over("Name").alias("ly_lag"))
        .filter(pl.col("year") >= 1995)
    )
    return panel, w


def _brute_force(
    y: np.ndarray, x: np.ndarray, w: np.ndarray, t: int, model: str, twoway: bool
) -> tuple[float, float, Any]:
    """(ρ or λ, the log-likelihood, the slopes as a function of ρ) of the
    dummy-variable ML (module docstring)."""
    from scipy import linalg, optimize, sparse

    n = w.shape[0]
    big = sparse.kron(sparse.identity(t), sparse.csr_array(w), format="csr")
    if model == "sdm":
        x = np.column_stack([x, big @ x])
    dummies = [np.kron(np.ones((t, 1)), np.eye(n))]
    if twoway:
        dummies.append(np.kron(np.eye(t)[:, 1:], np.ones((n, 1))))
    z = np.column_stack([x, *dummies])
    wy, wz = big @ y, big @ z
    nt = y.size

    def solve(par: float) -> tuple[np.ndarray, np.ndarray]:
        if model == "sem":  # filter y and every column, dummies included
            fz = z - par * wz
            coef = linalg.lstsq(fz, y - par * wy)[0]
            return coef, y - par * wy - fz @ coef
        coef = linalg.lstsq(z, y - par * wy)[0]
        return coef, y - par * wy - z @ coef

    def loglik(par: float) -> float:
        e = solve(par)[1]
        logdet = np.linalg.slogdet(np.eye(n) - par * w)[1]
        return -nt / 2 * np.log(e @ e / nt) + t * logdet - nt / 2 * (1 + np.log(2 * np.pi))

    best = optimize.minimize_scalar(
        lambda r: -loglik(r), bounds=(-0.99, 0.99), method="bounded", options={"xatol": 1e-12}
    )
    par = float(best.x)
    grid = par + np.linspace(-1e-3, 1e-3, 21)  # the fine check: nothing higher nearby
    assert max(loglik(g) for g in grid) <= loglik(par) + 1e-12 * abs(loglik(par))
    return par, loglik(par), lambda r: solve(r)[0][: x.shape[1]]


def _arrays(frame: pl.DataFrame, w: SpatialWeights, y: str, xs: list[str], region: str, year: str):
    """The panel time-major in the order of w's ids (the brute force's own sort)."""
    order = {name: i for i, name in enumerate(w.ids)}
    df = frame.with_columns(pl.col(region).replace_strict(order).alias("__o")).sort(year, "__o")
    return df[y].to_numpy(), df.select(xs).to_numpy(), w.transform("r").dense()


PANEL_CASES = [(m, e) for m in ("sar", "sem", "sdm") for e in ("region", "twoway")]


@pytest.mark.parametrize(("model", "effects"), PANEL_CASES)
@pytest.mark.parametrize("data", ["synthetic", "states"])
def test_panel_fe_equals_the_dummy_variable_brute_force(data, model, effects):
    if data == "states":
        frame, w = _state_panel()
        y, xs, region, year = "ly", ["ly_lag"], "Name", "year"
    else:
        frame, w = _synthetic_panel()
        y, xs, region, year = "y", ["x1", "x2"], "region", "year"
    fit = spatial_regression(
        frame, y, xs, region, w=w, year=year, model=model, effects=effects, draws=0
    )
    yv, xv, wd = _arrays(frame, w, y, xs, region, year)
    t = frame[year].n_unique()
    par, ll, profile = _brute_force(yv, xv, wd, t, model, effects == "twoway")
    # ρ/λ: two maximisers of the same likelihood (ml_atol); the slopes: the brute
    # force's least squares at spreg's ρ (RTOL_LSQ), which removes the flatness of ℓ
    assert fit.rho == pytest.approx(par, abs=ml_atol(fit)[-1])
    slopes = profile(fit.rho)
    np.testing.assert_allclose(fit.table["estimate"].to_numpy()[:-1], slopes, rtol=RTOL_LSQ)
    assert fit.log_likelihood == pytest.approx(ll, rel=RTOL_LL)
    assert fit.n == yv.size
    assert fit.n_periods == t
    assert fit.effects == effects
    if model != "sem":
        # the effects from the matrix S_r itself at the fit's estimates (the code uses
        # the traces of the inverse): the same numbers by another route, to rounding
        k, n = len(xs), wd.shape[0]
        est = fit.table["estimate"].to_numpy()
        beta = est[:k]
        theta = est[k : 2 * k] if model == "sdm" else np.zeros(k)
        a_inv = np.linalg.inv(np.eye(n) - fit.rho * wd)
        for r in range(k):
            s = a_inv @ (beta[r] * np.eye(n) + theta[r] * wd)
            row = fit.impacts.row(r, named=True)
            assert row["direct"] == pytest.approx(np.mean(np.diag(s)), rel=RTOL_INV)
            assert row["total"] == pytest.approx(s.sum() / n, rel=RTOL_INV)
            assert row["indirect"] == pytest.approx(row["total"] - row["direct"], rel=1e-12)


def test_sem_has_no_effects_table_and_sar_effects_are_simulated_reproducibly():
    frame, w = _synthetic_panel()
    one = frame.filter(pl.col("year") == 2000)
    err = sem(one, "y", ["x1", "x2"], "region", w=w)
    assert err.impacts is None
    assert "impacts" not in err.tables()
    assert err.table["term"].to_list() == ["const", "x1", "x2", "lambda"]
    a = sar(one, "y", ["x1", "x2"], "region", w=w, seed=7)
    b = sar(one, "y", ["x1", "x2"], "region", w=w, seed=7)
    c = sar(one, "y", ["x1", "x2"], "region", w=w, seed=8)
    assert a.impacts.equals(b.impacts)
    assert not a.impacts["total_se"].equals(c.impacts["total_se"])
    assert a.draws_used > 900
    assert a.impacts["total_se"].is_finite().all()
    none = sar(one, "y", ["x1", "x2"], "region", w=w, draws=0)
    assert none.impacts["total_se"].is_nan().all()
    assert none.draws_used == 0
    assert none.impacts["direct"].equals(a.impacts["direct"])


def test_simulated_se_of_the_total_effect_matches_the_delta_method():
    # SAR: total_r = β_r/(1 − ρ); the delta-method variance from the same covariance is
    # the simulation's target to first order. With 20,000 draws the Monte Carlo error of
    # a standard deviation is 1/√(2·20000) = 0.5 %; the second-order (nonlinearity) term
    # for ρ ≈ 0.4, se(ρ) ≈ 0.1 is a few percent: 10 % allows both.
    frame, w = _synthetic_panel(n=60, t=2, seed=5)
    one = frame.filter(pl.col("year") == 2000)
    fit = sar(one, "y", ["x1", "x2"], "region", w=w, draws=20000, seed=1)
    from nqpf.spatial.regression import build_design, estimate

    cov = estimate(
        build_design(one, "y", ["x1", "x2"], "region", w=w, year=None), "sar", "none"
    ).cov
    rho = fit.rho
    for r in range(2):
        beta = fit.table["estimate"][1 + r]
        grad = np.zeros(cov.shape[0])
        grad[1 + r] = 1 / (1 - rho)
        grad[-1] = beta / (1 - rho) ** 2
        delta = float(np.sqrt(grad @ cov @ grad))
        assert fit.impacts["total_se"][r] == pytest.approx(delta, rel=0.10)


def test_result_protocol_and_writing(tmp_path):
    frame, w = _synthetic_panel()
    fit = sdm(frame.filter(pl.col("year") == 2001), "y", ["x1", "x2"], "region", w=w, draws=50)
    assert set(fit.tables()) == {"coefficients", "fit", "impacts"}
    assert fit.table["term"].to_list() == ["const", "x1", "x2", "W_x1", "W_x2", "rho"]
    assert fit.table.columns == ["term", "estimate", "se", "z", "p"]
    assert "SDM" in fit.summary()
    assert "effects" in fit.summary()
    assert fit.aic == pytest.approx(-2 * fit.log_likelihood + 2 * (5 + 2))
    out = fit.write(tmp_path / "sdm.xlsx")
    assert out.exists()
    assert fit.write(tmp_path / "sdm.csv").read_text().startswith("term,estimate")


# -- spatial β-convergence --------------------------------------------------------------
def test_spatial_beta_cross_section_equals_the_spatial_regression_of_the_growth_equation():
    long, w = _states()
    wide = long.pivot(on="year", index="Name", values="income")
    cs = pl.DataFrame(
        {
            "Name": wide["Name"],
            "g": (np.log(wide["2009"].to_numpy()) - np.log(wide["1929"].to_numpy())) / 80,
            "l0": np.log(wide["1929"].to_numpy()),
        }
    )
    for model in ("sar", "sem", "sdm"):
        beta = spatial_beta_convergence(long, "income", "Name", "year", w=w, model=model, draws=0)
        direct = spatial_regression(cs, "g", ["l0"], "Name", w=w, model=model, draws=0)
        # Two runs of the maximiser on inputs equal to rounding: the same maximum of ℓ
        # (RTOL_LL) at ρ's within ml_atol; β is checked as the growth equation's least
        # squares at the fit's own ρ (profile), which ℓ's flatness cannot blur.
        assert beta.regression.log_likelihood == pytest.approx(direct.log_likelihood, rel=RTOL_LL)
        assert beta.regression.rho == pytest.approx(direct.rho, abs=ml_atol(direct)[-1])
        assert beta.beta == pytest.approx(
            _profile_cs(cs, w, model, beta.regression.rho)[1], rel=RTOL_LSQ
        )
        assert beta.tau == 80
        # the dynamics module's rule: θ = −ln(1 + βτ)/τ
        assert beta.speed == pytest.approx(-np.log1p(beta.beta * 80) / 80, rel=1e-15)
        assert beta.half_life == pytest.approx(np.log(2) / beta.speed, rel=1e-15)
        assert beta.beta < 0 < beta.speed  # the US states converge (Rey & Montouri 1999)


def _profile_cs(cs: pl.DataFrame, w: SpatialWeights, model: str, par: float) -> np.ndarray:
    """Cross-section coefficients of g on [1, l0] (SDM: and W l0) at a given ρ/λ."""
    wd = w.align(cs["Name"].to_list()).transform("r").dense()
    g, l0 = cs["g"].to_numpy(), cs["l0"].to_numpy()
    x = np.column_stack([np.ones(g.size), l0] + ([wd @ l0] if model == "sdm" else []))
    if model == "sem":
        b = np.eye(g.size) - par * wd
        return np.linalg.lstsq(b @ x, b @ g, rcond=None)[0]
    return np.linalg.lstsq(x, g - par * (wd @ g), rcond=None)[0]


def test_spatial_beta_panel_equals_the_brute_force():
    long, w = _states()
    sub = long.filter(pl.col("year") >= 1995)
    res = spatial_beta_convergence(
        sub, "income", "Name", "year", w=w, panel=True, effects="twoway", draws=0
    )
    growth = (
        sub.sort("Name", "year")
        .with_columns(pl.col("income").log().alias("l"))
        .with_columns((pl.col("l").shift(-1).over("Name") - pl.col("l")).alias("g"))
        .drop_nulls("g")
    )
    yv, xv, wd = _arrays(growth, w, "g", ["l"], "Name", "year")
    par, _, profile = _brute_force(yv, xv, wd, growth["year"].n_unique(), "sar", True)
    assert res.regression.rho == pytest.approx(par, abs=ml_atol(res.regression)[-1])
    assert res.beta == pytest.approx(profile(res.regression.rho)[0], rel=RTOL_LSQ)
    assert res.tau == 1
    assert res.panel


def test_conditional_beta_takes_controls():
    frame, w = _synthetic_panel()
    frame = frame.with_columns(pl.col("y").exp().alias("v"))
    res = spatial_beta_convergence(
        frame, "v", "region", "year", w=w, kind="conditional", controls=["x2"], model="sdm", draws=0
    )
    assert res.regression.table["term"].to_list() == [
        "const",
        "ln_v",
        "x2",
        "W_ln_v",
        "W_x2",
        "rho",
    ]
    for bad in ({"kind": "conditional"}, {"controls": ["x2"]}):
        with pytest.raises(InputError, match="controls"):
            spatial_beta_convergence(frame, "v", "region", "year", w=w, **bad)


# -- bad input: one InputError line -----------------------------------------------------
def _cross() -> tuple[pl.DataFrame, SpatialWeights]:
    frame, w = _synthetic_panel()
    return frame.filter(pl.col("year") == 2000), w


def _one_line(error: pytest.ExceptionInfo) -> str:
    text = str(error.value)
    assert "\n" not in text
    assert "Traceback" not in text
    return text


def test_a_region_not_in_w_is_named():
    one, w = _cross()
    bad = one.with_columns(
        pl.when(pl.col("region") == "r3")
        .then(pl.lit("Atlantis"))
        .otherwise(pl.col("region"))
        .alias("region")
    )
    with pytest.raises(InputError) as err:
        sar(bad, "y", ["x1"], "region", w=w)
    assert "Atlantis" in _one_line(err)
    with pytest.raises(InputError) as err:
        sar(one.filter(pl.col("region") != "r4"), "y", ["x1"], "region", w=w)
    assert "r4" in _one_line(err)


def test_missing_values_are_named_with_their_region():
    one, _ = _cross()
    _, w = _cross()
    bad = one.with_columns(
        pl.when(pl.col("region") == "r7").then(None).otherwise(pl.col("x1")).alias("x1")
    )
    with pytest.raises(InputError) as err:
        sar(bad, "y", ["x1"], "region", w=w)
    assert "r7" in _one_line(err)
    assert "x1" in str(err.value)


def test_collinear_regressors_are_refused():
    one, w = _cross()
    bad = one.with_columns((2 * pl.col("x1") + 1).alias("x3"))
    with pytest.raises(InputError) as err:
        sdm(bad, "y", ["x1", "x3"], "region", w=w)
    assert "collinear" in _one_line(err)
    frame, w = _synthetic_panel()
    const = frame.with_columns(pl.col("region").str.slice(1).cast(pl.Float64).alias("c"))
    with pytest.raises(InputError) as err:
        sar(const, "y", ["x1", "c"], "region", w=w, year="year")
    assert "constant within regions" in _one_line(err)


def test_fewer_regions_than_parameters():
    w = from_matrix(np.ones((4, 4)) - np.eye(4), ["a", "b", "c", "d"])
    df = pl.DataFrame(
        {"r": ["a", "b", "c", "d"], "y": [1.0, 2, 4, 3], "x1": [1.0, 0, 2, 5], "x2": [3.0, 1, 1, 0]}
    )
    with pytest.raises(InputError) as err:
        sdm(df, "y", ["x1", "x2"], "r", w=w)
    assert "too few" in _one_line(err)


def test_unbalanced_panel_islands_and_bad_arguments():
    frame, w = _synthetic_panel()
    with pytest.raises(InputError) as err:
        sar(frame.slice(1), "y", ["x1"], "region", w=w, year="year")
    assert "unbalanced" in _one_line(err)
    island = from_neighbours({**{f"r{i}": [f"r{(i + 1) % 29}"] for i in range(29)}, "r29": []})
    with pytest.raises(InputError) as err:
        sar(frame.filter(pl.col("year") == 2000), "y", ["x1"], "region", w=island)
    assert "r29" in _one_line(err)
    one = frame.filter(pl.col("year") == 2000)
    bare = sar(one, "y", ["x1"], "region", w=w, impacts=False)
    assert bare.impacts is None
    assert "impacts" not in bare.tables()
    for kwargs, word in (
        ({"model": "sac"}, "model"),
        ({"effects": "twoway"}, "panel"),
        ({"impacts": "yes"}, "impacts"),
        ({"draws": -1}, "draws"),
        ({"w": np.eye(30)}, "SpatialWeights"),
    ):
        call = {"w": w} | kwargs
        with pytest.raises(InputError) as err:
            spatial_regression(one, "y", ["x1"], "region", **call)
        assert word in _one_line(err)
    with pytest.raises(InputError):
        sar(one, "y", [], "region", w=w)
    with pytest.raises(InputError):
        sar(one, "y", ["y"], "region", w=w)


def test_importing_nqpf_spatial_does_not_load_spreg():
    import subprocess
    import sys

    code = "import nqpf.spatial, sys; print('spreg' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("symmetric", [True, False])
def test_the_spectrum_gives_the_traces_of_the_inverse(symmetric):
    # The simulated effects use tr (I − ρW)⁻¹ = Σ 1/(1 − ρω) and tr W(I − ρW)⁻¹ =
    # Σ ω/(1 − ρω); checked against the dense inverse for a symmetric base (real
    # eigenvalues by similarity) and a directed one (complex eigenvalues).
    from nqpf.spatial.regression import Design, _spectrum

    rng = np.random.default_rng(2)
    n = 25
    nb = {f"r{i}": [f"r{j}" for j in rng.choice(n, 3, replace=False) if j != i] for i in range(n)}
    w = from_neighbours(nb, symmetric=symmetric)
    assert w.is_symmetric() is symmetric
    design = Design(np.zeros(n), np.zeros((n, 1)), ["x"], w.transform("r"), list(w.ids), 1)
    omega = _spectrum(design)
    wd = w.transform("r").dense()
    for rho in (-0.5, 0.3, 0.8):
        a_inv = np.linalg.inv(np.eye(n) - rho * wd)
        # eigenvalues of a non-normal W are perturbed by κ(V)·ε; n terms: 1e-10 is loose
        assert np.sum(1 / (1 - rho * omega)).real == pytest.approx(np.trace(a_inv), rel=1e-10)
        assert np.sum(omega / (1 - rho * omega)).real == pytest.approx(
            np.trace(a_inv @ wd), rel=1e-10, abs=1e-12
        )
