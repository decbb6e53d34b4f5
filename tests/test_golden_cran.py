"""nqpf against recorded outputs of the CRAN-only R routines (no R needed).

dineq, IC2, ineq, topsis, MCDA and MCDM are not installable in CI, so the live
adapter tests in ``tests/test_rbridge.py`` skip there. Their real outputs are
recorded instead in ``tests/data/golden/r_packages/``, written by ``r/golden_cran.R``::

    R_LIBS=~/.nqpf-rlib Rscript r/golden_cran.R     (from the repository root)

The script builds the inputs itself (the Dagum exact fixture, unweighted and
with integer weights; seeded samples with 4 groups, one with ties, one
weighted; Hodgett's cars; a seeded 10 × 5 matrix with 2 cost criteria) and
writes inputs and outputs with ``sprintf("%.17g")``, so nqpf here runs on the
very doubles R used. ``versions.csv`` records R and the package versions.

Compared, one test per case × routine:

* ``dineq::gini_decomp`` and ``IC2::decompSGini(decomp = "BM")``: G, Gw, Gnb,
  Gt and every Gjj, against :func:`nqpf.dagum_decompose` (arrays) and
  :func:`nqpf.dagum_gini` (a frame); ``ineq::Gini`` (unweighted cases): G;
* ``topsis::topsis``, ``MCDA::TOPSIS``, ``MCDM::TOPSISVector``: closeness of
  every alternative, against ``nqpf.topsis.topsis_scores(normalization="vector",
  weighting="matrix")``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from numpy.testing import assert_allclose

import nqpf
from nqpf.topsis import topsis_scores

GOLDEN = Path(__file__).parent / "data" / "golden" / "r_packages"

# Both sides compute in double precision from the same doubles and differ only in
# summation order. A-priori bound: a routine that sums the n² pair terms |y_i − y_r|
# of a case in plain double precision errs by ≤ n²ε absolute on a Gini-type quantity
# (Σ|terms| ≤ 2W²μ), ours by ≤ nε; relative to the smallest recorded quantity
# q_min ≈ 0.0166 (a Gt, a residual) with n ≤ 60 units: 2n²ε/q_min ≈ 9.6e-11, hence
# RTOL = 1e-10 (no absolute floor needed). TOPSIS closeness is far better conditioned
# (8mε·max w / min(d⁺, d⁻) ≤ 2.1e-13 on both cases, see test_topsis.py). Largest
# relative differences seen (R 4.2.2): dineq 9e-15 (its overlap Gt), IC2 7e-15 (a
# covariance regression), ineq 2e-16, topsis/MCDA/MCDM 3e-16. The golden files hold
# 17 significant digits (sprintf("%.17g")), so they add no rounding of their own.
# Nothing here depends on BLAS: the recorded numbers are fixed, and ours are sums.
RTOL = 1e-10

GINI_ROUTINES = ("dineq::gini_decomp", "IC2::decompSGini", "ineq::Gini")
TOPSIS_ROUTINES = ("topsis::topsis", "MCDA::TOPSIS", "MCDM::TOPSISVector")


def _read(name: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.read_csv(GOLDEN / name, schema=schema, null_values="NA")


GINI_IN = _read(
    "gini_inputs.csv",
    {"case": pl.String, "i": pl.Int64, "group": pl.String, "y": pl.Float64, "w": pl.Float64},
)
GINI_OUT = _read(
    "gini_outputs.csv",
    {"case": pl.String, "routine": pl.String, "quantity": pl.String, "value": pl.Float64},
)
TOPSIS_IN = _read(
    "topsis_inputs.csv", {"case": pl.String, "i": pl.Int64, "j": pl.Int64, "x": pl.Float64}
)
TOPSIS_CRITERIA = _read(
    "topsis_criteria.csv",
    {"case": pl.String, "j": pl.Int64, "weight": pl.Float64, "direction": pl.String},
)
TOPSIS_OUT = _read(
    "topsis_outputs.csv",
    {"case": pl.String, "routine": pl.String, "i": pl.Int64, "score": pl.Float64},
)


def _pairs(frame: pl.DataFrame) -> list[tuple[str, str]]:
    return [
        (case, routine)
        for case, routine in frame.select("case", "routine").unique(maintain_order=True).rows()
    ]


def _gini_case(case: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    sub = GINI_IN.filter(case=case).sort("i")
    w = sub["w"]
    assert w.null_count() in (0, sub.height), f"{case}: weights given for some units only"
    weights = None if w.null_count() else w.to_numpy()
    return sub["y"].to_numpy(), sub["group"].to_numpy(), weights


def _expected(case: str, routine: str) -> dict[str, float]:
    rows = GINI_OUT.filter(case=case, routine=routine)
    return dict(zip(rows["quantity"], rows["value"], strict=True))


def _check(got: dict[str, float], expected: dict[str, float]) -> None:
    missing = sorted(set(expected) - set(got))
    assert not missing, f"nqpf gives no {missing}"
    for quantity, value in expected.items():
        assert_allclose(got[quantity], value, rtol=RTOL, atol=0, err_msg=quantity)


# ---------------------------------------------------------------------------
# the golden files themselves


def test_golden_files_cover_every_routine() -> None:
    """Every case has outputs, every routine appears: an empty file cannot pass silently."""
    assert set(GINI_OUT["routine"]) == set(GINI_ROUTINES)
    assert set(TOPSIS_OUT["routine"]) == set(TOPSIS_ROUTINES)
    assert set(GINI_OUT["case"]) == set(GINI_IN["case"])
    assert set(TOPSIS_OUT["case"]) == set(TOPSIS_IN["case"]) == set(TOPSIS_CRITERIA["case"])
    # the weighted cases are there, and ineq::Gini (no weights) only has the others
    weighted = set(GINI_IN.filter(pl.col("w").is_not_null())["case"])
    assert weighted
    assert not weighted & set(GINI_OUT.filter(routine="ineq::Gini")["case"])
    versions = pl.read_csv(GOLDEN / "versions.csv", infer_schema=False)
    assert set(versions["component"]) == {"R", "dineq", "IC2", "ineq", "topsis", "MCDA", "MCDM"}


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("gini_inputs.csv", "y"),
        ("gini_inputs.csv", "w"),
        ("topsis_inputs.csv", "x"),
        ("topsis_criteria.csv", "weight"),
    ],
)
def test_inputs_read_exactly(name: str, column: str) -> None:
    """polars parses the 17-digit inputs to the doubles that Python's float() gives."""
    text = pl.read_csv(GOLDEN / name, infer_schema=False)[column].to_list()
    parsed = pl.read_csv(GOLDEN / name, null_values="NA", schema_overrides={column: pl.Float64})
    exact = [None if s == "NA" else float(s) for s in text]
    assert parsed[column].to_list() == exact


# ---------------------------------------------------------------------------
# Gini: dineq, IC2, ineq


@pytest.mark.parametrize(("case", "routine"), _pairs(GINI_OUT))
def test_gini_decompose(case: str, routine: str) -> None:
    """nqpf.dagum_decompose on the case's arrays against the routine's output."""
    y, group, weights = _gini_case(case)
    dec = nqpf.dagum_decompose(y, group, weights=weights)
    got = {"G": dec.G, "Gw": dec.Gw, "Gnb": dec.Gnb, "Gt": dec.Gt}
    got |= {f"Gjj[{g}]": v for g, v in zip(dec.groups, dec.Gjj, strict=True)}
    _check(got, _expected(case, routine))


@pytest.mark.parametrize(("case", "routine"), _pairs(GINI_OUT))
def test_gini_frame(case: str, routine: str) -> None:
    """nqpf.dagum_gini on the case as a frame (the public frame path) against the routine."""
    y, group, weights = _gini_case(case)
    frame = pl.DataFrame({"y": y, "group": group})
    if weights is not None:
        frame = frame.with_columns(w=weights)
    res = nqpf.dagum_gini(frame, "y", "group", weights=None if weights is None else "w")
    summary = res.overall.row(0, named=True)
    got = {q: summary[q] for q in ("G", "Gw", "Gnb", "Gt")}
    got |= {f"Gjj[{g}]": v for g, v in res.within.select("group", "Gjj").rows()}
    _check(got, _expected(case, routine))


# ---------------------------------------------------------------------------
# TOPSIS: topsis, MCDA, MCDM


@pytest.mark.parametrize(("case", "routine"), _pairs(TOPSIS_OUT))
def test_topsis(case: str, routine: str) -> None:
    """topsis_scores(vector, matrix) on the case's matrix against the routine's closeness."""
    cells = TOPSIS_IN.filter(case=case)
    n, m = cells["i"].max(), cells["j"].max()
    assert cells.height == n * m, f"{case}: incomplete matrix"
    X = np.full((n, m), np.nan)
    X[cells["i"].to_numpy() - 1, cells["j"].to_numpy() - 1] = cells["x"].to_numpy()
    crit = TOPSIS_CRITERIA.filter(case=case).sort("j")
    assert crit["j"].to_list() == list(range(1, m + 1))
    benefit = (crit["direction"] == "+").to_numpy()
    closeness = topsis_scores(
        X, crit["weight"].to_numpy(), benefit, normalization="vector", topsis="matrix"
    )
    expected = TOPSIS_OUT.filter(case=case, routine=routine).sort("i")
    assert expected["i"].to_list() == list(range(1, n + 1))
    assert_allclose(closeness.score, expected["score"].to_numpy(), rtol=RTOL, atol=0)
