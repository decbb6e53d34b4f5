"""The Coupling page's cached run: :func:`nqpf.coupling_coordination` of an index run.

The subsystems are one of (:class:`CouplingKey`'s ``mode``):

* ``dimensions``: the index's own dimension scores (all, or those chosen);
* ``columns``: score columns (the index score, its dimension scores, or numeric panel
  columns holding other subsystems' scores in [0, 1], joined by region and year);
* ``indicators``: groups of the spec's indicators, each scored by the library
  (:func:`nqpf.entropy_topsis`, default options) before the coupling.

No statistics here: the frame is arranged, the numbers are the library's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import polars as pl
import streamlit as st

from nqpf.app import state
from nqpf.coupling import CouplingResult, coupling_coordination
from nqpf.options import CouplingOptions

MODES = ("dimensions", "columns", "indicators")


class CouplingKey(NamedTuple):
    """A coupling run: the index run, how the systems are given, the group column and
    the :class:`nqpf.options.CouplingOptions` values (hashable)."""

    index: state.IndexKey
    mode: str
    #: dimension or column names; for ``indicators``: (system, (indicator, …)) pairs
    systems: tuple[Any, ...]
    group: str | None
    options: tuple[tuple[str, Any], ...]


def panel_columns(key: state.IndexKey) -> list[str]:
    """Numeric panel columns that are neither keys nor the spec's indicators: candidate
    scores of other subsystems (e.g. a digital-economy index computed elsewhere)."""
    panel = state.source_panel_of(key)
    skip = {panel.region, panel.year, *(r[0] for r in key.spec)}
    return [
        c
        for c, dtype in panel.frame.schema.items()
        if c not in skip and (dtype.is_numeric() and dtype != pl.Boolean)
    ]


def _frame_with_panel(key: state.IndexKey, result: Any, columns: tuple[str, ...]) -> pl.DataFrame:
    """The index scores with the chosen panel columns joined by region and year."""
    scores = result.scores
    extra = [c for c in columns if c not in scores.columns]
    if not extra:
        return scores
    panel = state.source_panel_of(key)
    right = panel.frame.select(
        pl.col(panel.region).alias(result.region), pl.col(panel.year).alias(result.year), *extra
    )
    return scores.join(right, on=[result.region, result.year], how="left", maintain_order="left")


@st.cache_data(show_spinner=False, max_entries=32)
def _compute(key: CouplingKey, _data: bytes, max_bytes: int) -> CouplingResult:
    result = state._compute_index(key.index, _data, max_bytes)
    options = CouplingOptions(**dict(key.options))
    if key.mode == "dimensions":
        return coupling_coordination(
            result, list(key.systems) or None, group=key.group, options=options
        )
    if key.mode == "indicators":
        # each subsystem is scored on its own indicators; the scores carry no group column
        systems = {name: list(members) for name, members in key.systems}
        return coupling_coordination(result, systems, options=options)
    frame = _frame_with_panel(key.index, result, key.systems)
    return coupling_coordination(
        frame,
        list(key.systems),
        region=result.region,
        year=result.year,
        group=key.group,
        options=options,
    )


def compute(key: CouplingKey) -> CouplingResult:
    """The coupling coordination of ``key`` (cached on it)."""
    return _compute(key, state._bytes_of(key.index.digest), state.upload_limit_mb() << 20)
