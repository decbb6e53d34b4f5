"""``MCDA::TOPSIS`` (CRAN): Hwang–Yoon TOPSIS, weights used as given."""

from __future__ import annotations

from nqpf.crossval.registry import register
from nqpf.crossval.routines.vector_topsis import VectorTopsis


@register
class McdaTopsis(VectorTopsis):
    routine = "MCDA::TOPSIS"
    function = "mcda_topsis"
