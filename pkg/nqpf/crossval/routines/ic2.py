"""``IC2::decompSGini(decomp = "BM")`` (CRAN): G, Gw, Gnb, Gt and Gjj.

IC2 estimates the Gini by a weighted covariance regression instead of summing
differences: it agrees with the closed form to about 1e-14, so it is held to at
least 1e-12 whatever tolerance is asked for (the row's note says so).
"""

from __future__ import annotations

from nqpf import rbridge
from nqpf.crossval import dagum_rows
from nqpf.crossval.context import Run
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows


@register
class IC2(Routine):
    routine = "IC2::decompSGini"
    section = "dagum"
    quantities = ("G", "Gw", "Gnb", "Gt", "Gjj")
    tolerance_floor = (
        1e-12,
        "IC2 estimates the Gini by a covariance regression (agrees to ~1e-14)",
    )

    def run(self, rows: Rows, run: Run) -> None:
        dagum_rows.decomposition(rows, run, self.routine, rbridge.ic2_decomp_sgini)
