"""The entry point, :func:`validate` (also :func:`compare`), in named steps.

prepare the panel and spec → nqpf's index → nqpf's decomposition of its score →
which routines can run → each registered adapter adds its rows → the report.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import polars as pl

from nqpf import rbridge
from nqpf._frames import check_bool, check_real, column_name, internal_name
from nqpf.crossval.context import Run
from nqpf.crossval.registry import INDEX_SECTIONS, adapters, routine_names
from nqpf.crossval.report import CrossValReport
from nqpf.crossval.rows import DEFAULT_TOLERANCE, Rows
from nqpf.crossval.spatial import SpatialRun, check_section
from nqpf.dagum import DagumResult, dagum_gini
from nqpf.errors import InputError
from nqpf.index import IndexResult, default_spec, entropy_topsis, prepare_index
from nqpf.options import IndexOptions, takes_options
from nqpf.panel import IndicatorSpec, Panel, read_panel, read_spec
from nqpf.spatial.autocorrelation import check_call

__all__ = ["compare", "validate"]

REFERENCE = "r/nqpf_reference.R"


@takes_options(IndexOptions)
def validate(
    panel: Panel | Any,
    spec: IndicatorSpec | str | os.PathLike[str] | Any | None = None,
    *,
    group: str | None = None,
    by: str | None = None,
    dagum_weights: str | None = None,
    region: str | None = None,
    year: str | None = None,
    routines: Sequence[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    detail: bool = False,
    spatial_weights: Any = None,
    options: IndexOptions,
) -> CrossValReport:
    """Compare every number of an nqpf index run (and its Dagum decomposition) with R.

    Parameters
    ----------
    panel, spec, region, year
        As for :func:`nqpf.entropy_topsis`. Without a spec, the numeric columns
        other than ``group``, ``by`` and ``dagum_weights`` are the indicators.
    group
        Group column for the Dagum decomposition of the index score; without
        it the decomposition is not checked.
    by
        Column to slice the decomposition by (default: the panel's year column).
    dagum_weights
        Optional column of unit weights for the decomposition (Hmisc and ineq
        take none and are then skipped).
    weights, scope, shift, standardization, zero_log, method, topsis, ideal, normalization, missing
        The index options (:class:`nqpf.options.IndexOptions`), as keywords or as
        ``options=``; the R reference is run with the same ones.
    routines
        Restrict to these routines (names as in :data:`nqpf.crossval.ROUTINES`,
        or their R package: ``"laeken"``, ``"reference"``, …). Default: all.
    tolerance
        Relative tolerance (default 1e-10); see :mod:`nqpf.crossval`.
    detail
        One row per value instead of one summary row per quantity × routine.
    spatial_weights
        A :class:`nqpf.spatial.SpatialWeights` over the panel's regions: the spatial
        statistics of the index score by year (Moran, Geary, Getis–Ord G, local
        Moran, Gi / Gi*) are then compared with spdep, and its spatial
        β-convergence (SAR, SEM, SDM) with spatialreg (:mod:`nqpf.crossval.spatial`);
        without it those routines are listed as skipped.

    Returns
    -------
    CrossValReport

    Raises
    ------
    InputError
        For bad input or options (the same checks as the index), an unknown
        routine name or a missing group column. A missing R is *not* an error:
        every R row is then skipped with the one-line reason.
    """
    tolerance = check_real("tolerance", tolerance, low=0.0, low_open=True, hint="e.g. 1e-10")
    detail = check_bool("detail", detail)
    for role, column in (("group", group), ("by", by), ("dagum_weights", dagum_weights)):
        column_name(role, column, optional=True)
    wanted = select_routines(routines)
    panel = _panel(panel, region, year, group, by, dagum_weights)
    by = panel.year if by is None else by
    if spec is None:
        spec = default_spec(panel, [c for c in (group, by, dagum_weights) if c is not None])
    else:
        spec = read_spec(spec)
    # read and validated once: every index run of this validation starts from it
    prepared = prepare_index(panel, spec, keep=[], missing=options.missing)
    result = entropy_topsis(prepared, options=options)
    dagum_frame, value_column, decomposition = _decomposition(
        panel, result, group, by, dagum_weights
    )
    used, reason, status = routine_status(wanted)
    run = Run(
        panel=panel,
        spec=spec,
        options=options,
        result=result,
        data=prepared.data,
        prepared=prepared,
        status=status,
        group=group,
        by=by,
        dagum_weights=dagum_weights,
        dagum=decomposition,
        dagum_frame=dagum_frame,
        value_column=value_column or "score",
    )
    rows = Rows(tolerance, detail)
    for adapter in adapters("index"):
        adapter.check(rows, run)
    if decomposition is not None:
        for adapter in adapters("dagum"):
            adapter.check(rows, run)
    check_section(rows, _spatial_run(panel, result, spatial_weights, status))
    return CrossValReport(
        table=rows.frame(),
        routines=used,
        options=options,
        r_available=reason is None,
        r_reason=reason,
        index=result,
        dagum=decomposition,
        tolerance=tolerance,
        group=group,
        by=by,
        dagum_weights=dagum_weights,
    )


def _spatial_run(
    panel: Panel, result: IndexResult, weights: Any, status: dict[str, str | None]
) -> SpatialRun:
    """The index score by year, for the spatial adapters (no frame without weights)."""
    if weights is None:
        return SpatialRun(None, "score", panel.region, panel.year, None, status)
    frame = result.scores.select(panel.region, panel.year, result.score_column)
    check_call(frame, result.score_column, panel.region, panel.year, weights, "r", "keep")
    return SpatialRun(frame, result.score_column, panel.region, panel.year, weights, status)


#: The former name of :func:`validate` (the same function). ``nqpf.compare`` is the
#: module comparing two index runs; ``validate`` matches the CLI's ``nqpf validate``.
compare = validate


def _panel(
    panel: Panel | Any,
    region: str | None,
    year: str | None,
    group: str | None,
    by: str | None,
    dagum_weights: str | None,
) -> Panel:
    """The panel, read if needed, with the named columns present and no missing group."""
    if not isinstance(panel, Panel):
        panel = read_panel(panel, region=region or "region", year=year or "year")
    by = panel.year if by is None else by
    for name, column in (("group", group), ("by", by), ("dagum_weights", dagum_weights)):
        if column is not None and column not in panel.frame.columns:
            raise InputError(
                f"no column named '{column}' (given as {name})",
                file=panel.source,
                column=column,
                hint="panel columns: " + ", ".join(panel.frame.columns[:12]),
            )
    if group is not None and panel.data.get_column(group).null_count():
        position = int(panel.data.get_column(group).is_null().arg_true()[0])
        # the panel's own row-number column (named so that it meets no user column)
        row_column = getattr(panel, "row_column", "__nqpf_row__")
        numbers = panel.data.get_column(row_column) if row_column in panel.data.columns else None
        raise InputError(
            "missing group label",
            file=panel.source,
            row=None if numbers is None else int(numbers[position]),
            column=group,
            hint="fill it, or drop the row",
        )
    return panel


def _decomposition(
    panel: Panel,
    result: IndexResult,
    group: str | None,
    by: str,
    dagum_weights: str | None,
) -> tuple[pl.DataFrame | None, str | None, DagumResult | None]:
    """nqpf's Dagum decomposition of the index score by ``group`` (None without one):
    the frame decomposed, the score's column name in it, the result."""
    if group is None:
        return None, None, None
    carried = list(dict.fromkeys(c for c in (group, by, dagum_weights) if c is not None))
    carried = [c for c in carried if c not in {panel.region, panel.year}]
    # the index score under a helper name: a group (or by) column called "score"
    # is the caller's column and is decomposed by, never replaced by the score
    value_column = internal_name("score", [panel.region, panel.year, *carried])
    frame = result.scores.select(
        panel.region, panel.year, pl.col(result.score_column).alias(value_column)
    ).join(
        panel.frame.select(panel.region, panel.year, *carried),
        on=[panel.region, panel.year],
        how="left",
    )
    decomposition = dagum_gini(frame, value_column, group, by=by, weights=dagum_weights)
    return frame, value_column, dataclasses.replace(decomposition, value="score")


def routine_status(
    wanted: set[str], sections: tuple[str, ...] = INDEX_SECTIONS
) -> tuple[pl.DataFrame, str | None, dict[str, str | None]]:
    """The rows of :func:`nqpf.rbridge.routines` of the routines registered in
    ``sections``, the reason R cannot run (or None), and routine → None (usable), a
    reason, or "not requested"."""
    table = rbridge.routines()
    used = table.filter(pl.col("routine").is_in(list(routine_names(sections))))
    reason = rbridge.unavailable_reason()
    status: dict[str, str | None] = {}
    for row in used.iter_rows(named=True):
        if row["routine"] not in wanted:
            status[row["routine"]] = "not requested"
        elif reason is not None:
            status[row["routine"]] = reason
        else:
            status[row["routine"]] = None if row["status"] == "ok" else row["reason"]
    return used, reason, status


def select_routines(
    routines: Sequence[str] | None, sections: tuple[str, ...] = INDEX_SECTIONS
) -> set[str]:
    """The routine names of ``sections`` chosen by ``routines`` (names or package names;
    all by default)."""
    names = routine_names(sections)
    if routines is None:
        return set(names)
    if isinstance(routines, str):
        routines = [routines]
    if not isinstance(routines, Sequence | set | frozenset):
        raise InputError(
            f"routines={routines!r} must be a list of routine names",
            hint="use names from: " + ", ".join(names),
        )
    aliases: dict[str, set[str]] = {name.lower(): {name} for name in names}
    for name in names:  # a package name chooses every routine of that package
        if "::" in name:
            aliases.setdefault(name.split("::")[0].lower(), set()).add(name)
    if REFERENCE in names:
        aliases |= {k: {REFERENCE} for k in ("reference", "r", "nqpf_reference.r")}
    chosen: set[str] = set()
    for name in routines:
        key = str(name).strip().lower()
        if key not in aliases:
            raise InputError(
                f"unknown routine '{name}'",
                hint="use one of: " + ", ".join(names) + " (or the package name)",
            )
        chosen |= aliases[key]
    return chosen
