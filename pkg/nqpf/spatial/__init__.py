"""Spatial weights and spatial statistics.

- :mod:`nqpf.spatial.weights` — :class:`SpatialWeights` and its builders;
- :mod:`nqpf.spatial.autocorrelation` — global Moran's I, Geary's C, Getis–Ord G by year;
- :mod:`nqpf.spatial.local` — local Moran's I (LISA), Getis–Ord Gi / Gi*, LISA quadrants.
"""

from __future__ import annotations

from nqpf.spatial.autocorrelation import geary, getis_ord_g, moran
from nqpf.spatial.local import local_g, local_moran, quadrants
from nqpf.spatial.weights import SpatialWeights, from_matrix, from_neighbours

__all__ = [
    "SpatialWeights",
    "from_matrix",
    "from_neighbours",
    "geary",
    "getis_ord_g",
    "local_g",
    "local_moran",
    "moran",
    "quadrants",
]
