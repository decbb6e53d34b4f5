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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, get_args

import numpy as np
import polars as pl

from nqpf._frames import check_int, grouped, output_name
from nqpf.errors import InputError
from nqpf.indicator_types import orient
from nqpf.io import write_tables
from nqpf.options import IndexOptions, Method, Scope, takes_options
from nqpf.panel import IndicatorSpec, Panel, read_panel, read_spec
from nqpf.results import Result
from nqpf.topsis import (
    closeness_by_groups,
    grey_grades_by_groups,
    grey_topsis_by_groups,
    ideal_points,
    vector_normalize,
)
from nqpf.weights import (
    SAATY_RI,
    ahp_weights,
    angle_weights,
    cilos_weights,
    combine_weights,
    critic_variant_weights,
    critic_weights,
    cv_weights,
    entropy_weights,
    gini_weights,
    idocriw_weights,
    merec_weights,
    power_of_two_scale,
    scatter_weights,
    sd_weights,
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
        (null for ``method="linear"`` and ``"grey"``), one column per dimension, and the
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

        A TOPSIS closeness d⁻/(d⁺ + d⁻) and a grey relational grade lie in [0, 1]; so
        does the linear score Σ w·x′ when
        x′ does (min–max and ratio standardisation of positive values). A z-score linear
        index has no bounds. The scores are checked as well, so that a variant whose x′
        leaves [0, 1] is never given bounds it breaks. Used for the reflection estimate of
        the score's density (docs/methods.md §4.5)."""
        # a closeness and a grey relational grade are in [0, 1] whatever x′ is
        bounded = self.options.method in ("topsis", "grey", "grey_topsis") or (
            self.options.standardization in ("minmax", "ratio")
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
    # the raw values with the indicator types applied (the raw matrix itself when no
    # type changes a column) and which of its columns are benefit-oriented
    oriented: np.ndarray | None = None
    benefit: np.ndarray | None = None
    # the rows each block was standardised against: the base year's raw rows, or
    # None for the block itself
    reference: np.ndarray | None = None


def _orient(
    values: np.ndarray, inp: IndexInput, options: IndexOptions, reference: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """``values`` with the spec's indicator types applied (:func:`nqpf.indicator_types.orient`)."""
    spec = inp.spec
    return orient(
        values,
        [i.direction for i in spec],
        spec.field_values("target"),
        spec.field_values("lower"),
        spec.field_values("upper"),
        cost=options.cost,
        reference=reference,
    )


def _check_indicator_types(inp: IndexInput, options: IndexOptions) -> np.ndarray | None:
    """Refuse what the indicator types and ``base`` cannot use; the base year's raw rows
    (None without ``base``)."""
    source = inp.panel.source
    for j, item in enumerate(inp.spec):
        column = inp.raw[:, j]
        if item.direction == "mid" and not column.min() <= item.target <= column.max():
            raise InputError(
                f"target {item.target:g} of moderate indicator '{item.name}' lies outside "
                f"its data's range [{column.min():g}, {column.max():g}]",
                file=source,
                column=item.name,
                hint="give a target in the indicator's own units, inside its range",
            )
        if item.direction == "-" and options.cost == "reciprocal" and np.any(column <= 0):
            raise InputError(
                f"cost='reciprocal' takes 1/x, but cost indicator '{item.name}' has values ≤ 0",
                file=source,
                column=item.name,
                hint="use cost='difference' or 'reverse'",
            )
    if options.base is None:
        return None
    rows = inp.years == options.base
    if int(rows.sum()) < 2:
        years = np.unique(inp.years)
        raise InputError(
            f"base year {options.base} has {int(rows.sum())} region(s) in the panel; its "
            "range needs at least 2",
            file=source,
            column=inp.panel.year,
            hint=f"choose a year of the panel ({years.min()}–{years.max()})",
        )
    return inp.raw[rows]


def _check_ratio(oriented: np.ndarray, benefit: np.ndarray, inp: IndexInput, where: str) -> None:
    """x/max needs x ≥ 0 and max > 0 (zeros allowed), min/x needs x > 0."""
    for j, name in enumerate(inp.names):
        column = oriented[:, j]
        if benefit[j] and np.all(column >= 0) and column.max() > 0:
            continue
        if not benefit[j] and np.all(column > 0):
            continue
        typed = inp.spec.indicators[j].direction not in ("+", "-")
        raise InputError(
            f"ratio standardisation needs {'values ≥ 0' if benefit[j] else 'positive values'}"
            f"; '{name}'{' (after its type transformation)' if typed else ''} has "
            f"{'negative values' if benefit[j] else 'values ≤ 0'}{where}",
            file=inp.panel.source,
            column=name,
            hint="use standardization='minmax'",
        )


def _standardise_block(
    block: np.ndarray,
    inp: IndexInput,
    options: IndexOptions,
    where: str,
    per_year: bool,
    reference: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x' and x'' = x' + a of one block, refusing what makes a weight undefined; also the
    block with the indicator types applied and its benefit flags. ``reference`` (the
    base year's raw rows) supplies min, max, mean, sd and the types' M."""
    names, source = inp.names, inp.panel.source
    if block.shape[0] < 2:
        raise InputError(
            f"only {block.shape[0]} region{where}; weights need at least 2 rows",
            file=source,
            column=inp.panel.year,
        )
    oriented, benefit = _orient(block, inp, options, reference)
    oriented_reference = None if reference is None else _orient(reference, inp, options, None)[0]
    if not np.all(np.isfinite(oriented)):
        # a moderate column whose reference rows all sit at the target: M = 0
        bad = int(np.flatnonzero(~np.isfinite(oriented).all(axis=0))[0])
        raise InputError(
            f"indicator '{names[bad]}' cannot be transformed{where}: every value of its "
            "reference rows equals its target, so its spread M is 0",
            file=source,
            column=names[bad],
            hint="drop it from the spec, or choose another base year",
        )
    for values, what in (
        (oriented, where),
        (oriented_reference, f" in the base year {options.base}"),
    ):
        if values is None:
            continue
        constant = np.flatnonzero(values.max(axis=0) == values.min(axis=0))
        if constant.size:
            name = names[constant[0]]
            typed = inp.spec.indicators[constant[0]].direction in ("mid", "interval")
            raise InputError(
                f"indicator '{name}' is constant{what}"
                + (" once its type is applied" if typed else "")
                + ", so its weight is undefined",
                file=source,
                column=name,
                hint="drop it from the spec" + (" or use scope='panel'" if per_year else ""),
            )
    if options.standardization == "ratio":
        _check_ratio(oriented, benefit, inp, where)
        if oriented_reference is not None:
            _check_ratio(oriented_reference, benefit, inp, f" in the base year {options.base}")
    z = standardize(oriented, benefit, options.standardization, reference=oriented_reference)
    z_shifted = z + options.shift
    if options.standardization == "zscore" and np.any(z_shifted <= 0):
        needed = float(-z.min())
        raise InputError(
            f"the z-score translation H = shift = {options.shift} leaves values ≤ 0{where}",
            file=source,
            column=names[int(np.argmin(z.min(axis=0)))],
            hint=f"choose shift greater than {needed:.4f}",
        )
    if reference is not None and np.any(z_shifted < 0):
        # below the base year's range x' < 0: the entropy's shares need x'' ≥ 0
        bad = int(np.argmin(z.min(axis=0)))
        raise InputError(
            f"indicator '{names[bad]}' falls below its base-year range{where} "
            f"(x' = {float(z[:, bad].min()):.4g}), and shift = {options.shift} leaves x'' < 0",
            file=source,
            column=names[bad],
            hint=f"choose shift of at least {float(-z.min()):.4f}, or another base year",
        )
    return z, z_shifted, oriented, benefit


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
    if (
        method in FAMILY_METHODS
        or method == "combined"
        or (method == "critic" and not _critic_is_default(options))
    ):
        w = _family_weights(method, z, z_shifted, block, inp, options, given, where)
        empty = np.full(len(names), np.nan)
        return w, empty, empty.copy()
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


#: The weight methods of the families (issue 13) that :func:`_family_weights` computes;
#: ``critic`` with its default parameters keeps the original kernel.
FAMILY_METHODS = ("sd", "merec", "cilos", "idocriw", "gini", "angle", "scatter", "ahp")


def _critic_is_default(options: IndexOptions) -> bool:
    return (
        options.critic_correlation == "pearson"
        and options.critic_input == "scaled"
        and options.critic_contrast == "sd"
    )


def _family_weights(
    method: str,
    z: np.ndarray,
    z_shifted: np.ndarray,
    block: np.ndarray,
    inp: IndexInput,
    options: IndexOptions,
    ahp: np.ndarray | None,
    where: str,
) -> np.ndarray:
    """One weighting family's weights of a block (the matrix each one takes follows its
    source; docs/methods.md §2): x' for sd and CRITIC (or raw values, critic_input);
    the raw values for MEREC, CILOS, IDOCRIW (positive; their own direction-aware
    normalisation), Gini and angle (non-negative); the pooled z-scores of the raw
    values for the scatter degree method (Guo 2002), whatever ``standardization`` is.
    A combination weighs the block by each member and combines the vectors."""
    benefit = inp.spec.benefit
    if method == "combined":
        members = np.array(
            [
                _member_weights(m, z, z_shifted, block, inp, options, ahp, where)
                for m in options.combine
            ]
        )
        alpha = options.combine_alpha
        return combine_weights(
            members, options.combine_rule, None if alpha is None else [alpha, 1.0 - alpha]
        )
    if method == "ahp":
        assert ahp is not None
        return ahp
    if method == "sd":
        return sd_weights(z)
    if method == "critic":
        matrix = z if options.critic_input == "scaled" else block
        contrast = None
        if options.critic_contrast == "entropy":
            contrast = entropy_weights(z_shifted, zero_log=options.zero_log).divergence
        w = critic_variant_weights(
            matrix, correlation=options.critic_correlation, contrast=contrast
        )
        return _one_signed(w, method, where, inp)
    if method in ("merec", "cilos", "idocriw"):
        _check_sign(block, inp, method, where, strict=True)
        kernel = {"merec": merec_weights, "cilos": cilos_weights, "idocriw": idocriw_weights}
        w = kernel[method](block, benefit)
    elif method in ("gini", "angle"):
        _check_sign(block, inp, method, where, strict=False)
        w = gini_weights(block) if method == "gini" else angle_weights(block)
    else:
        w = scatter_weights(standardize(block, benefit, "zscore"))
    return _one_signed(w, method, where, inp)


def _member_weights(
    method: str,
    z: np.ndarray,
    z_shifted: np.ndarray,
    block: np.ndarray,
    inp: IndexInput,
    options: IndexOptions,
    ahp: np.ndarray | None,
    where: str,
) -> np.ndarray:
    """A combination member's weights: as if it were the index's weight method."""
    if method in FAMILY_METHODS or (method == "critic" and not _critic_is_default(options)):
        return _family_weights(method, z, z_shifted, block, inp, options, ahp, where)
    return _weigh_block(z, z_shifted, block, inp, options.replace(weights=method), None, where)[0]


def _check_sign(
    block: np.ndarray, inp: IndexInput, method: str, where: str, *, strict: bool
) -> None:
    """MEREC, CILOS and IDOCRIW take logs or ratios of the raw values (positive values);
    the Gini and angle weights measure a non-negative column's spread."""
    bad = (block <= 0) if strict else (block < 0)
    if not bad.any():
        return
    j = int(np.flatnonzero(bad.any(axis=0))[0])
    name = inp.names[j]
    need, has = ("positive", "≤ 0") if strict else ("non-negative", "< 0")
    raise InputError(
        f"weights='{method}' needs {need} raw values; indicator '{name}' has values {has}{where}",
        file=inp.panel.source,
        column=name,
        hint="rescale or shift that indicator, or use weights='entropy' or 'critic'",
    )


def _one_signed(w: np.ndarray, method: str, where: str, inp: IndexInput) -> np.ndarray:
    """CILOS's null vector and the scatter degree method's eigenvector can have entries
    of both signs (indicators that pull against each other): refused, not clipped; a
    CILOS system without a unique solution (NaN) is refused too."""
    if not np.all(np.isfinite(w)):
        why = {
            "cilos": "the CILOS impact-loss system has more than one solution (several "
            "indicators are largest in the same row)",
            "scatter": "the eigenvector of H sums to 0 (its indicators pull in opposite "
            "directions)",
            "critic": "every indicator is perfectly correlated with the others",
        }[method if method != "idocriw" else "cilos"]
        raise InputError(
            f"weights='{method}' is not determined by these data{where}: {why}",
            file=inp.panel.source,
            hint="check the indicators' directions, or use weights='entropy' or 'merec'",
        )
    # entries below 1e-12 of the largest are rounding of a true 0
    if np.all(w >= 0):
        return w
    tiny = 1e-12 * float(np.max(np.abs(w)))
    if np.all(w >= -tiny):
        return np.clip(w, 0.0, None) / np.clip(w, 0.0, None).sum()
    j = int(np.argmin(w))
    raise InputError(
        f"weights='{method}' gives indicator '{inp.names[j]}' a negative weight{where} "
        "(its indicators pull in opposite directions)",
        file=inp.panel.source,
        column=inp.names[j],
        hint="check the indicators' directions, or use weights='entropy' or 'critic'",
    )


def _ahp_cell(value: Any, where: str) -> float:
    """One comparison: a number, or a text such as ``3`` or ``1/3``."""
    if isinstance(value, str):
        parts = value.strip().split("/")
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            numbers = []
        if len(numbers) == 1:
            return numbers[0]
        if len(numbers) == 2 and numbers[1] != 0:
            return numbers[0] / numbers[1]
    elif isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return float(value)
    raise InputError(
        f"AHP comparison {where} is {value!r}, not a number",
        hint="write each comparison as a number or a fraction such as 1/3",
    )


def _ahp_from_file(
    path: Any, names: Sequence[str], *, name: str | None = None
) -> dict[str, dict[str, Any]]:
    """A pairwise-comparison matrix file: a header of indicator names, and the names
    again as a first (text) column, or rows in the header's order. ``path`` is a path,
    or the file's bytes with its ``name`` (an upload)."""
    from nqpf.io import read_table

    frame = read_table(path) if name is None else read_table(path, name=name)
    path = path if name is None else name
    first = frame.columns[0]
    if frame.schema[first] == pl.String and first not in names:
        labels = [str(v).strip() for v in frame.get_column(first).to_list()]
        frame = frame.drop(first)
    else:
        labels = list(frame.columns)
    if len(labels) != frame.width:
        raise InputError(
            f"the AHP matrix has {len(labels)} rows and {frame.width} columns",
            file=path,
            hint="give a square matrix, one row and one column per indicator",
        )
    columns = [c.strip() for c in frame.columns]
    rows = frame.rows()
    return {
        label: dict(zip(columns, row, strict=True)) for label, row in zip(labels, rows, strict=True)
    }


def read_ahp_matrix(source: Any, names: Sequence[str], *, name: str | None = None) -> np.ndarray:
    """A pairwise-comparison matrix file (CSV/XLSX, as ``ahp_matrix=`` takes it: a
    header of indicator names and the names again as a first column) as a square array
    in the order of ``names`` (the spec's indicators), each comparison a number (``1/3``
    read as a fraction). ``source`` is a path, the file's bytes with its ``name`` (the
    app's upload), or the matrix itself: a nested mapping row → {column → a_ij} by
    indicator or rows in the order of ``names`` (a matrix reopened from a project file,
    :mod:`nqpf.app.project_state`). The matrix's
    reciprocity and consistency are checked by :func:`ahp_index_weights`. A file that
    lacks an indicator, or names one the spec lacks, is one line naming the file."""
    if isinstance(source, Mapping | list | tuple):
        return _ahp_array(source, names, source=name)
    return _ahp_array(_ahp_from_file(source, names, name=name), names, source=name or source)


def _ahp_array(value: Any, names: Sequence[str], *, source: Any = None) -> np.ndarray:
    """The AHP option as a square float array in spec order."""
    source = value if isinstance(value, str) else source
    if isinstance(value, str):
        value = _ahp_from_file(value, names)
    if isinstance(value, Mapping):
        missing = [n for n in names if n not in value]
        unknown = [k for k in value if k not in names]
        if missing or unknown:
            raise InputError(
                f"the AHP matrix {'has no row for' if missing else 'has a row for'} indicator "
                f"'{(missing or unknown)[0]}'" + ("" if missing else ", which the spec lacks"),
                file=source,
                hint="give one row and one column per spec indicator: " + ", ".join(names),
            )
        cells = []
        for a in names:
            row = value[a]
            absent = [b for b in names if b not in row]
            if absent:
                raise InputError(
                    f"the AHP matrix has no comparison of '{a}' with '{absent[0]}'",
                    file=source,
                    hint="give one column per spec indicator: " + ", ".join(names),
                )
            cells.append([_ahp_cell(row[b], f"({a}, {b})") for b in names])
        return np.array(cells, dtype=float)
    rows = list(value)
    if len(rows) != len(names) or any(len(r) != len(names) for r in rows):
        raise InputError(
            f"the AHP matrix must be {len(names)} × {len(names)} (one row and column per "
            "indicator, in spec order)",
            hint="give a square matrix of the spec's indicators: " + ", ".join(names),
        )
    return np.array(
        [
            [_ahp_cell(c, f"({i + 1}, {j + 1})") for j, c in enumerate(r)]
            for i, r in enumerate(rows)
        ],
        dtype=float,
    )


#: |a_ij · a_ji − 1| above this is not reciprocal: 1/3 written as 0.333 (three
#: decimals, as papers print it) is within it, 0.3 is not.
AHP_RECIPROCAL_TOLERANCE = 5e-3
#: Saaty's threshold of an acceptable consistency ratio.
AHP_MAX_CR = 0.1


def user_index_weights(options: IndexOptions, names: Sequence[str]) -> np.ndarray:
    """The user-given weights of ``options`` (``weights=`` a mapping or a sequence) for
    the spec's indicators ``names``, checked as the index checks them (one per
    indicator, finite, non-negative, not all 0) and divided by their sum (the app checks
    its given-weights table with it before the index is run).

    >>> user_index_weights(IndexOptions(weights={"rd": 1, "gdp": 3}), ["gdp", "rd"]).tolist()
    [0.75, 0.25]
    """
    if options.weight_method != "user":
        raise InputError(
            f"weights={options.weights!r} names a method, not user-given weights",
            hint="give weights= a mapping indicator → weight or a list in spec order",
        )
    return _user_weights(options.weights, names)


def ahp_index_weights(options: IndexOptions, names: Sequence[str]) -> np.ndarray:
    """The AHP weights of ``options.ahp_matrix`` for the spec's indicators, refusing a
    matrix that is not positive and reciprocal, or inconsistent (CR > 0.1) unless
    ``ahp_allow_inconsistent``."""
    return ahp_index_result(options, names).weight


def ahp_index_result(options: IndexOptions, names: Sequence[str]) -> Any:
    """:func:`nqpf.weights.ahp_weights` of ``options.ahp_matrix`` for the spec's
    indicators (weights, λmax, CI, CR), after the checks of :func:`ahp_index_weights`
    (the app shows the consistency of an uploaded matrix before the index is run)."""
    a = _ahp_array(options.ahp_matrix, names)
    n = len(names)
    where = options.ahp_matrix if isinstance(options.ahp_matrix, str) else None
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        i, j = (int(k) for k in np.argwhere(~(np.isfinite(a) & (a > 0)))[0])
        raise InputError(
            f"AHP comparison ({names[i]}, {names[j]}) = {a[i, j]:g} is not a positive number",
            file=where,
            hint="use Saaty's scale 1/9 … 9 (1 on the diagonal)",
        )
    bad = np.abs(a * a.T - 1.0) > AHP_RECIPROCAL_TOLERANCE
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        what = "diagonal entry" if i == j else "matrix is not reciprocal"
        raise InputError(
            f"the AHP {what}: ({names[i]}, {names[j]}) = {a[i, j]:g} but "
            f"({names[j]}, {names[i]}) = {a[j, i]:g}",
            file=where,
            hint="set a_ji = 1/a_ij (and 1 on the diagonal); write 1/3 rather than 0.33",
        )
    if n > len(SAATY_RI):
        raise InputError(
            f"AHP with {n} indicators: Saaty's random index is tabulated up to {len(SAATY_RI)}",
            hint="compare at most 15 indicators, or weigh dimensions separately",
        )
    result = ahp_weights(a)
    if result.cr > AHP_MAX_CR and not options.ahp_allow_inconsistent:
        raise InputError(
            f"the AHP matrix is inconsistent: CR = {result.cr:.4f} > {AHP_MAX_CR} "
            f"(λmax = {result.lambda_max:.4f}, CI = {result.ci:.4f})",
            file=where,
            hint="revise the comparisons, or pass ahp_allow_inconsistent=True "
            "(--ahp-allow-inconsistent)",
        )
    return result


def _standardise_and_weigh(inp: IndexInput, options: IndexOptions) -> _Weighed:
    """Standardise and weigh each block (the panel, or each year under scope="year")."""
    raw = inp.raw
    given = None if options.weight_method != "user" else _user_weights(options.weights, inp.names)
    reference = _check_indicator_types(inp, options)
    if "ahp" in options.weight_methods_used:
        given = ahp_index_weights(options, inp.names)
    blocks, block_years = inp.blocks(options.scope)
    standardized = np.empty_like(raw, order="F")
    shifted = np.empty_like(raw, order="F")
    oriented = np.empty_like(raw, order="F")
    # per-row weights only when they vary by year; one vector otherwise
    weight_matrix = np.empty_like(raw, order="F") if options.scope == "year" else None
    out = _Weighed(standardized, shifted, np.empty(0), block_years, [], [], [])
    out.reference = reference
    for rows, block_year in zip(blocks, block_years, strict=True):
        where = "" if block_year is None else f" in {inp.panel.year} {block_year}"
        block = raw[rows]
        z, z_shifted, typed, out.benefit = _standardise_block(
            block, inp, options, where, block_year is not None, reference
        )
        if len(blocks) == 1:
            out.standardized, out.shifted, out.oriented = z, z_shifted, typed
        else:
            standardized[rows] = z
            shifted[rows] = z_shifted
            oriented[rows] = typed
            out.oriented = oriented
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
    """The matrix TOPSIS measures distances in, and which columns are benefit-oriented
    (the raw values with the indicator types applied, for ``vector`` and ``none``)."""
    names = inp.names
    if options.normalization == "minmax":
        return weighed.shifted, np.ones(len(names), dtype=bool)
    typed = inp.raw if weighed.oriented is None else weighed.oriented
    benefit = inp.spec.benefit if weighed.benefit is None else weighed.benefit
    if options.normalization == "vector":
        matrix = np.empty_like(typed, order="F")
        for rows in inp.blocks(options.scope)[0]:
            matrix[rows] = vector_normalize(typed[rows])
        return matrix, benefit
    return typed, benefit


def _given_points(inp: IndexInput, options: IndexOptions, which: str) -> np.ndarray | None:
    """The given ideal (``which="ideal"``) or anti-ideal points in the indicators' units,
    NaN where none: the option's mapping over the spec's column; None when none given."""
    values = inp.spec.field_values(which)
    mapping = options.ideal_point if which == "ideal" else options.anti_ideal_point
    for name, value in (mapping or {}).items():
        if name not in inp.names:
            raise InputError(
                f"{which}_point names '{name}', which is not an indicator of the spec",
                file=inp.spec.source,
                hint="indicators: " + ", ".join(inp.names[:12]),
            )
        values[inp.names.index(name)] = value
    return None if np.all(np.isnan(values)) else values


def _scaled_points(
    points: np.ndarray, inp: IndexInput, weighed: _Weighed, options: IndexOptions
) -> np.ndarray:
    """Given points on the TOPSIS matrix's scale: the indicator types, then the same
    standardisation and shift (``minmax``) or vector norm as the data of their block
    (one row per region-year under ``scope="year"``; a vector otherwise)."""
    missing = np.isnan(points)
    values = np.where(missing, 0.0, points)[None, :]
    blocks = inp.blocks(options.scope)[0]
    out = np.empty((len(blocks), len(points)))
    for k, rows in enumerate(blocks):
        reference = inp.raw[rows] if weighed.reference is None else weighed.reference
        typed, benefit = _orient(values, inp, options, reference)
        if options.normalization == "minmax":
            typed_reference = _orient(reference, inp, options, None)[0]
            z = standardize(typed, benefit, options.standardization, reference=typed_reference)
            out[k] = z[0] + options.shift
        elif options.normalization == "vector":
            data = weighed.oriented[rows] if weighed.oriented is not None else inp.raw[rows]
            for j in range(data.shape[1]):
                scale = power_of_two_scale(data[:, j])
                norm = np.sqrt(((data[:, j] / scale) ** 2).sum())
                out[k, j] = typed[0, j] / scale / norm
        else:
            out[k] = typed[0]
    out[:, missing] = np.nan
    if len(blocks) == 1:
        return out[0]
    per_row = np.empty((inp.raw.shape[0], len(points)))
    for k, rows in enumerate(blocks):
        per_row[rows] = out[k]
    return per_row


def _ideals(
    inp: IndexInput,
    weighed: _Weighed,
    options: IndexOptions,
    matrix: np.ndarray,
    oriented: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The ideal and anti-ideal points: the ``ideal`` rule, with given points in place of
    it where the spec or ``ideal_point``/``anti_ideal_point`` give them; a given point
    must be better than the other one."""
    names = inp.names
    if options.ideal == "absolute":
        best = np.full(len(names), 1.0 + options.shift)
        worst = np.full(len(names), options.shift)
    else:
        years = inp.years if options.ideal == "year" else None
        best, worst = ideal_points(matrix, oriented, years)
    given_best = _given_points(inp, options, "ideal")
    given_worst = _given_points(inp, options, "anti_ideal")
    if given_best is None and given_worst is None:
        return best, worst
    if given_best is not None:
        scaled = _scaled_points(given_best, inp, weighed, options)
        best = np.where(np.isnan(scaled), best, scaled)
    if given_worst is not None:
        scaled = _scaled_points(given_worst, inp, weighed, options)
        worst = np.where(np.isnan(scaled), worst, scaled)
    best, worst = np.broadcast_arrays(best, worst)
    for j, name in enumerate(names):
        if (given_best is None or np.isnan(given_best[j])) and (
            given_worst is None or np.isnan(given_worst[j])
        ):
            continue
        b, w = best[..., j], worst[..., j]
        wrong = np.any(b <= w) if oriented[j] else np.any(b >= w)
        if wrong:
            raise InputError(
                f"the ideal point of indicator '{name}' is not better than its anti-ideal "
                "point (given, or taken from the data)",
                file=inp.spec.source,
                column=name,
                hint="the ideal must be the better end: larger for a benefit indicator, "
                "smaller for a cost one, nearer the target for a moderate one",
            )
    return np.array(best), np.array(worst)


def _score_topsis(inp: IndexInput, weighed: _Weighed, options: IndexOptions) -> _Scored:
    """Closeness (TOPSIS, grey relational grade or grey TOPSIS) of the index and of every
    dimension, in one pass over the columns."""
    names = inp.names
    matrix, oriented = _topsis_matrix(inp, weighed, options)
    best, worst = _ideals(inp, weighed, options, matrix, oriented)
    dims = _dimension_indices(inp.spec)
    groups = [list(range(len(names))), *dims.values()]
    labels = ["the index", *(f"dimension '{d}'" for d in dims)]
    if options.method == "grey":
        grades = grey_grades_by_groups(matrix, weighed.weights, best, groups, rho=options.rho)
        _check_grades(grades, labels, inp)
        return _Scored(grades[0], None, None, dict(zip(dims, grades[1:], strict=True)))
    if options.method == "grey_topsis":
        overall, *parts = grey_topsis_by_groups(
            matrix,
            weighed.weights,
            best,
            worst,
            groups,
            rho=options.rho,
            share=options.grey_share,
            topsis=options.topsis,
            distance=options.distance,
            p=options.p,
        )
    else:
        overall, *parts = closeness_by_groups(
            matrix,
            weighed.weights,
            best,
            worst,
            groups,
            topsis=options.topsis,
            distance=options.distance,
            p=options.p,
        )
    _check_closeness(
        [overall, *parts],
        labels,
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


def _check_grades(grades: Sequence[np.ndarray], labels: Sequence[str], inp: IndexInput) -> None:
    """A grey relational grade is 0/0 when every value of the group equals its
    reference point (Δmax = 0): refuse it, naming the group."""
    for grade, label in zip(grades, labels, strict=True):
        if not np.all(np.isfinite(grade)):
            raise InputError(
                f"the grey relational grade of {label} is undefined: every value equals "
                "its ideal point (Δmax = 0), or a value overflows",
                file=inp.panel.source,
                hint="check that the indicators vary, or rescale them",
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

    The steps (docs/methods.md §2): indicator types applied (moderate, interval,
    cost conversions: :mod:`nqpf.indicator_types`), x' = standardised indicators
    (min–max by default, cost columns reversed; against a base year under ``base``),
    x'' = x' + a; entropy weights
    ej = −(1/ln n) Σr prj ln prj with prj = x''rj / Σr x''rj, dj = 1 − ej,
    wj = dj / Σ dj; TOPSIS closeness Cr = D⁻r / (D⁺r + D⁻r) with the weighted
    distances to the ideal and anti-ideal points (Hwang & Yoon 1981), or the grey
    relational grade (``method="grey"``, Deng 1982) or grey relational TOPSIS
    (``method="grey_topsis"``, Sun, Jiao & Hu 2005) (:mod:`nqpf.topsis`).

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
    weights, scope, shift, standardization, zero_log, method, topsis, ideal, normalization, missing,
    cost, base, distance, p, rho, grey_share, ideal_point, anti_ideal_point
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
