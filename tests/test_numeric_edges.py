"""Numbers at the edges of double precision: computed right, or one clear error.

Values near ±1e308 overflow a sum of squares (above ~1e154) or a difference
max − min; values near 1e-300 underflow their squares. Every quantity nqpf
reports here is scale-free or scales with the data, so the reference is exact:
multiplying a column by a power of two 2ᵏ changes no bit of a scale-free result
and multiplies a scaled one by exactly 2ᵏ, as long as the computation neither
overflows nor underflows. The tests compare the result on 2ᵏ·x with the result
on x (bit for bit), and the vector norm with an exact rational reference.
Where a method cannot compute (a raw TOPSIS distance beyond 1.8e308), the
error says so and suggests nothing that is already in use.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nqpf
from nqpf.dagum import dagum_decompose
from nqpf.errors import InputError
from nqpf.topsis import vector_normalize
from nqpf.weights import critic_weights, cv_weights, entropy_weights, standardize, user_weights

EPS = np.finfo(float).eps
BIG = 2.0**1000  # ≈ 1.07e301
HUGE = 2.0**1022  # ≈ 4.5e307: with values up to ~3.9, max − min exceeds 1.8e308
TINY = 2.0**-1000  # ≈ 9.3e-302


def panel(seed: int = 0, n_regions: int = 6, n_years: int = 4) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_regions * n_years
    return pl.DataFrame(
        {
            "region": np.repeat([f"r{i}" for i in range(n_regions)], n_years),
            "year": np.tile(np.arange(2000, 2000 + n_years), n_regions),
            "a": rng.uniform(1.0, 2.0, n),
            "b": rng.uniform(-1.9, 1.9, n),
            "c": rng.uniform(0.5, 3.9, n),
            "g": np.repeat(["x", "y", "x", "y", "z", "z"], n_years),
        }
    )


def scaled(df: pl.DataFrame, column: str, factor: float) -> pl.DataFrame:
    return df.with_columns(pl.col(column) * factor)


# ---------------------------------------------------------------------------
# vector normalisation: r = x / ‖x‖ against an exact reference


def _exact_vector_normalize(column: list[float]) -> list[float]:
    """x / sqrt(Σ x²) in rational arithmetic, then the square root in 80 digits."""
    total = sum(Fraction(v) ** 2 for v in column)
    with mpmath.workdps(80):
        norm = mpmath.sqrt(mpmath.mpf(total.numerator) / mpmath.mpf(total.denominator))
        return [float(mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator / norm)
                for v in column]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    exponent=st.integers(-1060, 1010),  # values up to 1000 < 2¹⁰: no overflow of x itself
    values=st.lists(st.floats(0.001, 1000.0), min_size=2, max_size=30),
)
def test_vector_normalisation_is_exact_at_any_scale(exponent, values):
    """r_ij to (m/2 + 3)·ε relative: the m squares summed (≤ m/2·ε after the power-of-two
    scaling, which is exact), one square root and one division."""
    column = [math.ldexp(v, exponent) for v in values]
    if min(abs(v) for v in column) < 2.0**-1022 * 2**53:
        column = [v for v in column if abs(v) >= 2.0**-1022 * 2**53] or column[:1]
    if len(column) < 2:
        return
    got = vector_normalize(np.array(column)[:, None])[:, 0]
    want = np.array(_exact_vector_normalize(column))
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, want, rtol=(len(column) / 2 + 3) * EPS, atol=0)


def test_an_indicator_above_1e154_is_not_dropped():
    """The issue's case: Σ x² overflowed, r became 0 and the indicator dropped out."""
    df = panel().select("region", "year", "a", "c")
    res = nqpf.entropy_topsis(df, normalization="vector")
    big = nqpf.entropy_topsis(scaled(df, "a", 2.0**600), normalization="vector")  # ≈ 4e180
    assert big.scores.equals(res.scores)
    assert big.weights.equals(res.weights)


# ---------------------------------------------------------------------------
# the index: min–max, z-score, ratio, CV and CRITIC weights, TOPSIS at ±1e308


@pytest.mark.parametrize("standardization", ["minmax", "zscore"])
@pytest.mark.parametrize("weights", ["entropy", "critic", "cv", "equal"])
@pytest.mark.parametrize("factor", [HUGE, BIG, TINY])
def test_index_of_a_rescaled_indicator_is_bit_identical(standardization, weights, factor):
    """2ᵏ·x standardises to the same bits as x, so every weight and score is the same.

    At 2¹⁰²² the column b spans ±1.9·2¹⁰²²: max − min = 3.8·2¹⁰²² > 1.8e308 overflows
    without the scaling."""
    df = panel().select("region", "year", "a", "b", "c")
    if weights == "cv":
        df = df.with_columns(pl.col("b") + 2.0)  # CV needs a non-zero mean
    shift = 3.0 if standardization == "zscore" else 1e-4
    kwargs = {"standardization": standardization, "weights": weights, "shift": shift}
    ref = nqpf.entropy_topsis(df, **kwargs)
    got = nqpf.entropy_topsis(scaled(df, "b", factor), **kwargs)
    assert got.scores.equals(ref.scores)
    assert got.weights.equals(ref.weights)


def test_ratio_standardisation_of_tiny_and_huge_values():
    df = panel().select("region", "year", "a", "c")
    ref = nqpf.entropy_topsis(df, standardization="ratio")
    for factor in (TINY, HUGE):
        got = nqpf.entropy_topsis(scaled(df, "c", factor), standardization="ratio")
        assert got.scores.equals(ref.scores)


def test_kernels_directly():
    rng = np.random.default_rng(3)
    x = rng.uniform(-1.9, 1.9, (20, 3))
    benefit = np.array([True, False, True])
    for factor in (HUGE, TINY):
        for method in ("minmax", "zscore"):
            assert np.array_equal(
                standardize(x * factor, benefit, method), standardize(x, benefit, method)
            )
        # (x + 3) · 2ᵏ is exact; at 2¹⁰²¹ the values reach 1.1e308 and their squares overflow
        k = 2.0**1021 if factor == HUGE else factor
        assert np.array_equal(cv_weights((x + 3) * k), cv_weights(x + 3))
    z = standardize(x, benefit, "minmax")
    assert np.array_equal(critic_weights(z), critic_weights(standardize(x * HUGE, benefit)))
    # entropy of values ~1e-300 (shift 0): p = x/Σx is scale-free
    tiny = entropy_weights(z * TINY + TINY)
    assert np.array_equal(tiny.weight, entropy_weights(z + 1.0).weight)
    # user weights near 1e308: their sum overflowed, every weight became 0
    assert np.array_equal(user_weights([1.7e308, 1.7e308], ["a", "b"]), [0.5, 0.5])


def test_raw_topsis_beyond_double_precision_says_so_without_a_wrong_hint():
    """normalization='none' on ±1.7e308: the distance D⁺ itself exceeds 1.8e308. The
    error says it overflows and suggests a scale-free normalisation — not
    ideal='panel', which is what was in use."""
    base = panel().select("region", "year")
    spread = np.linspace(-1.0, 1.0, base.height) * 1.7e308
    # two columns spanning ±1.7e308 with equal weights: the lowest row's D⁺ is
    # sqrt(2 · (0.5 · 3.4e308)²) ≈ 2.4e308, beyond the largest double
    df = base.with_columns(pl.Series("a", spread), pl.Series("b", spread))
    with pytest.raises(InputError) as err:
        nqpf.entropy_topsis(df, normalization="none", ideal="panel", weights="equal")
    message = str(err.value)
    assert "overflow" in message
    assert "ideal='panel'" not in message
    # the scale-free normalisations compute it
    for normalization in ("minmax", "vector"):
        res = nqpf.entropy_topsis(df, normalization=normalization)
        assert res.scores["score"].is_finite().all()


def test_raw_topsis_of_huge_values_that_fit_is_computed():
    """D± within range: scores equal those of the values scaled down, D± scale exactly."""
    df = panel().select("region", "year", "a", "c")
    ref = nqpf.entropy_topsis(df, normalization="none", weights="equal")
    got = nqpf.entropy_topsis(
        df.with_columns(pl.col("a", "c") * BIG), normalization="none", weights="equal"
    )
    assert got.scores["score"].equals(ref.scores["score"])
    assert (got.scores["d_plus"] == ref.scores["d_plus"] * BIG).all()


def test_closeness_undefined_in_a_year_suggests_panel_ideals_only_then():
    df = panel().select("region", "year", "a", "c")
    df = df.with_columns(
        pl.when(pl.col("year") == 2001).then(1.0).otherwise(pl.col(c)).alias(c) for c in ("a", "c")
    )
    with pytest.raises(InputError, match="ideal='panel'"):
        nqpf.entropy_topsis(df, ideal="year")


# ---------------------------------------------------------------------------
# Dagum, σ-convergence, echelons, obstacle degree


@pytest.mark.parametrize("factor", [HUGE, BIG, TINY, 2.0**-1060])
def test_dagum_of_rescaled_values(factor):
    """Ginis and D_jh are scale-free (bit-identical), means and d_jh, p_jh scale by 2ᵏ."""
    df = panel().with_columns(pl.col("c").alias("y"), pl.col("a").alias("w"))
    # the reference is the same values as the scaled ones hold (subnormals round)
    y = df["y"].to_numpy()
    ref_df = df.with_columns(pl.Series("y", (y * factor) / factor))
    ref = nqpf.dagum_gini(ref_df, "y", "g", by="year", weights="w")
    got = nqpf.dagum_gini(scaled(df, "y", factor), "y", "g", by="year", weights="w")
    for table in ("overall", "between"):
        a, b = getattr(ref, table), getattr(got, table)
        for col in ("G", "Gw", "Gnb", "Gt", "Gw_share", "Gjh", "Djh"):
            if col in a.columns:
                assert b[col].equals(a[col]), (table, col)
    assert (got.within["mean"] == ref.within["mean"] * factor).all()
    assert (got.between["djh"] == ref.between["djh"] * factor).all()
    assert got.within["Gjj"].equals(ref.within["Gjj"])


def test_dagum_with_weights_near_1e308():
    df = panel().with_columns(pl.col("c").alias("y"), pl.col("a").alias("w"))
    ref = nqpf.dagum_gini(df, "y", "g", weights="w", bootstrap=19, seed=1)
    got = nqpf.dagum_gini(scaled(df, "w", HUGE / 4), "y", "g", weights="w", bootstrap=19, seed=1)
    assert got.overall.equals(ref.overall)
    assert got.intervals.equals(ref.intervals)
    assert (got.within["weight"] == ref.within["weight"] * (HUGE / 4)).all()
    dec = dagum_decompose([1e308, 1.5e308, 0.5e308, 1.7e308], ["a", "a", "b", "b"])
    ref = dagum_decompose([1.0, 1.5, 0.5, 1.7], ["a", "a", "b", "b"])
    assert math.isfinite(dec.G)
    # y·1e308 rounds each value (1e308 is no power of two): ≤ ½ε each, a few ε in G
    assert math.isclose(dec.G, ref.G, rel_tol=8 * EPS)


@pytest.mark.parametrize("factor", [HUGE, TINY])
def test_sigma_convergence_of_rescaled_values(factor):
    df = panel()
    ref = nqpf.sigma_convergence(df, "c", "year", "g")
    got = nqpf.sigma_convergence(scaled(df, "c", factor), "c", "year", "g")
    for col in ("n", "cv", "sd_log", "gini"):
        if col == "sd_log":
            continue  # ln(2ᵏ x) − mean: the logs' SD is shift-, not bit-invariant
        assert got[col].equals(ref[col]), col
    assert (got["mean"] == ref["mean"] * factor).all()
    assert (got["sd"] == ref["sd"] * factor).all()
    np.testing.assert_allclose(got["sd_log"], ref["sd_log"], rtol=1e-9)


@pytest.mark.parametrize("rule", ["jenks", "kmeans", "quantiles", "sd"])
def test_echelons_of_averages_near_1e308(rule):
    df = panel()
    ref = nqpf.echelons(df, value="b", rule=rule, k=3)
    got = nqpf.echelons(scaled(df, "b", HUGE), value="b", rule=rule, k=3)
    assert got.assignments["echelon"].equals(ref.assignments["echelon"])
    assert got.breaks == tuple(b * HUGE for b in ref.breaks)
    assert got.gvf == ref.gvf


def test_obstacle_with_weights_near_1e308():
    z = pl.DataFrame({"region": ["A", "B"], "a": [0.5, 0.0], "b": [1.0, 0.25], "c": [0.0, 1.0]})
    dims = {"a": "X", "b": "X", "c": "Y"}
    ref = nqpf.obstacle_degree(z, {"a": 0.5, "b": 0.2, "c": 0.3}, dims)
    got = nqpf.obstacle_degree(z, {"a": 0.5 * HUGE, "b": 0.2 * HUGE, "c": 0.3 * HUGE}, dims)
    assert got.indicators["obstacle"].equals(ref.indicators["obstacle"])


# ---------------------------------------------------------------------------
# where a method cannot compute: one clear error, never a NaN passed on


@pytest.mark.parametrize(
    "call",
    [
        lambda df: nqpf.kernel_density(df, "b", "year"),
        lambda df: nqpf.markov_chain(df, "b", "region", "year", k=2),
        lambda df: nqpf.club_convergence(df, "b", "region", "year", log=False, hp_lambda=None),
        lambda df: nqpf.beta_convergence(df, "c", "region", "year"),
        lambda df: nqpf.sigma_convergence(df, "c", "year", log=False),
    ],
    ids=["kernel_density", "markov_chain", "club_convergence", "beta_convergence", "sigma"],
)
def test_values_near_the_double_range_give_a_result_or_one_error(call):
    df = panel(n_years=8).with_columns(pl.col("b", "c") * HUGE * 2)  # up to ±1.7e308
    try:
        out, message = call(df), None
    except InputError as err:
        out, message = None, str(err)
    if message is not None:
        assert "\n" not in message
        return
    frames = [out] if isinstance(out, pl.DataFrame) else [
        getattr(out, f) for f in ("states", "by_state", "overall", "table", "clubs", "series")
        if isinstance(getattr(out, f, None), pl.DataFrame)
    ]  # fmt: skip
    for frame in frames:
        for column, dtype in frame.schema.items():
            if dtype.is_float():
                values = frame[column].drop_nulls()
                assert values.is_finite().all() or column == "sd_log", column
