"""``MCDM::TOPSISVector`` (CRAN): Hwang–Yoon TOPSIS, weights summing to 1 exactly."""

from __future__ import annotations

from nqpf.crossval.registry import register
from nqpf.crossval.routines.vector_topsis import VectorTopsis


@register
class McdmTopsisVector(VectorTopsis):
    routine = "MCDM::TOPSISVector"
    function = "mcdm_topsis_vector"
