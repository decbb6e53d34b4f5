"""Shared input handling (nqpf._frames): every analysis reads frames the same way.

A pandas column mixing numbers and text, a pandas Series, a ragged mapping or a
column named for two roles is refused with a one-line InputError, not a traceback
from polars or pyarrow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from nqpf._frames import to_polars
from nqpf.dagum import dagum_gini
from nqpf.dynamics import (
    beta_convergence,
    club_convergence,
    kernel_density,
    markov_chain,
    sigma_convergence,
)
from nqpf.errors import InputError
from nqpf.groups import echelons
from nqpf.obstacle import obstacle_degree


def _panel() -> pl.DataFrame:
    rng = np.random.default_rng(1)
    return pl.DataFrame(
        {
            "region": [f"r{i}" for i in range(4)] * 6,
            "year": np.repeat(np.arange(2000, 2006), 4),
            "v": rng.uniform(1.0, 2.0, 24),
            "g": ["a", "b"] * 12,
        }
    )


def _message(call) -> str:
    with pytest.raises(InputError) as err:
        call()
    message = str(err.value)
    assert "\n" not in message
    return message


def test_pandas_column_mixing_numbers_and_text_names_the_cell():
    mixed = _panel().to_pandas().astype({"v": object})
    mixed.loc[1, "v"] = "n/a"
    for call in (
        lambda: dagum_gini(mixed, "v", "g"),
        lambda: sigma_convergence(mixed, "v", "year"),
        lambda: kernel_density(mixed, "v", "year"),
        lambda: club_convergence(mixed, "v", "region", "year"),
    ):
        message = _message(call)
        assert "row 2, column 'v'" in message
        assert "non-numeric value 'n/a'" in message
    assert "column 'v'" in _message(lambda: echelons(mixed, "v"))


def test_what_is_not_a_table_is_refused_in_one_line():
    assert "cannot read a table from a Series" in _message(
        lambda: dagum_gini(pd.Series([1.0, 2.0]), "y", "g")
    )
    assert "cannot read a table from the mapping" in _message(
        lambda: sigma_convergence({"v": [1.0, 2.0], "year": [1]}, "v", "year")
    )
    assert "polars or pandas DataFrame" in _message(lambda: markov_chain(42, "v", "r", "y"))


def test_pandas_index_is_data_only_when_named():
    pdf = _panel().to_pandas()
    assert to_polars(pdf[pdf["v"] > 1.5], index=True).columns == pdf.columns.tolist()
    named = to_polars(pdf.set_index("region"), index=True)
    assert named.columns == pdf.columns.tolist()
    assert to_polars(pdf.set_index("region")).columns == ["year", "v", "g"]
    res = echelons(pdf, "v", rule="quantiles", k=2)
    assert res.join(pdf[pdf["v"] > 1.2]).columns == [*pdf.columns, "echelon"]


def test_mapping_and_result_objects_are_read():
    class Result:
        scores = _panel()

    assert to_polars(Result()).equals(_panel())
    assert to_polars(_panel().to_dict(as_series=False)).equals(_panel())


def test_one_column_for_two_roles_is_refused():
    df = _panel()
    for call in (
        lambda: sigma_convergence(df, "v", "year", region="year"),
        lambda: kernel_density(df, "v", "year", region="year"),
        lambda: markov_chain(df, "v", "year", "year"),
        lambda: beta_convergence(df, "v", "year", "year"),
        lambda: club_convergence(df, "v", "year", "year"),
        lambda: echelons(df, "v", "year", "year"),
    ):
        message = _message(call)
        assert "column 'year': one column is named for two roles" in message
    z = pl.DataFrame({"region": ["A"], "a": [0.5]})
    assert "column 'a'" in _message(
        lambda: obstacle_degree(z, {"a": 1.0}, {"a": "X"}, keys=["region", "a"])
    )
