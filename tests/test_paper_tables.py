"""The tables a paper prints before its results: indicator system with weights,
descriptive statistics, the index by region and year (issue 11 item 7).

Each is checked against an independent computation from the panel itself (numpy on
the raw columns, a pivot of the score table), not against its own output.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.report.tables import descriptive_statistics, indicator_system, scores_by_year

#: Sums of ≤ 2,106 values of one sign: relative rounding ≤ n·ε; 1e-12 is far above it.
REL = 1e-12


@pytest.fixture(scope="module")
def pwt():
    panel, spec = nqpf.load_pwt()
    return panel, spec, nqpf.entropy_topsis(panel, spec)


def test_descriptive_statistics_are_the_raw_columns(pwt):
    panel, spec, result = pwt
    stats = descriptive_statistics(result)
    assert stats.get_column("indicator").to_list() == list(spec.names)
    for row in stats.iter_rows(named=True):
        x = panel.frame.get_column(row["indicator"]).cast(pl.Float64).to_numpy()
        n = x.size
        mean = math.fsum(x) / n
        sd = math.sqrt(math.fsum((x - mean) ** 2) / (n - 1))
        assert row["n"] == n
        assert row["mean"] == pytest.approx(mean, rel=REL)
        assert row["sd"] == pytest.approx(sd, rel=REL)
        assert row["min"] == x.min()
        assert row["max"] == x.max()
        item = next(i for i in spec if i.name == row["indicator"])
        assert (row["label"], row["dimension"], row["direction"]) == (
            item.label,
            item.dimension,
            item.direction,
        )


def test_indicator_system_lists_the_weights(pwt):
    _, spec, result = pwt
    system = indicator_system(result)
    weights = dict(result.weights.select("indicator", "weight").iter_rows())
    assert system.get_column("weight").to_list() == [weights[n] for n in spec.names]
    assert system.get_column("indicator").to_list() == [i.label or i.name for i in spec]
    for dimension, total in system.select("dimension", "dimension_weight").unique().iter_rows():
        members = [weights[i.name] for i in spec if i.dimension == dimension]
        assert total == pytest.approx(math.fsum(members), rel=REL)
    assert math.fsum(system.get_column("weight")) == pytest.approx(1.0, rel=REL)


def test_indicator_system_per_year_takes_the_mean_weight(pwt):
    panel, spec, _ = pwt
    result = nqpf.entropy_topsis(panel, spec, scope="year")
    system = indicator_system(result)
    for name, weight in zip(spec.names, system.get_column("weight"), strict=True):
        yearly = result.weights.filter(pl.col("indicator") == name).get_column("weight")
        assert weight == pytest.approx(math.fsum(yearly) / yearly.len(), rel=REL)


def test_scores_by_year_is_the_score_table_pivoted(pwt):
    _, _, result = pwt
    wide = scores_by_year(result)
    scores = result.scores
    years = sorted(scores.get_column("year").unique().to_list())
    assert wide.columns == ["country", *map(str, years), "mean", "rank"]
    lookup = {(r, y): s for r, y, s in scores.select("country", "year", "score").iter_rows()}
    for row in wide.iter_rows(named=True):
        values = [lookup[(row["country"], y)] for y in years]
        assert [row[str(y)] for y in years] == values
        assert row["mean"] == pytest.approx(math.fsum(values) / len(values), rel=REL)
    means = wide.get_column("mean").to_numpy()
    expected = np.array([1 + int(np.sum(means > m)) for m in means])
    assert wide.get_column("rank").to_list() == expected.tolist()
    assert wide.get_column("rank").is_sorted()


def test_the_report_prints_them(pwt):
    _, _, result = pwt
    report = nqpf.build_report(result, group="continent", clubs=False)
    assert {"indicator_system", "descriptive", "scores_by_year"} <= set(report.names)
    assert report.names[0] == "regions"  # the main table stays first
    assert report.table("descriptive").height == len(result.spec)


def test_a_region_named_like_an_output_column_keeps_its_name():
    frame = pl.DataFrame(
        {
            "mean": ["a", "b", "c"] * 2,
            "year": [1, 1, 1, 2, 2, 2],
            "x": [1.0, 2.0, 3.0, 2.0, 3.0, 5.0],
            "y": [3.0, 1.0, 2.0, 1.0, 2.0, 2.5],
        }
    )
    result = nqpf.entropy_topsis(frame, region="mean")
    wide = scores_by_year(result)
    assert wide.columns[0] == "mean"
    assert "nqpf_mean" in wide.columns
