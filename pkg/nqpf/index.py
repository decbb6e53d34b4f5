"""The index pipeline: panel + spec → weights → TOPSIS (or linear) scores.

:func:`entropy_topsis` is the entry point scripted users call; it returns an
:class:`IndexResult` holding tidy polars tables. Formulas are in
:mod:`nqpf.weights` and :mod:`nqpf.topsis`; docs/design.md fixes the defaults:
``weights="entropy"``, ``scope="panel"``, ``shift=1e-4``,
``standardization="minmax"``, ``method="topsis"``, ``topsis="matrix"``,
``ideal="panel"``, ``normalization="minmax"``.

Ranks are within year, 1 = highest score; tied scores share the smallest rank
(competition ranking "1, 2, 2, 4", ``scipy.stats.rankdata(method="min")``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, get_args

import numpy as np
import polars as pl

from nqpf._frames import check_int, grouped, output_name
from nqpf.errors import InputError
from nqpf.io import write_tables
from nqpf.options import IndexOptions, Method, Scope, takes_options
from nqpf.panel import IndicatorSpec, Panel, read_panel, read_spec
from nqpf.results import Result
from nqpf.topsis import closeness_by_groups, ideal_points, vector_normalize
from nqpf.weights import (
    critic_weights,
    cv_weights,
    entropy_weights,
    power_of_two_scale,
    standardize,
    user_weights,
)

# the choices, as declared in nqpf.options
SCOPES: tuple[str, ...] = get_args(Scope)
METHODS: tuple[str, ...] = get_args(Method)


@dataclass(frozen=True)
class IndexResult(Result):
    """Weights and scores of a composite index.

    Attributes
    ----------
    weights
        indicator, dimension, direction, entropy, divergence, weight (plus the
        year column first when weights vary by year). ``entropy`` and
        ``divergence`` are null for non-entropy weights.
    scores
        region, year, score, rank (within year, 1 = best), d_plus, d_minus
        (null for ``method="linear"``), one column per dimension, and the
        panel's carried columns (``keep``). The region, year and carried
        columns keep the panel's names; an output column whose name one of
        them already has is namespaced (``score`` → ``nqpf_score``, see
        :func:`nqpf._frames.output_name`): read the actual names from
        :attr:`score_column`, :attr:`rank_column`, :attr:`d_plus_column`,
        :attr:`d_minus_column` (or :attr:`columns`).
    standardized
        region, year and each indicator's standardised value x' (before the shift).
    dimension_weights
        dimension (and year) with the sum of its indicators' weights.
    indicators
        region, year and each indicator's raw value as the index used it (after the
        ``missing`` policy): what descriptive statistics describe.
    options
        The :class:`~nqpf.options.IndexOptions` used (reads as a mapping too:
        ``result.options["scope"]``).
    """

    main_table: ClassVar[str] = "scores"
    title: ClassVar[str] = "nqpf index"

    weights: pl.DataFrame
    scores: pl.DataFrame
    standardized: pl.DataFrame
    dimension_weights: pl.DataFrame
    spec: IndicatorSpec
    region: str
    year: str
    options: IndexOptions = field(default_factory=IndexOptions)
    #: Dimension → its column in ``scores`` (``dim_<name>`` when the name was taken).
    dimension_columns: dict[str, str] = field(default_factory=dict)
    #: Output name → the name it has in these tables, for the names that can meet a
    #: caller's column: ``score``, ``rank``, ``d_plus``, ``d_minus`` (in ``scores``) and
    #: ``indicator``, ``dimension``, ``direction``, ``entropy``, ``divergence``,
    #: ``weight`` (in ``weights`` and ``dimension_weights``, beside the year column).
    #: A name absent here is its own.
    columns: dict[str, str] = field(default_factory=dict)
    #: region, year and each indicator's value as the index used it (after the
    #: missing-value policy), in the rows' order of :attr:`standardized`; None for a
    #: result made by hand.
    indicators: pl.DataFrame | None = None

    def column(self, name: str) -> str:
        """The actual name of output column ``name`` (e.g. ``"score"`` → ``"nqpf_score"``
        when the panel's region column is called ``score``)."""
        return self.columns.get(name, name)

    @property
    def score_column(self) -> str:
        """Name of the score column of :attr:`scores` (``"score"`` unless a key has it)."""
        return self.column("score")

    @property
    def rank_column(self) -> str:
        """Name of the within-year rank column of :attr:`scores`."""
        return self.column("rank")

    @property
    def d_plus_column(self) -> str:
        """Name of the D⁺ column of :attr:`scores`."""
        return self.column("d_plus")

    @property
    def d_minus_column(self) -> str:
        """Name of the D⁻ column of :attr:`scores`."""
        return self.column("d_minus")

    @property
    def weight_column(self) -> str:
        """Name of the weight column of :attr:`weights` and :attr:`dimension_weights`."""
        return self.column("weight")

    @property
    def score_bounds(self) -> tuple[float, float] | None:
        """(0, 1) when every score lies in [0, 1] by construction, else None.

        A TOPSIS closeness d⁻/(d⁺ + d⁻) lies in [0, 1]; so does the linear score Σ w·x′ when
        x′ does (min–max and ratio standardisation of positive values). A z-score linear
        index has no bounds. The scores are checked as well, so that a variant whose x′
        leaves [0, 1] is never given bounds it breaks. Used for the reflection estimate of
        the score's density (docs/methods.md §4.5)."""
        bounded = self.options.method == "topsis" or self.options.standardization in (
            "minmax",
            "ratio",
        )
        values = self.scores.get_column(self.score_column)
        if not bounded or values.len() == 0 or values.min() < 0 or values.max() > 1:
            return None
        return (0.0, 1.0)

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.spec.dimension_names

    def summary(self, top: int = 10) -> str:
        """A readable text summary: options, weights, the top of the latest year."""
        top = check_int("top", top, low=1, hint="the number of regions to list, e.g. 10")
        with pl.Config(
            tbl_rows=max(top, len(self.spec) * 40),
            tbl_cols=12,
            float_precision=4,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
            fmt_str_lengths=40,
        ):
            years = self.scores.get_column(self.year)
            latest = years.max()
            lines = [
                "nqpf index — " + ", ".join(f"{k}={v}" for k, v in self.options.items()),
                f"{self.scores.get_column(self.region).n_unique()} regions, "
                f"{years.n_unique()} years ({years.min()}–{latest}), {len(self.spec)} indicators "
                f"in {len(self.dimensions)} dimensions",
                "",
                "Weights",
                str(self.weights),
                "",
                f"Top {top} in {latest}",
                str(
                    self.scores.filter(pl.col(self.year) == latest)
                    .sort(self.rank_column)
                    .select(
                        self.region,
                        self.score_column,
                        self.rank_column,
                        *self.dimension_columns.values(),
                    )
                    .head(top)
                ),
            ]
        return "\n".join(lines)

    def tables(self) -> dict[str, pl.DataFrame]:
        tables = {
            "scores": self.scores,
            "weights": self.weights,
            "dimension_weights": self.dimension_weights,
            "standardized": self.standardized,
        }
        if self.indicators is not None:
            tables["indicators"] = self.indicators
        return tables

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the score table to CSV."""
        return write_tables({"scores": self.scores}, Path(path).with_suffix(".csv"))

    def to_xlsx(self, path: str | os.PathLike[str]) -> Path:
        """Write every table to an XLSX workbook, one sheet each, plus the options."""
        return write_tables(
            self.tables(), Path(path).with_suffix(".xlsx"), meta=self.to_dict()["options"]
        )


#: Columns of :attr:`IndexResult.scores` that a dimension's column must not replace.
SCORE_COLUMNS = ("score", "rank", "d_plus", "d_minus")


def dimension_column_names(dimensions: Sequence[str], taken: set[str]) -> dict[str, str]:
    """Dimension → score column: its own name, or ``dim_<name>`` (numbered while that is
    taken too) when the name is taken by a key, a carried column, another output column
    or one of :data:`SCORE_COLUMNS`."""
    reserved = set(taken) | set(SCORE_COLUMNS)
    out: dict[str, str] = {}
    for d in dimensions:
        name = d
        if name in reserved:
            name, n = f"dim_{d}", 1
            while name in reserved or name in dimensions:
                n += 1
                name = f"dim_{d}_{n}"
        reserved.add(name)
        out[d] = name
    return out


def _user_weights(values: Any, names: Sequence[str]) -> np.ndarray:
    """User-given weights, checked before any work; anything but numbers is an InputError."""
    try:
        return user_weights(values, names)
    except InputError:
        raise
    except (TypeError, ValueError):
        raise InputError(
            "user weights must be numbers",
            hint="give one number per spec indicator, as a list in spec order or a dict",
        ) from None


def _check_closeness(
    results: Sequence[Any],
    labels: Sequence[str],
    matrix: np.ndarray,
    year_values: np.ndarray,
    panel: Panel,
    *,
    ideal: str,
    normalization: str,
) -> None:
    """Refuse a closeness or distance that is not a finite number, saying why.

    D⁺ + D⁻ = 0 (every indicator at both its ideal and anti-ideal) can only happen
    when the ideals are taken within a year whose regions are all equal; a value
    that overflows double precision (|x| near 1e308 taken as they are) is the other
    way to lose a number. Neither is ever passed on as NaN.
    """
    if not np.all(np.isfinite(matrix)):
        raise InputError(
            f"a {normalization}-normalised indicator value is not a finite number",
            file=panel.source,
            hint="rescale the indicators (e.g. divide by 1e6 or take logs)",
        )
    for result, label in zip(results, labels, strict=True):
        for name in ("score", "d_plus", "d_minus"):
            values = getattr(result, name)
            bad = ~np.isfinite(values)
            if not bad.any():
                continue
            position = int(np.flatnonzero(bad)[0])
            where = f"{panel.year} {year_values[position]}"
            total = result.d_plus[position] + result.d_minus[position]
            if name == "score" and total == 0 and ideal == "year":
                raise InputError(
                    f"TOPSIS closeness of {label} undefined in {where}: every indicator "
                    "equals its ideal and anti-ideal there (all regions are equal that year)",
                    file=panel.source,
                    hint="use ideal='panel'",
                )
            if name == "score" and total == 0:
                raise InputError(
                    f"TOPSIS closeness of {label} undefined in {where}: every indicator "
                    "equals its ideal and anti-ideal",
                    file=panel.source,
                    hint="check that the indicators vary (and their weights are not all 0)",
                )
            raise InputError(
                f"the TOPSIS distance {name} of {label} in {where} overflows double precision",
                file=panel.source,
                hint="rescale the indicators (e.g. divide by 1e6 or take logs), or use "
                "normalization='minmax' or 'vector', which are scale-free",
            )


def default_spec(panel: Panel, keep: Sequence[str] = ()) -> IndicatorSpec:
    """The spec used when none is given: every numeric column but the keys and ``keep``,
    one dimension, all benefit."""
    skip = {panel.region, panel.year, *keep}
    names = [c for c, t in panel.frame.schema.items() if c not in skip and (t.is_numeric())]
    if not names:
        raise InputError(
            "no numeric indicator columns found and no spec given",
            file=panel.source,
            hint="pass a spec (--spec) listing the indicators",
        )
    return IndicatorSpec.from_names(names)


# ---------------------------------------------------------------------------
# The pipeline: prepare → standardise and weigh → score → assemble
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexInput:
    """A panel prepared for the index once: read, validated, its indicators as numbers.

    Made by :func:`prepare_index`; :func:`entropy_topsis` accepts one in place of a
    panel, so that a caller running several option sets on one panel (crossval,
    the app's Compare page) reads and validates it once.

    Attributes
    ----------
    panel, spec
        The panel and the spec (the default spec when none was given).
    keep
        Carried columns (neither keys nor indicators).
    data
        Region, year and the indicators as Float64, sorted by year then region
        (:meth:`nqpf.panel.Panel.indicator_frame` under ``missing``).
    raw
        ``data``'s indicators as a float matrix (rows = region-years).
    years
        The year of each row (numpy).
    missing
        The missing-value policy ``data`` was made with.
    """

    panel: Panel
    spec: IndicatorSpec
    keep: tuple[str, ...]
    data: pl.DataFrame
    raw: np.ndarray
    years: np.ndarray
    missing: str

    @property
    def names(self) -> list[str]:
        return list(self.spec.names)

    def blocks(self, scope: str) -> tuple[list[slice], list[Any]]:
        """The rows of each standardisation block: the whole panel, or each year (rows
        are sorted by year, so a year is a contiguous slice: views, no copies)."""
        if scope == "panel":
            return [slice(0, self.raw.shape[0])], [None]
        block_years = sorted(np.unique(self.years).tolist())
        starts = np.searchsorted(self.years, block_years, side="left")
        ends = np.searchsorted(self.years, block_years, side="right")
        return [slice(int(a), int(b)) for a, b in zip(starts, ends, strict=True)], block_years


def _keep_columns(panel: Panel, keep: Sequence[str] | str | None) -> list[str]:
    """The carried columns: as given (each checked), or the panel's text columns."""
    if keep is None:
        return [
            c
            for c, t in panel.frame.schema.items()
            if t == pl.String and c not in {panel.region, panel.year}
        ]
    if isinstance(keep, str):
        keep = [keep]
    if not isinstance(keep, Sequence):
        raise InputError(
            f"keep={keep!r} must be a list of column names", hint="e.g. keep=['continent']"
        )
    for column in keep:
        if not isinstance(column, str) or column not in panel.frame.columns:
            raise InputError(
                f"no column named {column!r} to keep",
                file=panel.source,
                column=column if isinstance(column, str) else None,
                hint="panel columns: " + ", ".join(panel.frame.columns[:12]),
            )
    return list(keep)


def prepare_index(
    panel: Panel | Any,
    spec: IndicatorSpec | str | os.PathLike[str] | Any | None = None,
    *,
    region: str | None = None,
    year: str | None = None,
    keep: Sequence[str] | None = None,
    missing: str = "error",
) -> IndexInput:
    """Read and validate a panel and its spec once for the index (see :class:`IndexInput`).

    ``panel``, ``spec``, ``region``, ``year`` and ``keep`` are as for
    :func:`entropy_topsis`; ``missing`` is its option of that name.
    """
    missing = IndexOptions.info("missing").check(missing)
    if not isinstance(panel, Panel):
        panel = read_panel(panel, region=region or "region", year=year or "year")
    carried = _keep_columns(panel, keep)
    spec = default_spec(panel, carried) if spec is None else read_spec(spec)
    for key in (panel.region, panel.year):
        if key in spec.names:
            raise InputError(
                f"the spec lists the {'region' if key == panel.region else 'year'} column "
                f"'{key}' as an indicator",
                file=panel.source,
                column=key,
                hint="one column is named for two roles: drop it from the spec",
            )
    # the keys are in every output table already; a carried column is carried once
    carried = list(dict.fromkeys(c for c in carried if c not in spec.names))
    carried = [c for c in carried if c not in {panel.region, panel.year}]
    data = panel.indicator_frame(spec, missing=missing)
    raw = data.select(spec.names).to_numpy().astype(float, copy=False)
    return IndexInput(
        panel=panel,
        spec=spec,
        keep=tuple(carried),
        data=data,
        raw=raw,
        years=data.get_column(panel.year).to_numpy(),
        missing=missing,
    )


@dataclass
class _Weighed:
    """The standardise-and-weigh step's output (see :func:`_standardise_and_weigh`)."""

    standardized: np.ndarray  # x' (before the shift)
    shifted: np.ndarray  # x'' = x' + a
    weights: np.ndarray  # one vector, or one row per region-year (scope="year")
    block_years: list[Any]
    entropy: list[np.ndarray]
    divergence: list[np.ndarray]
    weight_rows: list[np.ndarray]


def _standardise_block(
    block: np.ndarray, inp: IndexInput, options: IndexOptions, where: str, per_year: bool
) -> tuple[np.ndarray, np.ndarray]:
    """x' and x'' = x' + a of one block, refusing what makes a weight undefined."""
    names, source = inp.names, inp.panel.source
    if block.shape[0] < 2:
        raise InputError(
            f"only {block.shape[0]} region{where}; weights need at least 2 rows",
            file=source,
            column=inp.panel.year,
        )
    constant = np.flatnonzero(block.max(axis=0) == block.min(axis=0))
    if constant.size:
        raise InputError(
            f"indicator '{names[constant[0]]}' is constant{where}, so its weight is undefined",
            file=source,
            column=names[constant[0]],
            hint="drop it from the spec" + (" or use scope='panel'" if per_year else ""),
        )
    if options.standardization == "ratio" and np.any(block <= 0):
        bad = int(np.flatnonzero((block <= 0).any(axis=0))[0])
        raise InputError(
            f"ratio standardisation needs positive values; '{names[bad]}' has values ≤ 0",
            file=source,
            column=names[bad],
            hint="use standardization='minmax'",
        )
    z = standardize(block, inp.spec.benefit, options.standardization)
    z_shifted = z + options.shift
    if options.standardization == "zscore" and np.any(z_shifted <= 0):
        needed = float(-z.min())
        raise InputError(
            f"the z-score translation H = shift = {options.shift} leaves values ≤ 0{where}",
            file=source,
            column=names[int(np.argmin(z.min(axis=0)))],
            hint=f"choose shift greater than {needed:.4f}",
        )
    return z, z_shifted


def _weigh_block(
    z: np.ndarray,
    z_shifted: np.ndarray,
    block: np.ndarray,
    inp: IndexInput,
    options: IndexOptions,
    given: np.ndarray | None,
    where: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights of one block, with its entropies and divergences (NaN unless entropy)."""
    names = inp.names
    method = options.weight_method
    if method == "entropy":
        ew = entropy_weights(z_shifted, zero_log=options.zero_log)
        return ew.weight, ew.entropy, ew.divergence
    if method == "critic":
        w = critic_weights(z)
    elif method == "cv":
        # whether the mean is 0 does not depend on the scale: 2⁻ᵏ·x cannot overflow
        means = np.array([(col / power_of_two_scale(col)).mean() for col in block.T], dtype=float)
        if np.any(means == 0):
            bad = int(np.flatnonzero(means == 0)[0])
            raise InputError(
                f"indicator '{names[bad]}' has mean 0{where}; its coefficient of variation is undefined",
                file=inp.panel.source,
                column=names[bad],
                hint="use weights='entropy' or 'critic'",
            )
        w = cv_weights(block)
    elif method == "equal":
        w = np.full(len(names), 1.0 / len(names))
    else:
        assert given is not None
        w = given
    empty = np.full(len(names), np.nan)
    return w, empty, empty.copy()


def _standardise_and_weigh(inp: IndexInput, options: IndexOptions) -> _Weighed:
    """Standardise and weigh each block (the panel, or each year under scope="year")."""
    raw = inp.raw
    given = None if options.weight_method != "user" else _user_weights(options.weights, inp.names)
    blocks, block_years = inp.blocks(options.scope)
    standardized = np.empty_like(raw, order="F")
    shifted = np.empty_like(raw, order="F")
    # per-row weights only when they vary by year; one vector otherwise
    weight_matrix = np.empty_like(raw, order="F") if options.scope == "year" else None
    out = _Weighed(standardized, shifted, np.empty(0), block_years, [], [], [])
    for rows, block_year in zip(blocks, block_years, strict=True):
        where = "" if block_year is None else f" in {inp.panel.year} {block_year}"
        block = raw[rows]
        z, z_shifted = _standardise_block(block, inp, options, where, block_year is not None)
        if len(blocks) == 1:
            out.standardized, out.shifted = z, z_shifted
        else:
            standardized[rows] = z
            shifted[rows] = z_shifted
        w, entropy, divergence = _weigh_block(z, z_shifted, block, inp, options, given, where)
        out.entropy.append(entropy)
        out.divergence.append(divergence)
        out.weight_rows.append(w)
        if weight_matrix is not None:
            weight_matrix[rows] = w
    out.weights = out.weight_rows[0] if weight_matrix is None else weight_matrix
    return out


@dataclass
class _Scored:
    score: np.ndarray
    d_plus: np.ndarray | None
    d_minus: np.ndarray | None
    dimensions: dict[str, np.ndarray]


def _dimension_indices(spec: IndicatorSpec) -> dict[str, list[int]]:
    return {d: [j for j, dd in enumerate(spec.dimensions) if dd == d] for d in spec.dimension_names}


def _check_dimension_weights(inp: IndexInput, weighed: _Weighed) -> None:
    """A dimension whose indicators all weigh 0 (user weights) has no score: its
    weighted mean is 0/0 and its TOPSIS distances are both 0."""
    weights = weighed.weights if weighed.weights.ndim == 2 else weighed.weights[None, :]
    for d, cols in _dimension_indices(inp.spec).items():
        if np.any(weights[:, cols].sum(axis=1) == 0):
            raise InputError(
                f"the weights of dimension '{d}' sum to 0, so its score is undefined",
                file=inp.panel.source,
                hint="give at least one of its indicators a positive weight",
            )


def _score_linear(inp: IndexInput, weighed: _Weighed) -> _Scored:
    """Σj wj x'rj, and each dimension's weighted mean of x' (its weights renormalised)."""
    rows = inp.raw.shape[0]
    weights, standardized = weighed.weights, weighed.standardized
    score = np.zeros(rows)
    dims: dict[str, np.ndarray] = {}
    for d, cols in _dimension_indices(inp.spec).items():
        part = np.zeros(rows)
        total: np.ndarray | float = 0.0
        for j in cols:
            w_j = weights[:, j] if weights.ndim == 2 else weights[j]
            part += w_j * standardized[:, j]
            total = total + w_j
        score += part
        with np.errstate(invalid="ignore", divide="ignore"):
            dims[d] = np.broadcast_to(part / total, (rows,)).copy()
        if not np.all(np.isfinite(dims[d])):
            raise InputError(
                f"the linear sub-score of dimension '{d}' is not a finite number",
                file=inp.panel.source,
                hint="its indicators' weights sum to 0; give them positive weights",
            )
    return _Scored(score, None, None, dims)


def _topsis_matrix(
    inp: IndexInput, weighed: _Weighed, options: IndexOptions
) -> tuple[np.ndarray, np.ndarray]:
    """The matrix TOPSIS measures distances in, and which columns are benefit-oriented."""
    names = inp.names
    if options.normalization == "minmax":
        return weighed.shifted, np.ones(len(names), dtype=bool)
    if options.normalization == "vector":
        matrix = np.empty_like(inp.raw, order="F")
        for rows in inp.blocks(options.scope)[0]:
            matrix[rows] = vector_normalize(inp.raw[rows])
        return matrix, inp.spec.benefit
    return inp.raw, inp.spec.benefit


def _score_topsis(inp: IndexInput, weighed: _Weighed, options: IndexOptions) -> _Scored:
    """Closeness of the index and of every dimension, in one pass over the columns."""
    names = inp.names
    matrix, oriented = _topsis_matrix(inp, weighed, options)
    if options.ideal == "absolute":
        best = np.full(len(names), 1.0 + options.shift)
        worst = np.full(len(names), options.shift)
    else:
        years = inp.years if options.ideal == "year" else None
        best, worst = ideal_points(matrix, oriented, years)
    dims = _dimension_indices(inp.spec)
    overall, *parts = closeness_by_groups(
        matrix,
        weighed.weights,
        best,
        worst,
        [list(range(len(names))), *dims.values()],
        topsis=options.topsis,
    )
    _check_closeness(
        [overall, *parts],
        ["the index", *(f"dimension '{d}'" for d in dims)],
        matrix,
        inp.years,
        inp.panel,
        ideal=options.ideal,
        normalization=options.normalization,
    )
    return _Scored(
        overall.score,
        overall.d_plus,
        overall.d_minus,
        {d: part.score for d, part in zip(dims, parts, strict=True)},
    )


def within_year_ranks(score: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Rank within year, 1 = highest; ties share the smallest rank ("1, 2, 2, 4"),
    as ``scipy.stats.rankdata(-score, method="min")`` ranks them: 1 + the number of
    scores of that year strictly greater (a binary search in the sorted scores; numpy
    only, so that scoring does not import scipy.stats)."""
    ranks = np.empty(score.shape[0], dtype=np.int64)
    for y in np.unique(years):
        rows = np.flatnonzero(years == y)
        negated = -score[rows]
        ranks[rows] = np.searchsorted(np.sort(negated), negated, side="left") + 1
    return ranks


def _score_table(inp: IndexInput, scored: _Scored) -> tuple[pl.DataFrame, dict[str, str], dict]:
    """The scores frame; output columns step aside from the panel's own names."""
    panel, keep = inp.panel, list(inp.keep)
    keys = inp.data.select(panel.region, panel.year)
    # Output columns take their own names unless a key or carried column of the panel
    # has one; then that output column is namespaced, never the caller's column.
    user = {panel.region, panel.year, *keep}
    names_out: dict[str, str] = {}
    for wanted in SCORE_COLUMNS:
        names_out[wanted] = output_name(wanted, user | set(names_out.values()))
    dim_names = dimension_column_names(
        inp.spec.dimension_names, taken=user | set(names_out.values())
    )

    def distance(name: str, values: np.ndarray | None) -> pl.Series | pl.Expr:
        if values is None:
            return pl.lit(None, dtype=pl.Float64).alias(name)
        return pl.Series(name, values, dtype=pl.Float64)

    scores = keys.with_columns(
        pl.Series(names_out["score"], scored.score),
        pl.Series(names_out["rank"], within_year_ranks(scored.score, inp.years)),
        distance(names_out["d_plus"], scored.d_plus),
        distance(names_out["d_minus"], scored.d_minus),
        *(pl.Series(dim_names[d], scored.dimensions[d]) for d in inp.spec.dimension_names),
    )
    if keep:
        carried = panel.frame.select(panel.region, panel.year, *keep)
        scores = scores.join(carried, on=[panel.region, panel.year], how="left")
    scores = scores.sort(panel.year, names_out["rank"], panel.region)
    return scores, names_out, dim_names


def _weight_tables(
    inp: IndexInput, weighed: _Weighed, options: IndexOptions
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str]]:
    """The weight table (per year under scope="year") and the dimension weights."""
    year = inp.panel.year
    # The weight tables carry the year column (scope="year"); their own columns
    # step aside from its name the same way.
    year_taken = {year} if options.scope == "year" else set()
    names: dict[str, str] = {}
    for wanted in ("indicator", "dimension", "direction", "entropy", "divergence", "weight"):
        names[wanted] = output_name(wanted, year_taken | set(names.values()))
    spec_frame = (
        inp.spec.to_frame()
        .select("indicator", "dimension", "direction")
        .rename({c: names[c] for c in ("indicator", "dimension", "direction")})
    )
    tables = []
    for block_year, e_row, d_row, w_row in zip(
        weighed.block_years, weighed.entropy, weighed.divergence, weighed.weight_rows, strict=True
    ):
        table = spec_frame.with_columns(
            pl.Series(names["entropy"], e_row).fill_nan(None),
            pl.Series(names["divergence"], d_row).fill_nan(None),
            pl.Series(names["weight"], w_row),
        )
        if block_year is not None:
            table = table.select(pl.lit(block_year, dtype=pl.Int64).alias(year), pl.all())
        tables.append(table)
    weight_table = pl.concat(tables)
    by = [year] if options.scope == "year" else []
    dimension_weights = grouped(
        weight_table.group_by(*by, names["dimension"], maintain_order=True),
        {names["weight"]: (names["weight"], "sum")},
    )
    return weight_table, dimension_weights, names


def _prepared(
    panel: Any, spec: Any, options: IndexOptions, region: Any, year: Any, keep: Any
) -> IndexInput:
    """``panel`` as an :class:`IndexInput` (prepared now unless it already is one)."""
    if isinstance(panel, IndexInput):
        if spec is not None or keep is not None or region is not None or year is not None:
            raise InputError(
                "a prepared panel already has its spec, keys and carried columns",
                hint="pass spec/region/year/keep to prepare_index instead",
            )
        if panel.missing == options.missing:
            return panel
        spec, keep, panel = panel.spec, list(panel.keep), panel.panel
    return prepare_index(panel, spec, region=region, year=year, keep=keep, missing=options.missing)


@takes_options(IndexOptions)
def entropy_topsis(
    panel: Panel | IndexInput | Any,
    spec: IndicatorSpec | str | os.PathLike[str] | Any | None = None,
    *,
    region: str | None = None,
    year: str | None = None,
    keep: Sequence[str] | None = None,
    options: IndexOptions,
) -> IndexResult:
    """Composite index of a region × year panel by (improved) entropy-weight TOPSIS.

    The steps (docs/methods.md §2): x' = standardised indicators (min–max by
    default, cost columns reversed), x'' = x' + a; entropy weights
    ej = −(1/ln n) Σr prj ln prj with prj = x''rj / Σr x''rj, dj = 1 − ej,
    wj = dj / Σ dj; TOPSIS closeness Cr = D⁻r / (D⁺r + D⁻r) with the weighted
    distances to the ideal and anti-ideal points (Hwang & Yoon 1981).

    Parameters
    ----------
    panel
        A :class:`~nqpf.panel.Panel`, a file path, a polars/pandas frame (then
        ``region``/``year`` name its key columns; default ``region``, ``year``), or
        an :class:`IndexInput` from :func:`prepare_index` (read and validated once).
    spec
        An IndicatorSpec, a spec file (CSV/TOML), or None for "every numeric
        column, one dimension, all benefit".
    keep
        Panel columns carried into ``.scores`` (default: the panel's text
        columns other than region, e.g. a continent or group column).
    weights, scope, shift, standardization, zero_log, method, topsis, ideal, normalization, missing
        The options, declared in :class:`nqpf.options.IndexOptions` (choices,
        defaults and meaning: ``docs/options.md``). ``weights`` may also be user
        values: a mapping indicator → weight, or a sequence in spec order.
    options
        An :class:`~nqpf.options.IndexOptions` (or a dict); keywords given as
        well apply on top of it.

    Returns
    -------
    IndexResult

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({
    ...     "region": ["A", "B", "C"] * 2, "year": [2020] * 3 + [2021] * 3,
    ...     "gdp": [1.0, 2.0, 3.0, 1.5, 2.5, 4.0], "pollution": [3.0, 2.0, 2.5, 2.0, 1.0, 2.0],
    ... })
    >>> spec = IndicatorSpec.from_names(["gdp", "pollution"], directions={"pollution": "-"})
    >>> res = entropy_topsis(df, spec)
    >>> res.scores.columns[:4]
    ['region', 'year', 'score', 'rank']
    >>> entropy_topsis(df, spec, options=IndexOptions(scope="year")).options["scope"]
    'year'
    """
    inp = _prepared(panel, spec, options, region, year, keep)
    if options.weight_method == "user":
        _user_weights(options.weights, inp.names)  # checked before any work
    weighed = _standardise_and_weigh(inp, options)
    _check_dimension_weights(inp, weighed)
    if options.method == "linear":
        scored = _score_linear(inp, weighed)
    else:
        scored = _score_topsis(inp, weighed, options)
    scores, score_names, dimension_names = _score_table(inp, scored)
    weight_table, dimension_weights, weight_names = _weight_tables(inp, weighed, options)
    renamed = {k: v for k, v in {**score_names, **weight_names}.items() if k != v}
    standardized = inp.data.select(inp.panel.region, inp.panel.year).with_columns(
        pl.Series(n, weighed.standardized[:, j]) for j, n in enumerate(inp.names)
    )
    return IndexResult(
        weights=weight_table,
        scores=scores,
        standardized=standardized,
        dimension_weights=dimension_weights,
        spec=inp.spec,
        region=inp.panel.region,
        year=inp.panel.year,
        options=options,
        dimension_columns=dimension_names,
        columns=renamed,
        indicators=inp.data.select(inp.panel.region, inp.panel.year, *inp.names),
    )
