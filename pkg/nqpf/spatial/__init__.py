"""Spatial weights and spatial statistics.

- :mod:`nqpf.spatial.weights` — :class:`SpatialWeights`, ``from_neighbours``, ``from_matrix``.
- :mod:`nqpf.spatial.china` — the built-in China provinces: ``contiguity``,
  ``capital_coordinates``, ``region_table``.
- :mod:`nqpf.spatial.builders` — weights from coordinates (``knn``, ``distance_band``,
  ``inverse_distance``), values (``economic_distance``, ``economic_geographic``), edge
  lists (``from_frame``) and polygon files (``from_file``).
"""

from __future__ import annotations

from nqpf.spatial.builders import (
    distance_band,
    economic_distance,
    economic_geographic,
    from_file,
    from_frame,
    inverse_distance,
    knn,
    pair_distances,
)
from nqpf.spatial.china import capital_coordinates, contiguity, region_table
from nqpf.spatial.weights import SpatialWeights, from_matrix, from_neighbours

__all__ = [
    "SpatialWeights",
    "capital_coordinates",
    "contiguity",
    "distance_band",
    "economic_distance",
    "economic_geographic",
    "from_file",
    "from_frame",
    "from_matrix",
    "from_neighbours",
    "inverse_distance",
    "knn",
    "pair_distances",
    "region_table",
]
