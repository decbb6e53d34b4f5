"""Spatial weights and spatial statistics.

- :mod:`nqpf.spatial.weights` — :class:`SpatialWeights`, ``from_neighbours``, ``from_matrix``.
- :mod:`nqpf.spatial.china` — the built-in China provinces: ``contiguity``,
  ``capital_coordinates``, ``region_table``.
- :mod:`nqpf.spatial.builders` — weights from coordinates (``knn``, ``distance_band``,
  ``inverse_distance``), values (``economic_distance``, ``economic_geographic``), edge
  lists (``from_frame``) and polygon files (``from_file``).
- :mod:`nqpf.spatial.panel` — one cross-section per year with W aligned to it.
- :mod:`nqpf.spatial.gini` — the spatial Gini (Rey & Smith 2013).
- :mod:`nqpf.spatial.centrography` — gravity centre trajectory, standard deviational ellipse.
- :mod:`nqpf.spatial.transitions` — space–time transitions of LISA quadrants, LISA time paths.
- :mod:`nqpf.spatial.maps` — offline maps: :func:`choropleth`, :func:`echelon_map`,
  :func:`cluster_map`, :func:`hotspot_map` (matplotlib; geopandas only to read a
  ``geometry=`` file).
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
from nqpf.spatial.centrography import (
    CentreResult,
    EllipseResult,
    gravity_centre,
    standard_deviational_ellipse,
)
from nqpf.spatial.china import capital_coordinates, contiguity, region_table
from nqpf.spatial.gini import SpatialGiniResult, spatial_gini
from nqpf.spatial.maps import Map, choropleth, cluster_map, echelon_map, hotspot_map
from nqpf.spatial.transitions import TransitionResult, space_time_transitions
from nqpf.spatial.weights import SpatialWeights, from_matrix, from_neighbours

__all__ = [
    "CentreResult",
    "EllipseResult",
    "Map",
    "SpatialGiniResult",
    "SpatialWeights",
    "TransitionResult",
    "capital_coordinates",
    "choropleth",
    "cluster_map",
    "contiguity",
    "distance_band",
    "echelon_map",
    "economic_distance",
    "economic_geographic",
    "from_file",
    "from_frame",
    "from_matrix",
    "from_neighbours",
    "gravity_centre",
    "hotspot_map",
    "inverse_distance",
    "knn",
    "pair_distances",
    "region_table",
    "space_time_transitions",
    "spatial_gini",
    "standard_deviational_ellipse",
]
