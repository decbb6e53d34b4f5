"""Spatial weights and spatial statistics.

- :mod:`nqpf.spatial.weights` — :class:`SpatialWeights` and its builders.
- :mod:`nqpf.spatial.maps` — offline maps: :func:`choropleth`, :func:`echelon_map`,
  :func:`cluster_map`, :func:`hotspot_map` (matplotlib; geopandas only to read a
  ``geometry=`` file).
"""

from __future__ import annotations

from nqpf.spatial.maps import Map, choropleth, cluster_map, echelon_map, hotspot_map
from nqpf.spatial.weights import SpatialWeights, from_matrix, from_neighbours

__all__ = [
    "Map",
    "SpatialWeights",
    "choropleth",
    "cluster_map",
    "echelon_map",
    "from_matrix",
    "from_neighbours",
    "hotspot_map",
]
