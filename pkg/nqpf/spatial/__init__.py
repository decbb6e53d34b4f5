"""Spatial weights and spatial statistics.

- :mod:`nqpf.spatial.weights` — :class:`SpatialWeights` and its builders.
- :mod:`nqpf.spatial.regression` — SAR, SEM and SDM by maximum likelihood
  (cross-section and panel fixed effects) with LeSage–Pace effects.
- :mod:`nqpf.spatial.convergence` — spatial β-convergence on those models.

The regression modules load spreg only when a model is fitted.
"""

from __future__ import annotations

from nqpf.spatial.convergence import SpatialBetaResult, spatial_beta_convergence
from nqpf.spatial.regression import SpatialRegressionResult, sar, sdm, sem, spatial_regression
from nqpf.spatial.weights import SpatialWeights, from_matrix, from_neighbours

__all__ = [
    "SpatialBetaResult",
    "SpatialRegressionResult",
    "SpatialWeights",
    "from_matrix",
    "from_neighbours",
    "sar",
    "sdm",
    "sem",
    "spatial_beta_convergence",
    "spatial_regression",
]
