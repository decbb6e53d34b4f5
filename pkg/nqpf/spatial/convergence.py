"""Spatial β-convergence: the β regression of :mod:`nqpf.dynamics.beta` with a spatial
lag (SAR), a spatial error (SEM) or both lags of the Durbin model (SDM).

- cross-section (``panel=False``): one row per region,
  g_i = (ln x_{i,T} − ln x_{i,t₀})/τ on ln x_{i,t₀} (and controls), τ = T − t₀;
- panel (``panel=True``): ln(x_{i,t+1}/x_{i,t}) on ln x_{i,t} (and controls at t)
  with region fixed effects (``effects="twoway"`` adds period effects), τ the step
  of the year grid; the panel must be balanced.

The growth equations are those of :func:`nqpf.dynamics.beta_convergence` (built by
its own helpers) and are estimated by :func:`nqpf.spatial.spatial_regression`; the
speed θ = −ln(1 + βτ)/τ and the half-life ln 2/θ come from
:func:`nqpf.dynamics.beta.convergence_speed`, β being the coefficient on the log
level (for the SAR and SDM a direct coefficient; the effects table gives its
direct, indirect and total effects). Absolute convergence has no controls,
conditional convergence has them (Rey & Montouri 1999; Elhorst, Piras & Arbia 2010).

References: Rey, S. J., Montouri, B. D. (1999). US regional income convergence: a
spatial econometric perspective. *Regional Studies* 33, 143–156. Elhorst, J. P.,
Piras, G., Arbia, G. (2010). Growth and convergence in a multiregional model with
space–time dynamics. *Geographical Analysis* 42, 338–355.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import polars as pl

from nqpf._frames import check_choice, column_name, to_polars
from nqpf.checks import check_bool, check_int, check_seed
from nqpf.errors import InputError
from nqpf.results import Result
from nqpf.spatial.regression import (
    MODELS,
    Design,
    SpatialRegressionResult,
    estimate,
    finish,
)
from nqpf.spatial.weights import SpatialWeights

__all__ = ["SpatialBetaResult", "spatial_beta_convergence"]


@dataclass(frozen=True, slots=True)
class SpatialBetaResult(Result):
    """Result of :func:`spatial_beta_convergence`.

    ``beta``, ``se``, ``z``, ``p``: the coefficient on the log level and its
    asymptotic inference; ``speed``, ``half_life``, ``tau`` as in
    :class:`nqpf.dynamics.BetaResult`; ``regression`` the whole
    :class:`~nqpf.spatial.SpatialRegressionResult` (ρ/λ, the other coefficients,
    the effects).
    """

    beta: float
    se: float
    z: float
    p: float
    speed: float
    half_life: float
    tau: float
    model: str
    kind: str
    panel: bool
    regression: SpatialRegressionResult
    options: Mapping[str, Any] = field(default_factory=dict)

    main_table: ClassVar[str] = "beta"
    title: ClassVar[str] = "Spatial β-convergence"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``beta`` (one row) and the regression's tables."""
        return {"beta": self.to_frame(), **self.regression.tables()}

    def to_frame(self) -> pl.DataFrame:
        """One row: beta, se, z, p, speed, half_life, tau, the spatial parameter, n."""
        r = self.regression
        return pl.DataFrame(
            {
                "model": [self.model],
                "kind": [self.kind],
                "design": ["panel" if self.panel else "cross-section"],
                "beta": [self.beta],
                "se": [self.se],
                "z": [self.z],
                "p": [self.p],
                "speed": [self.speed],
                "half_life": [self.half_life],
                "tau": [self.tau],
                r.parameter: [r.rho],
                "log_likelihood": [r.log_likelihood],
                "n": [r.n],
            }
        )

    def summary(self) -> str:
        """One line on β, then the regression's summary."""
        design = "panel FE" if self.panel else "cross-section"
        return (
            f"Spatial β-convergence ({self.kind}, {self.model.upper()}, {design}): "
            f"β = {self.beta:.6g} (se {self.se:.4g}, z {self.z:.3f}, p {self.p:.4g}), "
            f"speed {self.speed:.4g}/yr, half-life {self.half_life:.4g} yr\n\n"
            + self.regression.summary()
        )


def spatial_beta_convergence(
    frame: Any,
    value: str,
    region: str,
    year: str,
    *,
    w: SpatialWeights,
    model: Literal["sar", "sem", "sdm"] = "sar",
    kind: Literal["absolute", "conditional"] = "absolute",
    controls: Sequence[str] | None = None,
    panel: bool = False,
    effects: Literal["region", "twoway"] = "region",
    start: float | None = None,
    end: float | None = None,
    controls_at: Literal["initial", "mean"] = "initial",
    impacts: bool = True,
    draws: int = 1000,
    seed: int | None = 0,
) -> SpatialBetaResult:
    """Absolute or conditional spatial β-convergence (module docstring).

    Parameters
    ----------
    frame, value, region, year
        The panel (one row per region-year), the variable (> 0: logs are taken), and
        the region (ids of ``w``) and numeric year columns.
    w
        :class:`~nqpf.spatial.SpatialWeights` over the data's regions (row-standardised
        here).
    model
        ``"sar"``, ``"sem"`` or ``"sdm"`` (the SDM lags the log level and the controls).
    kind, controls
        ``"absolute"`` (no controls) or ``"conditional"`` (``controls`` required).
    panel, effects
        The annual panel with region (``"region"``) or region and period
        (``"twoway"``) fixed effects, instead of the cross-section.
    start, end, controls_at
        Cross-section only, as in :func:`nqpf.dynamics.beta_convergence`.
    impacts, draws, seed
        The effects (SAR/SDM; ``impacts=False`` skips them) and the simulation of their
        standard errors, as in :func:`nqpf.spatial.spatial_regression`.

    Raises
    ------
    InputError
        As :func:`nqpf.dynamics.beta_convergence` and
        :func:`nqpf.spatial.spatial_regression` do, and for controls given with
        ``kind="absolute"`` or missing with ``"conditional"``.
    """
    from nqpf.dynamics import beta as nonspatial

    check_choice("model", model, MODELS)
    check_choice("kind", kind, ("absolute", "conditional"))
    panel = check_bool("panel", panel)
    impacts = check_bool("impacts", impacts)
    draws = check_int("draws", draws, low=0)
    seed = check_seed("seed", seed)
    controls = _controls(kind, controls)
    df = to_polars(frame)
    _check_call(df, value, region, year, w, controls, panel, effects, start, end, controls_at)
    work, years, cnames = nonspatial._work_frame(df, value, region, year, controls)
    names = [f"ln_{value}", *controls]
    if panel:
        design, tau = _panel_design(work, cnames, years, year, names, w)
        fe = effects
    else:
        cs = nonspatial._cross_section(work, cnames, years, region, year, start, end, controls_at)
        design, tau = _cross_design(*cs, names, w)
        fe = "none"
    fit = estimate(design, model, fe)
    options = {"model": model, "kind": kind, "controls": list(controls), "panel": panel}
    options |= {"effects": fe, "start": start, "end": end, "controls_at": controls_at}
    options |= {"impacts": impacts, "draws": draws, "seed": seed}
    result = finish(design, fit, model, fe, draws, seed, options, impacts=impacts)
    row = result.table.filter(pl.col("term") == names[0])
    b = float(row["estimate"][0])
    speed, half = nonspatial.convergence_speed(b, tau)
    return SpatialBetaResult(
        beta=b,
        se=float(row["se"][0]),
        z=float(row["z"][0]),
        p=float(row["p"][0]),
        speed=speed,
        half_life=half,
        tau=float(tau),
        model=model,
        kind=kind,
        panel=panel,
        regression=result,
        options=options,
    )


def _check_call(
    df: pl.DataFrame,
    value: str,
    region: str,
    year: str,
    w: Any,
    controls: list[str],
    panel: bool,
    effects: Any,
    start: Any,
    end: Any,
    controls_at: Any,
) -> None:
    """The weights, the panel's options, then the non-spatial β's checks of the
    columns, options and region-year keys."""
    from nqpf.dynamics import beta as nonspatial

    if not isinstance(w, SpatialWeights):
        raise InputError(
            f"w must be nqpf.spatial.SpatialWeights, got {type(w).__name__}",
            hint="build it with nqpf.spatial.from_neighbours, from_matrix, …",
        )
    if panel:
        check_choice("effects", effects, ("region", "twoway"))
        if start is not None or end is not None:
            raise InputError(
                "start= and end= choose the cross-section's years", hint="drop them for the panel"
            )
    fe, horizon = (effects, "annual") if panel else ("none", "period")
    nonspatial._check_beta_call(
        df, value, region, year, controls, fe, horizon, start, end, controls_at
    )


def _controls(kind: str, controls: Any) -> list[str]:
    if isinstance(controls, str):
        controls = [controls]
    if controls is not None and not isinstance(controls, Sequence):
        raise InputError(f"controls={controls!r} must be a list of column names")
    controls = list(controls or [])
    for c in controls:
        column_name("a control", c)
    if kind == "absolute" and controls:
        raise InputError(
            "absolute β-convergence has no controls", hint="pass kind='conditional' with controls"
        )
    if kind == "conditional" and not controls:
        raise InputError(
            "conditional β-convergence needs controls", hint="pass controls=[…] (columns)"
        )
    if len(set(controls)) < len(controls):
        raise InputError("controls must be distinct")
    return controls


def _cross_design(
    y: np.ndarray, x: np.ndarray, groups: np.ndarray, tau: float, names: list[str], w: Any
) -> tuple[Design, float]:
    """The cross-section growth equation (x with its constant column) as a :class:`Design`."""
    regions = [str(g) for g in groups]
    aligned = w.align(regions).transform("r")
    aligned.check_islands(what="a spatial lag")
    return Design(y, x[:, 1:], names, aligned, regions, 1), tau


def _panel_design(
    work: pl.DataFrame,
    cnames: list[str],
    years: np.ndarray,
    year: str,
    names: list[str],
    w: SpatialWeights,
) -> tuple[Design, float]:
    """The balanced annual-growth panel, time-major, as a :class:`Design`."""
    from nqpf.dynamics.beta import _pairs

    pairs, tau = _pairs(work, years, year)
    regions = work.get_column("__r").unique(maintain_order=True)
    origins = np.unique(pairs.get_column("__t").to_numpy())
    if origins.size < 2 or pairs.height != regions.len() * origins.size:
        counts = pairs.group_by("__r", maintain_order=True).len()
        short = regions.filter(
            ~regions.is_in(counts.filter(pl.col("len") == origins.size)["__r"].implode())
        )
        what = f"region {short[0]!r} lacks a growth step" if short.len() else "too few steps"
        raise InputError(
            f"the growth panel is unbalanced or too short: {what} "
            f"({origins.size} consecutive-year steps are needed for each region)",
            column=year,
            hint="spatial panel models need every region in every year (and at least 3 years)",
        )
    order = pl.DataFrame({"__r": regions, "__o": np.arange(regions.len())})
    pairs = pairs.join(order, on="__r", how="left").sort("__t", "__o")
    y = ((pairs.get_column("__lnext") - pairs.get_column("__lx")) / tau).to_numpy()
    x = pairs.select("__lx", *cnames).to_numpy()
    ids = [str(r) for r in regions.to_list()]
    aligned = w.align(ids).transform("r")
    aligned.check_islands(what="a spatial lag")
    return Design(y, x, names, aligned, ids, int(origins.size)), tau
