"""Robustness ("multiverse") analysis of the index: the same panel under every defensible
combination of the index's arbitrary choices.

A composite index rests on choices no theory fixes: how indicators are weighted, over
which rows they are standardised, how the weights enter TOPSIS, which ideal points and
which normalisation it uses. :func:`robustness` reruns the index over the Cartesian
product of a **grid** of such choices (a mapping option name → list of values; every
name and value is an :class:`nqpf.options.IndexOptions` option, judged by that
declaration, so an option added there can join a grid without a change here) and says
what the conclusions owe to them (docs/methods.md, robustness analysis):

* Kendall τ_b and Spearman ρ between every pair of variants, of the region-year scores
  and of the period-mean ranks;
* each region's period-mean rank range (min, max, median) and its modal echelon, and the
  share of regions whose echelon changes across variants;
* the range of the Dagum contribution shares Gw/G, Gnb/G, Gt/G (period means of the
  yearly shares, by a group column or by each variant's echelons);
* the headline conclusions of the reference variant and in how many variants each holds,
  as sentences in English and Chinese.

Definitions
-----------
* Variant v has options base.replace(**combination); combinations that
  :class:`~nqpf.options.IndexOptions` refuses (a rule between options) and those the
  panel refuses (an :class:`~nqpf.errors.InputError` of the index, e.g. ratio
  standardisation of values ≤ 0) are dropped and listed with the reason.
* The reference variant is the one equal to the base options (the defaults unless
  ``options=``/keywords are given); when the grid does not contain it, the first variant.
* Period mean of region i: x̄ᵢ = (1/T) Σₜ Cᵢₜ; period-mean rank: 1 = highest, ties share
  the smallest rank (:func:`nqpf.index.within_year_ranks`).
* Kendall's τ_b (Kendall 1945) of two score vectors a, b over the n(n−1)/2 pairs i < j:
  τ_b = Σ sgn(aᵢ − aⱼ) sgn(bᵢ − bⱼ) / √(Σ sgn(aᵢ − aⱼ)² · Σ sgn(bᵢ − bⱼ)²) — the
  (nc − nd)/√((n₀ − n₁)(n₀ − n₂)) of ``scipy.stats.kendalltau``; for all variants at once
  it is the cosine of the V sign vectors, one Gram matrix (computed in blocks of pairs).
* Spearman's ρ: Pearson's r of the average ranks (ties averaged), as
  ``scipy.stats.spearmanr``.
* Modal echelon: the most frequent echelon of a region across variants (a tie goes to
  the higher tier, the smaller number). The echelons are :func:`nqpf.echelons` of each
  variant's scores under one rule (default: the report's, Fisher–Jenks with k = 3).

Speed: the panel is read and validated once (:func:`nqpf.prepare_index`); each
standardise-and-weigh step is computed once for all the variants that share it (they
differ only in options that act after it: ``method``, ``topsis``, ``ideal``,
``normalization``), and the rank correlations are matrix products.

References
----------
Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika* 33, 239–251.
Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. *J. R. Stat. Soc.
A* 168, 307–323.
Steegen, S., Tuerlinckx, F., Gelman, A., Vanpaemel, W. (2016). Increasing transparency
through a multiverse analysis. *Perspectives on Psychological Science* 11, 702–712.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import polars as pl

from nqpf import index as _index
from nqpf._frames import grouped, output_name
from nqpf.errors import InputError
from nqpf.options import EchelonOptions, IndexOptions, ReportOptions, takes_options
from nqpf.panel import IndicatorSpec, Panel
from nqpf.results import Result

__all__ = [
    "DEFAULT_GRID",
    "REPORT_GRID",
    "RobustnessResult",
    "grid_choices",
    "kendall_tau_matrix",
    "rank_range",
    "rank_range_drawing",
    "robustness",
    "spearman_rho_matrix",
]

#: The default grid: 3 × 2 × 2 × 2 × 2 = 48 variants. Weights: entropy, CRITIC and equal
#: weights (the three families papers defend); standardisation over the pooled panel or
#: within each year, by min–max or by the ratio x / max; the weights in the TOPSIS matrix
#: or in its distance; min–max or vector (Hwang–Yoon) normalisation for TOPSIS. The ideal
#: points stay the base's (pooled): per-year ideals make the yearly scores incomparable,
#: which the period means this analysis ranks by would hide.
DEFAULT_GRID: dict[str, tuple[Any, ...]] = {
    "weights": ("entropy", "critic", "equal"),
    "scope": ("panel", "year"),
    "standardization": ("minmax", "ratio"),
    "topsis": ("matrix", "distance"),
    "normalization": ("minmax", "vector"),
}

#: The report's grid (2 × 2 × 2 = 8 variants): the report is built often, so it varies the
#: three choices that move scores most (weights, scope, normalisation); the full grid is
#: ``nqpf robustness`` / :func:`robustness`.
REPORT_GRID: dict[str, tuple[Any, ...]] = {
    "weights": ("entropy", "critic"),
    "scope": ("panel", "year"),
    "normalization": ("minmax", "vector"),
}

#: Options that act after standardisation and weighting: variants differing only in them
#: share one standardise-and-weigh step. An option not listed (also one added later) is
#: taken to change that step, which is always correct, only slower.
_SCORING_ONLY = frozenset({"method", "topsis", "ideal", "normalization"})

#: Options a grid cannot vary: the variants must score the same region-years.
_FIXED = {"missing": "every variant must score the same region-years"}

#: Sign-vector entries (pairs × variants) formed at once by :func:`kendall_tau_matrix`.
_PAIR_BLOCK = 1 << 22

_COMPONENTS = ("Gw_share", "Gnb_share", "Gt_share")


# ---------------------------------------------------------------------------
# Rank correlations of all pairs of columns
# ---------------------------------------------------------------------------


def kendall_tau_matrix(x: Any) -> np.ndarray:
    """Kendall's τ_b between every pair of columns of ``x`` (rows = observations).

    τ_b(a, b) = Σ_{i<j} sgn(aᵢ − aⱼ) sgn(bᵢ − bⱼ) / √(Σ sgn(aᵢ − aⱼ)² Σ sgn(bᵢ − bⱼ)²)
    (Kendall 1945), which is ``scipy.stats.kendalltau(a, b).statistic`` (variant "b").
    All columns at once: the Gram matrix of their sign vectors over the pairs, in blocks
    of rows (each block's pairs with the later rows, and its own pairs counted twice and
    halved) so that about 4 million signs exist at a time. The signs are taken of differences of each column's
    dense ranks (whole numbers, exact in float32, so a tie is a tie and an order an
    order); a block's products are sums of ±1 below 2²⁴, exact in float32, and the
    blocks are summed in float64 (exact below 2⁵³). A column without two distinct
    values gives NaN.
    """
    values = np.asarray(x, dtype=float)
    if values.ndim != 2:
        raise InputError(f"kendall_tau_matrix needs a 2-D array, got shape {values.shape}")
    n, v = values.shape
    if n > 1 << 24:
        raise InputError(f"kendall_tau_matrix takes at most 2**24 rows, got {n}")
    dense = np.empty((n, v), dtype=np.float32)
    for j in range(v):
        dense[:, j] = np.unique(values[:, j], return_inverse=True)[1].reshape(-1)
    gram = np.zeros((v, v))
    rows = max(1, _PAIR_BLOCK // max(1, n * v))
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        block = dense[start:stop]
        # pairs of the block with the rows after it, each once
        later = np.sign(dense[None, stop:, :] - block[:, None, :]).reshape(-1, v)
        # pairs within the block, each twice (i < j and j < i): halved, exactly
        within = np.sign(block[None, :, :] - block[:, None, :]).reshape(-1, v)
        gram += (later.T @ later).astype(np.float64) + 0.5 * (within.T @ within)
    return _cosines(gram)


def _cosines(gram: np.ndarray) -> np.ndarray:
    """gram[a, b] / √(gram[a, a] gram[b, b]), clipped to [−1, 1]; exactly 1 on the
    diagonal (a column with itself) and NaN for a column of norm 0."""
    diagonal = np.diag(gram)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.clip(gram / np.sqrt(np.outer(diagonal, diagonal)), -1.0, 1.0)
    defined = diagonal > 0
    out[np.diag_indices_from(out)] = np.where(defined, 1.0, np.nan)
    return out


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of each column, ties given their average rank (``rankdata`` "average")."""
    n, v = values.shape
    out = np.empty((n, v))
    for j in range(v):
        order = np.argsort(values[:, j], kind="stable")
        sorted_values = values[order, j]
        new = np.concatenate(([True], sorted_values[1:] != sorted_values[:-1]))
        starts = np.flatnonzero(new)
        ends = np.concatenate((starts[1:], [n]))
        average = (starts + ends + 1) / 2.0  # mean of the ranks start+1 … end
        out[order, j] = np.repeat(average, ends - starts)
    return out


def spearman_rho_matrix(x: Any) -> np.ndarray:
    """Spearman's ρ between every pair of columns of ``x``: Pearson's r of the columns'
    average ranks (``scipy.stats.spearmanr``). A constant column gives NaN."""
    values = np.asarray(x, dtype=float)
    if values.ndim != 2:
        raise InputError(f"spearman_rho_matrix needs a 2-D array, got shape {values.shape}")
    ranks = _average_ranks(values)
    centred = ranks - ranks.mean(axis=0)
    gram = centred.T @ centred
    return _cosines(gram)


# ---------------------------------------------------------------------------
# The grid
# ---------------------------------------------------------------------------


def grid_choices() -> dict[str, tuple[Any, ...]]:
    """The choice options of :class:`~nqpf.options.IndexOptions` a grid can vary, each with
    its declared choices, in declaration order (for fronts that build a grid: the app's
    Robustness page); ``missing`` cannot vary (every variant scores the same rows)."""
    return {
        info.name: info.choices
        for info in IndexOptions.describe()
        if info.kind == "choice" and info.name not in _FIXED
    }


def _grid_values(base: IndexOptions, name: Any, values: Any) -> tuple[Any, ...]:
    """The checked, de-duplicated values of one grid entry (one InputError naming it)."""
    if not isinstance(name, str):
        raise InputError(
            f"grid key {name!r} must be an option name",
            hint="e.g. grid={'weights': ['entropy', 'critic']}",
        )
    info = IndexOptions.info(name)  # an unknown name: UnknownOptionError with the close match
    if name in _FIXED:
        raise InputError(
            f"grid option '{name}' cannot vary: {_FIXED[name]}",
            hint=f"give {name}= as an option of the call instead",
        )
    if isinstance(values, str) or not isinstance(values, Sequence | set | frozenset):
        values = [values]
    values = list(values)
    if not values:
        raise InputError(
            f"grid option '{name}' has no values",
            hint=f"give at least one, e.g. {name}=[{info.default!r}], or leave it out",
        )
    checked: list[Any] = []
    for value in values:
        try:
            good = base._checked(info, value)
        except InputError as error:
            raise InputError(f"grid option '{name}': {error.what}", hint=error.hint) from None
        if not any(_same(good, other) for other in checked):
            checked.append(good)
    return tuple(checked)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b if not isinstance(a, Mapping) else dict(a) == dict(b))


def check_grid(grid: Any, base: IndexOptions | None = None) -> dict[str, tuple[Any, ...]]:
    """``grid`` (None: :data:`DEFAULT_GRID`) as option name → checked values, each judged
    by :class:`~nqpf.options.IndexOptions` (an unknown option, an invalid value or an
    empty list is one InputError naming the option)."""
    base = IndexOptions() if base is None else base
    if grid is None:
        grid = DEFAULT_GRID
    if not isinstance(grid, Mapping):
        raise InputError(
            f"grid must be a mapping option name → list of values, got {type(grid).__name__}",
            hint="e.g. grid={'weights': ['entropy', 'critic'], 'scope': ['panel', 'year']}",
        )
    return {name: _grid_values(base, name, values) for name, values in grid.items()}


def _combinations(
    base: IndexOptions, grid: Mapping[str, tuple[Any, ...]]
) -> tuple[list[dict[str, Any]], list[IndexOptions], list[tuple[dict[str, Any], str]]]:
    """The grid's combinations that IndexOptions accepts, their options, and the refused
    ones with the reason."""
    names = list(grid)
    kept: list[dict[str, Any]] = []
    options: list[IndexOptions] = []
    refused: list[tuple[dict[str, Any], str]] = []
    for values in itertools.product(*(grid[n] for n in names)):
        combination = dict(zip(names, values, strict=True))
        try:
            chosen = base.replace(**combination)
        except InputError as error:
            refused.append((combination, error.what))
            continue
        kept.append(combination)
        options.append(chosen)
    return kept, options, refused


# ---------------------------------------------------------------------------
# Scoring the variants
# ---------------------------------------------------------------------------


def _weighing_key(options: IndexOptions) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, repr(getattr(options, name)))
        for name in options.names()
        if name not in _SCORING_ONLY
    )


def _variant_scores(
    inp: _index.IndexInput, options: IndexOptions, cache: dict[Any, Any]
) -> np.ndarray:
    """The scores of ``options`` in the rows of ``inp`` (year, then region), as
    :func:`nqpf.entropy_topsis` computes them: its steps, with the standardise-and-weigh
    step shared through ``cache``. A scoring method other than TOPSIS and linear goes
    through :func:`nqpf.entropy_topsis` itself."""
    if options.method not in ("topsis", "linear"):
        return _scores_of(_index.entropy_topsis(inp, options=options), inp)
    key = _weighing_key(options)
    weighed = cache.get(key)
    if weighed is None:
        weighed = cache[key] = _index._standardise_and_weigh(inp, options)
    _index._check_dimension_weights(inp, weighed)
    if options.method == "linear":
        return _index._score_linear(inp, weighed).score
    return _index._score_topsis(inp, weighed, options).score


def _scores_of(result: _index.IndexResult, inp: _index.IndexInput) -> np.ndarray:
    """An index result's scores in the rows of ``inp``."""
    keys = inp.data.select(inp.panel.region, inp.panel.year)
    scores = result.scores.select(inp.panel.region, inp.panel.year, result.score_column)
    joined = keys.join(
        scores, on=[inp.panel.region, inp.panel.year], how="left", maintain_order="left"
    )
    return joined.get_column(result.score_column).to_numpy().astype(float)


def _label(combination: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{k}={v if isinstance(v, str | int | float) else 'user'}" for k, v in combination.items()
    )


# ---------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RobustnessResult(Result):
    """The index under every variant of a grid (see :mod:`nqpf.multiverse`).

    Attributes
    ----------
    variants
        One row per variant: ``variant`` (1, 2, …), one column per grid option, ``label``,
        ``reference`` (True for the reference variant), ``first`` (the region ranked first
        by its period mean), ``tau_scores``/``rho_scores`` (τ_b and ρ of its region-year
        scores with the reference's), ``tau_ranks``/``rho_ranks`` (of its period means),
        ``G``, ``Gw_share``, ``Gnb_share``, ``Gt_share`` (period means of the yearly
        Dagum values; null without a decomposition).
    correlations
        One row per pair of variants a < b: ``variant_a``, ``variant_b``, ``tau_scores``,
        ``rho_scores``, ``tau_ranks``, ``rho_ranks``.
    regions
        One row per region, by median rank: ``<region>``, ``min_rank``, ``max_rank``,
        ``median_rank``, ``reference_rank``, ``rank_range`` (max − min), ``modal_echelon``,
        ``modal_share`` (share of variants in it), ``echelons`` (distinct echelons),
        ``echelon_changes`` (True when it has more than one).
    dagum
        One row per share (Gw_share, Gnb_share, Gt_share) and G: ``quantity``, ``min``,
        ``max``, ``reference``, ``largest_in`` (variants in which that share is the
        largest component; null for G).
    conclusions
        The reference variant's headline conclusions: ``conclusion`` (key), ``holds_in``,
        ``variants``, ``robust`` (holds in all), ``text`` and ``text_zh`` (the sentence).
    dropped
        The grid's combinations not run: one column per grid option and ``reason``.
    scores
        ``<region>``, ``<year>``, ``variant``, ``score`` (long form).
    """

    main_table: ClassVar[str] = "variants"
    title: ClassVar[str] = "nqpf robustness analysis"

    variants: pl.DataFrame
    correlations: pl.DataFrame
    regions: pl.DataFrame
    dagum: pl.DataFrame
    conclusions: pl.DataFrame
    dropped: pl.DataFrame
    scores: pl.DataFrame
    region: str
    year: str
    grid: dict[str, tuple[Any, ...]]
    options: IndexOptions = field(default_factory=IndexOptions)
    echelon_options: EchelonOptions = field(default_factory=EchelonOptions)
    #: what the Dagum shares decompose by: a panel column, "echelons", or None (not run)
    dagum_by: str | None = None
    #: the reference variant's number
    reference: int = 1
    #: the share of regions whose echelon changes across variants
    echelon_change_share: float = 0.0

    @property
    def n_variants(self) -> int:
        return self.variants.height

    def tables(self) -> dict[str, pl.DataFrame]:
        return {
            "variants": self.variants,
            "correlations": self.correlations,
            "regions": self.regions,
            "dagum": self.dagum,
            "conclusions": self.conclusions,
            "dropped": self.dropped,
            "scores": self.scores,
        }

    def summary(self, language: str = "en") -> str:
        """The grid, the variants run and dropped, the lowest correlations and the
        conclusions (``language`` "en" or "zh" for the sentences)."""
        from nqpf.translations import check_language

        language = check_language(language)
        grid = "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in self.grid.items())
        lines = [
            self.title,
            f"grid: {grid}",
            f"{self.n_variants} variants run, {self.dropped.height} dropped; reference: "
            f"variant {self.reference}",
        ]
        if self.correlations.height:
            lines.append(
                "lowest Kendall τ: region-year scores {:.4f}, period-mean ranks {:.4f}".format(
                    self.correlations["tau_scores"].min(), self.correlations["tau_ranks"].min()
                )
            )
        lines.append(f"regions whose echelon changes: {100 * self.echelon_change_share:.1f}%")
        column = "text_zh" if language == "zh" else "text"
        lines += ["", *(f"- {t}" for t in self.conclusions[column].to_list())]
        for row in self.dropped.iter_rows(named=True):
            combination = {k: v for k, v in row.items() if k != "reason"}
            lines.append(f"dropped {_label(combination)}: {row['reason']}")
        return "\n".join(lines)

    def rank_range_figure(self, **options: Any) -> Any:
        """The rank-range plot (:func:`rank_range`) of this result."""
        return rank_range(self, **options)


# ---------------------------------------------------------------------------
# The analysis
# ---------------------------------------------------------------------------


@dataclass
class _Run:
    """The variants' scores and what they were run with."""

    inp: _index.IndexInput
    combos: list[dict[str, Any]]
    options: list[IndexOptions]
    scores: np.ndarray  # rows of inp × variants
    dropped: list[tuple[dict[str, Any], str]]
    reference: int  # 0-based


def _run_variants(
    inp: _index.IndexInput, base: IndexOptions, grid: Mapping[str, tuple[Any, ...]]
) -> _Run:
    combos, options, dropped = _combinations(base, grid)
    cache: dict[Any, Any] = {}
    columns, kept, kept_options = [], [], []
    for combination, chosen in zip(combos, options, strict=True):
        try:
            columns.append(_variant_scores(inp, chosen, cache))
        except InputError as error:
            dropped.append((combination, error.what))
            continue
        kept.append(combination)
        kept_options.append(chosen)
    if not kept:
        reason = dropped[0][1] if dropped else "the grid is empty"
        raise InputError(
            f"no variant of the grid can be run on this panel (first refusal: {reason})",
            hint="choose other grid values",
        )
    reference = next((i for i, o in enumerate(kept_options) if o == base), 0)
    return _Run(inp, kept, kept_options, np.column_stack(columns), dropped, reference)


def _period_means(run: _Run) -> tuple[list[Any], np.ndarray]:
    """The regions (as the panel orders them in its first year's rows) and their period
    means under every variant (regions × variants), through :func:`nqpf._frames.grouped`."""
    region = run.inp.panel.region
    names = [f"__v{j}" for j in range(run.scores.shape[1])]
    frame = run.inp.data.select(region).with_columns(
        pl.Series(n, run.scores[:, j]) for j, n in enumerate(names)
    )
    means = grouped(frame.group_by(region, maintain_order=True), {n: (n, "mean") for n in names})
    return means.get_column(region).to_list(), means.select(names).to_numpy()


def _echelon_matrix(
    run: _Run, regions: list[Any], means: np.ndarray, options: EchelonOptions
) -> np.ndarray:
    """Each region's echelon under each variant (regions × variants): :func:`nqpf.echelons`
    of that variant's period means (``year=None``: one row per region, the same averages
    :func:`nqpf.echelons` forms from the panel, computed once for all variants)."""
    from nqpf.groups import echelons

    region = run.inp.panel.region
    value = output_name("score", [region])
    keys = pl.DataFrame([pl.Series(region, regions)])
    out = np.empty((len(regions), means.shape[1]), dtype=np.int64)
    position = {r: i for i, r in enumerate(regions)}
    for j in range(means.shape[1]):
        frame = keys.with_columns(pl.Series(value, means[:, j]))
        tiers = echelons(frame, value=value, region=region, year=None, options=options)
        assignments = tiers.assignments
        rows = [position[r] for r in assignments.get_column(region).to_list()]
        out[rows, j] = assignments.get_column(tiers.echelon_column).to_numpy()
    return out


def _dagum_groups(run: _Run, by: str | None, tiers: np.ndarray, regions: list[Any]) -> Any:
    """Row → group label per variant: a panel column's values (the same for every variant)
    or each variant's echelons."""
    region = run.inp.panel.region
    if by == "echelons":
        position = {r: i for i, r in enumerate(regions)}
        rows = np.array([position[r] for r in run.inp.data.get_column(region).to_list()])
        return tiers[rows, :]
    year = run.inp.panel.year
    keys = run.inp.data.select(region, year)
    if by in (region, year):  # a key as the group (by region: one region per group)
        values = keys.get_column(by)
    else:
        carried = run.inp.panel.frame.select(region, year, by)
        column = keys.join(carried, on=[region, year], how="left", maintain_order="left")
        values = column.get_column(by)
    if values.null_count():
        raise InputError(
            f"the group column '{by}' has missing values",
            column=by,
            hint="give every region a group",
        )
    return values.cast(pl.String).to_numpy()


def _dagum_shares(run: _Run, by: str | None, tiers: np.ndarray, regions: list[Any]) -> np.ndarray:
    """(G, Gw/G, Gnb/G, Gt/G) per variant (variants × 4): the period means of the yearly
    values, as :meth:`nqpf.DagumResult.period_mean` reports them; NaN without ``by`` or
    for a variant with a negative score (a Gini needs values ≥ 0).

    All variants of a year are decomposed at once by the Dagum kernel's batched form
    (one row per variant, as :func:`nqpf.dagum_gini`'s bootstrap batches its resamples:
    :func:`nqpf.dagum._one_sided_sums`, :func:`nqpf.dagum._terms`)."""
    from nqpf.dagum import _one_sided_sums, _terms

    v = run.scores.shape[1]
    out = np.full((v, 4), np.nan)
    if by is None:
        return out
    groups = _dagum_groups(run, by, tiers, regions)
    if groups.ndim == 1:
        codes_all = np.unique(groups, return_inverse=True)[1].reshape(-1)
        codes_all = np.broadcast_to(codes_all[:, None], run.scores.shape)
    else:
        codes_all = groups - 1  # echelons 1..k
    k = int(codes_all.max()) + 1
    usable = np.all(run.scores >= 0, axis=0) & np.all(np.isfinite(run.scores), axis=0)
    years = run.inp.years
    yearly = []
    for y in np.unique(years):
        rows = np.flatnonzero(years == y)
        values = run.scores[rows].T  # variants × regions of year y
        codes = np.ascontiguousarray(codes_all[rows].T)
        offsets = (np.arange(v) * k)[:, None]
        wsum = np.bincount((codes + offsets).ravel(), minlength=v * k).reshape(v, k).astype(float)
        sums = np.bincount((codes + offsets).ravel(), weights=values.ravel(), minlength=v * k)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = sums.reshape(v, k) / wsum
        mean[wsum == 0] = 0.0  # a group empty under a variant adds nothing
        order = np.argsort(values, axis=1, kind="stable")
        a = _one_sided_sums(
            np.take_along_axis(values, order, axis=1),
            None,
            np.take_along_axis(codes, order, axis=1),
            k,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = _terms(a, wsum, mean)
            g = terms["G"]
            yearly.append(
                np.column_stack(
                    [g, *(np.where(g > 0, terms[t] / g, np.nan) for t in ("Gw", "Gnb", "Gt"))]
                )
            )
    out[usable] = np.mean(np.stack(yearly), axis=0)[usable]
    return out


def _value_column(name: str, values: list[Any]) -> pl.Series:
    """A grid option's column: typed when its values share a type, else as text."""
    if len({type(v) for v in values}) == 1 and isinstance(values[0], str | int | float | bool):
        return pl.Series(name, values)
    return pl.Series(name, [v if isinstance(v, str) else repr(v) for v in values], dtype=pl.String)


@takes_options(IndexOptions)
def robustness(
    panel: Panel | _index.IndexInput | Any,
    spec: IndicatorSpec | str | os.PathLike[str] | Any | None = None,
    *,
    grid: Mapping[str, Sequence[Any]] | None = None,
    echelons: EchelonOptions | Mapping[str, Any] | None = None,
    dagum: str | bool = True,
    region: str | None = None,
    year: str | None = None,
    options: IndexOptions,
) -> RobustnessResult:
    """The index over every combination of a grid of choices, and what survives them.

    Parameters
    ----------
    panel, spec, region, year
        As for :func:`nqpf.entropy_topsis` (a prepared :class:`~nqpf.index.IndexInput`
        too).
    grid
        Option name → list of values, e.g. ``{"weights": ["entropy", "critic"],
        "scope": ["panel", "year"]}``; each name and value is an
        :class:`~nqpf.options.IndexOptions` option (an unknown name, an invalid value or
        an empty list is an InputError naming the option). Default :data:`DEFAULT_GRID`
        (48 variants). Combinations the options or the panel refuse are dropped and
        listed in ``.dropped`` with the reason.
    echelons
        :class:`~nqpf.options.EchelonOptions` (or a dict) of the echelons of each variant;
        default the report's rule (Fisher–Jenks natural breaks, k = 3).
    dagum
        What the Dagum shares decompose by: True (each variant's echelons), a panel
        column constant within region (e.g. ``"continent"``), or False (no decomposition).
    weights, scope, …, options
        The base options (:class:`~nqpf.options.IndexOptions`): every variant is the base
        with the grid's values applied; the variant equal to the base is the reference.

    Returns
    -------
    RobustnessResult

    Examples
    --------
    >>> import nqpf
    >>> panel, spec = nqpf.load_pwt()
    >>> res = robustness(panel, spec, grid={"weights": ["entropy", "critic"]}, dagum="continent")
    >>> res.n_variants, res.reference
    (2, 1)
    """
    grid = check_grid(grid, options)
    echelon_options = EchelonOptions.resolve(
        echelons
        if echelons is not None
        else {
            "rule": ReportOptions.info("echelon_rule").default,
            "k": ReportOptions.info("k").default,
        }
    )
    inp = _index._prepared(panel, spec, options, region, year, None)
    by = _dagum_by(dagum, inp)
    run = _run_variants(inp, options, grid)
    regions, means = _period_means(run)
    ranks = np.column_stack(
        [
            _index.within_year_ranks(means[:, j], np.zeros(len(regions)))
            for j in range(means.shape[1])
        ]
    )
    tiers = _echelon_matrix(run, regions, means, echelon_options)
    shares = _dagum_shares(run, by, tiers, regions)
    correlations = {
        "tau_scores": kendall_tau_matrix(run.scores),
        "rho_scores": spearman_rho_matrix(run.scores),
        "tau_ranks": kendall_tau_matrix(means),
        "rho_ranks": spearman_rho_matrix(means),
    }
    return _assemble(
        run, grid, regions, ranks, tiers, shares, correlations, options, echelon_options, by
    )


def _dagum_by(dagum: Any, inp: _index.IndexInput) -> str | None:
    if dagum is True:
        return "echelons"
    if dagum is False or dagum is None:
        return None
    if not isinstance(dagum, str) or dagum not in inp.panel.frame.columns:
        raise InputError(
            f"dagum={dagum!r} is not a column of the panel",
            file=inp.panel.source,
            hint="give True (by echelons), False, or the name of a group column",
        )
    return dagum


def _assemble(
    run: _Run,
    grid: dict[str, tuple[Any, ...]],
    regions: list[Any],
    ranks: np.ndarray,
    tiers: np.ndarray,
    shares: np.ndarray,
    correlations: dict[str, np.ndarray],
    base: IndexOptions,
    echelon_options: EchelonOptions,
    by: str | None,
) -> RobustnessResult:
    """The result's tables from the computed matrices."""
    region, year = run.inp.panel.region, run.inp.panel.year
    v, ref = run.scores.shape[1], run.reference
    region_table = _region_table(region, regions, ranks, tiers, ref)
    changes = float(region_table.get_column("echelon_changes").mean())
    firsts = [regions[int(np.argmin(ranks[:, j]))] for j in range(v)]
    numbers = list(range(1, v + 1))
    variants = pl.DataFrame(
        [
            pl.Series("variant", numbers),
            *(_value_column(n, [c[n] for c in run.combos]) for n in grid),
            pl.Series("label", [_label(c) for c in run.combos]),
            pl.Series("reference", [j == ref for j in range(v)]),
            pl.Series("first", firsts, dtype=pl.String)
            if all(isinstance(f, str) for f in firsts)
            else pl.Series("first", firsts),
            *(pl.Series(name, m[:, ref]) for name, m in correlations.items()),
            *(
                pl.Series(name, shares[:, k]).fill_nan(None)
                for k, name in enumerate(("G", *_COMPONENTS))
            ),
        ]
    )
    a, b = np.triu_indices(v, k=1)
    pairs = pl.DataFrame(
        [
            pl.Series("variant_a", a + 1),
            pl.Series("variant_b", b + 1),
            *(pl.Series(name, m[a, b]) for name, m in correlations.items()),
        ]
    )
    dagum = _dagum_table(shares, ref, by)
    dropped = pl.DataFrame(
        [
            *(
                _value_column(n, [c[n] for c, _ in run.dropped])
                if run.dropped
                else pl.Series(n, [], dtype=pl.String)
                for n in grid
            ),
            pl.Series("reason", [r for _, r in run.dropped], dtype=pl.String),
        ]
    )
    keys = run.inp.data.select(region, year)
    long = pl.concat(
        [
            keys.with_columns(pl.lit(j + 1).alias("variant"), pl.Series("score", run.scores[:, j]))
            for j in range(v)
        ]
    )
    conclusions = _conclusions(regions, ranks, tiers, shares, ref, by)
    return RobustnessResult(
        variants=variants,
        correlations=pairs,
        regions=region_table,
        dagum=dagum,
        conclusions=conclusions,
        dropped=dropped,
        scores=long,
        region=region,
        year=year,
        grid=grid,
        options=base,
        echelon_options=echelon_options,
        dagum_by=by,
        reference=ref + 1,
        echelon_change_share=changes,
    )


def _region_table(
    region: str, regions: list[Any], ranks: np.ndarray, tiers: np.ndarray, ref: int
) -> pl.DataFrame:
    """Each region's rank range and modal echelon, sorted by median rank (then region)."""
    modal, modal_share, distinct = [], [], []
    for row in tiers:
        counts = np.bincount(row)
        modal.append(int(np.argmax(counts)))  # the smallest echelon among the most frequent
        modal_share.append(float(counts.max() / row.size))
        distinct.append(int(np.count_nonzero(counts)))
    names = {
        c: output_name(c, [region])
        for c in ("min_rank", "max_rank", "median_rank", "reference_rank", "rank_range")
    }
    frame = pl.DataFrame(
        [
            pl.Series(region, regions),
            pl.Series(names["min_rank"], ranks.min(axis=1)),
            pl.Series(names["max_rank"], ranks.max(axis=1)),
            pl.Series(names["median_rank"], np.median(ranks, axis=1)),
            pl.Series(names["reference_rank"], ranks[:, ref]),
            pl.Series(names["rank_range"], ranks.max(axis=1) - ranks.min(axis=1)),
            pl.Series(output_name("modal_echelon", [region]), modal),
            pl.Series(output_name("modal_share", [region]), modal_share),
            pl.Series(output_name("echelons", [region]), distinct),
            pl.Series(output_name("echelon_changes", [region]), [d > 1 for d in distinct]),
        ]
    )
    return frame.sort([names["median_rank"], names["reference_rank"], region])


def _dagum_table(shares: np.ndarray, ref: int, by: str | None) -> pl.DataFrame:
    quantities = ("G", *_COMPONENTS)
    schema = {
        "quantity": pl.String,
        "min": pl.Float64,
        "max": pl.Float64,
        "reference": pl.Float64,
        "largest_in": pl.Int64,
    }
    if by is None:
        return pl.DataFrame(schema=schema)
    largest = np.argmax(shares[:, 1:], axis=1)
    rows = []
    for k, name in enumerate(quantities):
        column = shares[:, k]
        rows.append(
            {
                "quantity": name,
                "min": float(np.nanmin(column)),
                "max": float(np.nanmax(column)),
                "reference": float(column[ref]),
                "largest_in": None if k == 0 else int(np.sum(largest == k - 1)),
            }
        )
    return pl.DataFrame(rows, schema=schema)


def _sentence(key: str, holds: int, total: int, **values: Any) -> tuple[str, str]:
    """A conclusion's sentence in English and Chinese: ``robust.<key>.all`` when it holds
    in every variant, ``robust.<key>.some`` otherwise (:mod:`nqpf.translations`)."""
    from nqpf.translations import inline, text

    which = f"robust.{key}.{'all' if holds == total else 'some'}"
    return tuple(  # type: ignore[return-value]
        text(
            which,
            language,
            k=holds,
            n=total,
            # a user's name inside a Chinese sentence is spaced as a Latin word
            **{name: inline(value, language) for name, value in values.items()},
        )
        for language in ("en", "zh")
    )


def _conclusions(
    regions: list[Any],
    ranks: np.ndarray,
    tiers: np.ndarray,
    shares: np.ndarray,
    ref: int,
    by: str | None,
) -> pl.DataFrame:
    """The reference variant's headline conclusions and in how many variants each holds."""
    from nqpf.translations import text

    n, v = ranks.shape
    rows: list[tuple[str, int, str, str]] = []
    order = np.lexsort((np.arange(n), ranks[:, ref]))
    first, last = int(order[0]), int(order[-1])
    holds = int(np.sum(ranks[first] == 1))
    rows.append(("first", holds, *_sentence("first", holds, v, region=regions[first])))
    if n > 3:
        top = set(order[:3].tolist())
        holds = int(sum(set(np.flatnonzero(ranks[:, j] <= 3).tolist()) == top for j in range(v)))
        names = [str(regions[i]) for i in order[:3]]
        en = _sentence("top3", holds, v, regions=", ".join(names))[0]
        zh = _sentence("top3", holds, v, regions="、".join(names))[1]
        rows.append(("top3", holds, en, zh))
    holds = int(np.sum(ranks[last] == ranks[:, :].max(axis=0)))
    rows.append(("last", holds, *_sentence("last", holds, v, region=regions[last])))
    same = int(np.sum(np.all(tiers == tiers[:, [ref]], axis=1)))
    en = text("robust.echelons", "en", m=same, r=n)
    zh = text("robust.echelons", "zh", m=same, r=n)
    rows.append(("echelons", int(np.sum(np.all(tiers == tiers[:, [ref]], axis=0))), en, zh))
    if by is not None and np.all(np.isfinite(shares[:, 1:])):
        largest = np.argmax(shares[:, 1:], axis=1)
        component = int(largest[ref])
        holds = int(np.sum(largest == component))
        key = _COMPONENTS[component]
        en_name, zh_name = (
            text(f"robust.component.{key}", "en"),
            text(f"robust.component.{key}", "zh"),
        )
        en = _sentence("largest", holds, v, component=en_name)[0]
        zh = _sentence("largest", holds, v, component=zh_name)[1]
        rows.append(("largest_share", holds, en, zh))
    return pl.DataFrame(
        {
            "conclusion": [r[0] for r in rows],
            "holds_in": [r[1] for r in rows],
            "variants": [v] * len(rows),
            "robust": [r[1] == v for r in rows],
            "text": [r[2] for r in rows],
            "text_zh": [r[3] for r in rows],
        },
        schema={
            "conclusion": pl.String,
            "holds_in": pl.Int64,
            "variants": pl.Int64,
            "robust": pl.Boolean,
            "text": pl.String,
            "text_zh": pl.String,
        },
    )


# ---------------------------------------------------------------------------
# The rank-range figure
# ---------------------------------------------------------------------------


def rank_range_drawing(
    regions: pl.DataFrame,
    region: str,
    *,
    title: str | None = "Rank range across the variants",
    xlabel: str = "period-mean rank (1 = highest)",
    median_label: str = "median",
    reference_label: str = "reference variant",
) -> Any:
    """The rank-range plot: one row per region (sorted by median rank, best on top), a
    bar from its lowest to its highest rank across the variants, the median marked by a
    dot and the reference variant's rank by a cross. ``regions`` is
    :attr:`RobustnessResult.regions`; labels are drawn literally (Chinese through the
    theme's CJK fonts, :mod:`nqpf.figures`)."""
    from nqpf.formats import clean_text

    names = {
        c: output_name(c, [region])
        for c in ("min_rank", "max_rank", "median_rank", "reference_rank")
    }
    table = regions.sort([names["median_rank"], names["reference_rank"], region])
    labels = [clean_text(str(r)) for r in table.get_column(region).to_list()]
    low = table.get_column(names["min_rank"]).to_numpy()
    high = table.get_column(names["max_rank"]).to_numpy()
    median = table.get_column(names["median_rank"]).to_numpy()
    reference = table.get_column(names["reference_rank"]).to_numpy()

    def drawing(fig: Any, theme: Any) -> None:
        from nqpf import figures

        n = len(labels)
        fig.set_size_inches(7.5, max(2.6, 0.16 * n + 1.2))
        ax = fig.add_subplot()
        y = np.arange(n)
        ax.hlines(y, low, high, color=theme.colours[0], lw=3.0, alpha=0.6)
        dots = ax.scatter(median, y, color=theme.ink, s=14, zorder=3, marker="o")
        crosses = ax.scatter(
            reference, y, color=theme.colours[1 % len(theme.colours)], s=22, zorder=4, marker="x"
        )
        ax.set_yticks(y, labels, fontsize=max(4.0, min(8.0, 400.0 / max(n, 1))))
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlabel(clean_text(xlabel))
        ax.spines[["top", "right"]].set_visible(False)
        figures.legend_outside(ax, [dots, crosses], [median_label, reference_label], fontsize=8)
        if title:
            ax.set_title(clean_text(title), fontsize=10)

    return drawing


def rank_range(
    result: RobustnessResult,
    *,
    theme: str = "default",
    width: float | None = None,
    height: float | None = None,
    **options: Any,
) -> Any:
    """The rank-range plot of ``result`` as a matplotlib Figure (:func:`nqpf.figures.save`);
    ``options`` are :func:`rank_range_drawing`'s labels."""
    from nqpf import figures

    return figures.draw(
        rank_range_drawing(result.regions, result.region, **options),
        theme=theme,
        width=width,
        height=height,
    )
