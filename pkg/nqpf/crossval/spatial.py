"""The spatial section of crossval: nqpf's spatial statistics against R's spdep and
spatialreg.

:func:`validate_spatial` compares, year by year, nqpf's global Moran's I, Geary's C
and Getis–Ord G (value, E, Var, z, p_norm under randomisation and normality) and
its local Moran and Getis–Ord Gi / Gi* (every region's statistic, E, Var, z) with
spdep's ``moran.test``, ``geary.test``, ``globalG.test``, ``localmoran`` and
``localG`` (adapters in ``nqpf/crossval/routines/spdep.py``, section
``"spatial"``), on spatial weights that spdep builds itself from the neighbour list
(:func:`nqpf.rbridge.spdep_global`). :func:`nqpf.crossval.validate` runs the same
adapters on the index score when it is given ``spatial_weights=``; without weights they are
listed as skipped. The section also compares the cross-section spatial
β-convergence of the value (first to last year) under the SAR, SEM and SDM with
spatialreg's ``lagsarlm``, ``errorsarlm`` and ``lagsarlm(type = "mixed")`` and
``impacts()`` (``nqpf/crossval/routines/spatialreg.py``, tolerance 1e-6 there: an
ML optimum found to √ε in ρ). Permutation p-values are random and are not compared here (the
tests check them against the exact permutation distribution instead).

The comparison rule is crossval's (``rel_diff ≤ tolerance``, default 1e-10): the
statistics are closed forms of sums of n (global) or |N_i| (local) terms, so both
sides agree to a few ε times the condition number (≈1e-15 here); a quantity near 0
(a z-score, E[I_i] of a region at the mean) is compared relative to the scale of
its family (floor: the largest |value| of that quantity in the slice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from nqpf.crossval.registry import adapters
from nqpf.crossval.rows import DEFAULT_TOLERANCE, Rows
from nqpf.spatial.autocorrelation import Slice, check_call, slices
from nqpf.spatial.weights import SpatialWeights

__all__ = ["SpatialRun", "validate_spatial"]

NO_WEIGHTS = "no spatial weights given (pass spatial_weights=, a nqpf.spatial.SpatialWeights)"


@dataclass
class SpatialRun:
    """What the spatial adapters read: the frame, its columns and the weights."""

    frame: pl.DataFrame | None
    value: str
    region: str
    year: str | None
    weights: SpatialWeights | None
    status: Mapping[str, str | None]
    dagum_weights: None = None  # the registry's generic skip rule reads it
    cache: dict[Any, Any] = field(default_factory=dict)

    def slices(self, style: str, *, nonnegative: bool = False) -> list[Slice]:
        """The years with W aligned and in ``style`` (islands kept, as R is called
        with ``zero.policy = TRUE``), computed once per style."""
        key = (style, nonnegative)
        if key not in self.cache:
            assert self.frame is not None
            assert self.weights is not None
            self.cache[key] = slices(
                self.frame,
                self.value,
                self.region,
                self.year,
                self.weights,
                style,
                "keep",
                "a spatial statistic",
                nonnegative=nonnegative,
            )
        return self.cache[key]

    def aligned(self, part: Slice) -> SpatialWeights:
        """The weights in the order of a slice's regions (style as given)."""
        assert self.frame is not None
        assert self.weights is not None
        names = self.frame.get_column(self.region).cast(pl.String).gather(part.rows).to_list()
        return self.weights.align(names)

    def where(self, part: Slice, label: str = "") -> str:
        at = "" if part.key is None else f"{part.key}"
        return f"{at}{', ' if at and label else ''}{label}"

    def region_names(self, part: Slice) -> list[str]:
        assert self.frame is not None
        return self.frame.get_column(self.region).cast(pl.String).gather(part.rows).to_list()


def validate_spatial(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    w: SpatialWeights,
    routines: Sequence[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    detail: bool = False,
) -> pl.DataFrame:
    """Compare nqpf's spatial statistics of ``value`` with spdep's and spatialreg's
    (module docstring).

    Returns crossval's table (``quantity``, ``where``, ``n``, ``python``, ``routine``,
    ``r_value``, ``abs_diff``, ``rel_diff``, ``tolerance``, ``ok``, ``status``,
    ``note``); without R, spdep or spatialreg their rows are skipped with the reason.
    """
    from nqpf._frames import check_bool, check_real
    from nqpf.crossval.validation import routine_status, select_routines

    tolerance = check_real("tolerance", tolerance, low=0.0, low_open=True, hint="e.g. 1e-10")
    detail = check_bool("detail", detail)
    df = check_call(frame, value, region, year, w, "r", "keep")
    wanted = select_routines(routines)
    _, _, status = routine_status(wanted)
    run = SpatialRun(frame=df, value=value, region=region, year=year, weights=w, status=status)
    rows = Rows(tolerance, detail)
    check_section(rows, run)
    return rows.frame()


def check_section(rows: Rows, run: SpatialRun) -> None:
    """Add the rows of every spatial adapter (skipped without weights)."""
    for adapter in adapters("spatial"):
        adapter.check(rows, run)  # type: ignore[arg-type]
