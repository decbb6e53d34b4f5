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
            for part in parts:
                kw = {} if self.statistic == "G" else {"randomisation": randomisation}
                ours = compute(part.x, part.w, **kw)
                theirs = rbridge.spdep_global(
                    self.statistic, part.x, run.aligned(part), self.style, **kw
                )
                theirs["p_norm"] = theirs.pop("p")
                where.append(run.where(part))
                for k in GLOBAL:
                    py[k].append(ours[k])
                    rv[k].append(theirs[k])
            for k in GLOBAL:
                label = (self.name if k == "value" else f"{self.name} {k}") + suffix
                rows.compare(label, self.routine, where, py[k], rv[k])


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
        )


@register
class LocalMoran(_Spatial):
    routine = "spdep::localmoran"
    quantities = ("Ii", "E_Ii", "var_Ii", "z", "p_norm")

    def run(self, rows: Rows, run: SpatialRun) -> None:  # type: ignore[override]
        results = []
        for part in run.slices("r"):
            ours = local_moran_stats(part.x, part.w)
            theirs = rbridge.spdep_localmoran(part.x, run.aligned(part), "r")
            theirs["p_norm"] = theirs.pop("p")
            results.append((part, ours, theirs))
        names = {k: f"local {k}" for k in self.quantities}
        _compare_local(rows, self.routine, run, results, names)


@register
class LocalG(_Spatial):
    routine = "spdep::localG"
    quantities = ("Gi", "Gi z", "Gi*", "Gi* z")

    def run(self, rows: Rows, run: SpatialRun) -> None:  # type: ignore[override]
        for star in (False, True):
            results = []
            for part in run.slices("b"):
                aligned = run.aligned(part)
                matrix = star_weights(aligned.transform("o").sparse, "b") if star else part.w
                ours = local_g_stats(part.x, matrix, star=star)
                theirs = rbridge.spdep_localg(part.x, aligned, "b", star=star)
                results.append((part, ours, theirs))
            label = "Gi*" if star else "Gi"
            names = {"G": label, "E_G": f"{label} E", "var_G": f"{label} var", "z": f"{label} z"}
            _compare_local(rows, self.routine, run, results, names)
