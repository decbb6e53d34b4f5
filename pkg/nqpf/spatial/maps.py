"""Offline maps of regional results: choropleths, echelon maps, LISA cluster maps and Gi*
hot-spot maps, one year or small multiples, drawn with matplotlib (no tiles, no network).

The maps draw what they are given — a frame of (region, value) or (region, category),
optionally by year — and never compute a statistic: a score comes from the index, an
echelon from :func:`nqpf.echelons`, a LISA cluster from local Moran, a z-score from local
G. Each call returns a :class:`Map` (``.figure``, ``.save(path)`` as SVG with text kept as
text, PNG at 300 dpi or PDF, ``.svg()`` for inline HTML).

Public calls
------------
- :func:`choropleth` — a numeric value in k classes: natural breaks (Jenks, computed
  exactly as :func:`nqpf.groups.fisher_jenks` does, the partition minimising the
  within-class sum of squared deviations, Jenks 1977; Fisher 1958; what
  ``mapclassify.FisherJenks`` computes), quantiles or equal intervals (mapclassify) or
  the caller's ``bins``. With several years the classes are computed once over all the
  years drawn, so one legend holds for every panel.
- :func:`echelon_map` — a category (梯队 tiers or any labels) in the given ``order``.
- :func:`cluster_map` — LISA clusters HH / LH / LL / HL / not significant in the
  conventional colours (Anselin 1995; GeoDa's palette: HH red, LL blue, LH light blue,
  HL pink, not significant light grey).
- :func:`hotspot_map` — Getis–Ord Gi* z-scores as hot and cold spots at 99 / 95 / 90 %
  confidence (|z| ≥ 2.576, 1.960, 1.645, the two-sided normal critical values; or a
  ``p`` column's p ≤ 0.01, 0.05, 0.10 with the sign of z), as ArcGIS's Hot Spot Analysis
  classes them (Getis & Ord 1992; Ord & Getis 1995).

Regions in the data but not in the geometry raise one :class:`~nqpf.errors.InputError`
naming them; regions of the geometry without data (or with a null value) are drawn as
"no data" (hatched) and named in the legend. Region names are matched through
:func:`region_key` (case, spaces, the Chinese suffixes 省/市/自治区/…, English suffixes
such as "Province"), then, on the China map, the provinces' other names from the China
table the contiguity weights use (:func:`nqpf.spatial.china.builtin_aliases`: "Xizang"
→ Tibet, "Nei Mongol" → Inner Mongolia, 内蒙古自治区 …) and the GB/T 2260 codes, and the
names of Hong Kong, Macao and Taiwan in :data:`ALIASES`.

Built-in geometry (``geometry=``)
---------------------------------
- ``"china-provinces"`` (default): the 31 mainland provincial-level divisions, ``id`` =
  the NBS English name (Beijing … "Inner Mongolia", "Tibet", "Shaanxi"), property
  ``name_zh`` (北京 … 内蒙古, 西藏, 陕西); Hong Kong, Macao and Taiwan are in the map too and,
  like any region without data, drawn as "no data" unless the data has them (the usual
  practice of the provincial literature, whose statistics cover the mainland only). The
  South China Sea islands (南海诸岛) are drawn schematically in an inset at the lower right.
  Drawn in an Albers equal-area conic projection (standard parallels 25° N and 47° N,
  central meridian 105° E, on the sphere of radius 6 371 007 m; Snyder 1987, §14), the
  projection usual for maps of the whole of China.
- ``"world-countries"``: 215 countries and territories (Natural Earth names, e.g.
  "China", "United States", "Dem. Rep. Korea"), drawn in longitude/latitude.

Source and licence: both are simplified derivatives (shapely ``simplify``, coordinates
rounded to 0.001° / 0.01°) of the map data in the npm package ``echarts`` 4.9.0
(``map/json/china.json``, decoded from its compressed "UTF8Encoding"; ``world.json``, a
Natural Earth derivative; the South China Sea inset and Diaoyu Islands coordinates of
ECharts' China map), Apache License 2.0, (c) The Apache Software Foundation. The licence
text, the notice and the provenance (``maps-sources.md``) ship beside the files in
``nqpf/spatial/data/``; ``data/make_maps.py`` in the repository rebuilds them. No code
of ECharts is used.

**The built-in China map is schematic.** Maps published in China (in a journal, a thesis,
a report) must use the official standard map (标准地图, with its review number 审图号, from
the Ministry of Natural Resources' standard map service): load its boundaries with
``geometry="path/to/file.shp"`` (or ``.geojson``, ``.gpkg``; read with geopandas/pyogrio),
``geometry_id=`` naming the column that holds the region names, and
``projection="albers-china"`` for the same projection as the built-in map.

Drawing conventions: the figures' style of :mod:`nqpf.figures` (CJK font stack, SVG
text as text, literal labels, constrained layout), legends outside the map at the right,
and, by default on a map in metres (the Albers China map or a projected ``geometry=``
file), a north arrow and a scale bar (``north_arrow=``, ``scale_bar=`` True/False force
them; a longitude/latitude map has north up everywhere and no single scale). The scale
bar is true to scale along the standard parallels and approximate elsewhere.

References
----------
Anselin, L. (1995). Local indicators of spatial association — LISA. *Geographical
Analysis* 27(2), 93–115.
Fisher, W. D. (1958). On grouping for maximum homogeneity. *JASA* 53, 789–798.
Getis, A., Ord, J. K. (1992). The analysis of spatial association by use of distance
statistics. *Geographical Analysis* 24(3), 189–206.
Jenks, G. F. (1977). *Optimal data classification for choropleth maps.* University of
Kansas, Occasional Paper 2.
Ord, J. K., Getis, A. (1995). Local spatial autocorrelation statistics: distributional
issues and an application. *Geographical Analysis* 27(4), 286–306.
Snyder, J. P. (1987). *Map projections — a working manual.* USGS Professional Paper 1395.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from nqpf._frames import to_polars
from nqpf.errors import InputError

__all__ = [
    "ALIASES",
    "BUILTIN_GEOMETRIES",
    "Map",
    "choropleth",
    "cluster_map",
    "echelon_map",
    "hotspot_map",
    "match_regions",
    "region_key",
]

DATA = Path(__file__).resolve().parent / "data"
CHINA = "china-provinces"

#: Built-in geometry name → (file in nqpf/spatial/data, default projection).
BUILTIN_GEOMETRIES: dict[str, tuple[str, str]] = {
    CHINA: ("china-provinces.geojson", "albers-china"),
    "world-countries": ("world-countries.geojson", "lonlat"),
}

#: Albers equal-area conic for China: standard parallels, central meridian, origin (deg).
ALBERS_CHINA = {"lat1": 25.0, "lat2": 47.0, "lon0": 105.0, "lat0": 0.0}
#: Radius of the authalic sphere of WGS 84 (m), for the spherical Albers formulas.
EARTH_RADIUS = 6_371_007.0
PROJECTIONS = ("albers-china", "lonlat", "none")

#: The texts drawn on the maps, by language.
TEXT = {
    "en": {
        "no_data": "No data",
        "regions": "regions",
        "inset": "South China\nSea Islands",
        "north": "N",
        "km": "km",
        "ns": "Not significant",
        "HH": "High-High",
        "LH": "Low-High",
        "LL": "Low-Low",
        "HL": "High-Low",
        "hot": "Hot spot {level}%",
        "cold": "Cold spot {level}%",
    },
    "zh": {
        "no_data": "无数据",
        "regions": "个地区",
        "inset": "南海诸岛",
        "north": "N",
        "km": "千米",
        "ns": "不显著",
        "HH": "高-高",
        "LH": "低-高",
        "LL": "低-低",
        "HL": "高-低",
        "hot": "热点 ({level}%)",
        "cold": "冷点 ({level}%)",
    },
}
LANGS = tuple(TEXT)

#: LISA cluster colours (GeoDa's): HH red, LH light blue, LL blue, HL pink, n.s. light grey.
LISA_COLOURS = {
    "HH": "#e31a1c",
    "LH": "#a6bddb",
    "LL": "#2166ac",
    "HL": "#f4a6a6",
    "ns": "#eeeeee",
}
#: What a LISA cluster cell may say (compared after :func:`_cluster_key`) → its class.
#: 1-4 and 0 are esda's quadrant codes (1 HH, 2 LH, 3 LL, 4 HL) and "not significant".
LISA_NAMES = {
    **{q.lower(): q for q in ("HH", "LH", "LL", "HL")},
    "highhigh": "HH",
    "lowhigh": "LH",
    "lowlow": "LL",
    "highlow": "HL",
    "高高": "HH",
    "低高": "LH",
    "低低": "LL",
    "高低": "HL",
    "1": "HH",
    "2": "LH",
    "3": "LL",
    "4": "HL",
    "0": "ns",
    "ns": "ns",
    "notsignificant": "ns",
    "nonsignificant": "ns",
    "insignificant": "ns",
    "不显著": "ns",
    "非显著": "ns",
}

#: Hot/cold-spot confidence levels (%) and their two-sided critical |z| (normal quantiles
#: 0.995, 0.975, 0.95) and p thresholds, highest first.
HOTSPOT_LEVELS = (
    (99, 2.5758293035489004, 0.01),
    (95, 1.959963984540054, 0.05),
    (90, 1.6448536269514722, 0.10),
)
#: Colours of the hot/cold-spot classes (ArcGIS's Hot Spot Analysis palette).
HOTSPOT_COLOURS = {
    ("hot", 99): "#d62f27",
    ("hot", 95): "#ed7551",
    ("hot", 90): "#fab984",
    "ns": "#eeeeee",
    ("cold", 90): "#c0ccbe",
    ("cold", 95): "#849eba",
    ("cold", 99): "#4575b5",
}

#: Classification schemes of :func:`choropleth` → the mapclassify class.
SCHEMES = {
    "natural_breaks": "FisherJenks",
    "fisher_jenks": "FisherJenks",
    "quantiles": "Quantiles",
    "equal_interval": "EqualInterval",
}

NO_DATA_FACE = "#ffffff"
#: Width added at the right of a map with the South China Sea inset (share of its width).
INSET_ROOM = 0.16
NO_DATA_HATCH = "////"
EDGE = "#5f5f5f"
#: The most panels of a small-multiples map (beyond, a legend and titles are unreadable).
MAX_PANELS = 12


# ----------------------------------------------------------------------------- names

#: Other spellings of the map regions that are not among the 31 provinces (whose other
#: names come from the one China table, :func:`nqpf.spatial.china.builtin_aliases`),
#: compared after :func:`region_key`'s normalisation.
ALIASES = {
    "macau": "macao",
    "hongkongsar": "hongkong",
    "macaosar": "macao",
    "taiwanprovince": "taiwan",
}

_ZH_SUFFIX = re.compile("(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$")
_EN_SUFFIX = re.compile(
    r"(province|municipality|autonomousregion|specialadministrativeregion|sar|"
    r"zhuangautonomousregion|huiautonomousregion|uygurautonomousregion)$"
)


def region_key(name: Any) -> str:
    """The form names are compared in: trimmed, case-folded, without spaces, hyphens,
    apostrophes or dots, without the administrative suffix (省, 市, 自治区, 壮族自治区, …,
    特别行政区; "Province", "Autonomous Region", "SAR", …), then through :data:`ALIASES`.

    The provinces' other names (Xizang, Nei Mongol, 内蒙古自治区 …) come from the China
    table that the contiguity weights use (:func:`nqpf.spatial.china.builtin_aliases`),
    so maps and weights accept the same names."""
    key = re.sub(r"[\s\-'’.·]+", "", str(name).strip().casefold())
    stripped = _ZH_SUFFIX.sub("", key)
    if stripped and stripped != key:
        key = stripped
    else:
        stripped = _EN_SUFFIX.sub("", key)
        key = stripped or key
    return ALIASES.get(key, key)


def match_regions(
    names: Iterable[Any], geometry: Geometry, *, what: str = "region"
) -> dict[str, str]:
    """Each data region name → the geometry id it is (by id, ``name_zh`` or code, through
    :func:`region_key`). Names the geometry does not have raise one InputError naming
    them; two names of one region (北京 and Beijing) raise too."""
    index: dict[str, str] = {}
    codes = geometry.codes or (None,) * len(geometry.ids)
    for gid, zh, code in zip(geometry.ids, geometry.names_zh, codes, strict=True):
        for label in (gid, zh, code):
            if label:
                index.setdefault(region_key(label), gid)
    if geometry.name == CHINA:
        from nqpf.spatial.china import builtin_aliases

        ids = set(geometry.ids)
        for alias, gid in builtin_aliases(CHINA).items():
            if gid in ids:
                index.setdefault(region_key(alias), gid)
    found: dict[str, str] = {}
    missing: list[str] = []
    for name in dict.fromkeys(str(n) for n in names):
        gid = index.get(region_key(name))
        if gid is None:
            missing.append(name)
        else:
            found[name] = gid
    if missing:
        raise InputError(
            f"{len(missing)} {what}(s) of the data are not in the map {geometry.name!r}: "
            f"{_show(missing)}",
            hint=f"use the map's names (e.g. {_show(list(geometry.ids[:3]), 3)}, or in Chinese), "
            "or pass geometry= a file that has them",
        )
    twice = _first_duplicate(found)
    if twice:
        raise InputError(
            f"{twice[0]!r} and {twice[1]!r} are both the map's region {found[twice[0]]!r}",
            hint="give each region one name in the data",
        )
    return found


def _first_duplicate(found: Mapping[str, str]) -> tuple[str, str] | None:
    seen: dict[str, str] = {}
    for name, gid in found.items():
        if gid in seen:
            return seen[gid], name
        seen[gid] = name
    return None


def _show(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# -------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Geometry:
    """Map regions ready to draw: ids, Chinese names, projected shapely geometries, the
    South China Sea inset (in its own plane) and whether coordinates are metres."""

    name: str
    ids: tuple[str, ...]
    names_zh: tuple[str | None, ...]
    shapes: tuple[Any, ...]
    inset: Any | None
    metres: bool
    aspect: float
    inset_frame: tuple[float, float, float, float] | None = None
    #: other names of each region (the China map: its GB/T 2260 division code, 110000 …)
    codes: tuple[str | None, ...] = ()


def albers(
    lon: np.ndarray, lat: np.ndarray, p: Mapping[str, float] = ALBERS_CHINA
) -> tuple[np.ndarray, np.ndarray]:
    """Spherical Albers equal-area conic (Snyder 1987, eqs. 14-1 to 14-4):
    n = (sin φ₁ + sin φ₂)/2, C = cos²φ₁ + 2n sin φ₁, ρ = R √(C − 2n sin φ)/n,
    θ = n(λ − λ₀), x = ρ sin θ, y = ρ₀ − ρ cos θ (metres)."""
    phi1, phi2, phi0 = (math.radians(p[k]) for k in ("lat1", "lat2", "lat0"))
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = EARTH_RADIUS * math.sqrt(c - 2 * n * math.sin(phi0)) / n
    rho = EARTH_RADIUS * np.sqrt(c - 2 * n * np.sin(np.radians(lat))) / n
    theta = n * np.radians(np.asarray(lon) - p["lon0"])
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def _project(shapes: list[Any], projection: str) -> list[Any]:
    import shapely

    if projection != "albers-china":
        return shapes

    def transform(xy: np.ndarray) -> np.ndarray:
        x, y = albers(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return [shapely.transform(s, transform) for s in shapes]


@functools.lru_cache(maxsize=8)
def _builtin(name: str, projection: str) -> Geometry:
    from shapely.geometry import shape

    file, _ = BUILTIN_GEOMETRIES[name]
    features = json.loads((DATA / file).read_text(encoding="utf-8"))["features"]
    regions = [f for f in features if f["properties"].get("kind") != "inset"]
    insets = [
        (shape(f["geometry"]), tuple(f["properties"]["frame"]))
        for f in features
        if f["properties"].get("kind") == "inset"
    ]
    shapes = _project([shape(f["geometry"]) for f in regions], projection)
    return Geometry(
        name=name,
        ids=tuple(str(f["id"]) for f in regions),
        names_zh=tuple(f["properties"].get("name_zh") for f in regions),
        shapes=tuple(shapes),
        inset=insets[0][0] if insets else None,
        inset_frame=insets[0][1] if insets else None,
        codes=tuple(f["properties"].get("code") or None for f in regions),
        metres=projection == "albers-china",
        aspect=_aspect(shapes, projection),
    )


def _aspect(shapes: Sequence[Any], projection: str) -> float:
    """y:x display ratio: 1 in metres; 1/cos(mid-latitude) in longitude/latitude."""
    if projection != "lonlat" or not shapes:
        return 1.0
    import shapely

    _, y0, _, y1 = shapely.total_bounds(list(shapes))
    middle = min(max((y0 + y1) / 2, -60.0), 60.0)
    return 1.0 / math.cos(math.radians(middle))


def _read_file(path: str, geometry_id: str | None, projection: str | None) -> Geometry:
    try:
        import geopandas
    except ImportError:  # pragma: no cover - the spatial extra
        raise InputError(
            "reading a map file needs geopandas", hint="pip install 'nqpf[spatial]'"
        ) from None
    if not Path(path).exists():
        raise InputError(
            f"map file {path!r} does not exist", hint="give a GeoJSON, Shapefile or GeoPackage path"
        )
    try:
        frame = geopandas.read_file(path)
    except Exception as error:  # pyogrio/fiona: any unreadable file
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"cannot read map file {path!r} ({first})") from None
    return _from_frame(frame, path, geometry_id, projection)


def _from_frame(frame: Any, name: str, geometry_id: str | None, projection: str | None) -> Geometry:
    """A GeoDataFrame's polygons → :class:`Geometry` (ids from ``geometry_id``)."""
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    column = geometry_id or next(
        (c for c in ("id", "name", "NAME", "name_en") if c in columns), None
    )
    if column is None or column not in columns:
        raise InputError(
            f"map {name!r} has no column {column or 'id/name'!r} to name its regions",
            hint=f"pass geometry_id= one of its columns: {_show(columns)}",
        )
    _check_polygons(frame, name, column)
    geographic = _geographic(frame)
    if projection in ("albers-china", "lonlat") and not geographic:
        if frame.crs is None:
            raise InputError(
                f"map {name!r} has projected coordinates and no CRS, so it cannot be re-projected",
                hint="pass projection='none' to draw it as it is, or give the file its CRS (.prj)",
            )
        frame = frame.to_crs(4326)
        geographic = True
    projection = projection or ("lonlat" if geographic else "none")
    ids = [str(v) for v in frame[column]]
    zh = (
        [None if v is None else str(v) for v in frame["name_zh"]]
        if "name_zh" in columns
        else [None] * len(ids)
    )
    shapes = _project(list(frame.geometry), projection)
    return Geometry(
        name=str(name),
        ids=tuple(ids),
        names_zh=tuple(zh),
        shapes=tuple(shapes),
        inset=None,
        metres=projection == "albers-china" or (projection == "none" and not geographic),
        aspect=_aspect(shapes, projection),
    )


def _geographic(frame: Any) -> bool:
    """Longitude/latitude: by the CRS, or without one by coordinates within ±180 / ±90."""
    if frame.crs is not None:
        return bool(frame.crs.is_geographic)
    x0, y0, x1, y1 = frame.total_bounds
    return -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90


def _check_polygons(frame: Any, name: str, column: str) -> None:
    kinds = [None if g is None else g.geom_type for g in frame.geometry]
    bad = [
        str(frame[column].iloc[i])
        for i, kind in enumerate(kinds)
        if kind not in ("Polygon", "MultiPolygon")
    ]
    if bad:
        raise InputError(
            f"map {name!r} has regions without an area (no polygon): {_show(bad)}",
            hint="a map draws polygons: use a boundary file, not points or lines",
        )


def load_geometry(
    geometry: Any = "china-provinces",
    *,
    geometry_id: str | None = None,
    projection: str | None = None,
) -> Geometry:
    """A built-in map name (:data:`BUILTIN_GEOMETRIES`), a GeoJSON/Shapefile/GeoPackage path
    or a geopandas GeoDataFrame → :class:`Geometry`, projected by ``projection``
    ("albers-china", "lonlat", "none"; default: the built-in map's, else "lonlat" for
    longitude/latitude data and "none" for projected data)."""
    if projection is not None and projection not in PROJECTIONS:
        raise InputError(
            f"projection={projection!r} is unknown", hint=f"use one of {', '.join(PROJECTIONS)}"
        )
    if isinstance(geometry, str) and geometry in BUILTIN_GEOMETRIES:
        return _builtin(geometry, projection or BUILTIN_GEOMETRIES[geometry][1])
    if isinstance(geometry, (str, Path)):
        if Path(geometry).suffix == "" and "/" not in str(geometry):
            raise InputError(
                f"geometry={str(geometry)!r} is no built-in map",
                hint=f"use one of {', '.join(BUILTIN_GEOMETRIES)} or a GeoJSON/Shapefile/GeoPackage path",
            )
        geo = _read_file(str(geometry), geometry_id, projection)
    elif hasattr(geometry, "geometry") and hasattr(geometry, "crs"):
        geo = _from_frame(geometry, "GeoDataFrame", geometry_id, projection)
    else:
        raise InputError(
            f"geometry= cannot be a {type(geometry).__name__}",
            hint="give a built-in map name, a map file path or a geopandas GeoDataFrame",
        )
    _check_ids(geo)
    return geo


def _check_ids(geo: Geometry) -> None:
    seen: set[str] = set()
    twice = [i for i in geo.ids if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
    if twice:
        raise InputError(
            f"map {geo.name!r} names {_show(twice)} twice",
            hint="give each region one row (dissolve its parts) or choose another geometry_id=",
        )


# ------------------------------------------------------------------------------ data


def _panels(
    data: Any,
    column: str,
    region: str,
    year: str | None,
    years: Sequence[Any] | None,
    geo: Geometry,
) -> list[tuple[str | None, dict[str, Any]]]:
    """(panel title, {geometry id: cell}) per year drawn (one untitled panel without
    ``year``); null cells are left out (drawn as no data)."""
    frame = to_polars(
        data, what="map data", hint="pass a polars or pandas frame with region and value columns"
    )
    wanted = [c for c in (region, column, year) if c is not None]
    absent = [c for c in wanted if c not in frame.columns]
    if absent:
        raise InputError(
            f"map data has no column {absent[0]!r}",
            column=absent[0],
            hint=f"name the columns with region=, year= and the value argument; it has {_show(frame.columns)}",
        )
    nulls = frame.get_column(region).is_null().arg_true()
    if nulls.len():
        raise InputError(
            "a row of the map data has no region",
            row=int(nulls[0]) + 1,
            column=region,
            hint="name the region of every row, or drop the row",
        )
    if year is None:
        groups = [(None, frame)]
    else:
        present = frame.get_column(year).unique(maintain_order=True).drop_nulls().to_list()
        chosen = sorted(present) if years is None else list(years)
        unknown = [y for y in chosen if y not in present]
        if unknown:
            raise InputError(
                f"year(s) {_show([str(y) for y in unknown])} are not in column {year!r}",
                column=year,
                hint=f"choose among {_show([str(y) for y in sorted(present)])}",
            )
        groups = [(str(y), frame.filter(pl.col(year) == y)) for y in chosen]
    if not 1 <= len(groups) <= MAX_PANELS:
        raise InputError(
            f"{len(groups)} panels to draw; a map holds 1 to {MAX_PANELS}",
            hint="choose the years with years=[...]",
        )
    names = match_regions(frame.get_column(region).to_list(), geo)
    return [(title, _cells(part, column, region, title, names)) for title, part in groups]


def _cells(
    part: pl.DataFrame, column: str, region: str, title: str | None, names: Mapping[str, str]
) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for name, value in zip(
        part.get_column(region).to_list(), part.get_column(column).to_list(), strict=True
    ):
        gid = names[str(name)]
        if gid in cells:
            where = f" in {title}" if title else ""
            raise InputError(
                f"region {name!r} has two rows{where}",
                column=region,
                hint="give one row per region (and per year with year=)",
            )
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            cells[gid] = value
    return cells


# --------------------------------------------------------------------------- the map


@dataclass
class Map:
    """A drawn map: ``figure`` is the matplotlib Figure (not registered with pyplot)."""

    figure: Any

    def to_bytes(self, format: str = "png") -> bytes:
        """The map as ``format`` bytes: "svg" (text as text), "png" (300 dpi) or "pdf"."""
        import io

        from nqpf.figures import style as chart_style

        if format not in ("svg", "png", "pdf"):
            raise InputError(f"format {format!r} is not a map format", hint="use svg, png or pdf")
        buffer = io.BytesIO()
        # no date in the file: the same map gives the same bytes
        metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(format)
        with chart_style():
            self.figure.savefig(buffer, format=format, metadata=metadata)
        return buffer.getvalue()

    def save(self, path: str | Path, format: str | None = None) -> Path:
        """Write the map to ``path`` in the format of its suffix (.svg, .png, .pdf)."""
        path = Path(path)
        fmt = format or path.suffix.lstrip(".").lower()
        path.write_bytes(self.to_bytes(fmt))
        return path

    def svg(self) -> str:
        """The map as SVG text from ``<svg`` on (for inlining in HTML)."""
        text = self.to_bytes("svg").decode("utf-8")
        return text[text.index("<svg") :]

    def _repr_svg_(self) -> str:  # notebooks
        return self.svg()


@dataclass(frozen=True)
class _Style:
    """What every map call shares: language, title, layout and map furniture."""

    lang: str
    title: str | None
    ncols: int | None
    north_arrow: bool | None
    scale_bar: bool | None
    labels: bool
    legend_title: str | None
    width: float | None


def _style(lang: str, **kw: Any) -> _Style:
    if lang not in LANGS:
        raise InputError(
            f"lang={lang!r} is not a map language", hint=f"use one of {', '.join(LANGS)}"
        )
    return _Style(lang=lang, **kw)


#: One legend entry: (label, face colour, hatched).
Entry = tuple[str, str, bool]


def _draw(
    geo: Geometry,
    panels: list[tuple[str | None, dict[str, str]]],
    entries: list[Entry],
    style: _Style,
) -> Map:
    """Draw each panel's {id: colour} on the geometry with one legend (``entries`` plus
    "no data" naming the regions without data) at the right of the panels."""
    from matplotlib.figure import Figure

    from nqpf.figures import style as chart_style

    n = len(panels)
    ncols = style.ncols or (n if n <= 3 else 4 if n in (4, 7, 8) else 3)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    panel_w = 4.6 if n == 1 else 3.3
    panel_h = panel_w * _height_ratio(geo)
    width = style.width or panel_w * ncols + 2.2
    with chart_style():
        fig = Figure(
            figsize=(width, panel_h * nrows + (0.5 if style.title else 0.2)), layout="constrained"
        )
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        missing: list[str] = []
        for ax, (title, colours) in zip(axes, panels, strict=False):
            _draw_panel(ax, geo, colours, title, style)
            missing += [g for g in geo.ids if g not in colours and g not in missing]
        for ax in axes[n:]:
            ax.set_axis_off()
        _legend(fig, geo, entries, missing, style)
        if style.title:
            fig.suptitle(style.title)
    return Map(fig)


def _height_ratio(geo: Geometry) -> float:
    import shapely

    x0, y0, x1, y1 = shapely.total_bounds(list(geo.shapes))
    return min(max((y1 - y0) * geo.aspect / max(x1 - x0, 1e-9), 0.35), 1.6)


def _draw_panel(
    ax: Any, geo: Geometry, colours: Mapping[str, str], title: str | None, style: _Style
) -> None:
    import shapely
    from matplotlib.patches import PathPatch

    for gid, shape in zip(geo.ids, geo.shapes, strict=True):
        colour = colours.get(gid)
        patch = PathPatch(
            _path(shape),
            facecolor=colour or NO_DATA_FACE,
            hatch=None if colour else NO_DATA_HATCH,
            edgecolor=EDGE,
            linewidth=0.35,
            label=gid,  # names the patch (tests, SVG consumers); the legend is built apart
        )
        # add_artist, not add_patch: the limits are set below, and add_patch's walk over
        # every Bézier segment for the data limits costs seconds per map
        ax.add_artist(patch)
    x0, y0, x1, y1 = shapely.total_bounds(list(geo.shapes))
    pad_x, pad_y = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
    # room at the right for the inset, clear of Taiwan and the coast
    right = INSET_ROOM * (x1 - x0) if geo.inset is not None else pad_x
    ax.set_xlim(x0 - pad_x, x1 + right)
    ax.set_ylim(y0 - pad_y, y1 + pad_y)
    ax.set_aspect(geo.aspect)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)
    if style.labels:
        _labels(ax, geo, colours, style.lang)
    if geo.inset is not None:
        _inset(ax, geo.inset, geo.inset_frame or geo.inset.bounds, style.lang)
    if style.north_arrow or (style.north_arrow is None and geo.metres):
        _north_arrow(ax, style.lang)
    if style.scale_bar or (style.scale_bar is None and geo.metres):
        _scale_bar(ax, geo, style.lang)


def _path(shape: Any) -> Any:
    """A (multi)polygon as one matplotlib compound path (holes as inner rings)."""
    from matplotlib.path import Path as MplPath
    from shapely.geometry.polygon import orient

    rings = []
    for part in getattr(shape, "geoms", [shape]):
        if part.geom_type != "Polygon":
            continue
        # matplotlib fills by the non-zero winding rule: holes must turn the other way
        polygon = orient(part, 1.0)
        for ring in (polygon.exterior, *polygon.interiors):
            rings.append(MplPath(np.asarray(ring.coords)[:, :2], closed=True))
    return MplPath.make_compound_path(*rings) if rings else MplPath(np.zeros((1, 2)))


def _labels(ax: Any, geo: Geometry, colours: Mapping[str, str], lang: str) -> None:
    """Each region with data named at a point inside it, white on dark faces (luma < 0.5);
    regions without data stay unnamed (Hong Kong and Macao would cover Guangdong's name)."""
    from matplotlib.colors import to_rgb

    for gid, zh, shape in zip(geo.ids, geo.names_zh, geo.shapes, strict=True):
        if gid not in colours:
            continue
        point = shape.representative_point()
        text = zh if lang == "zh" and zh else gid
        r, g, b = to_rgb(colours[gid])
        dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5  # Rec. 709 luma
        ax.text(
            point.x,
            point.y,
            text,
            fontsize=4.5,
            ha="center",
            va="center",
            color="white" if dark else "#222222",
        )


def _inset(ax: Any, inset: Any, frame: Sequence[float], lang: str) -> None:
    """The South China Sea islands in a framed box at the lower right (ECharts' schematic:
    coast, island dashes; its x is compressed 0.75 as ECharts draws it)."""
    from matplotlib.patches import PathPatch

    box = ax.inset_axes((0.875, 0.0, 0.125, 0.27))
    box.set_label("inset")
    box.set_facecolor("white")
    for part in getattr(inset, "geoms", [inset]):
        box.add_artist(PathPatch(_path(part), facecolor="#9a9a9a", edgecolor=EDGE, linewidth=0.3))
    x0, y0, x1, y1 = frame
    box.set_xlim(x0, x1)
    box.set_ylim(y0, y1)
    box.set_aspect(1 / 0.75)
    box.set_xticks([])
    box.set_yticks([])
    for spine in box.spines.values():
        spine.set_linewidth(0.6)
        spine.set_edgecolor("#444444")
    box.text(
        0.5,
        0.03,
        TEXT[lang]["inset"],
        transform=box.transAxes,
        ha="center",
        va="bottom",
        fontsize=4,
        linespacing=1.0,
    )


def _north_arrow(ax: Any, lang: str) -> None:
    ax.annotate(
        TEXT[lang]["north"],
        xy=(0.05, 0.97),
        xytext=(0.05, 0.84),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=8,
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 0.8},
    )


def _scale_bar(ax: Any, geo: Geometry, lang: str) -> None:
    """A bar of a round length (about a fifth of the map's width) in km at the lower left."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5 / 1000
    km = max(
        v for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if v <= max(target, 1)
    )
    left, base = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    height = 0.012 * (y1 - y0)
    for i in range(2):
        ax.add_patch(
            Rectangle(
                (left + i * km * 500, base),
                km * 500,
                height,
                facecolor="black" if i == 0 else "white",
                edgecolor="black",
                lw=0.5,
            )
        )
    for fraction, label in (
        (0, "0"),
        (0.5, f"{km // 2 if km % 2 == 0 else km / 2:g}"),
        (1, f"{km:g} {TEXT[lang]['km']}"),
    ):
        ax.text(
            left + fraction * km * 1000,
            base + 1.8 * height,
            label,
            ha="left" if fraction == 1 else "center",
            va="bottom",
            fontsize=6,
        )


def _legend(
    fig: Any, geo: Geometry, entries: list[Entry], missing: list[str], style: _Style
) -> None:
    from matplotlib.patches import Patch

    from nqpf.formats import clean_text

    rows = list(entries)
    if missing:
        names = [_region_name(geo, g, style.lang) for g in missing]
        comma = "、" if style.lang == "zh" else ", "
        shown = (
            comma.join(names) if len(names) <= 4 else f"{len(names)} {TEXT[style.lang]['regions']}"
        )
        sep = "：" if style.lang == "zh" else ": "
        rows.append((f"{TEXT[style.lang]['no_data']}{sep}{shown}", NO_DATA_FACE, True))
    handles = [
        Patch(
            facecolor=face, edgecolor=EDGE, hatch=NO_DATA_HATCH if hatched else None, linewidth=0.5
        )
        for _, face, hatched in rows
    ]
    fig.legend(
        handles,
        [clean_text(label) for label, _, _ in rows],
        loc="outside right upper",
        title=clean_text(style.legend_title) if style.legend_title else None,
        fontsize=8,
        title_fontsize=8,
        frameon=False,
    )


def _region_name(geo: Geometry, gid: str, lang: str) -> str:
    if lang == "zh":
        zh = geo.names_zh[geo.ids.index(gid)]
        return zh or gid
    return gid


# ----------------------------------------------------------------------- public maps


def _common(
    lang: str,
    title: str | None,
    ncols: int | None,
    north_arrow: bool | None,
    scale_bar: bool | None,
    labels: bool,
    legend_title: str | None,
    width: float | None,
) -> _Style:
    return _style(
        lang,
        title=title,
        ncols=ncols,
        north_arrow=north_arrow,
        scale_bar=scale_bar,
        labels=labels,
        legend_title=legend_title,
        width=width,
    )


def choropleth(
    data: Any,
    value: str = "score",
    *,
    region: str = "region",
    year: str | None = None,
    years: Sequence[Any] | None = None,
    scheme: str = "natural_breaks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    cmap: str = "YlOrRd",
    decimals: int | None = None,
    geometry: Any = "china-provinces",
    geometry_id: str | None = None,
    projection: str | None = None,
    lang: str = "en",
    title: str | None = None,
    legend_title: str | None = None,
    ncols: int | None = None,
    north_arrow: bool | None = None,
    scale_bar: bool | None = None,
    labels: bool = False,
    width: float | None = None,
) -> Map:
    """A numeric ``value`` by region in k classes, one panel per year drawn.

    ``scheme``: "natural_breaks" (default; Jenks natural breaks computed exactly by
    :func:`nqpf.groups.fisher_jenks`: the k classes minimising Σ_c Σ_{i∈c} (x_i − x̄_c)²,
    as ``mapclassify.FisherJenks``), "quantiles", "equal_interval" (``mapclassify``); or ``bins`` = the classes' upper bounds (the largest
    value closes the last class). With ``year`` every year in the data is a panel (or the
    ``years`` chosen, at most :data:`MAX_PANELS`), classified once over all panels' values
    (one legend). Class i holds b_{i−1} < x ≤ b_i (the first also its minimum), as
    mapclassify assigns them. ``decimals`` of the legend: by default the fewest (2–6; 0
    for whole numbers) that tell the bounds apart.
    """
    geo = load_geometry(geometry, geometry_id=geometry_id, projection=projection)
    style = _common(
        lang, title, ncols, north_arrow, scale_bar, labels, legend_title or value, width
    )
    panels = _panels(data, value, region, year, years, geo)
    numbers = {t: {g: _number(v, value) for g, v in cells.items()} for t, cells in panels}
    pooled = np.array([v for cells in numbers.values() for v in cells.values()], dtype=float)
    upper = _breaks(pooled, scheme, k, bins)
    colours = _class_colours(cmap, len(upper))
    drawn = [
        (t, {g: colours[int(np.searchsorted(upper, v, side="left"))] for g, v in cells.items()})
        for t, cells in numbers.items()
    ]
    entries = [
        (label, colour, False)
        for label, colour in zip(_class_labels(pooled, upper, decimals), colours, strict=True)
    ]
    return _draw(geo, drawn, entries, style)


def _number(cell: Any, column: str) -> float:
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        raise InputError(
            f"column {column!r} holds {cell!r}, not a number",
            column=column,
            hint="a choropleth draws numbers; draw categories with echelon_map",
        )
    if not math.isfinite(cell):
        raise InputError(
            f"column {column!r} holds {cell!r}", column=column, hint="map finite values only"
        )
    return float(cell)


def _breaks(pooled: np.ndarray, scheme: str, k: int, bins: Sequence[float] | None) -> np.ndarray:
    """The classes' upper bounds (the last is the maximum)."""
    if pooled.size == 0:
        raise InputError(
            "the map data has no value to classify", hint="give at least one non-null value"
        )
    if bins is not None:
        upper = np.unique(np.asarray(list(bins), dtype=float))
        if upper.size == 0 or not np.all(np.isfinite(upper)):
            raise InputError(
                f"bins={list(bins)!r} are not finite numbers", hint="give increasing upper bounds"
            )
        return upper if upper[-1] >= pooled.max() else np.append(upper, pooled.max())
    if scheme not in SCHEMES:
        raise InputError(
            f"scheme={scheme!r} is unknown", hint=f"use one of {', '.join(SCHEMES)} or bins="
        )
    distinct = np.unique(pooled).size
    if not 2 <= k <= distinct:
        raise InputError(
            f"k={k} classes of {distinct} distinct value(s)",
            hint=f"use 2 <= k <= {distinct}"
            if distinct >= 2
            else "a map of classes needs two distinct values",
        )
    if SCHEMES[scheme] == "FisherJenks":
        # the project's one exact Fisher–Jenks (the echelons' "jenks" rule), so that a
        # map's classes and an echelon table never disagree on a tie
        from nqpf.groups import fisher_jenks

        classes, _ = fisher_jenks(pooled, k)
        return np.array([pooled[classes == c].max() for c in range(k)])
    import mapclassify

    classifier = getattr(mapclassify, SCHEMES[scheme])(pooled, k=k)
    return np.asarray(classifier.bins, dtype=float)


def _class_colours(cmap: str, k: int) -> list[str]:
    import matplotlib
    from matplotlib.colors import to_hex

    try:
        colormap = matplotlib.colormaps[cmap]
    except KeyError:
        raise InputError(
            f"cmap={cmap!r} is no matplotlib colormap", hint="e.g. YlOrRd, Blues, viridis"
        ) from None
    return (
        [to_hex(colormap(x)) for x in np.linspace(0.12, 0.92, k)]
        if k > 1
        else [to_hex(colormap(0.6))]
    )


def _class_labels(pooled: np.ndarray, upper: np.ndarray, decimals: int | None) -> list[str]:
    lows = np.concatenate([[pooled.min()], upper[:-1]])
    whole = bool(np.all(np.mod(np.concatenate([lows, upper]), 1) == 0))
    first = 0 if whole else 2  # whole numbers (counts) without decimals
    for d in [decimals] if decimals is not None else range(first, 7):
        labels = [f"{lo:.{d}f} – {hi:.{d}f}" for lo, hi in zip(lows, upper, strict=True)]
        if len(set(labels)) == len(labels):
            break
    return labels


def echelon_map(
    data: Any,
    category: str = "label",
    *,
    order: Sequence[Any] | None = None,
    colours: Sequence[str] | Mapping[Any, str] | None = None,
    cmap: str = "YlGnBu",
    region: str = "region",
    year: str | None = None,
    years: Sequence[Any] | None = None,
    geometry: Any = "china-provinces",
    geometry_id: str | None = None,
    projection: str | None = None,
    lang: str = "en",
    title: str | None = None,
    legend_title: str | None = None,
    ncols: int | None = None,
    north_arrow: bool | None = None,
    scale_bar: bool | None = None,
    labels: bool = False,
    width: float | None = None,
) -> Map:
    """A category by region (echelons 梯队 or any labels), listed in ``order`` (default:
    numbers ascending, text in natural order with 一…十 read as numbers, so "第二梯队"
    follows "第一梯队" and "echelon 10" follows "echelon 9"). The first category gets the
    darkest colour of ``cmap`` (tier 1 = highest), or ``colours`` (a list in ``order``
    or {category: colour}). ``data`` may be the result of :func:`nqpf.echelons`: its
    assignments are drawn, its tiers in echelon order (``category="echelon"`` for the
    numbers)."""
    geo = load_geometry(geometry, geometry_id=geometry_id, projection=projection)
    style = _common(lang, title, ncols, north_arrow, scale_bar, labels, legend_title, width)
    data, region, order = _echelon_result(data, category, region, order)
    panels = _panels(data, category, region, year, years, geo)
    present = list(dict.fromkeys(v for _, cells in panels for v in cells.values()))
    order = list(order) if order is not None else sorted(present, key=_natural_key)
    unknown = [str(v) for v in present if v not in order]
    if unknown:
        raise InputError(
            f"categories {_show(unknown)} of column {category!r} are not in order=",
            column=category,
            hint="list every category in order=",
        )
    palette = _category_colours(order, colours, cmap)
    drawn = [(t, {g: palette[v] for g, v in cells.items()}) for t, cells in panels]
    entries = [(str(v), palette[v], False) for v in order]
    return _draw(geo, drawn, entries, style)


def _echelon_result(
    data: Any, category: str, region: str, order: Sequence[Any] | None
) -> tuple[Any, str, Sequence[Any] | None]:
    """An :class:`~nqpf.groups.EchelonResult` → its ``assignments``, its region column
    (unless ``region=`` names another) and its tiers' labels in echelon order (unless
    ``order=`` is given)."""
    assignments, tiers = getattr(data, "assignments", None), getattr(data, "tiers", None)
    if not isinstance(assignments, pl.DataFrame) or not isinstance(tiers, pl.DataFrame):
        return data, region, order
    if region == "region":
        region = str(getattr(data, "region", region))
    if order is None and category in tiers.columns:
        order = tiers.sort("echelon").get_column(category).to_list()
    return assignments, region, order


_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def _natural_key(value: Any) -> tuple[Any, ...]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value))
    text = re.sub(r"[一二三四五六七八九十]+", lambda m: str(_zh_number(m.group())), str(value))
    parts = re.split(r"(\d+)", text)
    return (1, *((0, int(p)) if p.isdigit() else (1, p) for p in parts))


def _zh_number(text: str) -> int:
    """一 … 九十九 as a number (十 = 10, 十二 = 12, 二十 = 20)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _ZH_DIGITS.get(ones, 0) if ones else 0
        )
    return int("".join(str(_ZH_DIGITS[c]) for c in text))


def _category_colours(
    order: Sequence[Any], colours: Sequence[str] | Mapping[Any, str] | None, cmap: str
) -> dict[Any, str]:
    from matplotlib.colors import is_color_like, to_hex

    if colours is None:
        listed = _class_colours(cmap, len(order))[::-1]
    elif isinstance(colours, Mapping):
        absent = [str(v) for v in order if v not in colours]
        if absent:
            raise InputError(
                f"colours= has no colour for {_show(absent)}", hint="give every category a colour"
            )
        listed = [colours[v] for v in order]
    else:
        listed = list(colours)
        if len(listed) != len(order):
            raise InputError(
                f"colours= has {len(listed)} colours for {len(order)} categories",
                hint="give one colour per category of order=",
            )
    bad = [str(c) for c in listed if not is_color_like(c)]
    if bad:
        raise InputError(f"colours= holds {_show(bad)}, not colours", hint="use names or #rrggbb")
    return {v: to_hex(c) for v, c in zip(order, listed, strict=True)}


def _cluster_key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\s\-_./·]+", "", str(value).strip().casefold())


def cluster_map(
    data: Any,
    cluster: str = "cluster",
    *,
    region: str = "region",
    year: str | None = None,
    years: Sequence[Any] | None = None,
    geometry: Any = "china-provinces",
    geometry_id: str | None = None,
    projection: str | None = None,
    lang: str = "en",
    title: str | None = None,
    legend_title: str | None = None,
    ncols: int | None = None,
    north_arrow: bool | None = None,
    scale_bar: bool | None = None,
    labels: bool = False,
    width: float | None = None,
) -> Map:
    """LISA cluster map: ``cluster`` says HH / LH / LL / HL or not significant per region
    (also "High-High", 高-高, esda's quadrant codes 1–4 with 0 for not significant; "ns",
    "not significant", 不显著), drawn in :data:`LISA_COLOURS` with the legend in ``lang``
    (High-High … / 高-高 …). A null cell is no data."""
    geo = load_geometry(geometry, geometry_id=geometry_id, projection=projection)
    style = _common(lang, title, ncols, north_arrow, scale_bar, labels, legend_title, width)
    panels = _panels(data, cluster, region, year, years, geo)
    classes = [(t, {g: _lisa_class(v, cluster) for g, v in cells.items()}) for t, cells in panels]
    drawn = [(t, {g: LISA_COLOURS[c] for g, c in cells.items()}) for t, cells in classes]
    entries = [(TEXT[lang][c], LISA_COLOURS[c], False) for c in ("HH", "LH", "LL", "HL", "ns")]
    return _draw(geo, drawn, entries, style)


def _lisa_class(value: Any, column: str) -> str:
    found = LISA_NAMES.get(_cluster_key(value))
    if found is None:
        raise InputError(
            f"column {column!r} holds {value!r}, not a LISA cluster",
            column=column,
            hint="use HH, LH, LL, HL or ns (not significant), or esda's codes 1-4 and 0",
        )
    return found


def hotspot_map(
    data: Any,
    z: str = "z",
    *,
    p: str | None = None,
    region: str = "region",
    year: str | None = None,
    years: Sequence[Any] | None = None,
    geometry: Any = "china-provinces",
    geometry_id: str | None = None,
    projection: str | None = None,
    lang: str = "en",
    title: str | None = None,
    legend_title: str | None = None,
    ncols: int | None = None,
    north_arrow: bool | None = None,
    scale_bar: bool | None = None,
    labels: bool = False,
    width: float | None = None,
) -> Map:
    """Gi* hot-spot map: a region is a hot (z > 0) or cold (z < 0) spot at 99 / 95 / 90 %
    confidence when |z| ≥ 2.576 / 1.960 / 1.645 (:data:`HOTSPOT_LEVELS`), or, with ``p``
    (two-sided p-values, e.g. from permutations), when p ≤ 0.01 / 0.05 / 0.10; else not
    significant."""
    geo = load_geometry(geometry, geometry_id=geometry_id, projection=projection)
    style = _common(lang, title, ncols, north_arrow, scale_bar, labels, legend_title, width)
    panels = _panels(data, z, region, year, years, geo)
    p_panels = _panels(data, p, region, year, years, geo) if p else None
    drawn = []
    for i, (t, cells) in enumerate(panels):
        ps = p_panels[i][1] if p_panels else None
        drawn.append(
            (
                t,
                {
                    g: HOTSPOT_COLOURS[_hotspot_class(v, ps.get(g) if ps else None, z, p)]
                    for g, v in cells.items()
                },
            )
        )
    text = TEXT[lang]
    entries = [
        (text[key[0]].format(level=key[1]) if key != "ns" else text["ns"], colour, False)
        for key, colour in HOTSPOT_COLOURS.items()
    ]
    return _draw(geo, drawn, entries, style)


def _hotspot_class(zvalue: Any, pvalue: Any, z: str, p: str | None) -> Any:
    zv = _number(zvalue, z)
    side = "hot" if zv > 0 else "cold"
    if p is not None:
        if pvalue is None:
            return "ns"
        pv = _number(pvalue, p)
        level = next((lv for lv, _, cut in HOTSPOT_LEVELS if pv <= cut), None)
    else:
        level = next((lv for lv, crit, _ in HOTSPOT_LEVELS if abs(zv) >= crit), None)
    return "ns" if level is None or zv == 0 else (side, level)
