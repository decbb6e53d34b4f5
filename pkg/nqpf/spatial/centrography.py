"""Where a score's mass lies: gravity centre trajectory and standard deviational ellipse.

For regions i at coordinates (x_i, y_i) with a non-negative score s_it in year t:

**Gravity centre** (重心, the score-weighted mean centre)

    X_t = Σ_i s_it x_i / Σ_i s_it,   Y_t = Σ_i s_it y_i / Σ_i s_it.

Its move from the previous year is reported as a distance (great-circle kilometres on
lon/lat coordinates with ``metric="haversine"``, coordinate units with
``"euclidean"``) and a bearing in degrees clockwise from north (0 = north, 90 = east).

**Standard deviational ellipse** (Lefever 1926; Yuill 1971; as ArcGIS's *Directional
Distribution*, the tool the literature uses). With x̃_i = x_i − X_t, ỹ_i = y_i − Y_t
and weights s_it, the weighted covariance matrix

    C = Σ_i s_it [x̃_i², x̃_i ỹ_i; x̃_i ỹ_i, ỹ_i²] / Σ_i s_it

has eigenvalues λ₁ ≥ λ₂; the semi-axes are a = k·√λ₁ (major) and b = k·√λ₂
(minor) with k = √2 (ArcGIS's correction, ``sqrt2=True``, the default) or k = 1, the
rotation is the major axis's bearing in degrees clockwise from north in [0, 180), the
area is π·a·b and the shape index b/a (1 = circle). The closed form used here,
tan θ = (A + √(A² + 4B²)) / (2B) with A = Σ s x̃² − Σ s ỹ² and B = Σ s x̃ ỹ (θ the
rotation clockwise from north, as ArcGIS writes it), is that eigen-decomposition
written out. Coordinates are used as given: project lon/lat
first for an area in km² (the default China coordinates are lon/lat in degrees, so
the ellipse is in degrees, as ArcGIS gives it on a geographic coordinate system).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from nqpf.errors import InputError
from nqpf.results import Result

__all__ = [
    "CentreResult",
    "EllipseResult",
    "gravity_centre",
    "standard_deviational_ellipse",
]


def coordinates(
    coords: Any, regions: list[Any], *, metric: str | None, id: str = "id"
) -> tuple[np.ndarray, str]:
    """The (x, y) of each of ``regions`` (n × 2) and the metric, from ``coords`` as
    :func:`nqpf.spatial.builders.points` reads it (a built-in name such as
    ``"china-provinces"`` with its aliases, a mapping region → (x, y), or a frame)."""
    from nqpf.spatial.builders import points

    pts = points(coords, metric=metric, id=id)
    index = {name: i for i, name in enumerate(pts.ids)}
    rows, missing = [], []
    for r in regions:
        key = str(r)
        key = key if key in index else pts.aliases.get(key, key)
        if key in index:
            rows.append(index[key])
        else:
            missing.append(str(r))
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5])
        raise InputError(
            f"{len(missing)} region(s) have no coordinates in {pts.what}: {shown}",
            hint="give coordinates for every region (a mapping region → (x, y) or a frame)",
        )
    return pts.xy[np.asarray(rows, dtype=np.int64)], pts.metric


def bearing_deg(a: np.ndarray, b: np.ndarray, metric: str) -> np.ndarray:
    """Bearing from a to b in degrees clockwise from north, in [0, 360) (the initial
    great-circle bearing for lon/lat)."""
    if metric == "euclidean":
        angle = np.degrees(np.arctan2(b[..., 0] - a[..., 0], b[..., 1] - a[..., 1]))
    else:
        lon1, lat1, lon2, lat2 = (
            np.radians(v) for v in (a[..., 0], a[..., 1], b[..., 0], b[..., 1])
        )
        y = np.sin(lon2 - lon1) * np.cos(lat2)
        x = np.cos(lat1) * np.sin(lat2) - np.sin(lat1) * np.cos(lat2) * np.cos(lon2 - lon1)
        angle = np.degrees(np.arctan2(y, x))
    return np.mod(angle, 360.0)


def _weighted_panel(
    frame: Any, value: str, region: str, year: str | None, coords: Any, metric: str | None
):
    """Per year: (key, scores, xy, metric) with the scores checked non-negative and not
    all 0."""
    import polars as pl

    from nqpf._frames import numeric_values
    from nqpf.spatial.panel import check_panel

    df = check_panel(frame, value, region, year)
    keys = [region] if year is None else [region, year]
    s = numeric_values(df, value)
    if (s < 0).any():
        raise InputError(
            f"weights of a centre must be non-negative; '{value}' has {s.min():g}",
            column=value,
            hint="use a non-negative score (an index, a level)",
        )
    regions = df.get_column(region).unique(maintain_order=True).to_list()
    id_column = region if hasattr(coords, "columns") and region in coords.columns else "id"
    located, metric = coordinates(coords, regions, metric=metric, id=id_column)
    xy = dict(zip(map(str, regions), located, strict=True))
    from nqpf._frames import internal_name

    ws = internal_name("s", keys)
    df = df.select(keys).with_columns(pl.Series(ws, s))
    years = [None] if year is None else df.get_column(year).unique().sort().to_list()
    for key in years:
        part = df if key is None else df.filter(pl.col(year) == key)
        w = part.get_column(ws).to_numpy()
        if w.sum() == 0:
            raise InputError(
                f"every score is 0{'' if key is None else f' in {key}'}: no centre", column=value
            )
        yield key, w, np.asarray([xy[str(r)] for r in part.get_column(region).to_list()]), metric


@dataclass(frozen=True, slots=True)
class CentreResult(Result):
    """Result of :func:`gravity_centre`: ``table`` with ``<year>``, ``x``, ``y``,
    ``distance`` (from the previous year; km for haversine) and ``bearing``."""

    table: Any
    options: dict[str, Any] = field(default_factory=dict)
    main_table: ClassVar[str] = "gravity_centre"
    title: ClassVar[str] = "Gravity centre trajectory"

    def tables(self) -> dict[str, Any]:
        return {"gravity_centre": self.table}


@dataclass(frozen=True, slots=True)
class EllipseResult(Result):
    """Result of :func:`standard_deviational_ellipse`: ``table`` with ``<year>``,
    ``x``, ``y`` (centre), ``major``, ``minor``, ``rotation``, ``area``, ``shape``."""

    table: Any
    options: dict[str, Any] = field(default_factory=dict)
    main_table: ClassVar[str] = "ellipse"
    title: ClassVar[str] = "Standard deviational ellipse"

    def tables(self) -> dict[str, Any]:
        return {"ellipse": self.table}


def gravity_centre(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    coords: Any = "china-provinces",
    metric: str | None = None,
) -> CentreResult:
    """Score-weighted centre of the regions by year and its moves (module docstring).

    ``coords`` as :func:`nqpf.spatial.builders.points` reads it: ``"china-provinces"``
    (provincial capitals, lon/lat; the regions may be named in English or Chinese), a
    mapping region → (x, y) or a frame (the region column, x/y or lon/lat). ``metric``:
    ``"haversine"`` (km) or ``"euclidean"``; ``None`` takes haversine for the built-in
    coordinates and lon/lat columns and asks for it otherwise.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"r": list("abc") * 2, "t": [1] * 3 + [2] * 3, "s": [1.0, 1, 1, 1, 3, 0]})
    >>> xy = {"a": (0.0, 0.0), "b": (4.0, 0.0), "c": (2.0, 0.0)}
    >>> gravity_centre(df, "s", "r", "t", coords=xy, metric="euclidean").table["x"].to_list()
    [2.0, 3.0]
    """

    from nqpf.checks import check_choice
    from nqpf.spatial.builders import METRICS, haversine_km

    if metric is not None:
        metric = check_choice("metric", metric, METRICS)
    keys, rows, used = [], [], metric
    for key, w, xy, used in _weighted_panel(frame, value, region, year, coords, metric):  # noqa: B007
        keys.append(key)
        rows.append(w @ xy / w.sum())
    metric = used
    centres = np.asarray(rows)
    step = np.full(len(rows), np.nan)
    bearing = np.full(len(rows), np.nan)
    if len(rows) > 1:
        a, b = centres[:-1], centres[1:]
        step[1:] = haversine_km(a, b) if metric == "haversine" else np.hypot(*(b - a).T)
        bearing[1:] = bearing_deg(a, b, metric)
        bearing[1:][step[1:] == 0] = np.nan  # no move, no direction
    stats = [
        {"x": c[0], "y": c[1], "distance": d, "bearing": g}
        for c, d, g in zip(centres, step, bearing, strict=True)
    ]
    from nqpf.spatial.panel import year_table

    return CentreResult(
        table=year_table(frame, year, keys, stats),
        options={"metric": metric, "coords": coords if isinstance(coords, str) else "given"},
    )


def _ellipse(w: np.ndarray, xy: np.ndarray, k: float) -> dict[str, float]:
    centre = w @ xy / w.sum()
    d = xy - centre
    sxx = float(w @ (d[:, 0] ** 2))
    syy = float(w @ (d[:, 1] ** 2))
    sxy = float(w @ (d[:, 0] * d[:, 1]))
    a = sxx - syy
    if sxy != 0.0:
        # θ: the major axis's angle from the x-axis (eigenvector of the larger eigenvalue)
        theta = np.arctan((-a + np.hypot(a, 2 * sxy)) / (2 * sxy))
    else:
        theta = 0.0 if sxx >= syy else np.pi / 2
    c, s = np.cos(theta), np.sin(theta)
    major = float(w @ ((d[:, 0] * c + d[:, 1] * s) ** 2)) / w.sum()
    minor = float(w @ ((-d[:, 0] * s + d[:, 1] * c) ** 2)) / w.sum()
    sa, sb = k * np.sqrt(max(major, 0.0)), k * np.sqrt(max(minor, 0.0))
    return {
        "x": float(centre[0]),
        "y": float(centre[1]),
        "major": float(sa),
        "minor": float(sb),
        "rotation": float(np.mod(90.0 - np.degrees(theta), 180.0)),
        "area": float(np.pi * sa * sb),
        "shape": float(sb / sa) if sa > 0 else float("nan"),
    }


def standard_deviational_ellipse(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    coords: Any = "china-provinces",
    sqrt2: bool = True,
) -> EllipseResult:
    """Score-weighted standard deviational ellipse by year (module docstring).

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"r": list("abcd"), "s": [1.0] * 4})
    >>> xy = {"a": (-2.0, 0.0), "b": (2.0, 0.0), "c": (0.0, -1.0), "d": (0.0, 1.0)}
    >>> row = standard_deviational_ellipse(df, "s", "r", coords=xy, sqrt2=False).table.row(0, named=True)
    >>> round(row["major"], 6), round(row["minor"], 6), row["rotation"]
    (1.414214, 0.707107, 90.0)
    """
    from nqpf.checks import check_bool
    from nqpf.spatial.panel import year_table

    sqrt2 = check_bool("sqrt2", sqrt2)
    k = float(np.sqrt(2.0)) if sqrt2 else 1.0
    keys, stats = [], []
    for key, w, xy, _ in _weighted_panel(frame, value, region, year, coords, "euclidean"):
        if (w > 0).sum() < 3:
            raise InputError(
                "an ellipse needs at least 3 regions with a positive score"
                + ("" if key is None else f" (year {key})"),
                column=value,
            )
        keys.append(key)
        stats.append(_ellipse(w, xy, k))
    return EllipseResult(
        table=year_table(frame, year, keys, stats),
        options={"sqrt2": sqrt2, "coords": coords if isinstance(coords, str) else "given"},
    )
