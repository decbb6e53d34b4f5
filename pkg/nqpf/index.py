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

import numbers
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import polars as pl
from scipy.stats import rankdata

from nqpf._frames import check_choice, check_int, output_name
from nqpf.errors import InputError
from nqpf.io import write_tables
from nqpf.panel import IndicatorSpec, MissingPolicy, Panel, read_panel, read_spec
from nqpf.topsis import (
    IDEALS,
    NORMALIZATIONS,
    WEIGHTINGS,
    closeness_by_groups,
    ideal_points,
    vector_normalize,
)
from nqpf.weights import (
    WEIGHT_METHODS,
    check_options,
    critic_weights,
    cv_weights,
    entropy_weights,
    power_of_two_scale,
    standardize,
    user_weights,
)

Scope = Literal["panel", "year"]
Method = Literal["topsis", "linear"]
SCOPES = ("panel", "year")
METHODS = ("topsis", "linear")


@dataclass(frozen=True)
class IndexResult:
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
    options
        The options used, as a dict.
    """

    weights: pl.DataFrame
    scores: pl.DataFrame
    standardized: pl.DataFrame
    dimension_weights: pl.DataFrame
    spec: IndicatorSpec
    region: str
    year: str
    options: dict[str, Any] = field(default_factory=dict)
    #: Dimension → its column in ``scores`` (``dim_<name>`` when the name was taken).
    dimension_columns: dict[str, str] = field(default_factory=dict)
    #: Output name → the name it has in these tables, for the names that can meet a
    #: caller's column: ``score``, ``rank``, ``d_plus``, ``d_minus`` (in ``scores``) and
    #: ``indicator``, ``dimension``, ``direction``, ``entropy``, ``divergence``,
    #: ``weight`` (in ``weights`` and ``dimension_weights``, beside the year column).
    #: A name absent here is its own.
    columns: dict[str, str] = field(default_factory=dict)

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
                "nqpf index — "
                + ", ".join(f"{k}={v}" for k, v in self.options.items() if k not in {"keep"}),
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

    def __str__(self) -> str:
        return self.summary()

    def tables(self) -> dict[str, pl.DataFrame]:
        return {
            "scores": self.scores,
            "weights": self.weights,
            "dimension_weights": self.dimension_weights,
            "standardized": self.standardized,
        }

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the results: CSV (scores), XLSX (a sheet per table) or JSON, by extension."""
        return write_tables(self.tables(), path, meta=self.options, main="scores")

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the score table to CSV."""
        return write_tables({"scores": self.scores}, Path(path).with_suffix(".csv"))

    def to_xlsx(self, path: str | os.PathLike[str]) -> Path:
        """Write every table to an XLSX workbook, one sheet each, plus the options."""
        return write_tables(self.tables(), Path(path).with_suffix(".xlsx"), meta=self.options)


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


def _choice(name: str, value: Any, allowed: Sequence[str]) -> None:
    check_choice(name, value, allowed)


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


def entropy_topsis(
    panel: Panel | Any,
    spec: IndicatorSpec | str | os.PathLike[str] | Any | None = None,
    *,
    weights: str | Mapping[str, float] | Sequence[float] = "entropy",
    scope: Scope = "panel",
    shift: float = 1e-4,
    standardization: str = "minmax",
    zero_log: str = "zero",
    method: Method = "topsis",
    topsis: str = "matrix",
    ideal: str = "panel",
    normalization: str = "minmax",
    missing: MissingPolicy = "error",
    region: str | None = None,
    year: str | None = None,
    keep: Sequence[str] | None = None,
) -> IndexResult:
    """Composite index of a region × year panel by (improved) entropy-weight TOPSIS.

    Parameters
    ----------
    panel
        A :class:`~nqpf.panel.Panel`, a file path, or a polars/pandas frame
        (then ``region``/``year`` name its key columns; default ``region``, ``year``).
    spec
        An IndicatorSpec, a spec file (CSV/TOML), or None for "every numeric
        column, one dimension, all benefit".
    weights
        ``"entropy"`` (default), ``"critic"``, ``"cv"``, ``"equal"``, or user
        values (a mapping indicator → weight, or a sequence in spec order).
    scope
        ``"panel"``: one pooled standardisation and weight vector over all
        region-years (improved entropy); ``"year"``: the classic per-year method
        (standardisation and weights within each year).
    shift
        a in x'' = x' + a (entropy step and TOPSIS input); for
        ``standardization="zscore"`` it is the translation H and must make
        every value positive.
    standardization
        ``"minmax"`` (default), ``"ratio"`` or ``"zscore"``.
    zero_log
        ``"zero"`` (0·ln 0 = 0) or ``"epsilon"`` (p + 1e-12).
    method
        ``"topsis"`` or ``"linear"`` (Σj wj x'rj, the plain entropy index).
    topsis
        ``"matrix"`` (weighted normalised matrix) or ``"distance"`` (weighted
        Euclidean distance) — how weights enter the distances.
    ideal
        ``"panel"``, ``"year"`` or ``"absolute"`` (the ends of the min–max scale).
    normalization
        ``"minmax"`` (reuse the entropy step's standardised, shifted matrix),
        ``"vector"`` (Hwang–Yoon, as R's ``topsis::topsis``) or ``"none"``.
    missing
        ``"error"``, ``"interpolate"`` or ``"drop"`` (see :mod:`nqpf.panel`).
    keep
        Panel columns carried into ``.scores`` (default: the panel's text
        columns other than region, e.g. a continent or group column).

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
    """
    if not isinstance(panel, Panel):
        panel = read_panel(panel, region=region or "region", year=year or "year")
    if keep is None:
        keep = [
            c
            for c, t in panel.frame.schema.items()
            if t == pl.String and c not in {panel.region, panel.year}
        ]
    else:
        if isinstance(keep, str):
            keep = [keep]
        if not isinstance(keep, Sequence):
            raise InputError(
                f"keep={keep!r} must be a list of column names", hint="e.g. keep=['continent']"
            )
        keep = list(keep)
        for column in keep:
            if not isinstance(column, str) or column not in panel.frame.columns:
                raise InputError(
                    f"no column named {column!r} to keep",
                    file=panel.source,
                    column=column if isinstance(column, str) else None,
                    hint="panel columns: " + ", ".join(panel.frame.columns[:12]),
                )
    spec = default_spec(panel, keep) if spec is None else read_spec(spec)
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
    keep = list(dict.fromkeys(c for c in keep if c not in spec.names))
    keep = [c for c in keep if c not in {panel.region, panel.year}]

    weight_method = weights if isinstance(weights, str) else "user"
    given_weights = None
    if isinstance(weights, str):
        _choice("weights", weights, WEIGHT_METHODS)
    else:
        given_weights = _user_weights(weights, spec.names)
    _choice("scope", scope, SCOPES)
    _choice("method", method, METHODS)
    _choice("topsis", topsis, WEIGHTINGS)
    _choice("ideal", ideal, IDEALS)
    _choice("normalization", normalization, NORMALIZATIONS)
    _choice("standardization", standardization, ("minmax", "ratio", "zscore"))
    _choice("zero_log rule", zero_log, ("zero", "epsilon"))
    _choice("missing-value policy", missing, ("error", "interpolate", "drop"))
    if isinstance(shift, bool | np.bool_) or not isinstance(shift, numbers.Real):
        raise InputError(f"shift must be a number, got {shift!r}", hint="the default is 1e-4")
    shift = float(shift)
    check_options(standardization=standardization, shift=shift, zero_log=zero_log)
    if ideal == "absolute" and (normalization != "minmax" or standardization != "minmax"):
        raise InputError(
            "ideal='absolute' needs the min–max scale",
            hint="use normalization='minmax' with standardization='minmax', or ideal='panel'",
        )

    data = panel.indicator_frame(spec, missing=missing)
    names = list(spec.names)
    raw = data.select(names).to_numpy().astype(float, copy=False)
    benefit = spec.benefit
    year_values = data.get_column(panel.year).to_numpy()
    rows = raw.shape[0]

    if scope == "panel":
        blocks: list[slice] = [slice(0, rows)]
        block_years: list[Any] = [None]
    else:
        block_years = sorted(np.unique(year_values).tolist())
        # rows are sorted by year, so each year is a contiguous slice (views, no copies)
        starts = np.searchsorted(year_values, block_years, side="left")
        ends = np.searchsorted(year_values, block_years, side="right")
        blocks = [slice(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]

    standardized = np.empty_like(raw, order="F")
    shifted = np.empty_like(raw, order="F")
    # per-row weights only when they vary by year; one vector otherwise
    weight_matrix = np.empty_like(raw, order="F") if scope == "year" else None
    entropy_rows: list[np.ndarray] = []
    divergence_rows: list[np.ndarray] = []
    weight_rows: list[np.ndarray] = []
    for rows_in_block, block_year in zip(blocks, block_years, strict=True):
        where = "" if block_year is None else f" in {panel.year} {block_year}"
        block = raw[rows_in_block]
        if block.shape[0] < 2:
            raise InputError(
                f"only {block.shape[0]} region{where}; weights need at least 2 rows",
                file=panel.source,
                column=panel.year,
            )
        constant = np.flatnonzero(block.max(axis=0) == block.min(axis=0))
        if constant.size:
            raise InputError(
                f"indicator '{names[constant[0]]}' is constant{where}, so its weight is undefined",
                file=panel.source,
                column=names[constant[0]],
                hint="drop it from the spec"
                + (" or use scope='panel'" if block_year is not None else ""),
            )
        if standardization == "ratio" and np.any(block <= 0):
            bad = int(np.flatnonzero((block <= 0).any(axis=0))[0])
            raise InputError(
                f"ratio standardisation needs positive values; '{names[bad]}' has values ≤ 0",
                file=panel.source,
                column=names[bad],
                hint="use standardization='minmax'",
            )
        z = standardize(block, benefit, standardization)  # type: ignore[arg-type]
        z_shifted = z + shift
        if standardization == "zscore" and np.any(z_shifted <= 0):
            needed = float(-z.min())
            raise InputError(
                f"the z-score translation H = shift = {shift} leaves values ≤ 0{where}",
                file=panel.source,
                column=names[int(np.argmin(z.min(axis=0)))],
                hint=f"choose shift greater than {needed:.4f}",
            )
        if len(blocks) == 1:
            standardized, shifted = z, z_shifted
        else:
            standardized[rows_in_block] = z
            shifted[rows_in_block] = z_shifted
        if weight_method == "entropy":
            ew = entropy_weights(z_shifted, zero_log=zero_log)  # type: ignore[arg-type]
            w = ew.weight
            entropy_rows.append(ew.entropy)
            divergence_rows.append(ew.divergence)
        else:
            if weight_method == "critic":
                w = critic_weights(z)
            elif weight_method == "cv":
                # whether the mean is 0 does not depend on the scale: 2⁻ᵏ·x cannot overflow
                means = np.array(
                    [(col / power_of_two_scale(col)).mean() for col in block.T], dtype=float
                )
                if np.any(means == 0):
                    bad = int(np.flatnonzero(means == 0)[0])
                    raise InputError(
                        f"indicator '{names[bad]}' has mean 0{where}; its coefficient of variation is undefined",
                        file=panel.source,
                        column=names[bad],
                        hint="use weights='entropy' or 'critic'",
                    )
                w = cv_weights(block)
            elif weight_method == "equal":
                w = np.full(len(names), 1.0 / len(names))
            else:
                assert given_weights is not None
                w = given_weights
            entropy_rows.append(np.full(len(names), np.nan))
            divergence_rows.append(np.full(len(names), np.nan))
        weight_rows.append(w)
        if weight_matrix is not None:
            weight_matrix[rows_in_block] = w

    # --- scores -----------------------------------------------------------
    dims = spec.dimension_names
    dim_columns = {d: [j for j, dd in enumerate(spec.dimensions) if dd == d] for d in dims}
    d_plus = d_minus = None
    dim_scores: dict[str, np.ndarray] = {}
    row_weights = weight_rows[0] if weight_matrix is None else weight_matrix
    if method == "linear":
        score = np.zeros(rows)
        for d, cols in dim_columns.items():
            part = np.zeros(rows)
            total: np.ndarray | float = 0.0
            for j in cols:
                w_j = row_weights[:, j] if row_weights.ndim == 2 else row_weights[j]
                part += w_j * standardized[:, j]
                total = total + w_j
            score += part
            with np.errstate(invalid="ignore", divide="ignore"):
                dim_scores[d] = np.broadcast_to(part / total, (rows,)).copy()
    else:
        if normalization == "minmax":
            matrix = shifted
            oriented = np.ones(len(names), dtype=bool)
        elif normalization == "vector":
            matrix = np.empty_like(raw, order="F")
            for rows_in_block in blocks:
                matrix[rows_in_block] = vector_normalize(raw[rows_in_block])
            oriented = benefit
        else:
            matrix = raw
            oriented = benefit
        if ideal == "absolute":
            best = np.full(len(names), 1.0 + shift)
            worst = np.full(len(names), shift)
        else:
            best, worst = ideal_points(matrix, oriented, year_values if ideal == "year" else None)
        # one pass over the columns gives the index and every dimension sub-score
        overall, *parts = closeness_by_groups(
            matrix,
            row_weights,
            best,
            worst,
            [list(range(len(names))), *dim_columns.values()],
            weighting=topsis,  # type: ignore[arg-type]
        )
        score, d_plus, d_minus = overall.score, overall.d_plus, overall.d_minus
        _check_closeness(
            [overall, *parts],
            ["the index", *(f"dimension '{d}'" for d in dim_columns)],
            matrix,
            year_values,
            panel,
            ideal=ideal,
            normalization=normalization,
        )
        for d, part in zip(dim_columns, parts, strict=True):
            dim_scores[d] = part.score

    for d, values in dim_scores.items():
        if method == "linear" and not np.all(np.isfinite(values)):
            raise InputError(
                f"the linear sub-score of dimension '{d}' is not a finite number",
                file=panel.source,
                hint="its indicators' weights sum to 0; give them positive weights",
            )
    ranks = np.empty(rows, dtype=np.int64)
    for y in np.unique(year_values):
        rows_in_year = np.flatnonzero(year_values == y)
        ranks[rows_in_year] = rankdata(-score[rows_in_year], method="min").astype(np.int64)

    keys = data.select(panel.region, panel.year)
    # Output columns take their own names unless a key or carried column of the panel
    # has one; then that output column is namespaced, never the caller's column.
    user = {panel.region, panel.year, *keep}
    names_out: dict[str, str] = {}
    for wanted in SCORE_COLUMNS:
        names_out[wanted] = output_name(wanted, user | set(names_out.values()))
    score_col, rank_col = names_out["score"], names_out["rank"]
    dplus_col, dminus_col = names_out["d_plus"], names_out["d_minus"]
    dim_names = dimension_column_names(dims, taken=user | set(names_out.values()))
    scores = keys.with_columns(
        pl.Series(score_col, score),
        pl.Series(rank_col, ranks),
        pl.Series(dplus_col, d_plus, dtype=pl.Float64)
        if d_plus is not None
        else pl.lit(None, dtype=pl.Float64).alias(dplus_col),
        pl.Series(dminus_col, d_minus, dtype=pl.Float64)
        if d_minus is not None
        else pl.lit(None, dtype=pl.Float64).alias(dminus_col),
        *(pl.Series(dim_names[d], dim_scores[d]) for d in dims),
    )
    if keep:
        carried = panel.frame.select(panel.region, panel.year, *keep)
        scores = scores.join(carried, on=[panel.region, panel.year], how="left")
    scores = scores.sort(panel.year, rank_col, panel.region)

    # The weight tables carry the year column (scope="year"); their own columns
    # step aside from its name the same way.
    year_taken = {panel.year} if scope == "year" else set()
    weight_names: dict[str, str] = {}
    for wanted in ("indicator", "dimension", "direction", "entropy", "divergence", "weight"):
        weight_names[wanted] = output_name(wanted, year_taken | set(weight_names.values()))
    spec_frame = (
        spec.to_frame()
        .select("indicator", "dimension", "direction")
        .rename({c: weight_names[c] for c in ("indicator", "dimension", "direction")})
    )
    weight_tables = []
    for block_year, e_row, d_row, w_row in zip(
        block_years, entropy_rows, divergence_rows, weight_rows, strict=True
    ):
        table = spec_frame.with_columns(
            pl.Series(weight_names["entropy"], e_row).fill_nan(None),
            pl.Series(weight_names["divergence"], d_row).fill_nan(None),
            pl.Series(weight_names["weight"], w_row),
        )
        if block_year is not None:
            table = table.select(pl.lit(block_year, dtype=pl.Int64).alias(panel.year), pl.all())
        weight_tables.append(table)
    weight_table = pl.concat(weight_tables)
    by = [panel.year] if scope == "year" else []
    dimension_weights = weight_table.group_by(
        *by, weight_names["dimension"], maintain_order=True
    ).agg(pl.col(weight_names["weight"]).sum())
    renamed = {k: v for k, v in {**names_out, **weight_names}.items() if k != v}

    standardized_frame = keys.with_columns(
        pl.Series(n, standardized[:, j]) for j, n in enumerate(names)
    )
    options = {
        "weights": weight_method,
        "scope": scope,
        "shift": shift,
        "standardization": standardization,
        "zero_log": zero_log,
        "method": method,
        "topsis": topsis if method == "topsis" else None,
        "ideal": ideal if method == "topsis" else None,
        "normalization": normalization if method == "topsis" else None,
        "missing": missing,
    }
    return IndexResult(
        weights=weight_table,
        scores=scores,
        standardized=standardized_frame,
        dimension_weights=dimension_weights,
        spec=spec,
        region=panel.region,
        year=panel.year,
        options={k: v for k, v in options.items() if v is not None},
        dimension_columns=dim_names,
        columns=renamed,
    )
