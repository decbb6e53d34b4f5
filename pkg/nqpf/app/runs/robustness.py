"""The Robustness page's cached run: :func:`nqpf.robustness` of an index run's panel and
spec, with the index run's options as the base (so the reference variant is the index the
user computed), over a grid of :class:`nqpf.options.IndexOptions` choices. No statistics
here."""

from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st

from nqpf.app import state
from nqpf.multiverse import RobustnessResult, robustness


class RobustnessKey(NamedTuple):
    """A robustness run: the index run, the grid as (option, values) pairs in order, the
    echelon options as (name, value) pairs, and what the Dagum shares decompose by (True:
    the echelons, a panel column, or False)."""

    index: state.IndexKey
    grid: tuple[tuple[str, tuple[Any, ...]], ...]
    echelons: tuple[tuple[str, Any], ...]
    dagum: bool | str


@st.cache_data(show_spinner=False, max_entries=8)
def _compute(key: RobustnessKey, _data: bytes, max_bytes: int) -> RobustnessResult:
    panel = state.load_panel(key.index.digest, _data, key.index.name, key.index.config, max_bytes)
    spec = state.spec_from_records(key.index.spec)
    return robustness(
        panel,
        spec,
        grid={name: list(values) for name, values in key.grid},
        echelons=dict(key.echelons),
        dagum=key.dagum,
        options=state.index_options_of(key.index),
    )


def compute(key: RobustnessKey) -> RobustnessResult:
    """The robustness analysis of ``key`` (cached on it)."""
    return _compute(key, state._bytes_of(key.index.digest), state.upload_limit_mb() << 20)
