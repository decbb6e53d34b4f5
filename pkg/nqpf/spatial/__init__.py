"""Spatial weights and spatial statistics.

- :mod:`nqpf.spatial.weights` — :class:`SpatialWeights` and its builders.
- :mod:`nqpf.spatial.panel` — one cross-section per year with W aligned to it.
- :mod:`nqpf.spatial.gini` — the spatial Gini (Rey & Smith 2013).
- :mod:`nqpf.spatial.centrography` — gravity centre trajectory, standard deviational ellipse.
- :mod:`nqpf.spatial.transitions` — space–time transitions of LISA quadrants, LISA time paths.
"""

from __future__ import annotations

from nqpf.spatial.centrography import (
    CentreResult,
    EllipseResult,
    gravity_centre,
    standard_deviational_ellipse,
)
from nqpf.spatial.gini import SpatialGiniResult, spatial_gini
from nqpf.spatial.transitions import TransitionResult, space_time_transitions
from nqpf.spatial.weights import SpatialWeights, from_matrix, from_neighbours

__all__ = [
    "CentreResult",
    "EllipseResult",
    "SpatialGiniResult",
    "SpatialWeights",
    "TransitionResult",
    "from_matrix",
    "from_neighbours",
    "gravity_centre",
    "space_time_transitions",
    "spatial_gini",
    "standard_deviational_ellipse",
]
