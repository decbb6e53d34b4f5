"""Spatial weights and spatial statistics.

- :mod:`nqpf.spatial.weights` — :class:`SpatialWeights` and its builders.
"""

from __future__ import annotations

from nqpf.spatial.weights import SpatialWeights, from_matrix, from_neighbours

__all__ = ["SpatialWeights", "from_matrix", "from_neighbours"]
