"""``topsis::topsis`` (CRAN): Hwang–Yoon TOPSIS, weights rescaled to sum to 1."""

from __future__ import annotations

from nqpf.crossval.registry import register
from nqpf.crossval.routines.vector_topsis import VectorTopsis


@register
class TopsisTopsis(VectorTopsis):
    routine = "topsis::topsis"
    kinds = ("+", "-")
    function = "topsis_topsis"
