"""Discrete Markov chains of regional positions: classic and spatial (Rey 2001).

The values are cut into k quantile classes ("states", 1 = lowest); the
transition matrix counts how often a region moves from class i in one year to
class j in the next. High probabilities on the diagonal mean persistence; high
persistence at both ends is the usual evidence of a "Matthew effect" or of
club convergence. The spatial chain conditions each transition on the class of
the region's spatial lag (its neighbours' mean), which shows whether a poor
neighbourhood holds a region back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import polars as pl

from nqpf._frames import (
    check_keys,
    column_name,
    grouped,
    internal_name,
    numeric_values,
    output_name,
    require_columns,
    to_polars,
)
from nqpf.errors import InputError
from nqpf.options import MarkovOptions, takes_options
from nqpf.results import Result

__all__ = ["MarkovResult", "markov_chain"]

# The working frame holds only these helper columns (the caller's columns are renamed
# into it and back out), so no caller's column name can meet one of them.
_R = internal_name("region", ())
_Y = internal_name("year", ())
_V = internal_name("value", ())
_P = internal_name("period", ())
_S = internal_name("state", ())
_LAG = internal_name("lag", ())
_LS = internal_name("lag_state", ())
_TO = internal_name("to", ())
_PNEXT = internal_name("period_next", ())
_FROM = internal_name("from", ())
_NB = internal_name("neighbour", ())
_NV = internal_name("neighbour_value", ())
_WT = internal_name("neighbour_weight", ())
_ORIG = internal_name("original_value", ())
_MEAN = internal_name("year_mean", ())

# Eigenvalues this close to 1 count as unit roots when deciding whether the
# chain has a unique steady state.
_UNIT_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class MarkovResult(Result):
    """Result of :func:`markov_chain`.

    Attributes
    ----------
    counts, probabilities
        k × k polars frames: column ``state`` (the origin state, 1 = lowest) and one
        column per destination state ``"1"`` … ``"k"``. A row whose state is never
        left within the sample (n_i = 0) has NaN probabilities.
    steady_state
        The ergodic distribution π (π P = π, Σ π = 1), a length-k numpy array; all NaN
        when P has a NaN row or is not ergodic (eigenvalue 1 repeated: no unique limit).
    persistence
        The diagonal P_ii, a length-k numpy array.
    by_state
        polars: ``state``, ``lower``, ``upper`` (class bounds; pooled classes only, else
        null), ``n_from`` (transitions starting in the state), ``persistence``, ``up``
        (Σ_{j>i} P_ij), ``down`` (Σ_{j<i} P_ij), ``steady_state``.
    states
        polars: ``<region>``, ``<year>``, ``<value>``, ``state`` and, for the spatial
        chain, ``lag`` and ``lag_state``. The caller's three columns keep their names;
        ``state``, ``lag`` or ``lag_state`` becomes ``nqpf_<name>`` where one of them
        has it (:attr:`columns`).
    breaks
        polars: the k − 1 inner class bounds ``q1`` … (one row; per year when
        ``classes="year"``, with the year column), plus ``lag_q1`` … for the lag.
    k, classes, n_transitions
        Number of states, class rule, number of transitions counted.
    spatial_counts, spatial_probabilities
        Spatial chain only (else ``None``): the k conditional matrices stacked, with
        a first column ``lag_state`` (class of the spatial lag at the origin year).
    spatial_steady_state
        Spatial chain only: polars with ``lag_state`` and the k steady-state shares.
    homogeneity
        Spatial chain only: Bickenbach & Bode's (2003) tests that the k conditional
        matrices equal the classic one, polars ``test`` ("LR", "Q"), ``statistic``,
        ``dof``, ``p`` (see :func:`markov_chain`).
    options
        The options of the call (:class:`nqpf.options.MarkovOptions`: k, classes).

    The results protocol (:mod:`nqpf.results`): :meth:`tables` names the frames above,
    :meth:`summary` is the matrix and steady state as text (also ``str()``).
    """

    counts: pl.DataFrame
    probabilities: pl.DataFrame
    steady_state: np.ndarray
    persistence: np.ndarray
    by_state: pl.DataFrame
    states: pl.DataFrame
    breaks: pl.DataFrame
    k: int
    classes: str
    n_transitions: int
    spatial_counts: pl.DataFrame | None = None
    spatial_probabilities: pl.DataFrame | None = None
    spatial_steady_state: pl.DataFrame | None = None
    homogeneity: pl.DataFrame | None = None
    #: Every stationary distribution (one row per closed class; :func:`stationary_distributions`).
    steady_states: np.ndarray | None = None
    #: polars ``closed_class`` and one share column per state ``"1"`` … ``"k"``.
    stationary: pl.DataFrame | None = None
    #: polars ``state`` and one column per destination: mean first passage times.
    first_passage: pl.DataFrame | None = None
    #: polars ``state``, ``label`` (given labels only), ``class`` (communicating class),
    #: ``recurrent``, ``sojourn_time``, ``first_passage_return`` (mean recurrence time).
    long_run: pl.DataFrame | None = None
    #: Spatial chain: per lag class, χ² of its counts against the pooled chain (giddy's
    #: ``Spatial_Markov.chi2``): ``lag_state``, ``statistic``, ``dof``, ``p``.
    lag_tests: pl.DataFrame | None = None
    #: Spatial chain: every stationary distribution of each conditional chain
    #: (``lag_state``, ``closed_class``, shares) and its mean first passage times.
    spatial_stationary: pl.DataFrame | None = None
    spatial_first_passage: pl.DataFrame | None = None
    #: Number of classes of the spatial lag (m; None without the spatial part).
    m: int | None = None
    #: Output name → its name in :attr:`states`/:attr:`breaks` where a caller's column
    #: had it (``state`` → ``nqpf_state`` for a region column called ``state``).
    columns: dict[str, str] | None = None
    #: The options of the call (:class:`nqpf.options.MarkovOptions`).
    options: MarkovOptions = field(default_factory=MarkovOptions, repr=False)

    main_table: ClassVar[str] = "probabilities"
    title: ClassVar[str] = "Markov chain"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``probabilities``, ``counts``, ``by_state``, ``breaks``, ``states`` and, for
        the spatial chain, ``spatial_probabilities``, ``spatial_counts``,
        ``spatial_steady_state`` and ``homogeneity``; then ``stationary``,
        ``first_passage``, ``long_run`` and, spatial, ``lag_tests``,
        ``spatial_stationary``, ``spatial_first_passage``."""
        out = {
            "probabilities": self.probabilities,
            "counts": self.counts,
            "by_state": self.by_state,
            "breaks": self.breaks,
            "states": self.states,
        }
        spatial = {
            "spatial_probabilities": self.spatial_probabilities,
            "spatial_counts": self.spatial_counts,
            "spatial_steady_state": self.spatial_steady_state,
            "homogeneity": self.homogeneity,
            "stationary": self.stationary,
            "first_passage": self.first_passage,
            "long_run": self.long_run,
            "lag_tests": self.lag_tests,
            "spatial_stationary": self.spatial_stationary,
            "spatial_first_passage": self.spatial_first_passage,
        }
        return out | {name: frame for name, frame in spatial.items() if frame is not None}

    def column(self, name: str) -> str:
        """The actual name of output column ``name`` of :attr:`states` or :attr:`breaks`."""
        return (self.columns or {}).get(name, name)

    def matrix(self, lag_state: int | None = None, *, counts: bool = False) -> np.ndarray:
        """The k × k matrix as numpy: overall, or conditional on ``lag_state`` (1..m)."""
        if lag_state is None:
            frame = self.counts if counts else self.probabilities
            return frame.drop("state").to_numpy()
        frame = self.spatial_counts if counts else self.spatial_probabilities
        if frame is None:
            raise InputError("this chain has no spatial part", hint="pass neighbours=")
        return frame.filter(pl.col("lag_state") == lag_state).drop("lag_state", "state").to_numpy()

    def summary(self) -> str:
        """The transition probabilities and the steady state, as text."""
        if self.options.state_labels:
            rule = "given states"
        else:
            kind = " cut-off" if self.options.cutoffs else " quantile"
            rule = self.classes + kind + " classes"
        rows = [f"Markov chain, k={self.k} ({rule}), "]
        rows[0] += f"{self.n_transitions} transitions"
        for i, row in enumerate(self.matrix()):
            rows.append(f"  {i + 1}: " + "  ".join(f"{p:6.3f}" for p in row))
        rows.append("  steady state: " + "  ".join(f"{p:.3f}" for p in self.steady_state))
        if self.steady_states is not None and len(self.steady_states) > 1:
            for c, pi in enumerate(self.steady_states, start=1):
                rows.append(f"  closed class {c}: " + "  ".join(f"{p:.3f}" for p in pi))
        return "\n".join(rows)


@takes_options(
    MarkovOptions, order=("frame", "value", "region", "year", "k", "classes", "neighbours")
)
def markov_chain(
    frame: Any,
    value: str,
    region: str,
    year: str,
    neighbours: Mapping[Any, Sequence[Any]] | Any | None = None,
    *,
    w: Any = None,
    options: MarkovOptions,
) -> MarkovResult:
    """Quantile-class Markov chain of ``value`` over a region × year panel.

    **States.** Breaks are the (1/k, …, (k−1)/k) quantiles (R's default type 7,
    numpy ``"linear"``) of all region-years (``classes="pooled"``, fixed over time,
    so moving up means catching up in absolute terms) or of each year's values
    (``"year"``, relative position only). Classes are right-closed:
    state s holds q_{s−1} < x ≤ q_s, state 1 = lowest. Tied quantiles can leave a
    class empty. ``classes="relative"`` cuts x_rt / x̄_t (the value over its year's
    unweighted mean, Rey's relative incomes, as giddy's examples ``pci / pci.mean(0)``)
    at the pooled quantiles, so that a common upward trend does not make the top state
    absorbing; ``states`` keeps the caller's value and adds ``relative``.
    ``cutoffs=[c₁, …]`` (strictly increasing) replace the quantiles by fixed bounds
    (k = len + 1; of the relative values with ``"relative"``, as giddy's
    ``Spatial_Markov(cutoffs=)``); a cut-off below the smallest value or at or above the
    largest is refused (an end class would be empty). ``state_labels=[…]`` declares
    that the value column already holds the states, lowest first; a label not declared
    is refused by name.

    **Long run** (:mod:`nqpf.dynamics.ergodic`; a never-left state counts as absorbing,
    as giddy's ``fill_empty_classes=True``): ``steady_states``/``stationary`` hold every
    stationary distribution, one per closed class (a reducible chain has several, where
    ``steady_state`` is NaN); ``first_passage`` the mean first passage times M_ij (∞ when
    j is not reached almost surely from i; M_jj the mean recurrence time);
    ``long_run`` the communicating classes and the sojourn times 1/(1 − P_ii).

    **Transitions.** n_ij counts regions in state i in year t and in state j in the
    next year of the panel's year grid (consecutive observed years; a region missing
    a year contributes no transition across the gap). P_ij = n_ij / n_i (maximum
    likelihood, as R's ``markovchain::markovchainFit(method = "mle")``); a state never
    left (n_i = 0) has a row of NaN, since its transitions are not identified.
    The steady state π solves π P = π with Σ π = 1 (the left eigenvector of P for the
    eigenvalue 1).

    **Spatial Markov** (Rey 2001), when ``neighbours`` or ``w`` is given: the spatial
    lag of region r in year t is the mean of its neighbours' values in year t (a
    row-standardised weights matrix; neighbours without a value that year are left
    out of the mean). With ``w`` (a :class:`~nqpf.spatial.SpatialWeights`) the lag is
    the weighted mean Σ_j w_rj x_jt / Σ_j w_rj over the neighbours observed in year t,
    which is the row-standardised lag W x of the given weights (and the plain mean
    for contiguity weights). Lags are cut into m classes (``lag_k``, default k; or
    ``lag_cutoffs``) by the same rule (pooled or per year quantiles of the lags), and the
    transitions are counted separately for each class of the lag in the origin year,
    giving m conditional k × k matrices. ``lag_tests`` compares each with the pooled
    counts by Pearson's χ² (:func:`nqpf.dynamics.ergodic.chi2_test`, giddy's
    ``Spatial_Markov.chi2``); ``spatial_stationary`` and ``spatial_first_passage`` are
    the long-run summaries of each conditional chain.
    ``.homogeneity`` tests H₀: P(l) = P for every lag class l (Bickenbach & Bode
    2003), with p̂ the pooled and p̂(l) the conditional probabilities and n_i(l) the
    transitions from state i in lag class l:
    LR = 2 Σ_l Σ_i Σ_j n_ij(l) ln(p̂_ij(l)/p̂_ij) over n_ij(l) > 0, and
    Q = Σ_l Σ_i n_i(l) Σ_{j: p̂_ij>0} (p̂_ij(l) − p̂_ij)²/p̂_ij, both χ² with
    Σ_i (a_i − 1)(b_i − 1) degrees of freedom, a_i the number of positive p̂_ij in
    row i and b_i the number of lag classes with n_i(l) > 0 (as giddy's
    ``Spatial_Markov``).

    Parameters
    ----------
    frame
        polars (or pandas) frame, one row per region-year.
    value, region, year
        Column names.
    k
        Number of classes (≥ 2).
    classes
        ``"pooled"``, ``"year"`` or ``"relative"``.
    cutoffs, lag_k, lag_cutoffs, state_labels
        See above (:class:`nqpf.options.MarkovOptions`).
    neighbours
        ``None``, a mapping region → list of neighbouring regions, or a frame with the
        columns ``<region>`` (or ``region``) and ``neighbour`` (or ``neighbor``), one
        row per pair. Need not be symmetric. Every region of the panel needs at least
        one neighbour (islands: assign the nearest region, as is usual).
    w
        ``None`` or a :class:`~nqpf.spatial.SpatialWeights` over the panel's regions
        (its aliases accepted; a region of the panel or of ``w`` missing from the
        other is an error naming it). Give ``neighbours`` or ``w``, not both.

    Returns
    -------
    MarkovResult

    Raises
    ------
    InputError
        Non-numeric or missing values, duplicate region-year rows, k < 2, fewer than
        2 years, no transition at all, a cut-off outside the values, an undeclared
        state label, state labels with a spatial chain, a neighbour list naming a region not in the
        panel or leaving a region without neighbours.

    References
    ----------
    Quah, D. (1993). Empirical cross-section dynamics in economic growth.
    *European Economic Review* 37(2–3), 426–434.
    Rey, S. J. (2001). Spatial empirics for economic growth and convergence.
    *Geographical Analysis* 33, 195–214.
    Bickenbach, F., Bode, E. (2003). Evaluating the Markov property in studies of
    economic convergence. *International Regional Science Review* 26, 363–392.
    """
    df = to_polars(frame)
    labels = options.state_labels
    base = _working_panel(df, value, region, year, labels)
    k, classes = options.n_states, options.classes
    if classes == "relative":
        base = _relative(base)
    if labels:
        states, breaks = base.with_columns(pl.col(_V).cast(pl.Int64).alias(_S)), pl.DataFrame()
    else:
        what = f"column '{value}'" + (" ÷ its year's mean" if classes == "relative" else "")
        states, breaks = _classify(base, k, classes, "", options.cutoffs, what)
    if not np.all(np.isfinite(breaks.drop(_Y, strict=False).to_numpy())):
        raise InputError(
            "the class bounds (quantiles) overflow double precision",
            column=value,
            hint="rescale the values (e.g. divide by 1e6 or take logs)",
        )
    counts = _count(states, k)
    if counts.sum() == 0:
        raise InputError(
            "no region is observed in two consecutive years", column=year, hint="check the panel"
        )
    probs = _probabilities(counts)
    steady = _steady_state(probs)
    bounds = breaks if classes != "year" and not labels else None
    summary = _summary(counts, probs, steady, bounds, k)
    spatial: dict[str, Any] = dict.fromkeys(
        ("spatial_counts", "spatial_probabilities", "spatial_steady_state", "homogeneity")
    )
    pairs = _pairs(neighbours, w, base, region, df.schema[region])
    if pairs is not None:
        if labels:
            raise InputError(
                "the spatial Markov chain averages the neighbours' values: given state "
                "labels have none",
                column=value,
                hint="pass numeric values (cut into classes) for the spatial chain",
            )
        states, breaks, spatial = _spatial_chain(base, pairs, states, breaks, k, options)
    states, breaks, out_names = _caller_names(states, breaks, value, region, year, labels)
    return MarkovResult(
        counts=_square(counts, k),
        probabilities=_square(probs, k),
        steady_state=steady,
        persistence=np.diag(probs).copy(),
        by_state=summary if not labels else summary.insert_column(1, pl.Series("label", labels)),
        states=states,
        breaks=breaks,
        k=int(k),
        classes=classes,
        n_transitions=int(counts.sum()),
        **spatial,
        **_long_run(probs, labels),
        columns={w: n for w, n in out_names.items() if w != n},
        options=options,
    )


def _pairs(
    neighbours: Any, w: Any, base: pl.DataFrame, region: str, dtype: pl.DataType
) -> pl.DataFrame | None:
    """The neighbour pairs of ``neighbours=`` or ``w=`` (None without either)."""
    if neighbours is not None and w is not None:
        raise InputError("give the neighbours either as neighbours= or as w=, not both")
    if w is not None:
        return _weights_pairs(w, base.get_column(_R))
    if neighbours is not None:
        return _neighbour_pairs(neighbours, region, base.get_column(_R), dtype)
    return None


def _relative(base: pl.DataFrame) -> pl.DataFrame:
    """The value divided by its year's mean (the original kept aside): Rey's relative
    incomes, as giddy's examples ``pci / pci.mean(axis=0)``."""
    means = grouped(base.group_by(_Y), {_MEAN: (_V, "mean")})
    if (means.get_column(_MEAN) == 0).any():
        yr = means.filter(pl.col(_MEAN) == 0).get_column(_Y)[0]
        raise InputError(
            f"the values of year {yr} have mean 0: relative values are undefined",
            hint="use classes='pooled' or shift the values",
        )
    return (
        base.join(means, on=_Y, how="left", maintain_order="left")
        .with_columns(pl.col(_V).alias(_ORIG), (pl.col(_V) / pl.col(_MEAN)).alias(_V))
        .drop(_MEAN)
    )


def _long_run(probs: np.ndarray, labels: Sequence[str]) -> dict[str, Any]:
    """Every stationary distribution, the mean first passage and sojourn times
    (:mod:`nqpf.dynamics.ergodic`; a never-left state counts as absorbing)."""
    from nqpf.dynamics.ergodic import (
        communicating_classes,
        first_passage_times,
        sojourn_times,
        stationary_distributions,
    )

    k = probs.shape[0]
    pis = stationary_distributions(probs)
    mfpt = first_passage_times(probs)
    cls = np.zeros(k, dtype=np.int64)
    rec = np.zeros(k, dtype=bool)
    for c, (members, closed) in enumerate(communicating_classes(probs), start=1):
        cls[members] = c
        rec[members] = closed
    long_run = pl.DataFrame(
        {
            "state": np.arange(1, k + 1),
            "class": cls,
            "recurrent": rec,
            "sojourn_time": sojourn_times(probs),
            "recurrence_time": np.diag(mfpt).copy(),
        }
    )
    if labels:
        long_run = long_run.insert_column(1, pl.Series("label", list(labels)))
    return {
        "steady_states": pis,
        "stationary": pl.DataFrame(
            {"closed_class": np.arange(1, len(pis) + 1)} | {str(j + 1): pis[:, j] for j in range(k)}
        ),
        "first_passage": _square(mfpt, k),
        "long_run": long_run,
    }


def _working_panel(
    df: pl.DataFrame, value: str, region: str, year: str, labels: Sequence[str] = ()
) -> pl.DataFrame:
    """Check the panel and return it under the helper names, with the period number
    (given ``labels``: the value is the label's position, 1 = first)."""
    for role, name in (("value", value), ("region", region), ("year", year)):
        column_name(role, name)
    require_columns(df, [value, region, year])
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass the panel with its values")
    check_keys(df, [region, year])
    x = _label_positions(df, value, labels) if labels else numeric_values(df, value)
    base = (
        df.select(pl.col(region).alias(_R), pl.col(year).alias(_Y))
        .with_columns(pl.Series(_V, x))
        .sort(_R, _Y)
        .with_columns(pl.col(_Y).rank("dense").cast(pl.Int64).alias(_P))
    )
    if base.get_column(_P).max() < 2:
        raise InputError(
            "a Markov chain needs at least 2 years", column=year, hint="transitions link years"
        )
    return base


def _label_positions(df: pl.DataFrame, value: str, labels: Sequence[str]) -> np.ndarray:
    """The position (1-based) of each row's label in ``labels``; an unknown or missing
    label is refused by name."""
    text = df.get_column(value).cast(pl.String, strict=False)
    where = {label: i + 1 for i, label in enumerate(labels)}
    pos = text.replace_strict(where, default=None, return_dtype=pl.Int64)
    bad = pos.is_null()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        got = df.get_column(value)[row]
        if got is None:
            raise InputError(
                "a state label is missing", row=row + 1, column=value, hint="fill the cell"
            )
        raise InputError(
            f"state label {got!r} is not among the declared states ({', '.join(labels)})",
            row=row + 1,
            column=value,
            hint="add it to state_labels= in its place, or correct the cell",
        )
    return pos.cast(pl.Float64).to_numpy()


def _spatial_chain(
    base: pl.DataFrame,
    pairs: pl.DataFrame,
    states: pl.DataFrame,
    breaks: pl.DataFrame,
    k: int,
    options: MarkovOptions,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, Any]]:
    """Rey's (2001) spatial chain: the lag and its class added to ``states`` and
    ``breaks``, and the conditional matrices, steady states and homogeneity tests
    (m = ``options.n_lag_states`` classes of the lag)."""
    classes, m = options.classes, options.n_lag_states
    lagged = _spatial_lag(base, pairs)
    lag_frame = lagged.select(_R, _Y, _P, pl.col(_LAG).alias(_V))
    lag_states, lag_q = _classify(
        lag_frame, m, classes, "lag_", options.lag_cutoffs, "the spatial lag (W x)"
    )
    states = states.join(
        lag_states.select(_R, _Y, pl.col(_V).alias(_LAG), pl.col(_S).alias(_LS)),
        on=[_R, _Y],
        how="left",
        maintain_order="left",
    )
    if classes == "year":
        breaks = breaks.join(lag_q, on=_Y, how="left", maintain_order="left")
    else:
        breaks = pl.concat([breaks, lag_q], how="horizontal")
    # Transitions whose origin lies in lag class l; the destination is the region's
    # own state in the next year, whatever its lag then.
    cube = np.stack([_count(states, k, origin=pl.col(_LS) == lag) for lag in range(1, m + 1)])
    cond = np.stack([_probabilities(c) for c in cube])
    steady_by_lag = np.stack([_steady_state(p) for p in cond])
    spatial: dict[str, Any] = {
        "spatial_counts": _stack(cube, k),
        "spatial_probabilities": _stack(cond, k),
        "spatial_steady_state": pl.DataFrame(
            {"lag_state": np.arange(1, m + 1)} | {str(j + 1): steady_by_lag[:, j] for j in range(k)}
        ),
        "homogeneity": _homogeneity(cube),
        "m": int(m),
    }
    return states, breaks, spatial | _spatial_long_run(cube, cond, k)


def _spatial_long_run(cube: np.ndarray, cond: np.ndarray, k: int) -> dict[str, pl.DataFrame]:
    """Per lag class: χ² against the pooled counts, every stationary distribution and
    the mean first passage times (:mod:`nqpf.dynamics.ergodic`)."""
    from nqpf.dynamics.ergodic import chi2_test, first_passage_times, stationary_distributions

    pooled = cube.sum(axis=0)
    tests = [chi2_test(c, pooled) for c in cube]
    stationary, passage = [], []
    for lag, p in enumerate(cond, start=1):
        pis = stationary_distributions(p)
        stationary.append(
            pl.DataFrame(
                {"lag_state": [lag] * len(pis), "closed_class": np.arange(1, len(pis) + 1)}
                | {str(j + 1): pis[:, j] for j in range(k)}
            )
        )
        passage.append(
            _square(first_passage_times(p), k).select(
                pl.lit(lag, dtype=pl.Int64).alias("lag_state"), pl.all()
            )
        )
    return {
        "lag_tests": pl.DataFrame(
            {
                "lag_state": np.arange(1, len(cube) + 1),
                "statistic": [t[0] for t in tests],
                "dof": [t[1] for t in tests],
                "p": [t[2] for t in tests],
            }
        ),
        "spatial_stationary": pl.concat(stationary),
        "spatial_first_passage": pl.concat(passage),
    }


def _caller_names(
    states: pl.DataFrame,
    breaks: pl.DataFrame,
    value: str,
    region: str,
    year: str,
    labels: Sequence[str] = (),
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str]]:
    """``states`` and ``breaks`` back under the caller's names; the output columns step
    aside from them (returned: output name → the name used). Relative classes keep the
    caller's value and add ``relative``; given labels show the labels."""
    taken = [region, year, value]
    out_names: dict[str, str] = {}
    for wanted in ("state", "lag", "lag_state", "relative"):
        out_names[wanted] = output_name(wanted, [*taken, *out_names.values()])
    if _ORIG in states.columns:
        states = states.rename({_V: out_names["relative"], _ORIG: _V})
    if labels:
        states = states.with_columns(
            pl.col(_V)
            .cast(pl.Int64)
            .replace_strict(dict(enumerate(labels, start=1)), return_dtype=pl.String)
        )
    states = states.drop(_P).rename(
        {_R: region, _Y: year, _V: value, _S: out_names["state"]}
        | ({_LAG: out_names["lag"], _LS: out_names["lag_state"]} if _LAG in states.columns else {})
    )
    if _Y in breaks.columns:  # per-year classes: the bounds step aside from the year's name
        bound_names = {c: output_name(c, [year]) for c in breaks.columns if c != _Y}
        out_names |= bound_names
        breaks = breaks.rename({_Y: year, **bound_names})
    return states, breaks, out_names


def _classify(
    base: pl.DataFrame,
    k: int,
    classes: str,
    prefix: str,
    cutoffs: Sequence[float] = (),
    what: str = "",
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add the state (1..k, right-closed quantile classes, or the classes of the given
    ``cutoffs``) of the value; return the breaks. ``classes="relative"`` is pooled (the
    values are already relative).

    Rows with a null value (a lag with no neighbour observed) get no state.
    """
    probs = np.arange(1, k) / k
    qnames = [f"{prefix}q{i}" for i in range(1, k)]
    rows = base.filter(pl.col(_V).is_not_null())
    if cutoffs:
        _check_cutoffs(rows.get_column(_V).to_numpy(), cutoffs, what, prefix)

    def cut(part: pl.DataFrame) -> tuple[pl.DataFrame, np.ndarray]:
        v = part.get_column(_V).to_numpy()
        # type 7, R's default
        q = np.asarray(cutoffs, dtype=float) if cutoffs else np.quantile(v, probs)
        # side="left": x equal to a break stays in the lower class (right-closed).
        state = 1 + np.searchsorted(q, v, side="left")
        return part.with_columns(pl.Series(_S, state, dtype=pl.Int64)), q

    if classes != "year":
        out, q = cut(rows)
        return out, pl.DataFrame({name: [qi] for name, qi in zip(qnames, q, strict=True)})
    parts, qrows = [], []
    for (yr,), part in rows.partition_by(_Y, as_dict=True, maintain_order=True).items():
        out, q = cut(part)
        parts.append(out)
        qrows.append({_Y: yr} | dict(zip(qnames, q.tolist(), strict=True)))
    qframe = pl.DataFrame(qrows, schema_overrides={_Y: base.schema[_Y]}).sort(_Y)
    return pl.concat(parts).sort(_R, _Y), qframe


def _check_cutoffs(v: np.ndarray, cutoffs: Sequence[float], what: str, prefix: str) -> None:
    """Refuse a cut-off that leaves an end class empty: below the smallest value or at
    or above the largest (classes are right-closed)."""
    lo, hi = float(v.min()), float(v.max())
    for c in cutoffs:
        if c < lo or c >= hi:
            name = f"{prefix}cutoffs"
            raise InputError(
                f"{name} {c:g} lies outside the values of {what} ({lo:g} to {hi:g}): "
                "a class would be empty",
                hint=f"give {name} between the smallest and the largest value",
            )


def _count(states: pl.DataFrame, k: int, origin: pl.Expr | None = None) -> np.ndarray:
    """n_ij over consecutive periods within each region (origins filtered by ``origin``)."""
    nxt = states.sort(_R, _P).with_columns(
        pl.col(_S).shift(-1).over(_R).alias(_TO),
        pl.col(_P).shift(-1).over(_R).alias(_PNEXT),
    )
    keep = (pl.col(_PNEXT) == pl.col(_P) + 1) & pl.col(_TO).is_not_null()
    if origin is not None:
        keep = keep & origin.fill_null(False)
    pairs = nxt.filter(keep)
    counts = np.zeros((k, k))
    frm = pairs.get_column(_S).to_numpy() - 1
    np.add.at(counts, (frm, pairs.get_column(_TO).to_numpy() - 1), 1)
    return counts


def _probabilities(counts: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts / counts.sum(axis=1, keepdims=True)


def _steady_state(p: np.ndarray) -> np.ndarray:
    """Left unit eigenvector of P normalised to sum 1; NaN if undefined or not unique."""
    k = p.shape[0]
    if not np.all(np.isfinite(p)):
        return np.full(k, np.nan)
    w, v = np.linalg.eig(p.T)
    unit = np.flatnonzero(np.abs(w - 1) < _UNIT_TOL)
    if unit.size != 1:
        return np.full(k, np.nan)
    pi = np.real(v[:, unit[0]])
    pi = pi / pi.sum()
    # Transient states have exactly 0 mass; clear the rounding noise around it.
    pi[np.abs(pi) < 1e-15] = 0.0
    return pi


def _homogeneity(cube: np.ndarray) -> pl.DataFrame:
    """Bickenbach–Bode LR and Q tests of P(l) = P over the lag classes l
    (:func:`nqpf.dynamics.ergodic.homogeneity_tests`, the one implementation)."""
    from nqpf.dynamics.ergodic import homogeneity_tests

    found = {name: (stat, dof, p) for name, stat, dof, p in homogeneity_tests(cube)}
    rows = [found["LR"], found["Q"]]
    return pl.DataFrame(
        {
            "test": ["LR", "Q"],
            "statistic": [row[0] for row in rows],
            "dof": [row[1] for row in rows],
            "p": [row[2] for row in rows],
        }
    )


def _square(m: np.ndarray, k: int) -> pl.DataFrame:
    return pl.DataFrame({"state": np.arange(1, k + 1)} | {str(j + 1): m[:, j] for j in range(k)})


def _stack(cube: np.ndarray, k: int) -> pl.DataFrame:
    return pl.concat(
        [
            _square(cube[lag], k).select(
                pl.lit(lag + 1, dtype=pl.Int64).alias("lag_state"), pl.all()
            )
            for lag in range(cube.shape[0])
        ]
    )


def _summary(
    counts: np.ndarray, probs: np.ndarray, steady: np.ndarray, breaks: pl.DataFrame | None, k: int
) -> pl.DataFrame:
    if breaks is not None:
        q = breaks.row(0)
        lower = [None, *q]
        upper = [*q, None]
    else:
        lower = upper = [None] * k
    idx = np.arange(k)
    return pl.DataFrame(
        {
            "state": idx + 1,
            "lower": pl.Series(lower, dtype=pl.Float64),
            "upper": pl.Series(upper, dtype=pl.Float64),
            "n_from": counts.sum(axis=1).astype(np.int64),
            "persistence": np.diag(probs),
            "up": np.array([probs[i, i + 1 :].sum() for i in idx]),
            "down": np.array([probs[i, :i].sum() for i in idx]),
            "steady_state": steady,
        }
    )


def _neighbour_pairs(
    neighbours: Any, region: str, regions: pl.Series, dtype: pl.DataType
) -> pl.DataFrame:
    """Normalise the neighbour list to a polars frame (__from, __to) and check it."""
    if isinstance(neighbours, Mapping):
        src, dst = [], []
        for r, ns in neighbours.items():
            if isinstance(ns, str | bytes) or not isinstance(
                ns, Sequence | set | frozenset | np.ndarray
            ):
                raise InputError(
                    f"the neighbours of {r!r} must be a list of regions, not {type(ns).__name__}",
                    hint="e.g. {'Beijing': ['Tianjin', 'Hebei'], ...}",
                )
            src += [r] * len(ns)
            dst += list(ns)
        pairs = pl.DataFrame({_FROM: src, _NB: dst}, strict=False)
    else:
        nb = to_polars(neighbours, what="the neighbour list")
        a = region if region in nb.columns else "region"
        # a region column itself called "neighbour" is the origin: the neighbour is
        # then the other spelling (or nqpf_neighbour)
        b = next(
            (c for c in ("neighbour", "neighbor", "nqpf_neighbour") if c in nb.columns and c != a),
            None,
        )
        if a not in nb.columns or b is None:
            raise InputError(
                f"the neighbour frame needs the columns '{region}' and 'neighbour', "
                f"it has {', '.join(nb.columns)}",
                hint="one row per (region, neighbour) pair",
            )
        pairs = nb.select(pl.col(a).alias(_FROM), pl.col(b).alias(_NB))
    known = regions.unique()
    try:
        pairs = pairs.with_columns(pl.all().cast(dtype))
    except pl.exceptions.PolarsError:
        raise InputError(
            f"the neighbour list's region names do not match the type of '{region}'",
            column=region,
        ) from None
    for col in (_FROM, _NB):
        unknown = pairs.filter(~pl.col(col).is_in(known.implode()) | pl.col(col).is_null())
        if unknown.height:
            raise InputError(
                f"the neighbour list names region {unknown.get_column(col)[0]!r}, "
                f"which is not in the panel's '{region}' column",
                column=region,
                hint="check its spelling or drop it from the neighbour list",
            )
    selfs = pairs.filter(pl.col(_FROM) == pl.col(_NB))
    if selfs.height:
        raise InputError(
            f"region {selfs.get_column(_FROM)[0]!r} is listed as its own neighbour",
            hint="the spatial lag is the mean of the other regions",
        )
    pairs = pairs.unique(maintain_order=True)
    lonely = known.filter(~known.is_in(pairs.get_column(_FROM).implode())).sort()
    if lonely.len():
        raise InputError(
            f"region {lonely[0]!r} has no neighbours in the neighbour list",
            column=region,
            hint="give every region at least one neighbour (an island: its nearest region)",
        )
    return pairs


def _weights_pairs(w: Any, regions: pl.Series) -> pl.DataFrame:
    """The links of a SpatialWeights as pairs (origin, neighbour, weight) in the panel's
    own region values, W aligned to the panel's regions (islands refused: their lag is
    undefined)."""
    from nqpf.spatial.panel import check_weights

    check_weights(w)
    panel = regions.unique(maintain_order=True)
    aligned = w.transform("o").align(panel.to_list(), what="the panel")
    aligned.check_islands(what="the spatial lag")
    links = aligned.to_frame()
    # the aligned ids are the panel's values as text: map them back to the values
    back = pl.DataFrame({"focal": [str(v) for v in panel.to_list()], _FROM: panel})
    return (
        links.join(back, on="focal", how="left", maintain_order="left")
        .join(
            back.rename({"focal": "neighbour", _FROM: _NB}),
            on="neighbour",
            how="left",
            maintain_order="left",
        )
        .select(_FROM, _NB, pl.col("weight").alias(_WT))
    )


def _spatial_lag(base: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Row-standardised lag: mean of the neighbours' values in the same year (the
    weighted mean when the pairs carry weights)."""
    vals = base.select(pl.col(_R).alias(_NB), _Y, pl.col(_V).alias(_NV))
    # a join's row order is not fixed: the neighbours are put in one order before their
    # values are averaged, so that the mean has the same bits on every run
    pairs_with_values = (
        base.select(_R, _Y)
        .join(pairs, left_on=_R, right_on=_FROM)
        .join(vals, on=[_NB, _Y], how="inner")
        .sort(_R, _Y, _NB)
    )
    if _WT not in pairs.columns or pairs.get_column(_WT).n_unique() == 1:
        lag = grouped(pairs_with_values.group_by(_R, _Y), {_LAG: (_NV, "mean")})
    else:
        sums = grouped(
            pairs_with_values.with_columns((pl.col(_NV) * pl.col(_WT)).alias(_NV)).group_by(_R, _Y),
            {_NV: (_NV, "sum"), _WT: (_WT, "sum")},
        )
        lag = sums.select(_R, _Y, (pl.col(_NV) / pl.col(_WT)).alias(_LAG))
    return base.join(lag, on=[_R, _Y], how="left", maintain_order="left")
