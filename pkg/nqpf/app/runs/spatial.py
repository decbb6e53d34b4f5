"""The Spatial page's cached runs: the spatial weights, the global statistics by year, the
local statistics, and the R check of the spatial statistics.

Session state
-------------
``spatial.weights``
    The :class:`WeightsKey` of the weights chosen on the Spatial page (None before the
    page has built weights that fit the data). It names the weights without holding them:
    :func:`weights` gives the :class:`nqpf.spatial.SpatialWeights` of a key (cached), so
    another page (the Dynamics page's spatial Markov chain) uses the same weights with
    ``weights(st.session_state["spatial.weights"])``. The weights' ids are the regions
    of the key (the data's own names), in the data's order; their style is as built
    (binary contiguity, 1/d, …): each statistic applies its ``style``.
``spa.upload``
    The uploaded weights file (:class:`nqpf.app.state.Source`); its bytes are also kept
    by digest (:func:`nqpf.app.state.register_bytes`), which a key refers to.

No statistics here: every number comes from the nqpf API.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import polars as pl
import streamlit as st

from nqpf.app import state
from nqpf.options import SpatialOptions

#: The kind of a :class:`WeightsKey` whose weights are an uploaded file.
UPLOAD = "upload"
#: The seed of the permutations the page starts with (a saved project has it too, so
#: that ``nqpf run`` draws the page's permutations).
SEED = 1


class WeightsKey(NamedTuple):
    """Spatial weights as the Spatial page builds them (hashable: a cache key).

    ``kind`` is one of :data:`nqpf.spatial.builders.BUILTIN_KINDS` (weights over the
    built-in Chinese provinces, :func:`nqpf.spatial.builders.builtin_weights`, with
    ``k``, ``power``, ``threshold`` and ``link_islands``) or :data:`UPLOAD` (the file
    of SHA-256 ``digest`` called ``name``, read by :func:`nqpf.spatial.read_weights`;
    ``id`` and ``rule``: the region-id column and contiguity rule of a polygon file).
    ``regions`` are the data's regions, which the weights cover.
    """

    kind: str
    regions: tuple[str, ...]
    k: int | None = None
    power: float | None = None
    threshold: float | None = None
    link_islands: bool = True
    digest: str | None = None
    name: str | None = None
    id: str | None = None
    rule: str = "queen"


@st.cache_data(show_spinner=False, max_entries=16)
def _weights(key: WeightsKey, _data: bytes | None) -> Any:
    from nqpf.spatial.builders import builtin_weights, read_weights

    if key.kind == UPLOAD:
        found = read_weights(_data or b"", name=key.name, id=key.id, rule=key.rule)  # type: ignore[arg-type]
        # the data's regions, in the data's order (names the weights lack are named)
        return found.align(list(key.regions), what="the data")
    params: dict[str, Any] = {"link_islands": key.link_islands}
    params |= {
        n: getattr(key, n) for n in ("k", "power", "threshold") if getattr(key, n) is not None
    }
    return builtin_weights(list(key.regions), key.kind, **params)


def weights(key: WeightsKey) -> Any:
    """The :class:`nqpf.spatial.SpatialWeights` of ``key`` (an InputError naming the region
    or the cell when the weights do not fit the data)."""
    data = state._bytes_of(key.digest) if key.kind == UPLOAD and key.digest else None
    return _weights(key, data)


@st.cache_data(show_spinner=False, max_entries=16)
def provinces(regions: tuple[str, ...]) -> dict[str, str | None]:
    """Each region → the Chinese province it is, or None
    (:func:`nqpf.spatial.builders.builtin_matches`)."""
    from nqpf.spatial.builders import builtin_matches

    return builtin_matches(regions)


@st.cache_data(show_spinner=False, max_entries=8)
def geometry(digest: str, _data: bytes, name: str) -> Any:
    """An uploaded polygon file as a GeoDataFrame, for the maps' ``geometry=``."""
    from nqpf.spatial.builders import read_geometry_bytes

    return read_geometry_bytes(_data, name)


def options_of(values: tuple[tuple[str, Any], ...]) -> SpatialOptions:
    """The page's spatial options (checked by :class:`nqpf.options.SpatialOptions`)."""
    return SpatialOptions(**dict(values))


def _frame(key: state.IndexKey, value: str) -> tuple[pl.DataFrame, str, str]:
    result = state.compute_index(key)
    return result.scores, result.region, result.year


#: The global statistics of the page, by name: (module, function) of the nqpf API.
GLOBAL = {
    "moran": ("nqpf.spatial.autocorrelation", "moran"),
    "geary": ("nqpf.spatial.autocorrelation", "geary"),
    "getis_ord_g": ("nqpf.spatial.autocorrelation", "getis_ord_g"),
}


def _api(module: str, name: str) -> Any:
    from importlib import import_module

    return getattr(import_module(module), name)


@st.cache_data(show_spinner=False, max_entries=16)
def global_stats(
    key: state.IndexKey, value: str, wkey: WeightsKey, options: tuple[tuple[str, Any], ...]
) -> dict[str, Any]:
    """:func:`nqpf.moran`, :func:`nqpf.geary` and :func:`nqpf.getis_ord_g` of ``value``
    by year: name → result."""
    frame, region, year = _frame(key, value)
    w, opts = weights(wkey), options_of(options)
    return {
        name: _api(*where)(frame, value, region, year, w=w, options=opts)
        for name, where in GLOBAL.items()
    }


@st.cache_data(show_spinner=False, max_entries=16)
def local_stats(
    key: state.IndexKey, value: str, wkey: WeightsKey, options: tuple[tuple[str, Any], ...]
) -> tuple[Any, Any]:
    """:func:`nqpf.local_moran` and :func:`nqpf.local_g` of ``value`` in every year."""
    from nqpf.spatial.local import local_g, local_moran

    frame, region, year = _frame(key, value)
    w, opts = weights(wkey), options_of(options)
    return (
        local_moran(frame, value, region, year, w=w, options=opts),
        local_g(frame, value, region, year, w=w, options=opts),
    )


def crossval(key: state.IndexKey, value: str, wkey: WeightsKey) -> pl.DataFrame:
    """:func:`nqpf.crossval.validate_spatial` of ``value`` (R's spdep), in an rpy2
    conversion context (:func:`nqpf.app.state.r_conversion`)."""
    validate = state.optional("crossval", "validate_spatial")
    frame, region, year = _frame(key, value)
    with state.r_conversion():
        return validate(frame, value, region, year, w=weights(wkey))  # type: ignore[no-any-return]
