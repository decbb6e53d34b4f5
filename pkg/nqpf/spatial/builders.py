"""Spatial weights from coordinates, values, edge lists and geometry files.

Distance weights (:func:`knn`, :func:`distance_band`, :func:`inverse_distance`) take the
regions' points — a mapping ``id → (x, y)``, a frame with id/x/y columns, or the name of
built-in regions (``"china-provinces"``: the provincial capitals) — and one of two
metrics, said explicitly for a mapping or an x/y frame:

- ``"haversine"``: the great-circle distance in km between (lon, lat) points in degrees,
  d_ij = 2R·asin √(sin²(Δφ/2) + cos φ_i cos φ_j sin²(Δλ/2)), R = 6371.0088 km (the mean
  Earth radius of the IUGG); the default for built-in regions and lon/lat columns;
- ``"euclidean"``: d_ij = √((x_i − x_j)² + (y_i − y_j)²) in the coordinates' own unit
  (projected coordinates).

Weights from values follow the Chinese literature's economic matrices (经济距离矩阵 and
经济地理嵌套矩阵; formulas and references at :func:`economic_distance` and
:func:`economic_geographic`). :func:`from_frame` reads an edge list, :func:`from_file`
computes queen or rook contiguity from polygons (GeoJSON, Shapefile, GeoPackage) through
libpysal.

Everything is vectorised: nearest neighbours and distance bands through a k-d tree (for
great-circle distances on the unit sphere's 3-d points, whose chord length orders pairs
as the arc does), dense n × n arrays only where the weights are dense anyway.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from nqpf.errors import InputError
from nqpf.spatial.china import BUILTIN_REGIONS, builtin_aliases, capital_coordinates
from nqpf.spatial.weights import SpatialWeights, _last_wins, _repeats, _show, check_count

__all__ = [
    "EARTH_RADIUS_KM",
    "builtin_matches",
    "builtin_weights",
    "distance_band",
    "economic_distance",
    "economic_geographic",
    "from_file",
    "from_frame",
    "haversine_km",
    "inverse_distance",
    "knn",
    "pair_distances",
    "read_geometry_bytes",
    "read_weights",
]

Metric = Literal["haversine", "euclidean"]
METRICS: tuple[str, ...] = ("haversine", "euclidean")
#: Mean Earth radius R1 = (2a + b)/3 of the IUGG (Moritz 1980), km.
EARTH_RADIUS_KM = 6371.0088
#: Column names taken for x and y when a frame's columns are not named (in this order).
X_COLUMNS = ("x", "lon", "longitude", "lng")
Y_COLUMNS = ("y", "lat", "latitude")
LONLAT_COLUMNS = frozenset(("lon", "longitude", "lng", "lat", "latitude"))
Rule = Literal["queen", "rook"]


@dataclass(frozen=True)
class Points:
    """Regions' points: ids, an (n, 2) array of x/y (lon/lat for haversine), the metric,
    the aliases of built-in regions and a phrase saying where they come from."""

    ids: tuple[str, ...]
    xy: np.ndarray
    metric: str
    aliases: Mapping[str, str]
    what: str

    @property
    def unit(self) -> str:
        return " km" if self.metric == "haversine" else ""


# -- reading points --------------------------------------------------------------------
def _frame_column(frame: Any, name: str, what: str) -> list[Any]:
    columns = [str(c) for c in frame.columns]
    if name not in columns:
        raise InputError(
            f"{what} has no column {name!r} (columns: {_show(columns, 8)})",
            hint="name the column with the matching keyword",
        )
    return list(frame[name])


def _pick(frame: Any, given: str | None, candidates: Sequence[str], axis: str) -> str:
    if given is not None:
        return given
    columns = {str(c) for c in frame.columns}
    for name in candidates:
        if name in columns:
            return name
    raise InputError(
        f"the coordinates frame has no {axis} column ({' / '.join(candidates)})",
        hint=f"name it with {axis}=",
    )


def _metric(metric: Any, default: str | None, what: str) -> str:
    if metric is None:
        if default is None:
            raise InputError(
                f"the metric of {what} is not known",
                hint="say metric='haversine' for (lon, lat) in degrees or "
                "metric='euclidean' for projected coordinates",
            )
        return default
    if metric not in METRICS:
        raise InputError(f"unknown metric {metric!r}", hint="choose one of " + ", ".join(METRICS))
    return str(metric)


def points(
    coords: Any,
    *,
    metric: Metric | None = None,
    id: str = "id",
    x: str | None = None,
    y: str | None = None,
) -> Points:
    """Read ``coords`` (built-in name, mapping ``id → (x, y)`` or a frame) into
    :class:`Points`, checking the ids (unique, at least 3) and the numbers (finite;
    degrees in range for haversine)."""
    if isinstance(coords, str):
        if coords not in BUILTIN_REGIONS:
            capital_coordinates(coords)  # the unknown-name error, listing the known ones
        table = capital_coordinates(coords)
        ids, pairs = list(table), list(table.values())
        met = _metric(metric, "haversine", coords)
        aliases: Mapping[str, str] = builtin_aliases(coords)
        what = f"the capitals of {coords}"
    elif isinstance(coords, Mapping):
        ids, pairs = [str(k) for k in coords], list(coords.values())
        met = _metric(metric, None, "a mapping of coordinates")
        aliases, what = {}, "the given coordinates"
    elif hasattr(coords, "columns"):
        xc, yc = _pick(coords, x, X_COLUMNS, "x"), _pick(coords, y, Y_COLUMNS, "y")
        ids = [_text(v, id) for v in _frame_column(coords, id, "the coordinates frame")]
        xs = _frame_column(coords, xc, "the coordinates frame")
        ys = _frame_column(coords, yc, "the coordinates frame")
        pairs = list(zip(xs, ys, strict=True))
        lonlat = {xc, yc} <= LONLAT_COLUMNS
        met = _metric(metric, "haversine" if lonlat else None, f"columns {xc!r}/{yc!r}")
        aliases, what = {}, f"columns {xc!r}/{yc!r}"
    else:
        raise InputError(
            f"cannot read coordinates from a {type(coords).__name__}",
            hint="give a mapping id → (x, y), a frame with id/x/y columns, or "
            + " / ".join(repr(k) for k in BUILTIN_REGIONS),
        )
    xy = _xy(ids, pairs)
    if met == "haversine":
        bad = (np.abs(xy[:, 0]) > 360) | (np.abs(xy[:, 1]) > 90)
        if bad.any():
            raise InputError(
                f"coordinates out of the range of degrees (lon, lat) for {_show([ids[i] for i in np.flatnonzero(bad)])}",
                hint="give (lon, lat) in degrees, or metric='euclidean' for projected coordinates",
            )
    return Points(tuple(ids), xy, met, aliases, what)


def _xy(ids: list[str], pairs: list[Any]) -> np.ndarray:
    if len(set(ids)) != len(ids):
        dup = _repeats(ids)
        raise InputError(
            f"region ids repeat in the coordinates: {_show(dup)}", hint="give each region once"
        )
    check_count(len(ids))
    try:
        xy = np.asarray([tuple(p) for p in pairs], dtype=float)
        ok = xy.shape == (len(ids), 2)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        k = next(k for k, p in enumerate(pairs) if not _is_pair(p))
        raise InputError(
            f"the coordinates of {ids[k]!r} are not a pair of numbers: {pairs[k]!r}",
            hint="give each region (x, y) as two numbers",
        )
    bad = ~np.isfinite(xy).all(axis=1)
    if bad.any():
        raise InputError(
            f"missing or infinite coordinates for {_show([ids[i] for i in np.flatnonzero(bad)])}",
            hint="give every region finite coordinates",
        )
    return xy


def _is_pair(value: Any) -> bool:
    try:
        return len(value) == 2 and all(isinstance(float(v), float) for v in value)
    except (TypeError, ValueError):
        return False


# -- distances -------------------------------------------------------------------------
def haversine_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance (km) between (lon, lat) points in degrees, a and b
    broadcast against each other (the module docstring's formula)."""
    lon1, lat1 = np.radians(a[..., 0]), np.radians(a[..., 1])
    lon2, lat2 = np.radians(b[..., 0]), np.radians(b[..., 1])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def _distance(a: np.ndarray, b: np.ndarray, metric: str) -> np.ndarray:
    if metric == "haversine":
        return haversine_km(a, b)
    return np.hypot(a[..., 0] - b[..., 0], a[..., 1] - b[..., 1])


def pair_distances(coords: Any, *, metric: Metric | None = None) -> Any:
    """All pairwise distances (km for haversine) as a polars frame: an ``id`` column and
    one column per region, in the regions' order (an n × n matrix to inspect or export)."""
    import polars as pl

    pts = points(coords, metric=metric)
    d = _distance(pts.xy[:, None, :], pts.xy[None, :, :], pts.metric)
    return pl.DataFrame({"id": list(pts.ids), **{r: d[:, k] for k, r in enumerate(pts.ids)}})


def _tree_points(pts: Points) -> np.ndarray:
    """Points for a k-d tree: unit-sphere 3-d points (haversine) or the plane."""
    if pts.metric == "euclidean":
        return pts.xy
    lon, lat = np.radians(pts.xy[:, 0]), np.radians(pts.xy[:, 1])
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _tree_radius(distance: float, metric: str) -> float:
    """The tree-space radius that holds every pair within ``distance`` (the chord of the
    arc for haversine), a hair wider so rounding loses no pair; the exact distance
    decides afterwards."""
    if metric == "euclidean":
        return distance * (1 + 1e-9)
    angle = min(distance / EARTH_RADIUS_KM, math.pi)
    return 2 * math.sin(angle / 2) * (1 + 1e-9) + 1e-12


def _weights(
    pts: Points, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, source: str
) -> SpatialWeights:
    n = len(pts.ids)
    return SpatialWeights(
        pts.ids, _last_wins(rows, cols, vals, n), aliases=pts.aliases, source=source
    )


# -- the builders ----------------------------------------------------------------------
def knn(
    coords: Any,
    k: int,
    *,
    metric: Metric | None = None,
    id: str = "id",
    x: str | None = None,
    y: str | None = None,
) -> SpatialWeights:
    """k-nearest-neighbour weights: w_ij = 1 for the k regions nearest to i (binary,
    not symmetric: j may be among i's k nearest without i among j's).

    As libpysal's ``KNN`` (and spdep's ``knearneigh``): a tree query of k + 1 points per
    region, less the region itself (or, when duplicate points hide it, the farthest).

    Examples
    --------
    >>> w = knn("china-provinces", k=3)
    >>> sorted(w.neighbours["Shanghai"])
    ['Anhui', 'Jiangsu', 'Zhejiang']
    """
    from scipy.spatial import cKDTree

    pts = points(coords, metric=metric, id=id, x=x, y=y)
    n = len(pts.ids)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k < n:
        raise InputError(
            f"k must be a whole number from 1 to {n - 1} (one less than the regions), got {k!r}",
            hint="choose fewer neighbours",
        )
    tree_xy = _tree_points(pts)
    _, idx = cKDTree(tree_xy).query(tree_xy, k=int(k) + 1)
    drop = idx == np.arange(n)[:, None]
    drop[~drop.any(axis=1), -1] = True  # self not among the k + 1 (duplicates): drop the last
    cols = idx[~drop].reshape(n, int(k))
    rows = np.repeat(np.arange(n), int(k))
    return _weights(
        pts,
        rows,
        cols.ravel(),
        np.ones(rows.size),
        f"{k} nearest neighbours of {pts.what} ({pts.metric})",
    )


def _within(pts: Points, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All ordered pairs i ≠ j with d_ij ≤ threshold, and their distances."""
    from scipy.spatial import cKDTree

    tree = cKDTree(_tree_points(pts))
    pairs = tree.query_pairs(_tree_radius(threshold, pts.metric), output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    d = _distance(pts.xy[i], pts.xy[j], pts.metric)
    keep = d <= threshold
    i, j, d = i[keep], j[keep], d[keep]
    return np.r_[i, j], np.r_[j, i], np.r_[d, d]


def _nearest_distance(pts: Points) -> np.ndarray:
    """Each region's distance to its nearest other region."""
    from scipy.spatial import cKDTree

    tree_xy = _tree_points(pts)
    _, idx = cKDTree(tree_xy).query(tree_xy, k=2)
    other = np.where(idx[:, 0] == np.arange(len(pts.ids)), idx[:, 1], idx[:, 0])
    return _distance(pts.xy, pts.xy[other], pts.metric)


def _round_up(value: float, digits: int = 6) -> float:
    """``value`` rounded up to ``digits`` significant digits (a threshold shown to the
    user must not fall short of the distance it stands for)."""
    if value <= 0:
        return value
    step = 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    return math.ceil(value / step) * step


def _positive(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number <= 0:
        raise InputError(f"{name} must be a positive number, got {value!r}")
    return number


def _no_zero_distance(pts: Points, i: np.ndarray, j: np.ndarray, d: np.ndarray) -> None:
    zero = np.flatnonzero(d == 0)
    if zero.size:
        _same_point(pts.ids[i[zero[0]]], pts.ids[j[zero[0]]], 0)


def distance_band(
    coords: Any,
    threshold: float,
    *,
    binary: bool = True,
    alpha: float = -1.0,
    metric: Metric | None = None,
    allow_islands: bool = False,
    id: str = "id",
    x: str | None = None,
    y: str | None = None,
) -> SpatialWeights:
    """Distance-band weights: j is i's neighbour when d_ij ≤ ``threshold`` (km for
    haversine); w_ij = 1 (``binary=True``) or d_ij^alpha (``alpha=-1``: inverse
    distance; ``-2``: gravity), as libpysal's ``DistanceBand`` and spdep's
    ``dnearneigh`` + ``nbdists``.

    A threshold that leaves regions without a neighbour is refused, naming them and the
    smallest threshold that gives every region one (the largest nearest-neighbour
    distance); ``allow_islands=True`` keeps the islands.

    Examples
    --------
    >>> w = distance_band("china-provinces", 500, allow_islands=True)
    >>> sorted(w.neighbours["Beijing"])
    ['Hebei', 'Inner Mongolia', 'Shandong', 'Shanxi', 'Tianjin']
    >>> w.islands
    ('Tibet', 'Xinjiang')
    >>> distance_band("china-provinces", 1500).neighbours["Xinjiang"]
    ('Qinghai',)
    """
    pts = points(coords, metric=metric, id=id, x=x, y=y)
    return _band(pts, _positive(threshold, "threshold"), binary, float(alpha), allow_islands)


def _band(
    pts: Points, limit: float, binary: bool, alpha: float, allow_islands: bool
) -> SpatialWeights:
    i, j, d = _within(pts, limit)
    if not binary:
        _no_zero_distance(pts, i, j, d)
    vals = np.ones(d.size) if binary else d**alpha
    w = _weights(pts, i, j, vals, f"distance band ≤ {limit:g}{pts.unit} of {pts.what}")
    if w.islands and not allow_islands:
        smallest = _round_up(float(_nearest_distance(pts).max()))
        raise InputError(
            f"a distance band of {limit:g}{pts.unit} leaves {len(w.islands)} region(s) "
            f"without a neighbour: {_show(list(w.islands))}",
            hint=f"use a threshold of at least {smallest:.6g}{pts.unit} (every region then has "
            "a neighbour), knn weights, or allow_islands=True",
        )
    return w


def inverse_distance(
    coords: Any,
    *,
    power: float = 1,
    threshold: float | None = None,
    metric: Metric | None = None,
    id: str = "id",
    x: str | None = None,
    y: str | None = None,
) -> SpatialWeights:
    """Inverse-distance weights w_ij = 1 / d_ij^power for i ≠ j (``power=1``; ``2``: the
    gravity form), over all pairs or only those with d_ij ≤ ``threshold``.

    The Chinese literature's 地理距离权重矩阵 (inverse distance between provincial
    capitals) is ``inverse_distance("china-provinces")`` (distances in km), usually
    row-standardised by the statistic (``.transform("r")``). Two regions at the same
    point are refused (their weight would be infinite).
    """
    pts = points(coords, metric=metric, id=id, x=x, y=y)
    p = _positive(power, "power")
    if threshold is not None:
        return _band(pts, _positive(threshold, "threshold"), False, -p, True)
    return SpatialWeights(
        pts.ids,
        _inverse_off_diagonal(_all_distances(pts), p, pts.ids, _same_point),
        aliases=pts.aliases,
        source=f"inverse distance^{p:g} of {pts.what} ({pts.metric})",
    )


def _all_distances(pts: Points) -> np.ndarray:
    """The n × n distances; for haversine the per-point trigonometry once (n, not n²)."""
    if pts.metric == "euclidean":
        return _distance(pts.xy[:, None, :], pts.xy[None, :, :], pts.metric)
    lon, lat = np.radians(pts.xy[:, 0]), np.radians(pts.xy[:, 1])
    cos_lat = np.cos(lat)
    h = np.sin(np.subtract.outer(lat, lat) / 2) ** 2
    h += np.multiply.outer(cos_lat, cos_lat) * np.sin(np.subtract.outer(lon, lon) / 2) ** 2
    np.minimum(h, 1.0, out=h)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h, out=h), out=h)


def _inverse_off_diagonal(
    gap: np.ndarray, power: float, ids: Sequence[str], refuse: Any
) -> np.ndarray:
    """1 / gap^power off the diagonal, 0 on it (dense: every pair is a link); a zero gap
    between two regions is handed to ``refuse(a, b, k)`` (which raises)."""
    np.fill_diagonal(gap, np.inf)
    zero = np.argwhere(gap == 0)
    if zero.size:
        a, b = zero[0]
        refuse(ids[a], ids[b], a)
    out = gap**-power if power != 1 else 1.0 / gap
    return out


def _same_point(a: str, b: str, _: int) -> None:
    raise InputError(
        f"regions {a!r} and {b!r} have the same coordinates, so their inverse distance is infinite",
        hint="correct the coordinates, or use binary weights (knn, distance_band)",
    )


def _values(
    values: Any,
    ids: Sequence[Any] | None,
    *,
    want: Sequence[str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> tuple[tuple[str, ...], np.ndarray]:
    """(ids, values) from a mapping or a sequence with ``ids``; reordered to ``want``
    (aliases resolved) when given, naming regions missing on either side."""
    if isinstance(values, Mapping):
        if ids is not None:
            raise InputError(
                "give the values as a mapping id → value, or a list with ids=, not both"
            )
        names, raw = [str(k) for k in values], list(values.values())
    else:
        if ids is None:
            raise InputError("values given as a list need ids= (one region id per value)")
        names, raw = [str(k) for k in ids], list(values)
        if len(names) != len(raw):
            raise InputError(
                f"{len(raw)} values but {len(names)} ids", hint="give one id per value"
            )
    try:
        y = np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as error:
        raise InputError("a value is not a number", hint="give one number per region") from error
    bad = ~np.isfinite(y)
    if bad.any():
        raise InputError(
            f"missing or infinite values for {_show([names[i] for i in np.flatnonzero(bad)])}",
            hint="give every region a finite value (e.g. its mean per-capita GDP over the period)",
        )
    if want is None:
        return tuple(names), y
    wanted = set(want)
    resolved = [n if n in wanted else (aliases or {}).get(n, n) for n in names]
    index = {n: k for k, n in enumerate(resolved)}
    missing = [n for n in want if n not in index]
    extra = [n for n, r in zip(names, resolved, strict=True) if r not in wanted]
    if missing or extra:
        raise InputError(
            "the values and the coordinates name different regions: "
            + (f"no value for {_show(missing)}" if missing else "")
            + ("; " if missing and extra else "")
            + (f"no coordinates for {_show(extra)}" if extra else ""),
            hint="give one value for each region of the coordinates",
        )
    return tuple(want), y[[index[n] for n in want]]


def economic_distance(values: Any, ids: Sequence[Any] | None = None) -> SpatialWeights:
    """Economic-distance weights (经济距离矩阵): w_ij = 1 / |ȳ_i − ȳ_j| for i ≠ j, where
    ȳ_i is region i's mean of an economic variable over the period, usually real GDP per
    capita (林光平, 龙志和 & 吴梅 2005, 经济学(季刊) 4 增刊: regions of similar income
    weigh each other more).

    ``values``: a mapping ``id → ȳ`` or a sequence with ``ids``. Two regions with the
    same ȳ are refused, naming the pair (their weight would be infinite).

    Examples
    --------
    >>> economic_distance({"a": 1.0, "b": 2.0, "c": 4.0}).weights["a"]
    (1.0, 0.3333333333333333)
    """
    names, y = _values(values, ids)
    check_count(len(names))

    def same(a: str, b: str, k: int) -> None:
        raise InputError(
            f"regions {a!r} and {b!r} have the same value {y[k]:g}, so their economic "
            "distance weight 1/|ȳ_i − ȳ_j| is infinite",
            hint="use values with more digits or a longer period's mean; regions with equal "
            "values cannot be weighted this way",
        )

    gap = np.abs(y[:, None] - y[None, :])
    matrix = _inverse_off_diagonal(gap, 1, names, same)
    return SpatialWeights(names, matrix, source="economic distance 1/|ȳ_i − ȳ_j|")


def economic_geographic(
    coords: Any,
    values: Any,
    *,
    phi: float = 0.5,
    power: float = 1,
    standardise: bool = True,
    metric: Metric | None = None,
) -> SpatialWeights:
    """The nested economic–geographic weights (经济地理嵌套矩阵):
    W = φ·W_d + (1 − φ)·W_e, with W_d the inverse-distance weights 1/d_ij^power
    (:func:`inverse_distance`) and W_e the economic-distance weights 1/|ȳ_i − ȳ_j|
    (:func:`economic_distance`), 0 ≤ φ ≤ 1 (φ = 0.5 by default), as in 邵帅, 李欣,
    曹建华 & 杨莉莉 (2016), 经济研究 51(9).

    With ``standardise=True`` (default) W_d and W_e are each row-standardised before they
    are mixed, so that φ weighs two matrices of one scale (raw, 1/km and 1/yuan differ by
    orders of magnitude and φ would mean nothing); the result's rows then sum to 1.
    ``standardise=False`` mixes the raw matrices. ``values`` is a mapping region → ȳ
    over the regions of ``coords`` (aliases of built-in regions accepted).
    """
    try:
        share = float(phi)
    except (TypeError, ValueError):
        share = math.nan
    if not 0 <= share <= 1:
        raise InputError(
            f"phi must be between 0 and 1, got {phi!r}", hint="φ is the geographic share"
        )
    wd = inverse_distance(coords, power=power, metric=metric)
    pts_ids, y = _values(values, None, want=wd.ids, aliases=wd.aliases)
    we = economic_distance(dict(zip(pts_ids, y.tolist(), strict=True)))
    if standardise:
        wd, we = wd.transform("r"), we.transform("r")
    matrix = share * wd.sparse + (1 - share) * we.sparse
    return SpatialWeights(
        wd.ids,
        matrix,
        aliases=wd.aliases,
        source=f"economic–geographic nested weights, φ = {share:g}"
        + (" (each part row-standardised)" if standardise else ""),
    )


# -- edge lists and files --------------------------------------------------------------
def from_frame(
    frame: Any,
    *,
    focal: str = "focal",
    neighbour: str = "neighbour",
    weight: str | None = None,
    ids: Sequence[Any] | None = None,
    symmetric: bool = True,
    source: str = "an edge list",
) -> SpatialWeights:
    """Weights from an edge list (a polars or pandas frame, e.g. a CSV a user uploads):
    one row per link ``focal → neighbour`` with an optional ``weight`` column (binary
    otherwise); the inverse of :meth:`SpatialWeights.to_frame`.

    ``ids`` lists every region (to keep islands, which an edge list cannot show, and the
    order); otherwise the regions are those named, in order of appearance. With
    ``symmetric=True`` (default) a binary link given one way is added the other way too,
    as :func:`~nqpf.spatial.weights.from_neighbours` does. A link listed twice, or a
    region of the list missing from ``ids``, is refused by name.
    """
    where = "the edge list"
    f = [_text(v, focal) for v in _frame_column(frame, focal, where)]
    nb = [_text(v, neighbour) for v in _frame_column(frame, neighbour, where)]
    if weight is None:
        vals = np.ones(len(f))
    else:
        try:
            vals = np.asarray(_frame_column(frame, weight, where), dtype=float)
        except (TypeError, ValueError) as error:
            raise InputError("a weight is not a number", column=weight) from error
        if (~np.isfinite(vals)).any():
            row = int(np.flatnonzero(~np.isfinite(vals))[0]) + 1
            raise InputError("missing or infinite weight", row=row, column=weight)
    # given ids stay as given (SpatialWeights names any repeated one)
    names = [str(v) for v in ids] if ids is not None else list(dict.fromkeys(f + nb))
    index = {n: k for k, n in enumerate(names)}
    unknown = [n for n in dict.fromkeys(f + nb) if n not in index]
    if unknown:
        raise InputError(
            f"the edge list names regions not in ids: {_show(unknown)}", hint="add them to ids"
        )
    rows = np.asarray([index[v] for v in f], dtype=np.int64)
    cols = np.asarray([index[v] for v in nb], dtype=np.int64)
    n = len(names)
    key = rows * n + cols
    _, first, counts = np.unique(key, return_index=True, return_counts=True)
    if (counts > 1).any():
        k = int(first[np.flatnonzero(counts > 1)[0]])
        again = int(np.flatnonzero(key == key[k])[1])
        raise InputError(
            f"the link {f[k]!r} → {nb[k]!r} is listed again (first in data row {k + 1})",
            row=again + 1,
            hint="list each link once",
        )
    matrix = _last_wins(rows, cols, vals, n)
    if symmetric and weight is None:
        matrix = matrix.maximum(matrix.T)
    return SpatialWeights(names, matrix, source=source)


def _text(value: Any, column: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InputError("a region id is missing", column=column, hint="fill in every id")
    return str(value)


def from_file(
    path: str | Path | Any,
    *,
    id: str,
    rule: Rule = "queen",
    link_islands: bool = False,
    layer: str | int | None = None,
) -> SpatialWeights:
    """Contiguity weights from polygons in a GeoJSON, Shapefile or GeoPackage file (read
    by geopandas through pyogrio; contiguity by libpysal's ``Queen``/``Rook``), or from
    a GeoDataFrame already read.

    ``rule="queen"``: regions sharing a boundary point are neighbours; ``"rook"``: only
    regions sharing a boundary segment (spdep's ``poly2nb(queen=)``). ``id`` names the
    column of region ids. With ``link_islands=True`` each region without a neighbour is
    linked, both ways, to the region whose polygon is nearest (the usual island rule;
    distances in the file's coordinates, so for lon/lat files a ranking in degrees).
    """
    if rule not in ("queen", "rook"):
        raise InputError(f"unknown contiguity rule {rule!r}", hint="choose 'queen' or 'rook'")
    if isinstance(path, str | Path):
        file: str | None = str(path)
        name = Path(path).name
        frame = _read_geometry(Path(path), layer)
    else:
        file, name, frame = None, "the geometry frame", path
        _polygons(frame, None)
    ids = [_text(v, id) for v in _frame_column(frame, id, f"the file {name}" if file else name)]
    dup = _repeats(ids)
    if dup:
        raise InputError(
            f"region ids repeat: {_show(dup)}", file=file, column=id, hint="give each region once"
        )
    empty = [ids[k] for k in np.flatnonzero(frame.geometry.isna() | frame.geometry.is_empty)]
    if empty:
        raise InputError(
            f"regions without a geometry: {_show(empty)}",
            file=file,
            hint="give each region its polygon",
        )
    check_count(len(ids), file=file)
    from libpysal.weights import Queen, Rook

    builder = Queen if rule == "queen" else Rook
    w = builder.from_dataframe(frame.reset_index(drop=True), use_index=False, silence_warnings=True)
    rows = np.asarray([i for i, nbs in w.neighbors.items() for _ in nbs], dtype=np.int64)
    cols = np.asarray([j for nbs in w.neighbors.values() for j in nbs], dtype=np.int64)
    n = len(ids)
    if link_islands:
        rows, cols = _link_islands(frame.geometry.values, rows, cols, n)
    matrix = _last_wins(rows, cols, np.ones(rows.size), n)
    return SpatialWeights(ids, matrix, source=f"{rule} contiguity of {name}")


def _read_geometry(path: Path, layer: str | int | None) -> Any:
    import geopandas

    if not path.exists():
        raise InputError("file not found", file=str(path), hint="check the path")
    try:
        frame = (
            geopandas.read_file(path, layer=layer)
            if layer is not None
            else geopandas.read_file(path)
        )
    except Exception as error:  # pyogrio's DataSourceError and friends: any unreadable file
        raise InputError(
            f"cannot read the file as geometry ({type(error).__name__})",
            file=str(path),
            hint="give a GeoJSON, Shapefile (.shp with its .shx/.dbf) or GeoPackage",
        ) from error
    _polygons(frame, str(path))
    return frame


def _polygons(frame: Any, file: str | None) -> None:
    try:
        kinds = frame.geom_type  # absent when the frame has no geometry (e.g. a CSV read)
    except AttributeError:
        kinds = None
    if kinds is None or not kinds.isin(["Polygon", "MultiPolygon"]).any():
        raise InputError(
            "the file holds no polygons" if file else "the geometry frame holds no polygons",
            file=file,
            hint="contiguity needs region polygons",
        )


def _link_islands(
    geoms: Any, rows: np.ndarray, cols: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Add a link both ways from each region without a neighbour to the region whose
    polygon is nearest (shapely's STRtree, itself excluded)."""
    import shapely

    degree = np.bincount(rows, minlength=n)
    islands = np.flatnonzero(degree == 0)
    if islands.size == 0:
        return rows, cols
    tree = shapely.STRtree(geoms)
    found = tree.query_nearest(geoms[islands], exclusive=True, all_matches=False)
    src, dst = islands[found[0]], found[1]
    return np.r_[rows, src, dst], np.r_[cols, dst, src]


#: Suffixes :func:`read_weights` reads as polygons (:func:`from_file`); the others of
#: :mod:`nqpf.io` (.csv, .txt, .tsv, .xlsx, .parquet) are edge lists (:func:`from_frame`).
GEOMETRY_SUFFIXES = (".geojson", ".json", ".shp", ".gpkg")
#: Suffixes of GeoDa's weights files (:func:`read_geoda`): ``.gal`` neighbour lists and
#: ``.gwt`` weighted edge lists (as libpysal's ``open`` and spdep's ``read.gal``/``read.gwt2nb``).
GEODA_SUFFIXES = (".gal", ".gwt")


def read_weights(
    source: str | Path | bytes,
    *,
    id: str | None = None,
    rule: Rule = "queen",
    name: str | None = None,
) -> SpatialWeights:
    """Weights named by one text, as the CLI's ``--weights`` gives them, or a file's bytes
    (an upload: ``name`` is then the file's name, whose suffix says its form).

    - a built-in name (``"china-provinces"``): :func:`nqpf.spatial.contiguity` with
      ``rule`` (Hainan linked to Guangdong);
    - a polygon file (``.geojson``, ``.json``, ``.shp``, ``.gpkg``): :func:`from_file`
      with the region-id column ``id`` and ``rule``;
    - any other file (``.csv``, ``.txt``, ``.tsv``, ``.xlsx``, ``.parquet``, read by
      :func:`nqpf.io.read_source`): an edge list for :func:`from_frame`, columns
      ``focal`` and ``neighbour`` and, when present, ``weight`` (binary otherwise;
      a link given one way is added the other way); or, without those columns, an
      n × n matrix with the region ids down its first column and as the names of the
      other n columns (:func:`~nqpf.spatial.weights.from_matrix`: the 0–1 adjacency
      matrix of a spreadsheet);
    - a GeoDa ``.gal`` or ``.gwt`` file (:func:`read_geoda`).

    A missing file or an unknown name is one InputError saying which forms exist.
    """
    from nqpf.spatial.china import contiguity

    if isinstance(source, bytes | bytearray):
        return _read_weights_bytes(bytes(source), name, id, rule)
    if not isinstance(source, str | Path) or not str(source).strip():
        raise InputError(
            "no spatial weights given",
            hint="give a built-in name (" + ", ".join(BUILTIN_REGIONS) + ") or a file",
        )
    if rule not in ("queen", "rook"):
        raise InputError(f"unknown contiguity rule {rule!r}", hint="choose 'queen' or 'rook'")
    text = str(source)
    if text in BUILTIN_REGIONS:
        return contiguity(text, rule=rule)
    path = Path(text)
    if not path.is_file():
        raise InputError(
            f"no spatial weights named '{text}': not a built-in name and no such file",
            hint="give "
            + " or ".join(repr(k) for k in BUILTIN_REGIONS)
            + ", a polygon file (.geojson, .shp, .gpkg) or an edge list (.csv: "
            "focal,neighbour[,weight])",
        )
    if path.suffix.lower() in GEOMETRY_SUFFIXES:
        _polygon_id(id, text)
        return from_file(path, id=id, rule=rule)  # type: ignore[arg-type]
    if path.suffix.lower() in GEODA_SUFFIXES:
        return read_geoda(path.read_bytes(), path.name)
    from nqpf.io import read_source

    return _table_weights(read_source(path), path.name)


def _polygon_id(id: str | None, file: str) -> None:
    if id is None:
        raise InputError(
            "which column of the polygon file holds the region ids?",
            file=file,
            hint="name it (--weights-id COL on the command line, id= in Python)",
        )


def _read_weights_bytes(
    data: bytes, name: str | None, id: str | None, rule: Rule
) -> SpatialWeights:
    """:func:`read_weights` of an uploaded file's bytes (``name``: the file's name)."""
    if not name:
        raise InputError(
            "the weights file has no name", hint="give name= (its suffix says how to read it)"
        )
    if rule not in ("queen", "rook"):
        raise InputError(f"unknown contiguity rule {rule!r}", hint="choose 'queen' or 'rook'")
    if Path(name).suffix.lower() in GEOMETRY_SUFFIXES:
        _polygon_id(id, name)
        return from_file(read_geometry_bytes(data, name), id=id, rule=rule)  # type: ignore[arg-type]
    if Path(name).suffix.lower() in GEODA_SUFFIXES:
        return read_geoda(data, name)
    from nqpf.io import read_source

    return _table_weights(read_source(data, name=name), name)


def read_geometry_bytes(data: bytes, name: str) -> Any:
    """A polygon file's bytes (GeoJSON, zipped Shapefile, GeoPackage) as a GeoDataFrame
    (geopandas through pyogrio), its polygons checked; for :func:`from_file` and the
    maps' ``geometry=``."""
    import io

    import geopandas

    try:
        frame = geopandas.read_file(io.BytesIO(data))
    except Exception as error:  # pyogrio's DataSourceError and friends: any unreadable file
        raise InputError(
            f"cannot read the file as geometry ({type(error).__name__})",
            file=name,
            hint="give a GeoJSON, Shapefile (.shp with its .shx/.dbf) or GeoPackage",
        ) from error
    _polygons(frame, name)
    return frame


def _table_weights(table: Any, label: str) -> SpatialWeights:
    """An edge list (focal, neighbour[, weight]) or an id column and an n × n matrix."""
    from nqpf.spatial.weights import from_matrix

    frame = table.frame
    weight = "weight" if "weight" in frame.columns else None
    # a matrix: the region names down the first column and as the other columns' names
    matrix = (
        not {"focal", "neighbour"} & set(frame.columns)
        and frame.width == frame.height + 1
        and set(frame.columns[1:]) == {str(v) for v in frame.get_column(frame.columns[0])}
    )
    if not matrix:
        for column in ("focal", "neighbour"):
            if column not in frame.columns:
                raise InputError(
                    f"the edge list has no column '{column}'",
                    file=label,
                    hint="an edge list has the columns focal,neighbour[,weight] (a matrix: the "
                    "region names down the first column and as the other columns' names); "
                    "its columns: " + ", ".join(frame.columns[:8]),
                )
    try:
        if matrix:
            return from_matrix(frame, id=frame.columns[0], source=label)
        return from_frame(frame, weight=weight, source=label)
    except InputError as error:
        raise table.locate(error) from None


#: The weights :func:`builtin_weights` builds over built-in regions (the provincial
#: capitals for the distance weights), and the defaults of their parameters.
BUILTIN_KINDS = ("contiguity", "knn", "inverse_distance", "distance_band")
BUILTIN_DEFAULTS: dict[str, Any] = {"k": 4, "power": 1.0, "threshold": 1500.0, "link_islands": True}


def builtin_weights(
    regions: Sequence[Any],
    kind: str = "contiguity",
    *,
    name: str = "china-provinces",
    k: int = BUILTIN_DEFAULTS["k"],
    power: float = BUILTIN_DEFAULTS["power"],
    threshold: float = BUILTIN_DEFAULTS["threshold"],
    link_islands: bool = BUILTIN_DEFAULTS["link_islands"],
) -> SpatialWeights:
    """Weights over a data set's ``regions`` (any spelling the built-in region table
    knows: 北京, 北京市, Beijing, Xizang …), as the built-in regions ``name`` give them:

    - ``"contiguity"``: :func:`nqpf.spatial.contiguity` (``link_islands``: Hainan
      linked to Guangdong) restricted to ``regions`` (:meth:`SpatialWeights.subset`:
      the links to regions not in the data are dropped);
    - ``"knn"``: :func:`knn` with ``k`` over the capitals of ``regions``;
    - ``"inverse_distance"``: :func:`inverse_distance` 1/d^``power`` (km) between them;
    - ``"distance_band"``: :func:`distance_band` (binary, d ≤ ``threshold`` km).

    The weights' ids are the names of ``regions`` as given. A name is matched as the
    maps match it (:func:`nqpf.spatial.maps.region_key`: case, spaces and the
    administrative suffixes 省/市/自治区/Province … aside); a region the table does not
    know is refused by name.
    """
    from nqpf.spatial.china import capital_coordinates, contiguity

    if kind not in BUILTIN_KINDS:
        raise InputError(
            f"unknown built-in weights {kind!r}", hint="choose one of " + ", ".join(BUILTIN_KINDS)
        )
    names = [str(r) for r in dict.fromkeys(regions)]
    full = contiguity(name, link_islands=bool(link_islands))
    within = full.subset(_builtin_names(full, names), what="the data")
    if kind == "contiguity":
        return SpatialWeights(names, within.sparse, aliases=None, source=within.source)
    capitals = capital_coordinates(name)
    coords = {n: capitals[i] for n, i in zip(names, within.ids, strict=True)}
    if kind == "knn":
        return knn(coords, k, metric="haversine")
    if kind == "inverse_distance":
        return inverse_distance(coords, power=power, metric="haversine")
    return distance_band(coords, threshold, metric="haversine")


def builtin_matches(regions: Sequence[Any], name: str = "china-provinces") -> dict[str, str | None]:
    """Each of ``regions`` → the built-in region it is (its id in
    :func:`nqpf.spatial.contiguity`: ``"四川省"`` → ``"Sichuan"``), or None for a name the
    built-in table does not know, matched as :func:`builtin_weights` matches (so a page can
    tell whether a data set's regions are the built-in ones before it builds weights)."""
    from nqpf.spatial.china import contiguity

    full = contiguity(name)
    names = [str(r) for r in dict.fromkeys(regions)]
    return {n: full.resolve(m) for n, m in zip(names, _builtin_names(full, names), strict=True)}


def _builtin_names(full: SpatialWeights, names: list[str]) -> list[str]:
    """Each of ``names`` as the built-in weights know it: itself when it is an id or alias
    of ``full``, else the id whose name has its :func:`~nqpf.spatial.maps.region_key`
    (``"Sichuan Province"``, ``"四川 "``); else itself (refused by name later)."""
    from nqpf.spatial.maps import region_key

    keys: dict[str, str] = {}
    for alias in (*full.ids, *full.aliases):
        keys.setdefault(region_key(alias), full.resolve(alias))  # type: ignore[arg-type]
    return [n if full.resolve(n) is not None else keys.get(region_key(n), n) for n in names]


def read_geoda(data: bytes, name: str) -> SpatialWeights:
    """GeoDa's weights files (Anselin, Syabri & Kho 2006), as libpysal's ``open`` and
    spdep's ``read.gal``/``read.gwt2nb`` read them; text as :func:`nqpf.io.decode_text`
    decodes it (UTF-8, GBK).

    - ``.gal``: a header (``n``, or ``0 n shapefile id-variable``), then for each region
      a line ``id k`` and a line of its k neighbours (binary; a link given one way is
      added the other way, as for an edge list; a region with k = 0 is an island);
    - ``.gwt``: the same header, then one line ``focal neighbour weight`` per link.

    A line that does not read is one InputError naming the file and the line.
    """
    from nqpf.io import decode_text

    lines = decode_text(data, name=name).splitlines()
    header = lines[0].split() if lines else []
    if (
        not header
        or len(header) not in (1, 4)
        or not header[-1 if len(header) == 1 else 1].isdigit()
    ):
        raise InputError(
            "the first line of a GeoDa weights file is not its header",
            file=name,
            row=1,
            hint="a .gal/.gwt file starts with the number of regions (or '0 n shapefile id')",
        )
    n = int(header[0] if len(header) == 1 else header[1])
    if Path(name).suffix.lower() == ".gwt":
        return _read_gwt(lines, name)
    return _read_gal(lines, n, name)


def _gal_line(lines: list[str], at: int, name: str) -> tuple[str, int]:
    parts = lines[at].split() if at < len(lines) else []
    if len(parts) != 2 or not parts[1].isdigit():
        raise InputError(
            "a .gal region line must be 'id k' (the region and its number of neighbours)",
            file=name,
            row=at + 1,
            hint="check the file: each region has a line 'id k', then a line of its k neighbours",
        )
    return parts[0], int(parts[1])


def _read_gal(lines: list[str], n: int, name: str) -> SpatialWeights:
    from nqpf.spatial.weights import from_neighbours

    neighbours: dict[str, list[str]] = {}
    at = 1
    while at < len(lines) and len(neighbours) < n:
        if not lines[at].strip():
            at += 1
            continue
        focal, k = _gal_line(lines, at, name)
        listed = lines[at + 1].split() if k and at + 1 < len(lines) else []
        if len(listed) != k:
            raise InputError(
                f"region '{focal}' has {k} neighbours in its line but {len(listed)} are listed",
                file=name,
                row=at + 2,
                hint="list the k neighbours on the line after 'id k'",
            )
        neighbours[focal] = listed
        at += 2 if k else 1
    if len(neighbours) != n:
        raise InputError(
            f"the header says {n} regions but the file lists {len(neighbours)}",
            file=name,
            hint="give each region its two lines",
        )
    return from_neighbours(neighbours, source=name)


def _read_gwt(lines: list[str], name: str) -> SpatialWeights:
    import polars as pl

    rows: list[tuple[str, str, float]] = []
    for at, line in enumerate(lines[1:], start=2):
        parts = line.split()
        if not parts:
            continue
        try:
            rows.append((parts[0], parts[1], float(parts[2])))
        except (IndexError, ValueError):
            raise InputError(
                "a .gwt line must be 'focal neighbour weight'",
                file=name,
                row=at,
                hint="one link a line: the two region ids and a number",
            ) from None
    frame = pl.DataFrame(rows, schema=["focal", "neighbour", "weight"], orient="row")
    try:
        return from_frame(frame, weight="weight", source=name)
    except InputError as error:
        raise error.with_file(name, row_offset=1) from None
