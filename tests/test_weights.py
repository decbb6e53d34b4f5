"""Entropy, CRITIC, CV weights: hand-worked values and the docs/methods.md §7.3 fixtures.

The §7.3 numbers come from docs/methods.md (computed independently of this code, printed to
6 decimals), hence the tolerance of 5e-7 (half a unit of the last digit).

``EXACT`` = 1e-12 for hand values: each is ≤ 20 roundings of O(1) numbers (an entropy
of ≤ 4 terms and a log, a normalisation), ≲ 20ε ≈ 4e-15, and none of them is
ill-conditioned (1 − e ≥ 0.08 here), so 1e-12 bounds them on any CPU; a real error
(a wrong term, a wrong log base) is ≥ 1e-3.
"""

from __future__ import annotations

import math
import re

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.weights import EPSILON, critic_weights, cv_weights, entropy_weights, standardize

SIX_DECIMALS = 5e-7
EXACT = 1e-12

# docs/methods.md §7.3: 3 regions × 2 years, the third indicator is a cost.
FIXTURE_ROWS = [
    ("R1", 1, 10, 0.2, 5),
    ("R2", 1, 20, 0.5, 3),
    ("R3", 1, 30, 0.4, 4),
    ("R1", 2, 15, 0.3, 4),
    ("R2", 2, 25, 0.6, 2),
    ("R3", 2, 40, 0.5, 3),
]


@pytest.fixture
def fixture_panel() -> pl.DataFrame:
    return pl.DataFrame(FIXTURE_ROWS, schema=["region", "year", "x1", "x2", "x3"], orient="row")


@pytest.fixture
def fixture_spec() -> nqpf.IndicatorSpec:
    return nqpf.IndicatorSpec.from_names(["x1", "x2", "x3"], directions={"x3": "-"})


def _weights(result: nqpf.IndexResult) -> list[float]:
    return result.weights.get_column("weight").to_list()


@pytest.mark.parametrize(
    ("shift", "expected"),
    [
        (0.0, [0.381331, 0.308323, 0.310346]),
        (1e-4, [0.381331, 0.308336, 0.310334]),
        (0.01, [0.380682, 0.309288, 0.310029]),
    ],
)
def test_pooled_entropy_fixture(fixture_panel, fixture_spec, shift, expected):
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, shift=shift)
    np.testing.assert_allclose(_weights(result), expected, atol=SIX_DECIMALS)


def test_pooled_entropy_fixture_entropies(fixture_panel, fixture_spec):
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, shift=0.0)
    np.testing.assert_allclose(
        result.weights.get_column("entropy").to_list(),
        [0.815663, 0.850955, 0.849977],
        atol=SIX_DECIMALS,
    )


def test_ratio_standardisation_fixture(fixture_panel, fixture_spec):
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, standardization="ratio", shift=0.0)
    np.testing.assert_allclose(_weights(result), [0.470570, 0.290677, 0.238753], atol=SIX_DECIMALS)


def test_per_year_fixture(fixture_panel, fixture_spec):
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, scope="year", shift=1e-4)
    by_year = {
        year: frame.sort("indicator").get_column("weight").to_list()
        for (year,), frame in result.weights.group_by("year")
    }
    np.testing.assert_allclose(by_year[1], [0.342342, 0.315317, 0.342342], atol=SIX_DECIMALS)
    np.testing.assert_allclose(by_year[2], [0.360461, 0.306629, 0.332910], atol=SIX_DECIMALS)
    assert result.weights.columns[0] == "year"


def test_zscore_needs_a_large_enough_translation(fixture_panel, fixture_spec):
    # docs/methods.md §7.3: with this data the z-score variant needs H > 1.472
    with pytest.raises(nqpf.InputError, match=r"greater than 1\.47"):
        nqpf.entropy_topsis(fixture_panel, fixture_spec, standardization="zscore", shift=1.0)
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, standardization="zscore", shift=1.5)
    assert abs(sum(_weights(result)) - 1) < EXACT


def test_entropy_by_hand():
    # x = [0, 1, 2] → min–max [0, 1/2, 1], no shift → p = [0, 1/3, 2/3]
    # y = [4, 2, 0] (cost) → [0, 1/2, 1] as well; z = [1, 0, 1] → p = [1/2, 0, 1/2]
    matrix = np.array([[0.0, 4.0, 1.0], [1.0, 2.0, 0.0], [2.0, 0.0, 1.0]])
    benefit = np.array([True, False, True])
    standardized = standardize(matrix, benefit)
    np.testing.assert_allclose(standardized[:, 0], [0, 0.5, 1], atol=EXACT)
    np.testing.assert_allclose(standardized[:, 1], [0, 0.5, 1], atol=EXACT)
    e_x = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(3)
    e_z = -(2 * 0.5 * math.log(0.5)) / math.log(3)
    expected_d = np.array([1 - e_x, 1 - e_x, 1 - e_z])
    result = entropy_weights(standardized)
    np.testing.assert_allclose(result.entropy, [e_x, e_x, e_z], rtol=EXACT)
    np.testing.assert_allclose(result.weight, expected_d / expected_d.sum(), rtol=EXACT)


def test_zero_log_epsilon_is_close_to_zero_rule():
    standardized = np.array([[0.0, 1.0], [0.5, 0.0], [1.0, 0.3]])
    exact = entropy_weights(standardized, zero_log="zero")
    eps = entropy_weights(standardized, zero_log="epsilon").weight
    # (p + c)·ln(p + c) − p·ln p ≤ c·(|ln c| + |ln p| + 1) per term, c = EPSILON = 1e-12,
    # so each entropy moves by ≤ n·c·(|ln c| + 1 + max|ln p|)/ln n and each weight
    # d_j/Σd by ≤ 2× that / Σd (n = 3 rows; p ≥ 0.3/1.3 where p > 0)
    n, c = standardized.shape[0], EPSILON
    shift = n * c * (abs(math.log(c)) + 1 + abs(math.log(0.3 / 1.3))) / math.log(n)
    atol = 2 * shift / exact.divergence.sum()
    assert 0 < np.abs(eps - exact.weight).max() <= atol
    np.testing.assert_allclose(eps, exact.weight, rtol=0, atol=atol)


def test_critic_by_hand():
    z = np.array([[0.0, 1.0, 0.2], [0.5, 0.0, 0.9], [1.0, 0.25, 0.4], [0.2, 0.6, 1.0]])
    sigma = [np.std(z[:, j], ddof=1) for j in range(3)]
    r = [[np.corrcoef(z[:, j], z[:, k])[0, 1] for k in range(3)] for j in range(3)]
    c = [sigma[j] * sum(1 - r[j][k] for k in range(3)) for j in range(3)]
    np.testing.assert_allclose(critic_weights(z), np.array(c) / sum(c), rtol=EXACT)


def test_cv_by_hand():
    x = np.array([[1.0, 10.0], [2.0, 10.5], [3.0, 9.5]])
    v = [np.std(x[:, 0], ddof=1) / 2.0, np.std(x[:, 1], ddof=1) / 10.0]
    np.testing.assert_allclose(cv_weights(x), np.array(v) / sum(v), rtol=EXACT)


@pytest.mark.parametrize("method", ["entropy", "critic", "cv", "equal"])
def test_every_method_gives_a_distribution(fixture_panel, fixture_spec, method):
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, weights=method)
    weights = np.array(_weights(result))
    assert np.all(weights >= 0)
    assert abs(weights.sum() - 1) < EXACT
    if method != "entropy":
        assert result.weights.get_column("entropy").null_count() == 3


def test_user_weights_are_normalised(fixture_panel, fixture_spec):
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, weights={"x1": 2, "x2": 1, "x3": 1})
    np.testing.assert_allclose(_weights(result), [0.5, 0.25, 0.25], rtol=EXACT)
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, weights=[1, 1, 2])
    np.testing.assert_allclose(_weights(result), [0.25, 0.25, 0.5], rtol=EXACT)


def test_user_index_weights_check_and_normalise_as_the_index_does(fixture_panel, fixture_spec):
    """nqpf.index.user_index_weights (the app's check of its given-weights table) gives
    the index's own weight vector, and its messages are the index's."""
    from nqpf.errors import InputError
    from nqpf.index import user_index_weights
    from nqpf.options import IndexOptions

    given = {"x3": 1, "x1": 2, "x2": 1}  # in another order than the spec's
    names = list(fixture_spec.names)
    weights = user_index_weights(IndexOptions(weights=given), names)
    result = nqpf.entropy_topsis(fixture_panel, fixture_spec, weights=given)
    assert weights.tolist() == list(_weights(result))
    np.testing.assert_allclose(weights, [0.5, 0.25, 0.25], rtol=EXACT)
    for bad, line in (
        ({"x1": 1, "x2": 1}, "no weight given for indicator 'x3'"),
        ([1, 1], "2 weights given for 3 indicators"),
        ([0, 0, 0], "the weights sum to 0"),
    ):
        with pytest.raises(InputError, match=re.escape(line)):
            user_index_weights(IndexOptions(weights=bad), names)
        with pytest.raises(InputError, match=re.escape(line)):
            nqpf.entropy_topsis(fixture_panel, fixture_spec, weights=bad)
    with pytest.raises(InputError, match="names a method, not user-given weights"):
        user_index_weights(IndexOptions(weights="entropy"), names)


def test_dimension_weights_sum_indicator_weights(fixture_panel):
    spec = nqpf.IndicatorSpec.from_records(
        [
            {"indicator": "x1", "dimension": "a", "direction": "+"},
            {"indicator": "x2", "dimension": "b", "direction": "+"},
            {"indicator": "x3", "dimension": "a", "direction": "-"},
        ]
    )
    result = nqpf.entropy_topsis(fixture_panel, spec)
    w = dict(
        zip(
            *result.weights.select("indicator", "weight").to_dict(as_series=False).values(),
            strict=True,
        )
    )
    dims = dict(result.dimension_weights.iter_rows())
    assert dims["a"] == pytest.approx(w["x1"] + w["x3"], abs=EXACT)
    assert dims["b"] == pytest.approx(w["x2"], abs=EXACT)
