"""σ-convergence: the cross-regional dispersion of a variable, year by year, and its trend.

σ-convergence holds when the dispersion across regions falls over time
(Sala-i-Martin 1996). Papers measure it with the coefficient of variation, the
standard deviation of logs or the Gini coefficient; all three are given here,
with the population (1/n) conventions that the regional literature uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from nqpf._frames import (
    check_bool,
    check_keys,
    column_name,
    internal_name,
    no_missing,
    numeric_values,
    output_name,
    require_columns,
    to_polars,
)
from nqpf.errors import InputError
from nqpf.weights import power_of_two_scale

__all__ = ["SIGMA_MEASURES", "sigma_convergence", "sigma_trend"]

#: The dispersion measures :func:`sigma_trend` tests by default.
SIGMA_MEASURES = ("sd", "cv", "sd_log", "gini")


def sigma_convergence(
    frame: Any,
    value: str,
    year: str,
    group: str | None = None,
    region: str | None = None,
    *,
    log: bool = True,
) -> pl.DataFrame:
    """Dispersion of ``value`` across regions in each year (and group).

    With x₁ … xₙ the values of one year (and group) and x̄ their mean:

    - sd = sqrt((1/n) Σ (xᵢ − x̄)²)  (population standard deviation)
    - cv = sd / x̄  (coefficient of variation, the usual σ of the NQPF papers)
    - sd_log = sqrt((1/n) Σ (ln xᵢ − mean ln x)²)  (Barro–Sala-i-Martin's σ)
    - gini = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄), computed in O(n log n) as
      Σₖ (2k − n − 1) x₍ₖ₎ / (n² x̄) over the sorted values.

    A fall of the measure over the years is σ-convergence; test its trend with
    :func:`sigma_trend`.

    Parameters
    ----------
    frame
        A polars (or pandas) frame, one row per region-year.
    value
        The column to measure (e.g. ``"score"``).
    year
        The period column.
    group
        Optional column: the measures within each group (e.g. East, Central, West).
    region
        Optional region column, used to refuse duplicate region-year rows.
    log
        Compute ``sd_log`` (needs values > 0). With ``log=False`` the column is null,
        for variables that can be 0.

    Returns
    -------
    polars.DataFrame
        ``<year>``, ``[<group>]``, ``n``, ``mean``, ``sd``, ``cv``, ``sd_log``, ``gini``,
        sorted by year (and group). The year and group columns keep their names; an
        output column whose name one of them has becomes ``nqpf_<name>``
        (:func:`measure_columns` gives the names).

    Raises
    ------
    InputError
        Missing or non-numeric values, negative values (Gini), values ≤ 0 with
        ``log=True``, a year (or group) whose mean is 0, duplicate region-year rows.

    References
    ----------
    Sala-i-Martin, X. (1996). The classical approach to convergence analysis.
    *Economic Journal* 106, 1019–1036.
    Barro, R. J., Sala-i-Martin, X. (2004). *Economic Growth*, 2nd ed., ch. 11.
    """
    df = to_polars(frame)
    column_name("value", value)
    column_name("year", year)
    column_name("group", group, optional=True)
    column_name("region", region, optional=True)
    log = check_bool("log", log)
    require_columns(df, [value, year, group, region])
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass the panel with its values")
    x = numeric_values(
        df,
        value,
        positive=log,
        nonnegative=True,
        why="sd_log takes logs (pass log=False to skip it)" if log else "a Gini needs x >= 0",
    )
    no_missing(df, [year, group])
    if region is not None:
        check_keys(df, [region, year])
    keys = [year] if group is None else [year, group]
    names = measure_columns(year, group)
    v_name = internal_name("value", keys)
    gsum = internal_name("gini_sum", keys)
    # each year's values as one list, reduced in row order: polars' grouped reductions
    # combine per-thread pieces in any order, and their last bit varied run to run
    # (see nqpf._frames.grouped)
    v = pl.col(v_name)
    e = pl.element()
    n = pl.len().cast(pl.Float64)
    k = pl.int_range(1, pl.len() + 1, dtype=pl.Int64).cast(pl.Float64)
    # sd, cv and the Gini are scale-free or scale with x: values near ±1e308 are
    # measured on 2⁻ᵏ·x (exact) so that no square or sum overflows, then scaled back
    scale = power_of_two_scale(x)
    scaled = x / scale if scale != 1.0 else x
    lists = (
        df.select(keys)
        .with_columns(pl.Series(v_name, scaled))
        .group_by(keys)
        .agg(v, pl.len().cast(pl.Int64).alias(names["n"]))
    )
    out = lists.select(
        *keys,
        names["n"],
        v.list.mean().alias(names["mean"]),
        v.list.std(ddof=0).alias(names["sd"]),
        (v.list.eval(e.log()).list.std(ddof=0) if log else pl.lit(None, dtype=pl.Float64)).alias(
            names["sd_log"]
        ),
        # Sorted-values form of the Gini mean difference (no O(n²) pair loop).
        v.list.eval((2.0 * k - n - 1.0) * e.sort()).list.sum().alias(gsum),
    ).sort(keys)
    zero = (out.get_column(names["mean"]) == 0).to_numpy()
    if zero.any():
        where = ", ".join(f"{c}={out.get_column(c)[int(np.flatnonzero(zero)[0])]!r}" for c in keys)
        raise InputError(
            f"the mean of '{value}' is 0 for {where}, so cv and Gini are undefined",
            column=value,
            hint="use a variable with a positive mean",
        )
    mean, sd, count = pl.col(names["mean"]), pl.col(names["sd"]), pl.col(names["n"])
    return out.select(
        *keys,
        count,
        mean * scale,
        sd * scale,
        (sd / mean).alias(names["cv"]),
        names["sd_log"],
        (pl.col(gsum) / (count.cast(pl.Float64) ** 2 * mean)).alias(names["gini"]),
    )


def measure_columns(year: str, group: str | None = None) -> dict[str, str]:
    """Output name → column of :func:`sigma_convergence`'s table for these key names.

    ``n``, ``mean``, ``sd``, ``cv``, ``sd_log``, ``gini`` keep their names unless the
    year or group column has one; that output column is then ``nqpf_<name>``.
    """
    keys = [year] if group is None else [year, group]
    out: dict[str, str] = {}
    for wanted in ("n", "mean", *SIGMA_MEASURES):
        out[wanted] = output_name(wanted, [*keys, *out.values()])
    return out


def sigma_trend(
    table: Any,
    year: str,
    group: str | None = None,
    measures: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Linear trend test of each dispersion measure: OLS of the measure on the year.

    For each measure m (and group), fits m_t = a + b·t + e_t by OLS over the years
    and reports the slope b, its classical standard error
    se = sqrt(Σ e²/(T − 2) / Σ (t − t̄)²), t = b/se and the two-sided p-value from
    Student's t with T − 2 degrees of freedom. A significantly negative slope is
    σ-convergence, a positive one σ-divergence. The errors of a yearly dispersion
    series are usually autocorrelated, which this classical test ignores; read the
    p-value as descriptive with few years.

    Parameters
    ----------
    table
        The output of :func:`sigma_convergence` (or any frame with a year column and
        the measure columns).
    year
        The year column (numeric).
    group
        The group column if the table has one: one trend per group.
    measures
        The columns to test; default the four measures of :func:`sigma_convergence`
        (``sd``, ``cv``, ``sd_log``, ``gini``, under the names
        :func:`measure_columns` gives for these keys). Columns that are entirely
        null (``sd_log`` with ``log=False``) are skipped.

    Returns
    -------
    polars.DataFrame
        ``[<group>]``, ``measure``, ``n_years``, ``slope``, ``se``, ``t``, ``p``, ``r2``
        (an output column the group column's name has becomes ``nqpf_<name>``);
        ``measure`` holds the measure's name (``sd``, …).

    Raises
    ------
    InputError
        Fewer than 3 years in a group (no degrees of freedom left), non-numeric years.
    """
    df = to_polars(table)
    column_name("year", year)
    column_name("group", group, optional=True)
    if measures is None:
        own = measure_columns(year, group)
        labels = {own[m]: m for m in SIGMA_MEASURES}
    else:
        if isinstance(measures, str):
            measures = [measures]
        if not isinstance(measures, Sequence):
            raise InputError(f"measures={measures!r} must be a list of column names")
        for m in measures:
            column_name("measure", m)
        labels = {m: m for m in measures}
    measures = list(labels)
    require_columns(df, [year, group])
    require_columns(df, measures, role="measure")
    parts = (
        {(): df}
        if group is None
        else df.sort(group).partition_by(group, as_dict=True, maintain_order=True)
    )
    rows = []
    for key, part in parts.items():
        t = numeric_values(part, year)
        for m in measures:
            if part.get_column(m).null_count() == part.height:
                continue
            y = numeric_values(part, m)
            if t.size < 3:
                raise InputError(
                    f"the trend of {m} needs at least 3 years, got {t.size}",
                    column=year,
                    hint="use a longer panel",
                )
            rows.append((key, labels[m], _trend(t, y)))
    stats = ["measure", "n_years", "slope", "se", "t", "p", "r2"]
    out_names: dict[str, str] = {}
    for wanted in stats:
        out_names[wanted] = output_name(wanted, [*([group] if group else []), *out_names.values()])
    records = [
        {
            **dict(zip([group] if group else [], key, strict=True)),
            out_names["measure"]: label,
            **{out_names[k]: v for k, v in result.items()},
        }
        for key, label, result in rows
    ]
    cols = ([group] if group else []) + [out_names[c] for c in stats]
    return pl.DataFrame(records).select(cols) if records else pl.DataFrame()


def _trend(t: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Slope of y on t with its classical OLS inference (T − 2 degrees of freedom)."""
    tc = t - t.mean()
    stt = float(tc @ tc)
    if stt == 0:
        raise InputError("all rows have the same year", hint="a trend needs several years")
    slope = float(tc @ (y - y.mean())) / stt
    resid = y - y.mean() - slope * tc
    dof = t.size - 2
    se = float(np.sqrt((resid @ resid) / dof / stt))
    if se > 0:
        tstat = slope / se
        from scipy import stats  # loaded when used: import nqpf stays light

        p = float(2 * stats.t.sf(abs(tstat), dof))
    elif slope != 0:  # an exact line: the slope is known without error
        tstat, p = float(np.copysign(np.inf, slope)), 0.0
    else:
        tstat, p = np.nan, np.nan
    syy = float((y - y.mean()) @ (y - y.mean()))
    return {
        "n_years": t.size,
        "slope": slope,
        "se": se,
        "t": tstat,
        "p": p,
        "r2": 1 - float(resid @ resid) / syy if syy > 0 else np.nan,
    }
