"""Markov chains beyond quantile classes: full-rank and geo-rank chains (Rey 2014),
the LISA Markov chain (Rey 2001) and tests that one transition matrix holds across
sub-periods or groups of regions (Bickenbach & Bode 2003; Kullback et al. 1962).

Each returns a :class:`ChainResult` whose tables are the counts, the probabilities,
every stationary distribution, the mean first passage times, the sojourn times and the
tests (docs/methods.md §4.3; the long-run quantities come from
:mod:`nqpf.dynamics.ergodic`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import polars as pl

from nqpf._frames import check_choice, internal_name
from nqpf.errors import InputError
from nqpf.options import MarkovOptions
from nqpf.results import Result

__all__ = ["RANK_KINDS", "ChainResult", "lisa_markov", "markov_homogeneity", "rank_markov"]

#: The kinds of :func:`rank_markov`: full rank (states are ranks) and geo rank (regions).
RANK_KINDS: tuple[str, ...] = ("full", "geo")


@dataclass(frozen=True, slots=True)
class ChainResult(Result):
    """Result of :func:`rank_markov`, :func:`lisa_markov` and :func:`markov_homogeneity`.

    Attributes
    ----------
    kind
        ``"full_rank"``, ``"geo_rank"``, ``"lisa"`` or ``"homogeneity"``.
    states
        The state names, in matrix order (ranks 1 = highest; regions; quadrants).
    counts, probabilities
        polars: ``state`` and one column per destination state (for ``homogeneity``:
        a first column ``regime``, one k × k block per regime).
    stationary
        polars: ``closed_class`` and the shares of each state (every stationary
        distribution, one per closed class).
    first_passage
        polars: ``state`` and the mean first passage time to each destination.
    long_run
        polars: ``state``, ``sojourn_time``, ``recurrence_time``.
    tests
        polars: ``test``, ``statistic``, ``dof``, ``p`` (LISA: χ² of independent own and
        neighbourhood moves; homogeneity: Q, LR, Kullback).
    expected
        LISA only: the expected counts under independence (polars, like ``counts``).
    assignments
        polars: the state of each region-year (rank, rank holder or quadrant).
    """

    kind: str
    states: tuple[str, ...]
    counts: pl.DataFrame
    probabilities: pl.DataFrame
    stationary: pl.DataFrame | None = None
    first_passage: pl.DataFrame | None = None
    long_run: pl.DataFrame | None = None
    tests: pl.DataFrame | None = None
    expected: pl.DataFrame | None = None
    assignments: pl.DataFrame | None = None
    options: dict[str, Any] = field(default_factory=dict)

    main_table: ClassVar[str] = "probabilities"
    title: ClassVar[str] = "Markov chain"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``probabilities``, ``counts`` and, where computed, ``stationary``,
        ``first_passage``, ``long_run``, ``tests``, ``expected``, ``assignments``."""
        names = ("probabilities", "counts", "stationary", "first_passage", "long_run")
        names += ("tests", "expected", "assignments")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    def matrix(self, *, counts: bool = False) -> np.ndarray:
        """The transition matrix (or counts) as numpy, in :attr:`states` order."""
        frame = self.counts if counts else self.probabilities
        return frame.drop("regime", "state", strict=False).to_numpy()

    def summary(self) -> str:
        """The kind, the number of states and the tests, as text."""
        rows = [f"Markov chain ({self.kind}), {len(self.states)} states"]
        if self.tests is not None:
            for test, stat, dof, p in self.tests.iter_rows():
                rows.append(f"  {test}: {stat:.3f} (dof {dof}, p = {p:.4g})")
        return "\n".join(rows)


def _square(m: np.ndarray, names: Sequence[str]) -> pl.DataFrame:
    return pl.DataFrame({"state": list(names)} | {n: m[:, j] for j, n in enumerate(names)})


def _chain_tables(counts: np.ndarray, names: Sequence[str]) -> dict[str, Any]:
    """Probabilities, stationary distributions, passage and sojourn times of counts."""
    from nqpf.dynamics.ergodic import first_passage_times, sojourn_times, stationary_distributions

    n_i = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        probs = counts / n_i
    pis = stationary_distributions(probs)
    mfpt = first_passage_times(probs)
    return {
        "states": tuple(names),
        "counts": _square(counts, names),
        "probabilities": _square(probs, names),
        "stationary": pl.DataFrame(
            {"closed_class": np.arange(1, len(pis) + 1)}
            | {n: pis[:, j] for j, n in enumerate(names)}
        ),
        "first_passage": _square(mfpt, names),
        "long_run": pl.DataFrame(
            {
                "state": list(names),
                "sojourn_time": sojourn_times(probs),
                "recurrence_time": np.diag(mfpt).copy(),
            }
        ),
    }


def _balanced(frame: Any, value: str, region: str, year: str, what: str) -> tuple:
    """The panel as an n × T matrix (regions sorted, years ascending), refusing gaps."""
    from nqpf._frames import check_keys, column_name, numeric_values, require_columns, to_polars

    for role, name in (("value", value), ("region", region), ("year", year)):
        column_name(role, name)
    df = to_polars(frame)
    require_columns(df, [value, region, year])
    check_keys(df, [region, year])
    df = df.select(region, year).with_columns(pl.Series("x", numeric_values(df, value)))
    regions = df.get_column(region).unique().sort().to_list()
    years = df.get_column(year).unique().sort().to_list()
    if len(years) < 2:
        raise InputError(
            f"{what} needs at least 2 years", column=year, hint="transitions link years"
        )
    if df.height != len(regions) * len(years):
        raise InputError(
            f"{what} needs a balanced panel: {len(regions)} regions × {len(years)} years "
            f"but {df.height} rows",
            column=region,
            hint="give every region a value in every year (or drop the incomplete ones)",
        )
    wide = df.sort(region, year).get_column("x").to_numpy().reshape(len(regions), len(years))
    return wide, regions, years


def rank_markov(
    frame: Any, value: str, region: str, year: str, *, kind: str = "full"
) -> ChainResult:
    """Full-rank (``kind="full"``) or geo-rank (``"geo"``) Markov chain (Rey 2014).

    **Full rank**: the states are the ranks 1..n of each year's cross-section (1 = the
    highest value); P_ij is the share of moves from rank i in year t to rank j in t + 1
    (Rey 2014, eq. 11; giddy ``FullRank_Markov``). **Geo rank**: the states are the
    regions; the rank position held by region i in year t is held by region j in t + 1
    with probability P_ij (eq. 13–16; giddy ``GeoRank_Markov``). Ties get distinct
    ranks in the regions' sorted order (giddy: the order of the rows). The panel must
    be balanced. Stationary distributions, mean first passage and sojourn times as in
    :mod:`nqpf.dynamics.ergodic`.

    References
    ----------
    Rey, S. J. (2014). Rank-based Markov chains for regional income distribution
    dynamics. *Journal of Geographical Systems* 16, 115–137.
    """
    if kind not in RANK_KINDS:
        raise InputError(f"unknown kind {kind!r} — use one of: full, geo")
    wide, regions, years = _balanced(frame, value, region, year, "a rank Markov chain")
    n, t = wide.shape
    # ordinal ranks, ascending; stable sort = ties in the regions' order
    asc = np.empty_like(wide, dtype=np.int64)
    for c in range(t):
        asc[np.argsort(wide[:, c], kind="stable"), c] = np.arange(n)
    if kind == "full":
        states = n - 1 - asc  # 0 = highest
        names = [str(r + 1) for r in range(n)]
    else:
        states = np.argsort(asc, axis=0)  # region holding each ascending rank position
        names = [str(r) for r in regions]
    counts = np.zeros((n, n))
    np.add.at(counts, (states[:, :-1].ravel(), states[:, 1:].ravel()), 1)
    rank = (n - asc).ravel()
    assignments = pl.DataFrame(
        {region: np.repeat(np.asarray(regions, dtype=object), t).tolist(), year: years * n}
    ).with_columns(pl.Series("rank", rank, dtype=pl.Int64))
    return ChainResult(
        kind=f"{kind}_rank",
        assignments=assignments,
        options={"kind": kind},
        **_chain_tables(counts, names),
    )


def lisa_markov(
    frame: Any,
    value: str,
    region: str,
    year: str,
    *,
    w: Any,
    convention: Literal["nqpf", "giddy"] = "nqpf",
) -> ChainResult:
    """LISA Markov chain (Rey 2001; giddy ``LISA_Markov``): the states are the Moran
    scatterplot quadrants HH, LH, LL, HL of each region-year (as
    :func:`nqpf.spatial.space_time_transitions`: z = x − x̄_t, lag = (W z)_i with
    row-standardised ``w``), with the 4 × 4 transition matrix and its long-run summaries.

    ``tests`` holds giddy's ``chi_2``: H₀ the region's own moves (above/below the year's
    mean, x/x̄_t ≥ 1) and its neighbourhood's moves ((W x)_i/x̄_t ≥ 1) are independent
    chains; the expected counts are E = diag(n_i) · A (P_own ⊗ P_lag) Aᵀ, A the
    permutation from (own, lag) pairs to HH, LH, LL, HL, and the statistic is
    :func:`nqpf.dynamics.ergodic.chi2_test` of the counts against E.

    ``convention="giddy"`` reproduces giddy 2.3's ``chi_2`` itself (1058.208 on its
    documented US example), which builds the two chains otherwise: each value is divided
    by the region's own mean over the years (not the year's mean), and its ``Markov`` of
    the (year × region) array counts "transitions" between consecutive regions (in the
    data's order) within a year, not between years. nqpf's default is the test as
    stated above; the quadrant chain, its counts and steady state are the same under
    both (docs/methods.md §4.3).
    """
    from nqpf.dynamics.ergodic import chi2_test
    from nqpf.spatial.panel import by_year
    from nqpf.spatial.transitions import QUADRANTS, quadrant_codes

    codes, low, lag_low, keys = [], [], [], []
    ids: list[str] | None = None
    for key, x, wy in by_year(frame, value, region, year, w=w, what="a LISA Markov chain"):
        order = sorted(range(len(wy.ids)), key=lambda i: wy.ids[i])
        if ids is not None and [wy.ids[i] for i in order] != ids:
            raise InputError(
                f"year {key} has other regions than year {keys[0]}",
                column=region,
                hint="a LISA Markov chain needs a balanced panel (every region every year)",
            )
        ids = [wy.ids[i] for i in order]
        rw = wy.transform("r").sparse
        code, _, _ = quadrant_codes(x, rw)
        mean = x.mean()
        codes.append(code[order])
        low.append((x / mean < 1.0)[order])
        lag_low.append(((rw @ x) / mean < 1.0)[order])
        keys.append(key)
    if len(keys) < 2:
        raise InputError("a LISA Markov chain needs at least 2 years", column=year)
    q = np.column_stack(codes)
    counts = np.zeros((4, 4))
    np.add.at(counts, (q[:, :-1].ravel(), q[:, 1:].ravel()), 1)
    check_choice("convention", convention, ("nqpf", "giddy"))
    if convention == "giddy":
        own, nbr = _giddy_chains(frame, value, region, year, w)
    else:
        own, nbr = _two_state(np.column_stack(low)), _two_state(np.column_stack(lag_low))
    # kron index 2a + b over (own low a, lag low b) → HH, HL, LH, LL; A reorders them
    perm = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 1, 0, 0]])
    expected = np.diag(counts.sum(axis=1)) @ (perm @ np.kron(own, nbr) @ perm.T)
    stat, dof, p = chi2_test(counts, expected)
    names = list(QUADRANTS)
    assignments = pl.DataFrame(
        {
            region: np.repeat(np.asarray(ids, dtype=object), len(keys)).tolist(),
            year: keys * len(ids),
            "quadrant": np.asarray(QUADRANTS)[q].ravel().tolist(),
        }
    )
    return ChainResult(
        kind="lisa",
        tests=pl.DataFrame({"test": ["chi2"], "statistic": [stat], "dof": [dof], "p": [p]}),
        expected=_square(expected, names),
        assignments=assignments,
        **_chain_tables(counts, names),
    )


def _giddy_chains(
    frame: Any, value: str, region: str, year: str, w: Any
) -> tuple[np.ndarray, np.ndarray]:
    """giddy ``LISA_Markov``'s two 2 × 2 chains: y (years × regions, data order), r = y
    / (each region's mean over the years), r_lag = (W y_t) / the same means, and
    ``Markov(r < 1)``, whose rows are the years and whose "time" runs over the regions."""
    from nqpf.spatial.panel import by_year

    ys, lags = [], []
    for _, x, wy in by_year(frame, value, region, year, w=w, what="a LISA Markov chain"):
        ys.append(x)
        lags.append(wy.transform("r").sparse @ x)
    y, lag = np.vstack(ys), np.vstack(lags)
    ybar = y.mean(axis=0)
    return _two_state(y / ybar < 1.0), _two_state(lag / ybar < 1.0)


def _two_state(low: np.ndarray) -> np.ndarray:
    """2 × 2 transition probabilities of a boolean n × T panel (state 0 = False)."""
    c = np.zeros((2, 2))
    np.add.at(c, (low[:, :-1].ravel().astype(int), low[:, 1:].ravel().astype(int)), 1)
    rows = c.sum(axis=1, keepdims=True)
    return c / np.where(rows > 0, rows, 1.0)


def markov_homogeneity(
    frame: Any,
    value: str,
    region: str,
    year: str,
    *,
    by: str | None = None,
    periods: Sequence[Any] | None = None,
    options: MarkovOptions | None = None,
    **option_values: Any,
) -> ChainResult:
    """Is the transition matrix the same across regimes? Regimes are the values of
    column ``by`` in the origin row of each transition (e.g. 东部/中部/西部), or the
    sub-periods that start at each year of ``periods`` (``periods=[2010]``: before 2010
    and from 2010 on, by the origin year). States are those of
    :func:`nqpf.markov_chain` with the same options (``k``, ``classes``, ``cutoffs``,
    ``state_labels``, …). ``tests`` holds Q, LR (Bickenbach & Bode 2003) and Kullback's
    statistic (:func:`nqpf.dynamics.ergodic.homogeneity_tests`).
    """
    from nqpf.dynamics.markov import markov_chain

    if (by is None) == (periods is None):
        raise InputError(
            "name the regimes by by=<column> or by periods=[<first year>, …]", hint="one of them"
        )
    opts = (options or MarkovOptions()).replace(**option_values) if option_values else options
    chain = markov_chain(frame, value, region, year, options=opts or MarkovOptions())
    states = chain.states
    k = chain.k
    state_col = chain.column("state")
    # helper columns named around the caller's (nqpf._frames.internal_name)
    taken = [*states.columns, *([by] if by else [])]
    _TO, _PNEXT, _PERIOD, _REGIME = (
        internal_name(b, taken) for b in ("to", "period_next", "period", "regime")
    )
    src = _regimes(frame, states, region, year, by, periods, (_PERIOD, _REGIME))
    nxt = src.sort(region, year).with_columns(
        pl.col(state_col).shift(-1).over(region).alias(_TO),
        pl.col(_PERIOD).shift(-1).over(region).alias(_PNEXT),
    )
    pairs = nxt.filter((pl.col(_PNEXT) == pl.col(_PERIOD) + 1) & pl.col(_TO).is_not_null())
    regimes = src.get_column(_REGIME).unique(maintain_order=True).sort().to_list()
    if len(regimes) < 2:
        raise InputError(
            "a homogeneity test needs at least 2 regimes",
            column=by or year,
            hint="give by= a column with 2 or more groups, or periods= a year inside the panel",
        )
    cube = np.zeros((len(regimes), k, k))
    for g, name in enumerate(regimes):
        part = pairs.filter(pl.col(_REGIME) == name)
        np.add.at(
            cube[g],
            (part.get_column(state_col).to_numpy() - 1, part.get_column(_TO).to_numpy() - 1),
            1,
        )
    empty = [str(r) for r, c in zip(regimes, cube, strict=True) if c.sum() == 0]
    if empty:
        raise InputError(
            f"regime {empty[0]} has no transition (a period needs at least 2 years)",
            column=by or year,
            hint="choose regimes that each span two consecutive years",
        )
    return _homogeneity_result(cube, regimes, {"by": by, "periods": list(periods or [])})


def _homogeneity_result(
    cube: np.ndarray, regimes: Sequence[Any], options: dict[str, Any]
) -> ChainResult:
    """The regimes' counts and probabilities stacked, and the Q, LR and Kullback tests."""
    from nqpf.dynamics.ergodic import homogeneity_tests

    k = cube.shape[1]
    tests = homogeneity_tests(cube)
    names = [str(i) for i in range(1, k + 1)]
    stack = [
        _square(c, names).select(pl.lit(str(r)).alias("regime"), pl.all())
        for r, c in zip(regimes, cube, strict=True)
    ]
    with np.errstate(invalid="ignore", divide="ignore"):
        probs = [
            _square(c / c.sum(axis=1, keepdims=True), names).select(
                pl.lit(str(r)).alias("regime"), pl.all()
            )
            for r, c in zip(regimes, cube, strict=True)
        ]
    return ChainResult(
        kind="homogeneity",
        states=tuple(names),
        counts=pl.concat(stack),
        probabilities=pl.concat(probs),
        tests=pl.DataFrame(
            {
                "test": [t[0] for t in tests],
                "statistic": [t[1] for t in tests],
                "dof": [t[2] for t in tests],
                "p": [t[3] for t in tests],
            }
        ),
        options=options,
    )


def _regimes(
    frame: Any,
    states: pl.DataFrame,
    region: str,
    year: str,
    by: str | None,
    periods: Sequence[Any] | None,
    names: tuple[str, str],
) -> pl.DataFrame:
    """``states`` with the year's position and the regime of each row (helper columns
    ``names``)."""
    _PERIOD, _REGIME = names
    from nqpf._frames import require_columns, to_polars

    years = states.get_column(year).unique().sort()
    out = states.join(
        pl.DataFrame({year: years, _PERIOD: np.arange(len(years))}), on=year, how="left"
    )
    if by is not None:
        df = to_polars(frame)
        require_columns(df, [by])
        if df.get_column(by).null_count():
            raise InputError(f"column '{by}' has missing regimes", column=by, hint="fill them")
        return out.join(
            df.select(region, year, pl.col(by).cast(pl.String).alias(_REGIME)),
            on=[region, year],
            how="left",
        )
    starts = sorted(periods or [])
    inside = [s for s in starts if years.min() < s <= years.max()]
    if len(inside) != len(starts):
        raise InputError(
            f"periods {starts} must lie inside the panel's years ({years.min()} to {years.max()}]",
            column=year,
            hint="give the first year of each later sub-period",
        )
    regime = np.searchsorted(np.asarray(starts), out.get_column(year).to_numpy(), side="right")
    return out.with_columns(pl.Series(_REGIME, [f"period {r + 1}" for r in regime]))
