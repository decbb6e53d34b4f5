"""TOPSIS: Hodgett's published car example, the pymcdm/Opricovic–Tzeng fixture, and
pymcdm itself as a live oracle on random matrices.

Tolerances: published values have 4 decimals, hence ``PUBLISHED = 5e-5`` (half a
unit of the last printed digit; our rounding error is 1e-16 of that), 3 decimals
``PUBLISHED_3DP = 5e-4``, and Hodgett's ideal points 9 decimals ``PUBLISHED_9DP``
= 5e-10 (plus ε·|v| for our own rounding). ``EXACT`` = 1e-12 for values exact in
binary or a few roundings of O(1) numbers (≤ 20 roundings ≈ 4e-15). Closeness
C = d⁻/(d⁺ + d⁻) from two implementations: :func:`_closeness_rtol`, because the
weighted normalised values carry ≈ 4ε·max w absolute each, so d± carry ≤ 4mε·max w
over m criteria, and C (condition ≤ 2 w.r.t. d⁺, d⁻ > 0) a relative error ≤
8mε·max w / min(d⁺, d⁻); an alternative next to an ideal (small d) is the
ill-conditioned case. The seeded pymcdm matrices give 2e-14 to 6e-13.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.topsis import closeness, ideal_points, topsis_scores, vector_normalize

EPS = np.finfo(np.float64).eps
PUBLISHED = 5e-5
PUBLISHED_3DP = 5e-4
PUBLISHED_9DP = 5e-10 + EPS
EXACT = 1e-12


def _closeness_rtol(d_plus, d_minus, weights) -> float:
    """Relative tolerance of TOPSIS closeness: 8mε·max w / min(d⁺, d⁻) (module docstring)."""
    w = np.asarray(weights, dtype=float)
    d = min(float(np.min(d_plus)), float(np.min(d_minus)))
    return 8.0 * w.size * EPS * float(w.max()) / d


CARS = pl.DataFrame(
    {
        "region": ["Corsa", "Clio", "Fiesta"],
        "year": [2020, 2020, 2020],
        "price": [5490.0, 6500.0, 6489.0],
        "economy": [51.4, 70.6, 54.3],
        "aesthetics": [8.5, 7.0, 7.5],
        "boot": [285.0, 288.0, 290.0],
    }
)
CAR_SPEC = nqpf.IndicatorSpec.from_names(
    ["price", "economy", "aesthetics", "boot"], directions={"price": "-"}
)
CAR_WEIGHTS = {"price": 0.35, "economy": 0.25, "aesthetics": 0.25, "boot": 0.15}


def _car_scores(**options) -> list[float]:
    result = nqpf.entropy_topsis(CARS, CAR_SPEC, weights=CAR_WEIGHTS, **options)
    order = {name: i for i, name in enumerate(CARS.get_column("region"))}
    table = result.scores.sort(pl.col("region").replace_strict(order))
    return table.get_column("score").to_list()


def test_hodgett_vector_weighted_matrix():
    # Hodgett "TOPSIS in Excel", reproduced in MCDA's test suite (docs/methods.md §7.2)
    scores = _car_scores(normalization="vector", topsis="matrix")
    np.testing.assert_allclose(scores, [0.4817, 0.5182, 0.1780], atol=PUBLISHED)


def test_hodgett_ideal_points():
    x = CARS.select("price", "economy", "aesthetics", "boot").to_numpy()
    w = np.array(list(CAR_WEIGHTS.values()))
    weighted = vector_normalize(x) * w
    best, worst = ideal_points(weighted, np.array([False, True, True, True]))
    np.testing.assert_allclose(
        best, [0.179573776, 0.171636015, 0.159499658, 0.087302767], rtol=0, atol=PUBLISHED_9DP
    )
    np.testing.assert_allclose(
        worst, [0.212610118, 0.124958799, 0.131352659, 0.085797547], rtol=0, atol=PUBLISHED_9DP
    )


@pytest.mark.parametrize(
    ("weighting", "expected"),
    [("matrix", [0.5960, 0.3796, 0.2859]), ("distance", [0.5505, 0.4111, 0.3499])],
)
def test_hodgett_minmax_variants(weighting, expected):
    # docs/methods.md §7.2 [computed]: min–max without shift, both weightings
    scores = _car_scores(normalization="minmax", topsis=weighting, shift=0.0)
    np.testing.assert_allclose(scores, expected, atol=PUBLISHED)


def test_opricovic_tzeng_fixture():
    matrix = np.array([[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]])
    benefit = np.array([False, True])
    weights = np.array([0.5, 0.5])
    minmax = topsis_scores(matrix, weights, benefit, normalization="minmax")
    np.testing.assert_allclose(minmax.score, [0.500, 0.617, 0.500], atol=PUBLISHED_3DP)
    vector = topsis_scores(matrix, weights, benefit, normalization="vector")
    np.testing.assert_allclose(vector.score, [0.7621, 0.7222, 0.2379], atol=PUBLISHED)


def test_distances_by_hand():
    # two alternatives, two benefit criteria already on [0, 1]
    m = np.array([[0.0, 1.0], [1.0, 0.5]])
    w = np.array([0.75, 0.25])
    best, worst = ideal_points(m, np.array([True, True]))
    matrix = closeness(m, w, best, worst, topsis="matrix")
    assert matrix.d_plus[0] == pytest.approx(0.75, abs=EXACT)
    assert matrix.d_minus[0] == pytest.approx(0.125, abs=EXACT)
    assert matrix.score[0] == pytest.approx(0.125 / 0.875, abs=EXACT)
    distance = closeness(m, w, best, worst, topsis="distance")
    assert distance.d_plus[0] == pytest.approx(np.sqrt(0.75), abs=EXACT)
    assert distance.d_minus[0] == pytest.approx(np.sqrt(0.25 * 0.25), abs=EXACT)


@pytest.mark.parametrize("seed", range(5))
def test_against_pymcdm_minmax(seed):
    pymcdm = pytest.importorskip("pymcdm")
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1, 100, size=(12, 5))
    weights = rng.dirichlet(np.ones(5))
    types = np.array([1, -1, 1, 1, -1])
    expected = pymcdm.methods.TOPSIS()(matrix, weights, types)
    ours = topsis_scores(matrix, weights, types > 0, normalization="minmax")
    rtol = _closeness_rtol(ours.d_plus, ours.d_minus, weights)
    np.testing.assert_allclose(ours.score, expected, rtol=rtol)


@pytest.mark.parametrize("seed", range(3))
def test_against_pymcdm_vector(seed):
    pymcdm = pytest.importorskip("pymcdm")
    from pymcdm.normalizations import vector_normalization

    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1, 100, size=(9, 4))
    weights = rng.dirichlet(np.ones(4))
    types = np.array([1, -1, 1, -1])
    expected = pymcdm.methods.TOPSIS(normalization_function=vector_normalization)(
        matrix, weights, types
    )
    # pymcdm's vector normalisation turns cost columns into 1 − r, which moves both
    # ideals by the same amount: distances, hence closeness, are unchanged.
    ours = topsis_scores(matrix, weights, types > 0, normalization="vector")
    rtol = _closeness_rtol(ours.d_plus, ours.d_minus, weights)
    np.testing.assert_allclose(ours.score, expected, rtol=rtol)


def test_ideal_year_and_absolute():
    panel = pl.DataFrame(
        {
            "region": ["a", "b", "a", "b"],
            "year": [1, 1, 2, 2],
            "x": [1.0, 2.0, 3.0, 4.0],
            "y": [2.0, 1.0, 4.0, 3.0],
        }
    )
    spec = nqpf.IndicatorSpec.from_names(["x", "y"])
    per_year = nqpf.entropy_topsis(panel, spec, ideal="year", weights="equal", shift=0.0)
    # within each year each region is best on one criterion and worst on the other
    # with equal weights, so closeness is 0.5 for everyone
    np.testing.assert_allclose(per_year.scores.get_column("score"), 0.5, atol=EXACT)
    absolute = nqpf.entropy_topsis(panel, spec, ideal="absolute", weights="equal", shift=0.0)
    panel_ideal = nqpf.entropy_topsis(panel, spec, ideal="panel", weights="equal", shift=0.0)
    # min–max spans [0, 1] over the panel, so absolute and panel ideals coincide
    np.testing.assert_allclose(
        absolute.scores.get_column("score"), panel_ideal.scores.get_column("score"), rtol=EXACT
    )


def test_linear_index_by_hand():
    panel = pl.DataFrame(
        {"region": ["a", "b", "c"], "year": [1, 1, 1], "x": [0.0, 5.0, 10.0], "y": [3.0, 1.0, 2.0]}
    )
    spec = nqpf.IndicatorSpec.from_names(["x", "y"], directions={"y": "-"})
    result = nqpf.entropy_topsis(panel, spec, method="linear", weights=[0.6, 0.4])
    scores = dict(result.scores.select("region", "score").iter_rows())
    # x' = [0, .5, 1], y' (cost) = [0, 1, .5]
    assert scores == pytest.approx({"a": 0.0, "b": 0.3 + 0.4, "c": 0.6 + 0.2}, abs=EXACT)
    assert result.scores.get_column("d_plus").null_count() == 3


def test_ranks_within_year_with_ties():
    panel = pl.DataFrame(
        {
            "region": ["a", "b", "c", "d"],
            "year": [1, 1, 1, 1],
            "x": [1.0, 2.0, 2.0, 3.0],
            "y": [1.0, 2.0, 2.0, 3.0],
        }
    )
    result = nqpf.entropy_topsis(panel, nqpf.IndicatorSpec.from_names(["x", "y"]))
    ranks = dict(result.scores.select("region", "rank").iter_rows())
    assert ranks == {"d": 1, "b": 2, "c": 2, "a": 4}


def test_dimension_scores_are_topsis_on_their_indicators():
    rng = np.random.default_rng(7)
    values = rng.uniform(1, 10, size=(8, 4))
    panel = pl.DataFrame({"region": [f"r{i}" for i in range(8)], "year": [2000] * 8}).with_columns(
        pl.Series(f"x{j}", values[:, j]) for j in range(4)
    )
    spec = nqpf.IndicatorSpec.from_records(
        [
            {"indicator": "x0", "dimension": "A"},
            {"indicator": "x1", "dimension": "A"},
            {"indicator": "x2", "dimension": "B", "direction": "-"},
            {"indicator": "x3", "dimension": "B"},
        ]
    )
    full = nqpf.entropy_topsis(panel, spec)
    w = full.weights.get_column("weight").to_numpy()
    # dimension A by hand: its indicators' shifted min–max values, weights renormalised
    x = values[:, :2]
    z = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0)) + 1e-4
    wa = w[:2] / w[:2].sum()
    v = z * wa
    d_plus = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    expected = d_minus / (d_plus + d_minus)
    got = full.scores.sort(pl.col("region").str.slice(1).cast(pl.Int64)).get_column("A")
    np.testing.assert_allclose(got, expected, rtol=_closeness_rtol(d_plus, d_minus, wa))


def test_dimension_named_like_a_taken_column_gets_a_prefix():
    panel = pl.DataFrame(
        {
            "region": ["a", "b", "c"] * 2,
            "year": [1] * 3 + [2] * 3,
            "g": ["x", "y", "x"] * 2,
            "s1": [1.0, 2, 3, 4, 5, 7],
            "s2": [3.0, 1, 2, 2, 5, 1],
        }
    )
    spec = nqpf.IndicatorSpec.from_records(
        [{"indicator": "s1", "dimension": "score"}, {"indicator": "s2", "dimension": "g"}]
    )
    result = nqpf.entropy_topsis(panel, spec)
    assert result.dimension_columns == {"score": "dim_score", "g": "dim_g"}
    assert result.scores.get_column("g").to_list()[:1] in (["x"], ["y"])  # the carried column
    assert "dim_score" in result.summary()
