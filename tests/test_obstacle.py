"""Obstacle degree model: a hand-worked example, invariants and bad input.

Tolerances (ε = 2⁻⁵²): O_j = 100·w_j(1 − x_j) / Σ_k w_k(1 − x_k) over m = 4
indicators is at most 9 roundings (1 − x, the product, m − 1 additions, the
division, ×100), each ≤ ε/2 relative; a hand value such as 20/0.55 adds 2 more.
``HAND`` = 16ε ≈ 3.6e-15 covers both (observed ≤ 2e-16, one ulp). Shares summed
over m indicators (or recomputed with weights ×7, one more rounding each) carry
the shares' error plus m − 1 additions: ``SHARES`` = 32ε ≈ 7e-15 relative (observed
≤ 4e-16). Nothing here depends on BLAS.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from nqpf.errors import InputError
from nqpf.obstacle import obstacle_degree

WEIGHTS = {"rd": 0.4, "patents": 0.1, "green": 0.3, "digital": 0.2}
DIMS = {"rd": "tech", "patents": "tech", "green": "green", "digital": "digital"}
EPS = np.finfo(np.float64).eps
HAND = 16 * EPS
SHARES = 32 * EPS


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "region": ["A", "A", "B", "B"],
            "year": [2020, 2021, 2020, 2021],
            "rd": [0.5, 1.0, 0.0, 0.25],
            "patents": [1.0, 0.5, 0.2, 0.0],
            "green": [0.0, 1.0, 0.6, 1.0],
            "digital": [0.75, 1.0, 1.0, 0.5],
        }
    )


def test_hand_worked_example():
    # Region A, 2020: w·(1 − x') = 0.4·0.5, 0.1·0, 0.3·1, 0.2·0.25 = 0.2, 0, 0.3, 0.05;
    # total 0.55, so O = 36.36…, 0, 54.54…, 9.09… percent.
    # Region B, 2021: 0.4·0.75, 0.1·1, 0.3·0, 0.2·0.5 = 0.3, 0.1, 0, 0.1; total 0.5.
    ind, dim = obstacle_degree(_frame(), WEIGHTS, DIMS)
    a20 = ind.filter((pl.col("region") == "A") & (pl.col("year") == 2020))
    assert a20["indicator"].to_list() == ["rd", "patents", "green", "digital"]
    np.testing.assert_allclose(
        a20["obstacle"].to_numpy(), [20 / 0.55, 0, 30 / 0.55, 5 / 0.55], rtol=HAND
    )
    np.testing.assert_allclose(a20["deviation"].to_numpy(), [0.5, 0, 1, 0.25])
    b21 = ind.filter((pl.col("region") == "B") & (pl.col("year") == 2021))
    np.testing.assert_allclose(b21["obstacle"].to_numpy(), [60, 20, 0, 20], rtol=HAND)
    d = dim.filter((pl.col("region") == "B") & (pl.col("year") == 2021))
    assert d["dimension"].to_list() == ["tech", "green", "digital"]
    np.testing.assert_allclose(d["obstacle"].to_numpy(), [80, 0, 20], rtol=HAND)
    assert ind.columns == [
        "region",
        "year",
        "indicator",
        "dimension",
        "weight",
        "deviation",
        "obstacle",
    ]
    assert dim.columns == ["region", "year", "dimension", "obstacle"]


def test_rows_sum_to_100_and_best_values_are_no_obstacle():
    rng = np.random.default_rng(2)
    n = 40
    frame = pl.DataFrame(
        {"region": [f"r{i}" for i in range(n)], "year": [2022] * n}
        | {k: rng.uniform(0, 1, n) for k in WEIGHTS}
    ).with_columns(
        pl.when(pl.int_range(pl.len()) % 3 == 0).then(1.0).otherwise(pl.col("green")).alias("green")
    )
    res = obstacle_degree(frame, WEIGHTS, DIMS)
    sums = res.indicators.group_by("region").agg(pl.col("obstacle").sum())
    np.testing.assert_allclose(sums["obstacle"].to_numpy(), 100, rtol=SHARES)
    dsum = res.dimensions.group_by("region").agg(pl.col("obstacle").sum())
    np.testing.assert_allclose(dsum["obstacle"].to_numpy(), 100, rtol=SHARES)
    at_max = res.indicators.filter((pl.col("indicator") == "green") & (pl.col("deviation") == 0))
    assert at_max.height == 14
    assert (at_max["obstacle"] == 0).all()
    # Scaling all weights leaves the shares unchanged.
    scaled = obstacle_degree(frame, {k: 7 * w for k, w in WEIGHTS.items()}, DIMS)
    np.testing.assert_allclose(
        scaled.indicators["obstacle"], res.indicators["obstacle"], rtol=SHARES
    )


def test_top_and_no_shortfall():
    res = obstacle_degree(_frame(), WEIGHTS, DIMS)
    top = res.top(2)
    assert top.columns == ["region", "year", "rank", "indicator", "dimension", "obstacle"]
    # A 2021 is at the best value everywhere except patents: 100 % there, then 0 for the rest
    a21 = top.filter((pl.col("region") == "A") & (pl.col("year") == 2021))
    assert a21["indicator"].to_list() == ["patents", "digital"]
    assert a21["obstacle"].to_list() == [100.0, 0.0]
    b20 = res.top(1, "dimension").filter((pl.col("region") == "B") & (pl.col("year") == 2020))
    assert b20["dimension"].to_list() == ["tech"]
    best = pl.DataFrame({"region": ["Z"], "year": [1]} | {k: [1.0] for k in WEIGHTS})
    ind, dim = obstacle_degree(best, WEIGHTS, DIMS)
    assert ind["obstacle"].is_nan().all()
    assert dim["obstacle"].is_nan().all()
    assert obstacle_degree(best, WEIGHTS, DIMS).top().height == 0


def test_weights_frame_with_years_and_dimensions():
    frame = _frame()
    wf = pl.DataFrame(
        {
            "year": [2020] * 4 + [2021] * 4,
            "indicator": list(WEIGHTS) * 2,
            "weight": list(WEIGHTS.values()) + [0.25] * 4,
            "dimension": list(DIMS.values()) * 2,
        },
        schema_overrides={"year": pl.Int32},
    )
    res = obstacle_degree(frame, wf)
    same = obstacle_degree(frame.filter(pl.col("year") == 2020), WEIGHTS, DIMS)
    np.testing.assert_allclose(
        res.indicators.filter(pl.col("year") == 2020)["obstacle"],
        same.indicators["obstacle"],
        rtol=HAND,
    )
    b21 = res.indicators.filter((pl.col("region") == "B") & (pl.col("year") == 2021))
    # equal weights: 0.75, 1, 0, 0.5 out of 2.25
    np.testing.assert_allclose(
        b21["obstacle"].to_numpy(), np.array([0.75, 1, 0, 0.5]) / 2.25 * 100, rtol=HAND
    )


def test_pandas_input_and_explicit_keys():
    pytest.importorskip("pandas")
    frame = _frame().with_columns(note=pl.lit("x"))
    res = obstacle_degree(frame.to_pandas(), WEIGHTS, DIMS, keys=["region", "year"])
    assert res.keys == ("region", "year")
    assert res.indicators.height == 16


def test_bad_input():
    frame = _frame()
    with pytest.raises(
        InputError, match=r"row 3, column 'green': standardised value 1.5 is outside \[0, 1\]"
    ):
        obstacle_degree(frame.with_columns(pl.Series("green", [0.0, 1.0, 1.5, 1.0])), WEIGHTS, DIMS)
    with pytest.raises(InputError, match=r"no column 'energy' \(indicator\)"):
        obstacle_degree(frame, WEIGHTS | {"energy": 0.1}, DIMS | {"energy": "green"})
    with pytest.raises(InputError, match="indicator 'digital' has no dimension"):
        obstacle_degree(frame, WEIGHTS, {k: v for k, v in DIMS.items() if k != "digital"})
    with pytest.raises(InputError, match=r"weight -0\.1 of indicator 'rd'"):
        obstacle_degree(frame, WEIGHTS | {"rd": -0.1}, DIMS)
    with pytest.raises(InputError, match="all weights are 0"):
        obstacle_degree(frame, dict.fromkeys(WEIGHTS, 0.0), DIMS)
    with pytest.raises(InputError, match="no dimensions given"):
        obstacle_degree(frame, WEIGHTS)
    with pytest.raises(InputError, match="row 2, column 'rd': missing value"):
        obstacle_degree(frame.with_columns(pl.Series("rd", [0.5, None, 0.0, 0.25])), WEIGHTS, DIMS)
    with pytest.raises(InputError, match="duplicate row"):
        obstacle_degree(pl.concat([frame, frame.head(1)]), WEIGHTS, DIMS)


def test_weights_year_column_of_another_type_is_refused():
    wf = pl.DataFrame(
        {"year": ["y2020"] * 4, "indicator": list(WEIGHTS), "weight": list(WEIGHTS.values())}
    )
    with pytest.raises(InputError, match="the weights' 'year' values do not read as") as err:
        obstacle_degree(_frame(), wf, DIMS)
    assert err.value.column == "year"


@pytest.mark.parametrize("scope", ["panel", "year"])
def test_an_index_result_alone_gives_its_obstacles(scope):
    """obstacle_degree(result) = obstacle_degree(result.standardized, its weights, its
    dimensions), per year with scope="year"; a year column called "weight" is kept."""
    import nqpf

    rng = np.random.default_rng(5)
    df = pl.DataFrame(
        {
            "region": [f"r{i}" for i in range(5)] * 4,
            "weight": np.repeat(np.arange(2000, 2004), 5),
            "a": rng.uniform(1, 2, 20),
            "b": rng.uniform(1, 2, 20),
        }
    )
    spec = nqpf.IndicatorSpec.from_records(
        [
            {"indicator": "a", "dimension": "X"},
            {"indicator": "b", "dimension": "Y", "direction": "-"},
        ]
    )
    res = nqpf.entropy_topsis(df, spec, year="weight", scope=scope)
    got = obstacle_degree(res)
    z = res.standardized
    for year in z["weight"].unique().sort().to_list() if scope == "year" else [None]:
        table = res.weights if year is None else res.weights.filter(pl.col("weight") == year)
        w = dict(zip(table["indicator"], table[res.weight_column], strict=True))
        part = z if year is None else z.filter(pl.col("weight") == year)
        want = obstacle_degree(part, w, {"a": "X", "b": "Y"}, keys=["region", "weight"])
        mine = got.indicators.filter(pl.col("weight").is_in(part["weight"].unique().implode()))
        assert mine.columns == want.indicators.columns
        assert mine.equals(want.indicators)
