"""``laeken::gini`` (Debian r-cran-laeken): the decomposition assembled from Ginis.

G and each Gjj are laeken's Ginis; Gnb its Gini of the group means weighted by
group size; Gjh and Djh through the pooled-pair identity; Gw and Gt assembled
from those (:func:`nqpf.rbridge.laeken_dagum`).
"""

from __future__ import annotations

from nqpf import rbridge
from nqpf.crossval import dagum_rows
from nqpf.crossval.context import Run
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows

NOTES = {
    "Gnb": "laeken's Gini of the group means weighted by group size",
    "Gw": "Σ Gjj·pj·sj from laeken's Gjj",
    "Gt": "G − Gw − Gnb from laeken's Ginis",
}


@register
class Laeken(Routine):
    routine = "laeken::gini"
    section = "dagum"
    quantities = ("G", "Gw", "Gnb", "Gt", "Gjj", "Gjh", "Djh")

    def run(self, rows: Rows, run: Run) -> None:
        get = run.per_slice(self.routine, rbridge.laeken_dagum)
        dagum_rows.totals(rows, run, get, dagum_rows.TOTALS, self.routine, NOTES)
        dagum_rows.within(rows, run, lambda key: get(key)["Gjj"], self.routine)

        def r_pairs(key: str) -> dict[tuple[str, str], dict[str, float]]:
            got = get(key)
            return {pair: {"Gjh": got["Gjh"][pair], "Djh": got["Djh"][pair]} for pair in got["Gjh"]}

        dagum_rows.pairs(rows, run, self.routine, r_pairs, ("Gjh", "Djh"))
