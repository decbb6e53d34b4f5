"""``Hmisc::GiniMd`` (Debian r-cran-hmisc): mean absolute differences, unweighted.

Δ = 2μG over all n² pairs, and Δjj = 2μj·Gjj within each group of at least two
units (:func:`nqpf.rbridge.hmisc_ginimd` rescales Hmisc's n(n−1) form).
"""

from __future__ import annotations

import numpy as np

from nqpf import rbridge
from nqpf.crossval.context import Run
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows

NOTE = "Hmisc's n(n−1) mean difference × (n−1)/n vs nqpf's 2μG"


@register
class Hmisc(Routine):
    routine = "Hmisc::GiniMd"
    section = "dagum"
    quantities = ("Δ = 2μG", "Δjj = 2μj·Gjj")
    weighted = False

    def run(self, rows: Rows, run: Run) -> None:
        where, py, rv = [], [], []
        for key, y, _g, _ in run.slices:
            mu = float(np.mean(y))
            where.append(key)
            py.append(2.0 * mu * run.overall[key]["G"])
            rv.append(rbridge.hmisc_ginimd(y))
        rows.compare("Δ = 2μG", self.routine, where, py, rv, note=NOTE)
        where, py, rv = [], [], []
        for key, y, g, _ in run.slices:
            for label, rec in run.within[key].items():
                values = y[g == label]
                if values.size < 2:
                    continue
                where.append(f"{key}, {label}")
                py.append(2.0 * rec["mean"] * rec["Gjj"])
                rv.append(rbridge.hmisc_ginimd(values))
        note = "groups of at least 2 units; " + NOTE.replace("2μG", "2μj·Gjj")
        rows.compare("Δjj = 2μj·Gjj", self.routine, where, py, rv, note=note)
