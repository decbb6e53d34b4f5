"""Coupling coordination degree of n subsystems, region by region and year by year.

For the scores U₁ … Uₙ ∈ [0, 1] of n ≥ 2 subsystems in one region-year
(docs/methods.md, coupling coordination):

- coupling degree, ``formula="classic"`` (the model as the Chinese literature writes
  it, e.g. 廖重斌 1999 for two systems; its normative n-system form in Wang et al.
  2021, eq. 1): C = n·[Π Uᵢ / (Σ Uᵢ)ⁿ]^{1/n}, the geometric mean of the Uᵢ over their
  arithmetic mean (two systems: C = 2√(U₁U₂)/(U₁ + U₂));
- coupling degree, ``formula="corrected"`` (Wang et al. 2021, the modified model):
  C = √{ [1 − Σ_{i>j} √((Uᵢ − Uⱼ)²) / Σ_{m=1}^{n−1} m] · [Π (Uᵢ / max U)]^{1/(n−1)} }:
  one minus the mean absolute difference over the n(n−1)/2 pairs, times the geometric
  mean of the n − 1 ratios to the largest score (the largest contributes 1); two
  systems: C = √[(1 − |U₁ − U₂|)·U_min/U_max]. The classic C is scale-free (U and
  2U couple equally, and two systems at 0.01 and 0.02 couple at 0.94); the corrected
  C falls with the gap between the systems' levels and spreads over [0, 1];
- comprehensive coordination index T = Σ αᵢ Uᵢ (α declared, default 1/n each, Σ α = 1);
- coupling coordination degree D = √(C·T), graded into ten levels of width 0.1
  (:data:`COUPLING_LEVELS`: 极度失调 [0, 0.1) … 优质协调 [0.9, 1]);
- relative development degree: two systems E = U₁/U₂, the first system lagging when
  E ≤ ``lag_low`` (0.8), the second when E > ``lag_high`` (1.2), synchronous between;
  n > 2 systems Rᵢ = Uᵢ / Ū (Ū the mean of the n scores), system i lagging when
  Rᵢ ≤ ``lag_low``, synchronous when none is.

References
----------
王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021). 国内耦合协调度模型的误区及修正.
《自然资源学报》 36(3), 793–810. doi:10.31497/zrzyxb.20210319
廖重斌 (1999). 环境与经济协调发展的定量评判及其分类体系. 《热带地理》 19(2), 171–177.
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
    no_missing,
    numeric_values,
    output_name,
    require_columns,
    to_polars,
)
from nqpf.errors import InputError
from nqpf.options import CouplingOptions, takes_options
from nqpf.results import Result

__all__ = [
    "COUPLING_LEVELS",
    "CouplingResult",
    "coupling_classic",
    "coupling_coordination",
    "coupling_corrected",
    "coupling_level",
    "grading_table",
]

#: The ten grades of D: (lower bound, English, Chinese); level k (1-based) is
#: [lower_k, lower_{k+1}), the last [0.9, 1] (the usual table, e.g. 廖重斌 1999).
COUPLING_LEVELS: tuple[tuple[float, str, str], ...] = (
    (0.0, "extreme imbalance", "极度失调"),
    (0.1, "serious imbalance", "严重失调"),
    (0.2, "moderate imbalance", "中度失调"),
    (0.3, "mild imbalance", "轻度失调"),
    (0.4, "on the verge of imbalance", "濒临失调"),
    (0.5, "barely coordinated", "勉强协调"),
    (0.6, "primary coordination", "初级协调"),
    (0.7, "intermediate coordination", "中级协调"),
    (0.8, "good coordination", "良好协调"),
    (0.9, "high-quality coordination", "优质协调"),
)


def coupling_level(d: Any) -> np.ndarray:
    """The level 1 … 10 of each D: the number of lower bounds of
    :data:`COUPLING_LEVELS` that D reaches (D ≥ 0.1 is level 2 or above, as the table's
    decimal bounds read)."""
    bounds = np.array([low for low, _, _ in COUPLING_LEVELS[1:]])
    return np.searchsorted(bounds, np.asarray(d, dtype=float), side="right") + 1


def level_label(level: int, language: str = "en") -> str:
    """The grade of level 1 … 10 in ``language`` ("en" or "zh")."""
    _, en, zh = COUPLING_LEVELS[int(level) - 1]
    return zh if language == "zh" else en


def grading_table() -> pl.DataFrame:
    """The ten levels: level, lower, upper (the last closed), grade (English), grade_zh."""
    lows = [low for low, _, _ in COUPLING_LEVELS]
    return pl.DataFrame(
        {
            "level": list(range(1, len(lows) + 1)),
            "lower": lows,
            "upper": [*lows[1:], 1.0],
            "grade": [en for _, en, _ in COUPLING_LEVELS],
            "grade_zh": [zh for _, _, zh in COUPLING_LEVELS],
        }
    )


def coupling_classic(u: np.ndarray) -> np.ndarray:
    """C = n·[Π Uᵢ / (Σ Uᵢ)ⁿ]^{1/n} of each row of ``u`` (rows × n, not all 0).

    Computed on the ratios vᵢ = Uᵢ / max U (C is homogeneous of degree 0), as
    (Π vᵢ)^{1/n} / mean v: no product underflows, and equal scores give vᵢ = 1, so
    C = 1 exactly. AM ≥ GM bounds C by 1; the last bit of rounding is clipped to it.
    """
    v = u / u.max(axis=1, keepdims=True)
    n = u.shape[1]
    c = np.prod(v, axis=1) ** (1.0 / n) / v.mean(axis=1)
    return np.minimum(c, 1.0)


def coupling_corrected(u: np.ndarray) -> np.ndarray:
    """C = √{[1 − Σ_{i>j} |Uᵢ − Uⱼ| / Σ_{m=1}^{n−1} m]·[Π (Uᵢ / max U)]^{1/(n−1)}}
    of each row of ``u`` (rows × n, not all 0; Wang et al. 2021, the modified model).

    Σ_{m=1}^{n−1} m = n(n−1)/2 is the number of pairs, so the first factor is one minus
    the mean absolute pairwise difference (in [0, 1] for U in [0, 1]).
    """
    n = u.shape[1]
    i, j = np.triu_indices(n, k=1)
    spread = np.abs(u[:, i] - u[:, j]).sum(axis=1) / (n * (n - 1) / 2)
    v = u / u.max(axis=1, keepdims=True)
    ratios = np.prod(v, axis=1) ** (1.0 / (n - 1))
    return np.sqrt(np.clip(1.0 - spread, 0.0, 1.0) * ratios)


_FORMULAS = {"classic": coupling_classic, "corrected": coupling_corrected}


@dataclass(frozen=True)
class CouplingResult(Result):
    """Coupling coordination of n subsystems by region-year.

    Attributes
    ----------
    coupling
        region, year, [group], each system's score U, C, T, D, level (1 … 10), grade
        (English; :func:`level_label` gives the Chinese), the relative development
        (E for two systems, R_<system> for more) and ``lagging`` (the lagging
        systems, comma-separated; null when synchronous). An output column whose name
        a key or a system already has is namespaced (``nqpf_C``): see :attr:`columns`.
    by_year
        year, n and the mean C, T and D.
    by_group
        year, group, n and the mean C, T and D (None without ``group``).
    levels
        the level distribution by year: year, level, grade, n, share (of the year's
        regions).
    grading
        the ten levels with their bounds and grades in both languages.
    """

    main_table: ClassVar[str] = "coupling"
    title: ClassVar[str] = "Coupling coordination degree"

    coupling: pl.DataFrame
    by_year: pl.DataFrame
    levels: pl.DataFrame
    systems: tuple[str, ...]
    region: str
    year: str
    group: str | None = None
    by_group: pl.DataFrame | None = None
    options: CouplingOptions = field(default_factory=CouplingOptions)
    #: Output name (C, T, D, level, grade, E, lagging, n, share) → its actual name.
    columns: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def tables(self) -> dict[str, pl.DataFrame]:
        out = {"coupling": self.coupling, "by_year": self.by_year}
        if self.by_group is not None:
            out["by_group"] = self.by_group
        return {**out, "levels": self.levels, "grading": grading_table()}

    def summary(self) -> str:
        c, d = self.column("C"), self.column("D")
        last = self.by_year.get_column(self.year).max()
        rows = self.coupling.filter(pl.col(self.year) == last)
        dist = (
            self.levels.filter(pl.col(self.year) == last)
            .sort(self.column("level"))
            .iter_rows(named=True)
        )
        lines = [
            f"{self.title}: {len(self.systems)} systems ({', '.join(self.systems)}), "
            f"formula={self.options.formula}, {self.coupling.height} region-years",
            f"{last}: mean C {rows.get_column(c).mean():.4f}, mean D "
            f"{rows.get_column(d).mean():.4f}",
            "levels in "
            + f"{last}: "
            + "; ".join(
                f"{r[self.column('level')]} {r[self.column('grade')]}: {r[self.column('n')]}"
                for r in dist
            ),
        ]
        return "\n".join(lines)


def _systems_of_result(result: Any, systems: Any) -> tuple[pl.DataFrame, dict[str, str], Any]:
    """The scores of an :class:`~nqpf.index.IndexResult`, system → its column (default:
    the index's dimensions) and the frame that indicator lists are read from."""
    frame = result.scores
    dims = dict(result.dimension_columns)
    if systems is None:
        if len(dims) < 2:
            raise InputError(
                f"the index has {len(dims)} dimension, so there is nothing to couple",
                hint="give the index a spec with ≥ 2 dimensions, or name systems=[...]",
            )
        return frame, dims, None
    if isinstance(systems, Mapping):
        return result.indicators, {}, systems
    return frame, {s: dims.get(s, s) for s in _names(systems)}, None


def _names(systems: Any) -> list[str]:
    if isinstance(systems, str):
        systems = [s.strip() for s in systems.split(",") if s.strip()]
    if not isinstance(systems, Sequence) or not all(isinstance(s, str) for s in systems):
        raise InputError(
            "systems= must be a list of column names (or a mapping system → indicators)",
            hint="e.g. systems=['nqpf', 'digital', 'green']",
        )
    return list(systems)


def _score_systems(
    frame: Any, systems: Mapping[str, Any], region: str, year: str
) -> tuple[pl.DataFrame, dict[str, str]]:
    """Each subsystem's index (:func:`nqpf.entropy_topsis`, default options) from its
    indicator columns (or an :class:`~nqpf.panel.IndicatorSpec`), joined by region-year."""
    from nqpf.index import entropy_topsis
    from nqpf.panel import IndicatorSpec

    out: pl.DataFrame | None = None
    columns: dict[str, str] = {}
    for name, indicators in systems.items():
        spec = indicators
        if not isinstance(spec, IndicatorSpec):
            spec = IndicatorSpec.from_names(_names(indicators))
        if len(spec.names) < 2:
            raise InputError(
                f"subsystem '{name}' has {len(spec.names)} indicator"
                + (f" ('{spec.names[0]}')" if spec.names else ""),
                hint="an index of one indicator is only its rescaled value: give the "
                "subsystem ≥ 2 indicators, or pass its score as a column in systems=[...]",
            )
        result = entropy_topsis(frame, spec, region=region, year=year)
        key = f"\x00{name}"
        scores = result.scores.select(region, year, pl.col(result.score_column).alias(key))
        out = scores if out is None else out.join(scores, on=[region, year], how="inner")
        columns[str(name)] = key
    assert out is not None
    return out, columns


def _values(df: pl.DataFrame, columns: Mapping[str, str]) -> np.ndarray:
    """The systems' scores (rows × n), each a number in [0, 1] (else one line naming the
    column and row)."""
    out = []
    for system, col in columns.items():
        shown = col if not col.startswith("\x00") else system
        try:
            x = numeric_values(df, col, what="score")
        except InputError as error:
            raise InputError(error.what, row=error.row, column=shown, hint=error.hint) from None
        bad = (x < 0) | (x > 1)
        if bad.any():
            r = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"score {x[r]:g} of system '{system}' is outside [0, 1]",
                row=r + 1,
                column=shown,
                hint="coupling needs subsystem scores in [0, 1]: use index scores or "
                "min–max standardise the column",
            )
        out.append(x)
    return np.column_stack(out)


def _alpha(options: CouplingOptions, systems: Sequence[str]) -> np.ndarray:
    """α in the systems' order (equal when None); its count or names must match."""
    n = len(systems)
    alpha = options.alpha
    if alpha is None:
        return np.full(n, 1.0 / n)
    if isinstance(alpha, Mapping):
        unknown = [k for k in alpha if k not in systems]
        missing = [s for s in systems if s not in alpha]
        if unknown or missing:
            what = (
                f"alpha names an unknown system {unknown[0]!r}"
                if unknown
                else f"alpha gives no weight to system {missing[0]!r}"
            )
            raise InputError(what, hint="give one α per system: " + ", ".join(systems))
        return np.array([alpha[s] for s in systems])
    if len(alpha) != n:
        raise InputError(
            f"alpha has {len(alpha)} values for {n} systems",
            hint="give one α per system, in order: " + ", ".join(systems),
        )
    return np.array(alpha)


def _all_zero(
    df: pl.DataFrame, u: np.ndarray, region: str, year: str, options: CouplingOptions
) -> np.ndarray:
    """Rows whose systems are all 0 (C is 0/0): refused (``zeros="error"``) naming the
    first, or marked to be set to 0."""
    zero = ~(u > 0).any(axis=1)
    if zero.any() and options.zeros == "error":
        r = int(np.flatnonzero(zero)[0])
        raise InputError(
            f"every system is 0 for {region}={df[region][r]!r}, {year}={df[year][r]!r} "
            f"({int(zero.sum())} region-year(s)), so C = 0/0 is undefined",
            row=r + 1,
            hint="drop those rows, shift the scores above 0 (the index's shift a), or "
            "pass zeros='zero' to count them as C = D = 0",
        )
    return zero


def _relative(
    u: np.ndarray, systems: Sequence[str], options: CouplingOptions
) -> tuple[dict[str, np.ndarray], list[str | None]]:
    """The relative development degree and the lagging systems of each row (see the
    module docstring: E = U₁/U₂ for two systems, Rᵢ = Uᵢ/Ū for more)."""
    if len(systems) == 2:
        a, b = u[:, 0], u[:, 1]
        e = np.divide(a, b, out=np.full(len(a), np.nan), where=b > 0)
        first = (b > 0) & (e <= options.lag_low)
        second = (a > 0) & ((b == 0) | (e > options.lag_high))
        lag = [
            systems[0] if f else systems[1] if s else None
            for f, s in zip(first, second, strict=True)
        ]
        return {"E": e}, lag
    mean = u.mean(axis=1, keepdims=True)
    r = np.divide(u, mean, out=np.full(u.shape, np.nan), where=mean > 0)
    lags = (r <= options.lag_low) & (mean > 0)
    lag = [",".join(s for s, x in zip(systems, row, strict=True) if x) or None for row in lags]
    return {f"R_{s}": r[:, k] for k, s in enumerate(systems)}, lag


@takes_options(CouplingOptions)
def coupling_coordination(
    frame: Any,
    systems: Sequence[str] | Mapping[str, Any] | None = None,
    *,
    region: str | None = None,
    year: str | None = None,
    group: str | None = None,
    options: CouplingOptions,
) -> CouplingResult:
    """Coupling degree C, coordination index T, coordination degree D = √(C·T), its
    level and the relative development of n ≥ 2 subsystems, by region-year.

    The formulas are in the module docstring (:mod:`nqpf.coupling`): ``formula``
    picks the classic C (default: the model most papers report, so that the numbers
    compare with theirs) or the corrected C of Wang et al. (2021), which does not
    rate two equally poor systems as well coupled.

    Parameters
    ----------
    frame
        A polars/pandas frame with one row per region-year, or an
        :class:`~nqpf.index.IndexResult` (its scores; default systems: the index's
        dimension scores, region and year its own).
    systems
        Column names holding each subsystem's score U ∈ [0, 1] (dimension names of an
        IndexResult), or a mapping system → its indicator columns (or an
        :class:`~nqpf.panel.IndicatorSpec`): each subsystem is then scored by
        :func:`nqpf.entropy_topsis` with default options.
    region, year
        The key columns (default ``region``, ``year``).
    group
        Optional column carried into the table and the means by year (e.g. 东部/中部/西部).
    formula, alpha, lag_low, lag_high, zeros
        :class:`nqpf.options.CouplingOptions` (also as ``options=``).

    Returns
    -------
    CouplingResult

    Raises
    ------
    InputError
        Fewer than 2 systems, a missing or non-numeric system column, a score outside
        [0, 1], α not one per system or not summing to 1, a subsystem of one indicator,
        a region-year whose systems are all 0 (unless ``zeros="zero"``), duplicate
        region-years.
    """
    from nqpf.index import IndexResult

    if isinstance(frame, IndexResult):
        if region is not None or year is not None:
            raise InputError(
                "an index result has its own region and year columns",
                hint="leave region= and year= out",
            )
        region, year = frame.region, frame.year
        df, columns, indicators = _systems_of_result(frame, systems)
        if indicators is not None:
            df, columns = _score_systems(df, indicators, region, year)
    else:
        region = column_name("region", region or "region")
        year = column_name("year", year or "year")
        if systems is None:
            raise InputError("no systems given", hint="name ≥ 2 score columns: systems=['a', 'b']")
        df = to_polars(frame)
        if isinstance(systems, Mapping):
            df, columns = _score_systems(df, systems, region, year)
        else:
            columns = {s: s for s in _names(systems)}
    assert region is not None
    assert year is not None
    return _coupling(df, columns, region, year, column_name("group", group, optional=True), options)


def _means(table: pl.DataFrame, by: list[str], names: Mapping[str, str]) -> pl.DataFrame:
    """n and the mean C, T and D of each ``by`` cell (:func:`nqpf._frames.grouped`: in
    row order, the same bits on every run)."""
    out = grouped(
        table.group_by(by, maintain_order=True),
        {f"mean_{x}": (names[x], "mean") for x in ("C", "T", "D")},
        pl.len().cast(pl.Int64).alias(names["n"]),
    ).sort(by)
    return out.select(*by, names["n"], *(f"mean_{x}" for x in ("C", "T", "D")))


def _coupling(
    df: pl.DataFrame,
    columns: dict[str, str],
    region: str,
    year: str,
    group: str | None,
    options: CouplingOptions,
) -> CouplingResult:
    """The computation once the systems' columns are known."""
    systems = list(columns)
    if len(systems) < 2:
        raise InputError(
            f"coupling needs at least 2 systems, got {len(systems)}",
            hint="name ≥ 2 score columns: systems=['a', 'b']",
        )
    if len(set(columns.values())) < len(systems):
        raise InputError("a system is named twice", hint="name each system's column once")
    for system in systems:
        if system in (region, year, group):
            raise InputError(
                f"system '{system}' has the name of a key column",
                hint="rename the system or the region/year/group column",
            )
    require_columns(df, [region, year, group, *columns.values()])
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass the systems' scores")
    no_missing(df, [region, year, group])
    check_keys(df, [region, year])
    u = _values(df, columns)
    alpha = _alpha(options, systems)
    zero = _all_zero(df, u, region, year, options)
    c = np.zeros(len(u))
    ok = ~zero
    if ok.any():
        c[ok] = _FORMULAS[options.formula](u[ok])
    t = u @ alpha
    d = np.sqrt(c * t)
    level = coupling_level(d)
    relative, lagging = _relative(u, systems, options)
    keys = [region, year, *([group] if group else [])]
    taken = set(keys) | set(systems)
    wanted = ["C", "T", "D", "level", "grade", *relative, "lagging", "n", "share"]
    names = {w: output_name(w, taken) for w in wanted}
    table = (
        df.select(keys)
        .with_columns(
            *(pl.Series(s, u[:, k]) for k, s in enumerate(systems)),
            pl.Series(names["C"], c),
            pl.Series(names["T"], t),
            pl.Series(names["D"], d),
            pl.Series(names["level"], level, dtype=pl.Int64),
            pl.Series(names["grade"], [level_label(k) for k in level], dtype=pl.String),
            *(pl.Series(names[k], v).fill_nan(None) for k, v in relative.items()),
            pl.Series(names["lagging"], lagging, dtype=pl.String),
        )
        .sort(year, region)
    )  # checked in the input's order (errors name its rows), shown sorted
    by_year = _means(table, [year], names)
    by_group = _means(table, [year, group], names) if group else None
    levels = (
        table.group_by(year, names["level"], names["grade"])
        .agg(pl.len().cast(pl.Int64).alias(names["n"]))
        .with_columns(
            (pl.col(names["n"]) / pl.col(names["n"]).sum().over(year)).alias(names["share"])
        )
        .sort(year, names["level"])
    )
    return CouplingResult(
        coupling=table,
        by_year=by_year,
        by_group=by_group,
        levels=levels,
        systems=tuple(systems),
        region=region,
        year=year,
        group=group,
        options=options,
        columns={k: v for k, v in names.items() if k != v},
    )
