"""The Dynamics page's cached runs: σ/β convergence, Markov chains, clubs, densities,
obstacle degrees of an index run's scores, and the R check of the Markov chain, the
panel β-convergence and the kernel densities.

Each public function takes the index run's :class:`nqpf.app.state.IndexKey` and the
page's options (hashable) and returns what the nqpf API returns, computed once per
content (``st.cache_data``). The spatial weights travel unhashed (``_w``) beside a
hashable ``w_key`` that names them (:func:`weights`). No statistics here.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any, NamedTuple

import polars as pl
import streamlit as st

from nqpf.app import state
from nqpf.errors import InputError
from nqpf.options import ClubOptions, MarkovOptions


def _args(key: state.IndexKey) -> tuple[bytes, int]:
    return state._bytes_of(key.digest), state.upload_limit_mb() << 20


def _index(key: state.IndexKey, data: bytes, max_bytes: int) -> Any:
    return state._compute_index(key, data, max_bytes)


def _score(result: Any) -> str:
    return state.output_column(result, "score")


# ---------------------------------------------------------------- weights


class Weights(NamedTuple):
    """Spatial weights for the spatial chains: a hashable ``key`` naming them (their
    origin and a digest), ``w`` (:class:`nqpf.spatial.SpatialWeights`) and ``source``
    (its one-line description)."""

    key: tuple[str, str]
    w: Any
    source: str


def weights(regions: list[Any]) -> Weights | None:
    """The weights of the spatial chains over ``regions``: the Spatial page's when it has
    chosen weights for these regions (state key ``spatial.weights``: a
    ``nqpf.app.runs.spatial.WeightsKey``, built by that module's ``weights``, or
    :class:`nqpf.spatial.SpatialWeights` themselves), else the built-in contiguity of the
    Chinese provinces (:func:`nqpf.spatial.china.contiguity`) when every region is a
    mainland province, else None (the page says that weights are needed)."""
    chosen = _chosen(regions)
    return chosen if chosen is not None else _builtin(tuple(str(r) for r in regions))


def _chosen(regions: list[Any]) -> Weights | None:
    given = st.session_state.get("spatial.weights")
    if given is None:
        return None
    if hasattr(given, "align"):  # SpatialWeights
        digest = hashlib.sha256(pickle.dumps(given)).hexdigest()
        return Weights(("weights", digest), given, str(getattr(given, "source", "") or ""))
    # the same regions in any order (the chains align the weights to the panel)
    if sorted(getattr(given, "regions", ())) != sorted(str(r) for r in regions):
        return None  # chosen for another panel: the Spatial page says so itself
    build = state.optional("app.runs.spatial", "weights")
    if build is None:
        return None
    try:
        w = build(given)
    except InputError:  # weights that do not fit: the Spatial page shows why
        return None
    return Weights(("spatial", repr(given)), w, str(getattr(w, "source", "") or given.kind))


@st.cache_resource(show_spinner=False, max_entries=16)
def _builtin_cached(regions: tuple[str, ...]) -> Weights | None:
    try:
        from nqpf.spatial.china import contiguity
    except ImportError:  # the spatial extra (scipy) is absent
        return None
    china = contiguity()
    if len(regions) < 2 or any(china.resolve(r) is None for r in regions):
        return None
    w = china.subset(list(regions), what="the index's regions")
    return Weights(("china", "|".join(regions)), w, w.source)


def _builtin(regions: tuple[str, ...]) -> Weights | None:
    return _builtin_cached(regions)


# ---------------------------------------------------------------- σ and β


@st.cache_data(show_spinner=False, max_entries=32)
def _sigma(
    key: state.IndexKey, group: str | None, _data: bytes, max_bytes: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    from nqpf.dynamics import sigma_convergence, sigma_trend

    r = _index(key, _data, max_bytes)
    table = sigma_convergence(r.scores, _score(r), r.year, group, r.region)
    return table, sigma_trend(table, r.year, group)


def sigma(key: state.IndexKey, group: str | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`nqpf.sigma_convergence` of the scores (by ``group``) and its
    :func:`nqpf.sigma_trend`."""
    return _sigma(key, group, *_args(key))


class BetaKey(NamedTuple):
    """The arguments of :func:`nqpf.beta_convergence` besides the data (hashable)."""

    controls: tuple[str, ...] = ()
    effects: str = "none"
    horizon: str | None = None
    small_sample: str = "stata"
    start: Any = None
    end: Any = None
    controls_at: str = "initial"


@st.cache_data(show_spinner=False, max_entries=32)
def _beta(key: state.IndexKey, beta: BetaKey, _data: bytes, max_bytes: int) -> Any:
    from nqpf.dynamics import beta_convergence

    r = _index(key, _data, max_bytes)
    options = beta._asdict() | {"controls": list(beta.controls) or None}
    return beta_convergence(r.scores, _score(r), r.region, r.year, **options)


def beta(key: state.IndexKey, options: BetaKey) -> Any:
    """:func:`nqpf.beta_convergence` of the scores: absolute (no controls) or
    conditional, cross-section (``horizon="period"``) or annual panel (pooled, or with
    region / two-way fixed effects and SEs clustered by region)."""
    return _beta(key, options, *_args(key))


# ---------------------------------------------------------------- Markov


@st.cache_data(show_spinner=False, max_entries=32)
def _markov(
    key: state.IndexKey,
    options: MarkovOptions,
    w_key: tuple[str, str] | None,
    _w: Any,
    _data: bytes,
    max_bytes: int,
) -> Any:
    from nqpf.dynamics import markov_chain

    r = _index(key, _data, max_bytes)
    return markov_chain(r.scores, _score(r), r.region, r.year, w=_w, options=options)


def markov(key: state.IndexKey, options: MarkovOptions, w: Weights | None = None) -> Any:
    """:func:`nqpf.markov_chain` of the scores (spatial when ``w`` is given)."""
    return _markov(key, options, w.key if w else None, w.w if w else None, *_args(key))


@st.cache_data(show_spinner=False, max_entries=32)
def _homogeneity(
    key: state.IndexKey,
    options: MarkovOptions,
    by: str | None,
    periods: tuple[Any, ...] | None,
    _data: bytes,
    max_bytes: int,
) -> Any:
    from nqpf.dynamics import markov_homogeneity

    r = _index(key, _data, max_bytes)
    return markov_homogeneity(
        r.scores,
        _score(r),
        r.region,
        r.year,
        by=by,
        periods=list(periods) if periods is not None else None,
        options=options,
    )


def homogeneity(
    key: state.IndexKey,
    options: MarkovOptions,
    by: str | None = None,
    periods: tuple[Any, ...] | None = None,
) -> Any:
    """:func:`nqpf.markov_homogeneity` across the groups of column ``by`` or the
    sub-periods starting at ``periods``."""
    return _homogeneity(key, options, by, periods, *_args(key))


@st.cache_data(show_spinner=False, max_entries=32)
def _rank(key: state.IndexKey, kind: str, _data: bytes, max_bytes: int) -> Any:
    from nqpf.dynamics import rank_markov

    r = _index(key, _data, max_bytes)
    return rank_markov(r.scores, _score(r), r.region, r.year, kind=kind)


def rank(key: state.IndexKey, kind: str) -> Any:
    """:func:`nqpf.rank_markov` (``kind`` "full" or "geo") of the scores."""
    return _rank(key, kind, *_args(key))


@st.cache_data(show_spinner=False, max_entries=32)
def _lisa(
    key: state.IndexKey, w_key: tuple[str, str], _w: Any, _data: bytes, max_bytes: int
) -> Any:
    from nqpf.dynamics import lisa_markov

    r = _index(key, _data, max_bytes)
    return lisa_markov(r.scores, _score(r), r.region, r.year, w=_w)


def lisa(key: state.IndexKey, w: Weights) -> Any:
    """:func:`nqpf.lisa_markov` of the scores on the weights ``w``."""
    return _lisa(key, w.key, w.w, *_args(key))


# ---------------------------------------------------------------- clubs


@st.cache_data(show_spinner=False, max_entries=32)
def _clubs(key: state.IndexKey, options: ClubOptions, _data: bytes, max_bytes: int) -> Any:
    from nqpf.dynamics.clubs import club_convergence

    r = _index(key, _data, max_bytes)
    return club_convergence(r.scores, _score(r), r.region, r.year, options=options)


def clubs(key: state.IndexKey, options: ClubOptions) -> Any:
    """:func:`nqpf.club_convergence` (Phillips–Sul) of the scores."""
    return _clubs(key, options, *_args(key))


# ---------------------------------------------------------------- densities


@st.cache_data(show_spinner=False, max_entries=32)
def _density(
    key: state.IndexKey, group: str | None, bw: str, _data: bytes, max_bytes: int
) -> pl.DataFrame:
    from nqpf.dynamics import kernel_density

    r = _index(key, _data, max_bytes)
    # by group on the overall curves' grid, so that every panel has the same score axis
    # (as the report's density figures)
    grid: Any = "common"
    if group is not None:
        grid = _density(key, None, bw, _data, max_bytes)["x"].unique().sort().to_numpy()
    return kernel_density(
        r.scores,
        _score(r),
        r.year,
        group,
        region=r.region,
        bw=bw,
        grid=grid,
        bounds=r.score_bounds,
    )


class DensityKey(NamedTuple):
    """The densities the page last drew (hashable): the group of the panels by group
    (None: by year only) and the bandwidth rule."""

    group: str | None = None
    bw: str = "silverman"


def density(key: state.IndexKey, group: str | None, bw: str) -> pl.DataFrame:
    """:func:`nqpf.kernel_density` of the scores by year (and ``group``, on the overall
    grid), reflected at :attr:`nqpf.index.IndexResult.score_bounds` when the score has
    bounds."""
    return _density(key, group, bw, *_args(key))


@st.cache_data(show_spinner=False, max_entries=32)
def _conditional(
    key: state.IndexKey,
    lag: int | None,
    relative: bool,
    bw: str,
    w_key: tuple[str, str] | None,
    _w: Any,
    _data: bytes,
    max_bytes: int,
) -> Any:
    from nqpf.dynamics.stochastic_kernel import conditional_density

    r = _index(key, _data, max_bytes)
    return conditional_density(
        r.scores,
        _score(r),
        r.region,
        r.year,
        lag=lag,
        w=_w,
        relative=relative,
        bw=bw,
        bounds=None if relative else r.score_bounds,
    )


def conditional(
    key: state.IndexKey, lag: int | None, relative: bool, bw: str, w: Weights | None = None
) -> Any:
    """:func:`nqpf.conditional_density` (the stochastic kernel) of the scores: on the
    own value ``lag`` years before, or on the spatial lag when ``w`` is given. The
    reflection bounds are the score's (none for relative values, which have none)."""
    return _conditional(
        key, lag, relative, bw, w.key if w else None, w.w if w else None, *_args(key)
    )


# ---------------------------------------------------------------- obstacles


@st.cache_data(show_spinner=False, max_entries=32)
def _obstacle(key: state.IndexKey, _data: bytes, max_bytes: int) -> Any:
    from nqpf.obstacle import obstacle_degree

    return obstacle_degree(_index(key, _data, max_bytes))


def obstacle(key: state.IndexKey) -> Any:
    """:func:`nqpf.obstacle_degree` of the index run (its standardised values and weights)."""
    return _obstacle(key, *_args(key))


# ---------------------------------------------------------------- R check


@st.cache_data(show_spinner=False, max_entries=8)
def _crossval(
    key: state.IndexKey,
    options: MarkovOptions,
    beta: BetaKey,
    density: DensityKey,
    _data: bytes,
    max_bytes: int,
) -> pl.DataFrame:
    validate = state.optional("crossval", "validate_dynamics")
    r = _index(key, _data, max_bytes)
    options_beta = beta._asdict() | {"controls": list(beta.controls) or None}
    # the page's densities (:func:`density`): by year, and by group on the by-year grid
    overall = {"bw": density.bw, "bounds": r.score_bounds}
    sets = [overall]
    if density.group is not None:
        grid = _density(key, None, density.bw, _data, max_bytes)["x"].unique().sort()
        sets.append(overall | {"group": density.group, "grid": grid.to_numpy()})
    with state.r_conversion():
        return validate(  # type: ignore[no-any-return]
            r.scores,
            _score(r),
            r.region,
            r.year,
            markov=options,
            beta=options_beta,
            density=sets,
        )


def crossval(
    key: state.IndexKey, options: MarkovOptions, beta: BetaKey, density: DensityKey
) -> pl.DataFrame:
    """:func:`nqpf.crossval.validate_dynamics` of the scores: the Markov chain under
    ``options`` (R's markovchain), the β-convergence of ``beta`` (R's plm, annual
    panel only) and the kernel densities of ``density`` as :func:`density` draws them
    (R's stats::density), in an rpy2 conversion context
    (:func:`nqpf.app.state.r_conversion`)."""
    return _crossval(key, options, beta, density, *_args(key))
