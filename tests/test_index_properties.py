"""Property tests of the index pipeline (hypothesis).

Invariances that follow from the formulas: weights form a distribution; scores lie in
[0, 1]; a positive affine transform of an indicator leaves min–max weights and scores
unchanged; flipping an indicator's direction equals negating its column; row order
changes nothing; ``scope="year"`` on a one-year panel equals ``scope="panel"``.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nqpf

# Tolerances (ε = 2⁻⁵²). Values are integers in [−20, 20]. An affine map x → s·x + o
# (s ∈ [0.01, 100], |o| ≤ 1000) rounds each value by ≤ ε·(|o| + 20s), so its min–max
# value moves by δz ≤ 4ε·(|o| + 20s)/(s·range) ≤ 9e-11 (range ≥ 1); a reordering
# changes only the order of sums over ≤ 21 rows (≤ 2·21·ε ≈ 1e-14 relative). Weights
# and scores are smooth in z but their condition has no useful a-priori bound
# (an entropy weight divides by Σ(1 − e), small when every column is near-uniform),
# so RTOL = 1e-9 (atol 1e-12 for scores at 0) is δz_max times 10 and was measured:
# the largest error seen is 1.4e-3 of it (1 200 hypothesis examples per property, on
# the OpenBLAS Prescott/Haswell/SkylakeX kernels with and without AVX2/AVX-512).
RTOL = 1e-9
EPS = np.finfo(np.float64).eps
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def panels(draw, max_years: int = 3):
    regions = draw(st.integers(3, 7))
    years = draw(st.integers(1, max_years))
    indicators = draw(st.integers(2, 4))
    values = draw(
        arrays(
            np.float64,
            (regions * years, indicators),
            # small integer grid: ties are frequent, as in real rounded statistics
            elements=st.integers(-20, 20).map(float),
        )
    )
    for j in range(indicators):
        assume(values[:, j].max() > values[:, j].min())
    directions = draw(st.lists(st.sampled_from("+-"), min_size=indicators, max_size=indicators))
    frame = pl.DataFrame(
        {
            "region": [f"r{i}" for _ in range(years) for i in range(regions)],
            "year": [2000 + t for t in range(years) for _ in range(regions)],
        }
    ).with_columns(pl.Series(f"x{j}", values[:, j]) for j in range(indicators))
    spec = nqpf.IndicatorSpec.from_records(
        {"indicator": f"x{j}", "dimension": "AB"[j % 2], "direction": directions[j]}
        for j in range(indicators)
    )
    return frame, spec


OPTIONS = st.fixed_dictionaries(
    {
        "topsis": st.sampled_from(["matrix", "distance"]),
        "ideal": st.sampled_from(["panel", "year", "absolute"]),
        "method": st.sampled_from(["topsis", "linear"]),
    }
)


def _sorted_scores(result: nqpf.IndexResult) -> pl.DataFrame:
    return result.scores.sort("year", "region")


def _safe(frame, spec, **options):
    try:
        return nqpf.entropy_topsis(frame, spec, **options)
    except nqpf.InputError as error:
        # per-year ideals are undefined when every indicator is constant within a year
        assume("undefined" not in str(error))
        raise


@SETTINGS
@given(panels(), OPTIONS)
def test_weights_are_a_distribution_and_scores_in_unit_interval(data, options):
    frame, spec = data
    result = _safe(frame, spec, **options)
    weights = result.weights.get_column("weight").to_numpy()
    assert np.all(weights >= 0)
    # m ≤ 4 weights d_j/Σd: each one rounding off, and their sum m − 1 more
    assert abs(weights.sum() - 1) <= 2 * len(weights) * EPS
    scores = result.scores.get_column("score").to_numpy()
    # d⁻/(d⁺ + d⁻) ∈ [0, 1] exactly in floating point; the linear index Σ w z with
    # Σ w = 1 ± 2mε and z ∈ [0, 1] exceeds 1 by at most (2m + m)·ε
    assert np.all(scores >= 0)
    assert np.all(scores <= 1 + 3 * len(weights) * EPS)


@SETTINGS
@given(
    panels(),
    OPTIONS,
    st.floats(0.01, 100),
    st.floats(-1000, 1000),
    st.integers(0, 3),
)
def test_positive_affine_transform_changes_nothing(data, options, scale, offset, column):
    frame, spec = data
    name = spec.names[column % len(spec)]
    moved = frame.with_columns(pl.col(name) * scale + offset)
    before = _sorted_scores(_safe(frame, spec, **options))
    after = _sorted_scores(_safe(moved, spec, **options))
    np.testing.assert_allclose(
        _safe(moved, spec, **options).weights.get_column("weight"),
        _safe(frame, spec, **options).weights.get_column("weight"),
        rtol=RTOL,
        atol=1e-12,
    )
    np.testing.assert_allclose(
        after.get_column("score"), before.get_column("score"), rtol=RTOL, atol=1e-12
    )


@SETTINGS
@given(panels(), OPTIONS, st.integers(0, 3))
def test_flipping_direction_equals_negating_column(data, options, column):
    frame, spec = data
    records = spec.to_frame().to_dicts()
    j = column % len(records)
    records[j]["direction"] = "-" if records[j]["direction"] == "+" else "+"
    flipped = nqpf.IndicatorSpec.from_records(records)
    negated = frame.with_columns(-pl.col(records[j]["indicator"]))
    a = _sorted_scores(_safe(frame, flipped, **options))
    b = _sorted_scores(_safe(negated, spec, **options))
    np.testing.assert_allclose(a.get_column("score"), b.get_column("score"), rtol=RTOL, atol=1e-12)


@SETTINGS
@given(panels(), OPTIONS, st.randoms(use_true_random=False))
def test_row_order_changes_nothing(data, options, random):
    frame, spec = data
    order = list(range(frame.height))
    random.shuffle(order)
    shuffled = frame[order]
    a = _safe(frame, spec, **options)
    b = _safe(shuffled, spec, **options)
    # the same sums in another order (module top): equal to rounding, not bit for bit
    assert a.weights.drop("entropy", "divergence", "weight").equals(
        b.weights.drop("entropy", "divergence", "weight")
    )
    np.testing.assert_allclose(
        a.weights.select("entropy", "divergence", "weight").to_numpy(),
        b.weights.select("entropy", "divergence", "weight").to_numpy(),
        rtol=RTOL,
        atol=1e-12,
    )
    np.testing.assert_allclose(
        _sorted_scores(a).select("score", "rank", "A").to_numpy(),
        _sorted_scores(b).select("score", "rank", "A").to_numpy(),
        rtol=RTOL,
        atol=1e-12,
    )


@SETTINGS
@given(panels(max_years=1), OPTIONS)
def test_year_scope_on_one_year_equals_panel_scope(data, options):
    frame, spec = data
    pooled = _safe(frame, spec, scope="panel", **options)
    per_year = _safe(frame, spec, scope="year", **options)
    np.testing.assert_allclose(
        per_year.weights.get_column("weight"), pooled.weights.get_column("weight"), rtol=1e-12
    )
    np.testing.assert_allclose(
        _sorted_scores(per_year).get_column("score"),
        _sorted_scores(pooled).get_column("score"),
        rtol=1e-12,
    )


def test_pandas_input_equals_polars_input():
    pytest.importorskip("pandas")
    frame = pl.DataFrame(
        {"region": ["a", "b", "c"], "year": [1, 1, 1], "x": [1.0, 2.0, 4.0], "y": [3.0, 1.0, 2.0]}
    )
    spec = nqpf.IndicatorSpec.from_names(["x", "y"])
    a = nqpf.entropy_topsis(frame, spec)
    b = nqpf.entropy_topsis(frame.to_pandas(), spec)
    assert a.scores.equals(b.scores)


# ---------------------------------------------------------------------------
# numpy kernels that replaced scipy on the scoring path
# ---------------------------------------------------------------------------


@settings(deadline=None)  # the first example imports scipy.stats
@given(
    st.lists(st.integers(0, 6), min_size=1, max_size=40),
    st.lists(st.integers(2000, 2003), min_size=40, max_size=40),
)
def test_within_year_ranks_equal_scipy_min_ranks(values, years):
    from scipy.stats import rankdata

    from nqpf.index import within_year_ranks

    score = np.array(values, dtype=float) / 3  # few distinct values: many ties
    year = np.array(years[: len(values)])
    got = within_year_ranks(score, year)
    for y in np.unique(year):
        rows = year == y
        expected = rankdata(-score[rows], method="min")
        assert got[rows].tolist() == expected.astype(int).tolist()


@settings(deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=2, max_size=60))
def test_entropy_zero_rule_equals_xlogy(column):
    from scipy.special import xlogy

    from nqpf.weights import entropy_weights

    x = np.array(column, dtype=float)
    assume(x.sum() > 0)
    x = np.column_stack([x, x[::-1] + 1.0])
    # equal shares in both columns give entropy 1 each and weights 0/0 (the index refuses
    # such columns before this kernel); only the entropies are compared here
    with np.errstate(invalid="ignore", divide="ignore"):
        got = entropy_weights(x).entropy
    for j in range(2):
        p = x[:, j] / x[:, j].sum()
        terms = xlogy(p, p)
        expected = -terms.sum() / np.log(x.shape[0])
        # numpy's and libm's log agree to a few ulps (numpy documents ≤ 4 ulp for its
        # SIMD log): each term p·ln p may differ by 4ε|p ln p|, the sum by 4ε Σ|p ln p|,
        # divided by ln n like the entropy; twice that for the sums' own rounding.
        bound = 8 * np.finfo(float).eps * np.abs(terms).sum() / np.log(x.shape[0])
        assert abs(got[j] - expected) <= bound
