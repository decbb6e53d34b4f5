"""``dineq::gini_decomp`` (CRAN): G and its within / between / overlap = Gw, Gnb, Gt; Gjj."""

from __future__ import annotations

from nqpf import rbridge
from nqpf.crossval import dagum_rows
from nqpf.crossval.context import Run
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows


@register
class Dineq(Routine):
    routine = "dineq::gini_decomp"
    section = "dagum"
    quantities = ("G", "Gw", "Gnb", "Gt", "Gjj")

    def run(self, rows: Rows, run: Run) -> None:
        dagum_rows.decomposition(rows, run, self.routine, rbridge.dineq_gini_decomp)
