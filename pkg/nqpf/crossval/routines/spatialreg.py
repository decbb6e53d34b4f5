"""spatialreg (Debian r-cran-spatialreg): spatial β-convergence of the index score.

The cross-section absolute β-convergence of :func:`nqpf.spatial.spatial_beta_convergence`
(g_i = (ln x_{i,T} − ln x_{i,t₀})/τ on ln x_{i,t₀}, first and last year, W
row-standardised) under the SAR, SEM and SDM, against ``spatialreg::lagsarlm``,
``errorsarlm`` and ``lagsarlm(type = "mixed")`` (R side ``r/nqpf_spatialreg.R``,
which takes the logs and the growth itself from the two years' scores): the
coefficients (constant, β, and θ on W·ln x for the SDM), ρ or λ, the
log-likelihood and, for the SAR and SDM, the direct, indirect and total effects of
β from ``impacts()`` (exact, no simulation). Section ``"spatial"``: skipped without
``spatial_weights=``, as the spdep rows are.

Tolerance (:data:`TOLERANCE`). Both sides maximise the same concentrated likelihood
by a bounded one-dimensional search, R's ``optimize`` stopping at
``tol.opt`` = √ε ≈ 1.5e-8 in ρ (spatialreg's default), nqpf at 1e-10; β (least
squares at ρ) and the effects move with ρ by O(1) per unit, so the two sides agree
to ~1e-7 relative, and 1e-6 relative leaves a margin of 10 (the issue's figure).
A quantity near 0 has no own scale: ρ and λ are compared relative to at least 1
(they lie in (−1, 1)), a coefficient to at least the largest |coefficient| of its
model, an effect to at least the largest |effect| of β (an indirect effect of a
ρ near 0 is ρ-small, its error is not).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import polars as pl

from nqpf import rbridge
from nqpf.crossval.registry import register
from nqpf.crossval.routines.spdep import _Spatial
from nqpf.crossval.rows import Rows
from nqpf.crossval.spatial import SpatialRun

#: R's optimiser stops at √ε ≈ 1.5e-8 in ρ (module docstring): 1e-6 relative.
TOLERANCE = 1e-6
TOLERANCE_REASON = (
    "spatialreg's optimize stops at sqrt(eps) ~ 1.5e-8 in rho (tol.opt); "
    "beta and the effects move with rho by O(1)"
)

EFFECTS = ("direct", "indirect", "total")


def _two_years(run: SpatialRun) -> tuple[list[str], np.ndarray, np.ndarray, float, str]:
    """The regions of the first year, their scores in the first and last year, τ and
    the ``where`` label (R takes logs and growth from these)."""
    assert run.frame is not None
    if run.year is None:
        from nqpf.errors import InputError

        raise InputError("β-convergence needs a year column")
    df = run.frame.select(
        pl.col(run.region).cast(pl.String).alias("__r"), run.year, run.value
    ).drop_nulls()
    first, last = df.get_column(run.year).min(), df.get_column(run.year).max()
    y0 = df.filter(pl.col(run.year) == first).select("__r", pl.col(run.value).alias("__y0"))
    y1 = df.filter(pl.col(run.year) == last).select("__r", pl.col(run.value).alias("__y1"))
    both = y0.join(y1, on="__r", how="inner", maintain_order="left")
    return (
        both["__r"].to_list(),
        both["__y0"].to_numpy(),
        both["__y1"].to_numpy(),
        float(last - first),  # type: ignore[operator]
        f"{first}–{last}",
    )


class _Beta(_Spatial):
    model: ClassVar[str] = ""
    parameter: ClassVar[str] = "ρ"
    tolerance_floor = (TOLERANCE, TOLERANCE_REASON)

    def run(self, rows: Rows, run: SpatialRun) -> None:  # type: ignore[override]
        from nqpf.spatial import spatial_beta_convergence

        ours = spatial_beta_convergence(
            run.frame, run.value, run.region, run.year, w=run.weights, model=self.model, draws=0
        ).regression
        regions, y0, y1, tau, where = _two_years(run)
        assert run.weights is not None
        theirs = rbridge.spatialreg_beta(self.model, y0, y1, tau, run.weights.align(regions))
        coefficients = ours.table["estimate"].to_numpy()[:-1]  # ρ/λ is the last row
        names = self.quantities[: coefficients.size]
        scale = float(np.max(np.abs(theirs["coefficients"])))
        for label, py, rv in zip(names, coefficients, theirs["coefficients"], strict=True):
            rows.compare(label, self.routine, [where], [py], [rv], floor=scale)
        # ρ and λ live in (−1, 1): their own scale is 1
        rows.compare(
            self.parameter, self.routine, [where], [ours.rho], [theirs["parameter"]], floor=1.0
        )
        rows.compare(
            "log-likelihood",
            self.routine,
            [where],
            [ours.log_likelihood],
            [theirs["log_likelihood"]],
        )
        if ours.impacts is None:
            return
        # the first (only) regressor is ln x at t₀: its effects are β's
        scale = max(abs(float(theirs[name][0])) for name in EFFECTS)
        for name in EFFECTS:
            py = ours.impacts[name].to_numpy()[:1]
            rows.compare(f"{name} β", self.routine, [where], py, theirs[name][:1], floor=scale)


@register
class LagSARLM(_Beta):
    routine = "spatialreg::lagsarlm"
    quantities = ("constant", "β", "ρ", "log-likelihood", "direct β", "indirect β", "total β")
    model = "sar"


@register
class ErrorSARLM(_Beta):
    routine = "spatialreg::errorsarlm"
    quantities = ("constant", "β", "λ", "log-likelihood")
    model = "sem"
    parameter = "λ"


@register
class LagSARLMMixed(_Beta):
    routine = 'spatialreg::lagsarlm(type="mixed")'
    quantities = (
        "constant",
        "β",
        "θ (W·ln x)",
        "ρ",
        "log-likelihood",
        "direct β",
        "indirect β",
        "total β",
    )
    model = "sdm"
