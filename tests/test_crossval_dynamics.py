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

ROUTINES = {"plm::plm", "markovchain::markovchainFit"}


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
