"""The report's coupling coordination section: the index's own dimensions as the
subsystems (:func:`nqpf.coupling_coordination`, default options), when the index has
two or more dimensions.

Three tables — the mean C, T and D by year, the regions of the last year with their
grade and lagging dimensions, the number of regions per grade and year — and the chart
of D by year (overall and per group). Every number comes from :mod:`nqpf.coupling`;
this module only arranges it. An index of one dimension has nothing to couple: the
section is absent (not an analysis the panel failed, so it is not listed as not run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from nqpf.coupling import (
    COUPLING_LEVELS,
    CouplingResult,
    coupling_coordination,
    coupling_level,
    level_label,
)
from nqpf.options import CouplingOptions
from nqpf.report.charts import chart_trend
from nqpf.report.tables import wide_table

if TYPE_CHECKING:
    from nqpf.report.document import ReportTable
    from nqpf.report.sections import Context, Part


def coupling_part(ctx: Context, part: Part) -> Part:
    """Fill ``part`` with the coupling coordination of ``ctx.result``'s dimensions."""
    if len(ctx.result.dimensions) < 2:
        return part
    result = part.attempt(
        ctx.t("analysis.coupling"), lambda: coupling_coordination(ctx.result, group=ctx.group)
    )
    if result is None:
        return part
    systems = list(result.systems)
    formula = CouplingOptions.info("formula").choice_title(result.options.formula, ctx.language)
    separator = "、" if ctx.language == "zh" else ", "
    part.tables.append(
        ctx.table(
            "coupling_by_year",
            ctx.t("caption.coupling_by_year"),
            result.by_year,
            ctx.t("note.coupling", systems=separator.join(systems), formula=formula),
        )
    )
    part.tables.append(_regions_table(ctx, result, systems))
    part.tables.append(_levels_table(ctx, result))
    part.figures["coupling"] = (
        "coupling_by_year",
        chart_trend(
            result.coupling,
            ctx.year,
            ctx.group,
            result.column("D"),
            order=ctx.order,
            title=ctx.t("chart.coupling.title"),
            ylabel=ctx.t("chart.coupling.y"),
            overall=ctx.t("chart.trend.all"),
            missing=ctx.t("chart.missing"),
        ),
    )
    last = result.by_year.filter(pl.col(ctx.year) == ctx.last_year)
    if last.height:
        d = float(last.get_column("mean_D")[0])
        grade = level_label(int(coupling_level([d])[0]), ctx.language)
        part.lines.append(ctx.t("line.coupling", d=d, year=ctx.last_year, grade=grade))
    return part


def _grades(language: str) -> dict[str, str]:
    """English grade → its text in ``language`` (from :data:`COUPLING_LEVELS`)."""
    return {en: (zh if language == "zh" else en) for _, en, zh in COUPLING_LEVELS}


def _regions_table(ctx: Context, result: CouplingResult, systems: list[str]) -> ReportTable:
    """The last year's regions, best D first: the dimension scores, C, T, D, level,
    grade and the lagging dimensions."""
    column = result.column
    # no group column: the chart shows the groups, and eleven columns with a long group
    # name would not fit the page
    frame = (
        result.coupling.filter(pl.col(ctx.year) == ctx.last_year)
        .select(
            ctx.region,
            *systems,
            *(column(x) for x in ("C", "T", "D", "level", "grade")),
            pl.col(column("lagging")).fill_null("synchronous"),
        )
        .sort(column("D"), descending=True)
    )
    grades = _grades(ctx.language)
    return ctx.table(
        "coupling_regions",
        ctx.t("caption.coupling_regions", year=ctx.last_year),
        frame,
        ctx.t(
            "note.coupling_regions",
            low=result.options.lag_low,
            high=result.options.lag_high,
        ),
        keep=systems,
        cells={column("grade"): lambda v: grades.get(v, v)},
    )


def _levels_table(ctx: Context, result: CouplingResult) -> ReportTable:
    """Regions per grade (columns, in level order) and year (rows); 0 where none."""
    column = result.column
    levels = result.levels
    order = [en for _, en, _ in COUPLING_LEVELS]
    wide = wide_table(levels, ctx.year, column("grade"), column("n"), order=order)
    present = [c for c in wide.columns if c != ctx.year]
    wide = wide.with_columns(pl.col(present).fill_null(0))
    grades = _grades(ctx.language)
    return ctx.table(
        "coupling_levels",
        ctx.t("caption.coupling_levels"),
        wide,
        headers={g: grades[g] for g in present if g in grades},
    )
