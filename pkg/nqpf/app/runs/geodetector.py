"""The Geodetector page's cached runs: :func:`nqpf.geodetector` of an index run's score.

The units are the region-years of the chosen years (one year: a cross-section; several:
pooled, as the report pools them). A factor is an indicator of the index (its values as
the index used them, :attr:`nqpf.index.IndexResult.indicators`) or another column of the
panel (a numeric column outside the spec, or a text column: strata as they are). Every
number is the API's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import polars as pl
import streamlit as st

from nqpf.app import state
from nqpf.options import GeodetectorOptions


class GeoKey(NamedTuple):
    """One geodetector run: the index run, the explained column, the factors, the years
    (empty: every year) and the :class:`nqpf.options.GeodetectorOptions` values."""

    index: state.IndexKey
    y: str
    factors: tuple[str, ...]
    years: tuple[Any, ...]
    options: tuple[tuple[str, Any], ...]


def factor_columns(key: state.IndexKey) -> tuple[list[str], list[str], list[str]]:
    """The columns a factor can be: (numeric panel columns outside the spec, text
    columns, the spec's indicators), without the region and year columns."""
    result = state.compute_index(key)
    panel = state.source_panel_of(key)
    indicators = list(state.spec_from_records(key.spec).names)
    skip = {result.region, result.year, *indicators}
    frame = panel.frame
    text = [c for c, dtype in frame.schema.items() if c not in skip and dtype == pl.String]
    numeric = [
        c
        for c, dtype in frame.schema.items()
        if c not in skip and c not in text and (dtype.is_numeric() or dtype == pl.Boolean)
    ]
    return numeric, text, indicators


def units(key: GeoKey) -> pl.DataFrame:
    """The region-years of ``key.years`` with y and each factor (an indicator's values
    from the index run, any other column from the panel)."""
    result = state.compute_index(key.index)
    region, year = result.region, result.year
    keys = [region, year]
    frame = result.scores.select(*keys, key.y)
    indicators = result.indicators
    from_index = [
        f
        for f in key.factors
        if indicators is not None and f in indicators.columns and f not in keys
    ]
    if from_index:
        frame = frame.join(
            indicators.select(*keys, *from_index), on=keys, how="left", maintain_order="left"
        )
    rest = [f for f in key.factors if f not in from_index]
    if rest:
        panel = state.source_panel_of(key.index).frame
        frame = frame.join(panel.select(*keys, *rest), on=keys, how="left", maintain_order="left")
    if key.years:
        frame = frame.filter(pl.col(year).is_in(list(key.years)))
    return frame


def run(key: GeoKey) -> Any:
    """:func:`nqpf.geodetector` of ``key``: a :class:`nqpf.geodetect.GeodetectorResult`."""
    from nqpf.geodetect import geodetector

    return geodetector(
        units(key),
        y=key.y,
        factors=list(key.factors),
        options=GeodetectorOptions(**dict(key.options)),
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _compute(key: GeoKey, _data: bytes, max_bytes: int) -> Any:
    return run(key)


def compute(key: GeoKey) -> Any:
    """The cached :func:`run` of ``key``."""
    return _compute(key, state._bytes_of(key.index.digest), state.upload_limit_mb() << 20)
