"""Indicator types in the spec (mid, interval), cost conversions, base-period and
zero-tolerant ratio standardisation (issue 13, deliver 1; docs/methods.md §2).

References are written out here by their formulas (brute force, one value at a time),
never taken from nqpf's output:

* moderate: y = 1 − |x − t| / max|x − t|; interval [a, b]: M = max(a − min, max − b),
  y = 1 − (a − x)/M below, 1 − (x − b)/M above, 1 inside (Si Shoukui & Sun Xijing,
  《数学建模算法与应用》; Guo Yajun, 《综合评价理论、方法及应用》, 2007);
* base period: (x − min_base)/(max_base − min_base), as Stata's ``ewm, base``
  ("uses the maximum and minimum values of the base period for standardization").
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf import IndexOptions, IndicatorSpec, entropy_topsis, read_spec
from nqpf.errors import InputError

RIVER = {  # a small mixed-type panel: two years of five regions
    "region": list("ABCDE") * 2,
    "year": [2019] * 5 + [2020] * 5,
    "oxygen": [4.7, 2.9, 7.0, 5.2, 6.1, 5.0, 3.3, 7.4, 5.9, 6.4],  # benefit
    "ph": [6.1, 7.4, 8.5, 6.9, 7.0, 6.5, 7.2, 8.1, 7.7, 6.8],  # moderate, target 7
    "germ": [80.0, 20, 45, 33, 61, 90, 25, 40, 30, 55],  # cost
    "nutrient": [8.0, 13, 24, 17, 5, 11, 19, 22, 9, 15],  # interval [10, 20]
}


def _spec(**extra):
    return IndicatorSpec.from_records(
        [
            {"indicator": "oxygen", "dimension": "water"},
            {"indicator": "ph", "dimension": "water", "direction": "mid", "target": 7},
            {"indicator": "germ", "dimension": "life", "direction": "-"},
            {
                "indicator": "nutrient",
                "dimension": "life",
                "direction": "interval",
                "lower": 10,
                "upper": 20,
            },
        ],
        **extra,
    )


def _moderate(values, target):
    spread = max(abs(v - target) for v in values)
    return [1 - abs(v - target) / spread for v in values]


def _interval(values, a, b):
    spread = max(a - min(values), max(values) - b)
    out = []
    for v in values:
        if v < a:
            out.append(1 - (a - v) / spread)
        elif v > b:
            out.append(1 - (v - b) / spread)
        else:
            out.append(1.0)
    return out


def _minmax(values, reference=None):
    reference = values if reference is None else reference
    low, high = min(reference), max(reference)
    return [(v - low) / (high - low) for v in values]


def _column(result, name):
    return result.standardized.sort("year", "region")[name].to_list()


# ---------------------------------------------------------------------------
# the spec forms


def test_spec_forms_read_types(tmp_path):
    csv = tmp_path / "spec.csv"
    csv.write_text(
        "indicator,dimension,direction,target,lower,upper\n"
        "oxygen,water,+,,,\nph,water,mid,7,,\ngerm,life,-,,,\nnutrient,life,interval,,10,20\n",
        encoding="utf-8",
    )
    toml = tmp_path / "spec.toml"
    toml.write_text(_spec().to_toml(), encoding="utf-8")
    for spec in (read_spec(csv), read_spec(toml), read_spec(_spec().to_frame()), _spec()):
        assert [i.direction for i in spec] == ["+", "mid", "-", "interval"]
        assert spec.indicators[1].target == 7.0
        assert (spec.indicators[3].lower, spec.indicators[3].upper) == (10.0, 20.0)
        assert spec.benefit.tolist() == [True, True, False, True]


def test_spec_type_aliases_in_both_languages():
    spec = IndicatorSpec.from_records(
        [
            {"indicator": "a", "direction": "适度", "target": 1},
            {"indicator": "b", "direction": "区间", "lower": 0, "upper": 1},
            {"indicator": "c", "direction": "moderate", "target": 2},
        ]
    )
    assert [i.direction for i in spec] == ["mid", "interval", "mid"]


def test_plain_spec_keeps_its_five_columns():
    spec = IndicatorSpec.from_names(["a", "b"], directions={"b": "-"})
    assert spec.to_frame().columns == ["indicator", "dimension", "direction", "label", "unit"]
    assert "target" not in spec.to_toml()


@pytest.mark.parametrize(
    ("record", "match"),
    [
        ({"indicator": "ph", "direction": "mid"}, "'ph' is moderate .* no target"),
        ({"indicator": "n", "direction": "interval", "lower": 1}, "'n' is an interval .* both"),
        ({"indicator": "n", "direction": "interval", "lower": 5, "upper": 1}, "lower 5 > upper 1"),
        ({"indicator": "g", "direction": "+", "target": 3}, "'g' has a target"),
        ({"indicator": "g", "direction": "-", "upper": 3}, "'g' has interval bounds"),
        ({"indicator": "ph", "direction": "mid", "target": "seven"}, "target 'seven' of .*'ph'"),
        ({"indicator": "ph", "direction": "mid", "target": math.inf}, "'ph' is not a finite"),
        (
            {"indicator": "x", "direction": "middle"},
            "neither '\\+' nor '-' nor one of mid, interval",
        ),
    ],
)
def test_spec_type_errors_name_the_indicator(record, match):
    with pytest.raises(InputError, match=match) as caught:
        IndicatorSpec.from_records([record])
    assert "\n" not in caught.value.message


# ---------------------------------------------------------------------------
# the transformations, against the formulas


def test_mid_and_interval_transform_then_minmax():
    result = entropy_topsis(pl.DataFrame(RIVER), _spec())
    frame = pl.DataFrame(RIVER).sort("year", "region")
    ph = _moderate(frame["ph"].to_list(), 7.0)
    nutrient = _interval(frame["nutrient"].to_list(), 10.0, 20.0)
    np.testing.assert_allclose(_column(result, "ph"), _minmax(ph), rtol=0, atol=1e-15)
    np.testing.assert_allclose(_column(result, "nutrient"), _minmax(nutrient), rtol=0, atol=1e-15)
    germ = frame["germ"].to_list()
    expected = [(max(germ) - v) / (max(germ) - min(germ)) for v in germ]
    assert _column(result, "germ") == expected  # the cost reversal of today, exactly


def test_types_per_year_take_each_years_spread():
    result = entropy_topsis(pl.DataFrame(RIVER), _spec(), scope="year")
    frame = pl.DataFrame(RIVER).sort("year", "region")
    for year in (2019, 2020):
        ph = frame.filter(pl.col("year") == year)["ph"].to_list()
        got = result.standardized.filter(pl.col("year") == year).sort("region")["ph"]
        np.testing.assert_allclose(got, _minmax(_moderate(ph, 7.0)), atol=1e-15)


def test_cost_difference_is_todays_minmax_bit_for_bit():
    spec = IndicatorSpec.from_names(["oxygen", "germ"], directions={"germ": "-"})
    today = entropy_topsis(pl.DataFrame(RIVER), spec)
    difference = entropy_topsis(pl.DataFrame(RIVER), spec, cost="difference")
    assert today.scores.equals(difference.scores)
    assert today.weights.equals(difference.weights)


def test_cost_reciprocal_and_difference_under_ratio():
    spec = IndicatorSpec.from_names(["oxygen", "germ"], directions={"germ": "-"})
    germ = pl.DataFrame(RIVER).sort("year", "region")["germ"].to_list()
    reciprocal = entropy_topsis(
        pl.DataFrame(RIVER), spec, standardization="ratio", cost="reciprocal"
    )
    top = max(1 / v for v in germ)
    np.testing.assert_allclose(
        _column(reciprocal, "germ"), [(1 / v) / top for v in germ], atol=1e-15
    )
    difference = entropy_topsis(
        pl.DataFrame(RIVER), spec, standardization="ratio", cost="difference"
    )
    gaps = [max(germ) - v for v in germ]
    np.testing.assert_allclose(
        _column(difference, "germ"), [g / max(gaps) for g in gaps], atol=1e-15
    )
    reverse = entropy_topsis(pl.DataFrame(RIVER), spec, standardization="ratio")
    assert _column(reverse, "germ") == [min(germ) / v for v in germ]


def test_ratio_allows_zeros_in_benefit_columns():
    frame = pl.DataFrame(RIVER).with_columns(
        pl.Series("oxygen", [0.0, 2.9, 7.0, 5.2, 6.1, 0.0, 3.3, 6.8, 5.9, 6.4])
    )
    spec = IndicatorSpec.from_names(["oxygen", "germ"], directions={"germ": "-"})
    result = entropy_topsis(frame, spec, standardization="ratio")
    oxygen = frame.sort("year", "region")["oxygen"].to_list()
    assert _column(result, "oxygen") == [v / 7.0 for v in oxygen]
    # a moderate column's transform has zeros by construction: ratio takes it
    typed = entropy_topsis(pl.DataFrame(RIVER), _spec(), standardization="ratio")
    assert min(_column(typed, "ph")) == 0.0


def test_ratio_refuses_negative_benefit_and_nonpositive_cost_values():
    frame = pl.DataFrame(RIVER).with_columns(pl.col("oxygen") - 4.0)
    spec = IndicatorSpec.from_names(["oxygen", "germ"], directions={"germ": "-"})
    with pytest.raises(InputError, match="values ≥ 0; 'oxygen' has negative"):
        entropy_topsis(frame, spec, standardization="ratio")
    frame = pl.DataFrame(RIVER).with_columns(
        pl.Series("germ", [0.0, 20, 45, 33, 61, 70, 25, 40, 30, 55])
    )
    with pytest.raises(InputError, match="positive values; 'germ' has values ≤ 0"):
        entropy_topsis(frame, spec, standardization="ratio")


def test_base_period_uses_the_base_years_range():
    spec = IndicatorSpec.from_names(["oxygen", "germ"], directions={"germ": "-"})
    result = entropy_topsis(pl.DataFrame(RIVER), spec, base=2019, shift=1.0)
    frame = pl.DataFrame(RIVER).sort("year", "region")
    base = frame.filter(pl.col("year") == 2019)
    oxygen = _minmax(frame["oxygen"].to_list(), base["oxygen"].to_list())
    np.testing.assert_allclose(_column(result, "oxygen"), oxygen, atol=1e-15)
    germ = frame["germ"].to_list()
    low, high = base["germ"].min(), base["germ"].max()
    np.testing.assert_allclose(
        _column(result, "germ"), [(high - v) / (high - low) for v in germ], atol=1e-15
    )
    later = result.standardized.filter(pl.col("year") == 2020)
    assert later["oxygen"].max() > 1.0  # outside [0, 1] on both sides
    assert later["germ"].min() < 0.0


def test_base_period_needs_a_shift_that_keeps_shares_nonnegative():
    spec = IndicatorSpec.from_names(["oxygen", "germ"], directions={"germ": "-"})
    with pytest.raises(InputError, match="'germ' falls below its base-year range") as caught:
        entropy_topsis(pl.DataFrame(RIVER), spec, base=2019)
    assert "choose shift of at least" in caught.value.message
    with pytest.raises(InputError, match="base year 1990 has 0 region"):
        entropy_topsis(pl.DataFrame(RIVER), spec, base=1990, shift=1.0)
    with pytest.raises(InputError, match="ideal='absolute'"):
        IndexOptions(base=2019, ideal="absolute")


def test_type_errors_against_the_data():
    spec = IndicatorSpec.from_records([{"indicator": "ph", "direction": "mid", "target": 9.5}])
    with pytest.raises(InputError, match=r"target 9\.5 of moderate indicator 'ph' lies outside"):
        entropy_topsis(pl.DataFrame(RIVER), spec)
    spec = IndicatorSpec.from_records(
        [
            {"indicator": "ph", "direction": "interval", "lower": 5, "upper": 9},
            {"indicator": "oxygen"},
        ]
    )
    with pytest.raises(InputError, match="'ph' is constant once its type is applied"):
        entropy_topsis(pl.DataFrame(RIVER), spec)
    frame = pl.DataFrame(RIVER).with_columns(pl.col("germ") - 30.0)
    spec = IndicatorSpec.from_names(["oxygen", "germ"], directions={"germ": "-"})
    with pytest.raises(InputError, match=r"cost='reciprocal' .* 'germ' has values ≤ 0"):
        entropy_topsis(frame, spec, cost="reciprocal")


# ---------------------------------------------------------------------------
# properties


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False), min_size=3, max_size=12
    ),
    pick=st.integers(0, 11),
)
def test_mid_at_its_target_scores_one(values, pick):
    target = values[pick % len(values)]
    others = [float(i) for i in range(len(values))]
    if len(set(values)) < 2 or all(v == target for v in values):
        return
    frame = pl.DataFrame(
        {
            "region": [f"r{i}" for i in range(len(values))],
            "year": [2000] * len(values),
            "x": values,
            "other": others,
        }
    )
    spec = IndicatorSpec.from_records(
        [{"indicator": "x", "direction": "mid", "target": target}, {"indicator": "other"}]
    )
    moderate = _moderate(values, target)
    if len(set(moderate)) < 2:
        return
    result = entropy_topsis(frame, spec)
    got = result.standardized.sort("region", descending=False)
    at_target = [i for i, v in enumerate(values) if v == target]
    column = dict(zip(got["region"], got["x"], strict=True))
    for i in at_target:
        assert column[f"r{i}"] == 1.0
    # monotone: nearer the target is never worse
    order = sorted(range(len(values)), key=lambda i: abs(values[i] - target))
    scores = [column[f"r{i}"] for i in order]
    assert all(a >= b for a, b in itertools.pairwise(scores))


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-100, 100, allow_nan=False), min_size=3, max_size=12, unique=True),
    bounds=st.tuples(st.floats(-100, 100), st.floats(0, 50)),
)
def test_interval_is_one_inside_and_monotone_outside(values, bounds):
    lower, width = bounds
    upper = lower + width
    typed = _interval(values, lower, upper)
    if len(set(typed)) < 2:
        return
    frame = pl.DataFrame(
        {
            "region": [f"r{i:02d}" for i in range(len(values))],
            "year": [2000] * len(values),
            "x": values,
            "other": [float(i) for i in range(len(values))],
        }
    )
    spec = IndicatorSpec.from_records(
        [
            {"indicator": "x", "direction": "interval", "lower": lower, "upper": upper},
            {"indicator": "other"},
        ]
    )
    got = entropy_topsis(frame, spec, standardization="ratio").standardized.sort("region")["x"]
    np.testing.assert_allclose(got, [t / max(typed) for t in typed], atol=1e-12)
    for v, g in zip(values, got, strict=True):
        if lower <= v <= upper:
            assert g == 1.0


def test_moderate_base_year_at_its_target_is_refused():
    frame = pl.DataFrame(
        {"region": list("AB") * 2, "year": [1, 1, 2, 2], "x": [7.0, 7, 6, 8], "y": [1.0, 2, 3, 4]}
    )
    spec = IndicatorSpec.from_records(
        [{"indicator": "x", "direction": "mid", "target": 7}, {"indicator": "y"}]
    )
    with pytest.raises(InputError, match=r"'x' cannot be transformed: .* spread M is 0"):
        entropy_topsis(frame, spec, base=1, shift=2.0)
