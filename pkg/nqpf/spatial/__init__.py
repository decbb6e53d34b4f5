"""Spatial weights and spatial statistics.

- :mod:`nqpf.spatial.weights` — :class:`SpatialWeights`, ``from_neighbours``, ``from_matrix``.
- :mod:`nqpf.spatial.china` — the built-in China provinces: ``contiguity``,
  ``capital_coordinates``, ``region_table``.
- :mod:`nqpf.spatial.builders` — weights from coordinates (``knn``, ``distance_band``,
  ``inverse_distance``), values (``economic_distance``, ``economic_geographic``), edge
  lists (``from_frame``) and polygon files (``from_file``).
- :mod:`nqpf.spatial.panel` — one cross-section per year with W aligned to it.
- :mod:`nqpf.spatial.autocorrelation` — global Moran's I, Geary's C, Getis–Ord G by year.
- :mod:`nqpf.spatial.local` — local Moran's I (LISA), Getis–Ord Gi / Gi*, LISA quadrants.
- :mod:`nqpf.spatial.gini` — the spatial Gini (Rey & Smith 2013).
- :mod:`nqpf.spatial.centrography` — gravity centre trajectory, standard deviational ellipse.
- :mod:`nqpf.spatial.transitions` — space–time transitions of LISA quadrants, LISA time paths.
- :mod:`nqpf.spatial.maps` — offline maps: :func:`choropleth`, :func:`echelon_map`,
  :func:`cluster_map`, :func:`hotspot_map` (matplotlib; geopandas only to read a
  ``geometry=`` file).
- :mod:`nqpf.spatial.regression` — SAR, SEM and SDM by maximum likelihood
  (cross-section and panel fixed effects) with LeSage–Pace effects.
- :mod:`nqpf.spatial.convergence` — spatial β-convergence on those models.

The regression modules load spreg only when a model is fitted.
"""

from __future__ import annotations

from nqpf.spatial.autocorrelation import geary, getis_ord_g, moran
from nqpf.spatial.builders import (
    distance_band,
    economic_distance,
    economic_geographic,
    from_file,
    from_frame,
    inverse_distance,
    knn,
    pair_distances,
    read_weights,
)
from nqpf.spatial.centrography import (
    CentreResult,
    EllipseResult,
    gravity_centre,
    standard_deviational_ellipse,
)
from nqpf.spatial.china import capital_coordinates, contiguity, region_table
from nqpf.spatial.convergence import SpatialBetaResult, spatial_beta_convergence
from nqpf.spatial.gini import SpatialGiniResult, spatial_gini
from nqpf.spatial.local import local_g, local_moran, quadrants
from nqpf.spatial.maps import Map, choropleth, cluster_map, echelon_map, hotspot_map
from nqpf.spatial.regression import SpatialRegressionResult, sar, sdm, sem, spatial_regression
from nqpf.spatial.transitions import TransitionResult, space_time_transitions
from nqpf.spatial.weights import SpatialWeights, from_matrix, from_neighbours

__all__ = [
    "CentreResult",
    "EllipseResult",
    "Map",
    "SpatialBetaResult",
    "SpatialGiniResult",
    "SpatialRegressionResult",
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
    "geary",
    "getis_ord_g",
    "gravity_centre",
    "hotspot_map",
    "inverse_distance",
    "knn",
    "local_g",
    "local_moran",
    "moran",
    "pair_distances",
    "quadrants",
    "read_weights",
    "region_table",
    "sar",
    "sdm",
    "sem",
    "space_time_transitions",
    "spatial_beta_convergence",
    "spatial_gini",
    "spatial_regression",
    "standard_deviational_ellipse",
]
