"""Build nqpf's built-in map geometry (pkg/nqpf/spatial/data/*.geojson) from Apache ECharts 4.9.0.

Run from the repository root with the package's own client fetching the source::

    npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz
    python data/make_maps.py package/

Source: the npm package ``echarts@4.9.0`` (Apache License 2.0, (c) The Apache Software
Foundation): ``map/json/china.json`` (34 provincial-level units, coordinates in ECharts'
"UTF8Encoding" compressed form: per ring, characters minus 64, zigzag-decoded, delta from
the ring's encodeOffsets, divided by UTF8Scale = 1024 → degrees) and
``map/json/world.json`` (countries, a Natural Earth derivative, plain GeoJSON). The South
China Sea islands inset (南海诸岛) and the Diaoyu Islands box are the coordinates ECharts
adds to its China map (lib/coord/geo/fix/nanhai.js, diaoyuIsland.js), stored here as data.

What this script does: decode, give each province its NBS English name as ``id`` and the
Chinese short name as ``name_zh``, simplify with shapely (``simplify`` with
preserve_topology, tolerance below) and round coordinates, check validity, write GeoJSON.
Nothing of ECharts' code is used or shipped; only the coordinates.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely import set_precision
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.validation import make_valid

OUT = Path(__file__).resolve().parents[1] / "pkg" / "nqpf" / "spatial" / "data"

#: NBS English name by ECharts' Chinese short name (NBS statistical yearbook spelling).
PROVINCES = {
    "北京": "Beijing", "天津": "Tianjin", "河北": "Hebei", "山西": "Shanxi",
    "内蒙古": "Inner Mongolia", "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang",
    "上海": "Shanghai", "江苏": "Jiangsu", "浙江": "Zhejiang", "安徽": "Anhui",
    "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong", "河南": "Henan",
    "湖北": "Hubei", "湖南": "Hunan", "广东": "Guangdong", "广西": "Guangxi",
    "海南": "Hainan", "重庆": "Chongqing", "四川": "Sichuan", "贵州": "Guizhou",
    "云南": "Yunnan", "西藏": "Tibet", "陕西": "Shaanxi", "甘肃": "Gansu",
    "青海": "Qinghai", "宁夏": "Ningxia", "新疆": "Xinjiang",
}  # fmt: skip
OTHER = {"香港": "Hong Kong", "澳门": "Macao", "台湾": "Taiwan"}

#: Simplification tolerance in degrees and decimals kept: China ~1 km and ~100 m (ECharts'
#: China is already coarse: simplify removes little), the world ~10 km and ~1 km.
TOLERANCE = {"china": 0.01, "world": 0.1}
DECIMALS = {"china": 3, "world": 2}


def decode_ring(text: str, offset: list[int], scale: float) -> list[list[float]]:
    x, y = offset
    ring = []
    for i in range(0, len(text), 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append([x / scale, y / scale])
    return ring


def decode(geojson: dict) -> dict:
    scale = geojson.get("UTF8Scale", 1024)
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        offsets = geometry.pop("encodeOffsets")
        if geometry["type"] == "Polygon":
            geometry["coordinates"] = [
                decode_ring(r, o, scale)
                for r, o in zip(geometry["coordinates"], offsets, strict=True)
            ]
        else:
            geometry["coordinates"] = [
                [decode_ring(r, o, scale) for r, o in zip(poly, offs, strict=True)]
                for poly, offs in zip(geometry["coordinates"], offsets, strict=True)
            ]
    return geojson


def nanhai() -> dict:
    """ECharts' South China Sea islands inset: its frame, coast and island dashes placed
    at 126°E 25°N (x / 10.5 degrees east, y / 14 degrees south of that corner)."""
    points = [
        [[0, 3.5], [7, 11.2], [15, 11.9], [30, 7], [42, 0.7], [52, 0.7], [56, 7.7], [59, 0.7],
         [64, 0.7], [64, 0], [5, 0], [0, 3.5]],
        [[13, 16.1], [19, 14.7], [16, 21.7], [11, 23.1], [13, 16.1]],
        [[12, 32.2], [14, 38.5], [15, 38.5], [13, 32.2], [12, 32.2]],
        [[16, 47.6], [12, 53.2], [13, 53.2], [18, 47.6], [16, 47.6]],
        [[6, 64.4], [8, 70], [9, 70], [8, 64.4], [6, 64.4]],
        [[23, 82.6], [29, 79.8], [30, 79.8], [25, 82.6], [23, 82.6]],
        [[37, 70.7], [43, 62.3], [44, 62.3], [39, 70.7], [37, 70.7]],
        [[48, 51.1], [51, 45.5], [53, 45.5], [50, 51.1], [48, 51.1]],
        [[51, 35], [51, 28.7], [53, 28.7], [53, 35], [51, 35]],
        [[52, 22.4], [55, 17.5], [56, 17.5], [53, 22.4], [52, 22.4]],
        [[58, 12.6], [62, 7], [63, 7], [60, 12.6], [58, 12.6]],
    ]  # ECharts' 12th ring, the frame (0..64 × 0..93.1), is the "frame" property here  # fmt: skip
    polygons = [[[[126 + x / 10.5, 25 - y * 0.75 / 10.5] for x, y in ring]] for ring in points]
    return {"type": "MultiPolygon", "coordinates": polygons}


#: The inset's frame (lon0, lat0, lon1, lat1): ECharts' 64 × 93.1 box placed as above.
NANHAI_FRAME = [126.0, round(25 - 93.1 * 0.75 / 10.5, 3), round(126 + 64 / 10.5, 3), 25.0]


DIAOYU = [[123.4517, 25.7353], [123.4973, 25.7353], [123.4973, 25.7507], [123.4517, 25.7507],
          [123.4517, 25.7353]]  # fmt: skip


def rounded(geometry, tolerance: float, decimals: int) -> dict:
    """Simplified (topology kept), snapped to a 10**-decimals grid (which keeps it valid),
    polygons only."""
    geometry = make_valid(geometry.simplify(tolerance, preserve_topology=True))
    geometry = set_precision(geometry, 10.0**-decimals)
    parts = [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type != "Point"]
    polygons = [p for g in parts for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon"]
    geometry = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)

    def fix(coords):
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], decimals), round(coords[1], decimals)]
        return [fix(c) for c in coords]

    out = mapping(geometry)
    out = {"type": out["type"], "coordinates": fix(out["coordinates"])}
    assert shape(out).is_valid, out["type"]
    return out


def write(name: str, features: list[dict]) -> None:
    path = OUT / f"{name}.geojson"
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))  # fmt: skip
    path.write_text(text + "\n", encoding="utf-8")
    print(path, len(features), "features", len(text.encode()) // 1024, "KB")


def china(source: Path) -> None:
    geojson = decode(json.loads((source / "map/json/china.json").read_text("utf-8")))
    features = []
    for feature in geojson["features"]:
        zh = feature["properties"]["name"]
        geometry = shape(feature["geometry"])
        if zh == "台湾":
            geometry = geometry.union(shape({"type": "Polygon", "coordinates": [DIAOYU]}))
        kind = "province" if zh in PROVINCES else "other"
        features.append({
            "type": "Feature",
            "id": PROVINCES.get(zh) or OTHER[zh],
            "properties": {"name_zh": zh, "kind": kind, "code": feature["properties"]["id"]},
            "geometry": rounded(geometry, TOLERANCE["china"], DECIMALS["china"]),
        })  # fmt: skip
    features.sort(key=lambda f: (f["properties"]["kind"] != "province", f["properties"]["code"]))
    features.append({
        "type": "Feature", "id": "South China Sea Islands",
        "properties": {"name_zh": "南海诸岛", "kind": "inset", "code": "", "frame": NANHAI_FRAME},
        "geometry": rounded(shape(nanhai()), 0.0, DECIMALS["china"]),
    })  # fmt: skip
    write("china-provinces", features)


def cleaned(geometry: dict) -> dict:
    """world.json holds a few empty polygons in its multipolygons: drop them."""
    if geometry["type"] == "MultiPolygon":
        geometry["coordinates"] = [p for p in geometry["coordinates"] if p and p[0]]
    return geometry


def world(source: Path) -> None:
    geojson = json.loads((source / "map/json/world.json").read_text("utf-8"))
    features = []
    unnamed = 0
    for feature in geojson["features"]:
        name = feature["properties"]["name"]
        if not name:  # the two Kashmir areas Natural Earth leaves unnamed
            unnamed += 1
            name, kind = f"(disputed area {unnamed})", "other"
        else:
            kind = "country"
        features.append({
            "type": "Feature", "id": name, "properties": {"kind": kind},
            "geometry": rounded(
                shape(cleaned(feature["geometry"])), TOLERANCE["world"], DECIMALS["world"]
            ),
        })  # fmt: skip
    write("world-countries", features)


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "package")
    china(source)
    world(source)
