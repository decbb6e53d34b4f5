"""The Inequality page's cached runs: :mod:`nqpf.inequality` on an index run's scores.

A run is keyed on the index run (:class:`nqpf.app.state.IndexKey`), the grouping (a
panel column, the echelons as the Disparity page sets them, or none), a weights column
and the :class:`nqpf.options.InequalityOptions` values; every number is the API's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import polars as pl
import streamlit as st

from nqpf.app import state
from nqpf.errors import InputError
from nqpf.options import EchelonOptions, InequalityOptions

#: The ungrouped indices of the comparison over years: (name, the options it sets on
#: top of the page's). Theil T and L are GE(1) and GE(0), each on its own, so that a zero
#: score (which Theil L refuses) leaves Theil T in the comparison.
COMPARED: tuple[tuple[str, dict[str, Any]], ...] = (
    ("theil_T", {"measure": "ge", "alpha": 1.0}),
    ("theil_L", {"measure": "ge", "alpha": 0.0}),
    ("ge", {"measure": "ge"}),
    ("atkinson", {"measure": "atkinson"}),
    ("gini", {"measure": "gini"}),
    ("sgini", {"measure": "sgini", "correction": False}),
)


class InequalityKey(NamedTuple):
    """One inequality run: the index run, the grouping and the options."""

    index: state.IndexKey
    #: A panel column; None for the echelons (``echelons`` set) or for no groups.
    grouping: str | None
    echelons: state.EchelonKey | None
    weights: str | None
    options: tuple[tuple[str, Any], ...]


def disparity_echelons() -> state.EchelonKey | None:
    """The echelons as the Disparity page's widgets (``w.ech.*``) set them, their declared
    defaults before that; None when that page's choice is incomplete (no cut points)."""
    get = st.session_state.get
    rule = get("w.ech.rule", EchelonOptions.info("rule").default)
    k = get("w.ech.k", EchelonOptions.info("k").default)
    sd = get("w.ech.sd_multiplier", EchelonOptions.info("sd_multiplier").default)
    thresholds: tuple[float, ...] | None = None
    column = None
    if rule == "thresholds":
        text = str(get("w.ech.thresholds", ""))
        try:
            thresholds = tuple(float(v) for v in text.replace("，", ",").split(",") if v.strip())
        except ValueError:
            return None
        if not thresholds:
            return None
    elif rule == "column":
        column = get("w.ech.column")
        if column is None:
            return None
    labels = "zh" if get("w.ech.labels") == "zh" else None
    if rule in ("thresholds", "column"):
        k = None
    try:
        EchelonOptions(rule=rule, k=k, sd_multiplier=sd)
    except InputError:
        return None
    return state.EchelonKey(rule, k, thresholds, column, labels, sd)


def frame_of(key: InequalityKey) -> tuple[pl.DataFrame, str | None]:
    """The scores with the group column the run splits by: (frame, group or None)."""
    result = state.compute_index(key.index)
    if key.echelons is not None:
        return state.with_echelons(result.scores, result.region, key.index, key.echelons)
    return result.scores, key.grouping


def run(key: InequalityKey) -> Any:
    """:func:`nqpf.inequality.inequality` of the score (``sources``:
    :func:`nqpf.inequality.gini_by_dimension`, the dimensions' W_d·D_d)."""
    from nqpf.inequality import gini_by_dimension, inequality

    result = state.compute_index(key.index)
    options = InequalityOptions(**dict(key.options))
    if options.measure == "sources":
        return gini_by_dimension(result, key.weights, options=options)
    frame, group = frame_of(key)
    score = state.output_column(result, "score")
    return inequality(
        frame,
        score,
        group,
        by=result.year,
        weights=key.weights,
        region=result.region,
        options=options,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _compute(key: InequalityKey, _data: bytes, max_bytes: int) -> Any:
    return run(key)


def compute(key: InequalityKey) -> Any:
    """The cached :func:`run` of ``key``: an :class:`nqpf.inequality.InequalityResult`."""
    return _compute(key, state._bytes_of(key.index.digest), state.upload_limit_mb() << 20)


def compared(key: InequalityKey) -> tuple[pl.DataFrame, list[tuple[str, InputError]]]:
    """The ungrouped indices by year under ``key``'s parameters: a long table
    ``<year>, measure, index`` (measure: ``theil_T``, ``theil_L``, ``ge``, ``atkinson``,
    ``gini``, ``sgini``) and the measures the data refuse, with the error.

    The n/(n − 1) correction acts on the plain Gini only (docs/methods.md §9.3): the
    S-Gini is computed without it."""
    result = state.compute_index(key.index)
    year = result.year
    values = dict(key.options) | {"bootstrap": 0}
    parts: list[pl.DataFrame] = []
    refused: list[tuple[str, InputError]] = []
    for name, changes in COMPARED:
        options = values | changes
        one = key._replace(grouping=None, echelons=None, options=tuple(sorted(options.items())))
        try:
            overall = compute(one).overall
        except InputError as err:
            refused.append((name, err))
            continue
        parts.append(overall.select(year, pl.lit(name).alias("measure"), "index"))
    if not parts:
        return pl.DataFrame(), refused
    return pl.concat(parts), refused
