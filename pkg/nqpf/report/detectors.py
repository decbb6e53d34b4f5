"""The report's geographical-detector section (:func:`nqpf.geodetector` on the score).

Built only when :func:`nqpf.build_report` is given ``geodetector_factors``: the default
report neither runs nor imports it. The units are the panel's region-years; a factor is
a column carried with the scores (``keep=`` in :func:`nqpf.entropy_topsis`) or an
indicator of the index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from nqpf.errors import InputError

if TYPE_CHECKING:
    from nqpf.report.sections import Context, Part


def _units(ctx: Context, factors: tuple[str, ...]) -> pl.DataFrame:
    """The region-years with the score and each factor (from the scores, else from the
    index's indicator values)."""
    keys = [ctx.region, ctx.year]
    frame = ctx.scores.select(
        *keys, ctx.score, *(f for f in factors if f in ctx.scores.columns and f not in keys)
    )
    missing = [f for f in factors if f not in frame.columns]
    indicators = ctx.result.indicators
    if missing and indicators is not None:
        found = [f for f in missing if f in indicators.columns]
        if found:
            frame = frame.join(
                indicators.select(*keys, *found), on=keys, how="left", maintain_order="left"
            )
    absent = [f for f in factors if f not in frame.columns]
    if absent:
        raise InputError(
            f"no column '{absent[0]}' among the scores or the indicators",
            column=absent[0],
            hint="carry it with keep=[...] in entropy_topsis, or name an indicator",
        )
    return frame


def geodetector_section(ctx: Context) -> Part:
    """The factor detector (q, p) and the interaction detector of the score over the
    region-years, when ``geodetector_factors`` are given (module docstring)."""
    from nqpf.report.sections import Part

    part = Part()
    factors = ctx.geo_factors
    if not factors:
        return part
    from nqpf.geodetect import geodetector

    what = ctx.t("analysis.geodetector")
    found = part.attempt(
        what,
        lambda: geodetector(
            _units(ctx, factors), y=ctx.score, factors=list(factors), options=ctx.geo_options
        ),
    )
    if found is None:
        return part
    method = ctx.geo_options.discretization
    label = type(ctx.geo_options).info("discretization").choice_title(method, ctx.language)
    table = found.factor.select("factor", "method", "strata", "q", "p")
    part.tables.append(
        ctx.table(
            "geodetector",
            ctx.t("caption.geodetector"),
            table,
            ctx.t("note.geodetector", units=found.units, method=label),
        )
    )
    if found.interaction.height:
        part.tables.append(
            ctx.table(
                "geodetector_interaction",
                ctx.t("caption.geodetector_interaction"),
                found.interaction,
                ctx.t("note.geodetector_interaction"),
            )
        )
    top: Any = found.factor.row(0, named=True)
    part.lines.append(ctx.t("line.geodetector", factor=top["factor"], q=top["q"], p=top["p"]))
    return part
