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
from nqpf.io import write_tables
from nqpf.options import IndexOptions, Method, Scope, takes_options
from nqpf.panel import IndicatorSpec, Panel, read_panel, read_spec
from nqpf.results import Result
from nqpf.topsis import closeness_by_groups, ideal_points, vector_normalize
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


def _ahp_from_file(path: str, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """A pairwise-comparison matrix file: a header of indicator names, and the names
    again as a first (text) column, or rows in the header's order."""
    from nqpf.io import read_table

    frame = read_table(path)
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


def _ahp_array(value: Any, names: Sequence[str]) -> np.ndarray:
    """The AHP option as a square float array in spec order."""
    source = value if isinstance(value, str) else None
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


def ahp_index_weights(options: IndexOptions, names: Sequence[str]) -> np.ndarray:
    """The AHP weights of ``options.ahp_matrix`` for the spec's indicators, refusing a
    matrix that is not positive and reciprocal, or inconsistent (CR > 0.1) unless
    ``ahp_allow_inconsistent``."""
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
    return result.weight


def _standardise_and_weigh(inp: IndexInput, options: IndexOptions) -> _Weighed:
    """Standardise and weigh each block (the panel, or each year under scope="year")."""
    raw = inp.raw
    given = None if options.weight_method != "user" else _user_weights(options.weights, inp.names)
    if "ahp" in options.weight_methods_used:
        given = ahp_index_weights(options, inp.names)
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
