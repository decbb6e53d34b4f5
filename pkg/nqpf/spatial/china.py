"""Built-in regions: the 31 mainland provinces of China (province-level divisions, without
Hong Kong, Macao and Taiwan, as in the NBS statistical yearbooks).

Two files in ``nqpf/spatial/data/`` (this docstring is their description):

- ``china_provinces.csv`` — one row per province in the NBS yearbook order: the English
  name as the NBS writes it (``Inner Mongolia``, ``Tibet``, ``Shaanxi`` ≠ ``Shanxi``),
  the short and the full Chinese name (内蒙古 / 内蒙古自治区), the GB/T 2260 division code
  (150000), the capital and its coordinates, and other spellings (``Nei Mongol``,
  ``Xizang``, ``Guangxi Zhuang Autonomous Region`` …), all accepted by
  :meth:`SpatialWeights.align` as aliases.
- ``china_province_contiguity.csv`` — the 68 pairs of provinces that share a land border
  (``link = land``) and the one sea link of the island rule (``link = strait``).

Sources. The pairs are written by hand from public geography (the provincial boundaries
of the administrative map of China); the 68 land pairs were checked independently to
equal, pair for pair, the queen and the rook contiguity that libpysal computes from the
province polygons of the npm package echarts 4.9.0 (``map/json/china.json``,
Apache-2.0; this module ships only the pairs — the simplified map geometry drawn by
:mod:`nqpf.spatial.maps` is a separate file). The capitals' coordinates
are the city-centre coordinates of public gazetteers, rounded to 0.01° (about 1 km);
in the same check each lies inside its own province's polygon.

Island rule. Hainan shares no land border. The usual rule links an island to its nearest
region: Hainan's nearest province is Guangdong (the Leizhou peninsula, across the
Qiongzhou Strait, about 20 km wide; Guangxi, across the Gulf of Tonkin, is several
times farther) — also the link the Chinese
literature's 0–1 adjacency matrices use (Hainan was part of Guangdong until 1988).
``link_islands=False`` leaves Hainan an island.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from nqpf.errors import InputError
from nqpf.spatial.weights import SpatialWeights

__all__ = [
    "BUILTIN_REGIONS",
    "builtin_aliases",
    "capital_coordinates",
    "contiguity",
    "region_table",
]

DATA = Path(__file__).resolve().parent / "data"
CHINA = "china-provinces"
#: Built-in region sets: name → (region table, contiguity pairs), files in ``DATA``.
BUILTIN_REGIONS: dict[str, tuple[str, str]] = {
    CHINA: ("china_provinces.csv", "china_province_contiguity.csv"),
}
Names = Literal["en", "zh"]
NAME_COLUMNS = {"en": "province", "zh": "province_zh"}
#: The columns of a region table whose values name the region (besides ``aliases``).
NAMING_COLUMNS = ("province", "province_zh", "name_zh", "code")


def _known(name: Any) -> str:
    if name not in BUILTIN_REGIONS:
        raise InputError(
            f"unknown built-in regions {name!r}",
            hint="choose one of "
            + ", ".join(repr(k) for k in BUILTIN_REGIONS)
            + ", or build the weights from a file (from_file) or coordinates (knn)",
        )
    return name


def _column(names: Any) -> str:
    if names not in NAME_COLUMNS:
        raise InputError(
            f"unknown names {names!r}", hint="choose 'en' (NBS English) or 'zh' (Chinese)"
        )
    return NAME_COLUMNS[names]


@cache
def _rows(file: str) -> tuple[dict[str, str], ...]:
    with (DATA / file).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def region_table(name: str = CHINA) -> Any:
    """The built-in regions as a polars frame: ``province``, ``province_zh``,
    ``name_zh``, ``code``, ``capital``, ``capital_zh``, ``lon``, ``lat``, ``aliases``
    (``;``-separated), one row per region in the NBS order."""
    import polars as pl

    rows = _rows(BUILTIN_REGIONS[_known(name)][0])
    frame = pl.DataFrame(list(rows))
    return frame.with_columns(pl.col("lon", "lat").cast(pl.Float64))


def _aliases(name: str, column: str) -> dict[str, str]:
    """Every other name of each region → its id in ``column``."""
    aliases: dict[str, str] = {}
    for row in _rows(BUILTIN_REGIONS[name][0]):
        target = row[column]
        others = [row[c] for c in NAMING_COLUMNS] + row["aliases"].split(";")
        aliases.update({other: target for other in others if other and other != target})
    return aliases


def _ids(name: str, column: str) -> list[str]:
    return [row[column] for row in _rows(BUILTIN_REGIONS[name][0])]


def contiguity(
    name: str = CHINA,
    *,
    link_islands: bool = True,
    names: Names = "en",
    rule: Literal["queen", "rook"] = "queen",
) -> SpatialWeights:
    """Queen contiguity of built-in regions, binary (style ``"o"``: 1 for neighbours).

    ``"china-provinces"``: the 31 mainland provinces (68 land borders; see the module
    docstring for the source and its independent check). With ``link_islands=True``
    (default) Hainan is linked to Guangdong by the island rule (nearest region, across
    the Qiongzhou Strait); ``False`` leaves Hainan without a neighbour.

    ``rule="rook"`` gives the same weights: no two provinces touch at a point only (in
    the check of the module docstring, libpysal's queen and rook contiguity and spdep's
    ``poly2nb(queen=TRUE/FALSE)`` agree on all 68 pairs).

    ``names="en"`` gives the NBS English names as ids, ``"zh"`` the short Chinese names
    (北京 … 内蒙古 … 新疆); either way every other spelling in the region table is an
    alias that :meth:`SpatialWeights.align` accepts in the data.

    Examples
    --------
    >>> w = contiguity("china-provinces")
    >>> w.neighbours["Shanghai"]
    ('Jiangsu', 'Zhejiang')
    >>> contiguity("china-provinces", names="zh").neighbours["海南"]
    ('广东',)
    """
    from scipy import sparse

    column = _column(names)
    if rule not in ("queen", "rook"):
        raise InputError(f"unknown contiguity rule {rule!r}", hint="choose 'queen' or 'rook'")
    pairs_file = BUILTIN_REGIONS[_known(name)][1]
    en = _ids(name, "province")
    index = {p: i for i, p in enumerate(en)}
    pairs = [
        (index[r["province_a"]], index[r["province_b"]])
        for r in _rows(pairs_file)
        if link_islands or r["link"] == "land"
    ]
    a, b = np.asarray(pairs, dtype=np.int64).T
    n = len(en)
    ones = np.ones(2 * a.size)
    matrix = sparse.csr_array((ones, (np.r_[a, b], np.r_[b, a])), shape=(n, n))
    island = "Hainan linked to Guangdong across the strait" if link_islands else "Hainan an island"
    return SpatialWeights(
        _ids(name, column),
        matrix,
        aliases=_aliases(name, column),
        source=f"{rule} contiguity of the 31 mainland provinces (built-in, {island})",
    )


def capital_coordinates(
    name: str = CHINA, *, names: Names = "en"
) -> dict[str, tuple[float, float]]:
    """The built-in regions' capitals as ``{region: (lon, lat)}`` (degrees, WGS 84), in
    the NBS order; for distance weights and the gravity-centre trajectory.

    ``"china-provinces"``: the 31 provincial capitals (Beijing, Tianjin, Shanghai and
    Chongqing: the city itself), rounded to 0.01°; source in the module docstring.

    Examples
    --------
    >>> capital_coordinates("china-provinces")["Tibet"]
    (91.14, 29.65)
    """
    column = _column(names)
    rows = _rows(BUILTIN_REGIONS[_known(name)][0])
    return {row[column]: (float(row["lon"]), float(row["lat"])) for row in rows}


def builtin_aliases(name: str, *, names: Names = "en") -> dict[str, str]:
    """Every other spelling of the built-in regions → their id (for coordinates-based
    weights over built-in regions)."""
    return _aliases(_known(name), _column(names))
