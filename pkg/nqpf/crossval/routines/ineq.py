"""``ineq::Gini`` (CRAN): the overall Gini G of each slice, unweighted."""

from __future__ import annotations

from nqpf import rbridge
from nqpf.crossval.context import Run
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows


@register
class Ineq(Routine):
    routine = "ineq::Gini"
    section = "dagum"
    quantities = ("G",)
    weighted = False

    def run(self, rows: Rows, run: Run) -> None:
        where, py, rv = [], [], []
        for key, y, _, _ in run.slices:
            where.append(key)
            py.append(run.overall[key]["G"])
            rv.append(rbridge.ineq_gini(y))
        rows.compare("G", self.routine, where, py, rv)
