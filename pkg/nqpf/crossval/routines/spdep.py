"""spdep (Debian r-cran-spdep): global and local spatial autocorrelation, year by year.

``moran.test`` and ``geary.test`` under randomisation and normality, ``globalG.test``
(binary weights), ``localmoran`` (row-standardised) and ``localG`` (binary; Gi and Gi*
on ``include.self`` weights), on weights spdep builds from the neighbour list
(:mod:`nqpf.crossval.spatial`).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from nqpf import rbridge
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows
from nqpf.crossval.spatial import NO_WEIGHTS, SpatialRun
from nqpf.spatial.autocorrelation import geary_stats, getis_ord_stats, moran_stats
from nqpf.spatial.local import local_g_stats, local_moran_stats, star_weights

GLOBAL = ("value", "expected", "variance", "z", "p_norm")
UNDEFINED_NOTE = (
    "variance 0 up to rounding on both sides: z and p_norm undefined "
    "(spdep prints the rounding noise: ±Inf, NaN or a z near 0)"
)


def settle(ours: dict[str, Any], theirs: dict[str, Any], variance: str, rounding: str) -> bool:
    """Where nqpf's variance is 0 up to rounding (its z NaN; ``standard_score``) and
    spdep's lies within the same rounding bound, spdep's variance is that 0 and its z
    and p_norm are undefined too: set them so (in ``theirs``). Where spdep's variance
    is beyond the bound the values stay, and the comparison fails as it should.
    True when anything was settled."""
    ours_v = np.atleast_1d(np.asarray(ours[variance], dtype=float))
    z = np.atleast_1d(np.asarray(ours["z"], dtype=float))
    bound = np.atleast_1d(np.asarray(ours[rounding], dtype=float))
    theirs_v = np.array(np.atleast_1d(np.asarray(theirs[variance], dtype=float)))
    settled = (ours_v == 0) & np.isnan(z) & (np.abs(theirs_v) <= bound)
    if not settled.any():
        return False
    theirs_v[settled] = 0.0
    for key in ("z", "p_norm"):
        if key in theirs:
            values = np.array(np.atleast_1d(np.asarray(theirs[key], dtype=float)))
            values[settled] = np.nan
            theirs[key] = values if np.ndim(theirs[key]) else float(values[0])
    theirs[variance] = theirs_v if np.ndim(theirs[variance]) else float(theirs_v[0])
    return True


class _Spatial(Routine):
    section = "spatial"

    def skip_reason(self, run: Any) -> str | None:
        return NO_WEIGHTS if getattr(run, "weights", None) is None else None


class _Global(_Spatial):
    statistic: ClassVar[str] = ""
    style: ClassVar[str] = "r"
    name: ClassVar[str] = ""
    randomised: ClassVar[tuple[bool, ...]] = (True, False)

    def run(self, rows: Rows, run: SpatialRun) -> None:  # type: ignore[override]
        compute = {"moran": moran_stats, "geary": geary_stats, "G": getis_ord_stats}[self.statistic]
        parts = run.slices(self.style, nonnegative=self.statistic == "G")
        for randomisation in self.randomised:
            suffix = "" if self.statistic == "G" else (
                " (randomisation)" if randomisation else " (normality)"
            )  # fmt: skip
            py: dict[str, list[float]] = {k: [] for k in GLOBAL}
            rv: dict[str, list[float]] = {k: [] for k in GLOBAL}
            where = []
            settled = False
            for part in parts:
                kw = {} if self.statistic == "G" else {"randomisation": randomisation}
                ours = compute(part.x, part.w, **kw)
                theirs = rbridge.spdep_global(
                    self.statistic, part.x, run.aligned(part), self.style, **kw
                )
                theirs["p_norm"] = theirs.pop("p")
                settled |= settle(ours, theirs, "variance", "rounding")
                where.append(run.where(part))
                for k in GLOBAL:
                    py[k].append(ours[k])
                    rv[k].append(theirs[k])
            for k in GLOBAL:
                label = (self.name if k == "value" else f"{self.name} {k}") + suffix
                note = UNDEFINED_NOTE if settled and k in ("variance", "z", "p_norm") else None
                rows.compare(label, self.routine, where, py[k], rv[k], note=note)


@register
class MoranTest(_Global):
    routine = "spdep::moran.test"
    quantities = ("I", "expected", "variance", "z", "p_norm")
    statistic = "moran"
    name = "I"


@register
class GearyTest(_Global):
    routine = "spdep::geary.test"
    quantities = ("C", "expected", "variance", "z", "p_norm")
    statistic = "geary"
    name = "C"


@register
class GlobalGTest(_Global):
    routine = "spdep::globalG.test"
    quantities = ("G", "expected", "variance", "z", "p_norm")
    statistic = "G"
    style = "b"
    name = "G"
    randomised = (True,)


def _compare_local(
    rows: Rows,
    routine: str,
    run: SpatialRun,
    results: list[tuple[Any, dict[str, Any], dict[str, Any]]],
    names: dict[str, str],
    prefix: str = "",
    settled: frozenset[str] = frozenset(),
) -> None:
    """One row per quantity over every region-year; each quantity relative to at least
    its largest |value| in the year (a z-score or E[I_i] near 0 has no own scale)."""
    for ours_name, label in names.items():
        where: list[str] = []
        py: list[np.ndarray] = []
        rv: list[np.ndarray] = []
        floor: list[np.ndarray] = []
        for part, ours, theirs in results:
            regions = run.region_names(part)
            where += [run.where(part, r) for r in regions]
            py.append(np.asarray(ours[ours_name], dtype=float))
            r_values = np.asarray(theirs[ours_name], dtype=float)
            rv.append(r_values)
            scale = np.nanmax(np.abs(r_values)) if np.isfinite(r_values).any() else 0.0
            floor.append(np.full(r_values.size, scale))
        rows.compare(
            prefix + label,
            routine,
            where,
            np.concatenate(py),
            np.concatenate(rv),
            floor=np.concatenate(floor),
            note=UNDEFINED_NOTE if ours_name in settled else None,
        )


@register
class LocalMoran(_Spatial):
    routine = "spdep::localmoran"
    quantities = ("Ii", "E_Ii", "var_Ii", "z", "p_norm")

    def run(self, rows: Rows, run: SpatialRun) -> None:  # type: ignore[override]
        results = []
        any_settled = False
        for part in run.slices("r"):
            ours = local_moran_stats(part.x, part.w)
            theirs = rbridge.spdep_localmoran(part.x, run.aligned(part), "r")
            theirs["p_norm"] = theirs.pop("p")
            any_settled |= settle(ours, theirs, "var_Ii", "var_Ii_rounding")
            results.append((part, ours, theirs))
        names = {k: f"local {k}" for k in self.quantities}
        marked = frozenset({"var_Ii", "z", "p_norm"} if any_settled else ())
        _compare_local(rows, self.routine, run, results, names, settled=marked)


@register
class LocalG(_Spatial):
    routine = "spdep::localG"
    quantities = ("Gi", "Gi z", "Gi*", "Gi* z")

    def run(self, rows: Rows, run: SpatialRun) -> None:  # type: ignore[override]
        for star in (False, True):
            results = []
            any_settled = False
            for part in run.slices("b"):
                aligned = run.aligned(part)
                matrix = star_weights(aligned.transform("o").sparse, "b") if star else part.w
                ours = local_g_stats(part.x, matrix, star=star)
                theirs = rbridge.spdep_localg(part.x, aligned, "b", star=star)
                any_settled |= settle(ours, theirs, "var_G", "var_G_rounding")
                results.append((part, ours, theirs))
            label = "Gi*" if star else "Gi"
            names = {"G": label, "E_G": f"{label} E", "var_G": f"{label} var", "z": f"{label} z"}
            marked = frozenset({"var_G", "z"} if any_settled else ())
            _compare_local(rows, self.routine, run, results, names, settled=marked)
